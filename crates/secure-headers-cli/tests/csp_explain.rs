//! `csp explain` and `csp diff`.

mod support;

use support::{assert_clean_failure, run};

fn stdout(args: &[&str]) -> String {
    let out = run(args, b"");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn explain_shows_fallback_for_unset_fetch_directives() {
    let text = stdout(&[
        "csp",
        "explain",
        "default-src 'self'; script-src https://cdn.example",
    ]);
    assert!(
        text.contains("img-src: not set, falls back to default-src: 'self'"),
        "{text}"
    );
    assert!(
        text.contains("worker-src: not set, falls back to script-src: https://cdn.example"),
        "{text}"
    );
    assert!(
        text.contains("https://cdn.example: URLs at https://cdn.example"),
        "{text}"
    );
}

#[test]
fn explain_says_base_uri_has_no_fallback() {
    let text = stdout(&["csp", "explain", "default-src 'none'"]);
    assert!(text.contains("base-uri: not set (no fallback)"), "{text}");
    assert!(text.contains("'none': nothing"), "{text}");
}

#[test]
fn explain_without_default_src_says_anything_is_allowed() {
    let text = stdout(&["csp", "explain", "object-src 'none'"]);
    assert!(
        text.contains("img-src: not set, and nothing to fall back to"),
        "{text}"
    );
}

#[test]
fn explain_of_unusable_policy_fails_in_one_line() {
    assert_clean_failure(&run(&["csp", "explain", ";;\u{1}"], b""));
}

#[test]
fn diff_lists_added_and_removed_sources_per_directive() {
    let text = stdout(&[
        "csp",
        "diff",
        "script-src 'self' 'unsafe-eval'",
        "script-src 'self' 'unsafe-inline'",
    ]);
    assert!(text.contains("script-src: A set -> B set"), "{text}");
    assert!(text.contains("  + 'unsafe-inline'"), "{text}");
    assert!(text.contains("  - 'unsafe-eval'"), "{text}");
    assert!(!text.contains("+ 'self'"), "{text}");
}

#[test]
fn diff_compares_unset_directive_through_its_fallback() {
    let text = stdout(&[
        "csp",
        "diff",
        "default-src 'self'",
        "default-src 'self'; img-src *",
    ]);
    assert!(
        text.contains("img-src: A via default-src -> B set"),
        "{text}"
    );
    assert!(text.contains("  + *"), "{text}");
    assert!(text.contains("  - 'self'"), "{text}");
}

#[test]
fn diff_of_identical_policies_reports_no_difference() {
    let text = stdout(&["csp", "diff", "script-src 'self'", "SCRIPT-SRC 'SELF'"]);
    assert!(text.contains("no difference"), "{text}");
}

#[test]
fn diff_of_lists_without_difference_says_so_after_the_note() {
    let text = stdout(&[
        "csp",
        "diff",
        "script-src 'self', img-src 'none'",
        "script-src 'self'",
    ]);
    assert!(
        text.starts_with("note: only the first policy of each list is compared\n"),
        "{text}"
    );
    assert!(text.contains("no difference"), "{text}");
}

#[test]
fn text_stays_the_default_format() {
    let text = stdout(&["csp", "explain", "--format", "text", "img-src 'self'"]);
    assert_eq!(text, stdout(&["csp", "explain", "img-src 'self'"]));
    assert!(
        text.starts_with("img-src 'self'\n  img-src: images and favicons\n"),
        "{text}"
    );
}
