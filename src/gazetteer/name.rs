//! Names are records of their own: a place has many, in several languages and
//! scripts, some historic, some contested. None is deleted to favour another.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

/// What standing a name has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum NameKind {
    /// The name an authority uses now.
    Official,
    /// Another current spelling or name.
    Alternate,
    /// A name used in the past (with validity dates where known).
    Historic,
    /// An informal name ("the Lachin road").
    Colloquial,
    /// A short form ("NK", "NKR").
    Abbreviation,
}

impl NameKind {
    /// Every kind, in a fixed order.
    pub const ALL: [NameKind; 5] = [
        NameKind::Official,
        NameKind::Alternate,
        NameKind::Historic,
        NameKind::Colloquial,
        NameKind::Abbreviation,
    ];

    /// The lowercase word used in files and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            NameKind::Official => "official",
            NameKind::Alternate => "alternate",
            NameKind::Historic => "historic",
            NameKind::Colloquial => "colloquial",
            NameKind::Abbreviation => "abbreviation",
        }
    }

    /// Parse the lowercase word.
    pub fn parse(text: &str) -> Option<Self> {
        NameKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// One name of a place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Name {
    /// The name as written.
    pub text: String,
    /// ISO 639-1 language code, empty when unknown.
    #[serde(default)]
    pub lang: String,
    /// ISO 15924 script code (`Latn`, `Cyrl`, `Armn`, ...). Borrowed from a
    /// constant when detected, so a million names share a handful of strings.
    #[serde(default)]
    pub script: Cow<'static, str>,
    /// Official, alternate, historic, ...
    pub kind: NameKind,
    /// First date the name was in use (`YYYY` or `YYYY-MM-DD`).
    #[serde(default)]
    pub valid_from: Option<String>,
    /// Last date the name was in use.
    #[serde(default)]
    pub valid_to: Option<String>,
}

impl Name {
    /// A name of the given kind; language unknown, script detected from the text.
    pub fn new(text: &str, kind: NameKind) -> Self {
        Name {
            text: text.to_string(),
            lang: String::new(),
            script: Cow::Borrowed(detect_script(text)),
            kind,
            valid_from: None,
            valid_to: None,
        }
    }

    /// The same name with a language code.
    pub fn with_lang(mut self, lang: &str) -> Self {
        self.lang = lang.to_string();
        self
    }
}

/// The ISO 15924 code of the script most letters of `text` are written in:
/// `Latn`, `Cyrl`, `Armn`, `Geor`, `Arab`, `Hebr`, `Grek`, `Hani`, ... or
/// `Zyyy` when there are no letters.
pub fn detect_script(text: &str) -> &'static str {
    let mut counts: [(usize, &'static str); 10] = [
        (0, "Latn"),
        (0, "Cyrl"),
        (0, "Armn"),
        (0, "Geor"),
        (0, "Arab"),
        (0, "Hebr"),
        (0, "Grek"),
        (0, "Hani"),
        (0, "Kana"),
        (0, "Zzzz"),
    ];
    for c in text.chars() {
        // most names are ASCII: answer those without the Unicode tables
        if c.is_ascii() {
            if c.is_ascii_alphabetic() {
                counts[0].0 += 1;
            }
            continue;
        }
        if !c.is_alphabetic() {
            continue;
        }
        let slot = match c as u32 {
            0x0041..=0x024F | 0x1E00..=0x1EFF => 0,
            0x0400..=0x052F => 1,
            0x0530..=0x058F | 0xFB13..=0xFB17 => 2,
            0x10A0..=0x10FF | 0x1C90..=0x1CBF => 3,
            0x0600..=0x06FF | 0x0750..=0x077F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => 4,
            0x0590..=0x05FF => 5,
            0x0370..=0x03FF | 0x1F00..=0x1FFF => 6,
            0x4E00..=0x9FFF | 0x3400..=0x4DBF => 7,
            0x3040..=0x30FF => 8,
            _ => 9,
        };
        counts[slot].0 += 1;
    }
    match counts.iter().max_by_key(|(n, _)| *n) {
        Some((0, _)) | None => "Zyyy",
        Some((_, code)) => code,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_are_detected() {
        assert_eq!(detect_script("Xankəndi"), "Latn");
        assert_eq!(detect_script("Ханкенди"), "Cyrl");
        assert_eq!(detect_script("Ստեփանակերտ"), "Armn");
        assert_eq!(detect_script("თბილისი"), "Geor");
        assert_eq!(detect_script("123"), "Zyyy");
        assert_eq!(detect_script("[1] Ханкенди (A)"), "Cyrl");
        assert_eq!(detect_script("Ханкенди Khankendi"), "Latn");
    }

    #[test]
    fn name_kinds_parse_their_own_words() {
        for kind in NameKind::ALL {
            assert_eq!(NameKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(NameKind::parse("nickname"), None);
    }
}
