//! Random credentials in, every output of a live run out: a server on 127.0.0.1 echoes the
//! credential it receives in every encoding a server or a tool may use (as written, upper- and
//! lower-cased, percent-encoded, JSON `\u`-escaped, base64 in both alphabets with and without
//! padding, alone and after `Bearer `, `Basic ` and `user:`-style prefixes of every alignment,
//! hex in both cases), and none of them may appear in the human (plain and colour), JSON and
//! JUnit reports, the dry-run listing or the progress callback.
//!
//! So that the property cannot hold vacuously, the server puts a canary (a random value that is
//! not a credential) beside each credential, in every encoding, in the same places: every
//! canary encoding must reach the human report verbatim, every credential encoding must have
//! been sent, and the counts are asserted at the end.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use conformance::live;
use conformance::report;
use proptest::prelude::*;

use super::support::{ReceivedRequest, Reply, ScriptedServer, http_response, vendor_fixture};

/// Characters of the random credentials and canaries: printable, header-safe, and none that a
/// report format escapes (`"`, `\`, `<`, `>`, `&`, `'`), so an encoding that reaches a report
/// reaches it verbatim; several that percent-encoding changes. At most 26 characters, so that
/// the longest encoding (six characters each, `\u0041`) fits in a value the human report shows
/// whole.
const TOKEN_PATTERN: &str = "[A-Za-z0-9._~+/=!#$%*:;?@^|-]{12,26}";

/// Every encoding of `token` the outputs are searched for, by name.
fn encodings(token: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = vec![
        ("as written".to_owned(), token.to_owned()),
        ("upper-cased".to_owned(), token.to_ascii_uppercase()),
        ("lower-cased".to_owned(), token.to_ascii_lowercase()),
        (
            "percent-encoded, upper-case hex".to_owned(),
            percent_encoded(token, true),
        ),
        (
            "percent-encoded, lower-case hex".to_owned(),
            percent_encoded(token, false),
        ),
        (
            "JSON, every character as \\u".to_owned(),
            token
                .chars()
                .map(|character| format!("\\u{:04x}", u32::from(character)))
                .collect(),
        ),
        (
            "JSON, punctuation as \\u".to_owned(),
            token
                .chars()
                .map(|character| {
                    if character.is_ascii_alphanumeric() {
                        character.to_string()
                    } else {
                        format!("\\u{:04X}", u32::from(character))
                    }
                })
                .collect(),
        ),
        (
            "hex, lower case".to_owned(),
            token.bytes().map(|byte| format!("{byte:02x}")).collect(),
        ),
        (
            "hex, upper case".to_owned(),
            token.bytes().map(|byte| format!("{byte:02X}")).collect(),
        ),
    ];
    let engines = [
        ("standard", &STANDARD),
        ("standard unpadded", &STANDARD_NO_PAD),
        ("URL-safe", &URL_SAFE),
        ("URL-safe unpadded", &URL_SAFE_NO_PAD),
    ];
    // `a:`, `ab:` and `abc:` give the three alignments of a `user:` prefix.
    for prefix in ["", "Bearer ", "Basic ", "user:", "a:", "ab:", "abc:"] {
        for (engine_name, engine) in engines {
            out.push((
                format!("base64 ({engine_name}) of `{prefix}<token>`"),
                engine.encode(format!("{prefix}{token}")),
            ));
        }
    }
    let mut seen = Vec::new();
    out.retain(|(_, text)| {
        let new = !seen.contains(text);
        seen.push(text.clone());
        new
    });
    out
}

fn percent_encoded(text: &str, upper_case_hex: bool) -> String {
    text.bytes()
        .map(|byte| {
            if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
                char::from(byte).to_string()
            } else if upper_case_hex {
                format!("%{byte:02X}")
            } else {
                format!("%{byte:02x}")
            }
        })
        .collect()
}

/// The credential a request carried (the token of `Bearer <token>`, or the key).
fn credential_of(request: &ReceivedRequest) -> String {
    request
        .header("authorization")
        .or_else(|| request.header("api-key"))
        .unwrap_or_default()
        .trim_start_matches("Bearer ")
        .to_owned()
}

/// The first status the endpoint at `path` documents, from the specs.
fn documented_status(path: &str) -> u16 {
    let (_, contracts) = vendor_fixture();
    contracts
        .model
        .services
        .iter()
        .flat_map(|service| &service.endpoints)
        .find(|endpoint| endpoint.path == path)
        .and_then(|endpoint| (100..600).find(|status| endpoint.response.status.accepts(*status)))
        .unwrap_or(200)
}

/// What the counts of one run add up to, over all cases of the property.
#[derive(Default)]
struct Preconditions {
    runs: AtomicUsize,
    credentials_received: AtomicUsize,
    secret_encodings_sent: AtomicUsize,
    canary_encodings_shown: AtomicUsize,
    outputs_searched: AtomicUsize,
}

