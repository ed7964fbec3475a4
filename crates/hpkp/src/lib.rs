//! Public-Key-Pins and Public-Key-Pins-Report-Only (RFC 7469): pins from SPKI or PEM, builder, parser, serializer. Obsolete in browsers; kept for legacy clients, native pinning configs and audits.
//!
//! # Browsers no longer support HPKP
//! Chrome removed HTTP Public Key Pinning in version 72 and Firefox in version 72 (both
//! 2019); no current browser acts on these headers. A site that wants to limit which
//! certificates are trusted for it should instead rely on **Certificate Transparency**
//! (browsers require CT logs for publicly trusted certificates; monitor the logs for your
//! domains) and **CAA DNS records** (RFC 8659) naming the CAs allowed to issue for it.
//! `Expect-CT`, once HPKP's successor, is gone as well.
//!
//! This crate exists for what is left: legacy and embedded HTTP clients that still honour
//! the header, pin sets for mobile and native apps (which use the same `pin-sha256` SPKI
//! fingerprints, computed with [`Pin::sha256_of_spki`] or [`Pin::from_pem`]), and auditing
//! servers that still send these headers.
//!
//! ```
//! use std::time::Duration;
//! use hpkp::{Disposition, Pin, PublicKeyPins};
//!
//! let live = Pin::from_digest([1; 32]);
//! let backup = Pin::from_digest([2; 32]);
//! let pins = PublicKeyPins::builder(Disposition::Enforce)
//!     .pin(live)
//!     .pin(backup)
//!     .max_age(Duration::from_secs(5_184_000))
//!     .include_subdomains(true)
//!     .report_uri("https://report.example/hpkp")
//!     .build()?;
//! assert_eq!(pins.header_name(), hpkp::NAME);
//! let text = pins.to_string();
//! assert_eq!(PublicKeyPins::parse(&text, Disposition::Enforce)?, pins);
//!
//! // Parsing follows RFC 7469 §2.1: pins must be quoted.
//! let bad = "max-age=1; pin-sha256=AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";
//! assert!(PublicKeyPins::parse(bad, Disposition::Enforce).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
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

mod pin;

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use directive_list::{Directive, Directives, QuoteStyle, SyntaxError};
use http::{HeaderName, HeaderValue};

#[cfg(feature = "pem")]
pub use pin::PemError;
pub use pin::{Pin, PinError};

/// The enforcing header name, `public-key-pins`.
///
/// ```
/// assert_eq!(hpkp::NAME.as_str(), "public-key-pins");
/// ```
pub const NAME: HeaderName = HeaderName::from_static("public-key-pins");

/// The report-only header name, `public-key-pins-report-only`.
///
/// ```
/// assert_eq!(hpkp::REPORT_ONLY_NAME.as_str(), "public-key-pins-report-only");
/// ```
pub const REPORT_ONLY_NAME: HeaderName = HeaderName::from_static("public-key-pins-report-only");

/// The longest `max-age` Chromium stored: 60 days (5 184 000 s), the cap RFC 7469 §4.1
/// suggests. See [`PublicKeyPins::effective_max_age`].
///
/// ```
/// use std::time::Duration;
/// use hpkp::{CHROMIUM_MAX_AGE, Disposition, Pin, PublicKeyPins};
///
/// let p = PublicKeyPins::builder(Disposition::Enforce)
///     .pins([Pin::from_digest([1; 32]), Pin::from_digest([2; 32])])
///     .max_age(Duration::from_secs(31_536_000))
///     .build()?;
/// assert_eq!(CHROMIUM_MAX_AGE.as_secs(), 60 * 24 * 60 * 60);
/// assert_eq!(p.effective_max_age(), Some(CHROMIUM_MAX_AGE));
/// # Ok::<(), hpkp::BuildError>(())
/// ```
pub const CHROMIUM_MAX_AGE: Duration = Duration::from_secs(5_184_000);

/// Whether the pins are enforced or only reported.
///
/// ```
/// use hpkp::{Disposition, HpkpError, PublicKeyPins};
///
/// assert_eq!(Disposition::default(), Disposition::Enforce);
/// assert_eq!(Disposition::Enforce.header_name(), hpkp::NAME);
/// // Only a report-only header may omit max-age.
/// let v = concat!(
///     r#"pin-sha256="AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="; "#,
///     r#"pin-sha256="AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=""#,
/// );
/// assert!(PublicKeyPins::parse(v, Disposition::ReportOnly).is_ok());
/// assert_eq!(PublicKeyPins::parse(v, Disposition::Enforce), Err(HpkpError::MissingMaxAge));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Disposition {
    /// `Public-Key-Pins`: a pin mismatch fails the connection. `max-age` is required.
    #[default]
    Enforce,
    /// `Public-Key-Pins-Report-Only`: a mismatch is only reported. `max-age` is optional.
    ReportOnly,
}

