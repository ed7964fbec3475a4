//! One test per rule of RFC 6265bis / layered-cookies / CHIPS that the parser, the storage
//! checks, the policy and the audit implement.

use cookie_attrs::{
    AttributeOverrides, CookieDate, CookiePolicy, CookiePrefix, HardenError, NamePattern,
    PrefixRequirement, RequestContext, SameSite, SetCookie, Severity, StorageRejection, check,
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

// ---------------------------------------------------------------------------------------------
// Boundary tests: each stated limit at N and N+1, first and last position, case and whitespace.
// ---------------------------------------------------------------------------------------------

use cookie_attrs::{
    DiagnosticKind, Expiry, MAX_ATTRIBUTE_VALUE_LEN, MAX_LIFETIME_SECONDS, MAX_NAME_VALUE_LEN,
    ParseError, PolicyError, domain_matches, is_sensitive_name,
};

/// RFC 6265bis §5.6 step 1: %x00-08 / %x0A-1F / %x7F ignore the whole string; HTAB, SP and
/// %x7E do not.
#[test]
fn ctl_bytes_ignore_the_string_at_the_edges_of_each_range() {
    for byte in [0x00u8, 0x08, 0x0a, 0x0d, 0x1f, 0x7f] {
        let c = char::from(byte);
        // First position, inside the value, and last position (inside an attribute).
        for (input, offset) in [
            (format!("{c}a=b"), 0),
            (format!("a=b{c}c"), 3),
            (format!("a=b; Path=/{c}"), 11),
        ] {
            assert_eq!(
                SetCookie::parse(&input),
                Err(ParseError::ControlCharacter { byte, offset }),
                "{byte:#04x} in {input:?}"
            );
        }
    }
    for byte in [0x09u8, 0x20, 0x7e] {
        let c = char::from(byte);
        let input = format!("a=b{c}c; Path=/{c}x");
        assert!(SetCookie::parse(&input).is_ok(), "{byte:#04x}");
    }
}

/// §5.6 step 5: "more than 4096 octets" after the WSP trim of step 4, wherever the split is.
#[test]
fn name_value_limit_is_4096_octets_after_trimming_wsp() {
    assert_eq!(MAX_NAME_VALUE_LEN, 4096);
    for name_len in [0, 1, 2048, 4095, 4096] {
        let name = "n".repeat(name_len);
        let value = "v".repeat(MAX_NAME_VALUE_LEN - name_len);
        let at_limit = format!(" \t{name} \t= \t{value} \t; Secure");
        let c = SetCookie::parse(&at_limit).unwrap();
        assert_eq!(c.name().len() + c.value().len(), MAX_NAME_VALUE_LEN);
        let over = format!(" \t{name} \t= \t{value}v \t; Secure");
        assert_eq!(
            SetCookie::parse(&over),
            Err(ParseError::TooLarge {
                len: MAX_NAME_VALUE_LEN + 1
            }),
            "name of {name_len}"
        );
    }
    // A nameless cookie (no "=") counts its whole value.
    let nameless = "v".repeat(MAX_NAME_VALUE_LEN);
    assert!(SetCookie::parse(&nameless).unwrap().is_nameless());
    assert!(parse_owned(&format!("{nameless}v")).is_err());
    // Attributes do not count towards the limit.
    let long_attrs = format!("a=b; Priority={}", "x".repeat(1024)).repeat(8);
    assert!(SetCookie::parse(&long_attrs).is_ok());
}

/// §5.7 step 2: both empty ignores the cookie, including the empty string and WSP-only pairs.
#[test]
fn empty_name_and_value_ignores_the_cookie_after_trimming() {
    for input in ["", "=", " = ", "\t", "; Secure", " =\t; Path=/"] {
        assert_eq!(
            SetCookie::parse(input),
            Err(ParseError::EmptyNameAndValue),
            "{input:?}"
        );
    }
    assert_eq!(SetCookie::parse("a=").unwrap().name(), "a");
    assert_eq!(SetCookie::parse("=a").unwrap().value(), "a");
}

/// §5.6 attributes step 6: "longer than 1024 octets", measured after the WSP trim of step 5,
/// for every attribute (known or not), at the first and at the last position.
#[test]
fn attribute_value_limit_is_1024_octets_after_trimming_wsp() {
    assert_eq!(MAX_ATTRIBUTE_VALUE_LEN, 1024);
    let path = format!("/{}", "p".repeat(MAX_ATTRIBUTE_VALUE_LEN - 1));
    let domain = format!("{}.com", "d".repeat(MAX_ATTRIBUTE_VALUE_LEN - 4));
    // At the limit, with WSP around it: kept, first and last.
    let c = parse_owned(&format!("a=b;\t Path= \t{path} \t; Domain=  {domain}  ")).unwrap();
    assert_eq!(c.path(), Some(path.as_str()));
    assert_eq!(c.domain(), Some(domain.as_str()));
    // A leading "." counts: it is stripped only after the length check (§5.7 step 7).
    let c = parse_owned(&format!("a=b; Domain=.{domain}")).unwrap();
    assert_eq!(c.domain(), None);
    // One octet more: that attribute only is ignored, and an earlier valid one stays.
    let input = format!("a=b; Path=/ok; Path={path}p; Secure; Domain=x.com; Domain={domain}x");
    let (c, d) = SetCookie::parse_with_diagnostics(&input).unwrap();
    assert_eq!(c.path(), Some("/ok"));
    assert_eq!(c.domain(), Some("x.com"));
    assert!(c.secure());
    let kinds: Vec<_> = d.iter().map(|d| d.kind).collect();
    assert_eq!(
        kinds,
        [
            DiagnosticKind::AttributeValueTooLong,
            DiagnosticKind::AttributeValueTooLong
        ]
    );
    // The limit is on the value: a long value with a flag's name is ignored too.
    let c = parse_owned(&format!("a=b; Secure={}", "x".repeat(1025))).unwrap();
    assert!(!c.secure());
    let c = parse_owned(&format!("a=b; Secure={}", "x".repeat(1024))).unwrap();
    assert!(c.secure());
}

/// §5.6.1-7 and CHIPS: attribute names match case-insensitively; the quoted or extended forms
/// are unknown.
#[test]
fn attribute_names_are_case_insensitive_and_exact() {
    for input in [
        "a=b; SECURE; HTTPONLY; SAMESITE=STRICT; PARTITIONED; PATH=/p; DOMAIN=X.COM; MAX-AGE=5",
        "a=b; secure; httponly; samesite=strict; partitioned; path=/p; domain=x.com; max-age=5",
        "a=b; sEcUrE; hTtPoNlY; sAmEsItE=sTrIcT; pArTiTiOnEd; pAtH=/p; dOmAiN=x.CoM; mAx-AgE=5",
    ] {
        let c = SetCookie::parse(input).unwrap();
        assert!(c.secure() && c.http_only() && c.partitioned(), "{input}");
        assert_eq!(c.same_site(), Some(SameSite::Strict), "{input}");
        assert_eq!(c.path(), Some("/p"), "{input}");
        assert_eq!(c.domain(), Some("x.com"), "{input}");
        assert_eq!(c.max_age(), Some(5), "{input}");
    }
    let c = SetCookie::parse("a=b; EXPIRES=Thu, 01 Jan 1970 00:00:10 GMT").unwrap();
    assert_eq!(c.expires().map(CookieDate::unix_seconds), Some(10));
    for unknown in [
        "\"Secure\"",
        "Secure qux",
        "Secure-",
        "xSecure",
        "Http-Only",
        "MaxAge=5",
    ] {
        let c = parse_owned(&format!("a=b; {unknown}")).unwrap();
        assert!(
            !c.secure() && !c.http_only() && c.max_age().is_none(),
            "{unknown}"
        );
    }
}

/// §5.7 steps 6-17: the last attribute of each kind wins, including one that resets the
/// value (an empty Domain, a non-absolute Path, an unrecognised SameSite).
#[test]
fn last_attribute_wins_even_when_it_resets() {
    let c = SetCookie::parse("a=b; Domain=example.com; Domain=").unwrap();
    assert_eq!(c.domain(), None);
    let c = SetCookie::parse("a=b; Domain=; Domain=.Example.com").unwrap();
    assert_eq!(c.domain(), Some("example.com"));
    let c = SetCookie::parse("a=b; Path=/x; Path=y").unwrap();
    assert_eq!(c.path(), None);
    let c = SetCookie::parse("a=b; Path=y; Path=/x").unwrap();
    assert_eq!(c.path(), Some("/x"));
    let c = SetCookie::parse("a=b; SameSite=Strict; SameSite=").unwrap();
    assert_eq!(c.same_site(), None);
    let c = SetCookie::parse("a=b; Max-Age=5; Max-Age=7").unwrap();
    assert_eq!(c.max_age(), Some(7));
    // An invalid Max-Age or Expires is ignored, so it does not override the earlier one.
    let c = SetCookie::parse("a=b; Max-Age=5; Max-Age=x; Max-Age=").unwrap();
    assert_eq!(c.max_age(), Some(5));
    let c = SetCookie::parse(
        "a=b; Expires=Thu, 01 Jan 1970 00:00:10 GMT; Expires=Thu, 01 Jan 1970 00:00:20 GMT; Expires=never",
    )
    .unwrap();
    assert_eq!(c.expires().map(CookieDate::unix_seconds), Some(20));
}

/// §5.6.2: `-?DIGIT+` after the WSP trim, nothing else.
#[test]
fn max_age_accepts_only_optional_minus_then_digits() {
    for (value, expected) in [
        ("0", Some(0)),
        ("-0", Some(0)),
        ("-1", Some(-1)),
        ("1", Some(1)),
        (" 1 ", Some(1)),
        ("\t007\t", Some(7)),
        ("", None),
        ("-", None),
        ("+1", None),
        ("--1", None),
        ("1 2", None),
        ("1e3", None),
        ("0x10", None),
        ("1.0", None),
        ("\u{661}", None),
    ] {
        let c = parse_owned(&format!("a=b; Max-Age={value}")).unwrap();
        assert_eq!(c.max_age(), expected, "{value:?}");
    }
}

/// §5.6.2 steps 6-7 and §5.5: Max-Age is capped at 400 days; zero and below expire at once.
#[test]
fn max_age_cap_and_non_positive_boundaries() {
    assert_eq!(MAX_LIFETIME_SECONDS, 34_560_000);
    let now = CookieDate::from_unix_seconds(1_000_000);
    let at = |s: i64| Expiry::At(CookieDate::from_unix_seconds(s));
    let expiry = |max_age: i64| {
        parse_owned(&format!("a=b; Max-Age={max_age}"))
            .unwrap()
            .expiry(now)
    };
    let earliest = Expiry::At(CookieDate::from_unix_seconds(i64::MIN));
    assert_eq!(expiry(-1), earliest);
    assert_eq!(expiry(0), earliest);
    assert_eq!(expiry(1), at(1_000_001));
    assert_eq!(
        expiry(MAX_LIFETIME_SECONDS - 1),
        at(1_000_000 + MAX_LIFETIME_SECONDS - 1)
    );
    assert_eq!(
        expiry(MAX_LIFETIME_SECONDS),
        at(1_000_000 + MAX_LIFETIME_SECONDS)
    );
    assert_eq!(
        expiry(MAX_LIFETIME_SECONDS + 1),
        at(1_000_000 + MAX_LIFETIME_SECONDS)
    );
}

/// §5.6.1 step 4: an Expires more than 400 days ahead is cut to 400 days; one in the past is
/// kept as is (it deletes the cookie).
#[test]
fn expires_cap_boundaries() {
    let now = CookieDate::from_unix_seconds(1_000_000);
    let expires = |offset: i64| {
        let date = CookieDate::from_unix_seconds(1_000_000 + offset);
        parse_owned(&format!("a=b; Expires={date}"))
            .unwrap()
            .expiry(now)
    };
    let at = |offset: i64| Expiry::At(CookieDate::from_unix_seconds(1_000_000 + offset));
    assert_eq!(expires(-1), at(-1));
    assert_eq!(expires(0), at(0));
    assert_eq!(expires(MAX_LIFETIME_SECONDS), at(MAX_LIFETIME_SECONDS));
    assert_eq!(expires(MAX_LIFETIME_SECONDS + 1), at(MAX_LIFETIME_SECONDS));
}

/// §5.6.7: Strict, Lax or None, case-insensitively, after the WSP trim; anything else Default.
#[test]
fn samesite_values_are_exact_case_insensitive_words() {
    for (value, expected) in [
        ("Strict", Some(SameSite::Strict)),
        ("STRICT", Some(SameSite::Strict)),
        (" lax\t", Some(SameSite::Lax)),
        ("nOnE", Some(SameSite::None)),
        ("", None),
        ("Lax2", None),
        ("\"Lax\"", None),
        ("La x", None),
        ("Strict,Lax", None),
    ] {
        let c = parse_owned(&format!("a=b; SameSite={value}")).unwrap();
        assert_eq!(c.same_site(), expected, "{value:?}");
    }
    // No value at all is "Default" as well.
    assert_eq!(SetCookie::parse("a=b; SameSite").unwrap().same_site(), None);
}

/// §5.6.3: exactly one leading "." is removed, then ASCII lower case; "." alone is host-only.
#[test]
fn domain_strips_one_dot_and_lowercases() {
    let domain = |v: &str| {
        parse_owned(&format!("a=b; Domain={v}"))
            .unwrap()
            .domain()
            .map(str::to_owned)
    };
    assert_eq!(domain("."), None);
    assert_eq!(domain(" . "), None);
    assert_eq!(domain("EXAMPLE.COM"), Some("example.com".into()));
    assert_eq!(domain(".a.B"), Some("a.b".into()));
    assert_eq!(domain("..a"), Some(".a".into()));
    assert_eq!(domain("a."), Some("a.".into()));
}

/// §5.1.3: identical, or a suffix after a "." of a host name that is not an IP address.
#[test]
fn domain_matching_boundaries() {
    assert!(domain_matches("example.com", "example.com"));
    assert!(domain_matches("a.example.com", "example.com"));
    assert!(!domain_matches("aexample.com", "example.com"));
    assert!(!domain_matches("example.com", "a.example.com"));
    assert!(!domain_matches("com", "example.com"));
    assert!(domain_matches("192.168.0.1", "192.168.0.1"));
    assert!(!domain_matches("192.168.0.1", "168.0.1"));
    assert!(!domain_matches("::1", ":1"));
}

/// §5.7 steps 20-21 and layered-cookies: a prefix is the exact text with its final "-",
/// matched case-insensitively at the very start of the name.
#[test]
fn prefix_needs_the_whole_text_at_the_start_of_the_name() {
    use CookiePrefix::{Host, HostHttp, Http, Secure};
    for (name, expected) in [
        ("__Secure-", Some(Secure)),
        ("__SECURE-x", Some(Secure)),
        ("__Secure", None),
        ("_Secure-x", None),
        (" __Secure-x", Some(Secure)), // WSP is trimmed from the name first
        ("x__Secure-", None),
        ("__Host-", Some(Host)),
        ("__hOsT-x", Some(Host)),
        ("__Host", None),
        ("__Host-Http", Some(Host)),
        ("__Host-Http-", Some(HostHttp)),
        ("__HOST-HTTP-x", Some(HostHttp)),
        ("__Http-", Some(Http)),
        ("__http-x", Some(Http)),
        ("__Http", None),
    ] {
        let c = parse_owned(&format!("{name}=v")).unwrap();
        assert_eq!(c.prefix(), expected, "{name:?}");
    }
}

/// §5.7 step 21.3: `__Host-` needs a Path attribute whose value is exactly "/".
#[test]
fn host_prefix_path_must_be_exactly_root() {
    assert_eq!(store("__Host-a=b; Secure; Path= / "), Ok(()));
    for path in ["//", "/a", "", "a"] {
        assert_eq!(
            store(&format!("__Host-a=b; Secure; Path={path}")),
            Err(StorageRejection::Prefix {
                prefix: CookiePrefix::Host,
                missing: PrefixRequirement::RootPath
            }),
            "{path:?}"
        );
    }
    // An empty Domain attribute keeps the cookie host-only (§5.7 step 10).
    assert_eq!(store("__Host-a=b; Secure; Path=/; Domain="), Ok(()));
}

/// §5.7 step 22 and layered-cookies: a nameless cookie's value may not start with any prefix,
/// in any case; text that only resembles one is fine.
#[test]
fn nameless_prefixed_value_boundaries() {
    for (value, prefix) in [
        ("__SECURE-x", CookiePrefix::Secure),
        ("__host-", CookiePrefix::Host),
        ("__Http-x", CookiePrefix::Http),
        ("__Host-Http-x", CookiePrefix::HostHttp),
    ] {
        assert_eq!(
            store(&format!("={value}; Secure; Path=/; HttpOnly")),
            Err(StorageRejection::NamelessWithPrefixedValue { prefix }),
            "{value}"
        );
    }
    for value in ["__Secure", "_Host-x", "x__Host-"] {
        assert_eq!(store(&format!("{value}; Secure")), Ok(()), "{value}");
    }
}

/// The policy's 4096-octet check counts the prefix it adds.
#[test]
fn policy_size_limit_counts_the_added_prefix() {
    let policy = CookiePolicy::builder()
        .prefix(Some(CookiePrefix::Secure))
        .build()
        .unwrap();
    let room = MAX_NAME_VALUE_LEN - "__Secure-".len() - "id".len();
    let at_limit = format!("id={}", "v".repeat(room));
    let out = policy.harden_set_cookie(&at_limit).unwrap();
    let c = SetCookie::parse(&out).unwrap();
    assert_eq!(c.name().len() + c.value().len(), MAX_NAME_VALUE_LEN);
    assert_eq!(
        policy.harden_set_cookie(&format!("{at_limit}v")),
        Err(HardenError::TooLarge {
            len: MAX_NAME_VALUE_LEN + 1
        })
    );
    let mut cookie = cookie::Cookie::new("id", "v".repeat(room + 1));
    assert_eq!(
        policy.harden(cookie.clone()),
        Err(HardenError::TooLarge {
            len: MAX_NAME_VALUE_LEN + 1
        })
    );
    cookie.set_value("v".repeat(room));
    assert!(policy.harden(cookie).is_ok());
}

/// `HardenError::AttributeTooLong`: a Path or Domain over 1024 octets; 1024 is fine.
#[test]
fn cookie_crate_attribute_limit_is_1024_octets() {
    let policy = CookiePolicy::default();
    let path = format!("/{}", "p".repeat(MAX_ATTRIBUTE_VALUE_LEN - 1));
    let domain = format!("{}.com", "d".repeat(MAX_ATTRIBUTE_VALUE_LEN - 4));
    let mut c = cookie::Cookie::new("a", "1");
    c.set_path(path.clone());
    c.set_domain(domain.clone());
    let hardened = policy.harden(c).unwrap().to_string();
    let parsed = SetCookie::parse(&hardened).unwrap();
    assert_eq!(parsed.path(), Some(path.as_str()));
    assert_eq!(parsed.domain(), Some(domain.as_str()));
    for (attribute, long_path, long_domain) in [
        ("Path", format!("{path}p"), domain.clone()),
        ("Domain", path.clone(), format!("d{domain}")),
    ] {
        let mut c = cookie::Cookie::new("a", "1");
        c.set_path(long_path);
        c.set_domain(long_domain);
        assert_eq!(
            policy.harden(c),
            Err(HardenError::AttributeTooLong {
                attribute,
                len: MAX_ATTRIBUTE_VALUE_LEN + 1
            })
        );
    }
}

/// `PolicyError::InvalidPath`: "must start with '/', be at most 1024 octets, hold no ';' or
/// control character, and not end in a space or tab".
#[test]
fn policy_path_limit_is_1024_octets() {
    let path = format!("/{}", "p".repeat(MAX_ATTRIBUTE_VALUE_LEN - 1));
    let policy = CookiePolicy::builder().path(path.clone()).build().unwrap();
    let out = policy.harden_set_cookie("a=b").unwrap();
    assert_eq!(SetCookie::parse(&out).unwrap().path(), Some(path.as_str()));
    assert!(matches!(
        CookiePolicy::builder().path(format!("{path}p")).build(),
        Err(PolicyError::InvalidPath { .. })
    ));
    for bad in ["", "p", "/a;b", "/a\nb", "/a ", "/a\t"] {
        assert!(
            matches!(
                CookiePolicy::builder().path(bad).build(),
                Err(PolicyError::InvalidPath { .. })
            ),
            "{bad:?}"
        );
    }
}

/// `CookieAttributes::max_lifetime_seconds`: a lifetime equal to the maximum is kept, one
/// second more is replaced by `Max-Age` of the maximum; the maximum itself is capped at 400 days.
#[test]
fn policy_lifetime_cap_boundaries() {
    let policy = CookiePolicy::builder()
        .max_lifetime(std::time::Duration::from_secs(3600))
        .build()
        .unwrap();
    assert_eq!(
        policy.harden_set_cookie("a=b; Max-Age=3600").unwrap(),
        "a=b; Max-Age=3600; Secure; HttpOnly; SameSite=Lax"
    );
    assert_eq!(
        policy.harden_set_cookie("a=b; Max-Age=3601").unwrap(),
        "a=b; Max-Age=3600; Secure; HttpOnly; SameSite=Lax"
    );
    let now = CookieDate::from_unix_seconds(0);
    let at = |s: i64| CookieDate::from_unix_seconds(s);
    assert_eq!(
        policy
            .harden_set_cookie_at(&format!("a=b; Expires={}", at(3600)), now)
            .unwrap(),
        "a=b; Expires=Thu, 01 Jan 1970 01:00:00 GMT; Secure; HttpOnly; SameSite=Lax"
    );
    assert_eq!(
        policy
            .harden_set_cookie_at(&format!("a=b; Expires={}", at(3601)), now)
            .unwrap(),
        "a=b; Max-Age=3600; Secure; HttpOnly; SameSite=Lax"
    );
    let default = CookiePolicy::default();
    let cap = MAX_LIFETIME_SECONDS;
    assert_eq!(
        default
            .harden_set_cookie(&format!("a=b; Max-Age={cap}"))
            .unwrap(),
        format!("a=b; Max-Age={cap}; Secure; HttpOnly; SameSite=Lax")
    );
    let over_400_days = CookiePolicy::builder()
        .max_lifetime(std::time::Duration::from_secs(cap.unsigned_abs() + 1))
        .build()
        .unwrap();
    assert_eq!(
        over_400_days
            .harden_set_cookie(&format!("a=b; Max-Age={}", cap + 1))
            .unwrap(),
        format!("a=b; Max-Age={cap}; Secure; HttpOnly; SameSite=Lax")
    );
}

/// `set-cookie-lifetime-over-400-days`: exactly 400 days is not over, one second more is, for
/// Max-Age and for Expires.
#[test]
fn audit_lifetime_finding_starts_one_second_over_400_days() {
    let id = "set-cookie-lifetime-over-400-days";
    let now = CookieDate::from_unix_seconds(0);
    let cap = MAX_LIFETIME_SECONDS;
    assert!(!cookie_attrs::check_at(&format!("a=b; Max-Age={cap}"), now).contains(id));
    assert!(cookie_attrs::check_at(&format!("a=b; Max-Age={}", cap + 1), now).contains(id));
    let expires = |s: i64| format!("a=b; Expires={}", CookieDate::from_unix_seconds(s));
    assert!(!cookie_attrs::check_at(&expires(cap), now).contains(id));
    assert!(cookie_attrs::check_at(&expires(cap + 1), now).contains(id));
}

/// `is_sensitive_name`: the listed words anywhere, `sid` only where it starts or ends a word,
/// and a name prefix does not count.
#[test]
fn sensitive_name_boundaries() {
    for name in [
        "sid",
        "SID",
        "sid_x",
        "x.sid",
        "my-sid-v2",
        "x.sidebar",
        "sidebar",
        "__Host-sid",
        "XSESSx",
    ] {
        assert!(is_sensitive_name(name), "{name}");
    }
    for name in ["", "inside", "outsider", "lang", "__Host-x", "__Secure-"] {
        assert!(!is_sensitive_name(name), "{name}");
    }
}

/// Parses and copies, so a `format!` temporary can be the input.
fn parse_owned(input: &str) -> Result<SetCookie<'static>, ParseError> {
    input.parse()
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

/// `check_storage` reports the first failing rule in the order of RFC 6265bis §5.7: Domain
/// (steps 8, 10), Secure from a non-secure origin (13), HttpOnly from script (15),
/// SameSite=None (19), CHIPS Partitioned, prefixes (20-21), nameless prefixed value (22).
#[test]
fn storage_checks_run_in_the_spec_order() {
    let insecure = RequestContext::insecure("www.example.com");
    let script = https().from_script();
    let first = |input: &str, request: &RequestContext<'_>| {
        SetCookie::parse(input)
            .unwrap()
            .check_storage(request)
            .map(|_| ())
    };
    let all = "__Host-a=b; Secure; HttpOnly; SameSite=None; Partitioned; Domain=";
    assert!(matches!(
        first(&format!("{all}é.example.com"), &insecure),
        Err(StorageRejection::DomainNotAscii { .. })
    ));
    assert!(matches!(
        first(&format!("{all}other.example"), &insecure),
        Err(StorageRejection::DomainMismatch { .. })
    ));
    assert_eq!(
        first(all, &insecure),
        Err(StorageRejection::SecureFromInsecureOrigin)
    );
    assert_eq!(
        first(all, &script),
        Err(StorageRejection::HttpOnlyFromScript)
    );
    assert_eq!(
        first("__Host-a=b; SameSite=None; Partitioned", &https()),
        Err(StorageRejection::SameSiteNoneWithoutSecure)
    );
    assert_eq!(
        first("__Host-a=b; Partitioned", &https()),
        Err(StorageRejection::PartitionedWithoutSecure)
    );
    assert_eq!(
        first(all, &https()),
        Err(StorageRejection::Prefix {
            prefix: CookiePrefix::Host,
            missing: PrefixRequirement::RootPath
        })
    );
    // The requirements of one prefix are reported in a fixed order too.
    assert_eq!(
        first("__Host-Http-a=b; Domain=example.com", &https()),
        Err(StorageRejection::Prefix {
            prefix: CookiePrefix::HostHttp,
            missing: PrefixRequirement::Secure
        })
    );
    assert_eq!(
        first("__Host-Http-a=b; Secure; Domain=example.com", &https()),
        Err(StorageRejection::Prefix {
            prefix: CookiePrefix::HostHttp,
            missing: PrefixRequirement::NoDomain
        })
    );
}

