//! The bundle with nothing but the `http` crate: any server that exposes an
//! `http::HeaderMap` can call `apply`.
//!
//! Run with `cargo run -p secure-headers --example plain_http`.

use http::{HeaderMap, Response, header};
use secure_headers::{SecureHeaders, SecureHeadersBuilder};

fn render_page(nonce: Option<&str>) -> String {
    let nonce = nonce.unwrap_or_default();
    format!("<script nonce=\"{nonce}\">console.log('hello')</script>")
}

fn handle(bundle: &SecureHeaders) -> Response<String> {
    // Apply first: `apply` returns the nonce it put into this response's CSP.
    let mut headers = HeaderMap::new();
    let nonce = bundle.apply(&mut headers);
    let body = render_page(nonce.as_ref().map(secure_headers::CspNonce::as_str));
    let mut response = Response::new(body);
    response.headers_mut().extend(headers);
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        http::HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

fn main() -> Result<(), secure_headers::BuildError> {
    let builder: SecureHeadersBuilder = SecureHeaders::recommended().strict_csp();
    let bundle = builder.build()?;
    let response = handle(&bundle);
    for (name, value) in response.headers() {
        println!("{name}: {}", value.to_str().unwrap_or("<binary>"));
    }
    println!("\n{}", response.body());
    Ok(())
}
