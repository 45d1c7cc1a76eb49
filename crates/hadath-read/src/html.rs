//! HTML pages: metadata from `<meta>`/`<link>`/`<time>`, main text from the article body,
//! embedded tweets kept as paragraphs with a [`PostHint`].
//!
//! The walk over the DOM is iterative (no recursion), so deeply nested markup cannot
//! overflow the stack; html5ever recovers from any broken markup.

use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use hadath_model::{Document, Format, PartialDate, PostHint, Span};
use scraper::node::Element;
use scraper::{Html, Node, Selector};

use crate::error::Location;
use crate::ReadError;

/// Text pulled out of HTML: paragraphs joined by blank lines, plus the embedded posts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extracted {
    /// Paragraphs separated by `"\n\n"`; inline whitespace collapsed; entities decoded.
    pub text: String,
    /// One hint per embedded tweet; spans index `text`.
    pub post_hints: Vec<PostHint>,
}

/// Elements whose content is never text of the article.
const SKIP: &[&str] = &[
    "script",
    "style",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "noscript",
    "iframe",
    "template",
    "svg",
    "button",
    "select",
    "textarea",
    "head",
    "title",
    "figcaption",
    "menu",
    "object",
    "embed",
    "canvas",
    "audio",
    "video",
    "map",
    "math",
    "input",
    "label",
    "dialog",
];

/// ARIA roles of page furniture.
const SKIP_ROLES: &[&str] = &[
    "navigation",
    "menu",
    "menubar",
    "banner",
    "contentinfo",
    "search",
    "complementary",
    "dialog",
    "alert",
];

/// Elements that start and end a paragraph.
const BLOCK: &[&str] = &[
    "address",
    "article",
    "blockquote",
    "body",
    "center",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "html",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "td",
    "th",
    "ul",
    "caption",
    "legend",
];

fn is_skipped(e: &Element) -> bool {
    SKIP.contains(&e.name())
        || e.attr("hidden").is_some()
        || e.attr("aria-hidden") == Some("true")
        || e.attr("role")
            .is_some_and(|r| SKIP_ROLES.contains(&r.trim()))
        || e.attr("style").is_some_and(|s| {
            let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            s.to_ascii_lowercase().contains("display:none")
        })
}

fn is_tweet(e: &Element) -> bool {
    e.name() == "blockquote" && e.classes().any(|c| c == "twitter-tweet")
}

struct TweetRange {
    start: usize,
    end: usize,
    links: Vec<String>,
}

#[derive(Default)]
struct Walker {
    paras: Vec<String>,
    cur: String,
    space: bool,
    tweets: Vec<TweetRange>,
    open_tweet: Option<(NodeId, usize, Vec<String>)>,
}

impl Walker {
    fn push_text(&mut self, s: &str) {
        for c in s.chars() {
            if c.is_whitespace() {
                self.space = true;
            } else {
                if self.space && !self.cur.is_empty() && !self.cur.ends_with('\n') {
                    self.cur.push(' ');
                }
                self.space = false;
                self.cur.push(c);
            }
        }
    }

    fn line_break(&mut self) {
        if !self.cur.is_empty() && !self.cur.ends_with('\n') {
            self.cur.push('\n');
        }
        self.space = false;
    }

    fn flush(&mut self) {
        let para = self
            .cur
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        if !para.is_empty() {
            self.paras.push(para);
        }
        self.cur.clear();
        self.space = false;
    }

    fn walk(mut self, root: NodeRef<'_, Node>) -> Walker {
        let mut skip: Option<NodeId> = None;
        for edge in root.traverse() {
            match edge {
                Edge::Open(n) => {
                    if skip.is_some() {
                        continue;
                    }
                    match n.value() {
                        Node::Text(t) => self.push_text(t),
                        Node::Element(e) => {
                            if is_skipped(e) {
                                skip = Some(n.id());
                                continue;
                            }
                            let name = e.name();
                            if name == "br" {
                                self.line_break();
                                continue;
                            }
                            if is_tweet(e) && self.open_tweet.is_none() {
                                self.flush();
                                self.open_tweet = Some((n.id(), self.paras.len(), Vec::new()));
                            }
                            if name == "a" {
                                if let (Some(t), Some(href)) =
                                    (self.open_tweet.as_mut(), e.attr("href"))
                                {
                                    t.2.push(href.trim().to_string());
                                }
                            }
                            if BLOCK.contains(&name) {
                                self.flush();
                            }
                        }
                        _ => {}
                    }
                }
                Edge::Close(n) => {
                    if let Some(id) = skip {
                        if id == n.id() {
                            skip = None;
                        }
                        continue;
                    }
                    if let Node::Element(e) = n.value() {
                        if BLOCK.contains(&e.name()) {
                            self.flush();
                        }
                        if self.open_tweet.as_ref().is_some_and(|t| t.0 == n.id()) {
                            self.flush();
                            if let Some((_, start, links)) = self.open_tweet.take() {
                                let end = self.paras.len();
                                self.tweets.push(TweetRange { start, end, links });
                            }
                        }
                    }
                }
            }
        }
        self.flush();
        self
    }

