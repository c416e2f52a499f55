//! Benchmark: 1,000 and 10,000 synthetic endpoints of 25 fields in, the time (wall and processor)
//! and peak memory of generating every file out (YAML parsing, lowering, Rust, JSON Schema and
//! OpenAPI emission: `codegen::generate`), printed beside the reference figures, so growth shows
//! as well as speed.
//! `cargo bench -p codegen --bench gen` (`BENCH_SIZES=1000` for the small set alone).
//!
//! `BENCH_WRITE_PROJECT=folder` only writes the specs there as a project (with a `Cargo.toml`
//! marking it as one), to time the built binary on them: `cd folder && path/to/xtask gen` (not
//! `cargo xtask`, which would find this checkout). With `BENCH_COMPILE=1` it also writes the
//! generated crate to a temporary folder and times a
//! warm `cargo check` of it with default features (request types: `Serialize`; response types:
//! `Deserialize`), with `bench-both-directions`, with `conformance` (both directions and the
//! registry: the checker's build) and with `bench-client` (the typed client), the consumer's
//! compile budget, with the peak memory of the largest compiler process where `/usr/bin/time`
//! exists; then, in the same run, quicktype's Rust for the same request schemas (quicktype is
//! installed by `.ci/install-validators`), and prints the ratios. With it, `BENCH_KEEP_CRATE`
//! (set to anything) keeps the written crate for a closer look, and `BENCH_SKIP_QUICKTYPE`
//! (set to anything) skips quicktype and the reference figures. Memory is in GB of 10^9 bytes
//! (figures before 2026-11-30 divided `time`'s KiB by 10^6, 2.4% low).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests and benches fail by panicking, with the expectation that was not met"
)]

#[path = "support/peak_memory.rs"]
mod peak_memory;

use std::time::Instant;

use codegen::SpecSources;
use peak_memory::{PeakMemory, megabytes};

#[global_allocator]
static ALLOCATOR: PeakMemory = PeakMemory::new();

/// The sizes measured unless `BENCH_SIZES` (comma-separated endpoint counts) says otherwise.
const DEFAULT_SIZES: [usize; 2] = [1_000, 10_000];
const FIELDS: usize = 25;

/// The field types the synthetic specs cycle through.
const FIELD_KINDS: [&str; 10] = [
    "      type: string\n",
    "      type: integer\n",
    "      type: number\n",
    "      type: boolean\n",
    "      type: date\n",
    "      type: date-time\n",
    "      type: email\n      nullable: true\n",
    // Alike in every endpoint, as vendors repeat a status list (one Rust type: see
    // `EnumerationLists`).
    "      type: enum\n      values: [alpha, beta, gamma]\n",
    "      type: array\n      items:\n        type: string\n",
    "      type: object\n      undocumented_fields: allow\n      fields:\n        inner_name:\n          type: string\n          required: true\n",
];

/// Whether the synthetic specs' enumerations are written alike, as vendors repeat a list (the
/// generated crate then has one enumeration type), or each with values of its own (one type
/// each, what the crate costs without that).
#[derive(Clone, Copy, PartialEq, Eq)]
enum EnumerationLists {
    Alike,
    Distinct,
}

fn synthetic_specs(endpoints: usize) -> SpecSources {
    synthetic_specs_with(endpoints, EnumerationLists::Alike)
}

