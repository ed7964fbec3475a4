//! X-Frame-Options (RFC 7034 and the HTML processing model): builder, browser-exact parser, and the equivalent CSP frame-ancestors directive.
//!
//! [`FrameOptions`] is the value a server should send: `DENY` or `SAMEORIGIN`, nothing
//! else. `ALLOW-FROM` is obsolete (browsers ignore it); use CSP `frame-ancestors` instead,
//! for which [`FrameOptions::to_frame_ancestors`] gives the equivalent directive.
//!
//! Browsers process the header with HTML's "check a navigation response's adherence to
//! `X-Frame-Options`": all lines are read with Fetch "get, decode, and split", lowercased
//! into a set, and any confused combination blocks framing. [`process_lines`],
//! [`process_headers`] and [`process_value`] apply that algorithm and return a
//! [`FrameOptionsReport`]: the effective [`Disposition`] plus [`FrameOptionsDiagnostic`]s
//! (conflicting, invalid, quoted, empty and obsolete values, duplicates).
//!
//! Parsing with [`str::parse`] or [`TryFrom<&HeaderValue>`] is strict: exactly one valid
//! value, and the error says what else was found.
//!
//! ```
//! use frame_options::{Disposition, FrameOptions, NAME};
//! use http::{HeaderMap, HeaderValue};
//!
//! let mut headers = HeaderMap::new();
//! headers.insert(NAME, HeaderValue::from(&FrameOptions::Deny));
//! assert_eq!(headers[NAME], "DENY");
//!
//! let report = frame_options::process_headers(&headers);
//! assert_eq!(report.disposition(), Disposition::Deny);
//! assert_eq!(FrameOptions::Deny.to_frame_ancestors().to_string(), "frame-ancestors 'none'");
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

use std::fmt;
use std::str::FromStr;

use csp_builder::{DirectiveName, PolicyList, Source};
use http::{HeaderMap, HeaderName, HeaderValue};
use nosniff::fetch::{isomorphic_decode, split_values};

/// The header name, `x-frame-options`.
///
/// ```
/// assert_eq!(frame_options::NAME.as_str(), "x-frame-options");
/// ```
pub const NAME: HeaderName = HeaderName::from_static("x-frame-options");

/// The most diagnostics a report keeps; further ones are only counted
/// ([`FrameOptionsReport::omitted_diagnostics`]), so hostile input cannot grow a report
/// beyond a fixed size.
///
/// ```
/// use frame_options::{MAX_DIAGNOSTICS, process_value};
///
/// let hostile = vec!["bogus"; 100].join(",");
/// let report = process_value(&hostile);
/// assert_eq!(report.diagnostics().len(), MAX_DIAGNOSTICS);
/// assert_eq!(report.omitted_diagnostics(), 100 - MAX_DIAGNOSTICS);
/// ```
pub const MAX_DIAGNOSTICS: usize = 32;

/// A valid `X-Frame-Options` value: the only two values browsers honour.
///
/// ```
/// use frame_options::FrameOptions;
///
/// assert_eq!(FrameOptions::SameOrigin.to_string(), "SAMEORIGIN");
/// assert_eq!("deny".parse::<FrameOptions>(), Ok(FrameOptions::Deny));
/// assert!("ALLOW-FROM https://example.com".parse::<FrameOptions>().is_err());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FrameOptions {
    /// `DENY`: the response may not be shown in any frame. The default, as the most
    /// restrictive choice.
    #[default]
    Deny,
    /// `SAMEORIGIN`: the response may be shown only in frames whose every ancestor is
    /// same-origin with it.
    SameOrigin,
}

