//! A framework-agnostic CORS policy (Fetch §3.2 "CORS protocol"): decide, per request, which
//! `Access-Control-*` headers to send, and answer preflights.
//!
//! Everything that does not depend on the request (method list, header lists, max-age, `Vary`)
//! is serialized once, when the policy is built; answering a request clones pre-built
//! [`HeaderValue`]s (reference-counted) and, for an allowed origin, the request's own `Origin`
//! value.
//!
//! ```
//! use http::{header, HeaderMap, Method};
//! use secure_headers::cors::{CorsDecision, CorsPolicy};
//!
//! let cors = CorsPolicy::builder()
//!     .allow_origin("https://app.example")
//!     .allow_origin("https://*.tenant.example")
//!     .allow_credentials()
//!     .allow_methods([Method::GET, Method::PUT])
//!     .allow_headers(["content-type", "x-csrf-token"])
//!     .max_age(600)
//!     .build()?;
//!
//! let mut request = HeaderMap::new();
//! request.insert(header::ORIGIN, "https://a.tenant.example".parse().unwrap());
//! request.insert(header::ACCESS_CONTROL_REQUEST_METHOD, "PUT".parse().unwrap());
//! request.insert(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type".parse().unwrap());
//!
//! let CorsDecision::Preflight(answer) = cors.evaluate(&Method::OPTIONS, &request) else { panic!() };
//! assert_eq!(answer.status(), http::StatusCode::NO_CONTENT);
//! assert_eq!(answer.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN], "https://a.tenant.example");
//! assert_eq!(answer.headers()[header::ACCESS_CONTROL_ALLOW_CREDENTIALS], "true");
//! assert_eq!(answer.headers()[header::ACCESS_CONTROL_ALLOW_METHODS], "GET, PUT");
//! # Ok::<(), secure_headers::cors::CorsError>(())
//! ```

use http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE,
    ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN, VARY,
};
use http::{HeaderMap, HeaderName, HeaderValue, Method, Response, StatusCode};

use crate::origin::{OriginError, OriginPattern, SubdomainPattern, parse_canonical};

/// `Access-Control-Request-Private-Network` (Private Network Access draft).
///
/// ```
/// use http::{header, HeaderMap};
/// use secure_headers::cors::{CorsPolicy, PreflightRejection, REQUEST_PRIVATE_NETWORK};
/// let mut request = HeaderMap::new();
/// request.insert(header::ORIGIN, "https://a.example".parse()?);
/// request.insert(header::ACCESS_CONTROL_REQUEST_METHOD, "GET".parse()?);
/// request.insert(REQUEST_PRIVATE_NETWORK, "true".parse()?);
/// let cors = CorsPolicy::builder().allow_origin("https://a.example").build()?;
/// assert_eq!(
///     cors.preflight(&request).unwrap_err(),
///     PreflightRejection::PrivateNetworkNotAllowed
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const REQUEST_PRIVATE_NETWORK: HeaderName =
    HeaderName::from_static("access-control-request-private-network");
/// `Access-Control-Allow-Private-Network` (Private Network Access draft).
///
/// ```
/// use http::{header, HeaderMap};
/// use secure_headers::cors::{CorsPolicy, ALLOW_PRIVATE_NETWORK, REQUEST_PRIVATE_NETWORK};
/// let cors = CorsPolicy::builder()
///     .allow_origin("https://a.example")
///     .allow_private_network()
///     .build()?;
/// let mut request = HeaderMap::new();
/// request.insert(header::ORIGIN, "https://a.example".parse()?);
/// request.insert(header::ACCESS_CONTROL_REQUEST_METHOD, "GET".parse()?);
/// // Sent only when the preflight asks for private-network access.
/// assert!(!cors.preflight(&request)?.headers().contains_key(ALLOW_PRIVATE_NETWORK));
/// request.insert(REQUEST_PRIVATE_NETWORK, "true".parse()?);
/// assert_eq!(cors.preflight(&request)?.headers()[ALLOW_PRIVATE_NETWORK], "true");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const ALLOW_PRIVATE_NETWORK: HeaderName =
    HeaderName::from_static("access-control-allow-private-network");

/// At most this many names are read from `Access-Control-Request-Headers`; a preflight asking
/// for more is rejected.
///
/// ```
/// use http::{header, HeaderMap};
/// use secure_headers::cors::{CorsPolicy, PreflightRejection, MAX_REQUEST_HEADERS};
/// let cors = CorsPolicy::builder()
///     .allow_origin("https://a.example")
///     .allow_any_header()
///     .build()?;
/// let preflight_asking_for = |n: usize| -> Result<HeaderMap, http::header::InvalidHeaderValue> {
///     let names: Vec<String> = (0..n).map(|i| format!("x-h{i}")).collect();
///     let mut request = HeaderMap::new();
///     request.insert(header::ORIGIN, "https://a.example".parse()?);
///     request.insert(header::ACCESS_CONTROL_REQUEST_METHOD, "GET".parse()?);
///     request.insert(header::ACCESS_CONTROL_REQUEST_HEADERS, names.join(", ").parse()?);
///     Ok(request)
/// };
/// assert!(cors.preflight(&preflight_asking_for(MAX_REQUEST_HEADERS)?).is_ok());
/// assert_eq!(
///     cors.preflight(&preflight_asking_for(MAX_REQUEST_HEADERS + 1)?).unwrap_err(),
///     PreflightRejection::InvalidRequestHeaders
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const MAX_REQUEST_HEADERS: usize = 64;

/// Why a CORS policy cannot be built.
///
/// ```
/// use secure_headers::cors::{CorsError, CorsPolicy};
///
/// assert!(matches!(
///     CorsPolicy::builder().allow_origin("https://a.example/").build(),
///     Err(CorsError::InvalidOrigin { .. })
/// ));
/// assert_eq!(
///     CorsPolicy::builder().allow_null_origin().allow_credentials().build().unwrap_err(),
///     CorsError::NullOriginWithCredentials
/// );
/// assert_eq!(
///     CorsPolicy::builder()
///         .allow_origin("https://a.example")
///         .allow_credentials()
///         .allow_any_method()
///         .build()
///         .unwrap_err(),
///     CorsError::WildcardWithCredentials("Access-Control-Allow-Methods")
/// );
/// assert_eq!(
///     CorsPolicy::builder().allow_any_origin().allow_origin("https://a.example").build().unwrap_err(),
///     CorsError::AnyOriginWithNamedOrigins
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CorsError {
    /// An allowed origin is not a serialized origin or a valid `scheme://*.parent` pattern.
    #[error("invalid allowed origin `{origin}`: {error}")]
    InvalidOrigin {
        /// The text given.
        origin: String,
        /// Why.
        error: OriginError,
    },
    /// `allow_any_origin()` with credentials: browsers refuse `*` with credentials, and
    /// reflecting every origin instead would let any site read credentialed responses.
    #[error("any origin (`*`) cannot be combined with credentials")]
    AnyOriginWithCredentials,
    /// `allow_null_origin()` with credentials: sandboxed iframes, `data:` URLs and local files
    /// of *any* site send `Origin: null`, so this is the same as allowing every origin.
    #[error("the `null` origin cannot be allowed with credentials")]
    NullOriginWithCredentials,
    /// A `*` method/header list with credentials: Fetch reads `*` literally when credentials
    /// are included, so the policy would not do what it says.
    #[error("`{0}: *` has no wildcard meaning with credentials; list the names")]
    WildcardWithCredentials(&'static str),
    /// `allow_any_origin()` together with named origins.
    #[error("allow_any_origin() cannot be combined with named origins")]
    AnyOriginWithNamedOrigins,
    /// A header name is not an RFC 9110 token.
    #[error("`{0}` is not a valid header name")]
    InvalidHeaderName(String),
    /// A method name (in [`CorsConfig::allowed_methods`]) is not an RFC 9110 token.
    #[error("`{0}` is not a valid method name")]
    InvalidMethod(String),
}

/// Why a preflight is refused. The browser then fails the request; the response should carry
/// no `Access-Control-Allow-*` header.
///
/// ```
/// use http::{HeaderName, Method};
/// use secure_headers::cors::{CorsPolicy, PreflightRejection};
/// # fn headers(pairs: &[(&'static str, &'static str)]) -> http::HeaderMap {
/// #     let mut map = http::HeaderMap::new();
/// #     for (name, value) in pairs {
/// #         map.append(*name, http::HeaderValue::from_static(value));
/// #     }
/// #     map
/// # }
///
/// let cors = CorsPolicy::builder().allow_origin("https://a.example").build()?;
/// let from = |origin, method| {
///     headers(&[("origin", origin), ("access-control-request-method", method)])
/// };
/// assert_eq!(
///     cors.preflight(&from("https://b.example", "GET")).unwrap_err(),
///     PreflightRejection::OriginNotAllowed
/// );
/// assert_eq!(
///     cors.preflight(&from("https://a.example", "PATCH")).unwrap_err(),
///     PreflightRejection::MethodNotAllowed(Method::PATCH)
/// );
/// let mut request = from("https://a.example", "POST");
/// request.insert("access-control-request-headers", "x-custom".parse().unwrap());
/// assert_eq!(
///     cors.preflight(&request).unwrap_err(),
///     PreflightRejection::HeaderNotAllowed(HeaderName::from_static("x-custom"))
/// );
/// # Ok::<(), secure_headers::cors::CorsError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PreflightRejection {
    /// The `Origin` is not allowed (or is missing, repeated or malformed).
    #[error("origin not allowed")]
    OriginNotAllowed,
    /// `Access-Control-Request-Method` is not a valid method.
    #[error("Access-Control-Request-Method is not a valid method")]
    InvalidRequestMethod,
    /// The requested method is not allowed.
    #[error("method `{0}` not allowed")]
    MethodNotAllowed(Method),
    /// `Access-Control-Request-Headers` is malformed or names more than [`MAX_REQUEST_HEADERS`].
    #[error("Access-Control-Request-Headers is malformed or too long")]
    InvalidRequestHeaders,
    /// A requested header is not allowed.
    #[error("header `{0}` not allowed")]
    HeaderNotAllowed(HeaderName),
    /// The preflight asks for private-network access and the policy does not grant it.
    #[error("private network access not allowed")]
    PrivateNetworkNotAllowed,
}

