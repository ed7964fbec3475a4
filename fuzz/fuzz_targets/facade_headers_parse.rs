#![no_main]
//! The other facade parsers (COOP, COEP, CORP, Origin-Agent-Cluster, Reporting-Endpoints,
//! Cache-Control, Clear-Site-Data, X-XSS-Protection, RFC 7239 Forwarded, origins): never
//! panic; every accepted value round-trips through its canonical serialization.
use libfuzzer_sys::fuzz_target;
use secure_headers::cache_control::CacheControl;
use secure_headers::clear_site_data::ClearSiteData;
use secure_headers::cross_origin::{
    CrossOriginEmbedderPolicy, CrossOriginOpenerPolicy, CrossOriginResourcePolicy,
};
use secure_headers::misc::{OriginAgentCluster, XXssProtection};
use secure_headers::origin::OriginPattern;
use secure_headers::reporting_endpoints::ReportingEndpoints;

fn round_trip<T>(text: &str)
where
    T: std::str::FromStr + std::fmt::Display + PartialEq + std::fmt::Debug,
    T::Err: std::fmt::Debug,
{
    if let Ok(value) = text.parse::<T>() {
        let serialized = value.to_string();
        assert!(is_field_value(&serialized), "{serialized:?}");
        assert_eq!(serialized.parse::<T>().ok(), Some(value));
    }
}

/// RFC 9110 §5.5 field-value bytes our serializers may emit: visible ASCII, SP, HTAB.
fn is_field_value(s: &str) -> bool {
    s.bytes().all(|b| b == b' ' || b == b'\t' || (0x21..=0x7e).contains(&b))
}

fuzz_target!(|data: &[u8]| {
    let text: String = data.iter().map(|&b| char::from(b)).collect();
    round_trip::<CrossOriginOpenerPolicy>(&text);
    round_trip::<CrossOriginEmbedderPolicy>(&text);
    round_trip::<CrossOriginResourcePolicy>(&text);
    round_trip::<OriginAgentCluster>(&text);
    round_trip::<ReportingEndpoints>(&text);
    round_trip::<CacheControl>(&text);
    round_trip::<ClearSiteData>(&text);
    round_trip::<XXssProtection>(&text);
    round_trip::<OriginPattern>(&text);
    let _ = secure_headers::https_redirect::parse_last_forwarded_element(&text);
});
