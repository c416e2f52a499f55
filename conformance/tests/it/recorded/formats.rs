//! The two recording formats in (the mixed fixtures, and lines and documents built here), what
//! the check makes of them out: the same findings from JSON Lines and HAR, every unreadable line
//! or entry counted with where and why, numbers and text kept exact, base64 bodies decoded, the
//! format detected.

use conformance::recorded::{
    Base64Error, RecordedOptions, RecordingError, RecordingFormat, check_recording, decode_base64,
};

use super::{
    FindingRow, check_bytes, contracts, finding_rows, fixture, json_lines, ladiflow_line,
    ladiflow_response,
};

fn row(
    case: &str,
    pointer: &str,
    rule: &'static str,
    severity: &'static str,
    value: Option<&str>,
    tally: &str,
) -> FindingRow {
    FindingRow {
        case: case.to_owned(),
        pointer: pointer.to_owned(),
        rule,
        severity,
        value: value.map(str::to_owned),
        tally: tally.to_owned(),
    }
}

/// What `mixed.jsonl` must give; `mixed.har` holds the same exchanges (entries after the blank
/// line 10 are one lower). The `not-json` value is checked on its own.
fn expected_mixed_rows(word: &str, shift_after_ten: bool) -> Vec<FindingRow> {
    let at = |line: u64| {
        if shift_after_ten && line > 10 {
            line - 1
        } else {
            line
        }
    };
    let one = |line: u64, of: u64, noun: &str| format!("[1 of {of} {noun}; {word} {}]", at(line));
    vec![
        row(
            "crm/leads.create response",
            "/id",
            "type",
            "error",
            Some("271917813959131540676117904886673869329"),
            &one(18, 2, "responses"),
        ),
        row(
            "ladiflow/customer.create request",
            "",
            "at-least-one-of",
            "error",
            None,
            &one(16, 2, "requests"),
        ),
        row(
            "ladiflow/customer.create response",
            "",
            "not-json",
            "error",
            None,
            &one(7, 13, "responses"),
        ),
        row(
            "ladiflow/customer.create response",
            "",
            "status",
            "error",
            Some("\"{\\\"message\\\":\\\"Lỗi máy chủ\\\",\\\"code\\\":500}\""),
            &one(8, 13, "responses"),
        ),
        row(
            "ladiflow/customer.create response",
            "",
            "content-type",
            "error",
            Some("\"text/html\""),
            &one(9, 13, "responses"),
        ),
        row(
            "ladiflow/customer.create response",
            "/data/created_at",
            "format",
            "error",
            Some("\"2023-02-30T10:17:09.529Z\""),
            &one(6, 13, "responses"),
        ),
        row(
            "ladiflow/customer.create response",
            "/data/dob_year",
            "type",
            "error",
            Some("19890000000000000000000000001.5"),
            &one(5, 13, "responses"),
        ),
        row(
            "ladiflow/customer.create response",
            "/data/gender",
            "enum",
            "error",
            Some("\"khác\""),
            &format!("[2 of 13 responses; {word}s 3, {}]", at(19)),
        ),
        row(
            "ladiflow/customer.create response",
            "/data/zalo_name",
            "undocumented-field",
            "warning",
            Some("\"Nguyễn Thị Hương\""),
            &one(4, 13, "responses"),
        ),
        row(
            "ladiflow/customer.create response",
            "/request_id",
            "undocumented-field",
            "warning",
            Some("1"),
            &one(4, 13, "responses"),
        ),
    ]
}

fn rows_without_not_json_value(
    outcome: &conformance::recorded::RecordedOutcome,
) -> Vec<FindingRow> {
    finding_rows(outcome)
        .into_iter()
        .map(|mut row| {
            if row.rule == "not-json" {
                assert!(
                    row.value
                        .as_deref()
                        .is_some_and(|value| value.starts_with("\"{\\\"data\\\":{")),
                    "the not-json finding quotes the truncated body: {:?}",
                    row.value
                );
                row.value = None;
            }
            row
        })
        .collect()
}

