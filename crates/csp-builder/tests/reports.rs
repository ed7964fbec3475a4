//! Violation-report parsing: `application/csp-report` (CSP3 §5.4) and `application/reports+json`
//! (CSP3 §5.5 step 5, Reporting API) bodies as Chrome, Firefox and Safari send them, plus
//! malformed, hostile and oversized bodies.
#![cfg(feature = "reports")]

use csp_builder::report::{
    BlockedUri, Disposition, MAX_CSP_REPORT_BYTES, MAX_REPORTS, MAX_REPORTS_BODY_BYTES, Report,
    ReportError, ReportFormat, ViolationReport,
};

type TestResult = Result<(), ReportError>;

// Chrome (report-uri): all CSP3 fields, numbers as JSON numbers, `-elem` effective directive.
const CHROME_CSP_REPORT: &str = r#"{"csp-report":{"document-uri":"https://shop.example/checkout?step=2","referrer":"https://shop.example/cart","violated-directive":"script-src-elem","effective-directive":"script-src-elem","original-policy":"default-src 'self'; script-src 'self' 'nonce-r4nd0m' 'report-sample'; report-uri /csp","disposition":"enforce","blocked-uri":"inline","line-number":42,"column-number":17,"source-file":"https://shop.example/checkout","status-code":200,"script-sample":"alert(document.cookie)"}}"#;

// Firefox (report-uri): keys in alphabetical order, no status-code for some loads.
const FIREFOX_CSP_REPORT: &str = r#"{"csp-report":{"blocked-uri":"https://evil.example/x.js","column-number":1,"disposition":"report","document-uri":"https://blog.example/post/1","effective-directive":"script-src-elem","line-number":1,"original-policy":"script-src 'self'; report-uri https://blog.example/csp","referrer":"","script-sample":"","source-file":"https://blog.example/post/1","violated-directive":"script-src-elem"}}"#;

// Older Firefox: blocked-uri "self" for an inline violation, the whole directive in
// violated-directive, no effective-directive and no disposition.
const OLD_FIREFOX_CSP_REPORT: &str = r#"{"csp-report":{"blocked-uri":"self","document-uri":"https://blog.example/","line-number":"12","original-policy":"style-src https://blog.example; report-uri https://blog.example/csp","referrer":"","source-file":"https://blog.example/","violated-directive":"style-src https://blog.example"}}"#;

// Safari (report-uri): effective-directive without `-elem`, the full directive text in
// violated-directive, numbers sent as strings, blocked-uri empty for inline code.
const SAFARI_CSP_REPORT: &str = r#"{"csp-report":{"document-uri":"https://news.example/","referrer":"","violated-directive":"script-src 'self' https://cdn.news.example","effective-directive":"script-src","original-policy":"script-src 'self' https://cdn.news.example; report-uri /r","blocked-uri":"","status-code":"200","line-number":"8","column-number":"33","source-file":"https://news.example/"}}"#;

// Chrome (Reporting API): a batch with a CSP violation and a deprecation report.
const CHROME_REPORTS_JSON: &str = r#"[{"age":53531,"body":{"blockedURL":"inline","columnNumber":39,"disposition":"enforce","documentURL":"https://app.example/dashboard","effectiveDirective":"script-src-elem","lineNumber":121,"originalPolicy":"script-src 'nonce-abc' 'strict-dynamic'; report-to csp","referrer":"https://www.google.com/","sample":"console.log(\"hi\")","sourceFile":"https://app.example/dashboard","statusCode":200},"type":"csp-violation","url":"https://app.example/dashboard","user_agent":"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"},{"age":10,"body":{"columnNumber":8,"id":"UnloadHandler","lineNumber":3,"message":"Unload event listeners are deprecated","sourceFile":"https://app.example/legacy.js"},"type":"deprecation","url":"https://app.example/dashboard","user_agent":"Mozilla/5.0 Chrome/124.0.0.0"}]"#;

