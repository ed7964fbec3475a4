//! The whole bundle: built once, validated, pre-serialized, applied per response.
//!
//! [`SecureHeaders`] holds every header as a ready [`HeaderValue`], laid out once in a ready
//! [`HeaderMap`]. Applying it to a response without headers clones that map (two allocations,
//! no hashing); a response the handler already gave headers gets the same map with the
//! handler's headers moved in under the conflict rules (one lookup per handler header). When
//! the CSP uses nonces, one fresh nonce is spliced into the pre-serialized policy by
//! `csp-builder`'s [`CompiledPolicy`](csp_builder::CompiledPolicy) (one allocation).
//! Everything that can be wrong with a configuration is found by
//! [`SecureHeadersBuilder::build`], never while serving.
//!
//! ```
//! use http::{header, HeaderMap, HeaderValue};
//! use secure_headers::SecureHeaders;
//!
//! let bundle = SecureHeaders::strict()
//!     .header(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"))
//!     .build()?;
//! let mut first = HeaderMap::new();
//! let mut second = HeaderMap::new();
//! let first_nonce = bundle.apply(&mut first).expect("strict() uses a nonce");
//! let second_nonce = bundle.apply(&mut second).expect("strict() uses a nonce");
//! // The same headers for every response, but a fresh nonce in each one's CSP.
//! assert_eq!(first[header::REFERRER_POLICY], "no-referrer");
//! assert_eq!(first[header::X_CONTENT_TYPE_OPTIONS], second[header::X_CONTENT_TYPE_OPTIONS]);
//! assert_ne!(first_nonce.as_str(), second_nonce.as_str());
//! let csp = first[header::CONTENT_SECURITY_POLICY].to_str()?;
//! assert!(csp.contains(&format!("'nonce-{first_nonce}'")));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::sync::Arc;

use http::header::{self, Entry as MapEntry};
use http::{HeaderMap, HeaderName, HeaderValue, Response};

use crate::nonce::CspNonce;
use crate::overrides::{CspOverride, HeaderOverrides, OnConflict};

/// `Content-Security-Policy`.
///
/// ```
/// use secure_headers::{bundle::CSP, Csp, SecureHeaders};
/// let bundle = SecureHeaders::builder()
///     .csp(Csp::new().directive("default-src", ["'self'"]))
///     .build()?;
/// let mut headers = http::HeaderMap::new();
/// bundle.apply(&mut headers);
/// assert_eq!(headers[CSP], "default-src 'self'");
/// # Ok::<(), secure_headers::BuildError>(())
/// ```
pub const CSP: HeaderName = header::CONTENT_SECURITY_POLICY;
/// `Content-Security-Policy-Report-Only`.
///
/// ```
/// use secure_headers::bundle::{CSP, CSP_REPORT_ONLY};
/// use secure_headers::{Csp, SecureHeaders};
/// let bundle = SecureHeaders::builder()
///     .csp_report_only(Csp::new().directive("script-src", ["'self'"]))
///     .build()?;
/// let mut headers = http::HeaderMap::new();
/// bundle.apply(&mut headers);
/// assert_eq!(headers[CSP_REPORT_ONLY], "script-src 'self'");
/// assert!(!headers.contains_key(CSP));
/// # Ok::<(), secure_headers::BuildError>(())
/// ```
pub const CSP_REPORT_ONLY: HeaderName = header::CONTENT_SECURITY_POLICY_REPORT_ONLY;

/// Directives a browser ignores in a `Content-Security-Policy-Report-Only` header, with the
/// text that says so. A report-only policy containing one of them is rejected at build time,
/// because the author would believe they are being tested when they are not.
///
/// `frame-ancestors` is *not* in this list: CSP3 §6.4.2 ignores it only in `<meta>` policies;
/// delivered in a header it is monitored and reported like any other directive.
///
/// ```
/// use secure_headers::bundle::{IGNORED_IN_REPORT_ONLY, CSP_REPORT_ONLY};
/// use secure_headers::{BuildError, Csp, SecureHeaders};
/// assert!(IGNORED_IN_REPORT_ONLY.iter().any(|(name, _)| *name == "sandbox"));
/// assert!(!IGNORED_IN_REPORT_ONLY.iter().any(|(name, _)| *name == "frame-ancestors"));
/// // A report-only policy of its own with a listed directive is rejected…
/// let err = SecureHeaders::builder()
///     .csp_report_only(Csp::new().directive("sandbox", [""; 0]))
///     .build()
///     .unwrap_err();
/// assert!(matches!(err, BuildError::IgnoredInReportOnly { directive: "sandbox", .. }));
/// // …and one derived from the enforced policy leaves the listed directives out.
/// let bundle = SecureHeaders::builder()
///     .csp(
///         Csp::new()
///             .directive("default-src", ["'self'"])
///             .directive("upgrade-insecure-requests", [""; 0]),
///     )
///     .csp_report_only_from_enforced(|p| p)
///     .build()?;
/// let mut headers = http::HeaderMap::new();
/// bundle.apply(&mut headers);
/// assert_eq!(headers[CSP_REPORT_ONLY], "default-src 'self'");
/// # Ok::<(), BuildError>(())
/// ```
pub const IGNORED_IN_REPORT_ONLY: &[(&str, &str)] = &[
    (
        "sandbox",
        "CSP3 §6.3.2: \"it will be ignored entirely when delivered in a \
         Content-Security-Policy-Report-Only header\"",
    ),
    (
        "upgrade-insecure-requests",
        "Upgrade Insecure Requests §3.1: the directive is ignored in a report-only policy \
         (it has no violations to report)",
    ),
];

// ---------------------------------------------------------------------------------------------
// CSP definition and its compiled (pre-serialized) form
// ---------------------------------------------------------------------------------------------

/// A Content-Security-Policy definition for the bundle: directives with their source lists,
/// plus the places where the per-response nonce goes.
///
/// Sources are written as they appear on the wire (`'self'`, `https:`, `cdn.example`); the
/// builder validates them (no whitespace, `;`, `,` or control characters can be smuggled in)
/// when the bundle is built. Compiling runs the policy through `csp-builder`'s parser, so
/// keywords come out in canonical (lowercase) form, and any `'nonce-…'` source is a slot for
/// the per-response nonce (a fixed nonce would protect nothing).
///
/// ```
/// use secure_headers::Csp;
/// let csp = Csp::new()
///     .directive("default-src", ["'self'"])
///     .directive("script-src", ["'strict-dynamic'"])
///     .with_nonce("script-src")
///     .directive("object-src", ["'none'"]);
/// let compiled = csp.compile()?;
/// let nonce = secure_headers::CspNonce::from_random_bytes([0; 16]);
/// assert_eq!(
///     compiled.render(Some(&nonce)),
///     "default-src 'self'; script-src 'nonce-AAAAAAAAAAAAAAAAAAAAAA==' 'strict-dynamic'; object-src 'none'"
/// );
/// # Ok::<(), secure_headers::CspError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Csp {
    directives: Vec<CspDirective>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct CspDirective {
    name: String,
    sources: Vec<String>,
    nonce: bool,
}

/// Why a CSP definition was rejected.
///
/// ```
/// use secure_headers::{Csp, CspError};
/// assert!(matches!(Csp::new().compile(), Err(CspError::Empty)));
/// let smuggled = Csp::new().directive("img-src", ["data:;script-src"]).compile();
/// assert!(matches!(
///     smuggled,
///     Err(CspError::InvalidSource { directive, .. }) if directive == "img-src"
/// ));
/// let bad_name = Csp::new().directive("img src", ["data:"]).compile();
/// assert!(matches!(bad_name, Err(CspError::InvalidDirectiveName { .. })));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CspError {
    /// The policy has no directives.
    #[error("the policy has no directives")]
    Empty,
    /// A directive name is not `1*( ALPHA / DIGIT / "-" )` (CSP3 §2.2.1).
    #[error("directive name {name:?} is not 1*( ALPHA / DIGIT / \"-\" )")]
    InvalidDirectiveName {
        /// The rejected name.
        name: String,
    },
    /// The policy is larger than a browser keeps (too many directives or values, or too
    /// long: `csp_builder::MAX_DIRECTIVES_PER_POLICY`, `MAX_VALUES_PER_POLICY`,
    /// `MAX_INPUT_LEN`), so part of it would be dropped.
    #[error("part of the policy would be dropped: {reason}")]
    NotKept {
        /// What would be dropped.
        reason: String,
    },
    /// A source expression contains whitespace, `;`, `,` or a non-visible character, which
    /// would split or inject directives or policies.
    #[error(
        "source {source_text:?} of directive {directive:?} contains whitespace, ';', ',' or a non-visible character"
    )]
    InvalidSource {
        /// The directive holding the source.
        directive: String,
        /// The rejected source text.
        source_text: String,
    },
}

