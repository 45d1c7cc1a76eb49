//! Writing a batch: documents (idempotent, clustered), events (merged across documents) and
//! mentions (the evidence).

use crate::copies::Copies;
use crate::db::{Conn, Dialect, Value};
use crate::groups::{Candidate, EventGroups, GroupKey, CANDIDATE_COLUMNS};
use crate::minhash::{self, Signature};
use crate::neardup::NearDups;
use crate::StoreError;
use hadath_extract::{ActorOut, EventOut, MentionOut, Record};
use hadath_model::{DatePrecision, PartialDate};
use sha2::{Digest, Sha256};
use std::collections::{BTreeSet, HashMap, HashSet};

/// When two events told by different documents are the same event.
#[derive(Debug, Clone, PartialEq)]
pub struct MergeOptions {
    /// Largest distance between their places, in km.
    pub radius_km: f64,
    /// Largest difference between their dates (day precision), in days: reports often date
    /// an event by the day they were written ("yesterday" resolved one day off).
    pub window_days: i64,
}

impl Default for MergeOptions {
    fn default() -> MergeOptions {
        MergeOptions {
            radius_km: 25.0,
            window_days: 2,
        }
    }
}

/// What one [`crate::Store::ingest`] call did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct BatchStats {
    /// Documents stored.
    pub documents: usize,
    /// Documents skipped because the same text is stored already.
    pub skipped: usize,
    /// Stored documents that joined an existing near-duplicate cluster.
    pub near_duplicates: usize,
    /// Events created.
    pub new_events: usize,
    /// Document events merged into an event told by another document.
    pub merged_events: usize,
    /// Mentions (evidence rows) stored.
    pub mentions: usize,
}

impl BatchStats {
    pub fn add(&mut self, o: &BatchStats) {
        self.documents += o.documents;
        self.skipped += o.skipped;
        self.near_duplicates += o.near_duplicates;
        self.new_events += o.new_events;
        self.merged_events += o.merged_events;
        self.mentions += o.mentions;
    }
}

/// The idempotency key of a document: SHA-256 of its text, in hex.
pub fn content_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut out = String::with_capacity(64);
    crate::minhash::push_hex(&mut out, &digest);
    out
}

fn record_text(rec: &Record) -> &str {
    rec.text.as_deref().unwrap_or("")
}

/// The per-event columns derived from a document's event.
#[derive(Debug, Clone)]
pub(crate) struct Facts {
    event_type: String,
    mode: Option<String>,
    context: String,
    confidence: f64,
    date: Option<String>,
    precision: Option<&'static str>,
    day_start: Option<i64>,
    day_end: Option<i64>,
    date_end: Option<String>,
    actor1: Option<Actor>,
    actor2: Option<Actor>,
    country: Option<String>,
    iso3: Option<String>,
    admin1: Option<String>,
    location: Option<String>,
    geonameid: Option<i64>,
    lat: Option<f64>,
    lon: Option<f64>,
    geo_precision: Option<String>,
    lang: String,
    summary: String,
}

#[derive(Debug, Clone)]
struct Actor {
    code: String,
    country: Option<String>,
    sector: Option<String>,
    text: String,
}

fn actor(a: &ActorOut) -> Actor {
    let code = format!(
        "{}{}",
        a.code.as_deref().unwrap_or(""),
        a.sector.unwrap_or("")
    );
    let country = a
        .code
        .as_deref()
        .filter(|c| c.len() == 3 && *c != "IGO")
        .map(str::to_string);
    Actor {
        code,
        country,
        sector: a.sector.map(str::to_string),
        text: a.text.clone(),
    }
}

/// First and last day a partial date covers, and its precision.
pub(crate) fn day_range(d: &PartialDate) -> (i64, i64, &'static str) {
    let start = d.to_days();
    match d.precision() {
        DatePrecision::Day => (start, start, "day"),
        DatePrecision::Month => {
            let m = d.month.unwrap_or(1);
            let next = if m == 12 {
                PartialDate::year(d.year + 1)
            } else {
                PartialDate::month(d.year, m + 1).unwrap_or(PartialDate::year(d.year + 1))
            };
            (start, next.to_days() - 1, "month")
        }
        DatePrecision::Year => {
            let end = PartialDate::day(d.year, 12, 31).map_or(start, |e| e.to_days());
            (start, end, "year")
        }
    }
}

/// The text of `[start, end)` code points of `text`.
pub(crate) fn slice_chars(text: &str, start: usize, end: usize) -> String {
    text.chars()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect()
}

fn sentence_lang(rec: &Record, start: usize) -> String {
    rec.segments
        .iter()
        .filter(|s| s.start <= start && start < s.end && s.lang != "und" && !s.lang.is_empty())
        .min_by_key(|s| s.end - s.start)
        .map(|s| s.lang.to_string())
        .unwrap_or_else(|| rec.lang.clone())
}

pub(crate) fn iso3_of(iso2: &str) -> Option<String> {
    countries().get(iso2).map(|c| c.0.clone())
}

pub(crate) fn country_name(iso2: &str) -> Option<String> {
    countries().get(iso2).map(|c| c.1.clone())
}

fn countries() -> &'static std::collections::HashMap<String, (String, String)> {
    static MAP: std::sync::OnceLock<std::collections::HashMap<String, (String, String)>> =
        std::sync::OnceLock::new();
    MAP.get_or_init(|| {
        hadath_recognise::Actors::embedded()
            .countries()
            .iter()
            .map(|c| (c.iso2.clone(), (c.iso3.clone(), c.name_en.clone())))
            .collect()
    })
}

pub(crate) fn facts(rec: &Record, ev: &EventOut) -> Facts {
    let date_value = ev
        .date
        .as_ref()
        .map(|d| d.value.clone())
        .or_else(|| rec.date.clone());
    let parsed = date_value.as_deref().and_then(PartialDate::parse);
    let (day_start, day_end, precision) = match &parsed {
        Some(d) => {
            let (s, e, p) = day_range(d);
            (Some(s), Some(e), Some(p))
        }
        None => (None, None, None),
    };
    let loc = ev.location.as_ref();
    let country = loc.and_then(|l| l.country.clone());
    let text = record_text(rec);
    let mut summary = slice_chars(text, ev.sentence.start, ev.sentence.end);
    if summary.chars().count() > 300 {
        summary = summary.chars().take(299).collect::<String>() + "…";
    }
    if summary.trim().is_empty() {
        summary = ev.trigger.text.clone();
    }
    Facts {
        event_type: ev.event_type.to_string(),
        mode: ev.mode.clone(),
        context: ev.context.join(";"),
        confidence: ev.confidence,
        date: parsed.map(|d| d.to_string()),
        precision,
        day_start,
        day_end,
        date_end: ev.date_end.as_ref().map(|d| d.value.clone()),
        actor1: ev.actors.first().map(actor),
        actor2: ev.recipients.first().map(actor),
        iso3: country.as_deref().and_then(iso3_of),
        country,
        admin1: loc.and_then(|l| l.admin1.clone()),
        location: loc.map(|l| l.name.clone()),
        geonameid: loc.map(|l| i64::from(l.geonameid)),
        lat: loc.map(|l| l.lat),
        lon: loc.map(|l| l.lon),
        geo_precision: loc.and_then(|l| l.precision.map(str::to_string)),
        lang: sentence_lang(rec, ev.sentence.start),
        summary,
    }
}

