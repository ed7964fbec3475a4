//! `Report::fixed_headers()` must produce a header set that audits at A+ (over HTTPS), for every
//! real-world CSP of the corpus and for whole bad responses.

use header_audit::{Context, ResponseKind, audit};
use http::{HeaderMap, HeaderValue};
use serde_json::Value;

const CORPUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/data/corpus/csp.jsonl"
);
const CORPUS_RO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/data/corpus/csp-report-only.jsonl"
);

fn corpus(path: &str) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["value"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

fn fixed_grade(headers: &HeaderMap, ctx: &Context) -> (String, Vec<String>, String) {
    let report = audit(headers, ctx);
    let fixed = report.fixed_headers();
    let again = audit(&fixed.headers, ctx);
    let csp = fixed
        .headers
        .get_all("content-security-policy")
        .iter()
        .map(|v| v.to_str().unwrap_or("").to_owned())
        .collect::<Vec<_>>()
        .join(" | ");
    (again.grade.to_owned(), fixed.needs_decision, csp)
}

#[test]
fn every_corpus_csp_fixes_to_a_plus() {
    let ctx = Context::https("https://example.com/");
    let mut failures = Vec::new();
    let values = corpus(CORPUS);
    for value in &values {
        let Ok(v) = HeaderValue::from_str(value) else {
            // isomorphic-decoded non-ASCII values cannot be sent by `http`; skipped
            continue;
        };
        let mut h = HeaderMap::new();
        h.insert("content-security-policy", v);
        let (grade, _notes, csp) = fixed_grade(&h, &ctx);
        if grade != "A+" {
            failures.push(format!("{value}\n  -> {csp}: {grade}"));
        }
    }
    assert!(values.len() > 300);
    assert!(
        failures.is_empty(),
        "{} of {} corpus policies do not fix to A+:\n{}",
        failures.len(),
        values.len(),
        failures.join("\n")
    );
}

#[test]
fn report_only_corpus_policies_are_promoted_and_fix_to_a_plus() {
    let ctx = Context::https("https://example.com/");
    for value in corpus(CORPUS_RO) {
        let Ok(v) = HeaderValue::from_str(&value) else {
            continue;
        };
        let mut h = HeaderMap::new();
        h.insert("content-security-policy-report-only", v);
        let (grade, notes, _) = fixed_grade(&h, &ctx);
        assert_eq!(grade, "A+", "{value}");
        assert!(notes.iter().any(|n| n.contains("report-only")), "{value}");
    }
}

fn bad_response() -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(
        "content-security-policy",
        HeaderValue::from_static("default-src * 'unsafe-inline' 'unsafe-eval'; img-src http:"),
    );
    h.insert(
        "strict-transport-security",
        HeaderValue::from_static("max-age=300"),
    );
    h.insert(
        "x-frame-options",
        HeaderValue::from_static("ALLOW-FROM https://a.example"),
    );
    h.insert("referrer-policy", HeaderValue::from_static("unsafe-url"));
    h.insert(
        "x-xss-protection",
        HeaderValue::from_static("1; mode=block"),
    );
    h.insert("server", HeaderValue::from_static("Apache/2.4.1 (Unix)"));
    h.insert("x-powered-by", HeaderValue::from_static("PHP/5.6"));
    h.insert(
        "public-key-pins",
        HeaderValue::from_static("pin-sha256=\"AAAA\"; max-age=10"),
    );
    h.append(
        "set-cookie",
        HeaderValue::from_static("PHPSESSID=abc; path=/"),
    );
    h.append("set-cookie", HeaderValue::from_static("csrftoken=xyz"));
    h.append(
        "set-cookie",
        HeaderValue::from_static("__Host-id=1; Domain=example.com"),
    );
    h.insert(
        "access-control-allow-origin",
        HeaderValue::from_static("https://evil.example"),
    );
    h.insert(
        "access-control-allow-credentials",
        HeaderValue::from_static("true"),
    );
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("cross-origin"),
    );
    h.insert("content-type", HeaderValue::from_static("text/html"));
    h
}

#[test]
fn bad_html_response_fixes_to_a_plus() {
    let ctx = Context::https("https://example.com/").with_request_origin("https://evil.example");
    let h = bad_response();
    let report = audit(&h, &ctx);
    assert_eq!(report.grade, "F");
    for id in [
        "cors-reflected-origin-with-credentials",
        "set-cookie-missing-httponly",
        "xfo-allow-from",
        "referrer-policy-unsafe-url",
        "xxss-enabled",
        "hpkp-obsolete",
        "leaky-header",
        "set-cookie-prefix-violation",
        "csp-script-unsafe-inline",
    ] {
        assert!(report.has(id), "missing {id}");
    }
    let fixed = report.fixed_headers();
    let again = audit(&fixed.headers, &ctx);
    assert_eq!(again.grade, "A+", "{:?}", again.tests);
    assert_eq!(
        fixed.headers.get("content-type").unwrap(),
        "text/html",
        "unrelated headers are kept"
    );
    assert!(fixed.headers.get("server").is_none());
    assert!(!fixed.needs_decision.is_empty());
}

#[test]
fn empty_api_response_fixes_to_a_plus() {
    let ctx = Context::https("https://api.example.com/v1").with_kind(ResponseKind::Api);
    let (grade, _, csp) = fixed_grade(&HeaderMap::new(), &ctx);
    assert_eq!(grade, "A+");
    assert!(csp.contains("default-src 'none'"));
}

#[test]
fn plain_http_response_explains_why_not_a_plus() {
    let ctx = Context::for_url("http://example.com/");
    let report = audit(&bad_response(), &ctx);
    let fixed = report.fixed_headers();
    let again = audit(&fixed.headers, &ctx);
    assert_ne!(again.grade, "A+");
    assert!(fixed.needs_decision.iter().any(|n| n.contains("HTTPS")));
}

/// A response whose header map is as full as `http` allows (no new name fits) is audited and
/// fixed without a panic: each header the fix cannot add is named in `needs_decision`.
#[test]
fn full_header_map_is_fixed_without_panicking() {
    let mut headers = HeaderMap::new();
    headers
        .try_insert("content-type", HeaderValue::from_static("text/html"))
        .unwrap();
    let mut i = 0u32;
    while headers
        .try_insert(
            http::HeaderName::try_from(format!("x-h{i}")).unwrap(),
            HeaderValue::from_static("1"),
        )
        .is_ok()
    {
        i += 1;
    }
    let ctx = Context::default();
    let fixed = audit(&headers, &ctx).fixed_headers();
    let missed: Vec<&String> = fixed
        .needs_decision
        .iter()
        .filter(|n| n.contains("could not be added"))
        .collect();
    for name in [
        "strict-transport-security",
        "x-content-type-options",
        "content-security-policy",
    ] {
        assert!(
            missed.iter().any(|n| n.starts_with(name)),
            "{name}: {missed:?}"
        );
        assert!(!fixed.headers.contains_key(name), "{name}");
    }
    assert_eq!(fixed.headers.len(), headers.len());
}
