//! Test servers: axum routers on ephemeral loopback ports (plain HTTP, or HTTPS with the run's
//! test certificate), stopped on drop; a report endpoint that parses what the browser posts
//! with `csp_builder::report`.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::post;
use csp_builder::report::{Report, ReportError, ViolationReport};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::tls::TlsListener;

/// A loopback port reserved for a server whose router is not built yet (so pages can name
/// their own origin, or another server's, before anything serves).
pub(crate) struct Bound {
    listener: Listener,
    addr: SocketAddr,
    scheme: Scheme,
}

/// The bound socket, with TLS in front for HTTPS.
enum Listener {
    Plain(TcpListener),
    Tls(TlsListener),
}

/// Whether a test server speaks plain HTTP or HTTPS (with the run's test certificate, see
/// [`crate::tls`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scheme {
    /// `http://`
    Http,
    /// `https://`
    Https,
}

impl Scheme {
    fn as_str(self) -> &'static str {
        match self {
            Self::Http => "http",
            Self::Https => "https",
        }
    }
}

impl Bound {
    /// Binds `127.0.0.1:0` for a plain HTTP server.
    pub(crate) async fn loopback() -> Result<Self, String> {
        Self::loopback_with(Scheme::Http).await
    }

    /// Binds `127.0.0.1:0` for a server of `scheme`.
    pub(crate) async fn loopback_with(scheme: Scheme) -> Result<Self, String> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .map_err(|e| format!("cannot bind a loopback port: {e}"))?;
        let addr = listener
            .local_addr()
            .map_err(|e| format!("no local address: {e}"))?;
        let listener = match scheme {
            Scheme::Http => Listener::Plain(listener),
            Scheme::Https => Listener::Tls(TlsListener::new(listener)?),
        };
        Ok(Self {
            listener,
            addr,
            scheme,
        })
    }

    /// `SCHEME://127.0.0.1:PORT`, the origin this server will have.
    pub(crate) fn origin(&self) -> String {
        format!("{}://{}", self.scheme.as_str(), self.addr)
    }

    /// Starts serving `router`.
    pub(crate) fn serve(self, router: Router) -> TestServer {
        let Self {
            listener,
            addr,
            scheme,
        } = self;
        let task = tokio::spawn(async move {
            let _ = match listener {
                Listener::Plain(tcp) => axum::serve(tcp, router).await,
                Listener::Tls(tls) => axum::serve(tls, router).await,
            };
        });
        TestServer { addr, scheme, task }
    }
}

/// A running test server; stops when dropped.
pub(crate) struct TestServer {
    addr: SocketAddr,
    scheme: Scheme,
    task: JoinHandle<()>,
}

impl TestServer {
    /// `SCHEME://127.0.0.1:PORT`.
    pub(crate) fn origin(&self) -> String {
        format!("{}://{}", self.scheme.as_str(), self.addr)
    }

    /// The absolute URL of `path` on this server.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin())
    }

    /// The raw response head (status line and header lines) of `GET path`, read over a plain
    /// TCP connection, so a test can see exactly which headers went out (plain HTTP servers
    /// only).
    pub(crate) fn raw_response_head(&self, path: &str) -> Result<String, String> {
        if self.scheme != Scheme::Http {
            return Err(format!(
                "raw_response_head reads plain HTTP only, {} is {:?}",
                self.addr, self.scheme
            ));
        }
        let timeout = Duration::from_secs(5);
        let mut stream = TcpStream::connect_timeout(&self.addr, timeout)
            .map_err(|e| format!("connecting to {}: {e}", self.addr))?;
        stream
            .set_read_timeout(Some(timeout))
            .map_err(|e| e.to_string())?;
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        )
        .map_err(|e| format!("sending the request: {e}"))?;
        let mut response = Vec::new();
        stream
            .take(1 << 20)
            .read_to_end(&mut response)
            .map_err(|e| format!("reading the response: {e}"))?;
        let text = String::from_utf8_lossy(&response);
        Ok(text.split("\r\n\r\n").next().unwrap_or_default().to_owned())
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// One report delivery as the endpoint received it.
#[derive(Debug)]
pub(crate) struct Delivery {
    /// The request's `Content-Type`.
    pub(crate) content_type: String,
    /// What `ViolationReport::parse_body` made of the body.
    pub(crate) parsed: Result<Vec<Report>, ReportError>,
}

/// Collects the report deliveries a page's report endpoint receives.
#[derive(Clone, Default)]
pub(crate) struct ReportSink {
    deliveries: Arc<Mutex<Vec<Delivery>>>,
}

impl ReportSink {
    /// A router with `POST path` storing every delivery (answered `204 No Content`).
    pub(crate) fn route(&self, path: &str) -> Router {
        let sink = self.clone();
        Router::new().route(
            path,
            post(move |headers: HeaderMap, body: Bytes| {
                let sink = sink.clone();
                async move {
                    let content_type = headers
                        .get(header::CONTENT_TYPE)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_owned();
                    let parsed = ViolationReport::parse_body(&content_type, &body);
                    sink.deliveries
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push(Delivery {
                            content_type,
                            parsed,
                        });
                    StatusCode::NO_CONTENT
                }
            }),
        )
    }

    /// Every delivery that failed to parse, with its content type and error.
    pub(crate) fn unparsable(&self) -> Vec<String> {
        self.deliveries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .filter_map(|d| match &d.parsed {
                Ok(_) => None,
                Err(e) => Some(format!("{}: {e}", d.content_type)),
            })
            .collect()
    }

    /// Every CSP violation received so far, with the content type it came with.
    pub(crate) fn violations(&self) -> Vec<(String, ViolationReport)> {
        self.deliveries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .filter_map(|d| Some((d.content_type.clone(), d.parsed.as_ref().ok()?.clone())))
            .flat_map(|(ct, reports)| {
                reports
                    .into_iter()
                    .filter_map(move |r| Some((ct.clone(), r.into_violation()?)))
            })
            .collect()
    }

    /// Waits at most `timeout` until the violations received so far satisfy `done`; returns
    /// whether they did.
    pub(crate) async fn wait_until(
        &self,
        timeout: Duration,
        mut done: impl FnMut(&[(String, ViolationReport)]) -> bool,
    ) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            if done(&self.violations()) {
                return true;
            }
            if Instant::now() > deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