impl FrameOptions {
    /// The canonical serialization, `DENY` or `SAMEORIGIN`.
    ///
    /// ```
    /// assert_eq!(frame_options::FrameOptions::Deny.as_str(), "DENY");
    /// ```
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Deny => "DENY",
            Self::SameOrigin => "SAMEORIGIN",
        }
    }

    /// The header value, without allocating.
    ///
    /// ```
    /// assert_eq!(frame_options::FrameOptions::SameOrigin.to_header_value(), "SAMEORIGIN");
    /// ```
    #[must_use]
    pub const fn to_header_value(self) -> HeaderValue {
        HeaderValue::from_static(self.as_str())
    }

    /// How browsers treat a response carrying exactly this value.
    ///
    /// ```
    /// use frame_options::{Disposition, FrameOptions};
    /// assert_eq!(FrameOptions::SameOrigin.disposition(), Disposition::SameOrigin);
    /// ```
    #[must_use]
    pub const fn disposition(self) -> Disposition {
        match self {
            Self::Deny => Disposition::Deny,
            Self::SameOrigin => Disposition::SameOrigin,
        }
    }

    /// The CSP `frame-ancestors` directive with the same effect: `DENY` is
    /// `frame-ancestors 'none'`, `SAMEORIGIN` is `frame-ancestors 'self'`.
    ///
    /// Browsers that support CSP ignore `X-Frame-Options` when an enforced policy has
    /// `frame-ancestors`, so sending both, with equivalent values, protects old and new
    /// browsers alike. (`'self'` checks every ancestor against the response's origin, as
    /// HTML's `SAMEORIGIN` processing does.)
    ///
    /// ```
    /// use frame_options::FrameOptions;
    /// assert_eq!(FrameOptions::Deny.to_frame_ancestors().to_string(), "frame-ancestors 'none'");
    /// assert_eq!(FrameOptions::SameOrigin.to_frame_ancestors().to_string(), "frame-ancestors 'self'");
    /// ```
    #[must_use]
    #[expect(
        clippy::expect_used,
        reason = "constant arguments that frame-ancestors always accepts; covered by tests"
    )]
    pub fn to_frame_ancestors(&self) -> csp_builder::Directive {
        let source = match self {
            Self::Deny => Source::NONE,
            Self::SameOrigin => Source::SELF,
        };
        csp_builder::Directive::new(DirectiveName::FrameAncestors, [source])
            .expect("frame-ancestors accepts a lone 'none' or 'self'")
    }

    /// Strict parse of raw header bytes: exactly one member, `DENY` or `SAMEORIGIN` in any
    /// ASCII case, with optional surrounding tabs and spaces.
    ///
    /// ```
    /// use frame_options::{FrameOptions, FrameOptionsError};
    ///
    /// assert_eq!(FrameOptions::parse_bytes(b" SameOrigin "), Ok(FrameOptions::SameOrigin));
    /// assert_eq!(
    ///     FrameOptions::parse_bytes(b"DENY, DENY"),
    ///     Err(FrameOptionsError::MultipleValues { count: 2 })
    /// );
    /// ```
    ///
    /// # Errors
    ///
    /// [`FrameOptionsError`] says why the value is not exactly one valid value.
    pub fn parse_bytes(value: &[u8]) -> Result<Self, FrameOptionsError> {
        let mut members = split_values([value]);
        let first = members.next().unwrap_or_default();
        let extra = members.count();
        if extra > 0 {
            return Err(FrameOptionsError::MultipleValues { count: extra + 1 });
        }
        let decoded = || isomorphic_decode(&first).into_owned();
        match Member::classify(&first) {
            Member::Keyword(Keyword::Deny) => Ok(Self::Deny),
            Member::Keyword(Keyword::SameOrigin) => Ok(Self::SameOrigin),
            Member::Keyword(Keyword::AllowAll) => Err(FrameOptionsError::AllowAll),
            Member::AllowFrom => Err(FrameOptionsError::ObsoleteAllowFrom { value: decoded() }),
            Member::Quoted => Err(FrameOptionsError::Quoted { value: decoded() }),
            Member::Empty => Err(FrameOptionsError::Empty),
            Member::Invalid => Err(FrameOptionsError::Invalid { value: decoded() }),
        }
    }
}

impl fmt::Display for FrameOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for FrameOptions {
    type Err = FrameOptionsError;

    /// Strict: see [`FrameOptions::parse_bytes`]. Use [`process_value`] for the browser
    /// verdict on any value.
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::parse_bytes(value.as_bytes())
    }
}

impl TryFrom<&HeaderValue> for FrameOptions {
    type Error = FrameOptionsError;

    /// Strict: see [`FrameOptions::parse_bytes`].
    ///
    /// ```
    /// use frame_options::FrameOptions;
    /// use http::HeaderValue;
    ///
    /// assert_eq!(FrameOptions::try_from(&HeaderValue::from_static("DENY")), Ok(FrameOptions::Deny));
    /// assert!(FrameOptions::try_from(&HeaderValue::from_static("ALLOWALL")).is_err());
    /// ```
    fn try_from(value: &HeaderValue) -> Result<Self, Self::Error> {
        Self::parse_bytes(value.as_bytes())
    }
}

