//! The builder never emits an injectable header: a table of hostile inputs, each rejected with
//! the right typed error, plus the directive-level rules.

use csp_builder::{
    BuildError, Directive, DirectiveName, HashAlgorithm, Nonce, Policy, SandboxFlag, Source,
    WebrtcPolicy,
};

/// Which entry point a hostile value goes through.
#[derive(Debug, Clone, Copy)]
enum Entry {
    Host,
    Scheme,
    NonceValue,
    Hash,
    Parse,
    Token,
    ReportUri,
    ReportTo,
    UnknownName,
    UnknownValue,
    TrustedTypes,
}

fn build(entry: Entry, value: &str) -> Result<Policy, BuildError> {
    match entry {
        Entry::Host => Policy::builder().script_src([Source::host(value)?]).build(),
        Entry::Scheme => Policy::builder().img_src([Source::scheme(value)?]).build(),
        Entry::NonceValue => Policy::builder()
            .script_src([Source::nonce_value(value)?])
            .build(),
        Entry::Hash => Policy::builder()
            .script_src([Source::hash(HashAlgorithm::Sha256, value)?])
            .build(),
        Entry::Parse => Policy::builder()
            .script_src([value.parse::<Source>()?])
            .build(),
        Entry::Token => Policy::builder()
            .directive(Directive::unknown(
                "x-test",
                [Source::token(value)?.as_str()],
            )?)
            .build(),
        Entry::ReportUri => Policy::builder().report_uri([value]).build(),
        Entry::ReportTo => Policy::builder().report_to(value).build(),
        Entry::UnknownName => Policy::builder().unknown(value, ["a"]).build(),
        Entry::UnknownValue => Policy::builder().unknown("x-test", [value]).build(),
        Entry::TrustedTypes => Policy::builder().trusted_types([value]).build(),
    }
}

type Check = fn(&BuildError) -> bool;

fn forbidden(byte: u8) -> Check {
    match byte {
        b'\r' => |e| matches!(e, BuildError::ForbiddenByte { byte: b'\r', .. }),
        b'\n' => |e| matches!(e, BuildError::ForbiddenByte { byte: b'\n', .. }),
        b';' => |e| matches!(e, BuildError::ForbiddenByte { byte: b';', .. }),
        b',' => |e| matches!(e, BuildError::ForbiddenByte { byte: b',', .. }),
        0 => |e| matches!(e, BuildError::ForbiddenByte { byte: 0, .. }),
        0x7f => |e| matches!(e, BuildError::ForbiddenByte { byte: 0x7f, .. }),
        _ => |e| matches!(e, BuildError::ForbiddenByte { .. }),
    }
}

