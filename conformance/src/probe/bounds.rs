//! A limit's exact text in, the values on and just past it out: the next and previous decimal
//! of a bound written with any number of digits (a 39-digit `maximum` stays exact, never
//! through `f64`), a string of exactly N characters, and strings that match, or do not match,
//! an ECMA-262 `pattern` (the common subset that `regex-syntax` reads). Pure helpers for the
//! probe's boundary requests; a value they cannot make is `None`, never a guess.

use regex_syntax::hir::{Class, Hir, HirKind};

/// A plain decimal: sign, integer digits (no leading zeros except a lone `0`), fraction digits.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Decimal {
    negative: bool,
    integer: String,
    fraction: String,
}

impl Decimal {
    /// Reads `-12.50`, `7`, `0.001`; `None` for an exponent or anything else.
    fn parse(text: &str) -> Option<Decimal> {
        let (negative, rest) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (integer, fraction) = rest.split_once('.').unwrap_or((rest, ""));
        let digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
        if integer.is_empty() || !digits(integer) || !digits(fraction) {
            return None;
        }
        if rest.contains('.') && fraction.is_empty() {
            return None;
        }
        let integer = integer.trim_start_matches('0');
        Some(Decimal {
            negative,
            integer: if integer.is_empty() { "0" } else { integer }.to_owned(),
            fraction: fraction.to_owned(),
        })
    }

    fn is_zero(&self) -> bool {
        self.integer == "0" && self.fraction.bytes().all(|byte| byte == b'0')
    }

    fn render(&self) -> String {
        let mut text = String::new();
        if self.negative && !self.is_zero() {
            text.push('-');
        }
        text.push_str(&self.integer);
        if !self.fraction.is_empty() {
            text.push('.');
            text.push_str(&self.fraction);
        }
        text
    }

    /// The digits with `scale` fraction digits, as one unsigned integer string.
    fn scaled_digits(&self, scale: usize) -> String {
        let mut fraction = self.fraction.clone();
        while fraction.len() < scale {
            fraction.push('0');
        }
        format!("{}{}", self.integer, fraction)
    }

    fn from_scaled(negative: bool, digits: &str, scale: usize) -> Decimal {
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (integer, fraction) = padded.split_at(padded.len() - scale);
        let integer = integer.trim_start_matches('0');
        Decimal {
            negative,
            integer: if integer.is_empty() { "0" } else { integer }.to_owned(),
            fraction: fraction.to_owned(),
        }
    }
}

fn add_unsigned(a: &str, b: &str) -> String {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut out = Vec::new();
    let mut carry = 0u8;
    for index in 0..a.len().max(b.len()) {
        let digit = |digits: &[u8]| {
            digits
                .len()
                .checked_sub(index + 1)
                .map_or(0, |at| digits[at] - b'0')
        };
        let sum = digit(a) + digit(b) + carry;
        out.push(b'0' + sum % 10);
        carry = sum / 10;
    }
    if carry > 0 {
        out.push(b'0' + carry);
    }
    out.reverse();
    let text = String::from_utf8(out).unwrap_or_default();
    let trimmed = text.trim_start_matches('0');
    if trimmed.is_empty() { "0" } else { trimmed }.to_owned()
}

/// `a - b` for unsigned `a >= b`.
fn subtract_unsigned(a: &str, b: &str) -> String {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut out = Vec::new();
    let mut borrow = 0i8;
    for index in 0..a.len() {
        let digit = |digits: &[u8]| {
            digits
                .len()
                .checked_sub(index + 1)
                .map_or(0, |at| (digits[at] - b'0') as i8)
        };
        let mut difference = digit(a) - digit(b) - borrow;
        borrow = 0;
        if difference < 0 {
            difference += 10;
            borrow = 1;
        }
        out.push(b'0' + difference as u8);
    }
    out.reverse();
    let text = String::from_utf8(out).unwrap_or_default();
    let trimmed = text.trim_start_matches('0');
    if trimmed.is_empty() { "0" } else { trimmed }.to_owned()
}

fn compare_unsigned(a: &str, b: &str) -> std::cmp::Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// `bound` moved by one step up (`up`) or down: 1 for an integer field, one unit in the digit
/// after the bound's last fraction digit for a number field (`5.5` → `5.51` / `5.49`). Exact
/// for any number of digits; `None` for a bound that is not a plain decimal (an exponent).
pub fn step(bound: &str, up: bool, integer: bool) -> Option<String> {
    let value = Decimal::parse(bound)?;
    if integer && !value.fraction.bytes().all(|byte| byte == b'0') {
        return None;
    }
    let scale = if integer { 0 } else { value.fraction.len() + 1 };
    let digits = if integer {
        value.integer.clone()
    } else {
        value.scaled_digits(scale)
    };
    // Moving away from zero adds to the magnitude; towards zero subtracts (crossing zero flips
    // the sign).
    let away_from_zero = up != value.negative;
    let (negative, magnitude) = if away_from_zero || value.is_zero() {
        (
            if value.is_zero() { !up } else { value.negative },
            add_unsigned(&digits, "1"),
        )
    } else if compare_unsigned(&digits, "1") == std::cmp::Ordering::Less {
        (!value.negative, subtract_unsigned("1", &digits))
    } else {
        (value.negative, subtract_unsigned(&digits, "1"))
    };
    Some(Decimal::from_scaled(negative, &magnitude, scale).render())
}

