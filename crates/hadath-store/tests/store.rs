//! The store suite, run against SQLite always and against PostgreSQL when
//! `HADATH_TEST_POSTGRES` names a server (`scripts/pg-test-server` starts one; CI sets it).
//! Every scenario uses documents written for these tests.

use hadath_extract::{Pipeline, PipelineOptions, Record};
use hadath_model::Document;
use hadath_store::{export, ExportFormat, Filter, Page, Store};
use std::sync::OnceLock;

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::new(PipelineOptions::default()).expect("embedded lexicons load"))
}

fn rec(id: &str, date: &str, source: &str, text: &str) -> Record {
    let mut doc = Document::from_text(id, text);
    doc.published = hadath_model::PartialDate::parse(date);
    doc.source = Some(source.to_string());
    pipeline().process(doc)
}

const ALMATY_A: &str =
    "Thousands of protesters marched in Almaty on Monday against a rise in fuel \
    prices, and police detained dozens of them near the city hall, witnesses said.";
const ALMATY_B: &str = "Police detained dozens of demonstrators in Almaty on Monday after \
    thousands of protesters marched through the city against higher fuel prices.";
const CAIRO: &str =
    "Hundreds of students protested in Cairo on Sunday, demanding lower tuition fees.";
const ALMATY_AR: &str = "تظاهر آلاف المحتجين في مدينة ألماتي يوم الاثنين احتجاجا على ارتفاع أسعار \
    الوقود، واعتقلت الشرطة العشرات منهم.";
const WIRE: &str = "Hundreds of dock workers went on strike in the port of Aktau on Tuesday, \
    demanding higher wages and safer cranes, and blocked the main gate for six hours while \
    managers met union leaders. The regional governor said talks would continue next week and \
    urged the strikers to return to work.";

fn corpus() -> Vec<Record> {
    vec![
        rec("a1", "2023-03-14", "Steppe Daily", ALMATY_A),
        rec("b1", "2023-03-14", "Caspian Wire", ALMATY_B),
        rec("c1", "2023-03-20", "Nile Post", CAIRO),
        rec("d1", "2023-03-15", "Al Sahra", ALMATY_AR),
    ]
}

/// A fresh store: a SQLite file, or a new PostgreSQL database.
enum Backend {
    Sqlite(tempfile::TempDir),
    Postgres(String),
}

impl Backend {
    fn url(&self) -> String {
        match self {
            Backend::Sqlite(dir) => dir.path().join("t.db").to_string_lossy().into_owned(),
            Backend::Postgres(u) => u.clone(),
        }
    }
}

fn backends(test: &str) -> Vec<Backend> {
    let mut out = vec![Backend::Sqlite(tempfile::tempdir().expect("temp dir"))];
    match std::env::var("HADATH_TEST_POSTGRES") {
        Ok(admin) if !admin.is_empty() => {
            let db = format!("hadath_{}_{}", test, std::process::id());
            let mut c = postgres::Client::connect(&admin, postgres::NoTls)
                .expect("HADATH_TEST_POSTGRES is set but the server does not answer");
            c.batch_execute(&format!("DROP DATABASE IF EXISTS {db}"))
                .expect("drop old test database");
            c.batch_execute(&format!("CREATE DATABASE {db}"))
                .expect("create test database");
            let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
            out.push(Backend::Postgres(format!("{base}/{db}")));
        }
        _ => eprintln!("{test}: PostgreSQL part skipped: set HADATH_TEST_POSTGRES (scripts/pg-test-server prints a URL)"),
    }
    out
}

