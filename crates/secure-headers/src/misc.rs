//! Small single-valued headers: `Origin-Agent-Cluster`, `X-DNS-Prefetch-Control`,
//! `X-Permitted-Cross-Domain-Policies` and `X-XSS-Protection`.
//!
//! ```
//! use secure_headers::misc::{OriginAgentCluster, XDnsPrefetchControl, XPermittedCrossDomainPolicies, XXssProtection};
//!
//! assert_eq!(OriginAgentCluster::ORIGIN_KEYED.to_string(), "?1");
//! assert_eq!(XDnsPrefetchControl::Off.to_string(), "off");
//! assert_eq!(XPermittedCrossDomainPolicies::None.to_string(), "none");
//! assert_eq!(XXssProtection::default().to_string(), "0");
//! ```

use std::fmt;
use std::str::FromStr;

use http::{HeaderName, HeaderValue};

use crate::bundle::SecureHeadersBuilder;
use crate::sf::{self, StructuredFieldError};
use crate::util::trim_ows;

// ---------------------------------------------------------------------------------------------
// Origin-Agent-Cluster
// ---------------------------------------------------------------------------------------------

/// Why an `Origin-Agent-Cluster` value is ignored.
///
/// ```
/// use secure_headers::misc::{OriginAgentCluster, OriginAgentClusterError};
///
/// assert_eq!(
///     "1".parse::<OriginAgentCluster>(),
///     Err(OriginAgentClusterError::NotABoolean("1".to_owned()))
/// );
/// assert!(matches!(
///     "?2".parse::<OriginAgentCluster>(),
///     Err(OriginAgentClusterError::Syntax(_))
/// ));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OriginAgentClusterError {
    /// Not an RFC 9651 item.
    #[error(transparent)]
    Syntax(#[from] StructuredFieldError),
    /// An item, but not a Boolean (`?1`/`?0`), e.g. `1` or `true`.
    #[error("`{0}` is not a structured-field Boolean (`?1` or `?0`)")]
    NotABoolean(String),
}

/// `Origin-Agent-Cluster` (HTML §7.1.2 "origin-keyed agent clusters"): `?1` asks for an agent
/// cluster keyed by origin instead of site.
///
/// ```
/// use secure_headers::misc::OriginAgentCluster;
///
/// let oac: OriginAgentCluster = "?1".parse()?;
/// assert!(oac.is_origin_keyed());
/// assert!("1".parse::<OriginAgentCluster>().is_err());
/// # Ok::<(), secure_headers::misc::OriginAgentClusterError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OriginAgentCluster(bool);

impl OriginAgentCluster {
    /// `Origin-Agent-Cluster`.
    ///
    /// ```
    /// use secure_headers::{SecureHeaders, OriginAgentCluster};
    /// let bundle = SecureHeaders::builder()
    ///     .origin_agent_cluster(OriginAgentCluster::ORIGIN_KEYED)
    ///     .build()?;
    /// let mut headers = http::HeaderMap::new();
    /// bundle.apply(&mut headers);
    /// assert_eq!(headers[OriginAgentCluster::NAME], "?1");
    /// assert_eq!(OriginAgentCluster::NAME.as_str(), "origin-agent-cluster");
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    pub const NAME: HeaderName = HeaderName::from_static("origin-agent-cluster");
    /// `?1`.
    ///
    /// ```
    /// use secure_headers::OriginAgentCluster;
    /// assert_eq!("?1".parse(), Ok(OriginAgentCluster::ORIGIN_KEYED));
    /// assert!(OriginAgentCluster::ORIGIN_KEYED.is_origin_keyed());
    /// assert_eq!(OriginAgentCluster::ORIGIN_KEYED.to_string(), "?1");
    /// # Ok::<(), secure_headers::misc::OriginAgentClusterError>(())
    /// ```
    pub const ORIGIN_KEYED: OriginAgentCluster = OriginAgentCluster(true);
    /// `?0`: explicitly site-keyed (keeps `document.domain` usable).
    ///
    /// ```
    /// use secure_headers::{OriginAgentCluster, SecureHeaders};
    /// assert_eq!("?0".parse(), Ok(OriginAgentCluster::SITE_KEYED));
    /// assert!(!OriginAgentCluster::SITE_KEYED.is_origin_keyed());
    /// let bundle = SecureHeaders::recommended()
    ///     .origin_agent_cluster(OriginAgentCluster::SITE_KEYED)
    ///     .build()?;
    /// assert_eq!(bundle.value(&OriginAgentCluster::NAME).unwrap(), "?0");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub const SITE_KEYED: OriginAgentCluster = OriginAgentCluster(false);

    /// Whether the value is `?1`.
    ///
    /// ```
    /// # use secure_headers::misc::OriginAgentCluster;
    /// assert!(!OriginAgentCluster::SITE_KEYED.is_origin_keyed());
    /// ```
    pub const fn is_origin_keyed(self) -> bool {
        self.0
    }

    /// The header value (static).
    ///
    /// ```
    /// # use secure_headers::misc::OriginAgentCluster;
    /// assert_eq!(OriginAgentCluster::ORIGIN_KEYED.to_header_value(), "?1");
    /// ```
    pub const fn to_header_value(self) -> HeaderValue {
        HeaderValue::from_static(if self.0 { "?1" } else { "?0" })
    }
}

impl fmt::Display for OriginAgentCluster {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0 { "?1" } else { "?0" })
    }
}

