//! The `secure-headers` command-line tool.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod audit;
mod csp_check;
mod csp_explain;
mod demo;
mod fetch;
mod generate;
mod hash;
mod input;
mod nonce;
mod parse;
mod pin;

use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{Parser, Subcommand};

/// Exit status for a command line that cannot be understood.
const EXIT_USAGE: u8 = 2;

/// Parse, audit and explain HTTP security headers the way browsers process them.
#[derive(Parser)]
#[command(
    name = "secure-headers",
    version,
    after_help = "Examples:\n  secure-headers parse --header content-security-policy \"script-src 'self'; object-src 'none'\"\n  secure-headers csp check \"script-src 'self' 'unsafe-inline'\"\n  secure-headers audit https://example.com/\n  curl -sI https://example.com/ | secure-headers audit -\n  secure-headers generate --preset strict --format nginx\n  secure-headers hash inline.js\n  secure-headers demo\n\nExit status: 0 on success, 1 when input or output fails, 2 for a bad command line."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse header values as a browser does and print the result as JSON.
    #[command(after_help = parse::EXAMPLES)]
    Parse(parse::ParseArgs),
    /// Grade the security headers of a URL (following redirects), a saved response head or a
    /// HAR file.
    #[command(after_help = audit::EXAMPLES)]
    Audit(audit::AuditArgs),
    /// Print the header set of a preset or configuration for nginx, Apache, Caddy, raw or JSON.
    #[command(after_help = generate::EXAMPLES)]
    Generate(generate::GenerateArgs),
    /// Print the CSP hash source ('sha256-…') of each file.
    #[command(after_help = hash::EXAMPLES)]
    Hash(hash::HashArgs),
    /// Print the HPKP pin (pin-sha256=\"…\") of a PEM public key or certificate.
    #[command(after_help = pin::EXAMPLES)]
    Pin(pin::PinArgs),
    /// Print a fresh random CSP nonce.
    #[command(after_help = nonce::EXAMPLES)]
    Nonce,
    /// Serve a local page with the recommended headers, fetch it and audit the response.
    #[command(after_help = demo::EXAMPLES)]
    Demo,
    /// Check, explain or compare Content-Security-Policy values.
    #[command(subcommand)]
    Csp(CspCommand),
}

#[derive(Subcommand)]
enum CspCommand {
    /// Print the CSP findings (CSP Evaluator checks and more) of each policy value as JSON.
    #[command(after_help = csp_check::EXAMPLES)]
    Check(csp_check::CheckArgs),
    /// Explain each directive of a policy in plain words, with fallbacks (text or JSON).
    #[command(after_help = csp_explain::EXPLAIN_EXAMPLES)]
    Explain(csp_explain::ExplainArgs),
    /// Show per directive which sources policy B adds or removes compared with A (text or JSON).
    #[command(after_help = csp_explain::DIFF_EXAMPLES)]
    Diff(csp_explain::DiffArgs),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return command_line_error(&err),
    };
    match cli.command {
        Command::Parse(args) => parse::run(&args),
        Command::Audit(args) => audit::run(&args),
        Command::Generate(args) => generate::run(&args),
        Command::Hash(args) => hash::run(&args),
        Command::Pin(args) => pin::run(&args),
        Command::Nonce => nonce::run(),
        Command::Demo => demo::run(),
        Command::Csp(CspCommand::Check(args)) => csp_check::run(&args),
        Command::Csp(CspCommand::Explain(args)) => csp_explain::run_explain(&args),
        Command::Csp(CspCommand::Diff(args)) => csp_explain::run_diff(&args),
    }
}

/// Help and version go to stdout as clap renders them; every other problem is one line on
/// stderr.
fn command_line_error(err: &clap::Error) -> ExitCode {
    match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            // Nothing useful is left to do if stdout is gone.
            let _ = err.print();
            ExitCode::SUCCESS
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = err.print();
            ExitCode::from(EXIT_USAGE)
        }
        _ => {
            // clap's message spans several lines (the missing arguments, usage, a hint);
            // keep the message part, on one line.
            let rendered = err.render().to_string();
            let message = rendered
                .lines()
                .map(str::trim)
                .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            let message = message.strip_prefix("error: ").unwrap_or(&message);
            eprintln!("secure-headers: {message} (see `secure-headers --help`)");
            ExitCode::from(EXIT_USAGE)
        }
    }
}
