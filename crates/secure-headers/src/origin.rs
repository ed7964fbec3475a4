//! Serialized origins (HTML §7.1.1 "serialization of an origin") and origin patterns.
//!
//! An [`Origin`] is what a browser sends in the `Origin` request header and what
//! Permissions-Policy allowlists and CORS configurations name: `scheme://host[:port]`, no
//! userinfo, no path, no query, no fragment. An [`OriginPattern`] is either an exact origin or a
//! subdomain wildcard `scheme://*.parent.example[:port]`, where `*` is the leftmost *whole* label.
//!
//! ```
//! use secure_headers::origin::{Origin, OriginPattern};
//!
//! let origin: Origin = "HTTPS://App.Example.com:443".parse()?;
//! assert_eq!(origin.as_str(), "https://app.example.com"); // lower case, default port dropped
//!
//! let pattern: OriginPattern = "https://*.example.com".parse()?;
//! assert!(pattern.matches(&origin));
//! assert!(!pattern.matches(&"https://example.com".parse()?)); // the parent itself is not covered
//! # Ok::<(), secure_headers::origin::OriginError>(())
//! ```

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

/// Longest origin text accepted (a DNS name is at most 253 octets; scheme and port add a little).
///
/// ```
/// use secure_headers::origin::{Origin, OriginError, MAX_ORIGIN_LEN};
/// // `x…x://example.com` with a scheme long enough to make the text `len` bytes.
/// let origin_of_len = |len: usize| format!("{}://example.com", "x".repeat(len - 14));
/// assert!(Origin::parse(&origin_of_len(MAX_ORIGIN_LEN)).is_ok());
/// assert_eq!(
///     Origin::parse(&origin_of_len(MAX_ORIGIN_LEN + 1)),
///     Err(OriginError::TooLong(MAX_ORIGIN_LEN + 1))
/// );
/// ```
pub const MAX_ORIGIN_LEN: usize = 512;

/// Why a text is not a serialized origin or origin pattern.
///
/// ```
/// use secure_headers::origin::{Origin, OriginError, OriginPattern};
///
/// assert_eq!(Origin::parse("null").unwrap_err(), OriginError::Opaque);
/// assert!(matches!(
///     Origin::parse("https://a.example/path"),
///     Err(OriginError::HasPath(_))
/// ));
/// assert!(matches!(
///     OriginPattern::parse("https://*.com"),
///     Err(OriginError::WildcardTooBroad(_))
/// ));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OriginError {
    /// The text is empty.
    #[error("the origin is empty")]
    Empty,
    /// The text is longer than [`MAX_ORIGIN_LEN`].
    #[error("the origin is {0} bytes long, more than the {MAX_ORIGIN_LEN} accepted")]
    TooLong(usize),
    /// `null` is an opaque origin: it names no site and cannot be allowed by name.
    #[error("`null` is an opaque origin and cannot be named in a policy")]
    Opaque,
    /// There is no `://` separating scheme and host.
    #[error("the origin `{0}` has no `scheme://` prefix")]
    MissingScheme(String),
    /// The scheme is not `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`.
    #[error("the scheme `{0}` is not a valid URL scheme")]
    InvalidScheme(String),
    /// Something follows the authority (a path, `/`, query or fragment).
    #[error(
        "the origin `{0}` has a path, query or fragment; an origin is only scheme://host[:port]"
    )]
    HasPath(String),
    /// The authority contains userinfo (`user@host`).
    #[error("the origin `{0}` contains userinfo (`@`)")]
    HasUserinfo(String),
    /// The host is empty or not a valid DNS name, IPv4 or bracketed IPv6 address.
    #[error("the host `{0}` is not a valid DNS name or IP address")]
    InvalidHost(String),
    /// The port is not a decimal number between 0 and 65535.
    #[error("the port `{0}` is not a number between 0 and 65535")]
    InvalidPort(String),
    /// A `*` appears anywhere but as the whole leftmost label of the host.
    #[error("the pattern `{0}` has a `*` that is not the whole leftmost host label")]
    MisplacedWildcard(String),
    /// A wildcard pattern whose parent has fewer than two labels (`https://*.com`) or is an IP.
    #[error(
        "the pattern `{0}` is too broad: the part after `*.` must be a DNS name with at least two labels"
    )]
    WildcardTooBroad(String),
}

