//! Parsed spec files in, the checked model out: names decided, references resolved, every
//! problem a diagnostic at file:line:column (all of them, not just the first).

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::constraints::{lower_constraints, lower_default};
use crate::diagnostic::{Diagnostic, SourceLocation};
use crate::load::{Loaded, LoadedService, LoadedSpecs, SPEC_ROOT, SpecSources};
use crate::model::{
    ArrayItems, Auth, Body, Direction, Effect, Endpoint, EnumValue, Enumeration, Example,
    ExamplePayload, Field, KnownDiscrepancy, Model, Object, Reference, RequestHeader, Response,
    Service, Shape, Source, StatusExpectation, UNKNOWN_VALUE_VARIANT, UNLISTED_FIELDS_RUST_NAME,
    Union, UnionVariant, Variable,
};
use crate::names;
use crate::shapes::{ShapeTable, lower_shape_use, lower_shared_shapes};
use crate::spec::{
    AuthScheme, DocumentedIn, EndpointSpec, Entries, EnumValueSpec, ExamplePayloadSpec, FieldSpec,
    FieldType, HeaderSpec, RequestSpec, ServiceSpec, Spanned, StatusSpec, UndocumentedFields,
};

/// Lowers every loaded spec. Returns the model only when no problem was found.
pub fn lower(loaded: &LoadedSpecs, sources: &SpecSources) -> (Option<Model>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let schema_base_uri = loaded.project.as_ref().map(|project| {
        let uri = &project.spec.schema_base_uri;
        let valid = (uri.value.starts_with("https://") || uri.value.starts_with("http://"))
            && uri.value.ends_with('/')
            && !uri.value.contains(char::is_whitespace);
        if !valid {
            diagnostics.push(Diagnostic::new(
                SourceLocation::of(&project.path, uri),
                format!(
                    "schema_base_uri must be an absolute http(s) URI ending in `/`, found `{}`",
                    uri.value
                ),
            ));
        }
        uri.value.clone()
    });
    let services: Vec<Service> = loaded
        .services
        .iter()
        .filter_map(|service| lower_service(service, sources, &mut diagnostics))
        .collect();
    let model = match schema_base_uri {
        Some(schema_base_uri) if diagnostics.is_empty() => Some(Model {
            schema_base_uri,
            services,
        }),
        _ => None,
    };
    (model, diagnostics)
}

