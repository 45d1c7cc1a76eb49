//! The gazetteer and the geoparser: finds place names in Arabic, English (and Russian) text
//! and resolves each to a GeoNames place with coordinates.
//!
//! Principal types:
//! - [`Gazetteer`]: the embedded place table (GeoNames cities ≥ 1000 inhabitants, countries,
//!   first-level admin areas, continents, curated regions; see `data/ATTRIBUTION.md`) with a
//!   name index built at compile time by `build.rs`. [`Gazetteer::embedded`] loads it once.
//! - [`Place`] / [`PlaceKind`]: one gazetteer entry.
//! - [`Geoparser`]: text in, [`PlaceMention`]s out.
//!
//! Data flow: `data/places.tsv` (made by `scripts/build-gazetteer.py` from pinned PyPI
//! packages) + `data/aliases.toml` (curated names) → `build.rs` normalises every name with
//! [`hadath_normalize`] into a sorted key table → at run time the text is normalised once,
//! cut into tokens, and runs of 1–8 tokens (after Arabic proclitics و ف ب ل ك and ال are
//! tried off the first one) are looked up in the table, longest first. Candidates are then
//! filtered (capitalisation, the word lists of `data/geoparse.toml`: months, person names,
//! organisations) and resolved by score: feature kind and population, the story's country
//! (the most mentioned one, or the caller's hint), containers ("Tyler, Texas"), and cue words
//! (in/near/في/بمدينة/سلطنة).
//!
//! ```
//! use hadath_geo::{Gazetteer, Geoparser, PlaceKind};
//! use hadath_model::{Lang, Span};
//! let text = "Protesters gathered in Almaty, Kazakhstan, on Wednesday.";
//! let gp = Geoparser::new(Gazetteer::embedded());
//! let found = gp.places(text, &[(Span::new(0, text.len()), Lang::En)], None);
//! assert_eq!(found[0].text, "Almaty");
//! assert_eq!(found[0].place.country, "KZ");
//! assert_eq!(found[1].place.kind, PlaceKind::Country);
//! ```

#[allow(dead_code)]
mod format;
mod parse;

pub use parse::{Geoparser, Lexicon, PlaceMention};

use format::{key_hash, parse_row, slot_entry, slot_tag, AliasFile, IDX_MASK};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// Errors from loading gazetteer data or word lists.
#[derive(Debug, thiserror::Error)]
pub enum GeoError {
    #[error("gazetteer data {what}: line {line} is malformed; rebuild it with scripts/build-gazetteer.py")]
    BadRow { what: &'static str, line: usize },
    #[error("{what}: {source}; fix the TOML (see the comments at the top of the shipped file)")]
    Toml {
        what: String,
        #[source]
        source: toml::de::Error,
    },
    #[error("{what}: {msg}")]
    Invalid { what: String, msg: String },
}

/// What sort of place an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PlaceKind {
    Country,
    Admin1,
    City,
    /// Continents, regions, seas and unions.
    Other,
    /// A state that no longer exists ("the Soviet Union", "Yugoslavia"): recognised so that
    /// history passages are read right, but never the place where a current event happens.
    Former,
}

impl PlaceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::Country => "country",
            PlaceKind::Admin1 => "admin1",
            PlaceKind::City => "city",
            PlaceKind::Other => "other",
            PlaceKind::Former => "former",
        }
    }
}

/// One gazetteer entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    /// GeoNames id; ids from 4 290 000 001 up are hadath-local curated regions.
    pub geonameid: u32,
    pub name: String,
    pub name_ar: Option<String>,
    pub lat: f64,
    pub lon: f64,
    /// ISO 3166-1 alpha-2 code; empty for continents and regions that span countries.
    pub country: String,
    /// GeoNames admin1 code ("02" for Almaty city, "TX" for Texas).
    pub admin1: Option<String>,
    pub kind: PlaceKind,
    pub population: u64,
}

const PLACES_TSV: &str = include_str!("../data/places.tsv");
const ALIASES_TOML: &str = include_str!("../data/aliases.toml");
static NAMES_IDX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/names.idx"));
static ROWS_IDX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/rows.idx"));

/// Curated replacements applied when a row is materialised.
#[derive(Debug, Clone, Default)]
struct Override {
    name_ar: Option<String>,
    point: Option<(f64, f64)>,
}

/// The place table and its name index.
///
/// Rows of the embedded table are parsed on first access (each in its own `OnceLock`), so
/// loading costs only the curated files and the index header: a few milliseconds.
#[derive(Debug)]
pub struct Gazetteer {
    /// (geonameid, byte offset of its line in `PLACES_TSV`), sorted by id.
    rows: Vec<(u32, u32)>,
    cells: Vec<OnceLock<Option<Box<Place>>>>,
    /// Curated regions, after the rows (indices `rows.len()..`).
    regions: Vec<Place>,
    overrides: std::collections::HashMap<usize, Override>,
    index: NameIndex,
    /// ISO2 → row index of the country.
    countries: std::collections::HashMap<String, usize>,
}

