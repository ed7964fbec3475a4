//! A small measurement harness shared by the benchmarks in `benches/`.
//!
//! Every benchmark runs our code, its peers and a floor on the same inputs in one process, and
//! prints one table with nanoseconds per item, throughput, allocations per item and the ratio to
//! a chosen baseline. Timings are the median of several timed rounds after a warm-up round.
#![forbid(unsafe_code)]

use std::alloc::System;
use std::hint::black_box;
use std::time::{Duration, Instant};

use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

/// The counting allocator; each benchmark binary links this library and so counts allocations.
#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Where the workspace keeps its test data (`tests/data`).
#[must_use]
pub fn data_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data")
}

/// Reads the `value` field of every line of a JSON Lines corpus file under `tests/data/corpus`.
///
/// # Panics
/// When the file is missing or a line is not JSON with a string `value`: the benchmark cannot run.
#[must_use]
pub fn corpus_values(file: &str) -> Vec<String> {
    let path = data_dir().join("corpus").join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| json_string_field(l, "value").unwrap_or_else(|| panic!("no value in {l}")))
        .collect()
}

/// Extracts a top-level string field from one JSON object line (enough for the corpus files,
/// whose values hold only JSON string escapes).
fn json_string_field(line: &str, field: &str) -> Option<String> {
    let key = format!("\"{field}\":");
    let start = line.find(&key)? + key.len();
    let rest = line[start..].trim_start().strip_prefix('"')?;
    let mut out = String::new();
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                'r' => out.push('\r'),
                't' => out.push('\t'),
                'b' => out.push('\u{8}'),
                'f' => out.push('\u{c}'),
                'u' => {
                    let hex: String = chars.by_ref().take(4).collect();
                    let code = u32::from_str_radix(&hex, 16).ok()?;
                    out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                }
                other => out.push(other),
            },
            c => out.push(c),
        }
    }
    None
}

/// One measured row.
#[derive(Debug, Clone)]
pub struct Measurement {
    /// What was measured.
    pub name: String,
    /// Median nanoseconds per item.
    pub ns_per_item: f64,
    /// Bytes of input per item, for throughput (0 when it does not apply).
    pub bytes_per_item: f64,
    /// Heap allocations per item, counted in one extra untimed round.
    pub allocs_per_item: f64,
}

/// Runs `f` once per input over all inputs, for several rounds, and returns the median.
///
/// `f` must consume its result through [`black_box`] (it is passed the input and returns a value
/// that is black-boxed here).
pub fn measure<I, R>(
    name: &str,
    inputs: &[I],
    bytes: impl Fn(&I) -> usize,
    mut f: impl FnMut(&I) -> R,
) -> Measurement {
    let n = inputs.len().max(1);
    let total_bytes: usize = inputs.iter().map(&bytes).sum();
    // warm-up
    for i in inputs {
        black_box(f(black_box(i)));
    }
    // allocation count, one round
    let region = Region::new(GLOBAL);
    for i in inputs {
        black_box(f(black_box(i)));
    }
    let allocs = region.change().allocations;
    // timing: rounds of at least ~50 ms each, median of 7
    let mut per_item = Vec::new();
    for _ in 0..7 {
        let start = Instant::now();
        let mut reps = 0u32;
        while start.elapsed() < Duration::from_millis(50) || reps == 0 {
            for i in inputs {
                black_box(f(black_box(i)));
            }
            reps += 1;
        }
        let elapsed = start.elapsed().as_secs_f64() * 1e9;
        per_item.push(elapsed / f64::from(reps) / n as f64);
    }
    per_item.sort_by(f64::total_cmp);
    Measurement {
        name: name.to_owned(),
        ns_per_item: per_item[per_item.len() / 2],
        bytes_per_item: total_bytes as f64 / n as f64,
        allocs_per_item: allocs as f64 / n as f64,
    }
}

/// Prints a table of measurements with the ratio of each row to the row named `baseline`.
pub fn print_table(title: &str, rows: &[Measurement], baseline: &str) {
    let base = rows
        .iter()
        .find(|r| r.name == baseline)
        .map_or(f64::NAN, |r| r.ns_per_item);
    println!("\n## {title}\n");
    println!(
        "| {:<44} | {:>12} | {:>9} | {:>11} | {:>12} |",
        "what",
        "ns/item",
        "MB/s",
        "allocs/item",
        format!("x {baseline}")
    );
    println!(
        "|{:-<46}|{:->14}|{:->11}|{:->13}|{:->14}|",
        "", "", "", "", ""
    );
    for r in rows {
        let mbs = if r.bytes_per_item > 0.0 {
            format!("{:.0}", r.bytes_per_item / r.ns_per_item * 1e3)
        } else {
            "-".to_owned()
        };
        println!(
            "| {:<44} | {:>12.1} | {:>9} | {:>11.2} | {:>12.2} |",
            r.name,
            r.ns_per_item,
            mbs,
            r.allocs_per_item,
            r.ns_per_item / base
        );
    }
}
