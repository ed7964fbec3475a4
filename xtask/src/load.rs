//! `cargo xtask load`: a bounded load test of `SecureHeadersLayer` on loopback, with hostile
//! requests sent during the load.
//!
//! The server is `crates/load-server` (the page of the facade's axum example, from the same
//! handler in both configurations), started twice: without the layer (`--mode plain`, the page
//! carries a placeholder nonce of the same length) and with `SecureHeaders::strict()`
//! (`--mode strict`, one CSP nonce per response). So the two differ only by what the layer
//! does and sends.
//!
//! * Full run (`cargo xtask load [--seconds N]`, default 10 s each): `wrk` generates the load
//!   (installed with `apt-get install -y wrk` when absent; the built-in Rust client is used
//!   when that fails). With `taskset` the servers run on CPU 0 and `wrk` on CPU 1, so the
//!   figures are about the server's CPU and not about the two fighting for a core. Three
//!   configurations take turns in short slices and every figure is the median over the
//!   slices: the two above and "headers only" (`--mode headers-only`), whose handlers put a
//!   clone of a map prepared at start-up (the headers `strict()` sends, with a fixed nonce)
//!   into their responses, with no layer: what sending those bytes costs, the floor for any
//!   layer that sends them. Besides throughput
//!   and latency the table shows the server's CPU time per request (its threads'
//!   `schedstat` around each slice), which other work on a shared machine disturbs far less
//!   than throughput, and the load average. The targets (throughput with the layer ≥ 97 % of
//!   without, p99 within 10 %, zero errors, flat RSS after warm-up) are reported, not
//!   asserted: timings on a shared machine are noisy.
//! * Instruction count (`cargo xtask load --instructions [--seconds N]`, default 8 s each):
//!   each configuration (the same three) runs under callgrind while `wrk` loads it, and the
//!   table shows the server's user-space instructions per request. It does not depend on
//!   other work on the machine (kernel time, such as socket writes, is not in it), so it is
//!   the figure to compare on a busy host; it needs `valgrind`.
//! * Smoke run (`cargo xtask load --smoke`, part of `cargo xtask ci`): about 3 s per
//!   configuration with the built-in client, which keeps the headers of every response. It
//!   fails on any error, panic, repeated nonce or header contamination; it never asserts
//!   throughput.
//!
//! Every check applied to a response is in [`Checker`]; the hostile requests are in
//! [`hostile_requests`].

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// Seconds per configuration of the full run unless `--seconds` says otherwise.
const DEFAULT_SECONDS: u64 = 10;
/// Seconds per configuration of the smoke run.
const SMOKE_SECONDS: u64 = 3;
/// Warm-up before the measured run (and before the first RSS sample).
const WARM_UP: Duration = Duration::from_secs(2);
/// Concurrent keep-alive connections of the load generator.
const CONNECTIONS: usize = 16;
/// Server worker threads: the machine has two cores, one goes to the load generator.
const SERVER_WORKERS: &str = "1";
/// The CPU the server is pinned to in the full run (with `taskset`), and the one `wrk` is
/// pinned to: the two never compete for a core, so the figures are about the server's CPU.
const SERVER_CPU: &str = "0";
/// See [`SERVER_CPU`].
const GENERATOR_CPU: &str = "1";
/// How long any single read or write may block before the request counts as failed.
const IO_TIMEOUT: Duration = Duration::from_secs(10);
/// Largest response body the client accepts.
const MAX_BODY: usize = 1 << 20;

/// What to run.
#[derive(Debug, Clone, Copy)]
struct LoadOptions {
    seconds: u64,
    smoke: bool,
    /// Server and load generator pinned to different CPUs (full run with `taskset` and at
    /// least two CPUs).
    pinned: bool,
    /// Rounds through the hostile catalogue per configuration.
    hostile_rounds: usize,
}

/// `cargo xtask load [--smoke] [--seconds N]`.
pub(crate) fn load_command(args: &[String]) -> Result<(), String> {
    let mut options = LoadOptions {
        seconds: DEFAULT_SECONDS,
        smoke: false,
        pinned: false,
        hostile_rounds: 10,
    };
    let mut seconds_given = false;
    let mut instructions = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--smoke" => options.smoke = true,
            "--instructions" => instructions = true,
            "--seconds" => {
                options.seconds = it
                    .next()
                    .and_then(|s| s.parse().ok())
                    .filter(|s| *s > 0)
                    .ok_or("--seconds takes a positive whole number")?;
                seconds_given = true;
            }
            other => return Err(format!("load: unknown argument `{other}`")),
        }
    }
    if instructions {
        if options.smoke {
            return Err("load: --instructions and --smoke exclude each other".to_owned());
        }
        if !seconds_given {
            options.seconds = INSTRUCTIONS_SECONDS;
        }
        return count_instructions(options.seconds);
    }
    if options.smoke {
        if !seconds_given {
            options.seconds = SMOKE_SECONDS;
        }
        options.hostile_rounds = 3;
    }
    run(options)
}

/// Seconds of load per configuration for `--instructions`.
const INSTRUCTIONS_SECONDS: u64 = 8;

/// `cargo xtask load --instructions`: each configuration served under callgrind (valgrind)
/// while `wrk` sends `GET /` for `seconds`, and the server's user-space instructions divided
/// by the requests answered. Unlike throughput and CPU time this does not depend on what else
/// runs on the machine, so it shows what the layer adds per response even on a busy host
/// (kernel work, such as the socket writes, is not counted).
fn count_instructions(seconds: u64) -> Result<(), String> {
    let binary = build_server(true)?;
    let valgrind_works = Command::new("valgrind")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !valgrind_works || !wrk_available() {
        return Err("load --instructions needs valgrind and wrk".to_owned());
    }
    let pinned = pinning_available();
    let mut rows = Vec::new();
    for mode in [Mode::Plain, Mode::Strict, Mode::HeadersOnly] {
        let out = std::env::temp_dir().join(format!(
            "load-server-{}-{}.callgrind",
            mode.arg(),
            std::process::id()
        ));
        // The server exits by itself (callgrind writes its counts at exit) a few seconds
        // after the load ends; valgrind's start-up comes before the address is printed.
        let lifetime = seconds + 4;
        let mut command = pinned_command(Path::new("valgrind"), SERVER_CPU, pinned);
        command
            .arg("--tool=callgrind")
            .arg(format!("--callgrind-out-file={}", out.display()))
            .arg(&binary);
        let mut server = ServerProcess::spawn(command, mode, lifetime)?;
        eprintln!("load: {} under callgrind, {seconds} s of wrk", mode.label());
        let report = run_wrk(&server, Duration::from_secs(seconds), pinned)?;
        let deadline = Instant::now() + Duration::from_secs(lifetime + 30);
        while matches!(server.child.try_wait(), Ok(None)) && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(200));
        }
        let text = std::fs::read_to_string(&out)
            .map_err(|e| format!("callgrind wrote no counts to {}: {e}", out.display()))?;
        let _ = std::fs::remove_file(&out);
        let total = callgrind_total(&text)
            .ok_or_else(|| format!("no `totals:` line in {}", out.display()))?;
        drop(server);
        rows.push((mode, report.requests, total));
    }
    println!(
        "
server instructions per request (callgrind, user space only; {seconds} s of wrk, \
         1 thread, {CONNECTIONS} connections{})",
        if pinned { ", pinned" } else { "" }
    );
    println!(
        "{:<16} {:>10} {:>16} {:>14}",
        "configuration", "requests", "instructions", "per request"
    );
    let per_request = |requests: u64, total: u64| total.checked_div(requests).unwrap_or(0);
    for (mode, requests, total) in &rows {
        println!(
            "{:<16} {:>10} {:>16} {:>14}",
            mode.label(),
            requests,
            total,
            per_request(*requests, *total)
        );
    }
    if let [
        (_, plain_requests, plain_total),
        (_, strict_requests, strict_total),
        (_, floor_requests, floor_total),
    ] = rows.as_slice()
    {
        let plain = per_request(*plain_requests, *plain_total);
        let strict = per_request(*strict_requests, *strict_total);
        let floor = per_request(*floor_requests, *floor_total);
        #[allow(clippy::cast_precision_loss)]
        let ratio = |a: u64, b: u64| if b > 0 { a as f64 / b as f64 } else { f64::NAN };
        let difference = |a: u64, b: u64| {
            let sign = if a >= b { '+' } else { '-' };
            format!("{sign}{} ({:.2}x)", a.abs_diff(b), ratio(a, b))
        };
        for (label, a, b) in [
            ("with - without", strict, plain),
            ("headers - without", floor, plain),
            ("with - headers", strict, floor),
        ] {
            println!("{label:<18} {:>8} {:>16} {:>14}", "", "", difference(a, b));
        }
        println!(
            "(\"headers only\": the handlers put a clone of a map prepared at start-up, the \
             headers strict() sends with a fixed nonce, into their responses; no layer)"
        );
    }
    Ok(())
}

