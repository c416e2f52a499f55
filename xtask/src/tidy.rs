//! The repository's hand-written Rust sources in, a failing test for every house rule broken
//! out: rules that matter are enforced here, not only written down in ARCHITECTURE.md.

use std::fs;
use std::path::{Path, PathBuf};

/// Folders whose Rust files are hand-written (everything under them but `target/`).
const HAND_WRITTEN_FOLDERS: &[&str] = &["codegen", "conformance", "xtask"];

/// Library sources: they report through return values, never by printing.
const LIBRARY_SOURCE_FOLDERS: &[&str] = &["codegen/src", "conformance/src"];

/// The generator is a pure function: these would let the outside world in.
const IMPURE_IN_GENERATOR: &[&str] = &[
    "std::fs",
    "std::env",
    "std::net",
    "std::process",
    "SystemTime",
    "Instant::now",
    "thread_rng",
    "rand::rng",
    "env!(",
    "option_env!(",
];

/// A hand-written source file longer than this has grown more than one job: split it.
const MOST_LINES_IN_A_SOURCE_FILE: usize = 900;

/// Words that mark unfinished code. Spelled in two halves so this file does not match itself.
fn unfinished_markers() -> [String; 4] {
    [
        format!("{}{}", "todo", "!("),
        format!("{}{}", "dbg", "!("),
        format!("{}{}", "FIX", "ME"),
        format!("{}{}", "unimplemented", "!("),
    ]
}

/// Printing macros, spelled in halves likewise.
fn printing_macros() -> [String; 4] {
    [
        format!("{}{}", "println", "!("),
        format!("{}{}", "eprintln", "!("),
        format!("{}{}", "print", "!("),
        format!("{}{}", "eprint", "!("),
    ]
}

/// One broken rule: where, and which.
fn violation(path: &Path, line_number: usize, rule: &str) -> String {
    format!("{}:{line_number}: {rule}", path.display())
}

fn root() -> PathBuf {
    crate::project_root::for_tests()
}

/// Every `.rs` file below `folder`, `target/` left out, in path order.
fn rust_files(folder: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                if entry.file_name() != "target" {
                    pending.push(path);
                }
            } else if kind.is_file() && path.extension().is_some_and(|ext| ext == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Lines that are code: comments (`//`, `///`, `//!`) are left out.
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line))
        .filter(|(_, line)| !line.trim_start().starts_with("//"))
}

/// The whole check over the repository: every violation, located.
fn violations_in(root: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for folder in HAND_WRITTEN_FOLDERS {
        for path in rust_files(&root.join(folder)) {
            let Ok(text) = fs::read_to_string(&path) else {
                found.push(violation(&path, 0, "not readable as UTF-8"));
                continue;
            };
            let relative = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            found.extend(violations_in_file(&relative, &text));
        }
    }
    found
}

/// The rules that apply to one file, given its path relative to the root.
fn violations_in_file(relative: &Path, text: &str) -> Vec<String> {
    let mut found = Vec::new();
    if !text.starts_with("//!") {
        found.push(violation(
            relative,
            1,
            "opens without a `//!` line saying what goes in and what comes out",
        ));
    }
    let line_count = text.lines().count();
    if line_count > MOST_LINES_IN_A_SOURCE_FILE {
        found.push(violation(
            relative,
            line_count,
            &format!(
                "{line_count} lines, more than {MOST_LINES_IN_A_SOURCE_FILE}: split the file by job"
            ),
        ));
    }
    for marker in unfinished_markers() {
        for (line_number, line) in text.lines().enumerate() {
            if line.contains(&marker) {
                found.push(violation(
                    relative,
                    line_number + 1,
                    &format!("unfinished code: `{marker}`"),
                ));
            }
        }
    }
    let in_generator = relative.starts_with("codegen/src");
    let in_library = LIBRARY_SOURCE_FOLDERS
        .iter()
        .any(|folder| relative.starts_with(folder));
    for (line_number, line) in code_lines(text) {
        if in_generator {
            for word in IMPURE_IN_GENERATOR {
                if line.contains(word) {
                    found.push(violation(
                        relative,
                        line_number,
                        &format!("the generator is pure, yet uses `{word}`"),
                    ));
                }
            }
        }
        if in_library {
            for word in printing_macros() {
                if contains_macro(line, &word) {
                    found.push(violation(
                        relative,
                        line_number,
                        &format!("a library prints (`{word}`): return it to the caller"),
                    ));
                }
            }
        }
    }
    found
}

