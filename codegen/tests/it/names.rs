//! Wire names to Rust names.

use codegen::names::{field_identifier, pascal_case, snake_case};

#[test]
fn snake_case_fields() {
    let cases = [
        ("linkedIn_url", Some("linked_in_url")),
        ("isNewSubscriber", Some("is_new_subscriber")),
        ("_id", Some("id")),
        ("UTM_CAMPAIGN", Some("utm_campaign")),
        ("utm_campaign", Some("utm_campaign")),
        ("f_name", Some("f_name")),
        ("HTTPStatus", Some("http_status")),
        ("dob_month_day", Some("dob_month_day")),
        ("value2", Some("value2")),
        ("Api-Key", Some("api_key")),
        ("2fa", None),
        ("שם", None),
        ("Thành_phố", None),
        ("___", None),
    ];
    for (wire, expected) in cases {
        assert_eq!(
            snake_case(wire).as_deref(),
            expected,
            "snake_case({wire:?})"
        );
    }
}

#[test]
fn pascal_case_types_and_variants() {
    let cases = [
        ("custom_fields", Some("CustomFields")),
        ("on-hold", Some("OnHold")),
        ("male", Some("Male")),
        ("vi", Some("Vi")),
        ("SUBSCRIBER", Some("Subscriber")),
        ("2xx", None),
        ("", None),
    ];
    for (wire, expected) in cases {
        assert_eq!(
            pascal_case(wire).as_deref(),
            expected,
            "pascal_case({wire:?})"
        );
    }
}

#[test]
fn keywords_become_raw_or_suffixed() {
    assert_eq!(field_identifier("type"), "r#type");
    assert_eq!(field_identifier("self"), "self_");
    assert_eq!(field_identifier("name"), "name");
}

#[test]
fn enum_values_in_the_latin_script_are_transliterated() {
    let cases = [
        ("nữ", Some("Nu")),
        ("Đã", Some("Da")),
        ("khác", Some("Khac")),
        ("Đã xử lý", Some("DaXuLy")),
        ("Thành phố", Some("ThanhPho")),
        ("café", Some("Cafe")),
        ("on-hold", Some("OnHold")),
        ("שלום", None),
        ("Москва", None),
        ("nữ שלום", None),
        ("2 sao", None),
        ("", None),
    ];
    for (value, expected) in cases {
        assert_eq!(
            codegen::names::enum_variant_name(value).as_deref(),
            expected,
            "enum_variant_name({value:?})"
        );
    }
}

#[test]
fn closest_known_name() {
    let known = ["required", "rust_name", "min_length", "max_length", "shape"];
    let cases = [
        ("requried", Some("required")),
        ("min_lenght", Some("min_length")),
        ("maxlength", Some("max_length")),
        ("shap", Some("shape")),
        ("colour", None),
        ("x", None),
    ];
    for (unknown, expected) in cases {
        assert_eq!(
            codegen::names::closest(unknown, known),
            expected,
            "closest({unknown:?})"
        );
    }
}
