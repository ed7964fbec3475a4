//! The parser: CSP3 §2.2.1 "parse a serialized CSP" and §2.2.2 header splitting, plus the
//! browser rule for invalid bytes, with diagnostics for everything that was ignored.

use std::fmt;
use std::ops::Range;

use crate::grammar::{self, is_ascii_ws};
use crate::model::{DirectiveName, Disposition, Keyword, PolicySource, SandboxFlag, SourceKind};
use crate::policy::{DirectiveEntry, Policies, Policy, PolicyList, ValueEntry};

/// Header values longer than this many bytes are not parsed (a [`DiagnosticKind::InputTooLong`]
/// diagnostic is returned instead). Browsers cap a whole response header block at a few
/// hundred KiB (Chromium: 256 KiB), so no real policy comes near it.
///
/// ```
/// use csp_builder::{DiagnosticKind, MAX_INPUT_LEN, PolicyList};
///
/// let policy = "img-src 'self'";
/// // Padded with whitespace (which the parser strips) to exactly the limit: parsed.
/// let at_limit = format!("{policy}{}", " ".repeat(MAX_INPUT_LEN - policy.len()));
/// let parsed = PolicyList::parse(&at_limit);
/// assert_eq!(parsed.value.to_string(), policy);
/// assert!(parsed.diagnostics.is_empty());
/// // One byte more: nothing is parsed, and the diagnostic says why.
/// let parsed = PolicyList::parse(&format!("{at_limit} "));
/// assert!(parsed.value.is_empty());
/// assert_eq!(parsed.diagnostics[0].kind(), DiagnosticKind::InputTooLong);
/// ```
pub const MAX_INPUT_LEN: usize = 256 * 1024;
/// At most this many policies are kept from one header value; from the first policy past it
/// on, the rest of the value is ignored with a [`DiagnosticKind::TooManyPolicies`] diagnostic.
/// Empty comma-separated items are not policies (CSP3 §2.2.2) and do not count.
///
/// ```
/// use csp_builder::{DiagnosticKind, MAX_POLICIES, PolicyList};
///
/// let at_limit = vec!["img-src 'self'"; MAX_POLICIES].join(", ");
/// let parsed = PolicyList::parse(&at_limit);
/// assert_eq!((parsed.value.len(), parsed.diagnostics.len()), (MAX_POLICIES, 0));
/// // One policy more: it is ignored.
/// let parsed = PolicyList::parse(&format!("{at_limit}, script-src 'none'"));
/// assert_eq!(parsed.value.len(), MAX_POLICIES);
/// assert!(!parsed.value.to_string().contains("script-src"));
/// assert_eq!(parsed.diagnostics[0].kind(), DiagnosticKind::TooManyPolicies);
/// ```
pub const MAX_POLICIES: usize = 64;
/// At most this many directives are kept per policy; later ones are ignored with a
/// [`DiagnosticKind::TooManyDirectives`] diagnostic.
///
/// ```
/// use csp_builder::{BuildError, DiagnosticKind, MAX_DIRECTIVES_PER_POLICY, Policy};
///
/// // One more distinct directive than the limit (unknown names: kept, but inert).
/// let names: Vec<String> = (0..=MAX_DIRECTIVES_PER_POLICY).map(|i| format!("x-{i}")).collect();
/// let parsed = Policy::parse(&names.join("; "));
/// let policy = parsed.value.as_ref();
/// assert_eq!(policy.map(Policy::len), Some(MAX_DIRECTIVES_PER_POLICY));
/// let dropped = format!("x-{MAX_DIRECTIVES_PER_POLICY}");
/// assert!(policy.and_then(|p| p.get(&dropped)).is_none());
/// let last = parsed.diagnostics.last().map(|d| d.kind());
/// assert_eq!(last, Some(DiagnosticKind::TooManyDirectives));
/// // The builder refuses to build such a policy.
/// let builder = names.iter().fold(Policy::builder(), |b, name| b.unknown(name, ["a"]));
/// let max = MAX_DIRECTIVES_PER_POLICY;
/// assert_eq!(builder.build(), Err(BuildError::TooManyDirectives { max }));
/// ```
pub const MAX_DIRECTIVES_PER_POLICY: usize = 256;
/// At most this many values (source expressions) are kept per policy; the directive that
/// would exceed it is ignored as a whole with a [`DiagnosticKind::TooManyValues`] diagnostic
/// (dropping only part of a source list would change its meaning).
///
/// ```
/// use csp_builder::{DiagnosticKind, DirectiveName, MAX_VALUES_PER_POLICY, Policy};
///
/// // img-src fills the policy's value table; script-src would exceed it and is dropped whole.
/// let hosts = " a.example".repeat(MAX_VALUES_PER_POLICY);
/// let parsed = Policy::parse(&format!("img-src{hosts}; script-src 'self'"));
/// let policy = parsed.value.as_ref();
/// let img_src = policy.and_then(|p| p.directive(DirectiveName::ImgSrc));
/// assert_eq!(img_src.map(|d| d.len()), Some(MAX_VALUES_PER_POLICY));
/// assert!(policy.and_then(|p| p.directive(DirectiveName::ScriptSrc)).is_none());
/// assert_eq!(parsed.diagnostics[0].kind(), DiagnosticKind::TooManyValues);
/// ```
pub const MAX_VALUES_PER_POLICY: usize = 8192;

