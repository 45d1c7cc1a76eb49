//! Free-text search over the documents on SQLite: an FTS5 index of the trigrams of each
//! document's normalised text that keeps no positions (`detail = none`, migrations 006 and 007),
//! and an exact check of the candidates it finds.
//!
//! A search word is a substring of the normalised text. An index with positions answers that
//! alone (the word as a phrase of its trigrams), but writing the positions was most of the cost
//! of indexing a document. Without them the index finds the documents that hold every trigram of
//! every word, anywhere; `hadath_has_terms` then keeps those whose normalised text holds each
//! word (and is all the SQL sees of this module, with `hadath_search_grams` and
//! `hadath_search_words` for the migrations).
//!
//! A search word is made of letters and digits, so it lies inside one run of them in the text,
//! and its trigrams are trigrams of that run. The index holds each distinct trigram of the runs
//! of three characters or more once ([`grams`]), as a word of FTS5's `ascii` tokenizer (which
//! splits on ASCII spaces and punctuation only: a trigram of letters and digits is one token).
//! Migration 006 indexed each distinct run ([`words`]) with the `trigram` tokenizer instead,
//! which also made and wrote the trigrams spanning the spaces between runs.
//!
//! PostgreSQL keeps the normalised text in `documents.search` and matches it with `LIKE`.

use rusqlite::functions::FunctionFlags;

/// The text a document is searched by: its normalised key (the same for the index rows written
/// at ingest, [`register`]'s `hadath_search_words`, and the check of candidates).
pub(crate) fn key(text: &str) -> String {
    hadath_normalize::normalize(text).key
}

/// Whether a character can be part of a search word (`query::terms` splits on the others), or
/// of a word of a MinHash shingle: `char::is_alphanumeric`. Characters below U+0800 (Latin,
/// Arabic, among others) are looked up in a table made from that same function, at a fraction
/// of the cost of its search through the Unicode tables (which was half of the time of making
/// a signature from Arabic text).
pub(crate) fn is_word_char(c: char) -> bool {
    const TABLED: usize = 0x800;
    static TABLE: std::sync::LazyLock<[u64; TABLED / 64]> = std::sync::LazyLock::new(|| {
        let mut bits = [0u64; TABLED / 64];
        for (i, c) in (0..TABLED as u32).filter_map(char::from_u32).enumerate() {
            if c.is_alphanumeric() {
                bits[i / 64] |= 1 << (i % 64);
            }
        }
        bits
    });
    let i = c as usize;
    if i < TABLED {
        TABLE[i / 64] & (1 << (i % 64)) != 0
    } else {
        c.is_alphanumeric()
    }
}

/// What the search index holds of a document's normalised text (`key`): each distinct run of
/// letters and digits of three characters or more, once, in order of first use.
pub(crate) fn words(key: &str) -> String {
    let mut seen = rustc_hash::FxHashSet::default();
    let mut out = String::with_capacity(key.len() / 2);
    for w in key.split(|c: char| !is_word_char(c)) {
        if w.chars().nth(2).is_some() && seen.insert(w) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(w);
        }
    }
    out
}

/// What the search index holds of a document's normalised text (`key`) since schema 7: each
/// distinct trigram of its runs of letters and digits, once, separated by spaces, in order of
/// first use.
pub(crate) fn grams(key: &str) -> String {
    // Trigrams are told apart by their three characters packed into one integer (21 bits
    // each, all a `char` needs): hashing and comparing one u64 is a fifth of the cost of
    // hashing and comparing the text.
    const PACKED: u64 = (1 << 63) - 1;
    let mut seen =
        rustc_hash::FxHashSet::with_capacity_and_hasher(key.len() / 2, Default::default());
    let mut out = String::with_capacity(key.len());
    // The byte offsets of the run's last three characters, their packed values, and the
    // length of the run so far (in characters).
    let mut starts = [0usize; 3];
    let mut packed = 0u64;
    let mut run = 0usize;
    for (i, c) in key.char_indices() {
        if !is_word_char(c) {
            run = 0;
            continue;
        }
        packed = ((packed << 21) | u64::from(c)) & PACKED;
        starts = [starts[1], starts[2], i];
        run += 1;
        if run >= 3 && seen.insert(packed) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&key[starts[0]..i + c.len_utf8()]);
        }
    }
    out
}

