//! One payload's bytes and its body's table in; out, in one pass over the bytes, whether the
//! payload meets every rule of the schema (unlisted members aside) and, when it does, the
//! members the table does not list. Strings are borrowed, nothing is built per value; a few
//! reused stacks hold where the pass is, which fields each open object has had and the unlisted
//! member names of each open object (to find a name given twice).
//!
//! Declined (the caller's full check decides): bytes that are not UTF-8 or not one JSON value;
//! anything breaking the table; a member name given twice in any object, or written with an
//! escape; a `\u` escape of a surrogate not in a pair; nesting deeper than [`DEEPEST_NESTING`]; more JSON values
//! than the caller allows (counted as the caller counts them: one, and one more for each `[`,
//! `{` and `,`); an `integer` written with a fraction or an exponent; a number limit where the
//! value or the bound has an exponent or more than 15 significant digits (`number.rs`); the
//! kind `declined`.

use std::cmp::Ordering;

use super::number::compare_numbers;
use super::{Kind, Limits, ObjectTable, Table, ValueTable};

/// The deepest nesting of arrays and objects the pass follows.
const DEEPEST_NESTING: usize = 64;
/// Objects with at most this many unlisted names compare each pair; more are sorted first.
const FEW_NAMES: usize = 8;

/// A member of an object the table describes, which the table does not list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnlistedMember<'a> {
    /// The object's number in the table ([`super::ObjectTable::id`]).
    pub object: u32,
    /// Whether the object allows unlisted fields.
    pub allowed: bool,
    /// The JSON Pointer of the object holding the member.
    pub object_pointer: String,
    /// The member's name, as written (an escaped name declines the payload).
    pub name: &'a str,
    /// The member's value: its JSON text as it came.
    pub value: &'a str,
}

/// The pass stopped: the full check must decide.
struct Declined;

type Step<T = ()> = Result<T, Declined>;

/// Checks `bytes` against `table` in one pass: `true` when the payload meets every rule of the
/// schema, unlisted members aside (each pushed to `unlisted`, in the payload's order); `false`
/// when it may not, and then nothing is pushed. A payload counted as more than `most_values`
/// JSON values is declined.
pub fn check<'a>(
    table: &Table,
    bytes: &'a [u8],
    most_values: usize,
    unlisted: &mut Vec<UnlistedMember<'a>>,
) -> bool {
    let first_unlisted = unlisted.len();
    let mut scratch = SCRATCH.with(std::cell::Cell::take);
    scratch.path.clear();
    scratch.names.clear();
    scratch.flags.clear();
    let mut scanner = Scanner {
        bytes,
        at: 0,
        depth: 0,
        values: 1,
        most_values,
        scratch,
        unlisted,
    };
    let accepted = scanner.body(&table.root).is_ok();
    if !accepted {
        scanner.unlisted.truncate(first_unlisted);
    }
    SCRATCH.with(|cell| cell.set(scanner.scratch));
    accepted
}

/// The stacks a pass works with, kept between passes on the same thread so that a pass
/// allocates nothing once they have grown.
#[derive(Debug, Default)]
struct Scratch {
    path: Vec<PathStep>,
    /// The unlisted member names of the open objects, innermost last.
    names: Vec<(usize, usize)>,
    /// `SEEN` and `NOT_NULL` of each listed field of the open objects, innermost last.
    flags: Vec<u8>,
}

thread_local! {
    static SCRATCH: std::cell::Cell<Scratch> = std::cell::Cell::new(Scratch::default());
}

/// A step of the way from the body to the value being read.
#[derive(Debug, Clone, Copy)]
enum PathStep {
    /// A member, by its name's span.
    Name(usize, usize),
    /// An item.
    Index(usize),
}

/// A string's content, between its quotes.
#[derive(Debug, Clone, Copy)]
struct StringSpan {
    start: usize,
    end: usize,
    escaped: bool,
}

/// A number's text.
#[derive(Debug, Clone, Copy)]
struct NumberSpan {
    start: usize,
    end: usize,
    /// Digits only, no fraction or exponent.
    plain_integer: bool,
}