fn lower_service(
    loaded: &LoadedService,
    sources: &SpecSources,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Service> {
    let Loaded { path, spec } = &loaded.service;
    let ServiceSpec {
        id,
        title,
        description,
        language,
        schema_version,
        base_url,
        variables,
        auth,
        shapes,
    } = spec;
    let folder_name = loaded.folder.rsplit('/').next().unwrap_or_default();
    let valid_id = is_service_id(&id.value);
    if !valid_id {
        diagnostics.push(Diagnostic::new(
            SourceLocation::of(path, id),
            format!(
                "service id `{}` must be lower-case ASCII letters, digits and `_`, starting with a letter (`crm`){}",
                id.value,
                first_offending(&id.value, false)
            ),
        ));
    } else if id.value != folder_name {
        diagnostics.push(Diagnostic::new(
            SourceLocation::of(path, id),
            format!(
                "service id `{}` must match its folder name `{folder_name}`",
                id.value
            ),
        ));
    }
    if !is_semver(&schema_version.value) {
        diagnostics.push(Diagnostic::new(
            SourceLocation::of(path, schema_version),
            format!(
                "schema_version must be MAJOR.MINOR.PATCH (`1.0.0`), found `{}`",
                schema_version.value
            ),
        ));
    }

    let mut lowered_variables = Vec::new();
    for (name, variable) in variables.iter() {
        check_env_name(path, &variable.value.env, diagnostics);
        lowered_variables.push(Variable {
            name: name.value.clone(),
            env: variable.value.env.value.clone(),
            description: variable.value.description.clone(),
        });
    }
    check_base_url(path, base_url, variables, diagnostics);

    check_env_name(path, &auth.env, diagnostics);
    let header = match (auth.scheme.value, &auth.header) {
        (AuthScheme::Bearer, None) => "Authorization".to_owned(),
        (AuthScheme::Bearer, Some(header))
            if header.value.eq_ignore_ascii_case("authorization") =>
        {
            header.value.clone()
        }
        (AuthScheme::Bearer, Some(header)) => {
            diagnostics.push(Diagnostic::new(
                SourceLocation::of(path, header),
                format!(
                    "bearer tokens go in `Authorization`, found header `{}`: leave `header` out",
                    header.value
                ),
            ));
            header.value.clone()
        }
        (AuthScheme::ApiKey, Some(header)) => {
            if !is_header_name(&header.value) {
                diagnostics.push(Diagnostic::new(
                    SourceLocation::of(path, header),
                    format!("`{}` is not an HTTP header name", header.value),
                ));
            }
            header.value.clone()
        }
        (AuthScheme::ApiKey, None) => {
            diagnostics.push(Diagnostic::new(
                SourceLocation::of(path, &auth.scheme),
                "scheme `api_key` needs `header`: the header that carries the key",
            ));
            String::new()
        }
    };

    let shape_table = ShapeTable::new(path, shapes, &loaded.endpoints);
    let (shared_shapes, shape_claims) =
        lower_shared_shapes(&shape_table, path, sources, diagnostics);

    let mut endpoint_ids: BTreeMap<&str, SourceLocation> = BTreeMap::new();
    let mut routes: BTreeMap<(&str, &str), SourceLocation> = BTreeMap::new();
    let mut to_lower = Vec::new();
    for endpoint in &loaded.endpoints {
        let spec = &endpoint.spec;
        let here = SourceLocation::of(&endpoint.path, &spec.id);
        if let Some(first) = endpoint_ids.get(spec.id.value.as_str()) {
            diagnostics.push(Diagnostic::new(
                here.clone(),
                format!(
                    "duplicate endpoint id `{}`: already defined at {first}",
                    spec.id.value
                ),
            ));
            continue;
        }
        endpoint_ids.insert(&spec.id.value, here);
        let route = (spec.method.value.as_str(), spec.path.value.as_str());
        let route_here = SourceLocation::of(&endpoint.path, &spec.path);
        if let Some(first) = routes.get(&route) {
            diagnostics.push(Diagnostic::new(
                route_here,
                format!(
                    "`{} {}` is already the route of the endpoint at {first}",
                    route.0, route.1
                ),
            ));
        } else {
            routes.insert(route, route_here);
        }
        to_lower.push(endpoint);
    }

    // Endpoints are lowered side by side, each claiming its type names on its own; the claims
    // are then merged in file order, so a name taken twice is reported at the same place
    // whatever the number of threads.
    let lowered: Vec<_> = to_lower
        .par_iter()
        .map(|endpoint| {
            let mut endpoint_diagnostics = Vec::new();
            let mut type_names = BTreeMap::new();
            let mut claims = Vec::new();
            let mut cx = Cx::new(
                &endpoint.path,
                sources,
                &shape_table,
                &mut endpoint_diagnostics,
                &mut type_names,
                &mut claims,
            );
            let result = lower_endpoint(&mut cx, &id.value, &endpoint.spec);
            (result, endpoint_diagnostics, claims)
        })
        .collect();
    let mut type_names: BTreeMap<String, SourceLocation> = shape_claims.into_iter().collect();
    let mut endpoints = Vec::new();
    for (result, endpoint_diagnostics, claims) in lowered {
        diagnostics.extend(endpoint_diagnostics);
        let mut collides = false;
        for (name, at) in claims {
            if let Some(first) = type_names.get(&name) {
                diagnostics.push(Diagnostic::new(
                    at,
                    format!(
                        "Rust type name `{name}` is already taken by the type defined at {first}: set `type_name` on one of them"
                    ),
                ));
                collides = true;
            } else {
                type_names.insert(name, at);
            }
        }
        if let (Some(endpoint), false) = (result, collides) {
            endpoints.push(endpoint);
        }
    }
    endpoints.sort_by(|a, b| a.id.cmp(&b.id));
    if !shared_shapes.is_empty()
        && let Some(clash) = loaded.endpoints.iter().find(|endpoint| {
            endpoint.spec.id.value.replace('.', "_") == crate::shapes::SHARED_SHAPES_MODULE
        })
    {
        diagnostics.push(Diagnostic::new(
            SourceLocation::of(&clash.path, &clash.spec.id),
            format!(
                "endpoint id `{}` would name the same Rust module as the service's shared shapes (`{}`): choose another id",
                clash.spec.id.value,
                crate::shapes::SHARED_SHAPES_MODULE
            ),
        ));
    }

    valid_id.then(|| Service {
        id: id.value.clone(),
        spec_path: path.clone(),
        title: title.clone(),
        description: description.clone(),
        language: language.clone(),
        schema_version: schema_version.value.clone(),
        base_url: base_url.value.clone(),
        variables: lowered_variables,
        auth: Auth {
            scheme: auth.scheme.value,
            header,
            env: auth.env.value.clone(),
            description: auth.description.clone(),
        },
        endpoints,
        shapes: shared_shapes,
    })
}

/// What lowering one spec file needs at hand.
pub(crate) struct Cx<'a> {
    pub(crate) path: &'a str,
    pub(crate) sources: &'a SpecSources,
    pub(crate) diagnostics: &'a mut Vec<Diagnostic>,
    /// Rust type names taken in the endpoint, and where.
    type_names: &'a mut BTreeMap<String, SourceLocation>,
    /// The same claims in the order they were made, for merging across endpoints.
    claims: &'a mut Vec<(String, SourceLocation)>,
    pub(crate) direction: Direction,
    /// The service's shared shapes.
    pub(crate) shapes: &'a ShapeTable<'a>,
    /// The shared shapes being expanded, outermost first, each with the number of objects
    /// entered before it (recursion needs an object in between).
    pub(crate) shape_stack: Vec<(String, usize)>,
    /// Objects entered so far on the way down.
    pub(crate) object_depth: usize,
    /// Whether type names are claimed: not inside a copy of a shared shape, whose names are
    /// claimed once for the service.
    pub(crate) claiming: bool,
}

