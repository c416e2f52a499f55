//! Text from data in, text safe to show out: control characters escaped so that a payload, a
//! server or a schema cannot drive the reader's terminal, and counts with their noun in the
//! right number. Shared by every human-readable output (reports, diff, annotations).

use std::borrow::Cow;
use std::fmt::Write;

/// Whether `c` must not reach a terminal raw: C0 and C1 control characters, DEL, and the
/// Unicode bidirectional overrides and isolates (which reorder what the reader sees).
pub fn is_unsafe_to_show(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every character [`is_unsafe_to_show`] written as `\u{1b}`; borrowed when there is
/// none (the common case). Newlines and tabs are escaped too: data never breaks a report's lines.
pub fn escape_control_characters(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe_to_show) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe_to_show(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` with each line's control characters escaped and its line ends kept: for a rendering
/// whose lines are ours but whose words may be data.
pub fn escape_control_characters_by_line(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|line| {
            let (body, end) = match line.strip_suffix('\n') {
                Some(body) => (body, "\n"),
                None => (line, ""),
            };
            format!("{}{end}", escape_control_characters(body))
        })
        .collect()
}

/// `1 case`, `2 cases`, `0 cases`: a count and its noun in the right number.
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_escape(input: &str, expected: &str) {
        assert_eq!(
            escape_control_characters(input),
            expected,
            "input {input:?}"
        );
    }

    #[test]
    fn control_characters_are_escaped() {
        check_escape("plain עברית tiếng Việt", "plain עברית tiếng Việt");
        check_escape("\x1b]0;owned\x07\x1b[2J", "\\u{1b}]0;owned\\u{7}\\u{1b}[2J");
        check_escape("a\nb\tc\r", "a\\u{a}b\\u{9}c\\u{d}");
        check_escape("\u{7f}\u{85}\u{9b}", "\\u{7f}\\u{85}\\u{9b}");
        check_escape("x\u{202E}y\u{2066}", "x\\u{202e}y\\u{2066}");
    }

    #[test]
    fn line_ends_are_kept_when_escaping_by_line() {
        assert_eq!(
            escape_control_characters_by_line("a\x1b[2J\nb\r\n\nc"),
            "a\\u{1b}[2J\nb\\u{d}\n\nc"
        );
    }

    #[test]
    fn counts_take_the_right_number() {
        assert_eq!(count(0, "case", "cases"), "0 cases");
        assert_eq!(count(1, "case", "cases"), "1 case");
        assert_eq!(count(2, "case", "cases"), "2 cases");
        assert_eq!(
            count(1, "known discrepancy", "known discrepancies"),
            "1 known discrepancy"
        );
    }
}
