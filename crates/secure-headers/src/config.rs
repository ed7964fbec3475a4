//! The whole bundle from a TOML or JSON configuration (feature `serde`).
//!
//! The configuration is validated exactly like the builder (it *is* the builder underneath),
//! and every error names the key it is about (`csp.directives.script-src`, `headers.referrer-policy`).
//!
//! ```
//! let bundle = secure_headers::config::from_toml(r#"
//! preset = "recommended"
//! remove = ["server"]
//!
//! [csp]
//! nonce = ["script-src"]
//! [csp.directives]
//! default-src = ["'self'"]
//! script-src = ["'strict-dynamic'"]
//! object-src = ["'none'"]
//!
//! [headers]
//! referrer-policy = "strict-origin-when-cross-origin"
//! x-download-options = false
//! "#)?;
//! let mut headers = http::HeaderMap::new();
//! assert!(bundle.apply(&mut headers).is_some());
//! assert_eq!(headers["referrer-policy"], "strict-origin-when-cross-origin");
//! assert!(!headers.contains_key("x-download-options"));
//! # Ok::<(), secure_headers::config::ConfigError>(())
//! ```

use std::collections::BTreeMap;

use http::{HeaderName, HeaderValue};
use serde::Deserialize;

use crate::bundle::{BuildError, Csp, SecureHeaders, SecureHeadersBuilder};
use crate::overrides::OnConflict;

/// Why a configuration was rejected.
///
/// ```
/// use secure_headers::config::{from_toml, ConfigError};
/// let err = from_toml("hsts = \"max-age=soon\"").unwrap_err();
/// assert!(matches!(&err, ConfigError::Invalid { key, .. } if key == "hsts"));
/// let err = from_toml("preset = \"lenient\"").unwrap_err();
/// assert!(matches!(&err, ConfigError::Syntax { path, .. } if path == "preset"));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The text is not valid TOML / JSON, or a key has the wrong type or is unknown.
    #[error("{path}: {message}")]
    Syntax {
        /// The key path (`csp.directives.img-src`); `.` when the error is not about a key.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A value is not valid for its header.
    #[error("{key}: {message}")]
    Invalid {
        /// The key path.
        key: String,
        /// What is wrong.
        message: String,
    },
    /// The configuration is well-formed but inconsistent (as [`SecureHeadersBuilder::build`]).
    #[error(transparent)]
    Build(#[from] BuildError),
}

/// The preset a configuration starts from.
///
/// ```
/// use secure_headers::config::{PresetName, SecureHeadersConfig};
/// assert_eq!(PresetName::default(), PresetName::None);
/// let config = SecureHeadersConfig { preset: PresetName::Api, ..Default::default() };
/// let bundle = config.build()?;
/// assert_eq!(bundle.value(&http::header::CACHE_CONTROL).unwrap(), "no-store");
/// # Ok::<(), secure_headers::config::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum PresetName {
    /// [`SecureHeaders::recommended`].
    Recommended,
    /// [`SecureHeaders::strict`].
    Strict,
    /// [`SecureHeaders::api`].
    Api,
    /// [`SecureHeaders::builder`]: nothing set.
    #[default]
    None,
}

/// A CSP in a configuration file: directives and the directives that get the nonce.
///
/// ```
/// use secure_headers::config::{CspConfig, CspSetting, SecureHeadersConfig};
/// let csp = CspConfig {
///     directives: [
///         ("script-src".to_owned(), vec!["'strict-dynamic'".to_owned()]),
///         ("default-src".to_owned(), vec!["'self'".to_owned()]),
///     ]
///     .into(),
///     nonce: vec!["script-src".to_owned()],
/// };
/// let config = SecureHeadersConfig { csp: Some(CspSetting::Policy(csp)), ..Default::default() };
/// let bundle = config.build()?;
/// assert!(bundle.uses_nonce());
/// // Directives come out in alphabetical order of their names.
/// assert_eq!(
///     bundle.value(&http::header::CONTENT_SECURITY_POLICY).unwrap(),
///     "default-src 'self'; script-src 'strict-dynamic'"
/// );
/// # Ok::<(), secure_headers::config::ConfigError>(())
/// ```
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CspConfig {
    /// Directive name to sources (written in alphabetical order of the names).
    pub directives: BTreeMap<String, Vec<String>>,
    /// Directives that get the per-response nonce.
    #[serde(default)]
    pub nonce: Vec<String>,
}

impl CspConfig {
    fn to_csp(&self) -> Csp {
        let csp = self
            .directives
            .iter()
            .fold(Csp::new(), |csp, (name, sources)| {
                csp.directive(name, sources.iter().cloned())
            });
        self.nonce
            .iter()
            .fold(csp, |csp, name| csp.with_nonce(name))
    }
}

