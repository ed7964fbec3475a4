//! `Cross-Origin-Opener-Policy` and `Cross-Origin-Embedder-Policy` (HTML §7.1.3, §7.1.4; both
//! RFC 9651 items with an optional `report-to` string parameter, each with a `-Report-Only`
//! twin) and `Cross-Origin-Resource-Policy` (Fetch §3.7, a plain token).
//!
//! ```
//! use secure_headers::cross_origin::{
//!     CrossOriginEmbedderPolicy, CrossOriginOpenerPolicy, CrossOriginResourcePolicy, EmbedderPolicyValue,
//! };
//!
//! let coop = CrossOriginOpenerPolicy::same_origin().with_report_to("coop")?;
//! assert_eq!(coop.to_string(), r#"same-origin;report-to="coop""#);
//!
//! let coep: CrossOriginEmbedderPolicy = "credentialless".parse()?;
//! assert_eq!(coep.value(), EmbedderPolicyValue::Credentialless);
//! assert!(coep.value().is_compatible_with_cross_origin_isolation());
//!
//! assert_eq!(CrossOriginResourcePolicy::SameSite.to_string(), "same-site");
//! # Ok::<(), secure_headers::cross_origin::CrossOriginPolicyError>(())
//! ```

use std::fmt;
use std::str::FromStr;

use http::{HeaderName, HeaderValue};

use crate::bundle::SecureHeadersBuilder;
use crate::reporting_endpoints::EndpointName;
use crate::sf::{self, StructuredFieldError};
use crate::util::trim_ows;

/// Why a COOP, COEP or CORP value is ignored by a browser, or a builder input is invalid.
///
/// ```
/// use secure_headers::cross_origin::{
///     CrossOriginOpenerPolicy, CrossOriginPolicyError, CrossOriginResourcePolicy,
/// };
///
/// // Not an RFC 9651 item: two tokens.
/// assert!(matches!(
///     "same origin".parse::<CrossOriginOpenerPolicy>(),
///     Err(CrossOriginPolicyError::Syntax(_))
/// ));
/// // A string, not a token.
/// assert!(matches!(
///     r#""same-origin""#.parse::<CrossOriginOpenerPolicy>(),
///     Err(CrossOriginPolicyError::UnknownValue { header: "Cross-Origin-Opener-Policy", .. })
/// ));
/// assert!(matches!(
///     "Same-Site".parse::<CrossOriginResourcePolicy>(),
///     Err(CrossOriginPolicyError::UnknownValue { .. })
/// ));
/// assert_eq!(
///     CrossOriginOpenerPolicy::same_origin().with_report_to("a b"),
///     Err(CrossOriginPolicyError::InvalidReportTo("a b".to_owned()))
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CrossOriginPolicyError {
    /// The value is not an RFC 9651 item (COOP/COEP): the header is ignored.
    #[error(transparent)]
    Syntax(#[from] StructuredFieldError),
    /// The item is not one of the header's tokens (a string `"same-origin"`, a different case
    /// or an unknown token): the header is ignored and the policy stays `unsafe-none`
    /// (COOP/COEP) or no policy applies (CORP).
    #[error("`{value}` is not a {header} value (expected one of {expected})")]
    UnknownValue {
        /// The header name.
        header: &'static str,
        /// The value as seen.
        value: String,
        /// The accepted tokens.
        expected: &'static str,
    },
    /// A `report-to` endpoint name is not an RFC 9651 key.
    #[error("`{0}` is not a valid reporting endpoint name")]
    InvalidReportTo(String),
}

/// A part of a COOP/COEP value that a browser ignores.
///
/// ```
/// use secure_headers::cross_origin::{CrossOriginDiagnostic, CrossOriginOpenerPolicy};
///
/// let (coop, diagnostics) =
///     CrossOriginOpenerPolicy::parse_with_diagnostics(r#"same-origin;report-to="Bad""#)?;
/// assert_eq!(coop, CrossOriginOpenerPolicy::same_origin()); // the policy still applies
/// assert_eq!(
///     diagnostics,
///     [CrossOriginDiagnostic::ReportToNotAnEndpointName("Bad".to_owned())]
/// );
/// # Ok::<(), secure_headers::cross_origin::CrossOriginPolicyError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CrossOriginDiagnostic {
    /// HTML: "If `parsedItem[1]["report-to"]` exists and it is a string": a token, byte sequence
    /// or other type is ignored.
    ReportToNotAString,
    /// The `report-to` string is not a valid endpoint name, so it cannot match any
    /// `Reporting-Endpoints` member.
    ReportToNotAnEndpointName(String),
    /// The item has parameters other than `report-to`; they are ignored.
    UnknownParameter(String),
}

mod sealed {
    /// Keeps [`super::PolicyValue`] implemented by the COOP and COEP value types only.
    #[allow(unreachable_pub)] // public in a private module: the usual sealing pattern
    pub trait Sealed {}
}

