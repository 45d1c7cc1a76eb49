//! Finding actors in one sentence: whole-word matches on the normalised key, leftmost-longest
//! selection, then combination of adjacent pieces and titled-person names.

use hadath_model::{Lang, Span};
use std::cell::RefCell;

use crate::fold::{folder, Folded};

use crate::compile::{Case, Entry, Matcher, What};
use crate::{ActorKind, ActorMention, Actors, Sector};

/// `c.is_alphanumeric()`, by table for the common scripts.
#[inline]
fn is_word(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        folder().is_word(c)
    }
}

/// One lexicon match, in key coordinates.
#[derive(Debug, Clone)]
struct Atom {
    /// Start of the mention (after و/ف/ب/ك/ل proclitics, article included).
    ks: usize,
    ke: usize,
    what: What,
    arabic: bool,
    /// ب attached to the word ("بموسكو" = in Moscow).
    bi: bool,
    /// ل or ك attached ("لموسكو" = to Moscow).
    li: bool,
}

/// Per-call context.
struct Cx<'a> {
    a: &'a Actors,
    m: &'a Matcher,
    orig: &'a str,
    n: &'a Folded,
}

impl Cx<'_> {
    fn key(&self) -> &str {
        &self.n.key
    }

    /// The original text of key range `[s, e)`.
    fn orig_of(&self, s: usize, e: usize) -> &str {
        let (os, oe) = self.n.original_span(s, e);
        self.orig.get(os..oe).unwrap_or("")
    }

    fn case_ok(&self, e: &Entry, s: usize, end: usize) -> bool {
        if e.arabic {
            return true;
        }
        let o = self.orig_of(s, end);
        match e.case {
            Case::Any => true,
            Case::Capitalized => o.chars().next().is_some_and(|c| !c.is_lowercase()),
            Case::Upper => o
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(|c| c.is_uppercase()),
        }
    }
}

/// Start of the word that contains key byte `pos` (walking back over word chars).
fn word_start(key: &str, pos: usize) -> usize {
    let mut s = pos;
    for (i, c) in key.get(..pos).unwrap_or("").char_indices().rev() {
        if is_word(c) {
            s = i;
        } else {
            break;
        }
    }
    s
}

/// The word before key position `pos`, if only white space separates them.
fn prev_word(key: &str, pos: usize) -> Option<(usize, &str)> {
    let before = key.get(..pos)?;
    let trimmed = before.trim_end();
    if trimmed.len() == before.len() && pos > 0 {
        // No space: the previous char is a word char or punctuation; either way no word.
        return None;
    }
    let end = trimmed.len();
    let start = word_start(key, end);
    if start == end {
        return None;
    }
    Some((start, key.get(start..end)?))
}

/// Next token at or after `pos` (skipping white space only), as `(start, end)`. Tokens are
/// runs of word chars joined by inner `-` or `'` ("kassym-jomart", "n'djamena").
fn next_token(key: &str, pos: usize) -> Option<(usize, usize)> {
    let rest = key.get(pos..)?;
    let skip = rest.len() - rest.trim_start().len();
    let s = pos + skip;
    let mut e = s;
    let mut chars = key.get(s..)?.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if is_word(c) {
            e = s + i + c.len_utf8();
        } else if (c == '-' || c == '\'')
            && e == s + i
            && e > s
            && chars.peek().is_some_and(|&(_, d)| is_word(d))
        {
            continue;
        } else {
            break;
        }
    }
    (e > s).then_some((s, e))
}

fn collect_atoms(cx: &Cx) -> Vec<Atom> {
    let key = cx.key();
    let mut cands: Vec<Atom> = Vec::new();
    for (ms, me, e) in cx.m.occurrences(key) {
        let last = key.get(..me).and_then(|k| k.chars().next_back());
        if last.is_some_and(is_word)
            && key
                .get(me..)
                .and_then(|r| r.chars().next())
                .is_some_and(is_word)
        {
            continue; // ends inside a word
        }
        let first = key.get(ms..).and_then(|r| r.chars().next());
        let ts = if first.is_some_and(is_word) {
            word_start(key, ms)
        } else {
            ms
        };
        let (mut ks, mut bi, mut li) = (ms, false, false);
        if ts < ms {
            if !e.arabic {
                continue;
            }
            let Some(p) = key
                .get(ts..ms)
                .and_then(|t| cx.m.prefixes.iter().find(|p| p.text == t))
            else {
                continue;
            };
            if p.article && !e.article {
                continue;
            }
            ks = ts + p.skip;
            bi = p.bi;
            li = p.li;
        }
        if !cx.case_ok(e, ms, me) {
            continue;
        }
        cands.push(Atom {
            ks,
            ke: me,
            what: e.what,
            arabic: e.arabic,
            bi,
            li,
        });
    }
    cands.sort_by(|a, b| a.ks.cmp(&b.ks).then(b.ke.cmp(&a.ke)));
    let mut out: Vec<Atom> = Vec::new();
    for c in cands {
        if out.last().is_some_and(|l| c.ks < l.ke) {
            continue;
        }
        out.push(c);
    }
    out
}

