//! The gazetteer tables: places (with their non-name facts as a GeoJSON
//! feature) and their names, one row per name.

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension, Transaction};
use serde_json::Value;

use super::{Store, StoreError};
use crate::gazetteer::bundled;
use crate::gazetteer::import::{collect_places, ImportFormat, ImportRecord};
use crate::gazetteer::{feature_to_place, place_to_feature, Name, NameKind, Place};

/// What an import did.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    /// Places that were new.
    pub added: u64,
    /// Existing places that changed.
    pub updated: u64,
    /// Records that changed nothing.
    pub unchanged: u64,
    /// Names added to existing places.
    pub names_added: u64,
    /// Names for places the gazetteer does not have.
    pub skipped: u64,
}

fn now() -> String {
    super::revisions::now_rfc3339()
}

/// The place feature without its names (they live in `place_names`).
fn feature_without_names(place: &Place) -> Result<String, StoreError> {
    let mut feature = place_to_feature(place);
    if let Some(props) = feature.properties.as_mut() {
        props.insert("names".into(), Value::Array(Vec::new()));
    }
    serde_json::to_string(&feature).map_err(|e| StoreError::Corrupt {
        id: place.id.clone(),
        message: e.to_string(),
    })
}

fn write_place(
    tx: &Transaction<'_>,
    place: &Place,
    revision: i64,
    curated: bool,
    origin: &str,
) -> Result<(), StoreError> {
    let feature = feature_without_names(place)?;
    tx.execute(
        "INSERT INTO places (id, revision, curated, origin, kind, lon, lat, country, status, feature, updated_at, name)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT(id) DO UPDATE SET revision = excluded.revision, curated = excluded.curated,
           origin = excluded.origin, kind = excluded.kind, lon = excluded.lon, lat = excluded.lat,
           country = excluded.country, status = excluded.status, feature = excluded.feature,
           updated_at = excluded.updated_at, name = excluded.name",
        params![
            place.id,
            revision,
            curated,
            origin,
            place.kind.to_string(),
            place.lon(),
            place.lat(),
            place.country,
            place.status.as_str(),
            feature,
            now(),
            place.primary_name()
        ],
    )?;
    tx.execute("DELETE FROM place_names WHERE place_id = ?1", params![place.id])?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO place_names (place_id, position, text, lang, script, kind, valid_from, valid_to)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for (position, name) in place.names.iter().enumerate() {
        insert.execute(params![
            place.id,
            position as i64,
            name.text,
            name.lang,
            name.script,
            name.kind.as_str(),
            name.valid_from,
            name.valid_to
        ])?;
    }
    Ok(())
}

fn read_names(tx: &rusqlite::Connection, id: &str) -> Result<Vec<Name>, StoreError> {
    let mut statement = tx.prepare_cached(
        "SELECT text, lang, script, kind, valid_from, valid_to FROM place_names WHERE place_id = ?1 ORDER BY position",
    )?;
    let rows = statement.query_map(params![id], name_from_row)?;
    let mut names = Vec::new();
    for row in rows {
        names.push(row?);
    }
    Ok(names)
}

fn name_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Name> {
    let kind: String = row.get(3)?;
    Ok(Name {
        text: row.get(0)?,
        lang: row.get(1)?,
        script: std::borrow::Cow::Owned(row.get(2)?),
        kind: NameKind::parse(&kind).unwrap_or(NameKind::Alternate),
        valid_from: row.get(4)?,
        valid_to: row.get(5)?,
    })
}

fn place_from_feature(id: &str, feature: &str, names: Vec<Name>) -> Result<Place, StoreError> {
    let corrupt = |message: String| StoreError::Corrupt {
        id: id.to_string(),
        message,
    };
    let mut feature: geojson::Feature = feature
        .parse::<geojson::GeoJson>()
        .map_err(|e| corrupt(e.to_string()))
        .and_then(|g| geojson::Feature::try_from(g).map_err(|e| corrupt(e.to_string())))?;
    // The names come from their own table; a placeholder keeps validation happy.
    if let Some(props) = feature.properties.as_mut() {
        let names_json = serde_json::to_value(&names).map_err(|e| corrupt(e.to_string()))?;
        props.insert("names".into(), names_json);
    }
    feature_to_place(&feature, "database", 0).map_err(|e| corrupt(e.to_string()))
}

/// Writes an edited place as its next revision, logging before and after.
pub(super) fn write_place_revision(
    tx: &Transaction<'_>,
    place: &Place,
    revision: i64,
    user_id: i64,
    why: &str,
    before: &geojson::Feature,
) -> Result<(), StoreError> {
    write_place(tx, place, revision, true, "edit")?;
    let after = place_to_feature(place);
    super::revisions::record(
        tx,
        "place",
        &place.id,
        revision,
        Some(user_id),
        why,
        serde_json::to_value(before).ok().as_ref(),
        serde_json::to_value(&after).ok().as_ref(),
    )?;
    Ok(())
}

