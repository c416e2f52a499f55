//! A JSON text and a JSON Pointer in, where the pointed-at value starts out: 1-based line and
//! column (in Unicode characters), for SARIF regions and GitHub annotations. A small scanner over
//! the bytes: no `Value` is built, nesting is skipped with a counter (no recursion), and a
//! pointer that names nothing (or text that is not JSON) gives `None`.

/// Where a value starts in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextPosition {
    /// 1-based line (lines end at `\n`).
    pub line: u64,
    /// 1-based column, counted in Unicode characters.
    pub column: u64,
}

/// The position of the value `pointer` names in the JSON text `bytes`; `""` names the whole text.
pub fn pointer_position(bytes: &[u8], pointer: &str) -> Option<TextPosition> {
    let tokens = pointer_tokens(pointer)?;
    let mut cursor = Cursor { bytes, at: 0 };
    if bytes.starts_with("\u{feff}".as_bytes()) {
        cursor.at = 3;
    }
    cursor.skip_whitespace();
    for token in tokens {
        cursor.enter(&token)?;
    }
    cursor.peek()?;
    Some(position_of(bytes, cursor.at))
}

/// The reference tokens of a JSON Pointer (RFC 6901), unescaped; `None` if it is not one.
fn pointer_tokens(pointer: &str) -> Option<Vec<String>> {
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    let rest = pointer.strip_prefix('/')?;
    Some(
        rest.split('/')
            .map(|token| token.replace("~1", "/").replace("~0", "~"))
            .collect(),
    )
}

/// Line and column of byte `offset`.
fn position_of(bytes: &[u8], offset: usize) -> TextPosition {
    let before = &bytes[..offset.min(bytes.len())];
    let line_start = before
        .iter()
        .rposition(|&byte| byte == b'\n')
        .map_or(0, |newline| newline + 1);
    let line = before.iter().filter(|&&byte| byte == b'\n').count() as u64 + 1;
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count() as u64
        + 1;
    TextPosition { line, column }
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        self.skip_whitespace();
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// Moves past the string starting at the cursor (on its `"`), returning its raw text.
    fn skip_string(&mut self) -> Option<&[u8]> {
        let start = self.at;
        (self.peek()? == b'"').then_some(())?;
        self.at += 1;
        loop {
            match self.peek()? {
                b'\\' => self.at += 2,
                b'"' => {
                    self.at += 1;
                    return self.bytes.get(start..self.at);
                }
                _ => self.at += 1,
            }
        }
    }

    /// Moves past the value at the cursor, however deep, without recursion.
    fn skip_value(&mut self) -> Option<()> {
        self.skip_whitespace();
        match self.peek()? {
            b'"' => self.skip_string().map(|_| ()),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => {
                            self.skip_string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.at += 1;
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.at += 1;
                }
            }
            _ => {
                while !matches!(
                    self.peek(),
                    None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
                ) {
                    self.at += 1;
                }
                Some(())
            }
        }
    }

    /// Moves from the container at the cursor to the start of its member or item `token`.
    fn enter(&mut self, token: &str) -> Option<()> {
        self.skip_whitespace();
        match self.peek()? {
            b'{' => {
                self.at += 1;
                self.skip_whitespace();
                if self.peek()? == b'}' {
                    return None;
                }
                loop {
                    self.skip_whitespace();
                    let raw = self.skip_string()?;
                    let name: String = serde_json::from_slice(raw).ok()?;
                    self.expect(b':')?;
                    self.skip_whitespace();
                    if name == token {
                        return Some(());
                    }
                    self.skip_value()?;
                    self.expect(b',')?;
                }
            }
            b'[' => {
                let index: usize = token.parse().ok()?;
                if token.len() > 1 && token.starts_with('0') {
                    return None;
                }
                self.at += 1;
                self.skip_whitespace();
                if self.peek()? == b']' {
                    return None;
                }
                for _ in 0..index {
                    self.skip_value()?;
                    self.expect(b',')?;
                }
                self.skip_whitespace();
                Some(())
            }
            _ => None,
        }
    }
}
