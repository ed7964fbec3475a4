//! `Content-Security-Policy` and `-Report-Only` through `csp_builder::PolicyList`.

use csp_builder::{Disposition, PolicyList, SourceKind, SourceRef};
use serde::Serialize;

use super::DiagnosticJson;

/// The CSP answer: every policy of the list with its directives and classified sources.
#[derive(Serialize)]
pub(crate) struct CspAnswer {
    /// A CSP header is always applied (what a browser cannot use is dropped and reported in
    /// `diagnostics`); false only when the value was not parsed at all.
    ok: bool,
    policies: Vec<PolicyJson>,
    diagnostics: Vec<DiagnosticJson>,
    /// The canonical list, policies joined with `, `.
    serialized: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

#[derive(Serialize)]
struct PolicyJson {
    disposition: &'static str,
    directives: Vec<DirectiveJson>,
    serialized: String,
}

#[derive(Serialize)]
struct DirectiveJson {
    /// Lowercased (CSP3 §2.2.1 step 3.4).
    name: String,
    /// Whether the directive is one the parser knows (unknown ones have no effect).
    known: bool,
    sources: Vec<SourceJson>,
}

#[derive(Serialize)]
struct SourceJson {
    kind: &'static str,
    text: String,
}

impl CspAnswer {
    /// The answer for a value that was not parsed.
    pub(crate) fn unparsed(reason: &(impl std::fmt::Display + std::fmt::Debug)) -> Self {
        CspAnswer {
            ok: false,
            policies: Vec::new(),
            diagnostics: Vec::new(),
            serialized: String::new(),
            error: Some(reason.to_string()),
        }
    }
}

/// Parses one header value (bytes, isomorphic-decoded by the parser: CSP3 §2.2.1 step 1).
pub(crate) fn answer(raw: &[u8], report_only: bool) -> CspAnswer {
    let disposition = if report_only {
        Disposition::Report
    } else {
        Disposition::Enforce
    };
    let parsed = PolicyList::parse_bytes(raw, disposition);
    let policies = parsed
        .value
        .policies()
        .iter()
        .map(|policy| PolicyJson {
            disposition: match policy.disposition() {
                Disposition::Report => "report",
                _ => "enforce",
            },
            directives: policy
                .directives()
                .map(|d| DirectiveJson {
                    name: d.name().to_owned(),
                    known: d.known().is_some(),
                    sources: d.sources().map(|s| source_json(&s)).collect(),
                })
                .collect(),
            serialized: policy.to_string(),
        })
        .collect();
    let diagnostics = parsed
        .diagnostics
        .iter()
        .map(|d| {
            let span = d.span();
            let mut json =
                DiagnosticJson::new(&d.kind(), d.message()).at(raw, span.start, span.end);
            json.policy_index = Some(d.policy_index());
            json.directive = d.directive().map(|name| name.to_string());
            json
        })
        .collect();
    CspAnswer {
        ok: true,
        policies,
        diagnostics,
        serialized: parsed.value.to_string(),
        error: None,
    }
}

/// CSP3 §2.3.1 source-expression classes, as the contract names them.
fn source_json(source: &SourceRef<'_>) -> SourceJson {
    let kind = match source.kind() {
        SourceKind::None => "none",
        SourceKind::Keyword(_) => "keyword",
        SourceKind::Nonce => "nonce",
        SourceKind::Hash(_) => "hash",
        SourceKind::Scheme => "scheme",
        SourceKind::Host => "host",
        _ => "other",
    };
    SourceJson {
        kind,
        text: source.as_str().to_owned(),
    }
}
