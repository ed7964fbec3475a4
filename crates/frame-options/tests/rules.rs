//! The HTML / RFC 7034 rules this crate implements, one test per rule, plus property tests.

use frame_options::{
    Disposition, FrameOptions, FrameOptionsDiagnostic, FrameOptionsError, MAX_DIAGNOSTICS,
    process_headers, process_lines, process_value,
};
use http::{HeaderMap, HeaderValue};
use proptest::prelude::*;

#[test]
fn builder_emits_only_deny_or_sameorigin() {
    assert_eq!(FrameOptions::Deny.to_string(), "DENY");
    assert_eq!(FrameOptions::SameOrigin.to_string(), "SAMEORIGIN");
    assert_eq!(HeaderValue::from(&FrameOptions::Deny), "DENY");
    assert_eq!(HeaderValue::from(FrameOptions::SameOrigin), "SAMEORIGIN");
    assert_eq!(FrameOptions::default(), FrameOptions::Deny);
}

#[test]
fn keywords_are_ascii_case_insensitive() {
    assert_eq!(process_value("denY").disposition(), Disposition::Deny);
    assert_eq!(
        process_value("sameOriGin").disposition(),
        Disposition::SameOrigin
    );
    assert_eq!("sAmEoRiGiN".parse(), Ok(FrameOptions::SameOrigin));
}

#[test]
fn allow_from_is_obsolete_and_restricts_nothing() {
    for value in [
        "ALLOW-FROM https://example.com/",
        "ALLOW-FROM=https://example.com/",
        "allow-from",
    ] {
        let report = process_value(value);
        assert_eq!(report.disposition(), Disposition::NoRestriction, "{value}");
        assert_eq!(
            report.diagnostics(),
            [FrameOptionsDiagnostic::ObsoleteAllowFrom {
                index: 0,
                value: value.into()
            }]
        );
        assert_eq!(
            value.parse::<FrameOptions>(),
            Err(FrameOptionsError::ObsoleteAllowFrom {
                value: value.into()
            })
        );
    }
}

#[test]
fn lone_allowall_restricts_nothing() {
    let report = process_value("ALLOWALL");
    assert_eq!(report.disposition(), Disposition::NoRestriction);
    assert_eq!(
        report.diagnostics(),
        [FrameOptionsDiagnostic::NonStandardAllowAll { index: 0 }]
    );
    assert_eq!(
        "allowall".parse::<FrameOptions>(),
        Err(FrameOptionsError::AllowAll)
    );
}

#[test]
fn quoted_values_are_kept_with_quotes_and_invalid() {
    let report = process_value("\"DENY\"");
    assert_eq!(report.disposition(), Disposition::NoRestriction);
    assert_eq!(
        report.diagnostics(),
        [FrameOptionsDiagnostic::QuotedValue {
            index: 0,
            value: "\"DENY\"".into()
        }]
    );
    // One quoted string holding a comma is one member.
    assert_eq!(
        process_value("\"SAMEORIGIN,DENY\"").disposition(),
        Disposition::NoRestriction
    );
}

#[test]
fn empty_value_restricts_nothing_but_empty_member_next_to_keyword_conflicts() {
    assert_eq!(process_value("").disposition(), Disposition::NoRestriction);
    assert_eq!(
        process_value("").diagnostics(),
        [FrameOptionsDiagnostic::EmptyValue { index: 0 }]
    );
    // {"sameorigin", ""} has two elements: HTML step 6 blocks.
    assert_eq!(
        process_value("SAMEORIGIN,").disposition(),
        Disposition::Deny
    );
    assert_eq!(
        process_lines(["SAMEORIGIN", ""]).disposition(),
        Disposition::Deny
    );
}

#[test]
fn only_invalid_values_restrict_nothing() {
    // HTML step 7: a set of several values none of which is a keyword.
    assert_eq!(
        process_value("INVALID, OTHER").disposition(),
        Disposition::NoRestriction
    );
}

