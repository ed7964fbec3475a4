//! Helpers shared by the workspace's cross-crate tests: where the test data lives.
#![forbid(unsafe_code)]

use std::path::PathBuf;

/// The directory holding the conformance vectors and the real-world corpus (`tests/data`).
///
/// ```
/// assert!(workspace_tests::data_dir().join("vectors").is_dir());
/// ```
#[must_use]
pub fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// The Rust examples of the workspace README, compiled and run as doctests so that they stay
/// true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