/// What a [`Diagnostic`] is about.
///
/// ```
/// use csp_builder::{DiagnosticKind, PolicyList};
/// let parsed = PolicyList::parse("script-src a; script-src b");
/// assert_eq!(parsed.diagnostics[0].kind(), DiagnosticKind::DuplicateDirective);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DiagnosticKind {
    /// A directive whose name was already seen in the policy was ignored (CSP3 §2.2.1 step 5:
    /// the first one wins).
    DuplicateDirective,
    /// A `;`-separated token holding a non-ASCII code point was skipped (CSP3 §2.2.1 step 3.2).
    NonAsciiTokenSkipped,
    /// A directive holding a control character, DEL or `,` was ignored as a whole (browser
    /// practice: Chromium, WPT `content-security-policy/parsing/invalid-bytes.html`).
    InvalidValueBytes,
    /// The directive name is not one this crate knows; it is kept but has no effect.
    UnknownDirective,
    /// The directive is deprecated (`block-all-mixed-content`, `report-uri`).
    DeprecatedDirective,
    /// A value of a source-list directive matches no source-expression production; kept as
    /// written, browsers ignore it.
    InvalidSource,
    /// A valid source expression that the directive does not accept (`frame-ancestors` takes
    /// only schemes, hosts and `'self'`).
    SourceNotAllowed,
    /// A value of a directive with its own grammar (sandbox, webrtc, report-to, trusted types,
    /// upgrade-insecure-requests, …) does not match it.
    InvalidDirectiveValue,
    /// `'none'` appears together with other sources, so it has no effect (CSP3 §2.3.1).
    NoneWithOtherSources,
    /// A policy had no directives and was dropped (CSP3 §2.2.2 step 2.2).
    EmptyPolicy,
    /// A directive that a `<meta>` policy ignores (`report-uri`, `frame-ancestors`, `sandbox`).
    MetaIgnored,
    /// More than [`MAX_POLICIES`] policies in one header value.
    TooManyPolicies,
    /// More than [`MAX_DIRECTIVES_PER_POLICY`] directives in one policy.
    TooManyDirectives,
    /// More than [`MAX_VALUES_PER_POLICY`] values in one policy.
    TooManyValues,
    /// The input is longer than [`MAX_INPUT_LEN`] bytes and was not parsed.
    InputTooLong,
}

impl DiagnosticKind {
    /// A short, fixed description.
    ///
    /// ```
    /// use csp_builder::DiagnosticKind;
    /// assert!(DiagnosticKind::EmptyPolicy.message().contains("empty"));
    /// ```
    #[must_use]
    pub const fn message(self) -> &'static str {
        match self {
            DiagnosticKind::DuplicateDirective => {
                "duplicate directive ignored (the first one wins)"
            }
            DiagnosticKind::NonAsciiTokenSkipped => "directive with a non-ASCII character skipped",
            DiagnosticKind::InvalidValueBytes => {
                "directive with a control character, DEL or ',' ignored"
            }
            DiagnosticKind::UnknownDirective => "unknown directive (kept, has no effect)",
            DiagnosticKind::DeprecatedDirective => "deprecated directive",
            DiagnosticKind::InvalidSource => "invalid source expression (ignored by browsers)",
            DiagnosticKind::SourceNotAllowed => "source expression not allowed in this directive",
            DiagnosticKind::InvalidDirectiveValue => "invalid value for this directive",
            DiagnosticKind::NoneWithOtherSources => {
                "'none' together with other sources has no effect"
            }
            DiagnosticKind::EmptyPolicy => "empty policy dropped",
            DiagnosticKind::MetaIgnored => "directive ignored in a <meta> policy",
            DiagnosticKind::TooManyPolicies => "too many policies; the rest were ignored",
            DiagnosticKind::TooManyDirectives => "too many directives; the rest were ignored",
            DiagnosticKind::TooManyValues => "too many values in the policy; directive ignored",
            DiagnosticKind::InputTooLong => "header value too long; not parsed",
        }
    }

    /// Whether the diagnostic means part of the input was dropped or has no effect (as opposed
    /// to a remark about a directive that is kept, like unknown or deprecated).
    ///
    /// ```
    /// use csp_builder::DiagnosticKind;
    /// assert!(DiagnosticKind::InvalidSource.is_error());
    /// assert!(!DiagnosticKind::UnknownDirective.is_error());
    /// ```
    #[must_use]
    pub const fn is_error(self) -> bool {
        !matches!(
            self,
            DiagnosticKind::UnknownDirective | DiagnosticKind::DeprecatedDirective
        )
    }
}

