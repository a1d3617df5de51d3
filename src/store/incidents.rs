//! Incidents, their sources and casualty claims; ingesting an article;
//! merging reports of one event; edits with revisions and conflicts.

use chrono::{Duration, NaiveDate};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;

use super::articles::{insert_mentions, insert_source, NewSource};
use super::revisions;
use super::{Store, StoreError};
use crate::gazetteer::haversine_m;
use crate::geoparse::Mention;
use crate::incidents::{
    CasualtyClaim, CasualtyKind, Evidence, Incident, IncidentSource, IncidentStatus, Location, ProposedIncident,
};

/// Reports of one event are merged when their places are this close (metres).
const MERGE_DISTANCE_M: f64 = 25_000.0;

/// What the store holds.
#[derive(Debug, Clone, Serialize)]
pub struct StoreStats {
    /// Gazetteer places.
    pub places: i64,
    /// Articles.
    pub sources: i64,
    /// Place mentions.
    pub mentions: i64,
    /// Incidents.
    pub incidents: i64,
    /// Revision log entries.
    pub revisions: i64,
    /// Incidents that repeat another's day, type and place.
    pub duplicate_incidents: i64,
    /// SQLite's integrity check ("ok").
    pub integrity: String,
}

/// What ingesting one article did.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct IngestOutcome {
    /// The article's id.
    pub source_id: i64,
    /// False when the same text was already stored (nothing else changed).
    pub new_source: bool,
    /// Mentions stored.
    pub mentions: usize,
    /// Incidents created.
    pub created: Vec<i64>,
    /// Existing incidents this article was merged into.
    pub merged: Vec<i64>,
}

fn date_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn parse_date(text: &str) -> rusqlite::Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}

fn place_point(tx: &rusqlite::Connection, place_id: &str) -> Result<Option<geo::Point<f64>>, StoreError> {
    Ok(tx
        .query_row("SELECT lon, lat FROM places WHERE id = ?1", params![place_id], |r| {
            Ok(geo::Point::new(r.get(0)?, r.get(1)?))
        })
        .optional()?)
}

/// An existing incident the proposal reports again: same type, overlapping
/// dates (a day of slack), places within [`MERGE_DISTANCE_M`].
fn matching_incident(tx: &Transaction<'_>, proposal: &ProposedIncident) -> Result<Option<i64>, StoreError> {
    let Some(location) = &proposal.location else {
        return Ok(None);
    };
    let Some(point) = place_point(tx, &location.place_id)? else {
        return Ok(None);
    };
    let mut statement = tx.prepare(
        "SELECT i.id, p.lon, p.lat FROM incidents i JOIN places p ON p.id = i.place_id
         WHERE i.event_type = ?1 AND i.status != 'rejected' AND i.date_start <= ?2 AND i.date_end >= ?3
         ORDER BY i.id",
    )?;
    let rows = statement.query_map(
        params![
            proposal.event_type,
            date_text(proposal.date_end + Duration::days(1)),
            date_text(proposal.date_start - Duration::days(1))
        ],
        |r| Ok((r.get::<_, i64>(0)?, geo::Point::new(r.get(1)?, r.get(2)?))),
    )?;
    for row in rows {
        let (id, other) = row?;
        if haversine_m(point, other) <= MERGE_DISTANCE_M {
            return Ok(Some(id));
        }
    }
    Ok(None)
}

fn insert_claims(
    tx: &Transaction<'_>,
    incident_id: i64,
    source_id: i64,
    claims: &[CasualtyClaim],
) -> Result<(), StoreError> {
    for claim in claims {
        insert_claim(tx, incident_id, Some(source_id), claim)?;
    }
    Ok(())
}

fn insert_claim(
    tx: &Transaction<'_>,
    incident_id: i64,
    source_id: Option<i64>,
    claim: &CasualtyClaim,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO claims (incident_id, source_id, party, kind, low, best, high, quote, quote_start, quote_end)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            incident_id,
            source_id,
            claim.party,
            claim.kind.as_str(),
            claim.low,
            claim.best,
            claim.high,
            claim.evidence.quote,
            claim.evidence.start as i64,
            claim.evidence.end as i64
        ],
    )?;
    Ok(())
}

