//! Violation reports: typed parsing of `application/csp-report` and `application/reports+json`
//! bodies.
//!
//! Browsers send a CSP violation in one of two shapes:
//!
//! * the deprecated `report-uri` shape (CSP3 §5.4 "Obtain the deprecated serialization of
//!   violation"), a JSON object `{"csp-report": {"document-uri": …, "blocked-uri": …}}` posted
//!   with `Content-Type: application/csp-report`;
//! * the Reporting API shape (CSP3 §5.5 step 5, Reporting API §3), a JSON array of reports
//!   `[{"type": "csp-violation", "age": …, "url": …, "user_agent": …, "body": {"documentURL": …}}]`
//!   posted with `Content-Type: application/reports+json`.
//!
//! Both become one normalized [`ViolationReport`]. Parsing is tolerant of what real browsers
//! send (missing fields, numbers sent as strings, extra fields, kebab-case and camelCase names,
//! `null` values, the full directive text in `violated-directive` of older Firefox and Safari),
//! never panics, and is bounded: bodies larger than [`MAX_CSP_REPORT_BYTES`] /
//! [`MAX_REPORTS_BODY_BYTES`] are rejected before they are read, and lists of more than
//! [`MAX_REPORTS`] reports or [`MAX_REPORTS_JSON_VALUES`] JSON values are rejected.
//!
//! ```
//! use csp_builder::report::{BlockedUri, Disposition, ViolationReport};
//!
//! let body = br#"{"csp-report": {
//!     "document-uri": "https://example.com/page",
//!     "referrer": "",
//!     "violated-directive": "script-src-elem",
//!     "effective-directive": "script-src-elem",
//!     "original-policy": "script-src 'self'; report-uri /csp",
//!     "disposition": "enforce",
//!     "blocked-uri": "inline",
//!     "line-number": 12,
//!     "column-number": "7",
//!     "status-code": 200,
//!     "script-sample": ""}}"#;
//! let report = ViolationReport::parse_csp_report(body)?;
//! assert_eq!(report.effective_directive, "script-src-elem");
//! assert_eq!(report.blocked_uri, BlockedUri::Inline);
//! assert_eq!(report.disposition, Some(Disposition::Enforce));
//! assert_eq!(report.column_number, Some(7));
//! # Ok::<(), csp_builder::report::ReportError>(())
//! ```

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// The largest `application/csp-report` body accepted, in bytes (64 KiB).
///
/// A report carries one policy (`original-policy`) and a few URLs; browsers cap the sample at
/// 40 characters (CSP3 §5.3), so a real report is a few kilobytes at most.
///
/// ```
/// use csp_builder::report::{MAX_CSP_REPORT_BYTES, ReportError, ViolationReport};
///
/// let report = r#"{"csp-report": {"document-uri": "https://a.example/", "effective-directive": "img-src"}}"#;
/// // Padded with JSON whitespace to exactly the limit: accepted.
/// let at_limit = format!("{report}{}", " ".repeat(MAX_CSP_REPORT_BYTES - report.len()));
/// assert!(ViolationReport::parse_csp_report(at_limit.as_bytes()).is_ok());
/// // One byte more: rejected before any JSON is read.
/// let over = format!("{at_limit} ");
/// assert_eq!(
///     ViolationReport::parse_csp_report(over.as_bytes()).err(),
///     Some(ReportError::BodyTooLarge { len: MAX_CSP_REPORT_BYTES + 1, limit: MAX_CSP_REPORT_BYTES })
/// );
/// ```
pub const MAX_CSP_REPORT_BYTES: usize = 64 * 1024;

/// The largest `application/reports+json` body accepted, in bytes (512 KiB).
///
/// The Reporting API batches several reports (each with its own copy of the policy) into one
/// delivery, so this limit is larger than [`MAX_CSP_REPORT_BYTES`].
///
/// ```
/// use csp_builder::report::{MAX_REPORTS_BODY_BYTES, ReportError, ViolationReport};
///
/// // An empty report list padded with JSON whitespace to exactly the limit: accepted.
/// let at_limit = format!("[]{}", " ".repeat(MAX_REPORTS_BODY_BYTES - 2));
/// assert_eq!(ViolationReport::parse_reports_json(at_limit.as_bytes()), Ok(vec![]));
/// // One byte more: rejected before any JSON is read.
/// let over = format!("{at_limit} ");
/// assert_eq!(
///     ViolationReport::parse_reports_json(over.as_bytes()).err(),
///     Some(ReportError::BodyTooLarge { len: MAX_REPORTS_BODY_BYTES + 1, limit: MAX_REPORTS_BODY_BYTES })
/// );
/// ```
pub const MAX_REPORTS_BODY_BYTES: usize = 512 * 1024;

/// The largest number of reports accepted in one `application/reports+json` body.
///
/// ```
/// use csp_builder::report::{MAX_REPORTS, ReportError, ViolationReport};
///
/// let report = r#"{"type": "deprecation", "body": {}}"#;
/// let at_limit = format!("[{}]", vec![report; MAX_REPORTS].join(","));
/// assert_eq!(ViolationReport::parse_reports_json(at_limit.as_bytes())?.len(), MAX_REPORTS);
/// let over = format!("[{}]", vec![report; MAX_REPORTS + 1].join(","));
/// assert_eq!(
///     ViolationReport::parse_reports_json(over.as_bytes()).err(),
///     Some(ReportError::TooManyReports { count: MAX_REPORTS + 1, limit: MAX_REPORTS })
/// );
/// # Ok::<(), ReportError>(())
/// ```
pub const MAX_REPORTS: usize = 100;

