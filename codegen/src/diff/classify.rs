//! Two body schemas in, every change between them out, each named by its kind
//! (`required-field-added`, `type-narrowed`, …) and located by the JSON Pointer of the value
//! in a payload.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::ChangeKind;

pub(super) struct Found {
    pub(super) pointer: String,
    pub(super) kind: ChangeKind,
    pub(super) detail: String,
}

const ANNOTATIONS: [&str; 4] = ["title", "description", "$comment", "default"];
const IGNORED: [&str; 2] = ["$id", "$schema"];

fn escape_pointer_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

fn shown(pointer: &str) -> &str {
    if pointer.is_empty() {
        "the body"
    } else {
        pointer
    }
}

/// The normalized contract of a schema: the JSON types it accepts and, for each, its keywords.
#[derive(Debug, Clone, PartialEq)]
enum Contract<'a> {
    /// Any value.
    Any,
    /// Only these types (`integer` is kept apart from `number`).
    Types(BTreeMap<&'a str, Facet<'a>>),
    /// A keyword outside what the diff models: compared as JSON.
    Opaque,
}

#[derive(Debug, Clone, PartialEq, Default)]
struct Facet<'a> {
    enum_values: Option<Vec<&'a Value>>,
    format: Option<&'a str>,
    pattern: Option<&'a str>,
    properties: Vec<(&'a str, &'a Value)>,
    required: BTreeSet<&'a str>,
    additional_properties: Option<bool>,
    groups: BTreeSet<BTreeSet<&'a str>>,
    items: Option<&'a Value>,
}

const JSON_TYPES: [&str; 7] = [
    "null", "boolean", "integer", "number", "string", "array", "object",
];

fn contract_of(schema: &Value) -> Contract<'_> {
    let object = match schema {
        Value::Bool(true) => return Contract::Any,
        Value::Object(object) => object,
        _ => return Contract::Opaque,
    };
    let constraining: Vec<(&String, &Value)> = object
        .iter()
        .filter(|(key, _)| !ANNOTATIONS.contains(&key.as_str()) && !IGNORED.contains(&key.as_str()))
        .collect();
    if constraining.is_empty() {
        return Contract::Any;
    }
    let Some(type_value) = object.get("type") else {
        // A union or a nullable wrapper: `anyOf` and nothing else.
        if let (1, Some(Value::Array(branches))) = (constraining.len(), object.get("anyOf")) {
            return union_contract(branches);
        }
        return Contract::Opaque;
    };
    let types: Vec<&str> = match type_value {
        Value::String(name) => vec![name.as_str()],
        Value::Array(names) => match names.iter().map(Value::as_str).collect::<Option<Vec<_>>>() {
            Some(names) => names,
            None => return Contract::Opaque,
        },
        _ => return Contract::Opaque,
    };
    if types.iter().any(|name| !JSON_TYPES.contains(name)) {
        return Contract::Opaque;
    }
    let mut facet = Facet::default();
    for (key, value) in &constraining {
        let understood = match key.as_str() {
            "type" => true,
            "enum" => match value {
                Value::Array(values) => {
                    facet.enum_values =
                        Some(values.iter().filter(|value| !value.is_null()).collect());
                    true
                }
                _ => false,
            },
            "format" => {
                facet.format = value.as_str();
                facet.format.is_some()
            }
            "pattern" => {
                facet.pattern = value.as_str();
                facet.pattern.is_some()
            }
            "properties" => match value {
                Value::Object(properties) => {
                    facet.properties = properties
                        .iter()
                        .map(|(name, schema)| (name.as_str(), schema))
                        .collect();
                    true
                }
                _ => false,
            },
            "required" => match value.as_array().and_then(|names| {
                names
                    .iter()
                    .map(Value::as_str)
                    .collect::<Option<BTreeSet<_>>>()
            }) {
                Some(names) => {
                    facet.required = names;
                    true
                }
                None => false,
            },
            "additionalProperties" => {
                facet.additional_properties = value.as_bool();
                facet.additional_properties.is_some()
            }
            "anyOf" => match group_of(value) {
                Some(group) => {
                    facet.groups.insert(group);
                    true
                }
                None => false,
            },
            "allOf" => match value.as_array().and_then(|parts| {
                parts
                    .iter()
                    .map(|part| {
                        let part = part.as_object()?;
                        (part.len() == 1).then_some(())?;
                        group_of(part.get("anyOf")?)
                    })
                    .collect::<Option<Vec<_>>>()
            }) {
                Some(groups) => {
                    facet.groups.extend(groups);
                    true
                }
                None => false,
            },
            "items" => {
                facet.items = Some(value);
                true
            }
            _ => false,
        };
        if !understood {
            return Contract::Opaque;
        }
    }
    let mut map = BTreeMap::new();
    for name in types {
        let typed = match name {
            "string" => Facet {
                enum_values: facet.enum_values.clone(),
                format: facet.format,
                pattern: facet.pattern,
                ..Facet::default()
            },
            "object" => Facet {
                properties: facet.properties.clone(),
                required: facet.required.clone(),
                additional_properties: facet.additional_properties,
                groups: facet.groups.clone(),
                ..Facet::default()
            },
            "array" => Facet {
                items: facet.items,
                ..Facet::default()
            },
            _ => Facet::default(),
        };
        map.insert(name, typed);
    }
    Contract::Types(map)
}

