//! Toponym recognition and resolution.

use crate::format::{ALT_FLAG, COMMON_FLAG, IDX_MASK};
use crate::{Found, Gazetteer, GeoError, Place, PlaceKind};
use hadath_model::{Lang, Span};

/// A word set (the lists are looked up for every candidate): FxHash, not SipHash.
type WordSet = rustc_hash::FxHashSet<String>;

const GEOPARSE_TOML: &str = include_str!("../data/geoparse.toml");
/// Score added to a reading that another name in the text clearly names (by a margin of at
/// least [`NAMED_MARGIN`]): a story keeps one sense of a place across spellings and scripts.
const NAMED_ELSEWHERE: f32 = 3.0;
const NAMED_MARGIN: f32 = 1.0;
/// A city at least this populous is what a bare name shared with its region means.
const REGION_CITY_MIN_POP: u64 = 100_000;
/// Longest name, in tokens.
const MAX_TOKENS: usize = 8;

/// A place name found in a text, resolved to a gazetteer place.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PlaceMention {
    /// Byte span of the name in the text (proclitics such as Arabic و/ب left out).
    pub span: Span,
    pub text: String,
    pub place: Place,
    /// 0..1: how sure the recogniser and resolver are.
    pub confidence: f32,
}

/// The word lists of `data/geoparse.toml`, as match keys.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    never: WordSet,
    weak: WordSet,
    given_names: WordSet,
    surnames: WordSet,
    titles: WordSet,
    cues_before: WordSet,
    weak_cues: WordSet,
    city_cues: WordSet,
    admin1_cues: WordSet,
    country_cues: WordSet,
    org_after: WordSet,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    never: Vec<String>,
    weak: Vec<String>,
    given_names: Vec<String>,
    surnames: Vec<String>,
    titles: Vec<String>,
    cues_before: Vec<String>,
    #[serde(default)]
    weak_cues: Vec<String>,
    city_cues: Vec<String>,
    admin1_cues: Vec<String>,
    country_cues: Vec<String>,
    org_after: Vec<String>,
}

impl Lexicon {
    /// The shipped lists.
    pub fn embedded() -> Result<Lexicon, GeoError> {
        Lexicon::from_toml("data/geoparse.toml", GEOPARSE_TOML)
    }

    /// Lists from a user's TOML file (same fields as the shipped `data/geoparse.toml`).
    pub fn from_toml(what: &str, text: &str) -> Result<Lexicon, GeoError> {
        let f: LexiconFile = toml::from_str(text).map_err(|e| GeoError::Toml {
            what: what.to_string(),
            source: e,
        })?;
        let set = |v: Vec<String>, field: &str| -> Result<WordSet, GeoError> {
            v.into_iter()
                .map(|w| {
                    let k = crate::format::name_key(&w);
                    if k.is_empty() {
                        Err(GeoError::Invalid {
                            what: what.to_string(),
                            msg: format!("{field}: entry {w:?} has no letters"),
                        })
                    } else {
                        Ok(k)
                    }
                })
                .collect()
        };
        Ok(Lexicon {
            never: set(f.never, "never")?,
            weak: set(f.weak, "weak")?,
            given_names: set(f.given_names, "given_names")?,
            surnames: set(f.surnames, "surnames")?,
            titles: set(f.titles, "titles")?,
            cues_before: set(f.cues_before, "cues_before")?,
            weak_cues: set(f.weak_cues, "weak_cues")?,
            city_cues: set(f.city_cues, "city_cues")?,
            admin1_cues: set(f.admin1_cues, "admin1_cues")?,
            country_cues: set(f.country_cues, "country_cues")?,
            org_after: set(f.org_after, "org_after")?,
        })
    }
}

/// Finds and resolves place names. Cheap to create; holds no per-document state.
#[derive(Debug, Clone)]
pub struct Geoparser {
    gaz: &'static Gazetteer,
    lex: Lexicon,
}

/// A token of the normalised text.
#[derive(Debug, Clone, Copy)]
struct Tok {
    /// Byte range in the key.
    ks: usize,
    ke: usize,
    /// Byte range in the original.
    os: usize,
    oe: usize,
    arabic: bool,
    cap: bool,
    sent_start: bool,
}

