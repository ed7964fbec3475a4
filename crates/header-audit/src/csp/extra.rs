//! CSP checks beyond the CSP Evaluator: style-src, frame-ancestors, form-action, duplicates,
//! multiple policies, report-only and `<meta>` pitfalls, nonce strength, hash algorithms.

use base64::Engine as _;

use super::evaluator::{HEADER, effective_directive, is_hash, is_nonce};
use super::model::{Disposition, PolicyView};
use crate::finding::{EvaluatorSeverity as Ev, Finding, Severity};

const SPEC_STYLE: &str = "https://w3c.github.io/webappsec-csp/#directive-style-src";
const SPEC_FRAME_ANCESTORS: &str = "https://w3c.github.io/webappsec-csp/#directive-frame-ancestors";
const SPEC_FORM_ACTION: &str = "https://w3c.github.io/webappsec-csp/#directive-form-action";
const SPEC_PARSE: &str = "https://w3c.github.io/webappsec-csp/#parse-serialized-policy";
const SPEC_MULTIPLE: &str = "https://w3c.github.io/webappsec-csp/#multiple-policies";
const SPEC_REPORT_ONLY: &str = "https://w3c.github.io/webappsec-csp/#cspro-header";
const SPEC_META: &str = "https://w3c.github.io/webappsec-csp/#meta-element";
const SPEC_NONCE: &str = "https://w3c.github.io/webappsec-csp/#security-nonces";
const SPEC_HASH: &str = "https://w3c.github.io/webappsec-csp/#grammardef-hash-source";

/// Sources that allow practically anything for the directive they appear in.
fn is_broad(v: &str) -> bool {
    matches!(
        v,
        "*" | "http:"
            | "https:"
            | "data:"
            | "blob:"
            | "filesystem:"
            | "http://*"
            | "https://*"
            | "ftp:"
    )
}

/// Checks that look at one enforced (or report-only) policy.
pub(crate) fn policy_checks(p: &PolicyView, meta: bool) -> Vec<Finding> {
    let mut out = Vec::new();
    style_src(p, &mut out);
    navigation(p, &mut out);
    duplicates(p, &mut out);
    nonces_and_hashes(p, &mut out);
    if meta {
        for d in &p.meta_ignored {
            {
                out.push(
                    Finding::new(
                        "csp-meta-ignored-directive",
                        Severity::Medium,
                        HEADER,
                        format!("{d} is ignored in a <meta> policy; send it in the Content-Security-Policy header instead."),
                        SPEC_META,
                    )
                    .with_directive(d.clone()),
                );
            }
        }
    }
    out
}

fn style_src(p: &PolicyView, out: &mut Vec<Finding>) {
    let d = effective_directive(p, "style-src");
    let Some(vs) = p.get(d) else { return };
    let neutralized = vs.iter().any(|v| is_nonce(v) || is_hash(v));
    if vs.iter().any(|v| v == "'unsafe-inline'") && !neutralized {
        out.push(
            Finding::new(
                "csp-style-unsafe-inline",
                Severity::Low,
                HEADER,
                format!("'unsafe-inline' in {d} lets injected <style> and style attributes through, enabling CSS-based data exfiltration and UI redress."),
                SPEC_STYLE,
            )
            .with_directive(d)
            .with_value("'unsafe-inline'")
            .with_evaluator("STYLE_UNSAFE_INLINE", Ev::MediumMaybe)
            .with_fix("Move inline styles into stylesheets, or allow them with a nonce or hashes."),
        );
    }
    for v in vs.iter().filter(|v| is_broad(v)) {
        out.push(
            Finding::new(
                "csp-style-broad-source",
                Severity::Low,
                HEADER,
                format!("{v} in {d} allows stylesheets from anywhere."),
                SPEC_STYLE,
            )
            .with_directive(d)
            .with_value(v.clone()),
        );
    }
}

fn navigation(p: &PolicyView, out: &mut Vec<Finding>) {
    if let Some(vs) = p.get("frame-ancestors") {
        for v in vs.iter().filter(|v| is_broad(v)) {
            out.push(
                Finding::new(
                    "csp-frame-ancestors-permissive",
                    Severity::Medium,
                    HEADER,
                    format!("frame-ancestors {v} lets any site frame this page (clickjacking)."),
                    SPEC_FRAME_ANCESTORS,
                )
                .with_directive("frame-ancestors")
                .with_value(v.clone())
                .with_fix("frame-ancestors 'none'"),
            );
        }
    }
    if let Some(vs) = p.get("form-action") {
        for v in vs.iter().filter(|v| is_broad(v)) {
            out.push(
                Finding::new(
                    "csp-form-action-permissive",
                    Severity::Low,
                    HEADER,
                    format!("form-action {v} lets an injected form post data to any site."),
                    SPEC_FORM_ACTION,
                )
                .with_directive("form-action")
                .with_value(v.clone())
                .with_fix("form-action 'self'"),
            );
        }
    }
}

