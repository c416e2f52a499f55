//! Each generated type against its own emitted schema, payload texts in, pass or the body and
//! minimal failing JSON text out: the docs' examples, generated instances and mutations of both,
//! over every body of the project's specs and of the kitchen-sink fixture, each held to the
//! agreement's clauses (see `verdict`), with every clause's antecedent counted so that no run
//! passes vacuously.

mod fast_path;
mod instances;
mod mutations;
mod regressions;
mod verdict;

use std::cell::RefCell;
use std::collections::BTreeMap;

use codegen::SpecSources;
use codegen::model::{Direction, Object, Shape, UndocumentedFields};
use conformance::{BodyContract, Contracts};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestError, TestRunner};
use serde_json::Value;

use crate::{kitchen_sink_contracts, project_contracts};
use fast_path::{FastVerdict, fast_path_verdict};
use verdict::{Clause, agreement_verdict};

/// How many payloads a property test draws for each body.
const CASES_PER_BODY: u32 = 256;

/// Where every run's random choices start: runs are reproducible and their counts the same
/// every time. Change it to explore other payloads.
const SEED: u64 = 20_240_131;

/// The fewest payloads of each body that must meet clause (a)'s and (b)'s antecedents in a
/// property run of `CASES_PER_BODY` (and (c)'s, where a run asks it of every body that can).
const MINIMUM_PER_BODY: usize = 16;

/// The fewest payloads of a whole run (all bodies of one set of specs) that must meet clause
/// (c)'s antecedent.
const MINIMUM_PER_RUN: usize = 16;

/// What one body's payloads exercised.
#[derive(Debug, Default, Clone)]
struct Tally {
    /// Payloads per clause met.
    clauses: BTreeMap<Clause, usize>,
    /// Payloads the fast check vouched for (their findings the full check's).
    fast_vouched: usize,
    /// Payloads the schema accepts (unlisted fields aside) that the fast check declined.
    fast_declined_accepted: usize,
}

impl Tally {
    fn count(&self, clause: Clause) -> usize {
        self.clauses.get(&clause).copied().unwrap_or(0)
    }

    fn add(&mut self, other: &Tally) {
        for (clause, count) in &other.clauses {
            *self.clauses.entry(*clause).or_default() += count;
        }
        self.fast_vouched += other.fast_vouched;
        self.fast_declined_accepted += other.fast_declined_accepted;
    }

    fn count_fast(&mut self, verdict: FastVerdict) {
        match verdict {
            FastVerdict::Vouched => self.fast_vouched += 1,
            FastVerdict::DeclinedWhatTheSchemaAccepts => self.fast_declined_accepted += 1,
            FastVerdict::DeclinedWhatTheSchemaRefuses => {}
        }
    }

    fn describe(&self) -> String {
        let clauses = Clause::ALL
            .iter()
            .map(|clause| format!("{} {}", clause.label(), self.count(*clause)))
            .collect::<Vec<_>>()
            .join(", ");
        format!(
            "{clauses}; fast check vouched {}, declined what the schema accepts {}",
            self.fast_vouched, self.fast_declined_accepted
        )
    }
}

/// `crm/leads.create request`.
fn body_name(contract: &BodyContract) -> String {
    format!("{} {}", contract.key(), contract.direction.as_str())
}

/// A seed of its own for each body, from [`SEED`] and the body's name (FNV-1a).
fn seed_for(contract: &BodyContract, purpose: &str) -> u64 {
    format!("{} {purpose}", body_name(contract))
        .bytes()
        .fold(SEED ^ 0xcbf2_9ce4_8422_2325, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
        })
}

