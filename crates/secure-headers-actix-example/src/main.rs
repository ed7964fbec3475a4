//! actix-web 4 with the secure-headers bundle, through a tiny adapter: actix-web uses `http`
//! 0.2 types, so the headers `apply` writes into an `http` 1 map are copied over by name and
//! value bytes.
//!
//! Run with `cargo run -p secure-headers-actix-example`, then
//! `curl -i http://127.0.0.1:3002/`; test with `cargo test -p secure-headers-actix-example`.
#![forbid(unsafe_code)]

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
            response.append_header((n, v));
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

/// The application: one page that uses the response's nonce.
fn app(
    bundle: Arc<SecureHeaders>,
) -> App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new()
        .app_data(web::Data::new(bundle))
        .route("/", web::get().to(index))
}

#[actix_web::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let bundle = Arc::new(SecureHeaders::strict().build()?);
    println!("listening on http://127.0.0.1:3002");
    HttpServer::new(move || app(Arc::clone(&bundle)))
        .bind(("127.0.0.1", 3002))?
        .run()
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test;

    #[actix_web::test]
    async fn actix_response_carries_the_bundle_and_the_page_nonce() {
        let bundle = Arc::new(SecureHeaders::strict().build().unwrap());
        let service = test::init_service(app(Arc::clone(&bundle))).await;
        let response =
            test::call_service(&service, test::TestRequest::get().uri("/").to_request()).await;
        assert!(response.status().is_success());
        let headers = response.headers().clone();
        for name in [
            "x-content-type-options",
            "x-frame-options",
            "strict-transport-security",
            "cross-origin-opener-policy",
            "referrer-policy",
        ] {
            let ours = bundle.value(&http::HeaderName::from_static(name)).unwrap();
            assert_eq!(
                headers
                    .get(name)
                    .map(actix_web::http::header::HeaderValue::as_bytes),
                Some(ours.as_bytes()),
                "{name}"
            );
        }
        let csp = headers
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap()
            .to_owned();
        let body = test::read_body(response).await;
        let body = std::str::from_utf8(&body).unwrap();
        let nonce = body
            .split("nonce=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap();
        assert_eq!(nonce.len(), 24);
        assert!(csp.contains(&format!("'nonce-{nonce}'")), "{csp}");
    }
}
