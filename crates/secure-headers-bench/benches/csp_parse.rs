//! Content-Security-Policy parsing: `csp-builder` against its peers and a floor, on the
//! real-world corpus (`csp.jsonl`).
//!
//! Columns: median nanoseconds per corpus value (one header value, usually one policy) over
//! fifteen timed rounds, throughput, and heap allocations per value counted with `stats_alloc`
//! in one extra untimed pass. The rounds are interleaved (each round times every row once, for
//! about 20 ms), so the rows of one run are compared under the same machine conditions. The
//! machine is shared; compare rows of one run only.
//!
//! Rows:
//! * floor: counts the tokens between `;` and ASCII whitespace by comparing each byte with the
//!   one before it, in fixed-size chunks the compiler turns into vector instructions, without
//!   allocating; no parser can do less and still look at every byte. This is the row the
//!   "within 3x of the floor" target is measured against.
//! * split iterators: the same count through `split` on `;` and then on whitespace, the way a
//!   simple hand-written splitter reads bytes one at a time; shown for scale.
//! * token spans: the same split, recording every token's start and end in a reused vector, with
//!   the separators found eight bytes at a time into a 64-bit mask per 64 bytes of input; shown
//!   for scale: the least a parser that remembers where each token is must do beyond the floor.
//! * token spans into an owned text and table: the same spans written into a table allocated
//!   for the value, and the value's text copied into an owned string (two allocations); shown
//!   for scale: the least a parser returning an owned model does, before it checks, classifies
//!   or lowercases anything.
//! * `csp-builder` `PolicyList::parse`: the full typed model (comma split, `;` split, names
//!   matched, every value classified exactly as keyword / nonce / hash / scheme / host or
//!   invalid, canonical text, diagnostics). A host source's scheme, host, port and path are
//!   located from its text when an accessor asks, not during the parse.
//! * `csp-builder` serialize: `to_string()` of the parsed lists (canonical form).
//! * `content-security-policy` 0.9 `CspList::parse` (servo): comma split and a typed model.
//! * `csp-parse` 0.1 `parse_policy_list` followed by `Directive::value()` on every directive,
//!   which is what classifies its source lists (the split alone keeps raw strings).
//! * `http-security-headers` 0.5 `ContentSecurityPolicy::parse`: splits and validates tokens
//!   into a map of strings; it does not split on commas or classify sources, and it rejects some
//!   real values (counted below), so its row is a lower bound of its cost.
use std::hint::black_box;

use secure_headers_bench::{Case, corpus_values, measure_interleaved, print_table};

/// `;` and the ASCII whitespace of the CSP grammar, the bytes every parser splits on.
const fn is_separator(b: u8) -> bool {
    matches!(b, b';' | b' ' | b'\t' | b'\n' | b'\r' | 0x0c)
}

/// Counts token starts (a non-separator byte at the start or after a separator) without
/// allocating. Each pair of neighbouring bytes is compared independently, 64 pairs at a time
/// into a byte counter, so the loop has no dependency from one byte to the next and compiles
/// to vector compares.
fn floor_token_count(value: &str) -> usize {
    let bytes = value.as_bytes();
    let mut count = bytes.first().map_or(0, |&b| usize::from(!is_separator(b)));
    let before = bytes
        .get(..bytes.len().saturating_sub(1))
        .unwrap_or_default();
    let after = bytes.get(1..).unwrap_or_default();
    for (b, a) in before.chunks(64).zip(after.chunks(64)) {
        let mut starts = 0u8;
        for (&prev, &cur) in b.iter().zip(a) {
            starts += u8::from(is_separator(prev) & !is_separator(cur));
        }
        count += usize::from(starts);
    }
    count
}

/// Splits on `;` and ASCII whitespace with slice iterators and counts non-empty tokens.
fn split_token_count(value: &str) -> usize {
    let mut count = 0usize;
    for directive in value.as_bytes().split(|&b| b == b';') {
        count += directive
            .split(|&b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c))
            .filter(|t| !t.is_empty())
            .count();
    }
    count
}

/// Eight ones, one per byte of a `u64`.
const ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of every byte of a `u64`.
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `x` that equals `c` (each sum stays within its byte).
const fn equal_bytes(x: u64, c: u8) -> u64 {
    let y = x ^ (ONES * c as u64);
    !(((y & !HIGH) + !HIGH) | y) & HIGH
}

