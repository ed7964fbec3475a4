//! `Referrer-Policy` (W3C Referrer Policy §4.1, §8.1).
//!
//! ```
//! use secure_headers::referrer_policy::{ReferrerPolicy, ReferrerPolicyHeader};
//!
//! // §8.1: the last recognized token wins; unknown tokens are ignored.
//! let parsed = ReferrerPolicyHeader::parse("no-referrer, unknown-thing, same-origin");
//! assert_eq!(parsed.policy(), Some(ReferrerPolicy::SameOrigin));
//! assert_eq!(parsed.ignored_tokens(), ["unknown-thing"]);
//!
//! assert_eq!(ReferrerPolicy::default().to_string(), "strict-origin-when-cross-origin");
//! ```

use std::fmt;
use std::str::FromStr;

use http::{HeaderName, HeaderValue};

use crate::util::trim_ows;

/// `Referrer-Policy`.
///
/// ```
/// use secure_headers::referrer_policy::{ReferrerPolicy, NAME};
/// use secure_headers::SecureHeaders;
/// let bundle = SecureHeaders::builder()
///     .referrer_policy(ReferrerPolicy::SameOrigin)
///     .build()?;
/// let mut headers = http::HeaderMap::new();
/// bundle.apply(&mut headers);
/// assert_eq!(headers[NAME], "same-origin");
/// assert_eq!(NAME.as_str(), "referrer-policy");
/// # Ok::<(), secure_headers::BuildError>(())
/// ```
pub const NAME: HeaderName = http::header::REFERRER_POLICY;

/// At most this many unrecognised tokens are kept for diagnostics; further ones are only
/// counted (see [`ReferrerPolicyHeader::ignored_tokens_truncated`]), so a hostile value cannot
/// make the list grow without bound. Every token is still read, as a browser does: the last
/// recognised policy wins wherever it stands.
///
/// ```
/// use secure_headers::referrer_policy::{
///     ReferrerPolicy, ReferrerPolicyError, ReferrerPolicyHeader, MAX_TOKENS,
/// };
/// let unknown = |n: usize| vec!["bogus"; n].join(", ");
/// let at_limit = ReferrerPolicyHeader::parse(&unknown(MAX_TOKENS));
/// assert_eq!(at_limit.ignored_tokens().len(), MAX_TOKENS);
/// assert!(!at_limit.ignored_tokens_truncated());
/// let over = ReferrerPolicyHeader::parse(&unknown(MAX_TOKENS + 1));
/// assert_eq!(over.ignored_tokens().len(), MAX_TOKENS);
/// assert!(over.ignored_tokens_truncated());
/// let Err(ReferrerPolicyError::NoRecognizedToken { tokens }) =
///     unknown(MAX_TOKENS + 1).parse::<ReferrerPolicy>()
/// else {
///     panic!("no policy among the tokens")
/// };
/// assert_eq!(tokens.len(), MAX_TOKENS);
/// ```
pub const MAX_TOKENS: usize = 64;

/// One of the eight referrer policies of Referrer Policy §3.
///
/// ```
/// use secure_headers::referrer_policy::ReferrerPolicy;
///
/// let header = http::HeaderValue::from(ReferrerPolicy::NoReferrer);
/// assert_eq!(header, "no-referrer");
/// assert_eq!(ReferrerPolicy::try_from(&header)?, ReferrerPolicy::NoReferrer);
/// assert!(ReferrerPolicy::UnsafeUrl.leaks_full_url_cross_origin());
/// # Ok::<(), secure_headers::referrer_policy::ReferrerPolicyError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ReferrerPolicy {
    /// `no-referrer`: never send a `Referer`.
    NoReferrer,
    /// `no-referrer-when-downgrade`: full URL except on HTTPS→HTTP.
    NoReferrerWhenDowngrade,
    /// `same-origin`: full URL to the same origin, nothing cross-origin.
    SameOrigin,
    /// `origin`: only the origin, everywhere.
    Origin,
    /// `strict-origin`: only the origin, nothing on HTTPS→HTTP.
    StrictOrigin,
    /// `origin-when-cross-origin`: full URL same-origin, origin cross-origin.
    OriginWhenCrossOrigin,
    /// `strict-origin-when-cross-origin` (the browsers' default): full URL same-origin, origin
    /// cross-origin, nothing on HTTPS→HTTP.
    #[default]
    StrictOriginWhenCrossOrigin,
    /// `unsafe-url`: the full URL everywhere, even over HTTP.
    UnsafeUrl,
}

