//! Hand-picked payloads in, their expected clause checked: numbers beyond 2^64, `7.0` for an
//! integer, null versus absent, unknown enum values and unlisted fields in both directions,
//! at-least-one-of groups; and the disagreements this test once found, as regressions.

use codegen::model::Direction::{self, Request, Response};
use conformance::Contracts;
use serde_json::Value;

use super::verdict::{Clause, agreement_verdict};
use crate::kitchen_sink_contracts;
use Clause::{
    SchemaAcceptsAndTypeRoundTrips as RoundTripsExactly, TypeKeepsResponseLeniency as LeniencyKept,
    TypeRefusesAndSchemaRefuses as BothRefuse,
};
use Specs::{KitchenSink, Project};

/// Which set of specs and generated types a case runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Specs {
    /// The vendor fixture (the CRM and LadiFlow specs, frozen) and its compiled types.
    Project,
    /// The kitchen-sink fixture and `codegen_fixture_types`.
    KitchenSink,
}

/// One hand-picked payload and the clause it must exercise.
struct RegressionCase {
    what: &'static str,
    specs: Specs,
    service: &'static str,
    endpoint: &'static str,
    direction: Direction,
    json: &'static str,
    expected: Clause,
}

/// A row of `REGRESSION_CASES`.
const fn case(
    what: &'static str,
    specs: Specs,
    (service, endpoint, direction): (&'static str, &'static str, Direction),
    json: &'static str,
    expected: Clause,
) -> RegressionCase {
    RegressionCase {
        what,
        specs,
        service,
        endpoint,
        direction,
        json,
        expected,
    }
}

const ORDERS_CREATE_REQUEST: (&str, &str, Direction) = ("shop", "orders.create", Request);
const ORDERS_CREATE_RESPONSE: (&str, &str, Direction) = ("shop", "orders.create", Response);
const ORDERS_LIST_RESPONSE: (&str, &str, Direction) = ("shop", "orders.list", Response);
const ITEMS_PUSH_REQUEST: (&str, &str, Direction) = ("feed", "items.push", Request);
const ITEMS_PUSH_RESPONSE: (&str, &str, Direction) = ("feed", "items.push", Response);
const LEADS_CREATE_REQUEST: (&str, &str, Direction) = ("crm", "leads.create", Request);
const LEADS_CREATE_RESPONSE: (&str, &str, Direction) = ("crm", "leads.create", Response);
const CUSTOMER_CREATE_REQUEST: (&str, &str, Direction) = ("ladiflow", "customer.create", Request);
const CUSTOMER_CREATE_RESPONSE: (&str, &str, Direction) = ("ladiflow", "customer.create", Response);

