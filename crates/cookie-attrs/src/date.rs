//! The cookie-date algorithm (RFC 6265bis §5.1.1) and the IMF-fixdate serialization used for
//! `Expires` (RFC 9110 §5.6.7).

use std::fmt;

/// A point in time, in whole seconds since 1970-01-01T00:00:00Z (negative before it), as used
/// for cookie expiry times.
///
/// Built by [`parse_cookie_date`] or from a Unix timestamp; displayed as an IMF-fixdate
/// (`Wed, 21 Oct 2015 07:28:00 GMT`), the form `Expires` should use.
///
/// ```
/// use cookie_attrs::CookieDate;
/// let date = CookieDate::from_unix_seconds(1_445_412_480);
/// assert_eq!(date.to_string(), "Wed, 21 Oct 2015 07:28:00 GMT");
/// assert_eq!(date.unix_seconds(), 1_445_412_480);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CookieDate(i64);

/// The earliest date the cookie-date algorithm accepts: 1601-01-01T00:00:00Z (§5.1.1 step 5).
const EARLIEST_UNIX: i64 = -11_644_473_600;
/// The latest date four year digits can express: 9999-12-31T23:59:59Z.
const LATEST_UNIX: i64 = 253_402_300_799;

impl CookieDate {
    /// The date `seconds` after the Unix epoch, clamped to the range a cookie-date can express
    /// (years 1601 through 9999).
    ///
    /// ```
    /// use cookie_attrs::CookieDate;
    /// assert_eq!(CookieDate::from_unix_seconds(0).to_string(), "Thu, 01 Jan 1970 00:00:00 GMT");
    /// ```
    #[must_use]
    pub const fn from_unix_seconds(seconds: i64) -> Self {
        if seconds < EARLIEST_UNIX {
            Self(EARLIEST_UNIX)
        } else if seconds > LATEST_UNIX {
            Self(LATEST_UNIX)
        } else {
            Self(seconds)
        }
    }

    /// Seconds since the Unix epoch.
    ///
    /// ```
    /// use cookie_attrs::parse_cookie_date;
    /// let d = parse_cookie_date("Thu, 01 Jan 1970 00:01:00 GMT").unwrap();
    /// assert_eq!(d.unix_seconds(), 60);
    /// ```
    #[must_use]
    pub const fn unix_seconds(self) -> i64 {
        self.0
    }
}

impl fmt::Display for CookieDate {
    /// IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT` (RFC 9110 §5.6.7).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
        let days = self.0.div_euclid(86_400);
        let secs = self.0.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        let weekday = DAYS
            .get(usize::try_from(days.rem_euclid(7)).unwrap_or(0))
            .copied()
            .unwrap_or("Thu");
        let month = MONTHS
            .get(usize::try_from(m.saturating_sub(1)).unwrap_or(0))
            .copied()
            .unwrap_or("jan");
        let mut month_buf = [0u8; 3];
        month_buf.copy_from_slice(month.as_bytes());
        month_buf[0] = month_buf[0].to_ascii_uppercase();
        let month = std::str::from_utf8(&month_buf).unwrap_or("Jan");
        write!(
            f,
            "{weekday}, {d:02} {month} {y:04} {:02}:{:02}:{:02} GMT",
            secs / 3600,
            secs % 3600 / 60,
            secs % 60
        )
    }
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// RFC 6265bis §5.1.1: `delimiter = %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E`.
const fn is_delimiter(b: u8) -> bool {
    matches!(b, 0x09 | 0x20..=0x2F | 0x3B..=0x40 | 0x5B..=0x60 | 0x7B..=0x7E)
}

/// Reads 1 to `max` leading digits; returns the number and how many digits were read.
fn leading_digits(token: &[u8], max: usize) -> Option<(u32, usize)> {
    let mut value = 0u32;
    let mut count = 0;
    for &b in token {
        if !b.is_ascii_digit() {
            break;
        }
        count += 1;
        if count > max {
            return None;
        }
        value = value * 10 + u32::from(b - b'0');
    }
    (count > 0).then_some((value, count))
}

/// `1*{min..max}DIGIT [ non-digit *OCTET ]`: the digits, then the end or a non-digit.
fn number_then_non_digit(token: &[u8], min: usize, max: usize) -> Option<u32> {
    let (value, count) = leading_digits(token, max)?;
    // leading_digits stops at the first non-digit or fails when more than `max` digits follow.
    (count >= min).then_some(value)
}

