//! Streamed exports: `/api/events.csv` (ACLED-like columns of `hadath export --format csv`)
//! and `/api/events.geojson`. A blocking thread holding one store writes the rows into a
//! bounded channel that becomes the response body, so memory stays flat however many rows
//! go out; at most [`EXPORT_MAX_ROWS`] rows are written, and the headers say how many
//! events matched (`X-Hadath-Total`), the cap (`X-Hadath-Row-Limit`) and whether the file is
//! cut short (`X-Hadath-Truncated`).

use crate::error::ApiError;
use crate::{AppState, EXPORT_MAX_ROWS};
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use hadath_store::{export as store_export, Filter, Page, Sort, Store, StoreError};
use std::io::Write;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

/// How long the writer waits for a slow client to take the next chunk.
const SEND_TIMEOUT: Duration = Duration::from_secs(60);
const CHUNK: usize = 64 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Csv,
    Geojson,
}

type Chunk = Result<Bytes, std::io::Error>;

/// The response body: chunks from the writer thread.
struct ChunkStream(mpsc::Receiver<Chunk>);

impl futures_core::Stream for ChunkStream {
    type Item = Chunk;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Chunk>> {
        self.0.poll_recv(cx)
    }
}

/// A `Write` that sends 64 KiB chunks into the channel; fails (ending the export) when the
/// client went away or stopped reading for [`SEND_TIMEOUT`].
struct ChannelWriter {
    tx: mpsc::Sender<Chunk>,
    rt: tokio::runtime::Handle,
    buf: Vec<u8>,
}

impl ChannelWriter {
    fn send(&mut self, chunk: Chunk) -> std::io::Result<()> {
        let tx = self.tx.clone();
        let sent = self
            .rt
            .block_on(async move { tokio::time::timeout(SEND_TIMEOUT, tx.send(chunk)).await });
        match sent {
            Ok(Ok(())) => Ok(()),
            _ => Err(std::io::Error::new(
                std::io::ErrorKind::BrokenPipe,
                "the client stopped reading the export",
            )),
        }
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::take(&mut self.buf));
        self.send(Ok(chunk))
    }
}

/// Writes up to `max` events matching `filter`; returns how many were written.
fn write_rows(
    store: &mut Store,
    filter: &Filter,
    kind: Kind,
    out: &mut ChannelWriter,
    max: usize,
) -> Result<usize, StoreError> {
    let mut n = 0usize;
    let mut full = false;
    // Returning an error is the only way to stop `for_each_event` early; `full` tells the
    // caller that this error means "cap reached".
    let stop = || StoreError::Filter("export row limit reached".into());
    let result = match kind {
        Kind::Csv => {
            let mut w = csv::Writer::from_writer(&mut *out);
            w.write_record(store_export::COLUMNS)?;
            let r = store.for_each_event(filter, |_, e| {
                if n >= max {
                    full = true;
                    return Err(stop());
                }
                w.write_record(store_export::csv_values(&e))?;
                n += 1;
                Ok(())
            });
            w.flush()?;
            r
        }
        Kind::Geojson => {
            out.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[")?;
            let r = store.for_each_event(filter, |_, e| {
                if n >= max {
                    full = true;
                    return Err(stop());
                }
                if let Some(f) = store_export::feature(&e) {
                    if n > 0 {
                        out.write_all(b",")?;
                    }
                    out.write_all(b"\n")?;
                    serde_json::to_writer(&mut *out, &f)?;
                    n += 1;
                }
                Ok(())
            });
            out.write_all(b"\n]}\n")?;
            r
        }
    };
    match result {
        Ok(_) => Ok(n),
        Err(_) if full => Ok(n),
        Err(e) => Err(e),
    }
}

/// The streamed export response for `filter`.
pub(crate) async fn respond(
    state: AppState,
    filter: Filter,
    kind: Kind,
) -> Result<Response, ApiError> {
    let mut lease = state.pool().lease().await?;
    let (tx, rx) = mpsc::channel::<Chunk>(4);
    let (head_tx, head_rx) = oneshot::channel::<Result<i64, ApiError>>();
    let rt = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let store = lease.store();
        let page = Page {
            limit: 1,
            offset: 0,
            sort: Sort::Date,
        };
        let total = match store.events(&filter, &page) {
            Ok(p) => p.total,
            Err(e) => {
                let _ = head_tx.send(Err(e.into()));
                return;
            }
        };
        if head_tx.send(Ok(total)).is_err() {
            return; // the request was dropped (timeout or client gone)
        }
        let mut out = ChannelWriter {
            tx,
            rt,
            buf: Vec::with_capacity(CHUNK),
        };
        let result = write_rows(store, &filter, kind, &mut out, EXPORT_MAX_ROWS)
            .and_then(|n| out.flush().map(|_| n).map_err(StoreError::from));
        if let Err(e) = result {
            // An error mid-stream cannot change the status any more: abort the body so the
            // client sees a failed transfer rather than a file that looks complete.
            if !matches!(&e, StoreError::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe) {
                eprintln!("hadath serve: export failed: {e}");
            }
            let _ = out.send(Err(std::io::Error::other("the export failed")));
        }
    });
    let total = head_rx.await.map_err(|_| ApiError::Internal)??;
    let (ctype, file) = match kind {
        Kind::Csv => ("text/csv; charset=utf-8", "hadath-events.csv"),
        Kind::Geojson => ("application/geo+json", "hadath-events.geojson"),
    };
    let mut res = Response::new(Body::from_stream(ChunkStream(rx)));
    *res.status_mut() = StatusCode::OK;
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert("x-hadath-total", HeaderValue::from(total));
    h.insert(
        "x-hadath-row-limit",
        HeaderValue::from(EXPORT_MAX_ROWS as u64),
    );
    h.insert(
        "x-hadath-truncated",
        HeaderValue::from_static(if total > EXPORT_MAX_ROWS as i64 {
            "true"
        } else {
            "false"
        }),
    );
    Ok(res)
}
