//! Model in, the schema catalog out (`generated/schemas/catalog.json`: every published schema
//! with its `$id`, title, description, service, endpoint, direction and schema version). The
//! published site built from it lives in `emit_site`. Pure.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::emit_openapi;
use crate::emit_schema;
use crate::model::{Direction, Model};

/// Path of the catalog relative to `generated/schemas/`.
pub const CATALOG_FILE_NAME: &str = "catalog.json";

/// Every published schema, and where each file is relative to the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    /// The `@generated` header.
    #[serde(rename = "$comment")]
    pub comment: String,
    /// Base of every `$id`; the site is meant to be served there.
    pub schema_base_uri: String,
    /// Service id → its highest published schema version.
    pub latest: BTreeMap<String, String>,
    /// One entry per published version of each service.
    pub services: Vec<CatalogService>,
    /// One entry per published schema.
    pub schemas: Vec<CatalogEntry>,
}

/// One version of a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogService {
    /// `crm`.
    pub id: String,
    /// The vendor's name for the API.
    pub title: String,
    /// The version of the published schemas.
    pub schema_version: String,
    /// BCP 47 tag of the docs' language.
    pub language: String,
    /// The service's OpenAPI document, relative to the catalog.
    pub openapi: String,
}

/// One published schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogEntry {
    /// The schema's `$id`.
    #[serde(rename = "$id")]
    pub id: String,
    /// The schema's `title`.
    pub title: String,
    /// The schema's `description`.
    pub description: String,
    /// Service id.
    pub service: String,
    /// Endpoint id.
    pub endpoint: String,
    /// `request` or `response`.
    pub direction: String,
    /// The service's schema version.
    pub schema_version: String,
    /// The endpoint's page title, verbatim, and its short name where the page gives one.
    pub endpoint_title: String,
    /// HTTP method of the endpoint.
    pub method: String,
    /// Path of the endpoint below the service's base URL.
    pub path: String,
    /// The schema file, relative to the catalog.
    pub file: String,
}

impl Catalog {
    /// The entries of each service's `latest` version.
    pub fn latest_entries(&self) -> impl Iterator<Item = &CatalogEntry> {
        self.schemas
            .iter()
            .filter(|entry| self.latest.get(&entry.service) == Some(&entry.schema_version))
    }
}

/// The catalog of the schemas `model` generates under `generated/schemas/`.
pub fn catalog(model: &Model) -> Catalog {
    let mut services = Vec::new();
    let mut schemas = Vec::new();
    let mut latest = BTreeMap::new();
    for service in &model.services {
        latest.insert(service.id.clone(), service.schema_version.to_string());
        services.push(CatalogService {
            id: service.id.clone(),
            title: service.title.clone(),
            schema_version: service.schema_version.to_string(),
            language: service.language.clone(),
            openapi: format!(
                "../{}/{}",
                emit_openapi::OPENAPI_FOLDER,
                emit_openapi::openapi_file_name(service)
            ),
        });
        for endpoint in &service.endpoints {
            for direction in Direction::BOTH {
                let Some(body) = endpoint.body(direction) else {
                    continue;
                };
                let schema =
                    emit_schema::body_schema(&model.schema_base_uri, service, endpoint, body);
                let text = |key: &str| {
                    schema
                        .get(key)
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned()
                };
                schemas.push(CatalogEntry {
                    id: text("$id"),
                    title: text("title"),
                    description: text("description"),
                    service: service.id.clone(),
                    endpoint: endpoint.id.clone(),
                    direction: direction.as_str().to_owned(),
                    schema_version: service.schema_version.to_string(),
                    endpoint_title: match &endpoint.summary {
                        Some(summary) => format!("{} ({summary})", endpoint.title),
                        None => endpoint.title.clone(),
                    },
                    method: endpoint.method.as_str().to_owned(),
                    path: endpoint.path.clone(),
                    file: emit_schema::schema_file_name(service, endpoint, body),
                });
            }
        }
    }
    Catalog {
        comment: "@generated by `cargo xtask gen` from spec/; do not edit by hand. Every \
                  published JSON Schema; `file` is relative to this catalog"
            .to_owned(),
        schema_base_uri: model.schema_base_uri.clone(),
        latest,
        services,
        schemas,
    }
}

/// A catalog as its file holds it: two-space indented, with a final newline.
pub fn render(catalog: &Catalog) -> String {
    let mut text = serde_json::to_string_pretty(catalog).unwrap_or_default();
    text.push('\n');
    text
}

/// `generated/schemas/catalog.json` and its text.
pub fn file(model: &Model) -> (String, String) {
    (
        format!(
            "{}/schemas/{CATALOG_FILE_NAME}",
            crate::generated_files::GENERATED_ROOT
        ),
        render(&catalog(model)),
    )
}
