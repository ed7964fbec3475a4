//! Nonces (128 bits, base64, unique), hash sources against known digests, and compiled
//! policies that splice a nonce per response.

use std::collections::HashSet;

use csp_builder::{
    BuildError, DirectiveName, Disposition, HashAlgorithm, Nonce, Policy, Source, SourceKind,
};

#[test]
fn nonce_is_128_bits_of_base64() {
    use base64::Engine as _;
    let n = Nonce::generate();
    assert_eq!(n.as_str().len(), 24);
    assert!(
        n.as_str()
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=')
    );
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(n.as_str())
        .expect("base64");
    assert_eq!(decoded.len(), 16);
}

#[test]
fn one_hundred_thousand_nonces_are_unique() {
    let mut seen = HashSet::with_capacity(100_000);
    for _ in 0..100_000 {
        assert!(seen.insert(Nonce::generate()), "repeated nonce");
    }
}

#[test]
fn nonce_from_random_bytes_encodes_them() {
    let n = Nonce::from_random_bytes(*b"0123456789abcdef");
    assert_eq!(n.as_str(), "MDEyMzQ1Njc4OWFiY2RlZg==");
    assert_eq!(
        Source::nonce(&n).as_str(),
        "'nonce-MDEyMzQ1Njc4OWFiY2RlZg=='"
    );
    assert_eq!(
        SourceKind::classify(Source::nonce(&n).as_str()),
        SourceKind::Nonce
    );
}

#[test]
fn hashes_match_known_digests() {
    // CSP3 §8.4 example; also `printf %s "alert('Hello, world.');" | openssl dgst -sha256 -binary | base64`.
    let s = Source::hash_of(HashAlgorithm::Sha256, "alert('Hello, world.');");
    assert_eq!(
        s.as_str(),
        "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"
    );
    // Digests of the empty string (FIPS 180-4 test values, base64).
    assert_eq!(
        HashAlgorithm::Sha256.digest_base64(b""),
        "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
    );
    assert_eq!(
        HashAlgorithm::Sha384.digest_base64(b""),
        "OLBgp1GsljhM2TJ+sbHjaiH9txEUvgdDTAzHv2P24donTt6/529l+9Ua0vFImLlb"
    );
    assert_eq!(
        HashAlgorithm::Sha512.digest_base64(b""),
        "z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg=="
    );
    // A user-supplied digest is accepted in base64url form as well (and its padding added).
    assert_eq!(
        Source::hash(
            HashAlgorithm::Sha256,
            "qznLcsROx4GACP2dm0UCKCzCG-HiZ1guq6ZZDob_Tng"
        )
        .map(|s| s.as_str().to_owned()),
        Ok("'sha256-qznLcsROx4GACP2dm0UCKCzCG-HiZ1guq6ZZDob_Tng='".to_owned())
    );
}

#[test]
fn compiled_render_places_the_nonce_and_parses_back() {
    let policy = Policy::builder()
        .default_src([Source::SELF])
        .script_src([Source::NONCE_PLACEHOLDER, Source::STRICT_DYNAMIC])
        .style_src([Source::SELF, Source::NONCE_PLACEHOLDER])
        .build()
        .expect("policy");
    let compiled = policy.compile();
    assert_eq!(compiled.nonce_count(), 2);
    for _ in 0..100 {
        let nonce = Nonce::generate();
        let value = compiled.render(&nonce);
        let parsed = Policy::try_from(&value).expect("parses");
        for name in [DirectiveName::ScriptSrc, DirectiveName::StyleSrc] {
            let nonces: Vec<_> = parsed
                .directive(name)
                .expect("directive")
                .sources()
                .filter_map(|s| s.nonce())
                .collect();
            assert_eq!(nonces, [nonce.as_str()], "{name}");
        }
        assert_eq!(value.len(), compiled.render_string(&nonce).len());
    }
    let ro = policy.with_disposition(Disposition::Report).compile();
    assert_eq!(
        ro.header_name(),
        csp_builder::CONTENT_SECURITY_POLICY_REPORT_ONLY
    );
}

