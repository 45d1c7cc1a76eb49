//! Throughput of the three finders on a synthetic corpus of Arabic and English news sentences
//! (about 5 MB, built from templates written for this example).
//!
//! Run with `cargo run --release -p hadath-resolve --example resolve_speed [MB]`. Prints MB/s for each
//! finder called separately, for the three in a row, and for `analyze_sentence`, and checks that
//! `analyze_sentence` gives the same results as the three separate calls.

use std::time::Instant;

use hadath_model::{Lang, PartialDate, Span};
use hadath_resolve::{analyze_sentence, date, quantity, source};

/// A small deterministic generator (xorshift), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        let n = xs.len().max(1) as u64;
        xs.get((self.next() % n) as usize).copied().unwrap_or("")
    }

    fn num(&mut self, max: u64) -> u64 {
        self.next() % max.max(1) + 1
    }
}

const AR_SUBJECTS: &[&str] = &[
    "تظاهر مئات الطلاب أمام مبنى البلدية",
    "أغلق محتجون غاضبون الطريق السريع المؤدي إلى الميناء",
    "خرج سكان الحي القديم في مسيرة سلمية",
    "اعتصم عمال المصنع داخل الساحة الرئيسية",
    "تجمع أنصار المعارضة قرب مقر البرلمان",
    "نظمت نقابة المعلمين وقفة احتجاجية أمام الوزارة",
    "اشتبك شبان مع قوات الأمن في شارع الجامعة",
];

const AR_EVENTS: &[&str] = &[
    "واعتقلت الشرطة نحو {n} متظاهرا",
    "وأصيب {n} أشخاص بجروح طفيفة",
    "وقتل {n} مدنيين في إطلاق نار",
    "ونهب مجهولون قرابة {n} متجرا ومقهى",
    "وأحرق المحتجون {n} سيارات للشرطة",
    "وشارك في المسيرة عشرات الآلاف من المواطنين",
    "ونزح أكثر من {n} شخص من القرى المجاورة",
    "ولم تسجل أي إصابات",
];

const AR_DATES: &[&str] = &[
    "صباح الأربعاء",
    "يوم الخميس {d} يناير",
    "منذ الأحد الماضي",
    "حتى {d} كانون الثاني الجاري",
    "أمس",
    "مساء اليوم",
    "الأسبوع الماضي",
    "في {d} مارس {y}",
    "",
];

const AR_SOURCES: &[&str] = &[
    "حسبما أفادت وكالة الأنباء الرسمية",
    "وفقا لمصادر طبية في المدينة",
    "بحسب ما نقلت وسائل إعلام محلية",
    "وقال متحدث باسم الداخلية إن الوضع تحت السيطرة",
    "",
];

const EN_SUBJECTS: &[&str] = &[
    "Hundreds of farmers blocked the northern highway",
    "Students marched through the old town centre",
    "Dock workers walked off the job at the container port",
    "Opposition supporters rallied outside the parliament building",
    "Residents of the eastern district staged a sit-in",
    "Teachers gathered in front of the education ministry",
    "Young men clashed with riot police near the university",
];

const EN_EVENTS: &[&str] = &[
    "and police detained about {n} protesters",
    "and at least {n} people were injured",
    "leaving {n} civilians dead",
    "while looters ransacked nearly {n} shops and cafes",
    "and {n} police cars were set on fire",
    "as tens of thousands joined the march",
    "and more than {n} families fled their homes",
    "without any reported casualties",
];

const EN_DATES: &[&str] = &[
    "on Wednesday",
    "on January {d}, {y}",
    "since last Sunday",
    "until March {d}",
    "yesterday evening",
    "last week",
    "on {d} May {y}",
    "",
];

const EN_SOURCES: &[&str] = &[
    ", the interior ministry said",
    ", according to local media",
    ", a spokesman for the regional governor told reporters",
    ", witnesses said",
    "",
];

/// CPU time of this thread in seconds (Linux `schedstat`), so that other load on the machine
/// does not count; `None` elsewhere.
fn cpu_secs() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = s.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

fn fill(rng: &mut Rng, s: &str) -> String {
    let n = rng.num(900).to_string();
    let d = rng.num(28).to_string();
    let y = (2015 + rng.num(8)).to_string();
    s.replace("{n}", &n).replace("{d}", &d).replace("{y}", &y)
}

