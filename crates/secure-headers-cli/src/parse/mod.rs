//! `secure-headers parse`: header values in, one JSON object per value out.
//!
//! Each header's mapping from its crate's parser to JSON lives in its own module; this one
//! reads the input, picks the module and writes the output.

mod cookie;
mod csp;
mod frame_options;
mod hpkp;
mod hsts;
mod nosniff;

use std::borrow::Cow;
use std::ffi::OsString;
use std::fmt;
use std::io::{self, BufRead, BufWriter, Read, Write};
use std::process::ExitCode;

use serde::Serialize;

/// Help text shown after the options of `parse`.
pub(crate) const EXAMPLES: &str = "\
Examples:
  secure-headers parse --header content-security-policy \"script-src 'self' 'nonce-abc'; object-src 'none'\"
  secure-headers parse --header Strict-Transport-Security 'max-age=31536000; includeSubDomains'
  printf 'DENY\\nALLOW-FROM https://a.example\\n' | secure-headers parse --header x-frame-options --jsonl
  secure-headers parse --header set-cookie --host example.com '__Host-sid=1; Path=/; Secure'

Output: an object with `ok` (whether a browser applies the header), the parsed value (`policies` for
CSP, `value` for the others), `error` when not ok, `diagnostics` (what a browser ignores) and
`serialized` (the canonical form). Input bytes are read as a browser does (byte 0xNN is U+00NN).";

/// The longest value read; a longer one is answered with an error without being parsed
/// (servers reject header blocks far smaller than this).
const MAX_VALUE_LEN: usize = 1024 * 1024;

/// Arguments of `secure-headers parse`.
#[derive(clap::Args)]
pub(crate) struct ParseArgs {
    /// The header the values belong to, in any case: content-security-policy,
    /// content-security-policy-report-only, strict-transport-security, x-frame-options,
    /// x-content-type-options, public-key-pins, public-key-pins-report-only, set-cookie.
    #[arg(long, value_name = "NAME", value_parser = Header::from_name)]
    header: Header,

    /// Read one value per line from standard input (a trailing CR is removed) and print one
    /// compact JSON object per line, in order.
    #[arg(long)]
    jsonl: bool,

    /// Set-Cookie only: the host of the (HTTPS) response that sets the cookie, for the Domain
    /// check. Without it, the cookie's own Domain is taken as the host, so only the
    /// host-independent storage rules (Secure, SameSite, Partitioned, prefixes) apply.
    #[arg(long, value_name = "HOST")]
    host: Option<String>,

    /// The header value. Without it, the value is read from standard input (the whole input
    /// is one value, or one value per line with --jsonl).
    #[arg(value_name = "VALUE")]
    value: Option<OsString>,
}

/// The headers `parse` knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Header {
    Csp { report_only: bool },
    StrictTransportSecurity,
    FrameOptions,
    ContentTypeOptions,
    PublicKeyPins { report_only: bool },
    SetCookie,
}

impl Header {
    const NAMES: [(&'static str, Header); 8] = [
        (
            "content-security-policy",
            Header::Csp { report_only: false },
        ),
        (
            "content-security-policy-report-only",
            Header::Csp { report_only: true },
        ),
        ("strict-transport-security", Header::StrictTransportSecurity),
        ("x-frame-options", Header::FrameOptions),
        ("x-content-type-options", Header::ContentTypeOptions),
        (
            "public-key-pins",
            Header::PublicKeyPins { report_only: false },
        ),
        (
            "public-key-pins-report-only",
            Header::PublicKeyPins { report_only: true },
        ),
        ("set-cookie", Header::SetCookie),
    ];

    /// Header names are case-insensitive (RFC 9110 §5.1).
    fn from_name(name: &str) -> Result<Header, String> {
        let trimmed = name.trim();
        Self::NAMES
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(trimmed))
            .map(|&(_, header)| header)
            .ok_or_else(|| {
                let known: Vec<&str> = Self::NAMES.iter().map(|(n, _)| *n).collect();
                format!(
                    "unknown header `{}`; supported: {}",
                    trimmed.escape_debug(),
                    known.join(", ")
                )
            })
    }
}

/// What `parse` prints for one value: each header's own JSON shape.
#[derive(Serialize)]
#[serde(untagged)]
enum HeaderAnswer {
    Csp(csp::CspAnswer),
    StrictTransportSecurity(Answer<hsts::HstsJson>),
    FrameOptions(Answer<frame_options::FrameOptionsJson>),
    ContentTypeOptions(Answer<nosniff::NoSniffJson>),
    PublicKeyPins(Answer<hpkp::PinsJson>),
    SetCookie(Answer<cookie::SetCookieJson>),
    Unparsed(Answer<()>),
}

