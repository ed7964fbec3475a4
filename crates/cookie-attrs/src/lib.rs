//! Set-Cookie security attributes (RFC 6265bis): hardening policy, cookie prefixes,
//! Partitioned, and a browser-exact Set-Cookie parser.
//!
//! - [`SetCookie::parse`] runs the browser's parsing algorithm (RFC 6265bis §5.6) and
//!   [`SetCookie::check_storage`] the storage checks that need no cookie jar (§5.7, CHIPS,
//!   the `__Secure-`, `__Host-`, `__Http-` and `__Host-Http-` prefixes).
//! - [`CookiePolicy`] hardens outgoing cookies, raw ([`CookiePolicy::harden_set_cookie`]) or
//!   as [`cookie::Cookie`] ([`CookiePolicy::harden`]), and never emits one a browser rejects.
//! - [`check`] audits a `Set-Cookie` value and returns [`Findings`].
//!
//! ```
//! use cookie_attrs::{check, CookiePolicy, RequestContext, SetCookie};
//!
//! let policy = CookiePolicy::default();
//! let hardened = policy.harden_set_cookie("sid=abc123; Path=/").unwrap();
//! assert_eq!(hardened, "sid=abc123; Path=/; Secure; HttpOnly; SameSite=Lax");
//!
//! let parsed = SetCookie::parse(&hardened).unwrap();
//! assert!(parsed.check_storage(&RequestContext::secure("example.com")).is_ok());
//! assert!(check(&hardened).iter().all(|f| f.severity < cookie_attrs::Severity::Low));
//! ```
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

mod audit;
mod date;
mod policy;
mod prefix;
mod set_cookie;
mod storage;

pub use audit::{Finding, Findings, Severity, check, check_at, is_sensitive_name};
pub use date::{CookieDate, parse_cookie_date};
pub use policy::{
    AttributeOverrides, CookieAttributes, CookiePolicy, CookiePolicyBuilder, CookiePolicyConfig,
    CookieRule, HardenError, InvalidText, NamePattern, PolicyError,
};
pub use prefix::{CookiePrefix, InvalidSameSite, SameSite};
pub use set_cookie::{
    Diagnostic, DiagnosticKind, Expiry, MAX_ATTRIBUTE_VALUE_LEN, MAX_LIFETIME_SECONDS,
    MAX_NAME_VALUE_LEN, ParseError, SetCookie,
};
pub use storage::{
    PrefixRequirement, RequestContext, StorageRejection, StorageScope, domain_matches,
};

/// The `cookie` crate (0.18) whose [`cookie::Cookie`] [`CookiePolicy::harden`] takes, so
/// callers can name the exact version this crate uses.
pub use cookie;

/// The `Set-Cookie` header name.
///
/// ```
/// assert_eq!(cookie_attrs::NAME.as_str(), "set-cookie");
/// ```
pub const NAME: http::HeaderName = http::header::SET_COOKIE;
