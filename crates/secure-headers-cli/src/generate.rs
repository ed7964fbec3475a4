//! `secure-headers generate`: the header set of a preset or a configuration file, written for
//! servers that are not Rust (nginx, Apache, Caddy) or as plain lines / JSON.
//!
//! The values are never serialized here: they are what the bundle's own apply path puts into an
//! empty `http::HeaderMap` for an HTTPS response, so each printed value is byte for byte what
//! `SecureHeaders::apply` sends. Only the nonce slot of a nonce-based CSP is replaced, because a
//! per-response nonce cannot be written into a static configuration.

use std::ffi::OsString;
use std::io::{self, Write};
use std::process::ExitCode;

use http::HeaderMap;
use secure_headers::{CspNonce, ResponseContext, SecureHeaders};

use crate::input;

/// Help text shown after the options of `generate`.
pub(crate) const EXAMPLES: &str = "\
Examples:
  secure-headers generate
  secure-headers generate --preset strict --format nginx > security-headers.conf
  secure-headers generate --config headers.toml --format caddy

The header set is the one sent on an HTTPS response, so Strict-Transport-Security is included:
put the output into the configuration of the HTTPS server only. Header names are printed in
lower case, as the library sends them (HTTP/2 and HTTP/3 require it; HTTP/1.1 ignores case).

Formats:
  raw     one `name: value` line per header, the value byte for byte as `apply` sends it;
          removed headers are listed on stderr
  nginx   `add_header name \"value\" always;` (\\ and \" escaped, $ written as ${dollar}, with the
          `geo $dollar` line it needs); removals as `server_tokens off;` (Server) and
          `proxy_hide_header` / `fastcgi_hide_header`
  apache  `Header always set name \"value\"` (mod_headers; \\ \" and % escaped); removals as
          `Header always unset name` and `Header unset name`
  caddy   a `header { name \"value\" }` block; removals as `-name`
  json    {\"https\": true, \"nonce_placeholder\": \"{NONCE}\",
           \"headers\": [{\"name\": …, \"value\": …, \"nonce\": bool}], \"remove\": [name, …]}

A configuration file is the TOML of secure_headers::config (preset = \"strict\", [csp],
[headers], remove = [...]); it names its own preset, so --preset and --config exclude each other.

Nonce-based CSP (the strict preset): a per-response nonce cannot be static. raw and json print
'nonce-{NONCE}' where the nonce goes (a note on stderr says so); nginx uses 'nonce-${request_id}'
(128 random bits in hex, a valid nonce; the page must carry the same value); apache and caddy
print the CSP line commented out, because only the application can put the nonce into both the
header and the page.";

/// The placeholder printed where a per-response nonce goes (raw, json, apache and caddy).
pub(crate) const NONCE_PLACEHOLDER: &str = "{NONCE}";

/// The presets of the facade.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Preset {
    /// `SecureHeaders::recommended()`: helmet's defaults.
    Recommended,
    /// `SecureHeaders::strict()`: OWASP's recommendations with a nonce-based CSP.
    Strict,
    /// `SecureHeaders::api()`: JSON APIs.
    Api,
}

/// Output formats.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// `name: value` lines.
    Raw,
    /// nginx `add_header` directives.
    Nginx,
    /// Apache mod_headers `Header` directives.
    Apache,
    /// A Caddyfile `header` block.
    Caddy,
    /// A JSON object.
    Json,
}

/// Arguments of `secure-headers generate`.
#[derive(clap::Args)]
pub(crate) struct GenerateArgs {
    /// The preset to print (default: recommended).
    #[arg(long, value_enum, conflicts_with = "config")]
    preset: Option<Preset>,

    /// A TOML configuration file (secure_headers::config); `-` reads standard input.
    #[arg(long, value_name = "FILE.toml")]
    config: Option<OsString>,

    /// The output format.
    #[arg(long, value_enum, default_value = "raw")]
    format: Format,
}

