//! CSP3 §2.2.1 / §2.2.2 / §2.3.1 conformance against `vectors/csp/csp3_spec_derived.json`,
//! plus the parser rules of SPEC_CHECKLIST §1.1-§1.3 that the vectors do not spell out.

mod common;

use common::{expected_shape, json, shape};
use csp_builder::{
    DiagnosticKind, DirectiveName, Disposition, HashAlgorithm, Keyword, Policy, PolicyList,
    PolicySource, SourceKind,
};

const VECTORS: &str = "vectors/csp/csp3_spec_derived.json";

/// Vectors whose expectation this crate deliberately does not follow, with the reason.
///
/// "VT is not ASCII whitespace": the vector (spec text only) keeps a directive named
/// `img-src\x0b'none'` with an empty value. Browsers (Chromium; WPT
/// `content-security-policy/parsing/invalid-bytes.html`) ignore a directive holding a control
/// character, and so does this parser (SPEC_CHECKLIST §1.1 [UA]); the name would have no
/// effect either way, and dropping it keeps every serialized policy a valid header value. The
/// vector file itself notes that the [UA] rule is not modelled there.
const DEVIATIONS: &[&str] = &["VT is not ASCII whitespace"];

#[test]
fn policy_cases_parse_a_serialized_csp_exactly() {
    let v = json(VECTORS);
    let cases = v["policy_cases"].as_array().expect("policy_cases");
    let mut checked = 0;
    for case in cases {
        let name = case["name"].as_str().unwrap_or_default();
        let input = case["input"].as_str().expect("input");
        let parsed = Policy::parse(input);
        if DEVIATIONS.contains(&name) {
            // Chosen behaviour: the directive is ignored as a whole, with a diagnostic.
            assert_eq!(parsed.value, None, "{name}");
            assert_eq!(
                parsed.diagnostics[0].kind(),
                DiagnosticKind::InvalidValueBytes,
                "{name}"
            );
            checked += 1;
            continue;
        }
        let expected = expected_shape(&case["expected_directives"]);
        let got = parsed.value.as_ref().map(shape).unwrap_or_default();
        assert_eq!(got, expected, "case {name:?} input {input:?}");
        // Round trip: the canonical serialization parses back to the same policy.
        if let Some(p) = &parsed.value {
            assert_eq!(
                Policy::parse(p.as_str()).value.as_ref(),
                Some(p),
                "round trip {name:?}"
            );
        }
        checked += 1;
    }
    assert_eq!(checked, cases.len());
    assert!(checked >= 28);
}

#[test]
fn header_cases_split_policies_on_commas_and_lines() {
    let v = json(VECTORS);
    let cases = v["header_cases"].as_array().expect("header_cases");
    for case in cases {
        let name = case["name"].as_str().unwrap_or_default();
        let lines: Vec<http::HeaderValue> = case["header_values"]
            .as_array()
            .expect("header_values")
            .iter()
            .map(|l| {
                http::HeaderValue::from_str(l.as_str().unwrap_or_default()).expect("header value")
            })
            .collect();
        let parsed = PolicyList::parse_header_values(&lines, Disposition::Enforce);
        let expected: Vec<_> = case["expected_policies"]
            .as_array()
            .expect("expected")
            .iter()
            .map(expected_shape)
            .collect();
        let got: Vec<_> = parsed.value.policies().iter().map(shape).collect();
        assert_eq!(got, expected, "case {name:?}");
        let again = PolicyList::parse(&parsed.value.to_string()).value;
        assert_eq!(again, parsed.value, "list round trip {name:?}");
    }
    assert_eq!(cases.len(), 5);
}

