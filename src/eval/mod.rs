//! Evaluation of the geoparser against annotated corpora, so users can
//! measure it on their own data (`sitrep eval`).

mod corpus;
mod gold;
mod metrics;

use std::time::Instant;

use serde::Serialize;

pub use corpus::{read_corpus, read_json_gold, CorpusFormat};
pub use gold::{GoldDocument, GoldToponym};
pub use metrics::{Prf, Resolution, ScoredError, MAX_ERROR_KM};

use crate::gazetteer::{haversine_m, Gazetteer};
use crate::geoparse::{resolve_spans, GeoparseOptions, Geoparser, Mention, ResolvedPlace};

/// Errors reading a corpus.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// The file could not be read.
    #[error("{0}")]
    Io(String),
    /// The file is not in the expected format.
    #[error("{0}")]
    Format(String),
}

/// Which documents of a corpus to score. Anything tuned on a corpus is tuned
/// on `Dev` (even-numbered documents) and reported on `Test` (odd-numbered).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Split {
    /// Every document.
    All,
    /// Documents 0, 2, 4, ...
    Dev,
    /// Documents 1, 3, 5, ...
    Test,
}

impl Split {
    fn keeps(self, index: usize) -> bool {
        match self {
            Split::All => true,
            Split::Dev => index.is_multiple_of(2),
            Split::Test => !index.is_multiple_of(2),
        }
    }
}

/// The full report for one corpus.
#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    /// Documents scored.
    pub documents: usize,
    /// Gold mentions (not optional).
    pub gold_mentions: u64,
    /// Predicted mentions.
    pub predicted_mentions: u64,
    /// Recognition with exact spans.
    pub recognition_strict: Prf,
    /// Recognition with overlapping spans.
    pub recognition_lenient: Prf,
    /// Resolution of the gold mentions the geoparser found (lenient match).
    pub resolution_end_to_end: Resolution,
    /// Resolution when given the gold spans.
    pub resolution_gold_spans: Resolution,
    /// Text geoparsed per second, in MB (end to end, one core).
    pub throughput_mb_s: f64,
    /// Every recognition and resolution miss, for error analysis.
    #[serde(skip)]
    pub misses: Vec<Miss>,
}

/// One thing the geoparser got wrong in a scored document.
#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    /// Id of the document in its corpus.
    pub document: String,
    /// `false_positive`, `false_negative`, `wrong_place` (end to end,
    /// farther than 161 km from the gold point, or unresolved) or
    /// `gold_span_wrong_place` (the same, resolving the gold span itself).
    pub kind: &'static str,
    /// The text of the mention (predicted or gold).
    pub text: String,
    /// Start offset in code points.
    pub start: usize,
    /// A few words around the mention.
    pub context: String,
    /// The chosen place's id and name, when one was chosen.
    pub chosen: Option<String>,
    /// Distance from the gold point, in km, for `wrong_place`.
    pub error_km: Option<f64>,
    /// The gold point (lat, lon), for `false_negative` and `wrong_place`.
    pub gold: Option<(f64, f64)>,
}

impl Miss {
    /// A miss about gold mention `gold` of `document`: its words, context
    /// and point, and the place chosen for it, if any.
    fn of_gold(
        document: &GoldDocument,
        gold: &GoldToponym,
        kind: &'static str,
        chosen: Option<&ResolvedPlace>,
        error_km: Option<f64>,
    ) -> Self {
        Miss {
            document: document.id.clone(),
            kind,
            text: document
                .text
                .chars()
                .skip(gold.start)
                .take(gold.end.saturating_sub(gold.start))
                .collect(),
            start: gold.start,
            context: context_around(&document.text, gold.start, gold.end),
            chosen: chosen.map(chosen_label),
            error_km,
            gold: Some((gold.lat, gold.lon)),
        }
    }
}

/// How a miss names the chosen place: id, name and country.
fn chosen_label(place: &ResolvedPlace) -> String {
    format!(
        "{} {} ({})",
        place.summary.id, place.summary.name, place.summary.country
    )
}

