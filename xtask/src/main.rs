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
use std::process::{Command, ExitCode, ExitStatus};

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
    let status = run_command(dir, env, program, args, None)?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}

/// Runs a command in `dir` with extra environment variables, echoing it first, and returns its
/// exit status. With `log`, its standard output and error go to that file instead.
fn run_command(
    dir: &Path,
    env: &[(&str, &str)],
    program: &str,
    args: &[&str],
    log: Option<&Path>,
) -> Result<ExitStatus, String> {
    let shown: Vec<String> = env.iter().map(|(k, v)| format!("{k}=\"{v}\" ")).collect();
    let redirect = log.map_or_else(String::new, |path| format!(" > {}", path.display()));
    eprintln!(
        "\n==> {}{program} {}{redirect}",
        shown.concat(),
        args.join(" ")
    );
    let mut command = Command::new(program);
    command
        .args(args)
        .envs(env.iter().copied())
        .current_dir(dir);
    if let Some(path) = log {
        let file = std::fs::File::create(path)
            .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
        let file_for_stderr = file
            .try_clone()
            .map_err(|e| format!("cannot reopen {}: {e}", path.display()))?;
        command.stdout(file).stderr(file_for_stderr);
    }
    command
        .status()
        .map_err(|e| format!("cannot start {program}: {e}"))
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
///
/// libFuzzer prints a line for every new input, thousands per target; each target's output goes
/// to `fuzz/artifacts/logs/TARGET.log` instead, and only a summary line is printed. When a
/// target fails, the end of its log is printed too: the crash report, where the input was
/// written and, for inputs up to 256 bytes, the input in base64.
fn fuzz(seconds: u64, only: &[String]) -> Result<(), String> {
    let root = root();
    let fuzz_dir = root.join("fuzz");
    let targets = if only.is_empty() {
        fuzz_targets()?
    } else {
        only.to_vec()
    };
    let log_dir = fuzz_dir.join("artifacts/logs");
    std::fs::create_dir_all(&log_dir)
        .map_err(|e| format!("cannot create {}: {e}", log_dir.display()))?;
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
            // Report bodies over 16 KiB are first counted (csp-builder's
            // MAX_REPORTS_JSON_VALUES), so that target gets inputs long enough to reach it.
            if target == "csp_report" {
                "-max_len=65536"
            } else {
                "-max_len=16384"
            },
        ]);
        let log_path = log_dir.join(format!("{target}.log"));
        let status = run_command(&fuzz_dir, &[], "cargo", &args, Some(&log_path))?;
        let text = std::fs::read(&log_path)
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_default();
        if status.success() {
            println!("fuzz {target}: {}", fuzz_summary(&text));
        } else {
            let lines: Vec<&str> = text.lines().collect();
            let tail = &lines[lines.len().saturating_sub(FAILURE_LOG_LINES)..];
            eprintln!(
                "---- last {} lines of {} ----",
                tail.len(),
                log_path.display()
            );
            for line in tail {
                eprintln!("{line}");
            }
            eprintln!("---- end of {target}'s log ----");
            return Err(format!("fuzz target {target} failed ({status})"));
        }
    }
    println!(
        "fuzz: {} targets ran {seconds} s each without a crash",
        targets.len()
    );
    Ok(())
}

/// Lines of a failed target's log printed by [`fuzz`].
const FAILURE_LOG_LINES: usize = 120;

/// The executions and final coverage of a libFuzzer run, read off its log: the
/// `Done N runs in S second(s)` line and the last line carrying `cov:`.
fn fuzz_summary(log: &str) -> String {
    let done = log
        .lines()
        .rev()
        .find(|l| l.starts_with("Done "))
        .unwrap_or("no `Done` line");
    let stats = log
        .lines()
        .rev()
        .find_map(|l| l.find("cov:").map(|at| &l[at..]))
        .map(|s| s.split(" lim:").next().unwrap_or(s));
    match stats {
        Some(stats) => format!("{done}; {stats}"),
        None => done.to_owned(),
    }
}

fn bench(args: &[String]) -> Result<(), String> {
    let mut cargo_args = vec!["bench", "--package", "secure-headers-bench"];
    cargo_args.extend(args.iter().map(String::as_str));
    run_in(&root(), &cargo(), &cargo_args)
}

#[cfg(test)]
mod tests {
    use super::fuzz_summary;

    #[test]
    fn fuzz_summary_reads_the_last_stats_and_the_done_line() {
        let log = "INFO: Seed: 1\n\
                   #2\tINITED cov: 10 ft: 11 corp: 3/30b exec/s: 0 rss: 30Mb\n\
                   #9\tNEW    cov: 12 ft: 14 corp: 4/41b lim: 4 exec/s: 0 rss: 31Mb L: 4/4 MS: 1 CopyPart-\n\
                   Done 9 runs in 1 second(s)\n\
                   stat::number_of_executed_units: 9\n";
        assert_eq!(
            fuzz_summary(log),
            "Done 9 runs in 1 second(s); cov: 12 ft: 14 corp: 4/41b"
        );
    }

    #[test]
    fn fuzz_summary_of_a_log_without_stats_says_so() {
        assert_eq!(fuzz_summary("error: no such target\n"), "no `Done` line");
    }
}