/// Great-circle distance in km.
pub(crate) fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * a.sqrt().min(1.0).asin()
}

fn codes_compatible(a: Option<&str>, b: Option<&str>) -> bool {
    match (a.filter(|s| !s.is_empty()), b.filter(|s| !s.is_empty())) {
        (Some(a), Some(b)) => a.starts_with(b) || b.starts_with(a),
        _ => true,
    }
}

/// How far apart two compatible events are (smaller is better); `None` if incompatible.
fn match_score(f: &Facts, c: &Candidate, opts: &MergeOptions) -> Option<f64> {
    let a1 = f.actor1.as_ref().map(|a| a.code.as_str());
    let a2 = f.actor2.as_ref().map(|a| a.code.as_str());
    if !codes_compatible(a1, c.actor1.as_deref()) || !codes_compatible(a2, c.actor2.as_deref()) {
        return None;
    }
    let days = match (f.day_start, c.day) {
        (Some(a), Some(b)) => (a - b).abs() as f64,
        _ => 0.0,
    };
    match (f.lat.zip(f.lon), c.lat.zip(c.lon)) {
        (Some((la, lo)), Some((lb, lob))) => {
            let d = haversine_km(la, lo, lb, lob);
            (d <= opts.radius_km).then_some(d + days * 10.0)
        }
        (None, None) => {
            // No place on either side: only the same country with a known actor on both
            // sides is evidence enough.
            let same_country = f.country.is_some() && f.country == c.country;
            let actors_known = a1.is_some_and(|a| !a.is_empty())
                && c.actor1.as_deref().is_some_and(|a| !a.is_empty());
            let both_unknown_country = f.country.is_none() && c.country.is_none();
            ((same_country || both_unknown_country) && actors_known)
                .then_some(opts.radius_km + days * 10.0)
        }
        _ => {
            let same_country = f.country.is_some() && f.country == c.country;
            same_country.then_some(opts.radius_km + days * 10.0)
        }
    }
}

/// The group of stored events a new event would belong to.
fn group_of(f: &Facts) -> GroupKey {
    GroupKey {
        event_type: f.event_type.clone(),
        day_start: f.day_start,
        day_end: f.day_end,
    }
}

/// The groups of stored events a new event can merge with: events of a day within the window
/// of its day, else events of the same day range (a month, a year), else undated events.
fn groups_near(f: &Facts, opts: &MergeOptions) -> Vec<GroupKey> {
    let key = |s: Option<i64>, e: Option<i64>| GroupKey {
        event_type: f.event_type.clone(),
        day_start: s,
        day_end: e,
    };
    match (f.precision, f.day_start) {
        (Some("day"), Some(day)) => (day - opts.window_days..=day + opts.window_days)
            .map(|d| key(Some(d), Some(d)))
            .collect(),
        (_, Some(start)) => vec![key(Some(start), f.day_end)],
        _ => vec![key(None, None)],
    }
}

/// The stored event a new mention joins, if any: the closest compatible one
/// ([`match_score`], ties to the lowest id) of the groups near it, from the copy of those
/// groups or, when one is too large to copy, from the store.
fn find_event(
    conn: &mut dyn Conn,
    f: &Facts,
    opts: &MergeOptions,
    exclude: &HashSet<i64>,
    groups: &mut EventGroups,
    held: &mut Held,
) -> Result<Option<i64>, StoreError> {
    let keys = groups_near(f, opts);
    // The best candidate's score and id.
    let pick = |candidates: &mut dyn Iterator<Item = &Candidate>| {
        let mut best: Option<(f64, i64)> = None;
        for c in candidates.filter(|c| !exclude.contains(&c.id)) {
            if let Some(score) = match_score(f, c, opts) {
                if best.is_none_or(|(s, id)| score < s || (score == s && c.id < id)) {
                    best = Some((score, c.id));
                }
            }
        }
        best
    };
    let best = match groups.candidates(conn, &keys)? {
        Some(copied) => pick(&mut copied.into_iter()),
        None => {
            // The store must see the events this batch has told so far.
            held.write_events(conn)?;
            pick(&mut stored_candidates(conn, f, opts)?.iter())
        }
    };
    Ok(best.map(|(_, id)| id))
}

/// The stored events a new one might merge with, asked of the store: at most 200, narrowed by
/// the index to its groups ([`groups_near`]) and to where its place can be (within the radius
/// of its place, a latitude band, or without a place; for an event without a place, in its
/// country).
fn stored_candidates(
    conn: &mut dyn Conn,
    f: &Facts,
    opts: &MergeOptions,
) -> Result<Vec<Candidate>, StoreError> {
    let cols = format!("SELECT {CANDIDATE_COLUMNS} FROM events");
    let (place_cond, place_params): (&str, Vec<Value>) = match (f.lat, f.lon) {
        (Some(lat), Some(_)) => {
            let d = opts.radius_km / 111.0;
            (
                " AND (lat IS NULL OR lat BETWEEN ? AND ?)",
                vec![Value::Real(lat - d), Value::Real(lat + d)],
            )
        }
        _ => match &f.country {
            Some(c) => (" AND country = ?", vec![c.as_str().into()]),
            None => (" AND country IS NULL", Vec::new()),
        },
    };
    let (sql, mut params) = match (f.precision, f.day_start) {
        (Some("day"), Some(day)) => (
            format!("{cols} WHERE event_type = ? AND day_start BETWEEN ? AND ? AND day_end = day_start{place_cond} LIMIT 200"),
            vec![
                f.event_type.as_str().into(),
                Value::Int(day - opts.window_days),
                Value::Int(day + opts.window_days),
            ],
        ),
        // A month or a year: the same date is the same day range (which the index serves).
        (_, Some(start)) => (
            format!("{cols} WHERE event_type = ? AND day_start = ? AND day_end = ?{place_cond} LIMIT 200"),
            vec![
                f.event_type.as_str().into(),
                Value::Int(start),
                f.day_end.into(),
            ],
        ),
        _ => (
            format!("{cols} WHERE event_type = ? AND day_start IS NULL{place_cond} LIMIT 200"),
            vec![f.event_type.as_str().into()],
        ),
    };
    params.extend(place_params);
    Ok(conn
        .rows(&sql, &params)?
        .iter()
        .map(|r| Candidate::from_row(r))
        .collect())
}

/// The columns of an event row as [`event_row`] gives them.
const EVENT_COLUMNS: &str = "id, event_type, mode, context, confidence, date, date_precision, \
    day_start, day_end, date_end, actor1_code, actor1_country, actor1_sector, actor1_text, \
    actor2_code, actor2_country, actor2_sector, actor2_text, country, iso3, admin1, location, \
    geonameid, lat, lon, geo_precision, n_mentions, n_documents, n_sources, first_reported, \
    last_reported, fatalities, sources, lang, summary";

