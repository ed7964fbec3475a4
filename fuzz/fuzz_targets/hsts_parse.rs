#![no_main]
//! Strict-Transport-Security parser: never panics; every accepted value round-trips.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Header bytes as a browser reads them: each byte is one character (isomorphic decode).
    let text: String = data.iter().map(|&b| char::from(b)).collect();
    if let Ok(policy) = hsts::Hsts::parse(&text) {
        let again = hsts::Hsts::parse(&policy.to_string());
        assert_eq!(again, Ok(policy));
        assert!(policy.effective_max_age() <= hsts::CHROMIUM_MAX_AGE);
    }
    let _ = hsts::Hsts::parse_with_diagnostics(&text);
});
