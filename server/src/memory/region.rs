//! The allocator behind [`super::Heap::Trees`]: syntax trees that live for one analysis are
//! bump-allocated in chunks of a reserved address range, and a chunk is reused as a whole
//! once every block in it is freed.
//!
//! Why not a mimalloc heap: a file's tree is freed all at once when its analysis ends. In a
//! mimalloc heap its pages then became free, the server's 1 ms purge handed them back to the
//! system, and the next file's parse faulted fresh ones in (page faults, zeroing and
//! `madvise` were 21% of the server's CPU while indexing, against 9% for `check`, which does
//! not purge; `perf`, docs/benchmarks.md). Without the purge, mimalloc spread the trees over
//! twice the memory. Here a freed chunk goes to a free list and the next parse on any thread
//! takes it back warm, without a system call; the free chunks are handed back when the
//! caller asks ([`Region::release`]) or, outside a load, beyond a few kept ones.
//!
//! The protocol: a thread inside [`super::in_heap`]`(Trees, ..)` owns one current chunk and
//! bumps a pointer in it, counting its allocations in a thread-local; frees (from any thread)
//! decrement the chunk's shared counter. When the scope ends, or the chunk is full, the owner
//! retires the chunk: it adds its count and [`RETIRED`] to the shared counter. The counter
//! then reads `RETIRED + live blocks`, and whoever brings it to exactly `RETIRED` (the last
//! free, or the retirement itself when nothing is live) pushes the chunk to the free list.
//! Blocks larger than [`LARGE`] (the parser's buffers of big files) are not served here: the
//! caller falls back to mimalloc.

use std::cell::Cell;
use std::sync::atomic::{AtomicIsize, AtomicU32, AtomicUsize, Ordering};
use std::sync::{Mutex, Once};

/// log2 of the chunk size (64 MiB of address space: only what a parse touches becomes
/// resident; large enough for the parser's buffers of a file of 1 MB).
const CHUNK_SHIFT: u32 = 26;
const CHUNK: usize = 1 << CHUNK_SHIFT;
/// Chunks of a region at most (the global one: 4 GiB of address space, reserved without
/// memory behind it).
const MAX_CHUNKS: usize = 64;
/// Blocks above this size, or aligned to more than a page, are left to mimalloc.
pub(super) const LARGE: usize = CHUNK / 2;
const MAX_ALIGN: usize = 4096;
/// Added to a chunk's counter when its owner lets it go (far above any block count).
const RETIRED: isize = 1 << 40;
/// No chunk (the end of the free list, or no current chunk).
const NONE: u32 = u32::MAX;

/// A reserved address range cut into chunks, with each chunk's counter and the free list.
pub(super) struct Region {
    /// Start of the reserved range; `len` is 0 until it is reserved (and if that failed).
    base: AtomicUsize,
    len: AtomicUsize,
    /// The reservation, tried once (`len` says whether it succeeded).
    reserving: Once,
    chunks: usize,
    /// Chunks never used yet start here.
    fresh: AtomicUsize,
    /// Per chunk: `-frees` while a thread owns it, `RETIRED + live blocks` after.
    counters: [AtomicIsize; MAX_CHUNKS],
    /// Per chunk on the free list: the next one.
    next: [AtomicU32; MAX_CHUNKS],
    free: Mutex<FreeList>,
    /// How many free chunks stay resident ([`Region::keep`]); more are handed back as they
    /// become free.
    keep: AtomicUsize,
}

struct FreeList {
    head: u32,
    len: usize,
}

/// A thread's current chunk in a region (the global one's is a thread-local).
pub(super) struct Bump {
    ptr: Cell<usize>,
    end: Cell<usize>,
    chunk: Cell<u32>,
    /// Allocations made in `chunk` since this thread took it.
    allocs: Cell<isize>,
    /// Chunks taken so far, and blocks refused (see [`Region::mark`]).
    refills: Cell<u32>,
    refused: Cell<u32>,
}

/// Where a thread's bump stood at one moment (see [`Region::blocks_between`]).
#[derive(Clone, Copy, Debug)]
pub(super) struct Mark {
    refills: u32,
    refused: u32,
    chunk: u32,
    allocs: isize,
}

