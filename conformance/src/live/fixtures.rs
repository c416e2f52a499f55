//! A fixtures file's text in, per-endpoint edits of the requests built from the spec examples
//! out: the values one environment needs (real status ids, owner ids) put in place by JSON
//! Pointer, and example fields an API refuses taken out. Every problem is reported as
//! `file:line:column: message`.
//!
//! The format (YAML; one file per environment, given with `--fixtures FILE`):
//!
//! ```yaml
//! endpoints:                          # the only top-level key
//!   crm/accounts.create:              # `service/endpoint`, as the reports name it
//!     remove:                         # JSON Pointers of values taken out, in this order
//!       - /email
//!       - /lead_id
//!     set:                            # JSON Pointer → value, applied in written order
//!       /status: "233476065495938695080047208242730387249"
//!       /b_day: "2003-11-21"
//!       /custom_fields/0/value: LADIPAGE-PRO
//!       /tags/-: a-new-tag            # `-` appends to a list
//! ```
//!
//! Rules: for each endpoint, the request is the first spec example's request (or nothing, when
//! the endpoint has no example: then `set` must give the whole body with the pointer `""`).
//! `remove` runs first, and each pointer must name an existing value. `set` then replaces the
//! value at each pointer, or adds an object member or a list item (index = length, or `-`)
//! whose parent exists; the pointer `""` replaces the whole body. Values are YAML: quoted text is
//! a string; plain `true`/`false`/`null` are JSON's; a plain number must be written as JSON
//! writes it and keeps every digit (it is read from the file's text, never through a float).
//! Long ids the API takes as strings must be quoted. Unknown keys, unknown endpoints, duplicate
//! keys and pointers not starting with `/` are errors.

use std::fmt;
use std::marker::PhantomData;

use codegen::SourceLocation;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use serde_saphyr::Spanned;

use crate::shape::pointer_tokens;

/// One problem in a fixtures file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {message}")]
pub struct FixtureError {
    /// Where it is.
    pub location: SourceLocation,
    /// What is wrong and what was expected.
    pub message: String,
}

/// Every problem found in a fixtures file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", render_errors(.0))]
pub struct FixtureErrors(pub Vec<FixtureError>);

fn render_errors(errors: &[FixtureError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The edits of one endpoint's request.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointFixture {
    /// `service/endpoint`.
    pub endpoint: String,
    /// Where the file names the endpoint.
    pub location: SourceLocation,
    /// Pointers of values taken out, in order.
    pub remove: Vec<(String, SourceLocation)>,
    /// Pointer → value put in, in order.
    pub set: Vec<(String, Value, SourceLocation)>,
    /// Values of the headers the page's table requires (name → value), in written order.
    pub headers: Vec<(String, String)>,
}

/// A parsed fixtures file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Fixtures {
    /// The file, as named in messages.
    pub path: String,
    /// The endpoints' edits, in written order.
    pub endpoints: Vec<EndpointFixture>,
}

impl Fixtures {
    /// Parses the fixtures file `text`, named `path` in messages.
    pub fn parse(path: &str, text: &str) -> Result<Fixtures, FixtureErrors> {
        let file: FixturesFile = codegen::load::read_yaml(path, text).map_err(|diagnostic| {
            FixtureErrors(vec![FixtureError {
                location: diagnostic.location,
                message: diagnostic.message,
            }])
        })?;
        let mut errors = Vec::new();
        let mut endpoints = Vec::new();
        for (name, fixture) in file.endpoints.0 {
            let location = SourceLocation::of(path, &name);
            if !name.value.contains('/') {
                errors.push(FixtureError {
                    location: location.clone(),
                    message: format!(
                        "endpoints are named `service/endpoint` (like `crm/accounts.create`), found `{}`",
                        name.value
                    ),
                });
            }
            let mut remove = Vec::new();
            for pointer in &fixture.value.remove {
                let pointer_location = SourceLocation::of(path, pointer);
                match check_pointer(&pointer.value) {
                    Ok(()) if pointer.value.is_empty() => errors.push(FixtureError {
                        location: pointer_location,
                        message: "`remove` cannot take out the whole body (`\"\"`)".to_owned(),
                    }),
                    Ok(()) => remove.push((pointer.value.clone(), pointer_location)),
                    Err(message) => errors.push(FixtureError {
                        location: pointer_location,
                        message,
                    }),
                }
            }
            let mut set = Vec::new();
            for (pointer, node) in &fixture.value.set.0 {
                let pointer_location = SourceLocation::of(path, pointer);
                if let Err(message) = check_pointer(&pointer.value) {
                    errors.push(FixtureError {
                        location: pointer_location,
                        message,
                    });
                    continue;
                }
                match node_to_value(path, text, node) {
                    Ok(value) => set.push((pointer.value.clone(), value, pointer_location)),
                    Err(error) => errors.push(error),
                }
            }
            let headers = fixture
                .value
                .headers
                .0
                .iter()
                .map(|(name, value)| (name.value.clone(), value.value.clone()))
                .collect();
            endpoints.push(EndpointFixture {
                endpoint: name.value.clone(),
                location,
                remove,
                set,
                headers,
            });
        }
        if errors.is_empty() {
            Ok(Fixtures {
                path: path.to_owned(),
                endpoints,
            })
        } else {
            Err(FixtureErrors(errors))
        }
    }

