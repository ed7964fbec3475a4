//! The tower layer through a real axum app (tower `oneshot`, no network).
#![cfg(feature = "axum")]

use std::collections::HashSet;

use axum::body::Body;
use axum::routing::get;
use axum::{Extension, Router};
use http::{HeaderMap, HeaderValue, Request, StatusCode, header};
use http_body_util::BodyExt;
use secure_headers::{
    Csp, CspNonce, CspOverride, HeaderOverrides, HttpsDetection, OnConflict, SecureHeaders,
    SecureHeadersLayer,
};
use tower::ServiceExt;

fn app(bundle: SecureHeaders) -> Router {
    app_with(SecureHeadersLayer::new(bundle))
}

fn app_with(layer: SecureHeadersLayer) -> Router {
    Router::new()
        .route("/", get(|| async { "plain" }))
        .route(
            "/page",
            get(|nonce: CspNonce| async move { nonce.to_string() }),
        )
        .route(
            "/sets-xfo",
            get(|| async { ([(header::X_FRAME_OPTIONS, "DENY")], "framed?") }),
        )
        .route(
            "/sets-csp",
            get(|| async {
                (
                    [(header::CONTENT_SECURITY_POLICY, "img-src 'none'")],
                    "own csp",
                )
            }),
        )
        .route(
            "/skip-xfo",
            get(|| async {
                (
                    Extension(HeaderOverrides::new().skip(header::X_FRAME_OPTIONS)),
                    "embeddable",
                )
            }),
        )
        .route(
            "/replace-csp",
            get(|| async {
                let csp = Csp::new()
                    .directive("default-src", ["'none'"])
                    .compile()
                    .unwrap();
                (
                    Extension(HeaderOverrides::new().csp(CspOverride::Replace(csp.into()))),
                    "replaced",
                )
            }),
        )
        .route(
            "/add-csp",
            get(|| async {
                let csp = Csp::new()
                    .directive("img-src", ["'none'"])
                    .compile()
                    .unwrap();
                (
                    Extension(HeaderOverrides::new().csp(CspOverride::AddPolicy(csp.into()))),
                    "added",
                )
            }),
        )
        .route(
            "/leaky",
            get(|| async { ([("x-powered-by", "Express"), ("server", "nginx")], "leaky") }),
        )
        .layer(layer)
}

async fn get_response(app: &Router, uri: &str) -> (StatusCode, HeaderMap, String) {
    let response = app
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8(body.to_vec()).unwrap())
}

fn values<'a>(headers: &'a HeaderMap, name: &str) -> Vec<&'a str> {
    headers
        .get_all(name)
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect()
}

/// Every header of `recommended()` as documented, value by value (helmet 8's defaults).
const RECOMMENDED: &[(&str, &str)] = &[
    (
        "content-security-policy",
        "default-src 'self'; base-uri 'self'; font-src 'self' https: data:; form-action 'self'; \
         frame-ancestors 'self'; img-src 'self' data:; object-src 'none'; script-src 'self'; \
         script-src-attr 'none'; style-src 'self' https: 'unsafe-inline'; upgrade-insecure-requests",
    ),
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
];

const API: &[(&str, &str)] = &[
    (
        "content-security-policy",
        "default-src 'none'; frame-ancestors 'none'",
    ),
    ("cache-control", "no-store"),
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
    ("referrer-policy", "no-referrer"),
    (
        "strict-transport-security",
        "max-age=31536000; includeSubDomains",
    ),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("x-permitted-cross-domain-policies", "none"),
];

fn assert_exact(headers: &HeaderMap, expected: &[(&str, &str)]) {
    for (name, value) in expected {
        assert_eq!(values(headers, name), vec![*value], "header {name}");
    }
    // nothing else than documented (content-type and content-length come from axum)
    let extra: Vec<_> = headers
        .keys()
        .filter(|k| !expected.iter().any(|(n, _)| k.as_str() == *n))
        .filter(|k| *k != header::CONTENT_TYPE && *k != header::CONTENT_LENGTH)
        .collect();
    assert!(extra.is_empty(), "undocumented headers: {extra:?}");
}

#[tokio::test]
async fn recommended_preset_sends_helmet_defaults_exactly() {
    let app = app(SecureHeaders::recommended().build().unwrap());
    let (status, headers, _) = get_response(&app, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert_exact(&headers, RECOMMENDED);
}

#[tokio::test]
async fn api_preset_sends_documented_values_exactly() {
    let app = app(SecureHeaders::api().build().unwrap());
    let (_, headers, _) = get_response(&app, "/").await;
    assert_exact(&headers, API);
}

#[tokio::test]
async fn strict_preset_sends_documented_values_with_fresh_nonce() {
    let app = app(SecureHeaders::strict().build().unwrap());
    let (_, headers, nonce) = get_response(&app, "/page").await;
    let csp = format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic'; style-src 'nonce-{nonce}' 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; upgrade-insecure-requests"
    );
    let expected: Vec<(&str, &str)> = vec![
        ("content-security-policy", &csp),
        ("cross-origin-embedder-policy", "require-corp"),
        ("cross-origin-opener-policy", "same-origin"),
        ("cross-origin-resource-policy", "same-origin"),
        ("origin-agent-cluster", "?1"),
        (
            "permissions-policy",
            secure_headers::preset::STRICT_PERMISSIONS_POLICY,
        ),
        ("referrer-policy", "no-referrer"),
        (
            "strict-transport-security",
            "max-age=31536000; includeSubDomains",
        ),
        ("x-content-type-options", "nosniff"),
        ("x-dns-prefetch-control", "off"),
        ("x-frame-options", "DENY"),
        ("x-permitted-cross-domain-policies", "none"),
        ("x-xss-protection", "0"),
        ("cache-control", "no-store, max-age=0"),
    ];
    assert_exact(&headers, &expected);
}

