//! Feeds arbitrary strings to the builder's entry points: each must either fail with a typed
//! error or produce a header value that parses back to exactly the policy that was built.
#![no_main]

use csp_builder::{HashAlgorithm, Nonce, Policy, Source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    // Up to four values separated by NUL (NUL itself is rejected by every entry point).
    let parts: Vec<&str> = text.split('\u{1}').take(4).collect();
    let sources: Result<Vec<Source>, _> = parts
        .iter()
        .map(|p| match selector % 6 {
            0 => Source::host(p),
            1 => Source::scheme(p),
            2 => Source::nonce_value(p),
            3 => Source::hash(HashAlgorithm::Sha384, p),
            _ => p.parse::<Source>(),
        })
        .collect();
    let built = match selector % 11 {
        6 => Policy::builder().unknown(parts[0], &parts[1..]).build(),
        7 => Policy::builder().report_uri(&parts).build(),
        8 => Policy::builder().report_to(parts[0]).build(),
        9 => Policy::builder().trusted_types(&parts).build(),
        10 => sources.and_then(|s| Policy::builder().frame_ancestors(s).build()),
        _ => sources.and_then(|s| {
            Policy::builder()
                .script_src(s)
                .style_src([Source::nonce(&Nonce::from_random_bytes([selector; 16]))])
                .build()
        }),
    };
    if let Ok(policy) = built {
        let header = policy.to_header_value();
        let parsed = Policy::parse_bytes(header.as_bytes());
        assert!(parsed.diagnostics.iter().all(|d| !d.kind().is_error()), "{:?}", parsed.diagnostics);
        assert_eq!(parsed.value.as_ref(), Some(&policy));
        let compiled = policy.compile();
        let rendered = compiled.render(&Nonce::from_random_bytes([7; 16]));
        assert!(Policy::try_from(&rendered).is_ok());
    }
});
