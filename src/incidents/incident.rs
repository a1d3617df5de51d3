//! The incident record: what happened, when, where (by reference to a
//! place), who, casualties as claims per source and party, and the sources.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Draft (proposed by the machine), published, or rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IncidentStatus {
    /// Proposed, awaiting review.
    Draft,
    /// Reviewed and shown on the public map.
    Published,
    /// Reviewed and rejected.
    Rejected,
}

impl IncidentStatus {
    /// The lowercase word.
    pub fn as_str(self) -> &'static str {
        match self {
            IncidentStatus::Draft => "draft",
            IncidentStatus::Published => "published",
            IncidentStatus::Rejected => "rejected",
        }
    }

    /// Parses the lowercase word.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "draft" => Some(IncidentStatus::Draft),
            "published" => Some(IncidentStatus::Published),
            "rejected" => Some(IncidentStatus::Rejected),
            _ => None,
        }
    }
}

/// A stretch of a source's text that supports a field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// Start, in code points of the source text.
    pub start: usize,
    /// End (exclusive), in code points.
    pub end: usize,
    /// The quoted text.
    pub quote: String,
}

/// Dead or hurt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CasualtyKind {
    /// Killed.
    Killed,
    /// Injured or wounded.
    Injured,
}

impl CasualtyKind {
    /// The lowercase word stored and sent: `killed` or `injured`.
    pub fn as_str(self) -> &'static str {
        match self {
            CasualtyKind::Killed => "killed",
            CasualtyKind::Injured => "injured",
        }
    }

    /// Parses the lowercase word.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "killed" => Some(CasualtyKind::Killed),
            "injured" => Some(CasualtyKind::Injured),
            _ => None,
        }
    }
}

/// The largest figure one claim may give: a larger one is a typo, not a report.
pub const MAX_CLAIM_CASUALTIES: u32 = 100_000;

/// The most casualty claims one incident may hold.
pub const MAX_CLAIMS_PER_INCIDENT: usize = 200;

/// The longest party name, in characters.
pub const MAX_PARTY_CHARS: usize = 200;

/// The longest evidence quote kept with a claim, in characters.
pub const MAX_EVIDENCE_CHARS: usize = 10_000;

/// Why a set of casualty claims was refused; the message names the field
/// (`claims[2].best`) the way an API client sent it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClaimError {
    /// More claims than [`MAX_CLAIMS_PER_INCIDENT`].
    #[error("`claims`: at most {max} claims per incident, got {count}")]
    TooMany {
        /// Claims given.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// One field of one claim is wrong.
    #[error("`claims[{index}].{field}`: {problem}")]
    Field {
        /// Position of the claim in the list.
        index: usize,
        /// The field (`party`, `kind`, `low`, `best`, `high`, `source_id`, `evidence`).
        field: &'static str,
        /// What is wrong with it.
        problem: String,
    },
}

/// Checks claims an editor wrote: each names its party, gives figures with
/// `0 <= low <= best <= high <= MAX_CLAIM_CASUALTIES`, and, when it names a
/// source, names one of `source_ids` (the incident's articles).
pub fn validate_claims(claims: &[CasualtyClaim], source_ids: &[i64]) -> Result<(), ClaimError> {
    if claims.len() > MAX_CLAIMS_PER_INCIDENT {
        return Err(ClaimError::TooMany {
            count: claims.len(),
            max: MAX_CLAIMS_PER_INCIDENT,
        });
    }
    for (index, claim) in claims.iter().enumerate() {
        let refuse = |field: &'static str, problem: String| ClaimError::Field { index, field, problem };
        if claim.party.trim().is_empty() {
            return Err(refuse("party", "empty: say whose casualties these are".into()));
        }
        if claim.party.chars().count() > MAX_PARTY_CHARS || claim.party.chars().any(char::is_control) {
            return Err(refuse(
                "party",
                format!("at most {MAX_PARTY_CHARS} characters, without control characters"),
            ));
        }
        if claim.high > MAX_CLAIM_CASUALTIES {
            return Err(refuse(
                "high",
                format!("{} is more than {MAX_CLAIM_CASUALTIES}", claim.high),
            ));
        }
        if claim.low > claim.best {
            return Err(refuse(
                "low",
                format!("{} is more than the best figure {}", claim.low, claim.best),
            ));
        }
        if claim.best > claim.high {
            return Err(refuse(
                "high",
                format!("{} is less than the best figure {}", claim.high, claim.best),
            ));
        }
        if let Some(source_id) = claim.source_id {
            if !source_ids.contains(&source_id) {
                return Err(refuse(
                    "source_id",
                    format!("article {source_id} is not one of this incident's sources"),
                ));
            }
        }
        if claim.evidence.start > claim.evidence.end || claim.evidence.quote.chars().count() > MAX_EVIDENCE_CHARS {
            return Err(refuse(
                "evidence",
                format!("start after end, or a quote longer than {MAX_EVIDENCE_CHARS} characters"),
            ));
        }
    }
    Ok(())
}

