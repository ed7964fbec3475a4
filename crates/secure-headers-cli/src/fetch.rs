//! A minimal HTTP/1.1 client over a plain TCP connection, for `demo` and `audit http://…`.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

/// The largest response read.
const MAX_RESPONSE_LEN: u64 = 1024 * 1024;

/// How long connecting, sending and each read may take.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Sends `GET path` with `Host: host` to `addr` and returns the raw response (head and body,
/// up to 1 MiB).
pub(crate) fn get(addr: SocketAddr, host: &str, path: &str) -> Result<Vec<u8>, String> {
    let mut stream = TcpStream::connect_timeout(&addr, TIMEOUT)
        .map_err(|e| format!("cannot connect to {addr}: {e}"))?;
    stream
        .set_read_timeout(Some(TIMEOUT))
        .and_then(|()| stream.set_write_timeout(Some(TIMEOUT)))
        .map_err(|e| format!("cannot set timeouts: {e}"))?;
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: secure-headers\r\nAccept: */*\r\nConnection: close\r\n\r\n"
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| format!("cannot send the request: {e}"))?;
    let mut raw = Vec::new();
    stream
        .take(MAX_RESPONSE_LEN)
        .read_to_end(&mut raw)
        .map_err(|e| format!("cannot read the response: {e}"))?;
    Ok(raw)
}

/// The head of a raw response (without the blank line that ends it).
pub(crate) fn head(raw: &[u8]) -> Result<&[u8], String> {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("the response has no complete head")?;
    Ok(raw.get(..end).unwrap_or_default())
}

/// Fetches the response head of a plain `http://` URL.
pub(crate) fn get_http_url(url: &str) -> Result<Vec<u8>, String> {
    let rest = url
        .get(..7)
        .filter(|s| s.eq_ignore_ascii_case("http://"))
        .and_then(|_| url.get(7..))
        .ok_or_else(|| format!("`{url}` is not an http:// URL"))?;
    let (authority, path) = match rest.find(['/', '?', '#']) {
        Some(i) => rest.split_at(i),
        None => (rest, "/"),
    };
    let path = path.split('#').next().unwrap_or("/");
    let path = if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    };
    if authority.is_empty() || authority.contains('@') || authority.bytes().any(|b| b <= b' ') {
        return Err(format!("`{url}` has no usable host"));
    }
    if path.bytes().any(|b| b <= b' ' || b == 0x7f) {
        return Err(format!(
            "`{url}` has spaces or control characters in its path"
        ));
    }
    let with_port = if authority
        .rsplit_once(':')
        .is_some_and(|(_, p)| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        authority.to_owned()
    } else {
        format!("{authority}:80")
    };
    let addr = with_port
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve `{authority}`: {e}"))?
        .next()
        .ok_or_else(|| format!("`{authority}` resolves to no address"))?;
    let raw = get(addr, authority, &path)?;
    Ok(head(&raw)?.to_vec())
}

/// Fetches an `https://` URL (certificates checked against the Mozilla root set; redirects
/// are not followed) and returns its status line and headers.
pub(crate) fn get_https_url(url: &str) -> Result<(String, header_audit::http::HeaderMap), String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(30)))
        .user_agent("secure-headers")
        .build()
        .into();
    let response = agent
        .get(url)
        .call()
        .map_err(|e| format!("cannot fetch `{url}`: {e}"))?;
    let status = format!("{:?} {}", response.version(), response.status());
    let mut headers = header_audit::http::HeaderMap::new();
    for (name, value) in response.headers() {
        headers.append(name.clone(), value.clone());
    }
    Ok((status, headers))
}
