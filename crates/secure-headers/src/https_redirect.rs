//! Deciding whether a request arrived over HTTPS (also behind reverse proxies), and redirecting
//! plain-HTTP requests to HTTPS without letting the `Host` header choose the target.
//!
//! Proxy headers (`Forwarded`, `X-Forwarded-Proto`) are believed only when the immediate peer
//! (the TCP peer address your server sees) is in [`TrustedProxies`], and only the *last* value —
//! the one that peer appended — is read. A client that sends its own `X-Forwarded-Proto: https`
//! directly, or through a proxy that appends rather than replaces, cannot fake HTTPS.
//!
//! ```
//! use std::net::IpAddr;
//! use http::Request;
//! use secure_headers::https_redirect::{HttpsRedirect, RedirectDecision, TrustedProxies};
//!
//! let redirect = HttpsRedirect::builder()
//!     .allow_host("example.com")
//!     .allow_host("*.example.com")
//!     .trusted_proxies(TrustedProxies::new().with("10.0.0.0/8")?)
//!     .build()?;
//!
//! let (parts, ()) = Request::get("/login?next=%2F").header("host", "www.example.com").body(()).unwrap().into_parts();
//! let peer: IpAddr = "203.0.113.9".parse().unwrap();
//! let RedirectDecision::Redirect(r) = redirect.decide(&parts, peer) else { panic!() };
//! assert_eq!(r.status(), 308);
//! assert_eq!(r.location(), "https://www.example.com/login?next=%2F");
//!
//! // Behind the trusted proxy, which says the client used HTTPS: no redirect.
//! let (parts, ()) = Request::get("/").header("host", "example.com").header("x-forwarded-proto", "https")
//!     .body(()).unwrap().into_parts();
//! assert!(matches!(redirect.decide(&parts, "10.1.2.3".parse().unwrap()), RedirectDecision::AlreadyHttps(_)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use http::header::{FORWARDED, HOST, LOCATION};
use http::{HeaderMap, HeaderName, HeaderValue, Response, StatusCode, Uri};

use crate::origin::Origin;
use crate::util::{is_tchar, trim_ows};

/// `X-Forwarded-Proto`.
///
/// ```
/// use http::HeaderMap;
/// use secure_headers::https_redirect::{SchemeSource, TrustedProxies, X_FORWARDED_PROTO};
/// let proxies = TrustedProxies::new().with("10.0.0.1")?;
/// let (uri, proxy) = ("/".parse()?, "10.0.0.1".parse()?);
/// let mut headers = HeaderMap::new();
/// headers.insert(X_FORWARDED_PROTO, "https".parse()?);
/// let from_proxy = |headers: &HeaderMap| proxies.scheme(&uri, headers, proxy, false);
/// assert_eq!(from_proxy(&headers), (true, SchemeSource::XForwardedProto));
/// // Only the last value, the one the trusted proxy appended, counts.
/// headers.insert(X_FORWARDED_PROTO, "https, http".parse()?);
/// assert_eq!(from_proxy(&headers), (false, SchemeSource::XForwardedProto));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const X_FORWARDED_PROTO: HeaderName = HeaderName::from_static("x-forwarded-proto");

/// A `Forwarded` header longer than this (all its lines joined with `, `) is not parsed.
///
/// ```
/// use http::{header::FORWARDED, HeaderMap};
/// use secure_headers::https_redirect::{SchemeSource, TrustedProxies, MAX_FORWARDED_LEN};
/// let proxies = TrustedProxies::new().with("10.0.0.1")?;
/// let (uri, proxy) = ("/".parse()?, "10.0.0.1".parse()?);
/// let forwarded = |len: usize| format!("proto=https;x={}", "a".repeat(len - 14));
/// let mut headers = HeaderMap::new();
/// headers.insert(FORWARDED, forwarded(MAX_FORWARDED_LEN).parse()?);
/// assert_eq!(proxies.scheme(&uri, &headers, proxy, false), (true, SchemeSource::Forwarded));
/// // Too long: not read, so not evidence of HTTPS.
/// headers.insert(FORWARDED, forwarded(MAX_FORWARDED_LEN + 1).parse()?);
/// assert_eq!(proxies.scheme(&uri, &headers, proxy, false), (false, SchemeSource::Forwarded));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const MAX_FORWARDED_LEN: usize = 8 * 1024;

// ---------------------------------------------------------------------------------------------
// Trusted proxies
// ---------------------------------------------------------------------------------------------

/// An IP network (`10.0.0.0/8`, `fd00::/8`) or a single address (`192.0.2.1`, `::1`).
///
/// ```
/// use secure_headers::https_redirect::IpCidr;
/// let net: IpCidr = "10.0.0.0/8".parse()?;
/// assert!(net.contains("10.200.1.1".parse().unwrap()));
/// assert!(net.contains("::ffff:10.0.0.1".parse().unwrap())); // IPv4-mapped IPv6 peer
/// assert!(!net.contains("11.0.0.1".parse().unwrap()));
/// assert!("10.0.0.0/33".parse::<IpCidr>().is_err());
/// # Ok::<(), secure_headers::https_redirect::HttpsRedirectError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IpCidr {
    network: IpAddr,
    prefix: u8,
}

impl IpCidr {
    /// Whether `addr` is inside the network. IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`)
    /// are compared as IPv4.
    ///
    /// ```
    /// use secure_headers::https_redirect::IpCidr;
    ///
    /// let net: IpCidr = "2001:db8::/32".parse()?;
    /// assert!(net.contains("2001:db8::7".parse().unwrap()));
    /// assert!(!net.contains("2001:db9::7".parse().unwrap()));
    /// let host: IpCidr = "192.0.2.7".parse()?;
    /// assert!(host.contains("::ffff:192.0.2.7".parse().unwrap()));
    /// assert!(!host.contains("192.0.2.8".parse().unwrap()));
    /// # Ok::<(), secure_headers::https_redirect::HttpsRedirectError>(())
    /// ```
    pub fn contains(&self, addr: IpAddr) -> bool {
        match (self.network, addr.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(a)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(a)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

impl FromStr for IpCidr {
    type Err = HttpsRedirectError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || HttpsRedirectError::InvalidNetwork(s.to_owned());
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let network: IpAddr = addr.parse().map_err(|_| bad())?;
        let network = network.to_canonical();
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) if !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()) => {
                p.parse::<u8>().map_err(|_| bad())?
            }
            Some(_) => return Err(bad()),
        };
        if prefix > max {
            return Err(bad());
        }
        Ok(IpCidr { network, prefix })
    }
}

impl fmt::Display for IpCidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

crate::util::serde_via_str!(IpCidr, "an IP address or network such as `10.0.0.0/8`");

