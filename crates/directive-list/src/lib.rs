//! The RFC 9110 token / quoted-string directive-list grammar shared by Strict-Transport-Security and Public-Key-Pins.
//!
//! Both headers use the same field grammar (RFC 6797 §6.1, RFC 7469 §2.1):
//!
//! ```text
//! directive-list  = [ directive ] *( OWS ";" OWS [ directive ] )
//! directive       = directive-name [ OWS "=" OWS directive-value ]
//! directive-name  = token
//! directive-value = token / quoted-string
//! ```
//!
//! with the "implied linear white space" of RFC 2616 §2.1 (optional SP / HTAB between any two
//! elements) and the RFC 9110 §5.6.2 / §5.6.4 definitions of `token` and `quoted-string`:
//!
//! ```text
//! token         = 1*tchar
//! tchar         = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
//!                 "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
//! quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE
//! qdtext        = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
//! quoted-pair   = "\" ( HTAB / SP / VCHAR / obs-text )
//! obs-text      = %x80-FF
//! ```
//!
//! Empty directives (`;;`, a leading or trailing `;`) are allowed. [`Directives`] walks a field
//! value without allocating and yields each [`Directive`] or the first [`SyntaxError`], with the
//! byte offset where the problem is. It does not interpret names: duplicate and unknown
//! directives are the caller's business.
//!
//! ```
//! use directive_list::Directives;
//!
//! let mut names = Vec::new();
//! for directive in Directives::new(r#"max-age=31536000; includeSubDomains; note="a \"b\"""#) {
//!     let directive = directive?;
//!     let value = directive.value().map(|v| v.unescaped());
//!     names.push((directive.name(), value));
//! }
//! assert_eq!(names[0], ("max-age", Some("31536000".into())));
//! assert_eq!(names[1], ("includeSubDomains", None));
//! assert_eq!(names[2], ("note", Some(r#"a "b""#.into())));
//! # Ok::<(), directive_list::SyntaxError>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

/// The examples in the crate's README, compiled and run as doctests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

use std::borrow::Cow;
use std::fmt;

/// Which characters open a quoted value.
///
/// The RFCs define only the double-quoted `quoted-string`. Chromium's Public-Key-Pins parser
/// (removed in Chrome 72) also accepted values in single quotes, with the same backslash escapes;
/// [`QuoteStyle::DoubleOrSingle`] reproduces that for auditing legacy deployments.
///
/// ```
/// use directive_list::{Directive, Directives, QuoteStyle, SyntaxError};
///
/// // RFC grammar: `'` is a tchar, so the quotes belong to tokens and the `;` splits the value.
/// let rfc = Directives::new("pin='a;b'").collect::<Result<Vec<Directive>, SyntaxError>>()?;
/// assert_eq!(rfc.len(), 2);
/// assert_eq!(rfc[0].value().map(|v| v.as_written()), Some("'a"));
///
/// // Legacy Chromium: the single-quoted value is one value.
/// let legacy = Directives::with_quote_style("pin='a;b'", QuoteStyle::DoubleOrSingle)
///     .collect::<Result<Vec<Directive>, SyntaxError>>()?;
/// assert_eq!(legacy.len(), 1);
/// assert_eq!(QuoteStyle::default(), QuoteStyle::Double);
/// # Ok::<(), directive_list::SyntaxError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum QuoteStyle {
    /// RFC 9110 §5.6.4: only `"` opens a quoted-string. A value starting with `'` is a token.
    #[default]
    Double,
    /// Legacy Chromium: `"` or `'` opens a quoted value, which ends at the same quote character.
    DoubleOrSingle,
}

/// What was wrong in a directive list.
///
/// ```
/// use directive_list::{Directives, SyntaxErrorKind};
///
/// let kind = |s: &str| Directives::new(s).validate().map_err(|e| e.kind());
/// assert_eq!(kind("max-age="), Err(SyntaxErrorKind::MissingValue));
/// assert_eq!(kind(r#"a="open"#), Err(SyntaxErrorKind::UnterminatedQuotedString));
/// assert_eq!(kind("max-age=1 abc"), Err(SyntaxErrorKind::UnexpectedCharacter));
/// assert_eq!(kind("a=\"x\\\u{1}\""), Err(SyntaxErrorKind::InvalidQuotedPair));
/// assert_eq!(kind("max-age=1"), Ok(()));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SyntaxErrorKind {
    /// A directive name was expected (after the start or a `;`) but the character there cannot
    /// start a token, e.g. `"max-age"=1`, `=2` or `@`.
    ExpectedName,
    /// After a directive name or value, only `;`, `=` (after a name) or the end may follow, e.g.
    /// the `"` in `in"cludeSubDomains` or the `abc` in `max-age=1 abc`.
    UnexpectedCharacter,
    /// A `=` was not followed by a token or quoted-string, e.g. `max-age=` or `max-age=;`.
    MissingValue,
    /// A quoted-string has no closing quote.
    UnterminatedQuotedString,
    /// A quoted-string holds a control character (anything but HTAB below 0x20, or DEL).
    ControlCharacterInQuotedString,
    /// A backslash in a quoted-string is not followed by HTAB, SP, a visible character or
    /// obs-text (RFC 9110 §5.6.4 quoted-pair).
    InvalidQuotedPair,
}

