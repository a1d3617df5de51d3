//! Resolution: choosing, for each recognised span, the place it means.
//! Candidates are ranked by name match, importance and kind cues, then by
//! document coherence: places in one article cluster, so candidates in the
//! countries the article talks about and near its unambiguous places win.

use std::borrow::Cow;
use std::sync::Arc;

use compact_str::ToCompactString;

use foldhash::{HashMap, HashMapExt};

use geo::Point;

use super::candidates::{softmax, CandidateMemory, Scored, NO_REGION};
use super::lexicon::KindCue;
use super::mention::{Candidate, Mention, Reason, ResolvedPlace};
use super::place_list::separates_members;
use super::reason_tag::tagged;
use super::recognize::{is_route_word, Span};
use super::route::{derived_line, halfway_along, route_named_by, route_through, route_with_end};
use super::spelling_variant::{names_near_story, spelling_variant, StoryPlace, VariantMatch};
use super::tokenize::{CharOffsets, Gap, Token};
use super::unknown_name::{is_probe, SURNAME_LIKE_PROBE};
use crate::gazetteer::index::Posting;
use crate::gazetteer::normalize::normalize_key;
use crate::gazetteer::summary::{round6, PlaceSummary};
use crate::gazetteer::{haversine_m, Gazetteer};

/// Candidates listed in the output.
const LISTED_CANDIDATES: usize = 3;
/// Below this confidence a mention is reported unresolved (with candidates).
const MIN_CONFIDENCE: f64 = 0.05;
/// How much fitting the rest of the document counts against importance.
/// These weights and those of `Context` were fitted on the dev split (even
/// documents) of GeoWebNews and LGL and are reported on the test split.
const COHERENCE_WEIGHT: f64 = 1.0;
/// What the document's countries count for a place that shares its name
/// with a country (see `resolve`). Chosen on the dev split: 0.5 raised
/// GeoWebNews acc@161 from 0.861 to 0.870 and left LGL level (0.747).
const NAMESAKE_COUNTRY_SHARE: f64 = 0.5;
/// A mention whose only candidate is a minor place with less coherence than
/// this, in a document of four or more placed mentions, is kept but with a
/// low confidence, for an editor to check: "Tak" (Thailand) in a Karabakh
/// report is more likely part of a name the gazetteer lacks ("Karin Tak").
/// Checked on the dev split: no effect on GeoWebNews or LGL accuracy.
const LONE_PLACE_COHERENCE: f64 = 0.02;
/// The confidence such a mention gets.
const LONE_PLACE_CONFIDENCE: f64 = 0.3;
/// Below this coherence a town does not stand for the natural feature of
/// its name ("the Hakari river" near Lachin is not Hakkâri, Turkey, 330 km
/// away): neither the text's countries nor its divisions support the town,
/// and nearness alone puts it over 200 km from the text's places.
const FEATURE_NAMESAKE_COHERENCE: f64 = 0.05;
/// A story place must be resolved with this confidence to vouch for a
/// spelling variant near it.
const STORY_PLACE_CONFIDENCE: f64 = 0.5;
/// Most distinct places used as anchors of a document (or chunk).
const MAX_ANCHORS: usize = 200;

/// The words of a span as written, joined by single spaces.
fn surface_of<'t>(span: &Span, tokens: &[Token<'t>]) -> Cow<'t, str> {
    if span.first == span.last {
        Cow::Borrowed(tokens[span.first].text)
    } else {
        Cow::Owned(
            tokens[span.first..=span.last]
                .iter()
                .map(|t| t.text)
                .collect::<Vec<_>>()
                .join(" "),
        )
    }
}

/// Spans that name places the same way: the same words, cue and postings.
/// Such spans get the same candidates and, as coherence leaves out only a
/// span's own share, the same scores; each group is therefore scored once
/// and counted as many times as it has members. News repeats its places:
/// a GeoWebNews chunk names each about twice.
struct SpanGroups<'s, 't> {
    /// Per span (in the order given): its group.
    group_of: Vec<usize>,
    /// Per group: one of its spans and its surface text.
    first: Vec<(&'s Span, Cow<'t, str>)>,
    /// Per group: how many spans it has.
    members: Vec<u32>,
}

/// What spans of one group share: cue, surface text and postings.
type GroupKey<'s, 't> = (Option<KindCue>, Cow<'t, str>, &'s [Posting]);

impl<'s, 't> SpanGroups<'s, 't> {
    fn of(spans: &[&'s Span], tokens: &[Token<'t>]) -> Self {
        let mut groups = SpanGroups {
            group_of: Vec::with_capacity(spans.len()),
            first: Vec::new(),
            members: Vec::new(),
        };
        let mut known: HashMap<GroupKey<'s, 't>, usize> = HashMap::with_capacity(spans.len());
        for span in spans {
            let key = (span.cue, surface_of(span, tokens), span.postings.as_slice());
            let next = groups.first.len();
            let group = *known.entry(key).or_insert_with_key(|(_, surface, _)| {
                groups.first.push((span, surface.clone()));
                groups.members.push(0);
                next
            });
            groups.members[group] += 1;
            groups.group_of.push(group);
        }
        groups
    }
}

/// What the document as a whole says: how much weight each country and
/// each first-level division gets, and the points of places the document
/// names unambiguously. Each span's own candidates are left out when it is
/// scored, so a famous namesake cannot vote for itself.
#[derive(Default)]
struct Context {
    /// Weight by [`RegionIds`](super::candidates::RegionIds) number.
    country_weight: RegionWeights,
    division_weight: RegionWeights,
    /// One span's own share of each country and division, group after
    /// group: group `g`'s are `own[own_from[g]..own_from[g + 1]]`.
    own: Vec<(u32, u32, f64)>,
    own_from: Vec<usize>,
    spans_counted: f64,
    anchors: Vec<Anchor>,
    /// Where each place's anchor is in `anchors`: one anchor per place,
    /// however often the text repeats its name.
    anchor_of_place: HashMap<u32, usize>,
    /// The anchors' coordinates and weights, column by column, for the
    /// innermost loop.
    points: AnchorPoints,
    /// Per place: its nearness and the anchor that gave it.
    nearest_cache: std::cell::RefCell<HashMap<u32, (f64, Option<usize>)>>,
    /// Reused buffer of one candidate's inverse closeness to every anchor.
    closeness: std::cell::RefCell<Vec<f32>>,
}