/// True when a place preposition stands right before key position `ks` ("in the", "في").
fn locative(cx: &Cx, atom: &Atom) -> bool {
    if !matches!(atom.what, What::Country(_) | What::Capital(_)) {
        return false;
    }
    if atom.bi {
        return true;
    }
    let key = cx.key();
    let sets = &cx.m.sets;
    let Some((s, w)) = prev_word(key, atom.ks) else {
        return false;
    };
    if atom.arabic {
        let bare = w
            .strip_prefix('و')
            .or_else(|| w.strip_prefix('ف'))
            .unwrap_or(w);
        return sets.place_ar.contains(w) || sets.place_ar.contains(bare);
    }
    if w == "the" {
        return prev_word(key, s).is_some_and(|(_, w2)| sets.place_en.contains(w2));
    }
    sets.place_en.contains(w)
}

/// A combined actor being built.
#[derive(Debug, Clone)]
struct Group {
    ks: usize,
    ke: usize,
    arabic: bool,
    country: Option<usize>,
    org: Option<usize>,
    sector: Option<Sector>,
    kind: ActorKind,
    title: bool,
    name: Option<(usize, usize)>,
    locative: bool,
}

/// Picks the sector of two adjacent role words: the more specific one (anything beats GOV:
/// "government troops" → MIL, "قوات الشرطة" → COP), else the head (English: last).
fn merge_sector(first: Option<Sector>, second: Option<Sector>) -> Option<Sector> {
    match (first, second) {
        (Some(Sector::Gov), s) | (s, Some(Sector::Gov)) if s.is_some() => s,
        (_, Some(s)) => Some(s),
        (f, None) => f,
    }
}