/// Where the HTTPS verdict came from.
///
/// ```
/// use http::HeaderMap;
/// use secure_headers::https_redirect::{SchemeSource, TrustedProxies};
///
/// let proxies = TrustedProxies::new().with("10.0.0.0/8")?;
/// let mut headers = HeaderMap::new();
/// headers.insert("x-forwarded-proto", "https".parse().unwrap());
/// let uri = "/".parse().unwrap();
/// assert_eq!(
///     proxies.scheme(&uri, &headers, "10.0.0.2".parse().unwrap(), false),
///     (true, SchemeSource::XForwardedProto)
/// );
/// assert_eq!(
///     proxies.scheme(&uri, &HeaderMap::new(), "10.0.0.2".parse().unwrap(), true),
///     (true, SchemeSource::Connection)
/// );
/// # Ok::<(), secure_headers::https_redirect::HttpsRedirectError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SchemeSource {
    /// The request URI's scheme (HTTP/2 `:scheme`, absolute-form) or the caller's TLS flag.
    Connection,
    /// The last `Forwarded: proto=` of a trusted peer.
    Forwarded,
    /// The last `X-Forwarded-Proto` value of a trusted peer.
    XForwardedProto,
    /// No information: treated as plain HTTP.
    Default,
}

/// Which peers may tell us the original scheme, and through which headers.
///
/// ```
/// use secure_headers::https_redirect::TrustedProxies;
/// let proxies = TrustedProxies::private_networks();
/// assert!(proxies.is_trusted("192.168.1.10".parse().unwrap()));
/// assert!(!proxies.is_trusted("8.8.8.8".parse().unwrap()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedProxies {
    networks: Vec<IpCidr>,
    use_forwarded: bool,
    use_x_forwarded_proto: bool,
}

impl Default for TrustedProxies {
    /// No trusted proxy: proxy headers are never believed.
    fn default() -> Self {
        TrustedProxies {
            networks: Vec::new(),
            use_forwarded: true,
            use_x_forwarded_proto: true,
        }
    }
}

impl TrustedProxies {
    /// No trusted proxy (same as `default()`).
    ///
    /// ```
    /// use secure_headers::https_redirect::TrustedProxies;
    ///
    /// let proxies = TrustedProxies::new();
    /// assert_eq!(proxies, TrustedProxies::default());
    /// assert!(!proxies.is_trusted("127.0.0.1".parse().unwrap()));
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Loopback and private networks: `127.0.0.0/8`, `10.0.0.0/8`, `172.16.0.0/12`,
    /// `192.168.0.0/16`, `::1`, `fc00::/7`. Only right when every host on those networks is
    /// your own proxy.
    ///
    /// ```
    /// use secure_headers::https_redirect::TrustedProxies;
    ///
    /// let proxies = TrustedProxies::private_networks();
    /// assert!(proxies.is_trusted("172.16.5.4".parse().unwrap()));
    /// assert!(proxies.is_trusted("::1".parse().unwrap()));
    /// assert!(proxies.is_trusted("fd12::1".parse().unwrap()));
    /// assert!(!proxies.is_trusted("172.32.0.1".parse().unwrap()));
    /// ```
    pub fn private_networks() -> Self {
        let networks = [
            "127.0.0.0/8",
            "10.0.0.0/8",
            "172.16.0.0/12",
            "192.168.0.0/16",
            "::1",
            "fc00::/7",
        ]
        .iter()
        .filter_map(|n| n.parse().ok())
        .collect();
        TrustedProxies {
            networks,
            ..Self::default()
        }
    }

    /// Adds an address or network (`10.0.0.0/8`, `2001:db8::/32`, `192.0.2.7`).
    ///
    /// ```
    /// use secure_headers::https_redirect::{HttpsRedirectError, TrustedProxies};
    ///
    /// let proxies = TrustedProxies::new().with("192.0.2.7")?.with("2001:db8::/32")?;
    /// assert!(proxies.is_trusted("192.0.2.7".parse().unwrap()));
    /// assert!(proxies.is_trusted("2001:db8::1".parse().unwrap()));
    /// assert_eq!(
    ///     TrustedProxies::new().with("10.0.0.0/33"),
    ///     Err(HttpsRedirectError::InvalidNetwork("10.0.0.0/33".to_owned()))
    /// );
    /// # Ok::<(), secure_headers::https_redirect::HttpsRedirectError>(())
    /// ```
    pub fn with(mut self, network: &str) -> Result<Self, HttpsRedirectError> {
        self.networks.push(network.parse()?);
        Ok(self)
    }

    /// Whether to read RFC 7239 `Forwarded` (default true; it is consulted first).
    ///
    /// ```
    /// use http::HeaderMap;
    /// use secure_headers::https_redirect::{SchemeSource, TrustedProxies};
    ///
    /// let mut headers = HeaderMap::new();
    /// headers.insert("forwarded", "for=192.0.2.60;proto=https".parse().unwrap());
    /// let (uri, peer) = ("/".parse().unwrap(), "10.0.0.1".parse().unwrap());
    /// let proxies = TrustedProxies::new().with("10.0.0.1")?;
    /// assert_eq!(proxies.scheme(&uri, &headers, peer, false), (true, SchemeSource::Forwarded));
    /// let proxies = proxies.use_forwarded(false);
    /// assert_eq!(proxies.scheme(&uri, &headers, peer, false), (false, SchemeSource::Default));
    /// # Ok::<(), secure_headers::https_redirect::HttpsRedirectError>(())
    /// ```
    #[must_use]
    pub fn use_forwarded(mut self, yes: bool) -> Self {
        self.use_forwarded = yes;
        self
    }

    /// Whether to read `X-Forwarded-Proto` (default true).
    ///
    /// ```
    /// use http::HeaderMap;
    /// use secure_headers::https_redirect::{SchemeSource, TrustedProxies};
    ///
    /// let mut headers = HeaderMap::new();
    /// headers.insert("x-forwarded-proto", "https".parse().unwrap());
    /// let (uri, peer) = ("/".parse().unwrap(), "10.0.0.1".parse().unwrap());
    /// let proxies = TrustedProxies::new().with("10.0.0.1")?.use_x_forwarded_proto(false);
    /// assert_eq!(proxies.scheme(&uri, &headers, peer, false), (false, SchemeSource::Default));
    /// # Ok::<(), secure_headers::https_redirect::HttpsRedirectError>(())
    /// ```
    #[must_use]
    pub fn use_x_forwarded_proto(mut self, yes: bool) -> Self {
        self.use_x_forwarded_proto = yes;
        self
    }

    /// Whether `peer` is a trusted proxy.
    ///
    /// ```
    /// use secure_headers::https_redirect::TrustedProxies;
    ///
    /// let proxies = TrustedProxies::new().with("10.0.0.0/8")?;
    /// assert!(proxies.is_trusted("10.9.8.7".parse().unwrap()));
    /// assert!(proxies.is_trusted("::ffff:10.9.8.7".parse().unwrap()));
    /// assert!(!proxies.is_trusted("192.0.2.1".parse().unwrap()));
    /// # Ok::<(), secure_headers::https_redirect::HttpsRedirectError>(())
    /// ```
    pub fn is_trusted(&self, peer: IpAddr) -> bool {
        self.networks.iter().any(|n| n.contains(peer))
    }

