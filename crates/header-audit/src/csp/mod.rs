//! Content-Security-Policy checks.

pub(crate) mod bypass;
pub(crate) mod evaluator;
pub(crate) mod extra;
pub(crate) mod model;
pub(crate) mod observatory;

use std::collections::HashSet;

use http::HeaderMap;

use crate::context::{Context, CspVersion, ResponseKind};
use crate::finding::Finding;
pub use evaluator::EvaluatorCheck;
use model::{Disposition, PolicyView};
pub use observatory::ObservatoryCspPolicy;

/// Options for [`check_csp`].
///
/// ```
/// use header_audit::{CspCheckOptions, CspVersion};
/// let o = CspCheckOptions { strict: true, ..CspCheckOptions::default() };
/// assert_eq!(o.csp_version, CspVersion::Csp3);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CspCheckOptions {
    /// Also run the CSP Evaluator's strict-CSP checks (`'strict-dynamic'`, fallbacks, Trusted Types).
    pub strict: bool,
    /// The CSP level of the browser to evaluate for (the CSP Evaluator's version option).
    pub csp_version: CspVersion,
    /// The policy comes from `<meta http-equiv>`: one policy (no comma split), and
    /// `frame-ancestors`, `report-uri` and `sandbox` are ignored.
    pub delivered_in_meta: bool,
}

/// Checks one `Content-Security-Policy` value (a comma-separated policy list, or one `<meta>`
/// policy) and returns every finding: all CSP Evaluator checks plus ours.
///
/// ```
/// use header_audit::{check_csp, CspCheckOptions};
/// let findings = check_csp("script-src *.google.com; object-src 'none'", &CspCheckOptions::default());
/// assert!(findings.iter().any(|f| f.id == "csp-script-allowlist-bypass"));
/// ```
#[must_use]
pub fn check_csp(value: &str, options: &CspCheckOptions) -> Vec<Finding> {
    let written: Vec<PolicyView> = if options.delivered_in_meta {
        model::meta_policy(value).into_iter().collect()
    } else {
        model::policies_from_header([value], Disposition::Enforce)
    };
    if written.is_empty() {
        return vec![invalid_header("content-security-policy")];
    }
    let mut out = evaluate(
        &written,
        options.strict,
        options.csp_version,
        options.delivered_in_meta,
    );
    out.extend(extra::list_checks(&written, &[], true));
    dedup(&mut out);
    out
}

/// Runs one CSP Evaluator check on a policy list and returns its findings, exactly as that check
/// would (for comparing results with the CSP Evaluator).
///
/// ```
/// use header_audit::{evaluator_check, CspVersion, EvaluatorCheck};
/// let f = evaluator_check(EvaluatorCheck::ScriptUnsafeEval, "script-src 'unsafe-eval'", CspVersion::Csp3);
/// assert_eq!(f.len(), 1);
/// ```
#[must_use]
pub fn evaluator_check(check: EvaluatorCheck, value: &str, version: CspVersion) -> Vec<Finding> {
    let written = model::policies_from_header([value], Disposition::Enforce);
    let mut ignored = Vec::new();
    let effective: Vec<PolicyView> = written
        .iter()
        .map(|p| evaluator::effective_policy(p, version, &mut ignored))
        .collect();
    evaluator::run(check, &written, &effective)
}

fn evaluate(written: &[PolicyView], strict: bool, version: CspVersion, meta: bool) -> Vec<Finding> {
    let mut out = Vec::new();
    let effective: Vec<PolicyView> = written
        .iter()
        .map(|p| evaluator::effective_policy(p, version, &mut out))
        .collect();
    for check in EvaluatorCheck::DEFAULT {
        out.extend(evaluator::run(*check, written, &effective));
    }
    if strict {
        for check in EvaluatorCheck::STRICT {
            out.extend(evaluator::run(*check, written, &effective));
        }
    } else {
        // 'strict-dynamic' without a nonce or hash blocks every script: reported even when the
        // strict set is off.
        out.extend(evaluator::run(
            EvaluatorCheck::StrictDynamicNotStandalone,
            written,
            &effective,
        ));
    }
    for p in written {
        out.extend(extra::policy_checks(p, meta));
    }
    out
}

/// Removes repeated findings (same id, directive, value and message), keeping the first.
fn dedup(findings: &mut Vec<Finding>) {
    // Hashed, so a hostile policy with thousands of flagged sources costs linear time (a list
    // of the keys seen made this quadratic: 16,000 sources took seconds).
    let keep: Vec<bool> = {
        let mut seen = HashSet::with_capacity(findings.len());
        findings
            .iter()
            .map(|f| {
                seen.insert((
                    f.id,
                    f.directive.as_deref(),
                    f.value.as_deref(),
                    f.message.as_str(),
                ))
            })
            .collect()
    };
    // `retain` visits every element once, in order, so the flags line up with the findings.
    let mut keep = keep.into_iter();
    findings.retain(|_| keep.next().unwrap_or(true));
}

fn invalid_header(header: &'static str) -> Finding {
    Finding::new(
        "csp-header-invalid",
        crate::Severity::High,
        header,
        "The Content-Security-Policy header holds no policy a browser can parse (empty, or only invalid directives), so nothing is enforced.",
        "https://w3c.github.io/webappsec-csp/#parse-serialized-policy",
    )
}

