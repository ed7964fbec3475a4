//! Byte-level grammar of CSP3: character classes, the source-expression classifier
//! (CSP3 §2.3.1) and the small validators the builder uses.
//!
//! Everything here works on ASCII bytes with table lookups and never allocates.

use crate::model::{HashAlgorithm, Keyword, SourceKind};

// Character-class bits.
const ALPHA: u16 = 1 << 0;
const DIGIT: u16 = 1 << 1;
/// `host-char = ALPHA / DIGIT / "-"`.
const HOST: u16 = 1 << 2;
/// RFC 3986 scheme continuation: `ALPHA / DIGIT / "+" / "-" / "."`.
const SCHEME: u16 = 1 << 3;
/// RFC 3986 `pchar` without `%` (checked separately) and without `;` and `,`
/// (CSP3 §2.3.1: path-part is path-absolute "but not including ";" or ","").
const PCHAR: u16 = 1 << 4;
/// `base64-value` body: `ALPHA / DIGIT / "+" / "/" / "-" / "_"`.
const B64: u16 = 1 << 5;
/// Hex digit.
const HEX: u16 = 1 << 6;
/// ASCII whitespace (TAB LF FF CR SP; not VT).
const WS: u16 = 1 << 7;
/// RFC 9110 `tchar`.
const TCHAR: u16 = 1 << 8;
/// `.`.
const DOT: u16 = 1 << 10;
/// `/`.
const SLASH: u16 = 1 << 11;
/// Trusted Types `tt-policy-name` character: `ALPHA / DIGIT / "-#=_/@.%"`.
const TT: u16 = 1 << 9;

const fn build_classes() -> [u16; 256] {
    let mut t = [0u16; 256];
    let mut i = 0usize;
    while i < 256 {
        let b = i as u8;
        let mut c = 0u16;
        let alpha = b.is_ascii_alphabetic();
        let digit = b.is_ascii_digit();
        if alpha {
            c |= ALPHA;
        }
        if digit {
            c |= DIGIT;
        }
        if alpha || digit || b == b'-' {
            c |= HOST;
        }
        if alpha || digit || b == b'+' || b == b'-' || b == b'.' {
            c |= SCHEME;
        }
        // pchar = unreserved / pct-encoded / sub-delims / ":" / "@"
        // unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~"
        // sub-delims = "!" / "$" / "&" / "'" / "(" / ")" / "*" / "+" / "," / ";" / "="
        if alpha
            || digit
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b'='
                    | b':'
                    | b'@'
            )
        {
            c |= PCHAR;
        }
        if alpha || digit || matches!(b, b'+' | b'/' | b'-' | b'_') {
            c |= B64;
        }
        if b.is_ascii_hexdigit() {
            c |= HEX;
        }
        if matches!(b, b'\t' | b'\n' | 0x0c | b'\r' | b' ') {
            c |= WS;
        }
        if alpha
            || digit
            || matches!(
                b,
                b'!' | b'#'
                    | b'$'
                    | b'%'
                    | b'&'
                    | b'\''
                    | b'*'
                    | b'+'
                    | b'-'
                    | b'.'
                    | b'^'
                    | b'_'
                    | b'`'
                    | b'|'
                    | b'~'
            )
        {
            c |= TCHAR;
        }
        if alpha || digit || matches!(b, b'-' | b'#' | b'=' | b'_' | b'/' | b'@' | b'.' | b'%') {
            c |= TT;
        }
        if b == b'.' {
            c |= DOT;
        }
        if b == b'/' {
            c |= SLASH;
        }
        t[i] = c;
        i += 1;
    }
    t
}

static CLASSES: [u16; 256] = build_classes();

#[inline(always)]
fn is(b: u8, class: u16) -> bool {
    CLASSES[b as usize] & class != 0
}

/// CSP3 / Infra: ASCII whitespace is TAB, LF, FF, CR and SPACE (not VT, not NBSP).
#[inline(always)]
pub(crate) fn is_ascii_ws(b: u8) -> bool {
    is(b, WS)
}

