//! The checks of Google's CSP Evaluator, re-implemented on our policy view with the same
//! semantics (see `CSP_EVALUATOR_MAPPING.md` for the mapping and the few deliberate differences).

use super::bypass::{self, ANGULAR, FLASH, JSONP, JSONP_NEEDS_EVAL};
use super::model::{PolicyView, is_scheme_source};
use crate::context::CspVersion;
use crate::finding::{EvaluatorSeverity as Ev, Finding};

pub(crate) const HEADER: &str = "content-security-policy";
const SPEC_SCRIPT_SRC: &str = "https://w3c.github.io/webappsec-csp/#directive-script-src";
const SPEC_OBJECT_SRC: &str = "https://w3c.github.io/webappsec-csp/#directive-object-src";
const SPEC_BASE_URI: &str = "https://w3c.github.io/webappsec-csp/#directive-base-uri";
const SPEC_PARSE: &str = "https://w3c.github.io/webappsec-csp/#parse-serialized-policy";
const SPEC_GRAMMAR: &str = "https://w3c.github.io/webappsec-csp/#framework-directive-source-list";
const SPEC_NONCE: &str = "https://w3c.github.io/webappsec-csp/#security-nonces";
const SPEC_STRICT_DYNAMIC: &str = "https://w3c.github.io/webappsec-csp/#strict-dynamic-usage";
const SPEC_REPORTING: &str = "https://w3c.github.io/webappsec-csp/#directive-report-to";
const SPEC_DEPRECATED: &str = "https://w3c.github.io/webappsec-csp/#changes-from-level-2";
const SPEC_MATCH: &str = "https://w3c.github.io/webappsec-csp/#match-url-to-source-expression";
const SPEC_TRUSTED_TYPES: &str =
    "https://w3c.github.io/trusted-types/dist/spec/#require-trusted-types-for-csp-directive";

/// Every directive name the CSP Evaluator knows, plus the CSP3 ones it does not list yet.
pub(crate) const KNOWN_DIRECTIVES: &[&str] = &[
    "child-src",
    "connect-src",
    "default-src",
    "font-src",
    "frame-src",
    "img-src",
    "media-src",
    "object-src",
    "script-src",
    "script-src-attr",
    "script-src-elem",
    "style-src",
    "style-src-attr",
    "style-src-elem",
    "prefetch-src",
    "manifest-src",
    "worker-src",
    "base-uri",
    "plugin-types",
    "sandbox",
    "disown-opener",
    "form-action",
    "frame-ancestors",
    "navigate-to",
    "report-to",
    "report-uri",
    "block-all-mixed-content",
    "upgrade-insecure-requests",
    "reflected-xss",
    "referrer",
    "require-sri-for",
    "trusted-types",
    "require-trusted-types-for",
    "webrtc",
    // CSP3 / HTML additions the CSP Evaluator does not list
    "fenced-frame-src",
];

/// CSP3 §6.1 fetch directives (the CSP Evaluator's `FETCH_DIRECTIVES`).
const FETCH_DIRECTIVES: &[&str] = &[
    "child-src",
    "connect-src",
    "default-src",
    "font-src",
    "frame-src",
    "img-src",
    "manifest-src",
    "media-src",
    "object-src",
    "script-src",
    "script-src-attr",
    "script-src-elem",
    "style-src",
    "style-src-attr",
    "style-src-elem",
    "worker-src",
    "fenced-frame-src",
];

/// Keywords accepted as valid: the CSP Evaluator's list plus the CSP3 keyword-source grammar.
pub(crate) const KEYWORDS: &[&str] = &[
    "'self'",
    "'none'",
    "'unsafe-inline'",
    "'unsafe-eval'",
    "'wasm-eval'",
    "'wasm-unsafe-eval'",
    "'strict-dynamic'",
    "'unsafe-hashed-attributes'",
    "'unsafe-hashes'",
    "'report-sample'",
    "'block'",
    "'allow'",
    // CSP3 keyword-source additions
    "'unsafe-allow-redirects'",
    "'trusted-types-eval'",
    "'report-sha256'",
    "'report-sha384'",
    "'report-sha512'",
    "'unsafe-webtransport-hashes'",
    "'inline-speculation-rules'",
];

/// Directives that can lead to script execution when too permissive.
const DIRECTIVES_CAUSING_XSS: &[&str] = &[
    "script-src",
    "script-src-attr",
    "script-src-elem",
    "object-src",
    "base-uri",
];
const URL_SCHEMES_CAUSING_XSS: &[&str] = &["data:", "http:", "https:"];

/// CSP3 §6.8.3 fallback lists: the directive that governs `name` in `policy`.
pub(crate) fn effective_directive<'a>(policy: &PolicyView, name: &'a str) -> &'a str {
    let chain: &[&str] = match name {
        "script-src-elem" => &["script-src-elem", "script-src", "default-src"],
        "script-src-attr" => &["script-src-attr", "script-src", "default-src"],
        "style-src-elem" => &["style-src-elem", "style-src", "default-src"],
        "style-src-attr" => &["style-src-attr", "style-src", "default-src"],
        "worker-src" => &["worker-src", "child-src", "script-src", "default-src"],
        "frame-src" => &["frame-src", "child-src", "default-src"],
        n if FETCH_DIRECTIVES.contains(&n) => &[n, "default-src"],
        _ => &[],
    };
    for candidate in chain {
        if policy.has(candidate) {
            return candidate;
        }
    }
    name
}

/// Effective directives for several names, deduplicated in order.
fn effective_directives<'a>(policy: &PolicyView, names: &[&'a str]) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for n in names {
        let e = effective_directive(policy, n);
        if !out.contains(&e) {
            out.push(e);
        }
    }
    out
}

