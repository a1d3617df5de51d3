//! What sort of thing a place is.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The kind of a place: a GeoNames feature class and code (`P.PPLC` for a
/// capital, `A.PCLI` for a country, ...) or one of sitrep's own kinds for the
/// things news reports name that GeoNames does not model well.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PlaceKind {
    /// A GeoNames feature class (one letter) and code (`PPL`, `ADM1`, ...).
    GeoNames {
        /// Feature class: `A` admin, `P` populated place, `L` area, `H` water, ...
        class: char,
        /// Feature code within the class.
        code: String,
    },
    /// A named road or highway, drawn as a line.
    Road,
    /// A corridor (the Lachin corridor): a route with political status.
    Corridor,
    /// A checkpoint or border crossing.
    Checkpoint,
    /// A named region without a formal administrative status (Karabakh, the South Caucasus).
    Region,
}

impl PlaceKind {
    /// A populated place of the given GeoNames code.
    pub fn populated(code: &str) -> Self {
        PlaceKind::GeoNames {
            class: 'P',
            code: code.to_string(),
        }
    }

    /// True for roads and corridors, whose geometry is a line.
    pub fn is_route(&self) -> bool {
        matches!(self, PlaceKind::Road | PlaceKind::Corridor)
    }

    /// True for cities, towns and villages.
    pub fn is_settlement(&self) -> bool {
        matches!(self, PlaceKind::GeoNames { class: 'P', .. })
    }

    /// True for the seat of a division (GeoNames `PPLA`..`PPLA5`): a
    /// district's or province's centre.
    pub fn is_division_seat(&self) -> bool {
        matches!(self, PlaceKind::GeoNames { class: 'P', code } if code.starts_with("PPLA"))
    }

    /// True for a country's capital (GeoNames `PPLC`).
    pub fn is_capital(&self) -> bool {
        matches!(self, PlaceKind::GeoNames { class: 'P', code } if code == "PPLC")
    }

    /// True for countries and states (GeoNames `PCL*`).
    pub fn is_country(&self) -> bool {
        matches!(self, PlaceKind::GeoNames { class: 'A', code } if code.starts_with("PCL"))
    }

    /// True for administrative divisions below the country (`ADM1`..`ADM5`).
    pub fn is_admin_division(&self) -> bool {
        matches!(self, PlaceKind::GeoNames { class: 'A', code } if code.starts_with("ADM"))
    }

    /// True for continents, regions and other areas larger than a settlement.
    pub fn is_area(&self) -> bool {
        self.is_country()
            || self.is_admin_division()
            || matches!(self, PlaceKind::Region | PlaceKind::GeoNames { class: 'L', .. })
    }

    /// A prior on how likely a bare mention of a name refers to a place of
    /// this kind, in `[0, 1]`, before population is considered.
    pub fn base_importance(&self) -> f64 {
        match self {
            PlaceKind::GeoNames { class, code } => match (*class, code.as_str()) {
                ('L', "CONT") => 0.95,
                ('A', c) if c.starts_with("PCL") => 0.9,
                ('P', "PPLC") => 0.8,
                ('A', "ADM1") => 0.5,
                ('P', "PPLA") => 0.55,
                ('A', "ADM2") => 0.4,
                ('L', _) => 0.5,
                ('P', _) => 0.3,
                ('A', _) => 0.35,
                _ => 0.25,
            },
            PlaceKind::Region => 0.6,
            PlaceKind::Corridor => 0.6,
            PlaceKind::Road => 0.45,
            PlaceKind::Checkpoint => 0.4,
        }
    }

    /// Does this kind satisfy a filter such as `P`, `P.PPL`, `road` or `A.ADM1`?
    /// A bare class letter matches every code in the class.
    pub fn matches_filter(&self, filter: &str) -> bool {
        let own = self.to_string();
        if own.eq_ignore_ascii_case(filter) {
            return true;
        }
        match self {
            PlaceKind::GeoNames { class, .. } => {
                filter.len() == 1 && filter.chars().next().map(|c| c.to_ascii_uppercase()) == Some(*class)
            }
            _ => false,
        }
    }
}

/// The kind string could not be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown place kind {0:?}: expected a GeoNames CLASS.CODE such as P.PPL, or road, corridor, checkpoint, region"
)]
pub struct UnknownKind(pub String);

impl FromStr for PlaceKind {
    type Err = UnknownKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "road" => return Ok(PlaceKind::Road),
            "corridor" => return Ok(PlaceKind::Corridor),
            "checkpoint" => return Ok(PlaceKind::Checkpoint),
            "region" => return Ok(PlaceKind::Region),
            _ => {}
        }
        let (class, code) = s.split_once('.').ok_or_else(|| UnknownKind(s.to_string()))?;
        let mut letters = class.chars();
        match (letters.next(), letters.next()) {
            (Some(c), None)
                if "AHLPRSTUV".contains(c)
                    && !code.is_empty()
                    && code.len() <= 10
                    && code.chars().all(|ch| ch.is_ascii_alphanumeric()) =>
            {
                Ok(PlaceKind::GeoNames {
                    class: c,
                    code: code.to_string(),
                })
            }
            _ => Err(UnknownKind(s.to_string())),
        }
    }
}

impl PlaceKind {
    /// The kind as text (`P.PPL`, `road`), as `to_string` writes it, built
    /// directly: the geoparser labels every candidate it lists.
    ///
    /// ```
    /// use sitrep::gazetteer::PlaceKind;
    /// assert_eq!(PlaceKind::populated("PPLC").label(), "P.PPLC");
    /// assert_eq!(PlaceKind::Road.label(), PlaceKind::Road.to_string());
    /// ```
    pub fn label(&self) -> String {
        match self {
            PlaceKind::GeoNames { class, code } => {
                let mut label = String::with_capacity(code.len() + 2);
                label.push(*class);
                label.push('.');
                label.push_str(code);
                label
            }
            PlaceKind::Road => "road".into(),
            PlaceKind::Corridor => "corridor".into(),
            PlaceKind::Checkpoint => "checkpoint".into(),
            PlaceKind::Region => "region".into(),
        }
    }
}

impl fmt::Display for PlaceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

impl Serialize for PlaceKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PlaceKind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_text() {
        for text in ["P.PPLC", "A.ADM1", "road", "corridor", "checkpoint", "region", "L.CONT"] {
            let kind: PlaceKind = text.parse().unwrap();
            assert_eq!(kind.to_string(), text);
        }
        assert!("X.PPL".parse::<PlaceKind>().is_err());
        assert!("village".parse::<PlaceKind>().is_err());
    }

    #[test]
    fn class_letter_filter_matches_its_codes() {
        let capital: PlaceKind = "P.PPLC".parse().unwrap();
        assert!(capital.matches_filter("P"));
        assert!(capital.matches_filter("p.pplc"));
        assert!(!capital.matches_filter("A"));
        assert!(PlaceKind::Road.matches_filter("road"));
    }
}
