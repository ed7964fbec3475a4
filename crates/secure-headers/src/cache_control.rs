//! `Cache-Control` response directives (RFC 9111 §5.2.2), mainly to keep sensitive responses
//! out of shared and browser caches.
//!
//! ```
//! use secure_headers::cache_control::CacheControl;
//!
//! assert_eq!(CacheControl::sensitive().to_string(), "no-store, max-age=0");
//! let cc = CacheControl::builder().private().no_cache().max_age(60).must_revalidate().build()?;
//! assert_eq!(cc.to_string(), "no-cache, private, max-age=60, must-revalidate");
//! assert_eq!(cc.to_string().parse::<CacheControl>()?, cc);
//! # Ok::<(), secure_headers::cache_control::CacheControlError>(())
//! ```

use std::fmt;
use std::str::FromStr;

use http::{HeaderName, HeaderValue};

use crate::util::{is_tchar, trim_ows};

/// `Cache-Control`.
///
/// ```
/// use secure_headers::cache_control::{CacheControl, NAME};
/// use secure_headers::SecureHeaders;
/// let bundle = SecureHeaders::builder()
///     .header(NAME, CacheControl::sensitive().to_header_value())
///     .build()?;
/// let mut headers = http::HeaderMap::new();
/// bundle.apply(&mut headers);
/// assert_eq!(headers[http::header::CACHE_CONTROL], "no-store, max-age=0");
/// assert_eq!(NAME.as_str(), "cache-control");
/// # Ok::<(), secure_headers::BuildError>(())
/// ```
pub const NAME: HeaderName = http::header::CACHE_CONTROL;

/// RFC 9111 §1.2.2: a delta-seconds value too large to represent is taken as 2^31.
///
/// ```
/// use secure_headers::cache_control::{CacheControl, MAX_DELTA_SECONDS};
/// let at_limit: CacheControl = "max-age=2147483648".parse()?;
/// assert_eq!(at_limit.max_age(), Some(MAX_DELTA_SECONDS));
/// let over: CacheControl = "max-age=2147483649, s-maxage=99999999999999999999".parse()?;
/// assert_eq!(over.max_age(), Some(MAX_DELTA_SECONDS));
/// assert_eq!(over.s_maxage(), Some(MAX_DELTA_SECONDS));
/// assert_eq!(over.to_string(), "max-age=2147483648, s-maxage=2147483648");
/// # Ok::<(), secure_headers::cache_control::CacheControlError>(())
/// ```
pub const MAX_DELTA_SECONDS: u32 = 2_147_483_648;

/// At most this many diagnostics are listed for one value; when more are found, a single
/// [`CacheControlDiagnostic::Truncated`] follows them (so the list holds at most
/// `MAX_DIAGNOSTICS + 1` entries).
///
/// ```
/// use secure_headers::cache_control::{CacheControl, CacheControlDiagnostic, MAX_DIAGNOSTICS};
/// let unknown = |n: usize| (0..n).map(|i| format!(", x-{i}")).collect::<String>();
/// let (_, at_limit) =
///     CacheControl::parse_with_diagnostics(&format!("no-store{}", unknown(MAX_DIAGNOSTICS)))?;
/// assert_eq!(at_limit.len(), MAX_DIAGNOSTICS);
/// assert!(!at_limit.contains(&CacheControlDiagnostic::Truncated));
/// let (cc, over) =
///     CacheControl::parse_with_diagnostics(&format!("no-store{}", unknown(MAX_DIAGNOSTICS + 5)))?;
/// assert!(cc.is_no_store());
/// assert_eq!(over.len(), MAX_DIAGNOSTICS + 1);
/// assert_eq!(over.last(), Some(&CacheControlDiagnostic::Truncated));
/// # Ok::<(), secure_headers::cache_control::CacheControlError>(())
/// ```
pub const MAX_DIAGNOSTICS: usize = 64;

/// Why a `Cache-Control` value or builder is unusable.
///
/// ```
/// use secure_headers::cache_control::{CacheControl, CacheControlError};
///
/// // Only request directives and unknown names: nothing a response cache would act on.
/// assert_eq!(
///     "only-if-cached, x-custom".parse::<CacheControl>(),
///     Err(CacheControlError::NoDirectives)
/// );
/// assert_eq!(CacheControl::builder().build(), Err(CacheControlError::NoDirectives));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CacheControlError {
    /// No response directive was recognized (or the builder set none).
    #[error("no Cache-Control response directive")]
    NoDirectives,
}

