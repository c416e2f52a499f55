//! The contracts and the spec examples in, the mock's route table out: for every endpoint of
//! every service, its method and path, how it is authenticated, and the answer it gives (the
//! docs' example response and the documented status), with the places where each answer gets a
//! fresh id and where it echoes a request value, decided once from the examples.

use codegen::SpecSources;
use codegen::model::{Auth, Direction, Effect, Endpoint, Method, Object, Service, Shape};
use serde_json::{Map, Number, Value};

use crate::check::{check_payload, parse_payload};
use crate::contract::Contracts;
use crate::finding::Severity;
use crate::headers::is_filled_by_contract;
use crate::mock::ids::{IdForm, IdGenerator};
use crate::shape::{child_pointer, locate};

/// One endpoint as the mock serves it.
#[derive(Debug, Clone)]
pub(crate) struct MockRoute {
    /// Service id.
    pub service: String,
    /// Endpoint id.
    pub endpoint: String,
    /// HTTP method.
    pub method: Method,
    /// Path segments; `{name}` segments match any one segment.
    pub path: String,
    /// How requests must be authenticated.
    pub auth: Auth,
    /// Whether a call only reads or may write.
    pub effect: Effect,
    /// Whether the endpoint takes a JSON body.
    pub takes_body: bool,
    /// The request body's documented media type, for endpoints that take one.
    pub request_media_type: Option<String>,
    /// The headers the page's table requires, besides the credential and `Content-Type`.
    pub required_headers: Vec<String>,
    /// The status of a successful answer.
    pub status: u16,
    /// The answer's media type.
    pub content_type: String,
    /// The answer before fresh ids and echoes.
    pub template: Value,
    /// Where each answer gets a fresh id, and of which form.
    pub fresh_ids: Vec<(String, IdForm)>,
    /// Where each answer echoes a request value: (answer pointer, request member, the shape
    /// the answer needs there).
    pub echoes: Vec<Echo>,
}

/// A value of the answer copied from the request.
#[derive(Debug, Clone)]
pub(crate) struct Echo {
    /// JSON Pointer in the answer.
    pub answer_pointer: String,
    /// Top-level member of the request it comes from.
    pub request_member: String,
    /// What the answer's contract wants there.
    pub kind: EchoKind,
}

/// What an echoed value must be for the answer to stay valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum EchoKind {
    /// Any string.
    String,
    /// Any number.
    Number,
    /// A whole number.
    Integer,
    /// One of these strings.
    OneOf(Vec<String>),
}

impl MockRoute {
    /// `crm/accounts.create`.
    pub(crate) fn key(&self) -> String {
        format!("{}/{}", self.service, self.endpoint)
    }

    /// Whether `path` is this route's path.
    pub(crate) fn matches_path(&self, path: &str) -> bool {
        let mut wanted = self.path.split('/');
        let mut given = path.split('/');
        loop {
            match (wanted.next(), given.next()) {
                (None, None) => return true,
                (Some(want), Some(got)) => {
                    let placeholder = want.starts_with('{') && want.ends_with('}');
                    if !(placeholder && !got.is_empty() || want == got) {
                        return false;
                    }
                }
                _ => return false,
            }
        }
    }

    /// The answer to a valid `request`: the template with fresh ids and echoed values.
    pub(crate) fn answer(&self, request: Option<&Value>, ids: &IdGenerator) -> Value {
        let mut answer = self.template.clone();
        for (pointer, form) in &self.fresh_ids {
            if let Some(slot) = answer.pointer_mut(pointer) {
                *slot = Value::String(ids.fresh(form));
            }
        }
        let Some(Value::Object(members)) = request else {
            return answer;
        };
        for echo in &self.echoes {
            let Some(value) = members.get(&echo.request_member) else {
                continue;
            };
            let echoed = match (&echo.kind, value) {
                (EchoKind::String, Value::String(_)) => Some(value.clone()),
                (EchoKind::String, Value::Number(number)) => {
                    Some(Value::String(number.to_string()))
                }
                (EchoKind::Number, Value::Number(_)) => Some(value.clone()),
                (EchoKind::Integer, Value::Number(number))
                    if !number.to_string().contains(['.', 'e', 'E']) =>
                {
                    Some(value.clone())
                }
                (EchoKind::OneOf(allowed), Value::String(text)) if allowed.contains(text) => {
                    Some(value.clone())
                }
                _ => None,
            };
            if let (Some(echoed), Some(slot)) = (echoed, answer.pointer_mut(&echo.answer_pointer)) {
                *slot = echoed;
            }
        }
        answer
    }
}

