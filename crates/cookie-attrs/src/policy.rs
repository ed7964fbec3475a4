//! `CookiePolicy`: hardens outgoing cookies so a browser stores them with the security
//! attributes the site wants, or says why it cannot.

use std::fmt;
use std::fmt::Write as _;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::date::CookieDate;
use crate::prefix::{CookiePrefix, SameSite};
use crate::set_cookie::{
    MAX_ATTRIBUTE_VALUE_LEN, MAX_LIFETIME_SECONDS, MAX_NAME_VALUE_LEN, ParseError, SetCookie,
};

/// 400 days, the longest lifetime browsers keep (RFC 6265bis §5.5), as `u64` seconds.
const MAX_LIFETIME: u64 = MAX_LIFETIME_SECONDS.unsigned_abs();

/// What is wrong with a piece of text that would end up inside a `Set-Cookie` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InvalidText {
    /// A control character (other than HTAB) at this byte offset: browsers ignore the cookie.
    ControlCharacter {
        /// Byte offset.
        offset: usize,
    },
    /// A `;` at this byte offset: it would end the name, value or attribute early.
    Semicolon {
        /// Byte offset.
        offset: usize,
    },
    /// An `=` in a cookie name at this byte offset: the browser would split the name there.
    EqualsInName {
        /// Byte offset.
        offset: usize,
    },
    /// Leading or trailing space or tab, which browsers strip.
    SurroundingWhitespace,
    /// Empty where text is required.
    Empty,
}

impl fmt::Display for InvalidText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ControlCharacter { offset } => write!(f, "control character at byte {offset}"),
            Self::Semicolon { offset } => write!(f, "';' at byte {offset}"),
            Self::EqualsInName { offset } => write!(f, "'=' at byte {offset}"),
            Self::SurroundingWhitespace => f.write_str("leading or trailing whitespace"),
            Self::Empty => f.write_str("empty"),
        }
    }
}

/// Why a cookie cannot be hardened into one a browser would store.
///
/// ```
/// use cookie_attrs::{CookiePolicy, CookiePrefix, HardenError};
/// let policy = CookiePolicy::default();
/// assert_eq!(
///     policy.harden_set_cookie("__Host-id=1; Domain=example.com"),
///     Err(HardenError::DomainWithHostPrefix { prefix: CookiePrefix::Host, domain: "example.com".into() })
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HardenError {
    /// A browser ignores this Set-Cookie string entirely.
    #[error("browsers ignore this Set-Cookie: {0}")]
    Unparsable(#[from] ParseError),
    /// The cookie name cannot be sent as is.
    #[error("invalid cookie name: {0}")]
    InvalidName(InvalidText),
    /// The cookie value cannot be sent as is.
    #[error("invalid cookie value: {0}")]
    InvalidValue(InvalidText),
    /// The `Path` or `Domain` of a [`cookie::Cookie`] cannot be sent as is.
    #[error("invalid {attribute} attribute: {reason}")]
    InvalidAttribute {
        /// `Path` or `Domain`.
        attribute: &'static str,
        /// What is wrong.
        reason: InvalidText,
    },
    /// A `Path` or `Domain` longer than 1024 octets, which browsers ignore.
    #[error("{attribute} is {len} octets long; browsers ignore values over 1024")]
    AttributeTooLong {
        /// `Path` or `Domain`.
        attribute: &'static str,
        /// Its length.
        len: usize,
    },
    /// Name and value together are over 4096 octets (after adding a prefix).
    #[error("name and value are {len} octets together; browsers ignore cookies over 4096")]
    TooLarge {
        /// Length of name plus value.
        len: usize,
    },
    /// Neither name nor value.
    #[error("the cookie has neither a name nor a value")]
    EmptyCookie,
    /// A `Domain` with a non-ASCII character (RFC 6265bis §5.7 step 8).
    #[error("Domain `{domain}` contains a character outside US-ASCII")]
    DomainNotAscii {
        /// The domain.
        domain: String,
    },
    /// `__Host-` (or `__Host-Http-`) forbids `Domain`; removing it would change which hosts get
    /// the cookie, so the application has to decide.
    #[error("the {prefix} prefix forbids the Domain attribute (Domain={domain})")]
    DomainWithHostPrefix {
        /// The prefix.
        prefix: CookiePrefix,
        /// The domain the cookie asks for.
        domain: String,
    },
    /// `__Host-` (or `__Host-Http-`) needs `Path=/`; the cookie asks for another path.
    #[error("the {prefix} prefix requires Path=/, the cookie has Path={path}")]
    PathWithHostPrefix {
        /// The prefix.
        prefix: CookiePrefix,
        /// The path the cookie asks for.
        path: String,
    },
    /// The policy adds a name prefix, but the cookie has no name.
    #[error("cannot add the {prefix} prefix to a nameless cookie")]
    NamelessCannotBePrefixed {
        /// The prefix the policy asks for.
        prefix: CookiePrefix,
    },
    /// A nameless cookie whose value starts with a prefix (RFC 6265bis §5.7 step 22).
    #[error("a nameless cookie's value cannot start with {prefix}")]
    NamelessWithPrefixedValue {
        /// The prefix at the start of the value.
        prefix: CookiePrefix,
    },
    /// The hardened cookie is not a valid header value (only non-UTF-8 input can cause it).
    #[error("the hardened cookie is not a valid header value")]
    InvalidHeaderValue,
}

/// Why a [`CookiePolicy`] configuration is invalid.
///
/// ```
/// use cookie_attrs::{CookiePolicy, PolicyError};
/// assert!(matches!(CookiePolicy::builder().path("app").build(), Err(PolicyError::InvalidPath { .. })));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// A path that does not start with `/`, is over 1024 octets, holds `;` or a control
    /// character, or ends in a space or tab (which browsers would strip).
    #[error(
        "invalid Path `{path}`: must start with '/', be at most 1024 octets, hold no ';' or control character, and not end in a space or tab"
    )]
    InvalidPath {
        /// The path.
        path: String,
    },
    /// A name pattern that is empty or holds characters no cookie name can hold.
    #[error("invalid cookie name pattern `{pattern}`")]
    InvalidPattern {
        /// The pattern.
        pattern: String,
    },
    /// A maximum lifetime of zero seconds: every persistent cookie would get `Max-Age=0`,
    /// which a browser treats as "delete now" (RFC 6265bis §5.6.2 step 7), so none would be
    /// stored.
    #[error("max_lifetime_seconds is 0: every persistent cookie would be deleted at once")]
    ZeroMaxLifetime,
    /// A `__Host-` prefix together with a path other than `/`.
    #[error("the {prefix} prefix requires Path=/, but the policy sets Path={path}")]
    PrefixPathConflict {
        /// The prefix.
        prefix: CookiePrefix,
        /// The path.
        path: String,
    },
}

