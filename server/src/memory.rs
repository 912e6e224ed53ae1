//! The global allocator (mimalloc, with a region of our own for syntax trees and a heap of
//! our own for what the workspace model keeps), and process-wide memory settings and
//! hand-back.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;
use std::ffi::c_void;
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

mod region;
use region::{Bump, Region};

extern "C" {
    /// mimalloc's own API (in the library the `mimalloc` crate links; the crate exposes it
    /// only with its `extended` feature): frees what the calling thread's heap holds
    /// empty and, with `force`, purges the freed pages back to the system at once.
    fn mi_collect(force: bool);
    /// mimalloc's option setter and getter (`mi_option_t` is a C enum: an `int`).
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    #[cfg(test)]
    fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
    // mimalloc v3's first-class heaps (`mimalloc.h`: "can allocate from any thread (and be
    // free'd from any thread); heaps keep allocations in separate pages from each other").
    fn mi_heap_new() -> *mut c_void;
    fn mi_heap_delete(heap: *mut c_void);
    fn mi_heap_collect(heap: *mut c_void, force: bool);
    #[cfg(test)]
    fn mi_heap_contains(heap: *const c_void, p: *const c_void) -> bool;
    fn mi_heap_malloc_aligned(heap: *mut c_void, size: usize, align: usize) -> *mut c_void;
    fn mi_heap_zalloc_aligned(heap: *mut c_void, size: usize, align: usize) -> *mut c_void;
    fn mi_heap_realloc_aligned(
        heap: *mut c_void,
        p: *mut c_void,
        newsize: usize,
        align: usize,
    ) -> *mut c_void;
}

/// `mi_option_purge_delay` in the `mi_option_t` of the mimalloc version the `mimalloc`
/// crate builds (v3, `c_src/mimalloc/v3/include/mimalloc.h` of `libmimalloc-sys` 0.1.49;
/// check it again when bumping that crate).
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

/// Makes mimalloc hand pages that became free back to the system after 1 ms instead of
/// its default 1000 ms (`src/options.c` of the bundled v3; the header's comment says 10),
/// which left much of a load's freed memory resident until a later allocation or free of
/// the owning thread, well above what the server's model holds. Measured with
/// `scripts/bench-lsp` on 627k lines (docs/benchmarks.md): settled 108-120 -> 99-100
/// B/line, peak 208-239 -> 136-140 B/line. 0 (immediate) was measured 10-20% slower to
/// index; 1 ms costs indexing about 10% too (each file's freed tree pages are handed back
/// and the next parse faults fresh ones in), a trade for the settled memory target.
/// For the long-running server; call before the work starts.
pub fn purge_freed_pages_soon() {
    // SAFETY: sets one integer option of the allocator; takes no pointers.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, 1) }
    IDLE_KEEP.store(IDLE_TREE_CHUNKS, Ordering::Relaxed);
    if LOADS.load(Ordering::Relaxed) == 0 {
        TREES.keep(IDLE_TREE_CHUNKS);
    }
}

/// Free chunks of the tree region a long-running process keeps resident between loads
/// ([`purge_freed_pages_soon`]): enough for the next file's tree without page faults, little
/// against the model.
const IDLE_TREE_CHUNKS: usize = 0;
/// What the tree region keeps when no load runs: all (the default, for `check`), or
/// [`IDLE_TREE_CHUNKS`] once [`purge_freed_pages_soon`] was called.
static IDLE_KEEP: AtomicUsize = AtomicUsize::new(usize::MAX);
/// Loads running now ([`during_load`]).
static LOADS: AtomicUsize = AtomicUsize::new(0);

/// Runs `f` (a load of many files) with every freed chunk of the tree region kept resident,
/// so that each file's parse reuses the memory the previous tree left, warm. Call
/// [`release_free`] after the load to hand them back.
pub fn during_load<R>(f: impl FnOnce() -> R) -> R {
    struct End;
    impl Drop for End {
        fn drop(&mut self) {
            if LOADS.fetch_sub(1, Ordering::AcqRel) == 1 {
                TREES.keep(IDLE_KEEP.load(Ordering::Relaxed));
            }
        }
    }
    LOADS.fetch_add(1, Ordering::AcqRel);
    TREES.keep(usize::MAX);
    let _end = End;
    f()
}

