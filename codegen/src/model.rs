//! The lowered model the emitters read: every name decided, every reference checked, every
//! list in a fixed order (services and endpoints by id, fields in the page's order).
//!
//! Invariant: a `Model` only exists for specs without problems; emitters never fail on it.

use crate::diagnostic::SourceLocation;
pub use crate::spec::{AuthScheme, DocumentedIn, Effect, Method, Rule, UndocumentedFields};

/// Every service, checked and named.
#[derive(Debug, Clone)]
pub struct Model {
    /// Base of every schema `$id`, ending in `/`.
    pub schema_base_uri: String,
    /// Services, by id.
    pub services: Vec<Service>,
}

impl Model {
    /// Every body of every endpoint of every service, with its service, endpoint and direction:
    /// services and endpoints in the model's order, a request before its response.
    pub fn bodies(&self) -> impl Iterator<Item = (&Service, &Endpoint, Direction, &Body)> {
        self.endpoints().flat_map(|(service, endpoint)| {
            Direction::BOTH.into_iter().filter_map(move |direction| {
                endpoint
                    .body(direction)
                    .map(|body| (service, endpoint, direction, body))
            })
        })
    }

    /// Every endpoint with its service, services in order, then endpoints in order.
    pub fn endpoints(&self) -> impl Iterator<Item = (&Service, &Endpoint)> {
        self.services.iter().flat_map(|service| {
            service
                .endpoints
                .iter()
                .map(move |endpoint| (service, endpoint))
        })
    }
}

/// One vendor API.
#[derive(Debug, Clone)]
pub struct Service {
    /// `crm`: the folder, the schema folder, the Rust module and the cargo feature.
    pub id: String,
    /// `spec/<id>/service.yaml`.
    pub spec_path: String,
    /// The vendor's name for the API.
    pub title: String,
    /// What the API is.
    pub description: Option<String>,
    /// BCP 47 tag of the docs' language.
    pub language: String,
    /// Version of the published schemas, parsed while lowering.
    pub schema_version: crate::version::SchemaVersion,
    /// Base URL with `{name}` placeholders.
    pub base_url: String,
    /// The placeholders, in the order the spec lists them.
    pub variables: Vec<Variable>,
    /// How requests are authenticated.
    pub auth: Auth,
    /// Endpoints, by id.
    pub endpoints: Vec<Endpoint>,
    /// Shared shapes, by name: each emitted once for the service (Rust type, schema `$defs`
    /// entry, OpenAPI component). Uses of a shape in the endpoints' trees hold a copy of it.
    pub shapes: Vec<SharedShape>,
    /// The enumerations written alike in several places of the endpoints' bodies (outside shared
    /// shapes), each once, named as its first use: the types those uses re-export
    /// ([`Enumeration::same_as`]).
    pub repeated_enums: Vec<Enumeration>,
}

/// A shape the service names once (`Customer`) and its endpoints refer to.
#[derive(Debug, Clone)]
pub struct SharedShape {
    /// The name: the Rust type's name, the `$defs` key and the OpenAPI component's name.
    pub name: String,
    /// The shape (an object, enum or union whose `shared` is set).
    pub shape: Shape,
    /// Whether a request body uses it (its Rust type then always derives `Serialize`).
    pub in_requests: bool,
    /// Whether a response body uses it (its Rust type then always derives `Deserialize`).
    pub in_responses: bool,
}

/// A placeholder of a base URL and the environment variable that fills it.
#[derive(Debug, Clone)]
pub struct Variable {
    /// Name inside the braces.
    pub name: String,
    /// Environment variable holding the value.
    pub env: String,
    /// What the value is.
    pub description: Option<String>,
}

/// How a service authenticates.
#[derive(Debug, Clone)]
pub struct Auth {
    /// Bearer token or API key.
    pub scheme: AuthScheme,
    /// Header that carries the credential (`Authorization` for bearer).
    pub header: String,
    /// Environment variable holding the credential.
    pub env: String,
    /// What the credential is.
    pub description: Option<String>,
}