/// The value set of a cross-origin policy header that is an RFC 9651 token item with an
/// optional `report-to` string parameter: [`OpenerPolicyValue`] (COOP) and
/// [`EmbedderPolicyValue`] (COEP). It is what makes [`CrossOriginPolicy`] one of the two headers.
///
/// ```
/// use secure_headers::cross_origin::{EmbedderPolicyValue, OpenerPolicyValue, PolicyValue};
/// assert_eq!(OpenerPolicyValue::from_token("same-origin"), Some(OpenerPolicyValue::SameOrigin));
/// assert_eq!(EmbedderPolicyValue::from_token("Require-Corp"), None); // byte-exact
/// assert_eq!(EmbedderPolicyValue::HEADER, "Cross-Origin-Embedder-Policy");
/// ```
pub trait PolicyValue: sealed::Sealed + Copy + Eq + std::hash::Hash + fmt::Debug + 'static {
    /// The enforced header's name.
    const NAME: HeaderName;
    /// The report-only header's name.
    const REPORT_ONLY_NAME: HeaderName;
    /// The header name as written in messages.
    const HEADER: &'static str;
    /// The accepted tokens, as written in messages.
    const EXPECTED: &'static str;
    /// Every value, in the order of [`EXPECTED`](Self::EXPECTED).
    const ALL: &'static [Self];
    /// The token that serializes this value.
    ///
    /// ```
    /// use secure_headers::cross_origin::{EmbedderPolicyValue, OpenerPolicyValue, PolicyValue};
    ///
    /// assert_eq!(OpenerPolicyValue::NoopenerAllowPopups.token(), "noopener-allow-popups");
    /// assert_eq!(EmbedderPolicyValue::Credentialless.token(), "credentialless");
    /// ```
    fn token(self) -> &'static str;
    /// The value `token` names (byte-exact, as browsers compare it), if any.
    ///
    /// ```
    /// use secure_headers::cross_origin::{OpenerPolicyValue, PolicyValue};
    ///
    /// assert_eq!(
    ///     OpenerPolicyValue::from_token("unsafe-none"),
    ///     Some(OpenerPolicyValue::UnsafeNone)
    /// );
    /// assert_eq!(OpenerPolicyValue::from_token("Same-Origin"), None);
    /// ```
    fn from_token(token: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.token() == token)
    }
}

/// `Cross-Origin-Opener-Policy` or `Cross-Origin-Embedder-Policy` (and their `-Report-Only`
/// twins): a value of `V` and an optional reporting endpoint. Use the aliases
/// [`CrossOriginOpenerPolicy`] and [`CrossOriginEmbedderPolicy`]; both headers have the same
/// shape (HTML §7.1.3, §7.1.4), so they share one parser and one serializer.
///
/// ```
/// use secure_headers::cross_origin::{CrossOriginEmbedderPolicy, CrossOriginOpenerPolicy};
/// let coop: CrossOriginOpenerPolicy = "same-origin".parse()?;
/// let coep: CrossOriginEmbedderPolicy = "require-corp".parse()?;
/// assert_eq!(coop, CrossOriginOpenerPolicy::same_origin());
/// assert_eq!(coep, CrossOriginEmbedderPolicy::require_corp());
/// # Ok::<(), secure_headers::cross_origin::CrossOriginPolicyError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CrossOriginPolicy<V> {
    value: V,
    report_to: Option<EndpointName>,
}

impl<V: PolicyValue> CrossOriginPolicy<V> {
    /// The enforced header's name.
    ///
    /// ```
    /// # use secure_headers::cross_origin::{CrossOriginEmbedderPolicy, CrossOriginOpenerPolicy};
    /// assert_eq!(CrossOriginOpenerPolicy::NAME, "cross-origin-opener-policy");
    /// assert_eq!(CrossOriginEmbedderPolicy::NAME, "cross-origin-embedder-policy");
    /// ```
    pub const NAME: HeaderName = V::NAME;
    /// The report-only header's name.
    ///
    /// ```
    /// # use secure_headers::cross_origin::{CrossOriginEmbedderPolicy, CrossOriginOpenerPolicy};
    /// assert_eq!(CrossOriginOpenerPolicy::REPORT_ONLY_NAME, "cross-origin-opener-policy-report-only");
    /// assert_eq!(CrossOriginEmbedderPolicy::REPORT_ONLY_NAME, "cross-origin-embedder-policy-report-only");
    /// ```
    pub const REPORT_ONLY_NAME: HeaderName = V::REPORT_ONLY_NAME;

    /// A policy with `value` and no reporting endpoint.
    ///
    /// ```
    /// # use secure_headers::cross_origin::*;
    /// assert_eq!(CrossOriginOpenerPolicy::new(OpenerPolicyValue::UnsafeNone).to_string(), "unsafe-none");
    /// assert_eq!(CrossOriginEmbedderPolicy::new(EmbedderPolicyValue::Credentialless).to_string(), "credentialless");
    /// ```
    pub const fn new(value: V) -> Self {
        CrossOriginPolicy {
            value,
            report_to: None,
        }
    }

    /// Sets the `report-to` endpoint (a `Reporting-Endpoints` name).
    ///
    /// # Errors
    /// [`CrossOriginPolicyError::InvalidReportTo`] when `endpoint` is not an RFC 9651 key.
    ///
    /// ```
    /// # use secure_headers::cross_origin::{CrossOriginEmbedderPolicy, CrossOriginOpenerPolicy};
    /// assert!(CrossOriginOpenerPolicy::same_origin().with_report_to("a\"b").is_err());
    /// assert!(CrossOriginEmbedderPolicy::require_corp().with_report_to("Bad Name").is_err());
    /// ```
    pub fn with_report_to(mut self, endpoint: &str) -> Result<Self, CrossOriginPolicyError> {
        self.report_to = Some(
            EndpointName::new(endpoint)
                .map_err(|_| CrossOriginPolicyError::InvalidReportTo(endpoint.to_owned()))?,
        );
        Ok(self)
    }

    /// The value.
    ///
    /// ```
    /// # use secure_headers::cross_origin::{CrossOriginOpenerPolicy, OpenerPolicyValue};
    /// assert_eq!(CrossOriginOpenerPolicy::same_origin().value(), OpenerPolicyValue::SameOrigin);
    /// ```
    pub fn value(&self) -> V {
        self.value
    }