// Firefox (Reporting API): eval and wasm-eval violations, report-only, null line numbers.
const FIREFOX_REPORTS_JSON: &str = r#"[{"type":"csp-violation","age":0,"url":"https://game.example/","user_agent":"Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0","body":{"documentURL":"https://game.example/","referrer":null,"blockedURL":"eval","effectiveDirective":"script-src","originalPolicy":"script-src 'self'; report-to default","sourceFile":"https://game.example/engine.js","sample":"","disposition":"report","statusCode":200,"lineNumber":5,"columnNumber":12}},{"type":"csp-violation","age":2,"url":"https://game.example/","user_agent":"Mozilla/5.0 Firefox/140.0","body":{"documentURL":"https://game.example/","blockedURL":"wasm-eval","effectiveDirective":"script-src","originalPolicy":"script-src 'self'; report-to default","disposition":"report","statusCode":200,"lineNumber":null,"columnNumber":null}}]"#;

// Safari (Reporting API): a data: image reduced to its scheme, numbers as strings, extra fields.
const SAFARI_REPORTS_JSON: &str = r#"[{"type":"csp-violation","age":"1250","url":"https://photos.example/album","user_agent":"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15","body":{"documentURL":"https://photos.example/album","referrer":"","blockedURL":"data","effectiveDirective":"img-src","originalPolicy":"img-src 'self'; report-to main","sourceFile":"","sample":"","disposition":"enforce","statusCode":"200","lineNumber":"0","columnNumber":"0","extra":{"nested":[1,2,3]}},"destination":"main"}]"#;

#[test]
fn chrome_csp_report_all_fields_typed() -> TestResult {
    let r = ViolationReport::parse_csp_report(CHROME_CSP_REPORT.as_bytes())?;
    assert_eq!(r.format, ReportFormat::CspReport);
    assert_eq!(r.document_uri, "https://shop.example/checkout?step=2");
    assert_eq!(r.referrer.as_deref(), Some("https://shop.example/cart"));
    assert_eq!(r.effective_directive, "script-src-elem");
    assert_eq!(r.violated_directive.as_deref(), Some("script-src-elem"));
    assert!(r.original_policy.starts_with("default-src 'self'"));
    assert_eq!(r.disposition, Some(Disposition::Enforce));
    assert_eq!(r.blocked_uri, BlockedUri::Inline);
    assert_eq!(r.line_number, Some(42));
    assert_eq!(r.column_number, Some(17));
    assert_eq!(
        r.source_file.as_deref(),
        Some("https://shop.example/checkout")
    );
    assert_eq!(r.status_code, Some(200));
    assert_eq!(r.sample.as_deref(), Some("alert(document.cookie)"));
    assert_eq!((r.age, r.url, r.user_agent), (None, None, None));
    Ok(())
}

#[test]
fn firefox_csp_report_report_only_disposition_and_empty_strings_become_none() -> TestResult {
    let r = ViolationReport::parse_csp_report(FIREFOX_CSP_REPORT.as_bytes())?;
    assert_eq!(r.disposition, Some(Disposition::Report));
    assert_eq!(
        r.blocked_uri,
        BlockedUri::Url("https://evil.example/x.js".to_owned())
    );
    assert_eq!(r.referrer, None);
    assert_eq!(r.sample, None);
    assert_eq!(r.status_code, None);
    assert_eq!((r.line_number, r.column_number), (Some(1), Some(1)));
    Ok(())
}

#[test]
fn violated_directive_first_word_stands_in_for_missing_effective_directive() -> TestResult {
    let r = ViolationReport::parse_csp_report(OLD_FIREFOX_CSP_REPORT.as_bytes())?;
    assert_eq!(r.effective_directive, "style-src");
    assert_eq!(
        r.violated_directive.as_deref(),
        Some("style-src https://blog.example")
    );
    assert_eq!(r.disposition, None);
    assert_eq!(r.blocked_uri, BlockedUri::Other("self".to_owned()));
    assert_eq!(r.line_number, Some(12));
    Ok(())
}

#[test]
fn safari_csp_report_numbers_as_strings_and_empty_blocked_uri() -> TestResult {
    let r = ViolationReport::parse_csp_report(SAFARI_CSP_REPORT.as_bytes())?;
    assert_eq!(r.effective_directive, "script-src");
    assert_eq!(r.blocked_uri, BlockedUri::Empty);
    assert_eq!(r.status_code, Some(200));
    assert_eq!((r.line_number, r.column_number), (Some(8), Some(33)));
    assert_eq!(r.disposition, None);
    Ok(())
}

