//! Crash safety: SIGKILL the server in the middle of a stream of edits from
//! several clients, and `sitrep gazetteer import` in the middle of a big
//! file. After a restart every acknowledged edit is there, no refused edit
//! is, nothing is half-applied, and `PRAGMA integrity_check` is ok.

mod common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};

/// What a client learnt about one edit it sent.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    /// 2xx: it must survive the crash.
    Acknowledged,
    /// 4xx: it must not be there.
    Refused,
    /// No answer (the server died first): either, but whole or not at all.
    Unknown,
}

#[derive(Debug, Clone)]
struct Edit {
    /// The incident or place edited.
    target: String,
    /// The unique text the edit wrote (incident notes, or a place name).
    marker: String,
    outcome: Outcome,
}

/// One client: edits its own incident until the server goes away. Every
/// third edit is deliberately refused (an invalid field beside the marker,
/// or a stale If-Match), so a half-applied edit would show.
fn incident_client(base: String, token: String, incident: i64, client: usize, stop: Arc<AtomicBool>) -> Vec<Edit> {
    let agent = agent();
    let path = format!("{base}/api/incidents/{incident}");
    let auth = bearer(&token);
    let mut edits = Vec::new();
    for n in 0.. {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let Ok(current) = try_send_with(&agent, "GET", &path, &[], None) else {
            break;
        };
        let tag = current.etag();
        let marker = format!("client {client} edit {n}");
        let (body, if_match) = match n % 3 {
            1 => (
                json!({"notes": marker, "why": marker, "time_precision": 9}),
                tag.clone(),
            ),
            2 => (json!({"notes": marker, "why": marker}), "\"1\"".to_string()),
            _ => (json!({"notes": marker, "why": marker}), tag.clone()),
        };
        let reply = try_send_with(
            &agent,
            "PATCH",
            &path,
            &[("authorization", &auth), ("if-match", &if_match)],
            Some(body.to_string().as_bytes()),
        );
        let outcome = match &reply {
            Ok(r) if (200..300).contains(&r.status) => Outcome::Acknowledged,
            Ok(r) if (400..500).contains(&r.status) => Outcome::Refused,
            Ok(r) => panic!("client {client}: {} {}", r.status, r.body),
            Err(_) => Outcome::Unknown,
        };
        if n % 3 == 0 {
            assert_ne!(outcome, Outcome::Refused, "a valid edit was refused: {reply:?}");
        } else {
            assert_ne!(
                outcome,
                Outcome::Acknowledged,
                "an invalid edit was accepted: {reply:?}"
            );
        }
        let done = outcome == Outcome::Unknown;
        edits.push(Edit {
            target: incident.to_string(),
            marker,
            outcome,
        });
        if done {
            break;
        }
    }
    edits
}

/// One client adding names to a place (each edit also rebuilds the gazetteer).
fn place_client(base: String, token: String, place: String, stop: Arc<AtomicBool>) -> Vec<Edit> {
    let agent = agent();
    let path = format!("{base}/api/places/{place}");
    let auth = bearer(&token);
    let mut edits = Vec::new();
    for n in 0.. {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let Ok(current) = try_send_with(&agent, "GET", &path, &[], None) else {
            break;
        };
        let tag = current.etag();
        let marker = format!("Crash test name {n}");
        // odd edits carry an invalid second name: all or nothing
        let names = if n % 2 == 1 {
            json!([{"text": marker}, {"text": "  "}])
        } else {
            json!([{"text": marker}])
        };
        let reply = try_send_with(
            &agent,
            "PATCH",
            &path,
            &[("authorization", &auth), ("if-match", &tag)],
            Some(json!({"add_names": names}).to_string().as_bytes()),
        );
        let outcome = match &reply {
            Ok(r) if (200..300).contains(&r.status) => Outcome::Acknowledged,
            Ok(r) if (400..500).contains(&r.status) => Outcome::Refused,
            Ok(r) => panic!("place client: {} {}", r.status, r.body),
            Err(_) => Outcome::Unknown,
        };
        let done = outcome == Outcome::Unknown;
        edits.push(Edit {
            target: place.clone(),
            marker,
            outcome,
        });
        if done {
            break;
        }
    }
    edits
}

