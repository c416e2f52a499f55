//! Breaking-change detection: each case folder under `fixtures/diff/` holds an old and a new
//! version of one endpoint spec (`old.yaml`, `new.yaml`, laid over `fixtures/diff/_base/` as
//! `spec/shop/orders.create.yaml`), optionally a new `service.yaml` (`new-service.yaml`) and an
//! acknowledgement file (`breaking-changes.yaml`); both versions are generated, their published
//! schemas compared, and the human report with the exit code is `expected.snap` beside them
//! (rewrite with `INSTA_UPDATE=always`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use codegen::diff::{self, Acknowledgements, ChangeKind, DiffReport, SchemaSet};
use codegen::{GeneratedFiles, SpecSources};

use crate::{fixtures_dir, spec_dir};

const ENDPOINT_SPEC: &str = "spec/shop/orders.create.yaml";
const SERVICE_SPEC: &str = "spec/shop/service.yaml";

fn diff_fixtures() -> std::path::PathBuf {
    fixtures_dir().join("diff")
}

fn read(path: &Path) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

/// The base project with the case's `old.yaml` or `new.yaml` (and, for the new side, its
/// `new-service.yaml`) laid over it.
fn sources(case_dir: &Path, side: &str) -> SpecSources {
    let mut sources =
        spec_dir::read_spec_sources(&diff_fixtures().join("_base")).expect("base is readable");
    let endpoint = read(&case_dir.join(format!("{side}.yaml")))
        .unwrap_or_else(|| panic!("{} has no {side}.yaml", case_dir.display()));
    sources.insert(ENDPOINT_SPEC, endpoint);
    if side == "new"
        && let Some(service) = read(&case_dir.join("new-service.yaml"))
    {
        sources.insert(SERVICE_SPEC, service);
    }
    sources
}

fn generate(sources: &SpecSources, what: &str) -> GeneratedFiles {
    codegen::generate(sources)
        .unwrap_or_else(|error| panic!("{what} does not generate: {error}\n{error:?}"))
}

/// The generated `generated/schemas/` files, by path relative to that folder.
fn schema_folder(files: &GeneratedFiles) -> BTreeMap<String, String> {
    files
        .0
        .iter()
        .filter_map(|(path, text)| {
            path.strip_prefix("generated/schemas/")
                .map(|inside| (inside.to_owned(), text.clone()))
        })
        .collect()
}

fn published(case_dir: &Path, side: &str) -> SchemaSet {
    let files = generate(
        &sources(case_dir, side),
        &format!("{} ({side})", case_dir.display()),
    );
    SchemaSet::from_files(&schema_folder(&files)).expect("generated schemas are readable")
}

fn report_of(case: &str) -> DiffReport {
    let case_dir = diff_fixtures().join(case);
    let acknowledgements = match read(&case_dir.join("breaking-changes.yaml")) {
        Some(text) => Acknowledgements::parse(diff::ACKNOWLEDGEMENTS_FILE, &text)
            .unwrap_or_else(|error| panic!("case `{case}`: {error}")),
        None => Acknowledgements::default(),
    };
    diff::compare(
        &published(&case_dir, "old"),
        &published(&case_dir, "new"),
        &acknowledgements,
    )
}

fn check(case: &str) {
    let report = report_of(case);
    let rendered = format!(
        "{}exit code: {}\n",
        diff::render_human(&report),
        report.exit_code()
    );
    insta::with_settings!({
        snapshot_path => diff_fixtures().join(case),
        prepend_module_to_snapshot => false,
        omit_expression => true,
        description => format!("cargo xtask diff for fixtures/diff/{case}: old.yaml -> new.yaml"),
    }, {
        insta::assert_snapshot!("expected", rendered);
    });
}

crate::fixture_cases!(
    diff_fixtures();
    acknowledged_breaking_change,
    acknowledgement_for_another_pointer,
    annotation_changed,
    major_version_raised,
    minor_version_not_raised_enough,
    no_change,
    request_at_least_one_of_added,
    request_at_least_one_of_removed,
    request_constraint_changed,
    request_constraint_loosened,
    request_constraint_tightened,
    request_enum_introduced,
    request_enum_value_added,
    request_enum_value_removed,
    request_field_became_nullable,
    request_field_became_optional,
    request_field_became_required,
    request_field_removed,
    request_field_renamed,
    request_nested_required_field_added,
    request_optional_field_added,
    request_required_field_added,
    request_schema_added,
    request_schema_removed,
    request_type_changed,
    request_type_narrowed,
    request_type_widened,
    request_undocumented_fields_allowed,
    request_undocumented_fields_forbidden,
    response_constraint_loosened,
    response_constraint_tightened,
    response_enum_lifted,
    response_enum_value_added,
    response_enum_value_removed,
    response_field_became_non_nullable,
    response_field_became_nullable,
    response_field_became_optional,
    response_field_became_required,
    response_field_removed,
    response_field_renamed,
    response_optional_field_added,
    response_required_field_added,
    response_type_any,
    response_type_narrowed,
    response_type_widened,
    response_undocumented_fields_forbidden,
    response_union_widened,
);

/// Every kind of change but `unclassified` (which specs cannot produce: see
/// [`a_keyword_the_diff_does_not_model_breaks_both_directions`]) is produced by some fixture.
#[test]
fn every_change_kind_has_a_fixture() {
    let mut seen = BTreeSet::new();
    for case in crate::case_folders(&diff_fixtures()) {
        for change in report_of(&case).changes {
            seen.insert(change.change);
        }
    }
    let missing: Vec<&str> = ChangeKind::ALL
        .iter()
        .filter(|kind| **kind != ChangeKind::Unclassified && !seen.contains(*kind))
        .map(|kind| kind.as_str())
        .collect();
    assert!(missing.is_empty(), "no fixture produces {missing:?}");
}

