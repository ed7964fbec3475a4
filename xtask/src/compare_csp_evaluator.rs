//! `cargo xtask compare-csp-evaluator`: a differential test of our CSP checks against Google's
//! CSP Evaluator (the `csp_evaluator` npm package, pinned in
//! `xtask/compare-csp-evaluator/package.json` and `package-lock.json`).
//!
//! Every policy of `tests/data/corpus/csp.jsonl` (and of the hand-written
//! `xtask/compare-csp-evaluator/edge-policies.jsonl`) is evaluated twice by each side, at CSP
//! level 3:
//! `secure-headers csp check --jsonl --csp-version 3` against the evaluator's default set, and
//! `csp check --strict` against the default plus strict-CSP sets (the check sets are spelled out
//! in `evaluate.js`). Per policy, the multisets of findings are compared on (CSP Evaluator type,
//! directive, severity, value) — finer than (type, directive), so that a HIGH bypass on one side
//! against a MEDIUM_MAYBE allowlist note on the other counts as a disagreement — and a table of
//! agreement per finding type is printed.
//!
//! Every disagreement must be listed, with its exact count and an explanation class, in
//! `xtask/compare-csp-evaluator/expected-differences.json` (explained in
//! `crates/header-audit/CSP_EVALUATOR_DIFFERENTIAL.md`). The run fails on a disagreement that
//! is not listed, and on a listed one that no longer occurs, so the table stays exact. With
//! `--print-unexplained`, the unlisted disagreements are printed as entries to classify.
//!
//! Without `node`/`npm`, or when the npm registry is unreachable for the first install, the run
//! prints one `compare-csp-evaluator: SKIPPED (…)` line and succeeds.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use serde_json::Value;

/// The folder with `package.json`, `evaluate.js` and the expected differences.
const TOOL_DIR: &str = "xtask/compare-csp-evaluator";
/// The inputs, each one JSON object per line with the policy in `"value"`: the real-world
/// corpus, and hand-written edge cases for the parsing differences the corpus does not hold
/// (commas, non-ASCII whitespace, control bytes, CSP3 keywords…).
const INPUTS: &[(&str, &str)] = &[
    ("corpus", "tests/data/corpus/csp.jsonl"),
    ("edge", "xtask/compare-csp-evaluator/edge-policies.jsonl"),
];
/// The committed list of explained disagreements.
const EXPECTED: &str = "xtask/compare-csp-evaluator/expected-differences.json";
/// The `csp_evaluator` version `package.json` pins.
const PINNED_VERSION: &str = "1.1.8";
/// Characters of the policy kept in an expected entry, to catch a corpus edit.
const POLICY_PREFIX_CHARS: usize = 48;

/// One comparison run: a name used in the expected table, and the arguments of each side.
struct Mode {
    name: &'static str,
    ours: &'static [&'static str],
    theirs: &'static [&'static str],
}

const MODES: &[Mode] = &[
    Mode {
        name: "csp3",
        ours: &["csp", "check", "--jsonl", "--csp-version", "3"],
        theirs: &["--csp-version", "3"],
    },
    Mode {
        name: "csp3-strict",
        ours: &["csp", "check", "--jsonl", "--csp-version", "3", "--strict"],
        theirs: &["--csp-version", "3", "--strict"],
    },
];

/// Which side reported more findings of a (type, directive) pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Side {
    Theirs,
    Ours,
}

impl Side {
    const fn name(self) -> &'static str {
        match self {
            Self::Theirs => "theirs",
            Self::Ours => "ours",
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        match name {
            "theirs" => Some(Self::Theirs),
            "ours" => Some(Self::Ours),
            _ => None,
        }
    }
}

/// What a finding is compared on: CSP Evaluator type, directive, severity and value (empty
/// when the finding has none).
type FindingKey = (String, String, String, String);

/// A disagreement: mode, input, line (1-based), finding, side.
type DiffKey = (String, String, usize, FindingKey, Side);

/// The committed table.
struct Expected {
    /// Types our CLI reports that the CSP Evaluator defines but has no check for.
    not_compared: BTreeMap<String, String>,
    differences: BTreeMap<DiffKey, Listed>,
}

/// One listed disagreement.
struct Listed {
    count: u64,
    class: String,
    /// The first characters of the policy, to catch a corpus edit.
    policy_starts_with: String,
}

/// Agreement counts of one finding type.
#[derive(Default, Clone, Copy)]
struct Agreement {
    both: u64,
    only_theirs: u64,
    only_ours: u64,
}