    /// The edits of `service/endpoint`, if the file has any.
    pub(crate) fn for_endpoint(&self, endpoint_key: &str) -> Option<&EndpointFixture> {
        self.endpoints
            .iter()
            .find(|fixture| fixture.endpoint == endpoint_key)
    }

    /// Errors for every endpoint the file names that is not in `known` (`service/endpoint`).
    pub(crate) fn unknown_endpoints(&self, known: &[String]) -> Vec<FixtureError> {
        self.endpoints
            .iter()
            .filter(|fixture| !known.contains(&fixture.endpoint))
            .map(|fixture| FixtureError {
                location: fixture.location.clone(),
                message: format!(
                    "no endpoint `{}`; expected one of: {}",
                    fixture.endpoint,
                    known.join(", ")
                ),
            })
            .collect()
    }
}

impl EndpointFixture {
    /// The value the file gives header `name` (compared without regard to case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(given, _)| given.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Whether the entry changes the body (`remove` or `set`), not only headers.
    pub(crate) fn edits_body(&self) -> bool {
        !self.remove.is_empty() || !self.set.is_empty()
    }

    /// Applies the edits to `body`: every `remove`, then every `set`, in written order.
    pub fn apply(&self, body: &mut Value) -> Result<(), FixtureErrors> {
        let mut errors = Vec::new();
        for (pointer, location) in &self.remove {
            if let Err(message) = remove_at(body, pointer) {
                errors.push(FixtureError {
                    location: location.clone(),
                    message: format!(
                        "cannot remove `{pointer}` from the request of {}: {message}",
                        self.endpoint
                    ),
                });
            }
        }
        for (pointer, value, location) in &self.set {
            if let Err(message) = set_at(body, pointer, value.clone()) {
                errors.push(FixtureError {
                    location: location.clone(),
                    message: format!(
                        "cannot set `{pointer}` in the request of {}: {message}",
                        self.endpoint
                    ),
                });
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(FixtureErrors(errors))
        }
    }
}

fn check_pointer(pointer: &str) -> Result<(), String> {
    if pointer.is_empty() || pointer.starts_with('/') {
        Ok(())
    } else {
        Err(format!(
            "a JSON Pointer starts with `/` (like `/status`), or is `\"\"` for the whole body; found `{pointer}`"
        ))
    }
}

/// `/a/b` → (`/a`, `b`), unescaped.
fn parent_and_last(pointer: &str) -> (String, String) {
    match pointer.rfind('/') {
        Some(slash) => (
            pointer[..slash].to_owned(),
            pointer_tokens(&pointer[slash..]).pop().unwrap_or_default(),
        ),
        None => (String::new(), String::new()),
    }
}

/// `the body` or `` `/a/b` ``, for messages.
fn place_name(pointer: &str) -> String {
    if pointer.is_empty() {
        "the body".to_owned()
    } else {
        format!("`{pointer}`")
    }
}

fn remove_at(body: &mut Value, pointer: &str) -> Result<(), String> {
    let (parent, last) = parent_and_last(pointer);
    let parent_name = place_name(&parent);
    match body.pointer_mut(&parent) {
        Some(Value::Object(members)) => members
            .shift_remove(&last)
            .map(|_| ())
            .ok_or_else(|| format!("{parent_name} has no member `{last}`")),
        Some(Value::Array(items)) => match last.parse::<usize>() {
            Ok(index) if index < items.len() => {
                items.remove(index);
                Ok(())
            }
            _ => Err(format!(
                "{parent_name} has {}, no item `{last}`",
                codegen::display_text::count(items.len(), "item", "items")
            )),
        },
        Some(_) => Err(format!("{parent_name} is neither an object nor a list")),
        None => Err(format!("there is no value at {parent_name}")),
    }
}

fn set_at(body: &mut Value, pointer: &str, value: Value) -> Result<(), String> {
    if pointer.is_empty() {
        *body = value;
        return Ok(());
    }
    let (parent, last) = parent_and_last(pointer);
    let parent_name = place_name(&parent);
    match body.pointer_mut(&parent) {
        Some(Value::Object(members)) => {
            members.insert(last, value);
            Ok(())
        }
        Some(Value::Array(items)) => {
            let index = if last == "-" {
                Some(items.len())
            } else {
                last.parse::<usize>().ok()
            };
            match index {
                Some(index) if index < items.len() => {
                    items[index] = value;
                    Ok(())
                }
                Some(index) if index == items.len() => {
                    items.push(value);
                    Ok(())
                }
                _ => Err(format!(
                    "{parent_name} has {}; an index is below that, equal to it (to append), or `-`",
                    codegen::display_text::count(items.len(), "item", "items")
                )),
            }
        }
        Some(_) if parent.is_empty() => {
            Err("the body is not an object or a list: set `\"\"` (the whole body) first".to_owned())
        }
        Some(_) => Err(format!("{parent_name} is neither an object nor a list")),
        None => Err(format!(
            "there is no value at {parent_name}: set the parent first"
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// Reading the YAML: every value keeps its span, so numbers are read from the file's own text.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FixturesFile {
    endpoints: OrderedEntries<EndpointFixtureSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EndpointFixtureSpec {
    #[serde(default)]
    remove: Vec<Spanned<String>>,
    #[serde(default)]
    set: OrderedEntries<FixtureNode>,
    #[serde(default)]
    headers: OrderedEntries<String>,
}

/// A mapping in written order, keys and values with their spans.
struct OrderedEntries<V>(Vec<(Spanned<String>, Spanned<V>)>);

impl<V> Default for OrderedEntries<V> {
    fn default() -> Self {
        OrderedEntries(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for OrderedEntries<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for EntriesVisitor<V> {
            type Value = OrderedEntries<V>;
            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("a mapping")
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<OrderedEntries<V>, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(OrderedEntries(entries))
            }
            fn visit_unit<E: de::Error>(self) -> Result<OrderedEntries<V>, E> {
                Ok(OrderedEntries(Vec::new()))
            }
        }
        deserializer.deserialize_map(EntriesVisitor(PhantomData))
    }
}

/// A YAML value as read, before numbers are taken from the text.
enum FixtureNode {
    Null,
    Bool(bool),
    /// A number: its digits are read from the file at the node's span.
    Number,
    String(String),
    List(Vec<Spanned<FixtureNode>>),
    Map(Vec<(String, Spanned<FixtureNode>)>),
}

impl<'de> Deserialize<'de> for FixtureNode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NodeVisitor;
        impl<'de> Visitor<'de> for NodeVisitor {
            type Value = FixtureNode;
            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("a JSON value")
            }
            fn visit_unit<E: de::Error>(self) -> Result<FixtureNode, E> {
                Ok(FixtureNode::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<FixtureNode, E> {
                Ok(FixtureNode::Null)
            }
            fn visit_bool<E: de::Error>(self, value: bool) -> Result<FixtureNode, E> {
                Ok(FixtureNode::Bool(value))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<FixtureNode, E> {
                Ok(FixtureNode::Number)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<FixtureNode, E> {
                Ok(FixtureNode::Number)
            }
            fn visit_i128<E: de::Error>(self, _: i128) -> Result<FixtureNode, E> {
                Ok(FixtureNode::Number)
            }
            fn visit_u128<E: de::Error>(self, _: u128) -> Result<FixtureNode, E> {
                Ok(FixtureNode::Number)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<FixtureNode, E> {
                Ok(FixtureNode::Number)
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<FixtureNode, E> {
                Ok(FixtureNode::String(value.to_owned()))
            }
            fn visit_string<E: de::Error>(self, value: String) -> Result<FixtureNode, E> {
                Ok(FixtureNode::String(value))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<FixtureNode, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(FixtureNode::List(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FixtureNode, A::Error> {
                let mut members = Vec::new();
                while let Some(entry) = map.next_entry::<String, Spanned<FixtureNode>>()? {
                    members.push(entry);
                }
                Ok(FixtureNode::Map(members))
            }
        }
        deserializer.deserialize_any(NodeVisitor)
    }
}

fn node_to_value(
    path: &str,
    text: &str,
    node: &Spanned<FixtureNode>,
) -> Result<Value, FixtureError> {
    Ok(match &node.value {
        FixtureNode::Null => Value::Null,
        FixtureNode::Bool(value) => Value::Bool(*value),
        FixtureNode::String(value) => Value::String(value.clone()),
        FixtureNode::Number => Value::Number(number_from_text(path, text, node)?),
        FixtureNode::List(items) => Value::Array(
            items
                .iter()
                .map(|item| node_to_value(path, text, item))
                .collect::<Result<_, _>>()?,
        ),
        FixtureNode::Map(members) => {
            let mut map = Map::new();
            for (key, member) in members {
                map.insert(key.clone(), node_to_value(path, text, member)?);
            }
            Value::Object(map)
        }
    })
}

/// The number exactly as the file writes it.
fn number_from_text(
    path: &str,
    text: &str,
    node: &Spanned<FixtureNode>,
) -> Result<serde_json::Number, FixtureError> {
    let location = SourceLocation::at(path, node.defined);
    let span = node.defined.span();
    let raw = span
        .byte_offset()
        .zip(span.byte_len())
        .and_then(|(offset, length)| {
            let start = usize::try_from(offset).ok()?;
            let end = start.checked_add(usize::try_from(length).ok()?)?;
            text.get(start..end)
        })
        .map(str::trim);
    let Some(raw) = raw else {
        return Err(FixtureError {
            location,
            message: "cannot read this number's digits from the file: quote it to send a string"
                .to_owned(),
        });
    };
    serde_json::from_str::<serde_json::Number>(raw).map_err(|_| FixtureError {
        location,
        message: format!(
            "numbers are written as JSON writes them (digits, an optional fraction and exponent), found `{raw}`: write it that way, or quote it to send a string"
        ),
    })
}
