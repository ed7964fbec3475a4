//! Serialization round trips: every built policy, and every real-world corpus value.

use std::collections::BTreeMap;
use std::time::Duration;

use hsts::{Hsts, HstsError};
use proptest::prelude::*;

proptest! {
    #[test]
    fn display_then_parse_is_identity(secs in any::<u64>(), sub in any::<bool>(), pre in any::<bool>()) {
        let h = Hsts::builder(Duration::from_secs(secs)).include_subdomains(sub).preload(pre).build();
        prop_assert_eq!(Hsts::parse(&h.to_string()), Ok(h));
        prop_assert_eq!(Hsts::try_from(&h.to_header_value()), Ok(h));
    }

    #[test]
    fn parser_never_panics(s in "[ -~\t]{0,80}") {
        let _ = Hsts::parse(&s);
    }

    #[test]
    fn parser_never_panics_on_directive_soup(
        parts in proptest::collection::vec(
            "(max-age|MAX-AGE|includeSubDomains|preload|x)(=(\"[0-9a;]*\"|[0-9]{0,25}|'1'))?", 0..6)
    ) {
        let s = parts.join("; ");
        if let Ok(h) = Hsts::parse(&s) {
            prop_assert_eq!(Hsts::parse(&h.to_string()), Ok(h));
        }
    }
}

fn verdict(e: &HstsError) -> &'static str {
    match e {
        HstsError::Syntax(_) => "syntax error",
        HstsError::DuplicateDirective { .. } => "duplicate directive",
        HstsError::MissingMaxAge => "missing max-age",
        HstsError::MaxAgeWithoutValue { .. } => "max-age without value",
        HstsError::InvalidMaxAge { .. } => "invalid max-age",
        HstsError::IncludeSubDomainsWithValue { .. } => "includeSubDomains with value",
        _ => "other",
    }
}

#[test]
fn every_corpus_value_gets_a_verdict_and_valid_ones_round_trip() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/corpus/hsts.jsonl"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let mut verdicts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut total = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        let value = record["value"].as_str().unwrap();
        total += 1;
        match Hsts::parse(value) {
            Ok(h) => {
                *verdicts.entry("valid").or_default() += 1;
                let reparsed = Hsts::parse(&h.to_string());
                assert_eq!(reparsed, Ok(h), "round trip of {value:?}");
            }
            Err(e) => {
                // Every error names its reason in its message.
                assert!(!e.to_string().is_empty());
                *verdicts.entry(verdict(&e)).or_default() += 1;
            }
        }
    }
    println!("hsts corpus verdicts over {total} values: {verdicts:?}");
    assert_eq!(total, verdicts.values().sum::<usize>());
    // The most common value on the web (first line) must be accepted.
    let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert!(Hsts::parse(first["value"].as_str().unwrap()).is_ok());
}