/// `[{"required": ["email"]}, {"required": ["phone"], "properties": {…}}]` → `{email, phone}`.
fn group_of(value: &Value) -> Option<BTreeSet<&str>> {
    let branches = value.as_array()?;
    branches
        .iter()
        .map(|branch| {
            let branch = branch.as_object()?;
            if branch
                .keys()
                .any(|key| key != "required" && key != "properties")
            {
                return None;
            }
            match branch.get("required")?.as_array()?.as_slice() {
                [name] => name.as_str(),
                _ => None,
            }
        })
        .collect()
}

fn union_contract(branches: &[Value]) -> Contract<'_> {
    let mut map: BTreeMap<&str, Facet<'_>> = BTreeMap::new();
    for branch in branches {
        match contract_of(branch) {
            Contract::Any => return Contract::Any,
            Contract::Opaque => return Contract::Opaque,
            Contract::Types(types) => {
                for (name, facet) in types {
                    if map.get(name).is_some_and(|existing| existing != &facet) {
                        return Contract::Opaque;
                    }
                    map.insert(name, facet);
                }
            }
        }
    }
    Contract::Types(map)
}

/// The schema with every annotation removed at every depth, for comparing contracts only.
fn without_annotations(schema: &Value) -> Value {
    match schema {
        Value::Object(object) => {
            let mut out = Map::new();
            for (key, value) in object {
                if ANNOTATIONS.contains(&key.as_str()) || IGNORED.contains(&key.as_str()) {
                    continue;
                }
                let value = if key == "properties" {
                    match value {
                        Value::Object(properties) => Value::Object(
                            properties
                                .iter()
                                .map(|(name, schema)| (name.clone(), without_annotations(schema)))
                                .collect(),
                        ),
                        other => other.clone(),
                    }
                } else {
                    without_annotations(value)
                };
                out.insert(key.clone(), value);
            }
            Value::Object(out)
        }
        Value::Array(values) => Value::Array(values.iter().map(without_annotations).collect()),
        other => other.clone(),
    }
}

pub(super) fn compare_values(old: &Value, new: &Value, pointer: &str, found: &mut Vec<Found>) {
    for key in ANNOTATIONS {
        let before = old.get(key);
        let after = new.get(key);
        if before != after {
            found.push(Found {
                pointer: pointer.to_owned(),
                kind: ChangeKind::AnnotationChanged,
                detail: format!("`{key}` of {} changed", shown(pointer)),
            });
        }
    }
    match (contract_of(old), contract_of(new)) {
        (Contract::Opaque, _) | (_, Contract::Opaque) => {
            if without_annotations(old) != without_annotations(new) {
                found.push(Found {
                    pointer: pointer.to_owned(),
                    kind: ChangeKind::Unclassified,
                    detail: format!(
                        "the schema of {} changed in a way this diff does not classify",
                        shown(pointer)
                    ),
                });
            }
        }
        (Contract::Any, Contract::Any) => {}
        (Contract::Any, Contract::Types(types)) => found.push(Found {
            pointer: pointer.to_owned(),
            kind: ChangeKind::TypeNarrowed,
            detail: format!(
                "{} accepted any value, now only {}",
                shown(pointer),
                type_list(types.keys())
            ),
        }),
        (Contract::Types(types), Contract::Any) => found.push(Found {
            pointer: pointer.to_owned(),
            kind: ChangeKind::TypeWidened,
            detail: format!(
                "{} accepted only {}, now any value",
                shown(pointer),
                type_list(types.keys())
            ),
        }),
        (Contract::Types(old_types), Contract::Types(new_types)) => {
            compare_types(&old_types, &new_types, pointer, found);
        }
    }
}

