//! `secure-headers csp explain` and `csp diff`: policies in plain words, and what changed
//! between two policies, as text or JSON.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::io::{self, Write as _};
use std::process::ExitCode;

use csp_builder::{DirectiveRef, Disposition, Policy, PolicyList, SourceKind};
use serde::Serialize;

use crate::input;

/// Help text shown after the options of `csp explain`.
pub(crate) const EXPLAIN_EXAMPLES: &str = "\
Examples:
  secure-headers csp explain \"default-src 'self'; script-src 'self' https://cdn.example; object-src 'none'\"
  secure-headers csp explain --format json \"default-src 'self'; img-src *\"

Output: each directive with what its sources allow; fetch directives that are not set show the
directive they fall back to (CSP3 §6.8.3), e.g. \"img-src: not set, falls back to default-src: 'self'\".

JSON output:
  {\"policies\": [{\"policy\": \"default-src 'self'; img-src *\", \"disposition\": \"enforce\",
    \"directives\": [{\"name\": \"default-src\", \"known\": true, \"meaning\": \"fallback for …\",
      \"sources\": [{\"source\": \"'self'\", \"kind\": \"keyword\", \"allows\": \"this page's own origin\"}],
      \"effective_for\": [\"child-src\", \"connect-src\", …]}, …],
    \"unset\": [{\"directive\": \"connect-src\", \"has_fallback\": true, \"falls_back_to\": \"default-src\",
      \"restricted\": true, \"sources\": [\"'self'\"]},
      {\"directive\": \"base-uri\", \"has_fallback\": false, \"falls_back_to\": null,
      \"restricted\": false, \"sources\": null}, …]}],
   \"diagnostics\": [{\"policy_index\": 0, \"directive\": \"img-src\", \"text\": \"'bogus'\",
     \"start\": 8, \"end\": 15, \"message\": \"…\"}]}
Source kinds: none, keyword, nonce, hash, scheme, host, invalid (ignored by browsers) and value
(directives whose value is not a source list; `allows` is null). `effective_for` lists the fetch
directives that are not set and fall back to this one.";

/// Help text shown after the options of `csp diff`.
pub(crate) const DIFF_EXAMPLES: &str = "\
Examples:
  secure-headers csp diff \"script-src 'self'\" \"script-src 'self' https://cdn.example 'unsafe-inline'\"
  secure-headers csp diff --format json \"default-src 'self'\" \"default-src 'self'; img-src *\"

Output: per directive, `+ source` for what B allows and A does not, `- source` for what A allowed
and B no longer does. Directives without their own value are compared through their fallback.
Only the first policy of a comma-separated list is compared.

JSON output:
  {\"a\": \"default-src 'self'\", \"b\": \"default-src 'self'; img-src *\",
   \"only_first_policies_compared\": false, \"identical\": false,
   \"changes\": [{\"directive\": \"img-src\",
     \"a\": {\"effective_directive\": \"default-src\", \"sources\": [\"'self'\"]},
     \"b\": {\"effective_directive\": \"img-src\", \"sources\": [\"*\"]},
     \"added\": [{\"source\": \"*\", \"allows\": \"any http:, https: or same-scheme URL …\"}],
     \"removed\": [{\"source\": \"'self'\", \"allows\": \"this page's own origin\"}]}]}
A side is null when nothing restricts the directive there (not set, and no fallback set).
Sources are compared ASCII-lowercased.";

/// Output formats of `csp explain` and `csp diff`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// Plain words, one line per directive or source.
    Text,
    /// One JSON document (its shape is shown below).
    Json,
}

/// Arguments of `secure-headers csp explain`.
#[derive(clap::Args)]
pub(crate) struct ExplainArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,

    /// The policy value (a comma-separated list is explained policy by policy).
    #[arg(value_name = "VALUE")]
    value: OsString,
}

/// Arguments of `secure-headers csp diff`.
#[derive(clap::Args)]
pub(crate) struct DiffArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,

    /// The old policy.
    #[arg(value_name = "A")]
    old: OsString,
    /// The new policy.
    #[arg(value_name = "B")]
    new: OsString,
}

