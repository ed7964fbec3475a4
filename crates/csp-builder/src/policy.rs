//! The owned, validated policy and policy list, and borrowed typed views into them.

use std::fmt;
use std::str::FromStr;

use crate::builder::PolicyBuilder;
use crate::compiled::CompiledPolicy;
use crate::grammar::{self, HostParts};
use crate::model::{
    DirectiveName, Disposition, HashAlgorithm, Keyword, PolicySource, SandboxFlag, SourceKind,
};
use crate::parse::{self, Parsed};
use crate::source::{Directive, Source};

/// One directive of a policy: its name and the range of its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct DirectiveEntry {
    pub(crate) name: Option<DirectiveName>,
    pub(crate) name_start: u32,
    pub(crate) name_end: u32,
    pub(crate) text_start: u32,
    pub(crate) text_end: u32,
    pub(crate) values_start: u32,
    pub(crate) values_end: u32,
}

/// One classified value: kind plus its span in the policy text. The parts of a host source
/// (scheme, host, port, path) are found again from the text when asked for, so parsing only
/// decides the kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct ValueEntry {
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub(crate) kind: SourceKind,
}

impl ValueEntry {
    #[inline]
    pub(crate) fn new(start: usize, end: usize, kind: SourceKind) -> ValueEntry {
        // Offsets are below MAX_INPUT_LEN (256 KiB), so they fit.
        debug_assert!(end <= crate::parse::MAX_INPUT_LEN * 2);
        ValueEntry {
            start: start as u32,
            end: end as u32,
            kind,
        }
    }
}

/// A Content Security Policy: an ordered set of directives with a disposition (enforce or
/// report) and a source (header or `<meta>`).
///
/// A `Policy` is built only by the [builder](Policy::builder) or the parser, so it always holds
/// at least one directive and serializes to a valid header value. It keeps one text buffer in
/// canonical form plus flat tables of directives and classified values; the accessors return
/// borrowed typed views ([`DirectiveRef`], [`SourceRef`]).
///
/// Canonical form (what [`Display`](fmt::Display) writes): directive names lowercase, values
/// separated by one space, directives by `"; "`, no leading or trailing whitespace or `;`.
/// Keywords and `'none'` are lowercased, as are the `'nonce-` / `'sha256-` prefixes, scheme
/// sources and the scheme of host sources (all case-insensitive in CSP3). Hosts, paths, nonce
/// and hash values, invalid sources and the values of non-source-list directives keep their
/// case. Ignored directives and ignored tokens are not kept.
///
/// ```
/// use csp_builder::{DirectiveName, Policy, Source};
///
/// let policy = Policy::builder()
///     .default_src([Source::SELF])
///     .script_src([Source::SELF, Source::host("https://cdn.example")?])
///     .build()?;
/// assert_eq!(policy.to_string(), "default-src 'self'; script-src 'self' https://cdn.example");
///
/// let parsed = Policy::parse("DEFAULT-SRC  'SELF' ;script-src 'self' https://cdn.example;");
/// assert_eq!(parsed.value, Some(policy.clone()));
/// assert_eq!(policy.directive(DirectiveName::ScriptSrc).map(|d| d.len()), Some(2));
/// # Ok::<(), csp_builder::BuildError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Policy {
    pub(crate) text: String,
    pub(crate) directives: Vec<DirectiveEntry>,
    pub(crate) values: Vec<ValueEntry>,
    pub(crate) disposition: Disposition,
    pub(crate) source: PolicySource,
}

impl Policy {
    /// Starts a validating builder.
    ///
    /// ```
    /// use csp_builder::{Policy, Source};
    /// let p = Policy::builder().object_src([Source::NONE]).build()?;
    /// assert_eq!(p.to_string(), "object-src 'none'");
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    #[must_use]
    pub fn builder() -> PolicyBuilder {
        PolicyBuilder::new()
    }

    /// CSP3 §2.2.1 "parse a serialized CSP" with source `header` and disposition `enforce`:
    /// one policy, not split on commas. Never fails: `value` is `None` when no directive
    /// survives (the spec's "could not be parsed"), and `diagnostics` says what was ignored.
    ///
    /// ```
    /// use csp_builder::Policy;
    /// let parsed = Policy::parse("script-src 'self'; script-src https://a");
    /// assert_eq!(parsed.value.map(|p| p.to_string()).as_deref(), Some("script-src 'self'"));
    /// assert_eq!(parsed.diagnostics.len(), 1);
    /// ```
    #[must_use]
    pub fn parse(serialized: &str) -> Parsed<Option<Policy>> {
        parse::parse_single(
            serialized.as_bytes(),
            Some(serialized),
            PolicySource::Header,
            Disposition::Enforce,
        )
    }

