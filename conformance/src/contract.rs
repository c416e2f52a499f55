//! The model and the generated crate in, the contracts payloads are checked against out: for
//! every body, its spec, its compiled JSON Schema and its generated Rust type. Built once per
//! run; checking a payload compiles nothing.
//!
//! Invariant: a `Contracts` only exists when the generated crate was built from these very specs
//! (every published schema is byte for byte what the specs produce now).

use std::collections::BTreeMap;

use codegen::Model;
pub use codegen::model::Direction;
use codegen::model::{Endpoint, Object, Service};
use serde_json::Value;

use crate::fast_check::FastPlan;

/// A body's published schema and generated type, as a generated registry lists them.
#[derive(Debug, Clone, Copy)]
pub struct TypedBody {
    /// The published JSON Schema text.
    pub schema: &'static str,
    /// Deserializes a payload into the generated type, and drops it.
    pub decode: fn(&[u8]) -> Result<(), serde_json::Error>,
    /// Deserializes a payload into the generated type and serializes it back.
    pub round_trip: fn(&[u8]) -> Result<Vec<u8>, serde_json::Error>,
}

/// One body in a generated registry.
#[derive(Debug, Clone, Copy)]
pub struct RegistryEntry {
    /// Service id.
    pub service: &'static str,
    /// Endpoint id.
    pub endpoint: &'static str,
    /// Request or response.
    pub direction: Direction,
    /// Schema and type.
    pub typed: TypedBody,
}

/// The bodies of a generated registry's `ENDPOINTS` (the `generated` crate's, or a fixture
/// crate's: each has its own `Endpoint` type of the same shape) as `RegistryEntry`s.
#[macro_export]
macro_rules! registry_entries {
    ($endpoints:expr) => {{
        let mut entries = Vec::new();
        for endpoint in $endpoints {
            let bodies = [
                ($crate::contract::Direction::Request, endpoint.request),
                (
                    $crate::contract::Direction::Response,
                    Some(endpoint.response),
                ),
            ];
            for (direction, body) in bodies {
                if let Some(body) = body {
                    entries.push($crate::contract::RegistryEntry {
                        service: endpoint.service,
                        endpoint: endpoint.id,
                        direction,
                        typed: $crate::contract::TypedBody {
                            schema: body.schema,
                            decode: body.decode,
                            round_trip: body.round_trip,
                        },
                    });
                }
            }
        }
        entries
    }};
}

/// Every body of the `generated` crate's registry.
pub(crate) fn generated_registry() -> Vec<RegistryEntry> {
    registry_entries!(generated::registry::ENDPOINTS)
}

/// Why contracts could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContractError {
    /// The generated crate was built from other specs.
    #[error(
        "generated/ is out of date with spec/ (the schema of {key} {direction} differs): run `cargo xtask gen` and rebuild"
    )]
    Stale {
        /// `service/endpoint`.
        key: String,
        /// `request` or `response`.
        direction: &'static str,
    },
    /// The generated crate's fast-check table of a body is not the one the specs give now.
    #[error(
        "generated/ is out of date with spec/ (the fast-check table of {key} {direction} differs): run `cargo xtask gen` and rebuild"
    )]
    StaleTable {
        /// `service/endpoint`.
        key: String,
        /// `request` or `response`.
        direction: &'static str,
    },
    /// A spec's body has no generated type.
    #[error(
        "the generated crate has no {direction} type for {key}: run `cargo xtask gen` and rebuild"
    )]
    MissingType {
        /// `service/endpoint`.
        key: String,
        /// `request` or `response`.
        direction: &'static str,
    },
    /// The generated files hold no schema for a spec's body.
    #[error("the generated files hold no schema {path} for {key} {direction}")]
    MissingSchema {
        /// `service/endpoint`.
        key: String,
        /// `request` or `response`.
        direction: &'static str,
        /// The schema file looked for.
        path: String,
    },
    /// The generated crate has a type no spec defines.
    #[error(
        "the generated crate has a {direction} type for {key}, which no spec defines: run `cargo xtask gen` and rebuild"
    )]
    ExtraType {
        /// `service/endpoint`.
        key: String,
        /// `request` or `response`.
        direction: &'static str,
    },
    /// A published schema does not compile.
    #[error("the schema of {key} {direction} does not compile: {message}")]
    SchemaDoesNotCompile {
        /// `service/endpoint`.
        key: String,
        /// `request` or `response`.
        direction: &'static str,
        /// The validator's complaint.
        message: String,
    },
}

