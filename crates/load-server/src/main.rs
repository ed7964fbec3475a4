//! The server measured by `cargo xtask load`: the page of the facade's axum example, served
//! over loopback either bare (`--mode plain`) or behind `SecureHeadersLayer` with
//! `SecureHeaders::strict()` (`--mode strict`, a fresh CSP nonce per response). Both modes run
//! the same handler and send a page of the same length; they differ only by the layer (whose
//! trusted-proxy rules read the peer address from axum's `ConnectInfo`).
//!
//! A third mode, `--mode headers-only`, is the floor for the layer: the same handlers, each of
//! which puts a clone of a header map prepared at start-up (the headers `strict` sends on this
//! plain-HTTP loopback, with the placeholder nonce in the CSP) into its own response, with no
//! middleware between it and the server. It sends the same header bytes as `strict` with no
//! per-response policy work, no fresh nonce and no layer.
//!
//! ```text
//! load-server --mode plain|strict|headers-only [--seconds N] [--workers N]
//! ```
//!
//! The first line on stdout is `listening on 127.0.0.1:PORT`. The process exits by itself
//! after `--seconds` (default 60), so a crashed driver never leaves it running.
#![forbid(unsafe_code)]

use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::sync::{LazyLock, OnceLock};
use std::time::Duration;

use axum::Router;
use axum::extract::Extension;
use axum::http::HeaderMap;
use axum::http::Uri;
use axum::response::{Html, IntoResponse as _, Response};
use axum::routing::get;
use secure_headers::{
    CspNonce, ResponseContext, SecureHeaders, SecureHeadersLayer, TrustedProxies,
};

/// Which stack answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// The handler alone.
    Plain,
    /// The handler behind `SecureHeadersLayer` with `SecureHeaders::strict()`.
    Strict,
    /// The handler with the headers of `Strict` copied in from a prepared map.
    HeadersOnly,
}

/// Command-line options.
#[derive(Debug)]
struct Options {
    mode: Mode,
    seconds: u64,
    workers: usize,
}

