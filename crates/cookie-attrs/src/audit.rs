//! Auditing a `Set-Cookie` header value against the rules the policy enforces.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::date::CookieDate;
use crate::prefix::{CookiePrefix, SameSite};
use crate::set_cookie::{DiagnosticKind, MAX_LIFETIME_SECONDS, SetCookie};
use crate::storage::unmet_prefix_requirement;

/// How much a finding matters.
///
/// ```
/// use cookie_attrs::Severity;
/// assert!(Severity::High > Severity::Medium);
/// assert_eq!(Severity::Low.to_string(), "low");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "lowercase")
)]
pub enum Severity {
    /// Worth knowing; no weakness on its own.
    Info,
    /// A defence-in-depth gap.
    Low,
    /// A weakness an attacker can use in some setups.
    Medium,
    /// The cookie is exposed or is not stored at all.
    High,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Info => "info",
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
        })
    }
}

/// One problem found in a `Set-Cookie` value.
///
/// ```
/// let findings = cookie_attrs::check("sid=1");
/// let f = findings.get("set-cookie-missing-secure").unwrap();
/// assert_eq!(f.severity, cookie_attrs::Severity::High);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Stable identifier (see [`check`] for the list).
    pub id: &'static str,
    /// How much it matters.
    pub severity: Severity,
    /// What is wrong and what to do, for people.
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}: {}", self.severity, self.id, self.message)
    }
}

/// The findings for one `Set-Cookie` value, in the order checked.
///
/// ```
/// let findings = cookie_attrs::check("__Host-sid=1; Path=/; Secure; HttpOnly; SameSite=Strict");
/// assert!(findings.is_empty(), "{findings}");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Findings(Vec<Finding>);

impl Findings {
    /// Whether nothing was found.
    ///
    /// ```
    /// assert!(!cookie_attrs::check("a=b").is_empty());
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many findings.
    ///
    /// ```
    /// assert!(cookie_attrs::check("a=b").len() >= 3);
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Iterates over the findings.
    ///
    /// ```
    /// for finding in cookie_attrs::check("a=b").iter() { println!("{finding}"); }
    /// ```
    pub fn iter(&self) -> std::slice::Iter<'_, Finding> {
        self.0.iter()
    }

    /// The finding with this id, if any.
    ///
    /// ```
    /// assert!(cookie_attrs::check("a=b").get("set-cookie-missing-httponly").is_some());
    /// ```
    #[must_use]
    pub fn get(&self, id: &str) -> Option<&Finding> {
        self.0.iter().find(|f| f.id == id)
    }

    /// Whether a finding with this id is present.
    ///
    /// ```
    /// assert!(cookie_attrs::check("a=b; SameSite=None; Secure").contains("set-cookie-samesite-none"));
    /// ```
    #[must_use]
    pub fn contains(&self, id: &str) -> bool {
        self.get(id).is_some()
    }

    /// The highest severity found.
    ///
    /// ```
    /// use cookie_attrs::Severity;
    /// assert_eq!(cookie_attrs::check("a=b; Secure; HttpOnly; SameSite=Lax").max_severity(), None);
    /// ```
    #[must_use]
    pub fn max_severity(&self) -> Option<Severity> {
        self.0.iter().map(|f| f.severity).max()
    }

    /// The findings as a vector.
    ///
    /// ```
    /// let v: Vec<_> = cookie_attrs::check("a=b").into_vec();
    /// assert!(!v.is_empty());
    /// ```
    #[must_use]
    pub fn into_vec(self) -> Vec<Finding> {
        self.0
    }

    fn push(&mut self, id: &'static str, severity: Severity, message: impl Into<String>) {
        self.0.push(Finding {
            id,
            severity,
            message: message.into(),
        });
    }
}

impl<'f> IntoIterator for &'f Findings {
    type Item = &'f Finding;
    type IntoIter = std::slice::Iter<'f, Finding>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl fmt::Display for Findings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for finding in &self.0 {
            writeln!(f, "{finding}")?;
        }
        Ok(())
    }
}

/// Whether a cookie name looks like it holds a session, authentication or CSRF secret:
/// it contains `sess`, `csrf`, `xsrf`, `token`, `auth`, `jwt` or `login`, or `sid` that starts
/// or ends a word, i.e. with the start or end of the name or a byte other than an ASCII letter
/// or digit on at least one side (`sid_x`, `x.sid`, `x.sidebar`, but not `outsider`); ASCII
/// case-insensitive, and a name prefix is ignored.
///
/// ```
/// use cookie_attrs::is_sensitive_name;
/// assert!(is_sensitive_name("PHPSESSID"));
/// assert!(is_sensitive_name("__Host-sid"));
/// assert!(is_sensitive_name("XSRF-TOKEN"));
/// assert!(is_sensitive_name("connect.sid"));
/// assert!(!is_sensitive_name("theme"));
/// assert!(!is_sensitive_name("outsider"));
/// ```
#[must_use]
pub fn is_sensitive_name(name: &str) -> bool {
    let name = CookiePrefix::of(name)
        .and_then(|p| name.get(p.as_str().len()..))
        .unwrap_or(name)
        .to_ascii_lowercase();
    const WORDS: [&str; 7] = ["sess", "csrf", "xsrf", "token", "auth", "jwt", "login"];
    if WORDS.iter().any(|w| name.contains(w)) {
        return true;
    }
    let bytes = name.as_bytes();
    name.match_indices("sid").any(|(i, _)| {
        let before = i.checked_sub(1).and_then(|j| bytes.get(j));
        let after = bytes.get(i + 3);
        let boundary = |b: Option<&u8>| b.is_none_or(|b| !b.is_ascii_alphanumeric());
        boundary(before) || boundary(after)
    })
}

