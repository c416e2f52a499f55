//! One endpoint's spec in, its lowered endpoint out: id, method and path, the request's media
//! type and headers, the expected statuses, the bodies (through `fields`) and the example
//! payloads (through `examples`).

use std::collections::BTreeMap;

use crate::diagnostic::SourceLocation;
use crate::model::{
    Body, Direction, Effect, Endpoint, Example, RequestHeader, Response, Source, StatusExpectation,
};
use crate::names;
use crate::spec::{EndpointSpec, Entries, HeaderSpec, RequestSpec, Spanned, StatusSpec};

use super::Cx;
use super::examples::lower_example_payload;
use super::fields::lower_object;
use super::identifiers::{first_offending, is_endpoint_id, is_header_name};

pub(super) fn lower_endpoint(
    cx: &mut Cx<'_>,
    service: &str,
    spec: &EndpointSpec,
) -> Option<Endpoint> {
    let EndpointSpec {
        id,
        title,
        summary,
        description,
        source,
        method,
        path,
        effect,
        request,
        response,
        examples,
    } = spec;
    let start = cx.diagnostics.len();
    if !is_endpoint_id(&id.value) {
        cx.error(
            id,
            format!(
                "endpoint id `{}` must be dot-separated words of lower-case ASCII letters, digits and `_`, each starting with a letter (`leads.create`){}",
                id.value,
                first_offending(&id.value, true)
            ),
        );
    }
    if !path.value.starts_with('/') || path.value.contains(char::is_whitespace) {
        cx.error(
            path,
            format!(
                "path must start with `/` and have no spaces, found `{}`",
                path.value
            ),
        );
    }
    let page = cx.resolve(&source.page, "source page");
    let type_prefix = id
        .value
        .split('.')
        .map(|part| names::pascal_case(part).unwrap_or_default())
        .collect::<String>();
    let rust_module = names::endpoint_module_name(&id.value);

    let request_headers = request
        .as_ref()
        .map(|spanned| lower_request_headers(cx, &spanned.value.headers))
        .unwrap_or_default();
    let request = request.as_ref().map(|spanned| {
        cx.direction = Direction::Request;
        let request = &spanned.value;
        let object = lower_object(
            cx,
            format!("{type_prefix}Request"),
            cx.location(spanned),
            request.description.clone(),
            &request.fields,
            request.undocumented_fields.value,
            &request.at_least_one_of,
        );
        Body {
            direction: Direction::Request,
            content_type: request_media_type(cx, request),
            object,
        }
    });

    cx.direction = Direction::Response;
    let response_at = cx.location(response);
    let response = &response.value;
    let status = lower_status(cx, &response.status);
    let response_object = lower_object(
        cx,
        format!("{type_prefix}Response"),
        response_at,
        response.description.clone(),
        &response.fields,
        response.undocumented_fields.value,
        &response.at_least_one_of,
    );

    let mut example_names: BTreeMap<&str, SourceLocation> = BTreeMap::new();
    let mut lowered_examples = Vec::new();
    for example in examples {
        if let Some(first) = example_names.get(example.name.value.as_str()) {
            let message = format!(
                "duplicate example name `{}`: already used at {first}",
                example.name.value
            );
            cx.error(&example.name, message);
        } else {
            example_names.insert(&example.name.value, cx.location(&example.name));
        }
        if example.request.is_none() && example.response.is_none() {
            cx.error(
                &example.name,
                "example names neither a `request` nor a `response` file",
            );
        }
        if example.request.is_some() && request.is_none() {
            cx.error(
                &example.name,
                "example has a `request` but the endpoint takes no request body",
            );
        }
        lowered_examples.push(Example {
            name: example.name.value.clone(),
            title: example.title.clone(),
            request: example
                .request
                .as_ref()
                .and_then(|payload| lower_example_payload(cx, payload)),
            response: example
                .response
                .as_ref()
                .and_then(|payload| lower_example_payload(cx, payload)),
        });
    }

    let endpoint = Endpoint {
        id: id.value.clone(),
        service: service.to_owned(),
        spec_path: cx.path.to_owned(),
        title: title.clone(),
        summary: summary.clone(),
        description: description.clone(),
        source: Source {
            page: page.unwrap_or_default(),
            url: source.url.clone(),
            section: source.section.clone(),
        },
        method: method.value,
        path: path.value.clone(),
        effect: effect
            .as_ref()
            .map_or(Effect::of_method(method.value), |given| given.value),
        request_headers,
        rust_module,
        request,
        response: Response {
            status,
            body: Body {
                direction: Direction::Response,
                content_type: content_type(&response.content_type),
                object: response_object,
            },
        },
        examples: lowered_examples,
    };
    (cx.diagnostics.len() == start).then_some(endpoint)
}