/// The row of an event first told in this batch, with its counts when they are known (else
/// none yet: they are written with the other events' counts at the end of the batch).
fn event_row(id: i64, f: &Facts, counts: Option<Counts>) -> Vec<Value> {
    let a1 = f.actor1.as_ref();
    let a2 = f.actor2.as_ref();
    let (confidence, lang, counts) = match counts {
        Some(c) => (c.confidence, c.langs, c.counts),
        None => (
            f.confidence,
            f.lang.clone(),
            [
                Value::Int(0),
                Value::Int(0),
                Value::Int(0),
                Value::Null,
                Value::Null,
                Value::Null,
                Value::Text(String::new()),
            ],
        ),
    };
    let mut row = vec![
        Value::Int(id),
        f.event_type.as_str().into(),
        f.mode.clone().into(),
        f.context.as_str().into(),
        confidence.into(),
        f.date.clone().into(),
        f.precision.into(),
        f.day_start.into(),
        f.day_end.into(),
        f.date_end.clone().into(),
        a1.map(|a| a.code.clone()).into(),
        a1.and_then(|a| a.country.clone()).into(),
        a1.and_then(|a| a.sector.clone()).into(),
        a1.map(|a| a.text.clone()).into(),
        a2.map(|a| a.code.clone()).into(),
        a2.and_then(|a| a.country.clone()).into(),
        a2.and_then(|a| a.sector.clone()).into(),
        a2.map(|a| a.text.clone()).into(),
    ];
    row.extend([
        f.country.clone().into(),
        f.iso3.clone().into(),
        f.admin1.clone().into(),
        f.location.clone().into(),
        f.geonameid.into(),
        f.lat.into(),
        f.lon.into(),
        f.geo_precision.clone().into(),
    ]);
    row.extend(counts);
    row.push(Value::Text(lang));
    row.push(f.summary.as_str().into());
    row
}

/// The first id after the highest of `table` (the writer holds the store's write lock: nobody
/// else takes one before its batch ends).
pub(crate) fn next_id(conn: &mut dyn Conn, table: &str) -> Result<i64, StoreError> {
    crate::query::scalar(
        conn,
        &format!("SELECT COALESCE(MAX(id), 0) + 1 FROM {table}"),
    )
}

fn mention_source(rec: &Record, m: &MentionOut) -> Option<String> {
    if m.reported_by.is_empty() {
        rec.source.clone()
    } else {
        Some(
            m.reported_by
                .iter()
                .map(|r| r.text.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        )
    }
}

/// The mentions of a document event; an event without mention list is its own mention.
fn mentions_of(ev: &EventOut) -> std::borrow::Cow<'_, [MentionOut]> {
    if ev.mentions.is_empty() {
        std::borrow::Cow::Owned(vec![MentionOut {
            confidence: ev.confidence,
            trigger: ev.trigger.clone(),
            sentence: ev.sentence,
            actors: ev.actors.clone(),
            recipients: ev.recipients.clone(),
            location: ev.location.clone(),
            date: ev.date.clone(),
            date_end: ev.date_end.clone(),
            quantities: ev.quantities.clone(),
            reported_by: ev.reported_by.clone(),
        }])
    } else {
        std::borrow::Cow::Borrowed(&ev.mentions)
    }
}

/// What the store computes from a record before writing it, apart from the write: its content
/// hash, MinHash signature, compressed JSON without text, search text, and the columns of each
/// event and mention. [`crate::Prepared`] computes it where the record is made (in parallel);
/// a plain [`crate::Store::ingest`] computes it as it writes. The one thread that writes is
/// left with the lookups and the writes.
pub(crate) struct Derived {
    /// The document's own columns, copied out of the record so that the record can be dropped
    /// where it was made (freeing its many small allocations there costs less than in the
    /// writer, and the writer is the one thread everything waits for).
    doc: DocumentFields,
    hash: String,
    signature: Signature,
    /// The record's JSON without its text, compressed ([`compress_record`]).
    record: Vec<u8>,
    search: String,
    /// What SQLite's search index holds of it ([`crate::search::grams`]).
    search_grams: String,
    /// Per event of the record (`None` for a negated one, which is not stored).
    events: Vec<Option<PreparedEvent>>,
}

/// The columns of a document row that come from its record.
struct DocumentFields {
    id: String,
    url: Option<String>,
    title: Option<String>,
    source: Option<String>,
    lang: String,
    date: Option<String>,
    format: String,
    text: String,
    /// Events of the record, negated ones among them (`documents.n_events`).
    n_events: usize,
}

/// An event's columns, and those of each of its mentions ([`mentions_of`]).
struct PreparedEvent {
    facts: Facts,
    mentions: Vec<PreparedMention>,
}

/// The columns of a mention that come from its record (the rest: its event and document).
struct PreparedMention {
    confidence: f64,
    lang: String,
    source: Option<String>,
    date: Option<String>,
    fatalities: Option<i64>,
    sentence_start: i64,
    sentence_end: i64,
}

impl PreparedMention {
    fn of(rec: &Record, m: &MentionOut) -> PreparedMention {
        let fatalities = hadath_extract::QuantityOut::killed(&m.quantities);
        PreparedMention {
            confidence: m.confidence,
            lang: sentence_lang(rec, m.sentence.start),
            source: mention_source(rec, m),
            date: m
                .date
                .as_ref()
                .map(|d| d.value.clone())
                .or_else(|| rec.date.clone()),
            fatalities: (fatalities > 0).then_some(fatalities as i64),
            sentence_start: m.sentence.start as i64,
            sentence_end: m.sentence.end as i64,
        }
    }
}

impl Derived {
    pub(crate) fn of(rec: &Record) -> Result<Derived, StoreError> {
        let text = record_text(rec);
        let events = rec
            .events
            .iter()
            .map(|ev| {
                (!ev.negated).then(|| PreparedEvent {
                    facts: facts(rec, ev),
                    mentions: mentions_of(ev)
                        .iter()
                        .map(|m| PreparedMention::of(rec, m))
                        .collect(),
                })
            })
            .collect();
        // One normalisation for both the signature and the search text.
        let search = crate::search::key(text);
        Ok(Derived {
            doc: DocumentFields {
                id: rec.id.clone(),
                url: rec.url.clone(),
                title: rec.title.clone(),
                source: rec.source.clone(),
                lang: rec.lang.clone(),
                date: rec.date.clone(),
                format: rec.format.clone(),
                text: text.to_string(),
                n_events: rec.events.len(),
            },
            hash: content_hash(text),
            signature: Signature::of_normalized(&search),
            record: compress_record(&rec.to_json_without_text()?)?,
            search_grams: crate::search::grams(&search),
            search,
            events,
        })
    }

    pub(crate) fn hash(&self) -> &str {
        &self.hash
    }
}

/// zstd level of the stored record JSON: level 1 already shrinks it about eightfold (records
/// repeat key names and every mention's actors and place) at several hundred MB/s.
const RECORD_ZSTD_LEVEL: i32 = 1;

