//! Spec sources in, parsed spec files out: every YAML file read with spans, every problem
//! reported at file:line:column, nothing read from disk (the caller hands the bytes over).

use std::borrow::Cow;
use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use crate::diagnostic::{Diagnostic, SourceLocation};
use crate::spec::{EndpointSpec, ProjectSpec, ServiceSpec};

/// The folder, relative to the project root, that holds the specs.
pub const SPEC_ROOT: &str = "spec";

/// Largest spec file accepted; specs are written by hand and a few kilobytes long.
pub(crate) const MAX_SPEC_FILE_BYTES: usize = 4 << 20;

/// Every file under `spec/`, by path relative to the project root with `/` separators
/// (`spec/crm/service.yaml`), as bytes. The generator reads nothing else.
#[derive(Debug, Default, Clone)]
pub struct SpecSources {
    files: BTreeMap<String, Vec<u8>>,
}

impl SpecSources {
    /// No files yet.
    pub fn new() -> SpecSources {
        SpecSources::default()
    }

    /// Adds (or replaces) the file at `path`, which starts with `spec/`.
    pub fn insert(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), bytes.into());
    }

    /// The bytes of the file at `path`, if there is one.
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    /// Every file, in path order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files
            .iter()
            .map(|(path, bytes)| (path.as_str(), bytes.as_slice()))
    }
}

/// What kind of spec file a path holds, from where it sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecFileKind {
    /// `spec/project.yaml`.
    Project,
    /// `spec/<service>/service.yaml`.
    Service,
    /// `spec/<service>/<endpoint>.yaml`.
    Endpoint,
}

impl SpecFileKind {
    /// The kind of the spec file at `path`, or `None` for files that are not specs (examples,
    /// saved pages, READMEs, anything in deeper folders).
    pub fn of(path: &str) -> Option<SpecFileKind> {
        let rest = path.strip_prefix(SPEC_ROOT)?.strip_prefix('/')?;
        let parts: Vec<&str> = rest.split('/').collect();
        match parts.as_slice() {
            ["project.yaml"] => Some(SpecFileKind::Project),
            [_, "service.yaml"] => Some(SpecFileKind::Service),
            [_, name] if name.ends_with(".yaml") || name.ends_with(".yml") => {
                Some(SpecFileKind::Endpoint)
            }
            _ => None,
        }
    }

    /// The file name of this kind's format schema under `generated/spec-format/`.
    pub(crate) fn format_schema_file(self) -> &'static str {
        match self {
            SpecFileKind::Project => "project.schema.json",
            SpecFileKind::Service => "service.schema.json",
            SpecFileKind::Endpoint => "endpoint.schema.json",
        }
    }
}

/// A parsed spec file and where it came from.
#[derive(Debug)]
pub struct Loaded<T> {
    /// Path relative to the project root.
    pub path: String,
    /// The file's contents.
    pub spec: T,
}

/// A service folder: its `service.yaml` and its endpoint files.
#[derive(Debug)]
pub struct LoadedService {
    /// `spec/<service>`.
    pub folder: String,
    /// The parsed `service.yaml`.
    pub service: Loaded<ServiceSpec>,
    /// The parsed endpoint files, in path order.
    pub endpoints: Vec<Loaded<EndpointSpec>>,
}

/// Every spec file that parsed.
#[derive(Debug)]
pub struct LoadedSpecs {
    /// `spec/project.yaml`.
    pub project: Option<Loaded<ProjectSpec>>,
    /// Service folders whose `service.yaml` parsed, in folder order.
    pub services: Vec<LoadedService>,
}

enum Parsed {
    Project(Box<Loaded<ProjectSpec>>),
    Service(Box<Loaded<ServiceSpec>>),
    Endpoint(Box<Loaded<EndpointSpec>>),
}