    /// The reporting endpoint name.
    ///
    /// ```
    /// # use secure_headers::cross_origin::CrossOriginOpenerPolicy;
    /// assert_eq!(CrossOriginOpenerPolicy::same_origin().report_to(), None);
    /// ```
    pub fn report_to(&self) -> Option<&EndpointName> {
        self.report_to.as_ref()
    }

    /// Parses a header value, returning the parts a browser ignores.
    ///
    /// # Errors
    /// [`CrossOriginPolicyError::Syntax`] when the value is not an RFC 9651 item,
    /// [`CrossOriginPolicyError::UnknownValue`] when its bare item is not one of the tokens:
    /// the browser ignores the header.
    ///
    /// ```
    /// # use secure_headers::cross_origin::*;
    /// let (coop, d) = CrossOriginOpenerPolicy::parse_with_diagnostics("same-origin;report-to=coop")?;
    /// assert_eq!(coop.report_to(), None);
    /// assert_eq!(d, [CrossOriginDiagnostic::ReportToNotAString]);
    /// let (coep, d) = CrossOriginEmbedderPolicy::parse_with_diagnostics(r#"require-corp;report-to="e";x=1"#)?;
    /// assert_eq!(coep.report_to().map(|e| e.as_str()), Some("e"));
    /// assert_eq!(d, [CrossOriginDiagnostic::UnknownParameter("x".into())]);
    /// # Ok::<(), secure_headers::cross_origin::CrossOriginPolicyError>(())
    /// ```
    pub fn parse_with_diagnostics(
        value: &str,
    ) -> Result<(Self, Vec<CrossOriginDiagnostic>), CrossOriginPolicyError> {
        let unknown = || CrossOriginPolicyError::UnknownValue {
            header: V::HEADER,
            value: value.to_owned(),
            expected: V::EXPECTED,
        };
        // HTML "obtain a cross-origin opener policy" step 3 / "obtain an embedder policy" step 2:
        // "Let parsedItem be the result of getting a structured field value with ... and "item"".
        let item = sf::parse_item(value)?;
        // "If parsedItem[0] is "same-origin" ...": Chromium and Firefox require a token; a string
        // `"same-origin"` is not accepted.
        let token = item.bare_item.as_token().ok_or_else(unknown)?;
        // "obtain an embedder policy" step 3: "If parsedItem is non-null and parsedItem[0] is
        // compatible with cross-origin isolation: set policy's value to parsedItem[0]". An
        // explicit `unsafe-none` is accepted here as the (default) value it names.
        let policy_value = V::from_token(token.as_str()).ok_or_else(unknown)?;
        let mut diagnostics = Vec::new();
        let mut report_to = None;
        for (key, param) in &item.params {
            if key.as_str() != "report-to" {
                diagnostics.push(CrossOriginDiagnostic::UnknownParameter(key.to_string()));
                continue;
            }
            // "If parsedItem[1]["report-to"] exists and it is a string, then set policy's
            // reporting endpoint to parsedItem[1]["report-to"]."
            match param.as_string() {
                Some(s) => match EndpointName::new(s.as_str()) {
                    Ok(name) => report_to = Some(name),
                    Err(_) => diagnostics.push(CrossOriginDiagnostic::ReportToNotAnEndpointName(
                        s.as_str().to_owned(),
                    )),
                },
                None => diagnostics.push(CrossOriginDiagnostic::ReportToNotAString),
            }
        }
        let policy = CrossOriginPolicy {
            value: policy_value,
            report_to,
        };
        Ok((policy, diagnostics))
    }

    /// The header value.
    ///
    /// ```
    /// # use secure_headers::cross_origin::{CrossOriginEmbedderPolicy, CrossOriginOpenerPolicy};
    /// assert_eq!(CrossOriginOpenerPolicy::same_origin().to_header_value(), "same-origin");
    /// assert_eq!(CrossOriginEmbedderPolicy::require_corp().to_header_value(), "require-corp");
    /// ```
    pub fn to_header_value(&self) -> HeaderValue {
        match self.report_to {
            None => HeaderValue::from_static(self.value.token()),
            Some(_) => crate::util::header_value(&self.to_string()),
        }
    }
}

impl<V: PolicyValue> fmt::Display for CrossOriginPolicy<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.value.token())?;
        if let Some(name) = &self.report_to {
            // RFC 9651 §4.1.1.2 "Serializing Parameters": ";" key "=" value, no spaces.
            f.write_str(";report-to=")?;
            sf::write_string(f, name.as_str())?;
        }
        Ok(())
    }
}

impl<V: PolicyValue> FromStr for CrossOriginPolicy<V> {
    type Err = CrossOriginPolicyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_with_diagnostics(s).map(|(p, _)| p)
    }
}

impl<V: PolicyValue> TryFrom<&HeaderValue> for CrossOriginPolicy<V> {
    type Error = CrossOriginPolicyError;
    fn try_from(value: &HeaderValue) -> Result<Self, Self::Error> {
        crate::util::header_value_str(value).parse()
    }
}

impl<V: PolicyValue> From<&CrossOriginPolicy<V>> for HeaderValue {
    fn from(value: &CrossOriginPolicy<V>) -> Self {
        value.to_header_value()
    }
}

impl<V: PolicyValue> From<CrossOriginPolicy<V>> for HeaderValue {
    fn from(value: CrossOriginPolicy<V>) -> Self {
        value.to_header_value()
    }
}