    /// Like [`Policy::parse`], for a byte sequence, which CSP3 §2.2.1 step 1 isomorphic-decodes:
    /// each byte ≥ 0x80 is a non-ASCII code point, so the token holding it is skipped.
    ///
    /// ```
    /// use csp_builder::Policy;
    /// let parsed = Policy::parse_bytes(b"img-src 'self'; script-src h\xe9llo");
    /// assert_eq!(parsed.value.map(|p| p.to_string()).as_deref(), Some("img-src 'self'"));
    /// ```
    #[must_use]
    pub fn parse_bytes(serialized: &[u8]) -> Parsed<Option<Policy>> {
        parse::parse_single(serialized, None, PolicySource::Header, Disposition::Enforce)
    }

    /// Parses with an explicit source and disposition.
    ///
    /// ```
    /// use csp_builder::{Disposition, Policy, PolicySource};
    /// let p = Policy::parse_with(b"img-src *", PolicySource::Header, Disposition::Report).value;
    /// assert_eq!(p.map(|p| p.disposition()), Some(Disposition::Report));
    /// ```
    #[must_use]
    pub fn parse_with(
        serialized: &[u8],
        source: PolicySource,
        disposition: Disposition,
    ) -> Parsed<Option<Policy>> {
        parse::parse_single(serialized, None, source, disposition)
    }

    /// Parses the `content` of `<meta http-equiv="Content-Security-Policy">`: one serialized
    /// policy (not split on commas) with source `meta` and disposition `enforce`; `report-uri`,
    /// `frame-ancestors` and `sandbox` are ignored (removed, with a
    /// [`MetaIgnored`](crate::DiagnosticKind::MetaIgnored) diagnostic). CSP3 §3.3: report-only
    /// policies are not supported in `<meta>`.
    ///
    /// ```
    /// use csp_builder::{DiagnosticKind, Policy};
    /// let parsed = Policy::parse_meta("script-src 'self'; frame-ancestors 'none'");
    /// assert_eq!(parsed.value.map(|p| p.to_string()).as_deref(), Some("script-src 'self'"));
    /// assert_eq!(parsed.diagnostics[0].kind(), DiagnosticKind::MetaIgnored);
    /// ```
    #[must_use]
    pub fn parse_meta(content: &str) -> Parsed<Option<Policy>> {
        parse::parse_single(
            content.as_bytes(),
            Some(content),
            PolicySource::Meta,
            Disposition::Enforce,
        )
    }

    /// The canonical serialization (the same text [`Display`](fmt::Display) writes).
    ///
    /// ```
    /// use csp_builder::Policy;
    /// let p = Policy::parse("img-src\t'SELF'").value;
    /// assert_eq!(p.as_ref().map(|p| p.as_str()), Some("img-src 'self'"));
    /// ```
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Enforce or report.
    ///
    /// ```
    /// use csp_builder::{Disposition, Policy, Source};
    /// let p = Policy::builder().img_src([Source::SELF]).report_only().build()?;
    /// assert_eq!(p.disposition(), Disposition::Report);
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    #[must_use]
    pub fn disposition(&self) -> Disposition {
        self.disposition
    }

    /// Header or `<meta>`.
    ///
    /// ```
    /// use csp_builder::{Policy, PolicySource, Source};
    /// let p = Policy::builder().img_src([Source::SELF]).build()?;
    /// assert_eq!(p.source(), PolicySource::Header);
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    #[must_use]
    pub fn source(&self) -> PolicySource {
        self.source
    }

    /// The same policy with another disposition (so one definition serves both the enforced
    /// and the report-only header).
    ///
    /// ```
    /// use csp_builder::{Disposition, Policy, Source};
    /// let p = Policy::builder().img_src([Source::SELF]).build()?;
    /// let ro = p.clone().with_disposition(Disposition::Report);
    /// assert_eq!(ro.header_name(), csp_builder::CONTENT_SECURITY_POLICY_REPORT_ONLY);
    /// assert_eq!(ro.as_str(), p.as_str());
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    #[must_use]
    pub fn with_disposition(mut self, disposition: Disposition) -> Policy {
        self.disposition = disposition;
        self
    }

    /// The header this policy is sent in, from its disposition.
    ///
    /// ```
    /// use csp_builder::{Policy, Source};
    /// let p = Policy::builder().img_src([Source::SELF]).build()?;
    /// assert_eq!(p.header_name(), csp_builder::CONTENT_SECURITY_POLICY);
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    #[must_use]
    pub fn header_name(&self) -> http::HeaderName {
        self.disposition.header_name()
    }

    /// The serialization as a header value.
    ///
    /// ```
    /// use csp_builder::{Policy, Source};
    /// let p = Policy::builder().img_src([Source::SELF]).build()?;
    /// assert_eq!(p.to_header_value(), "img-src 'self'");
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    #[must_use]
    pub fn to_header_value(&self) -> http::HeaderValue {
        header_value(self.text.clone())
    }

