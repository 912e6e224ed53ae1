//! What the per-file summaries hold on the heap, by part: for the memory figures of
//! `docs/benchmarks.md` (the server logs it after indexing; the `parse_vs_check` bench prints it
//! for `check`).
//!
//! Bytes asked of the allocator: vectors by capacity, boxed slices and strings by length,
//! `SmolStr`s longer than their inline size as their `Arc<str>`, and allocations shared between
//! entries (a module's scope, an impl's owner) once. The allocator rounds each block up to its
//! size class, which is not counted here.

use std::collections::HashSet;
use std::mem::size_of;
use std::sync::Arc;

use super::model::{FileSummary, Owner, Visibility};
use super::syntax::SmolStr;

pub fn smol(s: &SmolStr) -> usize {
    if s.is_heap_allocated() {
        2 * size_of::<usize>() + s.len()
    } else {
        0
    }
}

pub fn smols(v: &[SmolStr]) -> usize {
    v.iter().map(smol).sum()
}

pub fn vec<T>(v: &Vec<T>) -> usize {
    v.capacity() * size_of::<T>()
}

fn vis(v: &Visibility) -> usize {
    match v {
        Visibility::PubIn(s) => s.len(),
        _ => 0,
    }
}

/// Heap bytes of one part, with how many elements it has.
#[derive(Debug, Default, Clone, Copy)]
pub struct Part {
    pub count: usize,
    pub bytes: usize,
}

impl Part {
    pub fn add(&mut self, count: usize, bytes: usize) {
        self.count += count;
        self.bytes += bytes;
    }
}

/// The parts of a set of summaries.
#[derive(Debug, Default)]
pub struct Summaries {
    /// The summaries' own structs (`Arc<FileSummary>`).
    pub structs: Part,
    pub items: Part,
    pub mods: Part,
    pub uses: Part,
    pub paths: Part,
    pub facts: Part,
    pub macro_idents: Part,
    pub test_ranges: Part,
    pub suppressions: Part,
    pub line_index: Part,
    /// Shared allocations already counted (by address).
    seen: HashSet<usize>,
}

impl Summaries {
    pub fn parts(&self) -> [(&'static str, Part); 10] {
        [
            ("summary_structs", self.structs),
            ("items", self.items),
            ("mods", self.mods),
            ("uses", self.uses),
            ("paths", self.paths),
            ("facts", self.facts),
            ("macro_idents", self.macro_idents),
            ("test_ranges", self.test_ranges),
            ("suppressions", self.suppressions),
            ("line_index", self.line_index),
        ]
    }

    pub fn total(&self) -> usize {
        self.parts().iter().map(|(_, p)| p.bytes).sum()
    }

    /// A scope: its slice the first time it is seen.
    fn scope(&mut self, s: &Arc<[SmolStr]>) -> usize {
        if self.seen.insert(Arc::as_ptr(s) as *const u8 as usize) {
            2 * size_of::<usize>() + s.len() * size_of::<SmolStr>() + smols(s)
        } else {
            0
        }
    }

    fn owner(&mut self, o: &Arc<Owner>) -> usize {
        if self.seen.insert(Arc::as_ptr(o) as usize) {
            2 * size_of::<usize>()
                + size_of::<Owner>()
                + smol(&o.self_ty)
                + o.trait_name.as_ref().map_or(0, smol)
        } else {
            0
        }
    }

    pub fn add(&mut self, s: &FileSummary) {
        // `Arc`'s two counts plus the struct.
        self.structs
            .add(1, 2 * size_of::<usize>() + size_of::<FileSummary>());
        let mut items = vec(&s.items);
        for i in &s.items {
            items += smol(&i.name)
                + self.scope(&i.scope)
                + vis(&i.vis)
                + std::mem::size_of_val(&*i.hidden_ranges)
                + i.owner.as_ref().map_or(0, |o| self.owner(o));
        }
        self.items.add(s.items.len(), items);
        let mut mods = vec(&s.mods);
        for m in &s.mods {
            mods += self.scope(&m.scope)
                + smol(&m.name)
                + vis(&m.vis)
                + m.path_attr.as_ref().map_or(0, String::capacity);
        }
        self.mods.add(s.mods.len(), mods);
        let mut uses = vec(&s.uses);
        for u in &s.uses {
            uses += self.scope(&u.scope)
                + vec(&u.path)
                + smols(&u.path)
                + u.alias.as_ref().map_or(0, smol)
                + vis(&u.vis);
        }
        self.uses.add(s.uses.len(), uses);
        let t = &s.path_table;
        let mut paths =
            vec(&s.paths) + vec(&t.names) + smols(&t.names) + vec(&t.segments) + vec(&t.scopes);
        for scope in &t.scopes {
            paths += self.scope(scope);
        }
        self.paths.add(s.paths.len(), paths);
        self.facts.add(
            s.facts.len(),
            vec(&s.facts)
                + s.facts
                    .iter()
                    .map(|f| smol(&f.name) + f.detail.len())
                    .sum::<usize>(),
        );
        self.macro_idents.add(
            s.macro_idents.len(),
            vec(&s.macro_idents) + smols(&s.macro_idents),
        );
        self.test_ranges
            .add(s.test_ranges.len(), vec(&s.test_ranges));
        self.suppressions.add(
            s.suppressions.len(),
            vec(&s.suppressions)
                + s.suppressions
                    .iter()
                    .map(|x| vec(&x.ids) + x.ids.iter().map(|i| i.id.capacity()).sum::<usize>())
                    .sum::<usize>(),
        );
        if let Some(l) = &s.line_index {
            self.line_index.add(l.line_count(), l.heap_bytes());
        }
    }
}