/// A CSP entry: a policy, or `false` to send none.
///
/// Deserialized by hand rather than as an untagged enum, so that an error inside the policy
/// keeps its full key (`csp.directives.img-src`) instead of "no variant matched".
///
/// ```
/// use secure_headers::config::{CspSetting, PresetName, SecureHeadersConfig};
/// let config = SecureHeadersConfig {
///     preset: PresetName::Recommended,
///     csp: Some(CspSetting::Off(false)),
///     ..Default::default()
/// };
/// let bundle = config.build()?;
/// assert!(bundle.value(&http::header::CONTENT_SECURITY_POLICY).is_none());
/// // `true` means nothing and is rejected.
/// let config = SecureHeadersConfig { csp: Some(CspSetting::Off(true)), ..Default::default() };
/// assert!(config.build().is_err());
/// # Ok::<(), secure_headers::config::ConfigError>(())
/// ```
#[derive(Debug, Clone)]
pub enum CspSetting {
    /// `false`: no policy.
    Off(bool),
    /// A policy.
    Policy(CspConfig),
}

/// A header entry: its value, or `false` to send none.
///
/// ```
/// use secure_headers::config::{HeaderSetting, PresetName, SecureHeadersConfig};
/// let config = SecureHeadersConfig {
///     preset: PresetName::Recommended,
///     headers: [
///         ("referrer-policy".to_owned(), HeaderSetting::Value("same-origin".to_owned())),
///         ("x-frame-options".to_owned(), HeaderSetting::Off(false)),
///     ]
///     .into(),
///     ..Default::default()
/// };
/// let bundle = config.build()?;
/// assert_eq!(bundle.value(&http::header::REFERRER_POLICY).unwrap(), "same-origin");
/// assert!(bundle.value(&http::header::X_FRAME_OPTIONS).is_none());
/// # Ok::<(), secure_headers::config::ConfigError>(())
/// ```
#[derive(Debug, Clone)]
pub enum HeaderSetting {
    /// `false`: do not send the header.
    Off(bool),
    /// The header value.
    Value(String),
}

impl<'de> Deserialize<'de> for CspSetting {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CspSettingVisitor;
        impl<'de> serde::de::Visitor<'de> for CspSettingVisitor {
            type Value = CspSetting;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a table with `directives` (and optionally `nonce`), or false")
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<CspSetting, E> {
                Ok(CspSetting::Off(v))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<CspSetting, A::Error> {
                CspConfig::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(CspSetting::Policy)
            }
        }
        deserializer.deserialize_any(CspSettingVisitor)
    }
}