impl Store {
    /// Adds a new place written by an editor (revision 1, curated).
    pub fn create_place(&mut self, place: &Place, user_id: i64, why: &str) -> Result<(), StoreError> {
        place.validate()?;
        let tx = self.conn.transaction()?;
        let exists: Option<i64> = tx
            .query_row("SELECT 1 FROM places WHERE id = ?1", params![place.id], |r| r.get(0))
            .optional()?;
        if exists.is_some() {
            return Err(StoreError::Invalid(format!("a place with id {} exists", place.id)));
        }
        write_place(&tx, place, 1, true, "edit")?;
        let after = place_to_feature(place);
        super::revisions::record(
            &tx,
            "place",
            &place.id,
            1,
            Some(user_id),
            why,
            None,
            serde_json::to_value(&after).ok().as_ref(),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Number of places stored.
    pub fn place_count(&self) -> Result<u64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM places", [], |r| r.get::<_, i64>(0))? as u64)
    }

    /// Every place, with its names, sorted by id.
    pub fn load_places(&self) -> Result<Vec<Place>, StoreError> {
        let mut names: HashMap<String, Vec<Name>> = HashMap::new();
        let mut statement = self.conn.prepare(
            "SELECT place_id, text, lang, script, kind, valid_from, valid_to FROM place_names ORDER BY place_id, position",
        )?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            let kind: String = row.get(4)?;
            names.entry(id).or_default().push(Name {
                text: row.get(1)?,
                lang: row.get(2)?,
                script: std::borrow::Cow::Owned(row.get(3)?),
                kind: NameKind::parse(&kind).unwrap_or(NameKind::Alternate),
                valid_from: row.get(5)?,
                valid_to: row.get(6)?,
            });
        }
        let mut statement = self.conn.prepare("SELECT id, feature FROM places ORDER BY id")?;
        let mut rows = statement.query([])?;
        let mut places = Vec::new();
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            let feature: String = row.get(1)?;
            let place_names = names.remove(&id).unwrap_or_default();
            places.push(place_from_feature(&id, &feature, place_names)?);
        }
        Ok(places)
    }

    /// One place by id.
    pub fn place(&self, id: &str) -> Result<Option<Place>, StoreError> {
        let feature: Option<String> = self
            .conn
            .query_row("SELECT feature FROM places WHERE id = ?1", params![id], |r| r.get(0))
            .optional()?;
        match feature {
            None => Ok(None),
            Some(feature) => {
                let names = read_names(&self.conn, id)?;
                place_from_feature(id, &feature, names).map(Some)
            }
        }
    }

    /// The revision number of a place (1 when first written).
    pub fn place_revision(&self, id: &str) -> Result<Option<i64>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT revision FROM places WHERE id = ?1", params![id], |r| r.get(0))
            .optional()?)
    }

    /// Seeds a new database with the bundled gazetteer: the world layer as
    /// imported data, the regional layer as curated data.
    pub(super) fn seed_bundled(&mut self) -> Result<(), StoreError> {
        self.apply_bundled(false).map(|_| ())
    }

    /// Whether the places were last brought up to this build's bundled
    /// gazetteer.
    pub(super) fn has_current_bundled_data(&self) -> Result<bool, StoreError> {
        let stored: Option<String> = self
            .conn
            .query_row("SELECT fingerprint FROM bundled_data", [], |r| r.get(0))
            .optional()?;
        Ok(stored.as_deref() == Some(bundled::fingerprint()))
    }

    /// Brings a database seeded by another build up to this build's bundled
    /// gazetteer, in one transaction: places it lacks are added, places a
    /// bundled layer last wrote are updated (with a new revision when they
    /// change), and places an editor or an import last wrote are left as
    /// they are. Places the bundled data no longer has stay: incidents may
    /// refer to them.
    pub(super) fn refresh_bundled(&mut self) -> Result<ImportReport, StoreError> {
        self.apply_bundled(true)
    }

    /// Writes the bundled layers, the world's as imported data and the
    /// regional one as curated data, and records the bundled data's
    /// fingerprint. With `keep_others`, a place whose row another origin
    /// than a bundled layer wrote is not touched.
    fn apply_bundled(&mut self, keep_others: bool) -> Result<ImportReport, StoreError> {
        let world = bundled::world_layer()?;
        let mut regional = Vec::new();
        collect_places(
            bundled::regional_layer_geojson().as_bytes(),
            "data/regional/karabakh.geojson",
            ImportFormat::GeoJson,
            &mut regional,
        )?;
        let tx = self.conn.transaction()?;
        let mut report = ImportReport::default();
        let layers = [(world, "bundled:world", false), (regional, "bundled:regional", true)];
        for (places, origin, curated) in layers {
            for place in places {
                if keep_others && written_by_other_origin(&tx, &place.id)? {
                    report.unchanged += 1;
                    continue;
                }
                apply_record(&tx, ImportRecord::Place(Box::new(place)), origin, curated, &mut report)?;
            }
        }
        tx.execute("DELETE FROM bundled_data", [])?;
        tx.execute(
            "INSERT INTO bundled_data (fingerprint) VALUES (?1)",
            params![bundled::fingerprint()],
        )?;
        tx.commit()?;
        Ok(report)
    }

    /// Imports records in one transaction: all of them or, on the first
    /// error (from `records` or from SQLite), none. `curated` marks the
    /// records as curated facts, which later plain imports will not overwrite.
    pub fn import<E>(
        &mut self,
        origin: &str,
        curated: bool,
        records: impl FnOnce(&mut dyn FnMut(ImportRecord) -> Result<(), StoreError>) -> Result<(), E>,
    ) -> Result<ImportReport, E>
    where
        E: From<StoreError>,
    {
        let tx = self.conn.transaction().map_err(StoreError::from)?;
        let mut report = ImportReport::default();
        {
            let mut sink = |record: ImportRecord| apply_record(&tx, record, origin, curated, &mut report);
            records(&mut sink)?;
        }
        tx.commit().map_err(StoreError::from)?;
        Ok(report)
    }
}

