//! Articles (sources) and the place mentions found in them.

use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::revisions;
use super::{Store, StoreError};
use crate::geoparse::Mention;

/// An article to store.
#[derive(Debug, Clone)]
pub struct NewSource {
    /// Where it was published (may be empty).
    pub url: String,
    /// Headline.
    pub title: String,
    /// Outlet.
    pub outlet: String,
    /// Publication date, ISO 8601.
    pub published: Option<String>,
    /// Full text.
    pub text: String,
    /// Where it came from (file path, "demo", ...).
    pub origin: String,
}

/// SHA-256 of the text with line ends and surrounding space normalised, so
/// the same article saved twice hashes the same.
pub fn content_hash(text: &str) -> String {
    let normalised: String = text.replace("\r\n", "\n").trim().to_string();
    let digest = Sha256::digest(normalised.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A stored article.
#[derive(Debug, Clone, Serialize)]
pub struct SourceRecord {
    /// Id.
    pub id: i64,
    /// URL.
    pub url: String,
    /// Title.
    pub title: String,
    /// Outlet.
    pub outlet: String,
    /// Publication date.
    pub published: Option<String>,
    /// When sitrep stored it.
    pub retrieved: String,
    /// Content hash.
    pub content_hash: String,
}

/// Inserts the source unless one with the same content hash exists; returns
/// its id and whether it is new.
pub(super) fn insert_source(tx: &Transaction<'_>, source: &NewSource) -> Result<(i64, bool), StoreError> {
    let hash = content_hash(&source.text);
    let existing: Option<i64> = tx
        .query_row("SELECT id FROM sources WHERE content_hash = ?1", params![hash], |r| {
            r.get(0)
        })
        .optional()?;
    if let Some(id) = existing {
        return Ok((id, false));
    }
    tx.execute(
        "INSERT INTO sources (url, title, outlet, published, retrieved, text, content_hash, origin)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            source.url,
            source.title,
            source.outlet,
            source.published,
            revisions::now_rfc3339(),
            source.text,
            hash,
            source.origin
        ],
    )?;
    Ok((tx.last_insert_rowid(), true))
}

/// Stores the mentions of a source (with their route parts), each with a revision.
pub(super) fn insert_mentions(tx: &Transaction<'_>, source_id: i64, mentions: &[Mention]) -> Result<usize, StoreError> {
    let mut count = 0;
    for mention in mentions {
        let parent = insert_mention(tx, source_id, None, mention)?;
        count += 1;
        for part in &mention.parts {
            insert_mention(tx, source_id, Some(parent), part)?;
            count += 1;
        }
    }
    Ok(count)
}

fn insert_mention(
    tx: &Transaction<'_>,
    source_id: i64,
    parent: Option<i64>,
    mention: &Mention,
) -> Result<i64, StoreError> {
    // A derived route has no gazetteer entry to point at.
    let place_id = mention
        .place
        .as_ref()
        .map(|p| p.summary.id.clone())
        .filter(|id| !id.starts_with("derived:"));
    tx.execute(
        "INSERT INTO mentions (source_id, parent_id, start, end, byte_start, byte_end, text, place_id, score, candidates, reason, status)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'auto')",
        params![
            source_id,
            parent,
            mention.start as i64,
            mention.end as i64,
            mention.byte_start as i64,
            mention.byte_end as i64,
            mention.text,
            place_id,
            mention.score,
            serde_json::to_string(&mention.candidates).unwrap_or_else(|_| "[]".into()),
            serde_json::to_string(&mention.reason).unwrap_or_else(|_| "[]".into())
        ],
    )?;
    let id = tx.last_insert_rowid();
    let after = serde_json::json!({"source_id": source_id, "text": mention.text, "place_id": place_id, "score": mention.score, "status": "auto"});
    revisions::record(
        tx,
        "mention",
        &id.to_string(),
        1,
        Some(1),
        "found by the geoparser",
        None,
        Some(&after),
    )?;
    Ok(id)
}

/// A mention as stored, for the review queue and the mentions layer.
#[derive(Debug, Clone, Serialize)]
pub struct MentionRecord {
    /// Id.
    pub id: i64,
    /// The article.
    pub source_id: i64,
    /// The article's title.
    pub source_title: String,
    /// Offsets in code points.
    pub start: i64,
    /// End offset.
    pub end: i64,
    /// Surface text.
    pub text: String,
    /// The sentence around it.
    pub context: String,
    /// The chosen place.
    pub place_id: Option<String>,
    /// Confidence.
    pub score: f64,
    /// Alternatives (JSON).
    pub candidates: serde_json::Value,
    /// Reasons (JSON).
    pub reason: serde_json::Value,
    /// auto, confirmed, rejected, reassigned.
    pub status: String,
    /// Revision.
    pub revision: i64,
}

impl Store {
    /// A stored article.
    pub fn source(&self, id: i64) -> Result<Option<SourceRecord>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, url, title, outlet, published, retrieved, content_hash FROM sources WHERE id = ?1",
                params![id],
                |r| {
                    Ok(SourceRecord {
                        id: r.get(0)?,
                        url: r.get(1)?,
                        title: r.get(2)?,
                        outlet: r.get(3)?,
                        published: r.get(4)?,
                        retrieved: r.get(5)?,
                        content_hash: r.get(6)?,
                    })
                },
            )
            .optional()?)
    }

    /// Number of stored articles.
    pub fn source_count(&self) -> Result<u64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM sources", [], |r| r.get::<_, i64>(0))? as u64)
    }

    /// Mentions still decided only by the machine, lowest confidence first.
    pub fn mentions_to_review(&self, limit: i64) -> Result<Vec<MentionRecord>, StoreError> {
        let mut statement = self.conn.prepare(
            "SELECT m.id, m.source_id, s.title, m.start, m.end, m.text, m.byte_start, m.byte_end, s.text,
                    m.place_id, m.score, m.candidates, m.reason, m.status, m.revision
             FROM mentions m JOIN sources s ON s.id = m.source_id
             WHERE m.status = 'auto' AND m.parent_id IS NULL
             ORDER BY m.score ASC, m.id ASC LIMIT ?1",
        )?;
        let rows = statement.query_map(params![limit], |r| {
            let byte_start: i64 = r.get(6)?;
            let byte_end: i64 = r.get(7)?;
            let text: String = r.get(8)?;
            let json = |i: usize| -> rusqlite::Result<serde_json::Value> {
                let raw: String = r.get(i)?;
                Ok(serde_json::from_str(&raw).unwrap_or(serde_json::Value::Null))
            };
            Ok(MentionRecord {
                id: r.get(0)?,
                source_id: r.get(1)?,
                source_title: r.get(2)?,
                start: r.get(3)?,
                end: r.get(4)?,
                text: r.get(5)?,
                context: sentence_around(&text, byte_start as usize, byte_end as usize),
                place_id: r.get(9)?,
                score: r.get(10)?,
                candidates: json(11)?,
                reason: json(12)?,
                status: r.get(13)?,
                revision: r.get(14)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}

/// The sentence (or line) containing `start..end`.
pub fn sentence_around(text: &str, start: usize, end: usize) -> String {
    if start > end || end > text.len() || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
        return String::new();
    }
    let before = &text[..start];
    let from = before.rfind(['.', '\n', '!', '?']).map_or(0, |i| i + 1);
    let after = &text[end..];
    let to = after.find(['.', '\n', '!', '?']).map_or(text.len(), |i| end + i + 1);
    text[from..to].trim().to_string()
}

/// What a reviewer decided about a mention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MentionDecision {
    /// The machine's place is right.
    Accept,
    /// Not a place mention (or not this one).
    Reject,
    /// It means another place.
    Reassign(String),
}

impl Store {
    /// How much of the review queue is done: mentions decided by a person,
    /// of all top-level mentions, plus draft incidents left.
    pub fn review_progress(&self) -> Result<serde_json::Value, StoreError> {
        let (reviewed, total): (i64, i64) = self.conn.query_row(
            "SELECT coalesce(sum(status != 'auto'), 0), count(*) FROM mentions WHERE parent_id IS NULL",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let drafts: i64 = self
            .conn
            .query_row("SELECT count(*) FROM incidents WHERE status = 'draft'", [], |r| {
                r.get(0)
            })?;
        Ok(serde_json::json!({"reviewed": reviewed, "total": total, "draft_incidents": drafts}))
    }

    /// Records a reviewer's decision on a mention, if `based_on` is its
    /// current revision. Returns the new revision.
    pub fn decide_mention(
        &mut self,
        id: i64,
        based_on: i64,
        decision: &MentionDecision,
        user_id: i64,
    ) -> Result<i64, StoreError> {
        let tx = self.conn.transaction()?;
        let current: Option<(i64, Option<String>, String)> = tx
            .query_row(
                "SELECT revision, place_id, status FROM mentions WHERE id = ?1",
                params![id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let (revision, place_id, status) = current.ok_or(StoreError::NotFound {
            entity: "mention",
            id: id.to_string(),
        })?;
        if revision != based_on {
            return Err(StoreError::Conflict {
                entity: "mention",
                id: id.to_string(),
                based_on,
                current: revision,
            });
        }
        let (new_status, new_place) = match decision {
            MentionDecision::Accept => ("confirmed", place_id.clone()),
            MentionDecision::Reject => ("rejected", place_id.clone()),
            MentionDecision::Reassign(place) => {
                let exists: Option<i64> = tx
                    .query_row("SELECT 1 FROM places WHERE id = ?1", params![place], |r| r.get(0))
                    .optional()?;
                if exists.is_none() {
                    return Err(StoreError::Invalid(format!("no place with id {place}")));
                }
                ("reassigned", Some(place.clone()))
            }
        };
        tx.execute(
            "UPDATE mentions SET status = ?2, place_id = ?3, decided_by = ?4, revision = ?5 WHERE id = ?1",
            params![id, new_status, new_place, user_id, revision + 1],
        )?;
        let before = serde_json::json!({"place_id": place_id, "status": status});
        let after = serde_json::json!({"place_id": new_place, "status": new_status});
        revisions::record(
            &tx,
            "mention",
            &id.to_string(),
            revision + 1,
            Some(user_id),
            &format!("review: {new_status}"),
            Some(&before),
            Some(&after),
        )?;
        tx.commit()?;
        Ok(revision + 1)
    }
}

impl Store {
    /// Articles whose text contains any of `needles` (case-insensitive for
    /// ASCII), at most `limit`, oldest first.
    pub fn sources_containing(&self, needles: &[String], limit: i64) -> Result<Vec<(i64, String)>, StoreError> {
        let mut found: Vec<(i64, String)> = Vec::new();
        let mut statement = self
            .conn
            .prepare_cached("SELECT id, text FROM sources WHERE text LIKE ?1 ESCAPE '\\' ORDER BY id LIMIT ?2")?;
        for needle in needles.iter().filter(|n| n.chars().count() >= 3) {
            let pattern = format!(
                "%{}%",
                needle.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
            );
            let rows = statement.query_map(params![pattern, limit], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
            })?;
            for row in rows {
                let (id, text) = row?;
                if !found.iter().any(|(f, _)| *f == id) {
                    found.push((id, text));
                }
            }
        }
        found.sort_by_key(|(id, _)| *id);
        found.truncate(limit.max(0) as usize);
        Ok(found)
    }

    /// Articles with a mention resolved to `place_id`.
    pub fn sources_mentioning_place(&self, place_id: &str) -> Result<Vec<(i64, String)>, StoreError> {
        let mut statement = self.conn.prepare(
            "SELECT DISTINCT s.id, s.text FROM sources s JOIN mentions m ON m.source_id = s.id WHERE m.place_id = ?1 ORDER BY s.id",
        )?;
        let rows = statement.query_map(params![place_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Brings an article's stored mentions in line with a fresh geoparse:
    /// machine-decided mentions whose place changed are updated, new
    /// mentions are added, both back in the review queue; mentions a person
    /// decided are left alone. Returns how many mentions changed.
    pub fn update_auto_mentions(
        &mut self,
        source_id: i64,
        mentions: &[Mention],
        why: &str,
    ) -> Result<usize, StoreError> {
        let tx = self.conn.transaction()?;
        let mut changed = 0;
        for mention in mentions {
            let place_id = mention
                .place
                .as_ref()
                .map(|p| p.summary.id.clone())
                .filter(|id| !id.starts_with("derived:"));
            let existing: Option<(i64, Option<String>, String, i64)> = tx
                .query_row(
                    "SELECT id, place_id, status, revision FROM mentions WHERE source_id = ?1 AND parent_id IS NULL AND start = ?2 AND end = ?3",
                    params![source_id, mention.start as i64, mention.end as i64],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?;
            match existing {
                Some((_, _, status, _)) if status != "auto" => {}
                Some((_, old, _, _)) if old == place_id => {}
                Some((id, old, _, revision)) => {
                    tx.execute(
                        "UPDATE mentions SET place_id = ?2, score = ?3, candidates = ?4, reason = ?5, revision = ?6 WHERE id = ?1",
                        params![
                            id,
                            place_id,
                            mention.score,
                            serde_json::to_string(&mention.candidates).unwrap_or_else(|_| "[]".into()),
                            serde_json::to_string(&mention.reason).unwrap_or_else(|_| "[]".into()),
                            revision + 1
                        ],
                    )?;
                    let before = serde_json::json!({"place_id": old});
                    let after = serde_json::json!({"place_id": place_id, "score": mention.score});
                    revisions::record(
                        &tx,
                        "mention",
                        &id.to_string(),
                        revision + 1,
                        Some(1),
                        why,
                        Some(&before),
                        Some(&after),
                    )?;
                    changed += 1;
                }
                None => {
                    insert_mentions(&tx, source_id, std::slice::from_ref(mention))?;
                    changed += 1;
                }
            }
        }
        tx.commit()?;
        Ok(changed)
    }
}