/// Whether the CSP Evaluator can run here.
enum Setup {
    Ready,
    /// The comparison cannot run on this machine, for this reason.
    Unavailable(String),
}

/// `cargo xtask compare-csp-evaluator [--print-unexplained]`.
pub(crate) fn compare_command(args: &[String]) -> Result<(), String> {
    let mut print_unexplained = false;
    for arg in args {
        match arg.as_str() {
            "--print-unexplained" => print_unexplained = true,
            other => return Err(format!("compare-csp-evaluator: unknown argument `{other}`")),
        }
    }
    let started = Instant::now();
    let root = crate::root();
    let tool_dir = root.join(TOOL_DIR);
    if let Setup::Unavailable(reason) = ensure_evaluator(&tool_dir)? {
        println!("compare-csp-evaluator: SKIPPED ({reason})");
        return Ok(());
    }
    let cli = build_cli(&root)?;
    let expected = read_expected(&root.join(EXPECTED))?;
    let mut policies = Vec::new();
    for (name, path) in INPUTS {
        policies.extend(read_policies(name, &root.join(path))?);
    }
    check_prefixes(&expected, &policies)?;

    let mut actual: BTreeMap<DiffKey, u64> = BTreeMap::new();
    for (name, _) in INPUTS {
        let these: Vec<&Policy> = policies.iter().filter(|p| p.input == *name).collect();
        let input: String = these.iter().map(|p| format!("{}\n", p.value)).collect();
        for mode in MODES {
            let theirs = run_lines(
                Command::new("node")
                    .arg(tool_dir.join("evaluate.js"))
                    .args(mode.theirs)
                    .current_dir(&tool_dir),
                &input,
                these.len(),
            )?;
            let ours = run_lines(Command::new(&cli).args(mode.ours), &input, these.len())?;
            let table = compare_mode(mode, &these, &theirs, &ours, &expected, &mut actual);
            print_table(mode, name, &table, these.len(), &actual);
        }
    }
    let verdict = verdict(&expected, &actual, &policies, print_unexplained);
    println!(
        "compare-csp-evaluator: {} policies x {} modes in {:.1} s",
        policies.len(),
        MODES.len(),
        started.elapsed().as_secs_f64()
    );
    verdict
}

/// Installs the pinned package with `npm ci` when it is missing (or another version is there).
/// Only a missing `node`/`npm` or an unreachable registry makes the comparison unavailable; an
/// install that fails while the registry answers is an error.
fn ensure_evaluator(tool_dir: &Path) -> Result<Setup, String> {
    for program in ["node", "npm"] {
        let answer = Command::new(program).arg("--version").output();
        if !answer.is_ok_and(|o| o.status.success()) {
            return Ok(Setup::Unavailable(format!("`{program}` is not installed")));
        }
    }
    if installed_version(tool_dir).as_deref() == Some(PINNED_VERSION) {
        return Ok(Setup::Ready);
    }
    eprintln!("\n==> npm ci (in {TOOL_DIR})");
    let installed = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(tool_dir)
        .status()
        .is_ok_and(|s| s.success());
    if installed && installed_version(tool_dir).as_deref() == Some(PINNED_VERSION) {
        return Ok(Setup::Ready);
    }
    let registry_answers = Command::new("npm")
        .arg("ping")
        .current_dir(tool_dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if registry_answers {
        // npm and the registry work, so the failure is ours to fix: do not hide it.
        return Err(format!(
            "`npm ci` in {TOOL_DIR} did not install csp_evaluator {PINNED_VERSION} although the npm registry answers"
        ));
    }
    Ok(Setup::Unavailable(
        "the npm registry is unreachable, so csp_evaluator cannot be installed".to_owned(),
    ))
}

fn installed_version(tool_dir: &Path) -> Option<String> {
    let text =
        std::fs::read_to_string(tool_dir.join("node_modules/csp_evaluator/package.json")).ok()?;
    let manifest: Value = serde_json::from_str(&text).ok()?;
    manifest.get("version")?.as_str().map(str::to_owned)
}

/// Builds the CLI (debug profile, the caller's target dir) and returns its path.
fn build_cli(root: &Path) -> Result<PathBuf, String> {
    eprintln!("\n==> cargo build -p secure-headers-cli");
    let output = Command::new(crate::cargo())
        .args([
            "build",
            "-p",
            "secure-headers-cli",
            "--bin",
            "secure-headers",
            "--message-format=json-render-diagnostics",
        ])
        .current_dir(root)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot start cargo: {e}"))?;
    if !output.status.success() {
        return Err("building secure-headers-cli failed".to_owned());
    }
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "secure-headers")
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .ok_or_else(|| "cargo did not report the secure-headers executable".to_owned())
}

