//! An example id in, a fresh id of the same form out: a 39-digit decimal id (the CRM's, as a
//! string) becomes another 39-digit decimal that still fits 128 bits, a 24-digit hex id
//! (LadiFlow's `_id`) another hex id of that length, and anything else keeps its shape (digits
//! stay digits, letters stay letters of the same case, the rest stays as it is).

use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

/// The form of an example id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum IdForm {
    /// All decimal digits, this many.
    Decimal {
        /// Number of digits.
        length: usize,
    },
    /// All lower-case hexadecimal digits with at least one letter, this many.
    LowerHex {
        /// Number of digits.
        length: usize,
    },
    /// Anything else: each ASCII letter or digit is replaced by one of its kind.
    Shaped {
        /// The example, as a template.
        template: String,
    },
}

impl IdForm {
    /// The form of `example`, or `None` for an empty string.
    pub(crate) fn of(example: &str) -> Option<IdForm> {
        if example.is_empty() {
            return None;
        }
        if example.bytes().all(|byte| byte.is_ascii_digit()) {
            return Some(IdForm::Decimal {
                length: example.len(),
            });
        }
        if example
            .bytes()
            .all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte))
        {
            return Some(IdForm::LowerHex {
                length: example.len(),
            });
        }
        Some(IdForm::Shaped {
            template: example.to_owned(),
        })
    }
}

/// Makes ids no two requests share (a counter mixed with a per-server random seed).
#[derive(Debug)]
pub(crate) struct IdGenerator {
    seed: u64,
    counter: AtomicU64,
}

impl Default for IdGenerator {
    fn default() -> Self {
        IdGenerator::new()
    }
}

impl IdGenerator {
    /// A generator seeded from the process's hash randomness and the clock.
    pub(crate) fn new() -> IdGenerator {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|elapsed| elapsed.as_nanos())
                .unwrap_or_default(),
        );
        hasher.write_u32(std::process::id());
        IdGenerator {
            seed: hasher.finish(),
            counter: AtomicU64::new(0),
        }
    }

    /// 64 fresh random-looking bits.
    pub(crate) fn next_u64(&self) -> u64 {
        let count = self.counter.fetch_add(1, Ordering::Relaxed);
        split_mix(self.seed ^ count.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    /// A fresh id of `form`.
    pub(crate) fn fresh(&self, form: &IdForm) -> String {
        match form {
            IdForm::Decimal { length } => self.decimal(*length),
            IdForm::LowerHex { length } => (0..*length)
                .map(|_| char::from(b"0123456789abcdef"[(self.next_u64() % 16) as usize]))
                .collect(),
            IdForm::Shaped { template } => template
                .chars()
                .map(|c| match c {
                    '0'..='9' => char::from(b'0' + (self.next_u64() % 10) as u8),
                    'a'..='z' => char::from(b'a' + (self.next_u64() % 26) as u8),
                    'A'..='Z' => char::from(b'A' + (self.next_u64() % 26) as u8),
                    other => other,
                })
                .collect(),
        }
    }

    /// `length` decimal digits without a leading zero (a single digit may be `0`); up to 39
    /// digits the number fits in 128 bits, as the CRM's ids do.
    fn decimal(&self, length: usize) -> String {
        if length <= 39 {
            let low = if length <= 1 {
                0
            } else {
                10u128.pow(length as u32 - 1)
            };
            let high = if length == 39 {
                u128::MAX
            } else {
                10u128.pow(length as u32) - 1
            };
            let random = (u128::from(self.next_u64()) << 64) | u128::from(self.next_u64());
            return (low + random % (high - low + 1)).to_string();
        }
        let mut digits = String::with_capacity(length);
        digits.push(char::from(b'1' + (self.next_u64() % 9) as u8));
        while digits.len() < length {
            digits.push(char::from(b'0' + (self.next_u64() % 10) as u8));
        }
        digits
    }
}

/// SplitMix64's finalizer: a bijection on 64 bits that spreads a counter's bits.
fn split_mix(mut state: u64) -> u64 {
    state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    state = (state ^ (state >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    state = (state ^ (state >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    state ^ (state >> 31)
}