#[test]
fn json_lines_fixture_yields_every_kind_of_finding_with_exact_values() {
    let outcome = check_bytes("mixed.jsonl", &fixture("mixed.jsonl"), |_| {});
    assert_eq!(
        rows_without_not_json_value(&outcome),
        expected_mixed_rows("line", false)
    );
    let statistics = &outcome.statistics;
    assert_eq!(statistics.format, RecordingFormat::JsonLines);
    assert_eq!(
        (
            statistics.exchanges,
            statistics.matched,
            statistics.unmatched,
            statistics.unreadable,
            statistics.without_response_body
        ),
        (19, 16, 3, 2, 1)
    );
    let unreadable: Vec<(u64, &str)> = statistics
        .unreadable_entries
        .iter()
        .map(|entry| (entry.entry, entry.reason.as_str()))
        .collect();
    assert_eq!(
        unreadable,
        [
            (
                12,
                "the line ends before its JSON does (truncated?) at column 75"
            ),
            (13, "missing field `status` (column 1695)"),
        ]
    );
    let sources: Vec<String> = outcome
        .report
        .cases
        .iter()
        .map(|case| case.source.describe())
        .collect();
    assert_eq!(
        sources,
        [
            "recorded mixed.jsonl#17",
            "recorded mixed.jsonl#15",
            "recorded mixed.jsonl#1"
        ]
    );
    assert_eq!(outcome.exit_code(), 1);
}

#[test]
fn har_fixture_gives_the_json_lines_findings() {
    let outcome = check_bytes("mixed.har", &fixture("mixed.har"), |_| {});
    assert_eq!(outcome.statistics.format, RecordingFormat::Har);
    assert_eq!(
        rows_without_not_json_value(&outcome),
        expected_mixed_rows("entry", true)
    );
    let statistics = &outcome.statistics;
    assert_eq!(
        (
            statistics.exchanges,
            statistics.matched,
            statistics.unmatched,
            statistics.unreadable,
            statistics.without_response_body
        ),
        (19, 16, 3, 2, 1)
    );
    let unreadable: Vec<(u64, &str)> = statistics
        .unreadable_entries
        .iter()
        .map(|entry| (entry.entry, entry.reason.as_str()))
        .collect();
    assert_eq!(
        unreadable,
        [
            (11, "`response.status` must be a whole number"),
            (12, "`request` is missing, expected an object"),
        ]
    );
}

/// Lines that are not exchanges, and what the report must say about each.
const UNREADABLE_LINES: &[(&[u8], &str)] = &[
    (
        br#"{"method":"POST","path":"/1.0/customer/create","status":201,"body":{"data":"#,
        "the line ends before its JSON does (truncated?) at column 75",
    ),
    (
        b"not json at all",
        "the line is not JSON: expected ident (column 2)",
    ),
    (
        b" [1,2]",
        "the line is an array, expected an exchange object",
    ),
    (
        br#"{"path":"/a","status":200,"headers":{"Authorization":"Bearer SECRET-IN-BAD-LINE"}}"#,
        "missing field `method` (column 82)",
    ),
    (
        br#"{"method":"POST","status":200,"body":{}}"#,
        "missing member `path` (or `url`)",
    ),
    (
        br#"{"method":"POST","path":"/a","url":"https://h/a","status":200}"#,
        "give `path` or `url`, not both",
    ),
    (
        br#"{"method":"POST","path":"/a","status":"200"}"#,
        "invalid type: string, expected u16 (column 43)",
    ),
    (
        br#"{"method":"POST","path":"/a","status":700}"#,
        "`status` is 700, expected an HTTP status from 100 to 599",
    ),
    (
        br#"{"method":"POST","path":"/a","status":70000}"#,
        "invalid value: integer `70000`, expected u16 (column 43)",
    ),
    (
        br#"{"method":"POST","path":"/a","status":200,"body":{},"body_text":"{}"}"#,
        "give one of `body`, `body_text`, `body_base64`, not several (`body`, `body_text` given)",
    ),
    (
        br#"{"method":"POST","path":"/a","status":200,"body_base64":"@@@"}"#,
        "`body_base64` is not base64: character '@' at offset 0 is not base64",
    ),
    (
        br#"{"method":"POST","path":"/a","status":200,"request_body_text":"{}","request_body":{}}"#,
        "give one of `request_body`, `request_body_text`, `request_body_base64`, not several (`request_body`, `request_body_text` given)",
    ),
    (
        br#"{"method":"POST","path":"/a","status":200,"status":201}"#,
        "duplicate field `status` (column 50)",
    ),
    (
        br#"{"method":7,"path":"/a","status":200}"#,
        "invalid type: integer `7`, expected a string (column 11)",
    ),
    (
        b"{\"method\":\"P\xffST\",\"path\":\"/a\",\"status\":200}",
        "the line is not JSON: invalid unicode code point (column 13)",
    ),
];

