//! `secure-headers audit`: grade the security headers of a saved response head or HAR file.

use std::borrow::Cow;
use std::collections::HashSet;
use std::ffi::OsString;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;
use std::time::Duration;

use header_audit::http::{HeaderMap, HeaderName, HeaderValue};
use header_audit::{Context, Finding, Report, Severity, audit};
use serde::Serialize;
use serde_json::Value;

use crate::{fetch, input};

/// Help text shown after the options of `audit`.
pub(crate) const EXAMPLES: &str = "\
Examples:
  secure-headers audit http://example.com/
  secure-headers audit --format json --timeout 10 https://example.com/login
  curl -sI https://example.com/ > head.txt && secure-headers audit head.txt
  curl -sI https://example.com/ | secure-headers audit --format json -
  secure-headers audit --format sarif site.har > findings.sarif
  secure-headers audit --fail-under B --fix head.txt

Input: an http:// or https:// URL, a response head (status line and header lines, as `curl -sI`
prints it; several heads from `curl -sIL` are audited one by one) or a HAR file (every response
in log.entries).
A URL is fetched with GET as a browser navigation would be (the body is not downloaded), and
redirects (301, 302, 303, 307, 308) are followed up to --max-redirects, within --timeout for the
whole chain; only http and https URLs are followed, and a loop is an error. Each redirect is
listed with its status and target, and checked for what matters on a redirect: HTTP going to
HTTPS on the same host first, no HTTPS-to-HTTP step, HSTS on HTTPS redirects, cookie flags.
These redirect findings are not part of the grade, which is the final response's:
  Redirects:
    301 http://example.com/ -> https://example.com/
        [info] redirect-to-https (location)
            Plain HTTP redirects to HTTPS.
    302 https://example.com/ -> https://www.example.com/ (Location: //www.example.com/)
  https://www.example.com/
  Status: HTTP/1.1 200 OK
  Grade: A (score 90)
JSON output is one report, or an array of reports (each with its `url`) for several responses.
For a URL, `url` is the final URL and `redirects` lists the redirects:
  [{\"status\": 301, \"url\": …, \"location\": …, \"location_header\": …, \"findings\": […]}].
SARIF output has the findings of the final response, located at the final URL.
Exit status: 0 on success, 1 when the input cannot be read or fetched, or a grade is below
--fail-under.";

/// Observatory grades from best to worst.
const GRADES: [&str; 13] = [
    "A+", "A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D+", "D", "D-", "F",
];

/// Most responses (HAR entries or response heads) audited from one file.
const MAX_RESPONSES: usize = 10_000;

/// Output formats of `audit`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// Grade, findings and fixes for people.
    Text,
    /// The report as JSON: {"grade", "score", "findings": [...], ...}.
    Json,
    /// A SARIF 2.1.0 log with one result per finding.
    Sarif,
}

/// Arguments of `secure-headers audit`.
#[derive(clap::Args)]
pub(crate) struct AuditArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,

    /// Exit with status 1 when a response grades below GRADE (A+, A, A-, B+, … F).
    #[arg(long, value_name = "GRADE", value_parser = parse_grade)]
    fail_under: Option<&'static str>,

    /// Also print the corrected header set (and what needs a decision).
    #[arg(long)]
    fix: bool,

    /// The response came over plain HTTP (the default is HTTPS; for a URL its scheme decides).
    #[arg(long)]
    http: bool,

    /// For a URL: the most redirects followed (0 audits the first response even when it
    /// redirects).
    #[arg(long, value_name = "N", default_value_t = fetch::BROWSER_MAX_REDIRECTS)]
    max_redirects: usize,

    /// For a URL: seconds the whole fetch may take, redirects included.
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = parse_timeout)]
    timeout: Duration,

    /// An http:// or https:// URL, a file holding a response head or a HAR document, or `-`
    /// for standard input.
    #[arg(value_name = "URL|FILE|-")]
    file: OsString,
}

fn parse_grade(text: &str) -> Result<&'static str, String> {
    let wanted = text.trim();
    GRADES
        .iter()
        .find(|g| g.eq_ignore_ascii_case(wanted))
        .copied()
        .ok_or_else(|| {
            format!(
                "unknown grade `{}`; use one of {}",
                wanted.escape_debug(),
                GRADES.join(", ")
            )
        })
}

