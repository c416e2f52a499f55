//! Benchmark placeholder: live (being written).
fn main() {}
