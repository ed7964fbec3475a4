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

/// Where a directive token ends, and what the bytes before that end hold, from one pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DirectiveBytes {
    /// Offset of the first `;` (the end of the input without one).
    pub(crate) end: usize,
    /// A byte outside visible ASCII and SPACE (a control, DEL or a byte ≥ 0x80) before `end`.
    pub(crate) outside: bool,
    /// A `,` before `end` (searched for only when asked).
    pub(crate) comma: bool,
}

/// CSP3 §2.2.1 step 3: "For each token returned by strictly splitting serialized on the
/// U+003B SEMICOLON character (;)". Finds the first `;` of `bytes` and, in the same pass, flags
/// the bytes before it that [`token_scan`] must look at closely. Full 32-byte blocks without a
/// `;` go through a loop the compiler vectorizes; the block holding the `;` and the rest go
/// eight bytes at a time, masked at the `;` and at the end of the input.
#[inline]
pub(crate) fn split_directive<const COMMAS: bool>(bytes: &[u8]) -> DirectiveBytes {
    let (blocks, _) = bytes.as_chunks::<32>();
    let mut outside = 0u8;
    let mut comma = 0u8;
    let mut from = blocks.len() * 32;
    for (n, block) in blocks.iter().enumerate() {
        let (mut semi, mut o, mut c) = (0u8, 0u8, 0u8);
        for &b in block {
            semi |= u8::from(b == b';');
            o |= u8::from(b.wrapping_sub(0x20) > 0x5e);
            if COMMAS {
                c |= u8::from(b == b',');
            }
        }
        if semi != 0 {
            from = n * 32;
            break;
        }
        outside |= o;
        comma |= c;
    }
    let mut outside_bytes = 0u64;
    let mut comma_bytes = 0u64;
    let mut i = from;
    let end = loop {
        let rest = bytes.get(i..).unwrap_or_default();
        let (word, present) = match rest.first_chunk::<8>() {
            Some(word) => (u64::from_le_bytes(*word), u64::MAX),
            None if rest.is_empty() => break bytes.len(),
            // 1 to 7 bytes: the zero padding above them is not input.
            None => (tail_word(bytes, rest), (1u64 << (8 * rest.len())) - 1),
        };
        let semi = byte_eq(word, b';') & present;
        // Every bit below the first `;` (all present bytes when there is none).
        let before = if semi == 0 {
            present
        } else {
            (semi & semi.wrapping_neg()) - 1
        };
        let (o, c) = outside_or_comma_bytes(word);
        outside_bytes |= o & before;
        if COMMAS {
            comma_bytes |= c & before;
        }
        if semi != 0 {
            break i + (semi.trailing_zeros() / 8) as usize;
        }
        i += 8;
    };
    DirectiveBytes {
        end,
        outside: outside != 0 || outside_bytes != 0,
        comma: comma != 0 || comma_bytes != 0,
    }
}

/// What a trimmed directive token holds, given what [`split_directive`] found before its end
/// (trimming removes only ASCII whitespace, so a `,` found there is in the token). Only a
/// token with a byte outside visible ASCII and SPACE, which is rare, is read again byte by
/// byte.
#[inline]
pub(crate) fn token_scan(token: &[u8], found: DirectiveBytes) -> TokenScan {
    let mut scan = TokenScan {
        non_ascii: false,
        invalid: found.comma,
        other_ws: false,
    };
    if found.outside {
        for &b in token {
            let other = matches!(b, b'\t' | b'\n' | 0x0c | b'\r');
            scan.other_ws |= other;
            scan.non_ascii |= b >= 0x80;
            scan.invalid |= (b < 0x20 && !other) || b == 0x7f;
        }
    }
    scan
}

/// [`token_scan`] of a whole trimmed token (`bytes` holds no `;`).
#[cfg(test)]
fn scan_token(bytes: &[u8]) -> TokenScan {
    token_scan(bytes, split_directive::<true>(bytes))
}