impl SyntaxErrorKind {
    fn describe(self) -> &'static str {
        match self {
            Self::ExpectedName => "expected a directive name (a token)",
            Self::UnexpectedCharacter => "unexpected character after a directive",
            Self::MissingValue => "`=` is not followed by a token or quoted-string",
            Self::UnterminatedQuotedString => "quoted-string has no closing quote",
            Self::ControlCharacterInQuotedString => "control character in a quoted-string",
            Self::InvalidQuotedPair => "backslash is not followed by a visible character",
        }
    }
}

/// A syntax error in a directive list: what was wrong and the byte offset where it was found.
///
/// ```
/// use directive_list::{Directives, SyntaxErrorKind};
///
/// let err = Directives::new("max-age=1; =2").find_map(Result::err).unwrap();
/// assert_eq!(err.kind(), SyntaxErrorKind::ExpectedName);
/// assert_eq!(err.offset(), 11);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SyntaxError {
    kind: SyntaxErrorKind,
    offset: usize,
}

impl SyntaxError {
    /// What was wrong.
    ///
    /// ```
    /// use directive_list::{Directives, SyntaxErrorKind};
    ///
    /// let err = Directives::new("a=\"x\ty\u{7}\"").validate().unwrap_err();
    /// assert_eq!(err.kind(), SyntaxErrorKind::ControlCharacterInQuotedString);
    /// ```
    #[must_use]
    pub fn kind(&self) -> SyntaxErrorKind {
        self.kind
    }

    /// Byte offset in the input where the problem was found.
    ///
    /// ```
    /// let err = directive_list::Directives::new("max-age=1 abc").validate().unwrap_err();
    /// assert_eq!(err.offset(), 10); // the `a` of `abc`
    /// ```
    #[must_use]
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The same error with its offset passed through `map`, for callers that parsed a
    /// transformed copy of their input, e.g. the [`isomorphic_decode`] of header bytes (see
    /// [`isomorphic_offset`]).
    ///
    /// ```
    /// use directive_list::{Directives, isomorphic_decode, isomorphic_offset};
    ///
    /// let bytes = b"a=\"\xE9\" @";
    /// let text = isomorphic_decode(bytes);
    /// let err = Directives::new(&text).validate().unwrap_err();
    /// assert_eq!(err.offset(), 7); // in the UTF-8 text, where U+00E9 takes two bytes
    /// let err = err.map_offset(|at| isomorphic_offset(&text, at));
    /// assert_eq!(err.offset(), 6); // in the header bytes
    /// ```
    #[must_use]
    pub fn map_offset(self, map: impl FnOnce(usize) -> usize) -> Self {
        Self {
            kind: self.kind,
            offset: map(self.offset),
        }
    }
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.kind.describe(), self.offset)
    }
}

impl std::error::Error for SyntaxError {}

/// A directive value as written: a token or the content of a quoted-string.
///
/// ```
/// use directive_list::Directives;
///
/// let d = Directives::new(r#"report-uri="https://r.example/\"x\"""#).next().unwrap()?;
/// let v = d.value().unwrap();
/// assert!(v.is_quoted());
/// assert_eq!(v.unescaped(), r#"https://r.example/"x""#);
/// assert_eq!(v.as_written(), r#""https://r.example/\"x\"""#);
/// # Ok::<(), directive_list::SyntaxError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Value<'a> {
    written: &'a str,
    offset: usize,
    quoted: bool,
    has_escapes: bool,
}

impl<'a> Value<'a> {
    /// Whether the value was a quoted-string (rather than a token).
    ///
    /// ```
    /// use directive_list::Directives;
    ///
    /// let mut it = Directives::new(r#"a=1; b="1""#);
    /// assert!(!it.next().unwrap()?.value().unwrap().is_quoted());
    /// assert!(it.next().unwrap()?.value().unwrap().is_quoted());
    /// # Ok::<(), directive_list::SyntaxError>(())
    /// ```
    #[must_use]
    #[inline]
    pub fn is_quoted(&self) -> bool {
        self.quoted
    }

