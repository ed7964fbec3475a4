//! Property tests: built policies round-trip exactly; arbitrary input to every builder entry
//! point is either a typed error or a header that parses back to what was built; the parser
//! never panics and its output is a fixed point of serialize → parse.

use csp_builder::{
    Directive, DirectiveName, Disposition, HashAlgorithm, Keyword, Nonce, Policy, PolicyList,
    SandboxFlag, Source,
};
use proptest::prelude::*;

fn keyword() -> impl Strategy<Value = Source> {
    proptest::sample::select(Keyword::ALL).prop_map(Source::keyword)
}

fn host_source() -> impl Strategy<Value = Source> {
    (
        proptest::option::of("[a-zA-Z][a-zA-Z0-9+.-]{0,8}"),
        prop_oneof![
            Just("*".to_owned()),
            "(\\*\\.)?[a-zA-Z0-9-]{1,10}(\\.[a-zA-Z0-9-]{1,10}){0,3}\\.?"
        ],
        proptest::option::of(prop_oneof![
            Just("*".to_owned()),
            (0u32..=65535).prop_map(|p| p.to_string())
        ]),
        proptest::option::of("(/[a-zA-Z0-9._~!$&'()*+=:@%-]{0,8}){1,3}"),
    )
        .prop_filter_map("valid host source", |(scheme, host, port, path)| {
            let mut s = String::new();
            if let Some(sc) = scheme {
                s.push_str(&sc);
                s.push_str("://");
            }
            s.push_str(&host);
            if let Some(p) = port {
                s.push(':');
                s.push_str(&p);
            }
            if let Some(p) = path {
                s.push_str(&p);
            }
            Source::host(&s).ok()
        })
}

fn source() -> impl Strategy<Value = Source> {
    prop_oneof![
        keyword(),
        host_source(),
        "[a-zA-Z][a-zA-Z0-9+.-]{0,10}".prop_filter_map("scheme", |s| Source::scheme(&s).ok()),
        any::<[u8; 16]>().prop_map(|b| Source::nonce(&Nonce::from_random_bytes(b))),
        (
            proptest::sample::select(vec![
                HashAlgorithm::Sha256,
                HashAlgorithm::Sha384,
                HashAlgorithm::Sha512
            ]),
            ".{0,20}"
        )
            .prop_map(|(a, t)| Source::hash_of(a, t)),
    ]
}

fn directive() -> impl Strategy<Value = Directive> {
    prop_oneof![
        (
            proptest::sample::select(
                DirectiveName::ALL
                    .iter()
                    .copied()
                    .filter(|d| d.takes_source_list())
                    .collect::<Vec<_>>()
            ),
            proptest::collection::vec(source(), 0..6)
        )
            .prop_filter_map("valid source list", |(name, sources)| Directive::new(
                name, sources
            )
            .ok()),
        (proptest::sample::select(
            DirectiveName::ALL
                .iter()
                .copied()
                .filter(|d| d.takes_source_list())
                .collect::<Vec<_>>()
        ))
        .prop_filter_map("none", |name| Directive::new(name, [Source::NONE]).ok()),
        proptest::collection::vec(proptest::sample::select(SandboxFlag::ALL), 0..4)
            .prop_filter_map("sandbox", |f| Directive::new(
                DirectiveName::Sandbox,
                f.into_iter().map(Source::from)
            )
            .ok()),
        "[a-z0-9-]{1,12}"
            .prop_filter_map("report-to", |t| Directive::unknown("report-to", [t]).ok()),
        proptest::collection::vec("[!-+--:<-~]{1,12}", 1..3)
            .prop_filter_map("report-uri", |u| Directive::unknown("report-uri", u).ok()),
        (
            "x-[a-z0-9-]{1,10}",
            proptest::collection::vec("[!-+--:<-~]{1,8}", 0..3)
        )
            .prop_filter_map("unknown", |(n, v)| Directive::unknown(&n, v).ok()),
    ]
}

