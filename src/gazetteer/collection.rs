//! The gazetteer proper: places held in memory with their name index.

use std::collections::HashMap;

use super::index::{NameIndex, Posting};
use super::normalize::normalize_key;
use super::search::{MatchQuality, SearchHit, SearchQuery};
use super::{GazetteerError, Place, PlaceStatus};

/// Places and the index over their names. Immutable once built: an edit
/// builds a new one (the server swaps it in atomically).
pub struct Gazetteer {
    places: Vec<Place>,
    by_id: HashMap<String, u32>,
    index: NameIndex,
    area_of_interest: Option<[f64; 4]>,
    /// [`Place::importance`] of every place, computed once: the geoparser
    /// asks for it for every candidate of every mention.
    importance: Vec<f32>,
}

impl Gazetteer {
    /// Builds a gazetteer from places, checking each one and refusing
    /// duplicate ids.
    pub fn from_places(places: Vec<Place>) -> Result<Self, GazetteerError> {
        let mut by_id = HashMap::with_capacity(places.len());
        for (i, place) in places.iter().enumerate() {
            place.validate()?;
            if by_id.insert(place.id.clone(), i as u32).is_some() {
                return Err(GazetteerError::DuplicateId(place.id.clone()));
            }
        }
        let index = NameIndex::build(&places)?;
        let area_of_interest = area_of_interest(&places);
        let importance = places.iter().map(|p| p.importance() as f32).collect();
        Ok(Gazetteer {
            places,
            by_id,
            index,
            area_of_interest,
            importance,
        })
    }

    /// The gazetteer bundled in the binary: the curated regional layer over
    /// the world layer.
    pub fn bundled() -> Result<Self, GazetteerError> {
        Gazetteer::from_places(super::bundled::bundled_places()?)
    }

    /// All places, in a stable order.
    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// Number of places.
    pub fn len(&self) -> usize {
        self.places.len()
    }

    /// True when there are no places.
    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// The place with this id.
    pub fn get(&self, id: &str) -> Option<&Place> {
        self.by_id.get(id).map(|&i| &self.places[i as usize])
    }

    /// The area the gazetteer was curated for: the bounding box of the places
    /// of sitrep's own kinds (roads, corridors, checkpoints, regions), which
    /// only curated data has. `None` for a plain GeoNames gazetteer.
    pub fn area_of_interest(&self) -> Option<[f64; 4]> {
        self.area_of_interest
    }

    /// [`Place::importance`] of the place at index `place` (0 when out of range).
    pub fn importance_of(&self, place: u32) -> f64 {
        self.importance.get(place as usize).copied().map_or(0.0, f64::from)
    }

    /// Does `place` lie in the [area of interest](Self::area_of_interest)?
    pub fn in_area_of_interest(&self, place: &Place) -> bool {
        self.area_of_interest.is_some_and(|[west, south, east, north]| {
            (west..=east).contains(&place.lon()) && (south..=north).contains(&place.lat())
        })
    }

    /// The name index (for the geoparser's span matching).
    pub fn index(&self) -> &NameIndex {
        &self.index
    }

    /// The place and name a posting points to.
    pub fn resolve_posting(&self, posting: Posting) -> Option<(&Place, &super::Name)> {
        let place = self.places.get(posting.place as usize)?;
        let name = place.names.get(usize::from(posting.name))?;
        Some((place, name))
    }

    /// Ranked places matching the query. Superseded and deprecated places are
    /// left out (the place that supersedes one carries its names).
    pub fn search<'a>(&'a self, query: &SearchQuery) -> Vec<SearchHit<'a>> {
        let key = normalize_key(&query.text);
        if key.is_empty() || query.limit == 0 {
            return Vec::new();
        }
        let query_chars = key.chars().count();
        let mut hits: Vec<SearchHit<'a>> = Vec::new();
        let consider = |hits: &mut Vec<SearchHit<'a>>, posting: Posting, quality: MatchQuality, key_chars: usize| {
            let Some((place, name)) = self.resolve_posting(posting) else {
                return;
            };
            if place.status != PlaceStatus::Current || !query.admits(place) {
                return;
            }
            let score = query.score(place, name, quality, query_chars, key_chars);
            match hits.iter_mut().find(|h| std::ptr::eq(h.place, place)) {
                Some(existing) if existing.score >= score => {}
                Some(existing) => {
                    *existing = SearchHit {
                        place,
                        name,
                        quality,
                        score,
                    }
                }
                None => hits.push(SearchHit {
                    place,
                    name,
                    quality,
                    score,
                }),
            }
        };

        for posting in self.index.exact(&key) {
            let quality = if posting.generated {
                MatchQuality::Romanised
            } else {
                MatchQuality::Exact
            };
            consider(&mut hits, *posting, quality, query_chars);
        }
        if query.autocomplete {
            for (posting, key_chars) in self.index.prefix(&key, query.limit.max(8) * 3) {
                if key_chars != query_chars {
                    consider(&mut hits, posting, MatchQuality::Prefix, key_chars);
                }
            }
        }
        // Typo tolerance is the fallback for names that match nothing as typed.
        if query.fuzzy && hits.is_empty() {
            for (posting, distance) in self.index.fuzzy(&key, query.limit.max(8) * 3) {
                if distance > 0 {
                    consider(&mut hits, posting, MatchQuality::Fuzzy(distance), query_chars);
                }
            }
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.place.id.cmp(&b.place.id)));
        hits.truncate(query.limit);
        hits
    }
}

/// Bounding box of the curated kinds of place, widened by half a degree.
fn area_of_interest(places: &[Place]) -> Option<[f64; 4]> {
    use super::PlaceKind;
    let curated = places.iter().filter(|p| {
        matches!(p.kind, PlaceKind::Road | PlaceKind::Corridor | PlaceKind::Checkpoint) && p.radius_m < 100_000.0
    });
    let mut bbox: Option<[f64; 4]> = None;
    for place in curated {
        let (x, y) = (place.lon(), place.lat());
        bbox = Some(match bbox {
            None => [x, y, x, y],
            Some([a, b, c, d]) => [a.min(x), b.min(y), c.max(x), d.max(y)],
        });
    }
    bbox.map(|[a, b, c, d]| [a - 0.5, b - 0.5, c + 0.5, d + 0.5])
}
