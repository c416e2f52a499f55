//! Exact JSON text for the wire types: JSON in, [`Number`] and [`Json`] holding the exact text
//! read (through `serde_json`'s `raw_value`, or `arbitrary_precision`'s number token when another
//! crate in the build turns it on); [`ReadObject`], the one-pass reader of generated objects, and
//! the writers of their members; the reader of enumerations. Part of `wire.rs`, copied with it
//! into the generated crate.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use serde::de::{self, Unexpected};
use serde::ser;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{Integer, Map, NumberParts, Value, WireError};

// ---------------------------------------------------------------------------------------------
// Exact JSON text: Number and Json
// ---------------------------------------------------------------------------------------------

/// The name under which `serde_json` (feature `raw_value`) hands out a value's raw text: asked
/// for a newtype struct of this name, it visits a one-entry map whose value is the text.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";
/// The key under which `serde_json` with `arbitrary_precision` passes a number's text; seen
/// here only when another crate in the build turns that feature on.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

const EXPECTED_NUMBER: &str = "a JSON number";
const EXPECTED_JSON: &str = "any JSON value";

/// JSON Schema's `number`: a JSON number of any size and precision, kept as its exact text.
///
/// `1.50` stays `1.50`, a 39-digit id keeps every digit and `1E3` is written back as `1E3`.
/// Equality and hashing compare the text, so `1.5` and `1.50` are different values;
/// [`as_f64`](Self::as_f64) gives the nearest `f64` for arithmetic.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Number(String);

impl Number {
    /// The number's exact text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number's exact text.
    pub fn into_string(self) -> String {
        self.0
    }

    /// The nearest `f64`; `None` when the value is beyond `f64`'s range.
    pub fn as_f64(&self) -> Option<f64> {
        self.0.parse::<f64>().ok().filter(|value| value.is_finite())
    }

    /// The value as an `i64`, if it is whole and fits.
    pub fn as_i64(&self) -> Option<i64> {
        Integer::try_from(self.clone()).ok()?.as_i64()
    }

    /// The value as a `u64`, if it is whole and fits.
    pub fn as_u64(&self) -> Option<u64> {
        Integer::try_from(self.clone()).ok()?.as_u64()
    }

    /// The number as a `serde_json` value (exact when `arbitrary_precision` is on, otherwise
    /// as `serde_json` holds numbers).
    pub fn to_value(&self) -> Value {
        serde_json::from_str(&self.0).unwrap_or(Value::Null)
    }
}

impl FromStr for Number {
    type Err = WireError;

    /// Reads a JSON number literal (RFC 8259 grammar, no surrounding whitespace).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match NumberParts::split(text) {
            Some(_) => Ok(Self(text.to_owned())),
            None => Err(WireError::for_str(EXPECTED_NUMBER, text)),
        }
    }
}

macro_rules! number_from_machine_integers {
    ($($machine:ty),*) => {$(
        impl From<$machine> for Number {
            fn from(value: $machine) -> Self {
                Self(value.to_string())
            }
        }
    )*};
}

number_from_machine_integers!(i8, i16, i32, i64, i128, u8, u16, u32, u64, u128);

impl TryFrom<f64> for Number {
    type Error = WireError;

    /// The shortest text that reads back as `value`; fails for NaN and the infinities.
    fn try_from(value: f64) -> Result<Self, Self::Error> {
        if value.is_finite() {
            Ok(Self(format!("{value:?}")))
        } else {
            Err(WireError::new(EXPECTED_NUMBER, format!("{value}")))
        }
    }
}

impl From<serde_json::Number> for Number {
    /// `serde_json`'s text of the number (exact with `arbitrary_precision`).
    fn from(number: serde_json::Number) -> Self {
        Self(number.to_string())
    }
}

impl fmt::Display for Number {
    /// The number's exact text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_raw(&self.0, serializer)
    }
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_newtype_struct(RAW_VALUE_TOKEN, RawTextVisitor { number: true })
            .map(Self)
    }
}

/// Writes `text`, valid JSON, as it is: `serde_json` copies it into the output, and other
/// serializers get the value it denotes.
fn serialize_raw<S: Serializer>(text: &str, serializer: S) -> Result<S::Ok, S::Error> {
    let raw: &serde_json::value::RawValue =
        serde_json::from_str(text).map_err(serde::ser::Error::custom)?;
    raw.serialize(serializer)
}

/// Any JSON value, kept as its exact text: numbers keep their digits, strings their escapes,
/// objects their member order.
///
/// [`to_value`](Self::to_value) gives it as a `serde_json::Value` and [`parse`](Self::parse) as
/// any type. Equality and hashing compare the text.
#[derive(Debug, Clone)]
pub struct Json(Box<serde_json::value::RawValue>);

impl Json {
    /// The exact JSON text.
    pub fn as_str(&self) -> &str {
        self.0.get()
    }