/// A recognised name before resolution.
#[derive(Debug, Clone)]
struct Cand {
    first: usize,
    last: usize,
    /// Bytes of the first token's key dropped as proclitics.
    strip: usize,
    key: String,
    postings: Vec<u32>,
    cue: bool,
    /// A cue that says "place" on its own (not just "من"/"from"): needed by names that are
    /// frequent Arabic words (postings with `COMMON_FLAG`).
    loc_cue: bool,
    kind_cue: Option<PlaceKind>,
    weak: bool,
}

/// Connectors that may stay lower case inside a Latin-script name ("Rio de Janeiro").
const CONNECTORS: &[&str] = &[
    "of", "de", "del", "la", "le", "les", "du", "des", "da", "do", "dos", "das", "el", "al", "and",
    "the", "upon", "on", "es", "sur", "am", "im", "an", "y", "i", "e", "di", "d", "l", "en", "au",
    "aux", "los", "las", "van", "von", "der", "den", "het", "s",
];

fn is_arabic_char(c: char) -> bool {
    ('\u{0600}'..='\u{06FF}').contains(&c) || ('\u{0750}'..='\u{077F}').contains(&c)
}

impl Geoparser {
    pub fn new(gaz: &'static Gazetteer) -> Geoparser {
        Geoparser {
            gaz,
            lex: Lexicon::embedded().unwrap_or_default(),
        }
    }

    /// A geoparser with user word lists.
    pub fn with_lexicon(gaz: &'static Gazetteer, lex: Lexicon) -> Geoparser {
        Geoparser { gaz, lex }
    }

    /// Finds and resolves toponyms in `text` (a whole document). `sentences` are byte spans
    /// with their language (the segmenter's output; paragraph spans do too); text outside
    /// them is still searched. `hint_country`: ISO2 of the story's country when known.
    /// Mentions come back in text order, non-overlapping.
    pub fn places(
        &self,
        text: &str,
        sentences: &[(Span, Lang)],
        hint_country: Option<&str>,
    ) -> Vec<PlaceMention> {
        let norm = hadath_normalize::normalize(text);
        let toks = tokenize(text, &norm, sentences);
        let cands = self.recognise(text, &norm.key, &toks);
        self.resolve(text, &norm.key, &toks, cands, hint_country)
    }

