//! One test per rule of RFC 6265bis / layered-cookies / CHIPS that the parser, the storage
//! checks, the policy and the audit implement.

use cookie_attrs::{
    AttributeOverrides, CookieDate, CookiePolicy, CookiePrefix, HardenError, NamePattern,
    PolicyError, PrefixRequirement, RequestContext, SameSite, SetCookie, Severity,
    StorageRejection, check,
};

fn https() -> RequestContext<'static> {
    RequestContext::secure("www.example.com")
}

fn store(s: &str) -> Result<(), StorageRejection> {
    SetCookie::parse(s)
        .unwrap()
        .check_storage(&https())
        .map(|_| ())
}

#[test]
fn semicolon_always_splits_even_inside_quotes() {
    assert_eq!(SetCookie::parse("a=\"x;y\"").unwrap().value(), "\"x");
}

#[test]
fn comma_does_not_split() {
    assert_eq!(SetCookie::parse("a=1, b=2").unwrap().value(), "1, b=2");
}

#[test]
fn attribute_value_over_1024_drops_only_that_attribute() {
    let long = format!("a=b; Path=/{}; Secure", "x".repeat(1024));
    let c = SetCookie::parse(&long).unwrap();
    assert_eq!(c.path(), None);
    assert!(c.secure());
    let ok = format!("a=b; Path=/{}", "x".repeat(1023));
    assert_eq!(
        SetCookie::parse(&ok).unwrap().path().map(str::len),
        Some(1024)
    );
}

#[test]
fn max_age_beats_expires_regardless_of_order() {
    let now = CookieDate::from_unix_seconds(0);
    let a = SetCookie::parse("a=b; Max-Age=10; Expires=Fri, 01 Jan 2100 00:00:00 GMT").unwrap();
    let b = SetCookie::parse("a=b; Expires=Fri, 01 Jan 2100 00:00:00 GMT; Max-Age=10").unwrap();
    assert_eq!(a.requested_lifetime(now), Some(10));
    assert_eq!(b.requested_lifetime(now), Some(10));
}

#[test]
fn lifetime_is_capped_at_400_days() {
    let now = CookieDate::from_unix_seconds(1_000);
    let c = SetCookie::parse("a=b; Expires=Fri, 01 Jan 2100 00:00:00 GMT").unwrap();
    assert_eq!(
        c.expiry(now),
        cookie_attrs::Expiry::At(CookieDate::from_unix_seconds(1_000 + 34_560_000))
    );
}

#[test]
fn last_repeated_attribute_wins() {
    let c = SetCookie::parse(
        "a=b; Domain=x.example.com; Domain=example.com; SameSite=Strict; SameSite=None",
    )
    .unwrap();
    assert_eq!(c.domain(), Some("example.com"));
    assert_eq!(c.same_site(), Some(SameSite::None));
}

#[test]
fn samesite_none_without_secure_is_rejected() {
    assert_eq!(
        store("a=b; SameSite=None"),
        Err(StorageRejection::SameSiteNoneWithoutSecure)
    );
}

#[test]
fn partitioned_without_secure_is_rejected() {
    assert_eq!(
        store("a=b; Partitioned"),
        Err(StorageRejection::PartitionedWithoutSecure)
    );
    assert_eq!(store("a=b; Partitioned; Secure"), Ok(()));
}

#[test]
fn secure_from_insecure_origin_is_rejected() {
    let c = SetCookie::parse("a=b; Secure").unwrap();
    assert_eq!(
        c.check_storage(&RequestContext::insecure("example.com")),
        Err(StorageRejection::SecureFromInsecureOrigin)
    );
}

#[test]
fn domain_must_domain_match_the_host() {
    assert_eq!(store("a=b; Domain=.EXAMPLE.com"), Ok(()));
    assert!(matches!(
        store("a=b; Domain=other.com"),
        Err(StorageRejection::DomainMismatch { .. })
    ));
    assert!(matches!(
        store("a=b; Domain=ample.com"),
        Err(StorageRejection::DomainMismatch { .. })
    ));
}

