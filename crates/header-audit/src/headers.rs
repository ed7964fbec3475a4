//! Checks of every header other than CSP.

use http::HeaderMap;

use crate::context::{Context, ResponseKind};
use crate::finding::{Finding, Severity};
use crate::parsed;
use crate::scoring::{TestResult, modifier};

fn test(test: &'static str, result: &'static str) -> TestResult {
    TestResult {
        test,
        result,
        modifier: modifier(result),
    }
}

/// The collected output of the non-CSP checks.
pub(crate) struct Output {
    pub(crate) findings: Vec<Finding>,
    pub(crate) tests: Vec<TestResult>,
}

const SPEC_HSTS: &str = "https://www.rfc-editor.org/rfc/rfc6797#section-6.1";
const SPEC_HSTS_HTTP: &str = "https://www.rfc-editor.org/rfc/rfc6797#section-8.1";
const SPEC_PRELOAD: &str = "https://hstspreload.org/#submission-requirements";
const SPEC_XFO: &str =
    "https://html.spec.whatwg.org/multipage/document-lifecycle.html#the-x-frame-options-header";
const SPEC_XCTO: &str = "https://fetch.spec.whatwg.org/#x-content-type-options-header";
const SPEC_REFERRER: &str = "https://w3c.github.io/webappsec-referrer-policy/#referrer-policies";
const SPEC_PERMISSIONS: &str =
    "https://w3c.github.io/webappsec-permissions-policy/#permissions-policy-http-header-field";
const SPEC_COOP: &str =
    "https://html.spec.whatwg.org/multipage/browsers.html#cross-origin-opener-policies";
const SPEC_COEP: &str = "https://html.spec.whatwg.org/multipage/browsers.html#coep";
const SPEC_CORP: &str = "https://fetch.spec.whatwg.org/#cross-origin-resource-policy-header";
const SPEC_CORS: &str = "https://fetch.spec.whatwg.org/#http-cors-protocol";
const SPEC_COOKIE: &str =
    "https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis#section-4.1.2";
const SPEC_COOKIE_PREFIX: &str =
    "https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis#section-4.1.3";
const SPEC_CHIPS: &str =
    "https://datatracker.ietf.org/doc/html/draft-cutler-httpbis-partitioned-cookies";
const SPEC_HPKP: &str = "https://www.rfc-editor.org/rfc/rfc7469";
const SPEC_XXSS: &str = "https://developer.mozilla.org/docs/Web/HTTP/Headers/X-XSS-Protection";
const SPEC_LEAKY: &str = "https://www.rfc-editor.org/rfc/rfc9110#section-10.2.4";

/// Six months, Observatory's threshold.
const SIX_MONTHS: u64 = 15_768_000;
/// One year, hstspreload.org's minimum.
const ONE_YEAR: u64 = 31_536_000;
pub(crate) const HSTS_FIX: &str = "max-age=63072000; includeSubDomains; preload";

pub(crate) fn run(headers: &HeaderMap, ctx: &Context, frame_ancestors: bool) -> Output {
    let mut out = Output {
        findings: Vec::new(),
        tests: Vec::new(),
    };
    let hsts_ok = hsts(headers, ctx, &mut out);
    framing(headers, ctx, frame_ancestors, &mut out);
    nosniff(headers, &mut out);
    referrer(headers, &mut out);
    permissions(headers, ctx, &mut out);
    cross_origin(headers, ctx, &mut out);
    cors(headers, ctx, &mut out);
    cookies(headers, ctx, hsts_ok, &mut out);
    hpkp(headers, &mut out);
    xxss(headers, &mut out);
    leaky(headers, &mut out);
    out
}

