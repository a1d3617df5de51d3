//! Ranked search: exact and alias lookup, prefix autocomplete, typo-tolerant
//! fallback, with filters and an optional focus point.

use geo::Point;
use serde::Serialize;

use super::{haversine_m, Name, Place};

/// How a query met a place's name.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchQuality {
    /// The query normalises to a stored name of the place.
    Exact,
    /// The query normalises to a generated romanisation of a stored name.
    Romanised,
    /// The query is the start of a name (autocomplete).
    Prefix,
    /// The query is within this many edits of a name.
    Fuzzy(u8),
}

impl MatchQuality {
    /// Weight of the match in the score, in `[0, 1]`.
    fn weight(self, query_chars: usize, key_chars: usize) -> f64 {
        match self {
            MatchQuality::Exact => 1.0,
            MatchQuality::Romanised => 0.93,
            MatchQuality::Prefix => {
                let completeness = query_chars as f64 / key_chars.max(1) as f64;
                0.55 + 0.25 * completeness.min(1.0)
            }
            MatchQuality::Fuzzy(1) => 0.55,
            MatchQuality::Fuzzy(_) => 0.4,
        }
    }
}

/// What to look for and how to rank it.
#[derive(Debug, Clone)]
pub struct SearchQuery {
    /// The text typed or found.
    pub text: String,
    /// Prefer places near this point (lon/lat).
    pub near: Option<Point<f64>>,
    /// Keep only places inside `[min_lon, min_lat, max_lon, max_lat]`.
    pub bbox: Option<[f64; 4]>,
    /// Keep only places of this ISO country code.
    pub country: Option<String>,
    /// Keep only places of this kind (`P`, `P.PPL`, `road`, ...).
    pub kind: Option<String>,
    /// Most results to return.
    pub limit: usize,
    /// Also complete prefixes (autocomplete); otherwise whole names only.
    pub autocomplete: bool,
    /// Fall back to typo-tolerant matching when nothing matches exactly.
    pub fuzzy: bool,
}

impl SearchQuery {
    /// A whole-name lookup with typo fallback, ten results.
    pub fn new(text: &str) -> Self {
        SearchQuery {
            text: text.to_string(),
            near: None,
            bbox: None,
            country: None,
            kind: None,
            limit: 10,
            autocomplete: false,
            fuzzy: true,
        }
    }

    /// The same query as autocomplete (prefixes count).
    pub fn autocomplete(mut self) -> Self {
        self.autocomplete = true;
        self
    }

    /// Prefer places near `lon`, `lat`.
    pub fn near(mut self, lon: f64, lat: f64) -> Self {
        self.near = Some(Point::new(lon, lat));
        self
    }

    /// At most `limit` results.
    pub fn limit(mut self, limit: usize) -> Self {
        self.limit = limit;
        self
    }

    /// Does `place` pass the filters?
    pub(crate) fn admits(&self, place: &Place) -> bool {
        if let Some(country) = &self.country {
            if !place.country.eq_ignore_ascii_case(country) {
                return false;
            }
        }
        if let Some(kind) = &self.kind {
            if !place.kind.matches_filter(kind) {
                return false;
            }
        }
        if let Some([min_lon, min_lat, max_lon, max_lat]) = self.bbox {
            let (lon, lat) = (place.lon(), place.lat());
            if lon < min_lon || lon > max_lon || lat < min_lat || lat > max_lat {
                return false;
            }
        }
        true
    }

    /// The ranking score of a match, in `[0, 1]`: match quality first, then
    /// importance, then closeness to the focus point.
    pub(crate) fn score(
        &self,
        place: &Place,
        name: &Name,
        quality: MatchQuality,
        query_chars: usize,
        key_chars: usize,
    ) -> f64 {
        // A division and its seat often share a name (Lachin, Shusha, New
        // York); a bare name in text means the town unless it says "district".
        let importance = if place.kind.is_admin_division() && !names_a_division(&name.text) {
            place.importance() * 0.6
        } else {
            place.importance()
        };
        let proximity = match self.near {
            // 1 at the focus, 0.5 at 100 km, near 0 beyond 1000 km
            Some(focus) => 1.0 / (1.0 + haversine_m(focus, place.point) / 100_000.0),
            None => 0.0,
        };
        let (w_quality, w_importance, w_proximity) = if self.near.is_some() {
            (0.62, 0.18, 0.2)
        } else {
            (0.7, 0.3, 0.0)
        };
        w_quality * quality.weight(query_chars, key_chars) + w_importance * importance + w_proximity * proximity
    }
}

/// Does the name itself say it is a division ("Lachin District", "Syunik
/// Province", "Laçın rayonu")?
pub(crate) fn names_a_division(text: &str) -> bool {
    const WORDS: [&str; 16] = [
        "district",
        "rayon",
        "raion",
        "province",
        "region",
        "oblast",
        "marz",
        "county",
        "state",
        "governorate",
        "prefecture",
        "municipality",
        "republic",
        "krai",
        "canton",
        "voivodeship",
    ];
    let lower = text.to_lowercase();
    lower
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| WORDS.contains(&w) || w == "rayonu" || w == "район" || w == "марз")
}

/// One ranked result.
#[derive(Debug, Clone)]
pub struct SearchHit<'a> {
    /// The place found.
    pub place: &'a Place,
    /// The name of the place that matched.
    pub name: &'a Name,
    /// How it matched.
    pub quality: MatchQuality,
    /// Ranking score in `[0, 1]`.
    pub score: f64,
}
