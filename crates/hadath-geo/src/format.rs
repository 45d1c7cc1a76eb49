// Shared by build.rs (through `include!`) and the library: the row format of
// `data/places.tsv`, the curated `data/aliases.toml`, and how a name becomes an index key.
// Keep it free of `crate::` paths so that both can compile it.

/// One line of `data/places.tsv`, borrowed from the embedded text.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    pub id: u32,
    pub kind: &'a str,
    pub country: &'a str,
    pub admin1: &'a str,
    pub lat: f64,
    pub lon: f64,
    pub population: u64,
    pub name: &'a str,
    pub name_ar: &'a str,
    /// Other names, `|`-separated.
    pub alts: &'a str,
}

/// Parses one TSV line; `None` for a malformed line.
pub fn parse_row(line: &str) -> Option<Row<'_>> {
    let mut f = line.split('\t');
    let row = Row {
        id: f.next()?.parse().ok()?,
        kind: f.next()?,
        country: f.next()?,
        admin1: f.next()?,
        lat: f.next()?.parse().ok()?,
        lon: f.next()?.parse().ok()?,
        population: f.next()?.parse().ok()?,
        name: f.next()?,
        name_ar: f.next()?,
        alts: f.next().unwrap_or(""),
    };
    Some(row)
}

/// `data/aliases.toml`: curated names and places the GeoNames-derived table lacks.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AliasFile {
    #[serde(default)]
    pub alias: Vec<AliasEntry>,
    #[serde(default)]
    pub region: Vec<RegionEntry>,
}

/// More names for a place of `places.tsv`, named by `id` (geonameid) or `country` (ISO2).
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AliasEntry {
    pub id: Option<u32>,
    pub country: Option<String>,
    pub names: Vec<String>,
    /// Replaces the Arabic display name.
    pub name_ar: Option<String>,
    /// Replaces the coordinate (when the source's point is far from the conventional one).
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub why: Option<String>,
}

/// A region, sea or union: a place with a conventional point but no GeoNames city/admin row.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionEntry {
    pub id: u32,
    pub name: String,
    pub name_ar: Option<String>,
    pub lat: f64,
    pub lon: f64,
    #[serde(default)]
    pub names: Vec<String>,
    /// A state that no longer exists: found in text, never an event's location.
    #[serde(default)]
    pub former: bool,
    pub why: Option<String>,
}

/// Bit set on a posting when the key came from a secondary (alternate) name.
pub const ALT_FLAG: u32 = 1 << 31;

/// Bit set on a posting whose name is also a frequent Arabic word (see [`common_policy`]): the
/// geoparser takes it only with a locative cue ("في", "مدينة", the ب proclitic), a container, or
/// a cue and the story's country.
pub const COMMON_FLAG: u32 = 1 << 30;

/// The place index part of a posting.
pub const IDX_MASK: u32 = !(ALT_FLAG | COMMON_FLAG);

/// Names whose `data/ar_common.tsv` Zipf frequency is at least this are frequent words
/// (Zipf 4 ≈ one occurrence in 100 000 words: about the 11 000 most frequent Arabic words).
pub const COMMON_MIN_ZIPF: f32 = 4.0;

/// Arab League members: in their news a big city's name is frequent because the city is
/// talked about, so a lower population makes such a name "big" there.
pub const ARAB_LEAGUE: &[&str] = &[
    "AE", "BH", "DJ", "DZ", "EG", "IQ", "JO", "KM", "KW", "LB", "LY", "MA", "MR", "OM", "PS", "QA",
    "SA", "SD", "SO", "SY", "TN", "YE",
];

/// A city at least this populous keeps its primary Arabic name even when it is a frequent
/// word (Gaza, Homs); below it the name needs support ("سالم", "الخبر" news, "صور" pictures).
pub const BIG_CITY_ARAB_LEAGUE: u64 = 300_000;
/// The same elsewhere (Paris, Kyiv keep theirs; Bonn "بن" son of, Van "وأن" and that, do not).
pub const BIG_CITY: u64 = 1_000_000;

/// What to do with one indexed name of a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameUse {
    /// Index it as usual.
    Keep,
    /// Index it with [`COMMON_FLAG`].
    Flag,
    /// Leave it out of the index.
    Drop,
}

/// The policy for Arabic-script one-word names that are frequent Arabic words (`zipf` from
/// `data/ar_common.tsv`, `None` when not listed). Countries and continents keep every name;
/// an alternate name is dropped; a primary name (or the primary with/without ال) is kept
/// when the place is big (a city over [`BIG_CITY`] / [`BIG_CITY_ARAB_LEAGUE`], or an admin1
/// named after such a city: `admin1_of_big_city`) and flagged otherwise.
pub fn common_policy(
    zipf: Option<f32>,
    kind: &str,
    country: &str,
    population: u64,
    primary: bool,
    admin1_of_big_city: bool,
) -> NameUse {
    if zipf.is_none_or(|z| z < COMMON_MIN_ZIPF) || kind == "country" || kind == "continent" {
        return NameUse::Keep;
    }
    if !primary {
        return NameUse::Drop;
    }
    let big = match kind {
        "city" => population >= big_city_threshold(country),
        "admin1" => admin1_of_big_city,
        _ => false,
    };
    if big {
        NameUse::Keep
    } else {
        NameUse::Flag
    }
}

