//! The forms a secret takes in transit, each a pattern to look for.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use zeroize::Zeroizing;

/// `secret` as it is, percent-encoded (upper- and lower-case hex, as RFC
/// 3986, HTML and WHATWG forms, `encodeURIComponent`, Python's `quote` and
/// strict encoders write it), JSON-escaped (plain, ASCII-only, `\/`), and the parts of its base64 (standard and
/// URL-safe) that depend on it alone, at each of the three offsets it can
/// start at in a longer base64 text. Each form once; none shorter than
/// [`super::MIN_LEN`].
pub(super) fn forms(secret: &[u8]) -> Vec<Zeroizing<Vec<u8>>> {
    let mut forms: Vec<Zeroizing<Vec<u8>>> = vec![Zeroizing::new(secret.to_vec())];
    for hex in [b"0123456789ABCDEF", b"0123456789abcdef"] {
        for encoding in [
            Percent::Uri,
            Percent::Form,
            Percent::WhatwgForm,
            Percent::Component,
            Percent::Path,
            Percent::All,
        ] {
            forms.push(percent(secret, hex, encoding));
        }
    }
    for escaping in [Json::Plain, Json::Ascii, Json::Slashes] {
        forms.push(json(secret, escaping));
    }
    for engine in [STANDARD_NO_PAD, URL_SAFE_NO_PAD] {
        for offset in 0..3 {
            forms.push(base64_core(&engine, secret, offset));
        }
    }
    let mut unique: Vec<Zeroizing<Vec<u8>>> = Vec::new();
    for form in forms {
        if form.len() >= super::MIN_LEN && !unique.contains(&form) {
            unique.push(form);
        }
    }
    unique
}

/// Which bytes a percent-encoding keeps as they are: each encoder's set.
#[derive(Clone, Copy)]
enum Percent {
    /// RFC 3986's unreserved ones (letters, digits, `-._~`).
    Uri,
    /// The same, and a space as `+` (a form's encoding).
    Form,
    /// The WHATWG form encoding (the `url` crate's, and reqwest's):
    /// letters, digits, `*-._`, a space as `+`.
    WhatwgForm,
    /// JavaScript's `encodeURIComponent`: letters, digits, `-_.!~*'()`.
    Component,
    /// Python's `quote`: RFC 3986's unreserved ones and `/`.
    Path,
    /// Letters and digits only (encoders that escape the rest).
    All,
}

/// `secret` with every byte `encoding` does not keep as `%XX`.
fn percent(secret: &[u8], hex: &[u8; 16], encoding: Percent) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(secret.len() * 3));
    for &byte in secret {
        let unreserved = matches!(byte, b'-' | b'.' | b'_' | b'~');
        let kept = byte.is_ascii_alphanumeric()
            || match encoding {
                Percent::All => false,
                Percent::Uri | Percent::Form => unreserved,
                Percent::WhatwgForm => matches!(byte, b'*' | b'-' | b'.' | b'_'),
                Percent::Component => {
                    unreserved || matches!(byte, b'!' | b'*' | b'\'' | b'(' | b')')
                }
                Percent::Path => unreserved || byte == b'/',
            };
        match byte {
            _ if kept => out.push(byte),
            b' ' if matches!(encoding, Percent::Form | Percent::WhatwgForm) => out.push(b'+'),
            _ => out.extend_from_slice(&[
                b'%',
                hex[usize::from(byte >> 4)],
                hex[usize::from(byte & 15)],
            ]),
        }
    }
    out
}

/// How a JSON encoder writes a string.
#[derive(Clone, Copy)]
enum Json {
    /// Only what JSON requires (serde_json, Go without HTML escaping).
    Plain,
    /// And every non-ASCII character as `\uXXXX` (Python's `json.dumps`).
    Ascii,
    /// And `/` as `\/` (PHP's `json_encode`).
    Slashes,
}

/// As it is inside a JSON string.
fn json(secret: &[u8], escaping: Json) -> Zeroizing<Vec<u8>> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    // Sized for the longest escape (`\uXXXX` for a byte, twelve bytes for a
    // surrogate pair of four), so no reallocation leaves a copy behind.
    let mut out = Zeroizing::new(Vec::with_capacity(secret.len() * 6));
    if let (Json::Ascii, Ok(text)) = (escaping, std::str::from_utf8(secret)) {
        for c in text.chars() {
            if c.is_ascii() {
                let mut one = json(&[c as u8], Json::Plain);
                out.append(&mut one);
                continue;
            }
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.extend_from_slice(b"\\u");
                for shift in [12, 8, 4, 0] {
                    out.push(HEX[usize::from((*unit >> shift) & 15)]);
                }
            }
        }
        return out;
    }
    for &byte in secret {
        match byte {
            b'/' if matches!(escaping, Json::Slashes) => out.extend_from_slice(b"\\/"),
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            0..0x20 => {
                out.extend_from_slice(b"\\u00");
                out.extend_from_slice(&[HEX[usize::from(byte >> 4)], HEX[usize::from(byte & 15)]]);
            }
            _ => out.push(byte),
        }
    }
    out
}

/// The base64 characters that depend only on `secret` when it starts
/// `offset` bytes into a group of three: the characters mixed with the
/// bytes before and after it are dropped.
fn base64_core(
    engine: &base64::engine::GeneralPurpose,
    secret: &[u8],
    offset: usize,
) -> Zeroizing<Vec<u8>> {
    let mut input = Zeroizing::new(vec![0u8; offset]);
    input.extend_from_slice(secret);
    // Sized up front: no reallocation leaves a copy behind.
    let size = base64::encoded_len(input.len(), false).unwrap_or_default();
    let mut encoded = Zeroizing::new(String::with_capacity(size));
    engine.encode_string(&*input, &mut encoded);
    // The characters before: none, or the ones the offset's bytes touch.
    let skip = match offset {
        0 => 0,
        1 => 2,
        _ => 3,
    };
    // The last character is mixed with what follows, unless the secret
    // ends a group of three.
    let mixed_end = usize::from(!(offset + secret.len()).is_multiple_of(3));
    let end = encoded.len().saturating_sub(mixed_end);
    Zeroizing::new(
        encoded
            .as_bytes()
            .get(skip..end)
            .unwrap_or_default()
            .to_vec(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::STANDARD;

    #[test]
    fn a_base64_core_is_inside_the_encoding_at_every_offset() {
        let secret = b"sk-live-4f9a2c1e";
        for prefix in ["", "u", "us", "use", "user:", "someone:"] {
            for suffix in ["", "x", "xy", "xyz"] {
                let whole = [prefix.as_bytes(), secret, suffix.as_bytes()].concat();
                let encoded = STANDARD.encode(&whole);
                let core = base64_core(&STANDARD_NO_PAD, secret, prefix.len() % 3);
                let core = std::str::from_utf8(&core).unwrap();
                assert!(
                    encoded.contains(core),
                    "{prefix:?} {suffix:?}: {core} not in {encoded}"
                );
            }
        }
    }
}
