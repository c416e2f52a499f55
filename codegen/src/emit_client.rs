//! A service of the model in, its typed client out (`generated/src/<service>/client.rs`, behind
//! the `<service>-client` feature): `Client::new(base_url, credential)` and one blocking method
//! per endpoint, on the shared runtime copied from `templates/client.rs`.

use quote::{format_ident, quote};

use crate::emit_rust::{EmitBug, header, ident};
use crate::emit_rust_api::endpoint_struct_name;
use crate::model::{AuthScheme, Model, Service};

/// The cargo feature of a service's client: `crm-client`.
pub(crate) fn client_feature(service: &Service) -> String {
    format!("{}-client", service.id)
}

/// Every client feature, for `#[cfg(any(...))]` on the shared runtime.
pub(crate) fn any_client_feature(model: &Model) -> proc_macro2::TokenStream {
    let features = model.services.iter().map(|service| {
        let feature = client_feature(service);
        quote!(feature = #feature)
    });
    quote!(any(#(#features),*))
}

/// `generated/src/<service>/client.rs`.
pub(crate) fn client_file(service: &Service) -> Result<String, EmitBug> {
    let auth = match service.auth.scheme {
        AuthScheme::Bearer => quote!(crate::client::Auth::Bearer),
        AuthScheme::ApiKey => {
            let header = &service.auth.header;
            quote!(crate::client::Auth::ApiKey(#header))
        }
    };
    let methods = service.endpoints.iter().map(|endpoint| {
        let method = ident(&endpoint.rust_module);
        let endpoint_struct = format_ident!("{}", endpoint_struct_name(endpoint));
        let response = ident(&endpoint.response.body.object.rust_name);
        let doc = format!(
            " `{} {}`: {}. Success is {}.",
            endpoint.method.as_str(),
            endpoint.path,
            endpoint.title,
            endpoint.response.status.describe()
        );
        match &endpoint.request {
            Some(body) => {
                let request = ident(&body.object.rust_name);
                quote! {
                    #[doc = #doc]
                    pub fn #method(
                        &self,
                        request: &super::#request,
                    ) -> Result<super::#response, crate::client::ClientError> {
                        self.transport
                            .call::<super::endpoints::#endpoint_struct, _>(Some(request))
                    }
                }
            }
            None => quote! {
                #[doc = #doc]
                pub fn #method(&self) -> Result<super::#response, crate::client::ClientError> {
                    self.transport
                        .call::<super::endpoints::#endpoint_struct, ()>(None)
                }
            },
        }
    });
    let credential_doc = match service.auth.scheme {
        AuthScheme::Bearer => format!(
            "`credential` is sent as `Authorization: Bearer …` (the service's is in `{}`).",
            service.auth.env
        ),
        AuthScheme::ApiKey => format!(
            "`credential` is sent in the `{}` header (the service's is in `{}`).",
            service.auth.header, service.auth.env
        ),
    };
    let new_doc = format!(
        " A client of `base_url` (the service's is `{}`, placeholders filled), with the default \
         timeouts and retries. {credential_doc}",
        service.base_url
    );
    let struct_doc = format!(
        " A blocking client of {}: one method per endpoint, each returning the typed response or \
         a [`crate::client::ClientError`] with the status, the findings against the contract and \
         the body (credential masked). See [`crate::client`] for why blocking, and the retries.",
        service.title
    );
    let file: syn::File = syn::parse2(quote! {
        #![doc = #struct_doc]

        #[doc = #struct_doc]
        #[derive(Debug, Clone)]
        pub struct Client {
            transport: crate::client::Transport,
        }

        impl Client {
            #[doc = #new_doc]
            pub fn new(base_url: &str, credential: crate::client::Secret) -> Self {
                Self::with_options(base_url, credential, crate::client::ClientOptions::default())
            }

            /// As [`Client::new`], with other timeouts, retries or limits.
            pub fn with_options(
                base_url: &str,
                credential: crate::client::Secret,
                options: crate::client::ClientOptions,
            ) -> Self {
                Self {
                    transport: crate::client::Transport::new(base_url, credential, #auth, options),
                }
            }

            #(#methods)*
        }
    })
    .map_err(|error| EmitBug {
        what: format!("{}/client.rs", service.id),
        message: error.to_string(),
    })?;
    let mut out = header(&service.spec_path);
    out.push_str(&prettyplease::unparse(&file));
    Ok(out)
}