    /// Number of directives (always at least one).
    ///
    /// ```
    /// use csp_builder::Policy;
    /// assert_eq!(Policy::parse("a; b; a").value.map(|p| p.len()), Some(2));
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        self.directives.len()
    }

    /// Always `false`: an empty policy is never constructed (CSP3 drops it).
    ///
    /// ```
    /// use csp_builder::Policy;
    /// assert_eq!(Policy::parse("img-src *").value.map(|p| p.is_empty()), Some(false));
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.directives.is_empty()
    }

    /// The directives in order.
    ///
    /// ```
    /// use csp_builder::Policy;
    /// let p = Policy::parse("img-src *; foo bar").value;
    /// let names: Vec<_> = p.iter().flat_map(|p| p.directives()).map(|d| d.name().to_owned()).collect();
    /// assert_eq!(names, ["img-src", "foo"]);
    /// ```
    pub fn directives(&self) -> impl ExactSizeIterator<Item = DirectiveRef<'_>> + '_ {
        self.directives.iter().map(move |entry| DirectiveRef {
            policy: self,
            entry,
        })
    }

    /// The directive with a known name, if present.
    ///
    /// ```
    /// use csp_builder::{DirectiveName, Policy};
    /// let p = Policy::parse("img-src *").value;
    /// assert!(p.as_ref().and_then(|p| p.directive(DirectiveName::ImgSrc)).is_some());
    /// assert!(p.as_ref().and_then(|p| p.directive(DirectiveName::ScriptSrc)).is_none());
    /// ```
    #[must_use]
    pub fn directive(&self, name: DirectiveName) -> Option<DirectiveRef<'_>> {
        self.directives().find(|d| d.entry.name == Some(name))
    }

    /// The directive with the given name (ASCII case-insensitive), known or unknown.
    ///
    /// ```
    /// use csp_builder::Policy;
    /// let p = Policy::parse("Foo-Bar x").value;
    /// assert_eq!(p.as_ref().and_then(|p| p.get("FOO-bar")).map(|d| d.as_str()), Some("foo-bar x"));
    /// ```
    #[must_use]
    pub fn get(&self, name: &str) -> Option<DirectiveRef<'_>> {
        self.directives()
            .find(|d| d.name().eq_ignore_ascii_case(name))
    }

    /// Compiles the policy into a template that splices a fresh nonce into every nonce source
    /// per response (see [`CompiledPolicy`]).
    ///
    /// ```
    /// use csp_builder::{Nonce, Policy, Source};
    /// let p = Policy::builder().script_src([Source::NONCE_PLACEHOLDER, Source::STRICT_DYNAMIC]).build()?;
    /// let compiled = p.compile();
    /// let nonce = Nonce::from_random_bytes([7; 16]);
    /// assert_eq!(compiled.render_string(&nonce), format!("script-src 'nonce-{}' 'strict-dynamic'", nonce.as_str()));
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    #[must_use]
    pub fn compile(&self) -> CompiledPolicy {
        CompiledPolicy::new(self)
    }

    /// A builder holding this policy's directives, to extend or override (for example per
    /// route). Values that are invalid in a builder (invalid sources kept from parsing) make
    /// [`PolicyBuilder::build`] fail.
    ///
    /// ```
    /// use csp_builder::{Policy, Source};
    /// let base = Policy::builder().default_src([Source::SELF]).build()?;
    /// let route = base.to_builder().img_src([Source::scheme("data")?]).build()?;
    /// assert_eq!(route.as_str(), "default-src 'self'; img-src data:");
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    #[must_use]
    pub fn to_builder(&self) -> PolicyBuilder {
        let mut b = PolicyBuilder::new().disposition(self.disposition);
        for d in self.directives() {
            b = b.push_directive(d.to_directive());
        }
        b
    }

    fn text_at(&self, start: u32, end: u32) -> &str {
        self.text
            .get(start as usize..end as usize)
            .unwrap_or_default()
    }
}

pub(crate) fn header_value(text: String) -> http::HeaderValue {
    // The text holds only visible ASCII and spaces, so this cannot fail.
    http::HeaderValue::try_from(text).unwrap_or_else(|_| http::HeaderValue::from_static(""))
}

impl fmt::Display for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Why a string is not exactly one policy.
///
/// ```
/// use csp_builder::{Policy, PolicyParseError};
/// assert_eq!("".parse::<Policy>(), Err(PolicyParseError::NoPolicy));
/// assert_eq!("a b, c d".parse::<Policy>(), Err(PolicyParseError::MultiplePolicies(2)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyParseError {
    /// No directive survived parsing.
    #[error("the value holds no usable policy")]
    NoPolicy,
    /// The value is a comma-separated list of more than one policy.
    #[error("the value holds {0} policies, expected one")]
    MultiplePolicies(usize),
}

impl FromStr for Policy {
    type Err = PolicyParseError;

