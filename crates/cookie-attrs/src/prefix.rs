//! Cookie name prefixes: `__Secure-`, `__Host-` (RFC 6265bis §4.1.3, §5.7 steps 20-22) and
//! `__Http-`, `__Host-Http-` (draft-ietf-httpbis-layered-cookies §4.1.3.3-4).

use std::fmt;

/// `SameSite` enforcement a cookie asks for (RFC 6265bis §4.1.2.7).
///
/// Ordered from weakest to strongest: `None < Lax < Strict`.
///
/// ```
/// use cookie_attrs::SameSite;
/// assert_eq!("lax".parse::<SameSite>().unwrap(), SameSite::Lax);
/// assert!(SameSite::Strict > SameSite::Lax);
/// assert_eq!(SameSite::None.to_string(), "None");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum SameSite {
    /// Sent with cross-site requests too; requires `Secure`.
    None,
    /// Sent with same-site requests and cross-site top-level navigations with a safe method.
    Lax,
    /// Sent with same-site requests only.
    Strict,
}

impl SameSite {
    /// The attribute value, in the case servers should send.
    ///
    /// ```
    /// assert_eq!(cookie_attrs::SameSite::Strict.as_str(), "Strict");
    /// ```
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::None => "None",
            Self::Lax => "Lax",
            Self::Strict => "Strict",
        }
    }

    /// RFC 6265bis §5.6.7: a case-insensitive match for `None`, `Strict` or `Lax`; anything else
    /// means "Default" enforcement, returned here as `None`.
    pub(crate) fn from_attribute_value(value: &str) -> Option<Self> {
        if value.eq_ignore_ascii_case("strict") {
            Some(Self::Strict)
        } else if value.eq_ignore_ascii_case("lax") {
            Some(Self::Lax)
        } else if value.eq_ignore_ascii_case("none") {
            Some(Self::None)
        } else {
            None
        }
    }

    pub(crate) const fn to_cookie(self) -> cookie::SameSite {
        match self {
            Self::None => cookie::SameSite::None,
            Self::Lax => cookie::SameSite::Lax,
            Self::Strict => cookie::SameSite::Strict,
        }
    }

    pub(crate) const fn from_cookie(value: cookie::SameSite) -> Self {
        match value {
            cookie::SameSite::None => Self::None,
            cookie::SameSite::Lax => Self::Lax,
            cookie::SameSite::Strict => Self::Strict,
        }
    }
}

impl fmt::Display for SameSite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error returned when parsing a [`SameSite`] from a string that is not `Strict`, `Lax` or
/// `None` (case-insensitive).
///
/// ```
/// assert!("sometimes".parse::<cookie_attrs::SameSite>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a SameSite value (expected Strict, Lax or None)")]
pub struct InvalidSameSite(pub String);

impl std::str::FromStr for SameSite {
    type Err = InvalidSameSite;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_attribute_value(s.trim()).ok_or_else(|| InvalidSameSite(s.to_owned()))
    }
}

/// A cookie name prefix that makes a browser enforce attributes.
///
/// Browsers match prefixes case-insensitively (RFC 6265bis §5.4), so `__HOST-id` is a
/// `__Host-` cookie.
///
/// ```
/// use cookie_attrs::CookiePrefix;
/// assert_eq!(CookiePrefix::of("__Host-Http-sid"), Some(CookiePrefix::HostHttp));
/// assert_eq!(CookiePrefix::of("__secure-id"), Some(CookiePrefix::Secure));
/// assert_eq!(CookiePrefix::of("id"), None);
/// assert!(CookiePrefix::Host.requires_root_path());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum CookiePrefix {
    /// `__Secure-`: requires `Secure`.
    Secure,
    /// `__Host-`: requires `Secure`, no `Domain`, and an explicit `Path=/`.
    Host,
    /// `__Http-`: requires `Secure` and `HttpOnly` (layered-cookies draft).
    Http,
    /// `__Host-Http-`: the `__Host-` rules plus `HttpOnly` (layered-cookies draft).
    HostHttp,
}