fn values<'p>(policy: &'p PolicyView, directive: &str) -> &'p [String] {
    policy.get(directive).unwrap_or(&[])
}

/// `'nonce-' base64-value "'"` with the base64/base64url charset (strict form).
pub(crate) fn is_nonce(value: &str) -> bool {
    value
        .strip_prefix("'nonce-")
        .and_then(|v| v.strip_suffix('\''))
        .is_some_and(|v| is_base64_value(v, true))
}

/// `"'" hash-algorithm "-" base64-value "'"` (strict form, sha256/384/512).
pub(crate) fn is_hash(value: &str) -> bool {
    ["'sha256-", "'sha384-", "'sha512-"].iter().any(|p| {
        value
            .strip_prefix(p)
            .and_then(|v| v.strip_suffix('\''))
            .is_some_and(|v| is_base64_value(v, true))
    })
}

/// `1*( ALPHA / DIGIT / "+" / "/" [ / "-" / "_" ] ) *2"="` (CSP3 base64-value, which takes the
/// base64url characters too).
fn is_base64_value(v: &str, url_safe: bool) -> bool {
    let body = v.trim_end_matches('=');
    let pad = v.len() - body.len();
    !body.is_empty()
        && pad <= 2
        && body.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '+' | '/')
                || (url_safe && matches!(c, '-' | '_'))
        })
}

fn has_nonce_or_hash(list: &[String]) -> bool {
    list.iter().any(|v| is_nonce(v) || is_hash(v))
}

fn finding(
    id: &'static str,
    kind: &'static str,
    sev: Ev,
    message: String,
    spec: &'static str,
    directive: &str,
) -> Finding {
    Finding::new(id, sev.to_severity(), HEADER, message, spec)
        .with_directive(directive)
        .with_evaluator(kind, sev)
}

/// The policy as a browser supporting `version` sees it (CSP Evaluator `getEffectiveCsp`), plus
/// `IGNORED` findings for what that browser drops. Unlike the CSP Evaluator, each script
/// directive (`script-src`, `-elem`, `-attr`) is handled on its own list, as browsers do.
pub(crate) fn effective_policy(
    policy: &PolicyView,
    version: CspVersion,
    findings: &mut Vec<Finding>,
) -> PolicyView {
    let mut effective = policy.clone();
    let script_lists = effective_directives(
        policy,
        &["script-src", "script-src-elem", "script-src-attr"],
    );
    for directive in script_lists {
        let original = values(policy, directive).to_vec();
        let Some(list) = effective.get_mut(directive) else {
            continue;
        };
        if has_nonce_or_hash(&original) {
            if version >= CspVersion::Csp2 {
                // CSP3 §6.7.3.3: 'unsafe-inline' is ignored when a nonce or hash is present.
                if original.iter().any(|v| v == "'unsafe-inline'") {
                    list.retain(|v| v != "'unsafe-inline'");
                    findings.push(ignored(
                        directive,
                        "'unsafe-inline'",
                        "a nonce or a hash is present (CSP2 and later)",
                    ));
                }
            } else {
                list.retain(|v| !(v.starts_with("'nonce-") || v.starts_with("'sha")));
            }
        }
        if original.iter().any(|v| v == "'strict-dynamic'") {
            if version >= CspVersion::Csp3 {
                // CSP3 §8.2: with 'strict-dynamic', host and scheme sources, 'self' and
                // 'unsafe-inline' are ignored.
                for v in &original {
                    if !v.starts_with('\'') || v == "'self'" || v == "'unsafe-inline'" {
                        list.retain(|x| x != v);
                        findings.push(ignored(directive, v, "'strict-dynamic' is present (CSP3)"));
                    }
                }
            } else {
                list.retain(|v| v != "'strict-dynamic'");
            }
        }
    }
    if version < CspVersion::Csp3 {
        for d in [
            "report-to",
            "worker-src",
            "manifest-src",
            "trusted-types",
            "require-trusted-types-for",
            "script-src-attr",
            "script-src-elem",
            "style-src-attr",
            "style-src-elem",
        ] {
            effective.remove(d);
        }
    }
    effective
}

fn ignored(directive: &str, value: &str, why: &str) -> Finding {
    finding(
        "csp-source-ignored",
        "IGNORED",
        Ev::None,
        format!("{value} in {directive} has no effect because {why}."),
        SPEC_STRICT_DYNAMIC,
        directive,
    )
    .with_value(value)
}

/// One check of the CSP Evaluator, by the name its sources use.
///
/// ```
/// use header_audit::EvaluatorCheck;
/// assert_eq!(EvaluatorCheck::from_name("securityChecks.checkWildcards"), Some(EvaluatorCheck::Wildcards));
/// assert_eq!(EvaluatorCheck::Wildcards.name(), "securityChecks.checkWildcards");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EvaluatorCheck {
    /// `securityChecks.checkScriptUnsafeInline`
    ScriptUnsafeInline,
    /// `securityChecks.checkScriptUnsafeEval`
    ScriptUnsafeEval,
    /// `securityChecks.checkPlainUrlSchemes`
    PlainUrlSchemes,
    /// `securityChecks.checkWildcards`
    Wildcards,
    /// `securityChecks.checkMissingDirectives`
    MissingDirectives,
    /// `securityChecks.checkScriptAllowlistBypass`
    ScriptAllowlistBypass,
    /// `securityChecks.checkFlashObjectAllowlistBypass`
    FlashObjectAllowlistBypass,
    /// `securityChecks.checkIpSource`
    IpSource,
    /// `securityChecks.checkDeprecatedDirective`
    DeprecatedDirective,
    /// `securityChecks.checkNonceLength`
    NonceLength,
    /// `securityChecks.checkSrcHttp`
    SrcHttp,
    /// `securityChecks.checkHasConfiguredReporting`
    HasConfiguredReporting,
    /// `parserChecks.checkUnknownDirective`
    UnknownDirective,
    /// `parserChecks.checkMissingSemicolon`
    MissingSemicolon,
    /// `parserChecks.checkInvalidKeyword`
    InvalidKeyword,
    /// `strictcspChecks.checkStrictDynamic`
    StrictDynamic,
    /// `strictcspChecks.checkStrictDynamicNotStandalone`
    StrictDynamicNotStandalone,
    /// `strictcspChecks.checkUnsafeInlineFallback`
    UnsafeInlineFallback,
    /// `strictcspChecks.checkAllowlistFallback`
    AllowlistFallback,
    /// `strictcspChecks.checkRequiresTrustedTypesForScripts`
    RequiresTrustedTypesForScripts,
}

