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
        "x; X",
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