impl Bump {
    pub(super) const fn new() -> Self {
        Self {
            ptr: Cell::new(0),
            end: Cell::new(0),
            chunk: Cell::new(NONE),
            allocs: Cell::new(0),
            refills: Cell::new(0),
            refused: Cell::new(0),
        }
    }
}

#[cfg(test)]
impl Bump {
    /// The chunk this bump allocates in (`NONE` without one).
    pub(super) fn chunk(&self) -> u32 {
        self.chunk.get()
    }
}

impl Region {
    pub(super) const fn new(chunks: usize) -> Self {
        assert!(chunks <= MAX_CHUNKS);
        Self {
            base: AtomicUsize::new(0),
            len: AtomicUsize::new(0),
            reserving: Once::new(),
            chunks,
            fresh: AtomicUsize::new(0),
            counters: [const { AtomicIsize::new(0) }; MAX_CHUNKS],
            next: [const { AtomicU32::new(NONE) }; MAX_CHUNKS],
            free: Mutex::new(FreeList { head: NONE, len: 0 }),
            keep: AtomicUsize::new(usize::MAX),
        }
    }

    /// Whether `p` is a block of this region.
    #[inline]
    pub(super) fn contains(&self, p: *const u8) -> bool {
        (p as usize).wrapping_sub(self.base.load(Ordering::Acquire))
            < self.len.load(Ordering::Acquire)
    }

    /// A block of `size` bytes aligned to `align` in `bump`'s chunk; `None` when the block is
    /// too large, or no memory could be had (the caller falls back to mimalloc).
    ///
    /// # Safety
    /// `bump` is used by the calling thread only, with this region only; `align` is a power of
    /// two (as a `Layout`'s is).
    #[inline]
    pub(super) unsafe fn alloc(&self, bump: &Bump, size: usize, align: usize) -> Option<*mut u8> {
        if size > LARGE || align > MAX_ALIGN {
            bump.refused.set(bump.refused.get().wrapping_add(1));
            return None;
        }
        // `Layout` alignments are powers of two: a mask, not `next_multiple_of`'s division
        // (which the compiler cannot drop for an alignment known only at run time).
        let up = |p: usize| (p + align - 1) & !(align - 1);
        let mut p = up(bump.ptr.get());
        if bump.chunk.get() == NONE || p + size > bump.end.get() {
            if self.refill(bump).is_none() {
                bump.refused.set(bump.refused.get().wrapping_add(1));
                return None;
            }
            p = up(bump.ptr.get());
        }
        bump.ptr.set(p + size);
        bump.allocs.set(bump.allocs.get() + 1);
        Some(p as *mut u8)
    }

    /// Grows or shrinks `p` in place when it is the last block of `bump`'s chunk and the new
    /// size fits; `false` otherwise (the caller moves the block).
    #[inline]
    pub(super) fn resize_in_place(&self, bump: &Bump, p: *mut u8, old: usize, new: usize) -> bool {
        let p = p as usize;
        // In this thread's chunk (a block of the chunk below could end where it starts), and
        // the last block in it.
        if bump.chunk.get() != NONE
            && p >= bump.end.get() - CHUNK
            && p + old == bump.ptr.get()
            && new <= LARGE
            && p + new <= bump.end.get()
        {
            bump.ptr.set(p + new);
            return true;
        }
        false
    }

    /// Frees a block of this region (from any thread; `bump` is the calling thread's).
    #[inline]
    pub(super) fn free(&self, bump: &Bump, p: *mut u8) {
        let i = ((p as usize) - self.base.load(Ordering::Acquire)) >> CHUNK_SHIFT;
        // A block of the chunk this thread still bumps in (a tree dropped before the end of
        // the scope that built it): counted down locally, like the allocations it balances.
        if bump.chunk.get() as usize == i {
            bump.allocs.set(bump.allocs.get() - 1);
            return;
        }
        if self.counters[i].fetch_sub(1, Ordering::AcqRel) == RETIRED + 1 {
            self.push_free(i as u32);
        }
    }

    /// Where `bump` stands now.
    pub(super) fn mark(bump: &Bump) -> Mark {
        Mark {
            refills: bump.refills.get(),
            refused: bump.refused.get(),
            chunk: bump.chunk.get(),
            allocs: bump.allocs.get(),
        }
    }

