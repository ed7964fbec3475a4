// The security properties of the request path (HTTPS redirect, trusted proxies, CORS), checked
// on one request: shared by `tests/request_properties.rs` (proptest, stable toolchain) and the
// `request_decision` fuzz target (`include!`d there), so both check exactly the same things.
//
// Properties, for any method, request target, header set, peer address and TLS flag:
// - nothing panics;
// - a redirect goes to `https://` on an allowed host (`example.com` or a subdomain), with
//   nothing in its authority but that host and a port, and its path starting with `/`;
// - a request counts as HTTPS over TLS or with an `https` request target, and otherwise only
//   when a trusted proxy (10.0.0.0/24) says so; HSTS is sent exactly on the responses to
//   requests counted as HTTPS, never on a redirect or refusal;
// - `Access-Control-Allow-Origin` is only ever the one allowed origin, echoed to that origin;
// - a preflight is answered by the layer only when it is one (OPTIONS, Origin,
//   Access-Control-Request-Method);
// - the request leaves the bundle as it was: the headers it applies afterwards are unchanged.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use http::header::{
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_REQUEST_METHOD, CONTENT_SECURITY_POLICY, LOCATION,
    ORIGIN, STRICT_TRANSPORT_SECURITY,
};
use http::request::Parts;
use http::{HeaderMap, HeaderName, HeaderValue, Method, Request, Response};
use secure_headers::{CorsPolicy, HttpsRedirect, RequestDecision, SecureHeaders, TrustedProxies};

/// The only origin the CORS policy allows.
pub(crate) const ALLOWED_ORIGIN: &str = "https://app.example";

/// The request headers the decoder can produce (the last slot takes a name from the input).
pub(crate) const HEADER_NAMES: [&str; 10] = [
    "host",
    "origin",
    "forwarded",
    "x-forwarded-proto",
    "access-control-request-method",
    "access-control-request-headers",
    "x-forwarded-host",
    "cookie",
    "x-token",
    "",
];

/// Peers: none, two trusted proxies (one IPv4-mapped IPv6), an untrusted client, a neighbour
/// of the trusted network.
pub(crate) const PEERS: [Option<IpAddr>; 5] = [
    None,
    Some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 5))),
    Some(IpAddr::V6(Ipv6Addr::new(
        0, 0, 0, 0, 0, 0xffff, 0x0a00, 0x0009,
    ))),
    Some(IpAddr::V4(Ipv4Addr::new(198, 51, 100, 7))),
    Some(IpAddr::V4(Ipv4Addr::new(10, 0, 1, 5))),
];

/// One request as the checks see it.
#[derive(Debug)]
pub(crate) struct CheckedRequest {
    pub(crate) parts: Parts,
    pub(crate) peer: Option<IpAddr>,
    pub(crate) tls: bool,
    pub(crate) assume_https: bool,
}

/// Decodes a request from bytes: byte 0 holds the flags (bit 0 TLS, bit 1 assume HTTPS,
/// bits 2-4 the peer, bits 5-7 the method); the rest, split on `\n`, is the request target
/// followed by one header per line (first byte: the name's index in [`HEADER_NAMES`], the
/// rest the value; for the last index the name runs up to the first `:`). What `http` refuses
/// (a bad target, name or value) is left out, as a server would refuse it before any layer.
pub(crate) fn decode(data: &[u8]) -> CheckedRequest {
    let flags = data.first().copied().unwrap_or(0);
    let mut lines = data.get(1..).unwrap_or_default().split(|&b| b == b'\n');
    let target = lines.next().unwrap_or_default();
    let method = match flags >> 5 {
        0 | 1 => Method::GET,
        2 => Method::POST,
        3 | 4 => Method::OPTIONS,
        5 => Method::PUT,
        6 => Method::HEAD,
        _ => Method::from_bytes(b"PROPFIND").unwrap_or(Method::GET),
    };
    let mut request = Request::new(());
    *request.method_mut() = method;
    if let Ok(uri) = http::Uri::try_from(target) {
        *request.uri_mut() = uri;
    }
    for line in lines {
        let Some((&index, rest)) = line.split_first() else {
            continue;
        };
        let slot = HEADER_NAMES[usize::from(index) % HEADER_NAMES.len()];
        let (name, value) = if slot.is_empty() {
            match rest.iter().position(|&b| b == b':') {
                Some(p) => (&rest[..p], &rest[p + 1..]),
                None => continue,
            }
        } else {
            (slot.as_bytes(), rest)
        };
        if let (Ok(name), Ok(value)) =
            (HeaderName::from_bytes(name), HeaderValue::from_bytes(value))
        {
            request.headers_mut().append(name, value);
        }
    }
    CheckedRequest {
        parts: request.into_parts().0,
        peer: PEERS[usize::from((flags >> 2) & 7) % PEERS.len()],
        tls: flags & 1 != 0,
        assume_https: flags & 2 != 0,
    }
}

