//! Set-Cookie hardening: whatever the input, a hardened cookie is one a browser stores from a
//! secure origin (whose host matches its Domain) with the policy's attributes.
#![no_main]

use cookie_attrs::{
    AttributeOverrides, CookiePolicy, CookiePrefix, NamePattern, RequestContext, SameSite,
    SetCookie,
};
use libfuzzer_sys::fuzz_target;

fn check_accepted(input: &str, out: &str) {
    let cookie = SetCookie::parse(out).unwrap_or_else(|e| panic!("{input:?} -> {out:?}: {e}"));
    let host = cookie.domain().unwrap_or("example.com").to_owned();
    if let Err(e) = cookie.check_storage(&RequestContext::secure(&host)) {
        panic!("{input:?} -> {out:?} rejected: {e}");
    }
    assert!(cookie.secure() && cookie.http_only(), "{out:?}");
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let same_site = match selector % 4 {
        0 => None,
        1 => Some(SameSite::None),
        2 => Some(SameSite::Lax),
        _ => Some(SameSite::Strict),
    };
    let prefix = match (selector >> 2) % 5 {
        0 => None,
        1 => Some(CookiePrefix::Secure),
        2 => Some(CookiePrefix::Host),
        3 => Some(CookiePrefix::Http),
        _ => Some(CookiePrefix::HostHttp),
    };
    let policy = CookiePolicy::builder()
        .same_site(same_site)
        .prefix(prefix)
        .partitioned(selector & 0x80 != 0)
        .rule(
            NamePattern::prefix("s"),
            AttributeOverrides {
                same_site: Some(SameSite::Strict),
                ..Default::default()
            },
        )
        .build()
        .expect("valid policy");
    if let Ok(out) = policy.harden_set_cookie(text) {
        check_accepted(text, &out);
        if let Some(min) = same_site {
            let c = SetCookie::parse(&out).expect("parses");
            assert!(c.same_site().is_some_and(|s| s >= min), "{out:?}");
        }
    }
    // The same text as a `cookie` crate cookie (its parser's view of it).
    if let Ok(c) = cookie_attrs::cookie::Cookie::parse(text) {
        if let Ok(hardened) = policy.harden(c) {
            check_accepted(text, &hardened.to_string());
        }
    }
});