/// What a value was, as far as limits care.
#[derive(Debug, Clone, Copy)]
enum Scanned {
    String(StringSpan),
    Number(NumberSpan),
    Array(usize),
    Other,
}

/// A listed field was met.
const SEEN: u8 = 1;
/// A listed field was met with a value other than `null`.
const NOT_NULL: u8 = 2;

struct Scanner<'a, 'u> {
    bytes: &'a [u8],
    at: usize,
    depth: usize,
    values: usize,
    most_values: usize,
    scratch: Scratch,
    unlisted: &'u mut Vec<UnlistedMember<'a>>,
}

impl<'a> Scanner<'a, '_> {
    fn body(&mut self, root: &ObjectTable) -> Step {
        self.skip_space();
        if self.peek()? != b'{' {
            return Err(Declined);
        }
        self.object(root)?;
        self.skip_space();
        if self.at == self.bytes.len() {
            Ok(())
        } else {
            Err(Declined)
        }
    }

    #[inline]
    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    #[inline]
    fn peek(&self) -> Step<u8> {
        self.bytes.get(self.at).copied().ok_or(Declined)
    }

    #[inline]
    fn expect(&mut self, byte: u8) -> Step {
        if self.bytes.get(self.at) == Some(&byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(Declined)
        }
    }

    fn literal(&mut self, word: &[u8]) -> Step {
        if self.bytes.get(self.at..self.at + word.len()) == Some(word) {
            self.at += word.len();
            Ok(())
        } else {
            Err(Declined)
        }
    }

    /// Counts a `[`, `{` or `,`, as the caller's bound counts values.
    fn count(&mut self) -> Step {
        self.values += 1;
        if self.values > self.most_values {
            Err(Declined)
        } else {
            Ok(())
        }
    }

    fn enter(&mut self) -> Step {
        self.depth += 1;
        if self.depth > DEEPEST_NESTING {
            Err(Declined)
        } else {
            Ok(())
        }
    }

    /// The text of a span read already (strings' UTF-8 was checked as they were read).
    fn text_of(&self, start: usize, end: usize) -> Step<&'a str> {
        let bytes: &'a [u8] = self.bytes;
        let span = bytes.get(start..end).ok_or(Declined)?;
        std::str::from_utf8(span).map_err(|_| Declined)
    }

    /// After an item or member: `,` (another follows) or the closing byte (`false`).
    #[inline]
    fn another(&mut self, closing: u8) -> Step<bool> {
        self.skip_space();
        match self.peek()? {
            b',' => {
                self.at += 1;
                self.count()?;
                Ok(true)
            }
            byte if byte == closing => {
                self.at += 1;
                Ok(false)
            }
            _ => Err(Declined),
        }
    }

    /// A value along its table, the space before it skipped.
    #[inline]
    fn value(&mut self, table: &ValueTable) -> Step {
        self.skip_space();
        let first = self.peek()?;
        if first == b'n' {
            self.literal(b"null")?;
            return if table.nullable || accepts_null(&table.kind) {
                Ok(())
            } else {
                Err(Declined)
            };
        }
        let scanned = self.kind_value(&table.kind, first)?;
        self.within_limits(&table.limits, scanned)
    }

    fn kind_value(&mut self, kind: &Kind, first: u8) -> Step<Scanned> {
        match kind {
            Kind::Any => {
                self.skip_value()?;
                Ok(Scanned::Other)
            }
            Kind::Declined => Err(Declined),
            Kind::String | Kind::Date | Kind::DateTime | Kind::Email | Kind::Enum(_) => {
                if first != b'"' {
                    return Err(Declined);
                }
                let string = self.string()?;
                if self.string_is(kind, string)? {
                    Ok(Scanned::String(string))
                } else {
                    Err(Declined)
                }
            }
            Kind::Integer | Kind::Number => {
                let number = self.number()?;
                if matches!(kind, Kind::Integer) && !number.plain_integer {
                    return Err(Declined);
                }
                Ok(Scanned::Number(number))
            }
            Kind::Boolean => {
                self.boolean(first)?;
                Ok(Scanned::Other)
            }
            Kind::Array(items) => {
                if first != b'[' {
                    return Err(Declined);
                }
                Ok(Scanned::Array(self.array(items)?))
            }
            Kind::Object(object) => {
                if first != b'{' {
                    return Err(Declined);
                }
                self.object(object)?;
                Ok(Scanned::Other)
            }
            Kind::Union(variants) => self.union(variants, first),
        }
    }

    /// A value of one of `variants` (the schema's `anyOf`). Strings, numbers and booleans
    /// match any variant of their kind. An array or an object is read along the first variant
    /// of its kind (the one whose unlisted members the full check lists), else taken by an
    /// `any` variant; when that first variant refuses it, the payload is declined.
    fn union(&mut self, variants: &[ValueTable], first: u8) -> Step<Scanned> {
        match first {
            b'"' => {
                let string = self.string()?;
                for variant in variants {
                    let is_string_kind = matches!(
                        variant.kind,
                        Kind::String
                            | Kind::Date
                            | Kind::DateTime
                            | Kind::Email
                            | Kind::Enum(_)
                            | Kind::Any
                    );
                    if is_string_kind
                        && self.string_is(&variant.kind, string)?
                        && self
                            .within_limits(&variant.limits, Scanned::String(string))
                            .is_ok()
                    {
                        return Ok(Scanned::String(string));
                    }
                }
                Err(Declined)
            }
            b'-' | b'0'..=b'9' => {
                let number = self.number()?;
                let matched = variants.iter().any(|variant| {
                    let kind_matches = match variant.kind {
                        Kind::Number | Kind::Any => true,
                        Kind::Integer => number.plain_integer,
                        _ => false,
                    };
                    kind_matches
                        && self
                            .within_limits(&variant.limits, Scanned::Number(number))
                            .is_ok()
                });
                if matched {
                    Ok(Scanned::Number(number))
                } else {
                    Err(Declined)
                }
            }
            b't' | b'f' => {
                self.boolean(first)?;
                let matched = variants.iter().any(|variant| {
                    matches!(variant.kind, Kind::Boolean | Kind::Any)
                });
                if matched {
                    Ok(Scanned::Other)
                } else {
                    Err(Declined)
                }
            }
            b'[' | b'{' => {
                let first_of_kind = variants.iter().find(|variant| match variant.kind {
                    Kind::Array(_) => first == b'[',
                    Kind::Object(_) => first == b'{',
                    _ => false,
                });
                let variant = match first_of_kind {
                    Some(variant) => variant,
                    None => variants
                        .iter()
                        .find(|variant| matches!(variant.kind, Kind::Any))
                        .ok_or(Declined)?,
                };
                let scanned = self.kind_value(&variant.kind, first)?;
                self.within_limits(&variant.limits, scanned)?;
                Ok(scanned)
            }
            _ => Err(Declined),
        }
    }

    fn boolean(&mut self, first: u8) -> Step {
        match first {
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            _ => Err(Declined),
        }
    }

    /// Whether a string read already is of a string kind (`any` takes every string).
    fn string_is(&self, kind: &Kind, string: StringSpan) -> Step<bool> {
        if let Kind::String | Kind::Any = kind {
            return Ok(true);
        }
        let raw = || {
            if string.escaped {
                Err(Declined)
            } else {
                self.text_of(string.start, string.end)
            }
        };
        // Any string and any value returned above; the kinds left are read from the raw text.
        Ok(match kind {
            Kind::Date => crate::wire::is_date(raw()?),
            Kind::DateTime => crate::wire::is_date_time(raw()?),
            Kind::Email => crate::wire::is_email(raw()?),
            Kind::Enum(values) => {
                let raw = raw()?;
                values.iter().any(|value| value == raw)
            }
            _ => false,
        })
    }

    #[inline]
    fn within_limits(&self, limits: &Option<Box<Limits>>, scanned: Scanned) -> Step {
        let Some(limits) = limits else {
            return Ok(());
        };
        let within = match scanned {
            Scanned::String(string) => {
                let length = self.characters(string) as u64;
                limits.min_length.is_none_or(|least| length >= least)
                    && limits.max_length.is_none_or(|most| length <= most)
            }
            Scanned::Number(number) => {
                let value = &self.bytes[number.start..number.end];
                let order = |bound: &Option<String>| match bound {
                    Some(bound) => compare_numbers(value, bound.as_bytes()).map(Some),
                    None => Some(None),
                };
                let minimum = order(&limits.minimum).ok_or(Declined)?;
                let maximum = order(&limits.maximum).ok_or(Declined)?;
                let above = order(&limits.exclusive_minimum).ok_or(Declined)?;
                let below = order(&limits.exclusive_maximum).ok_or(Declined)?;
                minimum.is_none_or(|order| order != Ordering::Less)
                    && maximum.is_none_or(|order| order != Ordering::Greater)
                    && above.is_none_or(|order| order == Ordering::Greater)
                    && below.is_none_or(|order| order == Ordering::Less)
            }
            Scanned::Array(items) => {
                let items = items as u64;
                limits.min_items.is_none_or(|least| items >= least)
                    && limits.max_items.is_none_or(|most| items <= most)
            }
            Scanned::Other => true,
        };
        if within { Ok(()) } else { Err(Declined) }
    }

    /// The characters (Unicode scalar values) of a string read already.
    fn characters(&self, string: StringSpan) -> usize {
        let content = &self.bytes[string.start..string.end];
        if !string.escaped {
            return content.iter().filter(|&&byte| byte & 0xC0 != 0x80).count();
        }
        let mut count = 0;
        let mut index = 0;
        while index < content.len() {
            index += match content[index] {
                // Surrogates come in escaped pairs (a lone one is declined): one character.
                b'\\' if content.get(index + 1) == Some(&b'u') => {
                    match hex_escape(content, index) {
                        Some(0xD800..=0xDBFF) => 12,
                        _ => 6,
                    }
                }
                b'\\' => 2,
                byte if byte & 0xC0 == 0x80 => {
                    index += 1;
                    continue;
                }
                _ => 1,
            };
            count += 1;
        }
        count
    }

    /// A string's content: control characters, bad escapes and bytes that are not UTF-8
    /// decline. (Outside strings only ASCII is read, so the whole payload is UTF-8 when every
    /// string is.) Eight bytes at a time while none is a quote, a backslash or a control
    /// character.
    #[inline]
    fn string(&mut self) -> Step<StringSpan> {
        self.expect(b'"')?;
        let start = self.at;
        let mut escaped = false;
        let mut high_bits = 0_u64;
        loop {
            while let Some(chunk) = self.bytes.get(self.at..self.at + 8) {
                let Ok(eight) = <[u8; 8]>::try_from(chunk) else {
                    break;
                };
                let word = u64::from_le_bytes(eight);
                if has_special_byte(word) {
                    break;
                }
                high_bits |= word;
                self.at += 8;
            }
            let byte = self.peek()?;
            match byte {
                b'"' => {
                    let end = self.at;
                    self.at += 1;
                    if high_bits & HIGH_BITS != 0 {
                        std::str::from_utf8(&self.bytes[start..end]).map_err(|_| Declined)?;
                    }
                    return Ok(StringSpan {
                        start,
                        end,
                        escaped,
                    });
                }
                b'\\' => {
                    escaped = true;
                    self.escape()?;
                }
                0..=0x1F => return Err(Declined),
                _ => {
                    high_bits |= u64::from(byte);
                    self.at += 1;
                }
            }
        }
    }

    fn escape(&mut self) -> Step {
        match self.bytes.get(self.at + 1) {
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                self.at += 2;
                Ok(())
            }
            Some(b'u') => {
                let code = hex_escape(self.bytes, self.at).ok_or(Declined)?;
                self.at += 6;
                match code {
                    // A high surrogate must be followed by an escaped low one: one character.
                    0xD800..=0xDBFF => match hex_escape(self.bytes, self.at) {
                        Some(0xDC00..=0xDFFF) => {
                            self.at += 6;
                            Ok(())
                        }
                        _ => Err(Declined),
                    },
                    0xDC00..=0xDFFF => Err(Declined),
                    _ => Ok(()),
                }
            }
            _ => Err(Declined),
        }
    }

    /// A member name: a string without escapes.
    #[inline]
    fn name(&mut self) -> Step<(usize, usize)> {
        let string = self.string()?;
        if string.escaped {
            Err(Declined)
        } else {
            Ok((string.start, string.end))
        }
    }

    fn number(&mut self) -> Step<NumberSpan> {
        let start = self.at;
        if self.peek()? == b'-' {
            self.at += 1;
        }
        match self.peek()? {
            b'0' => self.at += 1,
            b'1'..=b'9' => self.digits(),
            _ => return Err(Declined),
        }
        let mut plain_integer = true;
        if self.bytes.get(self.at) == Some(&b'.') {
            self.at += 1;
            self.some_digits()?;
            plain_integer = false;
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.at) {
            self.at += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.at) {
                self.at += 1;
            }
            self.some_digits()?;
            plain_integer = false;
        }
        Ok(NumberSpan {
            start,
            end: self.at,
            plain_integer,
        })
    }

    fn digits(&mut self) {
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_digit) {
            self.at += 1;
        }
    }

    fn some_digits(&mut self) -> Step {
        let start = self.at;
        self.digits();
        if self.at > start {
            Ok(())
        } else {
            Err(Declined)
        }
    }

    /// An array along its items' table: how many items it has.
    fn array(&mut self, items: &ValueTable) -> Step<usize> {
        self.expect(b'[')?;
        self.count()?;
        self.enter()?;
        self.skip_space();
        let mut count = 0;
        if self.peek()? == b']' {
            self.at += 1;
        } else {
            loop {
                self.scratch.path.push(PathStep::Index(count));
                self.value(items)?;
                self.scratch.path.pop();
                count += 1;
                if !self.another(b']')? {
                    break;
                }
            }
        }
        self.depth -= 1;
        Ok(count)
    }

    /// An object along its table: listed fields along theirs, unlisted members listed.
    fn object(&mut self, table: &ObjectTable) -> Step {
        self.expect(b'{')?;
        self.count()?;
        self.enter()?;
        let flags_start = self.scratch.flags.len();
        self.scratch.flags.resize(flags_start + table.fields.len(), 0);
        let names_start = self.scratch.names.len();
        let mut expected_next = 0;
        self.skip_space();
        if self.peek()? == b'}' {
            self.at += 1;
        } else {
            loop {
                self.skip_space();
                let (name_start, name_end) = self.name()?;
                self.skip_space();
                self.expect(b':')?;
                self.skip_space();
                let name = &self.bytes[name_start..name_end];
                let listed = match table.fields.get(expected_next) {
                    Some(field) if field.name.as_bytes() == name => Some(expected_next),
                    _ => table
                        .fields
                        .iter()
                        .position(|field| field.name.as_bytes() == name),
                };
                match listed {
                    Some(index) => {
                        let flag = flags_start + index;
                        if self.scratch.flags[flag] & SEEN != 0 {
                            return Err(Declined);
                        }
                        let null = self.peek()? == b'n';
                        self.scratch.flags[flag] = if null { SEEN } else { SEEN | NOT_NULL };
                        expected_next = index + 1;
                        self.scratch.path.push(PathStep::Name(name_start, name_end));
                        self.value(&table.fields[index].value)?;
                        self.scratch.path.pop();
                    }
                    None => {
                        self.scratch.names.push((name_start, name_end));
                        let value_start = self.at;
                        self.skip_value()?;
                        let member = UnlistedMember {
                            object: table.id,
                            allowed: table.unlisted_allowed,
                            object_pointer: self.pointer(),
                            name: self.text_of(name_start, name_end)?,
                            value: self.text_of(value_start, self.at)?,
                        };
                        self.unlisted.push(member);
                    }
                }
                if !self.another(b'}')? {
                    break;
                }
            }
        }
        let flags = &self.scratch.flags[flags_start..];
        let required_met = table
            .fields
            .iter()
            .zip(flags)
            .all(|(field, flag)| !field.required || flag & SEEN != 0);
        let groups_met = table.at_least_one_of.iter().all(|group| {
            group
                .iter()
                .any(|&index| flags.get(index).is_some_and(|flag| flag & NOT_NULL != 0))
        });
        if !required_met || !groups_met {
            return Err(Declined);
        }
        self.scratch.flags.truncate(flags_start);
        self.distinct_names(names_start)?;
        self.depth -= 1;
        Ok(())
    }

    /// Any JSON value, the space before it skipped: read for its syntax and repeated names.
    fn skip_value(&mut self) -> Step {
        self.skip_space();
        match self.peek()? {
            b'"' => self.string().map(drop),
            b'-' | b'0'..=b'9' => self.number().map(drop),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'[' => {
                self.at += 1;
                self.count()?;
                self.enter()?;
                self.skip_space();
                if self.peek()? == b']' {
                    self.at += 1;
                } else {
                    loop {
                        self.skip_value()?;
                        if !self.another(b']')? {
                            break;
                        }
                    }
                }
                self.depth -= 1;
                Ok(())
            }
            b'{' => {
                self.at += 1;
                self.count()?;
                self.enter()?;
                let names_start = self.scratch.names.len();
                self.skip_space();
                if self.peek()? == b'}' {
                    self.at += 1;
                } else {
                    loop {
                        self.skip_space();
                        let name = self.name()?;
                        self.scratch.names.push(name);
                        self.skip_space();
                        self.expect(b':')?;
                        self.skip_value()?;
                        if !self.another(b'}')? {
                            break;
                        }
                    }
                }
                self.distinct_names(names_start)?;
                self.depth -= 1;
                Ok(())
            }
            _ => Err(Declined),
        }
    }

    /// Declines when two of the names from `start` on are the same; forgets them.
    fn distinct_names(&mut self, start: usize) -> Step {
        let bytes = self.bytes;
        let names = &mut self.scratch.names[start..];
        let text = |&(from, to): &(usize, usize)| &bytes[from..to];
        let repeated = if names.len() <= FEW_NAMES {
            names
                .iter()
                .enumerate()
                .any(|(index, name)| names[..index].iter().any(|other| text(other) == text(name)))
        } else {
            names.sort_unstable_by(|a, b| text(a).cmp(text(b)));
            names.windows(2).any(|pair| text(&pair[0]) == text(&pair[1]))
        };
        self.scratch.names.truncate(start);
        if repeated { Err(Declined) } else { Ok(()) }
    }

    /// The JSON Pointer of where the pass is.
    fn pointer(&self) -> String {
        let mut pointer = String::new();
        for step in &self.scratch.path {
            pointer.push('/');
            match *step {
                PathStep::Name(start, end) => {
                    let name = self.bytes.get(start..end).unwrap_or_default();
                    for character in String::from_utf8_lossy(name).chars() {
                        match character {
                            '~' => pointer.push_str("~0"),
                            '/' => pointer.push_str("~1"),
                            _ => pointer.push(character),
                        }
                    }
                }
                PathStep::Index(index) => pointer.push_str(&index.to_string()),
            }
        }
        pointer
    }
}

