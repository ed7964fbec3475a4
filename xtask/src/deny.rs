//! Supply-chain checks: `cargo deny check licenses bans sources` with the root `deny.toml`.
//!
//! Only the checks that need no network run here. The advisories check needs the RustSec
//! database and is left to machines that can fetch it (`cargo deny check advisories`).
//! `cargo deny` reads the dependency graph with `cargo metadata`; `--offline` makes that use
//! only crates already in the local cache, which `cargo fetch` fills when the registry is
//! reachable.

use std::process::Command;
use std::time::Instant;

/// True when `cargo deny` answers.
fn cargo_deny_present() -> bool {
    Command::new(crate::cargo())
        .args(["deny", "--version"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Installs cargo-deny when it is missing (printing how long the build took), then runs the
/// offline checks. A licence outside `deny.toml`'s list, a banned crate or a source other than
/// crates.io fails; duplicate versions are warnings.
pub(crate) fn deny_check() -> Result<(), String> {
    let root = crate::root();
    if !cargo_deny_present() {
        let start = Instant::now();
        crate::run_in(
            &root,
            &crate::cargo(),
            &["install", "cargo-deny", "--locked"],
        )?;
        println!(
            "cargo-deny: installed in {:.0} s",
            start.elapsed().as_secs_f64()
        );
    }
    // Fill the crate cache when the registry is reachable, so that the check below can read
    // the whole graph offline; when it is not, the cache may already hold everything.
    if crate::run_in(&root, &crate::cargo(), &["fetch"]).is_err() {
        eprintln!("cargo-deny: `cargo fetch` failed; trying with the local cache only");
    }
    // `--offline`: `cargo metadata` reads the local cache only. Without `advisories` nothing
    // else is fetched (cargo-deny 0.20 has no separate switch for the advisory database).
    crate::run_in(
        &root,
        &crate::cargo(),
        &["deny", "--offline", "check", "licenses", "bans", "sources"],
    )?;
    println!(
        "cargo-deny: licenses, bans and sources ok (advisories not checked: needs the network)"
    );
    Ok(())
}
