//! HTTPS for `nexus serve --tls-cert --tls-key`: rustls on ring (the TLS
//! library the HTTP clients already use), TLS 1.2 and 1.3, no client
//! certificates.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use super::SHUTDOWN_GRACE;
use crate::error::{NexusError, Result};

/// The server's TLS settings from a PEM chain and key.
pub fn config(cert: &Path, key: &Path) -> Result<Arc<rustls::ServerConfig>> {
    let bad = |what: &'static str, path: &Path, why: String| {
        NexusError::invalid(what, &path.display().to_string(), why)
    };
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .map_err(|e| bad("tls-cert", cert, e.to_string()))?
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| bad("tls-cert", cert, e.to_string()))?;
    if chain.is_empty() {
        return Err(bad("tls-cert", cert, "holds no PEM certificate".into()));
    }
    // The key's own error may quote it: say only that it is not a key.
    let key_der = PrivateKeyDer::from_pem_file(key)
        .map_err(|_| bad("tls-key", key, "is not a PEM private key".into()))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let cfg = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(|b| b.with_no_client_auth().with_single_cert(chain, key_der))
        .map_err(|e| bad("tls-cert", cert, format!("does not fit the key: {e}")))?;
    Ok(Arc::new(cfg))
}

/// Serve `app` over TLS on `listener` until SIGINT or SIGTERM.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    tls: Arc<rustls::ServerConfig>,
    stop: tokio::sync::watch::Sender<bool>,
    bound: SocketAddr,
) -> Result<()> {
    let listener = listener
        .into_std()
        .map_err(|e| NexusError::io("listen on", bound.to_string(), e))?;
    let handle = axum_server::Handle::new();
    let stopping = handle.clone();
    tokio::spawn(async move {
        super::shutdown_signal().await;
        let _ = stop.send(true);
        stopping.graceful_shutdown(Some(SHUTDOWN_GRACE));
    });
    axum_server::from_tcp_rustls(
        listener,
        axum_server::tls_rustls::RustlsConfig::from_config(tls),
    )
    .map_err(|e| NexusError::io("listen on", bound.to_string(), e))?
    .handle(handle)
    .serve(app.into_make_service())
    .await
    .map_err(|e| NexusError::io("serve on", bound.to_string(), e))
}