/// The JSON report of one breaking change, as `--json` writes it.
#[test]
fn json_report() {
    let report = report_of("request_required_field_added");
    insta::with_settings!({
        snapshot_path => diff_fixtures().join("request_required_field_added"),
        prepend_module_to_snapshot => false,
        omit_expression => true,
        description => "cargo xtask diff --json for fixtures/diff/request_required_field_added",
    }, {
        insta::assert_snapshot!("expected-json", diff::render_json(&report));
    });
}

fn schema_set(documents: &[(&str, serde_json::Value)]) -> SchemaSet {
    let files: BTreeMap<String, String> = documents
        .iter()
        .map(|(path, document)| (path.to_string(), document.to_string()))
        .collect();
    SchemaSet::from_files(&files).expect("hand-made schemas are readable")
}

/// A keyword outside the generator's vocabulary (here `minLength`) is not guessed at: a change
/// to it breaks both directions until acknowledged.
#[test]
fn a_keyword_the_diff_does_not_model_breaks_both_directions() {
    let schema = |min_length: u64| {
        serde_json::json!({
            "$id": "https://x.example/s/shop/1.0.0/a.request.json",
            "type": "object",
            "properties": {"name": {"type": "string", "minLength": min_length}},
        })
    };
    let mut rendered = String::new();
    for direction in ["request", "response"] {
        let path = format!("shop/a.{direction}.json");
        let report = diff::compare(
            &schema_set(&[(&path, schema(1))]),
            &schema_set(&[(&path, schema(2))]),
            &Acknowledgements::default(),
        );
        rendered.push_str(&diff::render_human(&report));
    }
    insta::with_settings!({
        snapshot_path => diff_fixtures(),
        prepend_module_to_snapshot => false,
        omit_expression => true,
        description => "a change to `minLength`, in a request and in a response",
    }, {
        insta::assert_snapshot!("unclassified", rendered);
    });
}

/// A published site (with `catalog.json`, versioned folders and `latest`) and a plain schema
/// folder of the same specs read as the same set; a catalog reads only its `latest` versions.
#[test]
fn a_published_site_reads_like_the_schema_folder() {
    let case_dir = diff_fixtures().join("no_change");
    let files = generate(&sources(&case_dir, "old"), "no_change");
    let folder = schema_folder(&files);
    let from_catalog = SchemaSet::from_files(&folder).expect("readable with the catalog");
    let mut without_catalog = folder.clone();
    without_catalog.remove("catalog.json");
    let from_paths = SchemaSet::from_files(&without_catalog).expect("readable without it");
    assert_eq!(from_catalog, from_paths);

    let site = codegen::emit_site::site_files(&files.0, &BTreeMap::new())
        .expect("an empty folder takes a site");
    let from_site = SchemaSet::from_files(&site.files).expect("the site is readable");
    assert_eq!(from_site, from_catalog);
    assert_eq!(from_site.schemas.len(), 2);
}

/// What a bad input says: each message names the file and what was expected.
#[test]
fn bad_inputs_are_refused_with_what_was_expected() {
    let mut messages = Vec::new();
    let acknowledgement_files = [
        (
            "entry without a reason",
            "acknowledged:\n  - schema: shop/orders.create.request\n    change: field-removed\n    pointer: /note\n    reason: \"  \"\n",
        ),
        (
            "unknown kind of change",
            "acknowledged:\n  - schema: shop/orders.create.request\n    change: field-vanished\n    pointer: /note\n    reason: gone\n",
        ),
        (
            "unknown key",
            "acknowledged:\n  - schema: shop/orders.create.request\n    change: field-removed\n    path: /note\n    reason: gone\n",
        ),
        ("not a mapping", "- just a list\n"),
    ];
    for (what, text) in acknowledgement_files {
        let message = match Acknowledgements::parse(diff::ACKNOWLEDGEMENTS_FILE, text) {
            Ok(parsed) => panic!("{what} was accepted: {parsed:?}"),
            Err(error) => error.to_string(),
        };
        messages.push(format!("{what}: {message}"));
    }
    let schema_folders: [(&str, &[(&str, &str)]); 3] = [
        ("schema not JSON", &[("shop/a.request.json", "{\"type\": ")]),
        (
            "schema without a versioned $id",
            &[("shop/a.request.json", "{\"type\": \"object\"}")],
        ),
        (
            "catalog naming a missing file",
            &[(
                "catalog.json",
                "{\"$comment\": \"\", \"schema_base_uri\": \"https://x.example/\", \"latest\": {\"shop\": \"1.0.0\"}, \"services\": [], \"schemas\": [{\"$id\": \"https://x.example/shop/1.0.0/a.request.json\", \"title\": \"\", \"description\": \"\", \"service\": \"shop\", \"endpoint\": \"a\", \"direction\": \"request\", \"schema_version\": \"1.0.0\", \"endpoint_title\": \"A\", \"method\": \"POST\", \"path\": \"/a\", \"file\": \"shop/a.request.json\"}]}",
            )],
        ),
    ];
    for (what, files) in schema_folders {
        let files: BTreeMap<String, String> = files
            .iter()
            .map(|(path, text)| (path.to_string(), text.to_string()))
            .collect();
        let message = match SchemaSet::from_files(&files) {
            Ok(set) => panic!("{what} was accepted: {set:?}"),
            Err(error) => error.to_string(),
        };
        messages.push(format!("{what}: {message}"));
    }
    insta::with_settings!({
        snapshot_path => diff_fixtures(),
        prepend_module_to_snapshot => false,
        omit_expression => true,
        description => "messages for a bad acknowledgement file and bad base folders",
    }, {
        insta::assert_snapshot!("bad-inputs", messages.join("\n"));
    });
}
