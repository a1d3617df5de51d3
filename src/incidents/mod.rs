//! Incidents: what happened, when, where (by reference to a gazetteer place),
//! who, and the casualties each source claims; and the extraction that
//! proposes them from articles. Pure: no storage, no I/O.

pub mod extract;
mod incident;
pub mod taxonomy;

pub use extract::propose_incidents;
pub use incident::{
    total, validate_claims, CasualtyClaim, CasualtyKind, ClaimError, Evidence, Incident, IncidentSource,
    IncidentStatus, Location, ProposedIncident, MAX_CLAIMS_PER_INCIDENT, MAX_CLAIM_CASUALTIES, MAX_EVIDENCE_CHARS,
    MAX_PARTY_CHARS,
};
