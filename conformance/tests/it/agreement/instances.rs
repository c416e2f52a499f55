//! A body's model in, proptest strategies out that write instances of it as JSON text, so every
//! number's digits and every string's escapes are under control: valid instances, instances
//! with only a response's leniencies, and instances with anything wrong, mixed.

use codegen::model::{Constraints, Enumeration, Field, Object, Shape, UndocumentedFields};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::string::string_regex;

/// How far an instance may stray from its schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Leeway {
    /// Only what the schema accepts (unlisted fields only where the spec allows them).
    SchemaValid,
    /// What the schema accepts, plus unknown enum values and unlisted fields in every object:
    /// the leniencies of response types, which request types refuse.
    LeniencyOnly,
    /// Anything: wrong types, missing required fields, nulls, near-miss numbers and formats,
    /// unlisted fields, at-least-one-of groups left empty.
    Anything,
}

/// Instances of a body: valid ones, lenient ones and ones with anything wrong, mixed.
pub(super) fn body_text(object: &Object) -> BoxedStrategy<String> {
    prop_oneof![
        3 => object_text(object, Leeway::SchemaValid),
        3 => object_text(object, Leeway::LeniencyOnly),
        4 => object_text(object, Leeway::Anything),
        1 => any_json_text(),
    ]
    .boxed()
}

/// Instances of a body the schema accepts.
pub(super) fn valid_body_text(object: &Object) -> BoxedStrategy<String> {
    object_text(object, Leeway::SchemaValid)
}

/// A value of `shape` (or `null` where allowed, or worse under [`Leeway::Anything`]); a value
/// with limits is drawn from the values right at and just past them (the corpus's), valid ones
/// only unless anything goes.
fn value_text(
    shape: &Shape,
    constraints: &Constraints,
    nullable: bool,
    leeway: Leeway,
) -> BoxedStrategy<String> {
    let value = if constraints.is_empty() {
        shape_text(shape, leeway)
    } else {
        limited_text(shape, constraints, leeway)
    };
    match leeway {
        Leeway::SchemaValid | Leeway::LeniencyOnly if nullable => prop_oneof![
            1 => Just("null".to_owned()),
            5 => value,
        ]
        .boxed(),
        Leeway::SchemaValid | Leeway::LeniencyOnly => value,
        Leeway::Anything => prop_oneof![
            12 => value,
            1 => Just("null".to_owned()),
            1 => wrong_type_text(shape),
            1 => any_json_text(),
        ]
        .boxed(),
    }
}

/// Values of a shape with limits: inside them, or with anything allowed, also just past them.
fn limited_text(shape: &Shape, constraints: &Constraints, leeway: Leeway) -> BoxedStrategy<String> {
    let samples = codegen::emit_corpus::limit_samples(shape, constraints);
    let text = |value: &serde_json::Value| serde_json::to_string(value).expect("json writes");
    let valid: Vec<String> = samples
        .iter()
        .filter(|(_, valid)| *valid)
        .map(|(value, _)| text(value))
        .collect();
    let invalid: Vec<String> = samples
        .iter()
        .filter(|(_, valid)| !*valid)
        .map(|(value, _)| text(value))
        .collect();
    if leeway == Leeway::Anything && !invalid.is_empty() {
        prop_oneof![3 => select(valid), 2 => select(invalid), 1 => shape_text(shape, leeway)]
            .boxed()
    } else {
        select(valid).boxed()
    }
}

