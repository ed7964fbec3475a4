//! `secure-headers hash`: CSP hash sources of script or style files.

use std::ffi::OsString;
use std::io::{self, Write};
use std::process::ExitCode;

use csp_builder::{HashAlgorithm, Source};

use crate::input;

/// Help text shown after the options of `hash`.
pub(crate) const EXAMPLES: &str = "\
Examples:
  secure-headers hash inline.js
  secure-headers hash --algorithm sha384 a.js b.css
  printf 'alert(1)' | secure-headers hash -

Output: one hash source per file, in order, e.g. 'sha256-…'. The file's bytes are hashed as they
are: they must be exactly the text between <script> and </script> (CSP3 §8.4).";

/// Hash algorithms accepted in CSP hash sources.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Algorithm {
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl From<Algorithm> for HashAlgorithm {
    fn from(a: Algorithm) -> Self {
        match a {
            Algorithm::Sha256 => HashAlgorithm::Sha256,
            Algorithm::Sha384 => HashAlgorithm::Sha384,
            Algorithm::Sha512 => HashAlgorithm::Sha512,
        }
    }
}

/// Arguments of `secure-headers hash`.
#[derive(clap::Args)]
pub(crate) struct HashArgs {
    /// The digest algorithm.
    #[arg(long, value_enum, default_value = "sha256")]
    algorithm: Algorithm,

    /// Files holding the inline script or style text; `-` reads standard input.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<OsString>,
}

fn run_inner(args: &HashArgs) -> Result<(), String> {
    let mut out = io::stdout().lock();
    for file in &args.files {
        let content = input::read_path(file)?;
        let source = Source::hash_of(args.algorithm.into(), &content);
        if let Err(e) = writeln!(out, "{}", source.as_str()) {
            return input::output_error(&e);
        }
    }
    Ok(())
}

/// Runs `hash`.
pub(crate) fn run(args: &HashArgs) -> ExitCode {
    input::finish(run_inner(args))
}
