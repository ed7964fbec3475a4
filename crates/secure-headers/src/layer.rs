//! `SecureHeadersLayer`: the bundle as tower middleware, for axum, hyper and tonic.
//!
//! Per request the layer decides whether the request came over HTTPS, draws the response's
//! nonce (when the CSP uses one) and puts it into the request extensions as a
//! [`CspNonce`](crate::CspNonce) (so the handler can write it into the page), calls the inner
//! service, and applies the bundle to the response it returns, honouring the handler's
//! [`HeaderOverrides`](crate::HeaderOverrides). Nothing is boxed: the response future is a
//! plain enum over the inner future. The request is read in place (not taken apart), except
//! one the layer answers itself (HTTPS redirect, CORS preflight); the nonce costs what an
//! `http::Extensions` insert costs (the value is boxed by `http`).
//!
//! The trusted-proxy rules and the HTTPS redirect read the connection's peer address from the
//! [`PeerAddr`] request extension. With the `axum` feature, a request without it falls back to
//! axum's `ConnectInfo<SocketAddr>`, which
//! `Router::into_make_service_with_connect_info::<SocketAddr>()` provides: axum applications
//! need no middleware of their own. Other stacks insert [`PeerAddr`] themselves.
//!
//! ```
//! use secure_headers::{SecureHeaders, SecureHeadersLayer};
//!
//! let layer = SecureHeadersLayer::new(SecureHeaders::strict().build()?);
//! // axum: Router::new().route(...).layer(layer)
//! # let _ = layer;
//! # Ok::<(), secure_headers::BuildError>(())
//! ```

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::{Request, Response};
use pin_project_lite::pin_project;
use tower_layer::Layer;
use tower_service::Service;

use crate::bundle::{PeerAddr, RequestDecision, ResponseContext, SecureHeaders, TlsConnection};

/// How the layer tells whether a request came over HTTPS (HSTS is sent only then).
///
/// ```
/// use std::convert::Infallible;
/// use secure_headers::{HttpsDetection, SecureHeaders, SecureHeadersLayer};
/// use tower::{Layer, ServiceExt};
///
/// assert_eq!(HttpsDetection::default(), HttpsDetection::AssumeHttps);
/// let layer = SecureHeadersLayer::new(SecureHeaders::recommended().build()?)
///     .https_detection(HttpsDetection::RequestScheme);
/// let service = layer.layer(tower::service_fn(|_req: http::Request<()>| async {
///     Ok::<_, Infallible>(http::Response::new(()))
/// }));
/// let request = http::Request::get("http://example.com/").body(())?;
/// let runtime = tokio::runtime::Builder::new_current_thread().build()?;
/// let response = runtime.block_on(service.oneshot(request))?;
/// // A plain-HTTP request: no HSTS, every other header still sent.
/// assert!(!response.headers().contains_key("strict-transport-security"));
/// assert_eq!(response.headers()["x-content-type-options"], "nosniff");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum HttpsDetection {
    /// Every request is treated as HTTPS: TLS is terminated by this process or by a proxy
    /// that only forwards HTTPS traffic (default). Browsers ignore HSTS received over plain
    /// HTTP (RFC 6797 §8.1), so sending it is harmless there.
    #[default]
    AssumeHttps,
    /// Only requests whose URI has the `https` scheme (HTTP/2 `:scheme`, absolute-form
    /// request targets) or that carry the [`TlsConnection`] extension count as HTTPS.
    /// (When the bundle has an HTTPS redirect or trusted proxies, those decide instead.)
    RequestScheme,
}

/// The tower [`Layer`] that applies a [`SecureHeaders`] bundle to every response.
///
/// ```
/// use std::convert::Infallible;
/// use secure_headers::{SecureHeaders, SecureHeadersLayer};
/// use tower::{Layer, ServiceExt};
///
/// let layer = SecureHeadersLayer::new(SecureHeaders::recommended().build()?);
/// let service = layer.layer(tower::service_fn(|_req: http::Request<()>| async {
///     Ok::<_, Infallible>(http::Response::new(()))
/// }));
/// let runtime = tokio::runtime::Builder::new_current_thread().build()?;
/// let response = runtime.block_on(service.oneshot(http::Request::new(())))?;
/// assert_eq!(response.headers()["x-frame-options"], "SAMEORIGIN");
/// assert_eq!(response.headers()["strict-transport-security"], "max-age=31536000; includeSubDomains");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct SecureHeadersLayer {
    bundle: Arc<SecureHeaders>,
    https: HttpsDetection,
}

