//! How a conformance command prints its report: in every format asked for (`--format
//! FORMAT[=FILE]`, see `crate::output`), with the measured timings and the payload files' bytes
//! the formats need, and the exit code the report implies.

use anyhow::Result;
use conformance::Report;
use conformance::report::Timings;

use crate::output::{Format, OutputArgs};

pub(super) use crate::output::OutputArgs as ReportArgs;

/// What a command adds to its report beyond the cases (the recording's counts).
#[derive(Default)]
pub(super) struct Extras<'a> {
    /// Lines after the human report.
    pub human_suffix: Option<String>,
    /// Members added to the JSON document.
    pub json_members: Vec<(&'a str, serde_json::Value)>,
    /// A recorded case's entry is its line in the recording (JSON Lines), for SARIF and GitHub.
    pub recorded_entries_are_lines: bool,
}

/// Renders `report` in one format.
pub(super) fn render(
    report: &Report,
    format: Format,
    color: bool,
    timings: &Timings,
    payload_bytes: &dyn Fn(&str) -> Option<Vec<u8>>,
    extras: &Extras<'_>,
) -> Result<String> {
    Ok(match format {
        Format::Human => {
            let mut text = conformance::report::human::render(report, color);
            if let Some(suffix) = &extras.human_suffix {
                text.push_str(suffix);
            }
            text
        }
        Format::Json => {
            let mut document = conformance::report::json::to_value(report);
            if let Some(members) = document.as_object_mut() {
                for (name, value) in &extras.json_members {
                    members.insert((*name).to_owned(), value.clone());
                }
            }
            let mut text = serde_json::to_string_pretty(&document)?;
            text.push('\n');
            text
        }
        Format::Junit => conformance::report::junit::render_timed(report, timings),
        Format::Sarif => conformance::report::sarif::render_located(
            report,
            payload_bytes,
            extras.recorded_entries_are_lines,
        ),
        Format::Github => conformance::report::github::render_located(
            report,
            payload_bytes,
            extras.recorded_entries_are_lines,
        ),
    })
}

/// Writes `report` in every format asked for and returns the exit code: 0 when every finding is
/// known, 1 otherwise.
pub(super) fn emit_with(
    report: &Report,
    args: &OutputArgs,
    timings: &Timings,
    payload_bytes: &dyn Fn(&str) -> Option<Vec<u8>>,
    extras: &Extras<'_>,
) -> Result<u8> {
    args.write_all(&|format, color| render(report, format, color, timings, payload_bytes, extras))?;
    Ok(report.exit_code())
}

/// [`emit_with`] for a report without timings of its own or payload files (a live run).
pub(super) fn emit(report: &Report, args: &OutputArgs) -> Result<u8> {
    emit_with(
        report,
        args,
        &Timings::default(),
        &|_| None,
        &Extras::default(),
    )
}
