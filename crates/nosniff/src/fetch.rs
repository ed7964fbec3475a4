//! Fetch Standard header-list algorithms shared by the header crates.
//!
//! Browsers read several legacy headers (`X-Content-Type-Options`, `X-Frame-Options`, …)
//! through Fetch §2.2.2 "get, decode, and split": every line of the header is joined with
//! `", "`, then the joined value is split on commas that are not inside a double-quoted
//! string, and each member is trimmed of HTTP tab or space. Quoted strings are kept *with*
//! their quotes, so `"nosniff"` is never equal to `nosniff`.
//!
//! This module implements that algorithm once, without joining the lines into a new buffer:
//! [`split_values`] walks the lines in place and yields each member as a byte slice borrowed
//! from its line. Only a member whose quoted string runs across a line boundary is copied.
//!
//! ```
//! use nosniff::fetch::split_values;
//!
//! // Two lines, one member quoted with a comma inside: three members, trimmed, quotes kept.
//! let members: Vec<_> = split_values(["nosniff, \"a,b\"", "\tx "]).collect();
//! assert_eq!(members, [&b"nosniff"[..], b"\"a,b\"", b"x"]);
//! ```

use std::borrow::Cow;

/// Fetch §2.2 "HTTP tab or space": U+0009 TAB or U+0020 SPACE.
///
/// Note that U+000B and U+000C are *not* included: only tabs and spaces are trimmed.
///
/// ```
/// assert!(nosniff::fetch::is_http_tab_or_space(b'\t'));
/// assert!(!nosniff::fetch::is_http_tab_or_space(0x0c));
/// ```
#[must_use]
pub const fn is_http_tab_or_space(byte: u8) -> bool {
    byte == b'\t' || byte == b' '
}

/// Removes HTTP tab or space from the start and the end of `bytes`.
///
/// ```
/// assert_eq!(nosniff::fetch::trim_http_tab_or_space(b" \tDENY \t"), b"DENY");
/// assert_eq!(nosniff::fetch::trim_http_tab_or_space(b"nosniff\x0c"), b"nosniff\x0c");
/// ```
#[must_use]
pub fn trim_http_tab_or_space(mut bytes: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = bytes {
        if !is_http_tab_or_space(*first) {
            break;
        }
        bytes = rest;
    }
    while let [rest @ .., last] = bytes {
        if !is_http_tab_or_space(*last) {
            break;
        }
        bytes = rest;
    }
    bytes
}

/// Infra "isomorphic decode": each byte becomes the code point with the same value.
///
/// ASCII input is borrowed; bytes 0x80–0xFF (HTTP `obs-text`) become U+0080–U+00FF.
///
/// ```
/// use nosniff::fetch::isomorphic_decode;
/// assert_eq!(isomorphic_decode(b"nosniff"), "nosniff");
/// assert_eq!(isomorphic_decode(b"nosniff\x94"), "nosniff\u{94}");
/// ```
#[must_use]
pub fn isomorphic_decode(bytes: &[u8]) -> Cow<'_, str> {
    if bytes.is_ascii()
        && let Ok(text) = std::str::from_utf8(bytes)
    {
        return Cow::Borrowed(text);
    }
    Cow::Owned(bytes.iter().copied().map(char::from).collect())
}

/// Fetch §2.2.2 "get, decode, and split" over all lines of one header.
///
/// `lines` are the values of every header line with the name in question, in order (for
/// example `headers.get_all(name)` of an [`http::HeaderMap`]). Returns `None` when there is
/// no line ("values is null"), otherwise the list of members, each isomorphic-decoded.
///
/// The Fetch "get" step joins the lines with `", "` before splitting, so a quoted string
/// left open on one line continues on the next; this function gives exactly that result.
///
/// ```
/// use nosniff::get_decode_split;
///
/// assert_eq!(get_decode_split::<_, str>([]), None);
/// assert_eq!(get_decode_split(["nosniff,,x"]).unwrap(), ["nosniff", "", "x"]);
/// assert_eq!(get_decode_split([" a ", "\"b,c\""]).unwrap(), ["a", "\"b,c\""]);
/// // A quoted string open at the end of a line swallows the `", "` join and the next line.
/// assert_eq!(get_decode_split(["\"a", "b\""]).unwrap(), ["\"a, b\""]);
/// ```
#[must_use]
pub fn get_decode_split<'a, I, B>(lines: I) -> Option<Vec<String>>
where
    I: IntoIterator<Item = &'a B>,
    B: AsRef<[u8]> + ?Sized + 'a,
{
    let values: Vec<String> = split_values(lines)
        .map(|value| isomorphic_decode(&value).into_owned())
        .collect();
    // A present header always yields at least one member (possibly empty); no member means
    // no line at all.
    if values.is_empty() {
        None
    } else {
        Some(values)
    }
}