fn type_list<'a>(types: impl Iterator<Item = &'a &'a str>) -> String {
    types
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn compare_types(
    old: &BTreeMap<&str, Facet<'_>>,
    new: &BTreeMap<&str, Facet<'_>>,
    pointer: &str,
    found: &mut Vec<Found>,
) {
    let mut removed: BTreeSet<&str> = old
        .keys()
        .filter(|name| !new.contains_key(*name))
        .copied()
        .collect();
    let mut added: BTreeSet<&str> = new
        .keys()
        .filter(|name| !old.contains_key(*name))
        .copied()
        .collect();
    let at = shown(pointer);
    if added.remove("null") {
        found.push(Found {
            pointer: pointer.to_owned(),
            kind: ChangeKind::FieldBecameNullable,
            detail: format!("{at} may now be null"),
        });
    }
    if removed.remove("null") {
        found.push(Found {
            pointer: pointer.to_owned(),
            kind: ChangeKind::FieldBecameNonNullable,
            detail: format!("{at} may no longer be null"),
        });
    }
    // `integer` is a subset of `number`.
    if removed.contains("integer") && (added.contains("number") || new.contains_key("number")) {
        removed.remove("integer");
        added.remove("number");
        found.push(Found {
            pointer: pointer.to_owned(),
            kind: ChangeKind::TypeWidened,
            detail: format!("{at} was an `integer`, now any `number`"),
        });
    }
    if removed.contains("number") && (added.contains("integer") || old.contains_key("integer")) {
        removed.remove("number");
        added.remove("integer");
        found.push(Found {
            pointer: pointer.to_owned(),
            kind: ChangeKind::TypeNarrowed,
            detail: format!("{at} was any `number`, now only an `integer`"),
        });
    }
    match (removed.is_empty(), added.is_empty()) {
        (true, true) => {}
        (false, true) => found.push(Found {
            pointer: pointer.to_owned(),
            kind: ChangeKind::TypeNarrowed,
            detail: format!("{at} no longer accepts {}", type_list(removed.iter())),
        }),
        (true, false) => found.push(Found {
            pointer: pointer.to_owned(),
            kind: ChangeKind::TypeWidened,
            detail: format!("{at} now also accepts {}", type_list(added.iter())),
        }),
        (false, false) => found.push(Found {
            pointer: pointer.to_owned(),
            kind: ChangeKind::TypeChanged,
            detail: format!(
                "{at} was {}, now {}",
                type_list(removed.iter()),
                type_list(added.iter())
            ),
        }),
    }
    for (name, old_facet) in old {
        let Some(new_facet) = new.get(name) else {
            continue;
        };
        match *name {
            "string" => compare_strings(old_facet, new_facet, pointer, found),
            "array" => {
                let any = Value::Bool(true);
                compare_values(
                    old_facet.items.unwrap_or(&any),
                    new_facet.items.unwrap_or(&any),
                    &format!("{pointer}/*"),
                    found,
                );
            }
            "object" => compare_objects(old_facet, new_facet, pointer, found),
            _ => {}
        }
    }
}

