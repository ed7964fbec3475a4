//! What the auditor knows about the response beyond its headers.

/// What kind of resource the response carries; some headers matter only for documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ResponseKind {
    /// An HTML document (a page a browser renders): CSP, framing and the rest all apply.
    #[default]
    HtmlDocument,
    /// A JSON/XML API response or another non-rendered resource.
    Api,
}

/// CSP level a browser supports, as the CSP Evaluator models it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum CspVersion {
    /// CSP 1: no nonces or hashes, no `'strict-dynamic'`.
    Csp1,
    /// CSP 2: nonces and hashes; `'unsafe-inline'` ignored next to them.
    Csp2,
    /// CSP 3: `'strict-dynamic'`, `-elem`/`-attr` directives, `report-to`, `worker-src`, ….
    #[default]
    Csp3,
}

impl CspVersion {
    /// The version for a number (1, 2 or 3); `None` for anything else.
    ///
    /// ```
    /// use header_audit::CspVersion;
    /// assert_eq!(CspVersion::from_number(2), Some(CspVersion::Csp2));
    /// assert_eq!(CspVersion::from_number(4), None);
    /// ```
    #[must_use]
    pub const fn from_number(n: u8) -> Option<Self> {
        match n {
            1 => Some(Self::Csp1),
            2 => Some(Self::Csp2),
            3 => Some(Self::Csp3),
            _ => None,
        }
    }
}

/// What is known about the exchange the headers come from.
///
/// ```
/// use header_audit::{Context, ResponseKind};
/// let ctx = Context::https("https://example.com/").with_kind(ResponseKind::Api);
/// assert!(ctx.https);
/// assert_eq!(ctx.origin().as_deref(), Some("https://example.com"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// The response arrived over HTTPS (with a valid certificate).
    pub https: bool,
    /// The URL that was requested, when known.
    pub url: Option<String>,
    /// What kind of resource the response is.
    pub kind: ResponseKind,
    /// The `Origin` header of the request, when known (for CORS checks).
    pub request_origin: Option<String>,
    /// Run the CSP Evaluator's strict-CSP checks too (`'strict-dynamic'`, fallbacks, Trusted Types).
    pub strict_csp: bool,
    /// The CSP level to evaluate the policy for.
    pub csp_version: CspVersion,
}

impl Default for Context {
    /// An HTTPS HTML document with no URL known.
    fn default() -> Self {
        Self {
            https: true,
            url: None,
            kind: ResponseKind::HtmlDocument,
            request_origin: None,
            strict_csp: false,
            csp_version: CspVersion::Csp3,
        }
    }
}

impl Context {
    /// A context for a URL; `https` is taken from its scheme.
    ///
    /// ```
    /// let ctx = header_audit::Context::for_url("http://example.com/login");
    /// assert!(!ctx.https);
    /// ```
    #[must_use]
    pub fn for_url(url: &str) -> Self {
        let https = url
            .get(..8)
            .is_some_and(|s| s.eq_ignore_ascii_case("https://"));
        Self {
            https,
            url: Some(url.to_owned()),
            ..Self::default()
        }
    }

    /// A context for an HTTPS URL.
    ///
    /// ```
    /// assert!(header_audit::Context::https("https://example.com").https);
    /// ```
    #[must_use]
    pub fn https(url: &str) -> Self {
        Self {
            https: true,
            url: Some(url.to_owned()),
            ..Self::default()
        }
    }

    /// A context for a response received over plain HTTP.
    ///
    /// ```
    /// assert!(!header_audit::Context::plain_http().https);
    /// ```
    #[must_use]
    pub fn plain_http() -> Self {
        Self {
            https: false,
            ..Self::default()
        }
    }

    /// Sets the kind of response.
    ///
    /// ```
    /// use header_audit::{Context, ResponseKind};
    /// assert_eq!(Context::default().with_kind(ResponseKind::Api).kind, ResponseKind::Api);
    /// ```
    #[must_use]
    pub fn with_kind(mut self, kind: ResponseKind) -> Self {
        self.kind = kind;
        self
    }

    /// Sets the request's `Origin` header.
    ///
    /// ```
    /// let ctx = header_audit::Context::default().with_request_origin("https://evil.example");
    /// assert_eq!(ctx.request_origin.as_deref(), Some("https://evil.example"));
    /// ```
    #[must_use]
    pub fn with_request_origin(mut self, origin: &str) -> Self {
        self.request_origin = Some(origin.to_owned());
        self
    }

    /// Turns the strict-CSP checks on or off.
    ///
    /// ```
    /// assert!(header_audit::Context::default().with_strict_csp(true).strict_csp);
    /// ```
    #[must_use]
    pub fn with_strict_csp(mut self, strict: bool) -> Self {
        self.strict_csp = strict;
        self
    }

    /// The origin (`scheme://host[:port]`) of [`Context::url`], lowercased, when a URL is known.
    ///
    /// ```
    /// let ctx = header_audit::Context::https("https://Example.COM:8443/a?b");
    /// assert_eq!(ctx.origin().as_deref(), Some("https://example.com:8443"));
    /// ```
    #[must_use]
    pub fn origin(&self) -> Option<String> {
        let url = self.url.as_deref()?;
        let (scheme, rest) = url.split_once("://")?;
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = rest.get(..end)?;
        // drop userinfo
        let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        if host.is_empty() {
            return None;
        }
        Some(format!(
            "{}://{}",
            scheme.to_ascii_lowercase(),
            host.to_ascii_lowercase()
        ))
    }

    /// The host of [`Context::url`], lowercased, without port.
    ///
    /// ```
    /// let ctx = header_audit::Context::https("https://www.Example.com:443/");
    /// assert_eq!(ctx.host().as_deref(), Some("www.example.com"));
    /// ```
    #[must_use]
    pub fn host(&self) -> Option<String> {
        let origin = self.origin()?;
        let (_, authority) = origin.split_once("://")?;
        if authority.starts_with('[') {
            return authority
                .find(']')
                .and_then(|i| authority.get(..=i))
                .map(str::to_owned);
        }
        Some(authority.split(':').next().unwrap_or(authority).to_owned())
    }
}
