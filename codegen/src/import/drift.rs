//! A loaded endpoint spec, the reading of its saved page and the spec's example files in, the
//! drift out: what the page states and the spec does not (fields added or removed, a type, a
//! required mark, enum values, method and path, an example's bytes). Decisions a person made
//! in the spec are not drift: `rust_name`, `documented_in: example` fields, `known` entries,
//! comments, and a type the person refined within what the page's word allows (`list` →
//! `array` of strings, `string` → `date` or an `enum`, `number` → `integer`).

use crate::spec::{DocumentedIn, EndpointSpec, Entries, FieldSpec, FieldType};

use super::{DraftBody, DraftField, DraftType, EndpointReading, ExampleReading};

/// One way a spec and its page disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    /// Where: `request /phone`, `response /data`, `examples page request`, `method`.
    pub location: String,
    /// What the page says that the spec does not.
    pub message: String,
}

/// Every drift between `spec` and the page's `reading`. `example_bytes` gives the bytes of an
/// example file named in the spec (its path as written, relative to the spec file).
pub fn compare(
    spec: &EndpointSpec,
    reading: &EndpointReading,
    example_bytes: &dyn Fn(&str) -> Option<Vec<u8>>,
) -> Vec<Drift> {
    let mut drift = Vec::new();
    let mut push = |location: &str, message: String| {
        drift.push(Drift {
            location: location.to_owned(),
            message,
        })
    };
    if spec.method.value.as_str() != reading.method {
        push(
            "method",
            format!(
                "the page says {}, the spec {}",
                reading.method,
                spec.method.value.as_str()
            ),
        );
    }
    if spec.path.value != reading.path {
        push(
            "path",
            format!(
                "the page says {}, the spec {}",
                reading.path, spec.path.value
            ),
        );
    }
    let mut found = Vec::new();
    if reading.request_from_table {
        match (&reading.request, &spec.request) {
            (Some(body), Some(request)) => {
                compare_fields("request", body, &request.value.fields, &mut found)
            }
            (Some(_), None) => found.push(Drift {
                location: "request".to_owned(),
                message: "the page has a request table, the spec no request body".to_owned(),
            }),
            _ => {}
        }
    }
    if reading.response_from_table {
        compare_fields(
            "response",
            &reading.response,
            &spec.response.value.fields,
            &mut found,
        );
    }
    drift.extend(found);

    for direction in ["request", "response"] {
        let page_examples: &[ExampleReading] = if direction == "request" {
            &reading.request_examples
        } else {
            &reading.response_examples
        };
        let spec_files: Vec<(&str, &str)> = spec
            .examples
            .iter()
            .filter_map(|example| {
                let payload = if direction == "request" {
                    example.request.as_ref()
                } else {
                    example.response.as_ref()
                };
                payload.map(|payload| (example.name.value.as_str(), payload.file.value.as_str()))
            })
            .collect();
        for (index, page_example) in page_examples.iter().enumerate() {
            match spec_files.get(index) {
                Some((name, file)) => match example_bytes(file) {
                    Some(bytes) if bytes == page_example.text.as_bytes() => {}
                    Some(_) => drift.push(Drift {
                        location: format!("examples {name} {direction}"),
                        message: format!(
                            "the page's {direction} example differs from {file}, byte for byte"
                        ),
                    }),
                    None => drift.push(Drift {
                        location: format!("examples {name} {direction}"),
                        message: format!("{file} is missing"),
                    }),
                },
                None => drift.push(Drift {
                    location: format!("examples {direction}"),
                    message: format!(
                        "the page shows {} {direction} example{}, the spec names {}",
                        page_examples.len(),
                        if page_examples.len() == 1 { "" } else { "s" },
                        spec_files.len()
                    ),
                }),
            }
            if spec_files.len() <= index {
                break;
            }
        }
        if spec_files.len() > page_examples.len() {
            for (name, file) in &spec_files[page_examples.len()..] {
                drift.push(Drift {
                    location: format!("examples {name} {direction}"),
                    message: format!("the page no longer shows the example kept in {file}"),
                });
            }
        }
    }
    drift
}

