//! Lines of Rust in, formatted source text out: the impls the generator writes most (several per
//! object, one or two per enumeration) are written straight as text, laid out the way
//! prettyplease lays out the rest of the file, rather than built as tokens, parsed by syn and
//! printed again (that round trip was most of `gen`'s time).

/// The width prettyplease fills before it breaks a list over lines.
const LINE_WIDTH: usize = 100;

/// Rust source being written, one line at a time, four spaces an indentation level.
#[derive(Debug, Default)]
pub(crate) struct RustText {
    text: String,
    depth: usize,
}

impl RustText {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// One line at the current indentation.
    pub(crate) fn line(&mut self, line: &str) {
        for _ in 0..self.depth {
            self.text.push_str("    ");
        }
        self.text.push_str(line);
        self.text.push('\n');
    }

    /// `head {`, and what follows one level deeper.
    pub(crate) fn open(&mut self, head: &str) {
        self.line(&format!("{head} {{"));
        self.indent();
    }

    /// Whether `line` fits in [`LINE_WIDTH`] columns at the current indentation (counted in
    /// bytes, as prettyplease counts them).
    pub(crate) fn fits(&self, line: &str) -> bool {
        self.depth * 4 + line.len() <= LINE_WIDTH
    }

    /// `text` as doc comment lines: `/// line` each, or `#[doc = "…"]` for a line holding a
    /// control character (a carriage return, say), which a `///` comment cannot.
    pub(crate) fn doc(&mut self, text: &str) {
        for line in text.split('\n') {
            if line.chars().any(char::is_control) {
                self.line(&format!("#[doc = {}]", string_literal(&format!(" {line}"))));
            } else if line.is_empty() {
                self.line("///");
            } else {
                self.line(&format!("/// {line}"));
            }
        }
    }

    /// What follows one level deeper.
    pub(crate) fn indent(&mut self) {
        self.depth += 1;
    }

    /// What follows one level shallower.
    pub(crate) fn dedent(&mut self) {
        debug_assert!(self.depth > 0, "a close or dedent without its open");
        self.depth = self.depth.saturating_sub(1);
    }

    /// Back one level, then `}` followed by `tail` (`,`, `)`, `;` or nothing).
    pub(crate) fn close_with(&mut self, tail: &str) {
        self.dedent();
        self.line(&format!("}}{tail}"));
    }

    /// Back one level, then `}`.
    pub(crate) fn close(&mut self) {
        self.close_with("");
    }

