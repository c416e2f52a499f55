//! Model in, the generated crate's root out: `lib.rs` (a module per service behind its feature)
//! and `registry.rs` (every endpoint's types and published schemas, behind `conformance`).

use quote::quote;

use crate::emit_rust::{EmitBug, format_file, header, ident, inner_doc_lines};
use crate::model::{Direction, Model};

/// The crate root: one module per service, each behind the feature of its name.
pub(crate) fn lib_file(model: &Model) -> Result<String, EmitBug> {
    let doc = inner_doc_lines(
        "Request and response types for the vendor APIs specified under `spec/`, one module per\n\
         service behind a cargo feature of the same name, and the wire types they share.\n\
         \n\
         Request types implement `Serialize`, response types `Deserialize`; a service's\n\
         `<service>-both-directions` feature adds the other direction to its types, and the\n\
         `conformance` feature adds it to every service's, with the `registry` of every endpoint.\n\
         [`endpoint`] holds each endpoint's facts as code (no feature needed), and the\n\
         `<service>-client` features add a blocking typed client per service (module `client`).",
    );
    let services = model.services.iter().map(|service| {
        let module = ident(&service.id);
        let feature = &service.id;
        quote! {
            #[cfg(feature = #feature)]
            pub mod #module;
        }
    });
    let any_client = crate::emit_client::any_client_feature(model);
    format_file(
        &header("spec/"),
        "lib.rs",
        quote! {
            #doc
            #(#services)*
            pub mod endpoint;
            #[cfg(#any_client)]
            pub mod client;
            #[cfg(feature = "conformance")]
            pub mod registry;
            #[cfg(feature = "conformance")]
            pub mod fast_check;
            pub mod wire;
            pub use endpoint::Endpoint;
        },
    )
}

/// The registry: every endpoint's types and schemas, for checkers and mock servers.
pub(crate) fn registry_file(model: &Model) -> Result<String, EmitBug> {
    let doc = inner_doc_lines(
        "Every endpoint's generated types and published schemas, looked up by service and\n\
         endpoint id: what conformance checkers and mock servers need.",
    );
    let entries = model.endpoints().map(|(service, endpoint)| {
        let service_id = &service.id;
        let endpoint_id = &endpoint.id;
        let service_module = ident(&service.id);
        let body = |direction: Direction| {
            endpoint.body(direction).map(|body| {
                let type_name = ident(&body.object.rust_name);
                let schema_path = format!(
                    "../schemas/{}/{}.{}.json",
                    service.id,
                    endpoint.id,
                    direction.as_str()
                );
                quote! {
                    Body {
                        schema: include_str!(#schema_path),
                        decode: decode::<crate::#service_module::#type_name>,
                        round_trip: round_trip::<crate::#service_module::#type_name>,
                    }
                }
            })
        };
        let request = match body(Direction::Request) {
            Some(body) => quote!(Some(#body)),
            None => quote!(None),
        };
        let response = body(Direction::Response).unwrap_or_default();
        quote! {
            Endpoint {
                service: #service_id,
                id: #endpoint_id,
                request: #request,
                response: #response,
            },
        }
    });
    format_file(
        &header("spec/"),
        "registry.rs",
        quote! {
            #doc
            /// One endpoint's types and schemas.
            #[derive(Debug, Clone, Copy)]
            pub struct Endpoint {
                /// Service id (`crm`).
                pub service: &'static str,
                /// Endpoint id (`leads.create`).
                pub id: &'static str,
                /// The request body, for endpoints that take one.
                pub request: Option<Body>,
                /// The response body.
                pub response: Body,
            }

            /// One body's published schema and generated type.
            #[derive(Debug, Clone, Copy)]
            pub struct Body {
                /// The JSON Schema, as published under `schemas/`.
                pub schema: &'static str,
                /// Deserializes a payload into the generated type, and drops it.
                pub decode: fn(&[u8]) -> Result<(), serde_json::Error>,
                /// Deserializes a payload into the generated type and serializes it back.
                pub round_trip: fn(&[u8]) -> Result<Vec<u8>, serde_json::Error>,
            }

            /// Every endpoint, by service and id.
            pub const ENDPOINTS: &[Endpoint] = &[#(#entries)*];

            /// The endpoint `id` of `service`.
            pub fn find(service: &str, id: &str) -> Option<&'static Endpoint> {
                ENDPOINTS
                    .iter()
                    .find(|endpoint| endpoint.service == service && endpoint.id == id)
            }

            /// Without serde_json's recursion limit of 128: the checker measures a payload's
            /// nesting before it decodes, and decodes deep ones on a deep stack.
            fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<(), serde_json::Error> {
                let mut deserializer = serde_json::Deserializer::from_slice(bytes);
                deserializer.disable_recursion_limit();
                let value = <T as serde::Deserialize>::deserialize(&mut deserializer)?;
                deserializer.end()?;
                drop(value);
                Ok(())
            }

            fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(
                bytes: &[u8],
            ) -> Result<Vec<u8>, serde_json::Error> {
                let value: T = serde_json::from_slice(bytes)?;
                serde_json::to_vec(&value)
            }
        },
    )
}
