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
mod json_text;
pub mod load;
pub mod lower;
pub mod model;
pub mod names;
pub mod provenance;
mod rust_text;
pub mod schema_refs;
pub mod shapes;
pub mod spec;
pub mod version;

use std::borrow::Cow;
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
    let (model, lowering) = lower::lower(loaded, sources);
    diagnostics.extend(lowering);
    match model {
        Some(model) if diagnostics.is_empty() => Ok(model),
        _ => Err(SpecErrors::new(diagnostics)),
    }
}

/// Every generated file for the specs in `sources`.
pub fn generate(sources: &SpecSources) -> Result<GeneratedFiles, GenerateError> {
    let model = load_model(sources)?;
    Ok(generate_from_model(&model, sources)?)
}

/// Every generated file for `model`, loaded from `sources` (the OpenAPI documents carry the
/// pages' example payloads, which only `sources` holds).
///
/// One parallel pass makes every endpoint's files (its Rust module, its body schemas, its
/// OpenAPI operation, its part of the service's `other_direction.rs`) and, beside them, each
/// file shared by a service or the crate; each service's `other_direction.rs` is then put
/// together from its shared shapes' and repeated enumerations' part and its endpoints' parts, and its OpenAPI document from
/// its endpoints' operations, reusing the schema texts already rendered. Results are merged in a fixed order, so the bytes do not
/// depend on the number of threads.
pub fn generate_from_model(
    model: &Model,
    sources: &SpecSources,
) -> Result<GeneratedFiles, emit_rust::EmitBug> {
    let example_payload = |file: &str| {
        sources
            .get(file)
            .and_then(|bytes| serde_json::from_slice(bytes).ok())
    };
    let endpoints: Vec<_> = model.endpoints().collect();
    let (shared, per_endpoint) = rayon::join(
        || shared_files(model),
        || {
            endpoints
                .par_iter()
                .map(|&(service, endpoint)| {
                    endpoint_files(model, service, endpoint, &example_payload)
                })
                .collect::<Vec<_>>()
        },
    );
    let mut files = shared?;
    let mut operations = Vec::with_capacity(endpoints.len());
    let mut other_directions = Vec::with_capacity(endpoints.len());
    for (endpoint_files, operation, other_direction) in per_endpoint {
        files.extend(endpoint_files);
        operations.push(operation);
        other_directions.push(other_direction);
    }
    let mut first = 0;
    for service in &model.services {
        let last = first + service.endpoints.len();
        let path = other_direction_path(service);
        // The shared shapes' and repeated enumerations' part, which their job left under the
        // file's path.
        let shapes_part = files.remove(&path).unwrap_or_default();
        let mut parts = vec![shapes_part.as_str()];
        parts.extend(other_directions[first..last].iter().map(String::as_str));
        let text = emit_rust::other_direction_file(service, &parts);
        files.insert(path, text);
        // Each part is in the file now.
        other_directions[first..last].fill_with(String::new);
        first = last;
    }
    drop(other_directions);
    let mut documents = Vec::new();
    let mut first = 0;
    for service in &model.services {
        let last = first + service.endpoints.len();
        let body_schema = |endpoint: &model::Endpoint, body: &model::Body| {
            let path = format!(
                "{GENERATED_ROOT}/schemas/{}",
                emit_schema::schema_file_name(service, endpoint, body)
            );
            // Every body's schema file was made in the pass above; were one missing, it is
            // rendered again rather than left out of the document.
            match files.get(&path) {
                Some(text) => Cow::Borrowed(text.as_str()),
                None => Cow::Owned(emit_schema::render(&emit_schema::body_schema(
                    &model.schema_base_uri,
                    service,
                    endpoint,
                    body,
                ))),
            }
        };
        documents.push((
            emit_openapi::document_path(service),
            emit_openapi::document_text(service, &operations[first..last], &body_schema),
        ));
        first = last;
    }
    drop(operations);
    files.extend(documents);
    files
        .par_iter_mut()
        .filter(|(path, _)| path.ends_with(".rs"))
        .for_each(|(_, text)| {
            if let Some(clean) = rust_text::without_bidirectional_controls(text) {
                *text = clean;
            }
        });
    Ok(GeneratedFiles(files))
}

/// One endpoint's files (its Rust module and its body schemas), its OpenAPI operation and its
/// part of the service's other-direction impls.
type EndpointOutput = (Vec<(String, String)>, String, String);

/// `generated/src/<service>/other_direction.rs`.
fn other_direction_path(service: &model::Service) -> String {
    format!(
        "{GENERATED_ROOT}/src/{}/{}.rs",
        service.id,
        emit_rust_read::OTHER_DIRECTION_MODULE
    )
}

fn endpoint_files(
    model: &Model,
    service: &model::Service,
    endpoint: &model::Endpoint,
    example_payload: &(dyn Fn(&str) -> Option<serde_json::Value> + Sync),
) -> EndpointOutput {
    let root = GENERATED_ROOT;
    let rust = emit_rust::endpoint_file(service, endpoint);
    let mut files = vec![(
        format!("{root}/src/{}/{}.rs", service.id, endpoint.rust_module),
        rust.module,
    )];
    for direction in model::Direction::BOTH {
        if let Some(body) = endpoint.body(direction) {
            let schema = emit_schema::body_schema(&model.schema_base_uri, service, endpoint, body);
            files.push((
                format!(
                    "{root}/schemas/{}",
                    emit_schema::schema_file_name(service, endpoint, body)
                ),
                emit_schema::render(&schema),
            ));
        }
    }
    let operation = emit_openapi::operation_text(service, endpoint, example_payload);
    (files, operation, rust.other_direction)
}

