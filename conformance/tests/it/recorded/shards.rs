//! Shards: recordings in (the fixtures, and a small JSON Lines file of CRLF lines, a byte order
//! mark, blank, unreadable, over-long, unmatched lines and no final newline), cut into 1 to 7
//! shards (and, for the small one, into every count up to 48, so that range boundaries fall at
//! line starts, mid-line and between `\r` and `\n`); each shard checked alone, its JSON report
//! written and read back, the reports merged; out, the proof that the merge equals one run over
//! the whole file (report, counts, first line numbers), and that merge refuses shards that do
//! not belong together.

use std::io::Cursor;

use conformance::recorded::{
    MergeError, RecordedOptions, RecordedOutcome, Shard, check_recording_shard,
    merge_shard_reports, shard_json_value, statistics_json_value,
};
use serde_json::Value;

use super::{check_bytes, contracts, fixture, ladiflow_line, ladiflow_response};

const SPECS: &str = "sha256:test";

/// Reports as `merge_shard_reports` takes them: a name and the parsed JSON.
type NamedReports = Vec<(String, Value)>;

fn configure(options: &mut RecordedOptions) {
    options.threads = 2;
    options.batch_bytes = 700;
    options.max_entry_bytes = 3_000;
}

/// Shard `index` of `count` of `bytes`, as the JSON report `recorded --shard --format json`
/// writes, read back from its text.
fn shard_report(name: &str, bytes: &[u8], index: u64, count: u64) -> Value {
    let mut options = RecordedOptions::new(name);
    configure(&mut options);
    let shard = Shard { index, count };
    let outcome = check_recording_shard(contracts(), Cursor::new(bytes.to_vec()), &options, shard)
        .unwrap_or_else(|error| panic!("{name} shard {index}/{count}: {error}"));
    let mut document = conformance::report::json::to_value(&outcome.outcome.report);
    let members = document.as_object_mut().expect("a report is an object");
    members.insert(
        "recording".into(),
        statistics_json_value(&outcome.outcome.statistics),
    );
    members.insert("shard".into(), shard_json_value(&outcome, SPECS));
    serde_json::from_str(&serde_json::to_string_pretty(&document).expect("serializable"))
        .expect("the report is JSON")
}

fn merged(name: &str, bytes: &[u8], count: u64) -> RecordedOutcome {
    // In reverse order: the merge puts the shards in file order itself.
    let reports: NamedReports = (1..=count)
        .rev()
        .map(|index| {
            (
                format!("shard-{index}.json"),
                shard_report(name, bytes, index, count),
            )
        })
        .collect();
    merge_shard_reports(&reports)
        .unwrap_or_else(|error| panic!("{name} in {count} shards: {error}"))
}

/// Every count of shards in `counts` merges to the unsharded outcome.
fn check(name: &str, bytes: &[u8], counts: impl Iterator<Item = u64>) {
    let whole = check_bytes(name, bytes, configure);
    assert!(
        whole.statistics.exchanges > 0,
        "{name}: the recording has exchanges"
    );
    for count in counts {
        let merged = merged(name, bytes, count);
        assert_eq!(
            merged.statistics, whole.statistics,
            "{name} in {count} shards: counts"
        );
        assert_eq!(
            merged.report, whole.report,
            "{name} in {count} shards: report"
        );
        assert_eq!(
            conformance::report::json::to_value(&merged.report),
            conformance::report::json::to_value(&whole.report),
            "{name} in {count} shards: JSON report"
        );
    }
}

/// A small recording with every kind of line, CRLF line ends and a byte order mark.
fn small_crlf_recording() -> Vec<u8> {
    let valid = ladiflow_line(201, &ladiflow_response());
    let wrong_type = ladiflow_line(
        201,
        &ladiflow_response().replacen("\"code\":201", "\"code\":\"201\"", 1),
    );
    let lines = [
        valid.clone(),
        String::new(),
        wrong_type.clone(),
        "{\"method\":\"GET\",\"path\":\"/nowhere\",\"status\":200}".to_owned(),
        "not json at all".to_owned(),
        format!(
            "{{\"method\":\"GET\",\"path\":\"/long\",\"status\":200,\"x\":\"{}\"}}",
            "a".repeat(4_000)
        ),
        wrong_type,
        "   ".to_owned(),
        valid,
    ];
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(lines.join("\r\n").as_bytes());
    bytes
}

#[test]
fn json_lines_shards_merge_to_the_unsharded_run() {
    check("mixed.jsonl", &fixture("mixed.jsonl"), 1..=7);
    let small = small_crlf_recording();
    check("small.jsonl", &small, 1..=48);
}

