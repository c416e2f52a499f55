//! `cargo xtask diff --base <git revision | folder>`: the base's published schemas (read with
//! `git show` from a revision's `generated/schemas/`, or from a folder: a published site or a
//! schema folder) and the current `generated/schemas/` in, the changes classified by
//! `codegen::diff` out, in the formats `--format FORMAT[=FILE]` asks for (human by default; json,
//! junit, sarif, github; see `crate::output`). Exit 1 when a breaking
//! change is not acknowledged in `spec/breaking-changes.yaml`, 2 when the inputs are unusable.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};
use codegen::diff::{self, Acknowledgements, SchemaSet};

use crate::output::{Format, OutputArgs, OutputTarget};
use crate::spec_dir::{relative, walk};

/// Where the published schemas are, relative to the project root.
const SCHEMAS_FOLDER: &str = "generated/schemas";

/// Options.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// What to compare with: a folder (a site written by `cargo xtask publish`, or a schema
    /// folder like `generated/schemas/`), or else a git revision (`HEAD^`, `origin/main`) whose
    /// `generated/schemas/` is read. In a shallow clone without the revision, give a folder.
    #[arg(long, value_name = "REVISION_OR_FOLDER")]
    pub base: String,
    /// The same as `--format json=FILE` (kept for older scripts; `-`: JSON alone on standard
    /// output).
    #[arg(long, value_name = "FILE", hide = true)]
    pub json: Option<PathBuf>,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Runs the command.
pub(crate) fn run(root: &Path, args: Args) -> Result<u8> {
    // JUnit, SARIF and annotations are rendered with the checker's other report renderers: the
    // generator-only build hands those runs to the full build.
    #[cfg(not(feature = "checker"))]
    if args.output.formats.iter().any(|target| {
        matches!(
            target.format,
            Format::Junit | Format::Sarif | Format::Github
        )
    }) {
        return crate::checker_build::run_this_command(root);
    }
    let (base_files, base_name) = read_base(root, &args.base)?;
    let base = SchemaSet::from_files(&base_files)
        .with_context(|| format!("reading the base ({base_name})"))?;
    let current_files = read_folder(&root.join(SCHEMAS_FOLDER))?;
    let current = SchemaSet::from_files(&current_files)
        .with_context(|| format!("reading {SCHEMAS_FOLDER}/"))?;
    if current.schemas.is_empty() {
        anyhow::bail!("{SCHEMAS_FOLDER}/ has no schema: run `cargo xtask gen`");
    }
    let acknowledgements_path = root.join(diff::ACKNOWLEDGEMENTS_FILE);
    let acknowledgements = match fs::read_to_string(&acknowledgements_path) {
        Ok(text) => Acknowledgements::parse(diff::ACKNOWLEDGEMENTS_FILE, &text)?,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Acknowledgements::default(),
        Err(error) => {
            return Err(error)
                .with_context(|| format!("reading {}", acknowledgements_path.display()));
        }
    };

    let report = diff::compare(&base, &current, &acknowledgements);
    let mut output = args.output.clone();
    if let Some(path) = &args.json {
        if output.formats.is_empty() && path != Path::new("-") {
            output.formats.push(OutputTarget {
                format: Format::Human,
                file: None,
            });
        }
        output.formats.push(OutputTarget {
            format: Format::Json,
            file: (path != Path::new("-")).then(|| path.clone()),
        });
    }
    output.write_all(&|format, _color| {
        Ok(match format {
            // Schema text is data: every line has its control characters escaped.
            Format::Human => codegen::display_text::escape_control_characters_by_line(&format!(
                "comparing {SCHEMAS_FOLDER}/ with {base_name}\n{}",
                diff::render_human(&report)
            )),
            Format::Json => diff::render_json(&report),
            #[cfg(feature = "checker")]
            Format::Junit => conformance::report::diff_formats::junit(&report),
            #[cfg(feature = "checker")]
            Format::Sarif => conformance::report::diff_formats::sarif(&report),
            #[cfg(feature = "checker")]
            Format::Github => conformance::report::diff_formats::github(&report),
            #[cfg(not(feature = "checker"))]
            Format::Junit | Format::Sarif | Format::Github => {
                anyhow::bail!("this build renders the diff as human or json only")
            }
        })
    })?;
    Ok(report.exit_code())
}

/// The base's files (path relative to its schema folder or site → text) and how to name it.
fn read_base(root: &Path, base: &str) -> Result<(BTreeMap<String, String>, String)> {
    let folder = Path::new(base);
    if folder.is_dir() {
        let files = read_folder(folder)?;
        let set = SchemaSet::from_files(&files)
            .with_context(|| format!("reading the base folder {}", folder.display()))?;
        if set.schemas.is_empty() {
            anyhow::bail!(
                "the base folder {} holds no published schema: expected a `catalog.json` (a site \
                 from `cargo xtask publish`) or `<service>/<endpoint>.<request|response>.json` files",
                folder.display()
            );
        }
        return Ok((files, format!("the folder {}", folder.display())));
    }
    let commit = git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{base}^{{commit}}"),
        ],
    )
    .ok()
    .map(|output| output.trim().to_owned())
    .filter(|commit| !commit.is_empty())
    .with_context(|| {
        format!(
            "the base `{base}` is neither a folder nor a git revision of this repository (a \
                 shallow clone may lack it: fetch it, or give a folder written by `cargo xtask \
                 publish`)"
        )
    })?;
    let listing = git(
        root,
        &[
            "ls-tree",
            "-r",
            "-z",
            "--name-only",
            &commit,
            "--",
            SCHEMAS_FOLDER,
        ],
    )?;
    let prefix = format!("{SCHEMAS_FOLDER}/");
    let mut files = BTreeMap::new();
    for path in listing.split('\0').filter(|path| path.ends_with(".json")) {
        let Some(inside) = path.strip_prefix(&prefix) else {
            continue;
        };
        let text = git(root, &["show", &format!("{commit}:{path}")])?;
        files.insert(inside.to_owned(), text);
    }
    let short = commit.get(..12).unwrap_or(&commit);
    Ok((files, format!("git revision `{base}` ({short})")))
}

/// Runs git in `root` and returns its standard output as text.
fn git(root: &Path, arguments: &[&str]) -> Result<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(arguments)
        .output()
        .context("running git (is it installed?)")?;
    if !output.status.success() {
        anyhow::bail!(
            "`git {}` failed: {}",
            arguments.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    String::from_utf8(output.stdout)
        .with_context(|| format!("`git {}` printed something not UTF-8", arguments.join(" ")))
}

/// Every `.json` file below `folder`, by path relative to it.
fn read_folder(folder: &Path) -> Result<BTreeMap<String, String>> {
    let mut files = BTreeMap::new();
    for path in walk(folder).with_context(|| format!("reading {}", folder.display()))? {
        if path.extension().is_none_or(|extension| extension != "json") {
            continue;
        }
        let text =
            fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        files.insert(relative(folder, &path), text);
    }
    Ok(files)
}
