//! Query latency on a store: p50/p99 of typical filters (a page of 100 events plus the total,
//! as `hadath query` and `GET /api/events` run them).
//!
//! `cargo run --release -p hadath-store --example bench_query -- STORE [RUNS]`
//! (make a large store with `scripts/bench-store.py gen`).

use hadath_store::{Filter, Store};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let url = args.next().ok_or("usage: bench_query STORE [RUNS]")?;
    let runs: usize = args.next().map(|r| r.parse()).transpose()?.unwrap_or(200);
    let mut store = Store::open(&url)?;
    let c = store.counts()?;
    println!(
        "store {url}: {} events, {} mentions, {} documents; {runs} runs per filter",
        c.events, c.mentions, c.documents
    );
    let cases: &[&[(&str, &str)]] = &[
        &[],
        &[("type", "PROTEST")],
        &[("country", "KZ")],
        &[("type", "PROTEST"), ("country", "EG")],
        &[("from", "2022-01-01"), ("to", "2022-01-31")],
        &[
            ("type", "ASSAULT"),
            ("from", "2023-06-01"),
            ("to", "2023-06-30"),
        ],
        &[("actor", "KAZGOV")],
        &[("near", "43.25,76.95"), ("radius_km", "25")],
        &[("lang", "ar"), ("type", "COERCE")],
        &[("q", "parliament"), ("type", "PROTEST")],
        &[("country", "FR"), ("sort", "-confidence")],
        &[("type", "PROTEST"), ("offset", "5000")],
    ];
    println!(
        "{:<48} {:>9} {:>9} {:>9} {:>9}",
        "filter", "total", "p50 ms", "p99 ms", "max ms"
    );
    for case in cases {
        let (f, p) = Filter::from_pairs(case.iter().copied())?;
        let mut times = Vec::with_capacity(runs);
        let mut total = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let page = store.events(&f, &p)?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            total = page.total;
        }
        times.sort_by(|a, b| a.total_cmp(b));
        let q = |x: f64| times[((times.len() as f64 - 1.0) * x).round() as usize];
        let label = if case.is_empty() {
            "(none)".to_string()
        } else {
            case.iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("&")
        };
        println!(
            "{label:<48} {total:>9} {:>9.2} {:>9.2} {:>9.2}",
            q(0.5),
            q(0.99),
            q(1.0)
        );
    }
    let t = Instant::now();
    let s = store.stats(&Filter::default())?;
    println!(
        "stats (no filter): {} day×type rows in {:.1} ms",
        s.by_day.len(),
        t.elapsed().as_secs_f64() * 1000.0
    );
    Ok(())
}
