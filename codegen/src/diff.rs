//! Two sets of published schema documents in (a base, such as the parent commit's
//! `generated/schemas/` or a published site, and the current one), every change out, each
//! classified by the way consumers feel it, with the acknowledged breaking changes marked, the
//! semver bump each service needs, and a human and a JSON report. Pure: the caller reads the
//! files.
//!
//! Who breaks: a request schema is read by callers who build payloads, so a change that makes it
//! accept fewer payloads (a new required field, a narrowed type or enum, a tightened constraint)
//! breaks them; a response schema is read by readers who rely on what arrives, so a change that
//! makes it accept more (a field that becomes optional or nullable, a widened type, a new enum
//! value) breaks them. A removed or renamed field, a removed schema and a change the diff does not
//! understand break both. Descriptions and titles never break anyone.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::diagnostic::SourceLocation;
use crate::emit_catalog::{CATALOG_FILE_NAME, Catalog};
use crate::model::Direction;

/// Where the acknowledgement file lives, relative to the project root.
pub const ACKNOWLEDGEMENTS_FILE: &str = "spec/breaking-changes.yaml";

/// Name of the acknowledgement file's format schema under `generated/spec-format/`.
pub const ACKNOWLEDGEMENTS_FORMAT_FILE: &str = "breaking-changes.schema.json";

/// One published body schema: `crm/accounts.create.request`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct SchemaKey {
    /// Service id.
    pub service: String,
    /// Endpoint id.
    pub endpoint: String,
    /// `request` or `response`.
    pub direction: BodyDirection,
}

impl fmt::Display for SchemaKey {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "{}/{}.{}",
            self.service,
            self.endpoint,
            self.direction.as_str()
        )
    }
}

/// Which way a body travels, as the diff's reports name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BodyDirection {
    /// Built by callers.
    Request,
    /// Read by readers.
    Response,
}

impl BodyDirection {
    /// `request` or `response`.
    pub fn as_str(self) -> &'static str {
        match self {
            BodyDirection::Request => "request",
            BodyDirection::Response => "response",
        }
    }

    fn parse(text: &str) -> Option<BodyDirection> {
        match text {
            "request" => Some(BodyDirection::Request),
            "response" => Some(BodyDirection::Response),
            _ => None,
        }
    }
}

