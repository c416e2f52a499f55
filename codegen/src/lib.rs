//! Spec files in, generated files out: `load` → `lower` → `emit_rust` / `emit_schema` /
//! `emit_spec_format`, assembled by `generate`. Pure: no disk, no network, no clock; the same
//! specs give the same bytes on any machine and with any number of threads.

pub mod constraints;
pub mod decimal;
pub mod diagnostic;
pub mod diff;
pub mod display_color;
pub mod display_text;
pub mod emit_catalog;
pub mod emit_client;
pub mod emit_contradictions;
pub mod emit_corpus;
pub mod emit_crate;
pub mod emit_crate_root;
pub mod emit_fast_check;
pub mod emit_openapi;
pub mod emit_pages;
pub mod emit_readme_example;
pub mod emit_rust;
pub mod emit_rust_api;
pub mod emit_rust_docs;
pub mod emit_rust_read;
pub mod emit_schema;
pub mod emit_site;
pub mod emit_spec_format;
pub mod formats;
pub mod generated_files;
pub mod import;
pub mod load;
pub mod lower;
pub mod model;
pub mod names;
pub mod provenance;
pub mod schema_refs;
pub mod shapes;
pub mod spec;
pub mod version;

use std::collections::BTreeMap;

use rayon::prelude::*;

pub use diagnostic::{Diagnostic, SourceLocation, SpecErrors};
pub use generated_files::{
    CLIENT_TEMPLATE, GENERATED_ROOT, GeneratedFiles, WIRE_EMAIL_TEMPLATE, WIRE_EXACT_TEMPLATE,
    WIRE_TEMPLATE,
};
pub use load::SpecSources;
pub use model::Model;

/// Why generation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GenerateError {
    /// The specs have problems; each says where.
    #[error(transparent)]
    Spec(#[from] SpecErrors),
    /// The generator has a bug.
    #[error(transparent)]
    Bug(#[from] emit_rust::EmitBug),
}

/// Loads and lowers every spec in `sources` into the model, or every problem found.
pub fn load_model(sources: &SpecSources) -> Result<Model, SpecErrors> {
    let (loaded, mut diagnostics) = load::load(sources);
    let (model, lowering) = lower::lower(&loaded, sources);
    diagnostics.extend(lowering);
    match model {
        Some(model) if diagnostics.is_empty() => Ok(model),
        _ => Err(SpecErrors::new(diagnostics)),
    }
}

/// Every generated file for the specs in `sources`.
pub fn generate(sources: &SpecSources) -> Result<GeneratedFiles, GenerateError> {
    let model = load_model(sources)?;
    // The OpenAPI documents carry the pages' example payloads, which only `sources` holds.
    let example_payload = |file: &str| {
        sources
            .get(file)
            .and_then(|bytes| serde_json::from_slice(bytes).ok())
    };
    let (files, openapi) = rayon::join(
        || emit(&model),
        || emit_openapi::files(&model, &example_payload),
    );
    let mut files = files?;
    files.0.extend(openapi);
    Ok(files)
}

/// Every generated file for a checked model.
pub fn emit(model: &Model) -> Result<GeneratedFiles, emit_rust::EmitBug> {
    let root = GENERATED_ROOT;

    let endpoints: Vec<_> = model.endpoints().collect();
    let emit_per_endpoint = || -> Vec<Result<Vec<(String, String)>, emit_rust::EmitBug>> {
        endpoints
            .par_iter()
            .map(|&(service, endpoint)| {
                let mut out = vec![(
                    format!("{root}/src/{}/{}.rs", service.id, endpoint.rust_module),
                    emit_rust::endpoint_file(service, endpoint)?,
                )];
                for direction in model::Direction::BOTH {
                    if let Some(body) = endpoint.body(direction) {
                        let schema = emit_schema::body_schema(
                            &model.schema_base_uri,
                            service,
                            endpoint,
                            body,
                        );
                        out.push((
                            format!(
                                "{root}/schemas/{}",
                                emit_schema::schema_file_name(service, endpoint, body)
                            ),
                            emit_schema::render(&schema),
                        ));
                    }
                }
                Ok(out)
            })
            .collect()
    };
    let emit_shared = || -> Result<BTreeMap<String, String>, emit_rust::EmitBug> {
        let mut files = BTreeMap::new();
        for service in &model.services {
            files.insert(
                format!("{root}/src/{}/mod.rs", service.id),
                emit_rust::service_file(service)?,
            );
            if !service.shapes.is_empty() {
                files.insert(
                    format!(
                        "{root}/src/{}/{}.rs",
                        service.id,
                        shapes::SHARED_SHAPES_MODULE
                    ),
                    emit_rust::shared_shapes_file(service)?,
                );
            }
            files.insert(
                format!("{root}/src/{}/endpoints.rs", service.id),
                emit_rust_api::service_endpoints_file(model, service)?,
            );
            files.insert(
                format!("{root}/src/{}/client.rs", service.id),
                emit_client::client_file(service)?,
            );
        }
        files.insert(
            format!("{root}/src/endpoint.rs"),
            emit_rust_api::endpoint_module_file(model)?,
        );
        files.insert(
            format!("{root}/src/lib.rs"),
            emit_crate_root::lib_file(model)?,
        );
        files.insert(
            format!("{root}/src/registry.rs"),
            emit_crate_root::registry_file(model)?,
        );
        files.insert(
            format!("{root}/src/wire.rs"),
            format!(
                "{}{WIRE_TEMPLATE}",
                emit_rust::header("codegen/templates/wire.rs")
            ),
        );
        files.insert(
            format!("{root}/src/wire/exact.rs"),
            format!(
                "{}{WIRE_EXACT_TEMPLATE}",
                emit_rust::header("codegen/templates/wire/exact.rs")
            ),
        );
        files.insert(
            format!("{root}/src/wire/email.rs"),
            format!(
                "{}{WIRE_EMAIL_TEMPLATE}",
                emit_rust::header("codegen/templates/wire/email.rs")
            ),
        );
        for (path, template) in generated_files::FAST_CHECK_TEMPLATES {
            files.insert(
                format!("{root}/src/{path}"),
                format!(
                    "{}{template}",
                    emit_rust::header(&format!("codegen/templates/{path}"))
                ),
            );
        }
        files.insert(
            format!("{root}/src/fast_check/tables.rs"),
            emit_fast_check::tables_file(model)?,
        );
        files.insert(
            format!("{root}/src/client.rs"),
            format!(
                "{}{CLIENT_TEMPLATE}",
                emit_rust::header("codegen/templates/client.rs")
            ),
        );
        files.insert(format!("{root}/Cargo.toml"), emit_crate::cargo_toml(model));
        files.insert(format!("{root}/rustfmt.toml"), emit_crate::rustfmt_toml());
        files.insert(format!("{root}/README.md"), emit_crate::readme(model));
        for (name, text) in emit_spec_format::files() {
            files.insert(format!("{root}/spec-format/{name}"), text);
        }
        files.extend([
            emit_catalog::file(model),
            diff::acknowledgements_format_file(),
        ]);
        Ok(files)
    };
    // The endpoints' files and the shared ones are made at the same time.
    let (per_endpoint, shared) = rayon::join(emit_per_endpoint, emit_shared);
    let mut files = shared?;
    for result in per_endpoint {
        files.extend(result?);
    }
    Ok(GeneratedFiles(files))
}
