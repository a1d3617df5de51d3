//! The gazetteer: places, their names in every language and script, and the
//! index that finds a place from any spelling of any of its names.
//!
//! The gazetteer knows nothing of text parsing, storage or HTTP. It is built
//! from [`Place`] records (from the bundled data, an importer or a store) and
//! answers [`SearchQuery`]s.
//!
//! ```
//! use sitrep::gazetteer::{Gazetteer, SearchQuery};
//! let gazetteer = Gazetteer::bundled().unwrap();
//! let hits = gazetteer.search(&SearchQuery::new("Ханкенди"));
//! assert_eq!(hits[0].place.primary_name(), "Khankendi");
//! ```

pub mod bundled;
mod collection;
pub mod edit_distance;
mod error;
pub mod export;
mod feature;
pub(crate) mod fuzzy;
pub mod import;
pub mod index;
mod kind;
pub(crate) mod name;
pub mod normalize;
mod place;
mod prefetch;
mod regions;
pub mod romanize;
pub(crate) mod search;
pub mod summary;
mod traits;

pub use collection::Gazetteer;
pub use error::GazetteerError;
pub use feature::{feature_to_place, place_to_feature, representative_point};
pub use index::NameIndex;
pub use kind::{PlaceKind, UnknownKind};
pub use name::{Name, NameKind};
pub use place::{check_lon_lat, haversine_m, Place, PlaceStatus, Source};
pub use regions::{RegionNumbers, NO_REGION};
pub use search::{MatchQuality, SearchHit, SearchQuery};
pub use traits::PlaceTraits;
