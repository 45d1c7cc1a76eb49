//! The dashboard, compiled into the binary. Files are looked up by exact name in a fixed
//! table, never on the filesystem, so no path can reach anything else.

use crate::error::ApiError;
use axum::extract::Path;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

/// `(name, content type, bytes)` of every file under `/assets/`.
const FILES: &[(&str, &str, &[u8])] = &[
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/app.js"),
    ),
    (
        "style.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/style.css"),
    ),
    (
        "countries.json",
        "application/json",
        include_bytes!("../assets/countries.json"),
    ),
    (
        "BASEMAP-LICENSE.txt",
        "text/plain; charset=utf-8",
        include_bytes!("../assets/BASEMAP-LICENSE.txt"),
    ),
];

const INDEX: &[u8] = include_bytes!("../assets/index.html");

fn file(ctype: &'static str, bytes: &'static [u8]) -> Response {
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    // Names are not content-hashed: let browsers revalidate after five minutes.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    res
}

/// `GET /`: the dashboard page.
pub(crate) async fn index() -> Response {
    file("text/html; charset=utf-8", INDEX)
}

/// `GET /assets/{file}`.
pub(crate) async fn asset(
    name: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Response {
    let found = name
        .ok()
        .and_then(|Path(n)| FILES.iter().find(|(f, _, _)| *f == n));
    match found {
        Some((_, ctype, bytes)) => file(ctype, bytes),
        None => ApiError::NotFound("no such dashboard file".into()).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_asset_the_page_names_is_served() {
        let html = std::str::from_utf8(INDEX).unwrap();
        for (name, _, bytes) in FILES {
            assert!(!bytes.is_empty(), "{name}");
        }
        for name in ["app.js", "style.css"] {
            assert!(html.contains(&format!("/assets/{name}")), "{name}");
        }
    }
}
