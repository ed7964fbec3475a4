//! `Permissions-Policy` and `Permissions-Policy-Report-Only` (W3C Permissions Policy §5.2,
//! §9.2-9.4): an RFC 9651 dictionary from feature names to allowlists.
//!
//! ```
//! use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
//!
//! let policy = PermissionsPolicy::builder()
//!     .deny(Feature::CAMERA)
//!     .deny(Feature::MICROPHONE)
//!     .allow_self(Feature::FULLSCREEN)
//!     .allow(Feature::PAYMENT, true, ["https://pay.example"])
//!     .build()?;
//! assert_eq!(
//!     policy.to_string(),
//!     r#"camera=(), microphone=(), fullscreen=(self), payment=(self "https://pay.example")"#
//! );
//! assert_eq!(policy.to_string().parse::<PermissionsPolicy>()?, policy);
//! # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
//! ```

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use http::{HeaderName, HeaderValue};

use crate::origin::{OriginError, OriginPattern, split_url_authority};
use crate::reporting_endpoints::EndpointName;
use crate::sf::{self, StructuredFieldError};
use crate::util::is_sf_key;

/// `Permissions-Policy`.
///
/// ```
/// use secure_headers::permissions_policy::{Feature, PermissionsPolicy, NAME};
/// use secure_headers::SecureHeaders;
/// let policy = PermissionsPolicy::builder().deny(Feature::CAMERA).build()?;
/// let bundle = SecureHeaders::builder().permissions_policy(&policy).build()?;
/// let mut headers = http::HeaderMap::new();
/// bundle.apply(&mut headers);
/// assert_eq!(headers[NAME], "camera=()");
/// assert_eq!(NAME.as_str(), "permissions-policy");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const NAME: HeaderName = HeaderName::from_static("permissions-policy");

/// `Permissions-Policy-Report-Only`: same syntax, reports instead of blocking.
///
/// ```
/// use secure_headers::permissions_policy::{Feature, PermissionsPolicy, NAME, REPORT_ONLY_NAME};
/// use secure_headers::SecureHeaders;
/// let policy = PermissionsPolicy::builder()
///     .deny(Feature::CAMERA)
///     .report_to(Feature::CAMERA, "perm")
///     .build()?;
/// let bundle = SecureHeaders::builder()
///     .header(REPORT_ONLY_NAME, policy.to_header_value())
///     .build()?;
/// let mut headers = http::HeaderMap::new();
/// bundle.apply(&mut headers);
/// assert_eq!(headers[REPORT_ONLY_NAME], "camera=();report-to=perm");
/// assert!(!headers.contains_key(NAME));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const REPORT_ONLY_NAME: HeaderName = HeaderName::from_static("permissions-policy-report-only");

/// At most this many features are kept from a parsed header.
///
/// ```
/// use secure_headers::permissions_policy::{
///     PermissionsPolicy, PermissionsPolicyDiagnostic, PermissionsPolicyError, MAX_FEATURES,
/// };
/// let header = |n: usize| (0..n).map(|i| format!("f{i}=()")).collect::<Vec<_>>().join(", ");
/// let (at_limit, diagnostics) = PermissionsPolicy::parse_with_diagnostics(&header(MAX_FEATURES))?;
/// assert_eq!(at_limit.directives().len(), MAX_FEATURES);
/// assert!(!diagnostics.contains(&PermissionsPolicyDiagnostic::Truncated));
/// let (over, diagnostics) = PermissionsPolicy::parse_with_diagnostics(&header(MAX_FEATURES + 1))?;
/// assert_eq!(over.directives().len(), MAX_FEATURES);
/// assert!(diagnostics.contains(&PermissionsPolicyDiagnostic::Truncated));
/// // The builder refuses to make a policy a browser would not read whole.
/// let builder =
///     (0..=MAX_FEATURES).fold(PermissionsPolicy::builder(), |b, i| b.deny(format!("f{i}")));
/// assert_eq!(builder.build(), Err(PermissionsPolicyError::TooLarge));
/// # Ok::<(), PermissionsPolicyError>(())
/// ```
pub const MAX_FEATURES: usize = 256;

/// At most this many origins are kept from one allowlist, and accepted by the builder. `self`
/// and `*` are not origins: they are recognized wherever they appear in the list.
///
/// ```
/// use secure_headers::permissions_policy::{
///     Feature, PermissionsPolicy, PermissionsPolicyError, MAX_ALLOWLIST_MEMBERS,
/// };
/// let origins = |n: usize| (0..n).map(|i| format!("https://a{i}.example")).collect::<Vec<_>>();
/// let at_limit = PermissionsPolicy::builder()
///     .allow(Feature::CAMERA, false, origins(MAX_ALLOWLIST_MEMBERS))
///     .build();
/// assert!(at_limit.is_ok());
/// let over = PermissionsPolicy::builder()
///     .allow(Feature::CAMERA, false, origins(MAX_ALLOWLIST_MEMBERS + 1))
///     .build();
/// assert_eq!(over, Err(PermissionsPolicyError::TooLarge));
/// // What the builder accepts, the parser reads back whole.
/// let with_self = PermissionsPolicy::builder()
///     .allow(Feature::CAMERA, true, origins(MAX_ALLOWLIST_MEMBERS))
///     .build()?;
/// assert_eq!(with_self.to_string().parse::<PermissionsPolicy>()?, with_self);
/// # Ok::<(), PermissionsPolicyError>(())
/// ```
pub const MAX_ALLOWLIST_MEMBERS: usize = 256;

/// Why a feature name, an allowlist member or the whole header is invalid.
///
/// ```
/// use secure_headers::permissions_policy::{Feature, PermissionsPolicy, PermissionsPolicyError};
///
/// assert_eq!(
///     Feature::new("Camera"),
///     Err(PermissionsPolicyError::InvalidFeatureName("Camera".to_owned()))
/// );
/// assert_eq!(PermissionsPolicy::builder().build(), Err(PermissionsPolicyError::Empty));
/// assert!(matches!(
///     PermissionsPolicy::builder().allow(Feature::CAMERA, false, ["wss://a.example"]).build(),
///     Err(PermissionsPolicyError::UnsupportedScheme { .. })
/// ));
/// // Feature-Policy syntax is not a structured-field dictionary.
/// assert!(matches!(
///     "camera 'none'".parse::<PermissionsPolicy>(),
///     Err(PermissionsPolicyError::Syntax(_))
/// ));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PermissionsPolicyError {
    /// A feature name is not an RFC 9651 key (lower-case letters, digits, `_-.*`).
    #[error(
        "`{0}` is not a valid feature name (an RFC 9651 key: lower-case letters, digits, `_`, `-`, `.`, `*`)"
    )]
    InvalidFeatureName(String),
    /// An allowlist origin is not a serialized origin or origin pattern.
    #[error("invalid origin `{origin}` in the allowlist of `{feature}`: {error}")]
    InvalidOrigin {
        /// The feature whose allowlist it is.
        feature: String,
        /// The rejected text.
        origin: String,
        /// Why.
        error: OriginError,
    },
    /// An allowlist origin has a scheme other than `http`/`https`.
    #[error("the origin `{origin}` in the allowlist of `{feature}` is not http or https")]
    UnsupportedScheme {
        /// The feature whose allowlist it is.
        feature: String,
        /// The rejected origin.
        origin: String,
    },
    /// A `report-to` endpoint name is not an RFC 9651 key.
    #[error("`{0}` is not a valid report-to endpoint name")]
    InvalidReportTo(String),
    /// The builder named no feature.
    #[error("the policy names no feature")]
    Empty,
    /// More than [`MAX_FEATURES`] features, or an allowlist with more than
    /// [`MAX_ALLOWLIST_MEMBERS`] distinct origins.
    #[error(
        "the policy is too large (more than {MAX_FEATURES} features or {MAX_ALLOWLIST_MEMBERS} origins per feature)"
    )]
    TooLarge,
    /// The value is not a structured-field dictionary; a browser ignores the whole header.
    #[error(transparent)]
    Syntax(#[from] StructuredFieldError),
}

/// A policy-controlled feature name, e.g. [`Feature::CAMERA`]. Names outside [`Feature::KNOWN`]
/// are kept (browsers ignore features they do not implement).
///
/// ```
/// use secure_headers::permissions_policy::Feature;
/// assert!(Feature::GEOLOCATION.is_known());
/// let custom = Feature::new("future-feature")?;
/// assert!(!custom.is_known());
/// assert!(Feature::new("Camera").is_err());
/// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Feature(Cow<'static, str>);

