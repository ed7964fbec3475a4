//! X-Content-Type-Options: the Fetch "determine nosniff" rule, parser and serializer.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used, clippy::panic))]