#[test]
fn unreadable_lines_are_counted_with_where_and_why_never_their_text() {
    let mut lines = Vec::new();
    for (line, _) in UNREADABLE_LINES {
        lines.extend_from_slice(line);
        lines.push(b'\n');
        lines.extend_from_slice(ladiflow_line(201, &ladiflow_response()).as_bytes());
        lines.push(b'\n');
    }
    let outcome = check_bytes("bad.jsonl", &lines, |_| {});
    let listed: Vec<(u64, &str)> = outcome
        .statistics
        .unreadable_entries
        .iter()
        .map(|entry| (entry.entry, entry.reason.as_str()))
        .collect();
    let expected: Vec<(u64, &str)> = UNREADABLE_LINES
        .iter()
        .enumerate()
        .map(|(index, (_, reason))| (2 * index as u64 + 1, *reason))
        .collect();
    assert_eq!(listed, expected);
    assert_eq!(outcome.statistics.unreadable, UNREADABLE_LINES.len() as u64);
    assert_eq!(outcome.statistics.exchanges, UNREADABLE_LINES.len() as u64);
    assert!(
        outcome
            .report
            .cases
            .iter()
            .all(|case| case.findings.is_empty())
    );
    assert_eq!(outcome.exit_code(), 1, "unreadable lines fail the run");
}

#[test]
fn a_line_longer_than_the_limit_is_skipped_without_losing_the_numbering() {
    let long_text = "x".repeat(conformance::recorded::LONGEST_LINE_BYTES + 10);
    let lines = json_lines(&[
        ladiflow_line(201, &ladiflow_response()),
        format!(
            "{{\"method\":\"POST\",\"path\":\"/1.0/customer/create\",\"status\":201,\"body_text\":\"{long_text}\"}}"
        ),
        ladiflow_line(500, "{}"),
    ]);
    let outcome = check_bytes("long.jsonl", &lines, |_| {});
    let listed: Vec<(u64, &str)> = outcome
        .statistics
        .unreadable_entries
        .iter()
        .map(|entry| (entry.entry, entry.reason.as_str()))
        .collect();
    assert_eq!(
        listed,
        [(
            2,
            "the line is longer than 4 MiB, the most read of one line (raise it with --max-entry-bytes); skipped"
        )]
    );
    assert_eq!(
        finding_rows(&outcome)
            .iter()
            .map(|row| (row.rule, row.tally.as_str()))
            .collect::<Vec<_>>(),
        [("status", "[1 of 2 responses; line 3]")]
    );
}

