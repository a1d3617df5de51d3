//! Editing an incident's casualty claims (issue #8's review queue): in the
//! store, and through `PATCH /api/incidents/{id}` on the real server. Edited
//! claims change the layer's totals, invalid ones are refused naming the
//! field with nothing written, a revert brings the old claims back, and a
//! stale If-Match is a conflict.

mod common;

use common::{add_user, bearer, get, ok, send, sitrep, write_file, Reply, Server};
use serde_json::{json, Value};
use sitrep::gazetteer::Gazetteer;
use sitrep::incidents::{CasualtyClaim, CasualtyKind, Evidence, IncidentStatus};
use sitrep::ingest::{from_plain, ingest_article};
use sitrep::store::{Store, StoreError};

const SHOOTING: &str = "Title: Police car fired on near Dyukyanlar\nOutlet: Test Wire\n\n\
On Sunday, at about 10:00, soldiers of the Azerbaijani armed forces fired at a car carrying Nagorno-Karabakh police \
officers in the area of the village of Dyukyanlar on the Khankendi-Khalfali-Turshsu road. Three officers were killed \
and one was wounded. The Azerbaijani side said two of its soldiers died.\n";

const SHELLING: &str = "Title: Jermuk shelled\nOutlet: Other Wire\n\n\
On September 13, 2022, artillery shelled the outskirts of Jermuk; officials said two residents were wounded.\n";

fn claim(party: &str, kind: CasualtyKind, low: u32, best: u32, high: u32, source_id: Option<i64>) -> CasualtyClaim {
    CasualtyClaim {
        party: party.into(),
        kind,
        low,
        best,
        high,
        evidence: Evidence {
            start: 0,
            end: 0,
            quote: String::new(),
        },
        source_id,
    }
}

#[test]
fn the_store_replaces_claims_checks_them_and_a_revert_restores_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("s.db")).unwrap();
    let gazetteer = Gazetteer::from_places(store.load_places().unwrap()).unwrap();
    let article = SHOOTING.replace("Outlet: Test Wire\n", "Outlet: Test Wire\nPublished: 2023-03-07\n");
    let outcome = ingest_article(
        &mut store,
        &gazetteer,
        &from_plain(&article),
        "test",
        IncidentStatus::Draft,
    )
    .unwrap();
    let id = outcome.created[0];
    let other = ingest_article(
        &mut store,
        &gazetteer,
        &from_plain(SHELLING),
        "test",
        IncidentStatus::Draft,
    )
    .unwrap()
    .source_id;
    let original = store.incident(id).unwrap().unwrap();
    assert!(!original.claims.is_empty(), "the article's claims were read");
    let source = original.sources[0].source_id;

    // invalid claims: refused naming the field, nothing written
    let refused: Vec<(CasualtyClaim, &str)> = vec![
        (claim(" ", CasualtyKind::Killed, 1, 1, 1, None), "`claims[0].party`"),
        (claim("police", CasualtyKind::Killed, 3, 2, 4, None), "`claims[0].low`"),
        (claim("police", CasualtyKind::Killed, 1, 5, 4, None), "`claims[0].high`"),
        (
            claim("police", CasualtyKind::Killed, 1, 5, 5_000_000, None),
            "`claims[0].high`",
        ),
        (
            claim("police", CasualtyKind::Killed, 1, 1, 1, Some(other)),
            "`claims[0].source_id`",
        ),
    ];
    for (bad, field) in refused {
        let result = store.update_incident(id, original.revision, 1, "bad", |i| {
            i.claims = vec![bad.clone()];
            Ok(())
        });
        match result {
            Err(StoreError::Invalid(message)) => assert!(message.contains(field), "{message} names {field}"),
            other => panic!("{bad:?} was not refused: {other:?}"),
        }
        assert_eq!(store.incident(id).unwrap().unwrap(), original, "nothing written");
    }

    // a valid edit replaces the claims; the revision log holds before and after
    let edited = vec![
        claim("Nagorno-Karabakh police", CasualtyKind::Killed, 3, 4, 5, Some(source)),
        claim("civilians", CasualtyKind::Injured, 0, 2, 2, None),
    ];
    let after = store
        .update_incident(id, original.revision, 1, "recount", |i| {
            i.claims = edited.clone();
            Ok(())
        })
        .unwrap();
    assert_eq!(after.claims, edited);
    let stored = store.incident(id).unwrap().unwrap();
    assert_eq!(stored.claims, edited);
    assert_eq!((stored.fatalities(), stored.injuries()), (4, 2));
    let last = store.incident_history(id).unwrap().pop().unwrap();
    assert_eq!(last.after.as_ref().unwrap()["claims"].as_array().unwrap().len(), 2);
    assert_eq!(
        last.before.as_ref().unwrap()["claims"].as_array().unwrap().len(),
        original.claims.len()
    );

    // the revert brings the article's claims back
    let reverted = store
        .revert_incident(id, original.revision, stored.revision, 1, "undo recount")
        .unwrap();
    assert_eq!(reverted.claims, original.claims);
    assert_eq!(store.incident(id).unwrap().unwrap().claims, original.claims);

    // a stale edit is a conflict and writes nothing
    let stale = store.update_incident(id, stored.revision, 1, "stale", |i| {
        i.claims.clear();
        Ok(())
    });
    assert!(matches!(stale, Err(StoreError::Conflict { .. })), "{stale:?}");
    assert_eq!(store.incident(id).unwrap().unwrap().claims, original.claims);
}

