//! A full security header set applied per response through tower: our layer against its peers
//! and against a hand-written floor, all over the same trivial service.
//!
//! Every row builds its service once, then per iteration clones it, calls `oneshot` with an
//! empty request and blocks on the future with `futures::executor::block_on`. The header set
//! is helmet 8's twelve default headers (`SecureHeaders::recommended()`); rows that cannot send
//! all twelve say how many they send, and our layer is measured a second time with exactly
//! the seven headers `http-security-headers` can send, for a like-for-like comparison.
//!
//! The floors are the best hand-written code for the same headers and values: pre-built
//! values (`HeaderValue::from_static`, free to clone), one `reserve` for the whole set, then
//! one insert per header. The nonce floor renders the same strict policy as our nonce row
//! (two nonce sources) with 16 bytes from the OS per response. A last reference row clones a
//! pre-built `HeaderMap` instead of inserting (what our layer does for a response without
//! headers), to show how far below the insert floor that technique goes.
//!
//! Rows marked `content-type` run over a handler whose response already carries a
//! `Content-Type`, as every real axum response does (ours and the floors alike), so the
//! headers are added next to the handler's instead of into an empty map. The header counts of
//! those rows include the handler's header.

#[path = "../src/layer_setup.rs"]
mod layer_setup;

use std::convert::Infallible;
use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use http::{HeaderMap, HeaderName, Request, Response};
use layer_setup::{
    Body, HELMET_CSP, floor_nonce_service, floor_service, helmet_headers, nonce_bundle, run,
    static_bundle, trivial, trivial_ct,
};
use secure_headers::{SecureHeaders, SecureHeadersLayer};
use secure_headers_bench::{Case, measure_interleaved, print_table};
use tower::{Layer, Service, ServiceBuilder};

/// A row that owns the service it measures.
fn row<'a, S>(name: &str, svc: S, inputs: &'a [u32]) -> Case<'a>
where
    S: Service<Request<()>, Response = Response<Body>, Error = Infallible> + Clone + 'a,
{
    let headers = run(&svc);
    Case::new(
        &format!("{name} ({headers} headers)"),
        inputs,
        |_| 0,
        move |_| run(&svc),
    )
}

/// The seven of helmet's headers that `http-security-headers` can send.
const SEVEN: [&str; 7] = [
    "content-security-policy",
    "cross-origin-opener-policy",
    "cross-origin-resource-policy",
    "referrer-policy",
    "strict-transport-security",
    "x-content-type-options",
    "x-frame-options",
];

/// Our bundle with only the seven headers of [`SEVEN`] (same values as `recommended()`).
fn seven_header_bundle() -> secure_headers::SecureHeadersBuilder {
    let recommended = SecureHeaders::recommended();
    [
        "origin-agent-cluster",
        "x-dns-prefetch-control",
        "x-download-options",
        "x-permitted-cross-domain-policies",
        "x-xss-protection",
    ]
    .into_iter()
    .fold(recommended, |b, name| {
        b.disable(HeaderName::from_static(name))
    })
    .keep_header(&HeaderName::from_static("x-powered-by"))
}

/// The nonce policy of the `http-security-headers` nonce row, for our seven-header row.
fn one_nonce_csp() -> secure_headers::Csp {
    secure_headers::Csp::new()
        .directive("default-src", ["'self'"])
        .directive("script-src", ["'strict-dynamic'"])
        .with_nonce("script-src")
        .directive("style-src", ["'self'"])
        .directive("object-src", ["'none'"])
        .directive("base-uri", ["'none'"])
        .directive("form-action", ["'self'"])
        .directive("frame-ancestors", ["'none'"])
        .directive("upgrade-insecure-requests", [""; 0])
}