/// A COOP value (HTML "cross-origin opener policy value").
///
/// ```
/// use secure_headers::cross_origin::{CrossOriginOpenerPolicy, OpenerPolicyValue};
///
/// let coop: CrossOriginOpenerPolicy = "noopener-allow-popups".parse()?;
/// assert_eq!(coop.value(), OpenerPolicyValue::NoopenerAllowPopups);
/// assert_eq!(
///     CrossOriginOpenerPolicy::new(OpenerPolicyValue::SameOriginAllowPopups).to_string(),
///     "same-origin-allow-popups"
/// );
/// # Ok::<(), secure_headers::cross_origin::CrossOriginPolicyError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OpenerPolicyValue {
    /// `unsafe-none`: share the browsing context group with any opener/openee (the default).
    UnsafeNone,
    /// `same-origin-allow-popups`: keep references to popups that do not set COOP.
    SameOriginAllowPopups,
    /// `same-origin`: only same-origin documents with the same COOP share the group.
    SameOrigin,
    /// `noopener-allow-popups`: always a new group, even from same-origin openers.
    NoopenerAllowPopups,
}

impl OpenerPolicyValue {
    /// The token.
    ///
    /// ```
    /// # use secure_headers::cross_origin::OpenerPolicyValue;
    /// assert_eq!(OpenerPolicyValue::SameOrigin.as_str(), "same-origin");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            OpenerPolicyValue::UnsafeNone => "unsafe-none",
            OpenerPolicyValue::SameOriginAllowPopups => "same-origin-allow-popups",
            OpenerPolicyValue::SameOrigin => "same-origin",
            OpenerPolicyValue::NoopenerAllowPopups => "noopener-allow-popups",
        }
    }
}

impl sealed::Sealed for OpenerPolicyValue {}

impl PolicyValue for OpenerPolicyValue {
    const NAME: HeaderName = HeaderName::from_static("cross-origin-opener-policy");
    const REPORT_ONLY_NAME: HeaderName =
        HeaderName::from_static("cross-origin-opener-policy-report-only");
    const HEADER: &'static str = "Cross-Origin-Opener-Policy";
    const EXPECTED: &'static str =
        "unsafe-none, same-origin-allow-popups, same-origin, noopener-allow-popups";
    const ALL: &'static [Self] = &[
        OpenerPolicyValue::UnsafeNone,
        OpenerPolicyValue::SameOriginAllowPopups,
        OpenerPolicyValue::SameOrigin,
        OpenerPolicyValue::NoopenerAllowPopups,
    ];

    fn token(self) -> &'static str {
        self.as_str()
    }
}

/// `Cross-Origin-Opener-Policy` / `Cross-Origin-Opener-Policy-Report-Only`.
///
/// The browser turns `same-origin` into "same-origin-plus-COEP" when the response's COEP is
/// compatible with cross-origin isolation; that combination is decided per response, not here.
///
/// ```
/// use secure_headers::cross_origin::{CrossOriginOpenerPolicy, OpenerPolicyValue};
///
/// let coop: CrossOriginOpenerPolicy = r#"same-origin-allow-popups; report-to="coop""#.parse()?;
/// assert_eq!(coop.value(), OpenerPolicyValue::SameOriginAllowPopups);
/// assert_eq!(coop.report_to().map(|e| e.as_str()), Some("coop"));
/// assert_eq!(http::HeaderValue::from(&coop), r#"same-origin-allow-popups;report-to="coop""#);
/// # Ok::<(), secure_headers::cross_origin::CrossOriginPolicyError>(())
/// ```
pub type CrossOriginOpenerPolicy = CrossOriginPolicy<OpenerPolicyValue>;

impl CrossOriginOpenerPolicy {
    /// `same-origin`, the value that enables cross-origin isolation (with COEP).
    ///
    /// ```
    /// # use secure_headers::cross_origin::CrossOriginOpenerPolicy;
    /// assert_eq!(CrossOriginOpenerPolicy::same_origin().to_string(), "same-origin");
    /// ```
    pub const fn same_origin() -> Self {
        Self::new(OpenerPolicyValue::SameOrigin)
    }
}

crate::util::serde_via_str!(
    CrossOriginOpenerPolicy,
    "a Cross-Origin-Opener-Policy value"
);

/// A COEP value (HTML "embedder policy value").
///
/// ```
/// use secure_headers::cross_origin::{CrossOriginEmbedderPolicy, EmbedderPolicyValue};
///
/// let coep: CrossOriginEmbedderPolicy = "credentialless".parse()?;
/// assert_eq!(coep.value(), EmbedderPolicyValue::Credentialless);
/// assert!(coep.value().is_compatible_with_cross_origin_isolation());
/// assert!(!EmbedderPolicyValue::UnsafeNone.is_compatible_with_cross_origin_isolation());
/// # Ok::<(), secure_headers::cross_origin::CrossOriginPolicyError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EmbedderPolicyValue {
    /// `unsafe-none`: no requirement (the default).
    UnsafeNone,
    /// `require-corp`: cross-origin subresources need CORS or `Cross-Origin-Resource-Policy`.
    RequireCorp,
    /// `credentialless`: cross-origin no-CORS subresources are fetched without credentials.
    Credentialless,
}

impl EmbedderPolicyValue {
    /// The token.
    ///
    /// ```
    /// # use secure_headers::cross_origin::EmbedderPolicyValue;
    /// assert_eq!(EmbedderPolicyValue::RequireCorp.as_str(), "require-corp");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            EmbedderPolicyValue::UnsafeNone => "unsafe-none",
            EmbedderPolicyValue::RequireCorp => "require-corp",
            EmbedderPolicyValue::Credentialless => "credentialless",
        }
    }

    /// HTML: "An embedder policy value is compatible with cross-origin isolation if it is
    /// "credentialless" or "require-corp"."
    ///
    /// ```
    /// # use secure_headers::cross_origin::EmbedderPolicyValue;
    /// assert!(!EmbedderPolicyValue::UnsafeNone.is_compatible_with_cross_origin_isolation());
    /// ```
    pub const fn is_compatible_with_cross_origin_isolation(self) -> bool {
        matches!(
            self,
            EmbedderPolicyValue::RequireCorp | EmbedderPolicyValue::Credentialless
        )
    }
}

