//! The services a run calls and the environment in, where each is called and with what
//! credential out: the spec's base URL with its placeholders filled from the environment (or a
//! base URL given instead), and the credential from the variable the spec names. Every missing
//! variable is reported by name, all at once, before anything is sent.

use std::collections::BTreeMap;
use std::fmt;

use codegen::model::{AuthScheme, Service};

use crate::contract::Contracts;
use crate::live::secret::{SECRET_MASK, Scrubber, Secret};

/// Where one service is called, and how it is authenticated.
#[derive(Debug, Clone)]
pub struct ServiceTarget {
    /// Service id.
    pub service: String,
    /// Base URL without a trailing `/` (`https://acme.crm.example`); never carries a credential.
    pub base_url: String,
    /// The credential sent with every request to this service.
    pub credential: Credential,
}

/// A credential and the header that carries it.
#[derive(Debug, Clone)]
pub struct Credential {
    /// `Authorization` or `Api-Key`.
    pub header_name: String,
    /// Bearer token or API key.
    pub scheme: AuthScheme,
    /// The environment variable the value came from (`CRM_TOKEN`).
    pub environment_variable: String,
    /// The value.
    pub secret: Secret,
}

impl Credential {
    /// The header's value as sent: `Bearer <token>` or the key as is.
    pub fn header_value(&self) -> Secret {
        match self.scheme {
            AuthScheme::Bearer => Secret::new(format!("Bearer {}", self.secret.expose_to_header())),
            AuthScheme::ApiKey => self.secret.clone(),
        }
    }

    /// The header's value with the secret masked: `Bearer ****`.
    pub(crate) fn masked_header_value(&self) -> String {
        match self.scheme {
            AuthScheme::Bearer => format!("Bearer {SECRET_MASK}"),
            AuthScheme::ApiKey => SECRET_MASK.to_owned(),
        }
    }
}

/// An environment variable a run needs and does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingVariable {
    /// Its name (`CRM_TOKEN`).
    pub name: String,
    /// What it holds, for the message.
    pub purpose: String,
}

/// Why the services cannot be called.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    /// Environment variables the specs name are not set (or empty).
    #[error("{}", missing_message(.variables))]
    MissingVariables {
        /// Every missing variable, in service order.
        variables: Vec<MissingVariable>,
    },
    /// A base URL was given for a service no spec defines. The name is not kept: a mistyped
    /// argument may hold a secret.
    #[error(
        "--base-url names a service that no spec defines (the name is not shown, it may hold a secret); expected `SERVICE=URL` with SERVICE one of: {known}"
    )]
    UnknownService {
        /// The services there are, comma-separated.
        known: String,
    },
    /// A `--base-url` argument is neither `SERVICE=URL` nor a URL. The value is not kept.
    #[error(
        "--base-url{} takes `SERVICE=URL` (like `crm=http://127.0.0.1:8080`) or a URL for every service; the value is not shown, it may hold a secret",
        .service.as_ref().map(|service| format!(" for {service}")).unwrap_or_default()
    )]
    MalformedBaseUrlArgument {
        /// The service it names, when the part before `=` or `:` is a known service id.
        service: Option<String>,
    },
    /// A `--base-url` URL is not `http(s)://host[:port][/path]`. The value is not kept.
    #[error(
        "--base-url for {service} is not a usable URL: {reason}; expected `http(s)://host[:port][/path]` (the value is not shown, it may hold a secret)"
    )]
    BadBaseUrlArgument {
        /// Service id.
        service: String,
        /// What is wrong with it (never a part of the value).
        reason: String,
    },
    /// A base URL is not `http(s)://host[:port][/path]`.
    #[error("base URL of {service} `{shown}` is not usable: {reason}")]
    BadBaseUrl {
        /// Service id.
        service: String,
        /// The URL, with any user information masked.
        shown: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A variable's value cannot go into a base URL.
    #[error("{variable} must be a host name (like `acme.crm.example`), found `{value}`: {reason}")]
    BadVariableValue {
        /// The variable (`CRM_DOMAIN`).
        variable: String,
        /// Its value (never a secret: credentials are not base URL variables).
        value: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A credential holds characters an HTTP header cannot carry.
    #[error(
        "{variable} holds characters an HTTP header cannot carry (line breaks or control characters); the value is not shown"
    )]
    CredentialNotHeaderSafe {
        /// The variable.
        variable: String,
    },
}

