//! Benchmark placeholder: examples (being written).
fn main() {}
