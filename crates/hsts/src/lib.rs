//! Strict-Transport-Security (RFC 6797): builder, spec-exact parser, serializer and preload-eligibility checks.
//!
//! [`Hsts`] is a validated Strict-Transport-Security policy. Build one, or parse a received
//! header value exactly as a browser does (RFC 6797 §6.1 and §8.1): any syntax error, a missing
//! or malformed `max-age`, a value on `includeSubDomains` or a repeated `max-age` or
//! `includeSubDomains` makes the whole header invalid and the parser says why ([`HstsError`]);
//! unknown directives, `preload` among them, are ignored, repeated or not.
//!
//! ```
//! use std::time::Duration;
//! use hsts::Hsts;
//!
//! // Build
//! let policy = Hsts::builder(Duration::from_secs(63_072_000))
//!     .include_subdomains(true)
//!     .preload(true)
//!     .build();
//! assert_eq!(policy.to_string(), "max-age=63072000; includeSubDomains; preload");
//! assert!(policy.preload_ready().is_ok());
//!
//! // Parse
//! let parsed: Hsts = "max-age=31536000 ; includesubdomains".parse()?;
//! assert_eq!(parsed.max_age(), Duration::from_secs(31_536_000));
//! assert!(parsed.include_subdomains());
//! assert!(!parsed.preload());
//!
//! // A repeated directive makes browsers ignore the header.
//! assert!("max-age=1; MAX-AGE=2".parse::<Hsts>().is_err());
//! # Ok::<(), hsts::HstsError>(())
//! ```
//!
//! ## Large `max-age` values
//! RFC 6797 §6.1.1 puts no upper bound on `max-age`, and a value too large for a `u64` must not
//! make the header invalid. The parser saturates it at `u64::MAX` seconds and [`Hsts::max_age`]
//! returns that raw (saturated) value, so serialization stays faithful to what was sent.
//! [`Hsts::effective_max_age`] returns what Chromium stores: the value clamped to one year
//! ([`CHROMIUM_MAX_AGE`], `kMaxHSTSAgeSecs`).
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

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use directive_list::{Directive, Directives, SyntaxError};
use http::{HeaderName, HeaderValue};

/// The header name, `strict-transport-security`.
///
/// ```
/// assert_eq!(hsts::NAME.as_str(), "strict-transport-security");
/// ```
pub const NAME: HeaderName = http::header::STRICT_TRANSPORT_SECURITY;

/// The smallest `max-age` hstspreload.org accepts for preload-list submission: one year
/// (31 536 000 seconds).
///
/// ```
/// use hsts::{Hsts, PRELOAD_MIN_MAX_AGE};
///
/// assert_eq!(PRELOAD_MIN_MAX_AGE.as_secs(), 31_536_000);
/// let h = Hsts::builder(PRELOAD_MIN_MAX_AGE).include_subdomains(true).preload(true).build();
/// assert!(h.preload_ready().is_ok());
/// ```
pub const PRELOAD_MIN_MAX_AGE: Duration = Duration::from_secs(31_536_000);

/// The largest `max-age` Chromium stores: one year (`kMaxHSTSAgeSecs`); larger values are
/// clamped to it. See [`Hsts::effective_max_age`].
///
/// ```
/// let short: hsts::Hsts = "max-age=100".parse()?;
/// assert_eq!(short.effective_max_age().as_secs(), 100); // below the cap: unchanged
/// let long: hsts::Hsts = "max-age=99999999".parse()?;
/// assert_eq!(long.effective_max_age(), hsts::CHROMIUM_MAX_AGE);
/// # Ok::<(), hsts::HstsError>(())
/// ```
pub const CHROMIUM_MAX_AGE: Duration = Duration::from_secs(31_536_000);

/// A validated Strict-Transport-Security policy.
///
/// Only [`Hsts::builder`], [`Hsts::new`] and the parser create one, so every value serializes to
/// a header that browsers accept. With the `serde` feature it (de)serializes as
/// `{ "max_age": <seconds>, "include_subdomains": bool, "preload": bool }` (the flags default
/// to `false`).
///
/// ```
/// use std::time::Duration;
/// use hsts::Hsts;
///
/// let built = Hsts::builder(Duration::from_secs(600)).include_subdomains(true).build();
/// let parsed: Hsts = "includeSubDomains; max-age=600".parse()?;
/// assert_eq!(built, parsed); // directive order does not matter
/// assert_eq!(parsed.to_string().parse::<Hsts>()?, parsed);
/// # Ok::<(), hsts::HstsError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Hsts {
    /// `max-age` in whole seconds, saturated at `u64::MAX`.
    max_age: u64,
    #[cfg_attr(feature = "serde", serde(default))]
    include_subdomains: bool,
    #[cfg_attr(feature = "serde", serde(default))]
    preload: bool,
}

