//! `hadath eval`: scores records against a gold file in the format of `../shared/gold/`, with
//! the same metrics as `shared/eval/score.py`, plus a confusion table and the worst misses.
//!
//! Gold lines: `{"id", "date", "text", "gold": {"task", "label", "events": [{"type", "types"?,
//! "actors": [{"code"}]}] | "places": [{"start","end","lat","lon"}]}}`.
//! Tasks: `ar-protest`/`ar-assault` (sentence detection of one type: P/R/F1), `en-plover`
//! (type of the most confident event: accuracy@1, hit rate, actor country-code hit rate),
//! `en-geo` (toponym P/R/F1 by overlapping spans, accuracy within 161 km over all gold toponyms).

use crate::record::Record;
use serde::Deserialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// One gold line.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldItem {
    pub id: Value,
    #[serde(default)]
    pub date: Option<String>,
    pub text: String,
    pub gold: Gold,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Gold {
    pub task: String,
    #[serde(default)]
    pub label: Option<bool>,
    #[serde(default)]
    pub events: Vec<Value>,
    #[serde(default)]
    pub places: Vec<Value>,
}

impl GoldItem {
    /// The id as the string `hadath extract` keeps.
    pub fn id_string(&self) -> String {
        match &self.id {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
}

/// Metrics for one gold file, built from (gold, record) pairs.
#[derive(Debug, Default)]
pub struct Evaluation {
    task: String,
    n: usize,
    // detection
    tp: usize,
    fp: usize,
    fn_: usize,
    // plover
    acc: usize,
    hit: usize,
    actor_hit: usize,
    actor_n: usize,
    npred_types: usize,
    confusion: BTreeMap<(String, String), usize>,
    // geo
    ngold: usize,
    npred: usize,
    matched: usize,
    within: usize,
    errors_km: Vec<f64>,
    misses: Vec<Miss>,
}

/// An item the system got wrong, with how badly.
#[derive(Debug, Clone)]
pub struct Miss {
    pub id: String,
    pub what: String,
    pub text: String,
    weight: f64,
}

fn types_by_confidence(rec: &Record) -> Vec<String> {
    let mut evs: Vec<_> = rec.events.iter().collect();
    evs.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
    evs.iter().map(|e| e.event_type.to_uppercase()).collect()
}

fn km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (
        a.0.to_radians(),
        a.1.to_radians(),
        b.0.to_radians(),
        b.1.to_radians(),
    );
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().min(1.0).asin()
}

fn snippet(text: &str) -> String {
    let s: String = text.chars().take(110).collect();
    if s.len() < text.len() {
        format!("{s}…")
    } else {
        s
    }
}

impl Evaluation {
    pub fn new() -> Evaluation {
        Evaluation::default()
    }

    /// Adds one gold item and the record extracted from its text.
    pub fn add(&mut self, gold: &GoldItem, rec: &Record) {
        if self.task.is_empty() {
            self.task = gold.gold.task.clone();
        }
        self.n += 1;
        let id = gold.id_string();
        let task = gold.gold.task.as_str();
        let types = types_by_confidence(rec);
        match task {
            "ar-protest" | "ar-assault" => {
                let want = task.split('-').nth(1).unwrap_or("").to_uppercase();
                let p = types.contains(&want);
                let y = gold.gold.label.unwrap_or(false);
                match (y, p) {
                    (true, true) => self.tp += 1,
                    (false, true) => {
                        self.fp += 1;
                        self.miss(&id, format!("false {want}"), &gold.text, 1.0);
                    }
                    (true, false) => {
                        self.fn_ += 1;
                        self.miss(&id, format!("missed {want}"), &gold.text, 1.0);
                    }
                    (false, false) => {}
                }
            }
            "en-geo" => self.add_geo(&id, gold, rec),
            _ => {
                let want: BTreeSet<String> = gold
                    .gold
                    .events
                    .iter()
                    .flat_map(|e| match e.get("types").and_then(Value::as_array) {
                        Some(ts) => ts
                            .iter()
                            .filter_map(Value::as_str)
                            .map(str::to_string)
                            .collect(),
                        None => e
                            .get("type")
                            .and_then(Value::as_str)
                            .map(|t| vec![t.to_string()])
                            .unwrap_or_default(),
                    })
                    .collect();
                self.npred_types += types.iter().collect::<BTreeSet<_>>().len();
                let top = types.first().cloned().unwrap_or_else(|| "(none)".into());
                let right = want.contains(&top);
                self.acc += usize::from(right);
                self.hit += usize::from(types.iter().any(|t| want.contains(t)));
                let gold_type = want.iter().next().cloned().unwrap_or_default();
                *self
                    .confusion
                    .entry((
                        if right {
                            top.clone()
                        } else {
                            gold_type.clone()
                        },
                        top.clone(),
                    ))
                    .or_default() += 1;
                if !right {
                    self.miss(&id, format!("gold {gold_type}, got {top}"), &gold.text, 1.0);
                }
                let codes: BTreeSet<String> = gold
                    .gold
                    .events
                    .iter()
                    .flat_map(|e| {
                        e.get("actors")
                            .and_then(Value::as_array)
                            .cloned()
                            .unwrap_or_default()
                    })
                    .filter_map(|a| a.get("code").and_then(Value::as_str).map(str::to_string))
                    .filter(|c| !c.is_empty())
                    .collect();
                if !codes.is_empty() {
                    self.actor_n += 1;
                    let mut got = BTreeSet::new();
                    for e in &rec.events {
                        for a in &e.actors {
                            let c = a.code.as_deref().unwrap_or("");
                            got.insert(c.to_string());
                            got.insert(c.chars().take(3).collect::<String>());
                        }
                    }
                    self.actor_hit += usize::from(codes.iter().any(|c| got.contains(c)));
                }
            }
        }
    }

