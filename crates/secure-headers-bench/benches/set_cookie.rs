//! Set-Cookie: `cookie-attrs` parsing and hardening against `cookie` 0.18 on the real-world
//! corpus (tests/data/corpus/set-cookie.jsonl).
//!
//! Every row runs on the same `&str` values. `cookie::Cookie::parse` is its plain parser
//! (no percent-decoding); "parse + to_string" is what a server does to rewrite a cookie with
//! it, the floor our raw-string hardening has to beat.
use std::hint::black_box;

use cookie_attrs::{CookiePolicy, SetCookie};
use secure_headers_bench::{Case, corpus_values, measure_interleaved, print_table};

fn main() {
    let values = corpus_values("set-cookie.jsonl");
    let strs: Vec<&str> = values.iter().map(String::as_str).collect();
    let policy = CookiePolicy::default();
    let accepted_ours = strs.iter().filter(|s| SetCookie::parse(s).is_ok()).count();
    let accepted_cookie = strs
        .iter()
        .filter(|s| cookie::Cookie::parse(**s).is_ok())
        .count();
    let hardened = strs
        .iter()
        .filter(|s| policy.harden_set_cookie(s).is_ok())
        .count();
    println!(
        "{} corpus values; parsed: cookie-attrs {accepted_ours}, cookie {accepted_cookie}; hardened: {hardened}",
        strs.len()
    );

    let rows = measure_interleaved(vec![
        Case::new(
            "cookie 0.18 Cookie::parse",
            &strs,
            |s| s.len(),
            |s| cookie::Cookie::parse(*s).is_ok(),
        ),
        Case::new(
            "cookie 0.18 Cookie::parse + to_string",
            &strs,
            |s| s.len(),
            |s| {
                cookie::Cookie::parse(*s)
                    .map(|c| black_box(c.to_string()).len())
                    .ok()
            },
        ),
        Case::new(
            "cookie-attrs SetCookie::parse",
            &strs,
            |s| s.len(),
            |s| black_box(SetCookie::parse(s)).is_ok(),
        ),
        Case::new(
            "cookie-attrs SetCookie::parse + to_string",
            &strs,
            |s| s.len(),
            |s| {
                SetCookie::parse(s)
                    .map(|c| black_box(c.to_string()).len())
                    .ok()
            },
        ),
        Case::new(
            "cookie-attrs CookiePolicy::harden_set_cookie",
            &strs,
            |s| s.len(),
            |s| policy.harden_set_cookie(s).map(|h| black_box(h).len()).ok(),
        ),
        Case::new(
            "cookie-attrs check (audit)",
            &strs,
            |s| s.len(),
            |s| black_box(cookie_attrs::check(s)).len(),
        ),
    ]);
    print_table(
        "Set-Cookie parse and harden, set-cookie.jsonl corpus",
        &rows,
        "cookie 0.18 Cookie::parse + to_string",
    );
}
