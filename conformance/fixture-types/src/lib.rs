//! The generator's output for the conformance tests' vendor fixture
//! (`conformance/tests/fixtures/vendors`: the CRM and LadiFlow specs as the checker's tests
//! know them, frozen, so that adding or removing endpoints under `spec/` never changes what the
//! checker's own tests exercise), compiled with both serde directions.
#![deny(warnings)]

include!(concat!(env!("OUT_DIR"), "/generated/src/lib.rs"));
