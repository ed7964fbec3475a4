//! The bundle from TOML / JSON configuration: same validation as the builder, errors name the key.
#![cfg(feature = "serde")]

use http::HeaderMap;
use secure_headers::SecureHeaders;
use secure_headers::config::{ConfigError, from_json, from_toml};

fn headers_of(bundle: &SecureHeaders) -> HeaderMap {
    let mut h = HeaderMap::new();
    bundle.apply(&mut h);
    h
}

#[test]
fn preset_from_config_equals_preset_from_builder() {
    for (name, builder) in [
        ("recommended", SecureHeaders::recommended()),
        ("strict", SecureHeaders::strict()),
        ("api", SecureHeaders::api()),
    ] {
        let from_config = from_toml(&format!("preset = \"{name}\"")).unwrap();
        let from_builder = builder.build().unwrap();
        let (a, b) = (headers_of(&from_config), headers_of(&from_builder));
        assert_eq!(a.len(), b.len(), "{name}");
        for (k, v) in &b {
            if k == "content-security-policy" && from_builder.uses_nonce() {
                continue; // the nonce differs per response
            }
            assert_eq!(a.get(k), Some(v), "{name}: {k}");
        }
    }
}

#[test]
fn header_values_are_validated_and_canonicalised() {
    let bundle = from_toml("[headers]\nreferrer-policy = \"NO-REFERRER\"").unwrap();
    assert_eq!(headers_of(&bundle)["referrer-policy"], "no-referrer");
}

#[test]
fn invalid_header_value_error_names_the_key() {
    let err = from_toml("preset = \"api\"\n[headers]\ncross-origin-opener-policy = \"maybe\"")
        .unwrap_err();
    assert!(
        matches!(&err, ConfigError::Invalid { key, .. } if key == "headers.cross-origin-opener-policy"),
        "{err}"
    );
}

#[test]
fn type_error_names_the_nested_key() {
    let err = from_json(r#"{"csp": {"directives": {"img-src": ["'self'", 3]}}}"#).unwrap_err();
    match err {
        ConfigError::Syntax { path, .. } => assert_eq!(path, "csp.directives.img-src[1]"),
        other => panic!("{other}"),
    }
    let err = from_toml("[csp.directives]\nimg-src = [\"'self'\", 3]\n").unwrap_err();
    match err {
        ConfigError::Syntax { path, .. } => assert_eq!(path, "csp.directives.img-src[1]"),
        other => panic!("{other}"),
    }
    let err = from_toml("[csp]\ndirectivs = {}\n").unwrap_err();
    assert!(err.to_string().contains("directivs"), "{err}");
    let err = from_toml("[headers]\nreferrer-policy = 5\n").unwrap_err();
    match err {
        ConfigError::Syntax { path, .. } => assert_eq!(path, "headers.referrer-policy"),
        other => panic!("{other}"),
    }
    let err = from_toml("presett = \"api\"").unwrap_err();
    assert!(err.to_string().contains("presett"), "{err}");
}

#[test]
fn invalid_hsts_is_rejected_with_key() {
    let err = from_toml("hsts = \"max-age=abc\"").unwrap_err();
    assert!(
        matches!(&err, ConfigError::Invalid { key, .. } if key == "hsts"),
        "{err}"
    );
}

#[test]
fn build_rules_apply_to_configuration_too() {
    let err = from_toml("[csp_report_only.directives]\nsandbox = []\ndefault-src = [\"'self'\"]")
        .unwrap_err();
    assert!(matches!(err, ConfigError::Build(_)), "{err}");
    let err = from_toml("[csp.directives]\ndefault-src = [\"'self'\"]\nreport-to = [\"nowhere\"]")
        .unwrap_err();
    assert!(err.to_string().contains("nowhere"), "{err}");
    let ok = from_toml(
        "[csp.directives]\ndefault-src = [\"'self'\"]\nreport-to = [\"csp\"]\n\
         [reporting_endpoints]\ncsp = \"https://example.com/r\"",
    )
    .unwrap();
    assert!(headers_of(&ok).contains_key("reporting-endpoints"));
}

#[test]
fn csp_and_headers_can_be_disabled() {
    let bundle = from_json(
        r#"{"preset": "recommended", "csp": false, "headers": {"x-frame-options": false}}"#,
    )
    .unwrap();
    let h = headers_of(&bundle);
    assert!(!h.contains_key("content-security-policy"));
    assert!(!h.contains_key("x-frame-options"));
    assert!(h.contains_key("x-content-type-options"));
}
