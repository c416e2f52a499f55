//! One test per finding kind: each payload breaks one rule, and the finding names that rule, the
//! JSON Pointer of the offending value, the severity, the value's exact text and the spec line.

use codegen::model::{Direction, KnownDiscrepancy};
use conformance::case::apply_known;
use conformance::check::check_payload;
use conformance::contract::{BodyContract, TypedBody};
use conformance::exchange::{ResponseParts, check_response};
use conformance::{Finding, Rule, Severity};

use crate::kitchen_sink_contracts;

/// A valid `shop/orders.create` request, which each case then breaks in one place.
const VALID_ORDER: &str = r#"{
  "customer_name": "Ada",
  "quantity": 2,
  "placed_at": "2024-02-29T12:30:00Z",
  "contact_email": "ada@example.com",
  "status": "paid"
}"#;

/// `(body, payload, rule, pointer, severity, exact value text)`.
type Case = (
    (&'static str, &'static str, Direction),
    &'static str,
    Rule,
    &'static str,
    Severity,
    Option<&'static str>,
);

const ORDER_REQUEST: (&str, &str, Direction) = ("shop", "orders.create", Direction::Request);
const ORDER_RESPONSE: (&str, &str, Direction) = ("shop", "orders.create", Direction::Response);

fn check(cases: &[Case]) {
    let (_, contracts) = kitchen_sink_contracts();
    for ((service, endpoint, direction), payload, rule, pointer, severity, value) in cases {
        let contract = contracts
            .body(service, endpoint, *direction)
            .expect("the fixture has the body");
        let findings = check_payload(contract, payload.as_bytes()).findings;
        let found = findings.iter().find(|finding| {
            finding.rule == *rule && finding.pointer == *pointer && finding.severity == *severity
        });
        let Some(found) = found else {
            panic!(
                "{payload}\nexpected a `{}` {} at `{pointer}`, found {findings:#?}",
                rule.as_str(),
                severity.as_str()
            );
        };
        assert_eq!(found.value.as_deref(), *value, "value of {found:#?}");
        assert!(
            found.spec_location.is_some(),
            "no spec location in {found:#?}"
        );
        assert!(
            !findings
                .iter()
                .any(|f| f.rule == Rule::GeneratorDisagreement),
            "the schema and the type disagree on {payload}: {findings:#?}"
        );
    }
}

fn order_with(member: &str, value: &str) -> &'static str {
    let mut payload: serde_json::Value =
        conformance::check::parse_payload(VALID_ORDER.as_bytes()).expect("valid JSON");
    payload[member] = conformance::check::parse_payload(value.as_bytes()).expect("valid JSON");
    Box::leak(payload.to_string().into_boxed_str())
}

fn order_without(member: &str) -> &'static str {
    let mut payload: serde_json::Value =
        conformance::check::parse_payload(VALID_ORDER.as_bytes()).expect("valid JSON");
    payload
        .as_object_mut()
        .expect("an object")
        .shift_remove(member);
    Box::leak(payload.to_string().into_boxed_str())
}

#[test]
fn the_valid_order_has_no_findings() {
    let (_, contracts) = kitchen_sink_contracts();
    let contract = contracts
        .body("shop", "orders.create", Direction::Request)
        .expect("body");
    let check = check_payload(contract, VALID_ORDER.as_bytes());
    assert_eq!(check.findings, Vec::<Finding>::new());
    assert!(check.schema_accepts && check.type_accepts);
}

