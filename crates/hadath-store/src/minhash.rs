//! Near-duplicate detection: MinHash over word 3-shingles of the normalised text, with
//! locality-sensitive banding.
//!
//! Two copies of one story with light edits (a changed headline word, a dropped sentence, an
//! added byline) share most of their shingles; unrelated stories share almost none. A
//! [`Signature`] holds [`PERMS`] minimum hashes; the fraction of equal positions estimates the
//! Jaccard similarity of the shingle sets. Candidates are found through [`BANDS`] band keys of
//! [`ROWS`] minima each (a document pair with Jaccard 0.5 shares a band with probability 0.99,
//! one with Jaccard 0.1 with probability 0.15), then kept when the estimate reaches
//! [`MIN_JACCARD`].
//!
//! The shingle hash is FNV-1a plus a SplitMix64 finaliser, written out here because the values
//! are persisted: they must never change with a dependency's version.

/// Number of hash functions.
pub const PERMS: usize = 32;
/// Rows per band and bands (`ROWS * BANDS == PERMS`).
pub const ROWS: usize = 2;
pub const BANDS: usize = PERMS / ROWS;
/// Estimated Jaccard similarity from which two documents are one cluster.
pub const MIN_JACCARD: f64 = 0.5;
/// Fewer shingles than this make a signature too noisy to cluster on (short posts are
/// matched by their exact content hash only).
pub const MIN_SHINGLES: usize = 8;

