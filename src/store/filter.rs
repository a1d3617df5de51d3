//! The filters shared by every layer, the OGC items and the exports, and
//! their parsing from text (query strings and command-line flags alike).
//! Each error names the parameter at fault.

use chrono::{DateTime, NaiveDate};

use crate::incidents::IncidentStatus;

/// A bad filter value: which parameter and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid `{parameter}`: {message}")]
pub struct FilterError {
    /// The parameter name.
    pub parameter: &'static str,
    /// What is wrong.
    pub message: String,
}

fn bad(parameter: &'static str, message: impl Into<String>) -> FilterError {
    FilterError {
        parameter,
        message: message.into(),
    }
}

/// Which statuses a layer shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatusFilter {
    /// Only published (the default).
    #[default]
    Published,
    /// Only this status.
    Only(IncidentStatus),
    /// Everything.
    All,
}

/// Filters for a layer query.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LayerFilter {
    /// `[min_lon, min_lat, max_lon, max_lat]`.
    pub bbox: Option<[f64; 4]>,
    /// Inclusive day range; either end open.
    pub datetime: Option<(Option<NaiveDate>, Option<NaiveDate>)>,
    /// ACLED event types (any of).
    pub event_types: Vec<String>,
    /// geo_precision values (any of).
    pub geo_precision: Vec<u8>,
    /// Status.
    pub status: StatusFilter,
    /// Free text (case-insensitive substring of names, actors, notes, titles).
    pub q: Option<String>,
    /// Incidents at or near this place id.
    pub place: Option<String>,
    /// Source outlet (any of).
    pub outlets: Vec<String>,
    /// Most features.
    pub limit: Option<usize>,
    /// Features after this id (cursor).
    pub after: Option<i64>,
    /// Only the feature with this id (set by the API, not parsed).
    pub id: Option<String>,
}

/// Longest accepted free-text filter, in bytes.
const MAX_TEXT: usize = 200;

/// Parses `minLon,minLat,maxLon,maxLat`.
pub fn parse_bbox(text: &str) -> Result<[f64; 4], FilterError> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    if parts.len() != 4 {
        return Err(bad(
            "bbox",
            format!("expected minLon,minLat,maxLon,maxLat, got {} values", parts.len()),
        ));
    }
    let mut values = [0.0; 4];
    for (i, part) in parts.iter().enumerate() {
        values[i] = part
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| bad("bbox", format!("{part:?} is not a number")))?;
    }
    let [min_lon, min_lat, max_lon, max_lat] = values;
    for lon in [min_lon, max_lon] {
        if !(-180.0..=180.0).contains(&lon) {
            return Err(bad("bbox", format!("longitude {lon} is outside [-180, 180]")));
        }
    }
    for lat in [min_lat, max_lat] {
        if !(-90.0..=90.0).contains(&lat) {
            return Err(bad("bbox", format!("latitude {lat} is outside [-90, 90]")));
        }
    }
    if min_lat > max_lat {
        return Err(bad("bbox", "minLat is greater than maxLat"));
    }
    if min_lon > max_lon {
        return Err(bad(
            "bbox",
            "minLon is greater than maxLon (boxes across the antimeridian are not supported)",
        ));
    }
    Ok(values)
}

fn parse_instant(text: &str) -> Result<Option<NaiveDate>, FilterError> {
    if text.is_empty() || text == ".." {
        return Ok(None);
    }
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(Some(day));
    }
    DateTime::parse_from_rfc3339(text)
        .map(|t| Some(t.date_naive()))
        .map_err(|_| {
            bad(
                "datetime",
                format!("{text:?} is not an RFC 3339 date-time or YYYY-MM-DD date"),
            )
        })
}

/// Parses an RFC 3339 instant or interval (`a/b`, `../b`, `a/..`).
pub fn parse_datetime(text: &str) -> Result<(Option<NaiveDate>, Option<NaiveDate>), FilterError> {
    match text.split_once('/') {
        Some((a, b)) => {
            let (start, end) = (parse_instant(a)?, parse_instant(b)?);
            if let (Some(s), Some(e)) = (start, end) {
                if s > e {
                    return Err(bad("datetime", "the interval ends before it starts"));
                }
            }
            if start.is_none() && end.is_none() {
                return Err(bad("datetime", "an interval needs at least one end"));
            }
            Ok((start, end))
        }
        None => {
            let day = parse_instant(text)?.ok_or_else(|| bad("datetime", "empty"))?;
            Ok((Some(day), Some(day)))
        }
    }
}

