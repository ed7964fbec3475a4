//! Response headers that reveal the server stack (product names, versions, internal hosts,
//! tracing ids) and give an attacker a head start; removed before a response leaves.
//!
//! The default list is the OWASP Secure Headers Project's `ci/headers_remove.json`
//! (<https://owasp.org/www-project-secure-headers/ci/headers_remove.json>, revision of
//! 2024-09-02), plus a few headers of common stacks that it does not name (Rails, Drupal,
//! Varnish, CDN routing).
//!
//! ```
//! use http::HeaderMap;
//! use secure_headers::leaky_headers::LeakyHeaders;
//!
//! let mut headers = HeaderMap::new();
//! headers.insert("server", "nginx/1.25.3".parse().unwrap());
//! headers.insert("x-powered-by", "PHP/8.3".parse().unwrap());
//! headers.insert("content-type", "text/html".parse().unwrap());
//!
//! let removed = LeakyHeaders::default().remove_from(&mut headers);
//! assert_eq!(removed, 2);
//! assert_eq!(headers.len(), 1);
//! ```

use http::{HeaderMap, HeaderName};

/// The OWASP Secure Headers Project remove list (`ci/headers_remove.json`, 2024-09-02).
///
/// ```
/// use secure_headers::leaky_headers::{LeakyHeaders, OWASP_REMOVE_LIST};
/// assert!(OWASP_REMOVE_LIST.contains(&"x-aspnet-version"));
/// let mut headers = http::HeaderMap::new();
/// headers.insert("x-aspnet-version", "4.0.30319".parse()?);
/// headers.insert("content-type", "text/html".parse()?);
/// assert_eq!(LeakyHeaders::default().remove_from(&mut headers), 1);
/// assert!(!headers.contains_key("x-aspnet-version"));
/// assert!(headers.contains_key("content-type"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const OWASP_REMOVE_LIST: &[&str] = &[
    "$wsep",
    "host-header",
    "k-proxy-request",
    "liferay-portal",
    "oraclecommercecloud-version",
    "pega-host",
    "powered-by",
    "product",
    "server",
    "sourcemap",
    "x-aspnet-version",
    "x-aspnetmvc-version",
    "x-atmosphere-error",
    "x-atmosphere-first-request",
    "x-atmosphere-tracking-id",
    "x-b3-parentspanid",
    "x-b3-sampled",
    "x-b3-spanid",
    "x-b3-traceid",
    "x-beserver",
    "x-cf-powered-by",
    "x-cms",
    "x-calculatedbetarget",
    "x-cocoon-version",
    "x-content-encoded-by",
    "x-diaginfo",
    "x-envoy-attempt-count",
    "x-envoy-external-address",
    "x-envoy-internal",
    "x-envoy-original-dst-host",
    "x-envoy-upstream-service-time",
    "x-feserver",
    "x-framework",
    "x-generated-by",
    "x-generator",
    "x-jitsi-release",
    "x-joomla-version",
    "x-kubernetes-pf-flowschema-ui",
    "x-kubernetes-pf-prioritylevel-uid",
    "x-litespeed-cache",
    "x-litespeed-purge",
    "x-litespeed-tag",
    "x-litespeed-vary",
    "x-litespeed-cache-control",
    "x-mod-pagespeed",
    "x-nextjs-cache",
    "x-nextjs-matched-path",
    "x-nextjs-page",
    "x-nextjs-redirect",
    "x-owa-version",
    "x-old-content-length",
    "x-oneagent-js-injection",
    "x-page-speed",
    "x-php-version",
    "x-powered-by",
    "x-powered-by-plesk",
    "x-powered-cms",
    "x-redirect-by",
    "x-server-powered-by",
    "x-sourcefiles",
    "x-sourcemap",
    "x-turbo-charged-by",
    "x-umbraco-version",
    "x-varnish-backend",
    "x-varnish-server",
    "x-dtagentid",
    "x-dthealthcheck",
    "x-dtinjectedservlet",
    "x-ruxit-js-agent",
];