#[test]
fn duplicate_values_collapse_into_one_set_element() {
    let report = process_lines(["DENY", "deny", "DENY"]);
    assert_eq!(report.disposition(), Disposition::Deny);
    assert_eq!(report.line_count(), 3);
    assert_eq!(
        report.diagnostics(),
        [
            FrameOptionsDiagnostic::DuplicateValue {
                index: 1,
                value: Some(FrameOptions::Deny)
            },
            FrameOptionsDiagnostic::DuplicateValue {
                index: 2,
                value: Some(FrameOptions::Deny)
            },
        ]
    );
}

#[test]
fn deny_and_sameorigin_conflict_and_block() {
    let report = process_lines(["SAMEORIGIN", "DENY"]);
    assert_eq!(report.disposition(), Disposition::Deny);
    assert_eq!(
        report.diagnostics(),
        [FrameOptionsDiagnostic::ConflictingValues]
    );
}

#[test]
fn values_are_split_across_all_header_lines() {
    let mut headers = HeaderMap::new();
    headers.append(frame_options::NAME, HeaderValue::from_static(" SAMEORIGIN"));
    headers.append(
        frame_options::NAME,
        HeaderValue::from_static("sameorigin\t"),
    );
    let report = process_headers(&headers);
    assert_eq!(report.disposition(), Disposition::SameOrigin);
    assert_eq!(report.line_count(), 2);
}

#[test]
fn absent_header_restricts_nothing() {
    let report = process_headers(&HeaderMap::new());
    assert!(!report.is_present());
    assert_eq!(report.disposition(), Disposition::NoRestriction);
    assert!(report.diagnostics().is_empty());
}

#[test]
fn form_feed_and_vertical_tab_are_not_trimmed() {
    // Only HTTP tab or space is trimmed (wpt#57341 aligned the tests with this).
    assert_eq!(
        process_value("DENY\u{c}").disposition(),
        Disposition::NoRestriction
    );
    assert_eq!(
        process_value("\u{b}DENY").disposition(),
        Disposition::NoRestriction
    );
}

#[test]
fn strict_parse_rejects_more_than_one_value() {
    assert_eq!(
        "DENY, SAMEORIGIN".parse::<FrameOptions>(),
        Err(FrameOptionsError::MultipleValues { count: 2 })
    );
    assert_eq!("".parse::<FrameOptions>(), Err(FrameOptionsError::Empty));
    assert_eq!(
        "GOFORIT".parse::<FrameOptions>(),
        Err(FrameOptionsError::Invalid {
            value: "GOFORIT".into()
        })
    );
}

#[test]
fn frame_ancestors_equivalents() {
    assert_eq!(
        FrameOptions::Deny.to_frame_ancestors().to_string(),
        "frame-ancestors 'none'"
    );
    assert_eq!(
        FrameOptions::SameOrigin.to_frame_ancestors().to_string(),
        "frame-ancestors 'self'"
    );
}

#[test]
fn diagnostics_are_capped_and_conflict_stays_first() {
    let hostile = format!("DENY{}", ",x".repeat(5_000));
    let report = process_value(&hostile);
    assert_eq!(report.disposition(), Disposition::Deny);
    assert_eq!(report.diagnostics().len(), MAX_DIAGNOSTICS);
    assert_eq!(
        report.diagnostics()[0],
        FrameOptionsDiagnostic::ConflictingValues
    );
    assert_eq!(report.omitted_diagnostics(), 5_001 - MAX_DIAGNOSTICS);
}

#[cfg(feature = "serde")]
#[test]
fn serde_uses_the_header_text() {
    assert_eq!(
        serde_json::to_string(&FrameOptions::SameOrigin).unwrap(),
        "\"SAMEORIGIN\""
    );
    assert_eq!(
        serde_json::from_str::<FrameOptions>("\"deny\"").unwrap(),
        FrameOptions::Deny
    );
    assert!(serde_json::from_str::<FrameOptions>("\"ALLOW-FROM x\"").is_err());
}

fn frame_options() -> impl Strategy<Value = FrameOptions> {
    prop_oneof![Just(FrameOptions::Deny), Just(FrameOptions::SameOrigin)]
}