/// A validated serialized tuple origin: `scheme://host[:port]`, ASCII lower case, default port
/// omitted.
///
/// ```
/// use secure_headers::origin::Origin;
///
/// let origin: Origin = "https://[::1]:8443".parse()?;
/// assert_eq!(origin.scheme(), "https");
/// assert_eq!(origin.host(), "[::1]");
/// assert_eq!(origin.port(), Some(8443));
/// assert!("https://a.example/path".parse::<Origin>().is_err());
/// # Ok::<(), secure_headers::origin::OriginError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Origin {
    serialized: Box<str>,
    scheme_len: usize,
    host_len: usize,
    port: Option<u16>,
}

/// The parts of an origin, borrowed from the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct OriginParts<'a> {
    pub(crate) scheme: &'a str,
    pub(crate) host: &'a str,
    pub(crate) port: Option<u16>,
    pub(crate) host_kind: HostKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HostKind {
    Domain,
    Ipv4,
    Ipv6,
}

fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" | "ws" => Some(80),
        "https" | "wss" => Some(443),
        "ftp" => Some(21),
        _ => None,
    }
}

fn valid_scheme(scheme: &str) -> bool {
    // RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
    let mut bytes = scheme.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
}

/// Classifies and validates a host (case-insensitively; the caller lower-cases).
/// `allow_wildcard` accepts `*` as a whole label so the caller can report a misplaced one.
fn classify_host(host: &str) -> Option<HostKind> {
    if let Some(inner) = host.strip_prefix('[') {
        let inner = inner.strip_suffix(']')?;
        return inner.parse::<Ipv6Addr>().ok().map(|_| HostKind::Ipv6);
    }
    if host.is_empty() || host.len() > 253 {
        return None;
    }
    let labels_ok = host.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    });
    if !labels_ok {
        return None;
    }
    // WHATWG URL "ends in a number checker": a host whose last label is numeric is an IPv4
    // address and must parse as one.
    let last = host.rsplit('.').next().unwrap_or(host);
    if last.bytes().all(|b| b.is_ascii_digit()) {
        return host.parse::<Ipv4Addr>().ok().map(|_| HostKind::Ipv4);
    }
    Some(HostKind::Domain)
}

/// Splits an absolute URL string `scheme://authority…` into its scheme, its authority
/// (userinfo included) and the rest (path, query, fragment); `None` without `://`. As in the
/// WHATWG URL parser's authority state, `/`, `?` or `#` ends the authority, and so does `\`
/// when the scheme is special.
pub(crate) fn split_url_authority(url: &str) -> Option<(&str, &str, &str)> {
    let (scheme, rest) = url.split_once("://")?;
    let special = ["http", "https", "ws", "wss", "ftp", "file"]
        .iter()
        .any(|s| scheme.eq_ignore_ascii_case(s));
    let authority_end = rest
        .find(|c| matches!(c, '/' | '?' | '#') || (special && c == '\\'))
        .unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    Some((scheme, authority, tail))
}

/// Splits `scheme://authority`, checking everything except the host grammar.
fn split_origin(text: &str) -> Result<(&str, &str, Option<u16>), OriginError> {
    if text.is_empty() {
        return Err(OriginError::Empty);
    }
    if text.len() > MAX_ORIGIN_LEN {
        return Err(OriginError::TooLong(text.len()));
    }
    if text.eq_ignore_ascii_case("null") {
        return Err(OriginError::Opaque);
    }
    let (scheme, authority) = text
        .split_once("://")
        .ok_or_else(|| OriginError::MissingScheme(text.to_owned()))?;
    if !valid_scheme(scheme) {
        return Err(OriginError::InvalidScheme(scheme.to_owned()));
    }
    if authority.contains(['/', '?', '#', '\\']) {
        return Err(OriginError::HasPath(text.to_owned()));
    }
    if authority.contains('@') {
        return Err(OriginError::HasUserinfo(text.to_owned()));
    }
    // The port is after the last ':' unless that ':' is inside an IPv6 literal.
    let (host, port_text) = match authority.rfind(':') {
        Some(i) if !authority[i..].contains(']') => (&authority[..i], Some(&authority[i + 1..])),
        _ => (authority, None),
    };
    let port = match port_text {
        None => None,
        Some(p) => {
            // URL parser, port state: any run of ASCII digits, "If port is greater than
            // 2^16 − 1, ... return failure" (leading zeros allowed; the length is already
            // bounded by MAX_ORIGIN_LEN and `u16` parsing refuses larger numbers).
            if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(OriginError::InvalidPort(p.to_owned()));
            }
            Some(
                p.parse::<u16>()
                    .map_err(|_| OriginError::InvalidPort(p.to_owned()))?,
            )
        }
    };
    Ok((scheme, host, port))
}

