//! Every report kind (examples, check, live, recorded, diff) in every machine format, held to the
//! published schemas: the JSON report to `conformance/report.schema.json`, SARIF to the SARIF
//! 2.1.0 schema (vendored as `tests/schemas/sarif-2.1.0.json`, the OASIS schema as the
//! `serde-sarif` crate ships it). And the human wording: counts in the right number, a path
//! said once, and control characters from data never reaching the terminal raw.

use std::collections::BTreeMap;

use codegen::model::Direction;
use conformance::report::{Timings, diff_formats, github, human, json, junit, sarif};
use conformance::{Case, CaseSource, Finding, Report};

use crate::project_root;

fn validator(schema_text: &str) -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(schema_text).expect("the schema is JSON");
    jsonschema::validator_for(&schema).expect("the schema compiles")
}

/// The vendored SARIF 2.1.0 schema, with one repair: its `language` patterns
/// (`^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`) have a stray `]` that the draft-07 meta-schema's
/// `format: regex` refuses; they become the language tags they mean. We never write `language`.
fn sarif_schema() -> String {
    include_str!("../schemas/sarif-2.1.0.json").replace(
        "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$",
        "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$",
    )
}

fn check_valid(validator: &jsonschema::Validator, what: &str, text: &str) {
    let document: serde_json::Value =
        conformance::check::parse_payload(text.as_bytes()).expect("the output is JSON");
    let errors: Vec<String> = validator
        .iter_errors(&document)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} breaks its schema: {errors:#?}\n{text}"
    );
}

/// A response of `crm/tickets.create` with one unlisted field (a warning): the payload file of
/// the `check` kind, with a key that tries to drive the terminal.
const HOSTILE_KEY: &str = "\u{1b}]0;pwned\u{7}\u{1b}[2J";

fn response_payload(key: &str) -> Vec<u8> {
    let base = std::fs::read_to_string(
        crate::vendors_root().join("spec/crm/examples/tickets.create.response.json"),
    )
    .expect("the example exists");
    let trimmed = base.trim_end();
    let body = trimmed.strip_suffix('}').expect("the example is an object");
    format!(
        "{},\n    {}: 39\n}}\n",
        body.trim_end(),
        serde_json::to_string(key).expect("a string serializes")
    )
    .into_bytes()
}

fn check_kind(key: &str, name: &str) -> (Report, Vec<u8>) {
    let (_, contracts) = crate::vendor_contracts();
    let bytes = response_payload(key);
    let case = conformance::examples::check_file(
        &contracts,
        "crm/tickets.create",
        Direction::Response,
        name,
        &bytes,
    )
    .expect("the endpoint has a response");
    (Report { cases: vec![case] }, bytes)
}

fn live_kind() -> Report {
    let mut finding = Finding::error(
        "",
        conformance::finding::Rule::Transport,
        "connection refused by 127.0.0.1:9",
    );
    finding.value = None;
    Report {
        cases: vec![Case {
            service: "crm".into(),
            endpoint: "tickets.create".into(),
            direction: Direction::Response,
            source: CaseSource::Live {
                url: "http://127.0.0.1:9/api/tickets".into(),
            },
            spec_path: "spec/crm/tickets.create.yaml".into(),
            findings: vec![finding],
            vanished: Vec::new(),
            latency_ms: Some(12),
        }],
    }
}

fn recorded_kind() -> (Report, serde_json::Value) {
    let outcome = crate::recorded::check_bytes(
        "mixed.jsonl",
        &crate::recorded::fixture("mixed.jsonl"),
        |_| {},
    );
    let statistics = conformance::recorded::statistics_json_value(&outcome.statistics);
    (outcome.report, statistics)
}