/// The high bit of every byte of `x` that equals `c` (an ASCII byte): exact for every byte, as
/// no sum below carries into the next byte.
#[inline(always)]
fn byte_eq(x: u64, c: u8) -> u64 {
    // (x ^ c) is zero exactly for c; on seven bits, adding 0x7f sets the high bit of every
    // other byte without a carry, and bytes ≥ 0x80 are excluded by `!x`.
    let y = (x ^ splat(c)) & !HIGH;
    !(y + splat(0x7f)) & !x & HIGH
}

/// Per byte of `x` (high bit of each byte): `(outside, comma)`, where outside means a byte
/// below 0x20, DEL or ≥ 0x80, and comma means ",". Each sum below stays within its byte.
#[inline(always)]
fn outside_or_comma_bytes(x: u64) -> (u64, u64) {
    let y = x & !HIGH;
    // y + 0x60 has its high bit clear iff y < 0x20; y + 0x01 has it set iff y == 0x7f.
    let outside = (x | !(y + splat(0x60)) | (y + splat(0x01))) & HIGH;
    // y ^ ',' is zero exactly for a comma; adding 0x7f sets the high bit of every other byte.
    let comma = !((y ^ splat(b',')) + splat(0x7f)) & HIGH;
    (outside, comma)
}

/// Position of the first SPACE in `bytes`, eight bytes at a time (directive names are short,
/// and a call into memchr costs more than the search).
#[inline]
pub(crate) fn find_space(bytes: &[u8]) -> Option<usize> {
    let (words, tail) = bytes.as_chunks::<8>();
    let space_bytes = |x: u64| byte_eq(x, b' ');
    for (n, word) in words.iter().enumerate() {
        let found = space_bytes(u64::from_le_bytes(*word));
        if found != 0 {
            return Some(n * 8 + (found.trailing_zeros() / 8) as usize);
        }
    }
    // The zero padding of the tail word holds no space.
    let found = space_bytes(tail_word(bytes, tail));
    (found != 0).then(|| words.len() * 8 + (found.trailing_zeros() / 8) as usize)
}

/// Positions of a host-source's parts, relative to the start of the expression. Not stored:
/// [`host_parts`] finds them again in the canonical text when an accessor asks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub(crate) struct HostParts {
    /// Start of the host (0 without a scheme; scheme length + 3 with one).
    pub(crate) host_start: usize,
    /// End of the host.
    pub(crate) host_end: usize,
    /// End of the port part (equal to `host_end` without a port; otherwise the port is
    /// `host_end + 1 .. port_end`). The path runs from here to the end.
    pub(crate) port_end: usize,
}

/// Locates the parts of a text already classified as a host source. The grammar makes this a
/// matter of finding delimiters: neither a scheme nor a host holds `:` or `/`, and a port is
/// digits or `*`, so `://` after the first `:` or `/` can only end a scheme.
pub(crate) fn host_parts(t: &[u8]) -> HostParts {
    let is_delim = |b: &u8| matches!(b, b':' | b'/');
    let first = t.iter().position(is_delim).unwrap_or(t.len());
    let host_start = if t.get(first..first + 3) == Some(b"://") {
        first + 3
    } else {
        0
    };
    let after_host = t.get(host_start..).unwrap_or_default();
    let host_end = host_start
        + after_host
            .iter()
            .position(is_delim)
            .unwrap_or(after_host.len());
    let port_end = if t.get(host_end) == Some(&b':') {
        let port = t.get(host_end + 1..).unwrap_or_default();
        host_end + 1 + port.iter().position(|&b| b == b'/').unwrap_or(port.len())
    } else {
        host_end
    };
    HostParts {
        host_start,
        host_end,
        port_end,
    }
}

/// Result of classifying one source expression.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Classified {
    pub(crate) kind: SourceKind,
    /// Length of the prefix whose case must be canonicalized to lowercase (keywords, the
    /// `'nonce-` / `'shaNNN-` prefix, schemes); 0 when it is lowercase already. Hosts and
    /// paths keep their case.
    pub(crate) lowercase_prefix: u32,
}

