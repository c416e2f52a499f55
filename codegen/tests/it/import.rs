//! The importer against pages: the five seed pages reproduce their hand-written specs (what
//! differs is listed in `fixtures/import/seed_differences.snap`, each difference explained in
//! `seed_explanations.txt`); pages written for the tests in the three shapes and three languages
//! (`fixtures/import/pages/<case>/`) give the fields their `truth.tsv` lists and the draft
//! snapshotted beside them; field accuracy over all of them is snapshotted in
//! `accuracy.snap`; and drift between specs and edited pages (`fixtures/import/drift/<case>/`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use codegen::SpecSources;
use codegen::import::{self, DraftFeatures, ImportOptions, ImportOutput};
use codegen::spec::{EndpointSpec, Entries, FieldSpec};

use crate::{fixtures_dir, spec_dir};

/// Drafts that must load are written with every key the loader knows (`default`, `effect`,
/// `media_type`, `headers`, `.txt` examples, detailed enum values).
const LOADABLE: DraftFeatures = DraftFeatures {
    spec_format_additions: true,
};

fn import_dir() -> PathBuf {
    fixtures_dir().join("import")
}

fn project_root() -> PathBuf {
    fixtures_dir().join("../../..")
}

fn import_page(
    page: &str,
    endpoint: &str,
    page_path: &str,
    features: DraftFeatures,
) -> ImportOutput {
    let options = ImportOptions {
        endpoint_id: endpoint.to_owned(),
        page_path: page_path.to_owned(),
        url: None,
        format: None,
        features,
    };
    import::import(page, &options).unwrap_or_else(|error| panic!("{page_path}: {error}"))
}

fn parse_spec(path: &str, text: &str) -> EndpointSpec {
    codegen::load::read_yaml(path, text).unwrap_or_else(|error| panic!("{error}\n{text}"))
}

/// A field flattened: `request/custom_fields[]/name` → type, required, enum values.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Flat {
    ty: String,
    required: bool,
    values: Vec<String>,
}

fn flatten(spec: &EndpointSpec) -> BTreeMap<String, Flat> {
    let mut out = BTreeMap::new();
    if let Some(request) = &spec.request {
        flatten_fields("request", &request.value.fields, &mut out);
    }
    flatten_fields("response", &spec.response.value.fields, &mut out);
    out
}

fn flatten_fields(prefix: &str, fields: &Entries<FieldSpec>, out: &mut BTreeMap<String, Flat>) {
    for (name, field) in fields.iter() {
        flatten_field(&format!("{prefix}/{}", name.value), &field.value, out);
    }
}

fn flatten_field(path: &str, field: &FieldSpec, out: &mut BTreeMap<String, Flat>) {
    out.insert(
        path.to_owned(),
        Flat {
            ty: field.ty.value.as_str().to_owned(),
            required: field
                .required
                .as_ref()
                .is_some_and(|required| required.value),
            values: field
                .values
                .iter()
                .flatten()
                .map(|value| value.value.value().to_owned())
                .collect(),
        },
    );
    if let Some(fields) = &field.fields {
        flatten_fields(path, fields, out);
    }
    if let Some(items) = &field.items {
        flatten_field(&format!("{path}[]"), &items.value, out);
    }
}

/// The project's specs with `service/endpoint` replaced by the draft and its examples.
fn with_draft(
    mut sources: SpecSources,
    service: &str,
    endpoint: &str,
    output: &ImportOutput,
) -> SpecSources {
    sources.insert(
        format!("spec/{service}/{endpoint}.yaml"),
        output.draft.clone(),
    );
    for example in &output.examples {
        sources.insert(
            format!("spec/{service}/examples/{}", example.file_name),
            example.bytes.clone(),
        );
    }
    sources
}

/// The seed specs the self-check covers (`seed_specs.txt`): (service, endpoint id, spec path).
fn seed_specs() -> Vec<(String, String, String)> {
    let listed =
        std::fs::read_to_string(import_dir().join("seed_specs.txt")).expect("seed_specs.txt");
    listed
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| {
            let (service, endpoint) = line.trim().split_once('/').expect("service/endpoint");
            (
                service.to_owned(),
                endpoint.to_owned(),
                format!("spec/{service}/{endpoint}.yaml"),
            )
        })
        .collect()
}