impl From<Direction> for BodyDirection {
    fn from(direction: Direction) -> BodyDirection {
        match direction {
            Direction::Request => BodyDirection::Request,
            Direction::Response => BodyDirection::Response,
        }
    }
}

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
                let direction = BodyDirection::parse(&entry.direction).ok_or_else(|| {
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
    let direction = BodyDirection::parse(direction)?;
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

/// What changed, named as the acknowledgement file names it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// A new endpoint body.
    SchemaAdded,
    /// An endpoint body no longer published.
    SchemaRemoved,
    /// A new field that must be present.
    RequiredFieldAdded,
    /// A new field that may be absent.
    OptionalFieldAdded,
    /// A field no longer listed.
    FieldRemoved,
    /// A field listed under another name, with the same contract.
    FieldRenamed,
    /// A field that may be absent must now be present.
    FieldBecameRequired,
    /// A field that had to be present may now be absent.
    FieldBecameOptional,
    /// A value may now be `null`.
    FieldBecameNullable,
    /// A value may no longer be `null`.
    FieldBecameNonNullable,
    /// More JSON types accepted (`integer` to `number`, anything to any).
    TypeWidened,
    /// Fewer JSON types accepted.
    TypeNarrowed,
    /// Some types dropped and others added.
    TypeChanged,
    /// A new value in a list of values.
    EnumValueAdded,
    /// A value dropped from a list of values.
    EnumValueRemoved,
    /// A string that was free is now restricted to listed values.
    EnumIntroduced,
    /// A string restricted to listed values is now free.
    EnumLifted,
    /// A `format`/`pattern` where there was none.
    ConstraintTightened,
    /// No `format`/`pattern` where there was one.
    ConstraintLoosened,
    /// A different `format`/`pattern`.
    ConstraintChanged,
    /// Fields the page does not list are now refused.
    UndocumentedFieldsForbidden,
    /// Fields the page does not list are now accepted.
    UndocumentedFieldsAllowed,
    /// A new group of fields of which at least one is needed.
    AtLeastOneOfAdded,
    /// A group of fields of which at least one was needed is gone.
    AtLeastOneOfRemoved,
    /// A description, title or comment changed.
    AnnotationChanged,
    /// A keyword this diff does not model changed: assumed to break everyone.
    Unclassified,
}

impl ChangeKind {
    /// Every kind, in the order the rules table lists them.
    pub const ALL: [ChangeKind; 26] = [
        ChangeKind::SchemaAdded,
        ChangeKind::SchemaRemoved,
        ChangeKind::RequiredFieldAdded,
        ChangeKind::OptionalFieldAdded,
        ChangeKind::FieldRemoved,
        ChangeKind::FieldRenamed,
        ChangeKind::FieldBecameRequired,
        ChangeKind::FieldBecameOptional,
        ChangeKind::FieldBecameNullable,
        ChangeKind::FieldBecameNonNullable,
        ChangeKind::TypeWidened,
        ChangeKind::TypeNarrowed,
        ChangeKind::TypeChanged,
        ChangeKind::EnumValueAdded,
        ChangeKind::EnumValueRemoved,
        ChangeKind::EnumIntroduced,
        ChangeKind::EnumLifted,
        ChangeKind::ConstraintTightened,
        ChangeKind::ConstraintLoosened,
        ChangeKind::ConstraintChanged,
        ChangeKind::UndocumentedFieldsForbidden,
        ChangeKind::UndocumentedFieldsAllowed,
        ChangeKind::AtLeastOneOfAdded,
        ChangeKind::AtLeastOneOfRemoved,
        ChangeKind::AnnotationChanged,
        ChangeKind::Unclassified,
    ];

    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::SchemaAdded => "schema-added",
            ChangeKind::SchemaRemoved => "schema-removed",
            ChangeKind::RequiredFieldAdded => "required-field-added",
            ChangeKind::OptionalFieldAdded => "optional-field-added",
            ChangeKind::FieldRemoved => "field-removed",
            ChangeKind::FieldRenamed => "field-renamed",
            ChangeKind::FieldBecameRequired => "field-became-required",
            ChangeKind::FieldBecameOptional => "field-became-optional",
            ChangeKind::FieldBecameNullable => "field-became-nullable",
            ChangeKind::FieldBecameNonNullable => "field-became-non-nullable",
            ChangeKind::TypeWidened => "type-widened",
            ChangeKind::TypeNarrowed => "type-narrowed",
            ChangeKind::TypeChanged => "type-changed",
            ChangeKind::EnumValueAdded => "enum-value-added",
            ChangeKind::EnumValueRemoved => "enum-value-removed",
            ChangeKind::EnumIntroduced => "enum-introduced",
            ChangeKind::EnumLifted => "enum-lifted",
            ChangeKind::ConstraintTightened => "constraint-tightened",
            ChangeKind::ConstraintLoosened => "constraint-loosened",
            ChangeKind::ConstraintChanged => "constraint-changed",
            ChangeKind::UndocumentedFieldsForbidden => "undocumented-fields-forbidden",
            ChangeKind::UndocumentedFieldsAllowed => "undocumented-fields-allowed",
            ChangeKind::AtLeastOneOfAdded => "at-least-one-of-added",
            ChangeKind::AtLeastOneOfRemoved => "at-least-one-of-removed",
            ChangeKind::AnnotationChanged => "annotation-changed",
            ChangeKind::Unclassified => "unclassified",
        }
    }

    /// Whether the change breaks consumers of a body going in `direction`: callers for requests
    /// (the schema accepts fewer payloads), readers for responses (it accepts more).
    pub fn breaks(self, direction: BodyDirection) -> bool {
        let (breaks_callers, breaks_readers) = match self {
            ChangeKind::SchemaAdded
            | ChangeKind::OptionalFieldAdded
            | ChangeKind::AnnotationChanged => (false, false),
            ChangeKind::SchemaRemoved
            | ChangeKind::FieldRemoved
            | ChangeKind::FieldRenamed
            | ChangeKind::TypeChanged
            | ChangeKind::ConstraintChanged
            | ChangeKind::Unclassified => (true, true),
            ChangeKind::RequiredFieldAdded
            | ChangeKind::FieldBecameRequired
            | ChangeKind::FieldBecameNonNullable
            | ChangeKind::TypeNarrowed
            | ChangeKind::EnumValueRemoved
            | ChangeKind::EnumIntroduced
            | ChangeKind::ConstraintTightened
            | ChangeKind::UndocumentedFieldsForbidden
            | ChangeKind::AtLeastOneOfAdded => (true, false),
            ChangeKind::FieldBecameOptional
            | ChangeKind::FieldBecameNullable
            | ChangeKind::TypeWidened
            | ChangeKind::EnumValueAdded
            | ChangeKind::EnumLifted
            | ChangeKind::ConstraintLoosened
            | ChangeKind::UndocumentedFieldsAllowed
            | ChangeKind::AtLeastOneOfRemoved => (false, true),
        };
        match direction {
            BodyDirection::Request => breaks_callers,
            BodyDirection::Response => breaks_readers,
        }
    }

    /// The smallest version bump the change needs in `direction`.
    pub fn bump(self, direction: BodyDirection) -> Bump {
        if self.breaks(direction) {
            Bump::Major
        } else if self == ChangeKind::AnnotationChanged {
            Bump::Patch
        } else {
            Bump::Minor
        }
    }
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// A semver bump.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    /// Nothing changed.
    None,
    /// Only descriptions and comments.
    Patch,
    /// Compatible additions.
    Minor,
    /// Breaking changes.
    Major,
}