fn policy() -> impl Strategy<Value = Policy> {
    (proptest::collection::vec(directive(), 1..8), any::<bool>()).prop_filter_map(
        "distinct names",
        |(ds, ro)| {
            let mut b = Policy::builder();
            let mut names = std::collections::HashSet::new();
            for d in ds {
                if names.insert(d.name().to_owned()) {
                    b = b.directive(d);
                }
            }
            if ro {
                b = b.report_only();
            }
            b.build().ok()
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn built_policies_round_trip_exactly(p in policy()) {
        let text = p.to_string();
        let parsed = Policy::parse_with(text.as_bytes(), csp_builder::PolicySource::Header, p.disposition());
        prop_assert!(parsed.diagnostics.iter().all(|d| !d.kind().is_error()), "{:?}", parsed.diagnostics);
        prop_assert_eq!(parsed.value.as_ref(), Some(&p));
        let header = http::HeaderValue::from(&p);
        let back = Policy::try_from(&header).map(|q| q.with_disposition(p.disposition()));
        prop_assert_eq!(back.as_ref(), Ok(&p));
        let list = PolicyList::new(vec![p.clone(), p.clone()]);
        prop_assert_eq!(PolicyList::parse_with_disposition(&list.to_string(), p.disposition()).value, list);
        // Rebuilding from the parsed model gives the same policy.
        let rebuilt = p.to_builder().build();
        prop_assert_eq!(rebuilt.as_ref(), Ok(&p));
    }

    #[test]
    fn arbitrary_strings_to_builder_entry_points_are_errors_or_round_trip(
        s in prop_oneof!["[ -~\t\r\n\u{0}\u{7f}\u{a0}é;,']{0,40}", ".{0,40}"],
        entry in 0usize..11,
    ) {
        let built = match entry {
            0 => Source::host(&s).and_then(|x| Policy::builder().img_src([x]).build()),
            1 => Source::scheme(&s).and_then(|x| Policy::builder().img_src([x]).build()),
            2 => Source::nonce_value(&s).and_then(|x| Policy::builder().script_src([x]).build()),
            3 => Source::hash(HashAlgorithm::Sha256, &s).and_then(|x| Policy::builder().script_src([x]).build()),
            4 => s.parse::<Source>().and_then(|x| Policy::builder().script_src([x]).build()),
            5 => Policy::builder().frame_ancestors(s.parse::<Source>().ok()).build(),
            6 => Policy::builder().unknown(&s, ["v"]).build(),
            7 => Policy::builder().unknown("x-v", [s.as_str()]).build(),
            8 => Policy::builder().report_uri([s.as_str()]).build(),
            9 => Policy::builder().report_to(&s).build(),
            _ => Policy::builder().trusted_types([s.as_str()]).build(),
        };
        if let Ok(p) = built {
            let header = http::HeaderValue::from(&p);
            prop_assert!(header.as_bytes().iter().all(|&b| (0x20..0x7f).contains(&b)));
            prop_assert_eq!(header.as_bytes().iter().filter(|&&b| b == b',').count(), 0);
            let parsed = Policy::parse_bytes(header.as_bytes());
            prop_assert!(parsed.diagnostics.iter().all(|d| !d.kind().is_error()), "{:?}", parsed.diagnostics);
            prop_assert_eq!(parsed.value, Some(p));
        }
    }

    #[test]
    fn parser_never_panics_and_reaches_a_fixed_point(s in prop_oneof!["[ -~\t\r\n\u{b}\u{c}\u{0}\u{7f}\u{a0};,']{0,120}", ".{0,120}"]) {
        let parsed = PolicyList::parse(&s);
        let once = parsed.value.to_string();
        let again = PolicyList::parse(&once);
        prop_assert_eq!(&again.value, &parsed.value);
        prop_assert_eq!(again.value.to_string(), once);
        let meta = Policy::parse_meta(&s);
        if let Some(m) = meta.value {
            prop_assert_eq!(Policy::parse_meta(m.as_str()).value, Some(m));
        }
    }

    #[test]
    fn parser_never_panics_on_bytes(b in proptest::collection::vec(any::<u8>(), 0..200)) {
        let parsed = PolicyList::parse_bytes(&b, Disposition::Report);
        for d in &parsed.diagnostics {
            prop_assert!(d.span().end <= b.len());
        }
        let again = PolicyList::parse_with_disposition(&parsed.value.to_string(), Disposition::Report);
        prop_assert_eq!(again.value, parsed.value);
    }
}
