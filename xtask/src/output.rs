//! How a reporting command chooses its output: `--format FORMAT[=FILE]`, repeatable, each
//! format to standard output (no `=FILE`, or `=-`) or to its own file; at most one to standard
//! output; `human` alone when none is given. `--color auto|always|never` for human output.
//! Shared by `conformance …` and `diff`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use codegen::display_color::{ColorChoice, use_color};

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// For people (coloured per `--color`).
    Human,
    /// One JSON document (schema: `conformance/report.schema.json`).
    Json,
    /// JUnit XML, for CI dashboards.
    Junit,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions annotations (`::error file=…,line=…::…`).
    Github,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Junit => "junit",
            Format::Sarif => "sarif",
            Format::Github => "github",
        }
    }
}

/// One `--format` value: a format and where it goes (`None`: standard output).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OutputTarget {
    /// The format.
    pub format: Format,
    /// The file, or standard output.
    pub file: Option<PathBuf>,
}

/// Parses `json`, `json=report.json`, `human=-`.
pub(crate) fn parse_output_target(text: &str) -> Result<OutputTarget, String> {
    let (name, file) = match text.split_once('=') {
        Some((name, file)) => (name, Some(file)),
        None => (text, None),
    };
    let format = <Format as clap::ValueEnum>::from_str(name, false).map_err(|_| {
        format!("unknown format `{name}`; expected human, json, junit, sarif or github, optionally followed by `=FILE`")
    })?;
    let file = match file {
        Some("") => return Err(format!("`{text}` names no file after `=`")),
        Some("-") | None => None,
        Some(file) => Some(PathBuf::from(file)),
    };
    Ok(OutputTarget { format, file })
}

/// `--color` on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub(crate) enum ColorArg {
    /// Colour on a terminal, unless NO_COLOR (non-empty) or TERM=dumb; CLICOLOR_FORCE forces it.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Output options shared by every reporting command.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct OutputArgs {
    /// Report format, optionally with a file: `human`, `json`, `junit`, `sarif`, `github`,
    /// `json=report.json`. Repeatable (`--format human --format sarif=out.sarif`); at most one
    /// goes to standard output. Default: `human`.
    #[arg(long = "format", value_name = "FORMAT[=FILE]", value_parser = parse_output_target)]
    pub formats: Vec<OutputTarget>,
    /// Colour in human output: `auto` (a terminal, and no NO_COLOR), `always`, `never`.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
    /// The same as `--format junit=FILE` (kept for older scripts).
    #[arg(long, value_name = "FILE", hide = true)]
    pub junit: Option<PathBuf>,
}

impl OutputArgs {
    /// The targets asked for, `human` on standard output when none is; an error when two go to
    /// standard output or two to one file.
    pub(crate) fn targets(&self) -> Result<Vec<OutputTarget>> {
        let mut targets = self.formats.clone();
        if let Some(file) = &self.junit {
            targets.push(OutputTarget {
                format: Format::Junit,
                file: Some(file.clone()),
            });
        }
        if !targets.iter().any(|target| target.file.is_none()) && self.formats.is_empty() {
            targets.insert(
                0,
                OutputTarget {
                    format: Format::Human,
                    file: None,
                },
            );
        }
        let to_stdout: Vec<&str> = targets
            .iter()
            .filter(|target| target.file.is_none())
            .map(|target| target.format.name())
            .collect();
        if to_stdout.len() > 1 {
            anyhow::bail!(
                "{} would all go to standard output; give all but one a file (`--format json=report.json`)",
                to_stdout.join(", ")
            );
        }
        for (index, target) in targets.iter().enumerate() {
            if let Some(file) = &target.file
                && targets[..index]
                    .iter()
                    .any(|other| other.file.as_ref() == Some(file))
            {
                anyhow::bail!("two formats would be written to {}", file.display());
            }
        }
        Ok(targets)
    }

    /// Whether human text for `target` gets colour.
    pub(crate) fn color_for(&self, target: &OutputTarget) -> bool {
        let choice = match self.color {
            ColorArg::Auto => ColorChoice::Auto,
            ColorArg::Always => ColorChoice::Always,
            ColorArg::Never => ColorChoice::Never,
        };
        let terminal = target.file.is_none() && std::io::stdout().is_terminal();
        use_color(choice, terminal, &|name| std::env::var_os(name))
    }

    /// Renders each target with `render(format, colour)` and writes it where it goes.
    pub(crate) fn write_all(&self, render: &dyn Fn(Format, bool) -> Result<String>) -> Result<()> {
        for target in self.targets()? {
            let text = render(target.format, self.color_for(&target))?;
            match &target.file {
                None => {
                    let mut stdout = std::io::stdout().lock();
                    stdout
                        .write_all(text.as_bytes())
                        .and_then(|()| stdout.flush())
                        .context("writing to standard output")?;
                }
                Some(file) => std::fs::write(file, text).with_context(|| {
                    format!(
                        "writing the {} report to {}",
                        target.format.name(),
                        file.display()
                    )
                })?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: Result<(Format, Option<&str>), ()>) {
        let parsed = parse_output_target(text)
            .map(|target| (target.format, target.file))
            .map_err(|_| ());
        assert_eq!(
            parsed,
            expected.map(|(format, file)| (format, file.map(PathBuf::from))),
            "{text}"
        );
    }

    fn targets(
        formats: &[&str],
        junit: Option<&str>,
    ) -> Result<Vec<(Format, Option<PathBuf>)>, String> {
        let args = OutputArgs {
            formats: formats
                .iter()
                .map(|text| parse_output_target(text).expect("parses"))
                .collect(),
            color: ColorArg::Auto,
            junit: junit.map(PathBuf::from),
        };
        args.targets()
            .map(|targets| {
                targets
                    .into_iter()
                    .map(|target| (target.format, target.file))
                    .collect()
            })
            .map_err(|error| error.to_string())
    }

    #[test]
    fn targets_default_to_human_and_refuse_two_on_standard_output() {
        assert_eq!(targets(&[], None), Ok(vec![(Format::Human, None)]));
        // The old `--junit FILE` keeps the human report on standard output.
        assert_eq!(
            targets(&[], Some("j.xml")),
            Ok(vec![
                (Format::Human, None),
                (Format::Junit, Some(PathBuf::from("j.xml")))
            ])
        );
        assert_eq!(
            targets(&["json=r.json"], None),
            Ok(vec![(Format::Json, Some(PathBuf::from("r.json")))])
        );
        assert!(
            targets(&["human", "json"], None).is_err_and(|error| error.contains("standard output"))
        );
        assert!(
            targets(&["json=a", "sarif=a"], None).is_err_and(|error| error.contains("two formats"))
        );
    }

    #[test]
    fn format_values_parse() {
        check("human", Ok((Format::Human, None)));
        check("json=report.json", Ok((Format::Json, Some("report.json"))));
        check("sarif=-", Ok((Format::Sarif, None)));
        check("github", Ok((Format::Github, None)));
        check("junit=a=b.xml", Ok((Format::Junit, Some("a=b.xml"))));
        check("xml", Err(()));
        check("json=", Err(()));
    }
}
