//! Pieces of JSON already rendered (two-space indented, as `serde_json::to_string_pretty` writes
//! a value at the top level) in, one larger document out, byte for byte what rendering the whole
//! value at once writes: a service's OpenAPI document is put together from its endpoints' parts,
//! each rendered on its own (in parallel, and the body schemas once for their own files and the
//! document alike), without ever holding the whole document as a `serde_json::Value`.
//!
//! Pretty JSON never holds a raw line break inside a string (it escapes them), so every line
//! break in a rendered piece is layout: placing a piece one level deeper indents each of its
//! lines after the first by two more spaces, which is what the pretty printer does with it.

use std::collections::HashMap;

/// The indentation of one nesting level.
const INDENT: &str = "  ";

/// `value` rendered as the pretty printer renders it at the top level.
pub(crate) fn pretty(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// The members of one JSON object, each value already rendered, in insertion order; a key
/// inserted again keeps its place and takes the new value, as in an order-preserving map.
#[derive(Debug)]
pub(crate) struct ObjectText<V> {
    members: Vec<(String, V)>,
    places: HashMap<String, usize>,
}

impl<V> Default for ObjectText<V> {
    fn default() -> Self {
        ObjectText {
            members: Vec::new(),
            places: HashMap::new(),
        }
    }
}

impl<V> ObjectText<V> {
    /// Sets `key` to `value`: at the end for a new key, in place for a known one.
    pub(crate) fn insert(&mut self, key: String, value: V) {
        match self.places.get(&key) {
            Some(&place) => self.members[place].1 = value,
            None => {
                self.places.insert(key.clone(), self.members.len());
                self.members.push((key, value));
            }
        }
    }

    /// The value of `key`, inserted empty (`V::default()`) at the end when it is new.
    pub(crate) fn entry(&mut self, key: &str) -> &mut V
    where
        V: Default,
    {
        let place = match self.places.get(key) {
            Some(&place) => place,
            None => {
                self.places.insert(key.to_owned(), self.members.len());
                self.members.push((key.to_owned(), V::default()));
                self.members.len() - 1
            }
        };
        &mut self.members[place].1
    }

    /// The values, in order.
    pub(crate) fn values(&self) -> impl Iterator<Item = &V> {
        self.members.iter().map(|(_, value)| value)
    }

    /// Writes the object at nesting level `depth` (0 for a document's top level), each member's
    /// value written by `write_value` (given `out` and the member's own level).
    pub(crate) fn write(
        &self,
        out: &mut String,
        depth: usize,
        mut write_value: impl FnMut(&mut String, usize, &V),
    ) {
        out.push('{');
        for (index, (key, value)) in self.members.iter().enumerate() {
            out.push_str(if index == 0 { "\n" } else { ",\n" });
            push_indent(out, depth + 1);
            out.push_str(&serde_json::to_string(key).unwrap_or_default());
            out.push_str(": ");
            write_value(out, depth + 1, value);
        }
        if !self.members.is_empty() {
            out.push('\n');
            push_indent(out, depth);
        }
        out.push('}');
    }
}

/// Writes `rendered` (a piece rendered at the top level) where a value at nesting level
/// `depth` goes: every line after the first indented `depth` levels more.
pub(crate) fn push_at_depth(out: &mut String, depth: usize, rendered: &str) {
    let mut lines = rendered.split('\n');
    if let Some(first) = lines.next() {
        out.push_str(first);
    }
    for line in lines {
        out.push('\n');
        push_indent(out, depth);
        out.push_str(line);
    }
}

fn push_indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str(INDENT);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A nested document put together from pieces equals the same document rendered whole.
    #[test]
    fn pieces_put_together_render_as_the_whole() {
        let inner = json!({"type": "object", "properties": {"a": {"enum": ["x\ny", 1]}}, "empty": {}, "list": []});
        let whole = json!({
            "head": "1\n2",
            "paths": {"/a": {"get": inner.clone(), "post": []}, "/b": {}},
            "empty": {},
        });
        let mut paths: ObjectText<ObjectText<String>> = ObjectText::default();
        paths.entry("/a").insert("get".to_owned(), pretty(&inner));
        paths
            .entry("/a")
            .insert("post".to_owned(), pretty(&json!([])));
        paths.entry("/b");
        let mut document: ObjectText<String> = ObjectText::default();
        document.insert("head".to_owned(), pretty(&json!("1\n2")));
        document.insert("paths".to_owned(), String::new());
        document.insert("empty".to_owned(), pretty(&json!({})));
        let mut out = String::new();
        document.write(&mut out, 0, |out, depth, value| {
            if value.is_empty() {
                paths.write(out, depth, |out, depth, item| {
                    item.write(out, depth, |out, depth, text| {
                        push_at_depth(out, depth, text);
                    });
                });
            } else {
                push_at_depth(out, depth, value);
            }
        });
        assert_eq!(out, pretty(&whole));
    }

    #[test]
    fn a_key_inserted_again_keeps_its_place() {
        let mut object: ObjectText<String> = ObjectText::default();
        object.insert("b".to_owned(), "1".to_owned());
        object.insert("a".to_owned(), "2".to_owned());
        object.insert("b".to_owned(), "3".to_owned());
        let mut out = String::new();
        object.write(&mut out, 0, |out, depth, text| {
            push_at_depth(out, depth, text)
        });
        assert_eq!(out, pretty(&json!({"b": 3, "a": 2})));
    }
}
