//! Applies a security header set to responses a given number of times, for counting
//! instructions with `valgrind --tool=callgrind` (repeatable on a busy machine, where
//! wall-clock timings of `benches/layer.rs` are not):
//!
//! ```sh
//! cargo build --release -p secure-headers-bench --example layer_instructions
//! for case in none apply-static apply-nonce apply-static-ct apply-nonce-ct trivial \
//!     layer-static layer-nonce floor floor-nonce trivial-ct layer-static-ct layer-nonce-ct \
//!     layer-proxies-ct floor-ct floor-nonce-ct; do
//!   valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/layer_instructions $case 10000 2>&1 | grep 'Collected'
//! done
//! ```
//!
//! Subtract the `none` count (building the bundles and services) from each case and divide
//! by the repetitions for instructions per response. `apply-*` call [`SecureHeaders::apply`]
//! on an empty map (`*-ct`: on a map holding a `Content-Type`, as a handler leaves it);
//! `layer-*`, `trivial*` and `floor*` run one request through tower `oneshot` exactly as the
//! benchmark does (`trivial` is the bare service: the harness cost). The `*-ct` service cases
//! use a handler whose response carries a `Content-Type` (what every axum response has;
//! subtract `trivial-ct`); `layer-proxies-ct` is the load server's bundle (`strict()` behind
//! trusted proxies).
//!
//! This example does not link the benchmark harness, so allocations go straight to the
//! system allocator (no counting).
#![forbid(unsafe_code)]

use std::convert::Infallible;
use std::hint::black_box;
use std::sync::Arc;

use base64::Engine as _;
use futures::executor::block_on;
use http::{HeaderMap, HeaderName, HeaderValue, Request, Response};
use secure_headers::{SecureHeaders, SecureHeadersLayer};
use tower::{Layer, Service, ServiceBuilder, ServiceExt, service_fn};

type Body = String;

fn handler(_req: Request<()>) -> std::future::Ready<Result<Response<Body>, Infallible>> {
    std::future::ready(Ok(Response::new(String::new())))
}

fn trivial()
-> impl Service<Request<()>, Response = Response<Body>, Error = Infallible, Future: Send> + Clone {
    service_fn(handler)
}

/// The handler of a real page: its response carries a `Content-Type`, as every axum
/// `IntoResponse` body type sets one.
fn handler_ct(_req: Request<()>) -> std::future::Ready<Result<Response<Body>, Infallible>> {
    let mut response = Response::new(String::new());
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    std::future::ready(Ok(response))
}

fn trivial_ct()
-> impl Service<Request<()>, Response = Response<Body>, Error = Infallible, Future: Send> + Clone {
    service_fn(handler_ct)
}

fn run<S>(svc: &S) -> usize
where
    S: Service<Request<()>, Response = Response<Body>, Error = Infallible> + Clone,
{
    let response = block_on(svc.clone().oneshot(Request::new(()))).unwrap_or_else(|e| match e {});
    response.headers().len()
}

const HELMET_CSP: &str = "default-src 'self'; base-uri 'self'; font-src 'self' https: data:; \
    form-action 'self'; frame-ancestors 'self'; img-src 'self' data:; object-src 'none'; \
    script-src 'self'; script-src-attr 'none'; style-src 'self' https: 'unsafe-inline'; \
    upgrade-insecure-requests";

