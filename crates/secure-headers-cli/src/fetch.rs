//! Fetching the response head of an `http://` or `https://` URL the way a browser navigation
//! does: `GET`, redirects followed one hop at a time (every hop kept, so it can be audited),
//! one time limit for the whole chain, and no response body read.

use std::fmt::{self, Write as _};
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use header_audit::http::HeaderMap;

/// The largest response head accepted (the body is never read).
const MAX_HEAD_LEN: usize = 64 * 1024;

/// How long `demo`'s request to its own local server may take.
const LOCAL_TIMEOUT: Duration = Duration::from_secs(10);

/// The longest wait for one TCP (and TLS) connection, within the overall time limit.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Fetch §4.4 "HTTP-redirect fetch" step 5: "If request's redirect count is 20, then return a
/// network error."
pub(crate) const BROWSER_MAX_REDIRECTS: usize = 20;

/// The `Accept` header of a browser navigation, so servers answer with the page they serve
/// to browsers (and its headers).
const ACCEPT: &str = "text/html,application/xhtml+xml,*/*;q=0.8";

/// The time limits of one [`fetch_following`] call.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Redirects followed at most; 0 returns the first response even when it redirects.
    pub(crate) max_redirects: usize,
    /// The time the whole chain may take (connections, TLS handshakes and response heads).
    pub(crate) timeout: Duration,
}

/// One request and the head of its response.
pub(crate) struct Exchange {
    /// The URL requested.
    pub(crate) url: HttpUrl,
    /// The response status code.
    pub(crate) status: u16,
    /// The status line (`HTTP/1.1 301 Moved Permanently`).
    pub(crate) status_line: String,
    /// The response header fields.
    pub(crate) headers: HeaderMap,
    /// Header lines that are not valid fields (left out of `headers`).
    pub(crate) skipped: Vec<String>,
}

/// A response that redirected, and where to.
pub(crate) struct Redirect {
    /// The redirect response.
    pub(crate) exchange: Exchange,
    /// The `Location` value as sent.
    pub(crate) location_header: String,
    /// The URL the `Location` value resolves to, which was requested next.
    pub(crate) location: HttpUrl,
}

/// The outcome of following a URL: the redirects on the way and the last response.
pub(crate) struct Fetched {
    /// Every redirect response, in order.
    pub(crate) redirects: Vec<Redirect>,
    /// The response that did not redirect (or the one where following stopped).
    pub(crate) last: Exchange,
}

/// An `http:` or `https:` URL, normalized: lowercase scheme and host, no default port, no
/// credentials, no fragment, dot segments removed, and bytes that may not appear in a request
/// target percent-encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HttpUrl {
    secure: bool,
    /// Lowercase host name or IP address (an IPv6 address in brackets).
    host: String,
    /// The port, when it is not the scheme's default.
    port: Option<u16>,
    /// Path and query, starting with `/`.
    target: String,
}

impl fmt::Display for HttpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = if self.secure { "https" } else { "http" };
        write!(f, "{scheme}://{}", self.host)?;
        if let Some(port) = self.port {
            write!(f, ":{port}")?;
        }
        f.write_str(&self.target)
    }
}

impl HttpUrl {
    /// Whether the scheme is `https`.
    pub(crate) const fn is_https(&self) -> bool {
        self.secure
    }

    /// The host, lowercase (an IPv6 address in brackets).
    pub(crate) fn host(&self) -> &str {
        &self.host
    }

    /// The same URL with the `https` scheme and the default port.
    pub(crate) fn upgraded(&self) -> Self {
        Self {
            secure: true,
            port: None,
            ..self.clone()
        }
    }

    fn port_or_default(&self) -> u16 {
        self.port.unwrap_or(if self.secure { 443 } else { 80 })
    }

    /// `host[:port]`, as the `Host` header carries it.
    fn authority(&self) -> String {
        match self.port {
            Some(port) => format!("{}:{port}", self.host),
            None => self.host.clone(),
        }
    }