fn missing_message(variables: &[MissingVariable]) -> String {
    let listed = variables
        .iter()
        .map(|variable| format!("{} ({})", variable.name, variable.purpose))
        .collect::<Vec<_>>()
        .join(", ");
    format!("missing environment variables, nothing was sent: {listed}")
}

/// A base URL taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// `http` or `https`.
    pub scheme: String,
    /// `host` or `host:port`.
    pub authority: String,
    /// The path below which the endpoints' paths go, without a trailing `/` (often empty).
    pub path_prefix: String,
}

impl BaseUrl {
    /// Parses `http(s)://host[:port][/path]`: no user information, no query, no fragment.
    pub fn parse(text: &str) -> Result<BaseUrl, String> {
        let (scheme, rest) = text
            .split_once("://")
            .ok_or_else(|| "expected `http://` or `https://` followed by a host".to_owned())?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return Err("the scheme must be `http` or `https`".to_owned());
        }
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, path) = rest.split_at(authority_end);
        if authority.contains('@') {
            return Err(
                "user information (`user:password@`) is not allowed: credentials come from the environment variables the spec names"
                    .to_owned(),
            );
        }
        if path.contains(['?', '#']) {
            return Err("a base URL has no query or fragment".to_owned());
        }
        let (host, port) = split_host_port(authority);
        if host.is_empty() {
            return Err("the host is missing".to_owned());
        }
        if let Some(port) = port
            && (port.is_empty() || port.parse::<u16>().is_err())
        {
            return Err("the port must be a number up to 65535".to_owned());
        }
        if authority
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '\\' | '"' | '<' | '>'))
        {
            return Err("the host holds spaces or characters a host name cannot have".to_owned());
        }
        if path.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err("the path holds spaces or control characters".to_owned());
        }
        Ok(BaseUrl {
            scheme,
            authority: authority.to_ascii_lowercase(),
            path_prefix: path.trim_end_matches('/').to_owned(),
        })
    }

    /// The URL again, normalized, without a trailing `/`.
    pub fn render(&self) -> String {
        format!("{}://{}{}", self.scheme, self.authority, self.path_prefix)
    }
}

/// `host:port` → (`host`, `Some("port")`); IPv6 literals in brackets keep their colons.
pub(crate) fn split_host_port(authority: &str) -> (&str, Option<&str>) {
    if let Some(rest) = authority.strip_prefix('[') {
        return match rest.split_once(']') {
            Some((host, after)) => (host, after.strip_prefix(':')),
            None => (authority, None),
        };
    }
    match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    }
}

/// A URL shown with its user information masked, for messages.
pub(crate) fn mask_user_information(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rsplit_once('@') {
        Some((_, host)) => format!("{scheme}://{SECRET_MASK}@{host}{}", &rest[authority_end..]),
        None => url.to_owned(),
    }
}

/// The `--base-url` arguments as a map by service: `crm=URL` pairs, or a bare `http(s)://` URL
/// for every service in `services`. `known` are the service ids the specs define; a malformed
/// argument is refused without repeating it (only a known service id before its `=` or `:` is
/// named).
pub fn parse_base_url_arguments(
    given: &[String],
    services: &[String],
    known: &[&str],
) -> Result<BTreeMap<String, String>, TargetError> {
    let mut overrides = BTreeMap::new();
    for text in given {
        let lower_case = text.to_ascii_lowercase();
        if lower_case.starts_with("http://") || lower_case.starts_with("https://") {
            for service in services {
                overrides.insert(service.clone(), text.clone());
            }
            continue;
        }
        let Some((service, url)) = text.split_once('=') else {
            let before = text.split([':', '=']).next().unwrap_or_default();
            return Err(TargetError::MalformedBaseUrlArgument {
                service: known
                    .iter()
                    .find(|known| **known == before)
                    .map(|known| (*known).to_owned()),
            });
        };
        if !known.contains(&service) {
            return Err(TargetError::UnknownService {
                known: known.join(", "),
            });
        }
        overrides.insert(service.to_owned(), url.to_owned());
    }
    Ok(overrides)
}

/// A scrubber that knows the credential of every service in `contracts`, read through
/// `environment` (unset ones are skipped): for the messages a command prints before (or
/// without) a plan.
pub fn environment_scrubber(
    contracts: &Contracts,
    environment: &dyn Fn(&str) -> Option<String>,
) -> Scrubber {
    let mut scrubber = Scrubber::new();
    for service in &contracts.model.services {
        if let Some(value) = environment(&service.auth.env) {
            scrubber.add(&service.auth.env, &Secret::new(value));
        }
    }
    scrubber
}