fn synthetic_specs_with(endpoints: usize, lists: EnumerationLists) -> SpecSources {
    let mut sources = SpecSources::new();
    sources.insert(
        "spec/project.yaml",
        "# yaml-language-server: $schema=../generated/spec-format/project.schema.json\n\
         schema_base_uri: https://bench.example/schemas/\n",
    );
    sources.insert(
        "spec/bench/service.yaml",
        "# yaml-language-server: $schema=../../generated/spec-format/service.schema.json\n\
         id: bench\ntitle: Bench\nlanguage: en\nschema_version: 1.0.0\n\
         base_url: https://bench.example\nauth:\n  scheme: bearer\n  env: BENCH_TOKEN\n",
    );
    sources.insert("spec/bench/pages/page.txt", "A page.");
    for endpoint in 0..endpoints {
        let mut yaml = format!(
            "# yaml-language-server: $schema=../../generated/spec-format/endpoint.schema.json\n\
             id: things{endpoint}.create\ntitle: Create thing {endpoint}\n\
             source:\n  page: pages/page.txt\nmethod: POST\npath: /things/{endpoint}\n\
             request:\n  undocumented_fields: forbid\n  fields:\n"
        );
        for field in 0..FIELDS {
            yaml.push_str(&format!("    field_{field}:\n"));
            let kind = FIELD_KINDS[(field + endpoint) % FIELD_KINDS.len()];
            if lists == EnumerationLists::Distinct && kind.contains("type: enum") {
                yaml.push_str(&format!(
                    "      type: enum\n      values: [alpha{endpoint}x{field}, beta, gamma]\n"
                ));
            } else {
                yaml.push_str(kind);
            }
            if field % 3 == 0 {
                yaml.push_str("      required: true\n");
            }
            yaml.push_str(&format!(
                "      description: Field {field} of thing {endpoint}.\n"
            ));
        }
        yaml.push_str(
            "response:\n  status: 201\n  undocumented_fields: allow\n  fields:\n    id:\n      type: string\n      required: true\n",
        );
        sources.insert(format!("spec/bench/things{endpoint}.create.yaml"), yaml);
    }
    sources
}

fn main() {
    if let Some(folder) = std::env::var_os("BENCH_WRITE_PROJECT") {
        write_project(std::path::Path::new(&folder));
        return;
    }
    let sizes: Vec<usize> = match std::env::var("BENCH_SIZES") {
        Ok(text) => text
            .split(',')
            .map(|size| size.trim().parse().expect("BENCH_SIZES: endpoint counts"))
            .collect(),
        Err(_) => DEFAULT_SIZES.to_vec(),
    };
    for (index, &endpoints) in sizes.iter().enumerate() {
        let files = measure(endpoints);
        if index == 0 && std::env::var_os("BENCH_COMPILE").is_some() {
            compile_budget(&files, endpoints);
        }
    }
    println!("  target: under 1 s on 2 cores at 1,000; under 5 s and 1 GB at 10,000");
    println!(
        "  reference, same machine: quicktype 22 s, typify 25 s for 1,000 schemas of 25 fields; \
         quote! → syn::parse2 → prettyplease alone 0.83 s on one core; 10.4 s and 1.1 GB at \
         10,000 in the issue's measurement; before the one-pass generation (OpenAPI from \
         rendered parts, parsed files dropped as lowered): 17.8 s and 1,014 MB at 10,000, \
         1.7 s and 100 MB at 1,000, with other builds running; before the impls were written as \
         text (`rust_text`, no quote! → parse2 round trip): 10.7 s and 901 MB at 10,000, 1.06 s \
         at 1,000, Rust emission 14.3 s of one thread at 10,000"
    );
}

/// Writes the synthetic specs (the largest of `BENCH_SIZES`) as a project in `folder`, beside a
/// `Cargo.toml` that marks it as one, so `cargo xtask gen` can be timed writing and checking
/// them: `cd folder && /usr/bin/time -v path/to/xtask gen`.
fn write_project(folder: &std::path::Path) {
    let endpoints = std::env::var("BENCH_SIZES")
        .ok()
        .and_then(|text| {
            text.split(',')
                .filter_map(|size| size.trim().parse().ok())
                .max()
        })
        .unwrap_or(DEFAULT_SIZES[DEFAULT_SIZES.len() - 1]);
    for (path, bytes) in synthetic_specs(endpoints).iter() {
        let target = folder.join(path);
        std::fs::create_dir_all(target.parent().expect("a parent")).expect("writable");
        std::fs::write(&target, bytes).expect("writable");
    }
    std::fs::write(folder.join("Cargo.toml"), "[workspace]\n").expect("writable");
    println!(
        "{endpoints} endpoints' specs written to {}",
        folder.display()
    );
}

