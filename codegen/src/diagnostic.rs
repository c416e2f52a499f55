//! Problems found in spec files, each pinned to a file, line and column.

use std::fmt;

/// A place in a spec file (or in a file a spec names): 1-based line and column, in characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SourceLocation {
    /// Path relative to the repository root, with `/` separators (`spec/crm/leads.create.yaml`).
    pub path: String,
    /// 1-based line.
    pub line: u64,
    /// 1-based column.
    pub column: u64,
}

impl SourceLocation {
    /// The location of a spanned YAML value in the file at `path`.
    pub fn of<T>(path: &str, spanned: &serde_saphyr::Spanned<T>) -> SourceLocation {
        SourceLocation::at(path, spanned.referenced)
    }

    /// A reader location in the file at `path`; unknown locations become 1:1.
    pub fn at(path: &str, location: serde_saphyr::Location) -> SourceLocation {
        SourceLocation {
            path: path.to_owned(),
            line: location.line().max(1),
            column: location.column().max(1),
        }
    }

    /// The start of the file at `path`.
    pub fn start_of(path: &str) -> SourceLocation {
        SourceLocation {
            path: path.to_owned(),
            line: 1,
            column: 1,
        }
    }
}

impl fmt::Display for SourceLocation {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}:{}:{}", self.path, self.line, self.column)
    }
}

/// One problem in the specs: where it is, what was found and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnostic {
    /// Where the problem is.
    pub location: SourceLocation,
    /// What is wrong, lower-case, without a trailing period.
    pub message: String,
}

impl Diagnostic {
    /// A problem at `location`.
    pub fn new(location: SourceLocation, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            location,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}: {}", self.location, self.message)
    }
}

/// Every problem found in a set of spec files, sorted by file, line and column.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} problem{} in the specs", .0.len(), if .0.len() == 1 { "" } else { "s" })]
pub struct SpecErrors(pub Vec<Diagnostic>);

impl SpecErrors {
    /// The problems, sorted and without repeats.
    pub fn new(mut diagnostics: Vec<Diagnostic>) -> SpecErrors {
        diagnostics.sort();
        diagnostics.dedup();
        SpecErrors(diagnostics)
    }

    /// One line per problem.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for diagnostic in &self.0 {
            out.push_str(&diagnostic.to_string());
            out.push('\n');
        }
        out
    }
}