fn parse_timeout(text: &str) -> Result<Duration, String> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s > 0.0 && *s <= 86_400.0)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| {
            format!(
                "`{}` is not a number of seconds between 0 and 86400",
                text.escape_debug()
            )
        })
}

fn grade_rank(grade: &str) -> usize {
    GRADES
        .iter()
        .position(|g| *g == grade)
        .unwrap_or(GRADES.len())
}

/// One response read from the input.
struct Response {
    /// Where it came from (the URL for HAR entries), when known.
    url: Option<String>,
    /// The status line or HAR status, when known.
    status: Option<String>,
    headers: HeaderMap,
    /// For a fetched URL: the redirects that led to this response.
    redirects: Option<Vec<RedirectReport>>,
}

/// A redirect on the way to a fetched URL's final response, with what was found on it.
#[derive(Serialize)]
struct RedirectReport {
    /// The status code (301, 302, 303, 307 or 308).
    status: u16,
    /// The URL requested.
    url: String,
    /// Where the `Location` header leads, resolved against `url`.
    location: String,
    /// The `Location` header as sent.
    location_header: String,
    /// Findings about the redirect itself, its HSTS header and its cookies (not graded).
    findings: Vec<Finding>,
}

/// Adds one header line; a name or value `http` refuses, or a new name once the map holds as
/// many as it can, is reported, not fatal.
fn add_header(headers: &mut HeaderMap, name: &[u8], value: &[u8], skipped: &mut Vec<String>) {
    let value = trim_ows(value);
    let added = match (HeaderName::from_bytes(name), HeaderValue::from_bytes(value)) {
        (Ok(n), Ok(v)) => headers.try_append(n, v).is_ok(),
        _ => false,
    };
    if !added {
        skipped.push(input::isomorphic_decode(name).into_owned());
    }
}

/// RFC 9110 §5.5: leading and trailing optional whitespace is not part of a field value.
fn trim_ows(value: &[u8]) -> &[u8] {
    let start = value
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t'))
        .unwrap_or(value.len());
    let end = value
        .iter()
        .rposition(|b| !matches!(b, b' ' | b'\t'))
        .map_or(start, |p| p + 1);
    value.get(start..end).unwrap_or_default()
}

/// Reads response heads: an optional `HTTP/…` status line, then `name: value` lines; a blank
/// line ends a head (`curl -sIL` prints one per redirect).
fn read_heads(raw: &[u8], skipped: &mut Vec<String>, more: &mut bool) -> Vec<Response> {
    let mut responses = Vec::new();
    let mut current: Option<Response> = None;
    let mut last: Option<(Vec<u8>, Vec<u8>)> = None;
    let flush = |current: &mut Option<Response>,
                 last: &mut Option<(Vec<u8>, Vec<u8>)>,
                 skipped: &mut Vec<String>| {
        if let (Some(resp), Some((n, v))) = (current.as_mut(), last.take()) {
            add_header(&mut resp.headers, &n, &v, skipped);
        }
    };
    // A line of spaces and tabs (before an optional CR) ends a head.
    let blank = |line: &[u8]| {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        line.iter().all(|b| matches!(b, b' ' | b'\t'))
    };
    let mut lines = raw.split(|&b| b == b'\n');
    while let Some(line) = lines.next() {
        if responses.len() == MAX_RESPONSES {
            // A head is only counted once it is complete, so none is under way here: there are
            // more when anything but blank lines follows.
            *more = !blank(line) || !lines.all(blank);
            break;
        }
        if blank(line) {
            flush(&mut current, &mut last, skipped);
            responses.extend(current.take());
            continue;
        }
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.starts_with(b"HTTP/") {
            flush(&mut current, &mut last, skipped);
            responses.extend(current.take());
            current = Some(Response {
                url: None,
                status: Some(input::isomorphic_decode(line).into_owned()),
                headers: HeaderMap::new(),
                redirects: None,
            });
            continue;
        }
        // RFC 9112 §5.2: obs-fold continues the previous field value.
        if matches!(line.first(), Some(b' ' | b'\t'))
            && let Some((_, value)) = last.as_mut()
        {
            value.push(b' ');
            value.extend_from_slice(trim_ows(line));
            continue;
        }
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            skipped.push(input::isomorphic_decode(line).chars().take(40).collect());
            continue;
        };
        flush(&mut current, &mut last, skipped);
        current.get_or_insert_with(|| Response {
            url: None,
            status: None,
            headers: HeaderMap::new(),
            redirects: None,
        });
        let (name, value) = line.split_at(colon);
        last = Some((name.to_vec(), value.get(1..).unwrap_or_default().to_vec()));
    }
    if responses.len() < MAX_RESPONSES {
        flush(&mut current, &mut last, skipped);
        responses.extend(current);
    }
    responses
}