#[test]
fn ingest_is_idempotent() {
    for b in backends("idem") {
        let mut s = Store::open(&b.url()).unwrap();
        let first = s.ingest(&corpus()).unwrap();
        assert_eq!(first.documents, 4);
        let c1 = s.counts().unwrap();
        let again = s.ingest(&corpus()).unwrap();
        assert_eq!((again.documents, again.skipped), (0, 4));
        assert_eq!(s.counts().unwrap(), c1);
        // The same text twice in one batch (under two ids) is stored once.
        let twice = vec![
            rec("t1", "2023-05-02", "Nile Post", WIRE),
            rec("t2", "2023-05-02", "Nile Post", WIRE),
        ];
        let stats = s.ingest(&twice).unwrap();
        assert_eq!((stats.documents, stats.skipped), (1, 1));
        let c1 = s.counts().unwrap();
        assert_eq!(c1.documents, 5);
        if let Backend::Postgres(url) = &b {
            // The writer gives ids itself and moves the tables' sequences past them, so a row
            // inserted by other means gets a free id.
            let mut c = postgres::Client::connect(url, postgres::NoTls).unwrap();
            for table in ["documents", "events"] {
                let row = c
                    .query_one(
                        &format!(
                            "SELECT (SELECT last_value FROM {table}_id_seq), \
                             (SELECT MAX(id) FROM {table})"
                        ),
                        &[],
                    )
                    .unwrap();
                let (next, max): (i64, i64) = (row.get(0), row.get(1));
                assert!(
                    next >= max && max > 0,
                    "{table}: sequence {next}, ids up to {max}"
                );
            }
        }
        drop(s);
        // Reopening runs no migration twice and keeps everything.
        let mut s = Store::open(&b.url()).unwrap();
        assert_eq!(s.counts().unwrap(), c1);
        assert_eq!(s.check().unwrap(), Vec::<String>::new());
    }
}

#[test]
fn one_event_told_by_two_documents_is_merged() {
    for b in backends("merge") {
        let mut s = Store::open(&b.url()).unwrap();
        s.ingest(&corpus()).unwrap();
        let (f, _) = Filter::from_pairs([("type", "PROTEST"), ("country", "KZ")]).unwrap();
        let page = s.events(&f, &Page::default()).unwrap();
        assert_eq!(page.total, 1, "{:#?}", page.events);
        let ev = &page.events[0];
        assert_eq!(ev.n_sources, 3, "English, English and Arabic reports");
        assert_eq!(ev.n_documents, 3);
        assert_eq!(ev.location.as_deref(), Some("Almaty"));
        assert_eq!(ev.lang, "ar,en");
        let detail = s.event(ev.id).unwrap().unwrap();
        assert_eq!(detail.mentions.len() as i64, ev.n_mentions);
        for m in &detail.mentions {
            assert!(m.highlights.iter().any(|h| h.kind == "trigger"), "{m:#?}");
            let chars: Vec<char> = m.sentence.text.chars().collect();
            for h in &m.highlights {
                assert!(h.end <= chars.len());
            }
        }
        // The Cairo protest stays its own event.
        let (f, _) = Filter::from_pairs([("type", "PROTEST"), ("country", "EG")]).unwrap();
        assert_eq!(s.events(&f, &Page::default()).unwrap().total, 1);
    }
}

#[test]
fn near_duplicates_form_one_cluster() {
    for b in backends("dups") {
        let mut s = Store::open(&b.url()).unwrap();
        let edited = WIRE
            .replace("Hundreds of", "Several hundred")
            .replace("next week", "on Friday");
        let batch = vec![
            rec("w1", "2023-04-04", "Caspian Wire", WIRE),
            rec("w2", "2023-04-04", "Caspian Wire", &edited),
        ];
        let stats = s.ingest(&batch).unwrap();
        assert_eq!((stats.documents, stats.near_duplicates), (2, 1));
        let c = s.counts().unwrap();
        assert_eq!((c.documents, c.clusters), (2, 1));
        let d1 = s.document(1).unwrap().unwrap();
        let d2 = s.document(2).unwrap().unwrap();
        assert_eq!(d1.cluster_id, d2.cluster_id);
        assert_eq!(d1.near_duplicates, vec![2]);
        // A copy of a story is not a second source.
        let page = s.events(&Filter::default(), &Page::default()).unwrap();
        for e in &page.events {
            assert_eq!(e.n_documents, 1, "{e:#?}");
            assert_eq!(e.n_sources, 1, "{e:#?}");
        }
    }
}

