//! `Strict-Transport-Security` through `hsts::Hsts` (RFC 6797 §6.1).

use hsts::{Hsts, Ignored};
use serde::Serialize;

use super::{Answer, DiagnosticJson};

/// The typed HSTS policy.
#[derive(Serialize)]
pub(crate) struct HstsJson {
    /// `max-age` in seconds, as sent (saturated at `u64::MAX`).
    max_age: u64,
    include_subdomains: bool,
    preload: bool,
    /// `max-age` as Chromium stores it (clamped to one year).
    effective_max_age: u64,
    /// `max-age=0`: the browser forgets the host.
    removal: bool,
}

/// Parses one header value; any syntax error makes browsers ignore the whole header.
pub(crate) fn answer(value: &str) -> Answer<HstsJson> {
    match Hsts::parse_with_diagnostics(value) {
        Ok((policy, ignored)) => Answer::applied(
            HstsJson {
                max_age: policy.max_age().as_secs(),
                include_subdomains: policy.include_subdomains(),
                preload: policy.preload(),
                effective_max_age: policy.effective_max_age().as_secs(),
                removal: policy.is_removal(),
            },
            ignored.iter().map(diagnostic).collect(),
            policy.to_string(),
        ),
        Err(err) => Answer::ignored(&err, None),
    }
}

fn diagnostic(ignored: &Ignored) -> DiagnosticJson {
    match ignored {
        Ignored::UnknownDirective { name, offset } => DiagnosticJson::new(
            ignored,
            format_args!("unknown directive `{name}` at byte {offset} is ignored"),
        )
        .spanning(*offset, name),
        Ignored::PreloadWithValue { offset } => DiagnosticJson::new(
            ignored,
            format_args!("`preload` at byte {offset} has a value, so it does not count as preload"),
        )
        .at_offset(*offset),
        Ignored::RepeatedPreload { offset } => DiagnosticJson::new(
            ignored,
            format_args!("`preload` at byte {offset} repeats an earlier `preload`; send it once"),
        )
        .at_offset(*offset),
        other => DiagnosticJson::new(other, format_args!("{other:?}")),
    }
}