/// Renders a service's module of its own types: the file and its part of `other_direction.rs`.
type ServiceTypesFile = fn(&model::Service) -> (String, String);

/// One file shared by a service's endpoints or by the whole crate: `(path, text)`.
type SharedFile<'a> =
    Box<dyn Fn() -> Result<Vec<(String, String)>, emit_rust::EmitBug> + Send + Sync + 'a>;

/// Every file that is not one endpoint's, each made on its own (the largest, a service's
/// `endpoints.rs`, first), side by side.
fn shared_files(model: &Model) -> Result<BTreeMap<String, String>, emit_rust::EmitBug> {
    let root = GENERATED_ROOT;
    let mut jobs: Vec<SharedFile<'_>> = Vec::new();
    for service in &model.services {
        jobs.push(Box::new(move || {
            Ok(vec![(
                format!("{root}/src/{}/endpoints.rs", service.id),
                emit_rust_api::service_endpoints_file(model, service)?,
            )])
        }));
    }
    jobs.push(Box::new(|| {
        Ok(vec![(
            format!("{root}/src/registry.rs"),
            emit_crate_root::registry_file(model)?,
        )])
    }));
    for service in &model.services {
        jobs.push(Box::new(move || {
            Ok(vec![(
                format!("{root}/src/{}/client.rs", service.id),
                emit_client::client_file(service)?,
            )])
        }));
        jobs.push(Box::new(move || {
            Ok(vec![(
                format!("{root}/src/{}/mod.rs", service.id),
                emit_rust::service_file(service)?,
            )])
        }));
        // The service's own type modules (each where it has something to hold) and their part
        // of `other_direction.rs`.
        let type_modules: [(bool, &str, ServiceTypesFile); 2] = [
            (
                !service.shapes.is_empty(),
                shapes::SHARED_SHAPES_MODULE,
                emit_rust::shared_shapes_file,
            ),
            (
                !service.repeated_enums.is_empty(),
                emit_rust::REPEATED_ENUMS_MODULE,
                emit_rust::repeated_enums_file,
            ),
        ];
        if type_modules.iter().any(|(needed, _, _)| *needed) {
            jobs.push(Box::new(move || {
                let mut files = Vec::new();
                let mut other_direction = String::new();
                for (_, module, file_of) in type_modules.iter().filter(|(needed, _, _)| *needed) {
                    let (file, part) = file_of(service);
                    files.push((format!("{root}/src/{}/{module}.rs", service.id), file));
                    other_direction.push_str(&part);
                }
                // Only a part: `generate_from_model` adds the endpoints' parts.
                files.push((other_direction_path(service), other_direction));
                Ok(files)
            }));
        }
    }
    jobs.push(Box::new(|| {
        Ok(vec![(
            format!("{root}/src/fast_check/tables.rs"),
            emit_fast_check::tables_file(model)?,
        )])
    }));
    jobs.push(Box::new(|| Ok(vec![emit_catalog::file(model)])));
    jobs.push(Box::new(|| {
        Ok(vec![(
            format!("{root}/README.md"),
            emit_crate::readme(model),
        )])
    }));
    jobs.push(Box::new(|| {
        Ok(vec![(
            format!("{root}/src/endpoint.rs"),
            emit_rust_api::endpoint_module_file(model)?,
        )])
    }));
    jobs.push(Box::new(|| {
        Ok(vec![(
            format!("{root}/src/lib.rs"),
            emit_crate_root::lib_file(model)?,
        )])
    }));
    let made: Vec<_> = jobs.par_iter().map(|job| job()).collect();
    let mut files = BTreeMap::new();
    for result in made {
        files.extend(result?);
    }
    for (path, template, text) in [
        ("src/wire.rs", "codegen/templates/wire.rs", WIRE_TEMPLATE),
        (
            "src/wire/exact.rs",
            "codegen/templates/wire/exact.rs",
            WIRE_EXACT_TEMPLATE,
        ),
        (
            "src/wire/email.rs",
            "codegen/templates/wire/email.rs",
            WIRE_EMAIL_TEMPLATE,
        ),
        (
            "src/client.rs",
            "codegen/templates/client.rs",
            CLIENT_TEMPLATE,
        ),
    ] {
        files.insert(
            format!("{root}/{path}"),
            format!("{}{text}", emit_rust::header(template)),
        );
    }
    for (path, template) in generated_files::FAST_CHECK_TEMPLATES {
        files.insert(
            format!("{root}/src/{path}"),
            format!(
                "{}{template}",
                emit_rust::header(&format!("codegen/templates/{path}"))
            ),
        );
    }
    files.insert(format!("{root}/Cargo.toml"), emit_crate::cargo_toml(model));
    files.insert(format!("{root}/rustfmt.toml"), emit_crate::rustfmt_toml());
    for (name, text) in emit_spec_format::files() {
        files.insert(format!("{root}/spec-format/{name}"), text);
    }
    let (path, text) = diff::acknowledgements_format_file();
    files.insert(path, text);
    Ok(files)
}