    fn tok_key<'k>(key: &'k str, t: &Tok) -> &'k str {
        key.get(t.ks..t.ke).unwrap_or("")
    }

    fn recognise(&self, text: &str, key: &str, toks: &[Tok]) -> Vec<Cand> {
        let idx = &self.gaz.index;
        let mut out = Vec::new();
        let mut vars: Vec<Variant> = Vec::with_capacity(16);
        let mut buf = String::with_capacity(64);
        let mut i = 0;
        while i < toks.len() {
            let t = toks[i];
            if !t.arabic && !t.cap {
                // Latin and Cyrillic names start with a capital.
                i += 1;
                continue;
            }
            let first = Self::tok_key(key, &t);
            let mut best: Option<(usize, usize, String)> = None; // (last, strip, key)
            variants(first, t.arabic, &mut vars);
            for v in &vars {
                buf.clear();
                if v.article {
                    buf.push_str("ال");
                }
                buf.push_str(v.rest);
                let Some(mut found) = idx.find(buf.as_bytes()) else {
                    continue;
                };
                let mut j = i;
                loop {
                    if matches!(found, Found::Key(_)) && best.as_ref().is_none_or(|b| j > b.0) {
                        best = Some((j, v.strip, buf.clone()));
                    }
                    if j + 1 >= toks.len() || j + 1 - i >= MAX_TOKENS {
                        break;
                    }
                    let next = toks[j + 1];
                    if !joinable(text, &toks[j], &next) {
                        break;
                    }
                    let len = buf.len();
                    buf.push(' ');
                    buf.push_str(Self::tok_key(key, &next));
                    match idx.find(buf.as_bytes()) {
                        Some(f) => {
                            found = f;
                            j += 1;
                        }
                        None => {
                            buf.truncate(len);
                            break;
                        }
                    }
                }
            }
            let Some((last, strip, k)) = best else {
                i += 1;
                continue;
            };
            if let Some(c) = self.accept(text, key, toks, i, last, strip, k) {
                out.push(c);
                i = last + 1;
            } else {
                i += 1;
            }
        }
        out
    }

    /// Applies the surface filters; builds the candidate.
    #[allow(clippy::too_many_arguments)]
    fn accept(
        &self,
        text: &str,
        key: &str,
        toks: &[Tok],
        first: usize,
        last: usize,
        strip: usize,
        k: String,
    ) -> Option<Cand> {
        let lex = &self.lex;
        let t0 = toks[first];
        let single = first == last;
        // Capitalisation for Latin and Cyrillic script.
        if !t0.arabic {
            if !t0.cap {
                return None;
            }
            for t in &toks[first + 1..=last] {
                let tk = Self::tok_key(key, t);
                if !t.cap && !CONNECTORS.contains(&tk) {
                    return None;
                }
            }
            // All-capital words of 2-3 letters are acronyms unless the index knows the
            // acronym as such (checked below through the key's own form): "US", "UK".
            let surface = text.get(t0.os..toks[last].oe).unwrap_or("");
            let letters: Vec<char> = surface.chars().filter(|c| c.is_alphabetic()).collect();
            if letters.len() >= 4 && letters.iter().all(|c| c.is_uppercase()) && single {
                // Headline capitals: accept only big places (checked at resolution).
            }
        }
        if single && lex.never.contains(&k) {
            return None;
        }
        let prev = first.checked_sub(1).map(|p| toks[p]);
        let next = toks.get(last + 1).copied();
        let prev_key = prev.map(|p| Self::tok_key(key, &p)).unwrap_or("");
        let next_key = next.map(|n| Self::tok_key(key, &n)).unwrap_or("");
        let prev2_key = first
            .checked_sub(2)
            .map(|p| Self::tok_key(key, &toks[p]))
            .unwrap_or("");
        // People and organisations. A name right after a title is a person's ("President
        // Jordan", "الرئيس السابق نور سلطان").
        let title = !prev_key.is_empty()
            && (lex.titles.contains(prev_key)
                || lex.titles.contains(&format!("{prev2_key} {prev_key}")));
        if title && prev.is_some_and(|p| p.arabic == t0.arabic) {
            let gap = prev.map_or("", |p| text.get(p.oe..t0.os).unwrap_or(""));
            if gap == " " || gap == "-" {
                return None;
            }
        }
        if !t0.arabic {
            if let Some(n) = next {
                let tight = text.get(toks[last].oe..n.os) == Some(" ");
                if tight && n.cap && lex.org_after.contains(next_key) {
                    return None;
                }
                if tight
                    && n.cap
                    && single
                    && lex.given_names.contains(&k)
                    && !self.gaz.index.known(next_key.as_bytes())
                {
                    return None;
                }
            }
            if let Some(p) = prev {
                let tight = text.get(p.oe..t0.os) == Some(" ");
                if tight
                    && p.cap
                    && !p.sent_start
                    && single
                    && lex.surnames.contains(&k)
                    && !CONNECTORS.contains(&prev_key)
                    && !lex.cues_before.contains(prev_key)
                    && self.gaz.index.exact(prev_key.as_bytes()).is_none()
                {
                    return None;
                }
            }
        }
        let first_key = Self::tok_key(key, &t0);
        let clitics = if t0.arabic && strip > 0 {
            first_key.get(..strip).unwrap_or("")
        } else {
            ""
        };
        // ب "in/at" is locative; ل "for/to" is a weaker hint.
        let proclitic_cue = clitics.contains('ب') || clitics.contains('ل');
        let word_cue = lex.cues_before.contains(prev_key);
        let cue = proclitic_cue
            || word_cue
            || (prev_key == "of" && lex.city_cues.contains(prev2_key))
            || (prev_key == "of" && lex.admin1_cues.contains(prev2_key))
            || (prev_key == "of" && lex.country_cues.contains(prev2_key));
        // Arabic puts an adjective between cue and name: "العاصمة الأردنية عمان".
        let ar_back = t0.arabic && !prev2_key.is_empty();
        let kind_cue = if ar_back && lex.city_cues.contains(prev2_key) {
            Some(PlaceKind::City)
        } else if lex.country_cues.contains(prev_key)
            || (prev_key == "of" && lex.country_cues.contains(prev2_key))
        {
            Some(PlaceKind::Country)
        } else if lex.city_cues.contains(prev_key)
            || (prev_key == "of" && lex.city_cues.contains(prev2_key))
            || (!next_key.is_empty() && lex.city_cues.contains(next_key) && !t0.arabic)
        {
            Some(PlaceKind::City)
        } else if lex.admin1_cues.contains(prev_key)
            || (prev_key == "of" && lex.admin1_cues.contains(prev2_key))
            || (!next_key.is_empty() && lex.admin1_cues.contains(next_key) && !t0.arabic)
        {
            Some(PlaceKind::Admin1)
        } else {
            None
        };
        let i = self.gaz.index.exact(k.as_bytes())?;
        let postings: Vec<u32> = self.gaz.index.postings(i).collect();
        if postings.is_empty() {
            return None;
        }
        let loc_cue = clitics.contains('ب')
            || (word_cue && !lex.weak_cues.contains(prev_key))
            || kind_cue.is_some();
        Some(Cand {
            first,
            last,
            strip,
            loc_cue,
            weak: single && lex.weak.contains(&k),
            key: k,
            postings,
            cue,
            kind_cue,
        })
    }

    /// Whether place `q` is a big city of `region`'s country: the reading of a bare name that
    /// a region and its main city share ("Almaty", "Amman").
    fn is_big_city_of(&self, q: u32, region: &Place) -> bool {
        self.gaz.place_at(q).is_some_and(|p| {
            p.kind == PlaceKind::City
                && p.country == region.country
                && p.population >= REGION_CITY_MIN_POP
        })
    }

    fn base_score(p: &Place, alt: bool) -> f32 {
        let b = match p.kind {
            PlaceKind::Country => 10.0,
            PlaceKind::Other | PlaceKind::Former => 9.5,
            PlaceKind::Admin1 => 7.5,
            PlaceKind::City => 1.5 + 0.7 * ((p.population as f32) + 1.0).log10(),
        };
        if alt {
            b - 1.5
        } else {
            b
        }
    }

    fn resolve(
        &self,
        text: &str,
        key: &str,
        toks: &[Tok],
        cands: Vec<Cand>,
        hint: Option<&str>,
    ) -> Vec<PlaceMention> {
        // Pass 1: a first reading of each candidate, to learn the story's countries: the best
        // place, its score, its margin over the next reading and over the best reading in
        // another country ("Amman" is the city or its governorate, but Jordan either way).
        let prelim: Vec<Option<(u32, f32, f32, f32)>> = cands
            .iter()
            .map(|c| {
                let mut scored: Vec<(u32, f32)> = c
                    .postings
                    .iter()
                    .filter(|&&p| p & COMMON_FLAG == 0 || c.loc_cue)
                    .filter_map(|&p| {
                        let pl = self.gaz.place_at(p)?;
                        let mut s = Self::base_score(pl, p & ALT_FLAG != 0);
                        if c.kind_cue == Some(pl.kind) {
                            s += 2.0;
                        }
                        Some((p & IDX_MASK, s))
                    })
                    .collect();
                scored.sort_by(|a, b| b.1.total_cmp(&a.1));
                let best = *scored.first()?;
                let margin = scored.get(1).map_or(3.0, |s| best.1 - s.1);
                let country_of = |i: u32| self.gaz.place_at(i).map(|p| p.country.as_str());
                let country_margin = scored
                    .iter()
                    .find(|s| country_of(s.0) != country_of(best.0))
                    .map_or(3.0, |s| best.1 - s.1);
                Some((best.0, best.1, margin, country_margin))
            })
            .collect();
        // Country → weight of its mentions; a story names few countries, so a list will do.
        let mut weight: Vec<(&str, f32)> = Vec::new();
        fn add<'a>(weight: &mut Vec<(&'a str, f32)>, cc: &'a str, w: f32) {
            match weight.iter_mut().find(|(c, _)| *c == cc) {
                Some((_, v)) => *v += w,
                None => weight.push((cc, w)),
            }
        }
        let mut admin1s: Vec<(&str, &str)> = Vec::new();
        let mut own: Vec<Option<(&str, f32)>> = vec![None; cands.len()];
        for (ci, (c, pre)) in cands.iter().zip(&prelim).enumerate() {
            let Some((p, _, _, country_margin)) = *pre else {
                continue;
            };
            let Some(pl) = self.gaz.place_at(p) else {
                continue;
            };
            if pl.country.is_empty() || (country_margin < 0.5 && c.postings.len() > 1) {
                continue;
            }
            let w = match pl.kind {
                PlaceKind::Country => 2.0,
                PlaceKind::Admin1 => 1.5,
                PlaceKind::City if pl.population >= 20_000 || c.cue => 1.0,
                _ => 0.3,
            };
            add(&mut weight, pl.country.as_str(), w);
            if let Some(o) = own.get_mut(ci) {
                *o = Some((pl.country.as_str(), w));
            }
            if pl.kind == PlaceKind::Admin1 {
                if let Some(a1) = &pl.admin1 {
                    admin1s.push((pl.country.as_str(), a1.as_str()));
                }
            }
        }
        // One place per story: places that other names clearly name ("Amman" in the English
        // lines of a report whose Arabic says "عمان", Amman or Oman). Repeats of the same name
        // add nothing: they share its ambiguity.
        // A region named after its big city reads as the city below, so the city counts too.
        let mut named: Vec<(usize, u32)> = Vec::new();
        for (ci, (c, pre)) in cands.iter().zip(&prelim).enumerate() {
            let Some((p, _, margin, country_margin)) = *pre else {
                continue;
            };
            if margin >= NAMED_MARGIN {
                named.push((ci, p));
            } else if country_margin < NAMED_MARGIN {
                continue;
            }
            let Some(region) = self.gaz.place_at(p).filter(|r| r.kind == PlaceKind::Admin1) else {
                continue;
            };
            named.extend(
                c.postings
                    .iter()
                    .map(|&q| q & IDX_MASK)
                    .filter(|&q| self.is_big_city_of(q, region))
                    .map(|q| (ci, q)),
            );
        }
        let hint = hint.map(|h| h.to_ascii_uppercase());
        if let Some(h) = &hint {
            if let Some(c) = self.gaz.country(h) {
                add(&mut weight, c.country.as_str(), 5.0);
            }
        }

        let mut out = Vec::new();
        for (ci, c) in cands.iter().enumerate() {
            // The story as the other mentions tell it (a name does not vote for itself).
            let mine = own.get(ci).copied().flatten();
            let weight_of = |cc: &str| -> f32 {
                let w = weight.iter().find(|(c, _)| *c == cc).map_or(0.0, |e| e.1);
                match mine {
                    Some((m, v)) if m == cc => w - v,
                    _ => w,
                }
            };
            let story: Option<&str> = weight
                .iter()
                .map(|&(c, _)| (c, weight_of(c)))
                .filter(|(_, w)| *w >= 1.0)
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(a.0)))
                .map(|(c, _)| c);
            // A container right after ("Tyler, Texas" / "Almaty (Kazakhstan)").
            // The next candidate that reads as a place: a rejected one in between (a direction
            // word that is also a rare place name) is just part of the separator.
            let next = (ci + 1..cands.len().min(ci + 3))
                .find(|&j| prelim.get(j).copied().flatten().is_some());
            let container: Option<&Place> = next.and_then(|j| {
                let n = cands.get(j)?;
                let sep = text.get(toks.get(c.last)?.oe..toks.get(n.first)?.os)?;
                if !is_container_sep(sep) {
                    return None;
                }
                self.gaz.place_at(prelim.get(j).copied().flatten()?.0)
            });
            let mut scored: Vec<(u32, f32, bool)> = c
                .postings
                .iter()
                .filter_map(|&p| {
                    let pl = self.gaz.place_at(p)?;
                    let alt = p & ALT_FLAG != 0;
                    let mut s = Self::base_score(pl, alt);
                    if c.kind_cue == Some(pl.kind) {
                        s += 2.0;
                    }
                    let idx = p & IDX_MASK;
                    if named
                        .iter()
                        .any(|&(cj, q)| q == idx && cands.get(cj).is_some_and(|o| o.key != c.key))
                    {
                        s += NAMED_ELSEWHERE;
                    }
                    let cc = pl.country.as_str();
                    if !cc.is_empty() {
                        if Some(cc) == story {
                            s += 2.0;
                        }
                        s += 0.7 * weight_of(cc).min(4.0);
                        if let Some(a1) = &pl.admin1 {
                            if pl.kind == PlaceKind::City && admin1s.contains(&(cc, a1.as_str())) {
                                s += 1.5;
                            }
                        }
                    }
                    let mut contained = false;
                    if let Some(k) = container {
                        if pl.kind != PlaceKind::Country
                            && k.country == pl.country
                            && (k.kind == PlaceKind::Country
                                || (k.kind == PlaceKind::Admin1 && k.admin1 == pl.admin1))
                        {
                            s += 4.0;
                            contained = true;
                        }
                    }
                    // A frequent Arabic word names a place only with a locative cue, a
                    // container, or a cue and the story's country.
                    if p & COMMON_FLAG != 0
                        && !(c.loc_cue || contained || (c.cue && Some(cc) == story))
                    {
                        return None;
                    }
                    Some((p & IDX_MASK, s, contained))
                })
                .collect();
            scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            // A region named after its big city ("Almaty", "New York"): the bare name is the
            // city unless a cue asks for the region.
            if c.kind_cue != Some(PlaceKind::Admin1) {
                if let Some(&(top, ..)) = scored.first() {
                    let top_pl = self.gaz.place_at(top);
                    if let Some(a) = top_pl.filter(|p| p.kind == PlaceKind::Admin1) {
                        if let Some(pos) =
                            scored.iter().position(|&(q, ..)| self.is_big_city_of(q, a))
                        {
                            let city = scored.remove(pos);
                            scored.insert(0, (city.0, scored[0].1 + 0.5, city.2));
                        }
                    }
                }
            }
            let Some(&(best, score, contained)) = scored.first() else {
                continue;
            };
            let Some(pl) = self.gaz.place_at(best) else {
                continue;
            };
            let margin = scored.get(1).map_or(3.0, |s| score - s.1);
            let coherent = !pl.country.is_empty() && Some(pl.country.as_str()) == story;
            let multi = c.last > c.first;
            let t0 = toks[c.first];
            // Support needed for a reading to stand.
            let support = c.cue || contained || coherent;
            if c.weak && !support {
                continue;
            }
            if pl.kind == PlaceKind::City && !multi {
                let pop = pl.population;
                let alt_only = c.postings.iter().all(|p| p & ALT_FLAG != 0);
                let surface = text.get(t0.os..t0.oe).unwrap_or("");
                let all_caps = !t0.arabic
                    && surface.chars().filter(|ch| ch.is_alphabetic()).count() >= 2
                    && surface.chars().all(|ch| !ch.is_lowercase());
                // Acronyms ("UN", "FAO") are not towns.
                if all_caps {
                    continue;
                }
                let strong = c.cue || contained;
                let ok = if t0.arabic {
                    strong && pop >= 1_000 || pop >= 100_000 || (coherent && pop >= 20_000 && c.cue)
                } else if alt_only {
                    strong && pop >= 15_000
                } else {
                    pop >= 100_000 && !(t0.sent_start && !strong && pop < 300_000)
                        || (strong && pop >= 1_000)
                        || (coherent && pop >= 15_000 && !t0.sent_start)
                };
                if !ok {
                    continue;
                }
            }
            if pl.kind == PlaceKind::Admin1 && !multi && t0.arabic && !c.cue && !coherent {
                // Arabic admin1 alternate names collide with common words.
                if c.postings.iter().all(|p| p & ALT_FLAG != 0) {
                    continue;
                }
            }
            let os = hadath_normalize_offset(&toks[c.first], key, c.strip, text);
            let oe = toks[c.last].oe;
            let mut conf = 0.5 + 0.45 * (1.0 - (-margin / 2.0).exp());
            if c.cue || contained {
                conf += 0.05;
            }
            if c.weak {
                conf -= 0.1;
            }
            let _ = &c.key;
            out.push(PlaceMention {
                span: Span::new(os, oe),
                text: text.get(os..oe).unwrap_or("").to_string(),
                place: pl.clone(),
                confidence: conf.clamp(0.05, 0.99),
            });
        }
        out
    }
}