impl EvaluatorCheck {
    /// The CSP Evaluator's default set (`DEFAULT_CHECKS`) plus its reporting check.
    ///
    /// [`check_csp`](crate::check_csp) runs every check of this set:
    ///
    /// ```
    /// use header_audit::{CspCheckOptions, CspVersion, EvaluatorCheck, check_csp, evaluator_check};
    ///
    /// let policy = "script-src 'unsafe-inline' http: *; report-uri /csp";
    /// let findings = check_csp(policy, &CspCheckOptions::default());
    /// for check in EvaluatorCheck::DEFAULT {
    ///     for finding in evaluator_check(*check, policy, CspVersion::Csp3) {
    ///         assert!(findings.contains(&finding), "{check:?}: {}", finding.id);
    ///     }
    /// }
    /// assert!(findings.iter().any(|f| f.id == "csp-script-unsafe-inline"));
    /// ```
    pub const DEFAULT: &'static [Self] = &[
        Self::ScriptUnsafeInline,
        Self::ScriptUnsafeEval,
        Self::PlainUrlSchemes,
        Self::Wildcards,
        Self::MissingDirectives,
        Self::ScriptAllowlistBypass,
        Self::FlashObjectAllowlistBypass,
        Self::IpSource,
        Self::NonceLength,
        Self::SrcHttp,
        Self::DeprecatedDirective,
        Self::UnknownDirective,
        Self::MissingSemicolon,
        Self::InvalidKeyword,
        Self::HasConfiguredReporting,
    ];

    /// The CSP Evaluator's strict-CSP set (`STRICTCSP_CHECKS`).
    ///
    /// [`check_csp`](crate::check_csp) runs this set only with
    /// [`CspCheckOptions::strict`](crate::CspCheckOptions::strict):
    ///
    /// ```
    /// use header_audit::{CspCheckOptions, CspVersion, EvaluatorCheck, check_csp, evaluator_check};
    ///
    /// // Nonce and host allowlist, but no 'strict-dynamic', fallbacks or Trusted Types.
    /// let policy = "script-src 'nonce-r4nd0mR4nd0m' https://cdn.example; object-src 'none'";
    /// let strict_findings: Vec<_> = EvaluatorCheck::STRICT
    ///     .iter()
    ///     .flat_map(|check| evaluator_check(*check, policy, CspVersion::Csp3))
    ///     .collect();
    /// assert!(strict_findings.iter().any(|f| f.id == "csp-no-strict-dynamic"));
    /// let default = check_csp(policy, &CspCheckOptions::default());
    /// let strict = check_csp(policy, &CspCheckOptions { strict: true, ..CspCheckOptions::default() });
    /// for finding in &strict_findings {
    ///     assert!(strict.contains(finding) && !default.contains(finding), "{}", finding.id);
    /// }
    /// ```
    pub const STRICT: &'static [Self] = &[
        Self::StrictDynamic,
        Self::StrictDynamicNotStandalone,
        Self::UnsafeInlineFallback,
        Self::AllowlistFallback,
        Self::RequiresTrustedTypesForScripts,
    ];

    const ALL: &'static [(Self, &'static str)] = &[
        (
            Self::ScriptUnsafeInline,
            "securityChecks.checkScriptUnsafeInline",
        ),
        (
            Self::ScriptUnsafeEval,
            "securityChecks.checkScriptUnsafeEval",
        ),
        (Self::PlainUrlSchemes, "securityChecks.checkPlainUrlSchemes"),
        (Self::Wildcards, "securityChecks.checkWildcards"),
        (
            Self::MissingDirectives,
            "securityChecks.checkMissingDirectives",
        ),
        (
            Self::ScriptAllowlistBypass,
            "securityChecks.checkScriptAllowlistBypass",
        ),
        (
            Self::FlashObjectAllowlistBypass,
            "securityChecks.checkFlashObjectAllowlistBypass",
        ),
        (Self::IpSource, "securityChecks.checkIpSource"),
        (
            Self::DeprecatedDirective,
            "securityChecks.checkDeprecatedDirective",
        ),
        (Self::NonceLength, "securityChecks.checkNonceLength"),
        (Self::SrcHttp, "securityChecks.checkSrcHttp"),
        (
            Self::HasConfiguredReporting,
            "securityChecks.checkHasConfiguredReporting",
        ),
        (Self::UnknownDirective, "parserChecks.checkUnknownDirective"),
        (Self::MissingSemicolon, "parserChecks.checkMissingSemicolon"),
        (Self::InvalidKeyword, "parserChecks.checkInvalidKeyword"),
        (Self::StrictDynamic, "strictcspChecks.checkStrictDynamic"),
        (
            Self::StrictDynamicNotStandalone,
            "strictcspChecks.checkStrictDynamicNotStandalone",
        ),
        (
            Self::UnsafeInlineFallback,
            "strictcspChecks.checkUnsafeInlineFallback",
        ),
        (
            Self::AllowlistFallback,
            "strictcspChecks.checkAllowlistFallback",
        ),
        (
            Self::RequiresTrustedTypesForScripts,
            "strictcspChecks.checkRequiresTrustedTypesForScripts",
        ),
    ];

    /// The check for a CSP Evaluator function name such as `securityChecks.checkWildcards`.
    ///
    /// ```
    /// use header_audit::EvaluatorCheck;
    /// assert!(EvaluatorCheck::from_name("parserChecks.checkInvalidKeyword").is_some());
    /// assert!(EvaluatorCheck::from_name("nope").is_none());
    /// ```
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(c, _)| *c)
    }

    /// The CSP Evaluator function name of this check.
    ///
    /// ```
    /// assert_eq!(header_audit::EvaluatorCheck::SrcHttp.name(), "securityChecks.checkSrcHttp");
    /// ```
    #[must_use]
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(c, _)| *c == self)
            .map_or("", |(_, n)| n)
    }

    /// Whether the check looks at the parsed policy as written (parser and strict-CSP checks)
    /// rather than at the policy a browser of the chosen CSP level enforces.
    const fn on_written_policy(self) -> bool {
        matches!(
            self,
            Self::UnknownDirective
                | Self::MissingSemicolon
                | Self::InvalidKeyword
                | Self::StrictDynamic
                | Self::StrictDynamicNotStandalone
                | Self::UnsafeInlineFallback
                | Self::AllowlistFallback
                | Self::RequiresTrustedTypesForScripts
        )
    }
}

