//! Presets: documented starting points for the bundle.
//!
//! Each preset returns a [`SecureHeadersBuilder`], so any part can be replaced
//! ([`SecureHeadersBuilder::header`], [`SecureHeadersBuilder::csp`], …) or turned off
//! ([`SecureHeadersBuilder::disable`]) before [`SecureHeadersBuilder::build`].
//!
//! ```
//! use http::{header, HeaderMap};
//! use secure_headers::SecureHeaders;
//!
//! let bundle = SecureHeaders::recommended()
//!     .disable(header::X_FRAME_OPTIONS)
//!     .build()?;
//! let mut headers = HeaderMap::new();
//! bundle.apply(&mut headers);
//! assert!(!headers.contains_key(header::X_FRAME_OPTIONS));
//! assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
//! assert!(headers.contains_key(header::STRICT_TRANSPORT_SECURITY));
//! # Ok::<(), secure_headers::BuildError>(())
//! ```

use http::header::{self, HeaderName, HeaderValue};

use crate::bundle::{Csp, SecureHeaders, SecureHeadersBuilder};

/// `Cross-Origin-Opener-Policy`.
pub(crate) const COOP: HeaderName = HeaderName::from_static("cross-origin-opener-policy");
/// `Cross-Origin-Embedder-Policy`.
pub(crate) const COEP: HeaderName = HeaderName::from_static("cross-origin-embedder-policy");
/// `Cross-Origin-Resource-Policy`.
pub(crate) const CORP: HeaderName = HeaderName::from_static("cross-origin-resource-policy");
/// `Origin-Agent-Cluster`.
pub(crate) const ORIGIN_AGENT_CLUSTER: HeaderName = HeaderName::from_static("origin-agent-cluster");
/// `X-DNS-Prefetch-Control`.
pub(crate) const X_DNS_PREFETCH_CONTROL: HeaderName =
    HeaderName::from_static("x-dns-prefetch-control");
/// `X-Download-Options`.
pub(crate) const X_DOWNLOAD_OPTIONS: HeaderName = HeaderName::from_static("x-download-options");
/// `X-Permitted-Cross-Domain-Policies`.
pub(crate) const X_PERMITTED_CROSS_DOMAIN_POLICIES: HeaderName =
    HeaderName::from_static("x-permitted-cross-domain-policies");
/// `Permissions-Policy`.
pub(crate) const PERMISSIONS_POLICY: HeaderName = HeaderName::from_static("permissions-policy");
/// `X-Powered-By`.
pub(crate) const X_POWERED_BY: HeaderName = HeaderName::from_static("x-powered-by");

/// The Permissions-Policy of [`SecureHeaders::strict`]: every powerful feature off for all
/// origins (an empty allowlist `()` disables a feature, W3C Permissions Policy §5).
///
/// ```
/// use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
/// use secure_headers::{preset::STRICT_PERMISSIONS_POLICY, SecureHeaders};
/// let bundle = SecureHeaders::strict().build()?;
/// let mut headers = http::HeaderMap::new();
/// bundle.apply(&mut headers);
/// assert_eq!(headers["permissions-policy"], STRICT_PERMISSIONS_POLICY);
/// let policy: PermissionsPolicy = STRICT_PERMISSIONS_POLICY.parse()?;
/// assert!(policy.get(&Feature::CAMERA).is_some_and(|d| d.allowlist.is_none()));
/// assert!(policy.directives().iter().all(|d| d.allowlist.is_none()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const STRICT_PERMISSIONS_POLICY: &str = "accelerometer=(), autoplay=(), camera=(), \
     display-capture=(), encrypted-media=(), fullscreen=(), geolocation=(), gyroscope=(), \
     hid=(), magnetometer=(), microphone=(), midi=(), payment=(), picture-in-picture=(), \
     publickey-credentials-get=(), screen-wake-lock=(), serial=(), sync-xhr=(), usb=(), \
     web-share=(), xr-spatial-tracking=()";

/// helmet 8's default Content-Security-Policy, directive by directive.
fn helmet_csp() -> Csp {
    Csp::new()
        .directive("default-src", ["'self'"])
        .directive("base-uri", ["'self'"])
        .directive("font-src", ["'self'", "https:", "data:"])
        .directive("form-action", ["'self'"])
        .directive("frame-ancestors", ["'self'"])
        .directive("img-src", ["'self'", "data:"])
        .directive("object-src", ["'none'"])
        .directive("script-src", ["'self'"])
        .directive("script-src-attr", ["'none'"])
        .directive("style-src", ["'self'", "https:", "'unsafe-inline'"])
        .directive("upgrade-insecure-requests", [""; 0])
}

