//! `audit <URL>`: fetching over HTTP from a local server, following redirects, time limits.

mod support;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;
use support::{assert_clean_failure, run};

/// What the local server does with one request.
enum Reply {
    /// Sends these bytes and closes the connection.
    Send(Vec<u8>),
    /// Sends these bytes, then keeps the connection open without sending more.
    SendThenStall(Vec<u8>),
    /// Never answers.
    Stall,
    /// Sends a response head that never ends, one byte every 100 ms.
    Drip,
}

/// A local HTTP/1.1 server on 127.0.0.1 that answers each request with `route(path, addr)`
/// and records the request paths. It runs until the test process ends.
struct Server {
    addr: SocketAddr,
    paths: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(route: impl Fn(&str, SocketAddr) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("address");
        let paths = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&paths);
        let route = Arc::new(route);
        thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { continue };
                let route = Arc::clone(&route);
                let recorded = Arc::clone(&recorded);
                thread::spawn(move || answer(conn, addr, &*route, &recorded));
            }
        });
        Self { addr, paths }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn paths(&self) -> Vec<String> {
        self.paths.lock().expect("lock").clone()
    }
}

fn answer(
    mut conn: TcpStream,
    addr: SocketAddr,
    route: &(dyn Fn(&str, SocketAddr) -> Reply + Send + Sync),
    recorded: &Mutex<Vec<String>>,
) {
    let mut request = Vec::new();
    let mut chunk = [0u8; 1024];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match conn.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&chunk[..n]),
        }
    }
    let text = String::from_utf8_lossy(&request).into_owned();
    let path = text.split(' ').nth(1).unwrap_or_default().to_owned();
    recorded.lock().expect("lock").push(path.clone());
    match route(&path, addr) {
        Reply::Send(bytes) => {
            let _ = conn.write_all(&bytes);
        }
        Reply::SendThenStall(bytes) => {
            let _ = conn.write_all(&bytes);
            thread::sleep(Duration::from_secs(30));
        }
        Reply::Stall => thread::sleep(Duration::from_secs(30)),
        Reply::Drip => {
            let _ = conn.write_all(b"HTTP/1.1 200 OK\r\nX-Slow: ");
            for _ in 0..300 {
                if conn.write_all(b"a").is_err() {
                    return;
                }
                thread::sleep(Duration::from_millis(100));
            }
        }
    }
}

fn redirect(status: &str, location: &str) -> Reply {
    Reply::Send(
        format!("HTTP/1.1 {status}\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n")
            .into_bytes(),
    )
}

const PAGE: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Frame-Options: DENY\r\nX-Content-Type-Options: nosniff\r\nContent-Length: 2\r\n\r\nok";

fn json(out: &std::process::Output) -> Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

fn ids(findings: &Value) -> Vec<&str> {
    findings
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["id"].as_str())
        .collect()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `/` → 301 to an absolute URL → `/step` → 302 to a relative one → `/final`.
