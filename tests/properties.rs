//! Properties over generated input (proptest): name normalisation is
//! idempotent; places exported and imported again (GeoJSON, CSV) come back
//! the same; valid bbox and datetime filters round-trip through their text,
//! and garbage never panics the parsers.

use chrono::NaiveDate;
use proptest::prelude::*;

use sitrep::gazetteer::import::{collect_places, ImportFormat};
use sitrep::gazetteer::normalize::normalize_key;
use sitrep::gazetteer::{Name, NameKind, Place, PlaceKind};
use sitrep::store::filter::{parse_bbox, parse_datetime};
use sitrep::store::LayerFilter;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn normalising_a_name_twice_changes_nothing(text in any::<String>()) {
        let once = normalize_key(&text);
        prop_assert_eq!(normalize_key(&once), once);
    }

    #[test]
    fn normalising_names_in_many_scripts_twice_changes_nothing(text in "[A-Za-zÀ-ɏЀ-ӿԱ-֏ʻʼ'’ -]{0,40}") {
        let once = normalize_key(&text);
        prop_assert_eq!(normalize_key(&once), once.clone());
        prop_assert!(!once.starts_with(' ') && !once.ends_with(' ') && !once.contains("  "));
    }
}

/// A name as an editor or a file would give it: letters of several scripts
/// and inner spaces, trimmed, without the CSV alternates separators.
fn name() -> impl Strategy<Value = String> {
    "[A-Za-zÀ-ÿА-яԱ-Ֆա-ֆ][A-Za-zÀ-ÿА-яԱ-Ֆա-ֆ' -]{0,24}[A-Za-zА-я]"
}

fn kind() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["P.PPL", "P.PPLA", "P.PPLC", "A.ADM1", "A.ADM2", "H.STM", "T.MT"])
}

prop_compose! {
    fn place()(
        n in 0u32..1_000_000,
        main in name(),
        alternates in prop::collection::vec(name(), 0..4),
        kind in kind(),
        lon in -180.0f64..=180.0,
        lat in -90.0f64..=90.0,
        country in prop::sample::select(vec!["", "AZ", "AM", "GE"]),
        population in 0u64..50_000_000,
        radius in 1u32..500_000,
    ) -> Place {
        let kind: PlaceKind = kind.parse().unwrap();
        // coordinates as files keep them: 6 decimals
        let (lon, lat) = ((lon * 1e6).round() / 1e6, (lat * 1e6).round() / 1e6);
        let mut place = Place::new_point(&format!("sr:p{n}"), &main, kind, lon, lat);
        for alternate in alternates {
            place.add_name(Name::new(&alternate, NameKind::Alternate));
        }
        place.country = country.to_string();
        place.population = population;
        place.radius_m = f64::from(radius);
        place
    }
}

fn places() -> impl Strategy<Value = Vec<Place>> {
    prop::collection::vec(place(), 1..20).prop_map(|mut places| {
        // one place per id
        places.sort_by(|a, b| a.id.cmp(&b.id));
        places.dedup_by(|a, b| a.id == b.id);
        places
    })
}

/// id, kind, names (text, kind), country, population, "lon,lat", radius.
type Essence = (String, String, Vec<(String, String)>, String, u64, String, String);

/// What must survive a round trip, in a comparable form.
fn essence(place: &Place) -> Essence {
    let names = place
        .names
        .iter()
        .map(|n| (n.text.clone(), format!("{:?}", n.kind)))
        .collect();
    (
        place.id.clone(),
        place.kind.to_string(),
        names,
        place.country.clone(),
        place.population,
        format!("{:.6},{:.6}", place.lon(), place.lat()),
        format!("{:.3}", place.radius_m),
    )
}

