//! A payload's bytes and its body contract in; out, either the payload's findings (when the
//! generated type accepts it and a scan along the model meets nothing but unlisted fields) or
//! `None`, meaning only the full check can tell. No `Value` is built, except for the value of an
//! unlisted field, which its finding quotes.
//!
//! Why the findings are the full check's: the generated type accepts exactly what the schema
//! accepts except that response types keep unlisted fields and unknown enum values (the
//! architecture's invariant, held by the agreement tests). So when the type accepts a payload
//! and the scan finds no unlisted enum value, the schema's only complaints are unlisted fields,
//! which produce no finding of their own, and the findings are exactly the unlisted-field walk's,
//! which the scan produces with the same function (`check::undocumented_fields`). Anything the
//! scan is unsure of (an unlisted enum value, a repeated key anywhere, a value of an unexpected JSON type,
//! a union that may hold a number and an object) sends the payload to the full check, and so
//! does any value with limits (`minimum`, `max_length`, `pattern`, …: the generated types do not
//! enforce them, the schema does) or of a shape met again inside itself.

use std::collections::{HashMap, HashSet};
use std::fmt;

use codegen::model::{Enumeration, Object, Shape};
use serde::Deserialize as _;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::bounded_findings::BoundedFindings;
use crate::bounds::{SHALLOW_NESTING_DEPTH, nesting_depth};
use crate::check::undocumented_fields;
use crate::contract::BodyContract;
use crate::finding::Finding;
use crate::shape::child_pointer;

/// A body's model prepared for scanning: per object, its fields by wire name.
#[derive(Debug)]
pub struct ScanPlan<'m> {
    root: ObjectPlan<'m>,
}

