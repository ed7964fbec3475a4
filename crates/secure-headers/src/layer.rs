//! `SecureHeadersLayer`: the bundle as tower middleware, for axum, hyper and tonic.
//!
//! Per request the layer decides whether the request came over HTTPS, draws the response's
//! nonce (when the CSP uses one) and puts it into the request extensions as a [`CspNonce`]
//! (so the handler can write it into the page), calls the inner service, and applies the
//! bundle to the response it returns, honouring the handler's
//! [`HeaderOverrides`](crate::HeaderOverrides). Nothing is boxed: the response future is a
//! plain enum over the inner future. Without an HTTPS redirect, trusted proxies or CORS the
//! request is read in place (not taken apart); the nonce costs what `http::Extensions` costs
//! for a first insert (the map and the value are boxed by `http`).
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
#[derive(Debug, Clone)]
pub struct SecureHeadersLayer {
    bundle: Arc<SecureHeaders>,
    https: HttpsDetection,
}

impl SecureHeadersLayer {
    /// A layer applying `bundle`.
    #[must_use]
    pub fn new(bundle: SecureHeaders) -> Self {
        Self::from_shared(Arc::new(bundle))
    }

    /// A layer applying a bundle shared with other code.
    #[must_use]
    pub fn from_shared(bundle: Arc<SecureHeaders>) -> Self {
        Self {
            bundle,
            https: HttpsDetection::default(),
        }
    }

    /// Chooses how HTTPS requests are recognised.
    #[must_use]
    pub fn https_detection(mut self, detection: HttpsDetection) -> Self {
        self.https = detection;
        self
    }

    /// The bundle this layer applies.
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
        let (mut parts, body) = req.into_parts();
        let peer = parts.extensions.get::<PeerAddr>().map(|p| p.0);
        let tls = parts.extensions.get::<TlsConnection>().is_some();
        let assume = match self.https {
            HttpsDetection::AssumeHttps => true,
            HttpsDetection::RequestScheme => false,
        };
        match self.bundle.on_request(&parts, peer, tls, assume) {
            RequestDecision::Continue(ctx) => {
                if let Some(nonce) = ctx.nonce() {
                    parts.extensions.insert(nonce);
                }
                ResponseFuture {
                    state: State::Inner {
                        inner: self.inner.call(Request::from_parts(parts, body)),
                        ctx,
                        bundle: Arc::clone(&self.bundle),
                    },
                }
            }
            RequestDecision::Respond(response) => ResponseFuture {
                state: State::Early {
                    response: Some(response.map(|()| ResBody::default())),
                },
            },
        }
    }
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