/// One header of the set: its name and its value split at the nonce slots
/// (`parts.len() == slots + 1`).
struct Field {
    name: String,
    parts: Vec<String>,
}

impl Field {
    fn uses_nonce(&self) -> bool {
        self.parts.len() > 1
    }

    /// The value with each part passed through `escape` and each slot written as `slot`.
    fn render(&self, escape: impl Fn(&str) -> String, slot: &str) -> String {
        let escaped: Vec<String> = self.parts.iter().map(|p| escape(p)).collect();
        escaped.join(slot)
    }
}

/// Everything a format needs: the headers in the order `apply` adds them and the removed names.
struct HeaderSet {
    fields: Vec<Field>,
    remove: Vec<String>,
}

/// Collapses a multi-line error (TOML errors quote the offending line with a caret) into one
/// line: the message lines without the source excerpt.
fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .filter(|l| {
            let after_number = l
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .trim_start();
            !after_number.starts_with('|')
        })
        .collect::<Vec<_>>()
        .join(": ")
}

/// How messages and comments name the configuration: `` `path` `` or standard input.
fn config_name(path: &OsString) -> String {
    if path == "-" {
        "from standard input".to_owned()
    } else {
        // The name goes into a comment line of the output: no line break may end it early.
        let name: String = path
            .to_string_lossy()
            .chars()
            .map(|c| if c.is_control() { '?' } else { c })
            .collect();
        format!("`{name}`")
    }
}

fn load_bundle(args: &GenerateArgs) -> Result<SecureHeaders, String> {
    let builder = match (&args.config, args.preset) {
        (Some(path), _) => {
            let shown = config_name(path);
            let raw = input::read_path(path)?;
            let text = String::from_utf8(raw)
                .map_err(|_| format!("configuration {shown} is not UTF-8 text"))?;
            return secure_headers::config::from_toml(&text).map_err(|e| {
                // Errors that are not about one key carry the path `.`.
                let message = e.to_string();
                let message = message.strip_prefix(".: ").unwrap_or(&message);
                format!("invalid configuration {shown}: {}", one_line(message))
            });
        }
        (None, Some(Preset::Strict)) => SecureHeaders::strict(),
        (None, Some(Preset::Api)) => SecureHeaders::api(),
        (None, Some(Preset::Recommended) | None) => SecureHeaders::recommended(),
    };
    builder.build().map_err(|e| format!("invalid preset: {e}"))
}

/// Applies `bundle` to an empty map for an HTTPS response with `nonce`.
fn applied(bundle: &SecureHeaders, nonce: Option<CspNonce>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    bundle.apply_with(&mut headers, &ResponseContext::new(nonce, true), None);
    headers
}

/// Splits `first` at the places where it holds `nonce_a` and `second` (the same header applied
/// with `nonce_b`) holds `nonce_b`: those are the nonce slots, and everything else is the same in
/// both. A static source that happens to equal a nonce's text is not a slot, because it does not
/// change between the two.
fn split_at_slots(
    first: &[u8],
    second: &[u8],
    nonce_a: &[u8],
    nonce_b: &[u8],
) -> Option<Vec<Vec<u8>>> {
    let mut parts = vec![Vec::new()];
    let mut i = 0;
    while i < first.len() {
        let slot_here = first.get(i..).is_some_and(|rest| rest.starts_with(nonce_a))
            && second
                .get(i..)
                .is_some_and(|rest| rest.starts_with(nonce_b));
        if slot_here {
            parts.push(Vec::new());
            i += nonce_a.len();
            continue;
        }
        let (a, b) = (first.get(i)?, second.get(i)?);
        if a != b {
            return None;
        }
        parts.last_mut()?.push(*a);
        i += 1;
    }
    (first.len() == second.len()).then_some(parts)
}