/// The fetch directives and, for each, the directives it falls back to after itself
/// (CSP3 §6.8.3 "Get the effective directive for request" / fallback list).
const FETCH_FALLBACKS: [(&str, &[&str]); 16] = [
    ("default-src", &[]),
    ("child-src", &["default-src"]),
    ("connect-src", &["default-src"]),
    ("font-src", &["default-src"]),
    ("frame-src", &["child-src", "default-src"]),
    ("img-src", &["default-src"]),
    ("manifest-src", &["default-src"]),
    ("media-src", &["default-src"]),
    ("object-src", &["default-src"]),
    ("script-src", &["default-src"]),
    ("script-src-elem", &["script-src", "default-src"]),
    ("script-src-attr", &["script-src", "default-src"]),
    ("style-src", &["default-src"]),
    ("style-src-elem", &["style-src", "default-src"]),
    ("style-src-attr", &["style-src", "default-src"]),
    ("worker-src", &["child-src", "script-src", "default-src"]),
];

fn fallbacks(name: &str) -> Option<&'static [&'static str]> {
    FETCH_FALLBACKS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, f)| *f)
}

/// What a directive controls, in a few words.
fn directive_meaning(name: &str) -> &'static str {
    match name {
        "default-src" => "fallback for every fetch directive that is not set",
        "script-src" => "scripts (elements, event handlers, eval)",
        "script-src-elem" => "<script> elements",
        "script-src-attr" => "inline event handlers (onclick=…)",
        "style-src" => "stylesheets and inline styles",
        "style-src-elem" => "<style> and <link rel=stylesheet> elements",
        "style-src-attr" => "style=\"…\" attributes",
        "img-src" => "images and favicons",
        "connect-src" => "fetch, XHR, WebSocket, EventSource, sendBeacon",
        "font-src" => "web fonts",
        "frame-src" => "pages loaded in <iframe> and <frame>",
        "child-src" => "frames and workers (when frame-src / worker-src are not set)",
        "worker-src" => "Worker, SharedWorker and service worker scripts",
        "manifest-src" => "web app manifests",
        "media-src" => "<audio>, <video> and text tracks",
        "object-src" => "<object> and <embed> plugins",
        "base-uri" => "URLs allowed in <base href> (no fallback: unset means any)",
        "form-action" => "where forms may submit (no fallback: unset means anywhere)",
        "frame-ancestors" => "who may embed this page in a frame (no fallback)",
        "sandbox" => "the page is sandboxed as in <iframe sandbox>, with these exceptions",
        "upgrade-insecure-requests" => "http: subresource URLs are fetched over https:",
        "block-all-mixed-content" => "obsolete: mixed content is blocked anyway",
        "report-uri" => "violation reports are sent to these URLs (deprecated)",
        "report-to" => "violation reports go to this Reporting API endpoint group",
        "require-trusted-types-for" => "DOM XSS sinks only accept Trusted Types",
        "trusted-types" => "names of the Trusted Types policies that may be created",
        "webrtc" => "whether WebRTC connections are allowed",
        _ => "not a directive browsers know; ignored",
    }
}

