//! Violation-report bodies: both wire formats and the media-type dispatch must never panic, and
//! every accepted report must be internally consistent.
#![no_main]

use csp_builder::report::{MAX_REPORTS, Report, ViolationReport};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(report) = ViolationReport::parse_csp_report(data) {
        // The effective directive is the lowercased first word of what the browser sent.
        assert!(!report.effective_directive.is_empty());
        assert!(
            !report
                .effective_directive
                .bytes()
                .any(|b| b.is_ascii_uppercase())
        );
        assert!(
            !report
                .effective_directive
                .bytes()
                .any(|b| b.is_ascii_whitespace())
        );
        let _ = report.blocked_uri.to_string();
    }
    if let Ok(reports) = ViolationReport::parse_reports_json(data) {
        assert!(reports.len() <= MAX_REPORTS);
        for report in &reports {
            if let Report::CspViolation(v) = report {
                assert!(!v.effective_directive.is_empty());
            }
        }
    }
    for content_type in [
        "application/csp-report",
        "application/reports+json",
        "application/json",
    ] {
        let _ = ViolationReport::parse_body(content_type, data);
    }
});
