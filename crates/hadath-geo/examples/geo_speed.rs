//! Measures `Geoparser::places` throughput on a synthetic corpus of mixed Arabic/English news
//! sentences (written for this benchmark), or shows what it finds in lines of text.
//!
//! `cargo run --release -p hadath-geo --example geo_speed [-- MEGABYTES [mixed|en|ar]]`
//! `cargo run --release -p hadath-geo --example geo_speed -- --show < lines.txt`

use hadath_geo::{Gazetteer, Geoparser};
use hadath_model::{Lang, Span};
use std::io::BufRead;

const EN: &[&str] = &[
    "Police in Almaty said on Tuesday that three people were detained after the rally.",
    "The ministry of health reported 42 new cases in the northern province of Balkh.",
    "Thousands of protesters marched through central Cairo demanding lower bread prices.",
    "Officials in Washington and Brussels discussed new sanctions against the company.",
    "A car bomb exploded near a checkpoint outside Mogadishu, killing at least five soldiers.",
    "The governor of Texas announced that the border crossing at El Paso would reopen.",
    "Farmers blocked roads into Paris and Lyon as talks with the government stalled.",
    "Heavy rain flooded parts of Karachi, and the army was deployed to help residents.",
    "The former president told reporters in Nairobi that the election had been fair.",
    "Shelling resumed overnight around Donetsk, according to local authorities.",
    "Workers at the port of Aden went on strike over unpaid wages, a union leader said.",
    "The United Nations envoy met rebel leaders in Geneva to prepare the next round.",
    "Students gathered at the university gates and chanted slogans against the decree.",
    "The outbreak was first detected in a village near Kano in northern Nigeria.",
    "Turkey and Iraq agreed to share water from the Tigris under a new accord.",
];

const AR: &[&str] = &[
    "أعلنت السلطات في مدينة ألماتي حالة الطوارئ بعد احتجاجات واسعة على ارتفاع الأسعار.",
    "قالت وزارة الداخلية إن قوات الأمن اعتقلت عشرات المتظاهرين في وسط العاصمة.",
    "وصل وزير الخارجية إلى عمان صباح اليوم في زيارة تستمر يومين.",
    "خرج آلاف المحتجين في شوارع بغداد والبصرة للمطالبة بتحسين الخدمات.",
    "أفادت مصادر محلية بسقوط قذائف على أحياء في مدينة حلب شمال سوريا.",
    "التقى الرئيس المصري نظيره الفرنسي في القاهرة لبحث التعاون الاقتصادي.",
    "نظم عمال الميناء إضرابا في الدار البيضاء احتجاجا على تأخر الرواتب.",
    "دعا مجلس الأمن الدولي إلى وقف فوري لإطلاق النار في غزة.",
    "أكد الرئيس السابق في كلمة له أن البلاد تمر بمرحلة صعبة.",
    "شهدت مدينة سطات المغربية وقفة احتجاجية أمام مقر العمالة.",
    "أعلن الجيش أنه استعاد السيطرة على عدة قرى في ريف إدلب الجنوبي.",
    "وقعت الحكومة اتفاقا مع صندوق النقد الدولي للحصول على قرض جديد.",
    "انتشرت الشرطة بكثافة في محيط السفارة بعد دعوات للتظاهر يوم الجمعة.",
    "نقلت وكالة الأنباء الرسمية عن مسؤول قوله إن المفاوضات ستستأنف في الدوحة.",
    "تظاهر المئات في الخرطوم ومدن أخرى رفضا للاتفاق السياسي الجديد.",
];

fn lang_of(s: &str) -> Lang {
    if s.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) {
        Lang::Ar
    } else {
        Lang::En
    }
}

/// Seconds this thread has run on a CPU (Linux `/proc/self/schedstat`), so that timings on a
/// busy machine count only our own time; wall-clock time elsewhere.
fn cpu_seconds(wall: std::time::Instant) -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or_else(|| wall.elapsed().as_secs_f64(), |ns| ns / 1e9)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let gp = Geoparser::new(Gazetteer::embedded());
    if args.first().map(String::as_str) == Some("--show") {
        for line in std::io::stdin().lock().lines() {
            let line = line?;
            let found = gp.places(&line, &[(Span::new(0, line.len()), lang_of(&line))], None);
            let shown: Vec<String> = found
                .iter()
                .map(|m| {
                    format!(
                        "{} → {} ({}, {}, {})",
                        m.text,
                        m.place.name,
                        m.place.country,
                        m.place.kind.as_str(),
                        m.place.population
                    )
                })
                .collect();
            println!("{line}\n    {}", shown.join("; "));
        }
        return Ok(());
    }
    let mb: f64 = args.first().and_then(|a| a.parse().ok()).unwrap_or(4.0);
    let mix = args.get(1).map_or("mixed", String::as_str);
    // Documents of 12 sentences, mixing the two lists in a varying order.
    let mut docs: Vec<(String, Vec<(Span, Lang)>)> = Vec::new();
    let mut total = 0usize;
    let mut k = 0usize;
    while (total as f64) < mb * 1e6 {
        let mut text = String::new();
        let mut sents = Vec::new();
        for j in 0..12 {
            let en = match mix {
                "en" => true,
                "ar" => false,
                _ => (k + j).is_multiple_of(2),
            };
            let s = if en {
                EN[(k * 7 + j * 3) % EN.len()]
            } else {
                AR[(k * 5 + j * 11) % AR.len()]
            };
            let start = text.len();
            text.push_str(s);
            sents.push((Span::new(start, text.len()), lang_of(s)));
            text.push(' ');
        }
        total += text.len();
        docs.push((text, sents));
        k += 1;
    }
    // Warm up (first use parses the rows it touches).
    for (t, s) in docs.iter().take(50) {
        gp.places(t, s, None);
    }
    let wall = std::time::Instant::now();
    let c0 = cpu_seconds(wall);
    let mut keys = 0usize;
    for (t, _) in &docs {
        keys += hadath_normalize::normalize(t).key.len();
    }
    let c1 = cpu_seconds(wall);
    let mut found = 0usize;
    for (t, s) in &docs {
        found += gp.places(t, s, None).len();
    }
    let c2 = cpu_seconds(wall);
    let mb = total as f64 / 1e6;
    println!(
        "{} docs, {total} bytes ({keys} key bytes): normalize alone {:.1} MB/s; places(): \
         {found} places in {:.3} s CPU = {:.1} MB/s",
        docs.len(),
        mb / (c1 - c0),
        c2 - c1,
        mb / (c2 - c1)
    );
    Ok(())
}
