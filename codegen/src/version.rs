//! A `MAJOR.MINOR.PATCH` text in (a service's `schema_version`, a published version), the one
//! semantic-version type out: parsed once while lowering, ordered by its numbers, raised by a
//! bump, written back as the same text.

use std::fmt;

/// A schema version: `MAJOR.MINOR.PATCH`, each a number without leading zeros.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SchemaVersion {
    /// Raised for breaking changes.
    pub major: u64,
    /// Raised for compatible additions.
    pub minor: u64,
    /// Raised for descriptions and comments.
    pub patch: u64,
}

impl SchemaVersion {
    /// `1.2.3` → the version; anything else (two or four parts, a leading zero, a sign, a
    /// pre-release suffix) → `None`.
    pub fn parse(text: &str) -> Option<SchemaVersion> {
        let mut parts = text.split('.').map(|part| {
            let digits_only = !part.is_empty() && part.bytes().all(|byte| byte.is_ascii_digit());
            let no_leading_zero = part.len() == 1 || !part.starts_with('0');
            (digits_only && no_leading_zero)
                .then(|| part.parse::<u64>().ok())
                .flatten()
        });
        let major = parts.next()??;
        let minor = parts.next()??;
        let patch = parts.next()??;
        parts.next().is_none().then_some(SchemaVersion {
            major,
            minor,
            patch,
        })
    }
}

impl fmt::Display for SchemaVersion {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// Written as its text, `"1.2.3"`.
impl serde::Serialize for SchemaVersion {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::SchemaVersion;

    #[test]
    fn parses_three_numbers_and_writes_them_back() {
        for text in ["0.0.0", "1.2.3", "10.20.30"] {
            let version = SchemaVersion::parse(text).expect("a version");
            assert_eq!(version.to_string(), text);
        }
        for text in [
            "1.2",
            "1.2.3.4",
            "01.2.3",
            "1.2.x",
            "",
            "1..3",
            "+1.2.3",
            "1.2.3-rc1",
        ] {
            assert_eq!(SchemaVersion::parse(text), None, "{text}");
        }
        assert!(SchemaVersion::parse("1.10.0") > SchemaVersion::parse("1.9.9"));
    }
}