/// What one source expression allows.
fn source_meaning(text: &str, kind: SourceKind) -> String {
    match kind {
        SourceKind::None => "nothing".to_owned(),
        SourceKind::Keyword(_) => match text.to_ascii_lowercase().as_str() {
            "'self'" => "this page's own origin".to_owned(),
            "'unsafe-inline'" => {
                "inline <script>/<style> and event handlers (unless a nonce or hash is present)"
                    .to_owned()
            }
            "'unsafe-eval'" => "eval(), new Function() and string timers".to_owned(),
            "'unsafe-hashes'" => {
                "event handlers and style attributes matching a listed hash".to_owned()
            }
            "'strict-dynamic'" => {
                "scripts loaded by already trusted scripts; host and scheme sources are ignored"
                    .to_owned()
            }
            "'wasm-unsafe-eval'" => "WebAssembly compilation".to_owned(),
            "'report-sample'" => "a sample of the violating code in reports".to_owned(),
            _ => "a keyword".to_owned(),
        },
        SourceKind::Nonce => "inline elements carrying this nonce attribute".to_owned(),
        SourceKind::Hash(_) => "inline content whose digest is this hash".to_owned(),
        SourceKind::Scheme => format!("any URL with the {text} scheme"),
        SourceKind::Host if text == "*" => {
            "any http:, https: or same-scheme URL (not data:, blob: or filesystem:)".to_owned()
        }
        SourceKind::Host => format!("URLs at {text}"),
        SourceKind::Other => "not a valid source expression; ignored by browsers".to_owned(),
        SourceKind::Token => "a value".to_owned(),
        _ => "a source".to_owned(),
    }
}

fn source_list(directive: &DirectiveRef<'_>) -> String {
    let sources: Vec<&str> = directive.sources().map(|s| s.as_str()).collect();
    if sources.is_empty() {
        "(empty)".to_owned()
    } else {
        sources.join(" ")
    }
}

/// The first directive of `chain` that `policy` sets (CSP3 §6.8.3 "Get the effective directive
/// for request": the fallback list is tried in order).
fn fallback_in<'p>(
    policy: &'p Policy,
    chain: &[&'static str],
) -> Option<(&'static str, DirectiveRef<'p>)> {
    chain.iter().find_map(|f| policy.get(f).map(|d| (*f, d)))
}

/// Directives that do not fall back to anything when they are not set.
const NO_FALLBACK: [&str; 3] = ["base-uri", "form-action", "frame-ancestors"];

fn explain_policy(policy: &Policy, out: &mut String) {
    for directive in policy.directives() {
        let name = directive.name();
        let _ = writeln!(out, "  {name}: {}", directive_meaning(name));
        for source in directive.sources() {
            if matches!(source.kind(), SourceKind::Token) {
                let _ = writeln!(out, "    {}", source.as_str());
            } else {
                let _ = writeln!(
                    out,
                    "    {}: {}",
                    source.as_str(),
                    source_meaning(source.as_str(), source.kind())
                );
            }
        }
    }
    for (name, chain) in FETCH_FALLBACKS {
        if policy.get(name).is_some() {
            continue;
        }
        match fallback_in(policy, chain) {
            Some((from, d)) => {
                let _ = writeln!(
                    out,
                    "  {name}: not set, falls back to {from}: {}",
                    source_list(&d)
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "  {name}: not set, and nothing to fall back to: any source is allowed"
                );
            }
        }
    }
    for name in NO_FALLBACK {
        if policy.get(name).is_none() {
            let _ = writeln!(out, "  {name}: not set (no fallback): any URL is allowed");
        }
    }
}

/// A parsed command-line policy value: what a browser applies, and what it ignores.
struct Parsed {
    policies: Vec<Policy>,
    diagnostics: Vec<DiagnosticJson>,
}

fn parse_value(raw: &OsString) -> Result<Parsed, String> {
    let bytes = input::os_bytes(raw);
    let text = input::isomorphic_decode(&bytes);
    let parsed = PolicyList::parse(&text);
    if parsed.value.is_empty() {
        return Err(format!(
            "`{}` holds no policy a browser would apply",
            text.chars().take(80).collect::<String>().escape_debug()
        ));
    }
    let diagnostics = parsed
        .diagnostics
        .iter()
        .map(|d| {
            let span = d.span();
            DiagnosticJson {
                policy_index: d.policy_index(),
                directive: d.directive().map(|n| n.to_string()),
                text: text.get(span.clone()).unwrap_or_default().to_owned(),
                start: span.start,
                end: span.end,
                message: d.message(),
            }
        })
        .collect();
    Ok(Parsed {
        policies: parsed.value.policies().to_vec(),
        diagnostics,
    })
}