    /// The value exactly as written, with its quotes and backslashes if it was quoted.
    ///
    /// ```
    /// let d = directive_list::Directives::new(r#"note = "a\"b""#).next().unwrap()?;
    /// assert_eq!(d.value().unwrap().as_written(), r#""a\"b""#);
    /// # Ok::<(), directive_list::SyntaxError>(())
    /// ```
    #[must_use]
    #[inline]
    pub fn as_written(&self) -> &'a str {
        self.written
    }

    /// Byte offset of the value (of its opening quote when quoted) in the input.
    ///
    /// ```
    /// let d = directive_list::Directives::new("max-age = 60").next().unwrap()?;
    /// assert_eq!(d.value().unwrap().offset(), 10);
    /// # Ok::<(), directive_list::SyntaxError>(())
    /// ```
    #[must_use]
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The value's meaning: a token as is, a quoted-string without its quotes and with each
    /// quoted-pair `\x` replaced by `x`. Borrows unless the value held a quoted-pair.
    ///
    /// ```
    /// use directive_list::Directives;
    /// use std::borrow::Cow;
    ///
    /// let mut it = Directives::new(r#"a="plain"; b="x\"y"; c=token"#);
    /// let plain = it.next().unwrap()?.value().unwrap().unescaped();
    /// assert!(matches!(plain, Cow::Borrowed("plain")));
    /// let escaped = it.next().unwrap()?.value().unwrap().unescaped();
    /// assert!(matches!(escaped, Cow::Owned(ref s) if s == "x\"y"));
    /// assert_eq!(it.next().unwrap()?.value().unwrap().unescaped(), "token");
    /// # Ok::<(), directive_list::SyntaxError>(())
    /// ```
    #[must_use]
    #[inline]
    pub fn unescaped(&self) -> Cow<'a, str> {
        if !self.quoted {
            return Cow::Borrowed(self.written);
        }
        // The tokenizer only builds quoted values that start and end with a one-byte quote.
        let inner = self
            .written
            .get(1..self.written.len().saturating_sub(1))
            .unwrap_or_default();
        if !self.has_escapes {
            return Cow::Borrowed(inner);
        }
        let mut out = String::with_capacity(inner.len());
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                if let Some(escaped) = chars.next() {
                    out.push(escaped);
                }
            } else {
                out.push(c);
            }
        }
        Cow::Owned(out)
    }
}

/// One directive: a name (a token, case as written) and an optional value.
///
/// ```
/// let d = directive_list::Directives::new("  includeSubDomains ").next().unwrap()?;
/// assert_eq!(d.name(), "includeSubDomains");
/// assert_eq!(d.offset(), 2);
/// assert!(d.value().is_none());
/// # Ok::<(), directive_list::SyntaxError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Directive<'a> {
    name: &'a str,
    offset: usize,
    value: Option<Value<'a>>,
}

impl<'a> Directive<'a> {
    /// The directive name as written. Names are case-insensitive: compare with
    /// [`Directive::name_is`].
    ///
    /// ```
    /// let d = directive_list::Directives::new("MAX-AGE=5").next().unwrap()?;
    /// assert_eq!(d.name(), "MAX-AGE"); // case as written
    /// assert!(d.name_is("max-age"));
    /// # Ok::<(), directive_list::SyntaxError>(())
    /// ```
    #[must_use]
    #[inline]
    pub fn name(&self) -> &'a str {
        self.name
    }

    /// Whether the name is an ASCII case-insensitive match for `name`.
    ///
    /// ```
    /// use directive_list::Directives;
    /// let d = Directives::new("MaX-AgE=1").next().unwrap()?;
    /// assert!(d.name_is("max-age"));
    /// # Ok::<(), directive_list::SyntaxError>(())
    /// ```
    #[must_use]
    #[inline]
    pub fn name_is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }

    /// Byte offset of the name in the input.
    ///
    /// ```
    /// let offsets = directive_list::Directives::new("a; bb ;c")
    ///     .map(|d| d.map(|d| d.offset()))
    ///     .collect::<Result<Vec<usize>, _>>()?;
    /// assert_eq!(offsets, [0, 3, 7]);
    /// # Ok::<(), directive_list::SyntaxError>(())
    /// ```
    #[must_use]
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The value, if the directive had `=`.
    ///
    /// ```
    /// let mut it = directive_list::Directives::new("max-age=60; preload");
    /// assert_eq!(it.next().unwrap()?.value().map(|v| v.as_written()), Some("60"));
    /// assert_eq!(it.next().unwrap()?.value(), None);
    /// # Ok::<(), directive_list::SyntaxError>(())
    /// ```
    #[must_use]
    #[inline]
    pub fn value(&self) -> Option<Value<'a>> {
        self.value
    }
}

/// `tchar` membership for every byte value, built once at compile time.
static TCHAR: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        // RFC 9110 §5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
        // "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
        table[b] = matches!(b as u8,
            b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'-' | b'.'
            | b'^' | b'_' | b'`' | b'|' | b'~' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z');
        b += 1;
    }
    table
};

/// Whether `b` is a `tchar` (RFC 9110 §5.6.2).
///
/// ```
/// assert!(directive_list::is_tchar(b'~'));
/// assert!(!directive_list::is_tchar(b'"'));
/// ```
#[must_use]
#[inline]
pub fn is_tchar(b: u8) -> bool {
    TCHAR[usize::from(b)]
}

/// Whether `s` is a non-empty `token` (RFC 9110 §5.6.2).
///
/// ```
/// assert!(directive_list::is_token("includeSubDomains"));
/// assert!(!directive_list::is_token("a b"));
/// assert!(!directive_list::is_token(""));
/// ```
#[must_use]
#[inline]
pub fn is_token(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(is_tchar)
}

/// Whether `s` can be written inside a quoted-string (with escapes): no control characters
/// other than HTAB, no DEL (RFC 9110 §5.6.4 qdtext / quoted-pair).
///
/// ```
/// assert!(directive_list::is_quotable("https://r.example/?a;b"));
/// assert!(!directive_list::is_quotable("a\r\nb"));
/// ```
#[must_use]
pub fn is_quotable(s: &str) -> bool {
    s.bytes().all(|b| b == b'\t' || (b >= 0x20 && b != 0x7f))
}

