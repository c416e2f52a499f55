//! One payload's bytes in, its findings out: parsed exactly (never through `f64`), checked
//! against the compiled schema (every violation, not just the first), walked for fields the
//! page does not list, and decoded into the generated type, whose verdict must match.

use codegen::model::{Direction, Object, Shape, UndocumentedFields};
use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

use crate::bounded_findings::BoundedFindings;
use crate::bounds::{MAX_NESTING_DEPTH, nesting_depth, with_stack_for, with_thousands};
use crate::contract::BodyContract;
use crate::finding::{Finding, Rule, Severity};
use crate::shape::{self, child_pointer, exact_text, locate};

/// The result of checking one payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayloadCheck {
    /// Every finding, sorted by pointer and rule.
    pub findings: Vec<Finding>,
    /// Whether the schema accepts the payload.
    pub schema_accepts: bool,
    /// Whether the generated type accepts the payload.
    pub type_accepts: bool,
}

/// Parses a payload exactly: numbers keep every digit. A payload nested deeper than
/// [`MAX_NESTING_DEPTH`] is a `too-deep` finding and is not parsed; up to that depth serde_json's
/// own recursion limit is lifted, and a deeply nested payload is parsed on a deep stack.
pub fn parse_payload(bytes: &[u8]) -> Result<Value, Box<Finding>> {
    with_stack_for(bytes, || parse_payload_here(bytes))
}

/// `parse_payload` on this thread's stack: for callers already on a stack fit for the depth.
fn parse_payload_here(bytes: &[u8]) -> Result<Value, Box<Finding>> {
    if let Some(finding) = too_deep(bytes) {
        return Err(Box::new(finding));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    deserializer.disable_recursion_limit();
    let parsed = serde::Deserialize::deserialize(&mut deserializer)
        .and_then(|value: Value| deserializer.end().map(|()| value));
    parsed.map_err(|error| {
        let shown = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).into_owned();
        let what = if error.is_eof() {
            "the body ends before its JSON does (truncated)"
        } else {
            "the body is not JSON"
        };
        Box::new(
            Finding::error(
                "",
                Rule::NotJson,
                format!(
                    "{what}: {error}{}",
                    if bytes.len() > 200 {
                        " (first 200 bytes shown)"
                    } else {
                        ""
                    }
                ),
            )
            .with_value(Some(exact_text(&Value::String(shown)))),
        )
    })
}

/// The `too-deep` finding of a payload nested deeper than [`MAX_NESTING_DEPTH`], if it is.
pub(crate) fn too_deep(bytes: &[u8]) -> Option<Finding> {
    let depth = nesting_depth(bytes, MAX_NESTING_DEPTH);
    (depth > MAX_NESTING_DEPTH).then(|| {
        Finding::error(
            "",
            Rule::TooDeep,
            format!(
                "the body nests arrays and objects more than {} levels deep, the most this checker reads; it is not checked further",
                with_thousands(MAX_NESTING_DEPTH as u64)
            ),
        )
    })
}

/// The pointer of the first object member whose name repeats an earlier member's, if any.
/// JSON parsers keep the last of the two values (so a schema sees only that one), while the
/// generated types refuse the payload: a repeated name is a defect of its own.
pub fn first_duplicate_key(bytes: &[u8]) -> Option<String> {
    // Without a `{` there is no object, so no member to repeat.
    if !bytes.contains(&b'{') {
        return None;
    }
    if nesting_depth(bytes, MAX_NESTING_DEPTH) > MAX_NESTING_DEPTH {
        return None;
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    deserializer.disable_recursion_limit();
    let mut scan = DuplicateScan {
        path: Vec::new(),
        found: None,
    };
    let _ = serde::de::DeserializeSeed::deserialize(&mut scan, &mut deserializer);
    scan.found
}

/// A step of the way to the value being scanned for repeated names.
#[derive(Debug, Clone)]
enum DuplicateScanStep<'de> {
    Name(std::borrow::Cow<'de, str>),
    Index(usize),
}

/// The scan for a repeated member name: where it is (made into a pointer only when a name
/// repeats), and the first repetition found.
struct DuplicateScan<'de> {
    path: Vec<DuplicateScanStep<'de>>,
    found: Option<String>,
}