/// Builds an [`Hsts`]; created by [`Hsts::builder`]. Building cannot fail.
///
/// ```
/// use std::time::Duration;
///
/// let h = hsts::Hsts::builder(Duration::from_secs(60))
///     .max_age(Duration::from_secs(120))
///     .preload(true)
///     .build();
/// assert_eq!(h.to_string(), "max-age=120; preload");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub struct HstsBuilder {
    policy: Hsts,
}

impl HstsBuilder {
    /// Sets `includeSubDomains`: the policy also covers every subdomain (RFC 6797 §6.1.2).
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use hsts::Hsts;
    ///
    /// let h = Hsts::builder(Duration::from_secs(60)).include_subdomains(true).build();
    /// assert!(h.include_subdomains());
    /// assert_eq!(h.to_string(), "max-age=60; includeSubDomains");
    /// ```
    pub fn include_subdomains(mut self, on: bool) -> Self {
        self.policy.include_subdomains = on;
        self
    }

    /// Sets the non-standard `preload` directive, the opt-in that hstspreload.org requires
    /// before adding a domain to the browsers' built-in list.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use hsts::Hsts;
    ///
    /// let h = Hsts::builder(Duration::from_secs(60)).preload(true).build();
    /// assert!(h.preload());
    /// assert_eq!(h.to_string(), "max-age=60; preload");
    /// ```
    pub fn preload(mut self, on: bool) -> Self {
        self.policy.preload = on;
        self
    }

    /// Sets `max-age`; fractions of a second are dropped (delta-seconds are whole seconds).
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use hsts::Hsts;
    ///
    /// let h = Hsts::builder(Duration::ZERO).max_age(Duration::from_millis(1_999)).build();
    /// assert_eq!(h.max_age(), Duration::from_secs(1));
    /// ```
    pub fn max_age(mut self, max_age: Duration) -> Self {
        self.policy.max_age = max_age.as_secs();
        self
    }

    /// The finished policy.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use hsts::Hsts;
    ///
    /// let h = Hsts::builder(Duration::from_secs(0)).build();
    /// assert!(h.is_removal());
    /// assert_eq!(h, Hsts::new(Duration::ZERO));
    /// ```
    #[must_use]
    pub fn build(self) -> Hsts {
        self.policy
    }
}

impl Hsts {
    /// A policy with this `max-age`, without `includeSubDomains` or `preload`.
    ///
    /// Fractions of a second are dropped. `Duration::ZERO` asks browsers to forget the host
    /// (RFC 6797 §6.1.1).
    ///
    /// ```
    /// # use std::time::Duration;
    /// assert_eq!(hsts::Hsts::new(Duration::from_secs(300)).to_string(), "max-age=300");
    /// ```
    #[must_use]
    pub fn new(max_age: Duration) -> Self {
        Self {
            max_age: max_age.as_secs(),
            include_subdomains: false,
            preload: false,
        }
    }

    /// Starts a builder with the required `max-age`.
    ///
    /// ```
    /// # use std::time::Duration;
    /// let h = hsts::Hsts::builder(Duration::from_secs(86_400)).include_subdomains(true).build();
    /// assert_eq!(h.to_string(), "max-age=86400; includeSubDomains");
    /// ```
    pub fn builder(max_age: Duration) -> HstsBuilder {
        HstsBuilder {
            policy: Self::new(max_age),
        }
    }

    /// The policy hstspreload.org recommends for submission: two years, `includeSubDomains`,
    /// `preload`.
    ///
    /// ```
    /// let h = hsts::Hsts::preload_recommended();
    /// assert_eq!(h.to_string(), "max-age=63072000; includeSubDomains; preload");
    /// assert!(h.preload_ready().is_ok());
    /// ```
    #[must_use]
    pub fn preload_recommended() -> Self {
        Self {
            max_age: 63_072_000,
            include_subdomains: true,
            preload: true,
        }
    }

    /// `max-age` as sent, saturated at `u64::MAX` seconds when the header held a larger number.
    ///
    /// ```
    /// # use std::time::Duration;
    /// let h: hsts::Hsts = "max-age=99999999999999999999999".parse()?;
    /// assert_eq!(h.max_age(), Duration::from_secs(u64::MAX));
    /// # Ok::<(), hsts::HstsError>(())
    /// ```
    #[must_use]
    pub fn max_age(&self) -> Duration {
        Duration::from_secs(self.max_age)
    }

