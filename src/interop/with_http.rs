//! `http` 1.x: presign an `http::Request`, turn a presigned URL into the `http::Request` a
//! client sends, verify an `http::Request` on the server; `http::Method` and `http::Uri`
//! wherever a method or a URL is taken.

use alloc::borrow::Cow;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use ::http::header::HeaderMap;
use ::http::{HeaderName, HeaderValue, Method, Request, Uri, request::Parts};

use crate::error::{Error, Result};
use crate::sigv4::{IntoMethod, IntoUrl, PresignRequest, PresignedUrl, Presigner, Timestamp};
use crate::verify::{CredentialStore, ReceivedRequest, Verified, Verifier, VerifyError};

impl<'a> IntoMethod<'a> for Method {
    fn into_method(self) -> Cow<'a, str> {
        // The standard methods' names live as long as the program; others are copied.
        const STANDARD: [&str; 9] = [
            "GET", "PUT", "POST", "HEAD", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT",
        ];
        match STANDARD.iter().find(|name| **name == self.as_str()) {
            Some(name) => Cow::Borrowed(name),
            None => Cow::Owned(self.as_str().to_string()),
        }
    }
}

impl<'a> IntoMethod<'a> for &'a Method {
    fn into_method(self) -> Cow<'a, str> {
        Cow::Borrowed(self.as_str())
    }
}

impl<'a> IntoUrl<'a> for &'a Uri {
    fn into_url(self) -> Cow<'a, str> {
        Cow::Owned(self.to_string())
    }
}

impl<'a> IntoUrl<'a> for Uri {
    fn into_url(self) -> Cow<'a, str> {
        Cow::Owned(self.to_string())
    }
}

impl<'a> PresignRequest<'a> {
    /// The request `request` describes: its method, its URI (absolute: `https://host/…`)
    /// and every header it carries, each signed (the client must send them; a `Host`
    /// header must name the URI's host). The body is not read: the payload is
    /// `UNSIGNED-PAYLOAD` unless set with [`PresignRequest::payload_hash`].
    ///
    /// ```
    /// use sigv4_presign::{Credentials, PresignRequest, Presigner};
    ///
    /// let presigner = Presigner::new(Credentials::new("AKID", "secret")?, "us-east-1", "s3")?;
    /// let now = time::macros::datetime!(2024-05-01 12:00 UTC);
    /// let request = http::Request::put("https://bucket.s3.amazonaws.com/a.png")
    ///     .header("content-type", "image/png")
    ///     .body(())?;
    /// let from_http = presigner.presign(&PresignRequest::from_http(&request)?, now)?;
    /// let by_hand = PresignRequest::put("https://bucket.s3.amazonaws.com/a.png").header("content-type", "image/png");
    /// assert_eq!(from_http.url(), presigner.presign(&by_hand, now)?.url());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_http<B>(request: &'a Request<B>) -> Result<Self> {
        if request.uri().scheme().is_none() || request.uri().authority().is_none() {
            return Err(Error::MalformedUrl {
                reason: "the http::Request's URI must be absolute (https://host/path) to be presigned",
            });
        }
        let mut presign = PresignRequest::new(request.method(), request.uri());
        for (name, value) in request.headers() {
            let value = value.to_str().map_err(|_| Error::InvalidHeaderValue {
                name: name.as_str().to_string(),
                reason: "a byte that is not visible ASCII",
            })?;
            presign = presign.header(name.as_str(), value);
        }
        Ok(presign)
    }
}

impl Presigner {
    /// Presigns `request` (its method, absolute URI and headers, as
    /// [`PresignRequest::from_http`] reads them) with the default expiry, in one call.
    pub fn presign_http<B>(
        &self,
        request: &Request<B>,
        time: impl Timestamp,
    ) -> Result<PresignedUrl> {
        self.presign(&PresignRequest::from_http(request)?, time)
    }
}

