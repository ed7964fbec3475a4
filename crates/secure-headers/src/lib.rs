//! A complete, validated, pre-serialized set of HTTP security headers for any Rust HTTP stack, with presets, per-response CSP nonces and a tower layer.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used, clippy::panic))]