impl ReferrerPolicy {
    /// Every policy, in the order of the spec's enumeration.
    ///
    /// ```
    /// use secure_headers::referrer_policy::ReferrerPolicy;
    /// assert_eq!(ReferrerPolicy::ALL.first(), Some(&ReferrerPolicy::NoReferrer));
    /// assert_eq!(ReferrerPolicy::ALL.last(), Some(&ReferrerPolicy::UnsafeUrl));
    /// // Every member is recognized by the parser and sent as its own token.
    /// for policy in ReferrerPolicy::ALL {
    ///     assert_eq!(policy.as_str().parse::<ReferrerPolicy>()?, policy);
    ///     assert_eq!(policy.to_header_value(), policy.as_str());
    /// }
    /// # Ok::<(), secure_headers::referrer_policy::ReferrerPolicyError>(())
    /// ```
    pub const ALL: [ReferrerPolicy; 8] = [
        ReferrerPolicy::NoReferrer,
        ReferrerPolicy::NoReferrerWhenDowngrade,
        ReferrerPolicy::SameOrigin,
        ReferrerPolicy::Origin,
        ReferrerPolicy::StrictOrigin,
        ReferrerPolicy::OriginWhenCrossOrigin,
        ReferrerPolicy::StrictOriginWhenCrossOrigin,
        ReferrerPolicy::UnsafeUrl,
    ];

    /// The token, as written in the header.
    ///
    /// ```
    /// # use secure_headers::referrer_policy::ReferrerPolicy;
    /// assert_eq!(ReferrerPolicy::SameOrigin.as_str(), "same-origin");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            ReferrerPolicy::NoReferrer => "no-referrer",
            ReferrerPolicy::NoReferrerWhenDowngrade => "no-referrer-when-downgrade",
            ReferrerPolicy::SameOrigin => "same-origin",
            ReferrerPolicy::Origin => "origin",
            ReferrerPolicy::StrictOrigin => "strict-origin",
            ReferrerPolicy::OriginWhenCrossOrigin => "origin-when-cross-origin",
            ReferrerPolicy::StrictOriginWhenCrossOrigin => "strict-origin-when-cross-origin",
            ReferrerPolicy::UnsafeUrl => "unsafe-url",
        }
    }

    /// Recognizes one token. Referrer Policy §8.1 compares tokens as strings; Chromium
    /// (`SecurityPolicy::ReferrerPolicyFromString`) and Firefox compare ASCII
    /// case-insensitively, so `STRICT-ORIGIN` is honoured and we do the same. The legacy
    /// `<meta>` keywords (`never`, `always`, `default`, `origin-when-crossorigin`) are not
    /// accepted in the header by any browser and are not accepted here.
    ///
    /// ```
    /// # use secure_headers::referrer_policy::ReferrerPolicy;
    /// assert_eq!(ReferrerPolicy::from_token("Same-Origin"), Some(ReferrerPolicy::SameOrigin));
    /// assert_eq!(ReferrerPolicy::from_token("never"), None);
    /// ```
    pub fn from_token(token: &str) -> Option<Self> {
        ReferrerPolicy::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(token))
    }

    /// Whether the policy sends the full URL (path and query) to other origins over HTTPS
    /// (`unsafe-url`, `no-referrer-when-downgrade`).
    ///
    /// ```
    /// # use secure_headers::referrer_policy::ReferrerPolicy;
    /// assert!(ReferrerPolicy::NoReferrerWhenDowngrade.leaks_full_url_cross_origin());
    /// assert!(!ReferrerPolicy::StrictOriginWhenCrossOrigin.leaks_full_url_cross_origin());
    /// ```
    pub const fn leaks_full_url_cross_origin(self) -> bool {
        matches!(
            self,
            ReferrerPolicy::UnsafeUrl | ReferrerPolicy::NoReferrerWhenDowngrade
        )
    }

    /// The header value (a static value: no allocation).
    ///
    /// ```
    /// # use secure_headers::referrer_policy::ReferrerPolicy;
    /// assert_eq!(ReferrerPolicy::Origin.to_header_value(), "origin");
    /// ```
    pub const fn to_header_value(self) -> HeaderValue {
        HeaderValue::from_static(self.as_str())
    }
}