#[test]
fn prefixes_are_matched_case_insensitively() {
    let missing = |prefix, missing| Err(StorageRejection::Prefix { prefix, missing });
    assert_eq!(
        store("__SECURE-a=b"),
        missing(CookiePrefix::Secure, PrefixRequirement::Secure)
    );
    assert_eq!(
        store("__host-a=b; Secure"),
        missing(CookiePrefix::Host, PrefixRequirement::RootPath)
    );
    assert_eq!(
        store("__Host-a=b; Secure; Path=/; Domain=example.com"),
        missing(CookiePrefix::Host, PrefixRequirement::NoDomain)
    );
    assert_eq!(store("__Host-a=b; Secure; Path=/"), Ok(()));
}

#[test]
fn http_prefixes_require_httponly() {
    let missing = |prefix, missing| Err(StorageRejection::Prefix { prefix, missing });
    assert_eq!(
        store("__Http-a=b; Secure"),
        missing(CookiePrefix::Http, PrefixRequirement::HttpOnly)
    );
    assert_eq!(store("__Http-a=b; Secure; HttpOnly"), Ok(()));
    assert_eq!(
        store("__Host-Http-a=b; Secure; HttpOnly"),
        missing(CookiePrefix::HostHttp, PrefixRequirement::RootPath)
    );
    assert_eq!(
        store("__host-http-a=b; Secure; Path=/"),
        missing(CookiePrefix::HostHttp, PrefixRequirement::HttpOnly)
    );
    assert_eq!(store("__Host-Http-a=b; Secure; HttpOnly; Path=/"), Ok(()));
}

#[test]
fn nameless_cookie_with_prefixed_value_is_rejected() {
    assert_eq!(
        store("__Host-x; Secure; Path=/"),
        Err(StorageRejection::NamelessWithPrefixedValue {
            prefix: CookiePrefix::Host
        })
    );
    assert_eq!(
        store("=__http-x; Secure"),
        Err(StorageRejection::NamelessWithPrefixedValue {
            prefix: CookiePrefix::Http
        })
    );
}

#[test]
fn policy_adds_required_attributes_and_never_weakens() {
    let policy = CookiePolicy::default();
    assert_eq!(
        policy.harden_set_cookie("a=b; SameSite=Strict").unwrap(),
        "a=b; Secure; HttpOnly; SameSite=Strict"
    );
    assert_eq!(
        policy
            .harden_set_cookie("a=b; secure; SECURE; samesite=none")
            .unwrap(),
        "a=b; Secure; HttpOnly; SameSite=Lax"
    );
}

#[test]
fn policy_without_secure_still_adds_secure_when_browsers_require_it() {
    let policy = CookiePolicy::builder()
        .secure(false)
        .same_site(None)
        .build()
        .unwrap();
    assert_eq!(policy.harden_set_cookie("a=b").unwrap(), "a=b; HttpOnly");
    assert_eq!(
        policy.harden_set_cookie("a=b; SameSite=None").unwrap(),
        "a=b; Secure; HttpOnly; SameSite=None"
    );
    assert_eq!(
        policy.harden_set_cookie("a=b; Partitioned").unwrap(),
        "a=b; Secure; HttpOnly; Partitioned"
    );
    assert_eq!(
        policy.harden_set_cookie("__Secure-a=b").unwrap(),
        "__Secure-a=b; Secure; HttpOnly"
    );
}

#[test]
fn host_prefix_gets_root_path_but_domain_is_an_error() {
    let policy = CookiePolicy::default();
    assert_eq!(
        policy.harden_set_cookie("__Host-a=b; Path=").unwrap(),
        "__Host-a=b; Path=/; Secure; HttpOnly; SameSite=Lax"
    );
    assert!(matches!(
        policy.harden_set_cookie("__Host-a=b; Path=/x"),
        Err(HardenError::PathWithHostPrefix { .. })
    ));
    assert!(matches!(
        policy.harden_set_cookie("__host-a=b; Domain=example.com"),
        Err(HardenError::DomainWithHostPrefix { .. })
    ));
}

