//! The browser's Set-Cookie parsing algorithm (RFC 6265bis §5.6) and the typed result.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use crate::date::{CookieDate, parse_cookie_date};
use crate::prefix::{CookiePrefix, SameSite};

/// RFC 6265bis §5.6 step 5 / §6.1: the most octets `name` and `value` may hold together.
///
/// ```
/// use cookie_attrs::{MAX_NAME_VALUE_LEN, ParseError, SetCookie};
///
/// let at_limit = format!("id={}", "v".repeat(MAX_NAME_VALUE_LEN - 2));
/// assert!(SetCookie::parse(&at_limit).is_ok());
/// // One octet more: the browser ignores the whole Set-Cookie.
/// let over = format!("{at_limit}v");
/// assert_eq!(SetCookie::parse(&over), Err(ParseError::TooLarge { len: MAX_NAME_VALUE_LEN + 1 }));
/// ```
pub const MAX_NAME_VALUE_LEN: usize = 4096;
/// RFC 6265bis §5.6, attributes step 6: the longest attribute value a browser processes.
///
/// ```
/// use cookie_attrs::{DiagnosticKind, MAX_ATTRIBUTE_VALUE_LEN, SetCookie};
///
/// let path = format!("/{}", "p".repeat(MAX_ATTRIBUTE_VALUE_LEN - 1));
/// let at_limit = format!("id=1; Path={path}");
/// assert_eq!(SetCookie::parse(&at_limit).unwrap().path(), Some(path.as_str()));
/// // One octet more: the attribute is ignored, the cookie is kept.
/// let over = format!("{at_limit}p");
/// let (cookie, diagnostics) = SetCookie::parse_with_diagnostics(&over).unwrap();
/// assert_eq!(cookie.path(), None);
/// assert_eq!(diagnostics[0].kind, DiagnosticKind::AttributeValueTooLong);
/// ```
pub const MAX_ATTRIBUTE_VALUE_LEN: usize = 1024;
/// RFC 6265bis §5.5: the lifetime limit browsers apply to `Expires` and `Max-Age`
/// (400 days, in seconds).
///
/// ```
/// use cookie_attrs::{CookieDate, Expiry, MAX_LIFETIME_SECONDS, SetCookie, check};
///
/// let now = CookieDate::from_unix_seconds(0);
/// let capped = Expiry::At(CookieDate::from_unix_seconds(MAX_LIFETIME_SECONDS));
/// let at_limit = format!("id=1; Max-Age={MAX_LIFETIME_SECONDS}");
/// assert_eq!(SetCookie::parse(&at_limit).unwrap().expiry(now), capped);
/// assert!(check(&at_limit).get("set-cookie-lifetime-over-400-days").is_none());
/// // A longer lifetime is cut to the limit, and the audit points it out.
/// let over = format!("id=1; Max-Age={}", MAX_LIFETIME_SECONDS + 1);
/// assert_eq!(SetCookie::parse(&over).unwrap().expiry(now), capped);
/// assert!(check(&over).get("set-cookie-lifetime-over-400-days").is_some());
/// ```
pub const MAX_LIFETIME_SECONDS: i64 = 400 * 24 * 60 * 60;

/// Why a browser ignores a whole Set-Cookie string.
///
/// ```
/// use cookie_attrs::{ParseError, SetCookie};
/// assert_eq!(SetCookie::parse("a=b\u{0}c"), Err(ParseError::ControlCharacter { byte: 0, offset: 3 }));
/// assert_eq!(SetCookie::parse("="), Err(ParseError::EmptyNameAndValue));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// RFC 6265bis §5.6 step 1: a CTL other than HTAB anywhere in the string.
    #[error("control character 0x{byte:02x} at byte {offset}: the whole Set-Cookie is ignored")]
    ControlCharacter {
        /// The control byte.
        byte: u8,
        /// Its byte offset in the input.
        offset: usize,
    },
    /// RFC 6265bis §5.7 step 2: both the name and the value are empty.
    #[error("the cookie has neither a name nor a value")]
    EmptyNameAndValue,
    /// RFC 6265bis §5.6 step 5: name and value together exceed 4096 octets.
    #[error("name and value are {len} octets together, more than the 4096 browsers accept")]
    TooLarge {
        /// Length of name plus value, in octets.
        len: usize,
    },
    /// The header value is not UTF-8 text (only for [`http::HeaderValue`] input).
    #[error("the Set-Cookie header value is not UTF-8")]
    NotUtf8,
}