/// `seed` cut or padded (with `x`) to exactly `characters` characters (code points, as JSON
/// Schema counts them).
pub(crate) fn string_of_length(seed: &str, characters: u64) -> String {
    let wanted = usize::try_from(characters).unwrap_or(usize::MAX);
    let mut text: String = seed.chars().take(wanted).collect();
    let mut length = text.chars().count();
    while length < wanted {
        text.push('x');
        length += 1;
    }
    text
}

/// Longest string made for a pattern or a length bound, so a request stays small.
pub(crate) const LONGEST_MADE_STRING: u64 = 10_000;

/// A short string the `pattern` matches (ECMA-262 semantics: found anywhere, unless
/// anchored), made from the pattern's own structure and checked; `None` when the pattern is
/// outside what can be read or no string was found.
pub(crate) fn matching_string(pattern: &str) -> Option<String> {
    let regex = regex::Regex::new(pattern).ok()?;
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    let mut made = String::new();
    example_of(&hir, &mut made)?;
    regex.is_match(&made).then_some(made)
}

/// A string the `pattern` does not match, of `characters` characters when given (so only the
/// pattern is broken, not a length), checked; `None` when none of the tries qualifies.
pub(crate) fn non_matching_string(pattern: &str, characters: Option<u64>) -> Option<String> {
    let regex = regex::Regex::new(pattern).ok()?;
    let tries = ["~", "!", " ", "ž", "0", "a", "Z", "-"];
    tries
        .iter()
        .map(|seed| match characters {
            // Each try is one character.
            Some(length) => {
                seed.repeat(usize::try_from(length.min(LONGEST_MADE_STRING)).unwrap_or(0))
            }
            None => (*seed).to_owned(),
        })
        .find(|candidate| !regex.is_match(candidate))
}

fn example_of(hir: &Hir, out: &mut String) -> Option<()> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Some(()),
        HirKind::Literal(literal) => {
            out.push_str(std::str::from_utf8(&literal.0).ok()?);
            Some(())
        }
        HirKind::Class(Class::Unicode(class)) => {
            let range = class.ranges().first()?;
            // A letter or digit of the class where there is one, for readable requests.
            let preferred = class.ranges().iter().find_map(|range| {
                (range.start()..=range.end()).find(|c| c.is_ascii_alphanumeric())
            });
            out.push(preferred.unwrap_or(range.start()));
            Some(())
        }
        HirKind::Class(Class::Bytes(class)) => {
            let range = class.ranges().first()?;
            out.push(char::from(range.start()));
            Some(())
        }
        HirKind::Repetition(repetition) => {
            let times = repetition.min.max(u32::from(repetition.max != Some(0)));
            for _ in 0..times.min(64) {
                example_of(&repetition.sub, out)?;
            }
            Some(())
        }
        HirKind::Capture(capture) => example_of(&capture.sub, out),
        HirKind::Concat(parts) => parts.iter().try_for_each(|part| example_of(part, out)),
        HirKind::Alternation(branches) => example_of(branches.first()?, out),
    }
}

#[cfg(test)]
mod tests {
    use super::{matching_string, non_matching_string, step, string_of_length};

    #[test]
    fn steps_are_exact_for_any_number_of_digits() {
        let cases = [
            ("5", true, true, Some("6")),
            ("5", false, true, Some("4")),
            ("0", false, true, Some("-1")),
            ("-1", true, true, Some("0")),
            ("-10", true, true, Some("-9")),
            (
                "233476065495939904005866822871905093425",
                true,
                true,
                Some("233476065495939904005866822871905093426"),
            ),
            ("999", true, true, Some("1000")),
            ("5.5", true, false, Some("5.51")),
            ("5.5", false, false, Some("5.49")),
            ("0", true, false, Some("0.1")),
            ("0", false, false, Some("-0.1")),
            ("-0.5", true, false, Some("-0.49")),
            ("1e3", true, true, None),
            ("5.5", true, true, None),
        ];
        for (bound, up, integer, expected) in cases {
            assert_eq!(
                step(bound, up, integer).as_deref(),
                expected,
                "{bound} up={up} integer={integer}"
            );
        }
    }

    #[test]
    fn strings_have_exactly_the_length_asked_in_characters() {
        assert_eq!(string_of_length("שלום", 2), "של");
        assert_eq!(string_of_length("ab", 4), "abxx");
        assert_eq!(string_of_length("Việt", 4).chars().count(), 4);
    }

    #[test]
    fn pattern_strings_match_or_not_as_asked() {
        for pattern in [
            "^[0-9]{10}$",
            "^\\+?[0-9]+$",
            "^(foo|bar)-[a-z]{2,3}$",
            "ab",
        ] {
            let regex = regex::Regex::new(pattern).expect("test pattern");
            let made = matching_string(pattern).expect("a matching string");
            assert!(regex.is_match(&made), "{pattern}: {made}");
            let other = non_matching_string(pattern, None).expect("a non-matching string");
            assert!(!regex.is_match(&other), "{pattern}: {other}");
        }
        let other = non_matching_string("^[0-9]+$", Some(3)).expect("three characters");
        assert_eq!(other.chars().count(), 3);
    }
}