/// What to do with a request.
///
/// ```
/// use http::Method;
/// use secure_headers::cors::{CorsDecision, CorsPolicy};
/// # fn headers(pairs: &[(&'static str, &'static str)]) -> http::HeaderMap {
/// #     let mut map = http::HeaderMap::new();
/// #     for (name, value) in pairs {
/// #         map.append(*name, http::HeaderValue::from_static(value));
/// #     }
/// #     map
/// # }
///
/// let cors = CorsPolicy::builder().allow_origin("https://a.example").build()?;
/// let preflight = headers(&[
///     ("origin", "https://a.example"),
///     ("access-control-request-method", "POST"),
/// ]);
/// assert!(matches!(cors.evaluate(&Method::OPTIONS, &preflight), CorsDecision::Preflight(_)));
/// // Without `Access-Control-Request-Method`, an OPTIONS request is an ordinary request.
/// let options = headers(&[("origin", "https://a.example")]);
/// assert!(matches!(cors.evaluate(&Method::OPTIONS, &options), CorsDecision::Actual(_)));
/// let refused = headers(&[
///     ("origin", "https://evil.example"),
///     ("access-control-request-method", "POST"),
/// ]);
/// assert!(matches!(
///     cors.evaluate(&Method::OPTIONS, &refused),
///     CorsDecision::PreflightRejected(_)
/// ));
/// # Ok::<(), secure_headers::cors::CorsError>(())
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum CorsDecision {
    /// A preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) that is
    /// allowed: send this response instead of calling the handler.
    Preflight(PreflightResponse),
    /// A preflight that is refused: answer it without calling the handler, with
    /// [`RejectedPreflight::into_response`] (403 and `Vary`) or your own error.
    PreflightRejected(RejectedPreflight),
    /// A simple or actual request (or no CORS request at all): call the handler, then add
    /// these headers to its response.
    Actual(CorsResponseHeaders),
}

/// The headers for the response to a non-preflight request.
///
/// ```
/// use secure_headers::cors::CorsPolicy;
/// # fn headers(pairs: &[(&'static str, &'static str)]) -> http::HeaderMap {
/// #     let mut map = http::HeaderMap::new();
/// #     for (name, value) in pairs {
/// #         map.append(*name, http::HeaderValue::from_static(value));
/// #     }
/// #     map
/// # }
///
/// let cors = CorsPolicy::builder()
///     .allow_origin("https://a.example")
///     .allow_credentials()
///     .expose_headers(["x-request-id"])
///     .build()?;
/// let add = cors.actual(&headers(&[("origin", "https://a.example")]));
/// let mut response = http::HeaderMap::new();
/// add.apply(&mut response);
/// assert_eq!(response["access-control-allow-origin"], "https://a.example");
/// assert_eq!(response["access-control-allow-credentials"], "true");
/// assert_eq!(response["access-control-expose-headers"], "x-request-id");
/// assert_eq!(response["vary"], "origin");
/// # Ok::<(), secure_headers::cors::CorsError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct CorsResponseHeaders {
    allow_origin: Option<HeaderValue>,
    allow_credentials: bool,
    expose_headers: Option<HeaderValue>,
    vary: Option<HeaderValue>,
}

const TRUE: HeaderValue = HeaderValue::from_static("true");
const STAR: HeaderValue = HeaderValue::from_static("*");

impl CorsResponseHeaders {
    /// Whether the request's origin may read the response (an
    /// `Access-Control-Allow-Origin` will be added).
    ///
    /// ```
    /// use secure_headers::cors::CorsPolicy;
    /// # fn headers(pairs: &[(&'static str, &'static str)]) -> http::HeaderMap {
    /// #     let mut map = http::HeaderMap::new();
    /// #     for (name, value) in pairs {
    /// #         map.append(*name, http::HeaderValue::from_static(value));
    /// #     }
    /// #     map
    /// # }
    ///
    /// let cors = CorsPolicy::builder().allow_origin("https://a.example").build()?;
    /// assert!(cors.actual(&headers(&[("origin", "https://a.example")])).is_allowed());
    /// assert!(!cors.actual(&headers(&[("origin", "https://b.example")])).is_allowed());
    /// // A same-origin or non-browser request without `Origin`.
    /// assert!(!cors.actual(&headers(&[])).is_allowed());
    /// # Ok::<(), secure_headers::cors::CorsError>(())
    /// ```
    pub fn is_allowed(&self) -> bool {
        self.allow_origin.is_some()
    }

    /// The `Access-Control-Allow-Origin` value, if the origin is allowed.
    ///
    /// ```
    /// use secure_headers::cors::CorsPolicy;
    /// # fn headers(pairs: &[(&'static str, &'static str)]) -> http::HeaderMap {
    /// #     let mut map = http::HeaderMap::new();
    /// #     for (name, value) in pairs {
    /// #         map.append(*name, http::HeaderValue::from_static(value));
    /// #     }
    /// #     map
    /// # }
    ///
    /// let cors = CorsPolicy::builder().allow_origin("https://*.a.example").build()?;
    /// let add = cors.actual(&headers(&[("origin", "https://x.a.example")]));
    /// assert!(add.allow_origin().is_some_and(|v| v == "https://x.a.example"));
    /// let any = CorsPolicy::builder().allow_any_origin().build()?;
    /// let add = any.actual(&headers(&[("origin", "https://x.example")]));
    /// assert!(add.allow_origin().is_some_and(|v| v == "*"));
    /// # Ok::<(), secure_headers::cors::CorsError>(())
    /// ```
    pub fn allow_origin(&self) -> Option<&HeaderValue> {
        self.allow_origin.as_ref()
    }

    /// The `Vary` value to add, if the answer depends on the request's `Origin`.
    ///
    /// ```
    /// use secure_headers::cors::CorsPolicy;
    /// # fn headers(pairs: &[(&'static str, &'static str)]) -> http::HeaderMap {
    /// #     let mut map = http::HeaderMap::new();
    /// #     for (name, value) in pairs {
    /// #         map.append(*name, http::HeaderValue::from_static(value));
    /// #     }
    /// #     map
    /// # }
    ///
    /// let request = headers(&[("origin", "https://x.example")]);
    /// let listed = CorsPolicy::builder().allow_origin("https://a.example").build()?;
    /// assert!(listed.actual(&request).vary().is_some_and(|v| v == "origin"));
    /// // With `*` the answer is the same for every origin.
    /// let any = CorsPolicy::builder().allow_any_origin().build()?;
    /// assert!(any.actual(&request).vary().is_none());
    /// # Ok::<(), secure_headers::cors::CorsError>(())
    /// ```
    pub fn vary(&self) -> Option<&HeaderValue> {
        self.vary.as_ref()
    }

    /// Adds the headers to a response: `Access-Control-Allow-Origin`,
    /// `Access-Control-Allow-Credentials`, `Access-Control-Expose-Headers` (replacing any the
    /// handler set) and `Vary: Origin` (appended unless `Vary` already names `Origin` or `*`).
    ///
    /// ```
    /// use http::{header, HeaderMap, Method};
    /// use secure_headers::cors::{CorsDecision, CorsPolicy};
    ///
    /// let cors = CorsPolicy::builder().allow_origin("https://a.example").build()?;
    /// let mut request = HeaderMap::new();
    /// request.insert(header::ORIGIN, "https://evil.example".parse().unwrap());
    /// let CorsDecision::Actual(add) = cors.evaluate(&Method::GET, &request) else { panic!() };
    ///
    /// let mut response = HeaderMap::new();
    /// response.insert(header::VARY, "accept-encoding".parse().unwrap());
    /// add.apply(&mut response);
    /// assert!(response.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
    /// assert_eq!(response.get_all(header::VARY).iter().collect::<Vec<_>>(), ["accept-encoding", "origin"]);
    /// # Ok::<(), secure_headers::cors::CorsError>(())
    /// ```
    pub fn apply(&self, headers: &mut HeaderMap) {
        if let Some(origin) = &self.allow_origin {
            headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
            if self.allow_credentials {
                headers.insert(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
            }
            if let Some(expose) = &self.expose_headers {
                headers.insert(ACCESS_CONTROL_EXPOSE_HEADERS, expose.clone());
            }
        }
        if let Some(vary) = &self.vary {
            append_vary(headers, vary);
        }
    }
}

/// Appends `value` to `Vary` unless every token of it is already covered.
fn append_vary(headers: &mut HeaderMap, value: &HeaderValue) {
    let existing: Vec<String> = headers
        .get_all(VARY)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().to_ascii_lowercase())
        .collect();
    if existing.iter().any(|t| t == "*") {
        return;
    }
    let wanted = value.to_str().unwrap_or_default();
    let covered = wanted
        .split(',')
        .map(str::trim)
        .all(|t| existing.iter().any(|e| e == t));
    if !covered {
        headers.append(VARY, value.clone());
    }
}