macro_rules! features {
    ($($(#[$doc:meta])* $konst:ident = $name:literal,)*) => {
        impl Feature {
            $($(#[$doc])* pub const $konst: Feature = Feature(Cow::Borrowed($name));)*
            /// Every feature name this crate knows (implemented by at least one browser or
            /// specified in a W3C/WICG document), in alphabetical order.
            ///
            /// ```
            /// use secure_headers::permissions_policy::{
            ///     Feature, PermissionsPolicy, PermissionsPolicyDiagnostic,
            /// };
            /// assert!(Feature::KNOWN.contains(&"camera"));
            /// assert!(Feature::KNOWN.windows(2).all(|w| w[0] < w[1]));
            /// // Names outside the list are kept, and reported as unknown by the parser.
            /// let (policy, diagnostics) =
            ///     PermissionsPolicy::parse_with_diagnostics("camera=(), vendor-thing=()")?;
            /// assert_eq!(policy.directives().len(), 2);
            /// assert_eq!(
            ///     diagnostics,
            ///     [PermissionsPolicyDiagnostic::UnknownFeature("vendor-thing".to_owned())]
            /// );
            /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
            /// ```
            pub const KNOWN: &'static [&'static str] = &[$($name,)*];
        }
    };
}

features! {
    /// `accelerometer` (Generic Sensor).
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::ACCELEROMETER).build()?;
    /// assert_eq!(policy.to_string(), "accelerometer=()");
    /// assert!(Feature::ACCELEROMETER.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    ACCELEROMETER = "accelerometer",
    /// `ambient-light-sensor`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::AMBIENT_LIGHT_SENSOR).build()?;
    /// assert_eq!(policy.to_string(), "ambient-light-sensor=()");
    /// assert!(Feature::AMBIENT_LIGHT_SENSOR.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    AMBIENT_LIGHT_SENSOR = "ambient-light-sensor",
    /// `attribution-reporting`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::ATTRIBUTION_REPORTING).build()?;
    /// assert_eq!(policy.to_string(), "attribution-reporting=()");
    /// assert!(Feature::ATTRIBUTION_REPORTING.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    ATTRIBUTION_REPORTING = "attribution-reporting",
    /// `autoplay`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::AUTOPLAY).build()?;
    /// assert_eq!(policy.to_string(), "autoplay=()");
    /// assert!(Feature::AUTOPLAY.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    AUTOPLAY = "autoplay",
    /// `bluetooth` (Web Bluetooth).
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::BLUETOOTH).build()?;
    /// assert_eq!(policy.to_string(), "bluetooth=()");
    /// assert!(Feature::BLUETOOTH.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    BLUETOOTH = "bluetooth",
    /// `browsing-topics` (Topics API; successor of `interest-cohort`).
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::BROWSING_TOPICS).build()?;
    /// assert_eq!(policy.to_string(), "browsing-topics=()");
    /// assert!(Feature::BROWSING_TOPICS.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    BROWSING_TOPICS = "browsing-topics",
    /// `camera`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::CAMERA).build()?;
    /// assert_eq!(policy.to_string(), "camera=()");
    /// assert!(Feature::CAMERA.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    CAMERA = "camera",
    /// `captured-surface-control`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::CAPTURED_SURFACE_CONTROL).build()?;
    /// assert_eq!(policy.to_string(), "captured-surface-control=()");
    /// assert!(Feature::CAPTURED_SURFACE_CONTROL.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    CAPTURED_SURFACE_CONTROL = "captured-surface-control",
    /// `ch-ua` and the other client-hint delegations share this prefix; `ch-ua` itself.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::CH_UA).build()?;
    /// assert_eq!(policy.to_string(), "ch-ua=()");
    /// assert!(Feature::CH_UA.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    CH_UA = "ch-ua",
    /// `clipboard-read`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::CLIPBOARD_READ).build()?;
    /// assert_eq!(policy.to_string(), "clipboard-read=()");
    /// assert!(Feature::CLIPBOARD_READ.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    CLIPBOARD_READ = "clipboard-read",
    /// `clipboard-write`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::CLIPBOARD_WRITE).build()?;
    /// assert_eq!(policy.to_string(), "clipboard-write=()");
    /// assert!(Feature::CLIPBOARD_WRITE.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    CLIPBOARD_WRITE = "clipboard-write",
    /// `compute-pressure`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::COMPUTE_PRESSURE).build()?;
    /// assert_eq!(policy.to_string(), "compute-pressure=()");
    /// assert!(Feature::COMPUTE_PRESSURE.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    COMPUTE_PRESSURE = "compute-pressure",
    /// `cross-origin-isolated`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::CROSS_ORIGIN_ISOLATED).build()?;
    /// assert_eq!(policy.to_string(), "cross-origin-isolated=()");
    /// assert!(Feature::CROSS_ORIGIN_ISOLATED.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    CROSS_ORIGIN_ISOLATED = "cross-origin-isolated",
    /// `deferred-fetch`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::DEFERRED_FETCH).build()?;
    /// assert_eq!(policy.to_string(), "deferred-fetch=()");
    /// assert!(Feature::DEFERRED_FETCH.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    DEFERRED_FETCH = "deferred-fetch",
    /// `digital-credentials-get`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::DIGITAL_CREDENTIALS_GET).build()?;
    /// assert_eq!(policy.to_string(), "digital-credentials-get=()");
    /// assert!(Feature::DIGITAL_CREDENTIALS_GET.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    DIGITAL_CREDENTIALS_GET = "digital-credentials-get",
    /// `direct-sockets`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::DIRECT_SOCKETS).build()?;
    /// assert_eq!(policy.to_string(), "direct-sockets=()");
    /// assert!(Feature::DIRECT_SOCKETS.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    DIRECT_SOCKETS = "direct-sockets",
    /// `display-capture`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::DISPLAY_CAPTURE).build()?;
    /// assert_eq!(policy.to_string(), "display-capture=()");
    /// assert!(Feature::DISPLAY_CAPTURE.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    DISPLAY_CAPTURE = "display-capture",
    /// `document-domain`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::DOCUMENT_DOMAIN).build()?;
    /// assert_eq!(policy.to_string(), "document-domain=()");
    /// assert!(Feature::DOCUMENT_DOMAIN.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    DOCUMENT_DOMAIN = "document-domain",
    /// `encrypted-media`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::ENCRYPTED_MEDIA).build()?;
    /// assert_eq!(policy.to_string(), "encrypted-media=()");
    /// assert!(Feature::ENCRYPTED_MEDIA.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    ENCRYPTED_MEDIA = "encrypted-media",
    /// `execution-while-not-rendered`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder()
    ///     .deny(Feature::EXECUTION_WHILE_NOT_RENDERED)
    ///     .build()?;
    /// assert_eq!(policy.to_string(), "execution-while-not-rendered=()");
    /// assert!(Feature::EXECUTION_WHILE_NOT_RENDERED.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    EXECUTION_WHILE_NOT_RENDERED = "execution-while-not-rendered",
    /// `execution-while-out-of-viewport`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder()
    ///     .deny(Feature::EXECUTION_WHILE_OUT_OF_VIEWPORT)
    ///     .build()?;
    /// assert_eq!(policy.to_string(), "execution-while-out-of-viewport=()");
    /// assert!(Feature::EXECUTION_WHILE_OUT_OF_VIEWPORT.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    EXECUTION_WHILE_OUT_OF_VIEWPORT = "execution-while-out-of-viewport",
    /// `fullscreen`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::FULLSCREEN).build()?;
    /// assert_eq!(policy.to_string(), "fullscreen=()");
    /// assert!(Feature::FULLSCREEN.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    FULLSCREEN = "fullscreen",
    /// `gamepad`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::GAMEPAD).build()?;
    /// assert_eq!(policy.to_string(), "gamepad=()");
    /// assert!(Feature::GAMEPAD.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    GAMEPAD = "gamepad",
    /// `geolocation`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::GEOLOCATION).build()?;
    /// assert_eq!(policy.to_string(), "geolocation=()");
    /// assert!(Feature::GEOLOCATION.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    GEOLOCATION = "geolocation",
    /// `gyroscope`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::GYROSCOPE).build()?;
    /// assert_eq!(policy.to_string(), "gyroscope=()");
    /// assert!(Feature::GYROSCOPE.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    GYROSCOPE = "gyroscope",
    /// `hid` (WebHID).
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::HID).build()?;
    /// assert_eq!(policy.to_string(), "hid=()");
    /// assert!(Feature::HID.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    HID = "hid",
    /// `identity-credentials-get` (FedCM).
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::IDENTITY_CREDENTIALS_GET).build()?;
    /// assert_eq!(policy.to_string(), "identity-credentials-get=()");
    /// assert!(Feature::IDENTITY_CREDENTIALS_GET.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    IDENTITY_CREDENTIALS_GET = "identity-credentials-get",
    /// `idle-detection`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::IDLE_DETECTION).build()?;
    /// assert_eq!(policy.to_string(), "idle-detection=()");
    /// assert!(Feature::IDLE_DETECTION.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    IDLE_DETECTION = "idle-detection",
    /// `interest-cohort` (FLoC opt-out; obsolete but still widely sent).
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::INTEREST_COHORT).build()?;
    /// assert_eq!(policy.to_string(), "interest-cohort=()");
    /// assert!(Feature::INTEREST_COHORT.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    INTEREST_COHORT = "interest-cohort",
    /// `join-ad-interest-group`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::JOIN_AD_INTEREST_GROUP).build()?;
    /// assert_eq!(policy.to_string(), "join-ad-interest-group=()");
    /// assert!(Feature::JOIN_AD_INTEREST_GROUP.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    JOIN_AD_INTEREST_GROUP = "join-ad-interest-group",
    /// `keyboard-map`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::KEYBOARD_MAP).build()?;
    /// assert_eq!(policy.to_string(), "keyboard-map=()");
    /// assert!(Feature::KEYBOARD_MAP.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    KEYBOARD_MAP = "keyboard-map",
    /// `local-fonts`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::LOCAL_FONTS).build()?;
    /// assert_eq!(policy.to_string(), "local-fonts=()");
    /// assert!(Feature::LOCAL_FONTS.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    LOCAL_FONTS = "local-fonts",
    /// `magnetometer`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::MAGNETOMETER).build()?;
    /// assert_eq!(policy.to_string(), "magnetometer=()");
    /// assert!(Feature::MAGNETOMETER.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    MAGNETOMETER = "magnetometer",
    /// `microphone`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::MICROPHONE).build()?;
    /// assert_eq!(policy.to_string(), "microphone=()");
    /// assert!(Feature::MICROPHONE.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    MICROPHONE = "microphone",
    /// `midi`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::MIDI).build()?;
    /// assert_eq!(policy.to_string(), "midi=()");
    /// assert!(Feature::MIDI.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    MIDI = "midi",
    /// `otp-credentials` (WebOTP).
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::OTP_CREDENTIALS).build()?;
    /// assert_eq!(policy.to_string(), "otp-credentials=()");
    /// assert!(Feature::OTP_CREDENTIALS.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    OTP_CREDENTIALS = "otp-credentials",
    /// `payment`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::PAYMENT).build()?;
    /// assert_eq!(policy.to_string(), "payment=()");
    /// assert!(Feature::PAYMENT.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    PAYMENT = "payment",
    /// `picture-in-picture`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::PICTURE_IN_PICTURE).build()?;
    /// assert_eq!(policy.to_string(), "picture-in-picture=()");
    /// assert!(Feature::PICTURE_IN_PICTURE.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    PICTURE_IN_PICTURE = "picture-in-picture",
    /// `private-aggregation`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::PRIVATE_AGGREGATION).build()?;
    /// assert_eq!(policy.to_string(), "private-aggregation=()");
    /// assert!(Feature::PRIVATE_AGGREGATION.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    PRIVATE_AGGREGATION = "private-aggregation",
    /// `private-state-token-issuance`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder()
    ///     .deny(Feature::PRIVATE_STATE_TOKEN_ISSUANCE)
    ///     .build()?;
    /// assert_eq!(policy.to_string(), "private-state-token-issuance=()");
    /// assert!(Feature::PRIVATE_STATE_TOKEN_ISSUANCE.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    PRIVATE_STATE_TOKEN_ISSUANCE = "private-state-token-issuance",
    /// `private-state-token-redemption`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder()
    ///     .deny(Feature::PRIVATE_STATE_TOKEN_REDEMPTION)
    ///     .build()?;
    /// assert_eq!(policy.to_string(), "private-state-token-redemption=()");
    /// assert!(Feature::PRIVATE_STATE_TOKEN_REDEMPTION.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    PRIVATE_STATE_TOKEN_REDEMPTION = "private-state-token-redemption",
    /// `publickey-credentials-create` (WebAuthn).
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder()
    ///     .deny(Feature::PUBLICKEY_CREDENTIALS_CREATE)
    ///     .build()?;
    /// assert_eq!(policy.to_string(), "publickey-credentials-create=()");
    /// assert!(Feature::PUBLICKEY_CREDENTIALS_CREATE.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    PUBLICKEY_CREDENTIALS_CREATE = "publickey-credentials-create",
    /// `publickey-credentials-get` (WebAuthn).
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::PUBLICKEY_CREDENTIALS_GET).build()?;
    /// assert_eq!(policy.to_string(), "publickey-credentials-get=()");
    /// assert!(Feature::PUBLICKEY_CREDENTIALS_GET.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    PUBLICKEY_CREDENTIALS_GET = "publickey-credentials-get",
    /// `run-ad-auction`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::RUN_AD_AUCTION).build()?;
    /// assert_eq!(policy.to_string(), "run-ad-auction=()");
    /// assert!(Feature::RUN_AD_AUCTION.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    RUN_AD_AUCTION = "run-ad-auction",
    /// `screen-wake-lock`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::SCREEN_WAKE_LOCK).build()?;
    /// assert_eq!(policy.to_string(), "screen-wake-lock=()");
    /// assert!(Feature::SCREEN_WAKE_LOCK.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    SCREEN_WAKE_LOCK = "screen-wake-lock",
    /// `serial` (Web Serial).
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::SERIAL).build()?;
    /// assert_eq!(policy.to_string(), "serial=()");
    /// assert!(Feature::SERIAL.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    SERIAL = "serial",
    /// `shared-storage`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::SHARED_STORAGE).build()?;
    /// assert_eq!(policy.to_string(), "shared-storage=()");
    /// assert!(Feature::SHARED_STORAGE.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    SHARED_STORAGE = "shared-storage",
    /// `shared-storage-select-url`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::SHARED_STORAGE_SELECT_URL).build()?;
    /// assert_eq!(policy.to_string(), "shared-storage-select-url=()");
    /// assert!(Feature::SHARED_STORAGE_SELECT_URL.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    SHARED_STORAGE_SELECT_URL = "shared-storage-select-url",
    /// `speaker-selection`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::SPEAKER_SELECTION).build()?;
    /// assert_eq!(policy.to_string(), "speaker-selection=()");
    /// assert!(Feature::SPEAKER_SELECTION.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    SPEAKER_SELECTION = "speaker-selection",
    /// `storage-access`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::STORAGE_ACCESS).build()?;
    /// assert_eq!(policy.to_string(), "storage-access=()");
    /// assert!(Feature::STORAGE_ACCESS.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    STORAGE_ACCESS = "storage-access",
    /// `sync-xhr`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::SYNC_XHR).build()?;
    /// assert_eq!(policy.to_string(), "sync-xhr=()");
    /// assert!(Feature::SYNC_XHR.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    SYNC_XHR = "sync-xhr",
    /// `unload`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::UNLOAD).build()?;
    /// assert_eq!(policy.to_string(), "unload=()");
    /// assert!(Feature::UNLOAD.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    UNLOAD = "unload",
    /// `usb` (WebUSB).
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::USB).build()?;
    /// assert_eq!(policy.to_string(), "usb=()");
    /// assert!(Feature::USB.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    USB = "usb",
    /// `web-share`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::WEB_SHARE).build()?;
    /// assert_eq!(policy.to_string(), "web-share=()");
    /// assert!(Feature::WEB_SHARE.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    WEB_SHARE = "web-share",
    /// `window-management`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::WINDOW_MANAGEMENT).build()?;
    /// assert_eq!(policy.to_string(), "window-management=()");
    /// assert!(Feature::WINDOW_MANAGEMENT.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    WINDOW_MANAGEMENT = "window-management",
    /// `xr-spatial-tracking` (WebXR).
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let policy = PermissionsPolicy::builder().deny(Feature::XR_SPATIAL_TRACKING).build()?;
    /// assert_eq!(policy.to_string(), "xr-spatial-tracking=()");
    /// assert!(Feature::XR_SPATIAL_TRACKING.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    XR_SPATIAL_TRACKING = "xr-spatial-tracking",
}

