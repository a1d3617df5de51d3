//! HTML to article text: drops scripts, styles, navigation, headers, footers
//! and asides (the boilerplate around an article), keeps block structure as
//! line breaks, and decodes entities.

/// Elements whose whole content is boilerplate.
const DROPPED: &[&str] = &[
    "head", "title", "script", "style", "nav", "header", "footer", "aside", "noscript", "form", "svg", "iframe",
    "button", "figure",
];

/// Elements that end a line of text.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "section",
    "article",
    "blockquote",
    "ul",
    "ol",
    "table",
];

/// The `<title>` of a page.
pub fn html_title(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = start + lower[start..].find('>')? + 1;
    let close = open_end + lower[open_end..].find("</title")?;
    let title = decode_entities(html[open_end..close].trim());
    (!title.is_empty()).then_some(title)
}

/// The value of `<meta property|name="NAME" content="...">`.
pub fn html_meta(html: &str, name: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let needle = format!("\"{name}\"");
    let at = lower.find(&needle)?;
    let tag_start = lower[..at].rfind('<')?;
    let tag_end = at + lower[at..].find('>')?;
    let tag = &html[tag_start..tag_end];
    let content_at = tag.to_ascii_lowercase().find("content=")? + "content=".len();
    let rest = &tag[content_at..];
    let quote = rest.chars().next()?;
    let value = rest[1..].split(quote).next()?;
    Some(decode_entities(value))
}

/// The readable text of an HTML page.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    let mut skipping: Option<String> = None;
    while let Some(lt) = rest.find('<') {
        if skipping.is_none() {
            out.push_str(&decode_entities(&rest[..lt]));
        }
        let after = &rest[lt + 1..];
        if after.starts_with("!--") {
            rest = match after.find("-->") {
                Some(end) => &after[end + 3..],
                None => "",
            };
            continue;
        }
        let Some(gt) = after.find('>') else {
            rest = "";
            break;
        };
        let tag = &after[..gt];
        rest = &after[gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match &skipping {
            Some(open) => {
                if closing && *open == name {
                    skipping = None;
                }
                continue;
            }
            None if !closing && DROPPED.contains(&name.as_str()) && !tag.ends_with('/') => {
                skipping = Some(name);
                continue;
            }
            None => {}
        }
        if BLOCKS.contains(&name.as_str()) {
            out.push('\n');
        }
    }
    if skipping.is_none() {
        out.push_str(&decode_entities(rest));
    }
    // collapse runs of blank space, keep paragraph breaks
    let mut cleaned = String::with_capacity(out.len());
    for line in out.lines() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            if !cleaned.ends_with("\n\n") && !cleaned.is_empty() {
                cleaned.push('\n');
            }
        } else {
            cleaned.push_str(&line);
            cleaned.push('\n');
        }
    }
    cleaned.trim().to_string()
}

/// Decodes the common named entities and numeric ones.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let entity = &after[..e];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" | "#39" => Some('\''),
                "nbsp" => Some(' '),
                "mdash" => Some('—'),
                "ndash" => Some('–'),
                "rsquo" => Some('’'),
                "lsquo" => Some('‘'),
                "ldquo" => Some('“'),
                "rdquo" => Some('”'),
                _ => entity.strip_prefix('#').and_then(|n| {
                    let code = match n.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => n.parse().ok(),
                    };
                    code.and_then(char::from_u32)
                }),
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_article_and_drops_boilerplate() {
        let html = "<html><head><title>Shelling in Sotk &amp; Jermuk</title><meta property=\"article:published_time\" content=\"2022-09-13T08:00:00Z\"><script>var x = '<p>no</p>';</script></head>\
            <body><nav><a href=/>Home</a></nav><article><h1>Shelling</h1><p>Shells hit Jermuk&nbsp;at night.</p><p>Two&#160;were hurt.</p></article><footer>© site</footer></body></html>";
        let text = html_to_text(html);
        assert_eq!(text, "Shelling\n\nShells hit Jermuk at night.\n\nTwo were hurt.");
        assert_eq!(html_title(html).as_deref(), Some("Shelling in Sotk & Jermuk"));
        assert_eq!(
            html_meta(html, "article:published_time").as_deref(),
            Some("2022-09-13T08:00:00Z")
        );
    }
}
