//! RFC 6797 §6.1 rules, one test per rule.

use std::time::Duration;

use hsts::{Hsts, HstsError, Ignored, PreloadRequirement};

fn err(s: &str) -> HstsError {
    s.parse::<Hsts>().unwrap_err()
}

#[test]
fn duplicate_directive_invalidates_header() {
    assert!(matches!(
        err("max-age=1; MaX-AgE=2"),
        HstsError::DuplicateDirective { ref name, offset: 11 } if name == "MaX-AgE"
    ));
    assert!(matches!(
        err("max-age=1; includeSubDomains; iNcLUdEsUbDoMaInS"),
        HstsError::DuplicateDirective { .. }
    ));
}

#[test]
fn repeated_unknown_directive_is_ignored() {
    // RFC 6797 §6.1 item 5: unrecognized directives are ignored and the recognized ones are
    // processed. Chromium's ParseHSTSHeader and Firefox only reject a repeated max-age or
    // includeSubDomains; `max-age=1; x; x` is applied.
    let (h, ignored) =
        Hsts::parse_with_diagnostics("max-age=1; a; pumpkin=1; b; PumpKin=2").unwrap();
    assert_eq!(h.max_age().as_secs(), 1);
    assert_eq!(ignored.len(), 4);
    assert_eq!(
        ignored[3],
        Ignored::UnknownDirective {
            name: "PumpKin".into(),
            offset: 28
        }
    );
    assert!(Hsts::parse("max-age=1; a; b; c; d").is_ok());
}

#[test]
fn repeated_preload_is_ignored_and_reported() {
    // Seen in the wild (`tests/data/corpus/hsts.jsonl`): browsers apply this header, and
    // hstspreload.org only warns about the repetition.
    let value = "max-age=31536000; includeSubDomains; preload; preload";
    let (h, ignored) = Hsts::parse_with_diagnostics(value).unwrap();
    assert!(h.include_subdomains() && h.preload());
    assert!(h.preload_ready().is_ok());
    assert_eq!(ignored, [Ignored::RepeatedPreload { offset: 46 }]);
    assert_eq!(both(value), Ok(h));
    let h = both("max-age=1; preload; PRELOAD").unwrap();
    assert!(h.preload());
}

#[test]
fn directive_names_are_case_insensitive() {
    let h: Hsts = "MAX-AGE=5; IncludeSubdomains; PreLoad".parse().unwrap();
    assert_eq!(h.max_age(), Duration::from_secs(5));
    assert!(h.include_subdomains() && h.preload());
}

#[test]
fn max_age_is_required() {
    assert_eq!(err("includeSubDomains"), HstsError::MissingMaxAge);
    assert_eq!(err(""), HstsError::MissingMaxAge);
    assert_eq!(err("'max-age'=1"), HstsError::MissingMaxAge);
}

#[test]
fn max_age_without_value_invalidates_header() {
    assert_eq!(
        err("  max-age  "),
        HstsError::MaxAgeWithoutValue { offset: 2 }
    );
}

#[test]
fn max_age_must_be_delta_seconds() {
    for bad in [
        "max-age=-1",
        "max-age=+1",
        "max-age=1.5",
        "max-age='1'",
        "max-age=1a",
        r#"max-age="""#,
    ] {
        assert!(
            matches!(err(bad), HstsError::InvalidMaxAge { offset: 8 }),
            "{bad}"
        );
    }
}

