//! The wire runtime (`templates/wire.rs`) and the format patterns (`codegen::formats`) against
//! the `jsonschema` crate: integers agree with `{"type": "integer"}`, each format check agrees
//! exactly with its pattern and is a subset of `"format"`, and the serde helpers tell absent
//! from null.

use std::sync::LazyLock;

use chrono::{FixedOffset, NaiveDate, TimeZone, Timelike};
use codegen::formats::{DATE_PATTERN, DATE_TIME_PATTERN, EMAIL_PATTERN};
use jsonschema::{Draft, Validator};
use proptest::prelude::*;
use serde::Deserialize;
use serde_json::json;

// The object reader (`ReadObject` and its helpers) is also exercised through the generated types.
#[allow(
    dead_code,
    unused_imports,
    unreachable_pub,
    reason = "the runtime's items are the generated crate's public API; the tests use some"
)]
#[path = "../../templates/wire.rs"]
mod wire_under_test;

use wire_under_test::{
    Date, DateTime, Email, FieldKey, FieldKeys, Integer, Json, Map, Number, ReadObject, Value,
    check_at_least_one_of, deserialize_enum, deserialize_object, is_date, is_date_time, is_email,
    is_integral, read_member, required_member,
};

// ---------------------------------------------------------------------------------------------
// jsonschema verdicts
// ---------------------------------------------------------------------------------------------

fn validator(schema: Value) -> Validator {
    jsonschema::options()
        .with_draft(Draft::Draft202012)
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles")
}

/// One format's schemas: the pattern alone, `format` alone, and both with `"type": "string"`.
struct FormatSchemas {
    pattern: Validator,
    format: Validator,
    both: Validator,
}

impl FormatSchemas {
    fn new(format: &str, pattern: &str) -> Self {
        Self {
            pattern: validator(json!({ "pattern": pattern })),
            format: validator(json!({ "format": format })),
            both: validator(json!({ "type": "string", "format": format, "pattern": pattern })),
        }
    }

    /// Checks the three properties the runtime promises for `s`, given its check's verdict.
    fn check(&self, s: &str, accepted: bool) -> Result<(), TestCaseError> {
        let instance = Value::String(s.to_owned());
        prop_assert_eq!(
            self.pattern.is_valid(&instance),
            accepted,
            "pattern disagrees on {:?}",
            s
        );
        prop_assert_eq!(
            self.both.is_valid(&instance),
            accepted,
            "format + pattern disagrees on {:?}",
            s
        );
        if accepted {
            prop_assert!(self.format.is_valid(&instance), "format rejects {:?}", s);
        }
        Ok(())
    }
}

static INTEGER_SCHEMA: LazyLock<Validator> =
    LazyLock::new(|| validator(json!({ "type": "integer" })));
static DATE_SCHEMAS: LazyLock<FormatSchemas> =
    LazyLock::new(|| FormatSchemas::new("date", DATE_PATTERN));
static DATE_TIME_SCHEMAS: LazyLock<FormatSchemas> =
    LazyLock::new(|| FormatSchemas::new("date-time", DATE_TIME_PATTERN));
static EMAIL_SCHEMAS: LazyLock<FormatSchemas> =
    LazyLock::new(|| FormatSchemas::new("email", EMAIL_PATTERN));

/// jsonschema's verdict on `{"type": "integer"}` for the JSON number literal `text`.
fn schema_says_integer(text: &str) -> bool {
    let value: Value = serde_json::from_str(text).expect("a JSON number literal");
    assert!(value.is_number(), "{text} is not a number");
    INTEGER_SCHEMA.is_valid(&value)
}

// ---------------------------------------------------------------------------------------------
// Integer
// ---------------------------------------------------------------------------------------------