impl DuplicateScan<'_> {
    fn pointer_to(&self, name: &str) -> String {
        let mut pointer = String::new();
        for step in &self.path {
            pointer = match step {
                DuplicateScanStep::Name(step) => child_pointer(&pointer, step),
                DuplicateScanStep::Index(index) => format!("{pointer}/{index}"),
            };
        }
        child_pointer(&pointer, name)
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for &mut DuplicateScan<'de> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// A member name, borrowed from the payload when it has no escapes.
struct MemberName<'de>(std::borrow::Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for MemberName<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NameVisitor;
        impl<'de> serde::de::Visitor<'de> for NameVisitor {
            type Value = MemberName<'de>;
            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("a member name")
            }
            fn visit_borrowed_str<E>(self, name: &'de str) -> Result<MemberName<'de>, E> {
                Ok(MemberName(std::borrow::Cow::Borrowed(name)))
            }
            fn visit_str<E>(self, name: &str) -> Result<MemberName<'de>, E> {
                Ok(MemberName(std::borrow::Cow::Owned(name.to_owned())))
            }
        }
        deserializer.deserialize_str(NameVisitor)
    }
}

impl<'de> serde::de::Visitor<'de> for &mut DuplicateScan<'de> {
    type Value = ();
    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut items: A) -> Result<(), A::Error> {
        let mut index = 0usize;
        loop {
            self.path.push(DuplicateScanStep::Index(index));
            let item = items.next_element_seed(&mut *self)?;
            self.path.pop();
            if item.is_none() {
                return Ok(());
            }
            index += 1;
        }
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut members: A) -> Result<(), A::Error> {
        // Few names are compared one by one; past `FEW`, they go into a set.
        const FEW: usize = 16;
        let mut names: Vec<std::borrow::Cow<'de, str>> = Vec::new();
        let mut many: Option<std::collections::HashSet<std::borrow::Cow<'de, str>>> = None;
        while let Some(MemberName(name)) = members.next_key::<MemberName<'de>>()? {
            let repeated = match &mut many {
                Some(set) => !set.insert(name.clone()),
                None => {
                    let repeated = names.contains(&name);
                    names.push(name.clone());
                    if names.len() > FEW {
                        many = Some(names.drain(..).collect());
                    }
                    repeated
                }
            };
            if repeated && self.found.is_none() {
                self.found = Some(self.pointer_to(&name));
            }
            self.path.push(DuplicateScanStep::Name(name));
            members.next_value_seed(&mut *self)?;
            self.path.pop();
        }
        Ok(())
    }
}

/// Checks a payload against a body's contract (on a deep stack when it nests deeply).
pub fn check_payload(contract: &BodyContract, bytes: &[u8]) -> PayloadCheck {
    with_stack_for(bytes, || check_payload_here(contract, bytes))
}

fn check_payload_here(contract: &BodyContract, bytes: &[u8]) -> PayloadCheck {
    let value = match parse_payload_here(bytes) {
        Ok(value) => value,
        Err(finding) => {
            return PayloadCheck {
                findings: vec![finding.with_spec_location(Some(contract.object.location.clone()))],
                schema_accepts: false,
                type_accepts: false,
            };
        }
    };
    check_value(contract, &value, bytes)
}