/// Something the parser ignored or wants to point out, with the byte range of the input it is
/// about. Never allocates: the message is fixed per kind and the span points into the input.
///
/// ```
/// use csp_builder::{DiagnosticKind, PolicyList};
/// let input = "img-src 'self' 'bogus'";
/// let parsed = PolicyList::parse(input);
/// let d = &parsed.diagnostics[0];
/// assert_eq!(d.kind(), DiagnosticKind::InvalidSource);
/// assert_eq!(&input[d.span()], "'bogus'");
/// assert_eq!(d.directive(), Some(csp_builder::DirectiveName::ImgSrc));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    kind: DiagnosticKind,
    start: u32,
    end: u32,
    policy: u32,
    directive: Option<DirectiveName>,
}

impl Diagnostic {
    /// What it is about.
    ///
    /// ```
    /// use csp_builder::{DiagnosticKind, PolicyList};
    /// assert_eq!(PolicyList::parse("foo-src a").diagnostics[0].kind(), DiagnosticKind::UnknownDirective);
    /// ```
    #[must_use]
    pub fn kind(&self) -> DiagnosticKind {
        self.kind
    }

    /// Byte range of the input concerned.
    ///
    /// ```
    /// use csp_builder::PolicyList;
    /// let d = &PolicyList::parse("a x; a y").diagnostics;
    /// assert_eq!(d.last().map(|d| d.span()), Some(5..8));
    /// ```
    #[must_use]
    pub fn span(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Index of the comma-separated policy (in input order, counting dropped ones).
    ///
    /// ```
    /// use csp_builder::PolicyList;
    /// let parsed = PolicyList::parse("img-src a, foo-src b");
    /// assert_eq!(parsed.diagnostics[0].policy_index(), 1);
    /// ```
    #[must_use]
    pub fn policy_index(&self) -> usize {
        self.policy as usize
    }

    /// The known directive concerned, if any.
    ///
    /// ```
    /// use csp_builder::{DirectiveName, PolicyList};
    /// let parsed = PolicyList::parse("script-src 'self' 'none'");
    /// assert_eq!(parsed.diagnostics[0].directive(), Some(DirectiveName::ScriptSrc));
    /// ```
    #[must_use]
    pub fn directive(&self) -> Option<DirectiveName> {
        self.directive
    }

    /// The fixed description of the kind.
    ///
    /// ```
    /// use csp_builder::PolicyList;
    /// assert!(PolicyList::parse(",").diagnostics[0].message().contains("empty"));
    /// ```
    #[must_use]
    pub fn message(&self) -> &'static str {
        self.kind.message()
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (bytes {}..{}",
            self.kind.message(),
            self.start,
            self.end
        )?;
        if let Some(d) = self.directive {
            write!(f, ", {d}")?;
        }
        f.write_str(")")
    }
}

/// The result of a parse: what a browser would use, plus what it ignored.
///
/// ```
/// use csp_builder::PolicyList;
/// let parsed = PolicyList::parse("default-src 'self'");
/// assert_eq!(parsed.value.len(), 1);
/// assert!(parsed.diagnostics.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed<T> {
    /// The parsed value.
    pub value: T,
    /// Everything ignored or noteworthy, in input order.
    pub diagnostics: Vec<Diagnostic>,
}

impl<T> Parsed<T> {
    /// Whether any diagnostic reports dropped or ineffective input
    /// ([`DiagnosticKind::is_error`]).
    ///
    /// ```
    /// use csp_builder::PolicyList;
    /// assert!(PolicyList::parse("img-src 'bogus'").has_errors());
    /// assert!(!PolicyList::parse("img-src 'self'").has_errors());
    /// ```
    #[must_use]
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.kind.is_error())
    }
}

/// Collects diagnostics with offsets relative to the caller's whole input.
pub(crate) struct Sink<'a> {
    pub(crate) diagnostics: &'a mut Vec<Diagnostic>,
    pub(crate) base: usize,
    pub(crate) policy: u32,
}

impl Sink<'_> {
    fn push(
        &mut self,
        kind: DiagnosticKind,
        range: Range<usize>,
        directive: Option<DirectiveName>,
    ) {
        let start = u32::try_from(self.base + range.start).unwrap_or(u32::MAX);
        let end = u32::try_from(self.base + range.end).unwrap_or(u32::MAX);
        self.diagnostics.push(Diagnostic {
            kind,
            start,
            end,
            policy: self.policy,
            directive,
        });
    }
}