impl Feature {
    /// Validates a feature name (an RFC 9651 key).
    ///
    /// ```
    /// use secure_headers::permissions_policy::Feature;
    ///
    /// assert_eq!(Feature::new("camera")?, Feature::CAMERA);
    /// assert_eq!(Feature::new("vendor-feature")?.as_str(), "vendor-feature");
    /// assert!(Feature::new("camera=()").is_err());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    pub fn new(name: &str) -> Result<Self, PermissionsPolicyError> {
        if let Some(known) = Feature::KNOWN.iter().find(|k| **k == name) {
            return Ok(Feature(Cow::Borrowed(known)));
        }
        if is_sf_key(name) {
            Ok(Feature(Cow::Owned(name.to_owned())))
        } else {
            Err(PermissionsPolicyError::InvalidFeatureName(name.to_owned()))
        }
    }

    /// The name.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::Feature;
    /// assert_eq!(Feature::USB.as_str(), "usb");
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the name is in [`Feature::KNOWN`].
    ///
    /// ```
    /// # use secure_headers::permissions_policy::Feature;
    /// assert!(Feature::new("interest-cohort")?.is_known());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    pub fn is_known(&self) -> bool {
        Feature::KNOWN.binary_search(&self.as_str()).is_ok()
    }
}

impl AsRef<str> for Feature {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Feature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Feature {
    type Err = PermissionsPolicyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Feature::new(s)
    }
}