/// One party's casualties as one source states them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CasualtyClaim {
    /// Whose casualties ("Nagorno-Karabakh police", "Azerbaijani armed forces", "civilians").
    pub party: String,
    /// Killed or injured.
    pub kind: CasualtyKind,
    /// Lowest figure given.
    pub low: u32,
    /// Best figure.
    pub best: u32,
    /// Highest figure given.
    pub high: u32,
    /// The sentence stating it.
    pub evidence: Evidence,
    /// The article it was read from (set once stored).
    #[serde(default)]
    pub source_id: Option<i64>,
}

/// Where an incident happened: a reference to a place (never a copy of its
/// coordinates), how precisely, and the road it was on if any.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// The gazetteer place.
    pub place_id: String,
    /// The road the incident happened on, if the text names one.
    pub road_id: Option<String>,
    /// 1: at a named place; 2: near or part of it; 3: only a region is known.
    pub geo_precision: u8,
    /// Uncertainty radius in metres.
    pub radius_m: f64,
    /// The name as the text gives it.
    pub name: String,
}

/// An incident as proposed from one article (before it is stored).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProposedIncident {
    /// First day it may have happened.
    pub date_start: NaiveDate,
    /// Last day (same as start for a known day).
    pub date_end: NaiveDate,
    /// 1 exact day, 2 within a week, 3 within a month.
    pub time_precision: u8,
    /// "10:00", when the text says.
    pub time_of_day: Option<String>,
    /// ACLED event type.
    pub event_type: String,
    /// ACLED sub-event type.
    pub sub_event_type: String,
    /// The actor that acted.
    pub actor1: String,
    /// The actor acted upon.
    pub actor2: String,
    /// Where.
    pub location: Option<Location>,
    /// Casualty claims.
    pub claims: Vec<CasualtyClaim>,
    /// The sentences the incident was read from.
    pub evidence: Evidence,
    /// Which span each field came from (field name -> evidence).
    pub field_evidence: Vec<(String, Evidence)>,
    /// How sure the proposal is, in `[0, 1]`.
    pub confidence: f64,
}

impl ProposedIncident {
    /// Total of the best figures of one kind, counting each party once (the
    /// largest claim per party).
    pub fn total(&self, kind: CasualtyKind) -> u32 {
        total(&self.claims, kind)
    }
}

/// An article an incident was read from, with the passage that supports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentSource {
    /// The stored article.
    pub source_id: i64,
    /// Its title.
    pub title: String,
    /// Who published it.
    pub outlet: String,
    /// Its URL (may be empty).
    pub url: String,
    /// Publication date, ISO 8601.
    pub published: Option<String>,
    /// The passage the incident was read from.
    pub evidence: Evidence,
    /// True when this article was merged into an incident another article proposed.
    pub merged: bool,
}

/// A stored incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    /// Stable id.
    pub id: i64,
    /// Revision number, raised by every change.
    pub revision: i64,
    /// Draft, published or rejected.
    pub status: IncidentStatus,
    /// First possible day.
    pub date_start: NaiveDate,
    /// Last possible day.
    pub date_end: NaiveDate,
    /// 1 exact day, 2 within a week, 3 within a month.
    pub time_precision: u8,
    /// Time of day, if known.
    pub time_of_day: Option<String>,
    /// ACLED event type.
    pub event_type: String,
    /// ACLED sub-event type.
    pub sub_event_type: String,
    /// Acting party.
    pub actor1: String,
    /// Party acted upon.
    pub actor2: String,
    /// Where (a reference to a place).
    pub location: Option<Location>,
    /// Casualty claims per source and party.
    pub claims: Vec<CasualtyClaim>,
    /// Free-text notes.
    pub notes: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Machine confidence of the proposal.
    pub confidence: f64,
    /// The articles it comes from.
    pub sources: Vec<IncidentSource>,
    /// Field -> the span it was read from.
    pub field_evidence: Vec<(String, Evidence)>,
}

impl Incident {
    /// Fatalities: per party the largest claim, summed over parties.
    pub fn fatalities(&self) -> u32 {
        total(&self.claims, CasualtyKind::Killed)
    }

    /// Injuries, counted the same way.
    pub fn injuries(&self) -> u32 {
        total(&self.claims, CasualtyKind::Injured)
    }
}

/// Per party the largest claim of a kind, summed over parties.
pub fn total(claims: &[CasualtyClaim], kind: CasualtyKind) -> u32 {
    let mut per_party: Vec<(&str, u32)> = Vec::new();
    for claim in claims.iter().filter(|c| c.kind == kind) {
        match per_party.iter_mut().find(|(p, _)| *p == claim.party) {
            Some((_, best)) => *best = (*best).max(claim.best),
            None => per_party.push((&claim.party, claim.best)),
        }
    }
    per_party.iter().map(|(_, n)| n).sum()
}