fn check_no_encoding_in_any_output(
    crm_token: &str,
    ladiflow_key: &str,
    canary: &str,
    counts: &Preconditions,
) -> Result<(), TestCaseError> {
    let canary_encodings = encodings(canary);
    let answered_bytes = std::sync::Arc::new(Mutex::new(Vec::<u8>::new()));
    let server = {
        let canary_encodings = canary_encodings.clone();
        let answered_bytes = std::sync::Arc::clone(&answered_bytes);
        ScriptedServer::start(move |_, request| {
            let path = request.target.split('?').next().unwrap_or_default();
            let mut members = Vec::new();
            for (index, (_, text)) in encodings(&credential_of(request)).iter().enumerate() {
                members.push(format!(r#""echo_{index}": "{text}""#));
            }
            for (index, (_, text)) in canary_encodings.iter().enumerate() {
                members.push(format!(r#""canary_{index}": "{text}""#));
            }
            let body = format!("{{{}}}", members.join(", "));
            let bytes = http_response(
                documented_status(path),
                Some("application/json"),
                body.as_bytes(),
                &[],
            );
            if let Ok(mut answered) = answered_bytes.lock() {
                answered.extend_from_slice(&bytes);
            }
            Reply::Raw(bytes)
        })
    };
    let (sources, contracts) = vendor_fixture();
    let keys = live::select_endpoints(contracts, &live::Selection::default())
        .expect("every endpoint is selected");
    let services = live::services_of(&keys);
    let environment = |name: &str| match name {
        "CRM_TOKEN" => Some(crm_token.to_owned()),
        "LADIFLOW_API_KEY" => Some(ladiflow_key.to_owned()),
        _ => None,
    };
    let base_urls: BTreeMap<String, String> = services
        .iter()
        .map(|service| (service.clone(), server.base_url()))
        .collect();
    let targets = live::resolve_targets(contracts, &services, &base_urls, &environment)
        .expect("the environment is complete");
    let fixtures = super::support::mock_fixtures();
    let plan = live::build_plan(contracts, sources, &keys, targets, Some(&fixtures))
        .expect("the plan builds");

    let progress = Mutex::new(Vec::new());
    let live_report = live::run(contracts, &plan, &super::support::test_options(), &|step| {
        if let Ok(mut lines) = progress.lock() {
            lines.push(format!("{:?} {}", step.case, step.case.verdict()));
        }
    })
    .expect("writes are allowed");
    let human = report::human::render(&live_report, false);
    let outputs = [
        ("dry run", plan.render(true)),
        ("human", human.clone()),
        ("human in colour", report::human::render(&live_report, true)),
        ("json", report::json::render(&live_report)),
        ("junit", report::junit::render(&live_report)),
        (
            "progress",
            progress.into_inner().unwrap_or_default().join("\n"),
        ),
        ("report debug", format!("{live_report:?}")),
    ];

    // Preconditions: both credentials went out, every encoding of each came back in an answer,
    // and every canary encoding, sent beside them, reached the report unchanged.
    let received = server.received();
    let answered =
        String::from_utf8_lossy(&answered_bytes.lock().expect("not poisoned")).into_owned();
    for secret in [crm_token, ladiflow_key] {
        prop_assert!(
            received
                .iter()
                .any(|request| credential_of(request) == secret),
            "the credential was sent"
        );
        counts.credentials_received.fetch_add(1, Ordering::Relaxed);
        for (name, text) in encodings(secret) {
            prop_assert!(answered.contains(&text), "{name} was never in an answer");
            counts.secret_encodings_sent.fetch_add(1, Ordering::Relaxed);
        }
    }
    for (name, text) in &canary_encodings {
        // A JSON-escaped string reaches a report decoded (its value as exact JSON text): had
        // the escaped credential got through, the report would show it as written.
        let shown = if name.starts_with("JSON") {
            canary
        } else {
            text.as_str()
        };
        prop_assert!(
            human.contains(shown),
            "the canary's {name} `{text}` does not reach the human report, so the same place could not show a leak:\n{human}"
        );
        counts
            .canary_encodings_shown
            .fetch_add(1, Ordering::Relaxed);
    }

    for (output, text) in &outputs {
        for secret in [crm_token, ladiflow_key] {
            for (name, encoded) in encodings(secret) {
                prop_assert!(
                    !text.contains(&encoded),
                    "{output} shows the credential's {name} `{encoded}`:\n{text}"
                );
            }
        }
        counts.outputs_searched.fetch_add(1, Ordering::Relaxed);
    }
    counts.runs.fetch_add(1, Ordering::Relaxed);
    Ok(())
}

/// `PROPTEST_CASES` when set (for a longer run), `default` otherwise.
fn cases_or(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

#[test]
fn no_encoding_of_a_random_credential_appears_in_any_output() {
    let counts = Preconditions::default();
    let cases = cases_or(12);
    proptest!(
        ProptestConfig::with_cases(cases),
        |(crm_token in TOKEN_PATTERN, ladiflow_key in TOKEN_PATTERN, canary in TOKEN_PATTERN)| {
            prop_assume!(crm_token != ladiflow_key && canary != crm_token && canary != ladiflow_key);
            check_no_encoding_in_any_output(&crm_token, &ladiflow_key, &canary, &counts)?;
        }
    );
    let runs = counts.runs.load(Ordering::Relaxed);
    eprintln!(
        "encoded credentials: {runs} live runs, {} credential encodings echoed, {} canary encodings shown, {} outputs searched, none showed a credential",
        counts.secret_encodings_sent.load(Ordering::Relaxed),
        counts.canary_encodings_shown.load(Ordering::Relaxed),
        counts.outputs_searched.load(Ordering::Relaxed)
    );
    assert!(runs >= cases as usize / 2, "only {runs} runs were checked");
    assert_eq!(
        counts.credentials_received.load(Ordering::Relaxed),
        2 * runs
    );
    assert!(counts.secret_encodings_sent.load(Ordering::Relaxed) >= 2 * runs * 20);
    assert!(counts.canary_encodings_shown.load(Ordering::Relaxed) >= runs * 20);
    assert_eq!(counts.outputs_searched.load(Ordering::Relaxed), 7 * runs);
}