/// Replaces every casualty claim of an incident with `claims`, in order
/// (each keeps the source it names).
fn replace_claims(tx: &Transaction<'_>, incident_id: i64, claims: &[CasualtyClaim]) -> Result<(), StoreError> {
    tx.execute("DELETE FROM claims WHERE incident_id = ?1", params![incident_id])?;
    for claim in claims {
        insert_claim(tx, incident_id, claim.source_id, claim)?;
    }
    Ok(())
}

fn link_source(
    tx: &Transaction<'_>,
    incident_id: i64,
    source_id: i64,
    proposal: &ProposedIncident,
    merged: bool,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT OR IGNORE INTO incident_sources (incident_id, source_id, quote, quote_start, quote_end, proposal, merged)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            incident_id,
            source_id,
            proposal.evidence.quote,
            proposal.evidence.start as i64,
            proposal.evidence.end as i64,
            serde_json::to_string(proposal).unwrap_or_default(),
            merged
        ],
    )?;
    insert_claims(tx, incident_id, source_id, &proposal.claims)
}

/// Records a change to an incident's articles (not to its own fields): a
/// new revision, with `note` as what changed. Returns the revision.
fn bump_incident_revision(
    tx: &Transaction<'_>,
    incident_id: i64,
    user_id: i64,
    why: &str,
    note: &serde_json::Value,
) -> Result<i64, StoreError> {
    let revision: i64 = tx.query_row(
        "SELECT revision + 1 FROM incidents WHERE id = ?1",
        params![incident_id],
        |r| r.get(0),
    )?;
    tx.execute(
        "UPDATE incidents SET revision = ?2, updated_at = ?3 WHERE id = ?1",
        params![incident_id, revision, revisions::now_rfc3339()],
    )?;
    revisions::record(
        tx,
        "incident",
        &incident_id.to_string(),
        revision,
        Some(user_id),
        why,
        None,
        Some(note),
    )?;
    Ok(revision)
}

/// The evidence stored in three columns from `first`: quote, start, end.
fn evidence_at(row: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<Evidence> {
    Ok(Evidence {
        quote: row.get(first)?,
        start: row.get::<_, i64>(first + 1)?.max(0) as usize,
        end: row.get::<_, i64>(first + 2)?.max(0) as usize,
    })
}

fn insert_incident(
    tx: &Transaction<'_>,
    proposal: &ProposedIncident,
    source_id: i64,
    status: IncidentStatus,
) -> Result<i64, StoreError> {
    let now = revisions::now_rfc3339();
    let location = proposal.location.as_ref();
    tx.execute(
        "INSERT INTO incidents (revision, status, date_start, date_end, time_precision, time_of_day, event_type, sub_event_type,
            actor1, actor2, place_id, road_id, geo_precision, radius_m, location_name, notes, tags, confidence, field_evidence,
            created_at, updated_at)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, '', '[]', ?15, ?16, ?17, ?17)",
        params![
            status.as_str(),
            date_text(proposal.date_start),
            date_text(proposal.date_end),
            proposal.time_precision,
            proposal.time_of_day,
            proposal.event_type,
            proposal.sub_event_type,
            proposal.actor1,
            proposal.actor2,
            location.map(|l| l.place_id.clone()),
            location.and_then(|l| l.road_id.clone()),
            location.map_or(3, |l| l.geo_precision),
            location.map_or(50_000.0, |l| l.radius_m),
            location.map_or(String::new(), |l| l.name.clone()),
            proposal.confidence,
            serde_json::to_string(&proposal.field_evidence).unwrap_or_else(|_| "[]".into()),
            now
        ],
    )?;
    let id = tx.last_insert_rowid();
    link_source(tx, id, source_id, proposal, false)?;
    let after = serde_json::to_value(proposal).ok();
    revisions::record(
        tx,
        "incident",
        &id.to_string(),
        1,
        Some(1),
        &format!("proposed from article {source_id}"),
        None,
        after.as_ref(),
    )?;
    Ok(id)
}