/// A part of a value that a cache ignores or reads in a particular way.
///
/// ```
/// use secure_headers::cache_control::{CacheControl, CacheControlDiagnostic};
///
/// let (cc, diagnostics) =
///     CacheControl::parse_with_diagnostics("no-store, no-store, private=\"Set-Cookie\", max-stale")?;
/// assert_eq!(cc.to_string(), "no-store, private");
/// assert_eq!(
///     diagnostics,
///     [
///         CacheControlDiagnostic::Duplicate("no-store".to_owned()),
///         CacheControlDiagnostic::QualifiedFormWidened("private".to_owned()),
///         CacheControlDiagnostic::UnknownDirective("max-stale".to_owned()),
///     ]
/// );
/// # Ok::<(), secure_headers::cache_control::CacheControlError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CacheControlDiagnostic {
    /// §5.2.3: "Cache directives that are unrecognized ought to be ignored." Request-only
    /// directives (`max-stale`, `min-fresh`, `only-if-cached`) are also ignored in a response.
    UnknownDirective(String),
    /// §4.2.1: a repeated directive; the first occurrence is used.
    Duplicate(String),
    /// A directive that takes no argument was given one, or one that needs an argument has
    /// none or a non-numeric one. For `max-age`/`s-maxage` the response is treated as stale
    /// (§4.2.1: "the response should be considered stale"), i.e. `0`.
    InvalidArgument(String),
    /// `no-cache="field"` / `private="field"`: the field-qualified forms are read as the
    /// unqualified (stricter) directive.
    QualifiedFormWidened(String),
    /// Text that is not `token [ "=" ( token / quoted-string ) ]`; skipped up to the next comma.
    Malformed(String),
    /// More than [`MAX_DIAGNOSTICS`] diagnostics; the rest are not listed.
    Truncated,
}

/// Validated `Cache-Control` response directives, serialized in a fixed canonical order.
///
/// ```
/// use secure_headers::cache_control::CacheControl;
///
/// let cc: CacheControl = "private, max-age=0, no-cache=\"Set-Cookie\"".parse()?;
/// assert!(cc.is_private() && cc.is_no_cache());
/// assert_eq!(cc.max_age(), Some(0));
/// assert!(!cc.prevents_storage());
/// assert!(CacheControl::sensitive().prevents_storage());
/// # Ok::<(), secure_headers::cache_control::CacheControlError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct CacheControl {
    no_store: bool,
    no_cache: bool,
    private: bool,
    public: bool,
    max_age: Option<u32>,
    s_maxage: Option<u32>,
    must_revalidate: bool,
    proxy_revalidate: bool,
    must_understand: bool,
    no_transform: bool,
    immutable: bool,
    stale_while_revalidate: Option<u32>,
    stale_if_error: Option<u32>,
}

impl CacheControl {
    /// Starts a builder.
    ///
    /// ```
    /// # use secure_headers::cache_control::CacheControl;
    /// assert!(CacheControl::builder().build().is_err());
    /// ```
    pub fn builder() -> CacheControlBuilder {
        CacheControlBuilder::default()
    }

    /// `no-store, max-age=0`: for responses carrying personal or secret data (OWASP Secure
    /// Headers). `no-store` keeps every cache from storing it; `max-age=0` makes any cache
    /// that ignores `no-store` treat it as stale.
    ///
    /// ```
    /// # use secure_headers::cache_control::CacheControl;
    /// assert_eq!(CacheControl::sensitive().to_header_value(), "no-store, max-age=0");
    /// ```
    pub fn sensitive() -> Self {
        CacheControl {
            no_store: true,
            max_age: Some(0),
            ..CacheControl::default()
        }
    }