impl fmt::Display for ReferrerPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a `Referrer-Policy` value yields no policy (the browser keeps the policy it had).
///
/// ```
/// use secure_headers::referrer_policy::{ReferrerPolicy, ReferrerPolicyError};
///
/// assert_eq!(" , ".parse::<ReferrerPolicy>(), Err(ReferrerPolicyError::Empty));
/// assert_eq!(
///     "none".parse::<ReferrerPolicy>(),
///     Err(ReferrerPolicyError::NoRecognizedToken { tokens: vec!["none".to_owned()] })
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReferrerPolicyError {
    /// The value is empty or only whitespace and commas: the empty policy.
    #[error("the Referrer-Policy value is empty")]
    Empty,
    /// None of the comma-separated tokens is a referrer policy.
    #[error("no recognized referrer policy among the tokens {tokens:?}")]
    NoRecognizedToken {
        /// The tokens that were seen (at most [`MAX_TOKENS`]).
        tokens: Vec<String>,
    },
}

/// The result of Referrer Policy §8.1 on a header value: the policy (if any) and the tokens the
/// browser ignored.
///
/// ```
/// use secure_headers::referrer_policy::{ReferrerPolicy, ReferrerPolicyHeader};
///
/// let parsed = ReferrerPolicyHeader::parse("no-referrer;");
/// assert_eq!(parsed.policy(), None); // `no-referrer;` is not a token the browser knows
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReferrerPolicyHeader {
    policy: Option<ReferrerPolicy>,
    ignored: Vec<String>,
    truncated: bool,
}

impl ReferrerPolicyHeader {
    /// Runs "parse a referrer policy from a `Referrer-Policy` header" (§8.1) on one header value
    /// (several header lines must be joined with `, ` first, as Fetch does).
    ///
    /// ```
    /// # use secure_headers::referrer_policy::{ReferrerPolicy, ReferrerPolicyHeader};
    /// let parsed = ReferrerPolicyHeader::parse("origin,,  unsafe-url ");
    /// assert_eq!(parsed.policy(), Some(ReferrerPolicy::UnsafeUrl));
    /// assert!(parsed.ignored_tokens().is_empty());
    /// ```
    pub fn parse(value: &str) -> Self {
        let mut out = ReferrerPolicyHeader::default();
        // §8.1 step 1: "Let policy-tokens be the result of extracting header list values given
        // `Referrer-Policy` and response's header list" (comma-split, OWS trimmed, empty
        // elements dropped).
        for token in value.split(',').map(trim_ows).filter(|t| !t.is_empty()) {
            // Step 3: "For each token in policy-tokens, if token is a referrer policy and token
            // is not the empty string, then set policy to token."
            match ReferrerPolicy::from_token(token) {
                Some(policy) => out.policy = Some(policy),
                None if out.ignored.len() < MAX_TOKENS => out.ignored.push(token.to_owned()),
                None => out.truncated = true,
            }
        }
        out
    }