    /// Parses a header value that must hold exactly one policy (enforce disposition);
    /// diagnostics are dropped. Use [`Policy::parse`] or [`PolicyList::parse`] to see them.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut list = PolicyList::parse(s).value;
        match list.policies.len() {
            0 => Err(PolicyParseError::NoPolicy),
            1 => list.policies.pop().ok_or(PolicyParseError::NoPolicy),
            n => Err(PolicyParseError::MultiplePolicies(n)),
        }
    }
}

impl TryFrom<&http::HeaderValue> for Policy {
    type Error = PolicyParseError;

    fn try_from(value: &http::HeaderValue) -> Result<Self, Self::Error> {
        let mut list = PolicyList::from(value);
        match list.policies.len() {
            0 => Err(PolicyParseError::NoPolicy),
            1 => list.policies.pop().ok_or(PolicyParseError::NoPolicy),
            n => Err(PolicyParseError::MultiplePolicies(n)),
        }
    }
}

impl From<&Policy> for http::HeaderValue {
    fn from(policy: &Policy) -> Self {
        policy.to_header_value()
    }
}

/// A borrowed view of one directive of a [`Policy`].
///
/// ```
/// use csp_builder::{DirectiveName, Policy, SourceKind};
/// let p = Policy::parse("script-src 'self' https://a.example").value;
/// let d = p.as_ref().and_then(|p| p.directive(DirectiveName::ScriptSrc));
/// let kinds: Vec<_> = d.iter().flat_map(|d| d.sources()).map(|s| s.kind()).collect();
/// assert_eq!(kinds[1], SourceKind::Host);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct DirectiveRef<'a> {
    policy: &'a Policy,
    entry: &'a DirectiveEntry,
}

impl<'a> DirectiveRef<'a> {
    /// The lowercase name.
    ///
    /// ```
    /// use csp_builder::Policy;
    /// let p = Policy::parse("IMG-SRC *").value;
    /// assert_eq!(p.as_ref().and_then(|p| p.directives().next()).map(|d| d.name()), Some("img-src"));
    /// ```
    #[must_use]
    pub fn name(&self) -> &'a str {
        self.policy
            .text_at(self.entry.name_start, self.entry.name_end)
    }

    /// The known directive name, or `None` for an unknown directive.
    ///
    /// ```
    /// use csp_builder::{DirectiveName, Policy};
    /// let p = Policy::parse("img-src *; prefetch-src *").value;
    /// let known: Vec<_> = p.iter().flat_map(|p| p.directives()).map(|d| d.known()).collect();
    /// assert_eq!(known, [Some(DirectiveName::ImgSrc), None]);
    /// ```
    #[must_use]
    pub fn known(&self) -> Option<DirectiveName> {
        self.entry.name
    }

    /// The canonical text of the directive, name and values.
    ///
    /// ```
    /// use csp_builder::Policy;
    /// let p = Policy::parse("a; img-src  x   y").value;
    /// assert_eq!(p.as_ref().and_then(|p| p.directives().nth(1)).map(|d| d.as_str()), Some("img-src x y"));
    /// ```
    #[must_use]
    pub fn as_str(&self) -> &'a str {
        self.policy
            .text_at(self.entry.text_start, self.entry.text_end)
    }

    /// The values: classified source expressions for source-list directives,
    /// [`SourceKind::Token`] values for the others.
    ///
    /// ```
    /// use csp_builder::Policy;
    /// let p = Policy::parse("img-src a b c").value;
    /// assert_eq!(p.as_ref().and_then(|p| p.directives().next()).map(|d| d.sources().count()), Some(3));
    /// ```
    pub fn sources(&self) -> impl ExactSizeIterator<Item = SourceRef<'a>> + use<'a> {
        let policy = self.policy;
        policy
            .values
            .get(self.entry.values_start as usize..self.entry.values_end as usize)
            .unwrap_or_default()
            .iter()
            .map(move |entry| SourceRef {
                policy,
                entry: *entry,
            })
    }

    /// Number of values.
    ///
    /// ```
    /// use csp_builder::Policy;
    /// let p = Policy::parse("upgrade-insecure-requests").value;
    /// assert_eq!(p.as_ref().and_then(|p| p.directives().next()).map(|d| d.len()), Some(0));
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        (self.entry.values_end - self.entry.values_start) as usize
    }

    /// Whether the value is empty (a source list that matches nothing, or a flag directive).
    ///
    /// ```
    /// use csp_builder::Policy;
    /// let p = Policy::parse("script-src").value;
    /// assert_eq!(p.as_ref().and_then(|p| p.directives().next()).map(|d| d.is_empty()), Some(true));
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the source list holds the keyword.
    ///
    /// ```
    /// use csp_builder::{DirectiveName, Keyword, Policy};
    /// let p = Policy::parse("script-src 'STRICT-DYNAMIC'").value;
    /// let d = p.as_ref().and_then(|p| p.directive(DirectiveName::ScriptSrc));
    /// assert_eq!(d.map(|d| d.contains_keyword(Keyword::StrictDynamic)), Some(true));
    /// ```
    #[must_use]
    pub fn contains_keyword(&self, keyword: Keyword) -> bool {
        self.sources()
            .any(|s| s.kind() == SourceKind::Keyword(keyword))
    }

    /// The valid sandbox flags of a `sandbox` directive (invalid tokens are skipped, as HTML
    /// does); empty for other directives.
    ///
    /// ```
    /// use csp_builder::{DirectiveName, Policy, SandboxFlag};
    /// let p = Policy::parse("sandbox allow-scripts bogus").value;
    /// let d = p.as_ref().and_then(|p| p.directive(DirectiveName::Sandbox));
    /// let flags: Vec<_> = d.iter().flat_map(|d| d.sandbox_flags()).collect();
    /// assert_eq!(flags, [SandboxFlag::AllowScripts]);
    /// ```
    pub fn sandbox_flags(&self) -> impl Iterator<Item = SandboxFlag> + use<'a> {
        let is_sandbox = self.entry.name == Some(DirectiveName::Sandbox);
        self.sources()
            .filter(move |_| is_sandbox)
            .filter_map(|s| SandboxFlag::from_token(s.as_str()))
    }

    /// An owned copy, for a builder.
    ///
    /// ```
    /// use csp_builder::{Policy, Source};
    /// let p = Policy::parse("img-src 'self'").value;
    /// let d = p.as_ref().and_then(|p| p.directives().next()).map(|d| d.to_directive());
    /// assert_eq!(d.map(|d| d.sources().to_vec()), Some(vec![Source::SELF]));
    /// ```
    #[must_use]
    pub fn to_directive(&self) -> Directive {
        Directive::from_parts_unchecked(
            self.entry.name,
            self.name(),
            self.sources().map(|s| s.to_source()).collect(),
        )
    }
}