/// Reads every `log.entries[].response` of a HAR document.
fn read_har(
    raw: &[u8],
    skipped: &mut Vec<String>,
    more: &mut bool,
) -> Result<Vec<Response>, String> {
    let doc: Value =
        serde_json::from_slice(raw).map_err(|e| format!("not a HAR file (invalid JSON: {e})"))?;
    let entries = doc
        .pointer("/log/entries")
        .and_then(Value::as_array)
        .ok_or("not a HAR file: no log.entries array")?;
    let mut responses = Vec::new();
    *more = entries.len() > MAX_RESPONSES;
    for entry in entries.iter().take(MAX_RESPONSES) {
        let Some(headers) = entry.pointer("/response/headers").and_then(Value::as_array) else {
            continue;
        };
        let mut map = HeaderMap::new();
        for h in headers {
            let name = h.get("name").and_then(Value::as_str).unwrap_or_default();
            let value = h.get("value").and_then(Value::as_str).unwrap_or_default();
            // HAR stores text. Tools that decode header bytes isomorphically (byte 0xNN as
            // U+00NN) are reversed exactly; text with wider characters was UTF-8 decoded, so
            // its UTF-8 bytes are the original ones.
            let bytes: Vec<u8> = if value.chars().all(|c| u32::from(c) <= 0xFF) {
                value
                    .chars()
                    .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
                    .collect()
            } else {
                value.as_bytes().to_vec()
            };
            add_header(&mut map, name.as_bytes(), &bytes, skipped);
        }
        responses.push(Response {
            url: entry
                .pointer("/request/url")
                .and_then(Value::as_str)
                .map(str::to_owned),
            status: entry.pointer("/response/status").map(Value::to_string),
            headers: map,
            redirects: None,
        });
    }
    if responses.is_empty() {
        return Err("the HAR file holds no response with headers".to_owned());
    }
    Ok(responses)
}

/// Reads the responses of an input file.
fn read_responses(raw: &[u8]) -> Result<(Vec<Response>, Vec<String>), String> {
    let mut skipped = Vec::new();
    let mut more = false;
    let first = raw.iter().find(|b| !b.is_ascii_whitespace());
    let responses = if first == Some(&b'{') {
        read_har(raw, &mut skipped, &mut more)?
    } else {
        let heads = read_heads(raw, &mut skipped, &mut more);
        if heads
            .iter()
            .all(|r| r.headers.is_empty() && r.status.is_none())
        {
            return Err(
                "the input is neither a response head (`curl -sI` output) nor a HAR file"
                    .to_owned(),
            );
        }
        heads
    };
    if more {
        eprintln!(
            "secure-headers: the file holds more than {MAX_RESPONSES} responses; only the first \
             {MAX_RESPONSES} are audited"
        );
    }
    Ok((responses, skipped))
}

fn context(args: &AuditArgs, response: &Response) -> Context {
    let mut ctx = match &response.url {
        Some(url) => Context::for_url(url),
        None => Context::default(),
    };
    if args.http {
        ctx.https = false;
    }
    ctx
}

/// One audited response.
struct Audited {
    response: Response,
    report: Report,
}

#[derive(Serialize)]
struct FixedJson {
    headers: Vec<(String, String)>,
    needs_decision: Vec<String>,
}

