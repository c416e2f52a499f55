//! A credential's value in, every spelling under which a server (or a tool) may echo it out:
//! as written, JSON-escaped (minimal, `\/`, `\u00XX`), percent-encoded (RFC 3986, form,
//! `encodeURIComponent`, `encodeURI`, every byte), hex, and base64 in both alphabets at each
//! of the three byte alignments a prefix (`Bearer `, `Basic `, `user:`, anything) can give it.
//! Upper- and lower-case variants are not listed: the scrubber matches ASCII case-insensitively.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};

/// How far a match of a spelling is widened before it is replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum SpellingKind {
    /// Replaced as matched.
    Plain,
    /// A run of base64 inside a longer base64 text: the whole base64 word is replaced (the
    /// characters around the run encode the prefix and the secret's edge bytes).
    Base64,
    /// A run of hex digits inside a longer hex text: the whole hex word is replaced.
    Hex,
}

/// One way of writing a secret.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Spelling {
    /// The text looked for (case-insensitively).
    pub text: String,
    /// How far a match is widened.
    pub kind: SpellingKind,
}

/// The shortest encoded spelling kept: shorter runs (of very short secrets) would match
/// ordinary words.
pub(crate) const SHORTEST_ENCODED_SPELLING: usize = 4;

/// The prefixes a credential is base64-encoded with whole (`Basic`-style echoes); any other
/// prefix is covered by the three alignments.
const ENCODED_WITH_PREFIXES: [&str; 3] = ["", "Bearer ", "Basic "];

/// Every spelling of `value`, deduplicated (case-insensitively), longest first. Empty for an
/// empty value.
pub(crate) fn spellings_of(value: &str) -> Vec<Spelling> {
    if value.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<Spelling> = Vec::new();
    let mut push = |text: String, kind: SpellingKind| {
        let long_enough = kind == SpellingKind::Plain && !text.is_empty()
            || text.len() >= SHORTEST_ENCODED_SPELLING;
        if long_enough
            && !out
                .iter()
                .any(|known| known.text.eq_ignore_ascii_case(&text))
        {
            out.push(Spelling { text, kind });
        }
    };

    push(value.to_owned(), SpellingKind::Plain);
    for escaped in json_escapings(value) {
        push(escaped, SpellingKind::Plain);
    }
    for encoded in percent_encodings(value) {
        push(encoded, SpellingKind::Plain);
    }
    push(hex_lower(value.as_bytes()), SpellingKind::Hex);

    for run in base64_runs(value) {
        // Standard base64 in a URL or a JSON string may have `+`, `/` and `=` escaped.
        let percent_encoded = percent_encode(&run, is_unreserved);
        let slash_escaped = run.replace('/', "\\/");
        push(run, SpellingKind::Base64);
        push(percent_encoded, SpellingKind::Base64);
        push(slash_escaped, SpellingKind::Base64);
    }
    out.sort_by(|a, b| b.text.len().cmp(&a.text.len()).then(a.text.cmp(&b.text)));
    out
}

/// The base64 runs that appear in the base64 of any text holding `value`: for each alphabet,
/// the whole value (alone or after a known prefix), and the part of it whose bytes fill whole
/// 3-byte groups at each of the three alignments.
fn base64_runs(value: &str) -> Vec<String> {
    let bytes = value.as_bytes();
    let mut runs = Vec::new();
    for engine in [&STANDARD_NO_PAD, &URL_SAFE_NO_PAD] {
        for prefix in ENCODED_WITH_PREFIXES {
            let mut whole = prefix.as_bytes().to_vec();
            whole.extend_from_slice(bytes);
            runs.push(engine.encode(&whole));
        }
        // With `skip` bytes of the value completing the group a prefix began, the rest of the
        // value starts a group; only its whole groups are encoded independently of what
        // surrounds it.
        for skip in 0..3 {
            let Some(rest) = bytes.get(skip..) else {
                continue;
            };
            let whole_groups = rest.len() / 3 * 3;
            if whole_groups > 0 {
                runs.push(engine.encode(&rest[..whole_groups]));
            }
        }
    }
    runs
}

/// The ways JSON writers escape `value` inside a string.
fn json_escapings(value: &str) -> Vec<String> {
    let minimal = serde_json::to_string(value)
        .map(|quoted| quoted[1..quoted.len() - 1].to_owned())
        .unwrap_or_else(|_| value.to_owned());
    let slash_escaped = minimal.replace('/', "\\/");
    let mut non_alphanumeric_as_unicode = String::new();
    let mut everything_as_unicode = String::new();
    for character in value.chars() {
        let mut units = [0u16; 2];
        for unit in character.encode_utf16(&mut units).iter() {
            everything_as_unicode.push_str(&format!("\\u{unit:04x}"));
            if character.is_ascii_alphanumeric() {
                non_alphanumeric_as_unicode.push(character);
            } else {
                non_alphanumeric_as_unicode.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    vec![
        minimal,
        slash_escaped,
        non_alphanumeric_as_unicode,
        everything_as_unicode,
    ]
}

/// The ways URL encoders write `value`.
fn percent_encodings(value: &str) -> Vec<String> {
    let form = percent_encode(value, |byte| is_unreserved(byte) || byte == b' ').replace(' ', "+");
    vec![
        percent_encode(value, is_unreserved),
        form,
        // `encodeURIComponent`.
        percent_encode(value, |byte| {
            is_unreserved(byte) || matches!(byte, b'!' | b'\'' | b'(' | b')' | b'*')
        }),
        // `encodeURI`.
        percent_encode(value, |byte| {
            is_unreserved(byte) || b"!#$&'()*+,/:;=?@".contains(&byte)
        }),
        percent_encode(value, |_| false),
    ]
}

/// RFC 3986's unreserved characters.
fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

/// `text` with every byte that `keep` refuses written as `%XX`.
fn percent_encode(text: &str, keep: impl Fn(u8) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if keep(byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Whether `byte` continues a base64 word (either alphabet, and the `%` and `\` of its
/// percent-encoded or JSON-escaped forms; `=` only at its end).
pub(crate) fn is_base64_character(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'+' | b'/' | b'-' | b'_' | b'%' | b'\\')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(value: &str, expected_present: &[&str]) {
        let spellings = spellings_of(value);
        for expected in expected_present {
            assert!(
                spellings
                    .iter()
                    .any(|spelling| spelling.text.eq_ignore_ascii_case(expected)),
                "{expected:?} is not among the spellings of {value:?}: {spellings:#?}"
            );
        }
    }

    #[test]
    fn each_encoding_has_a_spelling() {
        check(
            "a/b c\"d",
            &[
                "a/b c\"d",
                "a/b c\\\"d",
                "a\\/b c\\\"d",
                "a\\u002fb\\u0020c\\u0022d",
                "a%2Fb%20c%22d",
                "a%2Fb+c%22d",
                "a/b%20c%22d",
                "612f6220632264",
            ],
        );
        // base64("abcdefgh") = YWJjZGVmZ2g; after one prefix byte the run from byte 2 on is
        // base64("cdefgh") = Y2RlZmdo.
        check("abcdefgh", &["YWJjZGVmZ2g", "Y2RlZmdo", "YmNkZWZn"]);
    }

    #[test]
    fn an_empty_value_has_no_spelling() {
        assert!(spellings_of("").is_empty());
    }
}
