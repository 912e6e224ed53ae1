//! Never opened by the tests: with `diagnostics.scope = "workspace"` its finding is published too.

pub static mut OTHER: u32 = 0;
