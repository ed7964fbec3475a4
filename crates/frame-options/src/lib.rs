//! X-Frame-Options (RFC 7034 and the HTML processing model): builder, browser-exact parser, and the equivalent CSP frame-ancestors directive.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used, clippy::panic))]