/// Header text made of keyword fragments, commas, quotes and whitespace, so that conflicts,
/// duplicates and quoted strings occur often.
fn header_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("DENY"),
            Just("deny"),
            Just("SAMEORIGIN"),
            Just("ALLOWALL"),
            Just("ALLOW-FROM x"),
            Just("x"),
            Just(","),
            Just(" "),
            Just("\""),
            Just("\\"),
        ],
        0..8,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #[test]
    fn parse_of_display_is_identity(value in frame_options()) {
        prop_assert_eq!(value.to_string().parse::<FrameOptions>(), Ok(value));
        prop_assert_eq!(FrameOptions::try_from(&value.to_header_value()), Ok(value));
        prop_assert!(process_value(&value.to_string()).is_canonical());
    }

    #[test]
    fn disposition_matches_the_html_set_rule(lines in proptest::collection::vec(header_text(), 0..3)) {
        // Reference: the literal set of steps 4-5, then steps 6-10.
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let set: std::collections::BTreeSet<String> = nosniff::get_decode_split(refs.iter().copied())
            .unwrap_or_default()
            .into_iter()
            .map(|v| v.to_ascii_lowercase())
            .collect();
        let known = |v: &str| set.contains(v);
        let expected = if set.len() > 1 && (known("deny") || known("allowall") || known("sameorigin")) {
            Disposition::Deny
        } else if set.len() > 1 {
            Disposition::NoRestriction
        } else if known("deny") {
            Disposition::Deny
        } else if known("sameorigin") {
            Disposition::SameOrigin
        } else {
            Disposition::NoRestriction
        };
        prop_assert_eq!(process_lines(refs.iter().copied()).disposition(), expected);
    }

    #[test]
    fn arbitrary_bytes_never_panic(lines in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..64), 0..4)) {
        let refs: Vec<&[u8]> = lines.iter().map(Vec::as_slice).collect();
        let report = process_lines(refs.iter().copied());
        prop_assert_eq!(report.line_count(), refs.len());
        prop_assert!(report.diagnostics().len() <= MAX_DIAGNOSTICS);
        for line in &refs {
            let _ = FrameOptions::parse_bytes(line);
        }
    }
}

#[test]
fn diagnostics_cap_is_exact_with_and_without_the_conflict_entry() {
    // 31 invalid members after DENY: 31 member diagnostics plus the conflict make exactly
    // MAX_DIAGNOSTICS, nothing omitted.
    let report = process_value(&format!("DENY{}", ",x".repeat(MAX_DIAGNOSTICS - 1)));
    assert_eq!(report.diagnostics().len(), MAX_DIAGNOSTICS);
    assert_eq!(report.omitted_diagnostics(), 0);
    assert_eq!(
        report.diagnostics()[0],
        FrameOptionsDiagnostic::ConflictingValues
    );
    // One more: the conflict stays first and the last member diagnostic is counted instead.
    let report = process_value(&format!("DENY{}", ",x".repeat(MAX_DIAGNOSTICS)));
    assert_eq!(report.diagnostics().len(), MAX_DIAGNOSTICS);
    assert_eq!(report.omitted_diagnostics(), 1);
    assert_eq!(
        report.diagnostics()[0],
        FrameOptionsDiagnostic::ConflictingValues
    );
    assert_eq!(
        report.diagnostics()[MAX_DIAGNOSTICS - 1],
        FrameOptionsDiagnostic::InvalidValue {
            index: MAX_DIAGNOSTICS - 1,
            value: "x".into()
        }
    );
    // Without a conflict: exactly MAX_DIAGNOSTICS invalid members are all kept, one more is
    // counted.
    let report = process_value(&format!("x{}", ",y".repeat(MAX_DIAGNOSTICS - 1)));
    assert_eq!(report.disposition(), Disposition::NoRestriction);
    assert_eq!(report.diagnostics().len(), MAX_DIAGNOSTICS);
    assert_eq!(report.omitted_diagnostics(), 0);
    let report = process_value(&format!("x{}", ",y".repeat(MAX_DIAGNOSTICS)));
    assert_eq!(report.diagnostics().len(), MAX_DIAGNOSTICS);
    assert_eq!(report.omitted_diagnostics(), 1);
}

