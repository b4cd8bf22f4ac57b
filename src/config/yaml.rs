//! Config stage, step 1: YAML text → a tree of nodes that remember where they came from.
//!
//! We read events from `saphyr-parser` (the parser under `serde-saphyr`) instead of
//! deserialising with serde, because validation must report *every* problem with its
//! location, and the raw `cloudformation:` section needs YAML tags (`!Ref`, `!Sub`, ...)
//! that serde models cannot carry.

use saphyr_parser::{Event, Parser, ScalarStyle, Span as YSpan};
use std::collections::HashMap;

/// A byte range in the source text, plus the 1-based line and column of its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub offset: usize,
    pub len: usize,
    pub line: usize,
    pub col: usize,
}

impl Span {
    /// An empty span at this span's start, for "something is missing here" problems.
    pub(crate) fn start(self) -> Span {
        Span { len: 0, ..self }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// `quoted` scalars are always strings; plain ones may be numbers, booleans or null.
    Scalar {
        value: String,
        quoted: bool,
    },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: Kind,
    pub span: Span,
    /// A local tag such as `Ref` for `!Ref`; core-schema tags (`!!str`) are not kept.
    pub tag: Option<String>,
}

#[derive(Debug, Clone)]
pub struct SyntaxError {
    pub message: String,
    pub span: Span,
}

impl Node {
    pub(crate) fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.kind {
            Kind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub(crate) fn as_seq(&self) -> Option<&[Node]> {
        match &self.kind {
            Kind::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub(crate) fn as_scalar(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    pub(crate) fn is_null(&self) -> bool {
        matches!(&self.kind, Kind::Scalar { value, quoted: false } if matches!(value.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// Looks up `key` in a mapping node.
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?.iter().find(|(k, _)| k.as_scalar() == Some(key)).map(|(_, v)| v)
    }

    /// Where the key `key` of a mapping node is written.
    pub(crate) fn key_span(&self, key: &str) -> Option<Span> {
        self.as_map()?.iter().find(|(k, _)| k.as_scalar() == Some(key)).map(|(k, _)| k.span)
    }

    /// A short description of the node's type, for "expected X, found Y" messages.
    pub(crate) fn type_name(&self) -> &'static str {
        match &self.kind {
            Kind::Map(_) => "a mapping",
            Kind::Seq(_) => "a list",
            Kind::Scalar { .. } if self.is_null() => "nothing",
            Kind::Scalar { .. } => "a scalar",
        }
    }
}

/// How many values aliases may add in all. Each alias copies what its anchor holds, so nested
/// aliases grow exponentially: a 400-byte "billion laughs" file would need gigabytes.
pub(crate) const MAX_ALIASED_VALUES: usize = 10_000;
/// How deeply collections may nest; no config needs a tenth of it, and dropping a deeper tree
/// would recurse past the stack.
pub(crate) const MAX_DEPTH: usize = 64;

/// Parses the first YAML document of `src`. An empty document yields `Ok(None)`.
pub fn parse(src: &str) -> Result<Option<Node>, SyntaxError> {
    let mut builder = Builder {
        src,
        positions: Positions::new(src),
        stack: Vec::new(),
        anchors: HashMap::new(),
        aliased: 0,
        root: None,
    };
    for event in Parser::new_from_str(src) {
        let (event, span) = event.map_err(|e| {
            let m = e.marker();
            SyntaxError {
                message: e.info().to_string(),
                span: builder.positions.span_at(m.index(), 1, m.line(), m.col()),
            }
        })?;
        if builder.on_event(event, span)? {
            break;
        }
    }
    Ok(builder.root)
}

/// Maps the parser's character indices to byte offsets (they differ for non-ASCII text).
struct Positions {
    char_to_byte: Option<Vec<usize>>,
    total: usize,
}

impl Positions {
    fn new(src: &str) -> Self {
        let char_to_byte = (!src.is_ascii()).then(|| {
            let mut v: Vec<usize> = src.char_indices().map(|(b, _)| b).collect();
            v.push(src.len());
            v
        });
        Positions { char_to_byte, total: src.len() }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.char_to_byte {
            Some(v) => v.get(char_index).copied().unwrap_or(self.total),
            None => char_index.min(self.total),
        }
    }

    fn span_at(&self, start: usize, chars: usize, line: usize, col0: usize) -> Span {
        let offset = self.byte(start);
        let end = self.byte(start + chars).max(offset);
        Span { offset, len: end - offset, line: line.max(1), col: col0 + 1 }
    }

    fn span(&self, s: &YSpan) -> Span {
        let chars = s.end.index().saturating_sub(s.start.index());
        self.span_at(s.start.index(), chars, s.start.line(), s.start.col())
    }
}

enum Open {
    Seq(Node, usize),
    Map(Node, usize, Option<Node>),
}

struct Builder<'s> {
    src: &'s str,
    positions: Positions,
    stack: Vec<Open>,
    /// Each anchored value with how many values it holds.
    anchors: HashMap<usize, (Node, usize)>,
    /// Values added by aliases so far.
    aliased: usize,
    root: Option<Node>,
}

/// How many values `node` holds, itself included.
fn size(node: &Node) -> usize {
    1 + match &node.kind {
        Kind::Seq(items) => items.iter().map(size).sum(),
        Kind::Map(entries) => entries.iter().map(|(k, v)| size(k) + size(v)).sum(),
        Kind::Scalar { .. } => 0,
    }
}

impl Builder<'_> {
    /// Returns true once the first document is complete.
    fn on_event(&mut self, event: Event<'_>, span: YSpan) -> Result<bool, SyntaxError> {
        let at = self.positions.span(&span);
        match event {
            Event::Scalar(value, style, anchor, tag) => {
                let node = Node {
                    kind: Kind::Scalar { value: value.into_owned(), quoted: style != ScalarStyle::Plain },
                    span: at,
                    tag: local_tag(tag.as_deref()),
                };
                self.push(node, anchor);
            }
            Event::SequenceStart(..) | Event::MappingStart(..) if self.stack.len() >= MAX_DEPTH => {
                let message = format!("values nest more than {MAX_DEPTH} levels deep");
                return Err(SyntaxError { message, span: at });
            }
            Event::SequenceStart(anchor, tag) => {
                let node = Node { kind: Kind::Seq(Vec::new()), span: at, tag: local_tag(tag.as_deref()) };
                self.stack.push(Open::Seq(node, anchor));
            }
            Event::MappingStart(anchor, tag) => {
                let node = Node { kind: Kind::Map(Vec::new()), span: at, tag: local_tag(tag.as_deref()) };
                self.stack.push(Open::Map(node, anchor, None));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(open) = self.stack.pop() {
                    let (mut node, anchor) = match open {
                        Open::Seq(n, a) | Open::Map(n, a, _) => (n, a),
                    };
                    // A block collection "ends" where the next token starts; stop at its last
                    // character instead, so labels do not run into the following lines.
                    let end = at.offset + at.len;
                    if end > node.span.offset {
                        let text = self.src.get(node.span.offset..end).unwrap_or("");
                        node.span.len = text.trim_end().len();
                    }
                    self.push(node, anchor);
                }
            }
            Event::Alias(id) => match self.anchors.get(&id) {
                Some((_, n)) if self.aliased + n > MAX_ALIASED_VALUES => {
                    let message = format!(
                        "aliases here expand to more than {MAX_ALIASED_VALUES} values (nested aliases multiply); write the values out"
                    );
                    return Err(SyntaxError { message, span: at });
                }
                Some((node, n)) => {
                    self.aliased += n;
                    let mut node = node.clone();
                    node.span = at;
                    self.push(node, 0);
                }
                None => return Err(SyntaxError { message: "unknown alias".into(), span: at }),
            },
            Event::DocumentEnd => return Ok(self.root.is_some()),
            _ => {}
        }
        Ok(false)
    }

    fn push(&mut self, node: Node, anchor: usize) {
        if anchor != 0 {
            let n = size(&node);
            self.anchors.insert(anchor, (node.clone(), n));
        }
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Open::Seq(seq, _)) => {
                if let Kind::Seq(items) = &mut seq.kind {
                    items.push(node);
                }
            }
            Some(Open::Map(map, _, pending)) => match pending.take() {
                None => *pending = Some(node),
                Some(key) => {
                    if let Kind::Map(entries) = &mut map.kind {
                        entries.push((key, node));
                    }
                }
            },
        }
    }
}

fn local_tag(tag: Option<&saphyr_parser::Tag>) -> Option<String> {
    let tag = tag?;
    (tag.handle == "!").then(|| tag.suffix.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_lines_columns_and_tags() {
        let src = "a: 1\nb:\n  c: !Ref Thing\n  d: [x, 'y']\n";
        let root = parse(src).unwrap().unwrap();
        let c = root.get("b").unwrap().get("c").unwrap();
        assert_eq!(c.tag.as_deref(), Some("Ref"));
        assert_eq!(c.as_scalar(), Some("Thing"));
        assert_eq!((c.span.line, c.span.col), (3, 6));
        // A tagged scalar is located from its tag: `!Ref Thing` is what the user wrote.
        assert_eq!(&src[c.span.offset..c.span.offset + c.span.len], "!Ref Thing");
        let d = root.get("b").unwrap().get("d").unwrap().as_seq().unwrap();
        assert_eq!(d[1].kind, Kind::Scalar { value: "y".into(), quoted: true });
    }

    #[test]
    fn non_ascii_offsets_are_bytes() {
        let src = "é: ü\nkey: value\n";
        let root = parse(src).unwrap().unwrap();
        let v = root.get("key").unwrap();
        assert_eq!(&src[v.span.offset..v.span.offset + v.span.len], "value");
        assert_eq!((v.span.line, v.span.col), (2, 6));
    }

    #[test]
    fn syntax_error_has_a_location() {
        // The unclosed list runs on until the parser meets `b:`'s indicator on line 2.
        let err = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert_eq!((err.span.line, err.span.col), (2, 2), "{err:?}");
        assert_eq!(err.message, "illegal placement of ':' indicator");
    }

    #[test]
    fn aliases_resolve_and_empty_is_none() {
        let root = parse("x: &a {k: v}\ny: *a\n").unwrap().unwrap();
        assert_eq!(root.get("y").unwrap().get("k").unwrap().as_scalar(), Some("v"));
        assert!(parse("# only a comment\n").unwrap().is_none());
    }

    #[test]
    fn alias_bombs_and_deep_nesting_stop_early_and_located() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let prev = (b'a' + i - 1) as char;
            let name = (b'a' + i) as char;
            bomb.push_str(&format!("{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        let started = std::time::Instant::now();
        let err = parse(&bomb).unwrap_err();
        assert!(err.message.contains("expand to more than 10000 values"), "{err:?}");
        assert_eq!(err.span.line, 4, "the alias that crosses the bound: {err:?}");
        assert!(started.elapsed() < std::time::Duration::from_secs(1));

        let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        let err = parse(&deep).unwrap_err();
        assert_eq!((err.span.line, err.span.col), (1, 65), "{err:?}");
        assert!(err.message.contains("nest more than 64 levels"));
    }
}
