//! `Clear-Site-Data` (W3C Clear Site Data §3, §4.1): a comma list of quoted type strings.
//!
//! ```
//! use secure_headers::clear_site_data::{ClearSiteData, ClearSiteDataType};
//!
//! let logout = ClearSiteData::new([ClearSiteDataType::Cookies, ClearSiteDataType::Storage, ClearSiteDataType::Cache])?;
//! assert_eq!(logout.to_string(), r#""cache", "cookies", "storage""#);
//! assert_eq!(ClearSiteData::all().to_string(), r#""*""#);
//! # Ok::<(), secure_headers::clear_site_data::ClearSiteDataError>(())
//! ```

use std::fmt;
use std::str::FromStr;

use http::{HeaderName, HeaderValue};

use crate::util::trim_ows;

/// `Clear-Site-Data`.
///
/// ```
/// use secure_headers::clear_site_data::{ClearSiteData, NAME};
/// use secure_headers::SecureHeaders;
/// let bundle = SecureHeaders::builder()
///     .header(NAME, ClearSiteData::all().to_header_value())
///     .build()?;
/// let mut headers = http::HeaderMap::new();
/// bundle.apply(&mut headers);
/// assert_eq!(headers["clear-site-data"], r#""*""#);
/// assert_eq!(NAME.as_str(), "clear-site-data");
/// # Ok::<(), secure_headers::BuildError>(())
/// ```
pub const NAME: HeaderName = HeaderName::from_static("clear-site-data");

/// At most this many unknown types are listed in diagnostics.
///
/// ```
/// use secure_headers::clear_site_data::{ClearSiteData, MAX_DIAGNOSTICS};
/// let unknown = |n: usize| (0..n).map(|i| format!(r#", "x{i}""#)).collect::<String>();
/// let value = format!(r#""cookies"{}"#, unknown(MAX_DIAGNOSTICS));
/// let (_, at_limit) = ClearSiteData::parse_with_diagnostics(&value)?;
/// assert_eq!(at_limit.len(), MAX_DIAGNOSTICS);
/// // Beyond the limit, further unknown types are still ignored but no longer listed.
/// let value = format!(r#""cookies"{}"#, unknown(MAX_DIAGNOSTICS + 1));
/// let (csd, over) = ClearSiteData::parse_with_diagnostics(&value)?;
/// assert_eq!(over.len(), MAX_DIAGNOSTICS);
/// assert_eq!(over.last().map(String::as_str), Some(r#""x63""#));
/// assert_eq!(csd.to_string(), r#""cookies""#);
/// # Ok::<(), secure_headers::clear_site_data::ClearSiteDataError>(())
/// ```
pub const MAX_DIAGNOSTICS: usize = 64;

/// Why a `Clear-Site-Data` value clears nothing.
///
/// ```
/// use secure_headers::clear_site_data::{ClearSiteData, ClearSiteDataError};
///
/// // Types are quoted and case-sensitive: neither entry is recognized.
/// assert_eq!(
///     r#"cookies, "Cookies""#.parse::<ClearSiteData>(),
///     Err(ClearSiteDataError::NoKnownType)
/// );
/// assert_eq!(ClearSiteData::new([]), Err(ClearSiteDataError::NoKnownType));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClearSiteDataError {
    /// No recognized type (types must be quoted and are case-sensitive: `"cookies"`, not
    /// `cookies` or `"Cookies"`).
    #[error(
        "no recognized Clear-Site-Data type (types are quoted, case-sensitive strings such as \"cookies\")"
    )]
    NoKnownType,
}

/// A data type to clear.
///
/// ```
/// use secure_headers::clear_site_data::{ClearSiteData, ClearSiteDataType};
///
/// let csd = ClearSiteData::new([ClearSiteDataType::Storage])?;
/// assert!(csd.contains(ClearSiteDataType::Storage));
/// assert!(!csd.contains(ClearSiteDataType::Cookies));
/// assert_eq!(csd.to_string(), r#""storage""#);
/// # Ok::<(), secure_headers::clear_site_data::ClearSiteDataError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ClearSiteDataType {
    /// `"cache"`: the HTTP cache (and, in Chromium, back/forward cache entries) for the origin.
    Cache,
    /// `"cookies"`: cookies of the registrable domain and HTTP authentication data.
    Cookies,
    /// `"storage"`: DOM storage, IndexedDB, service workers, …
    Storage,
    /// `"executionContexts"`: reload every document of the origin.
    ExecutionContexts,
    /// `"clientHints"`: stored Client Hints preferences (Chromium).
    ClientHints,
    /// `"prefetchCache"`: speculation-rules prefetches (Chromium).
    PrefetchCache,
    /// `"prerenderCache"`: speculation-rules prerenders (Chromium).
    PrerenderCache,
}

