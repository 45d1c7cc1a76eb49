//! Language identification: script first, then distinctive letters and function words, and
//! lingua only for Latin-script text whose evidence stays ambiguous.
//!
//! Input text is expected to be *masked*: links, handles and hashtags replaced by spaces
//! (see [`crate::links::mask`]), so a URL never votes for English. Digits and punctuation are
//! never letters.

use crate::config::{LangCues, MAX_CUE_BYTES};
use crate::links::is_mark;
use hadath_model::Lang;
use lingua::{Language, LanguageDetector, LanguageDetectorBuilder};

/// Index of each language in [`Features::words`].
pub(crate) const WORD_LANGS: [Lang; 9] = [
    Lang::En,
    Lang::Fr,
    Lang::Es,
    Lang::Tr,
    Lang::Ru,
    Lang::Uk,
    Lang::Kk,
    Lang::Fa,
    Lang::Ar,
];
const EN: usize = 0;
const FR: usize = 1;
const ES: usize = 2;
const TR: usize = 3;
const RU: usize = 4;
const UK: usize = 5;
const KK: usize = 6;
const FA: usize = 7;
const AR: usize = 8;

/// Letters the Latin-script scorer considers before asking lingua, and the most letters
/// handed to lingua.
const LINGUA_LETTERS: usize = 300;

/// Counts gathered in one pass over a piece of masked text. Summing the features of the
/// sentences of a paragraph gives the paragraph's features.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Features {
    pub arabic: u32,
    pub latin: u32,
    pub cyrillic: u32,
    pub hebrew: u32,
    pub other: u32,
    /// ي ك ة ى: Arabic spellings that Persian and Urdu write differently.
    pub ar_only: u32,
    /// پ چ ژ گ ک ی: Persian letters (Urdu has them too).
    pub fa_ur: u32,
    /// ٹ ڈ ڑ ں ے ۓ ہ ھ: Urdu only.
    pub ur_only: u32,
    /// ә ғ қ ң ө ұ ү һ: Kazakh only.
    pub kk_only: u32,
    /// ї є ґ: Ukrainian only.
    pub uk_only: u32,
    /// і: Ukrainian and Kazakh, never Russian.
    pub cyr_i: u32,
    /// ы э ъ ё: Russian (and Kazakh), never Ukrainian.
    pub ru_only: u32,
    /// ı ğ ş and ö ü ç: Turkish letters.
    pub tr_chars: u32,
    /// ñ á í ó ú ¿ ¡ é: Spanish letters.
    pub es_chars: u32,
    /// è ê à â ù û ë ï î ô œ ç é: French letters.
    pub fr_chars: u32,
    /// Function-word hits per language of [`WORD_LANGS`].
    pub words: [u16; 9],
}

