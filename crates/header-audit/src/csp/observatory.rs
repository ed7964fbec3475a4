//! Mozilla Observatory's CSP test, computed on browser-parsed policies (see SCORING.md for where
//! the result differs from Observatory's own, stricter, parser).

use serde::Serialize;

use super::evaluator::{is_hash, is_nonce};
use super::model::PolicyView;

/// Observatory's `policy` analysis of the enforced CSP.
///
/// ```
/// use header_audit::{audit, Context};
/// let mut h = http::HeaderMap::new();
/// h.insert("content-security-policy", "default-src 'none'; frame-ancestors 'none'".parse().unwrap());
/// let report = audit(&h, &Context::default());
/// let policy = report.csp_policy.unwrap();
/// assert!(policy.anti_clickjacking);
/// assert!(policy.default_none);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
#[allow(clippy::struct_excessive_bools)]
pub struct ObservatoryCspPolicy {
    /// `frame-ancestors` restricts framing (not `*`, `http:` or `https:`).
    pub anti_clickjacking: bool,
    /// `default-src 'none'` (or an empty `default-src`).
    pub default_none: bool,
    /// `base-uri` is missing or allows any host.
    pub insecure_base_uri: bool,
    /// `form-action` is missing or allows any host.
    pub insecure_form_action: bool,
    /// Active content (scripts, styles, frames, …) may load over `http:` or `ftp:`.
    pub insecure_scheme_active: bool,
    /// Images or media may load over `http:` or `ftp:`.
    pub insecure_scheme_passive: bool,
    /// `script-src` uses `'strict-dynamic'` with a nonce or hash.
    pub strict_dynamic: bool,
    /// Scripts may use `eval()`.
    pub unsafe_eval: bool,
    /// Inline scripts run, or scripts may come from anywhere.
    pub unsafe_inline: bool,
    /// Inline styles apply, or styles may come from anywhere.
    pub unsafe_inline_style: bool,
    /// Plugins may load from anywhere.
    pub unsafe_objects: bool,
}

const DANGEROUSLY_BROAD: &[&str] = &[
    "ftp:",
    "http:",
    "https:",
    "*",
    "http://*",
    "http://*.*",
    "https://*",
    "https://*.*",
];
const UNSAFE_INLINE: &[&str] = &["'unsafe-inline'", "data:"];
const PASSIVE_DIRECTIVES: &[&str] = &["img-src", "media-src"];

fn list_or<'a>(p: &'a PolicyView, names: &[&str]) -> Option<&'a [String]> {
    names.iter().find_map(|n| p.get(n))
}

fn insecure(v: &str) -> bool {
    let l = v.to_ascii_lowercase();
    l.starts_with("http:") || l.starts_with("ftp:")
}

