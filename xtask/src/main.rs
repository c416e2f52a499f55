//! `cargo xtask <command>`: parses arguments and dispatches; each command is a module with its
//! own `Args` and `run`, returning the process exit code (0 ok, 1 findings or stale files,
//! 2 usage or spec errors).

#[cfg(test)]
#[cfg(feature = "checker")]
mod adding_endpoints;
mod argument_errors;
mod checker_build;
#[cfg(feature = "checker")]
mod conformance;
mod corpus;
mod diff;
mod generate;
mod import;
#[cfg(feature = "checker")]
mod mock;
mod output;
mod parallel;
mod project_root;
mod publish;
mod quoted;
mod safe_output;
mod spec_dir;
#[cfg(test)]
mod tidy;
#[cfg(test)]
mod writer_tests;

use std::path::Path;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

/// mimalloc rather than the system's: allocation was nearly half of `gen`'s time with glibc's
/// (measured by `cargo bench -p codegen --bench gen`, which counts on top of the same); built
/// without transparent huge pages (see `Cargo.toml`).
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
    #[cfg(feature = "checker")]
    #[command(subcommand)]
    Conformance(conformance::Command),
    /// Check payloads against the contracts: the docs' examples, files, a live API, recordings
    /// (runs the optimized checker build; `cargo xtask conformance --help` lists the checks).
    #[cfg(not(feature = "checker"))]
    #[command(disable_help_flag = true)]
    Conformance {
        /// The check and its options, passed on to the checker build.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, num_args = 0..)]
        arguments: Vec<std::ffi::OsString>,
    },
    /// Write the table-derived corpus: payloads the tables say are valid and invalid, with
    /// their expected verdicts.
    Corpus(corpus::Args),
    /// Serve every endpoint of every service from the specs on 127.0.0.1, for development
    /// without credentials.
    #[cfg(feature = "checker")]
    Mock(mock::Args),
    /// Serve every endpoint of every service from the specs on 127.0.0.1, for development
    /// without credentials (runs the optimized checker build).
    #[cfg(not(feature = "checker"))]
    #[command(disable_help_flag = true)]
    Mock {
        /// The mock's options, passed on to the checker build.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, num_args = 0..)]
        arguments: Vec<std::ffi::OsString>,
    },
    /// Write the published schemas, OpenAPI documents and catalog as a static site.
    Publish(publish::Args),
    /// Compare the published schemas with a base (git revision or published folder) and
    /// classify every change as breaking or not, the way consumers feel it.
    Diff(diff::Args),
    /// Draft a spec from a docs page (a file or --url): the spec, its examples byte for byte,
    /// the page; or, with --check, report where the saved pages and the specs drift apart.
    Import(import::Args),
}

fn main() -> ExitCode {
    let found_root = project_root::find();
    let arguments: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let mut command = Cli::command();
    // Asking git costs a process, so only `--version` asks it.
    if arguments
        .iter()
        .skip(1)
        .any(|argument| argument == "--version" || argument == "-V")
    {
        // Printed once, then the process ends: leaking it is free.
        let here = found_root
            .as_ref()
            .map_or_else(|_| Path::new("."), |root| root.as_path());
        let version: &'static str = Box::leak(version_text(here).into_boxed_str());
        command = command.version(version);
    }
    let cli = match command
        .try_get_matches_from(arguments)
        .and_then(|matches| Cli::from_arg_matches(&matches))
    {
        Ok(cli) => cli,
        Err(error) if error.use_stderr() => {
            // A value given in the wrong place may be a credential: it is not repeated.
            let arguments: Vec<String> = std::env::args_os()
                .skip(1)
                .map(|argument| argument.to_string_lossy().into_owned())
                .collect();
            eprint!(
                "{}",
                argument_errors::without_argument_values(
                    &error.render().to_string(),
                    &arguments,
                    &<Cli as clap::CommandFactory>::command(),
                )
            );
            return ExitCode::from(2);
        }
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(0);
        }
    };
    let root = match found_root {
        Ok(root) => root,
        Err(error) => {
            eprintln!("error: {error:#}");
            return ExitCode::from(2);
        }
    };
    let result = match cli.command {
        Command::Gen { check } => generate::run(&root, check),
        #[cfg(feature = "checker")]
        Command::Conformance(command) => conformance::run(&root, command),
        #[cfg(not(feature = "checker"))]
        Command::Conformance { arguments } => checker_build::run(&root, "conformance", &arguments),
        Command::Corpus(args) => corpus::run(&root, args),
        #[cfg(feature = "checker")]
        Command::Mock(args) => mock::run(&root, args),
        #[cfg(not(feature = "checker"))]
        Command::Mock { arguments } => checker_build::run(&root, "mock", &arguments),
        Command::Publish(args) => publish::run(&root, args),
        Command::Diff(args) => diff::run(&root, args),
        #[cfg(not(feature = "fetch"))]
        Command::Import(args) if args.fetches_a_page() => checker_build::run_this_command(&root),
        Command::Import(args) => import::run(&root, args),
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
