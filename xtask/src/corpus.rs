//! `cargo xtask corpus OUT_DIR`: `spec/` in, the table-derived corpus out, one file per body as
//! `OUT_DIR/<service>/<endpoint>.<request|response>.json`: payloads the pages' tables say are
//! valid and invalid, with the verdict every validator must give (for another team's validator,
//! or a mock's test). Written through `safe_output`: only inside OUT_DIR, never through a link,
//! removing only corpus files an earlier run wrote.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::load_model_or_report;
use crate::safe_output::{Leftovers, TargetFolder};

/// Options.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Folder to write the corpus files into (created if missing). It must be empty or hold
    /// an earlier corpus (its `.contracts-manifest.json`), and lie outside generated/ and spec/.
    #[arg(value_name = "OUT_DIR")]
    pub out_dir: PathBuf,
    /// Write into a folder that is not empty and holds no corpus manifest; files the corpus did
    /// not write are still never removed.
    #[arg(long)]
    pub force: bool,
}

/// Writes the corpus: 0 written, 2 spec errors.
pub(crate) fn run(root: &Path, args: Args) -> Result<u8> {
    let model = match load_model_or_report(root)? {
        Ok((_, model)) => model,
        Err(code) => return Ok(code),
    };
    let target = TargetFolder::open(root, &args.out_dir, "corpus", args.force)?;
    let mut files = BTreeMap::new();
    for (service, endpoint, _, body) in model.bodies() {
        files.insert(
            codegen::emit_schema::schema_file_name(service, endpoint, body),
            codegen::emit_corpus::corpus_file(service, endpoint, body).into_bytes(),
        );
    }
    let plan = target.plan(&files, &Leftovers::Remove)?;
    let written = target.apply(&plan)?;
    eprintln!(
        "{} corpus files in {} ({written} written, {} removed)",
        files.len(),
        args.out_dir.display(),
        plan.removals.len()
    );
    Ok(0)
}
