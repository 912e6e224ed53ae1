//! boundary-lsp: a language server and CLI that reviews the design of Rust code.
//!
//! - [`analysis`]: the pure analysis core (rules, workspace model, config).
//! - [`cli`]: the `check`, `rules` commands and output formats.
//! - [`lsp`]: the language server.

pub mod analysis;
pub mod cli;
pub mod lsp;

/// mimalloc instead of glibc's malloc for every binary, test and bench of the crate: the
/// analysis allocates and frees many small objects (syntax nodes while walking, summaries, rule
/// strings), and glibc's free path was 15% of `check` (callgrind, docs/benchmarks.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Process-wide memory settings and hand-back, for the allocator above.
pub mod memory {
    extern "C" {
        /// mimalloc's own API (in the library the `mimalloc` crate links; the crate exposes it
        /// only with its `extended` feature): frees what the calling thread's heap holds
        /// empty and, with `force`, purges the freed pages back to the system at once.
        fn mi_collect(force: bool);
        /// mimalloc's option setter and getter (`mi_option_t` is a C enum: an `int`).
        fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
        #[cfg(test)]
        fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
    }

    /// `mi_option_purge_delay` in the `mi_option_t` of the mimalloc version the `mimalloc`
    /// crate builds (v3, `c_src/mimalloc/v3/include/mimalloc.h` of `libmimalloc-sys` 0.1.49;
    /// check it again when bumping that crate).
    const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

    /// Makes mimalloc hand pages that became free back to the system after 1 ms instead of
    /// its default 1000 ms (`src/options.c` of the bundled v3; the header's comment says 10),
    /// which left much of a load's freed memory resident until a later allocation or free of
    /// the owning thread, well above what the server's model holds. Measured with `scripts/bench-lsp` on 627k lines
    /// (docs/benchmarks.md): settled 108-120 -> 99-100 B/line, peak 208-239 -> 136-140
    /// B/line, cold indexing no slower. 0 (immediate) was measured 10-20% slower to index.
    /// For the long-running server; call before the work starts.
    pub fn purge_freed_pages_soon() {
        // SAFETY: sets one integer option of the allocator; takes no pointers.
        unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, 1) }
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
        rayon::broadcast(|_| {
            // SAFETY: `mi_collect` takes no pointers; it only walks the allocator's own state.
            unsafe { mi_collect(true) }
        });
        // SAFETY: as above.
        unsafe { mi_collect(true) }
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
    }
}
