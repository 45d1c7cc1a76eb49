//! Measures how long the embedded actor lexicon takes to build and how fast `find` runs.
//!
//! `cargo run --release -p hadath-recognise --example actors_load_time`

use std::time::Instant;

use hadath_model::{Lang, Span};
use hadath_recognise::Actors;

fn main() {
    let t = Instant::now();
    let actors = Actors::embedded();
    let build = t.elapsed();
    println!(
        "Actors::embedded(): {} keys, built in {build:?}",
        actors.pattern_count()
    );

    let sentences = [
        ("قالت قوات الأمن الكازاخستانية إن المتظاهرين اقتحموا مبنى البلدية في ألماتي مساء الأربعاء.", Lang::Ar),
        ("وطلب الرئيس الكازاخستاني قاسم جومارت توكاييف مساعدة منظمة معاهدة الأمن الجماعي.", Lang::Ar),
        ("Kazakh police detained dozens of protesters after the government raised fuel prices.", Lang::En),
        ("President Tokayev asked the Russian-led CSTO for help, and Moscow said it would send troops.", Lang::En),
    ];
    let mut text = String::new();
    let mut spans = Vec::new();
    while text.len() < 8 << 20 {
        for (s, lang) in sentences {
            let start = text.len();
            text.push_str(s);
            spans.push((Span::new(start, text.len()), lang));
            text.push(' ');
        }
    }
    let t = Instant::now();
    let mut keylen = 0usize;
    for &(span, _) in &spans {
        keylen += hadath_normalize::normalize(span.slice(&text)).key.len();
    }
    println!(
        "normalize alone: {:.1} MB/s ({keylen} key bytes)",
        text.len() as f64 / 1e6 / t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let mut n = 0usize;
    for &(span, lang) in &spans {
        n += actors.find(&text, span, lang).len();
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "find: {:.1} MB in {secs:.2} s = {:.1} MB/s, {n} mentions",
        text.len() as f64 / 1e6,
        text.len() as f64 / 1e6 / secs
    );
}
