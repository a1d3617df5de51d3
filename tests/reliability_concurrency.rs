//! Many clients at once against the real server.
//!
//! - 8 editors editing the same 20 places: no lost update. Every write
//!   lands with a new revision or gets 412, and each place ends as its last
//!   successful write left it.
//! - 50 connections of mixed reads (layers with bbox, search, OGC items
//!   pages) and writes: no errors but the intended 412s, p99 printed,
//!   resident memory flat.
//!
//! The test suite runs short versions (5 s and 10 s); `SITREP_LONG=1` runs
//! the full 60 s and 2 minutes (`bench/reliability_long.sh`).

mod common;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use common::*;
use serde_json::json;

/// A small deterministic generator (no dependency, reproducible runs).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % below as u64) as usize
    }
}

#[derive(Debug, Clone)]
struct Write {
    place: String,
    revision: i64,
    radius: f64,
}

#[test]
fn eight_editors_on_twenty_places_lose_no_update() {
    let run_for = run_length(Duration::from_secs(5), Duration::from_secs(60));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db").display().to_string();
    let server = Server::start(&db);
    let tokens: Vec<String> = (0..8).map(|i| add_user(&db, &format!("editor{i}"), "editor")).collect();
    let layer = get(&server.url("/api/layers/places.geojson?bbox=46,39,47.5,40.5&limit=20")).json();
    let places: Vec<String> = layer["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(places.len(), 20, "{layer}");
    let initial: HashMap<String, i64> = places
        .iter()
        .map(|p| {
            let tag = get(&server.url(&format!("/api/places/{p}"))).etag();
            (p.clone(), tag.trim_matches('"').parse().unwrap())
        })
        .collect();

    // first, races forced: all 8 read the same revision of a place, wait for
    // each other, then all write; exactly one may win
    let rounds = 2;
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(8));
    let deadline = Instant::now() + run_for;
    let editors: Vec<_> = tokens
        .into_iter()
        .enumerate()
        .map(|(e, token)| {
            let (base, places, barrier) = (server.base.clone(), places.clone(), barrier.clone());
            std::thread::spawn(move || {
                let agent = agent();
                let auth = bearer(&token);
                let mut rng = Lcg(e as u64 + 1);
                let (mut writes, mut conflicts) = (Vec::new(), 0usize);
                let mut won = Vec::new();
                let mut n = 0;
                while n < rounds || Instant::now() < deadline {
                    n += 1;
                    let forced = n <= rounds;
                    let place = if forced {
                        &places[n]
                    } else {
                        &places[rng.next(places.len())]
                    };
                    let url = format!("{base}/api/places/{place}");
                    let tag = send_with(&agent, "GET", &url, &[], None).etag();
                    if forced {
                        barrier.wait();
                    }
                    // a radius no other write uses
                    let radius = (1000 + e * 100_000 + n) as f64;
                    let reply = send_with(
                        &agent,
                        "PATCH",
                        &url,
                        &[("authorization", &auth), ("if-match", &tag)],
                        Some(
                            json!({"radius_m": radius, "why": format!("editor {e}")})
                                .to_string()
                                .as_bytes(),
                        ),
                    );
                    match reply.status {
                        200 => {
                            let revision: i64 = reply.etag().trim_matches('"').parse().unwrap();
                            let based_on: i64 = tag.trim_matches('"').parse().unwrap();
                            assert!(revision > based_on, "{place}: {based_on} -> {revision}");
                            writes.push(Write {
                                place: place.clone(),
                                revision,
                                radius,
                            });
                            if forced {
                                won.push(n);
                            }
                        }
                        412 => {
                            assert_eq!(reply.json()["error"]["code"], "conflict");
                            conflicts += 1;
                        }
                        other => panic!("editor {e}: {other} {}", reply.body),
                    }
                }
                (writes, conflicts, won)
            })
        })
        .collect();
    let mut writes = Vec::new();
    let mut conflicts = 0;
    let mut winners = vec![0; rounds + 1];
    for editor in editors {
        let (w, c, won) = editor.join().unwrap();
        writes.extend(w);
        conflicts += c;
        for round in won {
            winners[round] += 1;
        }
    }
    assert_eq!(
        &winners[1..],
        &vec![1; rounds][..],
        "one winner per forced race, 7 conflicts"
    );
    eprintln!(
        "{} successful writes, {conflicts} conflicts (412) in {run_for:?}",
        writes.len()
    );
    assert!(writes.len() >= 5, "too few writes landed to test anything");

    for place in &places {
        let mut mine: Vec<&Write> = writes.iter().filter(|w| &w.place == place).collect();
        mine.sort_by_key(|w| w.revision);
        // two writes never land on the same revision (that would be a lost update)
        for pair in mine.windows(2) {
            assert!(pair[0].revision < pair[1].revision, "{place}: {pair:?}");
        }
        let now = get(&server.url(&format!("/api/places/{place}")));
        let revision: i64 = now.etag().trim_matches('"').parse().unwrap();
        // every revision since the start is a write some editor was told succeeded
        assert_eq!(
            revision - initial[place],
            mine.len() as i64,
            "{place}: revisions {} -> {revision}, {} successful writes",
            initial[place],
            mine.len()
        );
        if let Some(last) = mine.last() {
            assert_eq!(last.revision, revision);
            assert_eq!(
                now.json()["properties"]["radius_m"].as_f64(),
                Some(last.radius),
                "{place}"
            );
        }
    }
    drop(server);
    assert_eq!(integrity(&db), "ok");
}