    /// `max-age` as Chromium applies it: clamped to one year ([`CHROMIUM_MAX_AGE`]).
    ///
    /// ```
    /// let h: hsts::Hsts = "max-age=63072000".parse()?;
    /// assert_eq!(h.effective_max_age(), hsts::CHROMIUM_MAX_AGE);
    /// # Ok::<(), hsts::HstsError>(())
    /// ```
    #[must_use]
    pub fn effective_max_age(&self) -> Duration {
        self.max_age().min(CHROMIUM_MAX_AGE)
    }

    /// Whether the policy covers subdomains.
    ///
    /// ```
    /// let h: hsts::Hsts = "max-age=1; INCLUDESUBDOMAINS".parse()?;
    /// assert!(h.include_subdomains());
    /// # Ok::<(), hsts::HstsError>(())
    /// ```
    #[must_use]
    pub fn include_subdomains(&self) -> bool {
        self.include_subdomains
    }

    /// Whether the `preload` opt-in is present.
    ///
    /// ```
    /// let h: hsts::Hsts = "max-age=1; preload".parse()?;
    /// assert!(h.preload());
    /// # Ok::<(), hsts::HstsError>(())
    /// ```
    #[must_use]
    pub fn preload(&self) -> bool {
        self.preload
    }

    /// Whether this is `max-age=0`, which tells browsers to forget the host (RFC 6797 §6.1.1).
    ///
    /// ```
    /// assert!("max-age=0".parse::<hsts::Hsts>()?.is_removal());
    /// # Ok::<(), hsts::HstsError>(())
    /// ```
    #[must_use]
    pub fn is_removal(&self) -> bool {
        self.max_age == 0
    }

    /// Checks the header requirements of hstspreload.org submission: `max-age` of at least one
    /// year, `includeSubDomains` and `preload`, and lists every one that is missing.
    ///
    /// (The site must also redirect HTTP to HTTPS and serve the header on the apex domain over
    /// HTTPS; those are properties of the deployment, not of the header.)
    ///
    /// ```
    /// use hsts::{Hsts, PreloadRequirement};
    /// let h: Hsts = "max-age=86400; includeSubDomains".parse()?;
    /// let missing = h.preload_ready().unwrap_err();
    /// assert_eq!(missing.missing(), &[
    ///     PreloadRequirement::MaxAgeAtLeastOneYear { actual_secs: 86400 },
    ///     PreloadRequirement::PreloadDirective,
    /// ]);
    /// # Ok::<(), hsts::HstsError>(())
    /// ```
    ///
    /// # Errors
    /// [`PreloadIneligibility`] naming each unmet requirement.
    pub fn preload_ready(&self) -> Result<(), PreloadIneligibility> {
        let mut missing = Vec::new();
        if self.max_age() < PRELOAD_MIN_MAX_AGE {
            missing.push(PreloadRequirement::MaxAgeAtLeastOneYear {
                actual_secs: self.max_age,
            });
        }
        if !self.include_subdomains {
            missing.push(PreloadRequirement::IncludeSubDomains);
        }
        if !self.preload {
            missing.push(PreloadRequirement::PreloadDirective);
        }
        if missing.is_empty() {
            Ok(())
        } else {
            Err(PreloadIneligibility { missing })
        }
    }

    /// Parses a header value as a browser does; the same as `str::parse`.
    ///
    /// ```
    /// let h = hsts::Hsts::parse(r#"  max-age="300" ; pumpkin=kitten"#)?;
    /// assert_eq!(h.max_age().as_secs(), 300);
    /// # Ok::<(), hsts::HstsError>(())
    /// ```
    ///
    /// # Errors
    /// [`HstsError`] naming why a browser would ignore the header.
    pub fn parse(value: &str) -> Result<Self, HstsError> {
        parse_common(value.as_bytes()).map_or_else(|| parse_directives(value, |_| {}), Ok)
    }

    /// Parses a header value and also returns what the browser ignored in it (unknown
    /// directives, a `preload` with a value).
    ///
    /// ```
    /// use hsts::{Hsts, Ignored};
    /// let (h, ignored) = Hsts::parse_with_diagnostics("max-age=5; pumpkin=kitten")?;
    /// assert_eq!(h.max_age().as_secs(), 5);
    /// assert_eq!(ignored, vec![Ignored::UnknownDirective { name: "pumpkin".into(), offset: 11 }]);
    /// # Ok::<(), hsts::HstsError>(())
    /// ```
    ///
    /// # Errors
    /// [`HstsError`] naming why a browser would ignore the header.
    pub fn parse_with_diagnostics(value: &str) -> Result<(Self, Vec<Ignored>), HstsError> {
        let mut ignored = Vec::new();
        let policy = parse_directives(value, |i| {
            if ignored.len() < MAX_DIAGNOSTICS {
                ignored.push(i);
            }
        })?;
        Ok((policy, ignored))
    }