/// Headers of common stacks that the OWASP list does not name, also removed by default.
///
/// ```
/// use secure_headers::leaky_headers::{LeakyHeaders, EXTRA_REMOVE_LIST, OWASP_REMOVE_LIST};
/// // Rails' request timing: not in the OWASP list, removed all the same.
/// assert!(EXTRA_REMOVE_LIST.contains(&"x-runtime") && !OWASP_REMOVE_LIST.contains(&"x-runtime"));
/// let mut headers = http::HeaderMap::new();
/// headers.insert("x-runtime", "0.012".parse()?);
/// assert_eq!(LeakyHeaders::default().remove_from(&mut headers), 1);
/// assert!(headers.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const EXTRA_REMOVE_LIST: &[&str] = &[
    "x-runtime",
    "x-version",
    "x-drupal-cache",
    "x-drupal-dynamic-cache",
    "x-backend-server",
    "x-rack-cache",
    "x-served-by",
    "x-varnish",
];

/// A header name given to [`LeakyHeaders`] is not a valid field name.
///
/// ```
/// use secure_headers::leaky_headers::{LeakyHeaders, LeakyHeadersError};
///
/// assert_eq!(
///     LeakyHeaders::empty().with("x bad"),
///     Err(LeakyHeadersError::InvalidName("x bad".to_owned()))
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LeakyHeadersError {
    /// Not an RFC 9110 token.
    #[error("`{0}` is not a valid header name")]
    InvalidName(String),
}

/// The set of response headers to remove.
///
/// ```
/// use secure_headers::leaky_headers::LeakyHeaders;
///
/// let list = LeakyHeaders::default().with("x-internal-node")?.without("server");
/// assert!(list.contains(&http::HeaderName::from_static("x-internal-node")));
/// assert!(!list.contains(&http::header::SERVER));
/// # Ok::<(), secure_headers::leaky_headers::LeakyHeadersError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeakyHeaders {
    names: Vec<HeaderName>,
}

impl Default for LeakyHeaders {
    /// [`OWASP_REMOVE_LIST`] and [`EXTRA_REMOVE_LIST`].
    fn default() -> Self {
        let names = OWASP_REMOVE_LIST
            .iter()
            .chain(EXTRA_REMOVE_LIST)
            .filter_map(|n| HeaderName::from_bytes(n.as_bytes()).ok())
            .collect();
        LeakyHeaders { names }
    }
}

impl LeakyHeaders {
    /// An empty list (remove nothing).
    ///
    /// ```
    /// # use secure_headers::leaky_headers::LeakyHeaders;
    /// assert!(LeakyHeaders::empty().names().is_empty());
    /// ```
    pub fn empty() -> Self {
        LeakyHeaders { names: Vec::new() }
    }