impl Classified {
    const fn simple(kind: SourceKind, lowercase_prefix: usize) -> Classified {
        Classified {
            kind,
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

/// [`classify_at`] for values whose only whitespace is SPACE (a token without TAB, LF, FF
/// or CR), inlined into the parser's loop over single-spaced source lists.
#[inline(always)]
pub(crate) fn classify_at_spaced(rest: &[u8]) -> (Classified, usize) {
    match rest.first() {
        Some(b'\'') => {
            if let Some(common) = common_keyword_spaced(rest) {
                return common;
            }
            let end = find_space(rest).unwrap_or(rest.len());
            (classify_quoted(rest.get(..end).unwrap_or_default()), end)
        }
        Some(_) => classify_scheme_or_host(rest),
        None => (OTHER, 0),
    }
}

// The common keywords as little-endian words: `'self'` and `'none'` in the low six bytes,
// `'unsafe-inline'` as its first and last eight bytes (bytes 0..8 and 7..15), `'unsafe-eval'`
// as bytes 0..8 and 5..13.
const SELF_WORD: u64 = u64::from_le_bytes(*b"'self'\0\0");
const NONE_WORD: u64 = u64::from_le_bytes(*b"'none'\0\0");
const UNSAFE_INLINE: (u64, u64) = (
    u64::from_le_bytes(*b"'unsafe-"),
    u64::from_le_bytes(*b"-inline'"),
);
const UNSAFE_EVAL: (u64, u64) = (
    u64::from_le_bytes(*b"'unsafe-"),
    u64::from_le_bytes(*b"fe-eval'"),
);

/// The keywords most policies use, written in canonical lowercase, at the start of `rest` (a
/// value starting with `'`, whose only whitespace is SPACE): compared a word at a time, so
/// they skip the search for the value's end and the general keyword lookup. `None` for
/// anything else, which [`classify_quoted`] then decides (it gives the same answer for these).
#[inline(always)]
fn common_keyword_spaced(rest: &[u8]) -> Option<(Classified, usize)> {
    let ends_at = |n: usize| rest.get(n).is_none_or(|&b| b == b' ');
    let first = load8(rest, 0);
    let six = first & 0x0000_ffff_ffff_ffff;
    if six == SELF_WORD && ends_at(6) {
        return Some((
            Classified::simple(SourceKind::Keyword(Keyword::SelfOrigin), 0),
            6,
        ));
    }
    if six == NONE_WORD && ends_at(6) {
        return Some((Classified::simple(SourceKind::None, 0), 6));
    }
    if first == UNSAFE_INLINE.0 {
        if load8(rest, 7) == UNSAFE_INLINE.1 && ends_at(15) {
            return Some((
                Classified::simple(SourceKind::Keyword(Keyword::UnsafeInline), 0),
                15,
            ));
        }
        if load8(rest, 5) == UNSAFE_EVAL.1 && ends_at(13) {
            return Some((
                Classified::simple(SourceKind::Keyword(Keyword::UnsafeEval), 0),
                13,
            ));
        }
    }
    None
}

/// `v` is one whole value starting with `'`.
fn classify_quoted(v: &[u8]) -> Classified {
    let n = v.len();
    if n < 3 || v.last() != Some(&b'\'') {
        return OTHER;
    }
    // Keywords as the canonical lowercase text first (one length dispatch and compare), then
    // case-insensitively.
    if v == b"'none'" {
        return Classified::simple(SourceKind::None, 0);
    }
    if let Some(k) = Keyword::from_canonical(v) {
        return Classified::simple(SourceKind::Keyword(k), 0);
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
        && let Some(p) = v.get(..7)
        && p.eq_ignore_ascii_case(b"'nonce-")
    {
        return if v.get(7..inner_end).is_some_and(is_base64_value) {
            Classified::simple(SourceKind::Nonce, if p == b"'nonce-" { 0 } else { 7 })
        } else {
            OTHER
        };
    }
    // hash-source = "'" hash-algorithm "-" base64-value "'"
    if n > 9
        && let Some(p) = v.get(1..8)
    {
        let algorithm = if p.eq_ignore_ascii_case(b"sha256-") {
            Some(HashAlgorithm::Sha256)
        } else if p.eq_ignore_ascii_case(b"sha384-") {
            Some(HashAlgorithm::Sha384)
        } else if p.eq_ignore_ascii_case(b"sha512-") {
            Some(HashAlgorithm::Sha512)
        } else {
            None
        };
        if let Some(a) = algorithm {
            let lower = if p.iter().any(u8::is_ascii_uppercase) {
                8
            } else {
                0
            };
            return if v.get(8..inner_end).is_some_and(is_base64_value) {
                Classified::simple(SourceKind::Hash(a), lower)
            } else {
                OTHER
            };
        }
    }
    OTHER
}

/// Eight bytes starting at `i` as a little-endian word, zero-padded past the end (a zero byte
/// ends every run below).
#[inline(always)]
fn load8(v: &[u8], i: usize) -> u64 {
    let rest = v.get(i..).unwrap_or_default();
    match rest.first_chunk::<8>() {
        Some(word) => u64::from_le_bytes(*word),
        None => tail_word(v, rest),
    }
}

/// The last `tail.len() < 8` bytes of `v` (`tail` is a suffix of `v`) as a zero-padded
/// little-endian word: the last eight bytes of `v` shifted down, or byte by byte when `v` is
/// shorter than eight bytes.
#[inline(always)]
fn tail_word(v: &[u8], tail: &[u8]) -> u64 {
    if tail.is_empty() {
        return 0;
    }
    if let Some(last) = v.last_chunk::<8>() {
        // 1 to 7 tail bytes, so the shift is 8 to 56 bits.
        return u64::from_le_bytes(*last) >> (8 * (8 - tail.len()));
    }
    // Shorter than eight bytes: four, two and one byte pieces.
    let mut word = 0u64;
    let mut shift = 0;
    let mut rest = tail;
    if let Some((four, r)) = rest.split_first_chunk::<4>() {
        word = u64::from(u32::from_le_bytes(*four));
        shift = 32;
        rest = r;
    }
    if let Some((two, r)) = rest.split_first_chunk::<2>() {
        word |= u64::from(u16::from_le_bytes(*two)) << shift;
        shift += 16;
        rest = r;
    }
    if let Some(&one) = rest.first() {
        word |= u64::from(one) << shift;
    }
    word
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

#[inline(always)]
const fn splat(b: u8) -> u64 {
    ONES * b as u64
}

/// Per byte of `x` (high bit of each byte; `dot` holds other bits too): `(member, dot)` where
/// member means
/// `ALPHA / DIGIT / "-" / "."` and dot means `"."`. Exact up to and including the first byte
/// that is not a member, which is all the callers use: for an ASCII byte b (≤ 0x7f),
/// b + (0x80 - lo) has its high bit set iff b ≥ lo and b + (0x7f - hi) iff b > hi, without a
/// carry into the next byte; a byte ≥ 0x80 fails every range (its sums either keep the high
/// bit in both or wrap in the lower one), so it is a non-member, and whatever its carry does
/// to the bytes after it does not matter.
#[inline(always)]
fn host_or_dot_bytes(x: u64) -> (u64, u64) {
    let in_range = |y: u64, lo: u8, hi: u8| {
        y.wrapping_add(splat(0x80 - lo)) & !y.wrapping_add(splat(0x7f - hi))
    };
    let letter = in_range(x | splat(0x20), b'a', b'z');
    let digit = in_range(x, b'0', b'9');
    let dash_or_dot = in_range(x, b'-', b'.');
    let member = (letter | digit | dash_or_dot) & HIGH;
    // Of "-" (0x2d) and "." (0x2e), the dot is the one with bit 0 clear; `x << 7` puts each
    // byte's bit 0 at its own high bit. Only the high bits are meaningful (the callers mask).
    let dot = dash_or_dot & !(x << 7);
    (member, dot)
}

/// The run of `ALPHA / DIGIT / "-" / "."` starting at `from`: its end, and whether it holds
/// two dots in a row or starts with a dot (an empty host label). Eight bytes per step.
#[inline(always)]
fn host_or_dot_run(v: &[u8], from: usize) -> (usize, bool) {
    let rest = v.get(from..).unwrap_or_default();
    let (words, tail) = rest.as_chunks::<8>();
    // As if a dot came before the run: a leading dot (an empty first label) counts as a pair.
    let mut previous_dot = 0x80u64;
    let mut double_dot = 0u64;
    let mut offset = from;
    for word in words {
        let (member, dot) = host_or_dot_bytes(u64::from_le_bytes(*word));
        // A dot whose preceding byte (in this word or the last one) is also a dot.
        let pairs = dot & ((dot << 8) | previous_dot);
        let stop = !member & HIGH;
        if stop != 0 {
            return run_end(offset, stop, pairs, double_dot);
        }
        double_dot |= pairs;
        previous_dot = dot >> 56;
        offset += 8;
    }
    // The zero padding of the tail word stops the run at the latest at the end.
    let (member, dot) = host_or_dot_bytes(tail_word(v, tail));
    let pairs = dot & ((dot << 8) | previous_dot);
    run_end(offset, !member & HIGH, pairs, double_dot)
}

/// The end of a run whose word at `offset` has its first non-member where `stop` has its
/// lowest bit, and whether a dot pair lies before it: `pairs` are this word's (only those
/// before the stop byte count), `earlier` the whole earlier words'.
#[inline(always)]
fn run_end(offset: usize, stop: u64, pairs: u64, earlier: u64) -> (usize, bool) {
    // At most 8 (64 trailing zeros when no byte stops the run).
    let k = (stop.trailing_zeros() / 8) as usize;
    // The bits below the lowest set bit of `stop` (all of them when it is zero).
    let before_stop = stop.wrapping_sub(1) & !stop;
    (offset + k, ((pairs & before_stop) | earlier) & HIGH != 0)
}

/// `[ scheme-part "://" ] host-part [ ":" port-part ] [ path-part ]` or `scheme-part ":"`,
/// at the start of `v` (CSP3 §2.3.1). The common shapes take a word-at-a-time run over the
/// host characters; anything else (a `+` in a scheme, invalid bytes) goes to
/// [`classify_scheme_or_host_general`], which decides the same way byte by byte.
#[inline(always)]
fn classify_scheme_or_host(v: &[u8]) -> (Classified, usize) {
    // Most host sources start with a lowercase "https://" or "http://": one compare each.
    let first = load8(v, 0);
    if first == u64::from_le_bytes(*b"https://") {
        return host_part(v, 8, 0);
    }
    if first & 0x00ff_ffff_ffff_ffff == u64::from_le_bytes(*b"http://\0") {
        return host_part(v, 7, 0);
    }
    // "*" and "*." + labels: no scheme starts with "*".
    if first & 0xff == u64::from(b'*') {
        return host_part(v, 0, 0);
    }
    let (run, double_dot) = host_or_dot_run(v, 0);
    let starts_alpha = v.first().is_some_and(|&b| is(b, ALPHA));
    match v.get(run) {
        Some(b':') if starts_alpha => {
            // The run is a valid scheme-part (ALPHA then ALPHA / DIGIT / "-" / ".").
            // scheme-source = scheme-part ":"
            if at_value_end(v, run + 1) {
                let lower = if has_upper(v.get(..run).unwrap_or_default()) {
                    run + 1
                } else {
                    0
                };
                return (Classified::simple(SourceKind::Scheme, lower), run + 1);
            }
            if v.get(run + 1..run + 3) == Some(b"//") {
                let lower = if has_upper(v.get(..run).unwrap_or_default()) {
                    run
                } else {
                    0
                };
                return host_part(v, run + 3, lower);
            }
            // host-part ":" port-part
            host_tail(v, run, !double_dot, 0)
        }
        Some(b'*') if run == 0 => host_part(v, 0, 0),
        Some(b'+') => classify_scheme_or_host_general(v),
        _ => {
            // No scheme: the run is the host, followed by ":" port, a path, or the end.
            let labels_ok = run > 0 && !double_dot;
            host_tail(v, run, labels_ok, 0)
        }
    }
}

fn has_upper(v: &[u8]) -> bool {
    v.iter().any(u8::is_ascii_uppercase)
}

/// `host-part = "*" / [ "*." ] 1*host-char *( "." 1*host-char ) [ "." ]` at `i`, then the rest.
#[inline(always)]
fn host_part(v: &[u8], i: usize, lowercase_prefix: usize) -> (Classified, usize) {
    if v.get(i) == Some(&b'*') {
        if v.get(i + 1) != Some(&b'.') {
            return host_tail(v, i + 1, true, lowercase_prefix);
        }
        let (end, double_dot) = host_or_dot_run(v, i + 2);
        let ok = end > i + 2 && !double_dot;
        return host_tail(v, end, ok, lowercase_prefix);
    }
    let (end, double_dot) = host_or_dot_run(v, i);
    let ok = end > i && !double_dot;
    host_tail(v, end, ok, lowercase_prefix)
}

/// After a host ending at `i` (valid when `host_ok`): `[ ":" port-part ] [ path-part ]`.
#[inline(always)]
fn host_tail(
    v: &[u8],
    mut i: usize,
    host_ok: bool,
    lowercase_prefix: usize,
) -> (Classified, usize) {
    if !host_ok {
        return (OTHER, value_end(v, i));
    }
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
                return (OTHER, value_end(v, i));
            }
            i += digits;
        }
    }
    // [ path-part ]
    if !at_value_end(v, i) {
        let end = value_end(v, i);
        if !is_path_absolute(v.get(i..end).unwrap_or_default()) {
            return (OTHER, end);
        }
        i = end;
    }
    (Classified::simple(SourceKind::Host, lowercase_prefix), i)
}

/// The same grammar as [`classify_scheme_or_host`], byte by byte: the fallback for shapes the
/// fast path does not take (a scheme with `+`), and its reference in tests.
fn classify_scheme_or_host_general(v: &[u8]) -> (Classified, usize) {
    let s = scheme_len(v);
    let mut i = 0usize;
    let mut lowercase_prefix = 0usize;
    if s > 0 && v.get(s) == Some(&b':') {
        // scheme-source = scheme-part ":"
        if at_value_end(v, s + 1) {
            let lower = if has_upper(v.get(..s).unwrap_or_default()) {
                s + 1
            } else {
                0
            };
            return (Classified::simple(SourceKind::Scheme, lower), s + 1);
        }
        if v.get(s + 1) == Some(&b'/') && v.get(s + 2) == Some(&b'/') {
            i = s + 3;
            if has_upper(v.get(..s).unwrap_or_default()) {
                lowercase_prefix = s;
            }
        }
    }
    // host-part = "*" / [ "*." ] 1*host-char *( "." 1*host-char ) [ "." ]
    if v.get(i) == Some(&b'*') {
        i += 1;
        if v.get(i) == Some(&b'.') {
            i += 1;
            match host_labels(v, i) {
                Some(end) => i = end,
                None => return (OTHER, value_end(v, i)),
            }
        }
    } else {
        match host_labels(v, i) {
            Some(end) => i = end,
            None => return (OTHER, value_end(v, i)),
        }
    }
    host_tail(v, i, true, lowercase_prefix)
}

/// `1*host-char *( "." 1*host-char ) [ "." ]` starting at `i`; returns the end. One run over
/// host characters and dots; an empty label (`..`) makes it invalid.
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
        let text = b"HTTPS://*.example.com:12/path/to/file.js";
        let c = classify_source(text);
        assert_eq!(c.kind, SourceKind::Host);
        assert_eq!(c.lowercase_prefix, 5);
        let p = host_parts(text);
        assert_eq!((p.host_start, p.host_end, p.port_end), (8, 21, 24));
        let p = host_parts(b"a.example:443");
        assert_eq!((p.host_start, p.host_end, p.port_end), (0, 9, 13));
        let p = host_parts(b"a.example/x://y");
        assert_eq!((p.host_start, p.host_end, p.port_end), (0, 9, 9));
    }

