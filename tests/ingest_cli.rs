//! The ingest pipeline end to end through the `sitrep` binary, and the
//! store's history, conflicts, migrations and crash safety.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const REPORT: &str = "Title: Police car fired on near Dyukyanlar\nOutlet: Test Wire\n\n\
On Sunday, at about 10:00, soldiers of the Azerbaijani armed forces fired at a car carrying Nagorno-Karabakh police \
officers in the area of the village of Dyukyanlar on the Khankendi-Khalfali-Turshsu road. Three officers were killed \
and one was wounded. The Azerbaijani side said two of its soldiers died and one was injured.\n\n\
Russian peacekeepers stopped the fighting, officials in Khankendi said on Monday.\n";

fn sitrep(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(args)
        .env_remove("SITREP_DB")
        .env("SITREP_NO_DEMO", "1")
        .output()
        .expect("sitrep runs")
}

fn ok(out: Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).to_string()
}

fn review(db: &str) -> Value {
    serde_json::from_str(&ok(sitrep(&["review", "--json", "--limit", "1000", "--db", db]))).expect("review JSON")
}

#[test]
fn an_article_becomes_a_draft_incident_with_its_evidence_and_reingesting_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db").display().to_string();
    let file = dir.path().join("report.txt");
    std::fs::write(&file, REPORT).unwrap();
    let file = file.display().to_string();
    ok(sitrep(&["ingest", &file, "--published", "2023-03-07", "--db", &db]));

    let queue = review(&db);
    let drafts: Vec<&Value> = queue["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["sources"][0]["title"] == "Police car fired on near Dyukyanlar")
        .collect();
    assert_eq!(drafts.len(), 1, "{queue}");
    let incident = drafts[0];
    assert_eq!(incident["date_start"], "2023-03-05", "Sunday before 7 March 2023");
    assert_eq!(incident["time_precision"], 1);
    assert_eq!(incident["time_of_day"], "10:00");
    assert_eq!(incident["event_type"], "Battles");
    assert_eq!(incident["sub_event_type"], "Armed clash");
    assert_eq!(incident["actor1"], "Azerbaijani armed forces");
    assert_eq!(incident["actor2"], "Nagorno-Karabakh police");
    assert_eq!(incident["location"]["place_id"], "sr:dyukyanlar");
    assert_eq!(incident["location"]["road_id"], "sr:khankendi-khalfali-turshsu-road");
    assert_eq!(
        incident["location"]["geo_precision"], 2,
        "'in the area of' is near, not at"
    );
    let claims = incident["claims"].as_array().unwrap();
    let claim = |party: &str, kind: &str| -> u64 {
        claims
            .iter()
            .find(|c| c["party"] == party && c["kind"] == kind)
            .unwrap_or_else(|| panic!("no {party} {kind} in {claims:?}"))["best"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(claim("Nagorno-Karabakh police", "killed"), 3);
    assert_eq!(claim("Nagorno-Karabakh police", "injured"), 1);
    assert_eq!(claim("Azerbaijani armed forces", "killed"), 2);
    assert_eq!(claim("Azerbaijani armed forces", "injured"), 1);
    // every claim quotes the sentence it came from
    for c in claims {
        let quote = c["evidence"]["quote"].as_str().unwrap();
        assert!(quote.contains("killed") || quote.contains("died"), "{quote}");
    }

    let before = review(&db);
    let out = ok(sitrep(&[
        "ingest",
        &file,
        "--published",
        "2023-03-07",
        "--db",
        &db,
        "--json",
    ]));
    let line: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(line["outcome"]["new_source"], false);
    assert_eq!(review(&db), before, "re-ingesting the same article changed the store");
}

#[test]
fn a_second_report_of_the_same_event_is_merged_not_duplicated() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db").display().to_string();
    let first = dir.path().join("a.txt");
    std::fs::write(&first, REPORT).unwrap();
    let second = dir.path().join("b.md");
    std::fs::write(
        &second,
        "# Deadly shooting on Karabakh dirt road\n\nOn March 5, Azerbaijani soldiers opened fire on a police car near Dyukyanlar, killing three officers.\n",
    )
    .unwrap();
    ok(sitrep(&[
        "ingest",
        &first.display().to_string(),
        "--published",
        "2023-03-07",
        "--db",
        &db,
    ]));
    let out = ok(sitrep(&[
        "ingest",
        &second.display().to_string(),
        "--published",
        "2023-03-06",
        "--db",
        &db,
        "--json",
    ]));
    let line: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(line["outcome"]["created"].as_array().unwrap().len(), 0, "{line}");
    assert_eq!(line["outcome"]["merged"].as_array().unwrap().len(), 1, "{line}");
    let queue = review(&db);
    let merged = queue["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["sources"].as_array().unwrap().len() == 2);
    assert!(merged.is_some(), "one incident with both articles: {queue}");
}

#[test]
fn bad_files_are_skipped_and_the_rest_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db").display().to_string();
    let articles = dir.path().join("articles");
    std::fs::create_dir(&articles).unwrap();
    std::fs::write(articles.join("1-good.txt"), REPORT).unwrap();
    std::fs::write(articles.join("2-latin1.txt"), b"Stepanakert \xe9t\xe9\n").unwrap();
    std::fs::write(articles.join("3-empty.html"), "<html><script>x</script></html>").unwrap();
    let out = sitrep(&[
        "ingest",
        &articles.display().to_string(),
        "--published",
        "2023-03-07",
        "--db",
        &db,
    ]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(err.contains("2-latin1.txt") && err.contains("UTF-8"), "{err}");
    assert!(err.contains("3-empty.html") && err.contains("no article text"), "{err}");
    assert!(err.contains("1 articles stored") && err.contains("2 skipped"), "{err}");
    let out = sitrep(&[
        "ingest",
        "--published",
        "5 March",
        &articles.display().to_string(),
        "--db",
        &db,
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("YYYY-MM-DD"));
}

/// 1,000 short articles, each about a different day, so each proposes its own incident.
fn write_articles(dir: &Path, count: usize) {
    let places = [
        "Shusha", "Goris", "Jermuk", "Sotk", "Aghdam", "Fuzuli", "Lachin", "Kalbajar",
    ];
    for i in 0..count {
        let day = chrono_like_date(i);
        let place = places[i % places.len()];
        let text = format!(
            "Title: Shelling report {i}\nPublished: {day}\n\nOn {day_words}, artillery shelled the outskirts of {place}. Local officials said {n} houses were damaged and {k} residents were wounded. Report number {i}.\n",
            day_words = day_words(i),
            n = i % 7 + 1,
            k = i % 3 + 1,
        );
        std::fs::write(dir.join(format!("{i:04}.txt")), text).unwrap();
    }
}

/// Distinct dates, one per article: 2020-01-01 plus i days.
fn chrono_like_date(i: usize) -> String {
    let (mut year, mut day) = (2020, i as u32);
    loop {
        let len = if year % 4 == 0 { 366 } else { 365 };
        if day < len {
            break;
        }
        day -= len;
        year += 1;
    }
    let months = [
        31,
        if year % 4 == 0 { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let mut month = 0;
    while day >= months[month] {
        day -= months[month];
        month += 1;
    }
    format!("{year}-{:02}-{:02}", month + 1, day + 1)
}

fn day_words(i: usize) -> String {
    let date = chrono_like_date(i);
    let month = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let m: usize = date[5..7].parse().unwrap();
    let d: u32 = date[8..10].parse().unwrap();
    format!("{} {d}, {}", month[m - 1], &date[..4])
}

#[test]
fn killing_ingest_midway_loses_nothing_and_duplicates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let articles = dir.path().join("articles");
    std::fs::create_dir(&articles).unwrap();
    write_articles(&articles, 1000);
    let db = dir.path().join("crash.db").display().to_string();
    let reference = dir.path().join("reference.db").display().to_string();

    // a clean run for reference
    ok(sitrep(&["ingest", &articles.display().to_string(), "--db", &reference]));

    // a run killed with SIGKILL part-way, then run again
    let mut child = Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(["ingest", &articles.display().to_string(), "--db", &db])
        .env_remove("SITREP_DB")
        .env("SITREP_NO_DEMO", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    // wait until the database exists and some articles are in, then kill
    loop {
        std::thread::sleep(std::time::Duration::from_millis(100));
        let partial = Path::new(&db).exists() && started.elapsed() > std::time::Duration::from_millis(2500);
        if partial || started.elapsed() > std::time::Duration::from_secs(20) {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    ok(sitrep(&["ingest", &articles.display().to_string(), "--db", &db]));

    let stats = |db: &str| -> Value { serde_json::from_str(&ok(sitrep(&["stats", "--json", "--db", db]))).unwrap() };
    let (crashed, clean) = (stats(&db), stats(&reference));
    let demo_sources = clean["sources"].as_i64().unwrap() - 1000;
    assert_eq!(crashed["sources"].as_i64().unwrap() - demo_sources, 1000);
    assert_eq!(
        crashed["incidents"], clean["incidents"],
        "an interrupted run must end like a clean one"
    );
    assert_eq!(crashed["duplicate_incidents"], 0);
    assert_eq!(crashed["integrity"], "ok");
}

#[test]
fn a_new_database_starts_with_the_published_demo_incidents() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db").display().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(["review", "--db", &db])
        .env_remove("SITREP_DB")
        .env_remove("SITREP_NO_DEMO")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let export = dir.path().join("demo.geojson");
    ok(sitrep(&[
        "export",
        "--layer",
        "incidents",
        "--db",
        &db,
        "-o",
        &export.display().to_string(),
    ]));
    let collection: Value = serde_json::from_str(&std::fs::read_to_string(&export).unwrap()).unwrap();
    let features = collection["features"].as_array().unwrap();
    assert!(features.len() >= 5, "{} demo incidents", features.len());
    let shooting = features
        .iter()
        .find(|f| f["properties"]["place_id"] == "sr:dyukyanlar")
        .expect("the 5 March 2023 shooting");
    assert_eq!(shooting["properties"]["date_start"], "2023-03-05");
    assert_eq!(shooting["properties"]["status"], "published");
    assert!(
        features
            .iter()
            .any(|f| f["properties"]["date_start"] == "2022-12-12" && f["properties"]["event_type"] == "Protests"),
        "the blockade"
    );
    assert!(
        features
            .iter()
            .any(|f| f["properties"]["place_id"] == "sr:hakari-bridge"),
        "the checkpoint"
    );
    assert!(features
        .iter()
        .all(|f| f["geometry"].is_null() || f["geometry"]["type"] == "Point"));
}

/// Our own test article: a lead event, a background paragraph with an older
/// date, "the same day" elsewhere, and an earlier event named in passing.
const SAME_DAY_REPORT: &str = "Title: Checkpoint and shooting on one day\n\n\
GORIS, 24 April 2023 - Azerbaijani border guards on Sunday set up a checkpoint at the Hakari bridge on the Lachin road.\n\n\
The road had already been closed to most traffic since 12 December, when protesters blocked it near Shushi.\n\n\
The same day, Armenian officials said a soldier came under fire from across the border at a position near Sotk.\n\n\
Armenia called it the worst tension on the border since the clashes of 1-2 April.\n";

#[test]
fn events_of_one_day_at_distant_places_are_separate_and_background_dates_stay_background() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db").display().to_string();
    let article = dir.path().join("a.txt");
    std::fs::write(&article, SAME_DAY_REPORT).unwrap();
    ok(sitrep(&[
        "ingest",
        &article.display().to_string(),
        "--published",
        "2023-04-24",
        "--db",
        &db,
    ]));
    let queue = review(&db);
    let mut found: Vec<(String, String, String)> = queue["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["date_start"].as_str().unwrap_or("").to_string(),
                i["event_type"].as_str().unwrap_or("").to_string(),
                i["location"]["name"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        vec![
            ("2022-12-12".into(), "Protests".into(), "Shushi".into()),
            ("2023-04-23".into(), "Battles".into(), "Sotk".into()),
            (
                "2023-04-23".into(),
                "Strategic developments".into(),
                "Hakari bridge".into()
            ),
        ],
        "the checkpoint and the shooting ~90 km apart, both on Sunday (\"the same day\" is the lead's day, not \
         12 December's); the blockade of 12 December on its own; nothing on \"the clashes of 1-2 April\": {queue}"
    );
    // the shooting's date is evidenced by the lead's "on Sunday"
    let shooting = queue["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["event_type"] == "Battles")
        .unwrap();
    let date_evidence = shooting["field_evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f[0] == "event_date")
        .unwrap();
    assert_eq!(date_evidence[1]["quote"], "on Sunday");
}