fn header_set(bundle: &SecureHeaders) -> Result<HeaderSet, String> {
    // Two applications with two different nonces (same length): where the values differ is
    // exactly where the nonce goes. Without a nonce-based policy one application is enough.
    let (nonce_a, nonce_b) = (
        CspNonce::from_random_bytes([0x00; 16]),
        CspNonce::from_random_bytes([0xFF; 16]),
    );
    let uses_nonce = bundle.uses_nonce();
    let first = applied(bundle, uses_nonce.then_some(nonce_a));
    let second = if uses_nonce {
        applied(bundle, Some(nonce_b))
    } else {
        first.clone()
    };
    let mut fields = Vec::with_capacity(first.len());
    for (name, value) in &first {
        let other = second
            .get(name)
            .ok_or_else(|| format!("header {name} is not sent every time"))?;
        let parts = split_at_slots(
            value.as_bytes(),
            other.as_bytes(),
            nonce_a.as_bytes(),
            nonce_b.as_bytes(),
        )
        .ok_or_else(|| format!("header {name} changes between responses other than its nonce"))?;
        let parts = parts
            .into_iter()
            .map(|p| {
                // The library only builds visible-ASCII values; anything else would be a bug
                // that must not be written into a server configuration.
                String::from_utf8(p)
                    .ok()
                    .filter(|s| {
                        s.bytes()
                            .all(|b| b == b' ' || b == b'\t' || b.is_ascii_graphic())
                    })
                    .ok_or_else(|| format!("header {name} has a value that is not visible ASCII"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        fields.push(Field {
            name: name.as_str().to_owned(),
            parts,
        });
    }
    let remove = bundle
        .removed_headers()
        .iter()
        .map(|n| n.as_str().to_owned())
        .collect();
    Ok(HeaderSet { fields, remove })
}

// ---------------------------------------------------------------------------------------------
// Escaping, one function per server, each following that server's own parser
// ---------------------------------------------------------------------------------------------

/// nginx (`ngx_conf_read_token`): inside a double-quoted argument `\"` is a quote and `\\` a
/// backslash. `add_header` values are compiled as complex values in which `$` always starts a
/// variable and has no escape, so a literal `$` is written as `${dollar}`, a variable that the
/// printed `geo $dollar { default "$"; }` line defines (geo values are not interpolated).
pub(crate) fn nginx_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '$' => out.push_str("${dollar}"),
            _ => out.push(c),
        }
    }
    out
}

/// Apache: the value goes through two parsers. mod_headers reads it as a format string
/// (`%%` is a percent sign, any other `%x` a format tag; `\\` is a backslash and `\n`, `\r`,
/// `\t` control characters), so `%` and `\` are doubled first; then the configuration reader
/// (`ap_getword_conf`) unescapes `\\` and `\"` inside double quotes, so `\` is doubled again and
/// `"` escaped.
///
/// # Errors
/// A value containing `${`, which Apache replaces with the `Define`d variable of that name
/// before any parsing, with no escape.
pub(crate) fn apache_escape(value: &str) -> Result<String, String> {
    if value.contains("${") {
        return Err(
            "contains `${`, which Apache reads as a Define variable (there is no escape)"
                .to_owned(),
        );
    }
    let mut out = String::with_capacity(value.len() + 2);
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\\\\\"),
            '%' => out.push_str("%%"),
            '"' => out.push_str("\\\""),
            _ => out.push(c),
        }
    }
    Ok(out)
}

