//! Conformance with Chromium's Strict-Transport-Security parser tests
//! (`tests/data/vectors/hsts/chromium_hsts.json`, 117 cases).
//!
//! Vector semantics: `valid=false` means the whole header is ignored; `max_age` is the value
//! before Chromium's one-year clamp, and `"OVERFLOW"` a huge number that must saturate.

use std::time::Duration;

use hsts::{CHROMIUM_MAX_AGE, Hsts};
use serde_json::Value;

fn cases() -> Vec<Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/vectors/hsts/chromium_hsts.json"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    doc["cases"].as_array().unwrap().clone()
}

#[test]
fn every_chromium_hsts_vector_agrees() {
    let cases = cases();
    assert_eq!(cases.len(), 117, "vector file changed");
    let mut failures = Vec::new();
    for case in &cases {
        let input = case["input"].as_str().unwrap();
        let expected_valid = case["valid"].as_bool().unwrap();
        let got = input.parse::<Hsts>();
        match (&got, expected_valid) {
            (Ok(h), true) => {
                let max_age_ok = match &case["max_age"] {
                    Value::String(s) if s == "OVERFLOW" => {
                        h.max_age() == Duration::from_secs(u64::MAX)
                            && h.effective_max_age() == CHROMIUM_MAX_AGE
                    }
                    v => v.as_u64() == Some(h.max_age().as_secs()),
                };
                let subdomains_ok =
                    case["include_subdomains"].as_bool() == Some(h.include_subdomains());
                if !max_age_ok || !subdomains_ok {
                    failures.push(format!("{input:?}: parsed as {h:?}, expected {case}"));
                }
            }
            (Err(_), false) => {}
            (got, _) => failures.push(format!("{input:?}: got {got:?}, expected {case}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn chromium_effective_max_age_is_clamped_to_one_year() {
    for case in cases() {
        let Ok(h) = case["input"].as_str().unwrap().parse::<Hsts>() else {
            continue;
        };
        assert!(h.effective_max_age() <= CHROMIUM_MAX_AGE);
        assert_eq!(h.effective_max_age(), h.max_age().min(CHROMIUM_MAX_AGE));
    }
}