    /// Parses a value, returning the parts a cache ignores (RFC 9111 §5.2).
    ///
    /// ```
    /// # use secure_headers::cache_control::{CacheControl, CacheControlDiagnostic};
    /// let (cc, d) = CacheControl::parse_with_diagnostics("max-age=60, max-age=0, foo")?;
    /// assert_eq!(cc.max_age(), Some(60));
    /// assert_eq!(d.len(), 2);
    /// # Ok::<(), secure_headers::cache_control::CacheControlError>(())
    /// ```
    pub fn parse_with_diagnostics(
        value: &str,
    ) -> Result<(Self, Vec<CacheControlDiagnostic>), CacheControlError> {
        let mut cc = CacheControl::default();
        let mut diagnostics = Vec::new();
        let push = |d: CacheControlDiagnostic, diagnostics: &mut Vec<CacheControlDiagnostic>| {
            if diagnostics.len() < MAX_DIAGNOSTICS {
                diagnostics.push(d);
            } else if diagnostics.len() == MAX_DIAGNOSTICS {
                diagnostics.push(CacheControlDiagnostic::Truncated);
            }
        };
        let mut seen: u16 = 0;
        let mut any = false;
        for element in split_directives(value) {
            let (name, arg) = match element {
                Ok(pair) => pair,
                Err(text) => {
                    push(
                        CacheControlDiagnostic::Malformed(text.to_owned()),
                        &mut diagnostics,
                    );
                    continue;
                }
            };
            // §5.2: "Cache directives are identified by a token, to be compared case-insensitively".
            let lower = name.to_ascii_lowercase();
            let Some(bit) = DIRECTIVES.iter().position(|d| *d == lower) else {
                push(
                    CacheControlDiagnostic::UnknownDirective(name.to_owned()),
                    &mut diagnostics,
                );
                continue;
            };
            if seen & (1 << bit) != 0 {
                push(CacheControlDiagnostic::Duplicate(lower), &mut diagnostics);
                continue;
            }
            seen |= 1 << bit;
            any = true;
            match lower.as_str() {
                "max-age" | "s-maxage" | "stale-while-revalidate" | "stale-if-error" => {
                    let seconds = match arg.as_deref().and_then(parse_delta_seconds) {
                        Some(s) => s,
                        None => {
                            push(
                                CacheControlDiagnostic::InvalidArgument(lower.clone()),
                                &mut diagnostics,
                            );
                            0
                        }
                    };
                    let slot = match lower.as_str() {
                        "max-age" => &mut cc.max_age,
                        "s-maxage" => &mut cc.s_maxage,
                        "stale-while-revalidate" => &mut cc.stale_while_revalidate,
                        _ => &mut cc.stale_if_error,
                    };
                    *slot = Some(seconds);
                }
                "no-cache" | "private" => {
                    if arg.is_some() {
                        push(
                            CacheControlDiagnostic::QualifiedFormWidened(lower.clone()),
                            &mut diagnostics,
                        );
                    }
                    if lower == "no-cache" {
                        cc.no_cache = true;
                    } else {
                        cc.private = true;
                    }
                }
                flag => {
                    if arg.is_some() {
                        push(
                            CacheControlDiagnostic::InvalidArgument(lower.clone()),
                            &mut diagnostics,
                        );
                    }
                    match flag {
                        "no-store" => cc.no_store = true,
                        "public" => cc.public = true,
                        "must-revalidate" => cc.must_revalidate = true,
                        "proxy-revalidate" => cc.proxy_revalidate = true,
                        "must-understand" => cc.must_understand = true,
                        "no-transform" => cc.no_transform = true,
                        _ => cc.immutable = true,
                    }
                }
            }
        }
        if !any {
            return Err(CacheControlError::NoDirectives);
        }
        Ok((cc, diagnostics))
    }

    /// `no-store`.
    ///
    /// ```
    /// use secure_headers::cache_control::CacheControl;
    ///
    /// assert!(CacheControl::sensitive().is_no_store());
    /// assert!(!"no-cache".parse::<CacheControl>()?.is_no_store());
    /// # Ok::<(), secure_headers::cache_control::CacheControlError>(())
    /// ```
    pub fn is_no_store(&self) -> bool {
        self.no_store
    }
    /// `no-cache` (unqualified).
    ///
    /// ```
    /// use secure_headers::cache_control::CacheControl;
    ///
    /// assert!("no-cache".parse::<CacheControl>()?.is_no_cache());
    /// // The field-qualified form is read as the unqualified one.
    /// assert!("no-cache=\"Set-Cookie\"".parse::<CacheControl>()?.is_no_cache());
    /// assert!(!CacheControl::sensitive().is_no_cache());
    /// # Ok::<(), secure_headers::cache_control::CacheControlError>(())
    /// ```
    pub fn is_no_cache(&self) -> bool {
        self.no_cache
    }
    /// `private`.
    ///
    /// ```
    /// use secure_headers::cache_control::CacheControl;
    ///
    /// assert!("Private".parse::<CacheControl>()?.is_private());
    /// assert!(!CacheControl::builder().public().build()?.is_private());
    /// # Ok::<(), secure_headers::cache_control::CacheControlError>(())
    /// ```
    pub fn is_private(&self) -> bool {
        self.private
    }
    /// `public`.
    ///
    /// ```
    /// use secure_headers::cache_control::CacheControl;
    ///
    /// assert!("public, max-age=3600".parse::<CacheControl>()?.is_public());
    /// assert!(!CacheControl::sensitive().is_public());
    /// # Ok::<(), secure_headers::cache_control::CacheControlError>(())
    /// ```
    pub fn is_public(&self) -> bool {
        self.public
    }
    /// `max-age`, in seconds.
    ///
    /// ```
    /// use secure_headers::cache_control::CacheControl;
    ///
    /// assert_eq!("max-age=600".parse::<CacheControl>()?.max_age(), Some(600));
    /// // An invalid value means the response is stale.
    /// assert_eq!("max-age=soon".parse::<CacheControl>()?.max_age(), Some(0));
    /// assert_eq!("no-store".parse::<CacheControl>()?.max_age(), None);
    /// # Ok::<(), secure_headers::cache_control::CacheControlError>(())
    /// ```
    pub fn max_age(&self) -> Option<u32> {
        self.max_age
    }
    /// `s-maxage`, in seconds.
    ///
    /// ```
    /// use secure_headers::cache_control::CacheControl;
    ///
    /// let cc: CacheControl = "public, max-age=60, s-maxage=3600".parse()?;
    /// assert_eq!(cc.s_maxage(), Some(3600));
    /// assert_eq!(cc.max_age(), Some(60));
    /// # Ok::<(), secure_headers::cache_control::CacheControlError>(())
    /// ```
    pub fn s_maxage(&self) -> Option<u32> {
        self.s_maxage
    }
    /// `must-revalidate`.
    ///
    /// ```
    /// use secure_headers::cache_control::CacheControl;
    ///
    /// assert!("max-age=0, must-revalidate".parse::<CacheControl>()?.is_must_revalidate());
    /// assert!(!CacheControl::sensitive().is_must_revalidate());
    /// # Ok::<(), secure_headers::cache_control::CacheControlError>(())
    /// ```
    pub fn is_must_revalidate(&self) -> bool {
        self.must_revalidate
    }