impl ClearSiteDataType {
    /// Every type, in serialization order.
    ///
    /// ```
    /// use secure_headers::clear_site_data::{ClearSiteData, ClearSiteDataType};
    /// assert_eq!(ClearSiteDataType::ALL.first(), Some(&ClearSiteDataType::Cache));
    /// // Listed in any order, the types come out in the order of `ALL`.
    /// let csd: ClearSiteData = r#""prerenderCache", "storage", "cache""#.parse()?;
    /// assert_eq!(csd.to_string(), r#""cache", "storage", "prerenderCache""#);
    /// let every = ClearSiteData::new(ClearSiteDataType::ALL.into_iter().rev())?;
    /// assert!(ClearSiteDataType::ALL.iter().all(|t| every.contains(*t)));
    /// assert!(every.to_string().starts_with(r#""cache", "cookies", "storage""#));
    /// # Ok::<(), secure_headers::clear_site_data::ClearSiteDataError>(())
    /// ```
    pub const ALL: [ClearSiteDataType; 7] = [
        ClearSiteDataType::Cache,
        ClearSiteDataType::Cookies,
        ClearSiteDataType::Storage,
        ClearSiteDataType::ExecutionContexts,
        ClearSiteDataType::ClientHints,
        ClearSiteDataType::PrefetchCache,
        ClearSiteDataType::PrerenderCache,
    ];

    /// The type name without quotes.
    ///
    /// ```
    /// # use secure_headers::clear_site_data::ClearSiteDataType;
    /// assert_eq!(ClearSiteDataType::ExecutionContexts.as_str(), "executionContexts");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            ClearSiteDataType::Cache => "cache",
            ClearSiteDataType::Cookies => "cookies",
            ClearSiteDataType::Storage => "storage",
            ClearSiteDataType::ExecutionContexts => "executionContexts",
            ClearSiteDataType::ClientHints => "clientHints",
            ClearSiteDataType::PrefetchCache => "prefetchCache",
            ClearSiteDataType::PrerenderCache => "prerenderCache",
        }
    }

    const fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// A validated, non-empty `Clear-Site-Data` value.
///
/// ```
/// use secure_headers::clear_site_data::{ClearSiteData, ClearSiteDataType};
///
/// let (csd, unknown) = ClearSiteData::parse_with_diagnostics(r#""cookies", cache, "Storage""#)?;
/// assert!(csd.contains(ClearSiteDataType::Cookies));
/// assert!(!csd.contains(ClearSiteDataType::Cache)); // unquoted: ignored
/// assert_eq!(unknown, ["cache", "\"Storage\""]);
/// # Ok::<(), secure_headers::clear_site_data::ClearSiteDataError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClearSiteData {
    types: u8,
    wildcard: bool,
}

impl ClearSiteData {
    /// A value clearing `types`; at least one is required.
    ///
    /// ```
    /// use secure_headers::clear_site_data::{ClearSiteData, ClearSiteDataType};
    ///
    /// let csd = ClearSiteData::new([ClearSiteDataType::Cookies, ClearSiteDataType::Cache])?;
    /// assert_eq!(csd.to_string(), r#""cache", "cookies""#);
    /// assert!(ClearSiteData::new([]).is_err());
    /// # Ok::<(), secure_headers::clear_site_data::ClearSiteDataError>(())
    /// ```
    pub fn new(
        types: impl IntoIterator<Item = ClearSiteDataType>,
    ) -> Result<Self, ClearSiteDataError> {
        let types = types.into_iter().fold(0u8, |acc, t| acc | t.bit());
        if types == 0 {
            return Err(ClearSiteDataError::NoKnownType);
        }
        Ok(ClearSiteData {
            types,
            wildcard: false,
        })
    }

    /// `"*"`: every type, including types defined in the future.
    ///
    /// ```
    /// use secure_headers::clear_site_data::{ClearSiteData, ClearSiteDataType};
    ///
    /// let all = ClearSiteData::all();
    /// assert!(all.is_wildcard());
    /// assert!(all.contains(ClearSiteDataType::PrerenderCache));
    /// assert_eq!(all.to_string(), r#""*""#);
    /// ```
    pub const fn all() -> Self {
        ClearSiteData {
            types: 0,
            wildcard: true,
        }
    }