/// Builds the route of every endpoint. Notes say where an answer could not come from the
/// docs' example (none, one that is not JSON, or one its own contract refuses) and a minimal
/// valid one is used.
pub(crate) fn build_routes(
    contracts: &Contracts,
    sources: &SpecSources,
) -> (Vec<MockRoute>, Vec<String>) {
    let mut routes = Vec::new();
    let mut notes = Vec::new();
    for (service, endpoint) in contracts.model.endpoints() {
        routes.push(build_route(
            contracts, sources, service, endpoint, &mut notes,
        ));
    }
    (routes, notes)
}

fn build_route(
    contracts: &Contracts,
    sources: &SpecSources,
    service: &Service,
    endpoint: &Endpoint,
    notes: &mut Vec<String>,
) -> MockRoute {
    let key = endpoint.key();
    let response_contract = contracts.body(&service.id, &endpoint.id, Direction::Response);
    let example = endpoint
        .examples
        .iter()
        .find(|example| example.response.is_some());
    let example_response = example
        .and_then(|example| example.response.as_ref())
        .and_then(|payload| sources.get(&payload.file));
    let example_request = example
        .and_then(|example| example.request.as_ref())
        .and_then(|payload| sources.get(&payload.file))
        .and_then(|bytes| parse_payload(bytes).ok());
    let usable_example = example_response.and_then(|bytes| {
        let Ok(value) = parse_payload(bytes) else {
            notes.push(format!(
                "{key}: the docs' example response is not JSON; answering with a minimal valid body instead"
            ));
            return None;
        };
        let refused = response_contract.is_some_and(|contract| {
            check_payload(contract, bytes)
                .findings
                .iter()
                .any(|finding| finding.severity == Severity::Error)
        });
        if refused {
            notes.push(format!(
                "{key}: the docs' example response breaks its own contract; answering with a minimal valid body instead"
            ));
            None
        } else {
            Some(value)
        }
    });
    let template = match usable_example {
        Some(value) => value,
        None => {
            if example_response.is_none() {
                notes.push(format!(
                    "{key}: the spec has no example response; answering with a minimal valid body"
                ));
            }
            minimal_object(&endpoint.response.body.object)
        }
    };
    let fresh_ids = id_places(&template);
    let echoes = match &example_request {
        Some(request) => echo_places(
            &endpoint.response.body.object,
            &template,
            request,
            &fresh_ids,
        ),
        None => Vec::new(),
    };
    MockRoute {
        service: service.id.clone(),
        endpoint: endpoint.id.clone(),
        method: endpoint.method,
        path: endpoint.path.clone(),
        auth: service.auth.clone(),
        effect: endpoint.effect,
        takes_body: endpoint.request.is_some(),
        request_media_type: endpoint
            .request
            .as_ref()
            .map(|body| body.content_type.clone()),
        required_headers: endpoint
            .request_headers
            .iter()
            .filter(|header| header.required && !is_filled_by_contract(service, header))
            .map(|header| header.name.clone())
            .collect(),
        status: endpoint.response.status.representative_code(),
        content_type: endpoint.response.body.content_type.clone(),
        template,
        fresh_ids,
        echoes,
    }
}

/// Every string member named `id` or `_id`, anywhere in the answer.
fn id_places(template: &Value) -> Vec<(String, IdForm)> {
    let mut places = Vec::new();
    walk_ids(template, "", &mut places);
    places
}

