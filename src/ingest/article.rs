//! Reading an article file: plain text (with an optional `Key: value`
//! header), Markdown, or HTML.

use std::path::Path;

use chrono::NaiveDate;

use super::html::{html_meta, html_title, html_to_text};
use super::IngestError;

/// An article ready to geoparse and store.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    /// Headline.
    pub title: String,
    /// Outlet.
    pub outlet: String,
    /// URL.
    pub url: String,
    /// Publication date.
    pub published: Option<NaiveDate>,
    /// The text, boilerplate and markup removed.
    pub text: String,
}

/// Reads an article from `path`; the format follows the extension (`.html`,
/// `.htm`, `.md`, anything else is plain text).
pub fn read_article(path: &Path) -> Result<Article, IngestError> {
    let bytes = std::fs::read(path).map_err(|e| IngestError::Read(path.display().to_string(), e.to_string()))?;
    let raw = String::from_utf8(bytes).map_err(|e| {
        IngestError::Read(
            path.display().to_string(),
            format!(
                "not valid UTF-8 (first bad byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })?;
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let mut article = match extension.as_str() {
        "html" | "htm" => from_html(&raw),
        "md" | "markdown" => from_markdown(&raw),
        _ => from_plain(&raw),
    };
    if article.title.is_empty() {
        article.title = path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
    }
    if article.text.trim().is_empty() {
        return Err(IngestError::Read(
            path.display().to_string(),
            "no article text in the file".into(),
        ));
    }
    Ok(article)
}

/// Parses a date written `YYYY-MM-DD` (a longer timestamp is cut to its day).
pub fn parse_day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim().get(..10)?, "%Y-%m-%d").ok()
}

/// Plain text; leading `Title:`, `Outlet:`, `URL:`, `Published:` lines (until
/// the first blank line) are a header.
pub fn from_plain(raw: &str) -> Article {
    let mut article = Article {
        title: String::new(),
        outlet: String::new(),
        url: String::new(),
        published: None,
        text: String::new(),
    };
    let mut lines = raw.lines().peekable();
    let mut header_lines = 0;
    while let Some(line) = lines.peek() {
        let Some((key, value)) = line.split_once(':') else {
            break;
        };
        let value = value.trim().to_string();
        match key.trim().to_ascii_lowercase().as_str() {
            "title" => article.title = value,
            "outlet" => article.outlet = value,
            "url" => article.url = value,
            "published" | "date" => article.published = parse_day(&value),
            "sources" | "source" | "author" => {}
            _ => break,
        }
        header_lines += 1;
        lines.next();
    }
    let body: Vec<&str> = raw.lines().skip(header_lines).collect();
    article.text = body.join("\n").trim().to_string();
    article
}

/// Markdown: header as for plain text, then `#` headings, emphasis and link
/// syntax removed (link text kept).
pub fn from_markdown(raw: &str) -> Article {
    let mut article = from_plain(raw);
    let mut text = String::with_capacity(article.text.len());
    for line in article.text.lines() {
        let stripped = line.trim_start_matches('#').trim_start_matches(['>', ' ']);
        if line.starts_with('#') && article.title.is_empty() {
            article.title = stripped.trim().to_string();
        }
        text.push_str(&strip_markdown_inline(stripped));
        text.push('\n');
    }
    article.text = text.trim().to_string();
    article
}

fn strip_markdown_inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' | '_' | '`' => {}
            '[' => {
                let label: String = chars.by_ref().take_while(|&ch| ch != ']').collect();
                out.push_str(&label);
                if chars.peek() == Some(&'(') {
                    for ch in chars.by_ref() {
                        if ch == ')' {
                            break;
                        }
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// HTML: title from `<title>`, date from the usual meta tags, text without boilerplate.
pub fn from_html(raw: &str) -> Article {
    let published = [
        "article:published_time",
        "date",
        "pubdate",
        "og:published_time",
        "dc.date",
    ]
    .iter()
    .find_map(|name| html_meta(raw, name))
    .and_then(|d| parse_day(&d));
    Article {
        title: html_title(raw).unwrap_or_default(),
        outlet: html_meta(raw, "og:site_name").unwrap_or_default(),
        url: html_meta(raw, "og:url").unwrap_or_default(),
        published,
        text: html_to_text(raw),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_header_and_markdown() {
        let article = from_plain("Title: Road closed\nOutlet: Example\nPublished: 2022-12-13\n\nThe road was blocked.");
        assert_eq!(article.title, "Road closed");
        assert_eq!(article.published, NaiveDate::from_ymd_opt(2022, 12, 13));
        assert_eq!(article.text, "The road was blocked.");
        let md = from_markdown("# Blockade\n\nThe **Lachin** road was [blocked](http://x).");
        assert_eq!(md.title, "Blockade");
        assert_eq!(md.text, "Blockade\n\nThe Lachin road was blocked.");
    }
}
