//! The candidates of a span: the places its name may mean, each with a
//! prior from the place alone (importance, how the name matched, the kind
//! the text's cue words ask for), and what resolution remembers of them
//! across the chunks of one text.

use std::sync::Arc;

use compact_str::CompactString;
use foldhash::{HashMap, HashMapExt};
use geo::Point;

use super::lexicon::KindCue;
use super::recognize::Span;
use crate::gazetteer::index::Posting;
use crate::gazetteer::search::names_a_division;
use crate::gazetteer::summary::PlaceSummary;
use crate::gazetteer::{Gazetteer, Place, PlaceKind, PlaceStatus, PlaceTraits};

/// Most candidates kept per span.
const MAX_CANDIDATES: usize = 30;
/// Softmax temperature turning scores into confidences.
const TEMPERATURE: f64 = 0.08;
/// How much a candidate's own importance (kind, population) counts.
const IMPORTANCE_WEIGHT: f64 = 0.4;
/// A name the place's authority uses now beats an alternate one: "Liverpool"
/// is the English city, not a town that once bore the name.
const OFFICIAL_NAME_BONUS: f64 = 0.3;

/// A candidate place of a span, with its prior, its score in context and
/// the confidence the scores give it.
#[derive(Clone)]
pub(super) struct Scored {
    pub(super) place: u32,
    /// The place's country and first-level division as [`RegionIds`]
    /// numbers ([`NO_REGION`] when it has none).
    pub(super) country: u32,
    pub(super) division: u32,
    pub(super) prior: f64,
    pub(super) score: f64,
    pub(super) probability: f64,
    /// The only candidate of its mention, a minor place that nothing else
    /// in the document supports (see `resolve`).
    pub(super) far_from_rest: bool,
    /// A town named like the natural feature the text names ("the Aras
    /// river"), far from the text's other places: it does not stand for
    /// the feature, and the mention stays unresolved.
    pub(super) namesake_of_feature: bool,
    /// What the division the text puts the mention in says of the place
    /// ("Gizilhajili in the Gazakh district"): `Some(true)` it lies there,
    /// `Some(false)` no candidate does and the mention stays unresolved.
    pub(super) in_named_division: Option<bool>,
    /// What resolution needs to know of the place itself.
    pub(super) facts: PlaceFacts,
}

/// What resolution asks of a candidate place, copied from the place when
/// its candidates are first computed. Resolution scores every candidate
/// in several rounds; with these beside the score it never goes back to
/// the place records, which lie scattered over a large gazetteer's memory.
#[derive(Clone, Copy)]
pub(super) struct PlaceFacts {
    /// Representative point, lon/lat.
    pub(super) point: Point<f64>,
    /// Uncertainty radius of the point, in metres.
    pub(super) radius_m: f64,
    pub(super) is_country: bool,
    pub(super) is_area: bool,
    pub(super) is_settlement: bool,
    /// Known in its own right, so a lone mention of it needs no support
    /// from the rest of the text: a city of 100,000 people or more, an
    /// area, or a place in the gazetteer's area of interest.
    pub(super) major: bool,
}

impl PlaceFacts {
    fn of(place: &Place, traits: PlaceTraits) -> Self {
        PlaceFacts {
            point: place.point,
            radius_m: place.radius_m,
            is_country: traits.any(PlaceTraits::COUNTRY),
            is_area: traits.any(PlaceTraits::AREA),
            is_settlement: traits.any(PlaceTraits::SETTLEMENT),
            major: traits.any(
                PlaceTraits::POPULATION_100K
                    .or(PlaceTraits::AREA)
                    .or(PlaceTraits::IN_AREA_OF_INTEREST),
            ),
        }
    }
}

/// No country or division.
pub(super) use crate::gazetteer::NO_REGION;

/// Numbers for the countries and first-level divisions of one text's
/// candidates, from 0 in the order they come, so that coherence can keep
/// their weights in short vectors indexed by number. Given from the
/// gazetteer's own numbers ([`Gazetteer::regions_of`]), which run to
/// thousands: an integer probe each, with no look at the places' code
/// strings, which lie apart from the places in memory.
#[derive(Default)]
pub(super) struct RegionIds {
    countries: HashMap<u32, u32>,
    divisions: HashMap<u32, u32>,
}