impl Bump {
    /// `none`, `patch`, `minor` or `major`.
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }

    /// `version` raised by this bump (`1.2.3` → `2.0.0` for major); `None` for a version that is
    /// not `MAJOR.MINOR.PATCH`.
    pub fn apply(self, version: &str) -> Option<String> {
        let [major, minor, patch] = semver_parts(version)?;
        Some(match self {
            Bump::None => version.to_owned(),
            Bump::Patch => format!("{major}.{minor}.{}", patch + 1),
            Bump::Minor => format!("{major}.{}.0", minor + 1),
            Bump::Major => format!("{}.0.0", major + 1),
        })
    }

    /// The bump from `base` to `current`, if both are `MAJOR.MINOR.PATCH` and `current` is not
    /// lower.
    pub fn between(base: &str, current: &str) -> Option<Bump> {
        let base = semver_parts(base)?;
        let current = semver_parts(current)?;
        if current < base {
            return None;
        }
        Some(if current[0] > base[0] {
            Bump::Major
        } else if current[1] > base[1] {
            Bump::Minor
        } else if current[2] > base[2] {
            Bump::Patch
        } else {
            Bump::None
        })
    }
}

fn semver_parts(version: &str) -> Option<[u64; 3]> {
    let mut parts = version.split('.').map(|part| part.parse::<u64>().ok());
    let major = parts.next()??;
    let minor = parts.next()??;
    let patch = parts.next()??;
    parts.next().is_none().then_some([major, minor, patch])
}

/// One change to a published schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The schema: `crm/accounts.create.request`.
    #[serde(serialize_with = "serialize_display")]
    pub schema: SchemaKey,
    /// JSON Pointer of the value in a payload (`/data/tags/*` for every item of `tags`); empty
    /// for the whole body.
    pub pointer: String,
    /// What changed.
    pub change: ChangeKind,
    /// The change in words.
    pub detail: String,
    /// Whether it breaks the body's consumers.
    pub breaking: bool,
    /// The reason given in the acknowledgement file, where it is acknowledged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acknowledged: Option<String>,
}

fn serialize_display<S: serde::Serializer>(
    value: &SchemaKey,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_str(value)
}

/// The bump one service needs, against what its `schema_version` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceVersion {
    /// Service id.
    pub service: String,
    /// Its schema version in the base, if it was published there.
    pub base_version: Option<String>,
    /// Its schema version now, if it is still published.
    pub current_version: Option<String>,
    /// The smallest bump the changes need.
    pub required_bump: Bump,
    /// The base version raised by that bump.
    pub suggested_version: Option<String>,
    /// Whether the current version is raised at least that much.
    pub version_is_enough: bool,
}

/// Every change between two schema sets, and what follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffReport {
    /// Changes by schema, then in the order the schemas list fields.
    pub changes: Vec<Change>,
    /// One entry per service of either side.
    pub services: Vec<ServiceVersion>,
}

impl DiffReport {
    /// The breaking changes no acknowledgement covers.
    pub fn unacknowledged_breaking(&self) -> impl Iterator<Item = &Change> {
        self.changes
            .iter()
            .filter(|change| change.breaking && change.acknowledged.is_none())
    }

    /// 1 when a breaking change is not acknowledged, else 0.
    pub fn exit_code(&self) -> u8 {
        u8::from(self.unacknowledged_breaking().next().is_some())
    }
}

/// Compares `base` with `current` and marks the changes `acknowledgements` cover.
pub fn compare(
    base: &SchemaSet,
    current: &SchemaSet,
    acknowledgements: &Acknowledgements,
) -> DiffReport {
    let mut changes = Vec::new();
    let keys: BTreeSet<&SchemaKey> = base.schemas.keys().chain(current.schemas.keys()).collect();
    for key in keys {
        let mut found = Vec::new();
        match (base.schemas.get(key), current.schemas.get(key)) {
            (Some(_), None) => found.push(Found {
                pointer: String::new(),
                kind: ChangeKind::SchemaRemoved,
                detail: "the schema is no longer published".to_owned(),
            }),
            (None, Some(_)) => found.push(Found {
                pointer: String::new(),
                kind: ChangeKind::SchemaAdded,
                detail: "a new schema".to_owned(),
            }),
            (Some(old), Some(new)) => compare_values(
                &crate::schema_refs::inline_local_refs(&old.document),
                &crate::schema_refs::inline_local_refs(&new.document),
                "",
                &mut found,
            ),
            (None, None) => {}
        }
        for found in found {
            let breaking = found.kind.breaks(key.direction);
            let acknowledged = if breaking {
                acknowledgements
                    .find(key, found.kind, &found.pointer)
                    .map(|entry| entry.reason.clone())
            } else {
                None
            };
            changes.push(Change {
                schema: key.clone(),
                pointer: found.pointer,
                change: found.kind,
                detail: found.detail,
                breaking,
                acknowledged,
            });
        }
    }

    let services: BTreeSet<&String> = base
        .schemas
        .keys()
        .chain(current.schemas.keys())
        .map(|key| &key.service)
        .collect();
    let version_of = |set: &SchemaSet, service: &str| {
        set.schemas
            .iter()
            .find(|(key, _)| key.service == service)
            .map(|(_, schema)| schema.schema_version.clone())
    };
    let services = services
        .into_iter()
        .map(|service| {
            let required_bump = changes
                .iter()
                .filter(|change| &change.schema.service == service)
                .map(|change| change.change.bump(change.schema.direction))
                .max()
                .unwrap_or(Bump::None);
            let base_version = version_of(base, service);
            let current_version = version_of(current, service);
            let suggested_version = base_version
                .as_deref()
                .and_then(|version| required_bump.apply(version));
            let version_is_enough = match (&base_version, &current_version) {
                (Some(base), Some(current)) => {
                    Bump::between(base, current).is_some_and(|done| done >= required_bump)
                }
                _ => true,
            };
            ServiceVersion {
                service: service.clone(),
                base_version,
                current_version,
                required_bump,
                suggested_version,
                version_is_enough,
            }
        })
        .collect();
    DiffReport { changes, services }
}