/// Turns transparent huge pages off for this process. mimalloc asks for them on its
/// arenas (`MADV_HUGEPAGE`), so every first touch of a 2 MiB region zeroes all of it: that
/// was 20% of the CPU of `check` and of the server's indexing (`perf`, docs/benchmarks.md)
/// and about 45 MB of the peak (196 MB -> 149 MB on 628k lines) for memory the analysis
/// never used. Call before the work starts; regions faulted in before keep their pages.
pub fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: `PR_SET_THP_DISABLE` only changes how later page faults of this process are
    // served; it takes no pointers.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Hands the memory freed so far back to the system: on the calling thread and on every
/// thread of rayon's global pool (each mimalloc thread keeps its own free pages, and the
/// pool's threads freed the syntax trees of a load). mimalloc would purge most of it by
/// itself after a delay, but only on a later allocation or free of the owning thread.
pub fn release_free() {
    rayon::broadcast(|_| collect_this_thread());
    collect_this_thread();
    TREES.release();
    log_tree_region();
}

/// Logs (at debug level) how many chunks of the tree region are free and how many were used.
/// When no analysis is running, the two are equal: a chunk that is not free holds a block
/// that outlived the analysis that allocated it (the e2e tests check this after `check`).
pub fn log_tree_region() {
    let (free, used) = TREES.counts();
    tracing::debug!(free, used, "tree region chunks (64 MiB)");
}

/// `mi_collect` covers the calling thread's part of the default heap only: our heaps' parts
/// are collected one by one.
fn collect_this_thread() {
    // SAFETY: `mi_collect` takes no pointers; it only walks the allocator's own state.
    unsafe { mi_collect(true) }
    for slot in &HEAPS {
        let heap = slot.load(Ordering::Acquire);
        if !heap.is_null() {
            // SAFETY: `heap` came from `mi_heap_new` and is never deleted.
            unsafe { mi_heap_collect(heap, true) }
        }
    }
}

thread_local! {
    /// The heap this thread's allocations go to now (see [`in_heap`]).
    // boundary: allow(global-mutable-state) (a global allocator takes no context: the scope of `in_heap` is the handle)
    static CURRENT: Cell<Heap> = const { Cell::new(Heap::Default) };
    /// This thread's chunk of [`TREES`] while it is in [`Heap::Trees`] (its cells change only
    /// inside that scope, like `CURRENT`'s).
    static BUMP: Bump = const { Bump::new() };
}

/// Where [`Heap::Trees`] allocates (see `memory/region.rs`); blocks it refuses (large ones)
/// go to that heap's mimalloc heap.
static TREES: Region = Region::new(64);

/// Where an allocation goes: mimalloc's default heap, the tree region, or the model's heap.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Heap {
    Default,
    /// Syntax trees that live for one analysis: what a parse builds (green nodes and tokens,
    /// the parser's buffers), bump-allocated in the tree region (`memory/region.rs`; blocks
    /// over half a chunk in a mimalloc heap of their own).
    Trees,
    /// What outlives a file's analysis: its summary, as the workspace model keeps it.
    Model,
}

/// The heaps of [`Heap::Trees`] and [`Heap::Model`], created on first use, never deleted.
static HEAPS: [AtomicPtr<c_void>; 2] = [
    AtomicPtr::new(std::ptr::null_mut()),
    AtomicPtr::new(std::ptr::null_mut()),
];

impl Heap {
    /// This heap's mimalloc heap; `None` for the default one (or when creating it failed).
    #[inline]
    fn get(self) -> Option<*mut c_void> {
        let slot = match self {
            Heap::Default => return None,
            Heap::Trees => &HEAPS[0],
            Heap::Model => &HEAPS[1],
        };
        let heap = slot.load(Ordering::Acquire);
        if !heap.is_null() {
            return Some(heap);
        }
        // SAFETY: creates a heap; takes no pointers.
        let new = unsafe { mi_heap_new() };
        if new.is_null() {
            // Out of memory or of thread-local slots: the default heap serves instead.
            return None;
        }
        match slot.compare_exchange(
            std::ptr::null_mut(),
            new,
            Ordering::AcqRel,
            Ordering::Acquire,
        ) {
            Ok(_) => Some(new),
            Err(first) => {
                // SAFETY: `new` came from `mi_heap_new` and holds no blocks.
                unsafe { mi_heap_delete(new) };
                Some(first)
            }
        }
    }
}