#[test]
fn hostile_inputs_are_rejected_with_the_right_error() {
    let overlong = format!("https://{}.example", "a".repeat(csp_builder::MAX_VALUE_LEN));
    let table: Vec<(&str, Entry, String, Check)> = vec![
        (
            "header splitting CRLF in host",
            Entry::Host,
            "a.example\r\nSet-Cookie: x=1".into(),
            forbidden(b'\r'),
        ),
        (
            "bare LF in host",
            Entry::Host,
            "a.example\nX: y".into(),
            forbidden(b'\n'),
        ),
        (
            "directive smuggling with ;",
            Entry::Host,
            "a.example;script-src *".into(),
            forbidden(b';'),
        ),
        (
            "policy smuggling with ,",
            Entry::Host,
            "a.example,script-src *".into(),
            forbidden(b','),
        ),
        ("NUL byte", Entry::Host, "a.exa\0mple".into(), forbidden(0)),
        (
            "DEL byte",
            Entry::Host,
            "a.example\x7f".into(),
            forbidden(0x7f),
        ),
        (
            "vertical tab",
            Entry::Host,
            "a\x0b.example".into(),
            forbidden(0x0b),
        ),
        (
            "TAB inside host",
            Entry::Host,
            "a\t.example".into(),
            forbidden(b'\t'),
        ),
        ("space inside host", Entry::Host, "a .example".into(), |e| {
            matches!(e, BuildError::Whitespace { offset: 1, .. })
        }),
        (
            "quote breaking via parse",
            Entry::Parse,
            "'self' 'unsafe-inline".into(),
            |e| matches!(e, BuildError::Whitespace { .. }),
        ),
        (
            "non-ASCII host (IDN not punycoded)",
            Entry::Host,
            "üüü.de".into(),
            |e| matches!(e, BuildError::NonAscii { offset: 0, .. }),
        ),
        ("NBSP in host", Entry::Host, "a\u{a0}b".into(), |e| {
            matches!(e, BuildError::NonAscii { .. })
        }),
        ("empty host", Entry::Host, String::new(), |e| {
            matches!(e, BuildError::Empty)
        }),
        ("overlong host", Entry::Host, overlong, |e| {
            matches!(e, BuildError::TooLong { .. })
        }),
        (
            "wildcard in the middle",
            Entry::Host,
            "ex*ample.com".into(),
            |e| matches!(e, BuildError::InvalidHost { .. }),
        ),
        (
            "double wildcard",
            Entry::Host,
            "*.*.example.com".into(),
            |e| matches!(e, BuildError::InvalidHost { .. }),
        ),
        ("IPv6 literal", Entry::Host, "[::1]".into(), |e| {
            matches!(e, BuildError::InvalidHost { .. })
        }),
        (
            "bad scheme in host",
            Entry::Host,
            "1http://a.example".into(),
            |e| matches!(e, BuildError::InvalidScheme { .. }),
        ),
        (
            "port too large",
            Entry::Host,
            "a.example:65536".into(),
            |e| matches!(e, BuildError::InvalidPort { .. }),
        ),
        ("port not digits", Entry::Host, "a.example:8o".into(), |e| {
            matches!(e, BuildError::InvalidPort { .. })
        }),
        (
            "path with bad percent",
            Entry::Host,
            "a.example/%zz".into(),
            |e| matches!(e, BuildError::InvalidPath { .. }),
        ),
        (
            "path with quote-less keyword",
            Entry::Host,
            "a.example/\"x\"".into(),
            |e| matches!(e, BuildError::InvalidPath { .. }),
        ),
        ("bad scheme", Entry::Scheme, "ht_tp".into(), |e| {
            matches!(e, BuildError::InvalidScheme { .. })
        }),
        (
            "scheme with CR",
            Entry::Scheme,
            "https\r".into(),
            forbidden(b'\r'),
        ),
        (
            "nonce breaking out of its quotes",
            Entry::NonceValue,
            "abc' 'unsafe-inline".into(),
            |e| matches!(e, BuildError::InvalidNonce { .. }),
        ),
        (
            "nonce with three =",
            Entry::NonceValue,
            "AAAAAAAAAAAAAAAAAAAAAAAA===".into(),
            |e| matches!(e, BuildError::InvalidNonce { .. }),
        ),
        ("nonce too short", Entry::NonceValue, "abc".into(), |e| {
            matches!(e, BuildError::InvalidNonce { .. })
        }),
        (
            "nonce with ;",
            Entry::NonceValue,
            "abcdefghijklmnopqrstuvwxyz;".into(),
            forbidden(b';'),
        ),
        ("hash of wrong length", Entry::Hash, "abc".into(), |e| {
            matches!(e, BuildError::InvalidHash { .. })
        }),
        (
            "hash with quote",
            Entry::Hash,
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='".into(),
            |e| matches!(e, BuildError::InvalidHash { .. }),
        ),
        (
            "unknown keyword",
            Entry::Parse,
            "'unsafe-everything'".into(),
            |e| matches!(e, BuildError::InvalidSource { .. }),
        ),
        ("unterminated keyword", Entry::Parse, "'self".into(), |e| {
            matches!(e, BuildError::InvalidSource { .. })
        }),
        (
            "token with comma",
            Entry::Token,
            "a,b".into(),
            forbidden(b','),
        ),
        (
            "report-uri with CRLF",
            Entry::ReportUri,
            "/r\r\nX: y".into(),
            forbidden(b'\r'),
        ),
        (
            "report-uri with space",
            Entry::ReportUri,
            "/a b".into(),
            |e| matches!(e, BuildError::Whitespace { .. }),
        ),
        (
            "report-to not a token",
            Entry::ReportTo,
            "a/b".into(),
            |e| matches!(e, BuildError::InvalidDirectiveValue { .. }),
        ),
        (
            "report-to with ;",
            Entry::ReportTo,
            "a;script-src *".into(),
            forbidden(b';'),
        ),
        (
            "directive name with space",
            Entry::UnknownName,
            "script src".into(),
            |e| matches!(e, BuildError::InvalidDirectiveName { .. }),
        ),
        (
            "directive name with ;",
            Entry::UnknownName,
            "a;b".into(),
            |e| matches!(e, BuildError::InvalidDirectiveName { .. }),
        ),
        (
            "directive name underscore",
            Entry::UnknownName,
            "img_src".into(),
            |e| matches!(e, BuildError::InvalidDirectiveName { .. }),
        ),
        (
            "empty directive name",
            Entry::UnknownName,
            String::new(),
            |e| matches!(e, BuildError::InvalidDirectiveName { .. }),
        ),
        (
            "unknown directive value with LF",
            Entry::UnknownValue,
            "a\nb".into(),
            forbidden(b'\n'),
        ),
        (
            "trusted-types bad name",
            Entry::TrustedTypes,
            "a'b".into(),
            |e| matches!(e, BuildError::InvalidDirectiveValue { .. }),
        ),
    ];
    assert!(table.len() >= 30);
    for (what, entry, value, check) in &table {
        match build(*entry, value) {
            Ok(p) => panic!("{what}: accepted as {p}"),
            Err(e) => assert!(check(&e), "{what}: wrong error {e:?}"),
        }
    }
}

