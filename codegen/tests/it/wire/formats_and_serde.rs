//! The wire runtime, continued: format proptests (the runtime's check is exactly the schema's
//! verdict), serde error messages, absent versus null, required and nullable, objects only (the
//! object reader written as the generator writes it), enumerations through their text.

use super::*;

// ---------------------------------------------------------------------------------------------
// Format proptests: the check is exactly the schema's verdict, and a subset of `format`
// ---------------------------------------------------------------------------------------------

/// `s` with one edit at `at` (a fraction of its length): a character replaced, inserted or
/// removed.
fn mutate(s: &str, edit: u8, at: f64, with: char) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    let index = ((chars.len() as f64) * at) as usize;
    match edit % 3 {
        0 if index < chars.len() => chars[index] = with,
        1 => chars.insert(index.min(chars.len()), with),
        _ if index < chars.len() => {
            chars.remove(index);
        }
        _ => chars.push(with),
    }
    chars.into_iter().collect()
}

/// `base` unchanged, or (about a third of the time) with one edit drawn from `alphabet`.
fn maybe_mutated(
    base: impl Strategy<Value = String>,
    alphabet: &'static str,
) -> impl Strategy<Value = String> {
    let alphabet: Vec<char> = alphabet.chars().collect();
    (
        base,
        proptest::bool::weighted(0.35),
        any::<u8>(),
        0.0..1.0_f64,
        proptest::sample::select(alphabet),
    )
        .prop_map(|(base, edit, kind, at, with)| {
            if edit {
                mutate(&base, kind, at, with)
            } else {
                base
            }
        })
}

fn date_text() -> impl Strategy<Value = String> {
    // Years that test the leap rule: divisible by 4, by 100, by 400, and year zero.
    let leap_edge = || {
        prop_oneof![
            "[0-9]{2}00",
            "[0-9]{2}[0-9][048]",
            proptest::sample::select(vec![
                "0000", "0001", "0004", "0100", "0200", "0400", "0800", "1600", "1700", "1900",
                "2000", "2023", "2024", "2100", "2400", "9600", "9700", "9996", "9999",
            ])
            .prop_map(str::to_owned),
        ]
    };
    let year = prop_oneof![1 => "[0-9]{4}", 1 => leap_edge()];
    let month = prop_oneof![
        2 => "0[0-9]|1[0-3]|[0-9]{2}",
        2 => proptest::sample::select(vec!["01", "02", "04", "06", "09", "11", "12"])
            .prop_map(str::to_owned),
    ];
    let day = prop_oneof![
        2 => "0[0-9]|[12][0-9]|3[0-2]|[0-9]{2}",
        3 => proptest::sample::select(vec!["00", "01", "28", "29", "30", "31", "32"])
            .prop_map(str::to_owned),
    ];
    let shaped = (year, month, day).prop_map(|(y, m, d)| format!("{y}-{m}-{d}"));
    let end_of_february = (
        leap_edge(),
        proptest::sample::select(vec!["28", "29", "30"]),
    )
        .prop_map(|(year, day)| format!("{year}-02-{day}"));
    prop_oneof![
        6 => maybe_mutated(shaped, "0123456789-/T ٢\n"),
        3 => end_of_february,
        1 => "[0-9-]{8,12}",
        1 => "\\PC{0,12}",
    ]
}

