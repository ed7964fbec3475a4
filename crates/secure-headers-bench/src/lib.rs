//! A small measurement harness shared by the benchmarks in `benches/`.
//!
//! Every benchmark runs our code, its peers and a floor on the same inputs in one process, and
//! prints one table with nanoseconds per item, throughput, allocations per item and the ratio to
//! a chosen baseline. Timings are the median of interleaved timed rounds after a warm-up pass.
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

/// Timed rounds per row (see [`measure_interleaved`]).
const ROUNDS: usize = 15;

/// One row of an interleaved measurement ([`measure_interleaved`]): a pass of `f` over every
/// input.
pub struct Case<'a> {
    name: String,
    items: usize,
    bytes_per_item: f64,
    pass: Box<dyn FnMut() + 'a>,
}

impl<'a> Case<'a> {
    /// A row named `name` that runs `f` once per input (its result is black-boxed); `bytes` gives
    /// each input's size for the throughput column.
    pub fn new<I, R>(
        name: &str,
        inputs: &'a [I],
        bytes: impl Fn(&I) -> usize,
        mut f: impl FnMut(&I) -> R + 'a,
    ) -> Self {
        let items = inputs.len().max(1);
        let total_bytes: usize = inputs.iter().map(bytes).sum();
        Case {
            name: name.to_owned(),
            items,
            bytes_per_item: total_bytes as f64 / items as f64,
            pass: Box::new(move || {
                for i in inputs {
                    black_box(f(black_box(i)));
                }
            }),
        }
    }
}

/// Measures several rows in interleaved rounds: each round times every row once (about 20 ms
/// each, starting from a different row every round), and each row's figure is its median over
/// fifteen rounds. On a shared machine whose speed drifts, rows compared with each other are
/// then timed under the same conditions, which timing one row after the other does not
/// ensure. Allocations are counted in one untimed pass per row after a warm-up pass.
pub fn measure_interleaved(mut cases: Vec<Case<'_>>) -> Vec<Measurement> {
    let mut allocs = Vec::with_capacity(cases.len());
    let mut reps = Vec::with_capacity(cases.len());
    for case in &mut cases {
        (case.pass)();
        let region = Region::new(GLOBAL);
        let start = Instant::now();
        (case.pass)();
        let once = start.elapsed();
        allocs.push(region.change().allocations);
        // Enough passes for about 20 ms per round.
        let per_round = Duration::from_millis(20).as_nanos() / once.as_nanos().max(1);
        reps.push(u32::try_from(per_round).unwrap_or(u32::MAX).max(1));
    }
    let mut per_item: Vec<Vec<f64>> = vec![Vec::with_capacity(ROUNDS); cases.len()];
    let n = cases.len();
    for round in 0..ROUNDS {
        for k in 0..n {
            let index = (round + k) % n;
            let case = &mut cases[index];
            let start = Instant::now();
            for _ in 0..reps[index] {
                (case.pass)();
            }
            let elapsed = start.elapsed().as_secs_f64() * 1e9;
            per_item[index].push(elapsed / f64::from(reps[index]) / case.items as f64);
        }
    }
    cases
        .iter()
        .zip(per_item.iter_mut())
        .zip(allocs)
        .map(|((case, times), allocs)| {
            times.sort_by(f64::total_cmp);
            Measurement {
                name: case.name.clone(),
                ns_per_item: times[times.len() / 2],
                bytes_per_item: case.bytes_per_item,
                allocs_per_item: allocs as f64 / case.items as f64,
            }
        })
        .collect()
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