impl PresignedUrl {
    /// The request a client sends: the method, the URL and every header it must carry.
    ///
    /// ```
    /// use sigv4_presign::{Credentials, PresignRequest, Presigner};
    ///
    /// let presigner = Presigner::new(Credentials::new("AKID", "secret")?, "us-east-1", "s3")?;
    /// let signed = presigner.presign(
    ///     &PresignRequest::put("https://bucket.s3.amazonaws.com/a.png").header("Content-Type", "image/png"),
    ///     time::macros::datetime!(2024-05-01 12:00 UTC),
    /// )?;
    /// let request: http::Request<()> = signed.to_http_request()?;
    /// assert_eq!(request.method(), http::Method::PUT);
    /// assert_eq!(request.uri().to_string(), signed.url());
    /// assert_eq!(request.headers()["content-type"], "image/png");
    /// # Ok::<(), sigv4_presign::Error>(())
    /// ```
    pub fn to_http_request(&self) -> Result<Request<()>> {
        let bad = |reason| Error::MalformedUrl { reason };
        let method = Method::from_bytes(self.method().as_bytes())
            .map_err(|_| bad("the method is not one http::Method takes"))?;
        let uri: Uri = self
            .url()
            .parse()
            .map_err(|_| bad("the presigned URL is not one http::Uri takes"))?;
        let mut headers = HeaderMap::with_capacity(self.headers().len());
        for (name, value) in self.headers() {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| bad("a header name is not one http::HeaderName takes"))?;
            let value = HeaderValue::from_bytes(value.as_bytes())
                .map_err(|_| bad("a header value is not one http::HeaderValue takes"))?;
            headers.append(name, value);
        }
        let mut request = Request::new(());
        *request.method_mut() = method;
        *request.uri_mut() = uri;
        *request.headers_mut() = headers;
        Ok(request)
    }
}

impl<S: CredentialStore> Verifier<S> {
    /// Verifies a request as an `http` server (hyper, axum) received it: the method, the
    /// URI's path and query, and the headers. The host is the `Host` header, or the URI's
    /// authority when there is none (HTTP/2); the default port stripped from it is 443
    /// unless the URI says `http`. An HTTP/1 server sees origin-form URIs (`/path?query`, no
    /// scheme): on plain http, give the parts a URI with the `http` scheme, or build a
    /// [`ReceivedRequest`] with [`ReceivedRequest::over_http`], or `Host: h:80` will not
    /// match a link signed for `http://h/`. A header value that is not UTF-8 stands as
    /// received, mangled: it fails verification if it was signed.
    ///
    /// ```
    /// use sigv4_presign::verify::Verifier;
    /// use sigv4_presign::{Credentials, PresignRequest, Presigner};
    ///
    /// let creds = Credentials::new("AKID", "secret")?;
    /// let presigner = Presigner::new(creds.clone(), "us-east-1", "s3")?;
    /// let now = time::macros::datetime!(2024-05-01 12:00 UTC);
    /// let signed = presigner.presign(&PresignRequest::get("https://files.example.com/a.txt"), now)?;
    ///
    /// // What the client sends, as the server sees it.
    /// let received = signed.to_http_request()?;
    /// let verifier = Verifier::new(move |_: &str| Some(creds.clone()), "us-east-1", "s3")?;
    /// let ok = verifier.verify_http(&received, now)?;
    /// assert_eq!((ok.host(), ok.path()), ("files.example.com", "/a.txt"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn verify_http<B>(
        &self,
        request: &Request<B>,
        now: impl Timestamp,
    ) -> core::result::Result<Verified, VerifyError> {
        self.verify_http_parts_of(request.method(), request.uri(), request.headers(), now)
    }

    /// [`Verifier::verify_http`] for the parts of a request (its body taken apart).
    pub fn verify_http_parts(
        &self,
        parts: &Parts,
        now: impl Timestamp,
    ) -> core::result::Result<Verified, VerifyError> {
        self.verify_http_parts_of(&parts.method, &parts.uri, &parts.headers, now)
    }

    fn verify_http_parts_of(
        &self,
        method: &Method,
        uri: &Uri,
        headers: &HeaderMap,
        now: impl Timestamp,
    ) -> core::result::Result<Verified, VerifyError> {
        let target = uri.path_and_query().map_or("/", |pq| pq.as_str());
        let mut texts: Vec<(&str, Cow<'_, str>)> = headers
            .iter()
            .map(|(name, value)| (name.as_str(), String::from_utf8_lossy(value.as_bytes())))
            .collect();
        if !headers.contains_key(::http::header::HOST)
            && let Some(authority) = uri.authority()
        {
            texts.push(("host", Cow::Borrowed(authority.as_str())));
        }
        let pairs: Vec<(&str, &str)> = texts.iter().map(|(n, v)| (*n, v.as_ref())).collect();
        let mut received = ReceivedRequest::new(method.as_str(), target, &pairs);
        if uri.scheme() == Some(&::http::uri::Scheme::HTTP) {
            received = received.over_http();
        }
        self.verify(&received, now)
    }
}
