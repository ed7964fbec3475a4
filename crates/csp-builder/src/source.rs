//! Owned, validated source expressions and directives, the inputs of the builder.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use base64::Engine as _;

use crate::builder::BuildError;
use crate::grammar;
use crate::model::{DirectiveName, HashAlgorithm, Keyword, SandboxFlag, SourceKind};
use crate::nonce::Nonce;
use crate::parse::MAX_VALUES_PER_POLICY;

/// The longest value (source expression or directive value) the builder accepts, in bytes.
/// Real source expressions are far shorter; the cap keeps a runaway value out of a header.
///
/// ```
/// use csp_builder::{BuildError, MAX_VALUE_LEN, Source};
///
/// let at_limit = "a".repeat(MAX_VALUE_LEN);
/// assert!(Source::host(&at_limit).is_ok());
/// let over = format!("{at_limit}a");
/// assert_eq!(
///     Source::host(&over),
///     Err(BuildError::TooLong { len: MAX_VALUE_LEN + 1, max: MAX_VALUE_LEN })
/// );
/// ```
pub const MAX_VALUE_LEN: usize = 4096;

/// The shortest nonce value [`Source::nonce_value`] accepts: 22 base64 characters, i.e. 128
/// bits (CSP3 §7.1 "Nonce reuse": the value SHOULD be at least 128 bits long before encoding).
/// `=` padding carries no bits and does not count.
///
/// ```
/// use csp_builder::{BuildError, MIN_NONCE_LEN, Source};
///
/// let at_limit = "A".repeat(MIN_NONCE_LEN);
/// assert_eq!(Source::nonce_value(&at_limit)?.as_str(), format!("'nonce-{at_limit}'"));
/// let short = "A".repeat(MIN_NONCE_LEN - 1);
/// assert!(matches!(Source::nonce_value(&short), Err(BuildError::InvalidNonce { .. })));
/// let padded_short = format!("{}==", "A".repeat(MIN_NONCE_LEN - 2));
/// assert!(matches!(Source::nonce_value(&padded_short), Err(BuildError::InvalidNonce { .. })));
/// # Ok::<(), BuildError>(())
/// ```
pub const MIN_NONCE_LEN: usize = 22;

/// The bytes `'nonce-` and `'` add around a nonce value.
const NONCE_SOURCE_EXTRA: usize = "'nonce-'".len();

/// One validated value of a directive: a source expression (keyword, `'none'`, nonce, hash,
/// scheme, host) or, for directives that do not take a source list, a plain token.
///
/// Built by the constructors below (which reject anything that could break out of the value),
/// by [`FromStr`], or from a parsed policy.
///
/// ```
/// use csp_builder::{HashAlgorithm, Source, SourceKind};
/// let host = Source::host("https://cdn.example:443/js/")?;
/// assert_eq!(host.kind(), SourceKind::Host);
/// assert_eq!(Source::scheme("HTTPS")?.as_str(), "https:");
/// let parsed: Source = "'strict-dynamic'".parse()?;
/// assert_eq!(parsed, Source::STRICT_DYNAMIC);
/// assert_eq!(
///     Source::hash_of(HashAlgorithm::Sha256, "alert('Hello, world.');").as_str(),
///     "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"
/// );
/// # Ok::<(), csp_builder::BuildError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Source {
    text: Cow<'static, str>,
    kind: SourceKind,
}

