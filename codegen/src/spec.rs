//! Spec files as written: the serde types a YAML spec file deserializes into, with spans.
//!
//! These types mirror the YAML one to one and check only what serde can (unknown keys, value
//! types, duplicate keys). Everything that needs more than one value at a time (names that
//! collide, ids defined twice, keys a type does not take) is checked by `lower`. The same types
//! derive the spec format's own JSON Schema (`generated/spec-format/*.schema.json`), so editors
//! complete and check spec files against exactly what the loader accepts.

use std::fmt;
use std::marker::PhantomData;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
pub use serde_saphyr::Spanned;

/// `spec/project.yaml`: settings that hold for every service.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Project settings (spec/project.yaml)")]
pub struct ProjectSpec {
    /// Base URI of every published JSON Schema's `$id`, ending in `/`. A schema's `$id` is
    /// `<schema_base_uri><service>/<schema_version>/<endpoint>.<request|response>.json`.
    #[schemars(with = "String")]
    pub schema_base_uri: Spanned<String>,
}

/// `spec/<service>/service.yaml`: one vendor API.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Service spec (spec/<service>/service.yaml)")]
pub struct ServiceSpec {
    /// Service id: lower-case ASCII letters, digits and `_`. Names the folder, the published
    /// schema folder `generated/schemas/<id>/`, the Rust module and the cargo feature.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// The vendor's name for the API, as the docs give it.
    pub title: String,
    /// What the API is, in a sentence or two.
    pub description: Option<String>,
    /// Language of the vendor's docs, as a BCP 47 tag (`he`, `vi`); descriptions are kept in it.
    pub language: String,
    /// Version of the published schemas of this service (semantic versioning: `1.0.0`).
    #[schemars(with = "String")]
    pub schema_version: Spanned<String>,
    /// Base URL of the API, with `{name}` placeholders for `variables` (`https://{domain}`).
    #[schemars(with = "String")]
    pub base_url: Spanned<String>,
    /// Placeholders of `base_url` and where their values come from.
    #[serde(default)]
    pub variables: Entries<VariableSpec>,
    /// How requests are authenticated, and where the credential comes from.
    pub auth: AuthSpec,
    /// Shared shapes: objects, enums and unions named once (`Customer`) that any field, item,
    /// variant or other shape of the service's endpoints refers to with `type: shape` and
    /// `shape: Customer`. The name is the Rust type's name.
    #[serde(default)]
    pub shapes: Entries<FieldSpec>,
}

/// A placeholder of the base URL.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VariableSpec {
    /// Environment variable that holds the value (`CRM_DOMAIN`).
    #[schemars(with = "String")]
    pub env: Spanned<String>,
    /// What the value is.
    pub description: Option<String>,
}

/// How a service authenticates requests.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthSpec {
    /// `bearer`: `Authorization: Bearer <token>`. `api_key`: the key, as is, in `header`.
    #[schemars(with = "AuthScheme")]
    pub scheme: Spanned<AuthScheme>,
    /// Header that carries the credential. Required for `api_key`; `bearer` always uses
    /// `Authorization`.
    #[schemars(with = "Option<String>")]
    pub header: Option<Spanned<String>>,
    /// Environment variable that holds the credential (`CRM_TOKEN`). The value itself never
    /// appears in a spec, an output, a log or an error.
    #[schemars(with = "String")]
    pub env: Spanned<String>,
    /// What the credential is and where to get it, in the docs' words.
    pub description: Option<String>,
}

/// Authentication scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuthScheme {
    /// OAuth 2.0 bearer token in `Authorization: Bearer <token>`.
    Bearer,
    /// An API key sent as is in a named header.
    ApiKey,
}

