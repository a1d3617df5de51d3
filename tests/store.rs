//! The store: references, history, conflicts, migrations, backups.

use chrono::NaiveDate;
use sitrep::gazetteer::{haversine_m, Gazetteer};
use sitrep::geoparse::Geoparser;
use sitrep::incidents::IncidentStatus;
use sitrep::ingest::{from_plain, ingest_article, ingest_article_with};
use sitrep::store::{Store, StoreError};

const REPORT: &str = "Title: Shooting near Dyukyanlar\nPublished: 2023-03-07\n\n\
On March 5, Azerbaijani soldiers fired at a police car in the area of the settlement of Dyukyanlar. Three officers were killed.";

fn store_with_incident(dir: &std::path::Path) -> (Store, i64) {
    let mut store = Store::open(&dir.join("s.db")).unwrap();
    let gazetteer = Gazetteer::from_places(store.load_places().unwrap()).unwrap();
    let outcome = ingest_article(
        &mut store,
        &gazetteer,
        &from_plain(REPORT),
        "test",
        IncidentStatus::Draft,
    )
    .unwrap();
    assert_eq!(outcome.created.len(), 1);
    (store, outcome.created[0])
}

/// A batch ingested with one kept geoparser stores what articles ingested
/// one by one store: what the geoparser remembers of earlier articles'
/// names changes no later article's mentions.
#[test]
fn a_batch_with_a_kept_geoparser_stores_the_mentions_of_fresh_ones() {
    let second = "Title: Road closed\nPublished: 2023-03-08\n\n\
Traffic on the Lachin road stopped near Shusha, and residents of Dyukyanlar left for Khankendi (Stepanakert).";
    let third =
        "Title: Talks\nPublished: 2023-03-09\n\nOfficials from Baku and Yerevan met in Brussels; Shusha was quiet.";
    let stored_mentions = |kept: bool| {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("s.db")).unwrap();
        let gazetteer = Gazetteer::from_places(store.load_places().unwrap()).unwrap();
        let mut geoparser = Geoparser::new(&gazetteer);
        for text in [REPORT, second, third] {
            let article = from_plain(text);
            if kept {
                ingest_article_with(&mut store, &mut geoparser, &article, "test", IncidentStatus::Draft).unwrap();
            } else {
                ingest_article(&mut store, &gazetteer, &article, "test", IncidentStatus::Draft).unwrap();
            }
        }
        let mut mentions: Vec<_> = store
            .mentions_to_review(1000)
            .unwrap()
            .into_iter()
            .map(|m| (m.source_id, m.start, m.end, m.text, m.place_id, m.score.to_bits()))
            .collect();
        mentions.sort();
        mentions
    };
    let kept = stored_mentions(true);
    let places: Vec<_> = kept.iter().filter_map(|m| m.4.as_deref()).collect();
    for place in ["sr:dyukyanlar", "gn:147105", "gn:587084", "gn:2800866"] {
        assert!(places.contains(&place), "{place} not among {places:?}");
    }
    assert_eq!(kept, stored_mentions(false));
}

#[test]
fn moving_a_place_moves_its_incidents_and_records_why() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, incident) = store_with_incident(dir.path());
    let place = store.place("sr:dyukyanlar").unwrap().unwrap();
    let revision = store.place_revision("sr:dyukyanlar").unwrap().unwrap();
    // 2 km due north
    let (lon, lat) = (place.lon(), place.lat() + 2_000.0 / 111_195.0);
    let moved = store
        .move_place("sr:dyukyanlar", revision, lon, lat, 1, "surveyed position")
        .unwrap();
    assert_eq!(moved, vec![incident]);

    let place_after = store.place("sr:dyukyanlar").unwrap().unwrap();
    assert!((haversine_m(place.point, place_after.point) - 2_000.0).abs() < 5.0);
    // the incident refers to the place, so it is where the place now is
    let stored = store.incident(incident).unwrap().unwrap();
    assert_eq!(stored.location.as_ref().unwrap().place_id, "sr:dyukyanlar");
    let history = store.incident_history(incident).unwrap();
    let last = history.last().unwrap();
    assert!(
        last.why.contains("moved with place sr:dyukyanlar by 2000 m"),
        "{}",
        last.why
    );
    assert_eq!(last.revision, stored.revision);
    let place_history = store.place_history("sr:dyukyanlar").unwrap();
    assert_eq!(place_history.last().unwrap().why, "surveyed position");
    assert!(place_history.last().unwrap().before.is_some());

    // an edit based on the old revision is refused and changes nothing
    let stale = store.move_place("sr:dyukyanlar", revision, 46.0, 39.0, 1, "stale");
    assert!(matches!(stale, Err(StoreError::Conflict { .. })), "{stale:?}");
    assert_eq!(store.place("sr:dyukyanlar").unwrap().unwrap().point, place_after.point);
}