/// Runs `check` over a policy list (`written` as parsed, `effective` as a browser sees it).
pub(crate) fn run(
    check: EvaluatorCheck,
    written: &[PolicyView],
    effective: &[PolicyView],
) -> Vec<Finding> {
    let policies = if check.on_written_policy() {
        written
    } else {
        effective
    };
    let mut out = Vec::new();
    match check {
        EvaluatorCheck::MissingDirectives => return missing_directives(policies),
        EvaluatorCheck::StrictDynamic => return strict_dynamic(policies),
        EvaluatorCheck::StrictDynamicNotStandalone => {
            return strict_dynamic_not_standalone(policies);
        }
        EvaluatorCheck::UnsafeInlineFallback => return unsafe_inline_fallback(policies),
        EvaluatorCheck::AllowlistFallback => return allowlist_fallback(policies),
        EvaluatorCheck::RequiresTrustedTypesForScripts => return requires_trusted_types(policies),
        _ => {}
    }
    for p in policies {
        out.extend(match check {
            EvaluatorCheck::ScriptUnsafeInline => script_unsafe_inline(p),
            EvaluatorCheck::ScriptUnsafeEval => script_unsafe_eval(p),
            EvaluatorCheck::PlainUrlSchemes => plain_url_schemes(p),
            EvaluatorCheck::Wildcards => wildcards(p),
            EvaluatorCheck::ScriptAllowlistBypass => script_allowlist_bypass(p),
            EvaluatorCheck::FlashObjectAllowlistBypass => flash_object_bypass(p),
            EvaluatorCheck::IpSource => ip_source(p),
            EvaluatorCheck::DeprecatedDirective => deprecated_directive(p),
            EvaluatorCheck::NonceLength => nonce_length(p),
            EvaluatorCheck::SrcHttp => src_http(p),
            EvaluatorCheck::HasConfiguredReporting => configured_reporting(p),
            EvaluatorCheck::UnknownDirective => unknown_directive(p),
            EvaluatorCheck::MissingSemicolon => missing_semicolon(p),
            EvaluatorCheck::InvalidKeyword => invalid_keyword(p),
            _ => Vec::new(),
        });
    }
    out
}

fn script_unsafe_inline(p: &PolicyView) -> Vec<Finding> {
    let mut out = Vec::new();
    for d in effective_directives(p, &["script-src", "script-src-attr", "script-src-elem"]) {
        let vs = values(p, d);
        if vs.iter().any(|v| v == "'unsafe-inline'") {
            out.push(
                finding(
                    "csp-script-unsafe-inline",
                    "SCRIPT_UNSAFE_INLINE",
                    Ev::High,
                    format!("'unsafe-inline' in {d} lets any injected inline <script> or event handler run, which defeats the XSS protection of the policy."),
                    SPEC_SCRIPT_SRC,
                    d,
                )
                .with_value("'unsafe-inline'")
                .with_fix("Remove 'unsafe-inline' and allow the page's own scripts with a per-response nonce ('nonce-…') plus 'strict-dynamic', or with hashes."),
            );
        }
        if vs.iter().any(|v| v == "'unsafe-hashes'") {
            out.push(
                finding(
                    "csp-script-unsafe-hashes",
                    "SCRIPT_UNSAFE_HASHES",
                    Ev::MediumMaybe,
                    format!("'unsafe-hashes' in {d} lets inline event handlers and javascript: URLs run when their hash is listed; safer than 'unsafe-inline', but the handlers should move into script files."),
                    SPEC_SCRIPT_SRC,
                    d,
                )
                .with_value("'unsafe-hashes'"),
            );
        }
    }
    out
}

fn script_unsafe_eval(p: &PolicyView) -> Vec<Finding> {
    effective_directives(p, &["script-src", "script-src-attr", "script-src-elem"])
        .into_iter()
        .filter(|d| values(p, d).iter().any(|v| v == "'unsafe-eval'"))
        .map(|d| {
            finding(
                "csp-script-unsafe-eval",
                "SCRIPT_UNSAFE_EVAL",
                Ev::MediumMaybe,
                format!("'unsafe-eval' in {d} lets strings reach eval(), new Function() and similar sinks, so injected data can become code."),
                SPEC_SCRIPT_SRC,
                d,
            )
            .with_value("'unsafe-eval'")
            .with_fix("Remove 'unsafe-eval' (use 'wasm-unsafe-eval' if only WebAssembly needs it).")
        })
        .collect()
}