#[test]
fn killing_the_server_during_edits_keeps_every_acknowledged_edit_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db").display().to_string();
    // a new database with the demo incidents
    let server = Server::start_with(&db, true);
    let token = add_user(&db, "ed", "editor");
    let layer = get(&server.url("/api/layers/incidents.geojson?status=all")).json();
    let incidents: Vec<i64> = layer["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["id"].as_i64().unwrap())
        .collect();
    assert!(incidents.len() >= 4, "the demo incidents: {layer}");

    let stop = Arc::new(AtomicBool::new(false));
    let mut clients = Vec::new();
    for (client, incident) in incidents.iter().copied().take(4).enumerate() {
        let (base, token, stop) = (server.base.clone(), token.clone(), Arc::clone(&stop));
        clients.push(std::thread::spawn(move || {
            incident_client(base, token, incident, client, stop)
        }));
    }
    {
        let (base, token, stop) = (server.base.clone(), token.clone(), Arc::clone(&stop));
        clients.push(std::thread::spawn(move || {
            place_client(base, token, "sr:dyukyanlar".into(), stop)
        }));
    }
    std::thread::sleep(Duration::from_secs(3));
    server.kill();
    stop.store(true, Ordering::Relaxed);
    let edits: Vec<Edit> = clients.into_iter().flat_map(|c| c.join().unwrap()).collect();
    let count = |o: Outcome| edits.iter().filter(|e| e.outcome == o).count();
    let (acked, refused, unknown) = (
        count(Outcome::Acknowledged),
        count(Outcome::Refused),
        count(Outcome::Unknown),
    );
    eprintln!("edits before the kill: {acked} acknowledged, {refused} refused, {unknown} without an answer");
    assert!(acked >= 10 && refused >= 5, "too few edits to test anything");
    assert_eq!(integrity(&db), "ok");

    let server = Server::start(&db);
    // what the store holds now, per target: the markers written, in revision order
    let mut written: HashMap<String, Vec<String>> = HashMap::new();
    for incident in incidents.iter().take(4) {
        let history = get(&server.url(&format!("/api/incidents/{incident}/history"))).json();
        let whys: Vec<String> = history["revisions"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| r["why"].as_str())
            .filter(|w| w.starts_with("client "))
            .map(String::from)
            .collect();
        // the incident's notes are those of its last revision: no torn write
        let now = get(&server.url(&format!("/api/incidents/{incident}"))).json();
        if let Some(last) = whys.last() {
            assert_eq!(now["notes"].as_str(), Some(last.as_str()), "incident {incident}");
        }
        written.insert(incident.to_string(), whys);
    }
    let place = get(&server.url("/api/places/sr:dyukyanlar")).json();
    let names: Vec<String> = place["properties"]["names"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["text"].as_str())
        .filter(|t| t.starts_with("Crash test name"))
        .map(String::from)
        .collect();
    let revision = place["properties"]["revision"].as_i64().unwrap();
    assert_eq!(
        revision,
        1 + names.len() as i64,
        "one revision per name that landed, no more: {names:?}"
    );
    written.insert("sr:dyukyanlar".into(), names);

    for edit in &edits {
        let there = written[&edit.target].iter().filter(|m| **m == edit.marker).count();
        match edit.outcome {
            Outcome::Acknowledged => assert_eq!(there, 1, "acknowledged edit lost: {edit:?}"),
            Outcome::Refused => assert_eq!(there, 0, "refused edit written: {edit:?}"),
            Outcome::Unknown => assert!(there <= 1, "{edit:?} written twice"),
        }
    }
    for (target, markers) in &written {
        for marker in markers {
            assert!(
                edits.iter().any(|e| &e.target == target && &e.marker == marker),
                "{target}: {marker:?} was never sent"
            );
        }
    }
    drop(server);
    assert_eq!(integrity(&db), "ok");
}

/// `gn:` places in a database.
fn imported(db: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("SELECT count(*) FROM places WHERE id LIKE 'gn:900_____'", [], |r| {
        r.get(0)
    })
    .unwrap()
}

