//! Generated English-news spellings of names written in Azerbaijani Latin,
//! Russian Cyrillic and Armenian script.
//!
//! Transliteration crates give one scholarly form; news writes `Khankendi`,
//! `Khankandi`, `Stepanakert`, `Shusha`. These rules produce those forms. They
//! add lookup keys only: curated alternate names stay the primary source.

/// At most this many variants are generated per name; alternatives such as
/// `ə` → `a` or `e` multiply, and the first few cover what news writes.
const MAX_VARIANTS: usize = 12;

/// English-news spellings of `text` (not normalised). `lang` is the name's
/// ISO 639-1 code if known; `country` the place's country, which decides
/// whether an unlabelled Latin name is read as Azerbaijani.
///
/// ```
/// use sitrep::gazetteer::romanize::english_variants;
/// let v = english_variants("Xankəndi", "az", "AZ");
/// assert!(v.contains(&"Khankendi".to_string()));
/// assert!(v.contains(&"Khankandi".to_string()));
/// assert!(english_variants("Ханкенди", "", "").contains(&"Khankendi".to_string()));
/// assert!(english_variants("Ստեփանակերտ", "", "").contains(&"Stepanakert".to_string()));
/// ```
pub fn english_variants(text: &str, lang: &str, country: &str) -> Vec<String> {
    let mut out = Vec::new();
    if text.chars().any(is_cyrillic) {
        out.extend(cyrillic_variants(text));
    }
    if text.chars().any(is_armenian) {
        out.extend(armenian_variants(text));
    }
    let azerbaijani_letters = text.chars().any(|c| "əƏǝƎşŞçÇğĞıöÖüÜ".contains(c));
    let reads_as_azerbaijani = lang == "az" || (lang.is_empty() && (country == "AZ" || azerbaijani_letters));
    if reads_as_azerbaijani
        && text
            .chars()
            .any(|c| c.is_ascii_alphabetic() || "əƏǝƎşŞçÇğĞıİöÖüÜ".contains(c))
    {
        out.extend(azerbaijani_variants(text));
    }
    out.retain(|v| v != text);
    out.sort();
    out.dedup();
    out.truncate(MAX_VARIANTS);
    out
}

fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{04FF}').contains(&c)
}

fn is_armenian(c: char) -> bool {
    ('\u{0530}'..='\u{058F}').contains(&c)
}

/// Expands a sequence of per-letter alternatives into whole strings: the
/// first alternative everywhere (the most common English choice), then the
/// strings that differ from it in one letter, then in two, up to
/// `MAX_VARIANTS`. (Taking combinations in plain order would spend them all
/// on the last letters of a long name and never vary its first.)
fn expand(choices: &[Vec<String>]) -> Vec<String> {
    let render = |picks: &[(usize, usize)]| -> String {
        choices
            .iter()
            .enumerate()
            .map(|(at, options)| {
                let pick = picks.iter().find(|(p, _)| *p == at).map_or(0, |(_, o)| *o);
                options.get(pick).map_or("", String::as_str)
            })
            .collect()
    };
    // every single-letter change: (letter, alternative)
    let changes: Vec<(usize, usize)> = choices
        .iter()
        .enumerate()
        .flat_map(|(at, options)| (1..options.len()).map(move |o| (at, o)))
        .collect();
    let mut out = vec![render(&[])];
    for change in &changes {
        if out.len() >= MAX_VARIANTS {
            return out;
        }
        out.push(render(&[*change]));
    }
    for (i, first) in changes.iter().enumerate() {
        for second in changes[i + 1..].iter().filter(|c| c.0 != first.0) {
            if out.len() >= MAX_VARIANTS {
                return out;
            }
            out.push(render(&[*first, *second]));
        }
    }
    out
}

