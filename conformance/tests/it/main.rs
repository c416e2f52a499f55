//! One integration-test binary for conformance: agreement of types and schemas, the examples
//! check and its reports, finding kinds, exact numbers, the table-derived corpus, live runs, the
//! mock server, recorded traffic, and foreign validators.

#[path = "../../../xtask/src/spec_dir.rs"]
mod spec_dir;

mod agreement;
mod corpus;
mod cross_validators;
mod exact_numbers;
mod examples;
mod findings;
mod live;
mod mock;
mod probe;
mod recorded;
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