    /// The canonical header value, e.g. `max-age=31536000; includeSubDomains; preload`.
    ///
    /// ```
    /// # use std::time::Duration;
    /// let v = hsts::Hsts::new(Duration::from_secs(60)).to_header_value();
    /// assert_eq!(v, "max-age=60");
    /// ```
    #[must_use]
    pub fn to_header_value(&self) -> HeaderValue {
        HeaderValue::from(self)
    }
}

/// At most this many diagnostics are collected per header (bounded memory on hostile input).
const MAX_DIAGNOSTICS: usize = 32;

/// Something a browser ignores in an otherwise valid header.
///
/// ```
/// use hsts::{Hsts, Ignored};
///
/// let (h, ignored) = Hsts::parse_with_diagnostics("max-age=5; preload=yes")?;
/// assert!(!h.preload()); // `preload=yes` does not count as the opt-in
/// assert_eq!(ignored, [Ignored::PreloadWithValue { offset: 11 }]);
/// # Ok::<(), hsts::HstsError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Ignored {
    /// A directive RFC 6797 does not define (and that is not `preload`).
    UnknownDirective {
        /// The name as written.
        name: String,
        /// Byte offset of the name.
        offset: usize,
    },
    /// `preload=…`: the preload opt-in takes no value, so this does not count as `preload`.
    PreloadWithValue {
        /// Byte offset of the directive.
        offset: usize,
    },
    /// `preload` again after an earlier `preload`: harmless (browsers do not know the
    /// directive, and hstspreload.org only warns), but it should be sent once.
    RepeatedPreload {
        /// Byte offset of the repetition.
        offset: usize,
    },
}

/// Why a browser ignores a Strict-Transport-Security header (RFC 6797 §6.1, §8.1).
///
/// ```
/// use hsts::{Hsts, HstsError};
///
/// assert_eq!(Hsts::parse("includeSubDomains"), Err(HstsError::MissingMaxAge));
/// assert_eq!(Hsts::parse("max-age=-1"), Err(HstsError::InvalidMaxAge { offset: 8 }));
/// assert_eq!(
///     Hsts::parse("max-age=1; includeSubDomains=yes"),
///     Err(HstsError::IncludeSubDomainsWithValue { offset: 11 })
/// );
/// assert!(matches!(
///     Hsts::parse("max-age=1; Max-Age=2"),
///     Err(HstsError::DuplicateDirective { ref name, offset: 11 }) if name == "Max-Age"
/// ));
/// assert!(matches!(Hsts::parse("max-age=1 2"), Err(HstsError::Syntax(_))));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HstsError {
    /// The value does not match the directive-list grammar.
    #[error("invalid Strict-Transport-Security syntax: {0}")]
    Syntax(#[from] SyntaxError),
    /// `max-age` or `includeSubDomains` appears twice (names compared case-insensitively).
    #[error(
        "directive `{name}` appears more than once (again at byte {offset}); each directive may appear only once"
    )]
    DuplicateDirective {
        /// The repeated name as written the second time.
        name: String,
        /// Byte offset of the repetition.
        offset: usize,
    },
    /// There is no `max-age` directive.
    #[error("the required max-age directive is missing")]
    MissingMaxAge,
    /// `max-age` has no `=value`.
    #[error("max-age at byte {offset} has no value")]
    MaxAgeWithoutValue {
        /// Byte offset of the directive.
        offset: usize,
    },
    /// The `max-age` value is not delta-seconds (`1*DIGIT`: no sign, no decimal point).
    #[error("max-age value at byte {offset} is not a whole number of seconds (1*DIGIT)")]
    InvalidMaxAge {
        /// Byte offset of the value.
        offset: usize,
    },
    /// `includeSubDomains` has a value (it takes none).
    #[error("includeSubDomains at byte {offset} has a value; it takes none")]
    IncludeSubDomainsWithValue {
        /// Byte offset of the directive.
        offset: usize,
    },
}

