//! Set-Cookie security attributes (RFC 6265bis): hardening policy, cookie prefixes, Partitioned, and a browser-exact Set-Cookie parser.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used, clippy::panic))]