impl sealed::Sealed for EmbedderPolicyValue {}

impl PolicyValue for EmbedderPolicyValue {
    const NAME: HeaderName = HeaderName::from_static("cross-origin-embedder-policy");
    const REPORT_ONLY_NAME: HeaderName =
        HeaderName::from_static("cross-origin-embedder-policy-report-only");
    const HEADER: &'static str = "Cross-Origin-Embedder-Policy";
    const EXPECTED: &'static str = "unsafe-none, require-corp, credentialless";
    const ALL: &'static [Self] = &[
        EmbedderPolicyValue::UnsafeNone,
        EmbedderPolicyValue::RequireCorp,
        EmbedderPolicyValue::Credentialless,
    ];

    fn token(self) -> &'static str {
        self.as_str()
    }
}

/// `Cross-Origin-Embedder-Policy` / `Cross-Origin-Embedder-Policy-Report-Only`.
///
/// ```
/// use secure_headers::cross_origin::{CrossOriginEmbedderPolicy, EmbedderPolicyValue};
///
/// let coep = CrossOriginEmbedderPolicy::require_corp().with_report_to("coep")?;
/// assert_eq!(coep.to_string(), r#"require-corp;report-to="coep""#);
/// assert_eq!(coep.to_string().parse::<CrossOriginEmbedderPolicy>()?, coep);
/// # Ok::<(), secure_headers::cross_origin::CrossOriginPolicyError>(())
/// ```
pub type CrossOriginEmbedderPolicy = CrossOriginPolicy<EmbedderPolicyValue>;

impl CrossOriginEmbedderPolicy {
    /// `require-corp`.
    ///
    /// ```
    /// # use secure_headers::cross_origin::CrossOriginEmbedderPolicy;
    /// assert_eq!(CrossOriginEmbedderPolicy::require_corp().to_header_value(), "require-corp");
    /// ```
    pub const fn require_corp() -> Self {
        Self::new(EmbedderPolicyValue::RequireCorp)
    }
}

crate::util::serde_via_str!(
    CrossOriginEmbedderPolicy,
    "a Cross-Origin-Embedder-Policy value"
);

/// `Cross-Origin-Resource-Policy` (Fetch §3.7).
///
/// ```
/// use secure_headers::cross_origin::CrossOriginResourcePolicy;
///
/// assert_eq!("same-origin".parse(), Ok(CrossOriginResourcePolicy::SameOrigin));
/// assert!("Same-Origin".parse::<CrossOriginResourcePolicy>().is_err()); // byte-exact
/// assert!("same-origin, same-site".parse::<CrossOriginResourcePolicy>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CrossOriginResourcePolicy {
    /// `same-site`.
    SameSite,
    /// `same-origin`.
    SameOrigin,
    /// `cross-origin`.
    CrossOrigin,
}

impl CrossOriginResourcePolicy {
    /// `Cross-Origin-Resource-Policy`.
    ///
    /// ```
    /// use secure_headers::{CrossOriginResourcePolicy, SecureHeaders};
    /// let bundle = SecureHeaders::builder()
    ///     .cross_origin_resource_policy(CrossOriginResourcePolicy::SameSite)
    ///     .build()?;
    /// let mut headers = http::HeaderMap::new();
    /// bundle.apply(&mut headers);
    /// assert_eq!(headers[CrossOriginResourcePolicy::NAME], "same-site");
    /// assert_eq!(CrossOriginResourcePolicy::NAME.as_str(), "cross-origin-resource-policy");
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    pub const NAME: HeaderName = HeaderName::from_static("cross-origin-resource-policy");

    /// The token.
    ///
    /// ```
    /// # use secure_headers::cross_origin::CrossOriginResourcePolicy;
    /// assert_eq!(CrossOriginResourcePolicy::CrossOrigin.as_str(), "cross-origin");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            CrossOriginResourcePolicy::SameSite => "same-site",
            CrossOriginResourcePolicy::SameOrigin => "same-origin",
            CrossOriginResourcePolicy::CrossOrigin => "cross-origin",
        }
    }

    /// The header value (static).
    ///
    /// ```
    /// # use secure_headers::cross_origin::CrossOriginResourcePolicy;
    /// assert_eq!(CrossOriginResourcePolicy::SameOrigin.to_header_value(), "same-origin");
    /// ```
    pub const fn to_header_value(self) -> HeaderValue {
        HeaderValue::from_static(self.as_str())
    }
}

impl fmt::Display for CrossOriginResourcePolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CrossOriginResourcePolicy {
    type Err = CrossOriginPolicyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // Fetch "cross-origin resource policy internal check" steps 3-4: "Let policy be the
        // result of getting `Cross-Origin-Resource-Policy` from response's header list. ... If
        // policy is neither `same-origin`, `same-site`, nor `cross-origin`, then set policy to
        // null." (Byte comparison; several header lines combine to `a, b`, which matches none.)
        match trim_ows(s) {
            "same-site" => Ok(CrossOriginResourcePolicy::SameSite),
            "same-origin" => Ok(CrossOriginResourcePolicy::SameOrigin),
            "cross-origin" => Ok(CrossOriginResourcePolicy::CrossOrigin),
            _ => Err(CrossOriginPolicyError::UnknownValue {
                header: "Cross-Origin-Resource-Policy",
                value: s.to_owned(),
                expected: "same-site, same-origin, cross-origin",
            }),
        }
    }
}

impl TryFrom<&HeaderValue> for CrossOriginResourcePolicy {
    type Error = CrossOriginPolicyError;
    fn try_from(value: &HeaderValue) -> Result<Self, Self::Error> {
        crate::util::header_value_str(value).parse()
    }
}

