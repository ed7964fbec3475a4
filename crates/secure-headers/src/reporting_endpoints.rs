//! `Reporting-Endpoints` (Reporting API §3.2, §3.3): named endpoints that CSP `report-to`,
//! COOP/COEP `report-to` and Permissions-Policy `report-to` refer to.
//!
//! ```
//! use secure_headers::reporting_endpoints::ReportingEndpoints;
//!
//! let endpoints = ReportingEndpoints::builder()
//!     .endpoint("csp-endpoint", "https://reports.example/csp")
//!     .endpoint("default", "/reports")
//!     .build()?;
//! assert_eq!(endpoints.to_string(), r#"csp-endpoint="https://reports.example/csp", default="/reports""#);
//! assert_eq!(endpoints.to_string().parse::<ReportingEndpoints>()?, endpoints);
//! # Ok::<(), secure_headers::reporting_endpoints::ReportingEndpointsError>(())
//! ```

use std::fmt;
use std::str::FromStr;

use http::{HeaderName, HeaderValue};

use crate::origin::{HostKind, Origin, split_url_authority};
use crate::sf::{self, StructuredFieldError};
use crate::util::is_sf_key;

/// `Reporting-Endpoints`.
///
/// ```
/// use secure_headers::reporting_endpoints::{ReportingEndpoints, NAME};
/// use secure_headers::SecureHeaders;
/// let endpoints = ReportingEndpoints::builder().endpoint("csp", "/reports").build()?;
/// let bundle = SecureHeaders::builder().reporting_endpoints(&endpoints).build()?;
/// let mut headers = http::HeaderMap::new();
/// bundle.apply(&mut headers);
/// assert_eq!(headers[NAME], r#"csp="/reports""#);
/// assert_eq!(NAME.as_str(), "reporting-endpoints");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const NAME: HeaderName = HeaderName::from_static("reporting-endpoints");

/// At most this many endpoints are kept from a parsed header (and accepted by the builder).
///
/// ```
/// use secure_headers::reporting_endpoints::{
///     ReportingEndpoints, ReportingEndpointsDiagnostic, ReportingEndpointsError, MAX_ENDPOINTS,
/// };
/// let builder_with = |n: usize| {
///     (0..n).fold(ReportingEndpoints::builder(), |b, i| b.endpoint(&format!("e{i}"), "/r"))
/// };
/// assert_eq!(builder_with(MAX_ENDPOINTS).build()?.len(), MAX_ENDPOINTS);
/// assert_eq!(
///     builder_with(MAX_ENDPOINTS + 1).build(),
///     Err(ReportingEndpointsError::TooManyEndpoints)
/// );
/// // A parsed header keeps the first ones and says that the rest were dropped.
/// let header = (0..=MAX_ENDPOINTS).map(|i| format!(r#"e{i}="/r""#)).collect::<Vec<_>>();
/// let (endpoints, skipped) = ReportingEndpoints::parse_with_diagnostics(&header.join(", "))?;
/// assert_eq!(endpoints.len(), MAX_ENDPOINTS);
/// assert_eq!(skipped, [ReportingEndpointsDiagnostic::TooManyEndpoints]);
/// # Ok::<(), ReportingEndpointsError>(())
/// ```
pub const MAX_ENDPOINTS: usize = 64;

/// Longest endpoint URL accepted.
///
/// ```
/// use secure_headers::reporting_endpoints::{
///     ReportingEndpoints, ReportingEndpointsError, MAX_URL_LEN,
/// };
/// let url_of_len = |len: usize| format!("/{}", "r".repeat(len - 1));
/// let at_limit = ReportingEndpoints::builder().endpoint("csp", &url_of_len(MAX_URL_LEN)).build();
/// assert!(at_limit.is_ok());
/// assert_eq!(
///     ReportingEndpoints::builder().endpoint("csp", &url_of_len(MAX_URL_LEN + 1)).build(),
///     Err(ReportingEndpointsError::UrlTooLong(MAX_URL_LEN + 1))
/// );
/// ```
pub const MAX_URL_LEN: usize = 2048;