impl From<&FrameOptions> for HeaderValue {
    fn from(value: &FrameOptions) -> Self {
        value.to_header_value()
    }
}

impl From<FrameOptions> for HeaderValue {
    fn from(value: FrameOptions) -> Self {
        value.to_header_value()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for FrameOptions {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for FrameOptions {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Why a value is not exactly one valid `X-Frame-Options` value (strict parsing).
///
/// ```
/// use frame_options::{FrameOptions, FrameOptionsError};
///
/// assert_eq!(" ".parse::<FrameOptions>(), Err(FrameOptionsError::Empty));
/// assert_eq!("ALLOWALL".parse::<FrameOptions>(), Err(FrameOptionsError::AllowAll));
/// assert_eq!(
///     r#""DENY""#.parse::<FrameOptions>(),
///     Err(FrameOptionsError::Quoted { value: r#""DENY""#.into() })
/// );
/// assert!(matches!(
///     "ALLOW-FROM https://a.example/".parse::<FrameOptions>(),
///     Err(FrameOptionsError::ObsoleteAllowFrom { .. })
/// ));
/// assert_eq!(
///     "maybe".parse::<FrameOptions>(),
///     Err(FrameOptionsError::Invalid { value: "maybe".into() })
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FrameOptionsError {
    /// The value is empty or only tabs and spaces.
    #[error("X-Frame-Options is empty; use DENY or SAMEORIGIN")]
    Empty,
    /// `ALLOW-FROM …`: obsolete, ignored by browsers (the response can be framed by anyone).
    #[error(
        "X-Frame-Options {value:?}: ALLOW-FROM is obsolete and ignored by browsers; use CSP frame-ancestors"
    )]
    ObsoleteAllowFrom {
        /// The member as received.
        value: String,
    },
    /// `ALLOWALL`: never standardized; on its own browsers treat it as no restriction.
    #[error("X-Frame-Options ALLOWALL is not a valid value; omit the header to allow framing")]
    AllowAll,
    /// A quoted string: browsers keep the quotes, so `"DENY"` is not `DENY`.
    #[error("X-Frame-Options value {value:?} is quoted; browsers keep the quotes and ignore it")]
    Quoted {
        /// The member as received, quotes included.
        value: String,
    },
    /// Any other value.
    #[error("X-Frame-Options value {value:?} is neither DENY nor SAMEORIGIN")]
    Invalid {
        /// The member as received (isomorphic-decoded).
        value: String,
    },
    /// More than one comma-separated member.
    #[error(
        "X-Frame-Options has {count} comma-separated values; exactly one (DENY or SAMEORIGIN) is allowed"
    )]
    MultipleValues {
        /// How many members the value has.
        count: usize,
    },
}

/// What browsers do with a response given its `X-Frame-Options` header, when the response is
/// loaded in a frame.
///
/// ```
/// use frame_options::{Disposition, process_value};
///
/// let disposition = process_value("SAMEORIGIN").disposition();
/// assert!(disposition.allows_same_origin_framing());
/// assert!(!disposition.allows_cross_origin_framing());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Disposition {
    /// Framing is blocked everywhere (`DENY`, or a confused combination of values).
    Deny,
    /// Framing is allowed only when every ancestor is same-origin with the response.
    SameOrigin,
    /// The header does not restrict framing (absent, invalid, `ALLOW-FROM`, `ALLOWALL`, …).
    NoRestriction,
}

impl Disposition {
    /// Whether a frame whose ancestors are all same-origin with the response may show it.
    ///
    /// ```
    /// use frame_options::Disposition;
    ///
    /// assert!(Disposition::SameOrigin.allows_same_origin_framing());
    /// assert!(Disposition::NoRestriction.allows_same_origin_framing());
    /// assert!(!Disposition::Deny.allows_same_origin_framing());
    /// ```
    #[must_use]
    pub const fn allows_same_origin_framing(self) -> bool {
        !matches!(self, Self::Deny)
    }

