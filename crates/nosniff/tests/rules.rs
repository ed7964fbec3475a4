//! The Fetch rules this crate implements, one test per rule, plus property tests.

use http::HeaderValue;
use nosniff::fetch::split_values;
use nosniff::{
    NoSniff, NoSniffDiagnostic, NoSniffError, determine_nosniff, get_decode_split, process_headers,
    process_lines, process_value,
};
use proptest::prelude::*;

/// A direct transcription of Fetch §2.2.2 "get, decode, and split" over the joined value,
/// code point by code point, used as the reference model for the streaming splitter.
fn reference_get_decode_split(lines: &[&str]) -> Option<Vec<String>> {
    if lines.is_empty() {
        return None;
    }
    let input: Vec<char> = lines.join(", ").chars().collect();
    let mut position = 0;
    let mut values = Vec::new();
    let mut temporary = String::new();
    loop {
        while let Some(&c) = input.get(position) {
            if c == '"' || c == ',' {
                break;
            }
            temporary.push(c);
            position += 1;
        }
        if input.get(position) == Some(&'"') {
            // Collect an HTTP quoted string, keeping it as written.
            temporary.push('"');
            position += 1;
            loop {
                while let Some(&c) = input.get(position) {
                    if c == '"' || c == '\\' {
                        break;
                    }
                    temporary.push(c);
                    position += 1;
                }
                let Some(&c) = input.get(position) else { break };
                temporary.push(c);
                position += 1;
                if c == '\\' {
                    let Some(&escaped) = input.get(position) else {
                        break;
                    };
                    temporary.push(escaped);
                    position += 1;
                } else {
                    break;
                }
            }
            if position < input.len() {
                continue;
            }
        }
        values.push(temporary.trim_matches([' ', '\t']).to_owned());
        temporary.clear();
        if position >= input.len() {
            return Some(values);
        }
        assert_eq!(input.get(position), Some(&','));
        position += 1;
    }
}