/// Who may use a feature.
///
/// ```
/// use secure_headers::permissions_policy::Allowlist;
/// assert!(Allowlist::none().is_none());
/// assert!(Allowlist::all().is_all());
/// assert_eq!(Allowlist::self_only().to_string(), "(self)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Allowlist {
    /// `*`: every origin.
    All,
    /// `self` and/or listed origins; both empty is `()`, "no origin".
    Origins {
        /// Whether `self` (the document's own origin) is included.
        include_self: bool,
        /// The listed origins or origin patterns, without duplicates, in order.
        origins: Vec<OriginPattern>,
    },
}

impl Allowlist {
    /// `()`: the feature is disabled everywhere.
    ///
    /// ```
    /// use secure_headers::permissions_policy::{Allowlist, Feature, PermissionsPolicy};
    ///
    /// assert_eq!(Allowlist::none().to_string(), "()");
    /// let policy = PermissionsPolicy::builder().feature(Feature::CAMERA, Allowlist::none()).build()?;
    /// assert_eq!(policy.to_string(), "camera=()");
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    pub const fn none() -> Self {
        Allowlist::Origins {
            include_self: false,
            origins: Vec::new(),
        }
    }

    /// `*`: the feature is allowed for every origin.
    ///
    /// ```
    /// use secure_headers::permissions_policy::Allowlist;
    ///
    /// assert_eq!(Allowlist::all().to_string(), "*");
    /// assert!(Allowlist::all().is_all());
    /// ```
    pub const fn all() -> Self {
        Allowlist::All
    }

    /// `(self)`: the document's own origin only.
    ///
    /// ```
    /// use secure_headers::permissions_policy::Allowlist;
    ///
    /// let own = Allowlist::self_only();
    /// assert_eq!(own.to_string(), "(self)");
    /// assert!(!own.is_none() && !own.is_all());
    /// ```
    pub const fn self_only() -> Self {
        Allowlist::Origins {
            include_self: true,
            origins: Vec::new(),
        }
    }

    /// Whether this is `()`.
    ///
    /// ```
    /// use secure_headers::permissions_policy::{Allowlist, Feature, PermissionsPolicy};
    ///
    /// assert!(Allowlist::none().is_none());
    /// assert!(!Allowlist::self_only().is_none());
    /// let policy: PermissionsPolicy = "camera=()".parse()?;
    /// assert!(policy.get(&Feature::CAMERA).is_some_and(|d| d.allowlist.is_none()));
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    pub fn is_none(&self) -> bool {
        matches!(self, Allowlist::Origins { include_self: false, origins } if origins.is_empty())
    }

    /// Whether this is `*`.
    ///
    /// ```
    /// use secure_headers::permissions_policy::{Allowlist, Feature, PermissionsPolicy};
    ///
    /// assert!(!Allowlist::none().is_all());
    /// // `*` anywhere in the list allows every origin.
    /// let policy: PermissionsPolicy = r#"fullscreen=(self *)"#.parse()?;
    /// assert!(policy.get(&Feature::FULLSCREEN).is_some_and(|d| d.allowlist.is_all()));
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    pub fn is_all(&self) -> bool {
        matches!(self, Allowlist::All)
    }
}

impl fmt::Display for Allowlist {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // A bare `*` token (Permissions Policy §5.2 "allow-list-value = sf-item ... *").
            Allowlist::All => f.write_str("*"),
            // RFC 9651 §4.1.1.1 "Serializing an Inner List": "(" members joined by SP ")".
            Allowlist::Origins {
                include_self,
                origins,
            } => {
                f.write_str("(")?;
                let mut first = true;
                if *include_self {
                    f.write_str("self")?;
                    first = false;
                }
                for origin in origins {
                    if !first {
                        f.write_str(" ")?;
                    }
                    first = false;
                    sf::write_string(f, origin.as_str())?;
                }
                f.write_str(")")
            }
        }
    }
}

/// One feature's allowlist and optional reporting endpoint.
///
/// ```
/// use secure_headers::permissions_policy::{Directive, Feature, PermissionsPolicy};
///
/// let policy: PermissionsPolicy = "geolocation=(self);report-to=perm".parse()?;
/// let directive: &Directive = &policy.directives()[0];
/// assert_eq!(directive.feature, Feature::GEOLOCATION);
/// assert_eq!(directive.allowlist.to_string(), "(self)");
/// assert_eq!(directive.report_to.as_ref().map(|e| e.as_str()), Some("perm"));
/// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Directive {
    /// The feature.
    pub feature: Feature,
    /// Who may use it.
    pub allowlist: Allowlist,
    /// The `report-to` parameter: a [`Reporting-Endpoints`](crate::reporting_endpoints) name.
    pub report_to: Option<EndpointName>,
}

/// A member of a parsed header that a browser ignores in whole or in part.
///
/// ```
/// use secure_headers::permissions_policy::{PermissionsPolicy, PermissionsPolicyDiagnostic};
///
/// let (policy, diagnostics) =
///     PermissionsPolicy::parse_with_diagnostics("camera=(none), vendor-thing=()")?;
/// assert_eq!(policy.to_string(), "camera=(), vendor-thing=()");
/// assert_eq!(
///     diagnostics,
///     [
///         PermissionsPolicyDiagnostic::IgnoredMember {
///             feature: "camera".to_owned(),
///             member: "none".to_owned(),
///         },
///         PermissionsPolicyDiagnostic::UnknownFeature("vendor-thing".to_owned()),
///     ]
/// );
/// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PermissionsPolicyDiagnostic {
    /// §9.2 step 2.1: the feature is not one this crate knows; browsers that do not implement
    /// it ignore the member. It is kept in the policy.
    UnknownFeature(String),
    /// An allowlist member that is neither `*`, `self` nor a string (a number, another token
    /// such as `none` or `src`, a byte sequence, …): ignored.
    IgnoredMember {
        /// The feature.
        feature: String,
        /// The member as written.
        member: String,
    },
    /// An allowlist string that does not yield a tuple origin: ignored.
    InvalidOrigin {
        /// The feature.
        feature: String,
        /// The string.
        origin: String,
        /// Why.
        error: OriginError,
    },
    /// An allowlist URL with a path, query, userinfo or surrounding spaces: only its origin is
    /// kept.
    OriginTrimmed {
        /// The feature.
        feature: String,
        /// The string as written.
        url: String,
    },
    /// A `report-to` parameter that is not a token/string naming a valid endpoint: ignored.
    InvalidReportTo {
        /// The feature.
        feature: String,
    },
    /// Features beyond [`MAX_FEATURES`], or an allowlist's origins beyond
    /// [`MAX_ALLOWLIST_MEMBERS`], were dropped.
    Truncated,
    /// More than [`MAX_DIAGNOSTICS`] diagnostics: this many more were found and not listed
    /// ([`Truncated`](Self::Truncated) is always listed, once).
    Omitted(usize),
}

/// The most diagnostics [`PermissionsPolicy::parse_with_diagnostics`] lists; past them one
/// [`PermissionsPolicyDiagnostic::Omitted`] counts the rest. Each diagnostic copies a feature
/// name, so without a cap a long name followed by many ignored members would take memory
/// quadratic in the header's length.
///
/// ```
/// use secure_headers::permissions_policy::{
///     MAX_DIAGNOSTICS, PermissionsPolicy, PermissionsPolicyDiagnostic,
/// };
///
/// let members = vec!["1"; MAX_DIAGNOSTICS + 10].join(" ");
/// let (_, d) = PermissionsPolicy::parse_with_diagnostics(&format!("camera=({members})"))?;
/// assert_eq!(d.len(), MAX_DIAGNOSTICS + 1);
/// assert_eq!(d.last(), Some(&PermissionsPolicyDiagnostic::Omitted(10)));
/// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
/// ```
pub const MAX_DIAGNOSTICS: usize = 64;

/// Collects diagnostics up to [`MAX_DIAGNOSTICS`], only counting (and not building) the rest.
#[derive(Default)]
struct DiagnosticSink {
    list: Vec<PermissionsPolicyDiagnostic>,
    omitted: usize,
}

impl DiagnosticSink {
    fn push(&mut self, make: impl FnOnce() -> PermissionsPolicyDiagnostic) {
        if self.list.len() < MAX_DIAGNOSTICS {
            self.list.push(make());
        } else {
            self.omitted = self.omitted.saturating_add(1);
        }
    }