#[test]
fn none_mixed_with_other_sources_is_rejected() {
    let e = Policy::builder()
        .script_src([Source::NONE, Source::SELF])
        .build();
    assert_eq!(
        e,
        Err(BuildError::NoneWithOtherSources {
            directive: "script-src".into()
        })
    );
}

#[test]
fn frame_ancestors_takes_only_ancestor_sources() {
    for bad in [
        Source::UNSAFE_INLINE,
        Source::STRICT_DYNAMIC,
        Source::nonce(&Nonce::generate()),
        Source::hash_of(HashAlgorithm::Sha256, "x"),
    ] {
        let e = Policy::builder().frame_ancestors([bad.clone()]).build();
        assert!(
            matches!(e, Err(BuildError::SourceNotAllowed { ref directive, ref value }) if directive == "frame-ancestors" && value == bad.as_str()),
            "{bad}"
        );
    }
    let ok = Policy::builder()
        .frame_ancestors([
            Source::SELF,
            Source::HTTPS,
            Source::host("https://*.example.com").expect("host"),
        ])
        .build();
    assert_eq!(
        ok.map(|p| p.to_string()).as_deref(),
        Ok("frame-ancestors 'self' https: https://*.example.com")
    );
}

#[test]
fn invalid_sandbox_tokens_are_rejected() {
    let e = Directive::unknown("sandbox", ["allow-scripts", "allow-everything"]);
    assert_eq!(
        e,
        Err(BuildError::InvalidSandboxFlag {
            value: "allow-everything".into()
        })
    );
    let ok = Policy::builder()
        .sandbox([SandboxFlag::AllowScripts, SandboxFlag::AllowSameOrigin])
        .build();
    assert_eq!(
        ok.map(|p| p.to_string()).as_deref(),
        Ok("sandbox allow-scripts allow-same-origin")
    );
    assert_eq!(
        Policy::builder()
            .sandbox([])
            .build()
            .map(|p| p.to_string())
            .as_deref(),
        Ok("sandbox")
    );
}

#[test]
fn duplicate_directives_are_rejected() {
    let e = Policy::builder()
        .img_src([Source::SELF])
        .unknown("IMG-SRC", ["*"])
        .build();
    assert_eq!(
        e,
        Err(BuildError::DuplicateDirective {
            directive: "img-src".into()
        })
    );
    let e = Policy::builder()
        .unknown("x-a", ["1"])
        .unknown("X-A", ["2"])
        .build();
    assert_eq!(
        e,
        Err(BuildError::DuplicateDirective {
            directive: "x-a".into()
        })
    );
}

#[test]
fn empty_policy_is_rejected() {
    assert_eq!(Policy::builder().build(), Err(BuildError::EmptyPolicy));
}

