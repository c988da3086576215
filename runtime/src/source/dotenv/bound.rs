//! The bound on what dotenvy would build from a `.env` file, found before
//! dotenvy parses it: a file under 1 MiB can still expand (`B=$A$A`, `C=$B$B`…)
//! to gigabytes, or take dotenvy quadratic time.

use std::collections::HashMap;

use zeroize::Zeroize;

/// The largest `.env` file, and the most its references may expand to.
pub(super) const MAX_SIZE: usize = 1024 * 1024;

/// Why dotenvy must not parse `text`, if it must not: its references could
/// expand past [`MAX_SIZE`], or its layout would take dotenvy too long.
///
/// It reads the file as dotenvy 0.15.7 does, rule for rule (not as a shell
/// would: that is how guards go wrong): entries are cut as its line reader
/// cuts them, quotes spanning lines included, and each value is walked
/// through the states of its `parse_value`, so a reference counts exactly
/// where dotenvy substitutes one (`$A_` is `$A` then `_`; `${A.B}` is the key
/// `A.B`; nothing inside single quotes). Each reference counts as the longest
/// value its name has had, in the file so far or in the process environment
/// (`env_lengths`, asked only when the file holds a `$`): never less than
/// dotenvy builds. Only the UTF-8 part of the file is read: dotenvy
/// substitutes every line before one that is not.
pub(super) fn refusal(
    text: &[u8],
    env_lengths: fn() -> HashMap<String, usize>,
) -> Option<&'static str> {
    let text = match std::str::from_utf8(text) {
        Ok(text) => text,
        Err(e) => std::str::from_utf8(&text[..e.valid_up_to()]).unwrap_or_default(),
    };
    let mut lengths = match text.contains('$') {
        true => env_lengths(),
        false => HashMap::new(),
    };
    let (mut total, mut work) = (0usize, 0usize);
    for entry in entries(text) {
        // dotenvy trims an entry's leading blanks again after each line it
        // reads into it.
        let blanks = entry.len() - entry.trim_start().len();
        work = work.saturating_add(blanks.saturating_mul(entry.matches('\n').count()));
        let (key, length) = expanded(entry, &lengths);
        total = total.saturating_add(entry.len()).saturating_add(length);
        if let Some(key) = key {
            let longest = lengths.entry(key.to_owned()).or_insert(0);
            *longest = (*longest).max(length);
        }
    }
    if total > MAX_SIZE {
        Some("its $NAME references could expand to more than 1 MiB")
    } else if work > MAX_WORK {
        Some("its blank space spans so many lines that parsing would take too long")
    } else {
        None
    }
}

/// How much re-trimming of blank space the parse may take (dotenvy's line
/// reader is quadratic in it).
const MAX_WORK: usize = 1 << 26;

/// The key an entry defines and the most its value expands to, as dotenvy's
/// `parse_line` and `parse_value` read it, state for state.
fn expanded<'a>(entry: &'a str, lengths: &HashMap<String, usize>) -> (Option<&'a str>, usize) {
    let line = entry.strip_suffix('\n').unwrap_or(entry);
    let line = line.strip_suffix('\r').unwrap_or(line).trim_start();
    if line.is_empty() || line.starts_with('#') {
        return (None, 0);
    }
    let Some((key, rest)) = parse_key(line) else {
        return (None, 0);
    };
    let (key, rest) = match (key, rest.strip_prefix('=')) {
        (_, Some(value)) => (key, value),
        ("export", None) => match parse_key(rest) {
            Some((key, rest)) => match rest.strip_prefix('=') {
                Some(value) => (key, value),
                None => return (None, 0),
            },
            None => return (None, 0),
        },
        _ => return (None, 0),
    };
    let input = rest.trim_start();
    if input.is_empty() || input.starts_with('#') {
        return (Some(key), 0);
    }
    #[derive(PartialEq)]
    enum Mode {
        None,
        Block,
        EscapedBlock,
    }
    let (mut strong, mut weak, mut escaped, mut expecting_end) = (false, false, false, false);
    let mut mode = Mode::None;
    let mut name = String::new();
    let mut output = 0usize;
    let substitute = |name: &mut String, output: &mut usize| {
        *output = output.saturating_add(lengths.get(name.as_str()).copied().unwrap_or(0));
        name.clear();
    };
    for c in input.chars() {
        if expecting_end {
            match c {
                ' ' | '\t' => continue,
                // A comment, or dotenvy's error: nothing more is built.
                _ => return (Some(key), output),
            }
        } else if escaped {
            match c {
                '\\' | '\'' | '"' | '$' | ' ' | 'n' => output += 1,
                _ => return (Some(key), output),
            }
            escaped = false;
        } else if strong {
            match c {
                '\'' => strong = false,
                _ => output += c.len_utf8(),
            }
        } else if mode != Mode::None {
            if c.is_alphanumeric() {
                name.push(c);
            } else if mode == Mode::Block {
                if c == '{' && name.is_empty() {
                    mode = Mode::EscapedBlock;
                } else {
                    substitute(&mut name, &mut output);
                    if c == '$' {
                        mode = Mode::Block;
                    } else {
                        mode = Mode::None;
                        output += c.len_utf8();
                    }
                }
            } else if c == '}' {
                mode = Mode::None;
                substitute(&mut name, &mut output);
            } else {
                name.push(c);
            }
        } else if c == '$' {
            mode = Mode::Block;
        } else if weak {
            match c {
                '"' => weak = false,
                '\\' => escaped = true,
                _ => output += c.len_utf8(),
            }
        } else {
            match c {
                '\'' => strong = true,
                '"' => weak = true,
                '\\' => escaped = true,
                ' ' | '\t' => expecting_end = true,
                _ => output += c.len_utf8(),
            }
        }
    }
    if mode != Mode::EscapedBlock && !strong && !weak {
        substitute(&mut name, &mut output);
    }
    (Some(key), output)
}