/// The two bundles under test and what they apply before any request.
pub(crate) struct Bundles {
    /// strict(), HTTPS redirect to example.com and its subdomains behind 10.0.0.0/24, CORS for
    /// [`ALLOWED_ORIGIN`] with credentials.
    pub(crate) redirecting: SecureHeaders,
    /// recommended() with trusted proxies 10.0.0.0/24 and no redirect.
    pub(crate) proxied: SecureHeaders,
    before: [HeaderMap; 2],
}

fn proxies() -> TrustedProxies {
    TrustedProxies::new()
        .with("10.0.0.0/24")
        .expect("a valid network")
}

impl Bundles {
    /// Other bundles under the same checks (the tests show the checks catch a broken one).
    pub(crate) fn with(redirecting: SecureHeaders, proxied: SecureHeaders) -> Self {
        let before = [applied(&redirecting), applied(&proxied)];
        Bundles {
            redirecting,
            proxied,
            before,
        }
    }
}

/// Builds the bundles.
pub(crate) fn bundles() -> Bundles {
    let redirect = HttpsRedirect::builder()
        .allow_hosts(["example.com", "*.example.com"])
        .trusted_proxies(proxies())
        .build()
        .expect("a valid redirect");
    let cors = CorsPolicy::builder()
        .allow_origin(ALLOWED_ORIGIN)
        .allow_credentials()
        .allow_methods([Method::GET, Method::POST, Method::PUT])
        .allow_headers(["x-token"])
        .build()
        .expect("a valid CORS policy");
    let redirecting = SecureHeaders::strict()
        .https_redirect(redirect)
        .cors(cors)
        .build()
        .expect("a valid bundle");
    let proxied = SecureHeaders::recommended()
        .trusted_proxies(proxies())
        .build()
        .expect("a valid bundle");
    Bundles::with(redirecting, proxied)
}

/// What the bundle applies to an empty HTTPS response, the CSP's nonce blanked.
fn applied(bundle: &SecureHeaders) -> HeaderMap {
    let mut headers = HeaderMap::new();
    if let Some(nonce) = bundle.apply(&mut headers)
        && let Some(csp) = headers.get(CONTENT_SECURITY_POLICY)
    {
        let text = csp
            .to_str()
            .expect("CSP is ASCII")
            .replace(nonce.as_str(), "NONCE");
        headers.insert(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(&text).expect("still a valid value"),
        );
    }
    headers
}

/// Whether the request surely came over HTTPS: over TLS or with an `https` request target.
pub(crate) fn surely_https(request: &CheckedRequest) -> bool {
    request.tls || request.parts.uri.scheme() == Some(&http::uri::Scheme::HTTPS)
}

/// Whether the request may count as HTTPS: surely, or a trusted proxy's `Forwarded` or
/// `X-Forwarded-Proto` mentions `https` somewhere (the bundles believe only the last element,
/// so this is a superset). A trusted proxy is believed even with an `http` absolute-form
/// target: that is the proxy's own hop, the header the client's.
pub(crate) fn may_be_https(request: &CheckedRequest) -> bool {
    let headers = &request.parts.headers;
    let proxy_says_https = ["forwarded", "x-forwarded-proto"].iter().any(|name| {
        headers.get_all(*name).iter().any(|v| {
            v.as_bytes()
                .windows(5)
                .any(|w| w.eq_ignore_ascii_case(b"https"))
        })
    });
    surely_https(request)
        || request.peer.is_some_and(|p| proxies().is_trusted(p)) && proxy_says_https
}