/// Parses every spec file in `sources`. Files that fail are left out and each failure is a
/// diagnostic; every file is tried, so one run reports every file's first problem.
pub fn load(sources: &SpecSources) -> (LoadedSpecs, Vec<Diagnostic>) {
    let spec_files: Vec<(&str, &[u8], SpecFileKind)> = sources
        .iter()
        .filter_map(|(path, bytes)| SpecFileKind::of(path).map(|kind| (path, bytes, kind)))
        .collect();

    let results: Vec<Result<Parsed, Diagnostic>> = spec_files
        .par_iter()
        .map(|&(path, bytes, kind)| parse_file(path, bytes, kind))
        .collect();

    let mut diagnostics = Vec::new();
    let mut project = None;
    let mut services: BTreeMap<String, Loaded<ServiceSpec>> = BTreeMap::new();
    let mut endpoints: BTreeMap<String, Vec<Loaded<EndpointSpec>>> = BTreeMap::new();
    for result in results {
        match result {
            Ok(Parsed::Project(loaded)) => project = Some(*loaded),
            Ok(Parsed::Service(loaded)) => {
                services.insert(folder_of(&loaded.path), *loaded);
            }
            Ok(Parsed::Endpoint(loaded)) => {
                endpoints
                    .entry(folder_of(&loaded.path))
                    .or_default()
                    .push(*loaded);
            }
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }

    diagnostics.extend(
        sources
            .iter()
            .filter_map(|(path, _)| unread_spec_like_file(path)),
    );

    if project.is_none() && !sources.iter().any(|(path, _)| path == "spec/project.yaml") {
        diagnostics.push(Diagnostic::new(
            SourceLocation::start_of("spec/project.yaml"),
            "missing project settings file, expected spec/project.yaml with `schema_base_uri`",
        ));
    }
    for (folder, files) in &endpoints {
        let service_path = format!("{folder}/service.yaml");
        if !services.contains_key(folder) && sources.get(&service_path).is_none() {
            let first = files
                .first()
                .map(|file| file.path.as_str())
                .unwrap_or(folder);
            diagnostics.push(Diagnostic::new(
                SourceLocation::start_of(first),
                format!("endpoint spec has no service: expected {service_path} beside it"),
            ));
        }
    }

    let services = services
        .into_iter()
        .map(|(folder, service)| {
            let endpoints = endpoints.remove(&folder).unwrap_or_default();
            LoadedService {
                folder,
                service,
                endpoints,
            }
        })
        .collect();
    (LoadedSpecs { project, services }, diagnostics)
}

/// YAML files under `spec/` read by other parts than the loader (`diff` reads this one).
const OTHER_YAML_FILES: [&str; 2] = ["spec/breaking-changes.yaml", "spec/probe-known.yaml"];

/// A problem for a file that looks like a spec (its extension is `.yaml` or `.yml` in any case)
/// but that the loader would not read: its extension is not lower-case, or it sits where no spec
/// is looked for (a subfolder, the top of `spec/`). A spec is never dropped silently.
fn unread_spec_like_file(path: &str) -> Option<Diagnostic> {
    let rest = path.strip_prefix(SPEC_ROOT)?.strip_prefix('/')?;
    let name = rest.rsplit('/').next().unwrap_or(rest);
    let (_, extension) = name.rsplit_once('.')?;
    let looks_like_yaml =
        extension.eq_ignore_ascii_case("yaml") || extension.eq_ignore_ascii_case("yml");
    if !looks_like_yaml || OTHER_YAML_FILES.contains(&path) {
        return None;
    }
    let message = if extension != "yaml" && extension != "yml" {
        format!(
            "spec file extension is `.{extension}`, expected lower-case `.yaml`: rename the file, \
             or it is not read"
        )
    } else if SpecFileKind::of(path).is_some() {
        return None;
    } else if rest.contains('/') {
        format!(
            "spec file in a subfolder is not read: endpoint specs sit directly in \
             spec/<service>/, move it to spec/{}/{name}",
            rest.split('/').next().unwrap_or_default()
        )
    } else {
        "spec file at the top of spec/ is not read: only project.yaml and \
         breaking-changes.yaml sit there, endpoint specs go in spec/<service>/"
            .to_owned()
    };
    Some(Diagnostic::new(SourceLocation::start_of(path), message))
}

fn folder_of(path: &str) -> String {
    match path.rfind('/') {
        Some(slash) => path[..slash].to_owned(),
        None => String::new(),
    }
}

fn parse_file(path: &str, bytes: &[u8], kind: SpecFileKind) -> Result<Parsed, Diagnostic> {
    let start = SourceLocation::start_of(path);
    if path.ends_with(".yml") {
        return Err(Diagnostic::new(
            start,
            "spec files end in `.yaml`, found `.yml`: rename the file",
        ));
    }
    if bytes.len() > MAX_SPEC_FILE_BYTES {
        return Err(Diagnostic::new(
            start,
            format!(
                "spec file is {} bytes, expected at most {MAX_SPEC_FILE_BYTES}",
                bytes.len()
            ),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|error| {
        let (line, column) = line_and_column(bytes, error.valid_up_to());
        Diagnostic::new(
            SourceLocation {
                path: path.to_owned(),
                line,
                column,
            },
            "spec file is not UTF-8 text",
        )
    })?;
    if text.starts_with(BYTE_ORDER_MARK) {
        return Err(Diagnostic::new(
            start,
            "file starts with a byte order mark (U+FEFF): save it as UTF-8 without BOM",
        ));
    }
    if is_blank_yaml(text) {
        return Err(Diagnostic::new(
            start,
            format!(
                "empty spec file, expected a mapping with {}",
                kind_keys(kind)
            ),
        ));
    }
    check_modeline(path, text, kind)?;
    match kind {
        SpecFileKind::Project => {
            parse_yaml(path, text).map(|loaded| Parsed::Project(Box::new(loaded)))
        }
        SpecFileKind::Service => {
            parse_yaml(path, text).map(|loaded| Parsed::Service(Box::new(loaded)))
        }
        SpecFileKind::Endpoint => {
            parse_yaml(path, text).map(|loaded| Parsed::Endpoint(Box::new(loaded)))
        }
    }
}

fn kind_keys(kind: SpecFileKind) -> &'static str {
    match kind {
        SpecFileKind::Project => "`schema_base_uri`",
        SpecFileKind::Service => {
            "`id`, `title`, `language`, `schema_version`, `base_url` and `auth`"
        }
        SpecFileKind::Endpoint => {
            "`id`, `title`, `source`, `method`, `path`, `request` and `response`"
        }
    }
}

/// What some editors put at the start of a UTF-8 file; YAML readers see it as text.
const BYTE_ORDER_MARK: char = '\u{feff}';

/// The first line every spec file starts with, so that editors check it against its format.
pub(crate) const MODELINE_PREFIX: &str = "# yaml-language-server: $schema=";

fn check_modeline(path: &str, text: &str, kind: SpecFileKind) -> Result<(), Diagnostic> {
    let first_line = text.lines().next().unwrap_or_default();
    let expected_suffix = format!("spec-format/{}", kind.format_schema_file());
    let names_schema = first_line
        .strip_prefix(MODELINE_PREFIX)
        .is_some_and(|schema| schema.trim_end().ends_with(&expected_suffix));
    if names_schema {
        Ok(())
    } else {
        Err(Diagnostic::new(
            SourceLocation::start_of(path),
            format!(
                "first line must name the spec format so editors check the file: expected \
                 `{MODELINE_PREFIX}<relative path to generated/{expected_suffix}>`, found `{}`",
                first_line.chars().take(80).collect::<String>()
            ),
        ))
    }
}

fn is_blank_yaml(text: &str) -> bool {
    text.lines().all(|line| {
        let line = line.trim();
        line.is_empty() || line.starts_with('#') || line == "---" || line == "..."
    })
}

fn yaml_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        strict_booleans: true,
        with_snippet: false,
        budget: serde_saphyr::budget! {
            max_events: 200_000,
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_nodes: 100_000,
            max_depth: 48,
            max_documents: 1,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 20_000,
            max_alias_expansions_per_anchor: 100,
        },
    }
}

