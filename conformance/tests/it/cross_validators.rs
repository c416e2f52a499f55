//! The published schemas and OpenAPI documents in, the verdicts of validators that are not ours
//! out, compared with our own: the table-derived corpus (`codegen::emit_corpus`, written beside
//! the schemas in a scratch folder as `corpus/<service>/<endpoint>.<direction>.json`) through our
//! checker, Python's `jsonschema` (format checking on) and ajv with ajv-formats; every schema
//! through ajv's strict mode; every OpenAPI document through `openapi-spec-validator`.
//!
//! The foreign validators come from their registries, pinned, into `.ci/validators/`: the first
//! test that needs them runs `.ci/install-validators` when they are missing (it needs `python3`
//! and `npm`, which this kind of machine has, and the registries). When that fails, these tests
//! fail and say why: they never skip.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

use crate::{project_root, spec_dir};

const INSTALL_SCRIPT: &str = ".ci/install-validators";

fn validators_dir() -> PathBuf {
    project_root().join(".ci/validators")
}

fn python() -> PathBuf {
    validators_dir().join("venv/bin/python")
}

/// Installs the foreign validators once per test run when they are missing, or fails the test
/// with the installer's output.
fn ensure_foreign_validators_installed() {
    static INSTALLED: OnceLock<Result<(), String>> = OnceLock::new();
    let installed = || python().is_file() && validators_dir().join("node_modules/ajv").is_dir();
    let outcome = INSTALLED.get_or_init(|| {
        if installed() {
            return Ok(());
        }
        let output = Command::new("bash")
            .arg(INSTALL_SCRIPT)
            .current_dir(project_root())
            .output()
            .map_err(|error| format!("cannot run `bash {INSTALL_SCRIPT}`: {error}"))?;
        if output.status.success() && installed() {
            Ok(())
        } else {
            Err(format!(
                "`{INSTALL_SCRIPT}` could not install the foreign validators into {} ({}); it \
                 needs python3 with venv and pip, npm, and access to PyPI and the npm \
                 registry:\n{}{}",
                validators_dir().display(),
                output.status,
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ))
        }
    });
    if let Err(message) = outcome {
        panic!("{message}");
    }
}

/// Runs a foreign tool and returns its standard output, or fails the test saying why.
fn run_foreign(program: &Path, arguments: &[String]) -> String {
    ensure_foreign_validators_installed();
    let output = Command::new(program)
        .args(arguments)
        .current_dir(project_root())
        .output()
        .unwrap_or_else(|error| {
            panic!(
                "cannot run {}: {error}; run `{INSTALL_SCRIPT}`",
                program.display()
            )
        });
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{} {} failed ({}):\n{}\n{stdout}",
        program.display(),
        arguments.join(" "),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// One corpus file: its path (as given to the foreign scripts), schema and cases.
struct Corpus {
    path: String,
    schema: Value,
    cases: Vec<Value>,
}

fn corpora() -> &'static Vec<Corpus> {
    static CORPORA: OnceLock<Vec<Corpus>> = OnceLock::new();
    CORPORA.get_or_init(|| {
        let (_, contracts) = crate::project_contracts();
        let model = &contracts.model;
        // The corpus files as a consumer would lay them out: beside `schemas/`, which they name
        // by relative path.
        let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cross-validators");
        let _ = std::fs::remove_dir_all(&scratch);
        let mut corpora = Vec::new();
        for service in &model.services {
            for endpoint in &service.endpoints {
                for direction in codegen::model::Direction::BOTH {
                    let Some(body) = endpoint.body(direction) else {
                        continue;
                    };
                    let name = codegen::emit_schema::schema_file_name(service, endpoint, body);
                    let schema_text =
                        codegen::emit_schema::render(&codegen::emit_schema::body_schema(
                            &model.schema_base_uri,
                            service,
                            endpoint,
                            body,
                        ));
                    let corpus_text = codegen::emit_corpus::corpus_file(service, endpoint, body);
                    let schema_path = scratch.join("schemas").join(&name);
                    let corpus_path = scratch.join("corpus").join(&name);
                    for (path, text) in [(&schema_path, &schema_text), (&corpus_path, &corpus_text)]
                    {
                        std::fs::create_dir_all(path.parent().expect("a folder"))
                            .expect("the scratch folder is writable");
                        std::fs::write(path, text).expect("the scratch folder is writable");
                    }
                    let corpus: Value =
                        serde_json::from_str(&corpus_text).expect("corpus files are JSON");
                    corpora.push(Corpus {
                        path: corpus_path.to_string_lossy().into_owned(),
                        schema: serde_json::from_str(&schema_text).expect("schemas are JSON"),
                        cases: corpus["cases"].as_array().cloned().unwrap_or_default(),
                    });
                }
            }
        }
        corpora
    })
}

/// What a foreign script printed: verdicts by (corpus, case) and strict-mode complaints.
#[derive(Default)]
struct ForeignVerdicts {
    verdicts: BTreeMap<(String, usize), bool>,
    compile_errors: Vec<String>,
}