impl FromStr for OriginAgentCluster {
    type Err = OriginAgentClusterError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // HTML "obtain an origin-keyed agent cluster": "Let value be the result of getting a
        // structured field value given `Origin-Agent-Cluster` and "item" ... If value is
        // not null and value[0] is true, return true." Parameters are ignored.
        let item = sf::parse_item(s)?;
        item.bare_item
            .as_boolean()
            .map(OriginAgentCluster)
            .ok_or_else(|| OriginAgentClusterError::NotABoolean(s.to_owned()))
    }
}

impl TryFrom<&HeaderValue> for OriginAgentCluster {
    type Error = OriginAgentClusterError;
    fn try_from(value: &HeaderValue) -> Result<Self, Self::Error> {
        crate::util::header_value_str(value).parse()
    }
}

impl From<OriginAgentCluster> for HeaderValue {
    fn from(value: OriginAgentCluster) -> Self {
        value.to_header_value()
    }
}

impl From<&OriginAgentCluster> for HeaderValue {
    fn from(value: &OriginAgentCluster) -> Self {
        value.to_header_value()
    }
}

crate::util::serde_via_str!(OriginAgentCluster, "`?1` or `?0`");

// ---------------------------------------------------------------------------------------------
// X-DNS-Prefetch-Control
// ---------------------------------------------------------------------------------------------

/// An `X-DNS-Prefetch-Control` or `X-Permitted-Cross-Domain-Policies` value that is not one of
/// the header's tokens.
///
/// ```
/// use secure_headers::misc::{UnknownValueError, XPermittedCrossDomainPolicies};
///
/// let err: UnknownValueError = "everything".parse::<XPermittedCrossDomainPolicies>().unwrap_err();
/// assert_eq!(err.value(), "everything");
/// assert!(err.to_string().contains("X-Permitted-Cross-Domain-Policies"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a {header} value (expected one of {expected})")]
pub struct UnknownValueError {
    header: &'static str,
    value: String,
    expected: &'static str,
}

impl UnknownValueError {
    /// The rejected value.
    ///
    /// ```
    /// # use secure_headers::misc::XDnsPrefetchControl;
    /// assert_eq!("yes".parse::<XDnsPrefetchControl>().unwrap_err().value(), "yes");
    /// ```
    pub fn value(&self) -> &str {
        &self.value
    }
}

/// `X-DNS-Prefetch-Control` (non-standard; Chromium, Firefox, Safari).
///
/// Browsers enable prefetching only for an ASCII case-insensitive `on`; *any* other value
/// disables it (Blink `Document::ParseDNSPrefetchControlHeader`). Parsing accepts `on` and `off`
/// case-insensitively and reports other values as errors; [`XDnsPrefetchControl::effective`]
/// gives the browser's reading of any value.
///
/// ```
/// use secure_headers::misc::XDnsPrefetchControl;
/// assert_eq!("OFF".parse(), Ok(XDnsPrefetchControl::Off));
/// assert_eq!(XDnsPrefetchControl::effective("disabled"), XDnsPrefetchControl::Off);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum XDnsPrefetchControl {
    /// `on`.
    On,
    /// `off` (helmet's default: do not leak visited links' hosts to DNS).
    #[default]
    Off,
}

impl XDnsPrefetchControl {
    /// `X-DNS-Prefetch-Control`.
    ///
    /// ```
    /// use secure_headers::{SecureHeaders, XDnsPrefetchControl};
    /// let bundle = SecureHeaders::builder()
    ///     .dns_prefetch_control(XDnsPrefetchControl::Off)
    ///     .build()?;
    /// let mut headers = http::HeaderMap::new();
    /// bundle.apply(&mut headers);
    /// assert_eq!(headers[XDnsPrefetchControl::NAME], "off");
    /// assert_eq!(XDnsPrefetchControl::NAME.as_str(), "x-dns-prefetch-control");
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    pub const NAME: HeaderName = HeaderName::from_static("x-dns-prefetch-control");

    /// The token.
    ///
    /// ```
    /// # use secure_headers::misc::XDnsPrefetchControl;
    /// assert_eq!(XDnsPrefetchControl::On.as_str(), "on");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            XDnsPrefetchControl::On => "on",
            XDnsPrefetchControl::Off => "off",
        }
    }

    /// What a browser does with `value`: `On` only for `on`.
    ///
    /// ```
    /// # use secure_headers::misc::XDnsPrefetchControl;
    /// assert_eq!(XDnsPrefetchControl::effective(" On "), XDnsPrefetchControl::On);
    /// ```
    pub fn effective(value: &str) -> Self {
        if trim_ows(value).eq_ignore_ascii_case("on") {
            XDnsPrefetchControl::On
        } else {
            XDnsPrefetchControl::Off
        }
    }

    /// The header value (static).
    ///
    /// ```
    /// # use secure_headers::misc::XDnsPrefetchControl;
    /// assert_eq!(XDnsPrefetchControl::Off.to_header_value(), "off");
    /// ```
    pub const fn to_header_value(self) -> HeaderValue {
        HeaderValue::from_static(self.as_str())
    }
}

impl fmt::Display for XDnsPrefetchControl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for XDnsPrefetchControl {
    type Err = UnknownValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = trim_ows(s);
        if t.eq_ignore_ascii_case("on") {
            Ok(XDnsPrefetchControl::On)
        } else if t.eq_ignore_ascii_case("off") {
            Ok(XDnsPrefetchControl::Off)
        } else {
            Err(UnknownValueError {
                header: "X-DNS-Prefetch-Control",
                value: s.to_owned(),
                expected: "on, off",
            })
        }
    }
}

