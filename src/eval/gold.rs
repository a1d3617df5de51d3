//! Annotated documents: the text and its gold place mentions.

/// A gold place mention.
#[derive(Debug, Clone)]
pub struct GoldToponym {
    /// Start offset in code points.
    pub start: usize,
    /// End offset in code points (exclusive).
    pub end: usize,
    /// Latitude of the gold place.
    pub lat: f64,
    /// Longitude of the gold place.
    pub lon: f64,
    /// GeoNames id, where the corpus gives one.
    pub geonames_id: Option<String>,
    /// The annotator's precision of the coordinate, in km (at least 10 is used).
    pub precision_km: Option<f64>,
    /// Optional mentions neither count when missed nor when found.
    pub optional: bool,
}

/// A document of an evaluation corpus.
#[derive(Debug, Clone)]
pub struct GoldDocument {
    /// Id within the corpus.
    pub id: String,
    /// The text.
    pub text: String,
    /// Gold mentions with coordinates.
    pub toponyms: Vec<GoldToponym>,
}