impl Disposition {
    /// The header name for this disposition.
    ///
    /// ```
    /// assert_eq!(hpkp::Disposition::ReportOnly.header_name(), hpkp::REPORT_ONLY_NAME);
    /// ```
    #[must_use]
    pub fn header_name(self) -> HeaderName {
        match self {
            Self::Enforce => NAME,
            Self::ReportOnly => REPORT_ONLY_NAME,
        }
    }
}

/// A validated Public-Key-Pins or Public-Key-Pins-Report-Only policy.
///
/// Invariants (RFC 7469 §2.1, §2.5): at least two distinct `pin-sha256` pins (one of which
/// must be a backup that is not in the served chain), `max-age` present for
/// [`Disposition::Enforce`], and a `report-uri` that is a URI-reference. Pins keep their first
/// order of appearance, without repeats.
///
/// ```
/// use hpkp::{Pin, PublicKeyPins};
///
/// let v = concat!(
///     r#"max-age=600; pin-sha256="AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="; "#,
///     r#"PIN-SHA256="AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="; "#,
///     r#"pin-sha256="AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=""#,
/// );
/// let p: PublicKeyPins = v.parse()?;
/// // The repeated pin counts once.
/// assert_eq!(p.pins(), [Pin::from_digest([1; 32]), Pin::from_digest([2; 32])]);
/// assert_eq!(p.to_string().parse::<PublicKeyPins>()?, p);
/// # Ok::<(), hpkp::HpkpError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PublicKeyPins {
    disposition: Disposition,
    pins: Vec<Pin>,
    max_age: Option<u64>,
    include_subdomains: bool,
    report_uri: Option<String>,
}

/// Why a builder could not produce a [`PublicKeyPins`].
///
/// ```
/// use hpkp::{BuildError, Disposition, Pin, PublicKeyPins};
///
/// let pins = [Pin::from_digest([1; 32]), Pin::from_digest([2; 32])];
/// assert_eq!(
///     PublicKeyPins::builder(Disposition::Enforce).pins(pins).build(),
///     Err(BuildError::MissingMaxAge)
/// );
/// let injected = PublicKeyPins::builder(Disposition::ReportOnly)
///     .pins(pins)
///     .report_uri("/r\"; includeSubDomains")
///     .build();
/// assert_eq!(injected, Err(BuildError::InvalidReportUri("/r\"; includeSubDomains".into())));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// Fewer than two distinct pins: RFC 7469 §2.5 requires a backup pin besides the live one.
    #[error("{distinct} distinct pin(s); at least two are required (a live pin and a backup pin)")]
    TooFewPins {
        /// How many distinct pins were given.
        distinct: usize,
    },
    /// An enforcing policy without `max-age` (RFC 7469 §2.1.2 makes it required).
    #[error("max-age is required for Public-Key-Pins")]
    MissingMaxAge,
    /// The report URI is empty or holds characters a URI-reference cannot contain.
    #[error("report-uri {0:?} is not a URI-reference")]
    InvalidReportUri(String),
}

/// Why a browser ignores a Public-Key-Pins(-Report-Only) header (RFC 7469 §2.1).
///
/// ```
/// use hpkp::{Disposition, HpkpError, PinError, PublicKeyPins};
///
/// let parse = |v: &str| PublicKeyPins::parse(v, Disposition::ReportOnly);
/// assert_eq!(parse("pin-sha256=AQEB"), Err(HpkpError::UnquotedPin { offset: 0 }));
/// assert_eq!(
///     parse(r#"pin-sha256="AQEB""#),
///     Err(HpkpError::InvalidPin { offset: 11, reason: PinError::WrongLength { bytes: 3 } })
/// );
/// assert_eq!(
///     parse(r#"pin-sha256="AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=""#),
///     Err(HpkpError::TooFewPins { distinct: 1 })
/// );
/// assert_eq!(parse("report-uri=r"), Err(HpkpError::UnquotedReportUri { offset: 0 }));
/// assert!(matches!(parse("max-age=1; max-age=2"), Err(HpkpError::DuplicateDirective { .. })));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HpkpError {
    /// The value does not match the directive-list grammar.
    #[error("invalid Public-Key-Pins syntax: {0}")]
    Syntax(#[from] SyntaxError),
    /// `max-age`, `includeSubDomains` or `report-uri` appears twice (names compared
    /// case-insensitively). Pins may repeat, and unknown directives are ignored even when
    /// repeated.
    #[error("directive `{name}` appears more than once (again at byte {offset})")]
    DuplicateDirective {
        /// The repeated name as written the second time.
        name: String,
        /// Byte offset of the repetition.
        offset: usize,
    },
    /// An enforcing header without `max-age`.
    #[error("the required max-age directive is missing")]
    MissingMaxAge,
    /// `max-age` without a value.
    #[error("max-age at byte {offset} has no value")]
    MaxAgeWithoutValue {
        /// Byte offset of the directive.
        offset: usize,
    },
    /// The `max-age` value is not delta-seconds (`1*DIGIT`).
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
    /// A `pin-*` directive whose value is missing or not a quoted-string.
    #[error("pin at byte {offset} is not a quoted-string")]
    UnquotedPin {
        /// Byte offset of the directive.
        offset: usize,
    },
    /// A `pin-sha256` value that is not base64 of 32 bytes.
    #[error("pin-sha256 value at byte {offset}: {reason}")]
    InvalidPin {
        /// Byte offset of the value.
        offset: usize,
        /// What was wrong.
        reason: PinError,
    },
    /// `report-uri` whose value is missing or not a quoted-string.
    #[error("report-uri at byte {offset} is not a quoted-string")]
    UnquotedReportUri {
        /// Byte offset of the directive.
        offset: usize,
    },
    /// The `report-uri` value is not a URI-reference.
    #[error("report-uri value at byte {offset} is not a URI-reference")]
    InvalidReportUri {
        /// Byte offset of the value.
        offset: usize,
    },
    /// Fewer than two distinct `pin-sha256` pins, so there cannot be a backup pin.
    #[error(
        "{distinct} distinct pin-sha256 pin(s); at least two are required (a live pin and a backup pin)"
    )]
    TooFewPins {
        /// How many distinct pins the header had.
        distinct: usize,
    },
}

