//! Filters, pages and the rows queries return. Every value reaches SQL as a bound parameter;
//! only column names chosen here are ever spliced into SQL text.

use crate::db::{Conn, Dialect, Row, Value};
use crate::ingest::day_range;
use crate::StoreError;
use hadath_model::PartialDate;
use serde::Serialize;
use std::collections::HashMap;

/// Which events to return. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Filter {
    /// PLOVER types (any of).
    pub types: Vec<String>,
    /// PLOVER modes (any of).
    pub modes: Vec<String>,
    /// ISO 3166-1 alpha-2 countries of the event's place (any of).
    pub countries: Vec<String>,
    pub admin1: Option<String>,
    /// Actor code prefix on either side: `KAZ`, `KAZGOV`, `IGOCSTO`.
    pub actor: Option<String>,
    /// Actor sector on either side: `PRO`, `GOV`, …
    pub sector: Option<String>,
    /// Language of a mention: `ar`, `en`.
    pub lang: Option<String>,
    /// Substring of a reporting source (case-insensitive for Latin script).
    pub source: Option<String>,
    /// Free text searched in the normalised document text.
    pub q: Option<String>,
    /// Events whose date range overlaps `[from, to]`.
    pub from: Option<PartialDate>,
    pub to: Option<PartialDate>,
    /// Centre (lat, lon) and radius in km.
    pub near: Option<(f64, f64)>,
    pub radius_km: Option<f64>,
    pub min_confidence: Option<f64>,
}

/// Sort orders for [`Page`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum Sort {
    Date,
    #[default]
    DateDesc,
    Confidence,
    ConfidenceDesc,
    Sources,
    SourcesDesc,
}

impl Sort {
    pub fn parse(s: &str) -> Option<Sort> {
        Some(match s {
            "date" => Sort::Date,
            "-date" => Sort::DateDesc,
            "confidence" => Sort::Confidence,
            "-confidence" => Sort::ConfidenceDesc,
            "n_sources" => Sort::Sources,
            "-n_sources" => Sort::SourcesDesc,
            _ => return None,
        })
    }
}

/// One page of results.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Page {
    pub limit: u32,
    pub offset: u64,
    pub sort: Sort,
}

impl Default for Page {
    fn default() -> Page {
        Page {
            limit: 100,
            offset: 0,
            sort: Sort::DateDesc,
        }
    }
}

/// Largest page size.
pub const MAX_LIMIT: u32 = 1000;

fn list(v: &str) -> Vec<String> {
    v.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn parse_num<T: std::str::FromStr>(key: &str, v: &str) -> Result<T, StoreError> {
    v.trim()
        .parse()
        .map_err(|_| StoreError::Filter(format!("{key}={v:?} is not a number")))
}

fn parse_date(key: &str, v: &str) -> Result<PartialDate, StoreError> {
    PartialDate::parse(v).ok_or_else(|| {
        StoreError::Filter(format!(
            "{key}={v:?} is not a date: use YYYY-MM-DD, YYYY-MM or YYYY"
        ))
    })
}

fn check_code(key: &str, v: &str, max: usize) -> Result<String, StoreError> {
    let v = v.trim();
    if v.is_empty() || v.len() > max || !v.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(StoreError::Filter(format!(
            "{key}={v:?} must be letters and digits only (at most {max})"
        )));
    }
    Ok(v.to_ascii_uppercase())
}

