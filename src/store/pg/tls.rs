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
            let algorithms = provider.signature_verification_algorithms;
            let chain = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .map_err(|e| e.to_string())?;
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(Lenient {
                    chain: Some(chain),
                    algorithms,
                }))
        }
        Check::Nothing => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(Lenient {
                chain: None,
                algorithms: provider.signature_verification_algorithms,
            })),
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

/// The checks `verify-full` does not make as rustls does: with a chain
/// verifier (`verify-ca`) the chain is checked and the name the certificate
/// is for is not; without one (`prefer` and `require` without roots) the
/// certificate is not checked, as libpq does. Either way the connection is
/// encrypted and the handshake's signatures are checked.
#[derive(Debug)]
struct Lenient {
    chain: Option<Arc<WebPkiServerVerifier>>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for Lenient {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let Some(chain) = &self.chain else {
            return Ok(ServerCertVerified::assertion());
        };
        match chain.verify_server_cert(end_entity, intermediates, server_name, ocsp, now) {
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
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}