    /// Adds a header name (case-insensitive).
    ///
    /// ```
    /// # use secure_headers::leaky_headers::LeakyHeaders;
    /// assert!(LeakyHeaders::empty().with("X-Bad Name").is_err());
    /// ```
    pub fn with(self, name: &str) -> Result<Self, LeakyHeadersError> {
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| LeakyHeadersError::InvalidName(name.to_owned()))?;
        Ok(self.with_name(name))
    }

    /// Adds a header name.
    ///
    /// ```
    /// # use secure_headers::leaky_headers::LeakyHeaders;
    /// let l = LeakyHeaders::empty().with_name(http::header::SERVER);
    /// assert_eq!(l.names().len(), 1);
    /// ```
    #[must_use]
    pub fn with_name(mut self, name: HeaderName) -> Self {
        if !self.names.contains(&name) {
            self.names.push(name);
        }
        self
    }

    /// Removes a name from the list (case-insensitive; unknown names are ignored), e.g. to keep
    /// `Server` when a CDN requires it.
    ///
    /// ```
    /// # use secure_headers::leaky_headers::LeakyHeaders;
    /// assert!(!LeakyHeaders::default().without("X-Powered-By").contains(&"x-powered-by".parse().unwrap()));
    /// ```
    #[must_use]
    pub fn without(mut self, name: &str) -> Self {
        self.names
            .retain(|n| !n.as_str().eq_ignore_ascii_case(name));
        self
    }

    /// The names, lower case.
    ///
    /// ```
    /// use secure_headers::leaky_headers::LeakyHeaders;
    ///
    /// let list = LeakyHeaders::empty().with("X-Powered-By")?;
    /// assert_eq!(list.names(), &[http::HeaderName::from_static("x-powered-by")]);
    /// # Ok::<(), secure_headers::leaky_headers::LeakyHeadersError>(())
    /// ```
    pub fn names(&self) -> &[HeaderName] {
        &self.names
    }

    /// Whether `name` is removed.
    ///
    /// ```
    /// use secure_headers::leaky_headers::LeakyHeaders;
    ///
    /// let list = LeakyHeaders::default();
    /// assert!(list.contains(&http::header::SERVER));
    /// assert!(!list.contains(&http::header::CONTENT_TYPE));
    /// ```
    pub fn contains(&self, name: &HeaderName) -> bool {
        self.names.contains(name)
    }

    /// Removes every listed header (all of its lines) from `headers`; returns how many
    /// distinct names were present.
    ///
    /// ```
    /// # use secure_headers::leaky_headers::LeakyHeaders;
    /// let mut h = http::HeaderMap::new();
    /// h.append("x-powered-by", "a".parse().unwrap());
    /// h.append("x-powered-by", "b".parse().unwrap());
    /// assert_eq!(LeakyHeaders::default().remove_from(&mut h), 1);
    /// assert!(h.is_empty());
    /// ```
    pub fn remove_from(&self, headers: &mut HeaderMap) -> usize {
        if headers.is_empty() {
            return 0;
        }
        let mut removed = 0;
        for name in &self.names {
            // `remove` drops every value of the name.
            if headers.remove(name).is_some() {
                removed += 1;
            }
        }
        removed
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for LeakyHeaders {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.names.iter().map(HeaderName::as_str))
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for LeakyHeaders {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let names: Vec<String> = serde::Deserialize::deserialize(deserializer)?;
        names
            .iter()
            .try_fold(LeakyHeaders::empty(), |acc, n| acc.with(n))
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_name_is_a_valid_header_name() {
        let total = OWASP_REMOVE_LIST.len() + EXTRA_REMOVE_LIST.len();
        assert_eq!(LeakyHeaders::default().names().len(), total);
    }

    #[test]
    fn default_list_includes_the_usual_suspects() {
        let list = LeakyHeaders::default();
        for n in [
            "server",
            "x-powered-by",
            "x-aspnet-version",
            "x-aspnetmvc-version",
            "x-runtime",
            "x-generator",
            "x-drupal-cache",
            "x-nextjs-cache",
            "liferay-portal",
            "x-varnish",
            "x-served-by",
        ] {
            assert!(list.contains(&HeaderName::from_static(n)), "{n}");
        }
    }

    #[test]
    fn security_headers_are_never_removed() {
        let list = LeakyHeaders::default();
        for n in [
            "content-security-policy",
            "strict-transport-security",
            "set-cookie",
            "vary",
            "cache-control",
        ] {
            assert!(!list.contains(&HeaderName::from_static(n)), "{n}");
        }
    }

    #[test]
    fn remove_is_case_insensitive() {
        let mut h = HeaderMap::new();
        h.insert(
            HeaderName::from_bytes(b"X-Powered-By").unwrap(),
            "Express".parse().unwrap(),
        );
        assert_eq!(LeakyHeaders::default().remove_from(&mut h), 1);
        assert!(h.is_empty());
    }
}
