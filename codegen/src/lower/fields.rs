//! A body's fields in, the model's shapes out: objects, fields with their flags, enums,
//! unions and shared-shape uses, each with its Rust type name claimed once.

use std::collections::BTreeMap;

use crate::constraints::{lower_constraints, lower_default};
use crate::diagnostic::{Diagnostic, SourceLocation};
use crate::model::{
    ArrayItems, Direction, EnumValue, Enumeration, Field, Object, Reference, Shape,
    UNKNOWN_VALUE_VARIANT, UNLISTED_FIELDS_RUST_NAME, Union, UnionVariant,
};
use crate::names;
use crate::shapes::lower_shape_use;
use crate::spec::{
    DocumentedIn, Entries, EnumValueSpec, FieldSpec, FieldType, Spanned, UndocumentedFields,
};

use super::Cx;

pub(super) fn lower_object(
    cx: &mut Cx<'_>,
    rust_name: String,
    at: SourceLocation,
    description: Option<String>,
    entries: &Entries<FieldSpec>,
    undocumented_fields: UndocumentedFields,
    at_least_one_of: &[Spanned<Vec<String>>],
) -> Object {
    cx.claim_type_name(&rust_name, at.clone());
    let mut fields = Vec::new();
    let mut rust_names: BTreeMap<String, (String, SourceLocation)> = BTreeMap::new();
    let keeps_unlisted =
        cx.direction == Direction::Response || undocumented_fields == UndocumentedFields::Allow;
    cx.object_depth += 1;
    for (key, spec) in entries.iter() {
        let Some(field) = lower_field(cx, &rust_name, key, spec) else {
            continue;
        };
        let here = cx.location(key);
        if let Some((other_wire, first)) = rust_names.get(&field.rust_name) {
            let message = format!(
                "wire names `{}` and `{other_wire}` (at {first}) both become Rust field `{}`: set `rust_name` on one of them",
                field.wire_name, field.rust_name
            );
            cx.diagnostics.push(Diagnostic::new(here, message));
            continue;
        }
        if keeps_unlisted && names::unraw(&field.rust_name) == UNLISTED_FIELDS_RUST_NAME {
            let message = format!(
                "Rust field `{UNLISTED_FIELDS_RUST_NAME}` is where `{rust_name}` keeps fields the page does not list: set `rust_name` on `{}`",
                field.wire_name
            );
            cx.diagnostics.push(Diagnostic::new(here, message));
            continue;
        }
        rust_names.insert(
            field.rust_name.clone(),
            (field.wire_name.clone(), here.clone()),
        );
        fields.push(field);
    }
    cx.object_depth -= 1;
    let mut groups = Vec::new();
    for group in at_least_one_of {
        if group.value.is_empty() {
            cx.error(
                group,
                "an `at_least_one_of` group needs at least one field name",
            );
            continue;
        }
        for name in &group.value {
            if !entries.iter().any(|(key, _)| &key.value == name) {
                cx.error(
                    group,
                    format!(
                        "`at_least_one_of` names `{name}`, which is not a field of this object"
                    ),
                );
            }
        }
        groups.push(group.value.clone());
    }
    Object {
        rust_name,
        description,
        fields,
        undocumented_fields,
        at_least_one_of: groups,
        direction: cx.direction,
        location: at,
        shared: false,
        derives_both_directions: false,
    }
}

pub(super) fn lower_field(
    cx: &mut Cx<'_>,
    parent: &str,
    key: &Spanned<String>,
    spanned: &Spanned<FieldSpec>,
) -> Option<Field> {
    let spec = &spanned.value;
    let wire_name = key.value.clone();
    let rust_name = match &spec.rust_name {
        Some(given) => {
            if !names::is_snake_case_identifier(&given.value) {
                cx.error(
                    given,
                    format!(
                        "rust_name `{}` must be a snake_case ASCII identifier",
                        given.value
                    ),
                );
                return None;
            }
            names::field_identifier(&given.value)
        }
        None => match names::snake_case(&wire_name) {
            Some(snake) => names::field_identifier(&snake),
            None => {
                cx.error(
                    key,
                    format!(
                        "wire name `{wire_name}` makes no Rust field name (it needs ASCII letters, starting with one): set `rust_name`"
                    ),
                );
                return None;
            }
        },
    };
    let default_type_name = format!(
        "{parent}{}",
        names::pascal_case(names::unraw(&rust_name)).unwrap_or_default()
    );
    let shape = lower_shape(cx, spanned, default_type_name, Role::Field)?;
    let nullable = flag(&spec.nullable);
    if nullable
        && matches!(shape, Shape::Any)
        && let Some(spanned_nullable) = &spec.nullable
    {
        cx.error(
            spanned_nullable,
            "type `any` already admits null: leave `nullable` out",
        );
    }
    Some(Field {
        wire_name,
        rust_name,
        required: flag(&spec.required),
        nullable,
        description: spec.description.clone(),
        documented_in: spec
            .documented_in
            .as_ref()
            .map_or(DocumentedIn::Table, |documented| documented.value),
        reference: spec.reference.as_ref().map(|reference| Reference {
            title: reference.title.clone(),
            page: reference.page.clone(),
        }),
        see: spec.see.clone(),
        default: lower_default(cx, spanned, &shape),
        constraints: lower_constraints(cx, spanned),
        shape,
        location: cx.location(key),
    })
}

