//! Runs one parser over a whole corpus a given number of times, for counting instructions with
//! `valgrind --tool=callgrind` (repeatable on a busy machine, where wall-clock timings are not):
//!
//! ```sh
//! cargo build --release -p secure-headers-bench --example instructions
//! for case in none hsts headers; do
//!   valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/instructions $case 20 2>&1 | grep 'Collected'
//! done
//! ```
//!
//! The Content-Security-Policy cases are `csp` (`csp_builder::PolicyList::parse`, the full
//! typed model) and `servo-csp` (`content-security-policy` 0.9 `CspList::parse`).
//!
//! Subtract the `none` count (reading the corpus) from each case and divide by
//! `reps × values` for instructions per value.
#![forbid(unsafe_code)]

use std::hint::black_box;

use headers::Header as _;
use http::HeaderValue;
use secure_headers_bench::corpus_values;

/// Turns the corpus's isomorphic-decoded text back into header bytes.
fn header_values(values: &[String]) -> Vec<HeaderValue> {
    values
        .iter()
        .filter_map(|v| {
            let bytes: Option<Vec<u8>> =
                v.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect();
            HeaderValue::from_bytes(&bytes?).ok()
        })
        .collect()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let case = args.next().unwrap_or_else(|| "none".to_owned());
    let reps: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(10);
    let hsts_values = header_values(&corpus_values("hsts.jsonl"));
    let cookies = corpus_values("set-cookie.jsonl");
    let csp = corpus_values("csp.jsonl");
    let policy = cookie_attrs::CookiePolicy::default();
    let mut count = 0usize;
    for _ in 0..reps {
        match case.as_str() {
            "none" => count += black_box(hsts_values.len() + cookies.len() + csp.len()),
            "hsts" => {
                for v in &hsts_values {
                    count += usize::from(hsts::Hsts::try_from(black_box(v)).is_ok());
                }
            }
            "headers" => {
                for v in &hsts_values {
                    let decoded = headers::StrictTransportSecurity::decode(&mut std::iter::once(
                        black_box(v),
                    ));
                    count += usize::from(decoded.is_ok());
                }
            }
            "set-cookie" => {
                for c in &cookies {
                    count += usize::from(cookie_attrs::SetCookie::parse(black_box(c)).is_ok());
                }
            }
            "harden" => {
                for c in &cookies {
                    count +=
                        black_box(policy.harden_set_cookie(black_box(c))).map_or(0, |s| s.len());
                }
            }
            "cookie" => {
                for c in &cookies {
                    count += usize::from(cookie::Cookie::parse(black_box(c.as_str())).is_ok());
                }
            }
            "cookie-roundtrip" => {
                for c in &cookies {
                    count += cookie::Cookie::parse(black_box(c.as_str()))
                        .map_or(0, |k| black_box(k.to_string()).len());
                }
            }
            "csp" => {
                for v in &csp {
                    count += csp_builder::PolicyList::parse(black_box(v)).value.len();
                }
            }
            "servo-csp" => {
                for v in &csp {
                    count += content_security_policy::CspList::parse(
                        black_box(v),
                        content_security_policy::PolicySource::Header,
                        content_security_policy::PolicyDisposition::Enforce,
                    )
                    .0
                    .len();
                }
            }
            other => {
                eprintln!("unknown case {other}");
                std::process::exit(2);
            }
        }
    }
    println!("{case}: {count}");
}