fn classify(input: &str) -> Option<(SourceKind, serde_json::Value)> {
    if input.contains([';', ',']) {
        // Cannot sit inside a policy (it would split it); classify it on its own.
        let invalid = input.parse::<csp_builder::Source>().is_err();
        return invalid.then(|| (SourceKind::Other, serde_json::json!({"type": "invalid"})));
    }
    let policy = Policy::parse(&format!("img-src {input}")).value?;
    let d = policy.directive(DirectiveName::ImgSrc)?;
    let s = d.sources().next()?;
    let parts = match s.kind() {
        SourceKind::Keyword(k) => serde_json::json!({"type": "keyword", "keyword": k.as_str()}),
        SourceKind::None => serde_json::json!({"type": "none"}),
        SourceKind::Nonce => serde_json::json!({"type": "nonce", "value": s.nonce()}),
        SourceKind::Hash(a) => {
            serde_json::json!({"type": "hash", "algorithm": a.as_str(), "value": s.hash().map(|h| h.1)})
        }
        SourceKind::Scheme => serde_json::json!({"type": "scheme", "scheme": s.scheme()}),
        SourceKind::Host => serde_json::json!({
            "type": "host", "scheme": s.scheme(), "host": s.host(), "port": s.port(), "path": s.path()
        }),
        _ => serde_json::json!({"type": "invalid"}),
    };
    Some((s.kind(), parts))
}

#[test]
fn source_expression_cases_classify_by_the_csp3_grammar() {
    let v = json(VECTORS);
    let cases = v["source_expression_cases"]
        .as_array()
        .expect("source cases");
    for case in cases {
        let input = case["input"].as_str().expect("input");
        let mut expected = case["expected"].clone();
        if let Some(o) = expected.as_object_mut() {
            o.remove("note");
        }
        // A non-ASCII token is skipped before classification (CSP3 §2.2.1 step 3.2): there is
        // no source at all, which the vector calls "invalid".
        let got =
            classify(input).map_or(serde_json::json!({"type": "invalid"}), |(_, parts)| parts);
        assert_eq!(got, expected, "source {input:?}");
    }
    assert!(cases.len() >= 63);
}

#[test]
fn nbsp_is_not_whitespace_so_the_token_is_skipped() {
    // CSP3 §2.2.1 step 3.2 (decision documented in the crate docs): the whole token is
    // skipped, not parsed as `img-src 'none'`.
    let parsed = Policy::parse("img-src\u{a0}'none'; script-src 'self'");
    assert_eq!(
        parsed.value.map(|p| p.to_string()).as_deref(),
        Some("script-src 'self'")
    );
    assert_eq!(
        parsed.diagnostics[0].kind(),
        DiagnosticKind::NonAsciiTokenSkipped
    );
    assert_eq!(parsed.diagnostics[0].span(), 0..15);
}

#[test]
fn bytes_are_isomorphic_decoded() {
    // 0xA0 is U+00A0 after isomorphic decoding, not ASCII whitespace.
    let parsed = Policy::parse_bytes(b"img-src\xa0'none'; object-src 'none'");
    assert_eq!(
        parsed.value.map(|p| p.to_string()).as_deref(),
        Some("object-src 'none'")
    );
    // Invalid UTF-8 is fine: bytes >= 0x80 just make their token non-ASCII.
    let parsed = PolicyList::parse_bytes(b"script-src \xff\xfe; img-src *", Disposition::Enforce);
    assert_eq!(parsed.value.to_string(), "img-src *");
}

#[test]
fn control_character_ignores_only_its_directive() {
    // SPEC_CHECKLIST §1.1 [UA]: `frame-ancestors 'none'\x01` is ignored (page loads), while
    // `frame-ancestors 'none'; script-src 'self'\x01` keeps frame-ancestors.
    assert_eq!(Policy::parse("frame-ancestors 'none'\x01").value, None);
    let p = Policy::parse("frame-ancestors 'none'; script-src 'self'\x01");
    assert_eq!(
        p.value.map(|p| p.to_string()).as_deref(),
        Some("frame-ancestors 'none'")
    );
    assert_eq!(p.diagnostics[0].kind(), DiagnosticKind::InvalidValueBytes);
    // DEL and a comma inside a single serialized policy are invalid bytes too.
    assert_eq!(Policy::parse("img-src a\x7f").value, None);
    assert_eq!(Policy::parse("img-src a,b").value, None);
    // TAB, LF, FF and CR are whitespace, not invalid.
    assert!(Policy::parse("img-src\ta\nb\x0cc\rd").value.is_some());
}

