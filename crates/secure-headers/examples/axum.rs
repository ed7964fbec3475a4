//! An axum app behind `SecureHeadersLayer`: a page whose inline script carries this
//! response's CSP nonce.
//!
//! Run with `cargo run -p secure-headers --example axum --features axum`, then open
//! <http://127.0.0.1:3000/> and look at the response headers.

use std::net::SocketAddr;

use axum::Router;
use axum::extract::{ConnectInfo, Request};
use axum::middleware::{self, Next};
use axum::response::{Html, Response};
use axum::routing::get;
use secure_headers::{CspNonce, PeerAddr, SecureHeaders, SecureHeadersLayer};

/// The page template: every inline `<script>` and `<style>` carries the nonce.
fn page(nonce: CspNonce) -> Html<String> {
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

/// Copies the connection's peer address into the request extensions, where the trusted-proxy
/// rules look for it.
async fn peer_addr(
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    mut req: Request,
    next: Next,
) -> Response {
    req.extensions_mut().insert(PeerAddr(addr.ip()));
    next.run(req).await
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The OWASP preset with a strict nonce-based CSP, built and validated once.
    let bundle = SecureHeaders::strict().build()?;
    let app = Router::new()
        .route("/", get(|nonce: CspNonce| async move { page(nonce) }))
        .layer(SecureHeadersLayer::new(bundle))
        .layer(middleware::from_fn(peer_addr));

    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await?;
    Ok(())
}