struct Found {
    pointer: String,
    kind: ChangeKind,
    detail: String,
}

const ANNOTATIONS: [&str; 4] = ["title", "description", "$comment", "default"];
const IGNORED: [&str; 2] = ["$id", "$schema"];

fn escape_pointer_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

fn shown(pointer: &str) -> &str {
    if pointer.is_empty() {
        "the body"
    } else {
        pointer
    }
}

/// The normalized contract of a schema: the JSON types it accepts and, for each, its keywords.
#[derive(Debug, Clone, PartialEq)]
enum Contract<'a> {
    /// Any value.
    Any,
    /// Only these types (`integer` is kept apart from `number`).
    Types(BTreeMap<&'a str, Facet<'a>>),
    /// A keyword outside what the diff models: compared as JSON.
    Opaque,
}

#[derive(Debug, Clone, PartialEq, Default)]
struct Facet<'a> {
    enum_values: Option<Vec<&'a Value>>,
    format: Option<&'a str>,
    pattern: Option<&'a str>,
    properties: Vec<(&'a str, &'a Value)>,
    required: BTreeSet<&'a str>,
    additional_properties: Option<bool>,
    groups: BTreeSet<BTreeSet<&'a str>>,
    items: Option<&'a Value>,
}

const JSON_TYPES: [&str; 7] = [
    "null", "boolean", "integer", "number", "string", "array", "object",
];

fn contract_of(schema: &Value) -> Contract<'_> {
    let object = match schema {
        Value::Bool(true) => return Contract::Any,
        Value::Object(object) => object,
        _ => return Contract::Opaque,
    };
    let constraining: Vec<(&String, &Value)> = object
        .iter()
        .filter(|(key, _)| !ANNOTATIONS.contains(&key.as_str()) && !IGNORED.contains(&key.as_str()))
        .collect();
    if constraining.is_empty() {
        return Contract::Any;
    }
    let Some(type_value) = object.get("type") else {
        // A union or a nullable wrapper: `anyOf` and nothing else.
        if let (1, Some(Value::Array(branches))) = (constraining.len(), object.get("anyOf")) {
            return union_contract(branches);
        }
        return Contract::Opaque;
    };
    let types: Vec<&str> = match type_value {
        Value::String(name) => vec![name.as_str()],
        Value::Array(names) => match names.iter().map(Value::as_str).collect::<Option<Vec<_>>>() {
            Some(names) => names,
            None => return Contract::Opaque,
        },
        _ => return Contract::Opaque,
    };
    if types.iter().any(|name| !JSON_TYPES.contains(name)) {
        return Contract::Opaque;
    }
    let mut facet = Facet::default();
    for (key, value) in &constraining {
        let understood = match key.as_str() {
            "type" => true,
            "enum" => match value {
                Value::Array(values) => {
                    facet.enum_values =
                        Some(values.iter().filter(|value| !value.is_null()).collect());
                    true
                }
                _ => false,
            },
            "format" => {
                facet.format = value.as_str();
                facet.format.is_some()
            }
            "pattern" => {
                facet.pattern = value.as_str();
                facet.pattern.is_some()
            }
            "properties" => match value {
                Value::Object(properties) => {
                    facet.properties = properties
                        .iter()
                        .map(|(name, schema)| (name.as_str(), schema))
                        .collect();
                    true
                }
                _ => false,
            },
            "required" => match value.as_array().and_then(|names| {
                names
                    .iter()
                    .map(Value::as_str)
                    .collect::<Option<BTreeSet<_>>>()
            }) {
                Some(names) => {
                    facet.required = names;
                    true
                }
                None => false,
            },
            "additionalProperties" => {
                facet.additional_properties = value.as_bool();
                facet.additional_properties.is_some()
            }
            "anyOf" => match group_of(value) {
                Some(group) => {
                    facet.groups.insert(group);
                    true
                }
                None => false,
            },
            "allOf" => match value.as_array().and_then(|parts| {
                parts
                    .iter()
                    .map(|part| {
                        let part = part.as_object()?;
                        (part.len() == 1).then_some(())?;
                        group_of(part.get("anyOf")?)
                    })
                    .collect::<Option<Vec<_>>>()
            }) {
                Some(groups) => {
                    facet.groups.extend(groups);
                    true
                }
                None => false,
            },
            "items" => {
                facet.items = Some(value);
                true
            }
            _ => false,
        };
        if !understood {
            return Contract::Opaque;
        }
    }
    let mut map = BTreeMap::new();
    for name in types {
        let typed = match name {
            "string" => Facet {
                enum_values: facet.enum_values.clone(),
                format: facet.format,
                pattern: facet.pattern,
                ..Facet::default()
            },
            "object" => Facet {
                properties: facet.properties.clone(),
                required: facet.required.clone(),
                additional_properties: facet.additional_properties,
                groups: facet.groups.clone(),
                ..Facet::default()
            },
            "array" => Facet {
                items: facet.items,
                ..Facet::default()
            },
            _ => Facet::default(),
        };
        map.insert(name, typed);
    }
    Contract::Types(map)
}