fn valid_directive_name(name: &str) -> bool {
    // CSP3 §2.2.1: directive-name = 1*( ALPHA / DIGIT / "-" )
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn valid_source(source: &str) -> bool {
    // CSP3 §2.2.1: directive-value = *( required-ascii-whitespace / ( %x21-%x2B / %x2D-%x3A /
    // %x3C-%x7E ) ): visible ASCII except "," and ";"; whitespace separates sources.
    !source.is_empty()
        && source
            .bytes()
            .all(|b| matches!(b, 0x21..=0x2B | 0x2D..=0x3A | 0x3C..=0x7E))
}

impl Csp {
    /// An empty policy (add directives with [`directive`](Self::directive)).
    ///
    /// ```
    /// use secure_headers::{Csp, CspError};
    /// let csp = Csp::new();
    /// assert_eq!(csp.directive_names().count(), 0);
    /// // An empty policy is not a policy: it is rejected when compiled.
    /// assert!(matches!(csp.compile(), Err(CspError::Empty)));
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes a policy built or parsed with `csp-builder`. Every nonce source in it (usually
    /// `Source::NONCE_PLACEHOLDER`) becomes the per-response nonce slot of its directive.
    ///
    /// ```
    /// use csp_builder::{Policy, Source};
    /// let policy = Policy::builder()
    ///     .script_src([Source::NONCE_PLACEHOLDER, Source::STRICT_DYNAMIC])
    ///     .object_src([Source::NONE])
    ///     .build()
    ///     .unwrap();
    /// let csp = secure_headers::Csp::from_policy(&policy);
    /// assert!(csp.uses_nonce());
    /// let nonce = secure_headers::CspNonce::from_random_bytes([0; 16]);
    /// assert_eq!(
    ///     csp.compile()?.render(Some(&nonce)),
    ///     "script-src 'nonce-AAAAAAAAAAAAAAAAAAAAAA==' 'strict-dynamic'; object-src 'none'"
    /// );
    /// # Ok::<(), secure_headers::CspError>(())
    /// ```
    #[must_use]
    pub fn from_policy(policy: &csp_builder::Policy) -> Self {
        let directives = policy
            .directives()
            .map(|d| {
                let mut nonce = false;
                let sources = d
                    .sources()
                    .filter_map(|s| {
                        if s.nonce().is_some() {
                            nonce = true;
                            None
                        } else {
                            Some(s.as_str().to_owned())
                        }
                    })
                    .collect();
                CspDirective {
                    name: d.name().to_ascii_lowercase(),
                    sources,
                    nonce,
                }
            })
            .collect();
        Self { directives }
    }

    /// Sets directive `name` to `sources`, replacing an earlier directive of that name (its
    /// nonce slot is kept). Directive names are ASCII case-insensitive and stored lowercase.
    ///
    /// ```
    /// let csp = secure_headers::Csp::new().directive("upgrade-insecure-requests", [""; 0]);
    /// assert_eq!(csp.compile()?.render(None), "upgrade-insecure-requests");
    /// # Ok::<(), secure_headers::CspError>(())
    /// ```
    #[must_use]
    pub fn directive<I, S>(mut self, name: &str, sources: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let name = name.to_ascii_lowercase();
        let sources: Vec<String> = sources.into_iter().map(Into::into).collect();
        if let Some(d) = self.directives.iter_mut().find(|d| d.name == name) {
            d.sources = sources;
        } else {
            self.directives.push(CspDirective {
                name,
                sources,
                nonce: false,
            });
        }
        self
    }

    /// Adds the per-response nonce (`'nonce-…'`, first in the list) to directive `name`,
    /// creating the directive if it does not exist.
    ///
    /// ```
    /// let csp = secure_headers::Csp::new().with_nonce("style-src");
    /// assert!(csp.uses_nonce());
    /// ```
    #[must_use]
    pub fn with_nonce(mut self, name: &str) -> Self {
        let name = name.to_ascii_lowercase();
        if let Some(d) = self.directives.iter_mut().find(|d| d.name == name) {
            d.nonce = true;
        } else {
            self.directives.push(CspDirective {
                name,
                sources: Vec::new(),
                nonce: true,
            });
        }
        self
    }

    /// Removes directive `name`.
    ///
    /// ```
    /// let csp = secure_headers::Csp::new().directive("sandbox", [""; 0]).remove("sandbox");
    /// assert!(!csp.has_directive("sandbox"));
    /// ```
    #[must_use]
    pub fn remove(mut self, name: &str) -> Self {
        self.directives
            .retain(|d| !d.name.eq_ignore_ascii_case(name));
        self
    }

    /// Whether directive `name` is present.
    ///
    /// ```
    /// assert!(secure_headers::Csp::new().directive("img-src", ["data:"]).has_directive("IMG-SRC"));
    /// ```
    #[must_use]
    pub fn has_directive(&self, name: &str) -> bool {
        self.directives
            .iter()
            .any(|d| d.name.eq_ignore_ascii_case(name))
    }

    /// The sources of directive `name` (without the nonce slot).
    ///
    /// ```
    /// let csp = secure_headers::Csp::new().directive("img-src", ["'self'", "data:"]);
    /// assert_eq!(csp.sources("img-src"), Some(&["'self'".to_owned(), "data:".to_owned()][..]));
    /// ```
    #[must_use]
    pub fn sources(&self, name: &str) -> Option<&[String]> {
        self.directives
            .iter()
            .find(|d| d.name.eq_ignore_ascii_case(name))
            .map(|d| d.sources.as_slice())
    }

    /// Whether any directive carries the per-response nonce.
    ///
    /// ```
    /// use secure_headers::Csp;
    /// let csp = Csp::new().directive("script-src", ["'self'"]);
    /// assert!(!csp.uses_nonce());
    /// assert!(csp.with_nonce("script-src").uses_nonce());
    /// ```
    #[must_use]
    pub fn uses_nonce(&self) -> bool {
        self.directives.iter().any(|d| d.nonce)
    }

    /// The directive names, in order.
    ///
    /// ```
    /// use secure_headers::Csp;
    /// let csp = Csp::new()
    ///     .directive("Default-Src", ["'self'"])
    ///     .directive("img-src", ["data:"]);
    /// assert_eq!(csp.directive_names().collect::<Vec<_>>(), ["default-src", "img-src"]);
    /// ```
    pub fn directive_names(&self) -> impl Iterator<Item = &str> {
        self.directives.iter().map(|d| d.name.as_str())
    }

    /// Validates the policy and pre-serializes it.
    ///
    /// # Errors
    /// [`CspError`] naming the directive or source that is invalid.
    ///
    /// ```
    /// use secure_headers::{Csp, CspError};
    /// let compiled = Csp::new().directive("default-src", ["'SELF'"]).compile()?;
    /// // Keywords come out in canonical (lowercase) form.
    /// assert_eq!(compiled.render(None), "default-src 'self'");
    /// let invalid = Csp::new().directive("default-src", ["'self'\r\nX-Injected: 1"]).compile();
    /// assert!(matches!(invalid, Err(CspError::InvalidSource { .. })));
    /// # Ok::<(), CspError>(())
    /// ```
    pub fn compile(&self) -> Result<CompiledCsp, CspError> {
        CompiledCsp::new(self)
    }
}

/// A validated, pre-serialized policy: a thin wrapper around `csp-builder`'s
/// [`CompiledPolicy`](csp_builder::CompiledPolicy), which does the rendering, plus what the
/// bundle checks at build time (directive names, `report-to` endpoints).
///
/// Rendering with a nonce allocates once (exactly the final length); a policy without nonce
/// slots, and the nonce-less fallback, are header values built once and cloned.
///
/// ```
/// use secure_headers::{CompiledCsp, Csp, CspNonce};
/// let compiled: CompiledCsp = Csp::new()
///     .directive("script-src", ["'strict-dynamic'"])
///     .with_nonce("script-src")
///     .compile()?;
/// let nonce = CspNonce::from_random_bytes([0; 16]);
/// assert_eq!(
///     compiled.render(Some(&nonce)),
///     "script-src 'nonce-AAAAAAAAAAAAAAAAAAAAAA==' 'strict-dynamic'"
/// );
/// assert_eq!(compiled.render(None), "script-src 'strict-dynamic'");
/// # Ok::<(), secure_headers::CspError>(())
/// ```
#[derive(Debug, Clone)]
pub struct CompiledCsp {
    policy: csp_builder::CompiledPolicy,
    /// Directive names, for build-time checks.
    names: Box<[String]>,
    /// The endpoint names in `report-to`.
    report_to: Box<[String]>,
}

impl CompiledCsp {
    /// Validates and pre-serializes `csp` (same as [`Csp::compile`]).
    ///
    /// Every nonce slot becomes a `'nonce-…'` source first in its directive. A `'nonce-…'`
    /// source written into the definition is a nonce slot too: it is replaced by the
    /// response's nonce (CSP3 §7.1: a nonce must be unique per response, so a fixed one would
    /// protect nothing).
    ///
    /// # Errors
    /// [`CspError`] naming the directive or source that is invalid.
    ///
    /// ```
    /// use secure_headers::{CompiledCsp, Csp, CspNonce};
    /// // A nonce written into the definition is a slot for the response's nonce.
    /// let csp = Csp::new().directive("script-src", ["'nonce-fixed'", "'strict-dynamic'"]);
    /// let compiled = CompiledCsp::new(&csp)?;
    /// assert!(compiled.uses_nonce());
    /// let nonce = CspNonce::from_random_bytes([0; 16]);
    /// assert_eq!(
    ///     compiled.render(Some(&nonce)),
    ///     "script-src 'nonce-AAAAAAAAAAAAAAAAAAAAAA==' 'strict-dynamic'"
    /// );
    /// # Ok::<(), secure_headers::CspError>(())
    /// ```
    pub fn new(csp: &Csp) -> Result<Self, CspError> {
        if csp.directives.is_empty() {
            return Err(CspError::Empty);
        }
        let placeholder = csp_builder::Source::NONCE_PLACEHOLDER;
        let mut text = String::new();
        for (i, d) in csp.directives.iter().enumerate() {
            if !valid_directive_name(&d.name) {
                return Err(CspError::InvalidDirectiveName {
                    name: d.name.clone(),
                });
            }
            if i > 0 {
                text.push_str("; ");
            }
            text.push_str(&d.name);
            if d.nonce {
                text.push(' ');
                text.push_str(placeholder.as_str());
            }
            for s in &d.sources {
                if !valid_source(s) {
                    return Err(CspError::InvalidSource {
                        directive: d.name.clone(),
                        source_text: s.clone(),
                    });
                }
                text.push(' ');
                text.push_str(s);
            }
        }
        // CSP3 §2.2.1 "parse a serialized CSP", as the browser will run it on the header: the
        // text is already canonical apart from the case of keywords, so the parsed policy
        // keeps every directive and every source unless a size limit drops some.
        let parsed = csp_builder::Policy::parse(&text);
        let policy = match parsed.value {
            Some(p) if p.len() == csp.directives.len() && p.as_str().len() == text.len() => p,
            _ => {
                return Err(CspError::NotKept {
                    reason: parsed
                        .diagnostics
                        .first()
                        .map_or_else(|| "the policy is empty".to_owned(), ToString::to_string),
                });
            }
        };
        Ok(Self::from_policy(&policy))
    }

    /// Compiles a policy built or parsed with `csp-builder`; each of its nonce sources (usually
    /// `Source::NONCE_PLACEHOLDER`) receives the response's nonce.
    ///
    /// ```
    /// use csp_builder::{Policy, Source};
    /// let policy = Policy::builder()
    ///     .script_src([Source::NONCE_PLACEHOLDER, Source::STRICT_DYNAMIC])
    ///     .build()
    ///     .unwrap();
    /// let compiled = secure_headers::CompiledCsp::from_policy(&policy);
    /// assert!(compiled.uses_nonce());
    /// assert_eq!(compiled.render(None), "script-src 'strict-dynamic'");
    /// ```
    #[must_use]
    pub fn from_policy(policy: &csp_builder::Policy) -> Self {
        let names = policy.directives().map(|d| d.name().to_owned()).collect();
        let report_to = policy
            .directives()
            .filter(|d| d.name() == "report-to")
            .flat_map(|d| {
                d.sources()
                    .map(|s| s.as_str().to_owned())
                    .collect::<Vec<_>>()
            })
            .collect();
        Self {
            policy: policy.compile(),
            names,
            report_to,
        }
    }

    /// Whether the policy has nonce slots.
    ///
    /// ```
    /// use secure_headers::preset;
    /// assert!(preset::strict_csp().compile()?.uses_nonce());
    /// assert!(!preset::api_csp().compile()?.uses_nonce());
    /// # Ok::<(), secure_headers::CspError>(())
    /// ```
    #[must_use]
    pub fn uses_nonce(&self) -> bool {
        self.policy.nonce_count() > 0
    }

    /// The header value for one response: with `nonce` in every slot, or without any nonce
    /// source when `nonce` is `None` (which fails closed: nonce-only script sources then
    /// allow nothing).
    ///
    /// ```
    /// let compiled = secure_headers::preset::strict_csp().compile()?;
    /// let nonce = secure_headers::CspNonce::from_random_bytes([0; 16]);
    /// assert!(compiled.render(Some(&nonce)).to_str().unwrap().contains("'nonce-AAAAAAAAAAAAAAAAAAAAAA=='"));
    /// assert!(!compiled.render(None).to_str().unwrap().contains("'nonce-"));
    /// # Ok::<(), secure_headers::CspError>(())
    /// ```
    #[must_use]
    pub fn render(&self, nonce: Option<&CspNonce>) -> HeaderValue {
        match nonce {
            Some(nonce) => self.policy.render(nonce.as_csp_nonce()),
            None => self.policy.without_nonces(),
        }
    }

    /// The `csp-builder` template this policy renders with.
    ///
    /// ```
    /// let compiled = secure_headers::preset::api_csp().compile()?;
    /// assert_eq!(compiled.compiled_policy().nonce_count(), 0);
    /// # Ok::<(), secure_headers::CspError>(())
    /// ```
    #[must_use]
    pub fn compiled_policy(&self) -> &csp_builder::CompiledPolicy {
        &self.policy
    }

    /// Directive names, in order.
    ///
    /// ```
    /// let compiled = secure_headers::preset::api_csp().compile()?;
    /// assert_eq!(
    ///     compiled.directive_names().collect::<Vec<_>>(),
    ///     ["default-src", "frame-ancestors"]
    /// );
    /// # Ok::<(), secure_headers::CspError>(())
    /// ```
    pub fn directive_names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(String::as_str)
    }

    /// The reporting endpoint names in `report-to`.
    ///
    /// ```
    /// use secure_headers::Csp;
    /// let compiled = Csp::new()
    ///     .directive("default-src", ["'self'"])
    ///     .directive("report-to", ["csp-endpoint"])
    ///     .compile()?;
    /// assert_eq!(compiled.report_to().collect::<Vec<_>>(), ["csp-endpoint"]);
    /// # Ok::<(), secure_headers::CspError>(())
    /// ```
    pub fn report_to(&self) -> impl Iterator<Item = &str> {
        self.report_to.iter().map(String::as_str)
    }
}

// ---------------------------------------------------------------------------------------------
// The bundle
// ---------------------------------------------------------------------------------------------

/// Why a bundle could not be built.
///
/// ```
/// use secure_headers::{BuildError, Csp, SecureHeaders};
/// let err = SecureHeaders::builder()
///     .csp_report_only(Csp::new().directive("sandbox", [""; 0]))
///     .build()
///     .unwrap_err();
/// assert!(matches!(err, BuildError::IgnoredInReportOnly { directive: "sandbox", .. }));
/// let err = SecureHeaders::builder()
///     .csp_report_only_from_enforced(|p| p)
///     .build()
///     .unwrap_err();
/// assert_eq!(err, BuildError::NoPolicyToDeriveFrom);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The enforced CSP is invalid.
    #[error("Content-Security-Policy: {0}")]
    Csp(CspError),
    /// The report-only CSP is invalid.
    #[error("Content-Security-Policy-Report-Only: {0}")]
    CspReportOnly(CspError),
    /// The report-only CSP contains a directive browsers ignore in report-only mode.
    #[error(
        "Content-Security-Policy-Report-Only contains `{directive}`, which browsers ignore in report-only policies ({reason})"
    )]
    IgnoredInReportOnly {
        /// The directive.
        directive: &'static str,
        /// The spec text that says so.
        reason: &'static str,
    },
    /// A report-only policy was to be derived from the enforced one, but there is none.
    #[error("a report-only policy derived from the enforced policy needs an enforced policy")]
    NoPolicyToDeriveFrom,
    /// A policy's `report-to` names an endpoint that `Reporting-Endpoints` does not define.
    #[error(
        "{header} report-to names endpoint {endpoint:?}, which Reporting-Endpoints does not define"
    )]
    UnknownReportingEndpoint {
        /// The CSP header holding the directive.
        header: &'static str,
        /// The missing endpoint name.
        endpoint: String,
    },
    /// [`OnConflict::Merge`] was chosen for a header whose values cannot be merged.
    #[error("header {header} cannot be merged with the handler's value; only the CSP headers can")]
    MergeNotSupported {
        /// The header.
        header: HeaderName,
    },
    /// A header value given to the builder is invalid.
    #[error("header {header}: {message}")]
    InvalidHeader {
        /// The header.
        header: HeaderName,
        /// What is wrong.
        message: String,
    },
}