fn duplicates(p: &PolicyView, out: &mut Vec<Finding>) {
    for d in &p.duplicates {
        out.push(
            Finding::new(
                "csp-duplicate-directive",
                Severity::Medium,
                HEADER,
                format!("{d} appears more than once in one policy; browsers use the first and silently ignore the rest."),
                SPEC_PARSE,
            )
            .with_directive(d.clone())
            .with_fix(format!("Merge the {d} directives into one.")),
        );
    }
    for d in &p.dropped_bad_bytes {
        out.push(
            Finding::new(
                "csp-directive-invalid-bytes",
                Severity::Medium,
                HEADER,
                format!("The value of {d} holds a character that is not allowed (control, non-ASCII or comma); browsers drop the whole directive."),
                SPEC_PARSE,
            )
            .with_directive(d.clone()),
        );
    }
}

/// Nonces a server would never generate at random: too few distinct characters, or well-known
/// placeholder words.
fn looks_static(n: &str) -> bool {
    let lower = n.to_ascii_lowercase();
    let placeholders = [
        "nonce", "random", "test", "abc", "123", "foo", "bar", "secret", "example", "static", "xyz",
    ];
    let mut distinct: Vec<char> = n.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    distinct.len() < 6 || placeholders.iter().any(|w| lower.contains(w))
}

fn nonces_and_hashes(p: &PolicyView, out: &mut Vec<Finding>) {
    for d in &p.directives {
        for v in &d.values {
            if is_nonce(v) {
                let n = v.get(7..v.len().saturating_sub(1)).unwrap_or("");
                let bytes = decoded_len(n);
                if n.len() >= 8 && bytes < 16 {
                    out.push(
                        Finding::new(
                            "csp-nonce-weak",
                            Severity::Medium,
                            HEADER,
                            format!("The nonce in {v} carries at most {bytes} bytes; use at least 16 random bytes (128 bits) per response."),
                            SPEC_NONCE,
                        )
                        .with_directive(d.name.clone())
                        .with_value(v.clone()),
                    );
                }
                if looks_static(n) {
                    out.push(
                        Finding::new(
                            "csp-nonce-static-looking",
                            Severity::Medium,
                            HEADER,
                            format!("The nonce in {v} does not look random (placeholder word or few distinct characters); a nonce must be unpredictable and new for every response."),
                            SPEC_NONCE,
                        )
                        .with_directive(d.name.clone())
                        .with_value(v.clone())
                        .with_evaluator("STATIC_NONCE", Ev::Medium),
                    );
                }
            } else if let Some(rest) = v.strip_prefix('\'') {
                let alg = rest.split('-').next().unwrap_or("");
                let hash_like = rest.contains('-')
                    && matches!(
                        alg,
                        "sha1" | "md5" | "sha224" | "sha3" | "sha-256" | "sha" | "sha128"
                    );
                if hash_like {
                    out.push(
                        Finding::new(
                            "csp-hash-unsupported-algorithm",
                            Severity::Medium,
                            HEADER,
                            format!("{v} uses {alg}, which CSP does not support (only sha256, sha384, sha512); browsers ignore it."),
                            SPEC_HASH,
                        )
                        .with_directive(d.name.clone())
                        .with_value(v.clone()),
                    );
                }
            }
            if is_hash(v) {
                let (alg, b64) = v.trim_matches('\'').split_once('-').unwrap_or(("", ""));
                let want = match alg {
                    "sha256" => 32,
                    "sha384" => 48,
                    _ => 64,
                };
                let got = decoded_len(b64);
                if got != want {
                    out.push(
                        Finding::new(
                            "csp-hash-malformed",
                            Severity::Low,
                            HEADER,
                            format!("{v} does not decode to a {want}-byte {alg} digest, so it can never match a script or style."),
                            SPEC_HASH,
                        )
                        .with_directive(d.name.clone())
                        .with_value(v.clone()),
                    );
                }
            }
        }
    }
}

/// Decoded length of base64 or base64url text; 0 when it does not decode.
fn decoded_len(s: &str) -> usize {
    let normalized: String = s
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .filter(|c| *c != '=')
        .collect();
    base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(normalized.as_bytes())
        .map_or(0, |b| b.len())
}

