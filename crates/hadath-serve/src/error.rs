//! Errors: [`ServeError`] for starting the server, [`ApiError`] for one request (always
//! answered as `{"error": "..."}`).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use hadath_store::StoreError;
use std::net::SocketAddr;

/// Why `hadath serve` could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot open the store {db}: {source}")]
    Open {
        db: String,
        #[source]
        source: StoreError,
    },
    #[error("cannot listen on {addr}: {source} (is another server using the port? try --bind 127.0.0.1:0)")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("the server failed: {0}")]
    Serve(#[source] std::io::Error),
    #[error("cannot start the async runtime: {0}")]
    Runtime(#[source] std::io::Error),
    #[error("--cors {0:?} is not a valid origin: give one such as https://example.org, or *")]
    Cors(String),
    #[error("--pool {0} is out of range: give 1 to 64 store connections")]
    Pool(usize),
    #[error("the write token is shorter than 8 characters: choose a longer, random one")]
    Token,
}

/// A request that failed; the status and the message sent to the client.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    BadRequest(String),
    Unauthorized(String),
    Forbidden(String),
    NotFound(String),
    PayloadTooLarge(String),
    UnsupportedMediaType(String),
    /// Overloaded or too slow.
    Unavailable(String),
    /// Details are logged, never sent.
    Internal,
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn message(&self) -> &str {
        match self {
            ApiError::BadRequest(m)
            | ApiError::Unauthorized(m)
            | ApiError::Forbidden(m)
            | ApiError::NotFound(m)
            | ApiError::PayloadTooLarge(m)
            | ApiError::UnsupportedMediaType(m)
            | ApiError::Unavailable(m) => m,
            ApiError::Internal => "internal error in the store; the server log has the details",
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            // The store's filter messages name the parameter and what is expected; they
            // never contain SQL.
            StoreError::Filter(m) => ApiError::BadRequest(format!("bad filter: {m}")),
            other => {
                eprintln!("hadath serve: store error: {other}");
                ApiError::Internal
            }
        }
    }
}

/// `{"error": message}` with `status`.
pub(crate) fn json_error(status: StatusCode, message: &str) -> Response {
    let body = serde_json::json!({ "error": message }).to_string();
    let mut res = (status, body).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if status == StatusCode::UNAUTHORIZED {
        res.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"hadath\""),
        );
    }
    res
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json_error(self.status(), self.message())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_errors_never_reach_the_client() {
        let e: ApiError = StoreError::Inconsistent("SELECT * FROM events syntax".into()).into();
        assert_eq!(e, ApiError::Internal);
        assert!(!e.message().contains("SELECT"));
        let e: ApiError = StoreError::Filter("limit must be between 1 and 1000".into()).into();
        assert_eq!(e.status(), StatusCode::BAD_REQUEST);
        assert_eq!(e.message(), "bad filter: limit must be between 1 and 1000");
    }
}