/// Every endpoint spec of the project: (service, endpoint id, spec path).
fn all_specs() -> Vec<(String, String, String)> {
    let sources = spec_dir::read_spec_sources(&project_root()).expect("spec/ is readable");
    sources
        .iter()
        .filter(|(path, _)| {
            codegen::load::SpecFileKind::of(path) == Some(codegen::load::SpecFileKind::Endpoint)
        })
        .map(|(path, _)| {
            let mut parts = path.trim_start_matches("spec/").split('/');
            let service = parts.next().unwrap_or_default().to_owned();
            let file = parts.next().unwrap_or_default();
            (
                service,
                file.trim_end_matches(".yaml").to_owned(),
                path.to_owned(),
            )
        })
        .collect()
}

/// The differences between the hand-written spec and the draft, one line each.
fn differences(written: &EndpointSpec, draft: &EndpointSpec) -> Vec<String> {
    let written_fields = flatten(written);
    let draft_fields = flatten(draft);
    let mut lines = Vec::new();
    for (path, field) in &written_fields {
        match draft_fields.get(path) {
            None => lines.push(format!("{path}: in the spec, not in the draft")),
            Some(drafted) => {
                if drafted.ty != field.ty {
                    lines.push(format!(
                        "{path}: type {} in the spec, {} in the draft",
                        field.ty, drafted.ty
                    ));
                }
                if drafted.required != field.required {
                    lines.push(format!(
                        "{path}: required {} in the spec, {} in the draft",
                        field.required, drafted.required
                    ));
                }
                if drafted.values != field.values {
                    lines.push(format!(
                        "{path}: values {:?} in the spec, {:?} in the draft",
                        field.values, drafted.values
                    ));
                }
            }
        }
    }
    for path in draft_fields
        .keys()
        .filter(|path| !written_fields.contains_key(*path))
    {
        lines.push(format!("{path}: in the draft, not in the spec"));
    }
    let known = |spec: &EndpointSpec| -> Vec<String> {
        spec.examples
            .iter()
            .flat_map(|example| {
                [
                    ("request", &example.request),
                    ("response", &example.response),
                ]
                .into_iter()
                .filter_map(|(direction, payload)| {
                    payload.as_ref().map(|payload| (direction, payload))
                })
                .flat_map(|(direction, payload)| {
                    payload.known.iter().map(move |known| {
                        format!(
                            "{direction} example known {} {}",
                            known.path.value,
                            known.rule.value.as_str()
                        )
                    })
                })
            })
            .collect()
    };
    let (written_known, draft_known) = (known(written), known(draft));
    for entry in &written_known {
        if !draft_known.contains(entry) {
            lines.push(format!("{entry}: in the spec, not in the draft"));
        }
    }
    for entry in &draft_known {
        if !written_known.contains(entry) {
            lines.push(format!("{entry}: in the draft, not in the spec"));
        }
    }
    let status = |spec: &EndpointSpec| format!("{:?}", spec.response.value.status.value);
    if status(written) != status(draft) {
        lines.push(format!(
            "response status: {} in the spec, {} in the draft",
            status(written),
            status(draft)
        ));
    }
    if written
        .request
        .as_ref()
        .map(|request| request.value.at_least_one_of.len())
        != draft
            .request
            .as_ref()
            .map(|request| request.value.at_least_one_of.len())
    {
        lines.push("request at_least_one_of: in the spec, not in the draft".to_owned());
    }
    lines
}

/// `endpoint location: explanation` lines, keyed by `endpoint location`.
fn explanations() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(import_dir().join("seed_explanations.txt"))
        .expect("seed_explanations.txt");
    text.lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| {
            let (key, why) = line
                .split_once(" => ")
                .unwrap_or_else(|| panic!("`key => why` expected: {line}"));
            (key.trim().to_owned(), why.trim().to_owned())
        })
        .collect()
}