impl TryFrom<&HeaderValue> for XDnsPrefetchControl {
    type Error = UnknownValueError;
    fn try_from(value: &HeaderValue) -> Result<Self, Self::Error> {
        crate::util::header_value_str(value).parse()
    }
}

impl From<XDnsPrefetchControl> for HeaderValue {
    fn from(value: XDnsPrefetchControl) -> Self {
        value.to_header_value()
    }
}

impl From<&XDnsPrefetchControl> for HeaderValue {
    fn from(value: &XDnsPrefetchControl) -> Self {
        value.to_header_value()
    }
}

crate::util::serde_via_str!(XDnsPrefetchControl, "`on` or `off`");

// ---------------------------------------------------------------------------------------------
// X-Permitted-Cross-Domain-Policies
// ---------------------------------------------------------------------------------------------

/// `X-Permitted-Cross-Domain-Policies` (Adobe cross-domain policy file specification, used by
/// Flash and Acrobat clients): which `crossdomain.xml` policy files a client may honour.
///
/// ```
/// use secure_headers::misc::XPermittedCrossDomainPolicies;
/// assert_eq!("master-only".parse(), Ok(XPermittedCrossDomainPolicies::MasterOnly));
/// assert_eq!(XPermittedCrossDomainPolicies::default(), XPermittedCrossDomainPolicies::None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum XPermittedCrossDomainPolicies {
    /// `none`: no policy file anywhere on the server is allowed (OWASP recommendation).
    #[default]
    None,
    /// `master-only`: only `/crossdomain.xml`.
    MasterOnly,
    /// `by-content-type`: only files served as `text/x-cross-domain-policy`.
    ByContentType,
    /// `by-ftp-filename`: only files named `crossdomain.xml` (FTP).
    ByFtpFilename,
    /// `all`: any policy file.
    All,
    /// `none-this-response`: this response must not be used as a policy file.
    NoneThisResponse,
}

impl XPermittedCrossDomainPolicies {
    /// `X-Permitted-Cross-Domain-Policies`.
    ///
    /// ```
    /// use secure_headers::{SecureHeaders, XPermittedCrossDomainPolicies};
    /// let bundle = SecureHeaders::builder()
    ///     .permitted_cross_domain_policies(XPermittedCrossDomainPolicies::None)
    ///     .build()?;
    /// let mut headers = http::HeaderMap::new();
    /// bundle.apply(&mut headers);
    /// assert_eq!(headers[XPermittedCrossDomainPolicies::NAME], "none");
    /// assert_eq!(
    ///     XPermittedCrossDomainPolicies::NAME.as_str(),
    ///     "x-permitted-cross-domain-policies"
    /// );
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    pub const NAME: HeaderName = HeaderName::from_static("x-permitted-cross-domain-policies");

    const ALL_VALUES: [XPermittedCrossDomainPolicies; 6] = [
        XPermittedCrossDomainPolicies::None,
        XPermittedCrossDomainPolicies::MasterOnly,
        XPermittedCrossDomainPolicies::ByContentType,
        XPermittedCrossDomainPolicies::ByFtpFilename,
        XPermittedCrossDomainPolicies::All,
        XPermittedCrossDomainPolicies::NoneThisResponse,
    ];

    /// The token.
    ///
    /// ```
    /// # use secure_headers::misc::XPermittedCrossDomainPolicies;
    /// assert_eq!(XPermittedCrossDomainPolicies::NoneThisResponse.as_str(), "none-this-response");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            XPermittedCrossDomainPolicies::None => "none",
            XPermittedCrossDomainPolicies::MasterOnly => "master-only",
            XPermittedCrossDomainPolicies::ByContentType => "by-content-type",
            XPermittedCrossDomainPolicies::ByFtpFilename => "by-ftp-filename",
            XPermittedCrossDomainPolicies::All => "all",
            XPermittedCrossDomainPolicies::NoneThisResponse => "none-this-response",
        }
    }

    /// The header value (static).
    ///
    /// ```
    /// # use secure_headers::misc::XPermittedCrossDomainPolicies;
    /// assert_eq!(XPermittedCrossDomainPolicies::None.to_header_value(), "none");
    /// ```
    pub const fn to_header_value(self) -> HeaderValue {
        HeaderValue::from_static(self.as_str())
    }
}

impl fmt::Display for XPermittedCrossDomainPolicies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for XPermittedCrossDomainPolicies {
    type Err = UnknownValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // The Adobe specification defines the values in lower case; clients compared them
        // case-insensitively, and so do we.
        let t = trim_ows(s);
        Self::ALL_VALUES.into_iter().find(|v| v.as_str().eq_ignore_ascii_case(t)).ok_or_else(|| UnknownValueError {
            header: "X-Permitted-Cross-Domain-Policies",
            value: s.to_owned(),
            expected: "none, master-only, by-content-type, by-ftp-filename, all, none-this-response",
        })
    }
}

impl TryFrom<&HeaderValue> for XPermittedCrossDomainPolicies {
    type Error = UnknownValueError;
    fn try_from(value: &HeaderValue) -> Result<Self, Self::Error> {
        crate::util::header_value_str(value).parse()
    }
}

impl From<XPermittedCrossDomainPolicies> for HeaderValue {
    fn from(value: XPermittedCrossDomainPolicies) -> Self {
        value.to_header_value()
    }
}

