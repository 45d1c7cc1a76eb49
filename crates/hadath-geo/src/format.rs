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
    pub why: Option<String>,
}

/// Bit set on a posting when the key came from a secondary (alternate) name.
pub const ALT_FLAG: u32 = 1 << 31;

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
