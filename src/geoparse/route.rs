//! Compound routes: "the Khankendi-Khalfali-Turshsu road", "Lachin-Stepanakert
//! road", "the dirt road Khankendi-Khalfali-Turshsu". One route mention whose
//! parts are the named places it runs through.

use geo::{Coord, Geometry, LineString};

use super::mention::Reason;
use super::recognize::{is_route_word, lower_words, Span};
use super::tokenize::{Case, Gap, Token};
use super::word_facts::WordFacts;
use super::word_lists::demonym_place;
use crate::gazetteer::{haversine_m, Gazetteer, Place};

/// How near (metres) a gazetteer route must pass to each named part to be
/// taken as the road the text names.
const ROUTE_MATCH_M: f64 = 12_000.0;
/// The nearest a route must pass, whatever the stretch, given the radius of
/// a town's point.
const MIN_ROUTE_MATCH_M: f64 = 3_000.0;
/// How much longer than the straight line between its named places a road
/// may run (mountain roads wind; twice is generous).
const MAX_WINDING: f64 = 2.0;

/// A route made of hyphen-joined names starting at word `i`, if the text
/// says it is a road (a route word right after, or "road" just before) and
/// at least two of the names are known places, or one is a known settlement
/// and the others may be names of places the gazetteer lacks.
pub fn compound_route(tokens: &[Token<'_>], i: usize, gazetteer: &Gazetteer) -> Option<Span> {
    let mut k = i;
    while k + 1 < tokens.len() && tokens[k].gap_after == Gap::Hyphen && tokens[k + 1].may_start_name() {
        k += 1;
    }
    if k == i {
        return None;
    }
    let word_after = (tokens[k].gap_after == Gap::Space).then(|| tokens.get(k + 1)).flatten();
    let route_word_after =
        word_after.is_some_and(|w| is_route_word(w.key()) || is_rail_line(tokens, k + 1, i..=k, gazetteer));
    let route_word_before = lower_words(tokens, i).iter().any(|w| is_route_word(w));
    if !route_word_after && !route_word_before {
        return None;
    }
    // "the North-South highway", "the East-West highway": a road's own
    // name, not a line between places (GeoNames has regions called North
    // and South, in Cameroon); reported unresolved
    if (i..=k).any(|j| is_compass_word(tokens[j].key())) {
        let last = if route_word_after { k + 1 } else { k };
        return Some(Span {
            first: i,
            last,
            postings: Vec::new(),
            cue: Some(super::lexicon::KindCue::Route),
            reasons: vec!["named_route".into(), "not_in_gazetteer".into()],
            parts: Vec::new(),
            compound_route: false,
            trailing_stop: false,
        });
    }
    let last = if route_word_after { k + 1 } else { k };
    let route_word = if route_word_after { tokens[k + 1].key() } else { "road" };
    let cue = if route_word_after {
        "cue_after:route"
    } else {
        "cue_before:route"
    };
    route_of_parts(
        tokens,
        (i, last),
        &(i..=k).collect::<Vec<_>>(),
        route_word,
        cue,
        gazetteer,
    )
}

/// "the Yeraskh-Julfa-Ordubad-Meghri line": a "line" (of a railway) after
/// a compound of settlements, every one known as such. Not "the
/// Armenia-Azerbaijan line of contact", nor a compound of other names.
fn is_rail_line(
    tokens: &[Token<'_>],
    line_at: usize,
    mut part_words: std::ops::RangeInclusive<usize>,
    gazetteer: &Gazetteer,
) -> bool {
    if tokens[line_at].key() != "line" || tokens.get(line_at + 1).is_some_and(|next| next.key() == "of") {
        return false;
    }
    part_words.all(|j| names_a_settlement(gazetteer, tokens[j].key()))
}

/// Whether `key` (a normalised word) is a name of a populated place.
fn names_a_settlement(gazetteer: &Gazetteer, key: &str) -> bool {
    gazetteer.index().exact(key).iter().any(|posting| {
        gazetteer
            .resolve_posting(*posting)
            .is_some_and(|(place, _)| place.kind.is_settlement())
    })
}

/// "the road between Goris and Stepanakert", "the highway linking Ganja
/// and Tovuz": a route named by the two settlements it joins, the name at
/// word `i` being the first. Both must be names of populated places (the
/// road "between Armenia and Karabakh" is no line between two centroids).
pub fn route_between(tokens: &[Token<'_>], i: usize, gazetteer: &Gazetteer) -> Option<Span> {
    let link = tokens.get(i.checked_sub(1)?)?;
    if link.gap_after != Gap::Space || !matches!(link.key(), "between" | "linking" | "connecting" | "joining") {
        return None;
    }
    let route = tokens
        .get(i.checked_sub(2)?)
        .filter(|t| t.gap_after == Gap::Space && is_route_word(t.key()))?;
    let (x, and, y) = (&tokens[i], tokens.get(i + 1)?, tokens.get(i + 2)?);
    let single_name = |t: &Token<'_>| t.case == Case::Title && !matches!(t.gap_after, Gap::Hyphen | Gap::OpenParen);
    if x.gap_after != Gap::Space
        || and.key() != "and"
        || and.gap_after != Gap::Space
        || !single_name(x)
        || !single_name(y)
    {
        return None;
    }
    if !names_a_settlement(gazetteer, x.key()) || !names_a_settlement(gazetteer, y.key()) {
        return None;
    }
    route_of_parts(
        tokens,
        (i - 2, i + 2),
        &[i, i + 2],
        route.key(),
        "cue_before:route",
        gazetteer,
    )
}

/// The route span over words `span.0..=span.1` whose parts are the single
/// words at `part_words`, with the gazetteer's road of that name if it has
/// one; `None` unless two parts at least are known places.
fn route_of_parts(
    tokens: &[Token<'_>],
    span: (usize, usize),
    part_words: &[usize],
    route_word: &str,
    cue: &'static str,
    gazetteer: &Gazetteer,
) -> Option<Span> {
    let index = gazetteer.index();
    let parts: Vec<Span> = part_words
        .iter()
        .map(|&j| {
            let mut postings = index.exact(tokens[j].key()).to_vec();
            // a road ends at a town, a bridge or a checkpoint, not at a river
            // or a mountain of the name: "the Kornidzor-Hakari route" ends at
            // the Hakari bridge's village, not at the river's mouth
            let natural = |posting: &crate::gazetteer::index::Posting| {
                gazetteer
                    .resolve_posting(*posting)
                    .is_some_and(|(place, _)| super::candidates::is_natural_feature(&place.kind))
            };
            if postings.iter().any(|p| !natural(p)) {
                postings.retain(|p| !natural(p));
            }
            let reason = if postings.is_empty() {
                "not_in_gazetteer"
            } else {
                "gazetteer_name"
            };
            Span {
                first: j,
                last: j,
                postings,
                cue: None,
                reasons: vec!["route_part".into(), reason.into()],
                parts: Vec::new(),
                compound_route: false,
                trailing_stop: false,
            }
        })
        .collect();
    let known = parts.iter().filter(|p| !p.postings.is_empty()).count();
    // one known settlement and names the gazetteer lacks ("the
    // Lachin-Kirants road"): still a road, its unknown ends reported as
    // such rather than dropped; not for "Pan-American" or "Trans-Caucasus"
    let one_known_end = known == 1
        && parts.iter().all(|p| {
            let known_settlement = p.postings.iter().any(|posting| {
                gazetteer
                    .resolve_posting(*posting)
                    .is_some_and(|(place, _)| place.kind.is_settlement())
            });
            known_settlement || (p.postings.is_empty() && may_name_unknown_place(&tokens[p.first]))
        });
    if known < 2 && !one_known_end {
        return None;
    }
    let names: Vec<&str> = part_words.iter().map(|&j| tokens[j].key()).collect();
    // The gazetteer may know the route under this very name.
    let mut postings = Vec::new();
    for key in [
        format!("{} {route_word}", names.join(" ")),
        format!("{} road", names.join(" ")),
        names.join(" "),
    ] {
        postings = index
            .exact(&key)
            .iter()
            .filter(|p| {
                gazetteer
                    .resolve_posting(**p)
                    .is_some_and(|(place, _)| place.kind.is_route())
            })
            .copied()
            .collect();
        if !postings.is_empty() {
            break;
        }
    }
    let mut reasons: Vec<Reason> = vec!["compound_route".into(), cue.into()];
    if !postings.is_empty() {
        reasons.push("gazetteer_name".into());
    }
    Some(Span {
        first: span.0,
        last: span.1,
        postings,
        cue: Some(super::lexicon::KindCue::Route),
        reasons,
        parts,
        compound_route: true,
        trailing_stop: false,
    })
}

/// Whether a word the gazetteer does not know may be the name of a small
/// place: capitalised, at least four letters, and no common word, given
/// name or surname, title, demonym or compass point.
fn may_name_unknown_place(token: &Token<'_>) -> bool {
    let key = token.key();
    token.case == Case::Title
        && key.chars().count() >= 4
        && !token.is(WordFacts::NOT_A_PLACE_NAME)
        && !is_compass_word(key)
        && demonym_place(key).is_none()
}

/// A gazetteer route named after the same places, in any order and by any
/// of their names: "the Lachin-Khankendi road" is the route the gazetteer
/// calls "Lachin-Stepanakert road", Khankendi and Stepanakert being one
/// place. `parts` are the ids of the places the mention's parts resolved to.
pub fn route_named_by<'g>(gazetteer: &'g Gazetteer, parts: &[&str]) -> Option<&'g Place> {
    let wanted: Vec<&Place> = parts.iter().filter_map(|id| gazetteer.get(id)).collect();
    if wanted.len() < 2 || wanted.len() != parts.len() {
        return None;
    }
    gazetteer.routes().find(|route| {
        route.names.iter().any(|name| {
            let segments = place_segments(&name.text);
            segments.len() == wanted.len()
                && wanted
                    .iter()
                    .all(|place| segments.iter().any(|segment| segment_names(gazetteer, segment, place)))
        })
    })
}

/// "the Aghdam road": the one gazetteer route whose main name starts or
/// ends at `place` ("Aghdam-Khankendi road"), if only one does. "the
/// Khankendi road" names none: three routes start there. Only the main
/// name counts: "Goris-Stepanakert road" is another name of the Lachin
/// corridor, but "the Goris road" may as well be the road to Yerevan.
pub fn route_with_end<'g>(gazetteer: &'g Gazetteer, place: &Place) -> Option<&'g Place> {
    let mut found: Option<&Place> = None;
    for route in gazetteer.routes() {
        let segments = place_segments(route.primary_name());
        let ends_here = segments.len() >= 2
            && [segments.first(), segments.last()]
                .into_iter()
                .flatten()
                .any(|segment| segment_names(gazetteer, segment, place));
        if ends_here {
            if found.is_some() {
                return None;
            }
            found = Some(route);
        }
    }
    found
}

