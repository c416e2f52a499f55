//! Credential values in, text that cannot show them out: a `Secret` whose `Debug` and `Display`
//! print a mask, and a `Scrubber` that replaces every secret, in every spelling `spellings`
//! lists (case-folded, JSON-escaped, percent-encoded, hex, base64), in text and in body bytes
//! before they can reach a finding, a log or a report.

use std::fmt;
use std::sync::{Arc, Mutex};

use aho_corasick::{AhoCorasick, MatchKind};

use crate::live::spellings::{SpellingKind, is_base64_character, spellings_of};

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
    pub(crate) fn expose_to_header(&self) -> &str {
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

/// One spelling of a secret and what replaces it.
#[derive(Debug, Clone)]
struct Needle {
    kind: SpellingKind,
    replacement: usize,
}

/// Replaces every known secret in text and bytes with `[redacted <ENV_NAME>]`.
///
/// Each secret is looked for in every spelling [`spellings_of`] lists (as written, JSON-escaped,
/// percent-encoded, hex, base64 in both alphabets and at every alignment), ASCII
/// case-insensitively, all in one pass of one automaton built when a secret is added. A base64
/// or hex match is widened to the whole base64 or hex word around it, so an encoded
/// `Bearer <token>` or `user:<token>` disappears whole.
#[derive(Clone, Default)]
pub struct Scrubber {
    spellings: Vec<(String, Needle)>,
    replacements: Vec<String>,
    /// `None` before the first secret; `Some(Err(()))` when the automaton could not be built,
    /// and then everything is replaced (failing closed).
    automaton: Option<Result<AhoCorasick, ()>>,
}

impl fmt::Debug for Scrubber {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "Scrubber({} spellings of secrets)",
            self.spellings.len()
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
        let spellings = spellings_of(secret.expose_to_header());
        if spellings.is_empty() {
            return;
        }
        let replacement = self.replacements.len();
        self.replacements
            .push(format!("[redacted {environment_variable}]"));
        for spelling in spellings {
            if !self
                .spellings
                .iter()
                .any(|(text, _)| text.eq_ignore_ascii_case(&spelling.text))
            {
                self.spellings.push((
                    spelling.text,
                    Needle {
                        kind: spelling.kind,
                        replacement,
                    },
                ));
            }
        }
        self.automaton = Some(
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::LeftmostLongest)
                .build(self.spellings.iter().map(|(text, _)| text.as_bytes()))
                .map_err(|_| ()),
        );
    }

    /// A scrubber for the credentials one request carries in `header_values` (`Bearer <token>`
    /// or a key): the token after the last space of each. The last one built is kept, so a
    /// server hearing the same credential again and again builds it once.
    pub(crate) fn for_credential_headers(header_values: &[&str]) -> Arc<Scrubber> {
        static LAST: Mutex<Option<(Vec<String>, Arc<Scrubber>)>> = Mutex::new(None);
        let mut tokens: Vec<String> = header_values
            .iter()
            .map(|value| {
                value
                    .trim()
                    .rsplit(' ')
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            })
            .filter(|token| !token.is_empty())
            .collect();
        tokens.sort();
        tokens.dedup();
        let mut last = LAST.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((known, scrubber)) = last.as_ref()
            && *known == tokens
        {
            return Arc::clone(scrubber);
        }
        let mut scrubber = Scrubber::new();
        for token in &tokens {
            scrubber.add("credential", &Secret::new(token.as_str()));
        }
        let scrubber = Arc::new(scrubber);
        *last = Some((tokens, Arc::clone(&scrubber)));
        scrubber
    }

    /// `text` with every secret replaced.
    pub fn scrub(&self, text: &str) -> String {
        let spans = self.spans(text.as_bytes());
        if spans.is_empty() {
            return text.to_owned();
        }
        // Spans start and end on ASCII bytes or at whole matches of UTF-8 spellings, so the
        // result is UTF-8 again.
        match String::from_utf8(self.replace(text.as_bytes(), &spans)) {
            Ok(scrubbed) => scrubbed,
            Err(error) => String::from_utf8_lossy(error.as_bytes()).into_owned(),
        }
    }

    /// `bytes` with every secret replaced (for bodies, before they are parsed or shown).
    pub fn scrub_bytes(&self, bytes: &[u8]) -> Vec<u8> {
        let spans = self.spans(bytes);
        if spans.is_empty() {
            return bytes.to_vec();
        }
        self.replace(bytes, &spans)
    }

    /// The byte ranges to replace, in order, not overlapping, each with its replacement.
    fn spans(&self, haystack: &[u8]) -> Vec<(usize, usize, usize)> {
        let automaton = match &self.automaton {
            None => return Vec::new(),
            Some(Ok(automaton)) => automaton,
            Some(Err(())) if haystack.is_empty() => return Vec::new(),
            Some(Err(())) => return vec![(0, haystack.len(), 0)],
        };
        let mut spans: Vec<(usize, usize, usize)> = Vec::new();
        for found in automaton.find_iter(haystack) {
            let needle = &self.spellings[found.pattern().as_usize()].1;
            let (mut start, mut end) = (found.start(), found.end());
            match needle.kind {
                SpellingKind::Plain => {}
                SpellingKind::Base64 => {
                    while start > 0 && is_base64_character(haystack[start - 1]) {
                        start -= 1;
                    }
                    while end < haystack.len() && is_base64_character(haystack[end]) {
                        end += 1;
                    }
                    while end < haystack.len() && haystack[end] == b'=' {
                        end += 1;
                    }
                }
                SpellingKind::Hex => {
                    while start > 0 && haystack[start - 1].is_ascii_hexdigit() {
                        start -= 1;
                    }
                    while end < haystack.len() && haystack[end].is_ascii_hexdigit() {
                        end += 1;
                    }
                }
            }
            // A widened match may swallow earlier ones: they merge into one span.
            let mut replacement = needle.replacement;
            while let Some(&(last_start, last_end, last_replacement)) = spans.last()
                && start < last_end
            {
                spans.pop();
                if last_start <= start {
                    replacement = last_replacement;
                }
                start = start.min(last_start);
                end = end.max(last_end);
            }
            spans.push((start, end, replacement));
        }
        spans
    }

    fn replace(&self, haystack: &[u8], spans: &[(usize, usize, usize)]) -> Vec<u8> {
        let mut out = Vec::with_capacity(haystack.len());
        let mut copied = 0;
        for &(start, end, replacement) in spans {
            out.extend_from_slice(&haystack[copied..start]);
            out.extend_from_slice(self.replacements[replacement].as_bytes());
            copied = end;
        }
        out.extend_from_slice(&haystack[copied..]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(secret: &str, text: &str, expected: &str) {
        let mut scrubber = Scrubber::new();
        scrubber.add("TOKEN", &Secret::new(secret));
        assert_eq!(scrubber.scrub(text), expected, "{text}");
        assert_eq!(
            scrubber.scrub_bytes(text.as_bytes()),
            expected.as_bytes(),
            "{text}"
        );
    }

    #[test]
    fn every_spelling_is_replaced_whole() {
        let secret = "s3cr3t/T0ken+x";
        check(secret, "a s3cr3t/T0ken+x b", "a [redacted TOKEN] b");
        check(secret, "a S3CR3T/T0KEN+X b", "a [redacted TOKEN] b");
        check(secret, "?t=s3cr3t%2FT0ken%2Bx&", "?t=[redacted TOKEN]&");
        check(secret, r#""s3cr3t\/T0ken+x""#, r#""[redacted TOKEN]""#);
        // base64("Bearer s3cr3t/T0ken+x"), padded.
        check(
            secret,
            "echo QmVhcmVyIHMzY3IzdC9UMGtlbit4 end",
            "echo [redacted TOKEN] end",
        );
        // base64("user:s3cr3t/T0ken+x"), padded: the prefix's alignment differs.
        check(
            secret,
            "Basic dXNlcjpzM2NyM3QvVDBrZW4reA== end",
            "Basic [redacted TOKEN] end",
        );
        // hex, upper case.
        check(secret, "hex 733363723374", "hex 733363723374");
        check(
            secret,
            "hex 7333637233742F54306B656E2B78!",
            "hex [redacted TOKEN]!",
        );
        check(secret, "nothing here", "nothing here");
    }

    #[test]
    fn an_empty_secret_changes_nothing() {
        check("", "any text", "any text");
    }
}