/// The `documents.record` value: zstd-compressed JSON. The record is most of a document row
/// (ten times its text, for the evidence of every mention), and every byte written to SQLite
/// is written twice (write-ahead log, then the database).
fn compress_record(json: &str) -> Result<Vec<u8>, StoreError> {
    // One compression context per thread: making one allocates and clears about a megabyte,
    // more than compressing a record takes.
    thread_local! {
        static COMPRESSOR: std::cell::RefCell<Option<zstd::bulk::Compressor<'static>>> =
            const { std::cell::RefCell::new(None) };
    }
    let err =
        |e: std::io::Error| StoreError::Inconsistent(format!("cannot compress a record: {e}"));
    COMPRESSOR.with(|c| {
        let mut c = c.borrow_mut();
        let c = match &mut *c {
            Some(c) => c,
            empty => empty.insert(zstd::bulk::Compressor::new(RECORD_ZSTD_LEVEL).map_err(err)?),
        };
        c.compress(json.as_bytes()).map_err(err)
    })
}

/// The record JSON of a `documents.record` value: compressed (SQLite stores since schema
/// version 4) or plain text (PostgreSQL, and rows written before).
pub(crate) fn record_json(v: &Value) -> Result<Option<String>, StoreError> {
    Ok(match v {
        Value::Text(s) => Some(s.clone()),
        Value::Blob(b) => {
            let bytes = decompress_record(b).map_err(|e| {
                StoreError::Inconsistent(format!("a stored record does not decompress: {e}"))
            })?;
            Some(String::from_utf8(bytes).map_err(|e| {
                StoreError::Inconsistent(format!("a stored record is not UTF-8: {e}"))
            })?)
        }
        _ => None,
    })
}

/// The evidence of mention `sub` of an event of a stored record (its JSON): the mention
/// (an event without mention list is its own mention, as [`mentions_of`] makes it) with its
/// event's type and mode. The record holds every mention in full, so the store keeps no
/// second copy per mention row.
pub(crate) fn evidence_of(ev: &serde_json::Value, sub: usize) -> Option<serde_json::Value> {
    let listed = ev.get("mentions").and_then(|m| m.as_array());
    let mut out = match listed.filter(|m| !m.is_empty()) {
        Some(mentions) => mentions.get(sub)?.as_object()?.clone(),
        None if sub == 0 => MENTION_FIELDS
            .iter()
            .map(|&k| (k.to_string(), ev.get(k).cloned().unwrap_or_default()))
            .collect(),
        None => return None,
    };
    out.insert("type".into(), ev.get("type").cloned().unwrap_or_default());
    out.insert("mode".into(), ev.get("mode").cloned().unwrap_or_default());
    Some(serde_json::Value::Object(out))
}

/// The fields of [`MentionOut`], in its order: what an event without mention list gives as its
/// own mention.
const MENTION_FIELDS: [&str; 10] = [
    "confidence",
    "trigger",
    "sentence",
    "actors",
    "recipients",
    "location",
    "date",
    "date_end",
    "quantities",
    "reported_by",
];

/// Decompresses a stored record with one context per thread (making one costs more than a
/// record takes to decompress; an export decompresses thousands).
fn decompress_record(b: &[u8]) -> std::io::Result<Vec<u8>> {
    thread_local! {
        static DECOMPRESSOR: std::cell::RefCell<Option<zstd::bulk::Decompressor<'static>>> =
            const { std::cell::RefCell::new(None) };
    }
    // `compress_record` writes the size into the frame; a frame without one is streamed.
    let Ok(Some(size)) = zstd::zstd_safe::get_frame_content_size(b) else {
        return zstd::stream::decode_all(b);
    };
    let size = usize::try_from(size)
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "record too large"))?;
    DECOMPRESSOR.with(|d| {
        let mut d = d.borrow_mut();
        let d = match &mut *d {
            Some(d) => d,
            empty => empty.insert(zstd::bulk::Decompressor::new()?),
        };
        d.decompress(b, size)
    })
}

/// A mention's row for `mentions` (in [`MENTION_COLUMNS`] order).
fn mention_row(
    event_id: i64,
    doc: &StoredDocument,
    ordinal: usize,
    sub: usize,
    m: &PreparedMention,
    document_source: Option<&str>,
) -> Vec<Value> {
    vec![
        Value::Int(event_id),
        Value::Int(doc.id),
        Value::Int(ordinal as i64),
        Value::Int(sub as i64),
        m.confidence.into(),
        m.lang.as_str().into(),
        m.source.clone().into(),
        m.date.clone().into(),
        m.fatalities.into(),
        Value::Int(m.sentence_start),
        Value::Int(m.sentence_end),
        Value::Int(doc.cluster),
        document_source.into(),
        doc.reported.as_str().into(),
    ]
}

/// The columns of a stored document that its mentions carry (migration 004): what an event's
/// counts take from the documents that tell it.
struct StoredDocument {
    id: i64,
    cluster: i64,
    /// The document's date, else the day it was ingested.
    reported: String,
}

const MENTION_COLUMNS: &str = "event_id, document_id, ordinal, sub, confidence, lang, source, \
    date, fatalities, sentence_start, sentence_end, cluster_id, document_source, reported";
/// Most parameters in one INSERT: many rows per statement (each statement is a round trip on
/// PostgreSQL), far below either database's limit.
const PARAMS_PER_INSERT: usize = 1024;
/// Most rows in one INSERT.
const ROWS_PER_INSERT: usize = 256;

/// Rows per PostgreSQL statement for `left` rows of `width` columns: a power of two, so that a
/// table's inserts come in a few statement shapes that stay prepared.
fn insert_chunk(left: usize, width: usize) -> usize {
    let most = (PARAMS_PER_INSERT / width.max(1)).clamp(1, ROWS_PER_INSERT);
    let n = left.min(most).max(1);
    1 << n.ilog2()
}

/// Inserts rows of `columns` into `table`: several per statement on PostgreSQL, where each
/// statement is a round trip; one per statement on SQLite, where a prepared statement costs
/// none. A SQLite statement that inserts several rows into a table with foreign keys or given
/// ids keeps a statement journal (a copy of each page it changes, to undo it alone should a
/// later row fail): that copying was a tenth of the writer's time.
fn insert_rows(
    conn: &mut dyn Conn,
    table: &str,
    columns: &str,
    rows: Vec<Vec<Value>>,
    suffix: &str,
) -> Result<(), StoreError> {
    let width = rows.first().map_or(0, Vec::len);
    let tuple = format!("({})", vec!["?"; width].join(", "));
    if conn.dialect() == Dialect::Sqlite {
        let sql = format!("INSERT INTO {table} ({columns}) VALUES {tuple}{suffix}");
        for row in rows {
            conn.exec(&sql, &row)?;
        }
        return Ok(());
    }
    let mut left = rows.len();
    let mut rows = rows.into_iter();
    while left > 0 {
        let n = insert_chunk(left, width);
        left -= n;
        let params: Vec<Value> = rows.by_ref().take(n).flatten().collect();
        let values = vec![tuple.as_str(); n].join(", ");
        conn.exec(
            &format!("INSERT INTO {table} ({columns}) VALUES {values}{suffix}"),
            &params,
        )?;
    }
    Ok(())
}

/// What an event's row says about its mentions: counts, sources, languages, first and last
/// report. Built from the stored mentions ([`stored_counts`]) or, for an event first told in the
/// batch being written, from its mentions as they are written (the same values).
#[derive(Default, Clone)]
struct Aggregate {
    mentions: i64,
    confidence: f64,
    langs: BTreeSet<String>,
    sources: BTreeSet<String>,
    clusters: BTreeSet<i64>,
    outlets: BTreeSet<String>,
    fatalities: Option<i64>,
    first: Option<String>,
    last: Option<String>,
}