    fn assemble(self) -> Extracted {
        let mut text = String::new();
        let mut offs = Vec::with_capacity(self.paras.len());
        for p in &self.paras {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            let s = text.len();
            text.push_str(p);
            offs.push((s, text.len()));
        }
        let post_hints = self
            .tweets
            .iter()
            .filter_map(|t| tweet_hint(&self.paras, &offs, t))
            .collect();
        Extracted { text, post_hints }
    }
}

fn extract(root: NodeRef<'_, Node>) -> Extracted {
    Walker::default().walk(root).assemble()
}

/// Converts an HTML fragment (a feed item's content, say) to text.
///
/// ```
/// let x = hadath_read::html_to_text("<p>Talks &amp; <b>truce</b></p><p>ثم   انتهت</p>");
/// assert_eq!(x.text, "Talks & truce\n\nثم انتهت");
/// ```
pub fn html_to_text(html: &str) -> Extracted {
    let frag = Html::parse_fragment(html);
    extract(*frag.root_element())
}

fn is_signature(p: &str) -> bool {
    let t = p.trim_start();
    t.starts_with(['\u{2014}', '\u{2013}', '-']) && t.contains('@')
}

/// `(author, handle, date)` from `— Name (@handle) January 5, 2022`.
fn parse_signature(sig: &str) -> (Option<String>, Option<String>, Option<PartialDate>) {
    let s = sig
        .trim()
        .trim_start_matches(['\u{2014}', '\u{2013}', '-'])
        .trim();
    let nonempty = |x: &str| {
        let x = x.trim();
        (!x.is_empty()).then(|| x.to_string())
    };
    if let Some(i) = s.find("(@") {
        let author = nonempty(&s[..i]);
        let rest = &s[i + 2..];
        let (handle, after) = match rest.find(')') {
            Some(j) => (nonempty(&rest[..j]), &rest[j + 1..]),
            None => (None, rest),
        };
        return (author, handle, parse_month_day_year(after));
    }
    (None, None, parse_month_day_year(s))
}

const MONTHS: &[(&str, u8)] = &[
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("يناير", 1),
    ("فبراير", 2),
    ("مارس", 3),
    ("أبريل", 4),
    ("ابريل", 4),
    ("إبريل", 4),
    ("مايو", 5),
    ("يونيو", 6),
    ("يوليو", 7),
    ("أغسطس", 8),
    ("اغسطس", 8),
    ("سبتمبر", 9),
    ("أكتوبر", 10),
    ("اكتوبر", 10),
    ("نوفمبر", 11),
    ("ديسمبر", 12),
];

fn month_of(tok: &str) -> Option<u8> {
    let lower = tok.to_lowercase();
    let lower = lower.trim_end_matches('.');
    MONTHS.iter().find_map(|(name, m)| {
        let hit = if name.is_ascii() {
            lower.len() >= 3 && name.starts_with(lower)
        } else {
            *name == lower
        };
        hit.then_some(*m)
    })
}

/// `January 5, 2022`, `5 Jan 2022`, `5 يناير 2022` (also month and year alone).
pub(crate) fn parse_month_day_year(s: &str) -> Option<PartialDate> {
    let mut month = None;
    let mut day = None;
    let mut year = None;
    for tok in s.split(|c: char| c.is_whitespace() || c == ',') {
        if tok.is_empty() {
            continue;
        }
        if tok.bytes().all(|b| b.is_ascii_digit()) {
            match tok.len() {
                1 | 2 if day.is_none() => day = tok.parse::<u8>().ok(),
                4 if year.is_none() => year = tok.parse::<i32>().ok(),
                _ => {}
            }
        } else if month.is_none() {
            month = month_of(tok);
        }
    }
    let (y, m) = (year?, month?);
    match day {
        Some(d) => PartialDate::day(y, m, d),
        None => PartialDate::month(y, m),
    }
}

