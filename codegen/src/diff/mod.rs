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
//! understand break both. Descriptions and titles never break a schema's reader (in the generated
//! Rust crate, an enum value's description can join or split the enumerations written alike;
//! `spec/README.md` says so, and this diff of schemas does not see it).
//!
//! The folder's rooms: `inputs` reads the two sides, `classify` finds and names each change,
//! `acknowledgements` reads the file of breaking changes made on purpose, `render` writes the
//! reports; this file holds the report's types and `compare`, which puts them together.

mod acknowledgements;
mod classify;
mod inputs;
mod render;

use std::collections::BTreeSet;
use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use crate::model::Direction;
pub use acknowledgements::{
    Acknowledgement, Acknowledgements, AcknowledgementsError, acknowledgements_format_file,
};
pub use inputs::{DiffInputError, PublishedSchema, SchemaSet};
pub use render::{render_human, render_json};

use crate::version::SchemaVersion;
use classify::{Found, compare_values};

/// Where the acknowledgement file lives, relative to the project root.
pub const ACKNOWLEDGEMENTS_FILE: &str = "spec/breaking-changes.yaml";

/// Name of the acknowledgement file's format schema under `generated/spec-format/`.
pub(crate) const ACKNOWLEDGEMENTS_FORMAT_FILE: &str = "breaking-changes.schema.json";

/// One published body schema: `crm/accounts.create.request`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct SchemaKey {
    /// Service id.
    pub service: String,
    /// Endpoint id.
    pub endpoint: String,
    /// `request` or `response`.
    pub direction: Direction,
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
    pub fn breaks(self, direction: Direction) -> bool {
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
            Direction::Request => breaks_callers,
            Direction::Response => breaks_readers,
        }
    }

    /// The smallest version bump the change needs in `direction`.
    pub(crate) fn bump(self, direction: Direction) -> Bump {
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
        let SchemaVersion {
            major,
            minor,
            patch,
        } = SchemaVersion::parse(version)?;
        Some(match self {
            Bump::None => version.to_owned(),
            Bump::Patch => format!("{major}.{minor}.{}", patch.checked_add(1)?),
            Bump::Minor => format!("{major}.{}.0", minor.checked_add(1)?),
            Bump::Major => format!("{}.0.0", major.checked_add(1)?),
        })
    }

    /// The bump from `base` to `current`, if both are `MAJOR.MINOR.PATCH` and `current` is not
    /// lower.
    pub fn between(base: &str, current: &str) -> Option<Bump> {
        let base = SchemaVersion::parse(base)?;
        let current = SchemaVersion::parse(current)?;
        if current < base {
            return None;
        }
        Some(if current.major > base.major {
            Bump::Major
        } else if current.minor > base.minor {
            Bump::Minor
        } else if current.patch > base.patch {
            Bump::Patch
        } else {
            Bump::None
        })
    }
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
    pub(crate) fn unacknowledged_breaking(&self) -> impl Iterator<Item = &Change> {
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