#[test]
fn fifty_connections_of_mixed_reads_and_writes_give_no_errors_and_flat_memory() {
    let run_for = run_length(Duration::from_secs(10), Duration::from_secs(120));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("l.db").display().to_string();
    let server = Server::start_with(&db, true);
    let token = add_user(&db, "loader", "editor");
    let incidents: Vec<i64> = get(&server.url("/api/layers/incidents.geojson?status=all")).json()["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["id"].as_i64().unwrap())
        .collect();
    assert!(!incidents.is_empty());

    let reads = [
        "/api/layers/incidents.geojson?bbox=44,38,48,42",
        "/api/layers/incidents.geojson?bbox=46,39,47.5,40.5&datetime=2020-01-01/..",
        "/api/layers/places.geojson?bbox=46.5,39.5,47,40",
        "/api/layers/roads.geojson?bbox=45,39,47,41",
        "/api/places/search?q=Stepanakert",
        "/api/places/search?q=Shus",
        "/api/places/search?q=Goris&near=46.3,39.5",
        "/ogc/collections/incidents/items?limit=2",
        "/ogc/collections/incidents/items?limit=2&offset=2",
        "/ogc/collections/places/items?limit=10&bbox=46,39,47,40",
        "/ogc/collections/places/items?limit=10&offset=10&bbox=46,39,47,40",
    ];
    let started = Instant::now();
    let deadline = started + run_for;
    let clients: Vec<_> = (0..50)
        .map(|c| {
            let (base, token, incidents) = (server.base.clone(), token.clone(), incidents.clone());
            std::thread::spawn(move || {
                let agent = agent();
                let auth = bearer(&token);
                let mut rng = Lcg(c as u64 + 7);
                let mut latencies = Vec::new();
                let (mut errors, mut conflicts) = (Vec::new(), 0usize);
                while Instant::now() < deadline {
                    let t = Instant::now();
                    // one request in ten is an edit of an incident, racing the others
                    let result = if rng.next(10) == 0 {
                        let url = format!("{base}/api/incidents/{}", incidents[rng.next(incidents.len())]);
                        try_send_with(&agent, "GET", &url, &[], None).and_then(|current| {
                            try_send_with(
                                &agent,
                                "PATCH",
                                &url,
                                &[("authorization", &auth), ("if-match", &current.etag())],
                                Some(json!({"notes": format!("load {c}")}).to_string().as_bytes()),
                            )
                        })
                    } else {
                        try_send_with(
                            &agent,
                            "GET",
                            &format!("{base}{}", reads[rng.next(reads.len())]),
                            &[],
                            None,
                        )
                    };
                    latencies.push(t.elapsed());
                    match result {
                        Ok(r) if r.status == 200 => {}
                        Ok(r) if r.status == 412 => conflicts += 1,
                        Ok(r) => errors.push(format!("{} {}", r.status, r.body.chars().take(200).collect::<String>())),
                        Err(e) => errors.push(e.to_string()),
                    }
                }
                (latencies, errors, conflicts)
            })
        })
        .collect();
    // memory early (after a fifth of the run) and late
    std::thread::sleep(run_for / 5);
    let early = server.rss_kb();
    let mut peak = early;
    while Instant::now() + Duration::from_millis(500) < deadline {
        std::thread::sleep(Duration::from_millis(250));
        peak = peak.max(server.rss_kb());
    }
    let late = server.rss_kb();
    let mut latencies = Vec::new();
    let mut errors = Vec::new();
    let mut conflicts = 0;
    for client in clients {
        let (l, e, c) = client.join().unwrap();
        latencies.extend(l);
        errors.extend(e);
        conflicts += c;
    }
    latencies.sort();
    let elapsed = started.elapsed().as_secs_f64();
    eprintln!(
        "load: {} requests in {elapsed:.1} s ({:.0}/s) over 50 connections, {conflicts} conflicts (412), {} errors; \
         latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; RSS early {} MB, late {} MB, peak {} MB",
        latencies.len(),
        latencies.len() as f64 / elapsed,
        errors.len(),
        percentile_ms(&latencies, 50.0),
        percentile_ms(&latencies, 99.0),
        percentile_ms(&latencies, 100.0),
        early / 1024,
        late / 1024,
        peak / 1024,
    );
    assert!(
        errors.is_empty(),
        "{} errors, e.g. {:?}",
        errors.len(),
        &errors[..errors.len().min(5)]
    );
    assert!(latencies.len() > 500, "too few requests to judge");
    // flat: no more than a quarter (and 64 MB) above where it stood early on
    assert!(
        late <= early + (early / 4).max(64 * 1024),
        "memory grew from {early} kB to {late} kB"
    );
    assert_eq!(get(&server.url("/healthz")).status, 200);
}