/// The anchors as columns: the closeness of a point to all of them is then
/// one loop the compiler vectorises (it runs for candidates x anchors). In
/// single precision, which holds a degree to about a metre, so one
/// instruction takes twice the anchors.
#[derive(Default)]
struct AnchorPoints {
    lon: Vec<f32>,
    lat: Vec<f32>,
    cos_lat: Vec<f32>,
    /// `1 / weight`: the loop then needs no division.
    inverse_weight: Vec<f32>,
}

impl AnchorPoints {
    /// Makes these the columns of `anchors`.
    fn fill(&mut self, anchors: &[Anchor]) {
        self.lon.clear();
        self.lon.extend(anchors.iter().map(|a| a.lon as f32));
        self.lat.clear();
        self.lat.extend(anchors.iter().map(|a| a.lat as f32));
        self.cos_lat.clear();
        self.cos_lat.extend(anchors.iter().map(|a| a.cos_lat as f32));
        self.inverse_weight.clear();
        self.inverse_weight
            .extend(anchors.iter().map(|a| 1.0 / a.weight as f32));
    }

    /// The inverse of each anchor's closeness to `point` (its weight
    /// divided by `1 + distance / 50 km`) into `out`: the closest anchor
    /// has the least. Inverse, so that the loop (run for candidates x
    /// anchors) takes a square root but no division.
    /// Distances by the equirectangular approximation: within 0.5% of the
    /// great-circle distance at the ranges where nearness matters (tens of
    /// km), without the trigonometry of haversine. Returns the least of
    /// them and where it first is (see [`least_and_where`]).
    fn least_inverse_closeness(&self, point: Point<f64>, out: &mut Vec<f32>) -> (f32, Option<usize>) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx") {
            // SAFETY: the processor has AVX, as just checked.
            return unsafe { self.least_inverse_closeness_with_avx(point, out) };
        }
        self.inverse_closeness_in(point, out);
        least_and_where(out)
    }

    /// [`AnchorPoints::least_inverse_closeness`] eight lanes at a time,
    /// where the baseline x86-64 target has four. No fused multiply-add:
    /// the values are the same, bit for bit, as the four-lane loop's.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx")]
    fn least_inverse_closeness_with_avx(&self, point: Point<f64>, out: &mut Vec<f32>) -> (f32, Option<usize>) {
        self.inverse_closeness_in(point, out);
        least_and_where(out)
    }

    /// The loop of [`AnchorPoints::least_inverse_closeness`], compiled
    /// into each of its versions.
    #[inline(always)]
    fn inverse_closeness_in(&self, point: Point<f64>, out: &mut Vec<f32>) {
        /// Metres per degree of latitude, over 50 km.
        const FIFTIETH_KM_PER_DEGREE: f32 = 111_195.0 / 50_000.0;
        let (x, y) = (point.x() as f32, point.y() as f32);
        out.clear();
        out.extend(
            self.lon
                .iter()
                .zip(&self.lat)
                .zip(&self.cos_lat)
                .zip(&self.inverse_weight)
                .map(|(((&lon, &lat), &cos_lat), &inverse_weight)| {
                    let dlon = (x - lon).abs();
                    let dlon = if dlon > 180.0 { 360.0 - dlon } else { dlon };
                    let dx = dlon * cos_lat;
                    let dy = y - lat;
                    (1.0 + (dx * dx + dy * dy).sqrt() * FIFTIETH_KM_PER_DEGREE) * inverse_weight
                }),
        );
    }
}

/// The least of `values` and where it first is. Eight running minima,
/// one per lane, which the compiler keeps in vector registers: a single
/// running minimum is a chain of dependent comparisons it may not reorder.
#[inline(always)]
fn least_and_where(values: &[f32]) -> (f32, Option<usize>) {
    const LANES: usize = 8;
    let mut lanes = [f32::INFINITY; LANES];
    let blocks = values.chunks_exact(LANES);
    let mut least = blocks
        .remainder()
        .iter()
        .fold(f32::INFINITY, |least, &v| if v < least { v } else { least });
    for block in blocks {
        for (lane, &v) in lanes.iter_mut().zip(block) {
            *lane = if v < *lane { v } else { *lane };
        }
    }
    for lane in lanes {
        least = if lane < least { lane } else { least };
    }
    // the block that holds it, tested whole, then the place in the block
    let at = values
        .chunks(LANES)
        .position(|block| block.iter().fold(false, |found, &v| found | (v == least)))
        .and_then(|b| {
            let block = &values[b * LANES..];
            block.iter().position(|&v| v == least).map(|i| b * LANES + i)
        });
    (least, at)
}

/// A place the document names unambiguously, with what the fast distance
/// below needs precomputed.
struct Anchor {
    /// The first group of spans that names it (see [`SpanGroups`]), and how
    /// many spans do: a place named only by the span being scored does not
    /// support that span.
    group_ix: usize,
    spans: u32,
    lon: f64,
    lat: f64,
    cos_lat: f64,
    weight: f64,
}

/// Weights of the parts of coherence: the document's countries, its
/// first-level divisions, and nearness to its unambiguous places. Fitted on
/// the dev split (even documents) of GeoWebNews and LGL.
const COUNTRY_WEIGHT: f64 = 0.45;
const DIVISION_WEIGHT: f64 = 0.3;
const NEARNESS_WEIGHT: f64 = 0.25;

/// The weight of each region, by its [`RegionIds`](super::candidates::RegionIds)
/// number: the numbers are given in order from 0, so a vector indexed by
/// them answers without hashing, in the loop over every candidate. The
/// vector is as long as the largest number a chunk's candidates carry (a
/// kept geoparser's numbers run over every region it has seen, a few
/// thousand at most), made once per chunk; between the chunk's rounds it is
/// not zeroed to be emptied: each entry carries the round it was written
/// in, and one of an earlier round reads as 0.
#[derive(Default)]
struct RegionWeights {
    /// (round written in, weight) by region number.
    by_number: Vec<(u32, f64)>,
    round: u32,
}