fn diff_kind() -> codegen::diff::DiffReport {
    let folder = project_root().join("generated/schemas");
    let mut current = BTreeMap::new();
    for path in crate::spec_dir::walk(&folder).expect("generated/schemas is readable") {
        if path
            .extension()
            .is_some_and(|extension| extension == "json")
        {
            current.insert(
                crate::spec_dir::relative(&folder, &path),
                std::fs::read_to_string(&path).expect("a schema is text"),
            );
        }
    }
    // Without the catalog, a set is its `<service>/<endpoint>.<direction>.json` files.
    current.remove("catalog.json");
    let mut base = current.clone();
    let removed = base
        .keys()
        .find(|path| path.ends_with(".response.json"))
        .cloned()
        .expect("a response schema");
    base.remove(&removed);
    let base = codegen::diff::SchemaSet::from_files(&base).expect("the base reads");
    let current = codegen::diff::SchemaSet::from_files(&current).expect("the current set reads");
    let report = codegen::diff::compare(&base, &current, &Default::default());
    assert!(!report.changes.is_empty(), "the diff has a change");
    report
}

#[test]
fn json_reports_of_every_kind_follow_the_report_schema() {
    let validator = validator(json::REPORT_SCHEMA);
    let (sources, contracts) = crate::project_contracts();
    check_valid(
        &validator,
        "examples",
        &json::render(&conformance::examples::check_examples(&contracts, &sources)),
    );
    check_valid(
        &validator,
        "check",
        &json::render(&check_kind("extra", "x.json").0),
    );
    check_valid(&validator, "live", &json::render(&live_kind()));
    let (report, statistics) = recorded_kind();
    let mut document = json::to_value(&report);
    document["recording"] = statistics;
    check_valid(
        &validator,
        "recorded",
        &serde_json::to_string(&document).expect("serializes"),
    );
    check_valid(
        &validator,
        "diff",
        &codegen::diff::render_json(&diff_kind()),
    );
    // The schema is not a check that cannot fail: a version-1 report (value as a string) breaks it.
    let mut old = json::to_value(&check_kind("extra", "x.json").0);
    old["version"] = serde_json::json!(1);
    assert!(!validator.is_valid(&old));
}

#[test]
fn sarif_of_every_kind_follows_the_sarif_schema() {
    let validator = validator(&sarif_schema());
    let (sources, contracts) = crate::project_contracts();
    let examples = conformance::examples::check_examples(&contracts, &sources);
    check_valid(
        &validator,
        "examples",
        &sarif::render(&examples, &|file| sources.get(file).map(<[u8]>::to_vec)),
    );
    let (report, bytes) = check_kind("extra", "payloads/ticket response.json");
    let text = sarif::render(&report, &|_| Some(bytes.clone()));
    check_valid(&validator, "check", &text);
    check_valid(&validator, "live", &sarif::render(&live_kind(), &|_| None));
    check_valid(
        &validator,
        "recorded",
        &sarif::render(&recorded_kind().0, &|_| None),
    );
    check_valid(&validator, "diff", &diff_formats::sarif(&diff_kind()));

    // A JSON Lines recording's results sit on their exchange's line.
    let recorded = recorded_kind().0;
    let lines = sarif::render_located(&recorded, &|_| None, true);
    check_valid(&validator, "recorded, by line", &lines);
    let log: serde_json::Value = serde_json::from_str(&lines).expect("SARIF is JSON");
    let first = recorded
        .cases
        .iter()
        .find(|case| !case.findings.is_empty())
        .expect("the recording has findings");
    let CaseSource::Recorded { entry, .. } = &first.source else {
        panic!("a recorded case")
    };
    assert_eq!(
        log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        *entry
    );

    // One result per finding, at the value's line and column, related to the spec line.
    let log: serde_json::Value = serde_json::from_str(&text).expect("SARIF is JSON");
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), report.cases[0].findings.len());
    let extra = results
        .iter()
        .find(|result| result["properties"]["pointer"] == "/extra")
        .expect("a result for /extra");
    let location = &extra["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        "payloads/ticket%20response.json"
    );
    let text_of_file = String::from_utf8(bytes).expect("UTF-8");
    let line = text_of_file.lines().count() as u64 - 1;
    assert_eq!(location["region"]["startLine"], line);
    assert_eq!(location["region"]["startColumn"], 14);
    let related = &extra["relatedLocations"][0]["physicalLocation"];
    assert_eq!(
        related["artifactLocation"]["uri"],
        "spec/crm/tickets.create.yaml"
    );
    assert!(
        related["region"]["startLine"]
            .as_u64()
            .is_some_and(|line| line > 0)
    );

    // The schema can fail: a result without a message breaks it.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]
        .as_object_mut()
        .expect("a result is an object")
        .remove("message");
    assert!(!validator.is_valid(&broken));

    // Known findings of the examples are suppressed, with the spec's reason.
    let log: serde_json::Value =
        serde_json::from_str(&sarif::render(&examples, &|_| None)).expect("SARIF is JSON");
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert!(!results.is_empty());
    assert!(
        results
            .iter()
            .all(|result| result["suppressions"][0]["justification"].is_string())
    );
}

