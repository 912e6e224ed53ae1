//! The analysis core: source text and the workspace model in, findings and fixes out.
//!
//! Nothing here knows about the LSP or the command line; both are thin adapters over this
//! module. Only `loader` touches the file system.

pub mod baseline;
pub mod cfg;
pub mod config;
pub mod engine;
pub mod fix;
#[cfg(test)]
pub mod fixture;
pub mod graph;
pub mod heap;
pub mod incremental;
pub mod line_index;
pub mod loader;
pub mod model;
pub mod resolve;
pub mod rule;
pub mod rules;
pub mod suppress;
pub mod syntax;
pub mod workspace;
