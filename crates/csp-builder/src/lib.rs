//! Content-Security-Policy Level 3: typed model, validating builder, spec-exact parser,
//! canonical serializer, nonces, hashes and violation reports.
//!
//! * [`Policy::builder`] builds a validated policy; nothing that could smuggle a directive,
//!   a policy or a header line gets through ([`BuildError`]).
//! * [`PolicyList::parse`] / [`Policy::parse`] / [`Policy::parse_meta`] implement CSP3 §2.2.1
//!   "parse a serialized CSP" and §2.2.2 exactly, plus the browser rule that a directive holding
//!   a control character is ignored; they never fail and report what they ignored as
//!   [`Diagnostic`]s.
//! * [`Display`](std::fmt::Display) writes the canonical form; `parse(p.to_string()) == p`.
//! * [`Nonce`] and [`CompiledPolicy`] put a fresh nonce into a pre-serialized header with one
//!   allocation per response; [`Source::hash_of`] computes hash sources.
//!
//! ```
//! use csp_builder::{Nonce, Policy, Source};
//!
//! let policy = Policy::builder()
//!     .default_src([Source::SELF])
//!     .script_src([Source::NONCE_PLACEHOLDER, Source::STRICT_DYNAMIC])
//!     .object_src([Source::NONE])
//!     .base_uri([Source::NONE])
//!     .build()?;
//! let compiled = policy.compile(); // once, at start-up
//!
//! let nonce = Nonce::generate(); // per response
//! let mut headers = http::HeaderMap::new();
//! headers.insert(compiled.header_name(), compiled.render(&nonce));
//! # Ok::<(), csp_builder::BuildError>(())
//! ```
//!
//! # NBSP and other non-ASCII whitespace
//! CSP3 §2.2.1 step 3.2 skips every `;`-separated token that holds a non-ASCII code point, and
//! U+00A0 is not ASCII whitespace, so `img-src\u{a0}'none'` is dropped as a whole (and the
//! image loads). WPT `only-valid-whitespaces-are-allowed.html` once expected the image to be
//! blocked; this crate follows the spec text (tested in `tests/parse_spec.rs`) and reports the
//! skipped token as [`DiagnosticKind::NonAsciiTokenSkipped`].
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

/// The examples in the crate's README, compiled and run as doctests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

mod builder;
mod compiled;
mod grammar;
mod model;
mod nonce;
mod parse;
mod policy;
#[cfg(feature = "serde")]
mod serde_impl;
mod source;

#[cfg(feature = "reports")]
pub mod report;

pub use builder::{BuildError, PolicyBuilder, WebrtcPolicy};
pub use compiled::CompiledPolicy;
pub use model::{
    DirectiveName, Disposition, HashAlgorithm, Keyword, PolicySource, SandboxFlag, SourceKind,
};
pub use nonce::{NONCE_LEN, Nonce};
pub use parse::{
    Diagnostic, DiagnosticKind, MAX_DIRECTIVES_PER_POLICY, MAX_INPUT_LEN, MAX_POLICIES,
    MAX_VALUES_PER_POLICY, Parsed,
};
pub use policy::{DirectiveRef, Policy, PolicyList, PolicyParseError, SourceRef};
pub use source::{Directive, MAX_VALUE_LEN, MIN_NONCE_LEN, Source};

/// The `Content-Security-Policy` header name (enforced policies).
///
/// ```
/// assert_eq!(csp_builder::CONTENT_SECURITY_POLICY.as_str(), "content-security-policy");
/// ```
pub const CONTENT_SECURITY_POLICY: http::HeaderName = http::header::CONTENT_SECURITY_POLICY;

/// The `Content-Security-Policy-Report-Only` header name (monitored policies).
///
/// ```
/// assert_eq!(
///     csp_builder::CONTENT_SECURITY_POLICY_REPORT_ONLY.as_str(),
///     "content-security-policy-report-only"
/// );
/// ```
pub const CONTENT_SECURITY_POLICY_REPORT_ONLY: http::HeaderName =
    http::header::CONTENT_SECURITY_POLICY_REPORT_ONLY;