fn sentence(rng: &mut Rng) -> String {
    if rng.next() & 1 == 0 {
        let parts = [
            rng.pick(AR_SUBJECTS),
            rng.pick(AR_DATES),
            rng.pick(AR_EVENTS),
            rng.pick(AR_SOURCES),
        ];
        let s = parts
            .iter()
            .filter(|p| !p.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("، ");
        fill(rng, &format!("{s}."))
    } else {
        let subj = rng.pick(EN_SUBJECTS);
        let date = rng.pick(EN_DATES);
        let ev = rng.pick(EN_EVENTS);
        let src = rng.pick(EN_SOURCES);
        let s = if date.is_empty() {
            format!("{subj} {ev}{src}.")
        } else {
            format!("{subj} {date} {ev}{src}.")
        };
        fill(rng, &s)
    }
}

fn main() {
    let mb: f64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(5.0);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut text = String::new();
    let mut spans = Vec::new();
    while (text.len() as f64) < mb * 1e6 {
        let s = sentence(&mut rng);
        let start = text.len();
        text.push_str(&s);
        spans.push(Span::new(start, text.len()));
        text.push(' ');
    }
    let bytes: usize = spans.iter().map(|s| s.end - s.start).sum();
    let anchor = PartialDate::day(2022, 1, 5);
    // Warm up the lexicons.
    let _ = analyze_sentence("x", Span::new(0, 1), Lang::Und, anchor);
    println!(
        "corpus: {} sentences, {:.2} MB",
        spans.len(),
        bytes as f64 / 1e6
    );

    let rate = |secs: f64| bytes as f64 / 1e6 / secs;
    let time = |name: &str, f: &dyn Fn(Span) -> usize| {
        let (t0, c0) = (Instant::now(), cpu_secs());
        let n: usize = spans.iter().map(|s| f(*s)).sum();
        let secs = t0.elapsed().as_secs_f64();
        let cpu = match (c0, cpu_secs()) {
            (Some(a), Some(b)) => format!("{:8.2} MB/s per CPU-second", rate(b - a)),
            _ => String::new(),
        };
        println!("{name:<22} {:8.2} MB/s wall {cpu}  ({n} found)", rate(secs));
    };
    if std::env::var_os("HADATH_SPEED_ONLY_ANALYZE").is_some() {
        for _ in 0..3 {
            time("analyze_sentence", &|s| {
                let f = analyze_sentence(&text, s, Lang::Und, anchor);
                f.dates.len() + f.quantities.len() + f.attributions.len()
            });
        }
        return;
    }
    time("dates", &|s| {
        date::find_dates(&text, s, Lang::Und, anchor).len()
    });
    time("quantities", &|s| {
        quantity::find_quantities(&text, s, Lang::Und).len()
    });
    time("attributions", &|s| {
        source::find_attributions(&text, s, Lang::Und).len()
    });
    time("three separate calls", &|s| {
        date::find_dates(&text, s, Lang::Und, anchor).len()
            + quantity::find_quantities(&text, s, Lang::Und).len()
            + source::find_attributions(&text, s, Lang::Und).len()
    });
    time("analyze_sentence", &|s| {
        let f = analyze_sentence(&text, s, Lang::Und, anchor);
        f.dates.len() + f.quantities.len() + f.attributions.len()
    });

    if let Ok(path) = std::env::var("HADATH_SPEED_DUMP") {
        use std::fmt::Write as _;
        let mut dump = String::new();
        for s in &spans {
            let _ = writeln!(
                dump,
                "{:?}\n{:?}\n{:?}",
                date::find_dates(&text, *s, Lang::Und, anchor),
                quantity::find_quantities(&text, *s, Lang::Und),
                source::find_attributions(&text, *s, Lang::Und)
            );
        }
        if let Err(e) = std::fs::write(&path, dump) {
            eprintln!("cannot write {path}: {e}");
        }
    }

    let mut differ = 0;
    for s in &spans {
        let f = analyze_sentence(&text, *s, Lang::Und, anchor);
        let same = f.dates == date::find_dates(&text, *s, Lang::Und, anchor)
            && f.quantities == quantity::find_quantities(&text, *s, Lang::Und)
            && f.attributions == source::find_attributions(&text, *s, Lang::Und);
        if !same {
            differ += 1;
        }
    }
    println!("analyze_sentence differs from separate calls on {differ} sentences");
}
