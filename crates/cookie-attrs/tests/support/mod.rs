//! A minimal one-user-agent cookie store (RFC 6265bis §5.7 storage model and §5.8.3 retrieval
//! algorithm) over the crate's parser and storage checks, for the conformance suites.
#![allow(dead_code, unreachable_pub)]

use cookie_attrs::{CookieDate, Expiry, RequestContext, SetCookie, domain_matches};

#[derive(Debug, Clone)]
pub struct StoredCookie {
    pub name: String,
    pub value: String,
    pub domain: String,
    pub host_only: bool,
    pub path: String,
    pub secure: bool,
    pub http_only: bool,
    pub expiry: Option<i64>,
    pub creation: u64,
}

#[derive(Debug, Default)]
pub struct Jar {
    pub cookies: Vec<StoredCookie>,
    clock: u64,
}

/// §5.1.4 path-match.
pub fn path_matches(request_path: &str, cookie_path: &str) -> bool {
    request_path == cookie_path
        || (request_path.starts_with(cookie_path)
            && (cookie_path.ends_with('/')
                || request_path.as_bytes().get(cookie_path.len()) == Some(&b'/')))
}

impl Jar {
    /// Receives one Set-Cookie string; returns why it was not stored, if it was not.
    pub fn receive(
        &mut self,
        line: &str,
        request: &RequestContext<'_>,
        now: CookieDate,
    ) -> Result<(), String> {
        let cookie = SetCookie::parse(line).map_err(|e| e.to_string())?;
        let scope = cookie.check_storage(request).map_err(|e| e.to_string())?;
        let expiry = match cookie.expiry(now) {
            Expiry::Session => None,
            Expiry::At(date) => Some(date.unix_seconds()),
        };
        // §5.7 step 16: a non-secure origin cannot shadow an existing Secure cookie.
        if !cookie.secure() && !request.is_secure() {
            let shadows = self.cookies.iter().any(|old| {
                old.name == cookie.name()
                    && old.secure
                    && (domain_matches(&old.domain, scope.domain)
                        || domain_matches(scope.domain, &old.domain))
                    && path_matches(scope.path, &old.path)
            });
            if shadows {
                return Err("would shadow a Secure cookie".into());
            }
        }
        self.clock += 1;
        let mut creation = self.clock;
        // §5.7 step 23: replace the cookie with the same name, domain, host-only-flag and path.
        if let Some(i) = self.cookies.iter().position(|old| {
            old.name == cookie.name()
                && old.domain == scope.domain
                && old.host_only == scope.host_only
                && old.path == scope.path
        }) {
            creation = self.cookies.remove(i).creation;
        }
        // "The user agent MUST evict all expired cookies."
        if expiry.is_some_and(|e| e <= now.unix_seconds()) {
            return Ok(());
        }
        self.cookies.push(StoredCookie {
            name: cookie.name().to_owned(),
            value: cookie.value().to_owned(),
            domain: scope.domain.to_ascii_lowercase(),
            host_only: scope.host_only,
            path: scope.path.to_owned(),
            secure: cookie.secure(),
            http_only: cookie.http_only(),
            expiry,
            creation,
        });
        Ok(())
    }

    /// §5.8.3: the Cookie header for an HTTP request.
    pub fn cookie_header(&self, host: &str, path: &str, secure: bool) -> String {
        let mut list: Vec<&StoredCookie> = self
            .cookies
            .iter()
            .filter(|c| {
                (if c.host_only {
                    c.domain.eq_ignore_ascii_case(host)
                } else {
                    domain_matches(host, &c.domain)
                }) && path_matches(path, &c.path)
                    && (!c.secure || secure)
            })
            .collect();
        // Longer paths first, then earlier creation-times.
        list.sort_by(|a, b| {
            b.path
                .len()
                .cmp(&a.path.len())
                .then(a.creation.cmp(&b.creation))
        });
        let mut out = String::new();
        for (i, c) in list.iter().enumerate() {
            if i > 0 {
                out.push_str("; ");
            }
            if !c.name.is_empty() {
                out.push_str(&c.name);
                out.push('=');
            }
            out.push_str(&c.value);
        }
        out
    }

    pub fn contains(&self, name: &str) -> bool {
        self.cookies.iter().any(|c| c.name == name)
    }
}

/// Reads a vector file from the workspace's tests/data.
pub fn data(path: &str) -> String {
    let full = format!("{}/../../tests/data/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("cannot read {full}: {e}"))
}
