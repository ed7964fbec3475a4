//! Runs the built `secure-headers` binary: the `parse` JSON contract per header, JSONL over the
//! real-world corpus, hostile input, and command-line errors.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_secure-headers");
const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/corpus");

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut input = child.stdin.take().expect("stdin is piped");
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        // The binary may stop reading early; a broken pipe here is not the test's concern.
        let _ = input.write_all(&data);
    });
    let output = child.wait_with_output().expect("the binary finishes");
    writer.join().expect("the writer thread ends");
    output
}

/// `parse --header NAME VALUE`, expecting success and one JSON object.
fn parse_one(header: &str, value: &str) -> Value {
    let out = run(&["parse", "--header", header, value], b"");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is one JSON object")
}

/// `parse --header NAME --jsonl` on `stdin`, expecting success; one JSON value per line.
fn parse_lines(header: &str, stdin: &[u8]) -> Vec<Value> {
    let out = run(&["parse", "--header", header, "--jsonl"], stdin);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("output is UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is one JSON object"))
        .collect()
}

/// Corpus values (isomorphic-decoded text) back to the bytes a server sent: U+0000..U+00FF
/// are single bytes; a few crawled values hold wider characters, sent here as UTF-8.
fn corpus_bytes(file: &str) -> Vec<Vec<u8>> {
    let text = std::fs::read_to_string(format!("{CORPUS}/{file}.jsonl")).expect("corpus file");
    text.lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("corpus line is JSON");
            v["value"].as_str().expect("value is a string").to_owned()
        })
        .filter(|v| !v.contains(['\n', '\r']))
        .map(|v| {
            let mut bytes = Vec::with_capacity(v.len());
            for c in v.chars() {
                match u8::try_from(u32::from(c)) {
                    Ok(b) => bytes.push(b),
                    Err(_) => bytes.extend_from_slice(c.to_string().as_bytes()),
                }
            }
            bytes
        })
        .collect()
}

fn jsonl(values: &[Vec<u8>]) -> Vec<u8> {
    let mut input = Vec::new();
    for v in values {
        input.extend_from_slice(v);
        input.push(b'\n');
    }
    input
}

#[test]
fn csp_value_gives_policies_directives_sources_and_serialization() {
    let got = parse_one(
        "content-security-policy",
        "script-src 'self' 'nonce-abc' https://cdn.example; SCRIPT-SRC 'none'",
    );
    assert_eq!(got["ok"], true);
    let policy = &got["policies"][0];
    assert_eq!(policy["disposition"], "enforce");
    let directives = policy["directives"].as_array().expect("directives");
    assert_eq!(directives.len(), 1);
    assert_eq!(directives[0]["name"], "script-src");
    let sources: Vec<(&str, &str)> = directives[0]["sources"]
        .as_array()
        .expect("sources")
        .iter()
        .map(|s| (s["kind"].as_str().unwrap(), s["text"].as_str().unwrap()))
        .collect();
    assert_eq!(
        sources,
        [
            ("keyword", "'self'"),
            ("nonce", "'nonce-abc'"),
            ("host", "https://cdn.example")
        ]
    );
    assert_eq!(got["diagnostics"][0]["kind"], "duplicate-directive");
    assert!(
        got["diagnostics"][0]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
    assert_eq!(
        got["serialized"],
        "script-src 'self' 'nonce-abc' https://cdn.example"
    );
}

#[test]
fn csp_source_kinds_cover_hash_scheme_none_and_other() {
    let got = parse_one(
        "content-security-policy",
        "img-src 'sha256-abc=' data: 'bogus'; object-src 'none'",
    );
    let kinds: Vec<&str> = got["policies"][0]["directives"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["sources"].as_array().unwrap())
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["hash", "scheme", "other", "none"]);
}

#[test]
fn csp_policies_are_comma_separated_and_joined_with_comma_space() {
    let got = parse_one("content-security-policy", "img-src a,script-src b");
    assert_eq!(got["policies"].as_array().map(Vec::len), Some(2));
    assert_eq!(got["serialized"], "img-src a, script-src b");
}

#[test]
fn report_only_header_gives_report_disposition() {
    let got = parse_one("Content-Security-Policy-Report-Only", "default-src 'self'");
    assert_eq!(got["policies"][0]["disposition"], "report");
}

#[test]
fn csp_value_without_policy_is_ok_with_empty_policies() {
    for value in ["", " , ;", ";;"] {
        let got = parse_one("content-security-policy", value);
        assert_eq!(got["ok"], true, "{value:?}");
        assert_eq!(got["policies"], Value::Array(vec![]), "{value:?}");
        assert_eq!(got["serialized"], "", "{value:?}");
    }
}

