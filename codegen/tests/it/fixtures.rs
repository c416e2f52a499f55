//! Good specs: each folder under `fixtures/good/` is a project whose generated files are
//! snapshotted beside it in `generated.snap` (rewrite with `INSTA_UPDATE=always`).

use std::collections::BTreeMap;

use codegen::model::{Direction, Shape};
use codegen::{GeneratedFiles, SpecSources};

use crate::{fixtures_dir, spec_dir};

fn sources(name: &str) -> SpecSources {
    spec_dir::read_spec_sources(&fixtures_dir().join("good").join(name))
        .expect("fixture is readable")
}

fn generate(sources: &SpecSources) -> GeneratedFiles {
    match codegen::generate(sources) {
        Ok(files) => files,
        Err(error) => panic!("fixture does not generate: {error}\n{error:?}"),
    }
}

/// Every generated file but those that do not depend on the specs (the wire runtime, the fast
/// check's runtime and the spec format's schemas, which are the same for every project).
fn render(files: &GeneratedFiles) -> String {
    let mut out = String::new();
    let fast_check_runtime: Vec<String> = codegen::generated_files::FAST_CHECK_TEMPLATES
        .iter()
        .map(|(path, _)| format!("generated/src/{path}"))
        .collect();
    for (path, contents) in &files.0 {
        if path == "generated/src/wire.rs"
            || path.starts_with("generated/spec-format/")
            || fast_check_runtime.contains(path)
        {
            continue;
        }
        out.push_str(&format!("=== {path} ===\n{contents}\n"));
    }
    out
}

fn check(name: &str) {
    let files = generate(&sources(name));
    insta::with_settings!({
        snapshot_path => fixtures_dir().join("good").join(name),
        prepend_module_to_snapshot => false,
        omit_expression => true,
        description => format!("generated from fixtures/good/{name}"),
    }, {
        insta::assert_snapshot!("generated", render(&files));
    });
}

#[test]
fn kitchen_sink() {
    check("kitchen_sink");
}

/// The same specs give the same bytes whatever the number of threads.
#[test]
fn output_does_not_depend_on_threads() {
    let sources = sources("kitchen_sink");
    let on = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a thread pool")
            .install(|| generate(&sources))
    };
    assert_eq!(on(1), on(7));
}

