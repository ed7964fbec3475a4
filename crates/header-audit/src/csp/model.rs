//! The auditor's read-only view of a parsed policy: for each directive, its name and its source
//! expressions as text (keywords and schemes lowercased, duplicates removed).
//!
//! The view is filled from the policy parser in one place ([`policies_from_header`] and
//! [`single_policy`]); every check reads only this view, so the parser can change without touching
//! a check.

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

/// Lowercases what CSP compares case-insensitively and the CSP Evaluator normalizes: quoted
/// keywords (not nonce or hash values, which are case-sensitive) and bare schemes.
fn normalize_source(token: &str) -> String {
    let lower_prefix = token.get(..8).map(str::to_ascii_lowercase);
    let is_nonce_or_hash = token.starts_with('\'')
        && lower_prefix.as_deref().is_some_and(|p| {
            p.starts_with("'nonce-")
                || p.starts_with("'sha256-")
                || p.starts_with("'sha384-")
                || p.starts_with("'sha512-")
        });
    if is_nonce_or_hash {
        // keep the value exact, lowercase only the prefix
        if let Some((prefix, rest)) = token.split_once('-') {
            return format!("{}-{rest}", prefix.to_ascii_lowercase());
        }
        return token.to_owned();
    }
    if token.starts_with('\'') || is_scheme_source(token) {
        return token.to_ascii_lowercase();
    }
    token.to_owned()
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

/// CSP3 §2.2.1 "parse a serialized CSP", plus the browser rule for forbidden bytes
/// (SPEC_CHECKLIST 1.1 [UA]).
pub(crate) fn single_policy(serialized: &str, disposition: Disposition) -> Option<PolicyView> {
    let mut policy = PolicyView {
        disposition,
        directives: Vec::new(),
        duplicates: Vec::new(),
        dropped_bad_bytes: Vec::new(),
    };
    // "For each token returned by strictly splitting serialized on the U+003B (;) character"
    for token in serialized.split(';') {
        // "Strip leading and trailing ASCII whitespace from token."
        let token = token.trim_matches(is_ascii_ws);
        // "If token is an empty string, or if token is not an ASCII string, continue."
        if token.is_empty() || !token.is_ascii() {
            continue;
        }
        // "Let directive name be the result of collecting a sequence of code points from token
        // which are not ASCII whitespace", ASCII-lowercased.
        let name_end = token.find(is_ascii_ws).unwrap_or(token.len());
        let (name, rest) = token.split_at(name_end);
        let name = name.to_ascii_lowercase();
        // "If policy's directive set contains a directive whose name is directive name, continue."
        if policy.has(&name) || policy.dropped_bad_bytes.contains(&name) {
            if !policy.duplicates.contains(&name) {
                policy.duplicates.push(name);
            }
            continue;
        }
        // Chromium ignores a directive whose value holds a byte outside directive-value.
        if rest
            .chars()
            .any(|c| !(is_ascii_ws(c) || ('\u{21}'..='\u{7e}').contains(&c)) || c == ',')
        {
            policy.dropped_bad_bytes.push(name);
            continue;
        }
        if policy.directives.len() >= MAX_DIRECTIVES {
            break;
        }
        // "Let directive value be the result of splitting token on ASCII whitespace."
        let mut values: Vec<String> = Vec::new();
        for v in rest.split(is_ascii_ws).filter(|v| !v.is_empty()) {
            if values.len() >= MAX_SOURCES {
                break;
            }
            let v = normalize_source(v);
            if !values.contains(&v) {
                values.push(v);
            }
        }
        policy.directives.push(DirectiveView { name, values });
    }
    // "A policy with an empty directive set could not be parsed" and is not added.
    if policy.directives.is_empty() && policy.dropped_bad_bytes.is_empty() {
        return None;
    }
    Some(policy)
}

/// CSP3 §2.2.2 "parse a response's Content Security Policies": every comma-separated item of
/// every header line is its own policy.
pub(crate) fn policies_from_header<'a>(
    lines: impl IntoIterator<Item = &'a str>,
    disposition: Disposition,
) -> Vec<PolicyView> {
    let mut out = Vec::new();
    for line in lines {
        for item in line.split(',') {
            if out.len() >= MAX_POLICIES {
                return out;
            }
            if let Some(p) = single_policy(item, disposition) {
                out.push(p);
            }
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