    /// Parses an absolute `http:` or `https:` URL.
    pub(crate) fn parse(text: &str) -> Result<Self, String> {
        let cleaned = clean_url_text(text);
        let Some((scheme, rest)) = split_scheme(&cleaned) else {
            return Err(format!("`{text}` is not an http:// or https:// URL"));
        };
        let secure = http_scheme(&scheme)?;
        Self::from_authority(secure, rest.replace('\\', "/").trim_start_matches('/'))
    }

    /// Resolves a `Location` value against this URL (URL Standard basic URL parser with this
    /// URL as base; Fetch §3.1.4 "location URL").
    pub(crate) fn join(&self, reference: &str) -> Result<Self, String> {
        let cleaned = clean_url_text(reference);
        if let Some((scheme, rest)) = split_scheme(&cleaned) {
            // Fetch §4.4 step 8: "If locationURL's scheme is not an HTTP(S) scheme, then return
            // a network error."
            let secure = http_scheme(&scheme)?;
            // URL Standard, "special relative or authority state": `http:path` against an
            // http: base is relative; otherwise, for special schemes, the slashes after the
            // scheme are optional and any number of them is skipped.
            let rest = rest.replace('\\', "/");
            if secure == self.secure && !rest.starts_with('/') {
                return Ok(self.join_relative(&rest));
            }
            return Self::from_authority(secure, rest.trim_start_matches('/'));
        }
        // URL Standard: a backslash is a path separator in special URLs.
        let reference = cleaned.replace('\\', "/");
        if let Some(after) = reference.strip_prefix("//") {
            return Self::from_authority(self.secure, after.trim_start_matches('/'));
        }
        Ok(self.join_relative(&reference))
    }

    /// RFC 3986 §5.2.2 / URL Standard "relative state": a reference without scheme and
    /// authority.
    fn join_relative(&self, reference: &str) -> Self {
        let reference = reference.split('#').next().unwrap_or_default();
        let base_path = self.target.split('?').next().unwrap_or("/");
        let target = if reference.is_empty() {
            self.target.clone()
        } else if reference.starts_with('?') {
            format!("{base_path}{reference}")
        } else if reference.starts_with('/') {
            reference.to_owned()
        } else {
            // RFC 3986 §5.2.3: merge with the base path up to its last `/`.
            let directory = base_path
                .rfind('/')
                .and_then(|i| base_path.get(..=i))
                .unwrap_or("/");
            format!("{directory}{reference}")
        };
        Self {
            target: normalize_target(&target),
            ..self.clone()
        }
    }

    /// `authority[/path][?query][#fragment]` after `scheme://`.
    fn from_authority(secure: bool, rest: &str) -> Result<Self, String> {
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, target) = rest.split_at(end);
        let target = target.split('#').next().unwrap_or_default();
        if authority.contains('@') {
            return Err(format!(
                "`{authority}` carries credentials (user@host); such URLs are not fetched"
            ));
        }
        let (host, port) = split_host_port(authority)?;
        let port = port.filter(|&p| p != if secure { 443 } else { 80 });
        let target = if target.starts_with('/') {
            target.to_owned()
        } else {
            format!("/{target}")
        };
        Ok(Self {
            secure,
            host,
            port,
            target: normalize_target(&target),
        })
    }
}

/// URL Standard basic URL parser, first steps: strip leading and trailing C0 controls and
/// spaces, remove every tab and newline. Bytes outside ASCII are percent-encoded here (a
/// `Location` value is bytes; the URL path and query percent-encode them as UTF-8 bytes).
fn clean_url_text(text: &str) -> String {
    let trimmed = text.trim_matches(|c: char| c <= ' ');
    let mut out = String::with_capacity(trimmed.len());
    for c in trimmed.chars() {
        match c {
            '\t' | '\n' | '\r' => {}
            c if c.is_ascii() => out.push(c),
            c => {
                let mut utf8 = [0u8; 4];
                for b in c.encode_utf8(&mut utf8).bytes() {
                    let _ = write!(out, "%{b:02X}");
                }
            }
        }
    }
    out
}

