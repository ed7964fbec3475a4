//! Pins computed from PEM fixtures agree with OpenSSL (see tests/fixtures/README.md).
#![cfg(feature = "pem")]

use hpkp::{PemError, Pin};

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn public_key_pem_pin_matches_openssl() {
    let pin = Pin::from_pem(&fixture("ec-pub.pem")).unwrap();
    assert_eq!(pin.to_string(), fixture("ec-key.pin").trim());
    let rsa = Pin::from_pem(&fixture("rsa-pub.pem")).unwrap();
    assert_eq!(rsa.to_string(), fixture("rsa-key.pin").trim());
}

#[test]
fn certificate_pem_pins_its_subject_public_key_info() {
    let pin = Pin::from_pem(&fixture("ec-cert.pem")).unwrap();
    assert_eq!(pin.to_string(), fixture("ec-cert.pin").trim());
    assert_eq!(pin, Pin::from_pem(&fixture("ec-pub.pem")).unwrap());
}

#[test]
fn sha256_of_spki_hashes_the_der() {
    // The DER inside the PUBLIC KEY PEM, decoded by hand.
    use base64::Engine as _;
    let pem = fixture("rsa-pub.pem");
    let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    assert_eq!(
        Pin::sha256_of_spki(&der).to_string(),
        fixture("rsa-key.pin").trim()
    );
}

#[test]
fn pem_text_around_the_block_is_ignored() {
    let text = format!(
        "subject=CN = pin.example\n{}\ntrailer\n",
        fixture("ec-cert.pem")
    );
    assert_eq!(
        Pin::from_pem(&text).unwrap().to_string(),
        fixture("ec-cert.pin").trim()
    );
}

#[test]
fn other_pem_labels_and_garbage_are_errors() {
    let private = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
    assert_eq!(
        Pin::from_pem(private),
        Err(PemError::UnsupportedLabel("PRIVATE KEY".into()))
    );
    assert!(matches!(Pin::from_pem("hello"), Err(PemError::NotPem(_))));
    let bad_der = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    assert!(matches!(
        Pin::from_pem(bad_der),
        Err(PemError::InvalidDer {
            label: "CERTIFICATE",
            ..
        })
    ));
}