/// One mention as [`Aggregate`] counts it, with its document's columns.
struct MentionFacts<'a> {
    confidence: f64,
    lang: Option<&'a str>,
    source: Option<&'a str>,
    fatalities: Option<i64>,
    cluster: i64,
    document_source: Option<&'a str>,
    /// The document's date, else the day it was ingested.
    reported: Option<String>,
}

impl Aggregate {
    fn add(&mut self, m: MentionFacts) {
        self.mentions += 1;
        self.confidence = self.confidence.max(m.confidence);
        if let Some(l) = m.lang {
            self.langs.insert(l.to_string());
        }
        if let Some(s) = m.source {
            self.sources.insert(s.to_string());
        }
        if let Some(f) = m.fatalities {
            self.fatalities = Some(self.fatalities.map_or(f, |x| x.max(f)));
        }
        self.clusters.insert(m.cluster);
        self.outlets.insert(match m.document_source {
            Some(s) if !s.trim().is_empty() => format!("s:{}", s.trim().to_lowercase()),
            _ => format!("c:{}", m.cluster),
        });
        if let Some(d) = m.reported {
            if self.first.as_ref().is_none_or(|f| d < *f) {
                self.first = Some(d.clone());
            }
            if self.last.as_ref().is_none_or(|l| d > *l) {
                self.last = Some(d);
            }
        }
    }

    /// Values held in its sets, plus one: what [`EventCounts`] counts against its limit.
    fn size(&self) -> usize {
        1 + self.langs.len() + self.sources.len() + self.clusters.len() + self.outlets.len()
    }

    /// The event row's values for these mentions.
    fn finish(&self, id: i64) -> Counts {
        let sources: Vec<String> = self.sources.iter().take(20).cloned().collect();
        Counts {
            id,
            counts: [
                Value::Int(self.mentions),
                Value::Int(self.clusters.len() as i64),
                Value::Int(self.outlets.len() as i64),
                self.first.clone().into(),
                self.last.clone().into(),
                self.fatalities.into(),
                sources.join("; ").into(),
            ],
            confidence: self.confidence,
            langs: self
                .langs
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(","),
        }
    }
}

/// What [`Aggregate`] sets in an event's row.
struct Counts {
    id: i64,
    /// In the order of [`COUNT_COLUMNS`].
    counts: [Value; 7],
    confidence: f64,
    langs: String,
}

const COUNT_COLUMNS: [&str; 7] = [
    "n_mentions",
    "n_documents",
    "n_sources",
    "first_reported",
    "last_reported",
    "fatalities",
    "sources",
];
/// PostgreSQL types of [`COUNT_COLUMNS`], for the typed VALUES list of a multi-row update.
const COUNT_TYPES: [&str; 7] = [
    "bigint", "bigint", "bigint", "text", "text", "bigint", "text",
];

/// Events per statement when counts are read or written for many events at once.
const EVENTS_PER_STATEMENT: usize = 64;

/// Writes the counts of events into their rows.
fn write_counts(conn: &mut dyn Conn, all: Vec<Counts>) -> Result<(), StoreError> {
    match conn.dialect() {
        // Confidence and languages are in four of the event indexes, which a SQLite UPDATE
        // that sets them rewrites even with the same values: set them only when they change
        // (a new mention rarely changes either).
        Dialect::Sqlite => {
            let set = COUNT_COLUMNS.map(|c| format!("{c} = ?")).join(", ");
            let counts_sql = format!("UPDATE events SET {set} WHERE id = ?");
            for c in all {
                let mut params = c.counts.to_vec();
                params.push(Value::Int(c.id));
                conn.exec(&counts_sql, &params)?;
                conn.exec(
                    "UPDATE events SET confidence = ?, lang = ? WHERE id = ? \
                     AND (confidence <> ? OR lang <> ?)",
                    &[
                        c.confidence.into(),
                        c.langs.as_str().into(),
                        Value::Int(c.id),
                        c.confidence.into(),
                        c.langs.into(),
                    ],
                )?;
            }
        }
        // PostgreSQL compares old and new values itself (an update that leaves the indexed
        // columns alone touches no index), and each statement is a network round trip: many
        // events per statement, from a typed VALUES list.
        Dialect::Postgres => {
            let mut all = all.into_iter().peekable();
            let tuple = format!(
                "(?::bigint, {}, ?::float8, ?::text)",
                COUNT_TYPES.map(|t| format!("?::{t}")).join(", ")
            );
            let set = COUNT_COLUMNS.map(|c| format!("{c} = v.{c}")).join(", ");
            while all.peek().is_some() {
                let chunk: Vec<Counts> = all.by_ref().take(EVENTS_PER_STATEMENT).collect();
                let values = vec![tuple.as_str(); chunk.len()].join(", ");
                let mut params = Vec::with_capacity(chunk.len() * 10);
                for c in chunk {
                    params.push(Value::Int(c.id));
                    params.extend(c.counts);
                    params.push(c.confidence.into());
                    params.push(c.langs.into());
                }
                conn.exec(
                    &format!(
                        "UPDATE events AS e SET {set}, confidence = v.confidence, lang = v.lang \
                         FROM (VALUES {values}) AS v(id, {}, confidence, lang) WHERE e.id = v.id",
                        COUNT_COLUMNS.join(", ")
                    ),
                    &params,
                )?;
            }
        }
    }
    Ok(())
}

/// An event's id and what its mentions add up to.
type Counted = (i64, Aggregate);

/// Set members held by an [`EventCounts`] copy before it is dropped and rebuilt, between
/// batches (a few tens of MB).
const MAX_COUNT_ENTRIES: usize = 1_000_000;

/// An in-process copy of the [`Aggregate`] of each event a batch has counted, valid for one
/// store generation like the other copies ([`Copies`]). A batch that tells an event of an
/// earlier batch again adds its new mentions to the copy, where it would read every stored
/// mention of the event again: for a story told thousands of times, thousands of rows per
/// batch. An event the copy lacks is counted from the store, and kept.
#[derive(Default)]
pub(crate) struct EventCounts {
    aggs: HashMap<i64, Aggregate>,
    /// [`Aggregate::size`] of all of them.
    entries: usize,
}

impl EventCounts {
    pub(crate) fn clear(&mut self) {
        self.aggs.clear();
        self.entries = 0;
    }

    /// Keeps memory bounded: starts over past [`MAX_COUNT_ENTRIES`]. Only between batches.
    pub(crate) fn trim(&mut self) {
        if self.entries > MAX_COUNT_ENTRIES {
            self.clear();
        }
    }

    #[cfg(test)]
    pub(crate) fn is_empty(&self) -> bool {
        self.aggs.is_empty()
    }

    /// Takes an event's aggregate out, to be [`EventCounts::set`] back when its batch is
    /// written (a batch that fails empties the copies: see `Copies`).
    fn take(&mut self, id: i64) -> Option<Aggregate> {
        let agg = self.aggs.remove(&id)?;
        self.entries -= agg.size();
        Some(agg)
    }

