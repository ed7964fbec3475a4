//! `demo`: the recommended preset served locally, fetched and audited.

mod support;

use support::run;

#[test]
fn demo_serves_fetches_and_grades_the_recommended_headers() {
    let out = run(&["demo"], b"");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.contains("HTTP/1.1 200"), "{text}");
    assert!(text.contains("content-security-policy: "), "{text}");
    assert!(text.contains("x-content-type-options: nosniff"), "{text}");
    let grade = text
        .lines()
        .find_map(|l| l.strip_prefix("Grade: "))
        .expect("a grade line");
    // The recommended preset is meant to grade in the A range.
    assert!(grade.starts_with('A'), "{grade}");
}
