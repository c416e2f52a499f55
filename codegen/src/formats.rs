//! The string formats the generated contracts check, as the regular expressions the JSON Schema
//! emitter writes as `"pattern"` beside `"format"`.
//!
//! Each pattern accepts exactly the strings its check in the runtime (`templates/wire.rs`:
//! `is_date`, `is_date_time`, `is_email`) accepts, so a validator that treats `"format"` as an
//! annotation still enforces the rule. The rules are deliberately narrower than the RFCs: every
//! string they accept also passes `"format"` in the Rust `jsonschema` crate (0.60.2),
//! `ajv-formats` (3.0.1, full mode) and Python's `jsonschema` (4.26.0), so all of them agree.
//!
//! The patterns are ECMA-262 regular expressions that also mean the same in Rust's `regex` and
//! `fancy-regex` and Python's `re`: anchored with `^…$`, ASCII classes such as `[0-9]` (never
//! `\d` or `\w`), no lookbehind, and lookahead only for lengths in [`EMAIL_PATTERN`] and the end.
//! Each pattern ends in `$(?!\n)`: Python's `$` also matches before a final newline, and the
//! lookahead rules that out there while changing nothing elsewhere.

/// A year from `0001` to `9999` (there is no year `0000`: Python's `datetime` starts at 1).
macro_rules! year {
    () => {
        "(?:[0-9]{3}[1-9]|[0-9]{2}[1-9]0|[0-9][1-9]00|[1-9]000)"
    };
}

/// A leap year from `0001` to `9999`: divisible by 4 and not by 100 (the last two digits are a
/// non-zero multiple of 4), or divisible by 400 (the first two digits are a non-zero multiple of
/// 4 and the last two are `00`).
macro_rules! leap_year {
    () => {
        "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
    };
}

/// A full-date, unanchored, as [`DATE_PATTERN`] describes.
macro_rules! date {
    () => {
        concat!(
            "(?:",
            year!(),
            "-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])",
            "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)",
            "|02-(?:0[1-9]|1[0-9]|2[0-8]))",
            "|",
            leap_year!(),
            "-02-29)"
        )
    };
}

/// `"format": "date"`: an RFC 3339 full-date `YYYY-MM-DD`.
///
/// Exactly ten ASCII characters: a four-digit year from `0001` to `9999`, `-`, a month from `01`
/// to `12`, `-`, and a day from `01` to the month's length (31 for January, March, May, July,
/// August, October and December; 30 for April, June, September and November; 28 for February,
/// or 29 in a leap year: divisible by 4 and not by 100, or divisible by 400, so 2000 and 2024
/// are leap years and 1900 and 2023 are not).
///
/// Why year `0000` is excluded: Python's `jsonschema` checks `"date"` with
/// `datetime.date.fromisoformat`, and checks `"date-time"` with `rfc3339-validator`, and both
/// reject year zero, while the Rust `jsonschema` crate and `ajv-formats` accept it.
pub const DATE_PATTERN: &str = concat!("^", date!(), "$(?!\\n)");

/// `"format": "date-time"`: an RFC 3339 date-time, in a subset every validator accepts.
///
/// A date as in [`DATE_PATTERN`]; `T` or `t`; `HH:MM:SS` with the hour `00` to `23`, the minute
/// `00` to `59` and the second `00` to `59`; optionally `.` and 1 to 14 ASCII digits of
/// fraction; then `Z`, `z`, or `+` or `-` followed by `HH:MM` with the hour `00` to `23` and the
/// minute `00` to `59`.
///
/// Why narrower than RFC 3339:
/// - no leap second (`60`): the Rust `jsonschema` crate and `ajv-formats` accept it only at
///   23:59 UTC, Python's `rfc3339-validator` never;
/// - at most 14 fraction digits: `ajv-formats` reads `SS.FRACTION` as a JavaScript number and
///   requires it to be below 60, and `59.999999999999999` (15 nines) rounds to 60;
/// - no space instead of `T`, no offset without a colon, no missing offset: at least one of the
///   validators rejects each of these;
/// - year `0001` to `9999`, for the reason given at [`DATE_PATTERN`].
pub const DATE_TIME_PATTERN: &str = concat!(
    "^",
    date!(),
    "[Tt](?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\\.[0-9]{1,14})?",
    "(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])$(?!\\n)"
);

/// `"format": "email"`: a conservative e-mail address.
///
/// - A local part of 1 to 64 characters: one or more non-empty runs of ASCII letters, digits and
///   ``! # $ % & ' * + - / = ? ^ _ ` { | } ~``, separated by single dots (RFC 5322 `dot-atom`:
///   no leading, trailing or doubled dot, no quoted string, no comment, no non-ASCII).
/// - `@`.
/// - A domain of 1 to 253 characters: at least two labels separated by single dots, with no
///   trailing dot; each label 1 to 63 characters, made of runs of ASCII letters and digits joined
///   by single hyphens (no leading, trailing or doubled hyphen). No IP-address literal.
///
/// Why each limit is there:
/// - dot-atom only, ASCII only, letters and digits in labels: `ajv-formats`' full `email` regex
///   allows nothing else;
/// - at least two domain labels: `ajv-formats` requires a dot in the domain;
/// - local part at most 64: the `email_address` crate (0.2.9) behind the Rust `jsonschema`
///   crate rejects longer ones;
/// - domain at most 253, labels at most 63, no leading or trailing hyphen, no trailing dot:
///   the Rust `jsonschema` crate's `is_valid_hostname`;
/// - no doubled hyphen: the Rust `jsonschema` crate rejects a label with hyphens in its third
///   and fourth characters unless it is a valid IDNA A-label (`xn--…`), which this rule leaves
///   out rather than decode Punycode;
/// - Python's `jsonschema` only asks for an `@`, which every accepted address has.
pub const EMAIL_PATTERN: &str = concat!(
    "^(?=[-A-Za-z0-9!#$%&'*+/=?^_`{|}~.]{1,64}@)",
    "[-A-Za-z0-9!#$%&'*+/=?^_`{|}~]+(?:\\.[-A-Za-z0-9!#$%&'*+/=?^_`{|}~]+)*",
    "@(?=[-A-Za-z0-9.]{1,253}$)",
    "(?:(?![-A-Za-z0-9]{64})[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\\.)+",
    "(?![-A-Za-z0-9]{64})[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$(?!\\n)"
);