/// Trims ASCII whitespace from both ends; returns the trimmed range within `bytes`.
#[inline]
fn trim_ws(bytes: &[u8], mut start: usize, mut end: usize) -> (usize, usize) {
    while start < end && bytes.get(start).is_some_and(|&b| is_ascii_ws(b)) {
        start += 1;
    }
    while end > start && bytes.get(end - 1).is_some_and(|&b| is_ascii_ws(b)) {
        end -= 1;
    }
    (start, end)
}

#[inline]
fn to_u32(n: usize) -> u32 {
    // Inputs are capped at MAX_INPUT_LEN, so every offset fits.
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The text of an ASCII token at `start..end` of the input: a slice of the caller's `&str`
/// when there is one (no second UTF-8 check), otherwise checked here (ASCII always passes;
/// only tokens that passed the ASCII scan get here).
#[inline]
fn ascii_text<'a>(
    input: &'a [u8],
    input_text: Option<&'a str>,
    start: usize,
    end: usize,
) -> &'a str {
    match input_text {
        Some(t) => t.get(start..end).unwrap_or_default(),
        None => std::str::from_utf8(input.get(start..end).unwrap_or_default()).unwrap_or_default(),
    }
}

/// CSP3 §2.2.1 "parse a serialized CSP" over an isomorphic-decoded byte sequence: byte 0xNN is
/// code point U+00NN, so every byte ≥ 0x80 is a non-ASCII code point and UTF-8 input behaves
/// the same as its bytes.
///
/// The policy's text buffer is written in canonical form as the directives are accepted, so
/// serializing a parsed policy is a copy. `input_text`, when given, is `input` as the caller's
/// `&str`; the canonical text is then built from its slices without checking UTF-8 again.
/// `comma_free` says the caller already knows `input` holds no `,` (an item of a comma-split
/// list), so it is not searched for one again.
pub(crate) fn parse_serialized_csp(
    input: &[u8],
    input_text: Option<&str>,
    comma_free: bool,
    source: PolicySource,
    disposition: Disposition,
    sink: &mut Sink<'_>,
) -> Option<Policy> {
    // Buffers sized once. The canonical text is at most the input plus one byte per ";"
    // (each "; " stands for at least one ";"); directives in real policies are far longer
    // than 16 bytes, so an eighth more covers the "a;b" spelling. Real values average about
    // 20 bytes with their separator and directives about 165 (corpus: 375 values of 872 bytes,
    // 44 values and 5.3 directives on average); the tables are sized for 12 and 64 bytes plus
    // a few entries, which holds the corpus without growing except for two values (one grows
    // its value table, another its directive table), and grow only for unusually dense lists.
    // A parsed policy keeps these tables, so they are not sized for the worst case (8-byte
    // values and 32-byte directives held 30 % more memory over the corpus).
    let mut text = String::with_capacity(input.len() + input.len() / 8 + 8);
    let mut directives: Vec<DirectiveEntry> =
        Vec::with_capacity((input.len() / 64 + 4).min(MAX_DIRECTIVES_PER_POLICY));
    let mut values: Vec<ValueEntry> =
        Vec::with_capacity((input.len() / 12 + 4).min(MAX_VALUES_PER_POLICY));
    let mut seen_known: u32 = 0;
    // Items of a comma-split list hold no ",", so their tokens need no search for one.
    let commas = !comma_free && memchr::memchr(b',', input).is_some();

    // Step 3: for each token returned by strictly splitting serialized on ";".
    let mut token_start = 0usize;
    let len = input.len();
    while token_start <= len {
        let rest = input.get(token_start..).unwrap_or_default();
        let found = if commas {
            grammar::split_directive::<true>(rest)
        } else {
            grammar::split_directive::<false>(rest)
        };
        let token_end = token_start + found.end;
        let next = token_end + 1;
        // Step 3.1: strip leading and trailing ASCII whitespace.
        let (start, end) = trim_ws(input, token_start, token_end);
        token_start = next;
        let token = input.get(start..end).unwrap_or_default();
        // Step 3.2: if token is empty, or not an ASCII string, continue.
        if token.is_empty() {
            continue;
        }
        let scan = grammar::token_scan(token, found);
        if scan.non_ascii {
            sink.push(DiagnosticKind::NonAsciiTokenSkipped, start..end, None);
            continue;
        }
        // [UA] Chromium ignores a directive holding a character outside `directive-value`
        // (controls, DEL, ","); WPT content-security-policy/parsing/invalid-bytes.html.
        if scan.invalid {
            sink.push(DiagnosticKind::InvalidValueBytes, start..end, None);
            continue;
        }
        if directives.len() >= MAX_DIRECTIVES_PER_POLICY {
            sink.push(DiagnosticKind::TooManyDirectives, start..end, None);
            continue;
        }
        // Step 3.3: directive name = the leading run of non-whitespace code points.
        // A token whose only whitespace is spaces is copied in one go and its values are
        // classified in place; it is canonical once its name is lowercased, unless two spaces
        // follow each other, in which case the copy is cut there (see below).
        let mut in_place = !scan.other_ws;
        let name_len = if in_place {
            grammar::find_space(token)
        } else {
            token.iter().position(|&b| is_ascii_ws(b))
        }
        .unwrap_or(token.len());
        let token_text = ascii_text(input, input_text, start, end);
        let rollback = text.len();
        if !text.is_empty() {
            text.push_str("; ");
        }
        let name_start = text.len();
        text.push_str(if in_place {
            token_text
        } else {
            token_text.get(..name_len).unwrap_or_default()
        });
        // Step 3.4: ASCII lowercase the name. Names are nearly always written in lowercase,
        // so the lookup tries them as they are and lowercases only a name with an uppercase
        // letter.
        let name = token.get(..name_len).unwrap_or_default();
        let mut known = DirectiveName::from_lowercase(name);
        if known.is_none() && name.iter().any(u8::is_ascii_uppercase) {
            if let Some(name_lower) = text.get_mut(name_start..name_start + name_len) {
                name_lower.make_ascii_lowercase();
            }
            known = DirectiveName::from_lowercase(
                text.as_bytes()
                    .get(name_start..name_start + name_len)
                    .unwrap_or_default(),
            );
        }
        // Step 3.5: if the directive set already contains this name, continue (first wins).
        let duplicate = match known {
            Some(k) => seen_known & k.bit() != 0,
            None => {
                let name_now = text
                    .get(name_start..name_start + name_len)
                    .unwrap_or_default();
                directives.iter().any(|d| {
                    d.name.is_none()
                        && text.get(d.name_start as usize..d.name_end as usize) == Some(name_now)
                })
            }
        };
        if duplicate {
            text.truncate(rollback);
            sink.push(DiagnosticKind::DuplicateDirective, start..end, known);
            continue;
        }
        if let Some(k) = known {
            seen_known |= k.bit();
            // CSP3 §6.2.2, §6.3.2, §6.4.1: sandbox, frame-ancestors and report-uri are
            // ignored in a policy delivered via <meta>.
            if source == PolicySource::Meta && k.is_ignored_in_meta() {
                text.truncate(rollback);
                sink.push(DiagnosticKind::MetaIgnored, start..end, known);
                continue;
            }
            if k.is_deprecated() {
                sink.push(
                    DiagnosticKind::DeprecatedDirective,
                    start..start + name_len,
                    known,
                );
            }
        } else {
            sink.push(
                DiagnosticKind::UnknownDirective,
                start..start + name_len,
                None,
            );
        }
        let name_end = name_start + name_len;

        // Step 3.6: directive value = the rest of the token split on ASCII whitespace.
        let values_start = values.len();
        let value_count_before = values.len();
        let mut has_none = false;
        let mut i = name_len;
        let mut over_cap = false;
        let takes_sources = known.is_some_and(DirectiveName::takes_source_list);
        // The common shape first: a source list whose values are separated by spaces, so they
        // sit in the in-place copy and the classifier finds each value's end. At two spaces
        // in a row the copy is cut after the first one and the rest of the token is copied in
        // place again from the next value on.
        if in_place && takes_sources {
            // Text offset of token offset 0 for the current in-place run (it is below
            // `name_start` after a cut, so the offsets wrap; every sum lands in the text).
            let mut base = name_start;
            let mut cuts = 0;
            loop {
                let run = classify_spaced_sources(
                    token,
                    i,
                    &mut SpacedSources {
                        text: &mut text,
                        base,
                        values: &mut values,
                        known,
                        token_start: start,
                    },
                    sink,
                );
                i = run.end;
                has_none |= run.has_none;
                over_cap = run.over_cap;
                if over_cap || i >= token.len() {
                    break;
                }
                if cuts == MAX_IN_PLACE_CUTS {
                    // Each cut copies the rest of the token again, so past a few of them the
                    // values are copied one by one below (linear in the token's length
                    // whatever its spacing).
                    text.truncate(base.wrapping_add(i));
                    in_place = false;
                    break;
                }
                cuts += 1;
                // Two spaces in a row at `i`: keep the copy up to and including the first.
                let next = token
                    .get(i..)
                    .and_then(|rest| rest.iter().position(|&b| b != b' '))
                    .map_or(token.len(), |p| i + p);
                if next >= token.len() {
                    // Not reached: the token is trimmed, so a value follows the spaces.
                    i = token.len();
                    break;
                }
                text.truncate(base.wrapping_add(i) + 1);
                base = text.len().wrapping_sub(next);
                text.push_str(token_text.get(next..).unwrap_or_default());
                // Continue from the space before the next value, as from a single separator.
                i = next - 1;
            }
        }
        while !over_cap {
            if in_place && token.get(i + 1) == Some(&b' ') {
                // Two spaces in a row: drop the in-place copy from here on and copy value by
                // value instead.
                text.truncate(name_start + i);
                in_place = false;
            }
            // Skip the separator: exactly one space in place, otherwise a run of whitespace.
            if in_place {
                i += 1;
            } else {
                while token.get(i).is_some_and(|&b| is_ascii_ws(b)) {
                    i += 1;
                }
            }
            if i >= token.len() {
                break;
            }
            let v_start = i;
            let rest = token.get(v_start..).unwrap_or_default();
            // Source lists: the classifier finds the value's end while classifying it.
            let classified = if takes_sources {
                let (c, len) = grammar::classify_at(rest);
                i = v_start + len;
                Some(c)
            } else {
                i = v_start
                    + if scan.other_ws {
                        rest.iter().position(|&b| is_ascii_ws(b))
                    } else {
                        memchr::memchr(b' ', rest)
                    }
                    .unwrap_or(rest.len());
                None
            };
            let v = token.get(v_start..i).unwrap_or_default();
            if values.len() >= MAX_VALUES_PER_POLICY {
                over_cap = true;
                break;
            }
            let t_start = if in_place {
                name_start + v_start
            } else {
                text.push(' ');
                let t = text.len();
                text.push_str(token_text.get(v_start..i).unwrap_or_default());
                t
            };
            let t_end = t_start + v.len();
            let entry = if let Some(c) = classified {
                if c.lowercase_prefix > 0
                    && let Some(prefix) =
                        text.get_mut(t_start..t_start + c.lowercase_prefix as usize)
                {
                    prefix.make_ascii_lowercase();
                }
                has_none |= check_source(c.kind, known, start + v_start..start + i, sink);
                ValueEntry::new(t_start, t_end, c.kind)
            } else {
                if let Some(k) = known
                    && !directive_value_ok(k, v, values.len() - value_count_before)
                {
                    sink.push(
                        DiagnosticKind::InvalidDirectiveValue,
                        start + v_start..start + i,
                        known,
                    );
                }
                ValueEntry::new(t_start, t_end, SourceKind::Token)
            };
            values.push(entry);
        }
        if over_cap {
            values.truncate(values_start);
            text.truncate(rollback);
            // The directive is not in the set, so a later one of the same name is no
            // duplicate (step 3.5), as for unknown names, which are looked up in the set.
            if let Some(k) = known {
                seen_known &= !k.bit();
            }
            sink.push(DiagnosticKind::TooManyValues, start..end, known);
            continue;
        }
        let count = values.len() - values_start;
        if has_none && count > 1 {
            sink.push(DiagnosticKind::NoneWithOtherSources, start..end, known);
        }
        if let Some(k) = known
            && count == 0
            && matches!(
                k,
                DirectiveName::Webrtc
                    | DirectiveName::ReportTo
                    | DirectiveName::ReportUri
                    | DirectiveName::RequireTrustedTypesFor
            )
        {
            sink.push(DiagnosticKind::InvalidDirectiveValue, start..end, known);
        }
        // Steps 3.7-3.8: append the directive.
        directives.push(DirectiveEntry {
            name: known,
            name_start: to_u32(name_start),
            name_end: to_u32(name_end),
            text_start: to_u32(if rollback == 0 { 0 } else { rollback + 2 }),
            text_end: to_u32(text.len()),
            values_start: to_u32(values_start),
            values_end: to_u32(values.len()),
        });
    }
    if directives.is_empty() {
        return None;
    }
    Some(Policy {
        text,
        directives,
        values,
        disposition,
        source,
    })
}

