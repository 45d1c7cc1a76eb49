//! The *segment* stage of hadath: paragraphs, sentences, links, pasted social posts and
//! language identification for one [`Document`].
//!
//! Data flow of [`Segmenter::analyze`]:
//! 1. **Links** ([`LinkKind`]: URLs, `pic.twitter.com` media, `@handles`, `#hashtags`) are found
//!    first, and a *masked* copy of the text (links blanked out) feeds everything that counts
//!    letters, so a URL never makes a sentence English and a link-only line is noise.
//! 2. **Paragraphs** split at blank lines, and at single newlines where the script changes or a
//!    post signature starts. A paragraph equal to `doc.title` becomes a [`SegmentKind::Title`].
//! 3. **Sentences** split inside each paragraph (abbreviations from `data/abbreviations.toml`).
//! 4. **Languages**: per sentence, by script, distinctive letters and function words
//!    (`data/lang_cues.toml`), with lingua only for ambiguous Latin-script text; a paragraph's
//!    language is the one with most letters among its sentences.
//! 5. **Posts**: tweet signature lines (`— Name (@handle) January 5, 2022`) claim the paragraph
//!    before them; paragraphs in a foreign language ending in `pic.twitter.com`/`t.co` links are
//!    posts without a signature; `doc.post_hints` from HTML are merged in.
//!
//! The result is an [`Analysis`]; every [`Span`] is a byte range of `doc.text` on char
//! boundaries.
//!
//! ```
//! use hadath_model::{Document, Lang, SegmentKind};
//! use hadath_segment::Segmenter;
//!
//! let seg = Segmenter::new();
//! let doc = Document::from_text("d1", "وصل الوفد إلى العاصمة. وبدأت المحادثات.\n\nTalks began today in the capital.");
//! let a = seg.analyze(&doc);
//! assert_eq!(a.lang, Lang::Ar);
//! let sentences: Vec<_> = a.segments.iter().filter(|s| s.kind == SegmentKind::Sentence).collect();
//! assert_eq!(sentences.len(), 3);
//! assert_eq!(sentences[2].lang, Lang::En);
//! ```

mod config;
mod lang;
mod links;
mod posts;
mod scan;
mod sentence;

pub use config::{
    Abbreviations, LangCues, SegmentError, DEFAULT_ABBREVIATIONS, DEFAULT_LANG_CUES, DEFAULT_MONTHS,
};
pub use links::find_links;
pub use posts::{parse_post_date, parse_signature, Signature};

use hadath_model::{Document, Lang, Link, LinkKind, Post, Segment, SegmentKind, Span};
use lang::{Features, Identifier};

/// What [`Segmenter::analyze`] finds in a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// Titles, paragraphs, posts and sentences, sorted by start, then containers first
    /// (title/paragraph, post, sentence), then longer first.
    pub segments: Vec<Segment>,
    /// Pasted social posts (from text and from `doc.post_hints`), sorted by start.
    pub posts: Vec<Post>,
    /// URLs, media links, handles and hashtags, sorted by start.
    pub links: Vec<Link>,
    /// The main language of the document (`Und` when it has no letters).
    pub lang: Lang,
    /// Share of letters per language over non-noise paragraphs, sorted descending; sums to ~1.
    pub languages: Vec<(Lang, f32)>,
}

/// Splits documents into segments and identifies languages. Build once and share across
/// threads (it is `Send + Sync`); building loads the data files and the lingua detector.
pub struct Segmenter {
    abbr: Abbreviations,
    cues: LangCues,
    id: Identifier,
}

impl Default for Segmenter {
    fn default() -> Segmenter {
        Segmenter::new()
    }
}

/// A paragraph while it is being analysed.
struct Para {
    span: Span,
    signature: Option<Signature>,
    title: bool,
    /// Index range into the sentence list.
    sentences: std::ops::Range<usize>,
    lang: Lang,
    letters: u32,
}

/// A sentence while it is being analysed.
struct Sent {
    span: Span,
    lang: Lang,
    letters: u32,
    noise: bool,
}

impl Segmenter {
    /// A segmenter with the embedded default data files.
    pub fn new() -> Segmenter {
        Segmenter::from_data(DEFAULT_ABBREVIATIONS, DEFAULT_LANG_CUES).unwrap_or_else(|_| {
            // The embedded files are checked by a unit test; this is only a last resort.
            Segmenter {
                abbr: Abbreviations::default(),
                cues: LangCues::default(),
                id: Identifier::new(),
            }
        })
    }

