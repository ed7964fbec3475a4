//! Small value types of the CSP model: directive names, keywords, hash algorithms, sandbox
//! flags, the kind of a source expression, and a policy's disposition and source.

use std::fmt;

/// Generates the directive-name enum with its canonical (lowercase) names.
macro_rules! directive_names {
    ($( $(#[$doc:meta])* $variant:ident => $name:literal, )*) => {
        /// The name of a directive this crate knows (CSP3 and the specs around it).
        ///
        /// Directive names are ASCII case-insensitive (CSP3 §2.2.1 step 4 lowercases them).
        /// Names not listed here (including obsolete ones such as `prefetch-src`, `navigate-to`,
        /// `plugin-types`, `referrer`, `reflected-xss`, `disown-opener`, `require-sri-for`)
        /// are kept by the parser as *unknown* directives, which have no effect.
        ///
        /// ```
        /// use csp_builder::DirectiveName;
        /// assert_eq!(DirectiveName::from_name("Script-Src"), Some(DirectiveName::ScriptSrc));
        /// assert_eq!(DirectiveName::FrameAncestors.as_str(), "frame-ancestors");
        /// assert_eq!(DirectiveName::from_name("navigate-to"), None);
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum DirectiveName {
            $( $(#[$doc])* $variant, )*
        }

        impl DirectiveName {
            /// Every known directive name, in declaration order.
            ///
            /// ```
            /// use csp_builder::DirectiveName;
            /// assert!(DirectiveName::ALL.contains(&DirectiveName::Webrtc));
            /// ```
            pub const ALL: &'static [DirectiveName] = &[ $( DirectiveName::$variant, )* ];

            /// The canonical (lowercase) name.
            ///
            /// ```
            /// use csp_builder::DirectiveName;
            /// assert_eq!(DirectiveName::ScriptSrcElem.as_str(), "script-src-elem");
            /// ```
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self { $( DirectiveName::$variant => $name, )* }
            }

            /// Looks a name up ASCII case-insensitively, without allocating.
            ///
            /// ```
            /// use csp_builder::DirectiveName;
            /// assert_eq!(DirectiveName::from_name("IMG-SRC"), Some(DirectiveName::ImgSrc));
            /// ```
            #[must_use]
            pub fn from_name(name: &str) -> Option<DirectiveName> {
                let mut lower = [0u8; 32];
                let dst = lower.get_mut(..name.len())?;
                dst.copy_from_slice(name.as_bytes());
                dst.make_ascii_lowercase();
                Self::from_lowercase(dst)
            }

        }
    };
}

directive_names! {
    /// `child-src` (CSP3 §6.1.1).
    ChildSrc => "child-src",
    /// `connect-src` (CSP3 §6.1.2).
    ConnectSrc => "connect-src",
    /// `default-src` (CSP3 §6.1.3).
    DefaultSrc => "default-src",
    /// `font-src` (CSP3 §6.1.4).
    FontSrc => "font-src",
    /// `frame-src` (CSP3 §6.1.5).
    FrameSrc => "frame-src",
    /// `img-src` (CSP3 §6.1.6).
    ImgSrc => "img-src",
    /// `manifest-src` (CSP3 §6.1.7).
    ManifestSrc => "manifest-src",
    /// `media-src` (CSP3 §6.1.8).
    MediaSrc => "media-src",
    /// `object-src` (CSP3 §6.1.9).
    ObjectSrc => "object-src",
    /// `script-src` (CSP3 §6.1.10).
    ScriptSrc => "script-src",
    /// `script-src-elem` (CSP3 §6.1.11).
    ScriptSrcElem => "script-src-elem",
    /// `script-src-attr` (CSP3 §6.1.12).
    ScriptSrcAttr => "script-src-attr",
    /// `style-src` (CSP3 §6.1.13).
    StyleSrc => "style-src",
    /// `style-src-elem` (CSP3 §6.1.14).
    StyleSrcElem => "style-src-elem",
    /// `style-src-attr` (CSP3 §6.1.15).
    StyleSrcAttr => "style-src-attr",
    /// `webrtc` (CSP3 §6.1.16): `'allow'` or `'block'`.
    Webrtc => "webrtc",
    /// `worker-src` (CSP3 §6.1.17).
    WorkerSrc => "worker-src",
    /// `base-uri` (CSP3 §6.2.1).
    BaseUri => "base-uri",
    /// `sandbox` (CSP3 §6.2.2): sandboxing flag tokens; ignored in `<meta>`.
    Sandbox => "sandbox",
    /// `form-action` (CSP3 §6.3.1).
    FormAction => "form-action",
    /// `frame-ancestors` (CSP3 §6.3.2): ancestor source list; ignored in `<meta>`.
    FrameAncestors => "frame-ancestors",
    /// `report-uri` (CSP3 §6.4.1, deprecated in favour of `report-to`); ignored in `<meta>`.
    ReportUri => "report-uri",
    /// `report-to` (CSP3 §6.4.2): one reporting endpoint name.
    ReportTo => "report-to",
    /// `upgrade-insecure-requests` (Upgrade Insecure Requests): no value.
    UpgradeInsecureRequests => "upgrade-insecure-requests",
    /// `block-all-mixed-content` (Mixed Content, deprecated): no value.
    BlockAllMixedContent => "block-all-mixed-content",
    /// `require-trusted-types-for` (Trusted Types): `'script'`.
    RequireTrustedTypesFor => "require-trusted-types-for",
    /// `trusted-types` (Trusted Types): policy names, `'allow-duplicates'`, `'none'`, `*`.
    TrustedTypes => "trusted-types",
}

/// Slot of a directive name in [`NAME_TABLE`], from its length, first byte and fourth byte
/// from the end: every known name gets a slot of its own (checked when the table is built, at
/// compile time), so a lookup is one table read and one comparison, with no branch on the name.
const fn name_slot(len: usize, first: u8, fourth_last: u8) -> usize {
    (len * 2 + first as usize * 9 + fourth_last as usize * 4) & 63
}

/// The known directive names by [`name_slot`]; empty slots hold an empty name.
static NAME_TABLE: [(&[u8], Option<DirectiveName>); 64] = build_name_table();

const fn build_name_table() -> [(&'static [u8], Option<DirectiveName>); 64] {
    let mut table: [(&'static [u8], Option<DirectiveName>); 64] = [(&[], None); 64];
    let mut i = 0;
    while i < DirectiveName::ALL.len() {
        let name = DirectiveName::ALL[i];
        let text = name.as_str().as_bytes();
        let slot = name_slot(text.len(), text[0], text[text.len() - 4]);
        assert!(table[slot].1.is_none(), "two directive names share a slot");
        table[slot] = (text, Some(name));
        i += 1;
    }
    table
}

impl DirectiveName {
    /// Exact match of an already lowercased name.
    pub(crate) fn from_lowercase(name: &[u8]) -> Option<DirectiveName> {
        let len = name.len();
        let (Some(&first), Some(&fourth_last)) = (name.first(), name.get(len.wrapping_sub(4)))
        else {
            return None;
        };
        match NAME_TABLE.get(name_slot(len, first, fourth_last)) {
            Some(&(text, known)) if text == name => known,
            _ => None,
        }
    }

    /// Whether the directive's value is a source list (fetch directives, `base-uri`,
    /// `form-action`, and `frame-ancestors`, whose ancestor source list is a restricted
    /// source list).
    ///
    /// ```
    /// use csp_builder::DirectiveName;
    /// assert!(DirectiveName::ImgSrc.takes_source_list());
    /// assert!(!DirectiveName::Sandbox.takes_source_list());
    /// ```
    #[must_use]
    pub const fn takes_source_list(self) -> bool {
        !matches!(
            self,
            DirectiveName::Webrtc
                | DirectiveName::Sandbox
                | DirectiveName::ReportUri
                | DirectiveName::ReportTo
                | DirectiveName::UpgradeInsecureRequests
                | DirectiveName::BlockAllMixedContent
                | DirectiveName::RequireTrustedTypesFor
                | DirectiveName::TrustedTypes
        )
    }

    /// Whether the directive is a fetch directive (CSP3 §6.1), which falls back to
    /// `default-src` when absent.
    ///
    /// ```
    /// use csp_builder::DirectiveName;
    /// assert!(DirectiveName::ConnectSrc.is_fetch_directive());
    /// assert!(!DirectiveName::BaseUri.is_fetch_directive());
    /// ```
    #[must_use]
    pub const fn is_fetch_directive(self) -> bool {
        (self as u8) <= (DirectiveName::WorkerSrc as u8) && !matches!(self, DirectiveName::Webrtc)
    }

    /// Whether a policy delivered in a `<meta>` element ignores the directive: `report-uri`,
    /// `frame-ancestors` and `sandbox` (CSP3 §3.3, §6.2.2, §6.3.2, §6.4.1).
    ///
    /// ```
    /// use csp_builder::DirectiveName;
    /// assert!(DirectiveName::FrameAncestors.is_ignored_in_meta());
    /// assert!(!DirectiveName::ScriptSrc.is_ignored_in_meta());
    /// ```
    #[must_use]
    pub const fn is_ignored_in_meta(self) -> bool {
        matches!(
            self,
            DirectiveName::ReportUri | DirectiveName::FrameAncestors | DirectiveName::Sandbox
        )
    }

    /// Whether the directive is deprecated (`block-all-mixed-content`, `report-uri`).
    ///
    /// ```
    /// use csp_builder::DirectiveName;
    /// assert!(DirectiveName::BlockAllMixedContent.is_deprecated());
    /// ```
    #[must_use]
    pub const fn is_deprecated(self) -> bool {
        matches!(
            self,
            DirectiveName::BlockAllMixedContent | DirectiveName::ReportUri
        )
    }

    pub(crate) const fn bit(self) -> u32 {
        1u32 << (self as u32)
    }
}

impl fmt::Display for DirectiveName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Generates the keyword enum.
macro_rules! keywords {
    ($( $(#[$doc:meta])* $variant:ident => $text:literal $bytes:literal, )*) => {
        /// A keyword source (CSP3 §2.3.1 `keyword-source`, plus `'inline-speculation-rules'`).
        ///
        /// `'none'` is not a keyword here; it has its own [`SourceKind::None`].
        ///
        /// ```
        /// use csp_builder::Keyword;
        /// assert_eq!(Keyword::from_quoted("'STRICT-DYNAMIC'"), Some(Keyword::StrictDynamic));
        /// assert_eq!(Keyword::SelfOrigin.as_str(), "'self'");
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Keyword {
            $( $(#[$doc])* $variant, )*
        }

        impl Keyword {
            /// Every keyword, in declaration order.
            ///
            /// ```
            /// use csp_builder::Keyword;
            /// assert_eq!(Keyword::ALL.len(), 14);
            /// ```
            pub const ALL: &'static [Keyword] = &[ $( Keyword::$variant, )* ];

            /// The canonical form, with its single quotes, lowercase.
            ///
            /// ```
            /// use csp_builder::Keyword;
            /// assert_eq!(Keyword::UnsafeInline.as_str(), "'unsafe-inline'");
            /// ```
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self { $( Keyword::$variant => $text, )* }
            }

            /// Looks a quoted keyword up ASCII case-insensitively (`'SELF'` is `'self'`).
            ///
            /// ```
            /// use csp_builder::Keyword;
            /// assert_eq!(Keyword::from_quoted("'Self'"), Some(Keyword::SelfOrigin));
            /// assert_eq!(Keyword::from_quoted("self"), None);
            /// ```
            #[must_use]
            pub fn from_quoted(text: &str) -> Option<Keyword> {
                Self::from_bytes_ci(text.as_bytes())
            }

            /// ASCII case-insensitive lookup without allocating (lowercases into a stack
            /// buffer, then one `match`).
            pub(crate) fn from_bytes_ci(text: &[u8]) -> Option<Keyword> {
                let mut lower = [0u8; 32];
                let dst = lower.get_mut(..text.len())?;
                dst.copy_from_slice(text);
                dst.make_ascii_lowercase();
                Self::from_canonical(dst)
            }

            /// Exact match of the canonical (lowercase, quoted) text.
            pub(crate) fn from_canonical(text: &[u8]) -> Option<Keyword> {
                match text {
                    $( $bytes => Some(Keyword::$variant), )*
                    _ => None,
                }
            }
        }
    };
}

keywords! {
    /// `'self'`: the protected resource's origin.
    SelfOrigin => "'self'" b"'self'",
    /// `'unsafe-inline'`: inline script/style and event handlers.
    UnsafeInline => "'unsafe-inline'" b"'unsafe-inline'",
    /// `'unsafe-eval'`: `eval()` and friends (and WebAssembly).
    UnsafeEval => "'unsafe-eval'" b"'unsafe-eval'",
    /// `'strict-dynamic'`: trust propagates to scripts loaded by trusted scripts.
    StrictDynamic => "'strict-dynamic'" b"'strict-dynamic'",
    /// `'unsafe-hashes'`: hashes also apply to event handlers and style attributes.
    UnsafeHashes => "'unsafe-hashes'" b"'unsafe-hashes'",
    /// `'report-sample'`: include a sample of the violating code in reports.
    ReportSample => "'report-sample'" b"'report-sample'",
    /// `'unsafe-allow-redirects'`: follow redirects for navigations.
    UnsafeAllowRedirects => "'unsafe-allow-redirects'" b"'unsafe-allow-redirects'",
    /// `'wasm-unsafe-eval'`: WebAssembly compilation only.
    WasmUnsafeEval => "'wasm-unsafe-eval'" b"'wasm-unsafe-eval'",
    /// `'trusted-types-eval'`: eval when Trusted Types are enforced.
    TrustedTypesEval => "'trusted-types-eval'" b"'trusted-types-eval'",
    /// `'report-sha256'`: report SHA-256 hashes of loaded scripts.
    ReportSha256 => "'report-sha256'" b"'report-sha256'",
    /// `'report-sha384'`: report SHA-384 hashes of loaded scripts.
    ReportSha384 => "'report-sha384'" b"'report-sha384'",
    /// `'report-sha512'`: report SHA-512 hashes of loaded scripts.
    ReportSha512 => "'report-sha512'" b"'report-sha512'",
    /// `'unsafe-webtransport-hashes'`: WebTransport certificate hashes.
    UnsafeWebtransportHashes => "'unsafe-webtransport-hashes'" b"'unsafe-webtransport-hashes'",
    /// `'inline-speculation-rules'` (WICG Speculation Rules / HTML): inline
    /// `<script type=speculationrules>`.
    InlineSpeculationRules => "'inline-speculation-rules'" b"'inline-speculation-rules'",
}

impl fmt::Display for Keyword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A hash algorithm of a hash source (CSP3 §2.3.1 `hash-algorithm`).
///
/// ```
/// use csp_builder::HashAlgorithm;
/// assert_eq!(HashAlgorithm::Sha384.as_str(), "sha384");
/// assert_eq!(HashAlgorithm::Sha256.digest_len(), 32);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HashAlgorithm {
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl HashAlgorithm {
    /// The lowercase algorithm name as written in a hash source.
    ///
    /// ```
    /// use csp_builder::HashAlgorithm;
    /// assert_eq!(HashAlgorithm::Sha512.as_str(), "sha512");
    /// ```
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            HashAlgorithm::Sha256 => "sha256",
            HashAlgorithm::Sha384 => "sha384",
            HashAlgorithm::Sha512 => "sha512",
        }
    }

    /// The digest length in bytes.
    ///
    /// ```
    /// use csp_builder::HashAlgorithm;
    /// assert_eq!(HashAlgorithm::Sha512.digest_len(), 64);
    /// ```
    #[must_use]
    pub const fn digest_len(self) -> usize {
        match self {
            HashAlgorithm::Sha256 => 32,
            HashAlgorithm::Sha384 => 48,
            HashAlgorithm::Sha512 => 64,
        }
    }
}

impl fmt::Display for HashAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of source expression (or directive value) a value is.
///
/// Values of source-list directives are classified by the CSP3 §2.3.1 grammar; a value that
/// matches no production is [`SourceKind::Other`] and is kept as written. Values of
/// directives that do not take a source list (`sandbox`, `report-uri`, `report-to`,
/// `webrtc`, `trusted-types`, `require-trusted-types-for`, unknown directives) are
/// [`SourceKind::Token`].
///
/// ```
/// use csp_builder::{Keyword, Source, SourceKind};
/// assert_eq!(Source::SELF.kind(), SourceKind::Keyword(Keyword::SelfOrigin));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SourceKind {
    /// `'none'`.
    None,
    /// A keyword source such as `'self'`.
    Keyword(Keyword),
    /// `'nonce-<base64-value>'`.
    Nonce,
    /// `'<hash-algorithm>-<base64-value>'`.
    Hash(HashAlgorithm),
    /// `scheme:`.
    Scheme,
    /// `[scheme://]host[:port][/path]`.
    Host,
    /// A value of a source-list directive that matches no source-expression production
    /// (browsers ignore it); kept as written.
    Other,
    /// A value of a directive whose grammar is not a source list, kept as written.
    Token,
}

impl SourceKind {
    /// Classifies one source expression by the CSP3 §2.3.1 grammar (ASCII case-insensitive);
    /// [`SourceKind::Other`] when it matches no production.
    ///
    /// ```
    /// use csp_builder::{HashAlgorithm, SourceKind};
    /// assert_eq!(SourceKind::classify("'sha256-abc='"), SourceKind::Hash(HashAlgorithm::Sha256));
    /// assert_eq!(SourceKind::classify("https://a.example/x;y"), SourceKind::Other);
    /// assert_eq!(SourceKind::classify("self"), SourceKind::Host);
    /// ```
    #[must_use]
    pub fn classify(expression: &str) -> SourceKind {
        crate::grammar::classify_source(expression.as_bytes()).kind
    }

    /// Whether this is a valid source expression (not [`SourceKind::Other`] or
    /// [`SourceKind::Token`]).
    ///
    /// ```
    /// use csp_builder::SourceKind;
    /// assert!(SourceKind::Host.is_source_expression());
    /// assert!(!SourceKind::Other.is_source_expression());
    /// ```
    #[must_use]
    pub const fn is_source_expression(self) -> bool {
        !matches!(self, SourceKind::Other | SourceKind::Token)
    }
}

/// Generates the sandbox flag enum.
macro_rules! sandbox_flags {
    ($( $(#[$doc:meta])* $variant:ident => $text:literal $bytes:literal, )*) => {
        /// A `sandbox` directive token (HTML "parse a sandboxing directive").
        ///
        /// ```
        /// use csp_builder::SandboxFlag;
        /// assert_eq!(SandboxFlag::from_token("ALLOW-SCRIPTS"), Some(SandboxFlag::AllowScripts));
        /// assert_eq!(SandboxFlag::AllowForms.as_str(), "allow-forms");
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum SandboxFlag {
            $( $(#[$doc])* $variant, )*
        }

        impl SandboxFlag {
            /// Every sandbox flag.
            ///
            /// ```
            /// use csp_builder::SandboxFlag;
            /// assert!(SandboxFlag::ALL.contains(&SandboxFlag::AllowPopups));
            /// ```
            pub const ALL: &'static [SandboxFlag] = &[ $( SandboxFlag::$variant, )* ];

            /// The token as written in the header.
            ///
            /// ```
            /// use csp_builder::SandboxFlag;
            /// assert_eq!(SandboxFlag::AllowSameOrigin.as_str(), "allow-same-origin");
            /// ```
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self { $( SandboxFlag::$variant => $text, )* }
            }

            /// Looks a token up ASCII case-insensitively (HTML compares sandbox keywords
            /// ASCII case-insensitively).
            ///
            /// ```
            /// use csp_builder::SandboxFlag;
            /// assert_eq!(SandboxFlag::from_token("allow-modals"), Some(SandboxFlag::AllowModals));
            /// assert_eq!(SandboxFlag::from_token("allow-everything"), None);
            /// ```
            #[must_use]
            pub fn from_token(token: &str) -> Option<SandboxFlag> {
                $( if token.eq_ignore_ascii_case($text) { return Some(SandboxFlag::$variant); } )*
                None
            }
        }
    };
}

sandbox_flags! {
    /// `allow-downloads`.
    AllowDownloads => "allow-downloads" b"allow-downloads",
    /// `allow-forms`.
    AllowForms => "allow-forms" b"allow-forms",
    /// `allow-modals`.
    AllowModals => "allow-modals" b"allow-modals",
    /// `allow-orientation-lock`.
    AllowOrientationLock => "allow-orientation-lock" b"allow-orientation-lock",
    /// `allow-pointer-lock`.
    AllowPointerLock => "allow-pointer-lock" b"allow-pointer-lock",
    /// `allow-popups`.
    AllowPopups => "allow-popups" b"allow-popups",
    /// `allow-popups-to-escape-sandbox`.
    AllowPopupsToEscapeSandbox => "allow-popups-to-escape-sandbox" b"allow-popups-to-escape-sandbox",
    /// `allow-presentation`.
    AllowPresentation => "allow-presentation" b"allow-presentation",
    /// `allow-same-origin`.
    AllowSameOrigin => "allow-same-origin" b"allow-same-origin",
    /// `allow-scripts`.
    AllowScripts => "allow-scripts" b"allow-scripts",
    /// `allow-top-navigation`.
    AllowTopNavigation => "allow-top-navigation" b"allow-top-navigation",
    /// `allow-top-navigation-by-user-activation`.
    AllowTopNavigationByUserActivation => "allow-top-navigation-by-user-activation" b"allow-top-navigation-by-user-activation",
    /// `allow-top-navigation-to-custom-protocols`.
    AllowTopNavigationToCustomProtocols => "allow-top-navigation-to-custom-protocols" b"allow-top-navigation-to-custom-protocols",
    /// `allow-storage-access-by-user-activation` (Storage Access API).
    AllowStorageAccessByUserActivation => "allow-storage-access-by-user-activation" b"allow-storage-access-by-user-activation",
}

impl fmt::Display for SandboxFlag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a policy is enforced (`Content-Security-Policy`) or only reported
/// (`Content-Security-Policy-Report-Only`) (CSP3 §2.2 "disposition").
///
/// ```
/// use csp_builder::Disposition;
/// assert_eq!(Disposition::default(), Disposition::Enforce);
/// assert_eq!(Disposition::Report.header_name(), csp_builder::CONTENT_SECURITY_POLICY_REPORT_ONLY);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Disposition {
    /// Enforced: violations are blocked (and reported).
    #[default]
    Enforce,
    /// Monitored: violations are only reported.
    Report,
}

impl Disposition {
    /// The header that carries a policy of this disposition.
    ///
    /// ```
    /// use csp_builder::Disposition;
    /// assert_eq!(Disposition::Enforce.header_name().as_str(), "content-security-policy");
    /// ```
    #[must_use]
    pub fn header_name(self) -> http::HeaderName {
        match self {
            Disposition::Enforce => crate::CONTENT_SECURITY_POLICY,
            Disposition::Report => crate::CONTENT_SECURITY_POLICY_REPORT_ONLY,
        }
    }
}

/// Where a policy came from (CSP3 §2.2 "source"): a header or a `<meta>` element.
///
/// ```
/// use csp_builder::{Policy, PolicySource};
/// let parsed = Policy::parse_meta("script-src 'self'");
/// assert_eq!(parsed.value.map(|p| p.source()), Some(PolicySource::Meta));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PolicySource {
    /// Delivered in a `Content-Security-Policy(-Report-Only)` header.
    #[default]
    Header,
    /// Delivered in `<meta http-equiv="Content-Security-Policy" content="…">`.
    Meta,
}

#[cfg(test)]
mod tests {
    use super::DirectiveName;

    #[test]
    fn directive_name_lookup_finds_every_name_and_nothing_else() {
        for &name in DirectiveName::ALL {
            let text = name.as_str();
            assert_eq!(DirectiveName::from_lowercase(text.as_bytes()), Some(name));
            // Every one-byte change, a byte more or less, and any prefix: not a name (unless
            // it is another known name).
            let bytes = text.as_bytes();
            for i in 0..bytes.len() {
                for b in [b'a', b'-', b'z', b'A', 0, 0xff] {
                    let mut changed = bytes.to_vec();
                    changed[i] = b;
                    let expected = DirectiveName::ALL
                        .iter()
                        .copied()
                        .find(|n| n.as_str().as_bytes() == changed.as_slice());
                    assert_eq!(DirectiveName::from_lowercase(&changed), expected);
                }
                assert_eq!(
                    DirectiveName::from_lowercase(&bytes[..i]),
                    DirectiveName::ALL
                        .iter()
                        .copied()
                        .find(|n| n.as_str().as_bytes() == &bytes[..i])
                );
            }
            assert_eq!(
                DirectiveName::from_lowercase(format!("{text}x").as_bytes()),
                None
            );
        }
        for short in [&b""[..], b"a", b"ab", b"abc", b"img"] {
            assert_eq!(DirectiveName::from_lowercase(short), None);
        }
    }
}