fn fixed_json(report: &Report) -> FixedJson {
    let fixed = report.fixed_headers();
    FixedJson {
        headers: fixed
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    input::isomorphic_decode(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        needs_decision: fixed.needs_decision,
    }
}

#[derive(Serialize)]
struct ReportJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(flatten)]
    report: &'a Report,
    #[serde(skip_serializing_if = "Option::is_none")]
    fixed_headers: Option<FixedJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    redirects: Option<&'a [RedirectReport]>,
}

fn write_finding(out: &mut impl Write, f: &Finding, indent: &str) -> io::Result<()> {
    let place = match &f.directive {
        Some(d) => format!("{} {d}", f.header),
        None => f.header.to_owned(),
    };
    writeln!(out, "{indent}[{}] {} ({place})", f.severity.as_str(), f.id)?;
    writeln!(out, "{indent}    {}", f.message)?;
    if let Some(fx) = &f.fix {
        writeln!(out, "{indent}    fix: {fx}")?;
    }
    Ok(())
}

fn write_redirects(out: &mut impl Write, redirects: &[RedirectReport]) -> io::Result<()> {
    if redirects.is_empty() {
        return Ok(());
    }
    writeln!(out, "Redirects:")?;
    for r in redirects {
        write!(out, "  {} {} -> {}", r.status, r.url, r.location)?;
        if r.location_header != r.location {
            write!(out, " (Location: {})", r.location_header.escape_debug())?;
        }
        writeln!(out)?;
        for f in &r.findings {
            write_finding(out, f, "      ")?;
        }
    }
    Ok(())
}

fn write_text(out: &mut impl Write, audited: &[Audited], fix: bool) -> io::Result<()> {
    for (i, a) in audited.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        if let Some(redirects) = &a.response.redirects {
            write_redirects(out, redirects)?;
        }
        if let Some(url) = &a.response.url {
            writeln!(out, "{url}")?;
        }
        if let Some(status) = &a.response.status {
            writeln!(out, "Status: {status}")?;
        }
        writeln!(out, "Grade: {} (score {})", a.report.grade, a.report.score)?;
        if a.report.findings.is_empty() {
            writeln!(out, "No findings.")?;
        }
        for f in &a.report.findings {
            write_finding(out, f, "  ")?;
        }
        if fix {
            let fixed = a.report.fixed_headers();
            writeln!(out, "Fixed headers:")?;
            for (n, v) in &fixed.headers {
                writeln!(out, "  {}: {}", n, input::isomorphic_decode(v.as_bytes()))?;
            }
            for note in &fixed.needs_decision {
                writeln!(out, "  needs a decision: {note}")?;
            }
        }
    }
    Ok(())
}

fn write_json(out: &mut impl Write, audited: &[Audited], fix: bool) -> io::Result<()> {
    let items: Vec<ReportJson<'_>> = audited
        .iter()
        .map(|a| ReportJson {
            url: a.response.url.as_deref(),
            report: &a.report,
            fixed_headers: fix.then(|| fixed_json(&a.report)),
            redirects: a.response.redirects.as_deref(),
        })
        .collect();
    match items.as_slice() {
        [one] => serde_json::to_writer_pretty(&mut *out, one)?,
        many => serde_json::to_writer_pretty(&mut *out, many)?,
    }
    out.write_all(b"\n")
}

const fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// A minimal SARIF 2.1.0 log: one run, one rule per finding id, one result per finding.
///
/// Written from borrowed typed records (members in alphabetical order), so the
/// log costs little more memory than its findings.
fn sarif<'a>(audited: &'a [Audited], artifact: &'a str) -> SarifLog<'a> {
    let mut rules: Vec<SarifRule<'a>> = Vec::new();
    let mut rule_ids: HashSet<&str> = HashSet::new();
    let mut results = Vec::new();
    for a in audited {
        let location = a.response.url.as_deref().unwrap_or(artifact);
        for f in &a.report.findings {
            if rule_ids.insert(f.id) {
                rules.push(SarifRule {
                    help_uri: f.spec,
                    id: f.id,
                    properties: SarifRuleProperties { header: f.header },
                    short_description: SarifText { text: f.id.into() },
                });
            }
            let text = match &f.fix {
                Some(fx) => format!("{} Fix: {fx}", f.message).into(),
                None => f.message.as_str().into(),
            };
            results.push(SarifResult {
                level: sarif_level(f.severity),
                locations: [SarifLocation {
                    physical_location: SarifPhysicalLocation {
                        artifact_location: SarifArtifactLocation { uri: location },
                    },
                }],
                message: SarifText { text },
                properties: SarifResultProperties {
                    grade: a.report.grade,
                    header: f.header,
                    severity: f.severity.as_str(),
                },
                rule_id: f.id,
            });
        }
    }
    SarifLog {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        runs: [SarifRun {
            results,
            tool: SarifTool {
                driver: SarifDriver {
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    name: "secure-headers",
                    rules,
                    version: env!("CARGO_PKG_VERSION"),
                },
            },
        }],
        version: "2.1.0",
    }
}