/// Something a browser ignores or overrides while parsing a Set-Cookie string; the cookie is
/// still usable.
///
/// ```
/// use cookie_attrs::{DiagnosticKind, SetCookie};
/// let (_, diags) = SetCookie::parse_with_diagnostics("a=b; Max-Age=1.5; Priority=High").unwrap();
/// assert_eq!(diags[0].kind, DiagnosticKind::InvalidMaxAge);
/// assert_eq!(diags[1].kind, DiagnosticKind::UnknownAttribute);
/// assert_eq!(diags[1].span, 18..31);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// What happened.
    pub kind: DiagnosticKind,
    /// Byte range of the attribute (the cookie-av, WSP-trimmed) in the input.
    pub span: Range<usize>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (bytes {}..{})",
            self.kind, self.span.start, self.span.end
        )
    }
}

/// The kinds of [`Diagnostic`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DiagnosticKind {
    /// An attribute name browsers do not know (`Priority`, `Version`, `"Secure"`, ...); ignored.
    UnknownAttribute,
    /// An attribute value longer than 1024 octets; the attribute is ignored (§5.6 step 6).
    AttributeValueTooLong,
    /// An `Expires` value the cookie-date algorithm cannot parse; ignored (§5.6.1).
    InvalidExpires,
    /// A `Max-Age` value that is not `-?DIGIT+`; ignored (§5.6.2).
    InvalidMaxAge,
    /// A `Path` value that is empty or does not start with `/`; the default-path is used
    /// (§5.6.4).
    NonAbsolutePath,
    /// A `SameSite` value other than `Strict`, `Lax` or `None`; "Default" enforcement (§5.6.7).
    UnrecognizedSameSite,
    /// `Secure`, `HttpOnly` or `Partitioned` carried a value, which is ignored.
    IgnoredAttributeValue,
    /// An attribute repeated: the last one wins and this earlier one is overridden.
    OverriddenAttribute,
    /// Both `Max-Age` and `Expires`: `Max-Age` wins regardless of order (§5.7 step 6).
    ExpiresOverriddenByMaxAge,
}

impl fmt::Display for DiagnosticKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::UnknownAttribute => "unknown attribute, ignored",
            Self::AttributeValueTooLong => "attribute value longer than 1024 octets, ignored",
            Self::InvalidExpires => "Expires is not a cookie-date, ignored",
            Self::InvalidMaxAge => "Max-Age is not an integer, ignored",
            Self::NonAbsolutePath => "Path does not start with '/', the default-path is used",
            Self::UnrecognizedSameSite => {
                "SameSite is not Strict, Lax or None, \"Default\" enforcement applies"
            }
            Self::IgnoredAttributeValue => "this attribute takes no value, the value is ignored",
            Self::OverriddenAttribute => "repeated attribute, overridden by a later one",
            Self::ExpiresOverriddenByMaxAge => "Expires is overridden by Max-Age",
        })
    }
}

/// When a stored cookie expires.
///
/// ```
/// use cookie_attrs::{CookieDate, Expiry, SetCookie};
/// let now = CookieDate::from_unix_seconds(1_000_000);
/// let c = SetCookie::parse("a=b; Max-Age=60").unwrap();
/// assert_eq!(c.expiry(now), Expiry::At(CookieDate::from_unix_seconds(1_000_060)));
/// assert_eq!(SetCookie::parse("a=b").unwrap().expiry(now), Expiry::Session);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    /// No `Expires`/`Max-Age`: removed when the session ends.
    Session,
    /// Expires at this time (in the past: the cookie deletes any stored one).
    At(CookieDate),
}