#[test]
fn incident_edits_need_the_current_revision() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, id) = store_with_incident(dir.path());
    let current = store.incident(id).unwrap().unwrap();
    let published = store
        .update_incident(id, current.revision, 1, "checked the sources", |i| {
            i.status = IncidentStatus::Published;
            i.date_end = NaiveDate::from_ymd_opt(2023, 3, 5).unwrap();
            Ok(())
        })
        .unwrap();
    assert_eq!(published.revision, current.revision + 1);
    let stale = store.update_incident(id, current.revision, 1, "late edit", |i| {
        i.notes = "overwrites?".into();
        Ok(())
    });
    match stale {
        Err(StoreError::Conflict { current: now, .. }) => assert_eq!(now, published.revision),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(store.incident(id).unwrap().unwrap().notes, "");
    let bad_type = store.update_incident(id, published.revision, 1, "typo", |i| {
        i.event_type = "Skirmish".into();
        Ok(())
    });
    assert!(matches!(bad_type, Err(StoreError::Invalid(_))));
    let history = store.incident_history(id).unwrap();
    assert_eq!(history.len(), 2, "created + published; refused edits leave no trace");
}

#[test]
fn an_older_database_upgrades_and_a_newer_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        // a version-1 database: only the gazetteer tables
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE places (id TEXT PRIMARY KEY, revision INTEGER NOT NULL, curated INTEGER NOT NULL, origin TEXT NOT NULL,
               kind TEXT NOT NULL, lon REAL NOT NULL, lat REAL NOT NULL, country TEXT NOT NULL, status TEXT NOT NULL,
               feature TEXT NOT NULL, updated_at TEXT NOT NULL) STRICT;
             CREATE TABLE place_names (place_id TEXT NOT NULL REFERENCES places(id) ON DELETE CASCADE, position INTEGER NOT NULL,
               text TEXT NOT NULL, lang TEXT NOT NULL, script TEXT NOT NULL, kind TEXT NOT NULL, valid_from TEXT, valid_to TEXT,
               PRIMARY KEY (place_id, position)) STRICT;
             CREATE INDEX place_names_text ON place_names(place_id, text);
             CREATE INDEX places_lon_lat ON places(lon, lat);
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert!(store.place_count().unwrap() > 30_000, "seeded after the upgrade");
    assert_eq!(store.stats().unwrap().incidents, 0);
    drop(store);

    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let err = Store::open(&path).err().expect("a newer schema is refused").to_string();
    assert!(err.contains("schema version 99") && err.contains("newer"), "{err}");
}

#[test]
fn backups_are_consistent_and_restores_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = store_with_incident(dir.path());
    let copy = dir.path().join("copy.db");
    store.backup_to(&copy).unwrap();
    assert!(store.backup_to(&copy).is_err(), "never overwrite an existing file");
    drop(store);

    let target = dir.path().join("s.db");
    let garbage = dir.path().join("garbage.db");
    std::fs::write(&garbage, b"not a database at all").unwrap();
    assert!(sitrep::store::restore(&garbage, &target).is_err());
    assert_eq!(
        Store::open(&target).unwrap().stats().unwrap().incidents,
        1,
        "a failed restore touches nothing"
    );
    sitrep::store::restore(&copy, &target).unwrap();
    let restored = Store::open(&target).unwrap().stats().unwrap();
    assert_eq!((restored.incidents, restored.integrity.as_str()), (1, "ok"));
}

#[test]
fn an_edit_re_resolves_the_articles_it_affects() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("s.db")).unwrap();
    let gazetteer = Gazetteer::from_places(store.load_places().unwrap()).unwrap();
    let article = from_plain("Title: Shepherd missing\nPublished: 2023-05-02\n\nA shepherd from the village of Zyxdorovka near Kalbajar went missing on Monday.");
    ingest_article(&mut store, &gazetteer, &article, "test", IncidentStatus::Draft).unwrap();
    let unresolved = store.mentions_to_review(100).unwrap();
    let before = unresolved
        .iter()
        .find(|m| m.text == "Zyxdorovka")
        .expect("the unknown village is kept as a mention");
    assert!(before.place_id.is_none());

    // an editor adds the village; the article is read again with the new gazetteer
    let mut village =
        sitrep::gazetteer::Place::new_point("sr:zyxdorovka", "Zyxdorovka", "P.PPL".parse().unwrap(), 46.03, 40.12);
    village.country = "AZ".into();
    village.radius_m = 5_000.0;
    store.create_place(&village, 1, "added from the review queue").unwrap();
    let gazetteer = Gazetteer::from_places(store.load_places().unwrap()).unwrap();
    let report = sitrep::ingest::reresolve_place(&mut store, &gazetteer, "sr:zyxdorovka").unwrap();
    assert_eq!(report.articles, 1);
    assert!(report.mentions_changed >= 1, "{report:?}");
    let after = store.mentions_to_review(100).unwrap();
    let resolved = after
        .iter()
        .find(|m| m.text == "Zyxdorovka")
        .expect("still in the queue");
    assert_eq!(resolved.place_id.as_deref(), Some("sr:zyxdorovka"));
    assert_eq!(resolved.status, "auto", "the machine's new choice waits for review");
    assert!(resolved.revision > before.revision);
}