impl SecureHeadersLayer {
    /// A layer applying `bundle`.
    ///
    /// ```
    /// use secure_headers::{SecureHeaders, SecureHeadersLayer};
    /// let layer = SecureHeadersLayer::new(SecureHeaders::strict().build()?);
    /// assert!(layer.bundle().uses_nonce());
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn new(bundle: SecureHeaders) -> Self {
        Self::from_shared(Arc::new(bundle))
    }

    /// A layer applying a bundle shared with other code.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use secure_headers::{SecureHeaders, SecureHeadersLayer};
    /// let shared = Arc::new(SecureHeaders::api().build()?);
    /// let layer = SecureHeadersLayer::from_shared(Arc::clone(&shared));
    /// assert!(Arc::ptr_eq(layer.bundle(), &shared));
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn from_shared(bundle: Arc<SecureHeaders>) -> Self {
        Self {
            bundle,
            https: HttpsDetection::default(),
        }
    }

    /// Chooses how HTTPS requests are recognised.
    ///
    /// ```
    /// use std::convert::Infallible;
    /// use secure_headers::{HttpsDetection, SecureHeaders, SecureHeadersLayer};
    /// use tower::{Layer, ServiceExt};
    ///
    /// let layer = SecureHeadersLayer::new(SecureHeaders::api().build()?)
    ///     .https_detection(HttpsDetection::RequestScheme);
    /// let service = layer.layer(tower::service_fn(|_req: http::Request<()>| async {
    ///     Ok::<_, Infallible>(http::Response::new(()))
    /// }));
    /// let request = http::Request::get("https://example.com/").body(())?;
    /// let runtime = tokio::runtime::Builder::new_current_thread().build()?;
    /// let response = runtime.block_on(service.oneshot(request))?;
    /// assert!(response.headers().contains_key("strict-transport-security"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn https_detection(mut self, detection: HttpsDetection) -> Self {
        self.https = detection;
        self
    }

    /// The bundle this layer applies.
    ///
    /// ```
    /// use secure_headers::{SecureHeaders, SecureHeadersLayer};
    /// let layer = SecureHeadersLayer::new(SecureHeaders::api().build()?);
    /// assert_eq!(layer.bundle().value(&http::header::CACHE_CONTROL).unwrap(), "no-store");
    /// # Ok::<(), secure_headers::BuildError>(())
    /// ```
    #[must_use]
    pub fn bundle(&self) -> &Arc<SecureHeaders> {
        &self.bundle
    }
}

impl<S> Layer<S> for SecureHeadersLayer {
    type Service = SecureHeadersService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        SecureHeadersService {
            inner,
            bundle: Arc::clone(&self.bundle),
            https: self.https,
        }
    }
}

/// The service produced by [`SecureHeadersLayer`].
///
/// It puts the response's [`CspNonce`](crate::CspNonce) into the request extensions before
/// calling the inner service, and writes the same nonce into the response's CSP.
///
/// ```
/// use std::convert::Infallible;
/// use secure_headers::{CspNonce, SecureHeaders, SecureHeadersLayer, SecureHeadersService};
/// use tower::{Layer, ServiceExt};
///
/// let handler = tower::service_fn(|req: http::Request<()>| async move {
///     let nonce = req.extensions().get::<CspNonce>().map(ToString::to_string);
///     Ok::<_, Infallible>(http::Response::new(nonce.unwrap_or_default()))
/// });
/// let service: SecureHeadersService<_> =
///     SecureHeadersLayer::new(SecureHeaders::strict().build()?).layer(handler);
/// let runtime = tokio::runtime::Builder::new_current_thread().build()?;
/// let response = runtime.block_on(service.oneshot(http::Request::new(())))?;
/// let nonce = response.body();
/// assert_eq!(nonce.len(), 24);
/// let csp = response.headers()["content-security-policy"].to_str()?;
/// assert!(csp.contains(&format!("'nonce-{nonce}'")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct SecureHeadersService<S> {
    inner: S,
    bundle: Arc<SecureHeaders>,
    https: HttpsDetection,
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for SecureHeadersService<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    ResBody: Default,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = ResponseFuture<S::Future, ResBody>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: Request<ReqBody>) -> Self::Future {
        if !self.bundle.decides_per_request() {
            // No redirect, proxies or CORS: only HTTPS detection and the nonce, read from the
            // request in place (the same decision `on_request` makes, without taking the
            // request apart).
            let https = match self.https {
                HttpsDetection::AssumeHttps => true,
                HttpsDetection::RequestScheme => {
                    req.extensions().get::<TlsConnection>().is_some()
                        || req.uri().scheme() == Some(&http::uri::Scheme::HTTPS)
                }
            };
            let ctx = self.bundle.context(https);
            // (Written out rather than through `continue_with`: the request is moved once
            // fewer.)
            if let Some(nonce) = ctx.nonce() {
                req.extensions_mut().insert(nonce);
            }
            return ResponseFuture {
                state: State::Inner {
                    inner: self.inner.call(req),
                    ctx,
                    bundle: Arc::clone(&self.bundle),
                },
            };
        }
        let peer = peer_addr(req.extensions());
        let tls = req.extensions().get::<TlsConnection>().is_some();
        let assume = match self.https {
            HttpsDetection::AssumeHttps => true,
            HttpsDetection::RequestScheme => false,
        };
        // A request that continues to the handler is decided in place; only one the layer
        // answers itself (HTTPS redirect or refusal, CORS preflight) is taken apart.
        if let Some(ctx) = self.bundle.on_request_in_place(&req, peer, tls, assume) {
            return self.continue_with(ctx, req);
        }
        let (parts, body) = req.into_parts();
        let decision = self.bundle.on_request(&parts, peer, tls, assume);
        self.start(decision, Request::from_parts(parts, body))
    }
}

