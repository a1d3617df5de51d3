//! The gazetteer proper: places held in memory with their name index.

use std::collections::HashMap;
use std::sync::Arc;

use super::index::{NameIndex, Posting};
use super::normalize::normalize_key;
use super::prefetch::prefetch_line;
use super::search::{MatchQuality, SearchHit, SearchQuery};
use super::{GazetteerError, Place, PlaceStatus, PlaceTraits, RegionNumbers};

/// Keys a gazetteer's index may hold in its patch of edited places before
/// an edit rebuilds it whole.
pub const MAX_PATCHED_KEYS: usize = 20_000;

/// Places and the index over their names. Immutable once built: an edit
/// builds a new one (the server swaps it in atomically).
pub struct Gazetteer {
    /// Shared, so an edit's new gazetteer copies pointers, not places.
    places: Vec<Arc<Place>>,
    by_id: Arc<HashMap<String, u32>>,
    index: NameIndex,
    area_of_interest: Option<[f64; 4]>,
    /// [`Place::importance`] of every place, computed once: the geoparser
    /// asks for it for every candidate of every mention.
    importance: Vec<f32>,
    /// The numbers of every place's country and division, likewise.
    regions: RegionNumbers,
    /// The [`PlaceTraits`] of every place, likewise.
    traits: Vec<PlaceTraits>,
    /// Indices of the roads and other routes, in place order: a geoparser
    /// looks for the route a text names among these, not among all places.
    routes: Vec<u32>,
    /// Indices of the current settlements inside the area of interest, in
    /// place order: the villages a geoparser matches spellings against.
    area_settlements: Vec<u32>,
}

/// Indices of the current settlements inside the area of interest, in
/// order, as their traits tell.
fn area_settlement_indices(traits: &[PlaceTraits]) -> Vec<u32> {
    let wanted = PlaceTraits::CURRENT
        .or(PlaceTraits::SETTLEMENT)
        .or(PlaceTraits::IN_AREA_OF_INTEREST);
    traits
        .iter()
        .enumerate()
        .filter(|(_, traits)| traits.all(wanted))
        .map(|(i, _)| i as u32)
        .collect()
}

/// Indices of the route places, in order.
fn route_indices<'a>(places: impl Iterator<Item = &'a Place>) -> Vec<u32> {
    places
        .enumerate()
        .filter(|(_, place)| place.kind.is_route())
        .map(|(i, _)| i as u32)
        .collect()
}

impl Gazetteer {
    /// Builds a gazetteer from places, checking each one and refusing
    /// duplicate ids.
    pub fn from_places(places: Vec<Place>) -> Result<Self, GazetteerError> {
        Gazetteer::from_places_indexed_by(places, NameIndex::build)
    }

    /// [`Gazetteer::from_places`], with the name index from `index_of`
    /// (built, or read prebuilt) once the places are checked.
    fn from_places_indexed_by(
        places: Vec<Place>,
        index_of: impl FnOnce(&[Place]) -> Result<NameIndex, GazetteerError>,
    ) -> Result<Self, GazetteerError> {
        let mut by_id = HashMap::with_capacity(places.len());
        for (i, place) in places.iter().enumerate() {
            place.validate()?;
            if by_id.insert(place.id.clone(), i as u32).is_some() {
                return Err(GazetteerError::DuplicateId(place.id.clone()));
            }
        }
        let index = index_of(&places)?;
        let area_of_interest = area_of_interest(places.iter());
        let importance = places.iter().map(|p| p.importance() as f32).collect();
        let regions = RegionNumbers::of_places(&places);
        let routes = route_indices(places.iter());
        let traits: Vec<PlaceTraits> = places.iter().map(|p| PlaceTraits::of(p, area_of_interest)).collect();
        let area_settlements = area_settlement_indices(&traits);
        let places = places.into_iter().map(Arc::new).collect();
        let by_id = Arc::new(by_id);
        Ok(Gazetteer {
            places,
            by_id,
            index,
            area_of_interest,
            importance,
            regions,
            traits,
            routes,
            area_settlements,
        })
    }

