//! GeoNames `admin1CodesASCII.txt` (code, name, ascii name, geonameid) and
//! `countryInfo.txt`: they name divisions and countries that the geoname
//! table already places, so they become names of `gn:<geonameid>`.

use std::io::BufRead;

use super::lines::{columns, for_each_line};
use super::{ImportError, ImportRecord};
use crate::gazetteer::{GazetteerError, Name, NameKind};

fn geonameid_of(text: &str, label: &str, line: u64) -> Result<String, GazetteerError> {
    let id = text.trim();
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(GazetteerError::parse(
            label,
            line,
            "geonameid",
            format!("{id:?} is not a GeoNames id"),
        ));
    }
    Ok(format!("gn:{id}"))
}

/// Reads admin1/admin2 code files: each line names a division.
pub fn read_admin_codes<E>(
    reader: impl BufRead,
    label: &str,
    mut sink: impl FnMut(ImportRecord) -> Result<(), E>,
) -> Result<(), ImportError<E>> {
    for_each_line(reader, label, |line_number, line| {
        let c = columns(line, 4, label, line_number)?;
        let place_id = geonameid_of(c[3], label, line_number)?;
        for (text, kind) in [(c[1], NameKind::Official), (c[2], NameKind::Alternate)] {
            let text = text.trim();
            if !text.is_empty() {
                sink(ImportRecord::Name {
                    place_id: place_id.clone(),
                    name: Name::new(text, kind),
                })
                .map_err(ImportError::Sink)?;
            }
        }
        Ok(())
    })
}

/// Reads `countryInfo.txt`: the country's name, and its ISO alpha-2 and
/// alpha-3 codes as abbreviations (news writes "US", "UK", "RF").
pub fn read_country_info<E>(
    reader: impl BufRead,
    label: &str,
    mut sink: impl FnMut(ImportRecord) -> Result<(), E>,
) -> Result<(), ImportError<E>> {
    for_each_line(reader, label, |line_number, line| {
        let c: Vec<&str> = line.split('\t').collect();
        if c.len() < 17 {
            return Err(GazetteerError::parse(
                label,
                line_number,
                "line",
                format!("expected 19 tab-separated columns, found {}", c.len()),
            )
            .into());
        }
        let place_id = geonameid_of(c[16], label, line_number)?;
        let names = [
            (c[4], NameKind::Official),
            (c[0], NameKind::Abbreviation),
            (c[1], NameKind::Abbreviation),
        ];
        for (text, kind) in names {
            let text = text.trim();
            if !text.is_empty() {
                let mut name = Name::new(text, kind);
                if kind == NameKind::Official {
                    name.lang = "en".into();
                }
                sink(ImportRecord::Name {
                    place_id: place_id.clone(),
                    name,
                })
                .map_err(ImportError::Sink)?;
            }
        }
        Ok(())
    })
}