/// Why a pin set cannot be noted for a connection (RFC 7469 §2.5), given the SPKI pins of the
/// validated certificate chain.
///
/// ```
/// use std::time::Duration;
/// use hpkp::{Disposition, Pin, PinSetError, PublicKeyPins};
///
/// let (live, backup) = (Pin::from_digest([1; 32]), Pin::from_digest([2; 32]));
/// let p = PublicKeyPins::builder(Disposition::Enforce)
///     .pins([live, backup])
///     .max_age(Duration::from_secs(600))
///     .build()?;
/// assert_eq!(p.check_against_chain(&[live, backup]), Err(PinSetError::NoBackupPin));
/// assert_eq!(p.check_against_chain(&[]), Err(PinSetError::NoPinMatchesChain));
/// # Ok::<(), hpkp::BuildError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PinSetError {
    /// No pin matches any key of the served chain (Pin Validation fails).
    #[error("no pin matches a public key of the served certificate chain")]
    NoPinMatchesChain,
    /// Every pin is in the served chain: there is no backup pin.
    #[error("no backup pin: every pin matches a key of the served chain")]
    NoBackupPin,
}

/// Builds a [`PublicKeyPins`]; created by [`PublicKeyPins::builder`].
///
/// ```
/// use hpkp::{Disposition, Pin, PublicKeyPins};
///
/// let p = PublicKeyPins::builder(Disposition::ReportOnly)
///     .pin(Pin::from_digest([1; 32]))
///     .pin(Pin::from_digest([2; 32]))
///     .report_uri("/hpkp-report")
///     .build()?;
/// assert_eq!(p.max_age(), None); // optional when report-only
/// assert_eq!(p.header_name(), hpkp::REPORT_ONLY_NAME);
/// assert_eq!(
///     p.to_string(),
///     concat!(
///         r#"pin-sha256="AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="; "#,
///         r#"pin-sha256="AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI="; report-uri="/hpkp-report""#,
///     )
/// );
/// # Ok::<(), hpkp::BuildError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct PublicKeyPinsBuilder {
    disposition: Disposition,
    pins: Vec<Pin>,
    max_age: Option<u64>,
    include_subdomains: bool,
    report_uri: Option<String>,
}

impl PublicKeyPinsBuilder {
    /// Adds a pin; a pin given twice counts once.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use hpkp::{BuildError, Disposition, Pin, PublicKeyPins};
    /// # let (a, b) = (Pin::from_digest([1; 32]), Pin::from_digest([2; 32]));
    /// let p = PublicKeyPins::builder(Disposition::ReportOnly).pin(a).pin(b).pin(a).build()?;
    /// assert_eq!(p.pins(), [a, b]); // the repeated pin counts once
    /// # Ok::<(), hpkp::BuildError>(())
    /// ```
    pub fn pin(mut self, pin: Pin) -> Self {
        // Repeats are removed in `build`, with a hash set: a search here would make adding
        // many pins quadratic.
        self.pins.push(pin);
        self
    }

    /// Adds several pins.
    ///
    /// ```
    /// use hpkp::{Disposition, Pin, PublicKeyPins};
    ///
    /// let p = PublicKeyPins::builder(Disposition::ReportOnly)
    ///     .pins((1..=3).map(|n| Pin::from_digest([n; 32])))
    ///     .build()?;
    /// assert_eq!(p.pins().len(), 3);
    /// # Ok::<(), hpkp::BuildError>(())
    /// ```
    pub fn pins(self, pins: impl IntoIterator<Item = Pin>) -> Self {
        pins.into_iter().fold(self, Self::pin)
    }

