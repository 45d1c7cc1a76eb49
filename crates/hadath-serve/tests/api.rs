//! API tests: a temporary SQLite store filled through the real pipeline from sentences
//! written for this test, served by the real router (driven with `tower::ServiceExt::oneshot`,
//! and once over a real socket on 127.0.0.1:0).

use axum::body::{to_bytes, Body, Bytes};
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use hadath_extract::{Pipeline, PipelineOptions, Record};
use hadath_model::{Document, PartialDate};
use hadath_serve::{router, AppState, ServeOptions};
use hadath_store::Store;
use serde_json::Value;
use std::sync::OnceLock;
use std::time::Duration;
use tower::ServiceExt;

const TOKEN: &str = "test-token-5f1c9a";

/// (id, date, source, title, text): two reports of one protest in Almaty (English and
/// Arabic), an arrest in Astana, a student protest in Cairo.
const DOCS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "almaty-en",
        "2022-01-05",
        "Steppe Wire",
        "Fuel price protest",
        "Thousands of protesters marched in Almaty on Wednesday against the rise in fuel prices.",
    ),
    (
        "almaty-ar",
        "2022-01-05",
        "وكالة السهوب",
        "مظاهرة في ألماتي",
        "تظاهر آلاف المحتجين في ألماتي يوم الأربعاء احتجاجا على ارتفاع أسعار الوقود.",
    ),
    (
        "astana-arrest",
        "2022-01-06",
        "Steppe Wire",
        "Journalist detained",
        "Police arrested an opposition journalist in Astana on Thursday.",
    ),
    (
        "cairo-ar",
        "2022-03-13",
        "نشرة النيل",
        "طلاب القاهرة",
        "تظاهر مئات الطلاب أمام جامعة القاهرة يوم الأحد احتجاجا على رفع الرسوم.",
    ),
];

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::new(PipelineOptions::default()).unwrap())
}

fn records() -> Vec<Record> {
    DOCS.iter()
        .map(|(id, date, source, title, text)| {
            let mut d = Document::from_text(*id, *text);
            d.published = PartialDate::parse(date);
            d.source = Some(source.to_string());
            d.title = Some(title.to_string());
            d.url = Some(format!("https://news.example/{id}"));
            pipeline().process(d)
        })
        .collect()
}

struct Server {
    app: Router,
    _dir: tempfile::TempDir,
}

fn server_with(token: Option<&str>, cors: Option<&str>, fill: bool) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("events.db").to_str().unwrap().to_string();
    if fill {
        let mut store = Store::open(&db).unwrap();
        let stats = store.ingest(&records()).unwrap();
        assert_eq!(stats.documents, DOCS.len());
    }
    let opts = ServeOptions {
        db,
        token: token.map(str::to_string),
        cors: cors.map(str::to_string),
        pool: 2,
        cache_ttl: Duration::from_secs(2),
        ..ServeOptions::default()
    };
    Server {
        app: router(AppState::open(&opts).unwrap()),
        _dir: dir,
    }
}

fn server() -> Server {
    server_with(None, None, true)
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body[..self.body.len().min(300)])
            )
        })
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
    /// A JSON error with this status and a non-empty message.
    fn assert_error(&self, status: u16) -> String {
        assert_eq!(self.status.as_u16(), status, "{}", self.text());
        assert!(self.header("content-type").starts_with("application/json"));
        let msg = self.json()["error"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(!msg.is_empty(), "{}", self.text());
        msg
    }
}

async fn send(app: &Router, req: Request<Body>) -> Reply {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = to_bytes(res.into_body(), 64 << 20).await.unwrap();
    Reply {
        status,
        headers,
        body,
    }
}