/// One policy of an input.
struct Policy {
    /// The input's name in [`INPUTS`].
    input: &'static str,
    /// 1-based line of the input file.
    line: usize,
    value: String,
}

fn read_policies(input: &'static str, path: &Path) -> Result<Vec<Policy>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut out = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let row: Value = serde_json::from_str(line)
            .map_err(|e| format!("{}:{}: {e}", path.display(), index + 1))?;
        let value = row["value"]
            .as_str()
            .ok_or_else(|| format!("{}:{}: no \"value\"", path.display(), index + 1))?;
        // Both sides read one policy per line: a value with a line break cannot be sent whole.
        if value.contains(['\n', '\r']) {
            return Err(format!(
                "{}:{}: the value holds a line break; the line protocol cannot carry it",
                path.display(),
                index + 1
            ));
        }
        out.push(Policy {
            input,
            line: index + 1,
            value: value.to_owned(),
        });
    }
    Ok(out)
}

fn read_expected(path: &Path) -> Result<Expected, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let json: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let strings = |key: &str| -> Result<BTreeMap<String, String>, String> {
        json[key]
            .as_object()
            .ok_or_else(|| format!("{}: no \"{key}\" object", path.display()))?
            .iter()
            .map(|(k, v)| {
                v.as_str()
                    .map(|s| (k.clone(), s.to_owned()))
                    .ok_or_else(|| format!("{}: \"{key}\".\"{k}\" is not a string", path.display()))
            })
            .collect()
    };
    let classes = strings("classes")?;
    let not_compared = strings("not_compared_types")?;
    let mut differences = BTreeMap::new();
    let entries = json["differences"]
        .as_array()
        .ok_or_else(|| format!("{}: no \"differences\" array", path.display()))?;
    for (i, entry) in entries.iter().enumerate() {
        let bad = |what: &str| format!("{}: differences[{i}]: {what}", path.display());
        let text = |key: &str| {
            entry[key]
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| bad(&format!("no \"{key}\"")))
        };
        let mode = text("mode")?;
        if !MODES.iter().any(|m| m.name == mode) {
            return Err(bad(&format!("unknown mode `{mode}`")));
        }
        let line = entry["line"]
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| bad("no \"line\""))?;
        let side = Side::from_name(&text("side")?)
            .ok_or_else(|| bad("\"side\" is neither \"theirs\" nor \"ours\""))?;
        let count = entry["count"]
            .as_u64()
            .filter(|n| *n > 0)
            .ok_or_else(|| bad("\"count\" must be a positive number"))?;
        let class = text("class")?;
        if !classes.contains_key(&class) {
            return Err(bad(&format!(
                "class `{class}` is not described in \"classes\""
            )));
        }
        let finding = (
            text("type")?,
            text("directive")?,
            text("severity")?,
            entry["value"].as_str().unwrap_or("").to_owned(),
        );
        let input = text("input")?;
        if !INPUTS.iter().any(|(name, _)| *name == input) {
            return Err(bad(&format!("unknown input `{input}`")));
        }
        let key = (mode, input, line, finding, side);
        let listed = Listed {
            count,
            class,
            policy_starts_with: text("policy_starts_with")?,
        };
        if differences.insert(key, listed).is_some() {
            return Err(bad("listed twice"));
        }
    }
    Ok(Expected {
        not_compared,
        differences,
    })
}

/// Every expected entry names the start of its policy: a corpus edit that moves lines fails
/// instead of silently re-targeting the explanations.
fn check_prefixes(expected: &Expected, policies: &[Policy]) -> Result<(), String> {
    for ((_, input, line, ..), listed) in &expected.differences {
        let prefix = &listed.policy_starts_with;
        let value = policies
            .iter()
            .find(|p| p.input == input && p.line == *line)
            .map(|p| p.value.as_str());
        if value.map(policy_prefix).as_deref() != Some(prefix.as_str()) {
            return Err(format!(
                "{EXPECTED}: the entry for {input} line {line} starts with `{prefix}`, that line does not; update the table"
            ));
        }
    }
    Ok(())
}