pub(super) fn flag(value: &Option<Spanned<bool>>) -> bool {
    value.as_ref().is_some_and(|spanned| spanned.value)
}

/// Where a type appears: keys that name, require or link only make sense on fields.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Field,
    Item,
    Variant,
    /// A shared shape's definition under `shapes:` in `service.yaml`.
    SharedShape,
}

impl Role {
    fn describe(self) -> &'static str {
        match self {
            Role::Field => "fields",
            Role::Item => "array items",
            Role::Variant => "union variants",
            Role::SharedShape => "shared shapes (set it where the shape is used)",
        }
    }
}

pub(crate) fn lower_shape(
    cx: &mut Cx<'_>,
    spanned: &Spanned<FieldSpec>,
    default_type_name: String,
    role: Role,
) -> Option<Shape> {
    let spec = &spanned.value;
    let ty = spec.ty.value;
    let start = cx.diagnostics.len();

    if role != Role::Field {
        let field_only: [(&str, bool); 6] = [
            ("required", spec.required.is_some()),
            ("rust_name", spec.rust_name.is_some()),
            ("reference", spec.reference.is_some()),
            ("see", spec.see.is_some()),
            ("documented_in", spec.documented_in.is_some()),
            ("default", spec.default.is_some()),
        ];
        for (key, present) in field_only {
            if present {
                cx.error(
                    spanned,
                    format!(
                        "`{key}` has no meaning for {}, only for fields",
                        role.describe()
                    ),
                );
            }
        }
        if role == Role::Variant && spec.nullable.is_some() {
            cx.error(
                spanned,
                "`nullable` has no meaning for union variants: set it on the field",
            );
        }
    }
    if role == Role::SharedShape {
        if spec.nullable.is_some() {
            cx.error(
                spanned,
                "`nullable` has no meaning for shared shapes: set it where the shape is used",
            );
        }
        if let Some(type_name) = &spec.type_name {
            cx.error(
                type_name,
                "a shared shape's Rust type name is its key under `shapes:`: leave `type_name` out",
            );
        }
        if !matches!(ty, FieldType::Object | FieldType::Enum | FieldType::Union) {
            cx.error(
                &spec.ty,
                format!(
                    "a shared shape is an `object`, `enum` or `union`, found `{}`: write that type where it is used",
                    ty.as_str()
                ),
            );
            return None;
        }
    }
    if role == Role::Variant && crate::constraints::any_given(spec) {
        cx.error(
            spanned,
            "limits (`minimum`, `max_length`, `pattern`, …) are not taken on union variants: use a field of that type instead",
        );
    }

    let number: &[FieldType] = &[FieldType::Integer, FieldType::Number];
    let applies: [(&str, bool, &[FieldType]); 18] = [
        ("values", spec.values.is_some(), &[FieldType::Enum]),
        ("shape", spec.shape.is_some(), &[FieldType::Shape]),
        ("minimum", spec.minimum.is_some(), number),
        ("maximum", spec.maximum.is_some(), number),
        (
            "exclusive_minimum",
            spec.exclusive_minimum.is_some(),
            number,
        ),
        (
            "exclusive_maximum",
            spec.exclusive_maximum.is_some(),
            number,
        ),
        (
            "min_length",
            spec.min_length.is_some(),
            &[FieldType::String, FieldType::Email],
        ),
        (
            "max_length",
            spec.max_length.is_some(),
            &[FieldType::String, FieldType::Email],
        ),
        ("pattern", spec.pattern.is_some(), &[FieldType::String]),
        ("min_items", spec.min_items.is_some(), &[FieldType::Array]),
        ("max_items", spec.max_items.is_some(), &[FieldType::Array]),
        (
            "unique_items",
            spec.unique_items.is_some(),
            &[FieldType::Array],
        ),
        ("items", spec.items.is_some(), &[FieldType::Array]),
        ("fields", spec.fields.is_some(), &[FieldType::Object]),
        (
            "undocumented_fields",
            spec.undocumented_fields.is_some(),
            &[FieldType::Object],
        ),
        (
            "at_least_one_of",
            spec.at_least_one_of.is_some(),
            &[FieldType::Object],
        ),
        ("variants", spec.variants.is_some(), &[FieldType::Union]),
        (
            "type_name",
            spec.type_name.is_some(),
            &[FieldType::Enum, FieldType::Object, FieldType::Union],
        ),
    ];
    for (key, present, types) in applies {
        if present && !types.contains(&ty) {
            let for_types = types
                .iter()
                .map(|t| format!("`{}`", t.as_str()))
                .collect::<Vec<_>>()
                .join(", ");
            cx.error(
                &spec.ty,
                format!(
                    "`{key}` does not apply to type `{}`: it is for {for_types}",
                    ty.as_str()
                ),
            );
        }
    }

    let type_name = match &spec.type_name {
        Some(given) if !names::is_pascal_case_identifier(&given.value) => {
            cx.error(
                given,
                format!(
                    "type_name `{}` must be an UpperCamelCase ASCII identifier",
                    given.value
                ),
            );
            default_type_name
        }
        Some(given) => given.value.clone(),
        None => default_type_name,
    };
    let type_at = spec
        .type_name
        .as_ref()
        .map_or_else(|| cx.location(&spec.ty), |given| cx.location(given));

    let shape = match ty {
        FieldType::String => Shape::String,
        FieldType::Integer => Shape::Integer,
        FieldType::Number => Shape::Number,
        FieldType::Boolean => Shape::Boolean,
        FieldType::Date => Shape::Date,
        FieldType::DateTime => Shape::DateTime,
        FieldType::Email => Shape::Email,
        FieldType::Any => Shape::Any,
        FieldType::Shape => {
            let Some(name) = &spec.shape else {
                cx.error(
                    &spec.ty,
                    "type `shape` needs `shape`: the name of a shape under `shapes:` in service.yaml",
                );
                return None;
            };
            lower_shape_use(cx, name)?
        }
        FieldType::Enum => {
            let Some(values) = &spec.values else {
                cx.error(
                    &spec.ty,
                    "type `enum` needs `values`: the list the page gives",
                );
                return None;
            };
            Shape::Enum(lower_enum(cx, spanned, type_name, type_at, values)?)
        }
        FieldType::Array => {
            let Some(items) = &spec.items else {
                cx.error(
                    &spec.ty,
                    "type `array` needs `items`: the type of every item",
                );
                return None;
            };
            let item_shape = lower_shape(cx, items, format!("{type_name}Item"), Role::Item)?;
            if flag(&items.value.nullable) && matches!(item_shape, Shape::Any) {
                cx.error(
                    items,
                    "type `any` already admits null: leave `nullable` out",
                );
            }
            Shape::Array(Box::new(ArrayItems {
                shape: item_shape,
                nullable: flag(&items.value.nullable),
                description: items.value.description.clone(),
                constraints: lower_constraints(cx, items),
            }))
        }
        FieldType::Object => {
            let Some(fields) = &spec.fields else {
                cx.error(
                    &spec.ty,
                    "type `object` needs `fields` (`fields: {}` when the page lists none)",
                );
                return None;
            };
            let Some(undocumented) = &spec.undocumented_fields else {
                cx.error(
                    &spec.ty,
                    "type `object` needs `undocumented_fields: forbid` or `allow`",
                );
                return None;
            };
            let groups = spec.at_least_one_of.as_deref().unwrap_or_default();
            Shape::Object(lower_object(
                cx,
                type_name,
                type_at,
                spec.description.clone(),
                fields,
                undocumented.value,
                groups,
            ))
        }
        FieldType::Union => {
            let Some(variants) = &spec.variants else {
                cx.error(
                    &spec.ty,
                    "type `union` needs `variants`: the types a value may have",
                );
                return None;
            };
            Shape::Union(lower_union(cx, spanned, type_name, type_at, variants)?)
        }
    };
    (cx.diagnostics.len() == start).then_some(shape)
}

