//! Nothing in; the names every emitter shares out: the folder generated files go under, the
//! Rust support module copied into the generated crate, and the map of generated files. Kept
//! apart from `lib.rs` so the emitters never import from the crate root that imports them.

use std::collections::BTreeMap;

/// The folder, relative to the project root, every generated file goes under.
pub const GENERATED_ROOT: &str = "generated";

/// The Rust support module copied into the generated crate as `src/wire.rs`.
pub const WIRE_TEMPLATE: &str = include_str!("../templates/wire.rs");

/// The exact-text part of the runtime (`Number`, `Json`, the object reader), copied into the
/// generated crate as `src/wire/exact.rs`.
pub const WIRE_EXACT_TEMPLATE: &str = include_str!("../templates/wire/exact.rs");

/// The e-mail part of the runtime, copied into the generated crate as `src/wire/email.rs`.
pub const WIRE_EMAIL_TEMPLATE: &str = include_str!("../templates/wire/email.rs");

/// The fast check's runtime (feature `conformance`), copied into the generated crate as
/// `src/fast_check.rs`, with its pass over a payload's bytes in `src/fast_check/scan.rs` and
/// its comparison of numbers with limits in `src/fast_check/number.rs`.
pub const FAST_CHECK_TEMPLATES: [(&str, &str); 3] = [
    ("fast_check.rs", include_str!("../templates/fast_check.rs")),
    (
        "fast_check/scan.rs",
        include_str!("../templates/fast_check/scan.rs"),
    ),
    (
        "fast_check/number.rs",
        include_str!("../templates/fast_check/number.rs"),
    ),
];

/// The typed clients' runtime, copied into the generated crate as `src/client.rs`.
pub const CLIENT_TEMPLATE: &str = include_str!("../templates/client.rs");

/// Every generated file: path relative to the project root (`generated/src/lib.rs`) → text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GeneratedFiles(pub BTreeMap<String, String>);
