//! The publish site's pages for people and its SchemaStore catalog, from the project's specs and
//! the kitchen sink: a page per endpoint naming every field at every depth with its required
//! mark, the notes in the service's language (`lang`, and `dir="rtl"` for Hebrew), every known
//! contradiction; the index linking each page; `schema-catalog.json` in SchemaStore's shape.
//! (That the pages render without console errors in a real browser is `.ci/check-site-in-browser`.)

use std::collections::BTreeMap;

use codegen::emit_catalog;
use codegen::emit_pages::{self, SCHEMA_STORE_CATALOG_FILE_NAME, is_right_to_left, page_path};
use codegen::model::{Direction, Object, Shape};

use crate::{fixtures_dir, spec_dir};

fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn field_names(object: &Object, out: &mut Vec<(String, bool, Option<String>)>) {
    for field in &object.fields {
        out.push((
            field.wire_name.clone(),
            field.required,
            field.description.clone(),
        ));
        let mut shape = &field.shape;
        while let Shape::Array(items) = shape {
            shape = &items.shape;
        }
        if let Shape::Object(nested) = shape {
            field_names(nested, out);
        }
    }
}

#[test]
fn every_endpoint_has_a_page_with_its_fields_notes_and_contradictions() {
    for root in [
        fixtures_dir().join("../../.."),
        fixtures_dir().join("good/kitchen_sink"),
    ] {
        let sources = spec_dir::read_spec_sources(&root).expect("specs are readable");
        let model = codegen::load_model(&sources).expect("the specs load");
        let generated = codegen::generate(&sources).expect("the specs generate");
        let site = emit_catalog::site_files(&generated.0, &BTreeMap::new()).expect("publishes");
        let site = emit_pages::add_pages(site, &model, &BTreeMap::new());
        let index = &site.files[emit_catalog::INDEX_FILE_NAME];
        let mut fields_seen = 0;
        for service in &model.services {
            let language = format!(
                "lang=\"{}\" dir=\"{}\"",
                service.language,
                if is_right_to_left(&service.language) {
                    "rtl"
                } else {
                    "ltr"
                }
            );
            for endpoint in &service.endpoints {
                let path = page_path(&service.id, &service.schema_version, &endpoint.id);
                let page = site
                    .files
                    .get(&path)
                    .unwrap_or_else(|| panic!("{path} is published"));
                assert!(
                    index.contains(&format!("href=\"{path}\"")),
                    "the index links {path}"
                );
                assert!(page.contains(&format!("<span {language}>{}", html(&endpoint.title))));
                for direction in Direction::BOTH {
                    let Some(body) = endpoint.body(direction) else {
                        continue;
                    };
                    let heading = if direction == Direction::Request {
                        "<h2>Request body"
                    } else {
                        "<h2>Response body"
                    };
                    let start = page.find(heading).expect("the body has a section");
                    let section = &page[start..];
                    let section = &section[..section[4..]
                        .find("<h2>")
                        .map_or(section.len(), |end| end + 4)];
                    let mut fields = Vec::new();
                    field_names(&body.object, &mut fields);
                    // Rows come in the order of the walk: each is looked for after the last.
                    let mut from = 0;
                    for (name, required, description) in fields {
                        let row = format!("<code>{}</code></td>", html(&name));
                        let at = from
                            + section[from..]
                                .find(&row)
                                .unwrap_or_else(|| panic!("{path} lists the field {name}"));
                        from = at + row.len();
                        let rest = &section[at..section[at..]
                            .find("</tr>")
                            .map_or(section.len(), |end| at + end)];
                        assert_eq!(
                            rest.contains("class=\"required\""),
                            required,
                            "{path}: {name}'s required mark"
                        );
                        if let Some(description) = description {
                            assert!(
                                page.contains(&format!(
                                    "<span {language}>{}</span>",
                                    html(&description)
                                )),
                                "{path}: {name}'s note in {}",
                                service.language
                            );
                        }
                        fields_seen += 1;
                    }
                }
                for example in &endpoint.examples {
                    for direction in Direction::BOTH {
                        for known in example.payload(direction).map_or(&[][..], |p| &p.known) {
                            assert!(
                                page.contains(&html(&known.reason)),
                                "{path}: {}",
                                known.reason
                            );
                        }
                    }
                }
            }
        }
        assert!(
            fields_seen > 10,
            "only {fields_seen} fields seen under {}",
            root.display()
        );
    }
}

#[test]
fn the_hebrew_pages_run_right_to_left() {
    let root = fixtures_dir().join("../../..");
    let sources = spec_dir::read_spec_sources(&root).expect("spec/ is readable");
    let model = codegen::load_model(&sources).expect("the specs load");
    let crm = model
        .services
        .iter()
        .find(|service| service.language == "he")
        .expect("a Hebrew service");
    let page = emit_pages::endpoint_page(crm, &crm.endpoints[0]);
    assert!(page.contains("lang=\"he\" dir=\"rtl\""));
    for (language, right_to_left) in [
        ("he", true),
        ("he-IL", true),
        ("ar", true),
        ("vi", false),
        ("en", false),
    ] {
        assert_eq!(is_right_to_left(language), right_to_left, "{language}");
    }
}

#[test]
fn schema_store_catalog_lists_every_latest_schema() {
    let root = fixtures_dir().join("../../..");
    let sources = spec_dir::read_spec_sources(&root).expect("spec/ is readable");
    let model = codegen::load_model(&sources).expect("the specs load");
    let generated = codegen::generate(&sources).expect("the specs generate");
    let site = emit_catalog::site_files(&generated.0, &BTreeMap::new()).expect("publishes");
    let catalog: emit_catalog::Catalog =
        serde_json::from_str(&site.files[emit_catalog::CATALOG_FILE_NAME]).expect("reads");
    let site = emit_pages::add_pages(site, &model, &BTreeMap::new());
    let store: serde_json::Value =
        serde_json::from_str(&site.files[SCHEMA_STORE_CATALOG_FILE_NAME]).expect("JSON");
    assert_eq!(
        store["$schema"],
        "https://json.schemastore.org/schema-catalog.json"
    );
    assert_eq!(store["version"], 1);
    let schemas = store["schemas"].as_array().expect("schemas");
    let latest: Vec<_> = catalog.latest_entries().collect();
    assert_eq!(
        schemas.len(),
        latest.len() + 1,
        "every latest schema and the report schema"
    );
    for entry in latest {
        let listed = schemas
            .iter()
            .find(|schema| schema["url"] == entry.id.as_str())
            .unwrap_or_else(|| panic!("{} is listed", entry.id));
        assert!(listed["name"].is_string() && listed["description"].is_string());
        assert!(
            listed["fileMatch"][0]
                .as_str()
                .is_some_and(|glob| glob.ends_with(".json"))
        );
    }
    for schema in schemas {
        let members: Vec<&String> = schema.as_object().expect("an object").keys().collect();
        for member in &members {
            assert!(
                ["name", "description", "fileMatch", "url", "versions"].contains(&member.as_str()),
                "SchemaStore has no member {member}"
            );
        }
    }
}