/// Each constructor of an object with `at_least_one_of` groups (one group on the order, with a
/// boxed member, two overlapping ones on a line's options) builds a value the schema accepts; taking a chosen
/// member away again makes serialization refuse the value.
#[test]
fn group_constructors_build_only_what_the_schema_accepts() {
    use codegen_fixture_types::shop::{Customer, OrderLine, OrderLineOptions, OrdersCreateRequest};
    use codegen_fixture_types::wire::{DateTime, Email};
    let (_, contracts) = kitchen_sink_contracts();
    let contract = contracts
        .body("shop", "orders.create", Direction::Request)
        .expect("body");
    let email = || Email::parse("ada@example.com").expect("an address");
    let with_options = |options: OrderLineOptions| {
        let mut line = OrderLine::new("sku-1", 1);
        line.options = Some(options);
        let mut request =
            OrdersCreateRequest::new_with_contact_email("Ada", 2, None::<DateTime>, email());
        request.lines = Some(vec![line]);
        request
    };
    let built = [
        OrdersCreateRequest::new_with_contact_email("Ada", 2, None::<DateTime>, email()),
        OrdersCreateRequest::new_with_phone("Ada", 2, None::<DateTime>, "+84 912 345 678"),
        // A member whose type is boxed (the shape holds itself) is taken unboxed too.
        OrdersCreateRequest::new_with_buyer(
            "Ada",
            2,
            None::<DateTime>,
            Customer {
                name: "Ada".to_owned(),
                tier: None,
                referrer: None,
                friends: None,
                undocumented_fields: Default::default(),
            },
        ),
        with_options(OrderLineOptions::new_with_gift(true)),
        with_options(OrderLineOptions::new_with_card_and_ribbon(
            "Chúc mừng",
            false,
        )),
    ];
    for request in built {
        let payload = serde_json::to_string(&request).expect("a constructor's value serializes");
        let check = check_payload(contract, payload.as_bytes());
        assert_eq!(check.findings, Vec::<Finding>::new(), "{payload}");
        assert!(check.schema_accepts && check.type_accepts, "{payload}");
    }
    let mut broken = OrderLineOptions::new_with_card_and_ribbon("Chúc mừng", false);
    broken.ribbon = None;
    let refused = serde_json::to_string(&with_options(broken)).expect_err("a group is broken");
    assert!(refused.to_string().contains("ribbon"), "{refused}");
}

#[test]
fn wrong_type() {
    check(&[
        (
            ORDER_REQUEST,
            order_with("customer_name", "233476065495939904005866822871905093425"),
            Rule::Type,
            "/customer_name",
            Severity::Error,
            Some("233476065495939904005866822871905093425"),
        ),
        (
            ORDER_REQUEST,
            order_with("quantity", "1.5"),
            Rule::Type,
            "/quantity",
            Severity::Error,
            Some("1.5"),
        ),
        (
            ORDER_REQUEST,
            order_with("phone", "null"),
            Rule::Type,
            "/phone",
            Severity::Error,
            Some("null"),
        ),
        (
            ORDER_REQUEST,
            order_with("discount", "true"),
            Rule::Type,
            "/discount",
            Severity::Error,
            Some("true"),
        ),
        (
            ORDER_REQUEST,
            order_with("tags", "[\"x\", 5]"),
            Rule::Type,
            "/tags/1",
            Severity::Error,
            Some("5"),
        ),
    ]);
}

#[test]
fn required() {
    check(&[
        (
            ORDER_REQUEST,
            order_without("customer_name"),
            Rule::Required,
            "/customer_name",
            Severity::Error,
            None,
        ),
        // Required and nullable: null is fine, absence is not.
        (
            ORDER_REQUEST,
            order_without("placed_at"),
            Rule::Required,
            "/placed_at",
            Severity::Error,
            None,
        ),
        (
            ORDER_REQUEST,
            order_with("lines", "[{\"qty\": 1}]"),
            Rule::Required,
            "/lines/0/sku",
            Severity::Error,
            None,
        ),
    ]);
}

#[test]
fn format() {
    check(&[
        (
            ORDER_REQUEST,
            order_with("ship_on", "\"2003-11-21T01:11:11Z\""),
            Rule::Format,
            "/ship_on",
            Severity::Error,
            Some("\"2003-11-21T01:11:11Z\""),
        ),
        (
            ORDER_REQUEST,
            order_with("ship_on", "\"2023-02-29\""),
            Rule::Format,
            "/ship_on",
            Severity::Error,
            Some("\"2023-02-29\""),
        ),
        (
            ORDER_REQUEST,
            order_with("placed_at", "\"2024-02-29 12:30:00Z\""),
            Rule::Format,
            "/placed_at",
            Severity::Error,
            Some("\"2024-02-29 12:30:00Z\""),
        ),
        (
            ORDER_REQUEST,
            order_with("contact_email", "\"ada at example\""),
            Rule::Format,
            "/contact_email",
            Severity::Error,
            Some("\"ada at example\""),
        ),
    ]);
}

