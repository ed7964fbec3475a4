//! The RFC 9110 token / quoted-string directive-list grammar shared by Strict-Transport-Security and Public-Key-Pins.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used, clippy::panic))]