/// `[{"required": ["email"]}, {"required": ["phone"], "properties": {…}}]` → `{email, phone}`.
fn group_of(value: &Value) -> Option<BTreeSet<&str>> {
    let branches = value.as_array()?;
    branches
        .iter()
        .map(|branch| {
            let branch = branch.as_object()?;
            if branch
                .keys()
                .any(|key| key != "required" && key != "properties")
            {
                return None;
            }
            match branch.get("required")?.as_array()?.as_slice() {
                [name] => name.as_str(),
                _ => None,
            }
        })
        .collect()
}

fn union_contract(branches: &[Value]) -> Contract<'_> {
    let mut map: BTreeMap<&str, Facet<'_>> = BTreeMap::new();
    for branch in branches {
        match contract_of(branch) {
            Contract::Any => return Contract::Any,
            Contract::Opaque => return Contract::Opaque,
            Contract::Types(types) => {
                for (name, facet) in types {
                    if map.get(name).is_some_and(|existing| existing != &facet) {
                        return Contract::Opaque;
                    }
                    map.insert(name, facet);
                }
            }
        }
    }
    Contract::Types(map)
}

/// The schema with every annotation removed at every depth, for comparing contracts only.
fn without_annotations(schema: &Value) -> Value {
    match schema {
        Value::Object(object) => {
            let mut out = Map::new();
            for (key, value) in object {
                if ANNOTATIONS.contains(&key.as_str()) || IGNORED.contains(&key.as_str()) {
                    continue;
                }
                let value = if key == "properties" {
                    match value {
                        Value::Object(properties) => Value::Object(
                            properties
                                .iter()
                                .map(|(name, schema)| (name.clone(), without_annotations(schema)))
                                .collect(),
                        ),
                        other => other.clone(),
                    }
                } else {
                    without_annotations(value)
                };
                out.insert(key.clone(), value);
            }
            Value::Object(out)
        }
        Value::Array(values) => Value::Array(values.iter().map(without_annotations).collect()),
        other => other.clone(),
    }
}

fn compare_values(old: &Value, new: &Value, pointer: &str, found: &mut Vec<Found>) {
    for key in ANNOTATIONS {
        let before = old.get(key);
        let after = new.get(key);
        if before != after {
            found.push(Found {
                pointer: pointer.to_owned(),
                kind: ChangeKind::AnnotationChanged,
                detail: format!("`{key}` of {} changed", shown(pointer)),
            });
        }
    }
    match (contract_of(old), contract_of(new)) {
        (Contract::Opaque, _) | (_, Contract::Opaque) => {
            if without_annotations(old) != without_annotations(new) {
                found.push(Found {
                    pointer: pointer.to_owned(),
                    kind: ChangeKind::Unclassified,
                    detail: format!(
                        "the schema of {} changed in a way this diff does not classify",
                        shown(pointer)
                    ),
                });
            }
        }
        (Contract::Any, Contract::Any) => {}
        (Contract::Any, Contract::Types(types)) => found.push(Found {
            pointer: pointer.to_owned(),
            kind: ChangeKind::TypeNarrowed,
            detail: format!(
                "{} accepted any value, now only {}",
                shown(pointer),
                type_list(types.keys())
            ),
        }),
        (Contract::Types(types), Contract::Any) => found.push(Found {
            pointer: pointer.to_owned(),
            kind: ChangeKind::TypeWidened,
            detail: format!(
                "{} accepted only {}, now any value",
                shown(pointer),
                type_list(types.keys())
            ),
        }),
        (Contract::Types(old_types), Contract::Types(new_types)) => {
            compare_types(&old_types, &new_types, pointer, found);
        }
    }
}

