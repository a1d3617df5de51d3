//! The name index: every normalised key of every name (and its generated
//! romanisations) mapped to the places that bear it.

use std::borrow::Cow;

use fst::{IntoStreamer, Map, MapBuilder, Streamer};

use super::fuzzy;
use super::normalize::normalize_key;
use super::romanize::english_variants;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use super::{GazetteerError, Place};

mod key_table;
mod serialized;

use key_table::{KeyTable, KeyTableBuilder};

/// One place reachable under a key.
#[derive(Debug, Clone, Copy)]
pub struct Posting {
    /// Index of the place in the gazetteer.
    pub place: u32,
    /// Index of the name within the place.
    pub name: u16,
    /// True when the key comes from a generated romanisation, not a stored name.
    pub generated: bool,
    /// True when the name is stored in capitals (two letters or more, all
    /// upper case: `TOM`, an airport code), which a text writing the word
    /// otherwise ("Tom") does not mean. Kept here so that telling costs no
    /// look at the place's record.
    pub in_capitals: bool,
}

impl Posting {
    /// All four fields in one integer: postings are compared and hashed by
    /// the list (a geoparser groups a text's mentions by theirs), and one
    /// comparison per posting beats four.
    fn packed(self) -> u64 {
        u64::from(self.place)
            | u64::from(self.name) << 32
            | u64::from(self.generated) << 48
            | u64::from(self.in_capitals) << 56
    }
}

impl PartialEq for Posting {
    fn eq(&self, other: &Self) -> bool {
        self.packed() == other.packed()
    }
}

impl Eq for Posting {}

impl std::hash::Hash for Posting {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u64(self.packed());
    }
}

/// The index as built from all places: keys in an FST (key → ordinal),
/// postings in one flat array.
struct BuiltIndex {
    /// Borrowed when read from the bytes compiled into the binary.
    keys: Map<Cow<'static, [u8]>>,
    /// `postings[offsets[k]..offsets[k + 1]]` belong to key ordinal `k`.
    offsets: Vec<u32>,
    postings: Vec<Posting>,
    /// The highest importance among a key's places, for ranking prefix matches.
    key_importance: Vec<f32>,
    /// Length of each key in characters (saturating), to rank completions:
    /// a short completion is closer to what was typed.
    key_chars: Vec<u16>,
    /// For one- and two-letter prefixes, which match up to a tenth of all
    /// keys, the best keys precomputed, so autocomplete never scans them.
    /// Computed on the first autocomplete query: the geoparser never needs
    /// it, and building it would add 50 ms to every start.
    short_prefix_best: std::sync::OnceLock<std::collections::HashMap<String, Vec<u64>>>,
    /// The keys and their first words hashed, for a geoparser's exact
    /// lookups (see [`KeyTable`]): built when first asked for, on a thread
    /// of its own ([`NameIndex::prepare_exact_lookups`]); until it is
    /// there, lookups walk the automaton (the same answers, found slower).
    /// Shared by the indexes read from the same bytes.
    table: Arc<KeyTableSlot>,
}

/// Where an index's [`KeyTable`] goes once built, and whether it has been
/// asked for. It costs memory (about 44 MB for the million keys of cities500), which a process
/// that only searches the gazetteer, or only serves it, need not pay.
#[derive(Default)]
struct KeyTableSlot {
    table: OnceLock<KeyTable>,
    requested: AtomicBool,
}

/// Keys kept per short prefix.
const SHORT_PREFIX_KEYS: usize = 64;

/// Whether `name` is written in capitals: two letters or more, all upper case.
fn written_in_capitals(name: &str) -> bool {
    let mut letters = name.chars().filter(|c| c.is_alphabetic());
    letters.clone().nth(1).is_some() && letters.all(char::is_uppercase)
}

/// Every (key, posting) of a run of places whose first index is `first`.
fn keys_of(places: &[Place], first: u32) -> Vec<(String, Posting)> {
    let mut entries = Vec::with_capacity(places.len() * 12);
    for (offset, place) in places.iter().enumerate() {
        let place_ix = first + offset as u32;
        for (name_idx, name) in place.names.iter().enumerate().take(usize::from(u16::MAX)) {
            let in_capitals = written_in_capitals(&name.text);
            let posting = |generated| Posting {
                place: place_ix,
                name: name_idx as u16,
                generated,
                in_capitals,
            };
            let key = normalize_key(&name.text);
            if key.is_empty() {
                continue;
            }
            for variant in english_variants(&name.text, &name.lang, &place.country) {
                let variant_key = normalize_key(&variant);
                if !variant_key.is_empty() && variant_key != key {
                    entries.push((variant_key, posting(true)));
                }
            }
            entries.push((key, posting(false)));
        }
    }
    entries
}

