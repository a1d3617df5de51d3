//! Document coherence in resolution, on a small gazetteer written for the
//! test: a country's name means the country unless the text puts its
//! namesake town among its neighbours; a state or a county is told from its
//! namesakes by its size and by the places around it.

use sitrep::gazetteer::{Gazetteer, Place, PlaceKind};
use sitrep::geoparse::{resolve_mentions, resolve_spans};

fn place(
    id: &str,
    name: &str,
    kind: PlaceKind,
    (lon, lat): (f64, f64),
    (country, admin1): (&str, &str),
    population: u64,
) -> Place {
    let mut place = Place::new_point(id, name, kind, lon, lat);
    place.country = country.into();
    place.admin1 = admin1.into();
    place.population = population;
    place
}

fn area(class: char, code: &str) -> PlaceKind {
    PlaceKind::GeoNames {
        class,
        code: code.into(),
    }
}

fn gazetteer() -> Gazetteer {
    let town = PlaceKind::populated("PPL");
    Gazetteer::from_places(vec![
        place(
            "t:china",
            "China",
            area('A', "PCLI"),
            (105.0, 35.0),
            ("CN", ""),
            1_400_000_000,
        ),
        place(
            "t:usa",
            "United States",
            area('A', "PCLI"),
            (-98.5, 39.8),
            ("US", ""),
            330_000_000,
        ),
        place(
            "t:china-me",
            "China",
            town.clone(),
            (-69.52, 44.48),
            ("US", "ME"),
            4_000,
        ),
        place(
            "t:maine",
            "Maine",
            area('A', "ADM1"),
            (-69.25, 45.5),
            ("US", "ME"),
            1_300_000,
        ),
        place(
            "t:augusta",
            "Augusta",
            town.clone(),
            (-69.78, 44.31),
            ("US", "ME"),
            19_000,
        ),
        place(
            "t:waterville",
            "Waterville",
            town.clone(),
            (-69.63, 44.55),
            ("US", "ME"),
            16_000,
        ),
        place(
            "t:boston",
            "Boston",
            town.clone(),
            (-71.06, 42.36),
            ("US", "MA"),
            650_000,
        ),
        place(
            "t:chicago",
            "Chicago",
            town.clone(),
            (-87.65, 41.85),
            ("US", "IL"),
            2_700_000,
        ),
        place(
            "t:denver",
            "Denver",
            town.clone(),
            (-104.98, 39.74),
            ("US", "CO"),
            700_000,
        ),
        place("t:tak", "Tak", town.clone(), (99.13, 16.87), ("TH", "08"), 20_000),
        // a state, two towns named after it and two counties of one name
        place(
            "t:california",
            "California",
            area('A', "ADM1"),
            (-119.3, 37.2),
            ("US", "CA"),
            39_000_000,
        ),
        place(
            "t:california-pa",
            "California",
            town.clone(),
            (-79.89, 40.07),
            ("US", "PA"),
            6_700,
        ),
        place(
            "t:california-md",
            "California",
            town.clone(),
            (-76.51, 38.30),
            ("US", "MD"),
            11_800,
        ),
        place(
            "t:orange-ca",
            "Orange County",
            area('A', "ADM2"),
            (-117.8, 33.7),
            ("US", "CA"),
            3_300_000,
        ),
        place(
            "t:orange-va",
            "Orange County",
            area('A', "ADM2"),
            (-78.0, 38.2),
            ("US", "VA"),
            13_700,
        ),
        place(
            "t:georgia",
            "Georgia",
            area('A', "PCLI"),
            (43.5, 42.2),
            ("GE", ""),
            3_700_000,
        ),
        place(
            "t:west-virginia",
            "West Virginia",
            area('A', "ADM1"),
            (-80.6, 38.6),
            ("US", "WV"),
            1_800_000,
        ),
        place(
            "t:charleston-wv",
            "Charleston",
            town,
            (-81.63, 38.35),
            ("US", "WV"),
            48_000,
        ),
    ])
    .expect("a valid gazetteer")
}

fn chosen(text: &str, name: &str) -> String {
    let gazetteer = gazetteer();
    let mentions = resolve_mentions(text, &gazetteer);
    let mention = mentions
        .iter()
        .find(|m| m.text == name)
        .unwrap_or_else(|| panic!("{name} is found in {text:?}"));
    mention
        .place
        .as_ref()
        .map(|p| p.summary.id.clone())
        .unwrap_or_else(|| "unresolved".into())
}

#[test]
fn a_country_named_in_an_american_article_is_the_country() {
    let text = "Traders in Chicago, Boston and Denver said China had broken the trade rules again.";
    assert_eq!(chosen(text, "China"), "t:china");
}

#[test]
fn a_town_named_beside_its_neighbours_is_the_town() {
    let text = "Officials in Augusta and Waterville, Maine, said the roads in China were closed by snow.";
    assert_eq!(chosen(text, "China"), "t:china-me");
}

#[test]
fn a_lone_minor_place_far_from_the_rest_is_kept_for_review_with_low_confidence() {
    let gazetteer = gazetteer();
    let text = "Officials in Augusta, Waterville and China, Maine, met traders from Boston; Tak was mentioned.";
    let mentions = resolve_mentions(text, &gazetteer);
    let tak = mentions.iter().find(|m| m.text == "Tak").expect("Tak is found");
    assert_eq!(tak.place.as_ref().map(|p| p.summary.id.as_str()), Some("t:tak"));
    assert!(tak.score <= 0.3, "score {}", tak.score);
    assert!(
        tak.reason.iter().any(|r| r == "far_from_other_places"),
        "{:?}",
        tak.reason
    );
    let augusta = mentions.iter().find(|m| m.text == "Augusta").expect("Augusta is found");
    assert!(!augusta.reason.iter().any(|r| r == "far_from_other_places"));
}

#[test]
fn a_state_is_not_taken_for_the_villages_named_after_it() {
    let text = "Wildfires spread across California on Monday, and Orange County ordered evacuations.";
    assert_eq!(chosen(text, "California"), "t:california");
    assert_eq!(chosen(text, "Orange County"), "t:orange-ca");
}

/// Resolution on spans an annotator marked: abbreviations and demonyms stand
/// for their places there too, though the recogniser needs cues for them.
#[test]
fn given_spans_resolve_abbreviations_and_demonyms() {
    let gazetteer = gazetteer();
    let text = "Georgian officials flew to Charleston, W.Va. on Friday.";
    let spans = [(0, 8), (27, 37), (39, 44)];
    let mentions = resolve_spans(text, &spans, &gazetteer);
    let ids: Vec<(&str, Option<&str>)> = mentions
        .iter()
        .map(|m| (m.text.as_str(), m.place.as_ref().map(|p| p.summary.id.as_str())))
        .collect();
    assert_eq!(
        ids,
        [
            ("Georgian", Some("t:georgia")),
            ("Charleston", Some("t:charleston-wv")),
            // the mention keeps the abbreviation's last stop, as the recogniser's does
            ("W.Va.", Some("t:west-virginia")),
        ]
    );
    assert!(mentions.iter().all(|m| m.reason.iter().any(|r| r == "given_span")));
}
