//! Diagram → Graphviz DOT: for `dot -Tsvg` and every tool that reads it. A cluster per service
//! of a project; shapes and colours by kind as in the Mermaid and SVG pictures.

use super::{Diagram, EdgeKind, NodeKind};
use std::fmt::Write;

pub(crate) fn render(d: &Diagram) -> String {
    let mut out = String::from("digraph backend {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=11];\n  edge [fontname=\"Helvetica\", fontsize=9];\n");
    for (i, g) in d.groups.iter().enumerate() {
        let indent = if g.service.is_some() { "    " } else { "  " };
        if let Some(service) = &g.service {
            let _ = writeln!(out, "  subgraph cluster_{i} {{\n    label=\"{}\";", quoted(service));
        }
        for n in &g.nodes {
            let _ = writeln!(out, "{indent}{} [label=\"{}\", {}];", n.id, quoted(&n.label), attributes(n.kind));
        }
        if g.service.is_some() {
            out.push_str("  }\n");
        }
    }
    for e in &d.edges {
        let style = if e.kind == EdgeKind::Trigger { "" } else { ", style=dashed" };
        let _ = writeln!(out, "  {} -> {} [label=\"{}\"{style}];", e.from, e.to, quoted(&e.label));
    }
    out.push_str("}\n");
    out
}

fn attributes(kind: NodeKind) -> String {
    let shape = match kind {
        NodeKind::Route => "box, style=rounded",
        NodeKind::Schedule | NodeKind::Rule => "cds",
        NodeKind::Function => "box",
        NodeKind::Table => "cylinder",
        NodeKind::Queue => "box3d",
        NodeKind::Bucket => "folder",
        NodeKind::Topic => "hexagon",
    };
    match kind.colours() {
        Some((fill, stroke)) => format!("shape={shape}, style=filled, fillcolor=\"{fill}\", color=\"{stroke}\""),
        None => format!("shape={shape}"),
    }
}

/// Text inside DOT's double quotes.
fn quoted(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}
