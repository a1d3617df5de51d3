//! Readers for the evaluation corpora: GeoWebNews XML, LGL / TR-News XML, and
//! sitrep's JSON gold format.

use quick_xml::events::Event;
use quick_xml::Reader;

use super::gold::{GoldDocument, GoldToponym};
use super::EvalError;

/// The corpus formats `sitrep eval` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CorpusFormat {
    /// GeoWebNews (Gritta et al. 2019).
    GeoWebNews,
    /// LGL and TR-News (`<article><text>…<toponyms><toponym><gaztag>`).
    Lgl,
    /// A JSON list of mentions with `start`, `end` (code points), `lat`,
    /// `lon`, `precision_km`, `optional`; the text is the file named by
    /// replacing `.gold.json` with `.txt`.
    Json,
}

impl CorpusFormat {
    /// Do the corpus's guidelines count places named by adjectives and
    /// demonyms ("Russian") as toponyms? GeoWebNews and LGL do; sitrep's
    /// JSON gold (the seed article's) does not.
    pub fn annotates_modifiers(self) -> bool {
        matches!(self, CorpusFormat::GeoWebNews | CorpusFormat::Lgl)
    }

    /// Guesses the format from the file name and first bytes.
    pub fn detect(path: &std::path::Path, head: &str) -> Option<Self> {
        let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
        if name.ends_with(".json") {
            Some(CorpusFormat::Json)
        } else if head.contains("<extractedName>") || name.contains("gwn") {
            Some(CorpusFormat::GeoWebNews)
        } else if head.contains("<gaztag") || head.contains("<articles>") {
            Some(CorpusFormat::Lgl)
        } else {
            None
        }
    }
}

/// Reads a corpus file.
pub fn read_corpus(path: &std::path::Path, format: CorpusFormat) -> Result<Vec<GoldDocument>, EvalError> {
    let io = |e: std::io::Error| EvalError::Io(format!("{}: {e}", path.display()));
    let text = std::fs::read_to_string(path).map_err(io)?;
    match format {
        CorpusFormat::Json => {
            let text_path = path.to_string_lossy().replace(".gold.json", ".txt");
            let article =
                std::fs::read_to_string(&text_path).map_err(|e| EvalError::Io(format!("{text_path}: {e}")))?;
            read_json_gold(&text, article, &path.display().to_string())
        }
        CorpusFormat::GeoWebNews | CorpusFormat::Lgl => read_xml(&text, format, &path.display().to_string()),
    }
}

/// Parses the JSON gold format for one article.
pub fn read_json_gold(gold: &str, article: String, label: &str) -> Result<Vec<GoldDocument>, EvalError> {
    let value: serde_json::Value =
        serde_json::from_str(gold).map_err(|e| EvalError::Format(format!("{label}: {e}")))?;
    let items = value
        .as_array()
        .ok_or_else(|| EvalError::Format(format!("{label}: expected a JSON array")))?;
    let mut toponyms = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let number = |key: &str| {
            item[key]
                .as_f64()
                .ok_or_else(|| EvalError::Format(format!("{label}: mention {}: `{key}` missing", i + 1)))
        };
        toponyms.push(GoldToponym {
            start: number("start")? as usize,
            end: number("end")? as usize,
            lat: number("lat")?,
            lon: number("lon")?,
            geonames_id: item["geonameid"].as_u64().map(|v| v.to_string()),
            precision_km: item["precision_km"].as_f64(),
            optional: item["optional"].as_bool().unwrap_or(false),
        });
    }
    Ok(vec![GoldDocument {
        id: label.to_string(),
        text: article,
        toponyms,
    }])
}

#[derive(Default)]
struct Pending {
    start: Option<usize>,
    end: Option<usize>,
    lat: Option<f64>,
    lon: Option<f64>,
    geonames_id: Option<String>,
}

