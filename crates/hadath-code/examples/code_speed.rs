//! Measures `Coder::code_sentence` throughput on a synthetic corpus (single thread).
//!
//! ```text
//! cargo run --release -p hadath-code --example code_speed [MEGABYTES]
//! ```
//! Sentences are built from templates written for this benchmark; half are event-free filler,
//! as in real news. Actor mentions are not searched (that is hadath-recognise's cost).

use std::time::Instant;

use hadath_code::Coder;
use hadath_model::{Lang, Span};

const EN: &[&str] = &[
    "Riot police fired tear gas at hundreds of protesters who gathered outside the ministry on {d}.",
    "The foreign minister said on {d} that talks with the neighbouring government would resume next week.",
    "Officials did not confirm reports that the army had withdrawn from the northern district.",
    "The central bank kept interest rates unchanged for the third month in a row, analysts said.",
    "Gunmen attacked a checkpoint near the border on {d}, killing two soldiers and wounding four.",
    "The prime minister praised the agreement as a step towards lasting stability in the region.",
    "Prices of bread and fuel rose sharply in the capital after the currency lost value.",
    "The union called on its members to stop work until the government meets their demands.",
];
const AR: &[&str] = &[
    "وتظاهر مئات الطلاب يوم {d} أمام مبنى الوزارة مطالبين بتحسين أوضاعهم المعيشية.",
    "وقال مصدر أمني إن انفجار سيارة مفخخة أسفر عن مقتل ثلاثة أشخاص وإصابة عشرة آخرين.",
    "وأكد الوزير أن الحكومة ماضية في تنفيذ خطتها الاقتصادية رغم الصعوبات الراهنة.",
    "واعتقلت قوات الأمن عددا من الناشطين بعد مداهمة منازلهم فجر {d}.",
    "وارتفعت أسعار المواد الغذائية في الأسواق المحلية خلال الأسبوع الماضي.",
    "والتقى رئيس الوزراء نظيره الأردني في العاصمة لبحث سبل التعاون بين البلدين.",
];
const DAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday"];
const AR_DAYS: &[&str] = &["الاثنين", "الثلاثاء", "الأربعاء", "الخميس"];

fn corpus(templates: &[&str], days: &[&str], bytes: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut n = 0usize;
    let mut i = 0usize;
    while n < bytes {
        let t = templates[i % templates.len()];
        let s = t.replace("{d}", days[(i / templates.len()) % days.len()]);
        n += s.len() + 1;
        out.push(s);
        i += 1;
    }
    out
}

fn run(coder: &Coder, sents: &[String], lang: Lang) -> (f64, usize) {
    let bytes: usize = sents.iter().map(|s| s.len() + 1).sum();
    let start = Instant::now();
    let mut events = 0usize;
    for s in sents {
        events += coder
            .code_sentence(s, Span::new(0, s.len()), lang, &[])
            .len();
    }
    let secs = start.elapsed().as_secs_f64();
    (bytes as f64 / 1e6 / secs, events)
}

fn main() {
    let mb: f64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20.0);
    let t = Instant::now();
    let coder = Coder::try_embedded().unwrap_or_else(|e| panic!("{e}"));
    println!("lexicon compile: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    let bytes = (mb * 1e6) as usize;
    let en = corpus(EN, DAYS, bytes);
    let ar = corpus(AR, AR_DAYS, bytes);
    let (r, n) = run(&coder, &en, Lang::En);
    println!(
        "English: {r:.1} MB/s ({n} events in {} sentences)",
        en.len()
    );
    let (r, n) = run(&coder, &ar, Lang::Ar);
    println!(
        "Arabic:  {r:.1} MB/s ({n} events in {} sentences)",
        ar.len()
    );
}