    /// Decides whether the request was made over HTTPS: from the URI scheme or
    /// `connection_is_tls`; otherwise, only if `peer` is trusted, from the last `Forwarded`
    /// element's `proto` or else the last `X-Forwarded-Proto` value.
    ///
    /// ```
    /// use http::HeaderMap;
    /// use secure_headers::https_redirect::{SchemeSource, TrustedProxies};
    ///
    /// let proxies = TrustedProxies::new().with("10.0.0.1")?;
    /// let mut headers = HeaderMap::new();
    /// headers.insert("forwarded", r#"for=192.0.2.60;proto=http, for="[2001:db8::1]";proto=https"#.parse().unwrap());
    /// let uri = "/".parse().unwrap();
    /// assert_eq!(proxies.scheme(&uri, &headers, "10.0.0.1".parse().unwrap(), false), (true, SchemeSource::Forwarded));
    /// // The same headers from an untrusted peer are ignored.
    /// assert_eq!(proxies.scheme(&uri, &headers, "192.0.2.1".parse().unwrap(), false), (false, SchemeSource::Default));
    /// # Ok::<(), secure_headers::https_redirect::HttpsRedirectError>(())
    /// ```
    pub fn scheme(
        &self,
        uri: &Uri,
        headers: &HeaderMap,
        peer: IpAddr,
        connection_is_tls: bool,
    ) -> (bool, SchemeSource) {
        if connection_is_tls || uri.scheme() == Some(&http::uri::Scheme::HTTPS) {
            return (true, SchemeSource::Connection);
        }
        if uri.scheme() == Some(&http::uri::Scheme::HTTP) && !self.is_trusted(peer) {
            return (false, SchemeSource::Connection);
        }
        if !self.is_trusted(peer) {
            return (false, SchemeSource::Default);
        }
        if self.use_forwarded && headers.contains_key(FORWARDED) {
            // A malformed Forwarded header from our own proxy is a configuration error; it is
            // not evidence of HTTPS.
            match last_forwarded_element(headers) {
                Ok(Some(element)) => {
                    if let Some(proto) = element.proto {
                        return (proto.eq_ignore_ascii_case("https"), SchemeSource::Forwarded);
                    }
                }
                Ok(None) => {}
                Err(_) => return (false, SchemeSource::Forwarded),
            }
        }
        if let Some(last) = self
            .use_x_forwarded_proto
            .then(|| last_list_value(headers, &X_FORWARDED_PROTO))
            .flatten()
        {
            return (
                last.eq_ignore_ascii_case("https"),
                SchemeSource::XForwardedProto,
            );
        }
        (false, SchemeSource::Default)
    }
}

/// The last non-empty comma-separated value of the last `name` line: the line the nearest
/// proxy appended. An empty last line gives `None`, not a value from an earlier line, which
/// may come from the client.
fn last_list_value<'a>(headers: &'a HeaderMap, name: &HeaderName) -> Option<&'a str> {
    let last_line = headers.get_all(name).iter().next_back()?;
    let text = last_line.to_str().ok()?;
    text.rsplit(',').map(trim_ows).find(|v| !v.is_empty())
}

// ---------------------------------------------------------------------------------------------
// RFC 7239 Forwarded
// ---------------------------------------------------------------------------------------------

/// One `forwarded-element` of RFC 7239 `Forwarded`, with quoted-strings unescaped.
///
/// ```
/// use secure_headers::https_redirect::{parse_last_forwarded_element, ForwardedElement};
///
/// let last = parse_last_forwarded_element(
///     r#"for=198.51.100.17, for="[2001:db8::1]";by=10.0.0.1;proto=https"#,
/// )?;
/// assert_eq!(
///     last,
///     Some(ForwardedElement {
///         for_node: Some("[2001:db8::1]".to_owned()),
///         by: Some("10.0.0.1".to_owned()),
///         host: None,
///         proto: Some("https".to_owned()),
///     })
/// );
/// # Ok::<(), secure_headers::https_redirect::ForwardedError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ForwardedElement {
    /// `for=`: the client side of the hop.
    pub for_node: Option<String>,
    /// `by=`: the proxy side of the hop.
    pub by: Option<String>,
    /// `host=`: the `Host` the proxy received.
    pub host: Option<String>,
    /// `proto=`: the scheme the proxy received the request on.
    pub proto: Option<String>,
}

/// A malformed `Forwarded` header.
///
/// ```
/// use secure_headers::https_redirect::{parse_last_forwarded_element, ForwardedError};
///
/// assert_eq!(
///     parse_last_forwarded_element("proto=https;Proto=http"),
///     Err(ForwardedError::DuplicateParameter("proto".to_owned()))
/// );
/// assert_eq!(parse_last_forwarded_element("proto"), Err(ForwardedError::Syntax(5)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ForwardedError {
    /// A syntax error at a byte offset.
    #[error("malformed Forwarded header at byte {0}")]
    Syntax(usize),
    /// RFC 7239 §4: "Each parameter MUST NOT occur more than once per forwarded-element."
    #[error("parameter `{0}` repeated in one forwarded-element")]
    DuplicateParameter(String),
    /// Longer than [`MAX_FORWARDED_LEN`] or not visible ASCII.
    #[error("Forwarded header too long or not ASCII")]
    Unreadable,
}

/// Parses a whole `Forwarded` value (RFC 7239 §4) and returns its last element.
///
/// ```
/// use secure_headers::https_redirect::parse_last_forwarded_element;
/// let e = parse_last_forwarded_element(r#"for=a, For="_hidden";Proto=HTTPS;host="x.example:8443""#)?.unwrap();
/// assert_eq!(e.proto.as_deref(), Some("HTTPS"));
/// assert_eq!(e.host.as_deref(), Some("x.example:8443"));
/// assert!(parse_last_forwarded_element("proto=https;proto=http").is_err());
/// assert!(parse_last_forwarded_element(r#"proto="https"#).is_err());
/// # Ok::<(), secure_headers::https_redirect::ForwardedError>(())
/// ```
pub fn parse_last_forwarded_element(
    value: &str,
) -> Result<Option<ForwardedElement>, ForwardedError> {
    // Forwarded   = 1#forwarded-element
    // forwarded-element = [ forwarded-pair ] *( ";" [ forwarded-pair ] )
    // forwarded-pair = token "=" value
    // value          = token / quoted-string
    let bytes = value.as_bytes();
    let mut pos = 0;
    let mut last: Option<ForwardedElement> = None;
    let mut current = ForwardedElement::default();
    let mut current_nonempty = false;
    let skip_ows = |pos: &mut usize| {
        while bytes.get(*pos).is_some_and(|&b| b == b' ' || b == b'\t') {
            *pos += 1;
        }
    };
    loop {
        skip_ows(&mut pos);
        match bytes.get(pos) {
            None => break,
            Some(b',') => {
                if current_nonempty {
                    last = Some(std::mem::take(&mut current));
                    current_nonempty = false;
                }
                pos += 1;
                continue;
            }
            Some(b';') => {
                pos += 1;
                continue;
            }
            Some(_) => {}
        }
        let name_start = pos;
        while bytes.get(pos).copied().is_some_and(is_tchar) {
            pos += 1;
        }
        let name = value.get(name_start..pos).unwrap_or_default();
        if name.is_empty() || bytes.get(pos) != Some(&b'=') {
            return Err(ForwardedError::Syntax(pos));
        }
        pos += 1;
        let param_value = if bytes.get(pos) == Some(&b'"') {
            pos += 1;
            let mut text = String::new();
            loop {
                match bytes.get(pos) {
                    None => return Err(ForwardedError::Syntax(pos)),
                    Some(b'"') => {
                        pos += 1;
                        break;
                    }
                    Some(b'\\') => {
                        // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
                        let escaped = *bytes.get(pos + 1).ok_or(ForwardedError::Syntax(pos))?;
                        text.push(char::from(escaped));
                        pos += 2;
                    }
                    Some(&b) => {
                        text.push(char::from(b));
                        pos += 1;
                    }
                }
            }
            text
        } else {
            let start = pos;
            while bytes.get(pos).copied().is_some_and(is_tchar) {
                pos += 1;
            }
            if start == pos {
                return Err(ForwardedError::Syntax(pos));
            }
            value.get(start..pos).unwrap_or_default().to_owned()
        };
        // Parameter names are case-insensitive (RFC 7239 §4).
        let slot = if name.eq_ignore_ascii_case("for") {
            Some(&mut current.for_node)
        } else if name.eq_ignore_ascii_case("by") {
            Some(&mut current.by)
        } else if name.eq_ignore_ascii_case("host") {
            Some(&mut current.host)
        } else if name.eq_ignore_ascii_case("proto") {
            Some(&mut current.proto)
        } else {
            None // extension parameters are ignored
        };
        if let Some(slot) = slot {
            if slot.is_some() {
                return Err(ForwardedError::DuplicateParameter(
                    name.to_ascii_lowercase(),
                ));
            }
            *slot = Some(param_value);
        }
        current_nonempty = true;
        skip_ows(&mut pos);
        match bytes.get(pos) {
            None | Some(b',' | b';') => {}
            Some(_) => return Err(ForwardedError::Syntax(pos)),
        }
    }
    if current_nonempty {
        last = Some(current);
    }
    Ok(last)
}