    /// Parses every line of a header map's `Referrer-Policy` field, joined as Fetch joins them.
    ///
    /// ```
    /// # use secure_headers::referrer_policy::{ReferrerPolicy, ReferrerPolicyHeader, NAME};
    /// let mut headers = http::HeaderMap::new();
    /// headers.append(NAME, "no-referrer".parse().unwrap());
    /// headers.append(NAME, "same-origin".parse().unwrap());
    /// assert_eq!(ReferrerPolicyHeader::from_headers(&headers).policy(), Some(ReferrerPolicy::SameOrigin));
    /// ```
    pub fn from_headers(headers: &http::HeaderMap) -> Self {
        let mut joined = String::new();
        for (i, value) in headers.get_all(NAME).iter().enumerate() {
            if i > 0 {
                joined.push_str(", ");
            }
            joined.push_str(&crate::util::header_value_str(value));
        }
        Self::parse(&joined)
    }

    /// The policy the browser applies, `None` for the empty policy (keep the current one).
    ///
    /// ```
    /// use secure_headers::referrer_policy::{ReferrerPolicy, ReferrerPolicyHeader};
    ///
    /// assert_eq!(
    ///     ReferrerPolicyHeader::parse("origin, no-referrer").policy(),
    ///     Some(ReferrerPolicy::NoReferrer)
    /// );
    /// assert_eq!(ReferrerPolicyHeader::parse("").policy(), None);
    /// ```
    pub fn policy(&self) -> Option<ReferrerPolicy> {
        self.policy
    }

    /// The non-empty tokens that are not referrer policies, in order.
    ///
    /// ```
    /// use secure_headers::referrer_policy::ReferrerPolicyHeader;
    ///
    /// let parsed = ReferrerPolicyHeader::parse("never, origin, always");
    /// assert_eq!(parsed.ignored_tokens(), ["never", "always"]);
    /// ```
    pub fn ignored_tokens(&self) -> &[String] {
        &self.ignored
    }

    /// Whether more than [`MAX_TOKENS`] unknown tokens were seen (the rest are not listed).
    ///
    /// ```
    /// use secure_headers::referrer_policy::{ReferrerPolicyHeader, MAX_TOKENS};
    ///
    /// let many = vec!["bogus"; MAX_TOKENS + 1].join(",");
    /// let parsed = ReferrerPolicyHeader::parse(&many);
    /// assert!(parsed.ignored_tokens_truncated());
    /// assert_eq!(parsed.ignored_tokens().len(), MAX_TOKENS);
    /// assert!(!ReferrerPolicyHeader::parse("bogus").ignored_tokens_truncated());
    /// ```
    pub fn ignored_tokens_truncated(&self) -> bool {
        self.truncated
    }
}

impl FromStr for ReferrerPolicy {
    type Err = ReferrerPolicyError;

    /// Parses a header value with §8.1; an error when the result is the empty policy.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parsed = ReferrerPolicyHeader::parse(s);
        match parsed.policy {
            Some(policy) => Ok(policy),
            None if parsed.ignored.is_empty() && !parsed.truncated => {
                Err(ReferrerPolicyError::Empty)
            }
            None => Err(ReferrerPolicyError::NoRecognizedToken {
                tokens: parsed.ignored,
            }),
        }
    }
}

impl TryFrom<&HeaderValue> for ReferrerPolicy {
    type Error = ReferrerPolicyError;
    fn try_from(value: &HeaderValue) -> Result<Self, Self::Error> {
        crate::util::header_value_str(value).parse()
    }
}

impl From<ReferrerPolicy> for HeaderValue {
    fn from(policy: ReferrerPolicy) -> Self {
        policy.to_header_value()
    }
}

impl From<&ReferrerPolicy> for HeaderValue {
    fn from(policy: &ReferrerPolicy) -> Self {
        policy.to_header_value()
    }
}