/// Generates `endpoints` synthetic endpoints several times and prints the median time, the peak
/// memory and each stage alone; returns the files of the last run.
fn measure(endpoints: usize) -> codegen::GeneratedFiles {
    let sources = synthetic_specs(endpoints);
    let threads = rayon::current_num_threads();
    println!(
        "gen: {endpoints} endpoints, each a request of {FIELDS} fields and a 1-field response ({threads} threads)"
    );
    let repeats = if endpoints > 2_000 { 3 } else { 5 };
    let mut runs = Vec::new();
    let mut files = None;
    for _ in 0..repeats {
        // The previous run's files are freed first, so each run starts from the same memory.
        drop(files.take());
        ALLOCATOR.reset_peak();
        let base = ALLOCATOR.live_bytes();
        let cpu_before = process_cpu_seconds();
        let start = Instant::now();
        let generated = codegen::generate(&sources).expect("the synthetic specs generate");
        let elapsed = start.elapsed();
        let cpu = process_cpu_seconds()
            .zip(cpu_before)
            .map(|(after, before)| after - before);
        runs.push((elapsed, ALLOCATOR.peak_bytes() - base, cpu));
        files = Some(generated);
    }
    runs.sort_by_key(|run| run.0);
    let (total, peak, cpu) = runs[runs.len() / 2];
    let files = files.expect("ran at least once");
    let bytes: usize = files.0.values().map(String::len).sum();
    // Processor time of every thread: what the run costs whatever else the machine is doing
    // (the wall time grows with other work; on an idle machine it is about this over the
    // number of threads).
    let cpu = cpu
        .map(|seconds| format!(" ({seconds:.1} s of processor time, all threads)"))
        .unwrap_or_default();
    println!(
        "  codegen::generate, median of {repeats}: {:.3} s{cpu}; peak memory {} (input {}); {} files, {} of output",
        total.as_secs_f64(),
        megabytes(peak),
        megabytes(sources.iter().map(|(_, bytes)| bytes.len()).sum()),
        files.0.len(),
        megabytes(bytes)
    );
    stages(&sources);
    files
}

/// The processor time this process has used so far (user and system, every thread), from
/// `/proc/self/stat` (in the kernel's fixed 100 ticks a second); `None` where there is none.
fn process_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after the name.
    let user: f64 = fields.get(11)?.parse().ok()?;
    let system: f64 = fields.get(12)?.parse().ok()?;
    Some((user + system) / 100.0)
}

