//! Exact decimal numbers: comparisons and steps on number texts of any length.

use std::cmp::Ordering;

use codegen::decimal::Decimal;

fn decimal(text: &str) -> Decimal {
    Decimal::parse(text).unwrap_or_else(|| panic!("{text} is a JSON number"))
}

#[test]
fn numbers_compare_exactly() {
    let cases = [
        (
            "233476065495939904005866822871905093425",
            "233476065495939904005866822871905093424",
            Ordering::Greater,
        ),
        (
            "233476065495939904005866822871905093425",
            "233476065495939904005866822871905093425.0",
            Ordering::Equal,
        ),
        (
            "233476065495939904005866822871905093424.5",
            "233476065495939904005866822871905093425",
            Ordering::Less,
        ),
        ("1e3", "1000", Ordering::Equal),
        ("1.5E-2", "0.015", Ordering::Equal),
        ("-0", "0", Ordering::Equal),
        ("-1", "0.5", Ordering::Less),
        ("-2", "-10", Ordering::Greater),
        ("0.1", "0.09999999999999999999999", Ordering::Greater),
    ];
    for (a, b, expected) in cases {
        assert_eq!(decimal(a).cmp(&decimal(b)), expected, "{a} against {b}");
    }
}

#[test]
fn steps_keep_every_digit() {
    let one = Decimal::one();
    let cases = [
        (
            "233476065495939904005866822871905093425",
            true,
            "233476065495939904005866822871905093426",
        ),
        (
            "233476065495939904005866822871905093425",
            false,
            "233476065495939904005866822871905093424",
        ),
        ("0.5", false, "-0.5"),
        ("-1", true, "0"),
        ("1e2", true, "101"),
        ("1.25", true, "2.25"),
        ("-0.001", false, "-1.001"),
    ];
    for (start, up, expected) in cases {
        let stepped = if up {
            decimal(start).plus(&one)
        } else {
            decimal(start).minus(&one)
        };
        assert_eq!(
            stepped.to_plain_text(),
            expected,
            "{start} {}",
            if up { "+ 1" } else { "- 1" }
        );
    }
}

#[test]
fn only_json_numbers_are_read() {
    for text in [
        "",
        "-",
        "01",
        "1.",
        ".5",
        "1e",
        "+1",
        "0x10",
        "1e999999999",
        "NaN",
    ] {
        assert!(Decimal::parse(text).is_none(), "{text:?} is not read");
    }
    assert!(decimal("7").is_integer());
    assert!(decimal("7.0").is_integer());
    assert!(decimal("1e2").is_integer());
    assert!(!decimal("7.5").is_integer());
}