static EMBEDDED: OnceLock<Gazetteer> = OnceLock::new();

fn place_from_row(line: &str) -> Option<Place> {
    let r = parse_row(line)?;
    let kind = match r.kind {
        "country" => PlaceKind::Country,
        "admin1" => PlaceKind::Admin1,
        "city" => PlaceKind::City,
        _ => PlaceKind::Other,
    };
    Some(Place {
        geonameid: r.id,
        name: r.name.to_string(),
        name_ar: (!r.name_ar.is_empty()).then(|| r.name_ar.to_string()),
        lat: r.lat,
        lon: r.lon,
        country: r.country.to_string(),
        admin1: (!r.admin1.is_empty()).then(|| r.admin1.to_string()),
        kind,
        population: r.population,
    })
}

impl Gazetteer {
    /// The gazetteer compiled into the binary, loaded on first use.
    pub fn embedded() -> &'static Gazetteer {
        EMBEDDED.get_or_init(|| match Gazetteer::load_embedded() {
            Ok(g) => g,
            // The embedded data is checked by build.rs and by the tests; if it is ever
            // broken, an empty gazetteer finds nothing rather than taking the process down.
            Err(_) => Gazetteer {
                rows: Vec::new(),
                cells: Vec::new(),
                regions: Vec::new(),
                overrides: Default::default(),
                index: NameIndex::empty(),
                countries: Default::default(),
            },
        })
    }

    /// Reads the embedded data; errors say what is broken.
    pub fn load_embedded() -> Result<Gazetteer, GeoError> {
        let bad = |msg: &str| GeoError::Invalid {
            what: "rows.idx".into(),
            msg: format!("{msg}; rebuild the crate"),
        };
        let n = read_u32(ROWS_IDX, 0).ok_or_else(|| bad("truncated"))? as usize;
        let mut rows = Vec::with_capacity(n);
        for i in 0..n {
            let id = read_u32(ROWS_IDX, 4 + 8 * i).ok_or_else(|| bad("truncated"))?;
            let off = read_u32(ROWS_IDX, 8 + 8 * i).ok_or_else(|| bad("truncated"))?;
            if off as usize >= PLACES_TSV.len() {
                return Err(bad("offset past the table"));
            }
            rows.push((id, off));
        }
        let aliases: AliasFile = toml::from_str(ALIASES_TOML).map_err(|e| GeoError::Toml {
            what: "data/aliases.toml".into(),
            source: e,
        })?;
        let mut g = Gazetteer {
            cells: (0..rows.len()).map(|_| OnceLock::new()).collect(),
            rows,
            regions: Vec::new(),
            overrides: Default::default(),
            index: NameIndex::parse(NAMES_IDX).ok_or_else(|| bad("truncated name index"))?,
            countries: Default::default(),
        };
        // Country rows: the kind is the second field of the line.
        for (i, &(_, off)) in g.rows.iter().enumerate() {
            let head = PLACES_TSV
                .get(off as usize..PLACES_TSV.len().min(off as usize + 24))
                .unwrap_or("");
            let mut f = head.split('\t');
            if f.nth(1) == Some("country") {
                if let Some(cc) = f.next() {
                    g.countries.insert(cc.to_string(), i);
                }
            }
        }
        for a in &aliases.alias {
            let idx = match (a.id, a.country.as_deref()) {
                (Some(id), _) => g.index_of(id),
                (None, Some(cc)) => g.country_index(cc),
                _ => None,
            };
            let Some(idx) = idx else { continue };
            let o = g.overrides.entry(idx).or_default();
            if let Some(ar) = &a.name_ar {
                o.name_ar = Some(ar.clone());
            }
            if let (Some(lat), Some(lon)) = (a.lat, a.lon) {
                o.point = Some((lat, lon));
            }
        }
        for r in &aliases.region {
            g.regions.push(Place {
                geonameid: r.id,
                name: r.name.clone(),
                name_ar: r.name_ar.clone(),
                lat: r.lat,
                lon: r.lon,
                country: String::new(),
                admin1: None,
                kind: if r.former {
                    PlaceKind::Former
                } else {
                    PlaceKind::Other
                },
                population: 0,
            });
        }
        Ok(g)
    }

    fn line(&self, off: u32) -> &'static str {
        let rest = PLACES_TSV.get(off as usize..).unwrap_or("");
        rest.split('\n').next().unwrap_or("")
    }

    /// Number of places.
    pub fn len(&self) -> usize {
        self.rows.len() + self.regions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of distinct name keys in the index.
    pub fn name_count(&self) -> usize {
        self.index.n
    }

    fn index_of(&self, geonameid: u32) -> Option<usize> {
        let i = self.rows.partition_point(|r| r.0 < geonameid);
        if self.rows.get(i).is_some_and(|r| r.0 == geonameid) {
            return Some(i);
        }
        let j = self.regions.iter().position(|r| r.geonameid == geonameid)?;
        Some(self.rows.len() + j)
    }

    fn country_index(&self, iso2: &str) -> Option<usize> {
        self.countries.get(&iso2.to_ascii_uppercase()).copied()
    }

    fn at(&self, i: usize) -> Option<&Place> {
        if i >= self.rows.len() {
            return self.regions.get(i - self.rows.len());
        }
        let (_, off) = *self.rows.get(i)?;
        self.cells
            .get(i)?
            .get_or_init(|| {
                let mut p = place_from_row(self.line(off))?;
                if let Some(o) = self.overrides.get(&i) {
                    if let Some(ar) = &o.name_ar {
                        p.name_ar = Some(ar.clone());
                    }
                    if let Some((lat, lon)) = o.point {
                        p.lat = lat;
                        p.lon = lon;
                    }
                }
                Some(Box::new(p))
            })
            .as_deref()
    }

    /// The place with this GeoNames id.
    pub fn get(&self, geonameid: u32) -> Option<&Place> {
        self.at(self.index_of(geonameid)?)
    }

    /// The country with this ISO 3166-1 alpha-2 code.
    pub fn country(&self, iso2: &str) -> Option<&Place> {
        self.at(self.country_index(iso2)?)
    }

    /// All places called `name` (any script, any case), most populous first.
    pub fn lookup(&self, name: &str) -> Vec<&Place> {
        let key = format::name_key(name);
        let mut out: Vec<&Place> = match self.index.exact(key.as_bytes()) {
            Some(k) => self
                .index
                .postings(k)
                .filter_map(|p| self.at((p & IDX_MASK) as usize))
                .collect(),
            None => Vec::new(),
        };
        out.sort_by_key(|p| std::cmp::Reverse(p.population));
        out
    }

    pub(crate) fn place_at(&self, idx: u32) -> Option<&Place> {
        self.at((idx & IDX_MASK) as usize)
    }
}