/// Returns whether a valid HSTS policy protects the host (for the cookie test).
fn hsts(headers: &HeaderMap, ctx: &Context, out: &mut Output) -> bool {
    let h = "strict-transport-security";
    let lines = parsed::lines(headers, h);
    if !ctx.https {
        if !lines.is_empty() {
            out.findings.push(Finding::new(
                "hsts-over-http",
                Severity::Info,
                h,
                "Strict-Transport-Security received over plain HTTP is ignored by browsers; send it on the HTTPS responses and redirect HTTP to HTTPS.",
                SPEC_HSTS_HTTP,
            ));
        }
        out.findings.push(Finding::new(
            "hsts-no-https",
            Severity::High,
            h,
            "The response came over plain HTTP: HSTS (and every other protection) needs HTTPS first.",
            SPEC_HSTS_HTTP,
        ).with_fix("Serve the site over HTTPS, redirect HTTP to it, then send Strict-Transport-Security: max-age=63072000; includeSubDomains; preload"));
        out.tests.push(test(
            "strict-transport-security",
            "hsts-not-implemented-no-https",
        ));
        return false;
    }
    // RFC 6797 §8.1: "If a UA receives more than one STS header field in an HTTP response
    // message over secure transport, then the UA MUST process only the first such header field."
    let Some(first) = lines.first() else {
        out.findings.push(
            Finding::new("hsts-missing", Severity::High, h, "No Strict-Transport-Security: the first visit and every typed http:// link can be downgraded to plain HTTP.", SPEC_HSTS)
                .with_fix(HSTS_FIX),
        );
        out.tests
            .push(test("strict-transport-security", "hsts-not-implemented"));
        return false;
    };
    if lines.len() > 1 {
        out.findings.push(Finding::new(
            "hsts-multiple-headers",
            Severity::Low,
            h,
            "More than one Strict-Transport-Security header: browsers use only the first.",
            SPEC_HSTS_HTTP,
        ));
    }
    match parsed::hsts(first) {
        Err(why) => {
            out.findings.push(
                Finding::new(
                    "hsts-invalid",
                    Severity::High,
                    h,
                    format!("Strict-Transport-Security is ignored by browsers: {why}."),
                    SPEC_HSTS,
                )
                .with_value(*first)
                .with_fix(HSTS_FIX),
            );
            out.tests
                .push(test("strict-transport-security", "hsts-header-invalid"));
            false
        }
        Ok(f) => {
            if f.max_age == 0 {
                out.findings.push(
                    Finding::new(
                        "hsts-max-age-zero",
                        Severity::High,
                        h,
                        "max-age=0 tells browsers to forget HSTS for this host.",
                        SPEC_HSTS,
                    )
                    .with_directive("max-age")
                    .with_fix(HSTS_FIX),
                );
            } else if f.max_age < SIX_MONTHS {
                out.findings.push(
                    Finding::new(
                        "hsts-max-age-too-short",
                        Severity::Medium,
                        h,
                        format!(
                            "max-age={} is under six months; protection lapses between visits.",
                            f.max_age
                        ),
                        SPEC_HSTS,
                    )
                    .with_directive("max-age")
                    .with_fix(HSTS_FIX),
                );
            }
            if f.preload && (f.max_age < ONE_YEAR || !f.include_subdomains) {
                out.findings.push(
                    Finding::new("hsts-preload-ineligible", Severity::Low, h, "preload is set, but the preload list requires max-age of at least 31536000 and includeSubDomains.", SPEC_PRELOAD)
                        .with_directive("preload")
                        .with_fix(HSTS_FIX),
                );
            } else if !f.preload && f.max_age >= ONE_YEAR && f.include_subdomains {
                out.findings.push(
                    Finding::new("hsts-preload-ready", Severity::Info, h, "The policy meets the preload list's requirements; add preload and submit the domain to hstspreload.org to protect first visits.", SPEC_PRELOAD)
                        .with_fix(HSTS_FIX),
                );
            } else if !f.include_subdomains {
                out.findings.push(
                    Finding::new("hsts-no-include-subdomains", Severity::Low, h, "Without includeSubDomains, subdomains (and cookies scoped to them) can still be reached over HTTP.", SPEC_HSTS)
                        .with_directive("includeSubDomains")
                        .with_fix(HSTS_FIX),
                );
            }
            let result = if f.max_age >= SIX_MONTHS {
                "hsts-implemented-max-age-at-least-six-months"
            } else {
                "hsts-implemented-max-age-less-than-six-months"
            };
            out.tests.push(test("strict-transport-security", result));
            f.max_age > 0
        }
    }
}