impl Cx<'_> {
    fn gap_tokens(&self, s: usize, e: usize) -> Option<Vec<&str>> {
        let gap = self.key().get(s..e)?;
        Some(gap.split_whitespace().collect())
    }

    /// The last word of key range `[s, e)` carries the article (ال or لل).
    fn last_word_definite(&self, s: usize, e: usize) -> bool {
        let w = self
            .key()
            .get(s..e)
            .and_then(|t| t.rsplit(' ').next())
            .unwrap_or("");
        w.starts_with("ال") || w.starts_with("لل")
    }

    /// The gap holds only white space and modifier words ("former", "السابق").
    fn plain_gap(&self, s: usize, e: usize) -> bool {
        let Some(toks) = self.gap_tokens(s, e) else {
            return false;
        };
        let gap = self.key().get(s..e).unwrap_or("x");
        (gap.is_empty() || gap.starts_with(char::is_whitespace) || s == e)
            && toks.iter().all(|t| self.m.sets.modifiers.contains(*t))
    }

    fn init(&self, a: &Atom) -> Group {
        let mut g = Group {
            ks: a.ks,
            ke: a.ke,
            arabic: a.arabic,
            country: None,
            org: None,
            sector: None,
            kind: ActorKind::Role,
            title: false,
            name: None,
            locative: locative(self, a),
        };
        match a.what {
            What::Country(c) => {
                g.kind = ActorKind::Country;
                g.country = Some(c);
            }
            What::Capital(c) => {
                g.kind = ActorKind::Capital;
                g.country = Some(c);
                g.sector = Some(Sector::Gov);
            }
            What::Demonym(c) => {
                g.kind = ActorKind::Demonym;
                g.country = Some(c);
            }
            What::Org(o) => {
                g.kind = ActorKind::Organization;
                g.org = Some(o);
                g.country = self.org_country(o);
                g.sector = self.a.orgs.get(o).map(|o| o.sector);
            }
            What::Role(r) => {
                let role = self.a.roles.get(r);
                g.sector = role.map(|r| r.sector);
                g.title = role.is_some_and(|r| r.title);
            }
        }
        g
    }

    /// The group is a lone title-only word (a rank).
    fn title_only(&self, g: &Group) -> bool {
        let key = self.key();
        let Some(k) = key.get(g.ks..g.ke) else {
            return false;
        };
        self.m
            .role_of_key(k)
            .and_then(|r| self.a.roles.get(r))
            .is_some_and(|r| r.title_only)
    }

    fn org_country(&self, o: usize) -> Option<usize> {
        let iso = self.a.orgs.get(o)?.country.as_deref()?;
        self.a
            .countries
            .binary_search_by(|c| c.iso3.as_str().cmp(iso))
            .ok()
    }

    /// Tries to absorb atom `b` into `g`. Returns false when it does not belong.
    fn absorb(&self, g: &mut Group, b: &Atom) -> bool {
        if b.arabic != g.arabic || b.ks < g.ke {
            return false;
        }
        let plain = self.plain_gap(g.ke, b.ks);
        let gap: Vec<&str> = self.gap_tokens(g.ke, b.ks).unwrap_or_default();
        let gap_str = self.key().get(g.ke..b.ks).unwrap_or("").trim();
        use ActorKind as K;
        let ok = if g.arabic {
            // Construct state (إضافة): the first noun has no article ("قوات الأمن", "رئيس
            // كازاخستان"). An adjective agrees in definiteness ("الحكومة الكازاخستانية").
            // Two definite nouns side by side are subject and object: "هاجمت الشرطة المحتجين".
            let construct = !self.last_word_definite(g.ks, g.ke);
            let agrees = construct != self.last_word_definite(b.ks, b.ke);
            match (g.kind, b.what) {
                // الحكومة الكازاخستانية، وزير الخارجية الإيراني
                (K::Role, What::Demonym(c)) if plain && agrees && g.country.is_none() => {
                    g.country = Some(c);
                    true
                }
                // رئيس كازاخستان، حكومة روسيا
                (K::Role, What::Country(c)) if plain && construct && g.country.is_none() => {
                    g.country = Some(c);
                    true
                }
                // أمير قطر الشيخ تميم: a title in apposition after a coded role
                (K::Role, What::Role(r))
                    if plain
                        && g.country.is_some()
                        && self.a.roles.get(r).is_some_and(|r| r.title) =>
                {
                    g.title = true;
                    true
                }
                // قوات الشرطة، مسؤولو الحكومة
                (K::Role, What::Role(r))
                    if plain && construct && g.country.is_none() && g.name.is_none() =>
                {
                    let role = self.a.roles.get(r);
                    g.sector = merge_sector(g.sector, role.map(|r| r.sector));
                    g.title |= role.is_some_and(|r| r.title);
                    true
                }
                // قوات الناتو، عناصر داعش
                (K::Role, What::Org(o)) if plain && construct && g.country.is_none() => {
                    g.kind = K::Organization;
                    g.org = Some(o);
                    g.country = self.org_country(o);
                    g.sector = self.a.orgs.get(o).map(|o| o.sector);
                    true
                }
                // حزب الله اللبناني
                (K::Organization, What::Demonym(c)) if plain && g.country.is_none() => {
                    g.country = Some(c);
                    true
                }
                _ => false,
            }
        } else {
            let poss = gap_str == "'s" || gap_str == "'";
            let led = self.m.sets.led_en.contains(gap_str)
                && self.key().get(g.ke..).is_some_and(|r| r.starts_with('-'));
            match (g.kind, b.what) {
                // Kazakh police, Russia's foreign ministry, U.S. Supreme Court
                (K::Country | K::Demonym, What::Role(r)) if plain || poss => {
                    let role = self.a.roles.get(r);
                    g.kind = K::Role;
                    g.sector = role.map(|r| r.sector);
                    g.title = role.is_some_and(|r| r.title);
                    true
                }
                // the Russian-led CSTO; Lebanese Hezbollah
                (K::Country | K::Demonym, What::Org(o)) if led || (plain && gap.is_empty()) => {
                    g.kind = K::Organization;
                    g.org = Some(o);
                    g.country = if led {
                        self.org_country(o)
                    } else {
                        self.org_country(o).or(g.country)
                    };
                    g.sector = self.a.orgs.get(o).map(|o| o.sector);
                    true
                }
                // government troops, riot police officers
                (K::Role, What::Role(r)) if plain && gap.is_empty() => {
                    let role = self.a.roles.get(r);
                    g.sector = merge_sector(g.sector, role.map(|r| r.sector));
                    g.title = role.is_some_and(|r| r.title);
                    true
                }
                // the government of Kazakhstan, President of Iran
                (K::Role, What::Country(c))
                    if g.country.is_none() && (gap_str == "of" || gap_str == "of the") =>
                {
                    g.country = Some(c);
                    true
                }
                // NATO troops, Hamas militants, the UN's envoy
                (K::Organization, What::Role(_)) if (plain && gap.is_empty()) || poss => true,
                _ => false,
            }
        };
        if ok {
            g.ke = b.ke;
        }
        ok
    }

    /// After a title, the name tokens that follow: English capitalised words, Arabic words up
    /// to a stop word. Returns the end of the name and the name's key range.
    fn person_name(&self, g: &Group, atom_starts: &[usize]) -> Option<(usize, usize, usize)> {
        let key = self.key();
        let sets = &self.m.sets;
        let mut pos = g.ke;
        // Skip modifiers: الرئيس السابق ...
        while let Some((s, e)) = next_token(key, pos) {
            if key
                .get(pos..s)
                .is_some_and(|gap| gap.chars().all(char::is_whitespace))
                && sets.modifiers.contains(key.get(s..e).unwrap_or(""))
            {
                pos = e;
            } else {
                break;
            }
        }
        let mut names = 0usize;
        let (mut name_s, mut name_e) = (None, pos);
        let mut end_after = false;
        let mut after_particle = false;
        while names < 4 && !end_after {
            let Some((s, mut e)) = next_token(key, name_e.max(pos)) else {
                break;
            };
            let gap = key.get(name_e.max(pos)..s).unwrap_or("x");
            if !gap.chars().all(char::is_whitespace)
                || gap.is_empty()
                || atom_starts.binary_search(&s).is_ok()
            {
                break;
            }
            let mut tok = key.get(s..e).unwrap_or("");
            if g.arabic {
                if !tok.chars().all(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) {
                    break;
                }
                let bare = tok.strip_prefix('و').or_else(|| tok.strip_prefix('ف'));
                if sets.stop_ar.contains(tok) || bare.is_some_and(|b| sets.stop_ar.contains(b)) {
                    break;
                }
                if sets.particles_ar.contains(tok) {
                    // بن، عبد، آل: part of the name, never its end (trailing ones are cut below).
                    name_s.get_or_insert(s);
                    name_e = e;
                    after_particle = true;
                    continue;
                }
                if tok.starts_with("ال") {
                    // A surname with the article follows one given name (بشار الأسد, عبد الفتاح
                    // السيسي) or a particle (عبد الله) and ends the name; elsewhere it is an
                    // adjective or the object of the verb (استقبل ... الوفد).
                    if after_particle {
                        after_particle = false;
                    } else if names == 1 {
                        end_after = true;
                    } else {
                        break;
                    }
                } else {
                    after_particle = false;
                }
            } else {
                if tok.ends_with("'s") {
                    e -= 2;
                    tok = key.get(s..e).unwrap_or("");
                    end_after = true;
                }
                let upper = self
                    .orig_of(s, e)
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase);
                if sets.particles_en.contains(tok) && names > 0 {
                    name_e = e;
                    continue;
                }
                if !upper || sets.stop_en.contains(tok) {
                    break;
                }
            }
            name_s.get_or_insert(s);
            names += 1;
            name_e = e;
        }
        if names == 0 {
            return None;
        }
        // Drop trailing particles ("bin" with nothing after it).
        let mut end = name_e;
        while let Some((ws, _)) =
            prev_word(key, end)
                .map(|(s, w)| (s, w.to_string()))
                .filter(|(_, w)| {
                    sets.particles_en.contains(w.as_str()) || sets.particles_ar.contains(w.as_str())
                })
        {
            end = key.get(..ws).map(|b| b.trim_end().len()).unwrap_or(ws);
        }
        let s = name_s?;
        (end > s).then_some((end, s, end))
    }

    fn mention(&self, g: &Group, base: usize) -> ActorMention {
        let (os, oe) = self.n.original_span(g.ks, g.ke);
        let country = g
            .country
            .and_then(|c| self.a.countries.get(c))
            .map(|c| c.iso3.clone());
        let org = g
            .org
            .and_then(|o| self.a.orgs.get(o))
            .map(|o| o.code.clone());
        let code = country.clone().or_else(|| org.clone()).unwrap_or_default();
        ActorMention {
            span: Span::new(base + os, base + oe),
            text: self.orig.get(os..oe).unwrap_or("").to_string(),
            code,
            country,
            sector: g.sector,
            kind: g.kind,
            org,
            name: g.name.map(|(s, e)| {
                let (a, b) = self.n.original_span(s, e);
                Span::new(base + a, base + b)
            }),
            locative: g.locative,
        }
    }
}

