//! Who may do what, over HTTP against the real server: every endpoint of the
//! route table (`API_ENDPOINTS`) as anonymous, viewer, editor and admin;
//! session fixation, CSRF on cookie writes, login rate limiting; path
//! traversal on the static files; SQL metacharacters and 1 MB strings in
//! every text field and filter. Refused requests must change nothing: the
//! change feed (every revision the store records) must not move.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::*;
use serde_json::{json, Value};

const SHOOTING: &str = "Title: Police car fired on near Dyukyanlar\nOutlet: Test Wire\n\n\
On Sunday, at about 10:00, soldiers of the Azerbaijani armed forces fired at a car carrying Nagorno-Karabakh police \
officers in the area of the village of Dyukyanlar on the Khankendi-Khalfali-Turshsu road. Three officers were killed \
and one was wounded. The Azerbaijani side said two of its soldiers died.\n";

const SHOOTING_AGAIN: &str = "# Deadly shooting on Karabakh dirt road\n\n\
On March 5, Azerbaijani soldiers opened fire on a police car near Dyukyanlar, killing three officers.\n";

const SHOOTING_THIRD: &str = "Title: Three police officers killed near Dyukyanlar\nOutlet: Third Wire\n\n\
On March 5, 2023, Azerbaijani troops fired at a police car near Dyukyanlar; three officers were killed.\n";

const PASSWORD: &str = "correct horse battery";

#[derive(Debug, Clone, Copy, PartialEq)]
enum Who {
    Anonymous,
    Viewer,
    Editor,
    Admin,
}

const EVERYONE: [Who; 4] = [Who::Anonymous, Who::Viewer, Who::Editor, Who::Admin];

struct Fixture {
    server: Server,
    _dir: tempfile::TempDir,
    db: String,
    viewer: String,
    editor: String,
    admin: String,
    incident: i64,
    ogc_feature: String,
}

impl Fixture {
    fn new() -> Fixture {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        let db = dir.join("access.db").display().to_string();
        for (name, text, day) in [
            ("a.txt", SHOOTING, "2023-03-07"),
            ("b.md", SHOOTING_AGAIN, "2023-03-06"),
            ("c.txt", SHOOTING_THIRD, "2023-03-08"),
        ] {
            ok(sitrep(&[
                "ingest",
                &write_file(&dir, name, text),
                "--publish",
                "--published",
                day,
                "--db",
                &db,
            ]));
        }
        let viewer = add_user(&db, "vi", "viewer");
        let editor = add_user(&db, "ed", "editor");
        let admin = add_user(&db, "ad", "admin");
        for name in ["vi", "ed", "ad"] {
            set_password(&db, name, PASSWORD);
        }
        let server = Server::start(&db);
        let layer = get(&server.url("/api/layers/incidents.geojson?place=sr:dyukyanlar&status=all")).json();
        let incident = layer["features"][0]["properties"]["id"]
            .as_i64()
            .expect("the shooting is an incident");
        let items = get(&server.url("/ogc/collections/incidents/items?limit=1")).json();
        let ogc_feature = match &items["features"][0]["id"] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        Fixture {
            server,
            _dir: tmp,
            db,
            viewer,
            editor,
            admin,
            incident,
            ogc_feature,
        }
    }

    fn url(&self, path: &str) -> String {
        self.server.url(path)
    }

    fn token(&self, who: Who) -> Option<&str> {
        match who {
            Who::Anonymous => None,
            Who::Viewer => Some(&self.viewer),
            Who::Editor => Some(&self.editor),
            Who::Admin => Some(&self.admin),
        }
    }

    /// The sequence number of the newest revision in the change feed.
    fn feed_head(&self) -> i64 {
        let mut since = 0;
        loop {
            let page = get(&self.url(&format!("/api/changes?since={since}&limit=10000"))).json();
            let next = page["next"].as_i64().unwrap();
            if page["changes"].as_array().unwrap().is_empty() {
                return next;
            }
            since = next;
        }
    }

    fn etag(&self, path: &str) -> String {
        let reply = get(&self.url(path));
        assert_eq!(reply.status, 200, "{path}: {}", reply.body);
        reply.etag()
    }

    /// Creates a place as the editor and returns its id.
    fn new_place(&self, name: &str) -> String {
        let reply = send(
            "POST",
            &self.url("/api/places"),
            &[("authorization", &bearer(&self.editor))],
            Some(
                json!({"name": name, "kind": "P.PPL", "point": [46.8, 39.8], "country": "AZ"})
                    .to_string()
                    .as_bytes(),
            ),
        );
        assert_eq!(reply.status, 201, "{}", reply.body);
        reply.json()["id"].as_str().unwrap().to_string()
    }