    /// Sets `max-age` (whole seconds; fractions are dropped). Required for
    /// [`Disposition::Enforce`]; RFC 7469 §4.1 suggests at most 60 days.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use hpkp::{BuildError, Disposition, Pin, PublicKeyPins};
    /// # let (a, b) = (Pin::from_digest([1; 32]), Pin::from_digest([2; 32]));
    /// let p = PublicKeyPins::builder(Disposition::Enforce)
    ///     .pins([a, b])
    ///     .max_age(Duration::from_millis(90_500))
    ///     .build()?;
    /// assert_eq!(p.max_age(), Some(Duration::from_secs(90)));
    /// assert!(p.to_string().starts_with("max-age=90;"));
    /// # Ok::<(), hpkp::BuildError>(())
    /// ```
    pub fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = Some(max_age.as_secs());
        self
    }

    /// Sets `includeSubDomains`.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use hpkp::{BuildError, Disposition, Pin, PublicKeyPins};
    /// # let (a, b) = (Pin::from_digest([1; 32]), Pin::from_digest([2; 32]));
    /// let p = PublicKeyPins::builder(Disposition::ReportOnly)
    ///     .pins([a, b])
    ///     .include_subdomains(true)
    ///     .build()?;
    /// assert!(p.include_subdomains());
    /// assert!(p.to_string().ends_with("; includeSubDomains"));
    /// # Ok::<(), hpkp::BuildError>(())
    /// ```
    pub fn include_subdomains(mut self, on: bool) -> Self {
        self.include_subdomains = on;
        self
    }

    /// Sets `report-uri`; it is checked (and quoted) by [`PublicKeyPinsBuilder::build`].
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use hpkp::{BuildError, Disposition, Pin, PublicKeyPins};
    /// # let (a, b) = (Pin::from_digest([1; 32]), Pin::from_digest([2; 32]));
    /// let p = PublicKeyPins::builder(Disposition::ReportOnly)
    ///     .pins([a, b])
    ///     .report_uri("https://r.example/hpkp?site=1")
    ///     .build()?;
    /// assert_eq!(p.report_uri(), Some("https://r.example/hpkp?site=1"));
    /// // A line break cannot be smuggled into the header.
    /// let bad = PublicKeyPins::builder(Disposition::ReportOnly)
    ///     .pins([a, b])
    ///     .report_uri("/r\r\nSet-Cookie: x=1")
    ///     .build();
    /// assert!(matches!(bad, Err(BuildError::InvalidReportUri(_))));
    /// # Ok::<(), hpkp::BuildError>(())
    /// ```
    pub fn report_uri(mut self, uri: impl Into<String>) -> Self {
        self.report_uri = Some(uri.into());
        self
    }

    /// Checks the RFC 7469 rules and returns the policy.
    ///
    /// ```
    /// use hpkp::{BuildError, Disposition, Pin, PublicKeyPins};
    /// let one = PublicKeyPins::builder(Disposition::Enforce)
    ///     .pin(Pin::from_digest([1; 32]))
    ///     .max_age(std::time::Duration::from_secs(60))
    ///     .build();
    /// assert_eq!(one, Err(BuildError::TooFewPins { distinct: 1 }));
    /// ```
    ///
    /// # Errors
    /// [`BuildError`] naming the broken rule.
    pub fn build(mut self) -> Result<PublicKeyPins, BuildError> {
        let mut seen = std::collections::HashSet::with_capacity(self.pins.len());
        self.pins.retain(|pin| seen.insert(*pin));
        if self.pins.len() < 2 {
            return Err(BuildError::TooFewPins {
                distinct: self.pins.len(),
            });
        }
        if self.disposition == Disposition::Enforce && self.max_age.is_none() {
            return Err(BuildError::MissingMaxAge);
        }
        if let Some(uri) = &self.report_uri
            && !is_uri_reference(uri)
        {
            return Err(BuildError::InvalidReportUri(uri.clone()));
        }
        Ok(PublicKeyPins {
            disposition: self.disposition,
            pins: self.pins,
            max_age: self.max_age,
            include_subdomains: self.include_subdomains,
            report_uri: self.report_uri,
        })
    }
}

/// RFC 3986 §4.1 URI-reference, checked for its character set: unreserved, reserved and
/// percent-encoded octets only, and not empty. This is what keeps a builder-supplied URI
/// from breaking out of its quoted-string.
fn is_uri_reference(s: &str) -> bool {
    let bytes = s.as_bytes();
    if bytes.is_empty() {
        return false;
    }
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'%' => {
                let hex = |j: usize| bytes.get(j).is_some_and(u8::is_ascii_hexdigit);
                if !(hex(i + 1) && hex(i + 2)) {
                    return false;
                }
                i += 3;
                continue;
            }
            // unreserved / gen-delims / sub-delims
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b':'
            | b'/'
            | b'?'
            | b'#'
            | b'['
            | b']'
            | b'@'
            | b'!'
            | b'$'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b'+'
            | b','
            | b';'
            | b'=' => {}
            _ => return false,
        }
        i += 1;
    }
    true
}

/// RFC 7469 §2.1.2 `max-age` = delta-seconds (1*DIGIT); too large a value saturates.
fn delta_seconds(digits: &str) -> Option<u64> {
    directive_list::delta_seconds(digits.as_bytes())
}