/// Renders a reader error's message without the reader's own " at line …" suffix: the
/// location goes in front, as `file:line:column:`.
struct MessageOnly;

impl serde_saphyr::Localizer for MessageOnly {
    fn attach_location<'a>(&self, base: Cow<'a, str>, _: serde_saphyr::Location) -> Cow<'a, str> {
        base
    }
}

fn parse_yaml<T: DeserializeOwned>(path: &str, text: &str) -> Result<Loaded<T>, Diagnostic> {
    read_yaml(path, text).map(|spec| Loaded {
        path: path.to_owned(),
        spec,
    })
}

/// Reads one YAML document the way spec files are read (strict booleans, duplicate keys
/// refused, alias expansion bounded), for any file of the project's (spec files, the live
/// run's fixtures); an error is located at `path`:line:column and worded in the project's style.
pub fn read_yaml<T: DeserializeOwned>(path: &str, text: &str) -> Result<T, Diagnostic> {
    serde_saphyr::from_str_with_options::<T>(text, yaml_options()).map_err(|error| {
        let location = error
            .location()
            .map(|location| SourceLocation::at(path, location))
            .unwrap_or_else(|| SourceLocation::start_of(path));
        let formatter = serde_saphyr::DefaultMessageFormatter.with_localizer(&MessageOnly);
        let message = error.render_with_options(serde_saphyr::render_options! {
            formatter: &formatter,
            snippets: serde_saphyr::SnippetMode::Off,
        });
        Diagnostic::new(location, tidy_reader_message(&message))
    })
}

