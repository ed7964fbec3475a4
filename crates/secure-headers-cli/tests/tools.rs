//! `hash`, `pin` and `nonce`.

mod support;

use support::{DATA, assert_clean_failure, run};

#[test]
fn hash_of_empty_input_is_the_known_sha256_source() {
    let out = run(&["hash", "-"], b"");
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='\n"
    );
}

#[test]
fn hash_prints_one_source_per_file_with_the_chosen_algorithm() {
    let file = format!("{DATA}/inline.js");
    let out = run(&["hash", "--algorithm", "sha384", &file, &file], b"");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].starts_with("'sha384-") && lines[0].ends_with('\''));
    // 48 digest bytes are 64 base64 characters
    assert_eq!(lines[0].len(), "'sha384-'".len() + 64);
    let sha256 = run(&["hash", &file], b"");
    assert_ne!(String::from_utf8_lossy(&sha256.stdout).trim(), lines[0]);
}

#[test]
fn hash_of_missing_file_fails_in_one_line() {
    assert_clean_failure(&run(&["hash", "/nonexistent/a.js"], b""));
}

#[test]
fn pin_of_public_key_matches_openssl() {
    // `openssl pkey -pubin -outform DER | openssl dgst -sha256 -binary | base64`
    let out = run(&["pin", &format!("{DATA}/key.pem")], b"");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "pin-sha256=\"I/hlCScg+Za/2gTkIUPjEZ+98QYBEc0D9bfrToB+F1I=\"\n"
    );
}

#[test]
fn pin_of_garbage_fails_in_one_line() {
    assert_clean_failure(&run(&["pin", "-"], b"\x00\xff not a key"));
    assert_clean_failure(&run(
        &["pin", "-"],
        b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
    ));
}

#[test]
fn nonce_is_fresh_base64_each_time() {
    let a = run(&["nonce"], b"");
    let b = run(&["nonce"], b"");
    assert!(a.status.success());
    let a = String::from_utf8(a.stdout).expect("utf-8");
    let b = String::from_utf8(b.stdout).expect("utf-8");
    assert_ne!(a, b);
    let a = a.trim();
    assert!(a.len() >= 22, "{a}");
    assert!(
        a.bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"+/=".contains(&c)),
        "{a}"
    );
}
