//! Wire types shared by the generated contracts: exact integers, strict dates and date-times, e-mail addresses, and serde helpers for absent versus null.
//!
//! `cargo xtask gen` copies this file verbatim into the generated crate as `src/wire.rs`; the
//! generated types refer to it as `crate::wire::…`. It needs only `serde` (no derive), `serde_json`
//! (with `raw_value`) and `chrono` (with `std`).
//!
//! Numbers keep every digit without `serde_json`'s `arbitrary_precision`, which would change
//! every other crate's JSON in a consumer's build: [`Number`], [`Integer`] and [`Json`] ask
//! `serde_json` for the value's raw text (the `raw_value` feature, which is additive), and they
//! also read `arbitrary_precision`'s number token when another crate in the build turns that
//! feature on. Objects that keep unlisted fields are read by [`ReadObject`] rather than serde's
//! `flatten`, which would buffer numbers as `u64` or `f64`.
//!
//! Each check here is the Rust side of a rule whose other side is a regular expression in the
//! generator's `codegen::formats` module, which the JSON Schemas carry as `"pattern"` beside
//! `"format"`. The two must accept exactly the same strings, and the rules are deliberately
//! narrower than the RFCs so that every JSON Schema validator we checked (the Rust `jsonschema`
//! crate, `ajv-formats` and Python's `jsonschema`) accepts everything they accept:
//!
//! - [`Date`]: `YYYY-MM-DD`, year `0001` to `9999` (Python's `datetime.date` has no year zero),
//!   month `01` to `12`, day valid for the month, Gregorian leap years.
//! - [`DateTime`]: a date as above, `T` or `t`, `HH:MM:SS` with hour `00`–`23`, minute `00`–`59`
//!   and second `00`–`59` (no leap second), an optional `.` and 1 to 14 digits of fraction
//!   (`ajv-formats` reads the seconds as a float, and `59.` followed by 15 nines rounds to 60),
//!   then `Z`, `z` or `±HH:MM` with hour `00`–`23` and minute `00`–`59`.
//! - [`Email`]: a dot-atom local part of at most 64 characters, `@`, and a domain of at least two
//!   labels and at most 253 characters, each label 1 to 63 ASCII letters and digits in runs joined
//!   by single hyphens; see [`is_email`].
//! - [`Integer`]: any JSON number whose value is whole, of any size, with its digits kept.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use chrono::{Datelike, FixedOffset, NaiveDate, NaiveTime, SecondsFormat, TimeZone};
use serde::de::{self, Unexpected};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// `serde_json`'s JSON types, for converting: [`Json`] and [`Number`] convert to and from them.
pub use serde_json::{Map, Value};

/// The earliest year a [`Date`] or [`DateTime`] may carry on the wire.
const MIN_YEAR: i32 = 1;
/// The latest year a [`Date`] or [`DateTime`] may carry on the wire.
const MAX_YEAR: i32 = 9999;
/// The most fraction-of-second digits a [`DateTime`] may carry on the wire.
const MAX_FRACTION_DIGITS: usize = 14;
/// The longest local part an [`Email`] may have, in characters.
const MAX_LOCAL_PART: usize = 64;
/// The longest domain an [`Email`] may have, in characters.
const MAX_DOMAIN: usize = 253;
/// The longest label of an [`Email`] domain, in characters.
const MAX_LABEL: usize = 63;
/// How much of an offending input a [`WireError`] quotes, in characters.
const QUOTE_LIMIT: usize = 80;

const EXPECTED_INTEGER: &str = "an integer (a JSON number whose value is whole)";
const EXPECTED_DATE: &str = "a date as YYYY-MM-DD with a year from 0001 to 9999";
const EXPECTED_DATE_TIME: &str = "an RFC 3339 date-time such as 2024-01-31T09:30:00Z \
     (seconds 00 to 59, at most 14 fraction digits, offset Z or +HH:MM or -HH:MM, \
     year from 0001 to 9999)";
const EXPECTED_EMAIL: &str = "an e-mail address such as name@example.com \
     (an ASCII dot-atom local part of at most 64 characters and a domain of at least two labels)";