/// The most JSON values (objects, arrays, strings, numbers, `true`/`false`/`null`; an object's
/// keys not counted) an `application/reports+json` body may hold. A report body other than
/// `csp-violation` is kept as a [`serde_json::Value`], which takes up to a few hundred bytes per
/// value: a 512 KiB body of `{"":0}` values would take about 50 MB. A full list of
/// [`MAX_REPORTS`] browser reports holds about 2,000.
///
/// ```
/// use csp_builder::report::{MAX_REPORTS_JSON_VALUES, ReportError, ViolationReport};
///
/// let values = |n: usize| format!(r#"[{{"type":"x","body":[{}]}}]"#, vec!["0"; n].join(","));
/// // The list, its report, the report's "type" string and the body array: four more values.
/// assert!(ViolationReport::parse_reports_json(values(MAX_REPORTS_JSON_VALUES - 4).as_bytes()).is_ok());
/// assert_eq!(
///     ViolationReport::parse_reports_json(values(MAX_REPORTS_JSON_VALUES - 3).as_bytes()),
///     Err(ReportError::TooManyJsonValues { count: MAX_REPORTS_JSON_VALUES + 1, limit: MAX_REPORTS_JSON_VALUES })
/// );
/// ```
pub const MAX_REPORTS_JSON_VALUES: usize = 8192;

/// The media type of the deprecated `report-uri` reports (CSP3 §5.5 step 4.2.3).
///
/// ```
/// use csp_builder::report::{CSP_REPORT_MEDIA_TYPE, ViolationReport};
///
/// let body = br#"{"csp-report": {"document-uri": "https://a.example/", "effective-directive": "img-src"}}"#;
/// let reports = ViolationReport::parse_body(CSP_REPORT_MEDIA_TYPE, body)?;
/// assert_eq!(reports[0].as_violation().map(|v| v.effective_directive.as_str()), Some("img-src"));
/// // Matched ASCII case-insensitively, parameters ignored.
/// let content_type = format!("{}; charset=utf-8", CSP_REPORT_MEDIA_TYPE.to_uppercase());
/// assert_eq!(ViolationReport::parse_body(&content_type, body)?, reports);
/// # Ok::<(), csp_builder::report::ReportError>(())
/// ```
pub const CSP_REPORT_MEDIA_TYPE: &str = "application/csp-report";

/// The media type of Reporting API deliveries (Reporting API §3.6 "Send reports").
///
/// ```
/// use csp_builder::report::{REPORTS_JSON_MEDIA_TYPE, ViolationReport};
///
/// let body = br#"[{"type": "csp-violation", "url": "https://a.example/",
///                  "body": {"effectiveDirective": "img-src"}},
///                 {"type": "deprecation", "body": {}}]"#;
/// let reports = ViolationReport::parse_body(REPORTS_JSON_MEDIA_TYPE, body)?;
/// assert_eq!(reports.len(), 2);
/// assert!(reports[0].as_violation().is_some() && reports[1].as_violation().is_none());
/// # Ok::<(), csp_builder::report::ReportError>(())
/// ```
pub const REPORTS_JSON_MEDIA_TYPE: &str = "application/reports+json";

/// Why a report body could not be read.
///
/// ```
/// use csp_builder::report::{ReportError, ViolationReport};
///
/// let err = ViolationReport::parse_csp_report(b"{\"csp-report\": {").unwrap_err();
/// assert!(matches!(err, ReportError::InvalidJson { .. }));
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    /// The body is larger than the limit for its format.
    #[error("report body is {len} bytes, more than the limit of {limit} bytes")]
    BodyTooLarge {
        /// Length of the body in bytes.
        len: usize,
        /// The limit that applied.
        limit: usize,
    },
    /// The body is empty or only whitespace.
    #[error("report body is empty")]
    EmptyBody,
    /// The body is not well-formed JSON.
    #[error("report body is not valid JSON (line {line}, column {column}): {message}")]
    InvalidJson {
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// What the JSON parser found.
        message: String,
    },
    /// The body is JSON, but not of the shape the format requires (for example a string where
    /// the report object belongs).
    #[error("report body has an unexpected shape (line {line}, column {column}): {message}")]
    UnexpectedShape {
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// What was expected and found.
        message: String,
    },
    /// An `application/csp-report` body without the top-level `"csp-report"` object.
    #[error("report body has no top-level \"csp-report\" object")]
    MissingCspReport,
    /// A violation report without a field it cannot do without.
    #[error("violation report has no `{field}` field")]
    MissingField {
        /// The field, in its `application/csp-report` spelling.
        field: &'static str,
    },
    /// An `application/reports+json` body with more than [`MAX_REPORTS`] reports.
    #[error("report body holds {count} reports, more than the limit of {limit}")]
    TooManyReports {
        /// Number of reports in the body.
        count: usize,
        /// The limit that applied.
        limit: usize,
    },
    /// An `application/reports+json` body with more than [`MAX_REPORTS_JSON_VALUES`] JSON values.
    #[error("report body holds {count} JSON values, more than the limit of {limit}")]
    TooManyJsonValues {
        /// Number of JSON values in the body.
        count: usize,
        /// The limit that applied.
        limit: usize,
    },
    /// One report of an `application/reports+json` list is unusable.
    #[error("report {index} of the list: {reason}")]
    InvalidReport {
        /// 0-based position of the report in the list.
        index: usize,
        /// Why it is unusable.
        reason: Box<ReportError>,
    },
    /// A `Content-Type` that is not a violation-report media type.
    #[error(
        "unsupported report media type {media_type:?}: expected application/csp-report, \
         application/reports+json or application/json"
    )]
    UnsupportedMediaType {
        /// The media type (essence, lowercased) that was given.
        media_type: String,
    },
}