    #[test]
    fn lowercase_scheme_needs_no_lowercasing() {
        assert_eq!(classify_source(b"https://a.example").lowercase_prefix, 0);
        assert_eq!(classify_source(b"Data:").lowercase_prefix, 5);
        assert_eq!(classify_source(b"'self'").lowercase_prefix, 0);
        assert_eq!(classify_source(b"'Self'").lowercase_prefix, 6);
        assert_eq!(classify_source(b"'NONCE-abc'").lowercase_prefix, 7);
        assert_eq!(classify_source(b"'sha256-abc'").lowercase_prefix, 0);
    }

    #[test]
    fn find_space_matches_a_byte_search() {
        for len in 0..40 {
            for pos in 0..=len {
                let mut v = vec![b'a'; len];
                if let Some(b) = v.get_mut(pos) {
                    *b = b' ';
                }
                if let Some(b) = v.get_mut(pos / 2) {
                    *b = 0xa0;
                }
                assert_eq!(
                    find_space(&v),
                    v.iter().position(|&b| b == b' '),
                    "{len} {pos}"
                );
            }
        }
    }

    #[test]
    fn tail_word_is_the_zero_padded_little_endian_tail() {
        let bytes = b"abcdefghijklmnop";
        for len in 0..=bytes.len() {
            let v = &bytes[..len];
            for start in len.saturating_sub(7)..=len {
                let tail = &v[start..];
                let mut expected = 0u64;
                for (k, &b) in tail.iter().enumerate() {
                    expected |= u64::from(b) << (8 * k);
                }
                assert_eq!(tail_word(v, tail), expected, "{len} {start}");
            }
        }
    }