    /// Whether a frame with a cross-origin ancestor may show the response.
    ///
    /// ```
    /// use frame_options::Disposition;
    ///
    /// assert!(Disposition::NoRestriction.allows_cross_origin_framing());
    /// assert!(!Disposition::SameOrigin.allows_cross_origin_framing());
    /// assert!(!Disposition::Deny.allows_cross_origin_framing());
    /// ```
    #[must_use]
    pub const fn allows_cross_origin_framing(self) -> bool {
        matches!(self, Self::NoRestriction)
    }

    /// The valid header value with this effect, if any.
    ///
    /// ```
    /// use frame_options::{Disposition, FrameOptions};
    /// assert_eq!(Disposition::Deny.frame_options(), Some(FrameOptions::Deny));
    /// assert_eq!(Disposition::NoRestriction.frame_options(), None);
    /// ```
    #[must_use]
    pub const fn frame_options(self) -> Option<FrameOptions> {
        match self {
            Self::Deny => Some(FrameOptions::Deny),
            Self::SameOrigin => Some(FrameOptions::SameOrigin),
            Self::NoRestriction => None,
        }
    }
}

/// Whether the same response carries a CSP `frame-ancestors` directive, and how.
///
/// HTML "check a navigation response's adherence to `X-Frame-Options`", step 2: "For each
/// policy of cspList: if policy's disposition is not "enforce", then continue. If policy's
/// directive set contains a frame-ancestors directive, then return true." So an **enforced**
/// `frame-ancestors` makes browsers ignore `X-Frame-Options` entirely; a report-only one
/// does not.
///
/// ```
/// use csp_builder::PolicyList;
/// use frame_options::CspFrameAncestors;
///
/// let enforced = PolicyList::parse("frame-ancestors 'self'").value;
/// assert_eq!(CspFrameAncestors::from_policies(&enforced), CspFrameAncestors::Enforced);
/// let other = PolicyList::parse("default-src 'self'").value;
/// assert_eq!(CspFrameAncestors::from_policies(&other), CspFrameAncestors::Absent);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum CspFrameAncestors {
    /// No policy has `frame-ancestors`.
    #[default]
    Absent,
    /// Only report-only policies have `frame-ancestors`: `X-Frame-Options` still applies.
    ReportOnly,
    /// An enforced policy has `frame-ancestors`: browsers ignore `X-Frame-Options`.
    Enforced,
}

impl CspFrameAncestors {
    /// Classifies a response's CSP list (HTML step 2).
    ///
    /// ```
    /// use csp_builder::{Disposition, PolicyList};
    /// use frame_options::CspFrameAncestors;
    ///
    /// let report_only =
    ///     PolicyList::parse_with_disposition("frame-ancestors 'none'", Disposition::Report).value;
    /// assert_eq!(CspFrameAncestors::from_policies(&report_only), CspFrameAncestors::ReportOnly);
    /// let second_enforced = PolicyList::parse("img-src *, frame-ancestors 'self'").value;
    /// assert_eq!(CspFrameAncestors::from_policies(&second_enforced), CspFrameAncestors::Enforced);
    /// ```
    #[must_use]
    pub fn from_policies(policies: &PolicyList) -> Self {
        let mut found = Self::Absent;
        for policy in policies.policies() {
            if policy.directive(DirectiveName::FrameAncestors).is_some() {
                if policy.disposition() == csp_builder::Disposition::Enforce {
                    return Self::Enforced;
                }
                found = Self::ReportOnly;
            }
        }
        found
    }

    /// Classifies the `Content-Security-Policy` and `Content-Security-Policy-Report-Only`
    /// headers of a response.
    ///
    /// ```
    /// use frame_options::CspFrameAncestors;
    /// use http::{HeaderMap, HeaderValue};
    ///
    /// let mut headers = HeaderMap::new();
    /// headers.insert(
    ///     csp_builder::CONTENT_SECURITY_POLICY_REPORT_ONLY,
    ///     HeaderValue::from_static("frame-ancestors 'none'"),
    /// );
    /// assert_eq!(CspFrameAncestors::from_headers(&headers), CspFrameAncestors::ReportOnly);
    /// ```
    #[must_use]
    pub fn from_headers(headers: &HeaderMap) -> Self {
        Self::from_policies(&PolicyList::from_headers(headers).value)
    }
}