/// Parses an origin that must already be in its serialized (canonical) form, without
/// allocating: lower-case scheme and host, no default port. This is how browsers send `Origin`.
pub(crate) fn parse_canonical(text: &str) -> Option<OriginParts<'_>> {
    let (scheme, host, port) = split_origin(text).ok()?;
    if scheme.bytes().any(|b| b.is_ascii_uppercase())
        || host.bytes().any(|b| b.is_ascii_uppercase())
    {
        return None;
    }
    if port.is_some() && port == default_port(scheme) {
        return None;
    }
    // The serializer writes the port in shortest decimal form: `:08443` is not canonical.
    if port.is_some()
        && text
            .rsplit_once(':')
            .is_some_and(|(_, p)| p.len() > 1 && p.starts_with('0'))
    {
        return None;
    }
    let host_kind = classify_host(host)?;
    Some(OriginParts {
        scheme,
        host,
        port,
        host_kind,
    })
}

impl Origin {
    /// Parses and normalizes an origin: scheme and host are lower-cased and a default port
    /// (`:443` for `https`, `:80` for `http`) is dropped, so the result is the serialization a
    /// browser would send.
    ///
    /// ```
    /// use secure_headers::origin::Origin;
    /// assert_eq!(Origin::parse("HTTP://LOCALHOST:80")?.as_str(), "http://localhost");
    /// # Ok::<(), secure_headers::origin::OriginError>(())
    /// ```
    pub fn parse(text: &str) -> Result<Self, OriginError> {
        let (scheme, host, port) = split_origin(text)?;
        if host.contains('*') {
            return Err(OriginError::MisplacedWildcard(text.to_owned()));
        }
        let host_lower = host.to_ascii_lowercase();
        let kind =
            classify_host(&host_lower).ok_or_else(|| OriginError::InvalidHost(host.to_owned()))?;
        let scheme = scheme.to_ascii_lowercase();
        let port = port.filter(|p| Some(*p) != default_port(&scheme));
        let host_text = match kind {
            // Serialize IPv6 in its compressed canonical form, as the URL serializer does.
            HostKind::Ipv6 => {
                let inner = &host_lower[1..host_lower.len() - 1];
                match inner.parse::<Ipv6Addr>() {
                    Ok(addr) => format!("[{addr}]"),
                    Err(_) => return Err(OriginError::InvalidHost(host.to_owned())),
                }
            }
            HostKind::Ipv4 => match host_lower.parse::<Ipv4Addr>() {
                Ok(addr) => addr.to_string(),
                Err(_) => return Err(OriginError::InvalidHost(host.to_owned())),
            },
            HostKind::Domain => host_lower,
        };
        let mut serialized = String::with_capacity(scheme.len() + 3 + host_text.len() + 6);
        serialized.push_str(&scheme);
        serialized.push_str("://");
        serialized.push_str(&host_text);
        if let Some(p) = port {
            serialized.push(':');
            serialized.push_str(&p.to_string());
        }
        Ok(Origin {
            serialized: serialized.into_boxed_str(),
            scheme_len: scheme.len(),
            host_len: host_text.len(),
            port,
        })
    }

    /// The serialized origin, e.g. `https://a.example:8443`.
    ///
    /// ```
    /// # use secure_headers::origin::Origin;
    /// assert_eq!(Origin::parse("https://a.example")?.as_str(), "https://a.example");
    /// # Ok::<(), secure_headers::origin::OriginError>(())
    /// ```
    pub fn as_str(&self) -> &str {
        &self.serialized
    }

    /// The scheme, lower case.
    ///
    /// ```
    /// # use secure_headers::origin::Origin;
    /// assert_eq!(Origin::parse("wss://a.example")?.scheme(), "wss");
    /// # Ok::<(), secure_headers::origin::OriginError>(())
    /// ```
    pub fn scheme(&self) -> &str {
        self.serialized.get(..self.scheme_len).unwrap_or_default()
    }