/// A value that does not have the shape its wire type requires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireError {
    expected: &'static str,
    found: String,
}

impl WireError {
    fn new(expected: &'static str, found: String) -> Self {
        Self { expected, found }
    }

    /// An error for the string `found`, quoted and cut short if it is long.
    fn for_str(expected: &'static str, found: &str) -> Self {
        let mut quoted: String = found.chars().take(QUOTE_LIMIT).collect();
        if quoted.len() < found.len() {
            quoted.push('…');
        }
        Self::new(expected, format!("{quoted:?}"))
    }

    /// What the wire type expected, in words.
    pub fn expected(&self) -> &'static str {
        self.expected
    }
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected {}, found {}", self.expected, self.found)
    }
}

impl std::error::Error for WireError {}

/// A string that is none of the values an enumeration lists, from its `FromStr`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownValue {
    type_name: &'static str,
    value: String,
}

impl UnknownValue {
    /// `value` is not one of `type_name`'s values.
    pub fn new(type_name: &'static str, value: &str) -> Self {
        Self {
            type_name,
            value: value.chars().take(QUOTE_LIMIT).collect(),
        }
    }

    /// The value given (cut short if it is long).
    pub fn value(&self) -> &str {
        &self.value
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not a value of `{}`", self.value, self.type_name)
    }
}

impl std::error::Error for UnknownValue {}

// ---------------------------------------------------------------------------------------------
// Exact JSON text (Number, Json) and the object reader: in `wire/exact.rs`
// ---------------------------------------------------------------------------------------------

#[path = "wire/exact.rs"]
mod exact;

pub use exact::{
    FieldKey, FieldKeys, Json, Number, ReadObject, UnlistedFields, WriteObject, deserialize_enum,
    deserialize_object, read_member, read_unlisted, required_member, skip_member,
};

// ---------------------------------------------------------------------------------------------
// Integer
// ---------------------------------------------------------------------------------------------

/// JSON Schema's `integer`: any JSON number whose value is whole, of any size.
///
/// `7`, `-0`, `7.0`, `1e3`, `1.5e1`, a 39-digit id and `1e400` are all integers; `1.5` and
/// `1e-1` are not. This is exactly what the `jsonschema` crate (0.60.2, `arbitrary-precision`)
/// accepts for `{"type": "integer"}`: it decides on the exact decimal value of the literal.
///
/// The number keeps its digits: it serializes back as exactly the text it was read from, as a
/// [`Number`] does. Equality and hashing compare that text, so `7` and `7.0` are different
/// values.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Integer(Number);

impl Integer {
    /// The number, with the digits it was written with.
    pub fn as_number(&self) -> &Number {
        &self.0
    }

    /// The number, with the digits it was written with.
    pub fn into_number(self) -> Number {
        self.0
    }

    /// The value as an `i64`, if it fits: `7.0` and `1e3` do, `1e19` does not.
    pub fn as_i64(&self) -> Option<i64> {
        let (negative, magnitude) = self.magnitude()?;
        let magnitude = i128::try_from(magnitude).ok()?;
        i64::try_from(if negative { -magnitude } else { magnitude }).ok()
    }

    /// The value as a `u64`, if it fits: `7.0`, `-0` and `1e19` do, `-1` does not.
    pub fn as_u64(&self) -> Option<u64> {
        match self.magnitude()? {
            (_, 0) => Some(0),
            (true, _) => None,
            (false, magnitude) => u64::try_from(magnitude).ok(),
        }
    }

    /// The sign and the absolute value, when the absolute value fits a `u128`.
    fn magnitude(&self) -> Option<(bool, u128)> {
        let parts = NumberParts::split(self.0.as_str())?;
        let Some((significant, power)) = parts.significant() else {
            return Some((parts.negative, 0));
        };
        // `u128::MAX` has 39 digits; anything wider cannot fit.
        if power < 0 || widen(significant).saturating_add(power) > 39 {
            return None;
        }
        let digits = parts
            .digits()
            .skip_while(|&digit| digit == b'0')
            .take(significant);
        let mut value: u128 = 0;
        for digit in digits {
            value = value
                .checked_mul(10)?
                .checked_add(u128::from(digit.wrapping_sub(b'0')))?;
        }
        let scale = 10_u128.checked_pow(u32::try_from(power).ok()?)?;
        Some((parts.negative, value.checked_mul(scale)?))
    }
}

