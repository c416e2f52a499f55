//! Whether human output gets colour: the `--color` flag, the environment (`NO_COLOR`,
//! `CLICOLOR_FORCE`, `TERM`) and whether the stream is a terminal in, one yes or no out.

/// `--color auto|always|never`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorChoice {
    /// Decide from the environment and the stream.
    #[default]
    Auto,
    /// Colour, whatever the environment says.
    Always,
    /// No colour, whatever the environment says.
    Never,
}

/// Decides colour. The flag wins; under `auto`, in this order: a non-empty `NO_COLOR` turns it
/// off (no-color.org: an empty one does nothing), a `CLICOLOR_FORCE` that is non-empty and not
/// `0` turns it on, `TERM=dumb` turns it off, and otherwise the stream must be a terminal.
/// `environment` reads a variable (`std::env::var_os` in the commands, a table in tests).
pub fn use_color(
    choice: ColorChoice,
    stream_is_terminal: bool,
    environment: &dyn Fn(&str) -> Option<std::ffi::OsString>,
) -> bool {
    let set = |name: &str| environment(name).filter(|value| !value.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if set("NO_COLOR").is_some() {
                false
            } else if set("CLICOLOR_FORCE").is_some_and(|value| value != "0") {
                true
            } else if environment("TERM").is_some_and(|term| term == "dumb") {
                false
            } else {
                stream_is_terminal
            }
        }
    }
}