fn policies(raw: &OsString) -> Result<Vec<Policy>, String> {
    parse_value(raw).map(|p| p.policies)
}

/// `csp explain --format json`: the whole document.
#[derive(Serialize)]
struct ExplainJson {
    policies: Vec<PolicyJson>,
    diagnostics: Vec<DiagnosticJson>,
}

/// One policy of the list.
#[derive(Serialize)]
struct PolicyJson {
    /// The policy as a browser keeps it (serialized).
    policy: String,
    /// `enforce` or `report`.
    disposition: &'static str,
    /// The directives the policy sets, in order.
    directives: Vec<DirectiveJson>,
    /// The fetch directives and the fallback-less directives the policy does not set.
    unset: Vec<UnsetJson>,
}

#[derive(Serialize)]
struct DirectiveJson {
    name: String,
    /// Whether browsers know the directive (an unknown one is ignored).
    known: bool,
    /// What the directive controls.
    meaning: &'static str,
    sources: Vec<SourceJson>,
    /// Fetch directives that are not set and fall back to this one.
    effective_for: Vec<&'static str>,
}

#[derive(Serialize)]
struct SourceJson {
    source: String,
    kind: &'static str,
    /// What the source allows, in words; `null` for values that are not sources.
    allows: Option<String>,
}

#[derive(Serialize)]
struct UnsetJson {
    directive: &'static str,
    /// Whether CSP defines a fallback for this directive.
    has_fallback: bool,
    /// The directive it falls back to in this policy, when one is set.
    falls_back_to: Option<&'static str>,
    /// Whether anything restricts it (its fallback is set).
    restricted: bool,
    /// The fallback's sources, when restricted.
    sources: Option<Vec<String>>,
}

/// What the parser ignored or noted (`csp_builder::Diagnostic`).
#[derive(Serialize)]
struct DiagnosticJson {
    policy_index: usize,
    directive: Option<String>,
    /// The input text concerned.
    text: String,
    /// Byte offsets of `text` in the input.
    start: usize,
    end: usize,
    message: &'static str,
}

/// The stable JSON name of a source kind.
const fn kind_name(kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::None => "none",
        SourceKind::Keyword(_) => "keyword",
        SourceKind::Nonce => "nonce",
        SourceKind::Hash(_) => "hash",
        SourceKind::Scheme => "scheme",
        SourceKind::Host => "host",
        SourceKind::Other => "invalid",
        SourceKind::Token => "value",
        _ => "other",
    }
}

fn source_json(text: &str, kind: SourceKind) -> SourceJson {
    SourceJson {
        source: text.to_owned(),
        kind: kind_name(kind),
        allows: (kind != SourceKind::Token).then(|| source_meaning(text, kind)),
    }
}

fn source_texts(directive: &DirectiveRef<'_>) -> Vec<String> {
    directive.sources().map(|s| s.as_str().to_owned()).collect()
}

fn explain_json(policy: &Policy) -> PolicyJson {
    let directives = policy
        .directives()
        .map(|d| {
            let name = d.name();
            let effective_for = FETCH_FALLBACKS
                .iter()
                .filter(|(unset, chain)| {
                    policy.get(unset).is_none()
                        && fallback_in(policy, chain).is_some_and(|(from, _)| from == name)
                })
                .map(|(unset, _)| *unset)
                .collect();
            DirectiveJson {
                name: name.to_owned(),
                known: d.known().is_some(),
                meaning: directive_meaning(name),
                sources: d
                    .sources()
                    .map(|s| source_json(s.as_str(), s.kind()))
                    .collect(),
                effective_for,
            }
        })
        .collect();
    let mut unset: Vec<UnsetJson> = Vec::new();
    for (name, chain) in FETCH_FALLBACKS {
        if policy.get(name).is_some() {
            continue;
        }
        let from = fallback_in(policy, chain);
        unset.push(UnsetJson {
            directive: name,
            has_fallback: !chain.is_empty(),
            falls_back_to: from.as_ref().map(|(f, _)| *f),
            restricted: from.is_some(),
            sources: from.as_ref().map(|(_, d)| source_texts(d)),
        });
    }
    for name in NO_FALLBACK {
        if policy.get(name).is_none() {
            unset.push(UnsetJson {
                directive: name,
                has_fallback: false,
                falls_back_to: None,
                restricted: false,
                sources: None,
            });
        }
    }
    PolicyJson {
        policy: policy.to_string(),
        disposition: match policy.disposition() {
            Disposition::Report => "report",
            _ => "enforce",
        },
        directives,
        unset,
    }
}