/// A key as dotenvy's `parse_key` reads it (after blanks), and the rest of
/// the line after the blanks that follow it.
fn parse_key(line: &str) -> Option<(&str, &str)> {
    let line = line.trim_start();
    if !line.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        return None;
    }
    let end = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(line.len());
    Some((&line[..end], line[end..].trim_start()))
}

/// Each variable of the process environment's name and value length (each
/// copy of a value std makes is zeroized).
pub(super) fn env_lengths() -> HashMap<String, usize> {
    std::env::vars_os()
        .filter_map(|(name, value)| {
            let mut bytes = value.into_encoded_bytes();
            let length = bytes.len();
            bytes.zeroize();
            Some((name.into_string().ok()?, length))
        })
        .collect()
}

/// The file's entries as dotenvy 0.15.7's line reader (`QuotedLines`) cuts
/// them: a line, and the lines after it while a quote, an escape or a
/// trailing blank is open; a comment ends one.
pub(super) fn entries(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut state = Cut::Complete;
        let mut end = 0;
        // dotenvy asks, after each line, whether the entry so far starts
        // with `#` once trimmed: decided by its first non-blank character.
        let mut first: Option<char> = None;
        for line in rest.split_inclusive('\n') {
            end += line.len();
            if first.is_none() {
                first = line.chars().find(|c| !c.is_whitespace());
            }
            if first == Some('#') {
                break;
            }
            state = Cut::after_line(state, line);
            if matches!(state, Cut::Complete | Cut::Comment) {
                break;
            }
        }
        let (entry, after) = rest.split_at(end);
        rest = after;
        Some(entry)
    })
}

/// dotenvy's `ParseState`, transition for transition.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Cut {
    Complete,
    Escape,
    StrongOpen,
    StrongOpenEscape,
    WeakOpen,
    WeakOpenEscape,
    Comment,
    WhiteSpace,
}

impl Cut {
    fn after_line(mut state: Cut, line: &str) -> Cut {
        for c in line.chars() {
            state = match state {
                Cut::WhiteSpace => match c {
                    '#' => return Cut::Comment,
                    '\\' => Cut::Escape,
                    '"' => Cut::WeakOpen,
                    '\'' => Cut::StrongOpen,
                    _ => Cut::Complete,
                },
                Cut::Escape => Cut::Complete,
                Cut::Complete => match c {
                    c if c.is_whitespace() && c != '\n' && c != '\r' => Cut::WhiteSpace,
                    '\\' => Cut::Escape,
                    '"' => Cut::WeakOpen,
                    '\'' => Cut::StrongOpen,
                    _ => Cut::Complete,
                },
                Cut::WeakOpen => match c {
                    '\\' => Cut::WeakOpenEscape,
                    '"' => Cut::Complete,
                    _ => Cut::WeakOpen,
                },
                Cut::WeakOpenEscape => Cut::WeakOpen,
                Cut::StrongOpen => match c {
                    '\\' => Cut::StrongOpenEscape,
                    '\'' => Cut::Complete,
                    _ => Cut::StrongOpen,
                },
                Cut::StrongOpenEscape => Cut::StrongOpen,
                Cut::Comment => return Cut::Comment,
            };
        }
        state
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What dotenvy builds, in bytes of values.
    fn built(text: &str) -> usize {
        dotenvy::from_read_iter(text.as_bytes())
            .filter_map(Result::ok)
            .map(|(_, value)| value.len())
            .sum()
    }

    fn bound(text: &str) -> usize {
        let mut lengths = HashMap::new();
        let mut total = 0;
        for entry in entries(text) {
            let (key, length) = expanded(entry, &lengths);
            total += length;
            if let Some(key) = key {
                let longest = lengths.entry(key.to_owned()).or_insert(0);
                *longest = (*longest).max(length);
            }
        }
        total
    }

    #[test]
    fn the_bound_is_what_dotenvy_builds() {
        for text in [
            "A=xyz\nB=$A$A\nC=${B}-${B}\n",
            "A=xyz\nB=$A_$A_\n",
            "A.B=xy\nC=${A.B}${A.B}\n",
            "A=xyz\nB='$A'\\$A\n",
            "A=xyz\nexport B=$A\nexport=$A\n",
            "A=xyz\nB=\"multi\nline $A!\"\n",
            "# comment $A\nA=1\nB='${'${A}\n",
        ] {
            assert_eq!(bound(text), built(text), "{text:?}");
        }
        // An entry dotenvy refuses midway is counted up to where it stopped;
        // a comment after a blank is counted too (dotenvy cuts it off).
        for text in ["A=xyz\nB='$A'\"$A\"\\$A\n", "A=xyz\nB=$A #$A$A\n"] {
            assert!(bound(text) >= built(text), "{text:?}");
        }
    }

    #[test]
    fn entries_are_cut_as_dotenvy_cuts_them() {
        let text = "A=1\n# x 'open\nB=\"a\nb\"\n  C='c' # 'd\nD=2";
        let cut: Vec<&str> = entries(text).collect();
        assert_eq!(
            cut,
            [
                "A=1\n",
                "# x 'open\n",
                "B=\"a\nb\"\n",
                "  C='c' # 'd\n",
                "D=2"
            ]
        );
    }
}