/// One endpoint.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// `leads.create`.
    pub id: String,
    /// Service id.
    pub service: String,
    /// `spec/<service>/<file>.yaml`.
    pub spec_path: String,
    /// Page title, verbatim.
    pub title: String,
    /// The page's short name for the operation.
    pub summary: Option<String>,
    /// What the endpoint does.
    pub description: Option<String>,
    /// The docs page it was written from.
    pub source: Source,
    /// HTTP method.
    pub method: Method,
    /// Path below the base URL.
    pub path: String,
    /// Whether a call only reads or may write (from the spec, or else from the method).
    pub effect: Effect,
    /// The page's request header table, in its order.
    pub request_headers: Vec<RequestHeader>,
    /// Rust module of the endpoint's types: `leads_create`.
    pub rust_module: String,
    /// The request body, for endpoints that take one.
    pub request: Option<Body>,
    /// The successful response.
    pub response: Response,
    /// The page's examples.
    pub examples: Vec<Example>,
}

impl Endpoint {
    /// `crm/leads.create`: how reports and the command line name an endpoint.
    pub fn key(&self) -> String {
        format!("{}/{}", self.service, self.id)
    }

    /// The body going in the given direction, if there is one.
    pub fn body(&self, direction: Direction) -> Option<&Body> {
        match direction {
            Direction::Request => self.request.as_ref(),
            Direction::Response => Some(&self.response.body),
        }
    }
}

/// A row of a request's header table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestHeader {
    /// The header's name as the page spells it (`Api-Key`); compared without regard to case.
    pub name: String,
    /// Whether every request must carry it.
    pub required: bool,
    /// The table's note, verbatim.
    pub description: Option<String>,
}

/// The page a spec was written from.
#[derive(Debug, Clone)]
pub struct Source {
    /// The saved page, relative to the project root.
    pub page: String,
    /// The page's address, where it has one.
    pub url: Option<String>,
    /// Heading of the endpoint's part of the page.
    pub section: Option<String>,
}

/// Which way a payload travels; serialized as `request` or `response`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// From the client to the API.
    Request,
    /// From the API back.
    Response,
}

impl Direction {
    /// Both directions, request first.
    pub const BOTH: [Direction; 2] = [Direction::Request, Direction::Response];

    /// `request` or `response`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Request => "request",
            Direction::Response => "response",
        }
    }

    /// `request` or `response` → the direction; anything else → `None`.
    pub fn parse(text: &str) -> Option<Direction> {
        match text {
            "request" => Some(Direction::Request),
            "response" => Some(Direction::Response),
            _ => None,
        }
    }
}

/// A JSON body and its contract.
#[derive(Debug, Clone)]
pub struct Body {
    /// Which way it travels.
    pub direction: Direction,
    /// Media type.
    pub content_type: String,
    /// The body's fields.
    pub object: Object,
}

/// The successful response.
#[derive(Debug, Clone)]
pub struct Response {
    /// Which statuses count as the documented success.
    pub status: StatusExpectation,
    /// The body.
    pub body: Body,
}

/// The status a successful call answers with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusExpectation {
    /// Exactly this code, as the page states.
    Code(u16),
    /// Any code of this class (2 for `2XX`), as the page states.
    Class(u8),
    /// The page does not say; any code of this class is accepted meanwhile.
    Undocumented {
        /// The class accepted (2 for `2XX`).
        class: u8,
        /// What the page says instead.
        note: String,
    },
}

impl StatusExpectation {
    /// Whether `status` is a success under this expectation.
    pub fn accepts(&self, status: u16) -> bool {
        match self {
            StatusExpectation::Code(code) => status == *code,
            StatusExpectation::Class(class) | StatusExpectation::Undocumented { class, .. } => {
                status / 100 == u16::from(*class)
            }
        }
    }

