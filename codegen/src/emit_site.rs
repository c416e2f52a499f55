//! Generated files plus an existing published site in, the files of the updated static site out
//! (`cargo xtask publish`: a folder per service version, `latest`, a root catalog and an index
//! page). Pure: the caller reads and writes the disk.
//!
//! Site layout, served as static files at `schema_base_uri` so that every `$id` resolves:
//!
//! ```text
//! index.html                         what is published, for a person
//! catalog.json                       every version of every service; `latest` per service
//! <service>/<version>/<endpoint>.<request|response>.json
//! <service>/<version>/openapi.json
//! <service>/latest/…                 a copy of the highest version's folder
//! ```

use std::cmp::Ordering;
use std::collections::BTreeMap;

use crate::emit_catalog::{CATALOG_FILE_NAME, Catalog, CatalogEntry, CatalogService, render};
use crate::emit_openapi;
use crate::version::SchemaVersion;

/// Name of the folder that copies a service's highest published version.
pub const LATEST_FOLDER: &str = "latest";

/// Name of a service's OpenAPI document inside a published version folder.
pub(crate) const PUBLISHED_OPENAPI_FILE_NAME: &str = "openapi.json";

/// Name of the published site's page for people.
pub const INDEX_FILE_NAME: &str = "index.html";

/// Orders `MAJOR.MINOR.PATCH` versions by their numbers; anything else after them, by text.
pub(crate) fn compare_versions(left: &str, right: &str) -> Ordering {
    match (SchemaVersion::parse(left), SchemaVersion::parse(right)) {
        (Some(left_version), Some(right_version)) => left_version.cmp(&right_version),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => left.cmp(right),
    }
    .then_with(|| left.cmp(right))
}

/// Why a site cannot be published.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PublishError {
    /// The generated files lack the catalog or a file it lists.
    #[error("the generated files have no `{0}`: run `cargo xtask gen`")]
    MissingGeneratedFile(String),
    /// The generated catalog does not parse.
    #[error("`{path}` is not a catalog: {message}")]
    UnreadableCatalog {
        /// Which catalog.
        path: String,
        /// What the reader said.
        message: String,
    },
    /// A published version would change: a published `$id` must keep its bytes.
    #[error(
        "{service} {version} is already published with different contents in `{file}`: a published \
         schema version never changes; raise `schema_version` in spec/{service}/service.yaml, or \
         publish into an empty folder"
    )]
    PublishedVersionWouldChange {
        /// Service id.
        service: String,
        /// The version.
        version: String,
        /// The first file that differs, relative to the site.
        file: String,
    },
    /// The site was published with another base URI.
    #[error(
        "the site was published for schema_base_uri `{published}`, the specs say `{current}`: publish into another folder"
    )]
    BaseUriDiffers {
        /// In the site's catalog.
        published: String,
        /// In `spec/project.yaml`.
        current: String,
    },
}

/// The files of a published site, relative to its folder, and what to remove first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteFiles {
    /// Folders (relative to the site) to empty before writing: every `<service>/latest`.
    pub replaced_folders: Vec<String>,
    /// Path relative to the site → contents.
    pub files: BTreeMap<String, String>,
}