impl HpkpError {
    /// The same error with every offset passed through `map`.
    fn map_offset(self, map: impl Fn(usize) -> usize) -> Self {
        match self {
            Self::Syntax(e) => Self::Syntax(e.map_offset(map)),
            Self::DuplicateDirective { name, offset } => Self::DuplicateDirective {
                name,
                offset: map(offset),
            },
            Self::MaxAgeWithoutValue { offset } => Self::MaxAgeWithoutValue {
                offset: map(offset),
            },
            Self::InvalidMaxAge { offset } => Self::InvalidMaxAge {
                offset: map(offset),
            },
            Self::IncludeSubDomainsWithValue { offset } => Self::IncludeSubDomainsWithValue {
                offset: map(offset),
            },
            Self::UnquotedPin { offset } => Self::UnquotedPin {
                offset: map(offset),
            },
            Self::InvalidPin { offset, reason } => Self::InvalidPin {
                offset: map(offset),
                reason,
            },
            Self::UnquotedReportUri { offset } => Self::UnquotedReportUri {
                offset: map(offset),
            },
            Self::InvalidReportUri { offset } => Self::InvalidReportUri {
                offset: map(offset),
            },
            other @ (Self::MissingMaxAge | Self::TooFewPins { .. }) => other,
        }
    }
}

fn duplicate(d: &Directive<'_>) -> HpkpError {
    HpkpError::DuplicateDirective {
        name: d.name().to_owned(),
        offset: d.offset(),
    }
}

impl PublicKeyPins {
    /// Starts a builder for this disposition.
    ///
    /// ```
    /// use hpkp::{BuildError, Disposition, PublicKeyPins};
    ///
    /// let empty = PublicKeyPins::builder(Disposition::ReportOnly);
    /// assert_eq!(empty.build(), Err(BuildError::TooFewPins { distinct: 0 }));
    /// ```
    pub fn builder(disposition: Disposition) -> PublicKeyPinsBuilder {
        PublicKeyPinsBuilder {
            disposition,
            pins: Vec::new(),
            max_age: None,
            include_subdomains: false,
            report_uri: None,
        }
    }

    /// Parses a header value per RFC 7469 §2.1 (double-quoted strings only).
    ///
    /// ```
    /// use hpkp::{Disposition, PublicKeyPins};
    /// let v = concat!(
    ///     r#"pin-sha256="AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="; "#,
    ///     r#"pin-sha256="AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI="; report-uri="/r""#,
    /// );
    /// let ro = PublicKeyPins::parse(v, Disposition::ReportOnly)?;
    /// assert_eq!(ro.pins().len(), 2);
    /// assert_eq!(ro.max_age(), None);
    /// assert!(PublicKeyPins::parse(v, Disposition::Enforce).is_err()); // no max-age
    /// # Ok::<(), hpkp::HpkpError>(())
    /// ```
    ///
    /// # Errors
    /// [`HpkpError`] naming why a browser would ignore the header.
    pub fn parse(value: &str, disposition: Disposition) -> Result<Self, HpkpError> {
        parse_directives(value, disposition, QuoteStyle::Double)
    }

    /// Parses as Chromium did before it removed HPKP: like [`PublicKeyPins::parse`], but a
    /// value may also be quoted with single quotes (`max-age='999'`,
    /// `report-uri='https://r.example/'`). Use it to audit what legacy Chromium-based clients
    /// accepted.
    ///
    /// ```
    /// use hpkp::{Disposition, PublicKeyPins};
    /// let v = concat!(
    ///     r#"max-age='9'; pin-sha256="AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="; "#,
    ///     r#"pin-sha256="AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=""#,
    /// );
    /// assert!(PublicKeyPins::parse(v, Disposition::Enforce).is_err());
    /// let p = PublicKeyPins::parse_chromium_compatible(v, Disposition::Enforce)?;
    /// assert_eq!(p.max_age().map(|d| d.as_secs()), Some(9));
    /// # Ok::<(), hpkp::HpkpError>(())
    /// ```
    ///
    /// # Errors
    /// [`HpkpError`] naming why the header would be ignored.
    pub fn parse_chromium_compatible(
        value: &str,
        disposition: Disposition,
    ) -> Result<Self, HpkpError> {
        parse_directives(value, disposition, QuoteStyle::DoubleOrSingle)
    }

    /// Parses header bytes (bytes above 0x7F read as obs-text, as a browser does).
    ///
    /// ```
    /// use hpkp::{Disposition, PublicKeyPins};
    /// let v = http::HeaderValue::from_static("max-age=1");
    /// assert!(PublicKeyPins::from_header_value(&v, Disposition::Enforce).is_err());
    /// ```
    ///
    /// # Errors
    /// [`HpkpError`] naming why a browser would ignore the header.
    pub fn from_header_value(
        value: &HeaderValue,
        disposition: Disposition,
    ) -> Result<Self, HpkpError> {
        // Visible ASCII (the common case) borrows; only obs-text needs decoding.
        match value.to_str() {
            Ok(text) => Self::parse(text, disposition),
            Err(_) => {
                let text = directive_list::isomorphic_decode(value.as_bytes());
                // Offsets in the error count header bytes, not bytes of the decoded text
                // (where each byte above 0x7F takes two).
                Self::parse(&text, disposition)
                    .map_err(|e| e.map_offset(|at| directive_list::isomorphic_offset(&text, at)))
            }
        }
    }

