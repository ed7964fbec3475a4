//! Mozilla Observatory's scoring: test results, their modifiers, and the grade chart.
//! The table and its sources are in SCORING.md.

use serde::Serialize;

/// One Observatory test and its result.
///
/// ```
/// use header_audit::{audit, Context};
/// let report = audit(&http::HeaderMap::new(), &Context::default());
/// let csp = report.tests.iter().find(|t| t.test == "content-security-policy").unwrap();
/// assert_eq!(csp.result, "csp-not-implemented");
/// assert_eq!(csp.modifier, -25);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TestResult {
    /// Observatory test name (`content-security-policy`, `strict-transport-security`, …).
    pub test: &'static str,
    /// Observatory result name (`csp-implemented-with-no-unsafe`, …).
    pub result: &'static str,
    /// Score modifier of the result.
    pub modifier: i32,
}

/// Modifier of an Observatory result name (0 for names not in the table).
///
/// ```
/// assert_eq!(header_audit::modifier("hsts-not-implemented"), -20);
/// assert_eq!(header_audit::modifier("csp-implemented-with-no-unsafe-default-src-none"), 10);
/// ```
#[must_use]
pub fn modifier(result: &str) -> i32 {
    SCORE_TABLE
        .iter()
        .find(|(name, _)| *name == result)
        .map_or(0, |(_, m)| *m)
}

/// Result name and modifier. MDN HTTP Observatory `src/grader/charts.js` `SCORE_TABLE`, plus the
/// tests it dropped that we still report (HPKP, X-XSS-Protection), see SCORING.md.
pub(crate) const SCORE_TABLE: &[(&str, i32)] = &[
    // CSP
    ("csp-implemented-with-no-unsafe-default-src-none", 10),
    ("csp-implemented-with-no-unsafe", 5),
    ("csp-implemented-with-unsafe-inline-in-style-src-only", 0),
    (
        "csp-implemented-with-insecure-scheme-in-passive-content-only",
        -10,
    ),
    ("csp-implemented-with-unsafe-eval", -10),
    ("csp-implemented-with-unsafe-inline", -20),
    ("csp-implemented-with-insecure-scheme", -20),
    ("csp-header-invalid", -25),
    ("csp-not-implemented", -25),
    // Cookies
    ("cookies-secure-with-httponly-sessions-and-samesite", 5),
    ("cookies-secure-with-httponly-sessions", 0),
    ("cookies-not-found", 0),
    ("cookies-without-secure-flag-but-protected-by-hsts", -5),
    (
        "cookies-session-without-secure-flag-but-protected-by-hsts",
        -10,
    ),
    ("cookies-without-secure-flag", -20),
    ("cookies-samesite-flag-invalid", -20),
    ("cookies-anticsrf-without-samesite-flag", -20),
    ("cookies-session-without-httponly-flag", -30),
    ("cookies-session-without-secure-flag", -40),
    // CORS
    ("cross-origin-resource-sharing-not-implemented", 0),
    (
        "cross-origin-resource-sharing-implemented-with-public-access",
        0,
    ),
    (
        "cross-origin-resource-sharing-implemented-with-restricted-access",
        0,
    ),
    (
        "cross-origin-resource-sharing-implemented-with-universal-access",
        -50,
    ),
    // Referrer-Policy
    ("referrer-policy-private", 5),
    ("referrer-policy-not-implemented", 0),
    ("referrer-policy-no-referrer-when-downgrade", -5),
    ("referrer-policy-unsafe", -5),
    ("referrer-policy-header-invalid", -5),
    // HSTS
    ("hsts-preloaded", 5),
    ("hsts-implemented-max-age-at-least-six-months", 0),
    ("hsts-implemented-max-age-less-than-six-months", -10),
    ("hsts-not-implemented", -20),
    ("hsts-header-invalid", -20),
    ("hsts-not-implemented-no-https", -20),
    ("hsts-invalid-cert", -20),
    // X-Content-Type-Options
    ("x-content-type-options-nosniff", 0),
    ("x-content-type-options-not-implemented", -5),
    ("x-content-type-options-header-invalid", -5),
    // X-Frame-Options
    ("x-frame-options-implemented-via-csp", 5),
    ("x-frame-options-sameorigin-or-deny", 0),
    ("x-frame-options-allow-from-origin", 0),
    ("x-frame-options-not-implemented", -20),
    ("x-frame-options-header-invalid", -20),
    // Cross-Origin-Resource-Policy
    ("corp-not-implemented", 0),
    ("corp-implemented-with-same-origin", 10),
    ("corp-implemented-with-same-site", 10),
    ("corp-implemented-with-cross-origin", 0),
    ("corp-header-invalid", -5),
    // HPKP (http-observatory grade.py; dropped by MDN Observatory)
    ("hpkp-not-present", 0),
    ("hpkp-is-deprecated", -5),
    // X-XSS-Protection (reported, not scored: dropped by MDN Observatory, see SCORING.md)
    ("x-xss-protection-not-implemented", 0),
    ("x-xss-protection-disabled", 0),
    ("x-xss-protection-enabled", 0),
    ("x-xss-protection-enabled-mode-block", 0),
    ("x-xss-protection-header-invalid", 0),
];