impl<'a> Cx<'a> {
    pub(crate) fn new(
        path: &'a str,
        sources: &'a SpecSources,
        shapes: &'a ShapeTable<'a>,
        diagnostics: &'a mut Vec<Diagnostic>,
        type_names: &'a mut BTreeMap<String, SourceLocation>,
        claims: &'a mut Vec<(String, SourceLocation)>,
    ) -> Cx<'a> {
        Cx {
            path,
            sources,
            diagnostics,
            type_names,
            claims,
            direction: Direction::Request,
            shapes,
            shape_stack: Vec::new(),
            object_depth: 0,
            claiming: true,
        }
    }
}

impl Cx<'_> {
    pub(crate) fn error<T>(&mut self, spanned: &Spanned<T>, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::new(
            SourceLocation::of(self.path, spanned),
            message,
        ));
    }

    pub(crate) fn location<T>(&self, spanned: &Spanned<T>) -> SourceLocation {
        SourceLocation::of(self.path, spanned)
    }

    /// Takes `name` as a Rust type name in the service; a name taken twice is a problem.
    pub(crate) fn claim_type_name(&mut self, name: &str, at: SourceLocation) -> bool {
        if !self.claiming {
            return true;
        }
        if names::RESERVED_TYPE_NAMES.contains(&name) {
            self.diagnostics.push(Diagnostic::new(
                at,
                format!("Rust type name `{name}` is reserved: set `type_name` to another name"),
            ));
            return false;
        }
        if let Some(first) = self.type_names.get(name) {
            let message = format!(
                "Rust type name `{name}` is already taken by the type defined at {first}: set `type_name` on one of them"
            );
            self.diagnostics.push(Diagnostic::new(at, message));
            return false;
        }
        self.type_names.insert(name.to_owned(), at.clone());
        self.claims.push((name.to_owned(), at));
        true
    }

    /// Resolves `relative` against the spec file's folder; stays inside `spec/`.
    fn resolve(&mut self, relative: &Spanned<String>, what: &str) -> Option<String> {
        match resolve_relative(self.path, &relative.value) {
            Some(resolved) => {
                if self.sources.get(&resolved).is_none() {
                    let message = format!(
                        "{what} `{}` not found: looked for {resolved}",
                        relative.value
                    );
                    self.error(relative, message);
                    None
                } else {
                    Some(resolved)
                }
            }
            None => {
                let message = format!(
                    "{what} `{}` must be a relative path inside {SPEC_ROOT}/",
                    relative.value
                );
                self.error(relative, message);
                None
            }
        }
    }
}