fn plain_url_schemes(p: &PolicyView) -> Vec<Finding> {
    let mut out = Vec::new();
    for d in effective_directives(p, DIRECTIVES_CAUSING_XSS) {
        for v in values(p, d) {
            if URL_SCHEMES_CAUSING_XSS.contains(&v.as_str()) {
                out.push(
                    finding(
                        "csp-plain-url-scheme",
                        "PLAIN_URL_SCHEMES",
                        Ev::High,
                        format!("{v} in {d} allows content from any URL of that scheme, so an attacker can load their own script."),
                        SPEC_SCRIPT_SRC,
                        d,
                    )
                    .with_value(v.clone()),
                );
            }
        }
    }
    out
}

fn wildcards(p: &PolicyView) -> Vec<Finding> {
    let mut out = Vec::new();
    for d in effective_directives(p, DIRECTIVES_CAUSING_XSS) {
        for v in values(p, d) {
            if bypass::scheme_free(v) == "*" {
                out.push(
                    finding(
                        "csp-wildcard",
                        "PLAIN_WILDCARD",
                        Ev::High,
                        format!("{d} allows '*' as a source, so script or plugin content can come from any host."),
                        SPEC_SCRIPT_SRC,
                        d,
                    )
                    .with_value(v.clone()),
                );
            }
        }
    }
    out
}

/// CSP Evaluator `checkMissingDirectives`, over the whole enforced list: a directive present in
/// any policy restricts (CSP3 §8.1, every policy is enforced).
pub(crate) fn missing_directives(policies: &[PolicyView]) -> Vec<Finding> {
    let mut out = Vec::new();
    let object_restricted = policies.iter().any(|p| {
        p.get("object-src")
            .or_else(|| p.get("default-src"))
            .is_some_and(|v| !v.is_empty())
    });
    if !object_restricted {
        out.push(
            finding(
                "csp-missing-object-src",
                "MISSING_DIRECTIVES",
                Ev::High,
                "No object-src (and no default-src): plugins such as <object> and <embed> can load content that runs script. Set object-src 'none'.".to_owned(),
                SPEC_OBJECT_SRC,
                "object-src",
            )
            .with_fix("object-src 'none'"),
        );
    }
    let script_restricted = policies
        .iter()
        .any(|p| p.has("script-src") || p.has("default-src"));
    if !script_restricted {
        out.push(
            finding(
                "csp-missing-script-src",
                "MISSING_DIRECTIVES",
                Ev::High,
                "No script-src (and no default-src): the policy does not restrict scripts at all."
                    .to_owned(),
                SPEC_SCRIPT_SRC,
                "script-src",
            )
            .with_fix("script-src 'nonce-{random}' 'strict-dynamic'"),
        );
    }
    // base-uri matters when scripts are allowed by nonce, or by hash with 'strict-dynamic':
    // a injected <base> then redirects relative script URLs.
    let needs_base_uri = policies.iter().any(|p| {
        let d = effective_directive(p, "script-src");
        let vs = values(p, d);
        vs.iter().any(|v| is_nonce(v))
            || (vs.iter().any(|v| is_hash(v)) && vs.iter().any(|v| v == "'strict-dynamic'"))
    });
    if needs_base_uri && !policies.iter().any(|p| p.has("base-uri")) {
        out.push(
            finding(
                "csp-missing-base-uri",
                "MISSING_DIRECTIVES",
                Ev::High,
                "No base-uri: an injected <base> tag can point every relative script URL at an attacker's host, bypassing the nonce. Set base-uri 'none' (or 'self').".to_owned(),
                SPEC_BASE_URI,
                "base-uri",
            )
            .with_fix("base-uri 'none'"),
        );
    }
    out
}

fn script_allowlist_bypass(p: &PolicyView) -> Vec<Finding> {
    let mut out = Vec::new();
    for d in effective_directives(p, &["script-src", "script-src-elem"]) {
        let vs = values(p, d);
        if vs.iter().any(|v| v == "'none'") {
            continue;
        }
        let eval_present = vs.iter().any(|v| v == "'unsafe-eval'");
        for v in vs {
            if v == "'self'" {
                out.push(
                    finding(
                        "csp-script-self",
                        "SCRIPT_ALLOWLIST_BYPASS",
                        Ev::MediumMaybe,
                        format!("'self' in {d} is risky if this origin hosts JSONP endpoints, AngularJS or user-uploaded files."),
                        SPEC_SCRIPT_SRC,
                        d,
                    )
                    .with_value(v.clone()),
                );
                continue;
            }
            if v.starts_with('\'') || is_scheme_source(v) || !v.contains('.') {
                continue;
            }
            let angular = bypass::match_listed(v, &ANGULAR);
            let jsonp = bypass::match_listed(v, &JSONP)
                .filter(|u| eval_present || !JSONP_NEEDS_EVAL.contains(&u.host));
            if jsonp.is_some() || angular.is_some() {
                let host = angular.or(jsonp).map_or("", |u| u.host.as_str());
                let what = match (jsonp.is_some(), angular.is_some()) {
                    (true, true) => "JSONP endpoints and Angular libraries",
                    (true, false) => "JSONP endpoints",
                    _ => "Angular libraries",
                };
                out.push(
                    finding(
                        "csp-script-allowlist-bypass",
                        "SCRIPT_ALLOWLIST_BYPASS",
                        Ev::High,
                        format!("{host} is known to host {what} which let an attacker run script despite this policy ({v} in {d})."),
                        SPEC_STRICT_DYNAMIC,
                        d,
                    )
                    .with_value(v.clone())
                    .with_fix("Replace host allowlists with a nonce and 'strict-dynamic'."),
                );
            } else {
                out.push(
                    finding(
                        "csp-script-allowlist",
                        "SCRIPT_ALLOWLIST_BYPASS",
                        Ev::MediumMaybe,
                        format!("No known bypass on {v}, but make sure it serves no JSONP replies, AngularJS or user content; host allowlists are often bypassable."),
                        SPEC_STRICT_DYNAMIC,
                        d,
                    )
                    .with_value(v.clone()),
                );
            }
        }
    }
    out
}

