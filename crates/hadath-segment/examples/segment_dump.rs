//! Prints the analysis of a text file: `cargo run --example segment_dump -- FILE`.

use hadath_model::Document;
use hadath_segment::Segmenter;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: dump FILE");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            std::process::exit(1);
        }
    };
    let a = Segmenter::new().analyze(&Document::from_text(path.clone(), text.clone()));
    println!("lang {} {:?}", a.lang, a.languages);
    for s in &a.segments {
        let t: String = s.span.slice(&text).chars().take(70).collect();
        println!(
            "{:?} {} noise={} [{}..{}] {t}",
            s.kind, s.lang, s.noise, s.span.start, s.span.end
        );
    }
    for p in &a.posts {
        let t: String = p.span.slice(&text).chars().take(50).collect();
        println!(
            "POST {:?} {:?} {:?} sig={:?} links={:?} {t}",
            p.author, p.handle, p.date, p.signature, p.links
        );
    }
    for l in &a.links {
        println!("LINK {:?} {}", l.kind, l.span.slice(&text));
    }
}