/// One hstspreload.org header requirement.
///
/// ```
/// use hsts::{Hsts, PreloadRequirement};
///
/// let h: Hsts = "max-age=31536000; preload".parse()?;
/// let err = h.preload_ready().unwrap_err();
/// assert_eq!(err.missing(), [PreloadRequirement::IncludeSubDomains]);
/// assert_eq!(PreloadRequirement::IncludeSubDomains.to_string(), "includeSubDomains is missing");
/// # Ok::<(), hsts::HstsError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PreloadRequirement {
    /// `max-age` must be at least 31 536 000 seconds.
    MaxAgeAtLeastOneYear {
        /// The policy's `max-age` in seconds.
        actual_secs: u64,
    },
    /// `includeSubDomains` must be present.
    IncludeSubDomains,
    /// `preload` must be present.
    PreloadDirective,
}

impl fmt::Display for PreloadRequirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MaxAgeAtLeastOneYear { actual_secs } => write!(
                f,
                "max-age must be at least 31536000 seconds (is {actual_secs})"
            ),
            Self::IncludeSubDomains => f.write_str("includeSubDomains is missing"),
            Self::PreloadDirective => f.write_str("preload is missing"),
        }
    }
}

/// The hstspreload.org requirements a policy does not meet; see [`Hsts::preload_ready`].
///
/// ```
/// let h: hsts::Hsts = "max-age=60".parse()?;
/// let err = h.preload_ready().unwrap_err();
/// assert_eq!(err.missing().len(), 3);
/// assert_eq!(
///     err.to_string(),
///     "not eligible for the HSTS preload list: max-age must be at least 31536000 seconds \
///      (is 60); includeSubDomains is missing; preload is missing"
/// );
/// # Ok::<(), hsts::HstsError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PreloadIneligibility {
    missing: Vec<PreloadRequirement>,
}

impl PreloadIneligibility {
    /// Every unmet requirement, in the order max-age, includeSubDomains, preload.
    ///
    /// ```
    /// use hsts::{Hsts, PreloadRequirement};
    ///
    /// let h: Hsts = "max-age=0; includeSubDomains; preload".parse()?;
    /// assert_eq!(
    ///     h.preload_ready().unwrap_err().missing(),
    ///     [PreloadRequirement::MaxAgeAtLeastOneYear { actual_secs: 0 }]
    /// );
    /// # Ok::<(), hsts::HstsError>(())
    /// ```
    #[must_use]
    pub fn missing(&self) -> &[PreloadRequirement] {
        &self.missing
    }
}

impl fmt::Display for PreloadIneligibility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not eligible for the HSTS preload list: ")?;
        for (i, m) in self.missing.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{m}")?;
        }
        Ok(())
    }
}

impl std::error::Error for PreloadIneligibility {}

/// RFC 6797 §6.1.1: `max-age-value = delta-seconds`, `delta-seconds = 1*DIGIT` (RFC 2616
/// §3.3.2). Too large a number saturates rather than failing.
fn delta_seconds(digits: &str) -> Option<u64> {
    directive_list::delta_seconds(digits.as_bytes())
}