    /// A segmenter with user-supplied abbreviation and language-cue files (same shape as
    /// [`DEFAULT_ABBREVIATIONS`] and [`DEFAULT_LANG_CUES`]).
    pub fn from_data(abbreviations: &str, lang_cues: &str) -> Result<Segmenter, SegmentError> {
        Ok(Segmenter {
            abbr: Abbreviations::from_toml(abbreviations)?,
            cues: LangCues::from_toml(lang_cues)?,
            id: Identifier::new(),
        })
    }

    /// The language of one piece of text (links, handles, hashtags and numbers ignored).
    pub fn detect_language(&self, text: &str) -> Lang {
        let masked = links::mask(text, &find_links(text));
        self.id
            .decide(&Features::of(&masked, &self.cues), &masked, None)
    }

    /// Segments `doc`, finds its links and posts, and identifies its languages.
    pub fn analyze(&self, doc: &Document) -> Analysis {
        let text = doc.text.as_str();
        let links = find_links(text);
        let masked = links::mask(text, &links);
        let mut paras = paragraphs(text, &masked);
        mark_title(text, doc.title.as_deref(), &mut paras);

        // Sentences and languages.
        let mut spans = Vec::new();
        let mut feats: Vec<Features> = Vec::new();
        let mut sents: Vec<Sent> = Vec::with_capacity(paras.len() * 2);
        for p in &mut paras {
            spans.clear();
            let ptext = p.span.slice(text);
            sentence::split(ptext, p.span.start, &self.abbr, &mut spans);
            feats.clear();
            if p.signature.is_none() {
                feats.extend(
                    spans
                        .iter()
                        .map(|s| Features::of(s.slice(&masked), &self.cues)),
                );
            }
            let first = sents.len();
            if p.signature.is_some() {
                // A signature line is noise; its language (that of a name) means nothing.
                for s in &spans {
                    sents.push(Sent {
                        span: *s,
                        lang: Lang::Und,
                        letters: 0,
                        noise: true,
                    });
                }
            } else if let [only] = feats.as_slice() {
                let lang = self.id.decide(only, p.span.slice(&masked), None);
                sents.push(Sent {
                    span: spans.first().copied().unwrap_or(p.span),
                    lang,
                    letters: only.letters(),
                    noise: only.letters() == 0 || p.signature.is_some(),
                });
            } else {
                let mut total = Features::default();
                for f in &feats {
                    total += *f;
                }
                let prior = self.id.decide(&total, p.span.slice(&masked), None);
                for (s, f) in spans.iter().zip(&feats) {
                    sents.push(Sent {
                        span: *s,
                        lang: self.id.decide(f, s.slice(&masked), Some(prior)),
                        letters: f.letters(),
                        noise: f.letters() == 0 || p.signature.is_some(),
                    });
                }
            }
            p.sentences = first..sents.len();
            let (lang, letters) = dominant(sents.get(p.sentences.clone()).unwrap_or(&[]));
            p.lang = lang;
            p.letters = letters;
        }

        // Document languages: letters per sentence language over non-noise paragraphs.
        let mut counts: Vec<(Lang, u64)> = Vec::new();
        for p in paras
            .iter()
            .filter(|p| p.letters > 0 && p.signature.is_none())
        {
            for s in sents.get(p.sentences.clone()).unwrap_or(&[]) {
                if s.letters > 0 && s.lang != Lang::Und {
                    add_count(&mut counts, s.lang, u64::from(s.letters));
                }
            }
        }
        let total: u64 = counts.iter().map(|c| c.1).sum();
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let doc_lang = counts.first().map_or(Lang::Und, |c| c.0);
        let languages = counts
            .iter()
            .map(|&(l, n)| {
                (
                    l,
                    ((n as f64 / total as f64) * 100.0).round() as f32 / 100.0,
                )
            })
            .filter(|&(_, share)| share > 0.0)
            .collect();

        let posts = find_posts(doc, &paras, &links, doc_lang);

        // Segments.
        let mut segments = Vec::with_capacity(paras.len() + sents.len() + posts.len());
        for p in &paras {
            segments.push(Segment {
                kind: if p.title {
                    SegmentKind::Title
                } else {
                    SegmentKind::Paragraph
                },
                span: p.span,
                lang: p.lang,
                noise: p.letters == 0 || p.signature.is_some(),
            });
        }
        for s in &sents {
            segments.push(Segment {
                kind: SegmentKind::Sentence,
                span: s.span,
                lang: s.lang,
                noise: s.noise,
            });
        }
        for post in &posts {
            let inside: Vec<&Sent> = sents
                .iter()
                .filter(|s| post.span.contains(s.span))
                .collect();
            let (lang, letters) = if inside.is_empty() {
                let f = Features::of(post.span.slice(&masked), &self.cues);
                (
                    self.id.decide(&f, post.span.slice(&masked), None),
                    f.letters(),
                )
            } else {
                dominant_refs(&inside)
            };
            segments.push(Segment {
                kind: SegmentKind::Post,
                span: post.span,
                lang,
                noise: letters == 0,
            });
        }
        segments.sort_by_key(|s| {
            (
                s.span.start,
                kind_rank(s.kind),
                std::cmp::Reverse(s.span.end),
            )
        });

        Analysis {
            segments,
            posts,
            links,
            lang: doc_lang,
            languages,
        }
    }
}