    /// Enforced or report-only.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use hpkp::{Disposition, Pin, PublicKeyPins};
    /// # const PINS: &str = concat!(
    /// #     r#"pin-sha256="AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="; "#,
    /// #     r#"pin-sha256="AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=""#,
    /// # );
    /// let p = PublicKeyPins::parse(PINS, Disposition::ReportOnly)?;
    /// assert_eq!(p.disposition(), Disposition::ReportOnly);
    /// # Ok::<(), hpkp::HpkpError>(())
    /// ```
    #[must_use]
    pub fn disposition(&self) -> Disposition {
        self.disposition
    }

    /// The header name for this policy's disposition.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use hpkp::{Disposition, Pin, PublicKeyPins};
    /// # const PINS: &str = concat!(
    /// #     r#"pin-sha256="AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="; "#,
    /// #     r#"pin-sha256="AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=""#,
    /// # );
    /// let p = PublicKeyPins::parse(&format!("max-age=5; {PINS}"), Disposition::Enforce)?;
    /// assert_eq!(p.header_name(), hpkp::NAME);
    /// # Ok::<(), hpkp::HpkpError>(())
    /// ```
    #[must_use]
    pub fn header_name(&self) -> HeaderName {
        self.disposition.header_name()
    }

    /// The distinct `pin-sha256` pins, in order of first appearance (at least two).
    ///
    /// ```
    /// use hpkp::{Pin, PublicKeyPins};
    ///
    /// let v = concat!(
    ///     r#"max-age=1; pin-sha256="AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI="; "#,
    ///     r#"pin-sha1="AAAA"; pin-sha256="AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=""#,
    /// );
    /// let p: PublicKeyPins = v.parse()?;
    /// // Order kept; the unknown algorithm is ignored.
    /// assert_eq!(p.pins(), [Pin::from_digest([2; 32]), Pin::from_digest([1; 32])]);
    /// # Ok::<(), hpkp::HpkpError>(())
    /// ```
    #[must_use]
    pub fn pins(&self) -> &[Pin] {
        &self.pins
    }

    /// `max-age` as sent (saturated at `u64::MAX` seconds); always `Some` when enforced.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use hpkp::{Disposition, Pin, PublicKeyPins};
    /// # const PINS: &str = concat!(
    /// #     r#"pin-sha256="AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="; "#,
    /// #     r#"pin-sha256="AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=""#,
    /// # );
    /// let p: PublicKeyPins = format!("max-age=99999999999999999999999; {PINS}").parse()?;
    /// assert_eq!(p.max_age(), Some(Duration::from_secs(u64::MAX)));
    /// # Ok::<(), hpkp::HpkpError>(())
    /// ```
    #[must_use]
    pub fn max_age(&self) -> Option<Duration> {
        self.max_age.map(Duration::from_secs)
    }

    /// `max-age` as Chromium applied it: clamped to 60 days ([`CHROMIUM_MAX_AGE`]).
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use hpkp::{Disposition, Pin, PublicKeyPins};
    /// # const PINS: &str = concat!(
    /// #     r#"pin-sha256="AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="; "#,
    /// #     r#"pin-sha256="AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=""#,
    /// # );
    /// let short: PublicKeyPins = format!("max-age=600; {PINS}").parse()?;
    /// assert_eq!(short.effective_max_age(), Some(Duration::from_secs(600)));
    /// let long: PublicKeyPins = format!("max-age=99999999; {PINS}").parse()?;
    /// assert_eq!(long.effective_max_age(), Some(hpkp::CHROMIUM_MAX_AGE));
    /// # Ok::<(), hpkp::HpkpError>(())
    /// ```
    #[must_use]
    pub fn effective_max_age(&self) -> Option<Duration> {
        self.max_age().map(|d| d.min(CHROMIUM_MAX_AGE))
    }

    /// Whether the pins also cover subdomains.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use hpkp::{Disposition, Pin, PublicKeyPins};
    /// # const PINS: &str = concat!(
    /// #     r#"pin-sha256="AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="; "#,
    /// #     r#"pin-sha256="AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=""#,
    /// # );
    /// let p: PublicKeyPins = format!("max-age=1; includesubdomains; {PINS}").parse()?;
    /// assert!(p.include_subdomains());
    /// let q: PublicKeyPins = format!("max-age=1; {PINS}").parse()?;
    /// assert!(!q.include_subdomains());
    /// # Ok::<(), hpkp::HpkpError>(())
    /// ```
    #[must_use]
    pub fn include_subdomains(&self) -> bool {
        self.include_subdomains
    }

    /// The unquoted `report-uri`, if any.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use hpkp::{Disposition, Pin, PublicKeyPins};
    /// # const PINS: &str = concat!(
    /// #     r#"pin-sha256="AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="; "#,
    /// #     r#"pin-sha256="AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=""#,
    /// # );
    /// let p: PublicKeyPins = format!(r#"max-age=1; {PINS}; report-uri="https://r.example/""#).parse()?;
    /// assert_eq!(p.report_uri(), Some("https://r.example/"));
    /// # Ok::<(), hpkp::HpkpError>(())
    /// ```
    #[must_use]
    pub fn report_uri(&self) -> Option<&str> {
        self.report_uri.as_deref()
    }