/// The event total of a callgrind output file (its `totals:` or `summary:` line).
fn callgrind_total(text: &str) -> Option<u64> {
    text.lines()
        .find_map(|l| {
            l.strip_prefix("totals:")
                .or_else(|| l.strip_prefix("summary:"))
        })?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// The smoke run of `cargo xtask ci`.
pub(crate) fn smoke() -> Result<(), String> {
    run(LoadOptions {
        seconds: SMOKE_SECONDS,
        smoke: true,
        pinned: false,
        hostile_rounds: 3,
    })
}

fn run(mut options: LoadOptions) -> Result<(), String> {
    let started = Instant::now();
    let server = build_server(!options.smoke)?;
    let generator = if options.smoke {
        Generator::Builtin
    } else if wrk_available() {
        Generator::Wrk
    } else {
        Generator::Builtin
    };
    options.pinned = generator == Generator::Wrk && pinning_available();
    let load_before = load_average();
    let results = measure_all(&server, generator, options)?;
    let load_after = load_average();
    let failures: Vec<String> = results
        .iter()
        .flat_map(|r| {
            r.problems
                .iter()
                .map(|p| format!("{}: {p}", r.mode.label()))
        })
        .collect();
    print_table(&results, generator, options, [load_before, load_after]);
    let nonces: usize = results.iter().map(|r| r.nonces_checked).sum();
    let responses: usize = results.iter().map(|r| r.responses_checked).sum();
    let hostile: usize = results.iter().map(|r| r.hostile_sent).sum();
    if failures.is_empty() {
        println!(
            "checks: {responses} responses inspected, {nonces} CSP nonces all distinct and equal \
             to the page's, {hostile} hostile requests, server alive and panic-free after each run"
        );
    } else {
        println!("checks: {responses} responses inspected, {hostile} hostile requests");
    }
    println!("load: finished in {:.1} s", started.elapsed().as_secs_f64());
    if failures.is_empty() {
        Ok(())
    } else {
        for f in &failures {
            eprintln!("load: FAILED {f}");
        }
        Err(format!("load test found {} problem(s)", failures.len()))
    }
}

/// The two server configurations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Plain,
    Strict,
    /// The floor of `--instructions`: the strict headers copied from a prepared map.
    HeadersOnly,
}

impl Mode {
    fn arg(self) -> &'static str {
        match self {
            Mode::Plain => "plain",
            Mode::Strict => "strict",
            Mode::HeadersOnly => "headers-only",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Mode::Plain => "without layer",
            Mode::Strict => "with strict()",
            Mode::HeadersOnly => "headers only",
        }
    }
}

/// Which program generates the load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Generator {
    Wrk,
    Builtin,
}

