#![no_main]
//! Permissions-Policy parser: never panics; every accepted value serializes to a valid header
//! value that parses back to the same policy.
use libfuzzer_sys::fuzz_target;
use secure_headers::permissions_policy::PermissionsPolicy;

/// RFC 9110 §5.5 field-value bytes our serializers may emit: visible ASCII, SP, HTAB.
fn is_field_value(s: &str) -> bool {
    s.bytes().all(|b| b == b' ' || b == b'\t' || (0x21..=0x7e).contains(&b))
}

fuzz_target!(|data: &[u8]| {
    // Header bytes as a browser reads them: each byte is one character (isomorphic decode).
    let text: String = data.iter().map(|&b| char::from(b)).collect();
    if let Ok((policy, _diagnostics)) = PermissionsPolicy::parse_with_diagnostics(&text) {
        let serialized = policy.to_string();
        assert!(is_field_value(&serialized), "{serialized:?}");
        assert_eq!(serialized.parse::<PermissionsPolicy>(), Ok(policy));
    }
});