/// `Diagnostic`: what was ignored or overridden, with the WSP-trimmed span of the cookie-av,
/// at the first and the last attribute.
#[test]
fn diagnostics_point_at_the_ignored_or_overridden_attribute() {
    let input =
        "a=b;  Secure=1 ; Expires=Thu, 01 Jan 1970 00:00:10 GMT;Max-Age=5; secure;\tPath=x\t";
    let (_, diagnostics) = SetCookie::parse_with_diagnostics(input).unwrap();
    let found: Vec<_> = diagnostics
        .iter()
        .map(|d| (d.kind, &input[d.span.clone()]))
        .collect();
    assert_eq!(
        found,
        [
            (DiagnosticKind::IgnoredAttributeValue, "Secure=1"),
            (DiagnosticKind::OverriddenAttribute, "Secure=1"),
            (
                DiagnosticKind::ExpiresOverriddenByMaxAge,
                "Expires=Thu, 01 Jan 1970 00:00:10 GMT"
            ),
            (DiagnosticKind::NonAbsolutePath, "Path=x"),
        ]
    );
    // Nothing to report for a clean cookie, or for empty cookie-avs.
    let (_, diagnostics) = SetCookie::parse_with_diagnostics("a=b;; ;Secure;").unwrap();
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
}

/// `harden_set_cookie`: untouched attributes are kept, in order, WSP-trimmed; the four flags
/// are written once, at the end, in their canonical spelling.
#[test]
fn hardening_keeps_other_attributes_and_writes_flags_once_at_the_end() {
    let policy = CookiePolicy::default();
    assert_eq!(
        policy
            .harden_set_cookie(
                "a=b; secure;  Priority=High ; SameSite=strict; HTTPONLY; Path=/p; partitioned=1"
            )
            .unwrap(),
        "a=b; Priority=High; Path=/p; Secure; HttpOnly; SameSite=Strict; Partitioned"
    );
}