/// The FTS5 query for these words (normalised, at least three characters each): every distinct
/// trigram of each, all required.
pub(crate) fn trigram_query(words: &[String]) -> String {
    let mut grams: Vec<String> = Vec::new();
    for w in words {
        let chars: Vec<char> = w.chars().collect();
        for g in chars.windows(3) {
            let g: String = g.iter().collect();
            if !grams.contains(&g) {
                grams.push(g);
            }
        }
    }
    grams
        .iter()
        .map(|g| format!("\"{}\"", g.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// Whether the normalised `text` holds every word of `words` (separated by spaces: a search
/// word never holds one).
fn has_terms(text: &str, words: &str) -> bool {
    let key = key(text);
    words
        .split(' ')
        .filter(|w| !w.is_empty())
        .all(|w| key.contains(w))
}

/// Registers the SQL functions of the search on a SQLite connection: `hadath_search_grams(text)`
/// (what the index holds of a document's text; `hadath_search_words(text)`, what it held at
/// schema 6) and `hadath_has_terms(text, words)`.
pub(crate) fn register(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function("hadath_search_grams", 1, flags, |ctx| {
        Ok(ctx.get::<Option<String>>(0)?.map(|t| grams(&key(&t))))
    })?;
    conn.create_scalar_function("hadath_search_words", 1, flags, |ctx| {
        Ok(ctx.get::<Option<String>>(0)?.map(|t| words(&key(&t))))
    })?;
    conn.create_scalar_function("hadath_has_terms", 2, flags, |ctx| {
        let text = ctx.get::<Option<String>>(0)?;
        let words = ctx.get::<String>(1)?;
        Ok(text.is_some_and(|t| has_terms(&t, &words)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_become_their_trigrams() {
        assert_eq!(
            trigram_query(&["prices".into(), "rice".into()]),
            "\"pri\" AND \"ric\" AND \"ice\" AND \"ces\""
        );
        assert_eq!(
            trigram_query(&["المتظاهرين".into()])
                .matches(" AND ")
                .count(),
            7
        );
    }

    #[test]
    fn the_index_holds_each_word_once() {
        assert_eq!(
            words(&key(
                "Fuel prices: fuel, PRICES and tax-cuts in al-Raqqa; 2022"
            )),
            "fuel prices and tax cuts raqqa 2022"
        );
        // Every search word lies inside one of the indexed words.
        let text = "وتجمع المتظاهرون أمام مبنى البلدية، والمتظاهرون غاضبون";
        let indexed = words(&key(text));
        let w = key("المتظاهرون");
        assert_eq!(indexed.split(' ').filter(|x| *x == w).count(), 1);
        assert!(indexed.contains(&key("متظاهر")));
        assert_eq!(words(""), "");
    }

    #[test]
    fn the_index_holds_each_trigram_once() {
        assert_eq!(
            grams(&key("Fuel prices: PRICE, rice and tax-cuts; 2022")),
            "fue uel pri ric ice ces and tax cut uts 202 022"
        );
        // Arabic: trigrams of letters, a word of three letters is one.
        assert_eq!(grams(&key("قتل جنود")), "قتل جنو نود");
        // Every trigram a search asks for is a token of the index.
        let text = "وتجمع المتظاهرون أمام مبنى البلدية، والمتظاهرون غاضبون";
        let indexed = grams(&key(text));
        let indexed: Vec<&str> = indexed.split(' ').collect();
        let query = trigram_query(&[key("متظاهر")]);
        for g in query.split(" AND ") {
            assert!(indexed.contains(&g.trim_matches('"')), "{g}");
        }
        assert_eq!(grams(""), "");
        assert_eq!(grams("ab cd"), "");
    }

    /// The table agrees with `char::is_alphanumeric` on every character (signatures are
    /// stored: the words they are made of must never change).
    #[test]
    fn word_chars_are_the_alphanumeric_ones() {
        for c in (0..=char::MAX as u32).filter_map(char::from_u32) {
            assert_eq!(is_word_char(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    proptest::proptest! {
        /// Every trigram a search of any word of a text asks for is in what the index holds
        /// of the text, once; and nothing else is. (Letters of one, two and four bytes: CJK
        /// ideographs of the supplementary plane need the most bits of a packed trigram.)
        #[test]
        fn grams_are_the_trigrams_of_the_words(
            text in "[a-c ,.\u{0627}-\u{0629}\u{20000}-\u{20002}]{0,40}"
        ) {
            let k = key(&text);
            let held = grams(&k);
            let held: Vec<&str> = held.split(' ').filter(|g| !g.is_empty()).collect();
            let mut expected: Vec<String> = Vec::new();
            for w in k.split(|c: char| !is_word_char(c)) {
                let chars: Vec<char> = w.chars().collect();
                for g in chars.windows(3) {
                    let g: String = g.iter().collect();
                    if !expected.contains(&g) {
                        expected.push(g);
                    }
                }
            }
            proptest::prop_assert_eq!(held, expected.iter().map(String::as_str).collect::<Vec<_>>());
        }
    }

    #[test]
    fn candidates_are_checked_against_the_normalised_text() {
        // Every trigram of "protesters" is here, but not the word.
        let scattered = "Prote sters? No: protest, testers and resters.";
        assert!(!has_terms(scattered, "protesters"));
        assert!(has_terms(
            "PROTESTERS gathered at the Fuel-Price office",
            "protesters fuel"
        ));
        assert!(!has_terms("Protesters gathered", "protesters fuel"));
        // Arabic: the normalised word inside a longer one (a prefix clitic), letter variants folded.
        assert!(has_terms(
            "وتجمع المتظاهرون أمام مبنى البلدية",
            &key("متظاهرون")
        ));
        assert!(has_terms("أعلنت الحكومة", &key("اعلنت")));
    }

    #[test]
    fn functions_answer_in_sql() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        register(&conn).unwrap();
        let (k, yes, no, null): (String, bool, bool, bool) = conn
            .query_row(
                "SELECT hadath_search_words('Fuel PRICES, fuel TAX') || '|' || \
                 hadath_search_grams('Fuel fuel'), \
                 hadath_has_terms('Fuel PRICES', 'prices'), \
                 hadath_has_terms('Fuel', 'prices'), hadath_has_terms(NULL, 'prices')",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        assert_eq!(k, "fuel prices tax|fue uel");
        assert!(yes && !no && !null);
    }
}