/// The page's table fields against the spec's, one level (and nested tables) deep.
fn compare_fields(
    location: &str,
    page: &DraftBody,
    spec: &Entries<FieldSpec>,
    drift: &mut Vec<Drift>,
) {
    let spec_field = |name: &str| {
        spec.iter()
            .find(|(key, _)| key.value == name)
            .map(|(_, field)| &field.value)
    };
    for field in page.fields.iter().filter(|field| !field.from_example) {
        let here = format!("{location} /{}", field.name);
        let Some(written) = spec_field(&field.name) else {
            drift.push(Drift {
                location: here,
                message: format!(
                    "the page lists `{}` ({}), the spec does not",
                    field.name,
                    describe(field)
                ),
            });
            continue;
        };
        compare_field(&here, field, written, drift);
    }
    for (name, written) in spec.iter() {
        let from_example = written
            .value
            .documented_in
            .as_ref()
            .is_some_and(|documented| documented.value == DocumentedIn::Example);
        if !from_example && !page.fields.iter().any(|field| field.name == name.value) {
            drift.push(Drift {
                location: format!("{location} /{}", name.value),
                message: format!("the spec lists `{}`, the page no longer does", name.value),
            });
        }
    }
}

fn describe(field: &DraftField) -> String {
    let mut words = if field.page_word.is_empty() {
        field.ty.spec_name().to_owned()
    } else {
        format!("`{}`", field.page_word)
    };
    if field.required == Some(true) {
        words.push_str(", required");
    }
    words
}

fn compare_field(here: &str, page: &DraftField, spec: &FieldSpec, drift: &mut Vec<Drift>) {
    let spec_type = spec.ty.value;
    if !allows(&page.ty, spec_type) {
        drift.push(Drift {
            location: here.to_owned(),
            message: format!(
                "the page says `{}` ({}), the spec `{}`",
                page.page_word,
                page.ty.spec_name(),
                spec_type.as_str()
            ),
        });
        return;
    }
    if let Some(required) = page.required {
        let written = spec
            .required
            .as_ref()
            .is_some_and(|required| required.value);
        if required != written {
            drift.push(Drift {
                location: here.to_owned(),
                message: if required {
                    "the page marks it required, the spec does not".to_owned()
                } else {
                    "the spec marks it required, the page does not".to_owned()
                },
            });
        }
    }
    if let DraftType::Enum(values) = &page.ty {
        let written: Vec<&str> = spec
            .values
            .iter()
            .flatten()
            .map(|value| value.value.value())
            .collect();
        let added: Vec<&str> = values
            .iter()
            .map(String::as_str)
            .filter(|value| !written.contains(value))
            .collect();
        let removed: Vec<&str> = written
            .iter()
            .copied()
            .filter(|value| !values.iter().any(|page| page == value))
            .collect();
        if !added.is_empty() || !removed.is_empty() {
            drift.push(Drift {
                location: here.to_owned(),
                message: format!(
                    "enum values differ: the page adds [{}], drops [{}]",
                    added.join(", "),
                    removed.join(", ")
                ),
            });
        }
    }
    // Members a table of their own gives.
    let members = match &page.ty {
        DraftType::Object(body) => Some((body, spec.fields.as_ref())),
        DraftType::Array(items) => match (&**items, &spec.items) {
            (DraftType::Object(body), Some(items)) => Some((body, items.value.fields.as_ref())),
            _ => None,
        },
        _ => None,
    };
    if let Some((body, Some(fields))) = members
        && body.fields.iter().any(|field| !field.from_example)
    {
        compare_fields(here, body, fields, drift);
    }
}

/// Whether the spec's type is the page's, or a refinement a person may make of it.
pub fn allows(page: &DraftType, spec: FieldType) -> bool {
    use FieldType as T;
    match page {
        DraftType::Any | DraftType::Unknown(_) => true,
        DraftType::Scalar(T::String) => {
            matches!(spec, T::String | T::Date | T::DateTime | T::Email | T::Enum)
        }
        DraftType::Scalar(T::Number) => matches!(spec, T::Number | T::Integer),
        DraftType::Scalar(T::DateTime) => matches!(spec, T::DateTime | T::Date),
        DraftType::Scalar(ty) => *ty == spec,
        DraftType::Enum(_) => spec == T::Enum,
        DraftType::Array(_) => spec == T::Array,
        DraftType::Object(_) => spec == T::Object,
        DraftType::Union(_) => spec == T::Union,
    }
}
