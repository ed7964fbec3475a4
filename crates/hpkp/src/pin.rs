//! Pins: SHA-256 fingerprints of a SubjectPublicKeyInfo (RFC 7469 §2.4).

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

/// A `pin-sha256` value: the SHA-256 digest of a DER-encoded SubjectPublicKeyInfo
/// (RFC 7469 §2.4), shown as standard base64 with padding.
///
/// ```
/// use hpkp::Pin;
/// let pin: Pin = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=".parse()?;
/// assert_eq!(pin.digest(), &[1u8; 32]);
/// assert_eq!(pin.to_string(), "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=");
/// # Ok::<(), hpkp::PinError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pin {
    sha256: [u8; 32],
}

/// Why a pin value is not a base64-encoded SHA-256 digest.
///
/// ```
/// use hpkp::{Pin, PinError};
///
/// assert_eq!(Pin::from_base64("not base64!"), Err(PinError::InvalidBase64));
/// assert_eq!(Pin::from_base64("AQID"), Err(PinError::WrongLength { bytes: 3 }));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PinError {
    /// Not standard base64 with padding (RFC 4648 §4).
    #[error("pin is not valid base64")]
    InvalidBase64,
    /// Decodes to the wrong number of bytes (a SHA-256 digest has 32).
    #[error("pin decodes to {bytes} bytes; a SHA-256 digest has 32")]
    WrongLength {
        /// How many bytes it decoded to.
        bytes: usize,
    },
}

/// Why a PEM document did not yield a pin.
///
/// ```
/// use hpkp::{PemError, Pin};
///
/// assert!(matches!(Pin::from_pem("no PEM here"), Err(PemError::NotPem(_))));
/// let key = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
/// assert_eq!(Pin::from_pem(key), Err(PemError::UnsupportedLabel("PRIVATE KEY".into())));
/// let broken = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n";
/// assert!(matches!(
///     Pin::from_pem(broken),
///     Err(PemError::InvalidDer { label: "PUBLIC KEY", .. })
/// ));
/// ```
#[cfg(feature = "pem")]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PemError {
    /// Not a PEM document (RFC 7468).
    #[error("not a PEM document: {0}")]
    NotPem(String),
    /// A PEM label other than `PUBLIC KEY` or `CERTIFICATE`.
    #[error("PEM label `{0}` is not supported; expected PUBLIC KEY or CERTIFICATE")]
    UnsupportedLabel(String),
    /// The DER inside is not a SubjectPublicKeyInfo / X.509 certificate.
    #[error("invalid {label} DER: {reason}")]
    InvalidDer {
        /// The PEM label.
        label: &'static str,
        /// What the decoder reported.
        reason: String,
    },
}

impl Pin {
    /// The pin of a DER-encoded SubjectPublicKeyInfo: its SHA-256 digest (RFC 7469 §2.4).
    ///
    /// The bytes are hashed as they are; pass the exact SPKI DER (for example the output of
    /// `openssl pkey -pubout -outform DER`).
    ///
    /// ```
    /// let pin = hpkp::Pin::sha256_of_spki(b"not really an SPKI");
    /// assert_eq!(pin.to_string().len(), 44);
    /// ```
    #[must_use]
    pub fn sha256_of_spki(der: &[u8]) -> Self {
        Self {
            sha256: Sha256::digest(der).into(),
        }
    }

    /// The pin from a raw 32-byte SHA-256 digest.
    ///
    /// ```
    /// let pin = hpkp::Pin::from_digest([2; 32]);
    /// assert_eq!(pin.to_string(), "AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=");
    /// ```
    #[must_use]
    pub const fn from_digest(sha256: [u8; 32]) -> Self {
        Self { sha256 }
    }

