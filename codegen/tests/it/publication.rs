//! What is published to other teams: the OpenAPI documents use the published schemas, every
//! `$ref` resolves within the published set, the catalog lists every schema, and
//! `cargo xtask publish` lays out a site (snapshotted in `fixtures/publish/`) that keeps old
//! versions, follows the highest with `latest`, and never changes a published version.

use std::collections::BTreeMap;

use codegen::emit_catalog::{self, Catalog, PublishError, SiteFiles};
use codegen::{GeneratedFiles, SpecSources};
use serde_json::Value;

use crate::{fixtures_dir, spec_dir};

fn kitchen_sink() -> SpecSources {
    spec_dir::read_spec_sources(&fixtures_dir().join("good/kitchen_sink"))
        .expect("fixture is readable")
}

fn project() -> SpecSources {
    spec_dir::read_spec_sources(&fixtures_dir().join("../../..")).expect("spec/ is readable")
}

fn generate(sources: &SpecSources) -> GeneratedFiles {
    codegen::generate(sources).unwrap_or_else(|error| panic!("does not generate: {error}"))
}

fn json(files: &GeneratedFiles, path: &str) -> Value {
    let text = files
        .0
        .get(path)
        .unwrap_or_else(|| panic!("{path} is not generated"));
    serde_json::from_str(text).unwrap_or_else(|error| panic!("{path} is not JSON: {error}"))
}

fn catalog(files: &GeneratedFiles) -> Catalog {
    serde_json::from_str(&files.0["generated/schemas/catalog.json"]).expect("the catalog reads")
}

/// Each body component of each OpenAPI document is the published schema, value for value, and
/// each operation points at its own.
#[test]
fn openapi_bodies_are_the_published_schemas() {
    // The kitchen sink has at least four bodies; `spec/` has as many as it has.
    for (sources, at_least) in [(project(), 0), (kitchen_sink(), 4)] {
        let files = generate(&sources);
        let catalog = catalog(&files);
        let mut compared = 0;
        for service in &catalog.services {
            let document = json(
                &files,
                &format!("generated/openapi/{}.openapi.json", service.id),
            );
            for entry in catalog
                .schemas
                .iter()
                .filter(|entry| entry.service == service.id)
            {
                let name = format!("{}.{}", entry.endpoint, entry.direction);
                let component = &document["components"]["schemas"][&name];
                let published = json(&files, &format!("generated/schemas/{}", entry.file));
                assert_eq!(component, &published, "component {name} of {}", service.id);
                let operation = &document["paths"][&entry.path][entry.method.to_ascii_lowercase()];
                assert_eq!(
                    operation["operationId"],
                    Value::from(entry.endpoint.clone())
                );
                let content = if entry.direction == "request" {
                    &operation["requestBody"]["content"]
                } else {
                    let responses = operation["responses"].as_object().expect("responses");
                    assert_eq!(responses.len(), 1, "{name}: one documented response");
                    &responses.values().next().expect("a response")["content"]
                };
                let media = content
                    .as_object()
                    .and_then(|content| content.values().next())
                    .expect("a media type");
                assert_eq!(
                    media["schema"]["$ref"],
                    Value::from(format!("#/components/schemas/{name}"))
                );
                compared += 1;
            }
        }
        assert!(compared >= at_least, "only {compared} bodies compared");
    }
}

/// Resolves a local reference (`#/components/schemas/x`) inside `document`.
fn resolve_local<'a>(document: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    document.pointer(pointer)
}

/// Every `$ref` inside `value`, each with the schema resource it is written in (the nearest
/// enclosing object with a `$id`, else the document): a local reference resolves against that
/// resource, as JSON Schema 2020-12 says (a body component of an OpenAPI document is one).
fn collect_refs<'a>(value: &'a Value, resource: &'a Value, out: &mut Vec<(&'a str, &'a Value)>) {
    match value {
        Value::Object(object) => {
            let resource = if object.contains_key("$id") {
                value
            } else {
                resource
            };
            for (key, child) in object {
                if key == "$ref"
                    && let Some(reference) = child.as_str()
                {
                    out.push((reference, resource));
                }
                collect_refs(child, resource, out);
            }
        }
        Value::Array(items) => items
            .iter()
            .for_each(|item| collect_refs(item, resource, out)),
        _ => {}
    }
}

/// Every `$ref` in every published schema and OpenAPI document resolves inside the published
/// set, without a network: a local pointer to something that exists, or a published `$id`.
#[test]
fn every_ref_resolves_within_the_published_set() {
    // The kitchen sink has at least four references; `spec/` has as many as it has.
    for (sources, at_least) in [(project(), 0), (kitchen_sink(), 4)] {
        let files = generate(&sources);
        let ids: Vec<String> = catalog(&files)
            .schemas
            .iter()
            .map(|entry| entry.id.clone())
            .collect();
        let mut resolved = 0;
        let mut unresolved = Vec::new();
        for (path, text) in &files.0 {
            let published =
                path.starts_with("generated/schemas/") || path.starts_with("generated/openapi/");
            if !published || !path.ends_with(".json") {
                continue;
            }
            let document: Value = serde_json::from_str(text).expect("published files are JSON");
            let mut references = Vec::new();
            collect_refs(&document, &document, &mut references);
            for (reference, resource) in references {
                let found = resolve_local(resource, reference).is_some()
                    || ids.iter().any(|id| id == reference);
                if found {
                    resolved += 1;
                } else {
                    unresolved.push(format!("{path}: {reference}"));
                }
            }
        }
        assert!(unresolved.is_empty(), "unresolved: {unresolved:#?}");
        assert!(resolved >= at_least, "only {resolved} references seen");
    }
}

