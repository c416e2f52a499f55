//! A mixed corpus in (every body of the project's specs and of the kitchen-sink fixture: the
//! page's example or a payload built from the model, then every value replaced by values of
//! every JSON type and by raw texts (escapes, surrogates, bytes that are not UTF-8, bad numbers,
//! repeated or escaped names, deep nesting), every member removed, unlisted members added, keys
//! repeated, bodies cut or not JSON); out, the proof that the fast path and the full check give the same findings for
//! each payload, and that the corpus exercises both paths and the fast path's own warnings.

use codegen::model::{Direction, Object, Shape};
use conformance::recorded::{
    CheckPath, MOST_VALUES_CHECKED_IN_FULL, RecordedExchange, Route, RouteTable,
    check_recorded_request, check_recorded_response, fast_check_payload,
};
use serde_json::{Number, Value, json};

use super::{check_bytes, fixture};

/// A value the model accepts for `shape`, every optional member included.
fn sample_value(shape: &Shape) -> Value {
    match shape {
        Shape::String => json!("chuỗi ש"),
        Shape::Integer => json!(42),
        Shape::Number => json!(1.5),
        Shape::Boolean => json!(true),
        Shape::Date => json!("2024-01-31"),
        Shape::DateTime => json!("2024-01-31T09:30:00Z"),
        Shape::Email => json!("name@example.com"),
        Shape::Any => json!({"anything": [1, "hai"]}),
        Shape::Enum(enumeration) => json!(enumeration.values[0].wire),
        Shape::Array(items) => json!([sample_value(&items.shape)]),
        Shape::Object(object) => sample_object(object),
        Shape::Union(union) => sample_value(&union.variants[0].shape),
        Shape::Recursive(_) => Value::Null,
    }
}

fn sample_object(object: &Object) -> Value {
    Value::Object(
        object
            .fields
            .iter()
            .map(|field| (field.wire_name.clone(), sample_value(&field.shape)))
            .collect(),
    )
}

/// Every JSON Pointer inside `value` (not the root), parents before children.
fn pointers(value: &Value, pointer: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(members) => {
            for (key, member) in members {
                let child = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
                out.push(child.clone());
                pointers(member, &child, out);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                let child = format!("{pointer}/{index}");
                out.push(child.clone());
                pointers(item, &child, out);
            }
        }
        _ => {}
    }
}

fn replacement_values() -> Vec<Value> {
    let big: Number = serde_json::from_str("123456789012345678901234567890").expect("a number");
    let tiny: Number = serde_json::from_str("1e-400").expect("a number");
    vec![
        Value::Null,
        json!(true),
        json!(7),
        json!(-0.5),
        Value::Number(big),
        Value::Number(tiny),
        json!("text"),
        json!("khác"),
        json!("2024-02-30"),
        json!("2024-01-31T24:00:00Z"),
        json!("name@example"),
        json!([]),
        json!([1, "a", null]),
        json!({}),
        json!({"unlisted": 1}),
    ]
}

/// Texts written into a payload as they are, byte for byte, where a value goes: what the fast
/// check reads itself (escapes, surrogate pairs, exact numbers) and what it must decline or
/// refuse (lone surrogates, bytes that are not UTF-8, control characters, bad numbers, repeated
/// or escaped member names, deep nesting).
fn raw_value_texts() -> Vec<Vec<u8>> {
    let mut texts: Vec<Vec<u8>> = [
        &b"\"\\ud83d\\ude00 \\u00e9 \\n \\/ \\\"\""[..],
        b"\"\\ud800\"",
        b"\"\\udc00\\ud800\"",
        b"\"\\u12\"",
        b"\"\\x\"",
        b"\"a\xffb\"",
        b"\"\xc3\"",
        b"\"tab\there\"",
        b"\"2024-01-31\"",
        b"\"2024-01-31T09:30:00.123456789+07:00\"",
        b"\"a.b@example.com\"",
        b"-0",
        b"01",
        b"1.",
        b"-",
        b"1E400",
        b"12345678901234567890123456789012345678901",
        b"0.1000000000000000055511151231257827",
        b"tru",
        b"nul",
        b"{\"a\":1,\"a\":2}",
        b"{\"\\u0061\":1,\"a\":2}",
        b"[{\"x\":{\"y\":1,\"z\":[1,{\"y\":2,\"y\":3}]}}]",
        b"{\"k1\":1,\"k2\":2,\"k3\":3,\"k4\":4,\"k5\":5,\"k6\":6,\"k7\":7,\"k8\":8,\"k9\":9,\"k1\":10}",
        b"[1,2,]",
        b"{\"a\" 1}",
    ]
    .iter()
    .map(|text| text.to_vec())
    .collect();
    texts.push(format!("{}1{}", "[".repeat(70), "]".repeat(70)).into_bytes());
    texts.push(format!("{}1{}", "[".repeat(20), "]".repeat(20)).into_bytes());
    texts
}