#[cfg(unix)]
#[test]
fn value_argument_bytes_are_isomorphic_decoded() {
    use std::os::unix::ffi::OsStrExt;
    // CSP3 §2.2.1 step 3.2: a token with a non-ASCII code point is skipped.
    let value = std::ffi::OsStr::from_bytes(b"img-src \xe9; script-src 'self'");
    let out = Command::new(BIN)
        .args(["parse", "--header", "content-security-policy", "--jsonl"])
        .arg(value)
        .output()
        .expect("runs");
    assert!(out.status.success());
    let got: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(got["serialized"], "script-src 'self'");
    assert_eq!(got["diagnostics"][0]["kind"], "non-ascii-token-skipped");
    assert_eq!(got["diagnostics"][0]["text"], "img-src \u{e9}");
}

#[test]
fn hsts_value_is_typed_and_canonical() {
    let got = parse_one(
        "strict-transport-security",
        "max-age=\"31536000\" ; includeSubDomains; pumpkin=kitten",
    );
    assert_eq!(got["ok"], true);
    assert_eq!(got["value"]["max_age"], 31_536_000);
    assert_eq!(got["value"]["include_subdomains"], true);
    assert_eq!(got["value"]["preload"], false);
    assert_eq!(got["diagnostics"][0]["kind"], "unknown-directive");
    assert_eq!(got["serialized"], "max-age=31536000; includeSubDomains");
    assert!(got.get("error").is_none());
}

#[test]
fn hsts_repeated_preload_is_applied_with_a_readable_diagnostic() {
    // RFC 6797 §6.1: directives the UA does not recognize are ignored; browsers apply this
    // corpus value, and the repetition is reported.
    let got = parse_one(
        "strict-transport-security",
        "max-age=31536000; includeSubDomains; preload; preload",
    );
    assert_eq!(got["ok"], true);
    assert_eq!(got["value"]["preload"], true);
    assert_eq!(got["diagnostics"][0]["kind"], "repeated-preload");
    assert_eq!(got["diagnostics"][0]["offset"], 46);
    assert!(
        got["diagnostics"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("repeats an earlier `preload`"))
    );
}

#[test]
fn hsts_duplicate_directive_is_not_ok_and_has_no_serialization() {
    // RFC 6797 §6.1: each directive at most once, names compared case-insensitively.
    let got = parse_one("strict-transport-security", "max-age=1; MAX-AGE=2");
    assert_eq!(got["ok"], false);
    assert_eq!(got["value"], Value::Null);
    assert_eq!(got["error_kind"], "duplicate-directive");
    assert!(
        got["error"]
            .as_str()
            .is_some_and(|e| e.contains("more than once"))
    );
    assert!(got.get("serialized").is_none());
}

#[test]
fn frame_options_deny_and_sameorigin_apply() {
    let got = parse_one("x-frame-options", " deny ");
    assert_eq!(got["ok"], true);
    assert_eq!(got["value"]["disposition"], "deny");
    assert_eq!(got["serialized"], "DENY");
    let got = parse_one("X-Frame-Options", "SAMEORIGIN");
    assert_eq!(got["value"]["disposition"], "sameorigin");
}

#[test]
fn frame_options_allow_from_does_not_restrict_framing() {
    let got = parse_one("x-frame-options", "ALLOW-FROM https://a.example");
    assert_eq!(got["ok"], false);
    assert_eq!(got["value"]["disposition"], "no-restriction");
    assert!(
        got["error"]
            .as_str()
            .is_some_and(|e| e.contains("ALLOW-FROM"))
    );
    assert_eq!(got["diagnostics"][0]["kind"], "obsolete-allow-from");
    assert!(got.get("serialized").is_none());
}

#[test]
fn nosniff_applies_only_when_first_member_is_nosniff() {
    // Fetch "determine nosniff": only values[0] counts.
    let got = parse_one("x-content-type-options", "NoSniff, garbage");
    assert_eq!(got["ok"], true);
    assert_eq!(got["value"]["nosniff"], true);
    assert_eq!(got["serialized"], "nosniff");
    let got = parse_one("x-content-type-options", "garbage, nosniff");
    assert_eq!(got["ok"], false);
    assert_eq!(got["value"]["nosniff"], false);
    assert!(got.get("serialized").is_none());
}

const PIN_A: &str = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";
const PIN_B: &str = "AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=";