    /// Records that something was dropped for a limit: listed once, whatever the cap.
    fn truncated(&mut self) {
        if !self.list.contains(&PermissionsPolicyDiagnostic::Truncated) {
            self.list.push(PermissionsPolicyDiagnostic::Truncated);
        }
    }

    fn finish(mut self) -> Vec<PermissionsPolicyDiagnostic> {
        if self.omitted > 0 {
            self.list
                .push(PermissionsPolicyDiagnostic::Omitted(self.omitted));
        }
        self.list
    }
}

/// A validated `Permissions-Policy` header: features in order, each at most once.
///
/// ```
/// use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
///
/// let policy: PermissionsPolicy = "geolocation=self, camera=(), fullscreen=*".parse()?;
/// assert!(policy.get(&Feature::CAMERA).unwrap().allowlist.is_none());
/// assert_eq!(policy.to_string(), "geolocation=(self), camera=(), fullscreen=*");
/// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermissionsPolicy {
    directives: Vec<Directive>,
}

impl PermissionsPolicy {
    /// Starts a builder.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let p = PermissionsPolicy::builder().deny(Feature::USB).build()?;
    /// assert_eq!(p.to_string(), "usb=()");
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    pub fn builder() -> PermissionsPolicyBuilder {
        PermissionsPolicyBuilder::default()
    }

    /// Parses a header value as a browser does (§9.2 "Construct policy from dictionary and
    /// origin", with the origin left symbolic as `self`), returning the ignored parts (at most
    /// [`MAX_DIAGNOSTICS`] of them, then [`PermissionsPolicyDiagnostic::Omitted`]).
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{PermissionsPolicy, PermissionsPolicyDiagnostic};
    /// let (p, d) = PermissionsPolicy::parse_with_diagnostics(r#"camera=(self none "https://a.example/x")"#)?;
    /// assert_eq!(p.to_string(), r#"camera=(self "https://a.example")"#);
    /// assert_eq!(d.len(), 2);
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    pub fn parse_with_diagnostics(
        value: &str,
    ) -> Result<(Self, Vec<PermissionsPolicyDiagnostic>), PermissionsPolicyError> {
        // §9.4 "Process response policy" steps 1-2: "Let parsed header be the result of
        // executing get a structured field value given "Permissions-Policy" and "dictionary"
        // from response's header list. If parsed header is null, abort these steps."
        let dict = sf::parse_dictionary(value)?;
        let mut diagnostics = DiagnosticSink::default();
        let mut directives = Vec::new();
        for (name, entry) in &dict {
            if directives.len() == MAX_FEATURES {
                diagnostics.truncated();
                break;
            }
            // Dictionary keys are RFC 9651 keys, which is exactly the feature-name grammar.
            let Ok(feature) = Feature::new(name.as_str()) else {
                continue;
            };
            if !feature.is_known() {
                diagnostics
                    .push(|| PermissionsPolicyDiagnostic::UnknownFeature(feature.to_string()));
            }
            let (members, params): (&[sfv::Item], &sfv::Parameters) = match entry {
                // Chromium treats a bare item as a one-member list, so
                // `geolocation="https://a.example"` allows that origin.
                sfv::ListEntry::Item(item) => (std::slice::from_ref(item), &item.params),
                sfv::ListEntry::InnerList(list) => (&list.items, &list.params),
            };
            let allowlist = parse_allowlist(&feature, members, &mut diagnostics);
            let report_to = params.get("report-to").and_then(|v| {
                let name = v
                    .as_token()
                    .map(sfv::TokenRef::as_str)
                    .or_else(|| v.as_string().map(sfv::StringRef::as_str));
                let endpoint = name.and_then(|n| EndpointName::new(n).ok());
                if endpoint.is_none() {
                    diagnostics.push(|| PermissionsPolicyDiagnostic::InvalidReportTo {
                        feature: feature.to_string(),
                    });
                }
                endpoint
            });
            directives.push(Directive {
                feature,
                allowlist,
                report_to,
            });
        }
        Ok((PermissionsPolicy { directives }, diagnostics.finish()))
    }

    /// The directives, in header order.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::PermissionsPolicy;
    /// let p: PermissionsPolicy = "a=(), b=*".parse()?;
    /// assert_eq!(p.directives().len(), 2);
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    pub fn directives(&self) -> &[Directive] {
        &self.directives
    }

    /// The directive for `feature`.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let p: PermissionsPolicy = "usb=()".parse()?;
    /// assert!(p.get(&Feature::USB).is_some());
    /// assert!(p.get(&Feature::HID).is_none());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    pub fn get(&self, feature: &Feature) -> Option<&Directive> {
        self.directives.iter().find(|d| d.feature == *feature)
    }

    /// The header value.
    ///
    /// ```
    /// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    /// let p = PermissionsPolicy::builder().deny(Feature::INTEREST_COHORT).build()?;
    /// assert_eq!(p.to_header_value(), "interest-cohort=()");
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    pub fn to_header_value(&self) -> HeaderValue {
        crate::util::header_value(&self.to_string())
    }
}

/// §9.2 steps 2.4-2.5 for one dictionary member.
fn parse_allowlist(
    feature: &Feature,
    members: &[sfv::Item],
    diagnostics: &mut DiagnosticSink,
) -> Allowlist {
    // Step 2.4: "If value is the token *, or if value is a list which contains the token *,
    // set allowlist to the special value *."
    if members
        .iter()
        .any(|m| m.bare_item.as_token().is_some_and(|t| t.as_str() == "*"))
    {
        return Allowlist::All;
    }
    let mut include_self = false;
    let mut origins: Vec<OriginPattern> = Vec::new();
    let mut truncated = false;
    for member in members {
        match &member.bare_item {
            // Step 2.5.3.1: "If element is the token self, append origin to allowlist."
            sfv::BareItem::Token(t) if t.as_str() == "self" => include_self = true,
            // Step 2.5.3.2: "Otherwise, let result be the result of executing the URL parser on
            // element. If result is not failure, append result's origin" (or, since the
            // wildcard extension, the `scheme://*.host` pattern).
            sfv::BareItem::String(s) => match origin_of_url(s.as_str()) {
                Ok((pattern, trimmed)) => {
                    if trimmed {
                        diagnostics.push(|| PermissionsPolicyDiagnostic::OriginTrimmed {
                            feature: feature.to_string(),
                            url: s.as_str().to_owned(),
                        });
                    }
                    if origins.contains(&pattern) {
                        continue;
                    }
                    // MAX_ALLOWLIST_MEMBERS bounds the distinct origins kept (the builder's
                    // limit too, so a built policy reads back whole); `self` and `*` are still
                    // recognized after it.
                    if origins.len() == MAX_ALLOWLIST_MEMBERS {
                        if !truncated {
                            truncated = true;
                            diagnostics.truncated();
                        }
                        continue;
                    }
                    origins.push(pattern);
                }
                Err(error) => diagnostics.push(|| PermissionsPolicyDiagnostic::InvalidOrigin {
                    feature: feature.to_string(),
                    origin: s.as_str().to_owned(),
                    error,
                }),
            },
            other => diagnostics.push(|| PermissionsPolicyDiagnostic::IgnoredMember {
                feature: feature.to_string(),
                member: describe_bare_item(other),
            }),
        }
    }
    Allowlist::Origins {
        include_self,
        origins,
    }
}

fn describe_bare_item(item: &sfv::BareItem) -> String {
    match item {
        sfv::BareItem::Token(t) => t.as_str().to_owned(),
        sfv::BareItem::Integer(i) => i.to_string(),
        sfv::BareItem::Decimal(d) => d.to_string(),
        sfv::BareItem::Boolean(b) => if *b { "?1" } else { "?0" }.to_owned(),
        sfv::BareItem::ByteSequence(_) => "a byte sequence".to_owned(),
        sfv::BareItem::Date(_) => "a date".to_owned(),
        sfv::BareItem::DisplayString(_) => "a display string".to_owned(),
        sfv::BareItem::String(s) => format!("{:?}", s.as_str()),
    }
}

/// The origin (or wildcard pattern) of an http(s) URL string, and whether anything had to be
/// dropped (surrounding spaces, path, query, fragment, userinfo) to get it.
fn origin_of_url(url: &str) -> Result<(OriginPattern, bool), OriginError> {
    // URL parser step 1.2: "Remove any leading and trailing C0 control or space from input."
    // (A structured-field string holds no other C0 control.)
    let unspaced = url.trim_matches(' ');
    let spaces = unspaced.len() != url.len();
    let url = unspaced;
    let Some((scheme, authority, tail)) = split_url_authority(url) else {
        return OriginPattern::parse(url).map(|p| (p, spaces));
    };
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
    let trimmed = spaces || !tail.is_empty() || host_port.len() != authority.len();
    let pattern = OriginPattern::parse(&format!("{scheme}://{host_port}"))?;
    Ok((pattern, trimmed))
}

