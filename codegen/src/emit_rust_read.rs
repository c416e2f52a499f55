//! An object, enumeration or union of the model in, the text of its serde impls out, written
//! out rather than derived (a derive costs several times the compile time and memory), as text
//! (`rust_text`) rather than tokens: objects are read in one pass through
//! `crate::wire::ReadObject` (serde's `flatten` would buffer every member and turn numbers into
//! `u64` or `f64` unless `arbitrary_precision` is on) and written member by member; enumerations
//! go through their wire text; unions are read from their exact JSON text and tried in order
//! (serde's `untagged` buffers the same way); `at_least_one_of` groups are checked on both serde
//! directions. The impls of the direction a type does not travel go to its service's
//! `other_direction` module, which only the `<service>-both-directions` feature compiles (a
//! default build does not even read them).

use crate::model::{Direction, Enumeration, Object, Service, Union};
use crate::rust_text::{RustText, string_literal, type_text};

use crate::emit_rust::shape_type;

/// Which serde direction a group check guards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CheckWhen {
    /// In a reader (`ReadObject::read`), on `value`, failing with `A::Error`.
    Reading,
    /// In `Serialize`, on `value`, failing with `S::Error`.
    Writing,
}

/// The `at_least_one_of` checks of `object` on a `value: &Self` (or `Self`) in scope.
pub(crate) fn group_checks(object: &Object, when: CheckWhen, out: &mut RustText) {
    let type_name = string_literal(&object.rust_name);
    for group in &object.at_least_one_of {
        let members: Vec<String> = group
            .iter()
            .map(|wire_name| {
                let present = match object.field(wire_name) {
                    Some(field) => match (field.required, field.nullable) {
                        (true, false) => "true".to_owned(),
                        (true, true) | (false, false) => {
                            format!("value.{}.is_some()", field.rust_name)
                        }
                        (false, true) => {
                            format!("matches!(value.{}, Some(Some(_)))", field.rust_name)
                        }
                    },
                    None => "false".to_owned(),
                };
                format!("({}, {present})", string_literal(wire_name))
            })
            .collect();
        let function = match when {
            CheckWhen::Reading => "check_at_least_one_of::<A::Error>",
            CheckWhen::Writing => "check_at_least_one_of_when_writing::<S::Error>",
        };
        let one_line = format!(
            "crate::wire::{function}({type_name}, &[{}])?;",
            members.join(", ")
        );
        if out.fits(&one_line) {
            out.line(&one_line);
            continue;
        }
        out.line(&format!("crate::wire::{function}("));
        out.indent();
        out.line(&format!("{type_name},"));
        out.list("&[", &members, "],");
        out.dedent();
        out.line(")?;");
    }
}

/// The feature that adds the other serde direction to `service`'s types: it compiles the
/// service's `other_direction` module.
pub(crate) fn both_directions_feature(service: &Service) -> String {
    format!("{}-both-directions", service.id)
}

/// The name of a service's module that holds the impls of the direction its types do not travel
/// (`src/<service>/other_direction.rs`).
pub(crate) const OTHER_DIRECTION_MODULE: &str = "other_direction";

/// A type's impls, split by serde direction: those of the direction it travels (and every impl
/// that is not serde's) beside it, the others for the service's [`OTHER_DIRECTION_MODULE`], a
/// sibling of the endpoint modules that sees their types through `use super::*`.
#[derive(Debug, Default)]
pub(crate) struct DirectedImpls {
    pub(crate) beside: RustText,
    pub(crate) other_direction: RustText,
}

impl DirectedImpls {
    /// Where the `impl_direction` impl of a type that travels `direction` goes (a shared shape
    /// used both ways, `both`, has both beside it).
    fn sink(
        &mut self,
        direction: Direction,
        both: bool,
        impl_direction: Direction,
    ) -> &mut RustText {
        if both || direction == impl_direction {
            &mut self.beside
        } else {
            &mut self.other_direction
        }
    }
}

/// The opening line of a `Serialize` impl's method.
const SERIALIZE_SIGNATURE: &str =
    "fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>";

/// Opens `fn deserialize` (its parameters on a line of their own, as prettyplease breaks it).
fn open_deserialize(out: &mut RustText) {
    out.line("fn deserialize<D: serde::Deserializer<'de>>(");
    out.line("    deserializer: D,");
    out.open(") -> Result<Self, D::Error>");
}

