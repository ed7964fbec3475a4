#![no_main]
//! The request path of a bundle (HTTPS redirect, trusted proxies, CORS) on arbitrary requests,
//! peers and TLS flags: never a panic, redirects only to allowed hosts, HTTPS (and HSTS) only
//! when the connection, the request target or a trusted proxy says so, CORS echoed only to the
//! allowed origin, the bundle unchanged. The properties and the request encoding are in
//! `crates/secure-headers/tests/support/request_checks.rs`, which the proptests share.
#![allow(dead_code)]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

include!("../../crates/secure-headers/tests/support/request_checks.rs");

static BUNDLES: LazyLock<Bundles> = LazyLock::new(bundles);

fuzz_target!(|data: &[u8]| {
    check(&BUNDLES, &decode(data));
});