fn now() -> CookieDate {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    CookieDate::from_unix_seconds(seconds)
}

/// Audits one `Set-Cookie` header value as sent by a secure origin.
///
/// Finding ids (stable):
/// `set-cookie-unparsable` (high: browsers ignore it),
/// `set-cookie-prefix-violation` (high: a prefix requirement is unmet, browsers ignore it),
/// `set-cookie-nameless-prefixed-value` (high),
/// `set-cookie-samesite-none-without-secure` (high: ignored),
/// `set-cookie-partitioned-without-secure` (high: ignored),
/// `set-cookie-domain-not-ascii` (high: ignored),
/// `set-cookie-missing-secure`, `set-cookie-missing-httponly`, `set-cookie-missing-samesite`
/// (high/high/medium for session-like names, see [`is_sensitive_name`]; medium/low/low
/// otherwise),
/// `set-cookie-samesite-none` (medium for session-like names, info otherwise),
/// `set-cookie-samesite-invalid` (low: "Default" enforcement),
/// `set-cookie-lifetime-over-400-days` (low: browsers cap it),
/// `set-cookie-prefix-case` (low: servers should write prefixes in their exact case),
/// `set-cookie-sensitive-domain` (low: a session-like cookie shared with subdomains),
/// `set-cookie-sensitive-without-prefix` (info: `__Host-` would lock it to the host),
/// `set-cookie-partitioned-without-host-prefix` (info: CHIPS recommends `__Host-`),
/// `set-cookie-nameless` (low), `set-cookie-ignored-attribute` (info: an attribute browsers
/// ignore or override; the first 32 are listed, one more finding counts the rest).
///
/// ```
/// use cookie_attrs::{check, Severity};
/// let findings = check("SESSIONID=abc; Path=/; SameSite=None");
/// assert!(findings.contains("set-cookie-samesite-none-without-secure"));
/// assert!(findings.contains("set-cookie-missing-httponly"));
/// assert_eq!(findings.max_severity(), Some(Severity::High));
/// ```
#[must_use]
pub fn check(set_cookie: &str) -> Findings {
    check_at(set_cookie, now())
}