/// `spec/<service>/<endpoint>.yaml`: one endpoint, written from one docs page.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Endpoint spec (spec/<service>/<endpoint>.yaml)")]
pub struct EndpointSpec {
    /// Endpoint id, unique in its service: dot-separated lower-case words (`leads.create`).
    /// Names the published schema files `<id>.request.json` and `<id>.response.json`.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// The page's title, verbatim in the page's language.
    pub title: String,
    /// The page's short name for the operation (`Create Account`), verbatim.
    pub summary: Option<String>,
    /// What the endpoint does, verbatim from the page where it says so.
    pub description: Option<String>,
    /// The docs page this spec is written from.
    pub source: SourceSpec,
    /// HTTP method.
    #[schemars(with = "Method")]
    pub method: Spanned<Method>,
    /// Path below the service's base URL, starting with `/`.
    #[schemars(with = "String")]
    pub path: Spanned<String>,
    /// Whether a call only reads (`read`: a list, a search, totals) or may create, change or
    /// delete data (`write`). Default from the method: `GET` reads, every other method writes.
    /// Live runs send reads without `--allow-writes`.
    #[schemars(with = "Option<Effect>")]
    pub effect: Option<Spanned<Effect>>,
    /// The request body; absent for endpoints that take none.
    #[schemars(with = "Option<RequestSpec>")]
    pub request: Option<Spanned<RequestSpec>>,
    /// The response to a successful call.
    #[schemars(with = "ResponseSpec")]
    pub response: Spanned<ResponseSpec>,
    /// The page's own example payloads, kept byte for byte in `.json` files beside the spec.
    #[serde(default)]
    pub examples: Vec<ExampleSpec>,
}

/// Where a spec was taken from.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceSpec {
    /// The page as published, saved verbatim beside the spec (path relative to the spec file).
    #[schemars(with = "String")]
    pub page: Spanned<String>,
    /// The page's address, where it has one.
    pub url: Option<String>,
    /// The heading of the part of the page this endpoint is on.
    pub section: Option<String>,
}

/// HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `PATCH`.
    Patch,
    /// `DELETE`.
    Delete,
}

impl Method {
    /// The method as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// Whether a call with this method may create, change or delete data.
    pub fn writes(self) -> bool {
        !matches!(self, Method::Get)
    }
}

/// What a call does to the vendor's data.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// Only reads: safe to call in any environment.
    Read,
    /// May create, change or delete data: live runs send it only with `--allow-writes`.
    Write,
}

impl Effect {
    /// `read` or `write`.
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Read => "read",
            Effect::Write => "write",
        }
    }

    /// The effect of a method when the spec does not say: `GET` reads, every other method
    /// writes.
    pub(crate) fn of_method(method: Method) -> Effect {
        if method.writes() {
            Effect::Write
        } else {
            Effect::Read
        }
    }
}

/// A row of the page's header table.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HeaderSpec {
    /// Whether every request must carry the header (the table's required mark); default `false`.
    pub required: Option<bool>,
    /// The table's note, verbatim in the page's language.
    pub description: Option<String>,
}

/// A request body: a JSON object described by the page's attribute table.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestSpec {
    /// Media type of the body; `application/json` when not given. (The older spelling of
    /// `media_type`; give one of the two.)
    pub content_type: Option<String>,
    /// Media type of the body the page documents (`Content-Type`); `application/json` when not
    /// given. Live runs send it, the mock answers 415 to another.
    #[schemars(with = "Option<String>")]
    pub media_type: Option<Spanned<String>>,
    /// The page's header table: header name → whether it is required, and its note. The
    /// credential header (the service's `auth`) may be listed too; live runs fill it from the
    /// credential, other required headers from the fixtures file.
    #[serde(default)]
    pub headers: Entries<HeaderSpec>,
    /// What the body is, in the page's words.
    pub description: Option<String>,
    /// Whether the body may carry fields the table does not list.
    #[schemars(with = "UndocumentedFields")]
    pub undocumented_fields: Spanned<UndocumentedFields>,
    /// The table's rows, in the table's order, keyed by wire name.
    pub fields: Entries<FieldSpec>,
    /// Groups of fields of which at least one must be present and not null.
    #[serde(default)]
    #[schemars(with = "Vec<Vec<String>>")]
    pub at_least_one_of: Vec<Spanned<Vec<String>>>,
}

