//! A hyper 1 server whose service is wrapped in `SecureHeadersLayer`.
//!
//! Run with `cargo run -p secure-headers --example hyper1 --features tower`, then
//! `curl -i http://127.0.0.1:3001/`.

use std::convert::Infallible;

use http::{Request, Response};
use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use secure_headers::{CspNonce, SecureHeaders, SecureHeadersLayer};
use tower::{Layer, service_fn};

async fn hello(req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    // The layer put this response's nonce into the request extensions.
    let nonce = req
        .extensions()
        .get::<CspNonce>()
        .map(ToString::to_string)
        .unwrap_or_default();
    let page = format!("<script nonce=\"{nonce}\">document.title = 'hyper'</script>");
    Ok(Response::new(Full::new(Bytes::from(page))))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let layer = SecureHeadersLayer::new(SecureHeaders::strict().build()?);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3001").await?;
    println!("listening on http://{}", listener.local_addr()?);
    loop {
        let (stream, _) = listener.accept().await?;
        let service = TowerToHyperService::new(layer.layer(service_fn(hello)));
        tokio::spawn(async move {
            if let Err(e) = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await
            {
                eprintln!("connection error: {e}");
            }
        });
    }
}
