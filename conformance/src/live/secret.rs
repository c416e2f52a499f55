//! Credential values in, text that cannot show them out: a `Secret` whose `Debug` and `Display`
//! print a mask, and a `Scrubber` that replaces every secret (as written, JSON-escaped and
//! percent-encoded) in text and in body bytes before they can reach a finding, a log or a report.

use std::fmt;

/// What a secret prints as, wherever it is formatted.
pub const SECRET_MASK: &str = "****";

/// A credential value. It prints as [`SECRET_MASK`]; only [`Secret::expose_to_header`] gives
/// the value, for the one place that puts it on the wire.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret {
    value: String,
}

impl Secret {
    /// Wraps a credential value.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret {
            value: value.into(),
        }
    }

    /// The value itself, for building the header that carries it and for the scrubber.
    pub fn expose_to_header(&self) -> &str {
        &self.value
    }

    /// Whether the value is empty (an unset credential).
    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(SECRET_MASK)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(SECRET_MASK)
    }
}

/// One secret's spellings and what replaces them.
#[derive(Clone)]
struct Needle {
    text: String,
    replacement: String,
}

/// Replaces every known secret in text and bytes with `[redacted <ENV_NAME>]`.
///
/// Each secret is looked for as written, as JSON writes it inside a string, and percent-encoded
/// (a server may echo a token into a URL or a JSON error body).
#[derive(Clone, Default)]
pub struct Scrubber {
    needles: Vec<Needle>,
}

impl fmt::Debug for Scrubber {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "Scrubber({} spellings of secrets)",
            self.needles.len()
        )
    }
}

impl Scrubber {
    /// A scrubber that knows no secrets.
    pub fn new() -> Scrubber {
        Scrubber::default()
    }

    /// Adds a secret, named by the environment variable that held it.
    pub fn add(&mut self, environment_variable: &str, secret: &Secret) {
        let value = secret.expose_to_header();
        if value.is_empty() {
            return;
        }
        let replacement = format!("[redacted {environment_variable}]");
        let json_escaped = serde_json::to_string(value)
            .map(|quoted| quoted[1..quoted.len() - 1].to_owned())
            .unwrap_or_else(|_| value.to_owned());
        let spellings = [
            value.to_owned(),
            json_escaped,
            percent_encode(value, true),
            percent_encode(value, false),
        ];
        for spelling in spellings {
            if !self.needles.iter().any(|needle| needle.text == spelling) {
                self.needles.push(Needle {
                    text: spelling,
                    replacement: replacement.clone(),
                });
            }
        }
        // Longest first, so a secret that contains another is replaced whole.
        self.needles
            .sort_by(|a, b| b.text.len().cmp(&a.text.len()).then(a.text.cmp(&b.text)));
    }

    /// `text` with every secret replaced.
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for needle in &self.needles {
            if out.contains(&needle.text) {
                out = out.replace(&needle.text, &needle.replacement);
            }
        }
        out
    }

    /// `bytes` with every secret replaced (for bodies, before they are parsed or shown).
    pub fn scrub_bytes(&self, bytes: &[u8]) -> Vec<u8> {
        let mut out = bytes.to_vec();
        for needle in &self.needles {
            out = replace_bytes(&out, needle.text.as_bytes(), needle.replacement.as_bytes());
        }
        out
    }

    /// Whether `text` holds any secret (for checks and tests).
    pub fn finds_secret_in(&self, text: &str) -> bool {
        self.needles
            .iter()
            .any(|needle| text.contains(&needle.text))
    }
}

fn replace_bytes(haystack: &[u8], needle: &[u8], replacement: &[u8]) -> Vec<u8> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return haystack.to_vec();
    }
    let mut out = Vec::with_capacity(haystack.len());
    let mut index = 0;
    while index < haystack.len() {
        if haystack[index..].starts_with(needle) {
            out.extend_from_slice(replacement);
            index += needle.len();
        } else {
            out.push(haystack[index]);
            index += 1;
        }
    }
    out
}

/// Percent-encodes every byte outside RFC 3986's unreserved set, in upper- or lower-case hex.
fn percent_encode(text: &str, upper_case_hex: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else if upper_case_hex {
            out.push_str(&format!("%{byte:02X}"));
        } else {
            out.push_str(&format!("%{byte:02x}"));
        }
    }
    out
}