/// A response: its status and its JSON object body.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseSpec {
    /// The HTTP status of a successful call: a code (`201`), a class (`2XX`), or
    /// `{undocumented: 2XX, note: …}` where the page does not say.
    #[schemars(with = "StatusSpec")]
    pub status: Spanned<StatusSpec>,
    /// Media type of the body; `application/json` when not given.
    pub content_type: Option<String>,
    /// What the body is, in the page's words.
    pub description: Option<String>,
    /// Whether the body may carry fields the page does not list.
    #[schemars(with = "UndocumentedFields")]
    pub undocumented_fields: Spanned<UndocumentedFields>,
    /// The body's fields, in the page's order, keyed by wire name.
    pub fields: Entries<FieldSpec>,
    /// Groups of fields of which at least one must be present and not null.
    #[serde(default)]
    #[schemars(with = "Vec<Vec<String>>")]
    pub at_least_one_of: Vec<Spanned<Vec<String>>>,
}

/// Whether an object may carry fields its table does not list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum UndocumentedFields {
    /// Unlisted fields are a contract violation (`additionalProperties: false`).
    Forbid,
    /// Unlisted fields are let through and reported as warnings; response types keep them.
    Allow,
}

/// The status of a successful response.
#[derive(Debug, Clone, PartialEq, Eq, JsonSchema)]
#[schemars(untagged)]
pub enum StatusSpec {
    /// The page states this code.
    Code(u16),
    /// The page states a class of codes: `2XX`.
    Class(String),
    /// The page does not state the status.
    Undocumented {
        /// The class the check accepts meanwhile: `2XX`.
        undocumented: String,
        /// What the page says instead, in words.
        note: String,
    },
}

impl<'de> Deserialize<'de> for StatusSpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StatusVisitor;
        impl<'de> Visitor<'de> for StatusVisitor {
            type Value = StatusSpec;
            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str(
                    "a status code (201), a class (2XX), or {undocumented: 2XX, note: …}",
                )
            }
            fn visit_u64<E: de::Error>(self, value: u64) -> Result<StatusSpec, E> {
                u16::try_from(value)
                    .map(StatusSpec::Code)
                    .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(value), &self))
            }
            fn visit_i64<E: de::Error>(self, value: i64) -> Result<StatusSpec, E> {
                u16::try_from(value)
                    .map(StatusSpec::Code)
                    .map_err(|_| E::invalid_value(de::Unexpected::Signed(value), &self))
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<StatusSpec, E> {
                match value.parse::<u16>() {
                    Ok(code) => Ok(StatusSpec::Code(code)),
                    Err(_) => Ok(StatusSpec::Class(value.to_owned())),
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<StatusSpec, A::Error> {
                #[derive(Deserialize)]
                #[serde(deny_unknown_fields)]
                struct Undocumented {
                    undocumented: String,
                    note: String,
                }
                let undocumented =
                    Undocumented::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(StatusSpec::Undocumented {
                    undocumented: undocumented.undocumented,
                    note: undocumented.note,
                })
            }
        }
        deserializer.deserialize_any(StatusVisitor)
    }
}

