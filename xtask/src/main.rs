//! `cargo xtask <command>`: parses arguments and dispatches; each command is a module with its
//! own `Args` and `run`, returning the process exit code (0 ok, 1 findings or stale files,
//! 2 usage or spec errors).

mod argument_errors;
mod conformance;
mod corpus;
mod diff;
mod generate;
mod mock;
mod publish;
mod spec_dir;

use std::path::{Path, PathBuf};
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
    let cli = match Cli::try_parse() {
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
    let root = project_root();
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
