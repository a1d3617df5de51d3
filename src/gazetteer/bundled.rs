//! The gazetteer compiled into the binary, so sitrep works offline on first
//! run: the world layer (GeoNames-derived) with the curated regional layer
//! laid over it. See `data/README.md` for how each file is made.

use super::import::{collect_places, ImportFormat};
use super::{GazetteerError, NameIndex, Place};

const WORLD_PLACES: &str = include_str!("../../data/world/places.tsv");
const WORLD_RADII: &str = include_str!("../../data/world/radius.tsv");
const WORLD_ADMIN1: &str = include_str!("../../data/world/admin1CodesASCII.txt");
const WORLD_COUNTRIES: &str = include_str!("../../data/world/countryInfo.txt");
const REGIONAL: &str = include_str!("../../data/regional/karabakh.geojson");

/// Every bundled place, the regional layer's facts winning where a place is
/// in both (it is curated for the conflict area).
pub fn bundled_places() -> Result<Vec<Place>, GazetteerError> {
    let mut places = world_layer()?;
    collect_places(
        REGIONAL.as_bytes(),
        "data/regional/karabakh.geojson",
        ImportFormat::GeoJson,
        &mut places,
    )?;
    Ok(places)
}

/// The world layer alone: countries, continents, divisions, cities.
pub fn world_layer() -> Result<Vec<Place>, GazetteerError> {
    // Parsing is most of the start-up: read the two halves of the table on
    // two cores. Every line is its own place (ids are unique, which
    // `Gazetteer::from_places` checks), so the halves simply follow each other.
    // Search bytes: the midpoint may fall inside a multi-byte character,
    // and a newline byte is always a character boundary.
    let half = WORLD_PLACES.len() / 2;
    let middle = WORLD_PLACES.as_bytes()[half..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(WORLD_PLACES.len(), |at| half + at + 1);
    let (first_half, second_half) = WORLD_PLACES.split_at(middle);
    let parse = |text: &str, label: &str| -> Result<Vec<Place>, GazetteerError> {
        let mut places = Vec::with_capacity(20_000);
        collect_places(text.as_bytes(), label, ImportFormat::GeoNames, &mut places)?;
        Ok(places)
    };
    let (first, second) = std::thread::scope(|scope| {
        let second = scope.spawn(|| parse(second_half, "data/world/places.tsv (second half)"));
        let first = parse(first_half, "data/world/places.tsv");
        (first, second.join())
    });
    let mut places = first?;
    match second {
        Ok(second) => places.extend(second?),
        Err(_) => return Err(GazetteerError::Index("the world layer reader stopped".into())),
    }
    apply_radii(&mut places)?;
    collect_places(
        WORLD_ADMIN1.as_bytes(),
        "data/world/admin1CodesASCII.txt",
        ImportFormat::AdminCodes,
        &mut places,
    )?;
    collect_places(
        WORLD_COUNTRIES.as_bytes(),
        "data/world/countryInfo.txt",
        ImportFormat::CountryInfo,
        &mut places,
    )?;
    Ok(places)
}

/// The name index of [`bundled_places`], built at build time by `build.rs`
/// (see `build_output` in lib.rs), so a start reads it instead of building
/// it. Refused unless `places` are exactly the places it was built from.
pub fn prebuilt_index(places: &[Place]) -> Result<NameIndex, GazetteerError> {
    NameIndex::prebuilt(crate::build_output::BUNDLED_NAME_INDEX, places)
}

/// A fingerprint of the bundled data: it changes whenever a file of the
/// bundled gazetteer does, so a database seeded from an older build can
/// tell that this build brings other facts. (FNV-1a over the files, written
/// out rather than taken from a hasher whose output may change between
/// Rust releases.)
///
/// ```
/// let fingerprint = sitrep::gazetteer::bundled::fingerprint();
/// assert_eq!(fingerprint.len(), 16);
/// assert_eq!(fingerprint, sitrep::gazetteer::bundled::fingerprint());
/// ```
pub fn fingerprint() -> &'static str {
    static FINGERPRINT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    FINGERPRINT.get_or_init(|| {
        const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
        const PRIME: u64 = 0x0000_0100_0000_01b3;
        let mut hash = OFFSET_BASIS;
        for file in [WORLD_PLACES, WORLD_RADII, WORLD_ADMIN1, WORLD_COUNTRIES, REGIONAL] {
            // each file's length too, so that bytes moved from one file to
            // the next still change the fingerprint
            for byte in file.as_bytes().iter().chain(&(file.len() as u64).to_le_bytes()) {
                hash = (hash ^ u64::from(*byte)).wrapping_mul(PRIME);
            }
        }
        format!("{hash:016x}")
    })
}

/// The curated regional layer alone, as sitrep gazetteer GeoJSON text.
pub fn regional_layer_geojson() -> &'static str {
    REGIONAL
}

/// Applies `radius.tsv` (geonameid, radius in metres, method): the measured
/// extent of countries, continents and divisions, replacing kind defaults.
fn apply_radii(places: &mut [Place]) -> Result<(), GazetteerError> {
    let label = "data/world/radius.tsv";
    let position: std::collections::HashMap<&str, usize> = places
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.id.strip_prefix("gn:").map(|id| (id, i)))
        .collect();
    let mut updates = Vec::new();
    for (n, line) in WORLD_RADII.lines().enumerate() {
        let mut fields = line.split('\t');
        let (Some(id), Some(radius)) = (fields.next(), fields.next()) else {
            continue;
        };
        let radius: f64 = radius.parse().map_err(|_| {
            GazetteerError::parse(label, n as u64 + 1, "radius_m", format!("{radius:?} is not a number"))
        })?;
        if let Some(&i) = position.get(id) {
            updates.push((i, radius, fields.next().unwrap_or("").to_string()));
        }
    }
    for (i, radius, method) in updates {
        places[i].radius_m = radius;
        if places[i].note.is_empty() && !method.is_empty() {
            places[i].note = format!("point and radius: {method}");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_places_come_with_their_index_prebuilt() {
        let places = bundled_places().unwrap();
        let prebuilt = prebuilt_index(&places).expect("build.rs indexed exactly these places");
        let rebuilt = NameIndex::build(&places).unwrap();
        assert_eq!(prebuilt.key_count(), rebuilt.key_count());
        assert_eq!(prebuilt.posting_count(), rebuilt.posting_count());
        for key in [
            "khankendi",
            "stepanakert",
            "ханкенди",
            "shushi",
            "lachin corridor",
            "baku",
        ] {
            assert!(!prebuilt.exact(key).is_empty(), "{key} is in the index");
            assert_eq!(prebuilt.exact(key), rebuilt.exact(key), "{key}");
        }
        assert_eq!(prebuilt.prefix("kh", 20), rebuilt.prefix("kh", 20));
    }
}