/// Caddy: the whole Caddyfile has `{$NAME}` replaced by environment variables before it is read
/// (no escape), header values go through the placeholder replacer at run time (`\{` and `\}` are
/// literal braces; the replacer looks at values that contain `{`), and the lexer reads a
/// double-quoted token with `\"` as a quote and every other backslash kept, or a backtick-quoted
/// token with no escapes at all. Returns the whole quoted token.
///
/// # Errors
/// A value containing `{$`, or one that needs both a literal `\"` (or a trailing backslash) and a
/// backtick, which no Caddyfile token can hold.
pub(crate) fn caddy_token(value: &str) -> Result<String, String> {
    if value.contains("{$") {
        return Err(
            "contains `{$`, which Caddy reads as an environment variable (there is no escape)"
                .to_owned(),
        );
    }
    let mut text = String::with_capacity(value.len() + 2);
    if value.contains('{') {
        for c in value.chars() {
            if c == '{' || c == '}' {
                text.push('\\');
            }
            text.push(c);
        }
    } else {
        text.push_str(value);
    }
    // In a double-quoted token a backslash before a quote (or before the closing quote) cannot
    // stand for itself; a backtick-quoted token takes every character as it is.
    if text.contains("\\\"") || text.ends_with('\\') {
        if text.contains('`') {
            return Err(
                "contains both a backslash before a quote (or at the end) and a backtick, which no Caddyfile token can hold"
                    .to_owned(),
            );
        }
        return Ok(format!("`{text}`"));
    }
    Ok(format!("\"{}\"", text.replace('"', "\\\"")))
}

// ---------------------------------------------------------------------------------------------
// Formats
// ---------------------------------------------------------------------------------------------

fn nonce_note(fields: &[Field]) -> Option<String> {
    let names: Vec<&str> = fields
        .iter()
        .filter(|f| f.uses_nonce())
        .map(|f| f.name.as_str())
        .collect();
    (!names.is_empty()).then(|| names.join(", "))
}

fn write_raw(out: &mut impl Write, set: &HeaderSet) -> io::Result<()> {
    for f in &set.fields {
        writeln!(
            out,
            "{}: {}",
            f.name,
            f.render(str::to_owned, NONCE_PLACEHOLDER)
        )?;
    }
    Ok(())
}

fn write_nginx(out: &mut impl Write, set: &HeaderSet, source: &str) -> io::Result<()> {
    writeln!(
        out,
        "# Security headers from secure-headers ({source}), for the HTTPS server."
    )?;
    writeln!(
        out,
        "# `always` adds them to every status (without it nginx adds them to 2xx/3xx only). A block"
    )?;
    writeln!(
        out,
        "# with any add_header of its own inherits none of these: repeat them in such blocks."
    )?;
    if set
        .fields
        .iter()
        .any(|f| f.parts.iter().any(|p| p.contains('$')))
    {
        writeln!(
            out,
            "# A value contains `$`, written as ${{dollar}}; put this line into the http {{}} block:"
        )?;
        writeln!(out, "# geo $dollar {{ default \"$\"; }}")?;
    }
    for f in &set.fields {
        if f.uses_nonce() {
            writeln!(
                out,
                "# {} carries $request_id (128 random bits in hex, a valid nonce) as its nonce.",
                f.name
            )?;
            writeln!(
                out,
                "# The page must carry the same value in <script nonce=\"...\">: pass it to the application"
            )?;
            writeln!(
                out,
                "# (proxy_set_header X-Request-Id $request_id;) or print it with SSI (<!--# echo var=\"request_id\" -->)."
            )?;
            writeln!(
                out,
                "# Never add it to every <script> with sub_filter: injected scripts would get it too."
            )?;
        }
        writeln!(
            out,
            "add_header {} \"{}\" always;",
            f.name,
            f.render(nginx_escape, "${request_id}")
        )?;
    }
    if !set.remove.is_empty() {
        writeln!(
            out,
            "# Removed headers (nginx removes its own Server header only with the"
        )?;
        writeln!(
            out,
            "# headers-more module: more_clear_headers; server_tokens off hides the version):"
        )?;
    }
    for name in &set.remove {
        if name == "server" {
            writeln!(out, "server_tokens off;")?;
        } else {
            writeln!(out, "proxy_hide_header {name};")?;
            writeln!(out, "fastcgi_hide_header {name};")?;
        }
    }
    Ok(())
}