impl RegionWeights {
    fn clear(&mut self) {
        self.round = self.round.wrapping_add(1);
        if self.round == 0 {
            // after four billion rounds, the oldest entries would read as
            // current: start again from zeros
            self.by_number.clear();
            self.round = 1;
        }
    }

    fn add(&mut self, region: u32, weight: f64) {
        let at = region as usize;
        if at >= self.by_number.len() {
            self.by_number.resize(at + 1, (0, 0.0));
        }
        let entry = &mut self.by_number[at];
        if entry.0 != self.round {
            *entry = (self.round, 0.0);
        }
        entry.1 += weight;
    }

    fn get(&self, region: u32) -> f64 {
        match self.by_number.get(region as usize) {
            Some(&(round, weight)) if round == self.round => weight,
            _ => 0.0,
        }
    }
}

impl Context {
    /// Makes this the context of spans grouped as [`SpanGroups`]: `all`
    /// holds each group's candidates, `members` how many spans each group
    /// has. The rounds of one chunk reuse one context's memory.
    fn rebuild(&mut self, all: &[Vec<Scored>], members: &[u32]) {
        self.country_weight.clear();
        self.division_weight.clear();
        self.own.clear();
        self.own_from.clear();
        self.anchors.clear();
        self.anchor_of_place.clear();
        self.nearest_cache.get_mut().clear();
        let mut spans_counted = 0.0;
        for ((group_ix, scored), &count) in all.iter().enumerate().zip(members) {
            self.own_from.push(self.own.len());
            for s in scored.iter().take(5) {
                if s.country != NO_REGION {
                    self.country_weight.add(s.country, f64::from(count) * s.probability);
                    if s.division != NO_REGION && !s.facts.is_country {
                        self.division_weight.add(s.division, f64::from(count) * s.probability);
                    }
                    self.own.push((s.country, s.division, s.probability));
                }
                if s.probability > 0.6 && !s.facts.is_country && s.facts.radius_m < 100_000.0 {
                    match self.anchor_of_place.get(&s.place) {
                        Some(&at) => {
                            let anchor = &mut self.anchors[at];
                            anchor.spans += count;
                            anchor.weight = anchor.weight.max(s.probability);
                        }
                        None if self.anchors.len() < MAX_ANCHORS => {
                            self.anchor_of_place.insert(s.place, self.anchors.len());
                            self.anchors.push(Anchor {
                                group_ix,
                                spans: count,
                                lon: s.facts.point.x(),
                                lat: s.facts.point.y(),
                                cos_lat: s.facts.point.y().to_radians().cos(),
                                weight: s.probability,
                            });
                        }
                        None => {}
                    }
                }
            }
            if !scored.is_empty() {
                spans_counted += f64::from(count);
            }
        }
        self.spans_counted = spans_counted;
        self.points.fill(&self.anchors);
    }

    /// Closeness of a candidate to the document's anchors (other than its
    /// own span's), in `[0, 1]`. A text repeats its places' names, so the
    /// best anchor of each place is remembered and reused unless it is the
    /// span's own.
    fn nearness(&self, group_ix: usize, place_ix: u32, point: Point<f64>) -> f64 {
        let supports = |anchor: &Anchor| anchor.spans > 1 || anchor.group_ix != group_ix;
        if let Some(&(value, best)) = self.nearest_cache.borrow().get(&place_ix) {
            if best.is_none_or(|b| supports(&self.anchors[b])) {
                return value;
            }
        }
        let mut inverse = self.closeness.borrow_mut();
        // the best anchor of all (what the cache keeps) and the best one
        // this span may use
        let (least, least_at) = self.points.least_inverse_closeness(point, &mut inverse);
        let best = 1.0 / least;
        let best_at = least_at.filter(|_| best > 0.0);
        let best_all = (f64::from(best), best_at);
        let best_allowed = match best_at {
            Some(at) if !supports(&self.anchors[at]) => {
                1.0 / self
                    .anchors
                    .iter()
                    .zip(inverse.iter())
                    .filter(|(anchor, _)| supports(anchor))
                    .fold(f32::INFINITY, |least, (_, &c)| if c < least { c } else { least })
            }
            _ => best,
        };
        self.nearest_cache.borrow_mut().insert(place_ix, best_all);
        f64::from(best_allowed)
    }

    /// How well a candidate fits the rest of the document, in `[0, 1]`.
    fn coherence(&self, group_ix: usize, candidate: &Scored, country_share: f64) -> f64 {
        let others = (self.spans_counted - 1.0).max(1.0);
        let own = match (self.own_from.get(group_ix), self.own_from.get(group_ix + 1)) {
            (Some(&from), Some(&to)) => &self.own[from..to],
            (Some(&from), None) => &self.own[from..],
            _ => &[],
        };
        let country = share_of_others(
            &self.country_weight,
            candidate.country,
            own.iter().map(|o| (o.0, o.2)),
            others,
        );
        let division = if candidate.facts.is_country {
            0.0
        } else {
            share_of_others(
                &self.division_weight,
                candidate.division,
                own.iter().map(|o| (o.1, o.2)),
                others,
            )
        };
        let nearest = self.nearness(group_ix, candidate.place, candidate.facts.point);
        COUNTRY_WEIGHT * country_share * country.min(1.0)
            + DIVISION_WEIGHT * division.min(1.0)
            + NEARNESS_WEIGHT * nearest
    }
}

/// The weight the other spans give region `id` (its total less the scored
/// span's own shares, `own` as (region, weight)), per other span; 0 for no
/// region.
fn share_of_others(weights: &RegionWeights, id: u32, own: impl Iterator<Item = (u32, f64)>, others: f64) -> f64 {
    if id == NO_REGION {
        return 0.0;
    }
    let own_share: f64 = own.filter(|(region, _)| *region == id).map(|(_, w)| w).sum();
    (weights.get(id) - own_share).max(0.0) / others
}