#[test]
fn public_key_pins_with_backup_pin_apply() {
    let value = format!("pin-sha256=\"{PIN_A}\"; pin-sha256=\"{PIN_B}\"; max-age=600");
    let got = parse_one("public-key-pins", &value);
    assert_eq!(got["ok"], true, "{got}");
    assert_eq!(got["value"]["pins"], serde_json::json!([PIN_A, PIN_B]));
    assert_eq!(got["value"]["max_age"], 600);
    assert!(
        got["serialized"]
            .as_str()
            .is_some_and(|s| s.contains(PIN_B))
    );
}

#[test]
fn public_key_pins_single_pin_is_ignored_but_report_only_needs_no_max_age() {
    // RFC 7469 §2.5: a backup pin is required; §2.1.2: max-age is optional for report-only.
    let got = parse_one(
        "public-key-pins",
        &format!("pin-sha256=\"{PIN_A}\"; max-age=5"),
    );
    assert_eq!(got["ok"], false);
    assert_eq!(got["error_kind"], "too-few-pins");
    let value = format!("pin-sha256=\"{PIN_A}\"; pin-sha256=\"{PIN_B}\"");
    let got = parse_one("public-key-pins-report-only", &value);
    assert_eq!(got["ok"], true);
    assert_eq!(got["value"]["disposition"], "report-only");
    assert_eq!(got["value"]["max_age"], Value::Null);
}

#[test]
fn set_cookie_attributes_are_typed() {
    let got = parse_one(
        "set-cookie",
        "__Host-sid=abc; Path=/; Secure; HttpOnly; SameSite=lax; Max-Age=60; Priority=High",
    );
    assert_eq!(got["ok"], true, "{got}");
    let v = &got["value"];
    assert_eq!(v["name"], "__Host-sid");
    assert_eq!(v["value"], "abc");
    assert_eq!(
        (v["secure"].clone(), v["http_only"].clone()),
        (true.into(), true.into())
    );
    assert_eq!(v["same_site"], "Lax");
    assert_eq!(v["max_age"], 60);
    assert_eq!(v["prefix"], "__Host-");
    assert_eq!(v["host_only"], true);
    assert_eq!(got["diagnostics"][0]["kind"], "unknown-attribute");
    assert_eq!(
        got["serialized"],
        "__Host-sid=abc; Max-Age=60; Path=/; Secure; HttpOnly; SameSite=Lax"
    );
}

#[test]
fn set_cookie_storage_rules_make_cookie_ignored() {
    // RFC 6265bis §5.7 step 20: __Host- needs an explicit Path=/.
    let got = parse_one("set-cookie", "__Host-sid=1; Secure");
    assert_eq!(got["ok"], false);
    assert_eq!(got["error_kind"], "prefix");
    assert_eq!(got["value"]["name"], "__Host-sid");
    assert!(got.get("serialized").is_none());
    // §5.7 step 19: SameSite=None without Secure.
    let got = parse_one("set-cookie", "a=1; SameSite=None");
    assert_eq!(got["error_kind"], "same-site-none-without-secure");
    // §5.6 step 1: a control character ignores the whole cookie.
    let got = parse_one("set-cookie", "a=b\u{1}c");
    assert_eq!(got["error_kind"], "control-character");
    assert_eq!(got["value"], Value::Null);
}

#[test]
fn set_cookie_host_option_checks_domain_match() {
    let args = [
        "parse",
        "--header",
        "set-cookie",
        "--host",
        "evil.example",
        "a=1; Domain=example.com",
    ];
    let out = run(&args, b"");
    let got: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(got["ok"], false);
    assert_eq!(got["error_kind"], "domain-mismatch");
    let got = parse_one("set-cookie", "a=1; Domain=.Example.com");
    assert_eq!(got["ok"], true);
    assert_eq!(got["value"]["domain"], "example.com");
}

#[test]
fn jsonl_answers_every_corpus_line_in_order_with_contract_fields() {
    for (header, file, fields) in [
        (
            "content-security-policy",
            "csp",
            &["ok", "policies", "diagnostics", "serialized"][..],
        ),
        (
            "content-security-policy-report-only",
            "csp-report-only",
            &["ok", "policies", "diagnostics", "serialized"],
        ),
        (
            "strict-transport-security",
            "hsts",
            &["ok", "value", "diagnostics"],
        ),
        (
            "x-frame-options",
            "x-frame-options",
            &["ok", "value", "diagnostics"],
        ),
        (
            "x-content-type-options",
            "x-content-type-options",
            &["ok", "value", "diagnostics"],
        ),
        ("set-cookie", "set-cookie", &["ok", "value", "diagnostics"]),
    ] {
        let values = corpus_bytes(file);
        assert!(!values.is_empty(), "{file}");
        let answers = parse_lines(header, &jsonl(&values));
        assert_eq!(answers.len(), values.len(), "{file}: one answer per line");
        for (value, answer) in values.iter().zip(&answers) {
            for field in fields {
                assert!(
                    answer.get(field).is_some(),
                    "{file}: {field} missing for {value:?}: {answer}"
                );
            }
            let ok = answer["ok"].as_bool().expect("ok is a boolean");
            // `serialized` is present exactly when ok (CSP: always), `error` exactly when not.
            assert_eq!(
                answer.get("serialized").is_some(),
                ok || file.starts_with("csp"),
                "{file}: {answer}"
            );
            assert_eq!(answer.get("error").is_some(), !ok, "{file}: {answer}");
        }
    }
}