/// Checks every property on one request; panics with the request on a violation.
pub(crate) fn check(bundles: &Bundles, request: &CheckedRequest) {
    let (surely, may) = (surely_https(request), may_be_https(request));
    let request_headers = &request.parts.headers;
    let origin_is_allowed = request_headers.get_all(ORIGIN).iter().count() == 1
        && request_headers
            .get(ORIGIN)
            .is_some_and(|o| o == ALLOWED_ORIGIN);
    let decision = bundles.redirecting.on_request(
        &request.parts,
        request.peer,
        request.tls,
        request.assume_https,
    );
    match decision {
        RequestDecision::Respond(response) => {
            let headers = response.headers();
            if response.status().is_redirection() {
                assert!(!surely, "an HTTPS request was redirected: {request:?}");
                check_location(headers.get(LOCATION), request);
                assert!(
                    !headers.contains_key(STRICT_TRANSPORT_SECURITY),
                    "HSTS on a plain-HTTP redirect: {request:?}"
                );
            } else if response.status() == http::StatusCode::BAD_REQUEST {
                // Plain HTTP with no safe redirect target: refused, without HSTS.
                assert!(!surely, "an HTTPS request was refused: {request:?}");
                assert!(
                    !headers.contains_key(STRICT_TRANSPORT_SECURITY),
                    "HSTS on a plain-HTTP refusal: {request:?}"
                );
            } else {
                // The only other answer is to a CORS preflight, over HTTPS.
                assert!(may, "a plain-HTTP request was answered: {request:?}");
                assert_eq!(request.parts.method, Method::OPTIONS, "{request:?}");
                assert!(
                    request_headers.contains_key(ACCESS_CONTROL_REQUEST_METHOD)
                        && request_headers.contains_key(ORIGIN),
                    "not a preflight: {request:?}"
                );
                if response.status().is_success() {
                    assert!(origin_is_allowed, "preflight allowed: {request:?}");
                }
                check_allow_origin(headers, origin_is_allowed, request);
            }
        }
        RequestDecision::Continue(ctx) => {
            assert!(may, "plain HTTP reached the handler: {request:?}");
            assert!(ctx.is_https(), "{request:?}");
            let mut response = Response::new(());
            bundles.redirecting.apply_response(&mut response, &ctx);
            assert!(
                response.headers().contains_key(STRICT_TRANSPORT_SECURITY),
                "{request:?}"
            );
            check_allow_origin(response.headers(), origin_is_allowed, request);
        }
        other => panic!("a decision these checks do not know: {other:?}"),
    }

    let RequestDecision::Continue(ctx) = bundles.proxied.on_request(
        &request.parts,
        request.peer,
        request.tls,
        request.assume_https,
    ) else {
        panic!("a bundle without redirect or CORS answered itself: {request:?}")
    };
    assert!(!ctx.is_https() || may, "believed HTTPS: {request:?}");
    assert!(ctx.is_https() || !surely, "missed HTTPS: {request:?}");
    let mut response = Response::new(());
    bundles.proxied.apply_response(&mut response, &ctx);
    assert_eq!(
        response.headers().contains_key(STRICT_TRANSPORT_SECURITY),
        ctx.is_https(),
        "{request:?}"
    );

    assert_eq!(applied(&bundles.redirecting), bundles.before[0]);
    assert_eq!(applied(&bundles.proxied), bundles.before[1]);
}

/// `Access-Control-Allow-Origin` is absent, or the allowed origin sent to that origin.
fn check_allow_origin(headers: &HeaderMap, origin_is_allowed: bool, request: &CheckedRequest) {
    let values: Vec<&HeaderValue> = headers
        .get_all(ACCESS_CONTROL_ALLOW_ORIGIN)
        .iter()
        .collect();
    match values.as_slice() {
        [] => {}
        [one] => {
            assert_eq!(*one, ALLOWED_ORIGIN, "{request:?}");
            assert!(origin_is_allowed, "echoed to another origin: {request:?}");
        }
        _ => panic!("several Access-Control-Allow-Origin: {request:?}"),
    }
}

/// The redirect target: `https://` + an allowed host [+ `:` port] + a path starting with `/`.
/// The authority ends where the URL parser ends it for a special scheme (`/`, `\`, `?`, `#`),
/// and the parser drops TAB, LF and CR anywhere, so none may appear.
fn check_location(location: Option<&HeaderValue>, request: &CheckedRequest) {
    let location = location
        .and_then(|l| l.to_str().ok())
        .unwrap_or_else(|| panic!("a redirect without a readable Location: {request:?}"));
    assert!(
        !location.contains(['\t', '\n', '\r']),
        "{location:?} for {request:?}"
    );
    let rest = location
        .strip_prefix("https://")
        .unwrap_or_else(|| panic!("{location:?} is not https: {request:?}"));
    let end = rest.find(['/', '\\', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    assert!(
        path.starts_with('/'),
        "{location:?} has no path: {request:?}"
    );
    let host = match authority.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => authority,
    };
    let allowed = host == "example.com"
        || host.strip_suffix(".example.com").is_some_and(|labels| {
            !labels.is_empty()
                && labels.split('.').all(|label| {
                    // Lowercased, and nothing the URL parser would read as a delimiter
                    // (its forbidden host code points); `_` and the like are valid there.
                    !label.is_empty()
                        && label.bytes().all(|b| {
                            b.is_ascii_graphic()
                                && !b.is_ascii_uppercase()
                                && !b"#%/:<>?@[\\]^|".contains(&b)
                        })
                })
        });
    assert!(
        allowed,
        "{location:?} leaves the allowed hosts: {request:?}"
    );
}