impl From<&XPermittedCrossDomainPolicies> for HeaderValue {
    fn from(value: &XPermittedCrossDomainPolicies) -> Self {
        value.to_header_value()
    }
}

crate::util::serde_via_str!(
    XPermittedCrossDomainPolicies,
    "an X-Permitted-Cross-Domain-Policies token"
);

// ---------------------------------------------------------------------------------------------
// X-XSS-Protection
// ---------------------------------------------------------------------------------------------

/// Why an `X-XSS-Protection` value was invalid for the (removed) XSS auditors.
///
/// ```
/// use secure_headers::misc::{XXssProtection, XXssProtectionError};
///
/// assert_eq!("".parse::<XXssProtection>(), Err(XXssProtectionError::Empty));
/// assert_eq!(
///     "2".parse::<XXssProtection>(),
///     Err(XXssProtectionError::ExpectedZeroOrOne(0))
/// );
/// assert_eq!(
///     "1; mode=block; mode=block".parse::<XXssProtection>(),
///     Err(XXssProtectionError::DuplicateDirective("mode"))
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum XXssProtectionError {
    /// Empty or whitespace: no header.
    #[error("the X-XSS-Protection value is empty")]
    Empty,
    /// The first character is not `0` or `1`.
    #[error("X-XSS-Protection must start with 0 or 1 (at byte {0})")]
    ExpectedZeroOrOne(usize),
    /// Something other than `;` follows a directive (e.g. `1; mode=block, 1`).
    #[error("expected `;` at byte {0}")]
    ExpectedSemicolon(usize),
    /// `mode=` is not followed by `block`, or `=` is missing.
    #[error("expected `=block` or `=<url>` at byte {0}")]
    ExpectedValue(usize),
    /// `mode` or `report` appears twice.
    #[error("duplicate `{0}` directive")]
    DuplicateDirective(&'static str),
    /// A directive other than `mode` or `report`.
    #[error("unrecognized directive at byte {0}")]
    UnrecognizedDirective(usize),
    /// A builder `report` URI with a space, `;`, `,`, control or non-ASCII byte.
    #[error("the report URI `{0}` contains a byte that is not allowed")]
    InvalidReportUri(String),
}

/// `X-XSS-Protection`: the switch of the XSS auditors that Chrome (78), Edge and Safari removed.
///
/// The only value worth sending is `0` ([`XXssProtection::Disabled`], the default): where an
/// auditor still exists, `1` and `1; mode=block` let an attacker selectively disable page
/// scripts or probe cross-origin page content (XS-Leaks), and `report=` additionally sends
/// page URLs to the report URI. [`XXssProtection::is_harmful`] says which parsed values are
/// harmful.
///
/// ```
/// use secure_headers::misc::XXssProtection;
///
/// let parsed: XXssProtection = "1; mode=block".parse()?;
/// assert!(parsed.is_harmful());
/// assert_eq!(parsed, XXssProtection::Enabled { block: true, report: None });
/// assert!(!XXssProtection::Disabled.is_harmful());
/// assert!("1; mode=block; mode=block".parse::<XXssProtection>().is_err());
/// # Ok::<(), secure_headers::misc::XXssProtectionError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum XXssProtection {
    /// `0`: the auditor is off.
    #[default]
    Disabled,
    /// `1`, with `mode=block` and/or `report=<uri>`.
    Enabled {
        /// `mode=block`: block the whole page instead of removing the script.
        block: bool,
        /// `report=<uri>`: Chromium-only violation reports.
        report: Option<String>,
    },
}

impl XXssProtection {
    /// `X-XSS-Protection`.
    ///
    /// ```
    /// use secure_headers::{SecureHeaders, XXssProtection};
    /// let bundle = SecureHeaders::builder()
    ///     .x_xss_protection(&XXssProtection::Disabled)
    ///     .build()?;
    /// let mut headers = http::HeaderMap::new();
    /// bundle.apply(&mut headers);
    /// assert_eq!(headers[XXssProtection::NAME], "0");
    /// assert_eq!(XXssProtection::NAME.as_str(), "x-xss-protection");
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    pub const NAME: HeaderName = HeaderName::from_static("x-xss-protection");

    /// Whether a browser with an XSS auditor would be made *less* safe by this value
    /// (every enabled form).
    ///
    /// ```
    /// # use secure_headers::misc::XXssProtection;
    /// assert!("1".parse::<XXssProtection>().unwrap().is_harmful());
    /// ```
    pub fn is_harmful(&self) -> bool {
        matches!(self, XXssProtection::Enabled { .. })
    }

    /// `1; report=<uri>` (with `mode=block` if `block`); for tests and audits, since only
    /// `0` is recommended.
    ///
    /// ```
    /// # use secure_headers::misc::XXssProtection;
    /// let v = XXssProtection::enabled_with_report(false, "https://r.example/xss")?;
    /// assert_eq!(v.to_string(), "1; report=https://r.example/xss");
    /// assert!(XXssProtection::enabled_with_report(false, "x; mode=block").is_err());
    /// # Ok::<(), secure_headers::misc::XXssProtectionError>(())
    /// ```
    pub fn enabled_with_report(block: bool, uri: &str) -> Result<Self, XXssProtectionError> {
        check_report_uri(uri)?;
        Ok(XXssProtection::Enabled {
            block,
            report: Some(uri.to_owned()),
        })
    }