    fn add_geo(&mut self, id: &str, gold: &GoldItem, rec: &Record) {
        let preds = &rec.places;
        self.npred += preds.len();
        let mut used = BTreeSet::new();
        let chars: Vec<char> = gold.text.chars().collect();
        for gp in &gold.gold.places {
            self.ngold += 1;
            let (gs, ge) = (
                gp.get("start").and_then(Value::as_u64).unwrap_or(0),
                gp.get("end").and_then(Value::as_u64).unwrap_or(0),
            );
            let name: String = chars
                .get(gs as usize..(ge as usize).min(chars.len()))
                .map(|c| c.iter().collect())
                .unwrap_or_default();
            let best = preds
                .iter()
                .enumerate()
                .find(|(k, p)| !used.contains(k) && (p.start as u64) < ge && gs < p.end as u64);
            let Some((k, p)) = best else {
                self.miss(id, format!("missed toponym {name:?}"), &gold.text, 1.0);
                continue;
            };
            used.insert(k);
            self.matched += 1;
            let g = (
                gp.get("lat").and_then(Value::as_f64).unwrap_or(0.0),
                gp.get("lon").and_then(Value::as_f64).unwrap_or(0.0),
            );
            let d = km(g, (p.lat, p.lon));
            self.errors_km.push(d);
            if d <= 161.0 {
                self.within += 1;
            } else {
                self.miss(
                    id,
                    format!("{name:?} resolved to {:?}, {d:.0} km off", p.name),
                    &gold.text,
                    d,
                );
            }
        }
    }

    fn miss(&mut self, id: &str, what: String, text: &str, weight: f64) {
        self.misses.push(Miss {
            id: id.to_string(),
            what,
            text: snippet(text),
            weight,
        });
    }

    /// The summary line, in `score.py`'s format.
    pub fn summary(&self, missing: usize) -> String {
        let n = self.n;
        match self.task.as_str() {
            "ar-protest" | "ar-assault" => {
                let (p, r, f) = prf(self.tp, self.tp + self.fp, self.tp + self.fn_);
                format!(
                    "{} F1 {f:.3} P {p:.3} R {r:.3} n={n} missing={missing}",
                    self.task
                )
            }
            "en-geo" => {
                let (p, r, f) = prf(self.matched, self.npred, self.ngold);
                let acc = ratio(self.within, self.ngold);
                let mut e = self.errors_km.clone();
                e.sort_by(f64::total_cmp);
                let med = e.get(e.len() / 2).copied().unwrap_or(f64::NAN);
                format!(
                    "{} acc@161 {acc:.3} F1 {f:.3} P {p:.3} R {r:.3} median_km {med:.0} toponyms={} n={n} missing={missing}",
                    self.task, self.ngold
                )
            }
            _ => {
                let actor = if self.actor_n > 0 {
                    format!("{:.3}", ratio(self.actor_hit, self.actor_n))
                } else {
                    "n/a".into()
                };
                format!(
                    "{} acc@1 {:.3} hit {:.3} actor {actor} types/sent {:.2} n={n} missing={missing}",
                    self.task,
                    ratio(self.acc, n),
                    ratio(self.hit, n),
                    ratio(self.npred_types, n)
                )
            }
        }
    }

    /// The full report: confusion table (event typing tasks), worst misses, then the summary.
    pub fn report(&self, worst: usize) -> String {
        let mut out = String::new();
        if !self.confusion.is_empty() {
            let _ = writeln!(
                out,
                "confusion (gold → predicted top type), most frequent first:"
            );
            let mut rows: Vec<_> = self.confusion.iter().collect();
            rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            for ((g, p), c) in rows.iter().take(40) {
                let mark = if g == p { " " } else { "✗" };
                let _ = writeln!(out, "  {mark} {g:<10} → {p:<10} {c}");
            }
        }
        if worst > 0 && !self.misses.is_empty() {
            let mut misses: Vec<&Miss> = self.misses.iter().collect();
            misses.sort_by(|a, b| b.weight.total_cmp(&a.weight));
            let _ = writeln!(
                out,
                "worst misses ({} in all, {} shown):",
                misses.len(),
                worst.min(misses.len())
            );
            for m in misses.iter().take(worst) {
                let _ = writeln!(out, "  {} — {}\n      {}", m.id, m.what, m.text);
            }
        }
        out
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn prf(tp: usize, npred: usize, ngold: usize) -> (f64, f64, f64) {
    let p = ratio(tp, npred);
    let r = ratio(tp, ngold);
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}
