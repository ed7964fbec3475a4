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

use crate::reporting_endpoints::EndpointName;
use crate::sf::{self, StructuredFieldError};
use crate::util::trim_ows;

/// Why a COOP, COEP or CORP value is ignored by a browser, or a builder input is invalid.
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
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CrossOriginDiagnostic {
    /// HTML: "If parsedItem[1]["report-to"] exists and it is a string": a token, byte sequence
    /// or other type is ignored.
    ReportToNotAString,
    /// The `report-to` string is not a valid endpoint name, so it cannot match any
    /// `Reporting-Endpoints` member.
    ReportToNotAnEndpointName(String),
    /// The item has parameters other than `report-to`; they are ignored.
    UnknownParameter(String),
}

/// Parses an RFC 9651 item whose bare item must be one of `tokens`, and its `report-to`.
fn parse_policy_item<T: Copy>(
    header: &'static str,
    expected: &'static str,
    value: &str,
    lookup: impl Fn(&str) -> Option<T>,
) -> Result<(T, Option<EndpointName>, Vec<CrossOriginDiagnostic>), CrossOriginPolicyError> {
    // HTML "obtain a cross-origin opener policy" step 3 / "obtain an embedder policy" step 2:
    // "Let parsedItem be the result of getting a structured field value with ... and "item"".
    let item = sf::parse_item(value)?;
    // "If parsedItem[0] is "same-origin" ...": Chromium and Firefox require a token; a string
    // `"same-origin"` is not accepted.
    let Some(token) = item.bare_item.as_token() else {
        return Err(CrossOriginPolicyError::UnknownValue {
            header,
            value: value.to_owned(),
            expected,
        });
    };
    let Some(policy) = lookup(token.as_str()) else {
        return Err(CrossOriginPolicyError::UnknownValue {
            header,
            value: value.to_owned(),
            expected,
        });
    };
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
    Ok((policy, report_to, diagnostics))
}

fn write_policy(
    f: &mut fmt::Formatter<'_>,
    token: &str,
    report_to: Option<&EndpointName>,
) -> fmt::Result {
    f.write_str(token)?;
    if let Some(name) = report_to {
        // RFC 9651 §4.1.1.2 "Serializing Parameters": ";" key "=" value, no spaces.
        f.write_str(";report-to=")?;
        sf::write_string(f, name.as_str())?;
    }
    Ok(())
}