fn foreign_verdicts(program: &Path, script: &str) -> ForeignVerdicts {
    let mut arguments = vec![validators_dir().join(script).to_string_lossy().into_owned()];
    arguments.extend(corpora().iter().map(|corpus| corpus.path.clone()));
    let output = run_foreign(program, &arguments);
    let mut parsed = ForeignVerdicts::default();
    for line in output.lines() {
        let value: Value = serde_json::from_str(line)
            .unwrap_or_else(|error| panic!("{script} printed `{line}`, not JSON: {error}"));
        let corpus = value["corpus"].as_str().unwrap_or_default().to_owned();
        if let Some(message) = value["compile_error"].as_str() {
            parsed.compile_errors.push(format!("{corpus}: {message}"));
            continue;
        }
        let case = value["case"].as_u64().expect("a verdict names its case") as usize;
        let valid = value["valid"].as_bool().expect("a verdict is a boolean");
        parsed.verdicts.insert((corpus, case), valid);
    }
    parsed
}

fn ajv() -> &'static ForeignVerdicts {
    static AJV: OnceLock<ForeignVerdicts> = OnceLock::new();
    AJV.get_or_init(|| foreign_verdicts(Path::new("node"), "verdicts.cjs"))
}

fn python_jsonschema() -> &'static ForeignVerdicts {
    static PYTHON: OnceLock<ForeignVerdicts> = OnceLock::new();
    PYTHON.get_or_init(|| foreign_verdicts(&python(), "verdicts.py"))
}

/// Every case of the corpus gets the expected verdict from our checker, Python's `jsonschema`
/// and ajv; any disagreement is listed with the three verdicts.
#[test]
fn corpus_verdicts_agree_in_every_validator() {
    let python_verdicts = python_jsonschema();
    let ajv_verdicts = ajv();
    let mut disagreements = Vec::new();
    let mut checked = 0;
    for corpus in corpora() {
        let ours = conformance::contract::compile_schema(&corpus.schema).unwrap_or_else(|error| {
            panic!("{}: our checker refuses the schema: {error}", corpus.path)
        });
        for (index, case) in corpus.cases.iter().enumerate() {
            let expected = case["valid"]
                .as_bool()
                .expect("a case says whether it is valid");
            let verdicts = [
                ("ours", Some(ours.is_valid(&case["payload"]))),
                (
                    "python-jsonschema",
                    python_verdicts
                        .verdicts
                        .get(&(corpus.path.clone(), index))
                        .copied(),
                ),
                (
                    "ajv",
                    ajv_verdicts
                        .verdicts
                        .get(&(corpus.path.clone(), index))
                        .copied(),
                ),
            ];
            if verdicts
                .iter()
                .any(|(_, verdict)| *verdict != Some(expected))
            {
                let shown: Vec<String> = verdicts
                    .iter()
                    .map(|(who, verdict)| match verdict {
                        Some(valid) => {
                            format!("{who}: {}", if *valid { "valid" } else { "invalid" })
                        }
                        None => format!("{who}: no verdict"),
                    })
                    .collect();
                disagreements.push(format!(
                    "{} case {index} `{}` (expected {}): {}",
                    corpus.path,
                    case["name"].as_str().unwrap_or_default(),
                    if expected { "valid" } else { "invalid" },
                    shown.join(", ")
                ));
            }
            checked += 1;
        }
    }
    assert!(
        checked >= 100 && corpora().len() >= 10,
        "only {checked} cases in {} corpus files",
        corpora().len()
    );
    assert!(
        disagreements.is_empty(),
        "{} of {checked} verdicts disagree:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}

/// Every published schema compiles in ajv's strict mode (`strict: true`: no unknown keyword or
/// format, every `required` name defined beside it, types given for type-specific keywords).
#[test]
fn every_schema_compiles_in_ajv_strict_mode() {
    let errors = &ajv().compile_errors;
    assert!(
        errors.is_empty(),
        "schemas refused by ajv in strict mode:\n{}",
        errors.join("\n")
    );
    let schemas: Vec<&str> = corpora()
        .iter()
        .map(|corpus| corpus.path.as_str())
        .collect();
    assert!(
        schemas.len() >= 10,
        "only {} schemas compiled",
        schemas.len()
    );
}

/// Every published schema is a valid 2020-12 schema to Python's `jsonschema` too.
#[test]
fn every_schema_is_valid_for_python_jsonschema() {
    let errors = &python_jsonschema().compile_errors;
    assert!(errors.is_empty(), "schemas refused:\n{}", errors.join("\n"));
}

/// Every OpenAPI document under `generated/openapi/` is valid OpenAPI 3.1 to
/// `openapi-spec-validator`.
#[test]
fn openapi_documents_pass_openapi_spec_validator() {
    let root = project_root();
    let documents: Vec<String> = spec_dir::walk(&root.join("generated/openapi"))
        .expect("generated/openapi is readable")
        .iter()
        .map(|path| spec_dir::relative(&root, path))
        .collect();
    let (_, contracts) = crate::project_contracts();
    let mut services: Vec<String> = contracts
        .model
        .services
        .iter()
        .map(|service| format!("generated/openapi/{}.openapi.json", service.id))
        .collect();
    services.sort();
    let mut listed = documents.clone();
    listed.sort();
    assert_eq!(listed, services, "one document per service");
    let mut arguments = vec!["-m".to_owned(), "openapi_spec_validator".to_owned()];
    arguments.extend(documents.iter().cloned());
    let output = run_foreign(&python(), &arguments);
    for document in &documents {
        assert!(
            output.contains(&format!("{document}: OK")),
            "openapi-spec-validator did not pass {document}:\n{output}"
        );
    }
}