/// Reader messages in the project's style: lower-case start, no trailing period, and the
/// advice to change reader options (which a spec author cannot do) left out.
fn tidy_reader_message(message: &str) -> String {
    let message = message.replace(", set DuplicateKeyPolicy in Options if acceptable", "");
    let message = match message.strip_prefix("duplicate mapping key: ") {
        Some(key) => format!("duplicate key `{key}`: a key appears once in a mapping"),
        None => message,
    };
    let message = message.trim().trim_end_matches('.');
    let message = suggest_closest(message);
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => "unreadable YAML".to_owned(),
    }
}

/// "unknown field `requried`, expected one of …" → "unknown key `requried`: did you mean
/// `required`? expected one of …" (likewise for unknown values such as a type `strin`), and
/// "missing field `status`" → "missing key `status` in this mapping (it starts here)".
fn suggest_closest(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("missing field `")
        && let Some(name) = rest.strip_suffix('`')
    {
        return format!("missing key `{name}` in this mapping (it starts here): add it");
    }
    let (unknown_prefix, what) = if message.starts_with("unknown field `") {
        ("unknown field `", "key")
    } else if message.starts_with("unknown variant `") {
        ("unknown variant `", "value")
    } else {
        return message.to_owned();
    };
    let rest = &message[unknown_prefix.len()..];
    let Some((unknown, expected)) = rest.split_once("`, ") else {
        return message.to_owned();
    };
    let known_list = expected
        .strip_prefix("expected one of ")
        .or_else(|| expected.strip_prefix("expected "))
        .unwrap_or_default();
    let known: Vec<&str> = known_list
        .split(", ")
        .flat_map(|part| part.split(" or "))
        .map(|name| name.trim().trim_matches('`'))
        .filter(|name| !name.is_empty())
        .collect();
    match crate::names::closest(unknown, known.iter().copied()) {
        Some(closest) => {
            format!("unknown {what} `{unknown}`: did you mean `{closest}`? {expected}")
        }
        None => format!("unknown {what} `{unknown}`, {expected}"),
    }
}

/// 1-based line and column (in characters) of byte `offset` in `bytes`.
pub(crate) fn line_and_column(bytes: &[u8], offset: usize) -> (u64, u64) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&byte| byte == b'\n').count() as u64 + 1;
    let line_start = before
        .iter()
        .rposition(|&byte| byte == b'\n')
        .map_or(0, |newline| newline + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count() as u64
        + 1;
    (line, column)
}
