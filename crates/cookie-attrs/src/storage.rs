//! The user agent's storage-time checks that need no cookie jar (RFC 6265bis §5.7, CHIPS,
//! layered-cookies prefixes).

use std::fmt;

use crate::prefix::{CookiePrefix, SameSite};
use crate::set_cookie::SetCookie;

/// The request a cookie arrives on: what the storage checks need to know about it.
///
/// ```
/// use cookie_attrs::RequestContext;
/// let ctx = RequestContext::secure("www.example.com").with_path("/account/settings");
/// assert!(ctx.is_secure());
/// assert_eq!(ctx.host(), "www.example.com");
/// assert_eq!(ctx.default_path(), "/account");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestContext<'a> {
    host: &'a str,
    secure: bool,
    path: &'a str,
    from_http: bool,
}

impl<'a> RequestContext<'a> {
    /// A request to `host` (canonical host name or IP address, without port) over a secure
    /// connection (https, or a host the browser trusts such as `localhost`), path `/`.
    ///
    /// ```
    /// assert!(cookie_attrs::RequestContext::secure("example.com").is_secure());
    /// ```
    #[must_use]
    pub const fn secure(host: &'a str) -> Self {
        Self {
            host,
            secure: true,
            path: "/",
            from_http: true,
        }
    }

    /// A request to `host` over a non-secure connection (plain http), path `/`.
    ///
    /// ```
    /// assert!(!cookie_attrs::RequestContext::insecure("example.com").is_secure());
    /// ```
    #[must_use]
    pub const fn insecure(host: &'a str) -> Self {
        Self {
            host,
            secure: false,
            path: "/",
            from_http: true,
        }
    }

    /// The same request with the given request-uri path (without query), used for the
    /// default-path (§5.1.4).
    ///
    /// ```
    /// let ctx = cookie_attrs::RequestContext::secure("a.example").with_path("/x/y");
    /// assert_eq!(ctx.default_path(), "/x");
    /// ```
    #[must_use]
    pub const fn with_path(mut self, path: &'a str) -> Self {
        self.path = path;
        self
    }

    /// The same context, but the cookie is set through a non-HTTP API (`document.cookie`), which
    /// cannot set `HttpOnly` cookies (§5.7 step 15).
    ///
    /// ```
    /// use cookie_attrs::{RequestContext, SetCookie, StorageRejection};
    /// let ctx = RequestContext::secure("a.example").from_script();
    /// let c = SetCookie::parse("a=b; HttpOnly").unwrap();
    /// assert_eq!(c.check_storage(&ctx), Err(StorageRejection::HttpOnlyFromScript));
    /// ```
    #[must_use]
    pub const fn from_script(mut self) -> Self {
        self.from_http = false;
        self
    }

    /// The request host.
    ///
    /// ```
    /// assert_eq!(cookie_attrs::RequestContext::secure("h.example").host(), "h.example");
    /// ```
    #[must_use]
    pub const fn host(&self) -> &'a str {
        self.host
    }

    /// Whether the request uses a secure connection.
    ///
    /// ```
    /// assert!(cookie_attrs::RequestContext::secure("h.example").is_secure());
    /// ```
    #[must_use]
    pub const fn is_secure(&self) -> bool {
        self.secure
    }

    /// The default-path of a cookie set by this request (RFC 6265bis §5.1.4).
    ///
    /// ```
    /// use cookie_attrs::RequestContext;
    /// assert_eq!(RequestContext::secure("h").with_path("/a").default_path(), "/");
    /// assert_eq!(RequestContext::secure("h").with_path("").default_path(), "/");
    /// assert_eq!(RequestContext::secure("h").with_path("/a/b/").default_path(), "/a/b");
    /// ```
    #[must_use]
    pub fn default_path(&self) -> &'a str {
        let path = self.path;
        // Step 2: empty or not starting with "/": output "/".
        if !path.starts_with('/') {
            return "/";
        }
        // Steps 3-4: up to, not including, the right-most "/" (or "/" when that is the first).
        match path.rfind('/') {
            Some(0) | None => "/",
            Some(i) => path.get(..i).unwrap_or("/"),
        }
    }
}

/// What a browser stores for an accepted cookie: the scope it applies to.
///
/// ```
/// use cookie_attrs::{RequestContext, SetCookie};
/// let c = SetCookie::parse("a=b; Domain=Example.com").unwrap();
/// let scope = c.check_storage(&RequestContext::secure("www.example.com").with_path("/x/y")).unwrap();
/// assert_eq!((scope.domain, scope.host_only, scope.path), ("example.com", false, "/x"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StorageScope<'s> {
    /// The cookie's domain: the `Domain` attribute, or the request host for host-only cookies.
    pub domain: &'s str,
    /// True when the cookie is sent only to exactly `domain` (no `Domain` attribute).
    pub host_only: bool,
    /// The cookie's path: the `Path` attribute, or the default-path.
    pub path: &'s str,
}