/// Prints `value` as pretty JSON and a newline; a closed pipe is not a failure.
fn print_json(value: &impl Serialize) -> ExitCode {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let written = serde_json::to_writer_pretty(&mut out, value)
        .map_err(io::Error::from)
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush());
    input::finish(written.or_else(|e| input::output_error(&e)))
}

/// Runs `csp explain`.
pub(crate) fn run_explain(args: &ExplainArgs) -> ExitCode {
    let parsed = match parse_value(&args.value) {
        Ok(parsed) => parsed,
        Err(message) => return input::fail(&message),
    };
    if args.format == Format::Json {
        return print_json(&ExplainJson {
            policies: parsed.policies.iter().map(explain_json).collect(),
            diagnostics: parsed.diagnostics,
        });
    }
    let list = parsed.policies;
    let mut out = String::new();
    for (i, policy) in list.iter().enumerate() {
        if list.len() > 1 {
            let _ = writeln!(out, "Policy {} of {} (all must pass):", i + 1, list.len());
        }
        let _ = writeln!(out, "{policy}");
        explain_policy(policy, &mut out);
    }
    print!("{out}");
    ExitCode::SUCCESS
}

/// The sources that govern `name` in `policy`: its own, or its fallback's; `None` when nothing
/// restricts it.
fn effective(policy: &Policy, name: &str) -> Option<(String, Vec<String>)> {
    let own = policy.get(name).map(|d| (name.to_owned(), d));
    let found = own.or_else(|| {
        fallbacks(name)?
            .iter()
            .find_map(|f| policy.get(f).map(|d| ((*f).to_owned(), d)))
    })?;
    let sources = found
        .1
        .sources()
        .map(|s| s.as_str().to_ascii_lowercase())
        .collect();
    Some((found.0, sources))
}

fn describe(name: &str, side: Option<&(String, Vec<String>)>) -> String {
    match side {
        None => "not set (no restriction)".to_owned(),
        Some((from, _)) if from != name => format!("via {from}"),
        Some(_) => "set".to_owned(),
    }
}

/// How one directive differs between A and B.
struct Change {
    name: String,
    a: Option<(String, Vec<String>)>,
    b: Option<(String, Vec<String>)>,
    added: Vec<String>,
    removed: Vec<String>,
}

/// Compares what `a` and `b` allow, directive by directive (fetch directives through their
/// fallbacks).
fn changes(a: &Policy, b: &Policy) -> Vec<Change> {
    let mut names: Vec<String> = Vec::new();
    for d in a.directives().chain(b.directives()) {
        if !names.iter().any(|n| n == d.name()) {
            names.push(d.name().to_owned());
        }
    }
    for (name, _) in FETCH_FALLBACKS {
        if !names.iter().any(|n| n == name) {
            names.push(name.to_owned());
        }
    }
    let mut found = Vec::new();
    for name in names {
        let ea = effective(a, &name);
        let eb = effective(b, &name);
        let empty = Vec::new();
        let sa = ea.as_ref().map_or(&empty, |e| &e.1);
        let sb = eb.as_ref().map_or(&empty, |e| &e.1);
        let added: Vec<String> = sb.iter().filter(|s| !sa.contains(s)).cloned().collect();
        let removed: Vec<String> = sa.iter().filter(|s| !sb.contains(s)).cloned().collect();
        let restriction_changed = ea.is_some() != eb.is_some();
        // A change inherited on both sides from the same fallback is shown on that directive.
        if let (Some((fa, _)), Some((fb, _))) = (&ea, &eb)
            && fa == fb
            && *fa != name
        {
            continue;
        }
        if added.is_empty() && removed.is_empty() && !restriction_changed {
            continue;
        }
        found.push(Change {
            name,
            a: ea,
            b: eb,
            added,
            removed,
        });
    }
    found
}

