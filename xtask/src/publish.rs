//! `cargo xtask publish OUT_DIR`: `spec/` in (generated in memory, so the site always matches the
//! specs), a static site out in `OUT_DIR`: a folder per service version, `latest`, a root
//! `catalog.json`, a SchemaStore `schema-catalog.json`, the reports' `report.schema.json`, an
//! `index.html` for people and a page per endpoint under `pages/`. Versions already published there are kept;
//! republishing a version with other bytes is refused before anything is written.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use codegen::GenerateError;
use codegen::emit_catalog::{self, PublishError};

use crate::spec_dir::{read_spec_sources, relative, walk};

/// Options.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder to write the site into (created if missing); serve it at `schema_base_uri` (from
    /// spec/project.yaml) so that every `$id` resolves. Versions already published there are
    /// kept, and `latest` follows the highest version.
    #[arg(value_name = "OUT_DIR")]
    pub out_dir: PathBuf,
}

/// Runs the command: 0 published, 1 refused (a published version would change), 2 spec errors.
pub fn run(root: &Path, args: Args) -> Result<u8> {
    let sources = read_spec_sources(root)?;
    let generated = match codegen::generate(&sources) {
        Ok(files) => files,
        Err(GenerateError::Spec(errors)) => {
            eprint!("{}", errors.render());
            eprintln!("error: {errors}; nothing published");
            return Ok(2);
        }
        Err(GenerateError::Bug(bug)) => anyhow::bail!(bug),
    };
    let out_dir = &args.out_dir;
    if out_dir.exists() && !out_dir.is_dir() {
        anyhow::bail!("`{}` is not a folder", out_dir.display());
    }
    let existing = read_site(out_dir)?;
    let site = match emit_catalog::site_files(&generated.0, &existing) {
        Ok(site) => site,
        Err(
            error @ (PublishError::PublishedVersionWouldChange { .. }
            | PublishError::BaseUriDiffers { .. }),
        ) => {
            eprintln!("error: {error}; nothing written to {}", out_dir.display());
            return Ok(1);
        }
        Err(error) => return Err(error).context("publishing"),
    };
    // The endpoint pages, the SchemaStore catalog and the report schema ride along.
    let model = codegen::load_model(&sources).map_err(|errors| anyhow::anyhow!("{errors}"))?;
    let mut site = codegen::emit_pages::add_pages(site, &model, &existing);
    site.files.insert(
        codegen::emit_pages::REPORT_SCHEMA_FILE_NAME.to_owned(),
        conformance::report::json::REPORT_SCHEMA.to_owned(),
    );

    for folder in &site.replaced_folders {
        let path = out_dir.join(folder);
        if path.is_dir() {
            fs::remove_dir_all(&path).with_context(|| format!("removing {}", path.display()))?;
        }
    }
    let mut written = 0;
    for (path, contents) in &site.files {
        let target = out_dir.join(path);
        if existing.get(path) == Some(contents) && target.is_file() {
            continue;
        }
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        let temporary = target.with_file_name(format!(
            "{}.publish-tmp",
            target
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default()
        ));
        fs::write(&temporary, contents)
            .with_context(|| format!("writing {}", temporary.display()))?;
        fs::rename(&temporary, &target)
            .with_context(|| format!("replacing {}", target.display()))?;
        written += 1;
    }

    let catalog: emit_catalog::Catalog = serde_json::from_str(
        site.files
            .get(emit_catalog::CATALOG_FILE_NAME)
            .map(String::as_str)
            .unwrap_or_default(),
    )
    .context("reading back the published catalog")?;
    let latest: Vec<String> = catalog
        .latest
        .iter()
        .map(|(service, version)| format!("{service} {version}"))
        .collect();
    eprintln!(
        "published into {} ({written} files written); latest: {}; open {} or serve the folder at {}",
        out_dir.display(),
        latest.join(", "),
        out_dir.join(emit_catalog::INDEX_FILE_NAME).display(),
        catalog.schema_base_uri
    );
    Ok(0)
}

/// Every text file already in the site, by path relative to it; a missing folder has none.
fn read_site(out_dir: &Path) -> Result<BTreeMap<String, String>> {
    let mut files = BTreeMap::new();
    for path in walk(out_dir).with_context(|| format!("reading {}", out_dir.display()))? {
        let is_site_file = path
            .extension()
            .is_some_and(|extension| extension == "json" || extension == "html");
        if !is_site_file {
            continue;
        }
        let text =
            fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        files.insert(relative(out_dir, &path), text);
    }
    Ok(files)
}