/// Builds `load-server` (release for the full run, debug for the smoke run) and returns the
/// path of the executable, as cargo reports it.
fn build_server(release: bool) -> Result<PathBuf, String> {
    let mut args = vec![
        "build",
        "--package",
        "load-server",
        "--message-format=json-render-diagnostics",
    ];
    if release {
        args.push("--release");
    }
    eprintln!("\n==> cargo {}", args.join(" "));
    let output = Command::new(crate::cargo())
        .args(&args)
        .current_dir(crate::root())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot start cargo: {e}"))?;
    if !output.status.success() {
        return Err(format!("building load-server failed ({})", output.status));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    stdout
        .lines()
        .filter(|line| line.contains("\"reason\":\"compiler-artifact\""))
        .find_map(|line| {
            let start = line.find("\"executable\":\"")? + "\"executable\":\"".len();
            let rest = line.get(start..)?;
            let path = rest.get(..rest.find('"')?)?;
            path.ends_with("load-server").then(|| PathBuf::from(path))
        })
        .ok_or_else(|| "cargo did not report the load-server executable".to_owned())
}

/// Whether `wrk` runs; installs it with apt-get when it does not.
fn wrk_available() -> bool {
    let works = || {
        Command::new("wrk")
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            // `wrk --version` prints its banner and exits with status 1.
            .is_ok()
    };
    if works() {
        return true;
    }
    eprintln!("\n==> apt-get install -y wrk");
    let installed = Command::new("apt-get")
        .args(["install", "-y", "wrk"])
        .status()
        .is_ok_and(|s| s.success());
    if installed && works() {
        true
    } else {
        eprintln!("load: wrk is not available; using the built-in load generator");
        false
    }
}

/// Whether `taskset` can pin processes to the two CPUs the full run uses.
fn pinning_available() -> bool {
    let cpus = thread::available_parallelism().map_or(1, std::num::NonZero::get);
    cpus >= 2
        && Command::new("taskset")
            .args(["-c", GENERATOR_CPU, "true"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
}

/// A command running `program`, pinned to `cpu` with `taskset` when `pinned`.
fn pinned_command(program: &Path, cpu: &str, pinned: bool) -> Command {
    if pinned {
        let mut command = Command::new("taskset");
        command.args(["-c", cpu]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

/// The one-minute load average (`/proc/loadavg`): how busy the machine was.
fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// A running `load-server`; killed when dropped.
struct ServerProcess {
    child: Child,
    addr: SocketAddr,
    stderr_path: PathBuf,
}

impl ServerProcess {
    fn start(binary: &Path, mode: Mode, lifetime: u64, pinned: bool) -> Result<Self, String> {
        Self::spawn(pinned_command(binary, SERVER_CPU, pinned), mode, lifetime)
    }

    /// Starts `command` (the server, possibly behind `taskset` or `valgrind`) with the
    /// server's arguments appended.
    fn spawn(mut command: Command, mode: Mode, lifetime: u64) -> Result<Self, String> {
        let stderr_path = std::env::temp_dir().join(format!(
            "load-server-{}-{}.stderr",
            mode.arg(),
            std::process::id()
        ));
        let stderr = std::fs::File::create(&stderr_path)
            .map_err(|e| format!("cannot create {}: {e}", stderr_path.display()))?;
        // `taskset` (and valgrind) exec the server, so the child's pid is the server's.
        let program = PathBuf::from(command.get_program());
        let mut child = command
            .args(["--mode", mode.arg(), "--workers", SERVER_WORKERS])
            .args(["--seconds", &lifetime.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", program.display()))?;
        let mut first_line = String::new();
        if let Some(stdout) = child.stdout.take() {
            // The server prints one line; reading it blocks until the socket is bound.
            let _ = BufReader::new(stdout).read_line(&mut first_line);
        }
        let addr = first_line
            .trim()
            .strip_prefix("listening on ")
            .and_then(|a| a.parse::<SocketAddr>().ok());
        let mut server = ServerProcess {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            stderr_path,
        };
        match addr {
            Some(addr) if addr.ip().is_loopback() => {
                server.addr = addr;
                Ok(server)
            }
            _ => Err(format!(
                "load-server did not report a loopback address (said {first_line:?}; stderr: {})",
                server.stderr()
            )),
        }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// CPU time used so far by all of the server's threads (the first field of
    /// `/proc/<pid>/task/<tid>/schedstat`, in nanoseconds, summed).
    fn cpu_time(&self) -> Option<Duration> {
        let tasks = std::fs::read_dir(format!("/proc/{}/task", self.pid())).ok()?;
        let mut total = 0u64;
        for task in tasks {
            let schedstat = std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok()?;
            total += schedstat.split_whitespace().next()?.parse::<u64>().ok()?;
        }
        Some(Duration::from_nanos(total))
    }

    /// Resident memory in KiB (`VmRSS` of `/proc/<pid>/status`).
    fn rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))?
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()
    }

    fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr_path).unwrap_or_default()
    }

    /// Problems seen from outside: the process exited, or it printed a panic.
    fn health(&mut self) -> Vec<String> {
        let mut problems = Vec::new();
        match self.child.try_wait() {
            Ok(None) => {}
            Ok(Some(status)) => problems.push(format!("server exited early ({status})")),
            Err(e) => problems.push(format!("cannot query the server process: {e}")),
        }
        let stderr = self.stderr();
        if stderr.contains("panicked") {
            problems.push(format!("server panicked: {}", stderr.trim()));
        }
        problems
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.stderr_path);
    }
}

/// One HTTP/1.1 response as read off the wire.
#[derive(Debug)]
struct Response {
    status: u16,
    /// Header names lower-cased, values as sent.
    headers: Vec<(String, Vec<u8>)>,
    body: Vec<u8>,
    close: bool,
}

impl Response {
    fn header(&self, name: &str) -> impl Iterator<Item = &[u8]> {
        self.headers
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_slice())
    }
}

/// A keep-alive HTTP/1.1 connection: just enough client to read every header of every
/// response (which `wrk` throws away).
struct Connection {
    reader: BufReader<TcpStream>,
}

impl Connection {
    fn open(addr: SocketAddr) -> std::io::Result<Self> {
        let stream = TcpStream::connect_timeout(&addr, IO_TIMEOUT)?;
        stream.set_read_timeout(Some(IO_TIMEOUT))?;
        stream.set_write_timeout(Some(IO_TIMEOUT))?;
        stream.set_nodelay(true)?;
        Ok(Connection {
            reader: BufReader::new(stream),
        })
    }

    /// Writes `request` (raw bytes, sent as is).
    fn send(&mut self, request: &[u8]) -> std::io::Result<()> {
        self.reader.get_mut().write_all(request)
    }

    /// Writes `request` and reads one response.
    fn exchange(&mut self, request: &[u8]) -> std::io::Result<Response> {
        self.send(request)?;
        self.read_response()
    }

    fn read_response(&mut self) -> std::io::Result<Response> {
        let bad =
            |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_owned());
        let mut line = Vec::new();
        if self.reader.read_until(b'\n', &mut line)? == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "connection closed before a response",
            ));
        }
        let status = line
            .strip_prefix(b"HTTP/1.1 ")
            .and_then(|rest| rest.get(..3))
            .and_then(|code| std::str::from_utf8(code).ok())
            .and_then(|code| code.parse().ok())
            .ok_or_else(|| bad("malformed status line"))?;
        let mut headers = Vec::new();
        loop {
            line.clear();
            if self.reader.read_until(b'\n', &mut line)? == 0 {
                return Err(bad("connection closed inside the header section"));
            }
            let trimmed = line
                .strip_suffix(b"\r\n")
                .ok_or_else(|| bad("header line without CRLF"))?;
            if trimmed.is_empty() {
                break;
            }
            let colon = trimmed
                .iter()
                .position(|&b| b == b':')
                .ok_or_else(|| bad("header line without a colon"))?;
            let (name, value) = trimmed.split_at(colon);
            let value = value.get(1..).unwrap_or_default().trim_ascii();
            headers.push((
                String::from_utf8_lossy(name).to_ascii_lowercase(),
                value.to_vec(),
            ));
            if headers.len() > 200 {
                return Err(bad("more than 200 response headers"));
            }
        }
        let has = |name: &str, value: &[u8]| {
            headers
                .iter()
                .any(|(n, v)| n == name && v.eq_ignore_ascii_case(value))
        };
        let close = has("connection", b"close");
        let chunked = has("transfer-encoding", b"chunked");
        let length = headers
            .iter()
            .find(|(n, _)| n == "content-length")
            .map(|(_, v)| v.clone());
        let mut response = Response {
            status,
            headers,
            body: Vec::new(),
            close,
        };
        if chunked {
            response.body = self.read_chunked()?;
        } else if let Some(length) = length {
            let length: usize = std::str::from_utf8(&length)
                .ok()
                .and_then(|l| l.parse().ok())
                .filter(|l| *l <= MAX_BODY)
                .ok_or_else(|| bad("bad content-length"))?;
            response.body = vec![0; length];
            self.reader.read_exact(&mut response.body)?;
        } else if response.close {
            self.reader
                .by_ref()
                .take(MAX_BODY as u64)
                .read_to_end(&mut response.body)?;
        }
        Ok(response)
    }

    fn read_chunked(&mut self) -> std::io::Result<Vec<u8>> {
        let bad =
            |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_owned());
        let mut body = Vec::new();
        let mut line = Vec::new();
        loop {
            line.clear();
            self.reader.read_until(b'\n', &mut line)?;
            let size = std::str::from_utf8(line.trim_ascii())
                .ok()
                .and_then(|s| usize::from_str_radix(s.split(';').next().unwrap_or(s), 16).ok())
                .ok_or_else(|| bad("bad chunk size"))?;
            if body.len() + size > MAX_BODY {
                return Err(bad("body too large"));
            }
            let start = body.len();
            body.resize(start + size, 0);
            self.reader
                .read_exact(body.get_mut(start..).unwrap_or_default())?;
            line.clear();
            self.reader.read_until(b'\n', &mut line)?;
            if size == 0 {
                return Ok(body);
            }
        }
    }
}

/// A plain, well-formed request for `target`.
fn simple_get(target: &str) -> Vec<u8> {
    format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").into_bytes()
}

/// What the checks learned, shared by every client thread of one configuration.
#[derive(Debug, Default)]
struct Findings {
    responses: usize,
    nonces: HashSet<String>,
    problems: Vec<String>,
    /// Headers of the first handler response per route (minus per-response ones), which every
    /// later response of that route must repeat exactly.
    baseline: HashMap<&'static str, Vec<(String, Vec<u8>)>>,
}

/// Applies the per-response checks of one configuration.
#[derive(Debug, Clone)]
struct Checker {
    mode: Mode,
    findings: Arc<Mutex<Findings>>,
}

