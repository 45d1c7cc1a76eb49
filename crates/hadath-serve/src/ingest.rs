//! The body of `POST /api/documents`: documents in (a JSON object, a JSON array of objects,
//! or JSON Lines; each object has a string `text` and optionally `id`, `title`, `url`,
//! `source`, `date`), read by `hadath_read::read_reader`, the same reader as
//! `hadath extract --from jsonl`.

use crate::error::ApiError;
use crate::{MAX_BODY_BYTES, MAX_DOCUMENTS_PER_POST};
use hadath_read::{read_reader, Document, FormatChoice, ReadOptions};

/// Name of the body in reader messages ("POST body line 3: ...").
const BODY_NAME: &str = "POST body";

/// The documents of a body, and a message for every record that was refused.
#[derive(Debug)]
pub(crate) struct Parsed {
    pub documents: Vec<Document>,
    pub errors: Vec<String>,
}

/// Reads the documents of a request body. Compressed bodies are refused (a small gzip body
/// could expand without bound); an empty body or one with no readable document is a
/// `400` with the reader's message.
pub(crate) fn parse_documents(body: &[u8]) -> Result<Parsed, ApiError> {
    if body.starts_with(&[0x1f, 0x8b]) || body.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        return Err(ApiError::UnsupportedMediaType(
            "compressed bodies are not accepted: send uncompressed JSON or JSON Lines".into(),
        ));
    }
    let trimmed = body.trim_ascii();
    if trimmed.is_empty() {
        return Err(ApiError::BadRequest(
            "the body is empty: send a JSON object with a \"text\" field, or JSON Lines of them"
                .into(),
        ));
    }
    // One (possibly pretty-printed) JSON object: put it on one line for the JSONL reader.
    let bytes: Vec<u8> = if trimmed.starts_with(b"{") {
        match serde_json::from_slice::<serde_json::Value>(trimmed) {
            Ok(v @ serde_json::Value::Object(_)) => {
                let mut line = serde_json::to_vec(&v).map_err(|_| ApiError::Internal)?;
                line.push(b'\n');
                line
            }
            _ => body.to_vec(),
        }
    } else {
        body.to_vec()
    };
    let opts = ReadOptions {
        format: FormatChoice::Jsonl,
        max_document_bytes: MAX_BODY_BYTES,
    };
    let mut documents = Vec::new();
    let mut errors = Vec::new();
    for item in read_reader(BODY_NAME, Box::new(std::io::Cursor::new(bytes)), &opts) {
        match item {
            Ok(doc) => {
                if documents.len() == MAX_DOCUMENTS_PER_POST {
                    return Err(ApiError::PayloadTooLarge(format!(
                        "more than {MAX_DOCUMENTS_PER_POST} documents in one request: split the body"
                    )));
                }
                documents.push(doc);
            }
            Err(e) => errors.push(e.to_string()),
        }
    }
    if documents.is_empty() {
        let first = errors
            .first()
            .cloned()
            .unwrap_or_else(|| "no documents in the body".into());
        return Err(ApiError::BadRequest(first));
    }
    Ok(Parsed { documents, errors })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_in_every_shape() {
        let one = parse_documents(b"{\"text\": \"Workers marched in Shymkent.\", \"id\": \"a\"}")
            .unwrap();
        assert_eq!(one.documents.len(), 1);
        assert_eq!(one.documents[0].id, "a");
        let pretty =
            parse_documents(b"{\n  \"text\": \"Line one.\",\n  \"title\": \"T\"\n}\n").unwrap();
        assert_eq!(pretty.documents[0].title.as_deref(), Some("T"));
        let lines = parse_documents(
            "{\"text\": \"أغلق المحتجون الطريق.\"}\n\n{\"text\": \"Second.\"}\n{\"no\": 1}\n"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(lines.documents.len(), 2);
        assert_eq!(lines.errors.len(), 1);
        assert!(lines.errors[0].contains("line 4"), "{:?}", lines.errors);
        let array = parse_documents(b"[{\"text\": \"A.\"}, {\"text\": \"B.\"}]").unwrap();
        assert_eq!(array.documents.len(), 2);
    }

    #[test]
    fn bad_bodies_are_client_errors() {
        for (body, status) in [
            (&b""[..], 400),
            (b"   \n", 400),
            (b"not json", 400),
            (b"{\"title\": \"no text\"}", 400),
            (b"[1, 2", 400),
            (&[0x1f, 0x8b, 8, 0, 0][..], 415),
            (&[0, 1, 2, 3, 0, 0, 0][..], 400),
        ] {
            let err = parse_documents(body).unwrap_err();
            assert_eq!(err.status().as_u16(), status, "{body:?}: {err:?}");
        }
    }
}
