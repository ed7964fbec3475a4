//! The http-state parser suite (tests/data/vectors/cookies/http-state/parser): NNNN-test holds
//! the Set-Cookie lines received from http://home.example.org:8888/cookie-parser?NNNN (and an
//! optional Location to fetch next), NNNN-expected the Cookie header sent to that Location
//! (default http://home.example.org:8888/cookie-parser-result?NNNN). The cases are run
//! through the parser plus a one-origin cookie store; the expectations date from RFC 6265 and
//! the exception table lists the ones RFC 6265bis changed.

mod support;

use std::collections::BTreeMap;

use cookie_attrs::{CookieDate, RequestContext, parse_cookie_date};
use support::Jar;

const HOST: &str = "home.example.org";

/// The suite's `Expires` dates assume a clock around 2011 (e.g. 0002 expects a 2019 date to be
/// in the future).
fn now() -> CookieDate {
    parse_cookie_date("Wed, 01 Jun 2011 00:00:00 GMT").unwrap()
}

/// Cases whose RFC 6265 expectation no longer holds under RFC 6265bis, with the reason.
const NAMELESS: &str = "RFC 6265bis §5.6 step 3: a name-value pair without '=' (or with an empty name) is a nameless cookie, stored and sent as its value; RFC 6265 ignored it (WPT cookies/name and cookies/value agree with 6265bis)";
const EXCEPTIONS: &[(&str, &str)] = &[
    ("0004", NAMELESS),
    ("0021", NAMELESS),
    ("0023", NAMELESS),
    ("0024", NAMELESS),
    ("0025", NAMELESS),
    ("0026", NAMELESS),
    ("0027", NAMELESS),
    ("0028", NAMELESS),
    ("chromium0009", NAMELESS),
    ("chromium0010", NAMELESS),
    ("chromium0012", NAMELESS),
    ("mozilla0012", NAMELESS),
    ("mozilla0014", NAMELESS),
    ("mozilla0015", NAMELESS),
    ("mozilla0016", NAMELESS),
    ("mozilla0017", NAMELESS),
    ("name0017", NAMELESS),
    ("name0023", NAMELESS),
    ("name0025", NAMELESS),
    ("name0028", NAMELESS),
    ("name0031", NAMELESS),
    ("name0032", NAMELESS),
    ("name0033", NAMELESS),
    (
        "disabled-chromium0022",
        "RFC 6265bis §5.6 step 1: a NUL (CTL) anywhere ignores the whole set-cookie-string; RFC 6265 truncated at it (the suite disables this case)",
    ),
    (
        "disabled-chromium0023",
        "RFC 6265bis §5.6 step 1: a CR (CTL) anywhere ignores the whole set-cookie-string; RFC 6265 truncated at it (the suite disables this case)",
    ),
    (
        "disabled-path0029",
        "path-match compares octets (§5.1.4); decoding %6F in the request URL is the URL parser's job, not the cookie parser's (the suite disables this case)",
    ),
    (
        "domain0017",
        "Domain=.org is a public suffix; rejecting it (§5.7 step 9) needs the Public Suffix List, which this crate does not embed",
    ),
    (
        "optional-domain0042",
        "RFC 6265bis §5.6.3/§5.7 step 7: the last Domain attribute is empty, so the cookie is host-only and stored; RFC 6265 ignored an empty Domain attribute (the suite marks this case optional)",
    ),
];

fn run_case(test: &str) -> (String, String) {
    let mut jar = Jar::default();
    let request = RequestContext::insecure(HOST).with_path("/cookie-parser");
    let mut location: Option<String> = None;
    for line in test.lines() {
        if let Some(value) = line
            .strip_prefix("Set-Cookie: ")
            .or_else(|| line.strip_prefix("Set-Cookie:"))
        {
            let _ = jar.receive(value, &request, now());
        } else if let Some(value) = line.strip_prefix("Location: ") {
            location = Some(value.to_owned());
        }
    }
    let (host, path) = match location {
        None => (HOST.to_owned(), "/cookie-parser-result".to_owned()),
        Some(loc) => {
            let loc = loc.split('?').next().unwrap_or("").to_owned();
            match loc.strip_prefix("http://") {
                Some(rest) => {
                    let host_end = rest.find([':', '/']).unwrap_or(rest.len());
                    let path_start = rest.find('/').unwrap_or(rest.len());
                    (rest[..host_end].to_owned(), rest[path_start..].to_owned())
                }
                None => (HOST.to_owned(), loc),
            }
        }
    };
    (jar.cookie_header(&host, &path, false), host)
}

fn cases() -> BTreeMap<String, (String, String)> {
    let dir = format!(
        "{}/../../tests/data/vectors/cookies/http-state/parser",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut cases = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let file = entry.unwrap().file_name().into_string().unwrap();
        if let Some(id) = file.strip_suffix("-test") {
            let test = String::from_utf8_lossy(&std::fs::read(format!("{dir}/{file}")).unwrap())
                .into_owned();
            let expected = std::fs::read_to_string(format!("{dir}/{id}-expected")).unwrap();
            let expected = expected
                .lines()
                .next()
                .unwrap_or("")
                .strip_prefix("Cookie: ")
                .unwrap_or("")
                .to_owned();
            cases.insert(id.to_owned(), (test, expected));
        }
    }
    cases
}

#[test]
fn http_state_parser_suite_passes_except_documented_6265bis_changes() {
    let cases = cases();
    assert_eq!(cases.len(), 222);
    let mut failures = Vec::new();
    for (id, (test, expected)) in &cases {
        let (got, _) = run_case(test);
        let excepted = EXCEPTIONS.iter().any(|(e, _)| e == id);
        if excepted {
            assert_ne!(
                &got, expected,
                "{id} is listed as an exception but now passes; remove it"
            );
        } else if &got != expected {
            failures.push(format!(
                "{id}: expected {expected:?}, got {got:?}\n    {}",
                test.replace('\n', "\n    ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(EXCEPTIONS.len(), 28);
}

#[test]
fn nameless_exceptions_send_the_value_without_equals() {
    // The 6265bis behaviour asserted for the exception cases that change most often.
    let cases = cases();
    assert_eq!(run_case(&cases["0004"].0).0, "foo");
    assert_eq!(run_case(&cases["0027"].0).0, "bar");
    assert_eq!(run_case(&cases["name0025"].0).0, "==a=bar");
    assert_eq!(run_case(&cases["mozilla0017"].0).0, "eight; test=six");
    assert_eq!(run_case(&cases["disabled-chromium0022"].0).0, "");
    assert_eq!(run_case(&cases["optional-domain0042"].0).0, "foo=bar");
}

#[test]
fn http_state_date_examples_parse_as_expected() {
    for file in ["examples.json", "bsd-examples.json"] {
        let text = support::data(&format!("vectors/cookies/http-state/dates/{file}"));
        let json: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let cases: serde_json::Value = serde_json::from_str(&json).unwrap();
        let cases = cases.as_array().unwrap();
        assert!(!cases.is_empty());
        for case in cases {
            let input = case["test"].as_str().unwrap();
            let expected = case["expected"].as_str();
            let got = parse_cookie_date(input).map(|d| d.to_string());
            assert_eq!(got.as_deref(), expected, "{file}: {input:?}");
        }
    }
}
