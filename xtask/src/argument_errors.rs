//! A command-line parse error and the arguments given in, the error's text out with every
//! argument value masked: a value given to the wrong flag, or a `--flag=value` clap does not
//! know, may be a credential, and usage errors are printed where logs keep them. Flag and
//! subcommand names the command line knows are kept, so the message still says what was wrong.

use std::collections::BTreeSet;

/// What a masked value prints as: the checker's `SECRET_MASK` (a test holds them equal), spelled
/// here so the generator-only build, which has no checker, masks the same way.
const MASK: &str = "****";

#[cfg(all(test, feature = "checker"))]
#[test]
fn the_mask_is_the_checker_s() {
    assert_eq!(MASK, conformance::live::secret::SECRET_MASK);
}

/// Every long flag (`--timeout`) and subcommand name of `command` and its subcommands.
fn known_words(command: &clap::Command, out: &mut BTreeSet<String>) {
    out.insert(command.get_name().to_owned());
    for argument in command.get_arguments() {
        if let Some(long) = argument.get_long() {
            out.insert(format!("--{long}"));
        }
        if let Some(short) = argument.get_short() {
            out.insert(format!("-{short}"));
        }
    }
    for subcommand in command.get_subcommands() {
        known_words(subcommand, out);
    }
}

/// `argument` as it may be shown: a known word as is, `--flag=****` for a value after `=`,
/// `****` for anything else.
fn masked(argument: &str, known: &BTreeSet<String>) -> String {
    if known.contains(argument) {
        return argument.to_owned();
    }
    match argument.split_once('=') {
        Some((flag, _)) if flag.starts_with('-') => format!("{flag}={MASK}"),
        _ => MASK.to_owned(),
    }
}

/// `rendered` (clap's message, which quotes values as `'value'`) with every argument of
/// `arguments` that is not a known word masked.
pub(crate) fn without_argument_values(
    rendered: &str,
    arguments: &[String],
    command: &clap::Command,
) -> String {
    let mut known = BTreeSet::new();
    known_words(command, &mut known);
    let mut arguments: Vec<&String> = arguments.iter().collect();
    // Longest first, so a value that contains another is masked whole.
    arguments.sort_by_key(|argument| std::cmp::Reverse(argument.len()));
    let mut out = rendered.to_owned();
    for argument in arguments {
        if argument.is_empty() {
            continue;
        }
        out = out.replace(
            &format!("'{argument}'"),
            &format!("'{}'", masked(argument, &known)),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::*;

    fn check(arguments: &[&str], shown: &[&str], hidden: &str) {
        let mut all = vec!["cargo xtask".to_owned()];
        all.extend(arguments.iter().map(|argument| (*argument).to_owned()));
        let error = crate::Cli::try_parse_from(&all).expect_err("the arguments are wrong");
        let text = without_argument_values(
            &error.render().to_string(),
            &all[1..],
            &crate::Cli::command(),
        );
        assert!(!text.contains(hidden), "{arguments:?}: {text}");
        for words in shown {
            assert!(
                text.contains(words),
                "{arguments:?}: expected {words:?} in {text}"
            );
        }
    }

    #[test]
    fn a_stray_value_is_masked_in_every_build() {
        let secret = "crm-TOKEN-do-not-leak-7f3a9c";
        check(&["gen", secret], &["'****'"], secret);
    }

    #[test]
    #[cfg(feature = "checker")]
    fn values_are_masked_and_flags_named() {
        let secret = "crm-TOKEN-do-not-leak-7f3a9c";
        check(
            &["conformance", "live", "--timeout", secret],
            &["'****'", "--timeout"],
            secret,
        );
        check(
            &["conformance", "live", &format!("--token={secret}")],
            &["--token"],
            secret,
        );
        check(
            &["conformance", "live", "--concurrency", secret],
            &["--concurrency"],
            secret,
        );
        check(&["conformance", "lvie", secret], &["'****'"], secret);
    }
}
