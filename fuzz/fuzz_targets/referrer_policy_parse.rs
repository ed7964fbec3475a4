#![no_main]
//! Referrer-Policy parser (§8.1): never panics; the resulting policy round-trips.
use libfuzzer_sys::fuzz_target;
use secure_headers::referrer_policy::{ReferrerPolicy, ReferrerPolicyHeader};

fuzz_target!(|data: &[u8]| {
    let text: String = data.iter().map(|&b| char::from(b)).collect();
    let parsed = ReferrerPolicyHeader::parse(&text);
    assert!(parsed.ignored_tokens().len() <= secure_headers::referrer_policy::MAX_TOKENS);
    match parsed.policy() {
        Some(policy) => assert_eq!(policy.to_string().parse::<ReferrerPolicy>(), Ok(policy)),
        None => assert!(text.parse::<ReferrerPolicy>().is_err()),
    }
});
