//! The auditor's read-only view of a parsed policy: for each directive, its name and its source
//! expressions as text (keywords and schemes lowercased, duplicates removed).
//!
//! The view is filled from csp-builder's parser in one place ([`policies_from_header`],
//! [`single_policy`], [`meta_policy`]); every check reads only this view.

use std::collections::HashSet;

/// Whether a policy is enforced or only reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Disposition {
    /// `Content-Security-Policy` (or a `<meta>` policy).
    Enforce,
    /// `Content-Security-Policy-Report-Only`.
    Report,
}

/// One directive: lowercase name and its source expressions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DirectiveView {
    pub(crate) name: String,
    pub(crate) values: Vec<String>,
}

/// One policy of a policy list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PolicyView {
    pub(crate) disposition: Disposition,
    pub(crate) directives: Vec<DirectiveView>,
    /// Names of directives that appeared again after their first occurrence (ignored).
    pub(crate) duplicates: Vec<String>,
    /// Names of directives a browser drops because their value holds a forbidden byte.
    pub(crate) dropped_bad_bytes: Vec<String>,
    /// Directives a `<meta>` policy ignores (`report-uri`, `frame-ancestors`, `sandbox`).
    pub(crate) meta_ignored: Vec<String>,
}

/// Caps on hostile input: a browser keeps whatever it is sent, but an audit gains nothing from a
/// policy with thousands of directives or sources, so the view keeps the first ones.
const MAX_DIRECTIVES: usize = 256;
const MAX_SOURCES: usize = 1024;
const MAX_POLICIES: usize = 64;

impl PolicyView {
    /// The sources of `name`, when the directive is present.
    pub(crate) fn get(&self, name: &str) -> Option<&[String]> {
        self.directives
            .iter()
            .find(|d| d.name == name)
            .map(|d| d.values.as_slice())
    }

    /// Whether the directive is present.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.directives.iter().any(|d| d.name == name)
    }

    /// Mutable sources of `name`.
    pub(crate) fn get_mut(&mut self, name: &str) -> Option<&mut Vec<String>> {
        self.directives
            .iter_mut()
            .find(|d| d.name == name)
            .map(|d| &mut d.values)
    }

    /// Removes a directive.
    pub(crate) fn remove(&mut self, name: &str) {
        self.directives.retain(|d| d.name != name);
    }

    /// Serializes the view back to a policy string.
    pub(crate) fn serialize(&self) -> String {
        let mut out = String::new();
        for d in &self.directives {
            if !out.is_empty() {
                out.push_str("; ");
            }
            out.push_str(&d.name);
            for v in &d.values {
                out.push(' ');
                out.push_str(v);
            }
        }
        out
    }
}

/// CSP3 §2.2.1: ASCII whitespace is TAB, LF, FF, CR and SPACE (not VT, not NBSP).
pub(crate) const fn is_ascii_ws(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\u{c}' | '\r' | ' ')
}

