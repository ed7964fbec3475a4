//! The facts the checks need from each header, read through the sibling crates' parsers.
//!
//! Every header is read here and nowhere else, so each function is the single place that calls
//! the owning crate (hsts, frame-options, nosniff, hpkp, cookie-attrs, secure-headers). Where
//! that crate's parser is not available yet, the function holds a minimal reading of the header
//! that follows the same spec rules and is replaced by the crate call when it lands.

use http::HeaderMap;

/// Header lines as text; lines that are not visible ASCII are skipped like a browser that fails
/// to decode them would keep nothing useful from them.
pub(crate) fn lines<'a>(headers: &'a HeaderMap, name: &str) -> Vec<&'a str> {
    headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect()
}

/// Fetch "get, decode, and split" (Fetch §2.2.2) over all lines, with the nosniff crate's
/// implementation: comma-split outside quoted strings, quotes kept, HTTP tab/space trimmed.
/// Empty when the header is absent.
pub(crate) fn get_decode_split(headers: &HeaderMap, name: &str) -> Vec<String> {
    let mut values = nosniff::get_decode_split(headers.get_all(name)).unwrap_or_default();
    values.truncate(256);
    values
}

/// What a browser keeps from the first `Strict-Transport-Security` header, read with the
/// `hsts` crate (RFC 6797 §6.1; any syntax error ignores the header).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HstsFacts {
    pub(crate) max_age: u64,
    pub(crate) include_subdomains: bool,
    pub(crate) preload: bool,
}

/// Parses one HSTS header value with the `hsts` crate.
pub(crate) fn hsts(value: &str) -> Result<HstsFacts, String> {
    hsts::Hsts::parse(value)
        .map(|h| HstsFacts {
            max_age: h.max_age().as_secs(),
            include_subdomains: h.include_subdomains(),
            preload: h.preload(),
        })
        .map_err(|e| e.to_string())
}

/// What a `Set-Cookie` line means for the checks, read with `cookie-attrs`
/// (RFC 6265bis §5.6).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[allow(clippy::struct_excessive_bools)]
pub(crate) struct CookieFacts {
    pub(crate) name: String,
    pub(crate) secure: bool,
    pub(crate) http_only: bool,
    /// `strict`, `lax` or `none`; `None` when absent or not a valid value.
    pub(crate) same_site: Option<&'static str>,
    pub(crate) domain: Option<String>,
    pub(crate) path: Option<String>,
    pub(crate) max_age: Option<i64>,
    pub(crate) partitioned: bool,
}

/// Parses one `Set-Cookie` value with `cookie-attrs`; `None` when browsers ignore it.
pub(crate) fn cookie(line: &str) -> Option<CookieFacts> {
    let c = cookie_attrs::SetCookie::parse(line).ok()?;
    Some(CookieFacts {
        name: c.name().to_owned(),
        secure: c.secure(),
        http_only: c.http_only(),
        same_site: c.same_site().map(|s| match s {
            cookie_attrs::SameSite::Strict => "strict",
            cookie_attrs::SameSite::Lax => "lax",
            cookie_attrs::SameSite::None => "none",
        }),
        domain: c.domain().map(str::to_owned),
        path: c.path().map(str::to_owned),
        max_age: c.max_age(),
        partitioned: c.partitioned(),
    })
}

/// Referrer Policy §8.1 "parse a referrer policy from a Referrer-Policy header", with the
/// facade's parser: the last recognized token wins. `None` when the header is absent,
/// `Some(None)` when it holds no recognized token.
pub(crate) fn referrer_policy(
    headers: &HeaderMap,
) -> Option<Option<secure_headers::ReferrerPolicy>> {
    if !headers.contains_key("referrer-policy") {
        return None;
    }
    Some(secure_headers::referrer_policy::ReferrerPolicyHeader::from_headers(headers).policy())
}