/// One field: a row of the page's table (or, where the page has no table for it, of its
/// example). The same shape describes array items and union variants, which take no
/// `required`, `rust_name`, `reference` or `see`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    /// The field's type.
    #[serde(rename = "type")]
    #[schemars(with = "FieldType")]
    pub ty: Spanned<FieldType>,
    /// Whether the field must be present (the table's "required" mark).
    #[schemars(with = "Option<bool>")]
    pub required: Option<Spanned<bool>>,
    /// Whether `null` is a value the field may take (separately from whether it may be absent).
    #[schemars(with = "Option<bool>")]
    pub nullable: Option<Spanned<bool>>,
    /// The table's note, verbatim in the page's language.
    pub description: Option<String>,
    /// Where the field is documented: in the page's `table` (default) or only in its `example`.
    #[schemars(with = "Option<DocumentedIn>")]
    pub documented_in: Option<Spanned<DocumentedIn>>,
    /// For ids: the page that lists the records this id refers to.
    pub reference: Option<ReferenceSpec>,
    /// A link the note gives for background (the UTM fields' Wikipedia link).
    pub see: Option<String>,
    /// Rust field name, where the wire name does not make a good one.
    #[schemars(with = "Option<String>")]
    pub rust_name: Option<Spanned<String>>,
    /// Rust type name for an `enum`, `object` or `union`, instead of the derived one.
    #[schemars(with = "Option<String>")]
    pub type_name: Option<Spanned<String>>,
    /// `enum`: the values, as the page spells them: each a string, or
    /// `{value, rust_name, description}`.
    #[schemars(with = "Option<Vec<EnumValueSpec>>")]
    pub values: Option<Vec<Spanned<EnumValueSpec>>>,
    /// `shape`: the name of the service's shared shape (under `shapes:` in `service.yaml`).
    #[schemars(with = "Option<String>")]
    pub shape: Option<Spanned<String>>,
    /// The value the page says is taken when the field is left out. Documentation only: the
    /// schema's `default`, the Rust docs and the mock's answers; numbers keep their digits.
    #[schemars(with = "Option<serde_json::Value>")]
    pub default: Option<Spanned<YamlValue>>,
    /// `integer`, `number`: the least value allowed (compared exactly, any number of digits).
    #[schemars(with = "Option<f64>")]
    pub minimum: Option<Spanned<YamlNumber>>,
    /// `integer`, `number`: the greatest value allowed.
    #[schemars(with = "Option<f64>")]
    pub maximum: Option<Spanned<YamlNumber>>,
    /// `integer`, `number`: values must be greater than this.
    #[schemars(with = "Option<f64>")]
    pub exclusive_minimum: Option<Spanned<YamlNumber>>,
    /// `integer`, `number`: values must be less than this.
    #[schemars(with = "Option<f64>")]
    pub exclusive_maximum: Option<Spanned<YamlNumber>>,
    /// `string`, `email`: the fewest characters (Unicode code points).
    #[schemars(with = "Option<u64>")]
    pub min_length: Option<Spanned<u64>>,
    /// `string`, `email`: the most characters (Unicode code points).
    #[schemars(with = "Option<u64>")]
    pub max_length: Option<Spanned<u64>>,
    /// `string`: an ECMA-262 regular expression the value must match (unanchored, as in JSON
    /// Schema: write `^…$` to match the whole value).
    #[schemars(with = "Option<String>")]
    pub pattern: Option<Spanned<String>>,
    /// `array`: the fewest items.
    #[schemars(with = "Option<u64>")]
    pub min_items: Option<Spanned<u64>>,
    /// `array`: the most items.
    #[schemars(with = "Option<u64>")]
    pub max_items: Option<Spanned<u64>>,
    /// `array`: whether every item must differ from the others.
    #[schemars(with = "Option<bool>")]
    pub unique_items: Option<Spanned<bool>>,
    /// `array`: the type of every item.
    #[schemars(with = "Option<Box<FieldSpec>>")]
    pub items: Option<Box<Spanned<FieldSpec>>>,
    /// `object`: its fields, keyed by wire name.
    pub fields: Option<Entries<FieldSpec>>,
    /// `object`: whether it may carry fields not listed in `fields`.
    #[schemars(with = "Option<UndocumentedFields>")]
    pub undocumented_fields: Option<Spanned<UndocumentedFields>>,
    /// `object`: groups of fields of which at least one must be present and not null.
    #[schemars(with = "Option<Vec<Vec<String>>>")]
    pub at_least_one_of: Option<Vec<Spanned<Vec<String>>>>,
    /// `union`: the types a value may have; the first that fits is taken.
    #[schemars(with = "Option<Vec<FieldSpec>>")]
    pub variants: Option<Vec<Spanned<FieldSpec>>>,
}

/// The type of a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FieldType {
    /// Any JSON string.
    String,
    /// A whole number of any size (`integer` in JSON Schema): digits are kept exactly.
    Integer,
    /// Any JSON number: digits are kept exactly.
    Number,
    /// `true` or `false`.
    Boolean,
    /// An RFC 3339 full-date, `YYYY-MM-DD`.
    Date,
    /// An RFC 3339 date-time, `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
    DateTime,
    /// An e-mail address.
    Email,
    /// One of `values`.
    Enum,
    /// A list of `items`.
    Array,
    /// An object with `fields`.
    Object,
    /// One of several types, listed in `variants`.
    Union,
    /// Any JSON value, where the page does not say.
    Any,
    /// The service's shared shape named by `shape`.
    Shape,
}