/// A parsed `Set-Cookie` header value with the attributes a browser would act on.
///
/// Built only by the browser parsing algorithm of RFC 6265bis §5.6, so every field holds what a
/// browser would store: name and value WSP-trimmed, quotes kept, no percent-decoding; the last
/// of each repeated attribute; `Domain` without its leading dot and lowercased; `Path` only when
/// it starts with `/`; unknown attributes dropped (see [`SetCookie::parse_with_diagnostics`]).
/// Borrows from the input where it can.
///
/// Equality compares what the browser would act on.
///
/// ```
/// use cookie_attrs::{SameSite, SetCookie};
/// let c = SetCookie::parse("__Host-sid=\"a b\"; Path=/; Secure; HttpOnly; SameSite=lax").unwrap();
/// assert_eq!(c.name(), "__Host-sid");
/// assert_eq!(c.value(), "\"a b\"");
/// assert_eq!(c.path(), Some("/"));
/// assert!(c.secure() && c.http_only());
/// assert_eq!(c.same_site(), Some(SameSite::Lax));
/// assert_eq!(c.to_string(), "__Host-sid=\"a b\"; Path=/; Secure; HttpOnly; SameSite=Lax");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SetCookie<'a> {
    name: Cow<'a, str>,
    value: Cow<'a, str>,
    expires: Option<CookieDate>,
    max_age: Option<i64>,
    domain: Option<Cow<'a, str>>,
    path: Option<Cow<'a, str>>,
    secure: bool,
    http_only: bool,
    same_site: Option<SameSite>,
    partitioned: bool,
}

/// RFC 5234 WSP: SP / HTAB.
const fn is_wsp(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// Removes leading and trailing WSP (not other whitespace), returning the trimmed slice and the
/// number of bytes removed at the front.
fn trim_wsp(s: &str) -> (&str, usize) {
    let bytes = s.as_bytes();
    let start = bytes
        .iter()
        .position(|&b| !is_wsp(b))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|&b| !is_wsp(b))
        .map_or(start, |i| i + 1);
    // WSP bytes are ASCII, so both ends are char boundaries.
    (s.get(start..end).unwrap_or(""), start)
}

/// RFC 6265bis §5.6 step 1: the first CTL other than HTAB (%x00-08 / %x0A-1F / %x7F).
fn find_ctl(bytes: &[u8]) -> Option<(usize, u8)> {
    // Fast, vectorisable scan first; HTAB (rare) sends the value to the exact scan below.
    if !bytes.iter().any(|&b| b < 0x20 || b == 0x7f) {
        return None;
    }
    bytes
        .iter()
        .position(|&b| (b < 0x20 && b != b'\t') || b == 0x7f)
        .and_then(|i| bytes.get(i).map(|&b| (i, b)))
}

/// RFC 6265bis §5.6.2 steps 1-4: `-?DIGIT+` as a base-10 integer (saturating), else `None`.
fn parse_max_age(value: &str) -> Option<i64> {
    let (negative, digits) = match value.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, value),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let magnitude = digits.bytes().fold(0i64, |acc, b| {
        acc.saturating_mul(10).saturating_add(i64::from(b - b'0'))
    });
    Some(if negative { -magnitude } else { magnitude })
}

/// Attribute names browsers recognise (RFC 6265bis §5.6.1-7 and CHIPS).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Known {
    Expires = 0,
    MaxAge,
    Domain,
    Path,
    Secure,
    HttpOnly,
    SameSite,
    Partitioned,
}

fn known_attribute(name: &str) -> Option<Known> {
    // Dispatch on length first so most names cost one comparison.
    let candidate = match name.len() {
        4 => Known::Path,
        6 => Known::Domain,
        7 => {
            if name
                .as_bytes()
                .first()
                .is_some_and(|b| b.eq_ignore_ascii_case(&b'e'))
            {
                Known::Expires
            } else {
                Known::MaxAge
            }
        }
        8 => {
            if name
                .as_bytes()
                .first()
                .is_some_and(|b| b.eq_ignore_ascii_case(&b'h'))
            {
                Known::HttpOnly
            } else {
                Known::SameSite
            }
        }
        11 => Known::Partitioned,
        _ => return None,
    };
    let spelled = match candidate {
        Known::Expires => "expires",
        Known::MaxAge => "max-age",
        Known::Domain => {
            if name.eq_ignore_ascii_case("secure") {
                return Some(Known::Secure);
            }
            "domain"
        }
        Known::Path => "path",
        Known::Secure => "secure",
        Known::HttpOnly => "httponly",
        Known::SameSite => "samesite",
        Known::Partitioned => "partitioned",
    };
    name.eq_ignore_ascii_case(spelled).then_some(candidate)
}

