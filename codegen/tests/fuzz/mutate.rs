//! Seed files and a list of mutations in, mutated bytes out: the shared input generator of the
//! fuzz targets (`codegen/tests/fuzz`, `conformance/tests/fuzz`). A case is a real file (a spec,
//! an example payload, a recording) with up to eight edits (bytes flipped, inserted, deleted,
//! duplicated, syntax tokens inserted, truncated, nested deeply), or plain random bytes. The
//! number of cases comes from `PROPTEST_CASES` (small by default, large in `.ci/fuzz`).

#![allow(dead_code)]

use std::path::Path;

use proptest::prelude::*;

/// Cases per target when `PROPTEST_CASES` is not set: enough to keep every target meaningful
/// in `cargo test`, small enough to stay quick.
pub(crate) const DEFAULT_CASES: u32 = 48;

/// The number of cases to run.
pub(crate) fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(DEFAULT_CASES)
}

/// A proptest configuration with [`cases`] cases and no shrinking time limit surprises.
pub(crate) fn config() -> ProptestConfig {
    ProptestConfig {
        cases: cases(),
        max_shrink_iters: 2_000,
        ..ProptestConfig::default()
    }
}

/// Pieces of JSON and YAML syntax worth inserting: structure, anchors and tags, escapes,
/// extreme numbers, a BOM, text in other scripts, line ends.
pub(crate) const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "\"",
    "'",
    ":",
    ",",
    "- ",
    "\n",
    "\n  ",
    "&a ",
    "*a",
    "!!binary ",
    "!!str ",
    "<<: *a\n",
    "\u{feff}",
    "null",
    "1e999999",
    "-0",
    "0.1e-400",
    "123456789012345678901234567890123456789",
    "\"\\ud800\"",
    "\\u0000",
    "~",
    "---\n",
    "...\n",
    "? ",
    "|\n",
    ">-\n",
    "#",
    "%YAML 1.2\n",
    "\t",
    "\r\n",
    "é",
    "\u{0}",
    "ם",
    "Ệ",
    "\\",
    "\"\\u0041\"",
    "true",
    "{\"a\":1,\"a\":2}",
    "[[[[[[[[[[",
    "]]]]]]]]]]",
];

/// One edit of a seed.
#[derive(Debug, Clone)]
pub(crate) enum Mutation {
    /// XOR the byte at `at` (modulo the length) with `with`.
    FlipByte { at: usize, with: u8 },
    /// Insert these bytes at `at`.
    Insert { at: usize, bytes: Vec<u8> },
    /// Insert `TOKENS[token]` at `at`.
    InsertToken { at: usize, token: usize },
    /// Delete up to `length` bytes from `at`.
    Delete { at: usize, length: usize },
    /// Copy up to `length` bytes from `from` to `to`.
    Duplicate {
        from: usize,
        length: usize,
        to: usize,
    },
    /// Keep only the first `at` bytes.
    Truncate { at: usize },
    /// Wrap the whole input in `depth` JSON arrays (or YAML flow sequences).
    Nest { depth: usize },
}

/// Any mutation.
pub(crate) fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<usize>(), 1..=255u8).prop_map(|(at, with)| Mutation::FlipByte { at, with }),
        2 => (any::<usize>(), prop::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        4 => (any::<usize>(), 0..TOKENS.len())
            .prop_map(|(at, token)| Mutation::InsertToken { at, token }),
        3 => (any::<usize>(), 1..64usize).prop_map(|(at, length)| Mutation::Delete { at, length }),
        2 => (any::<usize>(), 1..256usize, any::<usize>())
            .prop_map(|(from, length, to)| Mutation::Duplicate { from, length, to }),
        1 => any::<usize>().prop_map(|at| Mutation::Truncate { at }),
        1 => prop_oneof![1..64usize, 100..1_500usize].prop_map(|depth| Mutation::Nest { depth }),
    ]
}

/// `seed` with `mutations` applied in order.
pub(crate) fn apply(seed: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for mutation in mutations {
        let position = |at: usize, length: usize| if length == 0 { 0 } else { at % (length + 1) };
        match mutation {
            Mutation::FlipByte { at, with } => {
                if !bytes.is_empty() {
                    let index = at % bytes.len();
                    bytes[index] ^= with;
                }
            }
            Mutation::Insert {
                at,
                bytes: inserted,
            } => {
                let index = position(*at, bytes.len());
                bytes.splice(index..index, inserted.iter().copied());
            }
            Mutation::InsertToken { at, token } => {
                let index = position(*at, bytes.len());
                bytes.splice(index..index, TOKENS[*token].bytes());
            }
            Mutation::Delete { at, length } => {
                let start = position(*at, bytes.len());
                let end = (start + length).min(bytes.len());
                bytes.drain(start..end);
            }
            Mutation::Duplicate { from, length, to } => {
                let start = position(*from, bytes.len());
                let end = (start + length).min(bytes.len());
                let copied = bytes[start..end].to_vec();
                let index = position(*to, bytes.len());
                bytes.splice(index..index, copied);
            }
            Mutation::Truncate { at } => {
                let end = position(*at, bytes.len());
                bytes.truncate(end);
            }
            Mutation::Nest { depth } => {
                let mut nested = vec![b'['; *depth];
                nested.extend_from_slice(&bytes);
                nested.extend(std::iter::repeat_n(b']', *depth));
                bytes = nested;
            }
        }
    }
    bytes
}

/// A case: a seed (by index) with mutations, or random bytes (`None` seed).
pub(crate) fn input(
    seed_count: usize,
) -> impl Strategy<Value = (Option<usize>, Vec<Mutation>, Vec<u8>)> {
    prop_oneof![
        9 => (0..seed_count, prop::collection::vec(mutation(), 0..8))
            .prop_map(|(seed, mutations)| (Some(seed), mutations, Vec::new())),
        1 => prop::collection::vec(any::<u8>(), 0..512)
            .prop_map(|bytes| (None, Vec::new(), bytes)),
    ]
}

/// The bytes of a case.
pub(crate) fn bytes_of(
    seeds: &[(String, Vec<u8>)],
    case: &(Option<usize>, Vec<Mutation>, Vec<u8>),
) -> Vec<u8> {
    match case.0 {
        Some(seed) => apply(&seeds[seed].1, &case.1),
        None => case.2.clone(),
    }
}

/// Every file under `folder` (recursively) whose name ends in one of `extensions`, as
/// (path relative to `root` with `/`, bytes), in path order.
pub(crate) fn seed_files(root: &Path, folder: &str, extensions: &[&str]) -> Vec<(String, Vec<u8>)> {
    let mut found = Vec::new();
    let mut pending = vec![root.join(folder)];
    while let Some(directory) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&directory) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if extensions
                .iter()
                .any(|extension| path.to_string_lossy().ends_with(extension))
                && let Ok(bytes) = std::fs::read(&path)
                && let Ok(relative) = path.strip_prefix(root)
            {
                let relative = relative
                    .components()
                    .map(|part| part.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                found.push((relative, bytes));
            }
        }
    }
    found.sort();
    found
}