/// Checks an already parsed payload; `bytes` are its text, for the generated type. Findings are
/// bounded: at most [`crate::bounds::LISTED_FINDINGS_PER_RULE`] of each rule, the rest counted.
/// Call it on a stack fit for the payload's depth ([`with_stack_for`]), as `check_payload` does.
pub fn check_value(contract: &BodyContract, value: &Value, bytes: &[u8]) -> PayloadCheck {
    let mut findings = BoundedFindings::default();
    let mut schema_accepts = true;
    let mut only_lenient = true;
    for error in contract.validator.iter_errors(value) {
        schema_accepts = false;
        let pointer = error.instance_path().to_string();
        if !is_response_leniency(contract, value, &pointer, error.kind()) {
            only_lenient = false;
        }
        schema_findings(contract, value, &pointer, error.kind(), &mut findings);
    }
    undocumented_fields(&contract.object, value, "", &mut findings);
    let duplicate = first_duplicate_key(bytes);
    if let Some(pointer) = &duplicate {
        let name = shape::pointer_tokens(pointer).pop().unwrap_or_default();
        findings.push(
            Finding::error(
                pointer.clone(),
                Rule::DuplicateKey,
                format!(
                    "member `{name}` appears more than once in its object: parsers keep the last value, the generated type refuses the payload"
                ),
            )
            .with_spec_location(Some(locate(&contract.object, value, pointer).spec_location())),
        );
    }

    let type_should_accept = schema_accepts || only_lenient;
    // Contracts built from schemas alone have no type: its verdict is taken to be the one it
    // must give.
    let type_result = match &contract.typed {
        Some(typed) => (typed.decode)(bytes),
        None if type_should_accept => Ok(()),
        None => Err(serde::de::Error::custom("no generated type")),
    };
    let type_accepts = type_result.is_ok();
    // With a member named twice the schema sees only the last value; the type refuses a
    // repeated listed field and keeps the last of a repeated one in an `any` value or an
    // unlisted map. Either is consistent, and the payload is already reported as invalid.
    let comparable = duplicate.is_none() && contract.typed.is_some();
    match type_result {
        _ if !comparable => {}
        Err(error) if type_should_accept => findings.push(Finding::error(
            "",
            Rule::GeneratorDisagreement,
            format!(
                "generator defect: the schema accepts this {} but the generated type `{}` refuses it: {error}",
                contract.direction.as_str(),
                contract.object.rust_name
            ),
        )),
        Ok(()) if !type_should_accept => findings.push(Finding::error(
            "",
            Rule::GeneratorDisagreement,
            format!(
                "generator defect: the generated type `{}` accepts this {}, which the schema refuses",
                contract.object.rust_name,
                contract.direction.as_str()
            ),
        )),
        _ => {}
    }
    PayloadCheck {
        findings: findings.into_sorted_vec(),
        schema_accepts,
        type_accepts,
    }
}

/// Response types keep unknown enum values and unlisted fields on purpose, so a reader does not
/// break on a vendor's new value (so do shared shapes any response uses, wherever they are
/// used); and no generated type checks a field's limits (`minimum`, `max_length`, `pattern`,
/// …), which only the schema enforces: those schema errors alone do not make the type refuse.
fn is_response_leniency(
    contract: &BodyContract,
    value: &Value,
    pointer: &str,
    kind: &ValidationErrorKind,
) -> bool {
    let located = || locate(&contract.object, value, pointer);
    match kind {
        ValidationErrorKind::AdditionalProperties { .. } => match located().object {
            Some(object) => object.keeps_unlisted_fields(),
            None => contract.direction == Direction::Response,
        },
        ValidationErrorKind::Enum { .. } => matches!(
            located().shape,
            Some(Shape::Enum(enumeration)) if enumeration.keeps_unknown_values()
        ),
        ValidationErrorKind::Pattern { .. } => matches!(located().shape, Some(Shape::String)),
        kind => is_limit(kind),
    }
}

/// Whether a schema error is about a field's limits (other than its pattern).
pub fn is_limit(kind: &ValidationErrorKind) -> bool {
    matches!(
        kind,
        ValidationErrorKind::Minimum { .. }
            | ValidationErrorKind::Maximum { .. }
            | ValidationErrorKind::ExclusiveMinimum { .. }
            | ValidationErrorKind::ExclusiveMaximum { .. }
            | ValidationErrorKind::MinLength { .. }
            | ValidationErrorKind::MaxLength { .. }
            | ValidationErrorKind::MinItems { .. }
            | ValidationErrorKind::MaxItems { .. }
            | ValidationErrorKind::UniqueItems
    )
}