fn last_forwarded_element(headers: &HeaderMap) -> Result<Option<ForwardedElement>, ForwardedError> {
    let mut joined = String::new();
    for (i, v) in headers.get_all(FORWARDED).iter().enumerate() {
        let text = v.to_str().map_err(|_| ForwardedError::Unreadable)?;
        // The length of the lines joined with ", " (RFC 9110 §5.3), as they are parsed.
        let separator = if i > 0 { 2 } else { 0 };
        if joined.len() + separator + text.len() > MAX_FORWARDED_LEN {
            return Err(ForwardedError::Unreadable);
        }
        if i > 0 {
            joined.push_str(", ");
        }
        joined.push_str(text);
    }
    parse_last_forwarded_element(&joined)
}

// ---------------------------------------------------------------------------------------------
// Redirect
// ---------------------------------------------------------------------------------------------

/// Why an [`HttpsRedirect`] or [`TrustedProxies`] cannot be built.
///
/// ```
/// use secure_headers::https_redirect::{HttpsRedirect, HttpsRedirectError, TrustedProxies};
///
/// assert_eq!(
///     HttpsRedirect::builder().allow_host("a.example/path").build().unwrap_err(),
///     HttpsRedirectError::InvalidHost("a.example/path".to_owned())
/// );
/// assert_eq!(
///     HttpsRedirect::builder().allow_host("a.example").status(http::StatusCode::OK).build().unwrap_err(),
///     HttpsRedirectError::InvalidStatus(http::StatusCode::OK)
/// );
/// assert_eq!(HttpsRedirect::builder().build().unwrap_err(), HttpsRedirectError::NoAllowedHosts);
/// assert!(matches!(
///     TrustedProxies::new().with("proxy.internal"),
///     Err(HttpsRedirectError::InvalidNetwork(_))
/// ));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HttpsRedirectError {
    /// An allowed host is not a DNS name, IP address or `*.parent` pattern.
    #[error("`{0}` is not a valid host name (or `*.parent.example` pattern)")]
    InvalidHost(String),
    /// The status is not 301, 302, 307 or 308.
    #[error("{0} is not a redirect status (use 301, 302, 307 or 308)")]
    InvalidStatus(StatusCode),
    /// No allowed host: every redirect would be refused.
    #[error("no allowed host")]
    NoAllowedHosts,
    /// A trusted proxy entry is not an IP address or CIDR network.
    #[error("`{0}` is not an IP address or network (a.b.c.d/len, x:y::/len)")]
    InvalidNetwork(String),
}

/// Why a plain-HTTP request is not redirected.
///
/// ```
/// use secure_headers::https_redirect::{HttpsRedirect, RedirectDecision, RedirectRefusal};
/// # fn request(uri: &str, headers: &[(&str, &str)]) -> http::request::Parts {
/// #     let mut builder = http::Request::get(uri);
/// #     for (name, value) in headers {
/// #         builder = builder.header(*name, *value);
/// #     }
/// #     builder.body(()).unwrap().into_parts().0
/// # }
///
/// let redirect = HttpsRedirect::builder().allow_host("a.example").build()?;
/// let peer = "192.0.2.1".parse().unwrap();
/// let refusal = |parts| match redirect.decide(&parts, peer) {
///     RedirectDecision::Refused(refusal) => Some(refusal),
///     _ => None,
/// };
/// assert_eq!(refusal(request("/", &[])), Some(RedirectRefusal::MissingHost));
/// assert_eq!(
///     refusal(request("/", &[("host", "a.example"), ("host", "b.example")])),
///     Some(RedirectRefusal::AmbiguousHost)
/// );
/// assert_eq!(
///     refusal(request("/", &[("host", "evil.example")])),
///     Some(RedirectRefusal::HostNotAllowed("evil.example".to_owned()))
/// );
/// # Ok::<(), secure_headers::https_redirect::HttpsRedirectError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RedirectRefusal {
    /// No `Host` header and no authority in the URI.
    #[error("the request names no host")]
    MissingHost,
    /// More than one `Host` header.
    #[error("the request has several Host headers")]
    AmbiguousHost,
    /// The host is malformed (userinfo, control bytes, bad port, …).
    #[error("the request host is malformed")]
    InvalidHost,
    /// The host is not on the allow-list.
    #[error("host `{0}` is not allowed")]
    HostNotAllowed(String),
}

/// What to do with a request.
///
/// ```
/// use secure_headers::https_redirect::{HttpsRedirect, RedirectDecision, SchemeSource};
/// # fn request(uri: &str, headers: &[(&str, &str)]) -> http::request::Parts {
/// #     let mut builder = http::Request::get(uri);
/// #     for (name, value) in headers {
/// #         builder = builder.header(*name, *value);
/// #     }
/// #     builder.body(()).unwrap().into_parts().0
/// # }
///
/// let redirect = HttpsRedirect::builder().allow_host("a.example").build()?;
/// let peer = "192.0.2.1".parse().unwrap();
/// assert!(matches!(
///     redirect.decide(&request("https://a.example/", &[]), peer),
///     RedirectDecision::AlreadyHttps(SchemeSource::Connection)
/// ));
/// assert!(matches!(
///     redirect.decide(&request("/", &[("host", "a.example")]), peer),
///     RedirectDecision::Redirect(_)
/// ));
/// assert!(matches!(
///     redirect.decide(&request("/", &[("host", "b.example")]), peer),
///     RedirectDecision::Refused(_)
/// ));
/// # Ok::<(), secure_headers::https_redirect::HttpsRedirectError>(())
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum RedirectDecision {
    /// The request came over HTTPS: serve it.
    AlreadyHttps(SchemeSource),
    /// Plain HTTP to an allowed host: send this redirect.
    Redirect(Redirect),
    /// Plain HTTP, but no safe redirect target: answer with an error (e.g. 400 or 421).
    Refused(RedirectRefusal),
}