/// Whether `number_text`, a JSON number literal, has a whole value.
///
/// Text that is not a JSON number (RFC 8259 grammar: `-`, no leading zeros, no `+` before the
/// integer part, at least one digit after `.` and after `e`) is not integral.
/// The answer is exact at any size: `1e99999999999999999999` is integral,
/// `1e-99999999999999999999` and `1.5` are not, `0e-99999999999999999999` and `-0` are.
pub fn is_integral(number_text: &str) -> bool {
    NumberParts::split(number_text)
        .is_some_and(|parts| parts.significant().is_none_or(|(_, power)| power >= 0))
}

/// `n` as an `i128`, saturating at `u64::MAX`, which no length reaches; sums of a few of these
/// and an exponent (also at most `u64::MAX`) cannot overflow.
fn widen(n: usize) -> i128 {
    u64::try_from(n).map_or(i128::from(u64::MAX), i128::from)
}

/// The pieces of a JSON number literal.
struct NumberParts<'a> {
    negative: bool,
    integer: &'a [u8],
    fraction: &'a [u8],
    exponent_negative: bool,
    exponent: &'a [u8],
}

impl<'a> NumberParts<'a> {
    /// The pieces of `text`, or `None` when it is not a JSON number literal.
    fn split(text: &'a str) -> Option<Self> {
        fn digit_run(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
            let run = bytes
                .iter()
                .take_while(|byte| byte.is_ascii_digit())
                .count();
            if run == 0 {
                return None;
            }
            bytes.split_at_checked(run)
        }

        let bytes = text.as_bytes();
        let (negative, rest) = match bytes.split_first() {
            Some((b'-', rest)) => (true, rest),
            _ => (false, bytes),
        };
        let (integer, rest) = digit_run(rest)?;
        if integer.len() > 1 && integer.first() == Some(&b'0') {
            return None;
        }
        let (fraction, rest) = match rest.split_first() {
            Some((b'.', rest)) => digit_run(rest)?,
            _ => (&[][..], rest),
        };
        let (exponent_negative, exponent, rest) = match rest.split_first() {
            Some((b'e' | b'E', rest)) => {
                let (exponent_negative, rest) = match rest.split_first() {
                    Some((b'-', rest)) => (true, rest),
                    Some((b'+', rest)) => (false, rest),
                    _ => (false, rest),
                };
                let (exponent, rest) = digit_run(rest)?;
                (exponent_negative, exponent, rest)
            }
            _ => (false, &[][..], rest),
        };
        rest.is_empty().then_some(Self {
            negative,
            integer,
            fraction,
            exponent_negative,
            exponent,
        })
    }

    /// The mantissa's digits, integer part then fraction.
    fn digits(&self) -> impl DoubleEndedIterator<Item = u8> + '_ {
        self.integer.iter().chain(self.fraction).copied()
    }

    /// `None` for zero; otherwise how many significant digits the value has (no leading or
    /// trailing zeros) and the power of ten that scales them to the value.
    fn significant(&self) -> Option<(usize, i128)> {
        let total = self.integer.len().saturating_add(self.fraction.len());
        let leading = self.digits().take_while(|&digit| digit == b'0').count();
        if leading == total {
            return None;
        }
        let trailing = self
            .digits()
            .rev()
            .take_while(|&digit| digit == b'0')
            .count();
        // Saturating at `u64::MAX` keeps the sign of the power exact: no literal has that many
        // digits to offset it.
        let exponent = self.exponent.iter().fold(0_u64, |value, &digit| {
            value
                .saturating_mul(10)
                .saturating_add(u64::from(digit.wrapping_sub(b'0')))
        });
        let exponent = if self.exponent_negative {
            -i128::from(exponent)
        } else {
            i128::from(exponent)
        };
        let power = exponent - widen(self.fraction.len()) + widen(trailing);
        Some((total - leading - trailing, power))
    }
}

