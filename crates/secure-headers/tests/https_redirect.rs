//! HTTPS detection behind proxies and the redirect target: spoofing and Host injection.

use std::net::IpAddr;

use http::{Request, StatusCode};
use secure_headers::https_redirect::{
    HttpsRedirect, RedirectDecision, RedirectRefusal, SchemeSource, TrustedProxies,
};

const PROXY: &str = "10.0.0.5";
const CLIENT: &str = "198.51.100.7";

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn redirect() -> HttpsRedirect {
    HttpsRedirect::builder()
        .allow_hosts(["example.com", "*.example.com"])
        .trusted_proxies(TrustedProxies::new().with("10.0.0.0/24").unwrap())
        .build()
        .unwrap()
}

fn parts(uri: &str, headers: &[(&str, &str)]) -> http::request::Parts {
    let mut b = Request::get(uri);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    b.body(()).unwrap().into_parts().0
}

fn location(decision: RedirectDecision) -> String {
    match decision {
        RedirectDecision::Redirect(r) => r.location().to_str().unwrap().to_owned(),
        other => panic!("expected a redirect, got {other:?}"),
    }
}

#[test]
fn plain_http_is_redirected_with_308_to_the_same_path() {
    let d = redirect().decide(&parts("/a/b?c=d&e", &[("host", "example.com")]), ip(CLIENT));
    let RedirectDecision::Redirect(r) = d else {
        panic!()
    };
    assert_eq!(r.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(r.location(), "https://example.com/a/b?c=d&e");
}

#[test]
fn spoofed_x_forwarded_proto_from_untrusted_peer_is_ignored() {
    let p = parts(
        "/",
        &[("host", "example.com"), ("x-forwarded-proto", "https")],
    );
    assert_eq!(
        location(redirect().decide(&p, ip(CLIENT))),
        "https://example.com/"
    );
    let p = parts(
        "/",
        &[("host", "example.com"), ("forwarded", "proto=https")],
    );
    assert_eq!(
        location(redirect().decide(&p, ip(CLIENT))),
        "https://example.com/"
    );
}

#[test]
fn trusted_proxy_last_value_decides() {
    // The client sent `https`, the proxy appended the real `http`: redirect.
    let p = parts(
        "/",
        &[
            ("host", "example.com"),
            ("x-forwarded-proto", "https, http"),
        ],
    );
    assert_eq!(
        location(redirect().decide(&p, ip(PROXY))),
        "https://example.com/"
    );
    // Separate header lines: the last line is the proxy's.
    let mut p = parts("/", &[("host", "example.com")]);
    p.headers
        .append("x-forwarded-proto", "https".parse().unwrap());
    p.headers
        .append("x-forwarded-proto", "http".parse().unwrap());
    assert!(matches!(
        redirect().decide(&p, ip(PROXY)),
        RedirectDecision::Redirect(_)
    ));
    // An empty last line (or one of commas) is not HTTPS; no fallback to an earlier line,
    // which may be the client's.
    for empty in ["", " , ,"] {
        let mut p = parts("/", &[("host", "example.com")]);
        p.headers
            .append("x-forwarded-proto", "https".parse().unwrap());
        p.headers
            .append("x-forwarded-proto", empty.parse().unwrap());
        assert!(matches!(
            redirect().decide(&p, ip(PROXY)),
            RedirectDecision::Redirect(_)
        ));
    }
    // Real HTTPS through the proxy.
    let p = parts(
        "/",
        &[
            ("host", "example.com"),
            ("x-forwarded-proto", "http, HTTPS"),
        ],
    );
    assert!(matches!(
        redirect().decide(&p, ip(PROXY)),
        RedirectDecision::AlreadyHttps(SchemeSource::XForwardedProto)
    ));
}

#[test]
fn forwarded_is_preferred_and_parsed_properly() {
    let p = parts(
        "/",
        &[
            ("host", "example.com"),
            (
                "forwarded",
                r#"for=1.2.3.4;proto=https, for="[2001:db8::1]:80";proto=http"#,
            ),
            ("x-forwarded-proto", "https"),
        ],
    );
    let d = redirect().decide(&p, ip(PROXY));
    assert!(matches!(d, RedirectDecision::Redirect(_)), "{d:?}");
    let p = parts(
        "/",
        &[
            ("host", "example.com"),
            ("forwarded", r#"for=unknown;proto="https""#),
        ],
    );
    assert!(matches!(
        redirect().decide(&p, ip(PROXY)),
        RedirectDecision::AlreadyHttps(SchemeSource::Forwarded)
    ));
    // A malformed Forwarded header is not evidence of HTTPS, even with a trusted X-Forwarded-Proto.
    let p = parts(
        "/",
        &[
            ("host", "example.com"),
            ("forwarded", "proto=https;proto=https"),
            ("x-forwarded-proto", "https"),
        ],
    );
    assert!(matches!(
        redirect().decide(&p, ip(PROXY)),
        RedirectDecision::Redirect(_)
    ));
}

#[test]
fn ipv4_mapped_proxy_address_is_trusted() {
    let p = parts(
        "/",
        &[("host", "example.com"), ("x-forwarded-proto", "https")],
    );
    assert!(matches!(
        redirect().decide(&p, ip("::ffff:10.0.0.5")),
        RedirectDecision::AlreadyHttps(_)
    ));
}

#[test]
fn uri_scheme_and_tls_flag_mean_https() {
    let p = parts("https://example.com/", &[]);
    assert!(matches!(
        redirect().decide(&p, ip(CLIENT)),
        RedirectDecision::AlreadyHttps(SchemeSource::Connection)
    ));
    let p = parts("/", &[("host", "example.com")]);
    assert!(matches!(
        redirect().decide_with_tls(&p, ip(CLIENT), true),
        RedirectDecision::AlreadyHttps(_)
    ));
}

#[test]
fn host_injection_is_refused() {
    let r = redirect();
    let refused = |host: &str| match r.decide(&parts("/", &[("host", host)]), ip(CLIENT)) {
        RedirectDecision::Refused(reason) => reason,
        other => panic!("{host:?} was not refused: {other:?}"),
    };
    assert_eq!(
        refused("evil.example"),
        RedirectRefusal::HostNotAllowed("evil.example".into())
    );
    assert_eq!(
        refused("example.com.evil.example"),
        RedirectRefusal::HostNotAllowed("example.com.evil.example".into())
    );
    assert_eq!(
        refused("evilexample.com"),
        RedirectRefusal::HostNotAllowed("evilexample.com".into())
    );
    assert_eq!(
        refused("a.example@evil.example"),
        RedirectRefusal::InvalidHost
    );
    assert_eq!(
        refused("example.com@evil.example"),
        RedirectRefusal::InvalidHost
    );
    assert_eq!(
        refused("example.com/evil.example"),
        RedirectRefusal::InvalidHost
    );
    assert_eq!(refused("example.com:99999"), RedirectRefusal::InvalidHost);
    assert_eq!(refused("example.com\tx"), RedirectRefusal::InvalidHost);
    assert_eq!(refused("example.com."), RedirectRefusal::InvalidHost);
    // CR/LF cannot even be put in a HeaderValue; a raw one decoded from obs-text fails too.
    assert!(http::HeaderValue::from_str("example.com\r\nLocation: https://evil").is_err());
    let mut p = parts("/", &[]);
    p.headers.insert(
        "host",
        http::HeaderValue::from_bytes(b"example.com\xc2\x85evil").unwrap(),
    );
    assert!(matches!(
        r.decide(&p, ip(CLIENT)),
        RedirectDecision::Refused(RedirectRefusal::InvalidHost)
    ));
}

#[test]
fn missing_or_repeated_host_is_refused() {
    let r = redirect();
    assert!(matches!(
        r.decide(&parts("/", &[]), ip(CLIENT)),
        RedirectDecision::Refused(RedirectRefusal::MissingHost)
    ));
    let mut p = parts("/", &[("host", "example.com")]);
    p.headers.append("host", "evil.example".parse().unwrap());
    assert!(matches!(
        r.decide(&p, ip(CLIENT)),
        RedirectDecision::Refused(RedirectRefusal::AmbiguousHost)
    ));
}

#[test]
fn host_case_is_normalized_and_subdomains_match() {
    assert_eq!(
        location(redirect().decide(&parts("/", &[("host", "WWW.Example.COM")]), ip(CLIENT))),
        "https://www.example.com/"
    );
}

#[test]
fn path_cannot_move_the_target_host() {
    let loc = location(redirect().decide(
        &parts("//evil.example/x", &[("host", "example.com")]),
        ip(CLIENT),
    ));
    assert_eq!(loc, "https://example.com//evil.example/x");
}

#[test]
fn non_ascii_in_the_target_is_percent_encoded_in_location() {
    // `http` accepts UTF-8 in a request target; the Location must stay an ASCII URI reference
    // (a raw byte there made the header unreadable as text; the fuzz target found it). The
    // browser would have percent-encoded the same bytes.
    let p = parts("/caf\u{e9}/\u{2603}?q=\u{fc}", &[("host", "example.com")]);
    assert_eq!(
        location(redirect().decide(&p, ip(CLIENT))),
        "https://example.com/caf%C3%A9/%E2%98%83?q=%C3%BC"
    );
    let p = parts("/\u{fc}ber", &[("host", "example.com")]);
    assert_eq!(
        location(redirect().decide(&p, ip(CLIENT))),
        "https://example.com/%C3%BCber"
    );
    // Visible ASCII, including what a browser would encode itself, is kept as sent.
    let p = parts("/a%20b/{x}?y=|z|", &[("host", "example.com")]);
    assert_eq!(
        location(redirect().decide(&p, ip(CLIENT))),
        "https://example.com/a%20b/{x}?y=|z|"
    );
}

#[test]
fn absolute_form_authority_wins_over_host_header() {
    // RFC 9112 §3.2.3: with an absolute-form target the Host header is ignored.
    let p = parts("http://evil.example/", &[("host", "example.com")]);
    assert!(matches!(
        redirect().decide(&p, ip(CLIENT)),
        RedirectDecision::Refused(RedirectRefusal::HostNotAllowed(_))
    ));
}

#[test]
fn ports_are_mapped() {
    let r = HttpsRedirect::builder()
        .allow_host("example.com")
        .map_port(8080, 8443)
        .status(StatusCode::MOVED_PERMANENTLY)
        .build()
        .unwrap();
    let RedirectDecision::Redirect(x) =
        r.decide(&parts("/p", &[("host", "example.com:8080")]), ip(CLIENT))
    else {
        panic!()
    };
    assert_eq!(x.status(), 301);
    assert_eq!(x.location(), "https://example.com:8443/p");
    // Unmapped port: default HTTPS port, omitted.
    assert_eq!(
        location(r.decide(&parts("/", &[("host", "example.com:81")]), ip(CLIENT))),
        "https://example.com/"
    );
}

#[test]
fn only_redirect_statuses_are_accepted() {
    assert!(
        HttpsRedirect::builder()
            .allow_host("a.example")
            .status(StatusCode::OK)
            .build()
            .is_err()
    );
    assert!(
        HttpsRedirect::builder()
            .allow_host("a.example/x")
            .build()
            .is_err()
    );
    assert!(
        HttpsRedirect::builder()
            .allow_host("*.com")
            .build()
            .is_err()
    );
}
