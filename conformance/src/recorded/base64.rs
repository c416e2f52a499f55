//! Base64 text in (the standard alphabet of RFC 4648, as HAR's `content.encoding: "base64"` and
//! the JSON Lines `*_base64` members carry it), the bytes out. Padding may be left off; ASCII
//! whitespace (line breaks some tools insert) is skipped.

/// Why base64 text could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Base64Error {
    /// A character outside the alphabet.
    #[error("character {character:?} at offset {offset} is not base64")]
    NotInAlphabet {
        /// The character.
        character: char,
        /// Its byte offset in the text.
        offset: usize,
    },
    /// Padding in the middle, or a length no encoder produces.
    #[error(
        "the base64 text ends in a way no encoder writes (a lone final character or misplaced `=`)"
    )]
    BadEnding,
}

fn sextet(byte: u8) -> Option<u32> {
    match byte {
        b'A'..=b'Z' => Some(u32::from(byte - b'A')),
        b'a'..=b'z' => Some(u32::from(byte - b'a') + 26),
        b'0'..=b'9' => Some(u32::from(byte - b'0') + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Decodes standard base64.
pub fn decode_base64(text: &str) -> Result<Vec<u8>, Base64Error> {
    let mut bytes = Vec::with_capacity(text.len() / 4 * 3 + 3);
    let mut group: u32 = 0;
    let mut group_len = 0;
    let mut padding = 0;
    for (offset, byte) in text.bytes().enumerate() {
        if byte.is_ascii_whitespace() {
            continue;
        }
        if byte == b'=' {
            padding += 1;
            continue;
        }
        if padding > 0 {
            return Err(Base64Error::BadEnding);
        }
        let Some(value) = sextet(byte) else {
            let character = text[offset..].chars().next().unwrap_or('\u{FFFD}');
            return Err(Base64Error::NotInAlphabet { character, offset });
        };
        group = (group << 6) | value;
        group_len += 1;
        if group_len == 4 {
            bytes.extend_from_slice(&[(group >> 16) as u8, (group >> 8) as u8, group as u8]);
            group = 0;
            group_len = 0;
        }
    }
    match (group_len, padding) {
        (0, 0) => {}
        (2, 0 | 2) => bytes.push((group >> 4) as u8),
        (3, 0 | 1) => bytes.extend_from_slice(&[(group >> 10) as u8, (group >> 2) as u8]),
        _ => return Err(Base64Error::BadEnding),
    }
    Ok(bytes)
}
