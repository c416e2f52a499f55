//! The live client's small parts, table by table: `Retry-After` values in, waits out;
//! `Location` headers in, absolute URLs out; URLs in, origins (what decides whether a credential
//! follows a redirect) out; base URLs in, accepted or refused with a reason.

use std::time::Duration;

use conformance::live::client::{Origin, parse_retry_after, resolve_location};
use conformance::live::target::BaseUrl;
use conformance::live::{RetryDecision, RetryPolicy};

#[test]
fn retry_after_values_become_waits() {
    let cases: &[(&str, Option<Duration>)] = &[
        ("0", Some(Duration::ZERO)),
        ("7", Some(Duration::from_secs(7))),
        (" 12 ", Some(Duration::from_secs(12))),
        // A date in the past means now.
        ("Sun, 06 Nov 1994 08:49:37 GMT", Some(Duration::ZERO)),
        ("soon", None),
        ("-1", None),
        ("Sun, 06 Nov 1994 08:49:37 CET", None),
    ];
    for (value, expected) in cases {
        assert_eq!(parse_retry_after(value), *expected, "Retry-After: {value}");
    }
}

/// The retry policy, one answer at a time: attempts so far, `Retry-After`, time waited so far in;
/// wait or stop out. Issue 17: `Retry-After: 29` with a 10 s budget once cost 87 s on one case.
#[test]
fn retries_stop_at_the_attempts_the_longest_wait_and_the_budget_per_case() {
    let policy = RetryPolicy {
        max_retries: 3,
        first_backoff: Duration::from_millis(500),
        longest_wait: Duration::from_secs(30),
        wait_budget: Duration::from_secs(10),
    };
    let wait = |seconds: f64| RetryDecision::WaitAndRetry(Duration::from_secs_f64(seconds));
    let stop = |note: &str| RetryDecision::Stop(note.to_owned());
    let cases: Vec<(u32, Option<&str>, u64, RetryDecision)> = vec![
        (1, None, 0, wait(0.5)),
        (2, None, 500, wait(1.0)),
        (3, None, 1500, wait(2.0)),
        (
            4,
            None,
            3500,
            stop("still 429 after 4 attempts (--retries 3)"),
        ),
        (1, Some("4"), 0, wait(4.0)),
        (2, Some("4"), 4000, wait(4.0)),
        (
            3,
            Some("4"),
            8000,
            stop(
                "not retried: `Retry-After` asks for 4 s, more than the 2 s left of the retry budget of 10 s per case (--retry-budget)",
            ),
        ),
        (
            1,
            Some("29"),
            0,
            stop(
                "not retried: `Retry-After` asks for 29 s, more than the 10 s left of the retry budget of 10 s per case (--retry-budget)",
            ),
        ),
        (
            1,
            Some("31"),
            0,
            stop("not retried: `Retry-After` asks for 31 s, more than the longest wait of 30 s"),
        ),
        (
            3,
            None,
            9000,
            stop(
                "not retried: the next backoff is 2 s, more than the 1 s left of the retry budget of 10 s per case (--retry-budget)",
            ),
        ),
    ];
    for (attempts, retry_after, waited_ms, expected) in cases {
        assert_eq!(
            policy.decide(attempts, 429, retry_after, Duration::from_millis(waited_ms)),
            expected,
            "attempt {attempts}, Retry-After {retry_after:?}, waited {waited_ms} ms"
        );
    }
}

#[test]
fn a_retry_after_date_in_the_future_is_waited_for_until_then() {
    let wait = parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT").expect("an IMF-fixdate parses");
    assert!(
        wait > Duration::from_secs(60 * 60 * 24 * 365 * 7000),
        "{wait:?}"
    );
}

#[test]
fn locations_resolve_against_the_current_url() {
    let current = "http://127.0.0.1:8080/v2/tickets/create?x=1";
    let cases: &[(&str, Option<&str>)] = &[
        ("/v2/other", Some("http://127.0.0.1:8080/v2/other")),
        ("moved", Some("http://127.0.0.1:8080/v2/tickets/moved")),
        (
            "?page=2",
            Some("http://127.0.0.1:8080/v2/tickets/create?page=2"),
        ),
        ("//elsewhere.example/a", Some("http://elsewhere.example/a")),
        ("https://api.example/b", Some("https://api.example/b")),
        ("ftp://files.example/c", None),
        ("", None),
        ("/with space", None),
    ];
    for (location, expected) in cases {
        assert_eq!(
            resolve_location(current, location).as_deref(),
            *expected,
            "Location: {location}"
        );
    }
}

#[test]
fn origins_decide_where_the_credential_may_go() {
    let base = Origin::of("https://crm.example/v2/accounts/create");
    let cases: &[(&str, bool)] = &[
        ("https://crm.example/elsewhere", true),
        ("https://CRM.example:443/x", true),
        ("http://crm.example/x", false),
        ("https://crm.example:8443/x", false),
        ("https://evil.example/x", false),
        ("https://crm.example.evil.example/x", false),
        ("https://user@crm.example/x", true),
    ];
    for (url, same) in cases {
        assert_eq!(Origin::of(url) == base, *same, "{url}");
    }
}

#[test]
fn base_urls_are_checked() {
    let cases: &[(&str, Result<&str, &str>)] = &[
        ("http://127.0.0.1:8080", Ok("http://127.0.0.1:8080")),
        ("http://127.0.0.1:8080/", Ok("http://127.0.0.1:8080")),
        (
            "HTTPS://Acme.CRM.example/api/",
            Ok("https://acme.crm.example/api"),
        ),
        ("127.0.0.1:8080", Err("expected `http://` or `https://`")),
        ("ftp://x", Err("the scheme must be `http` or `https`")),
        ("http://user:pw@host", Err("user information")),
        ("http://host/?q=1", Err("no query or fragment")),
        ("http://host:99999", Err("the port must be a number")),
        ("http://", Err("the host is missing")),
    ];
    for (text, expected) in cases {
        match (BaseUrl::parse(text), expected) {
            (Ok(url), Ok(rendered)) => assert_eq!(url.render(), *rendered, "{text}"),
            (Err(reason), Err(words)) => assert!(reason.contains(words), "{text}: {reason}"),
            (got, _) => panic!("{text}: expected {expected:?}, got {got:?}"),
        }
    }
}