/// HAR documents that are broken, and what becomes of them.
#[test]
fn broken_har_documents_are_refused_or_checked_up_to_the_break() {
    let whole = String::from_utf8(fixture("mixed.har")).expect("the fixture is UTF-8");
    let third_entry = whole
        .match_indices("\"startedDateTime\"")
        .nth(2)
        .expect("three entries")
        .0;
    let cut_in_third_entry = &whole[..third_entry + 40];
    let document: serde_json::Value = serde_json::from_str(&whole).expect("the fixture is JSON");
    let one_entry_then_garbage = format!(
        "{{\"log\":{{\"entries\":[{}]}}}} trailing",
        document["log"]["entries"][0]
    );

    let refused: &[(&str, &str)] = &[
        (
            "not json",
            "mixed.har is not a HAR 1.2 document: expected ident (line 1, column 2)",
        ),
        (
            "[]",
            "mixed.har is not a HAR 1.2 document: invalid type: sequence, expected a HAR document (an object with `log`) (line 1, column 1)",
        ),
        (
            "{\"log\":{\"version\":\"1.2\"}}",
            "mixed.har is not a HAR 1.2 document: it has no `log.entries` array",
        ),
        (
            "{\"log\":{\"entries\":{}}}",
            "mixed.har is not a HAR 1.2 document: invalid type: map, expected the `log.entries` array (line 1, column 19)",
        ),
        (
            "{\"log\":\"SECRET\"}",
            "mixed.har is not a HAR 1.2 document: invalid type: string, expected the `log` object (line 1, column 15)",
        ),
    ];
    for (document, message) in refused {
        let mut options = RecordedOptions::new("mixed.har");
        options.format = Some(RecordingFormat::Har);
        match check_recording(contracts(), document.as_bytes(), &options) {
            Err(error @ RecordingError::NotHar { .. }) => assert_eq!(error.to_string(), *message),
            other => panic!("{document:?} should be refused, got {other:?}"),
        }
    }

    let checked_up_to_the_break: &[(&str, u64, &str)] = &[
        (
            cut_in_third_entry,
            2,
            "the document breaks off after the entry before: it ends early (truncated?)",
        ),
        (
            &one_entry_then_garbage,
            1,
            "the document breaks off after the entry before: trailing characters",
        ),
    ];
    for (document, exchanges, reason_start) in checked_up_to_the_break {
        let outcome = check_bytes("mixed.har", document.as_bytes(), |options| {
            options.format = Some(RecordingFormat::Har);
        });
        assert_eq!(outcome.statistics.exchanges, *exchanges);
        assert_eq!(outcome.statistics.unreadable, 1);
        let reason = &outcome.statistics.unreadable_entries[0].reason;
        assert!(reason.starts_with(reason_start), "{reason}");
        assert_eq!(outcome.exit_code(), 1);
    }
}

#[test]
fn base64_decodes_as_rfc_4648_says() {
    let cases: &[(&str, Result<&[u8], Base64Error>)] = &[
        ("", Ok(b"")),
        ("TQ==", Ok(b"M")),
        ("TWE=", Ok(b"Ma")),
        ("TWFu", Ok(b"Man")),
        ("TWE", Ok(b"Ma")),
        ("TQ", Ok(b"M")),
        ("T W F u\r\n", Ok(b"Man")),
        ("VGjDoG5oIGPDtG5n", Ok("Thành công".as_bytes())),
        (
            "eyJtZXNzYWdlIjoi16nXnNeV150ifQ==",
            Ok("{\"message\":\"שלום\"}".as_bytes()),
        ),
        ("+/+/", Ok(&[0xfb, 0xff, 0xbf])),
        ("TWFu=", Err(Base64Error::BadEnding)),
        ("T", Err(Base64Error::BadEnding)),
        ("TQ=x", Err(Base64Error::BadEnding)),
        ("TQ===", Err(Base64Error::BadEnding)),
        (
            "TW@u",
            Err(Base64Error::NotInAlphabet {
                character: '@',
                offset: 2,
            }),
        ),
        (
            "TWé",
            Err(Base64Error::NotInAlphabet {
                character: 'é',
                offset: 2,
            }),
        ),
    ];
    for (text, expected) in cases {
        let expected = expected.clone().map(<[u8]>::to_vec);
        assert_eq!(decode_base64(text), expected, "decoding {text:?}");
    }
}

