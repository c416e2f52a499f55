//! Live runs against servers on 127.0.0.1 that the tests start: a scripted server misbehaving
//! on purpose (each fault classified with its rule and JSON Pointer), the fixtures format, the
//! write guard and the dry run, and a known secret kept out of every output.

mod client_parts;
mod encoded_secrets;
mod faults;
mod fixtures;
mod safety;
pub(crate) mod support;
