//! `cargo xtask publish OUT_DIR`: `spec/` in (generated in memory, so the site always matches the
//! specs), a static site out in `OUT_DIR`: a folder per service version, `latest`, a root
//! `catalog.json`, a SchemaStore `schema-catalog.json`, the reports' `report.schema.json`, an
//! `index.html` for people and a page per endpoint under `pages/`. Versions already published
//! there are kept; republishing a version with other bytes is refused before anything is written,
//! whether or not the folder has a `catalog.json`. Written through `safe_output`: only inside
//! OUT_DIR, never through a link, never over or removing a file `publish` did not write (its
//! manifest says which).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use codegen::GenerateError;
use codegen::emit_catalog;
use codegen::emit_site::{self, PublishError};

use crate::safe_output::{Leftovers, TargetFolder};
use crate::spec_dir::{read_spec_sources, relative, walk};

/// The JSON reports' schema, published beside the contracts (the checker's own copy is the
/// same file: `conformance::report::json::REPORT_SCHEMA`).
const REPORT_SCHEMA: &str = include_str!("../../conformance/report.schema.json");

/// Options.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Folder to write the site into (created if missing); serve it at `schema_base_uri` (from
    /// spec/project.yaml) so that every `$id` resolves. Versions already published there are
    /// kept, and `latest` follows the highest version. It must be empty or hold an earlier
    /// site (its `.contracts-manifest.json`), and lie outside generated/ and spec/.
    #[arg(value_name = "OUT_DIR")]
    pub out_dir: PathBuf,
    /// Write into a folder that is not empty and holds no site manifest, replacing files
    /// `publish` would write there; other files are still never removed, and a published
    /// version is still never changed.
    #[arg(long)]
    pub force: bool,
}

/// Runs the command: 0 published, 1 refused (a published version would change), 2 spec errors.
pub(crate) fn run(root: &Path, args: Args) -> Result<u8> {
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
    let target = TargetFolder::open(root, out_dir, "publish", args.force)?;
    let existing = read_site(target.base())?;
    let site = match emit_site::site_files(&generated.0, &existing) {
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
    if let Some(changed) = changed_published_version(&site.files, &existing) {
        eprintln!(
            "error: {changed}: a published schema version never changes; raise `schema_version` \
             in spec/<service>/service.yaml, or publish into an empty folder; nothing written to {}",
            out_dir.display()
        );
        return Ok(1);
    }
    // The endpoint pages, the SchemaStore catalog and the report schema ride along.
    let model = codegen::load_model(&sources).map_err(|errors| anyhow::anyhow!("{errors}"))?;
    let mut site = codegen::emit_pages::add_pages(site, &model, &existing);
    site.files.insert(
        codegen::emit_pages::REPORT_SCHEMA_FILE_NAME.to_owned(),
        REPORT_SCHEMA.to_owned(),
    );
    let files: BTreeMap<String, Vec<u8>> = site
        .files
        .iter()
        .map(|(path, text)| (path.clone(), text.clone().into_bytes()))
        .collect();
    let plan = target.plan(
        &files,
        &Leftovers::RemoveUnder(site.replaced_folders.clone()),
    )?;
    let written = target.apply(&plan)?;

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
        out_dir.join(emit_site::INDEX_FILE_NAME).display(),
        catalog.schema_base_uri
    );
    Ok(0)
}

/// A version folder (`<service>/<version>/`, not `latest`) that the site already holds with
/// other files or other bytes than `files` would put there, described; whether or not the site
/// has a catalog that lists it.
fn changed_published_version(
    files: &BTreeMap<String, String>,
    existing: &BTreeMap<String, String>,
) -> Option<String> {
    let version_folder = |path: &str| -> Option<String> {
        let mut segments = path.split('/');
        let (service, version) = (segments.next()?, segments.next()?);
        segments.next()?;
        (version != emit_site::LATEST_FOLDER).then(|| format!("{service}/{version}/"))
    };
    let written_folders: BTreeSet<String> = files
        .keys()
        .filter_map(|path| version_folder(path))
        .collect();
    for folder in &written_folders {
        for (path, text) in existing.iter().filter(|(path, _)| path.starts_with(folder)) {
            if files.get(path) != Some(text) {
                return Some(format!(
                    "{} is already published with different contents in `{path}`",
                    folder.trim_end_matches('/')
                ));
            }
        }
    }
    None
}

/// Every text file already in the site, by path relative to it; a missing folder has none.
/// Files that are not UTF-8 (no site file is) are not the site's and left out.
fn read_site(out_dir: &Path) -> Result<BTreeMap<String, String>> {
    let mut files = BTreeMap::new();
    for path in walk(out_dir).with_context(|| format!("reading {}", out_dir.display()))? {
        let is_site_file = path
            .extension()
            .is_some_and(|extension| extension == "json" || extension == "html");
        if !is_site_file {
            continue;
        }
        let bytes = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        if let Ok(text) = String::from_utf8(bytes) {
            files.insert(relative(out_dir, &path), text);
        }
    }
    Ok(files)
}
