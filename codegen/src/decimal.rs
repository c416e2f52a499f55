//! JSON number texts in, exact comparisons, sums and plain decimal texts out: bounds of any
//! number of digits (a 39-digit id) compared and stepped without ever going through a float.

use std::cmp::Ordering;

/// Largest exponent taken (`1e10000`): beyond it a number's plain text would be unbounded.
pub(crate) const MAX_EXPONENT: i64 = 10_000;

/// An exact decimal number: `digits` × 10^`exponent`, with a sign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decimal {
    negative: bool,
    /// Most significant first, no leading or trailing zeros; empty for zero.
    digits: Vec<u8>,
    exponent: i64,
}

impl Decimal {
    /// Reads a number written as JSON writes it (`-12`, `1.50`, `2e3`); `None` for anything
    /// else or an exponent beyond [`MAX_EXPONENT`].
    pub fn parse(text: &str) -> Option<Decimal> {
        let (negative, rest) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (mantissa, exponent) = match rest.find(['e', 'E']) {
            Some(at) => {
                let exponent_text = &rest[at + 1..];
                let unsigned = exponent_text
                    .strip_prefix(['+', '-'])
                    .unwrap_or(exponent_text);
                if unsigned.is_empty() || !unsigned.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                let value: i64 = if unsigned.len() > 6 {
                    return None;
                } else {
                    unsigned.parse().ok()?
                };
                let value = if exponent_text.starts_with('-') {
                    -value
                } else {
                    value
                };
                (&rest[..at], value)
            }
            None => (rest, 0),
        };
        let (whole, fraction) = match mantissa.split_once('.') {
            Some((whole, fraction)) => {
                if fraction.is_empty() {
                    return None;
                }
                (whole, fraction)
            }
            None => (mantissa, ""),
        };
        let valid_whole = whole == "0"
            || (!whole.is_empty() && !whole.starts_with('0'))
                && whole.bytes().all(|b| b.is_ascii_digit());
        if !valid_whole || !fraction.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if exponent.abs() > MAX_EXPONENT {
            return None;
        }
        let digits: Vec<u8> = whole
            .bytes()
            .chain(fraction.bytes())
            .map(|b| b - b'0')
            .collect();
        Some(Decimal::normalized(
            negative,
            digits,
            exponent - fraction.len() as i64,
        ))
    }

    fn normalized(negative: bool, mut digits: Vec<u8>, mut exponent: i64) -> Decimal {
        let leading = digits.iter().take_while(|&&d| d == 0).count();
        digits.drain(..leading);
        while digits.last() == Some(&0) {
            digits.pop();
            exponent += 1;
        }
        if digits.is_empty() {
            return Decimal {
                negative: false,
                digits,
                exponent: 0,
            };
        }
        Decimal {
            negative,
            digits,
            exponent,
        }
    }

    /// One.
    pub fn one() -> Decimal {
        Decimal {
            negative: false,
            digits: vec![1],
            exponent: 0,
        }
    }

    /// Whether it is a whole number.
    pub fn is_integer(&self) -> bool {
        self.exponent >= 0
    }

    /// The number negated.
    pub(crate) fn negated(&self) -> Decimal {
        Decimal::normalized(!self.negative, self.digits.clone(), self.exponent)
    }

    /// The exact sum.
    pub fn plus(&self, other: &Decimal) -> Decimal {
        let exponent = self.exponent.min(other.exponent);
        let a = self.scaled_digits(exponent);
        let b = other.scaled_digits(exponent);
        if self.negative == other.negative {
            return Decimal::normalized(self.negative, add_magnitudes(&a, &b), exponent);
        }
        match compare_magnitudes(&a, &b) {
            Ordering::Less => Decimal::normalized(other.negative, subtract(&b, &a), exponent),
            _ => Decimal::normalized(self.negative, subtract(&a, &b), exponent),
        }
    }

    /// The exact difference.
    pub fn minus(&self, other: &Decimal) -> Decimal {
        self.plus(&other.negated())
    }

    /// The digits with the exponent brought down to `exponent` (≤ its own).
    fn scaled_digits(&self, exponent: i64) -> Vec<u8> {
        let mut digits = self.digits.clone();
        digits.extend(std::iter::repeat_n(0, (self.exponent - exponent) as usize));
        digits
    }

    /// The number in plain notation, as JSON reads it (`-1.5`, `120`, `0.003`).
    pub fn to_plain_text(&self) -> String {
        if self.digits.is_empty() {
            return "0".to_owned();
        }
        let digits: String = self.digits.iter().map(|d| char::from(b'0' + d)).collect();
        let mut text = String::new();
        if self.negative {
            text.push('-');
        }
        if self.exponent >= 0 {
            text.push_str(&digits);
            text.extend(std::iter::repeat_n('0', self.exponent as usize));
        } else {
            let point = digits.len() as i64 + self.exponent;
            if point <= 0 {
                text.push_str("0.");
                text.extend(std::iter::repeat_n('0', (-point) as usize));
                text.push_str(&digits);
            } else {
                text.push_str(&digits[..point as usize]);
                text.push('.');
                text.push_str(&digits[point as usize..]);
            }
        }
        text
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Decimal) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Decimal) -> Ordering {
        let sign = |d: &Decimal| -> i8 {
            if d.digits.is_empty() {
                0
            } else if d.negative {
                -1
            } else {
                1
            }
        };
        match sign(self).cmp(&sign(other)) {
            Ordering::Equal => {}
            different => return different,
        }
        let exponent = self.exponent.min(other.exponent);
        let magnitude = compare_magnitudes(
            &self.scaled_digits(exponent),
            &other.scaled_digits(exponent),
        );
        if self.negative {
            magnitude.reverse()
        } else {
            magnitude
        }
    }
}

/// Compares two digit strings without leading zeros... or with: leading zeros are skipped.
fn compare_magnitudes(a: &[u8], b: &[u8]) -> Ordering {
    let a = &a[a.iter().take_while(|&&d| d == 0).count()..];
    let b = &b[b.iter().take_while(|&&d| d == 0).count()..];
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

fn add_magnitudes(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(a.len().max(b.len()) + 1);
    let mut carry = 0;
    let mut a = a.iter().rev();
    let mut b = b.iter().rev();
    loop {
        let (x, y) = (a.next(), b.next());
        if x.is_none() && y.is_none() {
            break;
        }
        let sum = x.copied().unwrap_or(0) + y.copied().unwrap_or(0) + carry;
        out.push(sum % 10);
        carry = sum / 10;
    }
    if carry > 0 {
        out.push(carry);
    }
    out.reverse();
    out
}

/// `a - b` for `a ≥ b`.
fn subtract(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(a.len());
    let mut borrow = 0i8;
    let mut b = b.iter().rev();
    for &x in a.iter().rev() {
        let mut difference = x as i8 - b.next().copied().unwrap_or(0) as i8 - borrow;
        borrow = 0;
        if difference < 0 {
            difference += 10;
            borrow = 1;
        }
        out.push(difference as u8);
    }
    out.reverse();
    out
}