/// One policy's flags.
fn analyze_one(p: &PolicyView) -> ObservatoryCspPolicy {
    let star = ["*".to_owned()];
    let base_uri = p.get("base-uri").unwrap_or(&star);
    let frame_ancestors = p.get("frame-ancestors").unwrap_or(&star);
    let form_action = p.get("form-action").unwrap_or(&star);
    let object_src = list_or(p, &["object-src", "default-src"]).unwrap_or(&star);
    let mut script_src: Vec<String> = list_or(p, &["script-src", "default-src"])
        .unwrap_or(&star)
        .to_vec();
    let mut style_src: Vec<String> = list_or(p, &["style-src", "default-src"])
        .unwrap_or(&star)
        .to_vec();
    // CSP3 §6.7.3.3: 'unsafe-inline' is ignored next to a (valid) nonce or hash.
    for list in [&mut script_src, &mut style_src] {
        if list.iter().any(|v| is_nonce(v) || is_hash(v)) {
            list.retain(|v| v != "'unsafe-inline'");
        }
    }
    // CSP3 §8.2: with 'strict-dynamic' (and something that can admit a script), host and scheme
    // sources and 'self' are ignored.
    let strict_dynamic = script_src.iter().any(|v| v == "'strict-dynamic'")
        && script_src.iter().any(|v| is_nonce(v) || is_hash(v));
    if strict_dynamic {
        script_src.retain(|v| v.starts_with('\'') && v != "'self'");
    }
    let broad = |v: &String| DANGEROUSLY_BROAD.contains(&v.as_str());
    let broad_or_inline =
        |v: &String| DANGEROUSLY_BROAD.contains(&v.as_str()) || UNSAFE_INLINE.contains(&v.as_str());

    let active = p
        .directives
        .iter()
        .filter(|d| !PASSIVE_DIRECTIVES.contains(&d.name.as_str()) && d.name != "script-src")
        .flat_map(|d| d.values.iter())
        .chain(script_src.iter());
    let passive = PASSIVE_DIRECTIVES
        .iter()
        .filter_map(|d| list_or(p, &[d, "default-src"]))
        .flat_map(|l| l.iter());
    let default_none = p.get("default-src").is_some_and(|v| {
        v.is_empty() || (v.len() == 1 && v.first().is_some_and(|x| x == "'none'"))
    });

    ObservatoryCspPolicy {
        anti_clickjacking: !frame_ancestors.iter().any(broad),
        default_none,
        insecure_base_uri: base_uri.iter().any(broad),
        insecure_form_action: form_action.iter().any(broad),
        insecure_scheme_active: active.into_iter().any(|v| insecure(v)),
        insecure_scheme_passive: passive.into_iter().any(|v| insecure(v)),
        strict_dynamic,
        unsafe_eval: script_src.iter().any(|v| v == "'unsafe-eval'"),
        unsafe_inline: script_src.iter().any(broad_or_inline),
        unsafe_inline_style: style_src.iter().any(broad_or_inline),
        unsafe_objects: object_src.iter().any(broad),
    }
}

/// Flags for an enforced policy list: a weakness counts only when every policy has it (each
/// policy is enforced, so one strict policy closes the hole); a protection counts when any
/// policy gives it.
pub(crate) fn analyze(policies: &[PolicyView]) -> ObservatoryCspPolicy {
    let each: Vec<ObservatoryCspPolicy> = policies.iter().map(analyze_one).collect();
    let all = |f: fn(&ObservatoryCspPolicy) -> bool| !each.is_empty() && each.iter().all(f);
    let any = |f: fn(&ObservatoryCspPolicy) -> bool| each.iter().any(f);
    ObservatoryCspPolicy {
        anti_clickjacking: any(|p| p.anti_clickjacking),
        default_none: any(|p| p.default_none),
        insecure_base_uri: all(|p| p.insecure_base_uri),
        insecure_form_action: all(|p| p.insecure_form_action),
        insecure_scheme_active: all(|p| p.insecure_scheme_active),
        insecure_scheme_passive: all(|p| p.insecure_scheme_passive),
        strict_dynamic: any(|p| p.strict_dynamic),
        unsafe_eval: all(|p| p.unsafe_eval),
        unsafe_inline: all(|p| p.unsafe_inline),
        unsafe_inline_style: all(|p| p.unsafe_inline_style),
        unsafe_objects: all(|p| p.unsafe_objects),
    }
}

/// Observatory's result name for the flags.
pub(crate) const fn result(p: &ObservatoryCspPolicy) -> &'static str {
    if p.unsafe_inline || p.unsafe_objects {
        "csp-implemented-with-unsafe-inline"
    } else if p.insecure_scheme_active {
        "csp-implemented-with-insecure-scheme"
    } else if p.unsafe_eval {
        "csp-implemented-with-unsafe-eval"
    } else if p.insecure_scheme_passive {
        "csp-implemented-with-insecure-scheme-in-passive-content-only"
    } else if p.unsafe_inline_style {
        "csp-implemented-with-unsafe-inline-in-style-src-only"
    } else if p.default_none {
        "csp-implemented-with-no-unsafe-default-src-none"
    } else {
        "csp-implemented-with-no-unsafe"
    }
}