/// Which cookies a [`CookieRule`] applies to: an exact name or a name prefix (written with a
/// trailing `*` in configuration files). Matching is case-sensitive, like cookie names.
///
/// ```
/// use cookie_attrs::NamePattern;
/// let p: NamePattern = "sess*".parse().unwrap();
/// assert!(p.matches("session_id"));
/// assert!(!p.matches("Session"));
/// assert!(NamePattern::exact("sid").matches("sid"));
/// assert_eq!(p.to_string(), "sess*");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "String", into = "String")
)]
pub enum NamePattern {
    /// Exactly this name.
    Exact(String),
    /// Every name starting with this text.
    Prefix(String),
}

impl NamePattern {
    /// A pattern matching exactly `name`.
    ///
    /// ```
    /// assert!(cookie_attrs::NamePattern::exact("id").matches("id"));
    /// ```
    #[must_use]
    pub fn exact(name: impl Into<String>) -> Self {
        Self::Exact(name.into())
    }

    /// A pattern matching every name that starts with `prefix`.
    ///
    /// ```
    /// assert!(cookie_attrs::NamePattern::prefix("__Host-").matches("__Host-id"));
    /// ```
    #[must_use]
    pub fn prefix(prefix: impl Into<String>) -> Self {
        Self::Prefix(prefix.into())
    }

    /// Whether `name` matches.
    ///
    /// ```
    /// assert!(!cookie_attrs::NamePattern::exact("id").matches("idx"));
    /// ```
    #[must_use]
    pub fn matches(&self, name: &str) -> bool {
        match self {
            Self::Exact(exact) => name == exact,
            Self::Prefix(prefix) => name.starts_with(prefix.as_str()),
        }
    }

    fn text(&self) -> &str {
        match self {
            Self::Exact(s) | Self::Prefix(s) => s,
        }
    }
}

impl fmt::Display for NamePattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Exact(s) => f.write_str(s),
            Self::Prefix(s) => write!(f, "{s}*"),
        }
    }
}

impl std::str::FromStr for NamePattern {
    type Err = PolicyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let pattern = match s.strip_suffix('*') {
            Some(prefix) => Self::Prefix(prefix.to_owned()),
            None => Self::Exact(s.to_owned()),
        };
        validate_pattern(&pattern)?;
        Ok(pattern)
    }
}

impl TryFrom<String> for NamePattern {
    type Error = PolicyError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<NamePattern> for String {
    fn from(pattern: NamePattern) -> Self {
        pattern.to_string()
    }
}

fn validate_pattern(pattern: &NamePattern) -> Result<(), PolicyError> {
    let text = pattern.text();
    if text.is_empty() || check_text(text, true).is_err() {
        return Err(PolicyError::InvalidPattern {
            pattern: pattern.to_string(),
        });
    }
    Ok(())
}

/// The attributes a policy enforces on every cookie (or, in a [`CookieRule`], on the cookies
/// the rule matches). `Default` is the recommended set: `Secure`, `HttpOnly`, `SameSite=Lax`,
/// at most 400 days.
///
/// ```
/// use cookie_attrs::{CookieAttributes, SameSite};
/// let a = CookieAttributes::default();
/// assert!(a.secure && a.http_only && !a.partitioned);
/// assert_eq!(a.same_site, Some(SameSite::Lax));
/// assert_eq!(a.max_lifetime_seconds, 34_560_000);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(default, deny_unknown_fields)
)]
pub struct CookieAttributes {
    /// Add `Secure`. (It is added anyway whenever a browser requires it: prefixes,
    /// `SameSite=None`, `Partitioned`.)
    pub secure: bool,
    /// Add `HttpOnly`. (Added anyway for `__Http-` and `__Host-Http-` cookies.)
    pub http_only: bool,
    /// The weakest `SameSite` allowed: a cookie without `SameSite` gets this value, a cookie
    /// with a weaker one is raised to it, a stronger one is kept. `None` leaves `SameSite`
    /// alone.
    pub same_site: Option<SameSite>,
    /// Add `Partitioned` (CHIPS; implies `Secure`).
    pub partitioned: bool,
    /// The `Path` given to cookies that do not set one.
    pub path: Option<String>,
    /// The longest lifetime, in seconds (at least 1, capped at 400 days): longer
    /// `Max-Age`/`Expires` are replaced by `Max-Age` of this many seconds. Session cookies stay
    /// session cookies.
    pub max_lifetime_seconds: u64,
    /// A name prefix given to cookies whose name has none (the application then reads the
    /// cookie under the prefixed name). Cookies that already have a prefix keep it and get its
    /// attributes.
    pub prefix: Option<CookiePrefix>,
}