/// Splits `scheme:rest` when the text starts with a URL scheme (ALPHA *( ALPHA / DIGIT / "+" /
/// "-" / "." ) ":"); the scheme is lowercased.
fn split_scheme(text: &str) -> Option<(String, &str)> {
    let colon = text.find(':')?;
    let scheme = text.get(..colon)?;
    let mut bytes = scheme.bytes();
    let starts_alpha = bytes.next().is_some_and(|b| b.is_ascii_alphabetic());
    let rest_ok = bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    (starts_alpha && rest_ok).then(|| {
        (
            scheme.to_ascii_lowercase(),
            text.get(colon + 1..).unwrap_or(""),
        )
    })
}

/// Whether the scheme is https (`true`) or http (`false`); other schemes are refused.
fn http_scheme(scheme: &str) -> Result<bool, String> {
    match scheme {
        "http" => Ok(false),
        "https" => Ok(true),
        _ => Err(format!(
            "`{}:` URLs are not fetched; only http and https are",
            scheme.chars().take(32).collect::<String>()
        )),
    }
}

/// Splits `host[:port]`; the host is lowercased and checked against the URL Standard's
/// forbidden host code points.
fn split_host_port(authority: &str) -> Result<(String, Option<u16>), String> {
    let (host, port) = if authority.starts_with('[') {
        let close = authority
            .find(']')
            .ok_or_else(|| format!("`{authority}` has an unclosed IPv6 address"))?;
        let (host, after) = authority.split_at(close + 1);
        let port = match after {
            "" => None,
            p => Some(
                p.strip_prefix(':')
                    .ok_or_else(|| format!("`{authority}` has text after the IPv6 address"))?,
            ),
        };
        if !host
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || matches!(b, b':' | b'.' | b'[' | b']'))
        {
            return Err(format!("`{host}` is not an IPv6 address"));
        }
        (host, port)
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err("the URL has no host".to_owned());
    }
    if host.bytes().any(|b| {
        b <= b' '
            || b >= 0x7f
            || matches!(
                b,
                b'#' | b'%' | b'/' | b'<' | b'>' | b'?' | b'@' | b'\\' | b'^' | b'|'
            )
    }) {
        return Err(format!(
            "`{host}` is not a host name this tool can fetch (ASCII names and IP addresses only; international names in their xn-- form)"
        ));
    }
    let port = match port {
        None | Some("") => None,
        Some(digits) => Some(
            digits
                .parse::<u16>()
                .ok()
                .filter(|_| digits.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| format!("`{digits}` is not a port number"))?,
        ),
    };
    Ok((host.to_ascii_lowercase(), port))
}

/// Removes dot segments from the path (RFC 3986 §5.2.4; the URL Standard also counts `%2e` as
/// a dot) and percent-encodes what may not appear in a request target.
fn normalize_target(target: &str) -> String {
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (target, None),
    };
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let last = segments.len().saturating_sub(1);
    let mut kept: Vec<&str> = Vec::with_capacity(segments.len());
    for (i, segment) in segments.iter().enumerate() {
        let lower = segment.to_ascii_lowercase();
        let single = lower == "." || lower == "%2e";
        let double = matches!(lower.as_str(), ".." | ".%2e" | "%2e." | "%2e%2e");
        if double {
            kept.pop();
        }
        if single || double {
            if i == last {
                kept.push("");
            }
        } else {
            kept.push(segment);
        }
    }
    let mut out = String::with_capacity(target.len() + 1);
    out.push('/');
    percent_encode_into(&kept.join("/"), false, &mut out);
    if let Some(query) = query {
        out.push('?');
        percent_encode_into(query, true, &mut out);
    }
    out
}

/// URL Standard path and (special) query percent-encode sets, for ASCII input.
fn percent_encode_into(text: &str, query: bool, out: &mut String) {
    for b in text.bytes() {
        let escape = b <= b' '
            || b >= 0x7f
            || matches!(b, b'"' | b'<' | b'>')
            || (query && b == b'\'')
            || (!query && matches!(b, b'`' | b'{' | b'}'));
        if escape {
            let _ = write!(out, "%{b:02X}");
        } else {
            out.push(char::from(b));
        }
    }
}