impl TryFrom<Number> for Integer {
    type Error = WireError;

    fn try_from(number: Number) -> Result<Self, Self::Error> {
        if is_integral(number.as_str()) {
            Ok(Self(number))
        } else {
            Err(WireError::new(EXPECTED_INTEGER, number.as_str().to_owned()))
        }
    }
}

impl FromStr for Integer {
    type Err = WireError;

    /// Reads a JSON number literal with a whole value, such as `42`, `7.0` or `1e400`, and no
    /// surrounding whitespace.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match Number::from_str(text) {
            Ok(number) if is_integral(text) => Ok(Self(number)),
            _ => Err(WireError::for_str(EXPECTED_INTEGER, text)),
        }
    }
}

impl From<i64> for Integer {
    fn from(value: i64) -> Self {
        Self(Number::from(value))
    }
}

impl From<u64> for Integer {
    fn from(value: u64) -> Self {
        Self(Number::from(value))
    }
}

impl From<i32> for Integer {
    fn from(value: i32) -> Self {
        Self(Number::from(value))
    }
}

impl From<u32> for Integer {
    fn from(value: u32) -> Self {
        Self(Number::from(value))
    }
}

impl From<Integer> for Number {
    fn from(value: Integer) -> Self {
        value.0
    }
}

impl fmt::Display for Integer {
    /// The number's exact text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str())
    }
}

impl Serialize for Integer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Integer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let number = Number::deserialize(deserializer)?;
        Self::try_from(number).map_err(|error| {
            de::Error::invalid_value(
                Unexpected::Other(&format!("number {}", error.found)),
                &EXPECTED_INTEGER,
            )
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Date
// ---------------------------------------------------------------------------------------------

/// An RFC 3339 `full-date`, `YYYY-MM-DD`, with a year from `0001` to `9999`.
///
/// Reading is strict (exactly ten ASCII characters, month `01`–`12`, day valid for the month,
/// Gregorian leap years; see [`is_date`]); writing always gives four year digits, and a date
/// whose year is outside `0001..=9999` is a serialization error rather than a string that no
/// reader would accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(
    /// The calendar date.
    pub NaiveDate,
);

/// Whether `s` is a date this crate accepts: `YYYY-MM-DD`, exactly ten ASCII characters, year
/// `0001` to `9999`, month `01` to `12`, day `01` to the month's length, February having 29
/// days when the year is divisible by 4 and not by 100, or by 400.
pub fn is_date(s: &str) -> bool {
    date_parts(s.as_bytes()).is_some()
}

/// The value of `digits`, all ASCII digits, or `None`.
fn decimal<const N: usize>(digits: [u8; N]) -> Option<u32> {
    digits.iter().try_fold(0_u32, |value, &digit| {
        digit.is_ascii_digit().then(|| {
            value
                .saturating_mul(10)
                .saturating_add(u32::from(digit - b'0'))
        })
    })
}

fn is_leap_year(year: u32) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

/// Year, month and day of a `YYYY-MM-DD` date, checked against the calendar.
fn date_parts(bytes: &[u8]) -> Option<(i32, u32, u32)> {
    let &[y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = bytes else {
        return None;
    };
    let year = decimal([y0, y1, y2, y3])?;
    let month = decimal([m0, m1])?;
    let day = decimal([d0, d1])?;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => return None,
    };
    let year = i32::try_from(year).ok()?;
    ((MIN_YEAR..=MAX_YEAR).contains(&year) && (1..=days_in_month).contains(&day))
        .then_some((year, month, day))
}

impl Date {
    /// Reads a `YYYY-MM-DD` date; see [`is_date`].
    pub fn parse(s: &str) -> Result<Self, WireError> {
        date_parts(s.as_bytes())
            .and_then(|(year, month, day)| NaiveDate::from_ymd_opt(year, month, day))
            .map(Self)
            .ok_or_else(|| WireError::for_str(EXPECTED_DATE, s))
    }
}

impl std::ops::Deref for Date {
    type Target = NaiveDate;

    fn deref(&self) -> &NaiveDate {
        &self.0
    }
}

impl From<NaiveDate> for Date {
    fn from(date: NaiveDate) -> Self {
        Self(date)
    }
}

impl From<Date> for NaiveDate {
    fn from(date: Date) -> Self {
        date.0
    }
}

impl FromStr for Date {
    type Err = WireError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Date {
    /// chrono's rendering, which is the wire text for years `0000` to `9999`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let year = self.0.year();
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(serde::ser::Error::custom(format!(
                "cannot write date {}: the wire format allows years 0001 to 9999",
                self.0
            )));
        }
        serializer.collect_str(&format_args!(
            "{year:04}-{:02}-{:02}",
            self.0.month(),
            self.0.day()
        ))
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(StrVisitor {
            expected: EXPECTED_DATE,
            parse: Date::parse,
        })
    }
}