impl<'a> SetCookie<'a> {
    /// Parses a Set-Cookie string as a browser does (RFC 6265bis §5.6), borrowing from it.
    ///
    /// # Errors
    /// [`ParseError`] when a browser ignores the whole string: a control character, no name and
    /// no value, or name + value over 4096 octets.
    ///
    /// ```
    /// use cookie_attrs::SetCookie;
    /// let c = SetCookie::parse("id=a=b, c; secure; Domain=.Example.COM; Path=docs").unwrap();
    /// assert_eq!((c.name(), c.value()), ("id", "a=b, c"));
    /// assert_eq!(c.domain(), Some("example.com"));
    /// assert_eq!(c.path(), None); // not absolute: the default-path applies
    /// assert!(c.secure());
    /// let nameless = SetCookie::parse("just-a-value").unwrap();
    /// assert_eq!((nameless.name(), nameless.value()), ("", "just-a-value"));
    /// ```
    pub fn parse(input: &'a str) -> Result<Self, ParseError> {
        parse_set_cookie(input, &mut NoDiagnostics)
    }

    /// Like [`SetCookie::parse`], and also reports everything the browser ignored or
    /// overrode.
    ///
    /// # Errors
    /// As [`SetCookie::parse`].
    ///
    /// ```
    /// use cookie_attrs::{DiagnosticKind, SetCookie};
    /// let (c, d) = SetCookie::parse_with_diagnostics("a=b; SameSite=Lax; samesite=wrong").unwrap();
    /// assert_eq!(c.same_site(), None); // the last one wins: "Default" enforcement
    /// let kinds: Vec<_> = d.iter().map(|d| d.kind).collect();
    /// // sorted by position: the overridden `SameSite=Lax` comes first
    /// assert_eq!(kinds, [DiagnosticKind::OverriddenAttribute, DiagnosticKind::UnrecognizedSameSite]);
    /// ```
    pub fn parse_with_diagnostics(input: &'a str) -> Result<(Self, Vec<Diagnostic>), ParseError> {
        let mut diagnostics = Vec::new();
        let cookie = parse_set_cookie(input, &mut diagnostics)?;
        diagnostics.sort_by_key(|d| d.span.start);
        Ok((cookie, diagnostics))
    }

    /// The cookie name (empty for a nameless cookie).
    ///
    /// ```
    /// assert_eq!(cookie_attrs::SetCookie::parse(" id =1").unwrap().name(), "id");
    /// ```
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The cookie value, exactly as sent (quotes kept, no percent-decoding).
    ///
    /// ```
    /// assert_eq!(cookie_attrs::SetCookie::parse("id=%41").unwrap().value(), "%41");
    /// ```
    #[must_use]
    pub fn value(&self) -> &str {
        &self.value
    }

    /// Whether the cookie has no name (`Set-Cookie: value` or `=value`).
    ///
    /// ```
    /// assert!(cookie_attrs::SetCookie::parse("=v").unwrap().is_nameless());
    /// ```
    #[must_use]
    pub fn is_nameless(&self) -> bool {
        self.name.is_empty()
    }

    /// The last valid `Expires` date, before the 400-day cap.
    ///
    /// ```
    /// let c = cookie_attrs::SetCookie::parse("a=b; expires=Thu, 01 Jan 1970 00:00:10 GMT").unwrap();
    /// assert_eq!(c.expires().unwrap().unix_seconds(), 10);
    /// ```
    #[must_use]
    pub fn expires(&self) -> Option<CookieDate> {
        self.expires
    }

    /// The last valid `Max-Age` in seconds, before the 400-day cap (≤ 0 deletes the cookie).
    ///
    /// ```
    /// assert_eq!(cookie_attrs::SetCookie::parse("a=b; Max-Age=-5").unwrap().max_age(), Some(-5));
    /// ```
    #[must_use]
    pub fn max_age(&self) -> Option<i64> {
        self.max_age
    }

    /// The `Domain` attribute (leading dot removed, lowercased); `None` for a host-only cookie.
    ///
    /// ```
    /// assert_eq!(cookie_attrs::SetCookie::parse("a=b; Domain=").unwrap().domain(), None);
    /// ```
    #[must_use]
    pub fn domain(&self) -> Option<&str> {
        self.domain.as_deref()
    }

