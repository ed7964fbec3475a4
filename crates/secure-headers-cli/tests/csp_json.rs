//! `csp explain --format json` and `csp diff --format json`.

mod support;

use serde_json::{Value, json};
use support::{assert_clean_failure, run};

fn json_of(args: &[&str]) -> Value {
    let out = run(args, b"");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

fn explain(value: &str) -> Value {
    json_of(&["csp", "explain", "--format", "json", value])
}

fn diff(a: &str, b: &str) -> Value {
    json_of(&["csp", "diff", "--format", "json", a, b])
}

/// The first element of the array `doc[list]` whose field `key` equals `value`.
fn find_in<'v>(doc: &'v Value, list: &str, key: &str, value: &str) -> Option<&'v Value> {
    doc[list]
        .as_array()
        .expect(list)
        .iter()
        .find(|e| e[key] == value)
}

fn directive<'v>(policy: &'v Value, name: &str) -> &'v Value {
    find_in(policy, "directives", "name", name).unwrap_or_else(|| panic!("no {name} in {policy}"))
}

fn unset<'v>(policy: &'v Value, name: &str) -> &'v Value {
    find_in(policy, "unset", "directive", name)
        .unwrap_or_else(|| panic!("{name} is not listed as unset in {policy}"))
}

#[test]
fn explain_json_describes_each_directive_and_its_sources() {
    let doc = explain("default-src 'self'; script-src https://cdn.example");
    let policy = &doc["policies"][0];
    assert_eq!(
        policy["policy"],
        "default-src 'self'; script-src https://cdn.example"
    );
    assert_eq!(policy["disposition"], "enforce");
    let default_src = directive(policy, "default-src");
    assert_eq!(default_src["known"], true);
    assert_eq!(
        default_src["sources"],
        json!([{"source": "'self'", "kind": "keyword", "allows": "this page's own origin"}])
    );
    let script_src = directive(policy, "script-src");
    assert_eq!(script_src["sources"][0]["kind"], "host");
    assert_eq!(
        script_src["sources"][0]["allows"],
        "URLs at https://cdn.example"
    );
}

#[test]
fn explain_json_effective_for_follows_the_fallback_lists() {
    // CSP3 §6.8.3: worker-src falls back to child-src, then script-src, then default-src.
    let doc = explain("default-src 'self'; script-src https://cdn.example");
    let policy = &doc["policies"][0];
    let via_default: Vec<&str> = directive(policy, "default-src")["effective_for"]
        .as_array()
        .expect("effective_for")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(via_default.contains(&"img-src"), "{via_default:?}");
    assert!(!via_default.contains(&"worker-src"), "{via_default:?}");
    assert_eq!(
        directive(policy, "script-src")["effective_for"],
        json!(["script-src-elem", "script-src-attr", "worker-src"])
    );
    assert_eq!(
        unset(policy, "img-src"),
        &json!({"directive": "img-src", "has_fallback": true, "falls_back_to": "default-src",
                "restricted": true, "sources": ["'self'"]})
    );
}

#[test]
fn explain_json_marks_unrestricted_and_fallback_less_directives() {
    let doc = explain("object-src 'none'");
    let policy = &doc["policies"][0];
    assert_eq!(
        directive(policy, "object-src")["sources"][0],
        json!({"source": "'none'", "kind": "none", "allows": "nothing"})
    );
    // a fetch directive with a fallback list, none of which is set: anything goes
    assert_eq!(
        unset(policy, "img-src"),
        &json!({"directive": "img-src", "has_fallback": true, "falls_back_to": null,
                "restricted": false, "sources": null})
    );
    // base-uri has no fallback at all (CSP3 §6.3.1)
    assert_eq!(unset(policy, "base-uri")["has_fallback"], false);
    assert_eq!(unset(policy, "base-uri")["restricted"], false);
    assert!(
        !policy["unset"]
            .as_array()
            .expect("unset")
            .iter()
            .any(|u| u["directive"] == "object-src")
    );
}

#[test]
fn explain_json_reports_what_the_parser_ignored_with_offsets() {
    let value = "img-src 'self' 'bogus'";
    let doc = explain(value);
    let d = &doc["diagnostics"][0];
    assert_eq!(d["text"], "'bogus'");
    assert_eq!(d["directive"], "img-src");
    assert_eq!(d["policy_index"], 0);
    let start = value.find("'bogus'").expect("offset");
    assert_eq!(d["start"], start);
    assert_eq!(d["end"], start + "'bogus'".len());
    assert!(d["message"].is_string());
    assert_eq!(
        directive(&doc["policies"][0], "img-src")["sources"][1]["kind"],
        "invalid"
    );
}

