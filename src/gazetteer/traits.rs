//! A few facts of every place, kept as bits in one dense array.

use super::{Place, PlaceKind, PlaceStatus};

/// What a place is, as bits: its broad kind, whether it is a city of
/// 100,000 people or more, whether it lies in the gazetteer's area of
/// interest. A geoparser asks these of every place a new word may name,
/// and a common word has dozens: two bytes a place in one array answer
/// with one read each, where the place records (and their kind's code
/// strings) lie scattered over the memory of a large gazetteer.
///
/// ```
/// use sitrep::gazetteer::{Place, PlaceKind, PlaceTraits};
/// let mut baku = Place::new_point("b", "Baku", PlaceKind::populated("PPLC"), 49.89, 40.38);
/// baku.population = 2_300_000;
/// let traits = PlaceTraits::of(&baku, None);
/// assert!(traits.any(PlaceTraits::CAPITAL));
/// assert!(traits.any(PlaceTraits::POPULATION_100K));
/// assert!(!traits.any(PlaceTraits::COUNTRY.or(PlaceTraits::IN_AREA_OF_INTEREST)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PlaceTraits(u16);

impl PlaceTraits {
    /// None of the facts.
    pub const NONE: PlaceTraits = PlaceTraits(0);
    /// A country ([`PlaceKind::is_country`]).
    pub const COUNTRY: PlaceTraits = PlaceTraits(1);
    /// A country's capital ([`PlaceKind::is_capital`]).
    pub const CAPITAL: PlaceTraits = PlaceTraits(1 << 1);
    /// A city, town or village ([`PlaceKind::is_settlement`]).
    pub const SETTLEMENT: PlaceTraits = PlaceTraits(1 << 2);
    /// An area larger than a settlement ([`PlaceKind::is_area`]).
    pub const AREA: PlaceTraits = PlaceTraits(1 << 3);
    /// A first-level division, a continent or a named region: GeoNames
    /// `ADM1`, `CONT`, `RGN`, or sitrep's own [`PlaceKind::Region`].
    pub const LARGE_REGION: PlaceTraits = PlaceTraits(1 << 4);
    /// 100,000 people or more.
    pub const POPULATION_100K: PlaceTraits = PlaceTraits(1 << 5);
    /// Inside the gazetteer's [area of
    /// interest](super::Gazetteer::area_of_interest).
    pub const IN_AREA_OF_INTEREST: PlaceTraits = PlaceTraits(1 << 6);
    /// Current ([`PlaceStatus::Current`]): not superseded or deprecated.
    pub const CURRENT: PlaceTraits = PlaceTraits(1 << 7);

    /// The facts of `place`, in a gazetteer whose area of interest is
    /// `area_of_interest` (west, south, east, north).
    pub fn of(place: &Place, area_of_interest: Option<[f64; 4]>) -> Self {
        let kind = &place.kind;
        let large_region = *kind == PlaceKind::Region
            || matches!(kind, PlaceKind::GeoNames { code, .. } if code == "ADM1" || code == "CONT" || code == "RGN");
        let in_area = super::collection::lies_in(place, area_of_interest);
        [
            (kind.is_country(), Self::COUNTRY),
            (kind.is_capital(), Self::CAPITAL),
            (kind.is_settlement(), Self::SETTLEMENT),
            (kind.is_area(), Self::AREA),
            (large_region, Self::LARGE_REGION),
            (place.population >= 100_000, Self::POPULATION_100K),
            (in_area, Self::IN_AREA_OF_INTEREST),
            (place.status == PlaceStatus::Current, Self::CURRENT),
        ]
        .into_iter()
        .filter(|(holds, _)| *holds)
        .fold(Self::NONE, |traits, (_, fact)| traits.or(fact))
    }

    /// Has the place any of the facts of `wanted`?
    pub fn any(self, wanted: PlaceTraits) -> bool {
        self.0 & wanted.0 != 0
    }

    /// Has the place every fact of `wanted`?
    pub fn all(self, wanted: PlaceTraits) -> bool {
        self.0 & wanted.0 == wanted.0
    }

    /// The facts of both.
    pub const fn or(self, other: PlaceTraits) -> PlaceTraits {
        PlaceTraits(self.0 | other.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_fact_follows_the_place() {
        let mut village = Place::new_point("v", "Dyukyanlar", PlaceKind::populated("PPL"), 46.7, 39.8);
        let karabakh = Place::new_point("r", "Karabakh", PlaceKind::Region, 46.8, 39.9);
        let area = Some([46.0, 39.0, 47.5, 40.5]);
        let traits = PlaceTraits::of(&village, area);
        assert!(traits.any(PlaceTraits::SETTLEMENT));
        assert!(traits.any(PlaceTraits::IN_AREA_OF_INTEREST));
        assert!(traits.any(PlaceTraits::CURRENT));
        assert!(!traits.any(PlaceTraits::AREA.or(PlaceTraits::POPULATION_100K)));
        assert!(traits.all(PlaceTraits::SETTLEMENT.or(PlaceTraits::CURRENT)));
        assert!(!traits.all(PlaceTraits::SETTLEMENT.or(PlaceTraits::AREA)));
        assert!(!PlaceTraits::of(&village, Some([40.0, 30.0, 41.0, 31.0])).any(PlaceTraits::IN_AREA_OF_INTEREST));

        village.population = 100_000;
        village.status = PlaceStatus::Deprecated;
        let traits = PlaceTraits::of(&village, None);
        assert!(traits.any(PlaceTraits::POPULATION_100K));
        assert!(!traits.any(PlaceTraits::CURRENT.or(PlaceTraits::IN_AREA_OF_INTEREST)));

        let region = PlaceTraits::of(&karabakh, area);
        assert!(region.any(PlaceTraits::LARGE_REGION));
        assert!(region.any(PlaceTraits::AREA));
        assert!(!region.any(PlaceTraits::SETTLEMENT.or(PlaceTraits::COUNTRY)));
    }
}