impl RegionIds {
    /// The numbers of place number `place`'s country and division.
    pub(super) fn of(&mut self, place: u32, gazetteer: &Gazetteer) -> (u32, u32) {
        let (country, division) = gazetteer.regions_of(place);
        let dense = |numbers: &mut HashMap<u32, u32>, region: u32| {
            if region == NO_REGION {
                return NO_REGION;
            }
            let next = numbers.len() as u32;
            *numbers.entry(region).or_insert(next)
        };
        (
            dense(&mut self.countries, country),
            dense(&mut self.divisions, division),
        )
    }
}

/// "the Araks river", "the Murovdag mountains": the GeoNames feature class
/// a word after the name says the place is (water for a river, relief for
/// a mountain). Not heights and hills: the gazetteer rarely lists them, and
/// the village the height is named after is the best place the text can mean.
fn feature_classes(feature_word: Option<&str>) -> Option<&'static [char]> {
    match feature_word? {
        "river" | "rivers" | "lake" | "lakes" | "reservoir" | "basin" => Some(&['H']),
        "mount" | "mountains" | "mountain" | "ridge" | "pass" => Some(&['T']),
        // "the Araks valley" is the river's: a valley is named after its
        // river as often as it is a relief feature of its own
        "gorge" | "valley" => Some(&['T', 'H']),
        _ => None,
    }
}

/// A river, lake or mountain: what "the village of X" or "X village" never
/// means, though villages are often named after them ("Vorotan village").
pub(super) fn is_natural_feature(kind: &PlaceKind) -> bool {
    is_of_class(kind, 'H') || is_of_class(kind, 'T')
}

fn is_of_class(kind: &PlaceKind, wanted: char) -> bool {
    matches!(kind, PlaceKind::GeoNames { class, .. } if *class == wanted)
}

fn cue_bonus(cue: Option<KindCue>, kind: &PlaceKind) -> f64 {
    match cue {
        Some(KindCue::Settlement) if kind.is_settlement() => 0.25,
        // a country has borders and regions too ("Georgia, which borders
        // Azerbaijan" is the country, not the US state)
        Some(KindCue::Division) if kind.is_admin_division() || *kind == PlaceKind::Region || kind.is_country() => 0.25,
        Some(KindCue::Route) if kind.is_route() => 0.4,
        Some(KindCue::Checkpoint) if *kind == PlaceKind::Checkpoint => 0.3,
        Some(KindCue::Settlement) if kind.is_area() => -0.1,
        _ => 0.0,
    }
}

