//! A consumer's own program (compiled by `xtask/tests/consumer_crate.rs` in a crate outside the
//! workspace): its own serde code first, then the generated types reading payloads given as
//! files on the command line. Prints one `name: value` line per check; the test compares them.

use std::collections::BTreeMap;

use serde::Deserialize;

/// The consumer's own type, unrelated to the generated crate: a flattened map beside an `f64`,
/// which `arbitrary_precision` in the build would break.
#[derive(Deserialize)]
struct OwnOrder {
    price: f64,
    #[serde(flatten)]
    rest: BTreeMap<String, serde_json::Value>,
}

fn main() {
    let mut arguments = std::env::args().skip(1);
    let own_code = arguments.next().as_deref() == Some("with-own-code");
    if own_code {
        match serde_json::from_str::<OwnOrder>(r#"{"price": 1.5, "note": "x"}"#) {
            Ok(order) => println!("own flatten with f64: {} and {} more", order.price, order.rest.len()),
            Err(error) => println!("own flatten with f64: error: {error}"),
        }
        let value: serde_json::Value = serde_json::from_str("1.50").expect("json");
        println!("own value 1.50 prints: {value}");
    }
    let read = |path: Option<String>| std::fs::read_to_string(path.expect("a payload path")).expect("readable");
    let response_text = read(arguments.next());
    let response: generated::ladiflow::CustomerCreateResponse =
        serde_json::from_str(&response_text).expect("the response reads");
    println!("listed number: {}", response.code);
    for (name, value) in &response.undocumented_fields {
        println!("unlisted {name}: {value}");
    }
    for (name, value) in &response.data.undocumented_fields {
        println!("nested unlisted {name}: {value}");
    }
    if let Some(year) = &response.data.dob_year {
        println!("nested integer: {year}");
    }
    let through_reader: generated::ladiflow::CustomerCreateResponse =
        serde_json::from_reader(response_text.as_bytes()).expect("the response reads from a reader");
    println!("same through a reader: {}", through_reader == response);
    let through_value: generated::ladiflow::CustomerCreateResponse = serde_json::from_value(
        serde_json::from_str::<serde_json::Value>(&response_text).expect("json"),
    )
    .expect("the response reads from a value");
    println!("listed number through a value: {}", through_value.code);
}