    /// This gazetteer with some places replaced, added (`Some`) or removed
    /// (`None`), by id. Replacing and adding re-index only those places (a
    /// few milliseconds); a removal, or a patch grown past
    /// [`MAX_PATCHED_KEYS`], rebuilds the whole index.
    pub fn with_changes(&self, changes: Vec<(String, Option<Place>)>) -> Result<Self, GazetteerError> {
        let removes = changes.iter().any(|(id, p)| p.is_none() && self.by_id.contains_key(id));
        if removes || self.index.patched_keys() > MAX_PATCHED_KEYS {
            let mut places: Vec<Place> = self.places.iter().map(|p| Place::clone(p)).collect();
            for (id, place) in changes {
                match (places.iter().position(|p| p.id == id), place) {
                    (Some(at), Some(place)) => places[at] = place,
                    (None, Some(place)) => places.push(place),
                    (Some(at), None) => {
                        places.remove(at);
                    }
                    (None, None) => {}
                }
            }
            return Gazetteer::from_places(places);
        }
        let mut places = self.places.clone();
        let mut index = self.index.clone();
        let mut by_id = Arc::clone(&self.by_id);
        let mut importance = self.importance.clone();
        let mut regions = self.regions.clone();
        for (id, place) in changes {
            let Some(place) = place else { continue };
            place.validate()?;
            if place.id != id {
                return Err(GazetteerError::InvalidPlace {
                    id,
                    message: format!("the change carries place {:?}", place.id),
                });
            }
            let weight = place.importance() as f32;
            match by_id.get(&id) {
                Some(&at) => {
                    index.reindex(at, Some(&places[at as usize]), &place);
                    importance[at as usize] = weight;
                    regions.renumber(at, &place);
                    places[at as usize] = Arc::new(place);
                }
                None => {
                    let at = u32::try_from(places.len())
                        .map_err(|_| GazetteerError::Index("more than 4 billion places".into()))?;
                    index.reindex(at, None, &place);
                    Arc::make_mut(&mut by_id).insert(id, at);
                    importance.push(weight);
                    regions.renumber(at, &place);
                    places.push(Arc::new(place));
                }
            }
        }
        let area_of_interest = area_of_interest(places.iter().map(|p| &**p));
        let routes = route_indices(places.iter().map(|p| &**p));
        // all anew: a change may move the area of interest
        let traits: Vec<PlaceTraits> = places.iter().map(|p| PlaceTraits::of(p, area_of_interest)).collect();
        let area_settlements = area_settlement_indices(&traits);
        Ok(Gazetteer {
            places,
            by_id,
            index,
            area_of_interest,
            importance,
            regions,
            traits,
            routes,
            area_settlements,
        })
    }

    /// The gazetteer bundled in the binary: the curated regional layer over
    /// the world layer.
    pub fn bundled() -> Result<Self, GazetteerError> {
        // The index was built with the binary; should it not fit (only while
        // build.rs itself runs, which has none yet), build it.
        Gazetteer::from_places_indexed_by(super::bundled::bundled_places()?, |places| {
            super::bundled::prebuilt_index(places).or_else(|_| NameIndex::build(places))
        })
    }

