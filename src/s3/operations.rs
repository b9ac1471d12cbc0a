//! Presigned S3 operations: one builder type, [`S3Request`], whose options depend on the
//! operation it was made for.

use alloc::borrow::Cow;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::marker::PhantomData;
use core::time::Duration;

use crate::error::{Error, Result};
use crate::s3::Bucket;
use crate::s3::bucket::{check_bucket_name, check_key};
use crate::sigv4::Timestamp;
use crate::sigv4::{
    DEFAULT_EXPIRES_IN, PATH, PresignRequest, PresignedUrl, Presigner, push_encoded,
};

/// Marker types naming the S3 operation an [`S3Request`] presigns; they select which
/// options the request offers.
pub mod op {
    macro_rules! markers {
        ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
            $(#[$doc])*
            #[derive(Debug, Clone, Copy, PartialEq, Eq)]
            pub enum $name {}
        )*};
    }
    markers! {
        /// `GET /KEY`: download an object.
        GetObject,
        /// `HEAD /KEY`: read an object's metadata.
        HeadObject,
        /// `DELETE /KEY`: delete an object.
        DeleteObject,
        /// `PUT /KEY`: upload an object in one request.
        PutObject,
        /// `PUT /KEY` with `x-amz-copy-source`: copy an object.
        CopyObject,
        /// `POST /KEY?uploads`: start a multipart upload.
        CreateMultipartUpload,
        /// `PUT /KEY?partNumber=N&uploadId=ID`: upload one part.
        UploadPart,
        /// `POST /KEY?uploadId=ID`: assemble the parts.
        CompleteMultipartUpload,
        /// `DELETE /KEY?uploadId=ID`: abandon a multipart upload.
        AbortMultipartUpload,
        /// `GET /KEY?uploadId=ID`: list the uploaded parts.
        ListParts,
        /// `GET /?list-type=2`: list objects.
        ListObjectsV2,
    }
}

/// The checksum algorithms of S3's `x-amz-checksum-*` headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ChecksumAlgorithm {
    /// CRC-32 (`x-amz-checksum-crc32`).
    Crc32,
    /// CRC-32C (`x-amz-checksum-crc32c`).
    Crc32c,
    /// CRC-64/NVME (`x-amz-checksum-crc64nvme`).
    Crc64Nvme,
    /// SHA-1 (`x-amz-checksum-sha1`).
    Sha1,
    /// SHA-256 (`x-amz-checksum-sha256`).
    Sha256,
}

impl ChecksumAlgorithm {
    /// The name S3 uses, e.g. `CRC32C`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChecksumAlgorithm::Crc32 => "CRC32",
            ChecksumAlgorithm::Crc32c => "CRC32C",
            ChecksumAlgorithm::Crc64Nvme => "CRC64NVME",
            ChecksumAlgorithm::Sha1 => "SHA1",
            ChecksumAlgorithm::Sha256 => "SHA256",
        }
    }

    pub(crate) fn header(self) -> &'static str {
        match self {
            ChecksumAlgorithm::Crc32 => "x-amz-checksum-crc32",
            ChecksumAlgorithm::Crc32c => "x-amz-checksum-crc32c",
            ChecksumAlgorithm::Crc64Nvme => "x-amz-checksum-crc64nvme",
            ChecksumAlgorithm::Sha1 => "x-amz-checksum-sha1",
            ChecksumAlgorithm::Sha256 => "x-amz-checksum-sha256",
        }
    }
}