impl Source {
    /// `'self'`.
    ///
    /// ```
    /// use csp_builder::{Keyword, Policy, Source, SourceKind};
    ///
    /// assert_eq!(Source::SELF.kind(), SourceKind::Keyword(Keyword::SelfOrigin));
    /// assert_eq!("'SELF'".parse::<Source>()?, Source::SELF);
    /// let policy = Policy::builder().default_src([Source::SELF]).build()?;
    /// assert_eq!(policy.as_str(), "default-src 'self'");
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    pub const SELF: Source = Source::keyword(Keyword::SelfOrigin);
    /// `'none'` (only valid as the sole source of a directive).
    ///
    /// ```
    /// use csp_builder::{BuildError, Policy, Source, SourceKind};
    ///
    /// assert_eq!(Source::NONE.kind(), SourceKind::None);
    /// let policy = Policy::builder().object_src([Source::NONE]).build()?;
    /// assert_eq!(policy.as_str(), "object-src 'none'");
    /// let mixed = Policy::builder().object_src([Source::NONE, Source::SELF]).build();
    /// assert_eq!(mixed, Err(BuildError::NoneWithOtherSources { directive: "object-src".into() }));
    /// # Ok::<(), BuildError>(())
    /// ```
    pub const NONE: Source = Source {
        text: Cow::Borrowed("'none'"),
        kind: SourceKind::None,
    };
    /// `'unsafe-inline'`.
    ///
    /// ```
    /// use csp_builder::{BuildError, Keyword, Policy, Source, SourceKind};
    ///
    /// assert_eq!(Source::UNSAFE_INLINE.kind(), SourceKind::Keyword(Keyword::UnsafeInline));
    /// let policy = Policy::builder().style_src([Source::SELF, Source::UNSAFE_INLINE]).build()?;
    /// assert_eq!(policy.as_str(), "style-src 'self' 'unsafe-inline'");
    /// // frame-ancestors takes no keyword other than 'self'.
    /// let err = Policy::builder().frame_ancestors([Source::UNSAFE_INLINE]).build();
    /// assert!(matches!(err, Err(BuildError::SourceNotAllowed { .. })));
    /// # Ok::<(), BuildError>(())
    /// ```
    pub const UNSAFE_INLINE: Source = Source::keyword(Keyword::UnsafeInline);
    /// `'unsafe-eval'`.
    ///
    /// ```
    /// use csp_builder::{DirectiveName, Keyword, Policy, Source, SourceKind};
    ///
    /// assert_eq!(Source::UNSAFE_EVAL.kind(), SourceKind::Keyword(Keyword::UnsafeEval));
    /// let policy = Policy::builder().script_src([Source::SELF, Source::UNSAFE_EVAL]).build()?;
    /// assert_eq!(policy.as_str(), "script-src 'self' 'unsafe-eval'");
    /// let script_src = policy.directive(DirectiveName::ScriptSrc);
    /// assert!(script_src.is_some_and(|d| d.contains_keyword(Keyword::UnsafeEval)));
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    pub const UNSAFE_EVAL: Source = Source::keyword(Keyword::UnsafeEval);
    /// `'strict-dynamic'`.
    ///
    /// ```
    /// use csp_builder::{Keyword, Nonce, Policy, Source, SourceKind};
    ///
    /// assert_eq!(Source::STRICT_DYNAMIC.kind(), SourceKind::Keyword(Keyword::StrictDynamic));
    /// let policy = Policy::builder()
    ///     .script_src([Source::NONCE_PLACEHOLDER, Source::STRICT_DYNAMIC])
    ///     .build()?;
    /// let value = policy.compile().render(&Nonce::from_random_bytes([0; 16]));
    /// assert_eq!(value, "script-src 'nonce-AAAAAAAAAAAAAAAAAAAAAA==' 'strict-dynamic'");
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    pub const STRICT_DYNAMIC: Source = Source::keyword(Keyword::StrictDynamic);
    /// `'unsafe-hashes'`.
    ///
    /// ```
    /// use csp_builder::{HashAlgorithm, Keyword, Policy, Source, SourceKind};
    ///
    /// assert_eq!(Source::UNSAFE_HASHES.kind(), SourceKind::Keyword(Keyword::UnsafeHashes));
    /// let handler = Source::hash_of(HashAlgorithm::Sha256, "doSomething();");
    /// let policy = Policy::builder().script_src_attr([Source::UNSAFE_HASHES, handler]).build()?;
    /// assert!(policy.as_str().starts_with("script-src-attr 'unsafe-hashes' 'sha256-"));
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    pub const UNSAFE_HASHES: Source = Source::keyword(Keyword::UnsafeHashes);
    /// `'report-sample'`.
    ///
    /// ```
    /// use csp_builder::{Keyword, Policy, Source, SourceKind};
    ///
    /// assert_eq!(Source::REPORT_SAMPLE.kind(), SourceKind::Keyword(Keyword::ReportSample));
    /// let policy = Policy::builder().script_src([Source::SELF, Source::REPORT_SAMPLE]).build()?;
    /// assert_eq!(policy.as_str(), "script-src 'self' 'report-sample'");
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    pub const REPORT_SAMPLE: Source = Source::keyword(Keyword::ReportSample);
    /// `'unsafe-allow-redirects'`.
    ///
    /// ```
    /// use csp_builder::{Keyword, Source, SourceKind};
    ///
    /// let kind = SourceKind::Keyword(Keyword::UnsafeAllowRedirects);
    /// assert_eq!(Source::UNSAFE_ALLOW_REDIRECTS.kind(), kind);
    /// assert_eq!("'Unsafe-Allow-Redirects'".parse::<Source>()?, Source::UNSAFE_ALLOW_REDIRECTS);
    /// assert_eq!(Source::UNSAFE_ALLOW_REDIRECTS.to_string(), "'unsafe-allow-redirects'");
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    pub const UNSAFE_ALLOW_REDIRECTS: Source = Source::keyword(Keyword::UnsafeAllowRedirects);
    /// `'wasm-unsafe-eval'`.
    ///
    /// ```
    /// use csp_builder::{Keyword, Policy, Source, SourceKind};
    ///
    /// let kind = SourceKind::Keyword(Keyword::WasmUnsafeEval);
    /// assert_eq!(Source::WASM_UNSAFE_EVAL.kind(), kind);
    /// let policy = Policy::builder().script_src([Source::SELF, Source::WASM_UNSAFE_EVAL]).build()?;
    /// assert_eq!(policy.as_str(), "script-src 'self' 'wasm-unsafe-eval'");
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    pub const WASM_UNSAFE_EVAL: Source = Source::keyword(Keyword::WasmUnsafeEval);
    /// `'trusted-types-eval'`.
    ///
    /// ```
    /// use csp_builder::{Keyword, Policy, Source, SourceKind};
    ///
    /// let kind = SourceKind::Keyword(Keyword::TrustedTypesEval);
    /// assert_eq!(Source::TRUSTED_TYPES_EVAL.kind(), kind);
    /// let policy = Policy::builder()
    ///     .script_src([Source::SELF, Source::TRUSTED_TYPES_EVAL])
    ///     .require_trusted_types_for_script()
    ///     .build()?;
    /// assert_eq!(
    ///     policy.as_str(),
    ///     "script-src 'self' 'trusted-types-eval'; require-trusted-types-for 'script'"
    /// );
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    pub const TRUSTED_TYPES_EVAL: Source = Source::keyword(Keyword::TrustedTypesEval);
    /// `'report-sha256'`.
    ///
    /// ```
    /// use csp_builder::{Keyword, Policy, Source, SourceKind};
    ///
    /// assert_eq!(Source::REPORT_SHA256.kind(), SourceKind::Keyword(Keyword::ReportSha256));
    /// let policy = Policy::builder()
    ///     .script_src([Source::SELF, Source::REPORT_SHA256])
    ///     .report_to("csp")
    ///     .build()?;
    /// assert_eq!(policy.as_str(), "script-src 'self' 'report-sha256'; report-to csp");
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    pub const REPORT_SHA256: Source = Source::keyword(Keyword::ReportSha256);
    /// `'report-sha384'`.
    ///
    /// ```
    /// use csp_builder::{Keyword, Policy, Source, SourceKind};
    ///
    /// assert_eq!(Source::REPORT_SHA384.kind(), SourceKind::Keyword(Keyword::ReportSha384));
    /// let policy = Policy::builder().script_src([Source::SELF, Source::REPORT_SHA384]).build()?;
    /// assert_eq!(policy.as_str(), "script-src 'self' 'report-sha384'");
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    pub const REPORT_SHA384: Source = Source::keyword(Keyword::ReportSha384);
    /// `'report-sha512'`.
    ///
    /// ```
    /// use csp_builder::{Keyword, Policy, Source, SourceKind};
    ///
    /// assert_eq!(Source::REPORT_SHA512.kind(), SourceKind::Keyword(Keyword::ReportSha512));
    /// let policy = Policy::builder().script_src([Source::SELF, Source::REPORT_SHA512]).build()?;
    /// assert_eq!(policy.as_str(), "script-src 'self' 'report-sha512'");
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    pub const REPORT_SHA512: Source = Source::keyword(Keyword::ReportSha512);
    /// `'unsafe-webtransport-hashes'`.
    ///
    /// ```
    /// use csp_builder::{Keyword, Policy, Source, SourceKind};
    ///
    /// let kind = SourceKind::Keyword(Keyword::UnsafeWebtransportHashes);
    /// assert_eq!(Source::UNSAFE_WEBTRANSPORT_HASHES.kind(), kind);
    /// let policy = Policy::builder()
    ///     .connect_src([Source::SELF, Source::UNSAFE_WEBTRANSPORT_HASHES])
    ///     .build()?;
    /// assert_eq!(policy.as_str(), "connect-src 'self' 'unsafe-webtransport-hashes'");
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    pub const UNSAFE_WEBTRANSPORT_HASHES: Source =
        Source::keyword(Keyword::UnsafeWebtransportHashes);
    /// `'inline-speculation-rules'`.
    ///
    /// ```
    /// use csp_builder::{Keyword, Policy, Source, SourceKind};
    ///
    /// let kind = SourceKind::Keyword(Keyword::InlineSpeculationRules);
    /// assert_eq!(Source::INLINE_SPECULATION_RULES.kind(), kind);
    /// let policy = Policy::builder()
    ///     .script_src([Source::SELF, Source::INLINE_SPECULATION_RULES])
    ///     .build()?;
    /// assert_eq!(policy.as_str(), "script-src 'self' 'inline-speculation-rules'");
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    pub const INLINE_SPECULATION_RULES: Source = Source::keyword(Keyword::InlineSpeculationRules);
    /// `*` (any URL with a network scheme, or the page's own scheme).
    ///
    /// ```
    /// use csp_builder::{Policy, Source, SourceKind};
    ///
    /// assert_eq!(Source::WILDCARD.kind(), SourceKind::Host);
    /// assert_eq!(Source::host("*")?, Source::WILDCARD);
    /// let policy = Policy::builder().img_src([Source::WILDCARD]).build()?;
    /// assert_eq!(policy.as_str(), "img-src *");
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    pub const WILDCARD: Source = Source {
        text: Cow::Borrowed("*"),
        kind: SourceKind::Host,
    };
    /// `https:`.
    ///
    /// ```
    /// use csp_builder::{Policy, Source, SourceKind};
    ///
    /// assert_eq!(Source::HTTPS.kind(), SourceKind::Scheme);
    /// assert_eq!(Source::scheme("HTTPS")?, Source::HTTPS);
    /// let policy = Policy::builder().img_src([Source::HTTPS]).build()?;
    /// assert_eq!(policy.as_str(), "img-src https:");
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    pub const HTTPS: Source = Source {
        text: Cow::Borrowed("https:"),
        kind: SourceKind::Scheme,
    };
    /// `data:`.
    ///
    /// ```
    /// use csp_builder::{Policy, Source, SourceKind};
    ///
    /// assert_eq!(Source::DATA.kind(), SourceKind::Scheme);
    /// assert_eq!(Source::scheme("data")?, Source::DATA);
    /// let policy = Policy::builder().img_src([Source::SELF, Source::DATA]).build()?;
    /// assert_eq!(policy.as_str(), "img-src 'self' data:");
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    pub const DATA: Source = Source {
        text: Cow::Borrowed("data:"),
        kind: SourceKind::Scheme,
    };
    /// `blob:`.
    ///
    /// ```
    /// use csp_builder::{Policy, Source, SourceKind};
    ///
    /// assert_eq!(Source::BLOB.kind(), SourceKind::Scheme);
    /// assert_eq!(Source::scheme("blob:")?, Source::BLOB);
    /// let policy = Policy::builder().worker_src([Source::SELF, Source::BLOB]).build()?;
    /// assert_eq!(policy.as_str(), "worker-src 'self' blob:");
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    pub const BLOB: Source = Source {
        text: Cow::Borrowed("blob:"),
        kind: SourceKind::Scheme,
    };
    /// A nonce source marking where [`CompiledPolicy`](crate::CompiledPolicy) puts the
    /// per-response nonce: `'nonce-REPLACED_PER_RESPONSE'`. (A compiled policy replaces *every*
    /// nonce source; serializing a policy that holds this placeholder without compiling it
    /// sends a fixed, public nonce.)
    ///
    /// ```
    /// use csp_builder::{Nonce, Policy, Source, SourceKind};
    ///
    /// assert_eq!(Source::NONCE_PLACEHOLDER.kind(), SourceKind::Nonce);
    /// let policy = Policy::builder().script_src([Source::NONCE_PLACEHOLDER]).build()?;
    /// // Uncompiled, the placeholder is sent as written ...
    /// assert_eq!(policy.as_str(), "script-src 'nonce-REPLACED_PER_RESPONSE'");
    /// // ... compiled, each response gets its own nonce in its place.
    /// let value = policy.compile().render(&Nonce::from_random_bytes([0; 16]));
    /// assert_eq!(value, "script-src 'nonce-AAAAAAAAAAAAAAAAAAAAAA=='");
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    pub const NONCE_PLACEHOLDER: Source = Source {
        text: Cow::Borrowed("'nonce-REPLACED_PER_RESPONSE'"),
        kind: SourceKind::Nonce,
    };