/// Fast path for the common shapes: token names and token values only, each of `max-age`,
/// `includeSubDomains` and `preload` at most once, nothing ignored. Returns `None` for anything
/// else (quoted values, unknown directives, any error), and the caller then runs the full
/// parser, so the result is always the one [`parse_directives`] would give.
///
/// Same grammar as the full parser (RFC 6797 §6.1): `[ directive ] *( OWS ";" OWS
/// [ directive ] )`, `directive = directive-name [ OWS "=" OWS directive-value ]`.
#[inline]
fn parse_common(bytes: &[u8]) -> Option<Hsts> {
    /// The bytes after any leading OWS (SP / HTAB).
    #[inline]
    fn skip_ows(mut rest: &[u8]) -> &[u8] {
        while let [b' ' | b'\t', tail @ ..] = rest {
            rest = tail;
        }
        rest
    }
    /// Splits a leading token (possibly empty) off `rest`.
    #[inline]
    fn split_token(rest: &[u8]) -> (&[u8], &[u8]) {
        let n = rest
            .iter()
            .position(|&b| !directive_list::is_tchar(b))
            .unwrap_or(rest.len());
        rest.split_at_checked(n).unwrap_or((rest, &[]))
    }

    /// Whether `rest` starts with a token that is, case-insensitively, `includeSubDomains`.
    #[inline]
    fn is_include_subdomains(rest: &[u8]) -> bool {
        const LOW: u64 = u64::from_le_bytes(*b"includes");
        const HIGH: u64 = u64::from_le_bytes(*b"ubdomain");
        match (
            rest.first_chunk::<8>(),
            rest.get(8..).and_then(<[u8]>::first_chunk::<8>),
        ) {
            (Some(low), Some(high)) => {
                // Every byte is a letter: setting 0x20 lowers exactly `X` and `x` to `x`.
                u64::from_le_bytes(*low) | ASCII_CASE_BITS == LOW
                    && u64::from_le_bytes(*high) | ASCII_CASE_BITS == HIGH
                    && rest.get(16).is_some_and(|&b| b | 0x20 == b's')
                    && ends_token(rest, 17)
            }
            _ => false,
        }
    }
    /// Whether `rest` starts with a token that is, case-insensitively, `preload`.
    #[inline]
    fn is_preload(rest: &[u8]) -> bool {
        const HEAD: u32 = u32::from_le_bytes(*b"prel");
        const TAIL: u32 = u32::from_le_bytes(*b"load");
        match (
            rest.first_chunk::<4>(),
            rest.get(3..).and_then(<[u8]>::first_chunk::<4>),
        ) {
            (Some(head), Some(tail)) => {
                u32::from_le_bytes(*head) | 0x2020_2020 == HEAD
                    && u32::from_le_bytes(*tail) | 0x2020_2020 == TAIL
                    && ends_token(rest, 7)
            }
            _ => false,
        }
    }
    /// Whether the token ends at `at` (the end or a byte that is not a tchar).
    #[inline]
    fn ends_token(rest: &[u8], at: usize) -> bool {
        !rest.get(at).is_some_and(|&b| directive_list::is_tchar(b))
    }
    const ASCII_CASE_BITS: u64 = 0x2020_2020_2020_2020;
    /// `max-age=`: setting 0x20 on the letters only (not on `-` and `=`).
    const MAX_AGE_EQ: u64 = u64::from_le_bytes(*b"max-age=");
    const MAX_AGE_EQ_CASE_BITS: u64 =
        u64::from_le_bytes([0x20, 0x20, 0x20, 0, 0x20, 0x20, 0x20, 0]);

    let mut max_age: Option<u64> = None;
    let mut include_subdomains = false;
    let mut preload = false;
    let mut rest = bytes;
    loop {
        rest = skip_ows(rest);
        // The most common directive, `max-age=<digits>`, in one step.
        if let Some(head) = rest.first_chunk::<8>()
            && u64::from_le_bytes(*head) | MAX_AGE_EQ_CASE_BITS == MAX_AGE_EQ
        {
            // RFC 6797 §6.1.1: delta-seconds = 1*DIGIT, saturating at u64::MAX; digits are
            // read in the same pass that finds the end of the value.
            let mut tail = rest.get(8..).unwrap_or_default();
            let mut seconds: u64 = 0;
            let mut digits = 0usize;
            while let [digit @ b'0'..=b'9', after @ ..] = tail {
                let digit = u64::from(digit - b'0');
                // Up to 19 digits cannot overflow a u64 (10^19 - 1 < 2^64).
                seconds = if digits < 19 {
                    seconds * 10 + digit
                } else {
                    seconds.saturating_mul(10).saturating_add(digit)
                };
                digits += 1;
                tail = after;
            }
            if max_age.is_some()
                || digits == 0
                || tail.first().is_some_and(|&b| directive_list::is_tchar(b))
            {
                return None;
            }
            max_age = Some(seconds);
            rest = skip_ows(tail);
            match rest {
                [] => break,
                [b';', tail @ ..] => {
                    rest = tail;
                    continue;
                }
                _ => return None,
            }
        }
        if is_include_subdomains(rest) {
            if include_subdomains {
                return None;
            }
            include_subdomains = true;
            rest = skip_ows(rest.get(17..).unwrap_or_default());
            match rest {
                [] => break,
                [b';', tail @ ..] => {
                    rest = tail;
                    continue;
                }
                _ => return None,
            }
        }
        if is_preload(rest) {
            if preload {
                return None;
            }
            preload = true;
            rest = skip_ows(rest.get(7..).unwrap_or_default());
            match rest {
                [] => break,
                [b';', tail @ ..] => {
                    rest = tail;
                    continue;
                }
                _ => return None,
            }
        }
        let name = match rest {
            [] => break,
            [b';', tail @ ..] => {
                rest = tail;
                continue;
            }
            _ => {
                let (name, tail) = split_token(rest);
                if name.is_empty() {
                    return None;
                }
                rest = skip_ows(tail);
                name
            }
        };
        let value = match rest {
            [b'=', tail @ ..] => {
                let (value, tail) = split_token(skip_ows(tail));
                if value.is_empty() {
                    // A quoted-string or an error: the full parser decides.
                    return None;
                }
                rest = skip_ows(tail);
                Some(value)
            }
            _ => None,
        };
        match rest {
            [] => {}
            [b';', tail @ ..] => rest = tail,
            _ => return None,
        }
        // RFC 6797 §6.1: "Directive names are case-insensitive." Compare by length first.
        match name.len() {
            7 if name.eq_ignore_ascii_case(b"max-age") => {
                if max_age.is_some() {
                    return None;
                }
                max_age = Some(directive_list::delta_seconds(value?)?);
            }
            17 if name.eq_ignore_ascii_case(b"includeSubDomains") => {
                if include_subdomains || value.is_some() {
                    return None;
                }
                include_subdomains = true;
            }
            7 if name.eq_ignore_ascii_case(b"preload") => {
                if preload || value.is_some() {
                    return None;
                }
                preload = true;
            }
            _ => return None,
        }
    }
    Some(Hsts {
        max_age: max_age?,
        include_subdomains,
        preload,
    })
}