pub(super) fn lower_enum(
    cx: &mut Cx<'_>,
    spanned: &Spanned<FieldSpec>,
    rust_name: String,
    at: SourceLocation,
    values: &[Spanned<EnumValueSpec>],
) -> Option<Enumeration> {
    if values.is_empty() {
        cx.error(spanned, "type `enum` needs at least one value");
        return None;
    }
    cx.claim_type_name(&rust_name, at);
    let mut variants: BTreeMap<String, (String, SourceLocation)> = BTreeMap::new();
    let mut lowered = Vec::new();
    for spanned_value in values {
        let value = spanned_value.value.value();
        if let Some(first) = lowered
            .iter()
            .position(|other: &EnumValue| other.wire == value)
        {
            let message = format!(
                "enum value `{value}` is listed twice (first as value {})",
                first + 1
            );
            cx.error(spanned_value, message);
            continue;
        }
        let variant = match spanned_value.value.rust_name() {
            Some(given) if names::is_pascal_case_identifier(given) => given.to_owned(),
            Some(given) => {
                cx.error(
                    spanned_value,
                    format!(
                        "rust_name `{given}` of enum value `{value}` must be an UpperCamelCase ASCII identifier (`Female`)"
                    ),
                );
                continue;
            }
            None => match names::enum_variant_name(value) {
                Some(variant) => variant,
                None => {
                    cx.error(
                        spanned_value,
                        format!(
                            "enum value `{value}` makes no Rust variant name (only letters of the Latin script, with or without diacritics, are transliterated, and the name must start with a letter): write it as `{{value: \"{value}\", rust_name: SomeName}}`"
                        ),
                    );
                    continue;
                }
            },
        };
        if let Some((other, first)) = variants.get(&variant) {
            let message = format!(
                "enum values `{other}` (at {first}) and `{value}` both become Rust variant `{variant}`: give one of them its own name, as in `{{value: \"{value}\", rust_name: {variant}2}}`"
            );
            cx.error(spanned_value, message);
            continue;
        }
        if cx.direction == Direction::Response && variant == UNKNOWN_VALUE_VARIANT {
            cx.error(
                spanned_value,
                format!(
                    "enum value `{value}` would become `{UNKNOWN_VALUE_VARIANT}`, the variant response enums keep unlisted values in: set `rust_name`"
                ),
            );
            continue;
        }
        variants.insert(
            variant.clone(),
            (value.to_owned(), cx.location(spanned_value)),
        );
        lowered.push(EnumValue {
            wire: value.to_owned(),
            rust_variant: variant,
            description: spanned_value.value.description().map(str::to_owned),
        });
    }
    Some(Enumeration {
        rust_name,
        description: spanned.value.description.clone(),
        values: lowered,
        direction: cx.direction,
        shared: false,
        derives_both_directions: false,
        same_as: None,
    })
}

