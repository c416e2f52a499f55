//! `cargo xtask <command>`: parses arguments and dispatches; each command is a module with its
//! own `Args` and `run`, returning the process exit code (0 ok, 1 findings or stale files,
//! 2 usage or spec errors).

#[cfg(all(test, feature = "checker"))]
mod adding_endpoints;
#[cfg(not(all(feature = "checker", feature = "fetch")))]
mod checker_build;
#[cfg(feature = "checker")]
mod conformance;
mod corpus;
mod diff;
mod generate;
mod import;
#[cfg(feature = "checker")]
mod mock;
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

use clap::{Parser, Subcommand};

/// mimalloc rather than the system's: allocation was nearly half of `gen`'s time with glibc's
/// (measured by `cargo bench -p codegen --bench gen`, which counts on top of the same).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The project's commands.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
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
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { 2 } else { 0 });
        }
    };
    let root = match project_root::find() {
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