/// What one pass over a directive token found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TokenScan {
    /// A byte ≥ 0x80 (a non-ASCII code point after isomorphic decoding).
    pub(crate) non_ascii: bool,
    /// A control character other than ASCII whitespace, DEL, or `,`.
    pub(crate) invalid: bool,
    /// ASCII whitespace other than SPACE (TAB, LF, FF, CR).
    pub(crate) other_ws: bool,
}

/// Scans a trimmed directive token: one branch-free pass that vectorizes, then a precise
/// pass only in the rare case of a control character.
#[inline]
pub(crate) fn scan_token(bytes: &[u8]) -> TokenScan {
    let mut all = 0u8;
    let mut controls = 0u8;
    let mut del_or_comma = 0u8;
    for &b in bytes {
        all |= b;
        controls |= u8::from(b < 0x20);
        del_or_comma |= u8::from(b == 0x7f) | u8::from(b == b',');
    }
    let mut invalid = del_or_comma != 0;
    let mut other_ws = false;
    if controls != 0 {
        for &b in bytes {
            let other = matches!(b, b'\t' | b'\n' | 0x0c | b'\r');
            other_ws |= other;
            invalid |= b < 0x20 && !other;
        }
    }
    TokenScan {
        non_ascii: all >= 0x80,
        invalid,
        other_ws,
    }
}

/// Positions of a host-source's parts, relative to the start of the expression.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub(crate) struct HostParts {
    /// Start of the host (0 without a scheme; scheme length + 3 with one).
    pub(crate) host_start: u32,
    /// End of the host.
    pub(crate) host_end: u32,
    /// End of the port part (equal to `host_end` without a port; otherwise the port is
    /// `host_end + 1 .. port_end`). The path runs from here to the end.
    pub(crate) port_end: u32,
}

/// Result of classifying one source expression.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Classified {
    pub(crate) kind: SourceKind,
    pub(crate) parts: HostParts,
    /// Length of the prefix whose case is canonicalized to lowercase (keywords, the
    /// `'nonce-` / `'shaNNN-` prefix, schemes). Hosts and paths keep their case.
    pub(crate) lowercase_prefix: u32,
}

impl Classified {
    const fn simple(kind: SourceKind, lowercase_prefix: usize) -> Classified {
        Classified {
            kind,
            parts: HostParts {
                host_start: 0,
                host_end: 0,
                port_end: 0,
            },
            lowercase_prefix: lowercase_prefix as u32,
        }
    }
}

const OTHER: Classified = Classified::simple(SourceKind::Other, 0);

/// `base64-value = 1*( ALPHA / DIGIT / "+" / "/" / "-" / "_" ) *2( "=" )` (CSP3 §2.3.1).
pub(crate) fn is_base64_value(v: &[u8]) -> bool {
    let body = v.iter().take_while(|&&b| is(b, B64)).count();
    if body == 0 {
        return false;
    }
    let rest = v.get(body..).unwrap_or_default();
    rest.len() <= 2 && rest.iter().all(|&b| b == b'=')
}

/// RFC 3986 `scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`; returns its length.
#[inline]
fn scheme_len(v: &[u8]) -> usize {
    match v.first() {
        Some(&b) if is(b, ALPHA) => 1 + v.iter().skip(1).take_while(|&&b| is(b, SCHEME)).count(),
        _ => 0,
    }
}

/// Whether `v` is a `scheme-part` (RFC 3986 scheme).
pub(crate) fn is_scheme(v: &[u8]) -> bool {
    !v.is_empty() && scheme_len(v) == v.len()
}

/// Classifies one source expression (CSP3 §2.3.1). ABNF literals are case-insensitive
/// (RFC 5234 §2.3), so `'SELF'`, `'NONCE-…'` and `HTTPS:` are valid.
pub(crate) fn classify_source(v: &[u8]) -> Classified {
    match classify_at(v) {
        (c, len) if len == v.len() => c,
        _ => OTHER,
    }
}

/// End of the value that starts at `i`: the next ASCII whitespace or the end.
#[inline]
fn value_end(v: &[u8], i: usize) -> usize {
    i + v
        .get(i..)
        .unwrap_or_default()
        .iter()
        .take_while(|&&b| !is(b, WS))
        .count()
}