#[test]
fn duplicate_directive_first_wins_with_a_diagnostic() {
    let parsed = Policy::parse("script-src a; img-src b; SCRIPT-SRC c");
    assert_eq!(
        parsed.value.map(|p| p.to_string()).as_deref(),
        Some("script-src a; img-src b")
    );
    assert_eq!(parsed.diagnostics.len(), 1);
    assert_eq!(
        parsed.diagnostics[0].kind(),
        DiagnosticKind::DuplicateDirective
    );
    assert_eq!(
        parsed.diagnostics[0].directive(),
        Some(DirectiveName::ScriptSrc)
    );
    // Unknown names are deduplicated too (after lowercasing).
    let parsed = Policy::parse("foo a; FOO b");
    assert_eq!(
        parsed.value.map(|p| p.to_string()).as_deref(),
        Some("foo a")
    );
}

#[test]
fn same_directive_in_two_policies_is_not_a_duplicate() {
    let parsed = PolicyList::parse("script-src a, script-src b");
    assert_eq!(parsed.value.len(), 2);
    assert!(parsed.diagnostics.is_empty());
}

#[test]
fn empty_policy_is_dropped_with_a_diagnostic() {
    let parsed = PolicyList::parse(" ; ;, img-src *");
    assert_eq!(parsed.value.len(), 1);
    assert_eq!(parsed.diagnostics[0].kind(), DiagnosticKind::EmptyPolicy);
    assert_eq!(parsed.diagnostics[0].policy_index(), 0);
}

#[test]
fn meta_policy_is_not_comma_split_and_ignores_three_directives() {
    let parsed = Policy::parse_meta(
        "script-src 'self'; report-uri /r; frame-ancestors 'none'; sandbox; img-src *",
    );
    let p = parsed.value.expect("policy");
    assert_eq!(p.source(), PolicySource::Meta);
    assert_eq!(p.to_string(), "script-src 'self'; img-src *");
    let kinds: Vec<_> = parsed
        .diagnostics
        .iter()
        .map(csp_builder::Diagnostic::kind)
        .collect();
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == DiagnosticKind::MetaIgnored)
            .count(),
        3
    );
    // A comma is not a policy separator in meta: it is an invalid byte in that directive.
    let parsed = Policy::parse_meta("script-src 'self', img-src *");
    assert_eq!(parsed.value, None);
    assert_eq!(
        parsed.diagnostics[0].kind(),
        DiagnosticKind::InvalidValueBytes
    );
}

#[test]
fn keywords_and_algorithms_are_case_insensitive() {
    let p = Policy::parse("script-src 'SELF' 'None' 'NONCE-abc' 'SHA512-abc' 'Strict-Dynamic' HTTPS: HTTPS://A.example")
        .value
        .expect("policy");
    let d = p.directive(DirectiveName::ScriptSrc).expect("script-src");
    let kinds: Vec<_> = d.sources().map(|s| s.kind()).collect();
    assert_eq!(
        kinds,
        [
            SourceKind::Keyword(Keyword::SelfOrigin),
            SourceKind::None,
            SourceKind::Nonce,
            SourceKind::Hash(HashAlgorithm::Sha512),
            SourceKind::Keyword(Keyword::StrictDynamic),
            SourceKind::Scheme,
            SourceKind::Host,
        ]
    );
    // Canonical form lowercases what is case-insensitive and keeps the rest.
    assert_eq!(
        p.to_string(),
        "script-src 'self' 'none' 'nonce-abc' 'sha512-abc' 'strict-dynamic' https: https://A.example"
    );
}

#[test]
fn none_with_other_sources_is_reported() {
    let parsed = Policy::parse("img-src 'none' https://a");
    assert_eq!(
        parsed.diagnostics[0].kind(),
        DiagnosticKind::NoneWithOtherSources
    );
}

