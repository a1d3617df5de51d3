//! The built index as bytes, so the bundled gazetteer's index can be made
//! once at build time (by `build.rs`) instead of at every start.
//!
//! Layout, little-endian: the magic `SITREPNX`, a format version (u32), the
//! fingerprint of the places it was built from (u64), the counts of places,
//! keys and postings (u32 each), the FST's length (u64) and bytes, then
//! `keys + 1` posting offsets (u32), the postings (place u32, name u16,
//! flags u8: 1 generated, 2 in capitals), each key's importance (f32) and length in characters (u16).

use std::borrow::Cow;

use fst::Map;

use super::{BuiltIndex, Posting};
use crate::gazetteer::{GazetteerError, Place};

const MAGIC: &[u8; 8] = b"SITREPNX";
/// Bumped whenever the layout or the meaning of a field changes.
const FORMAT_VERSION: u32 = 2;

/// A digest of everything the index is made of: ids, names with their
/// languages, countries and importance, in order. An index only serves the
/// places it was built from; any difference makes the fingerprint differ.
pub(super) fn fingerprint(places: &[Place]) -> u64 {
    // a fixed multiply-xor mix over 8-byte words (not std's randomly seeded
    // hasher), so build.rs and the library agree on it
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut mix = |word: u64| {
        hash = (hash ^ word).wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(29);
    };
    let mut feed = |bytes: &[u8]| {
        let mut words = bytes.chunks_exact(8);
        for word in words.by_ref() {
            let mut eight = [0u8; 8];
            eight.copy_from_slice(word);
            mix(u64::from_le_bytes(eight));
        }
        let mut last = [0u8; 8];
        last[..words.remainder().len()].copy_from_slice(words.remainder());
        mix(u64::from_le_bytes(last));
        // the length ends each field, so "ab"+"c" and "a"+"bc" differ
        mix(bytes.len() as u64);
    };
    for place in places {
        feed(place.id.as_bytes());
        feed(place.country.as_bytes());
        feed(&(place.importance() as f32).to_le_bytes());
        for name in &place.names {
            feed(name.text.as_bytes());
            feed(name.lang.as_bytes());
        }
    }
    hash
}

