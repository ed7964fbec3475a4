//! Project automation for the secure-headers workspace.
//!
//! ```text
//! cargo xtask ci                      fmt check, clippy -D warnings, every test and doc test,
//!                                     the CSP Evaluator differential, e2e, cargo-deny, load smoke,
//!                                     Miri and a fuzz run of every target when nightly is present
//! cargo xtask fuzz [--seconds N] [TARGET…]
//!                                     run fuzz targets (all by default) for N seconds each
//! cargo xtask bench                   run the side-by-side benchmarks and print their tables
//! cargo xtask load [--smoke | --instructions] [--seconds N]
//!                                     load test on loopback, without and with the layer, with
//!                                     hostile requests during the load (see load.rs)
//! cargo xtask deny                    cargo-deny licence, ban and source checks (see deny.rs)
//! cargo xtask miri                    the pure crates' tests under Miri, when installed (miri.rs)
//! cargo xtask e2e                     real-browser tests in headless Chromium (installs it with
//!                                     apt-get when missing; see e2e.rs)
//! cargo xtask compare-csp-evaluator [--print-unexplained]
//!                                     differential test of our CSP checks against Google's
//!                                     CSP Evaluator from npm (see compare_csp_evaluator.rs)
//! ```
#![forbid(unsafe_code)]

