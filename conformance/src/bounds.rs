//! The checker's input bounds in one place: how many bytes a payload may have, how deep its JSON
//! may nest, how long a finding's value may be shown; and the helpers that enforce them before
//! anything reads past them (a bounded read, a nesting scan over the bytes, a deep stack).

use std::io::Read;

/// The most bytes of one payload file (`conformance check`), and the default most of one live
/// response body: 16 MiB.
pub const MAX_PAYLOAD_BYTES: u64 = 16 * 1024 * 1024;

/// The deepest nesting of arrays and objects checked like any other JSON; a deeper payload is
/// one `too-deep` finding and is not parsed.
pub const MAX_NESTING_DEPTH: usize = 1024;

/// Payloads nested deeper than this are parsed and checked on a thread of their own with a
/// stack of [`DEEP_STACK_BYTES`], so no stack can overflow whatever thread asks.
pub(crate) const SHALLOW_NESTING_DEPTH: usize = 64;

/// The stack of the thread that checks a deeply nested payload: a check 1,024 levels deep
/// overflows 2 MiB and fits in 8 MiB in a debug build; this leaves room to spare.
pub(crate) const DEEP_STACK_BYTES: usize = 64 * 1024 * 1024;

/// At most this many findings of each rule are listed per payload; the rest are counted in one
/// finding per rule.
pub const LISTED_FINDINGS_PER_RULE: usize = 100;

/// A finding's value longer than this (its JSON text, in bytes) is shown cut, as a string that
/// says how long it was.
pub(crate) const SHOWN_VALUE_BYTES: usize = 1024;

/// A finding's pointer or message longer than this (in bytes) is shown cut, ending in `…`
/// (a member name can be as long as its payload).
pub(crate) const SHOWN_TEXT_BYTES: usize = 512;

/// Why a bounded read failed.
#[derive(Debug, thiserror::Error)]
pub enum BoundedReadError {
    /// The input has more bytes than allowed; reading stopped one byte past the bound.
    #[error("it is larger than {}, the most allowed (raise it with {flag})", describe_bytes(*limit))]
    TooLarge {
        /// The bound, in bytes.
        limit: u64,
        /// The option that raises it.
        flag: &'static str,
    },
    /// Reading failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Reads all of `reader`, but never more than `limit` bytes (plus the one byte that shows the
/// input is longer): `/dev/zero` stops at the bound.
pub fn read_bounded(
    reader: impl Read,
    limit: u64,
    flag: &'static str,
) -> Result<Vec<u8>, BoundedReadError> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(BoundedReadError::TooLarge { limit, flag });
    }
    Ok(bytes)
}

/// `16 MiB`, `64 KiB`, `1000 bytes`.
pub fn describe_bytes(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= 1024 && bytes.is_multiple_of(1024) {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

/// `1000000` → `1,000,000`.
pub fn with_thousands(number: u64) -> String {
    let digits = number.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// The deepest nesting of `[` and `{` in `bytes` (outside strings), counting no further than
/// `stop_after + 1`: a cheap scan that never recurses, run before any parser does.
pub(crate) fn nesting_depth(bytes: &[u8], stop_after: usize) -> usize {
    let mut depth = 0usize;
    let mut deepest = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &byte in bytes {
        if in_string {
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > deepest {
                    deepest = depth;
                    if deepest > stop_after {
                        return deepest;
                    }
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// Runs `work` on this thread when `bytes` nest at most [`SHALLOW_NESTING_DEPTH`] deep, else on
/// a thread with a stack of [`DEEP_STACK_BYTES`] (only the pages used are ever touched).
pub(crate) fn with_stack_for<T: Send>(bytes: &[u8], work: impl FnOnce() -> T + Send) -> T {
    if nesting_depth(bytes, SHALLOW_NESTING_DEPTH) <= SHALLOW_NESTING_DEPTH {
        return work();
    }
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("deep-payload".to_owned())
            .stack_size(DEEP_STACK_BYTES)
            .spawn_scoped(scope, work);
        match spawned {
            Ok(handle) => match handle.join() {
                Ok(result) => result,
                Err(panic) => std::panic::resume_unwind(panic),
            },
            // No thread to be had: the payload is still bounded by MAX_NESTING_DEPTH.
            Err(_) => unreachable_thread(),
        }
    })
}

#[cold]
#[allow(
    clippy::panic,
    reason = "the system refused a thread: the payload cannot be checked, nor the run go on usefully"
)]
fn unreachable_thread() -> ! {
    panic!("cannot start a thread to check a deeply nested payload")
}

/// A finding's value text, cut to [`SHOWN_VALUE_BYTES`] when longer: then a JSON string of its
/// start and how long it was.
pub(crate) fn bounded_value_text(text: String) -> String {
    if text.len() <= SHOWN_VALUE_BYTES {
        return text;
    }
    let mut cut = SHOWN_VALUE_BYTES;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let shown = format!(
        "{}… ({} bytes in all)",
        &text[..cut],
        with_thousands(text.len() as u64)
    );
    serde_json::to_string(&serde_json::Value::String(shown)).unwrap_or_default()
}

/// `text` cut to at most `limit` bytes (at a character boundary), ending in `…` when cut.
pub(crate) fn bounded_text(text: String, limit: usize) -> String {
    if text.len() <= limit {
        return text;
    }
    let mut cut = limit;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}…", &text[..cut])
}

/// How many JSON values `bytes` hold at least (an array or object, and each of its items,
/// counted by the `[`, `{` and `,` outside strings), counting no further than `stop_after + 1`.
pub(crate) fn json_value_count(bytes: &[u8], stop_after: usize) -> usize {
    let mut count = 1usize;
    let mut in_string = false;
    let mut escaped = false;
    for &byte in bytes {
        if in_string {
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' | b',' => {
                count += 1;
                if count > stop_after {
                    return count;
                }
            }
            _ => {}
        }
    }
    count
}
