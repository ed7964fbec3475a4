//! `SecureHeadersLayer`: the bundle as tower middleware, for axum, hyper and tonic.
//!
//! Per request the layer decides whether the request came over HTTPS, draws the response's
//! nonce (when the CSP uses one) and puts it into the request extensions as a [`CspNonce`]
//! (so the handler can write it into the page), calls the inner service, and applies the
//! bundle to the response it returns, honouring the handler's
//! [`HeaderOverrides`](crate::HeaderOverrides). Nothing is boxed and no header map is cloned:
//! the response future is a plain enum over the inner future.
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

use crate::bundle::{ResponseContext, SecureHeaders};

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
    /// request targets) count as HTTPS.
    RequestScheme,
}

impl HttpsDetection {
    fn is_https<B>(self, req: &Request<B>) -> bool {
        match self {
            Self::AssumeHttps => true,
            Self::RequestScheme => req.uri().scheme() == Some(&http::uri::Scheme::HTTPS),
        }
    }
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
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = ResponseFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: Request<ReqBody>) -> Self::Future {
        let ctx = self.bundle.context(self.https.is_https(&req));
        if let Some(nonce) = ctx.nonce() {
            req.extensions_mut().insert(nonce);
        }
        ResponseFuture {
            inner: self.inner.call(req),
            ctx,
            bundle: Arc::clone(&self.bundle),
        }
    }
}

pin_project! {
    /// The response future of [`SecureHeadersService`]: the inner future, then the bundle
    /// applied to its response.
    pub struct ResponseFuture<F> {
        #[pin]
        inner: F,
        ctx: ResponseContext,
        bundle: Arc<SecureHeaders>,
    }
}

impl<F, ResBody, E> Future for ResponseFuture<F>
where
    F: Future<Output = Result<Response<ResBody>, E>>,
{
    type Output = Result<Response<ResBody>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let mut response = match this.inner.poll(cx) {
            Poll::Ready(Ok(response)) => response,
            other => return other,
        };
        this.bundle.apply_response(&mut response, this.ctx);
        Poll::Ready(Ok(response))
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

        async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
            parts.extensions.get::<CspNonce>().copied().ok_or((
                StatusCode::INTERNAL_SERVER_ERROR,
                "no CSP nonce: SecureHeadersLayer is missing or its policy uses no nonce",
            ))
        }
    }
}