/// The strict, nonce-based policy of [`SecureHeaders::strict`] (and of
/// [`SecureHeadersBuilder::strict_csp`]).
///
/// ```
/// let csp = secure_headers::preset::strict_csp().compile()?;
/// let nonce = secure_headers::CspNonce::from_random_bytes([1; 16]);
/// assert_eq!(
///     csp.render(Some(&nonce)),
///     "default-src 'self'; script-src 'nonce-AQEBAQEBAQEBAQEBAQEBAQ==' 'strict-dynamic'; \
///      style-src 'nonce-AQEBAQEBAQEBAQEBAQEBAQ==' 'self'; object-src 'none'; base-uri 'none'; \
///      form-action 'self'; frame-ancestors 'none'; upgrade-insecure-requests"
/// );
/// # Ok::<(), secure_headers::CspError>(())
/// ```
#[must_use]
pub fn strict_csp() -> Csp {
    Csp::new()
        .directive("default-src", ["'self'"])
        .directive("script-src", ["'strict-dynamic'"])
        .with_nonce("script-src")
        .directive("style-src", ["'self'"])
        .with_nonce("style-src")
        .directive("object-src", ["'none'"])
        .directive("base-uri", ["'none'"])
        .directive("form-action", ["'self'"])
        .directive("frame-ancestors", ["'none'"])
        .directive("upgrade-insecure-requests", [""; 0])
}

/// The policy of [`SecureHeaders::api`]: nothing may load, nothing may frame the response.
///
/// ```
/// let csp = secure_headers::preset::api_csp();
/// assert!(!csp.uses_nonce());
/// assert_eq!(
///     csp.compile()?.render(None),
///     "default-src 'none'; frame-ancestors 'none'"
/// );
/// # Ok::<(), secure_headers::CspError>(())
/// ```
#[must_use]
pub fn api_csp() -> Csp {
    Csp::new()
        .directive("default-src", ["'none'"])
        .directive("frame-ancestors", ["'none'"])
}

impl SecureHeadersBuilder {
    /// Replaces the CSP with the strict nonce-based policy of [`strict_csp`].
    ///
    /// ```
    /// let bundle = secure_headers::SecureHeaders::recommended().strict_csp().build()?;
    /// assert!(bundle.uses_nonce());
    /// let csp = bundle.value(&http::header::CONTENT_SECURITY_POLICY).unwrap();
    /// assert!(csp.to_str().unwrap().contains("'strict-dynamic'"));
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn strict_csp(self) -> Self {
        self.csp(strict_csp())
    }
}

impl SecureHeaders {
    /// Every header helmet 8 sends by default, with the same values (none weaker).
    ///
    /// helmet 8.1's documented defaults (README of helmet 8.1.0 and helmetjs.github.io; HSTS
    /// raised to one year in helmet 8, helmetjs/helmet#457) are the source of each value:
    ///
    /// | header | value |
    /// |---|---|
    /// | `Content-Security-Policy` | `default-src 'self'; base-uri 'self'; font-src 'self' https: data:; form-action 'self'; frame-ancestors 'self'; img-src 'self' data:; object-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self' https: 'unsafe-inline'; upgrade-insecure-requests` |
    /// | `Cross-Origin-Opener-Policy` | `same-origin` |
    /// | `Cross-Origin-Resource-Policy` | `same-origin` |
    /// | `Origin-Agent-Cluster` | `?1` |
    /// | `Referrer-Policy` | `no-referrer` |
    /// | `Strict-Transport-Security` | `max-age=31536000; includeSubDomains` (HTTPS responses only) |
    /// | `X-Content-Type-Options` | `nosniff` |
    /// | `X-DNS-Prefetch-Control` | `off` |
    /// | `X-Download-Options` | `noopen` |
    /// | `X-Frame-Options` | `SAMEORIGIN` |
    /// | `X-Permitted-Cross-Domain-Policies` | `none` |
    /// | `X-XSS-Protection` | `0` (turns off the legacy XSS auditor, which itself enabled attacks) |
    /// | removed | `X-Powered-By` |
    ///
    /// The policy is written with `"; "` between directives where helmet writes `";"`; both
    /// parse identically (CSP3 §2.2.1 strips whitespace around directives). For a nonce-based
    /// policy call [`SecureHeadersBuilder::strict_csp`] on the result.
    ///
    /// ```
    /// let bundle = secure_headers::SecureHeaders::recommended().build()?;
    /// let mut headers = http::HeaderMap::new();
    /// bundle.apply(&mut headers);
    /// assert_eq!(headers.len(), 12);
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn recommended() -> SecureHeadersBuilder {
        SecureHeadersBuilder::new()
            .csp(helmet_csp())
            .header(COOP, HeaderValue::from_static("same-origin"))
            .header(CORP, HeaderValue::from_static("same-origin"))
            .header(ORIGIN_AGENT_CLUSTER, HeaderValue::from_static("?1"))
            .header(
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            )
            .hsts_value(HeaderValue::from_static(
                "max-age=31536000; includeSubDomains",
            ))
            .header(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            )
            .header(X_DNS_PREFETCH_CONTROL, HeaderValue::from_static("off"))
            .header(X_DOWNLOAD_OPTIONS, HeaderValue::from_static("noopen"))
            .header(
                header::X_FRAME_OPTIONS,
                HeaderValue::from_static("SAMEORIGIN"),
            )
            .header(
                X_PERMITTED_CROSS_DOMAIN_POLICIES,
                HeaderValue::from_static("none"),
            )
            .header(header::X_XSS_PROTECTION, HeaderValue::from_static("0"))
            .remove_header(X_POWERED_BY)
    }