/// Runs `f` with the calling thread's allocations in `heap`.
///
/// Why: a file's tree lives from its parse until its summary and findings are made, and what
/// the analysis keeps (the summary) and its temporaries are allocated in between. In one heap
/// they share pages, so when the tree is freed its pages stay partly used, and the next
/// parse allocates from scattered free lists and fresh pages. Measured with `perf` on
/// `check` over the 2.85M-line corpus (2 threads): the allocator's block path took 553
/// samples against 153 for parsing alone, 360 of them under the parser's node allocations;
/// with the trees in their own heap, 288; with the trees in the region (bump allocation,
/// chunks reused warm), the server's page faults while indexing went from 84k to 48k
/// (docs/benchmarks.md). So [`Heap::Trees`] is for a tree that lives for one analysis only: a
/// chunk is reused only once every block in it is freed, so a tree kept across edits (the
/// server's open files) would hold its chunk, with the parse's temporaries, for as long as it
/// lives. [`Heap::Model`] packs what the workspace model keeps, so that the server's settled
/// memory is about what the model holds. Freeing works from any heap, so only where a block
/// is allocated changes.
pub fn in_heap<R>(heap: Heap, f: impl FnOnce() -> R) -> R {
    /// Restores the previous heap, also when `f` panics.
    struct Restore(Heap);
    impl Drop for Restore {
        fn drop(&mut self) {
            // Leaving the tree heap: the chunk this thread bumped in is let go (it becomes
            // free once the tree built in it is dropped).
            if CURRENT.replace(self.0) == Heap::Trees && self.0 != Heap::Trees {
                BUMP.with(|b| TREES.retire(b));
            }
        }
    }
    let _restore = Restore(CURRENT.replace(heap));
    f()
}

/// A value built in the tree region whose blocks are given up all at once when it is dropped,
/// instead of being freed one by one: a syntax tree of `check` (a file's tree is hundreds of
/// thousands of nodes and tokens; walking it to free each one was 5% of `check`'s
/// instructions). Its memory is reused with its chunk's.
///
/// Made by [`Discardable::build`]. When the value's blocks are not all in one chunk of the
/// region (a chunk filled up during the build, or a block was too large for the region), it
/// is dropped the usual way. Debug builds always drop it the usual way too, and check that
/// this freed exactly the blocks counted, so that the tests catch a value that shares blocks
/// with something else.
pub struct Discardable<T> {
    value: std::mem::ManuallyDrop<T>,
    /// The chunk that holds every block the value owns, and their number.
    blocks: Option<(u32, isize)>,
}

impl<T> Discardable<T> {
    /// Builds a value with `f` on this thread, inside [`in_heap`]`(Heap::Trees, ..)`.
    ///
    /// # Safety
    /// Every block of the tree region that `f` allocates and does not free is owned by its
    /// result, and by nothing else: no handle into the value (a reference-counted clone of
    /// one of its parts) may outlive it, and `f` creates nothing else that does (a lazily
    /// built global, a thread-local, a log subscriber's span data). The value's drop must
    /// only free memory. A block counted here but still used elsewhere would be reused with
    /// its chunk (use after free); a block used here but not counted only keeps the chunk.
    pub unsafe fn build(f: impl FnOnce() -> T) -> Discardable<T> {
        debug_assert_eq!(CURRENT.get(), Heap::Trees);
        let before = BUMP.with(Region::mark);
        let value = f();
        let after = BUMP.with(Region::mark);
        Discardable {
            value: std::mem::ManuallyDrop::new(value),
            blocks: Region::blocks_between(before, after),
        }
    }

    /// A value dropped the usual way.
    pub fn kept(value: T) -> Discardable<T> {
        Discardable {
            value: std::mem::ManuallyDrop::new(value),
            blocks: None,
        }
    }

    /// Whether dropping it gives its blocks up at once.
    pub fn is_discarded_whole(&self) -> bool {
        self.blocks.is_some()
    }

    /// Gives the blocks up without reading them (the release builds' drop).
    fn discard(&mut self, chunk: u32, n: isize) {
        BUMP.with(|b| TREES.discount(b, chunk, n));
    }
}

