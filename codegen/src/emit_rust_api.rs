//! Model in, the generated crate's consumer API out: the `Endpoint` trait and its registry
//! (`src/endpoint.rs`, no feature needed), one unit struct per endpoint implementing it
//! (`src/<service>/endpoints.rs`), and per endpoint file the impls people build with:
//! `as_str`, `Display` and `FromStr` on enums, and on request objects a constructor taking the
//! required fields (`Default` where nothing is required), which cannot skip an
//! `at_least_one_of` group.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit_rust::{EmitBug, header, ident, shape_type};
use crate::emit_schema::schema_id;
use crate::model::{
    Direction, Endpoint, Enumeration, Field, Model, Object, Service, Shape, StatusExpectation,
};
use crate::rust_text::{RustText, string_literal, type_text};

fn parse_file(what: &str, tokens: TokenStream) -> Result<syn::File, EmitBug> {
    syn::parse2(tokens).map_err(|error| EmitBug {
        what: what.to_owned(),
        message: error.to_string(),
    })
}

fn render(source: &str, what: &str, tokens: TokenStream) -> Result<String, EmitBug> {
    let file = parse_file(what, tokens)?;
    let mut out = header(source);
    out.push_str(&prettyplease::unparse(&file));
    Ok(out)
}

/// Whether calling the endpoint reads or writes. The spec format has no `effect:` key yet, so
/// the method decides (`GET` and `HEAD` read, everything else writes); this is the one place to
/// change when the model carries it.
pub fn endpoint_writes(endpoint: &Endpoint) -> bool {
    endpoint.method.writes()
}

/// The unit struct naming an endpoint: `leads.create` → `LeadsCreate`.
pub(crate) fn endpoint_struct_name(endpoint: &Endpoint) -> String {
    let mut name = String::new();
    for part in endpoint.id.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            name.push(first.to_ascii_uppercase());
            name.push_str(chars.as_str());
        }
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name.insert(0, 'E');
    }
    name
}

/// `generated/src/endpoint.rs`: the trait, its value types and the registry of every endpoint of
/// the services compiled in.
pub(crate) fn endpoint_module_file(model: &Model) -> Result<String, EmitBug> {
    let services = model.services.iter().map(|service| {
        let feature = &service.id;
        let module = ident(&service.id);
        quote! {
            #[cfg(feature = #feature)]
            all.extend(crate::#module::endpoints::ENDPOINTS);
        }
    });
    render(
        "spec/",
        "endpoint.rs",
        quote! {
            //! Each endpoint's facts as code: the [`Endpoint`] trait, implemented by one unit struct
            //! per endpoint (`crm::endpoints::LeadsCreate`), and [`all`], the facts of every endpoint
            //! of the services compiled in. No feature is needed beyond the services'.

            /// Whether a call only reads or may create, change or delete data.
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
            pub enum Effect {
                /// The call changes nothing (`GET`, `HEAD`).
                Read,
                /// The call may create, change or delete data.
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
            }

            impl std::fmt::Display for Effect {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }

            /// The status a successful call answers with.
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
            pub enum SuccessStatus {
                /// Exactly this code, as the page states.
                Code(u16),
                /// Any code of this class (2 for `2XX`), as the page states.
                Class(u8),
                /// The page does not say; any code of this class is accepted meanwhile.
                Undocumented(u8),
            }

            impl SuccessStatus {
                /// Whether `status` is the documented success.
                pub fn accepts(self, status: u16) -> bool {
                    match self {
                        SuccessStatus::Code(code) => status == code,
                        SuccessStatus::Class(class) | SuccessStatus::Undocumented(class) => {
                            status / 100 == u16::from(class)
                        }
                    }
                }
            }

            impl std::fmt::Display for SuccessStatus {
                /// `201`, `2XX` or `2XX (undocumented)`.
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    match self {
                        SuccessStatus::Code(code) => write!(f, "{code}"),
                        SuccessStatus::Class(class) => write!(f, "{class}XX"),
                        SuccessStatus::Undocumented(class) => write!(f, "{class}XX (undocumented)"),
                    }
                }
            }

            /// One endpoint's facts as values, for listing and looking up.
            #[derive(Debug, Clone, Copy, PartialEq, Eq)]
            pub struct EndpointInfo {
                /// Service id (`crm`), also the cargo feature and the module.
                pub service: &'static str,
                /// Endpoint id (`leads.create`).
                pub id: &'static str,
                /// HTTP method (`POST`).
                pub method: &'static str,
                /// Path below the service's base URL.
                pub path: &'static str,
                /// The documented success status.
                pub status: SuccessStatus,
                /// Whether the call reads or writes.
                pub effect: Effect,
                /// The request body's JSON Schema `$id`, for endpoints that take a body.
                pub request_schema_id: Option<&'static str>,
                /// The response body's JSON Schema `$id`.
                pub response_schema_id: &'static str,
            }

            /// An endpoint: its facts as constants and its body types.
            ///
            /// An impl gives only [`Endpoint::INFO`] (its entry in the service's `ENDPOINTS`)
            /// and the types: one constant an endpoint keeps the crate quick to compile.
            pub trait Endpoint {
                /// All the facts at once, as listed by [`all`].
                const INFO: &'static EndpointInfo;
                /// Service id (`crm`).
                const SERVICE: &'static str = Self::INFO.service;
                /// Endpoint id (`leads.create`).
                const ID: &'static str = Self::INFO.id;
                /// HTTP method (`POST`).
                const METHOD: &'static str = Self::INFO.method;
                /// Path below the service's base URL.
                const PATH: &'static str = Self::INFO.path;
                /// The documented success status.
                const STATUS: SuccessStatus = Self::INFO.status;
                /// Whether the call reads or writes.
                const EFFECT: Effect = Self::INFO.effect;
                /// The request body's JSON Schema `$id`, for endpoints that take a body.
                const REQUEST_SCHEMA_ID: Option<&'static str> = Self::INFO.request_schema_id;
                /// The response body's JSON Schema `$id`.
                const RESPONSE_SCHEMA_ID: &'static str = Self::INFO.response_schema_id;
                /// The request body's type; `()` for an endpoint without one.
                type Request;
                /// The response body's type.
                type Response;
            }

            /// Every endpoint of the services compiled in, by service and id.
            pub fn all() -> Vec<&'static EndpointInfo> {
                #[allow(unused_mut)]
                let mut all: Vec<&'static EndpointInfo> = Vec::new();
                #(#services)*
                all
            }

            /// The endpoint `id` of `service`, if its service is compiled in.
            pub fn find(service: &str, id: &str) -> Option<&'static EndpointInfo> {
                all()
                    .into_iter()
                    .find(|endpoint| endpoint.service == service && endpoint.id == id)
            }
        },
    )
}

