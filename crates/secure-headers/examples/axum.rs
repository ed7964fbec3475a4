//! An axum app behind `SecureHeadersLayer`: a page whose inline script carries this
//! response's CSP nonce.
//!
//! Run with `cargo run -p secure-headers --example axum --features axum`, then open
//! <http://127.0.0.1:3000/> and look at the response headers.

use std::net::SocketAddr;

use axum::Router;
use axum::response::Html;
use axum::routing::get;
use secure_headers::{CspNonce, SecureHeaders, SecureHeadersLayer};

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

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The OWASP preset with a strict nonce-based CSP, built and validated once.
    let bundle = SecureHeaders::strict().build()?;
    let app = Router::new()
        .route("/", get(|nonce: CspNonce| async move { page(nonce) }))
        .layer(SecureHeadersLayer::new(bundle));

    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    // With connect info, the layer reads each connection's peer address from axum's
    // `ConnectInfo` for its trusted-proxy rules (a `PeerAddr` extension, when present, wins).
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await?;
    Ok(())
}