/// Why an endpoint name, URL or the whole header is invalid.
///
/// ```
/// use secure_headers::reporting_endpoints::{ReportingEndpoints, ReportingEndpointsError};
///
/// assert_eq!(
///     ReportingEndpoints::builder().endpoint("CSP", "/csp").build(),
///     Err(ReportingEndpointsError::InvalidName("CSP".to_owned()))
/// );
/// assert_eq!(
///     ReportingEndpoints::builder().endpoint("csp", "ftp://r.example/").build(),
///     Err(ReportingEndpointsError::UnsupportedUrl("ftp://r.example/".to_owned()))
/// );
/// assert_eq!(
///     r#"csp=?1"#.parse::<ReportingEndpoints>(),
///     Err(ReportingEndpointsError::NoEndpoints)
/// );
/// assert!(matches!(
///     "csp=".parse::<ReportingEndpoints>(),
///     Err(ReportingEndpointsError::Syntax(_))
/// ));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReportingEndpointsError {
    /// A name is not an RFC 9651 key (`lcalpha` or `*`, then `lcalpha`, digits, `_-.*`).
    #[error(
        "`{0}` is not a valid endpoint name (lower-case letters, digits, `_`, `-`, `.`, `*`; starting with a letter or `*`)"
    )]
    InvalidName(String),
    /// A URL contains a byte that cannot appear in a URL inside a structured string.
    #[error("the endpoint URL `{0}` contains a space, control, quote, backslash or non-ASCII byte")]
    InvalidUrlCharacter(String),
    /// A URL is neither an absolute `https:` URL (or `http:` to a loopback host) nor a
    /// path-absolute reference (`/reports`).
    #[error("the endpoint URL `{0}` is not an absolute https URL or a path starting with `/`")]
    UnsupportedUrl(String),
    /// A URL is longer than [`MAX_URL_LEN`].
    #[error("the endpoint URL is {0} bytes long, more than {MAX_URL_LEN}")]
    UrlTooLong(usize),
    /// The builder was given the same name twice.
    #[error("the endpoint name `{0}` is used twice")]
    DuplicateName(String),
    /// No endpoint (the builder was empty, or no member of the header is usable).
    #[error("no usable endpoint")]
    NoEndpoints,
    /// More than [`MAX_ENDPOINTS`] endpoints.
    #[error("more than {MAX_ENDPOINTS} endpoints")]
    TooManyEndpoints,
    /// The value is not a structured-field dictionary; a browser ignores the header.
    #[error(transparent)]
    Syntax(#[from] StructuredFieldError),
}

/// A reporting endpoint name: an RFC 9651 `key`.
///
/// ```
/// use secure_headers::reporting_endpoints::EndpointName;
/// assert_eq!(EndpointName::new("csp-endpoint")?.as_str(), "csp-endpoint");
/// assert!(EndpointName::new("CSP").is_err());
/// assert!(EndpointName::new("a,b").is_err());
/// # Ok::<(), secure_headers::reporting_endpoints::ReportingEndpointsError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EndpointName(Box<str>);

impl EndpointName {
    /// Validates a name.
    ///
    /// ```
    /// use secure_headers::reporting_endpoints::{EndpointName, ReportingEndpointsError};
    ///
    /// assert_eq!(EndpointName::new("coop-report")?.to_string(), "coop-report");
    /// assert_eq!(
    ///     EndpointName::new("1st"),
    ///     Err(ReportingEndpointsError::InvalidName("1st".to_owned()))
    /// );
    /// # Ok::<(), ReportingEndpointsError>(())
    /// ```
    pub fn new(name: &str) -> Result<Self, ReportingEndpointsError> {
        if is_sf_key(name) {
            Ok(EndpointName(name.into()))
        } else {
            Err(ReportingEndpointsError::InvalidName(name.to_owned()))
        }
    }