#[test]
fn filters_select_and_never_inject() {
    for b in backends("filters") {
        let mut s = Store::open(&b.url()).unwrap();
        s.ingest(&corpus()).unwrap();
        let total = s.counts().unwrap().events;
        let count = |s: &mut Store, pairs: &[(&str, &str)]| {
            let (f, p) = Filter::from_pairs(pairs.iter().copied()).unwrap();
            s.events(&f, &p).unwrap().total
        };
        assert_eq!(count(&mut s, &[]), total);
        assert_eq!(count(&mut s, &[("country", "EG")]), 2);
        assert_eq!(count(&mut s, &[("actor", "KAZ")]), total - 2);
        assert_eq!(count(&mut s, &[("sector", "EDU")]), 2);
        assert_eq!(
            count(&mut s, &[("near", "43.25,76.92"), ("radius_km", "30")]),
            total - 2
        );
        assert_eq!(
            count(&mut s, &[("near", "30.05,31.25"), ("radius_km", "30")]),
            2
        );
        assert_eq!(
            count(&mut s, &[("from", "2023-03-19"), ("to", "2023-03-31")]),
            2
        );
        assert_eq!(count(&mut s, &[("to", "2023-03-01")]), 0);
        assert_eq!(count(&mut s, &[("q", "tuition")]), 2);
        // Every trigram of this word is in the Cairo report ("students", "demanding"), the word
        // is not: a search matches words, not their trigrams.
        assert_eq!(count(&mut s, &[("q", "studemand")]), 0);
        assert_eq!(count(&mut s, &[("q", "students demanding")]), 2);
        // Arabic search finds a stem inside a word with clitics, across hamza forms.
        assert!(count(&mut s, &[("q", "أسعار المحتج")]) >= 1);
        assert_eq!(count(&mut s, &[("lang", "ar")]), total - 2);
        assert_eq!(count(&mut s, &[("source", "nile")]), 2);
        // Injection-shaped values are values: no effect, no error.
        for (k, v) in [
            ("q", "tuition' OR 1=1 --"),
            ("source", "x%' OR '1'='1"),
            ("admin1", "1; DROP TABLE events"),
            ("q", "\"tuition\" OR *"),
        ] {
            let (f, p) = Filter::from_pairs([(k, v)]).unwrap();
            let page = s.events(&f, &p).unwrap();
            assert!(page.total <= 2, "{k}={v} matched {}", page.total);
        }
        assert_eq!(s.counts().unwrap().events, total);
        // Paging and sorting.
        let (f, mut p) = Filter::from_pairs([("limit", "1"), ("sort", "date")]).unwrap();
        let first = s.events(&f, &p).unwrap();
        assert_eq!(first.events.len(), 1);
        p.offset = 1;
        let second = s.events(&f, &p).unwrap();
        assert!(first.events[0].date <= second.events[0].date);
        let stats = s.stats(&Filter::default()).unwrap();
        assert_eq!(stats.total, total);
        assert!(stats.by_day.iter().any(|d| d.day == "2023-03-13"));
    }
}

/// Every event (up to `limit`) exported in `format`: how many, and the bytes.
fn export_all(s: &mut Store, format: ExportFormat, limit: Option<usize>) -> (usize, Vec<u8>) {
    let mut out = Vec::new();
    let n = export(s, &Filter::default(), format, &mut out, limit).unwrap();
    (n, out)
}