fn walk_ids(value: &Value, pointer: &str, places: &mut Vec<(String, IdForm)>) {
    match value {
        Value::Object(members) => {
            for (name, member) in members {
                let member_pointer = child_pointer(pointer, name);
                match member {
                    Value::String(text) if name == "id" || name == "_id" => {
                        if let Some(form) = IdForm::of(text) {
                            places.push((member_pointer, form));
                        }
                    }
                    _ => walk_ids(member, &member_pointer, places),
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                walk_ids(item, &format!("{pointer}/{index}"), places);
            }
        }
        _ => {}
    }
}

/// Where the example answer repeats a request value: each string or number reached through
/// objects whose text equals a top-level request member's (a string's content, a number's
/// digits). A member of the same name wins; otherwise only a single candidate counts.
fn echo_places(
    object: &Object,
    template: &Value,
    request: &Value,
    fresh_ids: &[(String, IdForm)],
) -> Vec<Echo> {
    let Value::Object(request_members) = request else {
        return Vec::new();
    };
    let mut leaves = Vec::new();
    object_leaves(template, "", &mut leaves);
    let mut echoes = Vec::new();
    for (pointer, name, text) in leaves {
        if text.is_empty()
            || fresh_ids
                .iter()
                .any(|(id_pointer, _)| *id_pointer == pointer)
        {
            continue;
        }
        let candidates: Vec<&String> = request_members
            .iter()
            .filter(|(_, value)| scalar_text(value).as_deref() == Some(text.as_str()))
            .map(|(member, _)| member)
            .collect();
        let chosen =
            candidates
                .iter()
                .find(|member| ***member == name)
                .or(if candidates.len() == 1 {
                    candidates.first()
                } else {
                    None
                });
        let Some(member) = chosen else {
            continue;
        };
        let kind = match locate(object, template, &pointer).shape {
            Some(Shape::String) => EchoKind::String,
            Some(Shape::Number) => EchoKind::Number,
            Some(Shape::Integer) => EchoKind::Integer,
            Some(Shape::Enum(enumeration)) => EchoKind::OneOf(
                enumeration
                    .values
                    .iter()
                    .map(|value| value.wire.clone())
                    .collect(),
            ),
            _ => continue,
        };
        echoes.push(Echo {
            answer_pointer: pointer,
            request_member: (*member).clone(),
            kind,
        });
    }
    echoes
}

/// (pointer, member name, text) of every string and number reached through objects only.
fn object_leaves(value: &Value, pointer: &str, out: &mut Vec<(String, String, String)>) {
    let Value::Object(members) = value else {
        return;
    };
    for (name, member) in members {
        let member_pointer = child_pointer(pointer, name);
        match member {
            Value::Object(_) => object_leaves(member, &member_pointer, out),
            other => {
                if let Some(text) = scalar_text(other) {
                    out.push((member_pointer, name.clone(), text));
                }
            }
        }
    }
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// The smallest body an object's contract accepts: its required fields, each with a plain
/// value of its shape (inside the field's limits), and the first member of every
/// at-least-one-of group; a field whose spec gives a `default` is answered with it, required
/// or not, as the page says the API does.
pub fn minimal_object(object: &Object) -> Value {
    let mut members = Map::new();
    for field in &object.fields {
        let needed_by_group = object
            .at_least_one_of
            .iter()
            .any(|group| group.first() == Some(&field.wire_name));
        if let Some(default) = &field.default {
            members.insert(field.wire_name.clone(), default.clone());
        } else if field.required || needed_by_group {
            let value = if field.constraints.is_empty() && !field.shape.has_constraints() {
                minimal_value(&field.shape)
            } else {
                codegen::emit_corpus::minimal_valid_value(&field.shape, &field.constraints)
            };
            members.insert(field.wire_name.clone(), value);
        }
    }
    Value::Object(members)
}

fn minimal_value(shape: &Shape) -> Value {
    match shape {
        Shape::String => Value::String("mock".to_owned()),
        Shape::Integer | Shape::Number => Value::Number(Number::from(0u8)),
        Shape::Boolean => Value::Bool(false),
        Shape::Date => Value::String("2024-01-31".to_owned()),
        Shape::DateTime => Value::String("2024-01-31T09:30:00Z".to_owned()),
        Shape::Email => Value::String("mock@example.com".to_owned()),
        Shape::Any => Value::Null,
        Shape::Enum(enumeration) => enumeration
            .values
            .first()
            .map(|value| Value::String(value.wire.clone()))
            .unwrap_or(Value::Null),
        Shape::Array(_) => Value::Array(Vec::new()),
        Shape::Object(object) => minimal_object(object),
        Shape::Union(union) => union
            .variants
            .first()
            .map(|variant| minimal_value(&variant.shape))
            .unwrap_or(Value::Null),
        // Only reached through a required field that leads back into its own shape.
        Shape::Recursive(_) => Value::Object(Map::new()),
    }
}