#[test]
fn github_annotations_are_located_and_escaped() {
    let (report, bytes) = check_kind("a,b:c%", "dir,1/x:y.json");
    let text = github::render(&report, &|_| Some(bytes.clone()));
    let line = text_line_count(&bytes) - 1;
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.starts_with(&format!(
            "::warning file=dir%2C1/x%3Ay.json,line={line},col=15,title=undocumented-field at /a%2Cb%3Ac%25::"
        )),
        "{text}"
    );
    assert!(
        text.contains("%0Avalue: 39%0Aspec: spec/crm/tickets.create.yaml:"),
        "{text}"
    );
    let diff = diff_formats::github(&diff_kind());
    assert!(
        diff.starts_with("::notice file=generated/schemas/"),
        "{diff}"
    );
}

fn text_line_count(bytes: &[u8]) -> u64 {
    String::from_utf8_lossy(bytes).lines().count() as u64
}

#[test]
fn junit_carries_counts_and_measured_times() {
    let mut report = live_kind();
    report.cases.extend(check_kind("extra", "x.json").0.cases);
    let timings = Timings {
        total: Some(std::time::Duration::from_millis(1500)),
        cases: vec![None, Some(std::time::Duration::from_micros(2500))],
    };
    let xml = junit::render_timed(&report, &timings);
    assert!(
        xml.contains("<testsuites name=\"conformance\" tests=\"2\" failures=\"1\" errors=\"1\" skipped=\"0\" time=\"1.500\">"),
        "{xml}"
    );
    // The live case: its latency; the error is an <error>, not a <failure>.
    assert!(
        xml.contains("time=\"0.012\">\n      <error type=\"transport\""),
        "{xml}"
    );
    // The file case: its measured time.
    assert!(
        xml.contains("name=\"response file x.json\" time=\"0.003\""),
        "{xml}"
    );
}

/// The human report of one file with one warning: wording checked by snapshot.
#[test]
fn human_wording_of_one_case() {
    let (report, _) = check_kind("extra", "/dev/fd/63");
    let text = human::render(&report, false);
    assert_eq!(text.matches("/dev/fd/63").count(), 1, "{text}");
    insta::assert_snapshot!("one_case_human", text);
}

/// issue 17: a key with `ESC]0;…BEL ESC[2J` is shown escaped in every human-readable format.
#[test]
fn control_characters_from_data_never_reach_the_terminal() {
    let (report, bytes) = check_kind(HOSTILE_KEY, "x.json");
    assert!(
        report.cases[0]
            .findings
            .iter()
            .any(|finding| finding.pointer.contains('\u{1b}')),
        "the payload produces a finding at the hostile key"
    );
    let plain = human::render(&report, false);
    let coloured = human::render(&report, true);
    let annotations = github::render(&report, &|_| Some(bytes.clone()));
    for (name, text) in [("human", &plain), ("github", &annotations)] {
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{name}: {text:?}"
        );
        assert!(
            text.contains("\\u{1b}]0;pwned\\u{7}\\u{1b}[2J"),
            "{name}: {text:?}"
        );
    }
    // With colour, the only escape sequences are our own colours.
    let without_colours = coloured.split('\u{1b}').skip(1).all(|after| {
        after.starts_with('[')
            && after[1..].starts_with(|c: char| c.is_ascii_digit())
            && !after.starts_with("[2J")
    });
    assert!(without_colours, "{coloured:?}");
    assert!(!coloured.contains('\u{7}'));
}
