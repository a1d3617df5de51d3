//! Dates in news text: explicit ("5 March 2023", "March 5") and relative
//! ("yesterday", "on Monday evening", "last week"), resolved against an
//! anchor date (the publication date, or the date a quoted statement was made).

use crate::geoparse::MONTH_NAMES;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use regex::Regex;
use std::sync::OnceLock;

/// A date range found in text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FoundDate {
    /// Byte offsets of the phrase within the searched text.
    pub byte_start: usize,
    /// End byte offset.
    pub byte_end: usize,
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
    /// 1 a day, 2 within a week, 3 within a month.
    pub precision: u8,
    /// True for dates written out; false for relative ones.
    pub explicit: bool,
}

fn month_number(word: &str) -> Option<u32> {
    let lower = word.to_lowercase();
    MONTH_NAMES
        .iter()
        .position(|m| {
            *m == lower
                || (lower.len() >= 3 && m.starts_with(&lower) && lower != "mar" || lower == "mar" && *m == "march")
        })
        .map(|i| i as u32 + 1)
}

fn patterns() -> &'static [Regex; 4] {
    static PATTERNS: OnceLock<[Regex; 4]> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let month = r"(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?";
        let build = |p: &str| Regex::new(p).unwrap_or_else(|_| Regex::new("$^").expect("trivial regex"));
        [
            // March 5, 2023 / March 5 2023 / March 5
            build(&format!(r"\b{month}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b")),
            // 5 March 2023 / 5th of March
            build(&format!(r"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{month}(?:,?\s+(\d{{4}}))?\b")),
            // weekdays and yesterday/today
            build(r"(?i)\b(?:(last|this|on|early|late)\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tonight|last\s+night)\b"),
            // last week / last month
            build(r"(?i)\b(last|this|earlier\s+this)\s+(week|month)\b"),
        ]
    })
}

/// The most recent date with this month and day on or before `anchor` (plus a day of slack).
fn infer_year(month: u32, day: u32, anchor: NaiveDate) -> Option<NaiveDate> {
    let this_year = NaiveDate::from_ymd_opt(anchor.year(), month, day)?;
    if this_year <= anchor + Duration::days(1) {
        Some(this_year)
    } else {
        NaiveDate::from_ymd_opt(anchor.year() - 1, month, day)
    }
}

fn weekday_of(word: &str) -> Option<Weekday> {
    Some(match word {
        "monday" => Weekday::Mon,
        "tuesday" => Weekday::Tue,
        "wednesday" => Weekday::Wed,
        "thursday" => Weekday::Thu,
        "friday" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        "sunday" => Weekday::Sun,
        _ => return None,
    })
}