/// Whether `line` calls the macro `word` (`print!(` is not a match inside `eprint!(`).
/// A call spelled with an escaped quote (`println!(\"…`) is text inside a string literal of
/// generated code (a program the generator writes), not a call this library makes.
fn contains_macro(line: &str, word: &str) -> bool {
    line.match_indices(word).any(|(at, _)| {
        let starts_a_name = at == 0
            || !line[..at]
                .chars()
                .next_back()
                .is_some_and(|before| before.is_alphanumeric() || before == '_');
        let inside_a_string = line[at + word.len()..].starts_with("\\\"");
        starts_a_name && !inside_a_string
    })
}

#[test]
fn the_house_rules_hold() {
    let found = violations_in(&root());
    assert!(
        found.is_empty(),
        "house rules broken:\n{}",
        found.join("\n")
    );
}

/// The rules themselves, each shown failing on a line that breaks it and passing on one that
/// does not, so the tidy test cannot pass vacuously.
#[test]
fn each_rule_catches_what_it_names() {
    let cases: &[(&str, &str, usize)] = &[
        ("codegen/src/a.rs", "//! ok\nfn f() {}\n", 0),
        ("codegen/src/a.rs", "fn f() {}\n", 1),
        ("codegen/src/a.rs", "//! ok\nuse std::fs;\n", 1),
        ("codegen/src/a.rs", "//! ok\n// std::fs in a comment\n", 0),
        (
            "codegen/src/a.rs",
            "//! ok\nlet t = std::time::Instant::now();\n",
            1,
        ),
        ("xtask/src/a.rs", "//! ok\nuse std::fs;\n", 0),
        (
            "conformance/src/a.rs",
            "//! ok\nfn f() { eprintln!(\"x\"); }\n",
            1,
        ),
        (
            "conformance/src/a.rs",
            "//! ok\nfn f() { print!(\"x\"); }\n",
            1,
        ),
        (
            "codegen/src/a.rs",
            "//! ok\nconst PROGRAM: &str = \"fn main() { println!(\\\"hi\\\"); }\";\n",
            0,
        ),
        ("xtask/src/a.rs", "//! ok\nfn f() { println!(\"x\"); }\n", 0),
        (
            "xtask/src/a.rs",
            &format!("//! ok\nfn f() {{ {}!() }}\n", "todo"),
            1,
        ),
        (
            "xtask/src/a.rs",
            &format!("//! ok\n// {}{}: later\n", "FIX", "ME"),
            1,
        ),
        (
            "conformance/tests/it/a.rs",
            &format!("//! ok\nfn f() {{ {}!(1); }}\n", "dbg"),
            1,
        ),
    ];
    let long_file = format!(
        "//! ok\n{}",
        "fn f() {}\n".repeat(MOST_LINES_IN_A_SOURCE_FILE)
    );
    let longest_allowed = format!(
        "//! ok\n{}",
        "fn f() {}\n".repeat(MOST_LINES_IN_A_SOURCE_FILE - 1)
    );
    let long_cases: &[(&str, &str, usize)] = &[
        ("codegen/src/a.rs", &long_file, 1),
        ("conformance/tests/it/a.rs", &long_file, 1),
        ("codegen/src/a.rs", &longest_allowed, 0),
    ];
    for (path, text, expected) in cases.iter().chain(long_cases) {
        let found = violations_in_file(Path::new(path), text);
        assert_eq!(found.len(), *expected, "{path}: {text:?} gave {found:?}");
    }
}