fn parse_options() -> Result<Options, String> {
    let mut options = Options {
        mode: Mode::Plain,
        seconds: 60,
        workers: 1,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} takes a value"));
        match arg.as_str() {
            "--mode" => {
                options.mode = match value()?.as_str() {
                    "plain" => Mode::Plain,
                    "strict" => Mode::Strict,
                    "headers-only" => Mode::HeadersOnly,
                    other => {
                        return Err(format!(
                            "unknown mode `{other}` (plain | strict | headers-only)"
                        ));
                    }
                };
            }
            "--seconds" => {
                options.seconds = value()?
                    .parse()
                    .map_err(|_| "--seconds takes a whole number".to_owned())?;
            }
            "--workers" => {
                options.workers = value()?
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or("--workers takes a positive whole number")?;
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(options)
}

/// The nonce the page carries without the layer: a fixed value of a real nonce's length
/// (24 base64 characters), so that both modes format and send the same number of bytes and
/// differ only by what the layer does. `cargo xtask load` checks for exactly this value.
static PLACEHOLDER_NONCE: LazyLock<CspNonce> =
    LazyLock::new(|| CspNonce::from_random_bytes([0; 16]));

/// The nonce this response's page carries: the layer's, or [`PLACEHOLDER_NONCE`] without it.
fn page_nonce(nonce: Option<Extension<CspNonce>>) -> CspNonce {
    nonce.map_or(*PLACEHOLDER_NONCE, |Extension(n)| n)
}

/// The page of the facade's axum example (`crates/secure-headers/examples/axum.rs`), byte for
/// byte: every inline `<script>` and `<style>` carries the nonce. The test
/// `page_is_the_axum_example_page` keeps the two templates equal.
fn page_html(nonce: CspNonce) -> Html<String> {
    Html(format!(
        r#"<!doctype html>
<html>
<head>
  <title>secure-headers</title>
  <style nonce="{nonce}">body {{ font-family: sans-serif; }}</style>
</head>
<body>
  <h1>Protected page</h1>
  <p id="out">script did not run</p>
  <script nonce="{nonce}">document.getElementById("out").textContent = "nonce'd script ran";</script>
</body>
</html>"#
    ))
}

/// `GET /`: the same handler in both modes.
async fn page(nonce: Option<Extension<CspNonce>>) -> Html<String> {
    page_html(page_nonce(nonce))
}

/// Reflects the decoded `q` query parameter into the body (never into a header), next to a
/// script carrying the response's nonce, as a careless application page would.
async fn reflect(nonce: Option<Extension<CspNonce>>, uri: Uri) -> Html<String> {
    let nonce = page_nonce(nonce);
    let q = uri
        .query()
        .unwrap_or("")
        .split('&')
        .find_map(|pair| pair.strip_prefix("q="))
        .map(percent_decode)
        .unwrap_or_default();
    Html(format!(
        "<script nonce=\"{nonce}\">document.title = \"ok\";</script>\n<p>you searched for: {q}</p>\n"
    ))
}

/// Decodes `%XX` escapes and `+`; bytes that are not UTF-8 become U+FFFD.
fn percent_decode(input: &str) -> String {
    fn hex(b: u8) -> Option<u8> {
        match b {
            b'0'..=b'9' => Some(b - b'0'),
            b'a'..=b'f' => Some(b - b'a' + 10),
            b'A'..=b'F' => Some(b - b'A' + 10),
            _ => None,
        }
    }
    let mut out = Vec::with_capacity(input.len());
    let mut bytes = input.bytes();
    while let Some(b) = bytes.next() {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let mut ahead = bytes.clone();
                match (ahead.next().and_then(hex), ahead.next().and_then(hex)) {
                    (Some(hi), Some(lo)) => {
                        out.push(hi << 4 | lo);
                        bytes = ahead;
                    }
                    _ => out.push(b'%'),
                }
            }
            other => out.push(other),
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The bundle of `--mode strict`.
fn strict_bundle() -> Result<SecureHeaders, String> {
    // Only 10.0.0.0/8 may vouch for HTTPS: the loopback peer is untrusted, so its
    // `X-Forwarded-Proto: https` must not turn HSTS on.
    let proxies = TrustedProxies::new()
        .with("10.0.0.0/8")
        .map_err(|e| e.to_string())?;
    SecureHeaders::strict()
        .trusted_proxies(proxies)
        .build()
        .map_err(|e| e.to_string())
}

/// The headers `--mode strict` sends over plain HTTP, with [`PLACEHOLDER_NONCE`] as the CSP
/// nonce (the nonce the page carries without the layer).
fn headers_only_map() -> Result<HeaderMap, String> {
    let mut headers = HeaderMap::new();
    strict_bundle()?.apply_with(
        &mut headers,
        &ResponseContext::new(Some(*PLACEHOLDER_NONCE), false),
        None,
    );
    Ok(headers)
}

/// The map of `--mode headers-only`, prepared once by [`app`].
static PREPARED_HEADERS: OnceLock<HeaderMap> = OnceLock::new();

/// `response` with the prepared headers: a clone of the prepared map becomes the response's
/// map and the handler's few headers move into it.
fn with_prepared_headers(mut response: Response) -> Response {
    let Some(prepared) = PREPARED_HEADERS.get() else {
        return response;
    };
    let mut headers = prepared.clone();
    let mut name = None;
    for (next, value) in std::mem::take(response.headers_mut()) {
        name = next.or(name);
        if let Some(name) = &name {
            headers.append(name.clone(), value);
        }
    }
    *response.headers_mut() = headers;
    response
}

/// `GET /` of `--mode headers-only`: the page with the prepared headers.
async fn page_with_prepared_headers() -> Response {
    with_prepared_headers(page(None).await.into_response())
}

/// `GET /reflect` of `--mode headers-only`.
async fn reflect_with_prepared_headers(uri: Uri) -> Response {
    with_prepared_headers(reflect(None, uri).await.into_response())
}

fn app(mode: Mode) -> Result<Router, String> {
    let routes = || {
        Router::new()
            .route("/", get(page))
            .route("/reflect", get(reflect))
    };
    Ok(match mode {
        Mode::Plain => routes(),
        // The layer reads the peer address from axum's `ConnectInfo` (feature `axum`).
        Mode::Strict => routes().layer(SecureHeadersLayer::new(strict_bundle()?)),
        // No middleware: each handler puts the headers into its own response.
        Mode::HeadersOnly => {
            let prepared = headers_only_map()?;
            // Set once per process; a second `app` (tests) prepares the same map.
            let _ = PREPARED_HEADERS.set(prepared);
            Router::new()
                .route("/", get(page_with_prepared_headers))
                .route("/reflect", get(reflect_with_prepared_headers))
        }
    })
}

async fn serve(options: &Options) -> Result<(), String> {
    let app = app(options.mode)?;
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .map_err(|e| format!("cannot bind 127.0.0.1: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    println!("listening on {addr}");
    let server = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    );
    server.await.map_err(|e| format!("server error: {e}"))
}

fn main() -> ExitCode {
    let result = parse_options().and_then(|options| {
        // The bounded lifetime: whatever the driver does, the process ends.
        let lifetime = Duration::from_secs(options.seconds);
        std::thread::spawn(move || {
            std::thread::sleep(lifetime);
            std::process::exit(0);
        });
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(options.workers)
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the runtime: {e}"))?
            .block_on(serve(&options))
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("load-server: {message}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;

    use axum::body::Body;
    use axum::extract::ConnectInfo;
    use axum::http::{HeaderMap, Request};
    use tower::ServiceExt as _;

    use super::{CspNonce, Mode, PLACEHOLDER_NONCE, app, page_html, percent_decode};

    /// The response headers of `GET /` from `mode`'s stack, as the loopback peer.
    fn headers_of(mode: Mode) -> HeaderMap {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        let mut request = Request::new(Body::empty());
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40_000))));
        let router = app(mode).expect("app");
        runtime
            .block_on(router.oneshot(request))
            .expect("response")
            .headers()
            .clone()
    }

    /// The floor sends exactly the headers of the layer (the handler's `Content-Type` lands in
    /// another place of the map, which does not change what is sent), except that its CSP
    /// carries the placeholder nonce where the layer puts a fresh one.
    #[test]
    fn headers_only_sends_the_strict_headers() {
        let strict = headers_of(Mode::Strict);
        let floor = headers_of(Mode::HeadersOnly);
        let plain = headers_of(Mode::Plain);
        assert!(
            strict.len() >= plain.len() + 10,
            "strict adds the security headers"
        );
        let csp = |h: &HeaderMap| {
            h.get("content-security-policy")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
                .unwrap_or_default()
        };
        let strict_csp = csp(&strict);
        let nonce = strict_csp
            .split('\'')
            .find_map(|token| token.strip_prefix("nonce-"))
            .expect("strict CSP carries a nonce");
        assert_eq!(
            strict_csp.replace(nonce, PLACEHOLDER_NONCE.as_str()),
            csp(&floor)
        );
        let pairs = |h: &HeaderMap| {
            h.iter()
                .filter(|(name, _)| *name != "content-security-policy")
                .map(|(name, value)| (name.to_string(), value.clone()))
                .collect::<std::collections::BTreeSet<_>>()
        };
        assert_eq!(pairs(&strict), pairs(&floor));
    }

    /// The load test measures the example's page: the template here must produce exactly what
    /// the template in `examples/axum.rs` produces.
    #[test]
    fn page_is_the_axum_example_page() {
        let example = include_str!("../../secure-headers/examples/axum.rs");
        let template = example
            .split_once("format!(\n        r#\"")
            .and_then(|(_, rest)| rest.split_once("\"#"))
            .map(|(template, _)| template)
            .unwrap_or_default();
        assert!(
            template.starts_with("<!doctype html>"),
            "template not found"
        );
        let nonce = CspNonce::from_random_bytes([7; 16]);
        let expected = template
            .replace("{nonce}", nonce.as_str())
            .replace("{{", "{")
            .replace("}}", "}");
        assert_eq!(page_html(nonce).0, expected);
    }

    /// Without the layer the page is as long as with it.
    #[test]
    fn placeholder_nonce_has_a_real_nonce_length() {
        assert_eq!(
            PLACEHOLDER_NONCE.as_str().len(),
            CspNonce::from_random_bytes([9; 16]).as_str().len()
        );
        assert_eq!(PLACEHOLDER_NONCE.as_str(), "AAAAAAAAAAAAAAAAAAAAAA==");
    }

    #[test]
    fn percent_decode_turns_escapes_into_bytes() {
        assert_eq!(percent_decode("a%0D%0Ab+c"), "a\r\nb c");
    }

    #[test]
    fn percent_decode_keeps_broken_escapes() {
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
    }
}
