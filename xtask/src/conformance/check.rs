//! `cargo xtask conformance check <service>/<endpoint> --request|--response FILE...`: payload
//! files checked against one body's contract, for scripts and other teams.

use std::path::{Path, PathBuf};

use anyhow::Result;
use codegen::model::Direction;
use conformance::Report;
use conformance::bounds::{BoundedReadError, read_bounded};

use std::collections::BTreeMap;
use std::time::Instant;

use conformance::report::Timings;

use super::report::{Extras, ReportArgs, emit_with};

/// Options.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("direction").required(true).args(["request", "response"])))]
pub(crate) struct Args {
    /// The endpoint, as `service/endpoint` (`crm/leads.create`).
    endpoint: String,
    /// The files are request bodies.
    #[arg(long)]
    request: bool,
    /// The files are response bodies.
    #[arg(long)]
    response: bool,
    /// Payload files (JSON); `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// The most bytes read of one payload file; a longer file is refused, unread past it.
    #[arg(long, value_name = "BYTES", default_value_t = conformance::bounds::MAX_PAYLOAD_BYTES)]
    max_payload_bytes: u64,
    #[command(flatten)]
    report: ReportArgs,
}

/// Checks the files and prints the report.
pub(super) fn run(root: &Path, args: Args) -> Result<u8> {
    let (_, contracts) = match super::load(root)? {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let direction = if args.request {
        Direction::Request
    } else {
        Direction::Response
    };
    let Some((service, endpoint)) = contracts.endpoint(&args.endpoint) else {
        eprintln!(
            "error: no endpoint `{}`; expected one of: {}",
            args.endpoint,
            contracts.endpoint_keys().join(", ")
        );
        return Ok(2);
    };
    if contracts
        .body(&service.id, &endpoint.id, direction)
        .is_none()
    {
        eprintln!(
            "error: `{}` has no {} body",
            args.endpoint,
            direction.as_str()
        );
        return Ok(2);
    }
    let started = Instant::now();
    let mut report = Report::default();
    let mut timings = Timings::default();
    let mut payloads = BTreeMap::new();
    for file in &args.files {
        let shown = file.display().to_string();
        let read = if shown == "-" {
            read_bounded(
                std::io::stdin().lock(),
                args.max_payload_bytes,
                "--max-payload-bytes",
            )
        } else {
            std::fs::File::open(file)
                .map_err(BoundedReadError::from)
                .and_then(|opened| {
                    read_bounded(opened, args.max_payload_bytes, "--max-payload-bytes")
                })
        };
        let bytes = match read {
            Ok(bytes) => bytes,
            Err(error) => {
                eprintln!("error: cannot read {shown}: {error}");
                return Ok(2);
            }
        };
        let case_started = Instant::now();
        if let Some(case) =
            conformance::examples::check_file(&contracts, &args.endpoint, direction, &shown, &bytes)
        {
            report.cases.push(case);
            timings.cases.push(Some(case_started.elapsed()));
        }
        payloads.insert(shown, bytes);
    }
    timings.total = Some(started.elapsed());
    emit_with(
        &report,
        &args.report,
        &timings,
        &|file| payloads.get(file).cloned(),
        &Extras::default(),
    )
}
