//! Reading values and files the way every command does: bytes isomorphic-decoded, limits on
//! size, errors as one line.

use std::borrow::Cow;
use std::ffi::OsStr;
use std::io::{self, BufRead, Read};
use std::process::ExitCode;

/// The largest input read from a file or standard input.
pub(crate) const MAX_INPUT_LEN: usize = 16 * 1024 * 1024;

/// Fetch / CSP3 §2.2.1 step 1: byte 0xNN becomes U+00NN.
pub(crate) fn isomorphic_decode(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(ascii) if bytes.is_ascii() => Cow::Borrowed(ascii),
        _ => Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect()),
    }
}

/// The bytes of a command-line value, as the OS passed them.
pub(crate) fn os_bytes(value: &OsStr) -> Vec<u8> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        value.as_bytes().to_vec()
    }
    #[cfg(not(unix))]
    {
        value.to_string_lossy().into_owned().into_bytes()
    }
}

/// Reads all of `input`, refusing more than [`MAX_INPUT_LEN`] bytes.
pub(crate) fn read_all(input: &mut impl Read, what: &str) -> Result<Vec<u8>, String> {
    let mut raw = Vec::new();
    input
        .take(u64::try_from(MAX_INPUT_LEN).unwrap_or(u64::MAX) + 1)
        .read_to_end(&mut raw)
        .map_err(|e| format!("cannot read {what}: {e}"))?;
    if raw.len() > MAX_INPUT_LEN {
        return Err(format!("{what} is larger than {MAX_INPUT_LEN} bytes"));
    }
    Ok(raw)
}

/// Reads a file, or standard input for `-`.
pub(crate) fn read_path(path: &OsStr) -> Result<Vec<u8>, String> {
    if path == "-" {
        return read_all(&mut io::stdin().lock(), "standard input");
    }
    let shown = path.to_string_lossy();
    let mut file = std::fs::File::open(path).map_err(|e| format!("cannot open `{shown}`: {e}"))?;
    read_all(&mut file, &format!("`{shown}`"))
}

/// One line of `input` without its line break and trailing CR; `None` at the end.
pub(crate) fn next_line(input: &mut impl BufRead, line: &mut Vec<u8>) -> Result<bool, String> {
    line.clear();
    let read = input
        .by_ref()
        .take(u64::try_from(MAX_INPUT_LEN).unwrap_or(u64::MAX))
        .read_until(b'\n', line)
        .map_err(|e| format!("cannot read standard input: {e}"))?;
    if read == 0 {
        return Ok(false);
    }
    if line.last() == Some(&b'\n') {
        line.pop();
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(true)
}

/// Prints `message` as one line on stderr and returns the failure status.
pub(crate) fn fail(message: &str) -> ExitCode {
    let one_line: String = message
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    eprintln!("secure-headers: {one_line}");
    ExitCode::FAILURE
}

/// Maps an output error to the exit status: a closed pipe (`| head`) is not a failure.
pub(crate) fn finish(result: Result<(), String>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => fail(&message),
    }
}

/// Turns an output error into a message, or success for a reader that went away.
pub(crate) fn output_error(e: &io::Error) -> Result<(), String> {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Ok(())
    } else {
        Err(format!("cannot write output: {e}"))
    }
}