/// `Serialize` for an object, written out rather than derived (a derive costs several times the
/// compile time): the `at_least_one_of` checks, so a value the schema would refuse is not sent,
/// then each member under its wire name, in order, an absent optional member left out, and the
/// kept unlisted fields last.
pub(crate) fn serialize_impl(object: &Object, impls: &mut DirectedImpls) {
    let out = impls.sink(
        object.direction,
        object.derives_both_directions,
        Direction::Request,
    );
    out.open(&format!("impl serde::Serialize for {}", object.rust_name));
    out.open(SERIALIZE_SIGNATURE);
    if !object.fields.is_empty() || object.keeps_unlisted_fields() {
        out.line("let value = self;");
    }
    group_checks(object, CheckWhen::Writing, out);
    // An object with nothing to write calls no method on the writer: no `mut` to warn about.
    if object.fields.is_empty() && !object.keeps_unlisted_fields() {
        out.line("crate::wire::WriteObject::begin(serializer)?.end()");
        out.close();
        out.close();
        return;
    }
    out.line("let mut object = crate::wire::WriteObject::begin(serializer)?;");
    for field in &object.fields {
        let method = if field.required { "member" } else { "optional" };
        out.list(
            &format!("object.{method}("),
            &[
                string_literal(&field.wire_name),
                format!("&value.{}", field.rust_name),
            ],
            ");",
        );
    }
    if object.keeps_unlisted_fields() {
        out.line(&format!(
            "object.unlisted(&value.{});",
            crate::model::UNLISTED_FIELDS_RUST_NAME
        ));
    }
    out.line("object.end()");
    out.close();
    out.close();
}

/// `ReadObject` and `Deserialize` for an object: one pass over the members of a JSON object (an
/// array is refused), an unlisted member kept or refused as the object says.
pub(crate) fn read_object_impls(object: &Object, impls: &mut DirectedImpls) {
    let unlisted = crate::model::UNLISTED_FIELDS_RUST_NAME;
    let keeps_unlisted = object.keeps_unlisted_fields();
    let out = impls.sink(
        object.direction,
        object.derives_both_directions,
        Direction::Response,
    );
    out.open(&format!(
        "impl crate::wire::ReadObject for {}",
        object.rust_name
    ));
    out.line(&format!(
        "const EXPECTING: &'static str = {};",
        string_literal(&format!("struct {}", object.rust_name))
    ));
    let wire_names: Vec<String> = object
        .fields
        .iter()
        .map(|field| string_literal(&field.wire_name))
        .collect();
    out.list(
        "const FIELDS: &'static [&'static str] = &[",
        &wire_names,
        "];",
    );
    out.open("fn read<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error>");
    // Slots are numbered: a field may be called `map` or `key`.
    for (index, field) in object.fields.iter().enumerate() {
        let inner = crate::emit_rust::boxed_if_needed(&field.shape, shape_type(&field.shape));
        let inner = type_text(&inner);
        let read = if field.null_is_an_option() {
            format!("Option<{inner}>")
        } else {
            inner
        };
        out.line(&format!("let mut listed_{index}: Option<{read}> = None;"));
    }
    if keeps_unlisted {
        out.line(&format!(
            "let mut {unlisted} = crate::wire::UnlistedFields::new();"
        ));
    }
    out.open("while let Some(key) = map.next_key_seed(crate::wire::FieldKeys(Self::FIELDS))?");
    out.open("let read: Result<(), A::Error> = match key");
    for (index, field) in object.fields.iter().enumerate() {
        out.open(&format!("crate::wire::FieldKey::Listed({index}) =>"));
        out.list(
            "crate::wire::read_member(",
            &[
                "&mut map".to_owned(),
                format!("&mut listed_{index}"),
                string_literal(&field.wire_name),
            ],
            ")",
        );
        out.close();
    }
    out.open("crate::wire::FieldKey::Listed(_) =>");
    out.line("crate::wire::skip_member(&mut map)");
    out.close();
    out.open("crate::wire::FieldKey::Unlisted(name) =>");
    if keeps_unlisted {
        out.list(
            "crate::wire::read_unlisted(",
            &[
                "&mut map".to_owned(),
                format!("&mut {unlisted}"),
                "name".to_owned(),
            ],
            ")",
        );
    } else {
        out.line("Err(serde::de::Error::unknown_field(&name, Self::FIELDS))");
    }
    out.close();
    out.close_with(";");
    out.line("read?;");
    out.close();
    let mut members: Vec<String> = object
        .fields
        .iter()
        .enumerate()
        .map(|(index, field)| {
            if field.required {
                format!(
                    "{}: crate::wire::required_member(listed_{index}, {})?,",
                    field.rust_name,
                    string_literal(&field.wire_name)
                )
            } else {
                format!("{}: listed_{index},", field.rust_name)
            }
        })
        .collect();
    if keeps_unlisted {
        members.push(format!("{unlisted},"));
    }
    let checks_needed = !object.at_least_one_of.is_empty();
    // `let value = Self { … };` to check it first, else `Ok(Self { … })`.
    let (head, after_brace) = if checks_needed {
        ("let value = Self", ";")
    } else {
        ("Ok(Self", ")")
    };
    if members.is_empty() {
        out.line(&format!("{head} {{}}{after_brace}"));
    } else {
        out.open(head);
        for member in &members {
            out.line(member);
        }
        out.close_with(after_brace);
    }
    if checks_needed {
        group_checks(object, CheckWhen::Reading, out);
        out.line("Ok(value)");
    }
    out.close();
    out.close();
    out.open(&format!(
        "impl<'de> serde::Deserialize<'de> for {}",
        object.rust_name
    ));
    open_deserialize(out);
    out.line("crate::wire::deserialize_object(deserializer)");
    out.close();
    out.close();
}

