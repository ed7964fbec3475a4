//! What happens when a handler already set a header, and per-route overrides a handler returns.
//!
//! The bundle is built once; a route that needs something different does not rebuild it. The
//! handler puts a [`HeaderOverrides`] value into the response extensions (in axum: return
//! `Extension(overrides)` as part of the response), and [`SecureHeaders::apply_response`] or
//! the tower layer honours it for that one response.
//!
//! ```
//! use http::{header, HeaderValue, Response};
//! use secure_headers::{HeaderOverrides, SecureHeaders};
//!
//! let bundle = SecureHeaders::recommended().build()?;
//! // A route that must be framed by its own origin only and sends no CSP.
//! let overrides = HeaderOverrides::new()
//!     .replace(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"))
//!     .skip(header::CONTENT_SECURITY_POLICY);
//! let mut response = Response::new(());
//! response.extensions_mut().insert(overrides);
//! bundle.apply_response(&mut response, &bundle.context(true));
//! assert_eq!(response.headers()[header::X_FRAME_OPTIONS], "DENY");
//! assert!(!response.headers().contains_key(header::CONTENT_SECURITY_POLICY));
//! assert_eq!(response.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
//! # Ok::<(), secure_headers::BuildError>(())
//! ```
//!
//! [`SecureHeaders::apply_response`]: crate::SecureHeaders::apply_response

use std::sync::Arc;

use http::{HeaderName, HeaderValue};

use crate::bundle::CompiledCsp;

/// The rule for a header the handler (or an inner layer) already put on the response.
///
/// ```
/// use secure_headers::{OnConflict, SecureHeaders};
/// let bundle = SecureHeaders::recommended()
///     .on_conflict(http::header::REFERRER_POLICY, OnConflict::Override)
///     .build()?;
/// let mut headers = http::HeaderMap::new();
/// headers.insert(http::header::REFERRER_POLICY, http::HeaderValue::from_static("unsafe-url"));
/// bundle.apply(&mut headers);
/// assert_eq!(headers[http::header::REFERRER_POLICY], "no-referrer");
/// # Ok::<(), secure_headers::BuildError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OnConflict {
    /// Keep the handler's value (default for every header except the CSP headers): the
    /// handler knows this response best.
    Keep,
    /// Replace the handler's value with the bundle's.
    Override,
    /// Add the bundle's value as one more field line (default for `Content-Security-Policy`
    /// and `Content-Security-Policy-Report-Only`). CSP3 §3.1: the header is a list of policies
    /// and every policy in the list is enforced, so adding ours can only make the result
    /// stricter; a handler's policy can never weaken the site-wide one. Valid only for the
    /// CSP headers (list-valued headers whose members are all enforced).
    Merge,
}

/// How one response's CSP differs from the bundle's.
///
/// ```
/// use std::sync::Arc;
/// use secure_headers::{preset, CspOverride, HeaderOverrides, SecureHeaders};
///
/// let bundle = SecureHeaders::recommended().build()?;
/// let api_policy = Arc::new(preset::api_csp().compile()?);
/// let mut response = http::Response::new(());
/// response
///     .extensions_mut()
///     .insert(HeaderOverrides::new().csp(CspOverride::Replace(api_policy)));
/// bundle.apply_response(&mut response, &bundle.context(true));
/// assert_eq!(
///     response.headers()["content-security-policy"],
///     "default-src 'none'; frame-ancestors 'none'"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum CspOverride {
    /// Send no enforced `Content-Security-Policy` on this response.
    Disable,
    /// Send this policy instead of the bundle's (it gets the response's nonce if it has nonce
    /// sources).
    Replace(Arc<CompiledCsp>),
    /// Send this policy in addition to the bundle's (both enforced: stricter).
    AddPolicy(Arc<CompiledCsp>),
}

/// Per-response changes to the bundle, carried in the response extensions.
///
/// ```
/// use secure_headers::{HeaderOverrides, SecureHeaders};
/// let bundle = SecureHeaders::recommended().build()?;
/// let mut response = http::Response::new(());
/// response.extensions_mut().insert(
///     HeaderOverrides::new()
///         .skip(http::header::X_FRAME_OPTIONS)
///         .replace(http::header::REFERRER_POLICY, http::HeaderValue::from_static("same-origin")),
/// );
/// bundle.apply_response(&mut response, &bundle.context(true));
/// assert!(!response.headers().contains_key(http::header::X_FRAME_OPTIONS));
/// assert_eq!(response.headers()[http::header::REFERRER_POLICY], "same-origin");
/// # Ok::<(), secure_headers::BuildError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct HeaderOverrides {
    pub(crate) skip: Vec<HeaderName>,
    pub(crate) replace: Vec<(HeaderName, HeaderValue)>,
    pub(crate) csp: Option<CspOverride>,
    pub(crate) skip_cookie_hardening: bool,
}