/// [`check`] with `now` as the current time (for the lifetime of an `Expires` date).
///
/// ```
/// use cookie_attrs::{check_at, CookieDate};
/// let f = check_at("a=b; Secure; HttpOnly; SameSite=Lax; Expires=Fri, 01 Jan 2100 00:00:00 GMT",
///                  CookieDate::from_unix_seconds(0));
/// assert!(f.contains("set-cookie-lifetime-over-400-days"));
/// ```
#[must_use]
pub fn check_at(set_cookie: &str, now: CookieDate) -> Findings {
    let mut findings = Findings::default();
    let (cookie, diagnostics) = match SetCookie::parse_with_diagnostics(set_cookie) {
        Ok(parsed) => parsed,
        Err(error) => {
            findings.push(
                "set-cookie-unparsable",
                Severity::High,
                format!("browsers ignore this Set-Cookie: {error}"),
            );
            return findings;
        }
    };
    let sensitive = is_sensitive_name(cookie.name());
    let name = cookie.name();
    let label = if name.is_empty() {
        "the nameless cookie".to_owned()
    } else {
        format!("cookie `{name}`")
    };

    // Rules that make browsers ignore the cookie.
    if let Some(domain) = cookie.domain().filter(|d| !d.is_ascii()) {
        findings.push(
            "set-cookie-domain-not-ascii",
            Severity::High,
            format!("{label}: Domain `{domain}` is not ASCII; browsers ignore the cookie (use the punycode form)"),
        );
    }
    if cookie.same_site() == Some(SameSite::None) && !cookie.secure() {
        findings.push(
            "set-cookie-samesite-none-without-secure",
            Severity::High,
            format!(
                "{label}: SameSite=None without Secure; browsers ignore the cookie. Add Secure"
            ),
        );
    }
    if cookie.partitioned() && !cookie.secure() {
        findings.push(
            "set-cookie-partitioned-without-secure",
            Severity::High,
            format!("{label}: Partitioned without Secure; browsers ignore the cookie. Add Secure"),
        );
    }
    if let Some(prefix) = cookie.prefix() {
        if let Some(missing) = unmet_prefix_requirement(
            prefix,
            cookie.secure(),
            cookie.http_only(),
            cookie.domain().is_some(),
            cookie.path(),
        ) {
            findings.push(
                "set-cookie-prefix-violation",
                Severity::High,
                format!(
                    "{label}: the {prefix} prefix requires {missing}; browsers ignore the cookie"
                ),
            );
        }
        if !prefix.is_exact_case_in(name) {
            findings.push(
                "set-cookie-prefix-case",
                Severity::Low,
                format!("{label}: write the prefix as `{prefix}`; browsers match it case-insensitively but servers may not"),
            );
        }
    }
    if cookie.is_nameless() {
        if let Some(prefix) = CookiePrefix::of(cookie.value()) {
            findings.push(
                "set-cookie-nameless-prefixed-value",
                Severity::High,
                format!(
                    "a nameless cookie whose value starts with {prefix} is ignored by browsers"
                ),
            );
        }
        findings.push(
            "set-cookie-nameless",
            Severity::Low,
            "nameless cookie (no `=`): some servers read it as a cookie named after its value",
        );
    }

    // Missing protections.
    if !cookie.secure() {
        let severity = if sensitive {
            Severity::High
        } else {
            Severity::Medium
        };
        findings.push("set-cookie-missing-secure", severity, format!("{label}: no Secure attribute; it can be sent over plain HTTP and overwritten from it"));
    }
    if !cookie.http_only() {
        let severity = if sensitive {
            Severity::High
        } else {
            Severity::Low
        };
        findings.push(
            "set-cookie-missing-httponly",
            severity,
            format!("{label}: no HttpOnly attribute; scripts (and XSS) can read it"),
        );
    }
    match cookie.same_site() {
        None => {
            let severity = if sensitive {
                Severity::Medium
            } else {
                Severity::Low
            };
            findings.push(
                "set-cookie-missing-samesite",
                severity,
                format!("{label}: no valid SameSite attribute; set Lax or Strict explicitly"),
            );
        }
        Some(SameSite::None) => {
            let severity = if sensitive {
                Severity::Medium
            } else {
                Severity::Info
            };
            findings.push(
                "set-cookie-samesite-none",
                severity,
                format!("{label}: SameSite=None sends it with cross-site requests (CSRF exposure)"),
            );
        }
        Some(_) => {}
    }
    if diagnostics
        .iter()
        .any(|d| d.kind == DiagnosticKind::UnrecognizedSameSite)
        && cookie.same_site().is_none()
    {
        findings.push("set-cookie-samesite-invalid", Severity::Low, format!("{label}: SameSite value is not Strict, Lax or None; browsers apply \"Default\" enforcement"));
    }
    if let Some(lifetime) = cookie.requested_lifetime(now)
        && lifetime > MAX_LIFETIME_SECONDS
    {
        findings.push(
            "set-cookie-lifetime-over-400-days",
            Severity::Low,
            format!(
                "{label}: lifetime of {} days; browsers cap it at 400",
                lifetime / 86_400
            ),
        );
    }
    if sensitive {
        if let Some(domain) = cookie.domain() {
            findings.push(
                "set-cookie-sensitive-domain",
                Severity::Low,
                format!(
                    "{label}: Domain={domain} shares a session-like cookie with every subdomain"
                ),
            );
        }
        if cookie.prefix().is_none() {
            findings.push(
                "set-cookie-sensitive-without-prefix",
                Severity::Info,
                format!(
                    "{label}: name it `__Host-{name}` to lock it to this host, Secure and Path=/"
                ),
            );
        }
    }
    if cookie.partitioned()
        && !matches!(
            cookie.prefix(),
            Some(CookiePrefix::Host | CookiePrefix::HostHttp)
        )
    {
        findings.push(
            "set-cookie-partitioned-without-host-prefix",
            Severity::Info,
            format!("{label}: partitioned cookies should use the __Host- prefix"),
        );
    }
    let mut ignored = diagnostics
        .iter()
        .filter(|d| d.kind != DiagnosticKind::UnrecognizedSameSite);
    for diagnostic in ignored.by_ref().take(MAX_IGNORED_ATTRIBUTE_FINDINGS) {
        let text = set_cookie.get(diagnostic.span.clone()).unwrap_or("");
        findings.push(
            "set-cookie-ignored-attribute",
            Severity::Info,
            format!("`{text}`: {}", diagnostic.kind),
        );
    }
    // A hostile value (`a=b;x;x;x;…`) would otherwise yield a finding and a message per two
    // bytes; the ones past the cap are counted in one finding.
    let more = ignored.count();
    if more > 0 {
        findings.push(
            "set-cookie-ignored-attribute",
            Severity::Info,
            format!("{more} more ignored attributes not listed"),
        );
    }
    findings
}

/// The most `set-cookie-ignored-attribute` findings listed one by one for a cookie.
const MAX_IGNORED_ATTRIBUTE_FINDINGS: usize = 32;