/// The text of `value` with the value at `pointer` replaced by each of [`raw_value_texts`].
fn with_raw_values(value: &Value, pointer: &str) -> Vec<Vec<u8>> {
    let mut marked = value.clone();
    let Some(slot) = marked.pointer_mut(pointer) else {
        return Vec::new();
    };
    *slot = json!("\u{1}raw-value-marker\u{1}");
    let text = serde_json::to_vec(&marked).expect("values serialize");
    let marker = b"\"\\u0001raw-value-marker\\u0001\"";
    let Some(at) = text
        .windows(marker.len())
        .position(|window| window == marker)
    else {
        return Vec::new();
    };
    raw_value_texts()
        .into_iter()
        .map(|raw| [&text[..at], &raw[..], &text[at + marker.len()..]].concat())
        .collect()
}

/// The text of `value` with the first (or last) member of the object at `pointer` written
/// twice, the second time with `second`.
fn with_repeated_key(value: &Value, pointer: &str, last: bool, second: &Value) -> Option<String> {
    let Some(Value::Object(members)) = value.pointer(pointer) else {
        return None;
    };
    let (key, _) = if last {
        members.iter().next_back()?
    } else {
        members.iter().next()?
    };
    let mut object_text = serde_json::to_string(&Value::Object(members.clone())).ok()?;
    object_text.pop();
    let separator = if members.is_empty() { "" } else { "," };
    object_text.push_str(&format!(
        "{separator}{}:{}}}",
        serde_json::to_string(key).ok()?,
        serde_json::to_string(second).ok()?
    ));
    let mut marked = value.clone();
    *marked.pointer_mut(pointer)? = json!("\u{1}repeated-key-marker\u{1}");
    let text = serde_json::to_string(&marked).ok()?;
    Some(text.replacen("\"\\u0001repeated-key-marker\\u0001\"", &object_text, 1))
}

/// The corpus grown from one base payload.
fn mutated_payloads(base: &Value) -> Vec<Vec<u8>> {
    let base_text = serde_json::to_string(base).expect("values serialize");
    let mut payloads: Vec<Vec<u8>> = vec![base_text.clone().into_bytes()];
    let mut all_pointers = vec![String::new()];
    pointers(base, "", &mut all_pointers);
    for pointer in &all_pointers {
        if !pointer.is_empty() {
            for replacement in replacement_values() {
                let mut changed = base.clone();
                if let Some(slot) = changed.pointer_mut(pointer) {
                    *slot = replacement;
                    payloads.push(serde_json::to_vec(&changed).expect("values serialize"));
                }
            }
            let (parent, last) = pointer.rsplit_once('/').expect("a pointer has a slash");
            let mut removed = base.clone();
            if let Some(Value::Object(members)) = removed.pointer_mut(parent) {
                members.shift_remove(&last.replace("~1", "/").replace("~0", "~"));
                payloads.push(serde_json::to_vec(&removed).expect("values serialize"));
            }
        }
        let mut added = base.clone();
        if let Some(Value::Object(members)) = added.pointer_mut(pointer) {
            members.insert("unlisted_ω".to_owned(), json!({"giá trị": [1.50, "ש"]}));
            members.insert("also/unlisted~".to_owned(), json!(null));
            payloads.push(serde_json::to_vec(&added).expect("values serialize"));
            payloads.extend(with_raw_values(&added, &format!("{pointer}/unlisted_ω")));
        }
        if !pointer.is_empty() {
            payloads.extend(with_raw_values(base, pointer));
        }
        for second in [Value::Null, json!("other")] {
            if let Some(text) = with_repeated_key(base, pointer, false, &second) {
                payloads.push(text.into_bytes());
            }
            if let Some(text) = with_repeated_key(&added, pointer, true, &second) {
                payloads.push(text.into_bytes());
            }
        }
    }
    let half = (0..=base_text.len() / 2)
        .rev()
        .find(|index| base_text.is_char_boundary(*index))
        .unwrap_or(0);
    for whole in [
        "",
        " ",
        "null",
        "[]",
        "{",
        "{}",
        "{} x",
        "\"text\"",
        "{\"a\":1,}",
        &base_text[..half],
    ] {
        payloads.push(whole.as_bytes().to_vec());
    }
    payloads.push(format!("  {base_text}\n").into_bytes());
    payloads
}