impl HeaderOverrides {
    /// No changes.
    ///
    /// ```
    /// use secure_headers::{HeaderOverrides, SecureHeaders};
    /// let bundle = SecureHeaders::recommended().build()?;
    /// let ctx = bundle.context(true);
    /// let (mut plain, mut overridden) = (http::HeaderMap::new(), http::HeaderMap::new());
    /// bundle.apply_with(&mut plain, &ctx, None);
    /// bundle.apply_with(&mut overridden, &ctx, Some(&HeaderOverrides::new()));
    /// assert_eq!(plain, overridden);
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Do not set header `name` on this response (the CSP headers included).
    ///
    /// ```
    /// use secure_headers::{HeaderOverrides, SecureHeaders};
    /// let bundle = SecureHeaders::recommended().build()?;
    /// let overrides = HeaderOverrides::new().skip(http::header::CONTENT_SECURITY_POLICY);
    /// let mut headers = http::HeaderMap::new();
    /// bundle.apply_with(&mut headers, &bundle.context(true), Some(&overrides));
    /// assert!(!headers.contains_key("content-security-policy"));
    /// assert_eq!(headers["x-content-type-options"], "nosniff");
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn skip(mut self, name: HeaderName) -> Self {
        self.skip.push(name);
        self
    }

    /// Send `value` for header `name` instead of the bundle's value (same conflict rule).
    ///
    /// ```
    /// use http::{header::X_FRAME_OPTIONS, HeaderValue};
    /// use secure_headers::{HeaderOverrides, SecureHeaders};
    /// let bundle = SecureHeaders::recommended().build()?;
    /// let overrides = HeaderOverrides::new().replace(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    /// let mut headers = http::HeaderMap::new();
    /// bundle.apply_with(&mut headers, &bundle.context(true), Some(&overrides));
    /// assert_eq!(headers[X_FRAME_OPTIONS], "DENY");
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn replace(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.replace.retain(|(n, _)| *n != name);
        self.replace.push((name, value));
        self
    }

    /// Change this response's enforced CSP.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use secure_headers::{preset, CspOverride, HeaderOverrides, SecureHeaders};
    /// let bundle = SecureHeaders::recommended().build()?;
    /// let extra = Arc::new(preset::api_csp().compile()?);
    /// let overrides = HeaderOverrides::new().csp(CspOverride::AddPolicy(extra));
    /// let mut headers = http::HeaderMap::new();
    /// bundle.apply_with(&mut headers, &bundle.context(true), Some(&overrides));
    /// // Both policies are sent, as two field lines; the browser enforces both.
    /// assert_eq!(headers.get_all("content-security-policy").iter().count(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn csp(mut self, csp: CspOverride) -> Self {
        self.csp = Some(csp);
        self
    }

    /// Leave this response's `Set-Cookie` headers as the handler wrote them.
    ///
    /// ```
    /// use http::{header::SET_COOKIE, HeaderValue};
    /// use secure_headers::{HeaderOverrides, SecureHeaders};
    /// let bundle = SecureHeaders::builder()
    ///     .harden_cookies(cookie_attrs::CookiePolicy::default())
    ///     .build()?;
    /// let mut headers = http::HeaderMap::new();
    /// headers.append(SET_COOKIE, HeaderValue::from_static("theme=dark"));
    /// let overrides = HeaderOverrides::new().skip_cookie_hardening();
    /// bundle.apply_with(&mut headers, &bundle.context(true), Some(&overrides));
    /// assert_eq!(headers[SET_COOKIE], "theme=dark");
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn skip_cookie_hardening(mut self) -> Self {
        self.skip_cookie_hardening = true;
        self
    }

    pub(crate) fn skips(&self, name: &HeaderName) -> bool {
        self.skip.iter().any(|n| n == name)
    }

    pub(crate) fn replacement(&self, name: &HeaderName) -> Option<&HeaderValue> {
        self.replace.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }
}