/// An accepted preflight: status 204 and the `Access-Control-Allow-*` headers.
///
/// ```
/// use secure_headers::cors::CorsPolicy;
/// # fn headers(pairs: &[(&'static str, &'static str)]) -> http::HeaderMap {
/// #     let mut map = http::HeaderMap::new();
/// #     for (name, value) in pairs {
/// #         map.append(*name, http::HeaderValue::from_static(value));
/// #     }
/// #     map
/// # }
///
/// let cors = CorsPolicy::builder().allow_origin("https://a.example").max_age(600).build()?;
/// let answer = cors.preflight(&headers(&[
///     ("origin", "https://a.example"),
///     ("access-control-request-method", "POST"),
/// ])).unwrap();
/// assert_eq!(answer.status(), 204);
/// assert_eq!(answer.headers()["access-control-allow-methods"], "GET, HEAD, POST");
/// assert_eq!(answer.headers()["access-control-max-age"], "600");
/// # Ok::<(), secure_headers::cors::CorsError>(())
/// ```
#[derive(Debug, Clone)]
pub struct PreflightResponse {
    headers: HeaderMap,
}

impl PreflightResponse {
    /// `204 No Content`.
    ///
    /// ```
    /// use secure_headers::cors::CorsPolicy;
    /// # fn headers(pairs: &[(&'static str, &'static str)]) -> http::HeaderMap {
    /// #     let mut map = http::HeaderMap::new();
    /// #     for (name, value) in pairs {
    /// #         map.append(*name, http::HeaderValue::from_static(value));
    /// #     }
    /// #     map
    /// # }
    ///
    /// let cors = CorsPolicy::builder().allow_any_origin().build()?;
    /// let answer = cors.preflight(&headers(&[
    ///     ("origin", "https://a.example"),
    ///     ("access-control-request-method", "GET"),
    /// ])).unwrap();
    /// assert_eq!(answer.status(), http::StatusCode::NO_CONTENT);
    /// # Ok::<(), secure_headers::cors::CorsError>(())
    /// ```
    pub fn status(&self) -> StatusCode {
        StatusCode::NO_CONTENT
    }

    /// The response headers.
    ///
    /// ```
    /// use secure_headers::cors::CorsPolicy;
    /// # fn headers(pairs: &[(&'static str, &'static str)]) -> http::HeaderMap {
    /// #     let mut map = http::HeaderMap::new();
    /// #     for (name, value) in pairs {
    /// #         map.append(*name, http::HeaderValue::from_static(value));
    /// #     }
    /// #     map
    /// # }
    ///
    /// let cors = CorsPolicy::builder().allow_origin("https://a.example").build()?;
    /// let answer = cors.preflight(&headers(&[
    ///     ("origin", "https://a.example"),
    ///     ("access-control-request-method", "GET"),
    /// ])).unwrap();
    /// assert_eq!(answer.headers()["access-control-allow-origin"], "https://a.example");
    /// assert_eq!(
    ///     answer.headers()["vary"],
    ///     "origin, access-control-request-method, access-control-request-headers"
    /// );
    /// assert!(answer.headers().get("access-control-allow-credentials").is_none());
    /// # Ok::<(), secure_headers::cors::CorsError>(())
    /// ```
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The full response with `body` (usually empty).
    ///
    /// ```
    /// # use http::{header, HeaderMap, Method};
    /// # use secure_headers::cors::{CorsDecision, CorsPolicy};
    /// let cors = CorsPolicy::builder().allow_any_origin().allow_methods([Method::DELETE]).build()?;
    /// let mut request = HeaderMap::new();
    /// request.insert(header::ORIGIN, "https://x.example".parse().unwrap());
    /// request.insert(header::ACCESS_CONTROL_REQUEST_METHOD, "DELETE".parse().unwrap());
    /// let CorsDecision::Preflight(p) = cors.evaluate(&Method::OPTIONS, &request) else { panic!() };
    /// let response = p.into_response(());
    /// assert_eq!(response.status(), 204);
    /// assert_eq!(response.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    /// # Ok::<(), secure_headers::cors::CorsError>(())
    /// ```
    pub fn into_response<B>(self, body: B) -> Response<B> {
        let mut response = Response::new(body);
        *response.status_mut() = StatusCode::NO_CONTENT;
        *response.headers_mut() = self.headers;
        response
    }
}

/// A refused preflight: the reason, and the `Vary` header its response needs.
///
/// ```
/// use http::Method;
/// use secure_headers::cors::{CorsDecision, CorsPolicy, PreflightRejection};
/// # fn headers(pairs: &[(&'static str, &'static str)]) -> http::HeaderMap {
/// #     let mut map = http::HeaderMap::new();
/// #     for (name, value) in pairs {
/// #         map.append(*name, http::HeaderValue::from_static(value));
/// #     }
/// #     map
/// # }
///
/// let cors = CorsPolicy::builder().allow_origin("https://a.example").build()?;
/// let request = headers(&[
///     ("origin", "https://b.example"),
///     ("access-control-request-method", "GET"),
/// ]);
/// let CorsDecision::PreflightRejected(rejected) = cors.evaluate(&Method::OPTIONS, &request) else {
///     unreachable!()
/// };
/// assert_eq!(rejected.reason(), &PreflightRejection::OriginNotAllowed);
/// let response = rejected.into_response(());
/// assert_eq!(response.status(), 403);
/// assert!(response.headers().contains_key("vary"));
/// # Ok::<(), secure_headers::cors::CorsError>(())
/// ```
#[derive(Debug, Clone)]
pub struct RejectedPreflight {
    reason: PreflightRejection,
    vary: HeaderValue,
}

impl RejectedPreflight {
    /// Why it was refused.
    ///
    /// ```
    /// use http::Method;
    /// use secure_headers::cors::{CorsDecision, CorsPolicy, PreflightRejection};
    /// # fn headers(pairs: &[(&'static str, &'static str)]) -> http::HeaderMap {
    /// #     let mut map = http::HeaderMap::new();
    /// #     for (name, value) in pairs {
    /// #         map.append(*name, http::HeaderValue::from_static(value));
    /// #     }
    /// #     map
    /// # }
    ///
    /// let cors = CorsPolicy::builder().allow_origin("https://a.example").build()?;
    /// let request = headers(&[
    ///     ("origin", "https://a.example"),
    ///     ("access-control-request-method", "GET"),
    ///     ("access-control-request-private-network", "true"),
    /// ]);
    /// let CorsDecision::PreflightRejected(rejected) = cors.evaluate(&Method::OPTIONS, &request) else {
    ///     unreachable!()
    /// };
    /// assert_eq!(rejected.reason(), &PreflightRejection::PrivateNetworkNotAllowed);
    /// # Ok::<(), secure_headers::cors::CorsError>(())
    /// ```
    pub fn reason(&self) -> &PreflightRejection {
        &self.reason
    }

    /// A `403 Forbidden` response with `Vary` and no CORS headers.
    ///
    /// ```
    /// # use http::{header, HeaderMap, Method};
    /// # use secure_headers::cors::{CorsDecision, CorsPolicy, PreflightRejection};
    /// let cors = CorsPolicy::builder().allow_origin("https://a.example").build()?;
    /// let mut request = HeaderMap::new();
    /// request.insert(header::ORIGIN, "https://a.example".parse().unwrap());
    /// request.insert(header::ACCESS_CONTROL_REQUEST_METHOD, "DELETE".parse().unwrap());
    /// let CorsDecision::PreflightRejected(r) = cors.evaluate(&Method::OPTIONS, &request) else { panic!() };
    /// assert_eq!(r.reason(), &PreflightRejection::MethodNotAllowed(Method::DELETE));
    /// let response = r.into_response(());
    /// assert_eq!(response.status(), 403);
    /// assert!(response.headers().get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
    /// # Ok::<(), secure_headers::cors::CorsError>(())
    /// ```
    pub fn into_response<B>(self, body: B) -> Response<B> {
        let mut response = Response::new(body);
        *response.status_mut() = StatusCode::FORBIDDEN;
        response.headers_mut().insert(VARY, self.vary);
        response
    }
}

