//! Per-response nonces and content hashes.

use std::fmt;

use base64::Engine as _;
use sha2::Digest as _;

use crate::model::HashAlgorithm;

/// Length of an encoded [`Nonce`]: 16 bytes in padded standard base64.
///
/// Every nonce has this length, so a compiled policy knows the size of each rendered value:
///
/// ```
/// use csp_builder::{NONCE_LEN, Nonce, Policy, Source};
///
/// let nonce = Nonce::generate();
/// assert_eq!(nonce.as_str().len(), NONCE_LEN);
/// let compiled = Policy::builder().script_src([Source::NONCE_PLACEHOLDER]).build()?.compile();
/// assert_eq!(compiled.rendered_len(), "script-src 'nonce-'".len() + NONCE_LEN);
/// assert_eq!(compiled.render(&nonce).len(), compiled.rendered_len());
/// # Ok::<(), csp_builder::BuildError>(())
/// ```
pub const NONCE_LEN: usize = 24;

/// RFC 4648 §4, Table 1: the base64 alphabet.
const BASE64_ALPHABET: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// A 128-bit nonce, base64-encoded (24 characters), stored inline (no allocation, `Copy`).
///
/// CSP3 §7.1: a nonce must be unguessable and fresh for every response. [`Nonce::generate`]
/// draws 16 bytes from the operating system's CSPRNG; [`Nonce::from_random_bytes`] accepts
/// bytes from another cryptographically secure generator (for example a per-thread ChaCha
/// seeded from the OS).
///
/// ```
/// use csp_builder::Nonce;
/// let nonce = Nonce::generate();
/// assert_eq!(nonce.as_str().len(), 24);
/// assert_ne!(nonce, Nonce::generate());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Nonce {
    encoded: [u8; NONCE_LEN],
}

impl Nonce {
    /// A fresh nonce from the operating system's CSPRNG.
    ///
    /// # Panics
    /// When the operating system's random number generator is unavailable (it never is on
    /// supported platforms); a response must not go out with a predictable nonce. Use
    /// [`Nonce::try_generate`] to handle that case yourself.
    ///
    /// ```
    /// let n = csp_builder::Nonce::generate();
    /// assert!(n.as_str().ends_with("=="));
    /// ```
    #[must_use]
    #[allow(clippy::panic)]
    pub fn generate() -> Nonce {
        match Nonce::try_generate() {
            Ok(n) => n,
            Err(e) => panic!("the operating system random number generator failed: {e}"),
        }
    }

    /// A fresh nonce from the operating system's CSPRNG, or its error.
    ///
    /// ```
    /// let n = csp_builder::Nonce::try_generate()?;
    /// assert_eq!(n.as_str().len(), 24);
    /// # Ok::<(), getrandom::Error>(())
    /// ```
    pub fn try_generate() -> Result<Nonce, getrandom::Error> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes)?;
        Ok(Nonce::from_random_bytes(bytes))
    }

    /// A nonce from 16 bytes that a cryptographically secure generator produced.
    ///
    /// ```
    /// use csp_builder::Nonce;
    /// assert_eq!(Nonce::from_random_bytes([0xff; 16]).as_str(), "/////////////////////w==");
    /// ```
    #[must_use]
    pub fn from_random_bytes(bytes: [u8; 16]) -> Nonce {
        // RFC 4648 §4 (base64, padded), unrolled for exactly 16 bytes: five 3-byte groups
        // make 20 characters, the last byte 2 more plus "==". This runs once per response,
        // where the general encoder's length and tail handling cost more than the encoding.
        let mut encoded = [b'='; NONCE_LEN];
        let sextet = |v: u32| BASE64_ALPHABET[(v & 63) as usize];
        for (group, out) in bytes.chunks_exact(3).zip(encoded.chunks_exact_mut(4)) {
            if let ([a, b, c], [w, x, y, z]) = (group, out) {
                let v = (u32::from(*a) << 16) | (u32::from(*b) << 8) | u32::from(*c);
                *w = sextet(v >> 18);
                *x = sextet(v >> 12);
                *y = sextet(v >> 6);
                *z = sextet(v);
            }
        }
        let last = u32::from(bytes[15]);
        encoded[20] = sextet(last >> 2);
        encoded[21] = sextet(last << 4);
        Nonce { encoded }
    }

    /// The base64 text as bytes (the same as `as_str().as_bytes()`, without the UTF-8 check).
    ///
    /// ```
    /// use csp_builder::Nonce;
    /// assert_eq!(Nonce::from_random_bytes([0; 16]).as_bytes(), b"AAAAAAAAAAAAAAAAAAAAAA==");
    /// ```
    #[must_use]
    pub fn as_bytes(&self) -> &[u8; NONCE_LEN] {
        &self.encoded
    }

    /// The base64 text, as it goes into `'nonce-…'` and the element's `nonce` attribute.
    ///
    /// ```
    /// use csp_builder::Nonce;
    /// assert_eq!(Nonce::from_random_bytes([0; 16]).as_str(), "AAAAAAAAAAAAAAAAAAAAAA==");
    /// ```
    #[must_use]
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.encoded).unwrap_or_default()
    }
}

impl fmt::Display for Nonce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Nonce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Nonce").field(&self.as_str()).finish()
    }
}

impl HashAlgorithm {
    /// The base64 digest of `content`, as it goes into a hash source (CSP3 §8.4: for inline
    /// `<script>`/`<style>` the content is the UTF-8 encoding of the element's text).
    ///
    /// ```
    /// use csp_builder::HashAlgorithm;
    /// assert_eq!(
    ///     HashAlgorithm::Sha256.digest_base64(b"alert('Hello, world.');"),
    ///     "qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng="
    /// );
    /// ```
    #[must_use]
    pub fn digest_base64(self, content: &[u8]) -> String {
        let engine = &base64::engine::general_purpose::STANDARD;
        match self {
            HashAlgorithm::Sha256 => engine.encode(sha2::Sha256::digest(content)),
            HashAlgorithm::Sha384 => engine.encode(sha2::Sha384::digest(content)),
            HashAlgorithm::Sha512 => engine.encode(sha2::Sha512::digest(content)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn nonce_encoding_is_rfc4648_base64_with_padding(bytes in any::<[u8; 16]>()) {
            let expected = base64::engine::general_purpose::STANDARD.encode(bytes);
            let nonce = Nonce::from_random_bytes(bytes);
            prop_assert_eq!(nonce.as_str(), expected.as_str());
        }
    }
}