#[test]
fn exports_write_every_event() {
    for b in backends("exports") {
        let mut s = Store::open(&b.url()).unwrap();
        s.ingest(&corpus()).unwrap();
        let total = s.counts().unwrap().events as usize;
        let (n, csv_out) = export_all(&mut s, ExportFormat::Csv, None);
        assert_eq!(n, total);
        let mut rdr = csv::Reader::from_reader(csv_out.as_slice());
        let headers = rdr.headers().unwrap().clone();
        assert_eq!(&headers[0], "event_id");
        assert_eq!(rdr.records().count(), total);
        let (_, geo) = export_all(&mut s, ExportFormat::Geojson, None);
        let v: serde_json::Value = serde_json::from_slice(&geo).unwrap();
        assert_eq!(v["type"], "FeatureCollection");
        assert_eq!(v["features"].as_array().unwrap().len(), total);
        let (_, jl) = export_all(&mut s, ExportFormat::Jsonl, Some(2));
        let lines: Vec<serde_json::Value> = jl
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .map(|l| serde_json::from_slice(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0]["mentions"][0]["evidence"]["trigger"]["start"].is_u64());
        // Every mention of every event carries its own evidence (read from its document's
        // record): of the event's type, in the mention's sentence.
        let (_, jl) = export_all(&mut s, ExportFormat::Jsonl, None);
        let mut mentions = 0;
        for line in jl.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
            let e: serde_json::Value = serde_json::from_slice(line).unwrap();
            for m in e["mentions"].as_array().unwrap() {
                let ev = &m["evidence"];
                assert_eq!(ev["type"], e["type"], "{m:#}");
                assert_eq!(ev["sentence"]["start"], m["sentence"]["start"], "{m:#}");
                assert_eq!(ev["sentence"]["end"], m["sentence"]["end"], "{m:#}");
                let (s0, s1) = (
                    m["sentence"]["start"].as_u64().unwrap(),
                    m["sentence"]["end"].as_u64().unwrap(),
                );
                let t0 = ev["trigger"]["start"].as_u64().unwrap();
                assert!(s0 <= t0 && t0 < s1, "{m:#}");
                let text: String = m["sentence"]["text"].as_str().unwrap().into();
                let trigger = ev["trigger"]["text"].as_str().unwrap();
                assert!(text.contains(trigger), "{trigger:?} in {text:?}");
                mentions += 1;
            }
        }
        assert_eq!(mentions, s.counts().unwrap().mentions);
    }
}

