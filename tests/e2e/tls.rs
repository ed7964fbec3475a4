//! HTTPS for the test servers that need it.
//!
//! Chromium delivers Reporting API reports (`report-to` with `Reporting-Endpoints`) only for
//! pages served over HTTPS: an `http://127.0.0.1` page, although a secure context, gets its
//! `Reporting-Endpoints` ignored and nothing is uploaded (see
//! `csp::blocked_scripts_are_delivered_to_the_report_to_endpoint`). So those tests serve over
//! TLS, with one self-signed certificate for `127.0.0.1` generated per test run. The test
//! browsers trust exactly that certificate, by the SHA-256 hash of its public key
//! (`--ignore-certificate-errors-spki-list`); every other certificate check stays on.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use base64::Engine as _;
use rcgen::{CertifiedKey, PublicKeyData as _};
use sha2::{Digest as _, Sha256};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::crypto::ring;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::server::TlsStream;

/// The longest a client may take over its TLS handshake before its connection is dropped (so a
/// stalled connection cannot hold up the next one).
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(5);

/// The run's certificate for `127.0.0.1`, ready to serve.
pub(crate) struct TestCertificate {
    acceptor: TlsAcceptor,
    spki_sha256: String,
}

impl TestCertificate {
    fn generate() -> Result<Self, String> {
        let CertifiedKey { cert, signing_key } =
            rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()])
                .map_err(|e| format!("cannot generate the test certificate: {e}"))?;
        let spki_sha256 = base64::engine::general_purpose::STANDARD
            .encode(Sha256::digest(signing_key.subject_public_key_info()));
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(signing_key.serialize_der()));
        let chain: Vec<CertificateDer<'static>> = vec![cert.der().clone()];
        let config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("TLS configuration: {e}"))?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(|e| format!("TLS configuration: {e}"))?;
        Ok(Self {
            acceptor: TlsAcceptor::from(Arc::new(config)),
            spki_sha256,
        })
    }

    /// The base64 SHA-256 of the certificate's SubjectPublicKeyInfo, as Chromium's
    /// `--ignore-certificate-errors-spki-list` takes it.
    pub(crate) fn spki_sha256(&self) -> &str {
        &self.spki_sha256
    }
}

/// The certificate of this test run (generated on first use).
pub(crate) fn certificate() -> Result<&'static TestCertificate, String> {
    static CERTIFICATE: OnceLock<Result<TestCertificate, String>> = OnceLock::new();
    CERTIFICATE
        .get_or_init(TestCertificate::generate)
        .as_ref()
        .map_err(Clone::clone)
}

/// A TCP listener that hands axum only connections whose TLS handshake succeeded.
pub(crate) struct TlsListener {
    tcp: TcpListener,
    acceptor: TlsAcceptor,
}

impl TlsListener {
    /// Serves `tcp` with the run's certificate.
    pub(crate) fn new(tcp: TcpListener) -> Result<Self, String> {
        Ok(Self {
            tcp,
            acceptor: certificate()?.acceptor.clone(),
        })
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let Ok((stream, addr)) = self.tcp.accept().await else {
                // Out of file descriptors and the like: wait a little, as axum's TCP listener does.
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            };
            // A failed or stalled handshake (a client that rejected the certificate, a
            // connection opened and abandoned) drops that connection only.
            if let Ok(Ok(tls)) =
                tokio::time::timeout(HANDSHAKE_TIMEOUT, self.acceptor.accept(stream)).await
            {
                return (tls, addr);
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.tcp.local_addr()
    }
}
