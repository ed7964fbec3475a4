//! X-Content-Type-Options: the Fetch "determine nosniff" rule, parser and serializer.
//!
//! The header has one meaningful value, `nosniff`, which tells the browser to trust the
//! `Content-Type` of scripts and style sheets instead of sniffing. [`NoSniff`] is that
//! value; it serializes to `nosniff`.
//!
//! Browsers do not validate the header: Fetch §3.5 "determine nosniff" gets, decodes and
//! splits all `X-Content-Type-Options` lines and turns nosniff on iff the **first** member
//! is an ASCII case-insensitive match for `nosniff`. So `nosniff,,garbage` is on,
//! `garbage,nosniff` is off, an empty first line is off and `"nosniff"` (quoted) is off.
//! [`process_lines`], [`process_headers`] and [`process_value`] apply that rule and also
//! report what is wrong with the value ([`NoSniffDiagnostic`]); [`determine_nosniff`] is
//! the bare rule.
//!
//! Parsing with [`str::parse`] or [`TryFrom<&HeaderValue>`] is strict: it accepts exactly
//! one `nosniff` member and says what else it found.
//!
//! The Fetch "get, decode, and split" algorithm is public here ([`get_decode_split`] and the
//! [`fetch`] module) because other legacy headers, such as `X-Frame-Options`, use it too.
//!
//! ```
//! use http::{HeaderMap, HeaderValue};
//! use nosniff::{NoSniff, NAME};
//!
//! let mut headers = HeaderMap::new();
//! headers.insert(NAME, HeaderValue::from(&NoSniff));
//! assert_eq!(headers[NAME], "nosniff");
//!
//! let report = nosniff::process_headers(&headers);
//! assert!(report.is_nosniff());
//! assert!(report.diagnostics().is_empty());
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

/// The examples in the crate's README, compiled and run as doctests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

pub mod fetch;

use std::fmt;
use std::str::FromStr;

use http::{HeaderMap, HeaderName, HeaderValue};

pub use fetch::get_decode_split;

/// The header name, `x-content-type-options`.
///
/// ```
/// assert_eq!(nosniff::NAME.as_str(), "x-content-type-options");
/// ```
pub const NAME: HeaderName = HeaderName::from_static("x-content-type-options");

/// The most diagnostics a report keeps; further ones are only counted
/// ([`NoSniffReport::omitted_diagnostics`]), so hostile input cannot grow the report
/// beyond a fixed size.
///
/// ```
/// use nosniff::{MAX_DIAGNOSTICS, process_value};
///
/// // The first member decides; each of the 99 others is reported as ignored.
/// let report = process_value(&format!("nosniff{}", ",x".repeat(99)));
/// assert!(report.is_nosniff());
/// assert_eq!(report.diagnostics().len(), MAX_DIAGNOSTICS);
/// assert_eq!(report.omitted_diagnostics(), 99 - MAX_DIAGNOSTICS);
/// ```
pub const MAX_DIAGNOSTICS: usize = 32;

/// The byte string browsers look for, compared ASCII case-insensitively.
const NOSNIFF: &[u8] = b"nosniff";

/// The `X-Content-Type-Options: nosniff` value.
///
/// It is the header's only value, so the type carries no data; it exists so that a header
/// set can hold "nosniff is on" as a typed value that always serializes correctly.
///
/// ```
/// use nosniff::NoSniff;
///
/// assert_eq!(NoSniff.to_string(), "nosniff");
/// assert_eq!("NoSniff".parse::<NoSniff>(), Ok(NoSniff));
/// assert_eq!(NoSniff.to_header_value(), "nosniff");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NoSniff;

impl NoSniff {
    /// The canonical serialization, `nosniff`.
    ///
    /// ```
    /// use nosniff::NoSniff;
    ///
    /// assert_eq!(NoSniff::VALUE, "nosniff");
    /// assert_eq!(NoSniff.to_string(), NoSniff::VALUE);
    /// ```
    pub const VALUE: &'static str = "nosniff";