/// A borrowed view of one value (source expression) of a directive.
///
/// ```
/// use csp_builder::{Policy, SourceKind};
/// let p = Policy::parse("img-src HTTPS://*.Example.com:8443/a/").value;
/// let s = p.as_ref().and_then(|p| p.directives().next()).and_then(|d| d.sources().next());
/// let s = s.as_ref();
/// assert_eq!(s.map(|s| s.kind()), Some(SourceKind::Host));
/// assert_eq!(s.and_then(|s| s.scheme()), Some("https"));
/// assert_eq!(s.and_then(|s| s.host()), Some("*.Example.com"));
/// assert_eq!(s.and_then(|s| s.port()), Some("8443"));
/// assert_eq!(s.and_then(|s| s.path()), Some("/a/"));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct SourceRef<'a> {
    policy: &'a Policy,
    entry: ValueEntry,
}

impl<'a> SourceRef<'a> {
    /// The kind of source expression.
    ///
    /// ```
    /// use csp_builder::{Keyword, Policy, SourceKind};
    /// let p = Policy::parse("img-src 'self'").value;
    /// let s = p.as_ref().and_then(|p| p.directives().next()).and_then(|d| d.sources().next());
    /// assert_eq!(s.map(|s| s.kind()), Some(SourceKind::Keyword(Keyword::SelfOrigin)));
    /// ```
    #[must_use]
    pub fn kind(&self) -> SourceKind {
        self.entry.kind
    }

