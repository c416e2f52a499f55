//! The colour decision as a table: flag, terminal, environment → colour or not.

use std::ffi::OsString;

use conformance::report::color::{ColorChoice, use_color};

fn check(choice: ColorChoice, terminal: bool, environment: &[(&str, &str)], expected: bool) {
    let lookup = |name: &str| {
        environment
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| OsString::from(value))
    };
    assert_eq!(
        use_color(choice, terminal, &lookup),
        expected,
        "{choice:?}, terminal {terminal}, environment {environment:?}"
    );
}

/// Flag, stream is a terminal, environment, expected colour.
type Row = (
    ColorChoice,
    bool,
    &'static [(&'static str, &'static str)],
    bool,
);

#[test]
fn colour_decision_table() {
    use ColorChoice::{Always, Auto, Never};
    let table: &[Row] = &[
        // auto follows the stream
        (Auto, true, &[], true),
        (Auto, false, &[], false),
        // no-color.org: only a non-empty NO_COLOR disables
        (Auto, true, &[("NO_COLOR", "1")], false),
        (Auto, true, &[("NO_COLOR", "")], true),
        (Auto, true, &[("NO_COLOR", "0")], false),
        // CLICOLOR_FORCE: non-empty and not "0" forces, even off a terminal
        (Auto, false, &[("CLICOLOR_FORCE", "1")], true),
        (Auto, false, &[("CLICOLOR_FORCE", "0")], false),
        (Auto, false, &[("CLICOLOR_FORCE", "")], false),
        (
            Auto,
            true,
            &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
            false,
        ),
        // TERM=dumb: no colour unless forced
        (Auto, true, &[("TERM", "dumb")], false),
        (Auto, true, &[("TERM", "xterm-256color")], true),
        (
            Auto,
            false,
            &[("TERM", "dumb"), ("CLICOLOR_FORCE", "1")],
            true,
        ),
        // the flag wins over everything
        (Always, false, &[("NO_COLOR", "1"), ("TERM", "dumb")], true),
        (Never, true, &[("CLICOLOR_FORCE", "1")], false),
        (Never, true, &[], false),
    ];
    for (choice, terminal, environment, expected) in table {
        check(*choice, *terminal, environment, *expected);
    }
}