fn helmet_headers() -> Vec<(HeaderName, HeaderValue)> {
    [
        ("content-security-policy", HELMET_CSP),
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

fn floor_insert(headers: &mut HeaderMap, set: &[(HeaderName, HeaderValue)]) {
    headers.reserve(set.len());
    for (n, v) in set {
        headers.insert(n.clone(), v.clone());
    }
}

fn floor_nonce_insert(headers: &mut HeaderMap, set: &[(HeaderName, HeaderValue)], parts: &[&str]) {
    let mut raw = [0u8; 16];
    getrandom::fill(&mut raw).unwrap_or_else(|e| panic!("getrandom: {e}"));
    let mut b64 = [0u8; 24];
    let _ = base64::engine::general_purpose::STANDARD.encode_slice(raw, &mut b64);
    let len = parts.iter().map(|p| p.len()).sum::<usize>() + 24 * (parts.len() - 1);
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

/// The strict policy of `SecureHeaders::strict_csp()` around its two nonces.
const STRICT_CSP_PARTS: [&str; 3] = [
    "default-src 'self'; script-src 'nonce-",
    "' 'strict-dynamic'; style-src 'nonce-",
    "' 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'; upgrade-insecure-requests",
];

fn main() {
    let mut args = std::env::args().skip(1);
    let case = args.next().unwrap_or_else(|| "none".to_owned());
    let reps: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(10_000);

    let static_bundle = SecureHeaders::recommended()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let nonce_bundle = SecureHeaders::recommended()
        .strict_csp()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let layer_static = SecureHeadersLayer::new(static_bundle.clone()).layer(trivial());
    let layer_nonce = SecureHeadersLayer::new(nonce_bundle.clone()).layer(trivial());
    let set = Arc::new(helmet_headers());
    let floor_set = Arc::clone(&set);
    let floor = ServiceBuilder::new()
        .map_response(move |mut r: Response<Body>| {
            floor_insert(r.headers_mut(), &floor_set);
            r
        })
        .service(trivial());
    let nonce_set = Arc::clone(&set);
    let floor_nonce = ServiceBuilder::new()
        .map_response(move |mut r: Response<Body>| {
            floor_nonce_insert(r.headers_mut(), &nonce_set, &STRICT_CSP_PARTS);
            r
        })
        .service(trivial());
    let bare = trivial();
    // The same services over the handler that sets `Content-Type`.
    let layer_static_ct = SecureHeadersLayer::new(static_bundle.clone()).layer(trivial_ct());
    let layer_nonce_ct = SecureHeadersLayer::new(nonce_bundle.clone()).layer(trivial_ct());
    // The load server's bundle: `strict()` behind trusted proxies (the request has no peer
    // address, so it counts as untrusted and plain HTTP).
    let proxies_bundle = SecureHeaders::strict()
        .trusted_proxies(
            secure_headers::TrustedProxies::new()
                .with("10.0.0.0/8")
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let layer_proxies_ct = SecureHeadersLayer::new(proxies_bundle).layer(trivial_ct());
    let ct_set = Arc::clone(&set);
    let floor_ct = ServiceBuilder::new()
        .map_response(move |mut r: Response<Body>| {
            floor_insert(r.headers_mut(), &ct_set);
            r
        })
        .service(trivial_ct());
    let ct_nonce_set = Arc::clone(&set);
    let floor_nonce_ct = ServiceBuilder::new()
        .map_response(move |mut r: Response<Body>| {
            floor_nonce_insert(r.headers_mut(), &ct_nonce_set, &STRICT_CSP_PARTS);
            r
        })
        .service(trivial_ct());
    let bare_ct = trivial_ct();

    let mut count = 0usize;
    for _ in 0..reps {
        count += match case.as_str() {
            "none" => black_box(1),
            "apply-static" => {
                let mut headers = HeaderMap::new();
                let nonce = black_box(&static_bundle).apply(&mut headers);
                black_box(&nonce);
                headers.len()
            }
            "apply-nonce" => {
                let mut headers = HeaderMap::new();
                let nonce = black_box(&nonce_bundle).apply(&mut headers);
                black_box(&nonce);
                headers.len()
            }
            "apply-static-ct" | "apply-nonce-ct" => {
                // A handler that already set its content type (the usual response).
                let mut headers = HeaderMap::new();
                headers.insert(
                    http::header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                );
                let bundle = if case == "apply-static-ct" {
                    &static_bundle
                } else {
                    &nonce_bundle
                };
                let nonce = black_box(bundle).apply(&mut headers);
                black_box(&nonce);
                headers.len()
            }
            "trivial" => run(&bare),
            "layer-static" => run(&layer_static),
            "layer-nonce" => run(&layer_nonce),
            "floor" => run(&floor),
            "floor-nonce" => run(&floor_nonce),
            "trivial-ct" => run(&bare_ct),
            "layer-static-ct" => run(&layer_static_ct),
            "layer-nonce-ct" => run(&layer_nonce_ct),
            "layer-proxies-ct" => run(&layer_proxies_ct),
            "floor-ct" => run(&floor_ct),
            "floor-nonce-ct" => run(&floor_nonce_ct),
            other => {
                eprintln!("unknown case {other}");
                std::process::exit(2);
            }
        };
    }
    println!("{case}: {count}");
}
