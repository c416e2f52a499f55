//! The importer, continued: the two draft variants differ only by the newer keys, no page makes
//! it panic, and a credential in a page's curl never reaches the draft.

use super::*;

/// The switch off: the newer keys written as `# draft:` lines, for an older loader.
const WITHOUT_NEWER_KEYS: DraftFeatures = DraftFeatures {
    spec_format_additions: false,
};

/// The draft with the newer keys is the draft without them plus exactly those keys: `effect`,
/// `request.media_type`, `request.headers` and `default` (read as plain YAML, compared as JSON).
#[test]
fn the_newer_keys_are_the_only_difference_between_the_two_drafts() {
    fn strip(value: &mut serde_json::Value, top: bool) {
        if let serde_json::Value::Object(map) = value {
            map.remove("default");
            // Enum values written as `{value, rust_name}` entries are a string field without
            // the newer keys.
            let entries = map
                .get("values")
                .and_then(serde_json::Value::as_array)
                .is_some_and(|values| values.iter().any(serde_json::Value::is_object));
            if entries {
                map.remove("values");
                map.insert("type".to_owned(), "string".into());
            }
            if top {
                map.remove("effect");
                if let Some(serde_json::Value::Object(request)) = map.get_mut("request") {
                    request.remove("media_type");
                    request.remove("headers");
                }
            }
            // Example headers and an example that is not JSON are named only with the newer keys.
            if map.contains_key("file") {
                map.remove("headers");
            }
            for direction in ["request", "response"] {
                let text_file = map
                    .get(direction)
                    .and_then(|payload| payload.get("file"))
                    .and_then(serde_json::Value::as_str)
                    .is_some_and(|file| file.ends_with(".txt"));
                if text_file {
                    map.remove(direction);
                }
            }
            for child in map.values_mut() {
                strip(child, false);
            }
        } else if let serde_json::Value::Array(items) = value {
            for item in items {
                strip(item, false);
            }
        }
    }
    let mut pages: Vec<String> = crate::case_folders(&import_dir().join("pages"))
        .into_iter()
        .map(|name| case_page(&name).1)
        .collect();
    let sources = spec_dir::read_spec_sources(&project_root()).expect("spec/ is readable");
    for (service, _, spec_path) in seed_specs() {
        let text =
            String::from_utf8(sources.get(&spec_path).expect("listed").to_vec()).expect("utf-8");
        let spec = parse_spec(&spec_path, &text);
        let page = sources
            .get(&format!("spec/{service}/{}", spec.source.page.value))
            .expect("page");
        pages.push(String::from_utf8(page.to_vec()).expect("utf-8"));
    }
    let mut with_new_keys = 0;
    for page in &pages {
        let read = |features| -> serde_json::Value {
            let draft = import_page(page, "demo.endpoint", "pages/page.txt", features).draft;
            serde_saphyr::from_str(&draft).unwrap_or_else(|error| panic!("{error}\n{draft}"))
        };
        let mut full = read(DraftFeatures::default());
        let loadable = read(WITHOUT_NEWER_KEYS);
        if full != loadable {
            with_new_keys += 1;
        }
        strip(&mut full, true);
        assert_eq!(full, loadable);
    }
    assert!(with_new_keys > 0, "some page gives the newer keys");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// Nothing panics on input: any text, made of the pieces pages are made of, imports or is
    /// refused with an error.
    #[test]
    fn any_page_imports_or_is_refused_without_panicking(
        pieces in proptest::collection::vec(proptest::sample::select(PAGE_PIECES), 0..80),
        format in proptest::sample::select(&[None, Some(import::PageFormat::Markdown), Some(import::PageFormat::Html), Some(import::PageFormat::Rendered)][..]),
    ) {
        let page: String = pieces.concat();
        let options = ImportOptions {
            endpoint_id: "demo.endpoint".to_owned(),
            page_path: "pages/page.txt".to_owned(),
            url: None,
            format,
            features: DraftFeatures::default(),
        };
        let _ = import::import(&page, &options);
        let _ = import::read_page(&page, format);
    }
}

/// What pages are made of, for the no-panic property.
const PAGE_PIECES: &[&str] = &[
    "\n",
    " ",
    "|",
    "| --- |",
    "`",
    "```",
    "```json title=\"Response 200\"\n",
    "<table>",
    "</table>",
    "<tr>",
    "<td>",
    "</td>",
    "<th>",
    "<br>",
    "<a href=\"x\">",
    "</a>",
    "&#123;",
    "&amp",
    "&",
    "<!--",
    "-->",
    "<",
    ">",
    "\"",
    "'",
    "{",
    "}",
    "[",
    "]",
    ":",
    "Method: POST",
    "POST https://h/v1/x",
    "GET /a",
    "curl ",
    "--data-raw '",
    "-H 'A: b'",
    "\\\n",
    "Required",
    "Key",
    "Type",
    "Note",
    "Tham số",
    "Bắt buộc",
    "Kiểu dữ liệu",
    "Mô tả",
    "שם",
    "חובה",
    "סוג",
    "תיאור",
    "✓",
    "có",
    "string",
    "int",
    "list",
    "List Object",
    "Object",
    "a/b",
    "Mặc định =1",
    "default: 2",
    "One of: a, b",
    "name",
    "email",
    "İ",
    "ẞ",
    "\u{0130}(required)",
    "Status Code: 201",
    "200 OK",
    "# Title",
    "## Section",
    "é",
    "\"x\": 1",
    "2024-01-01T00:00:00+é:00",
];

/// A credential a page's curl carries never reaches the draft or the summary: headers that
/// carry one are named, never given a value.
#[test]
fn credentials_in_a_curl_never_reach_the_draft() {
    let page = "# Create a thing\n\n```bash\ncurl -X POST https://api.example.com/v1/things \\\n  -H 'Authorization: Bearer sk_live_0123456789' \\\n  -H 'X-Api-Key: key-abcdef-42' \\\n  -H 'Cookie: session=cookie-value-7' \\\n  -u admin:hunter2 \\\n  -H 'X-Request-Source: docs' \\\n  -d '{\"name\": \"a\"}'\n```\n";
    for features in [DraftFeatures::default(), LOADABLE] {
        let output = import_page(page, "things.create", "pages/page.md", features);
        let everything = format!("{}\n{}", output.draft, output.summary.join("\n"));
        for secret in [
            "sk_live_0123456789",
            "key-abcdef-42",
            "cookie-value-7",
            "hunter2",
            "admin",
        ] {
            assert!(
                !everything.contains(secret),
                "{secret} reached the draft:\n{everything}"
            );
        }
        assert!(
            everything.contains("X-Request-Source"),
            "other headers are kept:\n{everything}"
        );
    }
}
