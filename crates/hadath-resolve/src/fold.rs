//! The match key of a sentence: `hadath_normalize`'s, which keeps the map back to the
//! original bytes.

/// A match key and, for each of its bytes, the original byte range it came from.
pub(crate) type KeyMap = hadath_normalize::Normalized;

/// The match key of `text`.
pub(crate) fn fold(text: &str) -> KeyMap {
    hadath_normalize::normalize(text)
}
