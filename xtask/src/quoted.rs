//! The specs' output quoted in hand-written files, kept current by `gen`: every known
//! discrepancy the specs record (`codegen::emit_contradictions`), between README.md's
//! contradictions markers. In: the root and the specs' model and sources (in memory); out: each
//! quoting file's new text, for `gen` to write or `--check` to report as stale. Pure generator
//! code only, so `gen` never needs the checker.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result};
use codegen::{Model, SpecSources};

/// The file that quotes the examples report.
pub(crate) const README: &str = "README.md";

/// Whether `path` (relative to the root) is a file that quotes the specs, written at the root.
pub(crate) fn is_quoting_file(path: &str) -> bool {
    path == README
}

/// The line before the quoted report.
pub(crate) const CONTRADICTIONS_START: &str = "<!-- contradictions: every known discrepancy the specs record, written by `cargo xtask gen` -->\n```text\n";

/// The line after it.
pub(crate) const CONTRADICTIONS_END: &str = "```\n<!-- /contradictions -->";

/// Every quoting file under `root` whose quote is out of date, with its new text (path relative
/// to `root`). A file without the markers quotes nothing.
pub(crate) fn refreshed_quotes(
    root: &Path,
    sources: &SpecSources,
    model: &Model,
) -> Result<BTreeMap<String, String>> {
    let mut refreshed = BTreeMap::new();
    let readme_path = root.join(README);
    let readme = match fs::read_to_string(&readme_path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(refreshed),
        Err(error) => {
            return Err(error).with_context(|| format!("reading {}", readme_path.display()));
        }
    };
    if !readme.contains(CONTRADICTIONS_START) {
        return Ok(refreshed);
    }
    let rendered = codegen::emit_contradictions::render(model, sources);
    if let Some(new_text) = with_quote(&readme, &rendered)
        && new_text != readme.replace("\r\n", "\n")
    {
        refreshed.insert(README.to_owned(), new_text);
    }
    Ok(refreshed)
}

/// `text` with the part between the contradictions markers replaced by `quote`; `None` when
/// the markers are missing or out of order.
pub(crate) fn with_quote(text: &str, quote: &str) -> Option<String> {
    let text = text.replace("\r\n", "\n");
    let (before, rest) = text.split_once(CONTRADICTIONS_START)?;
    let (_, after) = rest.split_once(CONTRADICTIONS_END)?;
    Some(format!(
        "{before}{CONTRADICTIONS_START}{quote}{CONTRADICTIONS_END}{after}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quote_replaces_only_what_is_between_the_markers() {
        let text = format!("intro\n{CONTRADICTIONS_START}old\n{CONTRADICTIONS_END}\nrest\n");
        assert_eq!(
            with_quote(&text, "new\n").as_deref(),
            Some(
                format!("intro\n{CONTRADICTIONS_START}new\n{CONTRADICTIONS_END}\nrest\n").as_str()
            )
        );
        assert_eq!(with_quote("no markers\n", "new\n"), None);
        assert_eq!(
            with_quote(&format!("{CONTRADICTIONS_END}{CONTRADICTIONS_START}"), "x"),
            None
        );
    }
}