impl ReportError {
    fn from_json(err: &serde_json::Error) -> Self {
        let (line, column) = (err.line(), err.column());
        let message = err.to_string();
        match err.classify() {
            serde_json::error::Category::Data => Self::UnexpectedShape {
                line,
                column,
                message,
            },
            _ => Self::InvalidJson {
                line,
                column,
                message,
            },
        }
    }
}

/// The disposition of the violated policy (CSP3 §2.2 "policy disposition").
///
/// ```
/// use csp_builder::report::Disposition;
///
/// assert_eq!(Disposition::from_report_value("report"), Some(Disposition::Report));
/// assert_eq!(Disposition::Enforce.as_str(), "enforce");
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Disposition {
    /// The policy was enforced (`Content-Security-Policy`): the resource was blocked.
    Enforce,
    /// The policy was report-only (`Content-Security-Policy-Report-Only`): nothing was blocked.
    Report,
}

impl Disposition {
    /// The value as it appears in a report (`"enforce"` or `"report"`).
    ///
    /// ```
    /// assert_eq!(csp_builder::report::Disposition::Report.as_str(), "report");
    /// ```
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Enforce => "enforce",
            Self::Report => "report",
        }
    }

    /// Reads a report's `disposition` value, ASCII case-insensitively; `None` for anything else.
    ///
    /// ```
    /// use csp_builder::report::Disposition;
    ///
    /// assert_eq!(Disposition::from_report_value("Enforce"), Some(Disposition::Enforce));
    /// assert_eq!(Disposition::from_report_value("block"), None);
    /// ```
    #[must_use]
    pub fn from_report_value(value: &str) -> Option<Self> {
        let value = value.trim();
        if value.eq_ignore_ascii_case("enforce") {
            Some(Self::Enforce)
        } else if value.eq_ignore_ascii_case("report") {
            Some(Self::Report)
        } else {
            None
        }
    }
}

impl fmt::Display for Disposition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What was blocked: the `blocked-uri` / `blockedURL` of a report.
///
/// CSP3 §5.1: a violation's resource is "either null, `inline`, `eval`, `wasm-eval`,
/// `trusted-types-policy`, `trusted-types-sink` or a URL", and §5.4 "Strip URL for use in
/// reports" reduces a URL whose scheme is not HTTP(S) to its bare scheme (`data`, `blob`,
/// `chrome-extension`, …).
///
/// ```
/// use csp_builder::report::BlockedUri;
///
/// assert_eq!(BlockedUri::from_report_value("eval"), BlockedUri::Eval);
/// assert_eq!(BlockedUri::from_report_value("data"), BlockedUri::Scheme("data".into()));
/// assert_eq!(
///     BlockedUri::from_report_value("https://cdn.example/a.js"),
///     BlockedUri::Url("https://cdn.example/a.js".into())
/// );
/// assert_eq!(BlockedUri::from_report_value("wasm-eval").as_str(), "wasm-eval");
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum BlockedUri {
    /// An inline script, style or event handler (`inline`).
    Inline,
    /// `eval()` or a similar string-to-code call (`eval`).
    Eval,
    /// WebAssembly compilation (`wasm-eval`).
    WasmEval,
    /// A Trusted Types policy creation (`trusted-types-policy`).
    TrustedTypesPolicy,
    /// A Trusted Types sink assignment (`trusted-types-sink`).
    TrustedTypesSink,
    /// A URL (normally an HTTP(S) URL without fragment or credentials).
    Url(String),
    /// The bare scheme of a non-HTTP(S) URL (`data`, `blob`, `chrome-extension`, …).
    Scheme(String),
    /// Nothing: the field was absent or empty (older Safari reports inline violations so).
    Empty,
    /// Any other value (for example `self`, which older Firefox sent for inline violations, or a
    /// relative reference).
    Other(String),
}

impl BlockedUri {
    /// Classifies a `blocked-uri` / `blockedURL` value. The keywords are matched exactly, as
    /// browsers send them in lowercase.
    ///
    /// ```
    /// use csp_builder::report::BlockedUri;
    ///
    /// assert_eq!(BlockedUri::from_report_value("inline"), BlockedUri::Inline);
    /// assert_eq!(BlockedUri::from_report_value(""), BlockedUri::Empty);
    /// ```
    #[must_use]
    pub fn from_report_value(value: &str) -> Self {
        match value {
            "" => Self::Empty,
            "inline" => Self::Inline,
            "eval" => Self::Eval,
            "wasm-eval" => Self::WasmEval,
            "trusted-types-policy" => Self::TrustedTypesPolicy,
            "trusted-types-sink" => Self::TrustedTypesSink,
            _ if has_scheme_prefix(value) => Self::Url(value.to_owned()),
            _ if value != "self" && is_scheme(value) => Self::Scheme(value.to_owned()),
            _ => Self::Other(value.to_owned()),
        }
    }

