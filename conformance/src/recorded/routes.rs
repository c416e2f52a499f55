//! The contracts in, a route table out: each endpoint's method and path and its body contracts,
//! looked up by a recorded method and path (exactly, or below a base path).

use std::collections::HashMap;

use codegen::model::{Direction, Endpoint, Service};

use crate::contract::{BodyContract, Contracts};

/// One endpoint, ready to check exchanges against.
#[derive(Debug)]
pub struct Route<'c> {
    /// The endpoint's service.
    pub service: &'c Service,
    /// The endpoint.
    pub endpoint: &'c Endpoint,
    /// The response contract.
    pub response: &'c BodyContract,
    /// The request contract, for endpoints that take a body.
    pub request: Option<&'c BodyContract>,
}

impl Route<'_> {
    /// The contract of the body going in `direction`.
    pub fn contract(&self, direction: Direction) -> Option<&BodyContract> {
        match direction {
            Direction::Request => self.request,
            Direction::Response => Some(self.response),
        }
    }
}

/// Every endpoint of the contracts, by path.
#[derive(Debug)]
pub struct RouteTable<'c> {
    routes: Vec<Route<'c>>,
    by_path: HashMap<String, Vec<usize>>,
    base_paths: Vec<String>,
}

impl<'c> RouteTable<'c> {
    /// The routes of every endpoint that has contracts; `base_paths` are prefixes a deployment
    /// may put before the documented paths (each service's base URL path is added to them).
    pub fn new(contracts: &'c Contracts, base_paths: &[String]) -> RouteTable<'c> {
        let mut routes = Vec::new();
        let mut by_path: HashMap<String, Vec<usize>> = HashMap::new();
        let mut all_base_paths: Vec<String> = base_paths
            .iter()
            .map(|prefix| normalized_base_path(prefix))
            .filter(|prefix| !prefix.is_empty())
            .collect();
        for service in &contracts.model.services {
            let service_prefix = normalized_base_path(path_of_target(&service.base_url));
            if !service_prefix.is_empty() && !service_prefix.contains('{') {
                all_base_paths.push(service_prefix);
            }
            for endpoint in &service.endpoints {
                let Some(response) = contracts.body(&service.id, &endpoint.id, Direction::Response)
                else {
                    continue;
                };
                let request = contracts.body(&service.id, &endpoint.id, Direction::Request);
                by_path
                    .entry(endpoint.path.clone())
                    .or_default()
                    .push(routes.len());
                routes.push(Route {
                    service,
                    endpoint,
                    response,
                    request,
                });
            }
        }
        all_base_paths.sort();
        all_base_paths.dedup();
        RouteTable {
            routes,
            by_path,
            base_paths: all_base_paths,
        }
    }

    /// Every route, in the model's order (services and endpoints by id).
    pub fn routes(&self) -> &[Route<'c>] {
        &self.routes
    }

    /// The route at `index`.
    pub fn route(&self, index: usize) -> &Route<'c> {
        &self.routes[index]
    }

    /// The index of the route `method` and `path` (without query) belong to: the path exactly,
    /// else the path below one of the base paths.
    pub fn find(&self, method: &str, path: &str) -> Option<usize> {
        if let Some(index) = self.find_exact(method, path) {
            return Some(index);
        }
        self.base_paths.iter().find_map(|prefix| {
            let below = path.strip_prefix(prefix.as_str())?;
            if below.starts_with('/') {
                self.find_exact(method, below)
            } else {
                None
            }
        })
    }

    fn find_exact(&self, method: &str, path: &str) -> Option<usize> {
        self.by_path.get(path)?.iter().copied().find(|&index| {
            self.routes[index]
                .endpoint
                .method
                .as_str()
                .eq_ignore_ascii_case(method)
        })
    }
}

/// `/proxy/` → `/proxy`; `proxy` → `/proxy`; `/` → ``.
fn normalized_base_path(prefix: &str) -> String {
    let trimmed = prefix.trim().trim_end_matches('/');
    if trimmed.is_empty() {
        String::new()
    } else if trimmed.starts_with('/') {
        trimmed.to_owned()
    } else {
        format!("/{trimmed}")
    }
}

/// The path of a request target: an absolute URL loses its scheme, credentials, host and port;
/// any target loses its query and fragment. `https://h:1/a/b?x=1#f` → `/a/b`.
pub fn path_of_target(target: &str) -> &str {
    let without_authority = match target.find("://") {
        Some(scheme_end) => {
            let after_scheme = &target[scheme_end + 3..];
            match after_scheme.find(['/', '?', '#']) {
                Some(path_start) => &after_scheme[path_start..],
                None => "",
            }
        }
        None => target,
    };
    let path = match without_authority.find(['?', '#']) {
        Some(end) => &without_authority[..end],
        None => without_authority,
    };
    if path.is_empty() && target.contains("://") {
        "/"
    } else {
        path
    }
}