/// A redirect to HTTPS.
///
/// ```
/// use secure_headers::https_redirect::{HttpsRedirect, RedirectDecision};
/// # fn request(uri: &str, headers: &[(&str, &str)]) -> http::request::Parts {
/// #     let mut builder = http::Request::get(uri);
/// #     for (name, value) in headers {
/// #         builder = builder.header(*name, *value);
/// #     }
/// #     builder.body(()).unwrap().into_parts().0
/// # }
///
/// let redirect = HttpsRedirect::builder().allow_host("a.example").build()?;
/// let parts = request("/cart?id=7", &[("host", "A.Example")]);
/// let RedirectDecision::Redirect(r) = redirect.decide(&parts, "192.0.2.1".parse().unwrap()) else {
///     unreachable!()
/// };
/// assert_eq!(r.status(), http::StatusCode::PERMANENT_REDIRECT);
/// assert_eq!(r.location(), "https://a.example/cart?id=7");
/// # Ok::<(), secure_headers::https_redirect::HttpsRedirectError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Redirect {
    status: StatusCode,
    location: HeaderValue,
}

impl Redirect {
    /// The status (308 unless configured).
    ///
    /// ```
    /// use secure_headers::https_redirect::{HttpsRedirect, RedirectDecision};
    /// # fn request(uri: &str, headers: &[(&str, &str)]) -> http::request::Parts {
    /// #     let mut builder = http::Request::get(uri);
    /// #     for (name, value) in headers {
    /// #         builder = builder.header(*name, *value);
    /// #     }
    /// #     builder.body(()).unwrap().into_parts().0
    /// # }
    ///
    /// let redirect = HttpsRedirect::builder()
    ///     .allow_host("a.example")
    ///     .status(http::StatusCode::MOVED_PERMANENTLY)
    ///     .build()?;
    /// let parts = request("/", &[("host", "a.example")]);
    /// let RedirectDecision::Redirect(r) = redirect.decide(&parts, "192.0.2.1".parse().unwrap()) else {
    ///     unreachable!()
    /// };
    /// assert_eq!(r.status(), 301);
    /// # Ok::<(), secure_headers::https_redirect::HttpsRedirectError>(())
    /// ```
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The `Location` value.
    ///
    /// ```
    /// use secure_headers::https_redirect::{HttpsRedirect, RedirectDecision};
    /// # fn request(uri: &str, headers: &[(&str, &str)]) -> http::request::Parts {
    /// #     let mut builder = http::Request::get(uri);
    /// #     for (name, value) in headers {
    /// #         builder = builder.header(*name, *value);
    /// #     }
    /// #     builder.body(()).unwrap().into_parts().0
    /// # }
    ///
    /// let redirect = HttpsRedirect::builder().allow_host("a.example").build()?;
    /// // The default HTTP port is dropped; path and query are kept.
    /// let parts = request("/a/b?c=d", &[("host", "a.example:80")]);
    /// let RedirectDecision::Redirect(r) = redirect.decide(&parts, "192.0.2.1".parse().unwrap()) else {
    ///     unreachable!()
    /// };
    /// assert_eq!(r.location(), "https://a.example/a/b?c=d");
    /// # Ok::<(), secure_headers::https_redirect::HttpsRedirectError>(())
    /// ```
    pub fn location(&self) -> &HeaderValue {
        &self.location
    }

