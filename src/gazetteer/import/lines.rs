//! Line-by-line reading of tab-separated GeoNames files with line numbers
//! and a clear error for invalid UTF-8.

use std::io::BufRead;

use crate::gazetteer::GazetteerError;

/// Calls `each(line_number, line)` for every line that is not empty and not a
/// `#` comment. Line numbers are 1-based. Invalid UTF-8 stops with an error
/// naming the line.
pub fn for_each_line<E>(
    mut reader: impl BufRead,
    label: &str,
    mut each: impl FnMut(u64, &str) -> Result<(), super::ImportError<E>>,
) -> Result<(), super::ImportError<E>> {
    let mut buffer = Vec::with_capacity(1024);
    let mut line_number = 0u64;
    loop {
        buffer.clear();
        let read = reader
            .read_until(b'\n', &mut buffer)
            .map_err(|source| GazetteerError::Io {
                path: label.into(),
                source,
            })?;
        if read == 0 {
            return Ok(());
        }
        line_number += 1;
        let text = std::str::from_utf8(&buffer).map_err(|e| {
            GazetteerError::parse(
                label,
                line_number,
                "line",
                format!("invalid UTF-8 at byte {}", e.valid_up_to()),
            )
        })?;
        let text = text.trim_end_matches(['\n', '\r']);
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        each(line_number, text)?;
    }
}

/// Splits a tab-separated line, requiring exactly `expected` columns.
pub fn columns<'a>(
    line: &'a str,
    expected: usize,
    label: &str,
    line_number: u64,
) -> Result<Vec<&'a str>, GazetteerError> {
    let columns: Vec<&str> = line.split('\t').collect();
    if columns.len() != expected {
        return Err(GazetteerError::parse(
            label,
            line_number,
            "line",
            format!("expected {expected} tab-separated columns, found {}", columns.len()),
        ));
    }
    Ok(columns)
}