/// The nonce `load-server` writes into its page without the layer (16 zero bytes in base64,
/// as long as a real nonce so that both modes send pages of the same length).
const PLACEHOLDER_NONCE: &str = "AAAAAAAAAAAAAAAAAAAAAA==";
/// Headers that legitimately differ between two responses of the same route.
const PER_RESPONSE_HEADERS: [&str; 3] = ["date", "content-length", "content-security-policy"];
/// More problems than this per configuration are counted but not listed.
const MAX_LISTED_PROBLEMS: usize = 20;

impl Checker {
    fn new(mode: Mode) -> Self {
        Checker {
            mode,
            findings: Arc::new(Mutex::new(Findings::default())),
        }
    }

    fn problem(&self, message: String) {
        if let Ok(mut f) = self.findings.lock()
            && f.problems.len() <= MAX_LISTED_PROBLEMS
        {
            f.problems.push(message);
        }
    }

    /// Checks one response of the handler (`route` is `/` or `/reflect`): status 200, the CSP
    /// nonce equal to the one the handler wrote into the body, every nonce new, the other
    /// headers identical to those of the route's first response, and no header containing
    /// any of `forbidden` (text the client sent that must stay in the body).
    fn handler_response(&self, route: &'static str, response: &Response, forbidden: &[&str]) {
        let Ok(mut f) = self.findings.lock() else {
            return;
        };
        f.responses += 1;
        let mut problems = Vec::new();
        if response.status != 200 {
            problems.push(format!(
                "{route}: status {} instead of 200",
                response.status
            ));
        }
        let body = String::from_utf8_lossy(&response.body);
        let page_nonces = page_nonces(&body);
        let body_nonce = match page_nonces.split_first() {
            None => {
                problems.push(format!("{route}: no nonce attribute in the page"));
                ""
            }
            Some((first, rest)) => {
                if rest.iter().any(|n| n != first) {
                    problems.push(format!(
                        "{route}: the page's nonce attributes differ: {page_nonces:?}"
                    ));
                }
                *first
            }
        };
        let csp: Vec<&[u8]> = response.header("content-security-policy").collect();
        match (self.mode, csp.as_slice()) {
            (Mode::Plain, []) => {
                if body_nonce != PLACEHOLDER_NONCE {
                    problems.push(format!(
                        "{route}: the page carries {body_nonce:?} without the layer instead of \
                         the placeholder"
                    ));
                }
            }
            (Mode::Plain, _) => problems.push(format!("{route}: a CSP without the layer")),
            (Mode::Strict, [policy]) => {
                let policy = String::from_utf8_lossy(policy);
                let nonces: Vec<&str> = policy
                    .split('\'')
                    .filter_map(|token| token.strip_prefix("nonce-"))
                    .collect();
                if nonces.is_empty() {
                    problems.push(format!("{route}: CSP without a nonce: {policy}"));
                } else if nonces.iter().any(|n| *n != body_nonce) {
                    problems.push(format!(
                        "{route}: CSP nonce {nonces:?} differs from the page's {body_nonce:?}"
                    ));
                } else if !f.nonces.insert(body_nonce.to_owned()) {
                    problems.push(format!("{route}: nonce {body_nonce} seen twice"));
                }
            }
            (Mode::HeadersOnly, [policy]) => {
                if body_nonce != PLACEHOLDER_NONCE
                    || !String::from_utf8_lossy(policy)
                        .contains(&format!("'nonce-{PLACEHOLDER_NONCE}'"))
                {
                    problems.push(format!(
                        "{route}: the headers-only floor must carry the placeholder nonce"
                    ));
                }
            }
            (Mode::Strict | Mode::HeadersOnly, other) => {
                problems.push(format!(
                    "{route}: {} CSP headers instead of one",
                    other.len()
                ));
            }
        }
        if self.mode == Mode::Strict
            && response
                .header("strict-transport-security")
                .next()
                .is_some()
        {
            problems.push(format!(
                "{route}: HSTS over plain HTTP from an untrusted peer (spoofed proxy header believed)"
            ));
        }
        for (name, value) in &response.headers {
            let value = String::from_utf8_lossy(value).to_ascii_lowercase();
            for needle in forbidden {
                let needle = needle.to_ascii_lowercase();
                if name.contains(&needle) || value.contains(&needle) {
                    problems.push(format!(
                        "{route}: request text {needle:?} reached header {name}"
                    ));
                }
            }
        }
        let stable: Vec<(String, Vec<u8>)> = response
            .headers
            .iter()
            .filter(|(n, _)| !PER_RESPONSE_HEADERS.contains(&n.as_str()))
            .cloned()
            .collect();
        match f.baseline.get(route) {
            None => {
                f.baseline.insert(route, stable);
            }
            Some(first) if *first == stable => {}
            Some(first) => problems.push(format!(
                "{route}: headers differ from the first response's: {} vs {}",
                describe(&stable),
                describe(first)
            )),
        }
        for p in problems {
            if f.problems.len() <= MAX_LISTED_PROBLEMS {
                f.problems.push(p);
            }
        }
    }
}

/// The values of every `nonce="…"` attribute in `page`, in order.
fn page_nonces(page: &str) -> Vec<&str> {
    page.split(" nonce=\"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(value, _)| value))
        .collect()
}

fn describe(headers: &[(String, Vec<u8>)]) -> String {
    let mut out = String::new();
    for (n, v) in headers {
        let _ = write!(out, "{n}: {}; ", String::from_utf8_lossy(v));
    }
    out
}

/// Latencies and error count of one client.
#[derive(Debug, Default)]
struct ClientStats {
    latencies: Vec<Duration>,
    errors: usize,
}

/// The built-in load generator: `CONNECTIONS` keep-alive connections spread over two
/// threads, each sending `GET /` until `stop`, checking every response.
fn builtin_load(
    addr: SocketAddr,
    checker: &Checker,
    stop: &Arc<AtomicBool>,
) -> thread::JoinHandle<ClientStats> {
    let checker = checker.clone();
    let stop = Arc::clone(stop);
    thread::spawn(move || {
        let threads: Vec<_> = (0..2)
            .map(|_| {
                let checker = checker.clone();
                let stop = Arc::clone(&stop);
                thread::spawn(move || {
                    let mut stats = ClientStats::default();
                    let request = simple_get("/");
                    let mut connections: Vec<Option<Connection>> =
                        (0..CONNECTIONS / 2).map(|_| None).collect();
                    let mut sent = vec![false; connections.len()];
                    while !stop.load(Ordering::Relaxed) {
                        // One request in flight on every connection, then every answer.
                        let start = Instant::now();
                        for (slot, sent) in connections.iter_mut().zip(&mut sent) {
                            *sent = false;
                            if slot.is_none() {
                                match Connection::open(addr) {
                                    Ok(c) => *slot = Some(c),
                                    Err(e) => {
                                        stats.errors += 1;
                                        checker.problem(format!("cannot connect: {e}"));
                                        continue;
                                    }
                                }
                            }
                            if let Some(conn) = slot {
                                match conn.send(&request) {
                                    Ok(()) => *sent = true,
                                    Err(e) => {
                                        stats.errors += 1;
                                        checker.problem(format!("load request failed: {e}"));
                                        *slot = None;
                                    }
                                }
                            }
                        }
                        for (slot, _) in connections.iter_mut().zip(&sent).filter(|(_, s)| **s) {
                            let Some(conn) = slot else { continue };
                            match conn.read_response() {
                                Ok(response) => {
                                    stats.latencies.push(start.elapsed());
                                    checker.handler_response("/", &response, &[]);
                                    if response.close {
                                        *slot = None;
                                    }
                                }
                                Err(e) => {
                                    stats.errors += 1;
                                    checker.problem(format!("load response failed: {e}"));
                                    *slot = None;
                                }
                            }
                        }
                    }
                    stats
                })
            })
            .collect();
        let mut total = ClientStats::default();
        for t in threads {
            if let Ok(stats) = t.join() {
                total.latencies.extend(stats.latencies);
                total.errors += stats.errors;
            } else {
                total.errors += 1;
            }
        }
        total
    })
}

/// A request the server must survive, and what may come back.
struct Hostile {
    name: &'static str,
    request: Vec<u8>,
    /// The route it reaches when the server accepts it (the handler's checks then apply).
    route: &'static str,
    /// Text from the request that must not appear in any response header.
    forbidden: &'static [&'static str],
    /// Whether the server may refuse it (4xx from the HTTP layer, or closing the connection).
    may_refuse: bool,
}