impl<T> Discardable<Option<T>> {
    /// The value inside, given up at once as this one would have been; `None` when there is
    /// none.
    pub fn transpose(this: Self) -> Option<Discardable<T>> {
        let mut this = std::mem::ManuallyDrop::new(this);
        // SAFETY: `this` is never dropped (`ManuallyDrop`), so its value is taken once.
        let value = unsafe { std::mem::ManuallyDrop::take(&mut this.value) };
        let blocks = this.blocks;
        value.map(|value| Discardable {
            value: std::mem::ManuallyDrop::new(value),
            blocks,
        })
    }
}

impl<T> std::ops::Deref for Discardable<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T> Drop for Discardable<T> {
    fn drop(&mut self) {
        match self.blocks {
            Some((chunk, n)) if !cfg!(debug_assertions) => self.discard(chunk, n),
            Some((chunk, n)) => {
                // Checked where nothing else can change the count: in this thread's current
                // chunk (blocks only this thread allocated; a retired chunk could be reused
                // by another thread as soon as it is free).
                let live = || BUMP.with(|b| TREES.live(b, chunk));
                let before = live();
                // SAFETY: dropped once, here; `value` is not used after.
                unsafe { std::mem::ManuallyDrop::drop(&mut self.value) };
                if let (Some(before), Some(after)) = (before, live()) {
                    assert_eq!(
                        before - after,
                        n,
                        "a discardable value owned blocks shared with something else"
                    );
                }
            }
            // SAFETY: dropped once, here; `value` is not used after.
            None => unsafe { std::mem::ManuallyDrop::drop(&mut self.value) },
        }
    }
}

/// The global allocator: mimalloc (glibc's free path was 15% of `check`, callgrind,
/// docs/benchmarks.md), with heaps of our own chosen by [`in_heap`].
pub struct Allocator;

impl Allocator {
    #[inline]
    fn heap() -> Option<*mut c_void> {
        CURRENT.get().get()
    }
}

// SAFETY: blocks of the tree region come from `Region::alloc`, which honours the layout's
// size and alignment and hands out disjoint blocks until they are freed; `dealloc` and
// `realloc` tell them apart by address (`Region::contains`) and free them there once. Every
// other call forwards to mimalloc, which meets `GlobalAlloc`'s contract for blocks of any of
// its heaps: the `*_aligned` functions honour `layout.align()`, and `mi_free` (behind
// `MiMalloc::dealloc`) and `mi_heap_realloc_aligned` accept a block of any heap.
unsafe impl GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if CURRENT.get() == Heap::Trees {
            if let Some(p) = BUMP.with(|b| TREES.alloc(b, layout.size(), layout.align())) {
                return p;
            }
        }
        match Self::heap() {
            Some(h) => mi_heap_malloc_aligned(h, layout.size(), layout.align()).cast(),
            None => mimalloc::MiMalloc.alloc(layout),
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if CURRENT.get() == Heap::Trees {
            if let Some(p) = BUMP.with(|b| TREES.alloc(b, layout.size(), layout.align())) {
                // A chunk is reused as it was left.
                std::ptr::write_bytes(p, 0, layout.size());
                return p;
            }
        }
        match Self::heap() {
            Some(h) => mi_heap_zalloc_aligned(h, layout.size(), layout.align()).cast(),
            None => mimalloc::MiMalloc.alloc_zeroed(layout),
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if TREES.contains(ptr) {
            BUMP.with(|b| TREES.free(b, ptr))
        } else {
            mimalloc::MiMalloc.dealloc(ptr, layout)
        }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if TREES.contains(ptr) {
            if CURRENT.get() == Heap::Trees
                && BUMP.with(|b| TREES.resize_in_place(b, ptr, layout.size(), new_size))
            {
                return ptr;
            }
            // Moved: to the region or the heap in force, as a new block would be.
            let new = self.alloc(Layout::from_size_align_unchecked(new_size, layout.align()));
            if !new.is_null() {
                std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                BUMP.with(|b| TREES.free(b, ptr));
            }
            return new;
        }
        match Self::heap() {
            Some(h) => mi_heap_realloc_aligned(h, ptr.cast(), new_size, layout.align()).cast(),
            None => mimalloc::MiMalloc.realloc(ptr, layout, new_size),
        }
    }
}