#[test]
fn directive_value_grammars_are_enforced() {
    assert!(matches!(
        Directive::unknown("webrtc", ["'maybe'"]),
        Err(BuildError::InvalidDirectiveValue { .. })
    ));
    assert!(matches!(
        Directive::unknown("upgrade-insecure-requests", ["x"]),
        Err(BuildError::InvalidDirectiveValue { .. })
    ));
    assert!(matches!(
        Directive::unknown("report-to", ["a", "b"]),
        Err(BuildError::InvalidDirectiveValue { .. })
    ));
    assert!(matches!(
        Directive::unknown("report-uri", Vec::<&str>::new()),
        Err(BuildError::InvalidDirectiveValue { .. })
    ));
    assert!(matches!(
        Directive::unknown("require-trusted-types-for", ["'style'"]),
        Err(BuildError::InvalidDirectiveValue { .. })
    ));
    assert!(matches!(
        Directive::unknown("trusted-types", ["'none'", "a"]),
        Err(BuildError::InvalidDirectiveValue { .. })
    ));
    assert!(matches!(
        Directive::unknown("img-src", ["nope'"]),
        Err(BuildError::InvalidSource { .. })
    ));
    let all = Policy::builder()
        .webrtc(WebrtcPolicy::Block)
        .require_trusted_types_for_script()
        .trusted_types(["'none'"])
        .block_all_mixed_content()
        .build();
    assert_eq!(
        all.map(|p| p.to_string()).as_deref(),
        Ok(
            "webrtc 'block'; require-trusted-types-for 'script'; trusted-types 'none'; block-all-mixed-content"
        )
    );
}

#[test]
fn frame_options_mapping_directive_builds() {
    let d = Directive::new(DirectiveName::FrameAncestors, [Source::NONE]).expect("valid");
    assert_eq!(d.known(), Some(DirectiveName::FrameAncestors));
    let p = Policy::builder().directive(d).build().expect("policy");
    assert_eq!(p.to_string(), "frame-ancestors 'none'");
}

#[test]
fn every_builder_method_emits_its_directive() {
    let p = Policy::builder()
        .child_src([Source::SELF])
        .connect_src([Source::SELF])
        .default_src([Source::SELF])
        .font_src([Source::SELF])
        .frame_src([Source::SELF])
        .img_src([Source::SELF])
        .manifest_src([Source::SELF])
        .media_src([Source::SELF])
        .object_src([Source::NONE])
        .script_src([Source::SELF])
        .script_src_elem([Source::SELF])
        .script_src_attr([Source::SELF])
        .style_src([Source::SELF])
        .style_src_elem([Source::SELF])
        .style_src_attr([Source::SELF])
        .worker_src([Source::SELF])
        .base_uri([Source::SELF])
        .form_action([Source::SELF])
        .frame_ancestors([Source::SELF])
        .sandbox([SandboxFlag::AllowForms])
        .webrtc(WebrtcPolicy::Allow)
        .report_uri(["/r"])
        .report_to("csp")
        .upgrade_insecure_requests()
        .block_all_mixed_content()
        .require_trusted_types_for_script()
        .trusted_types(["default"])
        .build()
        .expect("policy");
    let known: Vec<_> = p.directives().filter_map(|d| d.known()).collect();
    assert_eq!(known.len(), DirectiveName::ALL.len());
    for name in DirectiveName::ALL {
        assert!(known.contains(name), "{name}");
    }
    assert_eq!(Policy::parse(p.as_str()).value, Some(p));
}

#[test]
fn header_value_conversions_round_trip() {
    let p = Policy::builder()
        .script_src([Source::SELF])
        .build()
        .expect("policy");
    let v = http::HeaderValue::from(&p);
    assert_eq!(Policy::try_from(&v).as_ref(), Ok(&p));
    assert_eq!(p.to_string().parse::<Policy>().as_ref(), Ok(&p));
    assert_eq!(
        csp_builder::CONTENT_SECURITY_POLICY,
        http::header::CONTENT_SECURITY_POLICY
    );
}

/// Hosts of the given lengths (at most `MAX_VALUE_LEN` each) that make `img-src <hosts>`
/// exactly `len` bytes long.
fn img_src_hosts_of_total_len(len: usize) -> Vec<Source> {
    let mut rest = len - "img-src".len();
    let mut hosts = Vec::new();
    while rest > 0 {
        // Each host costs its length plus the separating space; never leave less than two
        // bytes (a space and a one-letter host) for the last one.
        let mut take = rest.min(csp_builder::MAX_VALUE_LEN + 1);
        if rest - take == 1 {
            take -= 1;
        }
        hosts.push(Source::host(&"a".repeat(take - 1)).expect("a valid host"));
        rest -= take;
    }
    hosts
}

