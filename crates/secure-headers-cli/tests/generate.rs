//! Runs `secure-headers generate` and checks its output against what the library's `apply` puts
//! into a `HeaderMap`, byte for byte, in every format.

mod support;

use http::HeaderMap;
use secure_headers::SecureHeaders;
use serde_json::Value;
use support::{assert_clean_failure, run};

/// A configuration whose values need escaping in every server format: quotes, a backslash,
/// `%`, `$` and braces (`{host}` is a Caddy placeholder shorthand), plus COOP with a quoted
/// `report-to` and Reporting-Endpoints (an RFC 9651 dictionary of strings).
const QUOTED_CONFIG: &str = r#"
preset = "api"

[headers]
x-quoted = 'say "hi" \ 100% $5 {host} end\'
cross-origin-opener-policy = 'same-origin; report-to="coop"'

[reporting_endpoints]
coop = "https://reports.example/coop"
"#;

fn stdout(args: &[&str], stdin: &[u8]) -> String {
    let out = run(args, stdin);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("output is UTF-8")
}

fn applied(bundle: &SecureHeaders) -> (HeaderMap, Option<String>) {
    let mut headers = HeaderMap::new();
    let nonce = bundle.apply(&mut headers).map(|n| n.to_string());
    (headers, nonce)
}

/// The `name: value` lines `apply` produces, with the nonce (if any) replaced by the placeholder.
fn expected_raw(bundle: &SecureHeaders) -> Vec<Vec<u8>> {
    let (headers, nonce) = applied(bundle);
    headers
        .iter()
        .map(|(name, value)| {
            let mut line = format!("{name}: ").into_bytes();
            let value = value.as_bytes().to_vec();
            let value = match &nonce {
                Some(n) => String::from_utf8(value)
                    .expect("ASCII value")
                    .replace(n.as_str(), "{NONCE}")
                    .into_bytes(),
                None => value,
            };
            line.extend_from_slice(&value);
            line
        })
        .collect()
}

fn raw_lines(text: &str) -> Vec<Vec<u8>> {
    text.lines().map(|l| l.as_bytes().to_vec()).collect()
}

/// The value of header `name` as `apply` sends it (no nonce in these bundles).
fn applied_value(bundle: &SecureHeaders, name: &str) -> String {
    let (headers, _) = applied(bundle);
    headers[name].to_str().expect("visible ASCII").to_owned()
}

fn config_bundle(text: &str) -> SecureHeaders {
    secure_headers::config::from_toml(text).expect("the test configuration is valid")
}

#[test]
fn raw_lines_equal_apply_output_byte_for_byte_for_static_presets() {
    for (preset, bundle) in [
        ("recommended", SecureHeaders::recommended()),
        ("api", SecureHeaders::api()),
    ] {
        let bundle = bundle.build().expect("preset builds");
        assert!(!bundle.uses_nonce());
        let out = run(&["generate", "--preset", preset], b"");
        assert!(out.status.success());
        assert_eq!(
            raw_lines(&String::from_utf8_lossy(&out.stdout)),
            expected_raw(&bundle),
            "{preset}"
        );
        // HTTPS context: HSTS is part of the set.
        assert!(String::from_utf8_lossy(&out.stdout).contains("strict-transport-security: "));
    }
}

