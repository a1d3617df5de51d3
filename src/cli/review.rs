//! `sitrep review`: the machine's least certain choices first.

use super::{open_store, DbArg};

#[derive(Debug, clap::Args)]
pub struct ReviewArgs {
    /// Most items of each kind.
    #[arg(long, default_value_t = 20)]
    limit: i64,
    /// Print JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    db: DbArg,
}

pub fn run(args: ReviewArgs) -> anyhow::Result<()> {
    let (store, _) = open_store(&args.db)?;
    let mentions = store.mentions_to_review(args.limit)?;
    let drafts = store.drafts_to_review(args.limit)?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({"mentions": mentions, "incidents": drafts}))?
        );
        return Ok(());
    }
    println!("Draft incidents ({}), least certain first:", drafts.len());
    for incident in &drafts {
        let place = incident
            .location
            .as_ref()
            .map_or("(no place)".to_string(), |l| format!("{} [{}]", l.name, l.place_id));
        println!(
            "  #{:<5} {:.2}  {}  {} / {}  at {}  killed {} injured {}",
            incident.id,
            incident.confidence,
            incident.date_start,
            incident.event_type,
            incident.sub_event_type,
            place,
            incident.fatalities(),
            incident.injuries()
        );
    }
    println!("Mentions ({}), least certain first:", mentions.len());
    for mention in &mentions {
        println!(
            "  #{:<5} {:.2}  {:<24} -> {:<22} | {}",
            mention.id,
            mention.score,
            mention.text,
            mention.place_id.as_deref().unwrap_or("(unresolved)"),
            mention.context.chars().take(100).collect::<String>()
        );
    }
    Ok(())
}
