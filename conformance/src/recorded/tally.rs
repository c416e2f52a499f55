//! Findings and counts of exchanges in, bounded tallies out: per endpoint and direction, each
//! kind of finding once (first value, how often, first line or entry numbers); unmatched method
//! and path pairs; unreadable lines or entries. A worker tallies one batch; the caller merges
//! batch tallies in input order, so the outcome is the same for any number of threads and any
//! batch size; the caps apply in first-seen order. A batch keeps at most as many kinds per case
//! as a report lists (memory stays bounded); only when one batch holds more kinds than that can
//! a later occurrence of a listed kind be counted in its rule's folded finding instead.

use std::collections::{BTreeMap, HashMap};

use codegen::model::Direction;

use crate::case::{Case, CaseSource, Report};
use crate::finding::{Finding, Rule, Severity, sort_findings};
use crate::recorded::routes::RouteTable;
use crate::recorded::statistics::{
    EndpointTally, RecordingStatistics, UnmatchedRoute, UnreadableEntry,
};
use crate::recorded::{
    LISTED_ENTRIES_PER_FINDING_KIND, LISTED_FINDING_KINDS_PER_CASE, LISTED_UNMATCHED_ROUTES,
    LISTED_UNREADABLE_ENTRIES, RecordingFormat, TRACKED_UNMATCHED_ROUTES,
};

/// What makes two findings the same kind.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct FindingKind {
    pub(crate) pointer: String,
    pub(crate) rule: Rule,
    pub(crate) severity: Severity,
    /// The message; for `not-json`, only what is wrong (not where the parser stopped).
    pub(crate) detail: String,
}

impl FindingKind {
    fn of(finding: &Finding) -> FindingKind {
        let detail = match finding.rule {
            Rule::NotJson => finding
                .message
                .split(':')
                .next()
                .unwrap_or_default()
                .to_owned(),
            _ => finding.message.clone(),
        };
        FindingKind {
            pointer: finding.pointer.clone(),
            rule: finding.rule,
            severity: finding.severity,
            detail,
        }
    }
}

/// One kind of finding: the first one seen, how often, where first.
#[derive(Debug, Clone)]
pub(crate) struct KindTally {
    pub(crate) first: Finding,
    pub(crate) occurrences: u64,
    pub(crate) first_entries: Vec<u64>,
}

impl KindTally {
    fn new(first: Finding, entry: u64) -> KindTally {
        KindTally {
            first,
            occurrences: 1,
            first_entries: vec![entry],
        }
    }

    fn seen_again(&mut self, entry: u64) {
        self.occurrences += 1;
        if self.first_entries.len() < LISTED_ENTRIES_PER_FINDING_KIND
            && self.first_entries.last() != Some(&entry)
        {
            self.first_entries.push(entry);
        }
    }

    fn absorb_later(&mut self, later: KindTally) {
        self.occurrences += later.occurrences;
        for entry in later.first_entries {
            if self.first_entries.len() >= LISTED_ENTRIES_PER_FINDING_KIND {
                break;
            }
            if self.first_entries.last() != Some(&entry) {
                self.first_entries.push(entry);
            }
        }
    }

    fn first_entry(&self) -> u64 {
        self.first_entries.first().copied().unwrap_or_default()
    }
}

/// One endpoint and direction.
#[derive(Debug, Clone, Default)]
pub(crate) struct CaseTally {
    pub(crate) first_entry: u64,
    pub(crate) exchanges: u64,
    pub(crate) exchanges_with_findings: u64,
    /// Exchanges with at least one error (not only warnings).
    pub(crate) exchanges_with_errors: u64,
    pub(crate) kinds: BTreeMap<FindingKind, KindTally>,
    /// Kinds beyond the cap, folded per rule and severity.
    pub(crate) folded: BTreeMap<(Rule, Severity), KindTally>,
}

impl CaseTally {
    pub(crate) fn absorb_later(&mut self, later: CaseTally) {
        if self.exchanges == 0 {
            self.first_entry = later.first_entry;
        }
        self.exchanges += later.exchanges;
        self.exchanges_with_findings += later.exchanges_with_findings;
        self.exchanges_with_errors += later.exchanges_with_errors;
        let mut later_kinds: Vec<(FindingKind, KindTally)> = later.kinds.into_iter().collect();
        later_kinds.sort_by_key(|(_, tally)| tally.first_entry());
        for (kind, tally) in later_kinds {
            if let Some(existing) = self.kinds.get_mut(&kind) {
                existing.absorb_later(tally);
            } else if self.kinds.len() < LISTED_FINDING_KINDS_PER_CASE {
                self.kinds.insert(kind, tally);
            } else {
                self.fold(kind, tally);
            }
        }
        for (key, tally) in later.folded {
            match self.folded.get_mut(&key) {
                Some(existing) => existing.absorb_later(tally),
                None => {
                    self.folded.insert(key, tally);
                }
            }
        }
    }

