//! With the `serde` feature, header and configuration types read and write as header text.
#![cfg(feature = "serde")]

use secure_headers::cors::CorsConfig;
use secure_headers::leaky_headers::LeakyHeaders;
use secure_headers::permissions_policy::PermissionsPolicy;
use secure_headers::referrer_policy::ReferrerPolicy;
use secure_headers::{CacheControl, CrossOriginOpenerPolicy, OriginPattern};

#[test]
fn header_types_serialize_as_their_header_text() {
    assert_eq!(
        serde_json::to_string(&ReferrerPolicy::NoReferrer).unwrap(),
        "\"no-referrer\""
    );
    let p: PermissionsPolicy = serde_json::from_str("\"camera=(), geolocation=(self)\"").unwrap();
    assert_eq!(
        serde_json::to_string(&p).unwrap(),
        "\"camera=(), geolocation=(self)\""
    );
    let c: CacheControl = serde_json::from_str("\"no-store, max-age=0\"").unwrap();
    assert_eq!(c, CacheControl::sensitive());
    let coop: CrossOriginOpenerPolicy = serde_json::from_str("\"same-origin\"").unwrap();
    assert_eq!(coop, CrossOriginOpenerPolicy::same_origin());
}

#[test]
fn invalid_header_text_is_a_deserialization_error() {
    assert!(serde_json::from_str::<ReferrerPolicy>("\"whimsy\"").is_err());
    assert!(serde_json::from_str::<OriginPattern>("\"https://*.com\"").is_err());
    assert!(serde_json::from_str::<PermissionsPolicy>("\"camera 'none'\"").is_err());
}

#[test]
fn leaky_headers_are_a_list_of_names() {
    let l: LeakyHeaders = serde_json::from_str(r#"["Server", "x-powered-by"]"#).unwrap();
    assert_eq!(
        serde_json::to_string(&l).unwrap(),
        r#"["server","x-powered-by"]"#
    );
    assert!(serde_json::from_str::<LeakyHeaders>(r#"["bad name"]"#).is_err());
}

#[test]
fn cors_config_builds_with_the_same_checks() {
    let c: CorsConfig = serde_json::from_str(
        r#"{"allowed_origins": ["https://app.example"], "allow_credentials": true, "allowed_methods": ["PUT"]}"#,
    )
    .unwrap();
    assert!(c.build().is_ok());
    let bad: CorsConfig =
        serde_json::from_str(r#"{"allow_any_origin": true, "allow_credentials": true}"#).unwrap();
    assert!(bad.build().is_err());
    assert!(
        serde_json::from_str::<CorsConfig>(r#"{"alowed_origins": []}"#).is_err(),
        "unknown keys are rejected"
    );
}