impl<'m> ScanPlan<'m> {
    /// The plan of a body whose model is `object`.
    pub fn new(object: &'m Object) -> ScanPlan<'m> {
        ScanPlan {
            root: ObjectPlan::new(object),
        }
    }
}

#[derive(Debug)]
enum ScanNode<'m> {
    /// Nothing to look at inside (scalars): skipped without building anything.
    Skip,
    /// An `any` value: kept as JSON by the type, so only a repeated member inside matters.
    AnyValue,
    Object(ObjectPlan<'m>),
    Array(Box<ScanNode<'m>>),
    Enum(&'m Enumeration),
    Union(UnionPlan<'m>),
    /// A value with limits only the schema checks, or a recursive shape: the full check decides.
    FullCheck,
}

impl<'m> ScanNode<'m> {
    fn new(shape: &'m Shape) -> ScanNode<'m> {
        match shape {
            Shape::Object(object) => ScanNode::Object(ObjectPlan::new(object)),
            Shape::Array(items) if !items.constraints.is_empty() => {
                ScanNode::Array(Box::new(ScanNode::FullCheck))
            }
            Shape::Array(items) => ScanNode::Array(Box::new(ScanNode::new(&items.shape))),
            Shape::Recursive(_) => ScanNode::FullCheck,
            Shape::Enum(enumeration) => ScanNode::Enum(enumeration),
            Shape::Union(union) => {
                let variants: Vec<&Shape> = union
                    .variants
                    .iter()
                    .map(|variant| &variant.shape)
                    .collect();
                let object = variants.iter().find_map(|shape| match shape {
                    Shape::Object(object) => Some(ObjectPlan::new(object)),
                    _ => None,
                });
                let array = variants.iter().find_map(|shape| match shape {
                    Shape::Array(items) => Some(Box::new(ScanNode::new(&items.shape))),
                    _ => None,
                });
                let enumerations: Vec<&Enumeration> = variants
                    .iter()
                    .filter_map(|shape| match shape {
                        Shape::Enum(enumeration) => Some(enumeration),
                        _ => None,
                    })
                    .collect();
                // With exact numbers, serde_json hands a number to `deserialize_any` as a map:
                // a union that may hold both cannot tell them apart without a `Value`.
                let number_or_any = variants
                    .iter()
                    .any(|shape| matches!(shape, Shape::Number | Shape::Integer | Shape::Any));
                ScanNode::Union(UnionPlan {
                    always_full_check: object.is_some() && number_or_any,
                    object,
                    array,
                    enumerations,
                })
            }
            Shape::String
            | Shape::Integer
            | Shape::Number
            | Shape::Boolean
            | Shape::Date
            | Shape::DateTime
            | Shape::Email => ScanNode::Skip,
            Shape::Any => ScanNode::AnyValue,
        }
    }
}

#[derive(Debug)]
struct ObjectPlan<'m> {
    object: &'m Object,
    fields: Vec<(&'m str, ScanNode<'m>)>,
    index_by_wire_name: HashMap<&'m str, usize>,
}

impl<'m> ObjectPlan<'m> {
    fn new(object: &'m Object) -> ObjectPlan<'m> {
        let fields: Vec<(&'m str, ScanNode<'m>)> = object
            .fields
            .iter()
            .map(|field| {
                let node = if field.constraints.is_empty() {
                    ScanNode::new(&field.shape)
                } else {
                    ScanNode::FullCheck
                };
                (field.wire_name.as_str(), node)
            })
            .collect();
        let index_by_wire_name = fields
            .iter()
            .enumerate()
            .map(|(index, (name, _))| (*name, index))
            .collect();
        ObjectPlan {
            object,
            fields,
            index_by_wire_name,
        }
    }

    /// The index of the field `name`, trying `expected_next` first (payloads usually list
    /// fields in the page's order).
    fn field_index(&self, name: &str, expected_next: usize) -> Option<usize> {
        match self.fields.get(expected_next) {
            Some((wire_name, _)) if *wire_name == name => Some(expected_next),
            _ => self.index_by_wire_name.get(name).copied(),
        }
    }
}

#[derive(Debug)]
struct UnionPlan<'m> {
    object: Option<ObjectPlan<'m>>,
    array: Option<Box<ScanNode<'m>>>,
    enumerations: Vec<&'m Enumeration>,
    always_full_check: bool,
}

/// Checks a payload the fast way: `Some(findings)` (identical to the full check's) when the
/// generated type accepts it and the scan can vouch for it, `None` when only the full check can
/// tell.
pub fn fast_check_payload(
    contract: &BodyContract,
    plan: &ScanPlan<'_>,
    bytes: &[u8],
) -> Option<Vec<Finding>> {
    // Deep payloads take the full check, which parses them on a deep stack.
    if nesting_depth(bytes, SHALLOW_NESTING_DEPTH) > SHALLOW_NESTING_DEPTH {
        return None;
    }
    let mut findings = BoundedFindings::default();
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let root = PathLink {
        parent: None,
        token: None,
    };
    let walked = deserializer.deserialize_map(ObjectVisitor {
        plan: &plan.root,
        path: &root,
        out: &mut findings,
    });
    walked.ok()?;
    deserializer.end().ok()?;
    (contract.typed.as_ref()?.decode)(bytes).ok()?;
    Some(findings.into_sorted_vec())
}

/// A member name's hash, the same in every run.
fn name_hash(name: &str) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    std::hash::Hash::hash(name, &mut hasher);
    std::hash::Hasher::finish(&hasher)
}

/// The error that ends a scan: the full check must decide.
fn needs_full_check<E: de::Error>() -> E {
    E::custom("the full check must decide")
}

#[derive(Debug, Clone, Copy)]
enum PathToken<'a> {
    Key(&'a str),
    Index(usize),
}

/// Where the scan is, as a chain to the root; made into a JSON Pointer only for a finding.
struct PathLink<'a> {
    parent: Option<&'a PathLink<'a>>,
    token: Option<PathToken<'a>>,
}

impl PathLink<'_> {
    fn pointer(&self) -> String {
        let mut tokens = Vec::new();
        let mut link = Some(self);
        while let Some(current) = link {
            if let Some(token) = current.token {
                tokens.push(token);
            }
            link = current.parent;
        }
        let mut pointer = String::new();
        for token in tokens.into_iter().rev() {
            pointer = match token {
                PathToken::Key(key) => child_pointer(&pointer, key),
                PathToken::Index(index) => format!("{pointer}/{index}"),
            };
        }
        pointer
    }
}

/// A member name, borrowed from the payload when it has no escapes.
enum KeyText<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl KeyText<'_> {
    fn as_str(&self) -> &str {
        match self {
            KeyText::Borrowed(text) => text,
            KeyText::Owned(text) => text,
        }
    }
}

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = KeyText<'de>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<KeyText<'de>, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = KeyText<'de>;
    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a member name")
    }
    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<KeyText<'de>, E> {
        Ok(KeyText::Borrowed(text))
    }
    fn visit_str<E: de::Error>(self, text: &str) -> Result<KeyText<'de>, E> {
        Ok(KeyText::Owned(text.to_owned()))
    }
    fn visit_string<E: de::Error>(self, text: String) -> Result<KeyText<'de>, E> {
        Ok(KeyText::Owned(text))
    }
}