/// Parses a status word or `all`.
pub fn parse_status(text: &str) -> Result<StatusFilter, FilterError> {
    match text {
        "all" => Ok(StatusFilter::All),
        other => IncidentStatus::parse(other)
            .map(StatusFilter::Only)
            .ok_or_else(|| bad("status", format!("{other:?}: use draft, published, rejected or all"))),
    }
}

/// Parses comma-separated geo_precision values (1-3).
pub fn parse_geo_precision(text: &str) -> Result<Vec<u8>, FilterError> {
    text.split(',')
        .map(|v| match v.trim() {
            "1" => Ok(1),
            "2" => Ok(2),
            "3" => Ok(3),
            other => Err(bad("geo_precision", format!("{other:?}: use 1, 2 or 3"))),
        })
        .collect()
}

/// Checks a free-text value: not too long, no control characters.
pub fn parse_text(parameter: &'static str, text: &str) -> Result<String, FilterError> {
    if text.len() > MAX_TEXT {
        return Err(bad(parameter, format!("longer than {MAX_TEXT} bytes")));
    }
    if text.chars().any(|c| c.is_control()) {
        return Err(bad(parameter, "contains control characters"));
    }
    Ok(text.to_string())
}

/// Parses a limit between 1 and `max`.
pub fn parse_limit(text: &str, max: usize) -> Result<usize, FilterError> {
    let n: usize = text
        .parse()
        .map_err(|_| bad("limit", format!("{text:?} is not a positive whole number")))?;
    if n == 0 {
        return Err(bad("limit", "must be at least 1"));
    }
    Ok(n.min(max))
}

impl LayerFilter {
    /// Sets one parameter from its text. Unknown names are an error.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), FilterError> {
        match name {
            "bbox" => self.bbox = Some(parse_bbox(value)?),
            "datetime" => self.datetime = Some(parse_datetime(value)?),
            "event_type" => {
                self.event_types = value
                    .split(',')
                    .map(|v| parse_text("event_type", v.trim()))
                    .collect::<Result<_, _>>()?
            }
            "geo_precision" => self.geo_precision = parse_geo_precision(value)?,
            "status" => self.status = parse_status(value)?,
            "q" => self.q = Some(parse_text("q", value)?).filter(|q| !q.is_empty()),
            "place" => self.place = Some(parse_text("place", value)?),
            "outlet" => {
                self.outlets = value
                    .split(',')
                    .map(|v| parse_text("outlet", v.trim()))
                    .collect::<Result<_, _>>()?
            }
            "limit" => self.limit = Some(parse_limit(value, usize::MAX)?),
            "cursor" | "after" => {
                self.after = Some(
                    value
                        .parse()
                        .map_err(|_| bad("cursor", format!("{value:?} is not a cursor from a previous page")))?,
                )
            }
            _ => {
                return Err(FilterError {
                    parameter: "query",
                    message: format!("unknown parameter `{}`", name.chars().take(40).collect::<String>()),
                })
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects_with_the_parameter_named() {
        assert_eq!(parse_bbox("44,38,48,41").unwrap(), [44.0, 38.0, 48.0, 41.0]);
        assert_eq!(parse_bbox("44,38,48").unwrap_err().parameter, "bbox");
        assert!(parse_bbox("44,95,48,96").unwrap_err().message.contains("latitude 95"));
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            parse_datetime("2023-03-01/2023-03-31").unwrap(),
            (Some(d("2023-03-01")), Some(d("2023-03-31")))
        );
        assert_eq!(parse_datetime("../2023-03-31").unwrap(), (None, Some(d("2023-03-31"))));
        assert_eq!(
            parse_datetime("2023-03-05T10:00:00Z").unwrap(),
            (Some(d("2023-03-05")), Some(d("2023-03-05")))
        );
        assert!(parse_datetime("2023-04-01/2023-03-01").is_err());
        assert!(parse_datetime("yesterday").is_err());
        assert_eq!(parse_status("bogus").unwrap_err().parameter, "status");
        assert!(parse_text("q", &"x".repeat(1_000_000)).is_err());
        let mut f = LayerFilter::default();
        assert_eq!(f.set("colour", "red").unwrap_err().parameter, "query");
    }
}
