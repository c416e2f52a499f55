//! Payloads in, findings out: the docs' examples, payload files, live responses and recorded
//! traffic checked against the published schemas and the generated types, every contradiction
//! reported exactly (JSON Pointer, rule, severity, the value's exact text), known ones marked.
//!
//! Pipeline: `contract` (model + compiled schemas + generated types, built once) → `check` (one
//! payload) → `case` (findings marked known or new) → `report` (human, JSON, JUnit).
//!
//! Cargo features, both on by default: `live` (the live runner and its HTTP client) and `mock`
//! (the mock server). Without them the crate builds no tokio, axum, hyper or ureq.

pub mod bounded_findings;
pub mod bounds;
pub mod case;
pub mod check;
pub mod contract;
pub mod examples;
pub mod exchange;
pub mod fast_check;
pub mod finding;
pub mod headers;
#[cfg(feature = "live")]
pub mod live;
#[cfg(feature = "mock")]
pub mod mock;
#[cfg(feature = "live")]
pub mod probe;
pub mod recorded;
pub mod report;
pub mod shape;

pub use case::{Case, CaseSource, Report, Summary};
pub use contract::{BodyContract, ContractError, Contracts};
pub use finding::{Finding, Known, Rule, Severity};
