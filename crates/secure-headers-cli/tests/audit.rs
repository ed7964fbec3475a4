//! `audit`: grading saved response heads and HAR files.

mod support;

use serde_json::Value;
use support::{DATA, assert_clean_failure, run};

fn data(name: &str) -> String {
    format!("{DATA}/{name}")
}

/// Whether a JSON report holds a finding with this id.
fn has_finding(report: &Value, id: &str) -> bool {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .any(|f| f["id"] == id)
}

#[test]
fn response_head_json_follows_the_report_contract() {
    let out = run(&["audit", "--format", "json", &data("weak_head.txt")], b"");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(report["grade"].is_string());
    assert!(report["score"].is_u64());
    let ids: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["id"].as_str())
        .collect();
    assert!(ids.contains(&"csp-script-unsafe-inline"));
    assert!(ids.contains(&"hsts-max-age-too-short"));
    assert!(ids.contains(&"leaky-header"));
}

#[test]
fn text_report_shows_the_grade_and_findings() {
    let out = run(&["audit", &data("weak_head.txt")], b"");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.contains("Grade: "), "{text}");
    assert!(text.contains("[high] csp-script-unsafe-inline"), "{text}");
}

#[test]
fn head_from_stdin_with_dash() {
    let head = b"HTTP/1.1 200 OK\nStrict-Transport-Security: max-age=0\n\n";
    let out = run(&["audit", "--format", "json", "-"], head);
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(has_finding(&report, "hsts-max-age-zero"));
}

#[test]
fn http_flag_reports_the_missing_https() {
    let head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n";
    let over_http = run(&["audit", "--http", "--format", "json", "-"], head);
    let report: Value = serde_json::from_slice(&over_http.stdout).expect("json");
    let ids: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["id"].as_str())
        .collect();
    assert!(ids.contains(&"hsts-no-https"), "{ids:?}");
    assert!(!ids.contains(&"hsts-missing"), "{ids:?}");
}

#[test]
fn har_audits_every_response() {
    let out = run(&["audit", "--format", "json", &data("site.har")], b"");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reports: Value = serde_json::from_slice(&out.stdout).expect("json");
    let reports = reports.as_array().expect("one report per response");
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0]["url"], "https://example.com/");
    assert_eq!(reports[0]["grade"], "A+");
    assert_ne!(reports[1]["grade"], "A+");
}

#[test]
fn fail_under_exits_1_below_the_grade_and_0_at_or_above() {
    let weak = run(&["audit", "--fail-under", "B", &data("weak_head.txt")], b"");
    assert_eq!(weak.status.code(), Some(1));
    let lenient = run(&["audit", "--fail-under", "F", &data("weak_head.txt")], b"");
    assert_eq!(lenient.status.code(), Some(0));
    let bad = run(&["audit", "--fail-under", "Z", &data("weak_head.txt")], b"");
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn fix_prints_headers_that_grade_a_plus() {
    let out = run(&["audit", "--fix", &data("weak_head.txt")], b"");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let fixed: String = text
        .split("Fixed headers:\n")
        .nth(1)
        .expect("fixed section")
        .lines()
        .filter(|l| !l.trim_start().starts_with("needs a decision"))
        .map(|l| format!("{}\n", l.trim()))
        .collect();
    assert!(fixed.contains("x-frame-options: DENY"), "{fixed}");
    let again = run(
        &["audit", "--format", "json", "-"],
        format!("HTTP/1.1 200 OK\n{fixed}\n").as_bytes(),
    );
    let report: Value = serde_json::from_slice(&again.stdout).expect("json");
    assert_eq!(report["grade"], "A+", "{fixed}");
}

#[test]
fn sarif_has_one_result_per_finding() {
    let json = run(&["audit", "--format", "json", &data("weak_head.txt")], b"");
    let report: Value = serde_json::from_slice(&json.stdout).expect("json");
    let sarif = run(&["audit", "--format", "sarif", &data("weak_head.txt")], b"");
    let log: Value = serde_json::from_slice(&sarif.stdout).expect("json");
    assert_eq!(log["version"], "2.1.0");
    let results = log["runs"][0]["results"].as_array().expect("results");
    let findings = report["findings"].as_array().expect("findings");
    assert_eq!(results.len(), findings.len());
    assert_eq!(results[0]["ruleId"], findings[0]["id"]);
    assert_eq!(results[0]["level"], "error");
    assert!(log["runs"][0]["tool"]["driver"]["name"].is_string());
}

#[test]
fn binary_garbage_fails_cleanly() {
    let garbage: Vec<u8> = (0..=255u8)
        .rev()
        .cycle()
        .take(2048)
        .filter(|b| *b != b':')
        .collect();
    let out = run(&["audit", "-"], &garbage);
    assert_eq!(out.status.code(), Some(1));
    assert_clean_failure(&out);
}

#[test]
fn garbage_with_colons_never_panics() {
    let garbage: Vec<u8> = (0..=255u8).cycle().take(8192).collect();
    let out = run(&["audit", "-"], &garbage);
    assert!(out.status.code().is_some());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

#[test]
fn broken_har_fails_cleanly() {
    let out = run(&["audit", "-"], b"{\"log\": {\"entries\": 5}}");
    assert_eq!(out.status.code(), Some(1));
    assert_clean_failure(&out);
    let invalid = run(&["audit", "-"], b"{not json");
    assert_clean_failure(&invalid);
}

#[test]
fn missing_file_fails_in_one_line() {
    assert_clean_failure(&run(&["audit", "/nonexistent/head.txt"], b""));
}

#[test]
fn https_url_that_cannot_be_fetched_fails_in_one_line() {
    // nothing listens on port 1 of the loopback address
    let refused = run(&["audit", "https://127.0.0.1:1/"], b"");
    assert_clean_failure(&refused);
    assert!(String::from_utf8_lossy(&refused.stderr).contains("https://127.0.0.1:1/"));
}

#[test]
fn https_url_to_a_plain_http_server_fails_the_handshake_cleanly() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("address");
    let server = std::thread::spawn(move || {
        if let Ok((mut conn, _)) = listener.accept() {
            let mut hello = [0u8; 512];
            let _ = conn.read(&mut hello);
            let _ = conn.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        }
    });
    let out = run(&["audit", &format!("https://{addr}/")], b"");
    assert_clean_failure(&out);
    let _ = server.join();
}

#[test]
fn plain_http_url_is_fetched_and_audited_as_http() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("address");
    let server = std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().expect("one connection");
        let mut request = [0u8; 1024];
        let n = conn.read(&mut request).expect("request");
        let _ = conn.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Frame-Options: DENY\r\nContent-Length: 2\r\n\r\nok",
        );
        String::from_utf8_lossy(&request[..n]).into_owned()
    });
    let url = format!("http://{addr}/page?x=1");
    let out = run(&["audit", "--format", "json", &url], b"");
    let request = server.join().expect("server thread");
    assert!(
        request.starts_with("GET /page?x=1 HTTP/1.1\r\n"),
        "{request}"
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["url"], url.as_str());
    let ids: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["id"].as_str())
        .collect();
    assert!(ids.contains(&"hsts-no-https"), "{ids:?}");
    assert!(!ids.contains(&"xfo-missing"), "{ids:?}");
}

