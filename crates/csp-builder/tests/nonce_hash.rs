//! Nonces (128 bits, base64, unique), hash sources against known digests, and compiled
//! policies that splice a nonce per response.

use std::collections::HashSet;

use csp_builder::{DirectiveName, Disposition, HashAlgorithm, Nonce, Policy, Source, SourceKind};

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
    // A user-supplied digest is accepted in base64url form as well.
    assert!(
        Source::hash(
            HashAlgorithm::Sha256,
            "qznLcsROx4GACP2dm0UCKCzCG-HiZ1guq6ZZDob_Tng"
        )
        .is_ok()
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