    /// The canonical serialization, `nosniff`.
    ///
    /// ```
    /// assert_eq!(nosniff::NoSniff.as_str(), "nosniff");
    /// ```
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        Self::VALUE
    }

    /// The header value, `nosniff`, without allocating.
    ///
    /// ```
    /// assert_eq!(nosniff::NoSniff.to_header_value().as_bytes(), b"nosniff");
    /// ```
    #[must_use]
    pub const fn to_header_value(self) -> HeaderValue {
        HeaderValue::from_static(Self::VALUE)
    }

    /// Strict parse of raw header bytes: exactly one member, equal to `nosniff` ignoring
    /// ASCII case, with optional surrounding tabs and spaces.
    ///
    /// ```
    /// use nosniff::{NoSniff, NoSniffError};
    ///
    /// assert_eq!(NoSniff::parse_bytes(b" NOSNIFF "), Ok(NoSniff));
    /// assert_eq!(NoSniff::parse_bytes(b"nosniff, nosniff"), Err(NoSniffError::MultipleValues { count: 2 }));
    /// ```
    ///
    /// # Errors
    ///
    /// [`NoSniffError`] says why the value is not exactly `nosniff`.
    pub fn parse_bytes(value: &[u8]) -> Result<Self, NoSniffError> {
        let mut members = fetch::split_values([value]);
        let first = members.next().unwrap_or_default();
        let extra = members.count();
        if extra > 0 {
            return Err(NoSniffError::MultipleValues { count: extra + 1 });
        }
        match classify(&first) {
            Member::NoSniff => Ok(Self),
            Member::Empty => Err(NoSniffError::Empty),
            Member::Quoted => Err(NoSniffError::Quoted {
                value: fetch::isomorphic_decode(&first).into_owned(),
            }),
            Member::Other => Err(NoSniffError::Unrecognized {
                value: fetch::isomorphic_decode(&first).into_owned(),
            }),
        }
    }
}

impl fmt::Display for NoSniff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(Self::VALUE)
    }
}

impl FromStr for NoSniff {
    type Err = NoSniffError;

    /// Strict: see [`NoSniff::parse_bytes`]. Use [`process_value`] for the browser verdict.
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::parse_bytes(value.as_bytes())
    }
}

impl TryFrom<&HeaderValue> for NoSniff {
    type Error = NoSniffError;

    /// Strict: see [`NoSniff::parse_bytes`].
    ///
    /// ```
    /// use http::HeaderValue;
    /// use nosniff::NoSniff;
    ///
    /// assert!(NoSniff::try_from(&HeaderValue::from_static("nosniff")).is_ok());
    /// assert!(NoSniff::try_from(&HeaderValue::from_static("no-sniff")).is_err());
    /// ```
    fn try_from(value: &HeaderValue) -> Result<Self, Self::Error> {
        Self::parse_bytes(value.as_bytes())
    }
}

impl From<&NoSniff> for HeaderValue {
    fn from(value: &NoSniff) -> Self {
        value.to_header_value()
    }
}

impl From<NoSniff> for HeaderValue {
    fn from(value: NoSniff) -> Self {
        value.to_header_value()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for NoSniff {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(Self::VALUE)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for NoSniff {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Why a value is not exactly `nosniff` (strict parsing).
///
/// ```
/// use nosniff::{NoSniff, NoSniffError};
///
/// assert_eq!("\t".parse::<NoSniff>(), Err(NoSniffError::Empty));
/// assert_eq!(
///     r#""nosniff""#.parse::<NoSniff>(),
///     Err(NoSniffError::Quoted { value: r#""nosniff""#.into() })
/// );
/// assert_eq!(
///     "no-sniff".parse::<NoSniff>(),
///     Err(NoSniffError::Unrecognized { value: "no-sniff".into() })
/// );
/// assert_eq!("nosniff,".parse::<NoSniff>(), Err(NoSniffError::MultipleValues { count: 2 }));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NoSniffError {
    /// The value is empty or only tabs and spaces.
    #[error("X-Content-Type-Options is empty; the only valid value is `nosniff`")]
    Empty,
    /// The value is a quoted string; browsers compare it with its quotes, so it never
    /// matches `nosniff`.
    #[error(
        "X-Content-Type-Options value {value:?} is quoted; browsers keep the quotes, so it does not enable nosniff"
    )]
    Quoted {
        /// The member as received.
        value: String,
    },
    /// The value is something other than `nosniff`.
    #[error("X-Content-Type-Options value {value:?} is not `nosniff`")]
    Unrecognized {
        /// The member as received (isomorphic-decoded).
        value: String,
    },
    /// The value has more than one comma-separated member.
    #[error(
        "X-Content-Type-Options has {count} comma-separated values; exactly one `nosniff` is expected (browsers use only the first)"
    )]
    MultipleValues {
        /// How many members the value has.
        count: usize,
    },
}