/// Resolves every service in `services`: base URLs from `base_url_overrides` (by service id)
/// or from the spec with its variables read through `environment`, credentials through
/// `environment`. An empty value counts as missing.
pub fn resolve_targets(
    contracts: &Contracts,
    services: &[String],
    base_url_overrides: &BTreeMap<String, String>,
    environment: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<ServiceTarget>, TargetError> {
    let known: Vec<&str> = contracts
        .model
        .services
        .iter()
        .map(|service| service.id.as_str())
        .collect();
    if base_url_overrides
        .keys()
        .any(|service| !known.contains(&service.as_str()))
    {
        return Err(TargetError::UnknownService {
            known: known.join(", "),
        });
    }
    let read = |name: &str| environment(name).filter(|value| !value.is_empty());

    let mut missing = Vec::new();
    for service in selected_services(contracts, services) {
        if !base_url_overrides.contains_key(&service.id) {
            for variable in &service.variables {
                if read(&variable.env).is_none() {
                    missing.push(MissingVariable {
                        name: variable.env.clone(),
                        purpose: format!(
                            "`{{{}}}` of {}'s base URL {}",
                            variable.name, service.id, service.base_url
                        ),
                    });
                }
            }
        }
        if read(&service.auth.env).is_none() {
            missing.push(MissingVariable {
                name: service.auth.env.clone(),
                purpose: format!(
                    "the credential of {}, sent in `{}`",
                    service.id, service.auth.header
                ),
            });
        }
    }
    if !missing.is_empty() {
        return Err(TargetError::MissingVariables { variables: missing });
    }

    let mut targets = Vec::new();
    for service in selected_services(contracts, services) {
        let base_url = match base_url_overrides.get(&service.id) {
            Some(url) => BaseUrl::parse(url).map_err(|reason| TargetError::BadBaseUrlArgument {
                service: service.id.clone(),
                reason,
            })?,
            None => fill_base_url(service, &read)?,
        };
        let secret = Secret::new(read(&service.auth.env).unwrap_or_default());
        if !secret
            .expose_to_header()
            .bytes()
            .all(|byte| byte == b'\t' || (0x20..0x7f).contains(&byte))
        {
            return Err(TargetError::CredentialNotHeaderSafe {
                variable: service.auth.env.clone(),
            });
        }
        targets.push(ServiceTarget {
            service: service.id.clone(),
            base_url: base_url.render(),
            credential: Credential {
                header_name: service.auth.header.clone(),
                scheme: service.auth.scheme,
                environment_variable: service.auth.env.clone(),
                secret,
            },
        });
    }
    Ok(targets)
}

fn selected_services<'a>(
    contracts: &'a Contracts,
    services: &'a [String],
) -> impl Iterator<Item = &'a Service> + 'a {
    contracts
        .model
        .services
        .iter()
        .filter(move |service| services.contains(&service.id))
}

fn fill_base_url(
    service: &Service,
    read: &dyn Fn(&str) -> Option<String>,
) -> Result<BaseUrl, TargetError> {
    let mut url = service.base_url.clone();
    for variable in &service.variables {
        let value = read(&variable.env).unwrap_or_default();
        let bad = |reason: &str| TargetError::BadVariableValue {
            variable: variable.env.clone(),
            value: value.clone(),
            reason: reason.to_owned(),
        };
        if value.contains("://") {
            return Err(bad("give the host alone, without `https://`"));
        }
        if value.chars().any(|c| {
            c.is_whitespace() || c.is_control() || matches!(c, '/' | '@' | '?' | '#' | '\\')
        }) {
            return Err(bad("a host name has no spaces, `/`, `@`, `?`, `#` or `\\`"));
        }
        url = url.replace(&format!("{{{}}}", variable.name), &value);
    }
    BaseUrl::parse(&url).map_err(|reason| TargetError::BadBaseUrl {
        service: service.id.clone(),
        shown: mask_user_information(&url),
        reason,
    })
}

impl fmt::Display for ServiceTarget {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "{} at {} ({}: {} from {})",
            self.service,
            self.base_url,
            self.credential.header_name,
            self.credential.masked_header_value(),
            self.credential.environment_variable
        )
    }
}