    /// The value as a report spells it (`""` for [`BlockedUri::Empty`]).
    ///
    /// ```
    /// use csp_builder::report::BlockedUri;
    ///
    /// assert_eq!(BlockedUri::TrustedTypesSink.as_str(), "trusted-types-sink");
    /// ```
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            Self::Inline => "inline",
            Self::Eval => "eval",
            Self::WasmEval => "wasm-eval",
            Self::TrustedTypesPolicy => "trusted-types-policy",
            Self::TrustedTypesSink => "trusted-types-sink",
            Self::Url(s) | Self::Scheme(s) | Self::Other(s) => s,
            Self::Empty => "",
        }
    }
}

impl fmt::Display for BlockedUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// RFC 3986 §3.1: `scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`.
fn is_scheme(s: &str) -> bool {
    let mut bytes = s.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
}

/// True for an absolute URL: a scheme followed by `:`.
fn has_scheme_prefix(s: &str) -> bool {
    s.split_once(':')
        .is_some_and(|(scheme, _)| is_scheme(scheme))
}

/// Which wire format a report came in.
///
/// ```
/// use csp_builder::report::{ReportFormat, ViolationReport};
///
/// let r = ViolationReport::parse_csp_report(
///     br#"{"csp-report":{"document-uri":"https://a.example/","violated-directive":"img-src"}}"#,
/// )?;
/// assert_eq!(r.format, ReportFormat::CspReport);
/// # Ok::<(), csp_builder::report::ReportError>(())
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportFormat {
    /// `application/csp-report` (`report-uri`).
    CspReport,
    /// `application/reports+json` (Reporting API, `report-to`).
    ReportingApi,
}

/// One CSP violation, normalized from either wire format.
///
/// Empty strings that browsers send for "nothing" (`"referrer": ""`, `"source-file": ""`,
/// `"script-sample": ""`) become `None`. Numbers are read whether they arrive as JSON numbers or
/// as strings of digits; a negative, fractional or garbled number becomes `None`.
///
/// ```
/// use csp_builder::report::{BlockedUri, ReportFormat, ViolationReport};
///
/// let r = ViolationReport::parse_csp_report(br#"{"csp-report": {
///     "document-uri": "https://example.com/",
///     "violated-directive": "img-src 'self'",
///     "blocked-uri": "https://tracker.example/p.gif"}}"#)?;
/// // Older Firefox and Safari send the whole directive and no effective-directive.
/// assert_eq!(r.effective_directive, "img-src");
/// assert_eq!(r.violated_directive.as_deref(), Some("img-src 'self'"));
/// assert!(matches!(r.blocked_uri, BlockedUri::Url(_)));
/// assert_eq!(r.disposition, None);
/// # Ok::<(), csp_builder::report::ReportError>(())
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViolationReport {
    /// The format the report came in.
    pub format: ReportFormat,
    /// The document whose policy was violated (`document-uri` / `documentURL`).
    pub document_uri: String,
    /// The document's referrer, if any (`referrer`).
    pub referrer: Option<String>,
    /// What was blocked (`blocked-uri` / `blockedURL`).
    pub blocked_uri: BlockedUri,
    /// The directive whose enforcement caused the violation, lowercased (`effective-directive` /
    /// `effectiveDirective`, or the first word of `violated-directive` when a browser sends only
    /// that).
    pub effective_directive: String,
    /// The `violated-directive` exactly as sent, if any (only the `application/csp-report`
    /// format has it; older browsers put the whole directive with its sources there).
    pub violated_directive: Option<String>,
    /// The serialized policy that was violated (`original-policy` / `originalPolicy`).
    pub original_policy: String,
    /// Enforced or report-only; `None` when the browser did not say (older Firefox and Safari).
    pub disposition: Option<Disposition>,
    /// The HTTP status of the document's response (`status-code` / `statusCode`).
    pub status_code: Option<u64>,
    /// The URL of the script or style where the violation happened (`source-file` /
    /// `sourceFile`).
    pub source_file: Option<String>,
    /// Line in `source_file` (`line-number` / `lineNumber`).
    pub line_number: Option<u64>,
    /// Column in `source_file` (`column-number` / `columnNumber`).
    pub column_number: Option<u64>,
    /// The first characters of the blocked inline code, when the policy has `'report-sample'`
    /// (`script-sample` / `sample`).
    pub sample: Option<String>,
    /// Reporting API only: milliseconds between the violation and the delivery (`age`).
    pub age: Option<u64>,
    /// Reporting API only: the URL of the document that generated the report (`url`).
    pub url: Option<String>,
    /// Reporting API only: the browser's `User-Agent` (`user_agent`).
    pub user_agent: Option<String>,
}

/// One entry of an `application/reports+json` body.
///
/// ```
/// use csp_builder::report::{Report, ViolationReport};
///
/// let reports = ViolationReport::parse_reports_json(br#"[
///   {"type": "deprecation", "age": 1, "url": "https://example.com/", "body": {"id": "x"}},
///   {"type": "csp-violation", "age": 2, "url": "https://example.com/",
///    "body": {"documentURL": "https://example.com/", "effectiveDirective": "img-src",
///             "blockedURL": "data", "disposition": "report"}}
/// ]"#)?;
/// assert!(matches!(&reports[0], Report::Other(o) if o.report_type == "deprecation"));
/// assert!(reports[1].as_violation().is_some());
/// # Ok::<(), csp_builder::report::ReportError>(())
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub enum Report {
    /// A `csp-violation` report.
    CspViolation(ViolationReport),
    /// A report of any other type (`deprecation`, `intervention`, `coep`, …), kept as is.
    Other(OtherReport),
}