#[test]
fn the_small_recording_puts_range_boundaries_everywhere() {
    let small = small_crlf_recording();
    let length = small.len() as u64;
    let mut at_line_start = false;
    let mut between_cr_and_lf = false;
    let mut mid_line = false;
    for count in 1..=48 {
        for index in 1..count {
            let (_, end) = Shard { index, count }.byte_range(length);
            let end = end as usize;
            match (small[end - 1], small[end]) {
                (b'\n', _) => at_line_start = true,
                (b'\r', b'\n') => between_cr_and_lf = true,
                _ => mid_line = true,
            }
        }
    }
    assert!(at_line_start && between_cr_and_lf && mid_line);
}

#[test]
fn har_shards_merge_to_the_unsharded_run() {
    let har = fixture("mixed.har");
    check("mixed.har", &har, 1..=7);
    // Broken off in the middle of an entry: exactly one shard reports it.
    let cut = &har[..har.len() * 3 / 5];
    check("cut.har", cut, 1..=7);
}

/// A HAR made to mislead a shard looking for its first entry: header arrays of objects in every
/// entry, response bodies holding escaped entry-like JSON (`},{"request":…` inside strings),
/// member names with braces, one entry larger than several shards' ranges (but within the
/// entry bound), minified and indented entries, and `log.version` after the entries.
fn misleading_har() -> Vec<u8> {
    let valid_body = serde_json::to_string(&ladiflow_response()).expect("a string");
    let tricky_body = serde_json::to_string(
        r#"[{"request":{},"response":{}},{"startedDateTime":"x"}] },{"request": {"method":"GET"}}"#,
    )
    .expect("a string");
    let entry = |body: &str, headers: usize, padding: usize| {
        let headers: Vec<String> = (0..headers)
            .map(|index| format!(r#"{{"name":"x-{index}","value":"{{,[\"v\"]}}"}}"#))
            .collect();
        format!(
            r#"{{"startedDateTime":"2024-05-01T09:30:00.000+07:00","time":1,"request":{{"method":"POST","url":"https://api.service.ladiflow.com/1.0/customer/create","headers":[{headers}],"queryString":[],"cookies":[]}},"response":{{"status":201,"headers":[{headers}],"cookies":[],"content":{{"mimeType":"application/json","text":{body}}}}},"_pad{{":"{padding}","cache":{{}},"timings":{{"wait":1}}}}"#,
            headers = headers.join(","),
            padding = "}{,[".repeat(padding),
        )
    };
    let entries = [
        entry(&valid_body, 3, 0),
        entry(&tricky_body, 8, 10),
        entry(&valid_body, 0, 0),
        entry(&tricky_body, 12, 300),
        entry(&valid_body, 2, 1),
        entry(&tricky_body, 1, 0),
        entry(&valid_body, 5, 3),
    ];
    // Pages have `startedDateTime` too: they must not pass for entries.
    let page = r#"{"startedDateTime": "2024-05-01T09:30:00.000+07:00", "id": "p", "title": "{[", "pageTimings": {}}"#;
    let mut document = format!(
        "{{\"log\": {{\"creator\": {{\"name\": \"{{[\"}}, \"pages\": [{page},\n{page}, {page}], \"entries\": [\n",
    );
    for (index, entry) in entries.iter().enumerate() {
        if index > 0 {
            document.push_str(if index % 2 == 0 { ",\n  " } else { "," });
        }
        document.push_str(entry);
    }
    document.push_str("\n], \"version\": \"1.2\"}}\n");
    document.into_bytes()
}

#[test]
fn har_shards_find_their_first_entry_without_being_misled() {
    let har = misleading_har();
    let whole = check_bytes("misleading.har", &har, configure);
    assert_eq!(whole.statistics.exchanges, 7, "every entry is read");
    assert_eq!(whole.statistics.unreadable, 0);
    // Up to more shards than the file has entries, so ranges start everywhere: inside strings,
    // header arrays, pages, the long entry, between entries.
    check("misleading.har", &har, 1..=40);
}

#[test]
fn a_har_broken_inside_an_entry_merges_to_the_unsharded_run() {
    // A byte that is not UTF-8 inside the fourth entry's body: one run reads three entries and
    // reports the break; a shard that starts at that entry cannot read it, and is left out.
    let mut har = misleading_har();
    let fourth = har
        .windows(b"x-11".len())
        .position(|window| window == b"x-11")
        .expect("the long entry's twelfth header");
    har[fourth] = 0xFF;
    let whole = check_bytes("broken.har", &har, configure);
    assert_eq!(whole.statistics.exchanges, 3);
    assert_eq!(whole.statistics.unreadable, 1);
    check("broken.har", &har, 1..=40);
    // Some shard did start at the broken entry, and its refusal was left out of the merge.
    let refused_somewhere = (2..=40).any(|count| {
        (2..=count).any(|index| {
            !shard_report("broken.har", &har, index, count)["shard"]["har"]["refused"].is_null()
        })
    });
    assert!(refused_somewhere, "no shard started at the broken entry");
}

/// A file that records the lowest offset read from it.
struct WatchedFile {
    inner: Cursor<Vec<u8>>,
    lowest_read: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl std::io::Read for WatchedFile {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let at = self.inner.position();
        let read = self.inner.read(buffer)?;
        if read > 0 {
            self.lowest_read
                .fetch_min(at, std::sync::atomic::Ordering::Relaxed);
        }
        Ok(read)
    }
}

impl std::io::Seek for WatchedFile {
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(to)
    }
}

#[test]
fn a_har_shard_reads_nothing_before_its_range_but_the_byte_before_an_entry() {
    let har = misleading_har();
    let length = har.len() as u64;
    for count in 2..=12 {
        for index in 2..=count {
            let shard = Shard { index, count };
            let (start, _) = shard.byte_range(length);
            let lowest_read = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(u64::MAX));
            let file = WatchedFile {
                inner: Cursor::new(har.clone()),
                lowest_read: std::sync::Arc::clone(&lowest_read),
            };
            let mut options = RecordedOptions::new("misleading.har");
            configure(&mut options);
            // Given, as it would be detected from the file's first bytes otherwise.
            options.format = Some(conformance::recorded::RecordingFormat::Har);
            check_recording_shard(contracts(), file, &options, shard)
                .unwrap_or_else(|error| panic!("shard {index}/{count}: {error}"));
            let whitespace_before = har[..start as usize]
                .iter()
                .rev()
                .take_while(|byte| byte.is_ascii_whitespace())
                .count() as u64;
            let lowest_read = lowest_read.load(std::sync::atomic::Ordering::Relaxed);
            // The whitespace before its range, and the byte before that (`,` or `[` before
            // an entry starting right there).
            assert!(
                lowest_read >= start - whitespace_before - 1,
                "shard {index}/{count} of bytes {start}.. read from byte {lowest_read}"
            );
        }
    }
}