/// How many times one directive's in-place copy is cut at two spaces in a row and the rest
/// of the token copied again, before its remaining values are copied one by one.
const MAX_IN_PLACE_CUTS: usize = 16;

/// Where [`classify_spaced_sources`] puts what it finds.
struct SpacedSources<'t> {
    /// The policy text, holding the in-place copy of the token's bytes from the separator
    /// on: token offset `k` is text offset `base + k` (wrapping).
    text: &'t mut String,
    base: usize,
    values: &'t mut Vec<ValueEntry>,
    known: Option<DirectiveName>,
    /// Offset of the token in the input, for diagnostic spans.
    token_start: usize,
}

/// How far [`classify_spaced_sources`] got.
struct SpacedRun {
    /// The separator position where it stopped (the token's length when done).
    end: usize,
    has_none: bool,
    over_cap: bool,
}

/// The common shape of a source list: values separated by single spaces, so they already sit
/// in the in-place copy of the token, and the classifier finds each value's end. Starts at the
/// separator `i`; stops at the end of the token, at two spaces in a row (the general loop
/// takes over from that separator) or when the policy's value table is full. One call per
/// directive, with the classifier inlined.
#[inline(never)]
fn classify_spaced_sources(
    token: &[u8],
    mut i: usize,
    out: &mut SpacedSources<'_>,
    sink: &mut Sink<'_>,
) -> SpacedRun {
    let mut has_none = false;
    while i < token.len() && token.get(i + 1) != Some(&b' ') {
        // token[i] is the separating space; the token is trimmed, so a value follows.
        if out.values.len() >= MAX_VALUES_PER_POLICY {
            return SpacedRun {
                end: i,
                has_none,
                over_cap: true,
            };
        }
        let v_start = i + 1;
        let (c, len) = grammar::classify_at_spaced(token.get(v_start..).unwrap_or_default());
        debug_assert!(len > 0);
        i = v_start + len;
        let t_start = out.base.wrapping_add(v_start);
        if c.lowercase_prefix > 0
            && let Some(prefix) = out
                .text
                .get_mut(t_start..t_start + c.lowercase_prefix as usize)
        {
            prefix.make_ascii_lowercase();
        }
        if !matches!(c.kind, SourceKind::Host | SourceKind::Scheme) {
            let span = out.token_start + v_start..out.token_start + i;
            has_none |= check_source(c.kind, out.known, span, sink);
        }
        out.values
            .push(ValueEntry::new(t_start, t_start + len, c.kind));
    }
    SpacedRun {
        end: i,
        has_none,
        over_cap: false,
    }
}