fn shape_text(shape: &Shape, leeway: Leeway) -> BoxedStrategy<String> {
    let anything = leeway == Leeway::Anything;
    match shape {
        Shape::String => string_text(),
        Shape::Integer if anything => prop_oneof![
            3 => integer_text(),
            1 => fractional_number_text(),
        ]
        .boxed(),
        Shape::Integer => integer_text(),
        Shape::Number => number_text(),
        Shape::Boolean => select(vec!["true", "false"])
            .prop_map(str::to_owned)
            .boxed(),
        Shape::Date if anything => prop_oneof![valid_date_text(), near_miss_date_text()].boxed(),
        Shape::Date => valid_date_text(),
        Shape::DateTime if anything => {
            prop_oneof![valid_date_time_text(), near_miss_date_time_text()].boxed()
        }
        Shape::DateTime => valid_date_time_text(),
        Shape::Email if anything => prop_oneof![valid_email_text(), near_miss_email_text()].boxed(),
        Shape::Email => valid_email_text(),
        Shape::Any => any_json_text(),
        Shape::Enum(enumeration) => enum_text(enumeration, leeway),
        // A list of a shape met again inside itself stays empty: instances have an end.
        Shape::Array(items) if matches!(items.shape, Shape::Recursive(_)) => {
            Just("[]".to_owned()).boxed()
        }
        Shape::Array(items) => vec(
            value_text(&items.shape, &items.constraints, items.nullable, leeway),
            0..4,
        )
        .prop_map(|items| format!("[{}]", items.join(", ")))
        .boxed(),
        Shape::Recursive(_) => Just("null".to_owned()).boxed(),
        Shape::Object(object) => object_text(object, leeway),
        Shape::Union(union) => {
            let variants: Vec<BoxedStrategy<String>> = union
                .variants
                .iter()
                .map(|variant| shape_text(&variant.shape, leeway))
                .collect();
            proptest::strategy::Union::new(variants).boxed()
        }
    }
}

/// A value of another JSON type than `shape` wants.
fn wrong_type_text(shape: &Shape) -> BoxedStrategy<String> {
    match shape {
        Shape::String | Shape::Date | Shape::DateTime | Shape::Email | Shape::Enum(_) => {
            prop_oneof![
                number_text(),
                Just("true".to_owned()),
                Just("[]".to_owned())
            ]
            .boxed()
        }
        Shape::Integer | Shape::Number => prop_oneof![
            Just("\"7\"".to_owned()),
            Just("\"233476065495939904005866822871905093425\"".to_owned()),
            Just("false".to_owned()),
            Just("[1]".to_owned()),
        ]
        .boxed(),
        Shape::Boolean => select(vec!["\"true\"", "1", "0", "\"false\""])
            .prop_map(str::to_owned)
            .boxed(),
        Shape::Array(_) => prop_oneof![string_text(), Just("{}".to_owned())].boxed(),
        Shape::Object(_) => {
            prop_oneof![string_text(), Just("[]".to_owned()), number_text()].boxed()
        }
        Shape::Union(_) => prop_oneof![Just("true".to_owned()), Just("[]".to_owned())].boxed(),
        Shape::Any => any_json_text(),
        Shape::Recursive(_) => prop_oneof![string_text(), Just("[]".to_owned())].boxed(),
    }
}

/// One field: absent, or present with its wire name and value text.
fn field_text(field: &Field, leeway: Leeway) -> BoxedStrategy<Option<(String, String)>> {
    let wire_name = field.wire_name.clone();
    let present = value_text(&field.shape, &field.constraints, field.nullable, leeway)
        .prop_map(move |text| Some((wire_name.clone(), text)));
    let explicit_null = Just(Some((field.wire_name.clone(), "null".to_owned())));
    match (field.required, leeway) {
        (true, Leeway::Anything) => prop_oneof![
            9 => present,
            1 => Just(None),
        ]
        .boxed(),
        (true, _) => present.boxed(),
        (false, Leeway::Anything) => prop_oneof![
            2 => Just(None),
            4 => present,
            1 => explicit_null,
        ]
        .boxed(),
        (false, _) => prop_oneof![
            1 => Just(None),
            2 => present,
        ]
        .boxed(),
    }
}