/// Apache and Caddy: the directive `lines` of `set`'s fields (a line marked `true`, a
/// nonce-based policy, is printed commented out after a comment saying why), then the removals.
fn write_apache_or_caddy(
    out: &mut impl Write,
    caddy: bool,
    lines: &[(bool, String)],
    set: &HeaderSet,
    source: &str,
) -> io::Result<()> {
    let (server, indent, place) = if caddy {
        ("Caddy", "\t", "put the block into the HTTPS site")
    } else {
        (
            "Apache",
            "",
            "for the HTTPS virtual host; needs mod_headers",
        )
    };
    writeln!(
        out,
        "# Security headers from secure-headers ({source}); {place}."
    )?;
    if caddy {
        writeln!(out, "header {{")?;
    }
    for ((commented, line), f) in lines.iter().zip(&set.fields) {
        if *commented {
            writeln!(
                out,
                "{indent}# {} uses a per-response nonce, which {server} cannot put into both the",
                f.name
            )?;
            writeln!(
                out,
                "{indent}# header and the page's <script nonce>: send it from the application."
            )?;
            writeln!(out, "{indent}# {line}")?;
        } else {
            writeln!(out, "{indent}{line}")?;
        }
    }
    for name in &set.remove {
        if caddy {
            writeln!(out, "\t-{name}")?;
            continue;
        }
        if name == "server" {
            writeln!(
                out,
                "# Apache writes its own Server header after mod_headers; `ServerTokens Prod` in the"
            )?;
            writeln!(out, "# main server configuration reduces it to \"Apache\".")?;
        }
        writeln!(out, "Header always unset {name}")?;
        writeln!(out, "Header unset {name}")?;
    }
    if caddy {
        writeln!(out, "}}")?;
    }
    Ok(())
}

fn write_json(out: &mut impl Write, set: &HeaderSet) -> io::Result<()> {
    let headers: Vec<serde_json::Value> = set
        .fields
        .iter()
        .map(|f| {
            // Keys in alphabetical order, so the output is the same whether or not serde_json
            // keeps insertion order.
            serde_json::json!({
                "name": f.name,
                "nonce": f.uses_nonce(),
                "value": f.render(str::to_owned, NONCE_PLACEHOLDER),
            })
        })
        .collect();
    let doc = serde_json::json!({
        "headers": headers,
        "https": true,
        "nonce_placeholder": NONCE_PLACEHOLDER,
        "remove": set.remove,
    });
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::other)?;
    writeln!(out)
}

/// The directive lines of the formats that can fail on a value, escaped before anything is
/// printed so that an error leaves no half-written configuration. `true` marks a line that is
/// printed commented out (a nonce-based policy).
fn directive_lines(set: &HeaderSet, format: Format) -> Result<Vec<(bool, String)>, String> {
    set.fields
        .iter()
        .map(|f| {
            let line = match format {
                Format::Apache => {
                    let value = f
                        .parts
                        .iter()
                        .map(|p| apache_escape(p))
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(|e| format!("header {}: {e}", f.name))?
                        .join(NONCE_PLACEHOLDER);
                    format!("Header always set {} \"{value}\"", f.name)
                }
                // Caddy (the only other format that calls this).
                _ => {
                    let mut token = caddy_token(&f.render(str::to_owned, NONCE_PLACEHOLDER))
                        .map_err(|e| format!("header {}: {e}", f.name))?;
                    if f.uses_nonce() {
                        // The line is printed as a comment for the application to follow: show
                        // the placeholder as written everywhere else, not brace-escaped.
                        token = token.replace("\\{NONCE\\}", NONCE_PLACEHOLDER);
                    }
                    format!("{} {token}", f.name)
                }
            };
            Ok((f.uses_nonce(), line))
        })
        .collect()
}