    /// Whether no cache may store the response (`no-store`).
    ///
    /// ```
    /// # use secure_headers::cache_control::CacheControl;
    /// assert!(!"private, no-cache".parse::<CacheControl>()?.prevents_storage());
    /// # Ok::<(), secure_headers::cache_control::CacheControlError>(())
    /// ```
    pub fn prevents_storage(&self) -> bool {
        self.no_store
    }

    /// The header value.
    ///
    /// ```
    /// # use secure_headers::cache_control::CacheControl;
    /// assert_eq!(CacheControl::builder().no_store().build()?.to_header_value(), "no-store");
    /// # Ok::<(), secure_headers::cache_control::CacheControlError>(())
    /// ```
    pub fn to_header_value(&self) -> HeaderValue {
        if *self == CacheControl::sensitive() {
            return HeaderValue::from_static("no-store, max-age=0");
        }
        crate::util::header_value(&self.to_string())
    }
}

/// Directive names in canonical output order (also the bit index of each in the parser).
const DIRECTIVES: [&str; 13] = [
    "no-store",
    "no-cache",
    "private",
    "public",
    "max-age",
    "s-maxage",
    "must-revalidate",
    "proxy-revalidate",
    "must-understand",
    "no-transform",
    "immutable",
    "stale-while-revalidate",
    "stale-if-error",
];

/// RFC 9111 §1.2.2: `delta-seconds = 1*DIGIT`; overflow saturates at 2^31. A quoted form is
/// accepted (§5.2: recipients "SHOULD accept both forms").
fn parse_delta_seconds(arg: &str) -> Option<u32> {
    if arg.is_empty() || !arg.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut value: u64 = 0;
    for b in arg.bytes() {
        value = (value * 10 + u64::from(b - b'0')).min(u64::from(MAX_DELTA_SECONDS));
    }
    u32::try_from(value).ok()
}

/// Splits `#( token [ "=" ( token / quoted-string ) ] )`, honouring commas inside quotes.
/// Yields `Ok((name, unquoted argument))` or `Err(text of a malformed element)`.
fn split_directives(value: &str) -> impl Iterator<Item = Result<(&str, Option<String>), &str>> {
    let bytes = value.as_bytes();
    let mut pos = 0;
    std::iter::from_fn(move || {
        // Skip OWS and empty list elements.
        while bytes
            .get(pos)
            .is_some_and(|&b| b == b',' || b == b' ' || b == b'\t')
        {
            pos += 1;
        }
        if pos >= bytes.len() {
            return None;
        }
        let start = pos;
        while bytes.get(pos).copied().is_some_and(is_tchar) {
            pos += 1;
        }
        let name = value.get(start..pos).unwrap_or_default();
        let mut arg = None;
        let mut ok = !name.is_empty();
        if ok && bytes.get(pos) == Some(&b'=') {
            pos += 1;
            if bytes.get(pos) == Some(&b'"') {
                // RFC 9110 §5.6.4 quoted-string with quoted-pair.
                pos += 1;
                let mut text = String::new();
                let mut closed = false;
                while let Some(&b) = bytes.get(pos) {
                    pos += 1;
                    match b {
                        b'"' => {
                            closed = true;
                            break;
                        }
                        b'\\' => {
                            if let Some(&escaped) = bytes.get(pos) {
                                text.push(char::from(escaped));
                                pos += 1;
                            }
                        }
                        _ => text.push(char::from(b)),
                    }
                }
                ok = closed;
                arg = Some(text);
            } else {
                let arg_start = pos;
                while bytes.get(pos).copied().is_some_and(is_tchar) {
                    pos += 1;
                }
                let token = value.get(arg_start..pos).unwrap_or_default();
                ok = !token.is_empty();
                arg = Some(token.to_owned());
            }
        }
        while bytes.get(pos).is_some_and(|&b| b == b' ' || b == b'\t') {
            pos += 1;
        }
        if ok && (pos >= bytes.len() || bytes.get(pos) == Some(&b',')) {
            return Some(Ok((name, arg)));
        }
        // Malformed: skip to the next comma.
        while bytes.get(pos).is_some_and(|&b| b != b',') {
            pos += 1;
        }
        Some(Err(trim_ows(value.get(start..pos).unwrap_or_default())))
    })
}

