//! Folding for the hot path of [`crate::Actors::find`]: `hadath_normalize::normalize_into`
//! with a per-thread buffer (see `find.rs`), plus a fast word-char test.

/// The word-char table, built on first use.
pub(crate) fn folder() -> &'static Folder {
    static FOLDER: std::sync::OnceLock<Folder> = std::sync::OnceLock::new();
    FOLDER.get_or_init(Folder::new)
}

/// Chars below this have their `is_alphanumeric` answer in a bit table.
const LOW: u32 = 0x800;

/// The match key and its map back to the original.
pub(crate) type Folded = hadath_normalize::Normalized;

/// The word-char test, built once.
#[derive(Debug, Clone)]
pub(crate) struct Folder {
    /// `char::is_alphanumeric` for chars below [`LOW`], one bit each.
    word: [u64; (LOW / 64) as usize],
}

impl Folder {
    pub fn new() -> Folder {
        let mut word = [0u64; (LOW / 64) as usize];
        for c in (0..LOW).filter_map(char::from_u32) {
            if c.is_alphanumeric() {
                if let Some(w) = word.get_mut(c as usize / 64) {
                    *w |= 1 << (c as u32 % 64);
                }
            }
        }
        Folder { word }
    }

    /// `c.is_alphanumeric()`, fast for the Latin, Greek, Cyrillic and Arabic blocks.
    #[inline]
    pub fn is_word(&self, c: char) -> bool {
        match self.word.get(c as usize / 64) {
            Some(w) => w & (1 << (c as u32 % 64)) != 0,
            None => c.is_alphanumeric(),
        }
    }

    /// Folds `text` into `out` (cleared first), reusing its buffers.
    pub fn fold(&self, text: &str, out: &mut Folded) {
        hadath_normalize::normalize_into(text, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_table_matches_std() {
        let f = Folder::new();
        for u in 0..0x3000u32 {
            if let Some(c) = char::from_u32(u) {
                assert_eq!(f.is_word(c), c.is_alphanumeric(), "{u:x}");
            }
        }
    }
}
