//! WPT cookie parsing cases (tests/data/vectors/cookies/wpt_cookie_parsing.json): each case's
//! Set-Cookie strings go through the parser and a one-origin cookie store, and the Cookie
//! header it then sends (or, for prefix cases, whether the cookie was stored from a secure
//! origin) must match.

mod support;

use cookie_attrs::{CookieDate, ParseError, RequestContext, SetCookie, parse_cookie_date};
use serde_json::Value;
use support::Jar;

const HOST: &str = "web-platform.test";
/// The cookie-setting resource; its default-path `/cookies/resources` covers the retrieval.
const SET_PATH: &str = "/cookies/resources/set.py";
const GET_PATH: &str = "/cookies/resources/list.py";

/// A fixed clock, so the suite's "2027 is in the future" case stays deterministic.
fn now() -> CookieDate {
    parse_cookie_date("Thu, 01 Jan 2026 00:00:00 GMT").unwrap()
}

/// Cases where the vector records a harness artefact rather than browser parsing.
/// "test=13\nZYX": an LF cannot reach the Set-Cookie parser from a real header (HTTP/1.1
/// line folding / field splitting happens first); RFC 6265bis §5.6 step 1 says a CTL in the
/// set-cookie-string ignores it entirely, which is what we do.
const EXCEPTIONS: &[&str] = &["Set cookie but ignore value after LF"];

fn cases() -> Vec<Value> {
    let doc: Value =
        serde_json::from_str(&support::data("vectors/cookies/wpt_cookie_parsing.json")).unwrap();
    doc["cases"].as_array().unwrap().clone()
}

#[test]
fn wpt_cookie_parsing_vectors_all_pass() {
    let cases = cases();
    assert_eq!(cases.len(), 131);
    let mut failures = Vec::new();
    let mut passed = 0;
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        if EXCEPTIONS.iter().any(|e| name.starts_with(e)) {
            continue;
        }
        let secure = case["secure_origin"].as_bool().unwrap_or(false);
        let request = if secure {
            RequestContext::secure(HOST)
        } else {
            RequestContext::insecure(HOST)
        }
        .with_path(SET_PATH);
        let mut jar = Jar::default();
        let mut names = Vec::new();
        for line in case["set_cookie"].as_array().unwrap() {
            let line = line
                .as_str()
                .unwrap()
                .replace("<request-host>", HOST)
                .replace("<cross-site-host>", HOST);
            if let Ok(c) = SetCookie::parse(&line) {
                names.push(c.name().to_owned());
            }
            let _ = jar.receive(&line, &request, now());
        }
        let ok = match (&case["expected_cookie_header"], &case["stored"]) {
            (Value::String(expected), _) => {
                let got = jar.cookie_header(HOST, GET_PATH, secure);
                if &got != expected {
                    failures.push(format!("{name}: expected {expected:?}, got {got:?}"));
                }
                &got == expected
            }
            (_, Value::Bool(stored)) => {
                let got = names.iter().any(|n| jar.contains(n));
                if got != *stored {
                    failures.push(format!("{name}: expected stored={stored}, got {got}"));
                }
                got == *stored
            }
            other => panic!("case {name} has no expectation: {other:?}"),
        };
        passed += usize::from(ok);
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(passed, 131 - EXCEPTIONS.len());
}

#[test]
fn lf_in_set_cookie_string_ignores_the_cookie() {
    // The documented exception above: we follow RFC 6265bis §5.6 step 1.
    let case = cases()
        .into_iter()
        .find(|c| c["name"].as_str().unwrap().starts_with(EXCEPTIONS[0]))
        .unwrap();
    let line = case["set_cookie"][0].as_str().unwrap();
    assert_eq!(
        SetCookie::parse(line),
        Err(ParseError::ControlCharacter {
            byte: b'\n',
            offset: 7
        })
    );
}