/// The prior of each candidate place of a span written `surface`, best first.
fn candidates(span: &Span, surface: &str, gazetteer: &Gazetteer, regions: &mut RegionIds) -> Vec<Scored> {
    // (place, prior): a place reached by several of its names keeps its best
    let mut by_place: Vec<(u32, f64)> = Vec::with_capacity(span.postings.len());
    // whether the seat of division number `division` is among the
    // candidates ("Agdam": the town Aghdam, seat of the Agdam district);
    // the same region numbers are the same country and division codes
    let seat_among_candidates = |division: u32| {
        let regions = gazetteer.regions_of(division);
        span.postings.iter().any(|p| {
            gazetteer.regions_of(p.place) == regions
                && gazetteer
                    .resolve_posting(*p)
                    .is_some_and(|(place, _)| place.kind.is_division_seat())
        })
    };
    // when the text says what kind of feature it names and the gazetteer
    // has one of that kind by the name, the towns of the name are not meant
    let is_wanted = |kind: &PlaceKind, wanted: &[char]| wanted.iter().any(|&class| is_of_class(kind, class));
    let wanted_class =
        feature_classes(span.reasons.iter().find_map(|r| r.strip_prefix("natural_feature:"))).filter(|&wanted| {
            span.postings.iter().any(|p| {
                gazetteer
                    .resolve_posting(*p)
                    .is_some_and(|(place, _)| is_wanted(&place.kind, wanted))
            })
        });
    // a common name's places lie scattered over a large gazetteer: their
    // fetches from memory overlap when all are asked for before any is
    // read, the records first, then the names, which the records point to
    if span.postings.len() > 1 {
        for posting in &span.postings {
            gazetteer.prefetch_posting(*posting);
        }
        for posting in &span.postings {
            gazetteer.prefetch_posting_name(*posting);
        }
    }
    for posting in &span.postings {
        let Some((place, name)) = gazetteer.resolve_posting(*posting) else {
            continue;
        };
        if place.status != PlaceStatus::Current
            || wanted_class.is_some_and(|wanted| !is_wanted(&place.kind, wanted))
            || (span.cue == Some(KindCue::Settlement) && is_natural_feature(&place.kind))
        {
            continue;
        }
        let mut importance = gazetteer.importance_of(posting.place);
        let bare_division = place.kind.is_admin_division() && !names_a_division(&name.text);
        if bare_division {
            importance *= 0.6;
        }
        // the area the gazetteer was curated for is where its users' texts are
        let in_focus = gazetteer.in_area_of_interest(place);
        // there, a district called by its bare name ("Agdam", not "Agdam
        // district") is its seat of that name: the official name of an
        // Azerbaijani rayon is its town's, which news means ("Syunik", whose
        // seat is Kapan, stays the province)
        let seat_named_alike = bare_division && in_focus && span.cue.is_none() && seat_among_candidates(posting.place);
        let quality = if posting.generated { 0.9 } else { 1.0 }
            + if name.text == surface { 0.05 } else { 0.0 }
            + if name.kind == crate::gazetteer::NameKind::Official && !seat_named_alike {
                OFFICIAL_NAME_BONUS
            } else {
                0.0
            };
        let prior = IMPORTANCE_WEIGHT * importance
            + 0.3 * quality
            + cue_bonus(span.cue, &place.kind)
            + if in_focus { 0.06 } else { 0.0 };
        by_place.push((posting.place, prior));
    }
    by_place.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
    by_place.dedup_by_key(|(place, _)| *place);
    by_place.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    by_place.truncate(MAX_CANDIDATES);
    let mut scored: Vec<Scored> = by_place
        .into_iter()
        .map(|(place, prior)| {
            let record = &gazetteer.places()[place as usize];
            let (country, division) = regions.of(place, gazetteer);
            Scored {
                place,
                country,
                division,
                prior,
                score: prior,
                probability: 0.0,
                far_from_rest: false,
                namesake_of_feature: false,
                in_named_division: None,
                facts: PlaceFacts::of(record, gazetteer.traits_of(place)),
            }
        })
        .collect();
    softmax(&mut scored);
    scored
}

/// Turns scores into confidences that sum to 1, and sorts best first.
pub(super) fn softmax(scored: &mut [Scored]) {
    let Some(max) = scored.iter().map(|s| s.score).max_by(f64::total_cmp) else {
        return;
    };
    // each exponential once, kept in `probability` until the total is known
    let mut total = 0.0;
    for s in scored.iter_mut() {
        s.probability = ((s.score - max) / TEMPERATURE).exp();
        total += s.probability;
    }
    for s in scored.iter_mut() {
        s.probability /= total;
    }
    scored.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.place.cmp(&b.place)));
}

/// What resolution remembers across the chunks of one text: the numbers
/// given to countries and divisions, and each way of naming a place seen so
/// far with its candidates and priors. A long text names the same places
/// again and again, and a name's candidates do not depend on the text
/// around it, only on its words, postings and cue.
pub(super) struct CandidateMemory {
    /// Surface text → (cue, postings, candidates) of each way it was named;
    /// a surface up to 24 bytes sits in the table, not in an allocation of
    /// its own that every probe would have to fetch.
    known: HashMap<CompactString, Vec<Remembered>>,
    /// Numbers of the regions of every candidate so far.
    pub(super) regions: RegionIds,
    remembered: usize,
    /// Summary of each place a mention was resolved to, shared by all the
    /// mentions of the place: a text names its places again and again, and
    /// a summary is half a dozen strings to copy.
    summaries: HashMap<u32, Arc<PlaceSummary>>,
}

/// One remembered way of naming places.
struct Remembered {
    cue: Option<KindCue>,
    postings: Box<[Posting]>,
    candidates: Vec<Scored>,
}

