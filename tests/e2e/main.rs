//! End-to-end tests in a real browser: axum servers on loopback send the headers built by
//! `SecureHeaders`, headless Chromium loads the pages, and each test reads back from the DOM
//! (or from the server) what the browser did with them.
//!
//! Run with `cargo xtask e2e` (it installs Chromium when it is missing and sets
//! `SECURE_HEADERS_E2E=1`). Outside it, for example in `cargo test --all-features`, the tests
//! are listed as ignored: they need Chromium and chromedriver, which a plain test run may not
//! have. Run them directly with
//! `SECURE_HEADERS_E2E=1 cargo test -p workspace-tests --features e2e --test e2e_browser`.
//!
//! Every test has a comment recording the deliberate break it was checked against: the
//! protection removed (temporarily) and the failure that followed.
#![forbid(unsafe_code)]

mod browser;
mod cookies;
mod csp;
mod framing;
mod nosniff;
mod server;
mod tls;

use std::future::Future;
use std::pin::Pin;
use std::process::ExitCode;
use std::time::Duration;

use libtest_mimic::{Arguments, Failed, Trial};

use browser::Browser;

/// What a test returns: `Err` with a message saying what the browser did instead.
pub(crate) type TestResult = Result<(), String>;

/// A browser test: gets a fresh browser, returns what it found.
type BrowserTest = fn(&Browser) -> Pin<Box<dyn Future<Output = TestResult> + '_>>;

/// The variable `cargo xtask e2e` sets to run the tests.
const ENABLE_ENV: &str = "SECURE_HEADERS_E2E";

/// The longest one test may take, browser start and shutdown included.
const TEST_TIMEOUT: Duration = Duration::from_secs(60);

/// Fails the test with a formatted message unless `cond` holds.
#[macro_export]
macro_rules! ensure {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err(format!($($msg)+));
        }
    };
}

macro_rules! browser_tests {
    ($($module:ident :: $test:ident),* $(,)?) => {
        vec![$(
            (
                concat!(stringify!($module), "::", stringify!($test)),
                (|b| Box::pin($module::$test(b))) as BrowserTest,
            )
        ),*]
    };
}

fn tests() -> Vec<(&'static str, BrowserTest)> {
    browser_tests![
        csp::nonced_inline_script_runs_and_injected_scripts_do_not,
        csp::blocked_scripts_are_reported_to_report_uri,
        csp::blocked_scripts_are_delivered_to_the_report_to_endpoint,
        csp::report_only_policy_reports_but_does_not_block,
        csp::report_only_policy_reports_to_the_report_to_endpoint,
        framing::deny_and_frame_ancestors_none_refuse_cross_origin_framing,
        framing::sameorigin_page_renders_only_in_same_origin_frame,
        cookies::host_prefixed_cookie_hardened_by_layer_is_stored_and_sent_back,
        nosniff::script_served_as_text_plain_is_refused_under_nosniff,
    ]
}

/// Runs one test in its own runtime and browser; the browser and every server the test
/// started are shut down whatever the outcome.
fn run(test: BrowserTest) -> Result<(), Failed> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start a runtime: {e}"))?;
    let outcome = runtime.block_on(async {
        let browser = Browser::start().await?;
        let outcome = tokio::time::timeout(TEST_TIMEOUT, test(&browser)).await;
        browser.close().await;
        outcome.unwrap_or_else(|_| Err(format!("the test did not finish within {TEST_TIMEOUT:?}")))
    });
    // Dropping the runtime stops the test servers still running on it.
    runtime.shutdown_timeout(Duration::from_secs(5));
    outcome.map_err(Failed::from)
}

fn main() -> ExitCode {
    let args = Arguments::from_args();
    let enabled = std::env::var(ENABLE_ENV).is_ok_and(|v| v == "1");
    if !enabled && !args.list {
        eprintln!(
            "e2e_browser: the browser tests are ignored here; they run under `cargo xtask e2e` \
             (or with {ENABLE_ENV}=1, with Chromium and chromedriver installed)"
        );
    }
    let trials = tests()
        .into_iter()
        .map(|(name, test)| Trial::test(name, move || run(test)).with_ignored_flag(!enabled))
        .collect();
    libtest_mimic::run(&args, trials).exit_code()
}
