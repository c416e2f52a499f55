//! Benchmark placeholder: gen (being written).
fn main() {}