/// What one member of the list is, for diagnostics.
enum Member {
    NoSniff,
    Empty,
    Quoted,
    Other,
}

fn classify(member: &[u8]) -> Member {
    if member.eq_ignore_ascii_case(NOSNIFF) {
        Member::NoSniff
    } else if member.is_empty() {
        Member::Empty
    } else if member.first() == Some(&b'"') {
        Member::Quoted
    } else {
        Member::Other
    }
}

/// Fetch §3.5 "determine nosniff", given the header's lines.
///
/// `lines` are the values of every `X-Content-Type-Options` line, in order. Returns true iff
/// the first member of get-decode-split is an ASCII case-insensitive match for `nosniff`.
/// Reads only up to the first comma; never allocates unless the first member is a quoted
/// string spanning lines.
///
/// ```
/// use nosniff::determine_nosniff;
///
/// assert!(determine_nosniff(["nosniff,,@#$#%%&^&^*()()11!"]));
/// assert!(determine_nosniff(["nosniff", "no"]));
/// assert!(!determine_nosniff(["no", "nosniff"]));
/// assert!(!determine_nosniff(["", "nosniff"]));
/// assert!(!determine_nosniff(["\"nosniff\""]));
/// assert!(!determine_nosniff::<_, str>([]));
/// ```
#[must_use]
pub fn determine_nosniff<'a, I, B>(lines: I) -> bool
where
    I: IntoIterator<Item = &'a B>,
    B: AsRef<[u8]> + ?Sized + 'a,
{
    // Fetch §3.5: "1. Let values be the result of getting, decoding, and splitting
    // `X-Content-Type-Options` from list. 2. If values is null, then return false.
    // 3. If values[0] is an ASCII case-insensitive match for "nosniff", then return true.
    // 4. Return false."
    fetch::split_values(lines)
        .next()
        .is_some_and(|first| first.eq_ignore_ascii_case(NOSNIFF))
}

/// Something about an `X-Content-Type-Options` header that a reviewer should fix. None of
/// these change the verdict by themselves; [`NoSniffReport::is_nosniff`] is the verdict.
///
/// ```
/// use nosniff::{NoSniffDiagnostic, process_lines, process_value};
///
/// assert_eq!(process_value(",nosniff").diagnostics(), [
///     NoSniffDiagnostic::EmptyFirstValue,
///     NoSniffDiagnostic::NoSniffNotFirst { index: 1 },
/// ]);
/// assert_eq!(process_lines(["nosniff", "sniff"]).diagnostics(), [
///     NoSniffDiagnostic::IgnoredValue { index: 1, value: "sniff".into() },
/// ]);
/// assert_eq!(
///     NoSniffDiagnostic::IgnoredValue { index: 1, value: "sniff".into() }.to_string(),
///     r#"value #1 "sniff" is ignored by browsers"#
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NoSniffDiagnostic {
    /// The first member is empty (for example an empty first header line, or a leading
    /// comma), so nosniff is off.
    EmptyFirstValue,
    /// The first member is a quoted string; browsers keep the quotes, so nosniff is off.
    QuotedFirstValue {
        /// The member as received, quotes included.
        value: String,
    },
    /// The first member is not `nosniff`, so nosniff is off.
    UnrecognizedFirstValue {
        /// The member as received (isomorphic-decoded).
        value: String,
    },
    /// A later member is `nosniff`, but only the first member counts: nosniff is off.
    NoSniffNotFirst {
        /// Position of the member in the list (0 is the first).
        index: usize,
    },
    /// `nosniff` again after the first member (`nosniff, nosniff`, often two lines added by
    /// two layers of a stack). Browsers accept it and apply nosniff; Mozilla's HTTP
    /// Observatory rejects the header as invalid.
    RepeatedNoSniff {
        /// Position of the repeated member (0 is the first).
        index: usize,
    },
    /// A member after the first that browsers ignore.
    IgnoredValue {
        /// Position of the member (0 is the first).
        index: usize,
        /// The member as received (isomorphic-decoded).
        value: String,
    },
}

