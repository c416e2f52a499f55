//! A service's shared shapes (`shapes:` in `service.yaml`) in, lowered shapes out: each named
//! object, enum or union lowered once for the service (its type names claimed there), and every
//! use (`type: shape`, `shape: Customer`) lowered to a copy of it, so that the checkers walk
//! one tree per body. A shape met again inside itself becomes `Shape::Recursive`, which needs an
//! object on the way; unknown names suggest the closest defined one.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::{Diagnostic, SourceLocation};
use crate::load::{Loaded, SpecSources};
use crate::lower::{Cx, Role, lower_shape};
use crate::model::{Direction, Shape, SharedShape};
use crate::names;
use crate::spec::{EndpointSpec, Entries, FieldSpec, FieldType, Spanned};

/// The Rust module of a service's shared shapes: `generated/src/<service>/shared_shapes.rs`.
pub(crate) const SHARED_SHAPES_MODULE: &str = "shared_shapes";

/// One shape as `service.yaml` defines it, and where the endpoints use it.
struct ShapeDefinition<'a> {
    key: &'a Spanned<String>,
    spec: &'a Spanned<FieldSpec>,
    in_requests: bool,
    in_responses: bool,
}

impl ShapeDefinition<'_> {
    /// The direction its one Rust type is lowered in: a shape any response uses keeps unlisted
    /// fields and unknown values like every response type.
    fn direction(&self) -> Direction {
        if self.in_responses || !self.in_requests {
            Direction::Response
        } else {
            Direction::Request
        }
    }
}

/// Every shape of a service, by name, with where it is used.
pub(crate) struct ShapeTable<'a> {
    /// `spec/<service>/service.yaml`.
    path: &'a str,
    definitions: BTreeMap<&'a str, ShapeDefinition<'a>>,
    /// Names in written order.
    order: Vec<&'a str>,
}

impl<'a> ShapeTable<'a> {
    /// The shapes of `service.yaml` at `path`, marked with the directions the endpoints use
    /// them in (through other shapes too).
    pub(crate) fn new(
        path: &'a str,
        shapes: &'a Entries<FieldSpec>,
        endpoints: &[Loaded<EndpointSpec>],
    ) -> ShapeTable<'a> {
        let mut definitions = BTreeMap::new();
        let mut order = Vec::new();
        for (key, spec) in shapes.iter() {
            if definitions.contains_key(key.value.as_str()) {
                continue;
            }
            order.push(key.value.as_str());
            definitions.insert(
                key.value.as_str(),
                ShapeDefinition {
                    key,
                    spec,
                    in_requests: false,
                    in_responses: false,
                },
            );
        }
        let mut table = ShapeTable {
            path,
            definitions,
            order,
        };
        if table.definitions.is_empty() {
            return table;
        }
        let mut in_requests = BTreeSet::new();
        let mut in_responses = BTreeSet::new();
        for endpoint in endpoints {
            if let Some(request) = &endpoint.spec.request {
                for (_, field) in request.value.fields.iter() {
                    names_used(&field.value, &mut in_requests);
                }
            }
            for (_, field) in endpoint.spec.response.value.fields.iter() {
                names_used(&field.value, &mut in_responses);
            }
        }
        let in_requests = table.closure(in_requests);
        let in_responses = table.closure(in_responses);
        for (name, definition) in &mut table.definitions {
            definition.in_requests = in_requests.contains(name);
            definition.in_responses = in_responses.contains(name);
        }
        table
    }

    /// `names` and every shape they use, through each other.
    fn closure(&self, names: BTreeSet<&str>) -> BTreeSet<&'a str> {
        let mut done = BTreeSet::new();
        let mut to_visit: Vec<&str> = names.into_iter().collect();
        while let Some(name) = to_visit.pop() {
            let Some((&defined, definition)) = self.definitions.get_key_value(name) else {
                continue;
            };
            if !done.insert(defined) {
                continue;
            }
            let mut used = BTreeSet::new();
            names_used(&definition.spec.value, &mut used);
            to_visit.extend(used);
        }
        done
    }

    /// The type a shape is defined as, if the service defines it.
    pub(crate) fn kind_of(&self, name: &str) -> Option<FieldType> {
        self.definitions
            .get(name)
            .map(|definition| definition.spec.value.ty.value)
    }
}

/// Every shape name used inside `spec`.
fn names_used<'a>(spec: &'a FieldSpec, out: &mut BTreeSet<&'a str>) {
    if let Some(name) = &spec.shape {
        out.insert(name.value.as_str());
    }
    if let Some(items) = &spec.items {
        names_used(&items.value, out);
    }
    if let Some(fields) = &spec.fields {
        for (_, field) in fields.iter() {
            names_used(&field.value, out);
        }
    }
    for variant in spec.variants.iter().flatten() {
        names_used(&variant.value, out);
    }
}