/// [`BIG_CITY_ARAB_LEAGUE`] or [`BIG_CITY`] for a country.
pub fn big_city_threshold(country: &str) -> u64 {
    if ARAB_LEAGUE.contains(&country) {
        BIG_CITY_ARAB_LEAGUE
    } else {
        BIG_CITY
    }
}

/// True when two name keys are the same word with and without the article ال.
pub fn same_but_article(a: &str, b: &str) -> bool {
    a == b || a.strip_prefix("ال") == Some(b) || b.strip_prefix("ال") == Some(a)
}

/// True when the key is one Arabic-script word.
pub fn is_arabic_word(key: &str) -> bool {
    !key.is_empty() && key.chars().all(|c| ('\u{0621}'..='\u{064A}').contains(&c))
}

/// Parses `data/ar_common.tsv` (`key<TAB>zipf` lines) into (name key, Zipf) pairs; `None`
/// for a malformed line.
pub fn parse_common(text: &str) -> Option<Vec<(String, f32)>> {
    text.lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (k, z) = l.split_once('\t')?;
            Some((name_key(k), z.parse().ok()?))
        })
        .collect()
}

/// A fast, deterministic 64-bit hash of a byte string (FxHash-style, 8 bytes a step).
pub fn key_hash(b: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h: u64 = b.len() as u64;
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }
    // Murmur3's finaliser: every input bit reaches the low bits that index a table.
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// The index key of a name: its match key (see `hadath_normalize`) cut into letter/digit
/// runs joined by one space, so "Saxony-Anhalt", "U.S." and "Côte d’Ivoire" become
/// "saxony anhalt", "u s" and "cote d ivoire". Empty when nothing is left.
pub fn name_key(name: &str) -> String {
    let k = hadath_normalize::key(name);
    let mut out = String::with_capacity(k.len());
    for tok in k.split(|c: char| !c.is_alphanumeric()) {
        if tok.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(tok);
    }
    out
}

/// Keys that are too short or purely numeric never go into the index.
pub fn key_is_indexable(key: &str) -> bool {
    key.chars().count() >= 2 && !key.chars().all(|c| c.is_ascii_digit() || c == ' ')
}

/// Slot value of the name hash table: key index + 1 in the low 20 bits; in the next 4, how
/// many whole tokens of that key the entry stands for (0: the whole key); in the high 8, the
/// top byte of the entry's [`key_hash`], so that most probes need no string comparison.
pub fn slot_value(key_index: usize, tokens: usize, hash: u64) -> u32 {
    (key_index as u32 + 1) | ((tokens as u32) << 20) | (slot_tag(hash) << 24)
}

/// The part of a hash kept in a slot.
pub fn slot_tag(hash: u64) -> u32 {
    (hash >> 56) as u32
}

/// Most keys the slot layout can address.
pub const MAX_TABLE_KEYS: usize = (1 << 20) - 2;

/// The key index of a non-empty slot, and the string it stands for.
pub fn slot_entry<'a>(slot: u32, key: impl Fn(usize) -> &'a [u8]) -> (usize, &'a [u8]) {
    let ki = ((slot & 0x000f_ffff) as usize).saturating_sub(1);
    let k = key(ki);
    let tokens = ((slot >> 20) & 0xf) as usize;
    if tokens == 0 {
        return (ki, k);
    }
    let end = k
        .iter()
        .enumerate()
        .filter(|(_, &b)| b == b' ')
        .nth(tokens - 1)
        .map_or(k.len(), |(p, _)| p);
    (ki, k.get(..end).unwrap_or(k))
}

/// Builds the open-addressing table (linear probing on [`key_hash`], 0 = empty) over every
/// key and every run of its first whole tokens, up to 15 ("abu" for "abu dhabi"), so that the
/// geoparser can both find a key and know whether a longer one may follow. Keys first, so a
/// string that is both a key and a prefix of another is found as the key.
pub fn build_table<'a>(n: usize, key: impl Fn(usize) -> &'a [u8]) -> Vec<u32> {
    assert!(
        n <= MAX_TABLE_KEYS,
        "{n} name keys: the hash table slots address fewer"
    );
    let spaces: usize = (0..n)
        .map(|i| key(i).iter().filter(|&&b| b == b' ').count())
        .sum();
    let size = ((n + spaces) * 2).max(16).next_power_of_two();
    let mask = size - 1;
    let mut table = vec![0u32; size];
    let insert = |s: &[u8], i: usize, tokens: usize, table: &mut Vec<u32>| {
        let h = key_hash(s);
        let mut at = h as usize & mask;
        loop {
            let e = table[at];
            if e == 0 {
                table[at] = slot_value(i, tokens, h);
                return;
            }
            if slot_tag(h) == e >> 24 && slot_entry(e, &key).1 == s {
                return;
            }
            at = (at + 1) & mask;
        }
    };
    for i in 0..n {
        insert(key(i), i, 0, &mut table);
    }
    for i in 0..n {
        let k = key(i);
        let mut tokens = 0;
        for (p, &b) in k.iter().enumerate() {
            if b == b' ' && tokens < 15 {
                tokens += 1;
                insert(&k[..p], i, tokens, &mut table);
            }
        }
    }
    table
}