impl FieldType {
    /// The name a spec file uses for this type.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Integer => "integer",
            FieldType::Number => "number",
            FieldType::Boolean => "boolean",
            FieldType::Date => "date",
            FieldType::DateTime => "date-time",
            FieldType::Email => "email",
            FieldType::Enum => "enum",
            FieldType::Array => "array",
            FieldType::Object => "object",
            FieldType::Union => "union",
            FieldType::Any => "any",
            FieldType::Shape => "shape",
        }
    }
}

/// One value of an `enum`: the value as the page spells it, or a mapping that also names its
/// Rust variant and says what it means.
#[derive(Debug, Clone, PartialEq, Eq, JsonSchema)]
#[schemars(untagged)]
pub enum EnumValueSpec {
    /// The value, exactly as on the wire (`nữ`).
    Plain(String),
    /// The value with its Rust variant name and meaning.
    Detailed {
        /// The value, exactly as on the wire.
        value: String,
        /// The Rust variant name (UpperCamelCase ASCII), where the transliterated value makes
        /// none or two collide.
        rust_name: Option<String>,
        /// What the value means, in the page's words.
        description: Option<String>,
    },
}

impl EnumValueSpec {
    /// The value on the wire.
    pub fn value(&self) -> &str {
        match self {
            EnumValueSpec::Plain(value) | EnumValueSpec::Detailed { value, .. } => value,
        }
    }

    /// The Rust variant name given in the spec, if any.
    pub fn rust_name(&self) -> Option<&str> {
        match self {
            EnumValueSpec::Plain(_) => None,
            EnumValueSpec::Detailed { rust_name, .. } => rust_name.as_deref(),
        }
    }

    /// What the value means, if the spec says.
    pub fn description(&self) -> Option<&str> {
        match self {
            EnumValueSpec::Plain(_) => None,
            EnumValueSpec::Detailed { description, .. } => description.as_deref(),
        }
    }
}

impl<'de> Deserialize<'de> for EnumValueSpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EnumValueVisitor;
        impl<'de> Visitor<'de> for EnumValueVisitor {
            type Value = EnumValueSpec;
            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("a value as a string, or {value, rust_name, description}")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<EnumValueSpec, E> {
                Ok(EnumValueSpec::Plain(value.to_owned()))
            }
            fn visit_string<E: de::Error>(self, value: String) -> Result<EnumValueSpec, E> {
                Ok(EnumValueSpec::Plain(value))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<EnumValueSpec, A::Error> {
                #[derive(Deserialize)]
                #[serde(deny_unknown_fields)]
                struct Detailed {
                    value: String,
                    rust_name: Option<String>,
                    description: Option<String>,
                }
                let detailed = Detailed::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(EnumValueSpec::Detailed {
                    value: detailed.value,
                    rust_name: detailed.rust_name,
                    description: detailed.description,
                })
            }
        }
        deserializer.deserialize_any(EnumValueVisitor)
    }
}

/// A YAML number whose digits are read from the file's text by `lower` (never through a float),
/// so a 39-digit bound keeps every digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YamlNumber;

impl<'de> Deserialize<'de> for YamlNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match YamlValue::deserialize(deserializer)? {
            YamlValue::Number => Ok(YamlNumber),
            _ => Err(de::Error::custom("expected a number")),
        }
    }
}

/// A YAML value as read; numbers are marks whose digits `lower` reads from the file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum YamlValue {
    /// `null` or `~`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number: its digits are at the node's span.
    Number,
    /// A string.
    String(String),
    /// A list.
    List(Vec<Spanned<YamlValue>>),
    /// A mapping in written order.
    Map(Vec<(String, Spanned<YamlValue>)>),
}