/// Reads a string with `parse`, reporting `expected` for anything else.
struct StrVisitor<T> {
    expected: &'static str,
    parse: fn(&str) -> Result<T, WireError>,
}

impl<T> de::Visitor<'_> for StrVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expected)
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<T, E> {
        (self.parse)(s).map_err(|_| E::invalid_value(Unexpected::Str(s), &self))
    }
}

// ---------------------------------------------------------------------------------------------
// DateTime
// ---------------------------------------------------------------------------------------------

/// An RFC 3339 date-time that keeps its exact wire text.
///
/// [`value`](Self::value) gives the instant with its offset; [`as_str`](Self::as_str) gives the
/// text it was read from, so `Z` versus `+00:00`, `t` versus `T` and the number of fraction
/// digits survive a round trip byte for byte. Equality and hashing compare the text.
///
/// The accepted set is a documented subset of RFC 3339 on which the JSON Schema validators we
/// checked all agree; see [`is_date_time`].
#[derive(Debug, Clone)]
pub struct DateTime {
    text: String,
    value: chrono::DateTime<FixedOffset>,
}

/// Whether `s` is a date-time this crate accepts:
/// `DATE` `T`|`t` `HH:MM:SS` (`.FRACTION`)? (`Z`|`z`|`+HH:MM`|`-HH:MM`), where `DATE` is a date
/// as in [`is_date`], hour is `00`–`23`, minute `00`–`59`, second `00`–`59` (no leap second),
/// `FRACTION` is 1 to 14 ASCII digits, and the offset's hour is `00`–`23` and minute `00`–`59`.
pub fn is_date_time(s: &str) -> bool {
    parse_date_time(s).is_some()
}

/// The instant `s` denotes, or `None` when `s` is not an accepted date-time.
fn parse_date_time(s: &str) -> Option<chrono::DateTime<FixedOffset>> {
    let (date, rest) = s.as_bytes().split_at_checked(10)?;
    let (year, month, day) = date_parts(date)?;
    let &[
        b'T' | b't',
        h0,
        h1,
        b':',
        m0,
        m1,
        b':',
        s0,
        s1,
        ref rest @ ..,
    ] = rest
    else {
        return None;
    };
    let (hour, minute, second) = (decimal([h0, h1])?, decimal([m0, m1])?, decimal([s0, s1])?);
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let (nanosecond, rest) = match rest {
        [b'.', tail @ ..] => {
            let count = tail.iter().take_while(|byte| byte.is_ascii_digit()).count();
            if count == 0 || count > MAX_FRACTION_DIGITS {
                return None;
            }
            let (fraction, rest) = tail.split_at_checked(count)?;
            // chrono keeps nanoseconds: digits past the ninth are dropped, not rounded.
            let nanosecond = fraction
                .iter()
                .chain(std::iter::repeat(&b'0'))
                .take(9)
                .fold(0_u32, |value, &digit| value * 10 + u32::from(digit - b'0'));
            (nanosecond, rest)
        }
        _ => (0, rest),
    };
    let offset_seconds = match *rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h0, h1, b':', m0, m1] => {
            let (hours, minutes) = (decimal([h0, h1])?, decimal([m0, m1])?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let seconds = i32::try_from(hours * 3600 + minutes * 60).ok()?;
            if sign == b'-' { -seconds } else { seconds }
        }
        _ => return None,
    };
    let offset = FixedOffset::east_opt(offset_seconds)?;
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanosecond)?;
    offset.from_local_datetime(&date.and_time(time)).single()
}

