//! Cookie hardening in Chromium: a `__Host-` cookie hardened by the layer is stored and sent
//! back; a cookie the policy cannot harden without breaking it is never sent.

use axum::Router;
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{AppendHeaders, Html};
use axum::routing::get;
use cookie_attrs::{CookiePolicy, CookiePrefix};
use secure_headers::{SecureHeaders, SecureHeadersLayer};

use crate::TestResult;
use crate::browser::Browser;
use crate::ensure;
use crate::server::Bound;

/// What the handler writes: the `__Host-` prefix, but none of the attributes it requires.
const SESSION: &str = "__Host-session=s3cr3t";
/// What the handler writes for a cookie scoped with `Domain`, which a `__Host-` cookie must
/// not have: under a policy that gives every cookie the `__Host-` prefix it cannot be hardened.
const DOMAIN_SCOPED: &str = "legacy=1; Domain=127.0.0.1; Path=/";

fn escape_attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn site() -> Result<Router, String> {
    let policy = CookiePolicy::builder()
        .prefix(Some(CookiePrefix::Host))
        .build()
        .map_err(|e| format!("the cookie policy does not build: {e}"))?;
    let bundle = SecureHeaders::builder()
        .harden_cookies(policy)
        .build()
        .map_err(|e| format!("the bundle does not build: {e}"))?;
    Ok(Router::new()
        .route(
            "/login",
            get(|| async {
                (
                    AppendHeaders([
                        (SET_COOKIE, HeaderValue::from_static(SESSION)),
                        (SET_COOKIE, HeaderValue::from_static(DOMAIN_SCOPED)),
                    ]),
                    Html("<!doctype html><title>login</title><p>logged in</p>"),
                )
            }),
        )
        .route(
            "/whoami",
            get(|headers: HeaderMap| async move {
                let cookies: Vec<&str> = headers
                    .get_all(COOKIE)
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .collect();
                Html(format!(
                    r#"<!doctype html><html data-cookie="{}"><title>whoami</title></html>"#,
                    escape_attribute(&cookies.join("; "))
                ))
            }),
        )
        .layer(SecureHeadersLayer::new(bundle)))
}

/// RFC 6265bis §4.1.3.2 / §5.7 step 21 (`__Host-`: `Secure`, no `Domain`, `Path=/`): the
/// handler's bare `__Host-session=…` leaves the layer with `Path=/; Secure; HttpOnly;
/// SameSite=Lax`, Chromium stores it from `http://127.0.0.1` (a potentially trustworthy
/// origin, where Chromium accepts `Secure` cookies and the `__Host-` prefix) and sends it back.
/// The `Domain`-scoped cookie, which the policy's `__Host-` prefix cannot be given without
/// dropping its `Domain`, is removed from the response, so the browser never sees it.
///
/// Chromium 156 stores `Secure` and `__Host-` cookies set by `http://127.0.0.1`: no
/// `--unsafely-treat-insecure-origin-as-secure` is needed (the test reads the stored cookie
/// back through WebDriver).
///
/// Checked: with `harden_cookies` removed from the bundle this test fails with "the response
/// set [\"__Host-session=s3cr3t\", \"legacy=1; Domain=127.0.0.1; Path=/\"], expected only the
/// hardened session cookie"; with that wire check also disabled, the browser part fails with
/// "the server received Cookie \"legacy=1\", expected the session cookie and nothing else"
/// (Chromium rejects the bare `__Host-` cookie and stores the `Domain`-scoped one).
pub(crate) async fn host_prefixed_cookie_hardened_by_layer_is_stored_and_sent_back(
    browser: &Browser,
) -> TestResult {
    let bound = Bound::loopback().await?;
    let server = bound.serve(site()?);

    // What goes over the wire: one Set-Cookie, hardened; the unhardenable one is gone.
    let head = server.raw_response_head("/login")?;
    let set_cookies: Vec<&str> = head
        .lines()
        .filter_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("set-cookie")
                .then(|| value.trim())
        })
        .collect();
    ensure!(
        set_cookies == ["__Host-session=s3cr3t; Path=/; Secure; HttpOnly; SameSite=Lax"],
        "the response set {set_cookies:?}, expected only the hardened session cookie"
    );

    // What the browser does with it.
    browser.goto(&server.url("/login")).await?;
    browser.goto(&server.url("/whoami")).await?;
    let sent = browser
        .attr("html", "data-cookie")
        .await?
        .unwrap_or_default();
    ensure!(
        sent == SESSION,
        "the server received Cookie {sent:?}, expected the session cookie and nothing else"
    );
    let stored = browser
        .client()
        .get_all_cookies()
        .await
        .map_err(|e| format!("reading the browser's cookies: {e}"))?;
    let session = stored
        .iter()
        .find(|c| c.name() == "__Host-session")
        .ok_or_else(|| format!("the browser did not store __Host-session: {stored:?}"))?;
    ensure!(
        session.secure() == Some(true) && session.http_only() == Some(true),
        "the stored session cookie is not Secure and HttpOnly: {session:?}"
    );
    ensure!(
        !stored.iter().any(|c| c.name() == "legacy"),
        "the browser stored the cookie the policy could not harden: {stored:?}"
    );
    Ok(())
}
