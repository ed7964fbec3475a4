//! Applies a security header set to responses a given number of times, for counting
//! instructions with `valgrind --tool=callgrind` (repeatable on a busy machine, where
//! wall-clock timings of `benches/layer.rs` are not):
//!
//! ```sh
//! cargo build --release -p secure-headers-bench --example layer_instructions
//! for case in none apply-static apply-nonce apply-static-ct apply-nonce-ct trivial \
//!     layer-static layer-nonce floor floor-nonce trivial-ct layer-static-ct layer-nonce-ct \
//!     layer-proxies-ct floor-ct floor-nonce-ct; do
//!   valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/layer_instructions $case 10000 2>&1 | grep 'Collected'
//! done
//! ```
//!
//! Subtract the `none` count (building the bundles and services) from each case and divide
//! by the repetitions for instructions per response. `apply-*` call [`SecureHeaders::apply`]
//! on an empty map (`*-ct`: on a map holding a `Content-Type`, as a handler leaves it);
//! `layer-*`, `trivial*` and `floor*` run one request through tower `oneshot` exactly as the
//! benchmark does (`trivial` is the bare service: the harness cost). The `*-ct` service cases
//! use a handler whose response carries a `Content-Type` (what every axum response has;
//! subtract `trivial-ct`); `layer-proxies-ct` is the load server's bundle (`strict()` behind
//! trusted proxies).
//!
//! This example does not link the benchmark harness (it includes the setup it shares with the
//! benchmark, `src/layer_setup.rs`, by path), so allocations go straight to the system
//! allocator (no counting).
#![forbid(unsafe_code)]

#[path = "../src/layer_setup.rs"]
mod layer_setup;

use std::hint::black_box;
use std::sync::Arc;

use http::{HeaderMap, HeaderValue};
use layer_setup::{
    HELMET_CSP, floor_nonce_service, floor_service, helmet_headers, nonce_bundle, run,
    static_bundle, trivial, trivial_ct,
};
use secure_headers::{SecureHeaders, SecureHeadersLayer};
use tower::Layer;

fn main() {
    let mut args = std::env::args().skip(1);
    let case = args.next().unwrap_or_else(|| "none".to_owned());
    let reps: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(10_000);

    let static_bundle = static_bundle();
    let nonce_bundle = nonce_bundle();
    let layer_static = SecureHeadersLayer::new(static_bundle.clone()).layer(trivial());
    let layer_nonce = SecureHeadersLayer::new(nonce_bundle.clone()).layer(trivial());
    let set = Arc::new(helmet_headers(HELMET_CSP));
    let floor = floor_service(Arc::clone(&set), trivial());
    let floor_nonce = floor_nonce_service(Arc::clone(&set), trivial());
    let bare = trivial();
    // The same services over the handler that sets `Content-Type`.
    let layer_static_ct = SecureHeadersLayer::new(static_bundle.clone()).layer(trivial_ct());
    let layer_nonce_ct = SecureHeadersLayer::new(nonce_bundle.clone()).layer(trivial_ct());
    // The load server's bundle: `strict()` behind trusted proxies (the request has no peer
    // address, so it counts as untrusted and plain HTTP).
    let proxies_bundle = SecureHeaders::strict()
        .trusted_proxies(
            secure_headers::TrustedProxies::new()
                .with("10.0.0.0/8")
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let layer_proxies_ct = SecureHeadersLayer::new(proxies_bundle).layer(trivial_ct());
    let floor_ct = floor_service(Arc::clone(&set), trivial_ct());
    let floor_nonce_ct = floor_nonce_service(Arc::clone(&set), trivial_ct());
    let bare_ct = trivial_ct();

    let mut count = 0usize;
    for _ in 0..reps {
        count += match case.as_str() {
            "none" => black_box(1),
            "apply-static" => {
                let mut headers = HeaderMap::new();
                let nonce = black_box(&static_bundle).apply(&mut headers);
                black_box(&nonce);
                headers.len()
            }
            "apply-nonce" => {
                let mut headers = HeaderMap::new();
                let nonce = black_box(&nonce_bundle).apply(&mut headers);
                black_box(&nonce);
                headers.len()
            }
            "apply-static-ct" | "apply-nonce-ct" => {
                // A handler that already set its content type (the usual response).
                let mut headers = HeaderMap::new();
                headers.insert(
                    http::header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                );
                let bundle = if case == "apply-static-ct" {
                    &static_bundle
                } else {
                    &nonce_bundle
                };
                let nonce = black_box(bundle).apply(&mut headers);
                black_box(&nonce);
                headers.len()
            }
            "trivial" => run(&bare),
            "layer-static" => run(&layer_static),
            "layer-nonce" => run(&layer_nonce),
            "floor" => run(&floor),
            "floor-nonce" => run(&floor_nonce),
            "trivial-ct" => run(&bare_ct),
            "layer-static-ct" => run(&layer_static_ct),
            "layer-nonce-ct" => run(&layer_nonce_ct),
            "layer-proxies-ct" => run(&layer_proxies_ct),
            "floor-ct" => run(&floor_ct),
            "floor-nonce-ct" => run(&floor_nonce_ct),
            other => {
                eprintln!("unknown case {other}");
                std::process::exit(2);
            }
        };
    }
    println!("{case}: {count}");
}