fn schema_findings(
    contract: &BodyContract,
    value: &Value,
    pointer: &str,
    kind: &ValidationErrorKind,
    findings: &mut BoundedFindings,
) {
    let located = locate(&contract.object, value, pointer);
    let instance = value.pointer(pointer);
    let name = pointer_name(pointer);
    let value_text = instance.map(exact_text);
    let spec = Some(located.spec_location());
    let finding = |rule: Rule, message: String| {
        Finding::error(pointer, rule, message)
            .with_value(value_text.clone())
            .with_spec_location(spec.clone())
    };
    match kind {
        ValidationErrorKind::Type { .. } => {
            let expected = located
                .shape
                .map(|shape| shape::expected(shape, located.nullable))
                .unwrap_or_else(|| "an object".to_owned());
            let found = instance.map(shape::found).unwrap_or("nothing");
            findings.push(finding(
                Rule::Type,
                format!("{name} must be {expected}, found {found}"),
            ));
        }
        ValidationErrorKind::Required { property } => {
            let property = property.as_str().unwrap_or_default();
            let field_pointer = child_pointer(pointer, property);
            let field_spec = located
                .object
                .and_then(|object| object.field(property))
                .map(|field| field.location.clone());
            findings.push(
                Finding::error(
                    field_pointer,
                    Rule::Required,
                    format!("required field `{property}` is missing"),
                )
                .with_spec_location(field_spec.or(spec.clone())),
            );
        }
        ValidationErrorKind::Pattern { pattern }
            if matches!(located.shape, Some(Shape::String)) =>
        {
            findings.push(finding(
                Rule::Constraint,
                format!("{name} must match the pattern `{pattern}`, found a string that does not"),
            ));
        }
        kind if is_limit(kind) => {
            findings.push(finding(
                Rule::Constraint,
                format!("{name} is outside its limits: {}", describe_limit(kind)),
            ));
        }
        ValidationErrorKind::Format { .. } | ValidationErrorKind::Pattern { .. } => {
            let expected = located
                .shape
                .map(|shape| shape::expected(shape, false))
                .unwrap_or_else(|| "another form".to_owned());
            findings.push(finding(
                Rule::Format,
                format!("{name} must be {expected}, found a string in another form"),
            ));
        }
        ValidationErrorKind::Enum { .. } => {
            let expected = located
                .shape
                .map(|shape| shape::expected(shape, located.nullable))
                .unwrap_or_else(|| "one of the listed values".to_owned());
            findings.push(finding(
                Rule::Enum,
                format!("{name} must be {expected}, found a value the page does not list"),
            ));
        }
        // Unlisted fields are found by walking the payload, for every object alike.
        ValidationErrorKind::AdditionalProperties { .. } => {}
        ValidationErrorKind::AnyOf { .. } => {
            let groups = located
                .object
                .filter(|object| !object.at_least_one_of.is_empty())
                .filter(|_| !matches!(located.shape, Some(Shape::Union(_))));
            match (groups, instance) {
                (Some(object), Some(Value::Object(members))) => {
                    for group in &object.at_least_one_of {
                        let satisfied = group
                            .iter()
                            .any(|name| members.get(name).is_some_and(|member| !member.is_null()));
                        if !satisfied {
                            let names = group
                                .iter()
                                .map(|name| format!("`{name}`"))
                                .collect::<Vec<_>>()
                                .join(", ");
                            findings.push(
                                Finding::error(
                                    pointer,
                                    Rule::AtLeastOneOf,
                                    format!(
                                        "needs at least one of {names}, present and not null; found none"
                                    ),
                                )
                                .with_spec_location(Some(object.location.clone())),
                            );
                        }
                    }
                }
                _ => {
                    let expected = located
                        .shape
                        .map(|shape| shape::expected(shape, located.nullable))
                        .unwrap_or_else(|| "one of the listed types".to_owned());
                    findings.push(finding(
                        Rule::Type,
                        format!("{name} must be {expected}; it matches none of them"),
                    ));
                }
            }
        }
        other => {
            findings.push(finding(
                Rule::Type,
                format!("{name} breaks the schema: {other:?}"),
            ));
        }
    }
}