impl fmt::Display for PermissionsPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // RFC 9651 §4.1.2 "Serializing a Dictionary".
        for (i, d) in self.directives.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{}={}", d.feature, d.allowlist)?;
            if let Some(endpoint) = &d.report_to {
                write!(f, ";report-to={endpoint}")?;
            }
        }
        Ok(())
    }
}

impl FromStr for PermissionsPolicy {
    type Err = PermissionsPolicyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_with_diagnostics(s).map(|(p, _)| p)
    }
}

crate::util::header_value_conversions!(PermissionsPolicy, PermissionsPolicyError);
crate::util::serde_via_str!(PermissionsPolicy, "a Permissions-Policy header value");

/// Builder for [`PermissionsPolicy`]. Setting a feature twice replaces the earlier allowlist
/// (in its original position), as the dictionary would. The first invalid input is reported by
/// [`build`](Self::build).
///
/// ```
/// # use secure_headers::permissions_policy::{Feature, PermissionsPolicy, PermissionsPolicyError};
/// let err = PermissionsPolicy::builder().allow(Feature::CAMERA, false, ["https://a.example/path"]).build();
/// assert!(matches!(err, Err(PermissionsPolicyError::InvalidOrigin { .. })));
/// let err = PermissionsPolicy::builder().deny("camera, geolocation=*").build();
/// assert!(matches!(err, Err(PermissionsPolicyError::InvalidFeatureName(_))));
/// ```
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct PermissionsPolicyBuilder {
    directives: Vec<Directive>,
    error: Option<PermissionsPolicyError>,
}

impl PermissionsPolicyBuilder {
    /// Sets `feature=()`.
    ///
    /// ```
    /// use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    ///
    /// let policy = PermissionsPolicy::builder().deny(Feature::CAMERA).deny("usb").build()?;
    /// assert_eq!(policy.to_string(), "camera=(), usb=()");
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    pub fn deny(self, feature: impl AsRef<str>) -> Self {
        self.feature(feature, Allowlist::none())
    }

    /// Sets `feature=(self)`.
    ///
    /// ```
    /// use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    ///
    /// let policy = PermissionsPolicy::builder().allow_self(Feature::FULLSCREEN).build()?;
    /// assert_eq!(policy.to_string(), "fullscreen=(self)");
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    pub fn allow_self(self, feature: impl AsRef<str>) -> Self {
        self.feature(feature, Allowlist::self_only())
    }

    /// Sets `feature=*`.
    ///
    /// ```
    /// use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    ///
    /// let policy = PermissionsPolicy::builder().allow_all(Feature::AUTOPLAY).build()?;
    /// assert_eq!(policy.to_string(), "autoplay=*");
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    pub fn allow_all(self, feature: impl AsRef<str>) -> Self {
        self.feature(feature, Allowlist::all())
    }

    /// Sets `feature=([self] "origin" …)`. Each origin must be a serialized `http`/`https`
    /// origin or a `https://*.parent.example` pattern (see [`OriginPattern`]).
    ///
    /// ```
    /// use secure_headers::permissions_policy::{Feature, PermissionsPolicy, PermissionsPolicyError};
    ///
    /// let policy = PermissionsPolicy::builder()
    ///     .allow(Feature::PAYMENT, true, ["https://pay.example", "https://*.cdn.example"])
    ///     .build()?;
    /// assert_eq!(
    ///     policy.to_string(),
    ///     r#"payment=(self "https://pay.example" "https://*.cdn.example")"#
    /// );
    /// // A URL with a path is not an origin.
    /// assert!(matches!(
    ///     PermissionsPolicy::builder().allow(Feature::PAYMENT, false, ["https://pay.example/x"]).build(),
    ///     Err(PermissionsPolicyError::InvalidOrigin { .. })
    /// ));
    /// # Ok::<(), PermissionsPolicyError>(())
    /// ```
    pub fn allow<I, S>(mut self, feature: impl AsRef<str>, include_self: bool, origins: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let feature_name = feature.as_ref().to_owned();
        let mut list = Vec::new();
        for origin in origins {
            let text = origin.as_ref();
            match OriginPattern::parse(text) {
                Ok(p) if !is_http_scheme(&p) => {
                    self.set_error(PermissionsPolicyError::UnsupportedScheme {
                        feature: feature_name.clone(),
                        origin: text.to_owned(),
                    });
                }
                Ok(p) => {
                    if !list.contains(&p) {
                        list.push(p);
                    }
                }
                Err(error) => self.set_error(PermissionsPolicyError::InvalidOrigin {
                    feature: feature_name.clone(),
                    origin: text.to_owned(),
                    error,
                }),
            }
        }
        if list.len() > MAX_ALLOWLIST_MEMBERS {
            self.set_error(PermissionsPolicyError::TooLarge);
        }
        self.feature(
            feature,
            Allowlist::Origins {
                include_self,
                origins: list,
            },
        )
    }

    /// Sets a feature's allowlist. Its origins are checked as [`allow`](Self::allow) checks
    /// them: `http`/`https` only, duplicates dropped, at most [`MAX_ALLOWLIST_MEMBERS`].
    ///
    /// ```
    /// use secure_headers::permissions_policy::{Allowlist, Feature, PermissionsPolicy};
    ///
    /// // Setting a feature again replaces its allowlist in place.
    /// let policy = PermissionsPolicy::builder()
    ///     .feature(Feature::CAMERA, Allowlist::all())
    ///     .deny(Feature::MICROPHONE)
    ///     .feature(Feature::CAMERA, Allowlist::self_only())
    ///     .build()?;
    /// assert_eq!(policy.to_string(), "camera=(self), microphone=()");
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    pub fn feature(mut self, feature: impl AsRef<str>, allowlist: Allowlist) -> Self {
        // An `Allowlist` built by hand gets the checks `allow` makes: http(s) origins only, no
        // duplicates, at most MAX_ALLOWLIST_MEMBERS of them.
        let allowlist = match allowlist {
            Allowlist::Origins {
                include_self,
                origins,
            } => {
                let mut unique: Vec<OriginPattern> = Vec::new();
                for origin in origins {
                    if !is_http_scheme(&origin) {
                        self.set_error(PermissionsPolicyError::UnsupportedScheme {
                            feature: feature.as_ref().to_owned(),
                            origin: origin.to_string(),
                        });
                    } else if unique.len() > MAX_ALLOWLIST_MEMBERS {
                        break;
                    } else if !unique.contains(&origin) {
                        unique.push(origin);
                    }
                }
                if unique.len() > MAX_ALLOWLIST_MEMBERS {
                    self.set_error(PermissionsPolicyError::TooLarge);
                }
                Allowlist::Origins {
                    include_self,
                    origins: unique,
                }
            }
            Allowlist::All => Allowlist::All,
        };
        match Feature::new(feature.as_ref()) {
            Ok(feature) => {
                if let Some(d) = self.directives.iter_mut().find(|d| d.feature == feature) {
                    d.allowlist = allowlist;
                } else {
                    self.directives.push(Directive {
                        feature,
                        allowlist,
                        report_to: None,
                    });
                }
            }
            Err(e) => self.set_error(e),
        }
        self
    }

    /// Sets the `report-to` endpoint of a feature already added.
    ///
    /// ```
    /// use secure_headers::permissions_policy::{Feature, PermissionsPolicy};
    ///
    /// let policy = PermissionsPolicy::builder()
    ///     .deny(Feature::CAMERA)
    ///     .report_to(Feature::CAMERA, "perm")
    ///     .build()?;
    /// assert_eq!(policy.to_string(), "camera=();report-to=perm");
    /// // The feature must be added first.
    /// assert!(PermissionsPolicy::builder().report_to(Feature::USB, "perm").build().is_err());
    /// # Ok::<(), secure_headers::permissions_policy::PermissionsPolicyError>(())
    /// ```
    pub fn report_to(mut self, feature: impl AsRef<str>, endpoint: &str) -> Self {
        match EndpointName::new(endpoint) {
            Ok(name) => {
                let feature = feature.as_ref();
                match self
                    .directives
                    .iter_mut()
                    .find(|d| d.feature.as_str() == feature)
                {
                    Some(d) => d.report_to = Some(name),
                    None => self.set_error(PermissionsPolicyError::InvalidFeatureName(format!(
                        "{feature} (report-to set before the feature's allowlist)"
                    ))),
                }
            }
            Err(_) => self.set_error(PermissionsPolicyError::InvalidReportTo(endpoint.to_owned())),
        }
        self
    }

    fn set_error(&mut self, e: PermissionsPolicyError) {
        self.error.get_or_insert(e);
    }