/// A COOP value (HTML "cross-origin opener policy value").
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

    fn from_token(token: &str) -> Option<Self> {
        match token {
            "unsafe-none" => Some(OpenerPolicyValue::UnsafeNone),
            "same-origin-allow-popups" => Some(OpenerPolicyValue::SameOriginAllowPopups),
            "same-origin" => Some(OpenerPolicyValue::SameOrigin),
            "noopener-allow-popups" => Some(OpenerPolicyValue::NoopenerAllowPopups),
            _ => None,
        }
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
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CrossOriginOpenerPolicy {
    value: OpenerPolicyValue,
    report_to: Option<EndpointName>,
}

impl CrossOriginOpenerPolicy {
    /// `Cross-Origin-Opener-Policy`.
    pub const NAME: HeaderName = HeaderName::from_static("cross-origin-opener-policy");
    /// `Cross-Origin-Opener-Policy-Report-Only`.
    pub const REPORT_ONLY_NAME: HeaderName =
        HeaderName::from_static("cross-origin-opener-policy-report-only");

    /// A policy with `value` and no reporting endpoint.
    ///
    /// ```
    /// # use secure_headers::cross_origin::{CrossOriginOpenerPolicy, OpenerPolicyValue};
    /// assert_eq!(CrossOriginOpenerPolicy::new(OpenerPolicyValue::UnsafeNone).to_string(), "unsafe-none");
    /// ```
    pub const fn new(value: OpenerPolicyValue) -> Self {
        CrossOriginOpenerPolicy {
            value,
            report_to: None,
        }
    }

    /// `same-origin`, the value that enables cross-origin isolation (with COEP).
    ///
    /// ```
    /// # use secure_headers::cross_origin::CrossOriginOpenerPolicy;
    /// assert_eq!(CrossOriginOpenerPolicy::same_origin().to_string(), "same-origin");
    /// ```
    pub const fn same_origin() -> Self {
        Self::new(OpenerPolicyValue::SameOrigin)
    }

    /// Sets the `report-to` endpoint (a `Reporting-Endpoints` name).
    ///
    /// ```
    /// # use secure_headers::cross_origin::CrossOriginOpenerPolicy;
    /// assert!(CrossOriginOpenerPolicy::same_origin().with_report_to("a\"b").is_err());
    /// ```
    pub fn with_report_to(mut self, endpoint: &str) -> Result<Self, CrossOriginPolicyError> {
        self.report_to = Some(
            EndpointName::new(endpoint)
                .map_err(|_| CrossOriginPolicyError::InvalidReportTo(endpoint.to_owned()))?,
        );
        Ok(self)
    }

    /// The value.
    pub fn value(&self) -> OpenerPolicyValue {
        self.value
    }

    /// The reporting endpoint name.
    pub fn report_to(&self) -> Option<&EndpointName> {
        self.report_to.as_ref()
    }

    /// Parses a header value, returning the parts a browser ignores.
    ///
    /// ```
    /// # use secure_headers::cross_origin::{CrossOriginDiagnostic, CrossOriginOpenerPolicy};
    /// let (coop, d) = CrossOriginOpenerPolicy::parse_with_diagnostics("same-origin;report-to=coop")?;
    /// assert_eq!(coop.report_to(), None);
    /// assert_eq!(d, [CrossOriginDiagnostic::ReportToNotAString]);
    /// # Ok::<(), secure_headers::cross_origin::CrossOriginPolicyError>(())
    /// ```
    pub fn parse_with_diagnostics(
        value: &str,
    ) -> Result<(Self, Vec<CrossOriginDiagnostic>), CrossOriginPolicyError> {
        let (value, report_to, diagnostics) = parse_policy_item(
            "Cross-Origin-Opener-Policy",
            "unsafe-none, same-origin-allow-popups, same-origin, noopener-allow-popups",
            value,
            OpenerPolicyValue::from_token,
        )?;
        Ok((CrossOriginOpenerPolicy { value, report_to }, diagnostics))
    }

    /// The header value.
    ///
    /// ```
    /// # use secure_headers::cross_origin::CrossOriginOpenerPolicy;
    /// assert_eq!(CrossOriginOpenerPolicy::same_origin().to_header_value(), "same-origin");
    /// ```
    pub fn to_header_value(&self) -> HeaderValue {
        match self.report_to {
            None => HeaderValue::from_static(self.value.as_str()),
            Some(_) => crate::util::header_value(&self.to_string()),
        }
    }
}

impl fmt::Display for CrossOriginOpenerPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_policy(f, self.value.as_str(), self.report_to.as_ref())
    }
}

impl FromStr for CrossOriginOpenerPolicy {
    type Err = CrossOriginPolicyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_with_diagnostics(s).map(|(p, _)| p)
    }
}

crate::util::header_value_conversions!(CrossOriginOpenerPolicy, CrossOriginPolicyError);
crate::util::serde_via_str!(
    CrossOriginOpenerPolicy,
    "a Cross-Origin-Opener-Policy value"
);

