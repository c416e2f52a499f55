//! A service's lowered endpoints in, its repeated enumerations out: the enumerations written
//! alike in several places (the same values, variants, value descriptions and direction), each
//! once, and every use of one pointed at it.
//!
//! Vendors repeat the same list on page after page (a status, a currency, a language); each use
//! keeps its own Rust name, as a re-export of the one type (`emit_rust`). One type instead of
//! many: a value built for one request can be sent in another (and response values compare),
//! and the generated crate compiles each enumeration's impls once. Shared shapes and what they
//! hold are the shapes module's, and are left alone.

use std::collections::HashMap;

use crate::model::{Direction, Endpoint, Enumeration, Shape};

/// What makes two enumerations the same Rust type: everything their code is made of but their
/// names and their own descriptions (which stay on each use's re-export).
#[derive(PartialEq, Eq, Hash)]
struct EnumerationKey {
    /// Each value's wire text, variant name and description.
    values: Vec<(String, String, Option<String>)>,
    direction: Direction,
    derives_both_directions: bool,
}

impl EnumerationKey {
    fn of(enumeration: &Enumeration) -> Self {
        EnumerationKey {
            values: enumeration
                .values
                .iter()
                .map(|value| {
                    (
                        value.wire.clone(),
                        value.rust_variant.clone(),
                        value.description.clone(),
                    )
                })
                .collect(),
            direction: enumeration.direction,
            derives_both_directions: enumeration.derives_both_directions,
        }
    }
}

/// Points every enumeration of `endpoints` that is written alike elsewhere in them at the one
/// type they share (`Enumeration::same_as`), and returns those types, each named as its first
/// use, in the order first met (endpoints in order, request before response, fields in order,
/// depth first).
pub(super) fn mark_repeated_enums(endpoints: &mut [Endpoint]) -> Vec<Enumeration> {
    // The uses of each key and the first one's name (type names are the service's, each once).
    let mut uses: HashMap<EnumerationKey, (usize, String)> = HashMap::new();
    for endpoint in endpoints.iter_mut() {
        for_each_enumeration(endpoint, &mut |enumeration| {
            uses.entry(EnumerationKey::of(enumeration))
                .and_modify(|(count, _)| *count += 1)
                .or_insert_with(|| (1, enumeration.rust_name.clone()));
        });
    }
    uses.retain(|_, (count, _)| *count > 1);
    let mut types = Vec::new();
    if uses.is_empty() {
        return types;
    }
    for endpoint in endpoints.iter_mut() {
        for_each_enumeration(endpoint, &mut |enumeration| {
            let Some((_, first)) = uses.get(&EnumerationKey::of(enumeration)) else {
                return;
            };
            if *first == enumeration.rust_name {
                types.push(Enumeration {
                    description: None,
                    same_as: None,
                    ..enumeration.clone()
                });
            }
            enumeration.same_as = Some(first.clone());
        });
    }
    types
}

/// Calls `found` on each enumeration that `endpoint`'s bodies define, request first, fields in
/// order, depth first (not inside shared shapes).
fn for_each_enumeration(endpoint: &mut Endpoint, found: &mut dyn FnMut(&mut Enumeration)) {
    for body in endpoint
        .request
        .iter_mut()
        .chain(std::iter::once(&mut endpoint.response.body))
    {
        if body.object.shared {
            continue;
        }
        for field in &mut body.object.fields {
            visit(&mut field.shape, found);
        }
    }
}

/// Calls `found` on each enumeration `shape` defines, depth first (not inside shared shapes).
fn visit(shape: &mut Shape, found: &mut dyn FnMut(&mut Enumeration)) {
    if shape.shared_name().is_some() {
        return;
    }
    match shape {
        Shape::Enum(enumeration) => found(enumeration),
        Shape::Array(items) => visit(&mut items.shape, found),
        Shape::Object(object) => {
            for field in &mut object.fields {
                visit(&mut field.shape, found);
            }
        }
        Shape::Union(union) => {
            for variant in &mut union.variants {
                visit(&mut variant.shape, found);
            }
        }
        _ => {}
    }
}