#[test]
fn concurrent_writers_store_each_document_once() {
    for b in backends("conc") {
        let url = b.url();
        let docs = corpus();
        let handles: Vec<_> = (0..3)
            .map(|_| {
                let url = url.clone();
                let docs = docs.clone();
                std::thread::spawn(move || {
                    let mut s = Store::open(&url).unwrap();
                    for d in &docs {
                        s.ingest(std::slice::from_ref(d)).unwrap();
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        let mut s = Store::open(&url).unwrap();
        let c = s.counts().unwrap();
        assert_eq!(c.documents, 4);
        let mut single = Store::open(
            &tempfile::tempdir()
                .unwrap()
                .path()
                .join("one.db")
                .to_string_lossy(),
        )
        .unwrap();
        single.ingest(&docs).unwrap();
        assert_eq!(c, single.counts().unwrap());
        assert_eq!(s.check().unwrap(), Vec::<String>::new());
    }
}

#[test]
fn claims_skip_stored_and_claimed_documents() {
    for b in backends("claims") {
        let mut s = Store::open(&b.url()).unwrap();
        let docs = corpus();
        s.ingest(&docs[..1]).unwrap();
        let hashes: Vec<String> = docs
            .iter()
            .map(|d| hadath_store::content_hash(d.text.as_deref().unwrap()))
            .collect();
        let mine = s.claim(&hashes).unwrap();
        assert_eq!(mine, hashes[1..].to_vec());
        if s.dialect() == hadath_store::Dialect::Postgres {
            // A second worker gets nothing that the first one claimed.
            let mut other = Store::open(&b.url()).unwrap();
            assert_ne!(other.url(), "");
            // Same process id, same host: make the second worker distinct.
            let theirs = other.claim_as(&hashes, "other-worker").unwrap();
            assert!(theirs.is_empty(), "{theirs:?}");
        }
    }
}

/// A month-precision event overlaps a range that starts after its first day; the bound that
/// lets the date index serve "day_end >= from" must not lose it. Sorted pages agree with the
/// total. Written for this test.
#[test]
fn ranges_find_events_that_started_before_them() {
    for b in backends("ranges") {
        let mut s = Store::open(&b.url()).unwrap();
        let mut docs = corpus();
        let mut month = rec(
            "m1",
            "2023-02",
            "Monthly Review",
            "Farmers blocked highways near Cairo in a protest over water quotas.",
        );
        month.anchor_date = Some("2023-02".to_string());
        docs.push(month);
        s.ingest(&docs).unwrap();
        let count = |s: &mut Store, pairs: &[(&str, &str)]| {
            let (f, p) = Filter::from_pairs(pairs.iter().copied()).unwrap();
            let page = s.events(&f, &p).unwrap();
            assert!(page.events.len() as i64 <= page.total);
            (page.total, page.events)
        };
        let (n, events) = count(&mut s, &[("from", "2023-02-20"), ("to", "2023-02-25")]);
        assert_eq!(n, events.len() as i64);
        assert!(
            n >= 1 && events.iter().all(|e| e.date.as_deref() == Some("2023-02")),
            "{events:?}"
        );
        // Every other event is in March: the two ranges split the store.
        let (march, _) = count(&mut s, &[("from", "2023-03-01"), ("to", "2023-03-31")]);
        let (feb, _) = count(&mut s, &[("from", "2023-02-01"), ("to", "2023-02-28")]);
        assert_eq!(march + feb, s.counts().unwrap().events);
    }
}

/// The actor-prefix filter is counted in two parts and, when it matches many events, paged
/// along the order's index: whichever way the store reads it, the answer is the one a plain
/// test of every event gives.
#[test]
fn actor_prefix_counts_and_pages_match_a_plain_test() {
    for b in backends("actorplan") {
        let mut s = Store::open(&b.url()).unwrap();
        s.ingest(&corpus()).unwrap();
        let (all, _) = Filter::from_pairs([("sort", "-date")]).unwrap();
        let everything = s
            .events(
                &all,
                &Page {
                    limit: 1000,
                    ..Page::default()
                },
            )
            .unwrap()
            .events;
        let mut prefixes: Vec<String> = vec!["K".into(), "ZZZ".into()];
        for e in &everything {
            for a in [&e.actor1, &e.actor2].into_iter().flatten() {
                prefixes.push(a.code.clone());
                prefixes.push(a.code.chars().take(3).collect());
            }
        }
        prefixes.sort();
        prefixes.dedup();
        assert!(
            prefixes.len() > 3,
            "the corpus has coded actors: {prefixes:?}"
        );
        for prefix in &prefixes {
            let expected: Vec<i64> = everything
                .iter()
                .filter(|e| {
                    [&e.actor1, &e.actor2]
                        .into_iter()
                        .flatten()
                        .any(|a| a.code.starts_with(prefix.as_str()))
                })
                .map(|e| e.id)
                .collect();
            for (limit, offset) in [(1000, 0), (1, 0), (2, 1)] {
                let (f, p) = Filter::from_pairs([
                    ("actor", prefix.as_str()),
                    ("sort", "-date"),
                    ("limit", &limit.to_string()),
                    ("offset", &offset.to_string()),
                ])
                .unwrap();
                let page = s.events(&f, &p).unwrap();
                assert_eq!(page.total as usize, expected.len(), "actor={prefix}");
                let ids: Vec<i64> = page.events.iter().map(|e| e.id).collect();
                let want: Vec<i64> = expected.iter().copied().skip(offset).take(limit).collect();
                assert_eq!(ids, want, "actor={prefix} limit={limit} offset={offset}");
            }
        }
    }
}

#[test]
fn generation_changes_only_when_an_ingest_stores_something() {
    for b in backends("generation") {
        let mut s = Store::open(&b.url()).unwrap();
        let g0 = s.generation().unwrap();
        s.ingest(&corpus()).unwrap();
        let g1 = s.generation().unwrap();
        assert_ne!(g0, g1);
        // The same documents again store nothing.
        s.ingest(&corpus()).unwrap();
        assert_eq!(s.generation().unwrap(), g1);
        // Another connection sees the change of this one.
        let mut other = Store::open(&b.url()).unwrap();
        assert_eq!(other.generation().unwrap(), g1);
        s.ingest(&[rec(
            "g1",
            "2023-05-01",
            "Nile Post",
            CAIRO.replace("Sunday", "Monday").as_str(),
        )])
        .unwrap();
        assert_ne!(other.generation().unwrap(), g1);
    }
}

/// Two connections writing in turn (as two processes would) cluster near-duplicates exactly as
/// one connection does: each sees the other's documents although it keeps a copy of what
/// near-duplicate search has read.
#[test]
fn writers_taking_turns_cluster_as_one_writer() {
    const FLOOD: &str = "Rescue teams evacuated more than two thousand residents from flooded \
        villages along the river near Atyrau on Wednesday, as regional officials opened schools \
        as shelters and asked volunteers to bring food, blankets and drinking water to the centres.";
    let edits = |base: &str| -> Vec<String> {
        vec![
            base.to_string(),
            format!("{base} Officials gave no figures."),
            base.replacen(" on ", " early on ", 1),
            base.replacen(',', ";", 1),
        ]
    };
    let mut texts = Vec::new();
    for (i, (a, b)) in edits(WIRE).into_iter().zip(edits(FLOOD)).enumerate() {
        texts.push((format!("w{i}"), a));
        texts.push((format!("f{i}"), b));
    }
    let records: Vec<Record> = texts
        .iter()
        .map(|(id, t)| rec(id, "2023-04-04", "Desk", t))
        .collect();
    for b in backends("turns") {
        // One writer, one batch per document.
        let one = tempfile::tempdir().unwrap();
        let mut single = Store::open(one.path().join("one.db").to_str().unwrap()).unwrap();
        for r in &records {
            single.ingest(std::slice::from_ref(r)).unwrap();
        }
        let mut s1 = Store::open(&b.url()).unwrap();
        let mut s2 = Store::open(&b.url()).unwrap();
        for (i, r) in records.iter().enumerate() {
            let s = if i % 2 == 0 { &mut s1 } else { &mut s2 };
            s.ingest(std::slice::from_ref(r)).unwrap();
        }
        let clusters = |s: &mut Store| -> Vec<i64> {
            (1..=records.len() as i64)
                .map(|id| s.document(id).unwrap().unwrap().cluster_id)
                .collect()
        };
        let want = clusters(&mut single);
        assert!(
            want.iter().collect::<std::collections::BTreeSet<_>>().len() == 2,
            "two stories, two clusters: {want:?}"
        );
        assert_eq!(clusters(&mut s1), want);
    }
}

/// Records prepared beforehand (on extraction threads) are stored exactly as plain records.
#[test]
fn prepared_records_are_stored_as_plain_ones() {
    let dir = tempfile::tempdir().unwrap();
    let mut plain = Store::open(dir.path().join("plain.db").to_str().unwrap()).unwrap();
    let mut prepared = Store::open(dir.path().join("prepared.db").to_str().unwrap()).unwrap();
    let a = plain.ingest(&corpus()).unwrap();
    let batch: Vec<hadath_store::Prepared> = corpus()
        .into_iter()
        .map(|r| hadath_store::Prepared::new(r).unwrap())
        .collect();
    assert_eq!(batch[0].hash(), hadath_store::content_hash(ALMATY_A));
    let b = prepared.ingest_prepared(&batch).unwrap();
    assert_eq!(a, b);
    let all = |s: &mut Store| {
        let mut page = s
            .events(
                &Filter::default(),
                &Page {
                    limit: 1000,
                    ..Page::default()
                },
            )
            .unwrap();
        page.events.sort_by_key(|e| e.id);
        page
    };
    assert_eq!(all(&mut plain), all(&mut prepared));
    for id in 1..=4 {
        let d1 = plain.document(id).unwrap().unwrap();
        let d2 = prepared.document(id).unwrap().unwrap();
        assert_eq!(
            (d1.cluster_id, &d1.record, &d1.text),
            (d2.cluster_id, &d2.record, &d2.text)
        );
    }
}

/// The document view returns the record as `hadath extract` wrote it (without its text), on
/// both backends (SQLite keeps it compressed).
#[test]
fn documents_return_their_record() {
    for b in backends("record") {
        let mut s = Store::open(&b.url()).unwrap();
        let records = corpus();
        s.ingest(&records).unwrap();
        for (id, r) in (1..).zip(&records) {
            let want: serde_json::Value =
                serde_json::from_str(&r.to_json_without_text().unwrap()).unwrap();
            let got = s.document(id).unwrap().unwrap();
            assert_eq!(got.record, want, "document {id}");
            assert!(!want["events"].as_array().unwrap().is_empty(), "{id}");
        }
    }
}

/// Counts of many events in one batch (more than one statement's worth) are written and
/// recomputed right: 150 protests on days five apart, then a second outlet's report of each.
#[test]
fn counts_of_many_events_in_one_batch() {
    let day = |i: usize| {
        let d = chrono_free_date(i * 5);
        (d, format!("report-{i}"))
    };
    let first: Vec<Record> = (0..150)
        .map(|i| {
            let (date, id) = day(i);
            rec(
                &format!("a-{id}"),
                &date,
                "Nile Post",
                &format!(
                    "About {} workers protested in Cairo, demanding higher wages.",
                    200 + i
                ),
            )
        })
        .collect();
    let second: Vec<Record> = (0..150)
        .map(|i| {
            let (date, id) = day(i);
            rec(
                &format!("b-{id}"),
                &date,
                "Delta Courier",
                &format!(
                    "Some {} factory workers staged a protest in Cairo over pay, witnesses said.",
                    200 + i
                ),
            )
        })
        .collect();
    for b in backends("many") {
        let mut s = Store::open(&b.url()).unwrap();
        s.ingest(&first).unwrap();
        s.ingest(&second).unwrap();
        assert_eq!(s.check().unwrap(), Vec::<String>::new());
        let (f, _) = Filter::from_pairs([("type", "PROTEST")]).unwrap();
        let page = s
            .events(
                &f,
                &Page {
                    limit: 1000,
                    ..Page::default()
                },
            )
            .unwrap();
        assert_eq!(page.total, 150, "one event per day");
        for e in &page.events {
            assert_eq!((e.n_mentions, e.n_sources), (2, 2), "{e:#?}");
        }
    }
}

/// 2023-01-01 plus `days`, as YYYY-MM-DD (no date library in the tests).
fn chrono_free_date(days: usize) -> String {
    let mut y = 2023;
    let mut left = days;
    loop {
        let len = if y % 4 == 0 { 366 } else { 365 };
        if left < len {
            break;
        }
        left -= len;
        y += 1;
    }
    let months = [
        31,
        if y % 4 == 0 { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let mut m = 0;
    while left >= months[m] {
        left -= months[m];
        m += 1;
    }
    format!("{y}-{:02}-{:02}", m + 1, left + 1)
}

/// A writer that keeps what it has read of the store between its batches sees what another
/// writer stored in between: a report merges into the event the other writer created.
#[test]
fn a_writer_sees_events_another_writer_stored() {
    const ASTANA_A: &str = "Thousands of protesters marched in Astana on Monday against a rise \
        in fuel prices, witnesses said.";
    const ASTANA_B: &str = "Several thousand demonstrators marched through Astana on Monday to \
        protest against higher fuel prices.";
    for b in backends("turns_merge") {
        let mut s1 = Store::open(&b.url()).unwrap();
        let mut s2 = Store::open(&b.url()).unwrap();
        // The first writer reads the day's protests (Almaty's), the second adds Astana's, then
        // the first stores another report of Astana's.
        s1.ingest(&[rec("a1", "2023-03-14", "Steppe Daily", ALMATY_A)])
            .unwrap();
        s2.ingest(&[rec("t1", "2023-03-14", "Caspian Wire", ASTANA_A)])
            .unwrap();
        let stats = s1
            .ingest(&[rec("t2", "2023-03-14", "Nile Post", ASTANA_B)])
            .unwrap();
        assert_eq!(stats.new_events, 0, "{stats:?}");
        let (f, _) = Filter::from_pairs([("type", "PROTEST")]).unwrap();
        let page = s1.events(&f, &Page::default()).unwrap();
        let astana: Vec<_> = page
            .events
            .iter()
            .filter(|e| e.location.as_deref() == Some("Astana"))
            .collect();
        assert_eq!(astana.len(), 1, "{:#?}", page.events);
        assert_eq!(astana[0].n_sources, 2, "{:#?}", astana[0]);
    }
}