/// The site after publishing the `generated` files (paths relative to the project root, as
/// [`crate::generate`] returns them) into a site that already holds `existing` (paths relative
/// to the site → contents). Versions already in the site are kept; a version being published
/// again must have the same bytes.
pub fn site_files(
    generated: &BTreeMap<String, String>,
    existing: &BTreeMap<String, String>,
) -> Result<SiteFiles, PublishError> {
    let catalog_path = format!(
        "{}/schemas/{CATALOG_FILE_NAME}",
        crate::generated_files::GENERATED_ROOT
    );
    let generated_catalog_text = generated
        .get(&catalog_path)
        .ok_or_else(|| PublishError::MissingGeneratedFile(catalog_path.clone()))?;
    let generated_catalog = parse_catalog(&catalog_path, generated_catalog_text)?;

    let mut site = SiteFiles::default();
    let mut published = match existing.get(CATALOG_FILE_NAME) {
        Some(text) => {
            let catalog = parse_catalog(CATALOG_FILE_NAME, text)?;
            if catalog.schema_base_uri != generated_catalog.schema_base_uri {
                return Err(PublishError::BaseUriDiffers {
                    published: catalog.schema_base_uri,
                    current: generated_catalog.schema_base_uri,
                });
            }
            catalog
        }
        None => Catalog {
            comment: String::new(),
            schema_base_uri: generated_catalog.schema_base_uri.clone(),
            latest: BTreeMap::new(),
            services: Vec::new(),
            schemas: Vec::new(),
        },
    };

    for service in &generated_catalog.services {
        let folder = format!("{}/{}", service.id, service.schema_version);
        let mut version_files = BTreeMap::new();
        for entry in generated_catalog
            .schemas
            .iter()
            .filter(|entry| entry.service == service.id)
        {
            let source = format!(
                "{}/schemas/{}",
                crate::generated_files::GENERATED_ROOT,
                entry.file
            );
            let text = generated
                .get(&source)
                .ok_or_else(|| PublishError::MissingGeneratedFile(source.clone()))?;
            version_files.insert(
                format!("{folder}/{}.{}.json", entry.endpoint, entry.direction),
                text.clone(),
            );
        }
        let openapi_source = format!(
            "{}/{}/{}.openapi.json",
            crate::generated_files::GENERATED_ROOT,
            emit_openapi::OPENAPI_FOLDER,
            service.id
        );
        let openapi = generated
            .get(&openapi_source)
            .ok_or_else(|| PublishError::MissingGeneratedFile(openapi_source.clone()))?;
        version_files.insert(
            format!("{folder}/{PUBLISHED_OPENAPI_FILE_NAME}"),
            openapi.clone(),
        );

        let already_published = published
            .services
            .iter()
            .any(|known| known.id == service.id && known.schema_version == service.schema_version);
        if already_published {
            let previous: BTreeMap<&String, &String> = existing
                .iter()
                .filter(|(path, _)| path.starts_with(&format!("{folder}/")))
                .collect();
            let same = previous.len() == version_files.len()
                && version_files
                    .iter()
                    .all(|(path, text)| previous.get(path).is_some_and(|old| *old == text));
            if !same {
                let file = version_files
                    .iter()
                    .find(|(path, text)| previous.get(path).is_none_or(|old| *old != *text))
                    .map(|(path, _)| path.clone())
                    .or_else(|| {
                        previous
                            .keys()
                            .find(|path| !version_files.contains_key(**path))
                            .map(|path| (*path).clone())
                    })
                    .unwrap_or_else(|| folder.clone());
                return Err(PublishError::PublishedVersionWouldChange {
                    service: service.id.clone(),
                    version: service.schema_version.clone(),
                    file,
                });
            }
        }

        published.services.retain(|known| {
            !(known.id == service.id && known.schema_version == service.schema_version)
        });
        published.services.push(CatalogService {
            openapi: format!("{folder}/{PUBLISHED_OPENAPI_FILE_NAME}"),
            ..service.clone()
        });
        published.schemas.retain(|entry| {
            !(entry.service == service.id && entry.schema_version == service.schema_version)
        });
        for entry in generated_catalog
            .schemas
            .iter()
            .filter(|entry| entry.service == service.id)
        {
            published.schemas.push(CatalogEntry {
                file: format!("{folder}/{}.{}.json", entry.endpoint, entry.direction),
                ..entry.clone()
            });
        }
        site.files.extend(version_files);
    }

    published.services.sort_by(|left, right| {
        left.id
            .cmp(&right.id)
            .then_with(|| compare_versions(&left.schema_version, &right.schema_version))
    });
    published.schemas.sort_by(|left, right| {
        left.service
            .cmp(&right.service)
            .then_with(|| compare_versions(&left.schema_version, &right.schema_version))
            .then_with(|| left.endpoint.cmp(&right.endpoint))
            .then_with(|| left.direction.cmp(&right.direction))
    });
    published.latest.clear();
    for service in &published.services {
        let newer = published.latest.get(&service.id).is_none_or(|known| {
            compare_versions(&service.schema_version, known) == Ordering::Greater
        });
        if newer {
            published
                .latest
                .insert(service.id.clone(), service.schema_version.clone());
        }
    }
    published.comment = format!(
        "@generated by `cargo xtask publish`; do not edit by hand. Every published JSON Schema \
         of every version; `latest` names each service's highest version, also copied to \
         `<service>/{LATEST_FOLDER}/`; `file` is relative to this catalog"
    );

    for (service, version) in &published.latest {
        let latest_folder = format!("{service}/{LATEST_FOLDER}");
        site.replaced_folders.push(latest_folder.clone());
        let version_prefix = format!("{service}/{version}/");
        let sources: Vec<(String, String)> = site
            .files
            .iter()
            .chain(existing.iter())
            .filter_map(|(path, text)| {
                path.strip_prefix(&version_prefix)
                    .map(|name| (name.to_owned(), text.clone()))
            })
            .collect();
        for (name, text) in sources {
            site.files
                .entry(format!("{latest_folder}/{name}"))
                .or_insert(text);
        }
    }

    site.files
        .insert(INDEX_FILE_NAME.to_owned(), index_html(&published));
    site.files
        .insert(CATALOG_FILE_NAME.to_owned(), render(&published));
    Ok(site)
}

fn parse_catalog(path: &str, text: &str) -> Result<Catalog, PublishError> {
    serde_json::from_str(text).map_err(|error| PublishError::UnreadableCatalog {
        path: path.to_owned(),
        message: error.to_string(),
    })
}