#[test]
fn seed_pages_reproduce_their_specs() {
    let root = project_root();
    let sources = spec_dir::read_spec_sources(&root).expect("spec/ is readable");
    let explanations = explanations();
    let mut explained = std::collections::BTreeSet::new();
    let mut report = String::new();
    let mut unexplained = Vec::new();
    let mut imported = 0;
    for (service, endpoint, spec_path) in seed_specs() {
        let text =
            String::from_utf8(sources.get(&spec_path).expect("listed").to_vec()).expect("utf-8");
        let written = parse_spec(&spec_path, &text);
        let page_path = format!("spec/{service}/{}", written.source.page.value);
        let page = String::from_utf8(sources.get(&page_path).expect("the saved page").to_vec())
            .expect("utf-8");
        let output = import_page(&page, &endpoint, &written.source.page.value, LOADABLE);

        // The draft loads with the loader, beside the other specs.
        let replaced = with_draft(sources.clone(), &service, &endpoint, &output);
        if let Err(errors) = codegen::load_model(&replaced) {
            panic!(
                "the draft of {spec_path} does not load:\n{}\n{}",
                errors.render(),
                output.draft
            );
        }
        // The examples, byte for byte.
        for example in &written.examples {
            for payload in [&example.request, &example.response].into_iter().flatten() {
                let file = &payload.file.value;
                let name = file.trim_start_matches("examples/");
                let drafted = output
                    .examples
                    .iter()
                    .find(|drafted| drafted.file_name == name)
                    .unwrap_or_else(|| panic!("{spec_path}: the draft has no {file}"));
                let bytes = sources
                    .get(&format!("spec/{service}/{file}"))
                    .expect("example file");
                assert_eq!(drafted.bytes, bytes, "{spec_path}: {file} differs");
            }
        }
        // Fields, enum values, known entries: every difference explained.
        let draft = parse_spec("draft", &output.draft);
        writeln!(report, "== {service}/{endpoint}").unwrap();
        for line in differences(&written, &draft) {
            let key = format!(
                "{service}/{endpoint} {}",
                line.split(": ").next().unwrap_or_default()
            );
            match explanations.get(&key) {
                Some(why) => writeln!(report, "{line}\n    because {why}").unwrap(),
                None => unexplained.push(format!("{key} => ")),
            }
            explained.insert(key);
        }
        imported += 1;
    }
    assert_eq!(imported, seed_specs().len());
    assert!(
        unexplained.is_empty(),
        "differences without an explanation in seed_explanations.txt:\n{}",
        unexplained.join("\n")
    );
    let unused: Vec<&String> = explanations
        .keys()
        .filter(|key| !explained.contains(*key))
        .collect();
    assert!(
        unused.is_empty(),
        "explanations of differences that no longer occur: {unused:?}"
    );
    insta::with_settings!({
        snapshot_path => import_dir(),
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!("seed_differences", report);
    });
}

/// A fixture page: its file, and the expected fields (`path<TAB>type<TAB>required`).
fn case_page(name: &str) -> (PathBuf, String) {
    let folder = import_dir().join("pages").join(name);
    let page = ["page.md", "page.html", "page.txt"]
        .iter()
        .map(|file| folder.join(file))
        .find(|path| path.exists())
        .unwrap_or_else(|| panic!("{}: no page.md, page.html or page.txt", folder.display()));
    let text = std::fs::read_to_string(&page).expect("page is readable");
    (page, text)
}

fn truth(folder: &Path) -> Vec<(String, String, bool)> {
    let text = std::fs::read_to_string(folder.join("truth.tsv")).expect("truth.tsv");
    text.lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            assert_eq!(
                cells.len(),
                3,
                "truth.tsv: `path<TAB>type<TAB>required` expected: {line}"
            );
            (cells[0].to_owned(), cells[1].to_owned(), cells[2] == "true")
        })
        .collect()
}

