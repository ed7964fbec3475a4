//! Every real-world `X-Content-Type-Options` value of `tests/data/corpus` gets a verdict,
//! and serializing the verdict gives a header with the same meaning.

use nosniff::{NoSniff, NoSniffDiagnostic, determine_nosniff, process_lines};

const CORPUS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/data/corpus/x-content-type-options.jsonl"
));

/// The header bytes of a corpus entry. Entries flagged `obs_text` hold raw bytes 0x80-0xFF
/// as the code points U+0080-U+00FF (isomorphic encoding); the rest are UTF-8 text.
fn header_bytes(entry: &serde_json::Value) -> Vec<u8> {
    let value = entry["value"].as_str().unwrap();
    if entry["obs_text"].as_bool() == Some(true) {
        value
            .chars()
            .map(|c| u8::try_from(u32::from(c)).unwrap())
            .collect()
    } else {
        value.as_bytes().to_vec()
    }
}

#[test]
fn corpus_values_get_a_verdict_and_round_trip() {
    let mut enabled = Vec::new();
    let mut total = 0;
    for line in CORPUS.lines().filter(|line| !line.trim().is_empty()) {
        let entry: serde_json::Value = serde_json::from_str(line).unwrap();
        let bytes = header_bytes(&entry);
        let report = process_lines([bytes.as_slice()]);
        total += 1;
        assert_eq!(report.is_nosniff(), determine_nosniff([bytes.as_slice()]));
        // Strict parsing accepts only what is already canonical.
        match NoSniff::parse_bytes(&bytes) {
            Ok(value) => {
                assert!(report.is_canonical(), "{line}");
                assert_eq!(value.to_string().parse::<NoSniff>(), Ok(value));
            }
            Err(_) => assert!(!report.is_canonical(), "{line}"),
        }
        // Whatever the verdict, a verdict that turns nosniff off says why.
        if !report.is_nosniff() {
            assert!(!report.diagnostics().is_empty(), "{line}");
        }
        // Round trip of meaning: the serialized effective value processes to the same verdict.
        if let Some(value) = report.value() {
            enabled.push(entry["value"].as_str().unwrap().to_owned());
            let again = process_lines([value.to_string().as_str()]);
            assert!(again.is_canonical());
        }
    }
    assert_eq!(total, 34);
    assert_eq!(
        enabled,
        ["nosniff", "nosniff, nosniff", "nosniff, nosniff, nosniff"]
    );
}

#[test]
fn repeated_nosniff_is_accepted_but_reported() {
    // Browsers apply nosniff; Mozilla's HTTP Observatory rejects the header.
    let report = nosniff::process_value("nosniff, nosniff");
    assert!(report.is_nosniff());
    assert_eq!(
        report.diagnostics(),
        [NoSniffDiagnostic::RepeatedNoSniff { index: 1 }]
    );
}

#[test]
fn non_ascii_suffix_is_not_nosniff() {
    // U+201D RIGHT DOUBLE QUOTATION MARK arrives as UTF-8 bytes; the member is not `nosniff`.
    assert!(!nosniff::process_value("nosniff\u{201d}").is_nosniff());
    assert!(!determine_nosniff([&b"nosniff\x94"[..]]));
}
