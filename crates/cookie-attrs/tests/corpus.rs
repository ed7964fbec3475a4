//! Real-world Set-Cookie values (tests/data/corpus/set-cookie.jsonl): parsing never panics and
//! is stable through serialization; hardening yields a cookie our parser and storage checks
//! accept from a secure origin with every attribute of the policy, or a typed error.

mod support;

use cookie_attrs::{
    AttributeOverrides, CookieDate, CookiePolicy, CookiePrefix, Expiry, HardenError, NamePattern,
    ParseError, RequestContext, SameSite, SetCookie, check, parse_cookie_date,
};

fn corpus() -> Vec<String> {
    support::data("corpus/set-cookie.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["value"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

fn now() -> CookieDate {
    parse_cookie_date("Thu, 01 Jan 2026 00:00:00 GMT").unwrap()
}

#[test]
fn corpus_parse_serialize_parse_is_stable() {
    let values = corpus();
    assert_eq!(values.len(), 1902);
    let mut parsed = 0;
    for value in &values {
        let cookie = match SetCookie::parse(value) {
            Ok(cookie) => cookie,
            Err(e) => {
                // Only control characters (§5.6 step 1) make real-world values unparsable.
                assert!(
                    matches!(e, ParseError::ControlCharacter { .. }),
                    "{value:?}: {e}"
                );
                continue;
            }
        };
        parsed += 1;
        let text = cookie.to_string();
        let again =
            SetCookie::parse(&text).unwrap_or_else(|e| panic!("{value:?} -> {text:?}: {e}"));
        assert_eq!(again, cookie, "{value:?} -> {text:?}");
        assert_eq!(again.to_string(), text);
        let _ = check(value);
    }
    // Four corpus values carry a control character (e.g. U+0001), which browsers ignore.
    assert_eq!(parsed, values.len() - 4);
}

/// What the hardened cookie must satisfy for `policy` with the given expectations.
fn assert_hardened(
    original: &str,
    hardened: &str,
    same_site_min: Option<SameSite>,
    prefix: Option<CookiePrefix>,
    max_lifetime: i64,
    partitioned: bool,
) {
    let cookie =
        SetCookie::parse(hardened).unwrap_or_else(|e| panic!("{original:?} -> {hardened:?}: {e}"));
    let host = cookie.domain().unwrap_or("example.com").to_owned();
    let scope = cookie.check_storage(&RequestContext::secure(&host));
    assert!(scope.is_ok(), "{original:?} -> {hardened:?}: {scope:?}");
    assert!(cookie.secure(), "{hardened:?}");
    assert!(cookie.http_only(), "{hardened:?}");
    if let Some(min) = same_site_min {
        assert!(cookie.same_site().is_some_and(|s| s >= min), "{hardened:?}");
    }
    if let Some(prefix) = prefix {
        assert!(cookie.prefix().is_some(), "{hardened:?}");
        let before = SetCookie::parse(original).unwrap();
        match before.prefix() {
            None => assert_eq!(
                cookie.name(),
                format!("{prefix}{}", before.name()),
                "{hardened:?}"
            ),
            Some(existing) => assert_eq!(cookie.prefix(), Some(existing), "{hardened:?}"),
        }
    }
    assert_eq!(
        cookie.partitioned(),
        partitioned || SetCookie::parse(original).unwrap().partitioned()
    );
    if let Expiry::At(at) = cookie.expiry(now()) {
        assert!(
            at.unix_seconds() - now().unix_seconds() <= max_lifetime,
            "{hardened:?}"
        );
    }
    if let Some(lifetime) = cookie.requested_lifetime(now()) {
        assert!(lifetime <= max_lifetime, "{original:?} -> {hardened:?}");
    }
    // The value the browser stores is unchanged.
    assert_eq!(cookie.value(), SetCookie::parse(original).unwrap().value());
}

#[test]
fn hardening_every_corpus_value_yields_an_accepted_cookie_or_a_typed_error() {
    let default = CookiePolicy::default();
    let strict = CookiePolicy::builder()
        .same_site(Some(SameSite::Strict))
        .prefix(Some(CookiePrefix::Secure))
        .partitioned(true)
        .max_lifetime(std::time::Duration::from_secs(3600))
        .rule(
            NamePattern::prefix("_ga"),
            AttributeOverrides {
                same_site: Some(SameSite::Lax),
                ..Default::default()
            },
        )
        .build()
        .unwrap();
    let mut errors = std::collections::BTreeMap::<String, usize>::new();
    let mut hardened_count = 0;
    for value in corpus() {
        match default.harden_set_cookie_at(&value, now()) {
            Ok(out) => {
                hardened_count += 1;
                assert_hardened(&value, &out, Some(SameSite::Lax), None, 400 * 86_400, false);
            }
            Err(e) => {
                *errors
                    .entry(format!("{e:?}").chars().take(40).collect())
                    .or_default() += 1;
            }
        }
        match strict.harden_set_cookie_at(&value, now()) {
            Ok(out) => {
                assert_hardened(
                    &value,
                    &out,
                    Some(SameSite::Lax),
                    Some(CookiePrefix::Secure),
                    3600,
                    true,
                );
                assert!(CookiePrefix::of(SetCookie::parse(&out).unwrap().name()).is_some());
            }
            Err(
                HardenError::Unparsable(_)
                | HardenError::DomainWithHostPrefix { .. }
                | HardenError::PathWithHostPrefix { .. }
                | HardenError::NamelessCannotBePrefixed { .. },
            ) => {}
            Err(e) => panic!("{value:?}: unexpected {e}"),
        }
    }
    // The corpus is real traffic: almost every value can be hardened as is.
    // Only the four values with a control character cannot be hardened.
    assert_eq!(hardened_count, 1898, "errors: {errors:?}");
    println!("hardened {hardened_count} of 1902; errors: {errors:?}");
}

#[test]
fn hardening_corpus_values_as_cookie_crate_cookies_is_accepted() {
    let policy = CookiePolicy::default();
    let mut checked = 0;
    for value in corpus() {
        let Ok(cookie) = cookie::Cookie::parse(value.as_str()) else {
            continue;
        };
        match policy.harden(cookie) {
            Ok(hardened) => {
                let text = hardened.to_string();
                let ours = SetCookie::parse(&text)
                    .unwrap_or_else(|e| panic!("{value:?} -> {text:?}: {e}"));
                let host = ours.domain().unwrap_or("example.com").to_owned();
                assert!(
                    ours.check_storage(&RequestContext::secure(&host)).is_ok(),
                    "{text:?}"
                );
                assert!(
                    ours.secure() && ours.http_only() && ours.same_site() >= Some(SameSite::Lax),
                    "{text:?}"
                );
                checked += 1;
            }
            Err(e) => assert!(
                matches!(
                    e,
                    HardenError::InvalidValue(_)
                        | HardenError::InvalidName(_)
                        | HardenError::DomainWithHostPrefix { .. }
                ),
                "{value:?}: {e}"
            ),
        }
    }
    assert!(checked > 1800, "{checked}");
}