    /// The host, lower case; IPv6 addresses keep their brackets.
    ///
    /// ```
    /// # use secure_headers::origin::Origin;
    /// assert_eq!(Origin::parse("https://A.example:8443")?.host(), "a.example");
    /// # Ok::<(), secure_headers::origin::OriginError>(())
    /// ```
    pub fn host(&self) -> &str {
        let start = self.scheme_len + 3;
        self.serialized
            .get(start..start + self.host_len)
            .unwrap_or_default()
    }

    /// The port, `None` when it is the scheme's default.
    ///
    /// ```
    /// # use secure_headers::origin::Origin;
    /// assert_eq!(Origin::parse("https://a.example:443")?.port(), None);
    /// assert_eq!(Origin::parse("https://a.example:444")?.port(), Some(444));
    /// # Ok::<(), secure_headers::origin::OriginError>(())
    /// ```
    pub fn port(&self) -> Option<u16> {
        self.port
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.serialized)
    }
}

impl fmt::Debug for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Origin({:?})", &*self.serialized)
    }
}

impl FromStr for Origin {
    type Err = OriginError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Origin::parse(s)
    }
}

crate::util::serde_via_str!(Origin, "a serialized origin such as `https://a.example`");

/// An exact origin or a subdomain wildcard.
///
/// Pattern language: `scheme://*.parent[:port]`, where `*` stands for one or more whole DNS
/// labels to the left of `parent`. `parent` must be a DNS name (not an IP address) with at least
/// two labels. Scheme and port must match exactly (an omitted port means the scheme's default).
/// `*.example.com` matches `a.example.com` and `a.b.example.com`, never `example.com` itself nor
/// `evilexample.com`. `*` anywhere else (`https://a*.example`, `https://*`, `*://a.example`) is
/// rejected.
///
/// ```
/// use secure_headers::origin::{Origin, OriginPattern};
///
/// let pattern = OriginPattern::parse("https://*.example.com")?;
/// assert!(pattern.matches(&Origin::parse("https://a.b.example.com")?));
/// assert!(!pattern.matches(&Origin::parse("https://evilexample.com")?));
/// assert!(!pattern.matches(&Origin::parse("http://a.example.com")?));
/// assert!(OriginPattern::parse("https://*.com").is_err());
/// # Ok::<(), secure_headers::origin::OriginError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum OriginPattern {
    /// One origin.
    Exact(Origin),
    /// Every subdomain (at any depth) of a parent host, with the same scheme and port.
    Subdomains(SubdomainPattern),
}

/// `scheme://*.parent[:port]`; see [`OriginPattern`].
///
/// ```
/// use secure_headers::origin::{Origin, OriginPattern};
///
/// let OriginPattern::Subdomains(pattern) = OriginPattern::parse("https://*.example.com")? else {
///     unreachable!()
/// };
/// assert_eq!(pattern.parent(), "example.com");
/// assert!(OriginPattern::Subdomains(pattern).matches(&Origin::parse("https://a.example.com")?));
/// # Ok::<(), secure_headers::origin::OriginError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct SubdomainPattern {
    serialized: Box<str>,
    scheme_len: usize,
    /// `.parent`, with the leading dot, for a suffix match.
    dot_parent: Box<str>,
    port: Option<u16>,
}

impl SubdomainPattern {
    /// The scheme every matching origin has.
    ///
    /// ```
    /// # use secure_headers::origin::OriginPattern;
    /// let OriginPattern::Subdomains(p) = OriginPattern::parse("https://*.a.example")? else { unreachable!() };
    /// assert_eq!(p.scheme(), "https");
    /// assert_eq!(p.parent(), "a.example");
    /// # Ok::<(), secure_headers::origin::OriginError>(())
    /// ```
    pub fn scheme(&self) -> &str {
        self.serialized.get(..self.scheme_len).unwrap_or_default()
    }