impl From<CrossOriginResourcePolicy> for HeaderValue {
    fn from(value: CrossOriginResourcePolicy) -> Self {
        value.to_header_value()
    }
}

impl From<&CrossOriginResourcePolicy> for HeaderValue {
    fn from(value: &CrossOriginResourcePolicy) -> Self {
        value.to_header_value()
    }
}

crate::util::serde_via_str!(
    CrossOriginResourcePolicy,
    "a Cross-Origin-Resource-Policy value"
);

// ---------------------------------------------------------------------------------------------
// Typed builder methods
// ---------------------------------------------------------------------------------------------

impl SecureHeadersBuilder {
    /// Sets `Cross-Origin-Opener-Policy` from a validated [`CrossOriginOpenerPolicy`],
    /// replacing the preset's value.
    ///
    /// ```
    /// use secure_headers::cross_origin::{CrossOriginOpenerPolicy, OpenerPolicyValue};
    /// let bundle = secure_headers::SecureHeaders::recommended()
    ///     .cross_origin_opener_policy(&CrossOriginOpenerPolicy::new(OpenerPolicyValue::SameOriginAllowPopups))
    ///     .build()?;
    /// assert_eq!(
    ///     bundle.value(&CrossOriginOpenerPolicy::NAME).unwrap(),
    ///     "same-origin-allow-popups"
    /// );
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn cross_origin_opener_policy(self, policy: &CrossOriginOpenerPolicy) -> Self {
        self.header(CrossOriginOpenerPolicy::NAME, policy.to_header_value())
    }

    /// Sets `Cross-Origin-Opener-Policy-Report-Only`: the browser reports what `policy` would
    /// break without enforcing it. Name the endpoint in `Reporting-Endpoints` too.
    ///
    /// ```
    /// use secure_headers::cross_origin::CrossOriginOpenerPolicy;
    /// let coop = CrossOriginOpenerPolicy::same_origin().with_report_to("coop").unwrap();
    /// let bundle = secure_headers::SecureHeaders::builder()
    ///     .cross_origin_opener_policy_report_only(&coop)
    ///     .build()?;
    /// assert_eq!(
    ///     bundle.value(&CrossOriginOpenerPolicy::REPORT_ONLY_NAME).unwrap(),
    ///     r#"same-origin;report-to="coop""#
    /// );
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn cross_origin_opener_policy_report_only(self, policy: &CrossOriginOpenerPolicy) -> Self {
        self.header(
            CrossOriginOpenerPolicy::REPORT_ONLY_NAME,
            policy.to_header_value(),
        )
    }

    /// Sets `Cross-Origin-Embedder-Policy` from a validated [`CrossOriginEmbedderPolicy`],
    /// replacing the preset's value.
    ///
    /// ```
    /// use secure_headers::cross_origin::{CrossOriginEmbedderPolicy, EmbedderPolicyValue};
    /// let bundle = secure_headers::SecureHeaders::strict()
    ///     .cross_origin_embedder_policy(&CrossOriginEmbedderPolicy::new(EmbedderPolicyValue::Credentialless))
    ///     .build()?;
    /// assert_eq!(bundle.value(&CrossOriginEmbedderPolicy::NAME).unwrap(), "credentialless");
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn cross_origin_embedder_policy(self, policy: &CrossOriginEmbedderPolicy) -> Self {
        self.header(CrossOriginEmbedderPolicy::NAME, policy.to_header_value())
    }

    /// Sets `Cross-Origin-Embedder-Policy-Report-Only`: the browser reports the subresources
    /// `policy` would block without blocking them.
    ///
    /// ```
    /// use secure_headers::cross_origin::CrossOriginEmbedderPolicy;
    /// let bundle = secure_headers::SecureHeaders::builder()
    ///     .cross_origin_embedder_policy_report_only(&CrossOriginEmbedderPolicy::require_corp())
    ///     .build()?;
    /// assert_eq!(
    ///     bundle.value(&CrossOriginEmbedderPolicy::REPORT_ONLY_NAME).unwrap(),
    ///     "require-corp"
    /// );
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn cross_origin_embedder_policy_report_only(
        self,
        policy: &CrossOriginEmbedderPolicy,
    ) -> Self {
        self.header(
            CrossOriginEmbedderPolicy::REPORT_ONLY_NAME,
            policy.to_header_value(),
        )
    }

