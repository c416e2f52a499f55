//! A shard's tally in, JSON out, and back: what `conformance merge` needs to combine the shards
//! of a recording exactly as one run would have (every kind of finding with its first finding,
//! count and first line or entry numbers; the unmatched pairs counted one by one; the first
//! unreadable lines). Bounded as the tally is: at most [`LISTED_FINDING_KINDS_PER_CASE`] kinds
//! per case, [`TRACKED_UNMATCHED_ROUTES`] pairs, [`LISTED_UNREADABLE_ENTRIES`] unreadable lines.
//!
//! [`LISTED_FINDING_KINDS_PER_CASE`]: crate::recorded::LISTED_FINDING_KINDS_PER_CASE
//! [`TRACKED_UNMATCHED_ROUTES`]: crate::recorded::TRACKED_UNMATCHED_ROUTES
//! [`LISTED_UNREADABLE_ENTRIES`]: crate::recorded::LISTED_UNREADABLE_ENTRIES

use codegen::diagnostic::SourceLocation;
use codegen::model::Direction;
use serde_json::{Map, Value, json};

use crate::finding::{Finding, Known, Rule, Severity};
use crate::recorded::statistics::UnreadableEntry;
use crate::recorded::tally::{CaseTally, FindingKind, KindTally, RouteCount, RouteName, Tally};

