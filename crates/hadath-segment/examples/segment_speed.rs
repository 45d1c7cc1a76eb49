//! Single-thread throughput of `Segmenter::analyze` on a synthetic corpus (~20 MB of mixed
//! Arabic and English news paragraphs with links and pasted tweets).
//!
//! `cargo run --release -p hadath-segment --example segment_speed [MB] [--digest [DIR]]`
//!
//! With `--digest`, prints a checksum of every `Analysis` (of the synthetic corpus and of each
//! file in DIR, read as one document) instead of timing: a faster version must print the same.

use hadath_model::Document;
use hadath_segment::Segmenter;
use std::time::Instant;

/// Paragraphs written for this benchmark.
const ARABIC: &[&str] = &[
    "أعلنت وزارة الداخلية، مساء الثلاثاء، فرض حظر تجول في ثلاث مدن بعد مواجهات بين قوات الأمن ومحتجين على ارتفاع أسعار الخبز.",
    "وقال شهود عيان إن المتظاهرين أغلقوا الطريق السريع المؤدي إلى المطار بالإطارات المشتعلة، فيما أطلقت الشرطة الغاز المسيل للدموع لتفريقهم. وأضافوا أن عشرات الأشخاص أصيبوا بجروح.",
    "وذكرت وكالة الأنباء الرسمية أن الرئيس دعا إلى حوار وطني شامل، مؤكدا أن الحكومة ستراجع قرار رفع الأسعار خلال أسبوع؟ ولم يصدر تعليق من المعارضة.",
    "ارتفع عدد القتلى إلى 12 شخصا، بينهم طفلان، وفق حصيلة أولية نشرتها وزارة الصحة على موقعها https://example.org/news/2024/statement.",
    "من جهته، قال د. سامي الخطيب، أستاذ العلوم السياسية، إن «الأزمة الحالية تعكس غضبا متراكما منذ سنوات»، مشيرا إلى أن نسبة البطالة بلغت ٢٣٫٥ بالمئة.",
    "وتظاهر آلاف الطلاب أمام مبنى البرلمان للمطالبة بالإفراج عن زملائهم المعتقلين؛ ورفعوا لافتات كتب عليها شعارات تندد بالفساد.",
];
const ENGLISH: &[&str] = &[
    "Security forces fired tear gas at hundreds of demonstrators who had gathered outside the parliament building on Tuesday evening, witnesses said.",
    "The interior ministry said 12 people were killed and dozens injured in clashes across three cities. Officials blamed \"foreign agitators\" for the unrest.",
    "Gen. Marcus Hale told reporters in Washington that the U.S. Embassy would remain open, but non-essential staff had been told to leave by Jan. 15.",
    "Prices of bread and fuel rose by 3.5 percent last month, according to figures published by the central bank https://t.co/Xy12AbCd",
    "Crowds are marching toward the central square right now, chanting against the government pic.twitter.com/Qr34StUv",
    "Talks between the two sides collapsed late on Monday. Mediators said they would try again after the holiday.",
];
const SIGNATURE: &str = "— News Desk (@newsdesk) March 3, 2024";

fn main() {
    let mb: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20);
    let target = mb * 1_000_000;
    let mut docs = Vec::new();
    let mut bytes = 0usize;
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    while bytes < target {
        let arabic_doc = next(3) != 0;
        let paras = 4 + next(6);
        let mut text = String::new();
        for _ in 0..paras {
            let p = if arabic_doc == (next(5) != 0) {
                ARABIC[next(ARABIC.len())]
            } else {
                ENGLISH[next(ENGLISH.len())]
            };
            text.push_str(p);
            text.push_str("\n\n");
            if next(12) == 0 {
                text.push_str(SIGNATURE);
                text.push_str("\n\n");
            }
        }
        bytes += text.len();
        docs.push(Document::from_text(format!("d{}", docs.len()), text));
    }
    let seg = Segmenter::new();
    let mut args = std::env::args().skip_while(|a| a != "--digest");
    if args.next().is_some() {
        if let Some(dir) = args.next() {
            let mut paths: Vec<_> = std::fs::read_dir(&dir)
                .map(|r| r.filter_map(|e| e.ok().map(|e| e.path())).collect())
                .unwrap_or_default();
            paths.sort();
            for p in paths {
                if let Ok(text) = std::fs::read_to_string(&p) {
                    docs.push(Document::from_text(p.display().to_string(), text));
                }
            }
        }
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for d in &docs {
            let head: String = d.text.chars().take(200).collect();
            let out = format!("{:?}{:?}", seg.analyze(d), seg.detect_language(&head));
            for b in out.bytes() {
                h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
        }
        println!("{} docs, digest {h:016x}", docs.len());
        return;
    }
    // Warm up lingua's lazily loaded models.
    let _ = seg.analyze(&docs[0]);
    let cpu0 = thread_cpu_ns();
    let t = Instant::now();
    let mut segments = 0usize;
    for d in &docs {
        segments += seg.analyze(d).segments.len();
    }
    let secs = t.elapsed().as_secs_f64();
    let cpu = thread_cpu_ns().zip(cpu0).map(|(b, a)| (b - a) as f64 / 1e9);
    println!(
        "{} docs, {:.1} MB, {} segments in {:.2} s wall: {:.1} MB/s single thread",
        docs.len(),
        bytes as f64 / 1e6,
        segments,
        secs,
        bytes as f64 / 1e6 / secs
    );
    if let Some(cpu) = cpu {
        // On a shared machine the wall figure includes time spent waiting for a core.
        println!(
            "{cpu:.2} s on CPU: {:.1} MB/s per core",
            bytes as f64 / 1e6 / cpu
        );
    }
}

/// Nanoseconds this thread has run on a CPU (Linux; `None` elsewhere).
fn thread_cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}
