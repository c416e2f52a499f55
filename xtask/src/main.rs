//! `cargo xtask <command>`: parses arguments and dispatches; each command is a module with its
//! own `Args` and `run`, returning the process exit code (0 ok, 1 findings or stale files,
//! 2 usage or spec errors).

mod conformance;
mod corpus;
mod diff;
mod generate;
mod mock;
mod output;
mod publish;
mod spec_dir;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

/// mimalloc rather than the system's: allocation was nearly half of `gen`'s time with glibc's
/// (measured by `cargo bench -p codegen --bench gen`, which counts on top of the same).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The project's commands.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate `generated/` (Rust types, JSON Schemas, spec format schemas) from `spec/`.
    Gen {
        /// Write nothing; exit 1 listing every stale, missing or extra file.
        #[arg(long)]
        check: bool,
    },
    /// Check payloads against the contracts: the docs' examples, files, a live API, recordings.
    #[command(subcommand)]
    Conformance(conformance::Command),
    /// Write the table-derived corpus: payloads the tables say are valid and invalid, with
    /// their expected verdicts.
    Corpus(corpus::Args),
    /// Serve every endpoint of every service from the specs on 127.0.0.1, for development
    /// without credentials.
    Mock(mock::Args),
    /// Write the published schemas, OpenAPI documents and catalog as a static site.
    Publish(publish::Args),
    /// Compare the published schemas with a base (git revision or published folder) and
    /// classify every change as breaking or not, the way consumers feel it.
    Diff(diff::Args),
}

fn main() -> ExitCode {
    let root = project_root();
    let arguments: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let mut command = Cli::command();
    // Asking git costs a process, so only `--version` asks it.
    if arguments
        .iter()
        .skip(1)
        .any(|argument| argument == "--version" || argument == "-V")
    {
        // Printed once, then the process ends: leaking it is free.
        let version: &'static str = Box::leak(version_text(&root).into_boxed_str());
        command = command.version(version);
    }
    let cli = match command
        .try_get_matches_from(arguments)
        .and_then(|matches| Cli::from_arg_matches(&matches))
    {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match cli.command {
        Command::Gen { check } => generate::run(&root, check),
        Command::Conformance(command) => conformance::run(&root, command),
        Command::Corpus(args) => corpus::run(&root, args),
        Command::Mock(args) => mock::run(&root, args),
        Command::Publish(args) => publish::run(&root, args),
        Command::Diff(args) => diff::run(&root, args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// `0.0.0 (git 1befeba, modified)`: the crate version and, when git can tell, the commit this
/// tree is at; the crate version alone otherwise.
fn version_text(root: &Path) -> String {
    let version = env!("CARGO_PKG_VERSION");
    let git = |arguments: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(root)
            .args(arguments)
            .stderr(std::process::Stdio::null())
            .output()
            .ok()
            .filter(|output| output.status.success())
            .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
    };
    match git(&["rev-parse", "--short=12", "HEAD"]).filter(|commit| !commit.is_empty()) {
        Some(commit) => {
            let modified = git(&["status", "--porcelain", "--untracked-files=no"])
                .is_some_and(|status| !status.is_empty());
            format!(
                "{version} (git {commit}{})",
                if modified { ", modified" } else { "" }
            )
        }
        None => version.to_owned(),
    }
}

/// The workspace root: the parent of this crate's folder.
pub fn project_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}

/// The specs under `root` read and lowered to a model, or, when they have problems, every problem
/// printed as `file:line:column` and the exit code for spec errors (2).
pub fn load_model_or_report(
    root: &Path,
) -> anyhow::Result<Result<(codegen::SpecSources, codegen::Model), u8>> {
    let sources = spec_dir::read_spec_sources(root)?;
    match codegen::load_model(&sources) {
        Ok(model) => Ok(Ok((sources, model))),
        Err(errors) => {
            eprint!("{}", errors.render());
            eprintln!("error: {errors}");
            Ok(Err(2))
        }
    }
}