fn lower_endpoint(cx: &mut Cx<'_>, service: &str, spec: &EndpointSpec) -> Option<Endpoint> {
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
    let rust_module = id.value.replace('.', "_");

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
fn request_media_type(cx: &mut Cx<'_>, request: &RequestSpec) -> String {
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
fn lower_request_headers(cx: &mut Cx<'_>, headers: &Entries<HeaderSpec>) -> Vec<RequestHeader> {
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

fn is_media_type(text: &str) -> bool {
    let essence = text.split(';').next().unwrap_or_default().trim();
    essence
        .split_once('/')
        .is_some_and(|(kind, subtype)| is_header_name(kind) && is_header_name(subtype))
}

fn content_type(given: &Option<String>) -> String {
    given
        .clone()
        .unwrap_or_else(|| "application/json".to_owned())
}

fn lower_status(cx: &mut Cx<'_>, status: &Spanned<StatusSpec>) -> StatusExpectation {
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

fn lower_example_payload(cx: &mut Cx<'_>, payload: &ExamplePayloadSpec) -> Option<ExamplePayload> {
    let file = cx.resolve(&payload.file, "example file")?;
    let bytes = cx.sources.get(&file).unwrap_or_default();
    // A `.txt` example is the page's text as it is, JSON or not: checking it says what it is.
    let kept_as_text = file.ends_with(NOT_JSON_EXAMPLE_EXTENSION);
    let parsed = serde_json::from_slice::<serde_json::Value>(bytes);
    if let (Err(error), false) = (&parsed, kept_as_text) {
        let message = format!(
            "example named at {} is not valid JSON: {}; an example that is not JSON is kept byte for byte under a `{NOT_JSON_EXAMPLE_EXTENSION}` name, with `known: [{{path: \"\", rule: not-json, reason: …}}]`",
            cx.location(&payload.file),
            strip_serde_json_position(&error.to_string())
        );
        cx.diagnostics.push(Diagnostic::new(
            SourceLocation {
                path: file.clone(),
                line: error.line().max(1) as u64,
                column: error.column().max(1) as u64,
            },
            message,
        ));
        return None;
    }
    let mut known: Vec<crate::model::KnownDiscrepancy> = Vec::new();
    for entry in &payload.known {
        if !is_json_pointer_pattern(&entry.path.value) {
            let message = format!(
                "`{}` is not a JSON Pointer: expected `/a/b` (or an empty string for the whole payload), optionally ending in `/*`",
                entry.path.value
            );
            cx.error(&entry.path, message);
            continue;
        }
        if entry.reason.trim().is_empty() {
            cx.error(&entry.path, "a known discrepancy needs a `reason` in words");
            continue;
        }
        let lowered = KnownDiscrepancy {
            path: entry.path.value.clone(),
            rule: entry.rule.value,
            reason: entry.reason.clone(),
            location: cx.location(&entry.path),
        };
        if let Some(first) = known
            .iter()
            .find(|other| other.path == lowered.path && other.rule == lowered.rule)
        {
            let message = format!(
                "known discrepancy `{}` `{}` is already recorded at {}",
                lowered.path,
                lowered.rule.as_str(),
                first.location
            );
            cx.error(&entry.path, message);
            continue;
        }
        known.push(lowered);
    }
    let mut headers: Vec<(String, String)> = Vec::new();
    for (name, value) in payload.headers.iter().flat_map(Entries::iter) {
        if !is_header_name(&name.value) {
            let message = format!("`{}` is not an HTTP header name", name.value);
            cx.error(name, message);
        } else if headers
            .iter()
            .any(|(other, _)| other.eq_ignore_ascii_case(&name.value))
        {
            let message = format!(
                "the example's header `{}` is listed twice (header names are the same whatever their case)",
                name.value
            );
            cx.error(name, message);
        } else {
            headers.push((name.value.clone(), value.value.clone()));
        }
    }
    Some(ExamplePayload {
        file,
        location: cx.location(&payload.file),
        known,
        json: parsed.is_ok(),
        headers,
    })
}

/// The extension of an example file kept as the page's text, JSON or not.
pub const NOT_JSON_EXAMPLE_EXTENSION: &str = ".txt";

fn strip_serde_json_position(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(index) => &message[..index],
        None => message,
    }
}

fn lower_object(
    cx: &mut Cx<'_>,
    rust_name: String,
    at: SourceLocation,
    description: Option<String>,
    entries: &Entries<FieldSpec>,
    undocumented_fields: UndocumentedFields,
    at_least_one_of: &[Spanned<Vec<String>>],
) -> Object {
    cx.claim_type_name(&rust_name, at.clone());
    let mut fields = Vec::new();
    let mut rust_names: BTreeMap<String, (String, SourceLocation)> = BTreeMap::new();
    let keeps_unlisted =
        cx.direction == Direction::Response || undocumented_fields == UndocumentedFields::Allow;
    cx.object_depth += 1;
    for (key, spec) in entries.iter() {
        let Some(field) = lower_field(cx, &rust_name, key, spec) else {
            continue;
        };
        let here = cx.location(key);
        if let Some((other_wire, first)) = rust_names.get(&field.rust_name) {
            let message = format!(
                "wire names `{}` and `{other_wire}` (at {first}) both become Rust field `{}`: set `rust_name` on one of them",
                field.wire_name, field.rust_name
            );
            cx.diagnostics.push(Diagnostic::new(here, message));
            continue;
        }
        if keeps_unlisted && names::unraw(&field.rust_name) == UNLISTED_FIELDS_RUST_NAME {
            let message = format!(
                "Rust field `{UNLISTED_FIELDS_RUST_NAME}` is where `{rust_name}` keeps fields the page does not list: set `rust_name` on `{}`",
                field.wire_name
            );
            cx.diagnostics.push(Diagnostic::new(here, message));
            continue;
        }
        rust_names.insert(
            field.rust_name.clone(),
            (field.wire_name.clone(), here.clone()),
        );
        fields.push(field);
    }
    cx.object_depth -= 1;
    let mut groups = Vec::new();
    for group in at_least_one_of {
        if group.value.is_empty() {
            cx.error(
                group,
                "an `at_least_one_of` group needs at least one field name",
            );
            continue;
        }
        for name in &group.value {
            if !entries.iter().any(|(key, _)| &key.value == name) {
                cx.error(
                    group,
                    format!(
                        "`at_least_one_of` names `{name}`, which is not a field of this object"
                    ),
                );
            }
        }
        groups.push(group.value.clone());
    }
    Object {
        rust_name,
        description,
        fields,
        undocumented_fields,
        at_least_one_of: groups,
        direction: cx.direction,
        location: at,
        shared: false,
        derives_both_directions: false,
    }
}

fn lower_field(
    cx: &mut Cx<'_>,
    parent: &str,
    key: &Spanned<String>,
    spanned: &Spanned<FieldSpec>,
) -> Option<Field> {
    let spec = &spanned.value;
    let wire_name = key.value.clone();
    let rust_name = match &spec.rust_name {
        Some(given) => {
            if !names::is_snake_case_identifier(&given.value) {
                cx.error(
                    given,
                    format!(
                        "rust_name `{}` must be a snake_case ASCII identifier",
                        given.value
                    ),
                );
                return None;
            }
            names::field_identifier(&given.value)
        }
        None => match names::snake_case(&wire_name) {
            Some(snake) => names::field_identifier(&snake),
            None => {
                cx.error(
                    key,
                    format!(
                        "wire name `{wire_name}` makes no Rust field name (it needs ASCII letters, starting with one): set `rust_name`"
                    ),
                );
                return None;
            }
        },
    };
    let default_type_name = format!(
        "{parent}{}",
        names::pascal_case(names::unraw(&rust_name)).unwrap_or_default()
    );
    let shape = lower_shape(cx, spanned, default_type_name, Role::Field)?;
    let nullable = flag(&spec.nullable);
    if nullable
        && matches!(shape, Shape::Any)
        && let Some(spanned_nullable) = &spec.nullable
    {
        cx.error(
            spanned_nullable,
            "type `any` already admits null: leave `nullable` out",
        );
    }
    Some(Field {
        wire_name,
        rust_name,
        required: flag(&spec.required),
        nullable,
        description: spec.description.clone(),
        documented_in: spec
            .documented_in
            .as_ref()
            .map_or(DocumentedIn::Table, |documented| documented.value),
        reference: spec.reference.as_ref().map(|reference| Reference {
            title: reference.title.clone(),
            page: reference.page.clone(),
        }),
        see: spec.see.clone(),
        default: lower_default(cx, spanned, &shape),
        constraints: lower_constraints(cx, spanned),
        shape,
        location: cx.location(key),
    })
}

fn flag(value: &Option<Spanned<bool>>) -> bool {
    value.as_ref().is_some_and(|spanned| spanned.value)
}

/// Where a type appears: keys that name, require or link only make sense on fields.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Field,
    Item,
    Variant,
    /// A shared shape's definition under `shapes:` in `service.yaml`.
    SharedShape,
}

impl Role {
    fn describe(self) -> &'static str {
        match self {
            Role::Field => "fields",
            Role::Item => "array items",
            Role::Variant => "union variants",
            Role::SharedShape => "shared shapes (set it where the shape is used)",
        }
    }
}

pub(crate) fn lower_shape(
    cx: &mut Cx<'_>,
    spanned: &Spanned<FieldSpec>,
    default_type_name: String,
    role: Role,
) -> Option<Shape> {
    let spec = &spanned.value;
    let ty = spec.ty.value;
    let start = cx.diagnostics.len();

    if role != Role::Field {
        let field_only: [(&str, bool); 6] = [
            ("required", spec.required.is_some()),
            ("rust_name", spec.rust_name.is_some()),
            ("reference", spec.reference.is_some()),
            ("see", spec.see.is_some()),
            ("documented_in", spec.documented_in.is_some()),
            ("default", spec.default.is_some()),
        ];
        for (key, present) in field_only {
            if present {
                cx.error(
                    spanned,
                    format!(
                        "`{key}` has no meaning for {}, only for fields",
                        role.describe()
                    ),
                );
            }
        }
        if role == Role::Variant && spec.nullable.is_some() {
            cx.error(
                spanned,
                "`nullable` has no meaning for union variants: set it on the field",
            );
        }
    }
    if role == Role::SharedShape {
        if spec.nullable.is_some() {
            cx.error(
                spanned,
                "`nullable` has no meaning for shared shapes: set it where the shape is used",
            );
        }
        if let Some(type_name) = &spec.type_name {
            cx.error(
                type_name,
                "a shared shape's Rust type name is its key under `shapes:`: leave `type_name` out",
            );
        }
        if !matches!(ty, FieldType::Object | FieldType::Enum | FieldType::Union) {
            cx.error(
                &spec.ty,
                format!(
                    "a shared shape is an `object`, `enum` or `union`, found `{}`: write that type where it is used",
                    ty.as_str()
                ),
            );
            return None;
        }
    }
    if role == Role::Variant && crate::constraints::any_given(spec) {
        cx.error(
            spanned,
            "limits (`minimum`, `max_length`, `pattern`, …) are not taken on union variants: use a field of that type instead",
        );
    }

    let number: &[FieldType] = &[FieldType::Integer, FieldType::Number];
    let applies: [(&str, bool, &[FieldType]); 18] = [
        ("values", spec.values.is_some(), &[FieldType::Enum]),
        ("shape", spec.shape.is_some(), &[FieldType::Shape]),
        ("minimum", spec.minimum.is_some(), number),
        ("maximum", spec.maximum.is_some(), number),
        (
            "exclusive_minimum",
            spec.exclusive_minimum.is_some(),
            number,
        ),
        (
            "exclusive_maximum",
            spec.exclusive_maximum.is_some(),
            number,
        ),
        (
            "min_length",
            spec.min_length.is_some(),
            &[FieldType::String, FieldType::Email],
        ),
        (
            "max_length",
            spec.max_length.is_some(),
            &[FieldType::String, FieldType::Email],
        ),
        ("pattern", spec.pattern.is_some(), &[FieldType::String]),
        ("min_items", spec.min_items.is_some(), &[FieldType::Array]),
        ("max_items", spec.max_items.is_some(), &[FieldType::Array]),
        (
            "unique_items",
            spec.unique_items.is_some(),
            &[FieldType::Array],
        ),
        ("items", spec.items.is_some(), &[FieldType::Array]),
        ("fields", spec.fields.is_some(), &[FieldType::Object]),
        (
            "undocumented_fields",
            spec.undocumented_fields.is_some(),
            &[FieldType::Object],
        ),
        (
            "at_least_one_of",
            spec.at_least_one_of.is_some(),
            &[FieldType::Object],
        ),
        ("variants", spec.variants.is_some(), &[FieldType::Union]),
        (
            "type_name",
            spec.type_name.is_some(),
            &[FieldType::Enum, FieldType::Object, FieldType::Union],
        ),
    ];
    for (key, present, types) in applies {
        if present && !types.contains(&ty) {
            let for_types = types
                .iter()
                .map(|t| format!("`{}`", t.as_str()))
                .collect::<Vec<_>>()
                .join(", ");
            cx.error(
                &spec.ty,
                format!(
                    "`{key}` does not apply to type `{}`: it is for {for_types}",
                    ty.as_str()
                ),
            );
        }
    }

    let type_name = match &spec.type_name {
        Some(given) if !names::is_pascal_case_identifier(&given.value) => {
            cx.error(
                given,
                format!(
                    "type_name `{}` must be an UpperCamelCase ASCII identifier",
                    given.value
                ),
            );
            default_type_name
        }
        Some(given) => given.value.clone(),
        None => default_type_name,
    };
    let type_at = spec
        .type_name
        .as_ref()
        .map_or_else(|| cx.location(&spec.ty), |given| cx.location(given));

    let shape = match ty {
        FieldType::String => Shape::String,
        FieldType::Integer => Shape::Integer,
        FieldType::Number => Shape::Number,
        FieldType::Boolean => Shape::Boolean,
        FieldType::Date => Shape::Date,
        FieldType::DateTime => Shape::DateTime,
        FieldType::Email => Shape::Email,
        FieldType::Any => Shape::Any,
        FieldType::Shape => {
            let Some(name) = &spec.shape else {
                cx.error(
                    &spec.ty,
                    "type `shape` needs `shape`: the name of a shape under `shapes:` in service.yaml",
                );
                return None;
            };
            lower_shape_use(cx, name)?
        }
        FieldType::Enum => {
            let Some(values) = &spec.values else {
                cx.error(
                    &spec.ty,
                    "type `enum` needs `values`: the list the page gives",
                );
                return None;
            };
            Shape::Enum(lower_enum(cx, spanned, type_name, type_at, values)?)
        }
        FieldType::Array => {
            let Some(items) = &spec.items else {
                cx.error(
                    &spec.ty,
                    "type `array` needs `items`: the type of every item",
                );
                return None;
            };
            let item_shape = lower_shape(cx, items, format!("{type_name}Item"), Role::Item)?;
            if flag(&items.value.nullable) && matches!(item_shape, Shape::Any) {
                cx.error(
                    items,
                    "type `any` already admits null: leave `nullable` out",
                );
            }
            Shape::Array(Box::new(ArrayItems {
                shape: item_shape,
                nullable: flag(&items.value.nullable),
                description: items.value.description.clone(),
                constraints: lower_constraints(cx, items),
            }))
        }
        FieldType::Object => {
            let Some(fields) = &spec.fields else {
                cx.error(
                    &spec.ty,
                    "type `object` needs `fields` (`fields: {}` when the page lists none)",
                );
                return None;
            };
            let Some(undocumented) = &spec.undocumented_fields else {
                cx.error(
                    &spec.ty,
                    "type `object` needs `undocumented_fields: forbid` or `allow`",
                );
                return None;
            };
            let groups = spec.at_least_one_of.as_deref().unwrap_or_default();
            Shape::Object(lower_object(
                cx,
                type_name,
                type_at,
                spec.description.clone(),
                fields,
                undocumented.value,
                groups,
            ))
        }
        FieldType::Union => {
            let Some(variants) = &spec.variants else {
                cx.error(
                    &spec.ty,
                    "type `union` needs `variants`: the types a value may have",
                );
                return None;
            };
            Shape::Union(lower_union(cx, spanned, type_name, type_at, variants)?)
        }
    };
    (cx.diagnostics.len() == start).then_some(shape)
}

fn lower_enum(
    cx: &mut Cx<'_>,
    spanned: &Spanned<FieldSpec>,
    rust_name: String,
    at: SourceLocation,
    values: &[Spanned<EnumValueSpec>],
) -> Option<Enumeration> {
    if values.is_empty() {
        cx.error(spanned, "type `enum` needs at least one value");
        return None;
    }
    cx.claim_type_name(&rust_name, at);
    let mut variants: BTreeMap<String, (String, SourceLocation)> = BTreeMap::new();
    let mut lowered = Vec::new();
    for spanned_value in values {
        let value = spanned_value.value.value();
        if let Some(first) = lowered
            .iter()
            .position(|other: &EnumValue| other.wire == value)
        {
            let message = format!(
                "enum value `{value}` is listed twice (first as value {})",
                first + 1
            );
            cx.error(spanned_value, message);
            continue;
        }
        let variant = match spanned_value.value.rust_name() {
            Some(given) if names::is_pascal_case_identifier(given) => given.to_owned(),
            Some(given) => {
                cx.error(
                    spanned_value,
                    format!(
                        "rust_name `{given}` of enum value `{value}` must be an UpperCamelCase ASCII identifier (`Female`)"
                    ),
                );
                continue;
            }
            None => match names::enum_variant_name(value) {
                Some(variant) => variant,
                None => {
                    cx.error(
                        spanned_value,
                        format!(
                            "enum value `{value}` makes no Rust variant name (only letters of the Latin script, with or without diacritics, are transliterated, and the name must start with a letter): write it as `{{value: \"{value}\", rust_name: SomeName}}`"
                        ),
                    );
                    continue;
                }
            },
        };
        if let Some((other, first)) = variants.get(&variant) {
            let message = format!(
                "enum values `{other}` (at {first}) and `{value}` both become Rust variant `{variant}`: give one of them its own name, as in `{{value: \"{value}\", rust_name: {variant}2}}`"
            );
            cx.error(spanned_value, message);
            continue;
        }
        if cx.direction == Direction::Response && variant == UNKNOWN_VALUE_VARIANT {
            cx.error(
                spanned_value,
                format!(
                    "enum value `{value}` would become `{UNKNOWN_VALUE_VARIANT}`, the variant response enums keep unlisted values in: set `rust_name`"
                ),
            );
            continue;
        }
        variants.insert(
            variant.clone(),
            (value.to_owned(), cx.location(spanned_value)),
        );
        lowered.push(EnumValue {
            wire: value.to_owned(),
            rust_variant: variant,
            description: spanned_value.value.description().map(str::to_owned),
        });
    }
    Some(Enumeration {
        rust_name,
        description: spanned.value.description.clone(),
        values: lowered,
        direction: cx.direction,
        shared: false,
        derives_both_directions: false,
    })
}

fn lower_union(
    cx: &mut Cx<'_>,
    spanned: &Spanned<FieldSpec>,
    rust_name: String,
    at: SourceLocation,
    variants: &[Spanned<FieldSpec>],
) -> Option<Union> {
    if variants.len() < 2 {
        cx.error(spanned, "type `union` needs at least two `variants`");
        return None;
    }
    cx.claim_type_name(&rust_name, at);
    let mut lowered: Vec<UnionVariant> = Vec::new();
    let mut kinds: Vec<FieldType> = Vec::new();
    for variant in variants {
        let kind = variant.value.ty.value;
        if kind == FieldType::Any {
            cx.error(
                variant,
                "a union variant of type `any` matches every value: use type `any` for the field",
            );
            continue;
        }
        // A shared shape counts as the kind it is defined as, and its variant takes its name.
        let (kind, variant_name) = match (kind, &variant.value.shape) {
            (FieldType::Shape, Some(name)) => match cx.shapes.kind_of(&name.value) {
                Some(defined) => (defined, name.value.clone()),
                None => (kind, name.value.clone()),
            },
            _ => (kind, union_variant_name(kind).to_owned()),
        };
        if kinds.contains(&kind) {
            cx.error(
                variant,
                format!("union has two `{}` variants", kind.as_str()),
            );
            continue;
        }
        kinds.push(kind);
        let Some(shape) = lower_shape(
            cx,
            variant,
            format!("{rust_name}{variant_name}"),
            Role::Variant,
        ) else {
            continue;
        };
        if shape.has_constraints() {
            // The schema's `anyOf` would refuse the whole value for a broken limit inside,
            // which the generated type (not checking limits) reads: checker and type disagree.
            cx.error(
                variant,
                "a union variant cannot hold limits (`minimum`, `max_length`, `pattern`, …) anywhere inside it: put them on fields outside the union",
            );
            continue;
        }
        lowered.push(UnionVariant {
            rust_variant: variant_name,
            shape,
            description: variant.value.description.clone(),
        });
    }
    Some(Union {
        rust_name,
        description: spanned.value.description.clone(),
        variants: lowered,
        direction: cx.direction,
        shared: false,
        derives_both_directions: false,
    })
}

fn union_variant_name(kind: FieldType) -> &'static str {
    match kind {
        FieldType::String => "String",
        FieldType::Integer => "Integer",
        FieldType::Number => "Number",
        FieldType::Boolean => "Boolean",
        FieldType::Date => "Date",
        FieldType::DateTime => "DateTime",
        FieldType::Email => "Email",
        FieldType::Enum => "Enum",
        FieldType::Array => "Array",
        FieldType::Object => "Object",
        FieldType::Union => "Union",
        FieldType::Any => "Any",
        FieldType::Shape => "Shape",
    }
}

