//! Text copied from a browser in, the page's blocks out. There, every table cell stands on its
//! own line and empty cells vanish: a table is found by its header (a run of lines that are all
//! column names, `Required` `Key` `Value` `Note`), and its rows are put back together by what
//! each line can be (a required mark, a name followed by a type word, a note). JSON examples
//! are found by their braces, curl commands by `curl`; the first line is the page's title.

use super::reading::{Block, RawTable};
use super::type_words::{self, ColumnRole};

/// Every block of a rendered page, in order.
pub(crate) fn blocks(page: &str) -> Vec<Block> {
    // Blank lines carry nothing in copied text; JSON and curl blocks are cut from `page` itself.
    let lines: Vec<(usize, &str)> = line_offsets(page)
        .into_iter()
        .filter(|(_, line)| !line.trim().is_empty())
        .collect();
    let mut blocks = Vec::new();
    let mut index = 0;
    let mut titled = false;
    let mut scan_budget = MAX_JSON_SCAN_TOTAL;
    while index < lines.len() {
        let (offset, line) = lines[index];
        let trimmed = line.trim();
        if !titled {
            blocks.push(Block::Heading {
                level: 1,
                text: trimmed.to_owned(),
            });
            titled = true;
            index += 1;
            continue;
        }
        if trimmed.starts_with('{') || trimmed.starts_with('[') {
            let start = offset + (line.len() - line.trim_start().len());
            if let Some(end) = balanced_end(page, start, &mut scan_budget) {
                // The block's bytes run to the end of the closing brace's line.
                let end = match page[end..].find('\n') {
                    Some(newline) if page[end..end + newline].trim().is_empty() => {
                        end + newline + 1
                    }
                    _ => end,
                };
                blocks.push(Block::Code {
                    title: None,
                    language: None,
                    text: page[start..end].to_owned(),
                });
                while index < lines.len() && lines[index].0 < end {
                    index += 1;
                }
                continue;
            }
        }
        if trimmed.starts_with("curl ") {
            let mut quotes = 0;
            let mut end = offset;
            while index < lines.len() {
                let (line_offset, line) = lines[index];
                end = line_offset + line.len();
                quotes += line.matches('\'').count();
                index += 1;
                if quotes % 2 == 0 && !line.trim_end().ends_with('\\') {
                    break;
                }
            }
            blocks.push(Block::Code {
                title: None,
                language: None,
                text: page[offset..end].to_owned(),
            });
            continue;
        }
        let header_roles = header_run(&lines, index);
        if header_roles.len() >= 2 {
            let header: Vec<String> = lines[index..index + header_roles.len()]
                .iter()
                .map(|(_, line)| line.trim().to_owned())
                .collect();
            let (rows, next) = rows(&lines, index + header_roles.len(), &header_roles);
            blocks.push(Block::Table(RawTable { header, rows }));
            index = next;
            continue;
        }
        blocks.push(Block::Text(trimmed.to_owned()));
        index += 1;
    }
    blocks
}

/// Each line (without its line break) and the byte offset it starts at.
fn line_offsets(page: &str) -> Vec<(usize, &str)> {
    let mut offset = 0;
    page.split_inclusive('\n')
        .map(|line| {
            let start = offset;
            offset += line.len();
            (start, line.trim_end_matches(['\n', '\r']))
        })
        .collect()
}

/// Longest example read from copied text, and the most bytes all attempts together scan (a
/// page of unclosed `{` lines would otherwise be scanned to its end from every one of them).
const MAX_JSON_SCAN: usize = 1 << 20;
const MAX_JSON_SCAN_TOTAL: usize = 32 << 20;

/// The byte just after the JSON value (or brace-balanced text) starting at `start`, within the
/// scan budget.
fn balanced_end(text: &str, start: usize, budget: &mut usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let window = MAX_JSON_SCAN.min(*budget);
    for (offset, c) in text[start..].char_indices() {
        if offset >= window {
            *budget = budget.saturating_sub(offset);
            return None;
        }
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' => depth += 1,
            '}' | ']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    *budget = budget.saturating_sub(offset);
                    return Some(start + offset + 1);
                }
            }
            _ => {}
        }
    }
    *budget = budget.saturating_sub(text.len() - start);
    None
}

/// The roles of the run of header lines starting at `index` (empty when there is none): every
/// line a column name, a name column among them, and a type, required or note column too.
fn header_run(lines: &[(usize, &str)], index: usize) -> Vec<ColumnRole> {
    let roles: Vec<ColumnRole> = lines[index..]
        .iter()
        .take(8)
        .map_while(|(_, line)| type_words::column_role(line))
        .collect();
    let has_name = roles.contains(&ColumnRole::Name);
    let has_other = roles.iter().any(|role| {
        matches!(
            role,
            ColumnRole::Type | ColumnRole::Required | ColumnRole::Optional | ColumnRole::Note
        )
    });
    if has_name && has_other {
        roles
    } else {
        Vec::new()
    }
}