fn two_redirect_server() -> Server {
    Server::start(|path, addr| match path {
        "/" => redirect("301 Moved Permanently", &format!("http://{addr}/step")),
        "/step" => redirect("302 Found", "/final"),
        "/final" => Reply::Send(PAGE.to_vec()),
        _ => Reply::Send(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".to_vec()),
    })
}

#[test]
fn redirects_are_followed_and_each_hop_is_listed_in_json() {
    let server = two_redirect_server();
    let report = json(&run(&["audit", "--format", "json", &server.url("/")], b""));
    assert_eq!(server.paths(), ["/", "/step", "/final"]);
    // The report fields of a file audit are all there, for the final response.
    assert_eq!(report["url"], server.url("/final"));
    assert!(report["grade"].is_string());
    assert!(report["score"].is_u64());
    let final_ids = ids(&report["findings"]);
    assert!(final_ids.contains(&"hsts-no-https"), "{final_ids:?}");
    assert!(!final_ids.contains(&"xfo-missing"), "{final_ids:?}");
    let redirects = report["redirects"].as_array().expect("redirects");
    assert_eq!(redirects.len(), 2);
    assert_eq!(redirects[0]["status"], 301);
    assert_eq!(redirects[0]["url"], server.url("/"));
    assert_eq!(redirects[0]["location"], server.url("/step"));
    assert_eq!(redirects[1]["status"], 302);
    assert_eq!(redirects[1]["url"], server.url("/step"));
    assert_eq!(redirects[1]["location_header"], "/final");
    assert_eq!(redirects[1]["location"], server.url("/final"));
    // http → http is worth a finding; the final audit's HSTS finding is not repeated per hop
    let hop_ids = ids(&redirects[0]["findings"]);
    assert!(hop_ids.contains(&"redirect-not-to-https"), "{hop_ids:?}");
    assert!(!hop_ids.contains(&"hsts-no-https"), "{hop_ids:?}");
}

#[test]
fn text_output_shows_one_line_per_redirect_then_the_final_report() {
    let server = two_redirect_server();
    let out = run(&["audit", &server.url("/")], b"");
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let first = format!("  301 {} -> {}", server.url("/"), server.url("/step"));
    let second = format!(
        "  302 {} -> {} (Location: /final)",
        server.url("/step"),
        server.url("/final")
    );
    let (hops, report) = text
        .split_once(&format!("\n{}\n", server.url("/final")))
        .expect("final URL line");
    assert!(hops.starts_with("Redirects:\n"), "{text}");
    assert!(hops.contains(&first), "{text}");
    assert!(hops.contains(&second), "{text}");
    assert!(
        hops.contains("[medium] redirect-not-to-https (location)"),
        "{text}"
    );
    assert!(
        report.starts_with("Status: HTTP/1.1 200 OK\nGrade: "),
        "{text}"
    );
}

#[test]
fn relative_locations_resolve_against_the_current_url() {
    let server = Server::start(|path, _| match path {
        "/dir/page" => redirect("307 Temporary Redirect", "next"),
        "/dir/next" => redirect("308 Permanent Redirect", "../up/./here?x=1#fragment"),
        "/up/here?x=1" => redirect("303 See Other", "?y=2"),
        "/up/here?y=2" => Reply::Send(PAGE.to_vec()),
        _ => Reply::Send(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".to_vec()),
    });
    let report = json(&run(
        &["audit", "--format", "json", &server.url("/dir/page")],
        b"",
    ));
    assert_eq!(
        server.paths(),
        ["/dir/page", "/dir/next", "/up/here?x=1", "/up/here?y=2"]
    );
    assert_eq!(report["url"], server.url("/up/here?y=2"));
    let statuses: Vec<u64> = report["redirects"]
        .as_array()
        .expect("redirects")
        .iter()
        .filter_map(|r| r["status"].as_u64())
        .collect();
    assert_eq!(statuses, [307, 308, 303]);
}

#[test]
fn redirect_loop_is_an_error_naming_the_loop() {
    let server = Server::start(|path, _| match path {
        "/a" => redirect("302 Found", "/b"),
        _ => redirect("302 Found", "/a"),
    });
    let out = run(&["audit", &server.url("/a")], b"");
    assert_clean_failure(&out);
    let message = stderr(&out);
    assert!(message.contains("redirect loop"), "{message}");
    assert!(
        message.contains(&format!("{} -> {}", server.url("/b"), server.url("/a"))),
        "{message}"
    );
    // the loop is noticed without requesting /a a second time
    assert_eq!(server.paths(), ["/a", "/b"]);
}

#[test]
fn redirect_count_is_bounded_by_max_redirects() {
    let server = Server::start(|path, _| {
        let n: u32 = path.trim_start_matches('/').parse().unwrap_or(0);
        redirect("302 Found", &format!("/{}", n + 1))
    });
    let out = run(&["audit", "--max-redirects", "3", &server.url("/0")], b"");
    assert_clean_failure(&out);
    assert!(
        stderr(&out).contains("more than 3 redirects"),
        "{}",
        stderr(&out)
    );
    assert_eq!(server.paths(), ["/0", "/1", "/2", "/3"]);
}

#[test]
fn max_redirects_zero_audits_the_redirect_response_itself() {
    let server = two_redirect_server();
    let report = json(&run(
        &[
            "audit",
            "--format",
            "json",
            "--max-redirects",
            "0",
            &server.url("/"),
        ],
        b"",
    ));
    assert_eq!(server.paths(), ["/"]);
    assert_eq!(report["url"], server.url("/"));
    assert_eq!(report["redirects"], Value::Array(Vec::new()));
}

#[test]
fn redirect_to_a_scheme_other_than_http_is_not_followed() {
    for location in [
        "ftp://files.example/x",
        "javascript:alert(1)",
        "file:///etc/passwd",
    ] {
        let target = location.to_owned();
        let server = Server::start(move |_, _| redirect("302 Found", &target));
        let out = run(&["audit", &server.url("/")], b"");
        assert_clean_failure(&out);
        let message = stderr(&out);
        assert!(message.contains("not followed"), "{message}");
        assert!(message.contains("only http and https"), "{message}");
        assert_eq!(server.paths(), ["/"], "{location}");
    }
}

/// Audits a server that answers with `route` under `--timeout 1`, and checks that the audit
/// fails cleanly with a timeout well before five seconds have passed.
#[track_caller]
fn assert_one_second_timeout_stops(
    route: impl Fn(&str, SocketAddr) -> Reply + Send + Sync + 'static,
) {
    let server = Server::start(route);
    let started = Instant::now();
    let out = run(&["audit", "--timeout", "1", &server.url("/")], b"");
    let took = started.elapsed();
    assert_clean_failure(&out);
    assert!(stderr(&out).contains("timed out"), "{}", stderr(&out));
    assert!(took < Duration::from_secs(5), "{took:?}");
}

#[test]
fn server_that_never_answers_hits_the_timeout() {
    assert_one_second_timeout_stops(|_, _| Reply::Stall);
}

#[test]
fn timeout_bounds_the_whole_fetch_not_each_read() {
    // a byte every 100 ms keeps every single read short; the overall limit still applies
    assert_one_second_timeout_stops(|_, _| Reply::Drip);
}

#[test]
fn timeout_covers_the_redirect_chain_and_names_where_it_stopped() {
    let server = Server::start(|path, _| match path {
        "/" => redirect("301 Moved Permanently", "/slow"),
        _ => Reply::Stall,
    });
    let out = run(&["audit", "--timeout", "1", &server.url("/")], b"");
    assert_clean_failure(&out);
    let message = stderr(&out);
    assert!(message.contains(&server.url("/slow")), "{message}");
    assert!(message.contains("redirected from"), "{message}");
}

#[test]
fn the_body_is_not_downloaded() {
    // The head announces a large body that never comes: the audit needs only the head.
    let server = Server::start(|_, _| {
        Reply::SendThenStall(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000000\r\n\r\n<html>"
                .to_vec(),
        )
    });
    let started = Instant::now();
    let report = json(&run(
        &[
            "audit",
            "--format",
            "json",
            "--timeout",
            "10",
            &server.url("/"),
        ],
        b"",
    ));
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(report["grade"].is_string());
}

#[test]
fn interim_1xx_responses_are_skipped() {
    let server = Server::start(|_, _| {
        let mut bytes = b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n".to_vec();
        bytes.extend_from_slice(PAGE);
        Reply::Send(bytes)
    });
    let out = run(&["audit", &server.url("/")], b"");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.contains("Status: HTTP/1.1 200 OK"), "{text}");
}

#[test]
fn cookies_and_hsts_on_a_redirect_are_checked() {
    let server = Server::start(|path, _| {
        match path {
        "/" => Reply::Send(
            b"HTTP/1.1 302 Found\r\nLocation: /home\r\nSet-Cookie: session=abc; Path=/\r\nStrict-Transport-Security: max-age=300\r\nContent-Length: 0\r\n\r\n"
                .to_vec(),
        ),
        _ => Reply::Send(PAGE.to_vec()),
    }
    });
    let report = json(&run(&["audit", "--format", "json", &server.url("/")], b""));
    let hop = &report["redirects"][0]["findings"];
    let headers: Vec<&str> = hop
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["header"].as_str())
        .collect();
    assert!(headers.contains(&"set-cookie"), "{hop}");
    // RFC 6797 §8.1: HSTS over plain HTTP is ignored, which is said on the hop
    assert!(ids(hop).contains(&"hsts-over-http"), "{hop}");
}