    fn set(&mut self, id: i64, agg: Aggregate) {
        self.entries += agg.size();
        if let Some(old) = self.aggs.insert(id, agg) {
            self.entries -= old.size();
        }
    }
}

/// Recomputes the counts of events from every stored mention.
#[cfg(test)]
fn stored_counts(conn: &mut dyn Conn, ids: &[i64]) -> Result<Vec<Counts>, StoreError> {
    Ok(stored_aggregates(conn, ids)?
        .iter()
        .map(|(id, a)| a.finish(*id))
        .collect())
}

/// Adds up the stored mentions of events: one query per [`EVENTS_PER_STATEMENT`] events, each
/// event a range of the `mentions_event` index, which carries the columns read.
fn stored_aggregates(conn: &mut dyn Conn, ids: &[i64]) -> Result<Vec<Counted>, StoreError> {
    let mut aggs: HashMap<i64, Aggregate> = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(EVENTS_PER_STATEMENT) {
        let marks = vec!["?"; chunk.len()].join(", ");
        let params: Vec<Value> = chunk.iter().map(|&id| Value::Int(id)).collect();
        let rows = conn.rows(
            &format!(
                "SELECT event_id, confidence, lang, source, fatalities, cluster_id, \
                 document_source, reported FROM mentions WHERE event_id IN ({marks})"
            ),
            &params,
        )?;
        for r in &rows {
            aggs.entry(r[0].int().unwrap_or(0))
                .or_default()
                .add(MentionFacts {
                    confidence: r[1].real().unwrap_or(0.0),
                    lang: r[2].text(),
                    source: r[3].text(),
                    fatalities: r[4].int(),
                    cluster: r[5].int().unwrap_or(0),
                    document_source: r[6].text(),
                    reported: r[7].string(),
                });
        }
    }
    Ok(ids
        .iter()
        .map(|&id| (id, aggs.remove(&id).unwrap_or_default()))
        .collect())
}

/// Recomputes one event's counts from every stored mention.
#[cfg(test)]
pub(crate) fn refresh(conn: &mut dyn Conn, id: i64) -> Result<(), StoreError> {
    let counts = stored_counts(conn, &[id])?;
    write_counts(conn, counts)
}

fn find_cluster(
    conn: &mut dyn Conn,
    sig: &Signature,
    near: &mut NearDups,
) -> Result<Option<i64>, StoreError> {
    // The documents sharing the most LSH bands with this one, then the most similar of them.
    let mut best: Option<(f64, i64)> = None;
    for (other, cluster) in near.candidates(conn, sig)? {
        let sim = sig.similarity(&other);
        if sim >= minhash::MIN_JACCARD
            && best.is_none_or(|(bs, bc)| sim > bs || (sim == bs && cluster < bc))
        {
            best = Some((sim, cluster));
        }
    }
    Ok(best.map(|b| b.1))
}

/// Which of these content hashes the store holds.
fn stored_hashes<'a>(
    conn: &mut dyn Conn,
    hashes: impl Iterator<Item = &'a str>,
) -> Result<HashSet<String>, StoreError> {
    let hashes: Vec<&str> = hashes.collect();
    let mut stored = HashSet::new();
    for chunk in hashes.chunks(500) {
        let marks = vec!["?"; chunk.len()].join(", ");
        let params: Vec<Value> = chunk.iter().map(|&h| h.into()).collect();
        stored.extend(
            conn.rows(
                &format!("SELECT content_hash FROM documents WHERE content_hash IN ({marks})"),
                &params,
            )?
            .into_iter()
            .filter_map(|r| r.first().and_then(Value::string)),
        );
    }
    Ok(stored)
}

/// The rows of a batch held back and written together at its end, under ids the writer gives
/// them (it holds the store's write lock, so nobody else takes an id before the batch ends):
/// many rows per statement, no id read back, each new event written once with its counts.
///
/// What the batch reads while it runs must not miss a held row. The copies ([`Copies`]) hold
/// every document and event the batch adds: a document's bands and an event's own group are
/// read into them before it is added, and they are not emptied during a batch. Only a lookup
/// in a group too large to copy asks the store, and [`Held::write_events`] writes the events
/// held so far first.
struct Held<'a> {
    next_document: i64,
    documents: Vec<Vec<Value>>,
    bands: Vec<Vec<Value>>,
    /// The id of `events[0]`; the others follow.
    first_event: i64,
    events: Vec<NewEvent<'a>>,
}

/// An event first told in the batch.
struct NewEvent<'a> {
    facts: &'a Facts,
    /// Its mentions, as they are written.
    agg: Aggregate,
    /// Written before the end of the batch (for a lookup that asked the store): its counts
    /// are then written as an update, with those of earlier events.
    written: bool,
}

impl<'a> Held<'a> {
    fn new(conn: &mut dyn Conn) -> Result<Held<'a>, StoreError> {
        Ok(Held {
            next_document: next_id(conn, "documents")?,
            documents: Vec::new(),
            bands: Vec::new(),
            first_event: next_id(conn, "events")?,
            events: Vec::new(),
        })
    }

    fn document_id(&mut self) -> i64 {
        self.next_document += 1;
        self.next_document - 1
    }

    fn new_event(&mut self, facts: &'a Facts) -> i64 {
        self.events.push(NewEvent {
            facts,
            agg: Aggregate::default(),
            written: false,
        });
        self.first_event + self.events.len() as i64 - 1
    }

    /// The event first told in this batch with this id.
    fn event(&mut self, id: i64) -> Option<&mut NewEvent<'a>> {
        let i = usize::try_from(id.checked_sub(self.first_event)?).ok()?;
        self.events.get_mut(i)
    }

    /// Writes the events held so far (their counts come at the end of the batch), for a
    /// lookup that asks the store.
    fn write_events(&mut self, conn: &mut dyn Conn) -> Result<(), StoreError> {
        let first = self.first_event;
        let rows = self
            .events
            .iter_mut()
            .enumerate()
            .filter(|(_, e)| !e.written)
            .map(|(i, e)| {
                e.written = true;
                event_row(first + i as i64, e.facts, None)
            })
            .collect();
        insert_rows(conn, "events", EVENT_COLUMNS, rows, "")
    }

    /// Writes the held documents, bands and events (the rows mentions refer to). Returns the
    /// counts of the new events written earlier, which their rows still lack, and every new
    /// event's [`Aggregate`].
    fn write(self, conn: &mut dyn Conn) -> Result<(Vec<Counts>, Vec<Counted>), StoreError> {
        let dialect = conn.dialect();
        let search_col = if dialect == Dialect::Postgres {
            ", search"
        } else {
            ""
        };
        let documents = !self.documents.is_empty();
        insert_rows(
            conn,
            "documents",
            &format!("{DOCUMENT_COLUMNS}{search_col}"),
            self.documents,
            "",
        )?;
        insert_rows(
            conn,
            "document_bands",
            "band_key, document_id",
            self.bands,
            " ON CONFLICT DO NOTHING",
        )?;
        let first = self.first_event;
        let events = !self.events.is_empty();
        let mut rows = Vec::new();
        let mut counts = Vec::new();
        let mut aggs = Vec::with_capacity(self.events.len());
        for (i, e) in self.events.into_iter().enumerate() {
            let id = first + i as i64;
            if e.written {
                counts.push(e.agg.finish(id));
            } else {
                rows.push(event_row(id, e.facts, Some(e.agg.finish(id))));
            }
            aggs.push((id, e.agg));
        }
        insert_rows(conn, "events", EVENT_COLUMNS, rows, "")?;
        if dialect == Dialect::Postgres {
            // Ids were given here, not drawn from the tables' sequences: move them past.
            for (table, written) in [("documents", documents), ("events", events)] {
                if written {
                    conn.rows(
                        &format!(
                            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), MAX(id)) \
                             FROM {table}"
                        ),
                        &[],
                    )?;
                }
            }
        }
        Ok((counts, aggs))
    }
}

