//! Content-Security-Policy Level 3: typed model, validating builder, spec-exact parser, canonical serializer, nonces, hashes and violation reports.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

#[cfg(feature = "reports")]
pub mod report;