/// A presigned S3 operation being built. Made by the operation methods of [`Bucket`]
/// (`bucket.get_object(key)`, `bucket.put_object(key)`, …); the `Op` marker decides which
/// options exist. Like [`PresignRequest`], it checks nothing until it is presigned.
///
/// Every header option is signed: the client must send the header with that value
/// ([`PresignedUrl::headers`] lists them).
///
/// ```
/// use sigv4_presign::s3::Bucket;
/// use sigv4_presign::{Credentials, Presigner};
/// use time::macros::datetime;
///
/// let presigner = Presigner::new(Credentials::new("AKIDEXAMPLE", "secret")?, "eu-west-1", "s3")?;
/// let bucket = Bucket::new("my-bucket", "eu-west-1")?;
///
/// let download = bucket
///     .get_object("reports/Q3 2024.pdf")
///     .response_content_disposition(r#"attachment; filename="Q3 2024.pdf""#)
///     .presign(&presigner, datetime!(2024-10-01 9:00 UTC))?;
/// assert!(download.url().starts_with("https://my-bucket.s3.eu-west-1.amazonaws.com/reports/Q3%202024.pdf?"));
///
/// let upload = bucket
///     .put_object("avatars/42.png")
///     .content_type("image/png")
///     .metadata("uploaded-by", "user-42")
///     .presign(&presigner, datetime!(2024-10-01 9:00 UTC))?;
/// assert_eq!(upload.method(), "PUT");
/// assert_eq!(upload.headers().len(), 2); // content-type and x-amz-meta-uploaded-by
/// # Ok::<(), sigv4_presign::Error>(())
/// ```
///
/// `Debug` shows header and parameter names, never their values (an SSE-C key is a
/// header value).
#[derive(Clone)]
#[must_use = "an S3Request does nothing until it is presigned"]
pub struct S3Request<'b, Op> {
    bucket: &'b Bucket,
    method: &'static str,
    key: Option<String>,
    query: Vec<(Cow<'static, str>, String)>,
    pub(super) headers: Vec<(Cow<'static, str>, String)>,
    expires_in: Duration,
    clamp_to_credentials: bool,
    error: Option<Error>,
    op: PhantomData<Op>,
}

impl<Op> core::fmt::Debug for S3Request<'_, Op> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let names = |pairs: &[(Cow<'static, str>, String)]| -> Vec<String> {
            pairs.iter().map(|(n, _)| n.to_string()).collect()
        };
        f.debug_struct("S3Request")
            .field("bucket", &self.bucket.name())
            .field("method", &self.method)
            .field("key", &self.key)
            .field("query_names", &names(&self.query))
            .field("header_names", &names(&self.headers))
            .field("expires_in", &self.expires_in)
            .finish_non_exhaustive()
    }
}

impl<'b, Op> S3Request<'b, Op> {
    fn new(bucket: &'b Bucket, method: &'static str, key: Option<String>) -> Self {
        Self {
            bucket,
            method,
            key,
            query: Vec::new(),
            headers: Vec::new(),
            expires_in: DEFAULT_EXPIRES_IN,
            clamp_to_credentials: false,
            error: None,
            op: PhantomData,
        }
    }

    /// Sets a typed query parameter, replacing an earlier value.
    pub(super) fn param(mut self, name: &'static str, value: impl Into<String>) -> Self {
        let value = value.into();
        match self.query.iter_mut().find(|(n, _)| n == name) {
            Some((_, old)) => *old = value,
            None => self.query.push((Cow::Borrowed(name), value)),
        }
        self
    }

    /// Sets a typed signed header, replacing an earlier value.
    pub(super) fn signed_header(
        mut self,
        name: impl Into<Cow<'static, str>>,
        value: impl Into<String>,
    ) -> Self {
        let name = name.into();
        let value = value.into();
        match self
            .headers
            .iter_mut()
            .find(|(n, _)| n.eq_ignore_ascii_case(&name))
        {
            Some((_, old)) => *old = value,
            None => self.headers.push((name, value)),
        }
        self
    }

    pub(super) fn fail(mut self, error: Error) -> Self {
        self.error.get_or_insert(error);
        self
    }

    /// How long the URL stays valid (1 s to 7 days; one hour by default).
    pub fn expires_in(mut self, expires_in: Duration) -> Self {
        self.expires_in = expires_in;
        self
    }

    /// When the credentials expire before the URL would, ends the URL with them instead of
    /// refusing to sign (see
    /// [`PresignRequest::clamp_to_credentials`](crate::PresignRequest::clamp_to_credentials)):
    /// the five-minute credentials of S3 Express One Zone's CreateSession, say.
    pub fn clamp_to_credentials(mut self) -> Self {
        self.clamp_to_credentials = true;
        self
    }

    /// Signs `x-amz-request-payer: requester`, for Requester Pays buckets.
    pub fn request_payer(self) -> Self {
        self.signed_header("x-amz-request-payer", "requester")
    }

