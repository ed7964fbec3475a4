//! Helpers shared by the integration tests.
#![allow(dead_code)]

use csp_builder::Policy;

/// Reads a file under the workspace `tests/data`.
pub(crate) fn data(path: &str) -> String {
    let full = format!("{}/../../tests/data/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("cannot read {full}: {e}"))
}

/// Reads a JSON vector file.
pub(crate) fn json(path: &str) -> serde_json::Value {
    serde_json::from_str(&data(path)).unwrap_or_else(|e| panic!("bad JSON in {path}: {e}"))
}

/// The `value` of every line of a JSON Lines corpus file.
pub(crate) fn corpus(file: &str) -> Vec<String> {
    data(&format!("corpus/{file}"))
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value =
                serde_json::from_str(l).unwrap_or_else(|e| panic!("bad line {l}: {e}"));
            v["value"]
                .as_str()
                .unwrap_or_else(|| panic!("no value in {l}"))
                .to_owned()
        })
        .collect()
}

/// A policy as (name, values) pairs.
pub(crate) fn shape(policy: &Policy) -> Vec<(String, Vec<String>)> {
    policy
        .directives()
        .map(|d| {
            (
                d.name().to_owned(),
                d.sources().map(|s| s.as_str().to_owned()).collect(),
            )
        })
        .collect()
}

/// Expected directives from a vector: `[{"name": .., "value": [..]}]`.
pub(crate) fn expected_shape(v: &serde_json::Value) -> Vec<(String, Vec<String>)> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|d| {
            let name = d["name"].as_str().unwrap_or_default().to_owned();
            let values = d["value"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            (name, values)
        })
        .collect()
}
