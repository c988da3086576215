//! JSON that holds secrets (a secret manager's answer, a token file), read
//! without copies that outlive it.
//!
//! serde_json unescapes a string with an escape (`\"`, `\n`, `\u…`) through
//! a scratch buffer it frees unzeroized, and secrets are often JSON inside a
//! JSON string (AWS's `SecretString`). So objects are parsed into raw,
//! borrowed values, which serde_json only scans, and strings are unescaped
//! here, into buffers sized up front and zeroized on drop.

use std::collections::BTreeMap;

use serde_json::value::RawValue;
use zeroize::Zeroizing;

/// A JSON object, its values as written in the text it borrows.
pub(crate) struct Object<'a>(BTreeMap<String, &'a RawValue>);

impl<'a> Object<'a> {
    /// Parses `text` as an object; `what` names it in the error.
    pub(crate) fn parse(text: &'a [u8], what: &str) -> Result<Object<'a>, String> {
        match serde_json::from_slice::<BTreeMap<String, &RawValue>>(text) {
            Ok(map) => Ok(Object(map)),
            Err(e) if e.is_data() => Err(format!("{what} is not a JSON object")),
            Err(_) => Err(format!("{what} is not JSON")),
        }
    }

    /// The value at `key` as written, unless it is absent or `null`.
    pub(crate) fn raw(&self, key: &str) -> Option<&'a str> {
        self.0
            .get(key)
            .map(|raw| raw.get())
            .filter(|raw| *raw != "null")
    }

    /// The object at `key`, if that is one.
    #[cfg_attr(not(feature = "vault"), allow(dead_code))]
    pub(crate) fn object(&self, key: &str) -> Option<Object<'a>> {
        Object::parse(self.raw(key)?.as_bytes(), "").ok()
    }

    /// The string, number or boolean at `key`, as text.
    pub(crate) fn text(&self, key: &str, place: &str) -> Result<Zeroizing<String>, String> {
        let raw = self
            .raw(key)
            .ok_or_else(|| format!("no key {key:?} in {place}"))?;
        scalar(raw).ok_or_else(|| format!("the key {key:?} in {place} is not a string"))
    }

    /// Every key whose value is a string, number or boolean, with its text;
    /// the others (objects, arrays, `null`) are left out.
    #[cfg_attr(not(feature = "__managers"), allow(dead_code))]
    pub(crate) fn texts(&self) -> impl Iterator<Item = (&str, Zeroizing<String>)> {
        self.0
            .iter()
            .filter_map(|(key, raw)| Some((key.as_str(), scalar(raw.get())?)))
    }
}

/// A scalar's text: a string unescaped, a number or boolean as written.
fn scalar(raw: &str) -> Option<Zeroizing<String>> {
    match raw.as_bytes().first()? {
        b'"' => unescape(raw),
        b'{' | b'[' | b'n' => None,
        _ => Some(Zeroizing::new(raw.to_owned())),
    }
}

/// A JSON string literal's value. The result never outgrows the literal, so
/// it is allocated once.
fn unescape(literal: &str) -> Option<Zeroizing<String>> {
    let inner = literal.strip_prefix('"')?.strip_suffix('"')?;
    let mut text = Zeroizing::new(String::with_capacity(inner.len()));
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            text.push(c);
            continue;
        }
        let unescaped = match chars.next()? {
            c @ ('"' | '\\' | '/') => c,
            'b' => '\u{8}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'u' => {
                let high = hex4(&mut chars)?;
                if (0xD800..0xDC00).contains(&high) {
                    let (Some('\\'), Some('u')) = (chars.next(), chars.next()) else {
                        return None;
                    };
                    let low = hex4(&mut chars)?;
                    if !(0xDC00..0xE000).contains(&low) {
                        return None;
                    }
                    char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))?
                } else {
                    char::from_u32(high)?
                }
            }
            _ => return None,
        };
        text.push(unescaped);
    }
    Some(text)
}

fn hex4(chars: &mut std::str::Chars<'_>) -> Option<u32> {
    (0..4).try_fold(0, |value, _| Some(value * 16 + chars.next()?.to_digit(16)?))
}

/// Writes `text` as a JSON string literal into `out`, which must have room
/// (six bytes a character at most): nothing is reallocated.
#[cfg_attr(not(any(feature = "oauth", feature = "vault")), allow(dead_code))]
pub(crate) fn write_str(out: &mut Zeroizing<Vec<u8>>, text: &str) {
    debug_assert!(out.capacity() - out.len() >= 6 * text.len() + 2);
    serde_json::to_writer(&mut **out, text).expect("writing to a Vec cannot fail");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescapes_every_escape() {
        let text =
            r#"{"a":"q\"b\\s\/n\nt\tu\u00e9\ud83d\ude00","n":42,"t":true,"z":null,"o":{"k":"v"}}"#;
        let object = Object::parse(text.as_bytes(), "it").unwrap();
        assert_eq!(
            object.text("a", "it").unwrap().as_str(),
            "q\"b\\s/n\nt\tu\u{e9}😀"
        );
        assert_eq!(object.text("n", "it").unwrap().as_str(), "42");
        assert_eq!(object.text("t", "it").unwrap().as_str(), "true");
        assert_eq!(object.text("z", "it").unwrap_err(), r#"no key "z" in it"#);
        assert_eq!(
            object.text("o", "it").unwrap_err(),
            r#"the key "o" in it is not a string"#
        );
        assert_eq!(
            object.object("o").unwrap().text("k", "o").unwrap().as_str(),
            "v"
        );
        let keys: Vec<&str> = object.texts().map(|(key, _)| key).collect();
        assert_eq!(keys, ["a", "n", "t"]);
    }

    #[test]
    fn refuses_what_is_not_an_object() {
        assert_eq!(
            Object::parse(b"[1]", "it").err().unwrap(),
            "it is not a JSON object"
        );
        assert_eq!(Object::parse(b"{", "it").err().unwrap(), "it is not JSON");
        assert_eq!(unescape(r#""\ud83d""#), None);
        assert_eq!(unescape(r#""\x""#), None);
    }

    #[test]
    fn writes_a_string_literal() {
        let mut out = Zeroizing::new(Vec::with_capacity(64));
        write_str(&mut out, "a\"b\n");
        assert_eq!(&out[..], br#""a\"b\n""#);
    }
}
