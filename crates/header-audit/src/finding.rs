//! One weakness found in a response's headers.

use serde::Serialize;

/// How much a finding matters.
///
/// ```
/// use header_audit::Severity;
/// assert!(Severity::High > Severity::Low);
/// assert_eq!(Severity::Medium.as_str(), "medium");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Informational: nothing to fix, worth knowing.
    Info,
    /// A hardening step is missing or a value is weaker than it could be.
    Low,
    /// A real weakness that an attacker can use under some conditions.
    Medium,
    /// The protection the header is meant to give is missing or bypassable.
    High,
}

impl Severity {
    /// The lowercase name used in JSON output (`high`, `medium`, `low`, `info`).
    ///
    /// ```
    /// assert_eq!(header_audit::Severity::Info.as_str(), "info");
    /// ```
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
        }
    }
}

/// The severity Google's CSP Evaluator gives the finding it corresponds to, kept so results can
/// be compared with that tool one to one.
///
/// ```
/// use header_audit::{check_csp, CspCheckOptions, EvaluatorSeverity};
/// let findings = check_csp("script-src 'unsafe-inline'", &CspCheckOptions::default());
/// assert!(findings.iter().any(|f| f.csp_evaluator_severity == Some(EvaluatorSeverity::High)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EvaluatorSeverity {
    /// `Severity.HIGH`.
    High,
    /// `Severity.SYNTAX`.
    Syntax,
    /// `Severity.MEDIUM`.
    Medium,
    /// `Severity.HIGH_MAYBE`.
    HighMaybe,
    /// `Severity.STRICT_CSP`.
    StrictCsp,
    /// `Severity.MEDIUM_MAYBE`.
    MediumMaybe,
    /// `Severity.INFO`.
    Info,
    /// `Severity.NONE`.
    None,
}

impl EvaluatorSeverity {
    /// The severity we report for a finding the CSP Evaluator rates `self`.
    ///
    /// ```
    /// use header_audit::{EvaluatorSeverity, Severity};
    /// assert_eq!(EvaluatorSeverity::MediumMaybe.to_severity(), Severity::Low);
    /// ```
    #[must_use]
    pub const fn to_severity(self) -> Severity {
        match self {
            Self::High => Severity::High,
            Self::Syntax | Self::Medium | Self::HighMaybe => Severity::Medium,
            Self::StrictCsp | Self::MediumMaybe => Severity::Low,
            Self::Info | Self::None => Severity::Info,
        }
    }

    /// The name the CSP Evaluator uses (`HIGH`, `MEDIUM_MAYBE`, …).
    ///
    /// ```
    /// assert_eq!(header_audit::EvaluatorSeverity::StrictCsp.name(), "STRICT_CSP");
    /// ```
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::High => "HIGH",
            Self::Syntax => "SYNTAX",
            Self::Medium => "MEDIUM",
            Self::HighMaybe => "HIGH_MAYBE",
            Self::StrictCsp => "STRICT_CSP",
            Self::MediumMaybe => "MEDIUM_MAYBE",
            Self::Info => "INFO",
            Self::None => "NONE",
        }
    }
}

/// One weakness, with what to do about it.
///
/// `id` is stable (see the table in the crate README); `message` is for people and may change.
///
/// ```
/// use header_audit::{check_csp, CspCheckOptions};
/// let findings = check_csp("script-src 'unsafe-inline'; object-src 'none'", &CspCheckOptions::default());
/// let f = findings.iter().find(|f| f.id == "csp-script-unsafe-inline").unwrap();
/// assert_eq!(f.header, "content-security-policy");
/// assert_eq!(f.directive.as_deref(), Some("script-src"));
/// assert_eq!(f.csp_evaluator_type, Some("SCRIPT_UNSAFE_INLINE"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable kebab-case identifier of the check that fired.
    pub id: &'static str,
    /// How much it matters.
    pub severity: Severity,
    /// The header concerned, lowercase (`content-security-policy`, `set-cookie`, …).
    pub header: &'static str,
    /// The directive or attribute concerned, when there is one (`script-src`, `SameSite`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub directive: Option<String>,
    /// The offending value (a source expression, a cookie name, …), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// What is wrong and why it matters, in words a developer understands.
    pub message: String,
    /// Link to the section of the specification (or guidance) that the finding rests on.
    pub spec: &'static str,
    /// The corrected value or the change to make, when one exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    /// The Google CSP Evaluator finding type this corresponds to (e.g. `SCRIPT_UNSAFE_INLINE`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csp_evaluator_type: Option<&'static str>,
    /// The severity the CSP Evaluator gives the corresponding finding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csp_evaluator_severity: Option<EvaluatorSeverity>,
}

impl Finding {
    /// A finding with the required parts; add the optional ones with the `with_*` methods.
    ///
    /// ```
    /// use header_audit::{Finding, Severity};
    /// let f = Finding::new("hsts-missing", Severity::High, "strict-transport-security", "No HSTS.", "https://www.rfc-editor.org/rfc/rfc6797#section-6.1")
    ///     .with_fix("max-age=63072000; includeSubDomains; preload");
    /// assert_eq!(f.fix.as_deref(), Some("max-age=63072000; includeSubDomains; preload"));
    /// ```
    #[must_use]
    pub fn new(
        id: &'static str,
        severity: Severity,
        header: &'static str,
        message: impl Into<String>,
        spec: &'static str,
    ) -> Self {
        Self {
            id,
            severity,
            header,
            directive: None,
            value: None,
            message: message.into(),
            spec,
            fix: None,
            csp_evaluator_type: None,
            csp_evaluator_severity: None,
        }
    }

    /// Sets the directive or attribute concerned.
    ///
    /// ```
    /// # use header_audit::{Finding, Severity};
    /// let f = Finding::new("x", Severity::Low, "h", "m", "s").with_directive("max-age");
    /// assert_eq!(f.directive.as_deref(), Some("max-age"));
    /// ```
    #[must_use]
    pub fn with_directive(mut self, directive: impl Into<String>) -> Self {
        self.directive = Some(directive.into());
        self
    }

    /// Sets the offending value.
    ///
    /// ```
    /// # use header_audit::{Finding, Severity};
    /// let f = Finding::new("x", Severity::Low, "h", "m", "s").with_value("*");
    /// assert_eq!(f.value.as_deref(), Some("*"));
    /// ```
    #[must_use]
    pub fn with_value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }

    /// Sets the fix.
    ///
    /// ```
    /// # use header_audit::{Finding, Severity};
    /// let f = Finding::new("x", Severity::Low, "h", "m", "s").with_fix("nosniff");
    /// assert_eq!(f.fix.as_deref(), Some("nosniff"));
    /// ```
    #[must_use]
    pub fn with_fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    /// Records the CSP Evaluator finding type and severity this corresponds to.
    ///
    /// ```
    /// # use header_audit::{EvaluatorSeverity, Finding, Severity};
    /// let f = Finding::new("x", Severity::High, "h", "m", "s")
    ///     .with_evaluator("PLAIN_WILDCARD", EvaluatorSeverity::High);
    /// assert_eq!(f.csp_evaluator_type, Some("PLAIN_WILDCARD"));
    /// ```
    #[must_use]
    pub const fn with_evaluator(mut self, kind: &'static str, severity: EvaluatorSeverity) -> Self {
        self.csp_evaluator_type = Some(kind);
        self.csp_evaluator_severity = Some(severity);
        self
    }
}
