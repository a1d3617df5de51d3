//! The generated incidents the serving benchmarks share: `count` published
//! incidents on the bundled gazetteer's settlements of the region, on days
//! from 2020-09-27, from a fixed pseudo-random sequence (the same database
//! every time).

use std::path::Path;
use std::time::Instant;

use chrono::NaiveDate;
use sitrep::incidents::{CasualtyClaim, CasualtyKind, Evidence, IncidentStatus, Location, ProposedIncident};
use sitrep::store::{NewSource, Store};

/// Boxed error of the bench binaries.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Writes a new database of `count` generated incidents at `db`.
pub fn make_db(count: usize, db: &Path) -> Result<(), BoxError> {
    if db.exists() {
        return Err(format!("{} exists", db.display()).into());
    }
    let started = Instant::now();
    let mut store = Store::open(db)?;
    // the places incidents sit on: every regional settlement
    let places: Vec<String> = store
        .load_places()?
        .into_iter()
        .filter(|p| p.kind.is_settlement() && (44.0..48.0).contains(&p.lon()) && (38.5..41.5).contains(&p.lat()))
        .map(|p| p.id.clone())
        .collect();
    if places.is_empty() {
        return Err("no regional settlements in the bundled gazetteer".into());
    }
    let mut rng = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let day0 = NaiveDate::from_ymd_opt(2020, 9, 27).ok_or("date")?;
    for i in 0..count {
        let place = &places[(next() % places.len() as u64) as usize];
        let day = day0 + chrono::Duration::days((next() % 1200) as i64);
        let evidence = Evidence {
            start: 0,
            end: 10,
            quote: format!("Report {i}."),
        };
        let proposal = ProposedIncident {
            date_start: day,
            date_end: day,
            time_precision: 1,
            time_of_day: None,
            event_type: ["Battles", "Explosions/Remote violence", "Protests"][i % 3].into(),
            sub_event_type: ["Armed clash", "Shelling/artillery/missile attack", "Peaceful protest"][i % 3].into(),
            actor1: "Azerbaijani armed forces".into(),
            actor2: "Armenian armed forces".into(),
            location: Some(Location {
                place_id: place.clone(),
                road_id: None,
                geo_precision: 1 + (i % 3) as u8,
                radius_m: 2_000.0,
                name: place.clone(),
            }),
            claims: vec![CasualtyClaim {
                party: "Civilians".into(),
                kind: CasualtyKind::Killed,
                low: 1,
                best: (i % 4) as u32,
                high: 3,
                evidence: evidence.clone(),
                source_id: None,
            }],
            evidence: evidence.clone(),
            field_evidence: vec![],
            confidence: 0.8,
        };
        let source = NewSource {
            url: String::new(),
            title: format!("Generated report {i}"),
            outlet: format!("Wire {}", i % 5),
            published: Some(day.to_string()),
            text: format!("Generated report {i} for the load benchmark."),
            origin: "bench".into(),
        };
        store.ingest_unmerged(&source, &[proposal], IncidentStatus::Published)?;
        if (i + 1) % 100_000 == 0 {
            eprintln!("  {} incidents, {:.0} s", i + 1, started.elapsed().as_secs_f64());
        }
    }
    eprintln!(
        "make-db: {count} incidents in {:.1} s -> {}",
        started.elapsed().as_secs_f64(),
        db.display()
    );
    Ok(())
}
