//! Every real-world value of `corpus/csp.jsonl` and `corpus/csp-report-only.jsonl` parses
//! without panic, and parse → serialize → parse is the identity on the parsed policy.

mod common;

use csp_builder::{Disposition, PolicyList, SourceKind};

fn check_corpus(file: &str, disposition: Disposition) -> usize {
    let values = common::corpus(file);
    assert!(!values.is_empty(), "{file} is empty");
    let mut policies = 0;
    for value in &values {
        let parsed = PolicyList::parse_with_disposition(value, disposition);
        let serialized = parsed.value.to_string();
        let again = PolicyList::parse_with_disposition(&serialized, disposition);
        assert_eq!(again.value, parsed.value, "round trip of {value:?}");
        assert_eq!(
            again.value.to_string(),
            serialized,
            "stable serialization of {value:?}"
        );
        // The canonical form never yields diagnostics the original did not have, except that an
        // empty list stays empty.
        assert!(
            again.diagnostics.len() <= parsed.diagnostics.len(),
            "{value:?}"
        );
        // The bytes entry point agrees with the string one.
        let latin1: Option<Vec<u8>> = value
            .chars()
            .map(|c| u8::try_from(u32::from(c)).ok())
            .collect();
        if let Some(bytes) = latin1 {
            assert_eq!(
                PolicyList::parse_bytes(&bytes, disposition).value,
                parsed.value,
                "{value:?}"
            );
        }
        for p in parsed.value.policies() {
            assert_eq!(p.disposition(), disposition);
            if let Some(v) = parsed.value.to_header_value() {
                assert_eq!(v.to_str().ok(), Some(serialized.as_str()));
            }
            for d in p.directives() {
                for s in d.sources() {
                    // Every kept value is visible ASCII.
                    assert!(
                        s.as_str()
                            .bytes()
                            .all(|b| (0x21..0x7f).contains(&b) && b != b';' && b != b',')
                    );
                    if s.kind() == SourceKind::Host {
                        assert!(s.host().is_some());
                    }
                }
            }
        }
        policies += parsed.value.len();
    }
    policies
}

#[test]
fn csp_corpus_round_trips() {
    let n = check_corpus("csp.jsonl", Disposition::Enforce);
    assert!(n >= 370, "only {n} policies");
}

#[test]
fn csp_report_only_corpus_round_trips() {
    let n = check_corpus("csp-report-only.jsonl", Disposition::Report);
    assert!(n > 0);
}