/// Field accuracy of a draft against a truth: (fields, names found, types right, required right).
fn score(draft: &EndpointSpec, truth: &[(String, String, bool)]) -> [usize; 4] {
    let fields = flatten(draft);
    let mut score = [truth.len(), 0, 0, 0];
    for (path, ty, required) in truth {
        if let Some(field) = fields.get(path) {
            score[1] += 1;
            score[2] += usize::from(field.ty == *ty);
            score[3] += usize::from(field.required == *required);
        }
    }
    score
}

/// A minimal project around one draft: it must load.
fn load_alone(output: &ImportOutput) {
    let mut sources = SpecSources::new();
    sources.insert("spec/project.yaml", "# yaml-language-server: $schema=../generated/spec-format/project.schema.json\nschema_base_uri: https://contracts.example/schemas/\n");
    sources.insert("spec/demo/service.yaml", "# yaml-language-server: $schema=../../generated/spec-format/service.schema.json\nid: demo\ntitle: Demo\nlanguage: en\nschema_version: 1.0.0\nbase_url: https://example.invalid\nauth:\n  scheme: bearer\n  env: DEMO_TOKEN\n");
    sources.insert("spec/demo/pages/page.txt", "the page");
    let sources = with_draft(sources, "demo", "demo.endpoint", output);
    if let Err(errors) = codegen::load_model(&sources) {
        panic!(
            "the draft does not load:\n{}\n{}",
            errors.render(),
            output.draft
        );
    }
}

/// Imports the case's page: the loadable draft loads; the fields are the truth's; the draft
/// (with the newer keys, as `cargo xtask import` writes after the merge) is the snapshot.
fn check(name: &str) {
    let (page, text) = case_page(name);
    let loadable = import_page(&text, "demo.endpoint", "pages/page.txt", LOADABLE);
    load_alone(&loadable);
    let draft = parse_spec("draft", &loadable.draft);
    let folder = page.parent().expect("in a folder").to_path_buf();
    let truth = truth(&folder);
    let fields = flatten(&draft);
    let mut mismatches = Vec::new();
    for (path, ty, required) in &truth {
        match fields.get(path) {
            None => mismatches.push(format!("{path}: missing")),
            Some(field) if field.ty != *ty || field.required != *required => {
                mismatches.push(format!(
                    "{path}: {} {} (truth {ty} {required})",
                    field.ty, field.required
                ))
            }
            Some(_) => {}
        }
    }
    let full = import_page(
        &text,
        "demo.endpoint",
        "pages/page.txt",
        DraftFeatures::default(),
    );
    let mut snapshot = full.draft.clone();
    snapshot.push_str("\n=== examples\n");
    for example in &full.examples {
        writeln!(
            snapshot,
            "{} ({} bytes)",
            example.file_name,
            example.bytes.len()
        )
        .unwrap();
    }
    snapshot.push_str("=== to decide\n");
    for line in &full.summary {
        writeln!(snapshot, "- {line}").unwrap();
    }
    snapshot.push_str("=== fields the truth lists and the draft gets wrong\n");
    for line in &mismatches {
        writeln!(snapshot, "{line}").unwrap();
    }
    insta::with_settings!({
        snapshot_path => folder,
        prepend_module_to_snapshot => false,
        omit_expression => true,
        description => format!("imported from fixtures/import/pages/{name}"),
    }, {
        insta::assert_snapshot!("draft", snapshot);
    });
}

mod pages {
    use super::check;

    crate::fixture_cases!(super::import_dir().join("pages");
        en_html_document,
        en_markdown_pipe,
        en_markdown_text_response,
        he_gitbook_html,
        he_markdown_pipe,
        he_rendered,
        vi_gitbook_html,
        vi_markdown_index_column,
        vi_rendered,
        en_rendered_get,
    );
}