    #[test]
    fn word_run_finds_end_and_double_dots() {
        assert_eq!(host_or_dot_run(b"a.example.com x", 0), (13, false));
        assert_eq!(host_or_dot_run(b"abcdefgh.ijklmnop:1", 0), (17, false));
        assert_eq!(host_or_dot_run(b"abcdefg..x", 0), (10, true));
        assert_eq!(host_or_dot_run(b"abcdefg.", 0), (8, false));
        assert_eq!(host_or_dot_run(b"abcdefg.x..", 0), (11, true));
        assert_eq!(host_or_dot_run(b"ab..", 0), (4, true));
        assert_eq!(host_or_dot_run("a\u{e9}.".as_bytes(), 0), (1, false));
        assert_eq!(host_or_dot_run(b"a.b\x80.", 0), (3, false));
        assert_eq!(host_or_dot_run(b"", 0), (0, false));
        // A leading dot is an empty first label, in the first word or the tail word.
        assert_eq!(host_or_dot_run(b".a", 0), (2, true));
        assert_eq!(host_or_dot_run(b".abcdefghij x", 0), (11, true));
        assert_eq!(host_or_dot_run(b"x.ab", 1), (4, true));
        assert_eq!(host_or_dot_run(b"-abcdefgh-ij:", 0), (12, false));
        assert_eq!(host_or_dot_run(b"abcdefgh-.ij/", 0), (12, false));
    }

