//! An object, enumeration or union of the model in, the tokens of its serde impls out, written
//! out rather than derived (a derive costs several times the compile time and memory): objects
//! are read in one pass through `crate::wire::ReadObject` (serde's `flatten` would buffer every
//! member and turn numbers into `u64` or `f64` unless `arbitrary_precision` is on) and written
//! member by member; enumerations go through their wire text; unions are read from their exact
//! JSON text and tried in order (serde's `untagged` buffers the same way); `at_least_one_of`
//! groups are checked on both serde directions. The direction a type does not travel is behind
//! its service's `<service>-both-directions` feature.

use std::cell::RefCell;

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Direction, Enumeration, Object, Service, Union};

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

thread_local! {
    /// The feature that turns on both serde directions for the service being emitted
    /// (`crm-both-directions`). Set for the duration of one file, which is emitted on one thread;
    /// `conformance`, which turns on every service's, when none is set.
    static BOTH_DIRECTIONS_FEATURE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The feature that adds the other serde direction to `service`'s types.
pub(crate) fn both_directions_feature(service: &Service) -> String {
    format!("{}-both-directions", service.id)
}

/// Runs `emit` with `service`'s [`both_directions_feature`] gating the direction a type does not
/// travel.
pub(crate) fn with_service<T>(service: &Service, emit: impl FnOnce() -> T) -> T {
    let feature = both_directions_feature(service);
    let previous = BOTH_DIRECTIONS_FEATURE.with(|slot| slot.replace(Some(feature)));
    let result = emit();
    BOTH_DIRECTIONS_FEATURE.with(|slot| slot.replace(previous));
    result
}

/// `cfg(feature = "<service>-both-directions")` on the direction a type does not travel (none
/// for a shared shape used both ways).
fn gate(direction: Direction, both: bool, travels: Direction) -> TokenStream {
    if both || direction == travels {
        quote!()
    } else {
        let feature = BOTH_DIRECTIONS_FEATURE.with(|slot| {
            slot.borrow()
                .clone()
                .unwrap_or_else(|| "conformance".to_owned())
        });
        quote!(#[cfg(feature = #feature)])
    }
}

/// `Serialize` for an object, written out rather than derived (a derive costs several times the
/// compile time): the `at_least_one_of` checks, so a value the schema would refuse is not sent,
/// then each member under its wire name, in order, an absent optional member left out, and the
/// kept unlisted fields last.
pub(crate) fn serialize_impl(object: &Object) -> TokenStream {
    let name = ident(&object.rust_name);
    let checks = group_checks(object, CheckWhen::Writing);
    let members = object.fields.iter().map(|field| {
        let member = ident(&field.rust_name);
        let wire_name = &field.wire_name;
        if field.required {
            quote!(object.member(#wire_name, &value.#member);)
        } else {
            quote!(object.optional(#wire_name, &value.#member);)
        }
    });
    let unlisted = object.keeps_unlisted_fields().then(|| {
        let unlisted = ident(crate::model::UNLISTED_FIELDS_RUST_NAME);
        quote!(object.unlisted(&value.#unlisted);)
    });
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
                let mut object = crate::wire::WriteObject::begin(serializer)?;
                #(#members)*
                #unlisted
                object.end()
            }
        }
    }
}

/// `ReadObject` and `Deserialize` for an object: one pass over the members of a JSON object (an
/// array is refused), an unlisted member kept or refused as the object says.
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
                crate::wire::read_member(&mut map, &mut #slot, #wire_name)
            }
        });
        members.push(if field.required {
            quote!(#member: crate::wire::required_member(#slot, #wire_name)?)
        } else {
            quote!(#member: #slot)
        });
    }
    let keeps_unlisted = object.keeps_unlisted_fields();
    let unlisted = ident(crate::model::UNLISTED_FIELDS_RUST_NAME);
    let (unlisted_start, unlisted_arm, unlisted_member) = if keeps_unlisted {
        (
            quote!(let mut #unlisted = crate::wire::UnlistedFields::new();),
            quote!(map.next_value().map(|value| {
                #unlisted.insert(name, value);
            })),
            quote!(#unlisted),
        )
    } else {
        (
            quote!(),
            quote!(Err(serde::de::Error::unknown_field(&name, Self::FIELDS))),
            quote!(),
        )
    };
    let checks = group_checks(object, CheckWhen::Reading("A::Error"));
    let finish = if object.at_least_one_of.is_empty() {
        quote!(Ok(Self { #(#members,)* #unlisted_member }))
    } else {
        quote! {
            let value = Self { #(#members,)* #unlisted_member };
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
                #unlisted_start
                while let Some(key) = map.next_key_seed(crate::wire::FieldKeys(Self::FIELDS))? {
                    let read: Result<(), A::Error> = match key {
                        #(#arms)*
                        crate::wire::FieldKey::Listed(_) => {
                            map.next_value::<serde::de::IgnoredAny>().map(drop)
                        }
                        crate::wire::FieldKey::Unlisted(name) => #unlisted_arm,
                    };
                    read?;
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

/// `Serialize` for a union: the variant's value as it is (untagged).
pub(crate) fn union_serialize(union: &Union) -> TokenStream {
    let name = ident(&union.rust_name);
    let arms = union.variants.iter().map(|variant| {
        let variant_name = ident(&variant.rust_variant);
        quote!(Self::#variant_name(value) => serde::Serialize::serialize(value, serializer),)
    });
    let gate = gate(
        union.direction,
        union.derives_both_directions,
        Direction::Request,
    );
    quote! {
        #gate
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#arms)*
                }
            }
        }
    }
}

/// `Serialize` and `Deserialize` for an enumeration: its wire text, through `as_str` and
/// `FromStr` (`emit_rust_api`); a value it does not list is refused as an unknown variant unless
/// the enumeration keeps it.
pub(crate) fn enum_serde_impls(enumeration: &Enumeration) -> TokenStream {
    let name = ident(&enumeration.rust_name);
    let values = enumeration.values.iter().map(|value| value.wire.as_str());
    let serialize_gate = gate(
        enumeration.direction,
        enumeration.derives_both_directions,
        Direction::Request,
    );
    let deserialize_gate = gate(
        enumeration.direction,
        enumeration.derives_both_directions,
        Direction::Response,
    );
    quote! {
        #serialize_gate
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        #deserialize_gate
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::wire::deserialize_enum(deserializer, &[#(#values),*])
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