/// Something about an `X-Frame-Options` header that a reviewer should fix.
///
/// ```
/// use frame_options::{FrameOptions, FrameOptionsDiagnostic, process_lines, process_value};
///
/// // A second line repeating the first changes nothing but is reported.
/// let report = process_lines(["DENY", "deny"]);
/// assert_eq!(
///     report.diagnostics(),
///     [FrameOptionsDiagnostic::DuplicateValue { index: 1, value: Some(FrameOptions::Deny) }]
/// );
/// let allow_all = process_value("ALLOWALL");
/// assert_eq!(
///     allow_all.diagnostics(),
///     [FrameOptionsDiagnostic::NonStandardAllowAll { index: 0 }]
/// );
/// assert_eq!(FrameOptionsDiagnostic::EmptyValue { index: 2 }.to_string(), "value #2 is empty");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FrameOptionsDiagnostic {
    /// More than one distinct value, at least one of them `DENY`, `SAMEORIGIN` or
    /// `ALLOWALL`: browsers block framing everywhere (HTML step 6).
    ConflictingValues,
    /// `ALLOW-FROM …`: obsolete and ignored; use CSP `frame-ancestors`.
    ObsoleteAllowFrom {
        /// Position of the member in the list (0 is the first).
        index: usize,
        /// The member as received.
        value: String,
    },
    /// `ALLOWALL`: never standardized. Alone it means no restriction; next to any other
    /// value it makes browsers block framing.
    NonStandardAllowAll {
        /// Position of the member in the list.
        index: usize,
    },
    /// A quoted string: browsers keep the quotes, so it never matches a keyword.
    QuotedValue {
        /// Position of the member in the list.
        index: usize,
        /// The member as received, quotes included.
        value: String,
    },
    /// An empty member (an empty line, or a stray comma).
    EmptyValue {
        /// Position of the member in the list.
        index: usize,
    },
    /// A member that is not a known value.
    InvalidValue {
        /// Position of the member in the list.
        index: usize,
        /// The member as received (isomorphic-decoded).
        value: String,
    },
    /// The same keyword again (in any case), often a second line added by another layer.
    /// Browsers collapse duplicates, so this alone changes nothing.
    DuplicateValue {
        /// Position of the repeated member in the list.
        index: usize,
        /// The valid value it repeats, if it is `DENY` or `SAMEORIGIN` (`None` for
        /// `ALLOWALL`).
        value: Option<FrameOptions>,
    },
}

impl fmt::Display for FrameOptionsDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ConflictingValues => f.write_str(
                "X-Frame-Options has conflicting values; browsers block all framing. Send exactly one of DENY or SAMEORIGIN",
            ),
            Self::ObsoleteAllowFrom { index, value } => write!(
                f,
                "value #{index} {value:?}: ALLOW-FROM is obsolete and ignored by browsers; use CSP frame-ancestors"
            ),
            Self::NonStandardAllowAll { index } => write!(
                f,
                "value #{index}: ALLOWALL is not a standard value; omit the header to allow framing"
            ),
            Self::QuotedValue { index, value } => write!(
                f,
                "value #{index} {value:?} is quoted; browsers keep the quotes and ignore it"
            ),
            Self::EmptyValue { index } => write!(f, "value #{index} is empty"),
            Self::InvalidValue { index, value } => write!(
                f,
                "value #{index} {value:?} is neither DENY nor SAMEORIGIN and is ignored"
            ),
            Self::DuplicateValue { index, .. } => write!(
                f,
                "value #{index} repeats an earlier value; send the header once"
            ),
        }
    }
}

/// The result of processing `X-Frame-Options` as a browser does.
///
/// ```
/// use frame_options::{Disposition, FrameOptionsDiagnostic, process_value};
///
/// let report = process_value("ALLOW-FROM https://example.com/");
/// assert_eq!(report.disposition(), Disposition::NoRestriction);
/// assert!(matches!(
///     report.diagnostics(),
///     [FrameOptionsDiagnostic::ObsoleteAllowFrom { index: 0, .. }]
/// ));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameOptionsReport {
    disposition: Disposition,
    line_count: usize,
    diagnostics: Vec<FrameOptionsDiagnostic>,
    omitted_diagnostics: usize,
}