/// Lowers every shape of the service once, claiming its type names for the service. Returns
/// the shapes in written order and the claims, in the order they were made.
pub(crate) fn lower_shared_shapes(
    table: &ShapeTable<'_>,
    path: &str,
    sources: &SpecSources,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<SharedShape>, Vec<(String, SourceLocation)>) {
    let mut type_names = BTreeMap::new();
    let mut claims = Vec::new();
    let mut shapes = Vec::new();
    for name in &table.order {
        let definition = &table.definitions[name];
        if !names::is_pascal_case_identifier(name) {
            diagnostics.push(Diagnostic::new(
                SourceLocation::of(path, definition.key),
                format!(
                    "shape name `{name}` must be an UpperCamelCase ASCII identifier (`Customer`): it names the Rust type"
                ),
            ));
            continue;
        }
        let mut cx = Cx::new(
            path,
            sources,
            table,
            diagnostics,
            &mut type_names,
            &mut claims,
        );
        cx.direction = definition.direction();
        cx.shape_stack.push(((*name).to_owned(), 0));
        let Some(mut shape) = lower_shape(
            &mut cx,
            definition.spec,
            (*name).to_owned(),
            Role::SharedShape,
        ) else {
            continue;
        };
        mark_shared(&mut shape);
        let both = definition.in_requests == definition.in_responses;
        if both {
            mark_both_directions(&mut shape, true);
        }
        shapes.push(SharedShape {
            name: (*name).to_owned(),
            shape,
            in_requests: definition.in_requests,
            in_responses: definition.in_responses,
        });
    }
    (shapes, claims)
}

/// Lowers a use of the shape `name`: a copy of the shape, or `Shape::Recursive` inside itself.
pub(crate) fn lower_shape_use(cx: &mut Cx<'_>, name: &Spanned<String>) -> Option<Shape> {
    let Some(definition) = cx.shapes.definitions.get(name.value.as_str()) else {
        let known = cx.shapes.order.iter().copied();
        let hint = match names::closest(&name.value, known) {
            Some(closest) => format!(": did you mean `{closest}`?"),
            None if cx.shapes.order.is_empty() => {
                ": the service defines none (add it under `shapes:` in service.yaml)".to_owned()
            }
            None => format!(
                ": the service defines {}",
                cx.shapes
                    .order
                    .iter()
                    .map(|known| format!("`{known}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        cx.error(name, format!("unknown shape `{}`{hint}", name.value));
        return None;
    };
    if let Some(position) = cx
        .shape_stack
        .iter()
        .position(|(entered, _)| *entered == name.value)
    {
        let objects_before = cx.shape_stack[position].1;
        if cx.object_depth > objects_before {
            return Some(Shape::Recursive(name.value.clone()));
        }
        let path: Vec<&str> = cx.shape_stack[position..]
            .iter()
            .map(|(entered, _)| entered.as_str())
            .chain(std::iter::once(name.value.as_str()))
            .collect();
        // The same cycle is met from each of its shapes: it is reported once, where it comes
        // back to the first of its names in alphabetical order.
        if path.iter().min() != Some(&name.value.as_str()) {
            return None;
        }
        cx.error(
            name,
            format!(
                "shape cycle without an object in between: {}; a value of it would never end (recursion must go through an object's field)",
                path.join(" → ")
            ),
        );
        return None;
    }
    let saved = (cx.path, cx.direction, cx.claiming);
    cx.path = cx.shapes.path;
    cx.direction = definition.direction();
    cx.claiming = false;
    cx.shape_stack.push((name.value.clone(), cx.object_depth));
    let lowered = lower_shape(cx, definition.spec, name.value.clone(), Role::SharedShape);
    cx.shape_stack.pop();
    (cx.path, cx.direction, cx.claiming) = saved;
    let mut shape = lowered?;
    mark_shared(&mut shape);
    Some(shape)
}

fn mark_shared(shape: &mut Shape) {
    match shape {
        Shape::Object(object) => object.shared = true,
        Shape::Enum(enumeration) => enumeration.shared = true,
        Shape::Union(union) => union.shared = true,
        _ => {}
    }
}

/// Marks the types a shape's Rust emission defines (itself and its nested, unshared types) to
/// derive both serde traits always: a shape used by requests and responses alike.
fn mark_both_directions(shape: &mut Shape, top: bool) {
    if !top && shape.shared_name().is_some() {
        return;
    }
    match shape {
        Shape::Object(object) => {
            object.derives_both_directions = true;
            for field in &mut object.fields {
                mark_both_directions(&mut field.shape, false);
            }
        }
        Shape::Enum(enumeration) => enumeration.derives_both_directions = true,
        Shape::Union(union) => {
            union.derives_both_directions = true;
            for variant in &mut union.variants {
                mark_both_directions(&mut variant.shape, false);
            }
        }
        Shape::Array(items) => mark_both_directions(&mut items.shape, false),
        _ => {}
    }
}

/// Whether a shape's Rust type needs a `Box` where it is held (not in a list): it refers back
/// to a shape on the way to it, so without the box its size would have no end.
pub(crate) fn needs_box(shape: &Shape) -> bool {
    match shape {
        Shape::Recursive(_) => true,
        Shape::Object(object) if object.shared => contains_recursion(shape),
        Shape::Union(union) if union.shared => contains_recursion(shape),
        _ => false,
    }
}

fn contains_recursion(shape: &Shape) -> bool {
    match shape {
        Shape::Recursive(_) => true,
        Shape::Object(object) => object
            .fields
            .iter()
            .any(|field| contains_recursion(&field.shape)),
        Shape::Union(union) => union
            .variants
            .iter()
            .any(|variant| contains_recursion(&variant.shape)),
        Shape::Array(items) => contains_recursion(&items.shape),
        _ => false,
    }
}
