//! The next LadiFlow pages (`tests/fixtures/next_pages`): POSTs that only read, a header table
//! and a curl that contradicts it, an example answer that is not JSON. Checked with contracts
//! built from the generator's output in memory (no compiled types), as any spec folder can be:
//! the examples check (`content-type`, `header` and `not-json` findings, known), the mock (the
//! effect in its routes, 415 for another media type, 400 for a missing required header) and a
//! live run against it (reads sent without `--allow-writes`, required headers from the
//! fixtures, or the request not sent).

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use codegen::SpecSources;
use conformance::live::{self, Fixtures, Selection};
use conformance::mock::{MockOptions, serve};
use conformance::{Contracts, Rule};

use crate::live::support::test_options;

/// The fixture's specs and their contracts, from the generated schemas in memory.
fn next_pages() -> (SpecSources, Contracts) {
    let root = crate::project_root().join("conformance/tests/fixtures/next_pages");
    let sources = crate::spec_dir::read_spec_sources(&root).expect("the fixture is readable");
    let files = codegen::generate(&sources).expect("the fixture generates");
    let model = codegen::load_model(&sources).expect("the fixture loads");
    let contracts = Contracts::from_generated_files(model, &files).expect("the schemas compile");
    (sources, contracts)
}

#[test]
fn the_examples_headers_and_text_give_known_findings() {
    let (sources, contracts) = next_pages();
    let report = conformance::examples::check_examples(&contracts, &sources);
    let rendered = conformance::report::human::render(&report, false);
    assert_eq!(report.exit_code(), 0, "{rendered}");
    let found = |endpoint: &str, rule: Rule| {
        report
            .cases
            .iter()
            .filter(|case| case.endpoint == endpoint)
            .flat_map(|case| &case.findings)
            .find(|finding| finding.rule == rule && finding.known.is_some())
            .unwrap_or_else(|| {
                panic!(
                    "no known {} finding on {endpoint}:\n{rendered}",
                    rule.as_str()
                )
            })
            .message
            .clone()
    };
    assert!(
        found("customer.list", Rule::ContentType).contains("`Content-Type: text/plain`"),
        "{rendered}"
    );
    assert!(
        found("customer.list", Rule::Header).contains("`Store-Id`"),
        "{rendered}"
    );
    let not_json = found("customer.show", Rule::NotJson);
    assert!(not_json.contains("line 2 column 5"), "{not_json}");
    // The show example's curl sends what the contract wants: no header finding there.
    assert!(
        report
            .cases
            .iter()
            .filter(|case| case.endpoint == "customer.show")
            .flat_map(|case| &case.findings)
            .all(|finding| finding.rule == Rule::NotJson),
        "{rendered}"
    );
}