fn duplicate(d: &Directive<'_>) -> HstsError {
    HstsError::DuplicateDirective {
        name: d.name().to_owned(),
        offset: d.offset(),
    }
}

fn parse_directives(value: &str, mut ignored: impl FnMut(Ignored)) -> Result<Hsts, HstsError> {
    let mut max_age: Option<u64> = None;
    let mut include_subdomains = false;
    let mut preload = false;

    // RFC 6797 §6.1: "The order of appearance of directives is not significant."
    for directive in Directives::new(value) {
        // RFC 6797 §8.1: "If [the] STS header field ... does not conform to the grammar ...
        // the UA MUST ignore" it; any syntax error fails the whole header.
        let d = directive?;
        // RFC 6797 §6.1: "Directive names are case-insensitive."
        if d.name_is("max-age") {
            // RFC 6797 §6.1: "All directives MUST appear only once in an STS header field."
            if max_age.is_some() {
                return Err(duplicate(&d));
            }
            // RFC 6797 §6.1.1: "The REQUIRED "max-age" directive ... max-age-value =
            // delta-seconds". The value may be a token or a quoted-string (§6.1 grammar).
            let v = d
                .value()
                .ok_or(HstsError::MaxAgeWithoutValue { offset: d.offset() })?;
            let seconds = delta_seconds(&v.unescaped())
                .ok_or(HstsError::InvalidMaxAge { offset: v.offset() })?;
            max_age = Some(seconds);
        } else if d.name_is("includeSubDomains") {
            if include_subdomains {
                return Err(duplicate(&d));
            }
            // RFC 6797 §6.1.2: `includeSubDomains` is a valueless directive; Chromium and the
            // RFC grammar reject `includeSubDomains=…` (even `=""`).
            if d.value().is_some() {
                return Err(HstsError::IncludeSubDomainsWithValue { offset: d.offset() });
            }
            include_subdomains = true;
        } else if d.name_is("preload") {
            // `preload` is not in RFC 6797: to browsers it is an unknown directive, ignored
            // even when repeated (see below). It only matters to hstspreload.org, which
            // treats a repeated `preload` as a warning.
            if d.value().is_some() {
                ignored(Ignored::PreloadWithValue { offset: d.offset() });
            } else if preload {
                ignored(Ignored::RepeatedPreload { offset: d.offset() });
            } else {
                preload = true;
            }
        } else {
            // RFC 6797 §6.1: "5. If an STS header field contains directive(s) not recognized
            // by the UA, the UA MUST ignore the unrecognized directives, and if the STS header
            // field otherwise satisfies the above requirements (1 through 4), the UA MUST
            // process the recognized directives." Ignored directives do not count for
            // requirement 2 ("All directives MUST appear only once"): Chromium's
            // `ParseHSTSHeader` accepts `max-age=1; x; x`, checking only that unknown names
            // and values are tokens (or quoted-strings).
            ignored(Ignored::UnknownDirective {
                name: d.name().to_owned(),
                offset: d.offset(),
            });
        }
    }

    let max_age = max_age.ok_or(HstsError::MissingMaxAge)?;
    Ok(Hsts {
        max_age,
        include_subdomains,
        preload,
    })
}