fn date_time_text() -> impl Strategy<Value = String> {
    let date = prop_oneof![
        3 => "[0-9]{3}[1-9]-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])",
        2 => date_text(),
    ];
    let separator = prop_oneof![4 => "[Tt]", 1 => "[ _]"];
    let time = prop_oneof![
        3 => "([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]",
        1 => "([01][0-9]|2[0-5]):([0-5][0-9]|6[0-1]):([0-5][0-9]|6[0-1])",
        1 => "23:59:(59|60)",
    ];
    let fraction = prop_oneof![
        2 => Just(String::new()),
        2 => "\\.[0-9]{1,3}",
        1 => "\\.[0-9]?",
        1 => "\\.[0-9]{10,16}",
        1 => "\\.9{13,16}",
    ];
    let offset = prop_oneof![
        3 => "[Zz]",
        3 => "[+-]([01][0-9]|2[0-3]):[0-5][0-9]",
        1 => "[+-]([01][0-9]|2[0-5]):([0-5][0-9]|6[0-1])",
        1 => "[+-][0-9]{2}:?[0-9]{0,2}",
        1 => Just(String::new()),
    ];
    let shaped = (date, separator, time, fraction, offset).prop_map(
        |(date, sep, time, fraction, offset)| format!("{date}{sep}{time}{fraction}{offset}"),
    );
    prop_oneof![
        8 => maybe_mutated(shaped, "0123456789-:.+TtZz ٩\n"),
        1 => "[0-9T:.Z+-]{18,30}",
        1 => "\\PC{0,30}",
    ]
}

