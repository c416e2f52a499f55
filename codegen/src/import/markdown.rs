//! Markdown text in (Docusaurus, GitBook), the page's blocks out: `#` headings, pipe tables,
//! HTML `<table>`s, fenced code (exact bytes, with the fence's `title="…"`), and lines of text
//! with HTML tags stripped and entities decoded. Front matter is skipped.

use super::detect::is_pipe_separator;
use super::html;
use super::reading::{Block, RawTable};

/// Every block of a markdown page, in order.
pub(crate) fn blocks(page: &str) -> Vec<Block> {
    let lines: Vec<&str> = page.split_inclusive('\n').collect();
    let mut blocks = Vec::new();
    let mut index = skip_front_matter(&lines);
    while index < lines.len() {
        let line = lines[index].trim_end_matches(['\n', '\r']);
        let trimmed = line.trim();
        if let Some(fence) = fence_of(trimmed) {
            let title = fence_title(trimmed);
            let language = trimmed
                .trim_start_matches(['`', '~'])
                .split_whitespace()
                .next()
                .filter(|word| !word.contains('='))
                .map(str::to_lowercase);
            let mut text = String::new();
            index += 1;
            while index < lines.len() {
                let inner = lines[index].trim();
                if inner.starts_with(fence)
                    && inner
                        .trim_start_matches(fence.chars().next().unwrap_or('`'))
                        .is_empty()
                {
                    break;
                }
                text.push_str(lines[index]);
                index += 1;
            }
            blocks.push(Block::Code {
                title,
                language,
                text,
            });
            index += 1;
            continue;
        }
        if trimmed.to_ascii_lowercase().contains("<table") {
            let mut fragment = String::new();
            while index < lines.len() {
                fragment.push_str(lines[index]);
                let closes = lines[index].to_ascii_lowercase().contains("</table>");
                index += 1;
                if closes {
                    break;
                }
            }
            blocks.extend(html::tables(&fragment).into_iter().map(Block::Table));
            continue;
        }
        if trimmed.starts_with('|') || trimmed.contains(" | ") {
            let next = lines
                .get(index + 1)
                .map(|next| next.trim())
                .unwrap_or_default();
            if is_pipe_separator(next) {
                let header = pipe_cells(trimmed);
                let mut rows = Vec::new();
                index += 2;
                while index < lines.len() && lines[index].contains('|') {
                    let cells = pipe_cells(lines[index].trim());
                    if !cells.iter().all(String::is_empty) {
                        rows.push(cells);
                    }
                    index += 1;
                }
                blocks.push(Block::Table(RawTable { header, rows }));
                continue;
            }
        }
        if let Some((level, text)) = heading(trimmed) {
            blocks.push(Block::Heading { level, text });
        } else {
            let text = html::collapse_spaces(&html::strip_tags(line));
            if !text.is_empty() {
                blocks.push(Block::Text(text));
            }
        }
        index += 1;
    }
    blocks
}

/// The index of the first line after a `---` front matter block (0 without one).
fn skip_front_matter(lines: &[&str]) -> usize {
    if lines.first().map(|line| line.trim()) != Some("---") {
        return 0;
    }
    lines
        .iter()
        .skip(1)
        .position(|line| line.trim() == "---")
        .map_or(0, |end| end + 2)
}

/// The fence (```` ``` ```` or `~~~`) a line opens, if it opens one.
fn fence_of(line: &str) -> Option<&'static str> {
    if line.starts_with("```") {
        Some("```")
    } else if line.starts_with("~~~") {
        Some("~~~")
    } else {
        None
    }
}

/// The `title="…"` of a fence's info string.
fn fence_title(line: &str) -> Option<String> {
    let at = line.find("title=")?;
    let rest = &line[at + "title=".len()..];
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let body = &rest[1..];
    let end = body.find(quote)?;
    Some(body[..end].to_owned())
}

/// A `#` heading's level and text (trailing `#`s, HTML tags and entities dealt with).
fn heading(line: &str) -> Option<(u8, String)> {
    let level = line.chars().take_while(|c| *c == '#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let rest = &line[level..];
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    let text = html::collapse_spaces(&html::strip_tags(rest.trim().trim_end_matches('#')));
    u8::try_from(level).ok().map(|level| (level, text))
}

/// The cells of a pipe table row: split at `|` outside backticks (`\|` is a pipe in a cell),
/// each trimmed; the outer pipes do not make cells.
pub(crate) fn pipe_cells(line: &str) -> Vec<String> {
    let line = line.trim();
    let line = line.strip_prefix('|').unwrap_or(line);
    let line = if line.ends_with('|') && !line.ends_with("\\|") {
        &line[..line.len() - 1]
    } else {
        line
    };
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut in_code = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cell.push('|');
                chars.next();
            }
            '`' => {
                in_code = !in_code;
                cell.push(c);
            }
            '|' if !in_code => {
                cells.push(clean_cell(&cell));
                cell.clear();
            }
            _ => cell.push(c),
        }
    }
    cells.push(clean_cell(&cell));
    cells
}

/// A pipe cell's text: `<br>` as a line break, other tags stripped, entities decoded, trimmed.
fn clean_cell(cell: &str) -> String {
    let with_breaks = cell
        .replace("<br>", "\n")
        .replace("<br/>", "\n")
        .replace("<br />", "\n");
    with_breaks
        .lines()
        .map(|line| html::collapse_spaces(&html::strip_tags(line)))
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}