impl FromStr for Hsts {
    type Err = HstsError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<&HeaderValue> for Hsts {
    type Error = HstsError;

    /// Parses the header bytes; bytes above 0x7F are read as obs-text (isomorphic decoding),
    /// as a browser does.
    ///
    /// ```
    /// let v = http::HeaderValue::from_static("max-age=600; includeSubDomains");
    /// let h = hsts::Hsts::try_from(&v)?;
    /// assert!(h.include_subdomains());
    /// # Ok::<(), hsts::HstsError>(())
    /// ```
    fn try_from(value: &HeaderValue) -> Result<Self, Self::Error> {
        // The common shapes need no text at all: the fast path reads the bytes directly.
        if let Some(policy) = parse_common(value.as_bytes()) {
            return Ok(policy);
        }
        // Visible ASCII borrows; only obs-text needs decoding.
        match value.to_str() {
            Ok(text) => parse_directives(text, |_| {}),
            Err(_) => {
                let text = directive_list::isomorphic_decode(value.as_bytes());
                // Offsets in the error count header bytes, not bytes of the decoded text
                // (where each byte above 0x7F takes two).
                parse_directives(&text, |_| {})
                    .map_err(|e| e.map_offset(|at| directive_list::isomorphic_offset(&text, at)))
            }
        }
    }
}

impl HstsError {
    /// The same error with every offset passed through `map`.
    fn map_offset(self, map: impl Fn(usize) -> usize) -> Self {
        match self {
            Self::Syntax(e) => Self::Syntax(e.map_offset(map)),
            Self::DuplicateDirective { name, offset } => Self::DuplicateDirective {
                name,
                offset: map(offset),
            },
            Self::MissingMaxAge => Self::MissingMaxAge,
            Self::MaxAgeWithoutValue { offset } => Self::MaxAgeWithoutValue {
                offset: map(offset),
            },
            Self::InvalidMaxAge { offset } => Self::InvalidMaxAge {
                offset: map(offset),
            },
            Self::IncludeSubDomainsWithValue { offset } => Self::IncludeSubDomainsWithValue {
                offset: map(offset),
            },
        }
    }
}

impl fmt::Display for Hsts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "max-age={}", self.max_age)?;
        if self.include_subdomains {
            f.write_str("; includeSubDomains")?;
        }
        if self.preload {
            f.write_str("; preload")?;
        }
        Ok(())
    }
}

impl From<&Hsts> for HeaderValue {
    fn from(policy: &Hsts) -> Self {
        // The serialization is digits, letters, "=", ";" and spaces: always a valid value.
        HeaderValue::try_from(policy.to_string())
            .unwrap_or_else(|_| HeaderValue::from_static("max-age=0"))
    }
}

impl From<Hsts> for HeaderValue {
    fn from(policy: Hsts) -> Self {
        HeaderValue::from(&policy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delta_seconds_rejects_signs_and_fractions() {
        assert_eq!(delta_seconds("0"), Some(0));
        assert_eq!(delta_seconds("007"), Some(7));
        assert_eq!(delta_seconds(""), None);
        assert_eq!(delta_seconds("+1"), None);
        assert_eq!(delta_seconds("-1"), None);
        assert_eq!(delta_seconds("1.5"), None);
    }

    #[test]
    fn delta_seconds_saturates_on_overflow() {
        assert_eq!(delta_seconds("18446744073709551615"), Some(u64::MAX));
        assert_eq!(delta_seconds("18446744073709551616"), Some(u64::MAX));
        assert_eq!(delta_seconds(&"9".repeat(200)), Some(u64::MAX));
    }

    #[test]
    fn fast_path_agrees_with_the_full_parser() {
        let corpus = include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/data/corpus/hsts.jsonl"
        ));
        let crafted = [
            "max-age=1",
            "MAX-AGE=1;INCLUDESUBDOMAINS;PRELOAD",
            " max-age = 1 ; includeSubDomains ; preload ",
            "max-age=1; preload",
            "max-age=1; preloads",
            "max-age=1; preload=1",
            "max-age=1; includeSubDomains=1",
            "max-age=1; includeSubDomainsX",
            "max-age=1a",
            "max-age=1\"",
            "max-age=1 2",
            "max-age=",
            "max-age= 1",
            "max\rage=1",
            "max-age=1; max-age=2",
            "preload; preload; max-age=1",
            "max-age=99999999999999999999999",
            "max-age=18446744073709551615",
            "max-age=1;;;",
            "includeSubDomains",
            "prel",
            "",
        ];
        let values = corpus
            .lines()
            .filter_map(|line| {
                let v: serde_json::Value = serde_json::from_str(line).ok()?;
                Some(v.get("value")?.as_str()?.to_owned())
            })
            .chain(crafted.iter().map(|s| (*s).to_owned()));
        let mut fast = 0;
        for v in values {
            if let Some(policy) = parse_common(v.as_bytes()) {
                fast += 1;
                assert_eq!(parse_directives(&v, |_| {}), Ok(policy), "{v:?}");
            }
        }
        assert!(fast > 700, "fast path taken {fast} times");
    }

    #[test]
    fn header_value_conversion_matches_display() {
        let h = Hsts::preload_recommended();
        assert_eq!(HeaderValue::from(&h).to_str().unwrap(), h.to_string());
    }
}
