//! Recordings in, reports out, held to their bounds: the same outcome for any number of threads
//! and any batch size, kinds of finding capped per case with every rule kept, the unmatched and
//! unreadable lists bounded, no secret in any format, and the exit codes.

use conformance::recorded::{
    LISTED_FINDING_KINDS_PER_CASE, LISTED_UNMATCHED_ROUTES, LISTED_UNREADABLE_ENTRIES,
    RecordingFormat, TRACKED_UNMATCHED_ROUTES, render_statistics_human, statistics_json_value,
};
use conformance::report::{human, json, junit};

use super::{
    check_bytes, finding_rows, fixture, json_lines, ladiflow_line, ladiflow_response, tally_of,
};

#[test]
fn the_outcome_is_the_same_for_any_threads_and_batch_size() {
    let jsonl = fixture("mixed.jsonl").repeat(40);
    let har = fixture("mixed.har");
    for (name, bytes) in [("mixed.jsonl", &jsonl), ("mixed.har", &har)] {
        let reference = check_bytes(name, bytes, |options| options.threads = 1);
        assert!(reference.statistics.exchanges >= 19, "{name}");
        for (threads, batch_bytes) in [(2, 1), (3, 700), (4, 64 * 1024), (8, 1)] {
            let outcome = check_bytes(name, bytes, |options| {
                options.threads = threads;
                options.batch_bytes = batch_bytes;
            });
            assert_eq!(
                outcome, reference,
                "{name} with {threads} threads, batches of {batch_bytes} bytes"
            );
        }
    }
}

#[test]
fn kinds_of_finding_are_capped_per_case_and_the_rest_folded_per_rule() {
    let body = ladiflow_response();
    let unlisted_lines = LISTED_FINDING_KINDS_PER_CASE + 100;
    let mut lines: Vec<String> = (1..=unlisted_lines)
        .map(|index| {
            ladiflow_line(
                201,
                &body.replacen("{", &format!("{{\"field_{index}\":{index},"), 1),
            )
        })
        .collect();
    lines.push(ladiflow_line(
        201,
        &body.replace("\"gender\":\"male\"", "\"gender\":\"khác\""),
    ));
    let total = lines.len();
    let outcome = check_bytes("many.jsonl", &json_lines(&lines), |_| {});
    let findings = &outcome.report.cases[0].findings;
    assert_eq!(findings.len(), LISTED_FINDING_KINDS_PER_CASE + 2);
    let folded: Vec<(&str, String)> = findings
        .iter()
        .filter(|finding| finding.message.starts_with("further"))
        .map(|finding| (finding.rule.as_str(), tally_of(finding)))
        .collect();
    let cap = LISTED_FINDING_KINDS_PER_CASE;
    assert_eq!(
        folded,
        [
            ("enum", format!("[1 of {total} responses; line {total}]")),
            (
                "undocumented-field",
                format!(
                    "[100 of {total} responses; lines {}, {}, {}, {}, {}, …]",
                    cap + 1,
                    cap + 2,
                    cap + 3,
                    cap + 4,
                    cap + 5
                )
            ),
        ]
    );
    let occurrences: u64 = findings
        .iter()
        .map(|finding| {
            let tally = tally_of(finding);
            tally[1..tally.find(" of ").expect("a tally")]
                .parse::<u64>()
                .expect("a count")
        })
        .sum();
    assert_eq!(occurrences, total as u64, "every finding is counted once");
}

