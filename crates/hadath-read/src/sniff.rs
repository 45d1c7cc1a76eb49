//! Guessing an input's format from its name and its first bytes.

use hadath_model::Format;

/// The format of an input, from its file name when the extension is known, else from the
/// first (decompressed) bytes.
///
/// `.gz` and `.zst` are stripped first. Extensions: `.txt .text .md` text; `.jsonl .ndjson
/// .json` JSON Lines; `.html .htm` HTML; `.xml .rss .atom` RSS or Atom (by content);
/// `.warc` WARC. By content: `WARC/1.` WARC; lines starting with `{` (or a `[{` array)
/// JSON Lines; `<rss`, `<rdf:RDF` RSS and `<feed` Atom (after an optional `<?xml ...?>`);
/// `<!doctype html`, `<html` and other leading markup HTML; anything else text.
///
/// ```
/// use hadath_model::Format;
/// use hadath_read::sniff_format;
/// assert_eq!(sniff_format(Some("news/a.jsonl.gz"), b"{\"text\":\"x\"}"), Format::Jsonl);
/// assert_eq!(sniff_format(None, b"<?xml version=\"1.0\"?><rss version=\"2.0\">"), Format::Rss);
/// assert_eq!(sniff_format(None, "خبر عاجل".as_bytes()), Format::Text);
/// ```
pub fn sniff_format(name: Option<&str>, head: &[u8]) -> Format {
    if let Some(f) = name.and_then(|n| by_extension(n, head)) {
        return f;
    }
    by_content(head)
}

fn by_extension(name: &str, head: &[u8]) -> Option<Format> {
    let lower = name.to_ascii_lowercase();
    let mut stem = lower.as_str();
    for z in [".gz", ".zst", ".zstd"] {
        if let Some(s) = stem.strip_suffix(z) {
            stem = s;
            break;
        }
    }
    let file = stem.rsplit(['/', '\\']).next().unwrap_or(stem);
    let ext = file.rsplit_once('.').map(|(_, e)| e)?;
    Some(match ext {
        "txt" | "text" | "md" => Format::Text,
        "jsonl" | "ndjson" | "json" => Format::Jsonl,
        "html" | "htm" | "xhtml" => Format::Html,
        "xml" | "rss" | "atom" => feed_kind(head).unwrap_or(Format::Rss),
        "warc" => Format::Warc,
        _ => return None,
    })
}

/// RSS or Atom, from the root element name, when the bytes show one.
fn feed_kind(head: &[u8]) -> Option<Format> {
    let lower = String::from_utf8_lossy(head).to_ascii_lowercase();
    let rss = lower.find("<rss").or_else(|| lower.find("<rdf:rdf"));
    let atom = lower.find("<feed");
    match (rss, atom) {
        (Some(r), Some(a)) => Some(if r < a { Format::Rss } else { Format::Atom }),
        (Some(_), None) => Some(Format::Rss),
        (None, Some(_)) => Some(Format::Atom),
        (None, None) => None,
    }
}

fn by_content(head: &[u8]) -> Format {
    let head = crate::source::strip_bom(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let body = head.get(start..).unwrap_or(&[]);
    if body.starts_with(b"WARC/1.") || body.starts_with(b"WARC/0.") {
        return Format::Warc;
    }
    if body.starts_with(b"{") {
        return Format::Jsonl;
    }
    if let Some(rest) = body.strip_prefix(b"[") {
        if rest.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') {
            return Format::Jsonl;
        }
    }
    if body.starts_with(b"<") {
        let lower = String::from_utf8_lossy(body).to_ascii_lowercase();
        let looks_html = [
            "<!doctype html",
            "<html",
            "<head",
            "<body",
            "<meta",
            "<div",
            "<p>",
            "<p ",
        ]
        .iter()
        .any(|t| lower.contains(t));
        if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
            return Format::Html;
        }
        if let Some(f) = feed_kind(body) {
            // A page that merely mentions `<feed` in a script stays HTML.
            if !(looks_html && lower.contains("<html")) {
                return f;
            }
        }
        if looks_html {
            return Format::Html;
        }
        if lower.starts_with("<?xml") {
            return Format::Rss;
        }
    }
    Format::Text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing_table() {
        let table: &[(Option<&str>, &str, Format)] = &[
            (Some("a.txt"), "{\"x\":1}", Format::Text),
            (Some("a.TXT.gz"), "", Format::Text),
            (Some("dir.v2/a.md"), "", Format::Text),
            (Some("a.ndjson.zst"), "", Format::Jsonl),
            (Some("a.json"), "[{}]", Format::Jsonl),
            (Some("a.htm"), "", Format::Html),
            (
                Some("a.xml"),
                "<?xml version='1.0'?><feed xmlns='x'>",
                Format::Atom,
            ),
            (Some("a.rss"), "<rss version='2.0'>", Format::Rss),
            (Some("a.warc.gz"), "", Format::Warc),
            (Some("noext"), "WARC/1.1\r\n", Format::Warc),
            (Some("dir.d/noext"), "plain", Format::Text),
            (None, "\u{feff}{\"text\":\"x\"}\n", Format::Jsonl),
            (None, "  [ {\"text\":\"x\"}]", Format::Jsonl),
            (None, "[Reuters] Talks resumed", Format::Text),
            (None, "<!DOCTYPE html><html>", Format::Html),
            (
                None,
                "<?xml version=\"1.0\"?>\n<rss version=\"2.0\">",
                Format::Rss,
            ),
            (
                None,
                "<feed xmlns=\"http://www.w3.org/2005/Atom\">",
                Format::Atom,
            ),
            (None, "<div><p>مرحبا</p></div>", Format::Html),
            (
                None,
                "<html><script>var f='<feed';</script></html>",
                Format::Html,
            ),
            (None, "date: 2022-01-05\n\nقال الوزير", Format::Text),
            (None, "", Format::Text),
        ];
        for (name, head, want) in table {
            assert_eq!(
                sniff_format(*name, head.as_bytes()),
                *want,
                "{name:?} {head:?}"
            );
        }
    }
}