#[test]
fn raw_strict_preset_marks_the_nonce_and_is_otherwise_apply_output() {
    let bundle = SecureHeaders::strict().build().expect("preset builds");
    let out = run(&["generate", "--preset", "strict"], b"");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(raw_lines(&text), expected_raw(&bundle));
    assert!(text.contains("script-src 'nonce-{NONCE}' 'strict-dynamic'"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("content-security-policy uses a per-response nonce"),
        "{err}"
    );
}

#[test]
fn default_preset_is_recommended_and_default_format_is_raw() {
    assert_eq!(
        stdout(&["generate"], b""),
        stdout(
            &["generate", "--preset", "recommended", "--format", "raw"],
            b""
        )
    );
}

#[test]
fn raw_lists_removed_headers_on_stderr_only() {
    let out = run(&["generate", "--preset", "api"], b"");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("x-powered-by"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("server, x-powered-by"), "{err}");
}

#[test]
fn config_file_input_equals_apply_output() {
    let config = r#"
preset = "strict"
remove = ["x-runtime"]

[csp.directives]
default-src = ["'self'"]
img-src = ["'self'", "data:"]

[headers]
referrer-policy = "strict-origin-when-cross-origin"
cache-control = false
"#;
    let path = std::env::temp_dir().join(format!(
        "secure-headers-generate-{}-config.toml",
        std::process::id()
    ));
    std::fs::write(&path, config).expect("temp file written");
    let path_text = path.to_string_lossy().into_owned();
    let out = run(&["generate", "--config", &path_text], b"");
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bundle = config_bundle(config);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(raw_lines(&text), expected_raw(&bundle));
    assert!(text.contains("referrer-policy: strict-origin-when-cross-origin\n"));
    assert!(!text.contains("cache-control"));
    // The same configuration from standard input.
    assert_eq!(
        stdout(&["generate", "--config", "-"], config.as_bytes()),
        text
    );
}

// ---------------------------------------------------------------------------------------------
// Each server's reading of its own syntax, written from its parser's rules, to check that the
// printed text means exactly the library's value.
// ---------------------------------------------------------------------------------------------

/// The argument between the first `"` and its closing quote, with `\"` and `\\` unescaped and
/// every other backslash kept (nginx `ngx_conf_read_token`, Apache `ap_getword_conf`).
fn unquote_backslash(line: &str) -> (String, &str) {
    let start = line.find('"').expect("a quoted argument");
    let mut value = String::new();
    let mut chars = line[start + 1..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, q @ ('"' | '\\'))) => value.push(q),
                Some((_, other)) => {
                    value.push('\\');
                    value.push(other);
                }
                None => panic!("unterminated escape in {line}"),
            },
            '"' => return (value, &line[start + 1 + i + 1..]),
            _ => value.push(c),
        }
    }
    panic!("unterminated quote in {line}");
}

fn line_of<'a>(text: &'a str, prefix: &str) -> &'a str {
    text.lines()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting with {prefix:?} in\n{text}"))
}

fn nginx_value(text: &str, name: &str) -> String {
    let line = line_of(text, &format!("add_header {name} \""));
    let (value, rest) = unquote_backslash(line);
    assert_eq!(rest, " always;");
    value.replace("${dollar}", "$")
}

/// mod_headers' format string: `%%` is `%`; `\\` a backslash; `\n`, `\r`, `\t` control
/// characters; another backslash is kept.
fn mod_headers_format(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek().copied()) {
            ('%', Some('%')) | ('\\', Some('\\')) => {
                out.push(c);
                chars.next();
            }
            ('%', other) => panic!("format tag %{other:?} in {text}"),
            ('\\', Some('n' | 'r' | 't')) => panic!("control escape in {text}"),
            _ => out.push(c),
        }
    }
    out
}

fn apache_value(text: &str, name: &str) -> String {
    let line = line_of(text, &format!("Header always set {name} \""));
    let (value, rest) = unquote_backslash(line);
    assert_eq!(rest, "");
    mod_headers_format(&value)
}

/// A Caddyfile token (`"…"` with only `\"` unescaped, or a raw `` `…` ``), then the run-time
/// replacer's `\{` / `\}` (applied when the value contains `{`).
fn caddy_value(text: &str, name: &str) -> String {
    let line = line_of(text, &format!("\t{name} "));
    let token = &line[name.len() + 2..];
    let value = if let Some(raw) = token.strip_prefix('`') {
        raw.strip_suffix('`').expect("closing backtick").to_owned()
    } else {
        // Caddy's lexer: inside "…" only `\"` is an escape; every other backslash stays.
        let inner = token
            .strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .expect("a double-quoted token");
        assert!(
            !inner.replace("\\\"", "").contains('"'),
            "unescaped quote in {token}"
        );
        inner.replace("\\\"", "\"")
    };
    assert!(!value.contains("{$"));
    if value.contains('{') {
        value.replace("\\{", "{").replace("\\}", "}")
    } else {
        value
    }
}