impl fmt::Display for NoSniffDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyFirstValue => {
                f.write_str("the first X-Content-Type-Options value is empty, so nosniff is off")
            }
            Self::QuotedFirstValue { value } => write!(
                f,
                "the first X-Content-Type-Options value {value:?} is quoted; browsers keep the quotes, so nosniff is off"
            ),
            Self::UnrecognizedFirstValue { value } => write!(
                f,
                "the first X-Content-Type-Options value {value:?} is not `nosniff`, so nosniff is off"
            ),
            Self::NoSniffNotFirst { index } => write!(
                f,
                "value #{index} is `nosniff`, but browsers only look at the first value, so nosniff is off"
            ),
            Self::RepeatedNoSniff { index } => write!(
                f,
                "value #{index} repeats `nosniff`; browsers accept this, but some scanners reject the header: send it once"
            ),
            Self::IgnoredValue { index, value } => {
                write!(f, "value #{index} {value:?} is ignored by browsers")
            }
        }
    }
}

/// The result of processing `X-Content-Type-Options` as a browser does: the verdict plus
/// diagnostics.
///
/// ```
/// use nosniff::{NoSniffDiagnostic, process_value};
///
/// let report = process_value("garbage,nosniff");
/// assert!(!report.is_nosniff());
/// assert!(report.diagnostics().contains(&NoSniffDiagnostic::NoSniffNotFirst { index: 1 }));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoSniffReport {
    nosniff: bool,
    line_count: usize,
    diagnostics: Vec<NoSniffDiagnostic>,
    omitted_diagnostics: usize,
}

impl NoSniffReport {
    /// Whether browsers apply nosniff (Fetch "determine nosniff").
    ///
    /// ```
    /// assert!(nosniff::process_value("nosniff, whatever").is_nosniff());
    /// assert!(!nosniff::process_value("whatever, nosniff").is_nosniff());
    /// ```
    #[must_use]
    pub const fn is_nosniff(&self) -> bool {
        self.nosniff
    }

    /// The effective value: `Some(NoSniff)` when browsers apply nosniff.
    ///
    /// ```
    /// assert_eq!(nosniff::process_value("NOSNIFF").value(), Some(nosniff::NoSniff));
    /// assert_eq!(nosniff::process_value("no").value(), None);
    /// ```
    #[must_use]
    pub const fn value(&self) -> Option<NoSniff> {
        if self.nosniff { Some(NoSniff) } else { None }
    }

    /// Whether the header was present at all (at least one line).
    ///
    /// ```
    /// assert!(!nosniff::process_headers(&http::HeaderMap::new()).is_present());
    /// assert!(nosniff::process_value("").is_present());
    /// ```
    #[must_use]
    pub const fn is_present(&self) -> bool {
        self.line_count > 0
    }

    /// How many header lines were processed.
    ///
    /// ```
    /// use http::{HeaderMap, HeaderValue};
    ///
    /// let mut headers = HeaderMap::new();
    /// headers.append(nosniff::NAME, HeaderValue::from_static("nosniff"));
    /// headers.append(nosniff::NAME, HeaderValue::from_static("nosniff"));
    /// let report = nosniff::process_headers(&headers);
    /// assert_eq!(report.line_count(), 2);
    /// assert!(!report.is_canonical());
    /// ```
    #[must_use]
    pub const fn line_count(&self) -> usize {
        self.line_count
    }

    /// What is wrong with the header, in the order found (at most [`MAX_DIAGNOSTICS`]).
    ///
    /// ```
    /// use nosniff::{NoSniffDiagnostic, process_value};
    ///
    /// assert!(process_value("nosniff").diagnostics().is_empty());
    /// assert_eq!(
    ///     process_value("'nosniff'").diagnostics(),
    ///     [NoSniffDiagnostic::UnrecognizedFirstValue { value: "'nosniff'".into() }]
    /// );
    /// ```
    #[must_use]
    pub fn diagnostics(&self) -> &[NoSniffDiagnostic] {
        &self.diagnostics
    }

    /// How many diagnostics were dropped beyond [`MAX_DIAGNOSTICS`].
    ///
    /// ```
    /// use nosniff::{MAX_DIAGNOSTICS, process_value};
    ///
    /// // 50 empty members: the first is reported as empty, the 49 others as ignored.
    /// let report = process_value(&",".repeat(49));
    /// assert_eq!(report.diagnostics().len(), MAX_DIAGNOSTICS);
    /// assert_eq!(report.omitted_diagnostics(), 50 - MAX_DIAGNOSTICS);
    /// assert_eq!(process_value("nosniff").omitted_diagnostics(), 0);
    /// ```
    #[must_use]
    pub const fn omitted_diagnostics(&self) -> usize {
        self.omitted_diagnostics
    }