impl Store {
    /// Stores an article with its mentions and proposed incidents, all in one
    /// transaction: an interrupted ingest leaves no half-written article.
    /// Re-ingesting the same text changes nothing. A proposal that reports an
    /// incident already stored is merged into it as a further source.
    pub fn ingest(
        &mut self,
        source: &NewSource,
        mentions: &[Mention],
        proposals: &[ProposedIncident],
        status: IncidentStatus,
    ) -> Result<IngestOutcome, StoreError> {
        let tx = self.conn.transaction()?;
        let (source_id, new_source) = insert_source(&tx, source)?;
        let mut outcome = IngestOutcome {
            source_id,
            new_source,
            ..IngestOutcome::default()
        };
        if !new_source {
            return Ok(outcome);
        }
        outcome.mentions = insert_mentions(&tx, source_id, mentions)?;
        for proposal in proposals {
            match matching_incident(&tx, proposal)? {
                Some(existing) => {
                    link_source(&tx, existing, source_id, proposal, true)?;
                    bump_incident_revision(
                        &tx,
                        existing,
                        1,
                        &format!("merged article {source_id}: same event"),
                        &serde_json::json!({"merged_source": source_id}),
                    )?;
                    outcome.merged.push(existing);
                }
                None => outcome.created.push(insert_incident(&tx, proposal, source_id, status)?),
            }
        }
        tx.commit()?;
        Ok(outcome)
    }

    /// Stores an article and its proposals as new incidents without looking
    /// for reports of the same event (bulk loads of known-distinct events).
    pub fn ingest_unmerged(
        &mut self,
        source: &NewSource,
        proposals: &[ProposedIncident],
        status: IncidentStatus,
    ) -> Result<IngestOutcome, StoreError> {
        let tx = self.conn.transaction()?;
        let (source_id, new_source) = insert_source(&tx, source)?;
        let mut outcome = IngestOutcome {
            source_id,
            new_source,
            ..IngestOutcome::default()
        };
        if new_source {
            for proposal in proposals {
                outcome.created.push(insert_incident(&tx, proposal, source_id, status)?);
            }
        }
        tx.commit()?;
        Ok(outcome)
    }

    /// Restores an incident's fields to what they were after revision
    /// `to_revision`, as a new revision (history is never rewritten).
    pub fn revert_incident(
        &mut self,
        id: i64,
        to_revision: i64,
        based_on: i64,
        user_id: i64,
        why: &str,
    ) -> Result<Incident, StoreError> {
        let history = self.incident_history(id)?;
        let snapshot: Incident = history
            .iter()
            .filter_map(|r| {
                if r.revision == to_revision {
                    r.after.clone().and_then(|a| serde_json::from_value::<Incident>(a).ok())
                } else if r.revision == to_revision + 1 {
                    r.before
                        .clone()
                        .and_then(|b| serde_json::from_value::<Incident>(b).ok())
                } else {
                    None
                }
            })
            .next_back()
            .ok_or_else(|| StoreError::Invalid(format!("incident {id} has no restorable revision {to_revision}")))?;
        self.update_incident(id, based_on, user_id, why, move |incident| {
            let (keep_id, keep_sources) = (incident.id, std::mem::take(&mut incident.sources));
            let current_claims = std::mem::take(&mut incident.claims);
            let snapshot_sources: Vec<i64> = snapshot.sources.iter().map(|s| s.source_id).collect();
            let linked = |source: i64| keep_sources.iter().any(|k| k.source_id == source);
            *incident = snapshot;
            incident.id = keep_id;
            // The claims come back as they were, except those of an article
            // split off since (they went with it to its own incident); the
            // claims of an article merged in since stay with its link.
            incident.claims.retain(|c| c.source_id.is_none_or(&linked));
            incident.claims.extend(
                current_claims
                    .into_iter()
                    .filter(|c| c.source_id.is_some_and(|s| !snapshot_sources.contains(&s))),
            );
            incident.sources = keep_sources;
            Ok(())
        })
    }

