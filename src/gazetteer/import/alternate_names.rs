//! GeoNames `alternateNamesV2.txt`: alternateNameId, geonameid, isolanguage,
//! alternate name, isPreferredName, isShortName, isColloquial, isHistoric,
//! from, to. The older 8-column `alternateNames.txt` is read too.

use std::io::BufRead;

use super::lines::for_each_line;
use super::{ImportError, ImportRecord};
use crate::gazetteer::name::detect_script;
use crate::gazetteer::{GazetteerError, Name, NameKind};

/// Pseudo-languages of the file that are codes or links, not names.
const NOT_NAMES: [&str; 9] = [
    "post", "link", "wkdt", "iata", "icao", "faac", "unlc", "tcid", "fr_1793",
];

/// Reads alternate names as [`ImportRecord::Name`]s for `gn:<geonameid>`.
pub fn read_alternate_names<E>(
    reader: impl BufRead,
    label: &str,
    mut sink: impl FnMut(ImportRecord) -> Result<(), E>,
) -> Result<(), ImportError<E>> {
    for_each_line(reader, label, |line_number, line| {
        let c: Vec<&str> = line.split('\t').collect();
        if !(8..=10).contains(&c.len()) {
            return Err(GazetteerError::parse(
                label,
                line_number,
                "line",
                format!(
                    "expected 10 tab-separated columns (8 in the old format), found {}",
                    c.len()
                ),
            )
            .into());
        }
        let geonameid = c[1].trim();
        if geonameid.is_empty() || !geonameid.bytes().all(|b| b.is_ascii_digit()) {
            return Err(GazetteerError::parse(
                label,
                line_number,
                "geonameid",
                format!("{geonameid:?} is not a GeoNames id"),
            )
            .into());
        }
        let language = c[2].trim();
        let text = c[3].trim();
        if NOT_NAMES.contains(&language) || text.is_empty() {
            return Ok(());
        }
        let flag = |i: usize| c.get(i).map(|v| v.trim() == "1").unwrap_or(false);
        let kind = if flag(7) {
            NameKind::Historic
        } else if flag(6) {
            NameKind::Colloquial
        } else if language == "abbr" {
            NameKind::Abbreviation
        } else if flag(4) {
            NameKind::Official
        } else {
            NameKind::Alternate
        };
        let optional = |i: usize| c.get(i).map(|v| v.trim()).filter(|v| !v.is_empty()).map(str::to_string);
        let name = Name {
            text: text.to_string(),
            lang: if language == "abbr" {
                String::new()
            } else {
                language.to_string()
            },
            script: std::borrow::Cow::Borrowed(detect_script(text)),
            kind,
            valid_from: optional(8),
            valid_to: optional(9),
        };
        sink(ImportRecord::Name {
            place_id: format!("gn:{geonameid}"),
            name,
        })
        .map_err(ImportError::Sink)
    })
}