/// Every date in `text`, in text order. Explicit dates without a year take
/// the latest year that puts them on or before `published`. Weekday names
/// ("on Monday") mean the latest such day up to `published`, as news writes
/// them; "yesterday", "today" and "last week" count back from `anchor`, the
/// day of the statement being reported (the publication date unless the text
/// just named another day).
pub fn find_dates(text: &str, anchor: NaiveDate, published: NaiveDate) -> Vec<FoundDate> {
    let [month_day, day_month, relative_day, relative_span] = patterns();
    let mut found = Vec::new();
    let explicit = |m: regex::Captures<'_>, month_ix: usize, day_ix: usize, year_ix: usize| {
        let whole = m.get(0)?;
        let month = month_number(m.get(month_ix)?.as_str())?;
        let day: u32 = m.get(day_ix)?.as_str().parse().ok()?;
        let date = match m.get(year_ix) {
            Some(y) => NaiveDate::from_ymd_opt(y.as_str().parse().ok()?, month, day)?,
            None => infer_year(month, day, published)?,
        };
        Some(FoundDate {
            byte_start: whole.start(),
            byte_end: whole.end(),
            start: date,
            end: date,
            precision: 1,
            explicit: true,
        })
    };
    for m in month_day.captures_iter(text) {
        if let Some(d) = explicit(m, 1, 2, 3) {
            found.push(d);
        }
    }
    for m in day_month.captures_iter(text) {
        if let Some(d) = explicit(m, 2, 1, 3) {
            if !found
                .iter()
                .any(|f: &FoundDate| f.byte_start < d.byte_end && d.byte_start < f.byte_end)
            {
                found.push(d);
            }
        }
    }
    for m in relative_day.captures_iter(text) {
        let Some(whole) = m.get(0) else { continue };
        let word = m.get(2).map(|w| w.as_str().to_lowercase()).unwrap_or_default();
        let date = match word.as_str() {
            "yesterday" => anchor - Duration::days(1),
            "today" | "tonight" => anchor,
            w if w.starts_with("last") => anchor - Duration::days(1),
            w => match weekday_of(w) {
                Some(weekday) => {
                    let back = (published.weekday().num_days_from_monday() + 7 - weekday.num_days_from_monday()) % 7;
                    published - Duration::days(i64::from(back))
                }
                None => continue,
            },
        };
        found.push(FoundDate {
            byte_start: whole.start(),
            byte_end: whole.end(),
            start: date,
            end: date,
            precision: 1,
            explicit: false,
        });
    }
    for m in relative_span.captures_iter(text) {
        let Some(whole) = m.get(0) else { continue };
        let which = m.get(1).map(|w| w.as_str().to_lowercase()).unwrap_or_default();
        let unit = m.get(2).map(|w| w.as_str().to_lowercase()).unwrap_or_default();
        let (start, end, precision) = match (which.as_str(), unit.as_str()) {
            ("last", "week") => (anchor - Duration::days(13), anchor - Duration::days(7), 2),
            (_, "week") => (anchor - Duration::days(6), anchor, 2),
            ("last", _) => {
                let first_this = anchor.with_day(1).unwrap_or(anchor);
                let last_prev = first_this - Duration::days(1);
                (last_prev.with_day(1).unwrap_or(last_prev), last_prev, 3)
            }
            _ => (anchor.with_day(1).unwrap_or(anchor), anchor, 3),
        };
        found.push(FoundDate {
            byte_start: whole.start(),
            byte_end: whole.end(),
            start,
            end,
            precision,
            explicit: false,
        });
    }
    found.sort_by_key(|d| d.byte_start);
    found
}

/// A time of day ("at 10:00", "at about 10:30") in `text`.
pub fn find_time_of_day(text: &str) -> Option<(usize, usize, String)> {
    static TIME: OnceLock<Regex> = OnceLock::new();
    let time = TIME.get_or_init(|| {
        Regex::new(r"(?i)\bat\s+(?:about\s+|around\s+)?(\d{1,2}):(\d{2})\b")
            .unwrap_or_else(|_| Regex::new("$^").expect("trivial regex"))
    });
    let m = time.captures(text)?;
    let whole = m.get(0)?;
    let hour: u32 = m.get(1)?.as_str().parse().ok()?;
    let minute: u32 = m.get(2)?.as_str().parse().ok()?;
    (hour < 24 && minute < 60).then(|| (whole.start(), whole.end(), format!("{hour:02}:{minute:02}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn explicit_dates_with_and_without_years() {
        let anchor = d(2023, 3, 7);
        let found = find_dates(
            "At 10:00 on March 5, 2023, and on 6 March, and on December 12",
            anchor,
            anchor,
        );
        let days: Vec<NaiveDate> = found.iter().map(|f| f.start).collect();
        assert_eq!(days, [d(2023, 3, 5), d(2023, 3, 6), d(2022, 12, 12)]);
        assert!(found.iter().all(|f| f.explicit && f.precision == 1));
    }

    #[test]
    fn relative_dates_count_back_from_the_anchor() {
        // 7 March 2023 was a Tuesday.
        let anchor = d(2023, 3, 7);
        let found = find_dates("On Monday evening ... yesterday ... last week", anchor, anchor);
        assert_eq!(found[0].start, d(2023, 3, 6));
        assert_eq!(found[1].start, d(2023, 3, 6));
        // "yesterday" in a statement made on Monday 6 March is Sunday 5 March
        let quoted = find_dates("the incident that took place yesterday", d(2023, 3, 6), anchor);
        assert_eq!(quoted[0].start, d(2023, 3, 5));
        assert_eq!(found[2].precision, 2);
        assert_eq!(
            find_time_of_day("At 10:00 on March 5").map(|t| t.2),
            Some("10:00".to_string())
        );
    }
}
