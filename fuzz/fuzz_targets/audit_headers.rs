//! Audits arbitrary header maps: the auditor, its CSP checks and `fixed_headers()` must never
//! panic, and the fixed set must itself audit without panicking.
#![no_main]

use header_audit::http::{HeaderMap, HeaderName, HeaderValue};
use header_audit::{Context, CspVersion, ResponseKind, audit};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    // Header lines "name: value" separated by LF; invalid names or values are skipped.
    let mut headers = HeaderMap::new();
    for line in rest.split(|b| *b == b'\n').take(64) {
        let Some(colon) = line.iter().position(|b| *b == b':') else {
            continue;
        };
        let (name, value) = line.split_at(colon);
        let value = value.get(1..).unwrap_or_default();
        let value = value.strip_prefix(b" ").unwrap_or(value);
        let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name), HeaderValue::from_bytes(value)) else {
            continue;
        };
        headers.append(name, value);
    }
    let ctx = Context {
        https: flags & 1 == 0,
        url: Some("https://example.com/".to_owned()),
        kind: if flags & 2 == 0 { ResponseKind::HtmlDocument } else { ResponseKind::Api },
        request_origin: (flags & 4 != 0).then(|| "https://evil.example".to_owned()),
        strict_csp: flags & 8 != 0,
        csp_version: CspVersion::from_number(1 + (flags >> 4) % 3).unwrap_or_default(),
    };
    let report = audit(&headers, &ctx);
    let fixed = report.fixed_headers();
    let _ = audit(&fixed.headers, &ctx);
});