/// Resolves spans to mentions. `base` (bytes, code points) shifts offsets
/// when the tokens come from a chunk of a longer text; `memory` carries
/// what was learnt of names in the text's earlier chunks.
pub fn resolve(
    spans: &[Span],
    tokens: &[Token<'_>],
    text: &str,
    gazetteer: &Gazetteer,
    base: (usize, usize),
    memory: &mut CandidateMemory,
) -> Vec<Mention> {
    // Every span and every route part takes part in coherence.
    let flat: Vec<&Span> = spans
        .iter()
        .flat_map(|s| std::iter::once(s).chain(s.parts.iter()))
        .collect();
    let groups = SpanGroups::of(&flat, tokens);
    let mut scored: Vec<Vec<Scored>> = groups
        .first
        .iter()
        .map(|(span, surface)| memory.candidates_of(span, surface, gazetteer))
        .collect();
    let mut context = Context::default();
    for _round in 0..2 {
        context.rebuild(&scored, &groups.members);
        for (group_ix, list) in scored.iter_mut().enumerate() {
            // one candidate is certain whatever its score
            if list.len() < 2 {
                continue;
            }
            // "China" in an American article is still China, not China,
            // Maine: when a country bears the name, the article's country
            // alone does not make a namesake town; its division or nearby
            // places must
            let names_a_country = list.iter().any(|s| s.facts.is_country);
            for s in list.iter_mut() {
                let country_share = if names_a_country && !s.facts.is_area {
                    NAMESAKE_COUNTRY_SHARE
                } else {
                    1.0
                };
                s.score = s.prior + COHERENCE_WEIGHT * context.coherence(group_ix, s, country_share);
            }
            softmax(list);
        }
    }
    let surfaces: Vec<&str> = groups.first.iter().map(|(_, surface)| surface.as_ref()).collect();
    keep_list_members_apart(spans, &groups.group_of, &mut scored, &surfaces, tokens, text, gazetteer);
    flag_lone_places(&mut scored, &groups.members, &surfaces, gazetteer, &mut context);
    let features: Vec<Option<FeatureReach>> = groups
        .first
        .iter()
        .map(|(span, _)| {
            span.reasons
                .iter()
                .find_map(|r| r.strip_prefix("natural_feature:"))
                .map(FeatureReach::of_word)
        })
        .collect();
    unplace_far_feature_namesakes(&mut scored, &features, &groups.members, &mut context);
    place_inside_named_divisions(
        spans,
        &groups.group_of,
        &groups.members,
        &mut scored,
        tokens,
        text,
        gazetteer,
    );
    // a route word after a span may join its mention ("the Aghdam road")
    let route_word_end = |s: &Span| {
        (s.cue == Some(KindCue::Route))
            .then(|| tokens.get(s.last + 1).map(Token::byte_end))
            .flatten()
    };
    let offsets = CharOffsets::new(
        text,
        flat.iter().flat_map(|s| {
            [tokens[s.first].byte_start(), s.byte_end(tokens)]
                .into_iter()
                .chain(route_word_end(s))
        }),
    );
    // `None` when the text names no settlement of the area of interest
    let variants = spelling_variants(&groups, &scored, gazetteer);
    let story_in_area = variants.is_some();
    let variants = variants.unwrap_or_default();
    let mut by_span: HashMap<*const Span, &[Scored]> = HashMap::with_capacity(flat.len());
    let mut variant_of: HashMap<*const Span, &VariantMatch> = HashMap::new();
    for (span, &group) in flat.iter().zip(&groups.group_of) {
        by_span.insert(*span as *const Span, &scored[group]);
        if let Some(Some(variant)) = variants.get(group) {
            variant_of.insert(*span as *const Span, variant);
        }
    }
    // room for every span's mention up front: a mention is large, and a
    // vector grown step by step would copy them all several times
    let mut mentions = Vec::with_capacity(spans.len());
    let at = ChunkOffsets { chars: &offsets, base };
    // a loop, not a chain of adapters: each adapter would move the large
    // mention on to the next
    for span in spans {
        let mut mention = build_mention(span, tokens, text, gazetteer, &at, &by_span, memory);
        if let Some(variant) = variant_of.get(&(span as *const Span)) {
            place_as_variant(&mut mention, variant, gazetteer);
        }
        let mention = road_named_by_its_end(mention, span, tokens, text, gazetteer, &at);
        let unplaced_with = |tag: &dyn Fn(&Reason) -> bool| mention.place.is_none() && mention.reason.iter().any(tag);
        // an unknown word after "in" is reported, unresolved, only in a
        // story among the area's villages, which the gazetteer may lack;
        // elsewhere it is more often a name of something else
        let stray_probe = !story_in_area && unplaced_with(&|r| is_probe(r));
        // a surname-shaped word no village's spelling explains is a person
        let surname = unplaced_with(&|r| r == SURNAME_LIKE_PROBE);
        if !stray_probe && !surname {
            mentions.push(mention);
        }
    }
    mentions
}

/// "Gizilhajili in the Gazakh district", "Lafayette, Indiana": a place the
/// text puts in a division it names right after is one of that division's
/// places. The candidates inside it go first; when there is none (the
/// gazetteer lacks the village and knows a namesake 140 km away) and the
/// text says "in", the mention stays unresolved rather than placed outside
/// the division the text gives. A comma inside a list ("Tartar, Aghdam
/// district and Barda") says nothing of the kind. `group_of` gives the group of every span and route part, in
/// the order of `spans` each followed by its parts.
fn place_inside_named_divisions(
    spans: &[Span],
    group_of: &[usize],
    members: &[u32],
    scored: &mut [Vec<Scored>],
    tokens: &[Token<'_>],
    text: &str,
    gazetteer: &Gazetteer,
) {
    let top_groups = top_level_groups(spans, group_of);
    for k in 0..spans.len().saturating_sub(1) {
        let (place, division) = (&spans[k], &spans[k + 1]);
        let (Some(place_group), Some(division_group)) = (top_groups[k], top_groups[k + 1]) else {
            continue;
        };
        if place_group == division_group || place.compound_route {
            continue;
        }
        let between = text.get(place.byte_end(tokens)..tokens[division.first].byte_start());
        let said_in = matches!(between, Some(" in " | " in the "));
        // "Mahmudlu of the Jabrayil district": "of" puts it there as "in" does
        let said_of = matches!(between, Some(" of " | " of the "));
        if !said_in && !said_of && between != Some(", ") {
            continue;
        }
        // "Tartar, Aghdam district and Barda" is a list, not Tartar in Aghdam
        let listed = |left: &Span, right: &Span| {
            separates_members(tokens, text, left.last, right.first)
                || separates_members(tokens, text, left.last + 1, right.first)
        };
        if !said_in
            && !said_of
            && (k.checked_sub(1).is_some_and(|before| listed(&spans[before], place))
                || spans.get(k + 2).is_some_and(|after| listed(division, after)))
        {
            continue;
        }
        let Some((named_place, country, division, probability, is_country)) = scored[division_group]
            .first()
            .map(|s| (s.place, s.country, s.division, s.probability, s.facts.is_country))
        else {
            continue;
        };
        let division_place = &gazetteer.places()[named_place as usize];
        // "the Ararat valley" is a landscape, not the province of its name
        let natural_feature = spans[k + 1].reasons.iter().any(|r| r.starts_with("natural_feature:"));
        if !division_place.kind.is_admin_division() || is_country || probability < 0.5 || natural_feature {
            continue;
        }
        // "the villages of Soltanli and Mahmudlu of the Jabrayil district":
        // what the division says of the last member it says of the whole list
        let mut members_from = k;
        while (said_in || said_of)
            && members_from > 0
            && !spans[members_from - 1].compound_route
            && listed(&spans[members_from - 1], &spans[members_from])
        {
            members_from -= 1;
        }
        let named = NamedDivision {
            country,
            division,
            place: division_place,
            said_in: said_in || said_of,
        };
        for member_group in &top_groups[members_from..=k] {
            if let Some(group) = member_group.filter(|&g| g != division_group) {
                named.place_list_inside(&mut scored[group], members.get(group) == Some(&1), gazetteer);
            }
        }
    }
}

/// The group of every top-level span (`group_of` lists each span's group
/// followed by its parts').
fn top_level_groups(spans: &[Span], group_of: &[usize]) -> Vec<Option<usize>> {
    let mut top_groups = Vec::with_capacity(spans.len());
    let mut at = 0;
    for span in spans {
        top_groups.push(group_of.get(at).copied());
        at += 1 + span.parts.len();
    }
    top_groups
}

/// "Refugees live in Masis and Hrazdan": two names listed side by side
/// are two places, though the gazetteer gives Masis "Hrazdan" as an old
/// name. When both would be one place, the member that names it by
/// another of its names takes its next candidate.
fn keep_list_members_apart(
    spans: &[Span],
    group_of: &[usize],
    scored: &mut [Vec<Scored>],
    surfaces: &[&str],
    tokens: &[Token<'_>],
    text: &str,
    gazetteer: &Gazetteer,
) {
    let top_groups = top_level_groups(spans, group_of);
    for k in 1..spans.len() {
        let (left, right) = (&spans[k - 1], &spans[k]);
        let (Some(a), Some(b)) = (top_groups[k - 1], top_groups[k]) else {
            continue;
        };
        if a == b
            || left.compound_route
            || right.compound_route
            || !separates_members(tokens, text, left.last, right.first)
        {
            continue;
        }
        let (Some(top_a), Some(top_b)) = (scored[a].first(), scored[b].first()) else {
            continue;
        };
        if top_a.place != top_b.place {
            continue;
        }
        let primary = normalize_key(gazetteer.places()[top_a.place as usize].primary_name());
        let by_primary = |group: usize| surfaces.get(group).is_some_and(|s| normalize_key(s) == primary);
        let other_name = match (by_primary(a), by_primary(b)) {
            (true, false) => b,
            (false, true) => a,
            _ => continue,
        };
        let shared = top_a.place;
        let list = &mut scored[other_name];
        if list.len() < 2 {
            continue;
        }
        for s in list.iter_mut().filter(|s| s.place == shared) {
            s.score -= OUTSIDE_NAMED_DIVISION_PENALTY;
        }
        softmax(list);
    }
}

/// A division the text puts a place in ("in the Gazakh district").
struct NamedDivision<'g> {
    country: u32,
    division: u32,
    place: &'g crate::gazetteer::Place,
    /// The text says "in" (or "of"), not just a comma.
    said_in: bool,
}

impl NamedDivision<'_> {
    /// Puts the candidates of one place inside the division first; when
    /// none is and `lone` (the text names the place once), and the text
    /// says "in", the top one is marked as outside it.
    fn place_list_inside(&self, list: &mut [Scored], lone: bool, gazetteer: &Gazetteer) {
        // towns only: "Lake Sevan in Gegharkunik province" and "the Hakari
        // river in the Lachin region" are features whose records name no division
        if list.first().is_none_or(|top| !top.facts.is_settlement) {
            return;
        }
        // a record that names no division ("Chartar", curated without
        // one) lies in it when it lies within the division's own reach
        let within_reach =
            |s: &Scored| haversine_m(s.facts.point, self.place.point) <= self.place.radius_m + s.facts.radius_m;
        // and a division GeoNames does not know ("the Aghdara district",
        // re-established in 2023) holds what lies within its reach, whatever
        // older division the record names ("Hasanriz", filed under Kalbajar)
        let inside = |s: &Scored| {
            s.country == self.country
                && ((self.division != NO_REGION && s.division == self.division)
                    || ((s.division == NO_REGION || self.division == NO_REGION) && within_reach(s)))
        };
        if list.iter().any(inside) {
            for s in list.iter_mut() {
                if inside(s) {
                    s.in_named_division = Some(true);
                } else {
                    s.score -= OUTSIDE_NAMED_DIVISION_PENALTY;
                }
            }
            softmax(list);
        } else if let Some(top) = list.first_mut().filter(|top| {
            // only "in" says for certain that the place lies there; a city
            // (a capital, a seat, 100,000 people) is the city even where the
            // text misplaces it or its division is its own ("Ganja in the
            // Goygol district"); a name the text repeats is judged on all
            // its mentions, not on one; and a record that names no division
            // in the division's country may lie in it, however far its
            // point is from the division's ("Verin Shorzha in Gegharkunik")
            let division_unknown = top.division == NO_REGION && top.country == self.country;
            self.said_in && lone && !division_unknown && !is_city(&gazetteer.places()[top.place as usize])
        }) {
            top.in_named_division = Some(false);
        }
    }
}

/// A capital, a seat of a division or a town of 100,000 people or more.
fn is_city(place: &crate::gazetteer::Place) -> bool {
    place.population >= 100_000 || place.kind.is_division_seat() || place.kind.is_capital()
}

/// What a candidate outside the division the text names loses: enough that
/// one inside always wins.
const OUTSIDE_NAMED_DIVISION_PENALTY: f64 = 3.0;

/// For each group of spans the gazetteer has no candidate for, the place
/// it is a spelling variant of, near the settlements of the area of
/// interest the text names with confidence (see [`spelling_variant`]).
/// `None` when the text names no such settlement; empty when nothing is
/// unknown.
fn spelling_variants(
    groups: &SpanGroups<'_, '_>,
    scored: &[Vec<Scored>],
    gazetteer: &Gazetteer,
) -> Option<Vec<Option<VariantMatch>>> {
    let unknown = |(span, _): &(&Span, Cow<'_, str>)| {
        span.postings.is_empty()
            && !span.compound_route
            && span.reasons.iter().any(|r| r == "not_in_gazetteer" || is_probe(r))
    };
    if !groups.first.iter().any(unknown) {
        return Some(Vec::new());
    }
    let story: Vec<StoryPlace> = scored
        .iter()
        .filter_map(|list| list.first())
        .filter(|top| top.probability >= STORY_PLACE_CONFIDENCE && top.facts.is_settlement)
        .filter(|top| gazetteer.in_area_of_interest(&gazetteer.places()[top.place as usize]))
        .map(|top| StoryPlace {
            place: top.place,
            point: top.facts.point,
        })
        .collect();
    if story.is_empty() {
        return None;
    }
    let mut initials: Vec<char> = groups
        .first
        .iter()
        .filter(|first| unknown(first))
        .filter_map(|(_, surface)| normalize_key(surface).chars().next())
        .collect();
    initials.sort_unstable();
    initials.dedup();
    let nearby = names_near_story(&story, &initials, gazetteer);
    let variants = groups
        .first
        .iter()
        .map(|first| {
            if unknown(first) && !nearby.is_empty() {
                spelling_variant(&first.1, &nearby)
            } else {
                None
            }
        })
        .collect();
    Some(variants)
}

/// Places an unknown mention at the place its spelling is a variant of.
fn place_as_variant(mention: &mut Mention, variant: &VariantMatch, gazetteer: &Gazetteer) {
    let places = gazetteer.places();
    let (Some(place), Some(near)) = (places.get(variant.place as usize), places.get(variant.near as usize)) else {
        return;
    };
    let confidence = variant.confidence();
    mention.place = Some(ResolvedPlace {
        summary: Arc::new(PlaceSummary::of(place)),
        derived: false,
    });
    mention.score = confidence;
    mention.candidates = vec![Candidate::of(place, confidence)];
    mention
        .reason
        .push(format!("spelling_variant_of:{}", variant.name).into());
    mention.reason.push(format!("edits:{}", variant.edits).into());
    mention.reason.push(
        format!(
            "near_story_place:{}:{}km",
            near.id,
            (variant.distance_m / 1000.0).round()
        )
        .into(),
    );
    mention.reason.push("low_confidence".into());
}

/// Lowers the confidence of mentions whose one candidate is a minor place
/// nothing else in the document supports (see [`LONE_PLACE_COHERENCE`]),
/// or a major one outside the area of interest that the text names only
/// by an alternate name (`surfaces`, each group's text): "Kut" among
/// Armenian villages is more likely a village the gazetteer lacks than
/// Al-Kut, Iraq.
fn flag_lone_places(
    scored: &mut [Vec<Scored>],
    members: &[u32],
    surfaces: &[&str],
    gazetteer: &Gazetteer,
    context: &mut Context,
) {
    let placed: u32 = scored
        .iter()
        .zip(members)
        .filter(|(list, _)| !list.is_empty())
        .map(|(_, &count)| count)
        .sum();
    if placed < 4 {
        return;
    }
    context.rebuild(scored, members);
    for (group_ix, list) in scored.iter_mut().enumerate() {
        let [only] = list.as_mut_slice() else { continue };
        let by_alternate_name = || {
            let place = &gazetteer.places()[only.place as usize];
            !gazetteer.in_area_of_interest(place)
                && surfaces
                    .get(group_ix)
                    .is_some_and(|surface| normalize_key(place.primary_name()) != normalize_key(surface))
        };
        if (!only.facts.major || by_alternate_name()) && context.coherence(group_ix, only, 1.0) < LONE_PLACE_COHERENCE {
            only.probability = only.probability.min(LONE_PLACE_CONFIDENCE);
            only.far_from_rest = true;
        }
    }
}

/// How far a natural feature reaches from a village of its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FeatureReach {
    /// A height, hill or peak: a few kilometres; a village named like it
    /// stands for it only among the story's other places.
    Local,
    /// A river, lake or mountain range: a town on it may lie far from the
    /// story's other places, in the same region.
    Regional,
}