/// Reports what is wrong with one classified source of a source-list directive; returns
/// whether it is `'none'`.
#[inline]
fn check_source(
    kind: SourceKind,
    known: Option<DirectiveName>,
    span: Range<usize>,
    sink: &mut Sink<'_>,
) -> bool {
    match kind {
        SourceKind::Other => sink.push(DiagnosticKind::InvalidSource, span, known),
        SourceKind::None => return true,
        SourceKind::Keyword(Keyword::SelfOrigin) | SourceKind::Scheme | SourceKind::Host => {}
        SourceKind::Keyword(_) | SourceKind::Nonce | SourceKind::Hash(_)
            if known == Some(DirectiveName::FrameAncestors) =>
        {
            // CSP3 §6.3.2: ancestor-source = scheme-source / host-source / 'self'.
            sink.push(DiagnosticKind::SourceNotAllowed, span, known);
        }
        _ => {}
    }
    false
}

/// Checks one value of a directive whose grammar is not a source list; `index` is its
/// position in the directive's value.
fn directive_value_ok(name: DirectiveName, v: &[u8], index: usize) -> bool {
    match name {
        // HTML: sandbox tokens are ASCII case-insensitive keywords; unknown ones are ignored.
        DirectiveName::Sandbox => std::str::from_utf8(v)
            .ok()
            .and_then(SandboxFlag::from_token)
            .is_some(),
        // CSP3 §6.1.16: directive-value = "'allow'" / "'block'".
        DirectiveName::Webrtc => {
            index == 0 && (v.eq_ignore_ascii_case(b"'allow'") || v.eq_ignore_ascii_case(b"'block'"))
        }
        // CSP3 §6.4.2: directive-value = token.
        DirectiveName::ReportTo => index == 0 && grammar::is_token(v),
        // Trusted Types: "'script'" is the only sink group.
        DirectiveName::RequireTrustedTypesFor => v.eq_ignore_ascii_case(b"'script'"),
        // Trusted Types: tt-policy-name / "'allow-duplicates'" / "'none'" / "*".
        DirectiveName::TrustedTypes => {
            v == b"*"
                || v.eq_ignore_ascii_case(b"'allow-duplicates'")
                || v.eq_ignore_ascii_case(b"'none'")
                || grammar::is_tt_policy_name(v)
        }
        // These take no value.
        DirectiveName::UpgradeInsecureRequests | DirectiveName::BlockAllMixedContent => false,
        // report-uri: uri-reference; anything without whitespace, ";" and "," is accepted.
        _ => true,
    }
}

