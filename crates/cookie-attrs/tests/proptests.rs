//! Property tests: arbitrary input never panics; parse → serialize → parse is stable;
//! hardening never produces a cookie a browser would reject.

use cookie_attrs::{
    AttributeOverrides, CookiePolicy, CookiePrefix, NamePattern, RequestContext, SameSite,
    SetCookie, check,
};
use proptest::prelude::*;

/// Cookie-ish strings: names, values and attributes drawn from the interesting alphabet.
fn set_cookie_string() -> impl Strategy<Value = String> {
    let text = "[ \t\"a-zA-Z0-9=,._\\-/%!é]{0,12}";
    let prefix = prop_oneof![
        Just(""),
        Just("__Secure-"),
        Just("__Host-"),
        Just("__Http-"),
        Just("__Host-Http-"),
        Just("__HOST-"),
        Just("__secure-"),
    ];
    let attribute = prop_oneof![
        Just("Secure".to_owned()),
        Just("HttpOnly".to_owned()),
        Just("Partitioned".to_owned()),
        Just("secure=1".to_owned()),
        prop_oneof![
            Just("Strict"),
            Just("lax"),
            Just("NONE"),
            Just("bogus"),
            Just("")
        ]
        .prop_map(|v| format!("SameSite={v}")),
        prop_oneof![Just("/"), Just("/a"), Just(""), Just("a"), Just("/a/b")]
            .prop_map(|v| format!("Path={v}")),
        prop_oneof![
            Just("example.com"),
            Just(".Example.COM"),
            Just(""),
            Just("other.test"),
            Just("é.test")
        ]
        .prop_map(|v| format!("Domain={v}")),
        (-5i64..100_000_000).prop_map(|v| format!("Max-Age={v}")),
        Just("Max-Age=1.5".to_owned()),
        Just("Expires=Wed, 21 Oct 2015 07:28:00 GMT".to_owned()),
        Just("expires=Fri, 01 Jan 2100 00:00:00 GMT".to_owned()),
        Just("Expires=not a date".to_owned()),
        text.prop_map(|t| format!("Priority={t}")),
        text.prop_map(|t| t),
    ];
    (
        prefix,
        text,
        proptest::option::of(text),
        proptest::collection::vec((attribute, "[ \t]{0,2}"), 0..6),
    )
        .prop_map(|(prefix, name, value, attributes)| {
            let mut s = match value {
                Some(value) => format!("{prefix}{name}={value}"),
                None => format!("{prefix}{name}"),
            };
            for (attribute, ws) in attributes {
                s.push(';');
                s.push_str(&ws);
                s.push_str(&attribute);
            }
            s
        })
}

fn policy() -> impl Strategy<Value = CookiePolicy> {
    (
        any::<bool>(),
        any::<bool>(),
        proptest::option::of(prop_oneof![
            Just(SameSite::None),
            Just(SameSite::Lax),
            Just(SameSite::Strict)
        ]),
        any::<bool>(),
        proptest::option::of(prop_oneof![
            Just(CookiePrefix::Secure),
            Just(CookiePrefix::Host),
            Just(CookiePrefix::Http),
            Just(CookiePrefix::HostHttp)
        ]),
        1u64..100_000_000,
        any::<bool>(),
    )
        .prop_map(
            |(secure, http_only, same_site, partitioned, prefix, lifetime, path)| {
                let mut b = CookiePolicy::builder()
                    .secure(secure)
                    .http_only(http_only)
                    .same_site(same_site)
                    .partitioned(partitioned)
                    .prefix(prefix)
                    .max_lifetime(std::time::Duration::from_secs(lifetime))
                    .rule(
                        NamePattern::prefix("a"),
                        AttributeOverrides {
                            same_site: Some(SameSite::None),
                            ..Default::default()
                        },
                    );
                if path {
                    b = b.path("/");
                }
                b.build().unwrap()
            },
        )
}

/// Whether a browser on a secure origin whose host matches the cookie's Domain stores it.
fn browser_accepts(text: &str) -> Result<(), String> {
    let cookie = SetCookie::parse(text).map_err(|e| e.to_string())?;
    let host = cookie.domain().unwrap_or("example.com").to_owned();
    cookie
        .check_storage(&RequestContext::secure(&host))
        .map(|_| ())
        .map_err(|e| e.to_string())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_input_never_panics(input in any::<String>()) {
        let _ = SetCookie::parse(&input).map(|c| (c.to_string(), c.check_storage(&RequestContext::insecure("example.com")).is_ok()));
        let _ = SetCookie::parse_with_diagnostics(&input);
        let _ = check(&input);
        let _ = CookiePolicy::default().harden_set_cookie(&input);
    }

    #[test]
    fn parse_serialize_parse_is_stable(input in set_cookie_string()) {
        if let Ok(cookie) = SetCookie::parse(&input) {
            let text = cookie.to_string();
            let again = SetCookie::parse(&text).unwrap();
            prop_assert_eq!(&again, &cookie, "{:?} -> {:?}", input, text);
            prop_assert_eq!(again.to_string(), text);
        }
    }

    #[test]
    fn hardening_never_produces_a_cookie_a_browser_rejects(input in set_cookie_string(), policy in policy()) {
        if let Ok(out) = policy.harden_set_cookie(&input) {
            prop_assert!(browser_accepts(&out).is_ok(), "{:?} -> {:?}: {:?}", input, out, browser_accepts(&out));
            let cookie = SetCookie::parse(&out).unwrap();
            let settings = &policy.config().defaults;
            // Rules match the name as sent, before the policy adds a prefix.
            let ruled = SetCookie::parse(&input).unwrap().name().starts_with('a');
            if settings.secure { prop_assert!(cookie.secure()); }
            if settings.http_only { prop_assert!(cookie.http_only()); }
            if settings.partitioned { prop_assert!(cookie.partitioned()); }
            if let (Some(min), false) = (settings.same_site, ruled) {
                prop_assert!(cookie.same_site().is_some_and(|s| s >= min), "{:?}", out);
            }
            if settings.prefix.is_some() && !cookie.is_nameless() { prop_assert!(cookie.prefix().is_some()); }
        }
    }

    #[test]
    fn hardening_cookie_crate_cookies_never_produces_a_rejected_cookie(
        name in "[ a-zA-Z0-9_=;\u{1}-]{0,10}",
        value in "[ a-zA-Z0-9_=;\"\u{1}-]{0,10}",
        domain in proptest::option::of(prop_oneof![Just("example.com"), Just(""), Just("a;b"), Just(".example.com")]),
        path in proptest::option::of(prop_oneof![Just("/"), Just("/x"), Just("x"), Just("/;Domain=evil")]),
        same_site in proptest::option::of(prop_oneof![Just(cookie::SameSite::None), Just(cookie::SameSite::Lax), Just(cookie::SameSite::Strict)]),
        policy in policy(),
    ) {
        let mut c = cookie::Cookie::new(name.clone(), value.clone());
        if let Some(d) = domain { c.set_domain(d); }
        if let Some(p) = path { c.set_path(p); }
        if let Some(s) = same_site { c.set_same_site(s); }
        if let Ok(hardened) = policy.harden(c) {
            let text = hardened.to_string();
            prop_assert!(browser_accepts(&text).is_ok(), "{:?} -> {:?}: {:?}", (name, value), text, browser_accepts(&text));
        }
    }
}