/// `TYPE (SEVERITY) on directive: value` for messages.
fn describe(finding: &FindingKey) -> String {
    let (kind, directive, severity, value) = finding;
    format!("{kind} ({severity}) on `{directive}`: `{value}`")
}

fn policy_prefix(value: &str) -> String {
    value.chars().take(POLICY_PREFIX_CHARS).collect()
}

/// Runs a command with `input` on stdin and returns its stdout lines, parsed as JSON.
fn run_lines(command: &mut Command, input: &str, expected: usize) -> Result<Vec<Value>, String> {
    let shown = format!("{command:?}");
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start {shown}: {e}"))?;
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| format!("{shown}: no stdin"))?;
    let owned = input.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(owned.as_bytes()));
    let output = child
        .wait_with_output()
        .map_err(|e| format!("{shown}: {e}"))?;
    writer
        .join()
        .map_err(|_| format!("{shown}: the stdin writer panicked"))?
        .map_err(|e| format!("{shown}: cannot write stdin: {e}"))?;
    if !output.status.success() {
        return Err(format!("{shown} failed ({})", output.status));
    }
    let lines: Vec<Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{shown}: output is not JSON lines: {e}"))?;
    if lines.len() != expected {
        return Err(format!(
            "{shown}: {} answers for {expected} policies",
            lines.len()
        ));
    }
    Ok(lines)
}

/// The finding multiset of one answer; `type_key` and `severity_key` name the fields that
/// hold the CSP Evaluator type and severity (ours carry them as `csp_evaluator_*`).
fn finding_counts(
    answer: &Value,
    type_key: &str,
    severity_key: &str,
    skip: &BTreeMap<String, String>,
) -> BTreeMap<FindingKey, u64> {
    let mut out = BTreeMap::new();
    for f in answer["findings"].as_array().into_iter().flatten() {
        let Some(kind) = f[type_key].as_str() else {
            continue;
        };
        if skip.contains_key(kind) {
            continue;
        }
        let field = |key: &str| f[key].as_str().unwrap_or("").to_owned();
        let key = (
            kind.to_owned(),
            field("directive"),
            field(severity_key),
            field("value"),
        );
        *out.entry(key).or_insert(0) += 1;
    }
    out
}

/// Compares one mode; records every disagreement in `actual` and returns the per-type table.
fn compare_mode(
    mode: &Mode,
    policies: &[&Policy],
    theirs: &[Value],
    ours: &[Value],
    expected: &Expected,
    actual: &mut BTreeMap<DiffKey, u64>,
) -> BTreeMap<String, Agreement> {
    let none = BTreeMap::new();
    let mut table: BTreeMap<String, Agreement> = BTreeMap::new();
    for ((policy, their), our) in policies.iter().zip(theirs).zip(ours) {
        let their_counts = finding_counts(their, "type", "severity", &none);
        let our_counts = finding_counts(
            our,
            "csp_evaluator_type",
            "csp_evaluator_severity",
            &expected.not_compared,
        );
        let keys: BTreeSet<&FindingKey> = their_counts.keys().chain(our_counts.keys()).collect();
        for key in keys {
            let t = their_counts.get(key).copied().unwrap_or(0);
            let o = our_counts.get(key).copied().unwrap_or(0);
            let row = table.entry(key.0.clone()).or_default();
            row.both += t.min(o);
            let (side, count) = if t > o {
                row.only_theirs += t - o;
                (Side::Theirs, t - o)
            } else {
                row.only_ours += o - t;
                (Side::Ours, o - t)
            };
            if count > 0 {
                actual.insert(
                    (
                        mode.name.to_owned(),
                        policy.input.to_owned(),
                        policy.line,
                        key.clone(),
                        side,
                    ),
                    count,
                );
            }
        }
        // A check that threw answered nothing: that is a disagreement to explain as well.
        for error in their["errors"].as_array().into_iter().flatten() {
            let check = error["check"].as_str().unwrap_or("?");
            let kind = format!("THREW:{check}");
            table.entry(kind.clone()).or_default().only_theirs += 1;
            let finding = (kind, String::new(), String::new(), String::new());
            *actual
                .entry((
                    mode.name.to_owned(),
                    policy.input.to_owned(),
                    policy.line,
                    finding,
                    Side::Theirs,
                ))
                .or_insert(0) += 1;
            if let Some(message) = error["message"].as_str() {
                eprintln!(
                    "note: {} {} line {}: {check} threw: {message}",
                    mode.name, policy.input, policy.line
                );
            }
        }
    }
    table
}

