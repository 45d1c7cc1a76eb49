//! Throughput of [`Actors::find`] on a synthetic mix of Arabic and English news sentences
//! (written for this benchmark; most carry 0-3 actors), and the lexicon build time.
//!
//! `cargo run --release -p hadath-recognise --example actors_speed [-- DUMP_FILE]`
//!
//! With a file argument, every sentence's mentions are written there (Debug form), so two
//! builds can be compared for identical results.

use std::io::Write;
use std::time::Instant;

use hadath_model::{Lang, Span};
use hadath_recognise::Actors;

const SENTENCES: &[(&str, Lang)] = &[
    ("The ministry said on Tuesday that heavy rain had flooded several roads in the north.", Lang::En),
    ("Prices of bread and rice rose by about four percent in the third quarter, the report showed.", Lang::En),
    ("Kazakh police detained dozens of protesters after the government raised fuel prices.", Lang::En),
    ("President Tokayev asked the Russian-led CSTO for help, and Moscow said it would send troops.", Lang::En),
    ("A spokesman for the company declined to comment on the talks, which began last month.", Lang::En),
    ("Iraqi security forces clashed with gunmen near the border with Syria overnight.", Lang::En),
    ("The United Nations envoy met the Egyptian foreign minister in Cairo on Sunday.", Lang::En),
    ("Thousands of students marched through the capital demanding lower tuition fees.", Lang::En),
    ("Officials expect the new bridge to open before the end of next year, weather permitting.", Lang::En),
    ("Turkish troops shelled positions held by Kurdish fighters, a monitoring group said.", Lang::En),
    ("The court adjourned the hearing until March after lawyers asked for more time.", Lang::En),
    ("Local farmers say the drought has cut their harvest by half compared with last season.", Lang::En),
    ("NATO officials said the alliance would hold exercises in the Baltic region in the spring.", Lang::En),
    ("Residents reported hearing several explosions shortly after midnight, but no one was hurt.", Lang::En),
    ("قالت قوات الأمن الكازاخستانية إن المتظاهرين اقتحموا مبنى البلدية في ألماتي مساء الأربعاء.", Lang::Ar),
    ("وطلب الرئيس الكازاخستاني قاسم جومارت توكاييف مساعدة منظمة معاهدة الأمن الجماعي.", Lang::Ar),
    ("ارتفعت أسعار الخبز والأرز بنحو أربعة في المئة خلال الربع الثالث من العام الجاري.", Lang::Ar),
    ("وأفاد شهود عيان بأن الأمطار الغزيرة أغرقت عدداً من الشوارع في المدينة صباح اليوم.", Lang::Ar),
    ("التقى وزير الخارجية المصري نظيره الأردني في عمان لبحث العلاقات الثنائية.", Lang::Ar),
    ("أعلنت الحكومة العراقية حالة الطوارئ بعد اشتباكات مسلحة قرب الحدود مع سوريا.", Lang::Ar),
    ("ومن المتوقع أن يُفتتح الجسر الجديد قبل نهاية العام المقبل إذا سمحت الأحوال الجوية.", Lang::Ar),
    ("خرج آلاف الطلاب في مسيرة وسط العاصمة للمطالبة بخفض الرسوم الدراسية.", Lang::Ar),
    ("وقال متحدث باسم الشركة إنه لا يستطيع التعليق على المفاوضات التي بدأت الشهر الماضي.", Lang::Ar),
    ("واعتقلت الشرطة التونسية عددا من المحتجين أمام مقر البرلمان في العاصمة.", Lang::Ar),
    ("أجلت المحكمة النظر في القضية إلى شهر مارس بناء على طلب هيئة الدفاع.", Lang::Ar),
    ("يقول المزارعون إن الجفاف قلّص محصولهم إلى النصف مقارنة بالموسم الماضي.", Lang::Ar),
    ("وأكد مسؤولون في حلف الناتو أن الحلف سيجري مناورات في منطقة البلطيق في الربيع.", Lang::Ar),
    ("سمع السكان دوي عدة انفجارات بعد منتصف الليل بقليل، ولم يصب أحد بأذى.", Lang::Ar),
];

/// CPU time of this thread in seconds (Linux `schedstat`), so that a busy machine does not
/// skew the figure; `None` elsewhere.
fn cpu_secs() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = s.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

fn main() {
    let t = Instant::now();
    let actors = Actors::embedded();
    let build = t.elapsed();
    println!(
        "Actors::embedded(): {} keys, built in {build:?}",
        actors.pattern_count()
    );

    if let Some(path) = std::env::args().nth(1) {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("dump file"));
        for (s, lang) in SENTENCES {
            let found = actors.find(s, Span::new(0, s.len()), *lang);
            writeln!(f, "{s}\n{found:#?}").expect("write dump");
        }
    }

    let mut text = String::new();
    let mut spans = Vec::new();
    while text.len() < 16 << 20 {
        for &(s, lang) in SENTENCES {
            let start = text.len();
            text.push_str(s);
            spans.push((Span::new(start, text.len()), lang));
            text.push(' ');
        }
    }
    let (mut best, mut best_cpu) = (f64::MAX, f64::MAX);
    let mut n = 0usize;
    for _ in 0..3 {
        let (t, c) = (Instant::now(), cpu_secs());
        n = 0;
        for &(span, lang) in &spans {
            n += actors.find(&text, span, lang).len();
        }
        best = best.min(t.elapsed().as_secs_f64());
        if let (Some(c0), Some(c1)) = (c, cpu_secs()) {
            best_cpu = best_cpu.min(c1 - c0);
        }
    }
    let mb = text.len() as f64 / 1e6;
    println!(
        "find: {mb:.1} MB, best of 3: wall {best:.2} s = {:.1} MB/s, CPU {best_cpu:.2} s = {:.1} MB/s; {n} mentions",
        mb / best,
        mb / best_cpu
    );
}