    /// True when the header is exactly one `nosniff` on one line: on, with nothing to fix.
    ///
    /// ```
    /// assert!(nosniff::process_value("nosniff").is_canonical());
    /// assert!(!nosniff::process_value("nosniff, nosniff").is_canonical());
    /// ```
    #[must_use]
    pub fn is_canonical(&self) -> bool {
        self.nosniff && self.line_count == 1 && self.diagnostics.is_empty()
    }

    fn push(&mut self, diagnostic: NoSniffDiagnostic) {
        if self.diagnostics.len() < MAX_DIAGNOSTICS {
            self.diagnostics.push(diagnostic);
        } else {
            self.omitted_diagnostics += 1;
        }
    }
}

/// Processes all lines of `X-Content-Type-Options` as a browser does.
///
/// `lines` are the values of every header line, in order: `&HeaderValue`, `&str` and
/// `&[u8]` items all work. The verdict is [`determine_nosniff`]'s; the diagnostics explain it.
///
/// ```
/// use nosniff::{NoSniffDiagnostic, process_lines};
///
/// let report = process_lines(["nosniff", "nosniff"]);
/// assert!(report.is_nosniff());
/// assert_eq!(report.diagnostics(), [NoSniffDiagnostic::RepeatedNoSniff { index: 1 }]);
///
/// let absent = process_lines::<_, str>([]);
/// assert!(!absent.is_present() && !absent.is_nosniff());
/// ```
#[must_use]
pub fn process_lines<'a, I, B>(lines: I) -> NoSniffReport
where
    I: IntoIterator<Item = &'a B>,
    B: AsRef<[u8]> + ?Sized + 'a,
{
    let mut line_count = 0;
    let mut report = NoSniffReport {
        nosniff: false,
        line_count: 0,
        diagnostics: Vec::new(),
        omitted_diagnostics: 0,
    };
    let counted = lines.into_iter().inspect(|_| line_count += 1);
    for (index, member) in fetch::split_values(counted).enumerate() {
        let kind = classify(&member);
        let decoded = || fetch::isomorphic_decode(&member).into_owned();
        if index == 0 {
            // Fetch §3.5 step 3: only values[0] decides.
            match kind {
                Member::NoSniff => report.nosniff = true,
                Member::Empty => report.push(NoSniffDiagnostic::EmptyFirstValue),
                Member::Quoted => {
                    report.push(NoSniffDiagnostic::QuotedFirstValue { value: decoded() });
                }
                Member::Other => {
                    report.push(NoSniffDiagnostic::UnrecognizedFirstValue { value: decoded() });
                }
            }
        } else if matches!(kind, Member::NoSniff) {
            report.push(if report.nosniff {
                NoSniffDiagnostic::RepeatedNoSniff { index }
            } else {
                NoSniffDiagnostic::NoSniffNotFirst { index }
            });
        } else {
            report.push(NoSniffDiagnostic::IgnoredValue {
                index,
                value: decoded(),
            });
        }
    }
    report.line_count = line_count;
    report
}

/// Processes every `X-Content-Type-Options` line of a header map.
///
/// ```
/// use http::{HeaderMap, HeaderValue};
///
/// let mut headers = HeaderMap::new();
/// headers.append(nosniff::NAME, HeaderValue::from_static(""));
/// headers.append(nosniff::NAME, HeaderValue::from_static("nosniff"));
/// // An empty first line turns nosniff off.
/// assert!(!nosniff::process_headers(&headers).is_nosniff());
/// ```
#[must_use]
pub fn process_headers(headers: &HeaderMap) -> NoSniffReport {
    process_lines(headers.get_all(NAME))
}

/// Processes one `X-Content-Type-Options` value (a single header line).
///
/// ```
/// assert!(nosniff::process_value("NoSniff").is_nosniff());
/// assert!(!nosniff::process_value("\"nosniff\"").is_nosniff());
/// ```
#[must_use]
pub fn process_value(value: &str) -> NoSniffReport {
    process_lines([value])
}