/// The builder refuses a policy "longer than `MAX_INPUT_LEN`" (`BuildError::TooLong`), the
/// limit up to which the parser reads one: a policy of exactly that length is built (and
/// parses back), one byte more is refused with its true length.
#[test]
fn built_policy_of_exactly_max_input_len_is_accepted() {
    let max = csp_builder::MAX_INPUT_LEN;
    let built = Policy::builder()
        .img_src(img_src_hosts_of_total_len(max))
        .build();
    // Compared by length: the policy is too long to print.
    assert_eq!(built.as_ref().map(|p| p.as_str().len()), Ok(max));
    let Ok(policy) = built else { return };
    assert_eq!(Policy::parse(policy.as_str()).value.as_ref(), Some(&policy));
    assert_eq!(
        Policy::builder()
            .img_src(img_src_hosts_of_total_len(max + 1))
            .build()
            .map(|p| p.as_str().len()),
        Err(BuildError::TooLong { len: max + 1, max })
    );
}

/// `MAX_VALUES_PER_POLICY` is what the parser keeps per policy, so the builder counts values
/// across directives: exactly the limit builds, one more is `TooManyValues` naming the
/// directive that exceeds it (not the parse-back safety net `NotRoundTrippable`).
#[test]
fn values_across_directives_over_max_values_per_policy_are_too_many_values() {
    let max = csp_builder::MAX_VALUES_PER_POLICY;
    let hosts = |n: usize| vec![Source::host("a").expect("a valid host"); n];
    // Compared by value counts: the policies are too long to print.
    let value_count = |p: Policy| p.directives().map(|d| d.len()).sum::<usize>();
    let at_limit = Policy::builder()
        .img_src(hosts(max - 1))
        .script_src([Source::SELF])
        .upgrade_insecure_requests()
        .build();
    assert_eq!(at_limit.map(value_count), Ok(max));
    assert_eq!(
        Policy::builder()
            .img_src(hosts(max - 1))
            .script_src([Source::SELF, Source::UNSAFE_EVAL])
            .upgrade_insecure_requests()
            .build()
            .map(value_count),
        Err(BuildError::TooManyValues {
            directive: "script-src".into(),
            max
        })
    );
    // Within one directive: the limit itself, and one more.
    assert_eq!(
        Policy::builder()
            .img_src(hosts(max))
            .build()
            .map(value_count),
        Ok(max)
    );
    assert_eq!(
        Policy::builder()
            .img_src(hosts(max + 1))
            .build()
            .map(value_count),
        Err(BuildError::TooManyValues {
            directive: "img-src".into(),
            max
        })
    );
}

/// `Source::host`: "ports are digits up to 65535 or `*`" (1 to 5 digits).
#[test]
fn host_port_is_one_to_five_digits_up_to_65535_or_a_wildcard() {
    for ok in ["a:0", "a:65535", "a:00080", "a:*", "https://a:443/x"] {
        assert_eq!(Source::host(ok).map(|s| s.to_string()).as_deref(), Ok(ok));
    }
    for bad in [
        "a:65536",
        "a:000080",
        "a:",
        "a:1*",
        "a:*1",
        "a:-1",
        "https://a:/x",
    ] {
        assert!(
            matches!(Source::host(bad), Err(BuildError::InvalidPort { .. })),
            "{bad:?}"
        );
    }
}

/// `MAX_VALUE_LEN` is "the longest value (source expression or directive value) the builder
/// accepts": the limit applies to the source expression a constructor returns, so a scheme
/// source (`name:`) of exactly the limit is accepted and usable, one byte more is refused.
#[test]
fn scheme_source_of_max_value_len_is_accepted_and_one_more_is_too_long() {
    let max = csp_builder::MAX_VALUE_LEN;
    let name = "a".repeat(max - 1);
    for written in [name.clone(), format!("{name}:")] {
        let source = Source::scheme(&written);
        assert_eq!(source.as_ref().map(|s| s.as_str().len()), Ok(max));
        let built = source.and_then(|s| Policy::builder().img_src([s]).build());
        assert_eq!(built.map(|p| p.as_str().len()), Ok("img-src ".len() + max));
    }
    let over = format!("{name}a");
    for written in [over.clone(), format!("{over}:")] {
        assert_eq!(
            Source::scheme(&written).map(|s| s.as_str().len()),
            Err(BuildError::TooLong { len: max + 1, max })
        );
    }
}
