//! Benchmark placeholder: recorded (being written).
fn main() {}