fn tweet_hint(paras: &[String], offs: &[(usize, usize)], t: &TweetRange) -> Option<PostHint> {
    if t.end <= t.start {
        return None;
    }
    let last = t.end - 1;
    let last_para = paras.get(last)?;
    let (first_start, _) = *offs.get(t.start)?;
    let (last_start, last_end) = *offs.get(last)?;
    let mut span = Span::new(first_start, last_end);
    let mut sig = None;
    if last > t.start && is_signature(last_para) {
        let (_, prev_end) = *offs.get(last - 1)?;
        span = Span::new(first_start, prev_end);
        sig = Some(last_para.as_str());
    } else if let Some(i) = last_para.rfind('\u{2014}') {
        let (before, after) = last_para.split_at(i);
        if after.contains("(@") && !before.trim().is_empty() {
            span = Span::new(first_start, last_start + before.trim_end().len());
            sig = Some(after);
        }
    }
    let (author, handle, date) = sig.map(parse_signature).unwrap_or_default();
    let url = t
        .links
        .iter()
        .rev()
        .find(|l| l.contains("/status/"))
        .cloned();
    Some(PostHint {
        span,
        platform: Some("twitter".to_string()),
        author,
        handle,
        date,
        url,
        links: t.links.clone(),
    })
}

fn selector(s: &str) -> Option<Selector> {
    Selector::parse(s).ok()
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first non-empty value of `attr` on an element matching one of `sels`.
fn first_attr(doc: &Html, sels: &[(&str, &str)]) -> Option<String> {
    sels.iter().find_map(|(sel, attr)| {
        let sel = selector(sel)?;
        doc.select(&sel)
            .filter_map(|e| e.attr(attr))
            .map(collapse)
            .find(|v| !v.is_empty())
    })
}

fn first_text(doc: &Html, sel: &str) -> Option<String> {
    let sel = selector(sel)?;
    doc.select(&sel)
        .map(|e| collapse(&e.text().collect::<String>()))
        .find(|t| !t.is_empty())
}

const DATE_SOURCES: &[(&str, &str)] = &[
    ("meta[property='article:published_time']", "content"),
    ("meta[name='article:published_time']", "content"),
    ("meta[property='og:article:published_time']", "content"),
    ("meta[property='og:published_time']", "content"),
    ("meta[itemprop='datePublished']", "content"),
    ("[itemprop='datePublished'][datetime]", "datetime"),
    ("[itemprop='datePublished'][content]", "content"),
    ("meta[name='date']", "content"),
    ("meta[name='pubdate']", "content"),
    ("meta[name='publish-date']", "content"),
    ("meta[name='dc.date']", "content"),
    ("meta[name='DC.date']", "content"),
    ("article time[datetime]", "datetime"),
    ("time[datetime]", "datetime"),
];

/// The main content root: the longest `<article>`, else `[itemprop=articleBody]`,
/// `<main>`, `[role=main]`, `<body>`, else the whole document.
fn main_text(doc: &Html) -> Extracted {
    let mut best: Option<Extracted> = None;
    if let Some(sel) = selector("article") {
        for a in doc.select(&sel) {
            let x = extract(*a);
            if best.as_ref().is_none_or(|b| x.text.len() > b.text.len()) {
                best = Some(x);
            }
        }
    }
    if let Some(b) = best.filter(|b| !b.text.is_empty()) {
        return b;
    }
    for s in ["[itemprop='articleBody']", "main", "[role='main']", "body"] {
        if let Some(el) = selector(s).and_then(|sel| doc.select(&sel).next()) {
            let x = extract(*el);
            if !x.text.is_empty() {
                return x;
            }
        }
    }
    extract(*doc.root_element())
}

/// What [`document`] needs to know besides the markup.
pub(crate) struct HtmlSource<'a> {
    pub name: &'a str,
    pub id: String,
    pub origin: String,
    pub format: Format,
    pub at: Location,
}