fn framing(headers: &HeaderMap, ctx: &Context, frame_ancestors: bool, out: &mut Output) {
    use frame_options::{Disposition, FrameOptionsDiagnostic as D};
    let h = "x-frame-options";
    // HTML "check a navigation response's adherence to X-Frame-Options" (frame-options crate).
    let report = frame_options::process_headers(headers);
    let values = parsed::get_decode_split(headers, h);
    let allow_from = report
        .diagnostics()
        .iter()
        .any(|d| matches!(d, D::ObsoleteAllowFrom { .. }));
    let conflicting = report
        .diagnostics()
        .iter()
        .any(|d| matches!(d, D::ConflictingValues));
    let restricts = matches!(
        report.disposition(),
        Disposition::Deny | Disposition::SameOrigin
    );
    let result = if frame_ancestors {
        "x-frame-options-implemented-via-csp"
    } else if !report.is_present() {
        "x-frame-options-not-implemented"
    } else if allow_from && values.len() == 1 {
        "x-frame-options-allow-from-origin"
    } else if restricts {
        "x-frame-options-sameorigin-or-deny"
    } else {
        "x-frame-options-header-invalid"
    };
    out.tests.push(test("x-frame-options", result));
    let document = ctx.kind == ResponseKind::HtmlDocument;
    if frame_ancestors {
        if report.is_present() {
            out.findings.push(Finding::new("xfo-superseded-by-frame-ancestors", Severity::Info, h, "An enforced CSP frame-ancestors makes browsers ignore X-Frame-Options; it only matters for very old browsers.", SPEC_XFO));
        }
        return;
    }
    if !report.is_present() {
        if document {
            out.findings.push(
                Finding::new("xfo-missing", Severity::Medium, h, "Neither X-Frame-Options nor CSP frame-ancestors: any site can frame this page (clickjacking).", SPEC_XFO)
                    .with_fix("DENY (and CSP frame-ancestors 'none')"),
            );
        }
    } else if allow_from && !restricts {
        out.findings.push(
            Finding::new("xfo-allow-from", Severity::High, h, "ALLOW-FROM is not supported by any current browser, which then allows framing by everyone; use CSP frame-ancestors with the allowed origin.", SPEC_XFO)
                .with_fix("CSP frame-ancestors <origin>"),
        );
    } else if !restricts {
        let why = report
            .diagnostics()
            .first()
            .map(ToString::to_string)
            .unwrap_or_default();
        out.findings.push(
            Finding::new(
                "xfo-invalid",
                Severity::Medium,
                h,
                format!("X-Frame-Options applies no framing restriction: {why}."),
                SPEC_XFO,
            )
            .with_value(values.join(", "))
            .with_fix("DENY"),
        );
    } else if conflicting {
        out.findings.push(
            Finding::new(
                "xfo-conflicting-values",
                Severity::Low,
                h,
                "X-Frame-Options holds several different values; browsers then deny all framing.",
                SPEC_XFO,
            )
            .with_fix("DENY"),
        );
    }
}

fn nosniff(headers: &HeaderMap, out: &mut Output) {
    let h = "x-content-type-options";
    let values = parsed::get_decode_split(headers, h);
    // Fetch "determine nosniff": values[0] must be an ASCII case-insensitive match for nosniff.
    let on = values
        .first()
        .is_some_and(|v| v.eq_ignore_ascii_case("nosniff"));
    let result = if values.is_empty() {
        "x-content-type-options-not-implemented"
    } else if on {
        "x-content-type-options-nosniff"
    } else {
        "x-content-type-options-header-invalid"
    };
    out.tests.push(test("x-content-type-options", result));
    if !on {
        let (id, msg) = if values.is_empty() {
            (
                "xcto-missing",
                "No X-Content-Type-Options: nosniff, so browsers may sniff responses into scripts or styles.",
            )
        } else {
            (
                "xcto-invalid",
                "X-Content-Type-Options does not start with nosniff, so browsers ignore it.",
            )
        };
        out.findings
            .push(Finding::new(id, Severity::Low, h, msg, SPEC_XCTO).with_fix("nosniff"));
    }
}