#[test]
fn every_csp3_keyword_and_inline_speculation_rules_is_a_keyword() {
    for k in [
        "'self'",
        "'unsafe-inline'",
        "'unsafe-eval'",
        "'strict-dynamic'",
        "'unsafe-hashes'",
        "'report-sample'",
        "'unsafe-allow-redirects'",
        "'wasm-unsafe-eval'",
        "'trusted-types-eval'",
        "'report-sha256'",
        "'report-sha384'",
        "'report-sha512'",
        "'unsafe-webtransport-hashes'",
        "'inline-speculation-rules'",
    ] {
        let (kind, _) = classify(k).expect("classified");
        assert!(matches!(kind, SourceKind::Keyword(_)), "{k}");
        assert_eq!(Keyword::from_quoted(k).map(Keyword::as_str), Some(k));
    }
    assert_eq!(
        classify("'unsafe-everything'").map(|c| c.0),
        Some(SourceKind::Other)
    );
}

#[test]
fn frame_ancestors_rejects_keywords_nonces_and_hashes() {
    let parsed = Policy::parse("frame-ancestors 'self' 'unsafe-inline' 'nonce-abc' https:");
    let kinds: Vec<_> = parsed
        .diagnostics
        .iter()
        .map(csp_builder::Diagnostic::kind)
        .collect();
    assert_eq!(
        kinds,
        [
            DiagnosticKind::SourceNotAllowed,
            DiagnosticKind::SourceNotAllowed
        ]
    );
}

#[test]
fn obsolete_directives_are_unknown() {
    for name in [
        "prefetch-src",
        "navigate-to",
        "plugin-types",
        "referrer",
        "reflected-xss",
        "disown-opener",
        "require-sri-for",
    ] {
        let parsed = Policy::parse(&format!("{name} x"));
        let p = parsed.value.expect("kept");
        assert_eq!(
            p.directives().next().and_then(|d| d.known()),
            None,
            "{name}"
        );
        assert_eq!(
            parsed.diagnostics[0].kind(),
            DiagnosticKind::UnknownDirective,
            "{name}"
        );
    }
    assert!(
        Policy::parse("block-all-mixed-content")
            .diagnostics
            .iter()
            .any(|d| d.kind() == DiagnosticKind::DeprecatedDirective)
    );
}

#[test]
fn directive_specific_grammars_are_checked() {
    let bad = |s: &str| {
        Policy::parse(s)
            .diagnostics
            .iter()
            .any(|d| d.kind() == DiagnosticKind::InvalidDirectiveValue)
    };
    assert!(bad("sandbox allow-everything"));
    assert!(!bad("sandbox allow-scripts ALLOW-FORMS"));
    assert!(bad("webrtc 'maybe'"));
    assert!(!bad("webrtc 'allow'"));
    assert!(bad("report-to a b"));
    assert!(bad("upgrade-insecure-requests now"));
    assert!(bad("require-trusted-types-for 'style'"));
    assert!(!bad("trusted-types default 'allow-duplicates' *"));
}

#[test]
fn caps_bound_allocation_with_diagnostics() {
    let many_policies = "img-src *,".repeat(csp_builder::MAX_POLICIES + 10);
    let parsed = PolicyList::parse(&many_policies);
    assert_eq!(parsed.value.len(), csp_builder::MAX_POLICIES);
    assert!(
        parsed
            .diagnostics
            .iter()
            .any(|d| d.kind() == DiagnosticKind::TooManyPolicies)
    );

    let many_directives: String = (0..csp_builder::MAX_DIRECTIVES_PER_POLICY + 5)
        .map(|i| format!("x{i} a;"))
        .collect();
    let parsed = Policy::parse(&many_directives);
    assert_eq!(
        parsed.value.map(|p| p.len()),
        Some(csp_builder::MAX_DIRECTIVES_PER_POLICY)
    );
    assert!(
        parsed
            .diagnostics
            .iter()
            .any(|d| d.kind() == DiagnosticKind::TooManyDirectives)
    );

    let many_values = format!(
        "img-src 'self'; script-src {}",
        "a ".repeat(csp_builder::MAX_VALUES_PER_POLICY)
    );
    let parsed = Policy::parse(&many_values);
    assert_eq!(
        parsed.value.map(|p| p.to_string()).as_deref(),
        Some("img-src 'self'")
    );
    assert!(
        parsed
            .diagnostics
            .iter()
            .any(|d| d.kind() == DiagnosticKind::TooManyValues)
    );

    let huge = "a".repeat(csp_builder::MAX_INPUT_LEN + 1);
    let parsed = PolicyList::parse(&huge);
    assert!(parsed.value.is_empty());
    assert_eq!(parsed.diagnostics[0].kind(), DiagnosticKind::InputTooLong);
}