#[derive(Serialize)]
struct SarifLog<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    runs: [SarifRun<'a>; 1],
    version: &'static str,
}

#[derive(Serialize)]
struct SarifRun<'a> {
    results: Vec<SarifResult<'a>>,
    tool: SarifTool<'a>,
}

#[derive(Serialize)]
struct SarifTool<'a> {
    driver: SarifDriver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifDriver<'a> {
    information_uri: &'static str,
    name: &'static str,
    rules: Vec<SarifRule<'a>>,
    version: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRule<'a> {
    help_uri: &'a str,
    id: &'a str,
    properties: SarifRuleProperties<'a>,
    short_description: SarifText<'a>,
}

#[derive(Serialize)]
struct SarifRuleProperties<'a> {
    header: &'a str,
}

#[derive(Serialize)]
struct SarifText<'a> {
    text: Cow<'a, str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    level: &'static str,
    locations: [SarifLocation<'a>; 1],
    message: SarifText<'a>,
    properties: SarifResultProperties<'a>,
    rule_id: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation<'a> {
    physical_location: SarifPhysicalLocation<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifPhysicalLocation<'a> {
    artifact_location: SarifArtifactLocation<'a>,
}

#[derive(Serialize)]
struct SarifArtifactLocation<'a> {
    uri: &'a str,
}

#[derive(Serialize)]
struct SarifResultProperties<'a> {
    grade: &'a str,
    header: &'a str,
    severity: &'static str,
}

