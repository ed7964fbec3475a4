//! The handlers, bundles and hand-written floors of the per-response layer measurements,
//! written once for `benches/layer.rs` (timings) and `examples/layer_instructions.rs`
//! (instruction counts), so both measure exactly the same services.
//!
//! Both targets include this file with `#[path = "../src/layer_setup.rs"] mod layer_setup;`
//! rather than calling it from the library: linking the library installs its counting global
//! allocator, and the instruction-count example must run on the plain system allocator.
//! The small non-generic helpers are `#[inline]` so that they can still be inlined into the
//! services built in the including crate's main module.

use std::convert::Infallible;
use std::sync::Arc;

use base64::Engine as _;
use futures::executor::block_on;
use http::{HeaderMap, HeaderName, HeaderValue, Request, Response};
use secure_headers::SecureHeaders;
use tower::{Service, ServiceBuilder, ServiceExt, service_fn};

/// The response body of every measured service.
pub(crate) type Body = String;

#[inline]
fn handler(_req: Request<()>) -> std::future::Ready<Result<Response<Body>, Infallible>> {
    std::future::ready(Ok(Response::new(String::new())))
}

/// The bare service: an empty response without headers (the harness cost).
pub(crate) fn trivial()
-> impl Service<Request<()>, Response = Response<Body>, Error = Infallible, Future: Send> + Clone {
    service_fn(handler)
}

/// The handler of a real page: its response carries a `Content-Type` (every axum
/// `IntoResponse` body type sets one), so the headers are added next to the handler's.
#[inline]
fn handler_ct(_req: Request<()>) -> std::future::Ready<Result<Response<Body>, Infallible>> {
    let mut response = Response::new(String::new());
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    std::future::ready(Ok(response))
}

/// The service over [`handler_ct`]: a response that already holds a `Content-Type`.
pub(crate) fn trivial_ct()
-> impl Service<Request<()>, Response = Response<Body>, Error = Infallible, Future: Send> + Clone {
    service_fn(handler_ct)
}

/// Runs one request through a clone of `svc` and returns the number of response headers.
pub(crate) fn run<S>(svc: &S) -> usize
where
    S: Service<Request<()>, Response = Response<Body>, Error = Infallible> + Clone,
{
    let response = block_on(svc.clone().oneshot(Request::new(()))).unwrap_or_else(|e| match e {});
    response.headers().len()
}

/// Our static bundle: `SecureHeaders::recommended()` (helmet 8's twelve default headers).
pub(crate) fn static_bundle() -> SecureHeaders {
    SecureHeaders::recommended()
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Our nonce bundle: `SecureHeaders::recommended()` with `strict_csp()` (a fresh nonce per
/// response).
pub(crate) fn nonce_bundle() -> SecureHeaders {
    SecureHeaders::recommended()
        .strict_csp()
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The policy helmet 8 sends by default (the `recommended()` policy).
pub(crate) const HELMET_CSP: &str = "default-src 'self'; base-uri 'self'; font-src 'self' https: data:; \
    form-action 'self'; frame-ancestors 'self'; img-src 'self' data:; object-src 'none'; \
    script-src 'self'; script-src-attr 'none'; style-src 'self' https: 'unsafe-inline'; \
    upgrade-insecure-requests";

/// helmet 8's twelve default headers, pre-built, in the order `recommended()` sends them,
/// with `csp` as the policy.
pub(crate) fn helmet_headers(csp: &'static str) -> Vec<(HeaderName, HeaderValue)> {
    [
        ("content-security-policy", csp),
        ("cross-origin-opener-policy", "same-origin"),
        ("cross-origin-resource-policy", "same-origin"),
        ("origin-agent-cluster", "?1"),
        ("referrer-policy", "no-referrer"),
        (
            "strict-transport-security",
            "max-age=31536000; includeSubDomains",
        ),
        ("x-content-type-options", "nosniff"),
        ("x-dns-prefetch-control", "off"),
        ("x-download-options", "noopen"),
        ("x-frame-options", "SAMEORIGIN"),
        ("x-permitted-cross-domain-policies", "none"),
        ("x-xss-protection", "0"),
    ]
    .into_iter()
    .map(|(n, v)| (HeaderName::from_static(n), HeaderValue::from_static(v)))
    .collect()
}

/// The floor: reserve once, insert the pre-built values, nothing else.
#[inline]
fn floor_insert(headers: &mut HeaderMap, set: &[(HeaderName, HeaderValue)]) {
    headers.reserve(set.len());
    for (n, v) in set {
        headers.insert(n.clone(), v.clone());
    }
}

/// `SecureHeaders::strict_csp()` around its two nonces (the policy of our nonce bundle).
const STRICT_CSP_PARTS: [&str; 3] = [
    "default-src 'self'; script-src 'nonce-",
    "' 'strict-dynamic'; style-src 'nonce-",
    "' 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'; upgrade-insecure-requests",
];

/// The nonce floor: the static floor plus 16 bytes from getrandom, base64, spliced into the
/// policy text at each nonce (one exactly sized buffer that the header value takes over).
/// The policy replaces the first header of `set`.
#[inline]
fn floor_nonce_insert(headers: &mut HeaderMap, set: &[(HeaderName, HeaderValue)], parts: &[&str]) {
    let mut raw = [0u8; 16];
    getrandom::fill(&mut raw).unwrap_or_else(|e| panic!("getrandom: {e}"));
    let mut b64 = [0u8; 24];
    let _ = base64::engine::general_purpose::STANDARD.encode_slice(raw, &mut b64);
    let len = parts.iter().map(|p| p.len()).sum::<usize>() + 24 * parts.len().saturating_sub(1);
    let mut value = Vec::with_capacity(len);
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            value.extend_from_slice(&b64);
        }
        value.extend_from_slice(part.as_bytes());
    }
    let csp = HeaderValue::try_from(value).unwrap_or_else(|e| panic!("{e}"));
    headers.reserve(set.len());
    headers.insert(http::header::CONTENT_SECURITY_POLICY, csp);
    for (n, v) in set.iter().skip(1) {
        headers.insert(n.clone(), v.clone());
    }
}

/// `inner` with the static floor ([`floor_insert`] of `set`) applied to every response.
///
/// `map_response` clones its closure per call, hence the set behind an `Arc`.
pub(crate) fn floor_service<S>(
    set: Arc<Vec<(HeaderName, HeaderValue)>>,
    inner: S,
) -> impl Service<Request<()>, Response = Response<Body>, Error = Infallible> + Clone
where
    S: Service<Request<()>, Response = Response<Body>, Error = Infallible> + Clone,
{
    ServiceBuilder::new()
        .map_response(move |mut r: Response<Body>| {
            floor_insert(r.headers_mut(), &set);
            r
        })
        .service(inner)
}

/// `inner` with the nonce floor ([`floor_nonce_insert`] of `set` around the strict policy's
/// two nonces) applied to every response.
pub(crate) fn floor_nonce_service<S>(
    set: Arc<Vec<(HeaderName, HeaderValue)>>,
    inner: S,
) -> impl Service<Request<()>, Response = Response<Body>, Error = Infallible> + Clone
where
    S: Service<Request<()>, Response = Response<Body>, Error = Infallible> + Clone,
{
    ServiceBuilder::new()
        .map_response(move |mut r: Response<Body>| {
            floor_nonce_insert(r.headers_mut(), &set, &STRICT_CSP_PARTS);
            r
        })
        .service(inner)
}