    /// The value read as `T`, with every digit of its numbers available to `T`.
    pub fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.0.get())
    }

    /// The value as a `serde_json` value (exact when `arbitrary_precision` is on, otherwise
    /// as `serde_json` holds numbers).
    pub fn to_value(&self) -> Value {
        self.parse().unwrap_or(Value::Null)
    }

    /// Reads JSON text, which must be one valid JSON value.
    pub fn from_text(text: impl Into<String>) -> Result<Self, serde_json::Error> {
        serde_json::value::RawValue::from_string(text.into()).map(Self)
    }

    /// Any serializable value as JSON text.
    pub fn from_serialize<T: Serialize + ?Sized>(value: &T) -> Result<Self, serde_json::Error> {
        serde_json::value::to_raw_value(value).map(Self)
    }
}

impl PartialEq for Json {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Json {}

impl Hash for Json {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl From<&Value> for Json {
    fn from(value: &Value) -> Self {
        // A `Value` always serializes.
        Self::from_serialize(value).unwrap_or_else(|_| Self::null())
    }
}

impl From<Value> for Json {
    fn from(value: Value) -> Self {
        Self::from(&value)
    }
}

impl Json {
    /// `null`.
    pub fn null() -> Self {
        Self::from_text("null").unwrap_or_else(|_| unreachable!("null is JSON"))
    }
}

impl fmt::Display for Json {
    /// The exact JSON text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = deserializer
            .deserialize_newtype_struct(RAW_VALUE_TOKEN, RawTextVisitor { number: false })?;
        Self::from_text(text).map_err(de::Error::custom)
    }
}

/// The unlisted fields an object keeps, by name, each as its exact JSON text.
pub type UnlistedFields = std::collections::BTreeMap<String, Json>;

/// Reads a value's exact JSON text: from `serde_json`'s raw value (feature `raw_value`, used
/// whenever the deserializer is `serde_json`'s own), from `arbitrary_precision`'s number token,
/// or, from any other deserializer, by rebuilding the text from what it visits. When `number`,
/// only a JSON number is accepted.
struct RawTextVisitor {
    number: bool,
}

impl RawTextVisitor {
    fn accept<E: de::Error>(&self, text: String) -> Result<String, E> {
        if !self.number || NumberParts::split(&text).is_some() {
            return Ok(text);
        }
        let value: Value = serde_json::from_str(&text).map_err(E::custom)?;
        let unexpected = match &value {
            Value::Null => Unexpected::Unit,
            Value::Bool(flag) => Unexpected::Bool(*flag),
            Value::String(s) => Unexpected::Str(s),
            Value::Array(_) => Unexpected::Seq,
            Value::Object(_) => Unexpected::Map,
            Value::Number(_) => Unexpected::Other("number"),
        };
        Err(E::invalid_type(unexpected, self))
    }