/// Runs payloads drawn from `strategy` through the agreement for one body; a disagreement
/// panics with the body and the minimal failing JSON text.
fn run_agreement_property(
    contract: &BodyContract,
    strategy: &BoxedStrategy<String>,
    purpose: &str,
) -> Tally {
    let config = Config {
        cases: CASES_PER_BODY,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(seed_for(contract, purpose)),
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let tally = RefCell::new(Tally::default());
    let result = runner.run(strategy, |text| {
        let fast = fast_path_verdict(contract, text.as_bytes())
            .map_err(|disagreement| TestCaseError::fail(disagreement.message))?;
        tally.borrow_mut().count_fast(fast);
        match agreement_verdict(contract, text.as_bytes()) {
            Ok(clause) => {
                *tally.borrow_mut().clauses.entry(clause).or_default() += 1;
                Ok(())
            }
            Err(disagreement) => Err(TestCaseError::fail(disagreement.message)),
        }
    });
    match result {
        Ok(()) => tally.into_inner(),
        Err(TestError::Fail(reason, text)) => panic!(
            "{} ({purpose}): {reason}\nminimal failing json: {text}",
            body_name(contract)
        ),
        Err(TestError::Abort(reason)) => panic!(
            "{} ({purpose}): the property run stopped: {reason}",
            body_name(contract)
        ),
    }
}

/// Whether the schema of a body refuses something its type keeps on purpose: a response with
/// an enum, or with an object that forbids unlisted fields.
fn has_leniency_the_schema_refuses(contract: &BodyContract) -> bool {
    fn object_has(object: &Object) -> bool {
        object.undocumented_fields == UndocumentedFields::Forbid
            || object.fields.iter().any(|field| shape_has(&field.shape))
    }
    fn shape_has(shape: &Shape) -> bool {
        match shape {
            Shape::Enum(_) => true,
            Shape::Object(object) => object_has(object),
            Shape::Array(items) => shape_has(&items.shape),
            Shape::Union(union) => union
                .variants
                .iter()
                .any(|variant| shape_has(&variant.shape)),
            _ => false,
        }
    }
    contract.direction == Direction::Response && object_has(&contract.object)
}

/// Checks that every body met clauses (a) and (b) often enough, and the run clause (c); with
/// `leniency_in_every_body`, every body whose schema refuses a leniency met (c) too.
fn assert_not_vacuous(tallies: &[(String, bool, Tally)], what: &str, leniency_in_every_body: bool) {
    let mut too_few = Vec::new();
    let mut leniencies_in_run = 0;
    let mut fast_vouched_in_run = 0;
    let mut fast_declined_in_run = 0;
    for (name, lenient, tally) in tallies {
        let mut wanted = vec![
            Clause::SchemaAcceptsAndTypeRoundTrips,
            Clause::TypeRefusesAndSchemaRefuses,
        ];
        if *lenient && leniency_in_every_body {
            wanted.push(Clause::TypeKeepsResponseLeniency);
        }
        for clause in wanted {
            if tally.count(clause) < MINIMUM_PER_BODY {
                too_few.push(format!(
                    "{name}: {} met {} times, fewer than {MINIMUM_PER_BODY}",
                    clause.label(),
                    tally.count(clause)
                ));
            }
        }
        leniencies_in_run += tally.count(Clause::TypeKeepsResponseLeniency);
        fast_vouched_in_run += tally.fast_vouched;
        fast_declined_in_run += tally.fast_declined_accepted;
    }
    // The fast check must vouch for most of what the schema accepts, or it only costs time.
    if fast_vouched_in_run < MINIMUM_PER_RUN || fast_vouched_in_run < fast_declined_in_run {
        too_few.push(format!(
            "the whole run: the fast check vouched for {fast_vouched_in_run} payloads and declined {fast_declined_in_run} the schema accepts"
        ));
    }
    if leniencies_in_run < MINIMUM_PER_RUN {
        too_few.push(format!(
            "the whole run: {} met {leniencies_in_run} times, fewer than {MINIMUM_PER_RUN}",
            Clause::TypeKeepsResponseLeniency.label()
        ));
    }
    assert!(
        too_few.is_empty(),
        "{what}: the payloads drawn no longer exercise every clause:\n{}",
        too_few.join("\n")
    );
}

/// Prints each body's counts (shown with `--nocapture`) and the totals.
fn print_tallies(tallies: &[(String, bool, Tally)], what: &str) {
    let mut total = Tally::default();
    for (name, _, tally) in tallies {
        eprintln!("{what}: {name}: {}", tally.describe());
        total.add(tally);
    }
    eprintln!("{what}: total: {}", total.describe());
}

/// The property over every body of `contracts`, with payloads from `strategy_for`.
fn run_over_every_body(
    contracts: &Contracts,
    purpose: &str,
    strategy_for: impl Fn(&BodyContract) -> BoxedStrategy<String>,
) -> Vec<(String, bool, Tally)> {
    contracts
        .bodies()
        .map(|contract| {
            let tally = run_agreement_property(contract, &strategy_for(contract), purpose);
            (
                body_name(contract),
                has_leniency_the_schema_refuses(contract),
                tally,
            )
        })
        .collect()
}

/// Every example payload of a body, parsed exactly.
fn examples_of(
    contracts: &Contracts,
    sources: &SpecSources,
    contract: &BodyContract,
) -> Vec<Value> {
    let (_, endpoint) = contracts
        .endpoint(&contract.key())
        .expect("every body belongs to an endpoint");
    endpoint
        .examples
        .iter()
        .filter_map(|example| example.payload(contract.direction))
        .filter_map(|payload| {
            let bytes = sources
                .get(&payload.file)
                .unwrap_or_else(|| panic!("example file {} is not in the sources", payload.file));
            // An example that is not JSON (recorded as known) seeds nothing.
            serde_json::from_slice(bytes).ok()
        })
        .collect()
}

/// The docs' examples, each as it is, meet the agreement; an example whose spec records no
/// discrepancy is one the schema accepts and the type round-trips exactly.
#[test]
fn examples_agree() {
    let mut failures = Vec::new();
    let mut tally = Tally::default();
    let mut checked = 0;
    let mut refused_by_both = Vec::new();
    let mut expected_refused_by_both = Vec::new();
    for (sources, contracts) in [project_contracts(), kitchen_sink_contracts()] {
        for service in &contracts.model.services {
            for endpoint in &service.endpoints {
                for example in &endpoint.examples {
                    for direction in Direction::BOTH {
                        let Some(payload) = example.payload(direction) else {
                            continue;
                        };
                        let contract = contracts
                            .body(&service.id, &endpoint.id, direction)
                            .expect("an example's body has a contract");
                        let bytes = sources
                            .get(&payload.file)
                            .expect("an example's file is in the sources");
                        // A request type has no leniency: both refuse exactly the JSON request
                        // examples the checker finds errors in.
                        let checker_refuses = conformance::check::check_payload(contract, bytes)
                            .findings
                            .iter()
                            .any(|finding| {
                                finding.severity == conformance::Severity::Error
                                    && finding.rule != conformance::Rule::NotJson
                            });
                        if direction == Direction::Request && checker_refuses {
                            expected_refused_by_both.push(payload.file.clone());
                        }
                        checked += 1;
                        match fast_path_verdict(contract, bytes) {
                            Ok(fast) => tally.count_fast(fast),
                            Err(disagreement) => failures.push(format!(
                                "{} ({}): {}",
                                payload.file,
                                body_name(contract),
                                disagreement.message
                            )),
                        }
                        match agreement_verdict(contract, bytes) {
                            Ok(clause) => {
                                *tally.clauses.entry(clause).or_default() += 1;
                                if clause == Clause::TypeRefusesAndSchemaRefuses
                                    && direction == Direction::Request
                                {
                                    refused_by_both.push(payload.file.clone());
                                }
                                if payload.known.is_empty()
                                    && clause != Clause::SchemaAcceptsAndTypeRoundTrips
                                {
                                    failures.push(format!(
                                        "{}: records no discrepancy, yet exercised {}",
                                        payload.file,
                                        clause.label()
                                    ));
                                }
                            }
                            Err(disagreement) => failures.push(format!(
                                "{} ({}): {}",
                                payload.file,
                                body_name(contract),
                                disagreement.message
                            )),
                        }
                    }
                }
            }
        }
    }
    eprintln!("examples: {checked} checked: {}", tally.describe());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The request examples that contradict their pages' tables (39-digit ids as bare numbers,
    // a date-time for a date, upper-case names, nulls, unlisted fields).
    refused_by_both.sort();
    expected_refused_by_both.sort();
    assert_eq!(
        refused_by_both, expected_refused_by_both,
        "the examples both the schema and the type refuse"
    );
}

#[test]
fn generated_instances_agree_on_real_specs() {
    let (_, contracts) = project_contracts();
    let tallies = run_over_every_body(&contracts, "generated instances", |contract| {
        instances::body_text(&contract.object)
    });
    print_tallies(&tallies, "generated instances, spec/");
    let bodies = contracts
        .model
        .services
        .iter()
        .flat_map(|service| &service.endpoints)
        .flat_map(|endpoint| Direction::BOTH.map(|direction| endpoint.body(direction)))
        .flatten()
        .count();
    assert_eq!(tallies.len(), bodies, "every body of every endpoint");
    assert_not_vacuous(&tallies, "generated instances, spec/", true);
}

#[test]
fn generated_instances_agree_on_kitchen_sink() {
    let (_, contracts) = kitchen_sink_contracts();
    let tallies = run_over_every_body(&contracts, "generated instances", |contract| {
        instances::body_text(&contract.object)
    });
    print_tallies(&tallies, "generated instances, kitchen sink");
    assert_eq!(
        tallies.len(),
        5,
        "three endpoints, each a response, two with a request"
    );
    assert_not_vacuous(&tallies, "generated instances, kitchen sink", true);
}

/// Mutations of the docs' examples and of valid generated instances.
#[test]
fn mutations_agree() {
    let mut every_body = Vec::new();
    for (what, (sources, contracts)) in [
        ("mutations, spec/", project_contracts()),
        ("mutations, kitchen sink", kitchen_sink_contracts()),
    ] {
        let tallies = run_over_every_body(&contracts, "mutations", |contract| {
            let examples = examples_of(&contracts, &sources, contract);
            let generated = instances::valid_body_text(&contract.object)
                .prop_map(|text| {
                    serde_json::from_str::<Value>(&text).unwrap_or_else(|error| {
                        panic!("generated text is not json ({error}): {text}")
                    })
                })
                .boxed();
            let seeds = if examples.is_empty() {
                generated
            } else {
                prop_oneof![1 => select(examples), 2 => generated].boxed()
            };
            mutations::mutated_text(seeds, &contract.object)
        });
        print_tallies(&tallies, what);
        every_body.extend(tallies);
    }
    // The real specs' one response leniency the schema refuses is a single optional enum, which
    // a random mutation seldom reaches: clause (c) is asked of the run, not of every body.
    assert_not_vacuous(&every_body, "mutations", false);
}