    /// Whether `kind` is cleared (always true for `"*"`).
    ///
    /// ```
    /// use secure_headers::clear_site_data::{ClearSiteData, ClearSiteDataType};
    ///
    /// let csd: ClearSiteData = r#""cookies""#.parse()?;
    /// assert!(csd.contains(ClearSiteDataType::Cookies));
    /// assert!(!csd.contains(ClearSiteDataType::Cache));
    /// assert!(ClearSiteData::all().contains(ClearSiteDataType::Cache));
    /// # Ok::<(), secure_headers::clear_site_data::ClearSiteDataError>(())
    /// ```
    pub const fn contains(&self, kind: ClearSiteDataType) -> bool {
        self.wildcard || self.types & kind.bit() != 0
    }

    /// Whether the value is `"*"`.
    ///
    /// ```
    /// use secure_headers::clear_site_data::{ClearSiteData, ClearSiteDataType};
    ///
    /// assert!(ClearSiteData::all().is_wildcard());
    /// // Listing every known type is not the same as `"*"`, which also covers future types.
    /// assert!(!ClearSiteData::new(ClearSiteDataType::ALL)?.is_wildcard());
    /// # Ok::<(), secure_headers::clear_site_data::ClearSiteDataError>(())
    /// ```
    pub const fn is_wildcard(&self) -> bool {
        self.wildcard
    }

    /// Runs Clear Site Data §4.1 "parse response's Clear-Site-Data header": "For each type in
    /// header [the extracted header list values], execute the first matching statement, if any"
    /// — so unknown, unquoted or differently-cased entries are ignored. Returns the value and the
    /// ignored entries.
    ///
    /// ```
    /// use secure_headers::clear_site_data::{ClearSiteData, ClearSiteDataType};
    ///
    /// let (csd, ignored) = ClearSiteData::parse_with_diagnostics(r#""cache", "bogus", "*""#)?;
    /// assert!(csd.is_wildcard());
    /// assert!(csd.contains(ClearSiteDataType::Cookies));
    /// assert_eq!(ignored, [r#""bogus""#]);
    /// # Ok::<(), secure_headers::clear_site_data::ClearSiteDataError>(())
    /// ```
    pub fn parse_with_diagnostics(value: &str) -> Result<(Self, Vec<String>), ClearSiteDataError> {
        let mut out = ClearSiteData {
            types: 0,
            wildcard: false,
        };
        let mut unknown = Vec::new();
        for entry in value.split(',').map(trim_ows).filter(|e| !e.is_empty()) {
            if entry == "\"*\"" {
                out.wildcard = true;
                continue;
            }
            match ClearSiteDataType::ALL.into_iter().find(|t| {
                entry.len() == t.as_str().len() + 2
                    && entry.starts_with('"')
                    && entry.ends_with('"')
                    && entry.get(1..entry.len() - 1) == Some(t.as_str())
            }) {
                Some(t) => out.types |= t.bit(),
                None if unknown.len() < MAX_DIAGNOSTICS => unknown.push(entry.to_owned()),
                None => {}
            }
        }
        if out.wildcard {
            out.types = 0;
        } else if out.types == 0 {
            return Err(ClearSiteDataError::NoKnownType);
        }
        Ok((out, unknown))
    }

    /// The header value.
    ///
    /// ```
    /// # use secure_headers::clear_site_data::ClearSiteData;
    /// assert_eq!(ClearSiteData::all().to_header_value(), "\"*\"");
    /// ```
    pub fn to_header_value(&self) -> HeaderValue {
        crate::util::header_value(&self.to_string())
    }
}

impl fmt::Display for ClearSiteData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.wildcard {
            return f.write_str("\"*\"");
        }
        let mut first = true;
        for t in ClearSiteDataType::ALL {
            if self.types & t.bit() != 0 {
                if !first {
                    f.write_str(", ")?;
                }
                first = false;
                write!(f, "\"{}\"", t.as_str())?;
            }
        }
        Ok(())
    }
}

impl FromStr for ClearSiteData {
    type Err = ClearSiteDataError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_with_diagnostics(s).map(|(c, _)| c)
    }
}

