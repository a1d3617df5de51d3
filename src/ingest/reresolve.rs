//! After a gazetteer edit, the articles that mention the place (or one of its
//! names) are geoparsed again; mentions the machine placed differently go
//! back to the review queue.

use serde::Serialize;

use super::IngestError;
use crate::gazetteer::Gazetteer;
use crate::geoparse::Geoparser;
use crate::store::Store;

/// Most articles re-read after one edit (the rest wait for the next ingest).
const MAX_ARTICLES: i64 = 500;

/// What re-resolution did.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Reresolved {
    /// Articles geoparsed again.
    pub articles: usize,
    /// Mentions that changed place or were newly found.
    pub mentions_changed: usize,
}

/// Re-resolves the articles affected by an edit of `place_id` (already
/// applied to `store` and to `gazetteer`).
pub fn reresolve_place(store: &mut Store, gazetteer: &Gazetteer, place_id: &str) -> Result<Reresolved, IngestError> {
    let mut articles = store.sources_mentioning_place(place_id)?;
    if let Some(place) = gazetteer.get(place_id) {
        let names: Vec<String> = place.names.iter().map(|n| n.text.clone()).collect();
        for (id, text) in store.sources_containing(&names, MAX_ARTICLES)? {
            if !articles.iter().any(|(a, _)| *a == id) {
                articles.push((id, text));
            }
        }
    }
    articles.truncate(MAX_ARTICLES as usize);
    let mut report = Reresolved {
        articles: articles.len(),
        ..Reresolved::default()
    };
    let mut geoparser = Geoparser::new(gazetteer);
    for (source_id, text) in articles {
        let mentions = geoparser.resolve_mentions(&text);
        report.mentions_changed += store.update_auto_mentions(
            source_id,
            &mentions,
            &format!("re-resolved after an edit of {place_id}"),
        )?;
    }
    Ok(report)
}
