//! The project's own specs against the pages they are written from: every example file is a
//! byte-for-byte excerpt of its saved page, and every saved page is one the specs name.

use std::collections::BTreeSet;

use crate::{fixtures_dir, spec_dir};

#[test]
fn every_example_is_copied_byte_for_byte_from_its_page() {
    let root = fixtures_dir().join("../../..");
    let sources = spec_dir::read_spec_sources(&root).expect("spec/ is readable");
    let model = codegen::load_model(&sources).expect("the specs load");
    let mut checked = 0;
    for service in &model.services {
        for endpoint in &service.endpoints {
            let page = sources
                .get(&endpoint.source.page)
                .expect("lowering checked the page exists");
            for example in &endpoint.examples {
                for payload in [&example.request, &example.response].into_iter().flatten() {
                    let bytes = sources
                        .get(&payload.file)
                        .expect("lowering checked the file");
                    assert!(
                        page.windows(bytes.len()).any(|window| window == bytes),
                        "{} is not a byte-for-byte excerpt of {}",
                        payload.file,
                        endpoint.source.page
                    );
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(
        checked, 10,
        "the five endpoints have a request and a response example each"
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