impl<'de> Deserialize<'de> for HeaderSetting {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct HeaderSettingVisitor;
        impl serde::de::Visitor<'_> for HeaderSettingVisitor {
            type Value = HeaderSetting;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a header value (a string), or false")
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<HeaderSetting, E> {
                Ok(HeaderSetting::Off(v))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<HeaderSetting, E> {
                Ok(HeaderSetting::Value(v.to_owned()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<HeaderSetting, E> {
                Ok(HeaderSetting::Value(v))
            }
        }
        deserializer.deserialize_any(HeaderSettingVisitor)
    }
}

/// What happens when the handler already set a header.
///
/// ```
/// use http::{header::REFERRER_POLICY, HeaderMap, HeaderValue};
/// use secure_headers::config::{ConflictSetting, PresetName, SecureHeadersConfig};
/// let config = SecureHeadersConfig {
///     preset: PresetName::Recommended,
///     on_conflict: [("referrer-policy".to_owned(), ConflictSetting::Override)].into(),
///     ..Default::default()
/// };
/// let bundle = config.build()?;
/// let mut headers = HeaderMap::new();
/// headers.insert(REFERRER_POLICY, HeaderValue::from_static("unsafe-url"));
/// bundle.apply(&mut headers);
/// assert_eq!(headers[REFERRER_POLICY], "no-referrer");
/// # Ok::<(), secure_headers::config::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ConflictSetting {
    /// [`OnConflict::Keep`].
    Keep,
    /// [`OnConflict::Override`].
    Override,
    /// [`OnConflict::Merge`].
    Merge,
}

/// The whole configuration file.
///
/// [`from_toml`] and [`from_json`] read it from text; it can also be built in code.
///
/// ```
/// use secure_headers::config::{HeaderSetting, PresetName, SecureHeadersConfig};
/// let config = SecureHeadersConfig {
///     preset: PresetName::Api,
///     hsts: Some(HeaderSetting::Value("max-age=600".to_owned())),
///     remove: vec!["x-runtime".to_owned()],
///     ..Default::default()
/// };
/// let bundle = config.build()?;
/// assert_eq!(bundle.value(&http::header::STRICT_TRANSPORT_SECURITY).unwrap(), "max-age=600");
/// assert!(bundle.removed_headers().iter().any(|h| h == "x-runtime"));
/// # Ok::<(), secure_headers::config::ConfigError>(())
/// ```
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecureHeadersConfig {
    /// Starting point.
    #[serde(default)]
    pub preset: PresetName,
    /// Enforced CSP (replaces the preset's).
    pub csp: Option<CspSetting>,
    /// Report-only CSP.
    pub csp_report_only: Option<CspSetting>,
    /// `Strict-Transport-Security` value, or `false`.
    pub hsts: Option<HeaderSetting>,
    /// Other headers by name (replacing the preset's), or `false` to disable one.
    #[serde(default)]
    pub headers: BTreeMap<String, HeaderSetting>,
    /// Headers removed from every response (added to the preset's list).
    #[serde(default)]
    pub remove: Vec<String>,
    /// Conflict rules by header name.
    #[serde(default)]
    pub on_conflict: BTreeMap<String, ConflictSetting>,
    /// `Reporting-Endpoints`: endpoint name to URL.
    #[serde(default)]
    pub reporting_endpoints: BTreeMap<String, String>,
}

fn invalid(key: String, message: impl std::fmt::Display) -> ConfigError {
    ConfigError::Invalid {
        key,
        message: message.to_string(),
    }
}

fn header_name(key: &str, name: &str) -> Result<HeaderName, ConfigError> {
    HeaderName::from_bytes(name.as_bytes()).map_err(|e| invalid(key.to_owned(), e))
}

/// Validates `value` with this crate's parser for `name` when there is one, and returns the
/// canonical serialization.
fn checked_value(key: &str, name: &HeaderName, value: &str) -> Result<HeaderValue, ConfigError> {
    fn canonical<T>(key: &str, value: &str) -> Result<HeaderValue, ConfigError>
    where
        T: std::str::FromStr + std::fmt::Display,
        T::Err: std::fmt::Display,
    {
        let parsed: T = value.parse().map_err(|e| invalid(key.to_owned(), e))?;
        HeaderValue::try_from(parsed.to_string()).map_err(|e| invalid(key.to_owned(), e))
    }
    match name.as_str() {
        "referrer-policy" => canonical::<crate::ReferrerPolicy>(key, value),
        "permissions-policy" => canonical::<crate::PermissionsPolicy>(key, value),
        "cross-origin-opener-policy" => canonical::<crate::CrossOriginOpenerPolicy>(key, value),
        "cross-origin-embedder-policy" => canonical::<crate::CrossOriginEmbedderPolicy>(key, value),
        "cross-origin-resource-policy" => canonical::<crate::CrossOriginResourcePolicy>(key, value),
        "origin-agent-cluster" => canonical::<crate::OriginAgentCluster>(key, value),
        "x-dns-prefetch-control" => canonical::<crate::XDnsPrefetchControl>(key, value),
        "x-permitted-cross-domain-policies" => {
            canonical::<crate::XPermittedCrossDomainPolicies>(key, value)
        }
        "x-xss-protection" => canonical::<crate::XXssProtection>(key, value),
        "cache-control" => canonical::<crate::CacheControl>(key, value),
        _ => HeaderValue::from_str(value).map_err(|e| invalid(key.to_owned(), e)),
    }
}

impl SecureHeadersConfig {
    /// The builder this configuration describes.
    ///
    /// # Errors
    /// [`ConfigError::Invalid`] naming the key whose value is invalid.
    ///
    /// ```
    /// use secure_headers::config::{PresetName, SecureHeadersConfig};
    /// let config = SecureHeadersConfig { preset: PresetName::Strict, ..Default::default() };
    /// // Adjust in code what the file does not say, then build.
    /// let bundle = config.to_builder()?.disable(http::header::CACHE_CONTROL).build()?;
    /// assert!(bundle.value(&http::header::CACHE_CONTROL).is_none());
    /// assert_eq!(bundle.value(&http::header::X_FRAME_OPTIONS).unwrap(), "DENY");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_builder(&self) -> Result<SecureHeadersBuilder, ConfigError> {
        let mut b = match self.preset {
            PresetName::Recommended => SecureHeaders::recommended(),
            PresetName::Strict => SecureHeaders::strict(),
            PresetName::Api => SecureHeaders::api(),
            PresetName::None => SecureHeaders::builder(),
        };
        match &self.csp {
            Some(CspSetting::Off(false)) => b = b.disable(crate::bundle::CSP),
            Some(CspSetting::Off(true)) => {
                return Err(invalid(
                    "csp".to_owned(),
                    "expected a policy table or false",
                ));
            }
            Some(CspSetting::Policy(p)) => b = b.csp(p.to_csp()),
            None => {}
        }
        match &self.csp_report_only {
            Some(CspSetting::Off(false)) => b = b.disable(crate::bundle::CSP_REPORT_ONLY),
            Some(CspSetting::Off(true)) => {
                return Err(invalid(
                    "csp_report_only".to_owned(),
                    "expected a policy table or false",
                ));
            }
            Some(CspSetting::Policy(p)) => b = b.csp_report_only(p.to_csp()),
            None => {}
        }
        match &self.hsts {
            Some(HeaderSetting::Off(false)) => {
                b = b.disable(http::header::STRICT_TRANSPORT_SECURITY);
            }
            Some(HeaderSetting::Off(true)) => {
                return Err(invalid(
                    "hsts".to_owned(),
                    "expected a header value or false",
                ));
            }
            Some(HeaderSetting::Value(v)) => {
                let parsed = hsts::Hsts::parse(v).map_err(|e| invalid("hsts".to_owned(), e))?;
                b = b.hsts(&parsed);
            }
            None => {}
        }
        if !self.reporting_endpoints.is_empty() {
            let endpoints = self
                .reporting_endpoints
                .iter()
                .fold(crate::ReportingEndpoints::builder(), |eb, (n, u)| {
                    eb.endpoint(n, u)
                })
                .build()
                .map_err(|e| invalid("reporting_endpoints".to_owned(), e))?;
            b = b.reporting_endpoints(&endpoints);
        }
        for (name, setting) in &self.headers {
            let key = format!("headers.{name}");
            let hn = header_name(&key, name)?;
            match setting {
                HeaderSetting::Off(false) => b = b.disable(hn),
                HeaderSetting::Off(true) => {
                    return Err(invalid(key, "expected a header value or false"));
                }
                HeaderSetting::Value(v) => {
                    let value = checked_value(&key, &hn, v)?;
                    b = b.header(hn, value);
                }
            }
        }
        for (i, name) in self.remove.iter().enumerate() {
            b = b.remove_header(header_name(&format!("remove[{i}]"), name)?);
        }
        for (name, rule) in &self.on_conflict {
            let hn = header_name(&format!("on_conflict.{name}"), name)?;
            let rule = match rule {
                ConflictSetting::Keep => OnConflict::Keep,
                ConflictSetting::Override => OnConflict::Override,
                ConflictSetting::Merge => OnConflict::Merge,
            };
            b = b.on_conflict(hn, rule);
        }
        Ok(b)
    }

