//! Headless Chromium driven through chromedriver (WebDriver), one fresh browser per test.
//!
//! Each test starts its own chromedriver on a free loopback port and one Chromium session with
//! a fresh profile in a temporary directory. Everything is torn down at the end of the test:
//! the session is closed (Chromium quits), chromedriver is killed and the profile deleted, also
//! when the test fails or panics ([`Drop`] of [`Chromedriver`]).

use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;

use crate::TestResult;
use crate::tls::TestCertificate;

/// Environment variable naming the Chromium binary (default: the first of [`CHROMIUM_PATHS`]).
pub(crate) const CHROMIUM_ENV: &str = "SECURE_HEADERS_E2E_CHROMIUM";
/// Environment variable naming the chromedriver binary (default: `chromedriver` on `PATH`).
pub(crate) const CHROMEDRIVER_ENV: &str = "SECURE_HEADERS_E2E_CHROMEDRIVER";

/// Where Chromium is looked for when [`CHROMIUM_ENV`] is not set (Debian's `chromium` package
/// installs the browser in `/usr/lib/chromium` and a wrapper script in `/usr/bin`).
const CHROMIUM_PATHS: &[&str] = &[
    "/usr/lib/chromium/chromium",
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
];

/// The longest a page load, a script or a bounded wait may take.
const PAGE_LOAD_TIMEOUT: Duration = Duration::from_secs(15);
/// How long chromedriver may take to accept connections.
const DRIVER_START_TIMEOUT: Duration = Duration::from_secs(10);
/// How often a bounded wait looks again.
const POLL_INTERVAL: Duration = Duration::from_millis(50);

/// The Chromium command-line flags of every test browser.
fn chromium_args(profile: &std::path::Path, certificate: &TestCertificate) -> Vec<String> {
    let mut args: Vec<String> = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        // Chromium queues Reporting API reports and uploads them in batches on a timer (up to a
        // minute by default; here, without the switch, a second batch came 11 s after the
        // first); this switch, the one Chromium's own web tests use, shortens the delay to
        // about 100 ms, so the report-to tests wait a fraction of a second, not a minute.
        "--short-reporting-delay",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    // Trusts the run's self-signed test certificate (and no other), by its public key, for the
    // HTTPS test servers (see `crate::tls`). Chromium honours this switch only together with
    // `--user-data-dir`.
    args.push(format!(
        "--ignore-certificate-errors-spki-list={}",
        certificate.spki_sha256()
    ));
    args
}

fn chromium_binary() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os(CHROMIUM_ENV) {
        return Ok(PathBuf::from(path));
    }
    CHROMIUM_PATHS
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .ok_or_else(|| {
            format!(
                "no Chromium found (looked at {CHROMIUM_PATHS:?}; set {CHROMIUM_ENV}, or run \
                 `cargo xtask e2e`, which installs it)"
            )
        })
}

fn chromedriver_binary() -> PathBuf {
    std::env::var_os(CHROMEDRIVER_ENV).map_or_else(|| PathBuf::from("chromedriver"), PathBuf::from)
}

/// A free TCP port on the loopback interface (bound, read and released).
fn free_loopback_port() -> Result<u16, String> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("cannot find a free loopback port: {e}"))
}

/// A running chromedriver; killed on drop.
struct Chromedriver {
    child: Child,
    port: u16,
}

impl Chromedriver {
    fn start() -> Result<Self, String> {
        let port = free_loopback_port()?;
        let binary = chromedriver_binary();
        let child = Command::new(&binary)
            .arg(format!("--port={port}"))
            // Only loopback clients may connect (the default, made explicit).
            .arg("--allowed-ips=127.0.0.1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
        let driver = Self { child, port };
        let deadline = Instant::now() + DRIVER_START_TIMEOUT;
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        while TcpStream::connect_timeout(&addr, POLL_INTERVAL).is_err() {
            if Instant::now() > deadline {
                return Err(format!(
                    "chromedriver did not listen on {addr} within {DRIVER_START_TIMEOUT:?}"
                ));
            }
            std::thread::sleep(POLL_INTERVAL);
        }
        Ok(driver)
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        // Chromium is started by chromedriver over a pipe and exits when chromedriver does.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One headless Chromium session with a fresh profile.
pub(crate) struct Browser {
    client: Client,
    // Dropped after the client: the session is closed, then chromedriver stops, then the
    // profile directory is removed.
    driver: Chromedriver,
    profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver and a Chromium session.
    pub(crate) async fn start() -> Result<Self, String> {
        let chromium = chromium_binary()?;
        let certificate = crate::tls::certificate()?;
        let profile = tempfile::Builder::new()
            .prefix("secure-headers-e2e-")
            .tempdir()
            .map_err(|e| format!("cannot create a profile directory: {e}"))?;
        let driver = Chromedriver::start()?;
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), "chrome".into());
        capabilities.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": chromium,
                "args": chromium_args(profile.path(), certificate),
            }),
        );
        capabilities.insert(
            "timeouts".into(),
            serde_json::json!({
                "pageLoad": PAGE_LOAD_TIMEOUT.as_millis(),
                "script": PAGE_LOAD_TIMEOUT.as_millis(),
                "implicit": 0,
            }),
        );
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
            .map_err(|e| format!("cannot start a Chromium session: {e}"))?;
        Ok(Self {
            client,
            driver,
            profile,
        })
    }

    /// The WebDriver client.
    pub(crate) fn client(&self) -> &Client {
        &self.client
    }

    /// Closes the session (Chromium quits), then stops chromedriver.
    pub(crate) async fn close(self) {
        let Self {
            client,
            driver,
            profile,
        } = self;
        let _ = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
        drop(driver);
        drop(profile);
    }

    /// Navigates to `url` and waits for its `load` event (WebDriver's normal page-load strategy).
    pub(crate) async fn goto(&self, url: &str) -> TestResult {
        self.client
            .goto(url)
            .await
            .map_err(|e| format!("navigating to {url}: {e}"))
    }

    /// The value of attribute `name` of the first element matching the CSS `selector`.
    pub(crate) async fn attr(&self, selector: &str, name: &str) -> Result<Option<String>, String> {
        let element = self
            .client
            .find(Locator::Css(selector))
            .await
            .map_err(|e| format!("finding {selector}: {e}"))?;
        element
            .attr(name)
            .await
            .map_err(|e| format!("reading {selector}[{name}]: {e}"))
    }

    /// Waits (at most [`PAGE_LOAD_TIMEOUT`]) until attribute `name` of `selector` satisfies
    /// `ready`, and returns its value.
    pub(crate) async fn wait_for_attr(
        &self,
        selector: &str,
        name: &str,
        ready: impl Fn(&str) -> bool,
    ) -> Result<String, String> {
        let deadline = Instant::now() + PAGE_LOAD_TIMEOUT;
        loop {
            let value = self.attr(selector, name).await?.unwrap_or_default();
            if ready(&value) {
                return Ok(value);
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "{selector}[{name}] was {value:?} after {PAGE_LOAD_TIMEOUT:?}, still not ready"
                ));
            }
            tokio::time::sleep(POLL_INTERVAL).await;
        }
    }
}