fn check_env_name(path: &str, env: &Spanned<String>, diagnostics: &mut Vec<Diagnostic>) {
    let valid = env
        .value
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_uppercase())
        && env
            .value
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    if !valid {
        diagnostics.push(Diagnostic::new(
            SourceLocation::of(path, env),
            format!(
                "environment variable name `{}` must be upper-case ASCII letters, digits and `_`",
                env.value
            ),
        ));
    }
}

fn check_base_url(
    path: &str,
    base_url: &Spanned<String>,
    variables: &Entries<crate::spec::VariableSpec>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let url = &base_url.value;
    let here = SourceLocation::of(path, base_url);
    if !(url.starts_with("https://") || url.starts_with("http://")) || url.ends_with('/') {
        diagnostics.push(Diagnostic::new(
            here.clone(),
            format!(
                "base_url must start with `https://` or `http://` and not end in `/`, found `{url}`"
            ),
        ));
    }
    let mut placeholders = Vec::new();
    let mut rest = url.as_str();
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            diagnostics.push(Diagnostic::new(
                here.clone(),
                format!("base_url has an unclosed `{{` in `{url}`"),
            ));
            return;
        };
        placeholders.push(rest[open + 1..open + close].to_owned());
        rest = &rest[open + close + 1..];
    }
    for placeholder in &placeholders {
        if !variables.iter().any(|(name, _)| &name.value == placeholder) {
            diagnostics.push(Diagnostic::new(
                here.clone(),
                format!("base_url placeholder `{{{placeholder}}}` has no entry in `variables`"),
            ));
        }
    }
    for (name, _) in variables.iter() {
        if !placeholders.contains(&name.value) {
            diagnostics.push(Diagnostic::new(
                SourceLocation::of(path, name),
                format!("variable `{}` is not a placeholder of base_url", name.value),
            ));
        }
    }
}

