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

/// What a browser keeps from the first `Strict-Transport-Security` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HstsFacts {
    pub(crate) max_age: u64,
    pub(crate) include_subdomains: bool,
    pub(crate) preload: bool,
}

fn is_tchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

/// RFC 6797 §6.1 directive list: `[ directive ] *( ";" [ directive ] )`, each directive at most
/// once (case-insensitive), values token or quoted-string; any syntax error ignores the header.
pub(crate) fn hsts(value: &str) -> Result<HstsFacts, &'static str> {
    let mut seen: Vec<String> = Vec::new();
    let mut facts = HstsFacts { max_age: 0, include_subdomains: false, preload: false };
    let mut max_age_seen = false;
    for part in value.split(';') {
        let part = part.trim_matches([' ', '\t']);
        if part.is_empty() {
            continue;
        }
        let (name, val) = match part.split_once('=') {
            Some((n, v)) => (n.trim_matches([' ', '\t']), Some(v.trim_matches([' ', '\t']))),
            None => (part, None),
        };
        if name.is_empty() || !name.chars().all(is_tchar) {
            return Err("a directive name is not a token");
        }
        let lname = name.to_ascii_lowercase();
        if seen.contains(&lname) {
            return Err("a directive appears twice");
        }
        seen.push(lname.clone());
        let val = match val {
            None => None,
            Some(v) if v.len() >= 2 && v.starts_with('"') && v.ends_with('"') => {
                let inner = v.get(1..v.len() - 1).unwrap_or("");
                if inner.contains('"') && !inner.contains('\\') {
                    return Err("a quoted-string is malformed");
                }
                Some(inner.to_owned())
            }
            Some(v) if !v.is_empty() && v.chars().all(is_tchar) => Some(v.to_owned()),
            Some(_) => return Err("a directive value is neither a token nor a quoted-string"),
        };
        match lname.as_str() {
            "max-age" => {
                let v = val.ok_or("max-age has no value")?;
                if v.is_empty() || !v.chars().all(|c| c.is_ascii_digit()) {
                    return Err("max-age is not delta-seconds");
                }
                // Huge values saturate.
                facts.max_age = v.parse::<u64>().unwrap_or(u64::MAX);
                max_age_seen = true;
            }
            "includesubdomains" => {
                if val.is_some() {
                    return Err("includeSubDomains takes no value");
                }
                facts.include_subdomains = true;
            }
            "preload" => facts.preload = true,
            _ => {}
        }
    }
    if !max_age_seen {
        return Err("max-age is missing");
    }
    Ok(facts)
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

/// Referrer Policy §8.1 "parse a referrer policy from a Referrer-Policy header": the last
/// recognized token of the comma-split list wins; `None` when no token is recognized.
pub(crate) fn referrer_policy(headers: &HeaderMap) -> Option<Option<String>> {
    let values = get_decode_split(headers, "referrer-policy");
    if values.is_empty() {
        return None;
    }
    const KNOWN: &[&str] = &[
        "no-referrer",
        "no-referrer-when-downgrade",
        "same-origin",
        "origin",
        "strict-origin",
        "origin-when-cross-origin",
        "strict-origin-when-cross-origin",
        "unsafe-url",
    ];
    Some(
        values
            .iter()
            .map(|v| v.to_ascii_lowercase())
            .filter(|v| KNOWN.contains(&v.as_str()))
            .next_back(),
    )
}
