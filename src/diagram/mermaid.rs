//! Diagram → Mermaid `flowchart LR`: pastes into a README and renders on GitHub. One shape per
//! kind of node, dotted arrows for grants, a subgraph per service of a project.

use super::{Diagram, EdgeKind, NodeKind};
use std::fmt::Write;

pub(crate) fn render(d: &Diagram) -> String {
    let mut out = String::from("flowchart LR\n");
    for (i, g) in d.groups.iter().enumerate() {
        let indent = if g.service.is_some() { "    " } else { "  " };
        if let Some(service) = &g.service {
            let _ = writeln!(out, "  subgraph service_{i}[\"{}\"]", text(service));
        }
        for n in &g.nodes {
            let (open, close) = shape(n.kind);
            let _ = writeln!(out, "{indent}{}{open}\"{}\"{close}", n.id, text(&n.label));
        }
        if g.service.is_some() {
            out.push_str("  end\n");
        }
    }
    for e in &d.edges {
        let arrow = if e.kind == EdgeKind::Trigger { "-->" } else { "-.->" };
        match e.label.as_str() {
            "" => writeln!(out, "  {} {arrow} {}", e.from, e.to),
            label => writeln!(out, "  {} {arrow}|\"{}\"| {}", e.from, text(label), e.to),
        }
        .expect("writing to a String");
    }
    for kind in NodeKind::ALL {
        let ids: Vec<&str> = d.nodes().filter(|n| n.kind == kind).map(|n| n.id.as_str()).collect();
        if let (Some((fill, stroke)), false) = (kind.colours(), ids.is_empty()) {
            let _ = writeln!(out, "  classDef {} fill:{fill},stroke:{stroke}", kind.as_str());
            let _ = writeln!(out, "  class {} {}", ids.join(","), kind.as_str());
        }
    }
    out
}

fn shape(kind: NodeKind) -> (&'static str, &'static str) {
    match kind {
        NodeKind::Route => ("([", "])"),
        NodeKind::Schedule | NodeKind::Rule => (">", "]"),
        NodeKind::Function => ("[", "]"),
        NodeKind::Table => ("[(", ")]"),
        NodeKind::Queue => ("[[", "]]"),
        NodeKind::Bucket => ("[/", "/]"),
        NodeKind::Topic => ("{{", "}}"),
    }
}

/// Text inside Mermaid's quotes: a quote would end it; Mermaid reads `#quot;` as one.
fn text(s: &str) -> String {
    s.replace('"', "#quot;")
}