#[test]
fn diagnostics_point_into_the_whole_header_value() {
    let input = "img-src *, script-src 'self' 'bogus'";
    let parsed = PolicyList::parse(input);
    let d = &parsed.diagnostics[0];
    assert_eq!(&input[d.span()], "'bogus'");
    assert_eq!(d.policy_index(), 1);
}

#[test]
fn report_only_disposition_is_kept() {
    let mut headers = http::HeaderMap::new();
    headers.append(
        csp_builder::CONTENT_SECURITY_POLICY_REPORT_ONLY,
        http::HeaderValue::from_static("img-src *"),
    );
    let list = PolicyList::from_headers(&headers).value;
    assert_eq!(list.policies()[0].disposition(), Disposition::Report);
    assert_eq!(
        list.policies()[0].header_name(),
        csp_builder::CONTENT_SECURITY_POLICY_REPORT_ONLY
    );
}

/// `MAX_INPUT_LEN`: "header values longer than this many bytes are not parsed", for one policy
/// (`Policy::parse`, `Policy::parse_meta`) as for a list.
#[test]
fn single_policy_of_exactly_max_input_len_is_parsed_and_one_more_byte_is_not() {
    let policy = "img-src 'self'";
    let at_limit = format!(
        "{policy}{}",
        " ".repeat(csp_builder::MAX_INPUT_LEN - policy.len())
    );
    for parse in [Policy::parse, Policy::parse_meta] {
        let parsed = parse(&at_limit);
        assert_eq!(parsed.value.map(|p| p.to_string()).as_deref(), Some(policy));
        assert!(parsed.diagnostics.is_empty());
        let over = format!("{at_limit} ");
        let parsed = parse(&over);
        assert_eq!(parsed.value, None);
        let kinds: Vec<DiagnosticKind> = parsed
            .diagnostics
            .iter()
            .map(csp_builder::Diagnostic::kind)
            .collect();
        assert_eq!(kinds, [DiagnosticKind::InputTooLong]);
        assert_eq!(parsed.diagnostics[0].span(), 0..over.len());
    }
}

/// `MAX_POLICIES` caps the number of policies, not the position of a comma-separated item:
/// CSP3 §2.2.2 "If policy's directive set is empty, continue" (an empty item is not a policy),
/// so empty items before, between and after the policies do not use up the limit.
#[test]
fn max_policies_counts_policies_not_empty_items() {
    let max = csp_builder::MAX_POLICIES;
    // More empty items than the limit before one real policy: it is parsed.
    let parsed = PolicyList::parse(&format!("{}default-src 'self'", ",".repeat(max + 1)));
    assert_eq!(parsed.value.to_string(), "default-src 'self'");
    assert!(
        parsed
            .diagnostics
            .iter()
            .all(|d| d.kind() == DiagnosticKind::EmptyPolicy)
    );
    // Exactly the limit of policies, each followed by an empty item (" ;" has no directive):
    // all are kept, and the trailing empty items are only empty.
    let at_limit: String = (0..max).map(|i| format!("img-src a{i}, ;,")).collect();
    let parsed = PolicyList::parse(&at_limit);
    assert_eq!(parsed.value.len(), max);
    assert!(
        parsed
            .diagnostics
            .iter()
            .all(|d| d.kind() == DiagnosticKind::EmptyPolicy),
        "{:?}",
        parsed.diagnostics
    );
    // One policy more, after further empty items: that one is ignored, with the diagnostic
    // spanning the rest of the value from the first item not parsed.
    let over = format!("{at_limit} , script-src 'none'");
    let parsed = PolicyList::parse(&over);
    assert_eq!(parsed.value.len(), max);
    assert!(!parsed.value.to_string().contains("script-src"));
    let last = parsed.diagnostics.last().expect("a diagnostic");
    assert_eq!(last.kind(), DiagnosticKind::TooManyPolicies);
    assert_eq!(&over[last.span()], " script-src 'none'");
    assert_eq!(last.policy_index(), 2 * max + 1);
}