#[derive(Debug, Clone)]
enum AllowedOrigins {
    Any,
    Listed {
        exact: Vec<Box<str>>,
        patterns: Vec<SubdomainPattern>,
        null: bool,
    },
}

/// A validated, pre-serialized CORS policy. Build it once with [`CorsPolicy::builder`].
///
/// ```
/// use http::Method;
/// use secure_headers::cors::{CorsDecision, CorsPolicy};
/// # fn headers(pairs: &[(&'static str, &'static str)]) -> http::HeaderMap {
/// #     let mut map = http::HeaderMap::new();
/// #     for (name, value) in pairs {
/// #         map.append(*name, http::HeaderValue::from_static(value));
/// #     }
/// #     map
/// # }
///
/// let cors = CorsPolicy::builder()
///     .allow_origins(["https://app.example", "https://admin.example"])
///     .allow_methods([Method::DELETE])
///     .build()?;
/// let CorsDecision::Actual(add) = cors.evaluate(&Method::GET, &headers(&[("origin", "https://admin.example")]))
/// else {
///     unreachable!()
/// };
/// assert!(add.allow_origin().is_some_and(|v| v == "https://admin.example"));
/// # Ok::<(), secure_headers::cors::CorsError>(())
/// ```
#[derive(Debug, Clone)]
pub struct CorsPolicy {
    origins: AllowedOrigins,
    credentials: bool,
    any_method: bool,
    methods: Vec<Method>,
    any_header: bool,
    headers: Vec<HeaderName>,
    private_network: bool,
    // Pre-serialized values.
    methods_value: HeaderValue,
    allow_headers_value: Option<HeaderValue>,
    expose_value: Option<HeaderValue>,
    max_age_value: Option<HeaderValue>,
    vary_actual: Option<HeaderValue>,
    vary_preflight: HeaderValue,
}

impl CorsPolicy {
    /// Starts a builder. With no call at all, the policy allows no origin.
    ///
    /// ```
    /// # use secure_headers::cors::{CorsError, CorsPolicy};
    /// assert_eq!(
    ///     CorsPolicy::builder().allow_any_origin().allow_credentials().build().unwrap_err(),
    ///     CorsError::AnyOriginWithCredentials
    /// );
    /// ```
    pub fn builder() -> CorsPolicyBuilder {
        CorsPolicyBuilder::default()
    }

    /// Decides what to do with a request given its method and headers.
    ///
    /// ```
    /// use http::Method;
    /// use secure_headers::cors::{CorsDecision, CorsPolicy};
    /// # fn headers(pairs: &[(&'static str, &'static str)]) -> http::HeaderMap {
    /// #     let mut map = http::HeaderMap::new();
    /// #     for (name, value) in pairs {
    /// #         map.append(*name, http::HeaderValue::from_static(value));
    /// #     }
    /// #     map
    /// # }
    ///
    /// let cors = CorsPolicy::builder().allow_origin("https://a.example").build()?;
    /// let request = headers(&[("origin", "https://a.example")]);
    /// let CorsDecision::Actual(add) = cors.evaluate(&Method::POST, &request) else {
    ///     unreachable!()
    /// };
    /// assert!(add.is_allowed());
    /// // Two `Origin` lines are never allowed.
    /// let request = headers(&[("origin", "https://a.example"), ("origin", "https://a.example")]);
    /// let CorsDecision::Actual(add) = cors.evaluate(&Method::POST, &request) else {
    ///     unreachable!()
    /// };
    /// assert!(!add.is_allowed());
    /// # Ok::<(), secure_headers::cors::CorsError>(())
    /// ```
    pub fn evaluate(&self, method: &Method, headers: &HeaderMap) -> CorsDecision {
        // Fetch §3.2.2: "A CORS-preflight request is a CORS request that checks to see if the
        // CORS protocol is understood. It uses `OPTIONS` as method and includes
        // `Access-Control-Request-Method`" (and `Origin`).
        if method == Method::OPTIONS
            && headers.contains_key(ACCESS_CONTROL_REQUEST_METHOD)
            && headers.contains_key(ORIGIN)
        {
            return match self.preflight(headers) {
                Ok(p) => CorsDecision::Preflight(p),
                Err(reason) => CorsDecision::PreflightRejected(RejectedPreflight {
                    reason,
                    vary: self.vary_preflight.clone(),
                }),
            };
        }
        CorsDecision::Actual(self.actual(headers))
    }

    /// [`evaluate`](Self::evaluate) on request parts.
    ///
    /// ```
    /// # use secure_headers::cors::{CorsDecision, CorsPolicy};
    /// let cors = CorsPolicy::builder().allow_origin("https://a.example").build()?;
    /// let (parts, ()) = http::Request::get("/").header("origin", "https://a.example").body(()).unwrap().into_parts();
    /// let CorsDecision::Actual(h) = cors.evaluate_parts(&parts) else { panic!() };
    /// assert!(h.is_allowed());
    /// # Ok::<(), secure_headers::cors::CorsError>(())
    /// ```
    pub fn evaluate_parts(&self, parts: &http::request::Parts) -> CorsDecision {
        self.evaluate(&parts.method, &parts.headers)
    }

    /// The headers for a non-preflight request's response.
    ///
    /// ```
    /// use secure_headers::cors::CorsPolicy;
    /// # fn headers(pairs: &[(&'static str, &'static str)]) -> http::HeaderMap {
    /// #     let mut map = http::HeaderMap::new();
    /// #     for (name, value) in pairs {
    /// #         map.append(*name, http::HeaderValue::from_static(value));
    /// #     }
    /// #     map
    /// # }
    ///
    /// let cors = CorsPolicy::builder().allow_origin("https://a.example").allow_credentials().build()?;
    /// let mut response = http::HeaderMap::new();
    /// cors.actual(&headers(&[("origin", "https://a.example")])).apply(&mut response);
    /// assert_eq!(response["access-control-allow-origin"], "https://a.example");
    /// assert_eq!(response["access-control-allow-credentials"], "true");
    /// # Ok::<(), secure_headers::cors::CorsError>(())
    /// ```
    pub fn actual(&self, headers: &HeaderMap) -> CorsResponseHeaders {
        let allow_origin = self.match_origin(headers);
        CorsResponseHeaders {
            allow_credentials: self.credentials && allow_origin.is_some(),
            expose_headers: self.expose_value.clone(),
            vary: self.vary_actual.clone(),
            allow_origin,
        }
    }

    /// Answers a preflight (the caller has established that it is one).
    ///
    /// ```
    /// use secure_headers::cors::{CorsPolicy, PreflightRejection};
    /// # fn headers(pairs: &[(&'static str, &'static str)]) -> http::HeaderMap {
    /// #     let mut map = http::HeaderMap::new();
    /// #     for (name, value) in pairs {
    /// #         map.append(*name, http::HeaderValue::from_static(value));
    /// #     }
    /// #     map
    /// # }
    ///
    /// let cors = CorsPolicy::builder()
    ///     .allow_origin("https://a.example")
    ///     .allow_headers(["content-type"])
    ///     .build()?;
    /// let mut request = headers(&[
    ///     ("origin", "https://a.example"),
    ///     ("access-control-request-method", "POST"),
    ///     ("access-control-request-headers", "Content-Type"),
    /// ]);
    /// let answer = cors.preflight(&request).unwrap();
    /// assert_eq!(answer.headers()["access-control-allow-headers"], "content-type");
    /// request.insert("access-control-request-method", "GE T".parse().unwrap());
    /// assert_eq!(cors.preflight(&request).unwrap_err(), PreflightRejection::InvalidRequestMethod);
    /// # Ok::<(), secure_headers::cors::CorsError>(())
    /// ```
    pub fn preflight(&self, headers: &HeaderMap) -> Result<PreflightResponse, PreflightRejection> {
        let allow_origin = self
            .match_origin(headers)
            .ok_or(PreflightRejection::OriginNotAllowed)?;

        // Fetch §4.8 "CORS-preflight fetch" step 7.5: "If request's method is not in methods,
        // request's method is not a CORS-safelisted method, and request's credentials mode is
        // "include" or methods does not contain `*`, then return a network error."
        let method = single_value(headers, &ACCESS_CONTROL_REQUEST_METHOD)
            .and_then(|v| Method::from_bytes(v.as_bytes()).ok())
            .ok_or(PreflightRejection::InvalidRequestMethod)?;
        let safelisted = method == Method::GET || method == Method::HEAD || method == Method::POST;
        if !(safelisted || self.any_method || self.methods.contains(&method)) {
            return Err(PreflightRejection::MethodNotAllowed(method));
        }

        // Step 7.6-7.7: each CORS-unsafe request-header name must be a byte-case-insensitive
        // match for an allowed name, or the list is `*` (without credentials) and the name is
        // not a CORS non-wildcard request-header name (`Authorization`).
        // RFC 9110 §5.3: a recipient may combine field lines of the same name "by appending
        // each subsequent field line value to the combined field line value in order,
        // separated by a comma", so all `Access-Control-Request-Headers` lines are one list
        // and MAX_REQUEST_HEADERS counts the names of every line together.
        let mut names_read = 0usize;
        for value in headers.get_all(ACCESS_CONTROL_REQUEST_HEADERS) {
            let text = value
                .to_str()
                .map_err(|_| PreflightRejection::InvalidRequestHeaders)?;
            for name in text
                .split(',')
                .map(crate::util::trim_ows)
                .filter(|n| !n.is_empty())
            {
                names_read += 1;
                if names_read > MAX_REQUEST_HEADERS {
                    return Err(PreflightRejection::InvalidRequestHeaders);
                }
                let name = HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| PreflightRejection::InvalidRequestHeaders)?;
                let allowed = self.headers.contains(&name)
                    || (self.any_header && name != http::header::AUTHORIZATION);
                if !allowed {
                    return Err(PreflightRejection::HeaderNotAllowed(name));
                }
            }
        }