    fn rebuilt<E: de::Error>(&self, value: Value) -> Result<String, E> {
        self.accept(value.to_string())
    }
}

impl<'de> de::Visitor<'de> for RawTextVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.number {
            EXPECTED_NUMBER
        } else {
            EXPECTED_JSON
        })
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<String, A::Error> {
        let Some(key) = map.next_key::<String>()? else {
            return self.rebuilt(Value::Object(Map::new()));
        };
        if key == RAW_VALUE_TOKEN || key == NUMBER_TOKEN {
            let text = map.next_value::<String>()?;
            return self.accept(text);
        }
        if self.number {
            return Err(de::Error::invalid_type(Unexpected::Map, &self));
        }
        let mut object = Map::new();
        object.insert(key, map.next_value()?);
        while let Some((key, value)) = map.next_entry::<String, Value>()? {
            object.insert(key, value);
        }
        self.rebuilt(Value::Object(object))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<String, A::Error> {
        if self.number {
            return Err(de::Error::invalid_type(Unexpected::Seq, &self));
        }
        let value = Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
        self.rebuilt(value)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_u128<E: de::Error>(self, value: u128) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_i128<E: de::Error>(self, value: i128) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<String, E> {
        Number::try_from(value)
            .map(Number::into_string)
            .map_err(|_| E::invalid_value(Unexpected::Float(value), &self))
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<String, E> {
        self.rebuilt(Value::Bool(value))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<String, E> {
        if self.number {
            return Err(E::invalid_type(Unexpected::Str(value), &self));
        }
        self.rebuilt(Value::String(value.to_owned()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        self.rebuilt(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<String, E> {
        self.rebuilt(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(self)
    }
}

// ---------------------------------------------------------------------------------------------
// Objects that keep unlisted fields
// ---------------------------------------------------------------------------------------------

/// How a generated object that keeps unlisted fields reads itself from a map, for
/// `crate::wire::deserialize_object`: a single pass over the members, no buffering, so every
/// number reaches its field as its exact text.
#[doc(hidden)]
pub trait ReadObject: Sized {
    /// `struct Name`, for "invalid type" errors.
    const EXPECTING: &'static str;
    /// The listed fields' wire names; a member's position here is its [`FieldKey::Listed`].
    const FIELDS: &'static [&'static str];

    /// Reads the members from `map`.
    fn read<'de, A: de::MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Reads a [`ReadObject`] from a JSON object (an array is refused as "invalid type").
#[doc(hidden)]
pub fn deserialize_object<'de, D: Deserializer<'de>, T: ReadObject>(
    deserializer: D,
) -> Result<T, D::Error> {
    struct ObjectVisitor<T>(std::marker::PhantomData<T>);

    impl<'de, T: ReadObject> de::Visitor<'de> for ObjectVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(T::EXPECTING)
        }

        fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::read(map)
        }
    }

    deserializer.deserialize_map(ObjectVisitor(std::marker::PhantomData))
}

/// A member name: the position of a listed field, or an unlisted name.
#[doc(hidden)]
pub enum FieldKey {
    /// The position in [`ReadObject::FIELDS`].
    Listed(usize),
    /// A name the object does not list.
    Unlisted(String),
}

/// Reads a member name against the listed `fields`, allocating only for unlisted names.
#[doc(hidden)]
pub struct FieldKeys(pub &'static [&'static str]);

impl<'de> de::DeserializeSeed<'de> for FieldKeys {
    type Value = FieldKey;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<FieldKey, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl de::Visitor<'_> for FieldKeys {
    type Value = FieldKey;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<FieldKey, E> {
        Ok(match self.0.iter().position(|listed| *listed == name) {
            Some(index) => FieldKey::Listed(index),
            None => FieldKey::Unlisted(name.to_owned()),
        })
    }
}

/// Reads a listed member's value into `slot`, refusing a member named twice.
#[doc(hidden)]
pub fn read_member<'de, A: de::MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Reads and drops a member's value (one with no slot).
#[doc(hidden)]
pub fn skip_member<'de, A: de::MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<de::IgnoredAny>().map(drop)
}

/// Reads an unlisted member's value into `fields`, as it came: a function rather than a closure
/// in each reader, which would cost every generated object a closure to compile.
#[doc(hidden)]
pub fn read_unlisted<'de, A: de::MapAccess<'de>>(
    map: &mut A,
    fields: &mut UnlistedFields,
    name: String,
) -> Result<(), A::Error> {
    let value = map.next_value()?;
    fields.insert(name, value);
    Ok(())
}

/// A required member's value, or "missing field".
#[doc(hidden)]
pub fn required_member<T, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

// ---------------------------------------------------------------------------------------------
// Writing objects, reading enumerations
// ---------------------------------------------------------------------------------------------

/// Writes a generated object's members as a JSON object, keeping the first error: one plain
/// call a member (no `?` each), so the generated `Serialize` impls compile small.
#[doc(hidden)]
pub struct WriteObject<M: ser::SerializeMap> {
    map: M,
    error: Option<M::Error>,
}

impl<M: ser::SerializeMap> WriteObject<M> {
    /// Starts the object.
    pub fn begin<S: Serializer<SerializeMap = M, Ok = M::Ok, Error = M::Error>>(
        serializer: S,
    ) -> Result<Self, S::Error> {
        Ok(Self {
            map: serializer.serialize_map(None)?,
            error: None,
        })
    }

    /// Writes a member.
    pub fn member<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        if self.error.is_none()
            && let Err(error) = self.map.serialize_entry(name, value)
        {
            self.error = Some(error);
        }
    }

    /// Writes an optional member: nothing when it is absent (`None`).
    pub fn optional<T: Serialize>(&mut self, name: &'static str, value: &Option<T>) {
        if let Some(value) = value {
            self.member(name, value);
        }
    }

    /// Writes the unlisted fields an object kept, after its listed members.
    pub fn unlisted(&mut self, fields: &UnlistedFields) {
        for (name, value) in fields {
            if self.error.is_some() {
                return;
            }
            if let Err(error) = self.map.serialize_entry(name, value) {
                self.error = Some(error);
            }
        }
    }

    /// Ends the object, or gives the first error.
    pub fn end(self) -> Result<M::Ok, M::Error> {
        match self.error {
            Some(error) => Err(error),
            None => self.map.end(),
        }
    }
}

/// Reads an enumeration from a JSON string through its `FromStr`; a string it refuses is an
/// "unknown variant" naming the listed `values`.
#[doc(hidden)]
pub fn deserialize_enum<'de, D: Deserializer<'de>, T: FromStr>(
    deserializer: D,
    values: &'static [&'static str],
) -> Result<T, D::Error> {
    struct EnumVisitor<T>(&'static [&'static str], std::marker::PhantomData<T>);

    impl<T: FromStr> de::Visitor<'_> for EnumVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("one of the enumeration's values, as a string")
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
            text.parse().map_err(|_| E::unknown_variant(text, self.0))
        }
    }

    deserializer.deserialize_str(EnumVisitor(values, std::marker::PhantomData))
}