/// One requirement of a cookie name prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PrefixRequirement {
    /// The `Secure` attribute.
    Secure,
    /// No `Domain` attribute (a host-only cookie).
    NoDomain,
    /// An explicit `Path=/` attribute.
    RootPath,
    /// The `HttpOnly` attribute.
    HttpOnly,
}

impl fmt::Display for PrefixRequirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Secure => "the Secure attribute",
            Self::NoDomain => "no Domain attribute",
            Self::RootPath => "an explicit Path=/",
            Self::HttpOnly => "the HttpOnly attribute",
        })
    }
}

/// Why a browser would not store a received cookie.
///
/// ```
/// use cookie_attrs::{CookiePrefix, PrefixRequirement, RequestContext, SetCookie, StorageRejection};
/// let c = SetCookie::parse("__Host-id=1; Secure").unwrap();
/// assert_eq!(
///     c.check_storage(&RequestContext::secure("example.com")),
///     Err(StorageRejection::Prefix { prefix: CookiePrefix::Host, missing: PrefixRequirement::RootPath })
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StorageRejection {
    /// §5.7 step 8: the `Domain` attribute holds a non-ASCII character.
    #[error("Domain `{domain}` contains a character outside US-ASCII")]
    DomainNotAscii {
        /// The domain attribute.
        domain: String,
    },
    /// §5.7 step 10: the request host does not domain-match the `Domain` attribute.
    #[error("request host `{host}` does not domain-match Domain `{domain}`")]
    DomainMismatch {
        /// The domain attribute.
        domain: String,
        /// The request host.
        host: String,
    },
    /// §5.7 step 13: a `Secure` cookie from a non-secure origin.
    #[error("a Secure cookie cannot be set from a non-secure origin")]
    SecureFromInsecureOrigin,
    /// §5.7 step 15: an `HttpOnly` cookie set through a non-HTTP API.
    #[error("an HttpOnly cookie cannot be set from script")]
    HttpOnlyFromScript,
    /// §5.7 step 19: `SameSite=None` without `Secure`.
    #[error("SameSite=None requires the Secure attribute")]
    SameSiteNoneWithoutSecure,
    /// CHIPS: `Partitioned` without `Secure`.
    #[error("Partitioned requires the Secure attribute")]
    PartitionedWithoutSecure,
    /// §5.7 steps 20-21, layered-cookies: the name prefix's requirement is not met.
    #[error("the {prefix} prefix requires {missing}")]
    Prefix {
        /// The prefix of the cookie name.
        prefix: CookiePrefix,
        /// The first requirement that is not met.
        missing: PrefixRequirement,
    },
    /// §5.7 step 22: a nameless cookie whose value starts with a prefix.
    #[error("a nameless cookie's value cannot start with {prefix}")]
    NamelessWithPrefixedValue {
        /// The prefix found at the start of the value.
        prefix: CookiePrefix,
    },
}

/// RFC 6265bis §5.1.3: whether `string` domain-matches `domain` (ASCII case-insensitive).
///
/// ```
/// use cookie_attrs::domain_matches;
/// assert!(domain_matches("www.example.com", "example.com"));
/// assert!(domain_matches("example.com", "EXAMPLE.com"));
/// assert!(!domain_matches("badexample.com", "example.com"));
/// assert!(!domain_matches("10.0.0.1", "0.0.1"));
/// ```
#[must_use]
pub fn domain_matches(string: &str, domain: &str) -> bool {
    // "The domain string and the string are identical."
    if string.eq_ignore_ascii_case(domain) {
        return true;
    }
    // "The domain string is a suffix of the string", "the last character of the string that is
    // not included in the domain string is a '.'", and "the string is a host name (not an IP)".
    let Some(cut) = string.len().checked_sub(domain.len()) else {
        return false;
    };
    cut > 0
        && string
            .as_bytes()
            .get(cut..)
            .is_some_and(|tail| tail.eq_ignore_ascii_case(domain.as_bytes()))
        && string.as_bytes().get(cut - 1) == Some(&b'.')
        && !is_ip_address(string)
}

fn is_ip_address(host: &str) -> bool {
    host.contains(':') || host.parse::<std::net::Ipv4Addr>().is_ok()
}

