//! `cargo xtask e2e`: the real-browser tests (`tests/e2e`) in headless Chromium.
//!
//! Installs Chromium and chromedriver with `apt-get` when they are missing, then runs
//! `cargo test -p workspace-tests --features e2e --test e2e_browser` with
//! `SECURE_HEADERS_E2E=1` (without it the browser tests are listed as ignored).
//!
//! Under `cargo xtask ci`, a machine where Chromium cannot be installed (no `apt-get`, or the
//! install fails) prints one `e2e: SKIPPED (…)` line and goes on; any other failure fails CI.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// Environment variable the browser tests read for the Chromium binary.
const CHROMIUM_ENV: &str = "SECURE_HEADERS_E2E_CHROMIUM";
/// Environment variable the browser tests read for the chromedriver binary.
const CHROMEDRIVER_ENV: &str = "SECURE_HEADERS_E2E_CHROMEDRIVER";
/// The variable that makes the browser tests run instead of being listed as ignored.
const ENABLE_ENV: &str = "SECURE_HEADERS_E2E";

/// Where the tests look for Chromium (keep in sync with `tests/e2e/browser.rs`).
const CHROMIUM_PATHS: &[&str] = &[
    "/usr/lib/chromium/chromium",
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
];

/// The Debian/Ubuntu packages that provide the browser and its WebDriver.
const PACKAGES: &[&str] = &["chromium", "chromium-driver"];

/// `cargo xtask e2e`: fails when Chromium is missing and cannot be installed.
pub(crate) fn e2e_command() -> Result<(), String> {
    match ensure_chromium() {
        Ok(()) => run_tests(),
        Err(Unavailable(reason)) => Err(format!("cannot run the browser tests: {reason}")),
    }
}

/// The CI step: skips (with one line saying why) only when Chromium cannot be installed.
pub(crate) fn ci() -> Result<(), String> {
    match ensure_chromium() {
        Ok(()) => run_tests(),
        Err(Unavailable(reason)) => {
            println!("e2e: SKIPPED ({reason})");
            Ok(())
        }
    }
}

/// Why the browser tests cannot run on this machine.
struct Unavailable(String);

fn chromium_present() -> bool {
    match std::env::var_os(CHROMIUM_ENV) {
        Some(path) => Path::new(&path).is_file(),
        None => CHROMIUM_PATHS.iter().any(|p| Path::new(p).is_file()),
    }
}

fn chromedriver_present() -> bool {
    let binary = std::env::var_os(CHROMEDRIVER_ENV)
        .map_or_else(|| PathBuf::from("chromedriver"), PathBuf::from);
    Command::new(binary)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn present() -> bool {
    chromium_present() && chromedriver_present()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.status.success() && o.stdout.trim_ascii() == b"0")
}

/// Runs `apt-get ARGS` (through `sudo -n` when not root); true on success.
fn apt_get(args: &[&str]) -> bool {
    let mut command = if is_root() {
        Command::new("apt-get")
    } else {
        let mut sudo = Command::new("sudo");
        sudo.args(["-n", "apt-get"]);
        sudo
    };
    eprintln!("\n==> apt-get {}", args.join(" "));
    command
        .args(args)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status()
        .is_ok_and(|s| s.success())
}

/// Makes sure Chromium and chromedriver are installed, installing them when missing.
fn ensure_chromium() -> Result<(), Unavailable> {
    if present() {
        return Ok(());
    }
    let apt_available = Command::new("apt-get")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !apt_available {
        return Err(Unavailable(
            "Chromium or chromedriver is missing and there is no apt-get to install them".into(),
        ));
    }
    let mut install = vec!["install", "-y", "--no-install-recommends"];
    install.extend(PACKAGES);
    // A fresh machine may have no package lists yet: update once, then try again.
    let installed = apt_get(&install) || (apt_get(&["update"]) && apt_get(&install));
    if !installed {
        return Err(Unavailable(format!(
            "`apt-get install {}` failed",
            PACKAGES.join(" ")
        )));
    }
    if present() {
        Ok(())
    } else {
        Err(Unavailable(format!(
            "`apt-get install {}` succeeded but Chromium or chromedriver is still not found \
             (looked at {CHROMIUM_PATHS:?} and `chromedriver` on PATH)",
            PACKAGES.join(" ")
        )))
    }
}

fn run_tests() -> Result<(), String> {
    let args = [
        "test",
        "-p",
        "workspace-tests",
        "--features",
        "e2e",
        "--test",
        "e2e_browser",
    ];
    eprintln!("\n==> {ENABLE_ENV}=1 cargo {}", args.join(" "));
    let started = Instant::now();
    let status = Command::new(crate::cargo())
        .args(args)
        .env(ENABLE_ENV, "1")
        .current_dir(crate::root())
        .status()
        .map_err(|e| format!("cannot start cargo: {e}"))?;
    if status.success() {
        println!(
            "e2e: browser tests passed in {:.0} s",
            started.elapsed().as_secs_f64()
        );
        Ok(())
    } else {
        Err(format!("e2e: browser tests failed ({status})"))
    }
}