/// `Serialize` for a union: the variant's value as it is (untagged).
pub(crate) fn union_serialize(union: &Union, impls: &mut DirectedImpls) {
    let out = impls.sink(
        union.direction,
        union.derives_both_directions,
        Direction::Request,
    );
    out.open(&format!("impl serde::Serialize for {}", union.rust_name));
    out.open(SERIALIZE_SIGNATURE);
    out.open("match self");
    for variant in &union.variants {
        out.line(&format!(
            "Self::{}(value) => serde::Serialize::serialize(value, serializer),",
            variant.rust_variant
        ));
    }
    out.close();
    out.close();
    out.close();
}

/// `Serialize` and `Deserialize` for an enumeration: its wire text, through `as_str` and
/// `FromStr` (`emit_rust_api`); a value it does not list is refused as an unknown variant unless
/// the enumeration keeps it.
pub(crate) fn enum_serde_impls(enumeration: &Enumeration, impls: &mut DirectedImpls) {
    let out = impls.sink(
        enumeration.direction,
        enumeration.derives_both_directions,
        Direction::Request,
    );
    out.open(&format!(
        "impl serde::Serialize for {}",
        enumeration.rust_name
    ));
    out.open(SERIALIZE_SIGNATURE);
    out.line("serializer.serialize_str(self.as_str())");
    out.close();
    out.close();
    let out = impls.sink(
        enumeration.direction,
        enumeration.derives_both_directions,
        Direction::Response,
    );
    out.open(&format!(
        "impl<'de> serde::Deserialize<'de> for {}",
        enumeration.rust_name
    ));
    open_deserialize(out);
    let values: Vec<String> = enumeration
        .values
        .iter()
        .map(|value| string_literal(&value.wire))
        .collect();
    out.list(
        "crate::wire::deserialize_enum(deserializer, &[",
        &values,
        "])",
    );
    out.close();
    out.close();
}

/// `Deserialize` for a union: the value's exact JSON text, read as each variant in order.
pub(crate) fn union_deserialize(union: &Union, impls: &mut DirectedImpls) {
    let out = impls.sink(
        union.direction,
        union.derives_both_directions,
        Direction::Response,
    );
    out.open(&format!(
        "impl<'de> serde::Deserialize<'de> for {}",
        union.rust_name
    ));
    open_deserialize(out);
    out.line("let json = <crate::wire::Json as serde::Deserialize>::deserialize(deserializer)?;");
    for variant in &union.variants {
        out.open("if let Ok(value) = json.parse()");
        out.line(&format!(
            "return Ok(Self::{}(value));",
            variant.rust_variant
        ));
        out.close();
    }
    let message = format!(
        "data did not match any variant of untagged enum {}",
        union.rust_name
    );
    out.list(
        "Err(serde::de::Error::custom(",
        &[string_literal(&message)],
        "))",
    );
    out.close();
    out.close();
}