/// Fetch §2.2.6: the redirect statuses.
const fn is_redirect_status(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

/// The `Location` value of a response, when it has one. Differing values are refused, as
/// browsers refuse them.
fn location(headers: &HeaderMap) -> Result<Option<String>, String> {
    let mut values = headers.get_all("location").iter();
    let Some(first) = values.next() else {
        return Ok(None);
    };
    if values.any(|v| v != first) {
        return Err("the redirect carries several different Location headers".to_owned());
    }
    Ok(Some(
        crate::input::isomorphic_decode(first.as_bytes()).into_owned(),
    ))
}

fn time_left(deadline: Instant, limits: &Limits, url: &HttpUrl) -> Result<Duration, String> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        Err(timed_out(limits, url))
    } else {
        Ok(left)
    }
}

fn timed_out(limits: &Limits, url: &HttpUrl) -> String {
    format!(
        "timed out fetching `{url}` (the limit is {} s for the whole fetch; see --timeout)",
        limits.timeout.as_secs_f64()
    )
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

/// Requests `start` and follows its redirects (Fetch §4.4 "HTTP-redirect fetch"), keeping
/// each redirect response.
pub(crate) fn fetch_following(start: &str, limits: &Limits) -> Result<Fetched, String> {
    let deadline = Instant::now()
        .checked_add(limits.timeout)
        .unwrap_or_else(|| Instant::now() + Duration::from_secs(86_400));
    let mut url = HttpUrl::parse(start)?;
    let mut redirects: Vec<Redirect> = Vec::new();
    loop {
        let exchange = fetch_one(&url, limits, deadline).map_err(|e| match redirects.last() {
            Some(previous) => format!("{e} (redirected from `{}`)", previous.exchange.url),
            None => e,
        })?;
        if limits.max_redirects == 0 || !is_redirect_status(exchange.status) {
            return Ok(Fetched {
                redirects,
                last: exchange,
            });
        }
        // Fetch §4.4 step 3: "If locationURL is null, then return response."
        let Some(location_header) =
            location(&exchange.headers).map_err(|e| format!("`{}`: {e}", exchange.url))?
        else {
            return Ok(Fetched {
                redirects,
                last: exchange,
            });
        };
        let next = exchange.url.join(&location_header).map_err(|e| {
            format!(
                "`{}` redirects to `{}`, which is not followed: {e}",
                exchange.url,
                location_header.escape_debug()
            )
        })?;
        if redirects.len() >= limits.max_redirects {
            return Err(format!(
                "more than {} redirects, starting at `{start}` (see --max-redirects; browsers stop after {BROWSER_MAX_REDIRECTS})",
                limits.max_redirects
            ));
        }
        let revisited = redirects
            .iter()
            .map(|r| &r.exchange.url)
            .chain(std::iter::once(&exchange.url))
            .any(|seen| *seen == next);
        if revisited {
            let chain: Vec<String> = redirects
                .iter()
                .map(|r| r.exchange.url.to_string())
                .chain([exchange.url.to_string(), next.to_string()])
                .collect();
            return Err(format!("redirect loop: {}", chain.join(" -> ")));
        }
        url = next.clone();
        redirects.push(Redirect {
            exchange,
            location_header,
            location: next,
        });
    }
}

fn fetch_one(url: &HttpUrl, limits: &Limits, deadline: Instant) -> Result<Exchange, String> {
    if url.secure {
        fetch_https(url, limits, deadline)
    } else {
        fetch_http(url, limits, deadline)
    }
}

/// Resolves the host of `url` within the time left (the system resolver has no time limit of
/// its own, so it runs on a thread that is abandoned when the time is up).
fn resolve(url: &HttpUrl, limits: &Limits, deadline: Instant) -> Result<Vec<SocketAddr>, String> {
    let host = url
        .host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let port = url.port_or_default();
    let (sender, receiver) = mpsc::channel();
    thread::spawn(move || {
        let found = (host.as_str(), port)
            .to_socket_addrs()
            .map(Iterator::collect::<Vec<_>>);
        // The receiver is gone when the time ran out; nothing is left to do then.
        let _ = sender.send(found);
    });
    match receiver.recv_timeout(time_left(deadline, limits, url)?) {
        Ok(Ok(addrs)) => Ok(addrs),
        Ok(Err(e)) => Err(format!("cannot resolve `{}`: {e}", url.host)),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(timed_out(limits, url)),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(format!("cannot resolve `{}`", url.host)),
    }
}

/// Connects to the first address of `url` that answers.
fn connect(url: &HttpUrl, limits: &Limits, deadline: Instant) -> Result<TcpStream, String> {
    let addrs = resolve(url, limits, deadline)?;
    let mut last_error = format!("`{}` resolves to no address", url.host);
    for addr in addrs {
        let wait = time_left(deadline, limits, url)?.min(CONNECT_TIMEOUT);
        match TcpStream::connect_timeout(&addr, wait) {
            Ok(stream) => return Ok(stream),
            Err(e) if is_timeout(&e) => {
                last_error = format!("connecting to {addr} for `{url}` timed out");
            }
            Err(e) => last_error = format!("cannot connect to {addr} for `{url}`: {e}"),
        }
    }
    Err(last_error)
}

/// One `GET` over plain HTTP/1.1; the connection is closed after the response head.
fn fetch_http(url: &HttpUrl, limits: &Limits, deadline: Instant) -> Result<Exchange, String> {
    let mut stream = connect(url, limits, deadline)?;
    let request = request_head(&url.authority(), &url.target);
    stream
        .set_write_timeout(Some(time_left(deadline, limits, url)?))
        .map_err(|e| format!("cannot set timeouts: {e}"))?;
    stream.write_all(request.as_bytes()).map_err(|e| {
        if is_timeout(&e) {
            timed_out(limits, url)
        } else {
            format!("cannot send the request to `{url}`: {e}")
        }
    })?;
    let raw = read_head(&mut stream, deadline).map_err(|e| match e {
        HeadError::TimedOut => timed_out(limits, url),
        HeadError::Other(message) => format!("`{url}`: {message}"),
    })?;
    let (status_line, headers, skipped) = crate::audit::read_head_fields(&raw);
    let status_line =
        status_line.ok_or_else(|| format!("`{url}` did not answer with an HTTP status line"))?;
    let status = status_code(&status_line)
        .ok_or_else(|| format!("`{url}` answered with an unusable status line"))?;
    Ok(Exchange {
        url: url.clone(),
        status,
        status_line,
        headers,
        skipped,
    })
}

/// One `GET` over HTTPS (certificates checked against the Mozilla root set); the body is not
/// read.
fn fetch_https(url: &HttpUrl, limits: &Limits, deadline: Instant) -> Result<Exchange, String> {
    let left = time_left(deadline, limits, url)?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(left))
        .timeout_connect(Some(left.min(CONNECT_TIMEOUT)))
        .max_response_header_size(MAX_HEAD_LEN)
        .user_agent("secure-headers")
        .build()
        .into();
    let text = url.to_string();
    let response = agent
        .get(&text)
        .header("accept", ACCEPT)
        .call()
        .map_err(|e| match e {
            ureq::Error::Timeout(_) => timed_out(limits, url),
            other => format!("cannot fetch `{url}`: {other}"),
        })?;
    let status = response.status();
    let status_line = format!(
        "{:?} {} {}",
        response.version(),
        status.as_u16(),
        status.canonical_reason().unwrap_or_default()
    )
    .trim_end()
    .to_owned();
    let mut headers = HeaderMap::new();
    for (name, value) in response.headers() {
        headers.append(name.clone(), value.clone());
    }
    // The response (and its unread body) is dropped here, which closes the connection.
    Ok(Exchange {
        url: url.clone(),
        status: status.as_u16(),
        status_line,
        headers,
        skipped: Vec::new(),
    })
}

