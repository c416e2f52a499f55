//! `cargo xtask mock [--port N]`: the specs in, a mock server on 127.0.0.1 out, serving every
//! endpoint of every service (credential checked, request validated, the docs' example answer
//! with fresh ids) until Ctrl-C. Prints `mock listening on http://127.0.0.1:<port>` on standard
//! output, then logs each request (never a header or a body) on standard error.

use std::io::Write;
use std::net::{Ipv4Addr, TcpListener};
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use conformance::mock::{
    DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_HEADER_BYTES, MockOptions,
    RequestLogger, serve,
};

/// Options.
#[derive(Debug, clap::Args)]
pub struct Args {
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
}

/// Serves until Ctrl-C.
pub fn run(root: &Path, args: Args) -> Result<u8> {
    let (sources, contracts) = match crate::conformance::load(root)? {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
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
        ..MockOptions::default()
    };
    let handle = serve(Arc::new(contracts), &sources, listener, options)
        .context("starting the mock server")?;
    println!("mock listening on {}", handle.base_url());
    let _ = std::io::stdout().flush();
    for route in handle.routes() {
        eprintln!("  serving {route}");
    }
    for note in handle.notes() {
        eprintln!("  note: {note}");
    }
    eprintln!("  press Ctrl-C to stop");
    handle.wait().context("running the mock server")?;
    Ok(0)
}