#[test]
fn rule_by_name_pattern_applies_first_match() {
    let policy = CookiePolicy::builder()
        .rule(
            NamePattern::exact("sid"),
            AttributeOverrides {
                same_site: Some(SameSite::Strict),
                prefix: Some(CookiePrefix::HostHttp),
                ..Default::default()
            },
        )
        .rule(
            NamePattern::prefix("s"),
            AttributeOverrides {
                same_site: Some(SameSite::None),
                ..Default::default()
            },
        )
        .build()
        .unwrap();
    assert_eq!(
        policy.harden_set_cookie("sid=1").unwrap(),
        "__Host-Http-sid=1; Path=/; Secure; HttpOnly; SameSite=Strict"
    );
    assert_eq!(
        policy.harden_set_cookie("s2=1").unwrap(),
        "s2=1; Secure; HttpOnly; SameSite=None"
    );
    assert_eq!(
        policy.harden_set_cookie("x=1").unwrap(),
        "x=1; Secure; HttpOnly; SameSite=Lax"
    );
}

#[test]
fn cookie_crate_values_with_injection_are_typed_errors() {
    let policy = CookiePolicy::default();
    assert!(matches!(
        policy.harden(cookie::Cookie::new("a\r\nb", "1")),
        Err(HardenError::InvalidName(_))
    ));
    assert!(matches!(
        policy.harden(cookie::Cookie::new("a=b", "1")),
        Err(HardenError::InvalidName(_))
    ));
    assert!(matches!(
        policy.harden(cookie::Cookie::new("a", "1;Domain=x")),
        Err(HardenError::InvalidValue(_))
    ));
    let mut c = cookie::Cookie::new("a", "1");
    c.set_path("/;Secure");
    assert!(matches!(
        policy.harden(c),
        Err(HardenError::InvalidAttribute {
            attribute: "Path",
            ..
        })
    ));
}

#[test]
fn cookie_crate_lifetime_is_capped() {
    let mut c = cookie::Cookie::new("a", "1");
    c.set_max_age(cookie::time::Duration::days(1000));
    let hardened = CookiePolicy::default().harden(c).unwrap();
    assert_eq!(hardened.max_age(), Some(cookie::time::Duration::days(400)));
}

#[test]
fn audit_flags_session_cookie_without_protections_as_high() {
    let findings = check("JSESSIONID=abc; Path=/");
    for id in ["set-cookie-missing-secure", "set-cookie-missing-httponly"] {
        assert_eq!(
            findings.get(id).map(|f| f.severity),
            Some(Severity::High),
            "{id}"
        );
    }
    assert_eq!(
        findings
            .get("set-cookie-missing-samesite")
            .map(|f| f.severity),
        Some(Severity::Medium)
    );
    assert!(findings.contains("set-cookie-sensitive-without-prefix"));
}

#[test]
fn audit_reports_prefix_partitioned_and_lifetime_problems() {
    assert!(check("__Host-id=1; Secure").contains("set-cookie-prefix-violation"));
    assert!(
        check("__HOST-id=1; Secure; Path=/; HttpOnly; SameSite=Lax")
            .contains("set-cookie-prefix-case")
    );
    assert!(check("id=1; Partitioned").contains("set-cookie-partitioned-without-secure"));
    assert!(
        check("id=1; Secure; Partitioned").contains("set-cookie-partitioned-without-host-prefix")
    );
    assert!(check("id=1; Max-Age=40000000").contains("set-cookie-lifetime-over-400-days"));
    assert!(check("id=1; SameSite=maybe").contains("set-cookie-samesite-invalid"));
    assert!(check("id=1\u{0}").contains("set-cookie-unparsable"));
}

#[test]
fn audit_of_a_hardened_cookie_has_no_finding_above_info() {
    let policy = CookiePolicy::default();
    for input in [
        "theme=dark",
        "sid=1; Domain=example.com",
        "x=1; SameSite=None; Max-Age=99999999",
    ] {
        let out = policy.harden_set_cookie(input).unwrap();
        let worst = check(&out)
            .iter()
            .filter(|f| f.id != "set-cookie-sensitive-domain")
            .map(|f| f.severity)
            .max();
        assert!(worst <= Some(Severity::Info), "{out}: {}", check(&out));
    }
}

