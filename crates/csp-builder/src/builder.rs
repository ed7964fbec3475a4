//! The validating policy builder and its error type.

use crate::model::{DirectiveName, Disposition, PolicySource, SandboxFlag};
use crate::parse::{self, MAX_DIRECTIVES_PER_POLICY, MAX_INPUT_LEN, MAX_VALUES_PER_POLICY};
use crate::policy::Policy;
use crate::source::{Directive, Source};

/// Why the builder (or a [`Source`] / [`Directive`] constructor) refused a value. Each
/// variant names the offending value and, where it applies, the directive.
///
/// ```
/// use csp_builder::{BuildError, Source};
/// let err = Source::host("a.example\r\nSet-Cookie: x=y").unwrap_err();
/// assert!(matches!(err, BuildError::ForbiddenByte { byte: b'\r', offset: 9, .. }));
/// assert!(err.to_string().contains("0x0d"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// A byte that could smuggle a directive (`;`), a policy (`,`) or a header line (CR, LF),
    /// or another control character (NUL, TAB, …) or DEL.
    #[error("{value:?} contains the forbidden byte {byte:#04x} at offset {offset}")]
    ForbiddenByte {
        /// The rejected value.
        value: String,
        /// The forbidden byte.
        byte: u8,
        /// Its byte offset in `value`.
        offset: usize,
    },
    /// A non-ASCII character (CSP is ASCII; IDNs must be Punycode).
    #[error("{value:?} contains a non-ASCII character at byte offset {offset}")]
    NonAscii {
        /// The rejected value.
        value: String,
        /// Byte offset of the first non-ASCII byte.
        offset: usize,
    },
    /// A space inside one value (each source expression is passed separately).
    #[error("{value:?} contains a space at offset {offset}; pass each source separately")]
    Whitespace {
        /// The rejected value.
        value: String,
        /// Offset of the space.
        offset: usize,
    },
    /// An empty value.
    #[error("empty value")]
    Empty,
    /// A value longer than [`MAX_VALUE_LEN`](crate::MAX_VALUE_LEN), or a policy longer than
    /// [`MAX_INPUT_LEN`](crate::MAX_INPUT_LEN).
    #[error("value of {len} bytes is longer than the limit of {max} bytes")]
    TooLong {
        /// Its length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Not a valid host source host part.
    #[error("{value:?} is not a valid host source: {reason}")]
    InvalidHost {
        /// The rejected value.
        value: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// Not a valid scheme (RFC 3986 `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`).
    #[error(
        "{value:?} does not hold a valid scheme (a letter, then letters, digits, '+', '-' or '.')"
    )]
    InvalidScheme {
        /// The rejected value.
        value: String,
    },
    /// Not a valid port (digits up to 65535, or `*`).
    #[error("{value:?} does not hold a valid port (1 to 5 digits up to 65535, or *)")]
    InvalidPort {
        /// The rejected value.
        value: String,
    },
    /// Not a valid path (RFC 3986 `path-absolute` without `;` and `,`).
    #[error("{value:?} does not hold a valid path (RFC 3986 path-absolute without ';' or ',')")]
    InvalidPath {
        /// The rejected value.
        value: String,
    },
    /// Not a valid nonce value.
    #[error("{value:?} is not a valid nonce: {reason}")]
    InvalidNonce {
        /// The rejected value.
        value: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// Not a valid hash value.
    #[error("{value:?} is not a valid hash: {reason}")]
    InvalidHash {
        /// The rejected value.
        value: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// Not a source expression (CSP3 §2.3.1).
    #[error("{value:?} is not a source expression (keyword, 'none', nonce, hash, scheme or host)")]
    InvalidSource {
        /// The rejected value.
        value: String,
    },
    /// `'none'` together with other sources.
    #[error("'none' must be the only source of {directive}")]
    NoneWithOtherSources {
        /// The directive.
        directive: String,
    },
    /// A valid source the directive does not accept (keywords other than `'self'`, nonces and
    /// hashes in `frame-ancestors`).
    #[error("{value:?} is not allowed in {directive}")]
    SourceNotAllowed {
        /// The directive.
        directive: String,
        /// The rejected value.
        value: String,
    },
    /// Not a sandbox flag.
    #[error("{value:?} is not a sandbox flag")]
    InvalidSandboxFlag {
        /// The rejected value.
        value: String,
    },
    /// A value that does not match a non-source-list directive's grammar.
    #[error("invalid value {value:?} for {directive}: expected {expected}")]
    InvalidDirectiveValue {
        /// The directive.
        directive: String,
        /// The rejected value (empty when a value is missing).
        value: String,
        /// What the directive takes.
        expected: &'static str,
    },
    /// A directive name outside `1*( ALPHA / DIGIT / "-" )`.
    #[error("{name:?} is not a directive name (ASCII letters, digits and '-')")]
    InvalidDirectiveName {
        /// The rejected name.
        name: String,
    },
    /// The same directive twice (browsers would ignore the second).
    #[error("duplicate directive {directive}")]
    DuplicateDirective {
        /// The directive.
        directive: String,
    },
    /// No directive at all (browsers drop an empty policy).
    #[error("a policy needs at least one directive")]
    EmptyPolicy,
    /// More values than a policy may hold ([`MAX_VALUES_PER_POLICY`](crate::MAX_VALUES_PER_POLICY),
    /// all directives together); `directive` is the one that exceeds it.
    #[error("{directive} takes the policy over {max} values")]
    TooManyValues {
        /// The directive.
        directive: String,
        /// The limit.
        max: usize,
    },
    /// More directives than a policy may hold.
    #[error("more than {max} directives")]
    TooManyDirectives {
        /// The limit.
        max: usize,
    },
    /// A directive that a policy delivered in a `<meta>` element ignores (`report-uri`,
    /// `frame-ancestors`, `sandbox`; CSP3 §6.2.2, §6.3.2, §6.4.1), given to
    /// [`PolicyBuilder::build_for_meta`].
    #[error("{directive} is ignored in a policy delivered in a <meta> element")]
    IgnoredInMeta {
        /// The directive.
        directive: String,
    },
    /// A report-only policy given to [`PolicyBuilder::build_for_meta`]: CSP3 §3.3, report-only
    /// policies are not supported in a `<meta>` element.
    #[error("a <meta> element cannot deliver a report-only policy")]
    ReportOnlyInMeta,
    /// The serialized policy would not parse back to what was built (a safety net; the
    /// checks above make it unreachable).
    #[error("the policy {serialized:?} would not parse back to what was built")]
    NotRoundTrippable {
        /// The serialization.
        serialized: String,
    },
}

/// `webrtc` directive values (CSP3 §6.1.16).
///
/// ```
/// use csp_builder::{Policy, WebrtcPolicy};
/// let p = Policy::builder().webrtc(WebrtcPolicy::Block).build()?;
/// assert_eq!(p.as_str(), "webrtc 'block'");
/// # Ok::<(), csp_builder::BuildError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WebrtcPolicy {
    /// `'allow'`.
    Allow,
    /// `'block'`.
    Block,
}

