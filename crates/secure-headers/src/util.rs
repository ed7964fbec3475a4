//! Small grammar helpers shared by the header modules.

/// RFC 9110 §5.6.3: `OWS = *( SP / HTAB )`.
pub(crate) fn trim_ows(s: &str) -> &str {
    s.trim_matches(|c| c == ' ' || c == '\t')
}

/// RFC 9110 §5.6.2: `tchar`.
pub(crate) fn is_tchar(b: u8) -> bool {
    matches!(b,
        b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'-' | b'.' | b'^' | b'_' | b'`'
        | b'|' | b'~' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z')
}

/// RFC 9651 §3.1.2: `key = ( lcalpha / "*" ) *( lcalpha / DIGIT / "_" / "-" / "." / "*" )`.
pub(crate) fn is_sf_key(s: &str) -> bool {
    let mut bytes = s.bytes();
    match bytes.next() {
        Some(b'a'..=b'z' | b'*') => {}
        _ => return false,
    }
    bytes.all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-' | b'.' | b'*'))
}

/// Decodes a header value the way a browser sees it: each byte is one code point
/// (isomorphic decode), so obs-text bytes survive as U+0080..U+00FF and fail any ASCII grammar.
pub(crate) fn header_value_str(value: &http::HeaderValue) -> std::borrow::Cow<'_, str> {
    match value.to_str() {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => {
            std::borrow::Cow::Owned(value.as_bytes().iter().map(|&b| char::from(b)).collect())
        }
    }
}

/// Builds a `HeaderValue` from text that the caller has validated as visible ASCII / SP / HTAB.
/// Falls back to an empty value, which a validated type never reaches.
pub(crate) fn header_value(text: &str) -> http::HeaderValue {
    http::HeaderValue::from_str(text).unwrap_or_else(|_| http::HeaderValue::from_static(""))
}

/// Implements `Serialize`/`Deserialize` through the header text (`Display` / `FromStr`).
macro_rules! serde_via_str {
    ($ty:ty, $expecting:literal) => {
        #[cfg(feature = "serde")]
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Visitor;
                impl serde::de::Visitor<'_> for Visitor {
                    type Value = $ty;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$ty, E> {
                        v.parse().map_err(E::custom)
                    }
                }
                deserializer.deserialize_str(Visitor)
            }
        }
    };
}
pub(crate) use serde_via_str;

/// Implements `TryFrom<&HeaderValue>` through `FromStr`, and `From<&T>`/`From<T>` for `HeaderValue`
/// through `to_header_value()`.
macro_rules! header_value_conversions {
    ($ty:ty, $err:ty) => {
        impl TryFrom<&http::HeaderValue> for $ty {
            type Error = $err;
            fn try_from(value: &http::HeaderValue) -> Result<Self, Self::Error> {
                crate::util::header_value_str(value).parse()
            }
        }

        impl From<&$ty> for http::HeaderValue {
            fn from(value: &$ty) -> Self {
                value.to_header_value()
            }
        }

        impl From<$ty> for http::HeaderValue {
            fn from(value: $ty) -> Self {
                value.to_header_value()
            }
        }
    };
}
pub(crate) use header_value_conversions;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sf_key_grammar() {
        assert!(is_sf_key("a"));
        assert!(is_sf_key("*a-b_c.d9"));
        assert!(!is_sf_key(""));
        assert!(!is_sf_key("A"));
        assert!(!is_sf_key("1a"));
        assert!(!is_sf_key("a b"));
    }

    #[test]
    fn obs_text_is_isomorphic_decoded() {
        let value = http::HeaderValue::from_bytes(b"a\xa0b").unwrap();
        assert_eq!(header_value_str(&value), "a\u{a0}b");
    }
}