/// Checks about the policy list as a whole.
pub(crate) fn list_checks(
    enforced: &[PolicyView],
    report_only: &[PolicyView],
    document: bool,
) -> Vec<Finding> {
    let mut out = Vec::new();
    if enforced.len() > 1 {
        out.push(
            Finding::new(
                "csp-multiple-policies",
                Severity::Info,
                HEADER,
                format!("{} policies are enforced; a resource must pass every one of them, so a source added to one policy alone does not allow it.", enforced.len()),
                SPEC_MULTIPLE,
            ),
        );
    }
    if document && !enforced.is_empty() {
        if !enforced.iter().any(|p| p.has("frame-ancestors")) {
            out.push(
                Finding::new(
                    "csp-no-frame-ancestors",
                    Severity::Low,
                    HEADER,
                    "No frame-ancestors: framing is controlled only by X-Frame-Options, if at all."
                        .to_owned(),
                    SPEC_FRAME_ANCESTORS,
                )
                .with_directive("frame-ancestors")
                .with_fix("frame-ancestors 'none'"),
            );
        }
        if !enforced.iter().any(|p| p.has("form-action")) {
            out.push(
                Finding::new(
                    "csp-no-form-action",
                    Severity::Low,
                    HEADER,
                    "No form-action: an injected <form> can send user input to any site (form-action does not fall back to default-src).".to_owned(),
                    SPEC_FORM_ACTION,
                )
                .with_directive("form-action")
                .with_fix("form-action 'self'"),
            );
        }
    }
    for p in report_only {
        for d in [
            "sandbox",
            "upgrade-insecure-requests",
            "block-all-mixed-content",
        ] {
            if p.has(d) {
                out.push(
                    Finding::new(
                        "csp-report-only-ignored-directive",
                        Severity::Low,
                        "content-security-policy-report-only",
                        format!("{d} has no effect in a report-only policy."),
                        SPEC_REPORT_ONLY,
                    )
                    .with_directive(d),
                );
            }
        }
        if !p.has("report-uri") && !p.has("report-to") {
            out.push(
                Finding::new(
                    "csp-report-only-without-reporting",
                    Severity::Medium,
                    "content-security-policy-report-only",
                    "A report-only policy without report-uri or report-to neither blocks nor reports anything.".to_owned(),
                    SPEC_REPORT_ONLY,
                )
                .with_fix("Add report-uri (and report-to) pointing at your violation collector."),
            );
        }
    }
    if enforced.is_empty() && !report_only.is_empty() {
        out.push(
            Finding::new(
                "csp-report-only-without-enforcement",
                Severity::High,
                "content-security-policy-report-only",
                "Only a report-only policy is sent: violations are reported but nothing is blocked.".to_owned(),
                SPEC_REPORT_ONLY,
            )
            .with_fix("Send the policy as Content-Security-Policy once the reports are clean."),
        );
    }
    let _ = Disposition::Enforce;
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csp::model::single_policy;

    fn ids(policy: &str) -> Vec<&'static str> {
        let p = single_policy(policy, Disposition::Enforce).unwrap();
        policy_checks(&p, false).into_iter().map(|f| f.id).collect()
    }

    #[test]
    fn nonce_under_16_bytes_is_weak() {
        assert!(ids("script-src 'nonce-aGVsbG8gd29ybGQ='").contains(&"csp-nonce-weak"));
        assert!(!ids("script-src 'nonce-q8V3kZr1m2Xw9pL4tY7uBg=='").contains(&"csp-nonce-weak"));
    }

    #[test]
    fn placeholder_nonce_looks_static() {
        assert!(ids("script-src 'nonce-abc123abc123'").contains(&"csp-nonce-static-looking"));
        assert!(
            !ids("script-src 'nonce-q8V3kZr1m2Xw9pL4tY7uBg=='")
                .contains(&"csp-nonce-static-looking")
        );
    }

    #[test]
    fn sha1_hash_is_unsupported() {
        assert!(ids("script-src 'sha1-AAAA'").contains(&"csp-hash-unsupported-algorithm"));
    }

    #[test]
    fn short_sha256_is_malformed() {
        assert!(ids("script-src 'sha256-abc123'").contains(&"csp-hash-malformed"));
        assert!(
            !ids("script-src 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='")
                .contains(&"csp-hash-malformed")
        );
    }

    #[test]
    fn style_unsafe_inline_unless_nonce() {
        assert!(ids("style-src 'unsafe-inline'").contains(&"csp-style-unsafe-inline"));
        assert!(
            !ids("style-src 'unsafe-inline' 'nonce-q8V3kZr1m2Xw9pL4tY7uBg=='")
                .contains(&"csp-style-unsafe-inline")
        );
    }

    #[test]
    fn duplicate_directive_is_reported() {
        assert!(ids("img-src a; img-src b").contains(&"csp-duplicate-directive"));
    }

    #[test]
    fn wildcard_frame_ancestors_is_permissive() {
        assert!(ids("frame-ancestors *").contains(&"csp-frame-ancestors-permissive"));
        assert!(!ids("frame-ancestors 'self'").contains(&"csp-frame-ancestors-permissive"));
    }
}