fn referrer(headers: &HeaderMap, out: &mut Output) {
    let h = "referrer-policy";
    let fix = "strict-origin-when-cross-origin";
    let (result, finding) = match parsed::referrer_policy(headers) {
        None => ("referrer-policy-not-implemented", Some(Finding::new("referrer-policy-missing", Severity::Info, h, "No Referrer-Policy: browsers default to strict-origin-when-cross-origin; set it explicitly.", SPEC_REFERRER).with_fix(fix))),
        Some(None) => ("referrer-policy-header-invalid", Some(Finding::new("referrer-policy-invalid", Severity::Low, h, "Referrer-Policy holds no recognized policy and is ignored.", SPEC_REFERRER).with_fix(fix))),
        Some(Some(p)) => match p.as_str() {
            "unsafe-url" => ("referrer-policy-unsafe", Some(Finding::new("referrer-policy-unsafe-url", Severity::Medium, h, "unsafe-url sends the full URL (path and query) to every site, even over HTTP.", SPEC_REFERRER).with_value(p.as_str()).with_fix(fix))),
            "origin" | "origin-when-cross-origin" => ("referrer-policy-unsafe", Some(Finding::new("referrer-policy-leaks-origin-on-downgrade", Severity::Low, h, format!("{p} sends the origin even from HTTPS to HTTP requests."), SPEC_REFERRER).with_value(p.as_str()).with_fix(fix))),
            "no-referrer-when-downgrade" => ("referrer-policy-no-referrer-when-downgrade", Some(Finding::new("referrer-policy-no-referrer-when-downgrade", Severity::Low, h, "no-referrer-when-downgrade sends full URLs (path and query) to every other HTTPS site.", SPEC_REFERRER).with_value(p.as_str()).with_fix(fix))),
            _ => ("referrer-policy-private", None),
        },
    };
    out.tests.push(test("referrer-policy", result));
    out.findings.extend(finding);
}

/// Features that should not be delegated to every origin.
const POWERFUL_FEATURES: &[&str] = &[
    "camera",
    "microphone",
    "geolocation",
    "payment",
    "usb",
    "serial",
    "hid",
    "bluetooth",
    "display-capture",
    "clipboard-read",
    "screen-wake-lock",
    "xr-spatial-tracking",
];

fn permissions(headers: &HeaderMap, ctx: &Context, out: &mut Output) {
    let h = "permissions-policy";
    let lines = parsed::lines(headers, h);
    if lines.is_empty() {
        if ctx.kind == ResponseKind::HtmlDocument {
            out.findings.push(
                Finding::new("permissions-policy-missing", Severity::Info, h, "No Permissions-Policy: embedded third-party frames may ask for powerful features.", SPEC_PERMISSIONS)
                    .with_fix(crate::fix::PERMISSIONS_POLICY),
            );
        }
        return;
    }
    // Permissions Policy §9.4: the header is one structured-field dictionary over all lines.
    match secure_headers::PermissionsPolicy::parse_with_diagnostics(&lines.join(", ")) {
        Err(e) => out.findings.push(
            Finding::new(
                "permissions-policy-invalid",
                Severity::Low,
                h,
                format!("Permissions-Policy is ignored by browsers: {e}."),
                SPEC_PERMISSIONS,
            )
            .with_fix(crate::fix::PERMISSIONS_POLICY),
        ),
        Ok((policy, diagnostics)) => {
            for d in diagnostics {
                use secure_headers::permissions_policy::PermissionsPolicyDiagnostic as D;
                let member = match d {
                    D::IgnoredMember { feature, member } => format!("{feature}: {member}"),
                    D::InvalidOrigin {
                        feature, origin, ..
                    } => format!("{feature}: {origin}"),
                    D::Omitted(more) => {
                        out.findings.push(Finding::new(
                            "permissions-policy-invalid",
                            Severity::Low,
                            h,
                            format!(
                                "{more} more problems with the header were found and not listed."
                            ),
                            SPEC_PERMISSIONS,
                        ));
                        continue;
                    }
                    _ => continue,
                };
                out.findings.push(
                    Finding::new(
                        "permissions-policy-invalid",
                        Severity::Low,
                        h,
                        format!(
                            "\"{member}\" is not a valid allowlist member; browsers ignore it."
                        ),
                        SPEC_PERMISSIONS,
                    )
                    .with_value(member),
                );
            }
            for d in policy.directives() {
                let feature = d.feature.as_str();
                if d.allowlist.is_all() && POWERFUL_FEATURES.contains(&feature) {
                    out.findings.push(
                        Finding::new(
                            "permissions-policy-wildcard",
                            Severity::Medium,
                            h,
                            format!("{feature}=* lets every embedded origin request {feature}."),
                            SPEC_PERMISSIONS,
                        )
                        .with_directive(feature)
                        .with_fix(format!("{feature}=()")),
                    );
                }
            }
        }
    }
}