impl FrameOptionsReport {
    /// What `X-Frame-Options` alone makes browsers do in a frame.
    ///
    /// ```
    /// use frame_options::{Disposition, process_headers, process_value};
    ///
    /// assert_eq!(process_value("SAMEORIGIN").disposition(), Disposition::SameOrigin);
    /// assert_eq!(process_value("nonsense").disposition(), Disposition::NoRestriction);
    /// assert_eq!(process_headers(&http::HeaderMap::new()).disposition(), Disposition::NoRestriction);
    /// ```
    #[must_use]
    pub const fn disposition(&self) -> Disposition {
        self.disposition
    }

    /// The valid value with the same effect as the header, if any: what to send instead.
    ///
    /// ```
    /// use frame_options::{FrameOptions, process_value};
    /// assert_eq!(process_value("sameorigin, SAMEORIGIN").frame_options(), Some(FrameOptions::SameOrigin));
    /// assert_eq!(process_value("ALLOWALL").frame_options(), None);
    /// ```
    #[must_use]
    pub const fn frame_options(&self) -> Option<FrameOptions> {
        self.disposition.frame_options()
    }

    /// The disposition once CSP is taken into account: `None` when browsers ignore
    /// `X-Frame-Options` because an enforced CSP has `frame-ancestors` (HTML step 2; that
    /// directive then decides alone).
    ///
    /// Also per HTML step 1, browsers apply `X-Frame-Options` only to documents loaded in a
    /// frame (a child navigable); a top-level document is never blocked by it.
    ///
    /// ```
    /// use frame_options::{CspFrameAncestors, Disposition, process_value};
    ///
    /// let report = process_value("DENY");
    /// assert_eq!(report.effective_disposition(CspFrameAncestors::ReportOnly), Some(Disposition::Deny));
    /// assert_eq!(report.effective_disposition(CspFrameAncestors::Enforced), None);
    /// ```
    #[must_use]
    pub const fn effective_disposition(&self, csp: CspFrameAncestors) -> Option<Disposition> {
        match csp {
            CspFrameAncestors::Enforced => None,
            CspFrameAncestors::Absent | CspFrameAncestors::ReportOnly => Some(self.disposition),
        }
    }

    /// Whether the header was present (at least one line).
    ///
    /// ```
    /// let absent = frame_options::process_headers(&http::HeaderMap::new());
    /// assert!(!absent.is_present());
    /// assert!(frame_options::process_value("").is_present());
    /// ```
    #[must_use]
    pub const fn is_present(&self) -> bool {
        self.line_count > 0
    }

    /// How many header lines were processed.
    ///
    /// ```
    /// use frame_options::{NAME, process_headers};
    /// use http::{HeaderMap, HeaderValue};
    ///
    /// let mut headers = HeaderMap::new();
    /// headers.append(NAME, HeaderValue::from_static("DENY"));
    /// headers.append(NAME, HeaderValue::from_static("DENY, DENY"));
    /// assert_eq!(process_headers(&headers).line_count(), 2);
    /// ```
    #[must_use]
    pub const fn line_count(&self) -> usize {
        self.line_count
    }

    /// What is wrong with the header (at most [`MAX_DIAGNOSTICS`]);
    /// [`FrameOptionsDiagnostic::ConflictingValues`] comes first when present.
    ///
    /// ```
    /// use frame_options::{FrameOptionsDiagnostic, process_value};
    ///
    /// let report = process_value("SAMEORIGIN, nope");
    /// assert_eq!(
    ///     report.diagnostics(),
    ///     [
    ///         FrameOptionsDiagnostic::ConflictingValues,
    ///         FrameOptionsDiagnostic::InvalidValue { index: 1, value: "nope".into() },
    ///     ]
    /// );
    /// assert!(process_value("DENY").diagnostics().is_empty());
    /// ```
    #[must_use]
    pub fn diagnostics(&self) -> &[FrameOptionsDiagnostic] {
        &self.diagnostics
    }

    /// How many diagnostics were dropped beyond [`MAX_DIAGNOSTICS`].
    ///
    /// ```
    /// use frame_options::{MAX_DIAGNOSTICS, process_value};
    ///
    /// // 40 empty members, one diagnostic each.
    /// let report = process_value(&",".repeat(39));
    /// assert_eq!(report.diagnostics().len(), MAX_DIAGNOSTICS);
    /// assert_eq!(report.omitted_diagnostics(), 40 - MAX_DIAGNOSTICS);
    /// assert_eq!(process_value("DENY").omitted_diagnostics(), 0);
    /// ```
    #[must_use]
    pub const fn omitted_diagnostics(&self) -> usize {
        self.omitted_diagnostics
    }