/// Most names remembered; past it the memory starts again, so a text of
/// endless distinct names cannot grow it without bound.
const MAX_REMEMBERED: usize = 1 << 16;

impl CandidateMemory {
    /// An empty memory.
    pub(super) fn new() -> Self {
        Self::with_capacity(64)
    }

    /// An empty memory with room for about `names` names.
    pub(super) fn with_capacity(names: usize) -> Self {
        CandidateMemory {
            known: HashMap::with_capacity(names),
            regions: RegionIds::default(),
            remembered: 0,
            summaries: HashMap::with_capacity(names),
        }
    }

    /// The summary of place number `place` of `gazetteer`.
    pub(super) fn summary_of(&mut self, place: u32, gazetteer: &Gazetteer) -> Option<Arc<PlaceSummary>> {
        if let Some(summary) = self.summaries.get(&place) {
            return Some(Arc::clone(summary));
        }
        if self.summaries.len() >= MAX_REMEMBERED {
            self.summaries.clear();
        }
        let summary = Arc::new(PlaceSummary::of(gazetteer.places().get(place as usize)?));
        self.summaries.insert(place, Arc::clone(&summary));
        Some(summary)
    }

    /// The candidates of `span`, written `surface`, best first: computed
    /// the first time this surface, cue and postings come, then recalled.
    pub(super) fn candidates_of(&mut self, span: &Span, surface: &str, gazetteer: &Gazetteer) -> Vec<Scored> {
        let same = |r: &Remembered| r.cue == span.cue && *r.postings == *span.postings;
        if let Some(hit) = self.known.get(surface).and_then(|list| list.iter().find(|r| same(r))) {
            return hit.candidates.clone();
        }
        if self.remembered >= MAX_REMEMBERED {
            // region numbers stay: candidates already handed out use them
            self.known.clear();
            self.remembered = 0;
        }
        let computed = candidates(span, surface, gazetteer, &mut self.regions);
        self.known
            .entry(CompactString::new(surface))
            .or_default()
            .push(Remembered {
                cue: span.cue,
                postings: span.postings.clone().into_boxed_slice(),
                candidates: computed.clone(),
            });
        self.remembered += 1;
        computed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::{Gazetteer, Place, PlaceKind};

    fn span_of(gazetteer: &Gazetteer, key: &str, cue: Option<KindCue>) -> Span {
        Span {
            first: 0,
            last: 0,
            postings: gazetteer.index().exact(key).to_vec(),
            cue,
            reasons: Vec::new(),
            parts: Vec::new(),
            compound_route: false,
            trailing_stop: false,
        }
    }

    #[test]
    fn a_name_is_remembered_with_its_cue_and_its_candidates_follow_the_cue() {
        let gazetteer = Gazetteer::from_places(vec![
            Place::new_point("t:town", "Lachin", PlaceKind::populated("PPL"), 46.55, 39.64),
            Place::new_point("t:corridor", "Lachin", PlaceKind::Corridor, 46.45, 39.6),
        ])
        .expect("a valid gazetteer");
        let mut memory = CandidateMemory::new();
        let plain = span_of(&gazetteer, "lachin", None);
        let first = memory.candidates_of(&plain, "Lachin", &gazetteer);
        let again = memory.candidates_of(&plain, "Lachin", &gazetteer);
        assert_eq!(first.len(), 2);
        let ids = |list: &[Scored]| list.iter().map(|s| (s.place, s.prior.to_bits())).collect::<Vec<_>>();
        assert_eq!(ids(&first), ids(&again), "recalled as computed");
        assert_eq!(memory.remembered, 1, "the second time is recalled, not computed");

        // "the Lachin road": the same name with a route cue is another entry,
        // and the cue puts the corridor first
        let routed = span_of(&gazetteer, "lachin", Some(KindCue::Route));
        let by_route = memory.candidates_of(&routed, "Lachin", &gazetteer);
        assert_eq!(memory.remembered, 2);
        let corridor = gazetteer.places().iter().position(|p| p.id == "t:corridor");
        assert_eq!(by_route.first().map(|s| s.place as usize), corridor);
        let total: f64 = by_route.iter().map(|s| s.probability).sum();
        assert!((total - 1.0).abs() < 1e-9, "confidences sum to 1");
    }
}