/// The splitting half of [`get_decode_split`], lazily and without decoding.
///
/// Yields each member as raw bytes, trimmed of HTTP tab or space, quotes kept. Members are
/// borrowed from `lines`; only a member containing a quoted string that spans a line
/// boundary is assembled into an owned buffer. Yields nothing when `lines` is empty.
/// Comparing raw bytes with [`<[u8]>::eq_ignore_ascii_case`] is the same as comparing the
/// decoded, ASCII-lowercased strings the specs describe.
///
/// ```
/// use nosniff::fetch::split_values;
///
/// let members: Vec<_> = split_values(["SAMEORIGIN, DENY", "x"]).collect();
/// assert_eq!(members, [&b"SAMEORIGIN"[..], b"DENY", b"x"]);
/// ```
pub fn split_values<'a, I, B>(lines: I) -> impl Iterator<Item = Cow<'a, [u8]>>
where
    I: IntoIterator<Item = &'a B>,
    B: AsRef<[u8]> + ?Sized + 'a,
{
    SplitValues::new(lines.into_iter().map(AsRef::as_ref))
}

/// State of the get-decode-split walk over header lines.
struct SplitValues<'a, I> {
    /// Lines not reached yet.
    lines: I,
    /// The unread rest of the current line; the next member starts here.
    rest: &'a [u8],
    /// Set once the last member has been produced.
    done: bool,
}

/// First index at or after `from` whose byte is one of `targets`, with that byte.
fn find_any(haystack: &[u8], from: usize, targets: [u8; 2]) -> Option<(usize, u8)> {
    let tail = haystack.get(from..)?;
    let offset = tail.iter().position(|byte| targets.contains(byte))?;
    let index = from + offset;
    haystack.get(index).map(|byte| (index, *byte))
}

impl<'a, I> SplitValues<'a, I>
where
    I: Iterator<Item = &'a [u8]>,
{
    fn new(mut lines: I) -> Self {
        match lines.next() {
            Some(first) => Self {
                lines,
                rest: first,
                done: false,
            },
            None => Self {
                lines,
                rest: &[],
                done: true,
            },
        }
    }

    /// Ends the current member with `segment[..end]` (plus any carried-over prefix).
    fn finish(carried: Option<Vec<u8>>, segment: &'a [u8], end: usize) -> Cow<'a, [u8]> {
        let tail = segment.get(..end).unwrap_or(segment);
        match carried {
            // Step 5.3: "Remove all HTTP tab or space from the start and end of value."
            None => Cow::Borrowed(trim_http_tab_or_space(tail)),
            Some(mut joined) => {
                joined.extend_from_slice(tail);
                Cow::Owned(trim_http_tab_or_space(&joined).to_vec())
            }
        }
    }
}

impl<'a, I> Iterator for SplitValues<'a, I>
where
    I: Iterator<Item = &'a [u8]>,
{
    type Item = Cow<'a, [u8]>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        // The member being collected is `carried ++ segment[..position]`. `carried` holds
        // earlier lines (each followed by the ", " join) when a quoted string spans lines.
        let mut carried: Option<Vec<u8>> = None;
        let mut segment = self.rest;
        let mut position = 0;
        loop {
            // Fetch §2.2.2 step 5.1: "Append the result of collecting a sequence of code
            // points that are not U+0022 (") or U+002C (,) from input, given position, to
            // temporaryValue."
            match find_any(segment, position, [b'"', b',']) {
                Some((comma, b',')) => {
                    // Steps 5.3-5.8: trim, append, and advance past the comma.
                    self.rest = segment.get(comma + 1..).unwrap_or_default();
                    return Some(Self::finish(carried, segment, comma));
                }
                Some((quote, _)) => {
                    // Step 5.2.1: "Append the result of collecting an HTTP quoted string
                    // from input, given position, to temporaryValue." Without
                    // extract-value, the quoted string is kept as written, quotes and
                    // backslashes included.
                    position = quote + 1;
                    loop {
                        match find_any(segment, position, [b'"', b'\\']) {
                            Some((closing, b'"')) => {
                                position = closing + 1;
                                break;
                            }
                            Some((backslash, _)) if backslash + 1 < segment.len() => {
                                // The backslash and the code point it escapes.
                                position = backslash + 2;
                            }
                            // A backslash that ends the line escapes the ',' of the ", "
                            // join, and an unterminated quoted string runs on into the
                            // next line: both continue inside the quoted string.
                            Some(_) | None => match self.lines.next() {
                                Some(next_line) => {
                                    let joined = carried.get_or_insert_with(Vec::new);
                                    joined.extend_from_slice(segment);
                                    joined.extend_from_slice(b", ");
                                    segment = next_line;
                                    position = 0;
                                }
                                None => {
                                    // End of input inside the quoted string: the member
                                    // runs to the end (a lone trailing backslash is kept).
                                    self.done = true;
                                    return Some(Self::finish(carried, segment, segment.len()));
                                }
                            },
                        }
                    }
                    // Step 5.2.2: "If position is not past the end of input, then
                    // continue." (back to step 5.1 on the rest of the line).
                }
                None => {
                    // End of this line. If another line follows, the ", " join acts as the
                    // separating comma and the space is trimmed off the next member.
                    let end = segment.len();
                    match self.lines.next() {
                        Some(next_line) => self.rest = next_line,
                        None => self.done = true,
                    }
                    return Some(Self::finish(carried, segment, end));
                }
            }
        }
    }
}