    /// The name.
    ///
    /// ```
    /// # use secure_headers::reporting_endpoints::EndpointName;
    /// assert_eq!(EndpointName::new("default")?.as_str(), "default");
    /// # Ok::<(), secure_headers::reporting_endpoints::ReportingEndpointsError>(())
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EndpointName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for EndpointName {
    type Err = ReportingEndpointsError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EndpointName::new(s)
    }
}

crate::util::serde_via_str!(
    EndpointName,
    "a reporting endpoint name such as `csp-endpoint`"
);

/// An endpoint URL: an absolute `https:` URL (or `http:` to `localhost`/a loopback address,
/// which the Reporting API also deems potentially trustworthy), or a path-absolute reference
/// resolved against the response URL (`/reports`).
///
/// ```
/// use secure_headers::reporting_endpoints::EndpointUrl;
/// assert!(EndpointUrl::new("https://r.example/csp?x=1").is_ok());
/// assert!(EndpointUrl::new("http://localhost:8080/r").is_ok());
/// assert!(EndpointUrl::new("/reports").is_ok());
/// assert!(EndpointUrl::new("http://r.example/csp").is_err()); // not potentially trustworthy
/// assert!(EndpointUrl::new("//evil.example/r").is_err());     // network-path reference
/// assert!(EndpointUrl::new("https://r.example/\"x").is_err());
/// # Ok::<(), secure_headers::reporting_endpoints::ReportingEndpointsError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EndpointUrl(Box<str>);

impl EndpointUrl {
    /// Validates a URL.
    ///
    /// ```
    /// use secure_headers::reporting_endpoints::{EndpointUrl, ReportingEndpointsError};
    ///
    /// assert_eq!(EndpointUrl::new("https://r.example/csp")?.as_str(), "https://r.example/csp");
    /// assert_eq!(
    ///     EndpointUrl::new("http://r.example/csp"),
    ///     Err(ReportingEndpointsError::UnsupportedUrl("http://r.example/csp".to_owned()))
    /// );
    /// assert!(matches!(
    ///     EndpointUrl::new("/a b"),
    ///     Err(ReportingEndpointsError::InvalidUrlCharacter(_))
    /// ));
    /// # Ok::<(), ReportingEndpointsError>(())
    /// ```
    pub fn new(url: &str) -> Result<Self, ReportingEndpointsError> {
        if url.len() > MAX_URL_LEN {
            return Err(ReportingEndpointsError::UrlTooLong(url.len()));
        }
        // Visible ASCII only, and none of `"` `\` (which a URL serializer never produces and
        // which would need escaping inside the structured string).
        if url.is_empty()
            || !url
                .bytes()
                .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\')
        {
            return Err(ReportingEndpointsError::InvalidUrlCharacter(url.to_owned()));
        }
        if url.starts_with('/') && !url.starts_with("//") {
            return Ok(EndpointUrl(url.into()));
        }
        let unsupported = || ReportingEndpointsError::UnsupportedUrl(url.to_owned());
        // (`\` was refused above, so the split is the same for every scheme.)
        let (scheme, authority, _) = split_url_authority(url).ok_or_else(unsupported)?;
        let origin =
            Origin::parse(&format!("{scheme}://{authority}")).map_err(|_| unsupported())?;
        // Reporting API §3.3 step 3.3: "If endpoint url's origin is not potentially trustworthy,
        // then continue." (Secure Contexts §3.1: https/wss, loopback hosts, localhost.)
        let trustworthy = match origin.scheme() {
            "https" | "wss" => true,
            "http" => is_loopback_host(origin.host()),
            _ => false,
        };
        if !trustworthy || origin.scheme() == "wss" {
            return Err(unsupported());
        }
        Ok(EndpointUrl(url.into()))
    }