#[test]
fn the_format_is_detected_from_the_first_bytes() {
    let cases: &[(&[u8], RecordingFormat)] = &[
        (b"{\"log\":{}}", RecordingFormat::Har),
        (b"\xEF\xBB\xBF  {\n  \"log\": {", RecordingFormat::Har),
        (b"{\"method\":\"GET\"}\n", RecordingFormat::JsonLines),
        (b"{\"logs\":1}", RecordingFormat::JsonLines),
        (b"", RecordingFormat::JsonLines),
        (b"[", RecordingFormat::JsonLines),
    ];
    for (start, format) in cases {
        assert_eq!(
            RecordingFormat::detect(start),
            *format,
            "{:?}",
            String::from_utf8_lossy(start)
        );
    }
}

/// `body`, `body_text` and `body_base64` holding the same bytes are the same payload: the same
/// findings, with the number's digits and the text as they came.
#[test]
fn the_three_body_forms_give_the_same_findings() {
    let body = ladiflow_response()
        .replace(
            "\"dob_year\":1989",
            "\"dob_year\":1989.000000000000000000000000001",
        )
        .replace(
            "\"city\":\"Hà Nội\"",
            "\"city\":\"Hà Nội\",\"quận\":\"Ba Đình\"",
        );
    let text = serde_json::to_string(&body).expect("strings serialize");
    let base64 = {
        const ALPHABET: &[u8; 64] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in body.as_bytes().chunks(3) {
            let group = chunk.iter().enumerate().fold(0u32, |group, (index, byte)| {
                group | u32::from(*byte) << (16 - 8 * index)
            });
            for position in 0..=chunk.len() {
                out.push(ALPHABET[(group >> (18 - 6 * position) & 63) as usize] as char);
            }
        }
        out
    };
    let start = "{\"method\":\"POST\",\"path\":\"/1.0/customer/create\",\"status\":201,\"content_type\":\"application/json\",";
    let lines = json_lines(&[
        format!("{start}\"body\":{body}}}"),
        format!("{start}\"body_text\":{text}}}"),
        format!("{start}\"body_base64\":\"{base64}\"}}"),
    ]);
    let outcome = check_bytes("forms.jsonl", &lines, |_| {});
    let rows: Vec<(String, &str, Option<String>, String)> = finding_rows(&outcome)
        .into_iter()
        .map(|row| (row.pointer, row.rule, row.value, row.tally))
        .collect();
    assert_eq!(
        rows,
        [
            (
                "/data/dob_year".to_owned(),
                "type",
                Some("1989.000000000000000000000000001".to_owned()),
                "[3 of 3 responses; lines 1, 2, 3]".to_owned()
            ),
            (
                "/data/quận".to_owned(),
                "undocumented-field",
                Some("\"Ba Đình\"".to_owned()),
                "[3 of 3 responses; lines 1, 2, 3]".to_owned()
            ),
        ]
    );
}

/// A line without `content_type` says nothing about the media type, so nothing is checked; an
/// empty one says the response had none.
#[test]
fn the_media_type_is_checked_only_where_it_was_recorded() {
    let body = ladiflow_response();
    let lines = json_lines(&[
        format!(
            "{{\"method\":\"POST\",\"path\":\"/1.0/customer/create\",\"status\":201,\"body\":{body}}}"
        ),
        format!(
            "{{\"method\":\"POST\",\"path\":\"/1.0/customer/create\",\"status\":201,\"content_type\":\"\",\"body\":{body}}}"
        ),
        format!(
            "{{\"method\":\"POST\",\"path\":\"/1.0/customer/create\",\"status\":201,\"content_type\":\"application/problem+json\",\"body\":{body}}}"
        ),
    ]);
    let outcome = check_bytes("media.jsonl", &lines, |_| {});
    let rows: Vec<(&str, Option<String>, String)> = finding_rows(&outcome)
        .into_iter()
        .map(|row| (row.rule, row.value, row.tally))
        .collect();
    assert_eq!(
        rows,
        [(
            "content-type",
            None,
            "[1 of 3 responses; line 2]".to_owned()
        )]
    );
    let message = &outcome.report.cases[0].findings[0].message;
    assert!(
        message.starts_with("the response's media type is not given"),
        "{message}"
    );
}