impl CookiePrefix {
    /// Every prefix.
    ///
    /// ```
    /// use cookie_attrs::{CookiePrefix, PrefixRequirement, RequestContext, SetCookie, StorageRejection};
    ///
    /// let https = RequestContext::secure("example.com");
    /// for prefix in CookiePrefix::ALL {
    ///     let set_cookie = format!("{prefix}id=1; Path=/");
    ///     let cookie = SetCookie::parse(&set_cookie).unwrap();
    ///     assert_eq!(cookie.prefix(), Some(prefix));
    ///     // Every prefix requires `Secure`, so a browser refuses to store this cookie.
    ///     let missing = PrefixRequirement::Secure;
    ///     assert_eq!(cookie.check_storage(&https), Err(StorageRejection::Prefix { prefix, missing }));
    /// }
    /// ```
    pub const ALL: [Self; 4] = [Self::Secure, Self::Host, Self::Http, Self::HostHttp];

    /// The prefix in the exact case servers should use (`__Host-Http-`, ...).
    ///
    /// ```
    /// assert_eq!(cookie_attrs::CookiePrefix::Http.as_str(), "__Http-");
    /// ```
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Secure => "__Secure-",
            Self::Host => "__Host-",
            Self::Http => "__Http-",
            Self::HostHttp => "__Host-Http-",
        }
    }

    /// The prefix a browser sees at the start of `name` (case-insensitive), the most specific
    /// one when several match (`__Host-Http-x` is [`CookiePrefix::HostHttp`], which also carries
    /// every `__Host-` rule).
    ///
    /// ```
    /// use cookie_attrs::CookiePrefix;
    /// assert_eq!(CookiePrefix::of("__HOST-x"), Some(CookiePrefix::Host));
    /// ```
    #[must_use]
    pub fn of(name: &str) -> Option<Self> {
        let starts = |p: Self| {
            name.as_bytes()
                .get(..p.as_str().len())
                .is_some_and(|head| head.eq_ignore_ascii_case(p.as_str().as_bytes()))
        };
        if starts(Self::HostHttp) {
            Some(Self::HostHttp)
        } else if starts(Self::Host) {
            Some(Self::Host)
        } else if starts(Self::Http) {
            Some(Self::Http)
        } else if starts(Self::Secure) {
            Some(Self::Secure)
        } else {
            None
        }
    }

    /// Whether `name` starts with this prefix in exactly the case servers should use.
    ///
    /// ```
    /// use cookie_attrs::CookiePrefix;
    /// assert!(CookiePrefix::Host.is_exact_case_in("__Host-id"));
    /// assert!(!CookiePrefix::Host.is_exact_case_in("__host-id"));
    /// ```
    #[must_use]
    pub fn is_exact_case_in(self, name: &str) -> bool {
        name.starts_with(self.as_str())
    }

    /// Every prefix requires `Secure`.
    ///
    /// ```
    /// assert!(cookie_attrs::CookiePrefix::Secure.requires_secure());
    /// ```
    #[must_use]
    pub const fn requires_secure(self) -> bool {
        true
    }

    /// `__Host-` and `__Host-Http-` forbid a (non-empty) `Domain` attribute.
    ///
    /// ```
    /// assert!(cookie_attrs::CookiePrefix::HostHttp.forbids_domain());
    /// ```
    #[must_use]
    pub const fn forbids_domain(self) -> bool {
        matches!(self, Self::Host | Self::HostHttp)
    }

    /// `__Host-` and `__Host-Http-` require an explicit `Path=/`.
    ///
    /// ```
    /// assert!(!cookie_attrs::CookiePrefix::Http.requires_root_path());
    /// ```
    #[must_use]
    pub const fn requires_root_path(self) -> bool {
        matches!(self, Self::Host | Self::HostHttp)
    }

    /// `__Http-` and `__Host-Http-` require `HttpOnly`.
    ///
    /// Note: the layered-cookies draft defines "Http-prefix compatible" as "http-only is
    /// false", which contradicts its own server-side section (§4.1.3.3: "will have been set
    /// with ... an `HttpOnly` attribute") and the purpose of the prefix; we follow the latter.
    ///
    /// ```
    /// assert!(cookie_attrs::CookiePrefix::Http.requires_http_only());
    /// ```
    #[must_use]
    pub const fn requires_http_only(self) -> bool {
        matches!(self, Self::Http | Self::HostHttp)
    }
}

impl fmt::Display for CookiePrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