    /// The explicit `Path` attribute when it starts with `/`; `None` means the default-path.
    ///
    /// ```
    /// assert_eq!(cookie_attrs::SetCookie::parse("a=b; Path=/x").unwrap().path(), Some("/x"));
    /// ```
    #[must_use]
    pub fn path(&self) -> Option<&str> {
        self.path.as_deref()
    }

    /// Whether the `Secure` attribute is present.
    ///
    /// ```
    /// assert!(!cookie_attrs::SetCookie::parse("a=b; \"Secure\"").unwrap().secure());
    /// ```
    #[must_use]
    pub fn secure(&self) -> bool {
        self.secure
    }

    /// Whether the `HttpOnly` attribute is present.
    ///
    /// ```
    /// assert!(cookie_attrs::SetCookie::parse("a=b; httponly").unwrap().http_only());
    /// ```
    #[must_use]
    pub fn http_only(&self) -> bool {
        self.http_only
    }

    /// The `SameSite` enforcement; `None` means "Default" (no attribute, or an unrecognized
    /// value in the last one).
    ///
    /// ```
    /// use cookie_attrs::{SameSite, SetCookie};
    /// assert_eq!(SetCookie::parse("a=b; SameSite=STRICT").unwrap().same_site(), Some(SameSite::Strict));
    /// ```
    #[must_use]
    pub fn same_site(&self) -> Option<SameSite> {
        self.same_site
    }

    /// Whether the `Partitioned` attribute (CHIPS) is present.
    ///
    /// ```
    /// assert!(cookie_attrs::SetCookie::parse("a=b; Partitioned=yes").unwrap().partitioned());
    /// ```
    #[must_use]
    pub fn partitioned(&self) -> bool {
        self.partitioned
    }

    /// The name prefix a browser enforces for this cookie (case-insensitive match).
    ///
    /// ```
    /// use cookie_attrs::{CookiePrefix, SetCookie};
    /// assert_eq!(SetCookie::parse("__secure-a=b").unwrap().prefix(), Some(CookiePrefix::Secure));
    /// ```
    #[must_use]
    pub fn prefix(&self) -> Option<CookiePrefix> {
        CookiePrefix::of(&self.name)
    }

    /// The lifetime the server asked for, in seconds from `now`, before the 400-day cap:
    /// `Max-Age` if present (it beats `Expires`), else `Expires - now`, else `None` (session).
    ///
    /// ```
    /// use cookie_attrs::{CookieDate, SetCookie};
    /// let c = SetCookie::parse("a=b; Max-Age=99999999").unwrap();
    /// assert_eq!(c.requested_lifetime(CookieDate::from_unix_seconds(0)), Some(99_999_999));
    /// ```
    #[must_use]
    pub fn requested_lifetime(&self, now: CookieDate) -> Option<i64> {
        match (self.max_age, self.expires) {
            (Some(max_age), _) => Some(max_age),
            (None, Some(expires)) => {
                Some(expires.unix_seconds().saturating_sub(now.unix_seconds()))
            }
            (None, None) => None,
        }
    }

    /// When a browser would expire the cookie, received at `now`: RFC 6265bis §5.7 step 6
    /// (`Max-Age` beats `Expires`) with the 400-day cap of §5.5.
    ///
    /// ```
    /// use cookie_attrs::{CookieDate, Expiry, SetCookie};
    /// let now = CookieDate::from_unix_seconds(0);
    /// let c = SetCookie::parse("a=b; Max-Age=999999999; Expires=Thu, 01 Jan 1970 00:00:01 GMT").unwrap();
    /// assert_eq!(c.expiry(now), Expiry::At(CookieDate::from_unix_seconds(34_560_000)));
    /// ```
    #[must_use]
    pub fn expiry(&self, now: CookieDate) -> Expiry {
        match self.requested_lifetime(now) {
            None => Expiry::Session,
            Some(seconds) if seconds <= 0 && self.max_age.is_some() => {
                // §5.6.2 step 7: the earliest representable date.
                Expiry::At(CookieDate::from_unix_seconds(i64::MIN))
            }
            Some(seconds) => Expiry::At(CookieDate::from_unix_seconds(
                now.unix_seconds()
                    .saturating_add(seconds.min(MAX_LIFETIME_SECONDS)),
            )),
        }
    }