    /// Adds any other header to sign (the client must send it). Unlike the typed options,
    /// which replace their earlier value, a name given twice is signed with both values
    /// joined by `,`, as SigV4 joins repeated headers.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((Cow::Owned(name.into()), value.into()));
        self
    }

    /// Adds any other query parameter, raw (a name given twice is sent twice).
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((Cow::Owned(name.into()), value.into()));
        self
    }

    /// The HTTP method of the operation.
    pub fn method(&self) -> &'static str {
        self.method
    }

    /// The object key, for object operations.
    pub fn key(&self) -> Option<&str> {
        self.key.as_deref()
    }

    /// The bucket.
    pub fn bucket(&self) -> &'b Bucket {
        self.bucket
    }

    /// The generic request this operation amounts to, for [`Presigner::presign`].
    pub fn to_request(&self) -> Result<PresignRequest<'_>> {
        if let Some(error) = &self.error {
            return Err(error.clone());
        }
        let target = self.bucket.target(self.key.as_deref())?;
        let mut request =
            PresignRequest::for_target(self.method, target).expires_in(self.expires_in);
        if self.clamp_to_credentials {
            request = request.clamp_to_credentials();
        }
        for (name, value) in &self.query {
            request = request.query(name.as_ref(), value.as_str());
        }
        for (name, value) in &self.headers {
            request = request.header(name.as_ref(), value.as_str());
        }
        Ok(request)
    }

    /// Presigns the operation as of `time`.
    ///
    /// Errors: any error of the request, and [`Error::PresignerMismatch`] when the
    /// presigner signs for another region than the bucket's or with settings other than
    /// S3's.
    pub fn presign(&self, presigner: &Presigner, time: impl Timestamp) -> Result<PresignedUrl> {
        let time = time.to_offset_date_time()?;
        self.bucket.check_presigner(presigner)?;
        presigner.presign(&self.to_request()?, time)
    }

    /// Presigns the operation with SigV4a as of `time`: for a Multi-Region Access Point
    /// (region set `*`), or a bucket in one of the presigner's regions.
    ///
    /// ```
    /// use sigv4_presign::s3::Bucket;
    /// use sigv4_presign::sigv4a::{Presigner, RegionSet};
    /// use sigv4_presign::Credentials;
    /// use time::macros::datetime;
    ///
    /// let creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")?;
    /// let presigner = Presigner::new(creds, RegionSet::any(), "s3")?;
    /// let mrap = Bucket::multi_region_access_point("arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap")?;
    /// let signed = mrap.get_object("report.pdf").presign_sigv4a(&presigner, datetime!(2024-05-01 12:00 UTC))?;
    /// assert!(signed.url().starts_with(
    ///     "https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/report.pdf?X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256&"
    /// ));
    /// # Ok::<(), sigv4_presign::Error>(())
    /// ```
    ///
    /// Errors: any error of the request; [`Error::PresignerMismatch`] when the region set
    /// does not cover the bucket (a Multi-Region Access Point needs `*`), the service is
    /// not S3's, or the settings are not S3's.
    #[cfg(feature = "sigv4a")]
    pub fn presign_sigv4a(
        &self,
        presigner: &crate::sigv4a::Presigner,
        time: impl Timestamp,
    ) -> Result<PresignedUrl> {
        let time = time.to_offset_date_time()?;
        self.bucket.check_sigv4a_presigner(presigner)?;
        presigner.presign(&self.to_request()?, time)
    }

    /// Presigns the operation as of now (system clock).
    #[cfg(all(
        feature = "std",
        any(
            not(all(target_arch = "wasm32", target_os = "unknown")),
            feature = "js-clock"
        )
    ))]
    pub fn presign_now(&self, presigner: &Presigner) -> Result<PresignedUrl> {
        self.presign(presigner, crate::sigv4::clock::now())
    }

    /// Does not exist on `wasm32-unknown-unknown` without the `js-clock` feature: that
    /// target has no clock (a call fails to compile, saying so).
    #[cfg(all(
        feature = "std",
        target_arch = "wasm32",
        target_os = "unknown",
        not(feature = "js-clock")
    ))]
    pub fn presign_now(&self, presigner: &Presigner) -> Result<PresignedUrl>
    where
        Self: crate::sigv4::NoClockOnThisTarget,
    {
        let _ = presigner;
        Err(Error::TimeOutOfRange)
    }
}