    /// The URL text.
    ///
    /// ```
    /// # use secure_headers::reporting_endpoints::EndpointUrl;
    /// assert_eq!(EndpointUrl::new("/r")?.as_str(), "/r");
    /// # Ok::<(), secure_headers::reporting_endpoints::ReportingEndpointsError>(())
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn is_loopback_host(host: &str) -> bool {
    if host == "localhost" || host.ends_with(".localhost") {
        return true;
    }
    match crate::origin::parse_canonical(&format!("http://{host}")) {
        Some(parts) if parts.host_kind == HostKind::Ipv4 => host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|a| a.is_loopback()),
        Some(parts) if parts.host_kind == HostKind::Ipv6 => host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::Ipv6Addr>()
            .is_ok_and(|a| a.is_loopback()),
        _ => false,
    }
}

impl fmt::Display for EndpointUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A member of a parsed header that the browser skips.
///
/// ```
/// use secure_headers::reporting_endpoints::{ReportingEndpoints, ReportingEndpointsDiagnostic};
///
/// let (endpoints, skipped) = ReportingEndpoints::parse_with_diagnostics(r#"a="/a", b=tok"#)?;
/// assert_eq!(endpoints.len(), 1);
/// assert_eq!(skipped, [ReportingEndpointsDiagnostic::NotAString { name: "b".to_owned() }]);
/// # Ok::<(), secure_headers::reporting_endpoints::ReportingEndpointsError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReportingEndpointsDiagnostic {
    /// §3.3 step 3.1: the value is not a string (an inner list, token, number, …).
    NotAString {
        /// The member name.
        name: String,
    },
    /// §3.3 steps 3.2-3.3: the URL does not parse or its origin is not potentially trustworthy
    /// (or it is a relative form other than a path, which this crate does not keep).
    UnusableUrl {
        /// The member name.
        name: String,
        /// Why.
        error: ReportingEndpointsError,
    },
    /// A usable endpoint beyond the first [`MAX_ENDPOINTS`] was dropped, with every member
    /// after it.
    TooManyEndpoints,
}

/// A validated, non-empty `Reporting-Endpoints` header.
///
/// ```
/// use secure_headers::reporting_endpoints::ReportingEndpoints;
///
/// let (endpoints, skipped) =
///     ReportingEndpoints::parse_with_diagnostics(r#"a="https://r.example/a", b=?1, c="http://r.example/c""#)?;
/// assert_eq!(endpoints.len(), 1);
/// assert_eq!(endpoints.url("a").map(|u| u.as_str()), Some("https://r.example/a"));
/// assert_eq!(skipped.len(), 2);
/// # Ok::<(), secure_headers::reporting_endpoints::ReportingEndpointsError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportingEndpoints {
    endpoints: Vec<(EndpointName, EndpointUrl)>,
}

impl ReportingEndpoints {
    /// Starts a builder.
    ///
    /// ```
    /// # use secure_headers::reporting_endpoints::ReportingEndpoints;
    /// assert!(ReportingEndpoints::builder().build().is_err()); // at least one endpoint
    /// ```
    pub fn builder() -> ReportingEndpointsBuilder {
        ReportingEndpointsBuilder::default()
    }