pub(super) fn lower_union(
    cx: &mut Cx<'_>,
    spanned: &Spanned<FieldSpec>,
    rust_name: String,
    at: SourceLocation,
    variants: &[Spanned<FieldSpec>],
) -> Option<Union> {
    if variants.len() < 2 {
        cx.error(spanned, "type `union` needs at least two `variants`");
        return None;
    }
    cx.claim_type_name(&rust_name, at);
    let mut lowered: Vec<UnionVariant> = Vec::new();
    let mut kinds: Vec<FieldType> = Vec::new();
    for variant in variants {
        let kind = variant.value.ty.value;
        if kind == FieldType::Any {
            cx.error(
                variant,
                "a union variant of type `any` matches every value: use type `any` for the field",
            );
            continue;
        }
        // A shared shape counts as the kind it is defined as, and its variant takes its name.
        let (kind, variant_name) = match (kind, &variant.value.shape) {
            (FieldType::Shape, Some(name)) => match cx.shapes.kind_of(&name.value) {
                Some(defined) => (defined, name.value.clone()),
                None => (kind, name.value.clone()),
            },
            _ => (kind, union_variant_name(kind).to_owned()),
        };
        if kinds.contains(&kind) {
            cx.error(
                variant,
                format!("union has two `{}` variants", kind.as_str()),
            );
            continue;
        }
        kinds.push(kind);
        let Some(shape) = lower_shape(
            cx,
            variant,
            format!("{rust_name}{variant_name}"),
            Role::Variant,
        ) else {
            continue;
        };
        if shape.has_constraints() {
            // The schema's `anyOf` would refuse the whole value for a broken limit inside,
            // which the generated type (not checking limits) reads: checker and type disagree.
            cx.error(
                variant,
                "a union variant cannot hold limits (`minimum`, `max_length`, `pattern`, …) anywhere inside it: put them on fields outside the union",
            );
            continue;
        }
        lowered.push(UnionVariant {
            rust_variant: variant_name,
            shape,
            description: variant.value.description.clone(),
        });
    }
    Some(Union {
        rust_name,
        description: spanned.value.description.clone(),
        variants: lowered,
        direction: cx.direction,
        shared: false,
        derives_both_directions: false,
    })
}

pub(super) fn union_variant_name(kind: FieldType) -> &'static str {
    match kind {
        FieldType::String => "String",
        FieldType::Integer => "Integer",
        FieldType::Number => "Number",
        FieldType::Boolean => "Boolean",
        FieldType::Date => "Date",
        FieldType::DateTime => "DateTime",
        FieldType::Email => "Email",
        FieldType::Enum => "Enum",
        FieldType::Array => "Array",
        FieldType::Object => "Object",
        FieldType::Union => "Union",
        FieldType::Any => "Any",
        FieldType::Shape => "Shape",
    }
}
