//! Public-Key-Pins and Public-Key-Pins-Report-Only (RFC 7469): pins from SPKI or PEM, builder, parser, serializer. Obsolete in browsers; kept for legacy clients, native pinning configs and audits.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used, clippy::panic))]