impl Filter {
    /// Reads a filter and a page from `key=value` pairs (a URL query string or CLI options).
    /// Unknown keys and bad values are errors that say what is expected.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<(Filter, Page), StoreError> {
        let mut f = Filter::default();
        let mut page = Page::default();
        for (k, v) in pairs {
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            if v.len() > 500 {
                return Err(StoreError::Filter(format!("{k} is longer than 500 bytes")));
            }
            match k {
                "type" => {
                    for t in list(v) {
                        f.types.push(check_code("type", &t, 12)?);
                    }
                }
                "mode" => {
                    for m in list(v) {
                        f.modes.push(m.to_lowercase());
                    }
                }
                "country" => {
                    for c in list(v) {
                        let c = check_code("country", &c, 2)?;
                        if c.len() != 2 {
                            return Err(StoreError::Filter(format!(
                                "country={c:?} must be an ISO 3166-1 alpha-2 code such as KZ"
                            )));
                        }
                        f.countries.push(c);
                    }
                }
                "admin1" => f.admin1 = Some(v.to_string()),
                "actor" => f.actor = Some(check_code("actor", v, 16)?),
                "sector" => f.sector = Some(check_code("sector", v, 3)?),
                "lang" => {
                    let l = v.to_ascii_lowercase();
                    if !(2..=3).contains(&l.len()) || !l.chars().all(|c| c.is_ascii_lowercase()) {
                        return Err(StoreError::Filter(format!(
                            "lang={v:?} must be a language code such as ar or en"
                        )));
                    }
                    f.lang = Some(l);
                }
                "source" => f.source = Some(v.to_string()),
                "q" => f.q = Some(v.to_string()),
                "from" => f.from = Some(parse_date("from", v)?),
                "to" => f.to = Some(parse_date("to", v)?),
                "near" => {
                    let (lat, lon) = v.split_once(',').ok_or_else(|| {
                        StoreError::Filter(format!("near={v:?} must be LAT,LON"))
                    })?;
                    let (lat, lon): (f64, f64) = (parse_num("near", lat)?, parse_num("near", lon)?);
                    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
                        return Err(StoreError::Filter(format!(
                            "near={v:?} is not a coordinate (lat -90..90, lon -180..180)"
                        )));
                    }
                    f.near = Some((lat, lon));
                }
                "radius_km" => {
                    let r: f64 = parse_num("radius_km", v)?;
                    if !(r > 0.0 && r <= 5000.0) {
                        return Err(StoreError::Filter(
                            "radius_km must be between 0 and 5000".into(),
                        ));
                    }
                    f.radius_km = Some(r);
                }
                "min_confidence" => {
                    let c: f64 = parse_num("min_confidence", v)?;
                    if !(0.0..=1.0).contains(&c) {
                        return Err(StoreError::Filter(
                            "min_confidence must be between 0 and 1".into(),
                        ));
                    }
                    f.min_confidence = Some(c);
                }
                "limit" => {
                    let l: u32 = parse_num("limit", v)?;
                    if l == 0 || l > MAX_LIMIT {
                        return Err(StoreError::Filter(format!(
                            "limit must be between 1 and {MAX_LIMIT}"
                        )));
                    }
                    page.limit = l;
                }
                "offset" => page.offset = parse_num("offset", v)?,
                "sort" => {
                    page.sort = Sort::parse(v).ok_or_else(|| {
                        StoreError::Filter(format!(
                            "sort={v:?}: use date, -date, confidence, -confidence, n_sources or -n_sources"
                        ))
                    })?
                }
                other => {
                    return Err(StoreError::Filter(format!(
                        "unknown parameter {other:?}; known: type mode country admin1 actor sector lang source q from to near radius_km min_confidence limit offset sort"
                    )))
                }
            }
        }
        if f.radius_km.is_some() && f.near.is_none() {
            return Err(StoreError::Filter("radius_km needs near=LAT,LON".into()));
        }
        Ok((f, page))
    }
}

fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Search terms: normalised words; trigram search needs at least three characters.
fn terms(q: &str) -> Vec<String> {
    crate::search::key(q)
        .split(|c: char| !crate::search::is_word_char(c))
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_string)
        .collect()
}

/// How a SQLite query states the actor-prefix filter ("either actor's code starts so").
#[derive(Debug, Clone, Copy, PartialEq)]
enum ActorTerm {
    /// Both actors' index ranges, OR-ed: SQLite unions the two indexes (it collects and sorts
    /// every matching row id, so a common prefix such as a country costs tens of ms).
    Either,
    /// The same test, hidden from the indexes (`+column`): for a prefix that matches a large
    /// share of the events, a page is read fastest along the index of its order.
    Unindexed,
    /// Only the first actor's range (a count is `First` plus `SecondOnly`, each from one index).
    First,
    /// The second actor's range where the first actor does not match.
    SecondOnly,
}

/// `WHERE …` (or empty) and its parameters.
fn where_clause(f: &Filter, dialect: Dialect) -> Result<(String, Vec<Value>), StoreError> {
    where_clause_as(f, dialect, ActorTerm::Either)
}