/// Escapes text for HTML content and attribute values.
pub(crate) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// The site's page for people: each service, its versions, and each endpoint's schemas.
pub(crate) fn index_html(catalog: &Catalog) -> String {
    index_html_with_pages(catalog, &|_, _, _| None)
}

/// [`index_html`], each endpoint linking its page where `page` (service, version, endpoint →
/// path in the site) has one (see `emit_pages`).
pub(crate) fn index_html_with_pages(
    catalog: &Catalog,
    page: &dyn Fn(&str, &str, &str) -> Option<String>,
) -> String {
    let mut out = String::new();
    out.push_str(
        "<!DOCTYPE html>\n<!-- @generated by `cargo xtask publish`; do not edit by hand -->\n",
    );
    out.push_str("<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<title>Published API contracts</title>\n");
    out.push_str(
        "<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}\
         table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;\
         text-align:start;vertical-align:top}code{font-size:.95em}</style>\n",
    );
    out.push_str("</head>\n<body>\n<h1>Published API contracts</h1>\n");
    out.push_str(&format!(
        "<p>JSON Schemas (draft 2020-12) of every request and response body, and an OpenAPI 3.1 \
         document per service. Serve this folder at <code>{}</code>: every schema's \
         <code>$id</code> is its address. Machine-readable list: \
         <a href=\"{CATALOG_FILE_NAME}\"><code>{CATALOG_FILE_NAME}</code></a> (and, for editors, \
         <a href=\"schema-catalog.json\"><code>schema-catalog.json</code></a>; the JSON reports' \
         schema: <a href=\"report.schema.json\"><code>report.schema.json</code></a>).</p>\n",
        escape_html(&catalog.schema_base_uri)
    ));
    let mut service_ids: Vec<&String> = catalog.latest.keys().collect();
    service_ids.sort();
    for service_id in service_ids {
        let latest = &catalog.latest[service_id];
        let versions: Vec<&CatalogService> = catalog
            .services
            .iter()
            .filter(|service| &service.id == service_id)
            .rev()
            .collect();
        let title = versions
            .first()
            .map(|service| service.title.as_str())
            .unwrap_or_default();
        out.push_str(&format!(
            "<h2 id=\"{id}\">{title} <small>(<code>{id}</code>)</small></h2>\n",
            id = escape_html(service_id),
            title = escape_html(title)
        ));
        out.push_str(&format!(
            "<p>Latest: {version}, also at <code>{id}/{LATEST_FOLDER}/</code> (<a \
             href=\"{id}/{LATEST_FOLDER}/{PUBLISHED_OPENAPI_FILE_NAME}\">OpenAPI</a>).</p>\n",
            id = escape_html(service_id),
            version = escape_html(latest)
        ));
        for service in versions {
            let marker = if &service.schema_version == latest {
                " (latest)"
            } else {
                ""
            };
            out.push_str(&format!(
                "<h3>{version}{marker}</h3>\n<p><a href=\"{openapi}\">OpenAPI 3.1 document</a></p>\n",
                version = escape_html(&service.schema_version),
                openapi = escape_html(&service.openapi)
            ));
            out.push_str(&format!(
                "<table lang=\"{}\">\n<tr><th>endpoint</th><th>method and path</th><th>title</th><th>request</th><th>response</th></tr>\n",
                escape_html(&service.language)
            ));
            let entries: Vec<&CatalogEntry> = catalog
                .schemas
                .iter()
                .filter(|entry| {
                    entry.service == service.id && entry.schema_version == service.schema_version
                })
                .collect();
            let mut endpoints: Vec<&str> = entries
                .iter()
                .map(|entry| entry.endpoint.as_str())
                .collect();
            endpoints.dedup();
            for endpoint in endpoints {
                let of = |direction: &str| {
                    entries
                        .iter()
                        .find(|entry| entry.endpoint == endpoint && entry.direction == direction)
                };
                let link = |direction: &str| match of(direction) {
                    Some(entry) => {
                        format!("<a href=\"{}\">{direction}</a>", escape_html(&entry.file))
                    }
                    None => "none".to_owned(),
                };
                let Some(any) = of("response").or_else(|| of("request")) else {
                    continue;
                };
                let name = match page(&service.id, &service.schema_version, endpoint) {
                    Some(path) => format!(
                        "<a href=\"{}\"><code>{}</code></a>",
                        escape_html(&path),
                        escape_html(endpoint)
                    ),
                    None => format!("<code>{}</code>", escape_html(endpoint)),
                };
                out.push_str(&format!(
                    "<tr><td>{}</td><td><code>{} {}</code></td><td dir=\"auto\">{}</td><td>{}</td><td>{}</td></tr>\n",
                    name,
                    escape_html(&any.method),
                    escape_html(&any.path),
                    escape_html(&any.endpoint_title),
                    link("request"),
                    link("response"),
                ));
            }
            out.push_str("</table>\n");
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}