/// Bonuses count only when the score without them is at least this.
pub(crate) const MINIMUM_SCORE_FOR_EXTRA_CREDIT: i32 = 90;

/// Observatory's two rounds: penalties from 100, then bonuses if still ≥ 90; never below 0.
pub(crate) fn score(tests: &[TestResult]) -> u32 {
    let penalties: i32 = tests.iter().map(|t| t.modifier.min(0)).sum();
    let bonuses: i32 = tests.iter().map(|t| t.modifier.max(0)).sum();
    let mut score = 100 + penalties;
    if score >= MINIMUM_SCORE_FOR_EXTRA_CREDIT {
        score += bonuses;
    }
    u32::try_from(score.max(0)).unwrap_or(0)
}

/// Observatory's grade chart (round down to a multiple of 5, 100 and above is A+).
///
/// ```
/// assert_eq!(header_audit::grade_for_score(135), "A+");
/// assert_eq!(header_audit::grade_for_score(84), "B+");
/// assert_eq!(header_audit::grade_for_score(24), "F");
/// ```
#[must_use]
pub const fn grade_for_score(score: u32) -> &'static str {
    match score {
        100.. => "A+",
        90..=99 => "A",
        85..=89 => "A-",
        80..=84 => "B+",
        70..=79 => "B",
        65..=69 => "B-",
        60..=64 => "C+",
        50..=59 => "C",
        45..=49 => "C-",
        40..=44 => "D+",
        30..=39 => "D",
        25..=29 => "D-",
        _ => "F",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(result: &'static str) -> TestResult {
        TestResult {
            test: "x",
            result,
            modifier: modifier(result),
        }
    }

    #[test]
    fn bonus_only_counts_at_ninety_or_more() {
        // 100 - 5 = 95 ≥ 90, so +10 counts
        assert_eq!(
            score(&[
                t("x-content-type-options-not-implemented"),
                t("csp-implemented-with-no-unsafe-default-src-none")
            ]),
            105
        );
        // 100 - 20 = 80 < 90, so the bonus is dropped
        assert_eq!(
            score(&[
                t("hsts-not-implemented"),
                t("csp-implemented-with-no-unsafe-default-src-none")
            ]),
            80
        );
    }

    #[test]
    fn score_never_below_zero() {
        let all_bad = [
            t("cookies-session-without-secure-flag"),
            t("cross-origin-resource-sharing-implemented-with-universal-access"),
            t("csp-not-implemented"),
        ];
        assert_eq!(score(&all_bad), 0);
    }

    #[test]
    fn grade_boundaries_follow_chart() {
        assert_eq!(grade_for_score(100), "A+");
        assert_eq!(grade_for_score(99), "A");
        assert_eq!(grade_for_score(90), "A");
        assert_eq!(grade_for_score(89), "A-");
        assert_eq!(grade_for_score(25), "D-");
        assert_eq!(grade_for_score(0), "F");
    }
}