/// The best keys (by importance) for every one- and two-character prefix,
/// from the keys in order (so each key's ordinal is its rank).
fn best_keys_by_short_prefix(
    keys: &Map<Cow<'static, [u8]>>,
    key_importance: &[f32],
) -> std::collections::HashMap<String, Vec<u64>> {
    let mut by_prefix: std::collections::HashMap<String, Vec<u64>> = std::collections::HashMap::new();
    let mut stream = keys.stream();
    while let Some((bytes, ordinal)) = stream.next() {
        let Ok(key) = std::str::from_utf8(bytes) else {
            continue;
        };
        for length in 1..=2 {
            if let Some((end, _)) = key
                .char_indices()
                .nth(length)
                .or((key.chars().count() == length).then_some((key.len(), ' ')))
            {
                by_prefix.entry(key[..end].to_string()).or_default().push(ordinal);
            }
        }
    }
    for ordinals in by_prefix.values_mut() {
        if ordinals.len() > SHORT_PREFIX_KEYS {
            ordinals.select_nth_unstable_by(SHORT_PREFIX_KEYS - 1, |a, b| {
                key_importance[*b as usize].total_cmp(&key_importance[*a as usize])
            });
            ordinals.truncate(SHORT_PREFIX_KEYS);
        }
        ordinals.shrink_to_fit();
    }
    by_prefix
}