#[test]
fn compiled_policy_without_nonce_renders_the_policy() {
    let policy = Policy::builder()
        .img_src([Source::SELF])
        .build()
        .expect("policy");
    assert_eq!(policy.compile().render(&Nonce::generate()), policy.as_str());
}

/// `MIN_NONCE_LEN` is "22 base64 characters, i.e. 128 bits": `=` padding carries no bits, so
/// it does not count towards the minimum.
#[test]
fn nonce_value_minimum_counts_base64_characters_not_padding() {
    let min = csp_builder::MIN_NONCE_LEN;
    for ok in [
        "A".repeat(min),
        format!("{}=", "A".repeat(min)),
        format!("{}==", "A".repeat(min)),
    ] {
        assert!(Source::nonce_value(&ok).is_ok(), "{ok:?}");
    }
    for short in [
        "A".repeat(min - 1),
        format!("{}=", "A".repeat(min - 1)),
        format!("{}==", "A".repeat(min - 2)),
    ] {
        assert!(
            matches!(
                Source::nonce_value(&short),
                Err(BuildError::InvalidNonce { .. })
            ),
            "{short:?}"
        );
    }
}

/// The longest nonce value is the one whose source expression `'nonce-…'` is exactly
/// `MAX_VALUE_LEN` bytes ("the longest value (source expression or directive value) the
/// builder accepts"): it is accepted and builds into a policy; one more character is refused
/// by `Source::nonce_value` itself.
#[test]
fn nonce_value_longest_source_expression_is_max_value_len() {
    let max = csp_builder::MAX_VALUE_LEN;
    let longest = "A".repeat(max - "'nonce-'".len());
    // Compared by length: the values are too long to print.
    let source = Source::nonce_value(&longest);
    assert_eq!(source.as_ref().map(|s| s.as_str().len()), Ok(max));
    let built = source.and_then(|s| Policy::builder().script_src([s]).build());
    assert_eq!(
        built.map(|p| p.as_str().len()),
        Ok("script-src ".len() + max)
    );
    assert!(matches!(
        Source::nonce_value(&format!("{longest}A")),
        Err(BuildError::InvalidNonce { .. })
    ));
}

/// CSP3 "Does element match source list for type and source?" compares the base64 encoding of
/// the digest with the expression's value (after mapping base64url to base64) as strings, so
/// `=` padding that is present must be exactly the encoding's, and a value without it gets it
/// (Chromium and WebKit, which decode the value, would match either form; a browser that
/// follows the spec text only the padded one). The decoded digest must be exactly the
/// algorithm's length.
#[test]
fn hash_padding_is_complete_or_absent_and_digest_length_is_exact() {
    for algorithm in [
        HashAlgorithm::Sha256,
        HashAlgorithm::Sha384,
        HashAlgorithm::Sha512,
    ] {
        let padded = algorithm.digest_base64(b"x");
        let bare = padded.trim_end_matches('=');
        let padding = padded.len() - bare.len();
        for n in 0..=2 {
            let value = format!("{bare}{}", "=".repeat(n));
            let result = Source::hash(algorithm, &value);
            if n == 0 || n == padding {
                let source = result.unwrap_or_else(|e| panic!("{algorithm:?} {value:?}: {e}"));
                assert_eq!(
                    source.as_str(),
                    format!("'{}-{padded}'", algorithm.as_str()),
                    "{value:?}"
                );
            } else {
                assert!(
                    matches!(result, Err(BuildError::InvalidHash { .. })),
                    "{algorithm:?} {value:?}"
                );
            }
        }
    }
    use base64::Engine as _;
    let engine = base64::engine::general_purpose::STANDARD;
    assert!(Source::hash(HashAlgorithm::Sha256, &engine.encode([7u8; 32])).is_ok());
    for len in [31, 33, 48] {
        assert!(
            matches!(
                Source::hash(HashAlgorithm::Sha256, &engine.encode(vec![7u8; len])),
                Err(BuildError::InvalidHash { .. })
            ),
            "{len}"
        );
    }
}
