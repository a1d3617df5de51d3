//! Load benchmark of `sitrep serve` (run: `cargo bench --bench serve_load`):
//! generates a database of 100,000 published incidents spread over the
//! region, starts the release server on loopback, and drives it with `wrk`
//! (Debian package) for a bbox query returning about 500 incidents and for
//! the full layer. Writes `bench/results/serve_load.md`.
//!
//! Targets (issue): bbox p99 < 10 ms and >= 3,000 req/s; the full layer in
//! < 1.5 s; server resident memory < 300 MB.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Instant;

use chrono::NaiveDate;
use sitrep::incidents::{CasualtyClaim, CasualtyKind, Evidence, IncidentStatus, Location, ProposedIncident};
use sitrep::store::{NewSource, Store};

const INCIDENTS: usize = 100_000;

fn main() {
    if let Err(e) = run() {
        eprintln!("serve_load: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    if Command::new("wrk").arg("--version").output().is_err() {
        return Err("wrk is needed: apt-get install wrk".into());
    }
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("load.db");
    let started = Instant::now();
    let mut store = Store::open(&db)?;
    // the places incidents sit on: every regional settlement
    let places: Vec<(String, f64, f64)> = store
        .load_places()?
        .into_iter()
        .filter(|p| p.kind.is_settlement() && (44.0..48.0).contains(&p.lon()) && (38.5..41.5).contains(&p.lat()))
        .map(|p| (p.id.clone(), p.lon(), p.lat()))
        .collect();
    let mut rng = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let day0 = NaiveDate::from_ymd_opt(2020, 9, 27).ok_or("date")?;
    for i in 0..INCIDENTS {
        let (place, _, _) = &places[(next() % places.len() as u64) as usize];
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
        // distinct days per place would merge; the generated ones are separate events
        store.ingest_unmerged(&source, &[proposal], IncidentStatus::Published)?;
    }
    let generate_s = started.elapsed().as_secs_f64();
    drop(store);

    let binary = std::env::current_exe()?
        .parent()
        .and_then(|p| p.parent())
        .map(|p| p.join("sitrep"))
        .ok_or("no target dir")?;
    let mut child = Command::new(&binary)
        .args(["serve", "--db", db.to_str().ok_or("path")?, "--addr", "127.0.0.1:0"])
        .env("SITREP_NO_DEMO", "1")
        .env("SITREP_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let mut line = String::new();
    BufReader::new(child.stdout.take().ok_or("stdout")?).read_line(&mut line)?;
    let base = line
        .trim()
        .rsplit(' ')
        .next()
        .ok_or("url")?
        .trim_end_matches('/')
        .to_string();
    // a bbox around Stepanakert/Shusha holding about 500 incidents
    let bbox_url = format!("{base}/api/layers/incidents.geojson?bbox=46.70,39.70,46.80,39.85&limit=500");
    let probe = Command::new("curl").args(["-s", &bbox_url]).output()?;
    let bbox_features = String::from_utf8_lossy(&probe.stdout).matches("\"Feature\"").count();
    let wrk = |url: &str, seconds: &str, connections: &str| -> Result<String, Box<dyn std::error::Error>> {
        let out = Command::new("wrk")
            .args([
                "-t2",
                &format!("-c{connections}"),
                &format!("-d{seconds}"),
                "--latency",
                url,
            ])
            .output()?;
        Ok(String::from_utf8_lossy(&out.stdout).to_string())
    };
    let bbox_report = wrk(&bbox_url, "15s", "16")?;
    let full_started = Instant::now();
    let full = Command::new("curl")
        .args([
            "-s",
            "-o",
            "/dev/null",
            "-w",
            "%{size_download}",
            &format!("{base}/api/layers/incidents.geojson"),
        ])
        .output()?;
    let full_s = full_started.elapsed().as_secs_f64();
    let full_bytes = String::from_utf8_lossy(&full.stdout).to_string();
    let rss = std::fs::read_to_string(format!("/proc/{}/status", child.id()))?
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .unwrap_or("VmHWM: ?")
        .to_string();
    let _ = child.kill();
    let _ = child.wait();

    let pick = |report: &str, key: &str| {
        report
            .lines()
            .find(|l| l.trim_start().starts_with(key))
            .map(|l| l.trim().to_string())
            .unwrap_or_default()
    };
    let cpu = std::fs::read_to_string("/proc/cpuinfo")?
        .lines()
        .find(|l| l.starts_with("model name"))
        .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        .unwrap_or_default();
    let out = format!(
        "# serve load benchmark\n\n{INCIDENTS} generated published incidents ({generate_s:.1} s to generate); machine: {} cores, {cpu}; date {}.\n\n\
         | figure | measured | target |\n|---|---|---|\n\
         | bbox query (~{bbox_features} features), wrk -t2 -c16 15 s: requests/s | {} | >= 3,000 |\n\
         | bbox query latency p99 | {} | < 10 ms |\n\
         | full layer ({INCIDENTS} features, {full_bytes} bytes) | {full_s:.2} s | < 1.5 s |\n\
         | server peak resident memory | {rss} | < 300 MB |\n\n```\n{bbox_report}```\n",
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        chrono::Utc::now().format("%Y-%m-%d"),
        pick(&bbox_report, "Requests/sec"),
        pick(&bbox_report, "99%"),
    );
    println!("{out}");
    std::fs::create_dir_all("bench/results")?;
    std::fs::write("bench/results/serve_load.md", out)?;
    Ok(())
}