fn print_table(
    mode: &Mode,
    input: &str,
    table: &BTreeMap<String, Agreement>,
    policy_count: usize,
    actual: &BTreeMap<DiffKey, u64>,
) {
    let disagreeing: BTreeSet<usize> = actual
        .keys()
        .filter(|k| k.0 == mode.name && k.1 == input)
        .map(|k| k.2)
        .collect();
    println!(
        "\n{input}, {}: `secure-headers {}` vs csp_evaluator {PINNED_VERSION} (`node evaluate.js {}`)",
        mode.name,
        mode.ours.join(" "),
        mode.theirs.join(" ")
    );
    println!(
        "{:<36} {:>6} {:>12} {:>10}",
        "finding type", "both", "only theirs", "only ours"
    );
    let mut total = Agreement::default();
    for (kind, row) in table {
        println!(
            "{kind:<36} {:>6} {:>12} {:>10}",
            row.both, row.only_theirs, row.only_ours
        );
        total.both += row.both;
        total.only_theirs += row.only_theirs;
        total.only_ours += row.only_ours;
    }
    println!(
        "{:<36} {:>6} {:>12} {:>10}",
        "total", total.both, total.only_theirs, total.only_ours
    );
    println!(
        "policies in full agreement: {} of {policy_count}",
        policy_count - disagreeing.len()
    );
}

/// Compares the measured disagreements with the committed table.
fn verdict(
    expected: &Expected,
    actual: &BTreeMap<DiffKey, u64>,
    policies: &[Policy],
    print_unexplained: bool,
) -> Result<(), String> {
    let mut by_class: BTreeMap<(&str, &str, &str), u64> = BTreeMap::new();
    let mut unexplained = Vec::new();
    for (key, count) in actual {
        match expected.differences.get(key) {
            Some(listed) if listed.count == *count => {
                *by_class
                    .entry((key.1.as_str(), key.0.as_str(), listed.class.as_str()))
                    .or_insert(0) += count;
            }
            _ => unexplained.push((key, *count)),
        }
    }
    let stale: Vec<(&DiffKey, u64)> = expected
        .differences
        .iter()
        .filter(|(key, listed)| actual.get(*key) != Some(&listed.count))
        .map(|(key, listed)| (key, listed.count))
        .collect();

    println!(
        "\nexplained disagreements by class (see crates/header-audit/CSP_EVALUATOR_DIFFERENTIAL.md):"
    );
    for ((input, mode, class), count) in &by_class {
        println!("  {input:<7} {mode:<12} {class:<36} {count:>5}");
    }
    for (kind, why) in &expected.not_compared {
        println!("  not compared: {kind} ({why})");
    }
    for (key, count) in &unexplained {
        println!(
            "UNEXPLAINED {} {} line {}: {} reported {count} more time(s) by {}",
            key.0,
            key.1,
            key.2,
            describe(&key.3),
            key.4.name()
        );
    }
    for (key, count) in &stale {
        println!(
            "STALE {} {} line {}: the table lists {count} more {} by {}, the run found {}",
            key.0,
            key.1,
            key.2,
            describe(&key.3),
            key.4.name(),
            actual.get(*key).copied().unwrap_or(0)
        );
    }
    if print_unexplained && !unexplained.is_empty() {
        let entries: Vec<Value> = unexplained
            .iter()
            .map(|(key, count)| {
                let prefix = policies
                    .iter()
                    .find(|p| p.input == key.1 && p.line == key.2)
                    .map(|p| policy_prefix(&p.value))
                    .unwrap_or_default();
                serde_json::json!({
                    "mode": key.0, "input": key.1, "line": key.2, "policy_starts_with": prefix,
                    "type": key.3.0, "directive": key.3.1, "severity": key.3.2,
                    "value": key.3.3, "side": key.4.name(),
                    "count": count, "class": "UNCLASSIFIED",
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&entries).unwrap_or_default()
        );
    }
    if unexplained.is_empty() && stale.is_empty() {
        println!("\ncompare-csp-evaluator: every disagreement is explained in {EXPECTED}");
        Ok(())
    } else {
        Err(format!(
            "{} unexplained and {} stale disagreement(s): fix our check, or explain them in {EXPECTED} and CSP_EVALUATOR_DIFFERENTIAL.md",
            unexplained.len(),
            stale.len()
        ))
    }
}