impl Report {
    /// The CSP violation, if this is one.
    ///
    /// ```
    /// use csp_builder::report::ViolationReport;
    ///
    /// let reports = ViolationReport::parse_reports_json(br#"[{"type": "intervention", "body": {}}]"#)?;
    /// assert!(reports[0].as_violation().is_none());
    /// # Ok::<(), csp_builder::report::ReportError>(())
    /// ```
    #[must_use]
    pub fn as_violation(&self) -> Option<&ViolationReport> {
        match self {
            Self::CspViolation(v) => Some(v),
            Self::Other(_) => None,
        }
    }

    /// Consumes the report, returning the CSP violation if this is one.
    ///
    /// ```
    /// use csp_builder::report::ViolationReport;
    ///
    /// let reports = ViolationReport::parse_reports_json(
    ///     br#"[{"type": "csp-violation", "url": "https://a.example/", "body": {"effectiveDirective": "font-src"}}]"#,
    /// )?;
    /// let v = reports.into_iter().find_map(|r| r.into_violation()).unwrap();
    /// assert_eq!(v.document_uri, "https://a.example/");
    /// # Ok::<(), csp_builder::report::ReportError>(())
    /// ```
    #[must_use]
    pub fn into_violation(self) -> Option<ViolationReport> {
        match self {
            Self::CspViolation(v) => Some(v),
            Self::Other(_) => None,
        }
    }
}

/// A Reporting API report that is not a CSP violation.
///
/// ```
/// use csp_builder::report::{Report, ViolationReport};
///
/// let reports = ViolationReport::parse_reports_json(
///     br#"[{"type": "deprecation", "age": "5", "url": "https://a.example/", "body": {"id": "x"}}]"#,
/// )?;
/// let Report::Other(other) = &reports[0] else { unreachable!() };
/// assert_eq!(other.age, Some(5));
/// assert_eq!(other.body["id"], "x");
/// # Ok::<(), csp_builder::report::ReportError>(())
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub struct OtherReport {
    /// The report type (`type`); empty when absent.
    pub report_type: String,
    /// Milliseconds between generation and delivery (`age`).
    pub age: Option<u64>,
    /// The URL of the document that generated the report (`url`).
    pub url: Option<String>,
    /// The browser's `User-Agent` (`user_agent`).
    pub user_agent: Option<String>,
    /// The report body, unparsed (`null` when absent).
    pub body: serde_json::Value,
}

impl ViolationReport {
    /// Parses an `application/csp-report` body (CSP3 §5.4 "Obtain the deprecated serialization
    /// of violation"): `{"csp-report": {...}}`.
    ///
    /// # Errors
    /// [`ReportError::BodyTooLarge`] over [`MAX_CSP_REPORT_BYTES`], [`ReportError::EmptyBody`],
    /// [`ReportError::InvalidJson`], [`ReportError::UnexpectedShape`],
    /// [`ReportError::MissingCspReport`], and [`ReportError::MissingField`] when the document
    /// URI or the directive (`effective-directive`, or `violated-directive` standing in) is
    /// missing.
    ///
    /// ```
    /// use csp_builder::report::{BlockedUri, ViolationReport};
    ///
    /// let r = ViolationReport::parse_csp_report(br#"{"csp-report": {
    ///   "document-uri": "https://example.com/", "effective-directive": "script-src-elem",
    ///   "blocked-uri": "https://evil.example/x.js", "original-policy": "script-src 'self'",
    ///   "disposition": "report", "status-code": 200}}"#)?;
    /// assert_eq!(r.blocked_uri, BlockedUri::Url("https://evil.example/x.js".into()));
    /// assert_eq!(r.status_code, Some(200));
    /// # Ok::<(), csp_builder::report::ReportError>(())
    /// ```
    pub fn parse_csp_report(body: &[u8]) -> Result<Self, ReportError> {
        check_body(body, MAX_CSP_REPORT_BYTES)?;
        let envelope: CspReportEnvelope =
            serde_json::from_slice(body).map_err(|e| ReportError::from_json(&e))?;
        let raw = envelope.csp_report.ok_or(ReportError::MissingCspReport)?;
        Self::from_raw(raw, ReportFormat::CspReport, ReportMeta::default())
    }

