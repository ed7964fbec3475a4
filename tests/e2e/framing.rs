//! Framing protection in Chromium: `X-Frame-Options` and CSP `frame-ancestors`.
//!
//! Two servers on two ports are two origins. The framed pages are served behind
//! `SecureHeadersLayer`; when one renders, its nonce'd script posts its path to the embedding
//! page, which records it in the `data-rendered` attribute of `<html>`; every iframe's `load`
//! event (fired for a refused frame too, which shows an error page) is counted in
//! `data-loaded`. The test waits for all loads, then reads which pages rendered.

use std::time::Duration;

use axum::Router;
use axum::http::HeaderValue;
use axum::http::header::X_FRAME_OPTIONS;
use axum::response::Html;
use axum::routing::get;
use secure_headers::preset::strict_csp;
use secure_headers::{CrossOriginEmbedderPolicy, CspNonce, SecureHeaders, SecureHeadersLayer};

use crate::TestResult;
use crate::browser::Browser;
use crate::ensure;
use crate::server::Bound;

/// After the last frame's `load` event, how long a late `message` event may take.
const MESSAGE_GRACE: Duration = Duration::from_millis(500);

/// A page that tells its embedder it rendered.
fn framed_page(nonce: CspNonce) -> Html<String> {
    Html(format!(
        r#"<!doctype html>
<html><head><title>framed</title></head>
<body><p id="framed">framed content</p>
<script nonce="{nonce}">parent.postMessage(location.pathname, "*");</script>
</body></html>"#
    ))
}