#[test]
fn chrome_reports_json_keeps_other_report_types() -> TestResult {
    let reports = ViolationReport::parse_reports_json(CHROME_REPORTS_JSON.as_bytes())?;
    assert_eq!(reports.len(), 2);
    let v = reports[0].as_violation().ok_or(ReportError::EmptyBody)?;
    assert_eq!(v.format, ReportFormat::ReportingApi);
    assert_eq!(v.document_uri, "https://app.example/dashboard");
    assert_eq!(v.blocked_uri, BlockedUri::Inline);
    assert_eq!(v.effective_directive, "script-src-elem");
    assert_eq!(v.violated_directive, None);
    assert_eq!(v.sample.as_deref(), Some("console.log(\"hi\")"));
    assert_eq!((v.line_number, v.column_number), (Some(121), Some(39)));
    assert_eq!(v.age, Some(53531));
    assert_eq!(v.url.as_deref(), Some("https://app.example/dashboard"));
    assert!(
        v.user_agent
            .as_deref()
            .is_some_and(|ua| ua.contains("Chrome/124"))
    );
    match &reports[1] {
        Report::Other(o) => {
            assert_eq!(o.report_type, "deprecation");
            assert_eq!(o.age, Some(10));
            assert_eq!(o.body["id"], "UnloadHandler");
        }
        other => panic!("expected a deprecation report, got {other:?}"),
    }
    Ok(())
}

#[test]
fn firefox_reports_json_eval_wasm_eval_and_null_numbers() -> TestResult {
    let reports = ViolationReport::parse_reports_json(FIREFOX_REPORTS_JSON.as_bytes())?;
    let v: Vec<_> = reports
        .into_iter()
        .filter_map(Report::into_violation)
        .collect();
    assert_eq!(v.len(), 2);
    assert_eq!(v[0].blocked_uri, BlockedUri::Eval);
    assert_eq!(v[0].referrer, None);
    assert_eq!(v[0].disposition, Some(Disposition::Report));
    assert_eq!(v[1].blocked_uri, BlockedUri::WasmEval);
    assert_eq!((v[1].line_number, v[1].column_number), (None, None));
    Ok(())
}

#[test]
fn safari_reports_json_scheme_only_blocked_url_and_extra_fields() -> TestResult {
    let reports = ViolationReport::parse_reports_json(SAFARI_REPORTS_JSON.as_bytes())?;
    let v = reports[0].as_violation().ok_or(ReportError::EmptyBody)?;
    assert_eq!(v.blocked_uri, BlockedUri::Scheme("data".to_owned()));
    assert_eq!(v.age, Some(1250));
    assert_eq!(v.status_code, Some(200));
    assert_eq!(v.line_number, Some(0));
    assert_eq!(v.source_file, None);
    Ok(())
}

#[test]
fn blocked_uri_keywords_from_csp3_violation_resource() {
    // CSP3 §5.1: resource is null, "inline", "eval", "wasm-eval", "trusted-types-policy",
    // "trusted-types-sink" or a URL.
    for (text, expected) in [
        ("inline", BlockedUri::Inline),
        ("eval", BlockedUri::Eval),
        ("wasm-eval", BlockedUri::WasmEval),
        ("trusted-types-policy", BlockedUri::TrustedTypesPolicy),
        ("trusted-types-sink", BlockedUri::TrustedTypesSink),
        ("blob", BlockedUri::Scheme("blob".to_owned())),
        (
            "chrome-extension",
            BlockedUri::Scheme("chrome-extension".to_owned()),
        ),
        (
            "wss://x.example/s",
            BlockedUri::Url("wss://x.example/s".to_owned()),
        ),
        ("/relative", BlockedUri::Other("/relative".to_owned())),
    ] {
        let got = BlockedUri::from_report_value(text);
        assert_eq!(got, expected, "{text}");
        assert_eq!(got.as_str(), text);
    }
}

