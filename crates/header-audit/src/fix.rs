//! The corrected header set for an audited response.

use http::{HeaderMap, HeaderName, HeaderValue};

use crate::context::{Context, ResponseKind};
use crate::csp::evaluator::{KNOWN_DIRECTIVES, is_hash, is_nonce};
use crate::csp::model::{DirectiveView, Disposition, PolicyView, is_scheme_source};
use crate::parsed;

/// The policy sent when a document has none: restrictive, no inline script, no plugins.
pub(crate) const DEFAULT_CSP: &str = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; upgrade-insecure-requests";
/// The API preset: nothing may load, nothing may frame.
pub(crate) const API_CSP: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
/// Powerful features off for the page and every frame.
pub(crate) const PERMISSIONS_POLICY: &str =
    "camera=(), microphone=(), geolocation=(), payment=(), usb=()";

/// The corrected headers, and what still needs a person to decide.
///
/// ```
/// use header_audit::{audit, Context};
/// let mut h = http::HeaderMap::new();
/// h.insert("content-security-policy", "script-src 'unsafe-inline' *".parse().unwrap());
/// let fixed = audit(&h, &Context::default()).fixed_headers();
/// let again = audit(&fixed.headers, &Context::default());
/// assert_eq!(again.grade, "A+");
/// ```
#[derive(Debug, Clone)]
pub struct FixedHeaders {
    /// The full corrected header map (other headers of the response are kept as they were).
    pub headers: HeaderMap,
    /// Decisions the fix could not make (for example which script hosts to keep), in words.
    pub needs_decision: Vec<String>,
}

fn set(headers: &mut HeaderMap, notes: &mut Vec<String>, name: &'static str, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        put(headers, notes, &HeaderName::from_static(name), v);
    }
}

/// `insert` that cannot panic: a map already holding as many names as `http` allows (a
/// hostile response can) gets a note instead of the header.
fn put(headers: &mut HeaderMap, notes: &mut Vec<String>, name: &HeaderName, value: HeaderValue) {
    if headers.try_insert(name, value).is_err() {
        notes.push(full_note(name));
    }
}

/// `append` that cannot panic, as [`put`].
fn add(headers: &mut HeaderMap, notes: &mut Vec<String>, name: &HeaderName, value: HeaderValue) {
    if headers.try_append(name, value).is_err() {
        notes.push(full_note(name));
    }
}

fn full_note(name: &HeaderName) -> String {
    format!(
        "{name} could not be added: the response holds more header names than a header map can."
    )
}

/// Removes what makes a script list unsafe and keeps what can stay.
fn clean_sources(name: &str, values: &[String], notes: &mut Vec<String>) -> Vec<String> {
    let scriptish = matches!(
        name,
        "script-src"
            | "script-src-elem"
            | "script-src-attr"
            | "default-src"
            | "object-src"
            | "base-uri"
    );
    let mut out = Vec::new();
    for v in values {
        let lower = v.to_ascii_lowercase();
        let keep = match lower.as_str() {
            "'unsafe-inline'" | "'unsafe-eval'" | "'unsafe-hashes'" | "*" | "http:" | "https:"
            | "ftp:" | "http://*" | "https://*" => false,
            "data:" | "blob:" | "filesystem:" => !scriptish && !name.starts_with("style-src"),
            _ if lower.starts_with("ftp:") => false,
            _ if v.starts_with('\'') => {
                crate::csp::evaluator::KEYWORDS.contains(&lower.as_str())
                    || is_nonce(v)
                    || is_hash(v)
            }
            _ => {
                !is_scheme_source(v)
                    || name == "img-src"
                    || name == "media-src"
                    || name == "font-src"
                    || name == "connect-src"
            }
        };
        if !keep {
            continue;
        }
        if lower.starts_with("http://") {
            out.push(format!("https://{}", v.get(7..).unwrap_or("")));
        } else {
            out.push(v.clone());
        }
    }
    if name.starts_with("script-src") || name == "default-src" {
        let hosts: Vec<&String> = out.iter().filter(|v| !v.starts_with('\'')).collect();
        if !hosts.is_empty() && !out.iter().any(|v| v == "'strict-dynamic'") {
            notes.push(format!(
                "{name} keeps the host allowlist {}: confirm each host serves no JSONP, AngularJS or user content, or replace the list with a per-response nonce and 'strict-dynamic'.",
                hosts.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" ")
            ));
        }
        if values.iter().any(|v| v == "'unsafe-inline'")
            && !out.iter().any(|v| is_nonce(v) || is_hash(v))
        {
            notes.push(format!("'unsafe-inline' was removed from {name}: inline scripts now need a nonce or a hash (or to move into files)."));
        }
    }
    if name.starts_with("style-src")
        && values.iter().any(|v| v == "'unsafe-inline'")
        && !out.iter().any(|v| is_nonce(v) || is_hash(v))
    {
        notes.push(format!("'unsafe-inline' was removed from {name}: inline styles need a nonce or hashes, or moving into stylesheets."));
    }
    out.dedup();
    out
}