#[tokio::test(flavor = "current_thread")]
async fn every_response_gets_a_fresh_nonce_matching_the_handlers() {
    let app = app(SecureHeaders::strict().build().unwrap());
    let mut seen = HashSet::with_capacity(100_000);
    for _ in 0..100_000 {
        let response = app
            .clone()
            .oneshot(Request::get("/page").body(Body::empty()).unwrap())
            .await
            .unwrap();
        let csp = response.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .to_owned();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        let nonce = String::from_utf8(body.to_vec()).unwrap();
        assert_eq!(nonce.len(), 24);
        assert!(csp.contains(&format!("script-src 'nonce-{nonce}' 'strict-dynamic'")));
        assert!(seen.insert(nonce), "nonce repeated");
    }
}

#[tokio::test]
async fn nonce_extractor_rejects_when_policy_has_no_nonce() {
    let app = app(SecureHeaders::api().build().unwrap());
    let (status, _, _) = get_response(&app, "/page").await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
}

#[tokio::test]
async fn handler_header_is_kept_by_default() {
    let app = app(SecureHeaders::recommended().build().unwrap());
    let (_, headers, _) = get_response(&app, "/sets-xfo").await;
    assert_eq!(values(&headers, "x-frame-options"), vec!["DENY"]);
}

#[tokio::test]
async fn override_rule_replaces_handler_header() {
    let bundle = SecureHeaders::recommended()
        .on_conflict(header::X_FRAME_OPTIONS, OnConflict::Override)
        .build()
        .unwrap();
    let (_, headers, _) = get_response(&app(bundle), "/sets-xfo").await;
    assert_eq!(values(&headers, "x-frame-options"), vec!["SAMEORIGIN"]);
}

#[tokio::test]
async fn handler_csp_is_merged_as_second_policy_by_default() {
    let app = app(SecureHeaders::api().build().unwrap());
    let (_, headers, _) = get_response(&app, "/sets-csp").await;
    assert_eq!(
        values(&headers, "content-security-policy"),
        vec![
            "img-src 'none'",
            "default-src 'none'; frame-ancestors 'none'"
        ]
    );
}

#[tokio::test]
async fn csp_keep_rule_leaves_handler_policy_alone() {
    let bundle = SecureHeaders::api()
        .on_conflict(header::CONTENT_SECURITY_POLICY, OnConflict::Keep)
        .build()
        .unwrap();
    let (_, headers, _) = get_response(&app(bundle), "/sets-csp").await;
    assert_eq!(
        values(&headers, "content-security-policy"),
        vec!["img-src 'none'"]
    );
}

#[tokio::test]
async fn skip_override_drops_one_header_for_one_route() {
    let app = app(SecureHeaders::recommended().build().unwrap());
    let (_, headers, _) = get_response(&app, "/skip-xfo").await;
    assert!(headers.get("x-frame-options").is_none());
    let (_, headers, _) = get_response(&app, "/").await;
    assert_eq!(values(&headers, "x-frame-options"), vec!["SAMEORIGIN"]);
}

#[tokio::test]
async fn csp_override_replaces_or_adds_a_policy() {
    let app = app(SecureHeaders::recommended().build().unwrap());
    let (_, headers, _) = get_response(&app, "/replace-csp").await;
    assert_eq!(
        values(&headers, "content-security-policy"),
        vec!["default-src 'none'"]
    );
    let (_, headers, _) = get_response(&app, "/add-csp").await;
    let csp = values(&headers, "content-security-policy");
    assert_eq!(csp.len(), 2);
    assert_eq!(csp[0], RECOMMENDED[0].1);
    assert_eq!(csp[1], "img-src 'none'");
}

#[tokio::test]
async fn leaky_headers_are_removed() {
    let app = app(SecureHeaders::strict().build().unwrap());
    let (_, headers, _) = get_response(&app, "/leaky").await;
    assert!(headers.get("x-powered-by").is_none());
    assert!(headers.get("server").is_none());
}

#[tokio::test]
async fn hsts_only_on_https_requests_when_detected_from_scheme() {
    let layer = SecureHeadersLayer::new(SecureHeaders::recommended().build().unwrap())
        .https_detection(HttpsDetection::RequestScheme);
    let app = app_with(layer);
    let (_, headers, _) = get_response(&app, "http://example.com/").await;
    assert!(headers.get("strict-transport-security").is_none());
    let (_, headers, _) = get_response(&app, "https://example.com/").await;
    assert_eq!(
        headers.get("strict-transport-security"),
        Some(&HeaderValue::from_static(
            "max-age=31536000; includeSubDomains"
        ))
    );
}

#[tokio::test]
async fn report_only_policy_derived_from_enforced_is_sent_with_same_nonce() {
    let bundle = SecureHeaders::strict()
        .csp_report_only_from_enforced(|p| p.directive("require-trusted-types-for", ["'script'"]))
        .build()
        .unwrap();
    let (_, headers, nonce) = get_response(&app(bundle), "/page").await;
    let ro = values(&headers, "content-security-policy-report-only");
    assert_eq!(ro.len(), 1);
    assert!(ro[0].contains(&format!("'nonce-{nonce}'")));
    assert!(ro[0].ends_with("require-trusted-types-for 'script'"));
    assert!(!ro[0].contains("upgrade-insecure-requests"));
}
