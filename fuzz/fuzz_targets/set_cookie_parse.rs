//! Set-Cookie parsing: any bytes, as a header value would carry them. The parser must not
//! panic, a parsed cookie must serialize to text that parses back to the same cookie, and the
//! storage checks and the audit must not panic either.
#![no_main]

use cookie_attrs::{RequestContext, SetCookie};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok((cookie, _diagnostics)) = SetCookie::parse_with_diagnostics(text) {
        let serialized = cookie.to_string();
        let again = SetCookie::parse(&serialized).expect("serialization parses");
        assert_eq!(again, cookie, "round trip of {text:?} via {serialized:?}");
        let _ = cookie.check_storage(&RequestContext::secure("www.example.com").with_path("/a/b"));
        let _ = cookie.check_storage(&RequestContext::insecure("example.com"));
    }
    let _ = cookie_attrs::check(text);
});