#[test]
fn merge_refuses_a_har_shard_that_started_elsewhere_and_a_document_without_version() {
    let har = misleading_har();
    let count = 5;
    let mut reports: NamedReports = (1..=count)
        .map(|index| {
            (
                format!("shard-{index}.json"),
                shard_report("misleading.har", &har, index, count),
            )
        })
        .collect();
    // The shard that the next entry starts in, told to have started a byte later.
    let (position, next) = (1..count as usize)
        .find_map(|position| {
            let next = reports[position - 1].1["shard"]["har"]["next_entry_start"].as_u64()?;
            (next < reports[position].1["shard"]["end"].as_u64()?).then_some((position, next))
        })
        .expect("an entry starts in a later shard");
    reports[position].1["shard"]["har"]["first_entry_start"] = Value::from(next + 1);
    let error = merge_shard_reports(&reports).expect_err("a misjudged start");
    assert!(
        matches!(error, MergeError::MisjudgedStart { expected, .. } if expected == next),
        "{error}"
    );

    // A whole document without `log.version`: one run refuses it, and so does the merge.
    let text = String::from_utf8(har).expect("UTF-8");
    let without_version = text.replace(", \"version\": \"1.2\"", "").into_bytes();
    let whole = conformance::recorded::check_recording(
        contracts(),
        Cursor::new(without_version.clone()),
        &RecordedOptions::new("misleading.har"),
    )
    .expect_err("no version");
    let reports: NamedReports = (1..=3)
        .map(|index| {
            (
                format!("shard-{index}.json"),
                shard_report("misleading.har", &without_version, index, 3),
            )
        })
        .collect();
    let merged = merge_shard_reports(&reports).expect_err("no version");
    assert_eq!(merged.to_string(), whole.to_string());
}

#[test]
fn merge_refuses_shards_that_do_not_belong_together() {
    let bytes = fixture("mixed.jsonl");
    let of = |index, count| {
        (
            format!("{index}of{count}"),
            shard_report("mixed.jsonl", &bytes, index, count),
        )
    };
    let mut other_specs = of(2, 3);
    other_specs.1["shard"]["specs"] = Value::from("sha256:other");
    let not_shard = (
        "plain".to_owned(),
        serde_json::json!({"report": "conformance", "version": 1}),
    );
    let cases: Vec<(&str, NamedReports, &str)> = vec![
        (
            "missing",
            vec![of(1, 3), of(3, 3)],
            "shards 2 of 3 are missing",
        ),
        (
            "duplicate",
            vec![of(1, 2), of(2, 2), of(2, 2)],
            "shard 2 is given twice",
        ),
        (
            "counts",
            vec![of(1, 2), of(2, 3)],
            "its shard count is 3, expected 2",
        ),
        (
            "specs",
            vec![of(1, 3), other_specs, of(3, 3)],
            "its specs fingerprint is sha256:other",
        ),
        ("not a shard", vec![not_shard], "has no `shard` member"),
        ("none", vec![], "no reports to merge"),
    ];
    for (name, reports, expected) in cases {
        let error: MergeError = merge_shard_reports(&reports)
            .err()
            .unwrap_or_else(|| panic!("{name}: merged"));
        assert!(
            error.to_string().contains(expected),
            "{name}: {error} should say {expected:?}"
        );
    }
}