fn context_around(text: &str, start: usize, end: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let from = start.saturating_sub(40);
    let to = (end + 40).min(chars.len());
    chars[from.min(to)..to].iter().collect::<String>().replace('\n', " ")
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

fn score_error(mention: Option<&Mention>, gold: &GoldToponym) -> ScoredError {
    let tolerance_km = gold.precision_km.unwrap_or(0.0).max(10.0);
    let place = mention.and_then(|m| m.place.as_ref());
    let id_match = gold
        .geonames_id
        .as_ref()
        .map(|id| place.is_some_and(|p| p.summary.id == format!("gn:{id}")));
    match place {
        // The very GeoNames entry the annotator chose: GeoNames has moved some
        // area points since the corpora were made (Japan's by 191 km), and
        // that is no error of the geoparser.
        Some(_) if id_match == Some(true) => ScoredError {
            error_km: 0.0,
            tolerance_km,
            id_match,
            unresolved: false,
        },
        Some(p) => ScoredError {
            error_km: haversine_m(
                geo::Point::new(p.summary.lon, p.summary.lat),
                geo::Point::new(gold.lon, gold.lat),
            ) / 1000.0,
            tolerance_km,
            id_match,
            unresolved: false,
        },
        None => ScoredError {
            error_km: MAX_ERROR_KM,
            tolerance_km,
            id_match,
            unresolved: true,
        },
    }
}

/// Byte offset of code point `index` in `text`.
fn byte_of_char(text: &str, index: usize) -> usize {
    text.char_indices().nth(index).map_or(text.len(), |(b, _)| b)
}

/// Geoparses every document of the split and scores it.
pub fn evaluate(
    documents: &[GoldDocument],
    gazetteer: &Gazetteer,
    split: Split,
    options: GeoparseOptions,
) -> EvalReport {
    let mut strict = Prf::default();
    let mut lenient = Prf::default();
    let mut end_to_end = Vec::new();
    let mut on_gold = Vec::new();
    let mut predicted_total = 0u64;
    let mut gold_total = 0u64;
    let mut bytes = 0usize;
    let mut seconds = 0.0;
    let mut scored_documents = 0;
    let mut misses = Vec::new();
    // Warm up on the first document, untimed: word lists are parsed and the
    // allocator tidies the gazetteer build's garbage on first use, so the
    // MB/s below is the steady rate whichever corpus comes first. A fresh
    // geoparser after it, so the timed one meets the first document anew.
    if let Some(first) = documents.iter().enumerate().find(|(i, _)| split.keeps(*i)) {
        let _ = Geoparser::with_options(gazetteer, options).resolve_mentions(&first.1.text);
    }
    // and with the name index's key table, which a geoparser has built in
    // the background, there: not timing the walks made, and the core taken,
    // while it is built (a third of a second with cities500)
    gazetteer
        .index()
        .wait_for_exact_lookups(std::time::Duration::from_secs(30));
    // one geoparser for the corpus, as a user geoparsing many articles keeps
    // one: it remembers what it learnt of names from article to article.
    // All the articles first, then the scoring, so the time is the
    // geoparser's alone, not also the cost of the scorer's memory traffic
    // between articles.
    let mut geoparser = Geoparser::with_options(gazetteer, options);
    let kept: Vec<&GoldDocument> = documents
        .iter()
        .enumerate()
        .filter(|(index, _)| split.keeps(*index))
        .map(|(_, document)| document)
        .collect();
    let started = Instant::now();
    let all_predicted: Vec<Vec<Mention>> = kept.iter().map(|d| geoparser.resolve_mentions(&d.text)).collect();
    seconds += started.elapsed().as_secs_f64();
    for (document, predicted) in kept.into_iter().zip(all_predicted) {
        scored_documents += 1;
        bytes += document.text.len();

        let gold: Vec<&GoldToponym> = document.toponyms.iter().filter(|g| !g.optional).collect();
        let optional: Vec<&GoldToponym> = document.toponyms.iter().filter(|g| g.optional).collect();
        gold_total += gold.len() as u64;
        // predictions that only hit optional mentions do not count either way
        let counted: Vec<&Mention> = predicted
            .iter()
            .filter(|m| {
                let span = (m.start, m.end);
                gold.iter().any(|g| overlaps(span, (g.start, g.end)))
                    || !optional.iter().any(|g| overlaps(span, (g.start, g.end)))
            })
            .collect();
        predicted_total += counted.len() as u64;

        let mut used_strict = vec![false; counted.len()];
        let mut used_lenient = vec![false; counted.len()];
        for g in &gold {
            match counted
                .iter()
                .enumerate()
                .position(|(i, m)| !used_strict[i] && m.start == g.start && m.end == g.end)
            {
                Some(i) => {
                    used_strict[i] = true;
                    strict.true_positives += 1;
                }
                None => strict.false_negatives += 1,
            }
            match counted
                .iter()
                .enumerate()
                .position(|(i, m)| !used_lenient[i] && overlaps((m.start, m.end), (g.start, g.end)))
            {
                Some(i) => {
                    used_lenient[i] = true;
                    lenient.true_positives += 1;
                    let scored = score_error(Some(counted[i]), g);
                    if scored.error_km > 161.0 {
                        misses.push(Miss {
                            document: document.id.clone(),
                            kind: "wrong_place",
                            text: counted[i].text.clone(),
                            start: counted[i].start,
                            context: context_around(&document.text, g.start, g.end),
                            chosen: counted[i].place.as_ref().map(chosen_label),
                            error_km: Some(scored.error_km),
                            gold: Some((g.lat, g.lon)),
                        });
                    }
                    end_to_end.push(scored);
                }
                None => {
                    lenient.false_negatives += 1;
                    misses.push(Miss::of_gold(document, g, "false_negative", None, None));
                }
            }
        }
        for (i, m) in counted.iter().enumerate() {
            if !used_lenient[i] {
                misses.push(Miss {
                    document: document.id.clone(),
                    kind: "false_positive",
                    text: m.text.clone(),
                    start: m.start,
                    context: context_around(&document.text, m.start, m.end),
                    chosen: m.place.as_ref().map(chosen_label),
                    error_km: None,
                    gold: None,
                });
            }
        }
        strict.false_positives += used_strict.iter().filter(|u| !**u).count() as u64;
        lenient.false_positives += used_lenient.iter().filter(|u| !**u).count() as u64;

        // resolution on the gold spans
        let spans: Vec<(usize, usize)> = gold
            .iter()
            .map(|g| {
                (
                    byte_of_char(&document.text, g.start),
                    byte_of_char(&document.text, g.end),
                )
            })
            .collect();
        let resolved = resolve_spans(&document.text, &spans, gazetteer);
        for g in &gold {
            let mention = resolved.iter().find(|m| overlaps((m.start, m.end), (g.start, g.end)));
            let scored = score_error(mention, g);
            if scored.error_km > 161.0 {
                misses.push(Miss::of_gold(
                    document,
                    g,
                    "gold_span_wrong_place",
                    mention.and_then(|m| m.place.as_ref()),
                    (!scored.unresolved).then_some(scored.error_km),
                ));
            }
            on_gold.push(scored);
        }
    }
    strict.finish();
    lenient.finish();
    EvalReport {
        documents: scored_documents,
        gold_mentions: gold_total,
        predicted_mentions: predicted_total,
        recognition_strict: strict,
        recognition_lenient: lenient,
        resolution_end_to_end: Resolution::from_errors(&end_to_end),
        resolution_gold_spans: Resolution::from_errors(&on_gold),
        throughput_mb_s: if seconds > 0.0 {
            bytes as f64 / 1e6 / seconds
        } else {
            0.0
        },
        misses,
    }
}