        let wants_private_network = single_value(headers, &REQUEST_PRIVATE_NETWORK)
            .is_some_and(|v| v.as_bytes() == b"true");
        if wants_private_network && !self.private_network {
            return Err(PreflightRejection::PrivateNetworkNotAllowed);
        }

        let mut out = HeaderMap::with_capacity(8);
        out.insert(ACCESS_CONTROL_ALLOW_ORIGIN, allow_origin);
        if self.credentials {
            out.insert(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
        }
        out.insert(ACCESS_CONTROL_ALLOW_METHODS, self.methods_value.clone());
        if let Some(h) = &self.allow_headers_value {
            out.insert(ACCESS_CONTROL_ALLOW_HEADERS, h.clone());
        }
        if let Some(m) = &self.max_age_value {
            out.insert(ACCESS_CONTROL_MAX_AGE, m.clone());
        }
        if wants_private_network {
            out.insert(ALLOW_PRIVATE_NETWORK, TRUE);
        }
        out.insert(VARY, self.vary_preflight.clone());
        Ok(PreflightResponse { headers: out })
    }

    /// The `Access-Control-Allow-Origin` value for the request's `Origin`, if allowed.
    fn match_origin(&self, headers: &HeaderMap) -> Option<HeaderValue> {
        // Exactly one `Origin` line, as a browser sends; anything else is not allowed.
        let value = single_value(headers, &ORIGIN)?;
        match &self.origins {
            AllowedOrigins::Any => Some(STAR),
            AllowedOrigins::Listed {
                exact,
                patterns,
                null,
            } => {
                let text = value.to_str().ok()?;
                if text == "null" {
                    return null.then(|| value.clone());
                }
                // Byte-exact comparison with the canonical serialization browsers send.
                if exact.binary_search_by(|o| (**o).cmp(text)).is_ok() {
                    return Some(value.clone());
                }
                if !patterns.is_empty() {
                    let parts = parse_canonical(text)?;
                    if patterns.iter().any(|p| p.matches_parts(&parts)) {
                        return Some(value.clone());
                    }
                }
                None
            }
        }
    }
}

fn single_value<'a>(headers: &'a HeaderMap, name: &HeaderName) -> Option<&'a HeaderValue> {
    let mut values = headers.get_all(name).iter();
    let first = values.next()?;
    values.next().is_none().then_some(first)
}

/// Builder for [`CorsPolicy`]; the first invalid input is reported by [`build`](Self::build).
///
/// ```
/// use http::Method;
/// use secure_headers::cors::{CorsError, CorsPolicy};
///
/// let cors = CorsPolicy::builder()
///     .allow_origin("https://app.example")
///     .allow_methods([Method::PUT, Method::DELETE])
///     .allow_headers(["content-type"])
///     .max_age(3600)
///     .build();
/// assert!(cors.is_ok());
/// // The first invalid input is reported.
/// assert_eq!(
///     CorsPolicy::builder().allow_headers(["bad name"]).allow_origin("x").build().unwrap_err(),
///     CorsError::InvalidHeaderName("bad name".to_owned())
/// );
/// ```
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct CorsPolicyBuilder {
    any_origin: bool,
    null_origin: bool,
    origins: Vec<OriginPattern>,
    credentials: bool,
    any_method: bool,
    methods: Vec<Method>,
    any_header: bool,
    headers: Vec<HeaderName>,
    any_expose: bool,
    expose: Vec<HeaderName>,
    max_age: Option<u32>,
    private_network: bool,
    error: Option<CorsError>,
}

impl CorsPolicyBuilder {
    /// Allows an origin (`https://a.example`) or a subdomain pattern (`https://*.a.example`,
    /// see [`OriginPattern`]).
    ///
    /// ```
    /// use secure_headers::cors::CorsPolicy;
    /// # fn headers(pairs: &[(&'static str, &'static str)]) -> http::HeaderMap {
    /// #     let mut map = http::HeaderMap::new();
    /// #     for (name, value) in pairs {
    /// #         map.append(*name, http::HeaderValue::from_static(value));
    /// #     }
    /// #     map
    /// # }
    ///
    /// let cors = CorsPolicy::builder()
    ///     .allow_origin("https://a.example")
    ///     .allow_origin("https://*.b.example")
    ///     .build()?;
    /// assert!(cors.actual(&headers(&[("origin", "https://a.example")])).is_allowed());
    /// assert!(cors.actual(&headers(&[("origin", "https://x.y.b.example")])).is_allowed());
    /// assert!(!cors.actual(&headers(&[("origin", "https://b.example")])).is_allowed());
    /// assert!(!cors.actual(&headers(&[("origin", "http://a.example")])).is_allowed());
    /// # Ok::<(), secure_headers::cors::CorsError>(())
    /// ```
    pub fn allow_origin(mut self, origin: &str) -> Self {
        match OriginPattern::parse(origin) {
            Ok(p) => {
                if !self.origins.contains(&p) {
                    self.origins.push(p);
                }
            }
            Err(error) => self.set_error(CorsError::InvalidOrigin {
                origin: origin.to_owned(),
                error,
            }),
        }
        self
    }

    /// Allows several origins or patterns.
    ///
    /// ```
    /// use secure_headers::cors::CorsPolicy;
    /// # fn headers(pairs: &[(&'static str, &'static str)]) -> http::HeaderMap {
    /// #     let mut map = http::HeaderMap::new();
    /// #     for (name, value) in pairs {
    /// #         map.append(*name, http::HeaderValue::from_static(value));
    /// #     }
    /// #     map
    /// # }
    ///
    /// let cors = CorsPolicy::builder()
    ///     .allow_origins(["https://a.example", "https://b.example:8443"])
    ///     .build()?;
    /// assert!(cors.actual(&headers(&[("origin", "https://b.example:8443")])).is_allowed());
    /// assert!(!cors.actual(&headers(&[("origin", "https://b.example")])).is_allowed());
    /// # Ok::<(), secure_headers::cors::CorsError>(())
    /// ```
    pub fn allow_origins<I, S>(self, origins: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        origins
            .into_iter()
            .fold(self, |b, o| b.allow_origin(o.as_ref()))
    }

    /// Allows every origin with `Access-Control-Allow-Origin: *` (never with credentials).
    ///
    /// ```
    /// use secure_headers::cors::{CorsError, CorsPolicy};
    /// # fn headers(pairs: &[(&'static str, &'static str)]) -> http::HeaderMap {
    /// #     let mut map = http::HeaderMap::new();
    /// #     for (name, value) in pairs {
    /// #         map.append(*name, http::HeaderValue::from_static(value));
    /// #     }
    /// #     map
    /// # }
    ///
    /// let cors = CorsPolicy::builder().allow_any_origin().build()?;
    /// let add = cors.actual(&headers(&[("origin", "https://anyone.example")]));
    /// assert!(add.allow_origin().is_some_and(|v| v == "*"));
    /// assert_eq!(
    ///     CorsPolicy::builder().allow_any_origin().allow_credentials().build().unwrap_err(),
    ///     CorsError::AnyOriginWithCredentials
    /// );
    /// # Ok::<(), secure_headers::cors::CorsError>(())
    /// ```
    pub fn allow_any_origin(mut self) -> Self {
        self.any_origin = true;
        self
    }

    /// Allows `Origin: null` (never with credentials).
    ///
    /// ```
    /// use secure_headers::cors::CorsPolicy;
    /// # fn headers(pairs: &[(&'static str, &'static str)]) -> http::HeaderMap {
    /// #     let mut map = http::HeaderMap::new();
    /// #     for (name, value) in pairs {
    /// #         map.append(*name, http::HeaderValue::from_static(value));
    /// #     }
    /// #     map
    /// # }
    ///
    /// let request = headers(&[("origin", "null")]);
    /// let cors = CorsPolicy::builder().allow_null_origin().build()?;
    /// assert!(cors.actual(&request).allow_origin().is_some_and(|v| v == "null"));
    /// let cors = CorsPolicy::builder().allow_origin("https://a.example").build()?;
    /// assert!(!cors.actual(&request).is_allowed());
    /// # Ok::<(), secure_headers::cors::CorsError>(())
    /// ```
    pub fn allow_null_origin(mut self) -> Self {
        self.null_origin = true;
        self
    }