/// A limit a value breaks, in words: "at least 1", "at most 80 characters".
fn describe_limit(kind: &ValidationErrorKind) -> String {
    match kind {
        ValidationErrorKind::Minimum { limit } => format!("it must be at least {limit}"),
        ValidationErrorKind::Maximum { limit } => format!("it must be at most {limit}"),
        ValidationErrorKind::ExclusiveMinimum { limit } => {
            format!("it must be greater than {limit}")
        }
        ValidationErrorKind::ExclusiveMaximum { limit } => format!("it must be less than {limit}"),
        ValidationErrorKind::MinLength { limit } => {
            format!("it must have at least {limit} characters")
        }
        ValidationErrorKind::MaxLength { limit } => {
            format!("it must have at most {limit} characters")
        }
        ValidationErrorKind::MinItems { limit } => format!("it must have at least {limit} items"),
        ValidationErrorKind::MaxItems { limit } => format!("it must have at most {limit} items"),
        ValidationErrorKind::UniqueItems => "its items must all differ".to_owned(),
        _ => "a limit".to_owned(),
    }
}

/// `/data/tags/0` → "`data/tags/0`"; the whole payload → "the body".
fn pointer_name(pointer: &str) -> String {
    if pointer.is_empty() {
        "the body".to_owned()
    } else {
        format!("`{}`", &pointer[1..])
    }
}

/// Reports every field the page does not list, walking the payload along the model: an error
/// where the spec forbids such fields, a warning where it allows them.
pub fn undocumented_fields(
    object: &Object,
    value: &Value,
    pointer: &str,
    out: &mut BoundedFindings,
) {
    let Value::Object(members) = value else {
        return;
    };
    for (key, member) in members {
        match object.field(key) {
            // Only objects and arrays hold members to walk into.
            Some(_) if !matches!(member, Value::Object(_) | Value::Array(_)) => {}
            Some(field) => walk_shape(&field.shape, member, &child_pointer(pointer, key), out),
            None => out.push(undocumented_field_finding(
                &object.location,
                object.undocumented_fields,
                key,
                member,
                child_pointer(pointer, key),
            )),
        }
    }
}

/// The finding of an unlisted field `key` of the object defined at `location`, whose value is
/// `member`: an error where the spec forbids such fields, a warning where it allows them.
pub(crate) fn undocumented_field_finding(
    location: &codegen::SourceLocation,
    policy: UndocumentedFields,
    key: &str,
    member: &Value,
    member_pointer: String,
) -> Finding {
    let (severity, verdict) = match policy {
        UndocumentedFields::Forbid => (Severity::Error, "the spec forbids unlisted fields"),
        UndocumentedFields::Allow => (Severity::Warning, "let through, as the spec allows"),
    };
    let mut finding = Finding::error(
        member_pointer,
        Rule::UndocumentedField,
        format!("field `{key}` is not listed on the page ({verdict})"),
    )
    .with_value(Some(exact_text(member)))
    .with_spec_location(Some(location.clone()));
    finding.severity = severity;
    finding
}

fn walk_shape(shape: &Shape, value: &Value, pointer: &str, out: &mut BoundedFindings) {
    match (shape, value) {
        (Shape::Object(object), Value::Object(_)) => {
            undocumented_fields(object, value, pointer, out)
        }
        (Shape::Array(items), Value::Array(values)) => {
            for (index, item) in values.iter().enumerate() {
                walk_shape(&items.shape, item, &format!("{pointer}/{index}"), out);
            }
        }
        (Shape::Union(union), _) => {
            let variant = union.variants.iter().find(|variant| {
                matches!(
                    (&variant.shape, value),
                    (Shape::Object(_), Value::Object(_)) | (Shape::Array(_), Value::Array(_))
                )
            });
            if let Some(variant) = variant {
                walk_shape(&variant.shape, value, pointer, out);
            }
        }
        _ => {}
    }
}