    /// True when the header is one line holding exactly one valid value.
    ///
    /// ```
    /// assert!(frame_options::process_value("DENY").is_canonical());
    /// assert!(!frame_options::process_value("DENY, DENY").is_canonical());
    /// ```
    #[must_use]
    pub fn is_canonical(&self) -> bool {
        self.line_count == 1 && self.diagnostics.is_empty() && self.frame_options().is_some()
    }

    fn push(&mut self, diagnostic: FrameOptionsDiagnostic) {
        if self.diagnostics.len() < MAX_DIAGNOSTICS {
            self.diagnostics.push(diagnostic);
        } else {
            self.omitted_diagnostics += 1;
        }
    }
}

/// The three values HTML's processing model knows.
#[derive(Clone, Copy)]
enum Keyword {
    Deny,
    SameOrigin,
    AllowAll,
}

/// What one member of the list is.
enum Member {
    Keyword(Keyword),
    AllowFrom,
    Quoted,
    Empty,
    Invalid,
}

impl Member {
    fn classify(member: &[u8]) -> Self {
        // HTML step 5: "append value, converted to ASCII lowercase"; comparing ASCII
        // case-insensitively is the same.
        if member.eq_ignore_ascii_case(b"deny") {
            Self::Keyword(Keyword::Deny)
        } else if member.eq_ignore_ascii_case(b"sameorigin") {
            Self::Keyword(Keyword::SameOrigin)
        } else if member.eq_ignore_ascii_case(b"allowall") {
            Self::Keyword(Keyword::AllowAll)
        } else if member.is_empty() {
            Self::Empty
        } else if member.first() == Some(&b'"') {
            Self::Quoted
        } else if member
            .get(..b"allow-from".len())
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case(b"allow-from"))
        {
            Self::AllowFrom
        } else {
            Self::Invalid
        }
    }
}

