//! `sitrep eval` on small corpora the test writes itself.

use std::process::Command;

use serde_json::Value;

fn eval(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .arg("eval")
        .args(args)
        .arg("--json")
        .output()
        .expect("sitrep runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON report")
}

#[test]
fn json_gold_scores_recognition_and_resolution() {
    let dir = tempfile::tempdir().unwrap();
    // 0         1         2         3         4
    // 0123456789012345678901234567890123456789012345
    let text = "Talks in Baku stalled; a bus left for Yerevan.";
    std::fs::write(dir.path().join("a.txt"), text).unwrap();
    let gold = r#"[
      {"start": 9, "end": 13, "lat": 40.395, "lon": 49.882, "precision_km": 15, "optional": false},
      {"start": 38, "end": 45, "lat": 40.181, "lon": 44.514, "precision_km": 15, "optional": false},
      {"start": 0, "end": 5, "lat": 0.0, "lon": 0.0, "optional": true}
    ]"#;
    let gold_path = dir.path().join("a.gold.json");
    std::fs::write(&gold_path, gold).unwrap();
    let report = eval(&[gold_path.to_str().unwrap()]);
    let r = report.as_object().unwrap().values().next().unwrap();
    assert_eq!(r["recognition_lenient"]["f1"], 1.0);
    assert_eq!(r["recognition_strict"]["true_positives"], 2);
    assert_eq!(r["resolution_end_to_end"]["accuracy_161km"], 1.0);
    assert_eq!(r["resolution_gold_spans"]["accuracy_161km"], 1.0);
}

#[test]
fn geowebnews_xml_counts_misses_and_false_alarms() {
    let dir = tempfile::tempdir().unwrap();
    let xml = r#"<?xml version="1.0" ?>
<articles>
  <article file="0">
    <title>t</title>
    <text>Flooding hit Brussels &amp; Zzyzxville on Monday.</text>
    <toponyms>
      <toponym><extractedName>Brussels</extractedName><type>Literal</type><start>13</start><end>21</end><geonamesID>2800866</geonamesID><latitude>50.85</latitude><longitude>4.35</longitude></toponym>
      <toponym><extractedName>Zzyzxville</extractedName><type>Literal</type><start>24</start><end>34</end><latitude>10.0</latitude><longitude>10.0</longitude></toponym>
      <toponym><extractedName>Monday</extractedName><type>Non_Toponym</type><start>38</start><end>44</end></toponym>
    </toponyms>
  </article>
</articles>"#;
    let path = dir.path().join("tiny-gwn.xml");
    std::fs::write(&path, xml).unwrap();
    let report = eval(&["--format", "gwn", path.to_str().unwrap()]);
    let r = report.as_object().unwrap().values().next().unwrap();
    assert_eq!(r["gold_mentions"], 2, "the non-toponym is not gold");
    assert_eq!(r["recognition_lenient"]["true_positives"], 1);
    assert_eq!(r["recognition_lenient"]["false_negatives"], 1);
    assert_eq!(r["resolution_end_to_end"]["geonames_id_match"], 1.0);
}

/// GeoWebNews counts adjectives ("Russian") as toponyms; the JSON gold format
/// (the seed article's guidelines) does not. `--modifiers auto` follows each;
/// `--misses` lists what went wrong; the annotator's own GeoNames entry is
/// right even where GeoNames has since moved its point.
#[test]
fn modifiers_follow_each_corpus_and_misses_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    // 0         1         2         3         4         5
    // 012345678901234567890123456789012345678901234567890123
    // Russian officials met in Baku on Thursday.
    let xml = r#"<?xml version="1.0" ?>
<articles>
  <article file="0">
    <text>Russian officials met in Baku on Thursday.</text>
    <toponyms>
      <toponym><extractedName>Russian</extractedName><type>Non_Literal_Modifier</type><start>0</start><end>7</end><geonamesID>2017370</geonamesID><latitude>60.0</latitude><longitude>100.0</longitude></toponym>
      <toponym><extractedName>Baku</extractedName><type>Literal</type><start>25</start><end>29</end><geonamesID>587084</geonamesID><latitude>10.0</latitude><longitude>10.0</longitude></toponym>
    </toponyms>
  </article>
</articles>"#;
    let path = dir.path().join("tiny-gwn.xml");
    std::fs::write(&path, xml).unwrap();
    let misses = dir.path().join("misses.jsonl");
    let report = eval(&[path.to_str().unwrap(), "--misses", misses.to_str().unwrap()]);
    let r = report.as_object().unwrap().values().next().unwrap();
    assert_eq!(r["recognition_lenient"]["true_positives"], 2, "{r}");
    assert_eq!(r["recognition_lenient"]["false_positives"], 0, "{r}");
    // both chosen entries are the gold ids, though the gold points are far off
    assert_eq!(r["resolution_end_to_end"]["accuracy_161km"], 1.0, "{r}");
    assert_eq!(std::fs::read_to_string(&misses).unwrap(), "", "nothing missed");

    let report = eval(&[
        path.to_str().unwrap(),
        "--modifiers",
        "off",
        "--misses",
        misses.to_str().unwrap(),
    ]);
    let r = report.as_object().unwrap().values().next().unwrap();
    assert_eq!(r["recognition_lenient"]["false_negatives"], 1, "{r}");
    let listed: Vec<Value> = std::fs::read_to_string(&misses)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["kind"], "false_negative");
    assert_eq!(listed[0]["text"], "Russian");
}

#[test]
fn a_gold_span_naming_a_road_by_its_places_is_resolved_as_the_road() {
    let dir = tempfile::tempdir().unwrap();
    let text = "The convoy took the dirt road Khankendi-Khalfali-Turshsu at dawn.";
    let start = text.find("Khankendi").unwrap();
    let end = start + "Khankendi-Khalfali-Turshsu".len();
    std::fs::write(dir.path().join("r.txt"), text).unwrap();
    // a point on the road between its ends, within the annotator's 10 km
    let gold = format!(r#"[{{"start": {start}, "end": {end}, "lat": 39.78, "lon": 46.70, "precision_km": 10}}]"#);
    let gold_path = dir.path().join("r.gold.json");
    std::fs::write(&gold_path, gold).unwrap();
    let report = eval(&[gold_path.to_str().unwrap()]);
    let r = report.as_object().unwrap().values().next().unwrap();
    assert_eq!(r["resolution_gold_spans"]["accuracy_161km"], 1.0, "{r}");
    assert_eq!(r["resolution_end_to_end"]["accuracy_161km"], 1.0, "{r}");
}