    /// The response with `body`.
    ///
    /// ```
    /// # use secure_headers::https_redirect::{HttpsRedirect, RedirectDecision};
    /// let r = HttpsRedirect::builder().allow_host("a.example").build()?;
    /// let (parts, ()) = http::Request::get("http://a.example/x").body(()).unwrap().into_parts();
    /// let RedirectDecision::Redirect(redirect) = r.decide(&parts, "192.0.2.1".parse().unwrap()) else { panic!() };
    /// let response = redirect.into_response(());
    /// assert_eq!(response.headers()["location"], "https://a.example/x");
    /// # Ok::<(), secure_headers::https_redirect::HttpsRedirectError>(())
    /// ```
    pub fn into_response<B>(self, body: B) -> Response<B> {
        let mut response = Response::new(body);
        *response.status_mut() = self.status;
        response.headers_mut().insert(LOCATION, self.location);
        response
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum AllowedHost {
    Exact(Box<str>),
    /// `.parent`, for a suffix match of at least one more label.
    Subdomains(Box<str>),
}

/// Redirects plain-HTTP requests to `https://{allowed host}{path and query}`.
///
/// ```
/// use secure_headers::https_redirect::{HttpsRedirect, RedirectDecision};
/// # fn request(uri: &str, headers: &[(&str, &str)]) -> http::request::Parts {
/// #     let mut builder = http::Request::get(uri);
/// #     for (name, value) in headers {
/// #         builder = builder.header(*name, *value);
/// #     }
/// #     builder.body(()).unwrap().into_parts().0
/// # }
///
/// let redirect = HttpsRedirect::builder().allow_host("*.example.com").build()?;
/// let peer = "192.0.2.1".parse().unwrap();
/// let RedirectDecision::Redirect(r) = redirect.decide(&request("/", &[("host", "shop.example.com")]), peer)
/// else {
///     unreachable!()
/// };
/// assert_eq!(r.location(), "https://shop.example.com/");
/// // The parent itself is not covered by `*.example.com`.
/// assert!(matches!(
///     redirect.decide(&request("/", &[("host", "example.com")]), peer),
///     RedirectDecision::Refused(_)
/// ));
/// # Ok::<(), secure_headers::https_redirect::HttpsRedirectError>(())
/// ```
#[derive(Debug, Clone)]
pub struct HttpsRedirect {
    hosts: Vec<AllowedHost>,
    status: StatusCode,
    port_map: Vec<(u16, u16)>,
    https_port: Option<u16>,
    proxies: TrustedProxies,
}

impl HttpsRedirect {
    /// Starts a builder.
    ///
    /// ```
    /// # use secure_headers::https_redirect::{HttpsRedirect, HttpsRedirectError};
    /// assert_eq!(HttpsRedirect::builder().build().unwrap_err(), HttpsRedirectError::NoAllowedHosts);
    /// ```
    pub fn builder() -> HttpsRedirectBuilder {
        HttpsRedirectBuilder::default()
    }

    /// The proxy configuration used to detect HTTPS.
    ///
    /// ```
    /// use secure_headers::https_redirect::{HttpsRedirect, TrustedProxies};
    ///
    /// let redirect = HttpsRedirect::builder()
    ///     .allow_host("a.example")
    ///     .trusted_proxies(TrustedProxies::new().with("10.0.0.1")?)
    ///     .build()?;
    /// assert!(redirect.trusted_proxies().is_trusted("10.0.0.1".parse().unwrap()));
    /// assert!(!redirect.trusted_proxies().is_trusted("10.0.0.2".parse().unwrap()));
    /// # Ok::<(), secure_headers::https_redirect::HttpsRedirectError>(())
    /// ```
    pub fn trusted_proxies(&self) -> &TrustedProxies {
        &self.proxies
    }

    /// Decides for a request whose connection is not known to be TLS (the usual case behind a
    /// proxy or for a plain-HTTP listener).
    ///
    /// ```
    /// use secure_headers::https_redirect::{HttpsRedirect, RedirectDecision, SchemeSource, TrustedProxies};
    /// # fn request(uri: &str, headers: &[(&str, &str)]) -> http::request::Parts {
    /// #     let mut builder = http::Request::get(uri);
    /// #     for (name, value) in headers {
    /// #         builder = builder.header(*name, *value);
    /// #     }
    /// #     builder.body(()).unwrap().into_parts().0
    /// # }
    ///
    /// let redirect = HttpsRedirect::builder()
    ///     .allow_host("a.example")
    ///     .trusted_proxies(TrustedProxies::new().with("10.0.0.1")?)
    ///     .build()?;
    /// let parts = request("/", &[("host", "a.example"), ("x-forwarded-proto", "https")]);
    /// // From the trusted proxy: the client used HTTPS.
    /// assert!(matches!(
    ///     redirect.decide(&parts, "10.0.0.1".parse().unwrap()),
    ///     RedirectDecision::AlreadyHttps(SchemeSource::XForwardedProto)
    /// ));
    /// // The same header sent directly by a client is not believed.
    /// assert!(matches!(
    ///     redirect.decide(&parts, "203.0.113.9".parse().unwrap()),
    ///     RedirectDecision::Redirect(_)
    /// ));
    /// # Ok::<(), secure_headers::https_redirect::HttpsRedirectError>(())
    /// ```
    pub fn decide(&self, parts: &http::request::Parts, peer: IpAddr) -> RedirectDecision {
        self.decide_with_tls(parts, peer, false)
    }

    /// Decides for a request, given whether the server itself terminated TLS for it.
    ///
    /// ```
    /// use secure_headers::https_redirect::{HttpsRedirect, RedirectDecision, SchemeSource};
    /// # fn request(uri: &str, headers: &[(&str, &str)]) -> http::request::Parts {
    /// #     let mut builder = http::Request::get(uri);
    /// #     for (name, value) in headers {
    /// #         builder = builder.header(*name, *value);
    /// #     }
    /// #     builder.body(()).unwrap().into_parts().0
    /// # }
    ///
    /// let redirect = HttpsRedirect::builder().allow_host("a.example").build()?;
    /// let parts = request("/", &[("host", "a.example")]);
    /// let peer = "192.0.2.1".parse().unwrap();
    /// assert!(matches!(
    ///     redirect.decide_with_tls(&parts, peer, true),
    ///     RedirectDecision::AlreadyHttps(SchemeSource::Connection)
    /// ));
    /// assert!(matches!(redirect.decide_with_tls(&parts, peer, false), RedirectDecision::Redirect(_)));
    /// # Ok::<(), secure_headers::https_redirect::HttpsRedirectError>(())
    /// ```
    pub fn decide_with_tls(
        &self,
        parts: &http::request::Parts,
        peer: IpAddr,
        connection_is_tls: bool,
    ) -> RedirectDecision {
        let (https, source) =
            self.proxies
                .scheme(&parts.uri, &parts.headers, peer, connection_is_tls);
        if https {
            return RedirectDecision::AlreadyHttps(source);
        }
        match self.location(&parts.uri, &parts.headers) {
            Ok(location) => RedirectDecision::Redirect(Redirect {
                status: self.status,
                location,
            }),
            Err(refusal) => RedirectDecision::Refused(refusal),
        }
    }

    fn location(&self, uri: &Uri, headers: &HeaderMap) -> Result<HeaderValue, RedirectRefusal> {
        // RFC 9112 §3.2.3: with an absolute-form target (and in HTTP/2, `:authority`) the
        // authority comes from the URI and `Host` is ignored.
        let authority_text: &str = match uri.authority() {
            Some(a) => a.as_str(),
            None => {
                let mut hosts = headers.get_all(HOST).iter();
                let host = hosts.next().ok_or(RedirectRefusal::MissingHost)?;
                if hosts.next().is_some() {
                    return Err(RedirectRefusal::AmbiguousHost);
                }
                host.to_str().map_err(|_| RedirectRefusal::InvalidHost)?
            }
        };
        // No userinfo (`a.example@evil.example`), no path, nothing but host[:port].
        if authority_text.is_empty() || authority_text.contains(['@', '/', '\\', '?', '#']) {
            return Err(RedirectRefusal::InvalidHost);
        }
        let origin = Origin::parse(&format!("http://{authority_text}"))
            .map_err(|_| RedirectRefusal::InvalidHost)?;
        let host = origin.host();
        if !self.host_allowed(host) {
            return Err(RedirectRefusal::HostNotAllowed(host.to_owned()));
        }
        let port = match origin.port() {
            Some(p) => self
                .port_map
                .iter()
                .find(|(from, _)| *from == p)
                .map(|(_, to)| *to)
                .or(self.https_port),
            None => self.https_port,
        }
        .filter(|p| *p != 443);
        let path = uri.path_and_query().map_or("/", |pq| pq.as_str());
        let path = if path.starts_with('/') { path } else { "/" };
        let mut location = String::with_capacity(8 + host.len() + 6 + path.len());
        location.push_str("https://");
        location.push_str(host);
        if let Some(p) = port {
            location.push(':');
            location.push_str(&p.to_string());
        }
        push_percent_encoded(&mut location, path);
        HeaderValue::from_str(&location).map_err(|_| RedirectRefusal::InvalidHost)
    }

    fn host_allowed(&self, host: &str) -> bool {
        self.hosts.iter().any(|allowed| match allowed {
            AllowedHost::Exact(h) => **h == *host,
            AllowedHost::Subdomains(dot_parent) => {
                host.len() > dot_parent.len() && host.ends_with(&**dot_parent)
            }
        })
    }
}

/// Appends the request's path and query to a `Location` value, each byte outside visible
/// ASCII as `%XX`. The `http` crate accepts non-ASCII bytes in a request target; a
/// `Location` is a URI reference (RFC 9110 §10.2.2), and the URL parser percent-encodes such
/// bytes as UTF-8 the same way (URL Standard, path and query states), so the target is the
/// one the browser would have reached.
fn push_percent_encoded(location: &mut String, path: &str) {
    use std::fmt::Write as _;
    for b in path.bytes() {
        if b.is_ascii_graphic() {
            location.push(char::from(b));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(location, "%{b:02X}");
        }
    }
}

/// Builder for [`HttpsRedirect`].
///
/// ```
/// use secure_headers::https_redirect::{HttpsRedirect, HttpsRedirectError};
///
/// let redirect = HttpsRedirect::builder()
///     .allow_hosts(["example.com", "www.example.com"])
///     .status(http::StatusCode::TEMPORARY_REDIRECT)
///     .build()?;
/// assert!(!redirect.trusted_proxies().is_trusted("127.0.0.1".parse().unwrap()));
/// // The first invalid input is reported.
/// assert_eq!(
///     HttpsRedirect::builder().allow_host("bad host").allow_host("a.example").build().unwrap_err(),
///     HttpsRedirectError::InvalidHost("bad host".to_owned())
/// );
/// # Ok::<(), secure_headers::https_redirect::HttpsRedirectError>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct HttpsRedirectBuilder {
    hosts: Vec<AllowedHost>,
    status: StatusCode,
    port_map: Vec<(u16, u16)>,
    https_port: Option<u16>,
    proxies: TrustedProxies,
    error: Option<HttpsRedirectError>,
}

impl Default for HttpsRedirectBuilder {
    fn default() -> Self {
        HttpsRedirectBuilder {
            hosts: Vec::new(),
            status: StatusCode::PERMANENT_REDIRECT,
            port_map: Vec::new(),
            https_port: None,
            proxies: TrustedProxies::default(),
            error: None,
        }
    }
}

impl HttpsRedirectBuilder {
    /// Allows redirects for `host` (`example.com`, `192.0.2.1`, `[2001:db8::1]`) or for every
    /// subdomain of a parent (`*.example.com`, not `example.com` itself). Case-insensitive.
    ///
    /// ```
    /// use secure_headers::https_redirect::{HttpsRedirect, HttpsRedirectError, RedirectDecision};
    /// # fn request(uri: &str, headers: &[(&str, &str)]) -> http::request::Parts {
    /// #     let mut builder = http::Request::get(uri);
    /// #     for (name, value) in headers {
    /// #         builder = builder.header(*name, *value);
    /// #     }
    /// #     builder.body(()).unwrap().into_parts().0
    /// # }
    ///
    /// let redirect = HttpsRedirect::builder().allow_host("Example.COM").allow_host("[2001:db8::1]").build()?;
    /// let peer = "192.0.2.1".parse().unwrap();
    /// assert!(matches!(
    ///     redirect.decide(&request("/", &[("host", "example.com")]), peer),
    ///     RedirectDecision::Redirect(_)
    /// ));
    /// assert!(matches!(
    ///     redirect.decide(&request("/", &[("host", "[2001:db8::1]")]), peer),
    ///     RedirectDecision::Redirect(_)
    /// ));
    /// // A port is not part of an allowed host.
    /// assert_eq!(
    ///     HttpsRedirect::builder().allow_host("example.com:8080").build().unwrap_err(),
    ///     HttpsRedirectError::InvalidHost("example.com:8080".to_owned())
    /// );
    /// # Ok::<(), secure_headers::https_redirect::HttpsRedirectError>(())
    /// ```
    pub fn allow_host(mut self, host: &str) -> Self {
        let parsed = match host.strip_prefix("*.") {
            Some(parent) => Origin::parse(&format!("https://{parent}"))
                .ok()
                .filter(|o| {
                    o.port().is_none() && o.host().contains('.') && !o.host().starts_with('[')
                })
                .map(|o| AllowedHost::Subdomains(format!(".{}", o.host()).into())),
            None => Origin::parse(&format!("https://{host}"))
                .ok()
                .filter(|o| o.port().is_none())
                .map(|o| AllowedHost::Exact(o.host().into())),
        };
        match parsed {
            Some(h) => self.hosts.push(h),
            None => {
                self.error
                    .get_or_insert(HttpsRedirectError::InvalidHost(host.to_owned()));
            }
        }
        self
    }