fn type_list<'a>(types: impl Iterator<Item = &'a &'a str>) -> String {
    types
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn compare_types(
    old: &BTreeMap<&str, Facet<'_>>,
    new: &BTreeMap<&str, Facet<'_>>,
    pointer: &str,
    found: &mut Vec<Found>,
) {
    let mut removed: BTreeSet<&str> = old
        .keys()
        .filter(|name| !new.contains_key(*name))
        .copied()
        .collect();
    let mut added: BTreeSet<&str> = new
        .keys()
        .filter(|name| !old.contains_key(*name))
        .copied()
        .collect();
    let at = shown(pointer);
    if added.remove("null") {
        found.push(Found {
            pointer: pointer.to_owned(),
            kind: ChangeKind::FieldBecameNullable,
            detail: format!("{at} may now be null"),
        });
    }
    if removed.remove("null") {
        found.push(Found {
            pointer: pointer.to_owned(),
            kind: ChangeKind::FieldBecameNonNullable,
            detail: format!("{at} may no longer be null"),
        });
    }
    // `integer` is a subset of `number`.
    if removed.contains("integer") && (added.contains("number") || new.contains_key("number")) {
        removed.remove("integer");
        added.remove("number");
        found.push(Found {
            pointer: pointer.to_owned(),
            kind: ChangeKind::TypeWidened,
            detail: format!("{at} was an `integer`, now any `number`"),
        });
    }
    if removed.contains("number") && (added.contains("integer") || old.contains_key("integer")) {
        removed.remove("number");
        added.remove("integer");
        found.push(Found {
            pointer: pointer.to_owned(),
            kind: ChangeKind::TypeNarrowed,
            detail: format!("{at} was any `number`, now only an `integer`"),
        });
    }
    match (removed.is_empty(), added.is_empty()) {
        (true, true) => {}
        (false, true) => found.push(Found {
            pointer: pointer.to_owned(),
            kind: ChangeKind::TypeNarrowed,
            detail: format!("{at} no longer accepts {}", type_list(removed.iter())),
        }),
        (true, false) => found.push(Found {
            pointer: pointer.to_owned(),
            kind: ChangeKind::TypeWidened,
            detail: format!("{at} now also accepts {}", type_list(added.iter())),
        }),
        (false, false) => found.push(Found {
            pointer: pointer.to_owned(),
            kind: ChangeKind::TypeChanged,
            detail: format!(
                "{at} was {}, now {}",
                type_list(removed.iter()),
                type_list(added.iter())
            ),
        }),
    }
    for (name, old_facet) in old {
        let Some(new_facet) = new.get(name) else {
            continue;
        };
        match *name {
            "string" => compare_strings(old_facet, new_facet, pointer, found),
            "array" => {
                let any = Value::Bool(true);
                compare_values(
                    old_facet.items.unwrap_or(&any),
                    new_facet.items.unwrap_or(&any),
                    &format!("{pointer}/*"),
                    found,
                );
            }
            "object" => compare_objects(old_facet, new_facet, pointer, found),
            _ => {}
        }
    }
}