/// The columns of a document row (PostgreSQL adds `search`).
const DOCUMENT_COLUMNS: &str = "id, content_hash, doc_key, url, title, source, lang, date, \
    format, minhash, cluster_id, n_events, text, record, ingested_at";

pub(crate) fn write_batch(
    conn: &mut dyn Conn,
    items: &[&Derived],
    opts: &MergeOptions,
    copies: &mut Copies,
) -> Result<BatchStats, StoreError> {
    let Copies {
        near,
        groups,
        counts: counted,
        ..
    } = copies;
    let mut stats = BatchStats::default();
    // Events of earlier batches the batch tells again: their aggregate from the copy with the
    // batch's mentions added, or `None` to count them from the store at the end.
    let mut earlier: HashMap<i64, Option<Aggregate>> = HashMap::new();
    let mut held = Held::new(conn)?;
    // Search rows are written last: FTS5 flushes its pending index at every statement savepoint
    // of the transaction, so rows added early would be flushed once per later statement.
    let mut search_rows: Vec<(i64, String)> = Vec::new();
    // Mention rows, inserted together after the rows they refer to.
    let mut mention_rows: Vec<Vec<Value>> = Vec::new();
    let dialect = conn.dialect();
    // Documents of the batch stored already, asked in one query, and those seen in the batch.
    let stored = stored_hashes(conn, items.iter().map(|d| d.hash.as_str()))?;
    let mut seen = HashSet::new();
    // Claims of the documents stored, released together at the end (PostgreSQL).
    let mut claimed: Vec<&str> = Vec::new();
    // One ingest time for the batch, which is written in one go.
    let ingested_at = crate::now();
    for &derived in items {
        let rec = &derived.doc;
        let hash = derived.hash.as_str();
        if stored.contains(hash) || !seen.insert(hash) {
            stats.skipped += 1;
            continue;
        }
        let sig = &derived.signature;
        let clusterable = sig.shingles >= minhash::MIN_SHINGLES;
        let cluster = if clusterable {
            find_cluster(conn, sig, near)?
        } else {
            None
        };
        let doc_id = held.document_id();
        let mut row: Vec<Value> = vec![
            Value::Int(doc_id),
            hash.into(),
            rec.id.as_str().into(),
            rec.url.clone().into(),
            rec.title.clone().into(),
            rec.source.clone().into(),
            rec.lang.as_str().into(),
            rec.date.clone().into(),
            rec.format.as_str().into(),
            Value::Text(sig.to_hex()),
            Value::Int(cluster.unwrap_or(doc_id)),
            Value::Int(rec.n_events as i64),
            rec.text.as_str().into(),
            match dialect {
                // PostgreSQL compresses large values itself (TOAST) and keeps the column text.
                Dialect::Postgres => record_json(&Value::Blob(derived.record.clone()))?.into(),
                Dialect::Sqlite => Value::Blob(derived.record.clone()),
            },
            Value::Text(ingested_at.clone()),
        ];
        match dialect {
            Dialect::Sqlite => search_rows.push((doc_id, derived.search_grams.clone())),
            Dialect::Postgres => {
                row.push(Value::Text(derived.search.clone()));
                claimed.push(hash);
            }
        }
        held.documents.push(row);
        stats.documents += 1;
        if cluster.is_some() {
            stats.near_duplicates += 1;
        }
        if clusterable {
            // A band shared by BAND_ROWS documents already (the copies of a wire story) is
            // only ever read for its first BAND_ROWS: this document's row would be dead weight.
            held.bands.extend(
                sig.bands()
                    .iter()
                    .filter(|&&b| !near.full(b))
                    .map(|&b| vec![Value::Int(b), Value::Int(doc_id)]),
            );
            near.add(doc_id, sig, cluster.unwrap_or(doc_id));
        }
        let doc = StoredDocument {
            id: doc_id,
            cluster: cluster.unwrap_or(doc_id),
            reported: rec
                .date
                .clone()
                .unwrap_or_else(|| ingested_at.chars().take(10).collect()),
        };
        let mut own = HashSet::new();
        for (ordinal, prepared) in derived.events.iter().enumerate() {
            let Some(PreparedEvent { facts: f, mentions }) = prepared else {
                continue;
            };
            let event_id = match find_event(conn, f, opts, &own, groups, &mut held)? {
                Some(id) => {
                    stats.merged_events += 1;
                    id
                }
                None => {
                    let id = held.new_event(f);
                    groups.inserted(
                        &group_of(f),
                        Candidate {
                            id,
                            actor1: f.actor1.as_ref().map(|a| a.code.clone()),
                            actor2: f.actor2.as_ref().map(|a| a.code.clone()),
                            lat: f.lat,
                            lon: f.lon,
                            country: f.country.clone(),
                            day: f.day_start,
                        },
                    );
                    own.insert(id);
                    stats.new_events += 1;
                    id
                }
            };
            for (sub, m) in mentions.iter().enumerate() {
                mention_rows.push(mention_row(
                    event_id,
                    &doc,
                    ordinal,
                    sub,
                    m,
                    rec.source.as_deref(),
                ));
                let facts = MentionFacts {
                    confidence: m.confidence,
                    lang: Some(&m.lang),
                    source: m.source.as_deref(),
                    fatalities: m.fatalities,
                    cluster: doc.cluster,
                    document_source: rec.source.as_deref(),
                    reported: Some(doc.reported.clone()),
                };
                match held.event(event_id) {
                    Some(new) => new.agg.add(facts),
                    None => {
                        let agg = earlier
                            .entry(event_id)
                            .or_insert_with(|| counted.take(event_id));
                        if let Some(agg) = agg {
                            agg.add(facts);
                        }
                    }
                }
                stats.mentions += 1;
            }
        }
    }
    let (mut counts, new_aggs) = held.write(conn)?;
    insert_rows(conn, "mentions", MENTION_COLUMNS, mention_rows, "")?;
    // Counts of the events told before this batch: from the copy and the batch's mentions, or
    // from all their stored mentions, the batch's now among them (those of the batch's new
    // events were added up as their mentions were written).
    let mut recount = Vec::new();
    for (id, agg) in earlier {
        match agg {
            Some(agg) => {
                counts.push(agg.finish(id));
                counted.set(id, agg);
            }
            None => recount.push(id),
        }
    }
    recount.sort_unstable();
    for (id, agg) in stored_aggregates(conn, &recount)? {
        counts.push(agg.finish(id));
        counted.set(id, agg);
    }
    for (id, agg) in new_aggs {
        counted.set(id, agg);
    }
    counts.sort_unstable_by_key(|c| c.id);
    write_counts(conn, counts)?;
    for chunk in claimed.chunks(500) {
        let marks = vec!["?"; chunk.len()].join(", ");
        let params: Vec<Value> = chunk.iter().map(|&h| h.into()).collect();
        conn.exec(
            &format!("DELETE FROM claims WHERE content_hash IN ({marks})"),
            &params,
        )?;
    }
    for (doc_id, body) in search_rows {
        conn.exec(
            "INSERT INTO documents_fts (rowid, body) VALUES (?, ?)",
            &[Value::Int(doc_id), Value::Text(body)],
        )?;
    }
    Ok(stats)
}