    /// A keyword source.
    ///
    /// ```
    /// use csp_builder::{Keyword, Source};
    /// assert_eq!(Source::keyword(Keyword::ReportSample), Source::REPORT_SAMPLE);
    /// ```
    #[must_use]
    pub const fn keyword(keyword: Keyword) -> Source {
        Source {
            text: Cow::Borrowed(keyword.as_str()),
            kind: SourceKind::Keyword(keyword),
        }
    }

    /// A host source, `[scheme://]host[:port][/path]` (CSP3 §2.3.1 `host-source`). Hosts must
    /// be ASCII (Punycode for IDNs), `*` or `*.` + labels; ports are digits up to 65535 or `*`;
    /// paths are RFC 3986 `path-absolute` without `;` and `,`. The scheme is lowercased.
    ///
    /// ```
    /// use csp_builder::{BuildError, Source};
    /// assert_eq!(Source::host("HTTPS://*.example.com:*")?.as_str(), "https://*.example.com:*");
    /// assert!(matches!(Source::host("exa mple.com"), Err(BuildError::Whitespace { .. })));
    /// assert!(matches!(Source::host("https://ex*ample.com"), Err(BuildError::InvalidHost { .. })));
    /// assert!(matches!(Source::host("example.com:99999"), Err(BuildError::InvalidPort { .. })));
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    pub fn host(value: &str) -> Result<Source, BuildError> {
        check_value_chars(value)?;
        let bytes = value.as_bytes();
        let scheme_sep = value
            .find("://")
            .filter(|&i| !value.get(..i).unwrap_or_default().contains('/'));
        let (scheme, rest) = match scheme_sep {
            Some(i) => (value.get(..i), value.get(i + 3..).unwrap_or_default()),
            None => (None, value),
        };
        if let Some(s) = scheme
            && !grammar::is_scheme(s.as_bytes())
        {
            return Err(BuildError::InvalidScheme {
                value: value.to_owned(),
            });
        }
        let host_end = rest.find([':', '/']).unwrap_or(rest.len());
        let host = rest.get(..host_end).unwrap_or_default();
        // `host` holds no ":" or "/", so as a host source it can only be a bare host-part.
        let host_ok = grammar::classify_source(host.as_bytes()).kind == SourceKind::Host;
        if !host_ok {
            return Err(BuildError::InvalidHost {
                value: value.to_owned(),
                reason: "expected `*`, or an optional `*.` followed by dot-separated labels of ASCII letters, digits and `-`",
            });
        }
        let after_host = rest.get(host_end..).unwrap_or_default();
        let (port, path) = match after_host.strip_prefix(':') {
            Some(p) => {
                let end = p.find('/').unwrap_or(p.len());
                (
                    Some(p.get(..end).unwrap_or_default()),
                    p.get(end..).unwrap_or_default(),
                )
            }
            None => (None, after_host),
        };
        if let Some(p) = port {
            let ok = p == "*"
                || (!p.is_empty()
                    && p.len() <= 5
                    && p.bytes().all(|b| b.is_ascii_digit())
                    && p.parse::<u32>().is_ok_and(|n| n <= 65535));
            if !ok {
                return Err(BuildError::InvalidPort {
                    value: value.to_owned(),
                });
            }
        }
        if !path.is_empty() {
            let c = grammar::classify_source(format!("a{path}").as_bytes());
            if c.kind != SourceKind::Host {
                return Err(BuildError::InvalidPath {
                    value: value.to_owned(),
                });
            }
        }
        let c = grammar::classify_source(bytes);
        if c.kind != SourceKind::Host {
            return Err(BuildError::InvalidHost {
                value: value.to_owned(),
                reason: "not a host-source",
            });
        }
        let mut text = value.to_owned();
        if let Some(prefix) = text.get_mut(..c.lowercase_prefix as usize) {
            prefix.make_ascii_lowercase();
        }
        Ok(Source {
            text: Cow::Owned(text),
            kind: SourceKind::Host,
        })
    }

