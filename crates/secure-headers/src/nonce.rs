//! Per-response CSP nonces from a thread-local CSPRNG.
//!
//! Every response that carries a nonce-based Content-Security-Policy needs 128 fresh,
//! unpredictable bits (CSP3 §7.1: "the server MUST generate a unique value each time it
//! transmits a policy", "at least 128 bits"). Asking the operating system for them on every
//! response costs a system call each time; instead every thread keeps a ChaCha12 generator
//! (`rand_chacha`) seeded with 256 bits from the operating system (`getrandom`), and draws 16
//! bytes per nonce from it. ChaCha12 is a cryptographically secure generator: its output cannot
//! be predicted from earlier outputs without the seed.
//!
//! Reseeding and `fork`:
//! - the generator is reseeded from the operating system after every [`RESEED_INTERVAL`] nonces,
//!   which bounds how much output one seed ever produces;
//! - a `fork(2)`ed child inherits the forking thread's generator state and would repeat the
//!   parent's next nonces. Servers built on this crate normally fork (if at all) before any nonce
//!   is drawn; a program that forks after serving must call [`reseed_thread_generator`] in the
//!   child (the other threads do not exist in the child, so only the forking thread's generator
//!   is affected). Checking the process id per nonce would cost a system call per response,
//!   which is what this module exists to avoid.
//!
//! If the operating system cannot provide a seed, no nonce is produced ([`CspNonce::try_generate`]
//! returns the error) and the bundle sends its policy without nonce sources, which blocks
//! inline scripts (it fails closed).
//!
//! ```
//! use std::collections::HashSet;
//! use secure_headers::CspNonce;
//!
//! let nonces: HashSet<String> = (0..1000)
//!     .map(|_| CspNonce::try_generate().map(|n| n.as_str().to_owned()))
//!     .collect::<Result<_, _>>()?;
//! assert_eq!(nonces.len(), 1000);
//! // 128 bits in base64: 24 characters, padding included.
//! assert!(nonces.iter().all(|n| n.len() == 24));
//! # Ok::<(), secure_headers::nonce::NonceError>(())
//! ```

use std::cell::RefCell;
use std::fmt;

use rand_chacha::ChaCha12Rng;
use rand_core::{Rng as _, SeedableRng as _};

/// Nonces drawn from one seed before the thread's generator is reseeded from the OS.
///
/// ```
/// use std::collections::HashSet;
/// use secure_headers::{nonce::RESEED_INTERVAL, CspNonce};
/// // Drawing past a reseed on this thread: every nonce is still fresh.
/// let mut seen = HashSet::new();
/// for _ in 0..=RESEED_INTERVAL {
///     assert!(seen.insert(CspNonce::try_generate()?.as_str().to_owned()));
/// }
/// # Ok::<(), secure_headers::nonce::NonceError>(())
/// ```
pub const RESEED_INTERVAL: u32 = 1 << 16;

struct ThreadGenerator {
    rng: ChaCha12Rng,
    remaining: u32,
}

impl ThreadGenerator {
    fn seeded() -> Result<Self, NonceError> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(NonceError::Seed)?;
        Ok(Self {
            rng: ChaCha12Rng::from_seed(seed),
            remaining: RESEED_INTERVAL,
        })
    }
}

thread_local! {
    static GENERATOR: RefCell<Option<ThreadGenerator>> = const { RefCell::new(None) };
}

/// Fills `out` with bytes from this thread's generator, seeding or reseeding it when due.
fn fill_from_thread_generator(out: &mut [u8; 16]) -> Result<(), NonceError> {
    GENERATOR.with(|cell| {
        let mut slot = cell.borrow_mut();
        let generator = match slot.as_mut() {
            Some(g) if g.remaining > 0 => g,
            _ => slot.insert(ThreadGenerator::seeded()?),
        };
        generator.remaining -= 1;
        generator.rng.fill_bytes(out);
        Ok(())
    })
}

/// Throws away this thread's nonce generator state and seeds a new one from the OS.
///
/// Call it in a child process after `fork(2)` if the parent had already drawn nonces on the
/// forking thread (see the module documentation).
///
/// # Errors
/// [`NonceError::Seed`] when the operating system cannot provide random bytes.
///
/// ```
/// secure_headers::nonce::reseed_thread_generator()?;
/// # Ok::<(), secure_headers::nonce::NonceError>(())
/// ```
pub fn reseed_thread_generator() -> Result<(), NonceError> {
    let fresh = ThreadGenerator::seeded()?;
    GENERATOR.with(|cell| *cell.borrow_mut() = Some(fresh));
    Ok(())
}

/// Why no nonce could be produced.
///
/// ```
/// use secure_headers::nonce::NonceError;
/// let err = NonceError::Seed(getrandom::Error::UNSUPPORTED);
/// assert!(err.to_string().starts_with("the operating system random source failed"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NonceError {
    /// The operating system's random source failed while seeding the generator.
    #[error("the operating system random source failed while seeding the nonce generator: {0}")]
    Seed(getrandom::Error),
}