fn flash_object_bypass(p: &PolicyView) -> Vec<Finding> {
    let d = effective_directive(p, "object-src");
    if let Some(types) = p.get("plugin-types")
        && !types.iter().any(|t| t == "application/x-shockwave-flash")
    {
        return Vec::new();
    }
    let vs = values(p, d);
    if vs.iter().any(|v| v == "'none'") {
        return Vec::new();
    }
    let mut out = Vec::new();
    for v in vs {
        if let Some(u) = bypass::match_listed(v, &FLASH) {
            out.push(
                finding(
                    "csp-object-allowlist-bypass",
                    "OBJECT_ALLOWLIST_BYPASS",
                    Ev::High,
                    format!("{} is known to host Flash files which let an attacker run script despite this policy.", u.host),
                    SPEC_OBJECT_SRC,
                    d,
                )
                .with_value(v.clone())
                .with_fix("object-src 'none'"),
            );
        } else if d == "object-src" {
            out.push(
                finding(
                    "csp-object-src-not-none",
                    "OBJECT_ALLOWLIST_BYPASS",
                    Ev::MediumMaybe,
                    format!("object-src allows {v}; plugins are rarely needed, so restrict object-src to 'none' if you can."),
                    SPEC_OBJECT_SRC,
                    d,
                )
                .with_value(v.clone())
                .with_fix("object-src 'none'"),
            );
        }
    }
    out
}

/// CSP Evaluator `looksLikeIpAddress`: `[..]`, or four dot-separated groups of 1-3 digits.
pub(crate) fn looks_like_ip(host: &str) -> bool {
    if host.starts_with('[') && host.ends_with(']') {
        return true;
    }
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4
        && parts
            .iter()
            .all(|p| (1..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit()))
}

fn ip_source(p: &PolicyView) -> Vec<Finding> {
    let mut out = Vec::new();
    for d in &p.directives {
        for v in &d.values {
            let (host, _) = bypass::host_and_path(v);
            if !looks_like_ip(&host) {
                continue;
            }
            let message = if host == "127.0.0.1" {
                format!(
                    "{} allows localhost ({v}); remove it before production.",
                    d.name
                )
            } else {
                format!(
                    "{} lists the IP address {host}; browsers do not match IP addresses against host sources reliably, so it is ignored or fragile.",
                    d.name
                )
            };
            out.push(
                finding(
                    "csp-ip-source",
                    "IP_SOURCE",
                    Ev::Info,
                    message,
                    SPEC_MATCH,
                    &d.name,
                )
                .with_value(v.clone()),
            );
        }
    }
    out
}

fn deprecated_directive(p: &PolicyView) -> Vec<Finding> {
    let table: [(&str, &str); 4] = [
        (
            "reflected-xss",
            "reflected-xss was removed after CSP2 and does nothing; drop it (X-XSS-Protection is obsolete too).",
        ),
        (
            "referrer",
            "referrer was removed after CSP2; use the Referrer-Policy header instead.",
        ),
        (
            "disown-opener",
            "disown-opener was dropped from CSP3; use Cross-Origin-Opener-Policy instead.",
        ),
        (
            "prefetch-src",
            "prefetch-src was removed from CSP3 and is ignored by browsers.",
        ),
    ];
    table
        .iter()
        .filter(|(d, _)| p.has(d))
        .map(|(d, m)| {
            finding(
                "csp-deprecated-directive",
                "DEPRECATED_DIRECTIVE",
                Ev::Info,
                (*m).to_owned(),
                SPEC_DEPRECATED,
                d,
            )
        })
        .collect()
}

fn nonce_length(p: &PolicyView) -> Vec<Finding> {
    let mut out = Vec::new();
    for d in &p.directives {
        for v in &d.values {
            let Some(n) = v.strip_prefix("'nonce-").and_then(|r| r.strip_suffix('\'')) else {
                continue;
            };
            if n.is_empty() {
                continue;
            }
            if n.len() < 8 {
                out.push(
                    finding(
                        "csp-nonce-too-short",
                        "NONCE_LENGTH",
                        Ev::Medium,
                        format!("The nonce in {v} has fewer than 8 characters and can be guessed; use at least 128 random bits (22+ base64 characters), new for every response."),
                        SPEC_NONCE,
                        &d.name,
                    )
                    .with_value(v.clone()),
                );
            }
            if !is_nonce(v) {
                out.push(
                    finding(
                        "csp-nonce-charset",
                        "NONCE_CHARSET",
                        Ev::Info,
                        format!("{v} is not a valid nonce: nonces use only the base64 charset, so browsers ignore this one."),
                        SPEC_NONCE,
                        &d.name,
                    )
                    .with_value(v.clone()),
                );
            }
        }
    }
    out
}

