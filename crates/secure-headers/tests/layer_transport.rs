//! HTTPS redirect, trusted-proxy rules, CORS preflights and cookie hardening through the
//! layer in a real axum app (tower `oneshot`, no network).
#![cfg(feature = "axum")]

use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::body::Body;
use axum::routing::get;
use http::{HeaderMap, Method, Request, StatusCode, header};
use secure_headers::https_redirect::TrustedProxies;
use secure_headers::{
    CorsPolicy, HeaderOverrides, HttpsRedirect, PeerAddr, SecureHeaders, SecureHeadersLayer,
};
use tower::ServiceExt;

fn app(bundle: SecureHeaders, calls: Arc<AtomicUsize>) -> Router {
    Router::new()
        .route(
            "/",
            get(move || {
                calls.fetch_add(1, Ordering::SeqCst);
                async { "ok" }
            })
            .post(|| async { "posted" }),
        )
        .route(
            "/login",
            get(|| async {
                (
                    axum::response::AppendHeaders([
                        (header::SET_COOKIE, "session=abc"),
                        (header::SET_COOKIE, "theme=dark; Path=/"),
                    ]),
                    "logged in",
                )
            }),
        )
        .route(
            "/raw-cookie",
            get(|| async {
                (
                    axum::Extension(HeaderOverrides::new().skip_cookie_hardening()),
                    [(header::SET_COOKIE, "raw=1")],
                    "raw",
                )
            }),
        )
        .layer(SecureHeadersLayer::new(bundle))
}

async fn send(app: &Router, req: Request<Body>) -> (StatusCode, HeaderMap) {
    let response = app.clone().oneshot(req).await.unwrap();
    (response.status(), response.headers().clone())
}

fn request(uri: &str, peer: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut builder = Request::get(uri);
    for (n, v) in headers {
        builder = builder.header(*n, *v);
    }
    let mut req = builder.body(Body::empty()).unwrap();
    req.extensions_mut()
        .insert(PeerAddr(peer.parse::<IpAddr>().unwrap()));
    req
}

fn redirecting_bundle() -> SecureHeaders {
    let redirect = HttpsRedirect::builder()
        .allow_host("example.com")
        .trusted_proxies(TrustedProxies::new().with("10.0.0.0/8").unwrap())
        .build()
        .unwrap();
    SecureHeaders::recommended()
        .https_redirect(redirect)
        .build()
        .unwrap()
}