/// The normalised place names a route's name is made of: "Lachin-Stepanakert
/// road" -> ["lachin", "stepanakert"].
fn place_segments(name: &str) -> Vec<String> {
    name.split(['-', '–', '—'])
        .map(|segment| {
            let words: Vec<&str> = segment
                .split_whitespace()
                .filter(|w| !is_route_word(&w.to_lowercase()))
                .collect();
            crate::gazetteer::normalize::normalize_key(&words.join(" "))
        })
        .collect()
}

/// Whether `segment` (a normalised key) is a name of `place`.
fn segment_names(gazetteer: &Gazetteer, segment: &str, place: &Place) -> bool {
    gazetteer.index().exact(segment).iter().any(|posting| {
        gazetteer
            .resolve_posting(*posting)
            .is_some_and(|(candidate, _)| std::ptr::eq(candidate, place))
    })
}

/// A gazetteer route passing near every given point and not much longer
/// than the stretch they mark: the road between two villages near one end
/// of a highway is not the highway. "Near" is at most a quarter of the
/// stretch (and never under 3 km nor over [`ROUTE_MATCH_M`]), so a short
/// road that stops 8 km short of one of two towns 21 km apart does not
/// join them.
pub fn route_through<'g>(gazetteer: &'g Gazetteer, points: &[geo::Point<f64>]) -> Option<&'g Place> {
    let stretch_m = points
        .iter()
        .flat_map(|a| points.iter().map(move |b| haversine_m(*a, *b)))
        .fold(0.0, f64::max);
    let near_m = (stretch_m / 4.0).clamp(MIN_ROUTE_MATCH_M, ROUTE_MATCH_M);
    gazetteer
        .routes()
        .filter(|route| {
            line_length_m(&route.geometry) <= MAX_WINDING * stretch_m + ROUTE_MATCH_M
                && points
                    .iter()
                    .all(|pt| distance_to_geometry_m(&route.geometry, *pt) <= near_m)
        })
        .min_by(|a, b| line_length_m(&a.geometry).total_cmp(&line_length_m(&b.geometry)))
}

