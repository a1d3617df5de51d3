//! The scores the geoparsing literature reports: recognition precision,
//! recall and F1 (strict and lenient), and resolution accuracy within 161 km,
//! within the gold precision, mean and median error, and the area under the
//! log-error curve (Gritta et al. 2018: 0 is perfect, 1 is worst).

use serde::Serialize;

/// Half the Earth's circumference, the largest possible error, in km.
pub const MAX_ERROR_KM: f64 = 20_039.0;

/// Precision, recall, F1 with their counts.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Prf {
    /// Correct predictions.
    pub true_positives: u64,
    /// Predictions with no gold mention.
    pub false_positives: u64,
    /// Gold mentions not predicted.
    pub false_negatives: u64,
    /// tp / (tp + fp).
    pub precision: f64,
    /// tp / (tp + fn).
    pub recall: f64,
    /// Harmonic mean of the two.
    pub f1: f64,
}

impl Prf {
    /// Fills the ratios from the counts.
    pub fn finish(&mut self) {
        let tp = self.true_positives as f64;
        self.precision = ratio(tp, tp + self.false_positives as f64);
        self.recall = ratio(tp, tp + self.false_negatives as f64);
        self.f1 = ratio(2.0 * self.precision * self.recall, self.precision + self.recall);
    }
}

fn ratio(a: f64, b: f64) -> f64 {
    if b == 0.0 {
        0.0
    } else {
        a / b
    }
}

/// Resolution scores over a set of errors.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Resolution {
    /// Mentions scored.
    pub scored: u64,
    /// Of them, left unresolved (counted at the largest error).
    pub unresolved: u64,
    /// Share within 161 km (100 miles).
    pub accuracy_161km: f64,
    /// Share within the gold place's own precision (at least 10 km).
    pub accuracy_within_precision: f64,
    /// Mean error in km.
    pub mean_km: f64,
    /// Median error in km.
    pub median_km: f64,
    /// Area under the curve of sorted log errors, normalised to [0, 1].
    pub auc: f64,
    /// Share with the gold GeoNames id, over mentions whose gold has one.
    pub geonames_id_match: Option<f64>,
}

/// One scored resolution.
#[derive(Debug, Clone, Copy)]
pub struct ScoredError {
    /// Distance to the gold point in km ([`MAX_ERROR_KM`] when unresolved).
    pub error_km: f64,
    /// The gold precision in km (at least 10).
    pub tolerance_km: f64,
    /// Whether the predicted id equals the gold GeoNames id, if gold has one.
    pub id_match: Option<bool>,
    /// True when nothing was chosen.
    pub unresolved: bool,
}

impl Resolution {
    /// Scores a list of errors.
    pub fn from_errors(errors: &[ScoredError]) -> Self {
        let n = errors.len();
        if n == 0 {
            return Resolution::default();
        }
        let mut km: Vec<f64> = errors.iter().map(|e| e.error_km).collect();
        km.sort_by(f64::total_cmp);
        let within = |f: &dyn Fn(&ScoredError) -> bool| errors.iter().filter(|e| f(e)).count() as f64 / n as f64;
        let median = if n % 2 == 1 {
            km[n / 2]
        } else {
            (km[n / 2 - 1] + km[n / 2]) / 2.0
        };
        let logs: Vec<f64> = km.iter().map(|e| (1.0 + e).ln()).collect();
        let auc = if n == 1 {
            logs[0] / (1.0 + MAX_ERROR_KM).ln()
        } else {
            let area: f64 = logs.windows(2).map(|w| (w[0] + w[1]) / 2.0).sum();
            area / (n - 1) as f64 / (1.0 + MAX_ERROR_KM).ln()
        };
        let with_ids: Vec<bool> = errors.iter().filter_map(|e| e.id_match).collect();
        Resolution {
            scored: n as u64,
            unresolved: errors.iter().filter(|e| e.unresolved).count() as u64,
            accuracy_161km: within(&|e| e.error_km <= 161.0),
            accuracy_within_precision: within(&|e| e.error_km <= e.tolerance_km),
            mean_km: km.iter().sum::<f64>() / n as f64,
            median_km: median,
            auc,
            geonames_id_match: if with_ids.is_empty() {
                None
            } else {
                Some(with_ids.iter().filter(|m| **m).count() as f64 / with_ids.len() as f64)
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_and_worst_resolutions() {
        let perfect = vec![
            ScoredError {
                error_km: 0.0,
                tolerance_km: 10.0,
                id_match: Some(true),
                unresolved: false
            };
            4
        ];
        let r = Resolution::from_errors(&perfect);
        assert_eq!(r.accuracy_161km, 1.0);
        assert_eq!(r.auc, 0.0);
        assert_eq!(r.geonames_id_match, Some(1.0));
        let worst = vec![
            ScoredError {
                error_km: MAX_ERROR_KM,
                tolerance_km: 10.0,
                id_match: None,
                unresolved: true
            };
            3
        ];
        let r = Resolution::from_errors(&worst);
        assert_eq!(r.accuracy_161km, 0.0);
        assert!((r.auc - 1.0).abs() < 1e-9);
        assert_eq!(r.unresolved, 3);
    }

    #[test]
    fn f1_from_counts() {
        let mut prf = Prf {
            true_positives: 8,
            false_positives: 2,
            false_negatives: 8,
            ..Prf::default()
        };
        prf.finish();
        assert!((prf.precision - 0.8).abs() < 1e-9);
        assert!((prf.recall - 0.5).abs() < 1e-9);
        assert!((prf.f1 - 0.6153846).abs() < 1e-6);
    }
}
