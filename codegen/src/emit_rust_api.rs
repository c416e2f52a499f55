//! Model in, the generated crate's consumer API out: the `Endpoint` trait and its registry
//! (`src/endpoint.rs`, no feature needed), one unit struct per endpoint implementing it
//! (`src/<service>/endpoints.rs`), and per endpoint file the impls people build with:
//! `as_str`, `Display` and `FromStr` on enums, and on request objects a constructor taking the
//! required fields (`Default` where nothing is required), which cannot skip an
//! `at_least_one_of` group.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit_rust::{EmitBug, format_file, header, ident, shape_type};
use crate::emit_schema::schema_id;
use crate::model::{
    Direction, Endpoint, Enumeration, Field, Model, Object, Service, Shape, StatusExpectation,
};
use crate::rust_text::{RustText, string_literal, type_text};

/// A Rust file from `source`'s spec: the header, then `tokens` printed.
fn render(source: &str, what: &str, tokens: TokenStream) -> Result<String, EmitBug> {
    format_file(&header(source), what, tokens)
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
        // A repeated one's impls are in the service's repeated-enums module.
        Shape::Enum(enumeration) if enumeration.shared || enumeration.same_as.is_some() => {}
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
pub(crate) fn enum_api(enumeration: &Enumeration, out: &mut RustText) {
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

/// The Rust type of `field`'s value, boxed where the field's type boxes it.
fn value_type(field: &Field) -> String {
    type_text(&crate::emit_rust::boxed_if_needed(
        &field.shape,
        shape_type(&field.shape),
    ))
}

/// The Rust type a constructor takes for `field` (the field's type less the `Option` of an
/// optional field).
fn argument_type(field: &Field) -> String {
    let inner = value_type(field);
    if field.null_is_an_option() {
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
            let satisfied = members
                .iter()
                .any(|field| field.required && !field.null_is_an_option());
            (!satisfied).then_some(members)
        })
        .collect()
}

/// The most `new_with_…` constructors an object gets: beyond it, the remaining choices are left to
/// a struct literal (which serialization still checks).
const MOST_GROUP_CONSTRUCTORS: usize = 32;

/// The sets of members (by wire name) that satisfy every group, each smallest among those
/// listed (no other listed set is part of it), in the order of the groups' members; at most
/// [`MOST_GROUP_CONSTRUCTORS`], bounded at every group (past the bound, a set left out could
/// have been smaller than one kept).
fn group_choices<'n>(groups: &[Vec<&'n str>]) -> Vec<Vec<&'n str>> {
    let mut choices: Vec<Vec<&str>> = vec![Vec::new()];
    for group in groups {
        let mut next: Vec<Vec<&str>> = Vec::new();
        for choice in &choices {
            // A choice that already has a member of this group satisfies it as it is.
            if group.iter().any(|member| choice.contains(member)) {
                next.push(choice.clone());
                continue;
            }
            for member in group {
                let mut grown = choice.clone();
                grown.push(member);
                next.push(grown);
            }
        }
        // Smallest sets only, each once (the first appearance kept).
        let contains = |larger: &Vec<&str>, smaller: &Vec<&str>| {
            smaller.iter().all(|member| larger.contains(member))
        };
        let mut kept: Vec<Vec<&str>> = Vec::new();
        for (index, candidate) in next.iter().enumerate() {
            let smaller_exists = next.iter().enumerate().any(|(other_index, other)| {
                other_index != index
                    && contains(candidate, other)
                    && (other.len() < candidate.len() || other_index < index)
            });
            if !smaller_exists {
                kept.push(candidate.clone());
            }
        }
        // Bounded while growing, so many groups cannot blow up the generator either.
        kept.truncate(MOST_GROUP_CONSTRUCTORS);
        choices = kept;
    }
    choices
}

/// The constructors an object's type has: the method's name and the members it takes beyond
/// the required ones (`new` and none, when no `at_least_one_of` group is open).
pub(crate) fn constructor_choices(object: &Object) -> Vec<(String, Vec<&Field>)> {
    let groups = open_groups(object);
    if groups.is_empty() {
        return vec![("new".to_owned(), Vec::new())];
    }
    let groups: Vec<Vec<&str>> = groups
        .iter()
        .map(|group| group.iter().map(|field| field.wire_name.as_str()).collect())
        .collect();
    let choices: Vec<Vec<&Field>> = group_choices(&groups)
        .into_iter()
        .map(|chosen| {
            chosen
                .into_iter()
                .filter_map(|wire_name| object.field(wire_name))
                .collect()
        })
        .collect();
    let member_names: Vec<Vec<&str>> = choices
        .iter()
        .map(|chosen| {
            chosen
                .iter()
                .map(|field| crate::names::unraw(&field.rust_name))
                .collect()
        })
        .collect();
    constructor_names(&member_names)
        .into_iter()
        .zip(choices)
        .collect()
}

/// `new_with_<a>_and_<b>…` for each choice of members, each name once: members named `a`, `b`
/// and `a_and_b` spell one name twice, and the later one is numbered.
fn constructor_names(choices: &[Vec<&str>]) -> Vec<String> {
    let mut taken = std::collections::BTreeSet::new();
    choices
        .iter()
        .map(|members| {
            let base = format!("new_with_{}", members.join("_and_"));
            let mut name = base.clone();
            let mut number = 2;
            while !taken.insert(name.clone()) {
                name = format!("{base}_{number}");
                number += 1;
            }
            name
        })
        .collect()
}