/// A point of the compass, which names a road's direction, not a place on it.
fn is_compass_word(key: &str) -> bool {
    matches!(
        key,
        "north" | "south" | "east" | "west" | "northern" | "southern" | "eastern" | "western"
    )
}

/// The line through the parts, in text order, for a route the gazetteer lacks.
pub fn derived_line(points: &[geo::Point<f64>]) -> Geometry<f64> {
    Geometry::LineString(LineString::new(
        points.iter().map(|p| Coord { x: p.x(), y: p.y() }).collect(),
    ))
}

/// The point halfway along the line through `points` (by length on the
/// sphere, each segment interpolated in degrees: a route's segments are
/// short), and the distance in metres from it to the farthest of them, so
/// that a circle of that radius holds the whole line. For the map's point of
/// a derived route: its last part's point would put "the Yerevan-Tbilisi
/// road" in Tbilisi.
pub fn halfway_along(points: &[geo::Point<f64>]) -> (geo::Point<f64>, f64) {
    let Some(&first) = points.first() else {
        return (geo::Point::new(0.0, 0.0), 0.0);
    };
    let lengths: Vec<f64> = points.windows(2).map(|w| haversine_m(w[0], w[1])).collect();
    let mut left = lengths.iter().sum::<f64>() / 2.0;
    let mut middle = first;
    for (segment, &length) in points.windows(2).zip(&lengths) {
        if left <= length {
            let t = if length > 0.0 { left / length } else { 0.0 };
            let (a, b) = (segment[0], segment[1]);
            middle = geo::Point::new(a.x() + t * (b.x() - a.x()), a.y() + t * (b.y() - a.y()));
            break;
        }
        left -= length;
        middle = segment[1];
    }
    let reach = points.iter().map(|p| haversine_m(middle, *p)).fold(0.0, f64::max);
    (middle, reach)
}