#[test]
fn jsonl_csp_answers_match_single_value_answers() {
    let values = corpus_bytes("csp");
    let first: Vec<&str> = values[..5]
        .iter()
        .map(|v| std::str::from_utf8(v).expect("the first corpus values are ASCII"))
        .collect();
    let answers = parse_lines("content-security-policy", &jsonl(&values[..5]));
    assert_eq!(answers.len(), first.len());
    for (value, answer) in first.iter().zip(&answers) {
        assert_eq!(
            &parse_one("content-security-policy", value),
            answer,
            "{value}"
        );
    }
}

#[test]
fn jsonl_strips_trailing_cr_and_keeps_empty_lines() {
    let answers = parse_lines("x-frame-options", b"DENY\r\n\nSAMEORIGIN");
    assert_eq!(answers.len(), 3);
    assert_eq!(answers[0]["ok"], true);
    assert_eq!(answers[1]["ok"], false);
    assert_eq!(answers[1]["diagnostics"][0]["kind"], "empty-value");
    assert_eq!(answers[2]["serialized"], "SAMEORIGIN");
}

#[test]
fn binary_garbage_never_panics_and_answers_each_line() {
    let mut input = Vec::new();
    let mut state: u32 = 0x9e37_79b9;
    for line in 0..200 {
        for _ in 0..(line % 97) {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let b = state.to_le_bytes()[0];
            input.push(if b == b'\n' { b';' } else { b });
        }
        input.push(b'\n');
    }
    input.extend_from_slice(b"\0\xff\xfe'nonce-\x7f;,,,;\n");
    for header in [
        "content-security-policy",
        "strict-transport-security",
        "x-frame-options",
        "x-content-type-options",
        "public-key-pins",
        "set-cookie",
    ] {
        let answers = parse_lines(header, &input);
        assert_eq!(answers.len(), 201, "{header}");
        assert!(answers.iter().all(|a| a["ok"].is_boolean()), "{header}");
    }
}

#[test]
fn overlong_line_is_answered_with_an_error_and_skipped() {
    let mut input = vec![b'a'; 1024 * 1024 + 10];
    input.extend_from_slice(b"\nDENY\n");
    let answers = parse_lines("x-frame-options", &input);
    assert_eq!(answers.len(), 2);
    assert_eq!(answers[0]["ok"], false);
    assert!(
        answers[0]["error"]
            .as_str()
            .is_some_and(|e| e.contains("longer than"))
    );
    assert_eq!(answers[1]["serialized"], "DENY");
    let answers = parse_lines("content-security-policy", &input);
    assert_eq!(answers[0]["policies"], Value::Array(vec![]));
}

#[test]
fn value_from_stdin_without_jsonl_is_one_pretty_object() {
    let out = run(
        &["parse", "--header", "strict-transport-security"],
        b"max-age=5\r\n",
    );
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(text.lines().count() > 1, "pretty-printed");
    let got: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(got["value"]["max_age"], 5);
}

#[test]
fn unknown_header_is_one_line_error_with_exit_status_2() {
    let out = run(&["parse", "--header", "x-bogus", "v"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).expect("UTF-8");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("unknown header `x-bogus`") && err.contains("set-cookie"),
        "{err}"
    );
}

#[test]
fn command_line_errors_are_one_line_without_panic() {
    for args in [
        &["parse", "v"][..],
        &["parse", "--header"],
        &["frobnicate"],
        &["parse", "--header", "set-cookie", "--nope"],
    ] {
        let out = run(args, b"");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).expect("UTF-8");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("secure-headers: "), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn help_shows_an_example_for_every_command() {
    let out = run(&["--help"], b"");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("secure-headers parse --header"));
    let out = run(&["parse", "--help"], b"");
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        help.contains("Examples:") && help.contains("--jsonl"),
        "{help}"
    );
}