/// `(number literal, whole)`.
fn integer_cases() -> Vec<(String, bool)> {
    let fixed: &[(&str, bool)] = &[
        ("0", true),
        ("7", true),
        ("-7", true),
        ("-0", true),
        ("-0.0", true),
        ("7.0", true),
        ("7.000000000000000000000000001", false),
        ("1e3", true),
        ("1E3", true),
        ("1e+3", true),
        ("1e-0", true),
        ("1.5e1", true),
        ("1.25e1", false),
        ("1.5", false),
        ("-1.5", false),
        ("0.1", false),
        ("1e-1", false),
        ("10e-1", true),
        ("100e-2", true),
        ("100e-3", false),
        ("0e-5", true),
        ("0.000e-99", true),
        ("9007199254740993", true),
        ("9223372036854775807", true),
        ("-9223372036854775808", true),
        ("18446744073709551615", true),
        ("18446744073709551616", true),
        ("-18446744073709551616", true),
        ("123456789012345678901234567890123456789", true),
        ("-123456789012345678901234567890123456789", true),
        ("123456789012345678901234567890123456789.0", true),
        ("123456789012345678901234567890123456789.5", false),
        ("1e400", true),
        ("-1e400", true),
        ("1e-400", false),
        ("1.5e-400", false),
        ("4.9e-324", false),
        ("1.7976931348623157e308", true),
        ("1e99999999999999999999", true),
        ("1.5e99999999999999999999", true),
        ("-1e99999999999999999999", true),
        ("1e-99999999999999999999", false),
        ("0e-99999999999999999999", true),
        ("0e99999999999999999999", true),
        ("1e9223372036854775807", true),
        ("1e-9223372036854775808", false),
        ("1e10000", true),
        ("1e-10000", false),
        ("1e10001", true),
        ("1.5e-10001", false),
    ];
    let mut cases: Vec<(String, bool)> = fixed
        .iter()
        .map(|&(text, whole)| (text.to_owned(), whole))
        .collect();
    // Past jsonschema's 10,000-digit budget, which switches it to a text-based decimal.
    let ten_thousand_zeros = "0".repeat(10_001);
    cases.push((format!("1{ten_thousand_zeros}"), true));
    cases.push((format!("1{ten_thousand_zeros}.5"), false));
    cases.push((format!("1{ten_thousand_zeros}.{ten_thousand_zeros}"), true));
    cases.push((format!("1{ten_thousand_zeros}e-10001"), true));
    cases.push((format!("1{ten_thousand_zeros}e-10002"), false));
    cases.push((format!("0.{ten_thousand_zeros}1e10002"), true));
    cases.push((format!("0.{ten_thousand_zeros}1e10001"), false));
    cases
}

#[test]
fn integer_table_agrees_with_jsonschema() {
    for (text, whole) in integer_cases() {
        let short = &text[..text.len().min(40)];
        assert_eq!(is_integral(&text), whole, "is_integral({short})");
        assert_eq!(schema_says_integer(&text), whole, "jsonschema on {short}");
        let parsed = serde_json::from_str::<Integer>(&text);
        assert_eq!(parsed.is_ok(), whole, "Integer from {short}");
        let number: Number = serde_json::from_str(&text).expect("a number");
        assert_eq!(
            Integer::try_from(number).is_ok(),
            whole,
            "TryFrom for {short}"
        );
    }
}

#[test]
fn is_integral_refuses_text_that_is_not_a_json_number() {
    for text in [
        "", "-", "+1", "01", "-01", "1.", ".5", "1e", "1e+", "1.e3", "0x10", "1_000", " 1", "1 ",
        "NaN", "Infinity", "١", "1e3.0", "--1", "1-",
    ] {
        assert!(!is_integral(text), "{text:?}");
        assert!(text.parse::<Integer>().is_err(), "{text:?}");
    }
}