/// CSP3 §2.2.2 "parse a response's Content Security Policies" for one header value: every
/// comma-separated item is a serialized policy (`serialized-policy-list = 1#serialized-policy`),
/// and a policy whose directive set is empty is not appended.
pub(crate) fn parse_policy_list_into(
    input: &[u8],
    input_text: Option<&str>,
    base: usize,
    disposition: Disposition,
    policies: &mut Policies,
    diagnostics: &mut Vec<Diagnostic>,
    first_index: &mut u32,
) {
    if input.len() > MAX_INPUT_LEN {
        let mut sink = Sink {
            diagnostics,
            base,
            policy: *first_index,
        };
        sink.push(DiagnosticKind::InputTooLong, 0..input.len(), None);
        return;
    }
    let mut start = 0usize;
    let len = input.len();
    let mut kept = 0usize;
    while start <= len {
        let end = input
            .get(start..)
            .and_then(|rest| memchr::memchr(b',', rest))
            .map_or(len, |p| start + p);
        let index = *first_index;
        *first_index = first_index.saturating_add(1);
        let mut sink = Sink {
            diagnostics: &mut *diagnostics,
            base: base + start,
            policy: index,
        };
        let item = input.get(start..end).unwrap_or_default();
        // "," is ASCII, so the item boundaries are char boundaries of `input_text`.
        let item_text = input_text.and_then(|t| t.get(start..end));
        if kept >= MAX_POLICIES {
            // The cap counts policies, not items: an empty item is no policy (step 2.2), so
            // past the cap empty items are still read, and the first policy ends the parse.
            let mut scratch = Vec::new();
            let mut scratch_sink = Sink {
                diagnostics: &mut scratch,
                base: base + start,
                policy: index,
            };
            let policy = parse_serialized_csp(
                item,
                item_text,
                true,
                PolicySource::Header,
                disposition,
                &mut scratch_sink,
            );
            if policy.is_some() {
                sink.push(DiagnosticKind::TooManyPolicies, 0..len - start, None);
                return;
            }
            sink.diagnostics.append(&mut scratch);
            sink.push(DiagnosticKind::EmptyPolicy, 0..item.len(), None);
            start = end + 1;
            continue;
        }
        // The item ends at the first "," (or the end), so it holds none.
        match parse_serialized_csp(
            item,
            item_text,
            true,
            PolicySource::Header,
            disposition,
            &mut sink,
        ) {
            Some(p) => {
                policies.push(p);
                kept += 1;
            }
            None => sink.push(DiagnosticKind::EmptyPolicy, 0..item.len(), None),
        }
        start = end + 1;
    }
}