    /// Parses an `application/reports+json` body (Reporting API §3.6): a JSON array of reports.
    /// `csp-violation` reports become [`Report::CspViolation`], every other type is kept as
    /// [`Report::Other`]. A lone report object (not in an array) is accepted as a list of one.
    ///
    /// # Errors
    /// [`ReportError::BodyTooLarge`] over [`MAX_REPORTS_BODY_BYTES`],
    /// [`ReportError::TooManyReports`] over [`MAX_REPORTS`],
    /// [`ReportError::TooManyJsonValues`] over [`MAX_REPORTS_JSON_VALUES`], [`ReportError::EmptyBody`],
    /// [`ReportError::InvalidJson`], [`ReportError::UnexpectedShape`], and
    /// [`ReportError::InvalidReport`] when a `csp-violation` report has an unusable body.
    ///
    /// ```
    /// use csp_builder::report::{BlockedUri, Disposition, ViolationReport};
    ///
    /// let reports = ViolationReport::parse_reports_json(br#"[{
    ///   "type": "csp-violation", "age": 53531, "url": "https://example.com/",
    ///   "user_agent": "Mozilla/5.0",
    ///   "body": {"documentURL": "https://example.com/", "blockedURL": "eval",
    ///            "effectiveDirective": "script-src", "originalPolicy": "script-src 'self'",
    ///            "disposition": "enforce", "statusCode": 200, "lineNumber": 3,
    ///            "columnNumber": 9, "sourceFile": "https://example.com/app.js", "sample": ""}}]"#)?;
    /// let v = reports[0].as_violation().unwrap();
    /// assert_eq!(v.blocked_uri, BlockedUri::Eval);
    /// assert_eq!(v.age, Some(53531));
    /// assert_eq!(v.disposition, Some(Disposition::Enforce));
    /// # Ok::<(), csp_builder::report::ReportError>(())
    /// ```
    pub fn parse_reports_json(body: &[u8]) -> Result<Vec<Report>, ReportError> {
        check_body(body, MAX_REPORTS_BODY_BYTES)?;
        // Every value but the last takes at least two bytes (`0,`), so a smaller body cannot
        // exceed the limit; a larger one is counted first, without keeping anything.
        if body.len() > 2 * MAX_REPORTS_JSON_VALUES {
            let shape: ValueCount =
                serde_json::from_slice(body).map_err(|e| ReportError::from_json(&e))?;
            if shape.elements > MAX_REPORTS {
                return Err(ReportError::TooManyReports {
                    count: shape.elements,
                    limit: MAX_REPORTS,
                });
            }
            if shape.values > MAX_REPORTS_JSON_VALUES {
                return Err(ReportError::TooManyJsonValues {
                    count: shape.values,
                    limit: MAX_REPORTS_JSON_VALUES,
                });
            }
        }
        let list: BoundedReportList =
            serde_json::from_slice(body).map_err(|e| ReportError::from_json(&e))?;
        let raws = match list {
            BoundedReportList::Reports(raws) => raws,
            BoundedReportList::TooMany(count) => {
                return Err(ReportError::TooManyReports {
                    count,
                    limit: MAX_REPORTS,
                });
            }
        };
        let mut reports = Vec::with_capacity(raws.len());
        for (index, raw) in raws.into_iter().enumerate() {
            let report = Report::from_raw(raw).map_err(|reason| ReportError::InvalidReport {
                index,
                reason: Box::new(reason),
            })?;
            reports.push(report);
        }
        Ok(reports)
    }

    /// Parses a report body according to its `Content-Type`.
    ///
    /// The media type's essence (before any `;` parameters) is compared ASCII
    /// case-insensitively: `application/csp-report` is parsed with
    /// [`ViolationReport::parse_csp_report`] (giving one report),
    /// `application/reports+json` with [`ViolationReport::parse_reports_json`].
    /// `application/json`, which some browsers and proxies use for either, is recognized by
    /// shape: an object with a `"csp-report"` member is a CSP report, anything else a report
    /// list.
    ///
    /// # Errors
    /// [`ReportError::UnsupportedMediaType`] for any other media type, and the errors of the
    /// chosen parser.
    ///
    /// ```
    /// use csp_builder::report::{ReportError, ViolationReport};
    ///
    /// let body = br#"{"csp-report":{"document-uri":"https://a.example/","effective-directive":"img-src"}}"#;
    /// let reports = ViolationReport::parse_body("application/csp-report; charset=utf-8", body)?;
    /// assert_eq!(reports.len(), 1);
    /// assert!(matches!(
    ///     ViolationReport::parse_body("text/plain", body),
    ///     Err(ReportError::UnsupportedMediaType { .. })
    /// ));
    /// # Ok::<(), ReportError>(())
    /// ```
    pub fn parse_body(content_type: &str, body: &[u8]) -> Result<Vec<Report>, ReportError> {
        let essence = content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim_matches(|c: char| c.is_ascii_whitespace());
        if essence.eq_ignore_ascii_case(CSP_REPORT_MEDIA_TYPE) {
            Self::parse_csp_report(body).map(|r| vec![Report::CspViolation(r)])
        } else if essence.eq_ignore_ascii_case(REPORTS_JSON_MEDIA_TYPE) {
            Self::parse_reports_json(body)
        } else if essence.eq_ignore_ascii_case("application/json") {
            if looks_like_csp_report(body) {
                Self::parse_csp_report(body).map(|r| vec![Report::CspViolation(r)])
            } else {
                Self::parse_reports_json(body)
            }
        } else {
            Err(ReportError::UnsupportedMediaType {
                media_type: essence.to_ascii_lowercase(),
            })
        }
    }

