//! The demo articles in `data/demo/`, written for sitrep about real, dated
//! incidents: ingested and published on first run, so the first map a user
//! sees is real.

use super::{from_plain, ingest_article_with, IngestError};
use crate::gazetteer::Gazetteer;
use crate::geoparse::Geoparser;
use crate::incidents::IncidentStatus;
use crate::store::Store;

include!(concat!(env!("OUT_DIR"), "/demo_articles.rs"));

/// Ingests and publishes the demo articles into a store that has no
/// articles yet. Returns how many incidents were created.
pub fn seed_demo(store: &mut Store, gazetteer: &Gazetteer) -> Result<usize, IngestError> {
    if store.source_count()? > 0 {
        return Ok(0);
    }
    let mut created = 0;
    let mut geoparser = Geoparser::new(gazetteer);
    for (name, text) in DEMO_ARTICLES {
        let article = from_plain(text);
        let outcome = ingest_article_with(
            store,
            &mut geoparser,
            &article,
            &format!("demo:{name}"),
            IncidentStatus::Published,
        )?;
        created += outcome.created.len();
    }
    Ok(created)
}