fn read_xml(xml: &str, format: CorpusFormat, label: &str) -> Result<Vec<GoldDocument>, EvalError> {
    let mut reader = Reader::from_str(xml);
    let mut documents = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut current: Option<GoldDocument> = None;
    let mut pending = Pending::default();
    let mut text_buffer = String::new();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| EvalError::Format(format!("{label}: XML error at byte {}: {e}", reader.buffer_position())))?;
        match event {
            Event::Start(start) => {
                let name = String::from_utf8_lossy(start.name().as_ref()).to_string();
                if name == "article" {
                    let id = start
                        .attributes()
                        .flatten()
                        .find(|a| matches!(a.key.as_ref(), b"docid" | b"file"))
                        .map(|a| String::from_utf8_lossy(&a.value).to_string())
                        .unwrap_or_else(|| documents.len().to_string());
                    current = Some(GoldDocument {
                        id,
                        text: String::new(),
                        toponyms: Vec::new(),
                    });
                }
                if name == "toponym" {
                    pending = Pending::default();
                }
                if name == "gaztag" {
                    pending.geonames_id = start
                        .attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == b"geonameid")
                        .map(|a| String::from_utf8_lossy(&a.value).to_string());
                }
                text_buffer.clear();
                path.push(name);
            }
            Event::Text(t) => {
                let decoded = t.decode().map_err(|e| EvalError::Format(format!("{label}: {e}")))?;
                let unescaped =
                    quick_xml::escape::unescape(&decoded).map_err(|e| EvalError::Format(format!("{label}: {e}")))?;
                text_buffer.push_str(&unescaped);
            }
            Event::GeneralRef(r) => {
                let name = String::from_utf8_lossy(r.as_ref()).to_string();
                let resolved = match name.as_str() {
                    "amp" => "&".to_string(),
                    "lt" => "<".to_string(),
                    "gt" => ">".to_string(),
                    "quot" => "\"".to_string(),
                    "apos" => "'".to_string(),
                    other => match other.strip_prefix('#').and_then(|n| {
                        n.strip_prefix('x')
                            .map_or_else(|| n.parse::<u32>().ok(), |h| u32::from_str_radix(h, 16).ok())
                    }) {
                        Some(code) => char::from_u32(code).map(String::from).unwrap_or_default(),
                        None => String::new(),
                    },
                };
                text_buffer.push_str(&resolved);
            }
            Event::CData(c) => text_buffer.push_str(&String::from_utf8_lossy(&c)),
            Event::End(_) => {
                let name = path.pop().unwrap_or_default();
                let parent = path.last().map(String::as_str).unwrap_or("");
                let value = text_buffer.trim();
                match (name.as_str(), parent) {
                    ("text", "article") => {
                        if let Some(doc) = current.as_mut() {
                            doc.text = std::mem::take(&mut text_buffer);
                        }
                    }
                    ("start", "toponym") => pending.start = value.parse().ok(),
                    ("end", "toponym") => pending.end = value.parse().ok(),
                    ("latitude", "toponym") | ("lat", "gaztag") => pending.lat = value.parse().ok(),
                    ("longitude", "toponym") | ("lon", "gaztag") => pending.lon = value.parse().ok(),
                    ("geonamesID", "toponym") if !value.is_empty() => pending.geonames_id = Some(value.to_string()),
                    ("toponym", _) => {
                        if let (Some(doc), Some(start), Some(end), Some(lat), Some(lon)) =
                            (current.as_mut(), pending.start, pending.end, pending.lat, pending.lon)
                        {
                            doc.toponyms.push(GoldToponym {
                                start,
                                end,
                                lat,
                                lon,
                                geonames_id: pending.geonames_id.take(),
                                precision_km: None,
                                optional: false,
                            });
                        }
                    }
                    ("article", _) => {
                        if let Some(doc) = current.take() {
                            documents.push(doc);
                        }
                    }
                    _ => {}
                }
                text_buffer.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let _ = format;
    Ok(documents)
}
