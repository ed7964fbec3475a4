//! `csp check`: CSP findings as JSON, one object per policy value.

mod support;

use serde_json::Value;
use support::{assert_clean_failure, run};

fn ids(answer: &Value) -> Vec<String> {
    answer["findings"]
        .as_array()
        .expect("findings is an array")
        .iter()
        .map(|f| f["id"].as_str().expect("id is a string").to_owned())
        .collect()
}

#[test]
fn unsafe_inline_script_is_a_high_finding_with_evaluator_type() {
    let out = run(
        &[
            "csp",
            "check",
            "script-src 'unsafe-inline'; object-src 'none'",
        ],
        b"",
    );
    assert!(out.status.success());
    let answer: Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    let f = answer["findings"]
        .as_array()
        .expect("array")
        .iter()
        .find(|f| f["id"] == "csp-script-unsafe-inline")
        .expect("unsafe-inline is reported");
    assert_eq!(f["severity"], "high");
    assert_eq!(f["header"], "content-security-policy");
    assert_eq!(f["directive"], "script-src");
    assert_eq!(f["csp_evaluator_type"], "SCRIPT_UNSAFE_INLINE");
    assert!(f["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert!(f["fix"].is_string());
}

#[test]
fn finding_without_evaluator_type_leaves_the_field_out() {
    let out = run(
        &[
            "csp",
            "check",
            "style-src 'unsafe-inline'; script-src 'none'; object-src 'none'; base-uri 'none'",
        ],
        b"",
    );
    let answer: Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    let f = answer["findings"]
        .as_array()
        .expect("array")
        .iter()
        .find(|f| f["id"] == "csp-no-frame-ancestors")
        .expect("missing frame-ancestors is reported");
    assert!(f.get("csp_evaluator_type").is_none());
}

#[test]
fn strict_option_adds_strict_csp_checks() {
    let policy = "script-src 'self'; object-src 'none'; base-uri 'none'";
    let plain = run(&["csp", "check", policy], b"");
    let strict = run(&["csp", "check", "--strict", policy], b"");
    let plain_ids = ids(&serde_json::from_slice(&plain.stdout).expect("json"));
    let strict_ids = ids(&serde_json::from_slice(&strict.stdout).expect("json"));
    assert!(!plain_ids.iter().any(|i| i == "csp-no-trusted-types"));
    assert!(
        strict_ids.iter().any(|i| i == "csp-no-trusted-types"),
        "{strict_ids:?}"
    );
}

#[test]
fn jsonl_prints_one_compact_object_per_line_in_order() {
    let out = run(
        &["csp", "check", "--jsonl"],
        b"script-src *\r\ndefault-src 'none'\n\xff\x00garbage;;,\n",
    );
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3);
    let first: Value = serde_json::from_str(lines[0]).expect("json");
    assert!(ids(&first).iter().any(|i| i == "csp-wildcard"));
    let second: Value = serde_json::from_str(lines[1]).expect("json");
    assert!(!ids(&second).iter().any(|i| i == "csp-wildcard"));
    assert!(serde_json::from_str::<Value>(lines[2]).is_ok());
}

#[test]
fn value_from_stdin_without_jsonl_is_one_policy() {
    let out = run(&["csp", "check"], b"script-src 'unsafe-eval'\n");
    assert!(out.status.success());
    let answer: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(ids(&answer).iter().any(|i| i == "csp-script-unsafe-eval"));
}

#[test]
fn binary_garbage_is_answered_without_panic() {
    let garbage: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
    let out = run(&["csp", "check", "--jsonl"], &garbage);
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

#[test]
fn unknown_csp_version_is_a_usage_error() {
    let out = run(&["csp", "check", "--csp-version", "4", "script-src *"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert_clean_failure(&out);
}
