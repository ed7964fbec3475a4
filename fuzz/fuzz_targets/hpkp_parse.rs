#![no_main]
//! Public-Key-Pins parsers (RFC and Chromium-compatible): never panic; accepted values
//! round-trip through the canonical serialization.
use hpkp::{Disposition, PublicKeyPins};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Header bytes as a browser reads them: each byte is one character (isomorphic decode).
    let text: String = data.iter().map(|&b| char::from(b)).collect();
    for disposition in [Disposition::Enforce, Disposition::ReportOnly] {
        for parsed in [
            PublicKeyPins::parse(&text, disposition),
            PublicKeyPins::parse_chromium_compatible(&text, disposition),
        ] {
            if let Ok(pins) = parsed {
                assert!(pins.pins().len() >= 2);
                let again = PublicKeyPins::parse(&pins.to_string(), disposition);
                assert_eq!(again, Ok(pins));
            }
        }
    }
    let _ = hpkp::Pin::from_pem(&text);
});