/// Everything a body is checked against.
#[derive(Debug)]
pub struct BodyContract {
    /// Service id.
    pub service: String,
    /// Endpoint id.
    pub endpoint: String,
    /// Request or response.
    pub direction: Direction,
    /// The spec file.
    pub spec_path: String,
    /// The body's model.
    pub object: Object,
    /// The compiled schema.
    pub validator: jsonschema::Validator,
    /// The generated type; `None` for contracts built from schemas alone
    /// ([`Contracts::from_generated_files`]), which check payloads without the type's verdict.
    pub typed: Option<TypedBody>,
    /// The generated fast check of the body (its table and the model's objects): one pass over
    /// a payload's bytes that vouches for what the schema accepts, else leaves it to the full
    /// check.
    pub fast: Option<FastPlan>,
}

impl BodyContract {
    /// `crm/leads.create`.
    pub fn key(&self) -> String {
        format!("{}/{}", self.service, self.endpoint)
    }
}

/// The contracts of every body of every endpoint.
#[derive(Debug)]
pub struct Contracts {
    /// The checked model the contracts were built from.
    pub model: Model,
    bodies: BTreeMap<(String, String, Direction), BodyContract>,
}

/// Compiles a schema the way every check here does: draft 2020-12, `format` asserted, numbers
/// compared exactly, references resolved offline only.
pub fn compile_schema(schema: &Value) -> Result<jsonschema::Validator, String> {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(schema)
        .map_err(|error| error.to_string())
}

impl Contracts {
    /// The contracts of the `generated` crate, for `model`; its fast-check tables must be the
    /// ones the specs give now.
    pub fn for_generated_crate(model: Model) -> Result<Contracts, ContractError> {
        let contracts = Contracts::build(model, &generated_registry())?;
        // Looked up by key once: a scan of the list per body is quadratic in the endpoints.
        let generated_tables: std::collections::HashMap<(&str, &str, &str), &str> =
            generated::fast_check::TABLES
                .iter()
                .map(|&(service, endpoint, direction, table)| {
                    ((service, endpoint, direction), table)
                })
                .collect();
        for (service, endpoint, direction, body) in contracts.model.bodies() {
            let generated_table = generated_tables
                .get(&(
                    service.id.as_str(),
                    endpoint.id.as_str(),
                    direction.as_str(),
                ))
                .copied();
            if generated_table != Some(&*codegen::emit_fast_check::body_table(&body.object)) {
                return Err(ContractError::StaleTable {
                    key: endpoint.key(),
                    direction: direction.as_str(),
                });
            }
        }
        Ok(contracts)
    }

    /// The contracts of `model`, whose types and schemas are `registry`'s.
    pub fn build(model: Model, registry: &[RegistryEntry]) -> Result<Contracts, ContractError> {
        let mut by_key: BTreeMap<(&str, &str, Direction), &RegistryEntry> = registry
            .iter()
            .map(|entry| ((entry.service, entry.endpoint, entry.direction), entry))
            .collect();
        let mut bodies = BTreeMap::new();
        for (service, endpoint, direction, body) in model.bodies() {
            let key = endpoint.key();
            let Some(entry) =
                by_key.remove(&(service.id.as_str(), endpoint.id.as_str(), direction))
            else {
                return Err(ContractError::MissingType {
                    key,
                    direction: direction.as_str(),
                });
            };
            let expected = codegen::emit_schema::render(&codegen::emit_schema::body_schema(
                &model.schema_base_uri,
                service,
                endpoint,
                body,
            ));
            if expected != entry.typed.schema {
                return Err(ContractError::Stale {
                    key,
                    direction: direction.as_str(),
                });
            }
            let schema: Value = serde_json::from_str(entry.typed.schema).map_err(|error| {
                ContractError::SchemaDoesNotCompile {
                    key: key.clone(),
                    direction: direction.as_str(),
                    message: error.to_string(),
                }
            })?;
            let validator =
                compile_schema(&schema).map_err(|message| ContractError::SchemaDoesNotCompile {
                    key: key.clone(),
                    direction: direction.as_str(),
                    message,
                })?;
            bodies.insert(
                (service.id.clone(), endpoint.id.clone(), direction),
                BodyContract {
                    service: service.id.clone(),
                    endpoint: endpoint.id.clone(),
                    direction,
                    spec_path: endpoint.spec_path.clone(),
                    object: body.object.clone(),
                    validator,
                    typed: Some(entry.typed),
                    fast: fast_plan(&body.object),
                },
            );
        }
        if let Some(((service, endpoint, direction), _)) = by_key.into_iter().next() {
            return Err(ContractError::ExtraType {
                key: format!("{service}/{endpoint}"),
                direction: direction.as_str(),
            });
        }
        Ok(Contracts { model, bodies })
    }

