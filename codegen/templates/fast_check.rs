//! A body's table (the JSON text the generator writes into `fast_check/tables.rs`, one per
//! request and response body) in; out, a verdict on a payload's bytes from one pass over them,
//! with the members the table does not list.
//!
//! `cargo xtask gen` copies this file verbatim into the generated crate as `src/fast_check.rs`,
//! behind the `conformance` feature. A table says what the body's JSON Schema says: per object
//! its fields (wire name, required, the value's kind, nullability, enum values, limits, nested
//! objects), whether unlisted fields are allowed, and its at-least-one-of groups. [`check`]
//! walks the bytes once, borrowing every string, building no value, and either accepts the
//! payload (every rule of the schema met, unlisted fields aside, which it lists with where they
//! are) or declines it. A decline is not a verdict: the payload may break the schema, or hold
//! something the table leaves to the schema (a repeated member name, an escaped member name, a
//! number with an exponent where limits apply, a pattern): the caller's full check decides.
//! So an acceptance must never be wrong, and a decline only costs time.
//!
//! The kinds `date`, `date-time` and `email` are checked with this crate's own [`crate::wire`]
//! checks, which accept exactly what the schemas' patterns accept.

use serde::Deserialize;

#[path = "fast_check/number.rs"]
mod number;
#[path = "fast_check/scan.rs"]
mod scan;
#[path = "fast_check/tables.rs"]
mod tables;

pub use scan::{UnlistedMember, check};
pub use tables::TABLES;

/// The table of `service`'s `endpoint` body going in `direction` (`request` or `response`).
pub fn table_text(service: &str, endpoint: &str, direction: &str) -> Option<&'static str> {
    TABLES
        .iter()
        .find(|(s, e, d, _)| *s == service && *e == endpoint && *d == direction)
        .map(|(_, _, _, table)| *table)
}

/// A body's table: the object at its root.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    /// The body's object.
    pub root: ObjectTable,
}

impl Table {
    /// Reads a table the generator wrote.
    pub fn from_json(text: &str) -> Result<Table, serde_json::Error> {
        serde_json::from_str(text)
    }
}

/// One object: its fields in the page's order, and what else it allows.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectTable {
    /// The object's number in the body's table, in the order the generator met them (the body's
    /// object is 0): how an unlisted member says which object it belongs to.
    pub id: u32,
    /// The fields.
    pub fields: Vec<FieldTable>,
    /// Whether the schema allows fields the page does not list (they are listed either way).
    #[serde(default)]
    pub unlisted_allowed: bool,
    /// Groups of field indexes of which at least one must be present and not null.
    #[serde(default)]
    pub at_least_one_of: Vec<Vec<usize>>,
}

/// One field of an object.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldTable {
    /// The name on the wire.
    pub name: String,
    /// Whether it must be present.
    #[serde(default)]
    pub required: bool,
    /// Its value.
    pub value: ValueTable,
}

/// What a value may be.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueTable {
    /// Its kind.
    pub kind: Kind,
    /// Whether `null` is allowed.
    #[serde(default)]
    pub nullable: bool,
    /// Its limits, if it has any.
    #[serde(default)]
    pub limits: Option<Box<Limits>>,
}

/// The kinds of value.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum Kind {
    /// Any string.
    String,
    /// A whole number.
    Integer,
    /// Any number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// A string that is a date ([`crate::wire::is_date`]).
    Date,
    /// A string that is a date-time ([`crate::wire::is_date_time`]).
    DateTime,
    /// A string that is an e-mail address ([`crate::wire::is_email`]).
    Email,
    /// Any JSON value.
    Any,
    /// Something the table leaves to the schema: every payload reaching it is declined.
    Declined,
    /// One of these strings.
    Enum(Vec<String>),
    /// A list of these.
    Array(Box<ValueTable>),
    /// An object.
    Object(Box<ObjectTable>),
    /// Any of these (the schema's `anyOf`).
    Union(Vec<ValueTable>),
}

/// Limits beyond the kind, applied by the JSON type of the value as the schema applies them.
/// Number bounds are exact JSON number texts.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Least number allowed.
    #[serde(default)]
    pub minimum: Option<String>,
    /// Greatest number allowed.
    #[serde(default)]
    pub maximum: Option<String>,
    /// Numbers must be greater.
    #[serde(default)]
    pub exclusive_minimum: Option<String>,
    /// Numbers must be less.
    #[serde(default)]
    pub exclusive_maximum: Option<String>,
    /// Strings: fewest characters.
    #[serde(default)]
    pub min_length: Option<u64>,
    /// Strings: most characters.
    #[serde(default)]
    pub max_length: Option<u64>,
    /// Arrays: fewest items.
    #[serde(default)]
    pub min_items: Option<u64>,
    /// Arrays: most items.
    #[serde(default)]
    pub max_items: Option<u64>,
}