    proptest::proptest! {
        /// The word-at-a-time classifier decides exactly like the byte-by-byte grammar.
        #[test]
        fn fast_host_classifier_matches_byte_by_byte_grammar(
            v in "[aZ0-9.:/*+%_\\-]{0,3}([a-zA-Z0-9]{0,9}[.:/*+%_ \t\u{e9}\\-]{0,2}){0,4}"
        ) {
            let bytes = v.as_bytes();
            if bytes.first().is_some_and(|&b| b != b'\'') && !is_ascii_ws(bytes[0]) {
                let (fast, fast_len) = classify_scheme_or_host(bytes);
                let (general, general_len) = classify_scheme_or_host_general(bytes);
                proptest::prop_assert_eq!(fast.kind, general.kind);
                proptest::prop_assert_eq!(fast.lowercase_prefix, general.lowercase_prefix);
                proptest::prop_assert_eq!(fast_len, general_len);
            }
        }

        /// The classifier for space-separated values agrees with the general one wherever
        /// SPACE is the only whitespace.
        #[test]
        fn spaced_classifier_matches_general_classifier(
            v in "('[a-zA-Z0-9+/=_-]{0,12}'?|[a-z]{1,6}:[/a-z.]{0,8}|[a-z.*]{1,10})( [a-z']{0,5}){0,2}"
        ) {
            let bytes = v.as_bytes();
            let (spaced, spaced_len) = classify_at_spaced(bytes);
            let (general, general_len) = classify_at(bytes);
            proptest::prop_assert_eq!(spaced.kind, general.kind);
            proptest::prop_assert_eq!(spaced.lowercase_prefix, general.lowercase_prefix);
            proptest::prop_assert_eq!(spaced_len, general_len);
        }

        /// The word compare of the common keywords agrees with the general classifier, also
        /// for their other spellings, truncations and extensions.
        #[test]
        fn common_keywords_match_general_classifier(
            v in "'(self|none|unsafe-inline|unsafe-eval|unsafe-hashes|SELF|nOne|unsafe-evaL)?['a-z-]{0,3}( [a-z']{0,5}){0,2}"
        ) {
            let bytes = v.as_bytes();
            for cut in 0..=bytes.len() {
                let part = &bytes[..cut];
                let (spaced, spaced_len) = classify_at_spaced(part);
                let (general, general_len) = classify_at(part);
                proptest::prop_assert_eq!(spaced.kind, general.kind);
                proptest::prop_assert_eq!(spaced.lowercase_prefix, general.lowercase_prefix);
                proptest::prop_assert_eq!(spaced_len, general_len);
            }
        }
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
        // Every length and position: the block loop, the word loop and the tail word.
        for len in 1..80 {
            for pos in 0..len {
                for (byte, expected) in [
                    (b',', (false, true, false)),
                    (0x7f, (false, true, false)),
                    (0x00, (false, true, false)),
                    (b'\t', (false, false, true)),
                    (0xc3, (true, false, false)),
                ] {
                    let mut token = vec![b'a'; len];
                    token[pos] = byte;
                    assert_eq!(flags(&token), expected, "{len} {pos} {byte:#x}");
                }
            }
            assert_eq!(flags(&vec![b'~'; len]), (false, false, false));
            // Without commas in the input, leaving out the comma search changes nothing.
            for pos in 0..len {
                let mut token = vec![b'a'; len];
                token[pos] = b'\t';
                token[len - 1 - pos] = 0xc3;
                let without_commas = token_scan(&token, split_directive::<false>(&token));
                assert_eq!(without_commas, scan_token(&token));
            }
        }
    }

