//! Fuzz target of the spec loader: the project's specs with one file mutated (or replaced by
//! random bytes) in, never a panic out: `load` and `load_model` give a model or problems, each
//! located in a file the sources hold, at a line and column inside it. Run with a small case
//! count by `cargo test`, a large one by `.ci/fuzz`; prints how many cases ran and how they
//! ended.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests and benches fail by panicking, with the expectation that was not met"
)]

#[path = "../../../xtask/src/spec_dir.rs"]
#[allow(dead_code)]
mod spec_dir;

mod mutate;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use codegen::{Diagnostic, SpecSources};
use proptest::prelude::*;

fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Whether `diagnostic` points inside a file of `sources` (or a file a spec names, which
/// may be missing), at a line the file has.
fn check_located(sources: &SpecSources, diagnostic: &Diagnostic) -> Result<(), TestCaseError> {
    let location = &diagnostic.location;
    prop_assert!(!location.path.is_empty(), "no file: {diagnostic:?}");
    prop_assert!(location.line >= 1 && location.column >= 1, "{diagnostic:?}");
    prop_assert!(!diagnostic.message.is_empty(), "no message: {diagnostic:?}");
    if let Some(bytes) = sources.get(&location.path) {
        let lines = bytes.iter().filter(|byte| **byte == b'\n').count() as u64 + 1;
        prop_assert!(
            location.line <= lines + 1,
            "line {} of a file with {lines} lines: {diagnostic:?}",
            location.line
        );
    }
    Ok(())
}

#[test]
fn the_spec_loader_never_panics_and_locates_every_problem() {
    let root = project_root();
    let sources = spec_dir::read_spec_sources(&root).expect("spec/ is readable");
    let seeds: Vec<(String, Vec<u8>)> = sources
        .iter()
        .filter(|(path, _)| path.ends_with(".yaml"))
        .map(|(path, bytes)| (path.to_owned(), bytes.to_vec()))
        .collect();
    assert!(seeds.len() >= 5, "the seeds are the project's spec files");
    let ran = AtomicUsize::new(0);
    let models = AtomicUsize::new(0);
    let rejected = AtomicUsize::new(0);
    proptest!(mutate::config(), |(case in mutate::input(seeds.len()), target in 0..seeds.len())| {
        let bytes = mutate::bytes_of(&seeds, &case);
        let path = &seeds[case.0.unwrap_or(target)].0;
        let mut mutated = SpecSources::new();
        for (other, other_bytes) in sources.iter() {
            if other != path {
                mutated.insert(other, other_bytes);
            }
        }
        mutated.insert(path.as_str(), bytes);
        let (_, diagnostics) = codegen::load::load(&mutated);
        for diagnostic in &diagnostics {
            check_located(&mutated, diagnostic)?;
        }
        match codegen::load_model(&mutated) {
            Ok(_) => {
                models.fetch_add(1, Ordering::Relaxed);
            }
            Err(errors) => {
                prop_assert!(!errors.0.is_empty(), "an error without a problem");
                for diagnostic in &errors.0 {
                    check_located(&mutated, diagnostic)?;
                }
                rejected.fetch_add(1, Ordering::Relaxed);
            }
        }
        ran.fetch_add(1, Ordering::Relaxed);
    });
    let (ran, models, rejected) = (ran.into_inner(), models.into_inner(), rejected.into_inner());
    eprintln!(
        "fuzz spec loader: {ran} cases, {models} gave a model, {rejected} gave located problems, 0 panics"
    );
    assert_eq!(ran, models + rejected);
    assert!(
        rejected > 0,
        "no case was refused: the mutations do nothing"
    );
}
