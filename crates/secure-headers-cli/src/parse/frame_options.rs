//! `X-Frame-Options` through `frame_options::process_lines` (HTML "check a navigation
//! response's adherence to `X-Frame-Options`").

use frame_options::{Disposition, FrameOptionsDiagnostic};
use serde::Serialize;

use super::{Answer, DiagnosticJson};

/// What the header makes a browser do in a frame.
#[derive(Serialize)]
pub(crate) struct FrameOptionsJson {
    /// `deny`, `sameorigin` or `no-restriction`.
    disposition: &'static str,
}

#[derive(Debug)]
struct NoRestriction(Option<String>);

impl std::fmt::Display for NoRestriction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("X-Frame-Options does not restrict framing")?;
        match &self.0 {
            Some(reason) => write!(f, ": {reason}"),
            None => Ok(()),
        }
    }
}

/// Processes one header line as a browser does; `ok` when it restricts framing.
pub(crate) fn answer(raw: &[u8]) -> Answer<FrameOptionsJson> {
    let report = frame_options::process_lines([raw]);
    let disposition = report.disposition();
    let diagnostics: Vec<DiagnosticJson> = report.diagnostics().iter().map(diagnostic).collect();
    let value = FrameOptionsJson {
        disposition: match disposition {
            Disposition::Deny => "deny",
            Disposition::SameOrigin => "sameorigin",
            Disposition::NoRestriction => "no-restriction",
        },
    };
    match disposition.frame_options() {
        Some(canonical) => Answer::applied(value, diagnostics, canonical.to_string()),
        None => {
            let reason = report.diagnostics().first().map(ToString::to_string);
            Answer::ignored(&NoRestriction(reason), Some(value)).with_diagnostics(diagnostics)
        }
    }
}

fn diagnostic(d: &FrameOptionsDiagnostic) -> DiagnosticJson {
    let json = DiagnosticJson::new(d, d);
    match d {
        FrameOptionsDiagnostic::ObsoleteAllowFrom { index, .. }
        | FrameOptionsDiagnostic::NonStandardAllowAll { index }
        | FrameOptionsDiagnostic::QuotedValue { index, .. }
        | FrameOptionsDiagnostic::EmptyValue { index }
        | FrameOptionsDiagnostic::InvalidValue { index, .. }
        | FrameOptionsDiagnostic::DuplicateValue { index, .. } => json.at_index(*index),
        _ => json,
    }
}