/// The sorted key table written by build.rs, read in place, with a hash table over it.
#[derive(Debug)]
struct NameIndex {
    data: &'static [u8],
    n: usize,
    key_off: usize,
    post_off: usize,
    keys: usize,
    posts: usize,
    /// The hash table over keys and their whole-token prefixes ("abu", "abu dhabi"), built
    /// by build.rs (`format::build_table`): byte offset and slot count (a power of two).
    table: usize,
    slots: usize,
}

/// What [`NameIndex::find`] knows about a string of whole tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Found {
    /// It is the key with this index.
    Key(usize),
    /// Some longer key starts with it and a space.
    Prefix,
}

fn read_u32(data: &[u8], at: usize) -> Option<u32> {
    let b = data.get(at..at + 4)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

impl NameIndex {
    fn empty() -> NameIndex {
        NameIndex {
            data: &[],
            n: 0,
            key_off: 0,
            post_off: 0,
            keys: 0,
            posts: 0,
            table: 0,
            slots: 0,
        }
    }

    fn parse(data: &'static [u8]) -> Option<NameIndex> {
        let n = read_u32(data, 0)? as usize;
        let key_off = 4;
        let post_off = key_off + 4 * (n + 1);
        let klen_at = post_off + 4 * (n + 1);
        let klen = read_u32(data, klen_at)? as usize;
        let keys = klen_at + 4;
        let posts = keys + klen;
        // The last offsets must fit the data.
        let last_post = read_u32(data, post_off + 4 * n)? as usize;
        let table_at = posts + 4 * last_post;
        let slots = read_u32(data, table_at)? as usize;
        let table = table_at + 4;
        if table + 4 * slots > data.len() || !slots.is_power_of_two() {
            return None;
        }
        Some(NameIndex {
            data,
            n,
            key_off,
            post_off,
            keys,
            posts,
            table,
            slots,
        })
    }

    /// Looks up a string of whole tokens.
    fn find(&self, s: &[u8]) -> Option<Found> {
        if self.slots == 0 {
            return None;
        }
        let mask = self.slots - 1;
        let h = key_hash(s);
        let tag = slot_tag(h);
        let mut at = h as usize & mask;
        for _ in 0..self.slots {
            let e = read_u32(self.data, self.table + 4 * at)?;
            if e == 0 {
                return None;
            }
            if e >> 24 != tag {
                at = (at + 1) & mask;
                continue;
            }
            let (ki, entry) = slot_entry(e, |i| self.key(i));
            if entry == s {
                return Some(if entry.len() == self.key(ki).len() {
                    Found::Key(ki)
                } else {
                    Found::Prefix
                });
            }
            at = (at + 1) & mask;
        }
        None
    }

    fn key(&self, i: usize) -> &'static [u8] {
        let s = read_u32(self.data, self.key_off + 4 * i).unwrap_or(0) as usize;
        let e = read_u32(self.data, self.key_off + 4 * (i + 1)).unwrap_or(0) as usize;
        self.data.get(self.keys + s..self.keys + e).unwrap_or(&[])
    }

    fn postings(&self, i: usize) -> impl Iterator<Item = u32> + '_ {
        let s = read_u32(self.data, self.post_off + 4 * i).unwrap_or(0) as usize;
        let e = read_u32(self.data, self.post_off + 4 * (i + 1)).unwrap_or(0) as usize;
        (s..e.max(s)).filter_map(move |j| read_u32(self.data, self.posts + 4 * j))
    }

    fn exact(&self, k: &[u8]) -> Option<usize> {
        match self.find(k)? {
            Found::Key(i) => Some(i),
            Found::Prefix => None,
        }
    }

    /// True when `s` is a key or the first whole tokens of one.
    fn known(&self, s: &[u8]) -> bool {
        self.find(s).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use format::{common_policy, NameUse};

    #[test]
    fn common_word_policy_table() {
        // (zipf, kind, country, population, primary, admin1 named after a big city) → use
        let table = [
            (None, "city", "MA", 155_333, false, false, NameUse::Keep),
            (
                Some(3.0),
                "city",
                "MA",
                155_333,
                false,
                false,
                NameUse::Keep,
            ),
            // "سلطات" authorities: an alternate name of Settat.
            (
                Some(5.0),
                "city",
                "MA",
                155_333,
                false,
                false,
                NameUse::Drop,
            ),
            // "بن" son of: Bonn's primary name, a city under a million outside the Arab League.
            (Some(6.1), "city", "DE", 330_579, true, false, NameUse::Flag),
            (Some(5.1), "city", "PS", 410_000, true, false, NameUse::Keep),
            (Some(5.5), "city", "LB", 135_204, true, false, NameUse::Flag),
            (
                Some(5.0),
                "city",
                "FR",
                2_138_551,
                true,
                false,
                NameUse::Keep,
            ),
            // "الداخلية" interior: an admin1 not named after a city.
            (
                Some(5.3),
                "admin1",
                "OM",
                329_344,
                true,
                false,
                NameUse::Flag,
            ),
            (
                Some(4.9),
                "admin1",
                "SY",
                2_802_348,
                true,
                true,
                NameUse::Keep,
            ),
            (
                Some(5.8),
                "country",
                "EG",
                100_000_000,
                false,
                false,
                NameUse::Keep,
            ),
        ];
        for (z, kind, cc, pop, primary, a1, want) in table {
            assert_eq!(
                common_policy(z, kind, cc, pop, primary, a1),
                want,
                "{z:?} {kind} {cc} {pop} {primary} {a1}"
            );
        }
    }

    #[test]
    fn index_finds_keys_and_token_prefixes() {
        let g = Gazetteer::embedded();
        assert!(matches!(g.index.find(b"almaty"), Some(Found::Key(_))));
        assert!(matches!(g.index.find(b"abu dhabi"), Some(Found::Key(_))));
        assert!(
            g.index.find(b"abu").is_some(),
            "a key or the first token of one"
        );
        assert!(g.index.find(b"abu dh").is_none(), "prefixes end at a token");
        assert!(g.index.find(b"qqqqzzzz").is_none());
        assert!(g.index.find(b"").is_none());
    }

    #[test]
    fn frequent_word_names_are_flagged_or_gone() {
        let g = Gazetteer::embedded();
        let post = |k: &str| -> Vec<u32> {
            g.index
                .exact(format::name_key(k).as_bytes())
                .map(|i| g.index.postings(i).collect())
                .unwrap_or_default()
        };
        let settat = g.index_of(2537406).expect("Settat") as u32;
        assert!(!post("سلطات").iter().any(|p| p & IDX_MASK == settat));
        assert!(post("سطات").iter().any(|p| p & IDX_MASK == settat));
        let bonn = g.index_of(2946447).expect("Bonn") as u32;
        assert!(post("بن")
            .iter()
            .any(|p| p & IDX_MASK == bonn && p & format::COMMON_FLAG != 0));
    }
}