impl std::ops::AddAssign for Features {
    fn add_assign(&mut self, o: Features) {
        self.arabic += o.arabic;
        self.latin += o.latin;
        self.cyrillic += o.cyrillic;
        self.hebrew += o.hebrew;
        self.other += o.other;
        self.ar_only += o.ar_only;
        self.fa_ur += o.fa_ur;
        self.ur_only += o.ur_only;
        self.kk_only += o.kk_only;
        self.uk_only += o.uk_only;
        self.cyr_i += o.cyr_i;
        self.ru_only += o.ru_only;
        self.tr_chars += o.tr_chars;
        self.es_chars += o.es_chars;
        self.fr_chars += o.fr_chars;
        for (a, b) in self.words.iter_mut().zip(o.words) {
            *a = a.saturating_add(b);
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Arabic,
    Latin,
    Cyrillic,
    Hebrew,
    Other,
}

/// The word being read by [`Features::of`], lower-cased, on the stack. `len` counts every
/// byte pushed, also those past the buffer; a word longer than the longest cue (at most
/// [`MAX_CUE_BYTES`]) is never looked up, so the lost bytes never matter.
struct Word {
    buf: [u8; MAX_CUE_BYTES],
    len: usize,
}

impl Default for Word {
    fn default() -> Word {
        Word {
            buf: [0; MAX_CUE_BYTES],
            len: 0,
        }
    }
}

impl Word {
    #[inline]
    fn push_byte(&mut self, b: u8) {
        if let Some(slot) = self.buf.get_mut(self.len) {
            *slot = b;
        }
        self.len = self.len.saturating_add(1);
    }

    /// Pushes a two-byte UTF-8 sequence.
    #[inline]
    fn push_pair(&mut self, a: u8, b: u8) {
        if let Some([x, y]) = self.buf.get_mut(self.len..self.len.saturating_add(2)) {
            *x = a;
            *y = b;
        }
        self.len = self.len.saturating_add(2);
    }

    #[inline]
    fn push(&mut self, c: char) {
        let n = c.len_utf8();
        if let Some(slot) = self.buf.get_mut(self.len..self.len.saturating_add(n)) {
            c.encode_utf8(slot);
        }
        self.len = self.len.saturating_add(n);
    }

    /// Pushes `c.to_lowercase()`, with the common Latin-1 and Cyrillic cases done by
    /// arithmetic instead of the Unicode case tables.
    #[inline]
    fn push_lower(&mut self, c: char) {
        match fast_lower(c) {
            Some(l) => self.push(l),
            None => c.to_lowercase().for_each(|l| self.push(l)),
        }
    }

    /// The word, when it fits the buffer.
    #[inline]
    fn bytes(&self) -> Option<&[u8]> {
        self.buf.get(..self.len)
    }
}

/// Classes of U+0600..U+06FF in [`ARABIC_BLOCK`].
const A_NONE: u8 = 0; // not a letter: ends a word
const A_SKIP: u8 = 1; // harakat and tatweel: ignored inside a word
const A_LETTER: u8 = 2;
const A_AR_ONLY: u8 = 3;
const A_FA_UR: u8 = 4;
const A_UR_ONLY: u8 = 5;

/// What `Features::of` does with each char of the Arabic block, so the hot Arabic path is a
/// table lookup. Must agree with `is_mark`, `letter_script` and the letter lists in
/// `Features::of` (checked for every code point by a unit test).
static ARABIC_BLOCK: [u8; 256] = {
    let mut t = [A_NONE; 256];
    let mut k = 0;
    while k < 256 {
        let u = 0x600 + k as u32;
        t[k] = match u {
            0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED | 0x0640 => A_SKIP,
            0x064A | 0x0643 | 0x0629 | 0x0649 => A_AR_ONLY,
            0x067E | 0x0686 | 0x0698 | 0x06AF | 0x06A9 | 0x06CC => A_FA_UR,
            0x0679 | 0x0688 | 0x0691 | 0x06BA | 0x06D2 | 0x06D3 | 0x06C1 | 0x06BE => A_UR_ONLY,
            0x0620..=0x064A
            | 0x066E..=0x06D3
            | 0x06D5
            | 0x06EE
            | 0x06EF
            | 0x06FA..=0x06FC
            | 0x06FF => A_LETTER,
            _ => A_NONE,
        };
        k += 1;
    }
    t
};

/// `c.to_lowercase()` for the letters where it is one char found by arithmetic: Latin-1
/// letters and the basic Cyrillic alphabet. `None` elsewhere.
#[inline]
fn fast_lower(c: char) -> Option<char> {
    let u = c as u32;
    let l = match u {
        0x00C0..=0x00DE if u != 0xD7 => u + 0x20,
        0x0410..=0x042F => u + 0x20,
        0x0400..=0x040F => u + 0x50,
        0x00DF..=0x00FF if u != 0xF7 => u,
        0x0430..=0x045F => u,
        _ => return None,
    };
    char::from_u32(l)
}

impl Features {
    /// All letters, of any script.
    pub fn letters(&self) -> u32 {
        self.arabic + self.latin + self.cyrillic + self.hebrew + self.other
    }

    /// One pass over `text`: letters per script, distinctive letters, function words.
    pub fn of(text: &str, cues: &LangCues) -> Features {
        let mut f = Features::default();
        let mut word = Word::default();
        let max = cues.max_word_len();
        let bytes = text.as_bytes();
        let mut i = 0usize;
        while let Some(&x) = bytes.get(i) {
            if x.is_ascii() {
                if x.is_ascii_alphabetic() {
                    f.latin += 1;
                    word.push_byte(x.to_ascii_lowercase());
                } else {
                    f.flush_word(&mut word, cues);
                }
                i += 1;
                continue;
            }
            if (0xD8..=0xDB).contains(&x) {
                // U+0600..U+06FF, two bytes: classified by table (same answers as below).
                let y = bytes.get(i + 1).copied().unwrap_or(0);
                let u = (usize::from(x & 0x1F) << 6) | usize::from(y & 0x3F);
                let class = ARABIC_BLOCK.get(u - 0x600).copied().unwrap_or(A_NONE);
                i += 2;
                match class {
                    A_SKIP => {}
                    A_NONE => f.flush_word(&mut word, cues),
                    _ => {
                        f.arabic += 1;
                        f.ar_only += u32::from(class == A_AR_ONLY);
                        f.fa_ur += u32::from(class == A_FA_UR);
                        f.ur_only += u32::from(class == A_UR_ONLY);
                        if word.len <= max {
                            word.push_pair(x, y);
                        }
                    }
                }
                continue;
            }
            let Some(c) = text.get(i..).and_then(|r| r.chars().next()) else {
                break;
            };
            i += c.len_utf8();
            if is_mark(c) || c == '\u{200C}' || c == '\u{0640}' {
                continue; // harakat, ZWNJ and tatweel stay inside the word
            }
            let Some(script) = letter_script(c) else {
                f.flush_word(&mut word, cues);
                continue;
            };
            match script {
                Script::Arabic => {
                    f.arabic += 1;
                    match c {
                        'ي' | 'ك' | 'ة' | 'ى' => f.ar_only += 1,
                        'پ' | 'چ' | 'ژ' | 'گ' | 'ک' | 'ی' => f.fa_ur += 1,
                        'ٹ' | 'ڈ' | 'ڑ' | 'ں' | 'ے' | 'ۓ' | 'ہ' | 'ھ' => f.ur_only += 1,
                        _ => {}
                    }
                    if word.len <= max {
                        word.push(c);
                    }
                }
                Script::Latin => {
                    f.latin += 1;
                    match c {
                        'ı' | 'ğ' | 'ş' | 'İ' | 'Ğ' | 'Ş' => f.tr_chars += 2,
                        'ö' | 'ü' | 'Ö' | 'Ü' => f.tr_chars += 1,
                        'ç' | 'Ç' => {
                            f.tr_chars += 1;
                            f.fr_chars += 1;
                        }
                        'ñ' | 'á' | 'í' | 'ó' | 'ú' | 'Ñ' | 'Á' | 'Í' | 'Ó' | 'Ú' => {
                            f.es_chars += 1
                        }
                        'é' | 'É' => {
                            f.es_chars += 1;
                            f.fr_chars += 1;
                        }
                        'è' | 'ê' | 'à' | 'â' | 'ù' | 'û' | 'ë' | 'ï' | 'î' | 'ô' | 'œ' | 'È'
                        | 'Ê' | 'À' | 'Â' | 'Œ' => f.fr_chars += 1,
                        _ => {}
                    }
                    word.push_lower(c);
                }
                Script::Cyrillic => {
                    f.cyrillic += 1;
                    match c {
                        'ә' | 'ғ' | 'қ' | 'ң' | 'ө' | 'ұ' | 'ү' | 'һ' | 'Ә' | 'Ғ' | 'Қ' | 'Ң'
                        | 'Ө' | 'Ұ' | 'Ү' | 'Һ' => f.kk_only += 1,
                        'ї' | 'є' | 'ґ' | 'Ї' | 'Є' | 'Ґ' => f.uk_only += 1,
                        'і' | 'І' => f.cyr_i += 1,
                        'ы' | 'э' | 'ъ' | 'ё' | 'Ы' | 'Э' | 'Ъ' | 'Ё' => f.ru_only += 1,
                        _ => {}
                    }
                    word.push_lower(c);
                }
                Script::Hebrew => {
                    f.hebrew += 1;
                    f.flush_word(&mut word, cues);
                }
                Script::Other => {
                    f.other += 1;
                    f.flush_word(&mut word, cues);
                }
            }
        }
        f.flush_word(&mut word, cues);
        f
    }

    #[inline(always)]
    fn flush_word(&mut self, word: &mut Word, cues: &LangCues) {
        if word.len != 0 {
            self.count_word(word, cues);
        }
    }

    fn count_word(&mut self, word: &mut Word, cues: &LangCues) {
        if word.len <= cues.max_word_len() {
            let mask = word.bytes().map_or(0, |w| cues.lookup_bytes(w));
            if mask != 0 {
                for (i, w) in self.words.iter_mut().enumerate() {
                    if mask & (1 << i) != 0 {
                        *w = w.saturating_add(1);
                    }
                }
            }
        }
        word.len = 0;
    }

    fn script(&self) -> Option<Script> {
        let counts = [
            (self.arabic, Script::Arabic),
            (self.latin, Script::Latin),
            (self.cyrillic, Script::Cyrillic),
            (self.hebrew, Script::Hebrew),
            (self.other, Script::Other),
        ];
        let (n, s) = counts.into_iter().max_by_key(|&(n, _)| n)?;
        (n > 0).then_some(s)
    }

    fn word(&self, i: usize) -> u32 {
        u32::from(self.words.get(i).copied().unwrap_or(0))
    }
}

/// The script of `c` when it is a letter; range checks first, so the common scripts never
/// reach the slow Unicode tables.
fn letter_script(c: char) -> Option<Script> {
    let u = c as u32;
    let s = match u {
        0x00C0..=0x024F if u != 0xD7 && u != 0xF7 => Script::Latin,
        0x0620..=0x064A | 0x066E..=0x06D3 | 0x06D5 | 0x06EE | 0x06EF | 0x06FA..=0x06FC | 0x06FF => {
            Script::Arabic
        }
        0x0750..=0x077F | 0x08A0..=0x08C9 | 0xFB50..=0xFDFB | 0xFE70..=0xFEFC => Script::Arabic,
        0x0400..=0x0481 | 0x048A..=0x052F => Script::Cyrillic,
        0x05D0..=0x05EA | 0x05EF..=0x05F2 | 0xFB1D..=0xFB4F => Script::Hebrew,
        0x0600..=0x06FF | 0x0590..=0x05FF | 0x0080..=0x00BF | 0x2000..=0x206F => return None,
        _ if c.is_alphabetic() => script_of(c),
        _ => return None,
    };
    Some(s)
}

fn script_of(c: char) -> Script {
    match c as u32 {
        0x0041..=0x024F | 0x1E00..=0x1EFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF | 0xFF21..=0xFF5A => {
            Script::Latin
        }
        0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
            Script::Arabic
        }
        0x0400..=0x052F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => Script::Cyrillic,
        0x0590..=0x05FF | 0xFB1D..=0xFB4F => Script::Hebrew,
        _ => Script::Other,
    }
}

/// Decides languages from [`Features`], calling lingua only when the cheap evidence for
/// Latin-script text is ambiguous. Send + Sync; build once.
pub(crate) struct Identifier {
    lingua: LanguageDetector,
}

impl Identifier {
    pub fn new() -> Identifier {
        Identifier {
            lingua: LanguageDetectorBuilder::from_languages(&[
                Language::English,
                Language::French,
                Language::Spanish,
                Language::Turkish,
            ])
            .build(),
        }
    }