    /// The blocks `bump` allocated between `a` and `b` and has not freed, when they are all
    /// in one chunk: `Some((chunk, count))`. `None` when a chunk was taken in between after
    /// another one (the blocks may be in two chunks) or a block was refused (it went to
    /// mimalloc).
    pub(super) fn blocks_between(a: Mark, b: Mark) -> Option<(u32, isize)> {
        if b.refused != a.refused || b.chunk == NONE {
            return None;
        }
        if b.refills == a.refills && b.chunk == a.chunk {
            return Some((b.chunk, b.allocs - a.allocs));
        }
        // The chunk was taken in between, with nothing held before it.
        (a.chunk == NONE && b.refills == a.refills.wrapping_add(1)).then_some((b.chunk, b.allocs))
    }

    /// Frees `n` blocks of chunk `i` at once, without reading them (the caller gives up
    /// their memory as it is; see `memory::Discardable`).
    pub(super) fn discount(&self, bump: &Bump, i: u32, n: isize) {
        if bump.chunk.get() == i {
            bump.allocs.set(bump.allocs.get() - n);
            return;
        }
        if self.counters[i as usize].fetch_sub(n, Ordering::AcqRel) == RETIRED + n {
            self.push_free(i);
        }
    }

    /// The blocks of chunk `i` not freed yet, when it is `bump`'s current chunk (`bump`'s
    /// allocations in it, less the frees from other threads); `None` otherwise.
    pub(super) fn live(&self, bump: &Bump, i: u32) -> Option<isize> {
        (i != NONE && bump.chunk.get() == i)
            .then(|| bump.allocs.get() + self.counters[i as usize].load(Ordering::Acquire))
    }

    /// Lets go of `bump`'s chunk (at the end of a scope, or when it is full).
    pub(super) fn retire(&self, bump: &Bump) {
        let i = bump.chunk.replace(NONE);
        if i == NONE {
            return;
        }
        let add = bump.allocs.replace(0) + RETIRED;
        if self.counters[i as usize].fetch_add(add, Ordering::AcqRel) + add == RETIRED {
            self.push_free(i);
        }
        bump.ptr.set(0);
        bump.end.set(0);
    }

    /// A new chunk for `bump`: a free one (most recently freed first: still in cache), else a
    /// fresh one of the reserved range.
    #[cold]
    fn refill(&self, bump: &Bump) -> Option<()> {
        self.retire(bump);
        bump.refills.set(bump.refills.get().wrapping_add(1));
        let i = match self.pop_free() {
            Some(i) => i,
            None => self.take_fresh()?,
        };
        // Nobody else holds a block of a free chunk, so nobody else touches its counter.
        self.counters[i as usize].store(0, Ordering::Relaxed);
        let start = self.base.load(Ordering::Acquire) + ((i as usize) << CHUNK_SHIFT);
        bump.chunk.set(i);
        bump.ptr.set(start);
        bump.end.set(start + CHUNK);
        Some(())
    }

    fn take_fresh(&self) -> Option<u32> {
        if self.len.load(Ordering::Acquire) == 0 {
            self.reserve()?;
        }
        let i = self.fresh.fetch_add(1, Ordering::Relaxed);
        if i >= self.chunks {
            return None;
        }
        let start = self.base.load(Ordering::Acquire) + (i << CHUNK_SHIFT);
        // SAFETY: the chunk lies inside the range this region reserved; nothing uses it yet.
        let ok = unsafe {
            libc::mprotect(
                start as *mut libc::c_void,
                CHUNK,
                libc::PROT_READ | libc::PROT_WRITE,
            ) == 0
        };
        ok.then_some(i as u32)
    }

    /// Reserves the address range (no memory behind it until a chunk is first used).
    #[cold]
    fn reserve(&self) -> Option<()> {
        self.reserving.call_once(|| {
            let len = self.chunks << CHUNK_SHIFT;
            // SAFETY: a new private anonymous mapping; no existing memory is touched.
            let p = unsafe {
                libc::mmap(
                    std::ptr::null_mut(),
                    len,
                    libc::PROT_NONE,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                    -1,
                    0,
                )
            };
            if p != libc::MAP_FAILED {
                self.base.store(p as usize, Ordering::Release);
                self.len.store(len, Ordering::Release);
            }
        });
        (self.len.load(Ordering::Acquire) != 0).then_some(())
    }

