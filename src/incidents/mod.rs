//! Incidents: what happened, when, where (by reference to a gazetteer place),
//! who, and the casualties each source claims; and the extraction that
//! proposes them from articles. Pure: no storage, no I/O.

pub mod extract;
mod incident;
pub mod taxonomy;

pub use extract::propose_incidents;
pub use incident::{
    total, CasualtyClaim, CasualtyKind, Evidence, Incident, IncidentSource, IncidentStatus, Location, ProposedIncident,
};