#[test]
fn explain_json_has_one_entry_per_policy_of_a_list() {
    let doc = explain("img-src 'self', script-src 'none'");
    let policies = doc["policies"].as_array().expect("policies");
    assert_eq!(policies.len(), 2);
    assert_eq!(policies[1]["directives"][0]["name"], "script-src");
    assert_eq!(doc["diagnostics"], json!([]));
}

#[test]
fn explain_json_values_that_are_not_sources_have_no_allows() {
    let doc = explain("sandbox allow-scripts; report-to main");
    let policy = &doc["policies"][0];
    assert_eq!(
        directive(policy, "sandbox")["sources"][0],
        json!({"source": "allow-scripts", "kind": "value", "allows": null})
    );
    assert_eq!(
        directive(policy, "report-to")["sources"][0]["kind"],
        "value"
    );
}

#[test]
fn explain_json_of_an_unusable_policy_fails_in_one_line() {
    assert_clean_failure(&run(&["csp", "explain", "--format", "json", ";;"], b""));
}

#[test]
fn diff_json_lists_added_and_removed_sources_with_their_meaning() {
    let doc = diff(
        "script-src 'self' 'unsafe-eval'",
        "script-src 'self' 'unsafe-inline'",
    );
    assert_eq!(doc["identical"], false);
    assert_eq!(doc["a"], "script-src 'self' 'unsafe-eval'");
    let changes = doc["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 1);
    let change = &changes[0];
    assert_eq!(change["directive"], "script-src");
    assert_eq!(change["a"]["effective_directive"], "script-src");
    assert_eq!(change["b"]["sources"], json!(["'self'", "'unsafe-inline'"]));
    assert_eq!(change["added"][0]["source"], "'unsafe-inline'");
    assert_eq!(change["added"][0]["kind"], "keyword");
    assert!(
        change["added"][0]["allows"]
            .as_str()
            .expect("words")
            .contains("inline")
    );
    assert_eq!(
        change["removed"],
        json!([{"source": "'unsafe-eval'", "kind": "keyword",
                "allows": "eval(), new Function() and string timers"}])
    );
}

#[test]
fn diff_json_compares_through_fallbacks_and_marks_unrestricted_sides() {
    let doc = diff("default-src 'self'", "default-src 'self'; img-src *");
    let change = &doc["changes"][0];
    assert_eq!(change["directive"], "img-src");
    assert_eq!(
        change["a"],
        json!({"effective_directive": "default-src", "sources": ["'self'"]})
    );
    assert_eq!(
        change["b"],
        json!({"effective_directive": "img-src", "sources": ["*"]})
    );
    let unrestricted = diff("object-src 'none'", "object-src 'none'; img-src 'self'");
    let img = find_in(&unrestricted, "changes", "directive", "img-src").expect("img-src change");
    assert_eq!(img["a"], Value::Null);
    assert_eq!(img["added"][0]["source"], "'self'");
}

#[test]
fn diff_json_of_equivalent_policies_is_identical() {
    let doc = diff("script-src 'self'", "SCRIPT-SRC 'SELF'");
    assert_eq!(doc["identical"], true);
    assert_eq!(doc["changes"], json!([]));
    assert_eq!(doc["only_first_policies_compared"], false);
}

#[test]
fn diff_json_says_when_only_the_first_policies_are_compared() {
    let doc = diff("script-src 'self', img-src 'none'", "script-src 'self'");
    assert_eq!(doc["only_first_policies_compared"], true);
    assert_eq!(doc["identical"], true);
}

#[test]
fn diff_json_values_of_non_source_directives_are_plain_values() {
    let doc = diff("sandbox", "sandbox allow-scripts");
    let change = &doc["changes"][0];
    assert_eq!(change["directive"], "sandbox");
    assert_eq!(
        change["added"],
        json!([{"source": "allow-scripts", "kind": "value", "allows": null}])
    );
}

#[test]
fn diff_json_with_an_unusable_side_fails_in_one_line() {
    let out = run(
        &["csp", "diff", "--format", "json", "script-src 'self'", ";"],
        b"",
    );
    assert_clean_failure(&out);
    assert!(String::from_utf8_lossy(&out.stderr).contains("B: "));
}