impl<S> SecureHeadersService<S> {
    /// Calls the inner service with the response's nonce in the request extensions, or
    /// answers with the layer's own response.
    fn start<ReqBody, ResBody>(
        &mut self,
        decision: RequestDecision,
        req: Request<ReqBody>,
    ) -> ResponseFuture<S::Future, ResBody>
    where
        S: Service<Request<ReqBody>, Response = Response<ResBody>>,
        ResBody: Default,
    {
        match decision {
            RequestDecision::Continue(ctx) => self.continue_with(ctx, req),
            RequestDecision::Respond(response) => ResponseFuture {
                state: State::Early {
                    response: Some(response.map(|()| ResBody::default())),
                },
            },
        }
    }

    /// Calls the inner service with the response's nonce in the request extensions.
    #[inline(always)]
    fn continue_with<ReqBody, ResBody>(
        &mut self,
        ctx: ResponseContext,
        mut req: Request<ReqBody>,
    ) -> ResponseFuture<S::Future, ResBody>
    where
        S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    {
        if let Some(nonce) = ctx.nonce() {
            req.extensions_mut().insert(nonce);
        }
        ResponseFuture {
            state: State::Inner {
                inner: self.inner.call(req),
                ctx,
                bundle: Arc::clone(&self.bundle),
            },
        }
    }
}

/// The connection's peer address: the [`PeerAddr`] extension, else (feature `axum`) axum's
/// `ConnectInfo<SocketAddr>`, which `into_make_service_with_connect_info::<SocketAddr>()`
/// puts into every request, so an axum application needs no middleware of its own for it.
fn peer_addr(extensions: &http::Extensions) -> Option<std::net::IpAddr> {
    if let Some(PeerAddr(ip)) = extensions.get::<PeerAddr>() {
        return Some(*ip);
    }
    #[cfg(feature = "axum")]
    if let Some(axum::extract::ConnectInfo(addr)) =
        extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
    {
        return Some(addr.ip());
    }
    None
}

pin_project! {
    /// The response future of [`SecureHeadersService`]: the inner future, then the bundle
    /// applied to its response; or the layer's own answer (HTTPS redirect, CORS preflight).
    pub struct ResponseFuture<F, B> {
        #[pin]
        state: State<F, B>,
    }
}

pin_project! {
    #[project = StateProj]
    enum State<F, B> {
        Inner {
            #[pin]
            inner: F,
            ctx: ResponseContext,
            bundle: Arc<SecureHeaders>,
        },
        Early {
            response: Option<Response<B>>,
        },
    }
}

impl<F, ResBody, E> Future for ResponseFuture<F, ResBody>
where
    F: Future<Output = Result<Response<ResBody>, E>>,
{
    type Output = Result<Response<ResBody>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().state.project() {
            StateProj::Inner { inner, ctx, bundle } => {
                let mut response = match inner.poll(cx) {
                    Poll::Ready(Ok(response)) => response,
                    other => return other,
                };
                bundle.apply_response(&mut response, ctx);
                Poll::Ready(Ok(response))
            }
            StateProj::Early { response } => match response.take() {
                Some(r) => Poll::Ready(Ok(r)),
                None => Poll::Pending,
            },
        }
    }
}

#[cfg(feature = "axum")]
mod extractor {
    use axum_core::extract::FromRequestParts;
    use http::StatusCode;
    use http::request::Parts;

    use crate::nonce::CspNonce;

