//! Builds the name index of the embedded gazetteer at compile time, so that loading it at
//! run time costs no normalisation or sorting: `OUT_DIR/names.idx`.
//!
//! Layout (little-endian u32 throughout):
//! `n`, then `n + 1` key offsets into the key bytes, then `n + 1` offsets into the postings,
//! then the length of the key bytes and the key bytes (sorted, `\n`-free), then the postings
//! (place index, with `ALT_FLAG` set for alternate names and `COMMON_FLAG` for names that are
//! frequent Arabic words; see `common_policy` in src/format.rs and data/ar_common.tsv), then the
//! size of the name hash table (a power of two) and its slots (see `build_table`).

use std::collections::{HashMap, HashSet};
use std::io::Write;

include!("src/format.rs");

fn main() {
    println!("cargo:rerun-if-changed=data/places.tsv");
    println!("cargo:rerun-if-changed=data/aliases.toml");
    println!("cargo:rerun-if-changed=data/ar_common.tsv");
    println!("cargo:rerun-if-changed=src/format.rs");
    let tsv = std::fs::read_to_string("data/places.tsv")
        .unwrap_or_else(|e| panic!("data/places.tsv: {e}; run scripts/build-gazetteer.py"));
    let aliases: AliasFile = toml::from_str(
        &std::fs::read_to_string("data/aliases.toml")
            .unwrap_or_else(|e| panic!("data/aliases.toml: {e}")),
    )
    .unwrap_or_else(|e| panic!("data/aliases.toml: {e}"));
    let common: HashMap<String, f32> = parse_common(
        &std::fs::read_to_string("data/ar_common.tsv")
            .unwrap_or_else(|e| panic!("data/ar_common.tsv: {e}; run scripts/build-gazetteer.py")),
    )
    .unwrap_or_else(|| panic!("data/ar_common.tsv: malformed line; run scripts/build-gazetteer.py"))
    .into_iter()
    .collect();
    let parsed: Vec<Row> = tsv
        .lines()
        .enumerate()
        .map(|(i, line)| {
            parse_row(line).unwrap_or_else(|| panic!("data/places.tsv:{}: malformed line", i + 1))
        })
        .collect();
    // Frequent-word primary names of big cities, by country: an admin1 of the same name
    // (Aleppo governorate, Dubai emirate) keeps it too.
    let mut big_city_names: HashSet<(String, String)> = HashSet::new();
    for r in parsed.iter().filter(|r| r.kind == "city") {
        let k = name_key(r.name_ar);
        if common.contains_key(&k) && r.population >= big_city_threshold(r.country) {
            let bare = k.strip_prefix("ال").unwrap_or(&k).to_string();
            big_city_names.insert((r.country.to_string(), bare));
        }
    }

    let mut pairs: Vec<(String, u32)> = Vec::with_capacity(600_000);
    let push = |pairs: &mut Vec<(String, u32)>, name: &str, posting: u32| {
        let k = name_key(name);
        if key_is_indexable(&k) {
            pairs.push((k, posting));
        }
    };
    let mut by_id = HashMap::new();
    let mut by_country = HashMap::new();
    let mut n = 0u32;
    let mut rows: Vec<(u32, u32)> = Vec::new();
    let mut off = 0usize;
    for (i, (line, row)) in tsv.lines().zip(&parsed).enumerate() {
        let line_off = off;
        off += line.len() + 1;
        let idx = i as u32;
        rows.push((row.id, line_off as u32));
        by_id.insert(row.id, idx);
        if row.kind == "country" {
            by_country.insert(row.country.to_string(), idx);
        }
        let primary_key = name_key(row.name_ar);
        let names = std::iter::once((row.name, true))
            .chain(std::iter::once((row.name_ar, true)).filter(|(n, _)| !n.is_empty()))
            .chain(
                row.alts
                    .split('|')
                    .filter(|a| !a.is_empty())
                    .map(|a| (a, false)),
            );
        for (name, is_primary_field) in names {
            let k = name_key(name);
            let posting = if is_primary_field {
                idx
            } else {
                idx | ALT_FLAG
            };
            if !is_arabic_word(&k) {
                push(&mut pairs, name, posting);
                continue;
            }
            let primary = !primary_key.is_empty() && same_but_article(&k, &primary_key);
            let bare = k.strip_prefix("ال").unwrap_or(&k);
            let admin1_of_big_city =
                big_city_names.contains(&(row.country.to_string(), bare.to_string()));
            match common_policy(
                common.get(&k).copied(),
                row.kind,
                row.country,
                row.population,
                primary,
                admin1_of_big_city,
            ) {
                NameUse::Keep => push(&mut pairs, name, posting),
                NameUse::Flag => push(&mut pairs, name, posting | COMMON_FLAG),
                NameUse::Drop => {}
            }
        }
        n = idx + 1;
    }
    for a in &aliases.alias {
        let idx = match (a.id, a.country.as_deref()) {
            (Some(id), _) => by_id.get(&id).copied(),
            (None, Some(cc)) => by_country.get(cc).copied(),
            _ => None,
        }
        .unwrap_or_else(|| {
            panic!(
                "data/aliases.toml: alias {:?} names no known place",
                a.names
            )
        });
        for name in &a.names {
            push(&mut pairs, name, idx);
        }
        if let Some(ar) = &a.name_ar {
            push(&mut pairs, ar, idx);
        }
    }
    for (i, r) in aliases.region.iter().enumerate() {
        let idx = n + i as u32;
        push(&mut pairs, &r.name, idx);
        if let Some(ar) = &r.name_ar {
            push(&mut pairs, ar, idx);
        }
        for name in &r.names {
            push(&mut pairs, name, idx);
        }
    }
    // A primary posting wins over the same place as an alternate.
    pairs.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then((a.1 & IDX_MASK).cmp(&(b.1 & IDX_MASK)))
            .then(a.1.cmp(&b.1))
    });
    // The first of a key's postings for one place has the fewest flags: keep it.
    pairs.dedup_by(|b, a| a.0 == b.0 && (a.1 & IDX_MASK) == (b.1 & IDX_MASK));

    let mut keys: Vec<u8> = Vec::new();
    let mut key_off: Vec<u32> = vec![0];
    let mut post_off: Vec<u32> = vec![0];
    let mut postings: Vec<u32> = Vec::with_capacity(pairs.len());
    let mut i = 0;
    while i < pairs.len() {
        let k = &pairs[i].0;
        let mut j = i;
        while j < pairs.len() && pairs[j].0 == *k {
            postings.push(pairs[j].1);
            j += 1;
        }
        keys.extend_from_slice(k.as_bytes());
        key_off.push(keys.len() as u32);
        post_off.push(postings.len() as u32);
        i = j;
    }
    let out = std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("names.idx");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&out).expect("create names.idx"));
    let nkeys = (key_off.len() - 1) as u32;
    let mut w = |v: u32| f.write_all(&v.to_le_bytes()).expect("write names.idx");
    w(nkeys);
    for v in &key_off {
        w(*v);
    }
    for v in &post_off {
        w(*v);
    }
    w(keys.len() as u32);
    f.write_all(&keys).expect("write names.idx");
    for v in &postings {
        f.write_all(&v.to_le_bytes()).expect("write names.idx");
    }
    // The hash table over keys and key prefixes: its size, then the slots.
    let key_at = |i: usize| &keys[key_off[i] as usize..key_off[i + 1] as usize];
    let table = build_table(nkeys as usize, key_at);
    f.write_all(&(table.len() as u32).to_le_bytes())
        .expect("write names.idx");
    for v in &table {
        f.write_all(&v.to_le_bytes()).expect("write names.idx");
    }
    drop(f);
    // rows.idx: n, then (geonameid, byte offset of the line in places.tsv) per row.
    let out = std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("rows.idx");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&out).expect("create rows.idx"));
    f.write_all(&(rows.len() as u32).to_le_bytes())
        .expect("write rows.idx");
    for (id, o) in &rows {
        f.write_all(&id.to_le_bytes()).expect("write rows.idx");
        f.write_all(&o.to_le_bytes()).expect("write rows.idx");
    }
}
