//! A folder's published files in (a schema folder such as `generated/schemas/`, or a published
//! site with its `catalog.json`), the set of body schemas to compare out, each keyed by service,
//! endpoint and direction and carrying its service's schema version.

use std::collections::BTreeMap;

use serde_json::Value;

use super::SchemaKey;
use crate::emit_catalog::{CATALOG_FILE_NAME, Catalog};
use crate::model::Direction;

/// A published schema document and its service's schema version.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedSchema {
    /// The service's schema version, from the catalog or the `$id`.
    pub schema_version: String,
    /// The document.
    pub document: Value,
}

/// Every published schema of one side of the comparison.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SchemaSet {
    /// By service, endpoint and direction.
    pub schemas: BTreeMap<SchemaKey, PublishedSchema>,
}

/// Why a set of published files cannot be compared.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DiffInputError {
    /// A file is not JSON.
    #[error("`{file}` is not JSON: {message}")]
    NotJson {
        /// The file, relative to the schema folder.
        file: String,
        /// What the reader said.
        message: String,
    },
    /// The catalog does not have the expected shape.
    #[error("`{file}` is not a schema catalog: {message}")]
    NotACatalog {
        /// The file.
        file: String,
        /// What the reader said.
        message: String,
    },
    /// The catalog lists a file the folder does not have.
    #[error("`{catalog}` lists `{file}`, which is missing")]
    MissingFile {
        /// The catalog.
        catalog: String,
        /// The missing file.
        file: String,
    },
    /// A schema's `$id` does not name its version.
    #[error(
        "`{file}` has no `$id` of the form `<base><service>/<version>/<endpoint>.<request|response>.json`"
    )]
    NoVersion {
        /// The file.
        file: String,
    },
    /// The catalog lists a direction other than `request` or `response`.
    #[error(
        "`{catalog}` lists `{file}` with direction `{direction}`, expected `request` or `response`"
    )]
    BadDirection {
        /// The catalog.
        catalog: String,
        /// The entry's file.
        file: String,
        /// What it says.
        direction: String,
    },
}

impl SchemaSet {
    /// Reads a folder's files (path relative to the folder → text): either a schema folder like
    /// `generated/schemas/` or a published site. With a `catalog.json`, the schemas of each
    /// service's `latest` version it lists; without one (older commits),
    /// every `<service>/<endpoint>.<request|response>.json`, versioned by its `$id`.
    pub fn from_files(files: &BTreeMap<String, String>) -> Result<SchemaSet, DiffInputError> {
        let mut set = SchemaSet::default();
        if let Some(catalog_text) = files.get(CATALOG_FILE_NAME) {
            let catalog: Catalog = serde_json::from_str(catalog_text).map_err(|error| {
                DiffInputError::NotACatalog {
                    file: CATALOG_FILE_NAME.to_owned(),
                    message: error.to_string(),
                }
            })?;
            for entry in catalog.latest_entries() {
                let text = files
                    .get(&entry.file)
                    .ok_or_else(|| DiffInputError::MissingFile {
                        catalog: CATALOG_FILE_NAME.to_owned(),
                        file: entry.file.clone(),
                    })?;
                let direction = Direction::parse(&entry.direction).ok_or_else(|| {
                    DiffInputError::BadDirection {
                        catalog: CATALOG_FILE_NAME.to_owned(),
                        file: entry.file.clone(),
                        direction: entry.direction.clone(),
                    }
                })?;
                set.schemas.insert(
                    SchemaKey {
                        service: entry.service.clone(),
                        endpoint: entry.endpoint.clone(),
                        direction,
                    },
                    PublishedSchema {
                        schema_version: entry.schema_version.clone(),
                        document: parse_json(&entry.file, text)?,
                    },
                );
            }
            return Ok(set);
        }
        for (path, text) in files {
            let Some(key) = key_of_schema_path(path) else {
                continue;
            };
            let document = parse_json(path, text)?;
            let schema_version = document
                .get("$id")
                .and_then(Value::as_str)
                .and_then(version_of_id)
                .ok_or_else(|| DiffInputError::NoVersion { file: path.clone() })?;
            set.schemas.insert(
                key,
                PublishedSchema {
                    schema_version,
                    document,
                },
            );
        }
        Ok(set)
    }
}

fn parse_json(file: &str, text: &str) -> Result<Value, DiffInputError> {
    serde_json::from_str(text).map_err(|error| DiffInputError::NotJson {
        file: file.to_owned(),
        message: error.to_string(),
    })
}

/// `crm/leads.create.request.json` → its key; anything else → `None`.
fn key_of_schema_path(path: &str) -> Option<SchemaKey> {
    let (service, file) = path.split_once('/')?;
    if file.contains('/') {
        return None;
    }
    let stem = file.strip_suffix(".json")?;
    let (endpoint, direction) = stem.rsplit_once('.')?;
    let direction = Direction::parse(direction)?;
    Some(SchemaKey {
        service: service.to_owned(),
        endpoint: endpoint.to_owned(),
        direction,
    })
}

/// The version segment of `<base><service>/<version>/<file>`.
fn version_of_id(id: &str) -> Option<String> {
    let mut segments = id.rsplit('/');
    let _file = segments.next()?;
    let version = segments.next()?;
    (!version.is_empty()).then(|| version.to_owned())
}