/// The hostile catalogue: oversized and malformed headers, spoofed proxy headers from an
/// untrusted (loopback) peer, `Origin: null`, huge cookies, CR/LF smuggled through a query
/// string that the handler reflects.
fn hostile_requests() -> Vec<Hostile> {
    let get = |target: &str, extra: &str| -> Vec<u8> {
        format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}\r\n").into_bytes()
    };
    // Not `a`: the headers-only floor's fixed nonce is `AAAA…` and the check ignores case.
    let big = "z".repeat(64 * 1024);
    let huge = "b".repeat(1024 * 1024);
    let many_headers: String = (0..200).map(|i| format!("X-Many-{i}: {i}\r\n")).collect();
    let cookie_pairs: Vec<String> = (0..400)
        .map(|i| format!("c{i}={}", "v".repeat(64)))
        .collect();
    // A NUL inside a header value, and a Latin-1 byte (obs-text) that is not UTF-8.
    let raw_nul = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Nul: a\0b\r\n\r\n".to_vec();
    let obs_text = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Latin: caf\xe9\r\n\r\n".to_vec();
    vec![
        Hostile {
            name: "64 KiB header value",
            request: get("/", &format!("X-Big: {big}\r\n")),
            route: "/",
            forbidden: &["zzzzzzzz"],
            may_refuse: true,
        },
        Hostile {
            name: "1 MiB header value",
            request: get("/", &format!("X-Huge: {huge}\r\n")),
            route: "/",
            forbidden: &["bbbbbbbb"],
            may_refuse: true,
        },
        Hostile {
            name: "200 header fields",
            request: get("/", &many_headers),
            route: "/",
            forbidden: &["x-many"],
            may_refuse: true,
        },
        Hostile {
            name: "space in a header name",
            request: get("/", "Bad Header: x\r\n"),
            route: "/",
            forbidden: &["bad header"],
            may_refuse: true,
        },
        Hostile {
            name: "header line without a colon",
            request: get("/", "NoColonHere\r\n"),
            route: "/",
            forbidden: &["nocolon"],
            may_refuse: true,
        },
        Hostile {
            name: "obsolete line folding",
            request: get("/", "X-Fold: a\r\n folded-injected\r\n"),
            route: "/",
            forbidden: &["folded-injected"],
            may_refuse: true,
        },
        Hostile {
            name: "NUL in a header value",
            request: raw_nul,
            route: "/",
            forbidden: &[],
            may_refuse: true,
        },
        Hostile {
            name: "control bytes and obs-text in a header value",
            request: get("/", "X-Ctl: \u{1}\u{7f}\r\n"),
            route: "/",
            forbidden: &[],
            may_refuse: true,
        },
        Hostile {
            name: "X-Forwarded-Proto: https from an untrusted peer",
            request: get("/", "X-Forwarded-Proto: https\r\n"),
            route: "/",
            forbidden: &[],
            may_refuse: false,
        },
        Hostile {
            name: "Forwarded: proto=https from an untrusted peer",
            request: get(
                "/",
                "Forwarded: for=10.0.0.1;proto=https\r\nX-Forwarded-For: 10.0.0.1\r\n",
            ),
            route: "/",
            forbidden: &[],
            may_refuse: false,
        },
        Hostile {
            name: "Origin: null",
            request: get("/", "Origin: null\r\n"),
            route: "/",
            forbidden: &["access-control"],
            may_refuse: false,
        },
        Hostile {
            name: "a 16 KiB cookie",
            request: get(
                "/",
                &format!("Cookie: session={}\r\n", "s".repeat(16 * 1024)),
            ),
            route: "/",
            forbidden: &["set-cookie", "sssssss"],
            may_refuse: true,
        },
        Hostile {
            name: "400 cookie pairs",
            request: get("/", &format!("Cookie: {}\r\n", cookie_pairs.join("; "))),
            route: "/",
            forbidden: &["set-cookie", "vvvvvvv"],
            may_refuse: true,
        },
        Hostile {
            name: "encoded CR/LF in a reflected query",
            request: get(
                "/reflect?q=x%0D%0ASet-Cookie:%20injected=1%0D%0AX-Injected:%20yes",
                "",
            ),
            route: "/reflect",
            forbidden: &["injected", "set-cookie"],
            may_refuse: false,
        },
        Hostile {
            name: "encoded NUL and LF in a reflected query",
            request: get(
                "/reflect?q=%00%0AX-Injected:%20yes%0A%0A%3Cscript%3Ex()%3C/script%3E",
                "",
            ),
            route: "/reflect",
            forbidden: &["injected", "<script"],
            may_refuse: false,
        },
        Hostile {
            name: "raw CR/LF in the request line",
            request: b"GET /reflect?q=a\r\nX-Injected: yes HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                .to_vec(),
            route: "/reflect",
            forbidden: &["injected"],
            may_refuse: true,
        },
        Hostile {
            name: "non-UTF-8 bytes in a header value",
            request: obs_text,
            route: "/",
            forbidden: &[],
            may_refuse: true,
        },
    ]
}

/// Sends the catalogue `rounds` times, each request on a new connection, checking every
/// answer; then asks for a plain page to show that the server still answers.
fn hostile_client(
    addr: SocketAddr,
    checker: &Checker,
    rounds: usize,
    pause: Duration,
) -> thread::JoinHandle<usize> {
    let checker = checker.clone();
    thread::spawn(move || {
        let catalogue = hostile_requests();
        let mut sent = 0;
        for _ in 0..rounds {
            for h in &catalogue {
                sent += 1;
                let outcome = Connection::open(addr).and_then(|mut c| c.exchange(&h.request));
                match outcome {
                    Ok(r) if r.status == 200 => checker.handler_response(h.route, &r, h.forbidden),
                    Ok(r) if h.may_refuse && (400..500).contains(&r.status) => {
                        // The HTTP layer refused it before any service ran: only the absence of
                        // the request's text in the headers is left to check.
                        for (name, value) in &r.headers {
                            let value = String::from_utf8_lossy(value).to_ascii_lowercase();
                            if h.forbidden
                                .iter()
                                .any(|f| name.contains(f) || value.contains(f))
                            {
                                checker.problem(format!(
                                    "{}: request text reached header {name}",
                                    h.name
                                ));
                            }
                        }
                    }
                    Ok(r) => checker.problem(format!("{}: unexpected status {}", h.name, r.status)),
                    // Refusing by closing the connection (or resetting it while the client is
                    // still writing) is a legitimate answer to a malformed request; a timeout
                    // is not.
                    Err(e)
                        if h.may_refuse
                            && !matches!(
                                e.kind(),
                                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                            ) => {}
                    Err(e) => checker.problem(format!("{}: {e}", h.name)),
                }
                thread::sleep(pause);
            }
        }
        sent
    })
}