    /// The pin of the first PEM block of `pem`, which must be a `PUBLIC KEY`
    /// (SubjectPublicKeyInfo) or a `CERTIFICATE` (whose SubjectPublicKeyInfo is pinned).
    ///
    /// ```
    /// let pem = "-----BEGIN PUBLIC KEY-----
    /// MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqIhS5aMVSFpHvhSqVXiyvdncgnVo
    /// b1jVYaiDrNjXZoIn11z6dFFbng3QcjV9Zfs89ieLR11OB8Wk40I8ZNSStQ==
    /// -----END PUBLIC KEY-----";
    /// let pin = hpkp::Pin::from_pem(pem)?;
    /// // `openssl pkey -pubin -outform DER | openssl dgst -sha256 -binary | base64`
    /// assert_eq!(pin.to_string(), "I/hlCScg+Za/2gTkIUPjEZ+98QYBEc0D9bfrToB+F1I=");
    /// # Ok::<(), hpkp::PemError>(())
    /// ```
    ///
    /// # Errors
    /// [`PemError`] when the text is not PEM, has another label, or its DER does not decode.
    #[cfg(feature = "pem")]
    pub fn from_pem(pem: &str) -> Result<Self, PemError> {
        use x509_cert::der::{DecodePem as _, Encode as _};

        let start = pem.find("-----BEGIN ").unwrap_or(0);
        let block = pem.get(start..).unwrap_or_default();
        let end = block
            .find("-----END ")
            .and_then(|i| {
                block
                    .get(i..)
                    .and_then(|rest| rest.find('\n').map(|n| i + n))
            })
            .unwrap_or(block.len());
        let block = block.get(..end).unwrap_or(block);
        let label = x509_cert::der::pem::decode_label(block.as_bytes())
            .map_err(|e| PemError::NotPem(e.to_string()))?;
        match label {
            "PUBLIC KEY" => {
                let spki =
                    x509_cert::spki::SubjectPublicKeyInfoOwned::from_pem(block).map_err(|e| {
                        PemError::InvalidDer {
                            label: "PUBLIC KEY",
                            reason: e.to_string(),
                        }
                    })?;
                let der = spki.to_der().map_err(|e| PemError::InvalidDer {
                    label: "PUBLIC KEY",
                    reason: e.to_string(),
                })?;
                Ok(Self::sha256_of_spki(&der))
            }
            "CERTIFICATE" => {
                let invalid = |e: x509_cert::der::Error| PemError::InvalidDer {
                    label: "CERTIFICATE",
                    reason: e.to_string(),
                };
                let cert = x509_cert::Certificate::from_pem(block).map_err(invalid)?;
                let der = cert
                    .tbs_certificate()
                    .subject_public_key_info()
                    .to_der()
                    .map_err(invalid)?;
                Ok(Self::sha256_of_spki(&der))
            }
            other => Err(PemError::UnsupportedLabel(other.to_owned())),
        }
    }

    /// Parses the base64 form of a pin (the content of `pin-sha256="…"`).
    ///
    /// ```
    /// assert!(hpkp::Pin::from_base64("base64+primary==").is_err());
    /// ```
    ///
    /// # Errors
    /// [`PinError`] when the text is not base64 or not 32 bytes.
    pub fn from_base64(b64: &str) -> Result<Self, PinError> {
        // 32 bytes are 44 base64 characters; anything longer cannot be a SHA-256 digest.
        if b64.len() > 44 {
            return Err(decoded_len(b64).map_or(PinError::InvalidBase64, |bytes| {
                PinError::WrongLength { bytes }
            }));
        }
        let mut buf = [0u8; 33];
        let n = STANDARD
            .decode_slice(b64, &mut buf)
            .map_err(|_| PinError::InvalidBase64)?;
        let sha256: [u8; 32] = buf
            .get(..n)
            .and_then(|b| b.try_into().ok())
            .ok_or(PinError::WrongLength { bytes: n })?;
        Ok(Self { sha256 })
    }

    /// The 32-byte SHA-256 digest.
    ///
    /// ```
    /// let pin = hpkp::Pin::from_digest([7; 32]);
    /// assert_eq!(pin.digest(), &[7; 32]);
    /// assert_eq!(hpkp::Pin::from_base64(&pin.to_string())?.digest(), pin.digest());
    /// # Ok::<(), hpkp::PinError>(())
    /// ```
    #[must_use]
    pub fn digest(&self) -> &[u8; 32] {
        &self.sha256
    }
}

/// How many bytes standard padded base64 (RFC 4648 §4) decodes to, or `None` when `b64` is
/// not valid base64. Decodes in fixed-size pieces, so a value of any length is checked in
/// full without allocating.
fn decoded_len(b64: &str) -> Option<usize> {
    // A multiple of 4 characters, so every piece but the last is whole base64 quanta.
    const PIECE: usize = 4096;
    let mut buf = [0u8; PIECE / 4 * 3];
    let mut pieces = b64.as_bytes().chunks(PIECE).peekable();
    let mut total = 0usize;
    while let Some(piece) = pieces.next() {
        // Padding may only end the whole value, not a piece of it.
        if pieces.peek().is_some() && piece.contains(&b'=') {
            return None;
        }
        total += STANDARD.decode_slice(piece, &mut buf).ok()?;
    }
    Some(total)
}

impl fmt::Display for Pin {
    /// Standard base64 with padding (44 characters).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0u8; 44];
        let n = STANDARD
            .encode_slice(self.sha256, &mut buf)
            .map_err(|_| fmt::Error)?;
        f.write_str(std::str::from_utf8(buf.get(..n).unwrap_or_default()).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pin(sha256/{self})")
    }
}

impl FromStr for Pin {
    type Err = PinError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_base64(s)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Pin {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Pin {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Self::from_base64(&s).map_err(serde::de::Error::custom)
    }
}