/// The shooting's feature in the incidents layer.
fn in_layer(server: &Server, id: i64) -> Value {
    let layer = get(&server.url("/api/layers/incidents.geojson")).json();
    layer["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("incident {id} is not in the layer"))
}

fn totals(server: &Server, id: i64) -> (i64, i64) {
    let feature = in_layer(server, id);
    (
        feature["properties"]["fatalities"].as_i64().unwrap(),
        feature["properties"]["injuries"].as_i64().unwrap(),
    )
}

#[test]
fn claims_are_edited_through_the_api() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db").display().to_string();
    let shooting = write_file(dir.path(), "a.txt", SHOOTING);
    let shelling = write_file(dir.path(), "b.txt", SHELLING);
    ok(sitrep(&[
        "ingest",
        &shooting,
        "--publish",
        "--published",
        "2023-03-07",
        "--db",
        &db,
    ]));
    ok(sitrep(&[
        "ingest",
        &shelling,
        "--publish",
        "--published",
        "2022-09-14",
        "--db",
        &db,
    ]));
    let editor = add_user(&db, "ed", "editor");
    let server = Server::start(&db);
    let auth = bearer(&editor);

    let layer = get(&server.url("/api/layers/incidents.geojson")).json();
    let feature = layer["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["place_id"] == "sr:dyukyanlar")
        .cloned()
        .expect("the shooting is in the layer");
    let id = feature["properties"]["id"].as_i64().unwrap();
    let other_source = layer["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["id"] != id)
        .and_then(|f| f["properties"]["sources"][0]["source_id"].as_i64())
        .expect("the shelling's article");

    // GET returns the claims, each with its source
    let current = get(&server.url(&format!("/api/incidents/{id}")));
    assert_eq!(current.status, 200);
    let original = current.json();
    let original_claims = original["claims"].as_array().unwrap().clone();
    assert!(!original_claims.is_empty(), "{original}");
    let source = original["sources"][0]["source_id"].as_i64().unwrap();
    assert!(original_claims.iter().all(|c| c["source_id"] == source));
    let original_totals = totals(&server, id);
    assert_eq!(
        original_totals,
        (
            feature["properties"]["fatalities"].as_i64().unwrap(),
            feature["properties"]["injuries"].as_i64().unwrap()
        )
    );
    let original_etag = current.etag();

    let patch = |etag: &str, body: &Value| -> Reply {
        send(
            "PATCH",
            &server.url(&format!("/api/incidents/{id}")),
            &[("authorization", &auth), ("if-match", etag)],
            Some(body.to_string().as_bytes()),
        )
    };

    // invalid claims: refused naming the field, nothing written
    let good = json!({"party": "police", "kind": "killed", "best": 1});
    let refused = [
        (
            json!([{"party": "", "kind": "killed", "best": 1}]),
            422,
            "`claims[0].party`",
        ),
        (json!([{"kind": "killed", "best": 1}]), 422, "`claims[0].party`"),
        (
            json!([good, {"party": "police", "kind": "maimed", "best": 1}]),
            422,
            "`claims[1].kind`",
        ),
        (json!([{"party": "police", "kind": "killed"}]), 422, "`claims[0].best`"),
        (
            json!([{"party": "police", "kind": "killed", "best": -1}]),
            422,
            "`claims[0].best`",
        ),
        (
            json!([{"party": "police", "kind": "killed", "best": 2.5}]),
            422,
            "`claims[0].best`",
        ),
        (
            json!([{"party": "police", "kind": "killed", "best": 1_000_000}]),
            422,
            "`claims[0].best`",
        ),
        (
            json!([{"party": "police", "kind": "killed", "low": 3, "best": 2}]),
            422,
            "`claims[0].low`",
        ),
        (
            json!([{"party": "police", "kind": "killed", "best": 3, "high": 2}]),
            422,
            "`claims[0].high`",
        ),
        (
            json!([{"party": "police", "kind": "killed", "best": "3"}]),
            422,
            "`claims[0].best`",
        ),
        (
            json!([{"party": "police", "kind": "killed", "best": 1, "source_id": other_source}]),
            422,
            "`claims[0].source_id`",
        ),
        (
            json!([{"party": "police", "kind": "killed", "best": 1, "source_id": "x"}]),
            422,
            "`claims[0].source_id`",
        ),
        (
            json!([{"party": "x".repeat(300), "kind": "killed", "best": 1}]),
            422,
            "`claims[0].party`",
        ),
        (
            json!([{"party": "police", "kind": "killed", "best": 1, "colour": "red"}]),
            400,
            "colour",
        ),
    ];
    for (claims, status, field) in refused {
        let reply = patch(&original_etag, &json!({"claims": claims, "why": "bad"}));
        assert_eq!(reply.status, status, "{claims}: {}", reply.body);
        let message = reply.json()["error"]["message"].as_str().unwrap().to_string();
        assert!(message.contains(field), "{claims}: {message} names {field}");
        let now = get(&server.url(&format!("/api/incidents/{id}")));
        assert_eq!(now.etag(), original_etag, "nothing written");
        assert_eq!(now.json()["claims"], original["claims"]);
    }
    assert_eq!(totals(&server, id), original_totals);

    // a valid edit: the layer's totals follow
    let mut edited: Vec<Value> = original_claims.clone();
    let killed = edited
        .iter_mut()
        .find(|c| c["kind"] == "killed")
        .expect("a fatality claim");
    killed["low"] = json!(3);
    killed["best"] = json!(7);
    killed["high"] = json!(9);
    edited.push(json!({"party": "civilians", "kind": "injured", "low": 2, "best": 4, "high": 6, "source_id": null}));
    let saved = patch(&original_etag, &json!({"claims": edited, "why": "recount"}));
    assert_eq!(saved.status, 200, "{}", saved.body);
    let saved_etag = saved.etag();
    assert_ne!(saved_etag, original_etag);
    let saved = saved.json();
    assert_eq!(saved["claims"].as_array().unwrap().len(), original_claims.len() + 1);
    let fetched = get(&server.url(&format!("/api/incidents/{id}"))).json();
    assert_eq!(fetched["claims"], saved["claims"]);
    assert!(fetched["claims"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["party"] == "civilians" && c["best"] == 4 && c["source_id"].is_null()));
    let (fatalities, injuries) = totals(&server, id);
    assert!(fatalities >= 7 && fatalities != original_totals.0, "{fatalities}");
    assert_eq!(injuries, original_totals.1 + 4);
    let history = get(&server.url(&format!("/api/incidents/{id}/history"))).json();
    let last = history["revisions"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["why"], "recount");
    assert_eq!(last["before"]["claims"], original["claims"]);
    assert_eq!(last["after"]["claims"], saved["claims"]);

    // a stale If-Match is a conflict and changes nothing
    let stale = patch(&original_etag, &json!({"claims": [], "why": "stale"}));
    assert_eq!(stale.status, 412, "{}", stale.body);
    assert_eq!(stale.json()["error"]["code"], "conflict");
    assert_eq!(get(&server.url(&format!("/api/incidents/{id}"))).etag(), saved_etag);
    assert_eq!(totals(&server, id), (fatalities, injuries));

    // the revert brings the old claims and totals back
    let reverted = send(
        "POST",
        &server.url(&format!("/api/incidents/{id}/revert")),
        &[("authorization", &auth), ("if-match", &saved_etag)],
        Some(json!({"revision": original["revision"]}).to_string().as_bytes()),
    );
    assert_eq!(reverted.status, 200, "{}", reverted.body);
    assert_eq!(reverted.json()["claims"], original["claims"]);
    assert_eq!(
        get(&server.url(&format!("/api/incidents/{id}"))).json()["claims"],
        original["claims"]
    );
    assert_eq!(totals(&server, id), original_totals);

    // removing every claim leaves no casualties
    let now = get(&server.url(&format!("/api/incidents/{id}"))).etag();
    let cleared = patch(&now, &json!({"claims": []}));
    assert_eq!(cleared.status, 200, "{}", cleared.body);
    assert_eq!(totals(&server, id), (0, 0));
}