/// The project's own specs: the spec format's schemas accept every spec file.
#[test]
fn every_spec_file_is_valid_against_the_spec_format() {
    let root = fixtures_dir().join("../../..");
    let sources = spec_dir::read_spec_sources(&root).expect("spec/ is readable");
    let mut checked = 0;
    let mut failures = Vec::new();
    let fixtures = spec_dir::read_spec_sources(&fixtures_dir().join("good/kitchen_sink"))
        .expect("fixture is readable");
    for (path, bytes) in sources.iter().chain(fixtures.iter()) {
        let Some(kind) = codegen::load::SpecFileKind::of(path) else {
            continue;
        };
        let schema = match kind {
            codegen::load::SpecFileKind::Project => {
                codegen::emit_spec_format::schema_of::<codegen::spec::ProjectSpec>("project")
            }
            codegen::load::SpecFileKind::Service => {
                codegen::emit_spec_format::schema_of::<codegen::spec::ServiceSpec>("service")
            }
            codegen::load::SpecFileKind::Endpoint => {
                codegen::emit_spec_format::schema_of::<codegen::spec::EndpointSpec>("endpoint")
            }
        };
        let validator = jsonschema::validator_for(&schema).expect("the format schema compiles");
        let text = std::str::from_utf8(bytes).expect("spec files are UTF-8");
        let value: serde_json::Value = serde_saphyr::from_str(text).expect("spec files are YAML");
        for error in validator.iter_errors(&value) {
            failures.push(format!("{path}: {} at {}", error, error.instance_path()));
        }
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} spec files found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every Rust file generated for every good fixture parses (the impls are written as text, so
/// nothing parses them on the way out), and the impls of the serde direction a type does not
/// travel are only in its service's `other_direction.rs`, which the service's `mod.rs` declares
/// behind `<service>-both-directions`: a default build does not read them.
#[test]
fn generated_rust_parses_and_keeps_the_other_direction_apart() {
    for name in crate::case_folders(&fixtures_dir().join("good")) {
        let sources = sources(&name);
        let files = generate(&sources);
        let model = codegen::load_model(&sources).expect("a good fixture loads");
        // The service's shared shapes travel as their uses say (the copies in the bodies and
        // in other shapes carry the direction of one use), then every other named type.
        let mut travels = BTreeMap::new();
        for service in &model.services {
            for shared in &service.shapes {
                let direction = if shared.in_requests {
                    Direction::Request
                } else {
                    Direction::Response
                };
                travels.insert(
                    shared.name.clone(),
                    (direction, shared.in_requests && shared.in_responses),
                );
            }
            for shared in &service.shapes {
                named_types(&shared.shape, &mut travels);
            }
        }
        for (_, _, _, body) in model.bodies() {
            named_types(&Shape::Object(body.object.clone()), &mut travels);
        }
        let mut impls_seen = 0;
        let mut services = 0;
        for (path, contents) in &files.0 {
            if !path.ends_with(".rs") {
                continue;
            }
            if let Err(error) = syn::parse_file(contents) {
                panic!("{name}: {path} does not parse: {error}");
            }
            assert!(
                !contents.contains("-both-directions\")]\nimpl"),
                "{name}: {path} gates an impl in place"
            );
            // Each serde impl of a named type is where its direction says: the direction it
            // travels (both, for a type used both ways) beside it, the other one in
            // `other_direction.rs`.
            let in_other_direction = path.ends_with("/other_direction.rs");
            for line in contents.lines() {
                let Some((impl_direction, type_name)) = serde_impl_of(line) else {
                    continue;
                };
                let Some(&(direction, both)) = travels.get(type_name) else {
                    panic!(
                        "{name}: {path}: a serde impl for a type the model does not name: {line}"
                    );
                };
                let belongs_beside = both || direction == impl_direction;
                assert_eq!(
                    in_other_direction, !belongs_beside,
                    "{name}: {path} holds `{line}` for a type that travels {direction:?} \
                     (both ways: {both})"
                );
                impls_seen += 1;
            }
            let Some(service) = path
                .strip_prefix("generated/src/")
                .and_then(|rest| rest.strip_suffix("/mod.rs"))
            else {
                continue;
            };
            services += 1;
            assert!(
                contents.contains(&format!(
                    "#[cfg(feature = \"{service}-both-directions\")]\nmod other_direction;"
                )),
                "{name}: {path} does not declare its other-direction module behind its feature"
            );
            let other = &files.0[&format!("generated/src/{service}/other_direction.rs")];
            for beside_only in ["pub struct ", "pub enum ", "impl PartialEq for "] {
                assert!(
                    !other.contains(beside_only),
                    "{name}: {service}'s other_direction.rs holds `{beside_only}`"
                );
            }
        }
        assert!(services > 0, "{name}: no service module");
        assert!(impls_seen > 0, "{name}: no serde impl seen");
    }
}

/// Calls `visit` on `shape` and, where it returns true, on the shapes inside it, depth first.
fn walk<'a>(shape: &'a Shape, visit: &mut dyn FnMut(&'a Shape) -> bool) {
    if !visit(shape) {
        return;
    }
    match shape {
        Shape::Object(object) => {
            for field in &object.fields {
                walk(&field.shape, visit);
            }
        }
        Shape::Union(union) => {
            for variant in &union.variants {
                walk(&variant.shape, visit);
            }
        }
        Shape::Array(items) => walk(&items.shape, visit),
        _ => {}
    }
}

/// The direction and whether it is used both ways of every named type under `shape` not named
/// already.
fn named_types(shape: &Shape, out: &mut BTreeMap<String, (Direction, bool)>) {
    walk(shape, &mut |shape| {
        let named = match shape {
            Shape::Object(object) => Some((
                &object.rust_name,
                object.direction,
                object.derives_both_directions,
            )),
            Shape::Enum(enumeration) => Some((
                &enumeration.rust_name,
                enumeration.direction,
                enumeration.derives_both_directions,
            )),
            Shape::Union(union) => Some((
                &union.rust_name,
                union.direction,
                union.derives_both_directions,
            )),
            _ => None,
        };
        if let Some((name, direction, both)) = named {
            out.entry(name.clone()).or_insert((direction, both));
        }
        true
    });
}

/// The serde direction and type of a generated serde impl's first line: `Serialize` writes (a
/// request's direction), `Deserialize` and `ReadObject` read (a response's).
fn serde_impl_of(line: &str) -> Option<(Direction, &str)> {
    let (direction, rest) = if let Some(rest) = line.strip_prefix("impl serde::Serialize for ") {
        (Direction::Request, rest)
    } else if let Some(rest) = line
        .strip_prefix("impl<'de> serde::Deserialize<'de> for ")
        .or_else(|| line.strip_prefix("impl crate::wire::ReadObject for "))
    {
        (Direction::Response, rest)
    } else {
        return None;
    };
    Some((direction, rest.strip_suffix(" {")?))
}

/// Every enumeration an endpoint's body defines (not those of shared shapes), depth first.
fn enumerations<'a>(shape: &'a Shape, out: &mut Vec<&'a codegen::model::Enumeration>) {
    walk(shape, &mut |shape| {
        if let Shape::Enum(enumeration) = shape
            && !enumeration.shared
        {
            out.push(enumeration);
        }
        shape.shared_name().is_none()
    });
}

/// Enumerations a service's bodies write alike (the same values, variants, value descriptions
/// and direction) are one Rust type, defined once in its `repeated_enums.rs` and named as the
/// first; each use re-exports it under its own name, with its own doc. Any other is its own type.
#[test]
fn enumerations_written_alike_are_one_type() {
    let mut repeated_seen = 0;
    for name in crate::case_folders(&fixtures_dir().join("good")) {
        let sources = sources(&name);
        let files = generate(&sources);
        let model = codegen::load_model(&sources).expect("a good fixture loads");
        for service in &model.services {
            // Each with the module of the endpoint that defines it.
            let mut found = Vec::new();
            for endpoint in &service.endpoints {
                let mut defined = Vec::new();
                for direction in Direction::BOTH {
                    if let Some(body) = endpoint.body(direction)
                        && !body.object.shared
                    {
                        for field in &body.object.fields {
                            enumerations(&field.shape, &mut defined);
                        }
                    }
                }
                found.extend(
                    defined
                        .into_iter()
                        .map(|enumeration| (endpoint.rust_module.as_str(), enumeration)),
                );
            }
            let written = |enumeration: &codegen::model::Enumeration| {
                let values: Vec<_> = enumeration
                    .values
                    .iter()
                    .map(|value| (&value.wire, &value.rust_variant, &value.description))
                    .collect();
                format!(
                    "{values:?} {:?} {}",
                    enumeration.direction, enumeration.derives_both_directions
                )
            };
            let mut expected_types = Vec::new();
            for &(module, enumeration) in &found {
                let (_, first) = found
                    .iter()
                    .find(|(_, other)| written(other) == written(enumeration))
                    .expect("itself at least");
                let alike = found
                    .iter()
                    .filter(|(_, other)| written(other) == written(enumeration))
                    .count();
                let expected = (alike > 1).then(|| first.rust_name.clone());
                assert_eq!(
                    enumeration.same_as, expected,
                    "{name}: {} of {} (written alike {alike} times)",
                    enumeration.rust_name, service.id
                );
                if alike > 1 && first.rust_name == enumeration.rust_name {
                    expected_types.push(enumeration.rust_name.clone());
                }
                let file = &files.0[&format!("generated/src/{}/{module}.rs", service.id)];
                let definition = format!("pub enum {} {{", enumeration.rust_name);
                match &enumeration.same_as {
                    Some(repeated) => {
                        let reexport = if *repeated == enumeration.rust_name {
                            format!("pub use super::repeated_enums::{repeated};")
                        } else {
                            format!(
                                "pub use super::repeated_enums::{repeated} as {};",
                                enumeration.rust_name
                            )
                        };
                        assert!(
                            file.contains(&reexport),
                            "{name}: {module}: no `{reexport}`"
                        );
                        assert!(!file.contains(&definition), "{name}: {module} defines it");
                        repeated_seen += 1;
                    }
                    None => assert!(file.contains(&definition), "{name}: {module}: no enum"),
                }
            }
            let types: Vec<_> = service
                .repeated_enums
                .iter()
                .map(|enumeration| enumeration.rust_name.clone())
                .collect();
            assert_eq!(
                types, expected_types,
                "{name}: {}'s repeated types",
                service.id
            );
            let path = format!("generated/src/{}/repeated_enums.rs", service.id);
            match files.0.get(&path) {
                Some(file) => {
                    for repeated in &types {
                        let definition = format!("pub enum {repeated} {{");
                        assert_eq!(file.matches(&definition).count(), 1, "{name}: {path}");
                    }
                }
                None => assert!(types.is_empty(), "{name}: {path} is missing"),
            }
        }
    }
    assert!(
        repeated_seen >= 2,
        "no fixture writes an enumeration alike twice"
    );
}