/// A safe version of a policy: unsafe sources removed, object-src/base-uri/form-action/
/// frame-ancestors set.
pub(crate) fn fix_policy(policy: &PolicyView, frame: &str, notes: &mut Vec<String>) -> String {
    let mut fixed = PolicyView {
        disposition: Disposition::Enforce,
        directives: Vec::new(),
        duplicates: Vec::new(),
        dropped_bad_bytes: Vec::new(),
        meta_ignored: Vec::new(),
    };
    for d in &policy.directives {
        if !KNOWN_DIRECTIVES.contains(&d.name.as_str())
            || matches!(
                d.name.as_str(),
                "reflected-xss"
                    | "referrer"
                    | "disown-opener"
                    | "prefetch-src"
                    | "plugin-types"
                    | "navigate-to"
                    | "require-sri-for"
                    | "block-all-mixed-content"
            )
        {
            continue;
        }
        let values = match d.name.as_str() {
            // Plugins are almost never needed; 'none' is the only safe object-src.
            "object-src" => vec!["'none'".to_owned()],
            "frame-ancestors" => {
                if d.values
                    .iter()
                    .any(|v| matches!(v.as_str(), "*" | "http:" | "https:"))
                {
                    vec![frame.to_owned()]
                } else {
                    d.values
                        .iter()
                        .map(|v| v.replace("http://", "https://"))
                        .collect()
                }
            }
            "form-action"
            | "report-uri"
            | "report-to"
            | "sandbox"
            | "upgrade-insecure-requests"
            | "trusted-types"
            | "require-trusted-types-for"
            | "webrtc" => d
                .values
                .iter()
                .filter(|v| !matches!(v.as_str(), "*" | "http:" | "https:"))
                .map(|v| v.replace("http://", "https://"))
                .collect(),
            name => clean_sources(name, &d.values, notes),
        };
        let values = if values.is_empty()
            && !matches!(d.name.as_str(), "upgrade-insecure-requests" | "sandbox")
        {
            if d.name == "object-src" {
                vec!["'none'".to_owned()]
            } else {
                vec!["'self'".to_owned()]
            }
        } else {
            values
        };
        fixed.directives.push(DirectiveView {
            name: d.name.clone(),
            values,
        });
    }
    let mut ensure = |name: &str, value: &str| {
        if !fixed.has(name) {
            fixed.directives.push(DirectiveView {
                name: name.to_owned(),
                values: vec![value.to_owned()],
            });
        }
    };
    ensure("default-src", "'self'");
    if !policy.has("script-src") && !policy.has("default-src") {
        ensure("script-src", "'self'");
    }
    ensure("object-src", "'none'");
    ensure("base-uri", "'self'");
    ensure("form-action", "'self'");
    ensure("frame-ancestors", frame);
    if let Some(fa) = fixed.get_mut("form-action")
        && fa.iter().any(|v| v == "*")
    {
        *fa = vec!["'self'".to_owned()];
    }
    if !policy.has("report-uri") && !policy.has("report-to") {
        notes.push("The policy sends no violation reports: choose a collector and add report-uri / report-to.".to_owned());
    }
    fixed.serialize()
}

