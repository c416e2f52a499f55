//! The model and the spec sources in, the example files that are not byte-for-byte excerpts of
//! their saved pages out: the rule that examples are never edited, checked.

use crate::load::SpecSources;
use crate::model::Model;

/// Every example file (`spec/…`) whose bytes do not occur in its endpoint's saved page, with the
/// page, as `file is not a byte-for-byte excerpt of page`.
pub fn examples_not_copied_from_their_pages(model: &Model, sources: &SpecSources) -> Vec<String> {
    let mut problems = Vec::new();
    for (_, endpoint) in model.endpoints() {
        let page = sources.get(&endpoint.source.page).unwrap_or_default();
        for example in &endpoint.examples {
            for payload in [&example.request, &example.response].into_iter().flatten() {
                let bytes = sources.get(&payload.file).unwrap_or_default();
                let excerpt =
                    !bytes.is_empty() && page.windows(bytes.len()).any(|window| window == bytes);
                if !excerpt {
                    problems.push(format!(
                        "{} is not a byte-for-byte excerpt of {}",
                        payload.file, endpoint.source.page
                    ));
                }
            }
        }
    }
    problems
}
