//! boundary-lsp: a language server and CLI that reviews the design of Rust code.
//!
//! - [`analysis`]: the pure analysis core (rules, workspace model, config).
//! - [`cli`]: the `check`, `rules` commands and output formats.
//! - [`lsp`]: the language server.

pub mod analysis;
pub mod cli;
pub mod lsp;

/// For every binary, test and bench of the crate (see [`memory::Allocator`]).
#[global_allocator]
static GLOBAL: memory::Allocator = memory::Allocator;

pub mod memory;
