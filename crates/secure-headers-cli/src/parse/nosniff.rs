//! `X-Content-Type-Options` through `nosniff::process_lines` (Fetch "determine nosniff").

use nosniff::NoSniffDiagnostic;
use serde::Serialize;

use super::{Answer, DiagnosticJson};

/// Whether the browser applies nosniff.
#[derive(Serialize)]
pub(crate) struct NoSniffJson {
    nosniff: bool,
}

#[derive(Debug)]
struct NosniffOff(Option<String>);

impl std::fmt::Display for NosniffOff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Some(reason) => f.write_str(reason),
            None => f.write_str("nosniff is off"),
        }
    }
}

/// Processes one header line; `ok` when nosniff applies (its first member is `nosniff`).
pub(crate) fn answer(raw: &[u8]) -> Answer<NoSniffJson> {
    let report = nosniff::process_lines([raw]);
    let diagnostics: Vec<DiagnosticJson> = report.diagnostics().iter().map(diagnostic).collect();
    let value = NoSniffJson {
        nosniff: report.is_nosniff(),
    };
    match report.value() {
        Some(on) => Answer::applied(value, diagnostics, on.to_string()),
        None => {
            let reason = report.diagnostics().first().map(ToString::to_string);
            Answer::ignored(&NosniffOff(reason), Some(value)).with_diagnostics(diagnostics)
        }
    }
}

fn diagnostic(d: &NoSniffDiagnostic) -> DiagnosticJson {
    let json = DiagnosticJson::new(d, d);
    match d {
        NoSniffDiagnostic::NoSniffNotFirst { index }
        | NoSniffDiagnostic::RepeatedNoSniff { index }
        | NoSniffDiagnostic::IgnoredValue { index, .. } => json.at_index(*index),
        NoSniffDiagnostic::EmptyFirstValue
        | NoSniffDiagnostic::QuotedFirstValue { .. }
        | NoSniffDiagnostic::UnrecognizedFirstValue { .. } => json.at_index(0),
        _ => json,
    }
}
