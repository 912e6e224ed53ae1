//! Fixture for the editor tests: the static below triggers rule `static-mut`.

pub static mut COUNTER: u32 = 0;

pub mod other;

pub fn answer() -> u32 {
    42
}