    /// Builds the bundle.
    ///
    /// # Errors
    /// [`ConfigError`] naming the key, or the build error.
    ///
    /// ```
    /// use secure_headers::config::{ConfigError, PresetName, SecureHeadersConfig};
    /// let config = SecureHeadersConfig { preset: PresetName::Recommended, ..Default::default() };
    /// let mut headers = http::HeaderMap::new();
    /// config.build()?.apply(&mut headers);
    /// assert_eq!(headers["x-content-type-options"], "nosniff");
    /// // An inconsistent configuration is a build error.
    /// let config = SecureHeadersConfig {
    ///     on_conflict: [("x-frame-options".to_owned(), secure_headers::config::ConflictSetting::Merge)].into(),
    ///     ..Default::default()
    /// };
    /// assert!(matches!(config.build(), Err(ConfigError::Build(_))));
    /// # Ok::<(), ConfigError>(())
    /// ```
    pub fn build(&self) -> Result<SecureHeaders, ConfigError> {
        Ok(self.to_builder()?.build()?)
    }
}

fn syntax<E: std::fmt::Display>(e: serde_path_to_error::Error<E>) -> ConfigError {
    let path = e.path().to_string();
    ConfigError::Syntax {
        path,
        message: e.into_inner().to_string(),
    }
}

/// Reads a TOML configuration.
///
/// # Errors
/// [`ConfigError`] naming the key.
///
/// ```
/// let err = secure_headers::config::from_toml("[headers]\nreferrer-policy = \"sometimes\"").unwrap_err();
/// assert!(err.to_string().starts_with("headers.referrer-policy:"));
/// ```
pub fn from_toml(text: &str) -> Result<SecureHeaders, ConfigError> {
    let de = toml::Deserializer::parse(text).map_err(|e| ConfigError::Syntax {
        path: ".".to_owned(),
        message: e.to_string(),
    })?;
    let config: SecureHeadersConfig = serde_path_to_error::deserialize(de).map_err(syntax)?;
    config.build()
}

/// Reads a JSON configuration.
///
/// # Errors
/// [`ConfigError`] naming the key.
///
/// ```
/// let err = secure_headers::config::from_json(r#"{"csp": {"directives": {"img-src": 5}}}"#).unwrap_err();
/// assert!(err.to_string().starts_with("csp"), "{err}");
/// ```
pub fn from_json(text: &str) -> Result<SecureHeaders, ConfigError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let config: SecureHeadersConfig = serde_path_to_error::deserialize(&mut de).map_err(syntax)?;
    config.build()
}