fn src_http(p: &PolicyView) -> Vec<Finding> {
    let mut out = Vec::new();
    for d in &p.directives {
        for v in &d.values {
            if v.get(..7)
                .is_some_and(|s| s.eq_ignore_ascii_case("http://"))
            {
                let message = if d.name == "report-uri" {
                    "Violation reports go over plain HTTP; send them to an https:// endpoint."
                        .to_owned()
                } else {
                    format!(
                        "{v} in {} loads over plain HTTP, where a network attacker can replace it; allow only https:// URLs.",
                        d.name
                    )
                };
                out.push(
                    finding(
                        "csp-http-source",
                        "SRC_HTTP",
                        Ev::Medium,
                        message,
                        SPEC_MATCH,
                        &d.name,
                    )
                    .with_value(v.clone())
                    .with_fix(format!("https://{}", v.get(7..).unwrap_or(""))),
                );
            }
        }
    }
    out
}

fn configured_reporting(p: &PolicyView) -> Vec<Finding> {
    if p.get("report-uri").is_some_and(|v| !v.is_empty()) {
        return Vec::new();
    }
    if p.get("report-to").is_some_and(|v| !v.is_empty()) {
        return vec![finding(
            "csp-report-to-only",
            "REPORT_TO_ONLY",
            Ev::Info,
            "Reports go only to report-to, which not every browser supports; add a report-uri too."
                .to_owned(),
            SPEC_REPORTING,
            "report-to",
        )];
    }
    vec![finding(
        "csp-no-reporting",
        "REPORTING_DESTINATION_MISSING",
        Ev::Info,
        "The policy sends no violation reports (no report-uri or report-to), so breakage and attacks go unnoticed.".to_owned(),
        SPEC_REPORTING,
        "report-uri",
    )]
}

fn unknown_directive(p: &PolicyView) -> Vec<Finding> {
    p.directives
        .iter()
        .filter(|d| !KNOWN_DIRECTIVES.contains(&d.name.as_str()))
        .map(|d| {
            let message = if d.name.ends_with(':') {
                format!(
                    "\"{}\": CSP directive names do not end with a colon.",
                    d.name
                )
            } else {
                format!("\"{}\" is not a CSP directive; browsers ignore it.", d.name)
            };
            finding(
                "csp-unknown-directive",
                "UNKNOWN_DIRECTIVE",
                Ev::Syntax,
                message,
                SPEC_PARSE,
                &d.name,
            )
        })
        .collect()
}

fn missing_semicolon(p: &PolicyView) -> Vec<Finding> {
    let mut out = Vec::new();
    for d in &p.directives {
        for v in &d.values {
            if KNOWN_DIRECTIVES.contains(&v.as_str()) {
                out.push(
                    finding(
                        "csp-missing-semicolon",
                        "MISSING_SEMICOLON",
                        Ev::Syntax,
                        format!("\"{v}\" appears as a source of {}: a semicolon is probably missing before it, so that directive is not in effect.", d.name),
                        SPEC_PARSE,
                        &d.name,
                    )
                    .with_value(v.clone()),
                );
            }
        }
    }
    out
}

fn invalid_keyword(p: &PolicyView) -> Vec<Finding> {
    let mut out = Vec::new();
    for d in &p.directives {
        for v in &d.values {
            let unquoted_keyword = KEYWORDS.iter().any(|k| k.trim_matches('\'') == v);
            if unquoted_keyword
                || v.starts_with("nonce-")
                || v.starts_with("sha256-")
                || v.starts_with("sha384-")
                || v.starts_with("sha512-")
            {
                out.push(
                    finding(
                        "csp-invalid-keyword",
                        "INVALID_KEYWORD",
                        Ev::Syntax,
                        format!("\"{v}\" is missing its single-ticks ('{v}'), so it is read as a host name."),
                        SPEC_GRAMMAR,
                        &d.name,
                    )
                    .with_value(v.clone())
                    .with_fix(format!("'{v}'")),
                );
                continue;
            }
            if !v.starts_with('\'') {
                continue;
            }
            let ok = match d.name.as_str() {
                "require-trusted-types-for" => v == "'script'",
                "trusted-types" => v == "'allow-duplicates'" || v == "'none'",
                _ => KEYWORDS.contains(&v.as_str()) || is_hash(v) || is_nonce(v),
            };
            if !ok {
                out.push(
                    finding(
                        "csp-invalid-keyword",
                        "INVALID_KEYWORD",
                        Ev::Syntax,
                        format!(
                            "{v} is not a valid CSP keyword, nonce or hash; browsers ignore it."
                        ),
                        SPEC_GRAMMAR,
                        &d.name,
                    )
                    .with_value(v.clone()),
                );
            }
        }
    }
    out
}

fn list_script_directive(policies: &[PolicyView]) -> &'static str {
    // CSP Evaluator EnforcedCsps.getEffectiveDirective(script-src): script-src when any policy
    // has it, default-src otherwise.
    if policies.iter().any(|p| p.has("script-src")) {
        "script-src"
    } else if policies.iter().any(|p| p.has("default-src")) {
        "default-src"
    } else {
        "script-src"
    }
}

fn list_has(policies: &[PolicyView], pred: impl Fn(&str) -> bool) -> bool {
    policies.iter().any(|p| {
        let d = effective_directive(p, "script-src");
        values(p, d).iter().any(|v| pred(v))
    })
}

fn strict_dynamic(policies: &[PolicyView]) -> Vec<Finding> {
    let d = list_script_directive(policies);
    policies
        .iter()
        .filter(|p| {
            let vs = values(p, d);
            vs.iter().any(|v| !v.starts_with('\'')) && !vs.iter().any(|v| v == "'strict-dynamic'")
        })
        .map(|_| {
            finding(
                "csp-no-strict-dynamic",
                "STRICT_DYNAMIC",
                Ev::StrictCsp,
                "Host allowlists can often be bypassed; prefer 'strict-dynamic' with nonces or hashes.".to_owned(),
                SPEC_STRICT_DYNAMIC,
                d,
            )
        })
        .collect()
}

