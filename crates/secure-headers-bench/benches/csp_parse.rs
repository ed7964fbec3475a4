//! Content-Security-Policy parsing: `csp-builder` against its peers and a floor, on the
//! real-world corpus (`csp.jsonl`).
//!
//! Columns: median nanoseconds per corpus value (one header value, usually one policy) over
//! seven timed rounds, throughput, and heap allocations per value counted with `stats_alloc`
//! in one extra untimed round. The machine is shared; compare rows of one run only.
//!
//! Rows:
//! * floor: split on `;` and ASCII whitespace and count the tokens, without allocating; no
//!   parser can do less and still look at every value.
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

use secure_headers_bench::{corpus_values, measure, print_table};

/// Splits on `;` and ASCII whitespace and counts non-empty tokens, on bytes, without
/// allocating.
fn floor_token_count(value: &str) -> usize {
    let mut count = 0usize;
    for directive in value.as_bytes().split(|&b| b == b';') {
        count += directive
            .split(|&b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c))
            .filter(|t| !t.is_empty())
            .count();
    }
    count
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

    let rows = vec![
        measure(
            "floor: split ; and whitespace, count",
            &values,
            String::len,
            |v| floor_token_count(v),
        ),
        measure(
            "csp-builder PolicyList::parse (typed)",
            &values,
            String::len,
            |v| csp_builder::PolicyList::parse(v),
        ),
        measure(
            "csp-builder serialize (to_string)",
            &parsed,
            |l| l.to_string().len(),
            ToString::to_string,
        ),
        measure(
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
        measure(
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
        measure(
            "http-security-headers 0.5 CSP::parse",
            &values,
            String::len,
            |v| http_security_headers::ContentSecurityPolicy::parse(v).is_ok(),
        ),
    ];
    print_table(
        "Content-Security-Policy parse, csp.jsonl corpus",
        &rows,
        "content-security-policy 0.9 CspList::parse",
    );
    print_table(
        "Content-Security-Policy parse, relative to the floor",
        &rows,
        "floor: split ; and whitespace, count",
    );
}