    /// Sends `Access-Control-Allow-Credentials: true` (cookies and HTTP authentication).
    ///
    /// ```
    /// use secure_headers::cors::CorsPolicy;
    /// # fn headers(pairs: &[(&'static str, &'static str)]) -> http::HeaderMap {
    /// #     let mut map = http::HeaderMap::new();
    /// #     for (name, value) in pairs {
    /// #         map.append(*name, http::HeaderValue::from_static(value));
    /// #     }
    /// #     map
    /// # }
    ///
    /// let cors = CorsPolicy::builder().allow_origin("https://a.example").allow_credentials().build()?;
    /// let answer = cors.preflight(&headers(&[
    ///     ("origin", "https://a.example"),
    ///     ("access-control-request-method", "GET"),
    /// ])).unwrap();
    /// assert_eq!(answer.headers()["access-control-allow-credentials"], "true");
    /// # Ok::<(), secure_headers::cors::CorsError>(())
    /// ```
    pub fn allow_credentials(mut self) -> Self {
        self.credentials = true;
        self
    }

    /// The methods a preflight may ask for. `GET`, `HEAD` and `POST` are always allowed by
    /// browsers (CORS-safelisted); the default list is exactly those three.
    ///
    /// ```
    /// use http::Method;
    /// use secure_headers::cors::{CorsPolicy, PreflightRejection};
    /// # fn headers(pairs: &[(&'static str, &'static str)]) -> http::HeaderMap {
    /// #     let mut map = http::HeaderMap::new();
    /// #     for (name, value) in pairs {
    /// #         map.append(*name, http::HeaderValue::from_static(value));
    /// #     }
    /// #     map
    /// # }
    ///
    /// let cors = CorsPolicy::builder()
    ///     .allow_origin("https://a.example")
    ///     .allow_methods([Method::PUT, Method::DELETE])
    ///     .build()?;
    /// let ask = |method| {
    ///     cors.preflight(&headers(&[
    ///         ("origin", "https://a.example"),
    ///         ("access-control-request-method", method),
    ///     ]))
    /// };
    /// let answer = ask("PUT").unwrap();
    /// assert_eq!(answer.headers()["access-control-allow-methods"], "PUT, DELETE");
    /// assert!(ask("POST").is_ok()); // CORS-safelisted
    /// assert_eq!(ask("PATCH").unwrap_err(), PreflightRejection::MethodNotAllowed(Method::PATCH));
    /// # Ok::<(), secure_headers::cors::CorsError>(())
    /// ```
    pub fn allow_methods(mut self, methods: impl IntoIterator<Item = Method>) -> Self {
        for m in methods {
            if !self.methods.contains(&m) {
                self.methods.push(m);
            }
        }
        self
    }

    /// `Access-Control-Allow-Methods: *` (never with credentials).
    ///
    /// ```
    /// use secure_headers::cors::CorsPolicy;
    /// # fn headers(pairs: &[(&'static str, &'static str)]) -> http::HeaderMap {
    /// #     let mut map = http::HeaderMap::new();
    /// #     for (name, value) in pairs {
    /// #         map.append(*name, http::HeaderValue::from_static(value));
    /// #     }
    /// #     map
    /// # }
    ///
    /// let cors = CorsPolicy::builder().allow_any_origin().allow_any_method().build()?;
    /// let answer = cors.preflight(&headers(&[
    ///     ("origin", "https://a.example"),
    ///     ("access-control-request-method", "PATCH"),
    /// ])).unwrap();
    /// assert_eq!(answer.headers()["access-control-allow-methods"], "*");
    /// # Ok::<(), secure_headers::cors::CorsError>(())
    /// ```
    pub fn allow_any_method(mut self) -> Self {
        self.any_method = true;
        self
    }

