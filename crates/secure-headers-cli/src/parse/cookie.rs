//! `Set-Cookie` through `cookie_attrs::SetCookie` (RFC 6265bis §5.6 parsing, §5.7 storage
//! checks, CHIPS, cookie prefixes).

use cookie_attrs::{RequestContext, SetCookie};
use serde::Serialize;

use super::{Answer, DiagnosticJson};

/// The cookie as a browser would store it.
#[derive(Serialize)]
pub(crate) struct SetCookieJson {
    name: String,
    value: String,
    /// No `=` in the name-value pair: the name is empty and is not serialized.
    nameless: bool,
    /// The `Domain` attribute (leading dot removed, lowercased), if any.
    domain: Option<String>,
    /// The `Path` attribute, if it starts with `/`.
    path: Option<String>,
    secure: bool,
    http_only: bool,
    /// `Strict`, `Lax` or `None` (`null`: not set or unrecognized, "Default" enforcement).
    same_site: Option<String>,
    partitioned: bool,
    /// `Max-Age` in seconds (capped at 400 days).
    max_age: Option<i64>,
    /// `Expires` as an IMF-fixdate.
    expires: Option<String>,
    /// `__Secure-`, `__Host-`, `__Http-` or `__Host-Http-`, matched case-insensitively.
    prefix: Option<String>,
    /// Whether the cookie is sent only to the exact host (no `Domain`); `null` when rejected.
    host_only: Option<bool>,
}

/// Parses one header value and runs the storage checks for a secure response from `host`
/// (default: a host the cookie's `Domain` matches); `ok` when a browser would store it.
pub(crate) fn answer(value: &str, host: Option<&str>) -> Answer<SetCookieJson> {
    let (cookie, diagnostics) = match SetCookie::parse_with_diagnostics(value) {
        Ok(parsed) => parsed,
        Err(err) => return Answer::ignored(&err, None),
    };
    let diagnostics: Vec<DiagnosticJson> = diagnostics
        .iter()
        .map(|d| {
            DiagnosticJson::new(&d.kind, d.kind).at(value.as_bytes(), d.span.start, d.span.end)
        })
        .collect();
    let host = host.or(cookie.domain()).unwrap_or("localhost");
    let storage = cookie.check_storage(&RequestContext::secure(host));
    let json = SetCookieJson {
        name: cookie.name().to_owned(),
        value: cookie.value().to_owned(),
        nameless: cookie.is_nameless(),
        domain: cookie.domain().map(str::to_owned),
        path: cookie.path().map(str::to_owned),
        secure: cookie.secure(),
        http_only: cookie.http_only(),
        same_site: cookie.same_site().map(|s| s.to_string()),
        partitioned: cookie.partitioned(),
        max_age: cookie.max_age(),
        expires: cookie.expires().map(|d| d.to_string()),
        prefix: cookie.prefix().map(|p| p.to_string()),
        host_only: storage.as_ref().ok().map(|scope| scope.host_only),
    };
    match storage {
        Ok(_) => Answer::applied(json, diagnostics, cookie.to_string()),
        Err(rejection) => Answer::ignored(&rejection, Some(json)).with_diagnostics(diagnostics),
    }
}