    /// A scheme source; the trailing `:` is optional and the scheme is lowercased. With the
    /// `:`, the source is at most [`MAX_VALUE_LEN`] bytes.
    ///
    /// ```
    /// use csp_builder::{BuildError, Source};
    /// assert_eq!(Source::scheme("wss")?, Source::scheme("WSS:")?);
    /// assert!(matches!(Source::scheme("1http"), Err(BuildError::InvalidScheme { .. })));
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    pub fn scheme(value: &str) -> Result<Source, BuildError> {
        check_value_chars(value)?;
        let name = value.strip_suffix(':').unwrap_or(value);
        // MAX_VALUE_LEN bounds the source expression, which is the name and ":".
        if name.len() + 1 > MAX_VALUE_LEN {
            return Err(BuildError::TooLong {
                len: name.len() + 1,
                max: MAX_VALUE_LEN,
            });
        }
        if !grammar::is_scheme(name.as_bytes()) {
            return Err(BuildError::InvalidScheme {
                value: value.to_owned(),
            });
        }
        let mut text = String::with_capacity(name.len() + 1);
        text.push_str(name);
        text.make_ascii_lowercase();
        text.push(':');
        Ok(Source {
            text: Cow::Owned(text),
            kind: SourceKind::Scheme,
        })
    }