    /// Validates and returns the policy.
    ///
    /// ```
    /// use secure_headers::permissions_policy::{Feature, PermissionsPolicy, PermissionsPolicyError};
    ///
    /// let policy = PermissionsPolicy::builder().deny(Feature::GEOLOCATION).build()?;
    /// assert_eq!(policy.directives().len(), 1);
    /// assert_eq!(PermissionsPolicy::builder().build(), Err(PermissionsPolicyError::Empty));
    /// // The first invalid input is reported.
    /// assert_eq!(
    ///     PermissionsPolicy::builder().deny("Bad").deny(Feature::USB).build(),
    ///     Err(PermissionsPolicyError::InvalidFeatureName("Bad".to_owned()))
    /// );
    /// # Ok::<(), PermissionsPolicyError>(())
    /// ```
    pub fn build(self) -> Result<PermissionsPolicy, PermissionsPolicyError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        if self.directives.is_empty() {
            return Err(PermissionsPolicyError::Empty);
        }
        if self.directives.len() > MAX_FEATURES {
            return Err(PermissionsPolicyError::TooLarge);
        }
        Ok(PermissionsPolicy {
            directives: self.directives,
        })
    }
}

fn is_http_scheme(p: &OriginPattern) -> bool {
    let scheme = match p {
        OriginPattern::Exact(o) => o.scheme(),
        OriginPattern::Subdomains(s) => s.scheme(),
    };
    scheme == "https" || scheme == "http"
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Diagnostics are listed up to MAX_DIAGNOSTICS and the rest counted, whichever kinds they
    /// are; `Truncated` is listed once even past the cap. Each listed diagnostic would copy the
    /// long feature name: without the cap this header would make 20,000 copies of it.
    #[test]
    fn diagnostics_are_capped_and_the_rest_counted() {
        let feature = "f".repeat(2_000);
        let members = vec!["1"; 20_000].join(" ");
        let (policy, d) =
            PermissionsPolicy::parse_with_diagnostics(&format!("{feature}=({members})")).unwrap();
        assert_eq!(policy.directives().len(), 1);
        // The unknown feature, then ignored members up to the cap.
        assert_eq!(d.len(), MAX_DIAGNOSTICS + 1);
        assert_eq!(
            d[0],
            PermissionsPolicyDiagnostic::UnknownFeature(feature.clone())
        );
        assert!(matches!(
            &d[1],
            PermissionsPolicyDiagnostic::IgnoredMember { member, .. } if member == "1"
        ));
        assert_eq!(
            d.last(),
            Some(&PermissionsPolicyDiagnostic::Omitted(
                20_001 - MAX_DIAGNOSTICS
            ))
        );

        // Past the cap and past MAX_FEATURES: Truncated is still there, once.
        let header = (0..=MAX_FEATURES)
            .map(|i| format!("x{i}=(1)"))
            .collect::<Vec<_>>()
            .join(", ");
        let (_, d) = PermissionsPolicy::parse_with_diagnostics(&header).unwrap();
        let truncated = d
            .iter()
            .filter(|d| **d == PermissionsPolicyDiagnostic::Truncated)
            .count();
        assert_eq!(truncated, 1);
        assert_eq!(
            d.last(),
            Some(&PermissionsPolicyDiagnostic::Omitted(
                2 * MAX_FEATURES - MAX_DIAGNOSTICS
            ))
        );
        assert_eq!(d.len(), MAX_DIAGNOSTICS + 2);
    }
    use proptest::prelude::*;

    #[test]
    fn known_feature_list_is_sorted_for_binary_search() {
        assert!(Feature::KNOWN.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn star_anywhere_in_list_means_all() {
        let p: PermissionsPolicy = r#"camera=(self * "https://a.example")"#.parse().unwrap();
        assert!(p.get(&Feature::CAMERA).unwrap().allowlist.is_all());
    }

    #[test]
    fn empty_inner_list_is_none() {
        let p: PermissionsPolicy = "geolocation=()".parse().unwrap();
        assert!(p.get(&Feature::GEOLOCATION).unwrap().allowlist.is_none());
    }

    #[test]
    fn invalid_dictionary_ignores_whole_header() {
        // Real-world mistakes: the Feature-Policy syntax, quoted self, comma inside the list.
        for v in [
            "camera 'none'",
            "camera=('self')",
            "camera=(self,https://a.example)",
            "Camera=()",
        ] {
            assert!(
                matches!(
                    v.parse::<PermissionsPolicy>(),
                    Err(PermissionsPolicyError::Syntax(_))
                ),
                "{v}"
            );
        }
    }

    #[test]
    fn unknown_features_are_kept_with_a_diagnostic() {
        let (p, d) = PermissionsPolicy::parse_with_diagnostics("made-up=()").unwrap();
        assert_eq!(p.directives().len(), 1);
        assert_eq!(
            d,
            [PermissionsPolicyDiagnostic::UnknownFeature(
                "made-up".into()
            )]
        );
    }

    #[test]
    fn report_to_parameter_is_kept() {
        let p: PermissionsPolicy = "geolocation=();report-to=geo".parse().unwrap();
        assert_eq!(p.to_string(), "geolocation=();report-to=geo");
        let built = PermissionsPolicy::builder()
            .deny(Feature::GEOLOCATION)
            .report_to(Feature::GEOLOCATION, "geo")
            .build()
            .unwrap();
        assert_eq!(built, p);
    }

    #[test]
    fn wildcard_origins_are_patterns() {
        let p: PermissionsPolicy = r#"payment=("https://*.pay.example")"#.parse().unwrap();
        assert_eq!(p.to_string(), r#"payment=("https://*.pay.example")"#);
    }

    #[test]
    fn builder_rejects_injection_in_origins_and_names() {
        for origin in [
            "https://a.example\r\nSet-Cookie: x",
            "https://a.example\")",
            "https://a.example, *",
            "https://a.example;x",
        ] {
            assert!(
                PermissionsPolicy::builder()
                    .allow(Feature::CAMERA, false, [origin])
                    .build()
                    .is_err(),
                "{origin:?}"
            );
        }
        assert!(matches!(
            PermissionsPolicy::builder()
                .allow(Feature::CAMERA, false, ["data:text/html,x"])
                .build(),
            Err(PermissionsPolicyError::InvalidOrigin { .. })
        ));
        assert!(matches!(
            PermissionsPolicy::builder()
                .allow(Feature::CAMERA, false, ["ftp://a.example"])
                .build(),
            Err(PermissionsPolicyError::UnsupportedScheme { .. })
        ));
    }

    #[test]
    fn builder_replaces_a_repeated_feature() {
        let p = PermissionsPolicy::builder()
            .deny(Feature::CAMERA)
            .allow_self(Feature::CAMERA)
            .build()
            .unwrap();
        assert_eq!(p.to_string(), "camera=(self)");
    }

    fn origin_texts(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("https://a{i}.example")).collect()
    }

    fn quoted_list(origins: &[String]) -> String {
        origins
            .iter()
            .map(|o| format!("\"{o}\""))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn allowlist_cap_counts_origins_not_self() {
        // The builder accepts `self` plus MAX_ALLOWLIST_MEMBERS origins; the parser must read
        // all of them back (parse(x.to_string()) == x).
        let built = PermissionsPolicy::builder()
            .allow(Feature::CAMERA, true, origin_texts(MAX_ALLOWLIST_MEMBERS))
            .build()
            .unwrap();
        let (parsed, diagnostics) =
            PermissionsPolicy::parse_with_diagnostics(&built.to_string()).unwrap();
        assert_eq!(parsed, built);
        assert!(!diagnostics.contains(&PermissionsPolicyDiagnostic::Truncated));
    }

    #[test]
    fn allowlist_keeps_max_origins_and_truncates_the_next() {
        let origins = origin_texts(MAX_ALLOWLIST_MEMBERS + 1);
        let (at_limit, d) = PermissionsPolicy::parse_with_diagnostics(&format!(
            "camera=({})",
            quoted_list(&origins[..MAX_ALLOWLIST_MEMBERS])
        ))
        .unwrap();
        assert!(d.is_empty(), "{d:?}");
        let Allowlist::Origins { origins: kept, .. } = &at_limit.directives()[0].allowlist else {
            panic!("expected origins")
        };
        assert_eq!(kept.len(), MAX_ALLOWLIST_MEMBERS);
        let (over, d) = PermissionsPolicy::parse_with_diagnostics(&format!(
            "camera=({})",
            quoted_list(&origins)
        ))
        .unwrap();
        assert_eq!(d, [PermissionsPolicyDiagnostic::Truncated]);
        assert_eq!(over, at_limit);
    }

    #[test]
    fn allowlist_cap_does_not_count_duplicates_or_ignored_members() {
        let origins = origin_texts(MAX_ALLOWLIST_MEMBERS);
        let value = format!(
            r#"camera=("{first}" none 1 {all} "{first}")"#,
            first = origins[0],
            all = quoted_list(&origins)
        );
        let (p, d) = PermissionsPolicy::parse_with_diagnostics(&value).unwrap();
        assert!(
            !d.contains(&PermissionsPolicyDiagnostic::Truncated),
            "{d:?}"
        );
        let Allowlist::Origins { origins: kept, .. } = &p.directives()[0].allowlist else {
            panic!("expected origins")
        };
        assert_eq!(kept.len(), MAX_ALLOWLIST_MEMBERS);
    }

    #[test]
    fn self_and_star_after_the_origin_cap_are_still_read() {
        // §9.2 step 2.4: "if value is a list which contains the token *, set allowlist to the
        // special value *" -- wherever the `*` is.
        let origins = quoted_list(&origin_texts(MAX_ALLOWLIST_MEMBERS + 1));
        let star: PermissionsPolicy = format!("camera=({origins} *)").parse().unwrap();
        assert!(star.directives()[0].allowlist.is_all());
        let own: PermissionsPolicy = format!("camera=({origins} self)").parse().unwrap();
        assert!(matches!(
            own.directives()[0].allowlist,
            Allowlist::Origins {
                include_self: true,
                ..
            }
        ));
    }

    #[test]
    fn feature_with_a_hand_built_allowlist_is_checked_like_allow() {
        let origins = |texts: &[&str]| Allowlist::Origins {
            include_self: false,
            origins: texts.iter().map(|t| t.parse().unwrap()).collect(),
        };
        assert!(matches!(
            PermissionsPolicy::builder()
                .feature(Feature::CAMERA, origins(&["wss://a.example"]))
                .build(),
            Err(PermissionsPolicyError::UnsupportedScheme { .. })
        ));
        let deduplicated = PermissionsPolicy::builder()
            .feature(
                Feature::CAMERA,
                origins(&[
                    "https://a.example",
                    "https://b.example",
                    "https://a.example",
                ]),
            )
            .build()
            .unwrap();
        assert_eq!(
            deduplicated.to_string(),
            r#"camera=("https://a.example" "https://b.example")"#
        );
        assert_eq!(
            deduplicated
                .to_string()
                .parse::<PermissionsPolicy>()
                .unwrap(),
            deduplicated
        );
        let list = |n: usize| Allowlist::Origins {
            include_self: true,
            origins: origin_texts(n).iter().map(|t| t.parse().unwrap()).collect(),
        };
        let at_limit = PermissionsPolicy::builder()
            .feature(Feature::CAMERA, list(MAX_ALLOWLIST_MEMBERS))
            .build()
            .unwrap();
        assert_eq!(
            at_limit.to_string().parse::<PermissionsPolicy>().unwrap(),
            at_limit
        );
        assert_eq!(
            PermissionsPolicy::builder()
                .feature(Feature::CAMERA, list(MAX_ALLOWLIST_MEMBERS + 1))
                .build(),
            Err(PermissionsPolicyError::TooLarge)
        );
    }

    #[test]
    fn allowlist_url_loses_surrounding_spaces_as_the_url_parser_does() {
        // URL parser: "Remove any leading and trailing C0 control or space from input."
        for url in [
            " https://a.example",
            "https://a.example ",
            "  https://a.example/x  ",
        ] {
            let (p, d) =
                PermissionsPolicy::parse_with_diagnostics(&format!("camera=(\"{url}\")")).unwrap();
            assert_eq!(p.to_string(), r#"camera=("https://a.example")"#, "{url:?}");
            assert_eq!(
                d,
                [PermissionsPolicyDiagnostic::OriginTrimmed {
                    feature: "camera".into(),
                    url: url.into()
                }],
                "{url:?}"
            );
        }
        // Spaces inside the URL are not removed.
        let (p, _) =
            PermissionsPolicy::parse_with_diagnostics(r#"camera=("https://a .example")"#).unwrap();
        assert!(p.directives()[0].allowlist.is_none());
    }

    #[test]
    fn backslash_ends_the_authority_of_a_special_url() {
        // URL parser, authority state: `\` is treated like `/` when the URL is special.
        let (p, d) = PermissionsPolicy::parse_with_diagnostics(
            r#"camera=("https://a.example\\path" "HTTP://b.example\\")"#,
        )
        .unwrap();
        assert_eq!(
            p.to_string(),
            r#"camera=("https://a.example" "http://b.example")"#
        );
        assert_eq!(d.len(), 2, "{d:?}");
    }

    #[test]
    fn feature_cap_counts_distinct_features() {
        // RFC 9651 §4.2.2: a repeated key overwrites the earlier value in place, so a
        // duplicate does not use up MAX_FEATURES.
        let mut members: Vec<String> = (0..MAX_FEATURES).map(|i| format!("f{i}=()")).collect();
        members.push("f0=*".to_owned());
        let (p, d) = PermissionsPolicy::parse_with_diagnostics(&members.join(", ")).unwrap();
        assert_eq!(p.directives().len(), MAX_FEATURES);
        assert!(!d.contains(&PermissionsPolicyDiagnostic::Truncated));
        assert!(p.directives()[0].allowlist.is_all());
    }

    #[test]
    fn builder_accepts_exactly_max_features_and_reads_them_back() {
        let at_limit = (0..MAX_FEATURES)
            .fold(PermissionsPolicy::builder(), |b, i| b.deny(format!("f{i}")))
            .build()
            .unwrap();
        assert_eq!(at_limit.directives().len(), MAX_FEATURES);
        assert_eq!(
            at_limit.to_string().parse::<PermissionsPolicy>().unwrap(),
            at_limit
        );
        // Setting the same feature again does not count twice.
        let replaced = (0..MAX_FEATURES)
            .fold(PermissionsPolicy::builder(), |b, i| b.deny(format!("f{i}")))
            .allow_self("f0")
            .build()
            .unwrap();
        assert_eq!(replaced.directives().len(), MAX_FEATURES);
    }

    #[test]
    fn surrounding_tabs_do_not_invalidate_the_dictionary() {
        // RFC 9110 §5.5: leading and trailing whitespace is not part of a field value.
        let p: PermissionsPolicy = "\tcamera=(), usb=(self)\t".parse().unwrap();
        assert_eq!(p.to_string(), "camera=(), usb=(self)");
    }

    #[test]
    fn self_and_star_tokens_are_case_sensitive() {
        // RFC 9651 tokens are case-sensitive and `self`/`*` are the only allowlist tokens.
        let (p, d) = PermissionsPolicy::parse_with_diagnostics("camera=(Self)").unwrap();
        assert!(p.directives()[0].allowlist.is_none());
        assert_eq!(
            d,
            [PermissionsPolicyDiagnostic::IgnoredMember {
                feature: "camera".into(),
                member: "Self".into()
            }]
        );
        // A quoted "self" or "*" is a URL string, not the keyword.
        for v in [r#"camera=("self")"#, r#"camera=("*")"#] {
            let (p, d) = PermissionsPolicy::parse_with_diagnostics(v).unwrap();
            assert!(p.directives()[0].allowlist.is_none(), "{v}");
            assert!(
                matches!(
                    d.as_slice(),
                    [PermissionsPolicyDiagnostic::InvalidOrigin { .. }]
                ),
                "{v}: {d:?}"
            );
        }
    }

    #[test]
    fn bare_item_allowlists() {
        for (v, expected) in [
            ("camera=*", "camera=*"),
            ("camera=self", "camera=(self)"),
            (
                r#"camera="https://a.example""#,
                r#"camera=("https://a.example")"#,
            ),
        ] {
            assert_eq!(
                v.parse::<PermissionsPolicy>().unwrap().to_string(),
                expected
            );
        }
    }

    fn arb_allowlist() -> impl Strategy<Value = Allowlist> {
        prop_oneof![
            Just(Allowlist::All),
            (
                any::<bool>(),
                proptest::collection::vec("[a-z]{1,8}\\.[a-z]{2,5}", 0..4)
            )
                .prop_map(|(s, hosts)| {
                    let mut origins = Vec::new();
                    for h in hosts {
                        let p = OriginPattern::parse(&format!("https://{h}")).unwrap();
                        if !origins.contains(&p) {
                            origins.push(p);
                        }
                    }
                    Allowlist::Origins {
                        include_self: s,
                        origins,
                    }
                }),
        ]
    }

    proptest! {
        #[test]
        fn round_trip(entries in proptest::collection::btree_map("[a-z][a-z0-9-]{0,12}", (arb_allowlist(), proptest::option::of("[a-z][a-z0-9]{0,6}")), 1..6)) {
            let mut b = PermissionsPolicy::builder();
            for (name, (list, rt)) in &entries {
                b = b.feature(name, list.clone());
                if let Some(rt) = rt { b = b.report_to(name, rt); }
            }
            let p = b.build().unwrap();
            prop_assert_eq!(p.to_string().parse::<PermissionsPolicy>().unwrap(), p);
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,80}") {
            let _ = PermissionsPolicy::parse_with_diagnostics(&s);
        }
    }
}