impl Default for CookieAttributes {
    fn default() -> Self {
        Self {
            secure: true,
            http_only: true,
            same_site: Some(SameSite::Lax),
            partitioned: false,
            path: None,
            max_lifetime_seconds: MAX_LIFETIME,
            prefix: None,
        }
    }
}

/// Changes a [`CookieRule`] makes to the policy's [`CookieAttributes`] for the cookies it
/// matches; `None` fields keep the policy's value.
///
/// ```
/// use cookie_attrs::{AttributeOverrides, SameSite};
/// let strict = AttributeOverrides { same_site: Some(SameSite::Strict), ..Default::default() };
/// assert_eq!(strict.secure, None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(default, deny_unknown_fields)
)]
pub struct AttributeOverrides {
    /// Overrides [`CookieAttributes::secure`].
    pub secure: Option<bool>,
    /// Overrides [`CookieAttributes::http_only`].
    pub http_only: Option<bool>,
    /// Overrides [`CookieAttributes::same_site`].
    pub same_site: Option<SameSite>,
    /// Overrides [`CookieAttributes::partitioned`].
    pub partitioned: Option<bool>,
    /// Overrides [`CookieAttributes::path`].
    pub path: Option<String>,
    /// Overrides [`CookieAttributes::max_lifetime_seconds`].
    pub max_lifetime_seconds: Option<u64>,
    /// Overrides [`CookieAttributes::prefix`].
    pub prefix: Option<CookiePrefix>,
}

impl AttributeOverrides {
    fn apply(&self, base: &CookieAttributes) -> CookieAttributes {
        CookieAttributes {
            secure: self.secure.unwrap_or(base.secure),
            http_only: self.http_only.unwrap_or(base.http_only),
            same_site: self.same_site.or(base.same_site),
            partitioned: self.partitioned.unwrap_or(base.partitioned),
            path: self.path.clone().or_else(|| base.path.clone()),
            max_lifetime_seconds: self
                .max_lifetime_seconds
                .unwrap_or(base.max_lifetime_seconds),
            prefix: self.prefix.or(base.prefix),
        }
    }
}

/// Per-cookie settings: the cookies whose name matches `name` get the policy's attributes
/// with `set` applied. The first matching rule wins.
///
/// ```
/// use cookie_attrs::{AttributeOverrides, CookieRule, NamePattern, SameSite};
/// let rule = CookieRule {
///     name: NamePattern::exact("session"),
///     set: AttributeOverrides { same_site: Some(SameSite::Strict), ..Default::default() },
/// };
/// assert!(rule.name.matches("session"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CookieRule {
    /// Which cookies the rule applies to.
    pub name: NamePattern,
    /// What it changes.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub set: AttributeOverrides,
}

/// The configuration a [`CookiePolicy`] is built from (and, with the `serde` feature, read
/// from TOML or JSON).
///
/// ```
/// use cookie_attrs::{CookiePolicy, CookiePolicyConfig};
/// let policy = CookiePolicy::try_from(CookiePolicyConfig::default()).unwrap();
/// assert_eq!(policy, CookiePolicy::default());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(default, deny_unknown_fields)
)]
pub struct CookiePolicyConfig {
    /// The attributes every cookie gets.
    pub defaults: CookieAttributes,
    /// Per-cookie rules, first match wins.
    pub rules: Vec<CookieRule>,
}

/// Attributes resolved and checked at build time.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Resolved {
    secure: bool,
    http_only: bool,
    same_site: Option<SameSite>,
    partitioned: bool,
    path: Option<String>,
    max_lifetime: u64,
    prefix: Option<CookiePrefix>,
}