/// `'strict-dynamic'` without any nonce or hash blocks every script.
fn strict_dynamic_not_standalone(policies: &[PolicyView]) -> Vec<Finding> {
    let d = list_script_directive(policies);
    let has_nonce_or_hash = list_has(policies, |v| is_nonce(v) || is_hash(v));
    policies
        .iter()
        .filter(|p| values(p, d).iter().any(|v| v == "'strict-dynamic'") && !has_nonce_or_hash)
        .map(|_| {
            finding(
                "csp-strict-dynamic-without-nonce-or-hash",
                "STRICT_DYNAMIC_NOT_STANDALONE",
                Ev::Info,
                "'strict-dynamic' without a nonce or hash blocks every script (hosts and 'self' are ignored next to it).".to_owned(),
                SPEC_STRICT_DYNAMIC,
                d,
            )
            .with_fix("Add a per-response 'nonce-…' (or hashes of the inline scripts) next to 'strict-dynamic'.")
        })
        .collect()
}

fn unsafe_inline_fallback(policies: &[PolicyView]) -> Vec<Finding> {
    if !list_has(policies, |v| is_nonce(v) || is_hash(v)) {
        return Vec::new();
    }
    let d = list_script_directive(policies);
    policies
        .iter()
        .filter(|p| !values(p, d).iter().any(|v| v == "'unsafe-inline'"))
        .map(|_| {
            finding(
                "csp-no-unsafe-inline-fallback",
                "UNSAFE_INLINE_FALLBACK",
                Ev::StrictCsp,
                "Add 'unsafe-inline' as a fallback for browsers without nonce/hash support; browsers that support them ignore it.".to_owned(),
                SPEC_STRICT_DYNAMIC,
                d,
            )
        })
        .collect()
}

fn allowlist_fallback(policies: &[PolicyView]) -> Vec<Finding> {
    let d = list_script_directive(policies);
    let mut out = Vec::new();
    for p in policies {
        let vs = values(p, d);
        if !vs.iter().any(|v| v == "'strict-dynamic'") {
            return Vec::new();
        }
        if !vs
            .iter()
            .any(|v| v == "http:" || v == "https:" || v == "*" || v.contains('.'))
        {
            out.push(finding(
                "csp-no-allowlist-fallback",
                "ALLOWLIST_FALLBACK",
                Ev::StrictCsp,
                "Add https: (and http:) as a fallback for browsers without 'strict-dynamic'; browsers that support it ignore them.".to_owned(),
                SPEC_STRICT_DYNAMIC,
                d,
            ));
        }
    }
    out
}

fn requires_trusted_types(policies: &[PolicyView]) -> Vec<Finding> {
    if policies.iter().any(|p| {
        p.get("require-trusted-types-for")
            .is_some_and(|v| v.iter().any(|x| x == "'script'"))
    }) {
        return Vec::new();
    }
    vec![
        finding(
            "csp-no-trusted-types",
            "REQUIRE_TRUSTED_TYPES_FOR_SCRIPTS",
            Ev::Info,
            "Consider require-trusted-types-for 'script' to lock down DOM XSS sinks.".to_owned(),
            SPEC_TRUSTED_TYPES,
            "require-trusted-types-for",
        )
        .with_fix("require-trusted-types-for 'script'"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csp::model::{Disposition, single_policy};

    fn ids_and_values(
        f: fn(&PolicyView) -> Vec<Finding>,
        policy: &str,
    ) -> Vec<(&'static str, String)> {
        let p = single_policy(policy, Disposition::Enforce).unwrap();
        f(&p)
            .into_iter()
            .map(|x| (x.id, x.value.unwrap_or_default()))
            .collect()
    }

    #[test]
    fn object_src_wildcard_is_not_a_flash_bypass() {
        // A bare '*' is reported by the wildcard check; the Flash check asks for 'none' only.
        assert_eq!(
            ids_and_values(flash_object_bypass, "object-src *"),
            vec![("csp-object-src-not-none", "*".to_owned())]
        );
        assert!(
            ids_and_values(flash_object_bypass, "default-src * chrome-extension://*").is_empty()
        );
    }

    #[test]
    fn scheme_wildcard_script_source_is_no_known_bypass() {
        assert_eq!(
            ids_and_values(script_allowlist_bypass, "script-src no.bankid.app://*"),
            vec![("csp-script-allowlist", "no.bankid.app://*".to_owned())]
        );
    }

    #[test]
    fn listed_flash_host_is_an_object_bypass() {
        assert_eq!(
            ids_and_values(flash_object_bypass, "object-src https://vk.com"),
            vec![("csp-object-allowlist-bypass", "https://vk.com".to_owned())]
        );
    }

    #[test]
    fn ip_heuristic_matches_evaluator() {
        assert!(looks_like_ip("8.8.8.8"));
        assert!(looks_like_ip("[::1]"));
        assert!(!looks_like_ip("not.an.ip"));
    }

    #[test]
    fn strict_nonce_and_hash_patterns() {
        assert!(is_nonce("'nonce-as+df/A0234SDF=='"));
        assert!(is_nonce("'nonce-as_dfASDF='"));
        assert!(!is_nonce("'nonce-asdfASDF==='"));
        assert!(!is_nonce("'sha256-asdfASDF='"));
        assert!(is_hash("'sha256-as+d/f/ASD0+4F=='"));
        assert!(!is_hash("'sha256-asdfASDF==='"));
        assert!(!is_hash("'sha777-asdfASDF='"));
        assert!(!is_hash("example.com"));
    }
}