#[test]
fn enumeration() {
    check(&[
        (
            ORDER_REQUEST,
            order_with("status", "\"shipped\""),
            Rule::Enum,
            "/status",
            Severity::Error,
            Some("\"shipped\""),
        ),
        // A response enum keeps a new value (the type accepts it), and the report still says.
        (
            ORDER_RESPONSE,
            r#"{"id": 1, "state": "pending", "message": "m"}"#,
            Rule::Enum,
            "/state",
            Severity::Error,
            Some("\"pending\""),
        ),
    ]);
}

#[test]
fn undocumented_field() {
    check(&[
        (
            ORDER_REQUEST,
            order_with("UTM_SOURCE", "\"פייסבוק\""),
            Rule::UndocumentedField,
            "/UTM_SOURCE",
            Severity::Error,
            Some("\"פייסבוק\""),
        ),
        (
            ORDER_REQUEST,
            order_with(
                "lines",
                "[{\"sku\": \"s\", \"qty\": 1, \"colour\": \"red\"}]",
            ),
            Rule::UndocumentedField,
            "/lines/0/colour",
            Severity::Error,
            Some("\"red\""),
        ),
        (
            ORDER_RESPONSE,
            r#"{"id": 1, "state": "accepted", "message": "m", "server": "Hà Nội"}"#,
            Rule::UndocumentedField,
            "/server",
            Severity::Warning,
            Some("\"Hà Nội\""),
        ),
    ]);
}

#[test]
fn at_least_one_of() {
    check(&[
        (
            ORDER_REQUEST,
            order_without("contact_email"),
            Rule::AtLeastOneOf,
            "",
            Severity::Error,
            None,
        ),
        // A nullable member that is null does not count.
        (
            ORDER_REQUEST,
            order_with("contact_email", "null"),
            Rule::AtLeastOneOf,
            "",
            Severity::Error,
            None,
        ),
        (
            ORDER_RESPONSE,
            r#"{"id": 1, "state": "accepted"}"#,
            Rule::AtLeastOneOf,
            "",
            Severity::Error,
            None,
        ),
    ]);
}

#[test]
fn not_json() {
    let (_, contracts) = kitchen_sink_contracts();
    let contract = contracts
        .body("shop", "orders.create", Direction::Request)
        .expect("body");
    for (payload, says) in [
        ("<html><body>502 Bad Gateway</body></html>", "not JSON"),
        (
            r#"{"customer_name": "Ada", "quantity": 23347606549593990400"#,
            "truncated",
        ),
        ("", "truncated"),
    ] {
        let findings = check_payload(contract, payload.as_bytes()).findings;
        assert_eq!(findings.len(), 1, "{findings:#?}");
        assert_eq!(findings[0].rule, Rule::NotJson);
        assert_eq!(findings[0].pointer, "");
        assert!(
            findings[0].message.contains(says),
            "{}",
            findings[0].message
        );
    }
}

/// A type that refuses what its schema accepts (or the reverse) is reported as a defect of the
/// generator: here the decode functions stand in for a broken generated type.
#[test]
fn generator_disagreement() {
    let (_, contracts) = kitchen_sink_contracts();
    let real = contracts
        .body("shop", "orders.create", Direction::Request)
        .expect("body");
    let real_typed = real.typed.expect("the fixture's compiled type");
    fn refuses(bytes: &[u8]) -> Result<(), serde_json::Error> {
        serde_json::from_slice::<bool>(bytes).map(drop)
    }
    fn accepts(_: &[u8]) -> Result<(), serde_json::Error> {
        Ok(())
    }
    for (decode, payload) in [
        (
            refuses as fn(&[u8]) -> Result<(), serde_json::Error>,
            VALID_ORDER,
        ),
        (accepts, order_without("customer_name")),
    ] {
        let broken = BodyContract {
            service: real.service.clone(),
            endpoint: real.endpoint.clone(),
            direction: real.direction,
            spec_path: real.spec_path.clone(),
            object: real.object.clone(),
            validator: conformance::contract::compile_schema(
                &serde_json::from_str(real_typed.schema).expect("schema is JSON"),
            )
            .expect("schema compiles"),
            typed: Some(TypedBody {
                decode,
                ..real_typed
            }),
            fast: None,
        };
        let findings = check_payload(&broken, payload.as_bytes()).findings;
        assert!(
            findings
                .iter()
                .any(|f| f.rule == Rule::GeneratorDisagreement
                    && f.message.contains("OrdersCreateRequest")),
            "{findings:#?}"
        );
    }
}