impl<'de> Deserialize<'de> for YamlValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NodeVisitor;
        impl<'de> Visitor<'de> for NodeVisitor {
            type Value = YamlValue;
            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("a value")
            }
            fn visit_unit<E: de::Error>(self) -> Result<YamlValue, E> {
                Ok(YamlValue::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<YamlValue, E> {
                Ok(YamlValue::Null)
            }
            fn visit_bool<E: de::Error>(self, value: bool) -> Result<YamlValue, E> {
                Ok(YamlValue::Bool(value))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<YamlValue, E> {
                Ok(YamlValue::Number)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<YamlValue, E> {
                Ok(YamlValue::Number)
            }
            fn visit_i128<E: de::Error>(self, _: i128) -> Result<YamlValue, E> {
                Ok(YamlValue::Number)
            }
            fn visit_u128<E: de::Error>(self, _: u128) -> Result<YamlValue, E> {
                Ok(YamlValue::Number)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<YamlValue, E> {
                Ok(YamlValue::Number)
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<YamlValue, E> {
                Ok(YamlValue::String(value.to_owned()))
            }
            fn visit_string<E: de::Error>(self, value: String) -> Result<YamlValue, E> {
                Ok(YamlValue::String(value))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<YamlValue, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(YamlValue::List(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<YamlValue, A::Error> {
                let mut members = Vec::new();
                while let Some(entry) = map.next_entry::<String, Spanned<YamlValue>>()? {
                    members.push(entry);
                }
                Ok(YamlValue::Map(members))
            }
        }
        deserializer.deserialize_any(NodeVisitor)
    }
}

/// Where the page documents a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentedIn {
    /// A row of the page's attribute table: the contract.
    Table,
    /// Only the page's example shows it: its type is read off the example.
    Example,
}

/// The page an id refers to.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferenceSpec {
    /// What the id is, as the page's link text says (`מזהה משתמש`, user id).
    pub title: String,
    /// The link's target, verbatim (`../users/users-list`).
    pub page: String,
}

/// One of the page's examples: a request, its response, or both.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExampleSpec {
    /// Short name, unique in the endpoint (`page`).
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// The example block's title on the page, verbatim.
    pub title: Option<String>,
    /// The request payload.
    pub request: Option<ExamplePayloadSpec>,
    /// The response payload.
    pub response: Option<ExamplePayloadSpec>,
}

/// An example payload file and the discrepancies it is known to have.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExamplePayloadSpec {
    /// Path of the file, relative to the spec file; its bytes are the page's, unedited: `.json`,
    /// or `.txt` for an example that is not JSON (checking it gives a `not-json` finding).
    #[schemars(with = "String")]
    pub file: Spanned<String>,
    /// The headers the page's example sends (its curl's `--header`s, and the `Content-Type`
    /// the curl sends), checked against the request's media type and header table.
    #[schemars(with = "Option<std::collections::BTreeMap<String, String>>")]
    pub headers: Option<Entries<String>>,
    /// Discrepancies between this example and the contract, known and explained.
    #[serde(default)]
    pub known: Vec<KnownDiscrepancySpec>,
}

/// A discrepancy between an example and the contract that stays until the vendor fixes it.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KnownDiscrepancySpec {
    /// JSON Pointer of the offending value in the example (`/owner`); `/data/*` matches every
    /// member of `/data`.
    #[schemars(with = "String")]
    pub path: Spanned<String>,
    /// The contract rule the value breaks.
    #[schemars(with = "Rule")]
    pub rule: Spanned<Rule>,
    /// Why, in one line of words.
    pub reason: String,
}

/// A contract rule a payload or an exchange can break: the vocabulary of findings and of known
/// discrepancies.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// A value of the wrong JSON type (including `null` where the field is not nullable).
    Type,
    /// A required field is absent.
    Required,
    /// A string not in the field's format (`date`, `date-time`, `email`).
    Format,
    /// A value outside the field's listed values.
    Enum,
    /// A value outside the field's limits: a range (`minimum`, `exclusive_maximum`, …), a
    /// length, a `pattern`, a number of items, or items that repeat where they must differ.
    Constraint,
    /// A field the page does not list.
    UndocumentedField,
    /// None of a group of fields of which at least one is needed.
    AtLeastOneOf,
    /// The body is not JSON, or not all of it arrived.
    NotJson,
    /// The body nests arrays and objects deeper than the checker reads (1,024 levels).
    TooDeep,
    /// The body is larger than the checker reads or judges in full where it runs.
    TooLarge,
    /// An object names the same member twice: readers disagree on which value counts.
    DuplicateKey,
    /// The schema and the generated Rust type disagree on a payload: a defect of the generator.
    GeneratorDisagreement,
    /// The response status is not the documented one.
    Status,
    /// A media type (`Content-Type`) is not the documented one.
    ContentType,
    /// The exchange failed below HTTP: refused connection, reset, timeout.
    Transport,
    /// The response took longer than the run's latency budget.
    Latency,
    /// The request the run would send is itself invalid against the request schema.
    InvalidRequest,
    /// A header the contract requires is absent.
    Header,
    /// A probe's request breaking one documented rule was answered with success: the server
    /// does not enforce the page's rule.
    RuleNotEnforced,
    /// A probe's request the request contract accepts was refused (4XX).
    ValidRequestRefused,
    /// The server answered a probe's request with a status no page documents for it.
    UndocumentedStatus,
}