fn compare_strings(old: &Facet<'_>, new: &Facet<'_>, pointer: &str, found: &mut Vec<Found>) {
    let at = shown(pointer);
    let list = |values: &[&Value]| {
        values
            .iter()
            .map(|value| value.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (&old.enum_values, &new.enum_values) {
        (None, None) => {}
        (None, Some(values)) => found.push(Found {
            pointer: pointer.to_owned(),
            kind: ChangeKind::EnumIntroduced,
            detail: format!("{at} was any string, now one of {}", list(values)),
        }),
        (Some(values), None) => found.push(Found {
            pointer: pointer.to_owned(),
            kind: ChangeKind::EnumLifted,
            detail: format!("{at} was one of {}, now any string", list(values)),
        }),
        (Some(before), Some(after)) => {
            for value in before.iter().filter(|value| !after.contains(value)) {
                found.push(Found {
                    pointer: pointer.to_owned(),
                    kind: ChangeKind::EnumValueRemoved,
                    detail: format!("{at} no longer accepts {value}"),
                });
            }
            for value in after.iter().filter(|value| !before.contains(value)) {
                found.push(Found {
                    pointer: pointer.to_owned(),
                    kind: ChangeKind::EnumValueAdded,
                    detail: format!("{at} now also accepts {value}"),
                });
            }
        }
    }
    let describe = |facet: &Facet<'_>| match (facet.format, facet.pattern) {
        (Some(format), _) => format!("format `{format}`"),
        (None, Some(_)) => "a pattern".to_owned(),
        (None, None) => "no format".to_owned(),
    };
    let before = (old.format, old.pattern);
    let after = (new.format, new.pattern);
    if before != after {
        let kind = match (before, after) {
            ((None, None), _) => ChangeKind::ConstraintTightened,
            (_, (None, None)) => ChangeKind::ConstraintLoosened,
            _ => ChangeKind::ConstraintChanged,
        };
        found.push(Found {
            pointer: pointer.to_owned(),
            kind,
            detail: format!(
                "{at} had {}, now {}{}",
                describe(old),
                describe(new),
                if old.format == new.format && old.pattern != new.pattern {
                    " with another pattern"
                } else {
                    ""
                }
            ),
        });
    }
}

fn compare_objects(old: &Facet<'_>, new: &Facet<'_>, pointer: &str, found: &mut Vec<Found>) {
    let at = shown(pointer);
    let old_names: BTreeSet<&str> = old.properties.iter().map(|(name, _)| *name).collect();
    let new_names: BTreeSet<&str> = new.properties.iter().map(|(name, _)| *name).collect();
    let schema_in = |facet: &Facet<'_>, name: &str| {
        facet
            .properties
            .iter()
            .find(|(property, _)| *property == name)
            .map(|(_, schema)| without_annotations(schema))
    };
    let mut removed: Vec<&str> = old
        .properties
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| !new_names.contains(name))
        .collect();
    let mut added: Vec<&str> = new
        .properties
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| !old_names.contains(name))
        .collect();

    // A removed and an added field with the same contract and requiredness: a rename.
    let mut renames = Vec::new();
    for old_name in removed.clone() {
        let candidates: Vec<&str> = added
            .iter()
            .copied()
            .filter(|new_name| {
                schema_in(old, old_name) == schema_in(new, new_name)
                    && old.required.contains(old_name) == new.required.contains(new_name)
            })
            .collect();
        if let [new_name] = candidates.as_slice() {
            renames.push((old_name, *new_name));
            added.retain(|name| name != new_name);
            removed.retain(|name| *name != old_name);
        }
    }
    let child = |name: &str| format!("{pointer}/{}", escape_pointer_segment(name));
    for (old_name, new_name) in renames {
        found.push(Found {
            pointer: child(old_name),
            kind: ChangeKind::FieldRenamed,
            detail: format!("field `{old_name}` is now called `{new_name}`"),
        });
    }
    for name in removed {
        found.push(Found {
            pointer: child(name),
            kind: ChangeKind::FieldRemoved,
            detail: format!(
                "{} field `{name}` of {at} is no longer listed",
                if old.required.contains(name) {
                    "required"
                } else {
                    "optional"
                }
            ),
        });
    }
    for name in added {
        let required = new.required.contains(name);
        found.push(Found {
            pointer: child(name),
            kind: if required {
                ChangeKind::RequiredFieldAdded
            } else {
                ChangeKind::OptionalFieldAdded
            },
            detail: format!(
                "new {} field `{name}` in {at}",
                if required { "required" } else { "optional" }
            ),
        });
    }
    for (name, old_schema) in &old.properties {
        let Some((_, new_schema)) = new.properties.iter().find(|(property, _)| property == name)
        else {
            continue;
        };
        let was_required = old.required.contains(name);
        let is_required = new.required.contains(name);
        if was_required != is_required {
            found.push(Found {
                pointer: child(name),
                kind: if is_required {
                    ChangeKind::FieldBecameRequired
                } else {
                    ChangeKind::FieldBecameOptional
                },
                detail: format!(
                    "field `{name}` is now {}",
                    if is_required { "required" } else { "optional" }
                ),
            });
        }
        compare_values(old_schema, new_schema, &child(name), found);
    }
    let old_additional = old.additional_properties.unwrap_or(true);
    let new_additional = new.additional_properties.unwrap_or(true);
    if old_additional != new_additional {
        found.push(Found {
            pointer: pointer.to_owned(),
            kind: if new_additional {
                ChangeKind::UndocumentedFieldsAllowed
            } else {
                ChangeKind::UndocumentedFieldsForbidden
            },
            detail: format!(
                "fields {at} does not list are now {}",
                if new_additional {
                    "accepted"
                } else {
                    "refused"
                }
            ),
        });
    }
    let names = |group: &BTreeSet<&str>| {
        group
            .iter()
            .map(|name| format!("`{name}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for group in old.groups.difference(&new.groups) {
        found.push(Found {
            pointer: pointer.to_owned(),
            kind: ChangeKind::AtLeastOneOfRemoved,
            detail: format!("{at} no longer needs at least one of {}", names(group)),
        });
    }
    for group in new.groups.difference(&old.groups) {
        found.push(Found {
            pointer: pointer.to_owned(),
            kind: ChangeKind::AtLeastOneOfAdded,
            detail: format!("{at} now needs at least one of {}", names(group)),
        });
    }
}

/// `spec/breaking-changes.yaml`: breaking changes made on purpose, each with its reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Acknowledged breaking changes (spec/breaking-changes.yaml)")]
pub struct Acknowledgements {
    /// Each breaking change made on purpose. `cargo xtask diff` fails on a breaking change
    /// that no entry names.
    #[serde(default)]
    pub acknowledged: Vec<Acknowledgement>,
}

/// One breaking change made on purpose.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Acknowledgement {
    /// The schema: `<service>/<endpoint>.<request|response>` (`crm/accounts.create.request`).
    pub schema: String,
    /// The kind of change, as `cargo xtask diff` names it (`required-field-added`).
    pub change: ChangeKind,
    /// JSON Pointer of the value, as `cargo xtask diff` prints it (`/status`); empty or absent
    /// for the whole body.
    #[serde(default)]
    pub pointer: String,
    /// Why the break is accepted, in words.
    pub reason: String,
}

/// Why the acknowledgement file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {message}")]
pub struct AcknowledgementsError {
    /// Where.
    pub location: SourceLocation,
    /// What was expected.
    pub message: String,
}

impl Acknowledgements {
    /// Parses the file at `path` (for messages) holding `text`; an entry without a reason is
    /// refused.
    pub fn parse(path: &str, text: &str) -> Result<Acknowledgements, AcknowledgementsError> {
        if text.lines().all(|line| {
            let line = line.trim();
            line.is_empty() || line.starts_with('#')
        }) {
            return Ok(Acknowledgements::default());
        }
        let options = serde_saphyr::options! {
            strict_booleans: true,
            with_snippet: false,
        };
        let parsed: Acknowledgements = serde_saphyr::from_str_with_options(text, options)
            .map_err(|error| {
                let location = error
                    .location()
                    .map(|location| SourceLocation::at(path, location))
                    .unwrap_or_else(|| SourceLocation::start_of(path));
                let formatter =
                    serde_saphyr::DefaultMessageFormatter.with_localizer(&MessageWithoutLocation);
                let message = error.render_with_options(serde_saphyr::render_options! {
                    formatter: &formatter,
                    snippets: serde_saphyr::SnippetMode::Off,
                });
                let message = message.trim().trim_end_matches('.');
                AcknowledgementsError {
                    location,
                    message: format!(
                        "{message}; expected `acknowledged:` with a list of `schema`, `change`, `pointer` and `reason`"
                    ),
                }
            })?;
        for (index, entry) in parsed.acknowledged.iter().enumerate() {
            if entry.reason.trim().is_empty() {
                return Err(AcknowledgementsError {
                    location: SourceLocation::start_of(path),
                    message: format!(
                        "entry {} (`{}` at `{}` in `{}`) has no reason: say in words why the break is accepted",
                        index + 1,
                        entry.change,
                        entry.pointer,
                        entry.schema
                    ),
                });
            }
        }
        Ok(parsed)
    }