fn run_inner(args: &GenerateArgs) -> Result<(), String> {
    let bundle = load_bundle(args)?;
    let set = header_set(&bundle)?;
    let source = match (&args.config, args.preset) {
        (Some(path), _) => format!("configuration {}", config_name(path)),
        (None, Some(Preset::Strict)) => "preset strict".to_owned(),
        (None, Some(Preset::Api)) => "preset api".to_owned(),
        (None, _) => "preset recommended".to_owned(),
    };
    let lines = match args.format {
        Format::Apache | Format::Caddy => directive_lines(&set, args.format)?,
        Format::Raw | Format::Nginx | Format::Json => Vec::new(),
    };
    let mut out = io::stdout().lock();
    let written = match args.format {
        Format::Raw => write_raw(&mut out, &set),
        Format::Nginx => write_nginx(&mut out, &set, &source),
        Format::Apache | Format::Caddy => write_apache_or_caddy(
            &mut out,
            args.format == Format::Caddy,
            &lines,
            &set,
            &source,
        ),
        Format::Json => write_json(&mut out, &set),
    };
    if let Err(e) = written.and_then(|()| out.flush()) {
        return input::output_error(&e);
    }
    if let Some(names) = nonce_note(&set.fields) {
        let how = match args.format {
            Format::Raw | Format::Json => format!(
                "{NONCE_PLACEHOLDER} marks where a fresh nonce goes on every response (128 random bits, base64), the same one the page's <script nonce> carries; a fixed nonce protects nothing"
            ),
            Format::Nginx => {
                "nginx puts $request_id there; the page must carry the same value".to_owned()
            }
            Format::Apache | Format::Caddy => {
                "its line is commented out: the application must send it".to_owned()
            }
        };
        eprintln!("secure-headers: note: {names} uses a per-response nonce; {how}");
    }
    if args.format == Format::Raw && !set.remove.is_empty() {
        eprintln!(
            "secure-headers: note: also remove these headers from every response: {}",
            set.remove.join(", ")
        );
    }
    Ok(())
}

/// Runs `generate`.
pub(crate) fn run(args: &GenerateArgs) -> ExitCode {
    input::finish(run_inner(args))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nginx_escapes_quote_backslash_and_dollar() {
        assert_eq!(nginx_escape(r#"a "b" \c $d"#), r#"a \"b\" \\c ${dollar}d"#);
    }

    #[test]
    fn apache_escapes_for_mod_headers_then_the_config_reader() {
        assert_eq!(
            apache_escape(r#"a "b" \n 50%"#).unwrap(),
            r#"a \"b\" \\\\n 50%%"#
        );
        assert!(apache_escape("x ${HOME}").is_err());
    }

    #[test]
    fn caddy_quotes_escapes_braces_and_falls_back_to_backticks() {
        assert_eq!(caddy_token(r#"a "b""#).unwrap(), r#""a \"b\"""#);
        assert_eq!(caddy_token(r"a\b").unwrap(), r#""a\b""#);
        assert_eq!(caddy_token("{host}").unwrap(), r#""\{host\}""#);
        assert_eq!(caddy_token(r#"a\"b"#).unwrap(), r#"`a\"b`"#);
        assert_eq!(caddy_token(r"a\").unwrap(), r"`a\`");
        assert!(caddy_token(r#"a\"`"#).is_err());
        assert!(caddy_token("{$HOME}").is_err());
    }

    #[test]
    fn slots_are_where_the_two_nonces_differ() {
        let parts =
            split_at_slots(b"x 'nonce-AA' y AA", b"x 'nonce-BB' y AA", b"AA", b"BB").unwrap();
        assert_eq!(parts, [b"x 'nonce-".to_vec(), b"' y AA".to_vec()]);
        assert!(split_at_slots(b"abc", b"abd", b"AA", b"BB").is_none());
    }

    #[test]
    fn toml_errors_become_one_line() {
        let message =
            "TOML parse error at line 1, column 3\n  |\n1 | a =\n  |    ^\nexpected a value\n";
        assert_eq!(
            one_line(message),
            "TOML parse error at line 1, column 3: expected a value"
        );
    }
}