#[test]
fn unmatched_pairs_and_unreadable_lines_are_counted_in_full_and_listed_within_bounds() {
    let distinct = TRACKED_UNMATCHED_ROUTES + 50;
    let mut lines: Vec<String> = (0..distinct)
        .map(|index| format!("{{\"method\":\"GET\",\"path\":\"/items/{index}\",\"status\":200}}"))
        .collect();
    lines.extend(
        (0..3).map(|_| "{\"method\":\"GET\",\"path\":\"/items/0\",\"status\":200}".to_owned()),
    );
    lines.extend((0..50).map(|index| format!("{{\"broken\":{index}")));
    let outcome = check_bytes("many.jsonl", &json_lines(&lines), |_| {});
    let statistics = &outcome.statistics;
    assert_eq!(statistics.unmatched, distinct as u64 + 3);
    assert_eq!(
        statistics.distinct_unmatched_routes,
        TRACKED_UNMATCHED_ROUTES as u64
    );
    assert_eq!(statistics.unmatched_not_tracked, 50);
    assert_eq!(statistics.unmatched_routes.len(), LISTED_UNMATCHED_ROUTES);
    assert_eq!(
        (
            statistics.unmatched_routes[0].path.as_str(),
            statistics.unmatched_routes[0].exchanges
        ),
        ("/items/0", 4)
    );
    assert_eq!(statistics.unreadable, 50);
    assert_eq!(
        statistics.unreadable_entries.len(),
        LISTED_UNREADABLE_ENTRIES
    );
    assert_eq!(statistics.unreadable_entries[0].entry, distinct as u64 + 4);
}

#[test]
fn no_secret_reaches_any_report_format() {
    let mut jsonl = fixture("mixed.jsonl");
    jsonl.extend_from_slice(
        json_lines(&[
            "{\"method\":\"GET\",\"url\":\"https://h/x?token=SECRET-UNMATCHED\",\"status\":200,\"headers\":{\"Authorization\":\"Bearer SECRET-UNMATCHED\"}}".to_owned(),
            "{\"method\":\"POST\",\"status\":201,\"headers\":{\"Api-Key\":\"SECRET-BAD-LINE\"}}".to_owned(),
            "{\"method\":\"POST\",\"path\":\"/1.0/customer/create\",\"status\":\"SECRET-IN-STATUS\"".to_owned(),
        ])
        .as_slice(),
    );
    for (name, bytes) in [("mixed.jsonl", jsonl), ("mixed.har", fixture("mixed.har"))] {
        let outcome = check_bytes(name, &bytes, |_| {});
        assert!(
            String::from_utf8_lossy(&bytes).contains("SECRET"),
            "{name} holds secrets to keep"
        );
        let mut document = json::to_value(&outcome.report);
        document["recording"] = statistics_json_value(&outcome.statistics);
        let outputs = [
            human::render(&outcome.report, false),
            render_statistics_human(&outcome.statistics),
            serde_json::to_string(&document).expect("values serialize"),
            junit::render(&outcome.report),
        ];
        for output in outputs {
            assert!(
                !output.contains("SECRET"),
                "{name}: a secret was printed:\n{output}"
            );
        }
    }
}

#[test]
fn exit_codes_follow_new_findings_and_unreadable_lines() {
    let body = ladiflow_response();
    let clean = ladiflow_line(201, &body);
    let warning = ladiflow_line(201, &body.replacen("{", "{\"extra\":1,", 1));
    let error = ladiflow_line(500, "{}");
    let unmatched = "{\"method\":\"GET\",\"path\":\"/elsewhere\",\"status\":200}".to_owned();
    let no_body =
        "{\"method\":\"POST\",\"path\":\"/1.0/customer/create\",\"status\":201}".to_owned();
    let unreadable = "{\"method\":".to_owned();
    let cases: Vec<(&str, Vec<String>, u8)> = vec![
        ("empty", vec![], 0),
        ("clean", vec![clean.clone(), clean.clone()], 0),
        ("unmatched only", vec![clean.clone(), unmatched], 0),
        ("no body recorded", vec![no_body], 0),
        ("a new warning", vec![clean.clone(), warning], 1),
        ("a new error", vec![error, clean.clone()], 1),
        ("an unreadable line", vec![clean, unreadable], 1),
    ];
    for (label, lines, code) in cases {
        let bytes = if lines.is_empty() {
            Vec::new()
        } else {
            json_lines(&lines)
        };
        let outcome = check_bytes(label, &bytes, |options| {
            options.format = Some(RecordingFormat::JsonLines)
        });
        assert_eq!(
            outcome.exit_code(),
            code,
            "{label}: {:?}",
            finding_rows(&outcome)
        );
    }
}