fn resolve(attributes: CookieAttributes) -> Result<Resolved, PolicyError> {
    // A longer lifetime is replaced by `Max-Age=max_lifetime_seconds`; with 0 that is
    // "Max-Age=0", which expires the cookie at once (RFC 6265bis §5.6.2 step 7: "If
    // delta-seconds is less than or equal to zero (0), let expiry-time be the earliest
    // representable date and time"): the cookie would be deleted, not hardened.
    if attributes.max_lifetime_seconds == 0 {
        return Err(PolicyError::ZeroMaxLifetime);
    }
    if let Some(path) = &attributes.path {
        if !path.starts_with('/')
            || path.len() > MAX_ATTRIBUTE_VALUE_LEN
            || check_text(path, false).is_err()
        {
            return Err(PolicyError::InvalidPath { path: path.clone() });
        }
        if let Some(prefix) = attributes.prefix
            && prefix.requires_root_path()
            && path != "/"
        {
            return Err(PolicyError::PrefixPathConflict {
                prefix,
                path: path.clone(),
            });
        }
    }
    Ok(Resolved {
        secure: attributes.secure,
        http_only: attributes.http_only,
        same_site: attributes.same_site,
        partitioned: attributes.partitioned,
        path: attributes.path,
        max_lifetime: attributes.max_lifetime_seconds.min(MAX_LIFETIME),
        prefix: attributes.prefix,
    })
}

/// Hardens outgoing cookies: adds `Secure`, `HttpOnly`, `SameSite`, `Partitioned`, `Path`,
/// caps the lifetime at the policy's maximum, enforces name prefixes, with per-cookie rules.
///
/// A policy either returns a cookie a browser stores (from a secure origin whose host matches
/// the cookie's `Domain`) with every attribute the policy asks for, or a [`HardenError`] saying
/// why it cannot. Hardening never weakens an attribute the cookie already has. Built once and
/// validated; applying it allocates only the output.
///
/// ```
/// use cookie_attrs::{CookiePolicy, NamePattern, SameSite, AttributeOverrides};
/// let policy = CookiePolicy::builder()
///     .rule(NamePattern::exact("sid"), AttributeOverrides { same_site: Some(SameSite::Strict), ..Default::default() })
///     .build()
///     .unwrap();
/// assert_eq!(policy.harden_set_cookie("sid=abc; Path=/").unwrap(),
///            "sid=abc; Path=/; Secure; HttpOnly; SameSite=Strict");
/// assert_eq!(policy.harden_set_cookie("theme=dark; SameSite=None").unwrap(),
///            "theme=dark; Secure; HttpOnly; SameSite=Lax");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "CookiePolicyConfig", into = "CookiePolicyConfig")
)]
pub struct CookiePolicy {
    config: CookiePolicyConfig,
    defaults: Resolved,
    rules: Vec<(NamePattern, Resolved)>,
}

impl Default for CookiePolicy {
    /// [`CookieAttributes::default`] for every cookie, no rules.
    fn default() -> Self {
        let config = CookiePolicyConfig::default();
        let defaults = Resolved {
            secure: true,
            http_only: true,
            same_site: Some(SameSite::Lax),
            partitioned: false,
            path: None,
            max_lifetime: MAX_LIFETIME,
            prefix: None,
        };
        Self {
            config,
            defaults,
            rules: Vec::new(),
        }
    }
}

impl TryFrom<CookiePolicyConfig> for CookiePolicy {
    type Error = PolicyError;
    fn try_from(config: CookiePolicyConfig) -> Result<Self, Self::Error> {
        let defaults = resolve(config.defaults.clone())?;
        let mut rules = Vec::with_capacity(config.rules.len());
        for rule in &config.rules {
            validate_pattern(&rule.name)?;
            rules.push((
                rule.name.clone(),
                resolve(rule.set.apply(&config.defaults))?,
            ));
        }
        Ok(Self {
            config,
            defaults,
            rules,
        })
    }
}

impl From<CookiePolicy> for CookiePolicyConfig {
    fn from(policy: CookiePolicy) -> Self {
        policy.config
    }
}

/// Builds a [`CookiePolicy`]; starts from [`CookieAttributes::default`].
///
/// ```
/// use cookie_attrs::{CookiePolicy, CookiePrefix, SameSite};
/// let policy = CookiePolicy::builder()
///     .same_site(Some(SameSite::Strict))
///     .prefix(Some(CookiePrefix::Host))
///     .max_lifetime(std::time::Duration::from_secs(3600))
///     .build()
///     .unwrap();
/// assert_eq!(policy.harden_set_cookie("id=1").unwrap(),
///            "__Host-id=1; Path=/; Secure; HttpOnly; SameSite=Strict");
/// ```
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct CookiePolicyBuilder {
    config: CookiePolicyConfig,
}

impl CookiePolicyBuilder {
    /// Sets [`CookieAttributes::secure`].
    ///
    /// ```
    /// let p = cookie_attrs::CookiePolicy::builder().secure(false).build().unwrap();
    /// assert_eq!(p.harden_set_cookie("a=b").unwrap(), "a=b; HttpOnly; SameSite=Lax");
    /// ```
    pub fn secure(mut self, secure: bool) -> Self {
        self.config.defaults.secure = secure;
        self
    }

    /// Sets [`CookieAttributes::http_only`].
    ///
    /// ```
    /// let p = cookie_attrs::CookiePolicy::builder().http_only(false).build().unwrap();
    /// assert_eq!(p.harden_set_cookie("a=b").unwrap(), "a=b; Secure; SameSite=Lax");
    /// ```
    pub fn http_only(mut self, http_only: bool) -> Self {
        self.config.defaults.http_only = http_only;
        self
    }

