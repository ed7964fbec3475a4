//! `secure-headers nonce`: a fresh CSP nonce.

use std::process::ExitCode;

use csp_builder::Nonce;

/// Help text shown after the options of `nonce`.
pub(crate) const EXAMPLES: &str = "\
Example:
  secure-headers nonce

Output: a new random nonce (base64, from the OS random source), to put in 'nonce-…' and the
nonce attribute of each inline element. Use a fresh one for every response.";

/// Runs `nonce`.
pub(crate) fn run() -> ExitCode {
    println!("{}", Nonce::generate());
    ExitCode::SUCCESS
}
