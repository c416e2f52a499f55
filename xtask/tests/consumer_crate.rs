//! A crate outside the workspace depends on `generated` as another team would (by path here,
//! offline): its own serde code behaves as without the dependency, the generated types keep every
//! digit with `arbitrary_precision` off and on (feature unification), the README's example
//! compiles and runs, and nothing in the build warns.
//!
//! The builds share `target/consumer-crate/` so that later runs are incremental.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests and benches fail by panicking, with the expectation that was not met"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const ID_39: &str = "233476065495939904005866822871905093425";

fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The ```rust block of `generated/README.md`.
fn readme_example(root: &Path) -> String {
    let readme = std::fs::read_to_string(root.join("generated/README.md")).expect("the README");
    let start = readme
        .find("```rust\n")
        .expect("the README has a rust example")
        + "```rust\n".len();
    let length = readme[start..].find("```").expect("the example block ends");
    readme[start..start + length].to_owned()
}

/// The ladiflow example response with 39-digit numbers in a listed number field, a nested
/// integer, and unlisted fields at two depths (one a decimal with a trailing zero).
fn response_payload(root: &Path) -> String {
    let text =
        std::fs::read_to_string(root.join("spec/ladiflow/examples/customer.create.response.json"))
            .expect("the example response");
    let exact = |text: &str| serde_json::from_str::<Value>(text).expect("json");
    let mut value = exact(&text);
    value["code"] = exact(ID_39);
    value["price"] = exact("1.50");
    value["big"] = exact(&format!("{ID_39}.0"));
    value["data"]["dob_year"] = exact(ID_39);
    value["data"]["unlisted_id"] = exact(&format!("[{ID_39}, {{\"n\": -{ID_39}e+5}}]"));
    value.to_string()
}

struct Consumer {
    dir: tempfile::TempDir,
    target: PathBuf,
}

impl Consumer {
    fn new(root: &Path) -> Consumer {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let generated = root.join("generated");
        let manifest = format!(
            "[package]\nname = \"consumer-of-generated\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [workspace]\n\n\
             [features]\n\
             # What another crate in the build would do; off unless asked.\n\
             other-crate-turns-on-arbitrary-precision = [\"serde_json/arbitrary_precision\"]\n\n\
             [dependencies]\n\
             generated = {{ path = {generated:?} }}\n\
             serde = {{ version = \"1\", features = [\"derive\"] }}\n\
             serde_json = \"1\"\n\n\
             [[bin]]\nname = \"checks\"\npath = \"src/checks.rs\"\n\n\
             [[bin]]\nname = \"readme\"\npath = \"src/readme.rs\"\n"
        );
        let src = dir.path().join("src");
        std::fs::create_dir_all(&src).expect("src/");
        std::fs::write(dir.path().join("Cargo.toml"), manifest).expect("Cargo.toml");
        // The workspace's lock file pins the versions its target already holds: offline works.
        std::fs::copy(root.join("Cargo.lock"), dir.path().join("Cargo.lock")).expect("Cargo.lock");
        std::fs::copy(
            root.join("xtask/tests/consumer_crate/checks.rs"),
            src.join("checks.rs"),
        )
        .expect("checks.rs");
        std::fs::write(src.join("readme.rs"), readme_example(root)).expect("readme.rs");
        std::fs::write(dir.path().join("response.json"), response_payload(root)).expect("payload");
        Consumer {
            dir,
            target: root.join("target/consumer-crate"),
        }
    }

    /// `cargo <subcommand> --offline --quiet --manifest-path … <arguments>`.
    fn cargo(&self, subcommand: &str, arguments: &[&str]) -> std::process::Output {
        Command::new(env!("CARGO"))
            .args([subcommand, "--offline", "--quiet", "--manifest-path"])
            .arg(self.dir.path().join("Cargo.toml"))
            .args(arguments)
            .env("CARGO_TARGET_DIR", &self.target)
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .output()
            .expect("cargo runs")
    }

    /// Builds with `features`, refusing any warning, and runs `bin` with `arguments`.
    fn run(&self, features: &[&str], bin: &str, arguments: &[&str]) -> Vec<String> {
        let features = features.join(",");
        let build = self.cargo("build", &["--bins", "--features", &features]);
        let stderr = String::from_utf8_lossy(&build.stderr);
        assert!(
            build.status.success(),
            "the consumer crate builds:\n{stderr}"
        );
        assert!(
            !stderr.contains("warning"),
            "building the generated crate and the README example warns nothing:\n{stderr}"
        );
        let mut command = vec!["--features", &features, "--bin", bin, "--"];
        command.extend(arguments);
        let output = self.cargo("run", &command);
        assert!(
            output.status.success(),
            "{bin} runs:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout)
            .expect("utf-8")
            .lines()
            .map(str::to_owned)
            .collect()
    }
}

fn generated_lines() -> Vec<String> {
    vec![
        format!("listed number: {ID_39}"),
        format!("unlisted big: {ID_39}.0"),
        "unlisted price: 1.50".to_owned(),
        format!("nested unlisted unlisted_id: [{ID_39},{{\"n\":-{ID_39}e+5}}]"),
        format!("nested integer: {ID_39}"),
        "same through a reader: true".to_owned(),
    ]
}

#[test]
fn a_crate_outside_the_workspace_uses_the_generated_crate() {
    let root = project_root();
    let consumer = Consumer::new(&root);
    let payload = consumer.dir.path().join("response.json");
    let payload = payload.to_str().expect("utf-8 path");

    // arbitrary_precision off: the consumer's own code is untouched, the digits all kept.
    let lines = consumer.run(&[], "checks", &["with-own-code", payload]);
    let mut expected = vec![
        "own flatten with f64: 1.5 and 1 more".to_owned(),
        "own value 1.50 prints: 1.5".to_owned(),
    ];
    expected.extend(generated_lines());
    // Through a `serde_json::Value` the consumer chose `f64` numbers; the field reads what the
    // value holds.
    expected.push("listed number through a value: 2.334760654959399e+38".to_owned());
    assert_eq!(lines, expected);

    let readme = consumer.run(&[], "readme", &[]);
    assert!(
        readme.iter().any(|line| line.starts_with("unlisted: ")),
        "the README example runs: {readme:?}"
    );

    // Another crate in the build turns arbitrary_precision on: still every digit.
    let lines = consumer.run(
        &["other-crate-turns-on-arbitrary-precision"],
        "checks",
        &["without-own-code", payload],
    );
    let mut expected = generated_lines();
    expected.push(format!("listed number through a value: {ID_39}"));
    assert_eq!(lines, expected);
}
