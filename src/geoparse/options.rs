//! What the geoparser reports besides literal place names.

/// Options of a geoparse run. The default reports places named as places.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GeoparseOptions {
    /// Also report places named by an adjective or demonym ("Russian
    /// officials", "Sri Lankan"), resolved to the country or continent, the
    /// way GeoWebNews and LGL annotate them. Off by default: in "Armenian
    /// forces" the word says who, not where, and an incident map should not
    /// put a pin on Armenia for it.
    pub modifiers: bool,
}