/// Each stage alone, on one thread, to show where the time goes.
fn stages(sources: &SpecSources) {
    let time = |label: &str, work: &mut dyn FnMut() -> usize| {
        let start = Instant::now();
        let bytes = work();
        println!(
            "    {label:<44} {:>7.3} s one thread ({})",
            start.elapsed().as_secs_f64(),
            megabytes(bytes)
        );
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a thread pool");
    pool.install(|| {
        println!("  stages:");
        let mut model = None;
        time("load and lower (YAML → model)", &mut || {
            model = Some(codegen::load_model(sources).expect("valid"));
            0
        });
        let model = model.expect("loaded");
        let service = &model.services[0];
        time(
            "Rust, one file per endpoint (text, prettyplease)",
            &mut || {
                service
                    .endpoints
                    .iter()
                    .map(|endpoint| {
                        let rust = codegen::emit_rust::endpoint_file(service, endpoint);
                        rust.module.len() + rust.other_direction.len()
                    })
                    .sum()
            },
        );
        let bodies = || {
            service.endpoints.iter().flat_map(|endpoint| {
                codegen::model::Direction::BOTH
                    .into_iter()
                    .filter_map(move |direction| {
                        endpoint.body(direction).map(|body| (endpoint, body))
                    })
            })
        };
        time("JSON Schemas", &mut || {
            bodies()
                .map(|(endpoint, body)| {
                    codegen::emit_schema::render(&codegen::emit_schema::body_schema(
                        &model.schema_base_uri,
                        service,
                        endpoint,
                        body,
                    ))
                    .len()
                })
                .sum()
        });
        time(
            "corpus (`cargo xtask corpus`, not part of gen)",
            &mut || {
                bodies()
                    .map(|(endpoint, body)| {
                        codegen::emit_corpus::corpus_file(service, endpoint, body).len()
                    })
                    .sum()
            },
        );
        time("OpenAPI documents", &mut || {
            codegen::emit_openapi::files(&model, &|_| None)
                .iter()
                .map(|(_, text)| text.len())
                .sum()
        });
    });
}

/// The generated crate of `files` as a crate of its own in `folder`.
fn write_crate(files: &codegen::GeneratedFiles, folder: &std::path::Path) {
    for (path, contents) in &files.0 {
        let Some(relative) = path.strip_prefix("generated/") else {
            continue;
        };
        let target = folder.join(relative);
        std::fs::create_dir_all(target.parent().expect("a parent")).expect("writable");
        std::fs::write(&target, contents).expect("writable");
    }
    std::fs::write(
        folder.join("Cargo.toml"),
        files.0["generated/Cargo.toml"].replace("[package]", "[workspace]\n\n[package]"),
    )
    .expect("writable");
}

/// Times `cargo check` of the generated crate, as a consumer would build it, and of quicktype's
/// Rust for the same request schemas, in the same run, when `.ci/install-validators` has
/// installed quicktype.
fn compile_budget(files: &codegen::GeneratedFiles, endpoints: usize) {
    let folder = std::env::temp_dir().join(format!("codegen-bench-crate-{}", std::process::id()));
    write_crate(files, &folder);
    let check = |label: &str, features: Option<&str>| {
        let figure = warm_check(&folder, features, Incremental::On);
        println!("  cargo check of the generated crate, {label}: {figure}");
        figure
    };
    let default = check("default features (one serde direction per type)", None);
    // The same with every enumeration's values its own: what the crate costs when the pages do
    // not repeat a list (above, the 2,500 uses of one list are one type).
    let distinct_folder = folder.with_extension("distinct-enumerations");
    let distinct = codegen::generate(&synthetic_specs_with(endpoints, EnumerationLists::Distinct))
        .expect("the synthetic specs generate");
    write_crate(&distinct, &distinct_folder);
    let distinct_figure = warm_check(&distinct_folder, None, Incremental::On);
    println!(
        "  cargo check of the generated crate, default features, every enumeration's values its \
         own (a type each, none alike): {distinct_figure}"
    );
    let _ = std::fs::remove_dir_all(&distinct_folder);
    // As a git or registry dependency builds it: without the incremental state of a check
    // before (its dependencies still built).
    let as_dependency = warm_check(&folder, None, Incremental::Off);
    println!(
        "  cargo check of the generated crate, default features, not incremental (as a \
         dependency builds it): {as_dependency}"
    );
    check(
        "feature bench-both-directions (the service both ways)",
        Some("bench-both-directions"),
    );
    let conformance = check(
        "feature conformance (both directions, registry: the checker's)",
        Some("conformance"),
    );
    check(
        "feature bench-client (the typed client)",
        Some("bench-client"),
    );
    if std::env::var_os("BENCH_KEEP_CRATE").is_some() {
        println!("  the generated crate is kept in {}", folder.display());
    } else {
        let _ = std::fs::remove_dir_all(&folder);
    }
    if std::env::var_os("BENCH_SKIP_QUICKTYPE").is_some() {
        return;
    }
    match quicktype_check(files) {
        Some((quicktype, schemas)) => {
            println!(
                "  cargo check of quicktype's Rust for the same {schemas} request schemas (its \
                 default derives: Serialize, Deserialize, Debug, Clone): {quicktype}"
            );
            println!(
                "  ours ÷ quicktype, time: default {:.2}×, conformance {:.2}× (goals: at most 0.5× \
                 and 1×; memory under 2 GB and 4 GB)",
                default.seconds / quicktype.seconds,
                conformance.seconds / quicktype.seconds
            );
        }
        None => println!(
            "  quicktype not installed (run .ci/install-validators): no side-by-side figure"
        ),
    }
    println!(
        "  reference, same machine, quiet: default features 21.5 s and 2.8 GB before the consumer \
         API; quicktype 28.8 s and 3.8 GB; conformance 303 s and 12.8 GB; 1,000 plain structs of \
         25 fields check in 115 s with five derives, 66 s with Deserialize alone"
    );
}

/// A warm `cargo check` of one crate: time and peak memory of the largest compiler process.
struct CheckFigure {
    seconds: f64,
    peak_gigabytes: Option<f64>,
    status: std::process::ExitStatus,
}

impl std::fmt::Display for CheckFigure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.1} s", self.seconds)?;
        if let Some(peak) = self.peak_gigabytes {
            write!(f, ", peak {peak:.2} GB")?;
        }
        write!(f, " ({})", self.status)
    }
}

/// Whether the measured check is incremental (a workspace member's) or not (a dependency's).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Incremental {
    On,
    Off,
}