impl fmt::Display for CacheControl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let flags = [
            (self.no_store, "no-store"),
            (self.no_cache, "no-cache"),
            (self.private, "private"),
            (self.public, "public"),
        ];
        let numbers = [("max-age", self.max_age), ("s-maxage", self.s_maxage)];
        let late_flags = [
            (self.must_revalidate, "must-revalidate"),
            (self.proxy_revalidate, "proxy-revalidate"),
            (self.must_understand, "must-understand"),
            (self.no_transform, "no-transform"),
            (self.immutable, "immutable"),
        ];
        let late_numbers = [
            ("stale-while-revalidate", self.stale_while_revalidate),
            ("stale-if-error", self.stale_if_error),
        ];
        let mut first = true;
        let mut sep = |f: &mut fmt::Formatter<'_>| {
            let r = if first { Ok(()) } else { f.write_str(", ") };
            first = false;
            r
        };
        for (on, name) in flags {
            if on {
                sep(f)?;
                f.write_str(name)?;
            }
        }
        for (name, v) in numbers {
            if let Some(v) = v {
                sep(f)?;
                write!(f, "{name}={v}")?;
            }
        }
        for (on, name) in late_flags {
            if on {
                sep(f)?;
                f.write_str(name)?;
            }
        }
        for (name, v) in late_numbers {
            if let Some(v) = v {
                sep(f)?;
                write!(f, "{name}={v}")?;
            }
        }
        Ok(())
    }
}

impl FromStr for CacheControl {
    type Err = CacheControlError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_with_diagnostics(s).map(|(c, _)| c)
    }
}

crate::util::header_value_conversions!(CacheControl, CacheControlError);
crate::util::serde_via_str!(
    CacheControl,
    "a Cache-Control value such as `no-store, max-age=0`"
);

/// Builder for [`CacheControl`]. `public` and `private` exclude each other: the later call wins.
///
/// ```
/// # use secure_headers::cache_control::CacheControl;
/// let cc = CacheControl::builder().public().private().build()?;
/// assert_eq!(cc.to_string(), "private");
/// # Ok::<(), secure_headers::cache_control::CacheControlError>(())
/// ```
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct CacheControlBuilder(CacheControl);