fn status_tokens(status: &StatusExpectation) -> TokenStream {
    match status {
        StatusExpectation::Code(code) => quote!(crate::endpoint::SuccessStatus::Code(#code)),
        StatusExpectation::Class(class) => quote!(crate::endpoint::SuccessStatus::Class(#class)),
        StatusExpectation::Undocumented { class, .. } => {
            quote!(crate::endpoint::SuccessStatus::Undocumented(#class))
        }
    }
}

/// `generated/src/<service>/endpoints.rs`: one unit struct per endpoint implementing `Endpoint`,
/// and the service's `ENDPOINTS`.
pub(crate) fn service_endpoints_file(model: &Model, service: &Service) -> Result<String, EmitBug> {
    let mut items = Vec::new();
    let mut infos = Vec::new();
    for (position, endpoint) in service.endpoints.iter().enumerate() {
        let position = proc_macro2::Literal::usize_unsuffixed(position);
        let name = format_ident!("{}", endpoint_struct_name(endpoint));
        let service_id = &service.id;
        let id = &endpoint.id;
        let method = endpoint.method.as_str();
        let path = &endpoint.path;
        let status = status_tokens(&endpoint.response.status);
        let effect = if endpoint_writes(endpoint) {
            quote!(crate::endpoint::Effect::Write)
        } else {
            quote!(crate::endpoint::Effect::Read)
        };
        let request_schema = match &endpoint.request {
            Some(body) => {
                let id = schema_id(&model.schema_base_uri, service, endpoint, body);
                quote!(Some(#id))
            }
            None => quote!(None),
        };
        let response_schema = schema_id(
            &model.schema_base_uri,
            service,
            endpoint,
            &endpoint.response.body,
        );
        let request_type = match &endpoint.request {
            Some(body) => {
                let type_name = ident(&body.object.rust_name);
                quote!(super::#type_name)
            }
            None => quote!(()),
        };
        let response_type = ident(&endpoint.response.body.object.rust_name);
        let doc = format!(
            " `{method} {path}` ({service_id} `{id}`): {}; success is {}.",
            endpoint.title,
            endpoint.response.status.describe()
        );
        items.push(quote! {
            #[doc = #doc]
            // No derives: a type-level tag, never a value the API takes or returns, and one a
            // endpoint (each derive costs the crate's build about 25 kB of compiler memory).
            pub struct #name;

            impl crate::endpoint::Endpoint for #name {
                const INFO: &'static crate::endpoint::EndpointInfo = &ENDPOINTS[#position];
                type Request = #request_type;
                type Response = super::#response_type;
            }
        });
        // Literal values, once: each impl's `INFO` points here.
        infos.push(quote! {
            crate::endpoint::EndpointInfo {
                service: #service_id,
                id: #id,
                method: #method,
                path: #path,
                status: #status,
                effect: #effect,
                request_schema_id: #request_schema,
                response_schema_id: #response_schema,
            }
        });
    }
    let doc = format!(
        " One unit struct per endpoint of `{}`, implementing [`crate::endpoint::Endpoint`].",
        service.id
    );
    render(
        &service.spec_path,
        &format!("{}/endpoints.rs", service.id),
        quote! {
            #![doc = #doc]
            #(#items)*
            /// Every endpoint of the service, by id.
            pub const ENDPOINTS: &[crate::endpoint::EndpointInfo] = &[#(#infos),*];
        },
    )
}

/// The consumer impls for every type of one endpoint file, appended after its types, as text
/// (`rust_text`).
pub(crate) fn endpoint_api_text(endpoint: &Endpoint) -> String {
    let mut out = RustText::new();
    for direction in Direction::BOTH {
        if let Some(body) = endpoint.body(direction)
            && !body.object.shared
        {
            object_api(&body.object, &mut out);
        }
    }
    out.into_string()
}

/// The consumer impls for a service's shared shapes (and the types nested in them), appended to
/// its shared-shapes file: each shared type gets them once, there, never in an endpoint file.
pub(crate) fn shared_shapes_api_text(service: &Service) -> String {
    let mut out = RustText::new();
    for shared in &service.shapes {
        match &shared.shape {
            Shape::Object(object) => object_api(object, &mut out),
            Shape::Enum(enumeration) => enum_api(enumeration, &mut out),
            Shape::Union(union) => {
                for variant in &union.variants {
                    shape_api(&variant.shape, &mut out);
                }
            }
            other => shape_api(other, &mut out),
        }
    }
    out.into_string()
}

fn object_api(object: &Object, out: &mut RustText) {
    if object.direction == Direction::Request {
        constructors(object, out);
    }
    for field in &object.fields {
        shape_api(&field.shape, out);
    }
}

/// A shared shape met inside another type gets its impls in the shared-shapes file instead.
fn shape_api(shape: &Shape, out: &mut RustText) {
    match shape {
        Shape::Object(object) if object.shared => {}
        Shape::Enum(enumeration) if enumeration.shared => {}
        Shape::Union(union) if union.shared => {}
        Shape::Object(object) => object_api(object, out),
        Shape::Enum(enumeration) => enum_api(enumeration, out),
        Shape::Array(items) => shape_api(&items.shape, out),
        Shape::Union(union) => {
            for variant in &union.variants {
                shape_api(&variant.shape, out);
            }
        }
        _ => {}
    }
}

/// `as_str`, `Display` and `FromStr` for an enum: unknown values too for response enums.
fn enum_api(enumeration: &Enumeration, out: &mut RustText) {
    let name = &enumeration.rust_name;
    let keeps_unknown = enumeration.keeps_unknown_values();
    let unknown = crate::model::UNKNOWN_VALUE_VARIANT;
    out.open(&format!("impl {name}"));
    out.line("/// The value as on the wire.");
    if keeps_unknown {
        out.open("pub fn as_str(&self) -> &str");
    } else {
        out.open("pub fn as_str(self) -> &'static str");
    }
    out.open("match self");
    for value in &enumeration.values {
        out.line(&format!(
            "Self::{} => {},",
            value.rust_variant,
            string_literal(&value.wire)
        ));
    }
    if keeps_unknown {
        out.line(&format!("Self::{unknown}(value) => value,"));
    }
    out.close();
    out.close();
    out.close();
    out.open(&format!("impl std::fmt::Display for {name}"));
    out.open("fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result");
    out.line("f.write_str(self.as_str())");
    out.close();
    out.close();
    out.open(&format!("impl std::str::FromStr for {name}"));
    if keeps_unknown {
        out.line("type Err = std::convert::Infallible;");
        out.line("/// A listed value, or the unknown value kept as it is.");
    } else {
        out.line("type Err = crate::wire::UnknownValue;");
        out.line("/// A listed value; anything else is an error naming the type.");
    }
    out.open("fn from_str(text: &str) -> Result<Self, Self::Err>");
    out.open("Ok(match text");
    for value in &enumeration.values {
        out.line(&format!(
            "{} => Self::{},",
            string_literal(&value.wire),
            value.rust_variant
        ));
    }
    if keeps_unknown {
        out.line(&format!("other => Self::{unknown}(other.to_owned()),"));
    } else {
        out.list(
            "other => return Err(crate::wire::UnknownValue::new(",
            &[string_literal(name), "other".to_owned()],
            ")),",
        );
    }
    out.close_with(")");
    out.close();
    out.close();
}

/// The Rust type a constructor takes for `field` (the field's type less the `Option` of an
/// optional field).
fn argument_type(field: &Field) -> String {
    let inner = type_text(&shape_type(&field.shape));
    if field.nullable && !matches!(field.shape, Shape::Any) {
        format!("Option<{inner}>")
    } else {
        inner
    }
}

/// The groups a constructor must satisfy: those with no required, non-null member.
fn open_groups(object: &Object) -> Vec<Vec<&Field>> {
    object
        .at_least_one_of
        .iter()
        .filter_map(|group| {
            let members: Vec<&Field> = group
                .iter()
                .filter_map(|wire_name| object.field(wire_name))
                .collect();
            let satisfied = members.iter().any(|field| {
                field.required && (!field.nullable || matches!(field.shape, Shape::Any))
            });
            (!satisfied).then_some(members)
        })
        .collect()
}

/// `new(required…)` and `Default` (when nothing is required), or for an object with an open
/// `at_least_one_of` group one `new_with_<member>(required…, member)` per member of the first
/// such group; serialization refuses a value that breaks any group.
fn constructors(object: &Object, out: &mut RustText) {
    let name = &object.rust_name;
    let required: Vec<&Field> = object
        .fields
        .iter()
        .filter(|field| field.required)
        .collect();
    let parameters: Vec<String> = required
        .iter()
        .map(|field| format!("{}: impl Into<{}>", field.rust_name, argument_type(field)))
        .collect();
    let initializer = |chosen: Option<&Field>, out: &mut RustText| {
        let mut members: Vec<String> = object
            .fields
            .iter()
            .map(|field| {
                let member = &field.rust_name;
                if field.required {
                    format!("{member}: {member}.into(),")
                } else if chosen.is_some_and(|chosen| chosen.wire_name == field.wire_name) {
                    if field.nullable && !matches!(field.shape, Shape::Any) {
                        format!("{member}: Some(Some({member}.into())),")
                    } else {
                        format!("{member}: Some({member}.into()),")
                    }
                } else {
                    format!("{member}: None,")
                }
            })
            .collect();
        if object.keeps_unlisted_fields() {
            members.push(format!(
                "{}: Default::default(),",
                crate::model::UNLISTED_FIELDS_RUST_NAME
            ));
        }
        if members.is_empty() {
            out.line("Self {}");
            return;
        }
        out.open("Self");
        for member in &members {
            out.line(member);
        }
        out.close();
    };
    let groups = open_groups(object);
    let Some(first_group) = groups.first() else {
        out.open(&format!("impl {name}"));
        if required.is_empty() {
            out.line("/// A value with every field absent.");
        } else {
            out.line("/// A value with the required fields given and every optional field absent.");
        }
        out.list("pub fn new(", &parameters, ") -> Self {");
        out.indent();
        initializer(None, out);
        out.close();
        out.close();
        if required.is_empty() {
            out.open(&format!("impl Default for {name}"));
            out.open("fn default() -> Self");
            out.line("Self::new()");
            out.close();
            out.close();
        }
        return;
    };
    let group_names: Vec<String> = first_group
        .iter()
        .map(|field| format!("`{}`", field.wire_name))
        .collect();
    out.open(&format!("impl {name}"));
    for chosen in first_group.iter().filter(|chosen| !chosen.required) {
        let method = format!("new_with_{}", crate::names::unraw(&chosen.rust_name));
        let inner = type_text(&shape_type(&chosen.shape));
        out.doc(&format!(
            "A value with the required fields and `{}` given (the schema needs at least one of {}), \
             every other optional field absent.",
            chosen.wire_name,
            group_names.join(", ")
        ));
        let mut method_parameters = parameters.clone();
        method_parameters.push(format!("{}: impl Into<{inner}>", chosen.rust_name));
        out.list(
            &format!("pub fn {method}("),
            &method_parameters,
            ") -> Self {",
        );
        out.indent();
        initializer(Some(chosen), out);
        out.close();
    }
    out.close();
}
