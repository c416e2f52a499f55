//! Method and path in, endpoint out: exact paths, absolute URLs, queries and fragments dropped,
//! base path prefixes, method case; everything else unmatched and listed.

use conformance::recorded::{RouteTable, path_of_target};

use super::{check_bytes, contracts, json_lines};

#[test]
fn request_targets_become_paths() {
    let cases = [
        ("/1.0/customer/create", "/1.0/customer/create"),
        (
            "/1.0/customer/create?api_key=SECRET#top",
            "/1.0/customer/create",
        ),
        (
            "https://api.service.ladiflow.com/1.0/customer/create",
            "/1.0/customer/create",
        ),
        (
            "https://user:SECRET@api.example:8443/v2/leads/create?x=1",
            "/v2/leads/create",
        ),
        ("http://api.example", "/"),
        ("http://api.example?x=1", "/"),
        ("/v2/leads/create/", "/v2/leads/create/"),
        ("", ""),
    ];
    for (target, path) in cases {
        assert_eq!(path_of_target(target), path, "{target}");
    }
}

#[test]
fn exchanges_match_endpoints_by_method_and_exact_path_or_below_a_base_path() {
    let cases: &[(&str, &str, &[&str], Option<&str>)] = &[
        (
            "POST",
            "/1.0/customer/create",
            &[],
            Some("ladiflow/customer.create"),
        ),
        (
            "post",
            "/1.0/customer/create",
            &[],
            Some("ladiflow/customer.create"),
        ),
        ("GET", "/1.0/customer/create", &[], None),
        ("POST", "/1.0/customer/create/", &[], None),
        ("POST", "/1.0/customer/Create", &[], None),
        ("POST", "/v2/leads/create", &[], Some("crm/leads.create")),
        (
            "POST",
            "/v2/leads/intelligent",
            &[],
            Some("crm/leads.intelligent"),
        ),
        ("POST", "/proxy/1.0/customer/create", &[], None),
        (
            "POST",
            "/proxy/1.0/customer/create",
            &["/proxy"],
            Some("ladiflow/customer.create"),
        ),
        (
            "POST",
            "/proxy/1.0/customer/create",
            &["proxy/"],
            Some("ladiflow/customer.create"),
        ),
        ("POST", "/proxyx/1.0/customer/create", &["/proxy"], None),
        (
            "POST",
            "/1.0/customer/create",
            &["/proxy"],
            Some("ladiflow/customer.create"),
        ),
        (
            "POST",
            "/a/b/v2/tickets/create",
            &["/a", "/a/b"],
            Some("crm/tickets.create"),
        ),
    ];
    for (method, path, base_paths, expected) in cases {
        let base_paths: Vec<String> = base_paths
            .iter()
            .map(|prefix| (*prefix).to_owned())
            .collect();
        let routes = RouteTable::new(contracts(), &base_paths);
        let found = routes
            .find(method, path)
            .map(|index| routes.route(index).endpoint.key());
        assert_eq!(
            found.as_deref(),
            *expected,
            "{method} {path} under {base_paths:?}"
        );
    }
}

#[test]
fn unmatched_exchanges_are_counted_and_listed_by_frequency_without_queries() {
    let line = |method: &str, target: &str| {
        format!("{{\"method\":\"{method}\",\"url\":\"{target}\",\"status\":200,\"body\":{{}}}}")
    };
    let lines = json_lines(&[
        line(
            "GET",
            "https://api.example/1.0/customer/list?page=1&api_key=SECRET",
        ),
        line("DELETE", "/1.0/customer/9"),
        line("GET", "/1.0/customer/list?page=2"),
        line("get", "/1.0/customer/list"),
        line("DELETE", "/1.0/customer/9"),
        line("PUT", "/1.0/customer/create"),
    ]);
    let outcome = check_bytes("unmatched.jsonl", &lines, |_| {});
    let statistics = &outcome.statistics;
    assert_eq!(
        (
            statistics.exchanges,
            statistics.matched,
            statistics.unmatched
        ),
        (6, 0, 6)
    );
    assert_eq!(statistics.distinct_unmatched_routes, 3);
    let listed: Vec<(&str, &str, u64, u64)> = statistics
        .unmatched_routes
        .iter()
        .map(|route| {
            (
                route.method.as_str(),
                route.path.as_str(),
                route.exchanges,
                route.first_entry,
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            ("GET", "/1.0/customer/list", 3, 1),
            ("DELETE", "/1.0/customer/9", 2, 2),
            ("PUT", "/1.0/customer/create", 1, 6),
        ]
    );
    assert!(outcome.report.cases.is_empty());
    assert_eq!(
        outcome.exit_code(),
        0,
        "unmatched traffic is listed, not a failure"
    );
}