fn cross_origin(headers: &HeaderMap, ctx: &Context, out: &mut Output) {
    use secure_headers::cross_origin::OpenerPolicyValue;
    let document = ctx.kind == ResponseKind::HtmlDocument;
    let (coop_h, coep_h, corp_h) = (
        "cross-origin-opener-policy",
        "cross-origin-embedder-policy",
        "cross-origin-resource-policy",
    );
    // COOP / COEP: HTML "obtain a cross-origin opener/embedder policy", a structured-field item.
    let coop = parsed::lines(headers, coop_h);
    match coop.first().map(|v| secure_headers::CrossOriginOpenerPolicy::parse_with_diagnostics(v)) {
        None if document => out.findings.push(
            Finding::new("coop-missing", Severity::Low, coop_h, "No Cross-Origin-Opener-Policy: pages you open (or that open you) keep a handle to this window (XS-Leaks, tabnabbing).", SPEC_COOP)
                .with_fix("same-origin"),
        ),
        Some(Ok((p, _))) if p.value() == OpenerPolicyValue::UnsafeNone => out.findings.push(Finding::new("coop-unsafe-none", Severity::Info, coop_h, "unsafe-none is the default and gives no isolation.", SPEC_COOP).with_fix("same-origin")),
        None | Some(Ok(_)) => {}
        Some(Err(e)) => out.findings.push(Finding::new("coop-invalid", Severity::Low, coop_h, format!("Cross-Origin-Opener-Policy is ignored ({e}); browsers use unsafe-none."), SPEC_COOP).with_fix("same-origin")),
    }
    let coep = parsed::lines(headers, coep_h);
    if let Some(Err(e)) = coep
        .first()
        .map(|v| secure_headers::CrossOriginEmbedderPolicy::parse_with_diagnostics(v))
    {
        out.findings.push(
            Finding::new(
                "coep-invalid",
                Severity::Low,
                coep_h,
                format!("Cross-Origin-Embedder-Policy is ignored ({e}); browsers use unsafe-none."),
                SPEC_COEP,
            )
            .with_fix("require-corp"),
        );
    }
    // CORP: Fetch "cross-origin resource policy internal check" gets the combined value.
    let corp = parsed::lines(headers, corp_h);
    let result = if corp.is_empty() {
        out.findings.push(Finding::new("corp-missing", Severity::Info, corp_h, "No Cross-Origin-Resource-Policy: other sites can embed this response (Spectre-style leaks).", SPEC_CORP).with_fix("same-origin"));
        "corp-not-implemented"
    } else {
        match corp
            .join(", ")
            .parse::<secure_headers::CrossOriginResourcePolicy>()
        {
            Ok(secure_headers::CrossOriginResourcePolicy::SameOrigin) => {
                "corp-implemented-with-same-origin"
            }
            Ok(secure_headers::CrossOriginResourcePolicy::SameSite) => {
                "corp-implemented-with-same-site"
            }
            Ok(secure_headers::CrossOriginResourcePolicy::CrossOrigin) => {
                "corp-implemented-with-cross-origin"
            }
            Err(e) => {
                out.findings.push(
                    Finding::new(
                        "corp-invalid",
                        Severity::Low,
                        corp_h,
                        format!("Cross-Origin-Resource-Policy is ignored: {e}."),
                        SPEC_CORP,
                    )
                    .with_fix("same-origin"),
                );
                "corp-header-invalid"
            }
        }
    };
    out.tests.push(test("cross-origin-resource-policy", result));
}