/// Where in the original a token starts once `strip` key bytes of proclitics are dropped.
fn hadath_normalize_offset(t: &Tok, _key: &str, strip: usize, _text: &str) -> usize {
    if strip == 0 {
        return t.os;
    }
    // Proclitics are single Arabic letters (2 bytes in both key and original, apart from
    // diacritics, which the normaliser drops): walk the original by letters.
    let letters = strip / 2;
    let s = _text.get(t.os..t.oe).unwrap_or("");
    let mut seen = 0;
    for (i, ch) in s.char_indices() {
        if seen == letters {
            return t.os + i;
        }
        if is_arabic_char(ch) && !is_mark(ch) {
            seen += 1;
        }
    }
    t.os
}

/// What may stand between a place and the larger place that contains it: a comma or an
/// opening parenthesis ("Tyler, Texas", "Almaty (Kazakhstan)"), or a direction with an
/// optional "in" ("Tripoli, northern Lebanon", "Tripoli in northern Lebanon",
/// "طرابلس شمال لبنان", "طرابلس في شمالي لبنان").
fn is_container_sep(sep: &str) -> bool {
    const DIRECTIONS: &[&str] = &[
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "northeastern",
        "northwestern",
        "southeastern",
        "southwestern",
        "شمال",
        "جنوب",
        "شرق",
        "غرب",
        "وسط",
        "شمالي",
        "جنوبي",
        "شرقي",
        "غربي",
        "بشمال",
        "بجنوب",
        "بشرق",
        "بغرب",
        "بوسط",
    ];
    // At most "in northern of": a longer gap is not a separator (and is not lowercased).
    let words: Vec<&str> = sep
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '،' | '(' | '-'))
        .filter(|w| !w.is_empty())
        .take(4)
        .collect();
    let punct = sep.trim();
    if words.is_empty() {
        return punct == "," || punct == "(" || punct == "،";
    }
    if words.len() > 3 {
        return false;
    }
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let rest: &[String] = match lower.first().map(String::as_str) {
        Some("in" | "في" | "of") => &lower[1..],
        _ => &lower,
    };
    matches!(rest, [d] if DIRECTIONS.contains(&d.as_str()))
        || matches!(rest, [d, of] if DIRECTIONS.contains(&d.as_str()) && of == "of")
}