/// An object of the model: its fields, at-least-one-of groups satisfied unless anything goes,
/// unlisted fields as the leeway allows, members in a shuffled order, keys sometimes written
/// with `\u` escapes.
fn object_text(object: &Object, leeway: Leeway) -> BoxedStrategy<String> {
    let fields: Vec<BoxedStrategy<Option<(String, String)>>> = object
        .fields
        .iter()
        .map(|field| field_text(field, leeway))
        .collect();
    // For each group, one member with a valid value that is not null, put in when the fields
    // drawn leave the group empty.
    let group_fillers: Vec<BoxedStrategy<(String, String)>> = object
        .at_least_one_of
        .iter()
        .map(|group| {
            let members: Vec<BoxedStrategy<(String, String)>> = group
                .iter()
                .filter_map(|name| object.field(name))
                .map(|field| {
                    let wire_name = field.wire_name.clone();
                    value_text(&field.shape, &field.constraints, false, Leeway::SchemaValid)
                        .prop_map(move |text| (wire_name.clone(), text))
                        .boxed()
                })
                .collect();
            proptest::strategy::Union::new(members).boxed()
        })
        .collect();
    let groups = object.at_least_one_of.clone();
    let fill_groups = leeway != Leeway::Anything;
    let unlisted = unlisted_members(object, leeway);
    let members = (fields, group_fillers, unlisted)
        .prop_map(move |(fields, fillers, unlisted)| {
            let mut members: Vec<(String, String)> = fields.into_iter().flatten().collect();
            if fill_groups {
                for (group, (filler_name, filler_text)) in groups.iter().zip(fillers) {
                    let satisfied = members
                        .iter()
                        .any(|(name, text)| group.contains(name) && text != "null");
                    if satisfied {
                        continue;
                    }
                    match members.iter_mut().find(|(name, _)| *name == filler_name) {
                        Some(member) => member.1 = filler_text,
                        None => members.push((filler_name, filler_text)),
                    }
                }
            }
            members.extend(unlisted);
            members
        })
        .prop_shuffle();
    (members, any::<bool>(), select(vec![", ", ",", ",\n  "]))
        .prop_map(|(members, escape_keys, separator)| {
            let members: Vec<String> = members
                .iter()
                .map(|(name, text)| {
                    let key = if escape_keys {
                        ascii_json_string(name)
                    } else {
                        plain_json_string(name)
                    };
                    format!("{key}: {text}")
                })
                .collect();
            format!("{{{}}}", members.join(separator))
        })
        .boxed()
}

/// Members the model does not list: none, or a few, as the leeway and the spec allow.
fn unlisted_members(object: &Object, leeway: Leeway) -> BoxedStrategy<Vec<(String, String)>> {
    let names = unlisted_names(object);
    let some = vec((select(names), any_json_text()), 1..3)
        .prop_map(|mut members| {
            let mut seen = std::collections::BTreeSet::new();
            members.retain(|(name, _)| seen.insert(name.clone()));
            members
        })
        .boxed();
    match leeway {
        Leeway::SchemaValid if object.undocumented_fields == UndocumentedFields::Allow => {
            prop_oneof![2 => Just(Vec::new()), 1 => some].boxed()
        }
        Leeway::SchemaValid => Just(Vec::new()).boxed(),
        Leeway::LeniencyOnly | Leeway::Anything => {
            prop_oneof![1 => Just(Vec::new()), 1 => some].boxed()
        }
    }
}