/// Whether `line` can be a wire name: one token of letters, digits, `_`, `-`, `.`, `$`, `[]`.
fn is_name_like(line: &str) -> bool {
    let line = line.trim().trim_matches('`');
    !line.is_empty()
        && line.chars().count() <= 64
        && line
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '$' | '[' | ']'))
        && !type_words::is_visible_required_mark(line)
}

/// Whether `line` can be a type cell: a known type word, or (for words the importer does not
/// know) a single token not followed by a known type word.
fn is_type_like(lines: &[(usize, &str)], index: usize) -> bool {
    let Some((_, line)) = lines.get(index) else {
        return false;
    };
    if type_words::is_type_word(line) {
        return true;
    }
    let next_is_type = lines
        .get(index + 1)
        .is_some_and(|(_, next)| type_words::is_type_word(next));
    let token = line.trim();
    !token.is_empty() && !token.contains(' ') && token.chars().count() <= 32 && !next_is_type
}

fn is_mark_role(role: ColumnRole) -> bool {
    matches!(role, ColumnRole::Required | ColumnRole::Optional)
}

/// Whether a row starts at `index`: the marks before the name column (if shown), a name, then
/// (when the table has a type column) the marks between and a type.
fn row_start(lines: &[(usize, &str)], index: usize, roles: &[ColumnRole]) -> bool {
    let Some(name_at) = roles.iter().position(|role| *role == ColumnRole::Name) else {
        return false;
    };
    let mut at = index;
    for role in &roles[..name_at] {
        if is_mark_role(*role)
            && lines
                .get(at)
                .is_some_and(|(_, line)| type_words::is_visible_required_mark(line))
        {
            at += 1;
        }
    }
    if !lines.get(at).is_some_and(|(_, line)| is_name_like(line)) {
        return false;
    }
    at += 1;
    let Some(type_at) = roles.iter().position(|role| *role == ColumnRole::Type) else {
        return true;
    };
    if type_at < name_at {
        return true;
    }
    for role in &roles[name_at + 1..type_at] {
        if is_mark_role(*role)
            && lines
                .get(at)
                .is_some_and(|(_, line)| type_words::is_visible_required_mark(line))
        {
            at += 1;
        }
    }
    // `wiki` `text` `string` `a note`: `text` is the next row's name, so `wiki` is a note;
    // but in `phone` `string` `email` `string`, `email` starts the next row.
    let line_is =
        |index: usize, test: fn(&str) -> bool| lines.get(index).is_some_and(|(_, line)| test(line));
    let type_is_next_name = line_is(at, is_name_like)
        && line_is(at + 1, type_words::is_type_word)
        && !(line_is(at + 1, is_name_like) && line_is(at + 2, type_words::is_type_word));
    is_type_like(lines, at) && !type_is_next_name
}

/// The rows from `index` on, and the index after the table.
fn rows(
    lines: &[(usize, &str)],
    mut index: usize,
    roles: &[ColumnRole],
) -> (Vec<Vec<String>>, usize) {
    let mut rows = Vec::new();
    while index < lines.len() && row_start(lines, index, roles) {
        let mut row = vec![String::new(); roles.len()];
        for (column, role) in roles.iter().enumerate() {
            let Some((_, line)) = lines.get(index) else {
                break;
            };
            let line = line.trim();
            match role {
                ColumnRole::Required | ColumnRole::Optional => {
                    if type_words::is_visible_required_mark(line) {
                        row[column] = line.to_owned();
                        index += 1;
                    }
                }
                ColumnRole::Name => {
                    row[column] = line.to_owned();
                    index += 1;
                }
                ColumnRole::Type => {
                    if is_type_like(lines, index) {
                        row[column] = line.to_owned();
                        index += 1;
                    }
                }
                ColumnRole::Default | ColumnRole::Note | ColumnRole::Ignored => {
                    if row_start(lines, index, roles) || line.is_empty() {
                        continue;
                    }
                    let mut text = vec![line.to_owned()];
                    index += 1;
                    // Further lines belong to the note when a row follows them.
                    if column + 1 == roles.len() {
                        let mut lookahead = index;
                        while lookahead < lines.len()
                            && lookahead < index + 4
                            && !lines[lookahead].1.trim().is_empty()
                            && !row_start(lines, lookahead, roles)
                        {
                            lookahead += 1;
                        }
                        if lookahead > index
                            && lookahead < lines.len()
                            && row_start(lines, lookahead, roles)
                        {
                            text.extend(
                                lines[index..lookahead]
                                    .iter()
                                    .map(|(_, line)| line.trim().to_owned()),
                            );
                            index = lookahead;
                        }
                    }
                    row[column] = text.join("\n");
                }
            }
        }
        rows.push(row);
    }
    (rows, index)
}
