//! Within-document name linking: a person introduced with a title ("الرئيس الكازاخستاني قاسم
//! جومارت توكاييف", "President Kassym-Jomart Tokayev") is the same actor when the text later
//! names them by surname alone ("وناشد توكاييف", "Tokayev said").

use hadath_model::Span;

use crate::{ActorKind, ActorMention};

/// Shortest surname (in characters) that is linked: shorter ones are too often common words.
const MIN_SURNAME_CHARS: usize = 4;

/// Arabic proclitics a surname can carry ("وتوكاييف", "لتوكاييف").
const PROCLITICS: [char; 4] = ['و', 'ف', 'ل', 'ب'];

/// Adds, to each sentence's mentions, the bare surnames of persons the document names with a
/// title somewhere else (`found[i]` holds the mentions of `sentences[i]`, as
/// [`crate::Actors::find`] returns them). A linked mention copies the titled one's code,
/// sector and kind, with its own span. Words already inside a mention are left alone; every
/// sentence's mentions stay in text order.
pub fn link_names(text: &str, sentences: &[Span], found: &mut [Vec<ActorMention>]) {
    let mut persons: Vec<(String, ActorMention)> = Vec::new();
    for m in found.iter().flatten() {
        if m.kind != ActorKind::Person {
            continue;
        }
        let Some(surname) = m
            .name
            .and_then(|n| text.get(n.start..n.end))
            .and_then(|n| n.split_whitespace().last())
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        else {
            continue;
        };
        if surname.chars().count() < MIN_SURNAME_CHARS {
            continue;
        }
        let key = hadath_normalize::key(surname);
        if !persons.iter().any(|(k, _)| *k == key) {
            persons.push((key, m.clone()));
        }
    }
    if persons.is_empty() {
        return;
    }
    for (span, mentions) in sentences.iter().zip(found.iter_mut()) {
        let Some(sentence) = text.get(span.start..span.end) else {
            continue;
        };
        let mut added = false;
        for (ws, word) in words(sentence) {
            if word.len() < MIN_SURNAME_CHARS {
                // Shorter in bytes is shorter in characters: no surname, no key to compute.
                continue;
            }
            let start = span.start + ws;
            let mut hit = None;
            for (skip, candidate) in variants(word) {
                let key = hadath_normalize::key(candidate);
                if let Some((_, p)) = persons.iter().find(|(k, _)| *k == key) {
                    hit = Some((Span::new(start + skip, start + word.len()), p));
                    break;
                }
            }
            let Some((s, person)) = hit else { continue };
            // English names are capitalised; a lower-case word is a common noun.
            if s.slice(text)
                .chars()
                .next()
                .is_some_and(|c| c.is_lowercase())
            {
                continue;
            }
            if mentions.iter().any(|m| m.span.overlaps(s)) {
                continue;
            }
            mentions.push(ActorMention {
                span: s,
                text: s.slice(text).to_string(),
                name: Some(s),
                locative: false,
                ..person.clone()
            });
            added = true;
        }
        if added {
            mentions.sort_by_key(|m| m.span.start);
        }
    }
}

/// The word itself, then (for Arabic) without one proclitic: `(bytes skipped, candidate)`.
fn variants(word: &str) -> impl Iterator<Item = (usize, &str)> {
    let stripped = word
        .chars()
        .next()
        .filter(|c| PROCLITICS.contains(c))
        .map(|c| (c.len_utf8(), &word[c.len_utf8()..]))
        .filter(|(_, rest)| rest.chars().count() >= MIN_SURNAME_CHARS);
    std::iter::once((0, word)).chain(stripped)
}

/// Maximal runs of letters and digits, with their byte offsets.
fn words(s: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut rest = s.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, _) = rest.find(|(_, c)| c.is_alphanumeric())?;
        let mut end = s.len();
        while let Some(&(i, c)) = rest.peek() {
            if !c.is_alphanumeric() {
                end = i;
                break;
            }
            rest.next();
        }
        s.get(start..end).map(|w| (start, w))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Actors;
    use hadath_model::Lang;

    fn run(text: &str, split: &[&str]) -> Vec<Vec<ActorMention>> {
        let mut spans = Vec::new();
        let mut at = 0;
        for s in split {
            let start = text[at..].find(s).expect("sentence in text") + at;
            spans.push(Span::new(start, start + s.len()));
            at = start + s.len();
        }
        let lang = if text.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) {
            Lang::Ar
        } else {
            Lang::En
        };
        let mut found: Vec<Vec<ActorMention>> = spans
            .iter()
            .map(|s| Actors::embedded().find(text, *s, lang))
            .collect();
        link_names(text, &spans, &mut found);
        found
    }

    #[test]
    fn a_titled_person_is_found_again_by_surname() {
        let a = "قال الرئيس الموريتاني محمد ولد الغزواني إن الحوار مستمر.";
        let b = "وطلب الغزواني من الأحزاب المشاركة.";
        let found = run(&format!("{a} {b}"), &[a, b]);
        let later = found[1].first().expect("the surname is linked");
        assert_eq!(later.text, "الغزواني");
        assert_eq!(later.code, "MRT");
        assert_eq!(later.kind, ActorKind::Person);
    }

    #[test]
    fn english_surnames_link_and_common_words_do_not() {
        let a = "French President Emmanuel Macron met farmers in Lyon.";
        let b = "Macron promised help, and the macron key broke.";
        let text = format!("{a} {b}");
        let found = run(&text, &[a, b]);
        let linked: Vec<&str> = found[1].iter().map(|m| m.text.as_str()).collect();
        assert_eq!(linked, ["Macron"], "only the capitalised surname links");
        assert_eq!(found[1][0].code, "FRA");
    }

    #[test]
    fn nothing_to_link_changes_nothing() {
        let a = "Protesters gathered in the square.";
        let found = run(a, &[a]);
        assert!(found[0].iter().all(|m| m.kind != ActorKind::Person));
    }

    #[test]
    fn proclitic_and_short_words() {
        for (w, want) in [
            ("وتوكاييف", vec![(0, "وتوكاييف"), (2, "توكاييف")]),
            ("وزير", vec![(0, "وزير")]),
        ] {
            assert_eq!(variants(w).collect::<Vec<_>>(), want);
        }
        assert_eq!(
            words("a, bc-d").collect::<Vec<_>>(),
            [(0, "a"), (3, "bc"), (6, "d")]
        );
    }
}