#[cfg(feature = "serde")]
#[test]
fn policy_config_reads_from_json() {
    let policy: CookiePolicy = serde_json::from_str(
        r#"{"defaults": {"same_site": "Strict", "max_lifetime_seconds": 3600},
            "rules": [{"name": "js_*", "http_only": false}]}"#,
    )
    .unwrap();
    assert_eq!(
        policy.harden_set_cookie("js_x=1").unwrap(),
        "js_x=1; Secure; SameSite=Strict"
    );
    assert!(serde_json::from_str::<CookiePolicy>(r#"{"defaults": {"path": "x"}}"#).is_err());
    assert!(
        serde_json::from_str::<CookiePolicy>(r#"{"defaults": {"max_lifetime_seconds": 0}}"#)
            .is_err()
    );
    let back = serde_json::to_string(&policy).unwrap();
    assert_eq!(serde_json::from_str::<CookiePolicy>(&back).unwrap(), policy);
}

#[test]
fn domain_with_two_leading_dots_round_trips() {
    // §5.6.3 strips exactly one leading dot; found by fuzzing.
    let c = SetCookie::parse("a=b; Domain=..example.com").unwrap();
    assert_eq!(c.domain(), Some(".example.com"));
    assert_eq!(SetCookie::parse(&c.to_string()).unwrap(), c);
    let c = SetCookie::parse("a=b; Domain=. x").unwrap();
    assert_eq!(c.domain(), Some(" x"));
    assert_eq!(SetCookie::parse(&c.to_string()).unwrap(), c);
}

/// A maximum lifetime of 0 would turn every persistent cookie into `Max-Age=0`, which deletes
/// it (RFC 6265bis §5.6.2 step 7); the policy refuses it instead of breaking cookies.
#[test]
fn policy_max_lifetime_of_zero_is_refused() {
    use std::time::Duration;
    assert_eq!(
        CookiePolicy::builder()
            .max_lifetime(Duration::from_millis(999))
            .build(),
        Err(PolicyError::ZeroMaxLifetime)
    );
    assert_eq!(
        CookiePolicy::builder()
            .rule(
                NamePattern::exact("sid"),
                AttributeOverrides {
                    max_lifetime_seconds: Some(0),
                    ..Default::default()
                },
            )
            .build(),
        Err(PolicyError::ZeroMaxLifetime)
    );
    // One second is the shortest lifetime a policy can cap to; the cookie is still stored.
    let policy = CookiePolicy::builder()
        .max_lifetime(Duration::from_secs(1))
        .build()
        .unwrap();
    let out = policy.harden_set_cookie("a=b; Max-Age=99").unwrap();
    assert_eq!(out, "a=b; Max-Age=1; Secure; HttpOnly; SameSite=Lax");
}

/// Adding `__Host-` to a name starting with `Http-` (any case) makes a `__Host-Http-` cookie,
/// which browsers store only with `HttpOnly` too (layered-cookies "Store a Cookie"); the
/// policy must meet the requirements of the prefix the final name has, not of the one it added.
#[test]
fn added_prefix_requirements_follow_the_final_name() {
    let https = RequestContext::secure("example.com");
    for added in CookiePrefix::ALL {
        let policy = CookiePolicy::builder()
            .secure(false)
            .http_only(false)
            .prefix(Some(added))
            .build()
            .unwrap();
        for name in [
            "Http-x", "http-", "HTTP-x", "Http", "Host-x", "Secure-x", "x",
        ] {
            let out = policy.harden_set_cookie(&format!("{name}=1")).unwrap();
            let cookie = SetCookie::parse(&out).unwrap();
            assert_eq!(cookie.check_storage(&https).map(|_| ()), Ok(()), "{out}");
            let out = policy
                .harden(cookie::Cookie::new(name, "1"))
                .unwrap()
                .to_string();
            let cookie = SetCookie::parse(&out).unwrap();
            assert_eq!(cookie.check_storage(&https).map(|_| ()), Ok(()), "{out}");
        }
    }
    let policy = CookiePolicy::builder()
        .http_only(false)
        .prefix(Some(CookiePrefix::Host))
        .build()
        .unwrap();
    assert_eq!(
        policy.harden_set_cookie("Http-x=1").unwrap(),
        "__Host-Http-x=1; Path=/; Secure; HttpOnly; SameSite=Lax"
    );
    assert_eq!(
        policy.harden_set_cookie("x=1").unwrap(),
        "__Host-x=1; Path=/; Secure; SameSite=Lax"
    );
}