/// Writes `s` as an RFC 9110 quoted-string, escaping `"` and `\`.
///
/// The caller must have checked [`is_quotable`]; control characters are written as they are.
///
/// ```
/// let mut out = String::new();
/// directive_list::write_quoted(&mut out, r#"a"b\c"#).unwrap();
/// assert_eq!(out, r#""a\"b\\c""#);
/// ```
///
/// # Errors
/// Only the errors of the underlying writer.
pub fn write_quoted(out: &mut impl fmt::Write, s: &str) -> fmt::Result {
    out.write_char('"')?;
    let mut rest = s;
    while let Some(i) = rest.find(['"', '\\']) {
        let (plain, tail) = rest.split_at(i);
        out.write_str(plain)?;
        out.write_char('\\')?;
        let mut tail_chars = tail.chars();
        if let Some(c) = tail_chars.next() {
            out.write_char(c)?;
        }
        rest = tail_chars.as_str();
    }
    out.write_str(rest)?;
    out.write_char('"')
}

/// Decodes header bytes the way a browser does: each byte 0xNN becomes U+00NN (the Fetch
/// standard's "isomorphic decode"). Borrows when the bytes are ASCII.
///
/// Use this for an `http::HeaderValue` that is not UTF-8 (obs-text): bytes of 0x80 and above
/// stay bytes of 0x80 and above in the UTF-8 result, which the grammar treats as obs-text.
///
/// ```
/// assert_eq!(directive_list::isomorphic_decode(b"a\xE9"), "a\u{e9}");
/// ```
#[must_use]
#[inline]
pub fn isomorphic_decode(bytes: &[u8]) -> Cow<'_, str> {
    if bytes.is_ascii()
        && let Ok(s) = std::str::from_utf8(bytes)
    {
        return Cow::Borrowed(s);
    }
    Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect())
}

/// The offset in the original bytes of byte offset `offset` of `decoded`, the
/// [`isomorphic_decode`] of those bytes: each code point of `decoded` is one original byte, so
/// this counts the code points before `offset`. An offset past the end maps to the length.
///
/// ```
/// let text = directive_list::isomorphic_decode(b"\xE9=1");
/// assert_eq!(text.len(), 4); // U+00E9 is two bytes in UTF-8
/// assert_eq!(directive_list::isomorphic_offset(&text, 2), 1); // the `=`
/// assert_eq!(directive_list::isomorphic_offset(&text, 99), 3);
/// ```
#[must_use]
pub fn isomorphic_offset(decoded: &str, offset: usize) -> usize {
    decoded
        .char_indices()
        .take_while(|&(at, _)| at < offset)
        .count()
}

/// An iterator over the directives of a directive list; see the [crate docs](crate).
///
/// After the first `Err` the iterator ends: any syntax error makes the whole list invalid.
///
/// ```
/// use directive_list::{Directives, SyntaxErrorKind};
///
/// let mut it = Directives::new("a=1; @; b=2");
/// assert_eq!(it.next().unwrap()?.name(), "a");
/// let err = it.next().unwrap().unwrap_err();
/// assert_eq!(err.kind(), SyntaxErrorKind::ExpectedName);
/// assert_eq!(err.offset(), 5);
/// assert!(it.next().is_none()); // the first error ends the list
/// # Ok::<(), directive_list::SyntaxError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Directives<'a> {
    input: &'a str,
    pos: usize,
    quotes: QuoteStyle,
    done: bool,
}

