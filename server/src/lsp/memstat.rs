//! What a root's model holds on the heap, by part: the breakdown of the server's settled
//! memory in `docs/benchmarks.md` (logged after indexing at `BOUNDARY_LOG=boundary_lsp=debug`).
//!
//! Bytes asked of the allocator: vectors by capacity, strings by capacity, `SmolStr`s longer
//! than their inline size as their shared `Arc<str>` (counted once per owner), hash maps by
//! bucket. The allocator rounds each block up to its size class, which is not counted here.

use std::collections::HashMap;
use std::mem::size_of;

use crate::analysis::heap::{self, smols, vec, Part};
use crate::analysis::rule::Finding;

use super::state::Model;

fn map<K, V>(m: &HashMap<K, V>) -> usize {
    // hashbrown: one control byte per bucket plus the entries; buckets are a power of two at
    // least 8/7 of the capacity.
    let buckets = if m.capacity() == 0 {
        0
    } else {
        (m.capacity() * 8 / 7).next_power_of_two()
    };
    buckets * (size_of::<(K, V)>() + 1)
}

// boundary: allow(borrowed-owned-param) (the vector's capacity is what is counted)
fn findings(v: &Vec<Finding>) -> usize {
    vec(v)
        + v.iter()
            .map(|f| {
                f.message.capacity()
                    + f.suggestion.as_ref().map_or(0, String::capacity)
                    + f.symbol.as_ref().map_or(0, String::capacity)
                    + f.fix.as_ref().map_or(0, |x| {
                        x.title.capacity()
                            + vec(&x.edits)
                            + x.edits.iter().map(|e| e.new_text.capacity()).sum::<usize>()
                    })
                    + vec(&f.related)
                    + f.related
                        .iter()
                        .map(|r| r.message.capacity() + r.file.as_ref().map_or(0, String::capacity))
                        .sum::<usize>()
            })
            .sum::<usize>()
}

fn findings_map(m: &HashMap<String, Vec<Finding>>) -> (usize, usize) {
    let n = m.values().map(Vec::len).sum();
    let bytes = map(m)
        + m.iter()
            .map(|(k, v)| k.capacity() + findings(v))
            .sum::<usize>();
    (n, bytes)
}

/// The parts of a model, in bytes.
#[derive(Debug, Default)]
struct Breakdown {
    /// The per-file summaries, by part.
    summaries: heap::Summaries,
    /// `WsFile`s (metadata, module paths, targets) and the path index.
    files: Part,
    packages: Part,
    local_findings: Part,
    global_findings: Part,
    open_text: Part,
}

impl Breakdown {
    fn total(&self) -> usize {
        self.parts().iter().map(|(_, p)| p.bytes).sum()
    }

    fn parts(&self) -> Vec<(&'static str, Part)> {
        let mut v = self.summaries.parts().to_vec();
        v.extend([
            ("files", self.files),
            ("packages", self.packages),
            ("local_findings", self.local_findings),
            ("global_findings", self.global_findings),
            ("open_text", self.open_text),
        ]);
        v
    }
}

/// Counts what `m` holds.
fn of(m: &Model) -> Breakdown {
    let mut b = Breakdown::default();
    for f in &m.ws.files {
        b.summaries.add(&f.summary);
        b.files.add(
            1,
            f.meta.rel_path.capacity()
                + f.meta.crate_name.as_ref().map_or(0, String::capacity)
                + smols(&f.module_path)
                + vec(&f.targets),
        );
    }
    b.files.add(
        0,
        vec(&m.ws.files)
            + map(&m.ws.by_path)
            + m.ws.by_path.keys().map(String::capacity).sum::<usize>(),
    );
    b.packages.add(
        m.ws.packages.len(),
        vec(&m.ws.packages)
            + m.ws
                .packages
                .iter()
                .map(|p| {
                    p.name.capacity()
                        + p.dir.capacity()
                        + p.manifest.capacity()
                        + vec(&p.targets)
                        + vec(&p.dependencies)
                        + vec(&p.default_features)
                        + p.default_features
                            .iter()
                            .map(String::capacity)
                            .sum::<usize>()
                })
                .sum::<usize>(),
    );
    let (n, bytes) = findings_map(&m.local);
    b.local_findings.add(n, bytes);
    let (n, bytes) = findings_map(&m.global);
    b.global_findings.add(n, bytes);
    b.open_text.add(
        m.open_text.len(),
        map(&m.open_text)
            + m.open_text
                .iter()
                .map(|(k, v)| k.capacity() + v.len())
                .sum::<usize>(),
    );
    b
}

/// Logs the breakdown of `m` (debug level) with the process's resident memory.
pub(super) fn log(m: &Model, what: &str) {
    if !tracing::enabled!(tracing::Level::DEBUG) {
        return;
    }
    let b = of(m);
    let parts: Vec<String> = b
        .parts()
        .iter()
        .map(|(name, p)| format!("{name}={}/{}", p.count, p.bytes))
        .collect();
    // The resident size now (`VmRSS`, kB).
    let rss_kb: u64 = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmRSS:"))?;
            line.split_whitespace().nth(1)?.parse().ok()
        })
        .unwrap_or(0);
    tracing::debug!(
        what,
        model_bytes = b.total(),
        rss_bytes = rss_kb * 1024,
        parts = %parts.join(" "),
        "model memory (count/bytes)"
    );
}