/// Field accuracy (wire name, type, required) on the fixture pages and the rendered copies of
/// the seed pages, snapshotted so every change to it is seen.
#[test]
fn field_accuracy() {
    let mut table = String::from("page\tfields\tname\ttype\trequired\n");
    let mut total = [0usize; 4];
    let mut add = |label: &str, score: [usize; 4], table: &mut String| {
        writeln!(
            table,
            "{label}\t{}\t{}\t{}\t{}",
            score[0], score[1], score[2], score[3]
        )
        .unwrap();
        for (sum, part) in total.iter_mut().zip(score) {
            *sum += part;
        }
    };
    for name in crate::case_folders(&import_dir().join("pages")) {
        let (page, text) = case_page(&name);
        let output = import_page(&text, "demo.endpoint", "pages/page.txt", LOADABLE);
        let draft = parse_spec("draft", &output.draft);
        add(
            &name,
            score(&draft, &truth(page.parent().expect("folder"))),
            &mut table,
        );
    }
    // Rendered copies of the seed pages, against the hand-written specs' fields.
    let sources = spec_dir::read_spec_sources(&project_root()).expect("spec/ is readable");
    for (service, endpoint, spec_path) in seed_specs() {
        let text =
            String::from_utf8(sources.get(&spec_path).expect("listed").to_vec()).expect("utf-8");
        let written = parse_spec(&spec_path, &text);
        let truth: Vec<(String, String, bool)> = flatten(&written)
            .into_iter()
            .map(|(path, field)| (path, field.ty, field.required))
            .collect();
        let rendered = std::fs::read_to_string(
            import_dir()
                .join("rendered_seeds")
                .join(format!("{service}.{endpoint}.txt")),
        )
        .expect("a rendered copy of every seed page");
        let output = import_page(&rendered, &endpoint, "pages/rendered.txt", LOADABLE);
        assert_eq!(
            output.format,
            import::PageFormat::Rendered,
            "{service}.{endpoint}.txt is read as rendered text"
        );
        let draft = parse_spec("draft", &output.draft);
        add(
            &format!("rendered {service}/{endpoint}"),
            score(&draft, &truth),
            &mut table,
        );
    }
    let percent = |part: usize| format!("{:.1}%", 100.0 * part as f64 / total[0].max(1) as f64);
    writeln!(
        table,
        "all\t{}\t{} ({})\t{} ({})\t{} ({})",
        total[0],
        total[1],
        percent(total[1]),
        total[2],
        percent(total[2]),
        total[3],
        percent(total[3])
    )
    .unwrap();
    println!("{table}");
    insta::with_settings!({
        snapshot_path => import_dir(),
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!("accuracy", table);
    });
}

/// Drift: each case folder holds an edited copy of a seed page (`page.*`), the spec it is
/// checked against (`spec.txt`: its path), and the drift expected (`expected.txt`).
fn check_drift(name: &str) {
    let folder = import_dir().join("drift").join(name);
    let spec_path = std::fs::read_to_string(folder.join("spec.txt")).expect("spec.txt");
    let spec_path = spec_path.trim();
    let root = project_root();
    let sources = spec_dir::read_spec_sources(&root).expect("spec/ is readable");
    let text =
        String::from_utf8(sources.get(spec_path).expect("the spec").to_vec()).expect("utf-8");
    let spec = parse_spec(spec_path, &text);
    let service_folder = spec_path.rsplit_once('/').expect("in a folder").0;
    let page = ["page.md", "page.html", "page.txt"]
        .iter()
        .find_map(|file| std::fs::read_to_string(folder.join(file)).ok())
        .expect("an edited page");
    let (_, reading) = import::read_page(&page, None).expect("the page reads");
    let example_bytes = |file: &str| {
        sources
            .get(&format!("{service_folder}/{file}"))
            .map(<[u8]>::to_vec)
    };
    let drift: Vec<String> = import::drift::compare(&spec, &reading, &example_bytes)
        .into_iter()
        .map(|drift| format!("{}: {}", drift.location, drift.message))
        .collect();
    let expected = std::fs::read_to_string(folder.join("expected.txt")).expect("expected.txt");
    let expected: Vec<&str> = expected.lines().filter(|line| !line.is_empty()).collect();
    assert_eq!(drift, expected, "drift of {name}");
}