crate::util::header_value_conversions!(ClearSiteData, ClearSiteDataError);
crate::util::serde_via_str!(
    ClearSiteData,
    "a Clear-Site-Data value such as `\"cookies\", \"storage\"`"
);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn types_must_be_quoted_and_exact_case() {
        for v in ["cookies", "\"Cookies\"", "'cookies'", "\"cookies"] {
            assert_eq!(
                v.parse::<ClearSiteData>(),
                Err(ClearSiteDataError::NoKnownType),
                "{v}"
            );
        }
    }

    #[test]
    fn wildcard_covers_every_type() {
        let c: ClearSiteData = "\"cookies\", \"*\"".parse().unwrap();
        assert!(c.is_wildcard());
        assert!(ClearSiteDataType::ALL.iter().all(|t| c.contains(*t)));
        assert_eq!(c.to_string(), "\"*\"");
    }

    #[test]
    fn empty_list_is_rejected() {
        assert_eq!(ClearSiteData::new([]), Err(ClearSiteDataError::NoKnownType));
        assert_eq!(
            "".parse::<ClearSiteData>(),
            Err(ClearSiteDataError::NoKnownType)
        );
    }

    #[test]
    fn ows_around_entries_and_empty_elements_are_ignored() {
        // RFC 9110 §5.6.1: OWS may surround the commas of a list, and empty elements are not
        // members ("a recipient MUST parse and ignore a reasonable number of empty list
        // elements").
        let c: ClearSiteData = "\t\"cookies\"\t,, ,  \"cache\" ,".parse().unwrap();
        assert_eq!(c.to_string(), r#""cache", "cookies""#);
        for v in [",", " , ,\t", "\t"] {
            assert_eq!(
                v.parse::<ClearSiteData>(),
                Err(ClearSiteDataError::NoKnownType),
                "{v:?}"
            );
        }
    }

    #[test]
    fn whitespace_inside_the_quotes_is_part_of_the_type() {
        for v in ["\" cookies\"", "\"cookies \"", "\"* \"", "\" *\""] {
            let (_, ignored) =
                ClearSiteData::parse_with_diagnostics(&format!("\"cache\", {v}")).unwrap();
            assert_eq!(ignored, [v], "{v:?}");
        }
    }

    #[test]
    fn wildcard_is_only_the_quoted_star() {
        for v in ["*", "'*'", "\"**\"", "\"\\*\""] {
            assert_eq!(
                v.parse::<ClearSiteData>(),
                Err(ClearSiteDataError::NoKnownType),
                "{v:?}"
            );
        }
        // `"*"` in the last position still wins over listed types.
        let c: ClearSiteData = "\"cache\", \"storage\", \"*\"".parse().unwrap();
        assert!(c.is_wildcard());
    }

    #[test]
    fn every_type_is_recognized_in_exact_case_only() {
        for t in ClearSiteDataType::ALL {
            let exact = format!("\"{}\"", t.as_str());
            assert_eq!(
                exact.parse::<ClearSiteData>().unwrap(),
                ClearSiteData::new([t]).unwrap()
            );
            for other in [
                t.as_str().to_ascii_uppercase(),
                t.as_str().to_ascii_lowercase(),
            ] {
                if other != t.as_str() {
                    assert_eq!(
                        format!("\"{other}\"").parse::<ClearSiteData>(),
                        Err(ClearSiteDataError::NoKnownType),
                        "{other}"
                    );
                }
            }
        }
    }

    #[test]
    fn unknown_entries_are_listed_up_to_the_limit_in_order() {
        let unknown = |n: usize| (0..n).map(|i| format!(", \"x{i}\"")).collect::<String>();
        let (_, below) = ClearSiteData::parse_with_diagnostics(&format!(
            "\"cookies\"{}",
            unknown(MAX_DIAGNOSTICS - 1)
        ))
        .unwrap();
        assert_eq!(below.len(), MAX_DIAGNOSTICS - 1);
        let (_, over) = ClearSiteData::parse_with_diagnostics(&format!(
            "\"cookies\"{}",
            unknown(MAX_DIAGNOSTICS * 2)
        ))
        .unwrap();
        assert_eq!(over.len(), MAX_DIAGNOSTICS);
        assert_eq!(over.first().map(String::as_str), Some("\"x0\""));
        // A known type after the limit is still read.
        let value = format!(
            "{}, \"storage\"",
            unknown(MAX_DIAGNOSTICS * 2).trim_start_matches(", ")
        );
        let c: ClearSiteData = value.parse().unwrap();
        assert!(c.contains(ClearSiteDataType::Storage));
    }

    proptest! {
        #[test]
        fn round_trip(mask in 1u8..128) {
            let types = ClearSiteDataType::ALL.into_iter().filter(|t| mask & t.bit() != 0);
            let c = ClearSiteData::new(types).unwrap();
            prop_assert_eq!(c.to_string().parse::<ClearSiteData>().unwrap(), c);
            prop_assert_eq!(ClearSiteData::try_from(&HeaderValue::from(&c)).unwrap(), c);
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,48}") {
            let _ = ClearSiteData::parse_with_diagnostics(&s);
        }
    }
}