#[derive(Debug, Clone)]
struct Entry {
    name: HeaderName,
    value: HeaderValue,
    on_conflict: OnConflict,
}

#[derive(Debug, Clone)]
struct CspEntry {
    policy: Arc<CompiledCsp>,
    on_conflict: OnConflict,
}

type Derivation = Box<dyn FnOnce(Csp) -> Csp + Send>;

enum ReportOnlySpec {
    Policy(Csp),
    Derived(Derivation),
}

/// Builds a [`SecureHeaders`]; start from [`SecureHeaders::builder`] (nothing set) or a preset
/// ([`SecureHeaders::recommended`], [`SecureHeaders::strict`], [`SecureHeaders::api`]).
///
/// Every part of a preset can be replaced ([`header`](Self::header), [`csp`](Self::csp), …)
/// or removed ([`disable`](Self::disable)).
///
/// ```
/// use http::{header, HeaderValue};
/// use secure_headers::SecureHeaders;
/// let bundle = SecureHeaders::recommended()
///     .header(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"))
///     .disable(header::X_XSS_PROTECTION)
///     .build()?;
/// assert_eq!(bundle.value(&header::X_FRAME_OPTIONS).unwrap(), "DENY");
/// assert!(bundle.value(&header::X_XSS_PROTECTION).is_none());
/// # Ok::<(), secure_headers::BuildError>(())
/// ```
pub struct SecureHeadersBuilder {
    entries: Vec<(HeaderName, HeaderValue)>,
    csp: Option<Csp>,
    report_only: Option<ReportOnlySpec>,
    hsts: Option<HeaderValue>,
    remove: Vec<HeaderName>,
    conflicts: Vec<(HeaderName, OnConflict)>,
    endpoint_names: Vec<String>,
    cookies: Option<cookie_attrs::CookiePolicy>,
    cors: Option<crate::CorsPolicy>,
    https_redirect: Option<crate::HttpsRedirect>,
    trusted_proxies: Option<crate::TrustedProxies>,
    errors: Vec<BuildError>,
}

impl std::fmt::Debug for SecureHeadersBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecureHeadersBuilder")
            .field("entries", &self.entries)
            .field("csp", &self.csp)
            .field("hsts", &self.hsts)
            .field("remove", &self.remove)
            .finish_non_exhaustive()
    }
}

