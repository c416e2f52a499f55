//! Bad specs: each case folder under `fixtures/bad/` holds the files it lays over
//! `fixtures/bad/_base/` and, in `expected.snap`, every problem the generator must report.

use codegen::GenerateError;

use crate::{fixtures_dir, spec_dir};

/// Generates the base with the case's files laid over it and compares the problems found with
/// the case's `expected.snap` (rewrite with `INSTA_UPDATE=always`).
fn check(case: &str) {
    let bad = fixtures_dir().join("bad");
    let case_dir = bad.join(case);
    let mut sources = spec_dir::read_spec_sources(&bad.join("_base")).expect("base is readable");
    let overlay = spec_dir::read_spec_sources(&case_dir).expect("case is readable");
    for (path, bytes) in overlay.iter() {
        sources.insert(path, bytes);
    }
    let rendered = match codegen::generate(&sources) {
        Err(GenerateError::Spec(errors)) => errors.render(),
        Err(GenerateError::Bug(bug)) => panic!("case `{case}` hit a generator bug: {bug}"),
        Ok(_) => panic!("case `{case}` generated without a problem"),
    };
    insta::with_settings!({
        snapshot_path => case_dir,
        prepend_module_to_snapshot => false,
        omit_expression => true,
        description => format!("problems reported for fixtures/bad/{case}"),
    }, {
        insta::assert_snapshot!("expected", rendered);
    });
}

crate::fixture_cases! {
    fixtures_dir().join("bad");
    alias_bomb,
    bad_known_discrepancies,
    byte_order_mark,
    bad_request_headers,
    bad_pattern,
    colliding_rust_names,
    constraint_on_wrong_type,
    default_outside_limits,
    duplicate_endpoint_id,
    duplicate_key,
    reserved_module_name,
    keyword_module_name,
    empty_file,
    enum_rust_name_collision,
    example_file_missing,
    example_not_json,
    many_problems,
    min_greater_than_max,
    missing_key_location,
    missing_modeline,
    non_ascii_wire_name,
    service_mismatch,
    shape_cycle,
    spec_in_subfolder,
    type_key_misuse,
    unknown_field_type,
    unknown_key,
    unknown_key_suggestion,
    unknown_shape,
    untransliterable_enum_value,
    uppercase_extension,
    wrong_value_type,
    yaml_syntax_error,
}

/// The base the cases start from is itself a valid project, so each case's problems are its own.
#[test]
fn base_is_valid() {
    let sources =
        spec_dir::read_spec_sources(&fixtures_dir().join("bad/_base")).expect("base is readable");
    if let Err(error) = codegen::generate(&sources) {
        panic!("the base of the bad-spec cases has problems: {error}\n{error:?}");
    }
}