fn geonames_file(path: &std::path::Path, lines: usize, population: u64) {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for i in 0..lines {
        let (lat, lon) = (35.0 + (i % 1000) as f64 * 0.01, 40.0 + (i / 1000) as f64 * 0.01);
        writeln!(
            out,
            "{id}\tTestplace {i}\tTestplace {i}\tAlt {i},Другое {i}\t{lat:.5}\t{lon:.5}\tP\tPPL\tAM\t\t01\t\t\t\t{population}\t\t1000\tAsia/Yerevan\t2024-01-01",
            id = 90_000_000 + i
        )
        .unwrap();
    }
    out.flush().unwrap();
}

/// Copies `template` (a closed database) to `db`, runs an import of `file`
/// into it and SIGKILLs it part-way. How long an import takes depends on
/// the machine's load, and the process goes on a little after its commit, so
/// it tries earlier and earlier kills (each on a fresh copy) until one lands
/// before the commit. Every attempt must leave all of the import or none
/// (`check` returns whether it is all there, and panics on a mixture).
fn kill_import_midway(file: &str, template: &str, db: &str, clean: Duration, check: impl Fn() -> bool) {
    for fraction in [2, 4, 8, 16, 32] {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{db}{suffix}"));
        }
        std::fs::copy(template, db).unwrap();
        let mut child = sitrep_command(&["gazetteer", "import", file, "--db", db])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(clean / fraction);
        let running = child.try_wait().unwrap().is_none();
        child.kill().unwrap();
        child.wait().unwrap();
        if !running {
            continue;
        }
        assert_eq!(integrity(db), "ok");
        if !check() {
            return;
        }
    }
    panic!("the import always finished before it could be killed ({clean:?})");
}

#[test]
fn killing_a_gazetteer_import_midway_imports_nothing_and_a_rerun_imports_everything() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.txt");
    let lines = 40_000;
    geonames_file(&file, lines, 100);
    let file = file.display().to_string();
    let (db, reference) = (
        dir.path().join("crash.db").display().to_string(),
        dir.path().join("reference.db").display().to_string(),
    );
    // both databases exist (seeded) before the imports are timed
    for db in [&db, &reference] {
        ok(sitrep(&["stats", "--db", db]));
    }
    let started = Instant::now();
    ok(sitrep(&["gazetteer", "import", &file, "--db", &reference]));
    let clean = started.elapsed();
    assert_eq!(imported(&reference), lines as i64);

    // killed part-way: all or nothing, so nothing
    let template = dir.path().join("template.db").display().to_string();
    std::fs::copy(&db, &template).unwrap();
    kill_import_midway(&file, &template, &db, clean, || {
        let n = imported(&db);
        assert!(n == 0 || n == lines as i64, "a killed import left {n} of its places");
        n > 0
    });
    assert_eq!(imported(&db), 0);
    // run again: everything, once
    ok(sitrep(&["gazetteer", "import", &file, "--db", &db]));
    assert_eq!(imported(&db), lines as i64);

    // killed while updating the same places: they all keep the old population
    let update = dir.path().join("update.txt");
    geonames_file(&update, lines, 777);
    let update = update.display().to_string();
    std::fs::copy(&db, &template).unwrap();
    let with_population = |n: u64| -> i64 {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.query_row(
            "SELECT count(*) FROM places WHERE id LIKE 'gn:900_____' AND feature LIKE ?1",
            [format!("%\"population\":{n},%")],
            |r| r.get(0),
        )
        .unwrap()
    };
    kill_import_midway(&update, &template, &db, clean, || {
        let (old, new) = (with_population(100), with_population(777));
        assert!(
            (old, new) == (lines as i64, 0) || (old, new) == (0, lines as i64),
            "a killed update left {new} places changed and {old} not"
        );
        new > 0
    });
    assert_eq!(with_population(100), lines as i64, "every place as first imported");
    let out = ok(sitrep(&[
        "gazetteer",
        "lookup",
        "Testplace 39999",
        "--json",
        "--db",
        &db,
    ]));
    let rows: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(rows[0]["population"], 100, "{rows}");
}
