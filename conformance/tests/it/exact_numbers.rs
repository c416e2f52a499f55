//! Numbers are compared exactly: a 39-digit id against `type: string` and `type: integer`, and
//! N against `const`, `minimum` and `maximum` of N−1, where `f64` would hold N and N−1 as the
//! same number.

use conformance::contract::compile_schema;
use serde_json::{Value, json};

/// Parses JSON text the way every check does: from bytes, digits kept.
fn exact(text: &str) -> Value {
    conformance::check::parse_payload(text.as_bytes()).expect("valid JSON")
}

/// `(schema, instance, expected verdict)`.
fn check(cases: &[(Value, &str, bool)]) {
    for (schema, instance, expected) in cases {
        let validator = compile_schema(schema).expect("schema compiles");
        assert_eq!(
            validator.is_valid(&exact(instance)),
            *expected,
            "{instance} against {schema}"
        );
    }
}

const ID: &str = "233476065495939904005866822871905093425";
const ID_MINUS_ONE: &str = "233476065495939904005866822871905093424";

#[test]
fn a_39_digit_id_against_string_and_integer() {
    check(&[
        (json!({"type": "string"}), ID, false),
        (json!({"type": "string"}), &format!("\"{ID}\""), true),
        (json!({"type": "integer"}), ID, true),
        (json!({"type": "integer"}), &format!("{ID}.0"), true),
        (json!({"type": "integer"}), &format!("{ID}.5"), false),
    ]);
}

#[test]
fn n_against_const_minimum_and_maximum_of_n_minus_one() {
    assert_eq!(
        ID.parse::<f64>().ok(),
        ID_MINUS_ONE.parse::<f64>().ok(),
        "the case only matters where f64 cannot tell them apart"
    );
    let below = exact(ID_MINUS_ONE);
    let above = exact("18446744073709551617");
    let u64_max = exact("18446744073709551615");
    check(&[
        (json!({"const": below}), ID, false),
        (json!({"const": below}), ID_MINUS_ONE, true),
        (json!({"minimum": below}), ID, true),
        (json!({"maximum": below}), ID, false),
        (json!({"exclusiveMaximum": exact(ID)}), ID_MINUS_ONE, true),
        (json!({"exclusiveMinimum": exact(ID)}), ID_MINUS_ONE, false),
        (json!({"maximum": u64_max}), "18446744073709551616", false),
        (json!({"minimum": above}), "18446744073709551616", false),
        (json!({"const": exact("0.1")}), "0.10", true),
        (
            json!({"maximum": exact("0.3")}),
            "0.30000000000000001",
            false,
        ),
    ]);
}

/// A finding's value is the exact text: the id's digits, not `2.33e38`.
#[test]
fn a_findings_value_keeps_every_digit() {
    let (_, contracts) = crate::vendor_contracts();
    let contract = contracts
        .body("crm", "tickets.create", codegen::model::Direction::Request)
        .expect("tickets.create has a request");
    let payload = format!("{{\"subject\": \"x\", \"status\": {ID}}}");
    let check = conformance::check::check_payload(contract, payload.as_bytes());
    let status = check
        .findings
        .iter()
        .find(|finding| finding.pointer == "/status")
        .expect("a finding at /status");
    assert_eq!(status.value.as_deref(), Some(ID));
    let json = conformance::report::json::render(&conformance::Report {
        cases: vec![conformance::Case {
            service: "crm".into(),
            endpoint: "tickets.create".into(),
            direction: codegen::model::Direction::Request,
            source: conformance::CaseSource::File {
                path: "x.json".into(),
            },
            spec_path: "spec/crm/tickets.create.yaml".into(),
            findings: check.findings.clone(),
            vanished: Vec::new(),
            latency_ms: None,
        }],
    });
    assert!(json.contains(&format!("\"value\": {ID}")), "{json}");
    assert!(!json.contains("e+38") && !json.contains("e38"), "{json}");
}