    /// The routes (roads, corridors: places whose kind is a route), in
    /// the order of [`Gazetteer::places`].
    pub fn routes(&self) -> impl Iterator<Item = &Place> + '_ {
        self.routes.iter().map(|&i| &*self.places[i as usize])
    }

    /// All places, in a stable order.
    pub fn places(&self) -> &[Arc<Place>] {
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
        self.by_id.get(id).map(|&i| &*self.places[i as usize])
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

    /// The numbers of the country and first-level division of the place at
    /// index `place` (see [`RegionNumbers`]).
    pub fn regions_of(&self, place: u32) -> (u32, u32) {
        self.regions.of(place)
    }

    /// The [`PlaceTraits`] of the place at index `place` (none when out of
    /// range).
    pub fn traits_of(&self, place: u32) -> PlaceTraits {
        self.traits.get(place as usize).copied().unwrap_or_default()
    }

    /// Starts fetching what a look at `posting`'s place reads first (its
    /// record, importance and traits), and returns at once (a hint: see
    /// [`NameIndex::prefetch_exact_and_longer`]). Whoever is about to
    /// weigh the many places of a common name asks for them all first.
    pub fn prefetch_posting(&self, posting: Posting) {
        let at = posting.place as usize;
        if let Some(record) = self.places.get(at) {
            prefetch_line::<Place>(record);
        }
        if let Some(importance) = self.importance.get(at) {
            prefetch_line(importance);
        }
        if let Some(traits) = self.traits.get(at) {
            prefetch_line(traits);
        }
    }

    /// Starts fetching `posting`'s name and the first bytes of its text,
    /// and returns at once; it reads the place's record to find them, so
    /// it is best asked after [`Gazetteer::prefetch_posting`].
    pub fn prefetch_posting_name(&self, posting: Posting) {
        if let Some((_, name)) = self.resolve_posting(posting) {
            prefetch_line(name);
            if let Some(first) = name.text.as_bytes().first() {
                prefetch_line(first);
            }
        }
    }

    /// Indices of the current settlements inside the [area of
    /// interest](Self::area_of_interest), in place order; empty for a plain
    /// GeoNames gazetteer.
    pub fn settlements_in_area_of_interest(&self) -> &[u32] {
        &self.area_settlements
    }

    /// Does `place` lie in the [area of interest](Self::area_of_interest)?
    pub fn in_area_of_interest(&self, place: &Place) -> bool {
        lies_in(place, self.area_of_interest)
    }

    /// The name index (for the geoparser's span matching).
    pub fn index(&self) -> &NameIndex {
        &self.index
    }

    /// The place and name a posting points to.
    pub fn resolve_posting(&self, posting: Posting) -> Option<(&Place, &super::Name)> {
        let place: &Place = self.places.get(posting.place as usize)?;
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
fn area_of_interest<'a>(places: impl Iterator<Item = &'a Place>) -> Option<[f64; 4]> {
    use super::PlaceKind;
    let curated = places.filter(|p| {
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

/// Does `place` lie in `area` (west, south, east, north; `None` holds
/// nothing)?
pub(super) fn lies_in(place: &Place, area: Option<[f64; 4]>) -> bool {
    area.is_some_and(|[west, south, east, north]| {
        (west..=east).contains(&place.lon()) && (south..=north).contains(&place.lat())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::{Name, NameKind, PlaceKind};

    fn town(id: &str, name: &str, lon: f64) -> Place {
        Place::new_point(id, name, PlaceKind::populated("PPL"), lon, 40.0)
    }

    /// What a user sees of a gazetteer for a query: exact, autocomplete and
    /// fuzzy hits, as (place id, matched name).
    fn answers(gazetteer: &Gazetteer, text: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (autocomplete, fuzzy) in [(false, false), (true, false), (false, true)] {
            let mut query = SearchQuery::new(text);
            query.autocomplete = autocomplete;
            query.fuzzy = fuzzy;
            for hit in gazetteer.search(&query) {
                out.push((hit.place.id.clone(), hit.name.text.clone()));
            }
        }
        out.sort();
        out.dedup();
        out
    }

    #[test]
    fn edited_places_are_found_as_a_rebuild_would_find_them() {
        let places = vec![
            town("t:1", "Stepanakert", 46.75),
            town("t:2", "Shusha", 46.75),
            town("t:3", "Stepnoye", 40.0),
        ];
        let original = Gazetteer::from_places(places.clone()).unwrap();

        // rename t:1 (keeping its old name as historic), add a name to t:2, add t:4
        let mut renamed = places[0].clone();
        renamed.names[0].kind = NameKind::Historic;
        renamed.add_name(Name::new("Khankendi", NameKind::Official));
        let mut shusha = places[1].clone();
        shusha.names.retain(|n| n.text != "Shusha");
        shusha.add_name(Name::new("Shushi", NameKind::Alternate));
        let added = town("t:4", "Khankendi Road Junction", 46.7);
        let changes = vec![
            ("t:1".to_string(), Some(renamed.clone())),
            ("t:2".to_string(), Some(shusha.clone())),
            ("t:4".to_string(), Some(added.clone())),
        ];
        let patched = original.with_changes(changes).unwrap();
        let rebuilt = Gazetteer::from_places(vec![renamed, shusha, places[2].clone(), added]).unwrap();

        for text in [
            "Khankendi",
            "Khank",
            "Khankendy",
            "Stepanakert",
            "Step",
            "Shusha",
            "Shushi",
            "Khankendi Road",
        ] {
            assert_eq!(answers(&patched, text), answers(&rebuilt, text), "{text}");
        }
        assert!(patched.index().exact("shusha").is_empty(), "a removed name is gone");
        assert!(patched.index().has_longer_name("khankendi road"));
        assert_eq!(
            patched.get("t:4").map(|p| p.primary_name()),
            Some("Khankendi Road Junction")
        );
    }

    #[test]
    fn routes_are_the_route_places_before_and_after_an_edit() {
        let road = |id: &str| Place::new_point(id, "Old Road", PlaceKind::Road, 46.7, 39.8);
        let original = Gazetteer::from_places(vec![town("t:1", "Shusha", 46.75), road("r:1")]).unwrap();
        let ids = |g: &Gazetteer| g.routes().map(|p| p.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&original), ["r:1"]);
        // a new road is a route; a road edited into a town no longer is
        let patched = original
            .with_changes(vec![
                ("r:2".to_string(), Some(road("r:2"))),
                ("r:1".to_string(), Some(town("r:1", "Old Road", 46.7))),
            ])
            .unwrap();
        assert_eq!(ids(&patched), ["r:2"]);
        // a removal rebuilds the gazetteer, routes with it
        let removed = patched.with_changes(vec![("r:2".to_string(), None)]).unwrap();
        assert!(ids(&removed).is_empty());
    }

    #[test]
    fn place_traits_follow_an_edit_and_the_area_it_moves() {
        let road = Place::new_point("r:1", "Lachin road", PlaceKind::Road, 46.5, 39.6);
        let original =
            Gazetteer::from_places(vec![town("t:1", "Shusha", 46.75), road, town("t:2", "Far", 60.0)]).unwrap();
        let (shusha, far) = (0, 2);
        assert!(original.traits_of(shusha).any(PlaceTraits::IN_AREA_OF_INTEREST));
        assert!(!original.traits_of(far).any(PlaceTraits::IN_AREA_OF_INTEREST));
        assert!(!original.traits_of(shusha).any(PlaceTraits::POPULATION_100K));
        assert_eq!(original.traits_of(99), PlaceTraits::NONE, "no such place");

        // Shusha grows; a curated road far east widens the area of interest
        let mut grown = town("t:1", "Shusha", 46.75);
        grown.population = 120_000;
        let far_road = Place::new_point("r:2", "Far road", PlaceKind::Road, 60.5, 40.2);
        let edited = original
            .with_changes(vec![("t:1".into(), Some(grown)), ("r:2".into(), Some(far_road))])
            .unwrap();
        assert!(edited.traits_of(shusha).any(PlaceTraits::POPULATION_100K));
        assert!(edited.traits_of(far).any(PlaceTraits::IN_AREA_OF_INTEREST));
        assert!(
            !original.traits_of(shusha).any(PlaceTraits::POPULATION_100K),
            "the old one is unchanged"
        );
    }
}
