//! The real server on a loopback port, driven over HTTP: layers and filters,
//! ETags, edits with If-Match, accounts and roles, the change feed, bad input.

mod common;

use common::{get, ok, send, sitrep_env, write_file as write, Server};
use serde_json::{json, Value};

const SHOOTING: &str = "Title: Police car fired on near Dyukyanlar\nOutlet: Test Wire\n\n\
On Sunday, at about 10:00, soldiers of the Azerbaijani armed forces fired at a car carrying Nagorno-Karabakh police \
officers in the area of the village of Dyukyanlar on the Khankendi-Khalfali-Turshsu road. Three officers were killed \
and one was wounded. The Azerbaijani side said two of its soldiers died.\n";

const SHELLING: &str = "Title: Jermuk shelled\nOutlet: Other Wire\n\n\
On September 13, 2022, artillery shelled the outskirts of Jermuk; officials said two residents were wounded.\n";

fn sitrep(args: &[&str], env: &[(&str, &str)]) -> String {
    ok(sitrep_env(args, env))
}

#[test]
fn the_server_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db").display().to_string();
    sitrep(
        &[
            "ingest",
            &write(dir.path(), "a.txt", SHOOTING),
            "--publish",
            "--published",
            "2023-03-07",
            "--db",
            &db,
        ],
        &[],
    );
    sitrep(
        &[
            "ingest",
            &write(dir.path(), "b.txt", SHELLING),
            "--publish",
            "--published",
            "2022-09-14",
            "--db",
            &db,
        ],
        &[],
    );
    let editor = sitrep(&["user", "add", "ed", "--role", "editor", "--db", &db], &[]);
    let viewer = sitrep(&["user", "add", "vi", "--role", "viewer", "--db", &db], &[]);
    assert_eq!(editor.lines().count(), 1, "the token alone on one line");
    sitrep(
        &["user", "passwd", "ed", "--db", &db],
        &[("SITREP_PASSWORD", "correct horse battery")],
    );
    let server = Server::start(&db);
    let url = |path: &str| format!("{}{path}", server.base);
    let bearer = |token: &str| format!("Bearer {token}");

    assert_eq!(get(&url("/healthz")).status, 200);

    // layers
    let layer = get(&url("/api/layers/incidents.geojson"));
    assert_eq!(layer.status, 200);
    assert_eq!(layer.header("content-type"), Some("application/geo+json"));
    let collection = layer.json();
    assert_eq!(collection["type"], "FeatureCollection");
    assert!(collection.get("crs").is_none());
    let features = collection["features"].as_array().unwrap().clone();
    assert!(features.len() >= 2, "{collection}");
    let keys = |f: &Value| -> Vec<String> { f["properties"].as_object().unwrap().keys().cloned().collect() };
    assert!(
        features.iter().all(|f| keys(f) == keys(&features[0])),
        "one schema for all features"
    );
    let shooting = features
        .iter()
        .find(|f| f["properties"]["location_name"] == "Dyukyanlar")
        .expect("the shooting")
        .clone();
    assert_eq!(shooting["properties"]["fatalities"], 5);
    assert_eq!(shooting["properties"]["date_start"], "2023-03-05");
    assert_eq!(
        shooting["properties"]["sources"][0]["title"],
        "Police car fired on near Dyukyanlar"
    );
    let count = |query: &str| -> usize {
        let reply = get(&url(&format!("/api/layers/incidents.geojson?{query}")));
        assert_eq!(reply.status, 200, "{query}: {}", reply.body);
        reply.json()["features"].as_array().unwrap().len()
    };
    let all = features.len();
    assert_eq!(count("datetime=2023-03-01/2023-03-31"), 1);
    assert_eq!(count("datetime=../2022-12-31"), all - 1);
    assert_eq!(count("bbox=0,0,1,1"), 0);
    assert_eq!(count("bbox=45,39,48,41"), all);
    assert_eq!(count("event_type=Protests"), 0);
    assert_eq!(count("geo_precision=1,2,3&status=all"), all);
    assert_eq!(count("q=Dyukyanlar"), 1);
    assert_eq!(count("outlet=Other%20Wire"), 1);
    assert_eq!(count("place=sr:dyukyanlar"), 1);
    assert_eq!(count("limit=1"), 1);
    for (bad, parameter) in [
        ("bbox=1,2,3", "bbox"),
        ("datetime=soon", "datetime"),
        ("status=maybe", "status"),
        ("limit=0", "limit"),
        ("colour=red", "colour"),
    ] {
        let reply = get(&url(&format!("/api/layers/incidents.geojson?{bad}")));
        assert_eq!(reply.status, 400, "{bad}");
        assert_eq!(reply.json()["error"]["code"], "invalid_parameter");
        assert!(
            reply.json()["error"]["message"].as_str().unwrap().contains(parameter),
            "{}",
            reply.body
        );
    }
    assert_eq!(get(&url("/api/layers/nothing.geojson")).status, 404);
    let roads = get(&url("/api/layers/roads.geojson")).json();
    assert!(roads["features"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["geometry"]["type"] == "MultiLineString" && f["properties"]["name"] == "Lachin corridor"));

    // caching
    let tag = layer.header("etag").expect("an ETag").to_string();
    assert_eq!(
        send(
            "GET",
            &url("/api/layers/incidents.geojson"),
            &[("if-none-match", &tag)],
            None
        )
        .status,
        304
    );
    let gz = send(
        "GET",
        &url("/api/layers/places.geojson?bbox=46,39,47,40"),
        &[("accept-encoding", "gzip")],
        None,
    );
    assert_eq!(gz.header("content-encoding"), Some("gzip"));

    // search
    let found = get(&url("/api/places/search?q=Stepanakret")).json();
    assert_eq!(found["results"][0]["name"], "Khankendi");

    // editing a place: auth, roles, If-Match
    let place = get(&url("/api/places/sr:dyukyanlar"));
    let revision = place.header("etag").unwrap().to_string();
    let [lon, lat] = [
        place.json()["properties"]["point"][0].as_f64().unwrap(),
        place.json()["properties"]["point"][1].as_f64().unwrap(),
    ];
    let moved = json!({"point": [lon, lat + 2000.0 / 111_195.0], "why": "surveyed"}).to_string();
    let patch = |headers: &[(&str, &str)], body: &str| {
        send(
            "PATCH",
            &url("/api/places/sr:dyukyanlar"),
            headers,
            Some(body.as_bytes()),
        )
    };
    assert_eq!(patch(&[], &moved).status, 401);
    assert_eq!(
        patch(&[("authorization", &bearer(&viewer)), ("if-match", &revision)], &moved).status,
        403
    );
    assert_eq!(
        patch(
            &[("authorization", "Bearer 1.nonsense"), ("if-match", &revision)],
            &moved
        )
        .status,
        401
    );
    let no_precondition = patch(&[("authorization", &bearer(&editor))], &moved);
    assert_eq!(no_precondition.status, 428);
    let ok = patch(&[("authorization", &bearer(&editor)), ("if-match", &revision)], &moved);
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(ok.json()["changed"]["moved_incidents"].as_array().unwrap().len(), 1);
    let stale = patch(
        &[("authorization", &bearer(&editor)), ("if-match", &revision)],
        &json!({"radius_m": 50}).to_string(),
    );
    assert_eq!(stale.status, 412);
    assert_eq!(stale.json()["error"]["code"], "conflict");
    assert!(
        stale.json()["error"]["current"]["properties"]["revision"]
            .as_i64()
            .unwrap()
            > revision.trim_matches('"').parse::<i64>().unwrap()
    );
    // the incident moved with its place
    let after = get(&url("/api/layers/incidents.geojson?place=sr:dyukyanlar")).json();
    let new_lat = after["features"][0]["geometry"]["coordinates"][1].as_f64().unwrap();
    let old_lat = shooting["geometry"]["coordinates"][1].as_f64().unwrap();
    assert!((new_lat - old_lat).abs() > 0.005, "{old_lat} -> {new_lat}");
    let history = get(&url("/api/places/sr:dyukyanlar/history")).json();
    assert_eq!(
        history["revisions"].as_array().unwrap().last().unwrap()["why"],
        "surveyed"
    );
    let id = shooting["properties"]["id"].as_i64().unwrap();
    let incident_history = get(&url(&format!("/api/incidents/{id}/history"))).json();
    assert!(incident_history["revisions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["why"].as_str().unwrap().contains("moved with place")));

    // bad input, nothing half-applied
    let current = get(&url("/api/places/sr:dyukyanlar"))
        .header("etag")
        .unwrap()
        .to_string();
    let auth = [("authorization", bearer(&editor)), ("if-match", current.clone())];
    let auth: Vec<(&str, &str)> = auth.iter().map(|(k, v)| (*k, v.as_str())).collect();
    for (body, status) in [
        ("{not json".to_string(), 400),
        (json!({"colour": "red"}).to_string(), 400),
        (json!({"point": [46.7, 95.0]}).to_string(), 422),
        (json!({"add_names": [{"text": "  "}]}).to_string(), 422),
        (json!({"add_names": [{"text": "x".repeat(1000)}]}).to_string(), 422),
        (
            json!({"geometry": {"type": "Polygon", "coordinates": [[[0,0],[1,1],[1,0],[0,1],[0,0]]]}}).to_string(),
            422,
        ),
        (json!({"kind": "volcano"}).to_string(), 422),
        ("x".repeat(1_100_000), 413),
    ] {
        let reply = patch(&auth, &body);
        assert_eq!(
            reply.status,
            status,
            "{}: {}",
            &body.chars().take(80).collect::<String>(),
            reply.body
        );
        if status != 413 {
            assert!(reply.json()["error"]["code"].is_string());
        }
    }
    assert_eq!(
        get(&url("/api/places/sr:dyukyanlar")).header("etag").unwrap(),
        current,
        "refused edits change nothing"
    );

    // a hostile name is stored and returned as data
    let hostile = "<img src=x onerror=alert(1)>";
    let named = patch(
        &auth,
        &json!({"add_names": [{"text": hostile, "kind": "colloquial"}]}).to_string(),
    );
    assert_eq!(named.status, 200, "{}", named.body);
    let names = get(&url("/api/places/sr:dyukyanlar")).json()["properties"]["names"].clone();
    assert!(names.as_array().unwrap().iter().any(|n| n["text"] == hostile));

    // review queue and a decision on a mention
    assert_eq!(get(&url("/api/review")).status, 401);
    let queue = send("GET", &url("/api/review"), &[("authorization", &bearer(&editor))], None).json();
    let mention = &queue["mentions"][0];
    let mention_id = mention["id"].as_i64().unwrap();
    let decided = send(
        "PATCH",
        &url(&format!("/api/mentions/{mention_id}")),
        &[
            ("authorization", &bearer(&editor)),
            ("if-match", &format!("\"{}\"", mention["revision"])),
        ],
        Some(json!({"action": "accept"}).to_string().as_bytes()),
    );
    assert_eq!(decided.status, 200, "{}", decided.body);

    // the change feed has every revision in order
    let mention_key = mention_id.to_string();
    let feed = get(&url("/api/changes?since=0&limit=10000")).json();
    let changes = feed["changes"].as_array().unwrap();
    assert!(changes.windows(2).all(|w| w[0]["seq"].as_i64() < w[1]["seq"].as_i64()));
    assert!(changes
        .iter()
        .any(|c| c["entity"] == "place" && c["entity_id"] == "sr:dyukyanlar"));
    assert!(changes
        .iter()
        .any(|c| c["entity"] == "mention" && c["entity_id"] == mention_key.as_str() && c["user"] == "ed"));
    let later = get(&url(&format!("/api/changes?since={}", feed["next"]))).json();
    assert_eq!(later["changes"].as_array().unwrap().len(), 0);

    // browser sessions: cookie + CSRF
    let login = send(
        "POST",
        &url("/api/login"),
        &[],
        Some(
            json!({"name": "ed", "password": "correct horse battery"})
                .to_string()
                .as_bytes(),
        ),
    );
    assert_eq!(login.status, 200, "{}", login.body);
    let cookie = login.header("set-cookie").unwrap().to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    let session = cookie.split(';').next().unwrap().to_string();
    let csrf = login.json()["csrf"].as_str().unwrap().to_string();
    let etag_now = get(&url("/api/places/sr:dyukyanlar"))
        .header("etag")
        .unwrap()
        .to_string();
    let body = json!({"radius_m": 4000}).to_string();
    assert_eq!(
        patch(&[("cookie", &session), ("if-match", &etag_now)], &body).status,
        403,
        "cookie writes need the CSRF token"
    );
    assert_eq!(
        patch(
            &[("cookie", &session), ("if-match", &etag_now), ("x-csrf-token", &csrf)],
            &body
        )
        .status,
        200
    );
    for _ in 0..5 {
        let wrong = send(
            "POST",
            &url("/api/login"),
            &[],
            Some(json!({"name": "ed", "password": "wrong"}).to_string().as_bytes()),
        );
        assert_eq!(wrong.status, 401);
    }
    let locked = send(
        "POST",
        &url("/api/login"),
        &[],
        Some(
            json!({"name": "ed", "password": "correct horse battery"})
                .to_string()
                .as_bytes(),
        ),
    );
    assert_eq!(locked.status, 429);

    // restore the original position, then merge the place into a new one
    let editor_auth = |etag: &str| {
        vec![
            ("authorization".to_string(), bearer(&editor)),
            ("if-match".to_string(), etag.to_string()),
        ]
    };
    let as_refs = |h: &Vec<(String, String)>| -> Vec<(String, String)> { h.clone() };
    let send_json = |method: &str, path: &str, headers: Vec<(String, String)>, body: Value| {
        let refs: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        send(method, &url(path), &refs, Some(body.to_string().as_bytes()))
    };
    let etag_now = get(&url("/api/places/sr:dyukyanlar"))
        .header("etag")
        .unwrap()
        .to_string();
    let restored = send_json(
        "POST",
        "/api/places/sr:dyukyanlar/revert",
        as_refs(&editor_auth(&etag_now)),
        json!({"revision": 1}),
    );
    assert_eq!(restored.status, 200, "{}", restored.body);
    let point = restored.json()["place"]["properties"]["point"].clone();
    assert!(
        (point[1].as_f64().unwrap() - lat).abs() < 1e-7,
        "back at {lat}: {point}"
    );
    let created = send_json(
        "POST",
        "/api/places",
        as_refs(&editor_auth("")),
        json!({"name": "Dyukyanlar village centre", "kind": "P.PPL", "point": [lon, lat], "country": "AZ"}),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let new_id = created.json()["id"].as_str().unwrap().to_string();
    let etag_now = get(&url("/api/places/sr:dyukyanlar"))
        .header("etag")
        .unwrap()
        .to_string();
    let merged = send_json(
        "POST",
        "/api/places/sr:dyukyanlar/merge",
        as_refs(&editor_auth(&etag_now)),
        json!({"into": new_id, "why": "duplicate"}),
    );
    assert_eq!(merged.status, 200, "{}", merged.body);
    let moved = get(&url(&format!("/api/layers/incidents.geojson?place={new_id}"))).json();
    assert_eq!(
        moved["features"].as_array().unwrap().len(),
        1,
        "the incident followed the merge"
    );
    assert_eq!(
        get(&url("/api/places/sr:dyukyanlar")).json()["properties"]["status"],
        "superseded"
    );
    let found = get(&url("/api/places/search?q=Dyukyanlar")).json();
    assert!(
        found["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["id"] != "sr:dyukyanlar"),
        "superseded places leave search"
    );

    // the API description lists every endpoint, generated from the routes
    let spec = get(&url("/api/openapi.json")).json();
    assert_eq!(spec["openapi"], "3.0.3");
    for path in [
        "/api/layers/{file}",
        "/api/places/{id}",
        "/api/changes",
        "/api/export/{file}",
    ] {
        assert!(spec["paths"][path].is_object(), "{path} missing");
    }
    assert!(spec["paths"]["/api/places/{id}"]["patch"]["security"].is_array());

    // static files stay inside web/
    assert_eq!(get(&url("/")).status, 200);
    for path in ["/..%2f..%2fetc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/../Cargo.toml"] {
        let reply = get(&url(path));
        assert!(reply.status == 404 || reply.status == 400, "{path}: {}", reply.status);
        assert!(!reply.body.contains("root:"));
    }
}