#[test]
fn redirect_to_an_unreachable_https_url_fails_naming_both_urls() {
    let server = Server::start(|_, _| redirect("301 Moved Permanently", "https://127.0.0.1:1/"));
    let out = run(&["audit", &server.url("/start")], b"");
    assert_clean_failure(&out);
    let message = stderr(&out);
    assert!(message.contains("https://127.0.0.1:1/"), "{message}");
    assert!(message.contains(&server.url("/start")), "{message}");
}

#[test]
fn sarif_of_a_redirected_url_locates_findings_at_the_final_url() {
    let server = two_redirect_server();
    let out = run(&["audit", "--format", "sarif", &server.url("/")], b"");
    let log = json(&out);
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert!(!results.is_empty());
    for r in results {
        assert_eq!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            server.url("/final")
        );
    }
}

#[test]
fn redirect_response_without_location_is_the_final_response() {
    let server = Server::start(|_, _| {
        Reply::Send(b"HTTP/1.1 302 Found\r\nContent-Length: 0\r\n\r\n".to_vec())
    });
    let report = json(&run(&["audit", "--format", "json", &server.url("/")], b""));
    assert_eq!(report["url"], server.url("/"));
    assert_eq!(report["redirects"], Value::Array(Vec::new()));
}

#[test]
fn bad_timeout_value_is_a_usage_error() {
    let out = run(&["audit", "--timeout", "0", "http://127.0.0.1:1/"], b"");
    assert_eq!(out.status.code(), Some(2));
}