/// A COEP value (HTML "embedder policy value").
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

    fn from_token(token: &str) -> Option<Self> {
        match token {
            "unsafe-none" => Some(EmbedderPolicyValue::UnsafeNone),
            "require-corp" => Some(EmbedderPolicyValue::RequireCorp),
            "credentialless" => Some(EmbedderPolicyValue::Credentialless),
            _ => None,
        }
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
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CrossOriginEmbedderPolicy {
    value: EmbedderPolicyValue,
    report_to: Option<EndpointName>,
}

impl CrossOriginEmbedderPolicy {
    /// `Cross-Origin-Embedder-Policy`.
    pub const NAME: HeaderName = HeaderName::from_static("cross-origin-embedder-policy");
    /// `Cross-Origin-Embedder-Policy-Report-Only`.
    pub const REPORT_ONLY_NAME: HeaderName =
        HeaderName::from_static("cross-origin-embedder-policy-report-only");

    /// A policy with `value` and no reporting endpoint.
    ///
    /// ```
    /// # use secure_headers::cross_origin::{CrossOriginEmbedderPolicy, EmbedderPolicyValue};
    /// assert_eq!(CrossOriginEmbedderPolicy::new(EmbedderPolicyValue::Credentialless).to_string(), "credentialless");
    /// ```
    pub const fn new(value: EmbedderPolicyValue) -> Self {
        CrossOriginEmbedderPolicy {
            value,
            report_to: None,
        }
    }

    /// `require-corp`.
    ///
    /// ```
    /// # use secure_headers::cross_origin::CrossOriginEmbedderPolicy;
    /// assert_eq!(CrossOriginEmbedderPolicy::require_corp().to_header_value(), "require-corp");
    /// ```
    pub const fn require_corp() -> Self {
        Self::new(EmbedderPolicyValue::RequireCorp)
    }

    /// Sets the `report-to` endpoint.
    ///
    /// ```
    /// # use secure_headers::cross_origin::CrossOriginEmbedderPolicy;
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
    pub fn value(&self) -> EmbedderPolicyValue {
        self.value
    }

    /// The reporting endpoint name.
    pub fn report_to(&self) -> Option<&EndpointName> {
        self.report_to.as_ref()
    }

    /// Parses a header value, returning the parts a browser ignores.
    ///
    /// ```
    /// # use secure_headers::cross_origin::CrossOriginEmbedderPolicy;
    /// let (coep, d) = CrossOriginEmbedderPolicy::parse_with_diagnostics(r#"require-corp;report-to="e";x=1"#)?;
    /// assert_eq!(coep.report_to().map(|e| e.as_str()), Some("e"));
    /// assert_eq!(d.len(), 1);
    /// # Ok::<(), secure_headers::cross_origin::CrossOriginPolicyError>(())
    /// ```
    pub fn parse_with_diagnostics(
        value: &str,
    ) -> Result<(Self, Vec<CrossOriginDiagnostic>), CrossOriginPolicyError> {
        // HTML "obtain an embedder policy" step 3: "If parsedItem is non-null and parsedItem[0]
        // is compatible with cross-origin isolation: set policy's value to parsedItem[0]; if
        // parsedItem[1]["report-to"] exists, set policy's endpoint". An explicit `unsafe-none`
        // is accepted here as the (default) value it names.
        let (value, report_to, diagnostics) = parse_policy_item(
            "Cross-Origin-Embedder-Policy",
            "unsafe-none, require-corp, credentialless",
            value,
            EmbedderPolicyValue::from_token,
        )?;
        Ok((CrossOriginEmbedderPolicy { value, report_to }, diagnostics))
    }

    /// The header value.
    ///
    /// ```
    /// # use secure_headers::cross_origin::CrossOriginEmbedderPolicy;
    /// assert_eq!(CrossOriginEmbedderPolicy::require_corp().to_header_value(), "require-corp");
    /// ```
    pub fn to_header_value(&self) -> HeaderValue {
        match self.report_to {
            None => HeaderValue::from_static(self.value.as_str()),
            Some(_) => crate::util::header_value(&self.to_string()),
        }
    }
}

impl fmt::Display for CrossOriginEmbedderPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_policy(f, self.value.as_str(), self.report_to.as_ref())
    }
}

impl FromStr for CrossOriginEmbedderPolicy {
    type Err = CrossOriginPolicyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_with_diagnostics(s).map(|(p, _)| p)
    }
}

crate::util::header_value_conversions!(CrossOriginEmbedderPolicy, CrossOriginPolicyError);
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
