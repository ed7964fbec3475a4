//! One case per check: a response that must trigger the finding, and a corrected one that must
//! not (so every check can fail both ways).

use header_audit::{Context, CspCheckOptions, ResponseKind, Severity, audit, check_csp};
use http::{HeaderMap, HeaderName, HeaderValue};

fn map(pairs: &[(&str, &str)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (n, v) in pairs {
        h.append(
            HeaderName::from_bytes(n.as_bytes()).unwrap(),
            HeaderValue::from_str(v).unwrap(),
        );
    }
    h
}

fn assert_rule(id: &str, ctx: &Context, bad: &[(&str, &str)], good: &[(&str, &str)]) {
    let b = audit(&map(bad), ctx);
    assert!(
        b.has(id),
        "{id} should fire on {bad:?}: {:?}",
        b.findings.iter().map(|f| f.id).collect::<Vec<_>>()
    );
    let g = audit(&map(good), ctx);
    assert!(!g.has(id), "{id} should not fire on {good:?}");
}

fn https() -> Context {
    Context::https("https://example.com/")
}

#[test]
fn hsts_missing_over_https() {
    assert_rule(
        "hsts-missing",
        &https(),
        &[],
        &[("strict-transport-security", "max-age=63072000")],
    );
}

#[test]
fn hsts_invalid_header_is_ignored() {
    assert_rule(
        "hsts-invalid",
        &https(),
        &[("strict-transport-security", "max-age=1; max-age=2")],
        &[("strict-transport-security", "max-age=63072000")],
    );
}

#[test]
fn hsts_only_first_header_is_processed() {
    // RFC 6797 §8.1: the second (valid) header does not rescue an invalid first one.
    let r = audit(
        &map(&[
            ("strict-transport-security", "includeSubDomains"),
            ("strict-transport-security", "max-age=63072000"),
        ]),
        &https(),
    );
    assert_eq!(
        r.result("strict-transport-security"),
        Some("hsts-header-invalid")
    );
    assert!(r.has("hsts-multiple-headers"));
}

#[test]
fn hsts_max_age_too_short() {
    assert_rule(
        "hsts-max-age-too-short",
        &https(),
        &[("strict-transport-security", "max-age=86400")],
        &[("strict-transport-security", "max-age=15768000")],
    );
}

#[test]
fn hsts_max_age_zero_removes_protection() {
    assert_rule(
        "hsts-max-age-zero",
        &https(),
        &[("strict-transport-security", "max-age=0")],
        &[("strict-transport-security", "max-age=31536000")],
    );
}

#[test]
fn hsts_preload_requires_one_year_and_subdomains() {
    assert_rule(
        "hsts-preload-ineligible",
        &https(),
        &[("strict-transport-security", "max-age=15768000; preload")],
        &[(
            "strict-transport-security",
            "max-age=31536000; includeSubDomains; preload",
        )],
    );
    assert_rule(
        "hsts-preload-ready",
        &https(),
        &[(
            "strict-transport-security",
            "max-age=31536000; includeSubDomains",
        )],
        &[(
            "strict-transport-security",
            "max-age=31536000; includeSubDomains; preload",
        )],
    );
}

#[test]
fn hsts_sent_over_http_is_ignored() {
    let ctx = Context::plain_http();
    let r = audit(
        &map(&[("strict-transport-security", "max-age=63072000")]),
        &ctx,
    );
    assert!(r.has("hsts-over-http"));
    assert_eq!(
        r.result("strict-transport-security"),
        Some("hsts-not-implemented-no-https")
    );
}

#[test]
fn xfo_missing_without_frame_ancestors() {
    assert_rule("xfo-missing", &https(), &[], &[("x-frame-options", "DENY")]);
    assert_rule(
        "xfo-missing",
        &https(),
        &[],
        &[("content-security-policy", "frame-ancestors 'none'")],
    );
}

#[test]
fn xfo_allow_from_is_unsupported() {
    assert_rule(
        "xfo-allow-from",
        &https(),
        &[("x-frame-options", "ALLOW-FROM https://a.example")],
        &[("x-frame-options", "SAMEORIGIN")],
    );
}

#[test]
fn xfo_invalid_value() {
    assert_rule(
        "xfo-invalid",
        &https(),
        &[("x-frame-options", "\"DENY\"")],
        &[("x-frame-options", "deny")],
    );
}

#[test]
fn xfo_report_only_frame_ancestors_does_not_replace_it() {
    let r = audit(
        &map(&[(
            "content-security-policy-report-only",
            "frame-ancestors 'none'; report-uri /r",
        )]),
        &https(),
    );
    assert!(r.has("xfo-missing"));
}

#[test]
fn xfo_superseded_by_enforced_frame_ancestors() {
    assert_rule(
        "xfo-superseded-by-frame-ancestors",
        &https(),
        &[
            ("x-frame-options", "DENY"),
            ("content-security-policy", "frame-ancestors 'self'"),
        ],
        &[("x-frame-options", "DENY")],
    );
}

#[test]
fn nosniff_first_value_decides() {
    assert_rule(
        "xcto-missing",
        &https(),
        &[],
        &[("x-content-type-options", "nosniff")],
    );
    assert_rule(
        "xcto-invalid",
        &https(),
        &[("x-content-type-options", "garbage, nosniff")],
        &[("x-content-type-options", "NoSniff,,garbage")],
    );
}

#[test]
fn referrer_policy_checks() {
    assert_rule(
        "referrer-policy-unsafe-url",
        &https(),
        &[("referrer-policy", "unsafe-url")],
        &[("referrer-policy", "no-referrer")],
    );
    assert_rule(
        "referrer-policy-no-referrer-when-downgrade",
        &https(),
        &[("referrer-policy", "no-referrer-when-downgrade")],
        &[("referrer-policy", "strict-origin-when-cross-origin")],
    );
    assert_rule(
        "referrer-policy-invalid",
        &https(),
        &[("referrer-policy", "whimsy")],
        &[("referrer-policy", "whimsy, same-origin")],
    );
}

#[test]
fn permissions_policy_wildcard_on_powerful_feature() {
    assert_rule(
        "permissions-policy-wildcard",
        &https(),
        &[("permissions-policy", "camera=*")],
        &[("permissions-policy", "camera=()")],
    );
    assert_rule(
        "permissions-policy-missing",
        &https(),
        &[],
        &[("permissions-policy", "geolocation=()")],
    );
}

#[test]
fn coop_coep_corp_checks() {
    assert_rule(
        "coop-missing",
        &https(),
        &[],
        &[("cross-origin-opener-policy", "same-origin")],
    );
    assert_rule(
        "coop-invalid",
        &https(),
        &[("cross-origin-opener-policy", "same-orgin")],
        &[("cross-origin-opener-policy", "same-origin-allow-popups")],
    );
    assert_rule(
        "coep-invalid",
        &https(),
        &[("cross-origin-embedder-policy", "require-crop")],
        &[("cross-origin-embedder-policy", "require-corp")],
    );
    assert_rule(
        "corp-invalid",
        &https(),
        &[("cross-origin-resource-policy", "same")],
        &[("cross-origin-resource-policy", "same-site")],
    );
}

#[test]
fn cors_reflected_origin_with_credentials() {
    let ctx = https().with_request_origin("https://evil.example");
    assert_rule(
        "cors-reflected-origin-with-credentials",
        &ctx,
        &[
            ("access-control-allow-origin", "https://evil.example"),
            ("access-control-allow-credentials", "true"),
        ],
        &[("access-control-allow-origin", "https://evil.example")],
    );
    let r = audit(
        &map(&[
            ("access-control-allow-origin", "https://evil.example"),
            ("access-control-allow-credentials", "true"),
        ]),
        &ctx,
    );
    assert_eq!(
        r.result("cross-origin-resource-sharing"),
        Some("cross-origin-resource-sharing-implemented-with-universal-access")
    );
}

#[test]
fn cors_null_origin_and_wildcard() {
    assert_rule(
        "cors-null-origin",
        &https(),
        &[("access-control-allow-origin", "null")],
        &[("access-control-allow-origin", "https://a.example")],
    );
    assert_rule(
        "cors-wildcard-with-credentials",
        &https(),
        &[
            ("access-control-allow-origin", "*"),
            ("access-control-allow-credentials", "true"),
        ],
        &[("access-control-allow-origin", "*")],
    );
    assert_rule(
        "cors-wildcard",
        &https(),
        &[("access-control-allow-origin", "*")],
        &[],
    );
}

#[test]
fn cookie_checks_come_from_cookie_attrs() {
    assert_rule(
        "set-cookie-missing-secure",
        &https(),
        &[("set-cookie", "sid=1; HttpOnly; SameSite=Lax")],
        &[("set-cookie", "sid=1; Secure; HttpOnly; SameSite=Lax")],
    );
    assert_rule(
        "set-cookie-missing-httponly",
        &https(),
        &[("set-cookie", "sessionid=1; Secure; SameSite=Lax")],
        &[("set-cookie", "sessionid=1; Secure; HttpOnly; SameSite=Lax")],
    );
    assert_rule(
        "set-cookie-prefix-violation",
        &https(),
        &[(
            "set-cookie",
            "__Host-a=1; Secure; Path=/; Domain=example.com",
        )],
        &[("set-cookie", "__Host-a=1; Secure; Path=/")],
    );
    assert_rule(
        "set-cookie-partitioned-without-secure",
        &https(),
        &[("set-cookie", "a=1; Partitioned")],
        &[("set-cookie", "a=1; Secure; Partitioned")],
    );
}

#[test]
fn cookie_set_over_http_is_exposed() {
    let ctx = Context::plain_http();
    let r = audit(
        &map(&[("set-cookie", "sessionid=1; Secure; HttpOnly; SameSite=Lax")]),
        &ctx,
    );
    assert!(r.has("set-cookie-over-http"));
    assert_eq!(
        r.result("cookies"),
        Some("cookies-session-without-secure-flag")
    );
}

#[test]
fn cookie_observatory_results() {
    let r = audit(
        &map(&[
            ("strict-transport-security", "max-age=63072000"),
            ("set-cookie", "theme=dark"),
        ]),
        &https(),
    );
    assert_eq!(
        r.result("cookies"),
        Some("cookies-without-secure-flag-but-protected-by-hsts")
    );
    let r = audit(&map(&[("set-cookie", "csrftoken=x; Secure")]), &https());
    assert_eq!(
        r.result("cookies"),
        Some("cookies-anticsrf-without-samesite-flag")
    );
    let r = audit(
        &map(&[(
            "set-cookie",
            "__Host-sid=x; Secure; HttpOnly; Path=/; SameSite=Strict",
        )]),
        &https(),
    );
    assert_eq!(
        r.result("cookies"),
        Some("cookies-secure-with-httponly-sessions-and-samesite")
    );
}

#[test]
fn hpkp_is_obsolete() {
    assert_rule(
        "hpkp-obsolete",
        &https(),
        &[("public-key-pins", "pin-sha256=\"x\"; max-age=1")],
        &[],
    );
}

#[test]
fn xxss_non_zero_is_harmful() {
    assert_rule(
        "xxss-enabled",
        &https(),
        &[("x-xss-protection", "1; mode=block")],
        &[("x-xss-protection", "0")],
    );
}

#[test]
fn leaky_headers_reveal_versions() {
    assert_rule(
        "leaky-header",
        &https(),
        &[("server", "nginx/1.25.3")],
        &[("server", "nginx")],
    );
    assert_rule(
        "leaky-header",
        &https(),
        &[("x-powered-by", "Express")],
        &[],
    );
}

/// One header repeated many times: the first 16 lines are listed, the rest counted in one more
/// finding; `Server` lines without a version are not counted.
#[test]
fn repeated_leaky_header_lines_are_listed_up_to_a_cap() {
    let leaky = |headers: &HeaderMap| -> Vec<(String, Option<String>)> {
        audit(headers, &https())
            .findings
            .iter()
            .filter(|f| f.id == "leaky-header")
            .map(|f| (f.message.clone(), f.value.clone()))
            .collect()
    };
    for n in [1usize, 16, 17, 5_000] {
        let mut headers = HeaderMap::new();
        for i in 0..n {
            headers.append(
                "x-powered-by",
                HeaderValue::from_str(&format!("php/{i}")).unwrap(),
            );
            headers.append("server", HeaderValue::from_static("nginx"));
        }
        let found = leaky(&headers);
        assert_eq!(found.len(), n.min(16) + usize::from(n > 16), "{n}");
        for (i, (_, value)) in found.iter().take(16).enumerate() {
            assert_eq!(value.as_deref(), Some(format!("php/{i}").as_str()), "{n}");
        }
        if n > 16 {
            let (message, value) = &found[16];
            assert!(
                message.contains(&format!("{} more lines", n - 16)),
                "{message}"
            );
            assert_eq!(*value, None);
        }
    }
}

/// A Permissions-Policy with more ignored members than the facade lists gives one finding per
/// listed member and one counting the rest.
#[test]
fn permissions_policy_members_past_the_diagnostic_cap_are_counted() {
    use secure_headers::permissions_policy::MAX_DIAGNOSTICS;
    let members = vec!["1"; MAX_DIAGNOSTICS + 40].join(" ");
    let headers = map(&[
        ("content-type", "text/html"),
        ("permissions-policy", &format!("camera=({members})")),
    ]);
    let invalid: Vec<String> = audit(&headers, &https())
        .findings
        .iter()
        .filter(|f| f.id == "permissions-policy-invalid")
        .map(|f| f.message.clone())
        .collect();
    assert_eq!(invalid.len(), MAX_DIAGNOSTICS + 1, "{invalid:?}");
    assert!(invalid[0].contains("camera: 1"), "{}", invalid[0]);
    assert_eq!(
        invalid[MAX_DIAGNOSTICS],
        "40 more problems with the header were found and not listed."
    );
}

#[test]
fn csp_missing_only_matters_for_documents() {
    assert_rule(
        "csp-not-implemented",
        &https(),
        &[],
        &[("content-security-policy", "default-src 'none'")],
    );
    let api = https().with_kind(ResponseKind::Api);
    assert!(!audit(&HeaderMap::new(), &api).has("csp-not-implemented"));
}

#[test]
fn csp_every_line_and_comma_item_is_a_policy() {
    // Two lines and a comma: three policies; 'unsafe-inline' in one is closed by the others.
    let r = audit(
        &map(&[
            (
                "content-security-policy",
                "script-src 'unsafe-inline', object-src 'none'",
            ),
            (
                "content-security-policy",
                "script-src 'self'; object-src 'none'",
            ),
        ]),
        &https(),
    );
    assert!(r.has("csp-multiple-policies"));
    assert_ne!(
        r.result("content-security-policy"),
        Some("csp-implemented-with-unsafe-inline")
    );
}

#[test]
fn csp_report_only_pitfalls() {
    assert_rule(
        "csp-report-only-without-enforcement",
        &https(),
        &[(
            "content-security-policy-report-only",
            "default-src 'self'; report-uri /r",
        )],
        &[("content-security-policy", "default-src 'self'")],
    );
    assert_rule(
        "csp-report-only-without-reporting",
        &https(),
        &[("content-security-policy-report-only", "default-src 'self'")],
        &[(
            "content-security-policy-report-only",
            "default-src 'self'; report-uri /r",
        )],
    );
    assert_rule(
        "csp-report-only-ignored-directive",
        &https(),
        &[(
            "content-security-policy-report-only",
            "sandbox; report-uri /r",
        )],
        &[(
            "content-security-policy-report-only",
            "default-src 'self'; report-uri /r",
        )],
    );
}

#[test]
fn csp_invalid_header_is_graded_invalid() {
    let r = audit(&map(&[("content-security-policy", " ; ;")]), &https());
    assert!(r.has("csp-header-invalid"));
    assert_eq!(
        r.result("content-security-policy"),
        Some("csp-header-invalid")
    );
}

#[test]
fn csp_meta_ignores_frame_ancestors_report_uri_sandbox() {
    let meta = CspCheckOptions {
        delivered_in_meta: true,
        ..CspCheckOptions::default()
    };
    let f = check_csp(
        "default-src 'self'; frame-ancestors 'none'; report-uri /r",
        &meta,
    );
    assert!(f.iter().any(|f| f.id == "csp-meta-ignored-directive"));
    let f = check_csp(
        "default-src 'self'; frame-ancestors 'none'",
        &CspCheckOptions::default(),
    );
    assert!(!f.iter().any(|f| f.id == "csp-meta-ignored-directive"));
}

#[test]
fn csp_strict_dynamic_without_nonce_reported_without_strict_mode() {
    let f = check_csp(
        "script-src 'strict-dynamic'; object-src 'none'",
        &CspCheckOptions::default(),
    );
    assert!(
        f.iter()
            .any(|f| f.id == "csp-strict-dynamic-without-nonce-or-hash")
    );
    let f = check_csp(
        "script-src 'strict-dynamic' 'nonce-q8V3kZr1m2Xw9pL4tY7uBg=='; object-src 'none'",
        &CspCheckOptions::default(),
    );
    assert!(
        !f.iter()
            .any(|f| f.id == "csp-strict-dynamic-without-nonce-or-hash")
    );
}

#[test]
fn csp_strict_set_only_with_strict_option() {
    let v = "script-src https://cdn.example; object-src 'none'";
    let normal = check_csp(v, &CspCheckOptions::default());
    let strict = check_csp(
        v,
        &CspCheckOptions {
            strict: true,
            ..CspCheckOptions::default()
        },
    );
    assert!(!normal.iter().any(|f| f.id == "csp-no-strict-dynamic"));
    assert!(strict.iter().any(|f| f.id == "csp-no-strict-dynamic"));
    assert!(strict.iter().any(|f| f.id == "csp-no-trusted-types"));
}

#[test]
fn csp_version_one_ignores_nonces() {
    // CSP1 browsers do not know nonces, so 'unsafe-inline' is live there but not in CSP2+.
    let v = "script-src 'unsafe-inline' 'nonce-q8V3kZr1m2Xw9pL4tY7uBg=='; object-src 'none'; base-uri 'none'";
    let v1 = check_csp(
        v,
        &CspCheckOptions {
            csp_version: header_audit::CspVersion::Csp1,
            ..CspCheckOptions::default()
        },
    );
    let v3 = check_csp(v, &CspCheckOptions::default());
    assert!(v1.iter().any(|f| f.id == "csp-script-unsafe-inline"));
    assert!(!v3.iter().any(|f| f.id == "csp-script-unsafe-inline"));
}

#[test]
fn findings_are_sorted_most_severe_first_and_serialize() {
    let r = audit(&map(&[("server", "Apache/2.4")]), &https());
    assert!(
        r.findings
            .windows(2)
            .all(|w| w[0].severity >= w[1].severity)
    );
    assert_eq!(r.findings.first().map(|f| f.severity), Some(Severity::High));
    let json = serde_json::to_value(&r).unwrap();
    let first = &json["findings"][0];
    for key in ["id", "severity", "header", "message", "spec"] {
        assert!(first.get(key).is_some(), "{key}");
    }
    // csp_evaluator_type is omitted when there is none
    let leaky = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "leaky-header")
        .unwrap();
    assert!(leaky.get("csp_evaluator_type").is_none());
}