fn json_value(text: &str, name: &str) -> String {
    let doc: Value = serde_json::from_str(text).expect("JSON output");
    doc["headers"]
        .as_array()
        .expect("headers array")
        .iter()
        .find(|h| h["name"] == name)
        .and_then(|h| h["value"].as_str())
        .expect("the header is listed")
        .to_owned()
}

/// Reads the value of header `name` back from one format's output.
type ValueReader = fn(&str, &str) -> String;

#[test]
fn every_format_writes_quoted_values_exactly() {
    let bundle = config_bundle(QUOTED_CONFIG);
    let names = [
        "x-quoted",
        "cross-origin-opener-policy",
        "reporting-endpoints",
    ];
    let readers: [(&str, ValueReader); 5] = [
        ("raw", |text, name| {
            line_of(text, &format!("{name}: "))[name.len() + 2..].to_owned()
        }),
        ("nginx", nginx_value),
        ("apache", apache_value),
        ("caddy", caddy_value),
        ("json", json_value),
    ];
    for (format, read) in readers {
        let text = stdout(
            &["generate", "--config", "-", "--format", format],
            QUOTED_CONFIG.as_bytes(),
        );
        for name in names {
            let expected = applied_value(&bundle, name);
            assert!(expected.contains('"'), "{name}: {expected}");
            assert_eq!(read(&text, name), expected, "{format} {name}\n{text}");
        }
    }
}

#[test]
fn nginx_defines_dollar_when_a_value_has_one() {
    let text = stdout(
        &["generate", "--config", "-", "--format", "nginx"],
        QUOTED_CONFIG.as_bytes(),
    );
    assert!(text.contains("# geo $dollar { default \"$\"; }"), "{text}");
    let plain = stdout(&["generate", "--format", "nginx"], b"");
    assert!(!plain.contains("geo $dollar"), "{plain}");
}

#[test]
fn nginx_strict_uses_request_id_as_the_nonce() {
    let bundle = SecureHeaders::strict().build().expect("preset builds");
    let (headers, nonce) = applied(&bundle);
    let nonce = nonce.expect("strict uses a nonce");
    let text = stdout(
        &["generate", "--preset", "strict", "--format", "nginx"],
        b"",
    );
    let csp = nginx_value(&text, "content-security-policy");
    assert_eq!(
        csp.replace("${request_id}", &nonce),
        headers["content-security-policy"].to_str().expect("ASCII")
    );
    assert!(csp.contains("'nonce-${request_id}'"));
    // Every other header is exactly what apply sends.
    for (name, value) in &headers {
        if name != "content-security-policy" {
            assert_eq!(
                nginx_value(&text, name.as_str()),
                value.to_str().expect("ASCII")
            );
        }
    }
}

#[test]
fn removals_use_each_servers_directive() {
    let nginx = stdout(&["generate", "--preset", "api", "--format", "nginx"], b"");
    assert!(nginx.lines().any(|l| l == "server_tokens off;"), "{nginx}");
    assert!(
        nginx
            .lines()
            .any(|l| l == "proxy_hide_header x-powered-by;")
    );
    assert!(!nginx.contains("\nmore_clear_headers"));
    let apache = stdout(&["generate", "--preset", "api", "--format", "apache"], b"");
    for name in ["server", "x-powered-by"] {
        assert!(
            apache
                .lines()
                .any(|l| l == format!("Header always unset {name}"))
        );
    }
    let caddy = stdout(&["generate", "--preset", "api", "--format", "caddy"], b"");
    assert!(caddy.lines().any(|l| l == "\t-server"), "{caddy}");
    assert!(caddy.lines().any(|l| l == "\t-x-powered-by"));
    assert!(caddy.starts_with("# ") && caddy.contains("\nheader {\n") && caddy.ends_with("\n}\n"));
}

