//! Audit an HTTP response's security headers: findings with fixes, CSP Evaluator-compatible CSP checks, Observatory-compatible grading.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used, clippy::panic))]
