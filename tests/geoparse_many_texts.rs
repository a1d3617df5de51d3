//! A `Geoparser` kept for many texts remembers what it learnt of names, but
//! never what a text said: each text gets the mentions it gets on its own.

use sitrep::gazetteer::Gazetteer;
use sitrep::geoparse::{resolve_mentions, Geoparser};

const TEXTS: [&str; 4] = [
    "Storms hit Atlanta and Savannah overnight, and the governor of Georgia declared an emergency.",
    "Protesters gathered in Tbilisi and Batumi as Georgia's parliament debated the bill.",
    "Shelling was reported near Shusha and on the road to Lachin; officials in Baku said the \
     Lachin corridor stayed closed. STEPANAKERT — Residents queued for bread.",
    "Talks in Brussels and Washington went on, while Georgia's foreign minister visited Yerevan.",
];

fn as_json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).expect("mentions serialise")
}

#[test]
fn each_text_gets_the_mentions_it_gets_alone_whatever_came_before() {
    let gazetteer = Gazetteer::bundled().expect("the bundled gazetteer loads");
    let alone: Vec<String> = TEXTS
        .iter()
        .map(|text| as_json(&resolve_mentions(text, &gazetteer)))
        .collect();
    // the Georgia of the first text is the US state and of the second the
    // country: a memory of what the text said would leak from one to the next
    let georgia_country = |json: &str| json.contains("\"country\":\"GE\"");
    assert!(
        georgia_country(&alone[1]),
        "Tbilisi's Georgia is the country: {}",
        alone[1]
    );
    assert!(!alone[0].contains("Tbilisi"));

    let mut geoparser = Geoparser::new(&gazetteer);
    for round in 0..2 {
        for (i, text) in TEXTS.iter().enumerate() {
            let shared = as_json(&geoparser.resolve_mentions(text));
            assert_eq!(shared, alone[i], "text {i}, round {round}");
        }
    }
    // and in the other order
    let mut backwards = Geoparser::new(&gazetteer);
    for (i, text) in TEXTS.iter().enumerate().rev() {
        assert_eq!(
            as_json(&backwards.resolve_mentions(text)),
            alone[i],
            "text {i}, backwards"
        );
    }
}

#[test]
fn mentions_are_handed_out_in_text_order_as_resolve_mentions_returns_them() {
    let gazetteer = Gazetteer::bundled().expect("the bundled gazetteer loads");
    let mut geoparser = Geoparser::new(&gazetteer);
    let mut streamed = Vec::new();
    geoparser.for_each_mention(TEXTS[2], |m| streamed.push(m));
    let starts: Vec<usize> = streamed.iter().map(|m| m.start).collect();
    assert!(starts.windows(2).all(|w| w[0] < w[1]), "{starts:?}");
    let names: Vec<&str> = streamed.iter().map(|m| m.text.as_str()).collect();
    for name in ["Shusha", "Baku", "STEPANAKERT"] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    assert_eq!(as_json(&streamed), as_json(&resolve_mentions(TEXTS[2], &gazetteer)));
}
