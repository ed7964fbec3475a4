//! Every preset's output parsed back with our own parsers equals the configured value, and
//! configuration mistakes are rejected at build time.

use std::str::FromStr;
use std::time::Duration;

use http::{HeaderMap, HeaderValue, header};
use secure_headers::cross_origin::{
    CrossOriginEmbedderPolicy, CrossOriginOpenerPolicy, CrossOriginResourcePolicy,
};
use secure_headers::misc::{
    OriginAgentCluster, XDnsPrefetchControl, XPermittedCrossDomainPolicies, XXssProtection,
};
use secure_headers::{
    BuildError, Csp, CspError, OnConflict, PermissionsPolicy, ReferrerPolicy, SecureHeaders,
    SecureHeadersBuilder,
};

fn applied(builder: SecureHeadersBuilder) -> (SecureHeaders, HeaderMap, Option<String>) {
    let bundle = builder.build().unwrap();
    let mut headers = HeaderMap::new();
    let nonce = bundle.apply(&mut headers).map(|n| n.to_string());
    (bundle, headers, nonce)
}

fn text<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .unwrap_or_else(|| panic!("missing {name}"))
        .to_str()
        .unwrap()
}

/// Parses `text` with `T`'s parser and checks that its canonical form is what we sent.
fn round_trips<T: FromStr + ToString>(text: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    let parsed: T = text.parse().unwrap();
    assert_eq!(parsed.to_string(), text, "not canonical");
    parsed
}

/// The CSP we sent, parsed with csp-builder, has exactly the configured directives and sources
/// (with the nonce in every slot), and nothing was ignored while parsing it.
fn csp_matches(sent: &str, configured: &Csp, nonce: Option<&str>) {
    let parsed = csp_builder::Policy::parse(sent);
    assert!(!parsed.has_errors(), "{sent}: {:?}", parsed.diagnostics);
    let policy = parsed.value.unwrap();
    let names: Vec<_> = policy.directives().map(|d| d.name().to_owned()).collect();
    let expected: Vec<_> = configured.directive_names().map(str::to_owned).collect();
    assert_eq!(names, expected);
    for d in policy.directives() {
        let mut want: Vec<String> = Vec::new();
        let sent_nonces: Vec<_> = d.sources().filter_map(|s| s.nonce()).collect();
        if let Some(n) = nonce.filter(|_| !sent_nonces.is_empty()) {
            assert_eq!(sent_nonces, vec![n], "directive {}", d.name());
            want.push(format!("'nonce-{n}'"));
        }
        want.extend(configured.sources(d.name()).unwrap().iter().cloned());
        let got: Vec<_> = d.sources().map(|s| s.as_str().to_owned()).collect();
        assert_eq!(got, want, "directive {}", d.name());
    }
}

#[test]
fn recommended_output_parses_back_to_configured_values() {
    let configured = SecureHeaders::recommended();
    let csp = configured.current_csp().unwrap().clone();
    let (_, h, nonce) = applied(configured);
    assert!(nonce.is_none());
    csp_matches(text(&h, "content-security-policy"), &csp, None);
    let hsts = hsts::Hsts::parse(text(&h, "strict-transport-security")).unwrap();
    assert_eq!(hsts.max_age(), Duration::from_secs(31_536_000));
    assert!(hsts.include_subdomains());
    assert!(!hsts.preload());
    assert_eq!(
        round_trips::<ReferrerPolicy>(text(&h, "referrer-policy")),
        ReferrerPolicy::NoReferrer
    );
    assert_eq!(
        round_trips::<CrossOriginOpenerPolicy>(text(&h, "cross-origin-opener-policy")),
        CrossOriginOpenerPolicy::same_origin()
    );
    assert_eq!(
        round_trips::<CrossOriginResourcePolicy>(text(&h, "cross-origin-resource-policy")),
        CrossOriginResourcePolicy::SameOrigin
    );
    round_trips::<OriginAgentCluster>(text(&h, "origin-agent-cluster"));
    assert_eq!(
        round_trips::<XDnsPrefetchControl>(text(&h, "x-dns-prefetch-control")),
        XDnsPrefetchControl::Off
    );
    assert_eq!(
        round_trips::<XPermittedCrossDomainPolicies>(text(&h, "x-permitted-cross-domain-policies")),
        XPermittedCrossDomainPolicies::None
    );
    assert_eq!(
        round_trips::<XXssProtection>(text(&h, "x-xss-protection")),
        XXssProtection::Disabled
    );
    // X-Frame-Options and X-Content-Type-Options: the frame-options and nosniff crates have no
    // parser yet; the exact text is checked in layer_axum.rs.
    assert_eq!(text(&h, "x-frame-options"), "SAMEORIGIN");
    assert_eq!(text(&h, "x-content-type-options"), "nosniff");
}