#[cfg(test)]
mod tests {
    /// The index is mimalloc's purge delay: its default in the bundled v3 is 1000 (ms,
    /// `src/options.c`), which the options around it (commit and NUMA settings, 0-2) do
    /// not have. Nothing in the lib tests sets it (the server does, at start).
    #[test]
    fn the_purge_delay_index_names_the_purge_delay() {
        // SAFETY: reads one integer option of the allocator.
        let delay = unsafe { super::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        assert_eq!(delay, 1000);
    }

    use super::{in_heap, Heap};

    /// Which of our heaps holds the block at `p` (`Default`: neither).
    fn heap_of<T>(p: *const T) -> Heap {
        if super::TREES.contains(p.cast()) {
            return Heap::Trees;
        }
        for (heap, slot) in [Heap::Trees, Heap::Model].into_iter().zip(&super::HEAPS) {
            let h = slot.load(super::Ordering::Acquire);
            // SAFETY: `h` is null or a heap from `mi_heap_new`; `p` is only compared.
            if !h.is_null() && unsafe { super::mi_heap_contains(h, p.cast()) } {
                return heap;
            }
        }
        Heap::Default
    }

    /// Blocks of this thread's current chunk not freed yet.
    fn live_here() -> isize {
        super::BUMP
            .with(|b| super::TREES.live(b, b.chunk()))
            .unwrap()
    }

    #[test]
    fn a_discardable_value_gives_its_blocks_up_at_once() {
        use super::Discardable;
        std::thread::spawn(|| {
            in_heap(Heap::Trees, || {
                let _first = Box::new([1u8; 16]); // takes a chunk
                let base = live_here();
                // SAFETY: the vectors are owned by the value alone.
                let mut d = unsafe {
                    Discardable::build(|| {
                        let scratch = vec![0u64; 64]; // freed inside: not counted
                        drop(scratch);
                        (0..100).map(|i| vec![i as u8; 8]).collect::<Vec<_>>()
                    })
                };
                assert!(d.is_discarded_whole());
                assert_eq!(d.len(), 100);
                assert_eq!(live_here(), base + 101);
                // What the release builds' drop does: no block is read or freed one by one.
                let (chunk, n) = d.blocks.unwrap();
                d.discard(chunk, n);
                std::mem::forget(d);
                assert_eq!(live_here(), base);
                // Dropped the usual way (what debug builds do, checking the count).
                let d = unsafe { Discardable::build(|| vec![vec![1u8; 4]; 10]) };
                drop(d);
                assert_eq!(live_here(), base);
                // A block too large for the region went to mimalloc: dropped the usual way.
                let big = super::region::LARGE + 1;
                let d = unsafe { Discardable::build(|| vec![0u8; big]) };
                assert!(!d.is_discarded_whole());
                drop(d);
                // `transpose` keeps the count; no value, no blocks.
                let d = unsafe { Discardable::build(|| Some(vec![2u8; 8])) };
                let d = Discardable::transpose(d).unwrap();
                assert!(d.is_discarded_whole());
                drop(d);
                assert_eq!(live_here(), base);
                assert!(
                    Discardable::transpose(unsafe { Discardable::build(|| None::<u8>) }).is_none()
                );
            })
        })
        .join()
        .unwrap();
    }

    /// The debug check: a value whose blocks are shared with something that outlives it
    /// (what `Discardable::build`'s contract forbids) is caught when it is dropped.
    #[cfg(debug_assertions)]
    #[test]
    fn dropping_a_discardable_value_checks_the_count_in_debug_builds() {
        use std::rc::Rc;
        std::thread::spawn(|| {
            in_heap(Heap::Trees, || {
                let _first = Box::new([1u8; 16]);
                // SAFETY: not kept: the clone below breaks the contract on purpose, and this
                // debug build frees the blocks the usual way.
                let d = unsafe { super::Discardable::build(|| Rc::new(vec![3u8; 8])) };
                let shared = Rc::clone(&d);
                let dropped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(d)));
                assert!(dropped.is_err());
                assert_eq!(*shared, vec![3u8; 8]);
            })
        })
        .join()
        .unwrap();
    }

    #[test]
    fn allocations_go_to_the_heap_in_force_and_nest() {
        let outside = Box::new([1u8; 100]);
        let (trees, model, back) = in_heap(Heap::Trees, || {
            let trees = Box::new([2u8; 100]);
            let model = in_heap(Heap::Model, || vec![3u64; 50]);
            // Left the inner call: the outer heap again.
            (trees, model, Box::new([4u8; 100]))
        });
        assert_eq!(heap_of(outside.as_ptr()), Heap::Default);
        assert_eq!(heap_of(trees.as_ptr()), Heap::Trees);
        assert_eq!(heap_of(model.as_ptr()), Heap::Model);
        assert_eq!(heap_of(back.as_ptr()), Heap::Trees);
        let after = Box::new([5u8; 100]);
        assert_eq!(heap_of(after.as_ptr()), Heap::Default);
    }

    #[test]
    fn a_panic_inside_restores_the_previous_heap() {
        let caught = std::panic::catch_unwind(|| in_heap(Heap::Trees, || panic!("inside")));
        assert!(caught.is_err());
        let after = Box::new([0u8; 64]);
        assert_eq!(heap_of(after.as_ptr()), Heap::Default);
    }

    #[test]
    fn blocks_of_our_heaps_are_aligned_grown_and_freed_anywhere() {
        #[repr(align(256))]
        struct Aligned([u8; 300]);
        let (aligned, mut grown, zeroed) = in_heap(Heap::Model, || {
            let zeroed = vec![0u32; 10_000];
            (Box::new(Aligned([7; 300])), vec![1u8; 16], zeroed)
        });
        assert_eq!(aligned.as_ref() as *const Aligned as usize % 256, 0);
        assert_eq!(heap_of(aligned.0.as_ptr()), Heap::Model);
        assert!(zeroed.iter().all(|&x| x == 0));
        // Grown outside: the block moves to the default heap, its contents kept.
        grown.extend(std::iter::repeat_n(2u8, 100_000));
        assert_eq!((grown[15], grown[16], grown.len()), (1, 2, 100_016));
        assert_eq!(heap_of(grown.as_ptr()), Heap::Default);
        // Freed on another thread than the one that allocated them.
        std::thread::spawn(move || drop((aligned, grown, zeroed)))
            .join()
            .unwrap();
    }

    #[test]
    fn tree_blocks_grow_in_place_move_out_and_are_freed_anywhere() {
        let (mut v, large, zeroed) = in_heap(Heap::Trees, || {
            let mut v: Vec<u32> = Vec::with_capacity(4);
            let first = v.as_ptr();
            v.extend(0..1000);
            // The last block of the chunk grew where it was.
            assert_eq!(v.as_ptr(), first);
            let large = vec![7u8; super::region::LARGE + 1];
            let zeroed = vec![0u64; 1000];
            (v, large, zeroed)
        });
        assert_eq!(heap_of(v.as_ptr()), Heap::Trees);
        assert!(super::TREES.contains(v.as_ptr().cast()));
        // Too large for the region: mimalloc's tree heap.
        assert!(!super::TREES.contains(large.as_ptr()));
        assert_eq!(heap_of(large.as_ptr()), Heap::Trees);
        assert!(zeroed.iter().all(|&x| x == 0));
        // Grown outside the scope: moved to the default heap, contents kept.
        v.extend(1000..100_000);
        assert_eq!(heap_of(v.as_ptr()), Heap::Default);
        assert!(v.iter().copied().eq(0..100_000));
        std::thread::spawn(move || drop((v, large, zeroed)))
            .join()
            .unwrap();
        // A dirty reused chunk still gives zeroed blocks.
        for _ in 0..3 {
            let z = in_heap(Heap::Trees, || {
                drop(vec![0xFFu8; 50_000]);
                vec![0u8; 50_000]
            });
            assert!(z.iter().all(|&x| x == 0));
        }
    }

    #[test]
    fn a_parse_in_the_tree_heap_builds_its_tree_in_the_region() {
        use crate::analysis::syntax::{parse, AstNode, Edition};
        let text = "fn f(a: u32) -> u32 { let b = a + 1; b * 2 }\n".repeat(2000);
        let outside = parse(&text, Edition::E2021);
        let inside = in_heap(Heap::Trees, || parse(&text, Edition::E2021));
        let node = |p: &crate::analysis::syntax::Parsed| {
            let root = p.tree().syntax().clone();
            let first_fn = root.first_child().unwrap();
            std::ptr::from_ref(first_fn.green()).cast::<u8>()
        };
        assert!(!super::TREES.contains(node(&outside)));
        assert!(super::TREES.contains(node(&inside)));
        assert_eq!(inside.tree().syntax().to_string(), text);
        drop(inside);
        super::release_free();
    }
}