impl FeatureReach {
    fn of_word(word: &str) -> Self {
        match word {
            "height" | "heights" | "hill" | "hills" | "peak" | "mount" => FeatureReach::Local,
            _ => FeatureReach::Regional,
        }
    }
}

/// Least nearness (see [`Context::nearness`]) of a village standing for a
/// local feature of its name: about 35 km from a place the text names
/// with confidence.
const LOCAL_FEATURE_NEARNESS: f64 = 0.6;

/// "The Aras river" in a Karabakh report is not Arras, France: a group of
/// spans naming a natural feature the gazetteer lacks (`features`) keeps
/// its best candidate, a town of the feature's name, only when the rest of
/// the text supports that town's region, as a town on its river would be.
/// A height is more local still: "the Karaglukh heights" among Karabakh's
/// villages is not Karaglukh in Armenia, 130 km away, though the report
/// names places in Armenia too.
fn unplace_far_feature_namesakes(
    scored: &mut [Vec<Scored>],
    features: &[Option<FeatureReach>],
    members: &[u32],
    context: &mut Context,
) {
    if features.iter().all(Option::is_none) {
        return;
    }
    context.rebuild(scored, members);
    for (group_ix, (list, reach)) in scored.iter_mut().zip(features).enumerate() {
        let (Some(top), Some(reach)) = (list.first_mut(), reach) else {
            continue;
        };
        if !top.facts.is_settlement {
            continue;
        }
        let far = match reach {
            FeatureReach::Regional => context.coherence(group_ix, top, 1.0) < FEATURE_NAMESAKE_COHERENCE,
            FeatureReach::Local => context.nearness(group_ix, top.place, top.facts.point) < LOCAL_FEATURE_NEARNESS,
        };
        if far {
            top.namesake_of_feature = true;
        }
    }
}