fn main() {
    let inputs: Vec<u32> = (0..1000).collect();
    let mut rows = Vec::new();

    // --- floors -------------------------------------------------------------------------
    // `map_response` clones its closure per call: share the set behind an `Arc`.
    let set = Arc::new(helmet_headers(HELMET_CSP));
    rows.push(row(
        "floor: pre-built inserts (static)",
        floor_service(set, trivial()),
        &inputs,
    ));

    // The seven of those headers http-security-headers can send, for a like-for-like ratio.
    let seven = Arc::new(
        helmet_headers(HELMET_CSP)
            .into_iter()
            .filter(|(n, _)| SEVEN.contains(&n.as_str()))
            .collect::<Vec<_>>(),
    );
    rows.push(row(
        "floor: pre-built inserts, 7 headers",
        floor_service(seven, trivial()),
        &inputs,
    ));

    let set = Arc::new(helmet_headers(HELMET_CSP));
    rows.push(row(
        "floor: + getrandom nonce spliced (nonce)",
        floor_nonce_service(set, trivial()),
        &inputs,
    ));

    // The same two floors over the handler that sets `Content-Type`.
    let set = Arc::new(helmet_headers(HELMET_CSP));
    rows.push(row(
        "floor: pre-built inserts (static, content-type)",
        floor_service(set, trivial_ct()),
        &inputs,
    ));
    let set = Arc::new(helmet_headers(HELMET_CSP));
    rows.push(row(
        "floor: + getrandom nonce spliced (nonce, content-type)",
        floor_nonce_service(set, trivial_ct()),
        &inputs,
    ));

    // --- ours ---------------------------------------------------------------------------
    let ours = SecureHeadersLayer::new(static_bundle()).layer(trivial());
    rows.push(row("secure-headers layer (static CSP)", ours, &inputs));

    let ours_nonce = SecureHeadersLayer::new(nonce_bundle()).layer(trivial());
    rows.push(row("secure-headers layer (nonce CSP)", ours_nonce, &inputs));

    let ours_ct = SecureHeadersLayer::new(static_bundle()).layer(trivial_ct());
    rows.push(row(
        "secure-headers layer (static CSP, content-type)",
        ours_ct,
        &inputs,
    ));

    let ours_nonce_ct = SecureHeadersLayer::new(nonce_bundle()).layer(trivial_ct());
    rows.push(row(
        "secure-headers layer (nonce CSP, content-type)",
        ours_nonce_ct,
        &inputs,
    ));

    let ours7 = SecureHeadersLayer::new(
        seven_header_bundle()
            .build()
            .unwrap_or_else(|e| panic!("{e}")),
    )
    .layer(trivial());
    rows.push(row(
        "secure-headers layer, 7 headers (static)",
        ours7,
        &inputs,
    ));

    let ours7_nonce = SecureHeadersLayer::new(
        seven_header_bundle()
            .csp(one_nonce_csp())
            .build()
            .unwrap_or_else(|e| panic!("{e}")),
    )
    .layer(trivial());
    rows.push(row(
        "secure-headers layer, 7 headers (nonce)",
        ours7_nonce,
        &inputs,
    ));

    // --- peers --------------------------------------------------------------------------
    {
        use http_security_headers::{
            ContentSecurityPolicy, CrossOriginOpenerPolicy, CrossOriginResourcePolicy,
            SecurityHeaders, SecurityHeadersLayer,
        };
        let csp = ContentSecurityPolicy::new()
            .default_src(["'self'"])
            .base_uri(["'self'"])
            .font_src(["'self'", "https:", "data:"])
            .form_action(["'self'"])
            .frame_ancestors(["'self'"])
            .img_src(["'self'", "data:"])
            .object_src(["'none'"])
            .script_src(["'self'"])
            .directive("script-src-attr", ["'none'"])
            .style_src(["'self'", "https:", "'unsafe-inline'"])
            .upgrade_insecure_requests();
        let base = || {
            SecurityHeaders::builder()
                .strict_transport_security(Duration::from_secs(31_536_000), true, false)
                .x_frame_options_sameorigin()
                .x_content_type_options_nosniff()
                .referrer_policy_no_referrer()
                .cross_origin_opener_policy(CrossOriginOpenerPolicy::SameOrigin)
                .cross_origin_resource_policy(CrossOriginResourcePolicy::SameOrigin)
        };
        let config = base()
            .content_security_policy(csp)
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        let svc = SecurityHeadersLayer::new(config).layer(trivial());
        rows.push(row("http-security-headers 0.5 (static)", svc, &inputs));

        let nonce_csp = ContentSecurityPolicy::new()
            .default_src(["'self'"])
            .script_src(["'strict-dynamic'"])
            .style_src(["'self'"])
            .object_src(["'none'"])
            .base_uri(["'none'"])
            .form_action(["'self'"])
            .frame_ancestors(["'none'"])
            .upgrade_insecure_requests()
            .nonce_for(["script-src"]);
        let config = base()
            .content_security_policy(nonce_csp)
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        let svc = SecurityHeadersLayer::new(config).layer(trivial());
        rows.push(row("http-security-headers 0.5 (nonce)", svc, &inputs));
    }
    {
        let layer: axum_helmet::HelmetLayer = axum_helmet::Helmet::default()
            .try_into()
            .unwrap_or_else(|e| panic!("{e:?}"));
        rows.push(row(
            "axum-helmet 1.0 (static)",
            layer.layer(trivial()),
            &inputs,
        ));
    }
    {
        let layer = tower_helmet::HelmetLayer::with_defaults();
        rows.push(row(
            "tower-helmet 0.3 (static)",
            layer.layer(trivial()),
            &inputs,
        ));
    }
    {
        use tower_http::set_header::SetResponseHeaderLayer;
        let h = helmet_headers(HELMET_CSP);
        let layer = |i: usize| {
            let (n, v) = h[i].clone();
            SetResponseHeaderLayer::overriding(n, v)
        };
        let svc = ServiceBuilder::new()
            .layer(layer(0))
            .layer(layer(1))
            .layer(layer(2))
            .layer(layer(3))
            .layer(layer(4))
            .layer(layer(5))
            .layer(layer(6))
            .layer(layer(7))
            .layer(layer(8))
            .layer(layer(9))
            .layer(layer(10))
            .layer(layer(11))
            .service(trivial());
        rows.push(row(
            "tower-http SetResponseHeaderLayer x12 (static)",
            svc,
            &inputs,
        ));
    }

    // --- reference: the technique our layer uses, hand-written -----------------------------
    let template = Arc::new({
        let set = helmet_headers(HELMET_CSP);
        let mut map = HeaderMap::with_capacity(set.len());
        for (n, v) in set {
            map.insert(n, v);
        }
        map
    });
    let cloned = ServiceBuilder::new()
        .map_response(move |mut r: Response<Body>| {
            if r.headers().is_empty() {
                *r.headers_mut() = HeaderMap::clone(&template);
            }
            r
        })
        .service(trivial());
    rows.push(row(
        "reference: clone of a pre-built map (static)",
        cloned,
        &inputs,
    ));

    let rows = measure_interleaved(rows);
    black_box(&rows);
    print_table(
        "Security headers per response through tower oneshot (helmet 8 default set)",
        &rows,
        "floor: pre-built inserts (static) (12 headers)",
    );
}