    /// Runs "process reporting endpoints for response" (§3.3) on a header value: the usable
    /// endpoints and the members a browser skips.
    ///
    /// ```
    /// use secure_headers::reporting_endpoints::{ReportingEndpoints, ReportingEndpointsDiagnostic};
    ///
    /// let (endpoints, skipped) = ReportingEndpoints::parse_with_diagnostics(
    ///     r#"csp="https://r.example/csp", old="http://r.example/old""#,
    /// )?;
    /// assert_eq!(endpoints.to_string(), r#"csp="https://r.example/csp""#);
    /// assert!(matches!(
    ///     skipped.as_slice(),
    ///     [ReportingEndpointsDiagnostic::UnusableUrl { name, .. }] if name == "old"
    /// ));
    /// # Ok::<(), secure_headers::reporting_endpoints::ReportingEndpointsError>(())
    /// ```
    pub fn parse_with_diagnostics(
        value: &str,
    ) -> Result<(Self, Vec<ReportingEndpointsDiagnostic>), ReportingEndpointsError> {
        // §3.3 step 1-2: "Let parsed header be the result of executing get a structured field
        // value given "Reporting-Endpoints" and "dictionary" ... If parsed header is null,
        // abort these steps."
        let dict = sf::parse_dictionary(value)?;
        let mut endpoints = Vec::new();
        let mut diagnostics = Vec::new();
        for (name, entry) in &dict {
            // Step 3.1: "If endpoint url string is not a string, then continue."
            let url = match entry {
                sfv::ListEntry::Item(item) => item.bare_item.as_string(),
                sfv::ListEntry::InnerList(_) => None,
            };
            let Some(url) = url else {
                diagnostics.push(ReportingEndpointsDiagnostic::NotAString {
                    name: name.to_string(),
                });
                continue;
            };
            // Step 3.2: "Let endpoint url be the result of executing the URL parser on endpoint
            // url string", whose first step removes "any leading and trailing C0 control or
            // space" (a structured-field string holds no other C0 control).
            match EndpointUrl::new(url.as_str().trim_matches(' ')) {
                // MAX_ENDPOINTS counts usable endpoints: a member the browser would skip anyway
                // keeps its own diagnostic, and only a usable one past the limit is dropped.
                Ok(_) if endpoints.len() == MAX_ENDPOINTS => {
                    diagnostics.push(ReportingEndpointsDiagnostic::TooManyEndpoints);
                    break;
                }
                Ok(url) => {
                    // Dictionary keys are RFC 9651 keys, so the name is valid by construction.
                    endpoints.push((EndpointName(name.as_str().into()), url));
                }
                Err(error) => diagnostics.push(ReportingEndpointsDiagnostic::UnusableUrl {
                    name: name.to_string(),
                    error,
                }),
            }
        }
        if endpoints.is_empty() {
            return Err(ReportingEndpointsError::NoEndpoints);
        }
        Ok((ReportingEndpoints { endpoints }, diagnostics))
    }

    /// The endpoints, in header order.
    ///
    /// ```
    /// # use secure_headers::reporting_endpoints::ReportingEndpoints;
    /// let e = ReportingEndpoints::builder().endpoint("a", "/a").build()?;
    /// assert_eq!(e.iter().map(|(n, u)| (n.as_str(), u.as_str())).collect::<Vec<_>>(), [("a", "/a")]);
    /// # Ok::<(), secure_headers::reporting_endpoints::ReportingEndpointsError>(())
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (&EndpointName, &EndpointUrl)> {
        self.endpoints.iter().map(|(n, u)| (n, u))
    }

    /// The number of endpoints (at least one).
    ///
    /// ```
    /// # use secure_headers::reporting_endpoints::ReportingEndpoints;
    /// assert_eq!(ReportingEndpoints::builder().endpoint("a", "/a").build()?.len(), 1);
    /// # Ok::<(), secure_headers::reporting_endpoints::ReportingEndpointsError>(())
    /// ```
    #[allow(clippy::len_without_is_empty)]
    pub fn len(&self) -> usize {
        self.endpoints.len()
    }

    /// The URL of the endpoint called `name`.
    ///
    /// ```
    /// # use secure_headers::reporting_endpoints::ReportingEndpoints;
    /// let e = ReportingEndpoints::builder().endpoint("csp", "/csp").build()?;
    /// assert!(e.url("csp").is_some());
    /// assert!(e.url("coop").is_none());
    /// # Ok::<(), secure_headers::reporting_endpoints::ReportingEndpointsError>(())
    /// ```
    pub fn url(&self, name: &str) -> Option<&EndpointUrl> {
        self.endpoints
            .iter()
            .find(|(n, _)| n.as_str() == name)
            .map(|(_, u)| u)
    }

