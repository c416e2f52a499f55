//! The project's own specs against the pages they are written from: every example file is a
//! byte-for-byte excerpt of its saved page, and every saved page is one the specs name.

use std::collections::BTreeSet;

use crate::{fixtures_dir, spec_dir};

#[test]
fn every_example_is_copied_byte_for_byte_from_its_page() {
    let root = fixtures_dir().join("../../..");
    let sources = spec_dir::read_spec_sources(&root).expect("spec/ is readable");
    let model = codegen::load_model(&sources).expect("the specs load");
    let problems = codegen::provenance::examples_not_copied_from_their_pages(&model, &sources);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The check finds an edited example: the kitchen sink, its page holding its two examples, and
/// then its request example with one byte added.
#[test]
fn an_edited_example_is_found() {
    let root = fixtures_dir().join("good/kitchen_sink");
    let mut sources = spec_dir::read_spec_sources(&root).expect("the fixture is readable");
    let mut page = b"# Orders\n\n".to_vec();
    for example in ["request", "response"] {
        let file = format!("spec/shop/examples/orders.create.{example}.json");
        page.extend_from_slice(sources.get(&file).expect("the example exists"));
        page.extend_from_slice(b"\n\n");
    }
    sources.insert("spec/shop/pages/orders.txt", page);
    let model = codegen::load_model(&sources).expect("the fixture loads");
    assert_eq!(
        codegen::provenance::examples_not_copied_from_their_pages(&model, &sources),
        Vec::<String>::new()
    );
    let file = "spec/shop/examples/orders.create.request.json";
    let mut edited = sources.get(file).expect("the example exists").to_vec();
    edited.insert(1, b' ');
    sources.insert(file, edited);
    assert_eq!(
        codegen::provenance::examples_not_copied_from_their_pages(&model, &sources),
        vec![format!(
            "{file} is not a byte-for-byte excerpt of spec/shop/pages/orders.txt"
        )]
    );
}

#[test]
fn every_saved_page_is_the_source_of_a_spec() {
    let root = fixtures_dir().join("../../..");
    let sources = spec_dir::read_spec_sources(&root).expect("spec/ is readable");
    let model = codegen::load_model(&sources).expect("the specs load");
    let named: BTreeSet<&str> = model
        .services
        .iter()
        .flat_map(|service| service.endpoints.iter())
        .map(|endpoint| endpoint.source.page.as_str())
        .collect();
    let saved: BTreeSet<&str> = sources
        .iter()
        .map(|(path, _)| path)
        .filter(|path| path.contains("/pages/"))
        .collect();
    assert_eq!(saved, named);
}