#[test]
fn quoted_max_age_is_valid() {
    assert_eq!(
        Hsts::parse(r#"max-age="123""#).unwrap().max_age().as_secs(),
        123
    );
}

#[test]
fn huge_max_age_saturates_instead_of_failing() {
    let h = Hsts::parse("max-age=99999999999999999999999999999999").unwrap();
    assert_eq!(h.max_age(), Duration::from_secs(u64::MAX));
    assert_eq!(h.effective_max_age(), hsts::CHROMIUM_MAX_AGE);
    assert_eq!(h.to_string(), "max-age=18446744073709551615");
}

#[test]
fn include_subdomains_with_value_invalidates_header() {
    assert_eq!(
        err(r#"max-age=1; includeSubDomains="""#),
        HstsError::IncludeSubDomainsWithValue { offset: 11 }
    );
    assert!(matches!(
        err("max-age=1; includeSubDomains=true"),
        HstsError::IncludeSubDomainsWithValue { .. }
    ));
}

#[test]
fn syntax_error_invalidates_header() {
    for bad in [
        "max-age=1; \"",
        "max-age=1; non@token",
        "max-age=1, max-age=1",
        "max-age=1 includeSubDomains",
        "max-age=1; unknown=",
        "max-age=1; x=\"unterminated",
    ] {
        assert!(matches!(err(bad), HstsError::Syntax(_)), "{bad}");
    }
}

#[test]
fn two_folded_header_lines_are_ignored() {
    // A comma is not a token character: two STS lines joined with ", " do not parse.
    assert!(matches!(err("max-age=1, max-age=2"), HstsError::Syntax(_)));
}

#[test]
fn unknown_directives_are_ignored_and_reported() {
    let (h, ignored) =
        Hsts::parse_with_diagnostics(r#"pumpkin="a;b"; max-age=1; preload=yes"#).unwrap();
    assert_eq!(h.max_age().as_secs(), 1);
    assert!(
        !h.preload(),
        "preload with a value is not the preload opt-in"
    );
    assert_eq!(
        ignored,
        vec![
            Ignored::UnknownDirective {
                name: "pumpkin".into(),
                offset: 0
            },
            Ignored::PreloadWithValue { offset: 26 },
        ]
    );
}

#[test]
fn diagnostics_are_bounded() {
    let mut s = String::from("max-age=1");
    for i in 0..1000 {
        s.push_str(&format!("; x{i}"));
    }
    let (_, ignored) = Hsts::parse_with_diagnostics(&s).unwrap();
    assert!(ignored.len() <= 32);
}

#[test]
fn header_value_with_obs_text_in_quoted_unknown_value_is_accepted() {
    let v = http::HeaderValue::from_bytes(b"max-age=7; note=\"caf\xe9\"").unwrap();
    assert_eq!(Hsts::try_from(&v).unwrap().max_age().as_secs(), 7);
    let v = http::HeaderValue::from_bytes(b"max-age=7; caf\xe9").unwrap();
    assert!(Hsts::try_from(&v).is_err());
}

#[test]
fn preload_ready_names_every_missing_requirement() {
    let h = Hsts::new(Duration::from_secs(300));
    assert_eq!(
        h.preload_ready().unwrap_err().missing(),
        &[
            PreloadRequirement::MaxAgeAtLeastOneYear { actual_secs: 300 },
            PreloadRequirement::IncludeSubDomains,
            PreloadRequirement::PreloadDirective,
        ]
    );
    let exactly_one_year = Hsts::builder(hsts::PRELOAD_MIN_MAX_AGE)
        .include_subdomains(true)
        .preload(true)
        .build();
    assert!(exactly_one_year.preload_ready().is_ok());
    let just_under = Hsts::builder(Duration::from_secs(31_535_999))
        .include_subdomains(true)
        .preload(true)
        .build();
    assert_eq!(
        just_under.preload_ready().unwrap_err().to_string(),
        "not eligible for the HSTS preload list: max-age must be at least 31536000 seconds (is 31535999)"
    );
}

#[test]
fn builder_drops_fractional_seconds() {
    let h = Hsts::builder(Duration::from_millis(1500)).build();
    assert_eq!(h.to_string(), "max-age=1");
    assert_eq!(Hsts::parse(&h.to_string()).unwrap(), h);
}

#[test]
fn canonical_serialization_orders_directives() {
    let h = Hsts::parse("preload; includesubdomains; max-age=10").unwrap();
    assert_eq!(h.to_string(), "max-age=10; includeSubDomains; preload");
    assert_eq!(
        h.to_header_value(),
        "max-age=10; includeSubDomains; preload"
    );
    assert_eq!(hsts::NAME, http::header::STRICT_TRANSPORT_SECURITY);
}

#[cfg(feature = "serde")]
#[test]
fn serde_config_round_trip() {
    let h: Hsts = serde_json::from_str(r#"{"max_age": 600, "include_subdomains": true}"#).unwrap();
    assert_eq!(h.to_string(), "max-age=600; includeSubDomains");
    let json = serde_json::to_string(&h).unwrap();
    assert_eq!(serde_json::from_str::<Hsts>(&json).unwrap(), h);
    assert!(serde_json::from_str::<Hsts>(r#"{"include_subdomains": true}"#).is_err());
}

/// Parses through both entry points (the `&str` parser and the `HeaderValue` conversion, which
/// takes a byte-level fast path for common shapes) and checks that they agree.
fn both(s: &str) -> Result<Hsts, HstsError> {
    let from_str = Hsts::parse(s);
    let from_value = Hsts::try_from(&http::HeaderValue::from_str(s).unwrap());
    assert_eq!(from_str, from_value, "{s:?}");
    from_str
}

#[test]
fn effective_max_age_clamps_above_one_year_only() {
    // Chromium: kMaxHSTSAgeSecs = 86400 * 365; larger values are clamped to it.
    for (secs, effective) in [
        (31_535_999, 31_535_999),
        (31_536_000, 31_536_000),
        (31_536_001, 31_536_000),
    ] {
        let h = both(&format!("max-age={secs}")).unwrap();
        assert_eq!(h.max_age().as_secs(), secs);
        assert_eq!(h.effective_max_age().as_secs(), effective);
    }
    assert_eq!(hsts::CHROMIUM_MAX_AGE.as_secs(), 86_400 * 365);
}

#[test]
fn max_age_is_exact_up_to_u64_max_and_saturates_above() {
    // RFC 6797 §6.1.1 sets no upper bound; a number too large to represent saturates.
    for (written, secs) in [
        ("9999999999999999999", 9_999_999_999_999_999_999),
        ("10000000000000000000", 10_000_000_000_000_000_000),
        ("18446744073709551614", u64::MAX - 1),
        ("18446744073709551615", u64::MAX),
        ("18446744073709551616", u64::MAX),
        ("0000000000000000000000031536000", 31_536_000),
    ] {
        assert_eq!(
            both(&format!("max-age={written}"))
                .unwrap()
                .max_age()
                .as_secs(),
            secs,
            "{written}"
        );
        assert_eq!(
            both(&format!("max-age=\"{written}\""))
                .unwrap()
                .max_age()
                .as_secs(),
            secs,
            "quoted {written}"
        );
    }
}

#[test]
fn max_age_value_has_no_white_space_inside_the_quotes() {
    // delta-seconds = 1*DIGIT: the quoted form holds the digits only.
    for bad in [r#"max-age=" 1""#, r#"max-age="1 ""#, r#"max-age="1;""#] {
        assert!(
            matches!(both(bad), Err(HstsError::InvalidMaxAge { offset: 8 })),
            "{bad}"
        );
    }
}

#[test]
fn only_space_and_htab_surround_directives() {
    // RFC 2616 implied LWS within one field line is SP / HTAB; VT and FF are not white space.
    assert_eq!(
        both("\t max-age=5 \t;\t includeSubDomains \t")
            .unwrap()
            .max_age()
            .as_secs(),
        5
    );
    for bad in ["max-age=5\u{b}", "\u{c}max-age=5", "max-age=5;\u{b}preload"] {
        // (`http::HeaderValue` refuses these bytes itself, so only the text parser is checked.)
        assert!(matches!(err(bad), HstsError::Syntax(_)), "{bad:?}");
    }
}

#[test]
fn include_subdomains_and_preload_are_matched_as_whole_names() {
    // A longer or shorter name is an unknown directive, ignored: it neither sets the flag
    // nor counts as a repetition.
    for near in [
        "includeSubDomain",
        "includeSubDomainsX",
        "xincludeSubDomains",
        "prelo",
        "preloads",
        "preload-",
    ] {
        let h = both(&format!("max-age=1; {near}")).unwrap();
        assert!(!h.include_subdomains() && !h.preload(), "{near}");
        let h = both(&format!("max-age=1; includeSubDomains; preload; {near}")).unwrap();
        assert!(h.include_subdomains() && h.preload(), "{near}");
    }
    for upper in [
        "INCLUDESUBDOMAINS",
        "includesubdomains",
        "iNcLuDeSuBdOmAiNs",
    ] {
        assert!(
            both(&format!("max-age=1;{upper}"))
                .unwrap()
                .include_subdomains()
        );
    }
    for upper in ["PRELOAD", "preload", "PrElOaD"] {
        assert!(both(&format!("max-age=1;{upper}")).unwrap().preload());
    }
}

#[test]
fn preload_with_a_value_does_not_hide_a_later_valueless_preload() {
    // Only a valueless `preload` is the opt-in, wherever it appears.
    let (h, ignored) = Hsts::parse_with_diagnostics("max-age=1; preload=1; preload").unwrap();
    assert!(h.preload());
    assert_eq!(ignored, [Ignored::PreloadWithValue { offset: 11 }]);
    let (h, ignored) = Hsts::parse_with_diagnostics("max-age=1; preload; preload=1").unwrap();
    assert!(h.preload());
    assert_eq!(ignored, [Ignored::PreloadWithValue { offset: 20 }]);
    assert_eq!(both("max-age=1; preload=1; preload"), Ok(h));
}

#[test]
fn diagnostics_keep_the_first_32_and_drop_the_rest() {
    let with_unknown = |n: usize| {
        let mut s = String::from("max-age=1");
        for i in 0..n {
            s.push_str(&format!("; x{i}"));
        }
        Hsts::parse_with_diagnostics(&s).unwrap().1
    };
    assert_eq!(with_unknown(31).len(), 31);
    assert_eq!(with_unknown(32).len(), 32);
    let kept = with_unknown(33);
    assert_eq!(kept.len(), 32);
    assert!(matches!(kept.last(), Some(Ignored::UnknownDirective { name, .. }) if name == "x31"));
}

#[test]
fn error_offsets_of_a_header_value_with_obs_text_count_header_bytes() {
    // Byte 0xE9 is one byte of the header (and one code point after isomorphic decoding),
    // so the offsets are those of the bytes as received.
    let value = http::HeaderValue::from_bytes(b"x=\"\xe9\"; max-age=abc").unwrap();
    assert_eq!(
        Hsts::try_from(&value),
        Err(HstsError::InvalidMaxAge { offset: 15 })
    );
    let value = http::HeaderValue::from_bytes(b"x=\"\xe9\xe9\"; max-age=1 @").unwrap();
    match Hsts::try_from(&value) {
        Err(HstsError::Syntax(e)) => assert_eq!(e.offset(), 18),
        other => panic!("{other:?}"),
    }
    let value = http::HeaderValue::from_bytes(b"x=\"\xe9\"; max-age=1; MAX-AGE=2").unwrap();
    assert!(matches!(
        Hsts::try_from(&value),
        Err(HstsError::DuplicateDirective { offset: 18, .. })
    ));
    let value =
        http::HeaderValue::from_bytes(b"x=\"\xe9\"; max-age=1; includeSubDomains=1").unwrap();
    assert_eq!(
        Hsts::try_from(&value),
        Err(HstsError::IncludeSubDomainsWithValue { offset: 18 })
    );
    let value = http::HeaderValue::from_bytes(b"x=\"\xe9\"; max-age").unwrap();
    assert_eq!(
        Hsts::try_from(&value),
        Err(HstsError::MaxAgeWithoutValue { offset: 7 })
    );
}