#[test]
fn get_decode_split_keeps_quotes_and_splits_on_unquoted_commas() {
    assert_eq!(
        get_decode_split(["a, \"b, c\"d ,e", "\"f"]).unwrap(),
        ["a", "\"b, c\"d", "e", "\"f"]
    );
    assert_eq!(
        get_decode_split([r#""a\"b,c", d"#]).unwrap(),
        [r#""a\"b,c""#, "d"]
    );
}

#[test]
fn get_decode_split_joins_lines_with_comma_space() {
    // An unterminated quoted string continues into the next line, join included.
    assert_eq!(
        get_decode_split(["x, \"y", "z\", w"]).unwrap(),
        ["x", "\"y, z\"", "w"]
    );
    // A backslash ending a line escapes the comma of the join.
    assert_eq!(get_decode_split(["\"a\\", "b"]).unwrap(), ["\"a\\, b"]);
    // A lone trailing backslash inside a quoted string is kept.
    assert_eq!(get_decode_split(["\"a\\"]).unwrap(), ["\"a\\"]);
}

#[test]
fn get_decode_split_of_absent_header_is_null() {
    let none: [&str; 0] = [];
    assert_eq!(get_decode_split(none), None);
    assert_eq!(get_decode_split([""]).unwrap(), [""]);
    assert_eq!(get_decode_split([",", ""]).unwrap(), ["", "", ""]);
}

#[test]
fn isomorphic_decode_maps_obs_text_bytes_to_latin1_code_points() {
    assert_eq!(
        get_decode_split([&b"\xe9t\xe9"[..]]).unwrap(),
        ["\u{e9}t\u{e9}"]
    );
}

#[test]
fn split_values_borrows_members_within_one_line() {
    let members: Vec<_> = split_values(["a, b", "c"]).collect();
    assert!(
        members
            .iter()
            .all(|m| matches!(m, std::borrow::Cow::Borrowed(_)))
    );
}

#[test]
fn nosniff_is_ascii_case_insensitive() {
    assert!(determine_nosniff(["NOSNIFF"]));
    assert!(determine_nosniff(["nOsNiFf"]));
    // Only ASCII letters fold: U+0131 LATIN SMALL LETTER DOTLESS I (whose uppercase is `I`)
    // is not an `i`.
    assert!(!determine_nosniff(["nosnıff"]));
}

#[test]
fn later_values_after_nosniff_are_ignored_but_reported() {
    let report = process_value("nosniff,,@#$");
    assert!(report.is_nosniff());
    assert_eq!(
        report.diagnostics(),
        [
            NoSniffDiagnostic::IgnoredValue {
                index: 1,
                value: String::new()
            },
            NoSniffDiagnostic::IgnoredValue {
                index: 2,
                value: "@#$".into()
            },
        ]
    );
}

#[test]
fn quoted_first_value_disables_nosniff() {
    let report = process_value("\"nosniff\"");
    assert!(!report.is_nosniff());
    assert_eq!(
        report.diagnostics(),
        [NoSniffDiagnostic::QuotedFirstValue {
            value: "\"nosniff\"".into()
        }]
    );
    assert_eq!(
        "\"nosniff\"".parse::<NoSniff>(),
        Err(NoSniffError::Quoted {
            value: "\"nosniff\"".into()
        })
    );
}

#[test]
fn empty_first_line_disables_nosniff() {
    let report = process_lines(["", "nosniff"]);
    assert!(!report.is_nosniff());
    assert_eq!(
        report.diagnostics(),
        [
            NoSniffDiagnostic::EmptyFirstValue,
            NoSniffDiagnostic::NoSniffNotFirst { index: 1 }
        ]
    );
    assert_eq!(report.line_count(), 2);
}

#[test]
fn strict_parse_names_what_is_wrong() {
    assert_eq!("".parse::<NoSniff>(), Err(NoSniffError::Empty));
    assert_eq!(
        "no-sniff".parse::<NoSniff>(),
        Err(NoSniffError::Unrecognized {
            value: "no-sniff".into()
        })
    );
    assert_eq!(
        "nosniff,".parse::<NoSniff>(),
        Err(NoSniffError::MultipleValues { count: 2 })
    );
    assert_eq!(
        NoSniff::try_from(&HeaderValue::from_static(" nosniff\t")),
        Ok(NoSniff)
    );
}

#[test]
fn header_map_lines_are_processed_in_order() {
    let mut headers = http::HeaderMap::new();
    headers.append(nosniff::NAME, HeaderValue::from_static("nosniff"));
    headers.append(nosniff::NAME, HeaderValue::from_static("nosniff"));
    let report = process_headers(&headers);
    assert!(report.is_nosniff());
    assert_eq!(report.line_count(), 2);
    assert_eq!(
        report.diagnostics(),
        [NoSniffDiagnostic::RepeatedNoSniff { index: 1 }]
    );
}

#[test]
fn diagnostics_are_capped() {
    let hostile = "x,".repeat(10_000);
    let report = process_value(&hostile);
    assert_eq!(report.diagnostics().len(), nosniff::MAX_DIAGNOSTICS);
    assert_eq!(
        report.omitted_diagnostics(),
        10_001 - nosniff::MAX_DIAGNOSTICS
    );
}

#[test]
fn header_value_conversion_is_canonical() {
    assert_eq!(HeaderValue::from(&NoSniff), "nosniff");
    assert_eq!(HeaderValue::from(NoSniff), "nosniff");
}

#[cfg(feature = "serde")]
#[test]
fn serde_uses_the_header_text() {
    assert_eq!(serde_json::to_string(&NoSniff).unwrap(), "\"nosniff\"");
    assert_eq!(
        serde_json::from_str::<NoSniff>("\"NOSNIFF\"").unwrap(),
        NoSniff
    );
    assert!(serde_json::from_str::<NoSniff>("\"sniff\"").is_err());
}

/// Strings made of the characters that matter to the splitter, so that the interesting
/// interleavings of quotes, backslashes and commas actually occur.
fn header_text() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[a\"\\\\, \tnosifNOSIF\u{e9}]{0,24}").unwrap()
}

proptest! {
    #[test]
    fn split_matches_the_spec_transcription(lines in proptest::collection::vec(header_text(), 0..4)) {
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        // Non-ASCII input is UTF-8 here, so compare on the bytes' isomorphic decoding.
        let expected = reference_get_decode_split(&refs).map(|values| {
            values.iter().map(|v| nosniff::fetch::isomorphic_decode(v.as_bytes()).into_owned()).collect::<Vec<_>>()
        });
        prop_assert_eq!(get_decode_split(refs.iter().copied()), expected);
    }

    #[test]
    fn determine_nosniff_is_first_member_match(lines in proptest::collection::vec(header_text(), 0..4)) {
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let first_matches = get_decode_split(refs.iter().copied())
            .and_then(|values| values.into_iter().next())
            .is_some_and(|first| first.eq_ignore_ascii_case("nosniff"));
        prop_assert_eq!(determine_nosniff(refs.iter().copied()), first_matches);
        prop_assert_eq!(process_lines(refs.iter().copied()).is_nosniff(), first_matches);
    }

    #[test]
    fn any_casing_of_nosniff_round_trips(upper in proptest::collection::vec(any::<bool>(), 7), pad in "[ \t]{0,3}") {
        let text: String = "nosniff".chars().zip(upper).map(|(c, up)| if up { c.to_ascii_uppercase() } else { c }).collect();
        let value: NoSniff = format!("{pad}{text}{pad}").parse().unwrap();
        prop_assert_eq!(value.to_string().parse::<NoSniff>(), Ok(value));
    }

    #[test]
    fn arbitrary_bytes_never_panic(lines in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..64), 0..4)) {
        let refs: Vec<&[u8]> = lines.iter().map(Vec::as_slice).collect();
        let report = process_lines(refs.iter().copied());
        prop_assert_eq!(report.line_count(), refs.len());
        for line in &refs {
            let _ = NoSniff::parse_bytes(line);
        }
    }
}

