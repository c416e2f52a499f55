//! `spec/README.md`'s complete example of shared shapes, limits, defaults and enum values, taken
//! from the README itself and generated: the documentation shows a spec that loads.

use codegen::SpecSources;

use crate::{fixtures_dir, spec_dir};

/// The fenced YAML block of `readme` that contains `marker`, up to `until` when given.
fn yaml_block<'a>(readme: &'a str, marker: &str, until: Option<&str>) -> &'a str {
    let at = readme
        .find(marker)
        .unwrap_or_else(|| panic!("the README shows `{marker}`"));
    let start = readme[..at]
        .rfind("```yaml\n")
        .expect("inside a yaml block")
        + "```yaml\n".len();
    let end = at + readme[at..].find("```").expect("the block ends");
    let block = &readme[start..end];
    match until.and_then(|until| block.find(until)) {
        Some(cut) => &block[..cut],
        None => block,
    }
}

#[test]
fn the_readme_example_generates() {
    let readme = std::fs::read_to_string(fixtures_dir().join("../../../spec/README.md"))
        .expect("spec/README.md is readable");
    let base: SpecSources = spec_dir::read_spec_sources(&fixtures_dir().join("bad/_base"))
        .expect("the base project is readable");
    let mut sources = SpecSources::new();
    for (path, bytes) in base.iter() {
        if path != "spec/shop/orders.create.yaml" {
            sources.insert(path, bytes);
        }
    }
    let service = String::from_utf8(
        base.get("spec/shop/service.yaml")
            .expect("the base has a service")
            .to_vec(),
    )
    .expect("utf-8");
    let shapes = yaml_block(
        &readme,
        "shapes:\n  Customer:",
        Some("# in an endpoint's fields"),
    );
    let shapes = &shapes[shapes.find("shapes:").expect("the shapes key")..];
    sources.insert("spec/shop/service.yaml", format!("{service}{shapes}"));
    let endpoint = yaml_block(&readme, "id: customer.list", None).replace(
        "$schema=../../generated",
        "$schema=../../../../../../../generated",
    );
    sources.insert("spec/shop/customer.list.yaml", endpoint);
    sources.insert("spec/shop/pages/customer_list.txt", "Danh sách khách hàng");
    let files = match codegen::generate(&sources) {
        Ok(files) => files,
        Err(error) => panic!("the README's example does not generate: {error}\n{error:?}"),
    };
    let rust = &files.0["generated/src/shop/customer_list.rs"];
    assert!(rust.contains("\"nữ\" => Self::Nu,"), "{rust}");
    assert!(rust.contains("Self::Nu => \"nữ\","), "{rust}");
    assert!(rust.contains("super::shared_shapes::Customer"), "{rust}");
    let schema = &files.0["generated/schemas/shop/customer.list.request.json"];
    assert!(
        schema.contains("\"maximum\": 233476065495939904005866822871905093425"),
        "{schema}"
    );
    let response = &files.0["generated/schemas/shop/customer.list.response.json"];
    assert!(
        response.contains("\"$ref\": \"#/$defs/Customer\""),
        "{response}"
    );
}
