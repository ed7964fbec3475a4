//! Audit an HTTP response's security headers: findings with fixes, CSP Evaluator-compatible CSP
//! checks, Observatory-compatible grading.
//!
//! ```
//! use header_audit::{audit, Context};
//! let mut headers = http::HeaderMap::new();
//! headers.insert("content-security-policy", "script-src 'self' 'unsafe-inline'".parse().unwrap());
//! headers.insert("strict-transport-security", "max-age=300".parse().unwrap());
//! let report = audit(&headers, &Context::https("https://example.com/"));
//! assert!(report.has("csp-script-unsafe-inline"));
//! assert!(report.has("hsts-max-age-too-short"));
//! assert_ne!(report.grade, "A+");
//! // the corrected set grades A+
//! let fixed = report.fixed_headers();
//! assert_eq!(audit(&fixed.headers, &Context::https("https://example.com/")).grade, "A+");
//! ```
//!
//! Finding ids are listed in the crate README; the CSP Evaluator mapping is in
//! `CSP_EVALUATOR_MAPPING.md`, the scoring table in `SCORING.md`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

/// The examples in the crate's README, compiled and run as doctests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

mod context;
mod csp;
mod finding;
mod fix;
mod headers;
mod parsed;
mod report;
mod scoring;

/// The `http` crate this API uses (`HeaderMap`, `HeaderValue`), re-exported so callers need no
/// second version of it.
pub use http;

pub use context::{Context, CspVersion, ResponseKind};
pub use csp::{CspCheckOptions, EvaluatorCheck, ObservatoryCspPolicy, check_csp, evaluator_check};
pub use finding::{EvaluatorSeverity, Finding, Severity};
pub use fix::FixedHeaders;
pub use report::Report;
pub use scoring::{TestResult, grade_for_score, modifier};

use http::HeaderMap;

/// Audits a response's headers: every check, the Observatory score and grade, and what to fix.
///
/// Header lines are read as a browser reads them: every CSP line and comma item is a policy;
/// only the first HSTS and HPKP header counts; X-Frame-Options and X-Content-Type-Options are
/// get-decode-split over all lines.
///
/// ```
/// use header_audit::{audit, Context};
/// let mut h = http::HeaderMap::new();
/// h.append("set-cookie", "sessionid=abc; Path=/".parse().unwrap());
/// let report = audit(&h, &Context::default());
/// assert!(report.has("set-cookie-missing-httponly"));
/// assert_eq!(report.result("cookies"), Some("cookies-session-without-secure-flag"));
/// ```
#[must_use]
pub fn audit(headers: &HeaderMap, ctx: &Context) -> Report {
    let csp = csp::audit(headers, ctx);
    let frame_ancestors = csp.enforced.iter().any(|p| p.has("frame-ancestors"));
    let other = headers::run(headers, ctx, frame_ancestors);
    let mut tests = vec![TestResult {
        test: "content-security-policy",
        result: csp.result,
        modifier: modifier(csp.result),
    }];
    tests.extend(other.tests);
    let mut findings = csp.findings;
    findings.extend(other.findings);
    // most severe first, stable within a severity
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    let score = scoring::score(&tests);
    Report {
        grade: grade_for_score(score),
        score,
        findings,
        tests,
        csp_policy: csp.policy,
        original: headers.clone(),
        context: ctx.clone(),
        enforced: csp.enforced,
        report_only: csp.report_only,
    }
}