    /// Checks a value built by hand (the `report` field is public): its report URI must be
    /// what [`XXssProtection::enabled_with_report`] accepts, so that it cannot add directives
    /// to the header or split it. [`SecureHeadersBuilder::x_xss_protection`] refuses a value
    /// that fails this check.
    ///
    /// [`SecureHeadersBuilder::x_xss_protection`]: crate::SecureHeadersBuilder::x_xss_protection
    ///
    /// ```
    /// use secure_headers::misc::{XXssProtection, XXssProtectionError};
    /// let smuggled = XXssProtection::Enabled {
    ///     block: false,
    ///     report: Some("https://r.example/; mode=block".to_owned()),
    /// };
    /// assert!(matches!(smuggled.validate(), Err(XXssProtectionError::InvalidReportUri(_))));
    /// assert_eq!(XXssProtection::Disabled.validate(), Ok(()));
    /// ```
    pub fn validate(&self) -> Result<(), XXssProtectionError> {
        match self {
            XXssProtection::Enabled {
                report: Some(uri), ..
            } => check_report_uri(uri),
            _ => Ok(()),
        }
    }

    /// The header value.
    ///
    /// ```
    /// # use secure_headers::misc::XXssProtection;
    /// assert_eq!(XXssProtection::Disabled.to_header_value(), "0");
    /// ```
    pub fn to_header_value(&self) -> HeaderValue {
        match self {
            XXssProtection::Disabled => HeaderValue::from_static("0"),
            XXssProtection::Enabled {
                block: false,
                report: None,
            } => HeaderValue::from_static("1"),
            XXssProtection::Enabled {
                block: true,
                report: None,
            } => HeaderValue::from_static("1; mode=block"),
            XXssProtection::Enabled { .. } => crate::util::header_value(&self.to_string()),
        }
    }
}

/// A report URI the header can carry: visible ASCII without `;` (which would start another
/// directive) or `,` (which would split the field into two values).
fn check_report_uri(uri: &str) -> Result<(), XXssProtectionError> {
    if uri.is_empty()
        || !uri
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b';' && b != b',')
    {
        return Err(XXssProtectionError::InvalidReportUri(uri.to_owned()));
    }
    Ok(())
}

impl fmt::Display for XXssProtection {
    /// A report URI that [`XXssProtection::validate`] refuses is left out: it could not be
    /// written without changing the header's meaning.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            XXssProtection::Disabled => f.write_str("0"),
            XXssProtection::Enabled { block, report } => {
                f.write_str("1")?;
                if *block {
                    f.write_str("; mode=block")?;
                }
                if let Some(uri) = report
                    && check_report_uri(uri).is_ok()
                {
                    write!(f, "; report={uri}")?;
                }
                Ok(())
            }
        }
    }
}

fn is_xss_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

impl FromStr for XXssProtection {
    type Err = XXssProtectionError;

    /// The algorithm of Blink's former `ParseXSSProtectionHeader` (the reference the other
    /// auditors followed): skip whitespace; `0` disables (anything after it is ignored); `1`
    /// enables; then `; mode=block` and `; report=<url>` directives, each at most once, names
    /// ASCII case-insensitive.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bytes = s.as_bytes();
        let mut pos = 0;
        let skip_ws = |pos: &mut usize| {
            while bytes.get(*pos).copied().is_some_and(is_xss_ws) {
                *pos += 1;
            }
        };
        skip_ws(&mut pos);
        match bytes.get(pos) {
            None => return Err(XXssProtectionError::Empty),
            Some(b'0') => return Ok(XXssProtection::Disabled),
            Some(b'1') => pos += 1,
            Some(_) => return Err(XXssProtectionError::ExpectedZeroOrOne(pos)),
        }
        let mut block = false;
        let mut mode_seen = false;
        let mut report: Option<String> = None;
        loop {
            skip_ws(&mut pos);
            if pos >= bytes.len() {
                break;
            }
            if bytes.get(pos) != Some(&b';') {
                return Err(XXssProtectionError::ExpectedSemicolon(pos));
            }
            pos += 1;
            skip_ws(&mut pos);
            if pos >= bytes.len() {
                break;
            }
            let rest = bytes.get(pos..).unwrap_or_default();
            if rest.len() >= 4 && rest[..4].eq_ignore_ascii_case(b"mode") {
                if mode_seen {
                    return Err(XXssProtectionError::DuplicateDirective("mode"));
                }
                mode_seen = true;
                pos += 4;
                skip_ws(&mut pos);
                if bytes.get(pos) != Some(&b'=') {
                    return Err(XXssProtectionError::ExpectedValue(pos));
                }
                pos += 1;
                skip_ws(&mut pos);
                let rest = bytes.get(pos..).unwrap_or_default();
                if rest.len() < 5 || !rest[..5].eq_ignore_ascii_case(b"block") {
                    return Err(XXssProtectionError::ExpectedValue(pos));
                }
                pos += 5;
                block = true;
            } else if rest.len() >= 6 && rest[..6].eq_ignore_ascii_case(b"report") {
                if report.is_some() {
                    return Err(XXssProtectionError::DuplicateDirective("report"));
                }
                pos += 6;
                skip_ws(&mut pos);
                if bytes.get(pos) != Some(&b'=') {
                    return Err(XXssProtectionError::ExpectedValue(pos));
                }
                pos += 1;
                skip_ws(&mut pos);
                let start = pos;
                // Blink took everything up to whitespace or `;` as the URL. A `,` ends it too:
                // it separates field values (RFC 9110 §5.3), so what follows is a second
                // value, refused below as after `mode=block`; a URL with a `,` also could not
                // be sent back without splitting the header.
                while bytes
                    .get(pos)
                    .is_some_and(|&b| b != b';' && b != b',' && !is_xss_ws(b))
                {
                    pos += 1;
                }
                let uri = s.get(start..pos).unwrap_or_default();
                if uri.is_empty() || !uri.bytes().all(|b| b.is_ascii_graphic()) {
                    return Err(XXssProtectionError::ExpectedValue(start));
                }
                report = Some(uri.to_owned());
            } else {
                return Err(XXssProtectionError::UnrecognizedDirective(pos));
            }
        }
        Ok(XXssProtection::Enabled { block, report })
    }
}