/// The language of one short line with the default data (builds a [`Segmenter`] once per
/// process). Links, handles, hashtags and numbers are ignored; `Und` when no letters are left.
///
/// ```
/// use hadath_model::Lang;
/// use hadath_segment::detect_language;
/// assert_eq!(detect_language("@user عاجل: انفجار في المدينة https://t.co/x1"), Lang::Ar);
/// assert_eq!(detect_language("2022 https://t.co/x1 #tag"), Lang::Und);
/// ```
pub fn detect_language(text: &str) -> Lang {
    static SEG: std::sync::OnceLock<Segmenter> = std::sync::OnceLock::new();
    SEG.get_or_init(Segmenter::new).detect_language(text)
}

fn kind_rank(k: SegmentKind) -> u8 {
    match k {
        SegmentKind::Title => 0,
        SegmentKind::Paragraph => 1,
        SegmentKind::Post => 2,
        SegmentKind::Sentence => 3,
    }
}

fn add_count(counts: &mut Vec<(Lang, u64)>, lang: Lang, n: u64) {
    match counts.iter_mut().find(|c| c.0 == lang) {
        Some(c) => c.1 += n,
        None => counts.push((lang, n)),
    }
}

/// The language with most letters among `sents`, and the total letters.
fn dominant(sents: &[Sent]) -> (Lang, u32) {
    dominant_of(sents.iter())
}

fn dominant_refs(sents: &[&Sent]) -> (Lang, u32) {
    dominant_of(sents.iter().copied())
}

fn dominant_of<'a>(mut sents: impl ExactSizeIterator<Item = &'a Sent>) -> (Lang, u32) {
    if sents.len() == 1 {
        if let Some(one) = sents.next() {
            return (one.lang, one.letters);
        }
    }
    let mut counts: Vec<(Lang, u64)> = Vec::new();
    let mut total = 0u32;
    for s in sents {
        total += s.letters;
        if s.letters > 0 && s.lang != Lang::Und {
            add_count(&mut counts, s.lang, u64::from(s.letters));
        }
    }
    let lang = counts
        .iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map_or(Lang::Und, |c| c.0);
    (lang, total)
}

/// The dominant script of a line, when it has at least 3 letters.
fn line_script(masked_line: &str) -> Option<u8> {
    let (mut ar, mut la, mut cy, mut he) = (0u32, 0u32, 0u32, 0u32);
    for c in masked_line.chars() {
        match c as u32 {
            0x41..=0x5A | 0x61..=0x7A | 0xC0..=0x24F => la += 1,
            0x0620..=0x064A | 0x066E..=0x06D3 | 0x06FA..=0x06FF | 0x0750..=0x077F => ar += 1,
            0x0400..=0x04FF => cy += 1,
            0x05D0..=0x05EA => he += 1,
            _ => {}
        }
    }
    let best = [(ar, 1u8), (la, 2), (cy, 3), (he, 4)]
        .into_iter()
        .max_by_key(|c| c.0)?;
    (best.0 >= 3).then_some(best.1)
}