    /// The request headers a preflight may ask for (case-insensitive).
    ///
    /// ```
    /// use http::HeaderName;
    /// use secure_headers::cors::{CorsPolicy, PreflightRejection};
    /// # fn headers(pairs: &[(&'static str, &'static str)]) -> http::HeaderMap {
    /// #     let mut map = http::HeaderMap::new();
    /// #     for (name, value) in pairs {
    /// #         map.append(*name, http::HeaderValue::from_static(value));
    /// #     }
    /// #     map
    /// # }
    ///
    /// let cors = CorsPolicy::builder()
    ///     .allow_origin("https://a.example")
    ///     .allow_headers(["Content-Type", "X-CSRF-Token"])
    ///     .build()?;
    /// let ask = |names| {
    ///     cors.preflight(&headers(&[
    ///         ("origin", "https://a.example"),
    ///         ("access-control-request-method", "POST"),
    ///         ("access-control-request-headers", names),
    ///     ]))
    /// };
    /// let answer = ask("x-csrf-token,content-type").unwrap();
    /// assert_eq!(answer.headers()["access-control-allow-headers"], "content-type, x-csrf-token");
    /// assert_eq!(
    ///     ask("authorization").unwrap_err(),
    ///     PreflightRejection::HeaderNotAllowed(HeaderName::from_static("authorization"))
    /// );
    /// # Ok::<(), secure_headers::cors::CorsError>(())
    /// ```
    pub fn allow_headers<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for n in names {
            match HeaderName::from_bytes(n.as_ref().as_bytes()) {
                Ok(h) => {
                    if !self.headers.contains(&h) {
                        self.headers.push(h);
                    }
                }
                Err(_) => self.set_error(CorsError::InvalidHeaderName(n.as_ref().to_owned())),
            }
        }
        self
    }

    /// `Access-Control-Allow-Headers: *` (never with credentials). `Authorization` is not
    /// covered by `*` (Fetch "CORS non-wildcard request-header name"); add it with
    /// [`allow_headers`](Self::allow_headers) if needed, and it is sent as `*, authorization`.
    ///
    /// ```
    /// use http::HeaderName;
    /// use secure_headers::cors::{CorsPolicy, PreflightRejection};
    /// # fn headers(pairs: &[(&'static str, &'static str)]) -> http::HeaderMap {
    /// #     let mut map = http::HeaderMap::new();
    /// #     for (name, value) in pairs {
    /// #         map.append(*name, http::HeaderValue::from_static(value));
    /// #     }
    /// #     map
    /// # }
    ///
    /// let ask = |cors: &CorsPolicy, names| {
    ///     cors.preflight(&headers(&[
    ///         ("origin", "https://a.example"),
    ///         ("access-control-request-method", "POST"),
    ///         ("access-control-request-headers", names),
    ///     ]))
    /// };
    /// let any = CorsPolicy::builder().allow_any_origin().allow_any_header().build()?;
    /// assert!(ask(&any, "x-anything").is_ok());
    /// assert_eq!(
    ///     ask(&any, "authorization").unwrap_err(),
    ///     PreflightRejection::HeaderNotAllowed(HeaderName::from_static("authorization"))
    /// );
    /// let with_auth = CorsPolicy::builder()
    ///     .allow_any_origin()
    ///     .allow_any_header()
    ///     .allow_headers(["authorization"])
    ///     .build()?;
    /// let answer = ask(&with_auth, "authorization").unwrap();
    /// assert_eq!(answer.headers()["access-control-allow-headers"], "*, authorization");
    /// # Ok::<(), secure_headers::cors::CorsError>(())
    /// ```
    pub fn allow_any_header(mut self) -> Self {
        self.any_header = true;
        self
    }

    /// Response headers the page may read beyond the CORS-safelisted ones.
    ///
    /// ```
    /// use secure_headers::cors::CorsPolicy;
    /// # fn headers(pairs: &[(&'static str, &'static str)]) -> http::HeaderMap {
    /// #     let mut map = http::HeaderMap::new();
    /// #     for (name, value) in pairs {
    /// #         map.append(*name, http::HeaderValue::from_static(value));
    /// #     }
    /// #     map
    /// # }
    ///
    /// let cors = CorsPolicy::builder()
    ///     .allow_origin("https://a.example")
    ///     .expose_headers(["X-Request-Id", "Content-Length"])
    ///     .build()?;
    /// let mut response = http::HeaderMap::new();
    /// cors.actual(&headers(&[("origin", "https://a.example")])).apply(&mut response);
    /// assert_eq!(response["access-control-expose-headers"], "x-request-id, content-length");
    /// # Ok::<(), secure_headers::cors::CorsError>(())
    /// ```
    pub fn expose_headers<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for n in names {
            match HeaderName::from_bytes(n.as_ref().as_bytes()) {
                Ok(h) => {
                    if !self.expose.contains(&h) {
                        self.expose.push(h);
                    }
                }
                Err(_) => self.set_error(CorsError::InvalidHeaderName(n.as_ref().to_owned())),
            }
        }
        self
    }

    /// `Access-Control-Expose-Headers: *` (never with credentials).
    ///
    /// ```
    /// use secure_headers::cors::{CorsError, CorsPolicy};
    /// # fn headers(pairs: &[(&'static str, &'static str)]) -> http::HeaderMap {
    /// #     let mut map = http::HeaderMap::new();
    /// #     for (name, value) in pairs {
    /// #         map.append(*name, http::HeaderValue::from_static(value));
    /// #     }
    /// #     map
    /// # }
    ///
    /// let cors = CorsPolicy::builder().allow_any_origin().expose_any_header().build()?;
    /// let mut response = http::HeaderMap::new();
    /// cors.actual(&headers(&[("origin", "https://a.example")])).apply(&mut response);
    /// assert_eq!(response["access-control-expose-headers"], "*");
    /// assert_eq!(
    ///     CorsPolicy::builder()
    ///         .allow_origin("https://a.example")
    ///         .allow_credentials()
    ///         .expose_any_header()
    ///         .build()
    ///         .unwrap_err(),
    ///     CorsError::WildcardWithCredentials("Access-Control-Expose-Headers")
    /// );
    /// # Ok::<(), secure_headers::cors::CorsError>(())
    /// ```
    pub fn expose_any_header(mut self) -> Self {
        self.any_expose = true;
        self
    }

    /// `Access-Control-Max-Age` in seconds (browsers cap it: Chromium at 7200, Firefox at
    /// 86400).
    ///
    /// ```
    /// use secure_headers::cors::CorsPolicy;
    /// # fn headers(pairs: &[(&'static str, &'static str)]) -> http::HeaderMap {
    /// #     let mut map = http::HeaderMap::new();
    /// #     for (name, value) in pairs {
    /// #         map.append(*name, http::HeaderValue::from_static(value));
    /// #     }
    /// #     map
    /// # }
    ///
    /// let cors = CorsPolicy::builder().allow_any_origin().max_age(7200).build()?;
    /// let answer = cors.preflight(&headers(&[
    ///     ("origin", "https://a.example"),
    ///     ("access-control-request-method", "GET"),
    /// ])).unwrap();
    /// assert_eq!(answer.headers()["access-control-max-age"], "7200");
    /// # Ok::<(), secure_headers::cors::CorsError>(())
    /// ```
    pub fn max_age(mut self, seconds: u32) -> Self {
        self.max_age = Some(seconds);
        self
    }

    /// Answers `Access-Control-Request-Private-Network: true` with
    /// `Access-Control-Allow-Private-Network: true`; without this such preflights are refused.
    ///
    /// ```
    /// use secure_headers::cors::{CorsPolicy, ALLOW_PRIVATE_NETWORK};
    /// # fn headers(pairs: &[(&'static str, &'static str)]) -> http::HeaderMap {
    /// #     let mut map = http::HeaderMap::new();
    /// #     for (name, value) in pairs {
    /// #         map.append(*name, http::HeaderValue::from_static(value));
    /// #     }
    /// #     map
    /// # }
    ///
    /// let cors = CorsPolicy::builder()
    ///     .allow_origin("https://a.example")
    ///     .allow_private_network()
    ///     .build()?;
    /// let answer = cors.preflight(&headers(&[
    ///     ("origin", "https://a.example"),
    ///     ("access-control-request-method", "GET"),
    ///     ("access-control-request-private-network", "true"),
    /// ])).unwrap();
    /// assert_eq!(answer.headers()[ALLOW_PRIVATE_NETWORK], "true");
    /// # Ok::<(), secure_headers::cors::CorsError>(())
    /// ```
    pub fn allow_private_network(mut self) -> Self {
        self.private_network = true;
        self
    }

    fn set_error(&mut self, e: CorsError) {
        self.error.get_or_insert(e);
    }

    /// Validates the policy and pre-serializes its constant headers.
    ///
    /// ```
    /// use secure_headers::cors::{CorsError, CorsPolicy};
    ///
    /// assert!(CorsPolicy::builder().allow_origin("https://a.example").build().is_ok());
    /// assert_eq!(
    ///     CorsPolicy::builder()
    ///         .allow_origin("https://a.example")
    ///         .allow_credentials()
    ///         .allow_any_header()
    ///         .build()
    ///         .unwrap_err(),
    ///     CorsError::WildcardWithCredentials("Access-Control-Allow-Headers")
    /// );
    /// ```
    pub fn build(self) -> Result<CorsPolicy, CorsError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        if self.credentials {
            if self.any_origin {
                return Err(CorsError::AnyOriginWithCredentials);
            }
            if self.null_origin {
                return Err(CorsError::NullOriginWithCredentials);
            }
            if self.any_method {
                return Err(CorsError::WildcardWithCredentials(
                    "Access-Control-Allow-Methods",
                ));
            }
            if self.any_header {
                return Err(CorsError::WildcardWithCredentials(
                    "Access-Control-Allow-Headers",
                ));
            }
            if self.any_expose {
                return Err(CorsError::WildcardWithCredentials(
                    "Access-Control-Expose-Headers",
                ));
            }
        }
        if self.any_origin && (!self.origins.is_empty() || self.null_origin) {
            return Err(CorsError::AnyOriginWithNamedOrigins);
        }

        let origins = if self.any_origin {
            AllowedOrigins::Any
        } else {
            let mut exact = Vec::new();
            let mut patterns = Vec::new();
            for o in self.origins {
                match o {
                    OriginPattern::Exact(o) => exact.push(Box::<str>::from(o.as_str())),
                    OriginPattern::Subdomains(p) => patterns.push(p),
                }
            }
            exact.sort();
            AllowedOrigins::Listed {
                exact,
                patterns,
                null: self.null_origin,
            }
        };

        let methods = if self.methods.is_empty() {
            vec![Method::GET, Method::HEAD, Method::POST]
        } else {
            self.methods
        };
        let methods_value = if self.any_method {
            STAR
        } else {
            join_value(methods.iter().map(Method::as_str))
        };
        let allow_headers_value = match (self.any_header, self.headers.is_empty()) {
            (true, true) => Some(STAR),
            (true, false) => Some(join_value(
                std::iter::once("*").chain(self.headers.iter().map(HeaderName::as_str)),
            )),
            (false, true) => None,
            (false, false) => Some(join_value(self.headers.iter().map(HeaderName::as_str))),
        };
        let expose_value = if self.any_expose {
            Some(STAR)
        } else if self.expose.is_empty() {
            None
        } else {
            Some(join_value(self.expose.iter().map(HeaderName::as_str)))
        };
        let origin_dependent = !matches!(origins, AllowedOrigins::Any);
        let vary_actual = origin_dependent.then(|| HeaderValue::from_static("origin"));
        let vary_preflight = if origin_dependent {
            HeaderValue::from_static(
                "origin, access-control-request-method, access-control-request-headers",
            )
        } else {
            HeaderValue::from_static(
                "access-control-request-method, access-control-request-headers",
            )
        };
        Ok(CorsPolicy {
            origins,
            credentials: self.credentials,
            any_method: self.any_method,
            methods,
            any_header: self.any_header,
            headers: self.headers,
            private_network: self.private_network,
            methods_value,
            allow_headers_value,
            expose_value,
            max_age_value: self.max_age.map(HeaderValue::from),
            vary_actual,
            vary_preflight,
        })
    }
}

/// Joins validated tokens with ", " into a header value.
fn join_value<'a>(items: impl Iterator<Item = &'a str>) -> HeaderValue {
    let text = items.collect::<Vec<_>>().join(", ");
    crate::util::header_value(&text)
}

/// A plain configuration for [`CorsPolicy`] (for TOML/JSON files with the `serde` feature).
///
/// ```
/// use secure_headers::cors::CorsConfig;
///
/// let config = CorsConfig {
///     allowed_origins: vec!["https://app.example".into()],
///     allow_credentials: true,
///     allowed_methods: vec!["GET".into(), "PUT".into()],
///     ..CorsConfig::default()
/// };
/// let policy = config.build()?;
/// # let _ = policy;
/// # Ok::<(), secure_headers::cors::CorsError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct CorsConfig {
    /// Origins or `scheme://*.parent` patterns.
    pub allowed_origins: Vec<String>,
    /// `*` for every origin.
    pub allow_any_origin: bool,
    /// Allow `Origin: null`.
    pub allow_null_origin: bool,
    /// `Access-Control-Allow-Credentials: true`.
    pub allow_credentials: bool,
    /// Method names; empty = `GET, HEAD, POST`; `["*"]` = any.
    pub allowed_methods: Vec<String>,
    /// Request header names; `["*"]` = any.
    pub allowed_headers: Vec<String>,
    /// Exposed response header names; `["*"]` = any.
    pub exposed_headers: Vec<String>,
    /// `Access-Control-Max-Age` in seconds.
    pub max_age: Option<u32>,
    /// Grant private network access.
    pub allow_private_network: bool,
}