/// Drops capitals that are places rather than governments: after a place preposition, with
/// ب/ل attached, or followed by a capitalised word ("Washington Post").
fn capital_is_actor(cx: &Cx, a: &Atom) -> bool {
    if a.bi || a.li || locative(cx, a) {
        return false;
    }
    if !a.arabic {
        if let Some((s, e)) = next_token(cx.key(), a.ke) {
            let gap = cx.key().get(a.ke..s).unwrap_or("");
            if gap == " "
                && cx
                    .orig_of(s, e)
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase)
            {
                return false;
            }
        }
        if cx
            .key()
            .get(a.ke..)
            .is_some_and(|r| r.starts_with("-based"))
        {
            return false;
        }
    }
    true
}

thread_local! {
    /// The key buffers, reused from sentence to sentence.
    static SCRATCH: RefCell<Folded> = RefCell::new(Folded::default());
}

pub(crate) fn find(actors: &Actors, sentence: &str, base: usize, lang: Lang) -> Vec<ActorMention> {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut n) => {
            folder().fold(sentence, &mut n);
            find_in(actors, sentence, base, lang, &n)
        }
        Err(_) => {
            let mut n = Folded::default();
            folder().fold(sentence, &mut n);
            find_in(actors, sentence, base, lang, &n)
        }
    })
}