    fn from_raw(
        raw: RawViolation,
        format: ReportFormat,
        meta: ReportMeta,
    ) -> Result<Self, ReportError> {
        // The Reporting API's report `url` is the document's URL too (Reporting API §2.2
        // "generate a report": url is the settings object's creation URL), so it stands in when
        // the body lacks `documentURL`.
        let document_uri =
            raw.document_uri
                .or_else(|| meta.url.clone())
                .ok_or(ReportError::MissingField {
                    field: "document-uri",
                })?;
        // CSP3 §5.4: `effective-directive` and `violated-directive` both hold the effective
        // directive. CSP2 browsers sent the whole violated directive ("img-src 'self'") in
        // `violated-directive` and no `effective-directive`, so its first word stands in.
        let effective_directive = raw
            .effective_directive
            .as_deref()
            .and_then(first_word)
            .or_else(|| raw.violated_directive.as_deref().and_then(first_word))
            .ok_or(ReportError::MissingField {
                field: "effective-directive",
            })?
            .to_ascii_lowercase();
        Ok(Self {
            format,
            document_uri,
            referrer: non_empty(raw.referrer),
            blocked_uri: raw
                .blocked_uri
                .as_deref()
                .map_or(BlockedUri::Empty, BlockedUri::from_report_value),
            effective_directive,
            violated_directive: non_empty(raw.violated_directive),
            original_policy: raw.original_policy.unwrap_or_default(),
            disposition: raw
                .disposition
                .as_deref()
                .and_then(Disposition::from_report_value),
            status_code: raw.status_code,
            source_file: non_empty(raw.source_file),
            line_number: raw.line_number,
            column_number: raw.column_number,
            sample: non_empty(raw.sample),
            age: meta.age,
            url: meta.url,
            user_agent: meta.user_agent,
        })
    }
}

impl Report {
    fn from_raw(raw: RawReport) -> Result<Self, ReportError> {
        let report_type = raw.report_type.unwrap_or_default();
        let meta = ReportMeta {
            age: raw.age,
            url: non_empty(raw.url),
            user_agent: non_empty(raw.user_agent),
        };
        // Reporting API: CSP3 §5.5 step 5.3 queues reports of type "csp-violation". Earlier
        // Chromium releases used the type "csp" with the same body.
        if report_type == "csp-violation" || report_type == "csp" {
            let violation = match raw.body {
                serde_json::Value::Object(map) => {
                    RawViolation::deserialize(serde_json::Value::Object(map))
                        .map_err(|e| ReportError::from_json(&e))?
                }
                _ => return Err(ReportError::MissingField { field: "body" }),
            };
            ViolationReport::from_raw(violation, ReportFormat::ReportingApi, meta)
                .map(Report::CspViolation)
        } else {
            Ok(Self::Other(OtherReport {
                report_type,
                age: meta.age,
                url: meta.url,
                user_agent: meta.user_agent,
                body: raw.body,
            }))
        }
    }
}

fn check_body(body: &[u8], limit: usize) -> Result<(), ReportError> {
    if body.len() > limit {
        return Err(ReportError::BodyTooLarge {
            len: body.len(),
            limit,
        });
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ReportError::EmptyBody);
    }
    Ok(())
}

/// Shape test for `application/json` bodies: is the body an object with a top-level
/// `"csp-report"` member? Only used to choose a parser; the parser then validates. Only the
/// top-level keys are compared (values are skipped without allocating), so a `"csp-report"`
/// nested deeper does not count.
fn looks_like_csp_report(body: &[u8]) -> bool {
    /// Whether a top-level key is `csp-report`.
    struct TopLevelCspReport(bool);
    impl<'de> Deserialize<'de> for TopLevelCspReport {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct KeyIsCspReport(bool);
            impl<'de> Deserialize<'de> for KeyIsCspReport {
                fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    struct KeyVisitor;
                    impl Visitor<'_> for KeyVisitor {
                        type Value = KeyIsCspReport;
                        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                            f.write_str("a key")
                        }
                        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                            Ok(KeyIsCspReport(v == "csp-report"))
                        }
                    }
                    deserializer.deserialize_str(KeyVisitor)
                }
            }
            struct ObjectVisitor;
            impl<'de> Visitor<'de> for ObjectVisitor {
                type Value = TopLevelCspReport;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a JSON object")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                    let mut found = false;
                    while let Some(KeyIsCspReport(is)) = map.next_key()? {
                        map.next_value::<IgnoredAny>()?;
                        found |= is;
                    }
                    Ok(TopLevelCspReport(found))
                }
            }
            deserializer.deserialize_map(ObjectVisitor)
        }
    }
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    first == Some(&b'{')
        && serde_json::from_slice::<TopLevelCspReport>(body).is_ok_and(|found| found.0)
}

fn first_word(s: &str) -> Option<&str> {
    s.split_ascii_whitespace().next()
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.is_empty())
}

#[derive(Default)]
struct ReportMeta {
    age: Option<u64>,
    url: Option<String>,
    user_agent: Option<String>,
}

#[derive(Deserialize)]
struct CspReportEnvelope {
    #[serde(rename = "csp-report", default)]
    csp_report: Option<RawViolation>,
}

/// The fields of both shapes. The primary names are the `application/csp-report` ones
/// (CSP3 §5.4); the aliases are the `CSPViolationReportBody` names (CSP3 §5.5 step 5.1), the
/// `SecurityPolicyViolationEvent` names, and the kebab-case names of early Reporting API
/// implementations.
#[derive(Deserialize)]
struct RawViolation {
    #[serde(
        rename = "document-uri",
        alias = "documentURL",
        alias = "documentURI",
        alias = "document-url",
        default,
        deserialize_with = "lenient_string"
    )]
    document_uri: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    referrer: Option<String>,
    #[serde(
        rename = "violated-directive",
        alias = "violatedDirective",
        default,
        deserialize_with = "lenient_string"
    )]
    violated_directive: Option<String>,
    #[serde(
        rename = "effective-directive",
        alias = "effectiveDirective",
        default,
        deserialize_with = "lenient_string"
    )]
    effective_directive: Option<String>,
    #[serde(
        rename = "original-policy",
        alias = "originalPolicy",
        default,
        deserialize_with = "lenient_string"
    )]
    original_policy: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    disposition: Option<String>,
    #[serde(
        rename = "blocked-uri",
        alias = "blockedURL",
        alias = "blockedURI",
        alias = "blocked-url",
        default,
        deserialize_with = "lenient_string"
    )]
    blocked_uri: Option<String>,
    #[serde(
        rename = "line-number",
        alias = "lineNumber",
        default,
        deserialize_with = "lenient_u64"
    )]
    line_number: Option<u64>,
    #[serde(
        rename = "column-number",
        alias = "columnNumber",
        default,
        deserialize_with = "lenient_u64"
    )]
    column_number: Option<u64>,
    #[serde(
        rename = "source-file",
        alias = "sourceFile",
        default,
        deserialize_with = "lenient_string"
    )]
    source_file: Option<String>,
    #[serde(
        rename = "status-code",
        alias = "statusCode",
        default,
        deserialize_with = "lenient_u64"
    )]
    status_code: Option<u64>,
    #[serde(
        rename = "script-sample",
        alias = "sample",
        default,
        deserialize_with = "lenient_string"
    )]
    sample: Option<String>,
}