#[rustfmt::skip]
const REGRESSION_CASES: &[RegressionCase] = &[
    // Integers: any whole number, of any size, digits kept.
    case("a 39-digit integer", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 233476065495939904005866822871905093425, "placed_at": null, "phone": "1"}"#, RoundTripsExactly),
    case("2^64 as an integer", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 18446744073709551616, "placed_at": null, "phone": "1"}"#, RoundTripsExactly),
    case("an integer below i64::MIN", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": -9223372036854775809, "placed_at": null, "phone": "1"}"#, RoundTripsExactly),
    case("7.0 for an integer", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 7.0, "placed_at": null, "phone": "1"}"#, RoundTripsExactly),
    case("1E3 for an integer", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1E3, "placed_at": null, "phone": "1"}"#, RoundTripsExactly),
    case("1e400 for an integer", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1e400, "placed_at": null, "phone": "1"}"#, RoundTripsExactly),
    case("an exponent beyond u64 for an integer", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1e99999999999999999999, "placed_at": null, "phone": "1"}"#, RoundTripsExactly),
    case("a negative exponent beyond u64 for an integer", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1e-99999999999999999999, "placed_at": null, "phone": "1"}"#, BothRefuse),
    case("-0 for an integer", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": -0, "placed_at": null, "phone": "1"}"#, RoundTripsExactly),
    case("1.5 for an integer", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1.5, "placed_at": null, "phone": "1"}"#, BothRefuse),
    case("1e-1 for an integer", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1e-1, "placed_at": null, "phone": "1"}"#, BothRefuse),
    case("a 39-digit integer in a nested object", KitchenSink, ORDERS_LIST_RESPONSE,
        r#"{"orders": [{"id": 233476065495939904005866822871905093425}]}"#, RoundTripsExactly),
    case("a 39-digit id for a string field", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "placed_at": null, "phone": "1", "_id": 233476065495939904005866822871905093425}"#, BothRefuse),
    // Numbers: exact, beyond 2^64, trailing zeros and exponents kept.
    case("a 39-digit number with a fraction", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "unit_price": 233476065495939904005866822871905093425.50, "placed_at": null, "phone": "1"}"#, RoundTripsExactly),
    case("a number with an upper-case exponent", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "unit_price": 1.50E-3, "placed_at": null, "phone": "1"}"#, RoundTripsExactly),
    case("1e400 for a number", KitchenSink, ITEMS_PUSH_RESPONSE,
        r#"{"code": 1e400}"#, RoundTripsExactly),
    case("a string for a number", KitchenSink, ITEMS_PUSH_RESPONSE,
        r#"{"code": "201"}"#, BothRefuse),
    // Null versus absent.
    case("null for an optional field that is not nullable", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "unit_price": null, "placed_at": null, "phone": "1"}"#, BothRefuse),
    case("a required nullable field absent", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "phone": "1"}"#, BothRefuse),
    case("a required nullable field null", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "placed_at": null, "phone": "1"}"#, RoundTripsExactly),
    case("a required nullable field absent, unlisted fields allowed", KitchenSink, ITEMS_PUSH_REQUEST,
        r#"{"titles": "Đẩy mục"}"#, BothRefuse),
    case("a required nullable field null, unlisted fields allowed", KitchenSink, ITEMS_PUSH_REQUEST,
        r#"{"title": null}"#, RoundTripsExactly),
    case("an optional nullable field null", KitchenSink, ORDERS_CREATE_RESPONSE,
        r#"{"id": 1, "state": "accepted", "eta": null, "message": "m"}"#, RoundTripsExactly),
    case("null for an `any` field", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "placed_at": null, "phone": "1", "note": null}"#, RoundTripsExactly),
    case("a nullable item null", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "placed_at": null, "phone": "1", "tags": [null, "a", null]}"#, RoundTripsExactly),
    case("an item null where items are not nullable", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "placed_at": null, "phone": "1", "lines": [null]}"#, BothRefuse),
    // Enums.
    case("an unknown enum value in a response", KitchenSink, ORDERS_CREATE_RESPONSE,
        r#"{"id": 1, "state": "cancelled", "message": "m"}"#, LeniencyKept),
    case("an unknown enum value in a response's nested object", KitchenSink, ORDERS_LIST_RESPONSE,
        r#"{"orders": [{"id": 1, "state": "Accepted"}]}"#, LeniencyKept),
    case("a number for a response enum", KitchenSink, ORDERS_CREATE_RESPONSE,
        r#"{"id": 1, "state": 5, "message": "m"}"#, BothRefuse),
    case("an unknown enum value in a request", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "placed_at": null, "phone": "1", "status": "cancelled"}"#, BothRefuse),
    case("a Rust variant name for a request enum", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "placed_at": null, "phone": "1", "status": "OnHold"}"#, BothRefuse),
    case("a listed enum value in a request", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "placed_at": null, "phone": "1", "status": "on-hold"}"#, RoundTripsExactly),
    case("an unknown gender in a real response", Project, CUSTOMER_CREATE_RESPONSE,
        r#"{"data": {"gender": "other"}, "message": "ok", "code": 201}"#, LeniencyKept),
    case("an unknown gender in a real request", Project, CUSTOMER_CREATE_REQUEST,
        r#"{"email": "a", "gender": "other"}"#, BothRefuse),
    // Limits: only the schema checks them (the type reads the value and keeps its digits), and
    // a 39-digit bound compares exactly.
    case("an integer at its 39-digit maximum", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "placed_at": null, "phone": "1", "units": 233476065495939904005866822871905093425}"#, RoundTripsExactly),
    case("an integer one past its 39-digit maximum", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "placed_at": null, "phone": "1", "units": 233476065495939904005866822871905093426}"#, LeniencyKept),
    case("a number at its exclusive maximum", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "placed_at": null, "phone": "1", "rate": 1.0}"#, LeniencyKept),
    case("a string off its pattern", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "placed_at": null, "phone": "1", "coupon": "abc-1234"}"#, LeniencyKept),
    case("a string on its pattern", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "placed_at": null, "phone": "1", "coupon": "ABC-1234"}"#, RoundTripsExactly),
    case("a repeated item where items differ", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "placed_at": null, "phone": "1", "codes": ["a", "a"]}"#, LeniencyKept),
    case("a wrong type where a limit applies", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "placed_at": null, "phone": "1", "units": "7"}"#, BothRefuse),
    // Shared shapes: one Rust type for requests and responses, which keeps unknown values.
    case("a recursive shape three levels deep", KitchenSink, ORDERS_CREATE_RESPONSE,
        r#"{"id": 1, "state": "accepted", "message": "m", "customer": {"name": "A", "referrer": {"name": "B", "referrer": {"name": "C", "referrer": null}}, "friends": [{"name": "D", "tier": "vàng"}]}}"#, RoundTripsExactly),
    case("a shared enum's unknown value inside a recursive shape", KitchenSink, ORDERS_CREATE_RESPONSE,
        r#"{"id": 1, "state": "accepted", "message": "m", "customer": {"name": "A", "referrer": {"name": "B", "tier": "kim cương"}}}"#, LeniencyKept),
    case("a shared shape missing its required field deep inside", KitchenSink, ORDERS_CREATE_RESPONSE,
        r#"{"id": 1, "state": "accepted", "message": "m", "customer": {"name": "A", "friends": [{"tier": "bạc"}]}}"#, BothRefuse),
    case("a shared shape's unknown value in a request", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "placed_at": null, "phone": "1", "buyer": {"name": "A", "tier": "kim cương"}}"#, LeniencyKept),
    // Unlisted fields.
    case("an unlisted field in a response that forbids them", KitchenSink, ORDERS_LIST_RESPONSE,
        r#"{"orders": [], "next": 233476065495939904005866822871905093425}"#, LeniencyKept),
    case("an unlisted field and an unknown value in a nested response object", KitchenSink, ORDERS_LIST_RESPONSE,
        r#"{"orders": [{"id": 1, "state": "lost", "שם": "ש"}], "next": null}"#, LeniencyKept),
    case("an unlisted field in a response that allows them", KitchenSink, ORDERS_CREATE_RESPONSE,
        r#"{"id": 1, "state": "accepted", "message": "m", "extra": [1e400, -0, "Nguyễn"]}"#, RoundTripsExactly),
    case("an unlisted field in a forbidding request", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "placed_at": null, "phone": "1", "UTM_SOURCE": "x"}"#, BothRefuse),
    case("a Rust field name in a forbidding request", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "placed_at": null, "phone": "1", "hebrew_name": "x"}"#, BothRefuse),
    case("an unlisted field in a forbidding nested request object", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "placed_at": null, "phone": "1", "lines": [{"sku": "a", "qty": 1, "x": 1}]}"#, BothRefuse),
    case("an unlisted field in an allowing nested request object", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "placed_at": null, "phone": "1", "lines": [{"sku": "a", "qty": 1, "options": {"gift": true, "wrap": 1.50}}]}"#, RoundTripsExactly),
    case("an unlisted field in an allowing request", KitchenSink, ITEMS_PUSH_REQUEST,
        r#"{"title": "Đẩy mục", "priority": 18446744073709551616}"#, RoundTripsExactly),
    case("a listed name in upper case in a real request", Project, LEADS_CREATE_REQUEST,
        r#"{"name": "ליד", "f_name": "דנה", "phone": "050", "UTM_CAMPAIGN": "טופס תחתון"}"#, BothRefuse),
    case("a 39-digit id as a number in a real response", Project, LEADS_CREATE_RESPONSE,
        r#"{"id": 233476065495939904005866822871905093425, "lead_status": "1", "message": "ok"}"#, BothRefuse),
    // At least one of.
    case("at least one of: by the second member", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "placed_at": null, "phone": "1"}"#, RoundTripsExactly),
    case("at least one of: by the nullable member", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "placed_at": null, "contact_email": "a@b.co"}"#, RoundTripsExactly),
    case("at least one of: unsatisfied", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "placed_at": null}"#, BothRefuse),
    case("at least one of: only by null", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "placed_at": null, "contact_email": null}"#, BothRefuse),
    case("at least one of: null and a value", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "placed_at": null, "contact_email": null, "phone": ""}"#, RoundTripsExactly),
    case("at least one of in a response: satisfied", KitchenSink, ORDERS_CREATE_RESPONSE,
        r#"{"id": 1, "state": "accepted", "eta": "2024-01-31T09:30:00Z"}"#, RoundTripsExactly),
    case("at least one of in a response: only by null", KitchenSink, ORDERS_CREATE_RESPONSE,
        r#"{"id": 1, "state": "accepted", "eta": null}"#, BothRefuse),
    case("at least one of in a response: unsatisfied, with a leniency", KitchenSink, ORDERS_CREATE_RESPONSE,
        r#"{"id": 1, "state": "cancelled"}"#, BothRefuse),
    case("at least one of in a real request: unsatisfied", Project, CUSTOMER_CREATE_REQUEST,
        r#"{"full_name": "Nguyễn Văn A"}"#, BothRefuse),
    // Formats.
    case("a date-time with 14 fraction digits", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "placed_at": "2024-02-29t23:59:59.99999999999999z", "phone": "1"}"#, RoundTripsExactly),
    case("a date-time with 15 fraction digits", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "placed_at": "2024-01-31T09:30:00.123456789012345Z", "phone": "1"}"#, BothRefuse),
    case("a leap day", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "placed_at": null, "phone": "1", "ship_on": "2024-02-29"}"#, RoundTripsExactly),
    case("a leap day in a common year", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "placed_at": null, "phone": "1", "ship_on": "2023-02-29"}"#, BothRefuse),
    case("a date-time for a date", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "placed_at": null, "phone": "1", "ship_on": "2003-11-21T01:11:11Z"}"#, BothRefuse),
    case("an e-mail domain with a doubled hyphen", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "placed_at": null, "contact_email": "a@xn--80ak6aa92e.com"}"#, BothRefuse),
    // Unions, `any`, names and text.
    case("a union's number beyond 2^64", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "placed_at": null, "phone": "1", "discount": 233476065495939904005866822871905093425.5}"#, RoundTripsExactly),
    case("a union's string", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "placed_at": null, "phone": "1", "discount": "10%"}"#, RoundTripsExactly),
    case("a union matching no variant", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "placed_at": null, "phone": "1", "discount": true}"#, BothRefuse),
    case("a response union's object with an unlisted field, and its string", KitchenSink, ORDERS_CREATE_RESPONSE,
        r#"{"id": 1, "state": "accepted", "message": "m", "items": [{"sku": "a", "x": 1e400}, "b"]}"#, RoundTripsExactly),
    case("a response union's object without its required field", KitchenSink, ORDERS_CREATE_RESPONSE,
        r#"{"id": 1, "state": "accepted", "message": "m", "items": [{"x": 1}]}"#, BothRefuse),
    case("a real response union's boolean", Project, CUSTOMER_CREATE_RESPONSE,
        r#"{"data": {"external_data": [{"name": "n", "value": true}]}, "message": "ok", "code": 201}"#, RoundTripsExactly),
    case("deep `any` values", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "placed_at": null, "phone": "1", "note": {"deep": [1e400, -0.0, null, {"ש": "Hà Nội"}]}}"#, RoundTripsExactly),
    case("a Hebrew wire name written with escapes", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "\u05d3\u05e0\u05d4", "quantity": 1, "placed_at": null, "phone": "1", "\u05e9\u05dd": "\ud83d\ude00 \/"}"#, RoundTripsExactly),
    case("control characters and escapes in text", KitchenSink, ITEMS_PUSH_REQUEST,
        r#"{"title": "\u0000\b\f\n\r\t\"\\ Tạo khách hàng"}"#, RoundTripsExactly),
    case("a body that is a list", KitchenSink, ORDERS_LIST_RESPONSE,
        r#"[{"orders": []}]"#, BothRefuse),
    case("a lone surrogate escape", KitchenSink, ITEMS_PUSH_REQUEST,
        r#"{"title": "\udc00"}"#, Clause::NotJsonRefusedByBoth),
    case("text that is not json", KitchenSink, ORDERS_LIST_RESPONSE,
        r#"{"orders": [}"#, Clause::NotJsonRefusedByBoth),
    // Once disagreements, now fixed: a struct without a flattened map read a JSON array
    // positionally (now refused: `wire::MapOnly`), and a member named twice passed the schema,
    // which sees only the last value (now a `duplicate-key` finding the type agrees with).
    case("a forbidding nested request object sent as a list", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "quantity": 1, "placed_at": null, "phone": "1", "lines": [["sku", 1]]}"#, BothRefuse),
    case("a real request's nested object sent as a list", Project, CUSTOMER_CREATE_REQUEST,
        r#"{"phone": "1", "custom_fields": [["a", "b"]]}"#, BothRefuse),
    case("a real request body sent as a one-item list", Project, CUSTOMER_CREATE_REQUEST,
        r#"["a"]"#, BothRefuse),
    case("a real request body sent as a list", Project, ("crm", "tickets.create", Request),
        r#"["a", "b", "c", "d", "e", "f", "g", "h", "i"]"#, BothRefuse),
    case("a listed field twice in a request", KitchenSink, ORDERS_CREATE_REQUEST,
        r#"{"customer_name": "a", "customer_name": "b", "quantity": 1, "placed_at": null, "phone": "1"}"#, BothRefuse),
    case("a listed field twice in a response", KitchenSink, ORDERS_CREATE_RESPONSE,
        r#"{"id": 1, "id": 2, "state": "accepted", "message": "m"}"#, BothRefuse),
];

fn contracts_of(specs: Specs) -> Contracts {
    match specs {
        Project => crate::vendor_contracts().1,
        KitchenSink => kitchen_sink_contracts().1,
    }
}

/// Every number's text in a value, as `serde_json` keeps it.
fn number_texts(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Number(number) => out.push(number.as_str().to_owned()),
        Value::Array(items) => items.iter().for_each(|item| number_texts(item, out)),
        Value::Object(members) => members
            .values()
            .for_each(|member| number_texts(member, out)),
        _ => {}
    }
}

#[test]
fn regression_cases_exercise_their_clause() {
    let project = contracts_of(Project);
    let kitchen_sink = contracts_of(KitchenSink);
    let mut failures = Vec::new();
    for case in REGRESSION_CASES {
        let contracts = match case.specs {
            Project => &project,
            KitchenSink => &kitchen_sink,
        };
        let contract = contracts
            .body(case.service, case.endpoint, case.direction)
            .unwrap_or_else(|| {
                panic!(
                    "no body {}/{} {:?}",
                    case.service, case.endpoint, case.direction
                )
            });
        let label = format!(
            "{} ({}/{} {}): {}",
            case.what,
            case.service,
            case.endpoint,
            case.direction.as_str(),
            case.json
        );
        match agreement_verdict(contract, case.json.as_bytes()) {
            Err(disagreement) => {
                failures.push(format!("{label}\n  disagreement: {}", disagreement.message))
            }
            Ok(clause) if clause != case.expected => failures.push(format!(
                "{label}\n  expected {}, exercised {}",
                case.expected.label(),
                clause.label()
            )),
            Ok(Clause::SchemaAcceptsAndTypeRoundTrips | Clause::TypeKeepsResponseLeniency) => {
                // The digits of every number are in the text written back, as they were read
                // (both sides spelled as `serde_json` keeps a number: `1E3` as `1e+3`).
                let written = (contract
                    .typed
                    .expect("contracts with compiled types")
                    .round_trip)(case.json.as_bytes())
                .expect("the verdict ran the round trip");
                let written = String::from_utf8(written).expect("serde_json writes utf-8");
                let input: Value = serde_json::from_str(case.json).expect("the case is json");
                let output: Value = serde_json::from_str(&written).expect("the output is json");
                let mut numbers = Vec::new();
                number_texts(&input, &mut numbers);
                let mut written_numbers = Vec::new();
                number_texts(&output, &mut written_numbers);
                for number in numbers {
                    if !written_numbers.contains(&number) {
                        failures.push(format!("{label}\n  the number {number} is not in the text written back: {written}"));
                    }
                }
            }
            Ok(_) => {}
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} regression cases failed:\n{}",
        failures.len(),
        REGRESSION_CASES.len(),
        failures.join("\n")
    );
    for clause in [
        RoundTripsExactly,
        BothRefuse,
        LeniencyKept,
        Clause::NotJsonRefusedByBoth,
    ] {
        assert!(
            REGRESSION_CASES.iter().any(|case| case.expected == clause),
            "the table has no case for {}",
            clause.label()
        );
    }
}
