//! Known host-allowlist bypasses (JSONP endpoints, AngularJS copies, Flash files), loaded once from
//! the data files in `data/` (source and licence in each file's header).

use std::sync::LazyLock;

/// One listed URL: lowercase host and path (`/` when the entry has none).
#[derive(Debug)]
pub(crate) struct ListedUrl {
    pub(crate) host: String,
    pub(crate) path: String,
}

fn load(text: &str) -> Vec<ListedUrl> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let rest = l.strip_prefix("//").unwrap_or(l);
            let (host, path) = rest.find('/').map_or((rest, "/"), |i| {
                (rest.get(..i).unwrap_or(rest), rest.get(i..).unwrap_or("/"))
            });
            ListedUrl {
                host: host.to_ascii_lowercase(),
                path: path.to_owned(),
            }
        })
        .collect()
}

pub(crate) static JSONP: LazyLock<Vec<ListedUrl>> =
    LazyLock::new(|| load(include_str!("../../data/jsonp_bypasses.txt")));
pub(crate) static ANGULAR: LazyLock<Vec<ListedUrl>> =
    LazyLock::new(|| load(include_str!("../../data/angular_bypasses.txt")));
pub(crate) static FLASH: LazyLock<Vec<ListedUrl>> =
    LazyLock::new(|| load(include_str!("../../data/flash_bypasses.txt")));
pub(crate) static JSONP_NEEDS_EVAL: LazyLock<Vec<String>> = LazyLock::new(|| {
    include_str!("../../data/jsonp_needs_eval.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_ascii_lowercase)
        .collect()
});

/// Strips a leading `scheme://` and then a leading `//` (CSP Evaluator `getSchemeFreeUrl`).
pub(crate) fn scheme_free(value: &str) -> &str {
    let mut v = value;
    if let Some(i) = v.find("://") {
        let scheme = v.get(..i).unwrap_or("");
        let mut chars = scheme.chars();
        if chars
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '.' | '-'))
        {
            v = v.get(i + 3..).unwrap_or("");
        }
    }
    v.strip_prefix("//").unwrap_or(v)
}

/// Host (lowercase, `[..]` kept for IPv6 literals) and path of a host-source expression.
pub(crate) fn host_and_path(value: &str) -> (String, String) {
    let v = scheme_free(value);
    let (authority, path) = v.find('/').map_or((v, "/"), |i| {
        (v.get(..i).unwrap_or(v), v.get(i..).unwrap_or("/"))
    });
    let host = if authority.starts_with('[') {
        authority
            .find(']')
            .and_then(|i| authority.get(..=i))
            .unwrap_or(authority)
    } else {
        authority.split(':').next().unwrap_or(authority)
    };
    (host.to_ascii_lowercase(), path.to_owned())
}

/// CSP Evaluator `matchWildcardUrls`: the first listed URL that a host-source expression
/// (possibly `*.`-wildcarded, possibly with a path) would allow.
pub(crate) fn match_listed<'a>(value: &str, list: &'a [ListedUrl]) -> Option<&'a ListedUrl> {
    let (host, path) = host_and_path(value);
    // Only a leading `*.` label is a subdomain wildcard (CSP3 §2.3.1 host-part). A bare `*`
    // (`*`, `https://*`, `chrome-extension://*`) or a `*` anywhere else names no listed host:
    // the CSP Evaluator matches neither (a bare `*` is the wildcard check's finding).
    let (wildcard, bare) = match host.strip_prefix('*') {
        Some(rest) if rest.starts_with('.') => (true, rest),
        _ if host.contains('*') => return None,
        _ => (false, host.as_str()),
    };
    let has_path = path != "/";
    list.iter().find(|u| {
        if !u.host.ends_with(bare) {
            return false;
        }
        if !wildcard && u.host != host {
            return false;
        }
        if has_path {
            // CSP2 §4.2.2.1 path matching: a trailing `/` is a prefix match, otherwise exact.
            if path.ends_with('/') {
                if !u.path.starts_with(&path) {
                    return false;
                }
            } else if u.path != path {
                return false;
            }
        }
        true
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_load_with_known_entries() {
        assert!(JSONP.iter().any(|u| u.host == "www.google.com"));
        assert!(ANGULAR.iter().any(|u| u.host == "gstatic.com"));
        assert!(FLASH.iter().any(|u| u.host == "vk.com"));
        assert!(JSONP_NEEDS_EVAL.contains(&"googletagmanager.com".to_owned()));
    }

    #[test]
    fn wildcard_host_matches_subdomain_entry() {
        let m = match_listed("*.google.com", &JSONP).unwrap();
        assert_eq!(m.host, "www.google.com");
    }

    #[test]
    fn bare_wildcard_host_matches_no_listed_url() {
        for value in [
            "*",
            "https://*",
            "*:443",
            "chrome-extension://*",
            "no.bankid.app://*",
        ] {
            assert!(match_listed(value, &FLASH).is_none(), "{value}");
            assert!(match_listed(value, &JSONP).is_none(), "{value}");
            assert!(match_listed(value, &ANGULAR).is_none(), "{value}");
        }
    }

    #[test]
    fn wildcard_not_in_leading_label_matches_no_listed_url() {
        assert!(match_listed("*google.com", &JSONP).is_none());
        assert!(match_listed("www.*.com", &JSONP).is_none());
    }

    #[test]
    fn exact_path_must_match() {
        assert!(match_listed("https://www.google.com/other.js", &JSONP).is_none());
        assert!(match_listed("https://www.google.com/tools/", &JSONP).is_some());
    }
}