    /// The entry covering `kind` at `pointer` in `schema`.
    pub fn find(
        &self,
        schema: &SchemaKey,
        kind: ChangeKind,
        pointer: &str,
    ) -> Option<&Acknowledgement> {
        let name = schema.to_string();
        self.acknowledged
            .iter()
            .find(|entry| entry.schema == name && entry.change == kind && entry.pointer == pointer)
    }
}

/// Renders a reader error's message without the reader's own location: it goes in front.
struct MessageWithoutLocation;

impl serde_saphyr::Localizer for MessageWithoutLocation {
    fn attach_location<'a>(
        &self,
        base: std::borrow::Cow<'a, str>,
        _: serde_saphyr::Location,
    ) -> std::borrow::Cow<'a, str> {
        base
    }
}

/// The acknowledgement file's format, for editors (`generated/spec-format/breaking-changes.schema.json`).
pub fn acknowledgements_format_file() -> (String, String) {
    let mut schema = crate::emit_spec_format::schema_of::<Acknowledgements>("breaking-changes");
    if let Value::Object(map) = &mut schema {
        map.insert(
            "$comment".to_owned(),
            Value::String(
                "@generated by `cargo xtask gen` from codegen/src/diff.rs (the acknowledgement file's serde types); do not edit by hand"
                    .to_owned(),
            ),
        );
    }
    (
        format!(
            "{}/spec-format/{ACKNOWLEDGEMENTS_FORMAT_FILE}",
            crate::GENERATED_ROOT
        ),
        crate::emit_schema::render(&schema),
    )
}

/// The report for people: each changed schema and its changes, each service's version advice,
/// and a closing line.
pub fn render_human(report: &DiffReport) -> String {
    let mut out = String::new();
    let mut current: Option<&SchemaKey> = None;
    for change in &report.changes {
        if current != Some(&change.schema) {
            let _ = writeln!(out, "{}", change.schema);
            current = Some(&change.schema);
        }
        let verdict = match (change.breaking, &change.acknowledged) {
            (false, _) => "compatible",
            (true, None) => "BREAKING",
            (true, Some(_)) => "breaking, acknowledged",
        };
        let place = if change.pointer.is_empty() {
            "the body".to_owned()
        } else {
            format!("`{}`", change.pointer)
        };
        let _ = writeln!(
            out,
            "  {verdict}: {} at {place}: {}",
            change.change, change.detail
        );
        if let Some(reason) = &change.acknowledged {
            let _ = writeln!(out, "    reason: {reason}");
        }
    }
    if !report.changes.is_empty() {
        out.push('\n');
    }
    for service in &report.services {
        let version =
            |version: &Option<String>| version.clone().unwrap_or_else(|| "(none)".to_owned());
        let needed = match service.required_bump {
            Bump::None => "no change, no bump needed".to_owned(),
            bump => format!("the changes need a {} bump", bump.as_str()),
        };
        let _ = write!(
            out,
            "{}: schema_version {} -> {}; {needed}",
            service.service,
            version(&service.base_version),
            version(&service.current_version),
        );
        if let (Some(suggested), true) = (
            &service.suggested_version,
            service.required_bump != Bump::None,
        ) {
            let _ = write!(out, " (suggested: {suggested})");
        }
        if !service.version_is_enough {
            let _ = write!(
                out,
                "; schema_version is not raised enough: set it in spec/{}/service.yaml",
                service.service
            );
        }
        out.push('\n');
    }
    let breaking = report
        .changes
        .iter()
        .filter(|change| change.breaking)
        .count();
    let unacknowledged = report.unacknowledged_breaking().count();
    let _ = writeln!(
        out,
        "{} change{}, {breaking} breaking, {unacknowledged} not acknowledged{}",
        report.changes.len(),
        if report.changes.len() == 1 { "" } else { "s" },
        if unacknowledged > 0 {
            format!(": acknowledge each with a reason in {ACKNOWLEDGEMENTS_FILE}, or undo it")
        } else {
            String::new()
        }
    );
    out
}

/// The report as JSON: `report: "diff"`, `version: 1`, `changes`, `services` and
/// `breaking_unacknowledged` (its JSON Schema: `conformance/report.schema.json`).
pub fn render_json(report: &DiffReport) -> String {
    let mut value = serde_json::to_value(report).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        let mut document = serde_json::Map::new();
        document.insert("report".to_owned(), Value::from("diff"));
        document.insert("version".to_owned(), Value::from(1));
        document.append(map);
        document.insert(
            "breaking_unacknowledged".to_owned(),
            Value::from(report.unacknowledged_breaking().count()),
        );
        value = Value::Object(document);
    }
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}
