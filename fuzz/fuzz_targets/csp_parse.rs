//! Parses arbitrary bytes as a CSP header value, a single policy and a `<meta>` policy: the
//! parser must never panic, diagnostics must point inside the input, and the canonical
//! serialization must be a fixed point of parse → serialize.
#![no_main]

use csp_builder::{Disposition, Policy, PolicyList};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let parsed = PolicyList::parse_bytes(data, Disposition::Enforce);
    for d in &parsed.diagnostics {
        assert!(d.span().start <= d.span().end && d.span().end <= data.len());
    }
    let text = parsed.value.to_string();
    let again = PolicyList::parse(&text);
    assert_eq!(again.value, parsed.value);
    if let Some(v) = parsed.value.to_header_value() {
        assert_eq!(v.as_bytes(), text.as_bytes());
    }
    for p in parsed.value.policies() {
        for d in p.directives() {
            for s in d.sources() {
                let _ = (s.kind(), s.scheme(), s.host(), s.port(), s.path(), s.nonce(), s.hash());
            }
        }
        let _ = p.compile();
    }
    let single = Policy::parse_bytes(data);
    if let Some(p) = single.value {
        assert_eq!(Policy::parse(p.as_str()).value.as_ref(), Some(&p));
    }
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = Policy::parse_meta(s);
    }
});
