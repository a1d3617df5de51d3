//! Numbers for the countries and first-level divisions places lie in.

use std::collections::HashMap;

/// A place with no country (or no first-level division) has this number
/// for it.
pub const NO_REGION: u32 = u32::MAX;

/// The country and first-level division of every place of a gazetteer, as
/// numbers: two places share a number exactly when they share the code
/// (for a division, the country and division codes). Whoever compares
/// places by region (the geoparser does, for every candidate of every
/// mention) compares two integers instead of reading and hashing each
/// place's code strings, which lie apart from the place in memory.
///
/// ```
/// use sitrep::gazetteer::{Place, PlaceKind, RegionNumbers, NO_REGION};
/// let mut shusha = Place::new_point("a", "Shusha", PlaceKind::populated("PPL"), 46.75, 39.76);
/// shusha.country = "AZ".into();
/// shusha.admin1 = "SUS".into();
/// let mut baku = Place::new_point("b", "Baku", PlaceKind::populated("PPL"), 49.89, 40.38);
/// baku.country = "AZ".into();
/// let nowhere = Place::new_point("c", "Sea", PlaceKind::Region, 50.0, 40.0);
/// let numbers = RegionNumbers::of_places([&shusha, &baku, &nowhere]);
/// let ((c0, d0), (c1, d1)) = (numbers.of(0), numbers.of(1));
/// assert_eq!(c0, c1);
/// assert_ne!(d0, NO_REGION);
/// assert_eq!(d1, NO_REGION);
/// assert_eq!(numbers.of(2), (NO_REGION, NO_REGION));
/// ```
#[derive(Debug, Clone, Default)]
pub struct RegionNumbers {
    /// (country, division) by place index.
    of_place: Vec<[u32; 2]>,
    countries: HashMap<String, u32>,
    /// Country code → division code → number.
    divisions: HashMap<String, HashMap<String, u32>>,
    division_count: u32,
}

impl RegionNumbers {
    /// Numbers the regions of `places`, in order (place `i` is the `i`th).
    pub fn of_places<'a>(places: impl IntoIterator<Item = &'a super::Place>) -> Self {
        let mut numbers = RegionNumbers::default();
        for place in places {
            let regions = numbers.number(place);
            numbers.of_place.push(regions);
        }
        numbers
    }

    /// The (country, division) numbers of place number `place`; both
    /// [`NO_REGION`] for a place it does not know.
    pub fn of(&self, place: u32) -> (u32, u32) {
        self.of_place
            .get(place as usize)
            .map_or((NO_REGION, NO_REGION), |&[country, division]| (country, division))
    }

    /// Numbers place number `place` anew (its codes changed, or it is a
    /// new place; places between the last known one and it, if any, have
    /// no regions until they are numbered).
    pub fn renumber(&mut self, place: u32, with: &super::Place) {
        let regions = self.number(with);
        let at = place as usize;
        if at >= self.of_place.len() {
            self.of_place.resize(at + 1, [NO_REGION, NO_REGION]);
        }
        self.of_place[at] = regions;
    }

    /// The numbers of `place`'s codes, giving new ones to codes not seen.
    /// (Looked up before they are copied: most places share their codes
    /// with places before them.)
    fn number(&mut self, place: &super::Place) -> [u32; 2] {
        let country = if place.country.is_empty() {
            NO_REGION
        } else if let Some(&number) = self.countries.get(place.country.as_str()) {
            number
        } else {
            let number = self.countries.len() as u32;
            self.countries.insert(place.country.clone(), number);
            number
        };
        let division = if place.admin1.is_empty() {
            NO_REGION
        } else {
            let known = self
                .divisions
                .get(place.country.as_str())
                .and_then(|in_country| in_country.get(place.admin1.as_str()));
            match known {
                Some(&number) => number,
                None => {
                    let number = self.division_count;
                    self.division_count += 1;
                    self.divisions
                        .entry(place.country.clone())
                        .or_default()
                        .insert(place.admin1.clone(), number);
                    number
                }
            }
        };
        [country, division]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::{Place, PlaceKind};

    fn place(country: &str, admin1: &str) -> Place {
        let mut place = Place::new_point(
            &format!("t:{country}{admin1}"),
            "X",
            PlaceKind::populated("PPL"),
            0.0,
            0.0,
        );
        place.country = country.into();
        place.admin1 = admin1.into();
        place
    }

    #[test]
    fn places_share_numbers_exactly_when_they_share_codes() {
        // the same division code in two countries is two divisions
        let places = [
            place("AZ", "01"),
            place("AM", "01"),
            place("AZ", "01"),
            place("AZ", "02"),
            place("", "01"),
            place("AM", ""),
        ];
        let numbers = RegionNumbers::of_places(&places);
        for (i, a) in places.iter().enumerate() {
            for (j, b) in places.iter().enumerate() {
                let (ca, da) = numbers.of(i as u32);
                let (cb, db) = numbers.of(j as u32);
                assert_eq!(ca == cb, a.country == b.country, "{i} {j}");
                assert_eq!(da == db, (&a.country, &a.admin1) == (&b.country, &b.admin1), "{i} {j}");
            }
        }
        assert_eq!(numbers.of(4).0, NO_REGION);
        assert_eq!(numbers.of(5).1, NO_REGION);
        assert_eq!(numbers.of(99), (NO_REGION, NO_REGION));
    }

    #[test]
    fn a_changed_place_is_numbered_anew_and_a_new_one_appended() {
        let mut numbers = RegionNumbers::of_places(&[place("AZ", "01"), place("AM", "02")]);
        let armenian = numbers.of(1);
        numbers.renumber(0, &place("AM", "02"));
        assert_eq!(numbers.of(0), armenian);
        numbers.renumber(2, &place("GE", "03"));
        let (georgia, division) = numbers.of(2);
        assert!(georgia != armenian.0 && georgia != NO_REGION && division != armenian.1);
        // a place past the next one: those between have no regions yet
        numbers.renumber(5, &place("AZ", "01"));
        assert_eq!(numbers.of(4), (NO_REGION, NO_REGION));
        assert_ne!(numbers.of(5).0, NO_REGION);
    }
}