/// Keeps the case of the source letter on the first letter of its rendering.
fn cased(rendering: &str, upper: bool) -> String {
    if !upper {
        return rendering.to_string();
    }
    let mut chars = rendering.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Azerbaijani Latin to English: x→kh, ş→sh, ç→ch, ğ→gh, c→j, q→g, ə→a|e,
/// ı→i, ü→u|yu, ö→o.
fn azerbaijani_variants(text: &str) -> Vec<String> {
    let choices: Vec<Vec<String>> = text
        .chars()
        .map(|c| {
            let upper = c.is_uppercase();
            let lower: String = c.to_lowercase().collect();
            let options: &[&str] = match lower.as_str() {
                "x" => &["kh"],
                "ş" => &["sh"],
                "ç" => &["ch"],
                "ğ" => &["gh", "g"],
                // Kəlbəcər: Kalbajar, and Kalbacar as Turkish writes it
                "c" => &["j", "c"],
                // Qırmızı Bazar is Girmizi and Kirmizi Bazar in the news
                "q" => &["g", "k"],
                "ə" | "ǝ" => &["a", "e"],
                // Xocalı: Khojali, and Khojaly after the Russian spelling
                "ı" => &["i", "y"],
                "i̇" | "i" => &["i"],
                "ü" => &["u", "yu"],
                "ö" => &["o"],
                _ => return vec![c.to_string()],
            };
            options.iter().map(|o| cased(o, upper)).collect()
        })
        .collect();
    expand(&choices)
}

/// Russian Cyrillic to Latin, BGN/PCGN style (е → ye after a vowel or at the
/// start), plus a simpler variant with е → e everywhere, as most news writes.
fn cyrillic_variants(text: &str) -> Vec<String> {
    let strict = cyrillic_to_latin(text, true);
    let simple = cyrillic_to_latin(text, false);
    if strict == simple {
        vec![strict]
    } else {
        vec![simple, strict]
    }
}

fn cyrillic_to_latin(text: &str, bgn_ye: bool) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut prev: Option<char> = None;
    for c in text.chars() {
        let upper = c.is_uppercase();
        let lower = c.to_lowercase().next().unwrap_or(c);
        let after_vowel_or_start = match prev {
            None => true,
            Some(p) => !p.is_alphabetic() || "аеёиоуыэюяъьaeiouy".contains(p.to_lowercase().next().unwrap_or(p)),
        };
        let rendering: &str = match lower {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            'е' if bgn_ye && after_vowel_or_start => "ye",
            'е' => "e",
            'ё' => "yo",
            'ж' => "zh",
            'з' => "z",
            'и' => "i",
            'й' => "y",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ъ' | 'ь' => "",
            'ы' => "y",
            'э' => "e",
            'ю' => "yu",
            'я' => "ya",
            // Azerbaijani and other Cyrillic letters seen in names
            'ә' => "a",
            'ғ' => "gh",
            'ҹ' => "j",
            'һ' => "h",
            'ө' => "o",
            'ү' => "u",
            'ј' => "y",
            'і' => "i",
            'ї' => "yi",
            'є' => "ye",
            'ў' => "w",
            _ => {
                out.push(c);
                prev = Some(c);
                continue;
            }
        };
        out.push_str(&cased(rendering, upper));
        prev = Some(c);
    }
    out
}

/// Armenian script to the Latin forms English news uses (Ստեփանակերտ →
/// Stepanakert, Երևան → Yerevan, Շուշի → Shushi).
fn armenian_variants(text: &str) -> Vec<String> {
    let mut choices: Vec<Vec<String>> = Vec::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let upper = c.is_uppercase();
        let lower = c.to_lowercase().next().unwrap_or(c);
        let word_start = i == 0 || !chars[i - 1].is_alphabetic();
        // ու is one vowel, u
        if lower == 'ո' && chars.get(i + 1).map(|n| n.to_lowercase().next() == Some('ւ')) == Some(true) {
            choices.push(vec![cased("u", upper)]);
            i += 2;
            continue;
        }
        // A second rendering where English news has two: Yerevan and
        // Erevan; Stepanakert and Stepanakerd, Martakert and Mardakert.
        let (rendering, other): (&str, Option<&str>) = match lower {
            'ե' if word_start => ("ye", Some("e")),
            'տ' => ("t", Some("d")),
            _ => (armenian_letter(lower, word_start).unwrap_or(""), None),
        };
        if rendering.is_empty() {
            choices.push(vec![c.to_string()]);
            i += 1;
            continue;
        }
        choices.push(
            std::iter::once(rendering)
                .chain(other)
                .map(|r| cased(r, upper))
                .collect(),
        );
        i += 1;
    }
    expand(&choices)
}