    /// The parent host whose subdomains match.
    ///
    /// ```
    /// # use secure_headers::origin::OriginPattern;
    /// let OriginPattern::Subdomains(p) = OriginPattern::parse("https://*.a.example:8443")? else { unreachable!() };
    /// assert_eq!(p.parent(), "a.example");
    /// assert_eq!(p.port(), Some(8443));
    /// # Ok::<(), secure_headers::origin::OriginError>(())
    /// ```
    pub fn parent(&self) -> &str {
        self.dot_parent.get(1..).unwrap_or_default()
    }

    /// The port every matching origin has (`None` = the scheme's default).
    ///
    /// ```
    /// # use secure_headers::origin::OriginPattern;
    /// let OriginPattern::Subdomains(p) = OriginPattern::parse("https://*.a.example")? else { unreachable!() };
    /// assert_eq!(p.port(), None);
    /// # Ok::<(), secure_headers::origin::OriginError>(())
    /// ```
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    pub(crate) fn matches_parts(&self, parts: &OriginParts<'_>) -> bool {
        parts.host_kind == HostKind::Domain
            && parts.scheme == self.scheme()
            && parts.port == self.port
            && parts.host.len() > self.dot_parent.len()
            && parts.host.ends_with(&*self.dot_parent)
    }
}

impl OriginPattern {
    /// Parses an exact origin or a `scheme://*.parent[:port]` pattern.
    ///
    /// ```
    /// # use secure_headers::origin::{OriginError, OriginPattern};
    /// assert!(matches!(OriginPattern::parse("https://a.*.example"), Err(OriginError::MisplacedWildcard(_))));
    /// # Ok::<(), OriginError>(())
    /// ```
    pub fn parse(text: &str) -> Result<Self, OriginError> {
        let (scheme, host, port) = split_origin(text)?;
        let Some(parent) = host.strip_prefix("*.") else {
            return Origin::parse(text).map(OriginPattern::Exact);
        };
        if parent.contains('*') || scheme.contains('*') {
            return Err(OriginError::MisplacedWildcard(text.to_owned()));
        }
        let parent = parent.to_ascii_lowercase();
        match classify_host(&parent) {
            Some(HostKind::Domain) if parent.contains('.') => {}
            Some(_) => return Err(OriginError::WildcardTooBroad(text.to_owned())),
            None => return Err(OriginError::InvalidHost(host.to_owned())),
        }
        let scheme = scheme.to_ascii_lowercase();
        let port = port.filter(|p| Some(*p) != default_port(&scheme));
        let mut serialized = format!("{scheme}://*.{parent}");
        if let Some(p) = port {
            serialized.push(':');
            serialized.push_str(&p.to_string());
        }
        Ok(OriginPattern::Subdomains(SubdomainPattern {
            serialized: serialized.into_boxed_str(),
            scheme_len: scheme.len(),
            dot_parent: format!(".{parent}").into_boxed_str(),
            port,
        }))
    }

    /// Whether `origin` is covered by this pattern.
    ///
    /// ```
    /// # use secure_headers::origin::{Origin, OriginPattern};
    /// let exact = OriginPattern::parse("https://a.example")?;
    /// assert!(exact.matches(&Origin::parse("https://a.example:443")?));
    /// # Ok::<(), secure_headers::origin::OriginError>(())
    /// ```
    pub fn matches(&self, origin: &Origin) -> bool {
        match self {
            OriginPattern::Exact(o) => o == origin,
            OriginPattern::Subdomains(p) => {
                parse_canonical(origin.as_str()).is_some_and(|parts| p.matches_parts(&parts))
            }
        }
    }

    /// Whether the serialized origin `text` (as sent in an `Origin` request header) is covered.
    /// Text that is not in canonical serialized form never matches.
    #[cfg(test)]
    pub(crate) fn matches_serialized(&self, text: &str) -> bool {
        match self {
            OriginPattern::Exact(o) => o.as_str() == text,
            OriginPattern::Subdomains(p) => {
                parse_canonical(text).is_some_and(|parts| p.matches_parts(&parts))
            }
        }
    }

    /// The pattern's text, e.g. `https://*.example.com`.
    ///
    /// ```
    /// # use secure_headers::origin::OriginPattern;
    /// assert_eq!(OriginPattern::parse("HTTPS://*.Example.COM:443")?.as_str(), "https://*.example.com");
    /// # Ok::<(), secure_headers::origin::OriginError>(())
    /// ```
    pub fn as_str(&self) -> &str {
        match self {
            OriginPattern::Exact(o) => o.as_str(),
            OriginPattern::Subdomains(p) => &p.serialized,
        }
    }
}

