//! The mock server held to its bounds with the clients of issue 17: a thousand stalled
//! connections in, a normal request still answered; a slowloris head, an idle connection and a
//! stalled body in, each closed or refused after its timeout; a connection past the limit in,
//! closed at once; a head past the header bound in, 431; a body past the body bound in, 413;
//! a body while the bodies held over every connection are at their bound, 503.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use conformance::mock::{MockHandle, MockOptions, serve};

use crate::live::support::vendor_fixture;

const TICKET: &str = r#"{"subject": "בדיקה", "status": "233476065495939904005866822871905093425"}"#;

/// Stalled connections held open at once in the first test (issue 17 used 1,000).
const STALLED_CONNECTIONS: usize = 1000;

fn start_mock(options: MockOptions) -> MockHandle {
    let (sources, contracts) = vendor_fixture();
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding 127.0.0.1:0");
    serve(Arc::clone(contracts), sources, listener, options).expect("the mock starts")
}

/// A valid ticket request written by hand, as raw bytes.
fn ticket_request() -> Vec<u8> {
    format!(
        "POST /v2/tickets/create HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer mock-token-123\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{TICKET}",
        TICKET.len()
    )
    .into_bytes()
}

/// Sends `request` on a new connection and reads the whole answer (the mock closes it), or
/// `None` when the connection was closed without an answer.
fn exchange(mock: &MockHandle, request: &[u8]) -> Option<String> {
    let mut stream = TcpStream::connect(mock.address()).expect("connecting to the mock");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("a read timeout");
    stream.write_all(request).ok()?;
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    (!answer.is_empty()).then(|| String::from_utf8_lossy(&answer).into_owned())
}

fn status_of(answer: &str) -> &str {
    answer.split(' ').nth(1).unwrap_or_default()
}

/// What the mock sent before closing `stream` (end of file or reset) within `within`; `None`
/// when it kept the connection open.
fn closed_by_the_mock(stream: &mut TcpStream, within: Duration) -> Option<String> {
    stream
        .set_read_timeout(Some(within))
        .expect("a read timeout");
    let mut answer = Vec::new();
    match stream.read_to_end(&mut answer) {
        Ok(_) => Some(String::from_utf8_lossy(&answer).into_owned()),
        Err(error) if error.kind() == std::io::ErrorKind::ConnectionReset => {
            Some(String::from_utf8_lossy(&answer).into_owned())
        }
        Err(_) => None,
    }
}

/// Raises this process's soft limit of open files to its hard limit, and returns how many
/// connections the test may hold: both ends of each are in this process.
#[allow(
    unsafe_code,
    reason = "raising the open-files limit has no safe std API; the calls only read and write `limit`"
)]
fn connections_the_file_limit_allows(wanted: usize) -> usize {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `limit` is a valid `rlimit` for getrlimit and setrlimit to read and write.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 && limit.rlim_cur < limit.rlim_max
        {
            limit.rlim_cur = limit.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
            libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit);
        }
    }
    // Two descriptors per connection, and room for everything else the tests open.
    let room = (limit.rlim_cur as usize).saturating_sub(512) / 2;
    wanted.min(room)
}

#[test]
fn a_normal_client_is_served_while_a_thousand_stalled_ones_hang_on() {
    let mock = start_mock(MockOptions {
        header_timeout: Duration::from_secs(60),
        body_timeout: Duration::from_secs(60),
        ..MockOptions::default()
    });
    let count = connections_the_file_limit_allows(STALLED_CONNECTIONS);
    if count < STALLED_CONNECTIONS {
        println!(
            "the open-files limit allows {count} stalled connections, not {STALLED_CONNECTIONS}"
        );
    }
    assert!(count >= 100, "the open-files limit allows only {count}");
    let mut stalled = Vec::with_capacity(count);
    for index in 0..count {
        let mut stream = TcpStream::connect(mock.address()).expect("a stalled client connects");
        // Half send part of a head, half part of a large body; none finishes.
        let part: &[u8] = if index % 2 == 0 {
            b"POST /v2/tickets/create HTTP/1.1\r\nHost: 1"
        } else {
            b"POST /v2/tickets/create HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer mock-token-123\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{\"subject\": \""
        };
        stream.write_all(part).expect("the stalled client writes");
        stalled.push(stream);
    }
    let answer = exchange(&mock, &ticket_request()).expect("the normal client is answered");
    assert_eq!(status_of(&answer), "201", "{answer}");
    drop(stalled);
}