    fn push_free(&self, i: u32) {
        let mut free = lock(&self.free);
        if free.len >= self.keep.load(Ordering::Relaxed) {
            drop(free);
            self.hand_back(i);
            free = lock(&self.free);
        }
        self.next[i as usize].store(free.head, Ordering::Relaxed);
        free.head = i;
        free.len += 1;
    }

    fn pop_free(&self) -> Option<u32> {
        let mut free = lock(&self.free);
        let i = free.head;
        if i == NONE {
            return None;
        }
        free.head = self.next[i as usize].load(Ordering::Relaxed);
        free.len -= 1;
        Some(i)
    }

    /// Gives a free chunk's memory back to the system (it reads as zeros when used again).
    fn hand_back(&self, i: u32) {
        let start = self.base.load(Ordering::Acquire) + ((i as usize) << CHUNK_SHIFT);
        // SAFETY: the chunk is free: no block in it is live, and only its holder (the caller)
        // may use it until it is pushed to the free list again.
        unsafe {
            libc::madvise(start as *mut libc::c_void, CHUNK, libc::MADV_DONTNEED);
        }
    }

    /// Hands every free chunk back to the system.
    pub(super) fn release(&self) {
        let (mut i, len) = {
            let mut free = lock(&self.free);
            let head = std::mem::replace(&mut free.head, NONE);
            (head, std::mem::replace(&mut free.len, 0))
        };
        let (first, mut last) = (i, NONE);
        while i != NONE {
            self.hand_back(i);
            last = i;
            i = self.next[i as usize].load(Ordering::Relaxed);
        }
        if first != NONE {
            let mut free = lock(&self.free);
            self.next[last as usize].store(free.head, Ordering::Relaxed);
            free.head = first;
            free.len += len;
        }
    }

    /// How many free chunks stay resident; more are handed back as they become free.
    pub(super) fn keep(&self, chunks: usize) {
        self.keep.store(chunks, Ordering::Relaxed);
    }

    /// Free chunks, and chunks used so far.
    pub(super) fn counts(&self) -> (usize, usize) {
        (
            lock(&self.free).len,
            self.fresh.load(Ordering::Relaxed).min(self.chunks),
        )
    }
}

impl Drop for Region {
    fn drop(&mut self) {
        let len = *self.len.get_mut();
        if len != 0 {
            // SAFETY: the range was mapped by `reserve` and, the region being dropped, no block
            // of it is used any more.
            unsafe { libc::munmap(*self.base.get_mut() as *mut libc::c_void, len) };
        }
    }
}