/// Splits `text` into paragraphs: blank lines always; single newlines where the script of
/// the next line differs or a signature line starts or ends.
fn paragraphs(text: &str, masked: &str) -> Vec<Para> {
    let mut out = Vec::new();
    let script_of = |start: usize, end: usize| line_script(masked.get(start..end).unwrap_or(""));
    // The current paragraph. Line scripts are only needed when a paragraph has two lines or
    // more, so the script of its last line is computed on demand.
    struct Cur {
        start: usize,
        end: usize,
        /// Script of the lines before the last one (the last known one).
        before: Option<u8>,
        /// The last line and, once computed, its script.
        last: (usize, usize, Option<Option<u8>>),
        signature: bool,
    }
    let mut cur: Option<Cur> = None;
    let mut pos = 0usize;
    for line in text.split('\n') {
        let start = pos;
        let end = start + line.len();
        pos = end + 1;
        if line.trim().is_empty() {
            if let Some(c) = cur.take() {
                push_para(text, c.start, c.end, &mut out);
            }
            continue;
        }
        let sig = parse_signature(line).is_some();
        let fresh = Cur {
            start,
            end,
            before: None,
            last: (start, end, None),
            signature: sig,
        };
        cur = match cur {
            Some(c) => {
                if sig || c.signature {
                    push_para(text, c.start, c.end, &mut out);
                    Some(fresh)
                } else {
                    let (ls, le, known) = c.last;
                    let so_far = known.unwrap_or_else(|| script_of(ls, le)).or(c.before);
                    let script = script_of(start, end);
                    let script_change = matches!((so_far, script), (Some(a), Some(b)) if a != b);
                    if script_change {
                        push_para(text, c.start, c.end, &mut out);
                        Some(Cur {
                            last: (start, end, Some(script)),
                            ..fresh
                        })
                    } else {
                        Some(Cur {
                            start: c.start,
                            end,
                            before: so_far,
                            last: (start, end, Some(script)),
                            signature: false,
                        })
                    }
                }
            }
            None => Some(fresh),
        };
    }
    if let Some(c) = cur {
        push_para(text, c.start, c.end, &mut out);
    }
    out
}

fn push_para(text: &str, start: usize, end: usize, out: &mut Vec<Para>) {
    let piece = text.get(start..end).unwrap_or("");
    let lead = piece.len() - piece.trim_start().len();
    let trimmed = piece.trim();
    if trimmed.is_empty() {
        return;
    }
    let s = start + lead;
    out.push(Para {
        span: Span::new(s, s + trimmed.len()),
        signature: parse_signature(trimmed),
        title: false,
        sentences: 0..0,
        lang: Lang::Und,
        letters: 0,
    });
}

/// Marks the first paragraph equal to `title` (whitespace folded) as the title.
fn mark_title(text: &str, title: Option<&str>, paras: &mut [Para]) {
    let Some(title) = title.map(str::trim).filter(|t| !t.is_empty()) else {
        return;
    };
    if let Some(p) = paras.iter_mut().find(|p| {
        p.span
            .slice(text)
            .split_whitespace()
            .eq(title.split_whitespace())
    }) {
        p.title = true;
    }
}

/// True when only links (and punctuation) follow the last letter of `span` and the last of
/// them is a tweet link (`pic.twitter.com/…` or `t.co/…`).
fn ends_in_tweet_links(text: &str, span: Span, links: &[Link]) -> bool {
    let inside: Vec<&Link> = links.iter().filter(|l| span.contains(l.span)).collect();
    let Some(last) = inside.last() else {
        return false;
    };
    let tail = text.get(last.span.end..span.end).unwrap_or("");
    if tail.chars().any(char::is_alphanumeric) {
        return false;
    }
    let s = last.span.slice(text).to_ascii_lowercase();
    let s = s
        .trim_start_matches("https://")
        .trim_start_matches("http://");
    last.kind == LinkKind::Media || s.starts_with("t.co/") || s.starts_with("pic.twitter.com/")
}

fn url_strings(text: &str, span: Span, links: &[Link]) -> Vec<String> {
    links
        .iter()
        .filter(|l| matches!(l.kind, LinkKind::Url | LinkKind::Media) && span.contains(l.span))
        .map(|l| l.span.slice(text).to_string())
        .collect()
}

fn find_posts(doc: &Document, paras: &[Para], links: &[Link], doc_lang: Lang) -> Vec<Post> {
    let text = doc.text.as_str();
    let mut posts: Vec<Post> = Vec::new();
    let mut claimed = vec![false; paras.len()];
    for (i, p) in paras.iter().enumerate() {
        let Some(sig) = &p.signature else { continue };
        // The post text: the paragraph before; if it is only links, the one before it too.
        let Some(last) = i
            .checked_sub(1)
            .filter(|&j| !claimed[j] && paras[j].signature.is_none())
        else {
            continue;
        };
        let mut first = last;
        if paras[last].letters == 0 {
            if let Some(j) = last
                .checked_sub(1)
                .filter(|&j| !claimed[j] && paras[j].signature.is_none())
            {
                first = j;
            }
        }
        for c in claimed.iter_mut().take(last + 1).skip(first) {
            *c = true;
        }
        let span = Span::new(paras[first].span.start, paras[last].span.end);
        posts.push(Post {
            platform: "twitter".to_string(),
            author: Some(sig.author.clone()),
            handle: Some(sig.handle.clone()),
            date: sig.date,
            span,
            signature: Some(p.span),
            links: url_strings(text, span, links),
        });
    }
    // Pasted tweets without a signature: a foreign-language paragraph ending in tweet links.
    for (i, p) in paras.iter().enumerate() {
        if claimed[i] || p.signature.is_some() || p.title || p.letters == 0 {
            continue;
        }
        if doc_lang != Lang::Und && p.lang != doc_lang && ends_in_tweet_links(text, p.span, links) {
            posts.push(Post {
                platform: "twitter".to_string(),
                author: None,
                handle: None,
                date: None,
                span: p.span,
                signature: None,
                links: url_strings(text, p.span, links),
            });
        }
    }
    merge_hints(doc, &mut posts, links);
    posts.sort_by_key(|p| (p.span.start, p.span.end));
    posts
}