    fn incident_json(&self) -> Value {
        get(&self.url(&format!("/api/incidents/{}", self.incident))).json()
    }
}

/// One request of the table.
struct Call {
    path: String,
    body: Option<String>,
    if_match: Option<String>,
}

impl Call {
    fn get(path: impl Into<String>) -> Call {
        Call {
            path: path.into(),
            body: None,
            if_match: None,
        }
    }
    fn with(path: impl Into<String>, body: Value, if_match: Option<String>) -> Call {
        Call {
            path: path.into(),
            body: Some(body.to_string()),
            if_match,
        }
    }
}

/// Builds the request a caller sends.
type MakeCall = Box<dyn Fn(&Fixture, Who) -> Call>;

/// An endpoint of the route table, how to call it, and the status each caller gets.
struct Case {
    method: &'static str,
    route: &'static str,
    call: MakeCall,
    expect: [u16; 4],
}

fn case(
    method: &'static str,
    route: &'static str,
    expect: [u16; 4],
    call: impl Fn(&Fixture, Who) -> Call + 'static,
) -> Case {
    Case {
        method,
        route,
        call: Box::new(call),
        expect,
    }
}

const PUBLIC: [u16; 4] = [200; 4];
const EDIT: [u16; 4] = [401, 403, 200, 200];

fn cases() -> Vec<Case> {
    let place = "/api/places/sr:dyukyanlar";
    vec![
        case("get", "/healthz", PUBLIC, |_, _| Call::get("/healthz")),
        case("get", "/api/layers/{file}", PUBLIC, |_, _| {
            Call::get("/api/layers/incidents.geojson?bbox=45,39,48,41")
        }),
        case("get", "/api/export/{file}", PUBLIC, |_, _| {
            Call::get("/api/export/incidents.csv")
        }),
        case("get", "/api/places/search", PUBLIC, |_, _| {
            Call::get("/api/places/search?q=Shusha")
        }),
        case("post", "/api/places", [401, 403, 201, 201], |_, who| {
            Call::with(
                "/api/places",
                json!({"name": format!("Checkpoint {who:?}"), "kind": "P.PPL", "point": [46.5, 39.5]}),
                None,
            )
        }),
        case("get", "/api/places/{id}", PUBLIC, move |_, _| Call::get(place)),
        case("patch", "/api/places/{id}", EDIT, move |f, who| {
            Call::with(
                place,
                json!({"radius_m": 1500, "why": format!("{who:?}")}),
                Some(f.etag(place)),
            )
        }),
        case("get", "/api/places/{id}/history", PUBLIC, move |_, _| {
            Call::get(format!("{place}/history"))
        }),
        case("post", "/api/places/{id}/revert", EDIT, move |f, _| {
            Call::with(format!("{place}/revert"), json!({"revision": 1}), Some(f.etag(place)))
        }),
        case("post", "/api/places/{id}/merge", EDIT, |f, who| {
            // a new duplicate for each caller who may merge; refused callers
            // are stopped before the ids are even looked at
            let duplicate = match who {
                Who::Admin => f.new_place("Duplicate for the admin"),
                Who::Editor => f.new_place("Duplicate for the editor"),
                _ => "sr:dyukyanlar".to_string(),
            };
            Call::with(
                format!("/api/places/{duplicate}/merge"),
                json!({"into": "sr:dyukyanlar"}),
                Some("\"1\"".into()),
            )
        }),
        case("get", "/api/review", [401, 403, 200, 200], |_, _| {
            Call::get("/api/review")
        }),
        case("patch", "/api/mentions/{id}", EDIT, |f, _| {
            let queue = send(
                "GET",
                &f.url("/api/review"),
                &[("authorization", &bearer(&f.editor))],
                None,
            )
            .json();
            let mention = &queue["mentions"][0];
            Call::with(
                format!("/api/mentions/{}", mention["id"]),
                json!({"action": "accept"}),
                Some(format!("\"{}\"", mention["revision"])),
            )
        }),
        case("get", "/api/incidents/{id}", PUBLIC, |f, _| {
            Call::get(format!("/api/incidents/{}", f.incident))
        }),
        case("patch", "/api/incidents/{id}", EDIT, |f, who| {
            let path = format!("/api/incidents/{}", f.incident);
            let tag = f.etag(&path);
            Call::with(path, json!({"notes": format!("checked by {who:?}")}), Some(tag))
        }),
        case("get", "/api/incidents/{id}/history", PUBLIC, |f, _| {
            Call::get(format!("/api/incidents/{}/history", f.incident))
        }),
        case("post", "/api/incidents/{id}/revert", EDIT, |f, _| {
            let path = format!("/api/incidents/{}", f.incident);
            let tag = f.etag(&path);
            let current: i64 = tag.trim_matches('"').parse().unwrap();
            Call::with(format!("{path}/revert"), json!({"revision": current - 1}), Some(tag))
        }),
        case("post", "/api/incidents/{id}/unmerge", EDIT, |f, _| {
            // the last merged article: the editor splits off one, the admin the other
            let incident = f.incident_json();
            let source = incident["sources"].as_array().unwrap().last().unwrap()["source_id"].clone();
            Call::with(
                format!("/api/incidents/{}/unmerge", f.incident),
                json!({"source_id": source}),
                None,
            )
        }),
        case("get", "/api/changes", PUBLIC, |_, _| {
            Call::get("/api/changes?since=0&limit=5")
        }),
        case("post", "/api/login", PUBLIC, |_, who| {
            let name = match who {
                Who::Anonymous | Who::Viewer => "vi",
                Who::Editor => "ed",
                Who::Admin => "ad",
            };
            Call::with("/api/login", json!({"name": name, "password": PASSWORD}), None)
        }),
        case("post", "/api/logout", PUBLIC, |_, _| {
            Call::with("/api/logout", json!({}), None)
        }),
        case("get", "/api/me", PUBLIC, |_, _| Call::get("/api/me")),
        case("get", "/api/config", PUBLIC, |_, _| Call::get("/api/config")),
        case("get", "/api/openapi.json", PUBLIC, |_, _| {
            Call::get("/api/openapi.json")
        }),
        case("get", "/ogc", PUBLIC, |_, _| Call::get("/ogc")),
        case("get", "/ogc/conformance", PUBLIC, |_, _| Call::get("/ogc/conformance")),
        case("get", "/ogc/api", PUBLIC, |_, _| Call::get("/ogc/api")),
        case("get", "/ogc/api.html", PUBLIC, |_, _| Call::get("/ogc/api.html")),
        case("get", "/ogc/collections", PUBLIC, |_, _| Call::get("/ogc/collections")),
        case("get", "/ogc/collections/{id}", PUBLIC, |_, _| {
            Call::get("/ogc/collections/incidents")
        }),
        case("get", "/ogc/collections/{id}/items", PUBLIC, |_, _| {
            Call::get("/ogc/collections/incidents/items?limit=2&bbox=45,39,48,41")
        }),
        case("get", "/ogc/collections/{id}/items/{feature}", PUBLIC, |f, _| {
            Call::get(format!("/ogc/collections/incidents/items/{}", f.ogc_feature))
        }),
    ]
}