impl Default for SecureHeadersBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl SecureHeadersBuilder {
    /// A builder with nothing set.
    ///
    /// ```
    /// use secure_headers::SecureHeadersBuilder;
    /// let bundle = SecureHeadersBuilder::new().build()?;
    /// let mut headers = http::HeaderMap::new();
    /// assert!(bundle.apply(&mut headers).is_none());
    /// assert!(headers.is_empty());
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self {
            entries: Vec::new(),
            csp: None,
            report_only: None,
            hsts: None,
            remove: Vec::new(),
            conflicts: Vec::new(),
            endpoint_names: Vec::new(),
            cookies: None,
            cors: None,
            https_redirect: None,
            trusted_proxies: None,
            errors: Vec::new(),
        }
    }

    /// Hardens every `Set-Cookie` header on the way out with `policy` (`Secure`, `HttpOnly`,
    /// `SameSite`, prefixes, …). A cookie the policy cannot make acceptable is dropped
    /// rather than sent unhardened.
    ///
    /// ```
    /// let bundle = secure_headers::SecureHeaders::builder()
    ///     .harden_cookies(cookie_attrs::CookiePolicy::default())
    ///     .build()?;
    /// let mut headers = http::HeaderMap::new();
    /// headers.append(http::header::SET_COOKIE, http::HeaderValue::from_static("id=1"));
    /// bundle.apply(&mut headers);
    /// assert_eq!(headers[http::header::SET_COOKIE], "id=1; Secure; HttpOnly; SameSite=Lax");
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn harden_cookies(mut self, policy: cookie_attrs::CookiePolicy) -> Self {
        self.cookies = Some(policy);
        self
    }

    /// Answers CORS preflights with `policy` (without calling the handler) and adds the CORS
    /// response headers to actual requests (with the tower layer or
    /// [`SecureHeaders::on_request`]).
    ///
    /// ```
    /// use http::header::{ACCESS_CONTROL_ALLOW_ORIGIN, ORIGIN};
    /// use secure_headers::{CorsPolicy, RequestDecision, SecureHeaders};
    /// let cors = CorsPolicy::builder().allow_origin("https://app.example").build()?;
    /// let bundle = SecureHeaders::api().cors(cors).build()?;
    /// let (parts, ()) = http::Request::get("/items")
    ///     .header(ORIGIN, "https://app.example")
    ///     .body(())?
    ///     .into_parts();
    /// let RequestDecision::Continue(ctx) = bundle.on_request(&parts, None, true, true) else {
    ///     panic!("not a preflight")
    /// };
    /// let mut response = http::Response::new(());
    /// bundle.apply_response(&mut response, &ctx);
    /// assert_eq!(response.headers()[ACCESS_CONTROL_ALLOW_ORIGIN], "https://app.example");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn cors(mut self, policy: crate::CorsPolicy) -> Self {
        self.cors = Some(policy);
        self
    }

    /// Redirects plain-HTTP requests to HTTPS (with the tower layer or
    /// [`SecureHeaders::on_request`]); its trusted-proxy settings also decide where HSTS is
    /// sent.
    ///
    /// ```
    /// use secure_headers::{HttpsRedirect, RequestDecision, SecureHeaders};
    /// let redirect = HttpsRedirect::builder().allow_host("example.com").build()?;
    /// let bundle = SecureHeaders::recommended().https_redirect(redirect).build()?;
    /// let (parts, ()) = http::Request::get("http://example.com/login").body(())?.into_parts();
    /// let RequestDecision::Respond(response) = bundle.on_request(&parts, None, false, false) else {
    ///     panic!("plain HTTP is redirected")
    /// };
    /// assert_eq!(response.status(), http::StatusCode::PERMANENT_REDIRECT);
    /// assert_eq!(response.headers()["location"], "https://example.com/login");
    /// // The redirect went over plain HTTP: no HSTS on it.
    /// assert!(!response.headers().contains_key("strict-transport-security"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn https_redirect(mut self, redirect: crate::HttpsRedirect) -> Self {
        self.https_redirect = Some(redirect);
        self
    }

    /// Decides HTTPS (for HSTS) from the connection and, for these trusted peers only, from
    /// `Forwarded` / `X-Forwarded-Proto`, without redirecting.
    ///
    /// ```
    /// use secure_headers::{RequestDecision, SecureHeaders, TrustedProxies};
    /// let bundle = SecureHeaders::recommended()
    ///     .trusted_proxies(TrustedProxies::new().with("10.0.0.1")?)
    ///     .build()?;
    /// let (parts, ()) = http::Request::get("/")
    ///     .header("x-forwarded-proto", "https")
    ///     .body(())?
    ///     .into_parts();
    /// let from = |peer: &str| -> Result<bool, std::net::AddrParseError> {
    ///     Ok(matches!(
    ///         bundle.on_request(&parts, Some(peer.parse()?), false, true),
    ///         RequestDecision::Continue(ctx) if ctx.is_https()
    ///     ))
    /// };
    /// assert!(from("10.0.0.1")?);
    /// // The same header from anyone else is not believed (`assume_https` no longer applies).
    /// assert!(!from("192.0.2.9")?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn trusted_proxies(mut self, proxies: crate::TrustedProxies) -> Self {
        self.trusted_proxies = Some(proxies);
        self
    }

    /// Removes the headers in `leaky` from every response (replaces earlier removals).
    ///
    /// ```
    /// let bundle = secure_headers::SecureHeaders::builder()
    ///     .leaky_headers(&secure_headers::LeakyHeaders::empty().with_name(http::header::SERVER))
    ///     .build()?;
    /// assert_eq!(bundle.removed_headers(), &[http::header::SERVER]);
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn leaky_headers(mut self, leaky: &crate::LeakyHeaders) -> Self {
        self.remove = leaky.names().to_vec();
        self
    }

    /// Records that a typed header method was given a value it cannot send; `build` returns
    /// it as [`BuildError::InvalidHeader`].
    pub(crate) fn invalid_header(mut self, header: HeaderName, message: String) -> Self {
        self.errors
            .push(BuildError::InvalidHeader { header, message });
        self
    }

    /// Sets header `name` to `value` on every response, replacing an earlier value.
    ///
    /// For the headers with dedicated methods (CSP, HSTS) use those methods; `header` with a
    /// CSP name is recorded as an error at build time.
    ///
    /// ```
    /// let bundle = secure_headers::SecureHeaders::builder()
    ///     .header(http::header::X_FRAME_OPTIONS, http::HeaderValue::from_static("DENY"))
    ///     .build()?;
    /// let mut headers = http::HeaderMap::new();
    /// bundle.apply(&mut headers);
    /// assert_eq!(headers["x-frame-options"], "DENY");
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        if name == CSP || name == CSP_REPORT_ONLY || name == header::STRICT_TRANSPORT_SECURITY {
            self.errors.push(BuildError::InvalidHeader {
                header: name,
                message: "set this header with its dedicated builder method".to_owned(),
            });
            return self;
        }
        if let Some(slot) = self.entries.iter_mut().find(|(n, _)| *n == name) {
            slot.1 = value;
        } else {
            self.entries.push((name, value));
        }
        self
    }

    /// Stops sending header `name` (any header, the CSP and HSTS included).
    ///
    /// ```
    /// let bundle = secure_headers::SecureHeaders::recommended()
    ///     .disable(http::header::X_FRAME_OPTIONS)
    ///     .build()?;
    /// let mut headers = http::HeaderMap::new();
    /// bundle.apply(&mut headers);
    /// assert!(!headers.contains_key("x-frame-options"));
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    #[allow(clippy::needless_pass_by_value)] // takes a name like `header` and `remove_header`
    pub fn disable(mut self, name: HeaderName) -> Self {
        if name == CSP {
            self.csp = None;
        } else if name == CSP_REPORT_ONLY {
            self.report_only = None;
        } else if name == header::STRICT_TRANSPORT_SECURITY {
            self.hsts = None;
        } else {
            self.entries.retain(|(n, _)| *n != name);
        }
        self
    }

    /// Sets the enforced `Content-Security-Policy`.
    ///
    /// ```
    /// use secure_headers::{Csp, SecureHeaders};
    /// let bundle = SecureHeaders::builder()
    ///     .csp(Csp::new().directive("default-src", ["'self'"]))
    ///     .build()?;
    /// let mut headers = http::HeaderMap::new();
    /// bundle.apply(&mut headers);
    /// assert_eq!(headers["content-security-policy"], "default-src 'self'");
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn csp(mut self, csp: Csp) -> Self {
        self.csp = Some(csp);
        self
    }

    /// The enforced policy as currently configured (to derive a change from it).
    ///
    /// ```
    /// use secure_headers::SecureHeaders;
    /// let builder = SecureHeaders::recommended();
    /// let csp = builder.current_csp().expect("the preset has a policy");
    /// assert!(csp.has_directive("upgrade-insecure-requests"));
    /// assert!(SecureHeaders::builder().current_csp().is_none());
    /// ```
    #[must_use]
    pub fn current_csp(&self) -> Option<&Csp> {
        self.csp.as_ref()
    }

    /// Sets a `Content-Security-Policy-Report-Only` policy of its own.
    ///
    /// # Build errors
    /// [`BuildError::IgnoredInReportOnly`] if it contains `sandbox` or
    /// `upgrade-insecure-requests`.
    ///
    /// ```
    /// use secure_headers::{BuildError, Csp, SecureHeaders};
    /// let bundle = SecureHeaders::builder()
    ///     .csp_report_only(Csp::new().directive("script-src", ["'self'"]))
    ///     .build()?;
    /// let mut headers = http::HeaderMap::new();
    /// bundle.apply(&mut headers);
    /// assert_eq!(headers["content-security-policy-report-only"], "script-src 'self'");
    /// assert!(!headers.contains_key("content-security-policy"));
    /// # Ok::<(), BuildError>(())
    /// ```
    #[must_use]
    pub fn csp_report_only(mut self, csp: Csp) -> Self {
        self.report_only = Some(ReportOnlySpec::Policy(csp));
        self
    }

    /// Derives the report-only policy from the enforced one: the enforced policy minus the
    /// directives browsers ignore in report-only mode, then `change` applied. This is how a
    /// stricter candidate policy is tested next to the one in force, from one definition.
    ///
    /// ```
    /// use secure_headers::{Csp, SecureHeaders};
    /// let bundle = SecureHeaders::recommended()
    ///     .csp_report_only_from_enforced(|p| p.directive("style-src", ["'self'"]))
    ///     .build()?;
    /// let mut headers = http::HeaderMap::new();
    /// bundle.apply(&mut headers);
    /// let ro = headers["content-security-policy-report-only"].to_str().unwrap();
    /// assert!(ro.ends_with("style-src 'self'"));
    /// assert!(!ro.contains("upgrade-insecure-requests"));
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn csp_report_only_from_enforced(
        mut self,
        change: impl FnOnce(Csp) -> Csp + Send + 'static,
    ) -> Self {
        self.report_only = Some(ReportOnlySpec::Derived(Box::new(change)));
        self
    }

    /// Sets `Strict-Transport-Security` (sent only on responses to HTTPS requests: RFC 6797
    /// §7.2, "An HSTS Host MUST NOT include the STS header field in HTTP responses conveyed
    /// over non-secure transport").
    ///
    /// ```
    /// use http::{header::STRICT_TRANSPORT_SECURITY, HeaderMap, HeaderValue};
    /// use secure_headers::SecureHeaders;
    /// let bundle = SecureHeaders::builder()
    ///     .hsts_value(HeaderValue::from_static("max-age=63072000; includeSubDomains; preload"))
    ///     .build()?;
    /// let mut https = HeaderMap::new();
    /// bundle.apply_with(&mut https, &bundle.context(true), None);
    /// assert_eq!(https[STRICT_TRANSPORT_SECURITY], "max-age=63072000; includeSubDomains; preload");
    /// let mut plain_http = HeaderMap::new();
    /// bundle.apply_with(&mut plain_http, &bundle.context(false), None);
    /// assert!(!plain_http.contains_key(STRICT_TRANSPORT_SECURITY));
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn hsts_value(mut self, value: HeaderValue) -> Self {
        self.hsts = Some(value);
        self
    }

    /// Sets `Strict-Transport-Security` from a validated [`hsts::Hsts`] (sent only on
    /// responses to HTTPS requests).
    ///
    /// ```
    /// use std::time::Duration;
    /// let bundle = secure_headers::SecureHeaders::builder()
    ///     .hsts(&hsts::Hsts::builder(Duration::from_secs(600)).include_subdomains(true).build())
    ///     .build()?;
    /// assert_eq!(
    ///     bundle.value(&http::header::STRICT_TRANSPORT_SECURITY).unwrap(),
    ///     "max-age=600; includeSubDomains"
    /// );
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn hsts(self, hsts: &hsts::Hsts) -> Self {
        self.hsts_value(hsts.to_header_value())
    }

    /// Sets `Reporting-Endpoints`; CSP `report-to` may then name these endpoints (checked at
    /// build time).
    ///
    /// ```
    /// use secure_headers::{Csp, ReportingEndpoints, SecureHeaders};
    /// let endpoints = ReportingEndpoints::builder()
    ///     .endpoint("csp", "https://example.com/reports")
    ///     .build()
    ///     .unwrap();
    /// let ok = SecureHeaders::builder()
    ///     .reporting_endpoints(&endpoints)
    ///     .csp(Csp::new().directive("default-src", ["'self'"]).directive("report-to", ["csp"]))
    ///     .build();
    /// assert!(ok.is_ok());
    /// let missing = SecureHeaders::builder()
    ///     .csp(Csp::new().directive("default-src", ["'self'"]).directive("report-to", ["csp"]))
    ///     .build();
    /// assert!(missing.is_err());
    /// ```
    #[must_use]
    pub fn reporting_endpoints(mut self, endpoints: &crate::ReportingEndpoints) -> Self {
        self.endpoint_names = endpoints
            .iter()
            .map(|(name, _)| name.as_str().to_owned())
            .collect();
        let value = endpoints.to_header_value();
        self.header(crate::reporting_endpoints::NAME, value)
    }

    /// Sets `Referrer-Policy` from a validated [`ReferrerPolicy`](crate::ReferrerPolicy).
    ///
    /// ```
    /// use secure_headers::{ReferrerPolicy, SecureHeaders};
    /// let bundle = SecureHeaders::recommended()
    ///     .referrer_policy(ReferrerPolicy::StrictOriginWhenCrossOrigin)
    ///     .build()?;
    /// assert_eq!(
    ///     bundle.value(&http::header::REFERRER_POLICY).unwrap(),
    ///     "strict-origin-when-cross-origin"
    /// );
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn referrer_policy(self, policy: crate::ReferrerPolicy) -> Self {
        self.header(header::REFERRER_POLICY, HeaderValue::from(policy))
    }

    /// Sets `Permissions-Policy` from a validated
    /// [`PermissionsPolicy`](crate::PermissionsPolicy).
    ///
    /// ```
    /// use secure_headers::{PermissionsPolicy, SecureHeaders};
    /// let policy: PermissionsPolicy = "camera=(), geolocation=(self)".parse()?;
    /// let bundle = SecureHeaders::builder().permissions_policy(&policy).build()?;
    /// let sent = bundle.value(&secure_headers::permissions_policy::NAME).unwrap();
    /// assert_eq!(sent, policy.to_header_value());
    /// assert!(sent.to_str()?.contains("camera=()"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn permissions_policy(self, policy: &crate::PermissionsPolicy) -> Self {
        self.header(crate::permissions_policy::NAME, policy.to_header_value())
    }

    /// Removes header `name` from every response (headers that reveal the server stack).
    ///
    /// ```
    /// let bundle = secure_headers::SecureHeaders::builder()
    ///     .remove_header(http::header::SERVER)
    ///     .build()?;
    /// let mut headers = http::HeaderMap::new();
    /// headers.insert(http::header::SERVER, http::HeaderValue::from_static("nginx/1.2"));
    /// bundle.apply(&mut headers);
    /// assert!(!headers.contains_key("server"));
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn remove_header(mut self, name: HeaderName) -> Self {
        if !self.remove.contains(&name) {
            self.remove.push(name);
        }
        self
    }

    /// Stops removing header `name`.
    ///
    /// ```
    /// use secure_headers::SecureHeaders;
    /// let x_powered_by = http::HeaderName::from_static("x-powered-by");
    /// assert!(SecureHeaders::recommended().build()?.removed_headers().contains(&x_powered_by));
    /// let bundle = SecureHeaders::recommended().keep_header(&x_powered_by).build()?;
    /// assert!(!bundle.removed_headers().contains(&x_powered_by));
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn keep_header(mut self, name: &HeaderName) -> Self {
        self.remove.retain(|n| n != name);
        self
    }

    /// Chooses what happens when the handler already set header `name`.
    ///
    /// Defaults: [`OnConflict::Merge`] for the CSP headers, [`OnConflict::Keep`] for the rest.
    ///
    /// ```
    /// use http::header::X_FRAME_OPTIONS;
    /// use secure_headers::{BuildError, OnConflict, SecureHeaders};
    /// let bundle = SecureHeaders::recommended()
    ///     .on_conflict(X_FRAME_OPTIONS, OnConflict::Override)
    ///     .build()?;
    /// let mut headers = http::HeaderMap::new();
    /// headers.insert(X_FRAME_OPTIONS, http::HeaderValue::from_static("ALLOWALL"));
    /// bundle.apply(&mut headers);
    /// assert_eq!(headers[X_FRAME_OPTIONS], "SAMEORIGIN");
    /// // Only the CSP headers can be merged.
    /// let err = SecureHeaders::recommended()
    ///     .on_conflict(X_FRAME_OPTIONS, OnConflict::Merge)
    ///     .build()
    ///     .unwrap_err();
    /// assert!(matches!(err, BuildError::MergeNotSupported { .. }));
    /// # Ok::<(), BuildError>(())
    /// ```
    #[must_use]
    pub fn on_conflict(mut self, name: HeaderName, rule: OnConflict) -> Self {
        self.conflicts.retain(|(n, _)| *n != name);
        self.conflicts.push((name, rule));
        self
    }

    /// Declares the reporting endpoint names the `Reporting-Endpoints` header defines, for the
    /// build-time check of CSP `report-to`.
    ///
    /// ```
    /// use secure_headers::{BuildError, Csp, SecureHeaders};
    /// let csp = Csp::new()
    ///     .directive("default-src", ["'self'"])
    ///     .directive("report-to", ["csp"]);
    /// // `Reporting-Endpoints` set elsewhere (e.g. by a reverse proxy) defines `csp`.
    /// let ok = SecureHeaders::builder()
    ///     .csp(csp.clone())
    ///     .reporting_endpoint_names(["csp"])
    ///     .build();
    /// assert!(ok.is_ok());
    /// let err = SecureHeaders::builder().csp(csp).build().unwrap_err();
    /// assert!(matches!(err, BuildError::UnknownReportingEndpoint { endpoint, .. } if endpoint == "csp"));
    /// ```
    #[must_use]
    pub fn reporting_endpoint_names<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.endpoint_names
            .extend(names.into_iter().map(Into::into));
        self
    }

    fn rule_for(&self, name: &HeaderName) -> OnConflict {
        self.conflicts.iter().find(|(n, _)| n == name).map_or_else(
            || {
                if *name == CSP || *name == CSP_REPORT_ONLY {
                    OnConflict::Merge
                } else {
                    OnConflict::Keep
                }
            },
            |(_, r)| *r,
        )
    }

    /// Validates everything and pre-serializes the bundle.
    ///
    /// # Errors
    /// The first [`BuildError`] found.
    ///
    /// ```
    /// use secure_headers::{BuildError, Csp, CspError, SecureHeaders};
    /// let bundle = SecureHeaders::strict().build()?;
    /// assert!(bundle.uses_nonce());
    /// let err = SecureHeaders::builder().csp(Csp::new()).build().unwrap_err();
    /// assert_eq!(err, BuildError::Csp(CspError::Empty));
    /// # Ok::<(), BuildError>(())
    /// ```
    pub fn build(mut self) -> Result<SecureHeaders, BuildError> {
        if let Some(e) = self.errors.drain(..).next() {
            return Err(e);
        }
        for (name, rule) in &self.conflicts {
            if *rule == OnConflict::Merge && *name != CSP && *name != CSP_REPORT_ONLY {
                return Err(BuildError::MergeNotSupported {
                    header: name.clone(),
                });
            }
        }
        let csp = match &self.csp {
            Some(c) => Some(c.compile().map_err(BuildError::Csp)?),
            None => None,
        };
        let report_only = match self.report_only.take() {
            None => None,
            Some(ReportOnlySpec::Policy(p)) => Some(p),
            Some(ReportOnlySpec::Derived(change)) => {
                let base = self.csp.clone().ok_or(BuildError::NoPolicyToDeriveFrom)?;
                let base = IGNORED_IN_REPORT_ONLY
                    .iter()
                    .fold(base, |p, (name, _)| p.remove(name));
                Some(change(base))
            }
        };
        if let Some(ro) = &report_only {
            for (directive, reason) in IGNORED_IN_REPORT_ONLY {
                if ro.has_directive(directive) {
                    return Err(BuildError::IgnoredInReportOnly { directive, reason });
                }
            }
        }
        let report_only = match report_only {
            Some(p) => Some(p.compile().map_err(BuildError::CspReportOnly)?),
            None => None,
        };
        for (header, policy) in [
            ("Content-Security-Policy", &csp),
            ("Content-Security-Policy-Report-Only", &report_only),
        ] {
            if let Some(policy) = policy {
                for endpoint in policy.report_to() {
                    if !self.endpoint_names.iter().any(|n| n == endpoint) {
                        return Err(BuildError::UnknownReportingEndpoint {
                            header,
                            endpoint: endpoint.to_owned(),
                        });
                    }
                }
            }
        }
        let entries: Box<[Entry]> = self
            .entries
            .iter()
            .map(|(name, value)| Entry {
                name: name.clone(),
                value: value.clone(),
                on_conflict: self.rule_for(name),
            })
            .collect();
        let hsts = self.hsts.clone().map(|value| Entry {
            name: header::STRICT_TRANSPORT_SECURITY,
            value,
            on_conflict: self.rule_for(&header::STRICT_TRANSPORT_SECURITY),
        });
        let csp = csp.map(|p| CspEntry {
            policy: Arc::new(p),
            on_conflict: self.rule_for(&CSP),
        });
        let csp_report_only = report_only.map(|p| CspEntry {
            policy: Arc::new(p),
            on_conflict: self.rule_for(&CSP_REPORT_ONLY),
        });
        let needs_nonce = csp.as_ref().is_some_and(|c| c.policy.uses_nonce())
            || csp_report_only
                .as_ref()
                .is_some_and(|c| c.policy.uses_nonce());
        let transport = match (self.https_redirect, self.trusted_proxies) {
            (Some(r), _) => Transport::Redirect(Box::new(r)),
            (None, Some(p)) => Transport::Proxies(Box::new(p)),
            (None, None) => Transport::Unconfigured,
        };
        let prepared = Prepared::new(
            &entries,
            hsts.as_ref(),
            csp.as_ref(),
            csp_report_only.as_ref(),
            &self.remove,
        );
        Ok(SecureHeaders {
            prepared,
            entries,
            hsts,
            csp,
            csp_report_only,
            remove: self.remove.into_boxed_slice(),
            needs_nonce,
            cookies: self.cookies.map(Box::new),
            cors: self.cors.map(Box::new),
            transport,
        })
    }
}

