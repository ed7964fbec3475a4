//! Conformance with Chromium's Public-Key-Pins parser tests
//! (`tests/data/vectors/hpkp/chromium_hpkp.json`, 57 cases).
//!
//! A case is valid when the header parses AND (for Public-Key-Pins) the pin set passes the
//! RFC 7469 §2.5 check against the served chain (`chain_spki_sha256_b64`, default 0x01/0x02/0x03
//! digests): one pin in the chain and one backup pin outside it.
//!
//! Decision on quoting: Chromium accepted single-quoted values (`max-age='999'`,
//! `report-uri='…'`); RFC 7469 §2.1 (via RFC 9110 quoted-string) allows only double quotes,
//! and Firefox followed the RFC. `PublicKeyPins::parse` follows the RFC and rejects those cases;
//! `PublicKeyPins::parse_chromium_compatible` reproduces Chromium and agrees with all 57.

use std::time::Duration;

use hpkp::{Disposition, HpkpError, Pin, PublicKeyPins};
use serde_json::Value;

fn doc() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/vectors/hpkp/chromium_hpkp.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn pins(v: &Value) -> Vec<Pin> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().parse().unwrap())
        .collect()
}

fn disposition(case: &Value) -> Disposition {
    match case["header"].as_str() {
        Some("Public-Key-Pins-Report-Only") => Disposition::ReportOnly,
        None | Some("Public-Key-Pins") => Disposition::Enforce,
        Some(other) => panic!("unknown header {other}"),
    }
}

/// Parses and checks one case, returning a failure description when it disagrees.
fn check(
    case: &Value,
    default_chain: &[Pin],
    parse: fn(&str, Disposition) -> Result<PublicKeyPins, HpkpError>,
) -> Option<String> {
    let input = case["input"].as_str().unwrap();
    let disposition = disposition(case);
    let chain = case
        .get("chain_spki_sha256_b64")
        .map_or_else(|| default_chain.to_vec(), pins);
    let parsed = parse(input, disposition);
    let verdict = parsed.clone().map_err(|e| e.to_string()).and_then(|p| {
        if disposition == Disposition::Enforce {
            p.check_against_chain(&chain).map_err(|e| e.to_string())?;
        }
        Ok(p)
    });
    let expected_valid = case["valid"].as_bool().unwrap();
    match (verdict, expected_valid) {
        (Err(_), false) => None,
        (Ok(p), true) => {
            let mut wrong = Vec::new();
            match &case["max_age"] {
                Value::String(s) if s == "OVERFLOW" => {
                    if p.max_age() != Some(Duration::from_secs(u64::MAX)) {
                        wrong.push("max_age");
                    }
                }
                Value::Null => {
                    if p.max_age().is_some() {
                        wrong.push("max_age");
                    }
                }
                v => {
                    if v.as_u64() != p.max_age().map(|d| d.as_secs()) {
                        wrong.push("max_age");
                    }
                }
            }
            if let Some(sub) = case["include_subdomains"].as_bool()
                && sub != p.include_subdomains()
            {
                wrong.push("include_subdomains");
            }
            if case.get("report_uri").is_some() && case["report_uri"].as_str() != p.report_uri() {
                wrong.push("report_uri");
            }
            (!wrong.is_empty()).then(|| format!("{input:?}: wrong {wrong:?} in {p:?}"))
        }
        (got, _) => Some(format!(
            "{input:?}: got {got:?}, expected valid={expected_valid}"
        )),
    }
}

#[test]
fn chromium_compatible_parser_agrees_with_all_57_vectors() {
    let doc = doc();
    let chain = pins(&doc["default_chain_spki_sha256_b64"]);
    let cases = doc["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 57, "vector file changed");
    let failures: Vec<_> = cases
        .iter()
        .filter_map(|c| check(c, &chain, PublicKeyPins::parse_chromium_compatible))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn rfc_parser_agrees_except_single_quoted_values() {
    let doc = doc();
    let chain = pins(&doc["default_chain_spki_sha256_b64"]);
    let mut disagreements = Vec::new();
    for case in doc["cases"].as_array().unwrap() {
        if let Some(failure) = check(case, &chain, PublicKeyPins::parse) {
            let input = case["input"].as_str().unwrap();
            // The only accepted disagreement: a value in single quotes, valid for Chromium,
            // which the RFC parser must reject.
            assert!(input.contains("='"), "unexpected disagreement: {failure}");
            assert!(case["valid"].as_bool().unwrap());
            assert!(PublicKeyPins::parse(input, disposition(case)).is_err());
            disagreements.push(input);
        }
    }
    assert_eq!(disagreements.len(), 3, "{disagreements:#?}");
}

#[test]
fn every_valid_enforcing_vector_is_also_valid_report_only() {
    let doc = doc();
    for case in doc["cases"].as_array().unwrap() {
        let input = case["input"].as_str().unwrap();
        if let Ok(enforce) = PublicKeyPins::parse_chromium_compatible(input, Disposition::Enforce) {
            let ro =
                PublicKeyPins::parse_chromium_compatible(input, Disposition::ReportOnly).unwrap();
            assert_eq!(ro.pins(), enforce.pins());
            assert_eq!(ro.max_age(), enforce.max_age());
            assert_eq!(ro.header_name(), hpkp::REPORT_ONLY_NAME);
        }
    }
}

#[test]
fn valid_vectors_round_trip_through_display() {
    let doc = doc();
    for case in doc["cases"].as_array().unwrap() {
        let input = case["input"].as_str().unwrap();
        let d = disposition(case);
        if let Ok(p) = PublicKeyPins::parse_chromium_compatible(input, d) {
            assert_eq!(PublicKeyPins::parse(&p.to_string(), d), Ok(p));
        }
    }
}
