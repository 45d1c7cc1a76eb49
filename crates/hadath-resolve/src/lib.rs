//! Resolution of *when*, *how many* and *says who* in Arabic and English sentences.
//!
//! Each module takes a text, the [`Span`] of the sentence (or paragraph) to look at and its
//! [`Lang`], and returns mentions whose spans are byte offsets into that text, on char boundaries:
//!
//! - [`date`]: [`date::find_dates`] finds absolute dates ("5 January 2022", "19 يناير/كانون الثاني"),
//!   relative ones ("yesterday", "الأحد الماضي", "صباح الأربعاء", "last week") and range ends
//!   ("until …", "منذ …") and resolves them against the document date into a
//!   [`PartialDate`](hadath_model::PartialDate) ([`date::DateMention`]);
//!   [`date::document_date`] picks the document date from metadata, the URL, a header line, a
//!   dateline and the dates of pasted posts.
//! - [`quantity`]: [`quantity::find_quantities`] reads numbers in digits, Arabic-Indic digits and
//!   words (عشرات, "dozens", ثلاثة آلاف), with approximators (حوالي, "at least"), and attaches each to
//!   a role (killed, injured, arrested, displaced, participants, damaged, looted) and, for
//!   property, an object kind (shops, offices, restaurants, vehicles, buildings, homes)
//!   ([`quantity::Quantity`]).
//! - [`source`]: [`source::find_attributions`] finds who a statement is attributed to
//!   ("Interfax reports", "حسبما نقلت وسائل إعلام محلية") ([`source::Attribution`]).
//!
//! Data flow inside each finder: the span's text is folded by `hadath-normalize` into a match key
//! that keeps a map back to the original; the key is cut into word, number and punctuation tokens;
//! lexicon phrases (TOML files under `data/`, embedded with `include_str!` and validated at load,
//! replaceable with `*Lexicon::from_toml`) are matched on the tokens, tolerating Arabic proclitics
//! (و ف ب ل ك), the article ال and tanween alef; spans map back through the key.
//!
//! ```
//! use hadath_model::{Lang, PartialDate, Span};
//! use hadath_resolve::{date, quantity};
//!
//! let text = "أغلقت الشرطة الطريق منذ الأحد الماضي واعتقلت نحو 40 متظاهرا.";
//! let all = Span::new(0, text.len());
//! let anchor = PartialDate::day(2022, 1, 5); // a Wednesday
//! let dates = date::find_dates(text, all, Lang::Ar, anchor);
//! assert_eq!(dates[0].value.to_string(), "2022-01-02");
//! assert_eq!(dates[0].kind, date::DateKind::RangeStart);
//!
//! let q = quantity::find_quantities(text, all, Lang::Ar);
//! assert_eq!((q[0].value, q[0].approx, q[0].role), (40, true, quantity::Role::Arrested));
//! assert_eq!(q[0].span.slice(text), "نحو 40 متظاهرا");
//! ```

pub mod date;
mod fold;
pub mod quantity;
pub mod source;
mod text;

pub use hadath_model::{Lang, PartialDate, Span};

/// What [`analyze_sentence`] finds in one sentence.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SentenceFacts {
    pub dates: Vec<date::DateMention>,
    pub quantities: Vec<quantity::Quantity>,
    pub attributions: Vec<source::Attribution>,
}

/// Dates, quantities and attributions in `span` of `text` with the built-in lexicons: the same
/// results as [`date::find_dates`], [`quantity::find_quantities`] and
/// [`source::find_attributions`] called one after the other.
pub fn analyze_sentence(
    text: &str,
    span: Span,
    lang: Lang,
    anchor: Option<PartialDate>,
) -> SentenceFacts {
    let (Ok(d), Ok(q), Ok(s)) = (
        date::DateLexicon::builtin(),
        quantity::QuantityLexicon::builtin(),
        source::SourceLexicon::builtin(),
    ) else {
        // A built-in lexicon that does not load: the separate calls report nothing from it.
        return SentenceFacts {
            dates: date::find_dates(text, span, lang, anchor),
            quantities: quantity::find_quantities(text, span, lang),
            attributions: source::find_attributions(text, span, lang),
        };
    };
    analyze_sentence_with(d, q, s, text, span, lang, anchor)
}