crate::util::serde_via_str!(
    ReferrerPolicy,
    "a referrer policy token such as `no-referrer`"
);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn last_recognized_token_wins() {
        assert_eq!(
            "no-referrer, strict-origin-when-cross-origin".parse(),
            Ok(ReferrerPolicy::StrictOriginWhenCrossOrigin)
        );
        assert_eq!(
            "strict-origin-when-cross-origin, no-referrer".parse(),
            Ok(ReferrerPolicy::NoReferrer)
        );
    }

    #[test]
    fn unknown_tokens_are_ignored_not_fatal() {
        let parsed = ReferrerPolicyHeader::parse("no-referrer, whimsy");
        assert_eq!(parsed.policy(), Some(ReferrerPolicy::NoReferrer));
        assert_eq!(parsed.ignored_tokens(), ["whimsy"]);
    }

    #[test]
    fn token_cap_limits_the_ignored_list_not_the_tokens_read() {
        // Referrer Policy §8.1 step 3: every token is read and the last policy wins, however
        // many tokens come before it; only the list of ignored tokens is capped.
        let mut value = vec!["no-referrer"; MAX_TOKENS + 10].join(", ");
        value.push_str(", whimsy, origin, whimsy2");
        let parsed = ReferrerPolicyHeader::parse(&value);
        assert_eq!(parsed.policy(), Some(ReferrerPolicy::Origin));
        assert_eq!(parsed.ignored_tokens(), ["whimsy", "whimsy2"]);
        assert!(!parsed.ignored_tokens_truncated());
        let many_unknown = vec!["whimsy"; MAX_TOKENS + 1].join(", ") + ", unsafe-url";
        let parsed = ReferrerPolicyHeader::parse(&many_unknown);
        assert_eq!(parsed.policy(), Some(ReferrerPolicy::UnsafeUrl));
        assert_eq!(parsed.ignored_tokens().len(), MAX_TOKENS);
        assert!(parsed.ignored_tokens_truncated());
    }

    #[test]
    fn only_unknown_tokens_is_no_policy() {
        assert_eq!(
            "whimsy, whimsy1".parse::<ReferrerPolicy>(),
            Err(ReferrerPolicyError::NoRecognizedToken {
                tokens: vec!["whimsy".into(), "whimsy1".into()]
            })
        );
    }

    #[test]
    fn empty_value_is_the_empty_policy() {
        assert_eq!(
            "".parse::<ReferrerPolicy>(),
            Err(ReferrerPolicyError::Empty)
        );
        assert_eq!(
            " , ,".parse::<ReferrerPolicy>(),
            Err(ReferrerPolicyError::Empty)
        );
    }

    #[test]
    fn tokens_compare_ascii_case_insensitively() {
        assert_eq!("STRICT-ORIGIN".parse(), Ok(ReferrerPolicy::StrictOrigin));
    }

    #[test]
    fn semicolon_and_quotes_make_a_token_unrecognized() {
        for v in [
            "no-referrer;",
            "\"same-origin\"",
            "'same-origin'",
            "same-origin always",
        ] {
            assert_eq!(ReferrerPolicyHeader::parse(v).policy(), None, "{v}");
        }
    }

    #[test]
    fn legacy_meta_keywords_are_not_header_tokens() {
        for v in ["never", "always", "default", "origin-when-crossorigin"] {
            assert!(v.parse::<ReferrerPolicy>().is_err(), "{v}");
        }
    }

    #[test]
    fn unknown_token_list_is_bounded() {
        let value = vec!["x"; 10_000].join(",");
        let parsed = ReferrerPolicyHeader::parse(&value);
        assert_eq!(parsed.ignored_tokens().len(), MAX_TOKENS);
        assert!(parsed.ignored_tokens_truncated());
    }

    #[test]
    fn every_policy_round_trips() {
        for p in ReferrerPolicy::ALL {
            assert_eq!(p.to_string().parse(), Ok(p));
            assert_eq!(ReferrerPolicy::try_from(&HeaderValue::from(p)), Ok(p));
        }
    }

    proptest! {
        #[test]
        fn parse_never_panics(s in "\\PC{0,64}") {
            let _ = ReferrerPolicyHeader::parse(&s);
        }

        #[test]
        fn round_trip(i in 0usize..8) {
            let p = ReferrerPolicy::ALL[i];
            prop_assert_eq!(p.to_string().parse::<ReferrerPolicy>(), Ok(p));
        }
    }
}