/// [`where_clause`] with the actor filter stated as `actor` says (SQLite only).
fn where_clause_as(
    f: &Filter,
    dialect: Dialect,
    actor: ActorTerm,
) -> Result<(String, Vec<Value>), StoreError> {
    let mut conds: Vec<String> = Vec::new();
    let mut params: Vec<Value> = Vec::new();
    let mut any_of = |col: &str, vals: &[String], conds: &mut Vec<String>| {
        if !vals.is_empty() {
            conds.push(format!("{col} IN ({})", vec!["?"; vals.len()].join(", ")));
            params.extend(vals.iter().map(|v| Value::Text(v.clone())));
        }
    };
    any_of("event_type", &f.types, &mut conds);
    any_of("mode", &f.modes, &mut conds);
    any_of("country", &f.countries, &mut conds);
    if let Some(a) = &f.admin1 {
        conds.push("admin1 = ?".into());
        params.push(a.as_str().into());
    }
    if let Some(a) = &f.actor {
        match dialect {
            // A code prefix ("KAZ" finds KAZGOV, KAZPRO ...) as a range, which SQLite's
            // indexes serve (its LIKE uses an index only under case-sensitive LIKE).
            Dialect::Sqlite => {
                let hi = format!("{a}\u{10FFFF}");
                let (cond, n) = match actor {
                    ActorTerm::Either => (
                        "((actor1_code >= ? AND actor1_code < ?) OR (actor2_code >= ? AND actor2_code < ?))",
                        4,
                    ),
                    ActorTerm::Unindexed => (
                        "((+actor1_code >= ? AND +actor1_code < ?) OR (+actor2_code >= ? AND +actor2_code < ?))",
                        4,
                    ),
                    ActorTerm::First => ("actor1_code >= ? AND actor1_code < ?", 2),
                    ActorTerm::SecondOnly => (
                        "actor2_code >= ? AND actor2_code < ? \
                         AND NOT COALESCE(actor1_code >= ? AND actor1_code < ?, 0)",
                        4,
                    ),
                };
                conds.push(cond.into());
                for v in [a, &hi, a, &hi].into_iter().take(n) {
                    params.push(v.as_str().into());
                }
            }
            // text_pattern_ops indexes serve LIKE 'prefix%'.
            Dialect::Postgres => {
                conds.push(
                    "(actor1_code LIKE ? ESCAPE '\\' OR actor2_code LIKE ? ESCAPE '\\')".into(),
                );
                let p = format!("{}%", escape_like(a));
                params.push(p.clone().into());
                params.push(p.into());
            }
        }
    }
    if let Some(s) = &f.sector {
        conds.push("(actor1_sector = ? OR actor2_sector = ?)".into());
        params.push(s.as_str().into());
        params.push(s.as_str().into());
    }
    if let Some(l) = &f.lang {
        conds.push("lang LIKE ?".into());
        params.push(format!("%{l}%").into());
    }
    if let Some(s) = &f.source {
        conds.push("LOWER(sources) LIKE ? ESCAPE '\\'".into());
        params.push(format!("%{}%", escape_like(&s.to_lowercase())).into());
    }
    if let Some(q) = &f.q {
        let terms = terms(q);
        if terms.is_empty() {
            return Err(StoreError::Filter(format!(
                "q={q:?}: search words need at least three letters"
            )));
        }
        match dialect {
            // The index finds the documents with every trigram of every word; the check
            // keeps those whose normalised text holds each word (src/search.rs).
            Dialect::Sqlite => {
                conds.push(
                    "id IN (SELECT m.event_id FROM mentions m WHERE m.document_id IN \
                     (SELECT d.id FROM documents d WHERE d.id IN \
                     (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?) \
                     AND hadath_has_terms(d.text, ?)))"
                        .into(),
                );
                params.push(crate::search::trigram_query(&terms).into());
                params.push(terms.join(" ").into());
            }
            Dialect::Postgres => {
                let likes = vec!["d.search LIKE ? ESCAPE '\\'"; terms.len()].join(" AND ");
                conds.push(format!(
                    "id IN (SELECT m.event_id FROM mentions m JOIN documents d ON d.id = m.document_id WHERE {likes})"
                ));
                params.extend(
                    terms
                        .iter()
                        .map(|t| Value::Text(format!("%{}%", escape_like(t)))),
                );
            }
        }
    }
    if let Some(from) = &f.from {
        // An event overlapping the range starts at most the longest event's span before it:
        // the bound lets the index on day_start serve "day_end >= from".
        conds.push(
            "day_end >= ? AND day_start >= ? - (SELECT COALESCE(MAX(day_end - day_start), 0) FROM events)"
                .into(),
        );
        let d = day_range(from).0;
        params.push(Value::Int(d));
        params.push(Value::Int(d));
    }
    if let Some(to) = &f.to {
        conds.push("day_start <= ?".into());
        params.push(Value::Int(day_range(to).1));
    }
    if let Some((lat, lon)) = f.near {
        let r = f.radius_km.unwrap_or(50.0);
        let dlat = r / 111.32;
        let k = lat.to_radians().cos().max(0.01);
        let dlon = (dlat / k).min(360.0);
        // Bounding box (uses the index on lat), then an equirectangular distance check.
        conds.push(
            "lat BETWEEN ? AND ? AND lon BETWEEN ? AND ? AND \
             ((lat - ?) * (lat - ?) + (lon - ?) * (lon - ?) * ?) <= ?"
                .into(),
        );
        params.extend([
            Value::Real(lat - dlat),
            Value::Real(lat + dlat),
            Value::Real(lon - dlon),
            Value::Real(lon + dlon),
            Value::Real(lat),
            Value::Real(lat),
            Value::Real(lon),
            Value::Real(lon),
            Value::Real(k * k),
            Value::Real(dlat * dlat),
        ]);
    }
    if let Some(c) = f.min_confidence {
        conds.push("confidence >= ?".into());
        params.push(Value::Real(c));
    }
    if conds.is_empty() {
        Ok((String::new(), params))
    } else {
        Ok((format!(" WHERE {}", conds.join(" AND ")), params))
    }
}

fn order_by(sort: Sort, dialect: Dialect) -> &'static str {
    match (sort, dialect) {
        (Sort::DateDesc, Dialect::Sqlite) => " ORDER BY day_start DESC, id DESC",
        (Sort::DateDesc, Dialect::Postgres) => " ORDER BY day_start DESC NULLS LAST, id DESC",
        (Sort::Date, Dialect::Sqlite) => " ORDER BY day_start IS NULL, day_start, id",
        (Sort::Date, Dialect::Postgres) => " ORDER BY day_start ASC NULLS LAST, id",
        (Sort::Confidence, _) => " ORDER BY confidence, id",
        (Sort::ConfidenceDesc, _) => " ORDER BY confidence DESC, id DESC",
        (Sort::Sources, _) => " ORDER BY n_sources, id",
        (Sort::SourcesDesc, _) => " ORDER BY n_sources DESC, id DESC",
    }
}

/// An actor on an event row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActorRow {
    pub code: String,
    pub country: Option<String>,
    pub sector: Option<String>,
    pub text: Option<String>,
}