#[test]
fn a_keyword_in_the_first_or_the_last_position_next_to_another_value_blocks() {
    // HTML step 6 looks at the set, not at positions.
    for value in ["DENY, x", "x, DENY", "SAMEORIGIN, x", "x, y, SAMEORIGIN"] {
        let report = process_value(value);
        assert_eq!(report.disposition(), Disposition::Deny, "{value}");
        assert_eq!(
            report.diagnostics()[0],
            FrameOptionsDiagnostic::ConflictingValues,
            "{value}"
        );
    }
}

#[test]
fn allowall_next_to_any_other_value_blocks_but_repeated_alone_does_not() {
    // HTML step 6: "deny", "allowall" or "sameorigin" in a set of more than one element.
    assert_eq!(
        process_value("ALLOWALL, x").disposition(),
        Disposition::Deny
    );
    assert_eq!(
        process_lines(["x", "allowall"]).disposition(),
        Disposition::Deny
    );
    // {"allowall"} has one element: step 10, no restriction.
    let report = process_value("ALLOWALL, allowall");
    assert_eq!(report.disposition(), Disposition::NoRestriction);
    assert_eq!(
        report.diagnostics(),
        [
            FrameOptionsDiagnostic::NonStandardAllowAll { index: 0 },
            FrameOptionsDiagnostic::DuplicateValue {
                index: 1,
                value: None
            },
        ]
    );
}

#[test]
fn keywords_match_exactly_after_trimming_tab_and_space() {
    for (value, disposition) in [
        ("\t DENY \t", Disposition::Deny),
        (" sameorigin", Disposition::SameOrigin),
        ("DEN", Disposition::NoRestriction),
        ("DENYX", Disposition::NoRestriction),
        ("SAME ORIGIN", Disposition::NoRestriction),
        ("SAME-ORIGIN", Disposition::NoRestriction),
        // U+00A0 is not HTTP tab or space; as header bytes it is 0xA0.
        ("DENY\u{a0}", Disposition::NoRestriction),
    ] {
        assert_eq!(process_value(value).disposition(), disposition, "{value:?}");
    }
    assert_eq!(
        process_lines([&b"\xa0DENY"[..]]).disposition(),
        Disposition::NoRestriction
    );
}

#[test]
fn allow_from_is_recognized_by_its_prefix_in_any_case() {
    for value in [
        "allow-from https://a.example",
        "Allow-From",
        "ALLOW-FROMhttps://a",
    ] {
        assert!(
            matches!(
                value.parse::<FrameOptions>(),
                Err(FrameOptionsError::ObsoleteAllowFrom { .. })
            ),
            "{value}"
        );
    }
    // One character short of the prefix is just an invalid value.
    assert_eq!(
        "ALLOW-FRO".parse::<FrameOptions>(),
        Err(FrameOptionsError::Invalid {
            value: "ALLOW-FRO".into()
        })
    );
}

#[test]
fn strict_parse_accepts_one_trimmed_keyword_and_counts_every_member() {
    assert_eq!(
        " \tSAMEORIGIN\t ".parse::<FrameOptions>(),
        Ok(FrameOptions::SameOrigin)
    );
    assert_eq!(
        "DENY,".parse::<FrameOptions>(),
        Err(FrameOptionsError::MultipleValues { count: 2 })
    );
    assert_eq!(
        ",,".parse::<FrameOptions>(),
        Err(FrameOptionsError::MultipleValues { count: 3 })
    );
    assert_eq!(
        " \t ".parse::<FrameOptions>(),
        Err(FrameOptionsError::Empty)
    );
    // A quoted comma does not split.
    assert_eq!(
        "\"DENY,DENY\"".parse::<FrameOptions>(),
        Err(FrameOptionsError::Quoted {
            value: "\"DENY,DENY\"".into()
        })
    );
    assert_eq!(
        "'DENY'".parse::<FrameOptions>(),
        Err(FrameOptionsError::Invalid {
            value: "'DENY'".into()
        })
    );
}