fn looks_like_url(arg: &OsString) -> bool {
    let text = arg.to_string_lossy();
    let lower = text.get(..8).unwrap_or(&text).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

fn run_inner(args: &AuditArgs) -> Result<bool, String> {
    if args.fix && args.format == Format::Sarif {
        return Err(
            "--fix prints headers, which SARIF has no place for; use --format text or json"
                .to_owned(),
        );
    }
    let url = args.file.to_str().filter(|_| looks_like_url(&args.file));
    let (responses, skipped) = match url {
        Some(url) => fetch_url(url, args)?,
        None => read_responses(&input::read_path(&args.file)?)?,
    };
    for s in skipped.iter().take(5) {
        eprintln!(
            "secure-headers: skipped a header line that is not a valid field (or a new name past \
             the most a response can hold): `{}`",
            s.escape_debug()
        );
    }
    let audited: Vec<Audited> = responses
        .into_iter()
        .map(|response| {
            let report = audit(&response.headers, &context(args, &response));
            Audited { response, report }
        })
        .collect();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let written = match args.format {
        Format::Text => write_text(&mut out, &audited, args.fix),
        Format::Json => write_json(&mut out, &audited, args.fix),
        Format::Sarif => {
            let artifact = args.file.to_string_lossy();
            serde_json::to_writer_pretty(&mut out, &sarif(&audited, &artifact))
                .map_err(io::Error::from)
                .and_then(|()| out.write_all(b"\n"))
        }
    };
    if let Err(e) = written.and_then(|()| out.flush()) {
        input::output_error(&e)?;
    }
    let below = args.fail_under.is_some_and(|limit| {
        audited
            .iter()
            .any(|a| grade_rank(a.report.grade) > grade_rank(limit))
    });
    Ok(below)
}

/// Fetches `url`, following redirects, and returns its final response with the audited
/// redirects.
fn fetch_url(url: &str, args: &AuditArgs) -> Result<(Vec<Response>, Vec<String>), String> {
    let limits = fetch::Limits {
        max_redirects: args.max_redirects,
        timeout: args.timeout,
    };
    let fetched = fetch::fetch_following(url, &limits)?;
    let mut skipped = Vec::new();
    let mut redirects = Vec::with_capacity(fetched.redirects.len());
    for (i, r) in fetched.redirects.into_iter().enumerate() {
        let findings = redirect_findings(&r, i == 0);
        skipped.extend(r.exchange.skipped);
        redirects.push(RedirectReport {
            status: r.exchange.status,
            url: r.exchange.url.to_string(),
            location: r.location.to_string(),
            location_header: r.location_header,
            findings,
        });
    }
    let last = fetched.last;
    skipped.extend(last.skipped);
    let response = Response {
        url: Some(last.url.to_string()),
        status: Some(last.status_line),
        headers: last.headers,
        redirects: Some(redirects),
    };
    Ok((vec![response], skipped))
}

/// RFC 6797 §7.2: an HSTS host answers plain HTTP requests with a permanent redirect to the
/// same URI with the `https` scheme.
const SPEC_REDIRECT: &str = "https://www.rfc-editor.org/rfc/rfc6797#section-7.2";

/// What matters on a redirect response: where it leads (HTTP to HTTPS, on the same host
/// first, never back to HTTP), and its HSTS and cookie headers, which browsers process on
/// redirects as on any response.
fn redirect_findings(redirect: &fetch::Redirect, first: bool) -> Vec<Finding> {
    let from = &redirect.exchange.url;
    let to = &redirect.location;
    let mut findings = Vec::new();
    match (from.is_https(), to.is_https()) {
        (false, true) if first && from.host() != to.host() => findings.push(
            Finding::new(
                "redirect-off-host-from-http",
                Severity::Medium,
                "location",
                format!(
                    "Plain HTTP redirects to HTTPS on another host ({}), so browsers never \
                     receive HSTS for {}: its next http:// visit can be intercepted again.",
                    to.host(),
                    from.host()
                ),
                SPEC_REDIRECT,
            )
            .with_fix(format!(
                "Redirect {from} to {} first, send HSTS there, then redirect to the other host.",
                from.upgraded()
            )),
        ),
        (false, true) => findings.push(Finding::new(
            "redirect-to-https",
            Severity::Info,
            "location",
            "Plain HTTP redirects to HTTPS.",
            SPEC_REDIRECT,
        )),
        (false, false) => findings.push(
            Finding::new(
                "redirect-not-to-https",
                Severity::Medium,
                "location",
                "Plain HTTP redirects to another plain HTTP URL: that request can be read and changed on the network as well.",
                SPEC_REDIRECT,
            )
            .with_fix(format!(
                "Redirect straight to {} (the same URL with the https scheme).",
                from.upgraded()
            )),
        ),
        (true, false) => findings.push(
            Finding::new(
                "redirect-https-to-http",
                Severity::High,
                "location",
                "An HTTPS response redirects to plain HTTP: the next request can be read and changed on the network (unless HSTS for that host upgrades it).",
                SPEC_REDIRECT,
            )
            .with_fix("Redirect to an https:// URL."),
        ),
        (true, true) => {}
    }
    let ctx = Context::for_url(&from.to_string());
    let report = audit(&redirect.exchange.headers, &ctx);
    findings.extend(report.findings.into_iter().filter(|f| {
        // Over plain HTTP, the redirect finding above says what to do instead.
        matches!(f.header, "strict-transport-security" | "set-cookie") && f.id != "hsts-no-https"
    }));
    findings
}

/// Reads one response head: its status line (when there is one), its fields, and the lines
/// that are not valid fields.
pub(crate) fn read_head_fields(raw: &[u8]) -> (Option<String>, HeaderMap, Vec<String>) {
    let mut skipped = Vec::new();
    match read_heads(raw, &mut skipped, &mut false).into_iter().next() {
        Some(r) => (r.status, r.headers, skipped),
        None => (None, HeaderMap::new(), skipped),
    }
}

/// Runs `audit`.
pub(crate) fn run(args: &AuditArgs) -> ExitCode {
    match run_inner(args) {
        Ok(false) => ExitCode::SUCCESS,
        Ok(true) => {
            eprintln!("secure-headers: grade below the --fail-under limit");
            ExitCode::FAILURE
        }
        Err(message) => input::fail(&message),
    }
}

/// Reads the first response head of `raw` and returns its headers, or `None` when there is
/// none.
pub(crate) fn parse_head(raw: &[u8]) -> Option<HeaderMap> {
    let mut skipped = Vec::new();
    read_heads(raw, &mut skipped, &mut false)
        .into_iter()
        .next()
        .map(|r| r.headers)
}

/// Audits `headers` and renders the text report with its grade.
pub(crate) fn text_report(headers: &HeaderMap, ctx: &Context) -> (String, &'static str) {
    let report = audit(headers, ctx);
    let grade = report.grade;
    let audited = [Audited {
        response: Response {
            url: ctx.url.clone(),
            status: None,
            headers: HeaderMap::new(),
            redirects: None,
        },
        report,
    }];
    let mut buf = Vec::new();
    // Writing into memory cannot fail.
    let _ = write_text(&mut buf, &audited, false);
    (String::from_utf8_lossy(&buf).into_owned(), grade)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fetch::{Exchange, HttpUrl, Redirect};

    fn redirect(from: &str, to: &str, head: &str) -> Redirect {
        let from = HttpUrl::parse(from).expect("from");
        let location = from.join(to).expect("to");
        let raw = format!("HTTP/1.1 301 Moved Permanently\r\nLocation: {to}\r\n{head}\r\n");
        let (status_line, headers, skipped) = read_head_fields(raw.as_bytes());
        Redirect {
            exchange: Exchange {
                url: from,
                status: 301,
                status_line: status_line.expect("status line"),
                headers,
                skipped,
            },
            location_header: to.to_owned(),
            location,
        }
    }

    fn ids(findings: &[Finding]) -> Vec<&'static str> {
        findings.iter().map(|f| f.id).collect()
    }

    #[test]
    fn http_to_https_on_the_same_host_is_the_recommended_redirect() {
        let r = redirect("http://example.com/a", "https://example.com/a", "");
        assert_eq!(ids(&redirect_findings(&r, true)), ["redirect-to-https"]);
    }

    #[test]
    fn first_http_redirect_to_another_https_host_prevents_hsts() {
        let r = redirect("http://example.com/", "https://www.example.com/", "");
        let findings = redirect_findings(&r, true);
        assert_eq!(ids(&findings), ["redirect-off-host-from-http"]);
        assert_eq!(
            findings[0].fix.as_deref(),
            Some(
                "Redirect http://example.com/ to https://example.com/ first, send HSTS there, then redirect to the other host."
            )
        );
        // Later in the chain, the host was already upgraded by an earlier hop.
        assert_eq!(ids(&redirect_findings(&r, false)), ["redirect-to-https"]);
    }

    #[test]
    fn https_redirect_to_plain_http_is_high() {
        let hsts = "Strict-Transport-Security: max-age=63072000; includeSubDomains; preload\r\n";
        let r = redirect("https://example.com/", "http://example.com/", hsts);
        let findings = redirect_findings(&r, true);
        assert_eq!(ids(&findings), ["redirect-https-to-http"]);
        assert_eq!(findings[0].severity, Severity::High);
    }

    #[test]
    fn https_redirect_without_hsts_is_reported_on_the_hop() {
        let r = redirect("https://example.com/", "https://www.example.com/", "");
        assert_eq!(ids(&redirect_findings(&r, true)), ["hsts-missing"]);
        let weak = redirect(
            "https://example.com/",
            "/home",
            "Strict-Transport-Security: max-age=60\r\n",
        );
        assert!(ids(&redirect_findings(&weak, true)).contains(&"hsts-max-age-too-short"));
    }

    #[test]
    fn http_redirect_gets_the_redirect_finding_instead_of_hsts_no_https() {
        let r = redirect("http://example.com/", "/other", "");
        assert_eq!(ids(&redirect_findings(&r, true)), ["redirect-not-to-https"]);
    }
}