const fn is_ows(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

impl<'a> Directives<'a> {
    /// Walks `input` with the RFC grammar (double-quoted strings only).
    ///
    /// ```
    /// let names = directive_list::Directives::new("max-age=0;;includeSubDomains;")
    ///     .map(|d| d.map(|d| d.name()))
    ///     .collect::<Result<Vec<&str>, _>>()?;
    /// assert_eq!(names, ["max-age", "includeSubDomains"]);
    /// # Ok::<(), directive_list::SyntaxError>(())
    /// ```
    #[must_use]
    #[inline]
    pub fn new(input: &'a str) -> Self {
        Self::with_quote_style(input, QuoteStyle::Double)
    }

    /// Walks `input`, opening quoted values with the characters `quotes` allows.
    ///
    /// ```
    /// use directive_list::{Directives, QuoteStyle};
    /// let d = Directives::with_quote_style("a='x;y'", QuoteStyle::DoubleOrSingle)
    ///     .next().unwrap()?;
    /// assert_eq!(d.value().unwrap().unescaped(), "x;y");
    /// # Ok::<(), directive_list::SyntaxError>(())
    /// ```
    #[must_use]
    #[inline]
    pub fn with_quote_style(input: &'a str, quotes: QuoteStyle) -> Self {
        Self {
            input,
            pos: 0,
            quotes,
            done: false,
        }
    }

    /// Checks the whole list and reports the first syntax error, if any.
    ///
    /// ```
    /// assert!(directive_list::Directives::new(";; a=1 ; b").validate().is_ok());
    /// assert!(directive_list::Directives::new("a=1 b").validate().is_err());
    /// ```
    ///
    /// # Errors
    /// The first [`SyntaxError`] in the list.
    pub fn validate(self) -> Result<(), SyntaxError> {
        for d in self {
            d?;
        }
        Ok(())
    }

    #[inline]
    fn byte(&self, at: usize) -> Option<u8> {
        self.input.as_bytes().get(at).copied()
    }

    #[inline]
    fn skip_ows(&mut self) {
        while self.byte(self.pos).is_some_and(is_ows) {
            self.pos += 1;
        }
    }

    fn fail(
        &mut self,
        kind: SyntaxErrorKind,
        offset: usize,
    ) -> Option<Result<Directive<'a>, SyntaxError>> {
        self.done = true;
        Some(Err(SyntaxError { kind, offset }))
    }

    #[inline]
    fn slice(&self, start: usize, end: usize) -> &'a str {
        // Both ends sit on ASCII bytes (or the end), so they are char boundaries.
        self.input.get(start..end).unwrap_or_default()
    }

    #[inline]
    fn scan_token(&mut self) -> usize {
        let start = self.pos;
        let rest = self.input.as_bytes().get(start..).unwrap_or_default();
        self.pos += rest
            .iter()
            .position(|&b| !is_tchar(b))
            .unwrap_or(rest.len());
        start
    }

    #[inline]
    fn opens_quote(&self, b: u8) -> bool {
        b == b'"' || (b == b'\'' && self.quotes == QuoteStyle::DoubleOrSingle)
    }

    /// RFC 9110 §5.6.4: quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE.
    /// Returns whether a quoted-pair was seen; `self.pos` ends after the closing quote.
    fn scan_quoted(&mut self, quote: u8) -> Result<bool, SyntaxError> {
        let open = self.pos;
        self.pos += 1;
        let mut has_escapes = false;
        loop {
            let Some(b) = self.byte(self.pos) else {
                return Err(SyntaxError {
                    kind: SyntaxErrorKind::UnterminatedQuotedString,
                    offset: open,
                });
            };
            if b == quote {
                self.pos += 1;
                return Ok(has_escapes);
            }
            match b {
                b'\\' => {
                    // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
                    match self.byte(self.pos + 1) {
                        Some(n) if n == b'\t' || (n >= 0x20 && n != 0x7f) => {
                            has_escapes = true;
                            // Step over the backslash; a multi-byte char is walked byte by
                            // byte below, its bytes all being obs-text.
                            self.pos += 2;
                        }
                        _ => {
                            return Err(SyntaxError {
                                kind: SyntaxErrorKind::InvalidQuotedPair,
                                offset: self.pos,
                            });
                        }
                    }
                }
                // qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
                b'\t' | 0x20..=0x7e | 0x80..=0xff => self.pos += 1,
                _ => {
                    return Err(SyntaxError {
                        kind: SyntaxErrorKind::ControlCharacterInQuotedString,
                        offset: self.pos,
                    });
                }
            }
        }
    }

    /// After a directive (and its OWS): only ";" or the end may follow.
    #[inline]
    fn end_directive(&mut self) -> Result<(), SyntaxError> {
        self.skip_ows();
        match self.byte(self.pos) {
            None => {
                self.done = true;
                Ok(())
            }
            Some(b';') => {
                self.pos += 1;
                Ok(())
            }
            Some(_) => Err(SyntaxError {
                kind: SyntaxErrorKind::UnexpectedCharacter,
                offset: self.pos,
            }),
        }
    }
}

impl<'a> Iterator for Directives<'a> {
    type Item = Result<Directive<'a>, SyntaxError>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.done {
                return None;
            }
            // RFC 6797 §6.1 / RFC 7469 §2.1: [ directive ] *( OWS ";" OWS [ directive ] ).
            // Empty directives are allowed, so skip OWS and any run of ";".
            self.skip_ows();
            match self.byte(self.pos) {
                None => {
                    self.done = true;
                    return None;
                }
                Some(b';') => {
                    self.pos += 1;
                    continue;
                }
                Some(_) => {}
            }
            // directive-name = token
            let name_start = self.scan_token();
            if self.pos == name_start {
                return self.fail(SyntaxErrorKind::ExpectedName, name_start);
            }
            let name = self.slice(name_start, self.pos);
            // RFC 2616 §2.1 implied LWS: white space may surround "=".
            self.skip_ows();
            let value = if self.byte(self.pos) == Some(b'=') {
                self.pos += 1;
                self.skip_ows();
                let value_start = self.pos;
                // directive-value = token / quoted-string
                let (quoted, has_escapes) = match self.byte(self.pos) {
                    Some(q) if self.opens_quote(q) => match self.scan_quoted(q) {
                        Ok(esc) => (true, esc),
                        Err(e) => {
                            self.done = true;
                            return Some(Err(e));
                        }
                    },
                    _ => {
                        self.scan_token();
                        if self.pos == value_start {
                            return self.fail(SyntaxErrorKind::MissingValue, value_start);
                        }
                        (false, false)
                    }
                };
                Some(Value {
                    written: self.slice(value_start, self.pos),
                    offset: value_start,
                    quoted,
                    has_escapes,
                })
            } else {
                None
            };
            if let Err(e) = self.end_directive() {
                self.done = true;
                return Some(Err(e));
            }
            return Some(Ok(Directive {
                name,
                offset: name_start,
                value,
            }));
        }
    }
}