pub(crate) fn claim(
    conn: &mut dyn Conn,
    hashes: &[String],
    worker: &str,
) -> Result<Vec<String>, StoreError> {
    let mut todo = Vec::new();
    for chunk in hashes.chunks(500) {
        let stored = stored_hashes(conn, chunk.iter().map(String::as_str))?;
        let fresh: Vec<&String> = {
            let mut seen = HashSet::new();
            chunk
                .iter()
                .filter(|h| !stored.contains(*h) && seen.insert(h.as_str()))
                .collect()
        };
        if fresh.is_empty() {
            continue;
        }
        match conn.dialect() {
            Dialect::Sqlite => todo.extend(fresh.into_iter().cloned()),
            Dialect::Postgres => {
                let marks = vec!["(?, ?)"; fresh.len()].join(", ");
                let mut params = Vec::with_capacity(fresh.len() * 2);
                for h in &fresh {
                    params.push(Value::Text((*h).clone()));
                    params.push(Value::Text(worker.to_string()));
                }
                let won: HashSet<String> = conn
                    .rows(
                        &format!(
                            "INSERT INTO claims (content_hash, worker) VALUES {marks} \
                             ON CONFLICT (content_hash) DO UPDATE SET worker = EXCLUDED.worker, \
                             claimed_at = now() WHERE claims.worker = EXCLUDED.worker \
                             OR claims.claimed_at < now() - interval '10 minutes' \
                             RETURNING content_hash"
                        ),
                        &params,
                    )?
                    .into_iter()
                    .filter_map(|r| r.first().and_then(Value::string))
                    .collect();
                todo.extend(fresh.into_iter().filter(|h| won.contains(*h)).cloned());
            }
        }
    }
    Ok(todo)
}

#[cfg(test)]
mod tests {
    #[test]
    fn inserts_come_in_few_shapes() {
        assert_eq!(super::insert_chunk(1, 2), 1);
        assert_eq!(super::insert_chunk(1000, 2), 256);
        assert_eq!(super::insert_chunk(200, 2), 128);
        assert_eq!(super::insert_chunk(200, 35), 16);
        assert_eq!(super::insert_chunk(3, 2000), 1);
        let shapes: std::collections::BTreeSet<usize> = (1..=1000)
            .map(|left| super::insert_chunk(left, 14))
            .collect();
        assert_eq!(
            shapes.into_iter().collect::<Vec<_>>(),
            vec![1, 2, 4, 8, 16, 32, 64]
        );
    }

    use super::*;

    #[test]
    fn evidence_is_the_mention_with_type_and_mode_read_from_the_record() {
        let pipeline = hadath_extract::Pipeline::new(Default::default()).unwrap();
        let mut rec = pipeline.process(hadath_model::Document::from_text(
            "e",
            "Police detained 40 protesters in Almaty on Monday, a local agency said. \
             Riot police fired tear gas at the crowd in Astana.",
        ));
        assert!(rec.events.len() >= 2, "{:?}", rec.events);
        // An event without mention list is its own mention (records of older versions).
        rec.events[1].mentions.clear();
        let json: serde_json::Value =
            serde_json::from_str(&rec.to_json_without_text().unwrap()).unwrap();
        let events = json["events"].as_array().unwrap();
        for (ev, json) in rec.events.iter().zip(events) {
            let mentions = mentions_of(ev);
            for (sub, m) in mentions.iter().enumerate() {
                let mut want = serde_json::to_value(m).unwrap();
                let obj = want.as_object_mut().unwrap();
                obj.insert("type".into(), ev.event_type.into());
                obj.insert("mode".into(), ev.mode.clone().into());
                assert_eq!(evidence_of(json, sub), Some(want));
            }
            assert_eq!(evidence_of(json, mentions.len()), None);
        }
        assert_eq!(events.len(), rec.events.len());
    }

    #[test]
    fn records_compress_and_read_back_and_plain_rows_still_read() {
        let json = format!(
            "{{\"id\":\"a\",\"events\":[{}]}}",
            vec![r#"{"type":"PROTEST","actors":[{"code":"KAZ","sector":"PRO"}]}"#; 40].join(",")
        );
        let packed = compress_record(&json).unwrap();
        assert!(
            packed.len() * 4 < json.len(),
            "{} of {}",
            packed.len(),
            json.len()
        );
        assert_eq!(
            record_json(&Value::Blob(packed)).unwrap(),
            Some(json.clone())
        );
        // Rows written before schema 4, and PostgreSQL's, are text.
        assert_eq!(record_json(&Value::Text(json.clone())).unwrap(), Some(json));
        assert_eq!(record_json(&Value::Null).unwrap(), None);
        // Bytes that are not zstd name the problem instead of returning garbage.
        assert!(record_json(&Value::Blob(b"not zstd".to_vec())).is_err());
    }

    #[test]
    fn content_hash_is_sha256_hex() {
        assert_eq!(
            content_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn day_ranges() {
        let d = |s| day_range(&PartialDate::parse(s).unwrap());
        let (s, e, p) = d("2022-01-05");
        assert_eq!((e - s, p), (0, "day"));
        let (s, e, p) = d("2022-02");
        assert_eq!((e - s, p), (27, "month"));
        let (s, e, p) = d("2024");
        assert_eq!((e - s, p), (365, "year"));
    }

    #[test]
    fn haversine_almaty_astana() {
        // Almaty (43.25, 76.95) to Astana (51.18, 71.45): about 970 km.
        let d = haversine_km(43.25, 76.95, 51.18, 71.45);
        assert!((940.0..1000.0).contains(&d), "{d}");
        assert!(haversine_km(1.0, 1.0, 1.0, 1.0) < 1e-9);
    }

    #[test]
    fn actor_codes_compatible_by_prefix() {
        assert!(codes_compatible(Some("KAZ"), Some("KAZPRO")));
        assert!(codes_compatible(None, Some("KAZPRO")));
        assert!(codes_compatible(Some(""), Some("KAZPRO")));
        assert!(!codes_compatible(Some("KAZGOV"), Some("KAZPRO")));
        assert!(!codes_compatible(Some("RUS"), Some("KAZ")));
    }

    #[test]
    fn slices_by_code_points() {
        assert_eq!(slice_chars("أهلا world", 0, 4), "أهلا");
        assert_eq!(slice_chars("abc", 2, 10), "c");
        assert_eq!(slice_chars("abc", 5, 1), "");
    }
}