/// A merged event, as listed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventRow {
    pub id: i64,
    #[serde(rename = "type")]
    pub event_type: String,
    pub mode: Option<String>,
    pub context: Vec<String>,
    pub confidence: f64,
    pub date: Option<String>,
    pub date_precision: Option<String>,
    pub date_end: Option<String>,
    pub actor1: Option<ActorRow>,
    pub actor2: Option<ActorRow>,
    pub country: Option<String>,
    pub iso3: Option<String>,
    pub admin1: Option<String>,
    pub location: Option<String>,
    pub geonameid: Option<i64>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub geo_precision: Option<String>,
    pub n_mentions: i64,
    pub n_documents: i64,
    pub n_sources: i64,
    pub first_reported: Option<String>,
    pub last_reported: Option<String>,
    pub fatalities: Option<i64>,
    pub lang: String,
    pub sources: Vec<String>,
    pub summary: String,
}

const EVENT_COLS: &str = "id, event_type, mode, context, confidence, date, date_precision, \
    date_end, actor1_code, actor1_country, actor1_sector, actor1_text, actor2_code, \
    actor2_country, actor2_sector, actor2_text, country, iso3, admin1, location, geonameid, lat, \
    lon, geo_precision, n_mentions, n_documents, n_sources, first_reported, last_reported, \
    fatalities, lang, sources, summary";

fn actor_row(r: &Row, i: usize) -> Option<ActorRow> {
    let code = r[i].string().filter(|c| !c.is_empty())?;
    Some(ActorRow {
        code,
        country: r[i + 1].string(),
        sector: r[i + 2].string(),
        text: r[i + 3].string(),
    })
}