    /// The header value.
    ///
    /// ```
    /// # use secure_headers::reporting_endpoints::ReportingEndpoints;
    /// let e = ReportingEndpoints::builder().endpoint("csp", "/csp").build()?;
    /// assert_eq!(e.to_header_value(), r#"csp="/csp""#);
    /// # Ok::<(), secure_headers::reporting_endpoints::ReportingEndpointsError>(())
    /// ```
    pub fn to_header_value(&self) -> HeaderValue {
        crate::util::header_value(&self.to_string())
    }
}

impl fmt::Display for ReportingEndpoints {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // RFC 9651 §4.1.2 "Serializing a Dictionary": members joined by ", ".
        for (i, (name, url)) in self.endpoints.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(name.as_str())?;
            f.write_str("=")?;
            sf::write_string(f, url.as_str())?;
        }
        Ok(())
    }
}

impl FromStr for ReportingEndpoints {
    type Err = ReportingEndpointsError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_with_diagnostics(s).map(|(e, _)| e)
    }
}

crate::util::header_value_conversions!(ReportingEndpoints, ReportingEndpointsError);
crate::util::serde_via_str!(ReportingEndpoints, "a Reporting-Endpoints header value");

/// Builder for [`ReportingEndpoints`]; the first invalid input is reported by
/// [`build`](Self::build).
///
/// ```
/// # use secure_headers::reporting_endpoints::{ReportingEndpoints, ReportingEndpointsError};
/// let err = ReportingEndpoints::builder().endpoint("a", "/a").endpoint("a", "/b").build();
/// assert_eq!(err, Err(ReportingEndpointsError::DuplicateName("a".into())));
/// ```
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct ReportingEndpointsBuilder {
    endpoints: Vec<(EndpointName, EndpointUrl)>,
    error: Option<ReportingEndpointsError>,
}

impl ReportingEndpointsBuilder {
    /// Adds an endpoint.
    ///
    /// ```
    /// use secure_headers::reporting_endpoints::ReportingEndpoints;
    ///
    /// let endpoints = ReportingEndpoints::builder()
    ///     .endpoint("csp", "/csp")
    ///     .endpoint("coop", "https://r.example/coop")
    ///     .build()?;
    /// assert_eq!(endpoints.to_string(), r#"csp="/csp", coop="https://r.example/coop""#);
    /// # Ok::<(), secure_headers::reporting_endpoints::ReportingEndpointsError>(())
    /// ```
    pub fn endpoint(mut self, name: &str, url: &str) -> Self {
        if self.error.is_some() {
            return self;
        }
        match (EndpointName::new(name), EndpointUrl::new(url)) {
            (Ok(name), Ok(url)) => {
                if self.endpoints.iter().any(|(n, _)| *n == name) {
                    self.error = Some(ReportingEndpointsError::DuplicateName(name.to_string()));
                } else {
                    self.endpoints.push((name, url));
                }
            }
            (Err(e), _) | (_, Err(e)) => self.error = Some(e),
        }
        self
    }