    /// The nonce source for a generated [`Nonce`].
    ///
    /// ```
    /// use csp_builder::{Nonce, Source, SourceKind};
    /// let nonce = Nonce::from_random_bytes([0; 16]);
    /// let s = Source::nonce(&nonce);
    /// assert_eq!(s.as_str(), "'nonce-AAAAAAAAAAAAAAAAAAAAAA=='");
    /// assert_eq!(s.kind(), SourceKind::Nonce);
    /// ```
    #[must_use]
    pub fn nonce(nonce: &Nonce) -> Source {
        Source {
            text: Cow::Owned(format!("'nonce-{}'", nonce.as_str())),
            kind: SourceKind::Nonce,
        }
    }

    /// A nonce source from a nonce value supplied elsewhere (without `'nonce-` and `'`). The
    /// value must be `base64-value` (base64 or base64url, at most two `=`), with at least
    /// [`MIN_NONCE_LEN`] characters before any `=` padding (128 bits), and the source
    /// `'nonce-…'` at most [`MAX_VALUE_LEN`] bytes.
    ///
    /// ```
    /// use csp_builder::{BuildError, Source};
    /// assert!(Source::nonce_value("ch4hvvbHDpv7xCSvXCs3BrNggHdTzxUA").is_ok());
    /// assert!(matches!(Source::nonce_value("abc' 'unsafe-inline"), Err(BuildError::InvalidNonce { .. })));
    /// assert!(matches!(Source::nonce_value("abc"), Err(BuildError::InvalidNonce { .. })));
    /// ```
    pub fn nonce_value(value: &str) -> Result<Source, BuildError> {
        check_forbidden_bytes(value)?;
        if !grammar::is_base64_value(value.as_bytes()) {
            return Err(BuildError::InvalidNonce {
                value: value.to_owned(),
                reason: "expected base64 or base64url characters with at most two trailing `=`",
            });
        }
        // `=` padding carries no bits, so only the characters before it count towards the
        // 128 bits; the whole source expression `'nonce-…'` must fit MAX_VALUE_LEN.
        let bits_chars = value.trim_end_matches('=').len();
        if bits_chars < MIN_NONCE_LEN {
            return Err(BuildError::InvalidNonce {
                value: value.to_owned(),
                reason: "a nonce needs at least 22 base64 characters besides `=` padding (128 bits)",
            });
        }
        if value.len() + NONCE_SOURCE_EXTRA > MAX_VALUE_LEN {
            return Err(BuildError::InvalidNonce {
                value: value.to_owned(),
                reason: "a nonce may have at most 4088 characters (4096 bytes with `'nonce-` and `'`)",
            });
        }
        Ok(Source {
            text: Cow::Owned(format!("'nonce-{value}'")),
            kind: SourceKind::Nonce,
        })
    }

    /// The hash source of a script or style body: base64 of its digest (CSP3 §8.4: the hashed
    /// bytes are the UTF-8 encoding of the element's text).
    ///
    /// ```
    /// use csp_builder::{HashAlgorithm, Source};
    /// let s = Source::hash_of(HashAlgorithm::Sha256, "");
    /// assert_eq!(s.as_str(), "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
    /// ```
    #[must_use]
    pub fn hash_of(algorithm: HashAlgorithm, content: impl AsRef<[u8]>) -> Source {
        let digest = algorithm.digest_base64(content.as_ref());
        Source {
            text: Cow::Owned(format!("'{}-{digest}'", algorithm.as_str())),
            kind: SourceKind::Hash(algorithm),
        }
    }

