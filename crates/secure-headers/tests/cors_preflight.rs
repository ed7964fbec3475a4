//! CORS preflight and actual-request matrix (Fetch §3.2, §4.8 "CORS-preflight fetch").

use http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE,
    ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN, VARY,
};
use http::{HeaderMap, HeaderValue, Method};
use secure_headers::cors::{CorsDecision, CorsError, CorsPolicy, PreflightRejection};

fn credentialed() -> CorsPolicy {
    CorsPolicy::builder()
        .allow_origins(["https://app.example", "https://*.tenant.example"])
        .allow_credentials()
        .allow_methods([Method::PUT, Method::DELETE])
        .allow_headers(["Content-Type", "X-CSRF-Token"])
        .expose_headers(["x-request-id"])
        .max_age(600)
        .build()
        .unwrap()
}

fn public_api() -> CorsPolicy {
    CorsPolicy::builder()
        .allow_any_origin()
        .allow_any_method()
        .allow_any_header()
        .build()
        .unwrap()
}

fn preflight_headers(
    origin: Option<&str>,
    method: &str,
    request_headers: Option<&str>,
) -> HeaderMap {
    let mut h = HeaderMap::new();
    if let Some(o) = origin {
        h.insert(ORIGIN, HeaderValue::from_str(o).unwrap());
    }
    h.insert(
        ACCESS_CONTROL_REQUEST_METHOD,
        HeaderValue::from_str(method).unwrap(),
    );
    if let Some(r) = request_headers {
        h.insert(
            ACCESS_CONTROL_REQUEST_HEADERS,
            HeaderValue::from_str(r).unwrap(),
        );
    }
    h
}

fn preflight(
    policy: &CorsPolicy,
    origin: &str,
    method: &str,
    request_headers: Option<&str>,
) -> Result<HeaderMap, PreflightRejection> {
    match policy.evaluate(
        &Method::OPTIONS,
        &preflight_headers(Some(origin), method, request_headers),
    ) {
        CorsDecision::Preflight(p) => {
            assert_eq!(p.status(), 204);
            Ok(p.headers().clone())
        }
        CorsDecision::PreflightRejected(r) => Err(r.reason().clone()),
        other => panic!("not treated as a preflight: {other:?}"),
    }
}

/// (origin, requested method, requested headers, expected outcome)
type PreflightCase = (
    &'static str,
    &'static str,
    Option<&'static str>,
    Result<(), PreflightRejection>,
);

#[test]
fn preflight_matrix_credentialed_policy() {
    let p = credentialed();
    // (origin, method, request headers, expected outcome)
    let cases: &[PreflightCase] = &[
        ("https://app.example", "PUT", Some("content-type"), Ok(())),
        (
            "https://app.example",
            "PUT",
            Some("content-type,x-csrf-token"),
            Ok(()),
        ),
        // Header names compare case-insensitively.
        (
            "https://app.example",
            "DELETE",
            Some("X-CSRF-TOKEN , Content-Type"),
            Ok(()),
        ),
        // Safelisted methods need no listing.
        ("https://app.example", "POST", None, Ok(())),
        ("https://a.b.tenant.example", "PUT", None, Ok(())),
        (
            "https://evil.example",
            "PUT",
            None,
            Err(PreflightRejection::OriginNotAllowed),
        ),
        (
            "https://app.example.evil",
            "PUT",
            None,
            Err(PreflightRejection::OriginNotAllowed),
        ),
        (
            "https://tenant.example",
            "PUT",
            None,
            Err(PreflightRejection::OriginNotAllowed),
        ),
        (
            "http://app.example",
            "PUT",
            None,
            Err(PreflightRejection::OriginNotAllowed),
        ),
        (
            "https://app.example:8443",
            "PUT",
            None,
            Err(PreflightRejection::OriginNotAllowed),
        ),
        (
            "null",
            "PUT",
            None,
            Err(PreflightRejection::OriginNotAllowed),
        ),
        (
            "https://app.example",
            "PATCH",
            None,
            Err(PreflightRejection::MethodNotAllowed(Method::PATCH)),
        ),
        // Methods are case-sensitive: `put` is not `PUT`.
        (
            "https://app.example",
            "put",
            None,
            Err(PreflightRejection::MethodNotAllowed(
                Method::from_bytes(b"put").unwrap(),
            )),
        ),
        (
            "https://app.example",
            "PUT",
            Some("authorization"),
            Err(PreflightRejection::HeaderNotAllowed(
                http::header::AUTHORIZATION,
            )),
        ),
        (
            "https://app.example",
            "PUT",
            Some("content-type, bad header"),
            Err(PreflightRejection::InvalidRequestHeaders),
        ),
        (
            "https://app.example",
            "PU T",
            None,
            Err(PreflightRejection::InvalidRequestMethod),
        ),
    ];
    for (origin, method, req_headers, expected) in cases {
        let got = preflight(&p, origin, method, *req_headers);
        match (expected, &got) {
            (Ok(()), Ok(h)) => {
                assert_eq!(
                    h[ACCESS_CONTROL_ALLOW_ORIGIN], *origin,
                    "echoes the matched origin"
                );
                assert_eq!(h[ACCESS_CONTROL_ALLOW_CREDENTIALS], "true");
                assert_eq!(h[ACCESS_CONTROL_ALLOW_METHODS], "PUT, DELETE");
                assert_eq!(
                    h[ACCESS_CONTROL_ALLOW_HEADERS],
                    "content-type, x-csrf-token"
                );
                assert_eq!(h[ACCESS_CONTROL_MAX_AGE], "600");
                assert_eq!(
                    h[VARY],
                    "origin, access-control-request-method, access-control-request-headers"
                );
            }
            (Err(e), Err(g)) => assert_eq!(e, g, "{origin} {method} {req_headers:?}"),
            _ => panic!("{origin} {method} {req_headers:?}: expected {expected:?}, got {got:?}"),
        }
    }
}