#[derive(Deserialize)]
struct RawReport {
    #[serde(rename = "type", default, deserialize_with = "lenient_string")]
    report_type: Option<String>,
    #[serde(default, deserialize_with = "lenient_u64")]
    age: Option<u64>,
    #[serde(default, deserialize_with = "lenient_string")]
    url: Option<String>,
    #[serde(alias = "userAgent", default, deserialize_with = "lenient_string")]
    user_agent: Option<String>,
    #[serde(default)]
    body: serde_json::Value,
}

/// The number of JSON values in a document, counted without keeping them (nothing is
/// allocated but what the JSON reader needs for escaped strings), and for an array the number
/// of its elements.
struct ValueCount {
    values: usize,
    elements: usize,
}

impl ValueCount {
    const ONE: Self = Self {
        values: 1,
        elements: 0,
    };
}

impl<'de> Deserialize<'de> for ValueCount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CountVisitor;
        impl<'de> Visitor<'de> for CountVisitor {
            type Value = ValueCount;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(ValueCount::ONE)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(ValueCount::ONE)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(ValueCount::ONE)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(ValueCount::ONE)
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
                Ok(ValueCount::ONE)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(ValueCount::ONE)
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(ValueCount::ONE)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut count = ValueCount::ONE;
                while let Some(element) = seq.next_element::<ValueCount>()? {
                    count.values = count.values.saturating_add(element.values);
                    count.elements = count.elements.saturating_add(1);
                }
                Ok(count)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut count = ValueCount::ONE;
                while map.next_key::<IgnoredAny>()?.is_some() {
                    let value = map.next_value::<ValueCount>()?;
                    count.values = count.values.saturating_add(value.values);
                }
                Ok(count)
            }
        }
        deserializer.deserialize_any(CountVisitor)
    }
}

/// A report list read with a hard cap: past [`MAX_REPORTS`] entries the rest are only counted
/// (as `IgnoredAny`, which allocates nothing).
enum BoundedReportList {
    Reports(Vec<RawReport>),
    TooMany(usize),
}

impl<'de> Deserialize<'de> for BoundedReportList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ListVisitor;
        impl<'de> Visitor<'de> for ListVisitor {
            type Value = BoundedReportList;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON array of reports")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut reports = Vec::new();
                while reports.len() < MAX_REPORTS {
                    match seq.next_element::<RawReport>()? {
                        Some(r) => reports.push(r),
                        None => return Ok(BoundedReportList::Reports(reports)),
                    }
                }
                let mut count = reports.len();
                while seq.next_element::<IgnoredAny>()?.is_some() {
                    count = count.saturating_add(1);
                }
                if count > MAX_REPORTS {
                    Ok(BoundedReportList::TooMany(count))
                } else {
                    Ok(BoundedReportList::Reports(reports))
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                // A lone report object: a list of one.
                RawReport::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|r| BoundedReportList::Reports(vec![r]))
            }
        }
        deserializer.deserialize_any(ListVisitor)
    }
}

/// A string field that tolerates `null`, numbers and booleans (kept as their JSON text) and
/// ignores objects and arrays.
fn lenient_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    struct StringVisitor;
    impl<'de> Visitor<'de> for StringVisitor {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_owned()))
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            IgnoredAny.visit_seq(seq).map(|_| None)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            IgnoredAny.visit_map(map).map(|_| None)
        }
    }
    deserializer.deserialize_any(StringVisitor)
}

/// An unsigned number field that tolerates numbers sent as strings (`"12"`), integral floats
/// (`12.0`) and `null`; negative, fractional, out-of-range and non-numeric values become `None`.
fn lenient_u64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    struct NumberVisitor;
    impl<'de> Visitor<'de> for NumberVisitor {
        type Value = Option<u64>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a non-negative integer")
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(u64::try_from(v).ok())
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            // 2^64 as f64; anything below it and integral converts exactly.
            const LIMIT: f64 = 18_446_744_073_709_551_616.0;
            if (0.0..LIMIT).contains(&v) && v.fract() == 0.0 {
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                Ok(Some(v as u64))
            } else {
                Ok(None)
            }
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(v.trim().parse::<u64>().ok())
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            IgnoredAny.visit_seq(seq).map(|_| None)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            IgnoredAny.visit_map(map).map(|_| None)
        }
    }
    deserializer.deserialize_any(NumberVisitor)
}