    /// Copies every borrowed part, detaching the cookie from the input.
    ///
    /// ```
    /// let owned: cookie_attrs::SetCookie<'static> =
    ///     cookie_attrs::SetCookie::parse(&String::from("a=b")).unwrap().into_owned();
    /// assert_eq!(owned.value(), "b");
    /// ```
    #[must_use]
    pub fn into_owned(self) -> SetCookie<'static> {
        SetCookie {
            name: Cow::Owned(self.name.into_owned()),
            value: Cow::Owned(self.value.into_owned()),
            expires: self.expires,
            max_age: self.max_age,
            domain: self.domain.map(|d| Cow::Owned(d.into_owned())),
            path: self.path.map(|p| Cow::Owned(p.into_owned())),
            secure: self.secure,
            http_only: self.http_only,
            same_site: self.same_site,
            partitioned: self.partitioned,
        }
    }

    /// The canonical serialization as an [`http::HeaderValue`] (same text as `Display`).
    ///
    /// ```
    /// let c = cookie_attrs::SetCookie::parse("a=b;secure").unwrap();
    /// assert_eq!(c.to_header_value(), "a=b; Secure");
    /// ```
    #[must_use]
    pub fn to_header_value(&self) -> http::HeaderValue {
        // The parser rejects every CTL except HTAB, and HeaderValue accepts HTAB, visible ASCII
        // and obs-text (all other UTF-8 bytes), so this conversion cannot fail.
        http::HeaderValue::from_str(&self.to_string())
            .unwrap_or_else(|_| http::HeaderValue::from_static(""))
    }
}

/// Where diagnostics go; a no-op sink keeps [`SetCookie::parse`] allocation-free.
trait DiagnosticSink {
    fn push(&mut self, kind: DiagnosticKind, span: Range<usize>);
}

struct NoDiagnostics;

impl DiagnosticSink for NoDiagnostics {
    #[inline]
    fn push(&mut self, _: DiagnosticKind, _: Range<usize>) {}
}

impl DiagnosticSink for Vec<Diagnostic> {
    fn push(&mut self, kind: DiagnosticKind, span: Range<usize>) {
        Vec::push(self, Diagnostic { kind, span });
    }
}