impl Rule {
    /// Every rule, in a fixed order.
    pub const ALL: [Rule; 21] = [
        Rule::Type,
        Rule::Required,
        Rule::Format,
        Rule::Enum,
        Rule::Constraint,
        Rule::UndocumentedField,
        Rule::AtLeastOneOf,
        Rule::NotJson,
        Rule::TooDeep,
        Rule::TooLarge,
        Rule::DuplicateKey,
        Rule::GeneratorDisagreement,
        Rule::Status,
        Rule::ContentType,
        Rule::Transport,
        Rule::Latency,
        Rule::InvalidRequest,
        Rule::Header,
        Rule::RuleNotEnforced,
        Rule::ValidRequestRefused,
        Rule::UndocumentedStatus,
    ];

    /// The name spec files and reports use.
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Type => "type",
            Rule::Required => "required",
            Rule::Format => "format",
            Rule::Enum => "enum",
            Rule::Constraint => "constraint",
            Rule::UndocumentedField => "undocumented-field",
            Rule::AtLeastOneOf => "at-least-one-of",
            Rule::NotJson => "not-json",
            Rule::TooDeep => "too-deep",
            Rule::TooLarge => "too-large",
            Rule::DuplicateKey => "duplicate-key",
            Rule::GeneratorDisagreement => "generator-disagreement",
            Rule::Status => "status",
            Rule::ContentType => "content-type",
            Rule::Transport => "transport",
            Rule::Latency => "latency",
            Rule::InvalidRequest => "invalid-request",
            Rule::Header => "header",
            Rule::RuleNotEnforced => "rule-not-enforced",
            Rule::ValidRequestRefused => "valid-request-refused",
            Rule::UndocumentedStatus => "undocumented-status",
        }
    }
}

/// A YAML mapping kept in written order, each key and value with its span. Duplicate keys are
/// refused by the YAML reader before they get here.
#[derive(Debug)]
pub struct Entries<V>(pub Vec<(Spanned<String>, Spanned<V>)>);

impl<V> Default for Entries<V> {
    fn default() -> Self {
        Entries(Vec::new())
    }
}

impl<V> Entries<V> {
    /// The entries in written order.
    pub fn iter(&self) -> impl Iterator<Item = (&Spanned<String>, &Spanned<V>)> {
        self.0.iter().map(|(key, value)| (key, value))
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Entries<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for EntriesVisitor<V> {
            type Value = Entries<V>;
            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("a mapping")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries<V>, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(EntriesVisitor(PhantomData))
    }
}

impl<V: JsonSchema> JsonSchema for Entries<V> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Entries_of_{}", V::schema_name()).into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "object",
            "additionalProperties": generator.subschema_for::<V>(),
        })
    }
}