fn is_service_id(id: &str) -> bool {
    id.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn is_endpoint_id(id: &str) -> bool {
    id.split('.').all(is_service_id)
}

/// `: `X` is not allowed` for the first character an id may not have there, or nothing.
fn first_offending(id: &str, dotted: bool) -> String {
    let mut word_start = true;
    for c in id.chars() {
        let allowed = if dotted && c == '.' {
            !word_start
        } else if word_start {
            c.is_ascii_lowercase()
        } else {
            c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'
        };
        if !allowed {
            let what = if word_start && dotted {
                "to start a word"
            } else if word_start {
                "to start it"
            } else {
                "in it"
            };
            return format!(": `{c}` is not allowed {what}");
        }
        word_start = dotted && c == '.';
    }
    if id.is_empty() || word_start {
        return ": it may not be empty or end in `.`".to_owned();
    }
    String::new()
}

fn is_semver(version: &str) -> bool {
    let parts: Vec<&str> = version.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|part| {
            !part.is_empty()
                && part.chars().all(|c| c.is_ascii_digit())
                && (part.len() == 1 || !part.starts_with('0'))
        })
}

fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c))
}

fn is_json_pointer_pattern(pointer: &str) -> bool {
    if pointer.is_empty() {
        return true;
    }
    if !pointer.starts_with('/') {
        return false;
    }
    // `~` must escape `0` or `1`.
    let mut chars = pointer.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '~' && !matches!(chars.peek(), Some('0' | '1')) {
            return false;
        }
    }
    true
}

/// Resolves `relative` against the folder of `from` (both relative to the project root).
/// `None` when the result would leave `spec/` or `relative` is absolute.
pub fn resolve_relative(from: &str, relative: &str) -> Option<String> {
    if relative.starts_with('/') || relative.contains('\\') || relative.is_empty() {
        return None;
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for segment in relative.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    (parts.first() == Some(&SPEC_ROOT) && parts.len() > 1).then(|| parts.join("/"))
}