    /// Allows several hosts.
    ///
    /// ```
    /// use secure_headers::https_redirect::{HttpsRedirect, RedirectDecision};
    /// # fn request(uri: &str, headers: &[(&str, &str)]) -> http::request::Parts {
    /// #     let mut builder = http::Request::get(uri);
    /// #     for (name, value) in headers {
    /// #         builder = builder.header(*name, *value);
    /// #     }
    /// #     builder.body(()).unwrap().into_parts().0
    /// # }
    ///
    /// let redirect = HttpsRedirect::builder().allow_hosts(["a.example", "b.example"]).build()?;
    /// let peer = "192.0.2.1".parse().unwrap();
    /// for host in ["a.example", "b.example"] {
    ///     assert!(matches!(
    ///         redirect.decide(&request("/", &[("host", host)]), peer),
    ///         RedirectDecision::Redirect(_)
    ///     ));
    /// }
    /// assert!(matches!(
    ///     redirect.decide(&request("/", &[("host", "c.example")]), peer),
    ///     RedirectDecision::Refused(_)
    /// ));
    /// # Ok::<(), secure_headers::https_redirect::HttpsRedirectError>(())
    /// ```
    pub fn allow_hosts<I, S>(self, hosts: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        hosts
            .into_iter()
            .fold(self, |b, h| b.allow_host(h.as_ref()))
    }

    /// The redirect status: 301, 302, 307 or 308 (default 308, which keeps the method and
    /// body; 301/302 let clients turn a POST into a GET).
    ///
    /// ```
    /// use http::StatusCode;
    /// use secure_headers::https_redirect::{HttpsRedirect, HttpsRedirectError};
    ///
    /// assert!(HttpsRedirect::builder().allow_host("a.example").status(StatusCode::FOUND).build().is_ok());
    /// assert_eq!(
    ///     HttpsRedirect::builder()
    ///         .allow_host("a.example")
    ///         .status(StatusCode::SEE_OTHER)
    ///         .build()
    ///         .unwrap_err(),
    ///     HttpsRedirectError::InvalidStatus(StatusCode::SEE_OTHER)
    /// );
    /// ```
    pub fn status(mut self, status: StatusCode) -> Self {
        if matches!(status.as_u16(), 301 | 302 | 307 | 308) {
            self.status = status;
        } else {
            self.error
                .get_or_insert(HttpsRedirectError::InvalidStatus(status));
        }
        self
    }

    /// Redirects requests received on HTTP port `from` to HTTPS port `to` (e.g. 8080 → 8443).
    ///
    /// ```
    /// use secure_headers::https_redirect::{HttpsRedirect, RedirectDecision};
    /// # fn request(uri: &str, headers: &[(&str, &str)]) -> http::request::Parts {
    /// #     let mut builder = http::Request::get(uri);
    /// #     for (name, value) in headers {
    /// #         builder = builder.header(*name, *value);
    /// #     }
    /// #     builder.body(()).unwrap().into_parts().0
    /// # }
    ///
    /// let redirect = HttpsRedirect::builder().allow_host("a.example").map_port(8080, 8443).build()?;
    /// let parts = request("/x", &[("host", "a.example:8080")]);
    /// let RedirectDecision::Redirect(r) = redirect.decide(&parts, "192.0.2.1".parse().unwrap()) else {
    ///     unreachable!()
    /// };
    /// assert_eq!(r.location(), "https://a.example:8443/x");
    /// # Ok::<(), secure_headers::https_redirect::HttpsRedirectError>(())
    /// ```
    pub fn map_port(mut self, from: u16, to: u16) -> Self {
        self.port_map.retain(|(f, _)| *f != from);
        self.port_map.push((from, to));
        self
    }