/// The CSP part of an audit.
pub(crate) struct CspAudit {
    pub(crate) findings: Vec<Finding>,
    /// Observatory's result name.
    pub(crate) result: &'static str,
    pub(crate) policy: Option<ObservatoryCspPolicy>,
    pub(crate) enforced: Vec<PolicyView>,
    pub(crate) report_only: Vec<PolicyView>,
}

fn header_lines<'a>(headers: &'a HeaderMap, name: &str) -> Vec<&'a str> {
    headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect()
}

pub(crate) fn audit(headers: &HeaderMap, ctx: &Context) -> CspAudit {
    let enforce_lines = header_lines(headers, "content-security-policy");
    let ro_lines = header_lines(headers, "content-security-policy-report-only");
    let enforced = model::policies_from_header(enforce_lines.iter().copied(), Disposition::Enforce);
    let report_only = model::policies_from_header(ro_lines.iter().copied(), Disposition::Report);
    let document = ctx.kind == ResponseKind::HtmlDocument;
    let mut findings = Vec::new();

    let present = headers.contains_key("content-security-policy");
    let (result, policy) = if enforced.is_empty() {
        if present {
            findings.push(invalid_header("content-security-policy"));
            ("csp-header-invalid", None)
        } else {
            ("csp-not-implemented", None)
        }
    } else {
        let p = observatory::analyze(&enforced);
        (observatory::result(&p), Some(p))
    };

    if !enforced.is_empty() {
        findings.extend(evaluate(&enforced, ctx.strict_csp, ctx.csp_version, false));
    } else if !report_only.is_empty() {
        // Show what would need fixing before the report-only policy can be enforced.
        let mut ro = evaluate(&report_only, ctx.strict_csp, ctx.csp_version, false);
        for f in &mut ro {
            f.header = "content-security-policy-report-only";
        }
        findings.extend(ro);
    } else if !present && document {
        findings.push(
            Finding::new(
                "csp-not-implemented",
                crate::Severity::High,
                "content-security-policy",
                "No Content-Security-Policy: nothing limits what an injected script can do.",
                "https://w3c.github.io/webappsec-csp/#csp-header",
            )
            .with_fix(crate::fix::DEFAULT_CSP),
        );
    }
    findings.extend(extra::list_checks(&enforced, &report_only, document));
    if result == "csp-implemented-with-insecure-scheme"
        || result == "csp-implemented-with-insecure-scheme-in-passive-content-only"
    {
        findings.push(
            Finding::new(
                "csp-insecure-scheme",
                if result == "csp-implemented-with-insecure-scheme" {
                    crate::Severity::Medium
                } else {
                    crate::Severity::Low
                },
                "content-security-policy",
                "The policy allows resources over http: or ftp:, which a network attacker can replace.",
                "https://w3c.github.io/webappsec-csp/#match-url-to-source-expression",
            )
            .with_fix("Use https:// sources (and add upgrade-insecure-requests)."),
        );
    }
    dedup(&mut findings);
    CspAudit {
        findings,
        result,
        policy,
        enforced,
        report_only,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Severity;

    fn finding(
        id: &'static str,
        directive: Option<&str>,
        value: Option<&str>,
        message: &str,
    ) -> Finding {
        let mut f = Finding::new(
            id,
            Severity::Low,
            "content-security-policy",
            message,
            "spec",
        );
        if let Some(d) = directive {
            f = f.with_directive(d);
        }
        if let Some(v) = value {
            f = f.with_value(v);
        }
        f
    }

    #[test]
    fn dedup_keeps_the_first_of_equal_findings_in_order() {
        let mut findings = vec![
            finding("a", Some("script-src"), Some("x"), "m"),
            finding("b", Some("script-src"), Some("x"), "m"),
            finding("a", Some("script-src"), Some("x"), "m"),
            finding("a", Some("style-src"), Some("x"), "m"),
            finding("a", Some("script-src"), Some("y"), "m"),
            finding("a", Some("script-src"), None, "m"),
            finding("a", None, Some("x"), "m"),
            finding("a", Some("script-src"), Some("x"), "other"),
            finding("b", Some("script-src"), Some("x"), "m"),
            finding("a", None, Some("x"), "m"),
        ];
        // Equal keys differing only in what the key leaves out (the fix) are still duplicates.
        findings[2] = findings[2].clone().with_fix("fix");
        dedup(&mut findings);
        let keys: Vec<_> = findings
            .iter()
            .map(|f| {
                (
                    f.id,
                    f.directive.as_deref(),
                    f.value.as_deref(),
                    f.message.as_str(),
                )
            })
            .collect();
        assert_eq!(
            keys,
            [
                ("a", Some("script-src"), Some("x"), "m"),
                ("b", Some("script-src"), Some("x"), "m"),
                ("a", Some("style-src"), Some("x"), "m"),
                ("a", Some("script-src"), Some("y"), "m"),
                ("a", Some("script-src"), None, "m"),
                ("a", None, Some("x"), "m"),
                ("a", Some("script-src"), Some("x"), "other"),
            ]
        );
        assert!(
            findings[0].fix.is_none(),
            "the first of equal findings is the one kept"
        );
    }
}
