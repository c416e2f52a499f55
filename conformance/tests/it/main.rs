//! One integration-test binary for conformance: agreement of types and schemas, the examples
//! check and its reports, finding kinds, exact numbers, the table-derived corpus, live runs, the
//! mock server, recorded traffic, and foreign validators.
//!
//! Tests of the project's own specs (`spec/`) take every expectation from the specs: they pass
//! whatever endpoints `spec/` holds. Tests of the checker's machinery (reports, the mock, live
//! runs, recorded traffic) run on fixtures of their own (`tests/fixtures/vendors`, the kitchen
//! sink), whose endpoints they may name.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests and benches fail by panicking, with the expectation that was not met"
)]

#[path = "../../../xtask/src/spec_dir.rs"]
mod spec_dir;

mod agreement;
mod bounds;
mod client;
mod color;
mod corpus;
mod cross_validators;
mod endpoints;
mod exact_numbers;
mod examples;
mod findings;
mod live;
mod mock;
mod mock_bounds;
mod next_pages;
mod position;
mod probe;
mod recorded;
mod report_formats;
mod reports;

use std::path::PathBuf;

use conformance::Contracts;
use conformance::contract::RegistryEntry;

/// The project root.
pub fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The kitchen-sink fixture's root (`codegen/tests/fixtures/good/kitchen_sink`).
pub fn kitchen_sink_root() -> PathBuf {
    project_root().join("codegen/tests/fixtures/good/kitchen_sink")
}

/// The vendor fixture's root (`conformance/tests/fixtures/vendors`): the CRM and LadiFlow specs
/// as the checker's own tests know them, frozen, so that adding, removing or renaming endpoints
/// under `spec/` never changes what those tests exercise.
pub fn vendors_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/vendors")
}

/// Every body of the vendor fixture's compiled registry.
pub fn vendor_registry() -> Vec<RegistryEntry> {
    conformance::registry_entries!(conformance_fixture_types::registry::ENDPOINTS)
}

/// The vendor fixture's specs and contracts (its schemas and compiled types).
pub fn vendor_contracts() -> (codegen::SpecSources, Contracts) {
    let sources = spec_dir::read_spec_sources(&vendors_root()).expect("fixture is readable");
    let model = codegen::load_model(&sources).expect("the vendor fixture loads");
    let contracts =
        Contracts::build(model, &vendor_registry()).expect("fixture types match its specs");
    (sources, contracts)
}

/// The project's specs and the contracts of the `generated` crate.
pub fn project_contracts() -> (codegen::SpecSources, Contracts) {
    let sources = spec_dir::read_spec_sources(&project_root()).expect("spec/ is readable");
    let model = codegen::load_model(&sources).expect("the specs load");
    let contracts = Contracts::for_generated_crate(model).expect("generated/ matches the specs");
    (sources, contracts)
}

/// Every body of the kitchen-sink fixture's generated registry.
pub fn kitchen_sink_registry() -> Vec<RegistryEntry> {
    conformance::registry_entries!(codegen_fixture_types::registry::ENDPOINTS)
}

/// The kitchen-sink fixture's specs and contracts.
pub fn kitchen_sink_contracts() -> (codegen::SpecSources, Contracts) {
    let sources = spec_dir::read_spec_sources(&kitchen_sink_root()).expect("fixture is readable");
    let model = codegen::load_model(&sources).expect("the fixture loads");
    let contracts =
        Contracts::build(model, &kitchen_sink_registry()).expect("fixture types match its specs");
    (sources, contracts)
}