/// The whole set of security headers, built once and applied to every response.
///
/// ```
/// use secure_headers::SecureHeaders;
/// let bundle = SecureHeaders::recommended().build()?;
/// let mut headers = http::HeaderMap::new();
/// bundle.apply(&mut headers);
/// assert_eq!(headers["x-content-type-options"], "nosniff");
/// assert_eq!(headers["cross-origin-opener-policy"], "same-origin");
/// # Ok::<(), secure_headers::BuildError>(())
/// ```
#[derive(Debug, Clone)]
pub struct SecureHeaders {
    entries: Box<[Entry]>,
    hsts: Option<Entry>,
    csp: Option<CspEntry>,
    csp_report_only: Option<CspEntry>,
    remove: Box<[HeaderName]>,
    needs_nonce: bool,
    cookies: Option<Box<cookie_attrs::CookiePolicy>>,
    cors: Option<Box<crate::CorsPolicy>>,
    transport: Transport,
    prepared: Prepared,
}

/// Every header of the bundle laid out once in a ready map, for responses that have no
/// headers yet: applying is then one clone of the map (two allocations, no hashing, no
/// probing) plus the rendered CSP for a nonce-based policy.
///
/// Responses from real handlers almost always carry a `Content-Type` first (axum's
/// `IntoResponse` sets it before anything else). Cloning a map copies only its entries, with
/// no spare room, so moving the handler's `Content-Type` into the clone would reallocate and
/// re-copy every entry; the `*_content_type` maps are the same layout plus a placeholder
/// `Content-Type` at the end, which takes the handler's value in place.
#[derive(Debug, Clone)]
struct Prepared {
    /// For HTTPS responses (HSTS included).
    https: HeaderMap,
    /// For plain-HTTP responses (no HSTS).
    http: HeaderMap,
    /// `https` plus a trailing `Content-Type` placeholder; `None` when the bundle sends or
    /// removes `Content-Type` itself (the conflict rules then decide, header by header).
    https_content_type: Option<HeaderMap>,
    /// `http` plus a trailing `Content-Type` placeholder (same condition).
    http_content_type: Option<HeaderMap>,
    /// The enforced CSP's value carries the nonce: the map's first value is a placeholder
    /// for it.
    csp_slot: bool,
    /// The report-only CSP's value carries the nonce: the next value is a placeholder for it.
    report_only_slot: bool,
}

impl Prepared {
    fn new(
        entries: &[Entry],
        hsts: Option<&Entry>,
        csp: Option<&CspEntry>,
        report_only: Option<&CspEntry>,
        remove: &[HeaderName],
    ) -> Self {
        let csp_slot = csp.is_some_and(|c| c.policy.uses_nonce());
        let report_only_slot = report_only.is_some_and(|c| c.policy.uses_nonce());
        // The placeholder is a static value (cloning it is free).
        let placeholder = HeaderValue::from_static("");
        let lay_out = |with_hsts: bool| {
            let mut map = HeaderMap::with_capacity(entries.len() + 4);
            // The values that change per response come first, where `values_mut` reaches
            // them without a lookup.
            for (name, slot) in [(CSP, csp_slot), (CSP_REPORT_ONLY, report_only_slot)] {
                if slot {
                    map.append(name, placeholder.clone());
                }
            }
            for (name, c) in [(CSP, csp), (CSP_REPORT_ONLY, report_only)] {
                if let Some(c) = c.filter(|c| !c.policy.uses_nonce()) {
                    map.append(name, c.policy.render(None));
                }
            }
            for e in entries.iter().chain(hsts.filter(|_| with_hsts)) {
                map.append(e.name.clone(), e.value.clone());
            }
            map
        };
        let https = lay_out(true);
        let http = lay_out(false);
        // The handler's `Content-Type` goes after the bundle's headers, where merging it
        // header by header would put it, when no conflict rule or removal can apply to it.
        let content_type_is_free = !remove.contains(&header::CONTENT_TYPE)
            && !entries
                .iter()
                .chain(hsts)
                .any(|e| e.name == header::CONTENT_TYPE);
        let with_content_type = |map: &HeaderMap| {
            content_type_is_free.then(|| {
                let mut map = map.clone();
                map.append(header::CONTENT_TYPE, placeholder.clone());
                map
            })
        };
        Self {
            https_content_type: with_content_type(&https),
            http_content_type: with_content_type(&http),
            https,
            http,
            csp_slot,
            report_only_slot,
        }
    }
}

/// The peer of a request whose peer address is unknown: never a trusted proxy.
const UNKNOWN_PEER: std::net::IpAddr = std::net::IpAddr::V6(std::net::Ipv6Addr::UNSPECIFIED);

#[derive(Debug, Clone)]
enum Transport {
    Unconfigured,
    Proxies(Box<crate::TrustedProxies>),
    Redirect(Box<crate::HttpsRedirect>),
}

/// The peer address of the connection a request came on, as a request extension.
///
/// The trusted-proxy rules believe `Forwarded` / `X-Forwarded-Proto` only from trusted peers;
/// insert this into the request extensions. With the `axum` feature, `SecureHeadersLayer`
/// falls back to axum's `ConnectInfo<SocketAddr>` when this extension is absent, so an axum
/// application served with `into_make_service_with_connect_info::<SocketAddr>()` needs
/// nothing more. Without either the peer counts as untrusted.
///
/// ```
/// use secure_headers::{PeerAddr, RequestDecision, SecureHeaders, TrustedProxies};
/// let bundle = SecureHeaders::recommended()
///     .trusted_proxies(TrustedProxies::new().with("10.0.0.0/8")?)
///     .build()?;
/// let mut request = http::Request::get("/")
///     .header("x-forwarded-proto", "https")
///     .body(())?;
/// // What the server knows about the connection:
/// request.extensions_mut().insert(PeerAddr("10.1.2.3".parse()?));
/// let (parts, ()) = request.into_parts();
/// let peer = parts.extensions.get::<PeerAddr>().map(|p| p.0);
/// let decision = bundle.on_request(&parts, peer, false, false);
/// assert!(matches!(decision, RequestDecision::Continue(ctx) if ctx.is_https()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeerAddr(pub std::net::IpAddr);