    /// The language of masked `text` whose features are `f`. `prior` is the language of the
    /// enclosing paragraph; it settles ambiguous evidence within its own script.
    pub fn decide(&self, f: &Features, text: &str, prior: Option<Lang>) -> Lang {
        match f.script() {
            None | Some(Script::Other) => Lang::Und,
            Some(Script::Hebrew) => Lang::He,
            Some(Script::Arabic) => arabic_variant(f)
                .or_else(|| prior.filter(|p| matches!(p, Lang::Ar | Lang::Fa | Lang::Ur)))
                .unwrap_or(Lang::Ar),
            Some(Script::Cyrillic) => cyrillic_variant(f)
                .or_else(|| prior.filter(|p| matches!(p, Lang::Ru | Lang::Uk | Lang::Kk)))
                .unwrap_or(Lang::Ru),
            Some(Script::Latin) => {
                if let Some(l) = latin_scored(f) {
                    return l;
                }
                if let Some(p) =
                    prior.filter(|p| matches!(p, Lang::En | Lang::Fr | Lang::Es | Lang::Tr))
                {
                    return p;
                }
                self.lingua_latin(text).unwrap_or(Lang::En)
            }
        }
    }

    fn lingua_latin(&self, text: &str) -> Option<Lang> {
        let mut letters = 0usize;
        let mut cut = text.len();
        for (i, c) in text.char_indices() {
            if c.is_alphabetic() {
                letters += 1;
                if letters > LINGUA_LETTERS {
                    cut = i;
                    break;
                }
            }
        }
        let piece = text.get(..cut).unwrap_or(text);
        match self.lingua.detect_language_of(piece)? {
            Language::English => Some(Lang::En),
            Language::French => Some(Lang::Fr),
            Language::Spanish => Some(Lang::Es),
            Language::Turkish => Some(Lang::Tr),
            _ => None,
        }
    }
}

/// Arabic vs Persian vs Urdu from distinctive letters and function words.
fn arabic_variant(f: &Features) -> Option<Lang> {
    let ar = f.ar_only + 2 * f.word(AR);
    let fa = f.fa_ur + 2 * f.word(FA);
    if f.ur_only > 0 && 4 * f.ur_only > ar && f.ur_only + f.fa_ur > ar {
        return Some(Lang::Ur);
    }
    if fa > ar {
        return Some(Lang::Fa);
    }
    (ar > 0).then_some(Lang::Ar)
}

/// Russian vs Ukrainian vs Kazakh from distinctive letters and function words.
fn cyrillic_variant(f: &Features) -> Option<Lang> {
    let kk_letters_share = 50 * f.kk_only >= f.cyrillic;
    if f.kk_only > 0 && (kk_letters_share || f.word(KK) > f.word(RU)) {
        return Some(Lang::Kk);
    }
    let uk = 2 * f.uk_only + f.cyr_i + 2 * f.word(UK);
    let ru = 2 * f.ru_only + 2 * f.word(RU);
    if uk > ru {
        Some(Lang::Uk)
    } else if ru > 0 {
        Some(Lang::Ru)
    } else {
        None
    }
}

/// en/fr/es/tr when function words and letters agree clearly; `None` when unsure.
fn latin_scored(f: &Features) -> Option<Lang> {
    let scores = [
        (2 * f.word(EN), Lang::En),
        (2 * f.word(FR) + f.fr_chars, Lang::Fr),
        (2 * f.word(ES) + f.es_chars, Lang::Es),
        (2 * f.word(TR) + f.tr_chars, Lang::Tr),
    ];
    let mut best = (0, Lang::Und);
    let mut second = 0;
    for (s, l) in scores {
        if s > best.0 {
            second = best.0;
            best = (s, l);
        } else if s > second {
            second = s;
        }
    }
    (best.0 >= 4 && best.0 >= 2 * second).then_some(best.1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::LangCues;

    fn lang(text: &str) -> Lang {
        let cues = LangCues::default_cues();
        let id = Identifier::new();
        let links = crate::links::find_links(text);
        let masked = crate::links::mask(text, &links);
        id.decide(&Features::of(&masked, &cues), &masked, None)
    }

    /// The class the generic path of `Features::of` gives `c`.
    fn generic_class(c: char) -> u8 {
        if is_mark(c) || c == '\u{200C}' || c == '\u{0640}' {
            return A_SKIP;
        }
        match letter_script(c) {
            Some(Script::Arabic) => match c {
                'ي' | 'ك' | 'ة' | 'ى' => A_AR_ONLY,
                'پ' | 'چ' | 'ژ' | 'گ' | 'ک' | 'ی' => A_FA_UR,
                'ٹ' | 'ڈ' | 'ڑ' | 'ں' | 'ے' | 'ۓ' | 'ہ' | 'ھ' => A_UR_ONLY,
                _ => A_LETTER,
            },
            None => A_NONE,
            Some(s) => panic!("{c:?} is {s:?}"),
        }
    }

    #[test]
    fn arabic_table_matches_generic_path() {
        for u in 0x600..=0x6FFu32 {
            let c = char::from_u32(u).unwrap();
            assert_eq!(
                ARABIC_BLOCK[(u - 0x600) as usize],
                generic_class(c),
                "U+{u:04X}"
            );
        }
    }

    #[test]
    fn fast_lower_matches_unicode() {
        for u in 0..=0x0600u32 {
            let Some(c) = char::from_u32(u) else { continue };
            if let Some(l) = fast_lower(c) {
                assert_eq!(c.to_lowercase().collect::<Vec<_>>(), vec![l], "U+{u:04X}");
            }
        }
    }

    #[test]
    fn long_words_never_match_cues() {
        let cues = LangCues::default_cues();
        let long = "the".repeat(40);
        assert_eq!(Features::of(&long, &cues).words, [0; 9]);
        let long_ar = "أن".repeat(40);
        assert_eq!(Features::of(&long_ar, &cues).words, [0; 9]);
        assert_eq!(Features::of("THE Government", &cues).word(EN), 2);
    }

    #[test]
    fn script_and_letters() {
        let cues = LangCues::default_cues();
        let f = Features::of("Qال 12 قَالَ", &cues);
        assert_eq!((f.latin, f.arabic), (1, 5));
        assert_eq!(Features::of("123 ,.!", &cues).letters(), 0);
    }

    #[test]
    fn features_add_up() {
        let cues = LangCues::default_cues();
        let mut a = Features::of("the cat ", &cues);
        a += Features::of("و في البيت", &cues);
        assert_eq!(a, Features::of("the cat و في البيت", &cues));
    }

    #[test]
    fn decides_scripts() {
        assert_eq!(lang("שלום עולם"), Lang::He);
        assert_eq!(lang("12 345 https://t.co/x"), Lang::Und);
        assert_eq!(lang("東京で地震"), Lang::Und);
    }

    #[test]
    fn arabic_persian_urdu() {
        assert_eq!(lang("وصل الوزير إلى العاصمة مساء الخميس"), Lang::Ar);
        assert_eq!(lang("وزیر خارجه امروز به تهران رسید"), Lang::Fa);
        assert_eq!(lang("وزیر اعظم نے آج پریس کانفرنس سے خطاب کیا"), Lang::Ur);
    }
}