/// A page embedding each URL of `frames` in an iframe, recording which of them rendered.
/// It has no security headers: it stands for any site that tries to frame ours.
fn embedding_page(frames: &[String]) -> String {
    let iframes: String = frames
        .iter()
        .map(|src| format!(r#"<iframe src="{src}" onload="loaded()"></iframe>"#))
        .collect();
    format!(
        r#"<!doctype html>
<html data-rendered="" data-loaded="0">
<head><title>embedder</title>
<script>
  addEventListener("message", (e) => {{
    document.documentElement.dataset.rendered += e.data + " ";
  }});
  function loaded() {{
    document.documentElement.dataset.loaded = String(Number(document.documentElement.dataset.loaded) + 1);
  }}
</script>
</head>
<body>{iframes}</body>
</html>"#
    )
}

/// The framed page's route behind a bundle: the strict preset (`X-Frame-Options: DENY`,
/// `frame-ancestors 'none'`), with `xfo` as `X-Frame-Options` (`None`: not sent) and
/// `frame_ancestors` as the CSP directive's sources (`None`: directive removed).
///
/// COEP `require-corp` is turned off: it concerns what the page embeds, not who embeds it.
fn framed_route(
    path: &str,
    xfo: Option<&'static str>,
    frame_ancestors: Option<&'static str>,
) -> Result<Router, String> {
    let mut csp = strict_csp().remove("frame-ancestors");
    if let Some(source) = frame_ancestors {
        csp = csp.directive("frame-ancestors", [source]);
    }
    let mut bundle = SecureHeaders::strict()
        .disable(CrossOriginEmbedderPolicy::NAME)
        .csp(csp);
    bundle = match xfo {
        Some(value) => bundle.header(X_FRAME_OPTIONS, HeaderValue::from_static(value)),
        None => bundle.disable(X_FRAME_OPTIONS),
    };
    let bundle = bundle
        .build()
        .map_err(|e| format!("the bundle for {path} does not build: {e}"))?;
    Ok(Router::new()
        .route(
            path,
            get(|nonce: CspNonce| async move { framed_page(nonce) }),
        )
        .layer(SecureHeadersLayer::new(bundle)))
}

/// A route serving [`embedding_page`] for `frames`.
fn embedder_route(path: &str, frames: &[String]) -> Router {
    let html = embedding_page(frames);
    Router::new().route(path, get(move || async move { Html(html) }))
}

/// Loads `url`, waits for `count` frame loads, and returns the paths that rendered.
async fn rendered_frames(
    browser: &Browser,
    url: &str,
    count: usize,
) -> Result<Vec<String>, String> {
    browser.goto(url).await?;
    let wanted = count.to_string();
    browser
        .wait_for_attr("html", "data-loaded", |v| v == wanted)
        .await?;
    tokio::time::sleep(MESSAGE_GRACE).await;
    let rendered = browser
        .attr("html", "data-rendered")
        .await?
        .unwrap_or_default();
    Ok(rendered.split_whitespace().map(str::to_owned).collect())
}

/// HTML "process the frame options" (`X-Frame-Options: DENY`) and CSP3 §6.4.2
/// (`frame-ancestors 'none'`): a page sending either one, or both as the strict preset does,
/// is not rendered in a frame of another origin. The control page, with both removed, renders
/// there.
///
/// Checked: with `X-Frame-Options` and `frame-ancestors` removed from every page (the routes
/// built with `(None, None)`), this test fails with "rendered in a cross-origin frame although
/// it refuses framing: [\"/both\", \"/xfo-deny\", \"/frame-ancestors-none\"]"; with only
/// `X-Frame-Options` removed, with "[\"/xfo-deny\"]"; with only `frame-ancestors` removed,
/// with "[\"/frame-ancestors-none\"]" (each page is refused by the protection it sends, and
/// "/both" by either one).
pub(crate) async fn deny_and_frame_ancestors_none_refuse_cross_origin_framing(
    browser: &Browser,
) -> TestResult {
    let site = Bound::loopback().await?;
    let attacker = Bound::loopback().await?;
    let site_origin = site.origin();
    let protected = ["/both", "/xfo-deny", "/frame-ancestors-none"];
    let site_router = framed_route("/both", Some("DENY"), Some("'none'"))?
        .merge(framed_route("/xfo-deny", Some("DENY"), None)?)
        .merge(framed_route("/frame-ancestors-none", None, Some("'none'"))?)
        .merge(framed_route("/control", None, None)?);
    let frames: Vec<String> = protected
        .iter()
        .chain(&["/control"])
        .map(|p| format!("{site_origin}{p}"))
        .collect();
    let count = frames.len();
    let attacker = attacker.serve(embedder_route("/embed", &frames));
    let _site = site.serve(site_router);
    let rendered = rendered_frames(browser, &attacker.url("/embed"), count).await?;
    ensure!(
        rendered.iter().any(|r| r == "/control"),
        "the control page (no framing protection) did not render in the frame either: \
         rendered {rendered:?}"
    );
    let leaked: Vec<&str> = protected
        .iter()
        .copied()
        .filter(|p| rendered.iter().any(|r| r == p))
        .collect();
    ensure!(
        leaked.is_empty(),
        "rendered in a cross-origin frame although it refuses framing: {leaked:?}"
    );
    Ok(())
}

/// HTML "process the frame options" (`X-Frame-Options: SAMEORIGIN`): the page renders in a
/// frame of its own origin and not in a frame of another origin.
///
/// Checked: with `X-Frame-Options` not sent, this test fails with "rendered in a
/// cross-origin frame although X-Frame-Options is SAMEORIGIN: [\"/sameorigin\"]"; with
/// `DENY` in its place it fails with "did not render in a frame of its own origin: rendered
/// []".
pub(crate) async fn sameorigin_page_renders_only_in_same_origin_frame(
    browser: &Browser,
) -> TestResult {
    let site = Bound::loopback().await?;
    let attacker = Bound::loopback().await?;
    let framed = format!("{}/sameorigin", site.origin());
    let site = site.serve(
        framed_route("/sameorigin", Some("SAMEORIGIN"), None)?
            .merge(embedder_route("/embed", std::slice::from_ref(&framed))),
    );
    let attacker = attacker.serve(embedder_route("/embed", &[framed]));

    let same = rendered_frames(browser, &site.url("/embed"), 1).await?;
    ensure!(
        same.iter().any(|r| r == "/sameorigin"),
        "did not render in a frame of its own origin: rendered {same:?}"
    );
    let cross = rendered_frames(browser, &attacker.url("/embed"), 1).await?;
    ensure!(
        cross.is_empty(),
        "rendered in a cross-origin frame although X-Frame-Options is SAMEORIGIN: {cross:?}"
    );
    Ok(())
}
