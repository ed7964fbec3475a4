//! actix-web 4 with the bundle, through a tiny adapter: actix-web uses `http` 0.2 types, so
//! the headers `apply` writes into an `http` 1 map are copied over by name and value bytes.
//!
//! Run with `cargo run -p secure-headers --example actix_web`, then
//! `curl -i http://127.0.0.1:3002/`.

use std::sync::Arc;

use actix_web::http::header::{HeaderName as ActixName, HeaderValue as ActixValue};
use actix_web::{App, HttpResponse, HttpServer, web};
use secure_headers::{CspNonce, SecureHeaders};

/// Applies the bundle to an actix response builder and returns the response's nonce.
fn secure(
    bundle: &SecureHeaders,
    response: &mut actix_web::HttpResponseBuilder,
) -> Option<CspNonce> {
    let mut headers = http::HeaderMap::new();
    let nonce = bundle.apply(&mut headers);
    for (name, value) in &headers {
        // Names and values were validated by `http` 1; the same bytes are valid in `http` 0.2.
        if let (Ok(n), Ok(v)) = (
            ActixName::from_bytes(name.as_str().as_bytes()),
            ActixValue::from_bytes(value.as_bytes()),
        ) {
            response.insert_header((n, v));
        }
    }
    nonce
}

async fn index(bundle: web::Data<Arc<SecureHeaders>>) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    let nonce = secure(&bundle, &mut response)
        .map(|n| n.to_string())
        .unwrap_or_default();
    response
        .content_type("text/html; charset=utf-8")
        .body(format!(
            "<script nonce=\"{nonce}\">document.title = 'actix'</script>"
        ))
}

#[actix_web::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let bundle = Arc::new(SecureHeaders::strict().build()?);
    println!("listening on http://127.0.0.1:3002");
    HttpServer::new(move || {
        App::new()
            .app_data(web::Data::new(Arc::clone(&bundle)))
            .route("/", web::get().to(index))
    })
    .bind(("127.0.0.1", 3002))?
    .run()
    .await?;
    Ok(())
}