#[test]
fn strict_output_parses_back_to_configured_values() {
    let configured = SecureHeaders::strict();
    let csp = configured.current_csp().unwrap().clone();
    let (_, h, nonce) = applied(configured);
    let nonce = nonce.unwrap();
    csp_matches(text(&h, "content-security-policy"), &csp, Some(&nonce));
    assert_eq!(
        round_trips::<CrossOriginEmbedderPolicy>(text(&h, "cross-origin-embedder-policy")),
        CrossOriginEmbedderPolicy::require_corp()
    );
    let pp: PermissionsPolicy = text(&h, "permissions-policy").parse().unwrap();
    assert_eq!(
        pp.to_string(),
        secure_headers::preset::STRICT_PERMISSIONS_POLICY
    );
    let hsts = hsts::Hsts::parse(text(&h, "strict-transport-security")).unwrap();
    assert_eq!(hsts.max_age(), Duration::from_secs(31_536_000));
    assert!(hsts.include_subdomains());
    assert_eq!(text(&h, "x-frame-options"), "DENY");
}

#[test]
fn api_output_parses_back_to_configured_values() {
    let configured = SecureHeaders::api();
    let csp = configured.current_csp().unwrap().clone();
    let (_, h, nonce) = applied(configured);
    assert!(nonce.is_none());
    csp_matches(text(&h, "content-security-policy"), &csp, None);
    let cc: secure_headers::CacheControl = text(&h, "cache-control").parse().unwrap();
    assert_eq!(cc.to_string(), "no-store");
}

#[test]
fn strict_csp_and_csp_builder_policy_agree() {
    // The same strict policy written with csp-builder's typed builder gives the same header.
    use csp_builder::{Policy, Source};
    let typed = Policy::builder()
        .default_src([Source::SELF])
        .script_src([Source::NONCE_PLACEHOLDER, Source::STRICT_DYNAMIC])
        .object_src([Source::NONE])
        .build()
        .unwrap();
    let ours = Csp::new()
        .directive("default-src", ["'self'"])
        .directive("script-src", ["'strict-dynamic'"])
        .with_nonce("script-src")
        .directive("object-src", ["'none'"]);
    let raw = [7u8; 16];
    let nonce = secure_headers::CspNonce::from_random_bytes(raw);
    let expected = typed
        .compile()
        .render(&csp_builder::Nonce::from_random_bytes(raw));
    assert_eq!(ours.compile().unwrap().render(Some(&nonce)), expected);
    assert_eq!(Csp::from_policy(&typed), ours);
}

#[test]
fn report_only_rejects_sandbox() {
    let err = SecureHeaders::builder()
        .csp_report_only(Csp::new().directive("sandbox", [""; 0]))
        .build()
        .unwrap_err();
    assert!(matches!(
        err,
        BuildError::IgnoredInReportOnly {
            directive: "sandbox",
            ..
        }
    ));
}

#[test]
fn report_only_rejects_upgrade_insecure_requests_added_by_a_change() {
    let err = SecureHeaders::api()
        .csp_report_only_from_enforced(|p| p.directive("upgrade-insecure-requests", [""; 0]))
        .build()
        .unwrap_err();
    assert!(matches!(
        err,
        BuildError::IgnoredInReportOnly {
            directive: "upgrade-insecure-requests",
            ..
        }
    ));
}

#[test]
fn report_only_keeps_frame_ancestors_which_headers_honour() {
    let bundle = SecureHeaders::api()
        .csp_report_only_from_enforced(|p| p)
        .build()
        .unwrap();
    let ro = bundle
        .value(&header::CONTENT_SECURITY_POLICY_REPORT_ONLY)
        .unwrap();
    assert_eq!(ro, "default-src 'none'; frame-ancestors 'none'");
}

