//! The result of an audit.

use http::HeaderMap;
use serde::Serialize;

use crate::context::Context;
use crate::csp::ObservatoryCspPolicy;
use crate::csp::model::PolicyView;
use crate::finding::Finding;
use crate::fix::FixedHeaders;
use crate::scoring::TestResult;

/// Grade, score, findings and Observatory test results for one response.
///
/// Serializes to the JSON the CLI prints:
/// `{"grade": "B+", "score": 80, "findings": [{"id": …, "severity": …, …}], "tests": […]}`.
///
/// ```
/// use header_audit::{audit, Context};
/// let report = audit(&http::HeaderMap::new(), &Context::default());
/// // 100 - 25 (no CSP) - 20 (no HSTS) - 20 (no X-Frame-Options) - 5 (no nosniff)
/// assert_eq!((report.score, report.grade), (30, "D"));
/// let json = serde_json::to_value(&report).unwrap();
/// assert_eq!(json["grade"], "D");
/// assert!(json["findings"].as_array().unwrap().iter().any(|f| f["id"] == "csp-not-implemented"));
/// ```
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Observatory letter grade (`A+` … `F`).
    pub grade: &'static str,
    /// Observatory score (0 and up; 100 and more is A+).
    pub score: u32,
    /// Every finding, most severe first.
    pub findings: Vec<Finding>,
    /// The Observatory test results the score is computed from.
    pub tests: Vec<TestResult>,
    /// Observatory's analysis of the enforced CSP, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csp_policy: Option<ObservatoryCspPolicy>,
    #[serde(skip)]
    pub(crate) original: HeaderMap,
    #[serde(skip)]
    pub(crate) context: Context,
    #[serde(skip)]
    pub(crate) enforced: Vec<PolicyView>,
    #[serde(skip)]
    pub(crate) report_only: Vec<PolicyView>,
}

impl Report {
    /// The Observatory result of one test (`content-security-policy`, `cookies`, …).
    ///
    /// ```
    /// use header_audit::{audit, Context};
    /// let report = audit(&http::HeaderMap::new(), &Context::default());
    /// assert_eq!(report.result("x-content-type-options"), Some("x-content-type-options-not-implemented"));
    /// ```
    #[must_use]
    pub fn result(&self, test: &str) -> Option<&'static str> {
        self.tests.iter().find(|t| t.test == test).map(|t| t.result)
    }

    /// Whether a finding with this id was reported.
    ///
    /// ```
    /// use header_audit::{audit, Context};
    /// assert!(audit(&http::HeaderMap::new(), &Context::default()).has("hsts-missing"));
    /// ```
    #[must_use]
    pub fn has(&self, id: &str) -> bool {
        self.findings.iter().any(|f| f.id == id)
    }

    /// The corrected header set: the response's headers with every finding that has a safe
    /// automatic fix applied, plus what still needs a human decision. Fed back to [`crate::audit`]
    /// with the same context it grades A+ when the response came over HTTPS.
    ///
    /// ```
    /// use header_audit::{audit, Context};
    /// let fixed = audit(&http::HeaderMap::new(), &Context::default()).fixed_headers();
    /// assert_eq!(audit(&fixed.headers, &Context::default()).grade, "A+");
    /// ```
    #[must_use]
    pub fn fixed_headers(&self) -> FixedHeaders {
        crate::fix::fixed_headers(
            &self.original,
            &self.context,
            &self.enforced,
            &self.report_only,
        )
    }
}
