//! A complete, validated, pre-serialized set of HTTP security headers for any Rust HTTP stack, with presets, per-response CSP nonces and a tower layer.
//!
//! This crate owns the typed headers that have no crate of their own:
//!
//! | module | headers |
//! |---|---|
//! | [`referrer_policy`] | `Referrer-Policy` |
//! | [`permissions_policy`] | `Permissions-Policy`, `Permissions-Policy-Report-Only` |
//! | [`cross_origin`] | `Cross-Origin-Opener-Policy`, `Cross-Origin-Embedder-Policy` (and their `-Report-Only` forms), `Cross-Origin-Resource-Policy` |
//! | [`misc`] | `Origin-Agent-Cluster`, `X-DNS-Prefetch-Control`, `X-Permitted-Cross-Domain-Policies`, `X-XSS-Protection` |
//! | [`reporting_endpoints`] | `Reporting-Endpoints` |
//! | [`cache_control`] | `Cache-Control` for sensitive responses |
//! | [`clear_site_data`] | `Clear-Site-Data` |
//! | [`leaky_headers`] | removal of headers that reveal the server stack (`Server`, `X-Powered-By`, …) |
//! | [`cors`] | a CORS policy: preflight and actual-request answers |
//! | [`https_redirect`] | HTTPS detection behind trusted proxies and the redirect to HTTPS |
//! | [`origin`] | serialized origins and origin patterns used by the modules above |
//!
//! Every header type is validated on construction, parses as a browser does ([`std::str::FromStr`],
//! `TryFrom<&HeaderValue>`), serializes canonically ([`std::fmt::Display`]) and converts to an
//! [`http::HeaderValue`].
//!
//! ```
//! use secure_headers::referrer_policy::ReferrerPolicy;
//!
//! let policy: ReferrerPolicy = "no-referrer, strict-origin-when-cross-origin".parse()?;
//! assert_eq!(policy, ReferrerPolicy::StrictOriginWhenCrossOrigin);
//! assert_eq!(http::HeaderValue::from(policy), "strict-origin-when-cross-origin");
//! # Ok::<(), secure_headers::referrer_policy::ReferrerPolicyError>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

/// The examples in the crate's README, compiled and run as doctests so that they stay true
/// (the axum one needs the `axum` feature).
#[cfg(all(doctest, feature = "axum"))]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

pub mod cache_control;
pub mod clear_site_data;
pub mod cors;
pub mod cross_origin;
pub mod https_redirect;
pub mod leaky_headers;
pub mod misc;
pub mod origin;
pub mod permissions_policy;
pub mod referrer_policy;
pub mod reporting_endpoints;
pub mod sf;
mod util;

pub use cache_control::CacheControl;
pub use clear_site_data::ClearSiteData;
pub use cors::CorsPolicy;
pub use cross_origin::{
    CrossOriginEmbedderPolicy, CrossOriginOpenerPolicy, CrossOriginResourcePolicy,
};
pub use https_redirect::{HttpsRedirect, TrustedProxies};
pub use leaky_headers::LeakyHeaders;
pub use misc::{
    OriginAgentCluster, XDnsPrefetchControl, XPermittedCrossDomainPolicies, XXssProtection,
};
pub use origin::{Origin, OriginPattern};
pub use permissions_policy::PermissionsPolicy;
pub use referrer_policy::ReferrerPolicy;
pub use reporting_endpoints::ReportingEndpoints;

// The bundle: presets, per-response nonces, conflict rules and overrides, the tower layer.
pub mod bundle;
pub mod nonce;
pub mod overrides;
pub mod preset;

pub use bundle::{
    BuildError, CompiledCsp, Csp, CspError, PeerAddr, RequestDecision, ResponseContext,
    SecureHeaders, SecureHeadersBuilder, TlsConnection,
};
pub use nonce::CspNonce;
pub use overrides::{CspOverride, HeaderOverrides, OnConflict};

#[cfg(feature = "tower")]
pub mod layer;
#[cfg(feature = "tower")]
pub use layer::{HttpsDetection, SecureHeadersLayer, SecureHeadersService};
#[cfg(feature = "serde")]
pub mod config;