impl DateTime {
    /// Reads a date-time; see [`is_date_time`].
    pub fn parse(s: &str) -> Result<Self, WireError> {
        parse_date_time(s)
            .map(|value| Self {
                text: s.to_owned(),
                value,
            })
            .ok_or_else(|| WireError::for_str(EXPECTED_DATE_TIME, s))
    }

    /// The exact text this date-time was read from or will be written as.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The exact text this date-time was read from or will be written as.
    pub fn into_string(self) -> String {
        self.text
    }

    /// The instant with its offset; fraction digits past the ninth are dropped.
    pub fn value(&self) -> chrono::DateTime<FixedOffset> {
        self.value
    }
}

impl PartialEq for DateTime {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for DateTime {}

impl Hash for DateTime {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

impl TryFrom<chrono::DateTime<FixedOffset>> for DateTime {
    type Error = WireError;

    /// Writes the instant as chrono's RFC 3339 text with `Z` for a zero offset and 0, 3, 6 or 9
    /// fraction digits; fails for a local year outside `0001..=9999`, an offset that is not a
    /// whole number of minutes, or a leap second.
    fn try_from(value: chrono::DateTime<FixedOffset>) -> Result<Self, Self::Error> {
        let text = value.to_rfc3339_opts(SecondsFormat::AutoSi, true);
        let whole_minutes = value.offset().local_minus_utc() % 60 == 0;
        if !whole_minutes || !(MIN_YEAR..=MAX_YEAR).contains(&value.year()) {
            return Err(WireError::for_str(EXPECTED_DATE_TIME, &text));
        }
        Self::parse(&text)
    }
}

impl From<DateTime> for chrono::DateTime<FixedOffset> {
    fn from(date_time: DateTime) -> Self {
        date_time.value
    }
}

impl FromStr for DateTime {
    type Err = WireError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for DateTime {
    /// The exact wire text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(StrVisitor {
            expected: EXPECTED_DATE_TIME,
            parse: DateTime::parse,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Email: in `wire/email.rs`
// ---------------------------------------------------------------------------------------------

#[path = "wire/email.rs"]
mod email;

pub use email::{Email, is_email};

// ---------------------------------------------------------------------------------------------
// At least one of
// ---------------------------------------------------------------------------------------------

/// Checks that at least one of `fields` is there, for a type whose schema requires one of
/// several optional fields.
///
/// `fields` pairs each wire name with whether that field is present and not null. The error
/// reads like ``"`CustomerCreateRequest` needs at least one of `email`, `phone`"``.
pub fn check_at_least_one_of<E: de::Error>(
    type_name: &str,
    fields: &[(&str, bool)],
) -> Result<(), E> {
    match missing_one_of(type_name, fields) {
        None => Ok(()),
        Some(message) => Err(E::custom(message)),
    }
}

/// [`check_at_least_one_of`] for writing: a value the schema would refuse is not serialized.
pub fn check_at_least_one_of_when_writing<E: serde::ser::Error>(
    type_name: &str,
    fields: &[(&str, bool)],
) -> Result<(), E> {
    match missing_one_of(type_name, fields) {
        None => Ok(()),
        Some(message) => Err(E::custom(message)),
    }
}

/// The error message when none of `fields` is present, or `None`.
pub fn missing_one_of(type_name: &str, fields: &[(&str, bool)]) -> Option<String> {
    if fields.iter().any(|&(_, present)| present) {
        return None;
    }
    let names: Vec<String> = fields.iter().map(|(name, _)| format!("`{name}`")).collect();
    Some(format!(
        "`{type_name}` needs at least one of {}",
        names.join(", ")
    ))
}