/// Percentile `p` (0–100) of sorted latencies.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let index = ((sorted.len() - 1) as f64 * p / 100.0).round() as usize;
    sorted.get(index).copied().unwrap_or_default()
}

/// The measurements of one configuration.
#[derive(Debug)]
struct Measured {
    mode: Mode,
    requests_per_second: f64,
    cpu_per_request: Option<Duration>,
    p50: Duration,
    p99: Duration,
    errors: u64,
    rss_after_warm_up: Option<u64>,
    rss_at_end: Option<u64>,
    responses_checked: usize,
    nonces_checked: usize,
    hostile_sent: usize,
    problems: Vec<String>,
}

/// What `wrk --latency` printed, parsed.
#[derive(Debug, Default)]
struct WrkReport {
    requests_per_second: f64,
    /// Requests completed in the run.
    requests: u64,
    /// Server CPU time per request over the run (measured around it, not by wrk).
    cpu_per_request: Option<Duration>,
    p50: Duration,
    p99: Duration,
    errors: u64,
}

fn parse_wrk_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let (number, scale) = if let Some(n) = text.strip_suffix("us") {
        (n, 1e-6)
    } else if let Some(n) = text.strip_suffix("ms") {
        (n, 1e-3)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = text.strip_suffix('m') {
        (n, 60.0)
    } else {
        return None;
    };
    number
        .trim()
        .parse::<f64>()
        .ok()
        .map(|n| Duration::from_secs_f64(n * scale))
}

fn parse_wrk(output: &str) -> Result<WrkReport, String> {
    let mut report = WrkReport::default();
    let mut seen_rate = false;
    for line in output.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("50%") {
            report.p50 = parse_wrk_duration(rest).unwrap_or_default();
        } else if let Some(rest) = line.strip_prefix("99%") {
            report.p99 = parse_wrk_duration(rest).unwrap_or_default();
        } else if let Some((count, _)) = line.split_once(" requests in ") {
            report.requests = count.trim().parse().unwrap_or(0);
        } else if let Some(rest) = line.strip_prefix("Requests/sec:") {
            report.requests_per_second = rest.trim().parse().unwrap_or(0.0);
            seen_rate = true;
        } else if let Some(rest) = line.strip_prefix("Socket errors:") {
            // "connect 0, read 0, write 0, timeout 0"
            report.errors += rest
                .split(',')
                .filter_map(|part| part.split_whitespace().nth(1)?.parse::<u64>().ok())
                .sum::<u64>();
        } else if let Some(rest) = line.strip_prefix("Non-2xx or 3xx responses:") {
            report.errors += rest.trim().parse::<u64>().unwrap_or(1);
        }
    }
    if seen_rate {
        Ok(report)
    } else {
        Err(format!("cannot read wrk's report:\n{output}"))
    }
}