impl From<Origin> for OriginPattern {
    fn from(origin: Origin) -> Self {
        OriginPattern::Exact(origin)
    }
}

impl fmt::Display for OriginPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OriginPattern {
    type Err = OriginError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OriginPattern::parse(s)
    }
}

crate::util::serde_via_str!(
    OriginPattern,
    "an origin or a pattern such as `https://*.example.com`"
);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn origin_normalizes_case_and_default_port() {
        assert_eq!(
            Origin::parse("HTTPS://A.Example:443").unwrap().as_str(),
            "https://a.example"
        );
        assert_eq!(
            Origin::parse("http://a.example:443").unwrap().as_str(),
            "http://a.example:443"
        );
    }

    #[test]
    fn origin_rejects_path_userinfo_and_null() {
        assert!(matches!(
            Origin::parse("https://a.example/"),
            Err(OriginError::HasPath(_))
        ));
        assert!(matches!(
            Origin::parse("https://a.example?x"),
            Err(OriginError::HasPath(_))
        ));
        assert!(matches!(
            Origin::parse("https://u@a.example"),
            Err(OriginError::HasUserinfo(_))
        ));
        assert!(matches!(Origin::parse("null"), Err(OriginError::Opaque)));
        assert!(matches!(
            Origin::parse("a.example"),
            Err(OriginError::MissingScheme(_))
        ));
    }

    #[test]
    fn origin_rejects_injection_bytes_in_host() {
        for bad in [
            "https://a.example\r\nx",
            "https://a example",
            "https://a;b",
            "https://a,b",
            "https://a\"b",
        ] {
            assert!(Origin::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn origin_ip_hosts_follow_url_serialization() {
        assert_eq!(
            Origin::parse("https://[0:0::1]").unwrap().as_str(),
            "https://[::1]"
        );
        assert_eq!(
            Origin::parse("http://127.0.0.1:8080").unwrap().host(),
            "127.0.0.1"
        );
        assert!(
            Origin::parse("http://1.2.3.999").is_err(),
            "numeric last label must be IPv4"
        );
        assert!(Origin::parse("http://[::1").is_err());
    }

    #[test]
    fn origin_port_out_of_range_is_rejected() {
        assert!(matches!(
            Origin::parse("https://a.example:65536"),
            Err(OriginError::InvalidPort(_))
        ));
        assert!(matches!(
            Origin::parse("https://a.example:"),
            Err(OriginError::InvalidPort(_))
        ));
    }

    #[test]
    fn wildcard_only_as_whole_leftmost_label() {
        for bad in [
            "https://a*.example.com",
            "https://*a.example.com",
            "https://a.*.example.com",
            "*://a.example",
            "https://*",
        ] {
            assert!(OriginPattern::parse(bad).is_err(), "{bad}");
        }
        assert!(matches!(
            OriginPattern::parse("https://*.com"),
            Err(OriginError::WildcardTooBroad(_))
        ));
        assert!(matches!(
            OriginPattern::parse("https://*.1.2.3.4"),
            Err(OriginError::WildcardTooBroad(_))
        ));
    }

    #[test]
    fn wildcard_matches_subdomains_only() {
        let p = OriginPattern::parse("https://*.example.com").unwrap();
        assert!(p.matches_serialized("https://a.example.com"));
        assert!(p.matches_serialized("https://a.b.example.com"));
        assert!(!p.matches_serialized("https://example.com"));
        assert!(!p.matches_serialized("https://.example.com"));
        assert!(!p.matches_serialized("https://evilexample.com"));
        assert!(!p.matches_serialized("https://a.example.com.evil"));
        assert!(!p.matches_serialized("https://a.example.com:8443"));
        assert!(!p.matches_serialized("http://a.example.com"));
        assert!(
            !p.matches_serialized("https://A.example.com"),
            "non-canonical text never matches"
        );
    }

    #[test]
    fn port_is_any_decimal_number_up_to_65535() {
        // URL parser, port state: leading zeros are digits like any other.
        assert_eq!(
            Origin::parse("https://a.example:000443").unwrap().as_str(),
            "https://a.example"
        );
        assert_eq!(
            Origin::parse("https://a.example:008443").unwrap().port(),
            Some(8443)
        );
        assert_eq!(
            Origin::parse("https://a.example:65535").unwrap().port(),
            Some(65535)
        );
        assert_eq!(
            Origin::parse("https://a.example:0").unwrap().port(),
            Some(0)
        );
        for bad in ["65536", "0065536", "99999", "-1", "+80", "8 0", "0x50"] {
            assert!(
                matches!(
                    Origin::parse(&format!("https://a.example:{bad}")),
                    Err(OriginError::InvalidPort(_))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn non_canonical_port_never_matches_a_pattern() {
        let p = OriginPattern::parse("https://*.example.com:8443").unwrap();
        assert!(p.matches_serialized("https://a.example.com:8443"));
        assert!(!p.matches_serialized("https://a.example.com:08443"));
        let any_port_zero = OriginPattern::parse("http://*.example.com:0").unwrap();
        assert!(any_port_zero.matches_serialized("http://a.example.com:0"));
        assert!(!any_port_zero.matches_serialized("http://a.example.com:00"));
    }

    #[test]
    fn host_is_at_most_253_bytes_with_labels_of_at_most_63() {
        let label63 = "a".repeat(63);
        assert!(Origin::parse(&format!("https://{label63}.example")).is_ok());
        assert!(matches!(
            Origin::parse(&format!("https://{}.example", "a".repeat(64))),
            Err(OriginError::InvalidHost(_))
        ));
        // Four labels of 63 plus three dots: 255 bytes; trim to exactly 253 and 254.
        let host = |len: usize| {
            let mut h = format!("{label63}.{label63}.{label63}.{label63}");
            h.truncate(len);
            h
        };
        assert_eq!(host(253).len(), 253);
        assert!(Origin::parse(&format!("https://{}", host(253))).is_ok());
        assert!(matches!(
            Origin::parse(&format!("https://{}", host(254))),
            Err(OriginError::InvalidHost(_))
        ));
    }

    #[test]
    fn empty_labels_and_a_trailing_dot_are_refused() {
        for bad in [
            "https://a..example",
            "https://.a.example",
            "https://a.example.",
            "https://",
        ] {
            assert!(Origin::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn null_is_opaque_in_any_case_and_empty_is_empty() {
        for null in ["null", "NULL", "Null"] {
            assert_eq!(Origin::parse(null), Err(OriginError::Opaque), "{null}");
        }
        assert_eq!(Origin::parse(""), Err(OriginError::Empty));
    }

    #[test]
    fn wildcard_parent_needs_two_labels_exactly_at_the_boundary() {
        assert!(OriginPattern::parse("https://*.example.com").is_ok());
        assert!(matches!(
            OriginPattern::parse("https://*.com"),
            Err(OriginError::WildcardTooBroad(_))
        ));
        assert!(matches!(
            OriginPattern::parse("https://*.[::1]"),
            Err(OriginError::WildcardTooBroad(_))
        ));
        assert!(matches!(
            OriginPattern::parse("https://*.*.example.com"),
            Err(OriginError::MisplacedWildcard(_))
        ));
    }

    #[test]
    fn pattern_matches_the_shortest_subdomain_and_any_depth() {
        let p = OriginPattern::parse("https://*.example.com").unwrap();
        assert!(p.matches_serialized("https://a.example.com"));
        assert!(p.matches_serialized(&format!("https://{}.example.com", ["b"; 40].join("."))));
        assert!(!p.matches_serialized("https://aexample.com"));
        assert!(!p.matches_serialized("https://a.example.com:443"));
    }

    proptest! {
        #[test]
        fn origin_round_trips(scheme in "[a-z][a-z0-9+.-]{0,6}", labels in proptest::collection::vec("[a-z][a-z0-9-]{0,10}", 1..4), port in proptest::option::of(1u16..)) {
            let mut text = format!("{scheme}://{}", labels.join("."));
            if let Some(p) = port { text.push_str(&format!(":{p}")); }
            let origin = Origin::parse(&text).unwrap();
            prop_assert_eq!(Origin::parse(&origin.to_string()).unwrap(), origin);
        }

        #[test]
        fn origin_parse_never_panics(text in "\\PC{0,40}") {
            let _ = Origin::parse(&text);
            let _ = OriginPattern::parse(&text);
        }
    }
}