/// Checks the crate in `folder` once to warm its dependencies, then again with only the crate
/// itself to do (`src/lib.rs` touched), and measures the second.
fn warm_check(
    folder: &std::path::Path,
    features: Option<&str>,
    incremental: Incremental,
) -> CheckFigure {
    let _ = std::fs::remove_dir_all(folder.join("target"));
    let feature_arguments: Vec<&str> = features
        .map(|features| vec!["--features", features])
        .unwrap_or_default();
    // Everything once first, then the crate alone again (`src/lib.rs` touched): the figure
    // is the generated code's own, with its dependencies warm (cargo refuses `--features`
    // beside `-p` of a dependency, so they cannot be built alone).
    let incremental = match incremental {
        Incremental::On => "1",
        Incremental::Off => "0",
    };
    let mut warm = std::process::Command::new(env!("CARGO"));
    warm.args(["check", "--quiet"])
        .args(&feature_arguments)
        .env("CARGO_INCREMENTAL", incremental)
        .current_dir(folder);
    let _ = warm.status();
    let lib = folder.join("src/lib.rs");
    if let Ok(text) = std::fs::read_to_string(&lib) {
        let _ = std::fs::write(&lib, text);
    }
    let time = std::path::Path::new("/usr/bin/time");
    let mut command = if time.exists() {
        let mut command = std::process::Command::new(time);
        command.args(["-f", "%M"]).arg(env!("CARGO"));
        command
    } else {
        std::process::Command::new(env!("CARGO"))
    };
    command
        .args(["check", "--quiet"])
        .args(&feature_arguments)
        .env("CARGO_INCREMENTAL", incremental)
        .current_dir(folder);
    let start = Instant::now();
    let output = command.output().expect("cargo runs");
    let seconds = start.elapsed().as_secs_f64();
    let peak_gigabytes = String::from_utf8_lossy(&output.stderr)
        .lines()
        .last()
        .and_then(|line| line.trim().parse::<u64>().ok())
        .filter(|_| time.exists())
        // `%M` is in KiB: GB here are 10^9 bytes.
        .map(|kibibytes| kibibytes as f64 * 1024.0 / 1e9);
    CheckFigure {
        seconds,
        peak_gigabytes,
        status: output.status,
    }
}

/// quicktype's Rust for the bench's request schemas, written in one run and checked as a crate
/// with serde (derive) and serde_json; `None` when quicktype is not installed.
fn quicktype_check(files: &codegen::GeneratedFiles) -> Option<(CheckFigure, usize)> {
    let quicktype = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../.ci/validators/node_modules/.bin/quicktype");
    if !quicktype.exists() {
        return None;
    }
    let folder =
        std::env::temp_dir().join(format!("codegen-bench-quicktype-{}", std::process::id()));
    let schemas = folder.join("schemas");
    std::fs::create_dir_all(&schemas).expect("writable");
    std::fs::create_dir_all(folder.join("src")).expect("writable");
    let mut sources = Vec::new();
    for (path, contents) in &files.0 {
        if path.starts_with("generated/schemas/bench/") && path.ends_with(".request.json") {
            let name = path.rsplit('/').next().expect("a file name");
            let target = schemas.join(name);
            std::fs::write(&target, contents).expect("writable");
            sources.push(target);
        }
    }
    sources.sort();
    let start = Instant::now();
    let status = std::process::Command::new(&quicktype)
        .args([
            "--lang",
            "rust",
            "--src-lang",
            "schema",
            "--visibility",
            "public",
        ])
        .arg("--out")
        .arg(folder.join("src/lib.rs"))
        .args(&sources)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("quicktype runs");
    println!(
        "  quicktype writing Rust for the {} request schemas: {:.1} s ({status})",
        sources.len(),
        start.elapsed().as_secs_f64()
    );
    std::fs::write(
        folder.join("Cargo.toml"),
        "[workspace]\n\n[package]\nname = \"quicktype-output\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n\
         [lib]\ndoctest = false\n\n[dependencies]\n\
         serde = { version = \"1.0.229\", features = [\"derive\"] }\nserde_json = \"1.0.154\"\n",
    )
    .expect("writable");
    let figure = warm_check(&folder, None, Incremental::On);
    let _ = std::fs::remove_dir_all(&folder);
    Some((figure, sources.len()))
}