/// Where a chunk's mentions are in the whole text.
struct ChunkOffsets<'o> {
    /// Character offsets of the chunk's span boundaries, within the chunk.
    chars: &'o CharOffsets,
    /// Where the chunk starts in the text: (bytes, characters).
    base: (usize, usize),
}

fn build_mention(
    span: &Span,
    tokens: &[Token<'_>],
    text: &str,
    gazetteer: &Gazetteer,
    at: &ChunkOffsets<'_>,
    by_span: &HashMap<*const Span, &[Scored]>,
    memory: &mut CandidateMemory,
) -> Mention {
    let byte_start = tokens[span.first].byte_start();
    let byte_end = span.byte_end(tokens);
    let scored: &[Scored] = by_span.get(&(span as *const Span)).copied().unwrap_or(&[]);
    let parts: Vec<Mention> = span
        .parts
        .iter()
        .map(|part| build_mention(part, tokens, text, gazetteer, at, by_span, memory))
        .collect();
    // room for what is said below, so the pushes do not move it
    let mut reason = Vec::with_capacity(span.reasons.len() + 4);
    reason.extend(span.reasons.iter().cloned());
    let candidates: Vec<Candidate> = scored
        .iter()
        .take(LISTED_CANDIDATES)
        .map(|s| {
            Candidate::of(
                &gazetteer.places()[s.place as usize],
                (s.probability * 1e4).round() / 1e4,
            )
        })
        .collect();
    let (place, score) = match scored.first() {
        Some(top) if top.in_named_division == Some(false) => {
            reason.push("outside_named_division".into());
            (None, 0.0)
        }
        Some(top) if top.namesake_of_feature => {
            reason.push("natural_feature_not_in_gazetteer".into());
            reason.push("namesake_far_from_other_places".into());
            (None, 0.0)
        }
        Some(top) if top.probability >= MIN_CONFIDENCE => {
            let chosen = &gazetteer.places()[top.place as usize];
            let summary = memory
                .summary_of(top.place, gazetteer)
                .unwrap_or_else(|| Arc::new(PlaceSummary::of(chosen)));
            if scored.len() > 1 {
                reason.push(chosen_of(scored.len()));
            }
            if top.in_named_division == Some(true) {
                reason.push("in_named_division".into());
            }
            if top.probability < 0.5 {
                reason.push("low_confidence".into());
            }
            if top.far_from_rest {
                reason.push("far_from_other_places".into());
            }
            if let Some(country) = scored.get(1).map(|_| chosen.country.as_str()) {
                if !country.is_empty() {
                    reason.push(tagged("coherence_country", country));
                }
            }
            (
                Some(ResolvedPlace {
                    summary,
                    derived: false,
                }),
                top.probability,
            )
        }
        Some(_) => {
            reason.push("ambiguous".into());
            (None, 0.0)
        }
        None if span.compound_route => {
            route_from_parts(span, &parts, gazetteer, text, byte_start, byte_end, &mut reason)
        }
        None => {
            if !reason.iter().any(|r| r == "not_in_gazetteer") {
                reason.push("not_in_gazetteer".into());
            }
            (None, 0.0)
        }
    };
    Mention {
        start: at.base.1 + at.chars.char_at(byte_start),
        end: at.base.1 + at.chars.char_at(byte_end),
        byte_start: at.base.0 + byte_start,
        byte_end: at.base.0 + byte_end,
        text: text[byte_start..byte_end].to_string(),
        place,
        score: (score * 1e4).round() / 1e4,
        candidates,
        reason,
        parts,
    }
}

/// The reason `chosen_of:N`, for the chosen place of `count` candidates:
/// written out for the usual counts, which every resolved mention names,
/// so most need no look in the table of tagged reasons.
fn chosen_of(count: usize) -> Reason {
    const WRITTEN: [&str; 13] = [
        "chosen_of:0",
        "chosen_of:1",
        "chosen_of:2",
        "chosen_of:3",
        "chosen_of:4",
        "chosen_of:5",
        "chosen_of:6",
        "chosen_of:7",
        "chosen_of:8",
        "chosen_of:9",
        "chosen_of:10",
        "chosen_of:11",
        "chosen_of:12",
    ];
    match WRITTEN.get(count) {
        Some(&written) => Reason::Borrowed(written),
        None => tagged("chosen_of", &count.to_compact_string()),
    }
}

/// "the Aghdam road": a town with a route word after it is the gazetteer's
/// one road that ends there ("Aghdam-Khankendi road"), when only one does.
/// The mention then spans the route word and keeps the town as its part;
/// otherwise ("the Khankendi road", three roads start there) it stays the
/// town.
fn road_named_by_its_end(
    town_mention: Mention,
    span: &Span,
    tokens: &[Token<'_>],
    text: &str,
    gazetteer: &Gazetteer,
    at: &ChunkOffsets<'_>,
) -> Mention {
    if span.cue != Some(KindCue::Route) || span.compound_route || !span.parts.is_empty() {
        return town_mention;
    }
    let Some(route_word) = tokens
        .get(span.last + 1)
        .filter(|word| tokens[span.last].gap_after == Gap::Space && is_route_word(word.key()))
    else {
        return town_mention;
    };
    let town = town_mention
        .place
        .as_ref()
        .filter(|place| place.summary.kind.starts_with("P."))
        .and_then(|place| gazetteer.get(&place.summary.id));
    let Some(route) = town.and_then(|town| route_with_end(gazetteer, town)) else {
        return town_mention;
    };
    let (byte_start, byte_end) = (tokens[span.first].byte_start(), route_word.byte_end());
    let score = (town_mention.score * 0.9 * 1e4).round() / 1e4;
    Mention {
        start: town_mention.start,
        end: at.base.1 + at.chars.char_at(byte_end),
        byte_start: town_mention.byte_start,
        byte_end: at.base.0 + byte_end,
        text: text[byte_start..byte_end].to_string(),
        place: Some(ResolvedPlace {
            summary: Arc::new(PlaceSummary::of(route)),
            derived: false,
        }),
        score,
        // the town's alternatives are its part's; the road had no rival
        candidates: Vec::new(),
        reason: vec!["cue_after:route".into(), "route_named_by_one_end".into()],
        parts: vec![town_mention],
    }
}

/// A route the gazetteer does not know by this name: the gazetteer route that
/// passes all resolved parts, else a line derived through them.
fn route_from_parts(
    span: &Span,
    parts: &[Mention],
    gazetteer: &Gazetteer,
    text: &str,
    byte_start: usize,
    byte_end: usize,
    reason: &mut Vec<Reason>,
) -> (Option<ResolvedPlace>, f64) {
    let resolved: Vec<&Mention> = parts.iter().filter(|p| p.place.is_some()).collect();
    let points: Vec<Point<f64>> = resolved
        .iter()
        .filter_map(|p| p.place.as_ref().map(|pl| Point::new(pl.summary.lon, pl.summary.lat)))
        .collect();
    // a road from a known place to ones the gazetteer lacks: placed at
    // the one known end, and says so; its line is not known
    if let ([known_end], true) = (resolved.as_slice(), parts.len() > 1) {
        if let Some(place) = &known_end.place {
            reason.push("route_placed_at_known_part".into());
            return (Some(place.clone()), known_end.score * 0.6);
        }
    }
    if points.len() < 2 {
        reason.push("route_parts_unresolved".into());
        return (None, 0.0);
    }
    let confidence = resolved.iter().map(|p| p.score).fold(1.0, f64::min);
    let part_ids: Vec<&str> = resolved
        .iter()
        .filter_map(|p| p.place.as_ref().map(|pl| pl.summary.id.as_str()))
        .collect();
    if let Some(route) = route_named_by(gazetteer, &part_ids) {
        reason.push("route_named_by_parts".into());
        return (
            Some(ResolvedPlace {
                summary: Arc::new(PlaceSummary::of(route)),
                derived: false,
            }),
            confidence * 0.95,
        );
    }
    if let Some(route) = route_through(gazetteer, &points) {
        reason.push("route_passes_parts".into());
        return (
            Some(ResolvedPlace {
                summary: Arc::new(PlaceSummary::of(route)),
                derived: false,
            }),
            confidence * 0.9,
        );
    }
    reason.push("route_derived_from_parts".into());
    let geometry = derived_line(&points);
    // the point halfway along the line, uncertain by the line's reach from
    // it and by its parts' own uncertainty
    let (middle, reach_m) = halfway_along(&points);
    let radius = resolved
        .iter()
        .filter_map(|p| p.place.as_ref().map(|pl| pl.summary.radius_m))
        .fold(1_000.0, f64::max)
        .max(reach_m.round());
    let country = resolved
        .first()
        .and_then(|p| p.place.as_ref().map(|pl| pl.summary.country.clone()))
        .unwrap_or_default();
    let _ = span;
    (
        Some(ResolvedPlace {
            summary: Arc::new(PlaceSummary {
                id: format!(
                    "derived:{}",
                    normalize_key(&text[byte_start..byte_end]).replace(' ', "-")
                ),
                name: text[byte_start..byte_end].to_string(),
                kind: "road".into(),
                lon: round6(middle.x()),
                lat: round6(middle.y()),
                geometry: geojson::Geometry::new(geojson::GeometryValue::from(&geometry)),
                radius_m: radius,
                country,
            }),
            derived: true,
        }),
        confidence * 0.8,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_weights_add_up_by_number_and_start_again_when_cleared() {
        let mut weights = RegionWeights::default();
        assert_eq!(weights.get(3), 0.0);
        weights.add(3, 0.5);
        weights.add(0, 1.0);
        weights.add(3, 0.25);
        assert_eq!((weights.get(0), weights.get(1), weights.get(3)), (1.0, 0.0, 0.75));
        assert_eq!(weights.get(NO_REGION), 0.0);
        weights.clear();
        assert_eq!(weights.get(3), 0.0);
        weights.add(0, 2.0);
        assert_eq!((weights.get(0), weights.get(3)), (2.0, 0.0));
        // however many rounds go by
        weights.round = u32::MAX;
        weights.add(3, 1.0);
        weights.clear();
        assert_eq!((weights.get(0), weights.get(3)), (0.0, 0.0));
        weights.add(3, 0.5);
        assert_eq!(weights.get(3), 0.5);
    }

    #[test]
    fn chosen_of_reads_as_any_tagged_reason() {
        for count in [2, 12, 13, 30] {
            assert_eq!(chosen_of(count), tagged("chosen_of", &count.to_string()));
        }
    }

    #[test]
    fn the_least_value_is_found_with_its_first_place() {
        assert_eq!(least_and_where(&[]), (f32::INFINITY, None));
        assert_eq!(least_and_where(&[3.0, 2.0, 5.0]), (2.0, Some(1)));
        // past the first block of eight, and tied: the first one counts
        let mut values: Vec<f32> = (0..21).map(|i| 10.0 + i as f32).collect();
        values[13] = 1.5;
        values[19] = 1.5;
        assert_eq!(least_and_where(&values), (1.5, Some(13)));
        values[20] = 0.5;
        assert_eq!(least_and_where(&values), (0.5, Some(20)));
        values[0] = 0.25;
        assert_eq!(least_and_where(&values), (0.25, Some(0)));
    }
}