/// Builds the fixed header set.
pub(crate) fn fixed_headers(
    original: &HeaderMap,
    ctx: &Context,
    enforced: &[PolicyView],
    report_only: &[PolicyView],
) -> FixedHeaders {
    let mut headers = original.clone();
    let mut notes = Vec::new();
    let document = ctx.kind == ResponseKind::HtmlDocument;

    // X-Frame-Options decides what frame-ancestors should say when the policy has none.
    let xfo = parsed::get_decode_split(original, "x-frame-options");
    let same_origin_framing = xfo.len() == 1
        && xfo
            .first()
            .is_some_and(|v| v.eq_ignore_ascii_case("sameorigin"));
    let frame = if same_origin_framing {
        "'self'"
    } else {
        "'none'"
    };

    // CSP: fix every enforced policy; with none, promote the report-only one, or use the preset.
    let csp_values: Vec<String> = if !enforced.is_empty() {
        enforced
            .iter()
            .map(|p| fix_policy(p, frame, &mut notes))
            .collect()
    } else if let Some(ro) = report_only.first() {
        notes.push("The report-only policy is now enforced: check its reports first.".to_owned());
        vec![fix_policy(ro, frame, &mut notes)]
    } else if document {
        notes.push("A default policy was added (scripts from this origin only): list the origins your pages load from, or switch to nonces.".to_owned());
        vec![DEFAULT_CSP.to_owned()]
    } else {
        vec![API_CSP.to_owned()]
    };
    headers.remove("content-security-policy");
    for v in &csp_values {
        // Serialized by csp-builder, so the value is a valid, canonical policy.
        if let Some(policy) = csp_builder::Policy::parse(v).value {
            add(
                &mut headers,
                &mut notes,
                &csp_builder::CONTENT_SECURITY_POLICY,
                policy.to_header_value(),
            );
        }
    }
    if enforced.is_empty() {
        headers.remove("content-security-policy-report-only");
    }

    if ctx.https {
        put(
            &mut headers,
            &mut notes,
            &hsts::NAME,
            hsts::Hsts::preload_recommended().to_header_value(),
        );
        notes.push("HSTS with preload: make sure every subdomain serves HTTPS before submitting to hstspreload.org.".to_owned());
    } else {
        headers.remove("strict-transport-security");
        notes.push("The response came over HTTP: serve it over HTTPS and redirect; HSTS is then added (max-age=63072000; includeSubDomains; preload). Until then the grade cannot reach A+.".to_owned());
    }
    put(
        &mut headers,
        &mut notes,
        &nosniff::NAME,
        nosniff::NoSniff.to_header_value(),
    );
    set(
        &mut headers,
        &mut notes,
        "x-frame-options",
        if same_origin_framing {
            "SAMEORIGIN"
        } else {
            "DENY"
        },
    );
    match parsed::referrer_policy(original) {
        Some(Some(p))
            if matches!(
                p.as_str(),
                "no-referrer" | "same-origin" | "strict-origin" | "strict-origin-when-cross-origin"
            ) => {}
        _ => {
            put(
                &mut headers,
                &mut notes,
                &secure_headers::referrer_policy::NAME,
                secure_headers::ReferrerPolicy::StrictOriginWhenCrossOrigin.to_header_value(),
            );
        }
    }
    if document {
        let pp = parsed::lines(original, "permissions-policy");
        if pp.is_empty() || pp.iter().any(|l| l.contains("=*")) {
            set(
                &mut headers,
                &mut notes,
                "permissions-policy",
                PERMISSIONS_POLICY,
            );
        }
        let coop = parsed::lines(original, "cross-origin-opener-policy");
        if !coop
            .first()
            .is_some_and(|v| v.trim().to_ascii_lowercase().starts_with("same-origin"))
        {
            put(
                &mut headers,
                &mut notes,
                &HeaderName::from_static("cross-origin-opener-policy"),
                secure_headers::CrossOriginOpenerPolicy::same_origin().to_header_value(),
            );
        }
    }
    let corp = parsed::lines(original, "cross-origin-resource-policy");
    if !corp.first().is_some_and(|v| {
        matches!(
            v.trim().to_ascii_lowercase().as_str(),
            "same-origin" | "same-site"
        )
    }) {
        if corp
            .first()
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("cross-origin"))
        {
            notes.push("Cross-Origin-Resource-Policy was cross-origin: set to same-origin; keep cross-origin only for resources other sites must embed.".to_owned());
        }
        put(
            &mut headers,
            &mut notes,
            &secure_headers::CrossOriginResourcePolicy::NAME,
            secure_headers::CrossOriginResourcePolicy::SameOrigin.to_header_value(),
        );
    }
    let coep = parsed::lines(original, "cross-origin-embedder-policy");
    if coep.first().is_some_and(|v| {
        !matches!(
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
                .as_str(),
            "require-corp" | "credentialless" | "unsafe-none"
        )
    }) {
        headers.remove("cross-origin-embedder-policy");
    }

    // CORS: a credentialed wildcard, null or reflected origin is removed.
    let acao = parsed::lines(original, "access-control-allow-origin");
    let credentials = parsed::lines(original, "access-control-allow-credentials")
        .first()
        .is_some_and(|v| v.trim() == "true");
    let reflected = ctx.request_origin.as_deref().is_some_and(|o| {
        acao.first()
            .is_some_and(|a| a.trim().eq_ignore_ascii_case(o))
    });
    if acao.len() > 1
        || acao
            .first()
            .is_some_and(|a| a.trim().eq_ignore_ascii_case("null"))
        || (credentials && reflected)
    {
        headers.remove("access-control-allow-origin");
        headers.remove("access-control-allow-credentials");
        notes.push("CORS headers were removed: decide which origins may read this response with credentials and allow only those.".to_owned());
    }

    // Cookies: Secure everywhere, HttpOnly on session cookies, SameSite=Lax when unset.
    let cookies: Vec<String> = parsed::lines(original, "set-cookie")
        .iter()
        .map(|l| (*l).to_owned())
        .collect();
    if !cookies.is_empty() {
        headers.remove("set-cookie");
        for line in &cookies {
            let Some(fixed) = fix_cookie(line) else {
                notes.push(format!(
                    "A Set-Cookie line browsers ignore was dropped: {line}"
                ));
                continue;
            };
            if let Ok(v) = HeaderValue::from_str(&fixed) {
                add(
                    &mut headers,
                    &mut notes,
                    &HeaderName::from_static("set-cookie"),
                    v,
                );
            }
        }
        notes.push("Cookies were given Secure, SameSite=Lax and (session cookies) HttpOnly: check that no script needs to read them and no cross-site flow needs SameSite=None.".to_owned());
    }

    for h in ["public-key-pins", "public-key-pins-report-only"] {
        headers.remove(h);
    }
    secure_headers::LeakyHeaders::default().remove_from(&mut headers);
    put(
        &mut headers,
        &mut notes,
        &secure_headers::XXssProtection::NAME,
        secure_headers::XXssProtection::Disabled.to_header_value(),
    );
    FixedHeaders {
        headers,
        needs_decision: notes,
    }
}