/// The high bit of each byte of a word.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
/// One in each byte of a word.
const ONES: u64 = 0x0101_0101_0101_0101;

/// Whether a word of eight string bytes holds a `"`, a `\\` or a control character (below
/// 0x20): each test flags a byte with no false alarm for the word as a whole.
fn has_special_byte(word: u64) -> bool {
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH_BITS;
    let quote = has_zero(word ^ (ONES * u64::from(b'"')));
    let backslash = has_zero(word ^ (ONES * u64::from(b'\\')));
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGH_BITS;
    quote | backslash | control != 0
}

/// The code unit of the `\\uXXXX` escape at `at`, if there is one.
fn hex_escape(bytes: &[u8], at: usize) -> Option<u32> {
    let escape = bytes.get(at..at + 6)?;
    if escape[0] != b'\\' || escape[1] != b'u' {
        return None;
    }
    escape[2..].iter().try_fold(0_u32, |code, &digit| {
        Some(code * 16 + char::from(digit).to_digit(16)?)
    })
}

/// Whether a kind takes `null` of itself (an `any` value, or a union with such a variant).
fn accepts_null(kind: &Kind) -> bool {
    match kind {
        Kind::Any => true,
        Kind::Union(variants) => variants
            .iter()
            .any(|variant| variant.nullable || accepts_null(&variant.kind)),
        _ => false,
    }
}
