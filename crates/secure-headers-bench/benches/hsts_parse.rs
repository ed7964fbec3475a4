//! Strict-Transport-Security parsing: `hsts` against `headers` 0.4 on the real-world corpus.
//!
//! Both parse the same pre-built `HeaderValue`s (construction is outside the timed closure).
//! `headers` decodes through `Header::decode` on a one-item iterator, as a server reading one
//! header line would.
use std::hint::black_box;

use headers::Header as _;
use http::HeaderValue;
use secure_headers_bench::{Case, corpus_values, measure_interleaved, print_table};

fn main() {
    let values = corpus_values("hsts.jsonl");
    // The corpus holds bytes isomorphic-decoded; turn each character back into its byte.
    let header_values: Vec<HeaderValue> = values
        .iter()
        .filter_map(|v| {
            let bytes: Option<Vec<u8>> =
                v.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect();
            HeaderValue::from_bytes(&bytes?).ok()
        })
        .collect();
    let strs: Vec<&str> = values.iter().map(String::as_str).collect();
    let accepted_ours = header_values
        .iter()
        .filter(|v| hsts::Hsts::try_from(*v).is_ok())
        .count();
    let accepted_headers = header_values
        .iter()
        .filter(|v| headers::StrictTransportSecurity::decode(&mut std::iter::once(*v)).is_ok())
        .count();
    println!(
        "{} corpus values ({} usable as HeaderValue); accepted: hsts {accepted_ours}, headers {accepted_headers}",
        values.len(),
        header_values.len()
    );

    let rows = measure_interleaved(vec![
        Case::new(
            "headers 0.4 StrictTransportSecurity::decode",
            &header_values,
            http::HeaderValue::len,
            |v| headers::StrictTransportSecurity::decode(&mut std::iter::once(v)).is_ok(),
        ),
        Case::new(
            "hsts::Hsts::try_from(&HeaderValue)",
            &header_values,
            http::HeaderValue::len,
            |v| hsts::Hsts::try_from(v).is_ok(),
        ),
        Case::new(
            "hsts::Hsts::parse(&str)",
            &strs,
            |s| s.len(),
            |s| black_box(hsts::Hsts::parse(s)).is_ok(),
        ),
    ]);
    print_table(
        "Strict-Transport-Security parse, hsts.jsonl corpus",
        &rows,
        "headers 0.4 StrictTransportSecurity::decode",
    );
}
