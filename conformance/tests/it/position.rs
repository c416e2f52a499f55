//! JSON Pointer → line and column over payload bytes, as a table; and every finding of every
//! example is located on the line where its value is.

use conformance::report::position::{TextPosition, pointer_position};

fn check(text: &str, pointer: &str, expected: Option<(u64, u64)>) {
    assert_eq!(
        pointer_position(text.as_bytes(), pointer),
        expected.map(|(line, column)| TextPosition { line, column }),
        "pointer {pointer:?} in {text:?}"
    );
}

#[test]
fn pointers_map_to_lines_and_columns() {
    let text = "{\n  \"a\": 1,\n  \"b\": {\"c\": [10, 20, {\"d\": \"x\"}]},\n  \"שם\": \"ערך\", \"e/f\": null, \"g~h\": true\n}";
    let table: &[(&str, Option<(u64, u64)>)] = &[
        ("", Some((1, 1))),
        ("/a", Some((2, 8))),
        ("/b", Some((3, 8))),
        ("/b/c", Some((3, 14))),
        ("/b/c/0", Some((3, 15))),
        ("/b/c/1", Some((3, 19))),
        ("/b/c/2/d", Some((3, 29))),
        // columns count characters, not bytes
        ("/שם", Some((4, 9))),
        ("/e~1f", Some((4, 23))),
        ("/g~0h", Some((4, 36))),
        // names nothing
        ("/missing", None),
        ("/b/c/3", None),
        ("/b/c/01", None),
        ("/a/x", None),
        ("no-slash", None),
    ];
    for (pointer, expected) in table {
        check(text, pointer, *expected);
    }
}

#[test]
fn escaped_keys_and_strings_with_brackets_are_read() {
    check(r#"{"x": "}]\"{", "\u0041": 5}"#, "/A", Some((1, 26)));
    check(r#"[[1, [2, 3]], {"k": [4]}, 7]"#, "/2", Some((1, 27)));
    check("not json", "/a", None);
    check(r#"{"a": "#, "/a", None);
}

#[test]
fn every_example_finding_is_located_on_its_value() {
    let (sources, contracts) = crate::project_contracts();
    let report = conformance::examples::check_examples(&contracts, &sources);
    let mut located = 0;
    for case in &report.cases {
        let Some(file) = case.source.file() else {
            continue;
        };
        let bytes = sources.get(file).expect("the example file was read");
        for finding in &case.findings {
            let (Some(value), false) = (&finding.value, finding.pointer.is_empty()) else {
                continue;
            };
            let position = pointer_position(bytes, &finding.pointer)
                .unwrap_or_else(|| panic!("{} names a value in {file}", finding.pointer));
            let text = String::from_utf8_lossy(bytes);
            let line_start: usize = text
                .split_inclusive('\n')
                .take(position.line as usize - 1)
                .map(str::len)
                .sum();
            let rest: String = text[line_start..]
                .chars()
                .skip(position.column as usize - 1)
                .collect();
            let found = serde_json::Deserializer::from_str(&rest)
                .into_iter::<serde_json::Value>()
                .next()
                .and_then(Result::ok);
            let expected: serde_json::Value =
                serde_json::from_str(value).expect("a finding's value is JSON");
            assert_eq!(
                found.as_ref(),
                Some(&expected),
                "{file}:{}:{} for {}",
                position.line,
                position.column,
                finding.pointer
            );
            located += 1;
        }
    }
    assert!(located > 10, "only {located} findings located");
}