fn read(bytes: &[u8], format: ImportFormat) -> Vec<Place> {
    let mut read = Vec::new();
    collect_places(bytes, "round trip", format, &mut read).unwrap();
    read.sort_by(|a, b| a.id.cmp(&b.id));
    read
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn places_exported_as_geojson_import_unchanged(places in places()) {
        let mut file = Vec::new();
        sitrep::gazetteer::export::write_geojson(&places, &mut file).unwrap();
        let back = read(&file, ImportFormat::GeoJson);
        prop_assert_eq!(back.len(), places.len());
        for (a, b) in places.iter().zip(&back) {
            prop_assert_eq!(essence(a), essence(b));
            prop_assert_eq!(a.geometry.clone(), b.geometry.clone());
        }
        // and a second trip gives the same bytes
        let mut again = Vec::new();
        sitrep::gazetteer::export::write_geojson(&back, &mut again).unwrap();
        prop_assert_eq!(file, again);
    }

    #[test]
    fn places_written_as_csv_import_unchanged(places in places()) {
        let mut csv = csv::Writer::from_writer(Vec::new());
        csv.write_record(["id", "name", "lat", "lon", "kind", "alternates", "country", "population", "radius_m"]).unwrap();
        for p in &places {
            let alternates: Vec<&str> = p.names.iter().skip(1).map(|n| n.text.as_str()).collect();
            csv.write_record([
                p.id.clone(),
                p.primary_name().to_string(),
                p.lat().to_string(),
                p.lon().to_string(),
                p.kind.to_string(),
                alternates.join("|"),
                p.country.clone(),
                p.population.to_string(),
                p.radius_m.to_string(),
            ])
            .unwrap();
        }
        let file = csv.into_inner().unwrap();
        let back = read(&file, ImportFormat::Csv);
        prop_assert_eq!(back.len(), places.len());
        for (a, b) in places.iter().zip(&back) {
            // CSV names carry no kind: compare the texts, the main name first
            prop_assert_eq!(b.primary_name(), a.primary_name());
            let texts = |p: &Place| p.names.iter().map(|n| n.text.clone()).collect::<Vec<_>>();
            prop_assert_eq!(texts(b), texts(a));
            let (ea, eb) = (essence(a), essence(b));
            prop_assert_eq!((ea.0, ea.1, ea.3, ea.4, ea.5, ea.6), (eb.0, eb.1, eb.3, eb.4, eb.5, eb.6));
        }
    }
}

prop_compose! {
    fn bbox()(a in -180.0f64..=180.0, b in -180.0f64..=180.0, c in -90.0f64..=90.0, d in -90.0f64..=90.0) -> [f64; 4] {
        [a.min(b), c.min(d), a.max(b), c.max(d)]
    }
}

fn day() -> impl Strategy<Value = NaiveDate> {
    (1i32..=3000, 1u32..=366).prop_filter_map("a real day", |(year, ordinal)| NaiveDate::from_yo_opt(year, ordinal))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn a_valid_bbox_round_trips_through_its_text(bbox in bbox()) {
        let text = bbox.iter().map(f64::to_string).collect::<Vec<_>>().join(",");
        prop_assert_eq!(parse_bbox(&text).unwrap(), bbox);
        let spaced = bbox.iter().map(|v| format!(" {v} ")).collect::<Vec<_>>().join(",");
        prop_assert_eq!(parse_bbox(&spaced).unwrap(), bbox);
    }

    #[test]
    fn a_valid_datetime_round_trips_through_its_text(a in day(), b in day(), hour in 0u32..24) {
        let (start, end) = (a.min(b), a.max(b));
        prop_assert_eq!(parse_datetime(&format!("{start}/{end}")).unwrap(), (Some(start), Some(end)));
        prop_assert_eq!(parse_datetime(&format!("../{end}")).unwrap(), (None, Some(end)));
        prop_assert_eq!(parse_datetime(&format!("{start}/..")).unwrap(), (Some(start), None));
        prop_assert_eq!(parse_datetime(&start.to_string()).unwrap(), (Some(start), Some(start)));
        let instant = format!("{start}T{hour:02}:30:00Z");
        prop_assert_eq!(parse_datetime(&instant).unwrap(), (Some(start), Some(start)));
        if start < end {
            prop_assert!(parse_datetime(&format!("{end}/{start}")).is_err(), "a reversed interval is refused");
        }
    }

    #[test]
    fn garbage_filters_are_refused_without_panicking(text in any::<String>(), name in "[a-z_]{1,14}") {
        let _ = parse_bbox(&text);
        let _ = parse_datetime(&text);
        let mut filter = LayerFilter::default();
        if let Err(e) = filter.set(&name, &text) {
            prop_assert!(!e.message.is_empty());
        }
    }

    #[test]
    fn near_valid_bboxes_are_refused_or_in_range(text in "[-0-9.,eE ]{0,40}") {
        if let Ok([a, b, c, d]) = parse_bbox(&text) {
            prop_assert!((-180.0..=180.0).contains(&a) && (-180.0..=180.0).contains(&c) && a <= c);
            prop_assert!((-90.0..=90.0).contains(&b) && (-90.0..=90.0).contains(&d) && b <= d);
        }
    }
}