    /// `201`, `2XX`, or `2XX (undocumented)`.
    pub fn describe(&self) -> String {
        match self {
            StatusExpectation::Code(code) => code.to_string(),
            StatusExpectation::Class(class) => format!("{class}XX"),
            StatusExpectation::Undocumented { class, .. } => format!("{class}XX (undocumented)"),
        }
    }

    /// A representative code: the documented one, or the class's first (`200` for `2XX`).
    pub fn representative_code(&self) -> u16 {
        match self {
            StatusExpectation::Code(code) => *code,
            StatusExpectation::Class(class) | StatusExpectation::Undocumented { class, .. } => {
                u16::from(*class) * 100
            }
        }
    }
}

/// A JSON object type: a body, or a nested object.
#[derive(Debug, Clone)]
pub struct Object {
    /// Rust type name, unique in the service.
    pub rust_name: String,
    /// What the object is.
    pub description: Option<String>,
    /// Fields in the page's order.
    pub fields: Vec<Field>,
    /// Whether fields the page does not list are a violation.
    pub undocumented_fields: UndocumentedFields,
    /// Groups of wire names of which at least one must be present and not null.
    pub at_least_one_of: Vec<Vec<String>>,
    /// Which way the object travels (nested objects inherit it).
    pub direction: Direction,
    /// Where the spec defines it.
    pub location: SourceLocation,
    /// Whether it is a service's shared shape (named `rust_name`), emitted once for the service.
    pub shared: bool,
    /// Whether its Rust type derives `Serialize` and `Deserialize` always (a shared shape used
    /// by requests and responses alike, and the types nested in it).
    pub derives_both_directions: bool,
}

impl Object {
    /// Whether the Rust type keeps unlisted fields in a map instead of refusing them:
    /// response types always do (a reader must not break on a new field), request types
    /// where the spec allows undocumented fields.
    pub fn keeps_unlisted_fields(&self) -> bool {
        self.direction == Direction::Response
            || self.undocumented_fields == UndocumentedFields::Allow
    }

    /// The field with this wire name.
    pub fn field(&self, wire_name: &str) -> Option<&Field> {
        self.fields
            .iter()
            .find(|field| field.wire_name == wire_name)
    }
}

/// Name of the map that keeps unlisted fields in Rust types.
pub(crate) const UNLISTED_FIELDS_RUST_NAME: &str = "undocumented_fields";

/// Name of the catch-all variant response enums keep unknown values in.
pub(crate) const UNKNOWN_VALUE_VARIANT: &str = "UnknownValue";

/// One field of an object.
#[derive(Debug, Clone)]
pub struct Field {
    /// Name on the wire, exactly as the page spells it.
    pub wire_name: String,
    /// Rust field name (a raw identifier such as `r#type` is written `r#type`).
    pub rust_name: String,
    /// Whether it must be present.
    pub required: bool,
    /// Whether `null` is allowed.
    pub nullable: bool,
    /// The page's note, verbatim.
    pub description: Option<String>,
    /// Whether the page documents it in a table or only in its example.
    pub documented_in: DocumentedIn,
    /// The page an id refers to.
    pub reference: Option<Reference>,
    /// A background link.
    pub see: Option<String>,
    /// The value taken when the field is left out, as the page says (documentation only).
    pub default: Option<serde_json::Value>,
    /// Limits on the value (ranges, lengths, pattern, item counts).
    pub constraints: Constraints,
    /// The value's type.
    pub shape: Shape,
    /// Where the field is defined in its spec file.
    pub location: SourceLocation,
}

impl Field {
    /// Whether the Rust type holds `null` as an `Option` of its value: a nullable field, but
    /// for an `any` value, whose JSON holds `null` itself.
    pub fn null_is_an_option(&self) -> bool {
        self.nullable && !matches!(self.shape, Shape::Any)
    }
}

/// The page an id refers to.
#[derive(Debug, Clone)]
pub struct Reference {
    /// What the id is.
    pub title: String,
    /// The link target, verbatim.
    pub page: String,
}