#[tokio::test]
async fn plain_http_request_is_redirected_with_308_to_https() {
    let calls = Arc::new(AtomicUsize::new(0));
    let app = app(redirecting_bundle(), calls.clone());
    let (status, headers) = send(
        &app,
        request("/?q=1", "203.0.113.9", &[("host", "example.com")]),
    )
    .await;
    assert_eq!(status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(headers[header::LOCATION], "https://example.com/?q=1");
    assert!(headers.get(header::STRICT_TRANSPORT_SECURITY).is_none());
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(calls.load(Ordering::SeqCst), 0, "handler must not run");
}

#[tokio::test]
async fn redirect_refuses_hosts_outside_the_allow_list() {
    let calls = Arc::new(AtomicUsize::new(0));
    let app = app(redirecting_bundle(), calls.clone());
    let (status, headers) = send(
        &app,
        request("/", "203.0.113.9", &[("host", "evil.example")]),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(headers.get(header::LOCATION).is_none());
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn trusted_proxy_x_forwarded_proto_https_is_served_with_hsts() {
    let calls = Arc::new(AtomicUsize::new(0));
    let app = app(redirecting_bundle(), calls.clone());
    let (status, headers) = send(
        &app,
        request(
            "/",
            "10.1.2.3",
            &[("host", "example.com"), ("x-forwarded-proto", "https")],
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers[header::STRICT_TRANSPORT_SECURITY],
        "max-age=31536000; includeSubDomains"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn spoofed_x_forwarded_proto_from_untrusted_peer_is_ignored() {
    let calls = Arc::new(AtomicUsize::new(0));
    let app = app(redirecting_bundle(), calls.clone());
    let (status, headers) = send(
        &app,
        request(
            "/",
            "198.51.100.7",
            &[("host", "example.com"), ("x-forwarded-proto", "https")],
        ),
    )
    .await;
    assert_eq!(status, StatusCode::PERMANENT_REDIRECT);
    assert!(headers.get(header::STRICT_TRANSPORT_SECURITY).is_none());
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn hsts_follows_trusted_proxies_without_redirect() {
    let bundle = SecureHeaders::recommended()
        .trusted_proxies(TrustedProxies::new().with("10.0.0.0/8").unwrap())
        .build()
        .unwrap();
    let app = app(bundle, Arc::default());
    let (_, spoofed) = send(
        &app,
        request("/", "198.51.100.7", &[("x-forwarded-proto", "https")]),
    )
    .await;
    assert!(spoofed.get(header::STRICT_TRANSPORT_SECURITY).is_none());
    let (_, trusted) = send(
        &app,
        request("/", "10.0.0.1", &[("x-forwarded-proto", "https")]),
    )
    .await;
    assert!(trusted.get(header::STRICT_TRANSPORT_SECURITY).is_some());
}

#[tokio::test]
async fn set_cookie_headers_are_hardened_on_the_way_out() {
    let bundle = SecureHeaders::recommended()
        .harden_cookies(cookie_attrs::CookiePolicy::default())
        .build()
        .unwrap();
    let app = app(bundle, Arc::default());
    let (_, headers) = send(&app, request("/login", "10.0.0.1", &[])).await;
    let cookies: Vec<_> = headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert_eq!(cookies.len(), 2, "{cookies:?}");
    for c in &cookies {
        assert!(c.contains("Secure"), "{c}");
        assert!(c.contains("HttpOnly"), "{c}");
        assert!(c.contains("SameSite="), "{c}");
    }
    let (_, headers) = send(&app, request("/raw-cookie", "10.0.0.1", &[])).await;
    assert_eq!(headers[header::SET_COOKIE], "raw=1");
}

fn cors_app(calls: Arc<AtomicUsize>) -> Router {
    let cors = CorsPolicy::builder()
        .allow_origin("https://app.example")
        .allow_methods([Method::GET, Method::POST])
        .allow_headers(["content-type"])
        .max_age(600)
        .build()
        .unwrap();
    app(SecureHeaders::api().cors(cors).build().unwrap(), calls)
}

fn preflight(origin: &str, method: &str, headers: Option<&str>) -> Request<Body> {
    let mut b = Request::builder()
        .method(Method::OPTIONS)
        .uri("/")
        .header(header::ORIGIN, origin)
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, method);
    if let Some(h) = headers {
        b = b.header(header::ACCESS_CONTROL_REQUEST_HEADERS, h);
    }
    b.body(Body::empty()).unwrap()
}

#[tokio::test]
async fn cors_preflight_matrix_is_answered_by_the_layer() {
    // (origin, method, request headers, allowed?)
    let cases = [
        ("https://app.example", "POST", Some("content-type"), true),
        ("https://app.example", "GET", None, true),
        ("https://app.example", "DELETE", None, false),
        ("https://app.example", "POST", Some("x-secret"), false),
        ("https://evil.example", "GET", None, false),
        ("null", "GET", None, false),
    ];
    for (origin, method, req_headers, allowed) in cases {
        let calls = Arc::new(AtomicUsize::new(0));
        let app = cors_app(calls.clone());
        let (status, headers) = send(&app, preflight(origin, method, req_headers)).await;
        assert_eq!(
            calls.load(Ordering::SeqCst),
            0,
            "handler ran for preflight {origin} {method}"
        );
        let allow_origin = headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN);
        if allowed {
            assert!(
                status.is_success(),
                "{origin} {method} {req_headers:?}: {status}"
            );
            assert_eq!(allow_origin.unwrap(), origin);
        } else {
            assert!(allow_origin.is_none(), "{origin} {method} {req_headers:?}");
        }
        // the preflight answer still carries the security headers
        assert_eq!(headers["x-content-type-options"], "nosniff");
    }
}

#[tokio::test]
async fn cors_actual_request_gets_allow_origin_only_for_allowed_origin() {
    let app = cors_app(Arc::default());
    let (_, ok) = send(
        &app,
        request("/", "10.0.0.1", &[("origin", "https://app.example")]),
    )
    .await;
    assert_eq!(
        ok[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "https://app.example"
    );
    let (_, denied) = send(
        &app,
        request("/", "10.0.0.1", &[("origin", "https://evil.example")]),
    )
    .await;
    assert!(denied.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
}
