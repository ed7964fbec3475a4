//! `Public-Key-Pins` and `-Report-Only` through `hpkp::PublicKeyPins` (RFC 7469 §2.1).

use hpkp::{Disposition, PublicKeyPins};
use serde::Serialize;

use super::Answer;

/// The typed pin policy.
#[derive(Serialize)]
pub(crate) struct PinsJson {
    /// `enforce` or `report-only`.
    disposition: &'static str,
    /// The distinct `pin-sha256` values (base64), in order of first appearance.
    pins: Vec<String>,
    /// `max-age` in seconds (`null` when absent, allowed for report-only).
    max_age: Option<u64>,
    include_subdomains: bool,
    report_uri: Option<String>,
}

/// Parses one header value; any syntax error, or fewer than two pins, makes browsers ignore it.
pub(crate) fn answer(value: &str, report_only: bool) -> Answer<PinsJson> {
    let disposition = if report_only {
        Disposition::ReportOnly
    } else {
        Disposition::Enforce
    };
    match PublicKeyPins::parse(value, disposition) {
        Ok(policy) => Answer::applied(
            PinsJson {
                disposition: if report_only {
                    "report-only"
                } else {
                    "enforce"
                },
                pins: policy.pins().iter().map(ToString::to_string).collect(),
                max_age: policy.max_age().map(|d| d.as_secs()),
                include_subdomains: policy.include_subdomains(),
                report_uri: policy.report_uri().map(str::to_owned),
            },
            Vec::new(),
            policy.to_string(),
        ),
        Err(err) => Answer::ignored(&err, None),
    }
}