#[test]
fn openapi_carries_the_effect_the_headers_and_why_an_example_is_left_out() {
    let (sources, _) = next_pages();
    let files = codegen::generate(&sources).expect("the fixture generates");
    let document: serde_json::Value =
        serde_json::from_str(&files.0["generated/openapi/ladiflow_next.openapi.json"])
            .expect("the document is JSON");
    let list = &document["paths"]["/1.0/customer/list"]["post"];
    assert_eq!(list["x-effect"], "read");
    let headers: Vec<&serde_json::Value> = list["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .filter(|parameter| parameter["in"] == "header")
        .collect();
    assert_eq!(
        headers.len(),
        1,
        "the credential is a security scheme: {headers:?}"
    );
    assert_eq!(headers[0]["name"], "Store-Id");
    assert_eq!(headers[0]["required"], true);
    let show = &document["paths"]["/1.0/customer/show"]["post"];
    let media = &show["responses"]["2XX"]["content"]["application/json"];
    assert!(media.get("examples").is_none(), "{media}");
    let note = media["x-omitted-examples"]["page"]
        .as_str()
        .expect("a note on the omitted example");
    assert!(note.contains("is not JSON"), "{note}");
}

const KEY: (&str, &str) = ("api-key", "next-pages-key-1");

fn send(
    base_url: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, serde_json::Value) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(None)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into();
    let mut request = ureq::http::Request::builder()
        .method("POST")
        .uri(format!("{base_url}{path}"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request
        .body(body.as_bytes().to_vec())
        .expect("the request builds");
    let mut response = agent.run(request).expect("the mock answers");
    let status = response.status().as_u16();
    let bytes = response.body_mut().read_to_vec().expect("the body arrives");
    (status, serde_json::from_slice(&bytes).unwrap_or_default())
}

#[test]
fn the_mock_checks_media_type_and_required_headers_and_lists_each_routes_effect() {
    let (sources, contracts) = next_pages();
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding 127.0.0.1:0");
    let mock = serve(
        Arc::new(contracts),
        &sources,
        listener,
        MockOptions::default(),
    )
    .expect("the mock starts");
    assert!(
        mock.routes()
            .iter()
            .any(|route| route.ends_with("(ladiflow_next/customer.list, read)")),
        "{:?}",
        mock.routes()
    );
    assert!(
        mock.notes().iter().any(|note| note.contains("not JSON")),
        "{:?}",
        mock.notes()
    );
    let json = ("content-type", "application/json");
    let store = ("store-id", "s-1");
    let body = r#"{"keyword": "Nguyễn", "page": 1}"#;
    let base = mock.base_url();
    let (status, answer) = send(&base, "/1.0/customer/list", &[KEY, json, store], body);
    assert_eq!(status, 200, "{answer}");
    let (status, answer) = send(
        &base,
        "/1.0/customer/list",
        &[KEY, ("content-type", "text/plain"), store],
        body,
    );
    assert_eq!(status, 415, "{answer}");
    assert!(
        answer["message"]
            .as_str()
            .unwrap_or_default()
            .contains("application/json")
    );
    let (status, answer) = send(&base, "/1.0/customer/list", &[KEY, json], body);
    assert_eq!(status, 400, "{answer}");
    assert_eq!(answer["error"], "missing_header");
    assert_eq!(answer["findings"][0]["rule"], "header");
    assert!(
        answer["findings"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("Store-Id"),
        "{answer}"
    );
}

#[test]
fn a_live_run_sends_reads_without_allow_writes_with_the_required_headers_from_the_fixtures() {
    let (sources, contracts) = next_pages();
    let contracts = Arc::new(contracts);
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding 127.0.0.1:0");
    let mock = serve(
        Arc::clone(&contracts),
        &sources,
        listener,
        MockOptions::default(),
    )
    .expect("the mock starts");
    let keys = live::select_endpoints(&contracts, &Selection::default()).expect("endpoints");
    let services = live::services_of(&keys);
    let base_urls: BTreeMap<String, String> = services
        .iter()
        .map(|service| (service.clone(), mock.base_url()))
        .collect();
    let environment = |name: &str| (name == "LADIFLOW_API_KEY").then(|| KEY.1.to_owned());
    let plan_with = |fixtures: Option<&Fixtures>| {
        let targets = live::resolve_targets(&contracts, &services, &base_urls, &environment)
            .expect("the environment is complete");
        live::build_plan(&contracts, &sources, &keys, targets, fixtures).expect("the plan builds")
    };

    // Without a value for `Store-Id` the list is not sent, and the dry run says why.
    let plan = plan_with(None);
    let listing = plan.render(false);
    assert!(
        listing.contains("(ladiflow_next/customer.list, read, example `page`)"),
        "{listing}"
    );
    assert!(listing.contains("`Store-Id` has no value"), "{listing}");

    let fixtures = Fixtures::parse(
        "next-pages-fixtures.yaml",
        "endpoints:\n  ladiflow_next/customer.list:\n    headers:\n      Store-Id: s-1\n",
    )
    .expect("the fixtures parse");
    let plan = plan_with(Some(&fixtures));
    let listing = plan.render(false);
    assert!(listing.contains("    Store-Id: s-1"), "{listing}");
    assert!(
        plan.writing_requests().is_empty(),
        "both endpoints only read"
    );
    let mut options = test_options();
    options.allow_writes = false;
    let report =
        live::run(&contracts, &plan, &options, &|_| {}).expect("reads need no --allow-writes");
    let list = report
        .cases
        .iter()
        .find(|case| case.endpoint == "customer.list")
        .expect("the list was run");
    assert!(!list.failed(), "{list:#?}");
}

#[test]
fn contracts_from_generated_files_name_a_missing_schema() {
    let (sources, _) = next_pages();
    let model = codegen::load_model(&sources).expect("the fixture loads");
    let error = Contracts::from_generated_files(model, &codegen::GeneratedFiles::default())
        .expect_err("no schemas, no contracts");
    assert_eq!(
        error.to_string(),
        "the generated files hold no schema generated/schemas/ladiflow_next/customer.list.request.json for ladiflow_next/customer.list request"
    );
}