async fn get(app: &Router, uri: &str) -> Reply {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn post(app: &Router, auth: Option<&str>, body: impl Into<Body>) -> Reply {
    let mut req = Request::builder()
        .method(Method::POST)
        .uri("/api/documents")
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(a) = auth {
        req = req.header(header::AUTHORIZATION, a);
    }
    send(app, req.body(body.into()).unwrap()).await
}

fn events_of(r: &Reply) -> Vec<Value> {
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    r.json()["events"].as_array().cloned().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_are_listed_filtered_and_paged() {
    let s = server();
    let r = get(&s.app, "/api/events").await;
    let all = events_of(&r);
    let page = r.json();
    assert_eq!(page["limit"], 100);
    assert_eq!(page["offset"], 0);
    assert_eq!(page["total"].as_u64().unwrap() as usize, all.len());
    assert!(all.len() >= 3, "{all:#?}");
    for e in &all {
        for key in ["id", "type", "confidence", "n_mentions", "lang", "summary"] {
            assert!(e.get(key).is_some(), "{key} missing in {e}");
        }
    }
    // The English and the Arabic report of the Almaty protest are one event.
    let kz = events_of(&get(&s.app, "/api/events?type=PROTEST&country=KZ").await);
    assert_eq!(kz.len(), 1, "{kz:#?}");
    assert_eq!(kz[0]["type"], "PROTEST");
    assert_eq!(kz[0]["country"], "KZ");
    assert_eq!(kz[0]["n_documents"], 2);
    assert_eq!(kz[0]["date"], "2022-01-05");
    // Several filters, a comma list, dates, radius, paging and sorting.
    let egypt = events_of(&get(&s.app, "/api/events?country=EG&lang=ar").await);
    assert_eq!(egypt.len(), 1, "{egypt:#?}");
    assert_eq!(
        egypt[0]["location"].as_str().map(|l| !l.is_empty()),
        Some(true)
    );
    let both = events_of(&get(&s.app, "/api/events?country=KZ,EG&type=PROTEST").await);
    assert_eq!(both.len(), 2);
    let near = events_of(&get(&s.app, "/api/events?near=43.25,76.95&radius_km=50").await);
    assert!(near.iter().all(|e| e["country"] == "KZ"), "{near:#?}");
    assert!(!near.is_empty());
    let march = events_of(&get(&s.app, "/api/events?from=2022-03-01&to=2022-03-31").await);
    assert_eq!(march.len(), 1);
    let one = get(&s.app, "/api/events?limit=1&offset=1&sort=date").await;
    assert_eq!(events_of(&one).len(), 1);
    assert_eq!(one.json()["total"], page["total"]);
    let sorted = events_of(&get(&s.app, "/api/events?sort=date").await);
    let dates: Vec<&str> = sorted.iter().filter_map(|e| e["date"].as_str()).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
    let text = events_of(&get(&s.app, "/api/events?q=%D8%A7%D9%84%D9%88%D9%82%D9%88%D8%AF").await); // الوقود
    assert_eq!(text.len(), 1, "{text:#?}");
    assert_eq!(text[0]["country"], "KZ");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_carries_its_evidence_and_documents() {
    let s = server();
    let kz = events_of(&get(&s.app, "/api/events?type=PROTEST&country=KZ").await);
    let id = kz[0]["id"].as_i64().unwrap();
    let r = get(&s.app, &format!("/api/events/{id}")).await;
    assert_eq!(r.status, StatusCode::OK);
    let ev = r.json();
    assert_eq!(ev["id"], id);
    let mentions = ev["mentions"].as_array().unwrap();
    assert_eq!(mentions.len(), 2, "{mentions:#?}");
    let langs: Vec<&str> = mentions.iter().filter_map(|m| m["lang"].as_str()).collect();
    assert!(langs.contains(&"ar") && langs.contains(&"en"), "{langs:?}");
    for m in mentions {
        let sentence = m["sentence"]["text"].as_str().unwrap();
        let n = sentence.chars().count();
        let hl = m["highlights"].as_array().unwrap();
        assert!(hl.iter().any(|h| h["kind"] == "trigger"), "{hl:#?}");
        for h in hl {
            let (a, b) = (
                h["start"].as_u64().unwrap() as usize,
                h["end"].as_u64().unwrap() as usize,
            );
            assert!(a < b && b <= n, "{h} outside {sentence:?}");
        }
        // The document behind the mention.
        let doc_id = m["document_id"].as_i64().unwrap();
        let d = get(&s.app, &format!("/api/documents/{doc_id}")).await;
        assert_eq!(d.status, StatusCode::OK);
        let doc = d.json();
        assert!(doc["text"].as_str().unwrap().contains(sentence));
        assert!(doc["record"].is_object());
        assert!(doc["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["event_id"] == id));
        assert_eq!(doc["title"], m["document_title"]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stats_exports_openapi_and_health() {
    let s = server();
    let st = get(&s.app, "/api/stats").await;
    assert_eq!(st.status, StatusCode::OK);
    let st = st.json();
    assert!(st["total"].as_i64().unwrap() >= 3);
    assert!(st["by_type"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["type"] == "PROTEST" && r["n"].as_i64() == Some(2)));
    assert!(st["by_country"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["country"] == "KZ"));
    assert!(st["by_day"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["day"] == "2022-01-05" && r["type"] == "PROTEST"));
    assert_eq!(st["min_date"], "2022-01-05");
    let kz = get(&s.app, "/api/stats?country=KZ").await.json();
    assert!(kz["total"].as_i64().unwrap() < st["total"].as_i64().unwrap());

    let geo = get(&s.app, "/api/events.geojson?type=PROTEST").await;
    assert_eq!(geo.status, StatusCode::OK);
    assert_eq!(geo.header("content-type"), "application/geo+json");
    assert_eq!(geo.header("x-hadath-row-limit"), "100000");
    assert_eq!(geo.header("x-hadath-truncated"), "false");
    let fc = geo.json();
    assert_eq!(fc["type"], "FeatureCollection");
    let features = fc["features"].as_array().unwrap();
    assert_eq!(features.len(), 2, "{fc:#?}");
    for f in features {
        assert_eq!(f["geometry"]["type"], "Point");
        assert!(f["properties"].get("lat").is_none());
        assert_eq!(f["properties"]["type"], "PROTEST");
    }

    let csv = get(&s.app, "/api/events.csv?country=KZ").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.header("content-type").starts_with("text/csv"));
    assert!(csv.header("content-disposition").contains("attachment"));
    assert_eq!(csv.header("x-hadath-row-limit"), "100000");
    let text = csv.text();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("event_id,event_date,"), "{}", lines[0]);
    assert_eq!(
        lines.len() as i64 - 1,
        csv.header("x-hadath-total").parse::<i64>().unwrap()
    );
    assert!(text.contains("Almaty"), "{text}");

    let oa = get(&s.app, "/api/openapi.json").await;
    assert_eq!(oa.status, StatusCode::OK);
    assert_eq!(oa.json()["openapi"], "3.1.0");

    let h = get(&s.app, "/healthz").await;
    assert_eq!(h.status, StatusCode::OK);
    let h = h.json();
    assert_eq!(h["status"], "ok");
    assert_eq!(h["documents"], DOCS.len());
    assert!(h["events"].as_i64().unwrap() >= 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_are_json_4xx() {
    let s = server();
    for uri in [
        "/api/events?limit=5000",
        "/api/events?limit=0",
        "/api/events?limit=ten",
        "/api/events?from=yesterday",
        "/api/events?country=KAZ",
        "/api/events?near=100,0",
        "/api/events?radius_km=10",
        "/api/events?sort=id",
        "/api/events?nonsense=1",
        "/api/events?q=a",
        "/api/stats?min_confidence=2",
        "/api/events.csv?type=NOT-A-TYPE",
        "/api/events.geojson?to=2022-13-45",
        "/api/events/abc",
        "/api/documents/1.5",
        "/api/events?type=%FF%FE",
    ] {
        let msg = get(&s.app, uri).await.assert_error(400);
        assert!(!msg.contains("SQL"), "{uri}: {msg}");
    }
    let msg = get(&s.app, "/api/events?limit=5000")
        .await
        .assert_error(400);
    assert!(msg.contains("1000"), "{msg}");
    get(&s.app, "/api/events/999999").await.assert_error(404);
    get(&s.app, "/api/documents/-3").await.assert_error(404);
    get(&s.app, "/api/nothing-here").await.assert_error(404);
    get(&s.app, "/api/events/1/more").await.assert_error(404);
    let r = send(
        &s.app,
        Request::delete("/api/events/1")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    r.assert_error(405);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn injection_shaped_filters_change_nothing_and_leak_nothing() {
    let s = server();
    let before = get(&s.app, "/api/events").await.json()["total"].clone();
    for (key, value) in [
        ("admin1", "' OR '1'='1"),
        ("admin1", "02'; DROP TABLE events; --"),
        ("source", "%' OR 1=1 --"),
        ("source", "Wire\" OR \"\"=\""),
        ("q", "\"protest\" OR 1=1) --"),
        ("q", "protesters NEAR( * ) MATCH"),
        ("q", "' UNION SELECT text FROM documents --"),
        ("mode", "riot' OR 'x'='x"),
        ("type", "PROTEST' OR 1=1 --"),
        ("country", "KZ') OR ('1'='1"),
        ("actor", "KAZ%"),
        ("sort", "date; DROP TABLE events"),
        ("limit", "1 OR 1=1"),
        ("lang", "ar' --"),
    ] {
        let enc: String = value.bytes().map(|b| format!("%{b:02X}")).collect();
        for path in ["/api/events", "/api/stats", "/api/events.csv"] {
            let r = get(&s.app, &format!("{path}?{key}={enc}")).await;
            let text = r.text();
            for leak in ["SQL", "sql", "syntax", "SELECT", "sqlite", "rusqlite"] {
                assert!(
                    !text.contains(leak) || value.contains(leak),
                    "{path}?{key}={value}: {text}"
                );
            }
            assert!(
                r.status == StatusCode::OK || r.status == StatusCode::BAD_REQUEST,
                "{path}?{key}={value}: {} {text}",
                r.status
            );
            if r.status == StatusCode::OK && path == "/api/events" {
                // Bound as a value, the text matches nothing (q: only its words are searched).
                let total = r.json()["total"].as_i64().unwrap();
                assert!(
                    total == 0 || key == "q",
                    "{key}={value} matched {total} events"
                );
            }
            if r.status == StatusCode::BAD_REQUEST {
                r.assert_error(400);
            }
        }
    }
    // The store is intact.
    assert_eq!(get(&s.app, "/api/events").await.json()["total"], before);
    assert_eq!(
        get(&s.app, "/healthz").await.json()["documents"],
        DOCS.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_need_a_configured_token() {
    let doc = r#"{"id": "shymkent", "date": "2022-02-02", "source": "Test Desk", "text": "Hundreds of teachers rallied in Shymkent on Monday over unpaid wages."}"#;
    // Read-only server: refused whatever the header says.
    let ro = server();
    ro_refuses(&ro, doc).await;
    // Writable server.
    let s = server_with(Some(TOKEN), None, true);
    post(&s.app, None, doc).await.assert_error(401);
    let r = post(&s.app, Some("Bearer not-the-token"), doc).await;
    r.assert_error(401);
    assert!(r.header("www-authenticate").starts_with("Bearer"));
    post(&s.app, Some(TOKEN), doc).await.assert_error(401); // no "Bearer " scheme
    let before = get(&s.app, "/api/events?q=Shymkent").await.json()["total"]
        .as_i64()
        .unwrap();
    assert_eq!(before, 0);
    // Another page of the same filter: its total comes from the totals cache from now on.
    let page2 = "/api/events?q=Shymkent&limit=1&offset=1";
    assert_eq!(get(&s.app, page2).await.json()["total"], 0);
    let r = post(&s.app, Some(&format!("Bearer {TOKEN}")), doc).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let out = r.json();
    assert_eq!(out["ingested"], 1);
    assert_eq!(out["skipped"], 0);
    assert!(out["events"].as_i64().unwrap() >= 1, "{out}");
    // Queryable at once (the cache was cleared by the write).
    let found = events_of(&get(&s.app, "/api/events?q=Shymkent").await);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["type"], "PROTEST");
    assert_eq!(
        get(&s.app, page2).await.json()["total"],
        1,
        "the write cleared the cached totals too"
    );
    // Again: nothing new. JSON Lines with a bad line: the good one goes in.
    let again = post(&s.app, Some(&format!("Bearer {TOKEN}")), doc)
        .await
        .json();
    assert_eq!(again["ingested"], 0);
    assert_eq!(again["skipped"], 1);
    let jsonl = format!(
        "{doc}\n{{\"title\": \"no text\"}}\n{}\n",
        r#"{"text": "اعتقلت الشرطة ناشطا في الإسكندرية يوم الخميس.", "date": "2022-04-07"}"#
    );
    let out = post(&s.app, Some(&format!("Bearer {TOKEN}")), jsonl)
        .await
        .json();
    assert_eq!(out["ingested"], 1, "{out}");
    assert_eq!(out["skipped"], 2, "{out}");
    assert!(
        out["errors"][0].as_str().unwrap().contains("line 2"),
        "{out}"
    );
    // Bodies that hold no document.
    let auth = format!("Bearer {TOKEN}");
    post(&s.app, Some(&auth), "").await.assert_error(400);
    post(&s.app, Some(&auth), "{\"text\": 5}")
        .await
        .assert_error(400);
    post(&s.app, Some(&auth), "[not json")
        .await
        .assert_error(400);
    // A GET on the write path is not a write.
    get(&s.app, "/api/documents").await.assert_error(405);
}

async fn ro_refuses(s: &Server, doc: &str) {
    let msg = post(&s.app, None, doc.to_string()).await.assert_error(403);
    assert!(msg.contains("--token"), "{msg}");
    post(&s.app, Some(&format!("Bearer {TOKEN}")), doc.to_string())
        .await
        .assert_error(403);
    assert_eq!(
        get(&s.app, "/healthz").await.json()["documents"],
        DOCS.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn huge_bodies_are_413() {
    let s = server_with(Some(TOKEN), None, false);
    let text = "Protesters marched again. ".repeat(9 * 1024 * 1024 / 26 + 1);
    let body = format!("{{\"text\": \"{text}\"}}");
    assert!(body.len() > 8 * 1024 * 1024);
    let r = post(&s.app, Some(&format!("Bearer {TOKEN}")), body.clone()).await;
    let msg = r.assert_error(413);
    assert!(msg.contains("8 MiB"), "{msg}");
    // Also when the client does not say how long the body is (streamed, no Content-Length).
    let chunks: Vec<Result<Bytes, std::io::Error>> = body
        .into_bytes()
        .chunks(1 << 20)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    let stream = Body::from_stream(futures_iter(chunks));
    post(&s.app, Some(&format!("Bearer {TOKEN}")), stream)
        .await
        .assert_error(413);
    // Refused before the body matters when the server is read-only.
    let ro = server_with(None, None, false);
    post(&ro.app, None, "x".repeat(9 << 20))
        .await
        .assert_error(403);
    // Compressed bodies are refused.
    post(
        &s.app,
        Some(&format!("Bearer {TOKEN}")),
        vec![0x1f_u8, 0x8b, 8, 0],
    )
    .await
    .assert_error(415);
}

/// A stream over ready items (no futures crate needed).
fn futures_iter(
    items: Vec<Result<Bytes, std::io::Error>>,
) -> impl futures_core::Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static {
    struct It(std::vec::IntoIter<Result<Bytes, std::io::Error>>);
    impl futures_core::Stream for It {
        type Item = Result<Bytes, std::io::Error>;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            std::task::Poll::Ready(self.0.next())
        }
    }
    It(items.into_iter())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_is_embedded_and_nothing_else_is_served() {
    let s = server();
    let index = get(&s.app, "/").await;
    assert_eq!(index.status, StatusCode::OK);
    assert!(index.header("content-type").starts_with("text/html"));
    assert!(index.text().contains("/assets/app.js"));
    let csp = index.header("content-security-policy");
    assert!(
        csp.contains("default-src 'self'") && !csp.contains("unsafe"),
        "{csp}"
    );
    assert_eq!(index.header("x-content-type-options"), "nosniff");
    for (file, ctype) in [
        ("app.js", "text/javascript"),
        ("style.css", "text/css"),
        ("countries.json", "application/json"),
        ("BASEMAP-LICENSE.txt", "text/plain"),
    ] {
        let r = get(&s.app, &format!("/assets/{file}")).await;
        assert_eq!(r.status, StatusCode::OK, "{file}");
        assert!(r.header("content-type").starts_with(ctype), "{file}");
        assert!(!r.body.is_empty());
    }
    for uri in [
        "/assets/../Cargo.toml",
        "/assets/%2e%2e/x",
        "/assets/%2e%2e%2fCargo.toml",
        "/assets/..%2f..%2fCargo.toml",
        "/assets/",
        "/assets/index.html",
        "/assets/APP.JS",
        "/assets/app.js/",
        "/assets//etc/passwd",
        "/../../etc/passwd",
        "/Cargo.toml",
        "/src/lib.rs",
    ] {
        let r = get(&s.app, uri).await;
        r.assert_error(404);
        assert!(!r.text().contains("[package]"), "{uri}");
    }
    // gzip when asked.
    let r = send(
        &s.app,
        Request::get("/assets/countries.json")
            .header(header::ACCEPT_ENCODING, "gzip")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.header("content-encoding"), "gzip");
    assert!(r.body.len() < 300_000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_is_off_unless_configured() {
    let preflight = || {
        Request::builder()
            .method(Method::OPTIONS)
            .uri("/api/events")
            .header(header::ORIGIN, "https://analyst.example")
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET")
            .body(Body::empty())
            .unwrap()
    };
    let with_origin = || {
        Request::get("/api/events")
            .header(header::ORIGIN, "https://analyst.example")
            .body(Body::empty())
            .unwrap()
    };
    let off = server_with(None, None, false);
    let r = send(&off.app, with_origin()).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
    let r = send(&off.app, preflight()).await;
    assert!(r.headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());

    let on = server_with(None, Some("https://analyst.example"), false);
    let r = send(&on.app, preflight()).await;
    assert!(r.status.is_success(), "{}", r.status);
    assert_eq!(
        r.header("access-control-allow-origin"),
        "https://analyst.example"
    );
    let r = send(&on.app, with_origin()).await;
    assert_eq!(
        r.header("access-control-allow-origin"),
        "https://analyst.example"
    );
    // Another origin gets no grant.
    let r = send(
        &on.app,
        Request::get("/api/events")
            .header(header::ORIGIN, "https://elsewhere.example")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(r.headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
}

/// The same router on a real socket: raw HTTP/1.1, so paths reach the server unnormalised.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_socket_on_loopback() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let s = server();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = s.app.clone();
    tokio::spawn(async move { axum::serve(listener, app).await });
    let raw = |path: &'static str| async move {
        let mut c = tokio::net::TcpStream::connect(addr).await.unwrap();
        c.write_all(
            format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
        .await
        .unwrap();
        let mut out = Vec::new();
        c.read_to_end(&mut out).await.unwrap();
        String::from_utf8_lossy(&out).into_owned()
    };
    let health = raw("/healthz").await;
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(health.contains("\"status\":\"ok\""), "{health}");
    let events = raw("/api/events?type=PROTEST&country=KZ").await;
    assert!(events.starts_with("HTTP/1.1 200"), "{events}");
    assert!(events.contains("\"n_documents\":2"), "{events}");
    for path in [
        "/assets/../Cargo.toml",
        "/assets/%2e%2e/x",
        "/assets/../../../etc/passwd",
    ] {
        let r = raw(path).await;
        assert!(r.starts_with("HTTP/1.1 404"), "{path}: {r}");
        assert!(!r.contains("[package]") && !r.contains("root:"), "{path}");
    }
    let js = raw("/assets/app.js").await;
    assert!(js
        .to_ascii_lowercase()
        .contains("content-type: text/javascript"));
}

/// Answers are cached for long, but an ingest by another process (here another connection)
/// drops them within the watch interval; `/healthz` counts hits and misses.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cached_answers_end_when_another_process_ingests() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("events.db").to_str().unwrap().to_string();
    let mut writer = Store::open(&db).unwrap();
    writer.ingest(&records()).unwrap();
    let opts = ServeOptions {
        db: db.clone(),
        pool: 2,
        cache_ttl: Duration::from_secs(600),
        ..ServeOptions::default()
    };
    let state = AppState::open(&opts).unwrap();
    let watcher = state.watch_store(Duration::from_millis(20));
    let app = router(state);
    let path = "/api/events?q=Shymkent";
    assert_eq!(get(&app, path).await.json()["total"], 0);
    assert_eq!(get(&app, path).await.json()["total"], 0);
    let health = get(&app, "/healthz").await.json();
    assert!(
        health["cache"]["answers"]["hits"].as_u64().unwrap() >= 1,
        "{health}"
    );
    assert!(
        health["cache"]["answers"]["misses"].as_u64().unwrap() >= 1,
        "{health}"
    );
    // Let the watcher read the generation once before the write.
    tokio::time::sleep(Duration::from_millis(60)).await;
    let mut d = Document::from_text(
        "shymkent",
        "Hundreds of teachers rallied in Shymkent on Monday over unpaid wages.",
    );
    d.published = PartialDate::parse("2022-02-02");
    let stored = tokio::task::spawn_blocking(move || writer.ingest(&[pipeline().process(d)]))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.documents, 1);
    let mut total = 0;
    for _ in 0..100 {
        total = get(&app, path).await.json()["total"].as_i64().unwrap();
        if total == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(total, 1, "the cached answer outlived the ingest");
    watcher.abort();
}