fn cors(headers: &HeaderMap, ctx: &Context, out: &mut Output) {
    let h = "access-control-allow-origin";
    let acao = parsed::lines(headers, h);
    let credentials = parsed::lines(headers, "access-control-allow-credentials")
        .first()
        .is_some_and(|v| v.trim() == "true");
    let result = match acao.as_slice() {
        [] => "cross-origin-resource-sharing-not-implemented",
        [one] => {
            let one = one.trim();
            let reflected = ctx.request_origin.as_deref().is_some_and(|o| {
                o.eq_ignore_ascii_case(one)
                    && ctx.origin().as_deref() != Some(&o.to_ascii_lowercase())
            });
            if one == "*" {
                if credentials {
                    out.findings.push(Finding::new("cors-wildcard-with-credentials", Severity::Low, h, "Access-Control-Allow-Origin: * with Allow-Credentials: true is rejected by browsers; credentialed requests fail.", SPEC_CORS));
                } else if ctx.kind == ResponseKind::HtmlDocument {
                    out.findings.push(Finding::new("cors-wildcard", Severity::Info, h, "Access-Control-Allow-Origin: * makes this response readable by every site; fine for public data only.", SPEC_CORS));
                }
                "cross-origin-resource-sharing-implemented-with-public-access"
            } else if one.eq_ignore_ascii_case("null") {
                out.findings.push(
                    Finding::new("cors-null-origin", Severity::High, h, "Allowing the origin \"null\" lets sandboxed iframes and file: pages of any attacker read the response.", SPEC_CORS)
                        .with_fix("Allow only named https origins."),
                );
                if credentials {
                    "cross-origin-resource-sharing-implemented-with-universal-access"
                } else {
                    "cross-origin-resource-sharing-implemented-with-restricted-access"
                }
            } else if reflected && credentials {
                out.findings.push(
                    Finding::new("cors-reflected-origin-with-credentials", Severity::High, h, "The request's Origin is echoed back with Allow-Credentials: true, so any site can read this response with the user's cookies.", SPEC_CORS)
                        .with_value(one)
                        .with_fix("Check the Origin against an allowlist before echoing it."),
                );
                "cross-origin-resource-sharing-implemented-with-universal-access"
            } else {
                if reflected {
                    out.findings.push(Finding::new("cors-reflected-origin", Severity::Medium, h, "The request's Origin is echoed back; make sure it is checked against an allowlist.", SPEC_CORS).with_value(one));
                }
                "cross-origin-resource-sharing-implemented-with-restricted-access"
            }
        }
        _ => {
            out.findings.push(Finding::new(
                "cors-multiple-origins",
                Severity::Low,
                h,
                "More than one Access-Control-Allow-Origin value makes every CORS request fail.",
                SPEC_CORS,
            ));
            "cross-origin-resource-sharing-implemented-with-restricted-access"
        }
    };
    out.tests
        .push(test("cross-origin-resource-sharing", result));
}

/// Session-like names (cookie-attrs' heuristic) other than anti-CSRF tokens, which scripts
/// often must read.
fn is_session_name(name: &str) -> bool {
    cookie_attrs::is_sensitive_name(name) && !is_csrf_name(name)
}
fn is_csrf_name(name: &str) -> bool {
    let l = name.to_ascii_lowercase();
    l.contains("csrf") || l.contains("xsrf")
}

fn cookie_fix(id: &str) -> Option<&'static str> {
    Some(match id {
        "set-cookie-missing-secure"
        | "set-cookie-samesite-none-without-secure"
        | "set-cookie-partitioned-without-secure" => "Add Secure.",
        "set-cookie-missing-httponly" => "Add HttpOnly.",
        "set-cookie-missing-samesite" | "set-cookie-samesite-invalid" => {
            "Add SameSite=Lax (or Strict)."
        }
        "set-cookie-prefix-violation" => {
            "__Secure-: add Secure. __Host-: Secure; Path=/ and no Domain."
        }
        "set-cookie-sensitive-without-prefix" => {
            "Rename to __Host-<name> with Secure; Path=/ and no Domain."
        }
        "set-cookie-lifetime-over-400-days" => "Max-Age=34560000 or less.",
        _ => return None,
    })
}

fn cookie_spec(id: &str) -> &'static str {
    if id.contains("prefix") {
        SPEC_COOKIE_PREFIX
    } else if id.contains("partitioned") {
        SPEC_CHIPS
    } else {
        SPEC_COOKIE
    }
}