impl CorsConfig {
    /// Builds the policy with the same checks as [`CorsPolicyBuilder::build`].
    ///
    /// ```
    /// use secure_headers::cors::{CorsConfig, CorsError};
    ///
    /// let config = CorsConfig {
    ///     allow_any_origin: true,
    ///     allowed_methods: vec!["*".into()],
    ///     max_age: Some(600),
    ///     ..CorsConfig::default()
    /// };
    /// assert!(config.build().is_ok());
    /// let config = CorsConfig { allow_credentials: true, ..config };
    /// assert_eq!(config.build().unwrap_err(), CorsError::AnyOriginWithCredentials);
    /// let config = CorsConfig { allowed_methods: vec!["GET\r\n".into()], ..CorsConfig::default() };
    /// assert_eq!(config.build().unwrap_err(), CorsError::InvalidMethod("GET\r\n".into()));
    /// ```
    pub fn build(&self) -> Result<CorsPolicy, CorsError> {
        let mut b = CorsPolicy::builder().allow_origins(&self.allowed_origins);
        if self.allow_any_origin {
            b = b.allow_any_origin();
        }
        if self.allow_null_origin {
            b = b.allow_null_origin();
        }
        if self.allow_credentials {
            b = b.allow_credentials();
        }
        for m in &self.allowed_methods {
            if m == "*" {
                b = b.allow_any_method();
            } else {
                match Method::from_bytes(m.as_bytes()) {
                    Ok(m) => b = b.allow_methods([m]),
                    Err(_) => b.set_error(CorsError::InvalidMethod(m.clone())),
                }
            }
        }
        let (any, named): (Vec<&String>, Vec<&String>) =
            self.allowed_headers.iter().partition(|h| *h == "*");
        if !any.is_empty() {
            b = b.allow_any_header();
        }
        b = b.allow_headers(named);
        let (any, named): (Vec<&String>, Vec<&String>) =
            self.exposed_headers.iter().partition(|h| *h == "*");
        if !any.is_empty() {
            b = b.expose_any_header();
        }
        b = b.expose_headers(named);
        if let Some(m) = self.max_age {
            b = b.max_age(m);
        }
        if self.allow_private_network {
            b = b.allow_private_network();
        }
        b.build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preserialized_lists() {
        let p = CorsPolicy::builder()
            .allow_origin("https://a.example")
            .allow_any_header()
            .allow_headers(["Authorization"])
            .expose_headers(["X-Request-Id", "x-trace"])
            .build()
            .unwrap();
        assert_eq!(p.methods_value, "GET, HEAD, POST");
        assert_eq!(p.allow_headers_value.as_ref().unwrap(), "*, authorization");
        assert_eq!(p.expose_value.as_ref().unwrap(), "x-request-id, x-trace");
    }

    #[test]
    fn invalid_header_names_are_rejected() {
        assert_eq!(
            CorsPolicy::builder()
                .allow_headers(["x-a\r\nx-b"])
                .build()
                .unwrap_err(),
            CorsError::InvalidHeaderName("x-a\r\nx-b".into())
        );
        assert!(
            CorsPolicy::builder()
                .expose_headers(["a b"])
                .build()
                .is_err()
        );
    }

    #[test]
    fn wildcards_with_credentials_are_rejected() {
        let base = || {
            CorsPolicy::builder()
                .allow_origin("https://a.example")
                .allow_credentials()
        };
        assert!(matches!(
            base().allow_any_method().build(),
            Err(CorsError::WildcardWithCredentials(_))
        ));
        assert!(matches!(
            base().allow_any_header().build(),
            Err(CorsError::WildcardWithCredentials(_))
        ));
        assert!(matches!(
            base().expose_any_header().build(),
            Err(CorsError::WildcardWithCredentials(_))
        ));
        assert!(matches!(
            base().allow_null_origin().build(),
            Err(CorsError::NullOriginWithCredentials)
        ));
    }

    fn preflight_request(request_header_lines: &[String]) -> HeaderMap {
        let mut request = HeaderMap::new();
        request.insert(ORIGIN, HeaderValue::from_static("https://a.example"));
        request.insert(
            ACCESS_CONTROL_REQUEST_METHOD,
            HeaderValue::from_static("GET"),
        );
        for line in request_header_lines {
            request.append(
                ACCESS_CONTROL_REQUEST_HEADERS,
                HeaderValue::from_str(line).unwrap(),
            );
        }
        request
    }

    fn names(range: std::ops::Range<usize>) -> String {
        range
            .map(|i| format!("x-h{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn any_header_policy() -> CorsPolicy {
        CorsPolicy::builder()
            .allow_origin("https://a.example")
            .allow_any_header()
            .build()
            .unwrap()
    }

    #[test]
    fn request_header_cap_counts_names_across_lines() {
        let cors = any_header_policy();
        let half = MAX_REQUEST_HEADERS / 2;
        let at_limit = preflight_request(&[names(0..half), names(half..MAX_REQUEST_HEADERS)]);
        assert!(cors.preflight(&at_limit).is_ok());
        let over = preflight_request(&[names(0..half), names(half..MAX_REQUEST_HEADERS + 1)]);
        assert_eq!(
            cors.preflight(&over).unwrap_err(),
            PreflightRejection::InvalidRequestHeaders
        );
        // One name per line.
        let lines: Vec<String> = (0..=MAX_REQUEST_HEADERS)
            .map(|i| format!("x-h{i}"))
            .collect();
        assert!(
            cors.preflight(&preflight_request(&lines[..MAX_REQUEST_HEADERS]))
                .is_ok()
        );
        assert_eq!(
            cors.preflight(&preflight_request(&lines)).unwrap_err(),
            PreflightRejection::InvalidRequestHeaders
        );
    }

    #[test]
    fn request_header_cap_does_not_count_empty_list_elements() {
        // RFC 9110 §5.6.1: empty list elements do not count as elements.
        let cors = any_header_policy();
        let padded = format!(
            ", ,{},\t,",
            names(0..MAX_REQUEST_HEADERS).replace(", ", ",,")
        );
        assert!(cors.preflight(&preflight_request(&[padded])).is_ok());
    }

    #[test]
    fn request_header_names_allow_ows_around_commas() {
        let cors = CorsPolicy::builder()
            .allow_origin("https://a.example")
            .allow_headers(["x-a", "x-b"])
            .build()
            .unwrap();
        for line in ["x-a,x-b", " x-a ,\tx-b\t", "X-A, X-B"] {
            assert!(
                cors.preflight(&preflight_request(&[line.to_owned()]))
                    .is_ok(),
                "{line:?}"
            );
        }
        assert_eq!(
            cors.preflight(&preflight_request(&["x-a x-b".to_owned()]))
                .unwrap_err(),
            PreflightRejection::InvalidRequestHeaders
        );
    }

    #[test]
    fn wildcard_allow_headers_never_covers_authorization_in_any_case() {
        // Fetch: "A CORS non-wildcard request-header name is a header name that is a
        // byte-case-insensitive match for `Authorization`."
        let cors = any_header_policy();
        for line in ["authorization", "Authorization", "x-a, AUTHORIZATION"] {
            assert_eq!(
                cors.preflight(&preflight_request(&[line.to_owned()]))
                    .unwrap_err(),
                PreflightRejection::HeaderNotAllowed(http::header::AUTHORIZATION),
                "{line:?}"
            );
        }
    }

    #[test]
    fn safelisted_methods_are_matched_byte_case_sensitively() {
        // Fetch: "A CORS-safelisted method is a method that is `GET`, `HEAD`, or `POST`", and
        // methods are compared byte for byte (a browser normalizes only the well-known ones).
        let cors = CorsPolicy::builder()
            .allow_origin("https://a.example")
            .allow_methods([Method::PUT])
            .build()
            .unwrap();
        let ask = |method: &'static str| {
            let mut request = preflight_request(&[]);
            request.insert(
                ACCESS_CONTROL_REQUEST_METHOD,
                HeaderValue::from_static(method),
            );
            cors.preflight(&request)
        };
        for method in ["GET", "HEAD", "POST", "PUT"] {
            assert!(ask(method).is_ok(), "{method}");
        }
        for method in ["get", "Post", "put", "PATCH"] {
            assert!(
                matches!(ask(method), Err(PreflightRejection::MethodNotAllowed(_))),
                "{method}"
            );
        }
    }

    #[test]
    fn vary_origin_is_recognized_case_insensitively_with_ows() {
        let cors = CorsPolicy::builder()
            .allow_origin("https://a.example")
            .build()
            .unwrap();
        let mut request = HeaderMap::new();
        request.insert(ORIGIN, HeaderValue::from_static("https://a.example"));
        let add = cors.actual(&request);
        for existing in ["ORIGIN", "accept-encoding,\tOrigin ", "Accept, *"] {
            let mut response = HeaderMap::new();
            response.insert(VARY, HeaderValue::from_static(existing));
            add.apply(&mut response);
            assert_eq!(response.get_all(VARY).iter().count(), 1, "{existing:?}");
        }
        let mut response = HeaderMap::new();
        response.insert(VARY, HeaderValue::from_static("origin-x, x-origin"));
        add.apply(&mut response);
        assert_eq!(response.get_all(VARY).iter().count(), 2);
    }

    #[test]
    fn too_broad_patterns_are_rejected() {
        assert!(matches!(
            CorsPolicy::builder().allow_origin("https://*.com").build(),
            Err(CorsError::InvalidOrigin {
                error: OriginError::WildcardTooBroad(_),
                ..
            })
        ));
        assert!(CorsPolicy::builder().allow_origin("*").build().is_err());
        assert!(
            CorsPolicy::builder()
                .allow_origin("https://a.example/")
                .build()
                .is_err()
        );
    }
}
