//! Reporting: text that did not come from sls-rs — handlers' output and errors, log lines, AWS
//! data, object keys, what a user typed — made harmless for a terminal, in one place. A control
//! character in it could retitle the terminal, clear it, move the cursor over earlier lines or
//! hide text (ESC and CSI sequences, CR, backspace); an invisible direction mark could make a
//! line read as something else. Each is shown as a visible escape (`\x1b`, `\u{9b}`) instead.
//! Only human output goes through here: JSON output stays exact JSON.

use std::borrow::Cow;

/// For text shown as lines of its own (a handler's log, an error message): newlines and tabs
/// stay, every other control character is escaped.
pub(crate) fn block(text: &str) -> Cow<'_, str> {
    escape(text, |c| c == '\n' || c == '\t')
}

/// For text shown inside a line (an object key, a name, a status reason): every control
/// character is escaped, newlines and tabs too.
pub(crate) fn line(text: &str) -> Cow<'_, str> {
    escape(text, |_| false)
}

/// For text whose byte offsets must not move (a config file miette points into by offset):
/// each unsafe character replaced by a visible one of the same UTF-8 length (`?`, `¿`, `�`);
/// newlines, carriage returns and tabs stay.
pub(crate) fn same_length(text: &str) -> Cow<'_, str> {
    let keep = |c: char| matches!(c, '\n' | '\r' | '\t');
    if !text.chars().any(|c| unsafe_char(c) && !keep(c)) {
        return Cow::Borrowed(text);
    }
    let replaced = text
        .chars()
        .map(|c| match c.len_utf8() {
            _ if !unsafe_char(c) || keep(c) => c,
            1 => '?',
            2 => '¿',
            _ => '\u{fffd}',
        })
        .collect();
    Cow::Owned(replaced)
}

fn escape(text: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(|c| unsafe_char(c) && !keep(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !unsafe_char(c) || keep(c) {
            out.push(c);
            continue;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    Cow::Owned(out)
}

/// C0 and C1 controls and DEL, and the invisible marks that change the order text is shown in.
fn unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequences_that_act_on_a_terminal_are_shown_not_sent() {
        let hostile = [
            ("\u{1b}]0;pwned\u{7}", "\\x1b]0;pwned\\x07"),
            ("\u{1b}[2J\u{1b}[H", "\\x1b[2J\\x1b[H"),
            ("ok\rFAKE", "ok\\rFAKE"),
            ("abc\u{8}\u{8}\u{8}", "abc\\x08\\x08\\x08"),
            ("\u{9b}31m", "\\u{9b}31m"),
            ("\u{7f}", "\\x7f"),
            ("\u{0}", "\\x00"),
            ("safe\u{202e}txt.exe", "safe\\u{202e}txt.exe"),
            ("\u{2066}x\u{2069}", "\\u{2066}x\\u{2069}"),
        ];
        for (input, shown) in hostile {
            assert_eq!(block(input), shown, "{input:?}");
            assert_eq!(line(input), shown, "{input:?}");
        }
    }

    #[test]
    fn text_pointed_into_by_offset_keeps_every_offset() {
        let text = "a\u{1b}[2J\n\u{9b}b\t\u{202e}c\r\n";
        let safe = same_length(text);
        assert_eq!(safe, "a?[2J\n¿b\t\u{fffd}c\r\n");
        assert_eq!(safe.len(), text.len());
        let offsets = |s: &str| s.char_indices().map(|(i, _)| i).collect::<Vec<_>>();
        assert_eq!(offsets(&safe), offsets(text));
    }

    #[test]
    fn lines_keep_their_layout_only_where_a_block_is_expected() {
        assert_eq!(block("a\n\tb"), "a\n\tb");
        assert_eq!(line("a\n\tb"), "a\\n\\tb");
        assert!(matches!(block("plain text, ünïcode ✓ →"), Cow::Borrowed(_)));
        assert!(matches!(line("images/cat.png"), Cow::Borrowed(_)));
    }
}