fn fix_cookie(line: &str) -> Option<String> {
    let c = parsed::cookie(line)?;
    let mut parts: Vec<String> = line
        .split(';')
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect();
    let lower_name = c.name.to_ascii_lowercase();
    let session = cookie_attrs::is_sensitive_name(&c.name)
        && !lower_name.contains("csrf")
        && !lower_name.contains("xsrf");
    let attr_is = |p: &str, n: &str| {
        p.split('=')
            .next()
            .is_some_and(|k| k.trim().eq_ignore_ascii_case(n))
    };
    // drop attributes that are rewritten below
    let first = parts.first().cloned().unwrap_or_default();
    parts.retain(|p| !(attr_is(p, "samesite") && c.same_site.is_none()));
    if lower_name.starts_with("__host-") {
        parts.retain(|p| !attr_is(p, "domain") && !attr_is(p, "path"));
    }
    if parts.first() != Some(&first) {
        parts.insert(0, first);
    }
    if lower_name.starts_with("__host-") {
        parts.push("Path=/".to_owned());
    }
    if !c.secure {
        parts.push("Secure".to_owned());
    }
    if session && !c.http_only {
        parts.push("HttpOnly".to_owned());
    }
    if c.same_site.is_none() {
        parts.push("SameSite=Lax".to_owned());
    }
    if c.max_age.is_some_and(|a| a > 34_560_000) {
        parts.retain(|p| !attr_is(p, "max-age"));
        parts.push("Max-Age=34560000".to_owned());
    }
    Some(parts.join("; "))
}