fn event_row(r: &Row) -> EventRow {
    let split = |v: &Value, sep: &str| -> Vec<String> {
        v.text()
            .map(|s| {
                s.split(sep)
                    .map(str::trim)
                    .filter(|x| !x.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    EventRow {
        id: r[0].int().unwrap_or(0),
        event_type: r[1].string().unwrap_or_default(),
        mode: r[2].string(),
        context: split(&r[3], ";"),
        confidence: r[4].real().unwrap_or(0.0),
        date: r[5].string(),
        date_precision: r[6].string(),
        date_end: r[7].string(),
        actor1: actor_row(r, 8),
        actor2: actor_row(r, 12),
        country: r[16].string(),
        iso3: r[17].string(),
        admin1: r[18].string(),
        location: r[19].string(),
        geonameid: r[20].int(),
        lat: r[21].real(),
        lon: r[22].real(),
        geo_precision: r[23].string(),
        n_mentions: r[24].int().unwrap_or(0),
        n_documents: r[25].int().unwrap_or(0),
        n_sources: r[26].int().unwrap_or(0),
        first_reported: r[27].string(),
        last_reported: r[28].string(),
        fatalities: r[29].int(),
        lang: r[30].string().unwrap_or_default(),
        sources: split(&r[31], "; "),
        summary: r[32].string().unwrap_or_default(),
    }
}

/// A page of events and the number of all matching events.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventPage {
    pub total: i64,
    pub limit: u32,
    pub offset: u64,
    pub events: Vec<EventRow>,
}

pub(crate) fn events(
    conn: &mut dyn Conn,
    f: &Filter,
    page: &Page,
    known_total: Option<i64>,
) -> Result<EventPage, StoreError> {
    let total = match known_total {
        Some(t) => t,
        None => count_events(conn, f)?,
    };
    // An actor prefix that matches a large share of the events (a country's code): the page
    // is read along the order's index, testing each row, instead of sorting every match.
    let actor = if conn.dialect() == Dialect::Sqlite
        && f.actor.is_some()
        && total.saturating_mul(32) >= scalar(conn, "SELECT MAX(id) FROM events")?
    {
        ActorTerm::Unindexed
    } else {
        ActorTerm::Either
    };
    let (wh, mut p) = where_clause_as(f, conn.dialect(), actor)?;
    p.push(Value::Int(i64::from(page.limit.min(MAX_LIMIT))));
    p.push(Value::Int(i64::try_from(page.offset).unwrap_or(i64::MAX)));
    // The page's ids first (from an index where one covers the filter and the order), then
    // only those wide rows.
    let order = order_by(page.sort, conn.dialect());
    let rows = conn.rows(
        &format!(
            "SELECT {EVENT_COLS} FROM events WHERE id IN \
             (SELECT id FROM events{wh}{order} LIMIT ? OFFSET ?){order}"
        ),
        &p,
    )?;
    Ok(EventPage {
        total,
        limit: page.limit,
        offset: page.offset,
        events: rows.iter().map(event_row).collect(),
    })
}

/// How many events match `f`.
fn count_events(conn: &mut dyn Conn, f: &Filter) -> Result<i64, StoreError> {
    // Each part from one index: no union of row ids to sort. Not with a text search, which
    // would run once per part.
    let forms: &[ActorTerm] =
        if conn.dialect() == Dialect::Sqlite && f.actor.is_some() && f.q.is_none() {
            &[ActorTerm::First, ActorTerm::SecondOnly]
        } else {
            &[ActorTerm::Either]
        };
    let mut total = 0;
    for &form in forms {
        let (wh, params) = where_clause_as(f, conn.dialect(), form)?;
        total += conn
            .rows(&format!("SELECT COUNT(*) FROM events{wh}"), &params)?
            .first()
            .and_then(|r| r.first())
            .and_then(Value::int)
            .unwrap_or(0);
    }
    Ok(total)
}

pub(crate) fn events_after(
    conn: &mut dyn Conn,
    f: &Filter,
    after: i64,
    limit: i64,
) -> Result<Vec<EventRow>, StoreError> {
    let (wh, mut params) = where_clause(f, conn.dialect())?;
    let wh = if wh.is_empty() {
        " WHERE id > ?".to_string()
    } else {
        format!("{wh} AND id > ?")
    };
    params.push(Value::Int(after));
    params.push(Value::Int(limit));
    let rows = conn.rows(
        &format!("SELECT {EVENT_COLS} FROM events{wh} ORDER BY id LIMIT ?"),
        &params,
    )?;
    Ok(rows.iter().map(event_row).collect())
}

/// A highlighted span inside a mention's sentence (code points relative to the sentence).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Highlight {
    pub kind: &'static str,
    pub start: usize,
    pub end: usize,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SentenceRow {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// One mention of an event: where a document tells it, with the evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MentionRow {
    pub id: i64,
    pub document_id: i64,
    pub document_key: String,
    pub document_title: Option<String>,
    pub document_url: Option<String>,
    pub source: Option<String>,
    pub lang: String,
    pub confidence: f64,
    pub date: Option<String>,
    pub sentence: SentenceRow,
    pub highlights: Vec<Highlight>,
    /// The extractor's mention record: trigger, actors, recipients, location, date,
    /// quantities, reported_by, each with offsets into the document text.
    pub evidence: serde_json::Value,
}

/// An event with all its mentions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventDetail {
    #[serde(flatten)]
    pub event: EventRow,
    pub mentions: Vec<MentionRow>,
}

fn span_of(v: &serde_json::Value) -> Option<(usize, usize)> {
    let s = v.get("start")?.as_u64()? as usize;
    let e = v.get("end")?.as_u64()? as usize;
    Some((s, e))
}

fn highlights(ev: &serde_json::Value, s_start: usize, s_end: usize) -> Vec<Highlight> {
    let mut out = Vec::new();
    let mut push = |kind: &'static str, v: &serde_json::Value, label: String| {
        if let Some((s, e)) = span_of(v) {
            if s >= s_start && e <= s_end && s < e {
                out.push(Highlight {
                    kind,
                    start: s - s_start,
                    end: e - s_start,
                    label,
                });
            }
        }
    };
    let str_of = |v: &serde_json::Value, k: &str| {
        v.get(k)
            .and_then(|x| x.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let typ = format!(
        "{} {}",
        str_of(ev, "type"),
        ev.get("mode").and_then(|m| m.as_str()).unwrap_or("")
    );
    if let Some(t) = ev.get("trigger") {
        push("trigger", t, typ.trim().to_string());
    }
    for (key, kind) in [("actors", "actor"), ("recipients", "recipient")] {
        for a in ev.get(key).and_then(|x| x.as_array()).into_iter().flatten() {
            let code = format!("{}{}", str_of(a, "code"), str_of(a, "sector"));
            push(
                kind,
                a,
                if code.is_empty() {
                    str_of(a, "text")
                } else {
                    code
                },
            );
        }
    }
    if let Some(l) = ev.get("location").filter(|l| !l.is_null()) {
        push(
            "place",
            l,
            format!("{} ({})", str_of(l, "name"), str_of(l, "country")),
        );
    }
    for key in ["date", "date_end"] {
        if let Some(d) = ev.get(key).filter(|d| !d.is_null()) {
            push("date", d, str_of(d, "value"));
        }
    }
    for q in ev
        .get("quantities")
        .and_then(|x| x.as_array())
        .into_iter()
        .flatten()
    {
        let label = format!(
            "{} {}{}",
            str_of(q, "role"),
            q.get("value").and_then(|v| v.as_u64()).unwrap_or(0),
            q.get("object")
                .and_then(|o| o.as_str())
                .map(|o| format!(" {o}"))
                .unwrap_or_default()
        );
        push("quantity", q, label);
    }
    for r in ev
        .get("reported_by")
        .and_then(|x| x.as_array())
        .into_iter()
        .flatten()
    {
        push("source", r, str_of(r, "text"));
    }
    out.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
    out
}

/// The events of stored records (only their `events` array, parsed), where the evidence of
/// their mentions is read. A record never changes once stored, so a cache kept across calls
/// (an export reads many events told by the same documents) stays right; it keeps the last
/// `capacity` records read.
#[derive(Default)]
pub(crate) struct RecordEvents {
    capacity: usize,
    /// Per document, each event's JSON, parsed only when a mention of it is shown.
    events: HashMap<i64, Vec<Box<serde_json::value::RawValue>>>,
    order: std::collections::VecDeque<i64>,
}

impl RecordEvents {
    pub(crate) fn with_capacity(capacity: usize) -> RecordEvents {
        RecordEvents {
            capacity,
            ..RecordEvents::default()
        }
    }

    /// Reads the records of these documents that are not kept yet.
    fn read(&mut self, conn: &mut dyn Conn, docs: &[i64]) -> Result<(), StoreError> {
        #[derive(serde::Deserialize)]
        struct EventsOnly {
            #[serde(default)]
            events: Vec<Box<serde_json::value::RawValue>>,
        }
        let missing = crate::absent(docs, &self.events);
        for chunk in missing.chunks(64) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let params: Vec<Value> = chunk.iter().map(|&d| Value::Int(d)).collect();
            for r in conn.rows(
                &format!("SELECT id, record FROM documents WHERE id IN ({marks})"),
                &params,
            )? {
                if let (Some(doc), Some(json)) = (r[0].int(), crate::ingest::record_json(&r[1])?) {
                    let parsed: EventsOnly = serde_json::from_str(&json)?;
                    self.events.insert(doc, parsed.events);
                    self.order.push_back(doc);
                }
            }
        }
        Ok(())
    }

    /// Forgets the oldest records beyond the capacity.
    fn trim(&mut self) {
        while self.order.len() > self.capacity {
            if let Some(d) = self.order.pop_front() {
                self.events.remove(&d);
            }
        }
    }
}

pub(crate) fn event(
    conn: &mut dyn Conn,
    id: i64,
    records: &mut RecordEvents,
) -> Result<Option<EventDetail>, StoreError> {
    let rows = conn.rows(
        &format!("SELECT {EVENT_COLS} FROM events WHERE id = ?"),
        &[Value::Int(id)],
    )?;
    let Some(row) = rows.first() else {
        return Ok(None);
    };
    let ev = event_row(row);
    let rows = conn.rows(
        "SELECT m.id, m.document_id, d.doc_key, d.title, d.url, m.source, m.lang, m.confidence, \
         m.date, m.sentence_start, m.sentence_end, m.ordinal, m.sub, \
         SUBSTR(d.text, CAST(m.sentence_start + 1 AS INTEGER), CAST(m.sentence_end - m.sentence_start AS INTEGER)) \
         FROM mentions m JOIN documents d ON d.id = m.document_id WHERE m.event_id = ? \
         ORDER BY m.confidence DESC, m.id LIMIT 500",
        &[Value::Int(id)],
    )?;
    // The evidence is in the documents' records: each read (and decompressed) once.
    let docs: Vec<i64> = rows.iter().filter_map(|r| r[1].int()).collect();
    records.read(conn, &docs)?;
    let mut mentions = Vec::with_capacity(rows.len());
    // Events of those records parsed for this event's mentions.
    let mut parsed: HashMap<(i64, usize), serde_json::Value> = HashMap::new();
    for r in rows {
        let start = r[9].int().unwrap_or(0).max(0) as usize;
        let end = r[10].int().unwrap_or(0).max(0) as usize;
        let evidence = (|| {
            let doc = r[1].int()?;
            let ordinal = usize::try_from(r[11].int()?).ok()?;
            let sub = usize::try_from(r[12].int()?).ok()?;
            let ev = match parsed.entry((doc, ordinal)) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    let raw = records.events.get(&doc)?.get(ordinal)?;
                    e.insert(serde_json::from_str(raw.get()).ok()?)
                }
            };
            crate::ingest::evidence_of(ev, sub)
        })()
        .unwrap_or_default();
        mentions.push(MentionRow {
            id: r[0].int().unwrap_or(0),
            document_id: r[1].int().unwrap_or(0),
            document_key: r[2].string().unwrap_or_default(),
            document_title: r[3].string(),
            document_url: r[4].string(),
            source: r[5].string(),
            lang: r[6].string().unwrap_or_default(),
            confidence: r[7].real().unwrap_or(0.0),
            date: r[8].string(),
            highlights: highlights(&evidence, start, end),
            sentence: SentenceRow {
                text: r[13].string().unwrap_or_default(),
                start,
                end,
            },
            evidence,
        });
    }
    records.trim();
    Ok(Some(EventDetail {
        event: ev,
        mentions,
    }))
}