    /// The HTTPS port for requests whose port is not mapped (default 443, omitted from the URL).
    ///
    /// ```
    /// use secure_headers::https_redirect::{HttpsRedirect, RedirectDecision};
    /// # fn request(uri: &str, headers: &[(&str, &str)]) -> http::request::Parts {
    /// #     let mut builder = http::Request::get(uri);
    /// #     for (name, value) in headers {
    /// #         builder = builder.header(*name, *value);
    /// #     }
    /// #     builder.body(()).unwrap().into_parts().0
    /// # }
    ///
    /// let redirect = HttpsRedirect::builder().allow_host("a.example").https_port(8443).build()?;
    /// let parts = request("/", &[("host", "a.example")]);
    /// let RedirectDecision::Redirect(r) = redirect.decide(&parts, "192.0.2.1".parse().unwrap()) else {
    ///     unreachable!()
    /// };
    /// assert_eq!(r.location(), "https://a.example:8443/");
    /// # Ok::<(), secure_headers::https_redirect::HttpsRedirectError>(())
    /// ```
    pub fn https_port(mut self, port: u16) -> Self {
        self.https_port = Some(port);
        self
    }

    /// Which peers may report the original scheme.
    ///
    /// ```
    /// use secure_headers::https_redirect::{HttpsRedirect, RedirectDecision, TrustedProxies};
    /// # fn request(uri: &str, headers: &[(&str, &str)]) -> http::request::Parts {
    /// #     let mut builder = http::Request::get(uri);
    /// #     for (name, value) in headers {
    /// #         builder = builder.header(*name, *value);
    /// #     }
    /// #     builder.body(()).unwrap().into_parts().0
    /// # }
    ///
    /// let redirect = HttpsRedirect::builder()
    ///     .allow_host("a.example")
    ///     .trusted_proxies(TrustedProxies::private_networks())
    ///     .build()?;
    /// let parts = request("/", &[("host", "a.example"), ("forwarded", "proto=https")]);
    /// assert!(matches!(
    ///     redirect.decide(&parts, "192.168.0.2".parse().unwrap()),
    ///     RedirectDecision::AlreadyHttps(_)
    /// ));
    /// # Ok::<(), secure_headers::https_redirect::HttpsRedirectError>(())
    /// ```
    pub fn trusted_proxies(mut self, proxies: TrustedProxies) -> Self {
        self.proxies = proxies;
        self
    }

    /// Validates the configuration.
    ///
    /// ```
    /// use secure_headers::https_redirect::{HttpsRedirect, HttpsRedirectError};
    ///
    /// assert!(HttpsRedirect::builder().allow_host("a.example").build().is_ok());
    /// assert_eq!(HttpsRedirect::builder().build().unwrap_err(), HttpsRedirectError::NoAllowedHosts);
    /// ```
    pub fn build(self) -> Result<HttpsRedirect, HttpsRedirectError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        if self.hosts.is_empty() {
            return Err(HttpsRedirectError::NoAllowedHosts);
        }
        Ok(HttpsRedirect {
            hosts: self.hosts,
            status: self.status,
            port_map: self.port_map,
            https_port: self.https_port,
            proxies: self.proxies,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn cidr_masks_and_prefixes() {
        let all: IpCidr = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains("1.2.3.4".parse().unwrap()));
        assert!(!all.contains("::1".parse().unwrap()));
        let v6: IpCidr = "2001:db8::/32".parse().unwrap();
        assert!(v6.contains("2001:db8:ffff::1".parse().unwrap()));
        assert!(!v6.contains("2001:db9::1".parse().unwrap()));
        for bad in [
            "10.0.0.0/",
            "10.0.0.0/x",
            "10.0.0/8",
            "::/129",
            "10.0.0.0/-1",
            "10.0.0.0/0008",
        ] {
            assert!(bad.parse::<IpCidr>().is_err(), "{bad}");
        }
    }

    #[test]
    fn forwarded_quoted_strings_and_escapes() {
        let e = parse_last_forwarded_element(r#"for="[2001:db8:cafe::17]:4711";proto="ht\tps""#)
            .unwrap()
            .unwrap();
        assert_eq!(e.for_node.as_deref(), Some("[2001:db8:cafe::17]:4711"));
        // RFC 9110 §5.6.4: the quoted-pair `\t` stands for the character `t`.
        assert_eq!(e.proto.as_deref(), Some("https"));
        let e = parse_last_forwarded_element(r#"for="a,b;c", proto=https"#)
            .unwrap()
            .unwrap();
        assert_eq!(e.proto.as_deref(), Some("https"));
        assert_eq!(
            e.for_node, None,
            "the comma inside quotes did not split the first element"
        );
    }

    #[test]
    fn forwarded_syntax_errors() {
        for bad in [
            "proto",
            "proto=",
            "proto=http s",
            "=https",
            "proto=\"https",
            "proto=https x=y",
        ] {
            assert!(parse_last_forwarded_element(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_last_forwarded_element(" , ;, ").unwrap(), None);
    }

    #[test]
    fn forwarded_limit_counts_the_joined_lines_exactly() {
        let line = |len: usize| {
            let value = format!("proto=https;x={}", "a".repeat(len - 14));
            HeaderValue::from_str(&value).unwrap()
        };
        let read = |lines: &[HeaderValue]| {
            let mut headers = HeaderMap::new();
            for l in lines {
                headers.append(FORWARDED, l.clone());
            }
            last_forwarded_element(&headers)
        };
        // One line of exactly the limit is read; one byte more is not.
        assert!(read(&[line(MAX_FORWARDED_LEN)]).is_ok());
        assert_eq!(
            read(&[line(MAX_FORWARDED_LEN + 1)]),
            Err(ForwardedError::Unreadable)
        );
        // Two lines count with the ", " that joins them.
        let first = MAX_FORWARDED_LEN / 2;
        let second = MAX_FORWARDED_LEN - first - 2;
        assert!(read(&[line(first), line(second)]).is_ok());
        assert_eq!(
            read(&[line(first), line(second + 1)]),
            Err(ForwardedError::Unreadable)
        );
    }

    proptest! {
        #[test]
        fn forwarded_parse_never_panics(s in "\\PC{0,64}") {
            let _ = parse_last_forwarded_element(&s);
        }

        #[test]
        fn cidr_round_trip(a in any::<[u8; 4]>(), p in 0u8..=32) {
            let c: IpCidr = format!("{}/{p}", std::net::Ipv4Addr::from(a)).parse().unwrap();
            prop_assert_eq!(c.to_string().parse::<IpCidr>().unwrap(), c);
            prop_assert!(c.contains(IpAddr::from(a)));
        }
    }
}