/// Lowercases ASCII letters, borrowing when there are none to change.
fn ascii_lowercase(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

fn parse_set_cookie<'a>(
    input: &'a str,
    sink: &mut impl DiagnosticSink,
) -> Result<SetCookie<'a>, ParseError> {
    let bytes = input.as_bytes();
    // §5.6 step 1: "If the set-cookie-string contains a %x00-08 / %x0A-1F / %x7F character
    // (CTL characters excluding HTAB): Abort these steps and ignore the set-cookie-string
    // entirely."
    if let Some((offset, byte)) = find_ctl(bytes) {
        return Err(ParseError::ControlCharacter { byte, offset });
    }
    // §5.6 step 2: the name-value-pair runs up to the first ";" (which always splits, even
    // inside quotes); the unparsed-attributes are the rest, including that ";".
    let semicolon = input.find(';');
    let (pair, attributes_start) = match semicolon {
        Some(i) => (input.get(..i).unwrap_or(""), i),
        None => (input, input.len()),
    };
    // §5.6 step 3: without "=", the name is empty and the value is the whole pair (a nameless
    // cookie); otherwise split at the first "=".
    let (name, value) = match pair.find('=') {
        Some(i) => (pair.get(..i).unwrap_or(""), pair.get(i + 1..).unwrap_or("")),
        None => ("", pair),
    };
    // §5.6 step 4: remove leading and trailing WSP from name and value.
    let (name, _) = trim_wsp(name);
    let (value, _) = trim_wsp(value);
    // §5.7 step 2: "If cookie-name is empty and cookie-value is empty, ... ignore the cookie".
    if name.is_empty() && value.is_empty() {
        return Err(ParseError::EmptyNameAndValue);
    }
    // §5.6 step 5: "If the sum of the lengths of the name string and the value string is more
    // than 4096 octets, ... ignore the set-cookie-string entirely."
    let len = name.len() + value.len();
    if len > MAX_NAME_VALUE_LEN {
        return Err(ParseError::TooLarge { len });
    }
    let mut cookie = SetCookie {
        name: Cow::Borrowed(name),
        value: Cow::Borrowed(value),
        expires: None,
        max_age: None,
        domain: None,
        path: None,
        secure: false,
        http_only: false,
        same_site: None,
        partitioned: false,
    };
    // Where each recognised attribute was last seen, to report overridden repeats.
    let mut last_seen: [Option<Range<usize>>; 8] = Default::default();
    let mut offset = attributes_start;
    // Attribute steps 1-2: while unparsed-attributes is non-empty, discard the leading ";".
    while offset < input.len() {
        let start = offset + 1;
        let rest = input.get(start..).unwrap_or("");
        // Step 3: the cookie-av runs up to the next ";" (or the end).
        let av_len = rest.find(';').unwrap_or(rest.len());
        offset = start + av_len;
        let av = rest.get(..av_len).unwrap_or("");
        // Step 4: split at the first "=" (no "=": the whole cookie-av is the name).
        let (raw_name, raw_value) = match av.find('=') {
            Some(i) => (
                av.get(..i).unwrap_or(""),
                Some(av.get(i + 1..).unwrap_or("")),
            ),
            None => (av, None),
        };
        // Step 5: remove leading and trailing WSP from attribute name and value.
        let (attr_name, _) = trim_wsp(raw_name);
        let attr_value = raw_value.map_or("", |v| trim_wsp(v).0);
        if attr_name.is_empty() && attr_value.is_empty() {
            continue; // ";;" or "; =": nothing to process
        }
        let (trimmed_av, lead) = trim_wsp(av);
        let span = start + lead..start + lead + trimmed_av.len();
        // Step 6: "If the attribute-value is longer than 1024 octets, ignore the cookie-av".
        if attr_value.len() > MAX_ATTRIBUTE_VALUE_LEN {
            sink.push(DiagnosticKind::AttributeValueTooLong, span);
            continue;
        }
        // Step 7: process recognised attribute names (case-insensitive); ignore the others.
        let Some(known) = known_attribute(attr_name) else {
            sink.push(DiagnosticKind::UnknownAttribute, span);
            continue;
        };
        let applied = match known {
            // §5.6.1: parse as cookie-date; on failure ignore the cookie-av.
            Known::Expires => match parse_cookie_date(attr_value) {
                Some(date) => {
                    cookie.expires = Some(date);
                    true
                }
                None => {
                    sink.push(DiagnosticKind::InvalidExpires, span.clone());
                    false
                }
            },
            // §5.6.2: `-?DIGIT+` only, otherwise ignore the cookie-av.
            Known::MaxAge => match parse_max_age(attr_value) {
                Some(seconds) => {
                    cookie.max_age = Some(seconds);
                    true
                }
                None => {
                    sink.push(DiagnosticKind::InvalidMaxAge, span.clone());
                    false
                }
            },
            // §5.6.3: strip one leading ".", convert to lower case. An empty domain-attribute
            // makes the cookie host-only (§5.7 step 10).
            Known::Domain => {
                let domain = attr_value.strip_prefix('.').unwrap_or(attr_value);
                cookie.domain = (!domain.is_empty()).then(|| ascii_lowercase(domain));
                true
            }
            // §5.6.4: an empty value or one not starting with "/" means the default-path. We
            // keep `None` for it: the `__Host-` rule needs an explicit "Path=/" (WPT
            // `__host.explicit-path`; layered-cookies sets has-path only for "/..." values).
            Known::Path => {
                if attr_value.starts_with('/') {
                    cookie.path = Some(Cow::Borrowed(attr_value));
                } else {
                    cookie.path = None;
                    sink.push(DiagnosticKind::NonAbsolutePath, span.clone());
                }
                true
            }
            // §5.6.5, §5.6.6, CHIPS: flags; any value is ignored.
            Known::Secure | Known::HttpOnly | Known::Partitioned => {
                match known {
                    Known::Secure => cookie.secure = true,
                    Known::HttpOnly => cookie.http_only = true,
                    _ => cookie.partitioned = true,
                }
                if raw_value.is_some() {
                    sink.push(DiagnosticKind::IgnoredAttributeValue, span.clone());
                }
                true
            }
            // §5.6.7: Strict, Lax or None (case-insensitive); anything else is "Default".
            Known::SameSite => {
                cookie.same_site = SameSite::from_attribute_value(attr_value);
                if cookie.same_site.is_none() {
                    sink.push(DiagnosticKind::UnrecognizedSameSite, span.clone());
                }
                true
            }
        };
        if applied
            && let Some(slot) = last_seen.get_mut(known as usize)
            && let Some(previous) = slot.replace(span)
        {
            sink.push(DiagnosticKind::OverriddenAttribute, previous);
        }
    }
    if cookie.max_age.is_some()
        && let Some(Some(span)) = last_seen.get(Known::Expires as usize)
    {
        sink.push(DiagnosticKind::ExpiresOverriddenByMaxAge, span.clone());
    }
    Ok(cookie)
}