/// `NamePattern`: an exact name or a prefix written with a trailing `*`, case-sensitive; empty
/// or unsendable text is refused.
#[test]
fn name_pattern_boundaries() {
    let pattern = |s: &str| s.parse::<NamePattern>();
    assert!(pattern("sess*").unwrap().matches("sess"));
    assert!(pattern("sess*").unwrap().matches("session"));
    assert!(!pattern("sess*").unwrap().matches("Session"));
    assert!(!pattern("sess*").unwrap().matches("ses"));
    assert!(pattern("sid").unwrap().matches("sid"));
    assert!(!pattern("sid").unwrap().matches("sid2"));
    for bad in ["", "*", "a=b", "a;b", " a", "a ", "a\n"] {
        assert!(
            matches!(pattern(bad), Err(PolicyError::InvalidPattern { .. })),
            "{bad:?}"
        );
    }
}

/// Ignored attributes are listed one by one up to 32; the rest are counted in one more finding,
/// so a hostile `a=b;x;x;…` costs no finding per attribute.
#[test]
fn ignored_attributes_are_listed_up_to_a_cap_and_the_rest_counted() {
    let ignored = |f: &cookie_attrs::Findings| -> Vec<String> {
        f.iter()
            .filter(|f| f.id == "set-cookie-ignored-attribute")
            .map(|f| f.message.clone())
            .collect()
    };
    let few = ignored(&check("a=b; Secure; x1; x2; Max-Age=zz"));
    assert_eq!(few.len(), 3, "{few:?}");
    assert!(few[0].starts_with("`x1`"), "{few:?}");

    for n in [31usize, 32, 33, 10_000] {
        let value = format!(
            "a=b; Secure{}",
            (0..n).map(|i| format!("; x{i}")).collect::<String>()
        );
        let messages = ignored(&check(&value));
        let listed = n.min(32);
        assert_eq!(messages.len(), listed + usize::from(n > 32), "{n}");
        for (i, m) in messages.iter().take(listed).enumerate() {
            assert!(m.starts_with(&format!("`x{i}`")), "{n}: {m}");
        }
        if n > 32 {
            assert_eq!(
                messages[32],
                format!("{} more ignored attributes not listed", n - 32)
            );
        }
    }
}