impl BuiltIndex {
    /// The index as bytes, stamped with the fingerprint of `places`.
    pub(super) fn to_bytes(&self, places: &[Place]) -> Vec<u8> {
        let fst = self.keys.as_fst().as_bytes();
        let mut out = Vec::with_capacity(48 + fst.len() + self.postings.len() * 7 + self.key_count() * 10);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&fingerprint(places).to_le_bytes());
        for count in [places.len(), self.key_count(), self.postings.len()] {
            out.extend_from_slice(&(count as u32).to_le_bytes());
        }
        out.extend_from_slice(&(fst.len() as u64).to_le_bytes());
        out.extend_from_slice(fst);
        for offset in &self.offsets {
            out.extend_from_slice(&offset.to_le_bytes());
        }
        for posting in &self.postings {
            out.extend_from_slice(&posting.place.to_le_bytes());
            out.extend_from_slice(&posting.name.to_le_bytes());
            out.push(u8::from(posting.generated) | (u8::from(posting.in_capitals) << 1));
        }
        for importance in &self.key_importance {
            out.extend_from_slice(&importance.to_le_bytes());
        }
        for chars in &self.key_chars {
            out.extend_from_slice(&chars.to_le_bytes());
        }
        out
    }

    /// Reads an index written by [`BuiltIndex::to_bytes`], if it was built
    /// from exactly `places`. The FST is used in place, not copied.
    pub(super) fn from_bytes(bytes: &'static [u8], places: &[Place]) -> Result<Self, GazetteerError> {
        let mut reader = Reader { bytes, at: 0 };
        if reader.take(MAGIC.len())? != MAGIC {
            return Err(unreadable("it does not start with SITREPNX"));
        }
        let version = reader.u32()?;
        if version != FORMAT_VERSION {
            return Err(unreadable(format!("format {version}, expected {FORMAT_VERSION}")));
        }
        if reader.u64()? != fingerprint(places) {
            return Err(unreadable("it was built from other places"));
        }
        let place_count = reader.u32()? as usize;
        let key_count = reader.u32()? as usize;
        let posting_count = reader.u32()? as usize;
        if place_count != places.len() {
            return Err(unreadable("it was built from another number of places"));
        }
        let fst_len = usize::try_from(reader.u64()?).map_err(|_| unreadable("the FST is too long"))?;
        let fst = reader.take(fst_len)?;
        let keys = Map::new(Cow::Borrowed(fst)).map_err(|e| unreadable(e.to_string()))?;
        if keys.len() != key_count {
            return Err(unreadable("the FST holds another number of keys"));
        }
        let offsets = reader
            .take(4 * (key_count + 1))?
            .chunks_exact(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect::<Vec<_>>();
        let postings = reader
            .take(7 * posting_count)?
            .chunks_exact(7)
            .map(|b| Posting {
                place: u32::from_le_bytes([b[0], b[1], b[2], b[3]]),
                name: u16::from_le_bytes([b[4], b[5]]),
                generated: b[6] & 1 != 0,
                in_capitals: b[6] & 2 != 0,
            })
            .collect::<Vec<_>>();
        let key_importance = reader
            .take(4 * key_count)?
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect::<Vec<_>>();
        let key_chars = reader
            .take(2 * key_count)?
            .chunks_exact(2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
            .collect::<Vec<_>>();
        if reader.at != bytes.len() {
            return Err(unreadable("it has bytes after its end"));
        }
        // postings must point at real places and offsets into the postings:
        // a lookup indexes with them
        let offsets_ok = offsets.windows(2).all(|w| w[0] <= w[1]) && offsets.last() == Some(&(posting_count as u32));
        let postings_ok = postings
            .iter()
            .all(|p| (p.place as usize) < place_count && usize::from(p.name) < places[p.place as usize].names.len());
        if !(offsets_ok && postings_ok) {
            return Err(unreadable("its offsets or postings are out of range"));
        }
        let table = super::shared_key_table(fst);
        Ok(BuiltIndex::of_parts(
            keys,
            offsets,
            postings,
            key_importance,
            key_chars,
            table,
        ))
    }
}

fn unreadable(why: impl Into<String>) -> GazetteerError {
    GazetteerError::Index(format!("the prebuilt name index cannot be used: {}", why.into()))
}

/// Reads fields off the front of a byte slice.
struct Reader {
    bytes: &'static [u8],
    at: usize,
}

impl Reader {
    fn take(&mut self, len: usize) -> Result<&'static [u8], GazetteerError> {
        let end = self
            .at
            .checked_add(len)
            .filter(|&end| end <= self.bytes.len())
            .ok_or_else(|| unreadable("it ends early"))?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn u32(&mut self) -> Result<u32, GazetteerError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn u64(&mut self) -> Result<u64, GazetteerError> {
        let b = self.take(8)?;
        let mut word = [0u8; 8];
        word.copy_from_slice(b);
        Ok(u64::from_le_bytes(word))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::{Name, NameKind, PlaceKind};

    fn places() -> Vec<Place> {
        let mut shusha = Place::new_point("t:shusha", "Shusha", PlaceKind::populated("PPL"), 46.75, 39.76);
        shusha.country = "AZ".into();
        shusha
            .names
            .push(Name::new("Шуша", NameKind::Alternate).with_lang("ru"));
        let lachin = Place::new_point("t:lachin", "Lachin", PlaceKind::populated("PPL"), 46.55, 39.64);
        vec![shusha, lachin]
    }

    /// Bytes that live as long as the program, as the bundled index does.
    fn leak(bytes: Vec<u8>) -> &'static [u8] {
        Box::leak(bytes.into_boxed_slice())
    }

    #[test]
    fn a_read_index_answers_as_the_built_one() {
        let places = places();
        let built = BuiltIndex::build(&places).unwrap();
        let read = BuiltIndex::from_bytes(leak(built.to_bytes(&places)), &places).unwrap();
        assert_eq!(read.key_count(), built.key_count());
        assert_eq!(read.posting_count(), built.posting_count());
        for key in ["shusha", "шуша", "lachin"] {
            assert!(!read.exact(key).is_empty(), "{key} is found");
            assert_eq!(read.exact(key), built.exact(key));
        }
        assert_eq!(read.prefix("sh", 10), built.prefix("sh", 10));
        assert_eq!(read.key_importance, built.key_importance);
        assert_eq!(read.key_chars, built.key_chars);
    }

    #[test]
    fn an_index_of_other_places_is_refused() {
        let places = places();
        let bytes = leak(BuiltIndex::build(&places).unwrap().to_bytes(&places));
        let mut renamed = places.clone();
        renamed[1].names[0].text = "Berdzor".into();
        let refused = BuiltIndex::from_bytes(bytes, &renamed).err().map(|e| e.to_string());
        assert!(refused.is_some_and(|m| m.contains("built from other places")));
    }

    #[test]
    fn truncated_or_foreign_bytes_are_refused_not_read() {
        let places = places();
        let bytes = BuiltIndex::build(&places).unwrap().to_bytes(&places);
        for cut in [0, 7, 12, 30, bytes.len() / 2, bytes.len() - 1] {
            let refused = BuiltIndex::from_bytes(leak(bytes[..cut].to_vec()), &places);
            assert!(refused.is_err(), "cut at {cut} is refused");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(BuiltIndex::from_bytes(leak(longer), &places).is_err());
        assert!(BuiltIndex::from_bytes(b"GEOJSON!", &places).is_err());
    }
}