/// The type of a value.
#[derive(Debug, Clone)]
pub enum Shape {
    /// Any string.
    String,
    /// A whole number of any size.
    Integer,
    /// Any number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// RFC 3339 full-date.
    Date,
    /// RFC 3339 date-time.
    DateTime,
    /// An e-mail address.
    Email,
    /// Any JSON value.
    Any,
    /// One of listed strings.
    Enum(Enumeration),
    /// A list.
    Array(Box<ArrayItems>),
    /// An object.
    Object(Object),
    /// One of several types.
    Union(Union),
    /// A shared shape met again inside itself (recursion through an object): the shape of
    /// that name on the way from the body to here.
    Recursive(String),
}

impl Shape {
    /// The spec's name for the shape's type.
    pub fn type_name(&self) -> &'static str {
        match self {
            Shape::String => "string",
            Shape::Integer => "integer",
            Shape::Number => "number",
            Shape::Boolean => "boolean",
            Shape::Date => "date",
            Shape::DateTime => "date-time",
            Shape::Email => "email",
            Shape::Any => "any",
            Shape::Enum(_) => "enum",
            Shape::Array(_) => "array",
            Shape::Object(_) => "object",
            Shape::Union(_) => "union",
            Shape::Recursive(_) => "shape",
        }
    }

    /// The name of the shared shape this is (or refers back to), if it is one.
    pub fn shared_name(&self) -> Option<&str> {
        match self {
            Shape::Object(object) if object.shared => Some(&object.rust_name),
            Shape::Enum(enumeration) if enumeration.shared => Some(&enumeration.rust_name),
            Shape::Union(union) if union.shared => Some(&union.rust_name),
            Shape::Recursive(name) => Some(name),
            _ => None,
        }
    }

    /// Whether the value is limited beyond its type anywhere inside (a constraint the
    /// generated types do not enforce, only the schema).
    pub fn has_constraints(&self) -> bool {
        match self {
            Shape::Object(object) => object.has_constraints(),
            Shape::Array(items) => !items.constraints.is_empty() || items.shape.has_constraints(),
            Shape::Union(union) => union
                .variants
                .iter()
                .any(|variant| variant.shape.has_constraints()),
            _ => false,
        }
    }
}

impl Object {
    /// Whether a field anywhere inside is limited beyond its type.
    pub fn has_constraints(&self) -> bool {
        self.fields
            .iter()
            .any(|field| !field.constraints.is_empty() || field.shape.has_constraints())
    }
}

/// Limits on a value beyond its type, as the page's table gives them. Numbers are kept as
/// their exact JSON text (a 39-digit bound keeps every digit).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Constraints {
    /// `integer`, `number`: least value allowed.
    pub minimum: Option<String>,
    /// `integer`, `number`: greatest value allowed.
    pub maximum: Option<String>,
    /// `integer`, `number`: values must be greater.
    pub exclusive_minimum: Option<String>,
    /// `integer`, `number`: values must be less.
    pub exclusive_maximum: Option<String>,
    /// Strings: fewest characters.
    pub min_length: Option<u64>,
    /// Strings: most characters.
    pub max_length: Option<u64>,
    /// Strings: an ECMA-262 regex the value must match.
    pub pattern: Option<String>,
    /// Arrays: fewest items.
    pub min_items: Option<u64>,
    /// Arrays: most items.
    pub max_items: Option<u64>,
    /// Arrays: every item differs.
    pub unique_items: bool,
}