    /// `head`, the items separated by commas and `tail` on one line when that fits in
    /// [`LINE_WIDTH`] columns (as prettyplease keeps it); otherwise `head`, one item a line with
    /// a trailing comma, and `tail`. `head` ends with the opening bracket, `tail` starts with
    /// the closing one.
    pub(crate) fn list(&mut self, head: &str, items: &[String], tail: &str) {
        let separators = 2 * items.len().saturating_sub(1);
        let width = self.depth * 4
            + head.len()
            + tail.len()
            + separators
            + items.iter().map(String::len).sum::<usize>();
        if width <= LINE_WIDTH || items.is_empty() {
            self.line(&format!("{head}{}{tail}", items.join(", ")));
            return;
        }
        self.line(head);
        self.indent();
        for item in items {
            self.line(&format!("{item},"));
        }
        self.dedent();
        self.line(tail);
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub(crate) fn into_string(self) -> String {
        debug_assert_eq!(self.depth, 0, "an open without its close");
        self.text
    }
}

/// `text` as a Rust string literal, escaped exactly as `quote!` escapes it.
pub(crate) fn string_literal(text: &str) -> String {
    proc_macro2::Literal::string(text).to_string()
}

/// A type the generator built (a path with angle-bracketed arguments: `Option<Vec<String>>`,
/// `super::shared_shapes::Address`) as prettyplease prints it.
pub(crate) fn type_text(ty: &syn::Type) -> String {
    let mut out = String::new();
    write_type(ty, &mut out);
    out
}

fn write_type(ty: &syn::Type, out: &mut String) {
    let syn::Type::Path(path) = ty else {
        out.push_str(&tokens_text(ty));
        return;
    };
    if !is_plain_path(path) {
        out.push_str(&tokens_text(ty));
        return;
    }
    if path.path.leading_colon.is_some() {
        out.push_str("::");
    }
    for (index, segment) in path.path.segments.iter().enumerate() {
        if index > 0 {
            out.push_str("::");
        }
        out.push_str(&segment.ident.to_string());
        if let syn::PathArguments::AngleBracketed(arguments) = &segment.arguments {
            out.push('<');
            for (position, argument) in arguments.args.iter().enumerate() {
                if position > 0 {
                    out.push_str(", ");
                }
                if let syn::GenericArgument::Type(inner) = argument {
                    write_type(inner, out);
                }
            }
            out.push('>');
        }
    }
}

/// Whether `path` is what the generator builds: no `<T as Trait>::` qualifier, and only types
/// as arguments (`Vec<T>`, never `Fn(A) -> B` or a lifetime).
fn is_plain_path(path: &syn::TypePath) -> bool {
    path.qself.is_none()
        && path
            .path
            .segments
            .iter()
            .all(|segment| match &segment.arguments {
                syn::PathArguments::None => true,
                syn::PathArguments::AngleBracketed(arguments) => arguments
                    .args
                    .iter()
                    .all(|argument| matches!(argument, syn::GenericArgument::Type(_))),
                syn::PathArguments::Parenthesized(_) => false,
            })
}

/// A type the generator does not build, printed through its tokens: valid Rust, spaced as tokens
/// are.
fn tokens_text(ty: &syn::Type) -> String {
    quote::ToTokens::to_token_stream(ty).to_string()
}

/// Whether `c` is one of the bidirectional override or isolate characters rustc refuses, raw,
/// in comments and literals (`text_direction_codepoint_in_comment`, deny by default).
fn is_bidirectional_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A generated Rust file's text with every raw bidirectional control character written as its
/// escape (`\u{202e}`), or `None` when it has none. Vendor text reaches Rust only in doc
/// comments (string literals are written escaped already), where the escape reads as text: so
/// a page holding such a character cannot stop the generated crate from compiling.
pub(crate) fn without_bidirectional_controls(text: &str) -> Option<String> {
    if !text.contains(is_bidirectional_control) {
        return None;
    }
    let mut clean = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_bidirectional_control(c) {
            clean.push_str(&c.escape_unicode().to_string());
        } else {
            clean.push(c);
        }
    }
    Some(clean)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_print_as_prettyplease_prints_them() {
        for text in [
            "String",
            "Option<Option<crate::wire::Date>>",
            "Vec<Option<super::shared_shapes::Address>>",
            "Box<super::shared_shapes::Node>",
            "::std::string::String",
        ] {
            let ty: syn::Type = syn::parse_str(text).expect("a type");
            // What prettyplease prints for the same type in an item.
            let item: syn::File = syn::parse_quote!(type T = #ty;);
            let printed = prettyplease::unparse(&item);
            let expected = printed
                .trim()
                .strip_prefix("type T = ")
                .and_then(|rest| rest.strip_suffix(';'))
                .expect("a type alias");
            assert_eq!(type_text(&ty), expected);
            assert_eq!(expected, text);
        }
    }

    #[test]
    fn string_literals_escape_as_quote_does() {
        assert_eq!(string_literal("שם \"x\"\\"), "\"שם \\\"x\\\"\\\\\"");
        assert_eq!(string_literal("tên"), "\"tên\"");
    }

    #[test]
    fn a_list_stays_on_one_line_while_it_fits() {
        let mut text = RustText::new();
        text.list("f(&[", &["\"a\"".to_owned(), "\"b\"".to_owned()], "])");
        let long: Vec<String> = (0..30).map(|index| format!("\"value_{index}\"")).collect();
        text.list("g(&[", &long[..2], "])");
        text.list("h(&[", &long, "])");
        let text = text.into_string();
        assert!(text.starts_with("f(&[\"a\", \"b\"])\ng(&[\"value_0\", \"value_1\"])\nh(&[\n"));
        assert!(text.ends_with("    \"value_29\",\n])\n"));
    }

    #[test]
    fn a_list_breaks_past_exactly_one_hundred_bytes() {
        // `f(` + two items + `, ` + `)`: 97 and 99 bytes stay on one line, 101 break.
        for (item_bytes, one_line) in [(46, true), (47, true), (48, false)] {
            let item = "x".repeat(item_bytes);
            let mut text = RustText::new();
            text.list("f(", &[item.clone(), item], ")");
            assert_eq!(
                text.into_string().lines().count() == 1,
                one_line,
                "{item_bytes}"
            );
        }
        // Hebrew counts in bytes, as prettyplease counts it: 25 letters are 50 bytes.
        let mut text = RustText::new();
        text.list("f(", &["א".repeat(25), "x".repeat(46)], ")");
        assert_eq!(text.into_string().lines().count(), 4);
    }

    #[test]
    fn doc_lines_keep_control_characters_out_of_comments() {
        let mut text = RustText::new();
        text.doc("one\n\ntwo\rthree");
        assert_eq!(
            text.into_string(),
            "/// one\n///\n#[doc = \" two\\rthree\"]\n"
        );
    }

    #[test]
    fn other_types_fall_back_to_their_tokens() {
        let ty: syn::Type = syn::parse_str("Box<dyn Fn(u8) -> u8>").expect("a type");
        let text = type_text(&ty);
        let reparsed: syn::Type = syn::parse_str(&text).expect("still a type");
        let tokens = |ty: &syn::Type| quote::ToTokens::to_token_stream(ty).to_string();
        assert_eq!(tokens(&reparsed), tokens(&ty));
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "an open without its close")]
    fn an_open_left_open_is_a_bug() {
        let mut text = RustText::new();
        text.open("impl A for B");
        let _ = text.into_string();
    }

    #[test]
    fn lines_are_indented_by_their_depth() {
        let mut text = RustText::new();
        text.open("impl A for B");
        text.open("fn f()");
        text.line("g();");
        text.close();
        text.close();
        assert_eq!(
            text.into_string(),
            "impl A for B {\n    fn f() {\n        g();\n    }\n}\n"
        );
    }

    #[test]
    fn bidirectional_controls_are_written_escaped() {
        assert_eq!(
            super::without_bidirectional_controls("/// אבג and đường"),
            None
        );
        assert_eq!(
            super::without_bidirectional_controls("/// a\u{202E}b\u{2066}c\u{200F}d").as_deref(),
            Some("/// a\\u{202e}b\\u{2066}c\u{200F}d")
        );
    }
}