/// Names an object does not list, chosen to tempt a type into misreading them: listed names in
/// another case (`utm_campaign` → `UTM_CAMPAIGN`), Rust field names that differ from their
/// wire names, the names of the generated catch-alls, JSON Pointer's special characters, and
/// Hebrew, Vietnamese and empty names.
pub(super) fn unlisted_names(object: &Object) -> Vec<String> {
    let mut names: Vec<String> = [
        "extra",
        "undocumented_fields",
        "UnknownValue",
        "",
        " ",
        "a/b~c",
        "$schema",
        "__proto__",
        "שדה_נוסף",
        "trường_mới",
        "null",
        "0",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    for field in &object.fields {
        names.push(field.wire_name.to_uppercase());
        names.push(capitalised(&field.wire_name));
        names.push(field.rust_name.trim_start_matches("r#").to_owned());
        names.push(format!("{} ", field.wire_name));
    }
    names.retain(|name| object.field(name).is_none());
    names.sort();
    names.dedup();
    names
}

/// `utm_campaign` → `Utm_campaign`.
pub(super) fn capitalised(name: &str) -> String {
    let mut characters = name.chars();
    match characters.next() {
        Some(first) => first.to_uppercase().chain(characters).collect(),
        None => String::new(),
    }
}

fn enum_text(enumeration: &Enumeration, leeway: Leeway) -> BoxedStrategy<String> {
    let listed: Vec<String> = enumeration
        .values
        .iter()
        .map(|value| value.wire.clone())
        .collect();
    let listed_text = select(listed.clone())
        .prop_map(|value| plain_json_string(&value))
        .boxed();
    if leeway == Leeway::SchemaValid {
        return listed_text;
    }
    let mut unknown: Vec<String> = ["", "unknown", "UnknownValue", "on_hold", "חדש", "mới"]
        .into_iter()
        .map(str::to_owned)
        .collect();
    for value in &enumeration.values {
        unknown.push(value.wire.to_uppercase());
        unknown.push(value.rust_variant.clone());
        unknown.push(format!("{} ", value.wire));
    }
    unknown.retain(|value| !listed.contains(value));
    unknown.sort();
    unknown.dedup();
    prop_oneof![
        1 => listed_text,
        2 => select(unknown).prop_map(|value| plain_json_string(&value)),
    ]
    .boxed()
}

/// Strings written as they are, to be JSON-escaped one way or another.
const SAMPLE_STRINGS: &[&str] = &[
    "",
    "Alice",
    "שלום עולם",
    "יצירת ליד - בדיקת כפילויות",
    "Nguyễn Văn A",
    "Hà Nội, Nam Từ Liêm",
    "Tạo khách hàng",
    "quote \" backslash \\ slash /",
    "line\nbreak\ttab\rreturn",
    "\u{0}\u{1f}\u{7f}",
    "😀 emoji",
    "\u{200f}rtl mark\u{200e}",
    "e\u{301} combining",
    "233476065495939904005866822871905093425",
    "2024-01-31",
    "null",
    " padded ",
];

/// String literals whose escapes are the point.
const ESCAPED_STRING_LITERALS: &[&str] = &[
    r#""\/path\/to""#,
    r#""\u05e9\u05dc\u05d5\u05dd""#,
    r#""Nguy\u1ec5n""#,
    r#""\ud83d\ude00""#,
    r#""tab\tquote\"backslash\\""#,
    r#""\u0000""#,
    r#""\b\f\n\r\t""#,
];

/// Any string, as a JSON string literal.
pub(super) fn string_text() -> BoxedStrategy<String> {
    let content = prop_oneof![
        3 => select(SAMPLE_STRINGS).prop_map(str::to_owned),
        2 => string_regex("[a-zA-Z0-9 א-תạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]{0,12}")
            .expect("the regex is valid"),
        1 => any::<String>(),
    ];
    prop_oneof![
        6 => (content, any::<bool>()).prop_map(|(text, escape)| if escape {
            ascii_json_string(&text)
        } else {
            plain_json_string(&text)
        }),
        1 => select(ESCAPED_STRING_LITERALS).prop_map(str::to_owned),
    ]
    .boxed()
}

/// Whole numbers as JSON writes them: zero and minus zero, fractions of zeros, exponents,
/// beyond 2^64, 39 digits, `1e400`.
const INTEGER_LITERALS: &[&str] = &[
    "0",
    "-0",
    "7",
    "-7",
    "7.0",
    "-7.00",
    "1e3",
    "1E3",
    "1e+3",
    "1.5e1",
    "12.30e1",
    "0.0",
    "-0.0",
    "0e-5",
    "1e40",
    "6.02214076e23",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775808",
    "-9223372036854775809",
    "12345678901234567890",
    "233476065495939904005866822871905093425",
    "-233476065495939904005866822871905093425",
    "2.33476065495939904005866822871905093425e38",
    "1e400",
    "100000000000000000000000000000000000000000.000",
];

/// Numbers whose value is not whole.
const FRACTIONAL_LITERALS: &[&str] = &[
    "0.5",
    "-1.5",
    "1e-1",
    "123.450e1",
    "7.000001",
    "1e-400",
    "2.5E-3",
    "0.10",
    "1.50",
    "3.14159265358979323846264338327950288419716939937510",
    "233476065495939904005866822871905093425.5",
    "18446744073709551616.25",
];

/// A whole number.
fn integer_text() -> BoxedStrategy<String> {
    prop_oneof![
        3 => select(INTEGER_LITERALS).prop_map(str::to_owned),
        2 => any::<i64>().prop_map(|number| number.to_string()),
        2 => string_regex("-?[1-9][0-9]{0,44}(\\.0{1,3})?([eE]\\+?[0-9]{1,2})?")
            .expect("the regex is valid"),
        1 => string_regex("-?[1-9][0-9]{19,40}").expect("the regex is valid"),
    ]
    .boxed()
}

/// A number that is not whole.
fn fractional_number_text() -> BoxedStrategy<String> {
    prop_oneof![
        1 => select(FRACTIONAL_LITERALS).prop_map(str::to_owned),
        1 => string_regex("-?(0|[1-9][0-9]{0,25})\\.[0-9]{0,20}[1-9]([eE]-[0-9]{1,2})?")
            .expect("the regex is valid"),
    ]
    .boxed()
}

/// Any number, whole or not, with trailing zeros and exponents.
pub(super) fn number_text() -> BoxedStrategy<String> {
    prop_oneof![integer_text(), fractional_number_text()].boxed()
}

/// Dates at the edges of the calendar that are valid.
const VALID_DATES: &[&str] = &[
    "2024-02-29",
    "2000-02-29",
    "0001-01-01",
    "9999-12-31",
    "2023-12-31",
    "2024-04-30",
    "1989-11-03",
];

/// Strings that nearly are dates.
const NEAR_MISS_DATES: &[&str] = &[
    "0000-01-01",
    "2023-02-29",
    "1900-02-29",
    "2024-02-30",
    "2024-04-31",
    "2024-13-01",
    "2024-00-10",
    "2024-01-00",
    "2024-01-32",
    "2024-1-31",
    "24-01-31",
    "2024/01/31",
    " 2024-01-31",
    "2024-01-31\n",
    "２０２４-01-31",
    "10000-01-01",
    "2003-11-21T01:11:11Z",
];

fn valid_date_text() -> BoxedStrategy<String> {
    prop_oneof![
        1 => select(VALID_DATES).prop_map(plain_json_string),
        3 => valid_date().prop_map(|date| plain_json_string(&date)),
    ]
    .boxed()
}

/// `YYYY-MM-DD` with a day every month has.
fn valid_date() -> BoxedStrategy<String> {
    (1_u32..=9999, 1_u32..=12, 1_u32..=28)
        .prop_map(|(year, month, day)| format!("{year:04}-{month:02}-{day:02}"))
        .boxed()
}

fn near_miss_date_text() -> BoxedStrategy<String> {
    prop_oneof![
        1 => select(NEAR_MISS_DATES).prop_map(plain_json_string),
        1 => string_regex("[0-9]{4}-[0-9]{2}-[0-9]{2}")
            .expect("the regex is valid")
            .prop_map(|date| plain_json_string(&date)),
    ]
    .boxed()
}

/// Strings that nearly are date-times.
const NEAR_MISS_DATE_TIMES: &[&str] = &[
    "2024-01-31T24:00:00Z",
    "2024-01-31T23:59:60Z",
    "2016-12-31T23:59:60Z",
    "2024-01-31T09:30:00",
    "2024-01-31 09:30:00Z",
    "2024-01-31T09:30:00+0530",
    "2024-01-31T09:30:00.123456789012345Z",
    "2024-01-31T09:30Z",
    "2024-01-31T09:30:00.Z",
    "2024-01-31T09:30:00+24:00",
    "0000-01-01T00:00:00Z",
    "2024-02-30T00:00:00Z",
    "2024-01-31",
    "2024-01-31T09:30:00Z\n",
];

fn valid_date_time_text() -> BoxedStrategy<String> {
    let fraction = prop_oneof![
        Just(String::new()),
        string_regex("\\.[0-9]{1,14}").expect("the regex is valid"),
    ];
    let offset = prop_oneof![
        Just("Z".to_owned()),
        Just("z".to_owned()),
        (select(vec!['+', '-']), 0_u32..24, 0_u32..60)
            .prop_map(|(sign, hours, minutes)| format!("{sign}{hours:02}:{minutes:02}")),
    ];
    prop_oneof![
        1 => select(vec![
            "1989-11-03T00:00:00.000Z",
            "2024-02-29t23:59:59.99999999999999z",
            "0001-01-01T00:00:00-23:59",
        ])
        .prop_map(plain_json_string),
        4 => (
            valid_date(),
            select(vec!['T', 't']),
            (0_u32..24, 0_u32..60, 0_u32..60),
            fraction,
            offset,
        )
            .prop_map(|(date, separator, (hour, minute, second), fraction, offset)| {
                plain_json_string(&format!(
                    "{date}{separator}{hour:02}:{minute:02}:{second:02}{fraction}{offset}"
                ))
            }),
    ]
    .boxed()
}

fn near_miss_date_time_text() -> BoxedStrategy<String> {
    prop_oneof![
        1 => select(NEAR_MISS_DATE_TIMES).prop_map(plain_json_string),
        1 => string_regex(
            "[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{0,16})?(Z|z|[+-][0-9]{2}:?[0-9]{2})?"
        )
        .expect("the regex is valid")
        .prop_map(|text| plain_json_string(&text)),
    ]
    .boxed()
}

/// Strings that nearly are e-mail addresses.
const NEAR_MISS_EMAILS: &[&str] = &[
    "a@b",
    "a..b@example.com",
    ".a@example.com",
    "a.@example.com",
    "a@-b.com",
    "a@b-.com",
    "a@b..com",
    "a@example.com.",
    "ש@example.com",
    "a@דוגמה.com",
    "a@xn--80ak6aa92e.com",
    "\"quoted\"@example.com",
    "a@[127.0.0.1]",
    "a b@example.com",
    "a@example.com\n",
    "@example.com",
    "a@",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@example.com",
    "a@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com",
    "123123@123123.com",
];

fn valid_email_text() -> BoxedStrategy<String> {
    prop_oneof![
        1 => select(vec![
            "a@b.co",
            "first.last+tag@example.com",
            "O'Brien@example.ie",
            "x@sub-domain.example.org",
            "test@gmail.com",
        ])
        .prop_map(plain_json_string),
        3 => string_regex(
            "[a-z0-9]{1,10}(\\.[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]{1,5}){0,2}@[a-z0-9]{1,8}(-[a-z0-9]{1,4})?(\\.[a-z]{2,6}){1,2}"
        )
        .expect("the regex is valid")
        .prop_map(|text| plain_json_string(&text)),
    ]
    .boxed()
}

fn near_miss_email_text() -> BoxedStrategy<String> {
    prop_oneof![
        2 => select(NEAR_MISS_EMAILS).prop_map(plain_json_string),
        1 => string_regex("[a-z.@-]{1,12}")
            .expect("the regex is valid")
            .prop_map(|text| plain_json_string(&text)),
    ]
    .boxed()
}

/// Keys of `any` objects.
const ANY_OBJECT_KEYS: &[&str] = &["a", "id", "שם", "tên", "", "x y", "0"];

/// Any JSON value, as text: scalars of every kind, lists and objects two levels deep.
pub(super) fn any_json_text() -> BoxedStrategy<String> {
    let leaf = prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("false".to_owned()),
        integer_text(),
        fractional_number_text(),
        string_text(),
    ];
    leaf.prop_recursive(2, 12, 3, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..3).prop_map(|items| format!("[{}]", items.join(", "))),
            vec((select(ANY_OBJECT_KEYS), inner), 0..3).prop_map(|members| {
                let mut seen = std::collections::BTreeSet::new();
                let members: Vec<String> = members
                    .into_iter()
                    .filter(|(key, _)| seen.insert(*key))
                    .map(|(key, text)| format!("{}: {text}", plain_json_string(key)))
                    .collect();
                format!("{{{}}}", members.join(", "))
            }),
        ]
    })
    .boxed()
}

/// `text` as a JSON string literal, non-ASCII characters written as they are.
pub(super) fn plain_json_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string always serializes")
}

/// `text` as a JSON string literal with every non-ASCII character written as `\u` escapes
/// (surrogate pairs beyond the Basic Multilingual Plane).
pub(super) fn ascii_json_string(text: &str) -> String {
    let mut literal = String::from("\"");
    for character in text.chars() {
        match character {
            '"' => literal.push_str("\\\""),
            '\\' => literal.push_str("\\\\"),
            ' '..='~' => literal.push(character),
            _ => {
                let mut units = [0_u16; 2];
                for unit in character.encode_utf16(&mut units) {
                    literal.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    literal.push('"');
    literal
}