#[test]
fn parse_body_dispatches_on_media_type_essence() -> TestResult {
    let one = ViolationReport::parse_body(
        "Application/CSP-Report ; charset=utf-8",
        CHROME_CSP_REPORT.as_bytes(),
    )?;
    assert_eq!(one.len(), 1);
    let many =
        ViolationReport::parse_body("application/reports+json", CHROME_REPORTS_JSON.as_bytes())?;
    assert_eq!(many.len(), 2);
    // application/json is recognized by shape.
    let sniffed = ViolationReport::parse_body("application/json", FIREFOX_CSP_REPORT.as_bytes())?;
    assert_eq!(
        sniffed[0].as_violation().map(|v| v.format),
        Some(ReportFormat::CspReport)
    );
    let sniffed = ViolationReport::parse_body("application/json", SAFARI_REPORTS_JSON.as_bytes())?;
    assert_eq!(
        sniffed[0].as_violation().map(|v| v.format),
        Some(ReportFormat::ReportingApi)
    );
    assert_eq!(
        ViolationReport::parse_body("text/html", CHROME_CSP_REPORT.as_bytes()),
        Err(ReportError::UnsupportedMediaType {
            media_type: "text/html".to_owned()
        })
    );
    Ok(())
}

#[test]
fn csp_report_without_envelope_is_missing_csp_report() {
    assert_eq!(
        ViolationReport::parse_csp_report(br#"{"document-uri":"https://a.example/"}"#),
        Err(ReportError::MissingCspReport)
    );
    assert_eq!(
        ViolationReport::parse_csp_report(br#"{"csp-report":null}"#),
        Err(ReportError::MissingCspReport)
    );
}

#[test]
fn report_without_document_or_directive_is_missing_field() {
    assert_eq!(
        ViolationReport::parse_csp_report(br#"{"csp-report":{"effective-directive":"img-src"}}"#),
        Err(ReportError::MissingField {
            field: "document-uri"
        })
    );
    assert_eq!(
        ViolationReport::parse_csp_report(br#"{"csp-report":{"document-uri":"https://a/"}}"#),
        Err(ReportError::MissingField {
            field: "effective-directive"
        })
    );
}

#[test]
fn reporting_api_url_stands_in_for_missing_document_url() -> TestResult {
    let reports = ViolationReport::parse_reports_json(
        br#"[{"type":"csp-violation","url":"https://a.example/p","body":{"effectiveDirective":"img-src"}}]"#,
    )?;
    let v = reports[0].as_violation().ok_or(ReportError::EmptyBody)?;
    assert_eq!(v.document_uri, "https://a.example/p");
    Ok(())
}

#[test]
fn unusable_csp_violation_entry_names_its_index() {
    let err = ViolationReport::parse_reports_json(
        br#"[{"type":"deprecation","body":{}},{"type":"csp-violation","body":"oops"}]"#,
    );
    assert_eq!(
        err,
        Err(ReportError::InvalidReport {
            index: 1,
            reason: Box::new(ReportError::MissingField { field: "body" })
        })
    );
}

#[test]
fn malformed_json_is_invalid_json_with_position() {
    for body in [
        &b"{"[..],
        b"{\"csp-report\": {\"document-uri\": }",
        b"\xff\xfe{}",
        b"{\"csp-report\":{}}trailing",
    ] {
        assert!(
            matches!(
                ViolationReport::parse_csp_report(body),
                Err(ReportError::InvalidJson { line: 1, .. })
            ),
            "{body:?}"
        );
    }
}

#[test]
fn wrong_json_shape_is_unexpected_shape() {
    assert!(matches!(
        ViolationReport::parse_csp_report(br#"{"csp-report":"nope"}"#),
        Err(ReportError::UnexpectedShape { .. })
    ));
    assert!(matches!(
        ViolationReport::parse_csp_report(b"[1,2]"),
        Err(ReportError::UnexpectedShape { .. })
    ));
    assert!(matches!(
        ViolationReport::parse_reports_json(b"\"a string\""),
        Err(ReportError::UnexpectedShape { .. })
    ));
    assert!(matches!(
        ViolationReport::parse_reports_json(b"[1]"),
        Err(ReportError::UnexpectedShape { .. })
    ));
}

#[test]
fn odd_field_types_are_tolerated_not_fatal() -> TestResult {
    let r = ViolationReport::parse_csp_report(
        br#"{"csp-report":{"document-uri":"https://a.example/","effective-directive":"IMG-SRC",
            "line-number":-3,"column-number":4.0,"status-code":"two hundred",
            "referrer":{"x":1},"blocked-uri":["a"],"disposition":"block","unknown":true}}"#,
    )?;
    assert_eq!(r.effective_directive, "img-src");
    assert_eq!(r.line_number, None);
    assert_eq!(r.column_number, Some(4));
    assert_eq!(r.status_code, None);
    assert_eq!(r.referrer, None);
    assert_eq!(r.blocked_uri, BlockedUri::Empty);
    assert_eq!(r.disposition, None);
    Ok(())
}

#[test]
fn empty_body_is_rejected() {
    assert_eq!(
        ViolationReport::parse_csp_report(b" \r\n"),
        Err(ReportError::EmptyBody)
    );
    assert_eq!(
        ViolationReport::parse_reports_json(b""),
        Err(ReportError::EmptyBody)
    );
}

#[test]
fn csp_report_body_over_limit_is_rejected_before_parsing() {
    let mut body = br#"{"csp-report":{"document-uri":"https://a/","effective-directive":"img-src","original-policy":""#.to_vec();
    body.resize(MAX_CSP_REPORT_BYTES + 1, b'a');
    assert_eq!(
        ViolationReport::parse_csp_report(&body),
        Err(ReportError::BodyTooLarge {
            len: MAX_CSP_REPORT_BYTES + 1,
            limit: MAX_CSP_REPORT_BYTES
        })
    );
    let big = vec![b' '; MAX_REPORTS_BODY_BYTES + 1];
    assert!(matches!(
        ViolationReport::parse_reports_json(&big),
        Err(ReportError::BodyTooLarge { .. })
    ));
}

#[test]
fn more_than_max_reports_is_too_many_reports() -> TestResult {
    let entry = r#"{"type":"deprecation","body":{}}"#;
    let list = |n: usize| format!("[{}]", vec![entry; n].join(","));
    assert_eq!(
        ViolationReport::parse_reports_json(list(MAX_REPORTS).as_bytes())?.len(),
        MAX_REPORTS
    );
    assert_eq!(
        ViolationReport::parse_reports_json(list(MAX_REPORTS + 5).as_bytes()),
        Err(ReportError::TooManyReports {
            count: MAX_REPORTS + 5,
            limit: MAX_REPORTS
        })
    );
    Ok(())
}

#[test]
fn deeply_nested_json_errors_without_overflowing_the_stack() {
    let mut body = b"{\"csp-report\":{\"document-uri\":".to_vec();
    body.extend(std::iter::repeat_n(b'[', 20_000));
    assert!(ViolationReport::parse_csp_report(&body).is_err());
    let deep = vec![b'['; 60_000];
    assert!(ViolationReport::parse_reports_json(&deep).is_err());
}

#[test]
fn lone_report_object_is_a_list_of_one() -> TestResult {
    let reports = ViolationReport::parse_reports_json(
        br#"{"type":"csp-violation","url":"https://a/","body":{"effectiveDirective":"frame-ancestors","blockedURL":"https://a/"}}"#,
    )?;
    assert_eq!(reports.len(), 1);
    assert_eq!(
        reports[0]
            .as_violation()
            .map(|v| v.effective_directive.as_str()),
        Some("frame-ancestors")
    );
    Ok(())
}

#[test]
fn errors_describe_the_problem() {
    let msg = ReportError::TooManyReports {
        count: 101,
        limit: 100,
    }
    .to_string();
    assert!(msg.contains("101") && msg.contains("100"), "{msg}");
    let msg = ReportError::MissingField {
        field: "document-uri",
    }
    .to_string();
    assert!(msg.contains("document-uri"), "{msg}");
}

/// `MAX_REPORTS` applies to `csp-violation` reports as to any other type: exactly the limit is
/// read (each one checked), one more is `TooManyReports` before any report is looked at.
#[test]
fn max_reports_holds_at_the_limit_for_violation_reports() -> TestResult {
    let entry = r#"{"type":"csp-violation","url":"https://a.example/","body":{"effectiveDirective":"img-src"}}"#;
    let list = |n: usize| format!("[{}]", vec![entry; n].join(","));
    let reports = ViolationReport::parse_reports_json(list(MAX_REPORTS).as_bytes())?;
    assert_eq!(reports.len(), MAX_REPORTS);
    assert!(reports.iter().all(|r| r.as_violation().is_some()));
    // One more, the extra one unusable: the count is what is reported.
    let over = format!(
        "[{},{{\"type\":\"csp-violation\",\"body\":\"oops\"}}]",
        vec![entry; MAX_REPORTS].join(",")
    );
    assert_eq!(
        ViolationReport::parse_reports_json(over.as_bytes()),
        Err(ReportError::TooManyReports {
            count: MAX_REPORTS + 1,
            limit: MAX_REPORTS
        })
    );
    Ok(())
}

/// `application/reports+json` bodies are limited to `MAX_REPORTS_BODY_BYTES`: a real list
/// padded to exactly the limit is read, one byte more is refused with its length.
#[test]
fn reports_json_body_of_exactly_the_limit_is_read() -> TestResult {
    let at_limit = format!(
        "{CHROME_REPORTS_JSON}{}",
        " ".repeat(MAX_REPORTS_BODY_BYTES - CHROME_REPORTS_JSON.len())
    );
    assert_eq!(
        ViolationReport::parse_reports_json(at_limit.as_bytes())?.len(),
        2
    );
    let over = format!("{at_limit} ");
    assert_eq!(
        ViolationReport::parse_reports_json(over.as_bytes()),
        Err(ReportError::BodyTooLarge {
            len: MAX_REPORTS_BODY_BYTES + 1,
            limit: MAX_REPORTS_BODY_BYTES
        })
    );
    Ok(())
}

/// Numbers are read "whether they arrive as JSON numbers or as strings of digits"; integral
/// floats count, while negative, fractional and out-of-range values (past `u64::MAX`, the
/// float 2^64) become `None`.
#[test]
fn report_numbers_are_read_up_to_u64_max_and_fractions_are_none() -> TestResult {
    let line = |value: &str| -> Result<Option<u64>, ReportError> {
        let body = format!(
            r#"{{"csp-report":{{"document-uri":"https://a/","effective-directive":"img-src","line-number":{value}}}}}"#
        );
        ViolationReport::parse_csp_report(body.as_bytes()).map(|r| r.line_number)
    };
    let cases: &[(&str, Option<u64>)] = &[
        ("0", Some(0)),
        ("\"0\"", Some(0)),
        ("\" 12 \"", Some(12)),
        ("12.0", Some(12)),
        ("12.5", None),
        ("-1", None),
        ("\"-1\"", None),
        ("-0.0", Some(0)),
        ("18446744073709551615", Some(u64::MAX)),
        ("\"18446744073709551615\"", Some(u64::MAX)),
        ("\"18446744073709551616\"", None),
        ("18446744073709551616", None),
        ("18446744073709549568.0", Some(18_446_744_073_709_549_568)),
        ("1e300", None),
        ("\"\"", None),
        ("\"12a\"", None),
        ("true", None),
        ("null", None),
    ];
    for (value, expected) in cases {
        assert_eq!(line(value)?, *expected, "{value}");
    }
    Ok(())
}

/// `parse_body` with `application/json`: "an object with a `"csp-report"` member is a CSP
/// report, anything else a report list". A `"csp-report"` string that is not a top-level
/// member (a value, or a key of a nested object) does not make a lone report a CSP report.
#[test]
fn application_json_is_a_csp_report_only_with_a_top_level_csp_report_member() -> TestResult {
    let lone = br#"{"type":"deprecation","url":"https://a.example/","body":{"id":"csp-report","csp-report":1}}"#;
    let reports = ViolationReport::parse_body("application/json", lone)?;
    assert!(
        matches!(&reports[..], [Report::Other(o)] if o.report_type == "deprecation"),
        "{reports:?}"
    );
    // A top-level member, also after other members and with escapes in the key.
    let late = br#"{"x":{"csp-report":0},"csp\u002dreport":{"document-uri":"https://a/","effective-directive":"img-src"}}"#;
    let reports = ViolationReport::parse_body("application/json", late)?;
    assert_eq!(
        reports[0].as_violation().map(|v| v.format),
        Some(ReportFormat::CspReport)
    );
    // A top-level member whose value is null is still a CSP report (one without content).
    assert_eq!(
        ViolationReport::parse_body("application/json", br#"{"csp-report":null}"#),
        Err(ReportError::MissingCspReport)
    );
    Ok(())
}

/// `MAX_REPORTS_JSON_VALUES` bounds what a Reporting API body may make the parser keep: a body
/// within the byte limit made of many tiny values (each kept as a `serde_json::Value` in an
/// `Other` report, or read through one for `csp-violation`) is refused as a whole, whether the
/// values sit in one report's body or spread over many reports; a list over `MAX_REPORTS` is
/// still `TooManyReports`, and a full list of real-sized reports stays well within the limit.
#[test]
fn json_value_count_is_bounded() -> TestResult {
    use csp_builder::report::{MAX_REPORTS_BODY_BYTES, MAX_REPORTS_JSON_VALUES};
    let objects = |n: usize| vec![r#"{"":0}"#; n].join(",");
    // One report whose body holds many one-member objects (two values each).
    for n in [10, 4_000, 4_094, 4_095, 70_000] {
        let body = format!(r#"[{{"type":"x","body":[{}]}}]"#, objects(n));
        assert!(body.len() <= MAX_REPORTS_BODY_BYTES, "{n}");
        let values = 4 + 2 * n;
        let parsed = ViolationReport::parse_reports_json(body.as_bytes());
        if values <= MAX_REPORTS_JSON_VALUES {
            assert_eq!(parsed?.len(), 1, "{n}");
        } else {
            assert_eq!(
                parsed,
                Err(ReportError::TooManyJsonValues {
                    count: values,
                    limit: MAX_REPORTS_JSON_VALUES
                }),
                "{n}"
            );
        }
    }
    // The same values spread over a full list of csp-violation reports, whose bodies carry an
    // unknown field.
    let per_report = 60;
    let entry = format!(
        r#"{{"type":"csp-violation","body":{{"effectiveDirective":"img-src","x":[{}]}}}}"#,
        objects(per_report)
    );
    let body = format!("[{}]", vec![entry.as_str(); MAX_REPORTS].join(","));
    assert!(matches!(
        ViolationReport::parse_reports_json(body.as_bytes()),
        Err(ReportError::TooManyJsonValues { .. })
    ));
    // More reports than allowed is still reported as such, however big the body.
    let entry = format!(r#"{{"type":"x","body":[{}]}}"#, objects(100));
    let body = format!("[{}]", vec![entry.as_str(); MAX_REPORTS + 1].join(","));
    assert!(body.len() > 2 * MAX_REPORTS_JSON_VALUES);
    assert_eq!(
        ViolationReport::parse_reports_json(body.as_bytes()),
        Err(ReportError::TooManyReports {
            count: MAX_REPORTS + 1,
            limit: MAX_REPORTS
        })
    );
    // A full list of realistic violation reports parses.
    let entry = r#"{"type":"csp-violation","age":10,"url":"https://a.example/page","user_agent":"Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0","body":{"documentURL":"https://a.example/page","referrer":"https://b.example/","blockedURL":"https://evil.example/x.js","effectiveDirective":"script-src-elem","originalPolicy":"script-src 'self' 'nonce-abc'; report-to csp","sourceFile":"https://a.example/page","sample":"","disposition":"enforce","statusCode":200,"lineNumber":12,"columnNumber":3}}"#;
    let body = format!("[{}]", vec![entry; MAX_REPORTS].join(","));
    assert!(body.len() > 2 * MAX_REPORTS_JSON_VALUES, "the count runs");
    assert_eq!(
        ViolationReport::parse_reports_json(body.as_bytes())?.len(),
        MAX_REPORTS
    );
    Ok(())
}