/// Marks a request whose connection this server itself terminated TLS for.
///
/// ```
/// use secure_headers::{RequestDecision, SecureHeaders, TlsConnection};
/// let bundle = SecureHeaders::recommended().build()?;
/// let mut request = http::Request::get("/").body(())?;
/// request.extensions_mut().insert(TlsConnection);
/// let (parts, ()) = request.into_parts();
/// let tls = parts.extensions.get::<TlsConnection>().is_some();
/// let decision = bundle.on_request(&parts, None, tls, false);
/// assert!(matches!(decision, RequestDecision::Continue(ctx) if ctx.is_https()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TlsConnection;

/// What to do with a request before the handler runs.
///
/// ```
/// use secure_headers::{HttpsRedirect, RequestDecision, SecureHeaders};
/// let bundle = SecureHeaders::api()
///     .https_redirect(HttpsRedirect::builder().allow_host("api.example").build()?)
///     .build()?;
/// let (plain, ()) = http::Request::get("http://api.example/v1").body(())?.into_parts();
/// assert!(matches!(
///     bundle.on_request(&plain, None, false, false),
///     RequestDecision::Respond(r) if r.status().is_redirection()
/// ));
/// let (secure, ()) = http::Request::get("https://api.example/v1").body(())?.into_parts();
/// assert!(matches!(
///     bundle.on_request(&secure, None, false, false),
///     RequestDecision::Continue(ctx) if ctx.is_https()
/// ));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum RequestDecision {
    /// Call the handler, then apply the bundle with this context.
    Continue(ResponseContext),
    /// Answer with this response instead (HTTPS redirect or CORS preflight), bundle applied.
    Respond(Response<()>),
}

/// What one response needs from its request: the nonce drawn for it (shared with the handler)
/// and whether the request came over HTTPS.
///
/// ```
/// use secure_headers::SecureHeaders;
/// let bundle = SecureHeaders::strict().build()?;
/// let ctx = bundle.context(false);
/// let mut headers = http::HeaderMap::new();
/// bundle.apply_with(&mut headers, &ctx, None);
/// let nonce = ctx.nonce().expect("the strict policy uses a nonce");
/// let csp = headers["content-security-policy"].to_str().unwrap();
/// assert!(csp.contains(&format!("'nonce-{nonce}'")));
/// assert!(!headers.contains_key("strict-transport-security"));
/// # Ok::<(), secure_headers::BuildError>(())
/// ```
#[derive(Debug, Clone)]
pub struct ResponseContext {
    nonce: Option<CspNonce>,
    https: bool,
    /// Boxed: only bundles with a CORS policy have it, and the context travels in every
    /// response future.
    cors: Option<Box<crate::cors::CorsResponseHeaders>>,
}

impl ResponseContext {
    /// A context with the given nonce and transport.
    ///
    /// ```
    /// use secure_headers::{CspNonce, ResponseContext, SecureHeaders};
    /// let bundle = SecureHeaders::strict().build()?;
    /// let nonce = CspNonce::from_random_bytes([7; 16]);
    /// let ctx = ResponseContext::new(Some(nonce), true);
    /// let mut headers = http::HeaderMap::new();
    /// bundle.apply_with(&mut headers, &ctx, None);
    /// let csp = headers["content-security-policy"].to_str().unwrap();
    /// assert!(csp.contains("'nonce-BwcHBwcHBwcHBwcHBwcHBw=='"));
    /// assert!(headers.contains_key("strict-transport-security"));
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn new(nonce: Option<CspNonce>, https: bool) -> Self {
        Self {
            nonce,
            https,
            cors: None,
        }
    }

    /// The nonce for this response, if the policy uses one.
    ///
    /// ```
    /// use secure_headers::{CspNonce, ResponseContext};
    /// let nonce = CspNonce::from_random_bytes([0; 16]);
    /// assert_eq!(ResponseContext::new(Some(nonce), true).nonce(), Some(nonce));
    /// assert_eq!(ResponseContext::new(None, true).nonce(), None);
    /// ```
    #[must_use]
    pub fn nonce(&self) -> Option<CspNonce> {
        self.nonce
    }

    /// Whether the request came over HTTPS (HSTS is sent only then).
    ///
    /// ```
    /// use secure_headers::SecureHeaders;
    /// let bundle = SecureHeaders::api().build()?;
    /// assert!(bundle.context(true).is_https());
    /// assert!(!bundle.context(false).is_https());
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn is_https(&self) -> bool {
        self.https
    }
}

fn put(headers: &mut HeaderMap, name: &HeaderName, value: &HeaderValue, rule: OnConflict) {
    match rule {
        OnConflict::Override => {
            headers.insert(name.clone(), value.clone());
        }
        OnConflict::Merge => {
            headers.append(name.clone(), value.clone());
        }
        OnConflict::Keep => {
            if let MapEntry::Vacant(slot) = headers.entry(name) {
                slot.insert(value.clone());
            }
        }
    }
}

fn put_owned(headers: &mut HeaderMap, name: &HeaderName, value: HeaderValue, rule: OnConflict) {
    match rule {
        OnConflict::Override => {
            headers.insert(name.clone(), value);
        }
        OnConflict::Merge => {
            headers.append(name.clone(), value);
        }
        OnConflict::Keep => {
            if let MapEntry::Vacant(slot) = headers.entry(name) {
                slot.insert(value);
            }
        }
    }
}

/// Rewrites every `Set-Cookie` value through `policy`; drops the ones it rejects.
fn harden_cookies(policy: &cookie_attrs::CookiePolicy, headers: &mut HeaderMap) {
    if !headers.contains_key(header::SET_COOKIE) {
        return;
    }
    let hardened: Vec<HeaderValue> = headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| policy.harden_header_value(v).ok())
        .collect();
    headers.remove(header::SET_COOKIE);
    for v in hardened {
        headers.append(header::SET_COOKIE, v);
    }
}

impl SecureHeaders {
    /// A builder with nothing set.
    ///
    /// ```
    /// use secure_headers::{Csp, SecureHeaders};
    /// let bundle = SecureHeaders::builder()
    ///     .csp(Csp::new().directive("default-src", ["'none'"]))
    ///     .build()?;
    /// let mut headers = http::HeaderMap::new();
    /// bundle.apply(&mut headers);
    /// // Only what was set is sent.
    /// assert_eq!(headers.len(), 1);
    /// assert_eq!(headers["content-security-policy"], "default-src 'none'");
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn builder() -> SecureHeadersBuilder {
        SecureHeadersBuilder::new()
    }

    /// Whether responses need a fresh nonce (the CSP has nonce slots).
    ///
    /// ```
    /// use secure_headers::SecureHeaders;
    /// assert!(SecureHeaders::strict().build()?.uses_nonce());
    /// assert!(!SecureHeaders::recommended().build()?.uses_nonce());
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn uses_nonce(&self) -> bool {
        self.needs_nonce
    }

    /// The context for one response: draws a nonce if the policy uses one.
    ///
    /// ```
    /// let bundle = secure_headers::SecureHeaders::strict().build()?;
    /// assert!(bundle.context(true).nonce().is_some());
    /// let bundle = secure_headers::SecureHeaders::api().build()?;
    /// assert!(bundle.context(true).nonce().is_none());
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn context(&self, https: bool) -> ResponseContext {
        ResponseContext {
            nonce: if self.needs_nonce {
                CspNonce::generate_opt()
            } else {
                None
            },
            https,
            cors: None,
        }
    }

    /// Whether [`on_request`](Self::on_request) can answer a request itself or needs more
    /// than the transport flags (HTTPS redirect, trusted proxies or CORS configured). When it
    /// is `false`, `on_request` always continues with `context(https)`, `https` being
    /// `assume_https || connection_is_tls || the URI scheme is https`.
    #[cfg(feature = "tower")]
    pub(crate) fn decides_per_request(&self) -> bool {
        !matches!(self.transport, Transport::Unconfigured) || self.cors.is_some()
    }

