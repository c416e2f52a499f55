//! Base64 text in (the standard alphabet of RFC 4648, as HAR's `content.encoding: "base64"` and
//! the JSON Lines `*_base64` members carry it), the bytes out. Padding may be left off; ASCII
//! whitespace (line breaks some tools insert) is skipped.

use base64::Engine;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

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

/// Standard alphabet; padding optional; bits after the last whole byte ignored, as before.
const LENIENT_STANDARD: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Decodes standard base64 (with the maintained `base64` crate; this function only skips
/// whitespace and names the first character outside the alphabet with its offset).
pub fn decode_base64(text: &str) -> Result<Vec<u8>, Base64Error> {
    let mut padding_seen = false;
    let mut has_whitespace = false;
    for (offset, byte) in text.bytes().enumerate() {
        if byte.is_ascii_whitespace() {
            has_whitespace = true;
        } else if byte == b'=' {
            padding_seen = true;
        } else if padding_seen {
            return Err(Base64Error::BadEnding);
        } else if !(byte.is_ascii_alphanumeric() || byte == b'+' || byte == b'/') {
            let character = text[offset..].chars().next().unwrap_or('\u{FFFD}');
            return Err(Base64Error::NotInAlphabet { character, offset });
        }
    }
    let decoded = if has_whitespace {
        let compact: Vec<u8> = text
            .bytes()
            .filter(|byte| !byte.is_ascii_whitespace())
            .collect();
        LENIENT_STANDARD.decode(compact)
    } else {
        LENIENT_STANDARD.decode(text)
    };
    decoded.map_err(|_| Base64Error::BadEnding)
}