/// Builds a validated [`Policy`]. Each method adds one directive; the first invalid input is
/// kept and returned by [`build`](PolicyBuilder::build), so calls chain without `?`.
///
/// ```
/// use csp_builder::{HashAlgorithm, Policy, SandboxFlag, Source};
/// let policy = Policy::builder()
///     .default_src([Source::NONE])
///     .script_src([Source::NONCE_PLACEHOLDER, Source::STRICT_DYNAMIC, Source::hash_of(HashAlgorithm::Sha256, "")])
///     .style_src([Source::SELF])
///     .img_src([Source::SELF, Source::DATA])
///     .frame_ancestors([Source::NONE])
///     .base_uri([Source::NONE])
///     .form_action([Source::SELF])
///     .sandbox([SandboxFlag::AllowScripts, SandboxFlag::AllowForms])
///     .report_to("csp")
///     .upgrade_insecure_requests()
///     .build()?;
/// assert!(policy.as_str().starts_with("default-src 'none'; script-src 'nonce-"));
/// # Ok::<(), csp_builder::BuildError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct PolicyBuilder {
    directives: Vec<Directive>,
    error: Option<BuildError>,
    disposition: Disposition,
}

macro_rules! source_list_methods {
    ($( $(#[$doc:meta])* $method:ident => $name:ident, )*) => {
        $(
            $(#[$doc])*
            #[must_use]
            pub fn $method(self, sources: impl IntoIterator<Item = Source>) -> PolicyBuilder {
                self.add(DirectiveName::$name, sources)
            }
        )*
    };
}

impl PolicyBuilder {
    /// An empty builder (same as [`Policy::builder`]).
    ///
    /// ```
    /// use csp_builder::{BuildError, PolicyBuilder};
    /// assert_eq!(PolicyBuilder::new().build(), Err(BuildError::EmptyPolicy));
    /// ```
    #[must_use]
    pub fn new() -> PolicyBuilder {
        PolicyBuilder::default()
    }

    fn add(self, name: DirectiveName, values: impl IntoIterator<Item = Source>) -> PolicyBuilder {
        if self.error.is_some() {
            return self;
        }
        match Directive::new(name, values) {
            Ok(d) => self.push_directive(d),
            Err(e) => self.fail(e),
        }
    }

    fn fail(mut self, error: BuildError) -> PolicyBuilder {
        if self.error.is_none() {
            self.error = Some(error);
        }
        self
    }

    pub(crate) fn push_directive(mut self, directive: Directive) -> PolicyBuilder {
        if self.error.is_some() {
            return self;
        }
        if self.directives.iter().any(|d| d.name() == directive.name()) {
            let directive = directive.name().to_owned();
            return self.fail(BuildError::DuplicateDirective { directive });
        }
        if self.directives.len() >= MAX_DIRECTIVES_PER_POLICY {
            return self.fail(BuildError::TooManyDirectives {
                max: MAX_DIRECTIVES_PER_POLICY,
            });
        }
        self.directives.push(directive);
        self
    }

    source_list_methods! {
        /// `child-src`.
        ///
        /// ```
        /// use csp_builder::{Policy, Source};
        /// assert_eq!(Policy::builder().child_src([Source::SELF]).build()?.as_str(), "child-src 'self'");
        /// # Ok::<(), csp_builder::BuildError>(())
        /// ```
        child_src => ChildSrc,
        /// `connect-src`.
        ///
        /// ```
        /// use csp_builder::{Policy, Source};
        /// let p = Policy::builder().connect_src([Source::SELF, Source::scheme("wss")?]).build()?;
        /// assert_eq!(p.as_str(), "connect-src 'self' wss:");
        /// # Ok::<(), csp_builder::BuildError>(())
        /// ```
        connect_src => ConnectSrc,
        /// `default-src`.
        ///
        /// ```
        /// use csp_builder::{Policy, Source};
        /// assert_eq!(Policy::builder().default_src([Source::NONE]).build()?.as_str(), "default-src 'none'");
        /// # Ok::<(), csp_builder::BuildError>(())
        /// ```
        default_src => DefaultSrc,
        /// `font-src`.
        ///
        /// ```
        /// use csp_builder::{Policy, Source};
        /// assert_eq!(Policy::builder().font_src([Source::SELF]).build()?.as_str(), "font-src 'self'");
        /// # Ok::<(), csp_builder::BuildError>(())
        /// ```
        font_src => FontSrc,
        /// `frame-src`.
        ///
        /// ```
        /// use csp_builder::{Policy, Source};
        /// let p = Policy::builder().frame_src([Source::host("https://www.youtube-nocookie.com")?]).build()?;
        /// assert_eq!(p.as_str(), "frame-src https://www.youtube-nocookie.com");
        /// # Ok::<(), csp_builder::BuildError>(())
        /// ```
        frame_src => FrameSrc,
        /// `img-src`.
        ///
        /// ```
        /// use csp_builder::{Policy, Source};
        /// assert_eq!(Policy::builder().img_src([Source::SELF, Source::DATA]).build()?.as_str(), "img-src 'self' data:");
        /// # Ok::<(), csp_builder::BuildError>(())
        /// ```
        img_src => ImgSrc,
        /// `manifest-src`.
        ///
        /// ```
        /// use csp_builder::{Policy, Source};
        /// assert_eq!(Policy::builder().manifest_src([Source::SELF]).build()?.as_str(), "manifest-src 'self'");
        /// # Ok::<(), csp_builder::BuildError>(())
        /// ```
        manifest_src => ManifestSrc,
        /// `media-src`.
        ///
        /// ```
        /// use csp_builder::{Policy, Source};
        /// assert_eq!(Policy::builder().media_src([Source::BLOB]).build()?.as_str(), "media-src blob:");
        /// # Ok::<(), csp_builder::BuildError>(())
        /// ```
        media_src => MediaSrc,
        /// `object-src`.
        ///
        /// ```
        /// use csp_builder::{Policy, Source};
        /// assert_eq!(Policy::builder().object_src([Source::NONE]).build()?.as_str(), "object-src 'none'");
        /// # Ok::<(), csp_builder::BuildError>(())
        /// ```
        object_src => ObjectSrc,
        /// `script-src`.
        ///
        /// ```
        /// use csp_builder::{Policy, Source};
        /// let p = Policy::builder().script_src([Source::SELF, Source::WASM_UNSAFE_EVAL]).build()?;
        /// assert_eq!(p.as_str(), "script-src 'self' 'wasm-unsafe-eval'");
        /// # Ok::<(), csp_builder::BuildError>(())
        /// ```
        script_src => ScriptSrc,
        /// `script-src-elem`.
        ///
        /// ```
        /// use csp_builder::{Policy, Source};
        /// assert_eq!(Policy::builder().script_src_elem([Source::SELF]).build()?.as_str(), "script-src-elem 'self'");
        /// # Ok::<(), csp_builder::BuildError>(())
        /// ```
        script_src_elem => ScriptSrcElem,
        /// `script-src-attr`.
        ///
        /// ```
        /// use csp_builder::{Policy, Source};
        /// assert_eq!(Policy::builder().script_src_attr([Source::NONE]).build()?.as_str(), "script-src-attr 'none'");
        /// # Ok::<(), csp_builder::BuildError>(())
        /// ```
        script_src_attr => ScriptSrcAttr,
        /// `style-src`.
        ///
        /// ```
        /// use csp_builder::{Policy, Source};
        /// assert_eq!(Policy::builder().style_src([Source::SELF]).build()?.as_str(), "style-src 'self'");
        /// # Ok::<(), csp_builder::BuildError>(())
        /// ```
        style_src => StyleSrc,
        /// `style-src-elem`.
        ///
        /// ```
        /// use csp_builder::{Policy, Source};
        /// assert_eq!(Policy::builder().style_src_elem([Source::SELF]).build()?.as_str(), "style-src-elem 'self'");
        /// # Ok::<(), csp_builder::BuildError>(())
        /// ```
        style_src_elem => StyleSrcElem,
        /// `style-src-attr`.
        ///
        /// ```
        /// use csp_builder::{Policy, Source};
        /// assert_eq!(Policy::builder().style_src_attr([Source::UNSAFE_HASHES]).build()?.as_str(), "style-src-attr 'unsafe-hashes'");
        /// # Ok::<(), csp_builder::BuildError>(())
        /// ```
        style_src_attr => StyleSrcAttr,
        /// `worker-src`.
        ///
        /// ```
        /// use csp_builder::{Policy, Source};
        /// assert_eq!(Policy::builder().worker_src([Source::SELF]).build()?.as_str(), "worker-src 'self'");
        /// # Ok::<(), csp_builder::BuildError>(())
        /// ```
        worker_src => WorkerSrc,
        /// `base-uri`.
        ///
        /// ```
        /// use csp_builder::{Policy, Source};
        /// assert_eq!(Policy::builder().base_uri([Source::NONE]).build()?.as_str(), "base-uri 'none'");
        /// # Ok::<(), csp_builder::BuildError>(())
        /// ```
        base_uri => BaseUri,
        /// `form-action`.
        ///
        /// ```
        /// use csp_builder::{Policy, Source};
        /// assert_eq!(Policy::builder().form_action([Source::SELF]).build()?.as_str(), "form-action 'self'");
        /// # Ok::<(), csp_builder::BuildError>(())
        /// ```
        form_action => FormAction,
        /// `frame-ancestors`: schemes, hosts, `'self'` or `'none'` only.
        ///
        /// ```
        /// use csp_builder::{BuildError, Policy, Source};
        /// assert_eq!(Policy::builder().frame_ancestors([Source::SELF]).build()?.as_str(), "frame-ancestors 'self'");
        /// assert!(matches!(
        ///     Policy::builder().frame_ancestors([Source::STRICT_DYNAMIC]).build(),
        ///     Err(BuildError::SourceNotAllowed { .. })
        /// ));
        /// # Ok::<(), BuildError>(())
        /// ```
        frame_ancestors => FrameAncestors,
    }

    /// `sandbox` with the given flags (none: the strictest sandbox).
    ///
    /// ```
    /// use csp_builder::{Policy, SandboxFlag};
    /// let p = Policy::builder().sandbox([SandboxFlag::AllowScripts]).build()?;
    /// assert_eq!(p.as_str(), "sandbox allow-scripts");
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    #[must_use]
    pub fn sandbox(self, flags: impl IntoIterator<Item = SandboxFlag>) -> PolicyBuilder {
        self.add(DirectiveName::Sandbox, flags.into_iter().map(Source::from))
    }

    /// `webrtc 'allow'` or `webrtc 'block'`.
    ///
    /// ```
    /// use csp_builder::{Policy, WebrtcPolicy};
    /// assert_eq!(Policy::builder().webrtc(WebrtcPolicy::Allow).build()?.as_str(), "webrtc 'allow'");
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    #[must_use]
    pub fn webrtc(self, value: WebrtcPolicy) -> PolicyBuilder {
        let text = match value {
            WebrtcPolicy::Allow => "'allow'",
            WebrtcPolicy::Block => "'block'",
        };
        match Source::token(text) {
            Ok(s) => self.add(DirectiveName::Webrtc, [s]),
            Err(e) => self.fail(e),
        }
    }

    /// `report-uri` (deprecated; prefer [`report_to`](Self::report_to)). Each URI must be
    /// visible ASCII without `;` and `,`.
    ///
    /// ```
    /// use csp_builder::{BuildError, Policy};
    /// assert_eq!(Policy::builder().report_uri(["/csp"]).build()?.as_str(), "report-uri /csp");
    /// assert!(matches!(Policy::builder().report_uri(["/a,b"]).build(), Err(BuildError::ForbiddenByte { .. })));
    /// # Ok::<(), BuildError>(())
    /// ```
    #[must_use]
    pub fn report_uri<U: AsRef<str>>(self, uris: impl IntoIterator<Item = U>) -> PolicyBuilder {
        self.strings(DirectiveName::ReportUri, uris)
    }

    /// `report-to` with a Reporting API endpoint name (an RFC 9110 token).
    ///
    /// ```
    /// use csp_builder::{BuildError, Policy};
    /// assert_eq!(Policy::builder().report_to("csp-endpoint").build()?.as_str(), "report-to csp-endpoint");
    /// assert!(matches!(Policy::builder().report_to("a/b").build(), Err(BuildError::InvalidDirectiveValue { .. })));
    /// # Ok::<(), BuildError>(())
    /// ```
    #[must_use]
    pub fn report_to(self, endpoint: &str) -> PolicyBuilder {
        self.strings(DirectiveName::ReportTo, [endpoint])
    }

    /// `upgrade-insecure-requests`.
    ///
    /// ```
    /// use csp_builder::Policy;
    /// assert_eq!(Policy::builder().upgrade_insecure_requests().build()?.as_str(), "upgrade-insecure-requests");
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    #[must_use]
    pub fn upgrade_insecure_requests(self) -> PolicyBuilder {
        self.add(DirectiveName::UpgradeInsecureRequests, [])
    }

    /// `block-all-mixed-content` (deprecated: browsers block mixed content by default).
    ///
    /// ```
    /// use csp_builder::Policy;
    /// assert_eq!(Policy::builder().block_all_mixed_content().build()?.as_str(), "block-all-mixed-content");
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    #[must_use]
    pub fn block_all_mixed_content(self) -> PolicyBuilder {
        self.add(DirectiveName::BlockAllMixedContent, [])
    }

    /// `require-trusted-types-for 'script'`.
    ///
    /// ```
    /// use csp_builder::Policy;
    /// let p = Policy::builder().require_trusted_types_for_script().build()?;
    /// assert_eq!(p.as_str(), "require-trusted-types-for 'script'");
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    #[must_use]
    pub fn require_trusted_types_for_script(self) -> PolicyBuilder {
        self.strings(DirectiveName::RequireTrustedTypesFor, ["'script'"])
    }

    /// `trusted-types` with policy names, `'allow-duplicates'`, `*`, or `'none'` alone.
    ///
    /// ```
    /// use csp_builder::Policy;
    /// let p = Policy::builder().trusted_types(["default", "'allow-duplicates'"]).build()?;
    /// assert_eq!(p.as_str(), "trusted-types default 'allow-duplicates'");
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    #[must_use]
    pub fn trusted_types<V: AsRef<str>>(
        self,
        values: impl IntoIterator<Item = V>,
    ) -> PolicyBuilder {
        self.strings(DirectiveName::TrustedTypes, values)
    }

    fn strings<V: AsRef<str>>(
        self,
        name: DirectiveName,
        values: impl IntoIterator<Item = V>,
    ) -> PolicyBuilder {
        if self.error.is_some() {
            return self;
        }
        let sources: Result<Vec<Source>, BuildError> = values
            .into_iter()
            .map(|v| Source::token(v.as_ref()))
            .collect();
        match sources {
            Ok(s) => self.add(name, s),
            Err(e) => self.fail(e),
        }
    }

    /// Adds a directive built with [`Directive::new`] or [`Directive::unknown`].
    ///
    /// ```
    /// use csp_builder::{Directive, DirectiveName, Policy, Source};
    /// let d = Directive::new(DirectiveName::FrameAncestors, [Source::NONE])?;
    /// assert_eq!(Policy::builder().directive(d).build()?.as_str(), "frame-ancestors 'none'");
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    #[must_use]
    pub fn directive(self, directive: Directive) -> PolicyBuilder {
        match directive.revalidated() {
            Ok(d) => self.push_directive(d),
            Err(e) => self.fail(e),
        }
    }

    /// Adds a directive by name with string values (see [`Directive::unknown`]).
    ///
    /// ```
    /// use csp_builder::Policy;
    /// let p = Policy::builder().unknown("fenced-frame-src", ["'self'"]).build()?;
    /// assert_eq!(p.as_str(), "fenced-frame-src 'self'");
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    #[must_use]
    pub fn unknown<V: AsRef<str>>(
        self,
        name: &str,
        values: impl IntoIterator<Item = V>,
    ) -> PolicyBuilder {
        if self.error.is_some() {
            return self;
        }
        match Directive::unknown(name, values) {
            Ok(d) => self.push_directive(d),
            Err(e) => self.fail(e),
        }
    }

    /// Adds a directive, replacing one of the same name if present (for per-route overrides).
    ///
    /// ```
    /// use csp_builder::{Directive, DirectiveName, Policy, Source};
    /// let base = Policy::builder().default_src([Source::SELF]).img_src([Source::SELF]).build()?;
    /// let route = base
    ///     .to_builder()
    ///     .replace(Directive::new(DirectiveName::ImgSrc, [Source::WILDCARD])?)
    ///     .build()?;
    /// assert_eq!(route.as_str(), "default-src 'self'; img-src *");
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    #[must_use]
    pub fn replace(mut self, directive: Directive) -> PolicyBuilder {
        match directive.revalidated() {
            Ok(d) => {
                if let Some(slot) = self.directives.iter_mut().find(|x| x.name() == d.name()) {
                    *slot = d;
                    self
                } else {
                    self.push_directive(d)
                }
            }
            Err(e) => self.fail(e),
        }
    }

    /// Removes a directive by name, if present.
    ///
    /// ```
    /// use csp_builder::{Policy, Source};
    /// let p = Policy::builder().img_src([Source::SELF]).object_src([Source::NONE]).remove("img-src").build()?;
    /// assert_eq!(p.as_str(), "object-src 'none'");
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    #[must_use]
    pub fn remove(mut self, name: &str) -> PolicyBuilder {
        self.directives
            .retain(|d| !d.name().eq_ignore_ascii_case(name));
        self
    }

    /// Sets the disposition (enforce by default).
    ///
    /// ```
    /// use csp_builder::{Disposition, Policy, Source};
    /// let p = Policy::builder().img_src([Source::SELF]).disposition(Disposition::Report).build()?;
    /// assert_eq!(p.disposition(), Disposition::Report);
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    #[must_use]
    pub fn disposition(mut self, disposition: Disposition) -> PolicyBuilder {
        self.disposition = disposition;
        self
    }

    /// Makes the policy report-only (`Content-Security-Policy-Report-Only`).
    ///
    /// ```
    /// use csp_builder::{Disposition, Policy, Source};
    /// let p = Policy::builder().img_src([Source::SELF]).report_only().build()?;
    /// assert_eq!(p.header_name(), csp_builder::CONTENT_SECURITY_POLICY_REPORT_ONLY);
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    #[must_use]
    pub fn report_only(self) -> PolicyBuilder {
        self.disposition(Disposition::Report)
    }

    /// Validates and builds the policy: the first error recorded by any method, or
    /// [`BuildError::EmptyPolicy`] without directives. The result serializes canonically and
    /// parses back to itself.
    ///
    /// ```
    /// use csp_builder::{BuildError, Policy, Source};
    /// let err = Policy::builder().img_src([Source::SELF]).img_src([Source::DATA]).build();
    /// assert_eq!(err, Err(BuildError::DuplicateDirective { directive: "img-src".into() }));
    /// ```
    pub fn build(self) -> Result<Policy, BuildError> {
        self.build_with_source(PolicySource::Header)
    }

    /// Validates and builds a policy for the `content` attribute of
    /// `<meta http-equiv="Content-Security-Policy">` (source `meta`, see
    /// [`Policy::parse_meta`]). Instead of letting the browser drop what a `<meta>` policy
    /// ignores, it refuses it: `report-uri`, `frame-ancestors` and `sandbox` are
    /// [`BuildError::IgnoredInMeta`] (CSP3 §6.2.2, §6.3.2, §6.4.1), and a report-only policy
    /// is [`BuildError::ReportOnlyInMeta`] (CSP3 §3.3). Otherwise the same checks as
    /// [`build`](PolicyBuilder::build).
    ///
    /// ```
    /// use csp_builder::{BuildError, Policy, PolicySource, Source};
    ///
    /// let meta = Policy::builder()
    ///     .default_src([Source::SELF])
    ///     .object_src([Source::NONE])
    ///     .build_for_meta()?;
    /// assert_eq!(meta.source(), PolicySource::Meta);
    /// assert_eq!(Policy::parse_meta(meta.as_str()).value, Some(meta));
    ///
    /// let err = Policy::builder()
    ///     .default_src([Source::SELF])
    ///     .frame_ancestors([Source::NONE])
    ///     .build_for_meta();
    /// assert_eq!(err, Err(BuildError::IgnoredInMeta { directive: "frame-ancestors".into() }));
    /// # Ok::<(), BuildError>(())
    /// ```
    pub fn build_for_meta(self) -> Result<Policy, BuildError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        if let Some(d) = self
            .directives
            .iter()
            .find(|d| d.known().is_some_and(DirectiveName::is_ignored_in_meta))
        {
            return Err(BuildError::IgnoredInMeta {
                directive: d.name().to_owned(),
            });
        }
        if self.disposition == Disposition::Report {
            return Err(BuildError::ReportOnlyInMeta);
        }
        self.build_with_source(PolicySource::Meta)
    }

    fn build_with_source(self, source: PolicySource) -> Result<Policy, BuildError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        if self.directives.is_empty() {
            return Err(BuildError::EmptyPolicy);
        }
        // The parser keeps at most MAX_VALUES_PER_POLICY values in a policy, all directives
        // together; the directive that would exceed it is refused here.
        let mut values = 0usize;
        for d in &self.directives {
            values += d.sources().len();
            if values > MAX_VALUES_PER_POLICY {
                return Err(BuildError::TooManyValues {
                    directive: d.name().to_owned(),
                    max: MAX_VALUES_PER_POLICY,
                });
            }
        }
        // The "; " separators come between directives, not after the last one.
        let len: usize = self
            .directives
            .iter()
            .map(|d| {
                d.name().len()
                    + 2
                    + d.sources()
                        .iter()
                        .map(|s| s.as_str().len() + 1)
                        .sum::<usize>()
            })
            .sum::<usize>()
            .saturating_sub(2);
        if len > MAX_INPUT_LEN {
            return Err(BuildError::TooLong {
                len,
                max: MAX_INPUT_LEN,
            });
        }
        let mut text = String::with_capacity(len);
        for (i, d) in self.directives.iter().enumerate() {
            if i > 0 {
                text.push_str("; ");
            }
            text.push_str(d.name());
            for s in d.sources() {
                text.push(' ');
                text.push_str(s.as_str());
            }
        }
        // Build through the parser: the policy is then exactly what a parser sees.
        let parsed = parse::parse_single(text.as_bytes(), Some(&text), source, self.disposition);
        match parsed.value {
            Some(p)
                if p.as_str() == text
                    && p.len() == self.directives.len()
                    && !parsed.has_errors() =>
            {
                Ok(p)
            }
            _ => Err(BuildError::NotRoundTrippable { serialized: text }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Keyword;

    fn base() -> PolicyBuilder {
        PolicyBuilder::new().script_src([Source::SELF, Source::keyword(Keyword::StrictDynamic)])
    }

    #[test]
    fn meta_policy_rejects_each_directive_a_meta_policy_ignores() {
        // CSP3 §6.2.2, §6.3.2, §6.4.1: sandbox, frame-ancestors and report-uri are ignored in
        // <meta>; every one of them is refused by name.
        let cases = [
            (base().frame_ancestors([Source::NONE]), "frame-ancestors"),
            (base().sandbox([SandboxFlag::AllowScripts]), "sandbox"),
            (base().report_uri(["/csp"]), "report-uri"),
        ];
        for (builder, name) in cases {
            assert_eq!(
                builder.build_for_meta(),
                Err(BuildError::IgnoredInMeta {
                    directive: name.to_owned()
                })
            );
        }
        for name in DirectiveName::ALL {
            let refused = base()
                .push_directive(Directive::from_parts_unchecked(
                    Some(*name),
                    name.as_str(),
                    Vec::new(),
                ))
                .build_for_meta();
            assert_eq!(
                matches!(refused, Err(BuildError::IgnoredInMeta { .. })),
                name.is_ignored_in_meta(),
                "{name}"
            );
        }
    }

    #[test]
    fn meta_policy_is_built_with_source_meta_and_parses_back_from_meta() {
        let meta = base()
            .object_src([Source::NONE])
            .build_for_meta()
            .expect("valid meta policy");
        assert_eq!(meta.source(), PolicySource::Meta);
        assert_eq!(
            meta.as_str(),
            "script-src 'self' 'strict-dynamic'; object-src 'none'"
        );
        let parsed = Policy::parse_meta(meta.as_str());
        assert!(parsed.diagnostics.is_empty());
        assert_eq!(parsed.value, Some(meta.clone()));
        // The same directives built for a header differ only in their source.
        let header = base().object_src([Source::NONE]).build().expect("valid");
        assert_eq!(header.source(), PolicySource::Header);
        assert_eq!(header.as_str(), meta.as_str());
    }

    #[test]
    fn meta_policy_cannot_be_report_only() {
        // CSP3 §3.3: report-only policies are not supported in a <meta> element.
        assert_eq!(
            base().report_only().build_for_meta(),
            Err(BuildError::ReportOnlyInMeta)
        );
    }

    #[test]
    fn meta_policy_reports_earlier_builder_errors_first() {
        let err = PolicyBuilder::new()
            .img_src([Source::SELF])
            .img_src([Source::DATA])
            .frame_ancestors([Source::NONE])
            .build_for_meta();
        assert_eq!(
            err,
            Err(BuildError::DuplicateDirective {
                directive: "img-src".into()
            })
        );
        assert_eq!(
            PolicyBuilder::new().build_for_meta(),
            Err(BuildError::EmptyPolicy)
        );
    }
}