/// The tally as JSON; `name_of` names each route index.
pub(crate) fn tally_to_json(tally: &Tally, name_of: &dyn Fn(usize) -> RouteName) -> Value {
    let cases: Vec<Value> = tally
        .cases
        .iter()
        .map(|((route_index, direction), case)| {
            let name = name_of(*route_index);
            json!({
                "route": route_index,
                "service": name.service,
                "endpoint": name.endpoint,
                "spec_path": name.spec_path,
                "direction": direction.as_str(),
                "first_entry": case.first_entry,
                "exchanges": case.exchanges,
                "exchanges_with_findings": case.exchanges_with_findings,
                "exchanges_with_errors": case.exchanges_with_errors,
                "kinds": case.kinds.iter().map(|(kind, kind_tally)| json!({
                    "pointer": kind.pointer,
                    "rule": kind.rule.as_str(),
                    "severity": kind.severity.as_str(),
                    "detail": kind.detail,
                    "tally": kind_tally_to_json(kind_tally),
                })).collect::<Vec<_>>(),
                "folded": case.folded.iter().map(|((rule, severity), kind_tally)| json!({
                    "rule": rule.as_str(),
                    "severity": severity.as_str(),
                    "tally": kind_tally_to_json(kind_tally),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let mut routes: Vec<(&(String, String), &RouteCount)> = tally.unmatched_routes.iter().collect();
    routes.sort_by_key(|(key, count)| (count.first_entry, (*key).clone()));
    json!({
        "exchanges": tally.exchanges,
        "matched": tally.matched,
        "without_response_body": tally.without_response_body,
        "full_checks": tally.full_checks,
        "unmatched": tally.unmatched,
        "unmatched_not_tracked": tally.unmatched_not_tracked,
        "unreadable": tally.unreadable,
        "cases": cases,
        "unmatched_routes": routes.iter().map(|((method, path), count)| json!({
            "method": method,
            "path": path,
            "exchanges": count.exchanges,
            "first_entry": count.first_entry,
        })).collect::<Vec<_>>(),
        "unreadable_listed": tally.unreadable_listed.iter().map(|unreadable| json!({
            "entry": unreadable.entry,
            "reason": unreadable.reason,
        })).collect::<Vec<_>>(),
    })
}

fn kind_tally_to_json(tally: &KindTally) -> Value {
    json!({
        "first": finding_to_json(&tally.first),
        "occurrences": tally.occurrences,
        "first_entries": tally.first_entries,
    })
}

fn finding_to_json(finding: &Finding) -> Value {
    let mut map = Map::new();
    map.insert("pointer".into(), json!(finding.pointer));
    map.insert("rule".into(), json!(finding.rule.as_str()));
    map.insert("severity".into(), json!(finding.severity.as_str()));
    map.insert("message".into(), json!(finding.message));
    if let Some(value) = &finding.value {
        map.insert("value".into(), json!(value));
    }
    if let Some(location) = &finding.spec_location {
        map.insert("spec".into(), location_to_json(location));
    }
    if let Some(known) = &finding.known {
        map.insert(
            "known".into(),
            json!({"reason": known.reason, "at": location_to_json(&known.location)}),
        );
    }
    Value::Object(map)
}

fn location_to_json(location: &SourceLocation) -> Value {
    json!({"path": location.path, "line": location.line, "column": location.column})
}

/// A route as a shard report names it, with its index in the route table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NamedRoute {
    pub(crate) index: usize,
    pub(crate) name: RouteName,
}

/// Reads a tally written by [`tally_to_json`], adding `entry_offset` to every line or entry
/// number; also the routes it names. The error says which member is wrong.
pub(crate) fn tally_from_json(
    value: &Value,
    entry_offset: u64,
) -> Result<(Tally, Vec<NamedRoute>), String> {
    let mut tally = Tally {
        exchanges: number(value, "exchanges")?,
        matched: number(value, "matched")?,
        without_response_body: number(value, "without_response_body")?,
        full_checks: number(value, "full_checks")?,
        unmatched: number(value, "unmatched")?,
        unmatched_not_tracked: number(value, "unmatched_not_tracked")?,
        unreadable: number(value, "unreadable")?,
        ..Tally::default()
    };
    let mut routes = Vec::new();
    for case in array(value, "cases")? {
        let index = usize::try_from(number(case, "route")?)
            .map_err(|_| "`route` is too large".to_owned())?;
        let direction = match text(case, "direction")? {
            "request" => Direction::Request,
            "response" => Direction::Response,
            other => {
                return Err(format!(
                    "`direction` is {other:?}, expected request or response"
                ));
            }
        };
        routes.push(NamedRoute {
            index,
            name: RouteName {
                service: text(case, "service")?.to_owned(),
                endpoint: text(case, "endpoint")?.to_owned(),
                spec_path: text(case, "spec_path")?.to_owned(),
            },
        });
        let mut case_tally = CaseTally {
            first_entry: number(case, "first_entry")? + entry_offset,
            exchanges: number(case, "exchanges")?,
            exchanges_with_findings: number(case, "exchanges_with_findings")?,
            exchanges_with_errors: number(case, "exchanges_with_errors")?,
            ..CaseTally::default()
        };
        for kind in array(case, "kinds")? {
            let key = FindingKind {
                pointer: text(kind, "pointer")?.to_owned(),
                rule: rule(kind)?,
                severity: severity(kind)?,
                detail: text(kind, "detail")?.to_owned(),
            };
            case_tally.kinds.insert(
                key,
                kind_tally_from_json(member(kind, "tally")?, entry_offset)?,
            );
        }
        for folded in array(case, "folded")? {
            case_tally.folded.insert(
                (rule(folded)?, severity(folded)?),
                kind_tally_from_json(member(folded, "tally")?, entry_offset)?,
            );
        }
        if tally.cases.insert((index, direction), case_tally).is_some() {
            return Err(format!(
                "route {index} {} is listed twice",
                direction.as_str()
            ));
        }
    }
    for route in array(value, "unmatched_routes")? {
        tally.unmatched_routes.insert(
            (
                text(route, "method")?.to_owned(),
                text(route, "path")?.to_owned(),
            ),
            RouteCount {
                exchanges: number(route, "exchanges")?,
                first_entry: number(route, "first_entry")? + entry_offset,
            },
        );
    }
    for unreadable in array(value, "unreadable_listed")? {
        tally.unreadable_listed.push(UnreadableEntry {
            entry: number(unreadable, "entry")? + entry_offset,
            reason: text(unreadable, "reason")?.to_owned(),
        });
    }
    Ok((tally, routes))
}

fn kind_tally_from_json(value: &Value, entry_offset: u64) -> Result<KindTally, String> {
    let first_entries = array(value, "first_entries")?
        .iter()
        .map(|entry| {
            entry
                .as_u64()
                .map(|entry| entry + entry_offset)
                .ok_or_else(|| "`first_entries` holds something other than a number".to_owned())
        })
        .collect::<Result<Vec<u64>, String>>()?;
    Ok(KindTally {
        first: finding_from_json(member(value, "first")?)?,
        occurrences: number(value, "occurrences")?,
        first_entries,
    })
}

fn finding_from_json(value: &Value) -> Result<Finding, String> {
    let spec_location = match value.get("spec") {
        Some(location) => Some(location_from_json(location)?),
        None => None,
    };
    let known = match value.get("known") {
        Some(known) => Some(Known {
            reason: text(known, "reason")?.to_owned(),
            location: location_from_json(member(known, "at")?)?,
        }),
        None => None,
    };
    Ok(Finding {
        pointer: text(value, "pointer")?.to_owned(),
        rule: rule(value)?,
        severity: severity(value)?,
        message: text(value, "message")?.to_owned(),
        value: match value.get("value") {
            Some(Value::String(text)) => Some(text.clone()),
            Some(_) => return Err("`value` is not a string".to_owned()),
            None => None,
        },
        spec_location,
        known,
    })
}

fn location_from_json(value: &Value) -> Result<SourceLocation, String> {
    Ok(SourceLocation {
        path: text(value, "path")?.to_owned(),
        line: number(value, "line")?,
        column: number(value, "column")?,
    })
}

fn member<'v>(value: &'v Value, name: &str) -> Result<&'v Value, String> {
    value
        .get(name)
        .ok_or_else(|| format!("missing member `{name}`"))
}

fn number(value: &Value, name: &str) -> Result<u64, String> {
    member(value, name)?
        .as_u64()
        .ok_or_else(|| format!("`{name}` is not a whole number"))
}

fn text<'v>(value: &'v Value, name: &str) -> Result<&'v str, String> {
    member(value, name)?
        .as_str()
        .ok_or_else(|| format!("`{name}` is not a string"))
}

fn array<'v>(value: &'v Value, name: &str) -> Result<&'v Vec<Value>, String> {
    member(value, name)?
        .as_array()
        .ok_or_else(|| format!("`{name}` is not an array"))
}

fn rule(value: &Value) -> Result<Rule, String> {
    let name = text(value, "rule")?;
    Rule::ALL
        .into_iter()
        .find(|rule| rule.as_str() == name)
        .ok_or_else(|| format!("`rule` is {name:?}, not a rule this checker knows"))
}

fn severity(value: &Value) -> Result<Severity, String> {
    match text(value, "severity")? {
        "error" => Ok(Severity::Error),
        "warning" => Ok(Severity::Warning),
        other => Err(format!(
            "`severity` is {other:?}, expected error or warning"
        )),
    }
}
