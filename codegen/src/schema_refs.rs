//! A published schema document in, the same document with its local `$ref`s to `#/$defs/<Name>`
//! replaced by the definitions out (a reference back into a definition being replaced stays a
//! `$ref`): for readers that compare schemas keyword by keyword, such as the breaking-change
//! diff, where a shared shape must read the same as the same fields written in place.

use serde_json::{Map, Value};

/// The document with every `#/$defs/…` reference written out in place and `$defs` dropped.
pub(crate) fn inline_local_refs(document: &Value) -> Value {
    let Some(definitions) = document.get("$defs").and_then(Value::as_object) else {
        return document.clone();
    };
    let mut stack = Vec::new();
    let mut inlined = inline(document, definitions, &mut stack);
    if let Value::Object(members) = &mut inlined {
        members.shift_remove("$defs");
    }
    inlined
}

fn inline(value: &Value, definitions: &Map<String, Value>, stack: &mut Vec<String>) -> Value {
    match value {
        Value::Object(members) => {
            let target = members
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|reference| reference.strip_prefix("#/$defs/"));
            if let Some(name) = target
                && !stack.iter().any(|entered| entered == name)
                && let Some(Value::Object(definition)) = definitions.get(name)
            {
                stack.push(name.to_owned());
                let mut merged = Map::new();
                for (key, member) in definition {
                    merged.insert(key.clone(), inline(member, definitions, stack));
                }
                stack.pop();
                for (key, member) in members {
                    if key != "$ref" {
                        merged.insert(key.clone(), inline(member, definitions, stack));
                    }
                }
                return Value::Object(merged);
            }
            Value::Object(
                members
                    .iter()
                    .filter(|(key, _)| key.as_str() != "$defs")
                    .map(|(key, member)| (key.clone(), inline(member, definitions, stack)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| inline(item, definitions, stack))
                .collect(),
        ),
        other => other.clone(),
    }
}
