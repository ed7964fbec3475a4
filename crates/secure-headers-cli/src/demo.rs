//! `secure-headers demo`: a local page behind the recommended headers, fetched and audited.

use std::net::TcpListener;
use std::process::ExitCode;

use axum::Router;
use axum::response::Html;
use axum::routing::get;
use header_audit::Context;
use secure_headers::{SecureHeaders, SecureHeadersLayer};

use crate::{audit, fetch, input};

/// Help text shown after the options of `demo`.
pub(crate) const EXAMPLES: &str = "\
Example:
  secure-headers demo

Starts a server on 127.0.0.1 (a free port) whose responses carry SecureHeaders::recommended(),
requests its page over HTTP/1.1, prints the response headers and the audit of them (graded as
a deployment behind HTTPS would be), then stops.";

const PAGE: &str = "<!doctype html><html><head><title>secure-headers demo</title></head>\
<body><h1>Protected page</h1></body></html>";

/// Serves the page on `listener` until the process ends.
fn serve(listener: TcpListener, bundle: SecureHeaders) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .map_err(|e| format!("cannot start the server runtime: {e}"))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)
            .map_err(|e| format!("cannot listen: {e}"))?;
        let app = Router::new()
            .route("/", get(|| async { Html(PAGE) }))
            .layer(SecureHeadersLayer::new(bundle));
        axum::serve(listener, app)
            .await
            .map_err(|e| format!("server stopped: {e}"))
    })
}

fn run_inner() -> Result<(), String> {
    let bundle = SecureHeaders::recommended()
        .build()
        .map_err(|e| format!("the recommended preset does not build: {e}"))?;
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot bind 127.0.0.1: {e}"))?;
    listener
        .set_nonblocking(true)
        .map_err(|e| format!("cannot configure the listener: {e}"))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot read the listening address: {e}"))?;
    // The server thread ends with the process.
    std::thread::spawn(move || {
        if let Err(message) = serve(listener, bundle) {
            eprintln!("secure-headers: {message}");
        }
    });
    let raw = fetch::get(addr, &addr.to_string(), "/")?;
    let head = fetch::head(&raw)?;
    let headers = audit::parse_head(head).ok_or("the server's response head is empty")?;
    let url = format!("http://{addr}/");
    println!("GET {url}");
    println!("{}", input::isomorphic_decode(head));
    println!();
    println!("Audit (graded as served over HTTPS, as in production):");
    let ctx = Context::https(&url);
    let (report, _grade) = audit::text_report(&headers, &ctx);
    print!("{report}");
    Ok(())
}

/// Runs `demo`.
pub(crate) fn run() -> ExitCode {
    input::finish(run_inner())
}