fn is_mark(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}')
}

/// A first-token form to look up: `ال` (when `article`) followed by `rest`, with `strip`
/// bytes of the token's key dropped as proclitics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Variant<'a> {
    article: bool,
    rest: &'a str,
    strip: usize,
}

/// The first-token forms to try: the token itself, then without Arabic proclitics
/// (و ف, then ب ل ك with لل read as ل + ال, then ال), fewest stripped bytes first.
fn variants<'a>(tok: &'a str, arabic: bool, out: &mut Vec<Variant<'a>>) {
    out.clear();
    out.push(Variant {
        article: false,
        rest: tok,
        strip: 0,
    });
    if !arabic {
        return;
    }
    let long = |s: &str, n: usize| s.chars().nth(n - 1).is_some();
    // و / ف (and, so)
    for c in ["و", "ف"] {
        if let Some(r) = tok.strip_prefix(c).filter(|r| long(r, 3)) {
            out.push(Variant {
                article: false,
                rest: r,
                strip: c.len(),
            });
        }
    }
    let stage1 = out.len();
    for i in 0..stage1 {
        let Variant { rest: s, strip, .. } = out[i];
        // لل + noun = ل + ال + noun
        if let Some(r) = s.strip_prefix("لل").filter(|r| long(r, 2)) {
            out.push(Variant {
                article: true,
                rest: r,
                strip: strip + "ل".len(),
            });
        }
        for c in ["ب", "ل", "ك"] {
            if let Some(r) = s.strip_prefix(c).filter(|r| long(r, 3)) {
                out.push(Variant {
                    article: false,
                    rest: r,
                    strip: strip + c.len(),
                });
            }
        }
    }
    let stage2 = out.len();
    for i in 0..stage2 {
        let v = out[i];
        // For "لل" + r the article's ل is the second letter: r starts one ل later.
        let (r, strip) = if v.article {
            (Some(v.rest), v.strip + "ل".len())
        } else {
            (v.rest.strip_prefix("ال"), v.strip + "ال".len())
        };
        if let Some(r) = r.filter(|r| long(r, 3)) {
            out.push(Variant {
                article: false,
                rest: r,
                strip,
            });
        }
    }
    out.sort_by_key(|v| v.strip);
    out.dedup();
}