    /// The canonical text.
    ///
    /// ```
    /// use csp_builder::Policy;
    /// let p = Policy::parse("img-src 'NONE'").value;
    /// let s = p.as_ref().and_then(|p| p.directives().next()).and_then(|d| d.sources().next());
    /// assert_eq!(s.map(|s| s.as_str()), Some("'none'"));
    /// ```
    #[must_use]
    pub fn as_str(&self) -> &'a str {
        self.policy.text_at(self.entry.start, self.entry.end)
    }

    /// Byte range of the value in the policy text.
    pub(crate) fn text_span(&self) -> (u32, u32) {
        (self.entry.start, self.entry.end)
    }

    fn part(&self, from: u32, to: u32) -> &'a str {
        self.policy
            .text_at(self.entry.start + from, self.entry.start + to)
    }

    /// Where the parts of a host source are, for a host source.
    fn host_parts(&self) -> Option<HostParts> {
        (self.entry.kind == SourceKind::Host).then(|| grammar::host_parts(self.as_str().as_bytes()))
    }

    /// A part of the text by offsets from `host_parts` (which fit: the text is at most
    /// `MAX_INPUT_LEN` long).
    fn host_part(&self, from: usize, to: usize) -> &'a str {
        self.as_str().get(from..to).unwrap_or_default()
    }

    /// The keyword, for a keyword source.
    ///
    /// ```
    /// use csp_builder::{Keyword, Policy};
    /// let p = Policy::parse("script-src 'unsafe-eval'").value;
    /// let s = p.as_ref().and_then(|p| p.directives().next()).and_then(|d| d.sources().next());
    /// assert_eq!(s.and_then(|s| s.keyword()), Some(Keyword::UnsafeEval));
    /// ```
    #[must_use]
    pub fn keyword(&self) -> Option<Keyword> {
        match self.entry.kind {
            SourceKind::Keyword(k) => Some(k),
            _ => None,
        }
    }

    /// The nonce value (between `'nonce-` and `'`), for a nonce source.
    ///
    /// ```
    /// use csp_builder::Policy;
    /// let p = Policy::parse("script-src 'NONCE-abc123'").value;
    /// let s = p.as_ref().and_then(|p| p.directives().next()).and_then(|d| d.sources().next());
    /// assert_eq!(s.and_then(|s| s.nonce()), Some("abc123"));
    /// ```
    #[must_use]
    pub fn nonce(&self) -> Option<&'a str> {
        let len = self.entry.end - self.entry.start;
        (self.entry.kind == SourceKind::Nonce).then(|| self.part(7, len - 1))
    }

    /// The algorithm and base64 value, for a hash source.
    ///
    /// ```
    /// use csp_builder::{HashAlgorithm, Policy};
    /// let p = Policy::parse("script-src 'sha384-abc='").value;
    /// let s = p.as_ref().and_then(|p| p.directives().next()).and_then(|d| d.sources().next());
    /// assert_eq!(s.and_then(|s| s.hash()), Some((HashAlgorithm::Sha384, "abc=")));
    /// ```
    #[must_use]
    pub fn hash(&self) -> Option<(HashAlgorithm, &'a str)> {
        let len = self.entry.end - self.entry.start;
        match self.entry.kind {
            SourceKind::Hash(a) => Some((a, self.part(8, len - 1))),
            _ => None,
        }
    }

    /// The lowercase scheme, for a scheme source or a host source with a scheme.
    ///
    /// ```
    /// use csp_builder::Policy;
    /// let p = Policy::parse("img-src Data:").value;
    /// let s = p.as_ref().and_then(|p| p.directives().next()).and_then(|d| d.sources().next());
    /// assert_eq!(s.and_then(|s| s.scheme()), Some("data"));
    /// ```
    #[must_use]
    pub fn scheme(&self) -> Option<&'a str> {
        let len = self.entry.end - self.entry.start;
        match self.entry.kind {
            SourceKind::Scheme => Some(self.part(0, len - 1)),
            SourceKind::Host => self
                .host_parts()
                .filter(|p| p.host_start > 0)
                .map(|p| self.host_part(0, p.host_start - 3)),
            _ => None,
        }
    }

    /// The host as written (`*`, `*.example.com`, `example.com`), for a host source.
    ///
    /// ```
    /// use csp_builder::Policy;
    /// let p = Policy::parse("img-src *").value;
    /// let s = p.as_ref().and_then(|p| p.directives().next()).and_then(|d| d.sources().next());
    /// assert_eq!(s.and_then(|s| s.host()), Some("*"));
    /// ```
    #[must_use]
    pub fn host(&self) -> Option<&'a str> {
        self.host_parts()
            .map(|p| self.host_part(p.host_start, p.host_end))
    }

    /// The port (digits or `*`), for a host source that has one.
    ///
    /// ```
    /// use csp_builder::Policy;
    /// let p = Policy::parse("img-src a.example:*").value;
    /// let s = p.as_ref().and_then(|p| p.directives().next()).and_then(|d| d.sources().next());
    /// assert_eq!(s.and_then(|s| s.port()), Some("*"));
    /// ```
    #[must_use]
    pub fn port(&self) -> Option<&'a str> {
        self.host_parts()
            .filter(|p| p.port_end > p.host_end)
            .map(|p| self.host_part(p.host_end + 1, p.port_end))
    }

    /// The path, for a host source that has one.
    ///
    /// ```
    /// use csp_builder::Policy;
    /// let p = Policy::parse("img-src a.example/x/y.js").value;
    /// let s = p.as_ref().and_then(|p| p.directives().next()).and_then(|d| d.sources().next());
    /// assert_eq!(s.and_then(|s| s.path()), Some("/x/y.js"));
    /// ```
    #[must_use]
    pub fn path(&self) -> Option<&'a str> {
        let len = self.as_str().len();
        self.host_parts()
            .filter(|p| len > p.port_end)
            .map(|p| self.host_part(p.port_end, len))
    }

    /// An owned copy.
    ///
    /// ```
    /// use csp_builder::{Policy, Source};
    /// let p = Policy::parse("img-src 'self'").value;
    /// let s = p.as_ref().and_then(|p| p.directives().next()).and_then(|d| d.sources().next());
    /// assert_eq!(s.map(|s| s.to_source()), Some(Source::SELF));
    /// ```
    #[must_use]
    pub fn to_source(&self) -> Source {
        Source::from_parts_unchecked(self.as_str(), self.entry.kind)
    }
}