impl fmt::Display for SetCookie<'_> {
    /// The canonical serialization: `name=value`, then `Expires`, `Max-Age`, `Domain`, `Path`,
    /// `Secure`, `HttpOnly`, `SameSite`, `Partitioned`. A nameless cookie is written as its
    /// value, with a leading `=` when the value itself contains `=`, so it parses back the same.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.name.is_empty() || self.value.contains('=') {
            write!(f, "{}=", self.name)?;
        }
        f.write_str(&self.value)?;
        if let Some(expires) = self.expires {
            write!(f, "; Expires={expires}")?;
        }
        if let Some(max_age) = self.max_age {
            write!(f, "; Max-Age={max_age}")?;
        }
        if let Some(domain) = &self.domain {
            // A domain that still starts with "." (from `Domain=..x`) or WSP (from `Domain=. x`)
            // needs the dot the parser strips written back in front of it.
            let dot = if domain.starts_with(['.', ' ', '\t']) {
                "."
            } else {
                ""
            };
            write!(f, "; Domain={dot}{domain}")?;
        }
        if let Some(path) = &self.path {
            write!(f, "; Path={path}")?;
        }
        if self.secure {
            f.write_str("; Secure")?;
        }
        if self.http_only {
            f.write_str("; HttpOnly")?;
        }
        if let Some(same_site) = self.same_site {
            write!(f, "; SameSite={same_site}")?;
        }
        if self.partitioned {
            f.write_str("; Partitioned")?;
        }
        Ok(())
    }
}

impl std::str::FromStr for SetCookie<'static> {
    type Err = ParseError;
    /// Parses and copies; use [`SetCookie::parse`] to borrow instead.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SetCookie::parse(s).map(SetCookie::into_owned)
    }
}

impl<'a> TryFrom<&'a http::HeaderValue> for SetCookie<'a> {
    type Error = ParseError;
    /// Parses a header value, which must be UTF-8 (ASCII in practice).
    ///
    /// ```
    /// let v = http::HeaderValue::from_static("a=b; Secure");
    /// let c = cookie_attrs::SetCookie::try_from(&v).unwrap();
    /// assert!(c.secure());
    /// ```
    fn try_from(value: &'a http::HeaderValue) -> Result<Self, Self::Error> {
        let text = std::str::from_utf8(value.as_bytes()).map_err(|_| ParseError::NotUtf8)?;
        SetCookie::parse(text)
    }
}

impl From<&SetCookie<'_>> for http::HeaderValue {
    fn from(cookie: &SetCookie<'_>) -> Self {
        cookie.to_header_value()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_attribute_names_are_case_insensitive_and_exact() {
        assert!(known_attribute("SECURE") == Some(Known::Secure));
        assert!(known_attribute("Domain") == Some(Known::Domain));
        assert!(known_attribute("max-AGE") == Some(Known::MaxAge));
        assert!(known_attribute("Expires") == Some(Known::Expires));
        assert!(known_attribute("httponly") == Some(Known::HttpOnly));
        assert!(known_attribute("SameSite") == Some(Known::SameSite));
        assert!(known_attribute("partitioned") == Some(Known::Partitioned));
        assert!(known_attribute("path") == Some(Known::Path));
        assert!(known_attribute("paths").is_none());
        assert!(known_attribute("maxage").is_none());
        assert!(known_attribute("Secured").is_none());
        assert!(known_attribute("Version").is_none());
    }

    #[test]
    fn max_age_grammar_is_optional_minus_then_digits() {
        assert_eq!(parse_max_age("10"), Some(10));
        assert_eq!(parse_max_age("-0"), Some(0));
        assert_eq!(parse_max_age("-"), None);
        assert_eq!(parse_max_age("+1"), None);
        assert_eq!(parse_max_age("1.5"), None);
        assert_eq!(parse_max_age("99999999999999999999999"), Some(i64::MAX));
    }
}