/// `MAX_DIRECTIVES_PER_POLICY` counts kept directives: empty tokens, duplicates and skipped
/// tokens do not use up the limit; the first directive past it is ignored even when known.
#[test]
fn max_directives_per_policy_counts_kept_directives_only() {
    let max = csp_builder::MAX_DIRECTIVES_PER_POLICY;
    let mut input: String = (0..max - 1).map(|i| format!("x-{i} a;;  ;")).collect();
    input.push_str("x-0 dup; img-src\u{a0}'none'; img-src\x01 b; script-src 'self'");
    let parsed = Policy::parse(&input);
    let policy = parsed.value.expect("a policy");
    assert_eq!(policy.len(), max);
    assert!(policy.directive(DirectiveName::ScriptSrc).is_some());
    let kinds: Vec<DiagnosticKind> = parsed
        .diagnostics
        .iter()
        .map(csp_builder::Diagnostic::kind)
        .filter(|k| *k != DiagnosticKind::UnknownDirective)
        .collect();
    assert_eq!(
        kinds,
        [
            DiagnosticKind::DuplicateDirective,
            DiagnosticKind::NonAsciiTokenSkipped,
            DiagnosticKind::InvalidValueBytes
        ]
    );
    // One directive more, a known one: ignored.
    let parsed = Policy::parse(&format!("{input}; default-src 'none'"));
    let policy = parsed.value.expect("a policy");
    assert_eq!(policy.len(), max);
    assert!(policy.directive(DirectiveName::DefaultSrc).is_none());
    let last = parsed.diagnostics.last().map(csp_builder::Diagnostic::kind);
    assert_eq!(last, Some(DiagnosticKind::TooManyDirectives));
}

/// Two spaces between values are one separator (CSP3 §2.2.1 step 3.6: "split on ASCII
/// whitespace"), however many of them a directive has: the parse equals the single-spaced
/// one value for value, kind for kind, diagnostic for diagnostic. A directive with many double
/// spaces switches to copying value by value (each in-place cut copies the rest of the token
/// again); the counts cover directives below, at and well past that switch, and the sources
/// include uppercase keywords and schemes, whose canonical text is lowercased in the copy.
#[test]
fn double_spaces_anywhere_parse_like_single_spaces() {
    let values = [
        "'SELF'",
        "HTTPS:",
        "a.example",
        "'nonce-AbC'",
        "HTTP://B.example:8080/p",
        "*.c.example",
        "'none'",
        "'sha256-abc'",
        "bad\\value",
        "'unsafe-INLINE'",
    ];
    for doubles in 0..=24usize {
        let mut single = String::from("default-src 'self'; script-src");
        let mut spaced = String::from("default-src 'self'; script-src");
        for i in 0..48 {
            let v = values[i % values.len()];
            single.push(' ');
            single.push_str(v);
            // The first `doubles` separators are doubled (and above 16, every third one too).
            spaced.push_str(if i < doubles || (doubles > 16 && i % 3 == 0) {
                "  "
            } else {
                " "
            });
            spaced.push_str(v);
        }
        single.push_str("; img-src x.example");
        spaced.push_str(";  img-src  x.example");
        let (a, b) = (Policy::parse(&single), Policy::parse(&spaced));
        let (pa, pb) = (a.value.expect("a policy"), b.value.expect("a policy"));
        let sources = |p: &Policy| -> Vec<(String, SourceKind)> {
            p.directives()
                .flat_map(|d| d.sources().map(|s| (s.as_str().to_owned(), s.kind())))
                .collect()
        };
        assert_eq!(sources(&pa), sources(&pb), "{doubles} double spaces");
        assert_eq!(pa.to_string(), pb.to_string(), "{doubles} double spaces");
        assert_eq!(pa, pb, "{doubles} double spaces");
        let kinds = |d: &[csp_builder::Diagnostic]| -> Vec<DiagnosticKind> {
            d.iter().map(csp_builder::Diagnostic::kind).collect()
        };
        assert_eq!(kinds(&a.diagnostics), kinds(&b.diagnostics), "{doubles}");
        for d in &b.diagnostics {
            assert!(
                !spaced[d.span()].starts_with(' '),
                "{doubles}: span {:?}",
                d.span()
            );
        }
    }
}