    /// A hash source from a base64 (or base64url) digest computed elsewhere; the decoded length
    /// must match the algorithm. `=` padding, when present, must be the encoding's own; when
    /// absent it is added, because CSP3 compares the value with the padded encoding of the
    /// digest, so an unpadded value would match only in browsers that decode it.
    ///
    /// ```
    /// use csp_builder::{BuildError, HashAlgorithm, Source};
    /// let digest = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
    /// let source = Source::hash(HashAlgorithm::Sha256, digest)?;
    /// assert_eq!(source.as_str(), format!("'sha256-{digest}'"));
    /// // Without its padding: completed.
    /// let source = Source::hash(HashAlgorithm::Sha256, digest.trim_end_matches('='))?;
    /// assert_eq!(source.as_str(), format!("'sha256-{digest}'"));
    /// assert!(matches!(Source::hash(HashAlgorithm::Sha256, "abc"), Err(BuildError::InvalidHash { .. })));
    /// # Ok::<(), BuildError>(())
    /// ```
    pub fn hash(algorithm: HashAlgorithm, base64_digest: &str) -> Result<Source, BuildError> {
        check_forbidden_bytes(base64_digest)?;
        if !grammar::is_base64_value(base64_digest.as_bytes()) {
            return Err(BuildError::InvalidHash {
                value: base64_digest.to_owned(),
                reason: "expected base64 or base64url characters with at most two trailing `=`",
            });
        }
        // CSP3 "Does element match source list for type and source?": "If actual is identical
        // to expected", where actual is the padded base64 encoding of the digest (and expected
        // the value with base64url's `-` and `_` mapped to `+` and `/`). Padding that is
        // present must therefore be the encoding's own, and missing padding is added (Chromium
        // and WebKit decode the value and would match it either way).
        let unpadded = base64_digest.trim_end_matches('=');
        let padding = base64_digest.len() - unpadded.len();
        let full_padding = (4 - unpadded.len() % 4) % 4;
        if padding != 0 && padding != full_padding {
            return Err(BuildError::InvalidHash {
                value: base64_digest.to_owned(),
                reason: "the `=` padding does not match the digest's length",
            });
        }
        let normalized: String = unpadded
            .chars()
            .map(|c| match c {
                '-' => '+',
                '_' => '/',
                c => c,
            })
            .collect();
        let decoded =
            base64::engine::general_purpose::STANDARD_NO_PAD.decode(normalized.as_bytes());
        if decoded.map(|d| d.len()).ok() != Some(algorithm.digest_len()) {
            return Err(BuildError::InvalidHash {
                value: base64_digest.to_owned(),
                reason: "the decoded digest length does not match the algorithm",
            });
        }
        Ok(Source {
            text: Cow::Owned(format!(
                "'{}-{unpadded}{}'",
                algorithm.as_str(),
                "=".repeat(full_padding)
            )),
            kind: SourceKind::Hash(algorithm),
        })
    }

    /// A value for a directive that does not take a source list (`report-uri`, `report-to`,
    /// `sandbox`, `trusted-types`, unknown directives): visible ASCII without `;` and `,`.
    /// The directive checks its own grammar when the value is added to it.
    ///
    /// ```
    /// use csp_builder::{BuildError, Source, SourceKind};
    /// assert_eq!(Source::token("/csp-report")?.kind(), SourceKind::Token);
    /// assert!(matches!(Source::token("a;b"), Err(BuildError::ForbiddenByte { byte: b';', .. })));
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    pub fn token(value: &str) -> Result<Source, BuildError> {
        check_value_chars(value)?;
        Ok(Source {
            text: Cow::Owned(value.to_owned()),
            kind: SourceKind::Token,
        })
    }

    /// The kind of source.
    ///
    /// ```
    /// use csp_builder::{Source, SourceKind};
    /// assert_eq!(Source::NONE.kind(), SourceKind::None);
    /// ```
    #[must_use]
    pub fn kind(&self) -> SourceKind {
        self.kind
    }

    /// The serialized text.
    ///
    /// ```
    /// use csp_builder::Source;
    /// assert_eq!(Source::WILDCARD.as_str(), "*");
    /// ```
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// From text already known to be a clean canonical value (a parsed policy).
    pub(crate) fn from_parts_unchecked(text: &str, kind: SourceKind) -> Source {
        Source {
            text: Cow::Owned(text.to_owned()),
            kind,
        }
    }

    fn with_kind(self, kind: SourceKind) -> Source {
        Source {
            text: self.text,
            kind,
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for Source {
    type Err = BuildError;

    /// Parses one source expression (any production of CSP3 §2.3.1), rejecting anything else.
    /// Keywords, `'none'`, nonce/hash prefixes and schemes are lowercased.
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        check_value_chars(value)?;
        let c = grammar::classify_source(value.as_bytes());
        match c.kind {
            SourceKind::Host => Source::host(value),
            SourceKind::Other | SourceKind::Token => Err(BuildError::InvalidSource {
                value: value.to_owned(),
            }),
            kind => {
                let mut text = value.to_owned();
                if let Some(prefix) = text.get_mut(..c.lowercase_prefix as usize) {
                    prefix.make_ascii_lowercase();
                }
                Ok(Source {
                    text: Cow::Owned(text),
                    kind,
                })
            }
        }
    }
}

impl From<Keyword> for Source {
    fn from(keyword: Keyword) -> Self {
        Source::keyword(keyword)
    }
}

impl From<SandboxFlag> for Source {
    fn from(flag: SandboxFlag) -> Self {
        Source {
            text: Cow::Borrowed(flag.as_str()),
            kind: SourceKind::Token,
        }
    }
}

impl From<&Nonce> for Source {
    fn from(nonce: &Nonce) -> Self {
        Source::nonce(nonce)
    }
}

/// Rejects bytes that could smuggle a directive (`;`), a policy (`,`) or a header (CR, LF),
/// and every other control character, DEL and non-ASCII.
fn check_forbidden_bytes(value: &str) -> Result<(), BuildError> {
    for (offset, b) in value.bytes().enumerate() {
        if b < 0x20 && b != b' ' || b == 0x7f || b == b';' || b == b',' {
            return Err(BuildError::ForbiddenByte {
                value: value.to_owned(),
                byte: b,
                offset,
            });
        }
        if b >= 0x80 {
            return Err(BuildError::NonAscii {
                value: value.to_owned(),
                offset,
            });
        }
    }
    Ok(())
}

/// One value: non-empty, at most [`MAX_VALUE_LEN`] bytes, visible ASCII without `;` and `,`.
pub(crate) fn check_value_chars(value: &str) -> Result<(), BuildError> {
    if value.is_empty() {
        return Err(BuildError::Empty);
    }
    if value.len() > MAX_VALUE_LEN {
        return Err(BuildError::TooLong {
            len: value.len(),
            max: MAX_VALUE_LEN,
        });
    }
    check_forbidden_bytes(value)?;
    if let Some(offset) = value.bytes().position(|b| b == b' ') {
        return Err(BuildError::Whitespace {
            value: value.to_owned(),
            offset,
        });
    }
    Ok(())
}

/// The name of a directive in an owned [`Directive`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum NameOf {
    Known(DirectiveName),
    Unknown(Box<str>),
}

/// One validated directive: a name and its values, ready for [`PolicyBuilder::directive`].
///
/// [`PolicyBuilder::directive`]: crate::PolicyBuilder::directive
///
/// ```
/// use csp_builder::{BuildError, Directive, DirectiveName, Source};
/// let d = Directive::new(DirectiveName::FrameAncestors, [Source::NONE])?;
/// assert_eq!(d.to_string(), "frame-ancestors 'none'");
/// assert!(matches!(
///     Directive::new(DirectiveName::FrameAncestors, [Source::UNSAFE_INLINE]),
///     Err(BuildError::SourceNotAllowed { .. })
/// ));
/// # Ok::<(), BuildError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Directive {
    name: NameOf,
    values: Vec<Source>,
}