    /// Sets [`CookieAttributes::same_site`].
    ///
    /// ```
    /// let p = cookie_attrs::CookiePolicy::builder().same_site(None).build().unwrap();
    /// assert_eq!(p.harden_set_cookie("a=b").unwrap(), "a=b; Secure; HttpOnly");
    /// ```
    pub fn same_site(mut self, same_site: Option<SameSite>) -> Self {
        self.config.defaults.same_site = same_site;
        self
    }

    /// Sets [`CookieAttributes::partitioned`].
    ///
    /// ```
    /// let p = cookie_attrs::CookiePolicy::builder().partitioned(true).build().unwrap();
    /// assert!(p.harden_set_cookie("a=b").unwrap().ends_with("; Partitioned"));
    /// ```
    pub fn partitioned(mut self, partitioned: bool) -> Self {
        self.config.defaults.partitioned = partitioned;
        self
    }

    /// Sets [`CookieAttributes::path`] (checked by [`CookiePolicyBuilder::build`]).
    ///
    /// ```
    /// let p = cookie_attrs::CookiePolicy::builder().path("/").build().unwrap();
    /// assert_eq!(p.harden_set_cookie("a=b").unwrap(), "a=b; Path=/; Secure; HttpOnly; SameSite=Lax");
    /// ```
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.config.defaults.path = Some(path.into());
        self
    }

    /// Sets [`CookieAttributes::max_lifetime_seconds`] to the whole seconds of `max` (capped
    /// at 400 days; less than one second is refused by [`CookiePolicyBuilder::build`]).
    ///
    /// ```
    /// use cookie_attrs::{CookiePolicy, PolicyError};
    /// use std::time::Duration;
    /// let p = CookiePolicy::builder().max_lifetime(Duration::from_secs(60)).build().unwrap();
    /// assert_eq!(p.harden_set_cookie("a=b; Max-Age=3600").unwrap(),
    ///            "a=b; Max-Age=60; Secure; HttpOnly; SameSite=Lax");
    /// let zero = CookiePolicy::builder().max_lifetime(Duration::from_millis(999)).build();
    /// assert_eq!(zero, Err(PolicyError::ZeroMaxLifetime));
    /// ```
    pub fn max_lifetime(mut self, max: Duration) -> Self {
        self.config.defaults.max_lifetime_seconds = max.as_secs().min(MAX_LIFETIME);
        self
    }

    /// Sets [`CookieAttributes::prefix`].
    ///
    /// ```
    /// use cookie_attrs::{CookiePolicy, CookiePrefix};
    /// let p = CookiePolicy::builder().prefix(Some(CookiePrefix::Secure)).build().unwrap();
    /// assert!(p.harden_set_cookie("a=b").unwrap().starts_with("__Secure-a=b"));
    /// ```
    pub fn prefix(mut self, prefix: Option<CookiePrefix>) -> Self {
        self.config.defaults.prefix = prefix;
        self
    }

    /// Adds a per-cookie rule (checked in the order added; the first match wins).
    ///
    /// ```
    /// use cookie_attrs::{AttributeOverrides, CookiePolicy, NamePattern};
    /// let p = CookiePolicy::builder()
    ///     .rule(NamePattern::prefix("js_"), AttributeOverrides { http_only: Some(false), ..Default::default() })
    ///     .build().unwrap();
    /// assert_eq!(p.harden_set_cookie("js_theme=1").unwrap(), "js_theme=1; Secure; SameSite=Lax");
    /// ```
    pub fn rule(mut self, name: NamePattern, set: AttributeOverrides) -> Self {
        self.config.rules.push(CookieRule { name, set });
        self
    }

    /// Checks the configuration and resolves every rule.
    ///
    /// # Errors
    /// [`PolicyError`] for an invalid path or pattern, a maximum lifetime of zero, or a
    /// `__Host-` prefix with a path other than `/`.
    ///
    /// ```
    /// use cookie_attrs::{CookiePolicy, CookiePrefix};
    /// assert!(CookiePolicy::builder().prefix(Some(CookiePrefix::Host)).path("/app").build().is_err());
    /// ```
    pub fn build(self) -> Result<CookiePolicy, PolicyError> {
        CookiePolicy::try_from(self.config)
    }
}

/// What the cookie currently has, as a browser would read it.
struct Facts<'x> {
    name: &'x str,
    value: &'x str,
    secure: bool,
    http_only: bool,
    same_site: Option<SameSite>,
    partitioned: bool,
    domain: Option<&'x str>,
    /// Explicit absolute path, if any.
    path: Option<&'x str>,
    /// Requested lifetime in seconds (None: session cookie).
    lifetime: Option<i64>,
}

/// What the hardened cookie must have.
#[derive(Debug, PartialEq, Eq)]
struct Plan<'p> {
    add_prefix: Option<CookiePrefix>,
    secure: bool,
    http_only: bool,
    same_site: Option<SameSite>,
    partitioned: bool,
    set_path: Option<&'p str>,
    cap_lifetime: Option<u64>,
}

fn now() -> CookieDate {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    CookieDate::from_unix_seconds(seconds)
}

impl CookiePolicy {
    /// Starts a builder from [`CookieAttributes::default`].
    ///
    /// ```
    /// assert_eq!(cookie_attrs::CookiePolicy::builder().build().unwrap(),
    ///            cookie_attrs::CookiePolicy::default());
    /// ```
    pub fn builder() -> CookiePolicyBuilder {
        CookiePolicyBuilder::default()
    }