/// `MAX_VALUES_PER_POLICY` is a per-policy total: a directive that brings the total to exactly
/// the limit is kept, the next one with a value is ignored as a whole, and a directive without
/// values is still kept. Single spaces and other whitespace between values behave the same.
#[test]
fn max_values_per_policy_keeps_a_directive_reaching_it_exactly() {
    let max = csp_builder::MAX_VALUES_PER_POLICY;
    for sep in [" ", "\t", "  "] {
        let hosts = format!("{sep}a.example").repeat(max - 2);
        let input = format!(
            "img-src{hosts}; script-src{sep}'self'{sep}'unsafe-inline'; style-src{sep}'self'; \
             upgrade-insecure-requests"
        );
        let parsed = Policy::parse(&input);
        let policy = parsed.value.expect("a policy");
        let counts: Vec<(String, usize)> = policy
            .directives()
            .map(|d| (d.name().to_owned(), d.len()))
            .collect();
        assert_eq!(
            counts,
            [
                ("img-src".to_owned(), max - 2),
                ("script-src".to_owned(), 2),
                ("upgrade-insecure-requests".to_owned(), 0)
            ],
            "separator {sep:?}"
        );
        let kinds: Vec<DiagnosticKind> = parsed
            .diagnostics
            .iter()
            .map(csp_builder::Diagnostic::kind)
            .collect();
        assert_eq!(kinds, [DiagnosticKind::TooManyValues], "separator {sep:?}");
        let span = parsed.diagnostics[0].span();
        assert_eq!(input[span].split([' ', '\t']).next(), Some("style-src"));
    }
}

/// A directive ignored for exceeding `MAX_VALUES_PER_POLICY` is not in the directive set, so a
/// later directive of the same name is not a duplicate (CSP3 §2.2.1 step 3.5: "If policy's
/// directive set contains a directive whose name is directive name, continue"), for known
/// names as for unknown ones.
#[test]
fn directive_ignored_for_too_many_values_is_not_a_duplicate() {
    let hosts = " a.example".repeat(csp_builder::MAX_VALUES_PER_POLICY);
    for name in ["sandbox", "x-custom"] {
        let input = format!("img-src{hosts}; {name} allow-scripts; {name}");
        let parsed = Policy::parse(&input);
        let policy = parsed.value.expect("a policy");
        let names: Vec<&str> = policy.directives().map(|d| d.name()).collect();
        assert_eq!(names, ["img-src", name]);
        assert_eq!(policy.get(name).map(|d| d.len()), Some(0));
        assert!(
            parsed
                .diagnostics
                .iter()
                .all(|d| d.kind() != DiagnosticKind::DuplicateDirective),
            "{name}: {:?}",
            parsed.diagnostics
        );
    }
}