mod drift {
    fn check(name: &str) {
        super::check_drift(name);
    }

    crate::fixture_cases!(super::import_dir().join("drift");
        field_added_removed_retyped,
        required_and_enum_changed,
        example_edited,
    );
}

/// Every spec of the project reads the same as its saved page: no drift today.
#[test]
fn the_specs_do_not_drift_from_their_pages() {
    let root = project_root();
    let sources = spec_dir::read_spec_sources(&root).expect("spec/ is readable");
    let mut checked = 0;
    for (service, _, spec_path) in all_specs() {
        let text =
            String::from_utf8(sources.get(&spec_path).expect("listed").to_vec()).expect("utf-8");
        let spec = parse_spec(&spec_path, &text);
        let page = String::from_utf8(
            sources
                .get(&format!("spec/{service}/{}", spec.source.page.value))
                .expect("page")
                .to_vec(),
        )
        .expect("utf-8");
        let (_, reading) = import::read_page(&page, None).expect("the page reads");
        let example_bytes = |file: &str| {
            sources
                .get(&format!("spec/{service}/{file}"))
                .map(<[u8]>::to_vec)
        };
        let drift = import::drift::compare(&spec, &reading, &example_bytes);
        assert!(drift.is_empty(), "{spec_path} drifts: {drift:?}");
        checked += 1;
    }
    assert!(checked >= seed_specs().len(), "every spec checked");
}

/// Unit checks of the vocabulary that pages lean on.
#[test]
fn type_words_required_marks_and_notes() {
    use codegen::import::notes;
    use codegen::import::type_words::{RequiredMark, required_mark, type_of_word};
    use codegen::spec::FieldType;
    use import::DraftType;
    let cases: &[(&str, DraftType)] = &[
        ("`string`", DraftType::Scalar(FieldType::String)),
        ("int", DraftType::Scalar(FieldType::Integer)),
        ("Số nguyên", DraftType::Scalar(FieldType::Integer)),
        ("yyyy-mm-dd", DraftType::Scalar(FieldType::Date)),
        ("DateTime", DraftType::Scalar(FieldType::DateTime)),
        (
            "List<String>",
            DraftType::Array(Box::new(DraftType::Scalar(FieldType::String))),
        ),
        (
            "string[]",
            DraftType::Array(Box::new(DraftType::Scalar(FieldType::String))),
        ),
        (
            "male/female",
            DraftType::Enum(vec!["male".into(), "female".into()]),
        ),
        ("xyz", DraftType::Unknown("xyz".into())),
    ];
    for (word, expected) in cases {
        assert_eq!(&type_of_word(word), expected, "{word}");
    }
    for (mark, expected) in [
        ("✓", RequiredMark::Yes),
        ("có", RequiredMark::Yes),
        ("", RequiredMark::No),
        ("không", RequiredMark::No),
        ("Yes", RequiredMark::Yes),
        ("maybe", RequiredMark::Unknown),
    ] {
        assert_eq!(required_mark(mark), expected, "{mark:?}");
    }
    assert_eq!(notes::default_value("Mặc định =1").as_deref(), Some("1"));
    assert_eq!(
        notes::default_value("Số trang, giá trị mặc định: 20").as_deref(),
        Some("20")
    );
    assert_eq!(
        notes::default_value("default: \"vi\"").as_deref(),
        Some("\"vi\"")
    );
    assert_eq!(notes::default_value("ברירת מחדל 10").as_deref(), Some("10"));
    assert_eq!(notes::default_value("default 1, default 2"), None);
    assert_eq!(
        notes::enumeration("One of: `asc`, `desc`"),
        Some(vec!["asc".to_owned(), "desc".to_owned()])
    );
    assert_eq!(
        notes::enumeration("Giá trị: active hoặc inactive"),
        Some(vec!["active".to_owned(), "inactive".to_owned()])
    );
    assert_eq!(
        notes::enumeration("the values are explained below, see the table"),
        None
    );
}

mod drafts_and_hostile_pages;
