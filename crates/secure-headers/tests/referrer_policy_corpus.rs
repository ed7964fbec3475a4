//! Every real-world `Referrer-Policy` value of the corpus gets a verdict (Referrer Policy §8.1),
//! and every value that yields a policy serializes to text that parses to the same policy.

use secure_headers::referrer_policy::{ReferrerPolicy, ReferrerPolicyHeader};

const CORPUS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/data/corpus/referrer-policy.jsonl"
));

fn values() -> Vec<String> {
    CORPUS
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["value"].as_str().unwrap().to_owned()
        })
        .collect()
}

#[test]
fn every_corpus_value_gets_a_verdict_and_round_trips() {
    let values = values();
    assert_eq!(values.len(), 99);
    let mut with_policy = 0;
    for value in &values {
        let parsed = ReferrerPolicyHeader::parse(value);
        match parsed.policy() {
            Some(policy) => {
                with_policy += 1;
                let reparsed: ReferrerPolicy = policy.to_string().parse().unwrap();
                assert_eq!(reparsed, policy, "{value}");
                // The verdict agrees with the last recognized token of the value.
                let last = value
                    .split(',')
                    .map(str::trim)
                    .filter_map(ReferrerPolicy::from_token)
                    .next_back();
                assert_eq!(last, Some(policy), "{value}");
            }
            None => {
                assert!(value.parse::<ReferrerPolicy>().is_err(), "{value}");
                assert!(!parsed.ignored_tokens().is_empty(), "{value}");
            }
        }
    }
    // Most real values carry a usable policy; the typos and pasted config lines do not.
    assert!(with_policy > 50, "{with_policy}");
}

#[test]
fn corpus_fallback_lists_take_the_last_recognized_token() {
    let cases = [
        (
            "no-referrer, strict-origin-when-cross-origin",
            Some(ReferrerPolicy::StrictOriginWhenCrossOrigin),
        ),
        ("no-referrer, never", Some(ReferrerPolicy::NoReferrer)),
        (
            "origin; origin-when-cross-origin; same-origin; no-referrer; no-referrer-when-downgrade",
            None,
        ),
        (
            "no-referrer | same-origin | origin | strict-origin | no-origin-when-downgrading",
            None,
        ),
        ("\u{201c}same-origin\u{201d}", None),
        (": no-referrer", None),
        ("SAMEORIGIN", None),
        ("no-referrer-when-downgrade;", None),
        ("strict-origin; no-refferer", None),
        ("geolocation=self, microphone=(), camera=()", None),
    ];
    let corpus = values();
    for (value, expected) in cases {
        assert!(
            corpus.iter().any(|v| v == value),
            "{value} is a corpus line"
        );
        assert_eq!(
            ReferrerPolicyHeader::parse(value).policy(),
            expected,
            "{value}"
        );
    }
}

#[test]
fn observatory_vectors_agree_on_validity() {
    let text = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/vectors/observatory_header_tests.json"
    ));
    let doc: serde_json::Value = serde_json::from_str(text).unwrap();
    let mut checked = 0;
    for case in doc["cases"].as_array().unwrap() {
        let header = case["header"]
            .as_str()
            .or_else(|| case["headers"][0]["header"].as_str());
        if header != Some("Referrer-Policy") {
            continue;
        }
        let value = case["value"]
            .as_str()
            .or_else(|| case["headers"][0]["value"].as_str())
            .unwrap();
        let expected = case["expected_result"].as_str().unwrap();
        let parsed: Result<ReferrerPolicy, _> = value.parse();
        match expected {
            "referrer-policy-header-invalid" => assert!(parsed.is_err(), "{value}"),
            "referrer-policy-private" => {
                // Observatory grades a list by its members; the browser uses the last known one.
                assert!(parsed.is_ok(), "{value}");
            }
            "referrer-policy-unsafe" | "referrer-policy-no-referrer-when-downgrade" => {
                let p = parsed.unwrap();
                assert!(
                    matches!(
                        p,
                        ReferrerPolicy::Origin
                            | ReferrerPolicy::OriginWhenCrossOrigin
                            | ReferrerPolicy::UnsafeUrl
                            | ReferrerPolicy::NoReferrerWhenDowngrade
                    ),
                    "{value} -> {p}"
                );
            }
            other => panic!("unexpected result {other}"),
        }
        checked += 1;
    }
    assert_eq!(checked, 15);
}