/// Merges the posts a reader saw in markup: one overlapping a found post fills its missing
/// fields; any other becomes a post of its own. Hints with invalid spans are ignored.
fn merge_hints(doc: &Document, posts: &mut Vec<Post>, links: &[Link]) {
    let text = doc.text.as_str();
    for h in &doc.post_hints {
        let (s, e) = (h.span.start, h.span.end);
        if s > e || !text.is_char_boundary(s) || !text.is_char_boundary(e) || e > text.len() {
            continue;
        }
        let piece = text.get(s..e).unwrap_or("");
        let lead = piece.len() - piece.trim_start().len();
        let span = Span::new(s + lead, s + lead + piece.trim().len());
        if span.is_empty() {
            continue;
        }
        let mut hint_links = h.links.clone();
        for l in url_strings(text, span, links) {
            if !hint_links.contains(&l) {
                hint_links.push(l);
            }
        }
        if let Some(p) = posts.iter_mut().find(|p| p.span.overlaps(span)) {
            if p.author.is_none() {
                p.author.clone_from(&h.author);
            }
            if p.handle.is_none() {
                p.handle.clone_from(&h.handle);
            }
            if p.date.is_none() {
                p.date = h.date;
            }
            if let Some(platform) = &h.platform {
                p.platform.clone_from(platform);
            }
            for l in hint_links {
                if !p.links.contains(&l) {
                    p.links.push(l);
                }
            }
            continue;
        }
        posts.push(Post {
            platform: h
                .platform
                .clone()
                .or_else(|| h.url.as_deref().and_then(platform_of_url))
                .unwrap_or_else(|| "unknown".to_string()),
            author: h.author.clone(),
            handle: h.handle.clone(),
            date: h.date,
            span,
            signature: None,
            links: hint_links,
        });
    }
}

/// The platform a post URL belongs to.
fn platform_of_url(url: &str) -> Option<String> {
    let u = url.to_ascii_lowercase();
    let host = u
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_start_matches("www.")
        .trim_start_matches("mobile.")
        .split('/')
        .next()
        .unwrap_or("");
    let name = match host {
        "twitter.com" | "x.com" | "t.co" => "twitter",
        "facebook.com" | "fb.com" | "m.facebook.com" => "facebook",
        "instagram.com" => "instagram",
        "t.me" | "telegram.me" => "telegram",
        "youtube.com" | "youtu.be" => "youtube",
        "tiktok.com" => "tiktok",
        _ => return None,
    };
    Some(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn segmenter_is_send_sync() {
        assert_send_sync::<Segmenter>();
    }

    #[test]
    fn platform_from_url() {
        assert_eq!(
            platform_of_url("https://x.com/a/status/1").as_deref(),
            Some("twitter")
        );
        assert_eq!(
            platform_of_url("https://t.me/chan/5").as_deref(),
            Some("telegram")
        );
        assert_eq!(platform_of_url("https://example.com"), None);
    }

    #[test]
    fn lines_without_letters_keep_the_paragraph_script() {
        let text = "سطر عربي أول\n123 456\nسطر ثان\n2024\nAn English line\nand more of it";
        let paras: Vec<&str> = paragraphs(text, text)
            .iter()
            .map(|p| p.span.slice(text))
            .collect();
        assert_eq!(
            paras,
            vec![
                "سطر عربي أول\n123 456\nسطر ثان\n2024",
                "An English line\nand more of it"
            ]
        );
    }

    #[test]
    fn paragraph_splits_on_script_change_and_signature() {
        let text = "سطر عربي أول\nسطر عربي ثان\nAn English line here\n— Ann Lee (@ann) May 2, 2021";
        let links = find_links(text);
        let masked = links::mask(text, &links);
        let paras: Vec<&str> = paragraphs(text, &masked)
            .iter()
            .map(|p| p.span.slice(text))
            .collect();
        assert_eq!(
            paras,
            vec![
                "سطر عربي أول\nسطر عربي ثان",
                "An English line here",
                "— Ann Lee (@ann) May 2, 2021"
            ]
        );
    }
}