    /// Decides what to do with a request before the handler runs: redirect it to HTTPS,
    /// answer a CORS preflight, or continue with the context for its response (nonce drawn,
    /// HTTPS decided with the trusted-proxy rules, CORS headers prepared).
    ///
    /// `peer` is the connection's peer address (`None`: unknown, untrusted);
    /// `connection_is_tls` says whether this server terminated TLS for the request.
    /// `assume_https` is used only when neither an HTTPS redirect nor trusted proxies are
    /// configured.
    ///
    /// ```
    /// use http::header::{ACCESS_CONTROL_REQUEST_METHOD, ORIGIN};
    /// use secure_headers::{CorsPolicy, RequestDecision, SecureHeaders};
    /// let bundle = SecureHeaders::api()
    ///     .cors(CorsPolicy::builder().allow_origin("https://app.example").build()?)
    ///     .build()?;
    /// // A CORS preflight is answered without calling the handler, with the bundle applied.
    /// let (preflight, ()) = http::Request::options("/items")
    ///     .header(ORIGIN, "https://app.example")
    ///     .header(ACCESS_CONTROL_REQUEST_METHOD, "GET")
    ///     .body(())?
    ///     .into_parts();
    /// let RequestDecision::Respond(answer) = bundle.on_request(&preflight, None, true, true) else {
    ///     panic!("a preflight is answered")
    /// };
    /// assert_eq!(answer.headers()["access-control-allow-origin"], "https://app.example");
    /// assert_eq!(answer.headers()["x-content-type-options"], "nosniff");
    /// // Anything else goes on to the handler.
    /// let (get, ()) = http::Request::get("/items").body(())?.into_parts();
    /// assert!(matches!(bundle.on_request(&get, None, true, true), RequestDecision::Continue(_)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn on_request(
        &self,
        parts: &http::request::Parts,
        peer: Option<std::net::IpAddr>,
        connection_is_tls: bool,
        assume_https: bool,
    ) -> RequestDecision {
        let https = match &self.transport {
            Transport::Redirect(r) => {
                let peer = peer.unwrap_or(UNKNOWN_PEER);
                match r.decide_with_tls(parts, peer, connection_is_tls) {
                    crate::https_redirect::RedirectDecision::AlreadyHttps(_) => true,
                    crate::https_redirect::RedirectDecision::Redirect(redirect) => {
                        let mut response = redirect.into_response(());
                        self.apply_with(response.headers_mut(), &self.context(false), None);
                        return RequestDecision::Respond(response);
                    }
                    _ => {
                        let mut response = Response::new(());
                        *response.status_mut() = http::StatusCode::BAD_REQUEST;
                        self.apply_with(response.headers_mut(), &self.context(false), None);
                        return RequestDecision::Respond(response);
                    }
                }
            }
            _ => self.https_without_redirect(
                &parts.uri,
                &parts.headers,
                peer,
                connection_is_tls,
                assume_https,
            ),
        };
        self.decide_cors(https, &parts.method, &parts.headers)
    }

    /// [`on_request`](Self::on_request) reading the request in place (nothing taken apart)
    /// for a request that continues to the handler: its response's context. `None` when the
    /// layer answers the request itself (HTTPS redirect or refusal, CORS preflight); then
    /// `on_request` decides again on the request's parts and builds the answer (rare
    /// requests, so the repeated work does not matter).
    #[cfg(feature = "tower")]
    pub(crate) fn on_request_in_place<B>(
        &self,
        request: &http::Request<B>,
        peer: Option<std::net::IpAddr>,
        connection_is_tls: bool,
        assume_https: bool,
    ) -> Option<ResponseContext> {
        let (uri, headers) = (request.uri(), request.headers());
        let https = match &self.transport {
            // The first step of `HttpsRedirect::decide_with_tls`: a request the trusted-proxy
            // rules find to be HTTPS is not redirected.
            Transport::Redirect(r) => r
                .trusted_proxies()
                .scheme(
                    uri,
                    headers,
                    peer.unwrap_or(UNKNOWN_PEER),
                    connection_is_tls,
                )
                .0
                .then_some(true)?,
            _ => self.https_without_redirect(uri, headers, peer, connection_is_tls, assume_https),
        };
        let cors = match &self.cors {
            None => None,
            Some(cors) => match cors.evaluate(request.method(), headers) {
                crate::cors::CorsDecision::Actual(h) => Some(Box::new(h)),
                _ => return None,
            },
        };
        let mut ctx = self.context(https);
        ctx.cors = cors;
        Some(ctx)
    }

    /// Whether a request came over HTTPS when no HTTPS redirect is configured.
    fn https_without_redirect(
        &self,
        uri: &http::Uri,
        headers: &HeaderMap,
        peer: Option<std::net::IpAddr>,
        connection_is_tls: bool,
        assume_https: bool,
    ) -> bool {
        match &self.transport {
            Transport::Proxies(p) => {
                p.scheme(
                    uri,
                    headers,
                    peer.unwrap_or(UNKNOWN_PEER),
                    connection_is_tls,
                )
                .0
            }
            _ => {
                assume_https || connection_is_tls || uri.scheme() == Some(&http::uri::Scheme::HTTPS)
            }
        }
    }

    /// The rest of [`on_request`](Self::on_request) once HTTPS is decided: the context, and
    /// the CORS answer or headers.
    fn decide_cors(
        &self,
        https: bool,
        method: &http::Method,
        headers: &HeaderMap,
    ) -> RequestDecision {
        let mut ctx = self.context(https);
        if let Some(cors) = &self.cors {
            match cors.evaluate(method, headers) {
                crate::cors::CorsDecision::Actual(h) => ctx.cors = Some(Box::new(h)),
                crate::cors::CorsDecision::Preflight(p) => {
                    let mut response = p.into_response(());
                    self.apply_with(response.headers_mut(), &ctx, None);
                    return RequestDecision::Respond(response);
                }
                crate::cors::CorsDecision::PreflightRejected(r) => {
                    let mut response = r.into_response(());
                    self.apply_with(response.headers_mut(), &ctx, None);
                    return RequestDecision::Respond(response);
                }
            }
        }
        RequestDecision::Continue(ctx)
    }

    /// Applies every header to `headers` (as for an HTTPS response, so HSTS included) and
    /// returns the nonce put into the CSP, if it uses one; put the same nonce into the page's
    /// `<script nonce>` attributes.
    ///
    /// ```
    /// let bundle = secure_headers::SecureHeaders::strict().build()?;
    /// let mut headers = http::HeaderMap::new();
    /// let nonce = bundle.apply(&mut headers).unwrap();
    /// let csp = headers["content-security-policy"].to_str().unwrap();
    /// assert!(csp.contains(&format!("'nonce-{nonce}'")));
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    pub fn apply(&self, headers: &mut HeaderMap) -> Option<CspNonce> {
        let ctx = self.context(true);
        self.apply_with(headers, &ctx, None);
        ctx.nonce
    }

    /// Applies every header to `headers` for the response described by `ctx`, honouring
    /// `overrides` if given.
    ///
    /// ```
    /// use secure_headers::{HeaderOverrides, SecureHeaders};
    /// let bundle = SecureHeaders::recommended().build()?;
    /// let ctx = bundle.context(false);
    /// let overrides = HeaderOverrides::new().skip(http::header::X_FRAME_OPTIONS);
    /// let mut headers = http::HeaderMap::new();
    /// bundle.apply_with(&mut headers, &ctx, Some(&overrides));
    /// assert!(!headers.contains_key("x-frame-options"));
    /// assert!(!headers.contains_key("strict-transport-security"));
    /// assert_eq!(headers["referrer-policy"], "no-referrer");
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    pub fn apply_with(
        &self,
        headers: &mut HeaderMap,
        ctx: &ResponseContext,
        overrides: Option<&HeaderOverrides>,
    ) {
        if overrides.is_some() {
            self.apply_each(headers, ctx, overrides);
        } else if headers.is_empty() {
            // Nothing to remove and nothing to conflict with (every name in the bundle is
            // distinct, so any conflict rule gives the same result on an empty map): the
            // prepared map is the answer.
            self.apply_prepared(headers, ctx);
        } else if headers
            .keys()
            .any(|name| *name == CSP || *name == CSP_REPORT_ONLY)
        {
            // The handler's policy is merged (or kept) next to ours in its own order. (Scanning
            // the handler's few names costs less than two lookups.)
            self.apply_each(headers, ctx, overrides);
        } else {
            self.apply_prepared_merging(headers, ctx);
        }
        if let Some(cors) = &ctx.cors {
            cors.apply(headers);
        }
        if let Some(policy) = &self.cookies
            && !overrides.is_some_and(|o| o.skip_cookie_hardening)
        {
            harden_cookies(policy, headers);
        }
    }

    /// [`apply_with`](Self::apply_with) on an empty map without overrides.
    fn apply_prepared(&self, headers: &mut HeaderMap, ctx: &ResponseContext) {
        let prepared = &self.prepared;
        *headers = if ctx.https {
            prepared.https.clone()
        } else {
            prepared.http.clone()
        };
        self.render_csp_slots(headers, ctx);
    }

    /// Puts the response's CSP values into the prepared map's leading placeholders.
    fn render_csp_slots(&self, headers: &mut HeaderMap, ctx: &ResponseContext) {
        let prepared = &self.prepared;
        if prepared.csp_slot || prepared.report_only_slot {
            let nonce = ctx.nonce.as_ref();
            let mut values = headers.values_mut();
            for c in [
                self.csp.as_ref().filter(|_| prepared.csp_slot),
                self.csp_report_only
                    .as_ref()
                    .filter(|_| prepared.report_only_slot),
            ]
            .into_iter()
            .flatten()
            {
                if let Some(slot) = values.next() {
                    *slot = c.policy.render(nonce);
                }
            }
        }
    }

    /// [`apply_with`](Self::apply_with) without overrides on the handler's map, which has
    /// headers but no CSP: the prepared map with the handler's headers moved in under the
    /// conflict rules. A leading `Content-Type` (the usual response) takes the placeholder of
    /// the prepared map that has one, so the common response costs no more than an empty one.
    fn apply_prepared_merging(&self, headers: &mut HeaderMap, ctx: &ResponseContext) {
        let mut handler = std::mem::take(headers).into_iter();
        let first = handler.next();
        let with_content_type = if ctx.https {
            self.prepared.https_content_type.as_ref()
        } else {
            self.prepared.http_content_type.as_ref()
        };
        match (first, with_content_type) {
            (Some((Some(name), value)), Some(prepared)) if name == header::CONTENT_TYPE => {
                *headers = prepared.clone();
                self.render_csp_slots(headers, ctx);
                // The placeholder is the map's only `Content-Type`: replacing it gives what
                // merging would (a vacant name the bundle does not remove takes the value).
                if let Some(slot) = headers.get_mut(header::CONTENT_TYPE) {
                    *slot = value;
                }
                self.merge_handler_headers(headers, Some(name), handler);
            }
            (first, _) => {
                self.apply_prepared(headers, ctx);
                self.merge_handler_headers(headers, None, first.into_iter().chain(handler));
            }
        }
    }

    /// Moves the handler's headers into `headers` (the prepared map) with the conflict rules:
    /// the same result as applying the bundle header by header to the handler's map, for a
    /// handler map without CSP headers. One lookup per distinct handler header name instead
    /// of one per bundle header. `current` is the name whose further values (`None` names
    /// from `HeaderMap`'s iterator) are appended, if already moved in.
    fn merge_handler_headers(
        &self,
        headers: &mut HeaderMap,
        mut current: Option<HeaderName>,
        handler: impl Iterator<Item = (Option<HeaderName>, HeaderValue)>,
    ) {
        // `None` while the values of a name the bundle wins for are skipped.
        for (name, value) in handler {
            let Some(name) = name else {
                // Another value of the previous name (`HeaderMap` yields the name once).
                if let Some(name) = &current {
                    headers.append(name.clone(), value);
                }
                continue;
            };
            current = match headers.entry(&name) {
                MapEntry::Occupied(mut ours) => match self.rule_of(&name) {
                    // The handler's values replace the bundle's.
                    OnConflict::Keep => {
                        ours.insert(value);
                        Some(name)
                    }
                    // Merge is only allowed for the CSP headers, handled before this.
                    OnConflict::Override | OnConflict::Merge => None,
                },
                MapEntry::Vacant(slot) => {
                    if self.remove.contains(&name) {
                        None
                    } else {
                        slot.insert(value);
                        Some(name)
                    }
                }
            };
        }
    }

    /// The conflict rule of a header the bundle sends.
    fn rule_of(&self, name: &HeaderName) -> OnConflict {
        self.entries
            .iter()
            .chain(self.hsts.as_ref())
            .find(|e| e.name == *name)
            .map_or(OnConflict::Keep, |e| e.on_conflict)
    }

    /// [`apply_with`](Self::apply_with) header by header, with the conflict rules.
    fn apply_each(
        &self,
        headers: &mut HeaderMap,
        ctx: &ResponseContext,
        overrides: Option<&HeaderOverrides>,
    ) {
        for name in &*self.remove {
            headers.remove(name);
        }
        // One growth of the map for the whole bundle instead of several while inserting.
        headers.reserve(self.header_count());
        match overrides {
            None => {
                for e in &*self.entries {
                    put(headers, &e.name, &e.value, e.on_conflict);
                }
                if let Some(e) = self.hsts.as_ref().filter(|_| ctx.https) {
                    put(headers, &e.name, &e.value, e.on_conflict);
                }
                if let Some(c) = &self.csp {
                    put_owned(
                        headers,
                        &CSP,
                        c.policy.render(ctx.nonce.as_ref()),
                        c.on_conflict,
                    );
                }
            }
            Some(o) => {
                let hsts = self.hsts.as_ref().filter(|_| ctx.https);
                for e in self.entries.iter().chain(hsts) {
                    if o.skips(&e.name) {
                        continue;
                    }
                    let value = o.replacement(&e.name).unwrap_or(&e.value);
                    put(headers, &e.name, value, e.on_conflict);
                }
                self.apply_csp_override(headers, ctx, o);
            }
        }
        if let Some(c) = &self.csp_report_only
            && !overrides.is_some_and(|o| o.skips(&CSP_REPORT_ONLY))
        {
            put_owned(
                headers,
                &CSP_REPORT_ONLY,
                c.policy.render(ctx.nonce.as_ref()),
                c.on_conflict,
            );
        }
    }

    fn apply_csp_override(
        &self,
        headers: &mut HeaderMap,
        ctx: &ResponseContext,
        o: &HeaderOverrides,
    ) {
        if o.skips(&CSP) {
            return;
        }
        let nonce = ctx.nonce.as_ref();
        let rule = self
            .csp
            .as_ref()
            .map_or(OnConflict::Merge, |c| c.on_conflict);
        match &o.csp {
            Some(CspOverride::Disable) => {}
            Some(CspOverride::Replace(p)) => put_owned(headers, &CSP, p.render(nonce), rule),
            Some(CspOverride::AddPolicy(p)) => {
                if let Some(c) = &self.csp {
                    put_owned(headers, &CSP, c.policy.render(nonce), rule);
                }
                headers.append(CSP, p.render(nonce));
            }
            None => {
                if let Some(c) = &self.csp {
                    put_owned(headers, &CSP, c.policy.render(nonce), rule);
                }
            }
        }
    }

    /// Applies every header to `response` for the context `ctx`, honouring the
    /// [`HeaderOverrides`] the handler put into the response extensions (taken out of them).
    ///
    /// ```
    /// use http::header::{CONTENT_TYPE, X_FRAME_OPTIONS};
    /// use secure_headers::SecureHeaders;
    /// let bundle = SecureHeaders::recommended().build()?;
    /// let mut response = http::Response::builder()
    ///     .header(CONTENT_TYPE, "text/html")
    ///     .header(X_FRAME_OPTIONS, "DENY")
    ///     .body(())?;
    /// bundle.apply_response(&mut response, &bundle.context(true));
    /// assert_eq!(response.headers()[CONTENT_TYPE], "text/html");
    /// // The handler's value is kept (the default rule, `OnConflict::Keep`).
    /// assert_eq!(response.headers()[X_FRAME_OPTIONS], "DENY");
    /// assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply_response<B>(&self, response: &mut Response<B>, ctx: &ResponseContext) {
        let overrides = response.extensions_mut().remove::<HeaderOverrides>();
        self.apply_with(response.headers_mut(), ctx, overrides.as_ref());
    }

    /// The pre-serialized value this bundle sends for `name` (without a nonce for the CSP),
    /// or `None` when it does not send that header.
    ///
    /// ```
    /// let bundle = secure_headers::SecureHeaders::api().build()?;
    /// assert_eq!(bundle.value(&http::header::CACHE_CONTROL).unwrap(), "no-store");
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn value(&self, name: &HeaderName) -> Option<HeaderValue> {
        if *name == CSP {
            return self.csp.as_ref().map(|c| c.policy.render(None));
        }
        if *name == CSP_REPORT_ONLY {
            return self.csp_report_only.as_ref().map(|c| c.policy.render(None));
        }
        self.entries
            .iter()
            .chain(self.hsts.as_ref())
            .find(|e| e.name == *name)
            .map(|e| e.value.clone())
    }

    /// How many header fields the bundle adds at most (for reserving map space once).
    fn header_count(&self) -> usize {
        self.entries.len()
            + usize::from(self.hsts.is_some())
            + usize::from(self.csp.is_some())
            + usize::from(self.csp_report_only.is_some())
    }

    /// The enforced policy, compiled.
    ///
    /// ```
    /// use secure_headers::SecureHeaders;
    /// let bundle = SecureHeaders::api().build()?;
    /// let csp = bundle.compiled_csp().expect("the api preset has a policy");
    /// assert_eq!(csp.render(None), "default-src 'none'; frame-ancestors 'none'");
    /// assert!(SecureHeaders::builder().build()?.compiled_csp().is_none());
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn compiled_csp(&self) -> Option<&Arc<CompiledCsp>> {
        self.csp.as_ref().map(|c| &c.policy)
    }

    /// The names of the headers removed from every response.
    ///
    /// ```
    /// use secure_headers::SecureHeaders;
    /// let bundle = SecureHeaders::api().build()?;
    /// assert_eq!(bundle.removed_headers(), ["server", "x-powered-by"]);
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn removed_headers(&self) -> &[HeaderName] {
        &self.remove
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bundle's headers in `headers`, without the handler's `content-type`.
    fn bundle_part(headers: &HeaderMap) -> Vec<(String, Vec<u8>)> {
        let mut out: Vec<_> = headers
            .iter()
            .filter(|(n, _)| **n != header::CONTENT_TYPE)
            .map(|(n, v)| (n.as_str().to_owned(), v.as_bytes().to_vec()))
            .collect();
        out.sort();
        out
    }

    /// Asserts that `merged` holds as many fields as `each` and, name by name, the same
    /// values in the same order (the merged path must give the header-by-header result).
    #[track_caller]
    fn assert_same_values_per_name(merged: &HeaderMap, each: &HeaderMap) {
        assert_eq!(merged.len(), each.len());
        for name in each.keys() {
            let a: Vec<_> = merged.get_all(name).iter().collect();
            let b: Vec<_> = each.get_all(name).iter().collect();
            assert_eq!(a, b, "{name}");
        }
    }

    fn both_paths(bundle: &SecureHeaders, ctx: &ResponseContext) -> (HeaderMap, HeaderMap) {
        let mut empty = HeaderMap::new();
        bundle.apply_with(&mut empty, ctx, None);
        let mut with_handler_header = HeaderMap::new();
        with_handler_header.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
        bundle.apply_with(&mut with_handler_header, ctx, None);
        (empty, with_handler_header)
    }

    #[test]
    fn prepared_map_sends_what_header_by_header_application_sends() {
        let nonce = CspNonce::from_random_bytes([3; 16]);
        let bundles = [
            SecureHeaders::recommended().build().unwrap(),
            SecureHeaders::strict().build().unwrap(),
            SecureHeaders::api().build().unwrap(),
            SecureHeaders::strict()
                .csp_report_only_from_enforced(|p| p.directive("img-src", ["'none'"]))
                .build()
                .unwrap(),
            SecureHeaders::recommended()
                .csp_report_only(crate::preset::strict_csp().remove("upgrade-insecure-requests"))
                .build()
                .unwrap(),
        ];
        for bundle in &bundles {
            for https in [true, false] {
                for nonce in [Some(nonce), None] {
                    let ctx = ResponseContext::new(nonce, https);
                    let (prepared, each) = both_paths(bundle, &ctx);
                    assert_eq!(bundle_part(&prepared), bundle_part(&each));
                    assert_eq!(
                        prepared.contains_key(header::STRICT_TRANSPORT_SECURITY),
                        https
                    );
                }
            }
        }
    }

    #[test]
    fn merging_handler_headers_gives_the_header_by_header_result() {
        let bundles = [
            SecureHeaders::recommended().build().unwrap(),
            SecureHeaders::strict()
                .on_conflict(header::REFERRER_POLICY, OnConflict::Override)
                .on_conflict(header::STRICT_TRANSPORT_SECURITY, OnConflict::Override)
                .build()
                .unwrap(),
        ];
        let mut handler = HeaderMap::new();
        handler.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
        handler.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        handler.insert(header::REFERRER_POLICY, HeaderValue::from_static("origin"));
        handler.append(header::VARY, HeaderValue::from_static("origin"));
        handler.append(header::VARY, HeaderValue::from_static("accept"));
        handler.insert(header::SERVER, HeaderValue::from_static("nginx"));
        handler.insert(
            HeaderName::from_static("x-powered-by"),
            HeaderValue::from_static("php"),
        );
        handler.append(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=1"),
        );
        handler.append(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=2"),
        );
        let nonce = CspNonce::from_random_bytes([8; 16]);
        for bundle in &bundles {
            for https in [true, false] {
                let ctx = ResponseContext::new(Some(nonce), https);
                let mut merged = handler.clone();
                bundle.apply_with(&mut merged, &ctx, None);
                let mut each = handler.clone();
                bundle.apply_each(&mut each, &ctx, None);
                assert_same_values_per_name(&merged, &each);
            }
        }
    }

    /// The handler's `Content-Type` taking the placeholder of the prepared map gives the
    /// header-by-header result, names in the same order; bundles that send or remove
    /// `Content-Type` themselves keep their rule.
    #[test]
    fn handler_content_type_slot_gives_the_header_by_header_result() {
        let bundles = [
            SecureHeaders::strict().build().unwrap(),
            SecureHeaders::api().build().unwrap(),
            SecureHeaders::strict()
                .header(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"))
                .build()
                .unwrap(),
            SecureHeaders::strict()
                .header(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"))
                .on_conflict(header::CONTENT_TYPE, OnConflict::Override)
                .build()
                .unwrap(),
            SecureHeaders::strict()
                .remove_header(header::CONTENT_TYPE)
                .build()
                .unwrap(),
        ];
        let html = HeaderValue::from_static("text/html");
        let mut only = HeaderMap::new();
        only.insert(header::CONTENT_TYPE, html.clone());
        let mut two_values = only.clone();
        two_values.append(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        let mut with_more = two_values.clone();
        with_more.append(header::VARY, HeaderValue::from_static("accept"));
        with_more.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        with_more.insert(header::SERVER, HeaderValue::from_static("nginx"));
        let mut later = HeaderMap::new();
        later.insert(header::VARY, HeaderValue::from_static("accept"));
        later.insert(header::CONTENT_TYPE, html);
        let nonce = CspNonce::from_random_bytes([4; 16]);
        for bundle in &bundles {
            for handler in [&only, &two_values, &with_more, &later] {
                for https in [true, false] {
                    let ctx = ResponseContext::new(Some(nonce), https);
                    let mut merged = handler.clone();
                    bundle.apply_with(&mut merged, &ctx, None);
                    // The merge before the placeholder existed: the prepared map, then the
                    // handler's headers moved in one by one.
                    let mut moved = HeaderMap::new();
                    bundle.apply_prepared(&mut moved, &ctx);
                    bundle.merge_handler_headers(&mut moved, None, handler.clone().into_iter());
                    let mut each = handler.clone();
                    bundle.apply_each(&mut each, &ctx, None);
                    let pairs = |m: &HeaderMap| {
                        m.iter()
                            .map(|(n, v)| (n.clone(), v.clone()))
                            .collect::<Vec<_>>()
                    };
                    assert_eq!(pairs(&merged), pairs(&moved));
                    assert_same_values_per_name(&merged, &each);
                }
            }
        }
    }

    #[test]
    fn prepared_map_puts_the_nonce_into_both_policies() {
        let bundle = SecureHeaders::strict()
            .csp_report_only_from_enforced(|p| p)
            .build()
            .unwrap();
        let nonce = CspNonce::from_random_bytes([5; 16]);
        let mut headers = HeaderMap::new();
        bundle.apply_with(&mut headers, &ResponseContext::new(Some(nonce), true), None);
        let needle = format!("'nonce-{nonce}'");
        for name in [CSP, CSP_REPORT_ONLY] {
            let value = headers[&name].to_str().unwrap();
            assert_eq!(value.matches(&needle).count(), 2, "{name}: {value}");
        }
    }

    #[test]
    fn missing_nonce_fails_closed_without_nonce_sources() {
        let bundle = SecureHeaders::strict().build().unwrap();
        let mut headers = HeaderMap::new();
        bundle.apply_with(&mut headers, &ResponseContext::new(None, true), None);
        let csp = headers[CSP].to_str().unwrap();
        assert!(!csp.contains("'nonce-"));
        assert!(csp.contains("script-src 'strict-dynamic'"));
    }

    #[test]
    fn literal_nonce_source_is_replaced_per_response() {
        // CSP3 §7.1: a nonce must be unique per response; a fixed one in the definition
        // becomes the response's nonce.
        let compiled = Csp::new()
            .directive("script-src", ["'nonce-Zml4ZWRmaXhlZGZpeGVkZg=='"])
            .compile()
            .unwrap();
        assert!(compiled.uses_nonce());
        let nonce = CspNonce::from_random_bytes([0; 16]);
        assert_eq!(
            compiled.render(Some(&nonce)),
            "script-src 'nonce-AAAAAAAAAAAAAAAAAAAAAA=='"
        );
    }

    #[test]
    fn policy_larger_than_browsers_keep_is_rejected() {
        let csp = (0..=csp_builder::MAX_DIRECTIVES_PER_POLICY)
            .fold(Csp::new(), |c, i| c.directive(&format!("x-{i}"), ["a"]));
        assert!(matches!(csp.compile(), Err(CspError::NotKept { .. })));
    }

    #[test]
    fn keyword_case_is_canonicalized_by_the_shared_compiler() {
        let compiled = Csp::new()
            .directive("default-src", ["'SELF'", "https://CDN.example"])
            .compile()
            .unwrap();
        assert_eq!(
            compiled.render(None),
            "default-src 'self' https://CDN.example"
        );
    }
}
