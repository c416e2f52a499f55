//! `cargo xtask corpus OUT_DIR`: `spec/` in, the table-derived corpus out, one file per body as
//! `OUT_DIR/<service>/<endpoint>.<request|response>.json`: payloads the pages' tables say are
//! valid and invalid, with the verdict every validator must give (for another team's validator,
//! or a mock's test).

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use codegen::model::Direction;

use crate::load_model_or_report;

/// Options.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder to write the corpus files into (created if missing).
    #[arg(value_name = "OUT_DIR")]
    pub out_dir: PathBuf,
}

/// Writes the corpus: 0 written, 2 spec errors.
pub fn run(root: &Path, args: Args) -> Result<u8> {
    let model = match load_model_or_report(root)? {
        Ok((_, model)) => model,
        Err(code) => return Ok(code),
    };
    let mut written = 0;
    for service in &model.services {
        for endpoint in &service.endpoints {
            for direction in Direction::BOTH {
                let Some(body) = endpoint.body(direction) else {
                    continue;
                };
                let target = args.out_dir.join(codegen::emit_schema::schema_file_name(
                    service, endpoint, body,
                ));
                if let Some(parent) = target.parent() {
                    fs::create_dir_all(parent)
                        .with_context(|| format!("creating {}", parent.display()))?;
                }
                fs::write(
                    &target,
                    codegen::emit_corpus::corpus_file(service, endpoint, body),
                )
                .with_context(|| format!("writing {}", target.display()))?;
                written += 1;
            }
        }
    }
    eprintln!(
        "{written} corpus files written to {}",
        args.out_dir.display()
    );
    Ok(0)
}