/// True when `a` and `b` may be parts of one name: only a space, hyphen, apostrophe or
/// abbreviation dot between them.
fn joinable(text: &str, a: &Tok, b: &Tok) -> bool {
    let Some(sep) = text.get(a.oe..b.os) else {
        return false;
    };
    if sep.is_empty() || sep.chars().count() > 2 {
        return false;
    }
    sep.chars().all(|c| {
        matches!(
            c,
            ' ' | '-' | '\'' | '\u{2019}' | '.' | '\u{00A0}' | '\u{2010}' | '\u{2011}'
        )
    }) && (!sep.contains('.') || a_is_abbrev(text, a))
}

/// "U.S." style: the token before the dot is one or two letters.
fn a_is_abbrev(text: &str, a: &Tok) -> bool {
    text.get(a.os..a.oe).is_some_and(|s| s.chars().count() <= 2)
}

fn tokenize(
    text: &str,
    norm: &hadath_normalize::Normalized,
    sentences: &[(Span, Lang)],
) -> Vec<Tok> {
    let key = norm.key.as_str();
    let mut starts: Vec<usize> = sentences.iter().map(|(s, _)| s.start).collect();
    starts.sort_unstable();
    let mut toks: Vec<Tok> = Vec::new();
    let mut ks: Option<usize> = None;
    let push = |toks: &mut Vec<Tok>, s: usize, e: usize| {
        let (os, oe) = norm.original_span(s, e);
        let surface = text.get(os..oe).unwrap_or("");
        let first = surface.chars().next().unwrap_or(' ');
        let arabic = is_arabic_char(first);
        let prev_oe = toks.last().map_or(0, |t: &Tok| t.oe);
        let gap = text.get(prev_oe..os).unwrap_or("");
        let sent_start = toks.is_empty()
            || starts.binary_search(&os).is_ok()
            || gap.contains([
                '.', '!', '?', '\n', ':', '"', '\u{201C}', '\u{201D}', '«', '»', '؟',
            ])
            || {
                let k = starts.partition_point(|&st| st <= os);
                k > 0 && starts[k - 1] > prev_oe
            };
        toks.push(Tok {
            ks: s,
            ke: e,
            os,
            oe,
            arabic,
            cap: first.is_uppercase(),
            sent_start,
        });
    };
    for (i, c) in key.char_indices() {
        if is_word_char(c) {
            if ks.is_none() {
                ks = Some(i);
            }
        } else if let Some(s) = ks.take() {
            push(&mut toks, s, i);
        }
    }
    if let Some(s) = ks {
        push(&mut toks, s, key.len());
    }
    toks
}

