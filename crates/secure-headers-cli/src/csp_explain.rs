//! `secure-headers csp explain` and `csp diff`: policies in plain words, and what changed
//! between two policies.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::process::ExitCode;

use csp_builder::{DirectiveRef, Policy, PolicyList, SourceKind, SourceRef};

use crate::input;

/// Help text shown after the options of `csp explain`.
pub(crate) const EXPLAIN_EXAMPLES: &str = "\
Example:
  secure-headers csp explain \"default-src 'self'; script-src 'self' https://cdn.example; object-src 'none'\"

Output: each directive with what its sources allow; fetch directives that are not set show the
directive they fall back to (CSP3 §6.8.3), e.g. \"img-src: not set, falls back to default-src: 'self'\".";

/// Help text shown after the options of `csp diff`.
pub(crate) const DIFF_EXAMPLES: &str = "\
Example:
  secure-headers csp diff \"script-src 'self'\" \"script-src 'self' https://cdn.example 'unsafe-inline'\"

Output: per directive, `+ source` for what B allows and A does not, `- source` for what A allowed
and B no longer does. Directives without their own value are compared through their fallback.";

/// Arguments of `secure-headers csp explain`.
#[derive(clap::Args)]
pub(crate) struct ExplainArgs {
    /// The policy value (a comma-separated list is explained policy by policy).
    #[arg(value_name = "VALUE")]
    value: OsString,
}

/// Arguments of `secure-headers csp diff`.
#[derive(clap::Args)]
pub(crate) struct DiffArgs {
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
fn source_meaning(source: &SourceRef<'_>) -> String {
    let text = source.as_str();
    match source.kind() {
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

fn explain_policy(policy: &Policy, out: &mut String) {
    for directive in policy.directives() {
        let name = directive.name();
        let _ = writeln!(out, "  {name}: {}", directive_meaning(name));
        for source in directive.sources() {
            if matches!(source.kind(), SourceKind::Token) {
                let _ = writeln!(out, "    {}", source.as_str());
            } else {
                let _ = writeln!(out, "    {}: {}", source.as_str(), source_meaning(&source));
            }
        }
    }
    for (name, chain) in FETCH_FALLBACKS {
        if policy.get(name).is_some() {
            continue;
        }
        match chain.iter().find_map(|f| policy.get(f).map(|d| (f, d))) {
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
    for name in ["base-uri", "form-action", "frame-ancestors"] {
        if policy.get(name).is_none() {
            let _ = writeln!(out, "  {name}: not set (no fallback): any URL is allowed");
        }
    }
}

fn policies(raw: &OsString) -> Result<Vec<Policy>, String> {
    let bytes = input::os_bytes(raw);
    let text = input::isomorphic_decode(&bytes);
    let list: PolicyList = PolicyList::parse(&text).value;
    if list.is_empty() {
        return Err(format!(
            "`{}` holds no policy a browser would apply",
            text.chars().take(80).collect::<String>().escape_debug()
        ));
    }
    Ok(list.policies().to_vec())
}

/// Runs `csp explain`.
pub(crate) fn run_explain(args: &ExplainArgs) -> ExitCode {
    let list = match policies(&args.value) {
        Ok(list) => list,
        Err(message) => return input::fail(&message),
    };
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
    let mut out = String::new();
    if old.len() > 1 || new.len() > 1 {
        let _ = writeln!(out, "note: only the first policy of each list is compared");
    }
    for name in &names {
        let ea = effective(a, name);
        let eb = effective(b, name);
        let (sa, sb) = (
            ea.as_ref().map(|e| e.1.clone()).unwrap_or_default(),
            eb.as_ref().map(|e| e.1.clone()).unwrap_or_default(),
        );
        let added: Vec<&String> = sb.iter().filter(|s| !sa.contains(s)).collect();
        let removed: Vec<&String> = sa.iter().filter(|s| !sb.contains(s)).collect();
        let restriction_changed = ea.is_some() != eb.is_some();
        // A change inherited on both sides from the same fallback is shown on that directive.
        if let (Some((fa, _)), Some((fb, _))) = (&ea, &eb)
            && fa == fb
            && fa != name
        {
            continue;
        }
        if added.is_empty() && removed.is_empty() && !restriction_changed {
            continue;
        }
        let _ = writeln!(
            out,
            "{name}: A {} -> B {}",
            describe(name, ea.as_ref()),
            describe(name, eb.as_ref())
        );
        for s in added {
            let _ = writeln!(out, "  + {s}");
        }
        for s in removed {
            let _ = writeln!(out, "  - {s}");
        }
    }
    if out.is_empty() {
        out.push_str("no difference in what the policies allow\n");
    }
    print!("{out}");
    ExitCode::SUCCESS
}