fn cookies(headers: &HeaderMap, ctx: &Context, hsts: bool, out: &mut Output) {
    let h = "set-cookie";
    let lines = parsed::lines(headers, h);
    if lines.is_empty() {
        out.tests.push(test("cookies", "cookies-not-found"));
        return;
    }
    let (mut insecure, mut session_insecure, mut session_no_httponly) = (false, false, false);
    let (mut samesite_invalid, mut csrf_no_samesite, mut all_samesite) = (false, false, true);
    for line in lines.iter().take(256) {
        // Per-cookie checks are cookie-attrs' own (Secure, HttpOnly, SameSite, prefixes,
        // Partitioned, lifetime, session names).
        let checked = cookie_attrs::check(line);
        let facts = parsed::cookie(line);
        let name = facts.as_ref().map(|c| c.name.clone());
        for f in &checked {
            let severity = match f.severity {
                cookie_attrs::Severity::High => Severity::High,
                cookie_attrs::Severity::Medium => Severity::Medium,
                cookie_attrs::Severity::Low => Severity::Low,
                cookie_attrs::Severity::Info => Severity::Info,
            };
            let mut finding = Finding::new(f.id, severity, h, f.message.clone(), cookie_spec(f.id));
            if let Some(n) = &name {
                finding = finding.with_value(n.clone());
            }
            if let Some(fix) = cookie_fix(f.id) {
                finding = finding.with_fix(fix);
            }
            out.findings.push(finding);
        }
        let Some(c) = facts else { continue };
        let session = is_session_name(&c.name);
        if !ctx.https {
            out.findings.push(
                Finding::new("set-cookie-over-http", if session { Severity::High } else { Severity::Medium }, h, format!("Cookie {} is set over plain HTTP, where it can be read or replaced in transit (and a Secure cookie is rejected).", c.name), SPEC_COOKIE)
                    .with_value(c.name.clone())
                    .with_fix("Serve the site over HTTPS."),
            );
        }
        if !c.secure || !ctx.https {
            insecure = true;
            session_insecure |= session;
        }
        if session && !c.http_only {
            session_no_httponly = true;
        }
        match c.same_site {
            Some("strict" | "lax") => {}
            Some(_) => all_samesite = false,
            None => {
                all_samesite = false;
                if checked.contains("set-cookie-samesite-invalid") {
                    samesite_invalid = true;
                } else if is_csrf_name(&c.name) {
                    csrf_no_samesite = true;
                }
            }
        }
    }
    // Observatory's cookie test, most severe result first.
    let result = if session_insecure {
        if hsts {
            "cookies-session-without-secure-flag-but-protected-by-hsts"
        } else {
            "cookies-session-without-secure-flag"
        }
    } else if session_no_httponly {
        "cookies-session-without-httponly-flag"
    } else if csrf_no_samesite {
        "cookies-anticsrf-without-samesite-flag"
    } else if samesite_invalid {
        "cookies-samesite-flag-invalid"
    } else if insecure {
        if hsts {
            "cookies-without-secure-flag-but-protected-by-hsts"
        } else {
            "cookies-without-secure-flag"
        }
    } else if all_samesite {
        "cookies-secure-with-httponly-sessions-and-samesite"
    } else {
        "cookies-secure-with-httponly-sessions"
    };
    out.tests.push(test("cookies", result));
}

fn hpkp(headers: &HeaderMap, out: &mut Output) {
    let present: Vec<(&'static str, hpkp::Disposition)> = [
        ("public-key-pins", hpkp::Disposition::Enforce),
        ("public-key-pins-report-only", hpkp::Disposition::ReportOnly),
    ]
    .into_iter()
    .filter(|(h, _)| headers.contains_key(*h))
    .collect();
    if present.is_empty() {
        out.tests
            .push(test("public-key-pinning", "hpkp-not-present"));
        return;
    }
    for (h, disposition) in present {
        // RFC 7469 §2.3.1: only the first header is processed (hpkp crate parser).
        let first = parsed::lines(headers, h).first().copied().unwrap_or("");
        let validity = match hpkp::PublicKeyPins::parse(first, disposition) {
            Ok(_) => String::new(),
            Err(e) => format!(" (it is also invalid: {e})"),
        };
        out.findings.push(
            Finding::new("hpkp-obsolete", Severity::Medium, h, format!("Public-Key-Pins is obsolete: browsers removed HPKP, and a wrong pin could lock users out of old clients{validity}. Remove the header."), SPEC_HPKP)
                .with_fix("Remove the header (use Certificate Transparency monitoring instead)."),
        );
    }
    out.tests
        .push(test("public-key-pinning", "hpkp-is-deprecated"));
}

