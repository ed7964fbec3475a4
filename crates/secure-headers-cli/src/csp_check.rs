//! `secure-headers csp check`: the CSP findings of policy values, as JSON.

use std::ffi::OsString;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use header_audit::{CspCheckOptions, CspVersion, Finding, check_csp};
use serde::Serialize;

use crate::input;

/// Help text shown after the options of `csp check`.
pub(crate) const EXAMPLES: &str = "\
Examples:
  secure-headers csp check \"script-src 'self' 'unsafe-inline'; object-src 'none'\"
  secure-headers csp check --strict --csp-version 2 \"script-src 'nonce-r4nd0mr4nd0mr4nd0m'\"
  printf \"script-src *\\ndefault-src 'none'\\n\" | secure-headers csp check --jsonl

Output: one object per policy value, {\"findings\": [{\"id\", \"severity\", \"header\", \"directive\",
\"message\", \"fix\", \"csp_evaluator_type\", ...}]}; optional fields are left out when empty.";

/// Arguments of `secure-headers csp check`.
#[derive(clap::Args)]
pub(crate) struct CheckArgs {
    /// Also run the strict-CSP checks ('strict-dynamic', fallbacks, Trusted Types).
    #[arg(long)]
    strict: bool,

    /// The CSP level of the browser to evaluate for.
    #[arg(long, value_name = "1|2|3", default_value = "3", value_parser = parse_version)]
    csp_version: CspVersion,

    /// Read one policy value per line from standard input and print one compact JSON object
    /// per line, in order.
    #[arg(long)]
    jsonl: bool,

    /// The policy value. Without it, standard input is read (the whole input is one value, or
    /// one value per line with --jsonl).
    #[arg(value_name = "VALUE")]
    value: Option<OsString>,
}

fn parse_version(text: &str) -> Result<CspVersion, String> {
    text.trim()
        .parse::<u8>()
        .ok()
        .and_then(CspVersion::from_number)
        .ok_or_else(|| {
            format!(
                "CSP version must be 1, 2 or 3, not `{}`",
                text.escape_debug()
            )
        })
}

#[derive(Serialize)]
struct CheckAnswer<'a> {
    findings: &'a [Finding],
}

fn check(args: &CheckArgs, raw: &[u8]) -> Vec<Finding> {
    let options = CspCheckOptions {
        strict: args.strict,
        csp_version: args.csp_version,
        ..CspCheckOptions::default()
    };
    check_csp(&input::isomorphic_decode(raw), &options)
}

fn write(out: &mut impl Write, findings: &[Finding], pretty: bool) -> io::Result<()> {
    let answer = CheckAnswer { findings };
    if pretty {
        serde_json::to_writer_pretty(&mut *out, &answer)?;
    } else {
        serde_json::to_writer(&mut *out, &answer)?;
    }
    out.write_all(b"\n")
}

fn run_inner(args: &CheckArgs) -> Result<(), String> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let written = match &args.value {
        Some(value) => write(&mut out, &check(args, &input::os_bytes(value)), !args.jsonl),
        None if args.jsonl => {
            let stdin = io::stdin();
            let mut lines = stdin.lock();
            let mut line = Vec::new();
            while input::next_line(&mut lines, &mut line)? {
                if let Err(e) = write(&mut out, &check(args, &line), false) {
                    return input::output_error(&e);
                }
            }
            Ok(())
        }
        None => {
            let mut raw = input::read_all(&mut io::stdin().lock(), "standard input")?;
            if raw.last() == Some(&b'\n') {
                raw.pop();
            }
            if raw.last() == Some(&b'\r') {
                raw.pop();
            }
            write(&mut out, &check(args, &raw), true)
        }
    };
    match written.and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) => input::output_error(&e),
    }
}

/// Runs `csp check`.
pub(crate) fn run(args: &CheckArgs) -> ExitCode {
    input::finish(run_inner(args))
}