/// Builds a document from a whole HTML page.
pub(crate) fn document(src: HtmlSource<'_>, html: &str) -> Result<Document, ReadError> {
    let doc = Html::parse_document(html);
    let x = main_text(&doc);
    if x.text.trim().is_empty() {
        return Err(ReadError::NoText {
            input: src.name.to_string(),
            at: src.at,
        });
    }
    let mut d = Document::from_text(src.id, x.text);
    d.post_hints = x.post_hints;
    d.format = src.format;
    d.origin = src.origin;
    d.title = first_attr(&doc, &[("meta[property='og:title']", "content")])
        .or_else(|| first_text(&doc, "title"))
        .or_else(|| first_text(&doc, "h1"));
    d.url = first_attr(
        &doc,
        &[
            ("link[rel='canonical']", "href"),
            ("meta[property='og:url']", "content"),
        ],
    );
    d.source = first_attr(&doc, &[("meta[property='og:site_name']", "content")]);
    let mut bad_dates = Vec::new();
    for (sel, attr) in DATE_SOURCES {
        let Some(raw) = first_attr(&doc, &[(sel, attr)]) else {
            continue;
        };
        match crate::text::parse_date(&raw) {
            Some(p) => {
                d.published = Some(p);
                break;
            }
            None => bad_dates.push(raw),
        }
    }
    if d.published.is_none() {
        if let Some(raw) = bad_dates.first() {
            d.warnings.push(format!(
                "publication date {raw:?} in the page's metadata is not an ISO date; \
                 publication date left empty"
            ));
        }
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_to_text_table() {
        let table: &[(&str, &str)] = &[
            ("<p>a  b\n c</p>", "a b c"),
            ("<div>one<div>two</div>three</div>", "one\n\ntwo\n\nthree"),
            ("<p>x<br>y</p>", "x\ny"),
            ("<p>قال <b>الوزير</b>&nbsp;إن</p>", "قال الوزير إن"),
            ("<script>var x;</script><p>kept</p><nav>menu</nav>", "kept"),
            (
                "<p hidden>no</p><p aria-hidden=true>no</p><p>yes</p>",
                "yes",
            ),
            ("<ul><li>a</li><li>b</li></ul>", "a\n\nb"),
            ("plain &lt;text&gt;", "plain <text>"),
            ("<p></p><p>  </p>", ""),
        ];
        for (html, want) in table {
            assert_eq!(html_to_text(html).text, *want, "{html:?}");
        }
    }

    #[test]
    fn tweet_signature_dates() {
        let table: &[(&str, Option<&str>)] = &[
            ("January 5, 2022", Some("2022-01-05")),
            ("Jan 5, 2022", Some("2022-01-05")),
            ("5 يناير 2022", Some("2022-01-05")),
            ("March 2021", Some("2021-03")),
            ("February 30, 2022", None),
            ("yesterday", None),
        ];
        for (s, want) in table {
            assert_eq!(
                parse_month_day_year(s).map(|d| d.to_string()).as_deref(),
                *want,
                "{s}"
            );
        }
    }

    #[test]
    fn tweet_with_signature_paragraph() {
        let html = "<p>Before.</p><blockquote class=\"twitter-tweet\"><p lang=\"ar\">عاجل: اشتباكات في المدينة <a href=\"https://t.co/abc\">https://t.co/abc</a></p>&mdash; Example News (@example_news) <a href=\"https://twitter.com/example_news/status/1\">January 5, 2022</a></blockquote><p>After.</p>";
        let x = html_to_text(html);
        assert_eq!(x.post_hints.len(), 1);
        let h = &x.post_hints[0];
        assert_eq!(
            h.span.slice(&x.text),
            "عاجل: اشتباكات في المدينة https://t.co/abc"
        );
        assert_eq!(h.author.as_deref(), Some("Example News"));
        assert_eq!(h.handle.as_deref(), Some("example_news"));
        assert_eq!(h.date.unwrap().to_string(), "2022-01-05");
        assert_eq!(
            h.url.as_deref(),
            Some("https://twitter.com/example_news/status/1")
        );
        assert_eq!(h.links.len(), 2);
        assert!(x.text.starts_with("Before.\n\n"));
        assert!(x.text.ends_with("January 5, 2022\n\nAfter."));
    }

    #[test]
    fn tweet_with_inline_signature() {
        let html = "<blockquote class=\"twitter-tweet\">Talks resumed today \u{2014} Jane Roe (@jroe) March 2, 2023</blockquote>";
        let x = html_to_text(html);
        let h = &x.post_hints[0];
        assert_eq!(h.span.slice(&x.text), "Talks resumed today");
        assert_eq!(h.handle.as_deref(), Some("jroe"));
        assert_eq!(h.date.unwrap().to_string(), "2023-03-02");
    }
}
