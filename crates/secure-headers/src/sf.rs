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
    fn new(kind: &'static str, err: &sfv::Error) -> Self {
        StructuredFieldError {
            kind,
            message: err.to_string(),
            index: err.index(),
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

/// RFC 9651 §4.2 "Parsing Structured Fields" with type `dictionary`.
pub(crate) fn parse_dictionary(value: &str) -> Result<sfv::Dictionary, StructuredFieldError> {
    sfv::Parser::new(value)
        .parse()
        .map_err(|e| StructuredFieldError::new("dictionary", &e))
}

/// RFC 9651 §4.2 "Parsing Structured Fields" with type `item`.
pub(crate) fn parse_item(value: &str) -> Result<sfv::Item, StructuredFieldError> {
    sfv::Parser::new(value)
        .parse()
        .map_err(|e| StructuredFieldError::new("item", &e))
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
