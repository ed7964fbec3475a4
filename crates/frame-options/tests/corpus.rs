//! Every real-world `X-Frame-Options` value of `tests/data/corpus` gets a verdict, and the
//! valid value with the same effect serializes to a header with the same meaning.

use frame_options::{Disposition, FrameOptions, FrameOptionsDiagnostic, process_value};
use http::HeaderValue;

const CORPUS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/data/corpus/x-frame-options.jsonl"
));

fn corpus_values() -> Vec<String> {
    CORPUS
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let entry: serde_json::Value = serde_json::from_str(line).unwrap();
            entry["value"].as_str().unwrap().to_owned()
        })
        .collect()
}

#[test]
fn corpus_values_get_a_verdict_and_round_trip() {
    let values = corpus_values();
    assert_eq!(values.len(), 1463);
    let (mut deny, mut same_origin, mut none) = (0, 0, 0);
    for value in &values {
        let report = process_value(value);
        match report.disposition() {
            Disposition::Deny => deny += 1,
            Disposition::SameOrigin => same_origin += 1,
            Disposition::NoRestriction => {
                none += 1;
                // A present header that restricts nothing always says why.
                assert!(!report.diagnostics().is_empty(), "{value:?}");
            }
        }
        // Strict parsing accepts exactly the canonical headers, and both entry points agree.
        let strict = value.parse::<FrameOptions>();
        assert_eq!(strict.is_ok(), report.is_canonical(), "{value:?}");
        if let Ok(header) = HeaderValue::from_str(value) {
            assert_eq!(FrameOptions::try_from(&header), strict, "{value:?}");
        }
        if let Ok(valid) = strict {
            assert_eq!(valid.to_string().parse::<FrameOptions>(), Ok(valid));
        }
        // Round trip of meaning: the equivalent valid value has the same effect.
        if let Some(equivalent) = report.frame_options() {
            let again = process_value(&equivalent.to_string());
            assert!(again.is_canonical());
            assert_eq!(again.disposition(), report.disposition(), "{value:?}");
        }
    }
    assert_eq!(deny + same_origin + none, values.len());
    // The two common valid values dominate the corpus; most entries are the long tail of
    // invalid ones, which restrict nothing.
    assert!(same_origin > 0 && deny > 0 && none > deny + same_origin);
}

#[test]
fn duplicated_sameorigin_is_sameorigin_with_a_duplicate_diagnostic() {
    let report = process_value("SAMEORIGIN, SAMEORIGIN");
    assert_eq!(report.disposition(), Disposition::SameOrigin);
    assert_eq!(
        report.diagnostics(),
        [FrameOptionsDiagnostic::DuplicateValue {
            index: 1,
            value: Some(FrameOptions::SameOrigin)
        }]
    );
}

#[test]
fn sameorigin_with_allow_from_conflicts_and_blocks() {
    let report = process_value("SAMEORIGIN, ALLOW-FROM https://omnidoctor.ru/");
    assert_eq!(report.disposition(), Disposition::Deny);
    assert_eq!(
        report.diagnostics()[0],
        FrameOptionsDiagnostic::ConflictingValues
    );
    assert!(matches!(
        report.diagnostics()[1],
        FrameOptionsDiagnostic::ObsoleteAllowFrom { index: 1, .. }
    ));
}

#[test]
fn typographic_quotes_are_invalid_not_quoted() {
    // U+201C/U+201D are not the HTTP quote; the member is an invalid value.
    let report = process_value("\u{201c}DENY\u{201d}");
    assert_eq!(report.disposition(), Disposition::NoRestriction);
    assert!(matches!(
        report.diagnostics(),
        [FrameOptionsDiagnostic::InvalidValue { index: 0, .. }]
    ));
}
