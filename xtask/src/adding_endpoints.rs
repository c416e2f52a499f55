//! Adding, removing and renaming endpoints never breaks a check that the specs do not break: a
//! copy of the project (`spec/`, `generated/`, README.md) gets the next LadiFlow pages
//! (`conformance/tests/fixtures/next_pages/`: a POST that only reads, with a header table and a
//! curl that contradicts it, and a page whose example answer is not JSON), loses an endpoint, or
//! has one renamed;
//! `gen` runs on the copy, and the checks `cargo test` runs on `spec/` run on the copy, with the
//! schemas compiled from the copy's generated files in memory.

use std::fs;
use std::path::Path;

use crate::generate::{plan_with_quotes, run};
use crate::spec_dir::{read_spec_sources, relative, walk};

/// The fixture with the next pages, relative to the project root.
const NEXT_PAGES: &str = "conformance/tests/fixtures/next_pages";

/// Lays the next pages' service folder over the copy's `spec/`, in place of a folder of the
/// same name if the project already has one.
fn add_next_pages(copy: &Path) -> Vec<String> {
    let fixture = crate::project_root::for_tests().join(NEXT_PAGES);
    for service in fs::read_dir(fixture.join("spec")).expect("the fixture is readable") {
        let service = service.expect("readable");
        if service.path().is_dir() {
            let _ = fs::remove_dir_all(copy.join("spec").join(service.file_name()));
        }
    }
    let mut added = Vec::new();
    for file in walk(&fixture.join("spec")).expect("the fixture is readable") {
        let path = relative(&fixture, &file);
        if path == "spec/project.yaml" {
            continue;
        }
        let target = copy.join(&path);
        fs::create_dir_all(target.parent().expect("a parent")).expect("writable");
        fs::copy(&file, &target).expect("copied");
        added.push(path);
    }
    added
}

/// Everything `cargo test` checks of `spec/`, on the specs under `root`: they generate, nothing
/// is stale (README's quote included), every example is a byte-for-byte excerpt of its page,
/// every example finding is known and no known one vanished, the mock serves every endpoint.
/// Returns the examples report as README.md quotes it.
fn check_everything(root: &Path) -> String {
    let sources = read_spec_sources(root).expect("the copy is readable");
    let model = codegen::load_model(&sources).expect("the copy loads");
    let files = codegen::generate_from_model(&model, &sources).expect("the copy generates");
    let plan = plan_with_quotes(root, &sources, &model, &files).expect("the copy is readable");
    assert!(plan.is_empty(), "stale after gen:\n{}", plan.describe());
    let not_copied = codegen::provenance::examples_not_copied_from_their_pages(&model, &sources);
    assert!(not_copied.is_empty(), "{}", not_copied.join("\n"));
    let contracts = conformance::Contracts::from_generated_files(model, &files)
        .expect("the generated schemas compile");
    let report = conformance::examples::check_examples(&contracts, &sources);
    let rendered = conformance::report::human::render(&report, false);
    assert_eq!(report.exit_code(), 0, "{rendered}");
    let endpoints = contracts.endpoint_keys();
    let contracts = std::sync::Arc::new(contracts);
    let mock = conformance::mock::MockServer::build(
        contracts,
        &sources,
        &conformance::mock::MockOptions::default(),
    )
    .expect("the mock builds");
    assert_eq!(mock.describe_routes().len(), endpoints.len());
    rendered
}

#[test]
fn endpoints_added_to_a_copy_of_spec_pass_every_check() {
    let copy = crate::generate::tests::project_copy();
    let root = copy.path();
    let added = add_next_pages(root);
    assert!(added.iter().any(|path| path.ends_with(".response.txt")));

    let files = |root: &Path| -> Vec<(String, Vec<u8>)> {
        read_spec_sources(root)
            .expect("readable")
            .iter()
            .map(|(path, bytes)| (path.to_owned(), bytes.to_vec()))
            .collect()
    };
    // Unless `spec/` already holds exactly these pages, `--check` sees them as new.
    let changed = files(root) != files(&crate::project_root::for_tests());
    assert_eq!(
        run(root, true).expect("runs"),
        u8::from(changed),
        "--check sees the new endpoints"
    );
    assert_eq!(run(root, false).expect("runs"), 0);
    let rendered = check_everything(root);

    for key in ["ladiflow_next/customer.list", "ladiflow_next/customer.show"] {
        assert!(rendered.contains(key), "{key} is checked:\n{rendered}");
    }
    assert!(rendered.contains("known  (body)  not-json"), "{rendered}");
    // README.md quotes every known discrepancy the copy's specs record, the new ones included.
    let sources = read_spec_sources(root).expect("the copy is readable");
    let model = codegen::load_model(&sources).expect("the copy loads");
    let quote = codegen::emit_contradictions::render(&model, &sources);
    assert!(quote.contains("ladiflow_next/customer.show"), "{quote}");
    let readme = fs::read_to_string(root.join(crate::quoted::README)).expect("readable");
    assert!(
        readme.contains(&quote),
        "README.md quotes the new list:\n{quote}"
    );

    let openapi = fs::read_to_string(root.join("generated/openapi/ladiflow_next.openapi.json"))
        .expect("the new service's OpenAPI document");
    for expected in [
        "\"x-effect\": \"read\"",
        "\"x-omitted-examples\"",
        "\"name\": \"Store-Id\"",
    ] {
        assert!(openapi.contains(expected), "{expected} in {openapi}");
    }
}

#[test]
fn an_endpoint_removed_from_a_copy_of_spec_passes_every_check() {
    let copy = crate::generate::tests::project_copy();
    let root = copy.path();
    let endpoint_spec = walk(&root.join("spec"))
        .expect("readable")
        .into_iter()
        .find(|path| {
            codegen::load::SpecFileKind::of(&relative(root, path))
                == Some(codegen::load::SpecFileKind::Endpoint)
        })
        .expect("spec/ has an endpoint");
    fs::remove_file(&endpoint_spec).expect("removed");

    assert_eq!(
        run(root, true).expect("runs"),
        1,
        "--check sees the removal"
    );
    assert_eq!(run(root, false).expect("runs"), 0);
    check_everything(root);
}

#[test]
fn an_endpoint_renamed_in_a_copy_of_spec_passes_every_check() {
    let copy = crate::generate::tests::project_copy();
    let root = copy.path();
    let endpoint_spec = walk(&root.join("spec"))
        .expect("readable")
        .into_iter()
        .find(|path| {
            codegen::load::SpecFileKind::of(&relative(root, path))
                == Some(codegen::load::SpecFileKind::Endpoint)
        })
        .expect("spec/ has an endpoint");
    let text = fs::read_to_string(&endpoint_spec).expect("readable");
    let id_line = text
        .lines()
        .find(|line| line.starts_with("id: "))
        .expect("the spec has an id")
        .to_owned();
    let renamed_id = format!("{}.renamed", id_line.trim_start_matches("id: ").trim());
    fs::write(
        endpoint_spec.with_file_name(format!("{renamed_id}.yaml")),
        text.replacen(&id_line, &format!("id: {renamed_id}"), 1),
    )
    .expect("writable");
    fs::remove_file(&endpoint_spec).expect("removed");

    assert_eq!(run(root, true).expect("runs"), 1, "--check sees the rename");
    assert_eq!(run(root, false).expect("runs"), 0);
    let rendered = check_everything(root);
    if text.contains("\nexamples:") {
        assert!(rendered.contains(&renamed_id), "{rendered}");
    }
}
