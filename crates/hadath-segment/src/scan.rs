//! Byte search for a few needles at once, eight bytes per step (SWAR), used by the link and
//! sentence scanners to skip the long stretches of text that hold none of their trigger bytes.

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// The offset of the first byte of `hay` that is one of `needles`.
#[inline]
pub(crate) fn position_any<const N: usize>(hay: &[u8], needles: [u8; N]) -> Option<usize> {
    let mut chunks = hay.chunks_exact(8);
    let mut base = 0usize;
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        let w = u64::from_le_bytes(w);
        let mut hit = 0u64;
        for n in needles {
            let x = w ^ (LO * u64::from(n));
            // High bit set in each zero byte of x; bytes above the first one may be false
            // positives (borrows), but the lowest set bit is always exact.
            hit |= x.wrapping_sub(LO) & !x & HI;
        }
        if hit != 0 {
            return Some(base + (hit.trailing_zeros() / 8) as usize);
        }
        base += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|b| needles.contains(b))
        .map(|k| base + k)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn finds_the_first_needle(hay in proptest::collection::vec(
            proptest::sample::select(vec![0u8, 1, b'.', b'/', 0x2E, 0x2F, 0x80, 0xE2, 0xFF, 0x7F]),
            0..40,
        )) {
            let needles = [b'.', 0xE2, 0x00];
            proptest::prop_assert_eq!(
                position_any(&hay, needles),
                hay.iter().position(|b| needles.contains(b))
            );
        }
    }
}
