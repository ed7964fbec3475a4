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

/// Fetch "get, decode, and split" (Fetch §2.2.2): comma-split all lines, quoted strings kept
/// with their quotes, HTTP tab/space trimmed.
pub(crate) fn get_decode_split(headers: &HeaderMap, name: &str) -> Vec<String> {
    let all = lines(headers, name);
    if all.is_empty() {
        return Vec::new();
    }
    let joined = all.join(", ");
    let mut out = Vec::new();
    let mut current = String::new();
    let mut in_quotes = false;
    let mut chars = joined.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                in_quotes = !in_quotes;
                current.push(c);
            }
            '\\' if in_quotes => {
                current.push(c);
                if let Some(n) = chars.next() {
                    current.push(n);
                }
            }
            ',' if !in_quotes => {
                out.push(current.trim_matches([' ', '\t']).to_owned());
                current.clear();
            }
            c => current.push(c),
        }
        if out.len() >= 256 {
            return out;
        }
    }
    out.push(current.trim_matches([' ', '\t']).to_owned());
    out
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

/// What a `Set-Cookie` line means for the checks (RFC 6265bis §5.6).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[allow(clippy::struct_excessive_bools)]
pub(crate) struct CookieFacts {
    pub(crate) name: String,
    pub(crate) secure: bool,
    pub(crate) http_only: bool,
    /// `Some("strict" | "lax" | "none" | other)` lowercased.
    pub(crate) same_site: Option<String>,
    pub(crate) domain: Option<String>,
    pub(crate) path: Option<String>,
    pub(crate) max_age: Option<i64>,
    pub(crate) expires: bool,
    pub(crate) partitioned: bool,
}

/// RFC 6265bis §5.6: name-value up to the first `;`, attributes split on `;` then the first `=`,
/// names case-insensitive, last one wins. `None` when the browser ignores the cookie.
pub(crate) fn cookie(line: &str) -> Option<CookieFacts> {
    if line.chars().any(|c| c.is_ascii_control() && c != '\t') {
        return None;
    }
    let mut parts = line.split(';');
    let pair = parts.next()?;
    let name = pair.split_once('=').map_or("", |(n, _)| n).trim_matches([' ', '\t']);
    let value = pair.split_once('=').map_or(pair, |(_, v)| v).trim_matches([' ', '\t']);
    if name.is_empty() && value.is_empty() {
        return None;
    }
    let mut c = CookieFacts { name: name.to_owned(), ..CookieFacts::default() };
    for attr in parts {
        let (n, v) = attr.split_once('=').unwrap_or((attr, ""));
        let n = n.trim_matches([' ', '\t']).to_ascii_lowercase();
        let v = v.trim_matches([' ', '\t']);
        match n.as_str() {
            "secure" => c.secure = true,
            "httponly" => c.http_only = true,
            "samesite" => c.same_site = Some(v.to_ascii_lowercase()),
            "domain" => c.domain = Some(v.trim_start_matches('.').to_ascii_lowercase()),
            "path" => c.path = Some(v.to_owned()),
            "max-age" => c.max_age = v.parse().ok().or(c.max_age),
            "expires" => c.expires = true,
            "partitioned" => c.partitioned = true,
            _ => {}
        }
    }
    Some(c)
}

/// Referrer Policy §8.1 "parse a referrer policy from a Referrer-Policy header", with the
/// facade's parser: the last recognized token wins. `None` when the header is absent,
/// `Some(None)` when it holds no recognized token.
pub(crate) fn referrer_policy(headers: &HeaderMap) -> Option<Option<secure_headers::ReferrerPolicy>> {
    if !headers.contains_key("referrer-policy") {
        return None;
    }
    Some(secure_headers::referrer_policy::ReferrerPolicyHeader::from_headers(headers).policy())
}