/// Processes all lines of `X-Frame-Options` as a browser does: HTML "check a navigation
/// response's adherence to `X-Frame-Options`", steps 3-10.
///
/// `lines` are the values of every header line, in order: `&HeaderValue`, `&str` and
/// `&[u8]` items all work. The CSP steps are applied separately by
/// [`FrameOptionsReport::effective_disposition`].
///
/// # Conflicting values: the HTML standard over WPT
///
/// HTML step 6 blocks framing when the set of values has more than one element and
/// contains any of `deny`, `allowall` or `sameorigin`. So `INVALID,SAMEORIGIN`,
/// `SAMEORIGIN,ALLOWALL` and `SAMEORIGIN,"DENY"` block **all** framing here. The
/// web-platform-tests in `x-frame-options/commas.html` and `multiple.html` instead expect
/// those to allow same-origin framing. We follow the standard, which Firefox
/// (`FramingChecker`) and Servo implement step by step, and which is also the conservative
/// verdict: such a header is reported as [`FrameOptionsDiagnostic::ConflictingValues`] and
/// as [`Disposition::Deny`].
///
/// ```
/// use frame_options::{Disposition, FrameOptionsDiagnostic, process_lines};
///
/// assert_eq!(process_lines(["SAMEORIGIN", "sameorigin"]).disposition(), Disposition::SameOrigin);
/// assert_eq!(process_lines(["SAMEORIGIN", "DENY"]).disposition(), Disposition::Deny);
/// let report = process_lines(["INVALID,SAMEORIGIN"]);
/// assert_eq!(report.disposition(), Disposition::Deny);
/// assert_eq!(report.diagnostics()[0], FrameOptionsDiagnostic::ConflictingValues);
/// assert_eq!(process_lines(["INVALID", "ALSO-INVALID"]).disposition(), Disposition::NoRestriction);
/// ```
#[must_use]
pub fn process_lines<'a, I, B>(lines: I) -> FrameOptionsReport
where
    I: IntoIterator<Item = &'a B>,
    B: AsRef<[u8]> + ?Sized + 'a,
{
    let mut report = FrameOptionsReport {
        disposition: Disposition::NoRestriction,
        line_count: 0,
        diagnostics: Vec::new(),
        omitted_diagnostics: 0,
    };
    let mut line_count = 0;
    // Steps 4-5 build a set of lowercased values. Only its size and whether it holds
    // "deny", "sameorigin" or "allowall" matter to steps 6-10, so the set is kept as three
    // flags plus "some other value": no allocation per value.
    let (mut deny, mut same_origin, mut allow_all, mut other) = (false, false, false, false);
    // Step 3: "Let rawXFrameOptions be the result of getting, decoding, and splitting
    // `X-Frame-Options` from response's header list."
    let counted = lines.into_iter().inspect(|_| line_count += 1);
    for (index, member) in split_values(counted).enumerate() {
        let decoded = || isomorphic_decode(&member).into_owned();
        match Member::classify(&member) {
            Member::Keyword(keyword) => {
                let (seen, value) = match keyword {
                    Keyword::Deny => (&mut deny, Some(FrameOptions::Deny)),
                    Keyword::SameOrigin => (&mut same_origin, Some(FrameOptions::SameOrigin)),
                    Keyword::AllowAll => (&mut allow_all, None),
                };
                if *seen {
                    report.push(FrameOptionsDiagnostic::DuplicateValue { index, value });
                } else if matches!(keyword, Keyword::AllowAll) {
                    report.push(FrameOptionsDiagnostic::NonStandardAllowAll { index });
                }
                *seen = true;
            }
            Member::AllowFrom => {
                other = true;
                report.push(FrameOptionsDiagnostic::ObsoleteAllowFrom {
                    index,
                    value: decoded(),
                });
            }
            Member::Quoted => {
                other = true;
                report.push(FrameOptionsDiagnostic::QuotedValue {
                    index,
                    value: decoded(),
                });
            }
            Member::Empty => {
                other = true;
                report.push(FrameOptionsDiagnostic::EmptyValue { index });
            }
            Member::Invalid => {
                other = true;
                report.push(FrameOptionsDiagnostic::InvalidValue {
                    index,
                    value: decoded(),
                });
            }
        }
    }
    report.line_count = line_count;

    let keywords = usize::from(deny) + usize::from(same_origin) + usize::from(allow_all);
    report.disposition = if keywords > 0 && keywords + usize::from(other) > 1 {
        // Step 6: "If xFrameOptions's size is greater than 1, and xFrameOptions contains
        // any of "deny", "allowall", or "sameorigin", then return false."
        report
            .diagnostics
            .insert(0, FrameOptionsDiagnostic::ConflictingValues);
        if report.diagnostics.len() > MAX_DIAGNOSTICS {
            report.diagnostics.truncate(MAX_DIAGNOSTICS);
            report.omitted_diagnostics += 1;
        }
        Disposition::Deny
    } else if deny {
        // Step 8: "If xFrameOptions[0] is "deny", then return false."
        Disposition::Deny
    } else if same_origin {
        // Step 9: "If xFrameOptions[0] is "sameorigin", then" block unless every container
        // document up the chain is same origin with destinationOrigin.
        Disposition::SameOrigin
    } else {
        // Step 7: "If xFrameOptions's size is greater than 1, then return true." (only
        // invalid values), and step 10: "Return true." (absent, a single invalid value,
        // or a lone "allowall").
        Disposition::NoRestriction
    };
    report
}

/// Processes every `X-Frame-Options` line of a header map.
///
/// ```
/// use frame_options::{Disposition, NAME};
/// use http::{HeaderMap, HeaderValue};
///
/// let mut headers = HeaderMap::new();
/// headers.append(NAME, HeaderValue::from_static("SAMEORIGIN"));
/// headers.append(NAME, HeaderValue::from_static("DENY"));
/// assert_eq!(frame_options::process_headers(&headers).disposition(), Disposition::Deny);
/// ```
#[must_use]
pub fn process_headers(headers: &HeaderMap) -> FrameOptionsReport {
    process_lines(headers.get_all(NAME))
}

/// Processes one `X-Frame-Options` value (a single header line).
///
/// ```
/// use frame_options::Disposition;
/// assert_eq!(frame_options::process_value("denY").disposition(), Disposition::Deny);
/// assert_eq!(frame_options::process_value("\"DENY\"").disposition(), Disposition::NoRestriction);
/// ```
#[must_use]
pub fn process_value(value: &str) -> FrameOptionsReport {
    process_lines([value])
}
