//! RFC 7469 §2.1 / §2.5 rules, one test per rule, plus builder and round-trip properties.

use std::time::Duration;

use hpkp::{BuildError, Disposition, HpkpError, Pin, PinError, PublicKeyPins};
use proptest::prelude::*;

const A: &str = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";
const B: &str = "AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=";

fn enforce(s: &str) -> Result<PublicKeyPins, HpkpError> {
    PublicKeyPins::parse(s, Disposition::Enforce)
}

fn two_pins() -> String {
    format!(r#"pin-sha256="{A}"; pin-sha256="{B}""#)
}

#[test]
fn pin_value_must_be_quoted() {
    assert!(matches!(
        enforce(&format!("max-age=1; pin-sha256={A}; pin-sha256=\"{B}\"")),
        Err(HpkpError::Syntax(_) | HpkpError::UnquotedPin { .. })
    ));
    // A token-shaped pin value (no `=` padding problem) is rejected as unquoted.
    let s = format!("max-age=1; {}; pin-sha256=abc", two_pins());
    let offset = s.find("pin-sha256=abc").unwrap();
    assert_eq!(enforce(&s), Err(HpkpError::UnquotedPin { offset }));
}

#[test]
fn pin_must_decode_to_32_bytes() {
    // A template value seen in the wild.
    let e = enforce(&format!(
        "max-age=1; {}; pin-sha256=\"base64+primary==\"",
        two_pins()
    ));
    assert!(matches!(e, Err(HpkpError::InvalidPin { .. })), "{e:?}");
    // 16 bytes: valid base64, wrong digest length.
    let e = enforce(&format!(
        "max-age=1; {}; pin-sha256=\"AAAAAAAAAAAAAAAAAAAAAA==\"",
        two_pins()
    ));
    assert!(
        matches!(
            e,
            Err(HpkpError::InvalidPin {
                reason: PinError::WrongLength { bytes: 16 },
                ..
            })
        ),
        "{e:?}"
    );
    let e = enforce(&format!("max-age=1; {}; pin-sha256=\"!!\"", two_pins()));
    assert!(matches!(
        e,
        Err(HpkpError::InvalidPin {
            reason: PinError::InvalidBase64,
            ..
        })
    ));
}

#[test]
fn unknown_pin_algorithms_are_ignored() {
    let p = enforce(&format!(
        "max-age=1; {}; pin-sha512=\"whatever\"",
        two_pins()
    ))
    .unwrap();
    assert_eq!(p.pins().len(), 2);
    // ... but their values must still be quoted (pin-directive grammar).
    assert!(matches!(
        enforce(&format!("max-age=1; {}; pin-sha1=abc", two_pins())),
        Err(HpkpError::UnquotedPin { .. })
    ));
}

#[test]
fn fewer_than_two_distinct_pins_is_rejected() {
    assert_eq!(
        enforce("max-age=1"),
        Err(HpkpError::TooFewPins { distinct: 0 })
    );
    assert_eq!(
        enforce(&format!(r#"max-age=1; pin-sha256="{A}"; PIN-SHA256="{A}""#)),
        Err(HpkpError::TooFewPins { distinct: 1 })
    );
}

#[test]
fn max_age_is_required_only_when_enforcing() {
    assert_eq!(enforce(&two_pins()), Err(HpkpError::MissingMaxAge));
    assert!(PublicKeyPins::parse(&two_pins(), Disposition::ReportOnly).is_ok());
}

#[test]
fn non_pin_directives_appear_at_most_once() {
    for dup in [
        "max-age=2",
        "INCLUDESUBDOMAINS; includeSubDomains",
        r#"report-uri="/a"; report-uri="/b""#,
    ] {
        let s = format!("max-age=1; {}; includeSubDomains; {dup}", two_pins());
        let s = s.replacen(
            "includeSubDomains; INCLUDESUBDOMAINS",
            "INCLUDESUBDOMAINS",
            1,
        );
        assert!(
            matches!(enforce(&s), Err(HpkpError::DuplicateDirective { .. })),
            "{s}"
        );
    }
}

#[test]
fn repeated_unknown_directive_is_ignored() {
    // RFC 7469 §2.1: "If a header field contains any directive(s) the UA does not recognize,
    // the UA MUST ignore those directives." Chromium and Firefox ignored them, repeated or not.
    let p = enforce(&format!("max-age=1; {}; x; X=1; x=\"2\"", two_pins())).unwrap();
    assert_eq!(p.pins().len(), 2);
    assert_eq!(p.max_age(), Some(Duration::from_secs(1)));
}

#[test]
fn report_uri_must_be_a_quoted_uri_reference() {
    let base = format!("max-age=1; {}", two_pins());
    assert!(matches!(
        enforce(&format!("{base}; report-uri=r")),
        Err(HpkpError::UnquotedReportUri { .. })
    ));
    assert!(matches!(
        enforce(&format!("{base}; report-uri")),
        Err(HpkpError::UnquotedReportUri { .. })
    ));
    assert!(matches!(
        enforce(&format!("{base}; report-uri=\"\"")),
        Err(HpkpError::InvalidReportUri { .. })
    ));
    assert!(matches!(
        enforce(&format!("{base}; report-uri=\"a b\"")),
        Err(HpkpError::InvalidReportUri { .. })
    ));
    let p = enforce(&format!("{base}; report-uri=\"https://r.example/?a;b\"")).unwrap();
    assert_eq!(p.report_uri(), Some("https://r.example/?a;b"));
}

#[test]
fn include_subdomains_takes_no_value() {
    assert!(matches!(
        enforce(&format!("max-age=1; {}; includeSubDomains=1", two_pins())),
        Err(HpkpError::IncludeSubDomainsWithValue { .. })
    ));
}

#[test]
fn max_age_overflow_saturates_and_chromium_clamps_to_60_days() {
    let p = enforce(&format!("max-age={}; {}", "9".repeat(40), two_pins())).unwrap();
    assert_eq!(p.max_age(), Some(Duration::from_secs(u64::MAX)));
    assert_eq!(p.effective_max_age(), Some(hpkp::CHROMIUM_MAX_AGE));
}

#[test]
fn chain_check_requires_a_live_and_a_backup_pin() {
    let p = enforce(&format!("max-age=1; {}", two_pins())).unwrap();
    let a: Pin = A.parse().unwrap();
    let b: Pin = B.parse().unwrap();
    assert_eq!(p.check_against_chain(&[a]), Ok(()));
    assert_eq!(
        p.check_against_chain(&[a, b]),
        Err(hpkp::PinSetError::NoBackupPin)
    );
    assert_eq!(
        p.check_against_chain(&[]),
        Err(hpkp::PinSetError::NoPinMatchesChain)
    );
}

#[test]
fn builder_enforces_the_rfc() {
    let a: Pin = A.parse().unwrap();
    let b: Pin = B.parse().unwrap();
    assert_eq!(
        PublicKeyPins::builder(Disposition::Enforce)
            .pins([a, a])
            .max_age(Duration::from_secs(1))
            .build(),
        Err(BuildError::TooFewPins { distinct: 1 })
    );
    assert_eq!(
        PublicKeyPins::builder(Disposition::Enforce)
            .pins([a, b])
            .build(),
        Err(BuildError::MissingMaxAge)
    );
    for injected in [
        "https://x\"; max-age=0",
        "https://x\r\nSet-Cookie: a=b",
        "",
        "a\u{0}b",
    ] {
        assert!(matches!(
            PublicKeyPins::builder(Disposition::ReportOnly)
                .pins([a, b])
                .report_uri(injected)
                .build(),
            Err(BuildError::InvalidReportUri(_))
        ));
    }
    let ro = PublicKeyPins::builder(Disposition::ReportOnly)
        .pins([a, b])
        .build()
        .unwrap();
    assert_eq!(
        ro.to_string(),
        format!(r#"pin-sha256="{A}"; pin-sha256="{B}""#)
    );
    assert_eq!(ro.to_header_value(), ro.to_string().as_str());
}

#[test]
fn header_names() {
    assert_eq!(hpkp::NAME, "public-key-pins");
    assert_eq!(hpkp::REPORT_ONLY_NAME, "public-key-pins-report-only");
}

#[test]
fn header_value_parsing_matches_str_parsing() {
    let s = format!("max-age=1; {}", two_pins());
    let v = http::HeaderValue::from_str(&s).unwrap();
    assert_eq!(PublicKeyPins::try_from(&v), s.parse::<PublicKeyPins>());
}

#[cfg(feature = "serde")]
#[test]
fn serde_config_is_validated() {
    let ok = format!(r#"{{"pins": ["{A}", "{B}"], "max_age": 600, "report_uri": "/r"}}"#);
    let p: PublicKeyPins = serde_json::from_str(&ok).unwrap();
    assert_eq!(
        serde_json::from_str::<PublicKeyPins>(&serde_json::to_string(&p).unwrap()).unwrap(),
        p
    );
    let one_pin = format!(r#"{{"pins": ["{A}"], "max_age": 600}}"#);
    assert!(serde_json::from_str::<PublicKeyPins>(&one_pin).is_err());
    let ro = format!(r#"{{"disposition": "report-only", "pins": ["{A}", "{B}"]}}"#);
    assert_eq!(
        serde_json::from_str::<PublicKeyPins>(&ro)
            .unwrap()
            .disposition(),
        Disposition::ReportOnly
    );
}

fn arb_pin() -> impl Strategy<Value = Pin> {
    any::<[u8; 32]>().prop_map(Pin::from_digest)
}

proptest! {
    #[test]
    fn display_then_parse_is_identity(
        pins in proptest::collection::vec(arb_pin(), 2..5),
        max_age in proptest::option::of(any::<u64>()),
        sub in any::<bool>(),
        uri in proptest::option::of("[a-z]{1,8}://[a-z0-9.]{1,12}/[a-zA-Z0-9;?=&%/_~-]{0,12}"),
        report_only in any::<bool>(),
    ) {
        let d = if report_only { Disposition::ReportOnly } else { Disposition::Enforce };
        let mut b = PublicKeyPins::builder(d).pins(pins).include_subdomains(sub);
        if let Some(m) = max_age { b = b.max_age(Duration::from_secs(m)); }
        if let Some(u) = uri { b = b.report_uri(u); }
        if let Ok(p) = b.build() {
            prop_assert_eq!(PublicKeyPins::parse(&p.to_string(), d), Ok(p.clone()));
            prop_assert_eq!(PublicKeyPins::from_header_value(&p.to_header_value(), d), Ok(p));
        }
    }

    #[test]
    fn parser_never_panics(s in "[ -~\t]{0,120}") {
        let _ = PublicKeyPins::parse(&s, Disposition::Enforce);
        let _ = PublicKeyPins::parse_chromium_compatible(&s, Disposition::ReportOnly);
    }
}

#[test]
fn pin_is_exactly_44_characters_of_padded_base64_for_32_bytes() {
    // RFC 7469 §2.4: the pin is the base64 of the SHA-256 digest (32 bytes).
    let digest_of = |bytes: usize| {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(vec![7u8; bytes])
    };
    assert_eq!(digest_of(32).len(), 44);
    assert_eq!(
        Pin::from_base64(&digest_of(32)).map(|p| *p.digest()),
        Ok([7; 32])
    );
    assert_eq!(
        Pin::from_base64(&digest_of(31)),
        Err(PinError::WrongLength { bytes: 31 })
    );
    assert_eq!(
        Pin::from_base64(&digest_of(33)),
        Err(PinError::WrongLength { bytes: 33 })
    );
    assert_eq!(
        Pin::from_base64(&digest_of(34)),
        Err(PinError::WrongLength { bytes: 34 })
    );
    // Padding is required (RFC 4648 §4), and only the standard alphabet is accepted.
    let unpadded = digest_of(32).trim_end_matches('=').to_owned();
    assert_eq!(unpadded.len(), 43);
    assert_eq!(Pin::from_base64(&unpadded), Err(PinError::InvalidBase64));
    let url_safe = A.replace('A', "-");
    assert_eq!(Pin::from_base64(&url_safe), Err(PinError::InvalidBase64));
    assert_eq!(
        Pin::from_base64(""),
        Err(PinError::WrongLength { bytes: 0 })
    );
}

#[test]
fn long_valid_base64_is_a_wrong_length_not_invalid_base64() {
    // `PinError::InvalidBase64` means "not standard base64 with padding"; a long value that
    // is valid base64 is reported with its decoded length, whatever its size.
    let encode = |bytes: usize| {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(vec![1u8; bytes])
    };
    for bytes in [3_072, 3_073, 3_075, 30_000] {
        assert_eq!(
            Pin::from_base64(&encode(bytes)),
            Err(PinError::WrongLength { bytes }),
            "{bytes} bytes"
        );
    }
    // Invalid characters or padding anywhere in a long value are still invalid base64.
    let mut late_bad = encode(30_000);
    late_bad.replace_range(20_000..20_001, "!");
    assert_eq!(Pin::from_base64(&late_bad), Err(PinError::InvalidBase64));
    let mut inner_padding = encode(30_000);
    inner_padding.replace_range(4_094..4_096, "==");
    assert_eq!(
        Pin::from_base64(&inner_padding),
        Err(PinError::InvalidBase64)
    );
    let mut inner_padding = encode(30_000);
    inner_padding.replace_range(102..104, "==");
    assert_eq!(
        Pin::from_base64(&inner_padding),
        Err(PinError::InvalidBase64)
    );
}

#[test]
fn effective_max_age_clamps_above_60_days_only() {
    // RFC 7469 §4.1 suggests a 60-day cap; Chromium used kMaxHPKPAgeSecs = 86400 * 60.
    assert_eq!(hpkp::CHROMIUM_MAX_AGE.as_secs(), 86_400 * 60);
    for (secs, effective) in [
        (5_183_999, 5_183_999),
        (5_184_000, 5_184_000),
        (5_184_001, 5_184_000),
        (0, 0),
    ] {
        let p = enforce(&format!("max-age={secs}; {}", two_pins())).unwrap();
        assert_eq!(p.max_age(), Some(Duration::from_secs(secs)));
        assert_eq!(p.effective_max_age(), Some(Duration::from_secs(effective)));
    }
    let ro = PublicKeyPins::parse(&two_pins(), Disposition::ReportOnly).unwrap();
    assert_eq!(ro.effective_max_age(), None);
}

#[test]
fn max_age_is_delta_seconds_token_or_quoted() {
    // RFC 7469 §2.1.2: max-age-value = delta-seconds = 1*DIGIT.
    let p = enforce(&format!("max-age=\"18446744073709551615\"; {}", two_pins())).unwrap();
    assert_eq!(p.max_age(), Some(Duration::from_secs(u64::MAX)));
    let p = enforce(&format!("max-age=18446744073709551614; {}", two_pins())).unwrap();
    assert_eq!(p.max_age(), Some(Duration::from_secs(u64::MAX - 1)));
    for bad in ["-1", "+1", "1.0", "\"\"", "\" 1\"", "1e3"] {
        assert!(
            matches!(
                enforce(&format!("max-age={bad}; {}", two_pins())),
                Err(HpkpError::InvalidMaxAge { offset: 8 })
            ),
            "{bad}"
        );
    }
    assert_eq!(
        enforce(&format!("{}; max-age", two_pins())),
        Err(HpkpError::MaxAgeWithoutValue {
            offset: two_pins().len() + 2
        })
    );
}

#[test]
fn pin_directive_needs_a_non_empty_algorithm_token() {
    // pin-directive = "pin-" token "=" quoted-string: a bare `pin-` is not a pin directive but
    // an unknown one, which may carry a token value.
    let p = enforce(&format!("max-age=1; {}; pin-=abc", two_pins())).unwrap();
    assert_eq!(p.pins().len(), 2);
    // Names are case-insensitive: any casing of pin-sha256 is a pin.
    let p = enforce(&format!(r#"max-age=1; Pin-Sha256="{A}"; PIN-SHA256="{B}""#)).unwrap();
    assert_eq!(p.pins().len(), 2);
    // Unknown algorithms may repeat: the at-most-once rule exempts pin directives.
    assert!(
        enforce(&format!(
            r#"max-age=1; {}; pin-x="1"; pin-x="2""#,
            two_pins()
        ))
        .is_ok()
    );
}

#[test]
fn report_uri_accepts_every_uri_character_and_nothing_else() {
    let base = format!("max-age=1; {}", two_pins());
    let report_uri = |uri: &str| enforce(&format!("{base}; report-uri=\"{uri}\""));
    // RFC 3986: unreserved / gen-delims / sub-delims / pct-encoded.
    let every = "azAZ09-._~:/?#[]@!$&'()*+,;=%41%7e";
    assert_eq!(report_uri(every).unwrap().report_uri(), Some(every));
    for bad in [
        "%", "%4", "a%4", "%zz", "%4g", "a b", "<a>", "{a}", "a|b", "a^b", "a`b", "\u{e9}",
    ] {
        assert!(
            matches!(report_uri(bad), Err(HpkpError::InvalidReportUri { .. })),
            "{bad:?}"
        );
    }
    // A quoted-pair is unescaped before the check: `\/` is `/`, `\"` is a bare quote.
    assert_eq!(report_uri(r"\/r").unwrap().report_uri(), Some("/r"));
    assert!(matches!(
        report_uri(r#"a\"b"#),
        Err(HpkpError::InvalidReportUri { .. })
    ));
}

#[test]
fn builder_report_uri_boundaries_match_the_parser() {
    let a: Pin = A.parse().unwrap();
    let b: Pin = B.parse().unwrap();
    for (uri, ok) in [
        ("%41", true),
        ("x", true),
        ("%4", false),
        ("%", false),
        ("a\\b", false),
        ("\u{e9}", false),
    ] {
        let built = PublicKeyPins::builder(Disposition::ReportOnly)
            .pins([a, b])
            .report_uri(uri)
            .build();
        assert_eq!(built.is_ok(), ok, "{uri:?}");
        if let Ok(p) = built {
            assert_eq!(
                PublicKeyPins::parse(&p.to_string(), Disposition::ReportOnly),
                Ok(p)
            );
        }
    }
}

#[test]
fn error_offsets_of_a_header_value_with_obs_text_count_header_bytes() {
    // Byte 0xE9 is one byte of the header (and one code point after isomorphic decoding),
    // so the offsets are those of the bytes as received.
    let from_bytes = |bytes: &[u8]| {
        PublicKeyPins::from_header_value(
            &http::HeaderValue::from_bytes(bytes).unwrap(),
            Disposition::Enforce,
        )
    };
    let pins = two_pins();
    let mut bytes = b"x=\"\xe9\"; ".to_vec();
    bytes.extend_from_slice(format!("{pins}; max-age=abc").as_bytes());
    let at = bytes.len() - 3;
    assert_eq!(
        from_bytes(&bytes),
        Err(HpkpError::InvalidMaxAge { offset: at })
    );
    let mut bytes = b"x=\"\xe9\xe9\"; max-age=1; ".to_vec();
    bytes.extend_from_slice(format!("{pins}; pin-sha256=abc").as_bytes());
    let at = bytes.len() - 14;
    assert_eq!(
        from_bytes(&bytes),
        Err(HpkpError::UnquotedPin { offset: at })
    );
    let mut bytes = b"x=\"\xe9\"; max-age=1; ".to_vec();
    bytes.extend_from_slice(format!("{pins}; report-uri=\"a b\"").as_bytes());
    let at = bytes.len() - 5;
    assert_eq!(
        from_bytes(&bytes),
        Err(HpkpError::InvalidReportUri { offset: at })
    );
}

/// The builder keeps each pin once, in the order first given, however many are added (RFC
/// 7469 §2.5: the pins are a set), and counts only distinct pins for the two-pin rule.
#[test]
fn builder_keeps_first_of_repeated_pins_in_order() {
    let pin = |n: u32| {
        let mut digest = [0u8; 32];
        digest[..4].copy_from_slice(&n.to_le_bytes());
        Pin::from_digest(digest)
    };
    // Every pin twice: 0, 1, 0, 2, 1, 3, 2, ...
    let given = (0..3000u32).flat_map(|n| [pin(n), pin(n.saturating_sub(1))]);
    let built = PublicKeyPins::builder(Disposition::ReportOnly)
        .pins(given)
        .build()
        .expect("3000 distinct pins");
    let expected: Vec<Pin> = (0..3000).map(pin).collect();
    assert_eq!(built.pins(), expected.as_slice());

    let same = PublicKeyPins::builder(Disposition::ReportOnly)
        .pins([pin(7), pin(7), pin(7)])
        .build();
    assert_eq!(same, Err(BuildError::TooFewPins { distinct: 1 }));
}