#[test]
fn apache_and_caddy_comment_out_a_nonce_policy() {
    for (format, prefix) in [
        ("apache", "# Header always set content-security-policy "),
        ("caddy", "\t# content-security-policy "),
    ] {
        let out = run(&["generate", "--preset", "strict", "--format", format], b"");
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.lines().any(|l| l.starts_with(prefix)),
            "{format}: {text}"
        );
        assert!(
            !text
                .lines()
                .any(|l| l.trim_start().starts_with("content-security-policy")
                    || l.starts_with("Header always set content-security-policy")),
            "{format}: {text}"
        );
        assert!(String::from_utf8_lossy(&out.stderr).contains("application"));
    }
}

#[test]
fn json_has_a_stable_documented_shape() {
    let bundle = SecureHeaders::recommended().build().expect("preset builds");
    let doc: Value =
        serde_json::from_str(&stdout(&["generate", "--format", "json"], b"")).expect("JSON");
    let mut keys: Vec<&str> = doc
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, ["headers", "https", "nonce_placeholder", "remove"]);
    assert_eq!(doc["https"], true);
    assert_eq!(doc["nonce_placeholder"], "{NONCE}");
    assert_eq!(doc["remove"], serde_json::json!(["x-powered-by"]));
    let (headers, _) = applied(&bundle);
    let listed = doc["headers"].as_array().expect("array");
    assert_eq!(listed.len(), headers.len());
    for (entry, (name, value)) in listed.iter().zip(&headers) {
        assert_eq!(entry["name"], name.as_str());
        assert_eq!(entry["value"], value.to_str().expect("ASCII"));
        assert_eq!(entry["nonce"], false);
    }
}

#[test]
fn unwritable_values_are_refused_per_format() {
    let config = "[headers]\nx-odd = '{$HOME} ${HOME}'\n";
    for format in ["apache", "caddy"] {
        let out = run(
            &["generate", "--config", "-", "--format", format],
            config.as_bytes(),
        );
        assert_clean_failure(&out);
        assert!(out.stdout.is_empty(), "{format}: nothing half-written");
        assert!(String::from_utf8_lossy(&out.stderr).contains("x-odd"));
    }
    // nginx and raw can write it.
    for format in ["nginx", "raw", "json"] {
        let out = run(
            &["generate", "--config", "-", "--format", format],
            config.as_bytes(),
        );
        assert!(out.status.success(), "{format}");
    }
}

#[test]
fn bad_preset_format_or_flags_are_usage_errors() {
    for args in [
        &["generate", "--preset", "paranoid"][..],
        &["generate", "--format", "xml"],
        &["generate", "--preset", "api", "--config", "x.toml"],
    ] {
        let out = run(args, b"");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_clean_failure(&out);
    }
}

#[test]
fn unreadable_or_invalid_config_is_one_line_naming_the_problem() {
    let out = run(&["generate", "--config", "/nonexistent/headers.toml"], b"");
    assert_eq!(out.status.code(), Some(1));
    assert_clean_failure(&out);
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/headers.toml"));

    for (config, key) in [
        (
            "[headers]\nreferrer-policy = \"sometimes\"\n",
            "headers.referrer-policy",
        ),
        ("preset = \"strict\"\ncolour = 1\n", "colour"),
        // The library names the `csp` table here: an untagged policy-or-false entry cannot
        // say which directive failed.
        ("[csp.directives]\nimg-src = 5\n", "csp"),
        ("preset = \"strict\"\n[headers\n", "line 2"),
        ("preset = \"lenient\"\n", "preset"),
    ] {
        let out = run(&["generate", "--config", "-"], config.as_bytes());
        assert_eq!(out.status.code(), Some(1), "{config}");
        assert_clean_failure(&out);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(key), "{config}: {err}");
    }

    let out = run(&["generate", "--config", "-"], b"\xff\xfe");
    assert_clean_failure(&out);
}

#[test]
fn help_has_an_example_and_says_hsts_is_included() {
    let text = stdout(&["generate", "--help"], b"");
    assert!(text.contains("Example"));
    assert!(text.contains("secure-headers generate --preset strict --format nginx"));
    assert!(text.contains("Strict-Transport-Security is included"));
    let top = stdout(&["--help"], b"");
    assert!(top.contains("generate"));
}