/// `time = hms-time [ non-digit *OCTET ]`, `hms-time = time-field ":" time-field ":" time-field`,
/// `time-field = 1*2DIGIT`.
fn parse_time(token: &[u8]) -> Option<(u32, u32, u32)> {
    let (h, n1) = leading_digits(token, 2)?;
    let rest = token.get(n1..)?.strip_prefix(b":")?;
    let (m, n2) = leading_digits(rest, 2)?;
    let rest = rest.get(n2..)?.strip_prefix(b":")?;
    let (s, _) = leading_digits(rest, 2)?;
    Some((h, m, s))
}

/// `month = ( "jan" / "feb" / ... / "dec" ) *OCTET`, matched case-insensitively.
fn parse_month(token: &[u8]) -> Option<u32> {
    let head = token.get(..3)?;
    MONTHS
        .iter()
        .position(|m| head.eq_ignore_ascii_case(m.as_bytes()))
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// Parses a cookie-date exactly as RFC 6265bis §5.1.1 tells user agents to, e.g. the value of
/// an `Expires` attribute. Returns `None` when the algorithm fails to parse the date.
///
/// ```
/// use cookie_attrs::parse_cookie_date;
/// let d = parse_cookie_date("Mon, 10-Dec-2007 17:02:24 GMT").unwrap();
/// assert_eq!(d.to_string(), "Mon, 10 Dec 2007 17:02:24 GMT");
/// // two-digit years: 70-99 mean 19xx, 00-69 mean 20xx
/// assert_eq!(parse_cookie_date("Wednesday, 01-Jan-10 00:00:00 GMT").unwrap().to_string(),
///            "Fri, 01 Jan 2010 00:00:00 GMT");
/// assert!(parse_cookie_date("Mon, 01-Jan-2011 00: 00:00 GMT").is_none());
/// ```
#[must_use]
pub fn parse_cookie_date(input: &str) -> Option<CookieDate> {
    let mut time: Option<(u32, u32, u32)> = None;
    let mut day: Option<u32> = None;
    let mut month: Option<u32> = None;
    let mut year: Option<u32> = None;
    // Step 1: divide the cookie-date into date-tokens (runs of non-delimiters).
    // Step 2: process each date-token in order; each flag is set by its first match only.
    for token in input.as_bytes().split(|&b| is_delimiter(b)) {
        if token.is_empty() {
            continue;
        }
        // 2.1 time
        if time.is_none()
            && let Some(t) = parse_time(token)
        {
            time = Some(t);
            continue;
        }
        // 2.2 day-of-month = 1*2DIGIT [ non-digit *OCTET ]
        if day.is_none()
            && let Some(d) = number_then_non_digit(token, 1, 2)
        {
            day = Some(d);
            continue;
        }
        // 2.3 month
        if month.is_none()
            && let Some(m) = parse_month(token)
        {
            month = Some(m);
            continue;
        }
        // 2.4 year = 2*4DIGIT [ non-digit *OCTET ]
        if year.is_none()
            && let Some(y) = number_then_non_digit(token, 2, 4)
        {
            year = Some(y);
        }
    }
    let (hour, minute, second) = time?;
    let (day, month, mut year) = (day?, month?, year?);
    // Step 3: 70..=99 -> 1970..=1999. Step 4: 0..=69 -> 2000..=2069.
    if (70..=99).contains(&year) {
        year += 1900;
    } else if year <= 69 {
        year += 2000;
    }
    // Step 5: range checks.
    if !(1..=31).contains(&day) || year < 1601 || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    // Step 6: the date must exist (no 31 April, no 29 February outside leap years).
    if day > days_in_month(year, month) {
        return None;
    }
    let days = days_from_civil(i64::from(year), month, day);
    Some(CookieDate(
        days * 86_400 + i64::from(hour * 3600 + minute * 60 + second),
    ))
}

const fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`]: (year, month 1-12, day 1-31).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip_over_four_centuries() {
        for days in (-140_000..140_000).step_by(17) {
            let (y, m, d) = civil_from_days(days);
            let m = u32::try_from(m).unwrap();
            let d = u32::try_from(d).unwrap();
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn year_before_1601_fails() {
        assert!(parse_cookie_date("01 Jan 1600 00:00:00").is_none());
        assert_eq!(
            parse_cookie_date("01 Jan 1601 00:00:00").map(CookieDate::unix_seconds),
            Some(EARLIEST_UNIX)
        );
    }

    #[test]
    fn nonexistent_day_fails() {
        assert!(parse_cookie_date("31 Apr 2020 00:00:00").is_none());
        assert!(parse_cookie_date("29 Feb 2021 00:00:00").is_none());
        assert!(parse_cookie_date("29 Feb 2020 00:00:00").is_some());
    }

    #[test]
    fn date_field_ranges_at_their_boundaries() {
        // §5.1.1 step 5: day 1-31, hour 0-23, minute 0-59, second 0-59.
        let ok = |s: &str| parse_cookie_date(s).is_some();
        assert!(ok("01 Jan 2020 00:00:00") && ok("31 Jan 2020 23:59:59"));
        assert!(!ok("00 Jan 2020 00:00:00"));
        assert!(!ok("32 Jan 2020 00:00:00"));
        assert!(!ok("01 Jan 2020 24:00:00"));
        assert!(!ok("01 Jan 2020 00:60:00"));
        assert!(!ok("01 Jan 2020 00:00:60"));
        // Every flag must be set.
        assert!(!ok("Jan 2020 00:00:00"));
        assert!(!ok("01 2020 00:00:00"));
        assert!(!ok("01 Jan 00:00:00"));
        assert!(!ok("01 Jan 2020"));
    }

    #[test]
    fn two_digit_years_split_at_70() {
        // §5.1.1 steps 3-4: 70-99 add 1900, 0-69 add 2000.
        let year = |y: &str| {
            parse_cookie_date(&format!("01 Jan {y} 00:00:00"))
                .map(|d| civil_from_days(d.0.div_euclid(86_400)).0)
        };
        assert_eq!(year("69"), Some(2069));
        assert_eq!(year("70"), Some(1970));
        assert_eq!(year("99"), Some(1999));
        assert_eq!(year("00"), Some(2000));
        assert_eq!(year("0069"), Some(2069)); // the number denoted, not the digit count
        assert_eq!(year("100"), None); // below 1601
        assert_eq!(year("9999"), Some(9999));
        assert_eq!(year("10000"), None); // year = 2*4DIGIT
    }

    #[test]
    fn date_token_digit_counts_follow_the_grammar() {
        // time-field = 1*2DIGIT: one digit works, three do not.
        assert!(parse_cookie_date("01 Jan 2020 1:2:3").is_some());
        assert!(parse_cookie_date("01 Jan 2020 001:00:00").is_none());
        assert!(parse_cookie_date("01 Jan 2020 00:00:000").is_none());
        // A non-digit may follow each production: "00:00:00Z", "1st", "2020AD", "January".
        assert_eq!(
            parse_cookie_date("1st January 2020AD 00:00:00Z").map(CookieDate::unix_seconds),
            Some(1_577_836_800)
        );
        // Month names are case-insensitive.
        assert!(parse_cookie_date("01 JAN 2020 00:00:00").is_some());
        assert!(parse_cookie_date("01 ja 2020 00:00:00").is_none());
    }

    #[test]
    fn from_unix_seconds_clamps_to_years_1601_through_9999() {
        assert_eq!(
            CookieDate::from_unix_seconds(EARLIEST_UNIX - 1).0,
            EARLIEST_UNIX
        );
        assert_eq!(
            CookieDate::from_unix_seconds(EARLIEST_UNIX).0,
            EARLIEST_UNIX
        );
        assert_eq!(CookieDate::from_unix_seconds(LATEST_UNIX).0, LATEST_UNIX);
        assert_eq!(
            CookieDate::from_unix_seconds(LATEST_UNIX + 1).0,
            LATEST_UNIX
        );
        assert_eq!(
            CookieDate::from_unix_seconds(LATEST_UNIX).to_string(),
            "Fri, 31 Dec 9999 23:59:59 GMT"
        );
        assert_eq!(
            CookieDate::from_unix_seconds(EARLIEST_UNIX).to_string(),
            "Mon, 01 Jan 1601 00:00:00 GMT"
        );
    }
}
