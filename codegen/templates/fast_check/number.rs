//! Two JSON number texts in (a value and a limit); out, their order, when both are exact enough
//! to compare the way every validator does: no exponent, at most [`EXACT_DIGITS`] significant
//! digits each. Otherwise `None`, and the fast check leaves the payload to the full check.

use std::cmp::Ordering;

/// Significant digits up to which a number and a bound compare the same exactly and as `f64`
/// (distinct decimals of at most 15 digits are distinct doubles, in the same order).
const EXACT_DIGITS: usize = 15;

/// A JSON number's text without an exponent, as its sign, whole digits and fraction digits
/// (leading and trailing zeros left out).
struct Decimal<'t> {
    negative: bool,
    whole: &'t [u8],
    fraction: &'t [u8],
}

impl<'t> Decimal<'t> {
    /// `None` with an exponent or more than [`EXACT_DIGITS`] significant digits.
    fn parse(text: &'t [u8]) -> Option<Decimal<'t>> {
        let (negative, digits) = match text.strip_prefix(b"-") {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        if digits.iter().any(|byte| matches!(byte, b'e' | b'E' | b'+' | b'-')) {
            return None;
        }
        let (whole, fraction) = match digits.iter().position(|&byte| byte == b'.') {
            Some(dot) => (&digits[..dot], &digits[dot + 1..]),
            None => (digits, &digits[digits.len()..]),
        };
        if whole.is_empty() || !whole.iter().chain(fraction).all(u8::is_ascii_digit) {
            return None;
        }
        let first_whole = whole.iter().position(|&byte| byte != b'0').unwrap_or(whole.len());
        let whole = &whole[first_whole..];
        let last_fraction = fraction
            .iter()
            .rposition(|&byte| byte != b'0')
            .map_or(0, |last| last + 1);
        let fraction = &fraction[..last_fraction];
        let significant: usize = if whole.is_empty() {
            fraction.len() - fraction.iter().take_while(|&&byte| byte == b'0').count()
        } else {
            whole.len() + fraction.len()
        };
        if significant > EXACT_DIGITS {
            return None;
        }
        let zero = whole.is_empty() && fraction.is_empty();
        Some(Decimal {
            negative: negative && !zero,
            whole,
            fraction,
        })
    }

    fn magnitude_cmp(&self, other: &Decimal<'_>) -> Ordering {
        self.whole
            .len()
            .cmp(&other.whole.len())
            .then_with(|| self.whole.cmp(other.whole))
            .then_with(|| self.fraction.cmp(other.fraction))
    }
}

/// The order of two JSON number texts, when both are exact enough to compare ([`Decimal`]).
pub(super) fn compare_numbers(value: &[u8], bound: &[u8]) -> Option<Ordering> {
    let value = Decimal::parse(value)?;
    let bound = Decimal::parse(bound)?;
    Some(match (value.negative, bound.negative) {
        (false, true) => Ordering::Greater,
        (true, false) => Ordering::Less,
        (false, false) => value.magnitude_cmp(&bound),
        (true, true) => bound.magnitude_cmp(&value),
    })
}
