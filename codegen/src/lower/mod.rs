//! Parsed spec files in, the checked model out: names decided, references resolved, every
//! problem a diagnostic at file:line:column (all of them, not just the first).
//!
//! The stages have their own rooms: `endpoints` (one endpoint), `fields` (bodies and shapes),
//! `examples` (example payloads) and `identifiers` (ids, names and addresses); this file
//! lowers the services and holds the context every stage shares.

mod endpoints;
mod examples;
mod fields;
mod identifiers;
mod repeated_enums;

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, SourceLocation};
use crate::load::{Loaded, LoadedService, LoadedSpecs, SPEC_ROOT, SpecSources};
use crate::model::{Auth, Direction, Model, Service, Variable};
use crate::names;
use crate::shapes::{ShapeTable, lower_shared_shapes};
use crate::spec::{AuthScheme, EndpointSpec, ServiceSpec, Spanned};
use crate::version::SchemaVersion;

use endpoints::lower_endpoint;
use identifiers::{check_base_url, check_env_name, first_offending, is_header_name, is_service_id};

pub use examples::NOT_JSON_EXAMPLE_EXTENSION;

pub(crate) use fields::{Role, lower_shape};
pub use identifiers::resolve_relative;

/// Module names a service's module gives its own children (or takes from outside, for the
/// service's `other_direction` module, which imports its siblings with `use super::*`): an
/// endpoint module of the same name would clash or shadow them. `shared_shapes` too, where the
/// service has shapes.
const RESERVED_MODULE_NAMES: &[&str] = &[
    "endpoints",
    "client",
    crate::emit_rust_read::OTHER_DIRECTION_MODULE,
    crate::emit_rust::REPEATED_ENUMS_MODULE,
    "serde",
    "std",
    "core",
    "chrono",
];

/// Lowers every loaded spec. Returns the model only when no problem was found. Takes the
/// parsed files: each endpoint's is dropped as soon as it is lowered, so the parsed files and
/// the model are never held whole at once.
pub fn lower(loaded: LoadedSpecs, sources: &SpecSources) -> (Option<Model>, Vec<Diagnostic>) {
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
        .into_iter()
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
    loaded: LoadedService,
    sources: &SpecSources,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Service> {
    let LoadedService {
        folder,
        service,
        endpoints: loaded_endpoints,
    } = loaded;
    let Loaded { path, spec } = &service;
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
    let folder_name = folder.rsplit('/').next().unwrap_or_default();
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
    let parsed_schema_version = SchemaVersion::parse(&schema_version.value);
    if parsed_schema_version.is_none() {
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

    let shape_table = ShapeTable::new(path, shapes, &loaded_endpoints);
    let (shared_shapes, shape_claims) =
        lower_shared_shapes(&shape_table, path, sources, diagnostics);
    let shapes_module = (!shared_shapes.is_empty()).then_some(crate::shapes::SHARED_SHAPES_MODULE);
    for endpoint in &loaded_endpoints {
        let module = crate::names::endpoint_module_name(&endpoint.spec.id.value);
        let reserved = RESERVED_MODULE_NAMES.iter().copied().chain(shapes_module);
        if crate::names::is_keyword(&module) {
            diagnostics.push(Diagnostic::new(
                SourceLocation::of(&endpoint.path, &endpoint.spec.id),
                format!(
                    "endpoint id `{}` would name the Rust module `{module}`, a Rust keyword: \
                     choose another id (such as `{module}.get`)",
                    endpoint.spec.id.value
                ),
            ));
        } else if reserved.clone().any(|name| name == module) {
            diagnostics.push(Diagnostic::new(
                SourceLocation::of(&endpoint.path, &endpoint.spec.id),
                format!(
                    "endpoint id `{}` would name the Rust module `{module}`, which the service's \
                     module uses for its own (reserved: {}): choose another id",
                    endpoint.spec.id.value,
                    reserved.collect::<Vec<_>>().join(", ")
                ),
            ));
        }
    }

    let to_lower = endpoints_to_lower(&loaded_endpoints, diagnostics);

    // Endpoints are lowered side by side, each claiming its type names on its own; the claims
    // are then merged in file order, so a name taken twice is reported at the same place
    // whatever the number of threads. Each parsed file is dropped once lowered.
    let lowered: Vec<_> = loaded_endpoints
        .into_par_iter()
        .zip(to_lower)
        .filter(|(_, lower)| *lower)
        .map(|(endpoint, _)| {
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
    let repeated_enums = repeated_enums::mark_repeated_enums(&mut endpoints);

    valid_id.then(|| Service {
        id: id.value.clone(),
        spec_path: path.clone(),
        title: title.clone(),
        description: description.clone(),
        language: language.clone(),
        // An unreadable version is reported above, and the model is then not used.
        schema_version: parsed_schema_version.unwrap_or_default(),
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
        repeated_enums,
    })
}

/// Which endpoint files to lower, in file order: not those whose id is taken already (each
/// such file and each route taken twice is a problem).
fn endpoints_to_lower(
    loaded_endpoints: &[Loaded<EndpointSpec>],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<bool> {
    let mut endpoint_ids: BTreeMap<&str, SourceLocation> = BTreeMap::new();
    let mut routes: BTreeMap<(&str, &str), SourceLocation> = BTreeMap::new();
    let mut to_lower = Vec::with_capacity(loaded_endpoints.len());
    for endpoint in loaded_endpoints {
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
            to_lower.push(false);
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
        to_lower.push(true);
    }
    to_lower
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
