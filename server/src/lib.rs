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