    /// The nonce of this response, put into the request extensions by
    /// [`SecureHeadersLayer`](super::SecureHeadersLayer).
    ///
    /// Rejects with `500 Internal Server Error` when the layer is missing or the bundle's CSP
    /// uses no nonce: a page that relies on a nonce must not be served without one.
    impl<S: Send + Sync> FromRequestParts<S> for CspNonce {
        type Rejection = (StatusCode, &'static str);

        async fn from_request_parts(
            parts: &mut Parts,
            _state: &S,
        ) -> Result<Self, Self::Rejection> {
            parts.extensions.get::<CspNonce>().copied().ok_or((
                StatusCode::INTERNAL_SERVER_ERROR,
                "no CSP nonce: SecureHeadersLayer is missing or its policy uses no nonce",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::convert::Infallible;
    use std::net::{IpAddr, SocketAddr};

    use http::{HeaderMap, Request, Response, header};
    use tower::{ServiceExt, service_fn};

    use super::*;
    use crate::{HttpsRedirect, TrustedProxies};

    fn proxies() -> TrustedProxies {
        TrustedProxies::new().with("10.0.0.0/8").unwrap()
    }

    /// Sends a request claiming HTTPS through `X-Forwarded-Proto` with the given extensions
    /// and returns the status and headers of the response.
    async fn forwarded_https(
        bundle: SecureHeaders,
        add: impl FnOnce(&mut http::Extensions),
    ) -> (http::StatusCode, HeaderMap) {
        let svc = SecureHeadersLayer::new(bundle).layer(service_fn(|_req: Request<()>| async {
            Ok::<_, Infallible>(Response::new(String::new()))
        }));
        let mut req = Request::get("/")
            .header(header::HOST, "app.example")
            .header("x-forwarded-proto", "https")
            .body(())
            .unwrap();
        add(req.extensions_mut());
        let response = svc.oneshot(req).await.unwrap();
        (response.status(), response.headers().clone())
    }

    #[tokio::test]
    async fn peer_addr_extension_decides_trust() {
        let bundle = || {
            SecureHeaders::strict()
                .trusted_proxies(proxies())
                .build()
                .unwrap()
        };
        let trusted = PeerAddr("10.1.2.3".parse::<IpAddr>().unwrap());
        let (_, headers) = forwarded_https(bundle(), |e| {
            e.insert(trusted);
        })
        .await;
        assert!(headers.contains_key(header::STRICT_TRANSPORT_SECURITY));
        let (_, headers) = forwarded_https(bundle(), |_| {}).await;
        assert!(!headers.contains_key(header::STRICT_TRANSPORT_SECURITY));
    }

    #[tokio::test]
    async fn redirect_lets_a_trusted_https_request_through_in_place() {
        let redirect = HttpsRedirect::builder()
            .allow_host("app.example")
            .trusted_proxies(proxies())
            .build()
            .unwrap();
        let bundle = || {
            SecureHeaders::strict()
                .https_redirect(redirect.clone())
                .build()
                .unwrap()
        };
        let (status, headers) = forwarded_https(bundle(), |e| {
            e.insert(PeerAddr("10.0.0.9".parse::<IpAddr>().unwrap()));
        })
        .await;
        assert_eq!(status, http::StatusCode::OK);
        assert!(headers.contains_key(header::STRICT_TRANSPORT_SECURITY));
        // From an untrusted peer the same request is redirected.
        let (status, headers) = forwarded_https(bundle(), |_| {}).await;
        assert_eq!(status, http::StatusCode::PERMANENT_REDIRECT);
        assert_eq!(headers[header::LOCATION], "https://app.example/");
    }

    #[cfg(feature = "axum")]
    #[tokio::test]
    async fn axum_connect_info_is_the_peer_address_without_peer_addr() {
        use axum::extract::ConnectInfo;
        let bundle = || {
            SecureHeaders::strict()
                .trusted_proxies(proxies())
                .build()
                .unwrap()
        };
        let connect = |ip: &str| ConnectInfo(SocketAddr::new(ip.parse().unwrap(), 40000));
        let (_, headers) = forwarded_https(bundle(), |e| {
            e.insert(connect("10.0.0.1"));
        })
        .await;
        assert!(headers.contains_key(header::STRICT_TRANSPORT_SECURITY));
        let (_, headers) = forwarded_https(bundle(), |e| {
            e.insert(connect("192.0.2.1"));
        })
        .await;
        assert!(!headers.contains_key(header::STRICT_TRANSPORT_SECURITY));
        // `PeerAddr` is what the application says the peer is: it wins over `ConnectInfo`.
        let (_, headers) = forwarded_https(bundle(), |e| {
            e.insert(connect("10.0.0.1"));
            e.insert(PeerAddr("192.0.2.1".parse::<IpAddr>().unwrap()));
        })
        .await;
        assert!(!headers.contains_key(header::STRICT_TRANSPORT_SECURITY));
    }
}