impl Directive {
    /// A known directive with its values, checked against the directive's grammar:
    /// source lists take source expressions (`frame-ancestors` only schemes, hosts, `'self'`,
    /// `'none'`), `'none'` must be alone, `sandbox` takes sandbox flags, `webrtc` one of
    /// `'allow'`/`'block'`, `report-to` one token, `report-uri` at least one URI,
    /// `require-trusted-types-for` `'script'`, `trusted-types` policy names / `'allow-duplicates'`
    /// / `'none'` / `*`, and the flag directives no value.
    ///
    /// ```
    /// use csp_builder::{BuildError, Directive, DirectiveName, Source};
    /// let d = Directive::new(DirectiveName::ImgSrc, [Source::SELF, Source::DATA])?;
    /// assert_eq!(d.sources().len(), 2);
    /// assert!(matches!(
    ///     Directive::new(DirectiveName::ImgSrc, [Source::NONE, Source::SELF]),
    ///     Err(BuildError::NoneWithOtherSources { .. })
    /// ));
    /// # Ok::<(), BuildError>(())
    /// ```
    pub fn new(
        name: DirectiveName,
        values: impl IntoIterator<Item = Source>,
    ) -> Result<Directive, BuildError> {
        let values = validate(name, values.into_iter().collect())?;
        Ok(Directive {
            name: NameOf::Known(name),
            values,
        })
    }

    /// A directive by name (ASCII case-insensitive) with string values. A known name is checked
    /// as in [`Directive::new`] (source-list values must be source expressions); any other name
    /// must match `directive-name = 1*( ALPHA / DIGIT / "-" )` and its values must be visible
    /// ASCII without `;` and `,`.
    ///
    /// ```
    /// use csp_builder::{BuildError, Directive};
    /// let d = Directive::unknown("X-Custom", ["a", "b"])?;
    /// assert_eq!(d.to_string(), "x-custom a b");
    /// assert!(matches!(Directive::unknown("bad name", ["a"]), Err(BuildError::InvalidDirectiveName { .. })));
    /// assert_eq!(Directive::unknown("IMG-SRC", ["'self'"])?.known(), Some(csp_builder::DirectiveName::ImgSrc));
    /// # Ok::<(), BuildError>(())
    /// ```
    pub fn unknown<V: AsRef<str>>(
        name: &str,
        values: impl IntoIterator<Item = V>,
    ) -> Result<Directive, BuildError> {
        if !grammar::is_directive_name(name.as_bytes()) || name.len() > MAX_VALUE_LEN {
            return Err(BuildError::InvalidDirectiveName {
                name: name.to_owned(),
            });
        }
        let lower = name.to_ascii_lowercase();
        match DirectiveName::from_name(&lower) {
            Some(known) => {
                let sources = values
                    .into_iter()
                    .map(|v| {
                        if known.takes_source_list() {
                            v.as_ref().parse::<Source>()
                        } else {
                            Source::token(v.as_ref())
                        }
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Directive::new(known, sources)
            }
            None => {
                let values = values
                    .into_iter()
                    .map(|v| Source::token(v.as_ref()))
                    .collect::<Result<Vec<_>, _>>()?;
                if values.len() > MAX_VALUES_PER_POLICY {
                    return Err(BuildError::TooManyValues {
                        directive: lower,
                        max: MAX_VALUES_PER_POLICY,
                    });
                }
                Ok(Directive {
                    name: NameOf::Unknown(lower.into_boxed_str()),
                    values,
                })
            }
        }
    }

    pub(crate) fn from_parts_unchecked(
        known: Option<DirectiveName>,
        name: &str,
        values: Vec<Source>,
    ) -> Directive {
        let name = match known {
            Some(k) => NameOf::Known(k),
            None => NameOf::Unknown(name.into()),
        };
        Directive { name, values }
    }

    /// The lowercase name.
    ///
    /// ```
    /// use csp_builder::{Directive, DirectiveName};
    /// assert_eq!(Directive::new(DirectiveName::UpgradeInsecureRequests, [])?.name(), "upgrade-insecure-requests");
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    #[must_use]
    pub fn name(&self) -> &str {
        match &self.name {
            NameOf::Known(k) => k.as_str(),
            NameOf::Unknown(n) => n,
        }
    }

    /// The known name, or `None` for an unknown directive.
    ///
    /// ```
    /// use csp_builder::{Directive, DirectiveName};
    /// assert_eq!(Directive::unknown("foo", ["x"])?.known(), None);
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    #[must_use]
    pub fn known(&self) -> Option<DirectiveName> {
        match self.name {
            NameOf::Known(k) => Some(k),
            NameOf::Unknown(_) => None,
        }
    }

    /// The values.
    ///
    /// ```
    /// use csp_builder::{Directive, DirectiveName, Source};
    /// let d = Directive::new(DirectiveName::ScriptSrc, [Source::SELF])?;
    /// assert_eq!(d.sources(), [Source::SELF]);
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    #[must_use]
    pub fn sources(&self) -> &[Source] {
        &self.values
    }

    /// Re-checks a directive that came from a parsed policy (whose values may be invalid).
    pub(crate) fn revalidated(self) -> Result<Directive, BuildError> {
        match self.name {
            NameOf::Known(k) => Directive::new(k, self.values),
            NameOf::Unknown(ref n) => {
                let name = n.to_string();
                Directive::unknown(&name, self.values.iter().map(Source::as_str))
            }
        }
    }
}

impl fmt::Display for Directive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())?;
        for v in &self.values {
            f.write_str(" ")?;
            f.write_str(v.as_str())?;
        }
        Ok(())
    }
}