fn compare_strings(old: &Facet<'_>, new: &Facet<'_>, pointer: &str, found: &mut Vec<Found>) {
    let at = shown(pointer);
    let list = |values: &[&Value]| {
        values
            .iter()
            .map(|value| value.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (&old.enum_values, &new.enum_values) {
        (None, None) => {}
        (None, Some(values)) => found.push(Found {
            pointer: pointer.to_owned(),
            kind: ChangeKind::EnumIntroduced,
            detail: format!("{at} was any string, now one of {}", list(values)),
        }),
        (Some(values), None) => found.push(Found {
            pointer: pointer.to_owned(),
            kind: ChangeKind::EnumLifted,
            detail: format!("{at} was one of {}, now any string", list(values)),
        }),
        (Some(before), Some(after)) => {
            for value in before.iter().filter(|value| !after.contains(value)) {
                found.push(Found {
                    pointer: pointer.to_owned(),
                    kind: ChangeKind::EnumValueRemoved,
                    detail: format!("{at} no longer accepts {value}"),
                });
            }
            for value in after.iter().filter(|value| !before.contains(value)) {
                found.push(Found {
                    pointer: pointer.to_owned(),
                    kind: ChangeKind::EnumValueAdded,
                    detail: format!("{at} now also accepts {value}"),
                });
            }
        }
    }
    let describe = |facet: &Facet<'_>| match (facet.format, facet.pattern) {
        (Some(format), _) => format!("format `{format}`"),
        (None, Some(_)) => "a pattern".to_owned(),
        (None, None) => "no format".to_owned(),
    };
    let before = (old.format, old.pattern);
    let after = (new.format, new.pattern);
    if before != after {
        let kind = match (before, after) {
            ((None, None), _) => ChangeKind::ConstraintTightened,
            (_, (None, None)) => ChangeKind::ConstraintLoosened,
            _ => ChangeKind::ConstraintChanged,
        };
        found.push(Found {
            pointer: pointer.to_owned(),
            kind,
            detail: format!(
                "{at} had {}, now {}{}",
                describe(old),
                describe(new),
                if old.format == new.format && old.pattern != new.pattern {
                    " with another pattern"
                } else {
                    ""
                }
            ),
        });
    }
}

fn compare_objects(old: &Facet<'_>, new: &Facet<'_>, pointer: &str, found: &mut Vec<Found>) {
    let at = shown(pointer);
    let old_names: BTreeSet<&str> = old.properties.iter().map(|(name, _)| *name).collect();
    let new_names: BTreeSet<&str> = new.properties.iter().map(|(name, _)| *name).collect();
    let schema_in = |facet: &Facet<'_>, name: &str| {
        facet
            .properties
            .iter()
            .find(|(property, _)| *property == name)
            .map(|(_, schema)| without_annotations(schema))
    };
    let mut removed: Vec<&str> = old
        .properties
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| !new_names.contains(name))
        .collect();
    let mut added: Vec<&str> = new
        .properties
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| !old_names.contains(name))
        .collect();

    // A removed and an added field with the same contract and requiredness: a rename.
    let mut renames = Vec::new();
    for old_name in removed.clone() {
        let candidates: Vec<&str> = added
            .iter()
            .copied()
            .filter(|new_name| {
                schema_in(old, old_name) == schema_in(new, new_name)
                    && old.required.contains(old_name) == new.required.contains(new_name)
            })
            .collect();
        if let [new_name] = candidates.as_slice() {
            renames.push((old_name, *new_name));
            added.retain(|name| name != new_name);
            removed.retain(|name| *name != old_name);
        }
    }
    let child = |name: &str| format!("{pointer}/{}", escape_pointer_segment(name));
    for (old_name, new_name) in renames {
        found.push(Found {
            pointer: child(old_name),
            kind: ChangeKind::FieldRenamed,
            detail: format!("field `{old_name}` is now called `{new_name}`"),
        });
    }
    for name in removed {
        found.push(Found {
            pointer: child(name),
            kind: ChangeKind::FieldRemoved,
            detail: format!(
                "{} field `{name}` of {at} is no longer listed",
                if old.required.contains(name) {
                    "required"
                } else {
                    "optional"
                }
            ),
        });
    }
    for name in added {
        let required = new.required.contains(name);
        found.push(Found {
            pointer: child(name),
            kind: if required {
                ChangeKind::RequiredFieldAdded
            } else {
                ChangeKind::OptionalFieldAdded
            },
            detail: format!(
                "new {} field `{name}` in {at}",
                if required { "required" } else { "optional" }
            ),
        });
    }
    for (name, old_schema) in &old.properties {
        let Some((_, new_schema)) = new.properties.iter().find(|(property, _)| property == name)
        else {
            continue;
        };
        let was_required = old.required.contains(name);
        let is_required = new.required.contains(name);
        if was_required != is_required {
            found.push(Found {
                pointer: child(name),
                kind: if is_required {
                    ChangeKind::FieldBecameRequired
                } else {
                    ChangeKind::FieldBecameOptional
                },
                detail: format!(
                    "field `{name}` is now {}",
                    if is_required { "required" } else { "optional" }
                ),
            });
        }
        compare_values(old_schema, new_schema, &child(name), found);
    }
    let old_additional = old.additional_properties.unwrap_or(true);
    let new_additional = new.additional_properties.unwrap_or(true);
    if old_additional != new_additional {
        found.push(Found {
            pointer: pointer.to_owned(),
            kind: if new_additional {
                ChangeKind::UndocumentedFieldsAllowed
            } else {
                ChangeKind::UndocumentedFieldsForbidden
            },
            detail: format!(
                "fields {at} does not list are now {}",
                if new_additional {
                    "accepted"
                } else {
                    "refused"
                }
            ),
        });
    }
    let names = |group: &BTreeSet<&str>| {
        group
            .iter()
            .map(|name| format!("`{name}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for group in old.groups.difference(&new.groups) {
        found.push(Found {
            pointer: pointer.to_owned(),
            kind: ChangeKind::AtLeastOneOfRemoved,
            detail: format!("{at} no longer needs at least one of {}", names(group)),
        });
    }
    for group in new.groups.difference(&old.groups) {
        found.push(Found {
            pointer: pointer.to_owned(),
            kind: ChangeKind::AtLeastOneOfAdded,
            detail: format!("{at} now needs at least one of {}", names(group)),
        });
    }
}
