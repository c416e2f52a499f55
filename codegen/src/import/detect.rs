//! A page's text in, its shape out: markdown (fenced code, pipe tables, `#` headings), an HTML
//! document, or text copied from a browser.

use super::PageFormat;

/// The shape of `page`, from its marks: an HTML document starts with `<!doctype` or `<html`;
/// markdown has fenced code, a pipe table's separator row or `#` headings; anything else is
/// rendered text.
pub fn detect(page: &str) -> PageFormat {
    let start = page
        .trim_start_matches('\u{feff}')
        .trim_start()
        .get(..16)
        .unwrap_or(page.trim_start())
        .to_ascii_lowercase();
    if start.starts_with("<!doctype") || start.starts_with("<html") {
        return PageFormat::Html;
    }
    let mut markdown_marks = 0;
    for line in page.lines() {
        let line = line.trim();
        if line.starts_with("```") || line.starts_with("~~~") || is_pipe_separator(line) {
            markdown_marks += 2;
        } else if line.starts_with("# ") || line.starts_with("## ") || line.starts_with("### ") {
            markdown_marks += 1;
        }
    }
    if markdown_marks >= 2 {
        return PageFormat::Markdown;
    }
    let lower = page.to_ascii_lowercase();
    if lower.contains("<table") && lower.contains("</td>") || lower.contains("<h1") {
        return PageFormat::Html;
    }
    PageFormat::Rendered
}

/// Whether `line` is a pipe table's separator row (`| --- | :-: |`).
pub(crate) fn is_pipe_separator(line: &str) -> bool {
    let line = line.trim();
    line.contains('-')
        && line.contains('|')
        && line
            .chars()
            .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}