fn invalid_value(name: DirectiveName, value: &str, expected: &'static str) -> BuildError {
    BuildError::InvalidDirectiveValue {
        directive: name.as_str().to_owned(),
        value: value.to_owned(),
        expected,
    }
}

/// The directive grammar checks behind [`Directive::new`].
fn validate(name: DirectiveName, values: Vec<Source>) -> Result<Vec<Source>, BuildError> {
    if values.len() > MAX_VALUES_PER_POLICY {
        return Err(BuildError::TooManyValues {
            directive: name.as_str().to_owned(),
            max: MAX_VALUES_PER_POLICY,
        });
    }
    let mut out = Vec::with_capacity(values.len());
    if name.takes_source_list() {
        let count = values.len();
        for v in values {
            check_value_chars(v.as_str())?;
            // Re-classify the text, so the kind always agrees with what a parser will see.
            let kind = grammar::classify_source(v.as_str().as_bytes()).kind;
            if !kind.is_source_expression() {
                return Err(BuildError::InvalidSource {
                    value: v.as_str().to_owned(),
                });
            }
            if kind == SourceKind::None && count > 1 {
                return Err(BuildError::NoneWithOtherSources {
                    directive: name.as_str().to_owned(),
                });
            }
            // CSP3 §6.3.2: ancestor-source = scheme-source / host-source / "'self'".
            if name == DirectiveName::FrameAncestors
                && !matches!(
                    kind,
                    SourceKind::Scheme
                        | SourceKind::Host
                        | SourceKind::None
                        | SourceKind::Keyword(Keyword::SelfOrigin)
                )
            {
                return Err(BuildError::SourceNotAllowed {
                    directive: name.as_str().to_owned(),
                    value: v.as_str().to_owned(),
                });
            }
            out.push(v.with_kind(kind));
        }
        return Ok(out);
    }
    let count = values.len();
    for v in values {
        let text = v.as_str();
        check_value_chars(text)?;
        let ok = match name {
            DirectiveName::Sandbox => {
                if SandboxFlag::from_token(text).is_none() {
                    return Err(BuildError::InvalidSandboxFlag {
                        value: text.to_owned(),
                    });
                }
                true
            }
            DirectiveName::Webrtc => {
                count == 1
                    && (text.eq_ignore_ascii_case("'allow'")
                        || text.eq_ignore_ascii_case("'block'"))
            }
            DirectiveName::ReportTo => count == 1 && grammar::is_token(text.as_bytes()),
            DirectiveName::RequireTrustedTypesFor => text.eq_ignore_ascii_case("'script'"),
            DirectiveName::TrustedTypes => {
                let none = text.eq_ignore_ascii_case("'none'");
                (none && count == 1)
                    || (!none
                        && (text == "*"
                            || text.eq_ignore_ascii_case("'allow-duplicates'")
                            || grammar::is_tt_policy_name(text.as_bytes())))
            }
            DirectiveName::UpgradeInsecureRequests | DirectiveName::BlockAllMixedContent => false,
            // report-uri: any visible value (uri-reference); already checked above.
            _ => true,
        };
        if !ok {
            let expected = match name {
                DirectiveName::Webrtc => "exactly one of 'allow' or 'block'",
                DirectiveName::ReportTo => "exactly one endpoint name (an RFC 9110 token)",
                DirectiveName::RequireTrustedTypesFor => "'script'",
                DirectiveName::TrustedTypes => {
                    "policy names, 'allow-duplicates' or *, or 'none' alone"
                }
                _ => "no value",
            };
            return Err(invalid_value(name, text, expected));
        }
        out.push(v.with_kind(SourceKind::Token));
    }
    let needs_value = matches!(
        name,
        DirectiveName::Webrtc
            | DirectiveName::ReportTo
            | DirectiveName::ReportUri
            | DirectiveName::RequireTrustedTypesFor
    );
    if needs_value && out.is_empty() {
        return Err(invalid_value(name, "", "at least one value"));
    }
    Ok(out)
}
