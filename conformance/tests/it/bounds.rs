//! The checker's input bounds, each with the input of issue 17 that once broke it (made small
//! through the bound's parameter where the original was gigabytes): a payload file that never
//! ends, JSON nested 130 and 1,024 levels deep and one level deeper, a payload with a million
//! unlisted members, HAR documents of another version or none, a HAR entry and a JSON Lines
//! line past their bound.

use codegen::model::Direction;
use conformance::Rule;
use conformance::bounds::{LISTED_FINDINGS_PER_RULE, MAX_NESTING_DEPTH, read_bounded};
use conformance::check::check_payload;
use conformance::recorded::{RecordedOptions, RecordingError, RecordingFormat, check_recording};

use crate::live::support::GOOD_TICKET;
use crate::recorded::{check_bytes, contracts};

/// The ticket response with one more member, `extra`, holding `value`.
fn ticket_with(value: &str) -> String {
    GOOD_TICKET.replacen('{', &format!("{{\"extra\": {value}, "), 1)
}

fn ticket_response_check(payload: &str) -> conformance::check::PayloadCheck {
    let contract = contracts()
        .body("crm", "tickets.create", Direction::Response)
        .expect("tickets.create has a response body");
    check_payload(contract, payload.as_bytes())
}

fn nested(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

#[test]
fn a_payload_file_that_never_ends_stops_at_the_bound() {
    // `--request /dev/zero` once took 22 GB: the read stops one byte past the bound.
    let error = read_bounded(std::io::repeat(0), 1024, "--max-payload-bytes")
        .expect_err("an endless input is refused");
    assert_eq!(
        error.to_string(),
        "it is larger than 1 KiB, the most allowed (raise it with --max-payload-bytes)"
    );
    let exact = read_bounded(&[b'x'; 1024][..], 1024, "--max-payload-bytes")
        .expect("an input of exactly the bound is read");
    assert_eq!(exact.len(), 1024);
}

#[test]
fn json_nested_up_to_the_documented_depth_is_checked_like_any_json() {
    // Issue 17: 130 levels were "not JSON". The ticket body is one level; `extra` adds the rest.
    let shallow = ticket_response_check(&ticket_with("[]"));
    let verdict = |check: &conformance::check::PayloadCheck| {
        let findings: Vec<(Rule, String, &str)> = check
            .findings
            .iter()
            .map(|finding| {
                (
                    finding.rule,
                    finding.pointer.clone(),
                    finding.severity.as_str(),
                )
            })
            .collect();
        (findings, check.schema_accepts, check.type_accepts)
    };
    assert_eq!(
        verdict(&shallow).0,
        [(Rule::UndocumentedField, "/extra".to_owned(), "warning")]
    );
    for depth in [130, MAX_NESTING_DEPTH - 1] {
        let check = ticket_response_check(&ticket_with(&nested(depth)));
        assert_eq!(
            verdict(&check),
            verdict(&shallow),
            "{} levels are judged as one",
            depth + 1
        );
        assert!(
            check.findings[0]
                .value
                .as_deref()
                .is_some_and(|value| value.contains("[[[")),
            "the value is shown (cut past 1 KiB)"
        );
    }
}

#[test]
fn json_nested_deeper_than_the_documented_depth_is_one_too_deep_finding() {
    for payload in [
        nested(MAX_NESTING_DEPTH + 1),
        ticket_with(&nested(MAX_NESTING_DEPTH)),
        nested(1_000_000),
    ] {
        let check = ticket_response_check(&payload);
        let rules: Vec<Rule> = check.findings.iter().map(|finding| finding.rule).collect();
        assert_eq!(rules, [Rule::TooDeep], "{} bytes", payload.len());
        assert_eq!(
            check.findings[0].message,
            "the body nests arrays and objects more than 1,024 levels deep, the most this checker reads; it is not checked further"
        );
    }
}

#[test]
fn a_million_unlisted_members_list_the_first_hundred_and_count_the_rest() {
    let members: String = (0..1_000_000)
        .map(|index| format!("\"unlisted_{index:07}\": {index}, "))
        .collect();
    let payload = GOOD_TICKET.replacen('{', &format!("{{{members}"), 1);
    let check = ticket_response_check(&payload);
    let unlisted: Vec<&str> = check
        .findings
        .iter()
        .filter(|finding| finding.rule == Rule::UndocumentedField)
        .map(|finding| finding.pointer.as_str())
        .collect();
    assert_eq!(unlisted.len(), LISTED_FINDINGS_PER_RULE + 1);
    assert_eq!(unlisted[0], "/unlisted_0000000");
    assert_eq!(unlisted[LISTED_FINDINGS_PER_RULE - 1], "/unlisted_0000099");
    assert_eq!(
        unlisted[LISTED_FINDINGS_PER_RULE], "",
        "the count comes last"
    );
    let count = check
        .findings
        .iter()
        .find(|finding| finding.pointer.is_empty() && finding.rule == Rule::UndocumentedField)
        .expect("the count");
    assert_eq!(
        count.message,
        "… and 999,900 more `undocumented-field` findings not listed (a payload lists at most 100 of each rule)"
    );
}

#[test]
fn a_har_document_of_another_version_or_none_is_refused() {
    let entries = r#""entries":[]"#;
    let cases: &[(String, Option<&str>)] = &[
        (
            format!(r#"{{"log":{{"version":"99.9",{entries}}}}}"#),
            Some("`log.version` is \"99.9\", expected \"1.2\" (or \"1.1\")"),
        ),
        (
            format!(r#"{{"log":{{{entries},"version":"2.0"}}}}"#),
            Some("`log.version` is \"2.0\", expected \"1.2\" (or \"1.1\")"),
        ),
        (
            format!(r#"{{"log":{{{entries}}}}}"#),
            Some("it has no `log.version`; expected \"1.2\" (or \"1.1\")"),
        ),
        (format!(r#"{{"log":{{"version":"1.2",{entries}}}}}"#), None),
        (format!(r#"{{"log":{{"version":"1.1",{entries}}}}}"#), None),
    ];
    for (document, refusal) in cases {
        let mut options = RecordedOptions::new("traffic.har");
        options.format = Some(RecordingFormat::Har);
        match (
            check_recording(contracts(), document.as_bytes(), &options),
            refusal,
        ) {
            (Err(error @ RecordingError::NotHar { .. }), Some(reason)) => assert_eq!(
                error.to_string(),
                format!("traffic.har is not a HAR 1.2 document: {reason}")
            ),
            (Ok(_), None) => {}
            (other, _) => panic!("{document}: {other:?}"),
        }
    }
}

#[test]
fn a_har_entry_and_a_line_past_their_bound_are_reported_unreadable() {
    let entry = r#"{"request":{"method":"GET","url":"http://x/none"},"response":{"status":200,"content":{"text":"PADDING"}}}"#;
    let small = entry.replace("PADDING", "x");
    let large = entry.replace("PADDING", &"x".repeat(4096));
    let document = format!(r#"{{"log":{{"version":"1.2","entries":[{small},{large},{small}]}}}}"#);
    let outcome = check_bytes("traffic.har", document.as_bytes(), |options| {
        options.format = Some(RecordingFormat::Har);
        options.max_entry_bytes = 1024;
    });
    assert_eq!(
        outcome.statistics.exchanges, 1,
        "the entry before it is read"
    );
    assert_eq!(outcome.statistics.unreadable, 1);
    assert_eq!(outcome.statistics.unreadable_entries[0].entry, 2);
    assert_eq!(
        outcome.statistics.unreadable_entries[0].reason,
        "the entry is larger than 1 KiB, the most one HAR entry may have (raise it with --max-entry-bytes); nothing after it is read"
    );

    let line = r#"{"method":"GET","path":"/none","status":200}"#;
    let long_line = format!(
        r#"{{"method":"GET","path":"/{}","status":200}}"#,
        "x".repeat(4096)
    );
    let recording = format!("{line}\n{long_line}\n{line}\n");
    let outcome = check_bytes("traffic.jsonl", recording.as_bytes(), |options| {
        options.max_entry_bytes = 1024;
    });
    assert_eq!(
        outcome.statistics.exchanges, 2,
        "the lines around it are read"
    );
    assert_eq!(
        outcome.statistics.unreadable_entries[0].reason,
        "the line is longer than 1 KiB, the most read of one line (raise it with --max-entry-bytes); skipped"
    );
}

#[test]
fn recorded_bodies_nested_deeply_are_checked_or_too_deep_never_unreadable() {
    let line = |extra: &str| {
        format!(
            "{{\"method\":\"POST\",\"path\":\"/v2/tickets/create\",\"status\":201,\"content_type\":\"application/json\",\"body\":{}}}",
            ticket_with(extra)
        )
    };
    let recording = format!(
        "{}\n{}\n",
        line(&nested(500)),
        line(&nested(MAX_NESTING_DEPTH + 10))
    );
    let outcome = check_bytes("deep.jsonl", recording.as_bytes(), |_| {});
    assert_eq!(outcome.statistics.unreadable, 0);
    let rules: Vec<&str> = outcome.report.cases[0]
        .findings
        .iter()
        .map(|finding| finding.rule.as_str())
        .collect();
    assert_eq!(rules, ["too-deep", "undocumented-field"]);
}