/// A stored document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentDetail {
    pub id: i64,
    pub doc_key: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
    pub lang: String,
    pub date: Option<String>,
    pub cluster_id: i64,
    /// Other documents of its near-duplicate cluster.
    pub near_duplicates: Vec<i64>,
    pub text: String,
    /// The `hadath extract` record, without its text.
    pub record: serde_json::Value,
    pub events: Vec<DocumentEvent>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentEvent {
    pub event_id: i64,
    pub mention_id: i64,
    #[serde(rename = "type")]
    pub event_type: String,
}

pub(crate) fn document(conn: &mut dyn Conn, id: i64) -> Result<Option<DocumentDetail>, StoreError> {
    let rows = conn.rows(
        "SELECT id, doc_key, title, url, source, lang, date, cluster_id, text, record \
         FROM documents WHERE id = ?",
        &[Value::Int(id)],
    )?;
    let Some(r) = rows.first() else {
        return Ok(None);
    };
    let cluster_id = r[7].int().unwrap_or(0);
    let near_duplicates = conn
        .rows(
            "SELECT id FROM documents WHERE cluster_id = ? AND id <> ? ORDER BY id LIMIT 100",
            &[Value::Int(cluster_id), Value::Int(id)],
        )?
        .iter()
        .filter_map(|r| r[0].int())
        .collect();
    let events = conn
        .rows(
            "SELECT m.event_id, m.id, e.event_type FROM mentions m JOIN events e ON e.id = m.event_id \
             WHERE m.document_id = ? ORDER BY m.id",
            &[Value::Int(id)],
        )?
        .iter()
        .map(|r| DocumentEvent {
            event_id: r[0].int().unwrap_or(0),
            mention_id: r[1].int().unwrap_or(0),
            event_type: r[2].string().unwrap_or_default(),
        })
        .collect();
    Ok(Some(DocumentDetail {
        id: r[0].int().unwrap_or(0),
        doc_key: r[1].string().unwrap_or_default(),
        title: r[2].string(),
        url: r[3].string(),
        source: r[4].string(),
        lang: r[5].string().unwrap_or_default(),
        date: r[6].string(),
        cluster_id,
        near_duplicates,
        text: r[8].string().unwrap_or_default(),
        record: crate::ingest::record_json(&r[9])?
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or_default(),
        events,
    }))
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayCount {
    pub day: String,
    #[serde(rename = "type")]
    pub event_type: String,
    pub n: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyCount {
    pub key: String,
    pub n: i64,
}

/// Aggregates for charts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub total: i64,
    pub by_day: Vec<DayCount>,
    pub by_type: Vec<KeyCount>,
    pub by_country: Vec<KeyCount>,
    pub min_date: Option<String>,
    pub max_date: Option<String>,
}

pub(crate) fn stats(conn: &mut dyn Conn, f: &Filter) -> Result<Stats, StoreError> {
    let (wh, params) = where_clause(f, conn.dialect())?;
    let and = if wh.is_empty() { " WHERE" } else { " AND" };
    let by_day = conn
        .rows(
            &format!(
                // Single-day events (day precision, no range), grouped on the day number so
                // that the (day_start, day_end, event_type, …) index answers without the rows.
                "SELECT day_start, event_type, COUNT(*) FROM events{wh}{and} day_end = day_start \
                 GROUP BY day_start, event_type ORDER BY day_start, event_type LIMIT 20000"
            ),
            &params,
        )?
        .iter()
        .map(|r| DayCount {
            day: r[0]
                .int()
                .map(|d| hadath_model::PartialDate::from_days(d).to_string())
                .unwrap_or_default(),
            event_type: r[1].string().unwrap_or_default(),
            n: r[2].int().unwrap_or(0),
        })
        .collect::<Vec<_>>();
    let mut key_counts = |col: &str| -> Result<Vec<KeyCount>, StoreError> {
        Ok(conn
            .rows(
                &format!(
                    "SELECT {col}, COUNT(*) FROM events{wh}{and} {col} IS NOT NULL \
                     GROUP BY {col} ORDER BY COUNT(*) DESC, {col} LIMIT 300"
                ),
                &params,
            )?
            .iter()
            .map(|r| KeyCount {
                key: r[0].string().unwrap_or_default(),
                n: r[1].int().unwrap_or(0),
            })
            .collect())
    };
    let by_type = key_counts("event_type")?;
    let by_country = key_counts("country")?;
    let total = by_type.iter().map(|k| k.n).sum();
    Ok(Stats {
        total,
        min_date: by_day.first().map(|d| d.day.clone()),
        max_date: by_day.last().map(|d| d.day.clone()),
        by_day,
        by_type,
        by_country,
    })
}

/// Sizes of the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub documents: i64,
    pub clusters: i64,
    pub events: i64,
    pub mentions: i64,
}