impl fmt::Display for SourceRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for DirectiveRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A CSP list: the policies of one or more header values, each enforced or monitored
/// independently (a directive repeated in two policies is not a duplicate).
///
/// ```
/// use csp_builder::{Disposition, PolicyList};
/// let list = PolicyList::parse("script-src 'self', object-src 'none'").value;
/// assert_eq!(list.len(), 2);
/// assert_eq!(list.to_string(), "script-src 'self', object-src 'none'");
/// let ro = PolicyList::parse_with_disposition("img-src *", Disposition::Report).value;
/// assert_eq!(ro.policies()[0].disposition(), Disposition::Report);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct PolicyList {
    pub(crate) policies: Policies,
}

/// The policies of a [`PolicyList`]. Nearly every header value holds one policy, so a single
/// policy is stored inline and parsing it allocates no list; compares, hashes and prints as
/// the slice of policies.
#[derive(Clone, Default)]
pub(crate) enum Policies {
    #[default]
    Empty,
    One(Policy),
    Many(Vec<Policy>),
}

impl Policies {
    pub(crate) fn as_slice(&self) -> &[Policy] {
        match self {
            Policies::Empty => &[],
            Policies::One(p) => std::slice::from_ref(p),
            Policies::Many(v) => v,
        }
    }

    pub(crate) fn push(&mut self, policy: Policy) {
        *self = match std::mem::take(self) {
            Policies::Empty => Policies::One(policy),
            Policies::One(first) => Policies::Many(vec![first, policy]),
            Policies::Many(mut v) => {
                v.push(policy);
                Policies::Many(v)
            }
        };
    }

    pub(crate) fn pop(&mut self) -> Option<Policy> {
        match std::mem::take(self) {
            Policies::Empty => None,
            Policies::One(p) => Some(p),
            Policies::Many(mut v) => {
                let last = v.pop();
                *self = Policies::Many(v);
                last
            }
        }
    }

    pub(crate) fn extend(&mut self, other: Policies) {
        match other {
            Policies::Empty => {}
            Policies::One(p) => self.push(p),
            Policies::Many(v) => {
                for p in v {
                    self.push(p);
                }
            }
        }
    }
}

impl std::ops::Deref for Policies {
    type Target = [Policy];

    fn deref(&self) -> &[Policy] {
        self.as_slice()
    }
}

impl From<Vec<Policy>> for Policies {
    fn from(v: Vec<Policy>) -> Policies {
        Policies::Many(v)
    }
}

impl PartialEq for Policies {
    fn eq(&self, other: &Policies) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for Policies {}

impl std::hash::Hash for Policies {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_slice().hash(state);
    }
}

impl fmt::Debug for Policies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

impl PolicyList {
    pub(crate) fn from_policies(policies: Policies) -> PolicyList {
        PolicyList { policies }
    }

    /// A list from policies.
    ///
    /// ```
    /// use csp_builder::{Policy, PolicyList, Source};
    /// let a = Policy::builder().img_src([Source::SELF]).build()?;
    /// let list = PolicyList::new(vec![a.clone(), a]);
    /// assert_eq!(list.len(), 2);
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    #[must_use]
    pub fn new(policies: Vec<Policy>) -> PolicyList {
        PolicyList {
            policies: Policies::from(policies),
        }
    }

    /// Parses a `Content-Security-Policy` header value (disposition enforce): CSP3 §2.2.2,
    /// every comma-separated item is a policy, empty ones are dropped. Never fails.
    ///
    /// ```
    /// use csp_builder::PolicyList;
    /// let parsed = PolicyList::parse(", ,script-src 'self',");
    /// assert_eq!(parsed.value.to_string(), "script-src 'self'");
    /// ```
    #[must_use]
    pub fn parse(header_value: &str) -> Parsed<PolicyList> {
        parse::parse_policy_list(
            header_value.as_bytes(),
            Some(header_value),
            Disposition::Enforce,
        )
    }

    /// Parses a header value with the given disposition (`Report` for
    /// `Content-Security-Policy-Report-Only`).
    ///
    /// ```
    /// use csp_builder::{Disposition, PolicyList};
    /// let parsed = PolicyList::parse_with_disposition("img-src *", Disposition::Report);
    /// assert_eq!(parsed.value.policies()[0].disposition(), Disposition::Report);
    /// ```
    #[must_use]
    pub fn parse_with_disposition(
        header_value: &str,
        disposition: Disposition,
    ) -> Parsed<PolicyList> {
        parse::parse_policy_list(header_value.as_bytes(), Some(header_value), disposition)
    }

    /// Parses header bytes (isomorphic decoding, CSP3 §2.2.1 step 1).
    ///
    /// ```
    /// use csp_builder::{Disposition, PolicyList};
    /// let parsed = PolicyList::parse_bytes(b"img-src \xa0x, img-src *", Disposition::Enforce);
    /// assert_eq!(parsed.value.to_string(), "img-src *");
    /// ```
    #[must_use]
    pub fn parse_bytes(header_value: &[u8], disposition: Disposition) -> Parsed<PolicyList> {
        parse::parse_policy_list(header_value, None, disposition)
    }