/// CSP3 §2.3.1 source-expression grammar at its edges: host wildcards and labels, ports,
/// paths (RFC 3986 `path-absolute`) with percent-escapes, schemes, nonces and hashes with
/// their `*2( "=" )` padding, and keywords ASCII case-insensitively up to the longest one.
#[test]
fn source_expression_grammar_boundaries() {
    use SourceKind::{Host, Keyword as Kw, Nonce, None as NoneKind, Other, Scheme};
    let sha256 = SourceKind::Hash(HashAlgorithm::Sha256);
    let sha512 = SourceKind::Hash(HashAlgorithm::Sha512);
    let cases: &[(&str, SourceKind)] = &[
        // host-part = "*" / [ "*." ] 1*host-char *( "." 1*host-char ) [ "." ]
        ("*", Host),
        ("*.", Other),
        ("*.a", Host),
        ("*.a.", Host),
        ("*..a", Other),
        ("*.*.a", Other),
        ("a.*", Other),
        ("**", Other),
        ("ex*ample.com", Other),
        ("a", Host),
        ("a.", Host),
        ("a..", Other),
        (".a", Other),
        ("a..b", Other),
        ("-a-.b-", Host),
        ("a_b", Other),
        ("127.0.0.1", Host),
        ("[::1]", Other),
        // [ scheme-part "://" ]
        ("https://*", Host),
        ("HTTPS://A.EXAMPLE", Host),
        ("a+b.c-d://x", Host),
        ("https://", Other),
        ("https:///x", Other),
        ("1a://x", Other),
        ("https:/x", Other),
        // [ ":" port-part ], port-part = 1*DIGIT / "*"
        ("a:0", Host),
        ("a:99999", Host),
        ("a:*", Host),
        ("https://a:", Other),
        ("*:", Other),
        ("a:1*", Other),
        ("a:*1", Other),
        ("a:-1", Other),
        ("https://a:443/", Host),
        // [ path-part ]: path-absolute = "/" [ segment-nz *( "/" segment ) ]
        ("a/", Host),
        ("a//", Other),
        ("a//b", Other),
        ("a/b//c/", Host),
        ("a/!$&'()*+=:@-._~", Host),
        ("a/%2F", Host),
        ("a/%2f%41", Host),
        ("a/%", Other),
        ("a/%2", Other),
        ("a/%2G", Other),
        ("a/%G2", Other),
        ("a/%%41", Other),
        ("a/b?c", Other),
        ("a/b#c", Other),
        ("a/\"", Other),
        // scheme-source = scheme-part ":"
        ("a:", Scheme),
        ("ab:", Scheme),
        ("A:", Scheme),
        ("x1+-.:", Scheme),
        ("example.com:", Scheme),
        ("1a:", Other),
        ("+a:", Other),
        ("a_b:", Other),
        // nonce-source = "'nonce-" base64-value "'"
        ("'nonce-'", Other),
        ("'nonce-a'", Nonce),
        ("'nonce-a='", Nonce),
        ("'nonce-a=='", Nonce),
        ("'nonce-a==='", Other),
        ("'nonce-='", Other),
        ("'nonce-a=b'", Other),
        ("'nonce-+/-_'", Nonce),
        ("'NONCE-a'", Nonce),
        ("'nonce-a.b'", Other),
        ("'nonce-a", Other),
        // hash-source = "'" hash-algorithm "-" base64-value "'"
        ("'sha256-'", Other),
        ("'sha256-a'", sha256),
        ("'SHA256-a=='", sha256),
        ("'sha256-a==='", Other),
        ("'sha512-+/-_='", sha512),
        ("'sha1-a'", Other),
        ("'sha256a'", Other),
        // keyword-source, 'none'
        ("'none'", NoneKind),
        ("'NoNe'", NoneKind),
        ("'none", Other),
        ("none'", Other),
        ("''", Other),
        ("'", Other),
        (
            "'UNSAFE-WEBTRANSPORT-HASHES'",
            Kw(Keyword::UnsafeWebtransportHashes),
        ),
        ("'unsafe-webtransport-hashess'", Other),
        (
            "'Inline-Speculation-Rules'",
            Kw(Keyword::InlineSpeculationRules),
        ),
        ("self", Host),
    ];
    for (expression, expected) in cases {
        assert_eq!(
            SourceKind::classify(expression),
            *expected,
            "{expression:?}"
        );
        // The parser classifies a value in a source list the same way (the first value,
        // a middle one after two spaces, and the last one after a tab).
        let parsed = Policy::parse(&format!(
            "img-src {expression} 'self'  {expression}\t{expression}"
        ));
        let policy = parsed.value.expect("a policy");
        let kinds: Vec<SourceKind> = policy
            .directive(DirectiveName::ImgSrc)
            .map(|d| d.sources().map(|s| s.kind()).collect())
            .unwrap_or_default();
        assert_eq!(
            kinds,
            [*expected, Kw(Keyword::SelfOrigin), *expected, *expected],
            "{expression:?}"
        );
    }
}