    /// RFC 7469 §2.5 "Noting a Pinned Host": given the pins of every SPKI in the validated
    /// certificate chain, checks that at least one pin matches the chain and at least one
    /// (the backup) does not.
    ///
    /// ```
    /// use hpkp::{Disposition, Pin, PinSetError, PublicKeyPins};
    /// let p = PublicKeyPins::builder(Disposition::Enforce)
    ///     .pins([Pin::from_digest([1; 32]), Pin::from_digest([2; 32])])
    ///     .max_age(std::time::Duration::from_secs(600))
    ///     .build()?;
    /// assert_eq!(p.check_against_chain(&[Pin::from_digest([1; 32])]), Ok(()));
    /// assert_eq!(p.check_against_chain(&[Pin::from_digest([3; 32])]), Err(PinSetError::NoPinMatchesChain));
    /// # Ok::<(), hpkp::BuildError>(())
    /// ```
    ///
    /// # Errors
    /// [`PinSetError`] when no pin matches or no backup pin exists.
    pub fn check_against_chain(&self, chain: &[Pin]) -> Result<(), PinSetError> {
        let in_chain = |p: &&Pin| chain.contains(p);
        if !self.pins.iter().any(|p| in_chain(&p)) {
            return Err(PinSetError::NoPinMatchesChain);
        }
        if self.pins.iter().all(|p| in_chain(&p)) {
            return Err(PinSetError::NoBackupPin);
        }
        Ok(())
    }

    /// The canonical header value.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use hpkp::{BuildError, Disposition, Pin, PublicKeyPins};
    /// # let (a, b) = (Pin::from_digest([1; 32]), Pin::from_digest([2; 32]));
    /// let p = PublicKeyPins::builder(Disposition::Enforce)
    ///     .pins([a, b])
    ///     .max_age(Duration::from_secs(60))
    ///     .build()?;
    /// let v = p.to_header_value();
    /// assert_eq!(v.to_str().ok(), Some(p.to_string().as_str()));
    /// assert_eq!(PublicKeyPins::try_from(&v).ok(), Some(p));
    /// # Ok::<(), hpkp::BuildError>(())
    /// ```
    #[must_use]
    pub fn to_header_value(&self) -> HeaderValue {
        HeaderValue::from(self)
    }
}

fn parse_directives(
    value: &str,
    disposition: Disposition,
    quotes: QuoteStyle,
) -> Result<PublicKeyPins, HpkpError> {
    let mut pins: Vec<Pin> = Vec::new();
    let mut seen_pins = std::collections::HashSet::new();
    let mut max_age: Option<u64> = None;
    let mut include_subdomains = false;
    let mut report_uri: Option<String> = None;

    for directive in Directives::with_quote_style(value, quotes) {
        // RFC 7469 §2.1: a header that does not match the grammar is ignored as a whole.
        let d = directive?;
        // RFC 7469 §2.1: "Directive names are case insensitive."
        let name = d.name();
        if name.len() > 4
            && name
                .get(..4)
                .is_some_and(|p| p.eq_ignore_ascii_case("pin-"))
        {
            // RFC 7469 §2.1.1: pin-directive = "pin-" token "=" quoted-string. The value must
            // be quoted whatever the algorithm.
            let Some(v) = d.value().filter(directive_list::Value::is_quoted) else {
                return Err(HpkpError::UnquotedPin { offset: d.offset() });
            };
            // "UAs MUST ignore pin-directives with tokens naming hash algorithms they do not
            // recognize"; sha256 is the only one defined.
            if d.name_is("pin-sha256") {
                let pin =
                    Pin::from_base64(&v.unescaped()).map_err(|reason| HpkpError::InvalidPin {
                        offset: v.offset(),
                        reason,
                    })?;
                if seen_pins.insert(pin) {
                    pins.push(pin);
                }
            }
        } else if d.name_is("max-age") {
            // "Directives MUST NOT appear more than once" (except pin directives).
            if max_age.is_some() {
                return Err(duplicate(&d));
            }
            // RFC 7469 §2.1.2: max-age = delta-seconds; token or quoted-string.
            let v = d
                .value()
                .ok_or(HpkpError::MaxAgeWithoutValue { offset: d.offset() })?;
            max_age = Some(
                delta_seconds(&v.unescaped())
                    .ok_or(HpkpError::InvalidMaxAge { offset: v.offset() })?,
            );
        } else if d.name_is("includeSubDomains") {
            if include_subdomains {
                return Err(duplicate(&d));
            }
            // RFC 7469 §2.1.3: a valueless directive.
            if d.value().is_some() {
                return Err(HpkpError::IncludeSubDomainsWithValue { offset: d.offset() });
            }
            include_subdomains = true;
        } else if d.name_is("report-uri") {
            if report_uri.is_some() {
                return Err(duplicate(&d));
            }
            // RFC 7469 §2.1.4: report-uri-directive = "report-uri" "=" quoted-string, holding a
            // URI-reference.
            let Some(v) = d.value().filter(directive_list::Value::is_quoted) else {
                return Err(HpkpError::UnquotedReportUri { offset: d.offset() });
            };
            let uri = v.unescaped();
            if !is_uri_reference(&uri) {
                return Err(HpkpError::InvalidReportUri { offset: v.offset() });
            }
            report_uri = Some(uri.into_owned());
        }
        // Any other directive is unknown: RFC 7469 §2.1 "If a header field contains any
        // directive(s) the UA does not recognize, the UA MUST ignore those directives", so a
        // repeated unknown directive is ignored too (as Chromium's parser did); the
        // at-most-once rule is enforced for the directives defined here.
    }

    // RFC 7469 §2.1.2: max-age is REQUIRED in Public-Key-Pins; a Report-Only header may omit it.
    if disposition == Disposition::Enforce && max_age.is_none() {
        return Err(HpkpError::MissingMaxAge);
    }
    // RFC 7469 §2.5: the UA notes a pinned host only with a pin of the chain AND a backup pin
    // not in it, so a header with fewer than two distinct pins can never be noted.
    if pins.len() < 2 {
        return Err(HpkpError::TooFewPins {
            distinct: pins.len(),
        });
    }
    Ok(PublicKeyPins {
        disposition,
        pins,
        max_age,
        include_subdomains,
        report_uri,
    })
}