/// Whether `i` is the end of the value (ASCII whitespace or the end of the input).
#[inline(always)]
fn at_value_end(v: &[u8], i: usize) -> bool {
    v.get(i).is_none_or(|&b| is(b, WS))
}

/// Classifies the source expression at the start of `rest` (which may hold further
/// whitespace-separated values) and returns it with its length, so that the parser finds a
/// value's end and its kind in one pass.
#[inline]
pub(crate) fn classify_at(rest: &[u8]) -> (Classified, usize) {
    match rest.first() {
        Some(b'\'') => {
            let end = value_end(rest, 1);
            (classify_quoted(rest.get(..end).unwrap_or_default()), end)
        }
        Some(_) => classify_scheme_or_host(rest),
        None => (OTHER, 0),
    }
}

fn classify_quoted(v: &[u8]) -> Classified {
    let n = v.len();
    if n < 3 || v.last() != Some(&b'\'') {
        return OTHER;
    }
    if n <= 28 {
        if v.eq_ignore_ascii_case(b"'none'") {
            return Classified::simple(SourceKind::None, n);
        }
        if let Some(k) = Keyword::from_bytes_ci(v) {
            return Classified::simple(SourceKind::Keyword(k), n);
        }
    }
    let inner_end = n - 1;
    // nonce-source = "'nonce-" base64-value "'"
    if n > 8
        && v.get(..7)
            .is_some_and(|p| p.eq_ignore_ascii_case(b"'nonce-"))
    {
        return if v.get(7..inner_end).is_some_and(is_base64_value) {
            Classified::simple(SourceKind::Nonce, 7)
        } else {
            OTHER
        };
    }
    // hash-source = "'" hash-algorithm "-" base64-value "'"
    if n > 9 {
        let algorithm = match v.get(1..8) {
            Some(p) if p.eq_ignore_ascii_case(b"sha256-") => Some(HashAlgorithm::Sha256),
            Some(p) if p.eq_ignore_ascii_case(b"sha384-") => Some(HashAlgorithm::Sha384),
            Some(p) if p.eq_ignore_ascii_case(b"sha512-") => Some(HashAlgorithm::Sha512),
            _ => None,
        };
        if let Some(a) = algorithm {
            return if v.get(8..inner_end).is_some_and(is_base64_value) {
                Classified::simple(SourceKind::Hash(a), 8)
            } else {
                OTHER
            };
        }
    }
    OTHER
}

/// `[ scheme-part "://" ] host-part [ ":" port-part ] [ path-part ]` or `scheme-part ":"`,
/// at the start of `v`. Each part is one table-driven run, so a typical host source costs a
/// handful of branches whatever the number of its labels.
fn classify_scheme_or_host(v: &[u8]) -> (Classified, usize) {
    let s = scheme_len(v);
    let mut i = 0usize;
    let mut lowercase_prefix = 0usize;
    if s > 0 && v.get(s) == Some(&b':') {
        // scheme-source = scheme-part ":"
        if at_value_end(v, s + 1) {
            return (Classified::simple(SourceKind::Scheme, s + 1), s + 1);
        }
        if v.get(s + 1) == Some(&b'/') && v.get(s + 2) == Some(&b'/') {
            i = s + 3;
            lowercase_prefix = s;
        }
    }
    let other = |from: usize| (OTHER, value_end(v, from));
    // host-part = "*" / [ "*." ] 1*host-char *( "." 1*host-char ) [ "." ]
    let host_start = i;
    if v.get(i) == Some(&b'*') {
        i += 1;
        if v.get(i) == Some(&b'.') {
            i += 1;
            match host_labels(v, i) {
                Some(end) => i = end,
                None => return other(i),
            }
        }
    } else {
        match host_labels(v, i) {
            Some(end) => i = end,
            None => return other(i),
        }
    }
    let host_end = i;
    // [ ":" port-part ], port-part = 1*DIGIT / "*"
    if v.get(i) == Some(&b':') {
        i += 1;
        if v.get(i) == Some(&b'*') {
            i += 1;
        } else {
            let digits = v
                .get(i..)
                .unwrap_or_default()
                .iter()
                .take_while(|&&b| is(b, DIGIT))
                .count();
            if digits == 0 {
                return other(i);
            }
            i += digits;
        }
    }
    let port_end = i;
    // [ path-part ]
    if !at_value_end(v, i) {
        let end = value_end(v, i);
        if !is_path_absolute(v.get(i..end).unwrap_or_default()) {
            return (OTHER, end);
        }
        i = end;
    }
    let c = Classified {
        kind: SourceKind::Host,
        parts: HostParts {
            host_start: host_start as u32,
            host_end: host_end as u32,
            port_end: port_end as u32,
        },
        lowercase_prefix: lowercase_prefix as u32,
    };
    (c, i)
}

