//! A recording (the JSON Lines fixture, repeated) checked by Apache Spark in local mode with 4
//! partitions, each running `conformance recorded --shard I/4 --format json` of the built
//! binary (`conformance/spark/recorded_shards.py`, once with `mapPartitions`, once with
//! `RDD.pipe`), the shards merged by `conformance merge`; out, the proof that the merged JSON
//! report is the unsharded run's, byte for byte as JSON.
//!
//! pyspark comes pinned from PyPI into `.ci/validators/venv` (`.ci/install-validators`, run by
//! this test when it is missing); Spark runs on the machine's Java 17, bound to 127.0.0.1.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn this_checkout() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask has a parent folder")
        .to_path_buf()
}

fn venv_python() -> PathBuf {
    this_checkout().join(".ci/validators/venv/bin/python")
}

/// Installs the validators (pyspark among them) when pyspark cannot be imported, or fails the
/// test saying why.
fn ensure_pyspark_installed() {
    let importable = || {
        Command::new(venv_python())
            .args(["-c", "import pyspark"])
            .output()
            .is_ok_and(|output| output.status.success())
    };
    if importable() {
        return;
    }
    let output = Command::new("bash")
        .arg(".ci/install-validators")
        .current_dir(this_checkout())
        .output()
        .expect("bash runs");
    assert!(
        output.status.success() && importable(),
        "`.ci/install-validators` could not install pyspark: {}",
        said(&output)
    );
}

fn said(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn report_of(output: &Output, what: &str) -> Value {
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{what} failed: {}",
        said(output)
    );
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("{what} printed no JSON report ({error}): {}", said(output)))
}

#[test]
fn spark_with_four_partitions_merges_to_the_unsharded_report() {
    ensure_pyspark_installed();
    let folder = tempfile::tempdir().expect("a temporary folder");
    let fixture =
        std::fs::read(this_checkout().join("conformance/tests/fixtures/recorded/mixed.jsonl"))
            .expect("the fixture is there");
    let recording = folder.path().join("traffic.jsonl");
    std::fs::write(&recording, fixture.repeat(5)).expect("writable");

    let unsharded = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["conformance", "recorded", "--format", "json"])
        .arg(&recording)
        .current_dir(this_checkout())
        .output()
        .expect("xtask runs");
    let unsharded = report_of(&unsharded, "the unsharded run");
    assert!(
        unsharded["recording"]["exchanges"].as_u64() > Some(50),
        "the recording has exchanges"
    );

    for mode in ["map-partitions", "pipe"] {
        let reports = folder.path().join(mode);
        let merged = Command::new(venv_python())
            .arg(this_checkout().join("conformance/spark/recorded_shards.py"))
            .args(["--checker", env!("CARGO_BIN_EXE_xtask"), "--project"])
            .arg(this_checkout())
            .args(["--shards", "4", "--mode", mode, "--reports"])
            .arg(&reports)
            .arg(&recording)
            .output()
            .expect("python runs");
        let merged = report_of(&merged, &format!("spark ({mode}) and the merge"));
        assert_eq!(merged, unsharded, "spark ({mode}): merged report");
        let shards = std::fs::read_dir(&reports)
            .expect("reports written")
            .count();
        assert_eq!(shards, 4, "spark ({mode}): one report per partition");
    }
}