#[test]
fn wildcard_policy_answers_star_and_does_not_vary_on_origin() {
    let p = public_api();
    let h = preflight(&p, "https://anyone.example", "PATCH", Some("x-custom")).unwrap();
    assert_eq!(h[ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    assert_eq!(h[ACCESS_CONTROL_ALLOW_METHODS], "*");
    assert_eq!(h[ACCESS_CONTROL_ALLOW_HEADERS], "*");
    assert!(h.get(ACCESS_CONTROL_ALLOW_CREDENTIALS).is_none());
    assert_eq!(
        h[VARY],
        "access-control-request-method, access-control-request-headers"
    );
    // `*` never covers Authorization (Fetch "CORS non-wildcard request-header name").
    assert_eq!(
        preflight(&p, "https://anyone.example", "GET", Some("authorization")),
        Err(PreflightRejection::HeaderNotAllowed(
            http::header::AUTHORIZATION
        ))
    );
}

#[test]
fn null_origin_only_without_credentials() {
    let p = CorsPolicy::builder().allow_null_origin().build().unwrap();
    let h = preflight(&p, "null", "GET", None).unwrap();
    assert_eq!(h[ACCESS_CONTROL_ALLOW_ORIGIN], "null");
    assert_eq!(
        CorsPolicy::builder()
            .allow_null_origin()
            .allow_credentials()
            .build()
            .unwrap_err(),
        CorsError::NullOriginWithCredentials
    );
}

#[test]
fn reflecting_any_origin_with_credentials_is_a_build_error() {
    assert_eq!(
        CorsPolicy::builder()
            .allow_any_origin()
            .allow_credentials()
            .build()
            .unwrap_err(),
        CorsError::AnyOriginWithCredentials
    );
    assert_eq!(
        CorsPolicy::builder()
            .allow_any_origin()
            .allow_origin("https://a.example")
            .build()
            .unwrap_err(),
        CorsError::AnyOriginWithNamedOrigins
    );
}

#[test]
fn actual_request_allowed_origin_gets_headers_and_vary() {
    let p = credentialed();
    let mut req = HeaderMap::new();
    req.insert(ORIGIN, HeaderValue::from_static("https://app.example"));
    let CorsDecision::Actual(add) = p.evaluate(&Method::PUT, &req) else {
        panic!()
    };
    let mut resp = HeaderMap::new();
    add.apply(&mut resp);
    assert_eq!(resp[ACCESS_CONTROL_ALLOW_ORIGIN], "https://app.example");
    assert_eq!(resp[ACCESS_CONTROL_ALLOW_CREDENTIALS], "true");
    assert_eq!(resp[ACCESS_CONTROL_EXPOSE_HEADERS], "x-request-id");
    assert_eq!(resp[VARY], "origin");
}

#[test]
fn actual_request_denied_or_missing_origin_still_varies() {
    let p = credentialed();
    for origin in [Some("https://evil.example"), None] {
        let mut req = HeaderMap::new();
        if let Some(o) = origin {
            req.insert(ORIGIN, HeaderValue::from_static(o));
        }
        let CorsDecision::Actual(add) = p.evaluate(&Method::GET, &req) else {
            panic!()
        };
        assert!(!add.is_allowed());
        let mut resp = HeaderMap::new();
        add.apply(&mut resp);
        assert!(resp.get(ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
        assert!(resp.get(ACCESS_CONTROL_ALLOW_CREDENTIALS).is_none());
        assert_eq!(
            resp[VARY], "origin",
            "caches must not reuse a response across origins"
        );
    }
}

#[test]
fn vary_is_not_duplicated() {
    let p = credentialed();
    let mut req = HeaderMap::new();
    req.insert(ORIGIN, HeaderValue::from_static("https://app.example"));
    let CorsDecision::Actual(add) = p.evaluate(&Method::GET, &req) else {
        panic!()
    };
    let mut resp = HeaderMap::new();
    resp.insert(VARY, HeaderValue::from_static("Accept-Encoding, Origin"));
    add.apply(&mut resp);
    assert_eq!(resp.get_all(VARY).iter().count(), 1);
    let mut star = HeaderMap::new();
    star.insert(VARY, HeaderValue::from_static("*"));
    add.apply(&mut star);
    assert_eq!(star.get_all(VARY).iter().count(), 1);
}

#[test]
fn repeated_or_non_canonical_origin_is_not_allowed() {
    let p = credentialed();
    let mut req = HeaderMap::new();
    req.append(ORIGIN, HeaderValue::from_static("https://app.example"));
    req.append(ORIGIN, HeaderValue::from_static("https://evil.example"));
    let CorsDecision::Actual(add) = p.evaluate(&Method::GET, &req) else {
        panic!()
    };
    assert!(!add.is_allowed());
    for o in [
        "HTTPS://APP.EXAMPLE",
        "https://app.example/",
        "https://app.example:443",
        " https://app.example",
    ] {
        let mut req = HeaderMap::new();
        req.insert(ORIGIN, HeaderValue::from_str(o).unwrap());
        let CorsDecision::Actual(add) = p.evaluate(&Method::GET, &req) else {
            panic!()
        };
        assert!(!add.is_allowed(), "{o}");
    }
}

#[test]
fn options_without_request_method_is_an_actual_request() {
    let p = credentialed();
    let mut req = HeaderMap::new();
    req.insert(ORIGIN, HeaderValue::from_static("https://app.example"));
    assert!(matches!(
        p.evaluate(&Method::OPTIONS, &req),
        CorsDecision::Actual(_)
    ));
    // And a preflight without Origin is not CORS at all.
    let no_origin = preflight_headers(None, "PUT", None);
    let CorsDecision::Actual(add) = p.evaluate(&Method::OPTIONS, &no_origin) else {
        panic!()
    };
    assert!(!add.is_allowed());
}

#[test]
fn private_network_preflight_needs_opt_in() {
    let mut h = preflight_headers(Some("https://app.example"), "GET", None);
    h.insert(
        "access-control-request-private-network",
        HeaderValue::from_static("true"),
    );
    let CorsDecision::PreflightRejected(r) = credentialed().evaluate(&Method::OPTIONS, &h) else {
        panic!()
    };
    assert_eq!(r.reason(), &PreflightRejection::PrivateNetworkNotAllowed);
    let p = CorsPolicy::builder()
        .allow_origin("https://app.example")
        .allow_private_network()
        .build()
        .unwrap();
    let CorsDecision::Preflight(ok) = p.evaluate(&Method::OPTIONS, &h) else {
        panic!()
    };
    assert_eq!(ok.headers()["access-control-allow-private-network"], "true");
}

#[test]
fn too_many_requested_headers_are_rejected() {
    let p = public_api();
    let many = (0..100)
        .map(|i| format!("x-h{i}"))
        .collect::<Vec<_>>()
        .join(",");
    assert_eq!(
        preflight(&p, "https://a.example", "GET", Some(&many)),
        Err(PreflightRejection::InvalidRequestHeaders)
    );
}
