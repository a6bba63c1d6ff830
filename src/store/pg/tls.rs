//! TLS for connections to the server, on rustls (ring), as libpq's
//! `sslmode` describes it: `prefer` and `require` encrypt without checking
//! the certificate unless `sslrootcert` is given, `verify-ca` checks that it
//! chains to a trusted root, `verify-full` also that it names the host.
//! Trusted roots are the system's unless `sslrootcert` names a PEM file.

use std::sync::{Arc, OnceLock};

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use tokio_postgres_rustls::MakeRustlsConnect;

use super::setting::{Mode, Roots, Setting};

/// The connector for `setting`; `None` for plaintext only. The error says
/// what is wrong with the roots, in one line.
pub fn connector(setting: &Setting) -> Result<Option<MakeRustlsConnect>, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?;
    let check = match (setting.mode, &setting.root) {
        (Mode::Disable, _) => return Ok(None),
        (Mode::Prefer | Mode::Require, None) => Check::Nothing,
        (Mode::Prefer | Mode::Require | Mode::VerifyCa, root) => {
            Check::Chain(roots(root.as_ref().unwrap_or(&Roots::System))?)
        }
        (Mode::VerifyFull, root) => Check::Full(roots(root.as_ref().unwrap_or(&Roots::System))?),
    };
    let config = match check {
        Check::Full(roots) => builder.with_root_certificates(roots),
        Check::Chain(roots) => {
            let chain = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .map_err(|e| e.to_string())?;
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(ChainOnly(chain)))
        }
        Check::Nothing => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(Unchecked(
                provider.signature_verification_algorithms,
            ))),
    };
    Ok(Some(MakeRustlsConnect::new(config.with_no_client_auth())))
}

enum Check {
    Nothing,
    Chain(RootCertStore),
    Full(RootCertStore),
}

/// The trusted roots named by `root` (the system's are read once per process).
fn roots(root: &Roots) -> Result<RootCertStore, String> {
    let mut store = RootCertStore::empty();
    match root {
        Roots::System => {
            static SYSTEM: OnceLock<Vec<CertificateDer<'static>>> = OnceLock::new();
            let certs = SYSTEM.get_or_init(|| rustls_native_certs::load_native_certs().certs);
            store.add_parsable_certificates(certs.iter().cloned());
            if store.is_empty() {
                return Err(
                    "no trusted root certificates on this system: name a PEM file with sslrootcert=PATH"
                        .into(),
                );
            }
        }
        Roots::File(path) => {
            let shown = crate::text::escape_controls(&path.display().to_string()).into_owned();
            let certs = CertificateDer::pem_file_iter(path)
                .and_then(|it| it.collect::<Result<Vec<_>, _>>())
                .map_err(|e| format!("sslrootcert {shown}: {e}"))?;
            let (added, _) = store.add_parsable_certificates(certs);
            if added == 0 {
                return Err(format!("sslrootcert {shown}: holds no certificate"));
            }
        }
    }
    Ok(store)
}

/// `verify-ca`: the chain is checked, the name the certificate is for is not.
#[derive(Debug)]
struct ChainOnly(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

/// `prefer` and `require` without roots: the connection is encrypted and the
/// handshake's signatures are checked, the certificate is not (as libpq).
#[derive(Debug)]
struct Unchecked(WebPkiSupportedAlgorithms);

impl ServerCertVerifier for Unchecked {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_schemes()
    }
}