fn request_head(authority: &str, target: &str) -> String {
    format!(
        "GET {target} HTTP/1.1\r\nHost: {authority}\r\nUser-Agent: secure-headers\r\nAccept: {ACCEPT}\r\nConnection: close\r\n\r\n"
    )
}

/// The status code of `HTTP/1.1 301 Moved Permanently` (RFC 9112 §4).
fn status_code(line: &str) -> Option<u16> {
    let mut parts = line.split(' ');
    let version = parts.next()?;
    let code = parts.next()?;
    (version.starts_with("HTTP/") && code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit()))
        .then(|| code.parse().ok())
        .flatten()
}

enum HeadError {
    TimedOut,
    Other(String),
}

/// Where the head that starts `raw` ends (after its blank line), searching from `from`. RFC
/// 9112 §2.2: a bare LF is accepted as a line terminator.
fn head_end(raw: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(&b) = raw.get(i) {
        if b == b'\n' {
            match (raw.get(i + 1), raw.get(i + 2)) {
                (Some(b'\n'), _) => return Some(i + 2),
                (Some(b'\r'), Some(b'\n')) => return Some(i + 3),
                _ => {}
            }
        }
        i += 1;
    }
    None
}

/// Reads the response head, skipping interim 1xx heads (RFC 9110 §15.2; `101` ends the
/// exchange); the body is never read.
fn read_head(stream: &mut TcpStream, deadline: Instant) -> Result<Vec<u8>, HeadError> {
    let mut raw: Vec<u8> = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    let mut searched = 0;
    loop {
        if let Some(end) = head_end(&raw, searched) {
            let interim = std::str::from_utf8(raw.get(..end).unwrap_or_default())
                .ok()
                .and_then(|h| status_code(h.lines().next().unwrap_or_default()))
                .is_some_and(|s| (100..200).contains(&s) && s != 101);
            if interim {
                raw.drain(..end);
                searched = 0;
                continue;
            }
            raw.truncate(end);
            return Ok(raw);
        }
        if raw.len() > MAX_HEAD_LEN {
            return Err(HeadError::Other(format!(
                "the response head is larger than {} KiB",
                MAX_HEAD_LEN / 1024
            )));
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(HeadError::TimedOut);
        }
        stream
            .set_read_timeout(Some(left))
            .map_err(|e| HeadError::Other(format!("cannot set timeouts: {e}")))?;
        let n = match stream.read(&mut chunk) {
            Ok(0) => {
                return Err(HeadError::Other(
                    "the connection closed before the end of the response head".to_owned(),
                ));
            }
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) if is_timeout(&e) => return Err(HeadError::TimedOut),
            Err(e) => return Err(HeadError::Other(format!("cannot read the response: {e}"))),
        };
        searched = raw.len().saturating_sub(2);
        raw.extend_from_slice(chunk.get(..n).unwrap_or_default());
    }
}