crate::util::header_value_conversions!(XXssProtection, XXssProtectionError);
crate::util::serde_via_str!(XXssProtection, "an X-XSS-Protection value such as `0`");

// ---------------------------------------------------------------------------------------------
// Typed builder methods
// ---------------------------------------------------------------------------------------------

impl SecureHeadersBuilder {
    /// Sets `Origin-Agent-Cluster`, replacing the preset's value.
    ///
    /// ```
    /// use secure_headers::OriginAgentCluster;
    /// let bundle = secure_headers::SecureHeaders::recommended()
    ///     .origin_agent_cluster(OriginAgentCluster::SITE_KEYED)
    ///     .build()?;
    /// assert_eq!(bundle.value(&OriginAgentCluster::NAME).unwrap(), "?0");
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn origin_agent_cluster(self, value: OriginAgentCluster) -> Self {
        self.header(OriginAgentCluster::NAME, value.to_header_value())
    }

    /// Sets `X-DNS-Prefetch-Control`, replacing the preset's value.
    ///
    /// ```
    /// use secure_headers::XDnsPrefetchControl;
    /// let bundle = secure_headers::SecureHeaders::builder()
    ///     .dns_prefetch_control(XDnsPrefetchControl::Off)
    ///     .build()?;
    /// assert_eq!(bundle.value(&XDnsPrefetchControl::NAME).unwrap(), "off");
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn dns_prefetch_control(self, value: XDnsPrefetchControl) -> Self {
        self.header(XDnsPrefetchControl::NAME, value.to_header_value())
    }

    /// Sets `X-Permitted-Cross-Domain-Policies`, replacing the preset's value.
    ///
    /// ```
    /// use secure_headers::XPermittedCrossDomainPolicies;
    /// let bundle = secure_headers::SecureHeaders::api()
    ///     .permitted_cross_domain_policies(XPermittedCrossDomainPolicies::MasterOnly)
    ///     .build()?;
    /// assert_eq!(
    ///     bundle.value(&XPermittedCrossDomainPolicies::NAME).unwrap(),
    ///     "master-only"
    /// );
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn permitted_cross_domain_policies(self, value: XPermittedCrossDomainPolicies) -> Self {
        self.header(XPermittedCrossDomainPolicies::NAME, value.to_header_value())
    }