/// `csp diff --format json`.
#[derive(Serialize)]
struct DiffJson {
    /// The policy compared on each side.
    a: String,
    b: String,
    /// Whether A or B held more than one policy (only the first of each is compared).
    only_first_policies_compared: bool,
    /// Whether the two policies allow the same things.
    identical: bool,
    changes: Vec<ChangeJson>,
}

#[derive(Serialize)]
struct ChangeJson {
    directive: String,
    a: Option<SideJson>,
    b: Option<SideJson>,
    added: Vec<SourceJson>,
    removed: Vec<SourceJson>,
}

/// What governs the directive on one side.
#[derive(Serialize)]
struct SideJson {
    /// The directive itself, or the fallback it takes its sources from.
    effective_directive: String,
    sources: Vec<String>,
}

fn side_json(side: Option<(String, Vec<String>)>) -> Option<SideJson> {
    side.map(|(effective_directive, sources)| SideJson {
        effective_directive,
        sources,
    })
}

/// The sources of `directive` with their kinds; directives whose value is not a source list
/// (sandbox, report-to, trusted-types, …) hold plain values.
fn described_sources(directive: &str, sources: Vec<String>) -> Vec<SourceJson> {
    let source_list = fallbacks(directive).is_some() || NO_FALLBACK.contains(&directive);
    sources
        .into_iter()
        .map(|s| {
            let kind = if source_list {
                SourceKind::classify(&s)
            } else {
                SourceKind::Token
            };
            source_json(&s, kind)
        })
        .collect()
}

/// Runs `csp diff`.
pub(crate) fn run_diff(args: &DiffArgs) -> ExitCode {
    let (old, new) = match (policies(&args.old), policies(&args.new)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(message), _) => return input::fail(&format!("A: {message}")),
        (_, Err(message)) => return input::fail(&format!("B: {message}")),
    };
    let (Some(a), Some(b)) = (old.first(), new.first()) else {
        return input::fail("no policy to compare");
    };
    let only_first = old.len() > 1 || new.len() > 1;
    let found = changes(a, b);
    if args.format == Format::Json {
        return print_json(&DiffJson {
            a: a.to_string(),
            b: b.to_string(),
            only_first_policies_compared: only_first,
            identical: found.is_empty(),
            changes: found
                .into_iter()
                .map(|c| ChangeJson {
                    added: described_sources(&c.name, c.added),
                    removed: described_sources(&c.name, c.removed),
                    directive: c.name,
                    a: side_json(c.a),
                    b: side_json(c.b),
                })
                .collect(),
        });
    }
    let mut out = String::new();
    if only_first {
        let _ = writeln!(out, "note: only the first policy of each list is compared");
    }
    for c in &found {
        let _ = writeln!(
            out,
            "{}: A {} -> B {}",
            c.name,
            describe(&c.name, c.a.as_ref()),
            describe(&c.name, c.b.as_ref())
        );
        for s in &c.added {
            let _ = writeln!(out, "  + {s}");
        }
        for s in &c.removed {
            let _ = writeln!(out, "  - {s}");
        }
    }
    if found.is_empty() {
        out.push_str("no difference in what the policies allow\n");
    }
    print!("{out}");
    ExitCode::SUCCESS
}