fn vertices(geometry: &Geometry<f64>) -> Vec<geo::Point<f64>> {
    use geo::CoordsIter;
    geometry.coords_iter().map(geo::Point::from).collect()
}

/// Distance from a point to the nearest segment of a line geometry, in
/// metres (segments are short, so a local equirectangular projection is exact enough).
fn distance_to_geometry_m(geometry: &Geometry<f64>, point: geo::Point<f64>) -> f64 {
    let lines: Vec<Vec<geo::Point<f64>>> = match geometry {
        Geometry::LineString(l) => vec![l.points().collect()],
        Geometry::MultiLineString(ml) => ml.0.iter().map(|l| l.points().collect()).collect(),
        other => vec![vertices(other)],
    };
    let scale = point.y().to_radians().cos();
    let project = |p: geo::Point<f64>| ((p.x() - point.x()) * scale * 111_320.0, (p.y() - point.y()) * 110_574.0);
    let mut best = f64::INFINITY;
    for line in lines {
        if line.len() == 1 {
            best = best.min(haversine_m(line[0], point));
        }
        for pair in line.windows(2) {
            let (ax, ay) = project(pair[0]);
            let (bx, by) = project(pair[1]);
            let (dx, dy) = (bx - ax, by - ay);
            let len2 = dx * dx + dy * dy;
            let t = if len2 == 0.0 {
                0.0
            } else {
                (-(ax * dx + ay * dy) / len2).clamp(0.0, 1.0)
            };
            let (cx, cy) = (ax + t * dx, ay + t * dy);
            best = best.min((cx * cx + cy * cy).sqrt());
        }
    }
    best
}

fn line_length_m(geometry: &Geometry<f64>) -> f64 {
    vertices(geometry).windows(2).map(|w| haversine_m(w[0], w[1])).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Point;

    #[test]
    fn halfway_along_a_line_is_half_its_length_from_either_end() {
        // one degree of longitude at 40° N is about 85 km
        let (middle, reach_m) = halfway_along(&[Point::new(44.0, 40.0), Point::new(45.0, 40.0)]);
        assert!(
            (middle.x() - 44.5).abs() < 1e-9 && (middle.y() - 40.0).abs() < 1e-9,
            "{middle:?}"
        );
        assert!((reach_m - 42_600.0).abs() < 500.0, "{reach_m}");
        // a short first leg and a long second one: the middle is on the second
        let bent = [Point::new(44.0, 40.0), Point::new(44.1, 40.0), Point::new(44.1, 41.0)];
        let (middle, reach_m) = halfway_along(&bent);
        assert!(
            (middle.x() - 44.1).abs() < 1e-9 && middle.y() > 40.4 && middle.y() < 40.5,
            "{middle:?}"
        );
        let total: f64 = bent.windows(2).map(|w| haversine_m(w[0], w[1])).sum();
        let along = haversine_m(bent[0], bent[1]) + haversine_m(bent[1], middle);
        assert!((along - total / 2.0).abs() < total * 0.01, "{along} of {total}");
        assert!(reach_m >= haversine_m(middle, bent[2]) - 1.0);
        // a single point is its own middle
        assert_eq!(halfway_along(&[Point::new(46.7, 39.8)]), (Point::new(46.7, 39.8), 0.0));
    }
}