/// One CSP nonce: 128 random bits, base64-encoded (24 characters), cheap to copy.
///
/// The same value goes into the `'nonce-…'` source of the response's policy and into the
/// `nonce` attribute of the page's `<script>`/`<style>` elements. Handlers receive it through
/// the request extensions (with the `tower` feature) or from [`SecureHeaders::apply`].
///
/// [`SecureHeaders::apply`]: crate::SecureHeaders::apply
///
/// ```
/// use secure_headers::CspNonce;
/// let a = CspNonce::generate();
/// let b = CspNonce::generate();
/// assert_ne!(a, b);
/// assert_eq!(a.as_str().len(), 24);
/// let html = format!("<script nonce=\"{a}\">run()</script>");
/// assert!(html.contains(a.as_str()));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CspNonce {
    nonce: csp_builder::Nonce,
}

impl CspNonce {
    /// Draws a fresh nonce from this thread's generator.
    ///
    /// # Errors
    /// [`NonceError::Seed`] when the generator needed a seed and the OS could not provide one.
    ///
    /// ```
    /// let nonce = secure_headers::CspNonce::try_generate()?;
    /// assert_eq!(nonce.as_bytes().len(), 24);
    /// # Ok::<(), secure_headers::nonce::NonceError>(())
    /// ```
    pub fn try_generate() -> Result<Self, NonceError> {
        let mut raw = [0u8; 16];
        fill_from_thread_generator(&mut raw)?;
        Ok(Self::from_random_bytes(raw))
    }

    /// Draws a fresh nonce; `None` only when the OS random source failed (see
    /// [`try_generate`](Self::try_generate)).
    ///
    /// ```
    /// assert!(secure_headers::CspNonce::generate_opt().is_some());
    /// ```
    #[must_use]
    pub fn generate_opt() -> Option<Self> {
        Self::try_generate().ok()
    }

    /// Draws a fresh nonce.
    ///
    /// If the operating system's random source fails while (re)seeding, this falls back to
    /// drawing the 16 bytes directly from the OS; should that fail too, it aborts the process
    /// rather than return a predictable nonce. Use [`try_generate`](Self::try_generate) to
    /// handle the error instead.
    ///
    /// ```
    /// let nonce = secure_headers::CspNonce::generate();
    /// assert!(nonce.as_str().ends_with("=="));
    /// ```
    #[must_use]
    pub fn generate() -> Self {
        match Self::try_generate() {
            Ok(n) => n,
            Err(_) => {
                let mut raw = [0u8; 16];
                if getrandom::fill(&mut raw).is_err() {
                    std::process::abort();
                }
                Self::from_random_bytes(raw)
            }
        }
    }

    /// Builds a nonce from 16 bytes the caller drew from a cryptographically secure source.
    ///
    /// ```
    /// let nonce = secure_headers::CspNonce::from_random_bytes([0; 16]);
    /// assert_eq!(nonce.as_str(), "AAAAAAAAAAAAAAAAAAAAAA==");
    /// ```
    #[must_use]
    pub fn from_random_bytes(raw: [u8; 16]) -> Self {
        Self {
            nonce: csp_builder::Nonce::from_random_bytes(raw),
        }
    }

    /// The same nonce as a `csp-builder` [`Nonce`](csp_builder::Nonce), for rendering a
    /// [`CompiledPolicy`](csp_builder::CompiledPolicy).
    ///
    /// ```
    /// let nonce = secure_headers::CspNonce::from_random_bytes([0; 16]);
    /// assert_eq!(nonce.as_csp_nonce().as_str(), nonce.as_str());
    /// ```
    #[must_use]
    pub fn as_csp_nonce(&self) -> &csp_builder::Nonce {
        &self.nonce
    }

    /// The base64 text of the nonce (what goes after `'nonce-` and into `nonce="…"`).
    ///
    /// ```
    /// let nonce = secure_headers::CspNonce::from_random_bytes([255; 16]);
    /// assert_eq!(nonce.as_str(), "/////////////////////w==");
    /// ```
    #[must_use]
    pub fn as_str(&self) -> &str {
        self.nonce.as_str()
    }

    /// The base64 text as bytes.
    ///
    /// ```
    /// let nonce = secure_headers::CspNonce::generate();
    /// assert!(nonce.as_bytes().iter().all(u8::is_ascii_graphic));
    /// ```
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        self.nonce.as_bytes()
    }
}

impl From<csp_builder::Nonce> for CspNonce {
    fn from(nonce: csp_builder::Nonce) -> Self {
        Self { nonce }
    }
}

impl From<CspNonce> for csp_builder::Nonce {
    fn from(nonce: CspNonce) -> Self {
        nonce.nonce
    }
}

impl fmt::Display for CspNonce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for CspNonce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("CspNonce").field(&self.as_str()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use std::collections::HashSet;

    #[test]
    fn nonces_do_not_repeat_across_a_reseed() {
        let n = (RESEED_INTERVAL as usize) + 1000;
        let mut seen = HashSet::with_capacity(n);
        for _ in 0..n {
            assert!(seen.insert(CspNonce::generate()));
        }
    }

    #[test]
    fn reseed_changes_the_stream() {
        reseed_thread_generator().unwrap();
        let a = CspNonce::generate();
        reseed_thread_generator().unwrap();
        let b = CspNonce::generate();
        assert_ne!(a, b);
    }

    #[test]
    fn nonce_is_base64_of_sixteen_bytes() {
        let n = CspNonce::generate();
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(n.as_str())
            .unwrap();
        assert_eq!(decoded.len(), 16);
    }

    #[test]
    fn threads_draw_different_nonces() {
        let here = CspNonce::generate();
        let there = std::thread::spawn(CspNonce::generate).join().unwrap();
        assert_ne!(here, there);
    }
}
