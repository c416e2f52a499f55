//! `cargo xtask mock [--port N] [--lenient ENDPOINT:RULE]`: the specs in, a mock server on
//! 127.0.0.1 out, serving every endpoint of every service (credential checked, request
//! validated, except for the rules it is told to be lenient with, the docs' example answer with
//! fresh ids) until Ctrl-C. Prints `mock listening on http://127.0.0.1:<port>` on standard
//! output, then logs each request (never a header or a body) on standard error.

use std::io::Write;
use std::net::{Ipv4Addr, TcpListener};
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use conformance::mock::{
    DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_HEADER_BYTES, LenientRule,
    MockOptions, RequestLogger, serve,
};

/// Options.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Port on 127.0.0.1; 0 lets the operating system choose one (printed on start).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Largest request body accepted, in bytes; larger bodies get 413.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_BODY_BYTES)]
    max_body_bytes: usize,
    /// Largest request head (request line and headers) accepted, in bytes; larger ones get 431.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_HEADER_BYTES)]
    max_header_bytes: usize,
    /// Connections open at once; one more is closed as soon as it is accepted.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_CONNECTIONS)]
    max_connections: usize,
    /// Do not log each request on standard error.
    #[arg(long)]
    quiet: bool,
    /// Let requests breaking this rule through for this endpoint, as a server that does not
    /// enforce its page: `crm/leads.create:required`, or `*:type` for every endpoint
    /// (repeatable).
    #[arg(long = "lenient", value_name = "SERVICE/ENDPOINT:RULE")]
    lenient: Vec<String>,
}

/// Serves until Ctrl-C.
pub(crate) fn run(root: &Path, args: Args) -> Result<u8> {
    let (sources, contracts) = match crate::conformance::load(root)? {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let mut lenient = Vec::new();
    let endpoint_keys = contracts.endpoint_keys();
    for text in &args.lenient {
        match LenientRule::parse(text) {
            Ok(rule) if rule.endpoint == "*" || endpoint_keys.contains(&rule.endpoint) => {
                lenient.push(rule)
            }
            Ok(rule) => {
                eprintln!(
                    "error: no endpoint `{}` in --lenient {text}; expected one of: {}",
                    rule.endpoint,
                    endpoint_keys.join(", ")
                );
                return Ok(2);
            }
            Err(message) => {
                eprintln!("error: {message}");
                return Ok(2);
            }
        }
    }
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, args.port))
        .with_context(|| format!("binding 127.0.0.1:{}", args.port))?;
    let log: Option<RequestLogger> = if args.quiet {
        None
    } else {
        // A request line is the client's data: shown with its control characters escaped.
        Some(Arc::new(|entry| {
            eprintln!(
                "{}",
                codegen::display_text::escape_control_characters(&entry.to_string())
            )
        }))
    };
    let options = MockOptions {
        max_body_bytes: args.max_body_bytes,
        max_header_bytes: args.max_header_bytes,
        max_connections: args.max_connections,
        log,
        stop_on_interrupt: true,
        lenient: lenient.clone(),
        ..MockOptions::default()
    };
    let handle = serve(Arc::new(contracts), &sources, listener, options)
        .context("starting the mock server")?;
    println!("mock listening on {}", handle.base_url());
    let _ = std::io::stdout().flush();
    for route in handle.routes() {
        eprintln!("  serving {route}");
    }
    for rule in &lenient {
        eprintln!(
            "  lenient: {} `{}` is not enforced",
            rule.endpoint,
            rule.rule.as_str()
        );
    }
    for note in handle.notes() {
        eprintln!("  note: {note}");
    }
    eprintln!("  press Ctrl-C to stop");
    handle.wait().context("running the mock server")?;
    Ok(0)
}