    /// Sets `Cross-Origin-Resource-Policy`, replacing the preset's value.
    ///
    /// ```
    /// use secure_headers::CrossOriginResourcePolicy;
    /// let bundle = secure_headers::SecureHeaders::api()
    ///     .cross_origin_resource_policy(CrossOriginResourcePolicy::CrossOrigin)
    ///     .build()?;
    /// assert_eq!(bundle.value(&CrossOriginResourcePolicy::NAME).unwrap(), "cross-origin");
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn cross_origin_resource_policy(self, policy: CrossOriginResourcePolicy) -> Self {
        self.header(CrossOriginResourcePolicy::NAME, policy.to_header_value())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn coop_string_value_is_not_a_token() {
        assert!(matches!(
            "\"same-origin\"".parse::<CrossOriginOpenerPolicy>(),
            Err(CrossOriginPolicyError::UnknownValue { .. })
        ));
    }

    #[test]
    fn coop_tokens_are_case_sensitive() {
        assert!("Same-Origin".parse::<CrossOriginOpenerPolicy>().is_err());
    }

    #[test]
    fn coop_invalid_item_is_a_syntax_error() {
        for v in [
            "same-origin same-origin",
            "same-origin, same-origin",
            "",
            "same-origin;",
        ] {
            assert!(
                matches!(
                    v.parse::<CrossOriginOpenerPolicy>(),
                    Err(CrossOriginPolicyError::Syntax(_))
                ),
                "{v:?}"
            );
        }
    }

    #[test]
    fn coop_all_values_parse() {
        for v in [
            "unsafe-none",
            "same-origin-allow-popups",
            "same-origin",
            "noopener-allow-popups",
        ] {
            assert_eq!(v.parse::<CrossOriginOpenerPolicy>().unwrap().to_string(), v);
        }
    }

    #[test]
    fn report_to_must_be_a_string() {
        // WPT html/cross-origin-embedder-policy/reporting-report-to-must-be-string.
        for v in [
            "require-corp;report-to=endpoint",
            "require-corp;report-to=:ZW5k:",
            "require-corp;report-to=1",
        ] {
            let (p, d) = CrossOriginEmbedderPolicy::parse_with_diagnostics(v).unwrap();
            assert_eq!(p.report_to(), None, "{v}");
            assert_eq!(d, [CrossOriginDiagnostic::ReportToNotAString], "{v}");
        }
    }

    #[test]
    fn coep_unknown_value_is_ignored() {
        assert!(matches!(
            "require-corp-ish".parse::<CrossOriginEmbedderPolicy>(),
            Err(CrossOriginPolicyError::UnknownValue { .. })
        ));
    }

    #[test]
    fn corp_is_byte_exact_and_single_valued() {
        assert_eq!(
            " same-site ".parse(),
            Ok(CrossOriginResourcePolicy::SameSite)
        );
        for v in ["SAME-SITE", "same-site, same-origin", "\"same-site\"", ""] {
            assert!(v.parse::<CrossOriginResourcePolicy>().is_err(), "{v:?}");
        }
    }

    #[test]
    fn expected_lists_every_token_in_order() {
        fn listed<V: PolicyValue>() -> String {
            V::ALL
                .iter()
                .map(|v| v.token())
                .collect::<Vec<_>>()
                .join(", ")
        }
        assert_eq!(listed::<OpenerPolicyValue>(), OpenerPolicyValue::EXPECTED);
        assert_eq!(
            listed::<EmbedderPolicyValue>(),
            EmbedderPolicyValue::EXPECTED
        );
        for v in OpenerPolicyValue::ALL {
            assert_eq!(OpenerPolicyValue::from_token(v.as_str()), Some(*v));
        }
        for v in EmbedderPolicyValue::ALL {
            assert_eq!(EmbedderPolicyValue::from_token(v.as_str()), Some(*v));
        }
    }

    #[test]
    fn unknown_value_error_names_its_header_and_tokens() {
        let coop = "isolate".parse::<CrossOriginOpenerPolicy>().unwrap_err();
        assert_eq!(
            coop,
            CrossOriginPolicyError::UnknownValue {
                header: "Cross-Origin-Opener-Policy",
                value: "isolate".into(),
                expected: "unsafe-none, same-origin-allow-popups, same-origin, noopener-allow-popups",
            }
        );
        let coep = "\"require-corp\""
            .parse::<CrossOriginEmbedderPolicy>()
            .unwrap_err();
        assert_eq!(
            coep,
            CrossOriginPolicyError::UnknownValue {
                header: "Cross-Origin-Embedder-Policy",
                value: "\"require-corp\"".into(),
                expected: "unsafe-none, require-corp, credentialless",
            }
        );
    }

    #[test]
    fn tokens_of_one_header_are_unknown_to_the_other() {
        assert!("require-corp".parse::<CrossOriginOpenerPolicy>().is_err());
        assert!("same-origin".parse::<CrossOriginEmbedderPolicy>().is_err());
        assert_eq!(
            "unsafe-none"
                .parse::<CrossOriginEmbedderPolicy>()
                .unwrap()
                .value(),
            EmbedderPolicyValue::UnsafeNone
        );
    }

    #[test]
    fn report_to_that_is_not_an_endpoint_name_is_a_diagnostic() {
        // HTML: the string is kept as the endpoint, but it cannot match any
        // Reporting-Endpoints member (RFC 9651 keys are lowercase); reported, not used.
        let (coop, d) =
            CrossOriginOpenerPolicy::parse_with_diagnostics(r#"same-origin;report-to="Main""#)
                .unwrap();
        assert_eq!(coop.report_to(), None);
        assert_eq!(
            d,
            [CrossOriginDiagnostic::ReportToNotAnEndpointName(
                "Main".into()
            )]
        );
        let (coep, d) = CrossOriginEmbedderPolicy::parse_with_diagnostics(
            r#"credentialless;a=1;report-to="r""#,
        )
        .unwrap();
        assert_eq!(coep.report_to().map(EndpointName::as_str), Some("r"));
        assert_eq!(d, [CrossOriginDiagnostic::UnknownParameter("a".into())]);
    }

    #[test]
    fn last_report_to_parameter_wins() {
        // RFC 9651 §4.2.3.2: a repeated parameter key overwrites the earlier value.
        let coop: CrossOriginOpenerPolicy =
            r#"same-origin;report-to="a";report-to="b""#.parse().unwrap();
        assert_eq!(coop.report_to().map(EndpointName::as_str), Some("b"));
    }

    #[test]
    fn typed_builder_methods_replace_preset_values() {
        let coop = CrossOriginOpenerPolicy::new(OpenerPolicyValue::NoopenerAllowPopups);
        let coep = CrossOriginEmbedderPolicy::new(EmbedderPolicyValue::Credentialless)
            .with_report_to("coep")
            .unwrap();
        let bundle = crate::SecureHeaders::strict()
            .cross_origin_opener_policy(&coop)
            .cross_origin_embedder_policy(&coep)
            .cross_origin_resource_policy(CrossOriginResourcePolicy::SameSite)
            .cross_origin_opener_policy_report_only(&CrossOriginOpenerPolicy::same_origin())
            .cross_origin_embedder_policy_report_only(&CrossOriginEmbedderPolicy::require_corp())
            .build()
            .unwrap();
        let mut headers = http::HeaderMap::new();
        bundle.apply(&mut headers);
        assert_eq!(
            headers["cross-origin-opener-policy"],
            "noopener-allow-popups"
        );
        assert_eq!(
            headers["cross-origin-embedder-policy"],
            r#"credentialless;report-to="coep""#
        );
        assert_eq!(headers["cross-origin-resource-policy"], "same-site");
        assert_eq!(
            headers["cross-origin-opener-policy-report-only"],
            "same-origin"
        );
        assert_eq!(
            headers["cross-origin-embedder-policy-report-only"],
            "require-corp"
        );
        for name in [
            "cross-origin-opener-policy",
            "cross-origin-embedder-policy",
            "cross-origin-resource-policy",
        ] {
            assert_eq!(headers.get_all(name).iter().count(), 1, "{name}");
        }
    }

    #[test]
    fn surrounding_tabs_and_spaces_do_not_invalidate_the_item() {
        // RFC 9110 §5.5: leading and trailing whitespace is not part of a field value.
        for v in [
            "\tsame-origin",
            "same-origin\t",
            " \tsame-origin;report-to=\"r\"\t ",
        ] {
            let coop: CrossOriginOpenerPolicy = v.parse().unwrap();
            assert_eq!(coop.value(), OpenerPolicyValue::SameOrigin, "{v:?}");
        }
        let coep: CrossOriginEmbedderPolicy = "\trequire-corp\t".parse().unwrap();
        assert_eq!(coep.value(), EmbedderPolicyValue::RequireCorp);
        assert_eq!(
            "\tsame-site\t".parse(),
            Ok(CrossOriginResourcePolicy::SameSite)
        );
    }

    #[test]
    fn parameters_allow_sp_after_the_semicolon_only() {
        // RFC 9651 §4.2.3.2: after `;`, "Discard any leading SP characters"; nothing may
        // precede the `;`, and `=` takes no whitespace.
        let coop: CrossOriginOpenerPolicy = r#"same-origin; report-to="r""#.parse().unwrap();
        assert_eq!(coop.report_to().map(EndpointName::as_str), Some("r"));
        for v in [
            r#"same-origin ;report-to="r""#,
            r#"same-origin;report-to ="r""#,
            r#"same-origin;report-to= "r""#,
            "same-origin;\treport-to=\"r\"",
        ] {
            assert!(
                matches!(
                    v.parse::<CrossOriginOpenerPolicy>(),
                    Err(CrossOriginPolicyError::Syntax(_))
                ),
                "{v:?}"
            );
        }
    }

    #[test]
    fn report_to_endpoint_name_boundaries() {
        // An endpoint name is an RFC 9651 key: `( lcalpha / "*" ) *( lcalpha / DIGIT / "_" /
        // "-" / "." / "*" )`.
        for ok in ["a", "*", "a0_-.*", "z"] {
            let (p, d) = CrossOriginEmbedderPolicy::parse_with_diagnostics(&format!(
                "require-corp;report-to=\"{ok}\""
            ))
            .unwrap();
            assert_eq!(p.report_to().map(EndpointName::as_str), Some(ok));
            assert!(d.is_empty(), "{ok}: {d:?}");
        }
        for bad in ["", "0a", "_a", "-a", "A", "a b", "a,b"] {
            let (p, d) = CrossOriginEmbedderPolicy::parse_with_diagnostics(&format!(
                "require-corp;report-to=\"{bad}\""
            ))
            .unwrap();
            assert_eq!(p.report_to(), None, "{bad:?}");
            assert_eq!(
                d,
                [CrossOriginDiagnostic::ReportToNotAnEndpointName(bad.into())],
                "{bad:?}"
            );
            assert!(
                CrossOriginOpenerPolicy::same_origin()
                    .with_report_to(bad)
                    .is_err()
            );
        }
    }

    proptest! {
        #[test]
        fn coop_round_trip(i in 0usize..4, rt in proptest::option::of("[a-z*][a-z0-9_.*-]{0,10}")) {
            let values = [OpenerPolicyValue::UnsafeNone, OpenerPolicyValue::SameOriginAllowPopups, OpenerPolicyValue::SameOrigin, OpenerPolicyValue::NoopenerAllowPopups];
            let mut p = CrossOriginOpenerPolicy::new(values[i]);
            if let Some(rt) = rt { p = p.with_report_to(&rt).unwrap(); }
            prop_assert_eq!(p.to_string().parse::<CrossOriginOpenerPolicy>().unwrap(), p.clone());
            prop_assert_eq!(CrossOriginOpenerPolicy::try_from(&HeaderValue::from(&p)).unwrap(), p);
        }

        #[test]
        fn coep_round_trip(i in 0usize..3, rt in proptest::option::of("[a-z*][a-z0-9_.*-]{0,10}")) {
            let values = [EmbedderPolicyValue::UnsafeNone, EmbedderPolicyValue::RequireCorp, EmbedderPolicyValue::Credentialless];
            let mut p = CrossOriginEmbedderPolicy::new(values[i]);
            if let Some(rt) = rt { p = p.with_report_to(&rt).unwrap(); }
            prop_assert_eq!(p.to_string().parse::<CrossOriginEmbedderPolicy>().unwrap(), p);
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,48}") {
            let _ = s.parse::<CrossOriginOpenerPolicy>();
            let _ = s.parse::<CrossOriginEmbedderPolicy>();
            let _ = s.parse::<CrossOriginResourcePolicy>();
        }
    }
}