/// Parses one header value into a list.
pub(crate) fn parse_policy_list(
    input: &[u8],
    input_text: Option<&str>,
    disposition: Disposition,
) -> Parsed<PolicyList> {
    let mut policies = Policies::default();
    let mut diagnostics = Vec::new();
    let mut index = 0;
    parse_policy_list_into(
        input,
        input_text,
        0,
        disposition,
        &mut policies,
        &mut diagnostics,
        &mut index,
    );
    Parsed {
        value: PolicyList::from_policies(policies),
        diagnostics,
    }
}

/// Parses one serialized policy (no comma split) with the given source and disposition.
pub(crate) fn parse_single(
    input: &[u8],
    input_text: Option<&str>,
    source: PolicySource,
    disposition: Disposition,
) -> Parsed<Option<Policy>> {
    let mut diagnostics = Vec::new();
    let mut sink = Sink {
        diagnostics: &mut diagnostics,
        base: 0,
        policy: 0,
    };
    if input.len() > MAX_INPUT_LEN {
        sink.push(DiagnosticKind::InputTooLong, 0..input.len(), None);
        return Parsed {
            value: None,
            diagnostics,
        };
    }
    let value = parse_serialized_csp(input, input_text, false, source, disposition, &mut sink);
    if value.is_none() {
        sink.push(DiagnosticKind::EmptyPolicy, 0..input.len(), None);
    }
    Parsed { value, diagnostics }
}

#[cfg(test)]
mod tests {
    use crate::{DiagnosticKind, DirectiveName, Policy, SourceKind};

    /// CSP3 §2.2.1 step 3.6: values split on runs of ASCII whitespace; the canonical text
    /// joins them with one space, and a source list cut by runs of spaces classifies,
    /// lowercases and locates each value exactly as a single-spaced one.
    #[test]
    fn runs_of_spaces_between_sources_serialize_as_single_spaces() {
        let input = "default-src  'self'   HTTPS: *.Example.com  'NONE'  x..y ; img-src a  b";
        let parsed = Policy::parse(input);
        let policy = parsed.value.expect("a valid policy");
        assert_eq!(
            policy.to_string(),
            "default-src 'self' https: *.Example.com 'none' x..y; img-src a b"
        );
        let default_src = policy
            .directive(DirectiveName::DefaultSrc)
            .expect("default-src");
        let got: Vec<(SourceKind, &str)> = default_src
            .sources()
            .map(|s| (s.kind(), s.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (SourceKind::Keyword(crate::Keyword::SelfOrigin), "'self'"),
                (SourceKind::Scheme, "https:"),
                (SourceKind::Host, "*.Example.com"),
                (SourceKind::None, "'none'"),
                (SourceKind::Other, "x..y"),
            ]
        );
        let kinds: Vec<DiagnosticKind> = parsed
            .diagnostics
            .iter()
            .map(super::Diagnostic::kind)
            .collect();
        assert_eq!(
            kinds,
            [
                DiagnosticKind::InvalidSource,
                DiagnosticKind::NoneWithOtherSources
            ]
        );
        // The invalid source's span points at it in the input.
        let invalid = input.find("x..y").expect("in the input");
        assert_eq!(parsed.diagnostics[0].span(), invalid..invalid + 4);
        // A parse of the canonical text gives the same policy.
        assert_eq!(
            Policy::parse(&policy.to_string()).value.as_ref(),
            Some(&policy)
        );
    }
}