/// [`analyze_sentence`] with lexicons of your own: the text is normalised and tokenised once
/// and the three finders share the tokens.
pub fn analyze_sentence_with(
    dates: &date::DateLexicon,
    quantities: &quantity::QuantityLexicon,
    sources: &source::SourceLexicon,
    text: &str,
    span: Span,
    _lang: Lang,
    anchor: Option<PartialDate>,
) -> SentenceFacts {
    let Some(t) = text::Tokens::new(text, span) else {
        return SentenceFacts::default();
    };
    SentenceFacts {
        dates: date::dates_in(dates, &t, anchor),
        quantities: quantity::quantities_in(quantities, &t),
        attributions: source::attributions_in(sources, &t, text),
    }
}

/// A lexicon file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    #[error("lexicon {name}: not valid TOML for this lexicon: {source}; fix the entry at the position shown")]
    Toml {
        name: String,
        #[source]
        source: toml::de::Error,
    },
    #[error("lexicon {name}: {problem}; fix or remove that entry")]
    Invalid { name: String, problem: String },
}

impl LexiconError {
    pub(crate) fn invalid(name: &str, problem: impl Into<String>) -> LexiconError {
        LexiconError::Invalid {
            name: name.to_string(),
            problem: problem.into(),
        }
    }
}

pub(crate) fn parse_toml<T: serde::de::DeserializeOwned>(
    name: &str,
    src: &str,
) -> Result<T, LexiconError> {
    toml::from_str(src).map_err(|source| LexiconError::Toml {
        name: name.to_string(),
        source,
    })
}

/// Builds a phrase set from a list, turning an empty phrase into a [`LexiconError`].
pub(crate) fn phrase_set<T: Clone>(
    name: &str,
    field: &str,
    phrases: &[String],
    value: T,
) -> Result<text::PhraseSet<T>, LexiconError> {
    let mut set = text::PhraseSet::default();
    set.insert_all(phrases, value)
        .map_err(|e| LexiconError::invalid(name, format!("{field}: {e}")))?;
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One shared tokenisation gives what the three separate finders give.
    #[test]
    fn analyze_sentence_equals_separate_calls() {
        let anchor = PartialDate::day(2022, 1, 5);
        let table = [
            "أغلقت الشرطة الطريق منذ الأحد الماضي واعتقلت نحو 40 متظاهرا، حسبما أفادت وكالة محلية.",
            "وفقا لوزارة الداخلية، أصيب ٢٥ شخصًا صباح الأربعاء ونهب قرابة 80 متجرا ومقهى.",
            "Police detained at least 120 people on January 5, 2022, the interior ministry said.",
            "Since last Sunday dozens of shops were looted, according to local media.",
            "\"Calm has returned,\" said the regional governor yesterday evening.",
            "",
            "G20 COVID-19 5/1/2022 50% $5 10:30",
            "— Jane Roe (@janeroe) Jan. 5",
        ];
        for text in table {
            let span = Span::new(0, text.len());
            let got = analyze_sentence(text, span, Lang::Und, anchor);
            let want = SentenceFacts {
                dates: date::find_dates(text, span, Lang::Und, anchor),
                quantities: quantity::find_quantities(text, span, Lang::Und),
                attributions: source::find_attributions(text, span, Lang::Und),
            };
            assert_eq!(got, want, "{text:?}");
        }
        let bad = Span::new(1, 2);
        assert_eq!(
            analyze_sentence("أمس", bad, Lang::Ar, anchor),
            SentenceFacts::default()
        );
    }
}
