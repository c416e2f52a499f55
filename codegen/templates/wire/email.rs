//! E-mail addresses for the wire types: text in, [`Email`] out, accepted exactly when the
//! schema's `pattern` for `email` accepts it (see `codegen/src/formats.rs`). Part of `wire.rs`,
//! copied with it into the generated crate.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{EXPECTED_EMAIL, MAX_DOMAIN, MAX_LABEL, MAX_LOCAL_PART, StrVisitor, WireError};

/// An e-mail address in the conservative form described at [`is_email`].
///
/// Equality, ordering and hashing compare the exact text (the domain is not case-folded).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Email(String);

/// Whether `s` is an e-mail address this crate accepts:
///
/// - a local part of 1 to 64 characters: dot-separated non-empty runs of ASCII letters, digits
///   and ``! # $ % & ' * + - / = ? ^ _ ` { | } ~`` (RFC 5322 `dot-atom`, no quoting, no
///   comments, no non-ASCII);
/// - `@`;
/// - a domain of 1 to 253 characters made of at least two dot-separated labels, each 1 to 63
///   characters of ASCII letters and digits in runs joined by single hyphens (no leading,
///   trailing or doubled hyphen, so no `xn--` labels), with no trailing dot and no IP literal.
///
/// Every such address passes `"format": "email"` in the `jsonschema` crate, `ajv-formats` and
/// Python's `jsonschema`.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let is_atext =
        |byte: u8| byte.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~".contains(&byte);
    let is_label = |label: &str| {
        label.len() <= MAX_LABEL
            && label
                .split('-')
                .all(|run| !run.is_empty() && run.bytes().all(|byte| byte.is_ascii_alphanumeric()))
    };
    local.len() <= MAX_LOCAL_PART
        && local
            .split('.')
            .all(|atom| !atom.is_empty() && atom.bytes().all(is_atext))
        && domain.len() <= MAX_DOMAIN
        && domain.contains('.')
        && domain.split('.').all(is_label)
}

impl Email {
    /// Reads an e-mail address; see [`is_email`].
    pub fn parse(s: &str) -> Result<Self, WireError> {
        if is_email(s) {
            Ok(Self(s.to_owned()))
        } else {
            Err(WireError::for_str(EXPECTED_EMAIL, s))
        }
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The address.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl TryFrom<String> for Email {
    type Error = WireError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        if is_email(&s) {
            Ok(Self(s))
        } else {
            Err(WireError::for_str(EXPECTED_EMAIL, &s))
        }
    }
}

impl FromStr for Email {
    type Err = WireError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Email {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Email {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(StrVisitor {
            expected: EXPECTED_EMAIL,
            parse: Email::parse,
        })
    }
}