/// The first requirement of the cookie's name prefix it does not meet (§5.7 steps 20-21,
/// layered-cookies "Store a Cookie").
pub(crate) fn unmet_prefix_requirement(
    prefix: CookiePrefix,
    secure: bool,
    http_only: bool,
    has_domain: bool,
    path: Option<&str>,
) -> Option<PrefixRequirement> {
    if prefix.requires_secure() && !secure {
        Some(PrefixRequirement::Secure)
    } else if prefix.forbids_domain() && has_domain {
        Some(PrefixRequirement::NoDomain)
    } else if prefix.requires_root_path() && path != Some("/") {
        Some(PrefixRequirement::RootPath)
    } else if prefix.requires_http_only() && !http_only {
        Some(PrefixRequirement::HttpOnly)
    } else {
        None
    }
}

impl SetCookie<'_> {
    /// Runs the storage-model checks of RFC 6265bis §5.7 that need no cookie jar, in the
    /// spec's order, for a cookie received on `request`; returns the cookie's scope when a
    /// browser would store it, or the first reason it would not.
    ///
    /// Not checked (they need a jar or a list): overwriting a `Secure` cookie from a non-secure
    /// origin (step 16), the public suffix list (step 9), the same-site context (step 18).
    ///
    /// # Errors
    /// [`StorageRejection`] says which rule makes the browser ignore the cookie.
    ///
    /// ```
    /// use cookie_attrs::{RequestContext, SetCookie, StorageRejection};
    /// let https = RequestContext::secure("example.com");
    /// let c = SetCookie::parse("id=1; SameSite=None").unwrap();
    /// assert_eq!(c.check_storage(&https), Err(StorageRejection::SameSiteNoneWithoutSecure));
    /// let c = SetCookie::parse("id=1; Secure").unwrap();
    /// assert_eq!(c.check_storage(&RequestContext::insecure("example.com")),
    ///            Err(StorageRejection::SecureFromInsecureOrigin));
    /// assert!(c.check_storage(&https).is_ok());
    /// ```
    pub fn check_storage<'s>(
        &'s self,
        request: &RequestContext<'s>,
    ) -> Result<StorageScope<'s>, StorageRejection> {
        // Step 8: "If the domain-attribute contains a character that is not in CHAR, abort".
        // Step 10: a non-empty domain-attribute must be domain-matched by the request host.
        let (domain, host_only) = match self.domain() {
            Some(domain) if !domain.is_ascii() => {
                return Err(StorageRejection::DomainNotAscii {
                    domain: domain.to_owned(),
                });
            }
            Some(domain) => {
                if !domain_matches(request.host, domain) {
                    return Err(StorageRejection::DomainMismatch {
                        domain: domain.to_owned(),
                        host: request.host.to_owned(),
                    });
                }
                (domain, false)
            }
            None => (request.host, true),
        };
        // Step 11: the Path attribute, or the default-path.
        let path = self.path().unwrap_or_else(|| request.default_path());
        // Step 13: "If the request-uri does not denote a secure connection and the cookie's
        // secure-only-flag is true, then abort".
        if self.secure() && !request.secure {
            return Err(StorageRejection::SecureFromInsecureOrigin);
        }
        // Step 15: HttpOnly from a non-HTTP API.
        if self.http_only() && !request.from_http {
            return Err(StorageRejection::HttpOnlyFromScript);
        }
        // Step 19: "If the cookie's same-site-flag is None, abort ... unless the cookie's
        // secure-only-flag is true."
        if self.same_site() == Some(SameSite::None) && !self.secure() {
            return Err(StorageRejection::SameSiteNoneWithoutSecure);
        }
        // CHIPS: "If the cookie-attribute-list does contain ... Partitioned and the
        // secure-only-flag is false, abort these steps and ignore the cookie entirely."
        if self.partitioned() && !self.secure() {
            return Err(StorageRejection::PartitionedWithoutSecure);
        }
        // Steps 20-21 and layered-cookies: prefixes, matched case-insensitively.
        if let Some(prefix) = self.prefix()
            && let Some(missing) = unmet_prefix_requirement(
                prefix,
                self.secure(),
                self.http_only(),
                !host_only,
                self.path(),
            )
        {
            return Err(StorageRejection::Prefix { prefix, missing });
        }
        // Step 22: "If the cookie-name is empty and ... the cookie-value begins with a
        // case-insensitive match for" a prefix, abort.
        if self.is_nameless()
            && let Some(prefix) = CookiePrefix::of(self.value())
        {
            return Err(StorageRejection::NamelessWithPrefixedValue { prefix });
        }
        Ok(StorageScope {
            domain,
            host_only,
            path,
        })
    }
}
