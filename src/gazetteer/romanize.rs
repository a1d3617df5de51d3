//! Generated English-news spellings of names written in Azerbaijani Latin,
//! Russian Cyrillic and Armenian script.
//!
//! Transliteration crates give one scholarly form; news writes `Khankendi`,
//! `Khankandi`, `Stepanakert`, `Shusha`. These rules produce those forms. They
//! add lookup keys only: curated alternate names stay the primary source.

/// At most this many variants are generated per name; alternatives such as
/// `ə` → `a` or `e` multiply, and the first few cover what news writes.
const MAX_VARIANTS: usize = 8;

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

/// Expands a sequence of per-letter alternatives into whole strings, keeping
/// the first `MAX_VARIANTS` combinations (the first alternative is the most
/// common English choice).
fn expand(choices: &[Vec<String>]) -> Vec<String> {
    let mut acc = vec![String::new()];
    for options in choices {
        let mut next = Vec::with_capacity(acc.len() * options.len());
        for prefix in &acc {
            for option in options {
                if next.len() >= MAX_VARIANTS {
                    break;
                }
                next.push(format!("{prefix}{option}"));
            }
        }
        acc = next;
    }
    acc
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
                "c" => &["j"],
                "q" => &["g"],
                "ə" | "ǝ" => &["a", "e"],
                "ı" => &["i"],
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
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let upper = c.is_uppercase();
        let lower = c.to_lowercase().next().unwrap_or(c);
        let word_start = i == 0 || !chars[i - 1].is_alphabetic();
        // ու is one vowel, u
        if lower == 'ո' && chars.get(i + 1).map(|n| n.to_lowercase().next() == Some('ւ')) == Some(true) {
            out.push_str(&cased("u", upper));
            i += 2;
            continue;
        }
        let rendering: &str = match lower {
            'ա' => "a",
            'բ' => "b",
            'գ' => "g",
            'դ' => "d",
            'ե' if word_start => "ye",
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
            _ => {
                out.push(c);
                i += 1;
                continue;
            }
        };
        out.push_str(&cased(rendering, upper));
        i += 1;
    }
    vec![out]
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
        assert!(has(&english_variants("Qubadlı", "az", "AZ"), "Gubadli"));
        assert!(has(&english_variants("Füzuli", "az", "AZ"), "Fuzuli"));
        assert!(has(&english_variants("Xəlfəli", "az", "AZ"), "Khalfali"));
        assert!(has(&english_variants("Turşsu", "az", "AZ"), "Turshsu"));
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
    }

    #[test]
    fn variant_count_is_bounded() {
        assert!(english_variants("Əəəəəəəəəəəə", "az", "AZ").len() <= MAX_VARIANTS);
    }
}
