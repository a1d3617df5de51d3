//! Reading incidents out of article text: sentences, dates, event types,
//! actors and casualty claims, assembled into draft incidents.

pub mod actors;
pub mod casualties;
pub mod dates;
pub mod event_type;
mod propose;
pub mod sentences;

pub use propose::propose_incidents;
