//! What the builders take as a method and as a URL: text (`&str`, `String`, `Cow`), and
//! with the `http` and `url` features, `http::Method` and `url::Url`.

use alloc::borrow::Cow;
use alloc::string::String;

/// An HTTP method: text (`"PUT"`), or with the `http` feature an `http::Method`.
pub trait IntoMethod<'a> {
    /// The method as text.
    fn into_method(self) -> Cow<'a, str>;
}

/// An absolute URL in wire form: text, or with the `url` feature a `url::Url`.
pub trait IntoUrl<'a> {
    /// The URL as text.
    fn into_url(self) -> Cow<'a, str>;
}

macro_rules! text_inputs {
    ($($ty:ty),+) => {$(
        impl<'a> IntoMethod<'a> for $ty {
            fn into_method(self) -> Cow<'a, str> {
                self.into()
            }
        }

        impl<'a> IntoUrl<'a> for $ty {
            fn into_url(self) -> Cow<'a, str> {
                self.into()
            }
        }
    )+};
}

text_inputs!(&'a str, String, Cow<'a, str>, &'a String);
