//! The table-derived corpus (`codegen::emit_corpus`), run through our checker: every payload the
//! page's table says is valid passes, and every invalid one fails with the rule and the JSON
//! Pointer its derivation names. The same files feed the foreign validators.

use codegen::emit_corpus::corpus_cases;
use codegen::model::Direction;
use conformance::check::check_payload;
use conformance::{Contracts, Rule, Severity};

use crate::{kitchen_sink_contracts, project_root, spec_dir};

fn contracts() -> Contracts {
    let sources = spec_dir::read_spec_sources(&project_root()).expect("spec/ is readable");
    let model = codegen::load_model(&sources).expect("the specs load");
    Contracts::for_generated_crate(model).expect("generated/ matches the specs")
}

#[test]
fn every_corpus_verdict_holds() {
    let mut checked = 0;
    let mut invalid_seen = std::collections::BTreeSet::new();
    let mut failures = Vec::new();
    // The project's specs, and the kitchen sink, which has every construct (shared shapes,
    // limits) the project's specs may not use yet.
    for contracts in [contracts(), kitchen_sink_contracts().1] {
        for service in &contracts.model.services {
            for endpoint in &service.endpoints {
                for direction in Direction::BOTH {
                    let Some(body) = endpoint.body(direction) else {
                        continue;
                    };
                    let contract = contracts
                        .body(&service.id, &endpoint.id, direction)
                        .expect("every body has a contract");
                    for case in corpus_cases(service, body) {
                        checked += 1;
                        let bytes = serde_json::to_vec(&case.payload).expect("payloads serialize");
                        let check = check_payload(contract, &bytes);
                        let label = format!(
                            "{}/{} {} `{}`",
                            service.id,
                            endpoint.id,
                            direction.as_str(),
                            case.name
                        );
                        if let Some(disagreement) = check
                            .findings
                            .iter()
                            .find(|finding| finding.rule == Rule::GeneratorDisagreement)
                        {
                            failures.push(format!("{label}: {}", disagreement.message));
                        }
                        let errors: Vec<_> = check
                            .findings
                            .iter()
                            .filter(|finding| finding.severity == Severity::Error)
                            .collect();
                        match &case.violation {
                            None => {
                                if !check.schema_accepts || !errors.is_empty() {
                                    failures.push(format!(
                                        "{label}: expected valid, found {:?}",
                                        errors
                                            .iter()
                                            .map(|f| (f.rule.as_str(), f.pointer.as_str()))
                                            .collect::<Vec<_>>()
                                    ));
                                }
                            }
                            Some((rule, pointer)) => {
                                invalid_seen.insert(*rule);
                                let found = errors.iter().any(|finding| {
                                    finding.rule == *rule && &finding.pointer == pointer
                                });
                                if check.schema_accepts || !found {
                                    failures.push(format!(
                                        "{label}: expected `{}` at `{pointer}`, found {:?}",
                                        rule.as_str(),
                                        errors
                                            .iter()
                                            .map(|f| (f.rule.as_str(), f.pointer.as_str()))
                                            .collect::<Vec<_>>()
                                    ));
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked > 300, "only {checked} corpus cases");
    for rule in [
        Rule::Required,
        Rule::Type,
        Rule::Format,
        Rule::Enum,
        Rule::Constraint,
        Rule::UndocumentedField,
        Rule::AtLeastOneOf,
    ] {
        assert!(
            invalid_seen.contains(&rule),
            "no corpus case breaks `{}`",
            rule.as_str()
        );
    }
}