/// Operations on a bucket's objects.
impl Bucket {
    fn object<Op>(&self, method: &'static str, key: impl Into<String>) -> S3Request<'_, Op> {
        let key = key.into();
        let request = S3Request::new(self, method, None);
        match check_key(&key) {
            Ok(()) => S3Request {
                key: Some(key),
                ..request
            },
            Err(e) => request.fail(e),
        }
    }

    /// Presigns a download: GetObject.
    pub fn get_object(&self, key: impl Into<String>) -> S3Request<'_, op::GetObject> {
        self.object("GET", key)
    }

    /// Presigns a metadata read: HeadObject.
    pub fn head_object(&self, key: impl Into<String>) -> S3Request<'_, op::HeadObject> {
        self.object("HEAD", key)
    }

    /// Presigns a deletion: DeleteObject.
    pub fn delete_object(&self, key: impl Into<String>) -> S3Request<'_, op::DeleteObject> {
        self.object("DELETE", key)
    }

    /// Presigns an upload in one request: PutObject.
    pub fn put_object(&self, key: impl Into<String>) -> S3Request<'_, op::PutObject> {
        self.object("PUT", key)
    }

    /// Presigns a server-side copy of `source_key` in `source_bucket` to `key` in this
    /// bucket: CopyObject (signs `x-amz-copy-source`).
    pub fn copy_object(
        &self,
        key: impl Into<String>,
        source_bucket: &str,
        source_key: &str,
    ) -> S3Request<'_, op::CopyObject> {
        let request = self.object("PUT", key);
        if let Err(e) = check_bucket_name(source_bucket).and_then(|()| check_key(source_key)) {
            return request.fail(e);
        }
        let mut source = String::with_capacity(source_bucket.len() + 1 + 3 * source_key.len());
        source.push_str(source_bucket);
        source.push('/');
        push_encoded(&mut source, source_key.as_bytes(), PATH);
        request.signed_header("x-amz-copy-source", source)
    }

    /// Presigns the start of a multipart upload: CreateMultipartUpload (`POST ?uploads`).
    /// The response holds the `UploadId`.
    pub fn create_multipart_upload(
        &self,
        key: impl Into<String>,
    ) -> S3Request<'_, op::CreateMultipartUpload> {
        self.object("POST", key).param("uploads", "")
    }

    /// Presigns the upload of part `part_number` (1 to 10000): UploadPart.
    pub fn upload_part(
        &self,
        key: impl Into<String>,
        upload_id: &str,
        part_number: u32,
    ) -> S3Request<'_, op::UploadPart> {
        let request = self.object("PUT", key);
        if !(1..=10_000).contains(&part_number) {
            return request.fail(Error::PartNumberOutOfRange { part_number });
        }
        request
            .param("partNumber", part_number.to_string())
            .param("uploadId", upload_id)
    }

    /// Presigns the completion of a multipart upload: CompleteMultipartUpload (the client
    /// POSTs the part list as XML).
    pub fn complete_multipart_upload(
        &self,
        key: impl Into<String>,
        upload_id: &str,
    ) -> S3Request<'_, op::CompleteMultipartUpload> {
        self.object("POST", key).param("uploadId", upload_id)
    }

    /// Presigns the abandonment of a multipart upload: AbortMultipartUpload.
    pub fn abort_multipart_upload(
        &self,
        key: impl Into<String>,
        upload_id: &str,
    ) -> S3Request<'_, op::AbortMultipartUpload> {
        self.object("DELETE", key).param("uploadId", upload_id)
    }

    /// Presigns the listing of a multipart upload's parts: ListParts.
    pub fn list_parts(
        &self,
        key: impl Into<String>,
        upload_id: &str,
    ) -> S3Request<'_, op::ListParts> {
        self.object("GET", key).param("uploadId", upload_id)
    }

    /// Presigns a listing of the bucket: ListObjectsV2.
    pub fn list_objects_v2(&self) -> S3Request<'_, op::ListObjectsV2> {
        S3Request::new(self, "GET", None).param("list-type", "2")
    }
}