impl FromStr for PublicKeyPins {
    type Err = HpkpError;

    /// Parses an enforcing `Public-Key-Pins` value.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s, Disposition::Enforce)
    }
}

impl TryFrom<&HeaderValue> for PublicKeyPins {
    type Error = HpkpError;

    /// Parses an enforcing `Public-Key-Pins` value; see [`PublicKeyPins::from_header_value`]
    /// for Report-Only.
    fn try_from(value: &HeaderValue) -> Result<Self, Self::Error> {
        Self::from_header_value(value, Disposition::Enforce)
    }
}

impl fmt::Display for PublicKeyPins {
    /// `max-age=N; pin-sha256="…"; …; includeSubDomains; report-uri="…"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sep = "";
        if let Some(max_age) = self.max_age {
            write!(f, "max-age={max_age}")?;
            sep = "; ";
        }
        for pin in &self.pins {
            write!(f, "{sep}pin-sha256=\"{pin}\"")?;
            sep = "; ";
        }
        if self.include_subdomains {
            f.write_str("; includeSubDomains")?;
        }
        if let Some(uri) = &self.report_uri {
            f.write_str("; report-uri=")?;
            directive_list::write_quoted(f, uri)?;
        }
        Ok(())
    }
}

impl From<&PublicKeyPins> for HeaderValue {
    fn from(policy: &PublicKeyPins) -> Self {
        // Pins are base64, the URI is checked to hold only URI characters: always valid.
        HeaderValue::try_from(policy.to_string())
            .unwrap_or_else(|_| HeaderValue::from_static("max-age=0"))
    }
}

#[cfg(feature = "serde")]
mod serde_impl {
    use super::{Disposition, Pin, PublicKeyPins};
    use std::time::Duration;

    /// The configuration form: `{ disposition, pins, max_age, include_subdomains, report_uri }`.
    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Config {
        #[serde(default)]
        disposition: Disposition,
        pins: Vec<Pin>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_age: Option<u64>,
        #[serde(default)]
        include_subdomains: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        report_uri: Option<String>,
    }

    impl serde::Serialize for PublicKeyPins {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            Config {
                disposition: self.disposition,
                pins: self.pins.clone(),
                max_age: self.max_age,
                include_subdomains: self.include_subdomains,
                report_uri: self.report_uri.clone(),
            }
            .serialize(s)
        }
    }

    impl<'de> serde::Deserialize<'de> for PublicKeyPins {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let c = Config::deserialize(d)?;
            let mut b = PublicKeyPins::builder(c.disposition)
                .pins(c.pins)
                .include_subdomains(c.include_subdomains);
            if let Some(secs) = c.max_age {
                b = b.max_age(Duration::from_secs(secs));
            }
            if let Some(uri) = c.report_uri {
                b = b.report_uri(uri);
            }
            b.build().map_err(serde::de::Error::custom)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_reference_charset() {
        assert!(is_uri_reference("https://r.example/a?b=c;d#e"));
        assert!(is_uri_reference("/relative%20path"));
        assert!(!is_uri_reference(""));
        assert!(!is_uri_reference("a b"));
        assert!(!is_uri_reference("a\"b"));
        assert!(!is_uri_reference("a\r\nb"));
        assert!(!is_uri_reference("%zz"));
    }

    #[test]
    fn delta_seconds_saturates() {
        assert_eq!(delta_seconds(&"9".repeat(50)), Some(u64::MAX));
        assert_eq!(delta_seconds("1.0"), None);
    }
}
