//! The generator's output for the kitchen-sink fixture (`codegen/tests/fixtures/good/
//! kitchen_sink`), compiled with both serde directions: the snapshot test proves the output is
//! what it is, this crate proves it builds without warnings, and the conformance crate's
//! agreement tests run its types against its schemas.
#![deny(warnings)]

include!(concat!(env!("OUT_DIR"), "/generated/src/lib.rs"));