/// How the corpus went.
#[derive(Debug, Default)]
struct Tallies {
    payloads: usize,
    vouched_by_fast_path: usize,
    vouched_with_findings: usize,
    full_check_needed: usize,
    disagreements: Vec<String>,
}

fn compare_route(
    route: &Route<'_>,
    base_for: impl Fn(Direction) -> Option<Value>,
    tallies: &mut Tallies,
) {
    for direction in Direction::BOTH {
        let (Some(contract), Some(base)) = (route.contract(direction), base_for(direction)) else {
            continue;
        };
        for payload in mutated_payloads(&base) {
            tallies.payloads += 1;
            match fast_check_payload(contract, &payload, MOST_VALUES_CHECKED_IN_FULL) {
                Some(findings) => {
                    tallies.vouched_by_fast_path += 1;
                    if !findings.is_empty() {
                        tallies.vouched_with_findings += 1;
                    }
                }
                None => tallies.full_check_needed += 1,
            }
            let (fast, full) = match direction {
                Direction::Request => (
                    check_recorded_request(route, &payload, CheckPath::Fast),
                    check_recorded_request(route, &payload, CheckPath::Full),
                ),
                Direction::Response => {
                    let exchange = RecordedExchange {
                        method: route.endpoint.method.as_str().into(),
                        path: route.endpoint.path.as_str().into(),
                        status: route.endpoint.response.status.representative_code(),
                        content_type_recorded: true,
                        content_type: Some("application/json".into()),
                        response_body: Some(payload.as_slice().into()),
                        request_body: None,
                    };
                    (
                        check_recorded_response(route, &exchange, CheckPath::Fast),
                        check_recorded_response(route, &exchange, CheckPath::Full),
                    )
                }
            };
            if fast != full {
                tallies.disagreements.push(format!(
                    "{} {}: {}\n  fast: {fast:?}\n  full: {full:?}",
                    route.endpoint.key(),
                    direction.as_str(),
                    String::from_utf8_lossy(&payload)
                ));
            }
        }
    }
}

fn example_or_sample(
    sources: &codegen::SpecSources,
    route: &Route<'_>,
    direction: Direction,
) -> Option<Value> {
    let contract = route.contract(direction)?;
    let from_example = route
        .endpoint
        .examples
        .iter()
        .find_map(|example| example.payload(direction))
        .and_then(|payload| sources.get(&payload.file))
        .and_then(|bytes| serde_json::from_slice(bytes).ok());
    Some(from_example.unwrap_or_else(|| sample_object(&contract.object)))
}

#[test]
fn fast_path_and_full_check_give_the_same_findings_on_a_mixed_corpus() {
    let mut tallies = Tallies::default();
    let project = crate::vendor_contracts();
    let kitchen_sink = crate::kitchen_sink_contracts();
    for (sources, contracts) in [&project, &kitchen_sink] {
        let routes = RouteTable::new(contracts, &[]);
        for route in routes.routes() {
            compare_route(
                route,
                |direction| example_or_sample(sources, route, direction),
                &mut tallies,
            );
            compare_route(
                route,
                |direction| {
                    route
                        .contract(direction)
                        .map(|contract| sample_object(&contract.object))
                },
                &mut tallies,
            );
        }
    }
    assert!(
        tallies.disagreements.is_empty(),
        "{} of {} payloads disagree:\n{}",
        tallies.disagreements.len(),
        tallies.payloads,
        tallies
            .disagreements
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(tallies.payloads > 5_000, "{tallies:?}");
    assert!(tallies.vouched_by_fast_path > 500, "{tallies:?}");
    assert!(tallies.vouched_with_findings > 50, "{tallies:?}");
    assert!(tallies.full_check_needed > 2_000, "{tallies:?}");
}

/// The whole pipeline: the fixtures' outcomes do not depend on the path taken.
#[test]
fn fast_and_full_recordings_give_the_same_report() {
    for name in ["mixed.jsonl", "mixed.har"] {
        let bytes = fixture(name);
        let fast = check_bytes(name, &bytes, |_| {});
        let full = check_bytes(name, &bytes, |options| options.check_path = CheckPath::Full);
        assert_eq!(fast.report, full.report, "{name}");
        let without_path_count = |mut statistics: conformance::recorded::RecordingStatistics| {
            statistics.full_checks = 0;
            statistics
        };
        assert_eq!(
            without_path_count(fast.statistics.clone()),
            without_path_count(full.statistics.clone()),
            "{name}"
        );
        assert!(
            fast.statistics.full_checks < full.statistics.full_checks,
            "{name}"
        );
    }
}