mod compare_csp_evaluator;
mod deny;
mod e2e;
mod load;
mod miri;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// Seconds each fuzz target runs during `cargo xtask ci`.
const CI_FUZZ_SECONDS: u64 = 60;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("ci") => ci(),
        Some("fuzz") => fuzz_command(&args[1..]),
        Some("bench") => bench(&args[1..]),
        Some("load") => load::load_command(&args[1..]),
        Some("deny") => deny::deny_check(),
        Some("miri") => miri::miri(),
        Some("e2e") => e2e::e2e_command(),
        Some("compare-csp-evaluator") => compare_csp_evaluator::compare_command(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask <ci | fuzz [--seconds N] [TARGET…] | bench | load [--smoke | --instructions] [--seconds N] | deny | miri | compare-csp-evaluator [--print-unexplained]>"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (the parent of this package's folder).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Runs a command in `dir`, echoing it first; an unsuccessful exit is an error.
fn run_in(dir: &Path, program: &str, args: &[&str]) -> Result<(), String> {
    run_in_with_env(dir, &[], program, args)
}

/// [`run_in`] with extra environment variables.
fn run_in_with_env(
    dir: &Path,
    env: &[(&str, &str)],
    program: &str,
    args: &[&str],
) -> Result<(), String> {
    let shown: Vec<String> = env.iter().map(|(k, v)| format!("{k}=\"{v}\" ")).collect();
    eprintln!("\n==> {}{program} {}", shown.concat(), args.join(" "));
    let status = Command::new(program)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(dir)
        .status()
        .map_err(|e| format!("cannot start {program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

fn ci() -> Result<(), String> {
    let root = root();
    let cargo = cargo();
    run_in(&root, &cargo, &["fmt", "--all", "--", "--check"])?;
    run_in(
        &root,
        &cargo,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    // Every unit, integration and doc test of the default members.
    run_in(&root, &cargo, &["test", "--all-features"])?;
    // The API documentation builds without a warning (broken intra-doc links, bad HTML).
    api_docs(&root, &cargo)?;
    // The actix-web example lives outside the default members (actix-web is heavy to build).
    run_in(
        &root,
        &cargo,
        &["test", "-p", "secure-headers-actix-example"],
    )?;
    // Differential test of `csp check` against Google's CSP Evaluator (npm csp_evaluator);
    // a disagreement missing from the committed table fails. Skipped only without node/npm.
    compare_csp_evaluator::compare_command(&[])?;
    // Real-browser tests in headless Chromium (skipped only where Chromium cannot be installed).
    e2e::ci()?;
    // Licences, bans and sources of every dependency (offline checks only).
    deny::deny_check()?;
    // Short load run: fails on errors, panics, repeated nonces or header contamination.
    load::smoke()?;
    miri::miri()?;
    fuzz_smoke(CI_FUZZ_SECONDS)
}

/// `cargo doc` of the default members with every rustdoc warning an error.
fn api_docs(root: &Path, cargo: &str) -> Result<(), String> {
    run_in_with_env(
        root,
        &[("RUSTDOCFLAGS", "-D warnings")],
        cargo,
        &["doc", "--no-deps", "--all-features"],
    )
}

/// True when a nightly toolchain answers.
fn nightly_present() -> bool {
    Command::new("rustup")
        .args(["run", "nightly", "rustc", "--version"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// True when `cargo fuzz` is installed.
fn cargo_fuzz_present() -> bool {
    Command::new("cargo")
        .args(["+nightly", "fuzz", "--version"])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn fuzz_smoke(seconds: u64) -> Result<(), String> {
    if !nightly_present() {
        println!("fuzz smoke: SKIPPED (no nightly toolchain on this machine)");
        return Ok(());
    }
    if !cargo_fuzz_present() {
        run_in(&root(), "cargo", &["install", "cargo-fuzz", "--locked"])?;
    }
    fuzz(seconds, &[])
}

fn fuzz_command(args: &[String]) -> Result<(), String> {
    let mut seconds = 60;
    let mut targets = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        if arg == "--seconds" {
            seconds = it
                .next()
                .and_then(|s| s.parse().ok())
                .ok_or("--seconds takes a whole number")?;
        } else {
            targets.push(arg.clone());
        }
    }
    if !nightly_present() {
        return Err("fuzzing needs a nightly toolchain (rustup toolchain install nightly)".into());
    }
    if !cargo_fuzz_present() {
        run_in(&root(), "cargo", &["install", "cargo-fuzz", "--locked"])?;
    }
    fuzz(seconds, &targets)
}

/// Lists the fuzz targets (file stems of `fuzz/fuzz_targets/*.rs`).
fn fuzz_targets() -> Result<Vec<String>, String> {
    let dir = root().join("fuzz/fuzz_targets");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let path = e.path();
            (path.extension()? == "rs").then(|| path.file_stem()?.to_str().map(str::to_owned))?
        })
        .collect();
    names.sort();
    Ok(names)
}

/// Runs each target for `seconds`, starting from the committed corpus (`fuzz/corpus/TARGET`)
/// and the seeds (`fuzz/seeds/TARGET`, when present). A crash fails the run.
fn fuzz(seconds: u64, only: &[String]) -> Result<(), String> {
    let root = root();
    let fuzz_dir = root.join("fuzz");
    let targets = if only.is_empty() {
        fuzz_targets()?
    } else {
        only.to_vec()
    };
    let max_time = format!("-max_total_time={seconds}");
    for target in &targets {
        let corpus = format!("corpus/{target}");
        std::fs::create_dir_all(fuzz_dir.join(&corpus))
            .map_err(|e| format!("cannot create {corpus}: {e}"))?;
        let seeds = format!("seeds/{target}");
        let mut args = vec!["+nightly", "fuzz", "run", target.as_str(), corpus.as_str()];
        if fuzz_dir.join(&seeds).is_dir() {
            args.push(seeds.as_str());
        }
        args.extend([
            "--",
            max_time.as_str(),
            "-rss_limit_mb=2048",
            "-max_len=16384",
        ]);
        run_in(&fuzz_dir, "cargo", &args)?;
    }
    println!(
        "fuzz: {} targets ran {seconds} s each without a crash",
        targets.len()
    );
    Ok(())
}

fn bench(args: &[String]) -> Result<(), String> {
    let mut cargo_args = vec!["bench", "--package", "secure-headers-bench"];
    cargo_args.extend(args.iter().map(String::as_str));
    run_in(&root(), &cargo(), &cargo_args)
}
