//! A spec in, the fast check's table of its request out: what the table leaves to the full
//! check (`declined`) where the runtime's one pass cannot give the schema's verdict.

use codegen::SpecSources;
use serde_json::Value;

/// A project with one endpoint whose request has the given `fields:` block (YAML, indented by
/// four spaces).
fn project(fields: &str) -> SpecSources {
    let mut sources = SpecSources::new();
    sources.insert(
        "spec/project.yaml",
        "# yaml-language-server: $schema=../generated/spec-format/project.schema.json\n\
         schema_base_uri: https://tables.example/schemas/\n",
    );
    sources.insert(
        "spec/shop/service.yaml",
        "# yaml-language-server: $schema=../../generated/spec-format/service.schema.json\n\
         id: shop\ntitle: Shop\nlanguage: en\nschema_version: 1.0.0\n\
         base_url: https://tables.example\nauth:\n  scheme: bearer\n  env: SHOP_TOKEN\n",
    );
    sources.insert("spec/shop/pages/page.txt", "A page.");
    sources.insert(
        "spec/shop/orders.create.yaml",
        format!(
            "# yaml-language-server: $schema=../../generated/spec-format/endpoint.schema.json\n\
             id: orders.create\ntitle: Create order\nsource:\n  page: pages/page.txt\n\
             method: POST\npath: /orders\nrequest:\n  undocumented_fields: allow\n  fields:\n\
             {fields}response:\n  status: 201\n  undocumented_fields: allow\n  fields:\n    id:\n      type: string\n      required: true\n"
        ),
    );
    sources
}

/// The kind the request's table gives each field, by wire name.
fn field_kinds(fields: &str) -> Vec<(String, Value)> {
    let model = codegen::load_model(&project(fields)).expect("the spec loads");
    let endpoint = &model.services[0].endpoints[0];
    let request = endpoint.request.as_ref().expect("a request");
    let table: Value = serde_json::from_str(&codegen::emit_fast_check::body_table(&request.object))
        .expect("a table is JSON");
    table["root"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|field| {
            (
                field["name"].as_str().expect("a name").to_owned(),
                field["value"]["kind"].clone(),
            )
        })
        .collect()
}

/// Inside `anyOf` an unlisted member of a `forbid` object fails its variant instead of adding a
/// finding, which the runtime cannot say: such a union is the full check's. A union of objects
/// that keep unlisted members stays in the table.
#[test]
fn a_union_holding_an_object_that_refuses_unlisted_members_is_declined() {
    let kinds = field_kinds(
        "    strict:\n      type: union\n      variants:\n\
         \x20       - type: object\n          undocumented_fields: forbid\n          fields:\n\
         \x20           sku:\n              type: string\n        - type: string\n\
         \x20   nested:\n      type: array\n      items:\n        type: union\n        variants:\n\
         \x20         - type: object\n            undocumented_fields: allow\n            fields:\n\
         \x20             inner:\n                type: object\n                undocumented_fields: forbid\n\
         \x20               fields:\n                  code:\n                    type: integer\n\
         \x20         - type: boolean\n\
         \x20   loose:\n      type: union\n      variants:\n\
         \x20       - type: object\n          undocumented_fields: allow\n          fields:\n\
         \x20           sku:\n              type: string\n        - type: string\n",
    );
    let kind = |name: &str| {
        kinds
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, kind)| kind.clone())
            .unwrap_or_else(|| panic!("no field {name} in {kinds:?}"))
    };
    assert_eq!(kind("strict"), "declined");
    assert_eq!(kind("nested")["array"]["kind"], "declined");
    assert!(kind("loose")["union"].is_array(), "{:?}", kind("loose"));
}