#[test]
fn status_and_content_type() {
    let (_, contracts) = kitchen_sink_contracts();
    let (_, endpoint) = contracts.endpoint("shop/orders.create").expect("endpoint");
    let contract = contracts
        .body("shop", "orders.create", Direction::Response)
        .expect("body");
    let body = br#"{"id": 1, "state": "accepted", "message": "ok"}"#;
    let ok = check_response(
        endpoint,
        contract,
        ResponseParts {
            status: 201,
            content_type: Some("application/json; charset=utf-8"),
            body,
        },
    );
    assert_eq!(ok, Vec::<Finding>::new());

    let wrong_status = check_response(
        endpoint,
        contract,
        ResponseParts {
            status: 200,
            content_type: Some("application/json"),
            body,
        },
    );
    assert_eq!(
        wrong_status.iter().map(|f| f.rule).collect::<Vec<_>>(),
        vec![Rule::Status]
    );

    let unauthorized = check_response(
        endpoint,
        contract,
        ResponseParts {
            status: 401,
            content_type: Some("application/json"),
            body: br#"{"error": "bad token"}"#,
        },
    );
    assert_eq!(
        unauthorized.len(),
        1,
        "an error status is not checked against the success body"
    );
    assert!(
        unauthorized[0]
            .message
            .contains("check the environment variable"),
        "{}",
        unauthorized[0].message
    );
    assert_eq!(
        unauthorized[0].value.as_deref(),
        Some(r#""{\"error\": \"bad token\"}""#)
    );

    let html = check_response(
        endpoint,
        contract,
        ResponseParts {
            status: 201,
            content_type: Some("text/html"),
            body: b"<html>oops</html>",
        },
    );
    let rules: Vec<Rule> = html.iter().map(|f| f.rule).collect();
    assert_eq!(rules, vec![Rule::ContentType, Rule::NotJson]);
}

fn known(path: &str, rule: Rule) -> KnownDiscrepancy {
    KnownDiscrepancy {
        path: path.to_owned(),
        rule,
        reason: "recorded".to_owned(),
        location: codegen::SourceLocation::start_of("spec/x.yaml"),
    }
}

/// Known, new, vanished and changed discrepancies, and the wildcard.
#[test]
fn known_new_vanished_and_changed() {
    let finding = |pointer: &str, rule: Rule| Finding::error(pointer, rule, "m");
    let mut findings = vec![
        finding("/a", Rule::Type),
        finding("/b", Rule::Format),
        finding("/data/x", Rule::UndocumentedField),
    ];
    let vanished = apply_known(
        &mut findings,
        &[
            known("/a", Rule::Type),
            known("/b", Rule::Type),
            known("/gone", Rule::Enum),
            known("/data/*", Rule::UndocumentedField),
        ],
    );
    assert!(findings[0].known.is_some(), "exact pointer and rule");
    assert!(
        findings[1].known.is_none(),
        "same pointer, other rule: changed, so new"
    );
    assert!(findings[2].known.is_some(), "wildcard member");
    assert_eq!(
        vanished.iter().map(|v| v.path.as_str()).collect::<Vec<_>>(),
        vec!["/b", "/gone"]
    );

    let case = conformance::Case {
        service: "shop".into(),
        endpoint: "orders.create".into(),
        direction: Direction::Request,
        source: conformance::CaseSource::File {
            path: "x.json".into(),
        },
        spec_path: "spec/shop/orders.create.yaml".into(),
        findings,
        vanished,
        latency_ms: None,
    };
    assert!(case.failed());
    let json = conformance::report::json::render(&conformance::Report { cases: vec![case] });
    assert!(json.contains("\"changed_from\""), "{json}");
    assert!(json.contains("\"pointer\": \"/gone\""), "{json}");
}
