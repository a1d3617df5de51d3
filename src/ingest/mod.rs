//! The ingest pipeline: article files in, stored articles, mentions and
//! draft incidents out. Each article is one transaction, so an interrupted
//! run leaves every finished article committed and no half-written one.

mod article;
pub mod demo;
mod html;
mod reresolve;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

pub use article::{from_html, from_markdown, from_plain, parse_day, read_article, Article};
pub use html::html_to_text;
pub use reresolve::{reresolve_place, Reresolved};

use crate::gazetteer::Gazetteer;
use crate::geoparse::Geoparser;
use crate::incidents::{propose_incidents, IncidentStatus};
use crate::store::{IngestOutcome, NewSource, Store, StoreError};

/// Why an article could not be ingested.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The file could not be read or holds no usable text.
    #[error("{0}: {1}")]
    Read(String, String),
    /// Storing failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Metadata given on the command line, used where the article lacks its own.
#[derive(Debug, Clone, Default)]
pub struct ArticleDefaults {
    /// URL.
    pub url: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Outlet.
    pub outlet: Option<String>,
    /// Publication date.
    pub published: Option<NaiveDate>,
}

/// Geoparses an article, proposes its incidents, and stores it all.
pub fn ingest_article(
    store: &mut Store,
    gazetteer: &Gazetteer,
    article: &Article,
    origin: &str,
    status: IncidentStatus,
) -> Result<IngestOutcome, IngestError> {
    ingest_article_with(store, &mut Geoparser::new(gazetteer), article, origin, status)
}

/// [`ingest_article`] with a geoparser kept from article to article: a
/// batch's articles repeat their names, and a kept geoparser answers a
/// name it has met with a hash probe (the mentions are the same either
/// way).
pub fn ingest_article_with(
    store: &mut Store,
    geoparser: &mut Geoparser<'_>,
    article: &Article,
    origin: &str,
    status: IncidentStatus,
) -> Result<IngestOutcome, IngestError> {
    let published = article.published.unwrap_or_else(|| chrono::Utc::now().date_naive());
    let mentions = geoparser.resolve_mentions(&article.text);
    let proposals = propose_incidents(&article.text, published, &mentions);
    let source = NewSource {
        url: article.url.clone(),
        title: article.title.clone(),
        outlet: article.outlet.clone(),
        published: Some(published.format("%Y-%m-%d").to_string()),
        text: article.text.clone(),
        origin: origin.to_string(),
    };
    Ok(store.ingest(&source, &mentions, &proposals, status)?)
}

/// Reads one file and applies the defaults (command-line metadata wins over
/// what the file says, so a user can correct a wrong date).
pub fn read_with_defaults(path: &Path, defaults: &ArticleDefaults) -> Result<Article, IngestError> {
    let mut article = read_article(path)?;
    if let Some(url) = &defaults.url {
        article.url = url.clone();
    }
    if let Some(title) = &defaults.title {
        article.title = title.clone();
    }
    if let Some(outlet) = &defaults.outlet {
        article.outlet = outlet.clone();
    }
    if defaults.published.is_some() {
        article.published = defaults.published;
    }
    Ok(article)
}

/// The article files under the given paths: files as given, directories
/// walked recursively for `.txt`, `.md`, `.html` and `.htm`, sorted.
pub fn article_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, IngestError> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut files)?;
        } else if path.exists() {
            files.push(path.clone());
        } else {
            return Err(IngestError::Read(
                path.display().to_string(),
                "no such file or directory".into(),
            ));
        }
    }
    Ok(files)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), IngestError> {
    let entries = std::fs::read_dir(dir).map_err(|e| IngestError::Read(dir.display().to_string(), e.to_string()))?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|e| {
            matches!(
                e.to_string_lossy().to_ascii_lowercase().as_str(),
                "txt" | "md" | "markdown" | "html" | "htm"
            )
        }) {
            out.push(path);
        }
    }
    Ok(())
}