/// The lock, also after a panic elsewhere poisoned it (nothing here panics while holding it).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region() -> Box<Region> {
        Box::new(Region::new(8))
    }

    /// A block of `r` from `bump` (which the calling test uses with `r` only).
    fn block(r: &Region, bump: &Bump, size: usize, align: usize) -> *mut u8 {
        // SAFETY: each test's `bump` lives on its own thread and serves one region.
        unsafe { r.alloc(bump, size, align).unwrap() }
    }

    fn counter(r: &Region, p: *mut u8) -> isize {
        let i = ((p as usize) - r.base.load(Ordering::Acquire)) >> CHUNK_SHIFT;
        r.counters[i].load(Ordering::Relaxed)
    }

    #[test]
    fn a_chunk_is_free_once_retired_and_every_block_freed() {
        let r = region();
        let bump = Bump::new();
        let (a, b) = (block(&r, &bump, 100, 8), block(&r, &bump, 24, 16));
        let c = block(&r, &bump, 8, 8);
        assert!(r.contains(a) && r.contains(b));
        assert_eq!(b as usize % 16, 0);
        assert_eq!(b as usize, (a as usize + 100).next_multiple_of(16));
        // Freed by the owner: counted locally.
        r.free(&bump, a);
        assert_eq!(counter(&r, b), 0);
        // Freed on another thread while still owned: the counter holds those frees.
        let c = c as usize;
        std::thread::scope(|s| {
            s.spawn(|| r.free(&Bump::new(), c as *mut u8));
        });
        assert_eq!(counter(&r, b), -1);
        r.retire(&bump);
        assert_eq!(counter(&r, b), RETIRED + 1);
        assert_eq!(r.counts(), (0, 1));
        // The last block freed on another thread frees the chunk.
        let b = b as usize;
        std::thread::scope(|s| {
            s.spawn(|| r.free(&Bump::new(), b as *mut u8));
        });
        assert_eq!(r.counts(), (1, 1));
        // The next scope takes it back instead of a fresh one.
        let c = block(&r, &bump, 8, 8);
        assert_eq!(c as usize, a as usize);
        assert_eq!(r.counts(), (0, 1));
    }

    #[test]
    fn retiring_with_nothing_live_frees_the_chunk_at_once() {
        let r = region();
        let bump = Bump::new();
        let a = block(&r, &bump, 64, 8);
        r.free(&bump, a);
        r.retire(&bump);
        assert_eq!(r.counts(), (1, 1));
        // Retiring twice (no current chunk) does nothing.
        r.retire(&bump);
        assert_eq!(r.counts(), (1, 1));
    }

    #[test]
    fn a_full_chunk_is_retired_and_large_or_overaligned_blocks_are_refused() {
        let r = region();
        let bump = Bump::new();
        // SAFETY: `bump` is this thread's, used with `r` only.
        unsafe {
            assert!(r.alloc(&bump, LARGE + 1, 8).is_none());
            assert!(r.alloc(&bump, 8, 2 * MAX_ALIGN).is_none());
            let per = (CHUNK / LARGE) as isize;
            let blocks: Vec<_> = (0..=per)
                .map(|_| r.alloc(&bump, LARGE, 8).unwrap())
                .collect();
            // `per` blocks fill the first chunk; the next one starts the second.
            assert_eq!(r.counts(), (0, 2));
            assert_eq!(blocks[per as usize] as usize - blocks[0] as usize, CHUNK);
            assert_eq!(counter(&r, blocks[0]), RETIRED + per);
            // Memory is writable at both ends.
            for &b in &blocks {
                std::ptr::write_bytes(b, 0xAB, 4096);
                std::ptr::write_bytes(b.add(LARGE - 4096), 0xAB, 4096);
            }
            for b in blocks {
                r.free(&bump, b);
            }
            r.retire(&bump);
        }
        assert_eq!(r.counts(), (2, 2));
    }

    #[test]
    fn the_last_block_grows_and_shrinks_in_place_others_do_not() {
        let r = region();
        let bump = Bump::new();
        let (a, b) = (block(&r, &bump, 16, 8), block(&r, &bump, 16, 8));
        assert!(!r.resize_in_place(&bump, a, 16, 32));
        assert!(r.resize_in_place(&bump, b, 16, 4096));
        assert!(r.resize_in_place(&bump, b, 4096, 8));
        assert!(!r.resize_in_place(&bump, b, 8, LARGE + 1));
        let c = block(&r, &bump, 8, 8);
        assert_eq!(c as usize, b as usize + 8);
    }

    #[test]
    fn free_chunks_beyond_the_kept_number_and_released_ones_read_as_zeros() {
        let r = region();
        let bump = Bump::new();
        // SAFETY: `bump` is this thread's, used with `r` only; every block is written within
        // its size and freed once.
        unsafe {
            let a = r.alloc(&bump, 4096, 8).unwrap();
            std::ptr::write_bytes(a, 0xCD, 4096);
            r.free(&bump, a);
            r.retire(&bump);
            r.release();
            assert_eq!(r.counts(), (1, 1));
            let b = r.alloc(&bump, 4096, 8).unwrap();
            assert_eq!(b, a);
            assert!(std::slice::from_raw_parts(b, 4096).iter().all(|&x| x == 0));
            std::ptr::write_bytes(b, 0xCD, 4096);
            r.free(&bump, b);
            r.keep(0);
            r.retire(&bump);
            // Handed back as it became free, and still on the list for reuse.
            assert_eq!(r.counts(), (1, 1));
            let c = r.alloc(&bump, 4096, 8).unwrap();
            assert!(std::slice::from_raw_parts(c, 4096).iter().all(|&x| x == 0));
        }
    }

    #[test]
    fn an_exhausted_region_refuses() {
        let r = Box::new(Region::new(1));
        let bump = Bump::new();
        // SAFETY: `bump` is this thread's, used with `r` only.
        unsafe {
            for _ in 0..CHUNK / LARGE {
                assert!(r.alloc(&bump, LARGE, 8).is_some());
            }
            // The only chunk is full and still has live blocks.
            assert!(r.alloc(&bump, 8, 8).is_none());
        }
    }
}