#[test]
fn unreachable_url_fails_in_one_line() {
    // port 1 on the loopback address is closed on test machines
    assert_clean_failure(&run(&["audit", "http://127.0.0.1:1/"], b""));
}

#[test]
fn json_fix_adds_the_fixed_headers() {
    let out = run(
        &["audit", "--format", "json", "--fix", &data("weak_head.txt")],
        b"",
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    let headers = report["fixed_headers"]["headers"]
        .as_array()
        .expect("pairs");
    assert!(
        headers
            .iter()
            .any(|h| h[0] == "x-content-type-options" && h[1] == "nosniff")
    );
    assert!(report["fixed_headers"]["needs_decision"].is_array());
}

#[test]
fn fix_with_sarif_is_refused_in_one_line() {
    assert_clean_failure(&run(
        &[
            "audit",
            "--format",
            "sarif",
            "--fix",
            &data("weak_head.txt"),
        ],
        b"",
    ));
}

#[test]
fn har_with_utf8_header_text_is_audited() {
    let har = r#"{"log": {"entries": [{"request": {"url": "https://a.example/"}, "response": {"status": 200, "headers": [{"name": "Content-Security-Policy", "value": "script-src 'self' https://ünïcode.example; object-src 'none'"}]}}]}}"#;
    let out = run(&["audit", "--format", "json", "-"], har.as_bytes());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(report["grade"].is_string());
    assert!(!has_finding(&report, "csp-not-implemented"));
}

/// A head with more distinct header names than `http`'s header map holds is audited: the names
/// that do not fit are skipped with a warning instead of aborting the program.
#[test]
fn head_with_more_names_than_a_header_map_holds_is_audited() {
    let mut head = String::from("HTTP/1.1 200 OK\nContent-Security-Policy: default-src 'none'\n");
    for i in 0..30_000 {
        head.push_str(&format!("x-h{i}: 1\n"));
    }
    let out = run(&["audit", "--format", "json", "-"], head.as_bytes());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("skipped a header line"), "{stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(report["grade"].is_string());
    assert!(
        !has_finding(&report, "csp-not-implemented"),
        "the CSP line, before the cap, is read"
    );
}

/// A saved file of response heads is audited up to 10,000 responses, as a HAR file is, with a
/// warning: each head costs a report, so a file of tiny heads cannot make the report unbounded.
#[test]
fn response_heads_past_the_limit_are_not_audited() {
    let head = "HTTP/1.1 204 No Content\n\n";
    // Exactly the limit (trailing blank lines are no response): no warning.
    let at_limit = format!("{}\n\n", head.repeat(10_000));
    let out = run(&["audit", "--format", "json", "-"], at_limit.as_bytes());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("more than 10000 responses"), "{stderr}");
    let reports: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(reports.as_array().map(Vec::len), Some(10_000));
    // One more head, even without a blank line after it.
    let over = format!("{}HTTP/1.1 200 OK", head.repeat(10_000));
    let out = run(&["audit", "--format", "json", "-"], over.as_bytes());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("more than 10000 responses"), "{stderr}");
    let reports: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(reports.as_array().map(Vec::len), Some(10_000));
}