/// The request's media type: `media_type`, or the older `content_type`, or JSON.
pub(super) fn request_media_type(cx: &mut Cx<'_>, request: &RequestSpec) -> String {
    match (&request.media_type, &request.content_type) {
        (Some(media_type), given) => {
            if given.is_some() {
                cx.error(
                    media_type,
                    "give the media type once: `media_type` (or the older `content_type`), not both",
                );
            }
            if !is_media_type(&media_type.value) {
                let message = format!(
                    "media_type `{}` is not a media type: expected `type/subtype` (`application/json`)",
                    media_type.value
                );
                cx.error(media_type, message);
            }
            media_type.value.clone()
        }
        (None, given) => content_type(given),
    }
}

/// The request's header table: names checked (HTTP token characters, each once whatever its
/// case).
pub(super) fn lower_request_headers(
    cx: &mut Cx<'_>,
    headers: &Entries<HeaderSpec>,
) -> Vec<RequestHeader> {
    let mut lowered: Vec<RequestHeader> = Vec::new();
    for (name, header) in headers.iter() {
        if !is_header_name(&name.value) {
            let message = format!(
                "`{}` is not an HTTP header name: letters, digits and `!#$%&'*+-.^_`|~` only",
                name.value
            );
            cx.error(name, message);
            continue;
        }
        if let Some(first) = lowered
            .iter()
            .find(|other| other.name.eq_ignore_ascii_case(&name.value))
        {
            let message = format!(
                "header `{}` is already listed as `{}`: header names are the same whatever their case",
                name.value, first.name
            );
            cx.error(name, message);
            continue;
        }
        lowered.push(RequestHeader {
            name: name.value.clone(),
            required: header.value.required.unwrap_or(false),
            description: header.value.description.clone(),
        });
    }
    lowered
}

pub(super) fn is_media_type(text: &str) -> bool {
    let essence = text.split(';').next().unwrap_or_default().trim();
    essence
        .split_once('/')
        .is_some_and(|(kind, subtype)| is_header_name(kind) && is_header_name(subtype))
}

pub(super) fn content_type(given: &Option<String>) -> String {
    given
        .clone()
        .unwrap_or_else(|| "application/json".to_owned())
}

pub(super) fn lower_status(cx: &mut Cx<'_>, status: &Spanned<StatusSpec>) -> StatusExpectation {
    let class_of = |class: &str| -> Option<u8> {
        let bytes = class.as_bytes();
        match bytes {
            [digit @ b'1'..=b'5', b'X' | b'x', b'X' | b'x'] => Some(digit - b'0'),
            _ => None,
        }
    };
    match &status.value {
        StatusSpec::Code(code) if (100..=599).contains(code) => StatusExpectation::Code(*code),
        StatusSpec::Code(code) => {
            cx.error(
                status,
                format!("status {code} is not an HTTP status, expected 100 to 599"),
            );
            StatusExpectation::Code(*code)
        }
        StatusSpec::Class(class) => match class_of(class) {
            Some(digit) => StatusExpectation::Class(digit),
            None => {
                cx.error(
                    status,
                    format!("status `{class}` is neither a code (201) nor a class (2XX)"),
                );
                StatusExpectation::Class(2)
            }
        },
        StatusSpec::Undocumented { undocumented, note } => match class_of(undocumented) {
            Some(digit) => StatusExpectation::Undocumented {
                class: digit,
                note: note.clone(),
            },
            None => {
                cx.error(
                    status,
                    format!("undocumented status `{undocumented}` must be a class such as 2XX"),
                );
                StatusExpectation::Class(2)
            }
        },
    }
}