    fn fold(&mut self, kind: FindingKind, tally: KindTally) {
        match self.folded.get_mut(&(kind.rule, kind.severity)) {
            Some(existing) => existing.absorb_later(tally),
            None => {
                self.folded.insert((kind.rule, kind.severity), tally);
            }
        }
    }
}

/// How often an unmatched method and path occurred, and where first.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RouteCount {
    pub(crate) exchanges: u64,
    pub(crate) first_entry: u64,
}

/// The tally of a batch, or of the whole recording so far.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tally {
    pub(crate) cases: BTreeMap<(usize, Direction), CaseTally>,
    pub(crate) exchanges: u64,
    pub(crate) matched: u64,
    pub(crate) without_response_body: u64,
    pub(crate) full_checks: u64,
    pub(crate) unmatched: u64,
    pub(crate) unmatched_routes: HashMap<(String, String), RouteCount>,
    pub(crate) unmatched_not_tracked: u64,
    pub(crate) unreadable: u64,
    pub(crate) unreadable_listed: Vec<UnreadableEntry>,
}

/// What a report calls the endpoint of a route index: service, endpoint, spec file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RouteName {
    pub(crate) service: String,
    pub(crate) endpoint: String,
    pub(crate) spec_path: String,
}

/// The longest method or path kept for the unmatched list, in characters (longer ones are cut
/// when counted, so the list's memory stays bounded whatever the input).
const SHOWN_ROUTE_CHARS: usize = 200;

fn shortened(text: &str) -> String {
    if text.chars().count() <= SHOWN_ROUTE_CHARS {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(SHOWN_ROUTE_CHARS).collect();
        format!("{cut}…")
    }
}

impl Tally {
    /// An exchange's findings for the case of `route` and `direction`.
    pub(crate) fn record_findings(
        &mut self,
        route: usize,
        direction: Direction,
        entry: u64,
        findings: Vec<Finding>,
    ) {
        let case = self.cases.entry((route, direction)).or_default();
        if case.exchanges == 0 {
            case.first_entry = entry;
        }
        case.exchanges += 1;
        if !findings.is_empty() {
            case.exchanges_with_findings += 1;
        }
        if findings
            .iter()
            .any(|finding| finding.severity == Severity::Error)
        {
            case.exchanges_with_errors += 1;
        }
        for finding in findings {
            let kind = FindingKind::of(&finding);
            let full = case.kinds.len() >= LISTED_FINDING_KINDS_PER_CASE;
            match case.kinds.get_mut(&kind) {
                Some(tally) => tally.seen_again(entry),
                // A batch keeps no more kinds than a report lists, so memory stays bounded
                // whatever the batch holds; the rest are folded per rule right away.
                None if full => case.fold(kind, KindTally::new(finding, entry)),
                None => {
                    case.kinds.insert(kind, KindTally::new(finding, entry));
                }
            }
        }
    }

    /// An exchange no endpoint has.
    pub(crate) fn record_unmatched(&mut self, method: &str, path: &str, entry: u64) {
        self.unmatched += 1;
        let key = (shortened(&method.to_ascii_uppercase()), shortened(path));
        self.unmatched_routes
            .entry(key)
            .and_modify(|count| count.exchanges += 1)
            .or_insert(RouteCount {
                exchanges: 1,
                first_entry: entry,
            });
    }

    /// A line or entry that is not an exchange.
    pub(crate) fn record_unreadable(&mut self, entry: u64, reason: String) {
        self.unreadable += 1;
        self.unreadable_listed
            .push(UnreadableEntry { entry, reason });
    }

    /// Adds the tally of the batch that follows this one.
    pub(crate) fn absorb_later(&mut self, later: Tally) {
        self.exchanges += later.exchanges;
        self.matched += later.matched;
        self.without_response_body += later.without_response_body;
        self.full_checks += later.full_checks;
        for (key, case) in later.cases {
            self.cases.entry(key).or_default().absorb_later(case);
        }
        self.unmatched += later.unmatched;
        self.unmatched_not_tracked += later.unmatched_not_tracked;
        let mut later_routes: Vec<((String, String), RouteCount)> =
            later.unmatched_routes.into_iter().collect();
        later_routes.sort_by_key(|(_, count)| count.first_entry);
        for (key, count) in later_routes {
            if let Some(existing) = self.unmatched_routes.get_mut(&key) {
                existing.exchanges += count.exchanges;
            } else if self.unmatched_routes.len() < TRACKED_UNMATCHED_ROUTES {
                self.unmatched_routes.insert(key, count);
            } else {
                self.unmatched_not_tracked += count.exchanges;
            }
        }
        self.unreadable += later.unreadable;
        let mut later_unreadable = later.unreadable_listed;
        later_unreadable.sort_by_key(|unreadable| unreadable.entry);
        for unreadable in later_unreadable {
            if self.unreadable_listed.len() >= LISTED_UNREADABLE_ENTRIES {
                break;
            }
            self.unreadable_listed.push(unreadable);
        }
    }