    /// The contracts of `model` from the schemas among `files` (the generator's output for the
    /// same specs, in memory), without generated types: for checking any spec folder (a copy
    /// with an endpoint added, say) without compiling its Rust types. Payloads are held to the
    /// schema and the model; the type's own verdict is left out.
    pub fn from_generated_files(
        model: Model,
        files: &codegen::GeneratedFiles,
    ) -> Result<Contracts, ContractError> {
        let mut bodies = BTreeMap::new();
        for (service, endpoint, direction, body) in model.bodies() {
            let key = endpoint.key();
            let path = format!(
                "{}/schemas/{}",
                codegen::GENERATED_ROOT,
                codegen::emit_schema::schema_file_name(service, endpoint, body)
            );
            let Some(text) = files.0.get(&path) else {
                return Err(ContractError::MissingSchema {
                    key,
                    direction: direction.as_str(),
                    path,
                });
            };
            let does_not_compile = |message: String| ContractError::SchemaDoesNotCompile {
                key: key.clone(),
                direction: direction.as_str(),
                message,
            };
            let schema: Value =
                serde_json::from_str(text).map_err(|error| does_not_compile(error.to_string()))?;
            let validator = compile_schema(&schema).map_err(does_not_compile)?;
            bodies.insert(
                (service.id.clone(), endpoint.id.clone(), direction),
                BodyContract {
                    service: service.id.clone(),
                    endpoint: endpoint.id.clone(),
                    direction,
                    spec_path: endpoint.spec_path.clone(),
                    object: body.object.clone(),
                    validator,
                    typed: None,
                    fast: fast_plan(&body.object),
                },
            );
        }
        Ok(Contracts { model, bodies })
    }

    /// The contract of a body.
    pub fn body(
        &self,
        service: &str,
        endpoint: &str,
        direction: Direction,
    ) -> Option<&BodyContract> {
        self.bodies
            .get(&(service.to_owned(), endpoint.to_owned(), direction))
    }

    /// Every body contract, by service, endpoint and direction.
    pub fn bodies(&self) -> impl Iterator<Item = &BodyContract> {
        self.bodies.values()
    }

    /// The endpoint named `service/endpoint` (`crm/leads.create`).
    pub fn endpoint(&self, key: &str) -> Option<(&Service, &Endpoint)> {
        let (service_id, endpoint_id) = key.split_once('/')?;
        let service = self
            .model
            .services
            .iter()
            .find(|service| service.id == service_id)?;
        let endpoint = service
            .endpoints
            .iter()
            .find(|endpoint| endpoint.id == endpoint_id)?;
        Some((service, endpoint))
    }

    /// Every endpoint, as `service/endpoint`.
    pub fn endpoint_keys(&self) -> Vec<String> {
        self.model
            .endpoints()
            .map(|(_, endpoint)| endpoint.key())
            .collect()
    }
}

/// The fast check of a body, from the table the generator makes of its model (`None` only if
/// the table did not read back, a generator defect the full check then stands in for).
fn fast_plan(object: &Object) -> Option<FastPlan> {
    FastPlan::of_model(object).ok()
}