#[test]
fn incident_revisions_restore_and_merges_undo() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, id) = store_with_incident(dir.path());
    let first = store.incident(id).unwrap().unwrap();
    let edited = store
        .update_incident(id, first.revision, 1, "wrong type", |i| {
            i.event_type = "Protests".into();
            i.sub_event_type = "Peaceful protest".into();
            Ok(())
        })
        .unwrap();
    let current = store.incident(id).unwrap().unwrap();
    assert_eq!(current.revision, edited.revision);
    let back = store
        .revert_incident(id, first.revision, current.revision, 1, "undo the type change")
        .unwrap();
    assert_eq!(back.event_type, first.event_type);
    assert_eq!(back.sub_event_type, first.sub_event_type);
    assert!(back.revision > current.revision);

    // a second report merges; undoing the merge gives it its own incident again
    let gazetteer = Gazetteer::from_places(store.load_places().unwrap()).unwrap();
    let second = from_plain("Title: Second report\nPublished: 2023-03-06\n\nOn March 5, Azerbaijani soldiers opened fire on police near Dyukyanlar. Three officers were killed.");
    let outcome = ingest_article(&mut store, &gazetteer, &second, "test", IncidentStatus::Draft).unwrap();
    assert_eq!(outcome.merged, vec![id]);
    assert_eq!(store.incident(id).unwrap().unwrap().sources.len(), 2);
    let split = store.unmerge_source(id, outcome.source_id, 1).unwrap();
    assert_ne!(split, id);
    assert_eq!(store.incident(id).unwrap().unwrap().sources.len(), 1);
    let alone = store.incident(split).unwrap().unwrap();
    assert_eq!(alone.sources[0].source_id, outcome.source_id);
    assert!(!alone.claims.is_empty(), "its claims went with it");
}

#[test]
fn a_database_seeded_by_an_older_build_gets_the_new_bundled_places_and_keeps_edits() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let mut store = Store::open(&path).unwrap();
    assert!(
        store.bundled_refresh().is_none(),
        "a new database is seeded, not refreshed"
    );
    // an editor moves a bundled place
    let place = store.place("sr:dyukyanlar").unwrap().unwrap();
    let revision = store.place_revision("sr:dyukyanlar").unwrap().unwrap();
    let moved_lat = place.lat() + 0.01;
    store
        .move_place(
            "sr:dyukyanlar",
            revision,
            place.lon(),
            moved_lat,
            1,
            "surveyed position",
        )
        .unwrap();
    let places = store.place_count().unwrap();
    drop(store);
    // what an older build would have left: a place it did not have, a
    // place without a name it had not learnt, another fingerprint
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "DELETE FROM place_names WHERE place_id = 'sr:alat';
             DELETE FROM places WHERE id = 'sr:alat';
             DELETE FROM place_names WHERE place_id = 'sr:lake-sev' AND text = 'Black Lake';
             UPDATE bundled_data SET fingerprint = 'an older build';",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let report = store.bundled_refresh().cloned().expect("a refresh");
    assert_eq!(report.added, 1, "{report:?}");
    assert!(report.updated >= 1, "{report:?}");
    assert_eq!(store.place_count().unwrap(), places);
    assert!(store.place("sr:alat").unwrap().is_some());
    let lake = store.place("sr:lake-sev").unwrap().unwrap();
    assert!(lake.names.iter().any(|n| n.text == "Black Lake"), "{:?}", lake.names);
    // the editor's change stands
    let kept = store.place("sr:dyukyanlar").unwrap().unwrap();
    assert!((kept.lat() - moved_lat).abs() < 1e-9, "{}", kept.lat());
    drop(store);
    // and once is enough
    assert!(Store::open(&path).unwrap().bundled_refresh().is_none());
}