impl std::iter::FusedIterator for Directives<'_> {}

/// `delta-seconds = 1*DIGIT` (RFC 9111 §1.2.2, used by HSTS `max-age` in RFC 6797 §6.1.1 and
/// HPKP `max-age` in RFC 7469 §2.1.2): ASCII digits only, no sign or decimal point. A value too
/// large for a `u64` saturates at `u64::MAX` ("a recipient ... MUST ... use the greatest
/// integer it can represent").
///
/// ```
/// assert_eq!(directive_list::delta_seconds(b"31536000"), Some(31_536_000));
/// assert_eq!(directive_list::delta_seconds(b"99999999999999999999"), Some(u64::MAX));
/// assert_eq!(directive_list::delta_seconds(b"-1"), None);
/// assert_eq!(directive_list::delta_seconds(b""), None);
/// ```
#[inline]
#[must_use]
pub fn delta_seconds(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    // Up to 19 digits cannot overflow a u64 (10^19 - 1 < 2^64).
    if digits.len() <= 19 {
        return Some(
            digits
                .iter()
                .fold(0u64, |n, &b| n * 10 + u64::from(b - b'0')),
        );
    }
    Some(digits.iter().fold(0u64, |n, &b| {
        n.saturating_mul(10).saturating_add(u64::from(b - b'0'))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    type Collected = Vec<(String, Option<(String, bool)>)>;

    fn collect(s: &str) -> Result<Collected, SyntaxError> {
        Directives::new(s)
            .map(|d| {
                d.map(|d| {
                    (
                        d.name().to_owned(),
                        d.value()
                            .map(|v| (v.unescaped().into_owned(), v.is_quoted())),
                    )
                })
            })
            .collect()
    }

    fn err_kind(s: &str) -> SyntaxErrorKind {
        match collect(s) {
            Err(e) => e.kind(),
            Ok(v) => panic!("{s:?} parsed as {v:?}"),
        }
    }

    #[test]
    fn empty_directives_are_allowed() {
        assert_eq!(collect("").unwrap(), vec![]);
        assert_eq!(collect(" ; ;; ").unwrap(), vec![]);
        assert_eq!(collect(";a;;b;").unwrap().len(), 2);
    }

    #[test]
    fn whitespace_around_equals_is_implied_lws() {
        let v = collect("  Max-agE    = 567  ").unwrap();
        assert_eq!(v, vec![("Max-agE".into(), Some(("567".into(), false)))]);
    }

    #[test]
    fn semicolon_inside_quoted_string_does_not_split() {
        let v = collect(r#"a="x; y"; b"#).unwrap();
        assert_eq!(v[0].1, Some(("x; y".into(), true)));
        assert_eq!(v[1].0, "b");
    }

    #[test]
    fn quoted_pair_is_unescaped() {
        let v = collect(r#"a="\"\\\x""#).unwrap();
        assert_eq!(v[0].1, Some((r#""\x"#.into(), true)));
    }

    #[test]
    fn quoted_name_is_rejected() {
        assert_eq!(err_kind(r#""max-age"=1"#), SyntaxErrorKind::ExpectedName);
        assert_eq!(err_kind("=2"), SyntaxErrorKind::ExpectedName);
        assert_eq!(err_kind("a; @"), SyntaxErrorKind::ExpectedName);
    }

    #[test]
    fn junk_after_name_or_value_is_rejected() {
        assert_eq!(
            err_kind(r#"in"clude"#),
            SyntaxErrorKind::UnexpectedCharacter
        );
        assert_eq!(err_kind("a=1 b"), SyntaxErrorKind::UnexpectedCharacter);
        assert_eq!(err_kind("a=1,b"), SyntaxErrorKind::UnexpectedCharacter);
        assert_eq!(err_kind(r#"a="x"y"#), SyntaxErrorKind::UnexpectedCharacter);
        assert_eq!(err_kind("a==1"), SyntaxErrorKind::MissingValue);
    }

    #[test]
    fn equals_without_value_is_rejected() {
        assert_eq!(err_kind("a="), SyntaxErrorKind::MissingValue);
        assert_eq!(err_kind("a= ;b"), SyntaxErrorKind::MissingValue);
    }

    #[test]
    fn quoted_string_errors_are_typed() {
        assert_eq!(
            err_kind(r#"a="x"#),
            SyntaxErrorKind::UnterminatedQuotedString
        );
        assert_eq!(
            err_kind("a=\"x\u{1}\""),
            SyntaxErrorKind::ControlCharacterInQuotedString
        );
        assert_eq!(
            err_kind("a=\"x\\\u{1}\""),
            SyntaxErrorKind::InvalidQuotedPair
        );
        assert_eq!(err_kind(r#"a="x\"#), SyntaxErrorKind::InvalidQuotedPair);
    }

    #[test]
    fn single_quote_is_a_token_char_in_rfc_mode() {
        let v = collect("a='1'").unwrap();
        assert_eq!(v[0].1, Some(("'1'".into(), false)));
        // Without quoting, the `;` splits: two directives `a='x` and `y'`.
        let v = collect("a='x;y'").unwrap();
        assert_eq!(v[0].1, Some(("'x".into(), false)));
        assert_eq!(v[1].0, "y'");
    }

    #[test]
    fn single_quotes_open_a_value_in_legacy_mode() {
        let mut it = Directives::with_quote_style(r"a='x\'\a'; b", QuoteStyle::DoubleOrSingle);
        let a = it.next().unwrap().unwrap();
        assert_eq!(a.value().unwrap().unescaped(), "x'a");
        assert!(a.value().unwrap().is_quoted());
        assert_eq!(it.next().unwrap().unwrap().name(), "b");
        assert!(it.next().is_none());
    }

    #[test]
    fn obs_text_is_allowed_in_quoted_strings_only() {
        assert!(collect("a=\"caf\u{e9}\"").is_ok());
        assert_eq!(
            err_kind("a=caf\u{e9}"),
            SyntaxErrorKind::UnexpectedCharacter
        );
    }

    #[test]
    fn error_offsets_point_at_the_problem() {
        let e = collect("max-age=1; in\"x").unwrap_err();
        assert_eq!(e.offset(), 13);
        let e = collect("a=\"unterminated").unwrap_err();
        assert_eq!(e.offset(), 2);
    }

    #[test]
    fn iteration_stops_after_first_error() {
        let mut it = Directives::new("a; @; b");
        assert!(it.next().unwrap().is_ok());
        assert!(it.next().unwrap().is_err());
        assert!(it.next().is_none());
    }

    #[test]
    fn write_quoted_round_trips_through_the_parser() {
        let mut s = String::from("x=");
        write_quoted(&mut s, r#"he said "hi" \o/"#).unwrap();
        let v = collect(&s).unwrap();
        assert_eq!(v[0].1, Some((r#"he said "hi" \o/"#.into(), true)));
    }

    #[test]
    fn every_tchar_is_accepted_in_a_name_and_every_delimiter_is_refused() {
        // RFC 9110 §5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
        // "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
        let name = "!#$%&'*+-.^_`|~09azAZ";
        assert_eq!(collect(name).unwrap(), vec![(name.to_owned(), None)]);
        // Delimiters are "(),/:;<=>?@[\]{}" and DQUOTE; none may start a name.
        for delimiter in [
            '(', ')', ',', '/', ':', '<', '>', '?', '@', '[', '\\', ']', '{', '}',
        ] {
            assert_eq!(
                err_kind(&format!("{delimiter}x")),
                SyntaxErrorKind::ExpectedName,
                "{delimiter:?}"
            );
            assert!(!is_tchar(delimiter as u8), "{delimiter:?}");
        }
        for b in 0..=0x20u8 {
            assert!(!is_tchar(b), "{b:#x}");
        }
        assert!(!is_tchar(0x7f) && !is_tchar(0x80) && !is_tchar(0xff));
    }

    #[test]
    fn only_space_and_htab_are_ows() {
        // OWS = *( SP / HTAB ); VT, FF, CR and LF are not white space here.
        assert_eq!(collect("\t a \t= \t1 \t; \t").unwrap().len(), 1);
        for other in ['\u{b}', '\u{c}', '\r', '\n'] {
            assert_eq!(
                err_kind(&format!("a=1{other}")),
                SyntaxErrorKind::UnexpectedCharacter,
                "{other:?}"
            );
            assert_eq!(
                err_kind(&format!("{other}a=1")),
                SyntaxErrorKind::ExpectedName,
                "{other:?}"
            );
        }
    }

    #[test]
    fn qdtext_accepts_htab_space_and_visible_ascii_and_refuses_other_controls() {
        // qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
        let all_visible: String = (0x20u8..=0x7e)
            .filter(|&b| b != b'"' && b != b'\\')
            .map(char::from)
            .collect();
        let v = collect(&format!("a=\"\t{all_visible}\u{80}\u{ff}\"")).unwrap();
        assert_eq!(v[0].1, Some((format!("\t{all_visible}\u{80}\u{ff}"), true)));
        for control in (0x00u8..0x09).chain(0x0a..0x20).chain([0x7f]) {
            let s = format!("a=\"x{}\"", char::from(control));
            let e = collect(&s).unwrap_err();
            assert_eq!(
                e.kind(),
                SyntaxErrorKind::ControlCharacterInQuotedString,
                "{control:#x}"
            );
            assert_eq!(e.offset(), 4, "{control:#x}");
        }
    }

    #[test]
    fn quoted_pair_accepts_htab_space_vchar_and_obs_text_only() {
        // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
        assert_eq!(
            collect("a=\"\\\t\"").unwrap()[0].1,
            Some(("\t".into(), true))
        );
        assert_eq!(collect("a=\"\\ \"").unwrap()[0].1, Some((" ".into(), true)));
        assert_eq!(collect("a=\"\\~\"").unwrap()[0].1, Some(("~".into(), true)));
        // A backslash before a multi-byte character escapes the whole character.
        assert_eq!(
            collect("a=\"\\\u{e9}x\"").unwrap()[0].1,
            Some(("\u{e9}x".into(), true))
        );
        for control in (0x00u8..0x09).chain(0x0a..0x20).chain([0x7f]) {
            let s = format!("a=\"\\{}\"", char::from(control));
            let e = collect(&s).unwrap_err();
            assert_eq!(e.kind(), SyntaxErrorKind::InvalidQuotedPair, "{control:#x}");
            assert_eq!(e.offset(), 3, "{control:#x}");
        }
    }

    #[test]
    fn is_quotable_matches_what_the_parser_accepts_in_a_quoted_string() {
        for b in 0u8..=0x7f {
            let text = char::from(b).to_string();
            let mut quoted = String::from("a=");
            write_quoted(&mut quoted, &text).unwrap();
            assert_eq!(
                is_quotable(&text),
                collect(&quoted).is_ok(),
                "{b:#x} quotable vs parsed"
            );
        }
        assert!(is_quotable(""));
        assert!(is_quotable("caf\u{e9}"));
    }

    #[test]
    fn unterminated_single_quote_in_legacy_mode_is_an_error_at_the_quote() {
        let e = Directives::with_quote_style("a=1; b='x", QuoteStyle::DoubleOrSingle)
            .validate()
            .unwrap_err();
        assert_eq!(e.kind(), SyntaxErrorKind::UnterminatedQuotedString);
        assert_eq!(e.offset(), 7);
        // Each quote character closes only its own kind of quoted value.
        let d = Directives::with_quote_style(r#"a='x"y'; b="p'q""#, QuoteStyle::DoubleOrSingle)
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        assert_eq!(d[0].value().unwrap().unescaped(), "x\"y");
        assert_eq!(d[1].value().unwrap().unescaped(), "p'q");
    }

    #[test]
    fn delta_seconds_is_exact_up_to_u64_max_and_saturates_one_above() {
        // 19 digits: the largest length read without overflow checks.
        assert_eq!(
            delta_seconds(b"9999999999999999999"),
            Some(9_999_999_999_999_999_999)
        );
        // 20 digits that still fit in a u64.
        assert_eq!(
            delta_seconds(b"10000000000000000000"),
            Some(10_000_000_000_000_000_000)
        );
        assert_eq!(delta_seconds(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(delta_seconds(b"18446744073709551614"), Some(u64::MAX - 1));
        assert_eq!(delta_seconds(b"18446744073709551616"), Some(u64::MAX));
        // Leading zeros do not count towards the size of the number.
        assert_eq!(delta_seconds(b"0000000000000000000000000001"), Some(1));
        assert_eq!(delta_seconds(b"0"), Some(0));
        for bad in [&b" 1"[..], b"1 ", b"+1", b"-0", b"1.0", b"1e3", b"\xd9\xa1"] {
            assert_eq!(delta_seconds(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn isomorphic_decode_maps_each_byte_to_one_code_point() {
        assert!(matches!(isomorphic_decode(b"max-age=1"), Cow::Borrowed(_)));
        let decoded = isomorphic_decode(&[0x61, 0x7f, 0x80, 0xff]);
        assert_eq!(decoded, "a\u{7f}\u{80}\u{ff}");
        assert_eq!(decoded.chars().count(), 4);
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        fn token() -> impl Strategy<Value = String> {
            "[!#$%&'*+.^_`|~0-9a-zA-Z-]{1,12}"
        }

        fn value() -> impl Strategy<Value = Option<(String, bool)>> {
            prop_oneof![
                Just(None),
                token().prop_map(|t| Some((t, false))),
                "[ -~\t\u{80}-\u{ff}]{0,16}".prop_map(|s| Some((s, true))),
            ]
        }

        proptest! {
            #[test]
            fn never_panics_on_any_input(s in "\\PC{0,64}") {
                let strict = Directives::new(&s).map_while(Result::ok).count();
                let legacy = Directives::with_quote_style(&s, QuoteStyle::DoubleOrSingle)
                    .map_while(Result::ok)
                    .map(|d| d.value().map_or(0, |v| v.unescaped().len()))
                    .sum::<usize>();
                prop_assert!(strict <= s.len() && legacy <= s.len());
            }

            #[test]
            fn serialized_directives_parse_back(
                items in proptest::collection::vec((token(), value()), 0..6),
                sep in "[ \t]{0,2};[ \t]{0,2}",
            ) {
                let mut s = String::new();
                for (i, (name, value)) in items.iter().enumerate() {
                    if i > 0 { s.push_str(&sep); }
                    s.push_str(name);
                    match value {
                        None => {}
                        Some((v, false)) => { s.push('='); s.push_str(v); }
                        Some((v, true)) => { s.push('='); write_quoted(&mut s, v).unwrap(); }
                    }
                }
                let parsed = collect(&s).unwrap();
                prop_assert_eq!(parsed, items);
            }
        }
    }
}