/// The JSON shape of every header but CSP.
#[derive(Serialize)]
pub(crate) struct Answer<V> {
    /// Whether a browser applies the header.
    ok: bool,
    /// The typed result (`null` when there is none).
    value: Option<V>,
    /// Why a browser ignores the header, when it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    /// A stable identifier of `error`.
    #[serde(skip_serializing_if = "Option::is_none")]
    error_kind: Option<String>,
    /// What a browser ignores or overrides in a header it applies.
    diagnostics: Vec<DiagnosticJson>,
    /// The canonical serialization, when `ok`.
    #[serde(skip_serializing_if = "Option::is_none")]
    serialized: Option<String>,
}

impl<V> Answer<V> {
    fn applied(value: V, diagnostics: Vec<DiagnosticJson>, serialized: String) -> Self {
        Answer {
            ok: true,
            value: Some(value),
            error: None,
            error_kind: None,
            diagnostics,
            serialized: Some(serialized),
        }
    }

    fn ignored(error: &(impl fmt::Display + fmt::Debug), value: Option<V>) -> Self {
        Answer {
            ok: false,
            value,
            error: Some(error.to_string()),
            error_kind: Some(kind_name(error)),
            diagnostics: Vec::new(),
            serialized: None,
        }
    }

    fn with_diagnostics(mut self, diagnostics: Vec<DiagnosticJson>) -> Self {
        self.diagnostics = diagnostics;
        self
    }
}

/// One diagnostic: a stable `kind`, a human `message`, and where it applies when known.
#[derive(Serialize)]
pub(crate) struct DiagnosticJson {
    kind: String,
    message: String,
    /// Byte range in the value.
    #[serde(skip_serializing_if = "Option::is_none")]
    span: Option<[usize; 2]>,
    /// The bytes of `span`, isomorphic-decoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    /// Byte offset in the value, when only the start is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    offset: Option<usize>,
    /// Position of the list member concerned (0 is the first).
    #[serde(skip_serializing_if = "Option::is_none")]
    index: Option<usize>,
    /// CSP: the comma-separated policy concerned (0 is the first).
    #[serde(skip_serializing_if = "Option::is_none")]
    policy_index: Option<usize>,
    /// CSP: the directive concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    directive: Option<String>,
}

impl DiagnosticJson {
    /// A diagnostic whose kind is named after `kind`'s variant.
    fn new(kind: &impl fmt::Debug, message: impl fmt::Display) -> Self {
        DiagnosticJson {
            kind: kind_name(kind),
            message: message.to_string(),
            span: None,
            text: None,
            offset: None,
            index: None,
            policy_index: None,
            directive: None,
        }
    }

    /// Adds the text it is about, which starts at byte `start` of the value.
    fn spanning(mut self, start: usize, text: &str) -> Self {
        self.span = Some([start, start.saturating_add(text.len())]);
        self.text = Some(text.to_owned());
        self
    }

    /// Adds the byte offset it is about.
    fn at_offset(mut self, offset: usize) -> Self {
        self.offset = Some(offset);
        self
    }

    /// Adds the list member it is about.
    fn at_index(mut self, index: usize) -> Self {
        self.index = Some(index);
        self
    }

    /// Adds the byte range of `raw` it is about.
    fn at(mut self, raw: &[u8], start: usize, end: usize) -> Self {
        self.span = Some([start, end]);
        self.text = raw
            .get(start..end)
            .map(|bytes| isomorphic_decode(bytes).into_owned());
        self
    }
}

/// The kebab-case name of an enum variant from its `Debug` form: `DuplicateDirective { .. }`
/// becomes `duplicate-directive`. Keeps the JSON in step with the libraries' own variants,
/// including ones added later.
fn kind_name(value: &impl fmt::Debug) -> String {
    let debug = format!("{value:?}");
    let variant = debug
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or_default();
    let mut kebab = String::with_capacity(variant.len() + 4);
    for (i, c) in variant.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            kebab.push('-');
        }
        kebab.push(c.to_ascii_lowercase());
    }
    kebab
}

/// Fetch / CSP3 §2.2.1 step 1: byte 0xNN becomes U+00NN.
fn isomorphic_decode(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(ascii) if bytes.is_ascii() => Cow::Borrowed(ascii),
        _ => Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect()),
    }
}