#[inline(always)]
fn mix(mut h: u64) -> u64 {
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

fn fnv1a(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            h ^= 0x20;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        for b in p.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    mix(h)
}

/// Hash function `i` of the signature is `mix(h ^ SEEDS[i])` of a shingle's hash `h`.
const SEEDS: [u64; PERMS] = {
    let mut seeds = [0u64; PERMS];
    let mut i = 0;
    while i < PERMS {
        seeds[i] = (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        i += 1;
    }
    seeds
};

/// Lowers each minimum to the value of its hash function for one shingle.
#[inline(always)]
fn feed_one(mins: &mut [u32; PERMS], h: u64) {
    for (m, seed) in mins.iter_mut().zip(SEEDS) {
        *m = (*m).min(mix(h ^ seed) as u32);
    }
}

/// Lowers the minima for every shingle hash. The [`PERMS`] hash functions of one shingle are
/// independent 64-bit multiplications: where the CPU multiplies eight of them in one
/// instruction (AVX-512DQ), the same loop is compiled for it, which is several times faster and
/// gives the same values (`simd_and_scalar_agree`).
fn feed(mins: &mut [u32; PERMS], hashes: &[u64]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx512dq") {
        // SAFETY: the CPU has the features `feed_avx512` is compiled for (checked just now).
        unsafe { feed_avx512(mins, hashes) };
        return;
    }
    feed_scalar(mins, hashes);
}

fn feed_scalar(mins: &mut [u32; PERMS], hashes: &[u64]) {
    for &h in hashes {
        feed_one(mins, h);
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq")]
fn feed_avx512(mins: &mut [u32; PERMS], hashes: &[u64]) {
    for &h in hashes {
        feed_one(mins, h);
    }
}

/// Appends the lower-case hex digits of `bytes` (two per byte, most significant first).
pub(crate) fn push_hex(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
}

/// The MinHash signature of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub mins: [u32; PERMS],
    /// Number of shingles it was built from.
    pub shingles: usize,
}

impl Signature {
    pub fn of(text: &str) -> Signature {
        Signature::of_normalized(&hadath_normalize::normalize(text).key)
    }

    /// The signature of a text already normalised ([`hadath_normalize::normalize`]'s key).
    pub fn of_normalized(key: &str) -> Signature {
        let words: Vec<&str> = key
            .split(|c: char| !crate::search::is_word_char(c))
            .filter(|w| !w.is_empty())
            .collect();
        let hashes: Vec<u64> = if words.len() < 3 {
            if words.is_empty() {
                Vec::new()
            } else {
                vec![fnv1a(&words)]
            }
        } else {
            words.windows(3).map(fnv1a).collect()
        };
        let mut mins = [u32::MAX; PERMS];
        feed(&mut mins, &hashes);
        let shingles = hashes.len();
        Signature { mins, shingles }
    }

    /// Estimated Jaccard similarity.
    pub fn similarity(&self, other: &Signature) -> f64 {
        let same = self
            .mins
            .iter()
            .zip(other.mins.iter())
            .filter(|(a, b)| a == b)
            .count();
        same as f64 / PERMS as f64
    }

    /// Band keys, as stored in `document_bands.band_key`: band index in the top bits.
    pub fn bands(&self) -> [i64; BANDS] {
        let mut out = [0i64; BANDS];
        for (b, key) in out.iter_mut().enumerate() {
            let mut h = b as u64;
            for r in 0..ROWS {
                h =
                    mix(h ^ u64::from(self.mins[b * ROWS + r])
                        .wrapping_add(r as u64 * 0x1_0000_0000));
            }
            *key = ((b as i64) << 56) | (h >> 8) as i64;
        }
        out
    }

    /// Hex text for storage.
    pub fn to_hex(&self) -> String {
        let mut out = String::with_capacity(PERMS * 8);
        for m in self.mins {
            push_hex(&mut out, &m.to_be_bytes());
        }
        out
    }

    pub fn from_hex(s: &str, shingles: usize) -> Option<Signature> {
        if s.len() != PERMS * 8 || !s.is_ascii() {
            return None;
        }
        let mut mins = [0u32; PERMS];
        for (i, m) in mins.iter_mut().enumerate() {
            *m = u32::from_str_radix(s.get(i * 8..i * 8 + 8)?, 16).ok()?;
        }
        Some(Signature { mins, shingles })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "Hundreds of teachers marched through the centre of the capital on Monday \
        to demand higher wages and smaller classes, blocking traffic near the ministry of \
        education for several hours before police asked them to disperse. Union leaders said \
        further strikes would follow next week if the government did not open talks.";

    #[test]
    fn light_edits_stay_close_and_other_stories_are_far() {
        let a = Signature::of(STORY);
        assert!(a.shingles >= MIN_SHINGLES);
        let edited = STORY
            .replace("Hundreds of", "Several hundred")
            .replace("next week", "soon");
        let b = Signature::of(&edited);
        assert!(a.similarity(&b) >= MIN_JACCARD, "{}", a.similarity(&b));
        assert!(a.bands().iter().any(|k| b.bands().contains(k)));
        let other = "Farmers in the north harvested a record wheat crop this year, the \
            agriculture ministry said, as rains arrived early and prices for fertiliser fell \
            across the region for the first time since the drought began.";
        let c = Signature::of(other);
        assert!(a.similarity(&c) < 0.2, "{}", a.similarity(&c));
    }

    #[test]
    fn arabic_copies_match_across_diacritics_and_hamza() {
        let a = "خرج مئات المتظاهرين إلى شوارع المدينة يوم الأحد احتجاجا على ارتفاع أسعار الوقود \
                 وطالبوا الحكومة بالاستقالة الفورية وإطلاق سراح المعتقلين";
        let b = "خرج مئات المتظاهرين الى شوارع المدينة يوم الاحد احتجاجاً على ارتفاع اسعار الوقود \
                 وطالبوا الحكومة بالاستقالة الفورية وإطلاق سراح المعتقلين";
        assert_eq!(Signature::of(a), Signature::of(b));
    }

    #[test]
    fn hex_round_trips() {
        let s = Signature::of(STORY);
        assert_eq!(Signature::from_hex(&s.to_hex(), s.shingles), Some(s));
        assert_eq!(Signature::from_hex("zz", 1), None);
    }

    /// Signatures are stored: their values must never change (the band keys of every stored
    /// document are made from them). Pinned from the implementation of schema 1.
    #[test]
    fn signatures_keep_their_values() {
        let s = Signature::of(STORY);
        assert_eq!(s.shingles, 49);
        assert_eq!(
            s.to_hex(),
            "0415ce6f027433c0031fc3a000f69c9f03ea53fd00165b760f9ae2db01176e2c0780edcf01a3f44b\
             09ea806d0c15485803da2a8c01c7365d02be7306018dbf950a95e75104179a0f0b1a588b0b54a41f\
             03ef6dd90240ccd8005235570da1252d03cf931b053e2c6a021bbcfd03f1eb8e063f3d2402a05226\
             01eac58c02ff20eb"
        );
        assert_eq!(Signature::of("two words").shingles, 1);
    }

    /// The vectorised minima are the scalar ones, where this CPU has the instructions.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn simd_and_scalar_agree() {
        if !std::arch::is_x86_feature_detected!("avx512dq") {
            println!("skipped: this CPU has no AVX-512DQ (the scalar loop is the only one used)");
            return;
        }
        let mut h = 0x1234_5678_9abc_def0u64;
        for n in [0usize, 1, 2, 7, 100, 1000] {
            let hashes: Vec<u64> = (0..n)
                .map(|_| {
                    h = mix(h.wrapping_add(1));
                    h
                })
                .collect();
            let (mut a, mut b) = ([u32::MAX; PERMS], [u32::MAX; PERMS]);
            feed_scalar(&mut a, &hashes);
            // SAFETY: the feature was detected above.
            unsafe { feed_avx512(&mut b, &hashes) };
            assert_eq!(a, b, "{n} shingles");
        }
    }

    #[test]
    fn empty_text_has_no_shingles() {
        assert_eq!(Signature::of("").shingles, 0);
    }
}
