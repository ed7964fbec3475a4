//! Miri over the pure parsing crates: `cargo +nightly miri test` of the crates that do no I/O
//! of their own and depend on nothing but `http` and each other.
//!
//! Miri interprets every test, about a thousand times slower than native code, so:
//! * property tests run `PROPTEST_CASES` cases each (proptest reads it when a test keeps the
//!   default configuration) instead of 256;
//! * tests in [`SKIPPED_UNDER_MIRI`] (whole-corpus sweeps that repeat what the unit tests
//!   cover) are left out with libtest's `--skip`, and the count of tests left out is printed
//!   from libtest's own `filtered out` figures, so nothing is skipped silently;
//! * file reads (the conformance vectors under `tests/data`) need `-Zmiri-disable-isolation`.

use std::process::{Command, Stdio};

/// The crates Miri runs over.
const PACKAGES: [&str; 3] = ["directive-list", "hsts", "nosniff"];

/// Property-test cases per property under Miri.
const PROPTEST_CASES_UNDER_MIRI: &str = "8";

/// Name filters of tests too slow under Miri (libtest `--skip`: substring match): the sweeps
/// over the whole real-world corpus (`every_corpus_value_…`, `corpus_values_…`: 1,061 HSTS,
/// 1,463 X-Frame-Options and 34 X-Content-Type-Options values; the X-Frame-Options sweep alone
/// had not finished after five minutes under Miri). Those values go through the same code as the
/// rule and vector tests, which do run.
const SKIPPED_UNDER_MIRI: &[&str] = &["corpus_value"];

/// True when `cargo +nightly miri` answers.
fn miri_present() -> bool {
    Command::new("cargo")
        .args(["+nightly", "miri", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Runs the Miri tests, or prints one line saying why they were skipped.
pub(crate) fn miri() -> Result<(), String> {
    if !miri_present() {
        println!("miri: SKIPPED (miri component not installed)");
        return Ok(());
    }
    let mut args = vec!["+nightly", "miri", "test"];
    for package in PACKAGES {
        args.extend(["--package", package]);
    }
    args.push("--");
    for name in SKIPPED_UNDER_MIRI {
        args.extend(["--skip", name]);
    }
    eprintln!("\n==> cargo {}", args.join(" "));
    let output = Command::new("cargo")
        .args(&args)
        .current_dir(crate::root())
        .env("PROPTEST_CASES", PROPTEST_CASES_UNDER_MIRI)
        .env("MIRIFLAGS", "-Zmiri-disable-isolation")
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot start cargo miri: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    print!("{stdout}");
    if !output.status.success() {
        return Err(format!(
            "`cargo {}` failed ({})",
            args.join(" "),
            output.status
        ));
    }
    let (passed, filtered, ignored) = tally(&stdout);
    println!(
        "miri: {passed} tests passed in {} ({filtered} left out as too slow under Miri, \
         {ignored} ignored; property tests ran {PROPTEST_CASES_UNDER_MIRI} cases each)",
        PACKAGES.join(", ")
    );
    Ok(())
}

/// Sums libtest's `test result:` lines: (passed, filtered out, ignored).
fn tally(output: &str) -> (u64, u64, u64) {
    let mut totals = (0, 0, 0);
    for line in output.lines().filter(|l| l.starts_with("test result:")) {
        for part in line.split([';', '.']) {
            let mut words = part.split_whitespace();
            let (Some(count), Some(what)) = (words.next(), words.next()) else {
                continue;
            };
            let Ok(count) = count.parse::<u64>() else {
                continue;
            };
            match what {
                "passed" => totals.0 += count,
                "filtered" => totals.1 += count,
                "ignored" => totals.2 += count,
                _ => {}
            }
        }
    }
    totals
}

#[cfg(test)]
mod tests {
    use super::tally;

    #[test]
    fn tally_sums_every_test_binary() {
        let out = "test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 3 filtered out; finished in 1.00s\n\
                   noise\n\
                   test result: ok. 5 passed; 0 failed; 0 ignored; 0 measured; 2 filtered out; finished in 0.50s\n";
        assert_eq!(tally(out), (17, 5, 1));
    }
}
