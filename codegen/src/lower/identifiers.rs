//! Names and addresses in (service and endpoint ids, header names, environment variable names,
//! base URLs, JSON Pointer patterns, relative paths), whether each is well formed out, with the
//! first offending character where it is not.

use crate::diagnostic::{Diagnostic, SourceLocation};
use crate::load::SPEC_ROOT;
use crate::spec::{Entries, Spanned};

pub(super) fn check_env_name(path: &str, env: &Spanned<String>, diagnostics: &mut Vec<Diagnostic>) {
    let valid = env
        .value
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_uppercase())
        && env
            .value
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    if !valid {
        diagnostics.push(Diagnostic::new(
            SourceLocation::of(path, env),
            format!(
                "environment variable name `{}` must be upper-case ASCII letters, digits and `_`",
                env.value
            ),
        ));
    }
}

pub(super) fn check_base_url(
    path: &str,
    base_url: &Spanned<String>,
    variables: &Entries<crate::spec::VariableSpec>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let url = &base_url.value;
    let here = SourceLocation::of(path, base_url);
    if !(url.starts_with("https://") || url.starts_with("http://")) || url.ends_with('/') {
        diagnostics.push(Diagnostic::new(
            here.clone(),
            format!(
                "base_url must start with `https://` or `http://` and not end in `/`, found `{url}`"
            ),
        ));
    }
    let mut placeholders = Vec::new();
    let mut rest = url.as_str();
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            diagnostics.push(Diagnostic::new(
                here.clone(),
                format!("base_url has an unclosed `{{` in `{url}`"),
            ));
            return;
        };
        placeholders.push(rest[open + 1..open + close].to_owned());
        rest = &rest[open + close + 1..];
    }
    for placeholder in &placeholders {
        if !variables.iter().any(|(name, _)| &name.value == placeholder) {
            diagnostics.push(Diagnostic::new(
                here.clone(),
                format!("base_url placeholder `{{{placeholder}}}` has no entry in `variables`"),
            ));
        }
    }
    for (name, _) in variables.iter() {
        if !placeholders.contains(&name.value) {
            diagnostics.push(Diagnostic::new(
                SourceLocation::of(path, name),
                format!("variable `{}` is not a placeholder of base_url", name.value),
            ));
        }
    }
}

pub(super) fn is_service_id(id: &str) -> bool {
    id.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

pub(super) fn is_endpoint_id(id: &str) -> bool {
    id.split('.').all(is_service_id)
}

/// `: `X` is not allowed` for the first character an id may not have there, or nothing.
pub(super) fn first_offending(id: &str, dotted: bool) -> String {
    let mut word_start = true;
    for c in id.chars() {
        let allowed = if dotted && c == '.' {
            !word_start
        } else if word_start {
            c.is_ascii_lowercase()
        } else {
            c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'
        };
        if !allowed {
            let what = if word_start && dotted {
                "to start a word"
            } else if word_start {
                "to start it"
            } else {
                "in it"
            };
            return format!(": `{c}` is not allowed {what}");
        }
        word_start = dotted && c == '.';
    }
    if id.is_empty() || word_start {
        return ": it may not be empty or end in `.`".to_owned();
    }
    String::new()
}

pub(super) fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c))
}

pub(super) fn is_json_pointer_pattern(pointer: &str) -> bool {
    if pointer.is_empty() {
        return true;
    }
    if !pointer.starts_with('/') {
        return false;
    }
    // `~` must escape `0` or `1`.
    let mut chars = pointer.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '~' && !matches!(chars.peek(), Some('0' | '1')) {
            return false;
        }
    }
    true
}

/// Resolves `relative` against the folder of `from` (both relative to the project root).
/// `None` when the result would leave `spec/` or `relative` is absolute.
pub fn resolve_relative(from: &str, relative: &str) -> Option<String> {
    if relative.starts_with('/') || relative.contains('\\') || relative.is_empty() {
        return None;
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for segment in relative.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    (parts.first() == Some(&SPEC_ROOT) && parts.len() > 1).then(|| parts.join("/"))
}