#[test]
fn slow_heads_idle_connections_and_stalled_bodies_are_cut_off_after_their_timeouts() {
    let mock = start_mock(MockOptions {
        header_timeout: Duration::from_millis(300),
        body_timeout: Duration::from_millis(300),
        ..MockOptions::default()
    });
    // A slowloris head: one header line, then nothing.
    let mut slowloris = TcpStream::connect(mock.address()).expect("connecting");
    slowloris
        .write_all(b"POST /v2/tickets/create HTTP/1.1\r\nX-Slow: 1\r\n")
        .expect("writing the first line");
    let answer = closed_by_the_mock(&mut slowloris, Duration::from_secs(10));
    assert!(
        answer.is_some(),
        "the slowloris connection is closed after the header timeout"
    );

    // A connection that never sends a byte.
    let mut idle = TcpStream::connect(mock.address()).expect("connecting");
    assert_eq!(
        closed_by_the_mock(&mut idle, Duration::from_secs(10)).as_deref(),
        Some(""),
        "an idle connection is closed without an answer"
    );

    // A body that stops halfway.
    let mut stalled_body = TcpStream::connect(mock.address()).expect("connecting");
    stalled_body
        .write_all(b"POST /v2/tickets/create HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer mock-token-123\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"subject\": ")
        .expect("writing half a request");
    let answer = closed_by_the_mock(&mut stalled_body, Duration::from_secs(10)).expect("an answer");
    assert_eq!(status_of(&answer), "408", "{answer}");
}

#[test]
fn connections_past_the_limit_are_closed_and_oversized_heads_and_bodies_refused() {
    let mock = start_mock(MockOptions {
        max_connections: 2,
        max_header_bytes: 1024,
        max_body_bytes: 1024,
        header_timeout: Duration::from_secs(30),
        ..MockOptions::default()
    });
    let held: Vec<TcpStream> = (0..2)
        .map(|_| TcpStream::connect(mock.address()).expect("connecting"))
        .collect();
    // Give the mock time to accept the two held connections before the third.
    std::thread::sleep(Duration::from_millis(200));
    let mut third = TcpStream::connect(mock.address()).expect("the third connects");
    let _ = third.write_all(&ticket_request());
    assert_eq!(
        closed_by_the_mock(&mut third, Duration::from_secs(10)).as_deref(),
        Some(""),
        "the connection past the limit is closed without an answer"
    );
    drop(held);
    std::thread::sleep(Duration::from_millis(200));

    let long_header = format!(
        "GET /v2/tickets/create HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Long: {}\r\nConnection: close\r\n\r\n",
        "a".repeat(4096)
    );
    let answer = exchange(&mock, long_header.as_bytes()).expect("an answer");
    assert_eq!(status_of(&answer), "431", "{answer}");

    let big_body = format!(r#"{{"subject": "{}", "status": "1"}}"#, "x".repeat(4096));
    let request = format!(
        "POST /v2/tickets/create HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer mock-token-123\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{:x}\r\n{big_body}\r\n0\r\n\r\n",
        big_body.len()
    );
    let answer = exchange(&mock, request.as_bytes()).expect("an answer");
    assert_eq!(status_of(&answer), "413", "{answer}");

    let answer = exchange(&mock, &ticket_request()).expect("an answer");
    assert_eq!(status_of(&answer), "201", "{answer}");
}

/// Issue 17: a thousand stalled 1 MB bodies grew the mock to 1.7 GB. Bodies held at once are
/// bounded over every connection: past the bound a request gets 503, and once the stalled body
/// times out the bytes it held are free again.
#[test]
fn bodies_held_at_once_are_bounded_over_every_connection() {
    let mock = start_mock(MockOptions {
        max_buffered_body_bytes: 2048,
        body_timeout: Duration::from_millis(500),
        ..MockOptions::default()
    });
    let mut stalled = TcpStream::connect(mock.address()).expect("connecting");
    let part = format!("{{\"subject\": \"{}", "x".repeat(2000));
    stalled
        .write_all(
            format!(
                "POST /v2/tickets/create HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer mock-token-123\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{part}"
            )
            .as_bytes(),
        )
        .expect("writing most of a body");
    // Let the mock read what was sent before the next request arrives.
    std::thread::sleep(Duration::from_millis(300));
    let answer = exchange(&mock, &ticket_request()).expect("an answer");
    assert_eq!(status_of(&answer), "503", "{answer}");
    let answer = closed_by_the_mock(&mut stalled, Duration::from_secs(10)).expect("an answer");
    assert_eq!(status_of(&answer), "408", "{answer}");
    let answer = exchange(&mock, &ticket_request()).expect("an answer");
    assert_eq!(status_of(&answer), "201", "{answer}");
}