fn run(f: &Fixture, method: &str, call: &Call, auth: &[(&str, &str)]) -> Reply {
    let mut headers: Vec<(&str, &str)> = auth.to_vec();
    if let Some(tag) = &call.if_match {
        headers.push(("if-match", tag));
    }
    send(
        &method.to_uppercase(),
        &f.url(&call.path),
        &headers,
        call.body.as_deref().map(str::as_bytes),
    )
}

#[test]
fn every_endpoint_answers_each_role_as_the_route_table_says() {
    let f = Fixture::new();
    let cases = cases();
    // the table covers the whole route table, so a new endpoint needs a row here
    for (method, path, role, _) in sitrep::server::API_ENDPOINTS {
        let row = cases
            .iter()
            .find(|c| c.method == *method && c.route == *path)
            .unwrap_or_else(|| panic!("{method} {path} has no row in the access table"));
        let public = row.expect[0] != 401;
        assert_eq!(
            public,
            *role == "public",
            "{method} {path} is {role} in the route table"
        );
    }
    assert_eq!(cases.len(), sitrep::server::API_ENDPOINTS.len());

    let editor_session = login(&f.server, "ed", PASSWORD);
    let mut failures = Vec::new();
    for case in &cases {
        for (who, expected) in EVERYONE.into_iter().zip(case.expect) {
            let call = (case.call)(&f, who);
            let token = f.token(who).map(bearer);
            let auth: Vec<(&str, &str)> = token.iter().map(|t| ("authorization", t.as_str())).collect();
            let before = f.feed_head();
            let reply = run(&f, case.method, &call, &auth);
            if reply.status != expected {
                failures.push(format!(
                    "{} {} as {who:?}: expected {expected}, got {} {}",
                    case.method,
                    call.path,
                    reply.status,
                    reply.body.chars().take(200).collect::<String>()
                ));
                continue;
            }
            if reply.status >= 400 {
                assert!(reply.json()["error"]["code"].is_string(), "{}", reply.body);
                assert_eq!(
                    f.feed_head(),
                    before,
                    "{} {} as {who:?} was refused but wrote",
                    case.method,
                    call.path
                );
            }
        }
        // a browser session without the CSRF token may not write anything
        if case.expect[2] != 200 || case.method == "get" || case.route == "/api/login" || case.route == "/api/logout" {
            continue;
        }
        let call = (case.call)(&f, Who::Anonymous);
        let before = f.feed_head();
        let reply = run(&f, case.method, &call, &[("cookie", &editor_session.cookie)]);
        if reply.status != 403 || reply.json()["error"]["code"] != "csrf" {
            failures.push(format!(
                "{} {} with a session cookie and no CSRF token: {} {}",
                case.method, call.path, reply.status, reply.body
            ));
        }
        assert_eq!(
            f.feed_head(),
            before,
            "{} {} without CSRF wrote",
            case.method,
            call.path
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn sessions_are_fresh_at_login_need_csrf_for_writes_and_failed_logins_are_throttled() {
    let f = Fixture::new();
    let place = "/api/places/sr:dyukyanlar";
    let me = |cookie: &str| send("GET", &f.url("/api/me"), &[("cookie", cookie)], None);

    // fixation: an attacker plants their own valid (viewer) session, the
    // editor signs in on top of it: the editor gets a new id, and the planted
    // one stays a viewer's
    let planted = login(&f.server, "vi", PASSWORD);
    let reply = login_reply(&f.server, "ed", PASSWORD, &[("cookie", &planted.cookie)]);
    assert_eq!(reply.status, 200);
    let fresh = reply
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    assert_ne!(fresh, planted.cookie, "the session id must change at login");
    assert_eq!(me(&planted.cookie).json()["role"], "viewer");
    assert_eq!(me(&fresh).json()["role"], "editor");
    // a made-up id is not adopted either
    let invented = "sitrep_session=0000000000000000000000000000000000000000000000000000000000000000";
    let reply = login_reply(&f.server, "ed", PASSWORD, &[("cookie", invented)]);
    assert!(!reply.header("set-cookie").unwrap().starts_with(invented));
    assert_eq!(me(invented).status, 401);
    // two logins, two ids and two CSRF tokens
    let (a, b) = (login(&f.server, "ed", PASSWORD), login(&f.server, "ed", PASSWORD));
    assert_ne!(a.cookie, b.cookie);
    assert_ne!(a.csrf, b.csrf);

    // CSRF on cookie writes: none, wrong, another session's, then the right one
    let body = json!({"radius_m": 2500}).to_string();
    let patch = |headers: &[(&str, &str)]| {
        let tag = f.etag(place);
        let mut all = vec![("if-match", tag.as_str())];
        all.extend_from_slice(headers);
        send("PATCH", &f.url(place), &all, Some(body.as_bytes()))
    };
    let before = f.feed_head();
    for headers in [
        vec![("cookie", a.cookie.as_str())],
        vec![("cookie", a.cookie.as_str()), ("x-csrf-token", "")],
        vec![("cookie", a.cookie.as_str()), ("x-csrf-token", "00")],
        vec![("cookie", a.cookie.as_str()), ("x-csrf-token", b.csrf.as_str())],
    ] {
        let reply = patch(&headers);
        assert_eq!(reply.status, 403, "{headers:?}: {}", reply.body);
        assert_eq!(reply.json()["error"]["code"], "csrf");
    }
    assert_eq!(f.feed_head(), before, "refused cookie writes wrote");
    assert_eq!(patch(&[("cookie", &a.cookie), ("x-csrf-token", &a.csrf)]).status, 200);
    // API tokens need no CSRF token (they are not sent by browsers on their own)
    assert_eq!(patch(&[("authorization", &bearer(&f.editor))]).status, 200);
    // a signed-out session can do nothing
    let out = send("POST", &f.url("/api/logout"), &[("cookie", &a.cookie)], Some(b"{}"));
    assert_eq!(out.status, 200);
    assert_eq!(me(&a.cookie).status, 401);
    assert_eq!(patch(&[("cookie", &a.cookie), ("x-csrf-token", &a.csrf)]).status, 401);

    // login throttling: five failures lock the name, even for the right
    // password; other names are not locked; the lock answers 429 without
    // checking the password, so guessing learns nothing
    for _ in 0..5 {
        assert_eq!(login_reply(&f.server, "ad", "wrong", &[]).status, 401);
    }
    let locked = login_reply(&f.server, "ad", PASSWORD, &[]);
    assert_eq!(locked.status, 429, "{}", locked.body);
    assert_eq!(locked.json()["error"]["code"], "rate_limited");
    assert!(locked.header("set-cookie").is_none());
    assert_eq!(login_reply(&f.server, "ad", "wrong", &[]).status, 429);
    assert_eq!(login_reply(&f.server, "ed", PASSWORD, &[]).status, 200);
    // unknown names are throttled the same way (no account enumeration by status)
    for _ in 0..5 {
        assert_eq!(login_reply(&f.server, "nobody", "x", &[]).status, 401);
    }
    assert_eq!(login_reply(&f.server, "nobody", "x", &[]).status, 429);
}

/// GET `path` exactly as written (no client-side normalisation of `..`).
fn raw_get(base: &str, path: &str) -> (u16, String) {
    let addr = base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    // the server may answer and close before a huge request is all sent
    let _ = write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    );
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, text)
}

#[test]
fn static_files_stay_inside_the_embedded_page() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db").display().to_string();
    let server = Server::start(&db);
    // the files that are served
    for path in ["/", "/index.html", "/vendor/maplibre/maplibre-gl.css"] {
        assert_eq!(raw_get(&server.base, path).0, 200, "{path}");
    }
    let secrets = [
        "root:x:0:0",
        "[package]",
        "\"devDependencies\"",
        "\"dependencies\"",
        "fn main",
    ];
    for path in [
        "/..%2f..%2fetc/passwd",
        "/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2e%2e%2f%2e%2e%2fCargo.toml",
        "/../Cargo.toml",
        "/../../../../etc/passwd",
        "/vendor/maplibre/../../Cargo.toml",
        "/vendor/maplibre/../../../Cargo.toml",
        "/vendor/maplibre/..%2f..%2fpackage.json",
        "/vendor/maplibre/%2e%2e%2f%2e%2e%2f%2e%2e%2fCargo.toml",
        "/vendor/maplibre/%2e%2e/package.json",
        "/vendor/maplibre/maplibre-gl.css/../../../Cargo.toml",
        "/vendor/maplibre/..%5c..%5cpackage.json",
        "/..%5c..%5cCargo.toml",
        "/%252e%252e%252fCargo.toml",
        "/..;/Cargo.toml",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/index.html%00.txt",
        "/package.json",
        "/package-lock.json",
        "/node_modules/maplibre-gl/package.json",
        "/vendor/maplibre/package.json",
        "/vendor/maplibre/../maplibre-gl/package.json",
        "/README.md",
        "/tests/map.test.mjs",
        "/src/main.rs",
        "/Cargo.toml",
    ] {
        let (status, text) = raw_get(&server.base, path);
        assert!(
            status == 404 || status == 400,
            "{path}: {status}\n{}",
            text.chars().take(300).collect::<String>()
        );
        for secret in secrets {
            assert!(!text.contains(secret), "{path} leaked {secret:?}");
        }
    }
}