fn email_text() -> impl Strategy<Value = String> {
    let local = prop_oneof![
        4 => "[a-z0-9]{1,8}(\\.[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]{1,8}){0,3}",
        1 => "[a-z.]{60,70}",
        1 => "[a-z]{62,66}",
        1 => "[a-zA-Z0-9!#$%&'*+/=?^_`{|}~.\"(),:;<>@\\[\\] é-]{0,10}",
    ];
    let label = prop_oneof![
        12 => "[a-z0-9]{1,8}",
        2 => "[a-zA-Z0-9-]{1,8}",
        1 => "[a-z0-9]{2}--[a-z0-9]{1,4}",
        1 => "xn--[a-z0-9]{1,8}",
        1 => "[a-z]{60,66}",
        1 => "[0-9]{1,3}",
        1 => "[a-z_é]{1,4}",
    ];
    let domain = prop_oneof![
        8 => proptest::collection::vec(label, 1..6).prop_map(|labels| labels.join(".")),
        // Four long labels: 247 to 255 characters, around the 253 limit.
        2 => proptest::collection::vec("[a-z0-9]{61,63}", 4).prop_map(|labels| labels.join(".")),
        1 => "\\[[0-9.]{7,15}\\]",
        1 => "[a-z.-]{0,10}",
    ];
    let shaped = (local, domain).prop_map(|(local, domain)| format!("{local}@{domain}"));
    prop_oneof![
        8 => maybe_mutated(shaped, "a0.-@_\" é\n"),
        1 => "\\PC{0,20}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn is_date_is_the_schemas_verdict(s in date_text()) {
        let accepted = is_date(&s);
        DATE_SCHEMAS.check(&s, accepted)?;
        let read = serde_json::from_value::<Date>(Value::String(s.clone()));
        prop_assert_eq!(read.is_ok(), accepted);
        if let Err(error) = read {
            prop_assert!(error.to_string().contains("expected a date as YYYY-MM-DD"), "{}", error);
        }
    }

    #[test]
    fn is_date_time_is_the_schemas_verdict(s in date_time_text()) {
        let accepted = is_date_time(&s);
        DATE_TIME_SCHEMAS.check(&s, accepted)?;
        let read = serde_json::from_value::<DateTime>(Value::String(s.clone()));
        prop_assert_eq!(read.is_ok(), accepted);
        match read {
            Ok(date_time) => prop_assert_eq!(date_time.as_str(), s.as_str()),
            Err(error) => prop_assert!(
                error.to_string().contains("expected an RFC 3339 date-time"),
                "{}",
                error
            ),
        }
    }

    #[test]
    fn is_email_is_the_schemas_verdict(s in email_text()) {
        let accepted = is_email(&s);
        EMAIL_SCHEMAS.check(&s, accepted)?;
        let read = serde_json::from_value::<Email>(Value::String(s.clone()));
        prop_assert_eq!(read.is_ok(), accepted);
        if let Err(error) = read {
            prop_assert!(error.to_string().contains("expected an e-mail address"), "{}", error);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Serde errors
// ---------------------------------------------------------------------------------------------

#[test]
fn format_errors_say_what_was_expected() {
    fn error<T: for<'de> Deserialize<'de> + std::fmt::Debug>(json_text: &str) -> String {
        serde_json::from_str::<T>(json_text)
            .unwrap_err()
            .to_string()
    }
    let cases = [
        (
            error::<Date>(r#""2024-02-30""#),
            r#"invalid value: string "2024-02-30", expected a date as YYYY-MM-DD with a year from 0001 to 9999"#,
        ),
        (
            error::<Date>("20240101"),
            "invalid type: integer `20240101`, expected a date as YYYY-MM-DD",
        ),
        (
            error::<DateTime>(r#""2024-01-31T09:30:00""#),
            r#"invalid value: string "2024-01-31T09:30:00", expected an RFC 3339 date-time such as 2024-01-31T09:30:00Z"#,
        ),
        (
            error::<DateTime>("null"),
            "invalid type: null, expected an RFC 3339 date-time",
        ),
        (
            error::<Email>(r#""name@localhost""#),
            r#"invalid value: string "name@localhost", expected an e-mail address such as name@example.com"#,
        ),
        (
            error::<Email>("[]"),
            "invalid type: sequence, expected an e-mail address",
        ),
    ];
    for (actual, expected) in cases {
        assert!(
            actual.starts_with(expected),
            "{actual}\n  does not start with\n{expected}"
        );
    }
    let long = format!("{}@", "x".repeat(200));
    let message = long.parse::<Email>().unwrap_err().to_string();
    assert!(
        message.ends_with(&format!("found \"{}…\"", "x".repeat(80))),
        "{message}"
    );
    assert_eq!(
        "2024-1-1".parse::<Date>().unwrap_err().expected(),
        "a date as YYYY-MM-DD with a year from 0001 to 9999"
    );
}

// ---------------------------------------------------------------------------------------------
// Absent versus null
// ---------------------------------------------------------------------------------------------

/// Read as the generator writes a request object's reader: optional members that refuse null
/// (`name`, `born`), optional nullable ones (`note`, `count`), no unlisted member.
#[derive(Debug, PartialEq)]
struct Patch {
    name: Option<String>,
    born: Option<Date>,
    note: Option<Option<String>>,
    count: Option<Option<Integer>>,
}

impl ReadObject for Patch {
    const EXPECTING: &'static str = "struct Patch";
    const FIELDS: &'static [&'static str] = &["name", "born", "note", "count"];

    fn read<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let mut name: Option<String> = None;
        let mut born: Option<Date> = None;
        let mut note: Option<Option<String>> = None;
        let mut count: Option<Option<Integer>> = None;
        while let Some(key) = map.next_key_seed(FieldKeys(Self::FIELDS))? {
            match key {
                FieldKey::Listed(0) => read_member(&mut map, &mut name, "name")?,
                FieldKey::Listed(1) => read_member(&mut map, &mut born, "born")?,
                FieldKey::Listed(2) => read_member(&mut map, &mut note, "note")?,
                FieldKey::Listed(3) => read_member(&mut map, &mut count, "count")?,
                FieldKey::Listed(_) => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
                FieldKey::Unlisted(other) => {
                    return Err(serde::de::Error::unknown_field(&other, Self::FIELDS));
                }
            }
        }
        Ok(Self {
            name,
            born,
            note,
            count,
        })
    }
}

impl<'de> Deserialize<'de> for Patch {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_object(deserializer)
    }
}

#[test]
fn present_and_nullable_tell_absent_from_null() {
    let ok = |name: Option<&str>, note: Option<Option<&str>>| Patch {
        name: name.map(str::to_owned),
        born: None,
        note: note.map(|note| note.map(str::to_owned)),
        count: None,
    };
    let cases: &[(&str, Result<Patch, &str>)] = &[
        ("{}", Ok(ok(None, None))),
        (r#"{"name":"Ada"}"#, Ok(ok(Some("Ada"), None))),
        (
            r#"{"name":null}"#,
            Err("invalid type: null, expected a string"),
        ),
        (
            r#"{"name":5}"#,
            Err("invalid type: integer `5`, expected a string"),
        ),
        (r#"{"note":null}"#, Ok(ok(None, Some(None)))),
        (r#"{"note":"hi"}"#, Ok(ok(None, Some(Some("hi"))))),
        (
            r#"{"note":false}"#,
            Err("invalid type: boolean `false`, expected a string"),
        ),
        (
            r#"{"name":"Ada","note":null}"#,
            Ok(ok(Some("Ada"), Some(None))),
        ),
        (
            r#"{"born":null}"#,
            Err("invalid type: null, expected a date as YYYY-MM-DD"),
        ),
        (
            r#"{"born":"2024-02-30"}"#,
            Err(r#"invalid value: string "2024-02-30""#),
        ),
        (
            r#"{"count":1.5}"#,
            Err("invalid value: number 1.5, expected an integer"),
        ),
        (
            r#"{"name":"Ada","name":"Bo"}"#,
            Err("duplicate field `name`"),
        ),
        (
            r#"{"nickname":"Ada"}"#,
            Err("unknown field `nickname`, expected one of `name`, `born`, `note`, `count`"),
        ),
    ];
    for (json_text, expected) in cases {
        let actual = serde_json::from_str::<Patch>(json_text);
        match (actual, expected) {
            (Ok(actual), Ok(expected)) => assert_eq!(&actual, expected, "{json_text}"),
            (Err(actual), Err(expected)) => assert!(
                actual.to_string().starts_with(expected),
                "{json_text}: {actual}"
            ),
            (actual, expected) => panic!("{json_text}: got {actual:?}, expected {expected:?}"),
        }
    }
    let typed: Patch = serde_json::from_str(r#"{"born":"2024-02-29","count":1e3}"#).unwrap();
    assert_eq!(typed.born, Some(Date::parse("2024-02-29").unwrap()));
    assert_eq!(
        typed.count.flatten().and_then(|count| count.as_u64()),
        Some(1000)
    );
    assert_eq!(
        serde_json::from_str::<Patch>(r#"{"count":null}"#)
            .unwrap()
            .count,
        Some(None)
    );
}

/// A request that needs an e-mail address or a phone number (which may be sent as null).
#[derive(Debug, PartialEq)]
struct CustomerCreateRequest {
    email: Option<Email>,
    phone: Option<Option<String>>,
}

impl ReadObject for CustomerCreateRequest {
    const EXPECTING: &'static str = "struct CustomerCreateRequest";
    const FIELDS: &'static [&'static str] = &["email", "phone"];

    fn read<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let mut email: Option<Email> = None;
        let mut phone: Option<Option<String>> = None;
        while let Some(key) = map.next_key_seed(FieldKeys(Self::FIELDS))? {
            match key {
                FieldKey::Listed(0) => read_member(&mut map, &mut email, "email")?,
                FieldKey::Listed(1) => read_member(&mut map, &mut phone, "phone")?,
                FieldKey::Listed(_) | FieldKey::Unlisted(_) => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        let value = Self { email, phone };
        check_at_least_one_of::<A::Error>(
            "CustomerCreateRequest",
            &[
                ("email", value.email.is_some()),
                ("phone", matches!(value.phone, Some(Some(_)))),
            ],
        )?;
        Ok(value)
    }
}

impl<'de> Deserialize<'de> for CustomerCreateRequest {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_object(deserializer)
    }
}

#[test]
fn check_at_least_one_of_needs_a_present_non_null_field() {
    const MESSAGE: &str = "`CustomerCreateRequest` needs at least one of `email`, `phone`";
    let cases: &[(&str, bool)] = &[
        ("{}", false),
        (r#"{"phone":null}"#, false),
        (r#"{"phone":"+15550100"}"#, true),
        (r#"{"email":"a@example.com"}"#, true),
        (r#"{"email":"a@example.com","phone":null}"#, true),
    ];
    for &(json_text, ok) in cases {
        match serde_json::from_str::<CustomerCreateRequest>(json_text) {
            Ok(_) => assert!(ok, "{json_text} was accepted"),
            Err(error) => {
                assert!(!ok, "{json_text}: {error}");
                assert!(error.to_string().starts_with(MESSAGE), "{error}");
            }
        }
    }
    let error = check_at_least_one_of::<serde_json::Error>("Only", &[("a", false)]).unwrap_err();
    assert_eq!(error.to_string(), "`Only` needs at least one of `a`");
    assert!(check_at_least_one_of::<serde_json::Error>("T", &[("a", false), ("b", true)]).is_ok());
}

// ---------------------------------------------------------------------------------------------
// Required and nullable; objects only
// ---------------------------------------------------------------------------------------------

/// Read as the generator writes it: `placed_at` is required and may be null.
#[derive(Debug, PartialEq)]
struct Order {
    name: String,
    placed_at: Option<String>,
}

impl ReadObject for Order {
    const EXPECTING: &'static str = "struct Order";
    const FIELDS: &'static [&'static str] = &["name", "placed_at"];

    fn read<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let mut name: Option<String> = None;
        let mut placed_at: Option<Option<String>> = None;
        while let Some(key) = map.next_key_seed(FieldKeys(Self::FIELDS))? {
            match key {
                FieldKey::Listed(0) => read_member(&mut map, &mut name, "name")?,
                FieldKey::Listed(1) => read_member(&mut map, &mut placed_at, "placed_at")?,
                FieldKey::Listed(_) => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
                FieldKey::Unlisted(other) => {
                    return Err(serde::de::Error::unknown_field(&other, Self::FIELDS));
                }
            }
        }
        Ok(Self {
            name: required_member(name, "name")?,
            placed_at: required_member(placed_at, "placed_at")?,
        })
    }
}

impl<'de> Deserialize<'de> for Order {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_object(deserializer)
    }
}

#[test]
fn required_nullable_needs_the_field_and_takes_null() {
    let order = |placed_at: Option<&str>| Order {
        name: "Ada".to_owned(),
        placed_at: placed_at.map(str::to_owned),
    };
    let cases: &[(&str, Result<Order, &str>)] = &[
        (r#"{"name":"Ada","placed_at":null}"#, Ok(order(None))),
        (
            r#"{"name":"Ada","placed_at":"now"}"#,
            Ok(order(Some("now"))),
        ),
        (r#"{"name":"Ada"}"#, Err("missing field `placed_at`")),
        (
            r#"{"name":"Ada","placed_at":5}"#,
            Err("invalid type: integer `5`"),
        ),
    ];
    for (text, expected) in cases {
        let result = serde_json::from_str::<Order>(text).map_err(|error| error.to_string());
        match (expected, result) {
            (Ok(expected), Ok(actual)) => assert_eq!(&actual, expected, "{text}"),
            (Err(expected), Err(actual)) => assert!(actual.contains(expected), "{text}: {actual}"),
            (expected, actual) => panic!("{text}: expected {expected:?}, got {actual:?}"),
        }
    }
}

/// A derived struct reads an array positionally; the generated reader reads an object only.
#[test]
fn objects_are_read_from_json_objects_only() {
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Positional {
        name: String,
        placed_at: Option<String>,
    }
    assert!(serde_json::from_str::<Positional>(r#"["Ada", null]"#).is_ok());
    let refused =
        serde_json::from_str::<Order>(r#"["Ada", null]"#).expect_err("an array is not an object");
    assert!(
        refused.to_string().contains("invalid type: sequence"),
        "{refused}"
    );
    assert!(serde_json::from_str::<Order>(r#"{"name":"Ada","placed_at":null}"#).is_ok());
}

// ---------------------------------------------------------------------------------------------
// Writing objects; enumerations through their text
// ---------------------------------------------------------------------------------------------

/// Written as the generator writes a request object's `Serialize`.
struct Written {
    name: String,
    note: Option<Option<String>>,
    extra: Option<String>,
    unlisted: wire_under_test::UnlistedFields,
}

impl serde::Serialize for Written {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut object = wire_under_test::WriteObject::begin(serializer)?;
        object.member("name", &self.name);
        object.optional("note", &self.note);
        object.optional("extra", &self.extra);
        object.unlisted(&self.unlisted);
        object.end()
    }
}

#[test]
fn absent_members_are_left_out_and_null_is_written() {
    let mut unlisted = wire_under_test::UnlistedFields::new();
    unlisted.insert(
        "z_kept".to_owned(),
        Json::from_text("12345678901234567890123456789012345678.50").unwrap(),
    );
    let cases = [
        (None, None, r#"{"name":"Hà Nội"}"#),
        (Some(None), None, r#"{"name":"Hà Nội","note":null}"#),
        (
            Some(Some("שלום")),
            Some("x"),
            r#"{"name":"Hà Nội","note":"שלום","extra":"x"}"#,
        ),
    ];
    for (note, extra, expected) in cases {
        let written = Written {
            name: "Hà Nội".to_owned(),
            note: note.map(|note: Option<&str>| note.map(str::to_owned)),
            extra: extra.map(str::to_owned),
            unlisted: Default::default(),
        };
        assert_eq!(serde_json::to_string(&written).unwrap(), expected);
    }
    let with_unlisted = Written {
        name: "a".to_owned(),
        note: None,
        extra: None,
        unlisted,
    };
    assert_eq!(
        serde_json::to_string(&with_unlisted).unwrap(),
        r#"{"name":"a","z_kept":12345678901234567890123456789012345678.50}"#
    );
}

/// A closed enumeration, read as the generator writes its `Deserialize`.
#[derive(Debug, PartialEq)]
enum Gender {
    Nam,
    Nu,
}

impl std::str::FromStr for Gender {
    type Err = ();

    fn from_str(text: &str) -> Result<Self, ()> {
        match text {
            "nam" => Ok(Self::Nam),
            "nữ" => Ok(Self::Nu),
            _ => Err(()),
        }
    }
}

impl<'de> Deserialize<'de> for Gender {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_enum(deserializer, &["nam", "nữ"])
    }
}

#[test]
fn enumerations_are_read_from_their_wire_text_only() {
    assert_eq!(
        serde_json::from_str::<Gender>(r#""nữ""#).unwrap(),
        Gender::Nu
    );
    assert_eq!(
        serde_json::from_str::<Gender>(r#""nu""#)
            .unwrap_err()
            .to_string(),
        "unknown variant `nu`, expected `nam` or `nữ` at line 1 column 4"
    );
    for not_a_string in [r#"{"nam":null}"#, "0", "null", r#"["nam"]"#] {
        let error = serde_json::from_str::<Gender>(not_a_string).unwrap_err();
        assert!(
            error.to_string().starts_with("invalid type"),
            "{not_a_string}: {error}"
        );
    }
}

/// A member whose value cannot be written.
struct Refused;

impl serde::Serialize for Refused {
    fn serialize<S: serde::Serializer>(&self, _serializer: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom("refused on purpose"))
    }
}

/// The first error is the object's, and nothing is written after it.
#[test]
fn writing_an_object_stops_at_the_first_error() {
    struct WithRefused;

    impl serde::Serialize for WithRefused {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut object = wire_under_test::WriteObject::begin(serializer)?;
            object.member("before", "kept");
            object.optional("refused", &Some(Refused));
            object.member("after", &Refused);
            object.end()
        }
    }

    let mut written = Vec::new();
    let error = serde_json::to_writer(&mut written, &WithRefused).unwrap_err();
    assert_eq!(error.to_string(), "refused on purpose");
    assert_eq!(
        String::from_utf8(written).unwrap(),
        r#"{"before":"kept","refused":"#
    );
}
