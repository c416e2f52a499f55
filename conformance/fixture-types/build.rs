//! Runs the generator over `conformance/tests/fixtures/vendors/` into `OUT_DIR`, laid out as the
//! `generated/` folder is, so `src/lib.rs` can compile it.

use std::fs;
use std::path::{Path, PathBuf};

#[path = "../../xtask/src/spec_dir.rs"]
mod spec_dir;

fn main() {
    let manifest_dir = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let fixture = manifest_dir.join("../tests/fixtures/vendors");
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo::rerun-if-changed={}", fixture.display());
    println!("cargo::rerun-if-changed=../../codegen/templates/wire.rs");
    println!("cargo::rerun-if-changed=../../codegen/src");

    let sources = spec_dir::read_spec_sources(&fixture).expect("the fixture is readable");
    let files = match codegen::generate(&sources) {
        Ok(files) => files,
        Err(error) => panic!("the vendor fixture does not generate: {error}\n{error:?}"),
    };
    for (path, contents) in &files.0 {
        let contents = if path == "generated/src/lib.rs" {
            // `include!` takes items only: the crate root's inner attributes and docs stay out
            // (this crate's own lib.rs declares them).
            without_inner_attributes(contents)
        } else {
            contents.clone()
        };
        write(&out_dir.join(path), &contents);
    }
}

fn without_inner_attributes(text: &str) -> String {
    text.lines()
        .filter(|line| !line.starts_with("//!") && !line.starts_with("#!["))
        .map(|line| format!("{line}\n"))
        .collect()
}

fn write(path: &Path, contents: &str) {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("OUT_DIR is writable");
    }
    if fs::read_to_string(path).ok().as_deref() != Some(contents) {
        fs::write(path, contents).expect("OUT_DIR is writable");
    }
}
