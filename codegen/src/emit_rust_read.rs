//! An object or union of the model in, the tokens of its hand-written serde impls out: objects
//! that keep unlisted fields are read in one pass through `crate::wire::ReadObject` (serde's
//! `flatten` would buffer every member and turn numbers into `u64` or `f64` unless
//! `arbitrary_precision` is on), unions are read from their exact JSON text and tried in order
//! (serde's `untagged` buffers the same way), and `at_least_one_of` groups are checked on both
//! serde directions.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Direction, Object, Union};

use crate::emit_rust::{ident, shape_type};

/// Which serde direction a group check guards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CheckWhen {
    /// In `Deserialize`, on `value`, failing with `D::Error` (or `A::Error` in a reader).
    Reading(&'static str),
    /// In `Serialize`, on `value`, failing with `S::Error`.
    Writing,
}

/// The `at_least_one_of` checks of `object` on a `value: &Self` (or `Self`) in scope.
pub(crate) fn group_checks(object: &Object, when: CheckWhen) -> TokenStream {
    let type_name = &object.rust_name;
    let checks = object.at_least_one_of.iter().map(|group| {
        let members = group.iter().map(|wire_name| {
            let present = match object.field(wire_name) {
                Some(field) => {
                    let member = ident(&field.rust_name);
                    match (field.required, field.nullable) {
                        (true, false) => quote!(true),
                        (true, true) | (false, false) => quote!(value.#member.is_some()),
                        (false, true) => quote!(matches!(value.#member, Some(Some(_)))),
                    }
                }
                None => quote!(false),
            };
            quote!((#wire_name, #present))
        });
        match when {
            CheckWhen::Reading(error) => {
                let error: TokenStream = error.parse().unwrap_or_default();
                quote! {
                    crate::wire::check_at_least_one_of::<#error>(#type_name, &[#(#members),*])?;
                }
            }
            CheckWhen::Writing => quote! {
                crate::wire::check_at_least_one_of_when_writing::<S::Error>(
                    #type_name,
                    &[#(#members),*],
                )?;
            },
        }
    });
    quote!(#(#checks)*)
}

/// `cfg(feature = "conformance")` on the direction an object does not travel (none for a shared
/// shape used both ways).
fn gate(direction: Direction, both: bool, travels: Direction) -> TokenStream {
    if both || direction == travels {
        quote!()
    } else {
        quote!(#[cfg(feature = "conformance")])
    }
}

/// A `Serialize` impl that refuses a value breaking an `at_least_one_of` group and otherwise
/// writes the derived fields (made inherent by `remote = "Self"`).
pub(crate) fn checked_serialize(object: &Object) -> TokenStream {
    let name = ident(&object.rust_name);
    let checks = group_checks(object, CheckWhen::Writing);
    let gate = gate(
        object.direction,
        object.derives_both_directions,
        Direction::Request,
    );
    quote! {
        #gate
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let value = self;
                #checks
                Self::serialize(value, serializer)
            }
        }
    }
}

/// `ReadObject` and `Deserialize` for an object that keeps unlisted fields.
pub(crate) fn read_object_impls(object: &Object) -> TokenStream {
    let name = ident(&object.rust_name);
    let expecting = format!("struct {}", object.rust_name);
    let wire_names = object.fields.iter().map(|field| field.wire_name.as_str());
    let mut slots = Vec::with_capacity(object.fields.len());
    let mut arms = Vec::with_capacity(object.fields.len());
    let mut members = Vec::with_capacity(object.fields.len());
    for (index, field) in object.fields.iter().enumerate() {
        let position = proc_macro2::Literal::usize_unsuffixed(index);
        let member = ident(&field.rust_name);
        // Slots are numbered: a field may be called `map` or `key`.
        let slot = ident(&format!("listed_{index}"));
        let inner = crate::emit_rust::boxed_if_needed(&field.shape, shape_type(&field.shape));
        let any = matches!(field.shape, crate::model::Shape::Any);
        let read = if field.nullable && !any {
            quote!(Option<#inner>)
        } else {
            quote!(#inner)
        };
        let wire_name = &field.wire_name;
        slots.push(quote!(let mut #slot: Option<#read> = None;));
        arms.push(quote! {
            crate::wire::FieldKey::Listed(#position) => {
                crate::wire::read_member(&mut map, &mut #slot, #wire_name)?
            }
        });
        members.push(if field.required {
            quote!(#member: crate::wire::required_member(#slot, #wire_name)?)
        } else {
            quote!(#member: #slot)
        });
    }
    let unlisted = ident(crate::model::UNLISTED_FIELDS_RUST_NAME);
    let checks = group_checks(object, CheckWhen::Reading("A::Error"));
    let finish = if object.at_least_one_of.is_empty() {
        quote!(Ok(Self { #(#members,)* #unlisted }))
    } else {
        quote! {
            let value = Self { #(#members,)* #unlisted };
            #checks
            Ok(value)
        }
    };
    let gate = gate(
        object.direction,
        object.derives_both_directions,
        Direction::Response,
    );
    quote! {
        #gate
        impl crate::wire::ReadObject for #name {
            const EXPECTING: &'static str = #expecting;
            const FIELDS: &'static [&'static str] = &[#(#wire_names),*];

            fn read<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
                #(#slots)*
                let mut #unlisted = crate::wire::UnlistedFields::new();
                while let Some(key) = map.next_key_seed(crate::wire::FieldKeys(Self::FIELDS))? {
                    match key {
                        #(#arms)*
                        crate::wire::FieldKey::Listed(_) => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                        }
                        crate::wire::FieldKey::Unlisted(name) => {
                            #unlisted.insert(name, map.next_value()?);
                        }
                    }
                }
                #finish
            }
        }
        #gate
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::wire::deserialize_object(deserializer)
            }
        }
    }
}

/// `Deserialize` for a union: the value's exact JSON text, read as each variant in order.
pub(crate) fn union_deserialize(union: &Union) -> TokenStream {
    let name = ident(&union.rust_name);
    let attempts = union.variants.iter().map(|variant| {
        let variant_name = ident(&variant.rust_variant);
        quote! {
            if let Ok(value) = json.parse() {
                return Ok(Self::#variant_name(value));
            }
        }
    });
    let message = format!(
        "data did not match any variant of untagged enum {}",
        union.rust_name
    );
    let gate = gate(
        union.direction,
        union.derives_both_directions,
        Direction::Response,
    );
    quote! {
        #gate
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let json = <crate::wire::Json as serde::Deserialize>::deserialize(deserializer)?;
                #(#attempts)*
                Err(serde::de::Error::custom(#message))
            }
        }
    }
}