/// Parses one header value.
fn answer(args: &ParseArgs, raw: &[u8]) -> HeaderAnswer {
    if raw.len() > MAX_VALUE_LEN {
        return too_long(args.header);
    }
    let text = isomorphic_decode(raw);
    match args.header {
        Header::Csp { report_only } => HeaderAnswer::Csp(csp::answer(raw, report_only)),
        Header::StrictTransportSecurity => {
            HeaderAnswer::StrictTransportSecurity(hsts::answer(&text))
        }
        Header::FrameOptions => HeaderAnswer::FrameOptions(frame_options::answer(raw)),
        Header::ContentTypeOptions => HeaderAnswer::ContentTypeOptions(nosniff::answer(raw)),
        Header::PublicKeyPins { report_only } => {
            HeaderAnswer::PublicKeyPins(hpkp::answer(&text, report_only))
        }
        Header::SetCookie => HeaderAnswer::SetCookie(cookie::answer(&text, args.host.as_deref())),
    }
}

#[derive(Debug)]
struct ValueTooLong;

impl fmt::Display for ValueTooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "value is longer than {MAX_VALUE_LEN} bytes; not parsed")
    }
}

fn too_long(header: Header) -> HeaderAnswer {
    match header {
        Header::Csp { .. } => HeaderAnswer::Csp(csp::CspAnswer::unparsed(&ValueTooLong)),
        _ => HeaderAnswer::Unparsed(Answer::ignored(&ValueTooLong, None)),
    }
}

/// Runs `parse`; the exit status is 0 unless input or output fails.
pub(crate) fn run(args: &ParseArgs) -> ExitCode {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let result = match &args.value {
        Some(value) => write_answer(&mut out, &answer(args, &os_bytes(value)), !args.jsonl),
        None if args.jsonl => answer_lines(args, &mut io::stdin().lock(), &mut out),
        None => read_one(&mut io::stdin().lock())
            .and_then(|raw| write_answer(&mut out, &answer(args, &raw), true)),
    };
    match result.and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away (`| head`): nothing left to say.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("secure-headers: {e}");
            ExitCode::FAILURE
        }
    }
}

fn write_answer(out: &mut impl Write, answer: &HeaderAnswer, pretty: bool) -> io::Result<()> {
    if pretty {
        serde_json::to_writer_pretty(&mut *out, answer)?;
    } else {
        serde_json::to_writer(&mut *out, answer)?;
    }
    out.write_all(b"\n")
}

/// The bytes of a command-line value, as the OS passed them.
fn os_bytes(value: &OsString) -> Vec<u8> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        value.as_bytes().to_vec()
    }
    #[cfg(not(unix))]
    {
        value.to_string_lossy().into_owned().into_bytes()
    }
}

/// The whole of standard input as one value, without its final line break.
fn read_one(input: &mut impl Read) -> io::Result<Vec<u8>> {
    let mut raw = Vec::new();
    input
        .take(u64::try_from(MAX_VALUE_LEN).unwrap_or(u64::MAX) + 1)
        .read_to_end(&mut raw)
        .map_err(|e| io::Error::new(e.kind(), format!("cannot read standard input: {e}")))?;
    if raw.len() <= MAX_VALUE_LEN {
        if raw.last() == Some(&b'\n') {
            raw.pop();
        }
        if raw.last() == Some(&b'\r') {
            raw.pop();
        }
    }
    Ok(raw)
}

/// `--jsonl`: one answer per input line, in order. A line longer than [`MAX_VALUE_LEN`] is
/// answered with an error and skipped without being held in memory.
fn answer_lines(
    args: &ParseArgs,
    input: &mut impl BufRead,
    out: &mut impl Write,
) -> io::Result<()> {
    let limit = u64::try_from(MAX_VALUE_LEN).unwrap_or(u64::MAX) + 1;
    let mut line = Vec::new();
    loop {
        line.clear();
        let read = input
            .by_ref()
            .take(limit)
            .read_until(b'\n', &mut line)
            .map_err(|e| io::Error::new(e.kind(), format!("cannot read standard input: {e}")))?;
        if read == 0 {
            return Ok(());
        }
        let ended = line.last() == Some(&b'\n');
        if ended {
            line.pop();
        } else if line.len() > MAX_VALUE_LEN {
            skip_rest_of_line(input)?;
            write_answer(out, &too_long(args.header), false)?;
            continue;
        }
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        write_answer(out, &answer(args, &line), false)?;
    }
}

fn skip_rest_of_line(input: &mut impl BufRead) -> io::Result<()> {
    loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        if let Some(pos) = buf.iter().position(|&b| b == b'\n') {
            input.consume(pos + 1);
            return Ok(());
        }
        let len = buf.len();
        input.consume(len);
    }
}