const HOSTILE: [&str; 6] = [
    "' OR '1'='1' --",
    "\"; DROP TABLE places; --",
    "1); DELETE FROM incidents; --",
    "%",
    "_",
    "\\' UNION SELECT token_hash FROM users --",
];

/// Writes are slow (a place edit rebuilds the gazetteer): the two nastiest.
const WRITE_HOSTILE: [&str; 2] = ["Robert'); DROP TABLE places; --", "' OR '1'='1' --"];

fn megabyte() -> String {
    "x".repeat(1_000_000)
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[test]
fn hostile_filter_values_get_a_clear_answer_and_change_nothing() {
    let f = Fixture::new();
    let count = |path: &str| -> usize {
        let reply = get(&f.url(path));
        assert_eq!(reply.status, 200, "{path}: {}", reply.body);
        reply.json()["features"].as_array().unwrap().len()
    };
    let incidents = count("/api/layers/incidents.geojson?status=all");
    let places = count("/api/layers/places.geojson");
    let head = f.feed_head();
    let editor = bearer(&f.editor);
    let endpoints: [(&str, &[&str]); 6] = [
        (
            "/api/layers/incidents.geojson?status=all&",
            &[
                "bbox",
                "datetime",
                "event_type",
                "geo_precision",
                "status",
                "q",
                "place",
                "outlet",
                "limit",
                "cursor",
            ],
        ),
        ("/api/layers/places.geojson?", &["q", "bbox", "limit"]),
        (
            "/api/export/incidents.csv?",
            &["q", "place", "outlet", "event_type", "datetime"],
        ),
        (
            "/ogc/collections/incidents/items?",
            &["bbox", "datetime", "limit", "offset", "q", "f"],
        ),
        (
            "/api/places/search?q=Shusha&",
            &["near", "bbox", "kind", "country", "limit"],
        ),
        ("/api/changes?", &["since", "limit"]),
    ];
    let mut failures = Vec::new();
    let big = megabyte();
    for (prefix, parameters) in endpoints {
        for parameter in parameters {
            for value in HOSTILE.iter().copied().chain([big.as_str()]) {
                let path = format!("{prefix}{parameter}={}", encode(value));
                let shown = value.chars().take(40).collect::<String>();
                if value.len() > 1000 {
                    // too long for the HTTP client's URI type: sent by hand
                    let (status, text) = raw_get(&f.server.base, &path);
                    if ![400, 413, 414, 431].contains(&status) {
                        failures.push(format!(
                            "{prefix}{parameter}=<1 MB>: {}",
                            text.chars().take(300).collect::<String>()
                        ));
                    }
                    continue;
                }
                let reply = send("GET", &f.url(&path), &[("authorization", &editor)], None);
                let fine = match reply.status {
                    200 => value.len() < 1000,
                    400 => reply.json()["error"]["code"].is_string(),
                    413 | 414 | 431 => value.len() >= 1000,
                    _ => false,
                };
                if !fine {
                    failures.push(format!(
                        "{prefix}{parameter}={shown}: {} {}",
                        reply.status,
                        reply.body.chars().take(200).collect::<String>()
                    ));
                }
                // text filters take metacharacters literally: none of these is in any incident
                if reply.status == 200 && prefix.starts_with("/api/layers/incidents") && *parameter == "q" {
                    assert_eq!(reply.json()["features"].as_array().unwrap().len(), 0, "q={shown}");
                }
            }
        }
    }
    // the review queue's limit (editor only)
    for value in HOSTILE {
        let reply = send(
            "GET",
            &f.url(&format!("/api/review?limit={}", encode(value))),
            &[("authorization", &editor)],
            None,
        );
        if reply.status != 400 {
            failures.push(format!("review?limit={value}: {}", reply.status));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(count("/api/layers/incidents.geojson?status=all"), incidents);
    assert_eq!(count("/api/layers/places.geojson"), places);
    assert_eq!(f.feed_head(), head, "reads wrote");
    assert_eq!(integrity(&f.db), "ok");
}

/// What a write with a hostile value in one field must do.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Outcome {
    /// Refused with this status; nothing written.
    Refused(u16),
    /// Accepted; the value is stored exactly as sent.
    Stored,
    /// Accepted, with the value cut to at most this many characters.
    Truncated(usize),
    /// Either refused with this status (nothing written) or stored exactly.
    RefusedOrStored(u16),
}

#[test]
fn hostile_text_in_every_write_field_is_refused_or_stored_as_data() {
    use Outcome::*;
    let f = Fixture::new();
    let auth = bearer(&f.editor);
    let big = megabyte();
    let place = "/api/places/sr:dyukyanlar";
    let incident = format!("/api/incidents/{}", f.incident);
    let mut failures = Vec::new();

    // (what, method, path, If-Match source, body from the value, outcome for SQL text, outcome for 1 MB)
    type Body = fn(&str) -> Value;
    type Row<'a> = (&'a str, &'a str, String, Option<String>, Body, Outcome, Outcome);
    let name_text: Body = |v| json!({"add_names": [{"text": v}]});
    // an edit of a record (If-Match from the record) or a new place
    let edit = |what: &'static str, path: &str, body: Body, sql: Outcome, big: Outcome| -> Row<'static> {
        (what, "PATCH", path.to_string(), Some(path.to_string()), body, sql, big)
    };
    let create = |what: &'static str, body: Body, sql: Outcome, big: Outcome| -> Row<'static> {
        (what, "POST", "/api/places".to_string(), None, body, sql, big)
    };
    let rows: Vec<Row> = vec![
        edit("place name", place, name_text, Stored, Refused(422)),
        edit(
            "place name lang",
            place,
            |v| json!({"add_names": [{"text": "Dyukyanlar-2", "lang": v}]}),
            RefusedOrStored(422),
            Refused(422),
        ),
        edit(
            "place name kind",
            place,
            |v| json!({"add_names": [{"text": "Dyukyanlar-3", "kind": v}]}),
            Refused(422),
            Refused(422),
        ),
        edit(
            "place name valid_from",
            place,
            |v| json!({"add_names": [{"text": "Dyukyanlar-4", "valid_from": v}]}),
            Refused(422),
            Refused(422),
        ),
        edit("place kind", place, |v| json!({"kind": v}), Refused(422), Refused(422)),
        edit(
            "place status",
            place,
            |v| json!({"status": v}),
            Refused(422),
            Refused(422),
        ),
        edit(
            "place why",
            place,
            |v| json!({"radius_m": 1200, "why": v}),
            Stored,
            Truncated(500),
        ),
        edit(
            "place names",
            place,
            |v| json!({"names": [{"text": "Dyukyanlar"}, {"text": v}]}),
            Stored,
            Refused(422),
        ),
        create(
            "new place name",
            |v| json!({"name": v, "kind": "P.PPL", "point": [46.6, 39.6]}),
            Stored,
            Refused(422),
        ),
        create(
            "new place kind",
            |v| json!({"name": "Kind test", "kind": v, "point": [46.6, 39.6]}),
            Refused(422),
            Refused(422),
        ),
        create(
            "new place alternate",
            |v| json!({"name": "Alternate test", "kind": "P.PPL", "point": [46.6, 39.6], "names": [{"text": v}]}),
            Stored,
            Refused(422),
        ),
        edit(
            "incident event_type",
            &incident,
            |v| json!({"event_type": v}),
            Refused(422),
            Refused(422),
        ),
        edit(
            "incident sub_event_type",
            &incident,
            |v| json!({"sub_event_type": v}),
            Refused(422),
            Refused(422),
        ),
        edit(
            "incident actor1",
            &incident,
            |v| json!({"actor1": v}),
            Stored,
            Refused(422),
        ),
        edit(
            "incident actor2",
            &incident,
            |v| json!({"actor2": v}),
            Stored,
            Refused(422),
        ),
        edit(
            "incident notes",
            &incident,
            |v| json!({"notes": v}),
            Stored,
            Refused(422),
        ),
        edit(
            "incident tags",
            &incident,
            |v| json!({"tags": [v]}),
            Stored,
            Refused(422),
        ),
        edit(
            "incident date_start",
            &incident,
            |v| json!({"date_start": v}),
            Refused(422),
            Refused(422),
        ),
        edit(
            "incident status",
            &incident,
            |v| json!({"status": v}),
            Refused(422),
            Refused(422),
        ),
        edit(
            "incident place_id",
            &incident,
            |v| json!({"place_id": v}),
            Refused(422),
            Refused(422),
        ),
        edit(
            "incident why",
            &incident,
            |v| json!({"notes": "why test", "why": v}),
            Stored,
            Truncated(500),
        ),
    ];
    for (what, method, path, tag_of, body, sql_outcome, big_outcome) in rows {
        for (value, outcome) in WRITE_HOSTILE
            .iter()
            .map(|v| (v.to_string(), sql_outcome))
            .chain([(big.clone(), big_outcome)])
        {
            let shown = value.chars().take(30).collect::<String>();
            let tag = tag_of.as_deref().map(|p| f.etag(p));
            let mut headers = vec![("authorization", auth.as_str())];
            if let Some(tag) = &tag {
                headers.push(("if-match", tag));
            }
            let before = f.feed_head();
            let request = body(&value).to_string();
            let reply = send(method, &f.url(&path), &headers, Some(request.as_bytes()));
            let label = format!("{what} = {shown:?}");
            let outcome = match outcome {
                RefusedOrStored(status) if reply.status == status => Refused(status),
                RefusedOrStored(_) => Stored,
                other => other,
            };
            match outcome {
                Refused(status) => {
                    if reply.status != status {
                        failures.push(format!(
                            "{label}: expected {status}, got {} {}",
                            reply.status,
                            reply.body.chars().take(200).collect::<String>()
                        ));
                    } else {
                        assert!(reply.json()["error"]["code"].is_string(), "{label}");
                    }
                    assert_eq!(f.feed_head(), before, "{label} was refused but wrote");
                }
                Stored | Truncated(_) | RefusedOrStored(_) => {
                    if !(200..300).contains(&reply.status) {
                        failures.push(format!(
                            "{label}: expected 2xx, got {} {}",
                            reply.status,
                            reply.body.chars().take(200).collect::<String>()
                        ));
                        continue;
                    }
                    // read back what was stored
                    let stored_path = if method == "POST" {
                        format!("/api/places/{}", reply.json()["id"].as_str().unwrap())
                    } else {
                        path.clone()
                    };
                    let stored = get(&f.url(&stored_path)).body;
                    let history = get(&f.url(&format!("{stored_path}/history"))).json();
                    let last_why = history["revisions"].as_array().unwrap().last().unwrap()["why"]
                        .as_str()
                        .unwrap_or("")
                        .to_string();
                    match outcome {
                        Stored if what.ends_with("why") => {
                            if last_why != value {
                                failures.push(format!("{label}: history says {last_why:?}"));
                            }
                        }
                        Stored | RefusedOrStored(_) => {
                            let as_json = serde_json::to_string(&value).unwrap();
                            if !stored.contains(&as_json) {
                                failures.push(format!("{label}: not stored verbatim"));
                            }
                        }
                        _ => {
                            if let Truncated(max) = outcome {
                                if last_why.chars().count() > max {
                                    failures.push(format!("{label}: {} characters stored", last_why.chars().count()));
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    // mentions, merges, reverts and sign-in
    let duplicate = f.new_place("Merge target test");
    let editor_get = |path: &str| send("GET", &f.url(path), &[("authorization", auth.as_str())], None);
    for value in WRITE_HOSTILE.iter().map(|v| v.to_string()).chain([big.clone()]) {
        let shown = value.chars().take(30).collect::<String>();
        let mention = editor_get("/api/review").json()["mentions"][0].clone();
        let tag = format!("\"{}\"", mention["revision"]);
        let mention_path = format!("/api/mentions/{}", mention["id"]);
        for body in [
            json!({"action": value}),
            json!({"action": "reassign", "place_id": value}),
        ] {
            let before = f.feed_head();
            let reply = send(
                "PATCH",
                &f.url(&mention_path),
                &[("authorization", &auth), ("if-match", &tag)],
                Some(body.to_string().as_bytes()),
            );
            if ![404, 422].contains(&reply.status) {
                failures.push(format!(
                    "mention {body:.60}: {} {}",
                    reply.status,
                    reply.body.chars().take(200).collect::<String>()
                ));
            }
            assert_eq!(f.feed_head(), before, "a refused mention decision wrote");
        }
        let before = f.feed_head();
        let reply = send(
            "POST",
            &f.url(&format!("/api/places/{duplicate}/merge")),
            &[("authorization", &auth), ("if-match", "\"1\"")],
            Some(json!({"into": value}).to_string().as_bytes()),
        );
        if ![404, 422].contains(&reply.status) {
            failures.push(format!(
                "merge into {shown:?}: {} {}",
                reply.status,
                reply.body.chars().take(200).collect::<String>()
            ));
        }
        assert_eq!(f.feed_head(), before, "a refused merge wrote");
        for body in [
            json!({"name": value, "password": "x"}),
            json!({"name": "nobody", "password": value}),
        ] {
            let reply = send("POST", &f.url("/api/login"), &[], Some(body.to_string().as_bytes()));
            if ![400, 401, 429].contains(&reply.status) {
                failures.push(format!("login {body:.60}: {}", reply.status));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(integrity(&f.db), "ok");
}

/// Every write keeps at most 500 characters of `why`, reverts and merges as
/// much as edits: a client cannot put megabytes into the log.
#[test]
fn revision_notes_on_reverts_and_merges_are_bounded_like_edits() {
    let f = Fixture::new();
    let auth = bearer(&f.editor);
    let big = megabyte();
    let place = "/api/places/sr:dyukyanlar";
    let incident = format!("/api/incidents/{}", f.incident);
    // a first edit so that there is an earlier revision to go back to
    for path in [place.to_string(), incident.clone()] {
        let reply = send(
            "PATCH",
            &f.url(&path),
            &[("authorization", &auth), ("if-match", &f.etag(&path))],
            Some(
                if path == place {
                    json!({"radius_m": 1300})
                } else {
                    json!({"notes": "n"})
                }
                .to_string()
                .as_bytes(),
            ),
        );
        assert_eq!(reply.status, 200, "{}", reply.body);
    }
    let mut failures = Vec::new();
    // revision notes on reverts and merges are bounded like those on edits
    for (path, body_path) in [
        (format!("{place}/revert"), place.to_string()),
        (format!("{incident}/revert"), incident.clone()),
    ] {
        let tag = f.etag(&body_path);
        let current: i64 = tag.trim_matches('"').parse().unwrap();
        let reply = send(
            "POST",
            &f.url(&path),
            &[("authorization", &auth), ("if-match", &tag)],
            Some(json!({"revision": current - 1, "why": big}).to_string().as_bytes()),
        );
        assert_eq!(reply.status, 200, "{path}: {}", reply.body);
        let history = get(&f.url(&format!("{body_path}/history"))).json();
        let why = history["revisions"].as_array().unwrap().last().unwrap()["why"]
            .as_str()
            .unwrap_or("")
            .chars()
            .count();
        if reply.status == 200 && why > 500 {
            failures.push(format!("{path} with a 1 MB why: stored {why} characters"));
        }
    }
    let merged = f.new_place("Merge note test");
    let reply = send(
        "POST",
        &f.url(&format!("/api/places/{merged}/merge")),
        &[("authorization", &auth), ("if-match", "\"1\"")],
        Some(json!({"into": "sr:dyukyanlar", "why": big}).to_string().as_bytes()),
    );
    assert_eq!(reply.status, 200, "merge: {}", reply.body);
    let history = get(&f.url(&format!("/api/places/{merged}/history"))).json();
    let why = history["revisions"].as_array().unwrap().last().unwrap()["why"]
        .as_str()
        .unwrap_or("")
        .chars()
        .count();
    if reply.status == 200 && why > 500 {
        failures.push(format!("merge with a 1 MB why: stored {why} characters"));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