/// Whether the place `id` exists and its row was last written by something
/// other than a bundled layer (an editor, an import).
fn written_by_other_origin(tx: &Transaction<'_>, id: &str) -> Result<bool, StoreError> {
    let origin: Option<String> = tx
        .query_row("SELECT origin FROM places WHERE id = ?1", params![id], |r| r.get(0))
        .optional()?;
    Ok(origin.is_some_and(|origin| !origin.starts_with("bundled:")))
}

/// Applies one import record inside a transaction.
fn apply_record(
    tx: &Transaction<'_>,
    record: ImportRecord,
    origin: &str,
    curated: bool,
    report: &mut ImportReport,
) -> Result<(), StoreError> {
    match record {
        ImportRecord::Place(incoming) => {
            let existing: Option<(i64, bool, String)> = tx
                .query_row(
                    "SELECT revision, curated, feature FROM places WHERE id = ?1",
                    params![incoming.id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            match existing {
                None => {
                    write_place(tx, &incoming, 1, curated, origin)?;
                    report.added += 1;
                }
                Some((revision, was_curated, feature)) => {
                    let names = read_names(tx, &incoming.id)?;
                    let mut place = place_from_feature(&incoming.id, &feature, names)?;
                    let before = place.clone();
                    // A curated place keeps its facts against a plain import;
                    // curated data and re-imports of plain data replace them.
                    place.merge_from(*incoming, curated || !was_curated);
                    if place == before {
                        report.unchanged += 1;
                    } else {
                        write_place(tx, &place, revision + 1, curated || was_curated, origin)?;
                        report.updated += 1;
                    }
                }
            }
        }
        ImportRecord::Name { place_id, name } => {
            let revision: Option<i64> = tx
                .query_row("SELECT revision FROM places WHERE id = ?1", params![place_id], |r| {
                    r.get(0)
                })
                .optional()?;
            let Some(revision) = revision else {
                report.skipped += 1;
                return Ok(());
            };
            let present: Option<i64> = tx
                .query_row(
                    "SELECT 1 FROM place_names WHERE place_id = ?1 AND text = ?2",
                    params![place_id, name.text],
                    |r| r.get(0),
                )
                .optional()?;
            if present.is_some() {
                report.unchanged += 1;
                return Ok(());
            }
            let position: i64 = tx.query_row(
                "SELECT coalesce(max(position) + 1, 0) FROM place_names WHERE place_id = ?1",
                params![place_id],
                |r| r.get(0),
            )?;
            tx.execute(
                "INSERT INTO place_names (place_id, position, text, lang, script, kind, valid_from, valid_to)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    place_id,
                    position,
                    name.text,
                    name.lang,
                    name.script,
                    name.kind.as_str(),
                    name.valid_from,
                    name.valid_to
                ],
            )?;
            // the display name may change when an official name arrives
            tx.execute(
                "UPDATE places SET revision = ?2, updated_at = ?3, name = (SELECT x.text FROM place_names x WHERE x.place_id = ?1
                    ORDER BY (x.kind = 'official' AND x.script = 'Latn') DESC, (x.kind = 'official') DESC, x.position LIMIT 1)
                 WHERE id = ?1",
                params![place_id, revision + 1, now()],
            )?;
            report.names_added += 1;
        }
    }
    Ok(())
}