/// One bit per byte of `word` (bit `i` for byte `i`) that is a separator.
const fn separator_bits(word: [u8; 8]) -> u64 {
    let x = u64::from_le_bytes(word);
    let high = equal_bytes(x, b' ')
        | equal_bytes(x, b';')
        | equal_bytes(x, b'\t')
        | equal_bytes(x, b'\n')
        | equal_bytes(x, 0x0c)
        | equal_bytes(x, b'\r');
    // Gathers the eight high bits (now at bits 0, 8, …, 56) into the top byte; the other
    // partial products land below bit 56 at distinct places, so nothing carries into it.
    ((high >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

/// The separator mask of 64 bytes.
fn separator_mask(block: &[u8; 64]) -> u64 {
    let (words, _) = block.as_chunks::<8>();
    let mut mask = 0u64;
    for (j, word) in words.iter().enumerate() {
        mask |= separator_bits(*word) << (8 * j);
    }
    mask
}

/// Writes the start and end of every token between `;` and ASCII whitespace into `out`.
fn token_spans(value: &str, out: &mut Vec<(u32, u32)>) {
    out.clear();
    let mut ended = 0usize;
    let mut previous_separator = 1u64;
    let mut block = |mask: u64, base: usize, out: &mut Vec<(u32, u32)>| {
        let before = (mask << 1) | previous_separator;
        let mut starts = !mask & before;
        let mut ends = mask & !before;
        while starts != 0 {
            out.push((offset(base, starts), u32::MAX));
            starts &= starts - 1;
        }
        while ends != 0 {
            if let Some(span) = out.get_mut(ended) {
                span.1 = offset(base, ends);
            }
            ended += 1;
            ends &= ends - 1;
        }
        previous_separator = mask >> 63;
    };
    let (blocks, tail) = value.as_bytes().as_chunks::<64>();
    for (k, b) in blocks.iter().enumerate() {
        block(separator_mask(b), k * 64, out);
    }
    if !tail.is_empty() {
        // The tail padded with spaces, which end its last token.
        let mut padded = [b' '; 64];
        if let Some(p) = padded.get_mut(..tail.len()) {
            p.copy_from_slice(tail);
        }
        block(separator_mask(&padded), blocks.len() * 64, out);
    } else if let Some(last) = out.last_mut()
        && last.1 == u32::MAX
    {
        // A value whose length is a multiple of 64 and whose last byte is not a separator.
        last.1 = to_u32(value.len());
    }
}

/// `base` plus the position of the lowest set bit of `bits` (which is not zero).
fn offset(base: usize, bits: u64) -> u32 {
    to_u32(base + bits.trailing_zeros() as usize)
}

/// A corpus offset as a `u32` (corpus values are short).
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The least an owned model of a policy holds: its text, copied, and where each token is, in a
/// table allocated for this value (as many entries as `csp-builder`'s `parse_serialized_csp`
/// makes room for: keep the two in step). Nothing is validated, classified or lowercased.
fn owned_token_spans(value: &str) -> (String, Vec<(u32, u32)>) {
    let mut spans = Vec::with_capacity(value.len() / 12 + 4);
    token_spans(value, &mut spans);
    (value.to_owned(), spans)
}

/// The same spans as [`token_spans`], byte by byte, to check it.
fn token_spans_by_byte(value: &str) -> Vec<(u32, u32)> {
    let bytes = value.as_bytes();
    let mut spans = Vec::new();
    let mut start = None;
    for (i, &b) in bytes.iter().chain(std::iter::once(&b' ')).enumerate() {
        match (start, is_separator(b)) {
            (None, false) => start = Some(i),
            (Some(s), true) => {
                spans.push((to_u32(s), to_u32(i)));
                start = None;
            }
            _ => {}
        }
    }
    spans
}

fn main() {
    let values = corpus_values("csp.jsonl");
    let parsed: Vec<csp_builder::PolicyList> = values
        .iter()
        .map(|v| csp_builder::PolicyList::parse(v).value)
        .collect();
    let sources: usize = parsed
        .iter()
        .flat_map(csp_builder::PolicyList::policies)
        .flat_map(csp_builder::Policy::directives)
        .map(|d| d.len())
        .sum();
    let hsh_ok = values
        .iter()
        .filter(|v| http_security_headers::ContentSecurityPolicy::parse(v).is_ok())
        .count();
    println!(
        "{} corpus values, {:.0} bytes and {:.1} values on average; http-security-headers accepts {hsh_ok}",
        values.len(),
        values.iter().map(String::len).sum::<usize>() as f64 / values.len() as f64,
        sources as f64 / values.len() as f64,
    );

    // The fast floor must do the same work as the plain splitter.
    // So must the span recorder, and its spans must be the byte-by-byte ones.
    let mut spans = Vec::with_capacity(4096);
    for v in &values {
        assert_eq!(floor_token_count(v), split_token_count(v), "{v}");
        token_spans(v, &mut spans);
        assert_eq!(spans, token_spans_by_byte(v), "{v}");
    }
    let rows = measure_interleaved(vec![
        Case::new(
            "floor: count tokens, vectorised byte scan",
            &values,
            String::len,
            |v| floor_token_count(v),
        ),
        Case::new(
            "split ; and whitespace (iterators), count",
            &values,
            String::len,
            |v| split_token_count(v),
        ),
        Case::new(
            "token spans: separator masks, recorded",
            &values,
            String::len,
            |v| {
                token_spans(v, &mut spans);
                spans.len()
            },
        ),
        Case::new(
            "token spans into an owned text and table",
            &values,
            String::len,
            |v| owned_token_spans(v),
        ),
        Case::new(
            "csp-builder PolicyList::parse (typed)",
            &values,
            String::len,
            |v| csp_builder::PolicyList::parse(v),
        ),
        Case::new(
            "csp-builder serialize (to_string)",
            &parsed,
            |l| l.to_string().len(),
            ToString::to_string,
        ),
        Case::new(
            "content-security-policy 0.9 CspList::parse",
            &values,
            String::len,
            |v| {
                content_security_policy::CspList::parse(
                    v,
                    content_security_policy::PolicySource::Header,
                    content_security_policy::PolicyDisposition::Enforce,
                )
            },
        ),
        Case::new(
            "csp-parse 0.1 parse_policy_list + value()",
            &values,
            String::len,
            |v| {
                let list = csp_parse::parse_policy_list(v);
                let mut n = 0usize;
                for p in &list.policies {
                    for d in &p.directives {
                        black_box(d.value());
                        n += 1;
                    }
                }
                (list, n)
            },
        ),
        Case::new(
            "http-security-headers 0.5 CSP::parse",
            &values,
            String::len,
            |v| http_security_headers::ContentSecurityPolicy::parse(v).is_ok(),
        ),
    ]);
    print_table(
        "Content-Security-Policy parse, csp.jsonl corpus",
        &rows,
        "content-security-policy 0.9 CspList::parse",
    );
    print_table(
        "Content-Security-Policy parse, relative to the floor",
        &rows,
        "floor: count tokens, vectorised byte scan",
    );
}