    /// The configuration this policy was built from.
    ///
    /// ```
    /// let p = cookie_attrs::CookiePolicy::default();
    /// assert!(p.config().rules.is_empty());
    /// ```
    #[must_use]
    pub fn config(&self) -> &CookiePolicyConfig {
        &self.config
    }

    fn settings_for(&self, name: &str) -> &Resolved {
        self.rules
            .iter()
            .find(|(pattern, _)| pattern.matches(name))
            .map_or(&self.defaults, |(_, resolved)| resolved)
    }

    /// Decides what the hardened cookie needs, or why it cannot be hardened.
    fn plan<'p>(settings: &'p Resolved, facts: &Facts<'_>) -> Result<Plan<'p>, HardenError> {
        if facts.name.is_empty() && facts.value.is_empty() {
            return Err(HardenError::EmptyCookie);
        }
        // RFC 6265bis §5.7 step 22 (and layered-cookies): nameless cookies with a prefixed value
        // are rejected.
        if facts.name.is_empty()
            && let Some(prefix) = CookiePrefix::of(facts.value)
        {
            return Err(HardenError::NamelessWithPrefixedValue { prefix });
        }
        let existing = CookiePrefix::of(facts.name);
        let add_prefix = match (existing, settings.prefix) {
            (None, Some(prefix)) if facts.name.is_empty() => {
                return Err(HardenError::NamelessCannotBePrefixed { prefix });
            }
            (None, Some(prefix)) => Some(prefix),
            _ => None,
        };
        // The prefix a browser sees on the final name, whose requirements the cookie must meet:
        // adding `__Host-` to `Http-x` makes `__Host-Http-x`, a `__Host-Http-` cookie that also
        // needs `HttpOnly` (layered-cookies "Store a Cookie": `__host-http-` names must be
        // "both Host-prefix compatible and Http-prefix compatible").
        let prefix = existing.or_else(|| add_prefix.map(|p| prefix_after_adding(p, facts.name)));
        let len = facts.name.len() + facts.value.len() + add_prefix.map_or(0, |p| p.as_str().len());
        if len > MAX_NAME_VALUE_LEN {
            return Err(HardenError::TooLarge { len });
        }
        if let Some(domain) = facts.domain {
            // §5.7 step 8.
            if !domain.is_ascii() {
                return Err(HardenError::DomainNotAscii {
                    domain: domain.to_owned(),
                });
            }
            // §5.7 step 21.2: __Host- needs a host-only cookie.
            if let Some(prefix) = prefix.filter(|p| p.forbids_domain()) {
                return Err(HardenError::DomainWithHostPrefix {
                    prefix,
                    domain: domain.to_owned(),
                });
            }
        }
        let same_site = match (facts.same_site, settings.same_site) {
            (Some(current), Some(minimum)) => Some(current.max(minimum)),
            (current, minimum) => current.or(minimum),
        };
        let partitioned = facts.partitioned || settings.partitioned;
        // §5.7 steps 19-21 and CHIPS: Secure is required by SameSite=None, Partitioned and every
        // prefix, so it is added for those whatever the policy says.
        let secure = facts.secure
            || settings.secure
            || prefix.is_some()
            || same_site == Some(SameSite::None)
            || partitioned;
        let http_only = facts.http_only
            || settings.http_only
            || prefix.is_some_and(CookiePrefix::requires_http_only);
        // §5.7 step 21.3: __Host- needs an explicit Path=/.
        let set_path = match (prefix.filter(|p| p.requires_root_path()), facts.path) {
            (Some(_), None) => Some("/"),
            (Some(prefix), Some(path)) if path != "/" => {
                return Err(HardenError::PathWithHostPrefix {
                    prefix,
                    path: path.to_owned(),
                });
            }
            (None, None) => settings.path.as_deref(),
            // An explicit path is kept (for __Host- it is "/" here).
            (_, Some(_)) => None,
        };
        let cap_lifetime = match facts.lifetime {
            Some(seconds) if seconds > 0 && seconds.unsigned_abs() > settings.max_lifetime => {
                Some(settings.max_lifetime)
            }
            _ => None,
        };
        Ok(Plan {
            add_prefix,
            secure,
            http_only,
            same_site,
            partitioned,
            set_path,
            cap_lifetime,
        })
    }

    /// Hardens a raw `Set-Cookie` header value.
    ///
    /// Attributes the policy does not touch (including ones browsers ignore, such as
    /// `Priority`) are kept as written; `Secure`, `HttpOnly`, `SameSite` and `Partitioned` are
    /// written once, at the end.
    ///
    /// # Errors
    /// [`HardenError`] when no hardened form would be stored by a browser (see its variants).
    ///
    /// ```
    /// let policy = cookie_attrs::CookiePolicy::default();
    /// assert_eq!(policy.harden_set_cookie("id=1; Max-Age=99999999; Priority=High").unwrap(),
    ///            "id=1; Priority=High; Max-Age=34560000; Secure; HttpOnly; SameSite=Lax");
    /// assert!(policy.harden_set_cookie("id=1\r\nX-Evil: 1").is_err());
    /// ```
    pub fn harden_set_cookie(&self, set_cookie: &str) -> Result<String, HardenError> {
        self.harden_set_cookie_inner(set_cookie, None)
    }