    /// Sets `X-XSS-Protection`, replacing the preset's value. Only
    /// [`XXssProtection::Disabled`] (`0`) is safe to send; see [`XXssProtection::is_harmful`].
    /// A hand-built value whose report URI [`XXssProtection::validate`] refuses makes `build`
    /// fail with [`BuildError::InvalidHeader`](crate::BuildError::InvalidHeader).
    ///
    /// ```
    /// use secure_headers::XXssProtection;
    /// let bundle = secure_headers::SecureHeaders::builder()
    ///     .x_xss_protection(&XXssProtection::Disabled)
    ///     .build()?;
    /// assert_eq!(bundle.value(&XXssProtection::NAME).unwrap(), "0");
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn x_xss_protection(self, value: &XXssProtection) -> Self {
        match value.validate() {
            Ok(()) => self.header(XXssProtection::NAME, value.to_header_value()),
            Err(e) => self.invalid_header(XXssProtection::NAME, e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn hand_built_report_uri_cannot_smuggle_directives_or_split_the_header() {
        for uri in [
            "https://r.example/; mode=block",
            "https://r.example/,1",
            "https://r.example/\r\nSet-Cookie: a=b",
            "https://r.example/ x",
            "https://r.example/\0",
            "",
        ] {
            let value = XXssProtection::Enabled {
                block: false,
                report: Some(uri.to_owned()),
            };
            assert!(
                matches!(
                    value.validate(),
                    Err(XXssProtectionError::InvalidReportUri(_))
                ),
                "{uri:?}"
            );
            let built = crate::SecureHeaders::builder()
                .x_xss_protection(&value)
                .build();
            assert!(
                matches!(built, Err(crate::BuildError::InvalidHeader { ref header, .. }) if *header == XXssProtection::NAME),
                "{uri:?}"
            );
            // Written directly, the report is left out rather than sent broken.
            assert_eq!(value.to_string(), "1", "{uri:?}");
            assert_eq!(value.to_header_value(), "1", "{uri:?}");
        }
        // Parsed text never holds such a URI: a `,` ends the URL and starts a second value.
        assert_eq!(
            "1; report=t,n".parse::<XXssProtection>(),
            Err(XXssProtectionError::ExpectedSemicolon(11))
        );
        let fine = XXssProtection::enabled_with_report(true, "https://r.example/x").unwrap();
        let bundle = crate::SecureHeaders::builder()
            .x_xss_protection(&fine)
            .build()
            .unwrap();
        assert_eq!(
            bundle.value(&XXssProtection::NAME).unwrap(),
            "1; mode=block; report=https://r.example/x"
        );
    }

    #[test]
    fn origin_agent_cluster_requires_a_boolean() {
        assert_eq!("?1".parse(), Ok(OriginAgentCluster::ORIGIN_KEYED));
        assert_eq!("?0;x=1".parse(), Ok(OriginAgentCluster::SITE_KEYED));
        assert!(matches!(
            "1".parse::<OriginAgentCluster>(),
            Err(OriginAgentClusterError::NotABoolean(_))
        ));
        assert!(matches!(
            "?1, ?1".parse::<OriginAgentCluster>(),
            Err(OriginAgentClusterError::Syntax(_))
        ));
        assert!(matches!(
            "true".parse::<OriginAgentCluster>(),
            Err(OriginAgentClusterError::NotABoolean(_))
        ));
    }

    #[test]
    fn dns_prefetch_non_on_value_disables() {
        assert_eq!(
            XDnsPrefetchControl::effective("yes"),
            XDnsPrefetchControl::Off
        );
        assert!("yes".parse::<XDnsPrefetchControl>().is_err());
    }

    #[test]
    fn permitted_cross_domain_all_values_round_trip() {
        for v in XPermittedCrossDomainPolicies::ALL_VALUES {
            assert_eq!(v.to_string().parse(), Ok(v));
        }
        assert!("nothing".parse::<XPermittedCrossDomainPolicies>().is_err());
    }

    #[test]
    fn xss_zero_disables_whatever_follows() {
        assert_eq!("0".parse(), Ok(XXssProtection::Disabled));
        assert_eq!(" 0; mode=block".parse(), Ok(XXssProtection::Disabled));
    }

    #[test]
    fn xss_observatory_vectors() {
        // mozilla/http-observatory test_headers.py TestXXSSProtection.
        assert!("whimsy".parse::<XXssProtection>().is_err());
        assert!("2; mode=block".parse::<XXssProtection>().is_err());
        assert_eq!(
            "1; mode=block; mode=block".parse::<XXssProtection>(),
            Err(XXssProtectionError::DuplicateDirective("mode"))
        );
        assert!(matches!(
            "1; mode=block, 1; mode=block".parse::<XXssProtection>(),
            Err(XXssProtectionError::ExpectedSemicolon(_))
        ));
        assert_eq!(
            "1".parse(),
            Ok(XXssProtection::Enabled {
                block: false,
                report: None
            })
        );
        assert_eq!(
            "1 ".parse(),
            Ok(XXssProtection::Enabled {
                block: false,
                report: None
            })
        );
        assert_eq!(
            "1; mode=block".parse(),
            Ok(XXssProtection::Enabled {
                block: true,
                report: None
            })
        );
    }

    #[test]
    fn xss_report_directive() {
        let v: XXssProtection = "1; report=https://r.example/x".parse().unwrap();
        assert_eq!(
            v,
            XXssProtection::Enabled {
                block: false,
                report: Some("https://r.example/x".into())
            }
        );
        assert!(v.is_harmful());
        assert_eq!(
            "1;report=/r;mode=BLOCK"
                .parse::<XXssProtection>()
                .unwrap()
                .to_string(),
            "1; mode=block; report=/r"
        );
        assert_eq!(
            "1; report=a; report=b".parse::<XXssProtection>(),
            Err(XXssProtectionError::DuplicateDirective("report"))
        );
        assert!(matches!(
            "1; mode=allow".parse::<XXssProtection>(),
            Err(XXssProtectionError::ExpectedValue(_))
        ));
        assert!(matches!(
            "1; foo".parse::<XXssProtection>(),
            Err(XXssProtectionError::UnrecognizedDirective(_))
        ));
    }

    #[test]
    fn typed_builder_methods_replace_preset_values() {
        let bundle = crate::SecureHeaders::recommended()
            .origin_agent_cluster(OriginAgentCluster::SITE_KEYED)
            .dns_prefetch_control(XDnsPrefetchControl::On)
            .permitted_cross_domain_policies(XPermittedCrossDomainPolicies::ByContentType)
            .x_xss_protection(&XXssProtection::enabled_with_report(true, "/xss").unwrap())
            .build()
            .unwrap();
        let mut headers = http::HeaderMap::new();
        bundle.apply(&mut headers);
        let expected = [
            ("origin-agent-cluster", "?0"),
            ("x-dns-prefetch-control", "on"),
            ("x-permitted-cross-domain-policies", "by-content-type"),
            ("x-xss-protection", "1; mode=block; report=/xss"),
        ];
        for (name, value) in expected {
            let sent: Vec<_> = headers.get_all(name).iter().collect();
            assert_eq!(sent, [value], "{name}");
        }
    }

    #[test]
    fn typed_builder_methods_send_what_the_parsers_read_back() {
        let bundle = crate::SecureHeaders::builder()
            .origin_agent_cluster(OriginAgentCluster::ORIGIN_KEYED)
            .dns_prefetch_control(XDnsPrefetchControl::Off)
            .permitted_cross_domain_policies(XPermittedCrossDomainPolicies::NoneThisResponse)
            .x_xss_protection(&XXssProtection::Disabled)
            .build()
            .unwrap();
        let mut headers = http::HeaderMap::new();
        bundle.apply(&mut headers);
        assert_eq!(headers.len(), 4);
        assert_eq!(
            OriginAgentCluster::try_from(&headers["origin-agent-cluster"]),
            Ok(OriginAgentCluster::ORIGIN_KEYED)
        );
        assert_eq!(
            XDnsPrefetchControl::try_from(&headers["x-dns-prefetch-control"]),
            Ok(XDnsPrefetchControl::Off)
        );
        assert_eq!(
            XPermittedCrossDomainPolicies::try_from(&headers["x-permitted-cross-domain-policies"]),
            Ok(XPermittedCrossDomainPolicies::NoneThisResponse)
        );
        assert_eq!(
            XXssProtection::try_from(&headers["x-xss-protection"]),
            Ok(XXssProtection::Disabled)
        );
    }

    #[test]
    fn origin_agent_cluster_allows_surrounding_whitespace_only() {
        // RFC 9110 §5.5: leading and trailing whitespace is not part of a field value.
        for v in ["\t?1", "?1\t", " ?1 "] {
            assert_eq!(v.parse(), Ok(OriginAgentCluster::ORIGIN_KEYED), "{v:?}");
        }
        for v in ["? 1", "?1 ?0", "?"] {
            assert!(
                matches!(
                    v.parse::<OriginAgentCluster>(),
                    Err(OriginAgentClusterError::Syntax(_))
                ),
                "{v:?}"
            );
        }
    }

    #[test]
    fn dns_prefetch_on_is_ascii_case_insensitive_and_trimmed() {
        for v in ["on", "ON", "On", "\ton ", " oN\t"] {
            assert_eq!(
                XDnsPrefetchControl::effective(v),
                XDnsPrefetchControl::On,
                "{v:?}"
            );
            assert_eq!(v.parse(), Ok(XDnsPrefetchControl::On), "{v:?}");
        }
        for v in ["", "o n", "on,on", "\"on\"", "1", "onn"] {
            assert_eq!(
                XDnsPrefetchControl::effective(v),
                XDnsPrefetchControl::Off,
                "{v:?}"
            );
            assert!(v.parse::<XDnsPrefetchControl>().is_err(), "{v:?}");
        }
        assert_eq!(" OFF\t".parse(), Ok(XDnsPrefetchControl::Off));
    }

    #[test]
    fn permitted_cross_domain_policies_are_case_insensitive_and_trimmed() {
        assert_eq!(
            "\tNone-This-Response ".parse(),
            Ok(XPermittedCrossDomainPolicies::NoneThisResponse)
        );
        for v in ["none,none", "master only", "\"none\"", ""] {
            assert!(v.parse::<XPermittedCrossDomainPolicies>().is_err(), "{v:?}");
        }
    }

    #[test]
    fn xss_whitespace_and_case_variants() {
        let block = Ok(XXssProtection::Enabled {
            block: true,
            report: None,
        });
        for v in [
            "1;mode=block",
            "1 ; mode = block",
            "\t1\t;\tmode\t=\tblock\t",
            "1; MODE=BLOCK",
            "1; mode=block;",
        ] {
            assert_eq!(v.parse::<XXssProtection>(), block, "{v:?}");
        }
        for v in ["", " ", "\t\r\n"] {
            assert_eq!(
                v.parse::<XXssProtection>(),
                Err(XXssProtectionError::Empty),
                "{v:?}"
            );
        }
        assert_eq!(
            "1;;".parse::<XXssProtection>(),
            Err(XXssProtectionError::UnrecognizedDirective(2))
        );
        assert_eq!(
            "1; mode=blockade".parse::<XXssProtection>(),
            Err(XXssProtectionError::ExpectedSemicolon(13))
        );
        assert_eq!(
            "10".parse::<XXssProtection>(),
            Err(XXssProtectionError::ExpectedSemicolon(1))
        );
    }

    #[test]
    fn xss_report_uri_ends_at_whitespace_or_semicolon() {
        let v: XXssProtection = "1; report=/r ; mode=block".parse().unwrap();
        assert_eq!(
            v,
            XXssProtection::Enabled {
                block: true,
                report: Some("/r".into())
            }
        );
        assert_eq!(
            "1; report=".parse::<XXssProtection>(),
            Err(XXssProtectionError::ExpectedValue(10))
        );
        assert_eq!(
            "1; report=;".parse::<XXssProtection>(),
            Err(XXssProtectionError::ExpectedValue(10))
        );
        for uri in ["", "/a b", "/a;b", "/a,b", "/\u{e9}"] {
            assert!(
                XXssProtection::enabled_with_report(false, uri).is_err(),
                "{uri:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn xss_round_trip(block in any::<bool>(), uri in proptest::option::of("[!-+\\--:<-~]{1,20}")) {
            let v = match uri {
                Some(u) => XXssProtection::enabled_with_report(block, &u).unwrap(),
                None => XXssProtection::Enabled { block, report: None },
            };
            prop_assert_eq!(v.to_string().parse::<XXssProtection>().unwrap(), v.clone());
            prop_assert_eq!(XXssProtection::try_from(&HeaderValue::from(&v)).unwrap(), v);
        }

        #[test]
        fn parsers_never_panic(s in "\\PC{0,40}") {
            let _ = s.parse::<XXssProtection>();
            let _ = s.parse::<OriginAgentCluster>();
            let _ = s.parse::<XDnsPrefetchControl>();
            let _ = s.parse::<XPermittedCrossDomainPolicies>();
        }
    }
}