    #[test]
    fn directive_split_stops_at_first_semicolon_and_flags_only_bytes_before_it() {
        // Every length and `;` position across the block loop, the word loop and the tail
        // word, with a flagged byte just before the `;` or just after it (which must not
        // count), against a byte-by-byte reading.
        for len in 0..100 {
            for semi in 0..=len {
                for flagged in [b',', 0x00, 0x7f, b'\t', 0xc3] {
                    for offset in [-1isize, 1, 2] {
                        let mut v = vec![b'a'; len];
                        if let Some(b) = v.get_mut(semi) {
                            *b = b';';
                        }
                        let at = semi.checked_add_signed(offset);
                        if let Some(b) = at.filter(|&a| a != semi).and_then(|a| v.get_mut(a)) {
                            *b = flagged;
                        }
                        let end = v.iter().position(|&b| b == b';').unwrap_or(len);
                        let before = &v[..end];
                        let expected = DirectiveBytes {
                            end,
                            outside: before.iter().any(|&b| b.wrapping_sub(0x20) > 0x5e),
                            comma: before.contains(&b','),
                        };
                        assert_eq!(split_directive::<true>(&v), expected, "{len} {semi} {at:?}");
                        let no_comma = split_directive::<false>(&v);
                        assert_eq!((no_comma.end, no_comma.outside), (end, expected.outside));
                    }
                }
            }
        }
    }
}