    /// Like [`CookiePolicy::harden_set_cookie`], with `now` as the current time (used to
    /// compare an `Expires` date with the lifetime limit).
    ///
    /// # Errors
    /// As [`CookiePolicy::harden_set_cookie`].
    ///
    /// ```
    /// use cookie_attrs::{CookieDate, CookiePolicy};
    /// let now = CookieDate::from_unix_seconds(0);
    /// let out = CookiePolicy::default()
    ///     .harden_set_cookie_at("id=1; Expires=Fri, 01 Jan 2100 00:00:00 GMT", now).unwrap();
    /// assert_eq!(out, "id=1; Max-Age=34560000; Secure; HttpOnly; SameSite=Lax");
    /// ```
    pub fn harden_set_cookie_at(
        &self,
        set_cookie: &str,
        now: CookieDate,
    ) -> Result<String, HardenError> {
        self.harden_set_cookie_inner(set_cookie, Some(now))
    }

    fn harden_set_cookie_inner(
        &self,
        input: &str,
        now_override: Option<CookieDate>,
    ) -> Result<String, HardenError> {
        let cookie = SetCookie::parse(input)?;
        let lifetime = match (cookie.max_age(), cookie.expires()) {
            (None, Some(_)) => cookie.requested_lifetime(now_override.unwrap_or_else(now)),
            (max_age, _) => max_age,
        };
        let facts = Facts {
            name: cookie.name(),
            value: cookie.value(),
            secure: cookie.secure(),
            http_only: cookie.http_only(),
            same_site: cookie.same_site(),
            partitioned: cookie.partitioned(),
            domain: cookie.domain(),
            path: cookie.path(),
            lifetime,
        };
        let settings = self.settings_for(facts.name);
        let plan = Self::plan(settings, &facts)?;
        let mut out = String::with_capacity(input.len() + 48);
        if let Some(prefix) = plan.add_prefix {
            out.push_str(prefix.as_str());
        }
        if !facts.name.is_empty() || plan.add_prefix.is_some() || facts.value.contains('=') {
            out.push_str(facts.name);
            out.push('=');
        }
        out.push_str(facts.value);
        // Copy the attributes the plan does not rewrite, in their order, WSP-trimmed.
        let attributes = input
            .find(';')
            .and_then(|i| input.get(i + 1..))
            .unwrap_or("");
        for av in attributes.split(';') {
            let av = av.trim_matches(|c| c == ' ' || c == '\t');
            if av.is_empty() {
                continue;
            }
            let (name, value) = match av.find('=') {
                Some(i) => (av.get(..i).unwrap_or(""), av.get(i + 1..).unwrap_or("")),
                None => (av, ""),
            };
            let name = name.trim_matches(|c| c == ' ' || c == '\t');
            let value = value.trim_matches(|c| c == ' ' || c == '\t');
            if (name.is_empty() && value.is_empty()) || value.len() > MAX_ATTRIBUTE_VALUE_LEN {
                continue; // ignored by browsers anyway
            }
            let drop = if name.eq_ignore_ascii_case("secure")
                || name.eq_ignore_ascii_case("httponly")
                || name.eq_ignore_ascii_case("samesite")
                || name.eq_ignore_ascii_case("partitioned")
            {
                true
            } else if name.eq_ignore_ascii_case("max-age") || name.eq_ignore_ascii_case("expires") {
                plan.cap_lifetime.is_some()
            } else if name.eq_ignore_ascii_case("path") {
                plan.set_path.is_some()
            } else {
                false
            };
            if !drop {
                out.push_str("; ");
                out.push_str(av);
            }
        }
        if let Some(path) = plan.set_path {
            out.push_str("; Path=");
            out.push_str(path);
        }
        if let Some(max_age) = plan.cap_lifetime {
            let _ = write!(out, "; Max-Age={max_age}");
        }
        if plan.secure {
            out.push_str("; Secure");
        }
        if plan.http_only {
            out.push_str("; HttpOnly");
        }
        if let Some(same_site) = plan.same_site {
            out.push_str("; SameSite=");
            out.push_str(same_site.as_str());
        }
        if plan.partitioned {
            out.push_str("; Partitioned");
        }
        Ok(out)
    }

    /// Hardens a `Set-Cookie` [`http::HeaderValue`].
    ///
    /// # Errors
    /// As [`CookiePolicy::harden_set_cookie`]; also [`ParseError::NotUtf8`] for a value that
    /// is not UTF-8.
    ///
    /// ```
    /// let v = http::HeaderValue::from_static("id=1");
    /// let out = cookie_attrs::CookiePolicy::default().harden_header_value(&v).unwrap();
    /// assert_eq!(out, "id=1; Secure; HttpOnly; SameSite=Lax");
    /// ```
    pub fn harden_header_value(
        &self,
        value: &http::HeaderValue,
    ) -> Result<http::HeaderValue, HardenError> {
        let text = std::str::from_utf8(value.as_bytes()).map_err(|_| ParseError::NotUtf8)?;
        let hardened = self.harden_set_cookie(text)?;
        http::HeaderValue::try_from(hardened).map_err(|_| HardenError::InvalidHeaderValue)
    }