    /// Validates and returns the header.
    ///
    /// ```
    /// use secure_headers::reporting_endpoints::{ReportingEndpoints, ReportingEndpointsError};
    ///
    /// assert_eq!(ReportingEndpoints::builder().build(), Err(ReportingEndpointsError::NoEndpoints));
    /// let endpoints = ReportingEndpoints::builder().endpoint("default", "/reports").build()?;
    /// assert_eq!(endpoints.url("default").map(|u| u.as_str()), Some("/reports"));
    /// # Ok::<(), ReportingEndpointsError>(())
    /// ```
    pub fn build(self) -> Result<ReportingEndpoints, ReportingEndpointsError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        if self.endpoints.is_empty() {
            return Err(ReportingEndpointsError::NoEndpoints);
        }
        if self.endpoints.len() > MAX_ENDPOINTS {
            return Err(ReportingEndpointsError::TooManyEndpoints);
        }
        Ok(ReportingEndpoints {
            endpoints: self.endpoints,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn non_string_members_are_skipped() {
        let (e, d) =
            ReportingEndpoints::parse_with_diagnostics(r#"a=("/x"), b=tok, c="/c""#).unwrap();
        assert_eq!(e.len(), 1);
        assert_eq!(d.len(), 2);
    }

    #[test]
    fn untrustworthy_urls_are_skipped() {
        let r = ReportingEndpoints::parse_with_diagnostics(r#"a="http://r.example/""#);
        assert_eq!(r, Err(ReportingEndpointsError::NoEndpoints));
        assert!(EndpointUrl::new("http://127.0.0.1/r").is_ok());
        assert!(EndpointUrl::new("http://[::1]/r").is_ok());
        assert!(EndpointUrl::new("ftp://r.example/").is_err());
    }

    #[test]
    fn duplicate_keys_keep_the_last_value() {
        // RFC 9651 §4.2.2: "If dictionary already contains a key this_key ... overwrite its value."
        let e: ReportingEndpoints = r#"a="/one", a="/two""#.parse().unwrap();
        assert_eq!(e.url("a").unwrap().as_str(), "/two");
    }

    fn usable(n: usize) -> Vec<String> {
        (0..n).map(|i| format!(r#"e{i}="/r""#)).collect()
    }

    #[test]
    fn endpoint_cap_counts_usable_endpoints_only() {
        // Skipped members before the limit do not use it up.
        let mut members = vec!["a=tok".to_owned(), r#"b="http://r.example/""#.to_owned()];
        members.extend(usable(MAX_ENDPOINTS));
        let (e, d) = ReportingEndpoints::parse_with_diagnostics(&members.join(", ")).unwrap();
        assert_eq!(e.len(), MAX_ENDPOINTS);
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(!d.contains(&ReportingEndpointsDiagnostic::TooManyEndpoints));
    }

    #[test]
    fn skipped_member_after_the_limit_keeps_its_own_diagnostic() {
        let mut members = usable(MAX_ENDPOINTS);
        members.push("z=tok".to_owned());
        let (e, d) = ReportingEndpoints::parse_with_diagnostics(&members.join(", ")).unwrap();
        assert_eq!(e.len(), MAX_ENDPOINTS);
        assert_eq!(
            d,
            [ReportingEndpointsDiagnostic::NotAString { name: "z".into() }]
        );
        members.push(r#"y="/y""#.to_owned());
        let (e, d) = ReportingEndpoints::parse_with_diagnostics(&members.join(", ")).unwrap();
        assert_eq!(e.len(), MAX_ENDPOINTS);
        assert!(e.url("y").is_none());
        assert_eq!(
            d,
            [
                ReportingEndpointsDiagnostic::NotAString { name: "z".into() },
                ReportingEndpointsDiagnostic::TooManyEndpoints
            ]
        );
    }

    #[test]
    fn parsed_url_length_limit_is_the_builders() {
        let url_of_len = |len: usize| format!("/{}", "r".repeat(len - 1));
        let (e, d) = ReportingEndpoints::parse_with_diagnostics(&format!(
            "a=\"{}\"",
            url_of_len(MAX_URL_LEN)
        ))
        .unwrap();
        assert_eq!(e.len(), 1);
        assert!(d.is_empty());
        assert_eq!(
            ReportingEndpoints::parse_with_diagnostics(&format!(
                "a=\"{}\", b=\"/b\"",
                url_of_len(MAX_URL_LEN + 1)
            ))
            .unwrap()
            .1,
            [ReportingEndpointsDiagnostic::UnusableUrl {
                name: "a".into(),
                error: ReportingEndpointsError::UrlTooLong(MAX_URL_LEN + 1)
            }]
        );
    }

    #[test]
    fn potentially_trustworthy_http_hosts_are_loopback_only() {
        // Secure Contexts §3.1: 127.0.0.0/8, ::1/128, `localhost` and `*.localhost`.
        for url in [
            "http://localhost/r",
            "http://a.localhost:8080/r",
            "http://127.0.0.1/r",
            "http://127.255.255.254/r",
            "http://[::1]/r",
            "HTTP://LOCALHOST/r",
        ] {
            assert!(EndpointUrl::new(url).is_ok(), "{url}");
        }
        for url in [
            "http://localhost.example/r",
            "http://notlocalhost/r",
            "http://128.0.0.1/r",
            "http://[::2]/r",
            "http://0.0.0.0/r",
            "ws://localhost/r",
            "wss://r.example/r",
        ] {
            assert!(
                matches!(
                    EndpointUrl::new(url),
                    Err(ReportingEndpointsError::UnsupportedUrl(_))
                ),
                "{url}"
            );
        }
    }

    #[test]
    fn path_absolute_reference_boundaries() {
        assert!(EndpointUrl::new("/").is_ok());
        assert!(EndpointUrl::new("/a?b#c").is_ok());
        for url in ["", "//", "//r.example/x", "r", "./r", "?r", "#r"] {
            assert!(EndpointUrl::new(url).is_err(), "{url:?}");
        }
    }

    #[test]
    fn spaces_around_a_url_string_are_removed_as_the_url_parser_does() {
        let (e, d) = ReportingEndpoints::parse_with_diagnostics(
            r#"a=" /a", b="https://r.example/b  ", c=" / x""#,
        )
        .unwrap();
        assert_eq!(e.to_string(), r#"a="/a", b="https://r.example/b""#);
        // Spaces inside the URL are kept, and refused.
        assert!(matches!(
            d.as_slice(),
            [ReportingEndpointsDiagnostic::UnusableUrl {
                error: ReportingEndpointsError::InvalidUrlCharacter(_),
                ..
            }]
        ));
        // The builder still takes only the URL itself.
        assert!(
            ReportingEndpoints::builder()
                .endpoint("a", " /a")
                .build()
                .is_err()
        );
    }

    #[test]
    fn surrounding_tabs_do_not_invalidate_the_dictionary() {
        // RFC 9110 §5.5: leading and trailing whitespace is not part of a field value.
        let e: ReportingEndpoints = "\ta=\"/a\",\tb=\"/b\"\t".parse().unwrap();
        assert_eq!(e.len(), 2);
    }

    #[test]
    fn endpoint_name_key_boundaries() {
        for ok in ["a", "*", "z9", "a_-.*"] {
            assert!(EndpointName::new(ok).is_ok(), "{ok}");
        }
        for bad in ["", "9a", "_a", "-a", ".a", "aB", "a b", "é"] {
            assert!(EndpointName::new(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn invalid_dictionary_ignores_the_header() {
        assert!(matches!(
            "a=\"/x\" b".parse::<ReportingEndpoints>(),
            Err(ReportingEndpointsError::Syntax(_))
        ));
    }

    #[test]
    fn builder_rejects_injection() {
        for url in [
            "https://r.example/\r\n",
            "https://r.example/ x",
            "https://r.example/,x\"",
            "/x\\y",
        ] {
            assert!(
                ReportingEndpoints::builder()
                    .endpoint("a", url)
                    .build()
                    .is_err(),
                "{url:?}"
            );
        }
        assert!(
            ReportingEndpoints::builder()
                .endpoint("a;b", "/x")
                .build()
                .is_err()
        );
        assert!(
            ReportingEndpoints::builder()
                .endpoint("a=b", "/x")
                .build()
                .is_err()
        );
    }

    proptest! {
        #[test]
        fn round_trip(names in proptest::collection::btree_set("[a-z*][a-z0-9_.*-]{0,8}", 1..5), path in "/[a-z0-9][a-zA-Z0-9/._~%!$&'()*+,;=:@?-]{0,20}") {
            let mut b = ReportingEndpoints::builder();
            for n in &names { b = b.endpoint(n, &path); }
            let e = b.build().unwrap();
            prop_assert_eq!(e.to_string().parse::<ReportingEndpoints>().unwrap(), e);
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,64}") {
            let _ = ReportingEndpoints::parse_with_diagnostics(&s);
        }
    }
}