    /// Undoes the merge of an article into an incident: the article's link
    /// and claims leave it, and the incident it proposed is created on its
    /// own. Returns the new incident's id.
    pub fn unmerge_source(&mut self, incident_id: i64, source_id: i64, user_id: i64) -> Result<i64, StoreError> {
        let tx = self.conn.transaction()?;
        let link: Option<(String, bool)> = tx
            .query_row(
                "SELECT proposal, merged FROM incident_sources WHERE incident_id = ?1 AND source_id = ?2",
                params![incident_id, source_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (proposal, merged) = link.ok_or(StoreError::NotFound {
            entity: "incident source",
            id: format!("{incident_id}/{source_id}"),
        })?;
        if !merged {
            return Err(StoreError::Invalid(format!(
                "article {source_id} proposed incident {incident_id}; only merged articles can be split off"
            )));
        }
        let proposal: ProposedIncident = serde_json::from_str(&proposal).map_err(|e| StoreError::Corrupt {
            id: incident_id.to_string(),
            message: e.to_string(),
        })?;
        let status: String = tx.query_row(
            "SELECT status FROM incidents WHERE id = ?1",
            params![incident_id],
            |r| r.get(0),
        )?;
        tx.execute(
            "DELETE FROM claims WHERE incident_id = ?1 AND source_id = ?2",
            params![incident_id, source_id],
        )?;
        tx.execute(
            "DELETE FROM incident_sources WHERE incident_id = ?1 AND source_id = ?2",
            params![incident_id, source_id],
        )?;
        bump_incident_revision(
            &tx,
            incident_id,
            user_id,
            &format!("article {source_id} split off: not the same event"),
            &serde_json::json!({"split_source": source_id}),
        )?;
        let status = IncidentStatus::parse(&status).unwrap_or(IncidentStatus::Draft);
        let new_id = insert_incident(&tx, &proposal, source_id, status)?;
        tx.commit()?;
        Ok(new_id)
    }

    /// One incident with its sources and claims.
    pub fn incident(&self, id: i64) -> Result<Option<Incident>, StoreError> {
        Ok(self.incidents_where("i.id = ?1", params![id])?.into_iter().next())
    }

    /// Every incident, ordered by id.
    pub fn all_incidents(&self) -> Result<Vec<Incident>, StoreError> {
        self.incidents_where("1 = 1", params![])
    }

    /// Draft incidents, lowest confidence first.
    pub fn drafts_to_review(&self, limit: i64) -> Result<Vec<Incident>, StoreError> {
        let mut drafts = self.incidents_where("i.status = 'draft'", params![])?;
        drafts.sort_by(|a, b| a.confidence.total_cmp(&b.confidence).then(a.id.cmp(&b.id)));
        drafts.truncate(limit.max(0) as usize);
        Ok(drafts)
    }

    fn incidents_where(&self, condition: &str, args: &[&dyn rusqlite::ToSql]) -> Result<Vec<Incident>, StoreError> {
        let mut statement = self.conn.prepare(&format!(
            "SELECT i.id, i.revision, i.status, i.date_start, i.date_end, i.time_precision, i.time_of_day, i.event_type,
                    i.sub_event_type, i.actor1, i.actor2, i.place_id, i.road_id, i.geo_precision, i.radius_m, i.location_name,
                    i.notes, i.tags, i.confidence, i.field_evidence
             FROM incidents i WHERE {condition} ORDER BY i.id"
        ))?;
        let rows = statement.query_map(args, |r| {
            let place_id: Option<String> = r.get(11)?;
            let tags: String = r.get(17)?;
            let evidence: String = r.get(19)?;
            let status: String = r.get(2)?;
            Ok(Incident {
                id: r.get(0)?,
                revision: r.get(1)?,
                status: IncidentStatus::parse(&status).unwrap_or(IncidentStatus::Draft),
                date_start: parse_date(&r.get::<_, String>(3)?)?,
                date_end: parse_date(&r.get::<_, String>(4)?)?,
                time_precision: r.get(5)?,
                time_of_day: r.get(6)?,
                event_type: r.get(7)?,
                sub_event_type: r.get(8)?,
                actor1: r.get(9)?,
                actor2: r.get(10)?,
                location: match place_id {
                    Some(place_id) => Some(Location {
                        place_id,
                        road_id: r.get(12)?,
                        geo_precision: r.get(13)?,
                        radius_m: r.get(14)?,
                        name: r.get(15)?,
                    }),
                    None => None,
                },
                claims: Vec::new(),
                notes: r.get(16)?,
                tags: serde_json::from_str(&tags).unwrap_or_default(),
                confidence: r.get(18)?,
                sources: Vec::new(),
                field_evidence: serde_json::from_str(&evidence).unwrap_or_default(),
            })
        })?;
        let mut incidents = rows.collect::<Result<Vec<_>, _>>()?;
        for incident in &mut incidents {
            incident.claims = self.claims_of(incident.id)?;
            incident.sources = self.sources_of(incident.id)?;
        }
        Ok(incidents)
    }

    fn claims_of(&self, incident_id: i64) -> Result<Vec<CasualtyClaim>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT party, kind, low, best, high, quote, quote_start, quote_end, source_id FROM claims WHERE incident_id = ?1 ORDER BY id",
        )?;
        let rows = statement.query_map(params![incident_id], |r| {
            let kind: String = r.get(1)?;
            Ok(CasualtyClaim {
                party: r.get(0)?,
                kind: if kind == "injured" {
                    CasualtyKind::Injured
                } else {
                    CasualtyKind::Killed
                },
                low: r.get(2)?,
                best: r.get(3)?,
                high: r.get(4)?,
                evidence: evidence_at(r, 5)?,
                source_id: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    fn sources_of(&self, incident_id: i64) -> Result<Vec<IncidentSource>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT s.id, s.title, s.outlet, s.url, s.published, l.quote, l.quote_start, l.quote_end, l.merged
             FROM incident_sources l JOIN sources s ON s.id = l.source_id WHERE l.incident_id = ?1 ORDER BY s.id",
        )?;
        let rows = statement.query_map(params![incident_id], |r| {
            Ok(IncidentSource {
                source_id: r.get(0)?,
                title: r.get(1)?,
                outlet: r.get(2)?,
                url: r.get(3)?,
                published: r.get(4)?,
                evidence: evidence_at(r, 5)?,
                merged: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Counts of what the store holds, and whether it is sound.
    pub fn stats(&self) -> Result<StoreStats, StoreError> {
        let count = |sql: &str| -> Result<i64, StoreError> { Ok(self.conn.query_row(sql, [], |r| r.get(0))?) };
        Ok(StoreStats {
            places: count("SELECT count(*) FROM places")?,
            sources: count("SELECT count(*) FROM sources")?,
            mentions: count("SELECT count(*) FROM mentions")?,
            incidents: count("SELECT count(*) FROM incidents")?,
            revisions: count("SELECT count(*) FROM revisions")?,
            duplicate_incidents: count(
                "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM incidents
                 GROUP BY date_start, date_end, event_type, place_id HAVING n > 1)",
            )?,
            integrity: self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?,
        })
    }

    /// Number of incidents.
    pub fn incident_count(&self) -> Result<u64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM incidents", [], |r| r.get::<_, i64>(0))? as u64)
    }

    /// Applies `change` to an incident if `based_on` is its current revision,
    /// recording the revision with who and why (before and after, claims
    /// included). A stale `based_on` is a [`StoreError::Conflict`]; nothing
    /// is written. When `change` alters the casualty claims they are checked
    /// ([`crate::incidents::validate_claims`]: a claim may only name one of
    /// the incident's own sources) and replace the stored ones; invalid
    /// claims are a [`StoreError::Invalid`] naming the field, and nothing
    /// is written. Sources cannot be changed here.
    pub fn update_incident(
        &mut self,
        id: i64,
        based_on: i64,
        user_id: i64,
        why: &str,
        change: impl FnOnce(&mut Incident) -> Result<(), StoreError>,
    ) -> Result<Incident, StoreError> {
        let before = self.incident(id)?.ok_or(StoreError::NotFound {
            entity: "incident",
            id: id.to_string(),
        })?;
        if before.revision != based_on {
            return Err(StoreError::Conflict {
                entity: "incident",
                id: id.to_string(),
                based_on,
                current: before.revision,
            });
        }
        let mut after = before.clone();
        change(&mut after)?;
        if !crate::incidents::taxonomy::is_valid(&after.event_type, &after.sub_event_type) {
            return Err(StoreError::Invalid(format!(
                "{:?} / {:?} is not an ACLED event type and sub-type",
                after.event_type, after.sub_event_type
            )));
        }
        let claims_changed = after.claims != before.claims;
        if claims_changed {
            let source_ids: Vec<i64> = before.sources.iter().map(|s| s.source_id).collect();
            crate::incidents::validate_claims(&after.claims, &source_ids)
                .map_err(|e| StoreError::Invalid(e.to_string()))?;
        }
        after.sources = before.sources.clone();
        after.revision = before.revision + 1;
        let tx = self.conn.transaction()?;
        let location = after.location.as_ref();
        let changed = tx.execute(
            "UPDATE incidents SET revision = ?2, status = ?3, date_start = ?4, date_end = ?5, time_precision = ?6,
                time_of_day = ?7, event_type = ?8, sub_event_type = ?9, actor1 = ?10, actor2 = ?11, place_id = ?12,
                road_id = ?13, geo_precision = ?14, radius_m = ?15, location_name = ?16, notes = ?17, tags = ?18,
                updated_at = ?19
             WHERE id = ?1 AND revision = ?20",
            params![
                id,
                after.revision,
                after.status.as_str(),
                date_text(after.date_start),
                date_text(after.date_end),
                after.time_precision,
                after.time_of_day,
                after.event_type,
                after.sub_event_type,
                after.actor1,
                after.actor2,
                location.map(|l| l.place_id.clone()),
                location.and_then(|l| l.road_id.clone()),
                location.map_or(3, |l| l.geo_precision),
                location.map_or(50_000.0, |l| l.radius_m),
                location.map_or(String::new(), |l| l.name.clone()),
                after.notes,
                serde_json::to_string(&after.tags).unwrap_or_else(|_| "[]".into()),
                revisions::now_rfc3339(),
                based_on
            ],
        )?;
        if changed != 1 {
            // someone else won the race between our read and this write
            return Err(StoreError::Conflict {
                entity: "incident",
                id: id.to_string(),
                based_on,
                current: based_on + 1,
            });
        }
        if claims_changed {
            replace_claims(&tx, id, &after.claims)?;
        }
        revisions::record(
            &tx,
            "incident",
            &id.to_string(),
            after.revision,
            Some(user_id),
            why,
            serde_json::to_value(&before).ok().as_ref(),
            serde_json::to_value(&after).ok().as_ref(),
        )?;
        tx.commit()?;
        Ok(after)
    }

    /// Every revision of an incident, oldest first.
    pub fn incident_history(&self, id: i64) -> Result<Vec<revisions::Revision>, StoreError> {
        revisions::history(&self.conn, "incident", &id.to_string())
    }

    /// Every revision of a place, oldest first.
    pub fn place_history(&self, id: &str) -> Result<Vec<revisions::Revision>, StoreError> {
        revisions::history(&self.conn, "place", id)
    }

    /// The change feed: revisions after `since`.
    pub fn changes_since(&self, since: i64, limit: i64) -> Result<Vec<revisions::Revision>, StoreError> {
        revisions::changes_since(&self.conn, since, limit)
    }

    /// Moves a place to `lon`, `lat` if `based_on` is its current revision.
    /// Incidents refer to the place, so they move with it; each gets a
    /// revision saying so. Returns the ids of the incidents that moved.
    pub fn move_place(
        &mut self,
        id: &str,
        based_on: i64,
        lon: f64,
        lat: f64,
        user_id: i64,
        why: &str,
    ) -> Result<Vec<i64>, StoreError> {
        crate::gazetteer::check_lon_lat(lon, lat).map_err(StoreError::Invalid)?;
        let edit = self.edit_place(id, based_on, user_id, why, |place| {
            place.point = geo::Point::new(lon, lat);
            if matches!(place.geometry, geo::Geometry::Point(_)) {
                place.geometry = geo::Geometry::Point(place.point);
            }
            Ok(())
        })?;
        Ok(edit.moved_incidents)
    }

    /// Applies `change` to a place if `based_on` is its current revision,
    /// recording the revision with who and why. If the place's point moves,
    /// every incident on it gets a revision saying how far. A stale
    /// `based_on` is a [`StoreError::Conflict`]; an invalid result is refused;
    /// either way nothing is written.
    pub fn edit_place(
        &mut self,
        id: &str,
        based_on: i64,
        user_id: i64,
        why: &str,
        change: impl FnOnce(&mut crate::gazetteer::Place) -> Result<(), StoreError>,
    ) -> Result<PlaceEdit, StoreError> {
        let mut place = self.place(id)?.ok_or(StoreError::NotFound {
            entity: "place",
            id: id.to_string(),
        })?;
        let current = self.place_revision(id)?.unwrap_or(0);
        if current != based_on {
            return Err(StoreError::Conflict {
                entity: "place",
                id: id.to_string(),
                based_on,
                current,
            });
        }
        let before = crate::gazetteer::place_to_feature(&place);
        let old_point = place.point;
        change(&mut place)?;
        place.id = id.to_string();
        place.validate().map_err(|e| StoreError::Invalid(e.to_string()))?;
        let moved_m = haversine_m(old_point, place.point);
        let tx = self.conn.transaction()?;
        super::places::write_place_revision(&tx, &place, current + 1, user_id, why, &before)?;
        let mut moved_incidents = Vec::new();
        if moved_m > 0.0 {
            let mut statement =
                tx.prepare("SELECT id, revision FROM incidents WHERE place_id = ?1 OR road_id = ?1 ORDER BY id")?;
            let affected: Vec<(i64, i64)> = statement
                .query_map(params![id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            drop(statement);
            for (incident, revision) in affected {
                tx.execute(
                    "UPDATE incidents SET revision = ?2, updated_at = ?3 WHERE id = ?1",
                    params![incident, revision + 1, revisions::now_rfc3339()],
                )?;
                let note = serde_json::json!({"place_id": id, "moved_m": moved_m.round(), "lon": place.lon(), "lat": place.lat()});
                revisions::record(
                    &tx,
                    "incident",
                    &incident.to_string(),
                    revision + 1,
                    Some(user_id),
                    &format!("location moved with place {id} by {:.0} m", moved_m),
                    None,
                    Some(&note),
                )?;
                moved_incidents.push(incident);
            }
        }
        let mentions: i64 = tx.query_row("SELECT count(*) FROM mentions WHERE place_id = ?1", params![id], |r| {
            r.get(0)
        })?;
        tx.commit()?;
        Ok(PlaceEdit {
            revision: current + 1,
            moved_m,
            moved_incidents,
            mentions: mentions as u64,
        })
    }
}

impl Store {
    /// Restores a place to what it was after revision `to_revision`, as a new
    /// revision (history is never rewritten).
    pub fn revert_place(
        &mut self,
        id: &str,
        to_revision: i64,
        based_on: i64,
        user_id: i64,
        why: &str,
    ) -> Result<PlaceEdit, StoreError> {
        let history = self.place_history(id)?;
        let target = history
            .iter()
            .rev()
            .find(|r| r.revision == to_revision && r.after.is_some())
            .and_then(|r| r.after.clone())
            .or_else(|| {
                // the revision before the first edit: the first edit's "before"
                history
                    .iter()
                    .find(|r| r.revision == to_revision + 1)
                    .and_then(|r| r.before.clone())
            })
            .ok_or_else(|| {
                StoreError::Invalid(format!("place {id} has no recorded revision {to_revision} to restore"))
            })?;
        let feature: geojson::Feature = serde_json::from_value(target).map_err(|e| StoreError::Corrupt {
            id: id.to_string(),
            message: e.to_string(),
        })?;
        let restored = crate::gazetteer::feature_to_place(&feature, "history", 0)?;
        self.edit_place(id, based_on, user_id, why, move |place| {
            *place = restored;
            Ok(())
        })
    }

    /// Merges duplicate `id` into `into`: `id` is marked superseded by `into`
    /// (its id is never reused), `into` gains its names, and every incident
    /// and mention on `id` moves to `into`, each with a revision.
    pub fn merge_place(
        &mut self,
        id: &str,
        into: &str,
        based_on: i64,
        user_id: i64,
        why: &str,
    ) -> Result<Vec<i64>, StoreError> {
        if id == into {
            return Err(StoreError::Invalid("a place cannot be merged into itself".into()));
        }
        let target = self.place(into)?.ok_or(StoreError::NotFound {
            entity: "place",
            id: into.to_string(),
        })?;
        if target.status != crate::gazetteer::PlaceStatus::Current {
            return Err(StoreError::Invalid(format!(
                "{into} is not current; merge into the place that supersedes it"
            )));
        }
        let duplicate = self.place(id)?.ok_or(StoreError::NotFound {
            entity: "place",
            id: id.to_string(),
        })?;
        self.edit_place(id, based_on, user_id, why, |place| {
            place.status = crate::gazetteer::PlaceStatus::Superseded { by: into.to_string() };
            Ok(())
        })?;
        let into_revision = self.place_revision(into)?.unwrap_or(1);
        self.edit_place(
            into,
            into_revision,
            user_id,
            &format!("merged duplicate {id}: {why}"),
            |place| {
                for name in duplicate.names.clone() {
                    place.add_name(name);
                }
                Ok(())
            },
        )?;
        let tx = self.conn.transaction()?;
        let mut statement =
            tx.prepare("SELECT id, revision FROM incidents WHERE place_id = ?1 OR road_id = ?1 ORDER BY id")?;
        let affected: Vec<(i64, i64)> = statement
            .query_map(params![id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        drop(statement);
        for (incident, revision) in &affected {
            tx.execute(
                "UPDATE incidents SET place_id = CASE WHEN place_id = ?2 THEN ?3 ELSE place_id END,
                    road_id = CASE WHEN road_id = ?2 THEN ?3 ELSE road_id END, revision = ?4, updated_at = ?5 WHERE id = ?1",
                params![incident, id, into, revision + 1, revisions::now_rfc3339()],
            )?;
            let note = serde_json::json!({"from": id, "to": into});
            revisions::record(
                &tx,
                "incident",
                &incident.to_string(),
                revision + 1,
                Some(user_id),
                &format!("place {id} merged into {into}"),
                None,
                Some(&note),
            )?;
        }
        let mut statement = tx.prepare("SELECT id, revision FROM mentions WHERE place_id = ?1")?;
        let mentions: Vec<(i64, i64)> = statement
            .query_map(params![id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        drop(statement);
        for (mention, revision) in mentions {
            tx.execute(
                "UPDATE mentions SET place_id = ?2, revision = ?3 WHERE id = ?1",
                params![mention, into, revision + 1],
            )?;
            let note = serde_json::json!({"from": id, "to": into});
            revisions::record(
                &tx,
                "mention",
                &mention.to_string(),
                revision + 1,
                Some(user_id),
                &format!("place {id} merged into {into}"),
                None,
                Some(&note),
            )?;
        }
        tx.commit()?;
        Ok(affected.into_iter().map(|(i, _)| i).collect())
    }
}

/// What a place edit changed.
#[derive(Debug, Clone, Serialize)]
pub struct PlaceEdit {
    /// The place's new revision.
    pub revision: i64,
    /// How far its point moved, in metres.
    pub moved_m: f64,
    /// Incidents that moved with it.
    pub moved_incidents: Vec<i64>,
    /// Mentions resolved to it.
    pub mentions: u64,
}
