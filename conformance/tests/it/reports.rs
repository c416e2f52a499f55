//! Snapshots of the examples report in each format, rendered by us (insta's own JSON snapshots
//! would mangle arbitrary-precision numbers): human without colour, JSON, JUnit; and colour only
//! when asked for.

use conformance::examples::check_examples;

use crate::vendor_contracts;

/// The vendor fixture's examples report: the project's own report is quoted in README.md, kept
/// current by `cargo xtask gen`.
fn report() -> conformance::Report {
    let (sources, contracts) = vendor_contracts();
    check_examples(&contracts, &sources)
}

#[test]
fn human_report() {
    insta::assert_snapshot!(
        "examples_human",
        conformance::report::human::render(&report(), false)
    );
}

#[test]
fn json_report() {
    let text = conformance::report::json::render(&report());
    // The document parses, with every number exact, and is what we render.
    let parsed: serde_json::Value =
        conformance::check::parse_payload(text.as_bytes()).expect("the report is JSON");
    assert_eq!(parsed["report"], "conformance");
    assert_eq!(parsed["version"], conformance::report::json::VERSION);
    insta::assert_snapshot!("examples_json", text);
}

#[test]
fn junit_report() {
    insta::assert_snapshot!(
        "examples_junit",
        conformance::report::junit::render(&report())
    );
}

#[test]
fn colour_only_when_asked() {
    let report = report();
    assert!(!conformance::report::human::render(&report, false).contains('\x1b'));
    assert!(conformance::report::human::render(&report, true).contains("\x1b["));
}