/// `new(required…)` and `Default` (when nothing is required), or for an object with open
/// `at_least_one_of` groups one `new_with_<member>[_and_<member>…](required…, members…)` per
/// smallest set of members that satisfies every group, so no constructor builds a value the
/// schema refuses; serialization refuses a value that breaks any group.
fn constructors(object: &Object, out: &mut RustText) {
    let name = &object.rust_name;
    let required: Vec<&Field> = object
        .fields
        .iter()
        .filter(|field| field.required)
        .collect();
    let parameter = |field: &Field, chosen: bool| {
        // A chosen member is given a value: never null, so never `Option`.
        let argument = if chosen {
            value_type(field)
        } else {
            argument_type(field)
        };
        format!("{}: impl Into<{argument}>", field.rust_name)
    };
    let initializer = |chosen: &[&Field], out: &mut RustText| {
        let mut members: Vec<String> = object
            .fields
            .iter()
            .map(|field| {
                let member = &field.rust_name;
                let is_chosen = chosen
                    .iter()
                    .any(|chosen| chosen.wire_name == field.wire_name);
                let nullable = field.null_is_an_option();
                match (is_chosen, field.required, nullable) {
                    (false, true, _) => format!("{member}: {member}.into(),"),
                    (false, false, _) => format!("{member}: None,"),
                    (true, true, false) => format!("{member}: {member}.into(),"),
                    (true, true, true) | (true, false, false) => {
                        format!("{member}: Some({member}.into()),")
                    }
                    (true, false, true) => format!("{member}: Some(Some({member}.into())),"),
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
    if groups.is_empty() {
        let parameters: Vec<String> = required
            .iter()
            .map(|field| parameter(field, false))
            .collect();
        out.open(&format!("impl {name}"));
        if required.is_empty() {
            out.line("/// A value with every field absent.");
        } else {
            out.line("/// A value with the required fields given and every optional field absent.");
        }
        out.list("pub fn new(", &parameters, ") -> Self {");
        out.indent();
        initializer(&[], out);
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
    }
    let rule = groups
        .iter()
        .map(|group| {
            let names: Vec<String> = group
                .iter()
                .map(|field| format!("`{}`", field.wire_name))
                .collect();
            format!("at least one of {}", names.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; and ");
    out.open(&format!("impl {name}"));
    for (method, chosen) in constructor_choices(object) {
        let given: Vec<String> = chosen
            .iter()
            .map(|field| format!("`{}`", field.wire_name))
            .collect();
        let with = if required.is_empty() {
            "A value with"
        } else {
            "A value with the required fields and"
        };
        out.doc(&format!(
            "{with} {} given (the schema needs {rule}), every other optional field absent.",
            given.join(" and ")
        ));
        let mut parameters: Vec<String> = required
            .iter()
            .filter(|field| {
                !chosen
                    .iter()
                    .any(|chosen| chosen.wire_name == field.wire_name)
            })
            .map(|field| parameter(field, false))
            .collect();
        // The chosen members last, in the order of the method's name.
        parameters.extend(chosen.iter().map(|field| parameter(field, true)));
        out.list(&format!("pub fn {method}("), &parameters, ") -> Self {");
        out.indent();
        initializer(&chosen, out);
        out.close();
    }
    out.close();
}

#[cfg(test)]
mod tests {
    use super::{MOST_GROUP_CONSTRUCTORS, constructor_names, group_choices};

    #[test]
    fn constructor_names_are_each_given_once() {
        let choices = [
            vec!["a", "b"],
            vec!["a_and_b"],
            vec!["a_and_b_2"],
            vec!["email"],
        ];
        assert_eq!(
            constructor_names(&choices),
            [
                "new_with_a_and_b",
                "new_with_a_and_b_2",
                "new_with_a_and_b_2_2",
                "new_with_email"
            ]
        );
    }

    #[test]
    fn group_choices_are_the_smallest_sets_that_satisfy_every_group() {
        let check = |groups: &[&[&'static str]], expected: &[&[&str]]| {
            let groups: Vec<Vec<&str>> = groups.iter().map(|group| group.to_vec()).collect();
            let expected: Vec<Vec<&str>> = expected.iter().map(|set| set.to_vec()).collect();
            assert_eq!(group_choices(&groups), expected, "{groups:?}");
        };
        check(&[&["email", "phone"]], &[&["email"], &["phone"]]);
        // A member in both groups is a choice alone; a set holding it is not smallest.
        check(
            &[&["email", "phone"], &["email", "ship_on"]],
            &[&["email"], &["phone", "ship_on"]],
        );
        check(
            &[&["a", "b"], &["c", "d"]],
            &[&["a", "c"], &["a", "d"], &["b", "c"], &["b", "d"]],
        );
        // The same group twice, and a member named twice in one group, change nothing.
        check(&[&["a", "b"], &["b", "a"]], &[&["a"], &["b"]]);
        check(&[&["a", "a"]], &[&["a"]]);
    }

    #[test]
    fn group_choices_are_bounded() {
        let names: Vec<String> = (0..40).map(|index| format!("m{index}")).collect();
        let groups: Vec<Vec<&str>> = names
            .chunks(4)
            .map(|group| group.iter().map(String::as_str).collect())
            .collect();
        let choices = group_choices(&groups);
        assert_eq!(choices.len(), MOST_GROUP_CONSTRUCTORS);
        for choice in &choices {
            for group in &groups {
                assert!(
                    group.iter().any(|member| choice.contains(member)),
                    "{choice:?}"
                );
            }
        }
    }
}