/// X-XSS-Protection, read with the facade's parser (Chromium's historic grammar).
fn xxss(headers: &HeaderMap, out: &mut Output) {
    let h = "x-xss-protection";
    let lines = parsed::lines(headers, h);
    let result = match lines.as_slice() {
        [] => "x-xss-protection-not-implemented",
        [one] => classify_xxss(one),
        _ => "x-xss-protection-header-invalid",
    };
    out.tests.push(test("x-xss-protection", result));
    match result {
        "x-xss-protection-enabled" | "x-xss-protection-enabled-mode-block" => out.findings.push(
            Finding::new("xxss-enabled", Severity::Low, h, "A non-zero X-XSS-Protection turns on the removed XSS auditor in old browsers, which attackers could abuse to disable page scripts or leak data. Send 0 and rely on CSP.", SPEC_XXSS)
                .with_fix("0"),
        ),
        "x-xss-protection-header-invalid" => out.findings.push(Finding::new("xxss-invalid", Severity::Info, h, "X-XSS-Protection cannot be recognized.", SPEC_XXSS).with_fix("0")),
        _ => {}
    }
}

fn classify_xxss(value: &str) -> &'static str {
    match value.parse::<secure_headers::XXssProtection>() {
        Ok(secure_headers::XXssProtection::Disabled) => "x-xss-protection-disabled",
        Ok(secure_headers::XXssProtection::Enabled { block: true, .. }) => {
            "x-xss-protection-enabled-mode-block"
        }
        Ok(secure_headers::XXssProtection::Enabled { .. }) => "x-xss-protection-enabled",
        Err(_) => "x-xss-protection-header-invalid",
    }
}

/// Headers that reveal software and versions: the facade's removal list (OWASP's plus extras).
fn leaky(headers: &HeaderMap, out: &mut Output) {
    use secure_headers::leaky_headers::{EXTRA_REMOVE_LIST, OWASP_REMOVE_LIST};
    // The names of the facade's default removal list (OWASP's plus extras).
    for h in OWASP_REMOVE_LIST.iter().chain(EXTRA_REMOVE_LIST).copied() {
        let mut listed = 0usize;
        let mut more = 0usize;
        for v in parsed::lines(headers, h) {
            let has_version = v.chars().any(|c| c.is_ascii_digit());
            if h == "server" && !has_version {
                continue;
            }
            // Each finding copies the line twice: a response repeating one header thousands of
            // times gets the first lines listed and the rest counted.
            if listed == MAX_LEAKY_LINES {
                more += 1;
                continue;
            }
            listed += 1;
            out.findings.push(
                Finding::new(
                    "leaky-header",
                    if has_version {
                        Severity::Low
                    } else {
                        Severity::Info
                    },
                    h,
                    format!("{h}: {v} tells attackers which software (and version) to target."),
                    SPEC_LEAKY,
                )
                .with_value(v)
                .with_fix("Remove the header, or drop the version."),
            );
        }
        if more > 0 {
            out.findings.push(
                Finding::new(
                    "leaky-header",
                    Severity::Info,
                    h,
                    format!("{h}: {more} more lines like these were not listed."),
                    SPEC_LEAKY,
                )
                .with_fix("Remove the header, or drop the version."),
            );
        }
    }
}

/// The most lines of one version-revealing header listed as findings.
const MAX_LEAKY_LINES: usize = 16;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xxss_classification_follows_observatory() {
        assert_eq!(classify_xxss("0"), "x-xss-protection-disabled");
        assert_eq!(classify_xxss("1"), "x-xss-protection-enabled");
        assert_eq!(
            classify_xxss("1; mode=block"),
            "x-xss-protection-enabled-mode-block"
        );
        assert_eq!(
            classify_xxss("2; mode=block"),
            "x-xss-protection-header-invalid"
        );
        assert_eq!(
            classify_xxss("1; mode=block; mode=block"),
            "x-xss-protection-header-invalid"
        );
    }
}