/// Sends `GET path` with `Host: host` to `addr` and returns the response head (up to and
/// including its blank line); the body is not read.
pub(crate) fn get(addr: SocketAddr, host: &str, path: &str) -> Result<Vec<u8>, String> {
    let deadline = Instant::now() + LOCAL_TIMEOUT;
    let mut stream = TcpStream::connect_timeout(&addr, LOCAL_TIMEOUT)
        .map_err(|e| format!("cannot connect to {addr}: {e}"))?;
    stream
        .set_write_timeout(Some(LOCAL_TIMEOUT))
        .map_err(|e| format!("cannot set timeouts: {e}"))?;
    stream
        .write_all(request_head(host, path).as_bytes())
        .map_err(|e| format!("cannot send the request: {e}"))?;
    read_head(&mut stream, deadline).map_err(|e| match e {
        HeadError::TimedOut => format!("{addr} did not answer within {LOCAL_TIMEOUT:?}"),
        HeadError::Other(message) => message,
    })
}

/// The head of a raw response, without the blank line that ends it.
pub(crate) fn head(raw: &[u8]) -> Result<&[u8], String> {
    let end = head_end(raw, 0).ok_or("the response has no complete head")?;
    let content = raw.get(..end).unwrap_or_default();
    let trimmed = content
        .strip_suffix(b"\r\n\r\n")
        .or_else(|| content.strip_suffix(b"\n\r\n"))
        .or_else(|| content.strip_suffix(b"\n\n"))
        .unwrap_or(content);
    Ok(trimmed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> HttpUrl {
        HttpUrl::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn joined(base: &str, reference: &str) -> String {
        url(base)
            .join(reference)
            .map_or_else(|e| format!("error: {e}"), |u| u.to_string())
    }

    #[test]
    fn default_port_credentials_and_fragment_are_normalized_away() {
        assert_eq!(
            url("HTTP://Example.COM:80/a#frag").to_string(),
            "http://example.com/a"
        );
        assert_eq!(
            url("https://example.com:443").to_string(),
            "https://example.com/"
        );
        assert_eq!(
            url("https://[::1]:8443/x?y").to_string(),
            "https://[::1]:8443/x?y"
        );
        assert!(HttpUrl::parse("https://user:pw@example.com/").is_err());
        assert!(HttpUrl::parse("ftp://example.com/").is_err());
        assert!(HttpUrl::parse("http://example.com:99999/").is_err());
    }

    #[test]
    fn relative_location_resolves_against_the_current_url() {
        let base = "http://a.example/dir/page?q=1";
        assert_eq!(joined(base, "next"), "http://a.example/dir/next");
        assert_eq!(joined(base, "../up?x=1"), "http://a.example/up?x=1");
        assert_eq!(joined(base, "/root"), "http://a.example/root");
        assert_eq!(joined(base, "?other"), "http://a.example/dir/page?other");
        assert_eq!(joined(base, "#frag"), "http://a.example/dir/page?q=1");
        assert_eq!(joined(base, "//b.example/p"), "http://b.example/p");
        assert_eq!(joined(base, "https://b.example"), "https://b.example/");
        assert_eq!(joined(base, "./a/./b/%2e%2E/c"), "http://a.example/dir/a/c");
        assert_eq!(joined(base, "/a/.."), "http://a.example/");
    }

    #[test]
    fn url_standard_special_scheme_quirks_are_followed() {
        let base = "http://a.example/dir/page";
        // same scheme without slashes: relative
        assert_eq!(joined(base, "http:other"), "http://a.example/dir/other");
        // another special scheme: slashes optional
        assert_eq!(joined(base, "https:b.example/x"), "https://b.example/x");
        // backslashes are slashes
        assert_eq!(joined(base, "\\\\c.example\\y"), "http://c.example/y");
        // tabs and newlines are removed, surrounding spaces trimmed
        assert_eq!(joined(base, " /p\ta\nth "), "http://a.example/path");
    }

    #[test]
    fn location_with_another_scheme_is_refused() {
        for target in [
            "ftp://a.example/",
            "javascript:alert(1)",
            "data:text/html,x",
            "localhost:8080/x",
        ] {
            assert!(url("http://a.example/").join(target).is_err(), "{target}");
        }
    }

    #[test]
    fn bytes_a_request_target_cannot_carry_are_percent_encoded() {
        assert_eq!(
            joined("http://a.example/", "/caf\u{e9} x?q=a b'"),
            "http://a.example/caf%C3%A9%20x?q=a%20b%27"
        );
        assert!(HttpUrl::parse("http://exa mple.com/").is_err());
        assert!(HttpUrl::parse("http://b\u{fc}cher.example/").is_err());
    }

    #[test]
    fn head_end_accepts_crlf_and_bare_lf() {
        assert_eq!(
            head_end(b"HTTP/1.1 200 OK\r\nA: b\r\n\r\nbody", 0),
            Some(25)
        );
        assert_eq!(head_end(b"HTTP/1.1 200 OK\nA: b\n\nbody", 0), Some(22));
        assert_eq!(head_end(b"HTTP/1.1 200 OK\r\nA: b\r\n", 0), None);
    }

    #[test]
    fn status_code_reads_the_status_line() {
        assert_eq!(status_code("HTTP/1.1 301 Moved Permanently"), Some(301));
        assert_eq!(status_code("HTTP/1.0 200"), Some(200));
        assert_eq!(status_code("ICY 200 OK"), None);
        assert_eq!(status_code("HTTP/1.1 2000 OK"), None);
    }
}