/// The value of a literal as (negative, significant digits, power of ten); zero is `(false,
/// "", 0)`. Two literals denote the same number exactly when these agree.
fn exact_value(text: &str) -> (bool, String, i128) {
    let (mantissa, exponent) = text.split_once(['e', 'E']).unwrap_or((text, "0"));
    let negative = mantissa.starts_with('-');
    let mantissa = mantissa.trim_start_matches('-');
    let (integer, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{integer}{fraction}");
    let significant = digits.trim_start_matches('0').trim_end_matches('0');
    if significant.is_empty() {
        return (false, String::new(), 0);
    }
    let trailing = digits.len() - digits.trim_end_matches('0').len();
    let exponent: i128 = exponent
        .trim_start_matches('+')
        .parse()
        .expect("small exponent");
    let power = exponent - fraction.len() as i128 + trailing as i128;
    (negative, significant.to_owned(), power)
}

#[test]
fn integer_round_trip_keeps_digits_and_value() {
    let cases = [
        "7",
        "-0",
        "7.0",
        "7.000",
        "1e3",
        "1E3",
        "1e+3",
        "1E-0",
        "1.5e1",
        "1.50E+1",
        "-2.5e10",
        "123456789012345678901234567890123456789",
        "-123456789012345678901234567890123456789",
        "100000000000000000000000000000000000000.000",
        "1e400",
        "1e99999999999999999999",
    ];
    for text in cases {
        let integer: Integer = serde_json::from_str(text).expect("an integer");
        let written = serde_json::to_string(&integer).expect("serializes");
        assert_eq!(written, text, "{text} is written back as it was read");
        assert_eq!(integer.to_string(), written, "Display of {text}");
        assert_eq!(exact_value(&written), exact_value(text), "value of {text}");
        // Inside a document too, and stable on a second pass.
        let document =
            serde_json::to_string(&std::collections::BTreeMap::from([("id", &integer)])).unwrap();
        assert_eq!(document, format!(r#"{{"id":{written}}}"#));
        let again: Integer = serde_json::from_str(&written).unwrap();
        assert_eq!(again, integer, "{text}");
    }
}

#[test]
fn integer_converts_to_machine_integers_by_value() {
    let cases: &[(&str, Option<i64>, Option<u64>)] = &[
        ("0", Some(0), Some(0)),
        ("-0", Some(0), Some(0)),
        ("-0.0e5", Some(0), Some(0)),
        ("7", Some(7), Some(7)),
        ("7.0", Some(7), Some(7)),
        ("-7.0", Some(-7), None),
        ("1e3", Some(1000), Some(1000)),
        ("1.5e1", Some(15), Some(15)),
        ("1500e-2", Some(15), Some(15)),
        ("9223372036854775807", Some(i64::MAX), Some(i64::MAX as u64)),
        ("-9223372036854775808", Some(i64::MIN), None),
        ("-92233720368547758.08e2", Some(i64::MIN), None),
        ("9223372036854775808", None, Some(9_223_372_036_854_775_808)),
        ("18446744073709551615", None, Some(u64::MAX)),
        ("1.8446744073709551615e19", None, Some(u64::MAX)),
        ("18446744073709551616", None, None),
        ("-9223372036854775809", None, None),
        ("1e19", None, Some(10_000_000_000_000_000_000)),
        ("1e20", None, None),
        ("123456789012345678901234567890123456789", None, None),
        ("1e400", None, None),
        ("1e99999999999999999999", None, None),
    ];
    for &(text, as_i64, as_u64) in cases {
        let integer: Integer = serde_json::from_str(text).expect("an integer");
        assert_eq!(integer.as_i64(), as_i64, "as_i64 of {text}");
        assert_eq!(integer.as_u64(), as_u64, "as_u64 of {text}");
    }
}

#[test]
fn integer_from_machine_integers() {
    assert_eq!(Integer::from(-7_i64).to_string(), "-7");
    assert_eq!(Integer::from(u64::MAX).to_string(), "18446744073709551615");
    assert_eq!(Integer::from(i32::MIN).as_i64(), Some(i64::from(i32::MIN)));
    assert_eq!(Integer::from(u32::MAX).as_u64(), Some(u64::from(u32::MAX)));
    assert_eq!(serde_json::to_string(&Integer::from(42_u32)).unwrap(), "42");
    assert_eq!(Integer::from(5_i64).as_number(), &Number::from(5));
}

#[test]
fn numbers_convert_to_and_from_serde_jsons_types() {
    let mut map = Map::new();
    map.insert("id".to_owned(), Value::Number(serde_json::Number::from(7)));
    let integer: Integer = serde_json::from_value(map["id"].clone()).unwrap();
    assert_eq!(Value::Object(map), json!({ "id": 7 }));
    assert_eq!(integer.into_number(), Number::from(7));
    assert_eq!(Number::from(serde_json::Number::from(7)).as_str(), "7");
    let number: Number = "1.50".parse().unwrap();
    assert_eq!(number.as_f64(), Some(1.5));
    assert_eq!(
        number.to_value(),
        serde_json::from_str::<Value>("1.50").unwrap()
    );
    assert!("1.".parse::<Number>().is_err());
}

#[test]
fn integer_errors_say_what_was_expected() {
    let cases = [
        ("1.5", "invalid value: number 1.5, expected an integer"),
        (
            "1e-400",
            "invalid value: number 1e-400, expected an integer",
        ),
        (
            r#""7""#,
            "invalid type: string \"7\", expected a JSON number",
        ),
        ("null", "invalid type: null, expected a JSON number"),
    ];
    for (json_text, message) in cases {
        let error = serde_json::from_str::<Integer>(json_text).unwrap_err();
        assert!(
            error.to_string().starts_with(message),
            "{json_text}: {error}"
        );
    }
    let error = Integer::try_from(Number::try_from(0.5).unwrap()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "expected an integer (a JSON number whose value is whole), found 0.5"
    );
}

const ID_39: &str = "233476065495939904005866822871905093425";

/// Through serde's buffering (`flatten`, `untagged`), which this workspace's
/// `arbitrary_precision` keeps exact; the consumer-crate test covers a build without it.
#[test]
fn exact_text_survives_serdes_buffering_with_arbitrary_precision() {
    #[derive(Deserialize)]
    struct Flattened {
        id: Integer,
        #[serde(flatten)]
        rest: std::collections::BTreeMap<String, Json>,
    }
    #[derive(Deserialize)]
    #[serde(untagged)]
    #[allow(dead_code)]
    enum Either {
        Text(String),
        Count(Number),
    }
    let text = format!(r#"{{"id": {ID_39}, "price": 1.50, "nested": {{"n": {ID_39}}}}}"#);
    let flattened: Flattened = serde_json::from_str(&text).unwrap();
    assert_eq!(flattened.id.to_string(), ID_39);
    assert_eq!(flattened.rest["price"].as_str(), "1.50");
    assert_eq!(
        flattened.rest["nested"].as_str(),
        format!(r#"{{"n":{ID_39}}}"#)
    );
    let either: Either = serde_json::from_str(&format!("{ID_39}.0")).unwrap();
    assert!(matches!(either, Either::Count(number) if number.as_str() == format!("{ID_39}.0")));
}

#[test]
fn json_keeps_the_exact_text_and_refuses_what_is_not_json() {
    for text in [
        ID_39,
        "1.50",
        r#""\u05d0 א""#,
        r#"{"b":1,"a":[true,null]}"#,
        "null",
    ] {
        let json: Json = serde_json::from_str(text).unwrap();
        assert_eq!(json.as_str(), text);
        assert_eq!(serde_json::to_string(&json).unwrap(), text);
        let again: Json = serde_json::from_slice(text.as_bytes()).unwrap();
        assert_eq!(again, json);
        let from_reader: Json = serde_json::from_reader(text.as_bytes()).unwrap();
        assert_eq!(from_reader, json);
    }
    assert!(Json::from_text("{").is_err());
    let number_error = serde_json::from_str::<Number>(r#"{"a": 1}"#).unwrap_err();
    assert!(
        number_error
            .to_string()
            .starts_with("invalid type: map, expected a JSON number"),
        "{number_error}"
    );
}

/// JSON number literals biased toward the edges of integer-ness: trailing zeros, fractions of
/// zeros, exponents that cancel them, exponents past `i64` and past jsonschema's digit budget.
fn number_text() -> impl Strategy<Value = String> {
    let integer = prop_oneof![
        Just("0".to_owned()),
        "[1-9][0-9]{0,3}",
        "[1-9][0-9]{0,25}",
        "[1-9][0-9]{0,3}0{1,40}",
    ];
    let fraction = prop_oneof![
        Just(String::new()),
        "\\.0{1,6}",
        "\\.[0-9]{1,6}",
        "\\.[0-9]{1,3}0{1,12}",
    ];
    let exponent = prop_oneof![
        Just(String::new()),
        "[eE][+-]?[0-9]{1,2}",
        "[eE][+-]?0{0,3}[1-9]",
        "[eE][+-]?[0-9]{3,5}",
        "[eE][+-]?[1-9][0-9]{18,24}",
        "[eE]-?10{4}[0-9]",
    ];
    (any::<bool>(), integer, fraction, exponent).prop_map(
        |(negative, integer, fraction, exponent)| {
            format!(
                "{}{integer}{fraction}{exponent}",
                if negative { "-" } else { "" }
            )
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn is_integral_is_jsonschemas_verdict(text in number_text()) {
        let verdict = schema_says_integer(&text);
        prop_assert_eq!(is_integral(&text), verdict, "{}", text);
        let number: Number = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(is_integral(number.as_str()), verdict, "{} stored as {}", text, number);
        prop_assert_eq!(serde_json::from_str::<Integer>(&text).is_ok(), verdict, "{}", text);
    }

    /// Near-numbers: `is_integral` reads the same grammar as `serde_json` (less the whitespace
    /// around a document) and never panics.
    #[test]
    fn is_integral_reads_json_number_grammar(text in "[-+0-9.eE ]{0,10}|\\PC{0,10}") {
        let as_json = serde_json::from_str::<Number>(&text)
            .ok()
            .filter(|_| text.trim() == text)
            .map(|number| schema_says_integer(number.as_str()));
        prop_assert_eq!(is_integral(&text), as_json == Some(true), "{:?}", text);
        prop_assert_eq!(text.parse::<Integer>().is_ok(), as_json == Some(true), "{:?}", text);
    }
}

// ---------------------------------------------------------------------------------------------
// Date
// ---------------------------------------------------------------------------------------------

const DATE_CASES: &[(&str, bool)] = &[
    ("2024-01-31", true),
    ("2024-02-29", true),
    ("2000-02-29", true),
    ("1600-02-29", true),
    ("0400-02-29", true),
    ("0004-02-29", true),
    ("1900-02-29", false),
    ("2100-02-29", false),
    ("2023-02-29", false),
    ("2023-02-28", true),
    ("0000-02-29", false),
    ("0000-01-01", false),
    ("0001-01-01", true),
    ("9999-12-31", true),
    ("2024-04-30", true),
    ("2024-04-31", false),
    ("2024-06-31", false),
    ("2024-09-31", false),
    ("2024-11-31", false),
    ("2024-12-31", true),
    ("2024-02-30", false),
    ("2024-13-01", false),
    ("2024-00-10", false),
    ("2024-01-00", false),
    ("2024-01-32", false),
    ("2024-1-01", false),
    ("2024-01-1", false),
    ("24-01-01", false),
    ("02024-01-01", false),
    ("+2024-01-01", false),
    ("-2024-01-01", false),
    ("2024/01/01", false),
    ("20240101", false),
    ("2024-01-01 ", false),
    (" 2024-01-01", false),
    ("2024-01-01\n", false),
    ("2024-01-01T00:00:00Z", false),
    ("٢٠٢٤-٠١-٠١", false),
    ("２０２４-０１-０１", false),
    ("2024-01-0١", false),
    ("תאריך", false),
    ("ngày 1 tháng 1", false),
    ("", false),
];

#[test]
fn date_table() -> Result<(), TestCaseError> {
    for &(s, valid) in DATE_CASES {
        assert_eq!(is_date(s), valid, "is_date({s:?})");
        assert_eq!(Date::parse(s).is_ok(), valid, "Date::parse({s:?})");
        DATE_SCHEMAS.check(s, valid)?;
        let parsed = serde_json::from_value::<Date>(Value::String(s.to_owned()));
        assert_eq!(parsed.is_ok(), valid, "deserialize {s:?}");
        if let Ok(date) = parsed {
            assert_eq!(
                serde_json::to_value(date).unwrap(),
                Value::String(s.to_owned())
            );
        }
    }
    Ok(())
}

#[test]
fn date_converts_and_serializes_with_four_year_digits() {
    let date = Date::parse("2024-02-29").unwrap();
    assert_eq!(*date, NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
    assert_eq!(NaiveDate::from(date), date.0);
    let early = Date::from(NaiveDate::from_ymd_opt(5, 3, 7).unwrap());
    assert_eq!(serde_json::to_string(&early).unwrap(), r#""0005-03-07""#);
    assert_eq!(early.to_string(), "0005-03-07");
    for year in [0, -1, 10_000, 262_000] {
        let date = Date(NaiveDate::from_ymd_opt(year, 1, 1).unwrap());
        let error = serde_json::to_string(&date).unwrap_err().to_string();
        assert!(
            error.contains("the wire format allows years 0001 to 9999"),
            "{year}: {error}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// DateTime
// ---------------------------------------------------------------------------------------------

const DATE_TIME_CASES: &[(&str, bool)] = &[
    ("2024-01-31T09:30:00Z", true),
    ("2024-01-31t09:30:00z", true),
    ("2024-01-31T09:30:00+00:00", true),
    ("2024-01-31T09:30:00-00:00", true),
    ("2024-01-31T09:30:00+05:30", true),
    ("2024-01-31T09:30:00-23:59", true),
    ("2024-01-31T09:30:00+24:00", false),
    ("2024-01-31T09:30:00+05:60", false),
    ("2024-01-31T09:30:00+0530", false),
    ("2024-01-31T09:30:00+05", false),
    ("2024-01-31T09:30:00", false),
    ("2024-01-31T09:30:00.5Z", true),
    ("2024-01-31T09:30:00.123456789012Z", true),
    ("2024-01-31T09:30:59.99999999999999Z", true),
    ("2024-01-31T09:30:59.999999999999999Z", false),
    ("2024-01-31T09:30:00.Z", false),
    ("2024-01-31T09:30:00,5Z", false),
    ("2024-01-31T09:30Z", false),
    ("2024-01-31T9:30:00Z", false),
    ("2024-01-31T24:00:00Z", false),
    ("2024-01-31T23:60:00Z", false),
    ("2024-01-31T23:59:60Z", false),
    ("2016-12-31T23:59:60Z", false),
    ("2024-02-29T12:00:00Z", true),
    ("2023-02-29T12:00:00Z", false),
    ("1900-02-29T12:00:00Z", false),
    ("2000-02-29T12:00:00Z", true),
    ("0000-01-01T00:00:00Z", false),
    ("0001-01-01T00:00:00+23:59", true),
    ("9999-12-31T23:59:59-23:59", true),
    ("2024-13-01T00:00:00Z", false),
    ("2024-01-31 09:30:00Z", false),
    ("2024-01-31T09:30:00Z ", false),
    ("2024-01-31T09:30:00Z\n", false),
    ("2024-01-31TT09:30:00Z", false),
    ("2024-01-31T09:30:00ZZ", false),
    ("٢٠٢٤-٠١-٠١T09:30:00Z", false),
    ("2024-01-31T٠٩:30:00Z", false),
    ("2024-01-31T09:30:00.١Z", false),
    ("thứ Hai, 31 tháng 1", false),
    ("יום שני", false),
    ("", false),
];

#[test]
fn date_time_table() -> Result<(), TestCaseError> {
    for &(s, valid) in DATE_TIME_CASES {
        assert_eq!(is_date_time(s), valid, "is_date_time({s:?})");
        assert_eq!(DateTime::parse(s).is_ok(), valid, "DateTime::parse({s:?})");
        DATE_TIME_SCHEMAS.check(s, valid)?;
    }
    Ok(())
}

#[test]
fn date_time_round_trip_keeps_the_exact_text() {
    for &(s, valid) in DATE_TIME_CASES {
        if !valid {
            continue;
        }
        let json_text = serde_json::to_string(s).unwrap();
        let date_time: DateTime = serde_json::from_str(&json_text).unwrap();
        assert_eq!(date_time.as_str(), s);
        assert_eq!(date_time.to_string(), s);
        assert_eq!(serde_json::to_string(&date_time).unwrap(), json_text);
        assert_eq!(date_time.clone().into_string(), s);
    }
}

#[test]
fn date_time_value_is_the_instant_with_its_offset() {
    let hours = |h: i32| FixedOffset::east_opt(h * 3600).unwrap();
    /// Local year, month, day, hour, minute, second and nanosecond.
    type Local = (i32, u32, u32, u32, u32, u32, u32);
    let cases: &[(&str, FixedOffset, Local)] = &[
        ("2024-01-31T09:30:00Z", hours(0), (2024, 1, 31, 9, 30, 0, 0)),
        (
            "2024-01-31t09:30:00+00:00",
            hours(0),
            (2024, 1, 31, 9, 30, 0, 0),
        ),
        (
            "2024-01-31T09:30:00.5+05:30",
            FixedOffset::east_opt(19_800).unwrap(),
            (2024, 1, 31, 9, 30, 0, 500_000_000),
        ),
        (
            "2024-01-31T09:30:00.123456789987-01:00",
            hours(-1),
            (2024, 1, 31, 9, 30, 0, 123_456_789),
        ),
        (
            "0001-01-01T00:00:00+23:59",
            FixedOffset::east_opt(86_340).unwrap(),
            (1, 1, 1, 0, 0, 0, 0),
        ),
    ];
    for &(s, offset, (year, month, day, hour, minute, second, nano)) in cases {
        let expected = offset
            .from_local_datetime(
                &NaiveDate::from_ymd_opt(year, month, day)
                    .unwrap()
                    .and_hms_nano_opt(hour, minute, second, nano)
                    .unwrap(),
            )
            .unwrap();
        let value = DateTime::parse(s).unwrap().value();
        assert_eq!(value, expected, "{s}");
        assert_eq!(value.offset(), &offset, "{s}");
        assert_eq!(value.nanosecond(), nano, "{s}");
    }
    // Same instant, different text: equal values, unequal wire strings.
    let zulu = DateTime::parse("2024-01-31T09:30:00Z").unwrap();
    let plus = DateTime::parse("2024-01-31T09:30:00+00:00").unwrap();
    assert_eq!(zulu.value(), plus.value());
    assert_ne!(zulu, plus);
}

#[test]
fn date_time_from_chrono_writes_rfc3339_with_z() {
    let at = |offset_seconds: i32, year: i32, nano: u32| {
        FixedOffset::east_opt(offset_seconds)
            .unwrap()
            .from_local_datetime(
                &NaiveDate::from_ymd_opt(year, 1, 31)
                    .unwrap()
                    .and_hms_nano_opt(9, 30, if nano < 1_000_000_000 { 0 } else { 59 }, nano)
                    .unwrap(),
            )
            .unwrap()
    };
    let cases: &[(chrono::DateTime<FixedOffset>, Option<&str>)] = &[
        (at(0, 2024, 0), Some("2024-01-31T09:30:00Z")),
        (at(0, 2024, 123_000_000), Some("2024-01-31T09:30:00.123Z")),
        (
            at(0, 2024, 123_456_789),
            Some("2024-01-31T09:30:00.123456789Z"),
        ),
        (at(19_800, 2024, 0), Some("2024-01-31T09:30:00+05:30")),
        (at(-3600, 2024, 0), Some("2024-01-31T09:30:00-01:00")),
        (at(0, 1, 0), Some("0001-01-31T09:30:00Z")),
        (at(0, 0, 0), None),
        (at(0, 10_000, 0), None),
        (at(30, 2024, 0), None),
        (at(0, 2024, 1_500_000_000), None),
    ];
    for (value, expected) in cases {
        let converted = DateTime::try_from(*value);
        match expected {
            Some(text) => {
                let converted = converted.expect("converts");
                assert_eq!(converted.as_str(), *text);
                assert_eq!(converted.value(), *value);
                assert_eq!(chrono::DateTime::<FixedOffset>::from(converted), *value);
            }
            None => {
                let error = converted.expect_err("refused").to_string();
                assert!(
                    error.starts_with("expected an RFC 3339 date-time"),
                    "{error}"
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Email
// ---------------------------------------------------------------------------------------------

fn email_cases() -> Vec<(String, bool)> {
    let fixed: &[(&str, bool)] = &[
        ("name@example.com", true),
        ("Name.Surname@Example.COM", true),
        ("a@b.co", true),
        ("a@b.c", true),
        ("a@1.2", true),
        ("a@1.2.3.4", true),
        ("user+tag@example.com", true),
        ("!#$%&'*+-/=?^_`{|}~@example.com", true),
        ("a.b.c@example.com", true),
        ("a@sub-domain.example-host.org", true),
        ("a@a-b-c.d-e", true),
        ("a@example", false),
        ("@example.com", false),
        ("a@", false),
        ("a", false),
        ("", false),
        ("a@@example.com", false),
        ("a@b@example.com", false),
        (".a@example.com", false),
        ("a.@example.com", false),
        ("a..b@example.com", false),
        ("\"a b\"@example.com", false),
        ("\"a\"@example.com", false),
        ("a(comment)@example.com", false),
        ("a b@example.com", false),
        ("a@example.com.", false),
        ("a@.example.com", false),
        ("a@example..com", false),
        ("a@-example.com", false),
        ("a@example-.com", false),
        ("a@ex--ample.com", false),
        ("a@xn--bcher-kva.example", false),
        ("a@ab--cd.com", false),
        ("a@exa_mple.com", false),
        ("a@[127.0.0.1]", false),
        ("a@[IPv6:::1]", false),
        ("Name <name@example.com>", false),
        ("mailto:name@example.com", false),
        (" name@example.com", false),
        ("name@example.com ", false),
        ("name@example.com\n", false),
        ("josé@example.com", false),
        ("name@exämple.com", false),
        ("שלום@example.com", false),
        ("name@דוגמה.com", false),
        ("người.dùng@ví-dụ.vn", false),
        ("١@example.com", false),
    ];
    let mut cases: Vec<(String, bool)> = fixed
        .iter()
        .map(|&(s, valid)| (s.to_owned(), valid))
        .collect();
    let label = |n: usize| "a".repeat(n);
    cases.push((format!("{}@example.com", "x".repeat(64)), true));
    cases.push((format!("{}@example.com", "x".repeat(65)), false));
    cases.push((
        format!("{}.{}@example.com", "x".repeat(31), "y".repeat(32)),
        true,
    ));
    cases.push((
        format!("{}.{}@example.com", "x".repeat(32), "y".repeat(32)),
        false,
    ));
    cases.push((format!("a@{}.com", label(63)), true));
    cases.push((format!("a@{}.com", label(64)), false));
    cases.push((format!("a@com.{}", label(63)), true));
    cases.push((format!("a@com.{}", label(64)), false));
    // 4 labels of 63 and one dot each: 4 * 63 + 3 = 255; trim to the limits.
    let domain_253 = format!("{}.{}.{}.{}", label(63), label(63), label(63), label(61));
    let domain_254 = format!("{}.{}.{}.{}", label(63), label(63), label(63), label(62));
    assert_eq!((domain_253.len(), domain_254.len()), (253, 254));
    cases.push((format!("a@{domain_253}"), true));
    cases.push((format!("a@{domain_254}"), false));
    cases.push((format!("{}@{domain_253}", "x".repeat(64)), true));
    cases
}

#[test]
fn email_table() -> Result<(), TestCaseError> {
    for (s, valid) in email_cases() {
        assert_eq!(is_email(&s), valid, "is_email({s:?})");
        assert_eq!(
            Email::try_from(s.clone()).is_ok(),
            valid,
            "Email::try_from({s:?})"
        );
        assert_eq!(s.parse::<Email>().is_ok(), valid, "parse({s:?})");
        EMAIL_SCHEMAS.check(&s, valid)?;
        if valid {
            let email: Email = serde_json::from_value(Value::String(s.clone())).unwrap();
            assert_eq!(email.as_str(), s);
            assert_eq!(email.to_string(), s);
            assert_eq!(
                serde_json::to_value(&email).unwrap(),
                Value::String(s.clone())
            );
            assert_eq!(email.into_string(), s);
        }
    }
    Ok(())
}

mod formats_and_serde;