#[test]
fn only_the_first_member_decides_in_first_and_last_position() {
    // Fetch §3.5 step 3: values[0] only.
    assert!(determine_nosniff(["nosniff, x"]));
    assert!(determine_nosniff(["nosniff", "x"]));
    assert!(!determine_nosniff(["x, nosniff"]));
    assert!(!determine_nosniff(["x", "nosniff"]));
    assert!(!determine_nosniff([",nosniff"]));
    let report = process_value("x, y, nosniff");
    assert!(!report.is_nosniff());
    assert_eq!(
        report.diagnostics().last(),
        Some(&NoSniffDiagnostic::NoSniffNotFirst { index: 2 })
    );
}

#[test]
fn nosniff_must_match_whole_after_trimming_tab_and_space() {
    for on in ["nosniff", " \tnosniff\t ", "NOSNIFF "] {
        assert!(determine_nosniff([on]), "{on:?}");
        assert_eq!(on.parse::<NoSniff>(), Ok(NoSniff), "{on:?}");
    }
    for off in [
        "nosnif",
        "nosniffx",
        "xnosniff",
        "no sniff",
        "nosniff;",
        "'nosniff'",
        "nosniff\u{b}",
        "\u{c}nosniff",
    ] {
        assert!(!determine_nosniff([off]), "{off:?}");
        assert!(off.parse::<NoSniff>().is_err(), "{off:?}");
    }
    // 0xA0 (NBSP as a header byte) and CR are not HTTP tab or space.
    assert!(!determine_nosniff([&b"nosniff\xa0"[..]]));
    assert!(!determine_nosniff([&b"nosniff\r"[..]]));
}

#[test]
fn strict_parse_counts_every_member_and_classifies_the_lone_one() {
    assert_eq!(" \t".parse::<NoSniff>(), Err(NoSniffError::Empty));
    assert_eq!(
        ",".parse::<NoSniff>(),
        Err(NoSniffError::MultipleValues { count: 2 })
    );
    assert_eq!(
        "nosniff, nosniff, nosniff".parse::<NoSniff>(),
        Err(NoSniffError::MultipleValues { count: 3 })
    );
    // A quoted comma does not split, and the quotes stay part of the member.
    assert_eq!(
        "\"nosniff,x\"".parse::<NoSniff>(),
        Err(NoSniffError::Quoted {
            value: "\"nosniff,x\"".into()
        })
    );
    assert_eq!(
        "'nosniff'".parse::<NoSniff>(),
        Err(NoSniffError::Unrecognized {
            value: "'nosniff'".into()
        })
    );
}

#[test]
fn diagnostics_cap_is_exact() {
    // x plus 31 more members: 32 diagnostics, nothing omitted; one more is only counted.
    let at_cap = process_value(&format!("x{}", ",y".repeat(nosniff::MAX_DIAGNOSTICS - 1)));
    assert_eq!(at_cap.diagnostics().len(), nosniff::MAX_DIAGNOSTICS);
    assert_eq!(at_cap.omitted_diagnostics(), 0);
    let over = process_value(&format!("x{}", ",y".repeat(nosniff::MAX_DIAGNOSTICS)));
    assert_eq!(over.diagnostics().len(), nosniff::MAX_DIAGNOSTICS);
    assert_eq!(over.omitted_diagnostics(), 1);
    assert_eq!(
        over.diagnostics().last(),
        Some(&NoSniffDiagnostic::IgnoredValue {
            index: nosniff::MAX_DIAGNOSTICS - 1,
            value: "y".into()
        })
    );
}

#[test]
fn is_canonical_requires_one_line_with_exactly_nosniff() {
    assert!(process_value("nosniff").is_canonical());
    // Case and surrounding white space do not change the verdict, nor is there a diagnostic.
    assert!(process_value(" NoSniff ").is_canonical());
    assert!(!process_lines(["nosniff", "nosniff"]).is_canonical());
    assert!(!process_value("nosniff,").is_canonical());
    assert!(!process_value("x").is_canonical());
    let none: [&str; 0] = [];
    assert!(!process_lines(none).is_canonical());
}