/// Runs `wrk` against `server` for `duration` and measures the server's CPU time meanwhile.
fn run_wrk(server: &ServerProcess, duration: Duration, pinned: bool) -> Result<WrkReport, String> {
    let url = format!("http://{}/", server.addr);
    let cpu_before = server.cpu_time();
    let output = pinned_command(Path::new("wrk"), GENERATOR_CPU, pinned)
        .args(["--threads", "1", "--connections", &CONNECTIONS.to_string()])
        .args(["--duration", &format!("{}s", duration.as_secs().max(1))])
        .args(["--timeout", "5s", "--latency", &url])
        .output()
        .map_err(|e| format!("cannot start wrk: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "wrk failed ({}): {}{}",
            output.status,
            text,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let cpu_after = server.cpu_time();
    let mut report = parse_wrk(&text)?;
    if let (Some(before), Some(after)) = (cpu_before, cpu_after)
        && report.requests > 0
    {
        report.cpu_per_request = after
            .checked_sub(before)
            .map(|cpu| cpu / u32::try_from(report.requests).unwrap_or(u32::MAX));
    }
    Ok(report)
}

/// Load figures of one configuration.
#[derive(Debug, Clone, Copy)]
struct LoadFigures {
    requests_per_second: f64,
    /// Server CPU time per request (wrk only).
    cpu_per_request: Option<Duration>,
    p50: Duration,
    p99: Duration,
    errors: u64,
}

/// One configuration under test: its server, its checks and its hostile client.
struct Run {
    mode: Mode,
    server: ServerProcess,
    checker: Checker,
    rss_after_warm_up: Option<u64>,
    hostile: thread::JoinHandle<usize>,
}

/// Starts the server of `mode`, warms it up with `generator`, samples its memory, and starts
/// the hostile client, spread over `hostile_over`.
fn start_run(
    binary: &Path,
    mode: Mode,
    generator: Generator,
    options: LoadOptions,
    hostile_over: Duration,
) -> Result<Run, String> {
    let warm_up = if options.smoke {
        Duration::from_secs(1)
    } else {
        WARM_UP
    };
    // The server ends itself well after the run (the configurations' slices take turns over
    // `hostile_over`), whatever happens to this process.
    let lifetime = hostile_over.as_secs() + options.seconds + 60;
    let server = ServerProcess::start(binary, mode, lifetime, options.pinned)?;
    let addr = server.addr;
    eprintln!(
        "load: {} on http://{addr} (pid {}), {} s warm-up",
        mode.label(),
        server.pid(),
        warm_up.as_secs(),
    );
    let checker = Checker::new(mode);
    match generator {
        Generator::Wrk => {
            run_wrk(&server, warm_up, options.pinned)?;
        }
        Generator::Builtin => {
            let stop = Arc::new(AtomicBool::new(false));
            let load = builtin_load(addr, &checker, &stop);
            thread::sleep(warm_up);
            stop.store(true, Ordering::Relaxed);
            let _ = load.join();
        }
    }
    let rss_after_warm_up = server.rss_kib();
    let requests = hostile_requests().len() * options.hostile_rounds + 1;
    let pause = hostile_over / u32::try_from(requests).unwrap_or(u32::MAX);
    let hostile = hostile_client(addr, &checker, options.hostile_rounds, pause);
    Ok(Run {
        mode,
        server,
        checker,
        rss_after_warm_up,
        hostile,
    })
}

/// Drives the built-in client against `addr` for `measured_for`.
fn builtin_measure(
    addr: SocketAddr,
    checker: &Checker,
    measured_for: Duration,
) -> Result<LoadFigures, String> {
    let stop = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let load = builtin_load(addr, checker, &stop);
    thread::sleep(measured_for);
    stop.store(true, Ordering::Relaxed);
    let mut stats = load.join().map_err(|_| "load generator thread panicked")?;
    let elapsed = start.elapsed().as_secs_f64();
    stats.latencies.sort_unstable();
    #[allow(clippy::cast_precision_loss)]
    let requests_per_second = stats.latencies.len() as f64 / elapsed;
    Ok(LoadFigures {
        requests_per_second,
        cpu_per_request: None,
        p50: percentile(&stats.latencies, 50.0),
        p99: percentile(&stats.latencies, 99.0),
        errors: stats.errors as u64,
    })
}

/// The middle value (upper middle for an even count).
fn median(mut values: Vec<Duration>) -> Duration {
    values.sort_unstable();
    values.get(values.len() / 2).copied().unwrap_or_default()
}

/// Combines wrk slices of equal length: the median of each figure over the slices (so that
/// a slice disturbed by other work on the machine does not move the result), summed errors.
fn combine(slices: &[WrkReport]) -> LoadFigures {
    let mut rates: Vec<f64> = slices.iter().map(|s| s.requests_per_second).collect();
    rates.sort_unstable_by(f64::total_cmp);
    let cpu: Vec<Duration> = slices.iter().filter_map(|s| s.cpu_per_request).collect();
    LoadFigures {
        requests_per_second: rates.get(rates.len() / 2).copied().unwrap_or(0.0),
        cpu_per_request: (!cpu.is_empty()).then(|| median(cpu)),
        p50: median(slices.iter().map(|s| s.p50).collect()),
        p99: median(slices.iter().map(|s| s.p99).collect()),
        errors: slices.iter().map(|s| s.errors).sum(),
    }
}

/// Waits for the hostile client, samples memory, checks that the server still answers, has
/// not exited and has not panicked, and stops it.
fn finish_run(run: Run, figures: LoadFigures) -> Result<Measured, String> {
    let Run {
        mode,
        mut server,
        checker,
        rss_after_warm_up,
        hostile,
    } = run;
    let hostile_sent = hostile
        .join()
        .map_err(|_| "hostile client thread panicked")?;
    let rss_at_end = server.rss_kib();
    match Connection::open(server.addr).and_then(|mut c| c.exchange(&simple_get("/"))) {
        Ok(r) => checker.handler_response("/", &r, &[]),
        Err(e) => checker.problem(format!("server no longer answers after the run: {e}")),
    }
    for p in server.health() {
        checker.problem(p);
    }
    if figures.errors > 0 {
        checker.problem(format!("{} load request errors", figures.errors));
    }
    drop(server);
    let findings = checker
        .findings
        .lock()
        .map_err(|_| "checker state poisoned")?;
    Ok(Measured {
        mode,
        requests_per_second: figures.requests_per_second,
        cpu_per_request: figures.cpu_per_request,
        p50: figures.p50,
        p99: figures.p99,
        errors: figures.errors,
        rss_after_warm_up,
        rss_at_end,
        responses_checked: findings.responses,
        nonces_checked: findings.nonces.len(),
        hostile_sent,
        problems: findings.problems.clone(),
    })
}

/// Seconds per wrk slice: the two configurations alternate in slices of this length
/// (plain, strict, strict, plain, …) so that background load on a shared machine falls on
/// both alike.
const SLICE_SECONDS: u64 = 2;

/// Runs both configurations and returns their measurements (plain first).
fn measure_all(
    binary: &Path,
    generator: Generator,
    options: LoadOptions,
) -> Result<Vec<Measured>, String> {
    let measured_for = Duration::from_secs(options.seconds);
    // The full run also measures the headers-only floor: what sending strict()'s headers
    // costs without the layer's work, so the table shows how much of the difference is the
    // layer's. The smoke run checks the two real configurations only.
    let modes: &[Mode] = if options.smoke {
        &[Mode::Plain, Mode::Strict]
    } else {
        &[Mode::Plain, Mode::Strict, Mode::HeadersOnly]
    };
    match generator {
        Generator::Builtin => modes
            .iter()
            .map(|&mode| {
                let run = start_run(binary, mode, generator, options, measured_for)?;
                let figures = builtin_measure(run.server.addr, &run.checker, measured_for)?;
                finish_run(run, figures)
            })
            .collect(),
        Generator::Wrk => {
            let slices = (options.seconds / SLICE_SECONDS).max(1);
            let slice = Duration::from_secs((options.seconds / slices).max(1));
            let mut runs = Vec::new();
            for &mode in modes {
                runs.push(start_run(
                    binary,
                    mode,
                    generator,
                    options,
                    measured_for * u32::try_from(modes.len()).unwrap_or(1),
                )?);
            }
            let mut reports: Vec<Vec<WrkReport>> = runs.iter().map(|_| Vec::new()).collect();
            for round in 0..slices {
                // Each round starts with the next configuration, so none is always first
                // after the same one.
                let first = usize::try_from(round).unwrap_or_default() % runs.len();
                for index in (0..runs.len()).map(|k| (first + k) % runs.len()) {
                    if let (Some(run), Some(into)) = (runs.get(index), reports.get_mut(index)) {
                        into.push(run_wrk(&run.server, slice, options.pinned)?);
                    }
                }
            }
            runs.into_iter()
                .zip(reports)
                .map(|(run, slices)| finish_run(run, combine(&slices)))
                .collect()
        }
    }
}

fn millis(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

fn micros(d: Option<Duration>) -> String {
    d.map_or_else(
        || "n/a".to_owned(),
        |d| format!("{:.2} µs", d.as_secs_f64() * 1e6),
    )
}

fn kib(v: Option<u64>) -> String {
    v.map_or_else(
        || "n/a".to_owned(),
        |k| format!("{:.1} MiB", k as f64 / 1024.0),
    )
}

fn print_table(
    results: &[Measured],
    generator: Generator,
    options: LoadOptions,
    [load_before, load_after]: [Option<f64>; 2],
) {
    let generator = match generator {
        Generator::Wrk => format!(
            "wrk, 1 thread, {CONNECTIONS} connections, the configurations taking turns in \
             {SLICE_SECONDS} s slices (every figure: median over slices)"
        ),
        Generator::Builtin => {
            format!(
                "built-in client, 2 threads, {CONNECTIONS} connections (one request in flight each)"
            )
        }
    };
    println!(
        "\nload test{}: {} s per configuration on 127.0.0.1, {generator}, server with {SERVER_WORKERS} worker thread",
        if options.smoke { " (smoke)" } else { "" },
        options.seconds
    );
    let load = |l: Option<f64>| l.map_or_else(|| "?".to_owned(), |l| format!("{l:.2}"));
    println!(
        "{}; load average {} before, {} after",
        if options.pinned {
            format!("server pinned to CPU {SERVER_CPU}, wrk to CPU {GENERATOR_CPU}")
        } else {
            "not pinned".to_owned()
        },
        load(load_before),
        load(load_after)
    );
    println!(
        "{:<16} {:>11} {:>11} {:>11} {:>13} {:>7} {:>14} {:>12}",
        "configuration",
        "requests/s",
        "p50",
        "p99",
        "server CPU/req",
        "errors",
        "RSS warmed up",
        "RSS at end"
    );
    for r in results {
        println!(
            "{:<16} {:>11.0} {:>11} {:>11} {:>13} {:>7} {:>14} {:>12}",
            r.mode.label(),
            r.requests_per_second,
            millis(r.p50),
            millis(r.p99),
            micros(r.cpu_per_request),
            r.errors,
            kib(r.rss_after_warm_up),
            kib(r.rss_at_end)
        );
    }
    let (Some(plain), Some(strict)) = (
        results.iter().find(|r| r.mode == Mode::Plain),
        results.iter().find(|r| r.mode == Mode::Strict),
    ) else {
        return;
    };
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { f64::NAN };
    // One row of ratios of `r` to the run without the layer: throughput, p50, p99 and CPU.
    let ratio_row = |label: &str, r: &Measured| {
        let throughput = ratio(r.requests_per_second, plain.requests_per_second);
        let p50 = ratio(r.p50.as_secs_f64(), plain.p50.as_secs_f64());
        let p99 = ratio(r.p99.as_secs_f64(), plain.p99.as_secs_f64());
        let cpu = match (r.cpu_per_request, plain.cpu_per_request) {
            (Some(c), Some(p)) => format!("{:.3}", ratio(c.as_secs_f64(), p.as_secs_f64())),
            _ => String::new(),
        };
        println!("{label:<16} {throughput:>11.3} {p50:>11.3} {p99:>11.3} {cpu:>13}");
        (throughput, p99)
    };
    let (throughput, p99) = ratio_row("with / without", strict);
    let floor_throughput = results
        .iter()
        .find(|r| r.mode == Mode::HeadersOnly)
        .map(|floor| ratio_row("headers/without", floor).0);
    if floor_throughput.is_some() {
        println!(
            "(\"headers only\": the handlers put a clone of a map prepared at start-up, the \
             headers strict() sends with a fixed nonce, into their responses; no layer)"
        );
    }
    let verdict = |ok: bool| if ok { "met" } else { "MISSED" };
    let growth = |r: &Measured| match (r.rss_after_warm_up, r.rss_at_end) {
        (Some(a), Some(b)) => Some(b.saturating_sub(a)),
        _ => None,
    };
    let flat = |r: &Measured| {
        growth(r).zip(r.rss_after_warm_up).is_some_and(|(g, base)| {
            // Flat: under 1 MiB or 5 % of the warmed-up size, whichever is larger.
            g <= (base / 20).max(1024)
        })
    };
    println!("targets (reported, not asserted):");
    println!(
        "  throughput with the layer >= 97% of without: {:.1}% ({})",
        throughput * 100.0,
        verdict(throughput >= 0.97)
    );
    if let Some(floor) = floor_throughput {
        println!(
            "  (the same figure for the headers-only floor: {:.1}%)",
            floor * 100.0
        );
    }
    println!(
        "  p99 within 10%: {:+.1}% ({})",
        (p99 - 1.0) * 100.0,
        verdict(p99 <= 1.10)
    );
    println!(
        "  zero errors: {} ({})",
        results
            .iter()
            .map(|r| r.errors.to_string())
            .collect::<Vec<_>>()
            .join(" + "),
        verdict(results.iter().all(|r| r.errors == 0))
    );
    println!(
        "  RSS flat after warm-up: +{} KiB without, +{} KiB with ({})",
        growth(plain).map_or_else(|| "?".to_owned(), |g| g.to_string()),
        growth(strict).map_or_else(|| "?".to_owned(), |g| g.to_string()),
        verdict(flat(plain) && flat(strict))
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrk_report_is_read_with_units_and_errors() {
        let text = "Running 1s test @ http://127.0.0.1:1/\n  1 threads and 16 connections\n\
            \x20 Latency Distribution\n     50%  250.00us\n     75%  1.00ms\n     99%    1.50ms\n\
            \x20 100 requests in 1.00s, 1.00MB read\n\
            \x20 Socket errors: connect 1, read 2, write 0, timeout 3\n\
            \x20 Non-2xx or 3xx responses: 4\nRequests/sec:  12345.67\n";
        let report = parse_wrk(text).unwrap();
        assert_eq!(report.p50, Duration::from_micros(250));
        assert_eq!(report.p99, Duration::from_micros(1500));
        assert_eq!(report.errors, 10);
        assert_eq!(report.requests, 100);
        assert!((report.requests_per_second - 12345.67).abs() < 1e-6);
    }

    #[test]
    fn callgrind_total_is_read_from_the_totals_line() {
        let text = "version: 1\ncmd: load-server\nevents: Ir\nfn=main\n1 5\ntotals: 123456\n";
        assert_eq!(callgrind_total(text), Some(123_456));
        assert_eq!(callgrind_total("summary: 77\n"), Some(77));
        assert_eq!(callgrind_total("events: Ir\n"), None);
    }

    #[test]
    fn wrk_report_without_rate_is_an_error() {
        assert!(parse_wrk("unable to connect").is_err());
    }

    #[test]
    fn percentile_picks_the_nearest_rank() {
        let sorted: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&sorted, 50.0), Duration::from_millis(51));
        assert_eq!(percentile(&sorted, 99.0), Duration::from_millis(99));
        assert_eq!(percentile(&[], 99.0), Duration::ZERO);
    }

    fn response(csp: Option<&str>, body_nonce: &str) -> Response {
        let mut headers = vec![("x-frame-options".to_owned(), b"DENY".to_vec())];
        if let Some(csp) = csp {
            headers.push((
                "content-security-policy".to_owned(),
                csp.as_bytes().to_vec(),
            ));
        }
        Response {
            status: 200,
            headers,
            body: format!(
                "<style nonce=\"{body_nonce}\">p {{}}</style><p>x</p>\
                 <script nonce=\"{body_nonce}\">x()</script>"
            )
            .into_bytes(),
            close: false,
        }
    }

    fn problems(checker: &Checker) -> Vec<String> {
        checker.findings.lock().unwrap().problems.clone()
    }

    #[test]
    fn csp_nonce_must_equal_the_page_nonce() {
        let checker = Checker::new(Mode::Strict);
        checker.handler_response("/", &response(Some("script-src 'nonce-AAA'"), "AAA"), &[]);
        assert!(problems(&checker).is_empty());
        checker.handler_response("/", &response(Some("script-src 'nonce-BBB'"), "CCC"), &[]);
        assert_eq!(problems(&checker).len(), 1);
    }

    #[test]
    fn page_nonce_attributes_must_agree() {
        let checker = Checker::new(Mode::Strict);
        let mut r = response(Some("script-src 'nonce-AAA'"), "AAA");
        r.body = b"<style nonce=\"AAA\"></style><script nonce=\"BBB\"></script>".to_vec();
        checker.handler_response("/", &r, &[]);
        assert!(problems(&checker)[0].contains("differ"));
    }

    #[test]
    fn page_without_the_layer_carries_the_placeholder() {
        let checker = Checker::new(Mode::Plain);
        checker.handler_response("/", &response(None, PLACEHOLDER_NONCE), &[]);
        assert!(problems(&checker).is_empty());
        checker.handler_response("/", &response(None, "AQEBAQEBAQEBAQEBAQEBAQ=="), &[]);
        assert!(problems(&checker)[0].contains("placeholder"));
    }

    #[test]
    fn repeated_nonce_is_reported() {
        let checker = Checker::new(Mode::Strict);
        checker.handler_response("/", &response(Some("script-src 'nonce-AAA'"), "AAA"), &[]);
        checker.handler_response("/", &response(Some("script-src 'nonce-AAA'"), "AAA"), &[]);
        assert!(problems(&checker)[0].contains("seen twice"));
    }

    #[test]
    fn reflected_text_in_a_header_is_reported() {
        let checker = Checker::new(Mode::Plain);
        let mut r = response(None, PLACEHOLDER_NONCE);
        r.headers.push(("x-injected".to_owned(), b"yes".to_vec()));
        checker.handler_response("/reflect", &r, &["injected"]);
        assert!(
            problems(&checker)
                .iter()
                .any(|p| p.contains("reached header"))
        );
    }

    #[test]
    fn headers_changing_between_responses_are_reported() {
        let checker = Checker::new(Mode::Plain);
        checker.handler_response("/", &response(None, PLACEHOLDER_NONCE), &[]);
        let mut r = response(None, PLACEHOLDER_NONCE);
        r.headers.push(("set-cookie".to_owned(), b"a=b".to_vec()));
        checker.handler_response("/", &r, &[]);
        assert!(problems(&checker)[0].contains("differ"));
    }
}