/// The usual Latin rendering of an Armenian letter (lower case), if it is one
/// (a word-initial ե, which has two, is decided by the caller).
fn armenian_letter(lower: char, word_start: bool) -> Option<&'static str> {
    Some(match lower {
        'ա' => "a",
        'բ' => "b",
        'գ' => "g",
        'դ' => "d",
        'ե' => "e",
        'զ' => "z",
        'է' => "e",
        'ը' => "y",
        'թ' => "t",
        'ժ' => "zh",
        'ի' => "i",
        'լ' => "l",
        'խ' => "kh",
        'ծ' => "ts",
        'կ' => "k",
        'հ' => "h",
        'ձ' => "dz",
        'ղ' => "gh",
        'ճ' => "ch",
        'մ' => "m",
        'յ' => "y",
        'ն' => "n",
        'շ' => "sh",
        'ո' if word_start => "vo",
        'ո' => "o",
        'չ' => "ch",
        'պ' => "p",
        'ջ' => "j",
        'ռ' => "r",
        'ս' => "s",
        'վ' => "v",
        'տ' => "t",
        'ր' => "r",
        'ց' => "ts",
        'ւ' => "v",
        'փ' => "p",
        'ք' => "k",
        'օ' => "o",
        'ֆ' => "f",
        'և' if word_start => "yev",
        'և' => "ev",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(variants: &[String], want: &str) -> bool {
        variants.iter().any(|v| v == want)
    }

    #[test]
    fn azerbaijani_spellings_become_english_news_spellings() {
        assert!(has(&english_variants("Şuşa", "az", "AZ"), "Shusha"));
        assert!(has(&english_variants("Laçın", "az", "AZ"), "Lachin"));
        assert!(has(&english_variants("Ağdam", "", "AZ"), "Aghdam"));
        assert!(has(&english_variants("Cəbrayıl", "az", "AZ"), "Jabrayil"));
        assert!(has(&english_variants("Kəlbəcər", "az", "AZ"), "Kalbacar"));
        assert!(has(&english_variants("Kəlbəcər", "az", "AZ"), "Kelbajar"));
        assert!(has(&english_variants("Ağcabədi", "az", "AZ"), "Agjabedi"));
        assert!(has(&english_variants("Qubadlı", "az", "AZ"), "Gubadli"));
        assert!(has(&english_variants("Füzuli", "az", "AZ"), "Fuzuli"));
        assert!(has(&english_variants("Xəlfəli", "az", "AZ"), "Khalfali"));
        assert!(has(&english_variants("Turşsu", "az", "AZ"), "Turshsu"));
        // q is g or k, ı is i or y: both spellings of each are in the news
        let bazar = english_variants("Qırmızı Bazar", "az", "AZ");
        assert!(
            has(&bazar, "Girmizi Bazar") && has(&bazar, "Kirmizi Bazar"),
            "{bazar:?}"
        );
        assert!(has(&english_variants("Xocalı", "az", "AZ"), "Khojaly"));
        // a letter near the end of a long name varies as well as one near its start
        let long = english_variants("Qaraqaşlı Şıxlar", "az", "AZ");
        assert!(
            has(&long, "Karagashli Shikhlar") && has(&long, "Garagashli Shykhlar"),
            "{long:?}"
        );
    }

    #[test]
    fn english_names_elsewhere_are_left_alone() {
        assert!(english_variants("Quebec", "en", "CA").is_empty());
        assert!(english_variants("Brussels", "", "BE").is_empty());
    }

    #[test]
    fn russian_and_armenian_scripts_romanise() {
        assert!(has(&english_variants("Шуша", "ru", ""), "Shusha"));
        assert!(has(&english_variants("Ереван", "ru", ""), "Yerevan"));
        assert!(has(&english_variants("Երևան", "hy", ""), "Yerevan"));
        assert!(has(&english_variants("Շուշի", "hy", ""), "Shushi"));
        assert!(has(&english_variants("Բերձոր", "hy", ""), "Berdzor"));
        assert!(has(&english_variants("Լիսագոր", "hy", ""), "Lisagor"));
        // the voiced spellings of the diaspora press, and Erevan
        assert!(has(&english_variants("Ստեփանակերտ", "hy", ""), "Stepanakerd"));
        assert!(has(&english_variants("Մարտակերտ", "hy", ""), "Mardakert"));
        assert!(has(&english_variants("Երևան", "hy", ""), "Erevan"));
    }

    #[test]
    fn variant_count_is_bounded() {
        assert!(english_variants("Əəəəəəəəəəəə", "az", "AZ").len() <= MAX_VARIANTS);
    }
}
