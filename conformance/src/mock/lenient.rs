//! `--lenient service/endpoint:rule` in, the rule the mock lets pass for that endpoint out: for
//! showing a probe catching a server that does not do what its page says.

use crate::finding::Rule;

/// A request rule the mock lets pass for one endpoint (or every endpoint).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LenientRule {
    /// `service/endpoint`, or `*` for every endpoint.
    pub endpoint: String,
    /// The rule not enforced.
    pub rule: Rule,
}

impl LenientRule {
    /// Parses `crm/leads.create:required` (or `*:type`).
    pub fn parse(text: &str) -> Result<LenientRule, String> {
        let Some((endpoint, rule_name)) = text.rsplit_once(':') else {
            return Err(format!(
                "a lenient rule is `service/endpoint:rule` or `*:rule` (like `crm/leads.create:required`), found `{text}`"
            ));
        };
        let Some(rule) = Rule::ALL
            .into_iter()
            .find(|rule| rule.as_str() == rule_name)
        else {
            return Err(format!(
                "no rule `{rule_name}` in `{text}`; expected one of: {}",
                Rule::ALL.map(Rule::as_str).join(", ")
            ));
        };
        if endpoint != "*" && !endpoint.contains('/') {
            return Err(format!(
                "endpoints are named `service/endpoint` (or `*` for every endpoint), found `{endpoint}` in `{text}`"
            ));
        }
        Ok(LenientRule {
            endpoint: endpoint.to_owned(),
            rule,
        })
    }

    /// Whether this lets `rule` pass for `endpoint_key`.
    pub fn covers(&self, endpoint_key: &str, rule: Rule) -> bool {
        self.rule == rule && (self.endpoint == "*" || self.endpoint == endpoint_key)
    }
}