    /// The OWASP Secure Headers Project recommendations, with a strict nonce-based CSP.
    ///
    /// | header | value |
    /// |---|---|
    /// | `Content-Security-Policy` | `default-src 'self'; script-src 'nonce-…' 'strict-dynamic'; style-src 'nonce-…' 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; upgrade-insecure-requests` (fresh nonce per response) |
    /// | `Cross-Origin-Embedder-Policy` | `require-corp` |
    /// | `Cross-Origin-Opener-Policy` | `same-origin` |
    /// | `Cross-Origin-Resource-Policy` | `same-origin` |
    /// | `Origin-Agent-Cluster` | `?1` |
    /// | `Permissions-Policy` | [`STRICT_PERMISSIONS_POLICY`] (every powerful feature off) |
    /// | `Referrer-Policy` | `no-referrer` |
    /// | `Strict-Transport-Security` | `max-age=31536000; includeSubDomains` (HTTPS responses only; add `preload` yourself once the whole domain is HTTPS-only) |
    /// | `X-Content-Type-Options` | `nosniff` |
    /// | `X-DNS-Prefetch-Control` | `off` |
    /// | `X-Frame-Options` | `DENY` |
    /// | `X-Permitted-Cross-Domain-Policies` | `none` |
    /// | `X-XSS-Protection` | `0` |
    /// | `Cache-Control` | `no-store, max-age=0` |
    /// | removed | `Server`, `X-Powered-By`, `X-AspNet-Version`, `X-AspNetMvc-Version` |
    ///
    /// ```
    /// let bundle = secure_headers::SecureHeaders::strict().build()?;
    /// assert!(bundle.uses_nonce());
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn strict() -> SecureHeadersBuilder {
        SecureHeadersBuilder::new()
            .csp(strict_csp())
            .header(COEP, HeaderValue::from_static("require-corp"))
            .header(COOP, HeaderValue::from_static("same-origin"))
            .header(CORP, HeaderValue::from_static("same-origin"))
            .header(ORIGIN_AGENT_CLUSTER, HeaderValue::from_static("?1"))
            .header(
                PERMISSIONS_POLICY,
                HeaderValue::from_static(STRICT_PERMISSIONS_POLICY),
            )
            .header(
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            )
            .hsts_value(HeaderValue::from_static(
                "max-age=31536000; includeSubDomains",
            ))
            .header(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            )
            .header(X_DNS_PREFETCH_CONTROL, HeaderValue::from_static("off"))
            .header(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"))
            .header(
                X_PERMITTED_CROSS_DOMAIN_POLICIES,
                HeaderValue::from_static("none"),
            )
            .header(header::X_XSS_PROTECTION, HeaderValue::from_static("0"))
            .header(
                header::CACHE_CONTROL,
                HeaderValue::from_static("no-store, max-age=0"),
            )
            .remove_header(header::SERVER)
            .remove_header(X_POWERED_BY)
            .remove_header(HeaderName::from_static("x-aspnet-version"))
            .remove_header(HeaderName::from_static("x-aspnetmvc-version"))
    }

    /// For JSON APIs: nothing in a response may load or be framed, nothing is cached.
    ///
    /// | header | value |
    /// |---|---|
    /// | `Content-Security-Policy` | `default-src 'none'; frame-ancestors 'none'` |
    /// | `Cache-Control` | `no-store` |
    /// | `Cross-Origin-Opener-Policy` | `same-origin` |
    /// | `Cross-Origin-Resource-Policy` | `same-origin` |
    /// | `Referrer-Policy` | `no-referrer` |
    /// | `Strict-Transport-Security` | `max-age=31536000; includeSubDomains` (HTTPS responses only) |
    /// | `X-Content-Type-Options` | `nosniff` |
    /// | `X-Frame-Options` | `DENY` |
    /// | `X-Permitted-Cross-Domain-Policies` | `none` |
    /// | removed | `Server`, `X-Powered-By` |
    ///
    /// ```
    /// let bundle = secure_headers::SecureHeaders::api().build()?;
    /// let mut headers = http::HeaderMap::new();
    /// bundle.apply(&mut headers);
    /// assert_eq!(headers["content-security-policy"], "default-src 'none'; frame-ancestors 'none'");
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn api() -> SecureHeadersBuilder {
        SecureHeadersBuilder::new()
            .csp(api_csp())
            .header(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))
            .header(COOP, HeaderValue::from_static("same-origin"))
            .header(CORP, HeaderValue::from_static("same-origin"))
            .header(
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            )
            .hsts_value(HeaderValue::from_static(
                "max-age=31536000; includeSubDomains",
            ))
            .header(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            )
            .header(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"))
            .header(
                X_PERMITTED_CROSS_DOMAIN_POLICIES,
                HeaderValue::from_static("none"),
            )
            .remove_header(header::SERVER)
            .remove_header(X_POWERED_BY)
    }
}