/// Scans one value along a node of the plan.
struct NodeSeed<'s, 'm> {
    node: &'s ScanNode<'m>,
    path: &'s PathLink<'s>,
    out: &'s mut BoundedFindings,
}

impl<'de> DeserializeSeed<'de> for NodeSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        match self.node {
            ScanNode::Skip => IgnoredAny::deserialize(deserializer).map(drop),
            ScanNode::FullCheck => Err(needs_full_check()),
            _ => deserializer.deserialize_option(OptionVisitor {
                node: self.node,
                path: self.path,
                out: self.out,
            }),
        }
    }
}

/// `null` has nothing inside; anything else is scanned along the node.
struct OptionVisitor<'s, 'm> {
    node: &'s ScanNode<'m>,
    path: &'s PathLink<'s>,
    out: &'s mut BoundedFindings,
}

impl<'de> Visitor<'de> for OptionVisitor<'_, '_> {
    type Value = ();
    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a value")
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        match self.node {
            ScanNode::FullCheck => Err(needs_full_check()),
            ScanNode::Skip => IgnoredAny::deserialize(deserializer).map(drop),
            ScanNode::AnyValue => {
                let raw = Box::<serde_json::value::RawValue>::deserialize(deserializer)?;
                if crate::check::first_duplicate_key(raw.get().as_bytes()).is_some() {
                    return Err(needs_full_check());
                }
                Ok(())
            }
            ScanNode::Object(plan) => deserializer.deserialize_map(ObjectVisitor {
                plan,
                path: self.path,
                out: self.out,
            }),
            ScanNode::Array(items) => deserializer.deserialize_seq(ArrayVisitor {
                items,
                path: self.path,
                out: self.out,
            }),
            ScanNode::Enum(enumeration) => deserializer.deserialize_str(EnumVisitor {
                enumerations: std::slice::from_ref(enumeration),
            }),
            ScanNode::Union(plan) => {
                if plan.always_full_check {
                    return Err(needs_full_check());
                }
                deserializer.deserialize_any(UnionVisitor {
                    plan,
                    path: self.path,
                    out: self.out,
                })
            }
        }
    }
}

struct ObjectVisitor<'s, 'm> {
    plan: &'s ObjectPlan<'m>,
    path: &'s PathLink<'s>,
    out: &'s mut BoundedFindings,
}

impl<'de> Visitor<'de> for ObjectVisitor<'_, '_> {
    type Value = ();
    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        scan_object_members(self.plan, self.path, self.out, map)
    }
}

