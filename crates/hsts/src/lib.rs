//! Strict-Transport-Security (RFC 6797): builder, spec-exact parser, serializer and preload-eligibility checks.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used, clippy::panic))]