/// `1*host-char *( "." 1*host-char ) [ "." ]` starting at `i`; returns the end. One run over
/// host characters and dots; an empty label (`..`) makes it invalid.
#[inline]
fn host_labels(v: &[u8], i: usize) -> Option<usize> {
    let rest = v.get(i..)?;
    if !rest.first().is_some_and(|&b| is(b, HOST)) {
        return None;
    }
    let mut double_dot = false;
    let mut prev_dot = false;
    let mut len = 0usize;
    for &b in rest {
        if !is(b, HOST | DOT) {
            break;
        }
        let dot = b == b'.';
        double_dot |= dot & prev_dot;
        prev_dot = dot;
        len += 1;
    }
    (!double_dot).then_some(i + len)
}

/// RFC 3986 `path-absolute = "/" [ segment-nz *( "/" segment ) ]`, without `;` or `,`.
fn is_path_absolute(p: &[u8]) -> bool {
    if p.first() != Some(&b'/') {
        return false;
    }
    // "//" would start with an empty segment-nz.
    if p.get(1) == Some(&b'/') {
        return false;
    }
    let mut percent = false;
    for &b in p {
        if !is(b, PCHAR | SLASH) {
            if b != b'%' {
                return false;
            }
            percent = true;
        }
    }
    // pct-encoded = "%" HEXDIG HEXDIG, checked only when a "%" is present.
    !percent || percent_escapes_ok(p)
}

fn percent_escapes_ok(p: &[u8]) -> bool {
    let mut i = 0usize;
    while let Some(&b) = p.get(i) {
        if b == b'%' {
            let ok = p.get(i + 1).is_some_and(|&h| is(h, HEX))
                && p.get(i + 2).is_some_and(|&h| is(h, HEX));
            if !ok {
                return false;
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    true
}

/// RFC 9110 `token = 1*tchar`.
pub(crate) fn is_token(v: &[u8]) -> bool {
    !v.is_empty() && v.iter().all(|&b| is(b, TCHAR))
}

/// Trusted Types `tt-policy-name = 1*( ALPHA / DIGIT / "-" / "#" / "=" / "_" / "/" / "@" / "." / "%" )`.
pub(crate) fn is_tt_policy_name(v: &[u8]) -> bool {
    !v.is_empty() && v.iter().all(|&b| is(b, TT))
}

/// `directive-name = 1*( ALPHA / DIGIT / "-" )` (CSP3 §2.2).
pub(crate) fn is_directive_name(v: &[u8]) -> bool {
    !v.is_empty() && v.iter().all(|&b| is(b, HOST))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_parts_are_located() {
        let c = classify_source(b"https://*.example.com:12/path/to/file.js");
        assert_eq!(c.kind, SourceKind::Host);
        assert_eq!(c.parts.host_start, 8);
        assert_eq!(c.parts.host_end, 21);
        assert_eq!(c.parts.port_end, 24);
        assert_eq!(c.lowercase_prefix, 5);
    }

    #[test]
    fn scan_flags_controls_and_comma() {
        let flags = |s: &[u8]| {
            let t = scan_token(s);
            (t.non_ascii, t.invalid, t.other_ws)
        };
        assert_eq!(flags(b"a b c"), (false, false, false));
        assert_eq!(flags(b"a b\tc"), (false, false, true));
        assert_eq!(flags(b"a\x0bb"), (false, true, false));
        assert_eq!(flags(b"a,b"), (false, true, false));
        assert_eq!(flags("a\u{a0}".as_bytes()), (true, false, false));
    }
}