fn scan_object_members<'de, A: MapAccess<'de>>(
    plan: &ObjectPlan<'_>,
    path: &PathLink<'_>,
    out: &mut BoundedFindings,
    mut map: A,
) -> Result<(), A::Error> {
    let mut seen_fields = vec![false; plan.fields.len()];
    // Hashes of the unlisted names seen: a repeat (or a collision) leaves it to the full check.
    let mut seen_unlisted: HashSet<u64> = HashSet::new();
    let mut expected_next = 0;
    while let Some(key) = map.next_key_seed(KeySeed)? {
        let name = key.as_str();
        match plan.field_index(name, expected_next) {
            Some(index) => {
                if std::mem::replace(&mut seen_fields[index], true) {
                    return Err(needs_full_check());
                }
                expected_next = index + 1;
                let link = PathLink {
                    parent: Some(path),
                    token: Some(PathToken::Key(name)),
                };
                map.next_value_seed(NodeSeed {
                    node: &plan.fields[index].1,
                    path: &link,
                    out: &mut *out,
                })?;
            }
            None => {
                if !seen_unlisted.insert(name_hash(name)) {
                    return Err(needs_full_check());
                }
                // A member named twice inside the value would be lost in a `Value`.
                let raw: Box<serde_json::value::RawValue> = map.next_value()?;
                if crate::check::first_duplicate_key(raw.get().as_bytes()).is_some() {
                    return Err(needs_full_check());
                }
                let value: Value =
                    serde_json::from_str(raw.get()).map_err(|_| needs_full_check::<A::Error>())?;
                let mut single_member = Map::new();
                single_member.insert(name.to_owned(), value);
                undocumented_fields(
                    plan.object,
                    &Value::Object(single_member),
                    &path.pointer(),
                    out,
                );
            }
        }
    }
    Ok(())
}

struct ArrayVisitor<'s, 'm> {
    items: &'s ScanNode<'m>,
    path: &'s PathLink<'s>,
    out: &'s mut BoundedFindings,
}

impl<'de> Visitor<'de> for ArrayVisitor<'_, '_> {
    type Value = ();
    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a list")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        scan_array_items(self.items, self.path, self.out, seq)
    }
}

fn scan_array_items<'de, A: SeqAccess<'de>>(
    items: &ScanNode<'_>,
    path: &PathLink<'_>,
    out: &mut BoundedFindings,
    mut seq: A,
) -> Result<(), A::Error> {
    let mut index = 0;
    loop {
        let link = PathLink {
            parent: Some(path),
            token: Some(PathToken::Index(index)),
        };
        let seed = NodeSeed {
            node: items,
            path: &link,
            out: &mut *out,
        };
        if seq.next_element_seed(seed)?.is_none() {
            return Ok(());
        }
        index += 1;
    }
}

/// A string that must be one of the listed values of one of `enumerations`.
struct EnumVisitor<'s, 'm> {
    enumerations: &'s [&'m Enumeration],
}

impl EnumVisitor<'_, '_> {
    fn listed<E: de::Error>(&self, text: &str) -> Result<(), E> {
        let listed = self
            .enumerations
            .iter()
            .any(|enumeration| enumeration.values.iter().any(|value| value.wire == text));
        if listed {
            Ok(())
        } else {
            Err(needs_full_check())
        }
    }
}

impl<'de> Visitor<'de> for EnumVisitor<'_, '_> {
    type Value = ();
    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a listed value")
    }
    fn visit_str<E: de::Error>(self, text: &str) -> Result<(), E> {
        self.listed(text)
    }
}

struct UnionVisitor<'s, 'm> {
    plan: &'s UnionPlan<'m>,
    path: &'s PathLink<'s>,
    out: &'s mut BoundedFindings,
}

impl<'de> Visitor<'de> for UnionVisitor<'_, '_> {
    type Value = ();
    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a value of the union")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        match &self.plan.object {
            Some(object) => scan_object_members(object, self.path, self.out, map),
            None => {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(())
            }
        }
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        match &self.plan.array {
            Some(items) => scan_array_items(items, self.path, self.out, seq),
            None => {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(())
            }
        }
    }
    fn visit_str<E: de::Error>(self, text: &str) -> Result<(), E> {
        if self.plan.enumerations.is_empty() {
            Ok(())
        } else {
            EnumVisitor {
                enumerations: &self.plan.enumerations,
            }
            .listed(text)
        }
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}