impl CacheControlBuilder {
    /// `no-store`: no cache may store any part of the response.
    ///
    /// ```
    /// use secure_headers::cache_control::CacheControl;
    ///
    /// let cc = CacheControl::builder().no_store().build()?;
    /// assert!(cc.prevents_storage());
    /// assert_eq!(cc.to_string(), "no-store");
    /// # Ok::<(), secure_headers::cache_control::CacheControlError>(())
    /// ```
    pub fn no_store(mut self) -> Self {
        self.0.no_store = true;
        self
    }
    /// `no-cache`: a cache must revalidate before every reuse.
    ///
    /// ```
    /// use secure_headers::cache_control::CacheControl;
    ///
    /// let cc = CacheControl::builder().no_cache().build()?;
    /// assert!(cc.is_no_cache());
    /// assert_eq!(cc.to_string(), "no-cache");
    /// # Ok::<(), secure_headers::cache_control::CacheControlError>(())
    /// ```
    pub fn no_cache(mut self) -> Self {
        self.0.no_cache = true;
        self
    }
    /// `private`: only the browser's own cache may store it.
    ///
    /// ```
    /// use secure_headers::cache_control::CacheControl;
    ///
    /// let cc = CacheControl::builder().public().private().build()?;
    /// assert!(cc.is_private() && !cc.is_public());
    /// assert_eq!(cc.to_string(), "private");
    /// # Ok::<(), secure_headers::cache_control::CacheControlError>(())
    /// ```
    pub fn private(mut self) -> Self {
        self.0.private = true;
        self.0.public = false;
        self
    }
    /// `public`: shared caches may store it even if it would otherwise be uncacheable.
    ///
    /// ```
    /// use secure_headers::cache_control::CacheControl;
    ///
    /// let cc = CacheControl::builder().private().public().max_age(86400).build()?;
    /// assert!(cc.is_public() && !cc.is_private());
    /// assert_eq!(cc.to_string(), "public, max-age=86400");
    /// # Ok::<(), secure_headers::cache_control::CacheControlError>(())
    /// ```
    pub fn public(mut self) -> Self {
        self.0.public = true;
        self.0.private = false;
        self
    }
    /// `max-age=<seconds>` (saturating at 2^31).
    ///
    /// ```
    /// use secure_headers::cache_control::{CacheControl, MAX_DELTA_SECONDS};
    ///
    /// assert_eq!(CacheControl::builder().max_age(60).build()?.to_string(), "max-age=60");
    /// assert_eq!(
    ///     CacheControl::builder().max_age(u32::MAX).build()?.max_age(),
    ///     Some(MAX_DELTA_SECONDS)
    /// );
    /// # Ok::<(), secure_headers::cache_control::CacheControlError>(())
    /// ```
    pub fn max_age(mut self, seconds: u32) -> Self {
        self.0.max_age = Some(seconds.min(MAX_DELTA_SECONDS));
        self
    }
    /// `s-maxage=<seconds>` for shared caches.
    ///
    /// ```
    /// use secure_headers::cache_control::CacheControl;
    ///
    /// let cc = CacheControl::builder().public().s_maxage(600).build()?;
    /// assert_eq!(cc.s_maxage(), Some(600));
    /// assert_eq!(cc.to_string(), "public, s-maxage=600");
    /// # Ok::<(), secure_headers::cache_control::CacheControlError>(())
    /// ```
    pub fn s_maxage(mut self, seconds: u32) -> Self {
        self.0.s_maxage = Some(seconds.min(MAX_DELTA_SECONDS));
        self
    }
    /// `must-revalidate`.
    ///
    /// ```
    /// use secure_headers::cache_control::CacheControl;
    ///
    /// let cc = CacheControl::builder().max_age(0).must_revalidate().build()?;
    /// assert!(cc.is_must_revalidate());
    /// assert_eq!(cc.to_string(), "max-age=0, must-revalidate");
    /// # Ok::<(), secure_headers::cache_control::CacheControlError>(())
    /// ```
    pub fn must_revalidate(mut self) -> Self {
        self.0.must_revalidate = true;
        self
    }
    /// `proxy-revalidate`.
    ///
    /// ```
    /// use secure_headers::cache_control::CacheControl;
    ///
    /// let cc = CacheControl::builder().public().proxy_revalidate().build()?;
    /// assert_eq!(cc.to_string(), "public, proxy-revalidate");
    /// # Ok::<(), secure_headers::cache_control::CacheControlError>(())
    /// ```
    pub fn proxy_revalidate(mut self) -> Self {
        self.0.proxy_revalidate = true;
        self
    }
    /// `must-understand`.
    ///
    /// ```
    /// use secure_headers::cache_control::CacheControl;
    ///
    /// let cc = CacheControl::builder().no_store().must_understand().build()?;
    /// assert_eq!(cc.to_string(), "no-store, must-understand");
    /// # Ok::<(), secure_headers::cache_control::CacheControlError>(())
    /// ```
    pub fn must_understand(mut self) -> Self {
        self.0.must_understand = true;
        self
    }
    /// `no-transform`.
    ///
    /// ```
    /// use secure_headers::cache_control::CacheControl;
    ///
    /// let cc = CacheControl::builder().no_transform().build()?;
    /// assert_eq!(cc.to_string(), "no-transform");
    /// assert_eq!(cc.to_string().parse::<CacheControl>()?, cc);
    /// # Ok::<(), secure_headers::cache_control::CacheControlError>(())
    /// ```
    pub fn no_transform(mut self) -> Self {
        self.0.no_transform = true;
        self
    }
    /// `immutable` (RFC 8246).
    ///
    /// ```
    /// use secure_headers::cache_control::CacheControl;
    ///
    /// let cc = CacheControl::builder().public().max_age(31_536_000).immutable().build()?;
    /// assert_eq!(cc.to_string(), "public, max-age=31536000, immutable");
    /// # Ok::<(), secure_headers::cache_control::CacheControlError>(())
    /// ```
    pub fn immutable(mut self) -> Self {
        self.0.immutable = true;
        self
    }
    /// `stale-while-revalidate=<seconds>` (RFC 5861).
    ///
    /// ```
    /// use secure_headers::cache_control::CacheControl;
    ///
    /// let cc = CacheControl::builder().max_age(60).stale_while_revalidate(30).build()?;
    /// assert_eq!(cc.to_string(), "max-age=60, stale-while-revalidate=30");
    /// # Ok::<(), secure_headers::cache_control::CacheControlError>(())
    /// ```
    pub fn stale_while_revalidate(mut self, seconds: u32) -> Self {
        self.0.stale_while_revalidate = Some(seconds.min(MAX_DELTA_SECONDS));
        self
    }
    /// `stale-if-error=<seconds>` (RFC 5861).
    ///
    /// ```
    /// use secure_headers::cache_control::CacheControl;
    ///
    /// let cc = CacheControl::builder().max_age(60).stale_if_error(86400).build()?;
    /// assert_eq!(cc.to_string(), "max-age=60, stale-if-error=86400");
    /// # Ok::<(), secure_headers::cache_control::CacheControlError>(())
    /// ```
    pub fn stale_if_error(mut self, seconds: u32) -> Self {
        self.0.stale_if_error = Some(seconds.min(MAX_DELTA_SECONDS));
        self
    }
    /// Returns the value; at least one directive is required.
    ///
    /// ```
    /// use secure_headers::cache_control::{CacheControl, CacheControlError};
    ///
    /// assert_eq!(CacheControl::builder().no_store().max_age(0).build()?, CacheControl::sensitive());
    /// assert_eq!(CacheControl::builder().build(), Err(CacheControlError::NoDirectives));
    /// # Ok::<(), CacheControlError>(())
    /// ```
    pub fn build(self) -> Result<CacheControl, CacheControlError> {
        if self.0 == CacheControl::default() {
            return Err(CacheControlError::NoDirectives);
        }
        Ok(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn directive_names_are_case_insensitive() {
        let cc: CacheControl = "No-Store, MAX-AGE=0".parse().unwrap();
        assert_eq!(cc, CacheControl::sensitive());
    }

    #[test]
    fn first_duplicate_wins() {
        let (cc, d) = CacheControl::parse_with_diagnostics("max-age=5, max-age=500").unwrap();
        assert_eq!(cc.max_age(), Some(5));
        assert_eq!(d, [CacheControlDiagnostic::Duplicate("max-age".into())]);
    }

    #[test]
    fn invalid_max_age_means_stale() {
        let (cc, d) = CacheControl::parse_with_diagnostics("max-age=soon").unwrap();
        assert_eq!(cc.max_age(), Some(0));
        assert_eq!(
            d,
            [CacheControlDiagnostic::InvalidArgument("max-age".into())]
        );
    }

    #[test]
    fn quoted_max_age_is_accepted_and_overflow_saturates() {
        assert_eq!(
            "max-age=\"60\"".parse::<CacheControl>().unwrap().max_age(),
            Some(60)
        );
        assert_eq!(
            "max-age=99999999999999999999"
                .parse::<CacheControl>()
                .unwrap()
                .max_age(),
            Some(MAX_DELTA_SECONDS)
        );
    }

    #[test]
    fn quoted_commas_do_not_split() {
        let (cc, d) =
            CacheControl::parse_with_diagnostics("no-cache=\"set-cookie, x-a\", no-store").unwrap();
        assert!(cc.is_no_cache() && cc.is_no_store());
        assert_eq!(
            d,
            [CacheControlDiagnostic::QualifiedFormWidened(
                "no-cache".into()
            )]
        );
    }

    #[test]
    fn malformed_elements_are_skipped() {
        let (cc, d) = CacheControl::parse_with_diagnostics("no-store x, =3, private").unwrap();
        assert!(!cc.is_no_store());
        assert!(cc.is_private());
        assert_eq!(
            d,
            [
                CacheControlDiagnostic::Malformed("no-store x".into()),
                CacheControlDiagnostic::Malformed("=3".into())
            ]
        );
        // An unterminated quoted string swallows the rest of the value.
        assert_eq!(
            "no-cache=\"open, private".parse::<CacheControl>(),
            Err(CacheControlError::NoDirectives)
        );
    }

    #[test]
    fn request_directives_are_unknown_in_responses() {
        assert_eq!(
            "only-if-cached".parse::<CacheControl>(),
            Err(CacheControlError::NoDirectives)
        );
    }

    fn max_age_of(value: &str) -> (Option<u32>, Vec<CacheControlDiagnostic>) {
        let (cc, d) = CacheControl::parse_with_diagnostics(value).unwrap();
        (cc.max_age(), d)
    }

    #[test]
    fn delta_seconds_saturate_exactly_at_two_to_the_31() {
        // RFC 9111 §1.2.2: "If a cache receives a delta-seconds value greater than the
        // greatest integer it can represent, or if any of its subsequent calculations
        // overflows, the cache MUST consider the value to be 2147483648 (2^31)".
        assert_eq!(max_age_of("max-age=0").0, Some(0));
        assert_eq!(max_age_of("max-age=2147483647").0, Some(2_147_483_647));
        assert_eq!(max_age_of("max-age=2147483648").0, Some(MAX_DELTA_SECONDS));
        assert_eq!(max_age_of("max-age=2147483649").0, Some(MAX_DELTA_SECONDS));
        assert_eq!(max_age_of("max-age=4294967296").0, Some(MAX_DELTA_SECONDS));
        // `1*DIGIT`: leading zeros are digits.
        assert_eq!(max_age_of("max-age=0060").0, Some(60));
        assert_eq!(
            max_age_of("max-age=00000000000000002147483648").0,
            Some(MAX_DELTA_SECONDS)
        );
        assert_eq!(
            CacheControl::builder()
                .max_age(u32::MAX)
                .build()
                .unwrap()
                .max_age(),
            Some(MAX_DELTA_SECONDS)
        );
    }

    #[test]
    fn delta_seconds_are_only_digits() {
        for value in [
            "max-age=-1",
            "max-age=+1",
            "max-age=1.5",
            "max-age=1e3",
            "max-age=\"\"",
            "max-age=\" 60\"",
            "max-age",
        ] {
            let (max_age, d) = max_age_of(value);
            assert_eq!(max_age, Some(0), "{value}");
            assert_eq!(
                d,
                [CacheControlDiagnostic::InvalidArgument("max-age".into())],
                "{value}"
            );
        }
    }

    #[test]
    fn whitespace_is_allowed_around_commas_only() {
        // RFC 9110 §5.6.1: OWS around list commas; RFC 9111 §5.2: no whitespace around `=`.
        let cc: CacheControl = "\tno-store\t,  max-age=5 ,\tprivate\t".parse().unwrap();
        assert!(cc.is_no_store() && cc.is_private());
        assert_eq!(cc.max_age(), Some(5));
        for value in ["max-age =5", "max-age= 5"] {
            let (max_age, d) = max_age_of(&format!("no-store, {value}"));
            assert_eq!(max_age, None, "{value}");
            assert_eq!(
                d,
                [CacheControlDiagnostic::Malformed(value.into())],
                "{value}"
            );
        }
    }

    #[test]
    fn empty_value_and_empty_list_elements_have_no_directive() {
        for value in ["", " ", ",", " , ,\t,"] {
            assert_eq!(
                value.parse::<CacheControl>(),
                Err(CacheControlError::NoDirectives),
                "{value:?}"
            );
        }
        assert!(
            ",,no-store,,"
                .parse::<CacheControl>()
                .unwrap()
                .is_no_store()
        );
    }

    #[test]
    fn duplicates_are_found_case_insensitively_and_the_first_wins_even_if_invalid() {
        let (cc, d) = CacheControl::parse_with_diagnostics("no-store, NO-STORE").unwrap();
        assert!(cc.is_no_store());
        assert_eq!(d, [CacheControlDiagnostic::Duplicate("no-store".into())]);
        let (max_age, d) = max_age_of("max-age=soon, MAX-AGE=60");
        assert_eq!(max_age, Some(0));
        assert_eq!(
            d,
            [
                CacheControlDiagnostic::InvalidArgument("max-age".into()),
                CacheControlDiagnostic::Duplicate("max-age".into())
            ]
        );
    }

    #[test]
    fn argument_on_a_flag_directive_is_reported_and_the_flag_kept() {
        let (cc, d) = CacheControl::parse_with_diagnostics("no-store=1").unwrap();
        assert!(cc.prevents_storage());
        assert_eq!(
            d,
            [CacheControlDiagnostic::InvalidArgument("no-store".into())]
        );
    }

    #[test]
    fn diagnostics_stop_at_the_limit_with_one_truncated_marker() {
        let unknown = |n: usize| {
            (0..n)
                .map(|i| format!("x-{i}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (_, below) = CacheControl::parse_with_diagnostics(&format!(
            "no-store, {}",
            unknown(MAX_DIAGNOSTICS - 1)
        ))
        .unwrap();
        assert_eq!(below.len(), MAX_DIAGNOSTICS - 1);
        let (_, over) = CacheControl::parse_with_diagnostics(&format!(
            "no-store, {}",
            unknown(MAX_DIAGNOSTICS * 3)
        ))
        .unwrap();
        assert_eq!(over.len(), MAX_DIAGNOSTICS + 1);
        assert_eq!(
            over.iter()
                .filter(|d| **d == CacheControlDiagnostic::Truncated)
                .count(),
            1
        );
        assert_eq!(
            over.get(MAX_DIAGNOSTICS - 1),
            Some(&CacheControlDiagnostic::UnknownDirective(format!(
                "x-{}",
                MAX_DIAGNOSTICS - 1
            )))
        );
    }

    proptest! {
        #[test]
        fn round_trip(flags in proptest::collection::vec(any::<bool>(), 9), nums in proptest::collection::vec(proptest::option::of(0u32..=MAX_DELTA_SECONDS), 4)) {
            let mut b = CacheControl::builder();
            if flags[0] { b = b.no_store(); }
            if flags[1] { b = b.no_cache(); }
            if flags[2] { b = b.private(); }
            if flags[3] { b = b.public(); }
            if flags[4] { b = b.must_revalidate(); }
            if flags[5] { b = b.proxy_revalidate(); }
            if flags[6] { b = b.must_understand(); }
            if flags[7] { b = b.no_transform(); }
            if flags[8] { b = b.immutable(); }
            if let Some(n) = nums[0] { b = b.max_age(n); }
            if let Some(n) = nums[1] { b = b.s_maxage(n); }
            if let Some(n) = nums[2] { b = b.stale_while_revalidate(n); }
            if let Some(n) = nums[3] { b = b.stale_if_error(n); }
            if let Ok(cc) = b.build() {
                prop_assert_eq!(cc.to_string().parse::<CacheControl>().unwrap(), cc.clone());
                prop_assert_eq!(CacheControl::try_from(&HeaderValue::from(&cc)).unwrap(), cc);
            }
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,64}") {
            let _ = CacheControl::parse_with_diagnostics(&s);
        }
    }
}