/// The catalog lists exactly the schema files, with each schema's own `$id`, title and
/// description, and the service's version.
#[test]
fn the_catalog_lists_every_published_schema() {
    for sources in [project(), kitchen_sink()] {
        let files = generate(&sources);
        let catalog = catalog(&files);
        let mut listed: Vec<String> = catalog
            .schemas
            .iter()
            .map(|entry| format!("generated/schemas/{}", entry.file))
            .collect();
        listed.sort();
        let on_disk: Vec<String> = files
            .0
            .keys()
            .filter(|path| {
                path.starts_with("generated/schemas/") && !path.ends_with("/catalog.json")
            })
            .cloned()
            .collect();
        assert_eq!(listed, on_disk);
        for entry in &catalog.schemas {
            let schema = json(&files, &format!("generated/schemas/{}", entry.file));
            assert_eq!(schema["$id"], Value::from(entry.id.clone()));
            assert_eq!(schema["title"], Value::from(entry.title.clone()));
            assert_eq!(
                schema["description"],
                Value::from(entry.description.clone())
            );
            assert!(
                entry
                    .id
                    .contains(&format!("/{}/{}/", entry.service, entry.schema_version))
            );
            assert_eq!(catalog.latest[&entry.service], entry.schema_version);
        }
    }
}

fn site(generated: &GeneratedFiles, existing: &BTreeMap<String, String>) -> SiteFiles {
    emit_catalog::site_files(&generated.0, existing)
        .unwrap_or_else(|error| panic!("publishing failed: {error}"))
}

/// The site written into an empty folder: its file list, catalog and index page.
#[test]
fn published_site() {
    let site = site(&generate(&kitchen_sink()), &BTreeMap::new());
    let mut rendered = String::from("=== files ===\n");
    for path in site.files.keys() {
        rendered.push_str(path);
        rendered.push('\n');
    }
    rendered.push_str(&format!(
        "=== replaced folders ===\n{}\n",
        site.replaced_folders.join("\n")
    ));
    for name in [
        emit_catalog::CATALOG_FILE_NAME,
        emit_catalog::INDEX_FILE_NAME,
    ] {
        rendered.push_str(&format!("=== {name} ===\n{}", site.files[name]));
    }
    insta::with_settings!({
        snapshot_path => fixtures_dir().join("publish"),
        prepend_module_to_snapshot => false,
        omit_expression => true,
        description => "cargo xtask publish of fixtures/good/kitchen_sink into an empty folder",
    }, {
        insta::assert_snapshot!("kitchen_sink_site", rendered);
    });
}

/// Publishing the same specs again changes nothing.
#[test]
fn publishing_again_is_idempotent() {
    let generated = generate(&kitchen_sink());
    let first = site(&generated, &BTreeMap::new());
    let second = site(&generated, &first.files);
    assert_eq!(first, second);
}

/// The kitchen sink's `feed` service with one more optional field, as version `to`.
fn feed_changed(to: &str) -> GeneratedFiles {
    let mut sources = kitchen_sink();
    let service_path = "spec/feed/service.yaml";
    let service = String::from_utf8(sources.get(service_path).expect("feed").to_vec())
        .expect("UTF-8")
        .replace("schema_version: 0.3.0", &format!("schema_version: {to}"));
    sources.insert(service_path, service);
    let endpoint_path = "spec/feed/items.push.yaml";
    let endpoint = String::from_utf8(sources.get(endpoint_path).expect("items").to_vec())
        .expect("UTF-8")
        .replace(
            "  fields:\n    title:\n",
            "  fields:\n    summary:\n      type: string\n    title:\n",
        );
    sources.insert(endpoint_path, endpoint);
    generate(&sources)
}

/// A changed schema under an already published version is refused; under a new version it is
/// published beside the old one, which stays, and `latest` follows the highest version even
/// when an older one is published afterwards.
#[test]
fn versions_accumulate_and_never_change() {
    let first = site(&generate(&kitchen_sink()), &BTreeMap::new());

    let refused = emit_catalog::site_files(&feed_changed("0.3.0").0, &first.files);
    assert!(
        matches!(
            &refused,
            Err(PublishError::PublishedVersionWouldChange { service, version, .. })
                if service == "feed" && version == "0.3.0"
        ),
        "{refused:?}"
    );

    let second = site(&feed_changed("0.4.0"), &first.files);
    let mut all = first.files.clone();
    all.extend(second.files.clone());
    assert!(all.contains_key("feed/0.3.0/items.push.request.json"));
    assert!(all.contains_key("feed/0.4.0/items.push.request.json"));
    assert_eq!(
        second.files["feed/latest/items.push.request.json"],
        second.files["feed/0.4.0/items.push.request.json"]
    );
    let catalog: Catalog =
        serde_json::from_str(&second.files["catalog.json"]).expect("the catalog reads");
    assert_eq!(catalog.latest["feed"], "0.4.0");
    let versions: Vec<&str> = catalog
        .services
        .iter()
        .filter(|service| service.id == "feed")
        .map(|service| service.schema_version.as_str())
        .collect();
    assert_eq!(versions, ["0.3.0", "0.4.0"]);

    // Publishing the older specs again keeps 0.4.0 as latest.
    let third = site(&generate(&kitchen_sink()), &all);
    let catalog: Catalog =
        serde_json::from_str(&third.files["catalog.json"]).expect("the catalog reads");
    assert_eq!(catalog.latest["feed"], "0.4.0");
    assert_eq!(
        third.files["feed/latest/items.push.request.json"],
        all["feed/0.4.0/items.push.request.json"]
    );
}