fn find_in(
    actors: &Actors,
    sentence: &str,
    base: usize,
    _lang: Lang,
    n: &Folded,
) -> Vec<ActorMention> {
    let cx = Cx {
        a: actors,
        m: &actors.matcher,
        orig: sentence,
        n,
    };
    let atoms: Vec<Atom> = collect_atoms(&cx)
        .into_iter()
        .filter(|a| !matches!(a.what, What::Capital(_)) || capital_is_actor(&cx, a))
        .collect();
    let starts: Vec<usize> = atoms.iter().map(|a| a.ks).collect();
    // Capital names are also given names (نور سلطان نزارباييف, George Washington): a person's
    // name may run over them.
    let blocking: Vec<usize> = atoms
        .iter()
        .filter(|a| !matches!(a.what, What::Capital(_)))
        .map(|a| a.ks)
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(a) = atoms.get(i) {
        let mut g = cx.init(a);
        i += 1;
        while let Some(b) = atoms.get(i) {
            if cx.absorb(&mut g, b) {
                i += 1;
            } else {
                break;
            }
        }
        if g.title && g.kind == ActorKind::Role {
            if let Some((end, s, e)) = cx.person_name(&g, &blocking) {
                g.ke = end;
                g.name = Some((s, e));
                g.kind = ActorKind::Person;
                // A person may close with a national adjective: الرئيس توكاييف الكازاخستاني is rare; skip.
                while starts.get(i).is_some_and(|&s| s < g.ke) {
                    i += 1;
                }
            }
        }
        if g.kind == ActorKind::Role && g.country.is_none() && cx.title_only(&g) {
            continue; // a rank with no name: "general strike", الفريق "the team"
        }
        out.push(cx.mention(&g, base));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_previous_words() {
        let k = "president kassym-jomart tokayev's speech";
        assert_eq!(next_token(k, 9), Some((10, 23)));
        assert_eq!(prev_word(k, 10), Some((0, "president")));
        assert_eq!(prev_word("a,b", 2), None);
        assert_eq!(word_start("والحكومه", "والحكومه".len()), 0);
    }

    #[test]
    fn sector_merge() {
        use Sector::*;
        assert_eq!(merge_sector(Some(Gov), Some(Mil)), Some(Mil));
        assert_eq!(merge_sector(Some(Mil), Some(Gov)), Some(Mil));
        assert_eq!(merge_sector(Some(Mil), Some(Cop)), Some(Cop));
        assert_eq!(merge_sector(Some(Cop), None), Some(Cop));
    }
}