    /// Parses several header lines of one header (CSP3 §2.2.2: each item of each line is a
    /// policy). Diagnostic spans are offsets into the concatenation of the lines.
    ///
    /// ```
    /// use csp_builder::{Disposition, PolicyList};
    /// let lines = [http::HeaderValue::from_static("img-src *"), http::HeaderValue::from_static("script-src 'self'")];
    /// let parsed = PolicyList::parse_header_values(&lines, Disposition::Enforce);
    /// assert_eq!(parsed.value.len(), 2);
    /// ```
    #[must_use]
    pub fn parse_header_values<'a>(
        values: impl IntoIterator<Item = &'a http::HeaderValue>,
        disposition: Disposition,
    ) -> Parsed<PolicyList> {
        let mut policies = Policies::default();
        let mut diagnostics = Vec::new();
        let mut base = 0usize;
        let mut index = 0u32;
        for v in values {
            parse::parse_policy_list_into(
                v.as_bytes(),
                None,
                base,
                disposition,
                &mut policies,
                &mut diagnostics,
                &mut index,
            );
            base += v.len();
        }
        Parsed {
            value: PolicyList { policies },
            diagnostics,
        }
    }

    /// All `Content-Security-Policy` (enforce) and `Content-Security-Policy-Report-Only`
    /// (report) policies of a response (CSP3 §2.2.2).
    ///
    /// ```
    /// use csp_builder::{Disposition, PolicyList, CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_REPORT_ONLY};
    /// let mut headers = http::HeaderMap::new();
    /// headers.append(CONTENT_SECURITY_POLICY, http::HeaderValue::from_static("img-src *"));
    /// headers.append(CONTENT_SECURITY_POLICY_REPORT_ONLY, http::HeaderValue::from_static("script-src 'none'"));
    /// let list = PolicyList::from_headers(&headers).value;
    /// assert_eq!(list.policies()[1].disposition(), Disposition::Report);
    /// ```
    #[must_use]
    pub fn from_headers(headers: &http::HeaderMap) -> Parsed<PolicyList> {
        let mut enforce = Self::parse_header_values(
            headers.get_all(crate::CONTENT_SECURITY_POLICY),
            Disposition::Enforce,
        );
        let report = Self::parse_header_values(
            headers.get_all(crate::CONTENT_SECURITY_POLICY_REPORT_ONLY),
            Disposition::Report,
        );
        enforce.value.policies.extend(report.value.policies);
        enforce.diagnostics.extend(report.diagnostics);
        enforce
    }

    /// The policies.
    ///
    /// ```
    /// use csp_builder::PolicyList;
    /// assert!(PolicyList::parse("").value.policies().is_empty());
    /// ```
    #[must_use]
    pub fn policies(&self) -> &[Policy] {
        &self.policies
    }

    /// Number of policies.
    ///
    /// ```
    /// use csp_builder::PolicyList;
    /// assert_eq!(PolicyList::parse("a, b").value.len(), 2);
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        self.policies.len()
    }

    /// Whether there is no policy.
    ///
    /// ```
    /// use csp_builder::PolicyList;
    /// assert!(PolicyList::parse(" , ").value.is_empty());
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.policies.is_empty()
    }

    /// Adds a policy.
    ///
    /// ```
    /// use csp_builder::{Policy, PolicyList, Source};
    /// let mut list = PolicyList::default();
    /// list.push(Policy::builder().img_src([Source::SELF]).build()?);
    /// assert_eq!(list.to_string(), "img-src 'self'");
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    pub fn push(&mut self, policy: Policy) {
        self.policies.push(policy);
    }

    /// The list as one header value (policies joined with `", "`), or `None` when empty.
    ///
    /// ```
    /// use csp_builder::PolicyList;
    /// let list = PolicyList::parse("a b, c d").value;
    /// assert_eq!(list.to_header_value(), Some(http::HeaderValue::from_static("a b, c d")));
    /// ```
    #[must_use]
    pub fn to_header_value(&self) -> Option<http::HeaderValue> {
        (!self.policies.is_empty()).then(|| header_value(self.to_string()))
    }
}

impl fmt::Display for PolicyList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.policies.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(&p.text)?;
        }
        Ok(())
    }
}

impl FromStr for PolicyList {
    type Err = std::convert::Infallible;

    /// Parses a header value (enforce); diagnostics are dropped.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(PolicyList::parse(s).value)
    }
}

impl From<&http::HeaderValue> for PolicyList {
    /// Parses a header value's bytes (enforce); diagnostics are dropped.
    fn from(value: &http::HeaderValue) -> Self {
        PolicyList::parse_bytes(value.as_bytes(), Disposition::Enforce).value
    }
}

impl<'a> IntoIterator for &'a PolicyList {
    type Item = &'a Policy;
    type IntoIter = std::slice::Iter<'a, Policy>;

    fn into_iter(self) -> Self::IntoIter {
        self.policies.iter()
    }
}