    /// The report and statistics of the whole recording.
    pub(crate) fn into_outcome(
        self,
        routes: &RouteTable<'_>,
        file: &str,
        format: RecordingFormat,
        bytes: u64,
    ) -> (Report, RecordingStatistics) {
        self.into_outcome_named(
            &|route_index| {
                let route = routes.route(route_index);
                RouteName {
                    service: route.service.id.clone(),
                    endpoint: route.endpoint.id.clone(),
                    spec_path: route.endpoint.spec_path.clone(),
                }
            },
            file,
            format,
            bytes,
        )
    }

    /// `into_outcome` with the routes named by `name_of` (a merge has names, not routes).
    pub(crate) fn into_outcome_named(
        self,
        name_of: &dyn Fn(usize) -> RouteName,
        file: &str,
        format: RecordingFormat,
        bytes: u64,
    ) -> (Report, RecordingStatistics) {
        let word = format.entry_word();
        let mut cases = Vec::new();
        let mut endpoints = Vec::new();
        for ((route_index, direction), case) in self.cases {
            let route = name_of(route_index);
            endpoints.push(EndpointTally {
                service: route.service.clone(),
                endpoint: route.endpoint.clone(),
                direction,
                exchanges: case.exchanges,
                with_findings: case.exchanges_with_findings,
                with_errors: case.exchanges_with_errors,
            });
            let mut findings: Vec<Finding> = case
                .kinds
                .into_values()
                .map(|tally| aggregated_finding(tally, case.exchanges, direction, word))
                .collect();
            for ((rule, severity), tally) in case.folded {
                let mut folded = Finding::error(
                    "",
                    rule,
                    format!(
                        "further `{}` {} at pointers not listed (a report lists at most {LISTED_FINDING_KINDS_PER_CASE} kinds of finding per endpoint; the value is the first of them)",
                        rule.as_str(),
                        severity.as_str()
                    ),
                );
                folded.severity = severity;
                folded.value = tally.first.value.clone();
                let tally = KindTally {
                    first: folded,
                    ..tally
                };
                findings.push(aggregated_finding(tally, case.exchanges, direction, word));
            }
            sort_findings(&mut findings);
            cases.push(Case {
                service: route.service,
                endpoint: route.endpoint,
                direction,
                source: CaseSource::Recorded {
                    file: file.to_owned(),
                    entry: case.first_entry,
                },
                spec_path: route.spec_path,
                findings,
                vanished: Vec::new(),
                latency_ms: None,
            });
        }
        let distinct_unmatched_routes = self.unmatched_routes.len() as u64;
        let mut unmatched_routes: Vec<UnmatchedRoute> = self
            .unmatched_routes
            .into_iter()
            .map(|((method, path), count)| UnmatchedRoute {
                method,
                path,
                exchanges: count.exchanges,
                first_entry: count.first_entry,
            })
            .collect();
        unmatched_routes.sort_by(|a, b| {
            b.exchanges
                .cmp(&a.exchanges)
                .then(a.first_entry.cmp(&b.first_entry))
        });
        unmatched_routes.truncate(LISTED_UNMATCHED_ROUTES);
        let statistics = RecordingStatistics {
            file: file.to_owned(),
            format,
            bytes,
            exchanges: self.exchanges,
            matched: self.matched,
            without_response_body: self.without_response_body,
            full_checks: self.full_checks,
            endpoints,
            unmatched: self.unmatched,
            distinct_unmatched_routes,
            unmatched_routes,
            unmatched_not_tracked: self.unmatched_not_tracked,
            unreadable: self.unreadable,
            unreadable_entries: self.unreadable_listed,
        };
        (Report { cases }, statistics)
    }
}

/// One finding standing for every finding of its kind: the first one's pointer, rule, value and
/// spec location, its message followed by how often and where.
fn aggregated_finding(
    tally: KindTally,
    exchanges: u64,
    direction: Direction,
    word: &str,
) -> Finding {
    let noun = match direction {
        Direction::Request => "requests",
        Direction::Response => "responses",
    };
    let places = tally
        .first_entries
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let more = if tally.occurrences > tally.first_entries.len() as u64 {
        ", …"
    } else {
        ""
    };
    let plural = if tally.first_entries.len() == 1 {
        ""
    } else {
        "s"
    };
    let mut finding = tally.first;
    finding.message = format!(
        "{} [{} of {exchanges} {noun}; {word}{plural} {places}{more}]",
        finding.message, tally.occurrences
    );
    finding
}