pub(crate) fn scalar(conn: &mut dyn Conn, sql: &str) -> Result<i64, StoreError> {
    Ok(conn
        .rows(sql, &[])?
        .first()
        .and_then(|r| r.first())
        .and_then(Value::int)
        .unwrap_or(0))
}

pub(crate) fn counts(conn: &mut dyn Conn) -> Result<Counts, StoreError> {
    Ok(Counts {
        documents: scalar(conn, "SELECT COUNT(*) FROM documents")?,
        clusters: scalar(conn, "SELECT COUNT(DISTINCT cluster_id) FROM documents")?,
        events: scalar(conn, "SELECT COUNT(*) FROM events")?,
        mentions: scalar(conn, "SELECT COUNT(*) FROM mentions")?,
    })
}

/// The store's invariants, checked; `full` also checks every index entry against its row
/// (SQLite `integrity_check`: most of the time on a large store; otherwise `quick_check`,
/// which checks the file's structure).
pub(crate) fn check(conn: &mut dyn Conn, full: bool) -> Result<Vec<String>, StoreError> {
    let mut problems = Vec::new();
    if conn.dialect() == Dialect::Sqlite {
        let pragma = if full {
            "PRAGMA integrity_check"
        } else {
            "PRAGMA quick_check"
        };
        let rows = conn.rows(pragma, &[])?;
        let msg = rows
            .first()
            .and_then(|r| r.first())
            .and_then(Value::string)
            .unwrap_or_default();
        if msg != "ok" {
            problems.push(format!("SQLite integrity check: {msg}"));
        }
    }
    let checks = [
        (
            "mentions of missing events",
            "SELECT COUNT(*) FROM mentions m WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = m.event_id)",
        ),
        (
            "mentions of missing documents",
            "SELECT COUNT(*) FROM mentions m WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = m.document_id)",
        ),
        (
            "mentions whose copy of their document's cluster, source or report day differs from it",
            "SELECT COUNT(*) FROM mentions m JOIN documents d ON d.id = m.document_id \
             WHERE m.cluster_id IS DISTINCT FROM d.cluster_id \
             OR m.document_source IS DISTINCT FROM d.source \
             OR m.reported IS DISTINCT FROM COALESCE(d.date, substr(d.ingested_at, 1, 10))",
        ),
        (
            // The evidence of a mention is its event's entry in the document's record.
            "mentions that point past the events of their document's record",
            "SELECT COUNT(*) FROM mentions m JOIN documents d ON d.id = m.document_id \
             WHERE m.ordinal < 0 OR m.ordinal >= d.n_events OR m.sub < 0",
        ),
        (
            "documents outside any cluster",
            "SELECT COUNT(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM documents c WHERE c.id = d.cluster_id)",
        ),
    ];
    for (what, sql) in checks {
        let n = scalar(conn, sql)?;
        if n > 0 {
            problems.push(format!("{n} {what}"));
        }
    }
    // The counts of every event against its mentions, in one pass over the mentions' index
    // (their copies of their documents' clusters are checked above).
    let counts = conn.rows(
        "SELECT SUM(CASE WHEN m.event_id IS NULL THEN 1 ELSE 0 END), \
         SUM(CASE WHEN m.event_id IS NOT NULL AND e.n_mentions <> m.n THEN 1 ELSE 0 END), \
         SUM(CASE WHEN m.event_id IS NOT NULL AND e.n_documents <> m.c THEN 1 ELSE 0 END) \
         FROM events e LEFT JOIN (SELECT event_id, COUNT(*) AS n, COUNT(DISTINCT cluster_id) AS c \
         FROM mentions GROUP BY event_id) m ON m.event_id = e.id",
        &[],
    )?;
    let counts = counts.first().map(Vec::as_slice).unwrap_or_default();
    for (i, what) in [
        "events without mentions",
        "events whose n_mentions is wrong",
        "events whose n_documents is wrong",
    ]
    .into_iter()
    .enumerate()
    {
        let n = counts.get(i).and_then(Value::int).unwrap_or(0);
        if n > 0 {
            problems.push(format!("{n} {what}"));
        }
    }
    Ok(problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse_and_reject() {
        let (f, p) = Filter::from_pairs([
            ("type", "protest,ASSAULT"),
            ("country", "kz"),
            ("from", "2022-01"),
            ("near", "43.25,76.95"),
            ("radius_km", "30"),
            ("limit", "10"),
            ("sort", "-n_sources"),
        ])
        .unwrap();
        assert_eq!(f.types, ["PROTEST", "ASSAULT"]);
        assert_eq!(f.countries, ["KZ"]);
        assert_eq!(p.limit, 10);
        assert_eq!(p.sort, Sort::SourcesDesc);
        for bad in [
            ("limit", "100000"),
            ("limit", "x"),
            ("from", "yesterday"),
            ("country", "KAZ"),
            ("type", "PROTEST' OR 1=1 --"),
            ("near", "100,0"),
            ("nonsense", "1"),
            ("sort", "id; DROP TABLE events"),
        ] {
            let err = Filter::from_pairs([bad]).unwrap_err().to_string();
            assert!(err.starts_with("bad filter"), "{err}");
        }
    }

    #[test]
    fn where_clause_binds_values() {
        let (f, _) = Filter::from_pairs([("actor", "KAZ"), ("source", "50%_off")]).unwrap();
        let (sql, params) = where_clause(&f, Dialect::Sqlite).unwrap();
        assert!(!sql.contains("KAZ") && !sql.contains("50"));
        // The actor prefix is a range on SQLite (index-friendly), LIKE on PostgreSQL.
        assert_eq!(params.len(), 5);
        assert_eq!(params[0], Value::Text("KAZ".into()));
        assert_eq!(params[1], Value::Text("KAZ\u{10FFFF}".into()));
        assert_eq!(params[4], Value::Text("%50\\%\\_off%".into()));
        let (sql, params) = where_clause(&f, Dialect::Postgres).unwrap();
        assert!(sql.contains("LIKE") && params.len() == 3, "{sql}");
    }

    #[test]
    fn search_terms_are_normalised() {
        assert_eq!(terms("المتظاهرين في ألماتي"), ["المتظاهرين", "الماتي"]);
        assert!(terms("a b").is_empty());
    }

    #[test]
    fn highlights_are_relative_to_the_sentence() {
        let ev = serde_json::json!({
            "type": "PROTEST", "mode": "demo",
            "trigger": {"text": "marched", "start": 15, "end": 22},
            "actors": [{"text": "Teachers", "code": null, "sector": "EDU", "start": 5, "end": 13}],
            "location": {"name": "Tunis", "country": "TN", "start": 26, "end": 31},
            "quantities": [{"role": "participants", "value": 300, "start": 0, "end": 3}]
        });
        let h = highlights(&ev, 5, 40);
        assert_eq!(h[0].kind, "actor");
        assert_eq!((h[0].start, h[0].end), (0, 8));
        assert_eq!(h[0].label, "EDU");
        assert_eq!(h[1].kind, "trigger");
        assert_eq!(h[1].label, "PROTEST demo");
        assert_eq!(h[2].label, "Tunis (TN)");
        assert_eq!(h.len(), 3, "the quantity lies before the sentence");
    }
}