/// The parts of a [`BuiltIndex`] (all but the key table) made of entries
/// sorted by key.
type FstParts = (Map<Cow<'static, [u8]>>, Vec<u32>, Vec<Posting>, Vec<f32>, Vec<u16>);

/// The automaton and the postings of `entries`, sorted by key.
fn fst_parts_of_sorted(entries: &[(String, Posting)], places: &[Place]) -> Result<FstParts, GazetteerError> {
    let place_importance: Vec<f32> = places.iter().map(|p| p.importance() as f32).collect();
    let mut builder = MapBuilder::memory();
    let mut offsets = Vec::new();
    let mut postings = Vec::with_capacity(entries.len());
    let mut key_importance = Vec::new();
    let mut key_chars = Vec::new();
    let mut previous: Option<&str> = None;
    for (key, posting) in entries {
        if previous != Some(key.as_str()) {
            let ordinal = offsets.len() as u64;
            builder
                .insert(key.as_bytes(), ordinal)
                .map_err(|e| GazetteerError::Index(e.to_string()))?;
            offsets.push(postings.len() as u32);
            key_importance.push(0.0f32);
            key_chars.push(u16::try_from(key.chars().count()).unwrap_or(u16::MAX));
            previous = Some(key.as_str());
        }
        let importance = place_importance[posting.place as usize];
        if let Some(best) = key_importance.last_mut() {
            *best = best.max(importance);
        }
        postings.push(*posting);
    }
    offsets.push(postings.len() as u32);
    let bytes = builder.into_inner().map_err(|e| GazetteerError::Index(e.to_string()))?;
    let keys = Map::new(Cow::Owned(bytes)).map_err(|e| GazetteerError::Index(e.to_string()))?;
    Ok((keys, offsets, postings, key_importance, key_chars))
}

/// The key table slot of an automaton compiled into the binary (`fst`),
/// one per process, shared by every index read from it: the bundled
/// gazetteer is read anew for each edit of it, and its table is built
/// once.
fn shared_key_table(fst: &'static [u8]) -> Arc<KeyTableSlot> {
    type Shared = Vec<(usize, usize, Arc<KeyTableSlot>)>;
    static SHARED: Mutex<Shared> = Mutex::new(Vec::new());
    let mut shared = SHARED.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let id = (fst.as_ptr() as usize, fst.len());
    if let Some((_, _, table)) = shared.iter().find(|(at, len, _)| (*at, *len) == id) {
        return Arc::clone(table);
    }
    let table = Arc::new(KeyTableSlot::default());
    shared.push((id.0, id.1, Arc::clone(&table)));
    table
}

/// The key table of the automaton `keys`.
fn key_table_of_map<D: AsRef<[u8]>>(keys: &Map<D>) -> Result<KeyTable, GazetteerError> {
    let mut table = KeyTableBuilder::with_capacity(keys.len());
    let mut stream = keys.stream();
    while let Some((key, ordinal)) = stream.next() {
        table.push(key, ordinal).map_err(key_table_error)?;
    }
    table.finish().map_err(key_table_error)
}

fn key_table_error(error: key_table::KeyTableError) -> GazetteerError {
    GazetteerError::Index(error.to_string())
}

impl BuiltIndex {
    /// Indexes every name of every place: its normalised form and the
    /// normalised forms of its English-news romanisations.
    fn build(places: &[Place]) -> Result<Self, GazetteerError> {
        if u32::try_from(places.len()).is_err() {
            return Err(GazetteerError::Index("more than 4 billion places".into()));
        }
        // Normalising and romanising is most of the work: split it across cores.
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .min(8);
        let chunk = places.len().div_ceil(threads).max(1);
        let mut entries: Vec<(String, Posting)> = std::thread::scope(|scope| {
            let workers: Vec<_> = places
                .chunks(chunk)
                .enumerate()
                .map(|(i, slice)| scope.spawn(move || keys_of(slice, (i * chunk) as u32)))
                .collect();
            workers.into_iter().flat_map(|w| w.join().unwrap_or_default()).collect()
        });
        // Sorted by key, then place, stored names before generated ones.
        entries.sort_unstable_by(|a, b| {
            a.0.cmp(&b.0)
                .then(a.1.place.cmp(&b.1.place))
                .then(a.1.generated.cmp(&b.1.generated))
                .then(a.1.name.cmp(&b.1.name))
        });
        // One posting per (key, place): the best one.
        entries.dedup_by(|later, earlier| later.0 == earlier.0 && later.1.place == earlier.1.place);

        let (keys, offsets, postings, key_importance, key_chars) = fst_parts_of_sorted(&entries, places)?;
        let table = Arc::new(KeyTableSlot::default());
        Ok(BuiltIndex::of_parts(
            keys,
            offsets,
            postings,
            key_importance,
            key_chars,
            table,
        ))
    }

    /// An index of its parts, built or read; the autocomplete table is
    /// computed on first use.
    fn of_parts(
        keys: Map<Cow<'static, [u8]>>,
        offsets: Vec<u32>,
        postings: Vec<Posting>,
        key_importance: Vec<f32>,
        key_chars: Vec<u16>,
        table: Arc<KeyTableSlot>,
    ) -> Self {
        BuiltIndex {
            table,
            keys,
            offsets,
            postings,
            key_importance,
            key_chars,
            short_prefix_best: std::sync::OnceLock::new(),
        }
    }

    /// Number of distinct keys.
    fn key_count(&self) -> usize {
        self.key_importance.len()
    }

    /// Number of (key, place) postings.
    fn posting_count(&self) -> usize {
        self.postings.len()
    }

    fn postings_of(&self, ordinal: u64) -> &[Posting] {
        let k = ordinal as usize;
        match (self.offsets.get(k), self.offsets.get(k + 1)) {
            (Some(&start), Some(&end)) => &self.postings[start as usize..end as usize],
            _ => &[],
        }
    }

    /// Places whose name normalises to exactly `key` (already normalised).
    fn exact(&self, key: &str) -> &[Posting] {
        self.exact_and_longer(key).0
    }

    /// True when some key starts with `key_prefix` followed by a space, i.e. a
    /// longer multi-word name continues from here. The geoparser uses it to
    /// decide whether to keep extending a candidate span.
    fn has_longer_name(&self, key_prefix: &str) -> bool {
        self.exact_and_longer(key_prefix).1
    }

    /// [`BuiltIndex::exact`] and [`BuiltIndex::has_longer_name`] in one
    /// probe of the key table.
    fn exact_and_longer(&self, key: &str) -> (&[Posting], bool) {
        let Some(table) = self.table.table.get() else {
            return self.exact_and_longer_by_walk(key);
        };
        let answer = table.find(key.as_bytes());
        let postings = answer.ordinal.map_or(&[][..], |ordinal| self.postings_of(ordinal));
        (postings, answer.has_longer)
    }

    /// Starts fetching what [`BuiltIndex::exact_and_longer`] of `key` reads
    /// first, once the key table is built.
    fn prefetch_exact_and_longer(&self, key: &str) {
        if let Some(table) = self.table.table.get() {
            table.prefetch(key.as_bytes());
        }
    }

    /// What [`BuiltIndex::exact_and_longer`] answers, by a walk through the
    /// automaton: what the key table must agree with, and the answer while
    /// it is not built yet.
    fn exact_and_longer_by_walk(&self, key: &str) -> (&[Posting], bool) {
        let fst = self.keys.as_fst();
        let mut node = fst.root();
        let mut output = fst::raw::Output::zero();
        for byte in key.bytes() {
            match node.find_input(byte) {
                Some(i) => {
                    let transition = node.transition(i);
                    output = output.cat(transition.out);
                    node = fst.node(transition.addr);
                }
                None => return (&[], false),
            }
        }
        let postings = if node.is_final() {
            self.postings_of(output.cat(node.final_output()).value())
        } else {
            &[]
        };
        // every state of a minimal FST leads to some key: a transition on
        // a space means a longer key
        (postings, node.find_input(b' ').is_some())
    }

    /// Ordinal range `[lo, hi)` of the keys starting with `prefix`.
    fn prefix_range(&self, prefix: &str) -> (u64, u64) {
        let first_at_or_after = |bound: &[u8]| -> u64 {
            let mut stream = self.keys.range().ge(bound).into_stream();
            match stream.next() {
                Some((_, ordinal)) => ordinal,
                None => self.key_count() as u64,
            }
        };
        let lo = first_at_or_after(prefix.as_bytes());
        // Keys are valid UTF-8, which never contains 0xFF, so bumping the last
        // byte gives the first byte string past every key with this prefix.
        let mut upper = prefix.as_bytes().to_vec();
        match upper.last_mut() {
            Some(last) => *last += 1,
            None => return (0, self.key_count() as u64),
        }
        (lo, first_at_or_after(&upper))
    }

    /// Postings of the keys that start with `prefix` (normalised), best keys
    /// first by the importance of their places, at most `max_keys` keys. Each
    /// posting comes with the length of its key in characters.
    fn prefix(&self, prefix: &str, max_keys: usize) -> Vec<(Posting, usize)> {
        let short = self
            .short_prefix_best
            .get_or_init(|| best_keys_by_short_prefix(&self.keys, &self.key_importance));
        let mut ordinals: Vec<u64> = match short.get(prefix) {
            Some(best) if max_keys <= SHORT_PREFIX_KEYS => best.clone(),
            _ => {
                let (lo, hi) = self.prefix_range(prefix);
                (lo..hi).collect()
            }
        };
        if ordinals.len() > max_keys {
            ordinals.select_nth_unstable_by(max_keys - 1, |a, b| {
                self.key_importance[*b as usize].total_cmp(&self.key_importance[*a as usize])
            });
            ordinals.truncate(max_keys);
        }
        let mut out = Vec::new();
        for ordinal in ordinals {
            let key_len = usize::from(self.key_chars[ordinal as usize]);
            out.extend(self.postings_of(ordinal).iter().map(|p| (*p, key_len)));
        }
        out
    }

    /// Postings of keys within the allowed edit distance of `key`, with that
    /// distance; at most `max_keys` keys.
    fn fuzzy(&self, key: &str, max_keys: usize) -> Vec<(Posting, u8)> {
        let distance = fuzzy::allowed_distance(key.chars().count());
        let Some(dfa) = fuzzy::anchored_automaton(key, distance) else {
            return Vec::new();
        };
        let mut stream = self.keys.search_with_state(&dfa).into_stream();
        let mut found: Vec<(u64, u8)> = Vec::new();
        while let Some((_, ordinal, state)) = stream.next() {
            if let Some(d) = dfa.distance_at(state) {
                found.push((ordinal, d));
            }
            if found.len() >= max_keys * 8 {
                break;
            }
        }
        found.sort_by(|a, b| {
            a.1.cmp(&b.1)
                .then(self.key_importance[b.0 as usize].total_cmp(&self.key_importance[a.0 as usize]))
        });
        found.truncate(max_keys);
        found
            .into_iter()
            .flat_map(|(ordinal, d)| self.postings_of(ordinal).iter().map(move |p| (*p, d)))
            .collect()
    }
}

/// The name index: the index built from all places, shared, and a patch for
/// the places changed since (an editor's save re-indexes one place in
/// milliseconds instead of rebuilding everything).
#[derive(Clone)]
pub struct NameIndex {
    built: Arc<BuiltIndex>,
    patch: Patch,
}

/// Keys touched by places changed after the build.
#[derive(Clone, Default)]
struct Patch {
    /// Places whose postings in the built index are out of date.
    stale: std::collections::HashSet<u32>,
    /// Every key a changed place had or has, with its up-to-date postings
    /// (sorted by place); keys absent here are up to date in the build.
    keys: BTreeMap<String, Vec<Posting>>,
}

impl NameIndex {
    /// Indexes every name of every place: its normalised form and the
    /// normalised forms of its English-news romanisations.
    pub fn build(places: &[Place]) -> Result<Self, GazetteerError> {
        Ok(NameIndex {
            built: Arc::new(BuiltIndex::build(places)?),
            patch: Patch::default(),
        })
    }

    /// The index as bytes, for [`NameIndex::prebuilt`]. Only the build is
    /// written: call it on a fresh index, not on a patched one.
    pub fn to_bytes(&self, places: &[Place]) -> Vec<u8> {
        self.built.to_bytes(places)
    }

    /// The index [`NameIndex::to_bytes`] wrote for exactly these places
    /// (checked by a fingerprint of their names), without rebuilding it.
    pub fn prebuilt(bytes: &'static [u8], places: &[Place]) -> Result<Self, GazetteerError> {
        Ok(NameIndex {
            built: Arc::new(BuiltIndex::from_bytes(bytes, places)?),
            patch: Patch::default(),
        })
    }

    /// Re-indexes the place at index `at`: `old` is what it was (None for a
    /// new place), `new` what it is now.
    pub fn reindex(&mut self, at: u32, old: Option<&Place>, new: &Place) {
        let old_keys = old.map(|p| keys_of(std::slice::from_ref(p), at)).unwrap_or_default();
        let new_keys = keys_of(std::slice::from_ref(new), at);
        for (key, _) in old_keys.iter().chain(new_keys.iter()) {
            if !self.patch.keys.contains_key(key) {
                let current = self.exact(key).to_vec();
                self.patch.keys.insert(key.clone(), current);
            }
            if let Some(postings) = self.patch.keys.get_mut(key) {
                postings.retain(|p| p.place != at);
            }
        }
        // the best posting per key, as the build keeps: stored names before
        // generated ones, then the first name
        let mut fresh = new_keys;
        fresh.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then(a.1.generated.cmp(&b.1.generated))
                .then(a.1.name.cmp(&b.1.name))
        });
        fresh.dedup_by(|later, earlier| later.0 == earlier.0);
        for (key, posting) in fresh {
            if let Some(postings) = self.patch.keys.get_mut(&key) {
                let slot = postings.partition_point(|p| p.place < posting.place);
                postings.insert(slot, posting);
            }
        }
        self.patch.stale.insert(at);
    }

    /// Keys the patch holds: a caller rebuilds when it grows large.
    pub fn patched_keys(&self) -> usize {
        self.patch.keys.len()
    }

    /// Number of distinct keys (of the build).
    pub fn key_count(&self) -> usize {
        self.built.key_count()
    }

    /// Number of (key, place) postings (of the build).
    pub fn posting_count(&self) -> usize {
        self.built.posting_count()
    }

    /// Places whose name normalises to exactly `key` (already normalised).
    pub fn exact(&self, key: &str) -> &[Posting] {
        match self.patch.keys.get(key) {
            Some(postings) => postings,
            None => self.built.exact(key),
        }
    }

    /// True when some key starts with `key_prefix` followed by a space, i.e. a
    /// longer multi-word name continues from here. The geoparser uses it to
    /// decide whether to keep extending a candidate span.
    pub fn has_longer_name(&self, key_prefix: &str) -> bool {
        if self.built.has_longer_name(key_prefix) {
            return true;
        }
        if self.patch.keys.is_empty() {
            return false;
        }
        let probe = format!("{key_prefix} ");
        self.patch
            .keys
            .range(probe.clone()..)
            .next()
            .is_some_and(|(key, postings)| key.starts_with(&probe) && !postings.is_empty())
    }

    /// Builds the table that answers [`NameIndex::exact_and_longer`] with
    /// one probe instead of a walk of the automaton, on a thread of its
    /// own, once per index: what a geoparser, which asks it of every new
    /// word, calls first. Lookups give the same answers before it is done,
    /// only slower. The table costs about 42 bytes a key (44 MB with
    /// GeoNames' cities500 added), which a process that never geoparses
    /// does not pay.
    pub fn prepare_exact_lookups(&self) {
        if self.built.table.requested.swap(true, Ordering::AcqRel) {
            return;
        }
        let built = Arc::clone(&self.built);
        // a failed spawn or build leaves the table empty, which is only slower
        let _ = std::thread::Builder::new().name("key-table".into()).spawn(move || {
            if let Ok(table) = key_table_of_map(&built.keys) {
                let _ = built.table.table.set(table);
            }
        });
    }

    /// Whether the table [`NameIndex::prepare_exact_lookups`] builds is
    /// there yet.
    pub fn exact_lookups_prepared(&self) -> bool {
        self.built.table.table.get().is_some()
    }

    /// Waits up to `timeout` for the table [`NameIndex::prepare_exact_lookups`]
    /// builds (asking for it if nobody has); whether it is there. For a
    /// measurement of the steady rate, which should not time the walks
    /// made while it is being built.
    pub fn wait_for_exact_lookups(&self, timeout: std::time::Duration) -> bool {
        self.prepare_exact_lookups();
        let asked = std::time::Instant::now();
        while !self.exact_lookups_prepared() {
            if asked.elapsed() >= timeout {
                return false;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        true
    }

    /// The places named exactly `key` (normalised) and whether a longer
    /// multi-word name continues from it: what [`NameIndex::exact`] and
    /// [`NameIndex::has_longer_name`] answer, in one walk of the index (the
    /// geoparser asks both for every capitalised word).
    pub fn exact_and_longer(&self, key: &str) -> (&[Posting], bool) {
        if self.patch.keys.is_empty() {
            return self.built.exact_and_longer(key);
        }
        (self.exact(key), self.has_longer_name(key))
    }

    /// Starts fetching from memory what [`NameIndex::exact_and_longer`] of
    /// `key` reads first, and returns at once: a hint for a caller with
    /// several keys to ask about, which asked a few keys ahead overlaps
    /// their waits on memory. It changes no answer.
    pub fn prefetch_exact_and_longer(&self, key: &str) {
        if self.patch.keys.is_empty() {
            self.built.prefetch_exact_and_longer(key);
        }
    }

    /// Postings of the keys that start with `prefix` (normalised), best keys
    /// first by the importance of their places, at most `max_keys` keys. Each
    /// posting comes with the length of its key in characters.
    pub fn prefix(&self, prefix: &str, max_keys: usize) -> Vec<(Posting, usize)> {
        let mut out = self.built.prefix(prefix, max_keys);
        if self.patch.keys.is_empty() {
            return out;
        }
        out.retain(|(p, _)| !self.patch.stale.contains(&p.place));
        for (key, postings) in self.patch.keys.range(prefix.to_string()..) {
            if !key.starts_with(prefix) {
                break;
            }
            let chars = key.chars().count();
            out.extend(
                postings
                    .iter()
                    .filter(|p| self.patch.stale.contains(&p.place))
                    .map(|p| (*p, chars)),
            );
        }
        out
    }

    /// Postings of keys within the allowed edit distance of `key`, with that
    /// distance; at most `max_keys` keys.
    pub fn fuzzy(&self, key: &str, max_keys: usize) -> Vec<(Posting, u8)> {
        let mut out = self.built.fuzzy(key, max_keys);
        if self.patch.keys.is_empty() {
            return out;
        }
        out.retain(|(p, _)| !self.patch.stale.contains(&p.place));
        let distance = fuzzy::allowed_distance(key.chars().count());
        let Some(dfa) = fuzzy::anchored_automaton(key, distance) else {
            return out;
        };
        for (patched, postings) in &self.patch.keys {
            use fst::Automaton;
            let mut state = dfa.start();
            for byte in patched.bytes() {
                state = dfa.accept(&state, byte);
            }
            if let Some(d) = dfa.distance_at(state) {
                out.extend(
                    postings
                        .iter()
                        .filter(|p| self.patch.stale.contains(&p.place))
                        .map(|p| (*p, d)),
                );
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::PlaceKind;

    fn town(id: &str, name: &str) -> Place {
        Place::new_point(id, name, PlaceKind::populated("PPL"), 46.7, 39.8)
    }

    #[test]
    fn one_walk_answers_as_the_two_lookups() {
        let places = vec![town("a", "Mets Shen"), town("b", "Mets"), town("c", "Shushi")];
        let mut index = NameIndex::build(&places).unwrap();
        let agree = |index: &NameIndex| {
            for key in ["mets", "mets shen", "met", "shushi", "shushi x", "zzz", ""] {
                let (exact, longer) = index.exact_and_longer(key);
                assert_eq!(exact, index.exact(key), "{key:?}");
                assert_eq!(longer, index.has_longer_name(key), "{key:?}");
                if index.patch.keys.is_empty() {
                    assert_eq!((exact, longer), index.built.exact_and_longer_by_walk(key), "{key:?}");
                }
            }
        };
        agree(&index);
        assert_eq!(index.exact_and_longer("mets"), (index.exact("mets"), true));
        assert!(!index.exact("mets").is_empty());
        // and over a patch: "Shushi Gala" now continues "shushi"
        index.reindex(2, Some(&places[2]), &town("c", "Shushi Gala"));
        agree(&index);
        assert!(index.exact_and_longer("shushi").1);
    }

    #[test]
    fn the_key_table_built_on_request_answers_as_the_walk_over_many_names() {
        // names that share their first words, and words no name has
        let places: Vec<Place> = (0..3_000)
            .map(|i| town(&format!("p{i}"), &format!("Nor {i} Gyugh Mets")))
            .chain((0..3_000).map(|i| town(&format!("q{i}"), &format!("Verin{i}"))))
            .collect();
        let index = NameIndex::build(&places).unwrap();
        // the table is built only when asked for, and once
        assert!(!index.exact_lookups_prepared());
        index.prepare_exact_lookups();
        index.prepare_exact_lookups();
        assert!(index.wait_for_exact_lookups(std::time::Duration::from_secs(60)));
        let mut found = 0;
        for i in 0..3_000 {
            for key in [
                format!("nor {i}"),
                format!("nor {i} gyugh"),
                format!("nor {i} gyugh mets"),
                format!("verin{i}"),
                format!("nerkin{i}"),
                format!("nor {i} gyugh nerkin"),
            ] {
                let (exact, longer) = index.exact_and_longer(&key);
                assert_eq!((exact, longer), index.built.exact_and_longer_by_walk(&key), "{key:?}");
                found += usize::from(!exact.is_empty() || longer);
            }
        }
        assert_eq!(found, 3_000 * 4);
    }

    #[test]
    fn the_key_table_agrees_with_the_automaton_on_every_bundled_key() {
        let gazetteer = crate::gazetteer::Gazetteer::bundled().unwrap();
        let read = &gazetteer.index().built;
        // the same index with its key table at once, not in the background
        let table = Arc::new(KeyTableSlot::default());
        assert!(table.table.set(key_table_of_map(&read.keys).unwrap()).is_ok());
        let built = BuiltIndex::of_parts(
            Map::new(Cow::Owned(read.keys.as_fst().as_bytes().to_vec())).unwrap(),
            read.offsets.clone(),
            read.postings.clone(),
            read.key_importance.clone(),
            read.key_chars.clone(),
            table,
        );
        let mut stream = built.keys.stream();
        let mut keys = Vec::new();
        while let Some((key, _)) = stream.next() {
            keys.push(String::from_utf8(key.to_vec()).unwrap());
        }
        assert!(keys.len() > 1000, "{} keys", keys.len());
        let mut asked = 0;
        for key in &keys {
            // the key, its first words, the key cut inside a word, and
            // strings near it that are no key
            let cut = key.char_indices().nth(key.chars().count() / 2).map_or(0, |(at, _)| at);
            let mut strings = vec![
                key.clone(),
                format!("{key} "),
                format!("{key}x"),
                key[..cut].to_string(),
            ];
            strings.extend(key.match_indices(' ').map(|(at, _)| key[..at].to_string()));
            for string in strings {
                assert_eq!(
                    built.exact_and_longer(&string),
                    built.exact_and_longer_by_walk(&string),
                    "{string:?}"
                );
                asked += 1;
            }
        }
        assert!(asked > 4 * keys.len());
        assert!(!built.exact_and_longer("baku").0.is_empty());
    }
}