/// `char::is_alphanumeric`, with fast paths for ASCII and Arabic letters.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    ('\u{0621}'..='\u{063A}').contains(&c)
        || ('\u{0641}'..='\u{064A}').contains(&c)
        || c.is_alphanumeric()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_separators() {
        for sep in [
            ", ",
            " (",
            "، ",
            ", northern ",
            " in northern ",
            " north of ",
            " شمال ",
            " في شمالي ",
        ] {
            assert!(is_container_sep(sep), "{sep:?}");
        }
        for sep in [
            " and ",
            " to ",
            ", then in northern ",
            " قرب ",
            " and police said that in the north ",
        ] {
            assert!(!is_container_sep(sep), "{sep:?}");
        }
    }

    fn forms(tok: &str) -> Vec<(String, usize)> {
        let mut v = Vec::new();
        variants(tok, true, &mut v);
        v.iter()
            .map(|v| {
                let art = if v.article { "ال" } else { "" };
                (format!("{art}{}", v.rest), v.strip)
            })
            .collect()
    }

    #[test]
    fn proclitic_variants_and_offsets() {
        // token → forms looked up, with the bytes dropped from the token's key
        let f = forms("وبالقاهره");
        for want in [
            ("وبالقاهره", 0),
            ("بالقاهره", 2),
            ("القاهره", 4),
            ("قاهره", 8),
        ] {
            assert!(
                f.contains(&(want.0.to_string(), want.1)),
                "{want:?} in {f:?}"
            );
        }
        // لل + noun: "القاهره" with one ل dropped, "قاهره" with both.
        let f = forms("للقاهره");
        assert!(f.contains(&("القاهره".to_string(), 2)), "{f:?}");
        assert!(f.contains(&("قاهره".to_string(), 4)), "{f:?}");
        // Short remainders are not tried.
        assert_eq!(forms("بلد"), vec![("بلد".to_string(), 0)]);
        let mut v = Vec::new();
        variants("Paris", false, &mut v);
        assert_eq!(v.len(), 1);
    }

    #[test]
    fn word_chars_match_the_standard_library() {
        for c in [
            'a', 'Z', '7', ' ', '-', 'é', 'ж', 'ا', 'ي', 'ء', '\u{0640}', '،', '٣', '中',
        ] {
            assert_eq!(is_word_char(c), c.is_alphanumeric(), "{c:?}");
        }
    }
}