    /// Hardens a [`cookie::Cookie`], checking that its name, value, `Path` and `Domain` can be
    /// sent as they are.
    ///
    /// # Errors
    /// [`HardenError`] when the cookie cannot be sent or cannot be made acceptable.
    ///
    /// ```
    /// use cookie::Cookie;
    /// use cookie_attrs::{CookiePolicy, HardenError};
    /// let policy = CookiePolicy::default();
    /// let c = policy.harden(Cookie::new("id", "1")).unwrap();
    /// assert_eq!(c.to_string(), "id=1; HttpOnly; SameSite=Lax; Secure");
    /// assert!(matches!(policy.harden(Cookie::new("id", "1; Domain=evil")), Err(HardenError::InvalidValue(_))));
    /// ```
    pub fn harden<'c>(
        &self,
        mut cookie: cookie::Cookie<'c>,
    ) -> Result<cookie::Cookie<'c>, HardenError> {
        check_text(cookie.name(), true).map_err(HardenError::InvalidName)?;
        if !cookie.name().is_empty() || !cookie.value().is_empty() {
            check_text(cookie.value(), false).map_err(HardenError::InvalidValue)?;
        }
        for (attribute, text) in [("Path", cookie.path()), ("Domain", cookie.domain())] {
            if let Some(text) = text {
                if text.len() > MAX_ATTRIBUTE_VALUE_LEN {
                    return Err(HardenError::AttributeTooLong {
                        attribute,
                        len: text.len(),
                    });
                }
                check_text(text, false)
                    .map_err(|reason| HardenError::InvalidAttribute { attribute, reason })?;
            }
        }
        let lifetime = match (cookie.max_age(), cookie.expires_datetime()) {
            (Some(max_age), _) => Some(max_age.whole_seconds()),
            (None, Some(expires)) => Some(
                expires
                    .unix_timestamp()
                    .saturating_sub(now().unix_seconds()),
            ),
            (None, None) => None,
        };
        // The cookie crate writes `Secure` for SameSite=None when `secure` is unset.
        let secure = cookie.secure() == Some(true)
            || (cookie.secure().is_none() && cookie.same_site() == Some(cookie::SameSite::None));
        let name = cookie.name().to_owned();
        let facts = Facts {
            name: &name,
            value: cookie.value(),
            secure,
            http_only: cookie.http_only() == Some(true),
            same_site: cookie.same_site().map(SameSite::from_cookie),
            partitioned: cookie.partitioned() == Some(true),
            domain: cookie.domain().filter(|d| !d.is_empty()),
            path: cookie.path().filter(|p| p.starts_with('/')),
            lifetime,
        };
        let settings = self.settings_for(&name);
        let plan = Self::plan(settings, &facts)?;
        if let Some(prefix) = plan.add_prefix {
            cookie.set_name(format!("{prefix}{name}"));
        }
        if plan.secure {
            cookie.set_secure(true);
        }
        if plan.http_only {
            cookie.set_http_only(true);
        }
        if let Some(same_site) = plan.same_site {
            cookie.set_same_site(same_site.to_cookie());
        }
        if plan.partitioned {
            cookie.set_partitioned(true);
        }
        if let Some(path) = plan.set_path {
            cookie.set_path(path.to_owned());
        }
        if let Some(max_age) = plan.cap_lifetime {
            cookie.unset_expires();
            cookie.set_max_age(cookie::time::Duration::seconds(
                i64::try_from(max_age).unwrap_or(MAX_LIFETIME_SECONDS),
            ));
        }
        Ok(cookie)
    }
}

/// The prefix of `added` followed by `name`, as [`CookiePrefix::of`] would find it, without
/// building the string: a longer prefix that starts with `added` wins when `name` starts with
/// the rest of it (case-insensitively).
fn prefix_after_adding(added: CookiePrefix, name: &str) -> CookiePrefix {
    CookiePrefix::ALL
        .into_iter()
        .find(|longer| {
            longer
                .as_str()
                .strip_prefix(added.as_str())
                .filter(|rest| !rest.is_empty())
                .is_some_and(|rest| {
                    name.as_bytes()
                        .get(..rest.len())
                        .is_some_and(|head| head.eq_ignore_ascii_case(rest.as_bytes()))
                })
        })
        .unwrap_or(added)
}

/// Checks text bound for a Set-Cookie name (`is_name`), value or attribute: no CTL other than
/// HTAB, no `;`, no `=` in a name, no surrounding WSP.
fn check_text(text: &str, is_name: bool) -> Result<(), InvalidText> {
    for (offset, b) in text.bytes().enumerate() {
        if (b < 0x20 && b != b'\t') || b == 0x7f {
            return Err(InvalidText::ControlCharacter { offset });
        }
        if b == b';' {
            return Err(InvalidText::Semicolon { offset });
        }
        if is_name && b == b'=' {
            return Err(InvalidText::EqualsInName { offset });
        }
    }
    let wsp = |b: &u8| *b == b' ' || *b == b'\t';
    if text.as_bytes().first().is_some_and(wsp) || text.as_bytes().last().is_some_and(wsp) {
        return Err(InvalidText::SurroundingWhitespace);
    }
    Ok(())
}