#[test]
fn derived_report_only_drops_directives_ignored_in_report_only() {
    let bundle = SecureHeaders::recommended()
        .csp_report_only_from_enforced(|p| p)
        .build()
        .unwrap();
    let ro = bundle
        .value(&header::CONTENT_SECURITY_POLICY_REPORT_ONLY)
        .unwrap();
    assert!(!ro.to_str().unwrap().contains("upgrade-insecure-requests"));
}

#[test]
fn report_only_derived_without_enforced_policy_is_an_error() {
    let err = SecureHeaders::builder()
        .csp_report_only_from_enforced(|p| p)
        .build()
        .unwrap_err();
    assert_eq!(err, BuildError::NoPolicyToDeriveFrom);
}

#[test]
fn report_to_must_name_a_reporting_endpoint() {
    let csp = Csp::new()
        .directive("default-src", ["'self'"])
        .directive("report-to", ["csp-endpoint"]);
    let err = SecureHeaders::builder()
        .csp(csp.clone())
        .build()
        .unwrap_err();
    assert!(
        matches!(err, BuildError::UnknownReportingEndpoint { ref endpoint, .. } if endpoint == "csp-endpoint")
    );
    let endpoints = secure_headers::ReportingEndpoints::builder()
        .endpoint("csp-endpoint", "https://example.com/csp")
        .build()
        .unwrap();
    let bundle = SecureHeaders::builder()
        .reporting_endpoints(&endpoints)
        .csp(csp)
        .build()
        .unwrap();
    assert!(
        bundle
            .value(&"reporting-endpoints".parse().unwrap())
            .is_some()
    );
}

#[test]
fn merge_is_rejected_for_headers_that_cannot_be_merged() {
    let err = SecureHeaders::recommended()
        .on_conflict(header::X_FRAME_OPTIONS, OnConflict::Merge)
        .build()
        .unwrap_err();
    assert!(matches!(err, BuildError::MergeNotSupported { .. }));
}

#[test]
fn injected_separators_in_csp_sources_are_rejected() {
    for bad in [
        "'self'; script-src *",
        "a,b",
        "https://x\r\nSet-Cookie: a=b",
        "a b",
        "",
    ] {
        let err = SecureHeaders::builder()
            .csp(Csp::new().directive("img-src", [bad]))
            .build()
            .unwrap_err();
        assert!(
            matches!(err, BuildError::Csp(CspError::InvalidSource { .. })),
            "{bad:?}: {err:?}"
        );
    }
    let err = SecureHeaders::builder()
        .csp(Csp::new().directive("img src", ["'self'"]))
        .build()
        .unwrap_err();
    assert!(matches!(
        err,
        BuildError::Csp(CspError::InvalidDirectiveName { .. })
    ));
}

#[test]
fn csp_cannot_be_set_through_the_raw_header_method() {
    let err = SecureHeaders::builder()
        .header(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src *"),
        )
        .build()
        .unwrap_err();
    assert!(matches!(err, BuildError::InvalidHeader { .. }));
}

#[test]
fn every_preset_part_can_be_replaced_or_disabled() {
    let bundle = SecureHeaders::recommended()
        .referrer_policy(ReferrerPolicy::StrictOriginWhenCrossOrigin)
        .disable(header::CONTENT_SECURITY_POLICY)
        .disable(header::STRICT_TRANSPORT_SECURITY)
        .disable("x-download-options".parse().unwrap())
        .keep_header(&"x-powered-by".parse().unwrap())
        .build()
        .unwrap();
    let mut h = HeaderMap::new();
    h.insert("x-powered-by", HeaderValue::from_static("Express"));
    assert!(bundle.apply(&mut h).is_none());
    assert_eq!(h["referrer-policy"], "strict-origin-when-cross-origin");
    assert!(h.get("content-security-policy").is_none());
    assert!(h.get("strict-transport-security").is_none());
    assert!(h.get("x-download-options").is_none());
    assert_eq!(h["x-powered-by"], "Express");
}

#[test]
fn apply_nonce_differs_per_call_and_lands_in_the_header() {
    let bundle = SecureHeaders::strict().build().unwrap();
    let mut a = HeaderMap::new();
    let mut b = HeaderMap::new();
    let na = bundle.apply(&mut a).unwrap();
    let nb = bundle.apply(&mut b).unwrap();
    assert_ne!(na, nb);
    assert!(text(&a, "content-security-policy").contains(&format!("'nonce-{na}'")));
    assert!(text(&b, "content-security-policy").contains(&format!("'nonce-{nb}'")));
}
