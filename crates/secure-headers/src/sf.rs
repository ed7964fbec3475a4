//! Structured Field Values (RFC 9651) glue.
//!
//! Parsing is done by the [`sfv`] crate, which implements RFC 9651 §4.2 completely (it is
//! maintained, fuzzed, and its parser follows the RFC's algorithms step by step). This module
//! converts its errors into ours and serializes the small subset of values our headers emit.
//!
//! ```
//! use secure_headers::permissions_policy::{PermissionsPolicy, PermissionsPolicyError};
//!
//! // `'none'` is Feature-Policy syntax, not a structured field: the whole header is ignored.
//! let Err(PermissionsPolicyError::Syntax(err)) = "camera 'none'".parse::<PermissionsPolicy>() else {
//!     unreachable!()
//! };
//! assert_eq!(err.kind(), "dictionary");
//! assert_eq!(err.index(), Some(7));
//! ```

use std::fmt;

/// A value is not a valid RFC 9651 structured field of the expected type; a browser ignores the
/// whole header ("get a structured field value" returns null).
///
/// ```
/// use secure_headers::permissions_policy::{PermissionsPolicy, PermissionsPolicyError};
/// use secure_headers::sf::StructuredFieldError;
///
/// let err: StructuredFieldError = match "camera=(self".parse::<PermissionsPolicy>() {
///     Err(PermissionsPolicyError::Syntax(err)) => err,
///     other => panic!("expected a syntax error, got {other:?}"),
/// };
/// assert_eq!(err.kind(), "dictionary");
/// assert!(err.to_string().starts_with("not a valid structured field dictionary"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a valid structured field {kind}: {message}")]
pub struct StructuredFieldError {
    kind: &'static str,
    message: String,
    index: Option<usize>,
}

impl StructuredFieldError {
    /// `offset`: where the text given to the parser starts in the caller's value.
    fn new(kind: &'static str, err: &sfv::Error, offset: usize) -> Self {
        let index = err.index().map(|i| i + offset);
        // `{:#}` is the message without sfv's own (unshifted) "at index N".
        let message = match index {
            Some(i) => format!("{err:#} at index {i}"),
            None => format!("{err:#}"),
        };
        StructuredFieldError {
            kind,
            message,
            index,
        }
    }

    /// The byte offset in the value where parsing failed, when known.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{PermissionsPolicy, PermissionsPolicyError};
    /// let Err(PermissionsPolicyError::Syntax(e)) = "a=(b".parse::<PermissionsPolicy>() else { unreachable!() };
    /// assert_eq!(e.index(), Some(4));
    /// ```
    pub fn index(&self) -> Option<usize> {
        self.index
    }

    /// Which structured type was expected: `item`, `list` or `dictionary`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{PermissionsPolicy, PermissionsPolicyError};
    /// let Err(PermissionsPolicyError::Syntax(e)) = "a=(b".parse::<PermissionsPolicy>() else { unreachable!() };
    /// assert_eq!(e.kind(), "dictionary");
    /// ```
    pub fn kind(&self) -> &'static str {
        self.kind
    }
}

/// RFC 9110 §5.5: "A field value does not include leading or trailing whitespace. When a
/// specific version of HTTP allows such whitespace to appear in a message, a field parsing
/// implementation MUST exclude such whitespace prior to evaluating the field value." Browsers
/// therefore never hand RFC 9651 a value with surrounding SP or HTAB (the RFC 9651 parser alone
/// discards only SP). Returns the value without them and the number of leading bytes removed.
fn field_value(value: &str) -> (&str, usize) {
    let start = value.trim_start_matches([' ', '\t']);
    (
        start.trim_end_matches([' ', '\t']),
        value.len() - start.len(),
    )
}

/// RFC 9651 §4.2 "Parsing Structured Fields" with type `dictionary`.
pub(crate) fn parse_dictionary(value: &str) -> Result<sfv::Dictionary, StructuredFieldError> {
    let (value, offset) = field_value(value);
    sfv::Parser::new(value)
        .parse()
        .map_err(|e| StructuredFieldError::new("dictionary", &e, offset))
}

/// RFC 9651 §4.2 "Parsing Structured Fields" with type `item`.
pub(crate) fn parse_item(value: &str) -> Result<sfv::Item, StructuredFieldError> {
    let (value, offset) = field_value(value);
    sfv::Parser::new(value)
        .parse()
        .map_err(|e| StructuredFieldError::new("item", &e, offset))
}

/// RFC 9651 §4.1.6 "Serializing a String": DQUOTE, `\` before `"` and `\`, DQUOTE.
/// The caller guarantees printable ASCII.
pub(crate) fn write_string(f: &mut impl fmt::Write, s: &str) -> fmt::Result {
    f.write_char('"')?;
    for c in s.chars() {
        if c == '"' || c == '\\' {
            f.write_char('\\')?;
        }
        f.write_char(c)?;
    }
    f.write_char('"')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surrounding_tabs_and_spaces_are_not_part_of_the_field_value() {
        for value in ["?1", " ?1", "?1 ", "\t?1", "?1\t", " \t ?1\t \t"] {
            let item = parse_item(value).unwrap();
            assert_eq!(item.bare_item.as_boolean(), Some(true), "{value:?}");
        }
        for value in ["a=?1", "\ta=?1", "a=?1\t", "\t a=?1, b=?0 \t"] {
            let dict = parse_dictionary(value).unwrap();
            assert!(dict.contains_key("a"), "{value:?}");
        }
    }

    #[test]
    fn whitespace_inside_the_value_is_still_checked() {
        // RFC 9651 §4.2.3.4: `?` is followed directly by `0` or `1`; nothing but SP may
        // follow a top-level item.
        assert!(parse_item("? 1").is_err());
        assert!(parse_item("?1\t?0").is_err());
        // Vertical tab, CR and LF are not field whitespace.
        for value in ["\x0b?1", "?1\r", "\n?1"] {
            assert!(parse_item(value).is_err(), "{value:?}");
        }
    }

    #[test]
    fn error_index_counts_from_the_start_of_the_value_given() {
        // `y` is byte 4 of the value as given (byte 2 once the tabs are set aside).
        let err = parse_item("\t\tx y").unwrap_err();
        assert_eq!(err.index(), Some(4));
        assert!(err.to_string().ends_with("at index 4"), "{err}");
        let err = parse_dictionary("a=(b").unwrap_err();
        assert_eq!(err.index(), Some(4));
        assert!(err.to_string().ends_with("at index 4"), "{err}");
    }

    #[test]
    fn string_serialization_escapes_quote_and_backslash() {
        let mut out = String::new();
        write_string(&mut out, r#"a"b\c"#).unwrap();
        assert_eq!(out, r#""a\"b\\c""#);
        let parsed = parse_item(&out).unwrap();
        assert_eq!(
            parsed.bare_item.as_string().map(sfv::StringRef::as_str),
            Some(r#"a"b\c"#)
        );
    }
}
