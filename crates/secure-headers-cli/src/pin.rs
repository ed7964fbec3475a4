//! `secure-headers pin`: the HPKP pin of a public key or certificate.

use std::ffi::OsString;
use std::process::ExitCode;

use hpkp::Pin;

use crate::input;

/// Help text shown after the options of `pin`.
pub(crate) const EXAMPLES: &str = "\
Examples:
  secure-headers pin server.crt
  openssl x509 -in server.crt -pubkey -noout | secure-headers pin -

Output: pin-sha256=\"…\", the base64 SHA-256 of the SubjectPublicKeyInfo (RFC 7469 §2.4).
Input: the first PEM block must be a PUBLIC KEY or a CERTIFICATE.";

/// Arguments of `secure-headers pin`.
#[derive(clap::Args)]
pub(crate) struct PinArgs {
    /// A PEM file holding a PUBLIC KEY or CERTIFICATE block; `-` reads standard input.
    #[arg(value_name = "FILE")]
    file: OsString,
}

fn run_inner(args: &PinArgs) -> Result<(), String> {
    let raw = input::read_path(&args.file)?;
    let text = std::str::from_utf8(&raw)
        .map_err(|_| "the file is not PEM text (it holds non-UTF-8 bytes)".to_owned())?;
    let pin = Pin::from_pem(text).map_err(|e| format!("cannot read the key: {e}"))?;
    println!("pin-sha256=\"{pin}\"");
    Ok(())
}

/// Runs `pin`.
pub(crate) fn run(args: &PinArgs) -> ExitCode {
    input::finish(run_inner(args))
}
