//! Every command's `--help` carries an example.

mod support;

use support::run;

#[test]
fn every_command_help_has_an_example() {
    let commands: [&[&str]; 11] = [
        &[],
        &["audit"],
        &["generate"],
        &["csp", "check"],
        &["csp", "explain"],
        &["csp", "diff"],
        &["hash"],
        &["pin"],
        &["nonce"],
        &["demo"],
        &["parse"],
    ];
    for command in commands {
        let mut args = command.to_vec();
        args.push("--help");
        let out = run(&args, b"");
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("Example"), "{args:?}: {text}");
        assert!(text.contains("secure-headers "), "{args:?}: {text}");
    }
}

#[test]
fn unknown_command_is_one_line_with_status_2() {
    let out = run(&["frobnicate"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr)
            .trim_end()
            .lines()
            .count(),
        1
    );
}

#[test]
fn audit_and_csp_help_show_the_url_and_json_examples() {
    let cases: [(&[&str], &str); 3] = [
        (&["audit", "--help"], "secure-headers audit http://"),
        (
            &["csp", "explain", "--help"],
            "secure-headers csp explain --format json",
        ),
        (
            &["csp", "diff", "--help"],
            "secure-headers csp diff --format json",
        ),
    ];
    for (args, example) in cases {
        let out = run(args, b"");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(example), "{args:?}: {text}");
        assert!(text.contains("JSON output"), "{args:?}: {text}");
    }
}