impl Constraints {
    /// Whether nothing is limited.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// The items of an array.
#[derive(Debug, Clone)]
pub struct ArrayItems {
    /// Their type.
    pub shape: Shape,
    /// Whether an item may be `null`.
    pub nullable: bool,
    /// What an item is.
    pub description: Option<String>,
    /// Limits on each item.
    pub constraints: Constraints,
}

/// A string enumeration.
#[derive(Debug, Clone)]
pub struct Enumeration {
    /// Rust type name.
    pub rust_name: String,
    /// What the value means.
    pub description: Option<String>,
    /// The values, in the page's order.
    pub values: Vec<EnumValue>,
    /// Which way it travels: response enums keep values the page does not list.
    pub direction: Direction,
    /// Whether it is a service's shared shape, emitted once for the service.
    pub shared: bool,
    /// Whether its Rust type derives `Serialize` and `Deserialize` always.
    pub derives_both_directions: bool,
    /// Where other enumerations of the service are written alike (values, variants, value
    /// descriptions, direction): the name of the one type they all are, in the service's
    /// repeated-enums module ([`Service::repeated_enums`]). This one's Rust type is then a
    /// re-export of it under its own name.
    pub same_as: Option<String>,
}

impl Enumeration {
    /// Whether the Rust type keeps unknown values (in [`UNKNOWN_VALUE_VARIANT`]).
    pub fn keeps_unknown_values(&self) -> bool {
        self.direction == Direction::Response
    }
}

/// One value of an enumeration.
#[derive(Debug, Clone)]
pub struct EnumValue {
    /// The value on the wire.
    pub wire: String,
    /// Rust variant name.
    pub rust_variant: String,
    /// What the value means, as the spec says.
    pub description: Option<String>,
}

/// A value of one of several types.
#[derive(Debug, Clone)]
pub struct Union {
    /// Rust type name.
    pub rust_name: String,
    /// What the value means.
    pub description: Option<String>,
    /// The types, in the order they are tried.
    pub variants: Vec<UnionVariant>,
    /// Which way it travels.
    pub direction: Direction,
    /// Whether it is a service's shared shape, emitted once for the service.
    pub shared: bool,
    /// Whether its Rust type derives `Serialize` and `Deserialize` always.
    pub derives_both_directions: bool,
}

/// One type a union value may have.
#[derive(Debug, Clone)]
pub struct UnionVariant {
    /// Rust variant name (`String`, `Boolean`).
    pub rust_variant: String,
    /// The type.
    pub shape: Shape,
    /// What a value of this type means.
    pub description: Option<String>,
}

/// One of a page's examples.
#[derive(Debug, Clone)]
pub struct Example {
    /// Name, unique in the endpoint.
    pub name: String,
    /// The block's title on the page.
    pub title: Option<String>,
    /// The request payload.
    pub request: Option<ExamplePayload>,
    /// The response payload.
    pub response: Option<ExamplePayload>,
}

impl Example {
    /// The payload going in the given direction, if the example has one.
    pub fn payload(&self, direction: Direction) -> Option<&ExamplePayload> {
        match direction {
            Direction::Request => self.request.as_ref(),
            Direction::Response => self.response.as_ref(),
        }
    }
}

/// An example payload file and its known discrepancies.
#[derive(Debug, Clone)]
pub struct ExamplePayload {
    /// The `.json` (or, when it is not JSON, `.txt`) file, relative to the project root.
    pub file: String,
    /// Where the spec names the file.
    pub location: SourceLocation,
    /// Discrepancies known and explained.
    pub known: Vec<KnownDiscrepancy>,
    /// Whether the file is JSON (a `.txt` example may hold anything the page shows).
    pub json: bool,
    /// The headers the page's example sends, as the spec records them (name, value), in order.
    pub headers: Vec<(String, String)>,
}

/// A discrepancy recorded in the spec as known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownDiscrepancy {
    /// JSON Pointer of the value; a last segment `*` matches every member.
    pub path: String,
    /// The rule broken.
    pub rule: Rule,
    /// Why, in words.
    pub reason: String,
    /// Where the spec records it.
    pub location: SourceLocation,
}

impl KnownDiscrepancy {
    /// Whether this entry covers a finding at `pointer` for `rule`.
    pub fn covers(&self, pointer: &str, rule: Rule) -> bool {
        if self.rule != rule {
            return false;
        }
        match self.path.strip_suffix("/*") {
            Some(parent) => pointer
                .strip_prefix(parent)
                .and_then(|rest| rest.strip_prefix('/'))
                .is_some_and(|member| !member.is_empty() && !member.contains('/')),
            None => self.path == pointer,
        }
    }
}