/// `scheme-source = scheme-part ":"` with `scheme-part = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`.
pub(crate) fn is_scheme_source(token: &str) -> bool {
    let Some(scheme) = token.strip_suffix(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

fn csp_disposition(d: Disposition) -> csp_builder::Disposition {
    match d {
        Disposition::Enforce => csp_builder::Disposition::Enforce,
        Disposition::Report => csp_builder::Disposition::Report,
    }
}

/// The view of one policy parsed by csp-builder (canonical text: keywords, schemes and
/// nonce/hash prefixes lowercased; invalid sources kept as written). Sources are
/// deduplicated, as the CSP Evaluator does (the spec calls the value a set).
fn view_of(policy: &csp_builder::Policy, disposition: Disposition) -> PolicyView {
    let directives = policy
        .directives()
        .take(MAX_DIRECTIVES)
        .map(|d| {
            let mut values: Vec<String> = Vec::new();
            // Hashed: up to MAX_SOURCES per directive would be quadratic with a linear search.
            let mut seen = HashSet::new();
            for s in d.sources().take(MAX_SOURCES) {
                let s = s.as_str();
                if seen.insert(s) {
                    values.push(s.to_owned());
                }
            }
            DirectiveView {
                name: d.name().to_ascii_lowercase(),
                values,
            }
        })
        .collect();
    PolicyView {
        disposition,
        directives,
        duplicates: Vec::new(),
        dropped_bad_bytes: Vec::new(),
        meta_ignored: Vec::new(),
    }
}

/// Directive name at the start of a diagnostic's span.
fn name_at(text: &str, span: std::ops::Range<usize>) -> Option<String> {
    let t = text.get(span)?.trim_start_matches(is_ascii_ws);
    let name = t.split(is_ascii_ws).next()?;
    (!name.is_empty()).then(|| name.to_ascii_lowercase())
}

fn record(view: &mut PolicyView, d: &csp_builder::Diagnostic, text: &str) {
    let list = match d.kind() {
        csp_builder::DiagnosticKind::DuplicateDirective => &mut view.duplicates,
        csp_builder::DiagnosticKind::InvalidValueBytes => &mut view.dropped_bad_bytes,
        csp_builder::DiagnosticKind::MetaIgnored => &mut view.meta_ignored,
        _ => return,
    };
    let name = d
        .directive()
        .map(|n| n.as_str().to_owned())
        .or_else(|| name_at(text, d.span()));
    if let Some(name) = name
        && !list.contains(&name)
    {
        list.push(name);
    }
}

/// CSP3 §2.2.1 "parse a serialized CSP" for one policy (csp-builder `Policy::parse`).
#[cfg(test)]
pub(crate) fn single_policy(serialized: &str, disposition: Disposition) -> Option<PolicyView> {
    let parsed = csp_builder::Policy::parse(serialized);
    let policy = parsed.value.as_ref()?;
    let mut view = view_of(policy, disposition);
    for d in &parsed.diagnostics {
        record(&mut view, d, serialized);
    }
    Some(view)
}

/// A `<meta http-equiv=Content-Security-Policy>` policy (csp-builder `Policy::parse_meta`).
pub(crate) fn meta_policy(content: &str) -> Option<PolicyView> {
    let parsed = csp_builder::Policy::parse_meta(content);
    let policy = parsed.value.as_ref()?;
    let mut view = view_of(policy, Disposition::Enforce);
    for d in &parsed.diagnostics {
        record(&mut view, d, content);
    }
    Some(view)
}

/// CSP3 §2.2.2 "parse a response's Content Security Policies": every comma-separated item of
/// every header line is its own policy (csp-builder `PolicyList`).
pub(crate) fn policies_from_header<'a>(
    lines: impl IntoIterator<Item = &'a str>,
    disposition: Disposition,
) -> Vec<PolicyView> {
    let mut out = Vec::new();
    for line in lines {
        let parsed =
            csp_builder::PolicyList::parse_with_disposition(line, csp_disposition(disposition));
        // Diagnostics index policies counting dropped (empty) ones; map them to the survivors.
        let mut dropped: Vec<usize> = parsed
            .diagnostics
            .iter()
            .filter(|d| d.kind() == csp_builder::DiagnosticKind::EmptyPolicy)
            .map(csp_builder::Diagnostic::policy_index)
            .collect();
        // Walked in ascending order alongside the policies: a search per policy would be
        // quadratic in a value of many empty policies (`,,,,…`).
        dropped.sort_unstable();
        let mut dropped = dropped.into_iter().peekable();
        let mut index = 0usize;
        for policy in parsed.value.policies() {
            while let Some(d) = dropped.next_if(|&d| d <= index) {
                if d == index {
                    index += 1;
                }
            }
            if out.len() >= MAX_POLICIES {
                return out;
            }
            let mut view = view_of(policy, disposition);
            for d in parsed
                .diagnostics
                .iter()
                .filter(|d| d.policy_index() == index)
            {
                record(&mut view, d, line);
            }
            out.push(view);
            index += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_duplicate_wins_and_is_recorded() {
        let p = single_policy("script-src a; SCRIPT-SRC b", Disposition::Enforce).unwrap();
        assert_eq!(p.get("script-src"), Some(&["a".to_owned()][..]));
        assert_eq!(p.duplicates, vec!["script-src".to_owned()]);
    }

    #[test]
    fn non_ascii_token_is_skipped() {
        assert!(single_policy("img-src\u{a0}'none'", Disposition::Enforce).is_none());
    }

    #[test]
    fn keywords_and_schemes_lowercased_nonce_kept() {
        let p = single_policy(
            "script-src 'SELF' HTTPS: 'NONCE-AbC' Ex.com/P",
            Disposition::Enforce,
        )
        .unwrap();
        assert_eq!(
            p.get("script-src").unwrap(),
            &["'self'", "https:", "'nonce-AbC'", "Ex.com/P"]
        );
    }

    #[test]
    fn repeated_sources_are_kept_once_in_first_order() {
        let p =
            single_policy("script-src b a 'SELF' b c 'self' a B", Disposition::Enforce).unwrap();
        // Hosts keep their case (`B` is another text than `b`); keywords are lowercased first.
        assert_eq!(
            p.get("script-src").unwrap(),
            &["b", "a", "'self'", "c", "B"]
        );
    }

    #[test]
    fn diagnostics_stay_with_their_policy_past_empty_policies() {
        let many = ",".repeat(10_000);
        let lines = [
            format!(",,img-src a, ,script-src a; script-src b,, style-src c; style-src d{many}"),
            format!("{many}font-src e; font-src f"),
        ];
        let ps = policies_from_header(lines.iter().map(String::as_str), Disposition::Enforce);
        let dups: Vec<&[String]> = ps.iter().map(|p| p.duplicates.as_slice()).collect();
        assert_eq!(
            dups,
            [
                &[][..],
                &["script-src".to_owned()][..],
                &["style-src".to_owned()][..],
                &["font-src".to_owned()][..]
            ]
        );
    }

    #[test]
    fn comma_separates_policies() {
        let ps = policies_from_header(["a-src x, b-src y", "c-src z"], Disposition::Enforce);
        assert_eq!(ps.len(), 3);
    }

    #[test]
    fn forbidden_byte_drops_directive() {
        let p = single_policy(
            "frame-ancestors 'none'\u{1}; img-src x",
            Disposition::Enforce,
        )
        .unwrap();
        assert!(!p.has("frame-ancestors"));
        assert_eq!(p.dropped_bad_bytes, vec!["frame-ancestors".to_owned()]);
    }
}
