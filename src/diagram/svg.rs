//! Diagram → SVG with no external tool: boxes placed by `layout` (entry points on the left,
//! then what they trigger, then what that writes to; a box per service), edges as curves with
//! their labels, colours as in the Mermaid and DOT outputs.

use super::layout::{layout, NODE_H, PAD, ROW_GAP, TITLE_H};
use super::{Diagram, EdgeKind};
use std::fmt::Write;

pub(crate) fn render(d: &Diagram) -> String {
    let l = layout(d);
    let (width, height) = (l.width, l.height);
    let mut out = String::new();
    let _ = writeln!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="Helvetica, Arial, sans-serif">"##
    );
    out.push_str(concat!(
        r##"<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">"##,
        r##"<path d="M 0 0 L 10 5 L 0 10 z" fill="#5f6368"/></marker></defs>"##,
        "\n",
        r##"<rect width="100%" height="100%" fill="#ffffff"/>"##,
        "\n"
    ));
    for (service, top, bottom) in &l.boxes {
        if let Some(name) = service {
            let _ = writeln!(
                out,
                r##"<g class="service"><rect x="{PAD}" y="{top}" width="{:.0}" height="{:.0}" rx="10" fill="#f8f9fa" stroke="#dadce0"/><text x="{}" y="{}" font-size="14" font-weight="bold" fill="#3c4043">{}</text></g>"##,
                width - PAD * 2.0,
                bottom - top,
                PAD * 1.5,
                top + TITLE_H - 6.0,
                xml(name)
            );
        }
    }
    for (i, e) in d.edges.iter().enumerate() {
        let (Some(a), Some(b)) = (l.nodes.get(&e.from), l.nodes.get(&e.to)) else { continue };
        let (x1, y1, x2, y2) = (a.x + a.w, a.y + NODE_H / 2.0, b.x, b.y + NODE_H / 2.0);
        // A forward edge bends between the layers; one going back (a queue a function both
        // reads and writes) loops below both ends instead of crossing them; one to another
        // service leaves its box upwards or downwards, towards the other.
        let (path, lx, ly) = if a.group != b.group {
            let up = b.y < a.y;
            let (sx, sy) = (a.x + a.w / 2.0, if up { a.y } else { a.y + NODE_H });
            let (tx, ty) = (b.x + b.w / 2.0, if up { b.y + NODE_H } else { b.y });
            let c = (ty - sy) / 2.0;
            (
                format!("M {sx:.1} {sy:.1} C {sx:.1} {:.1} {tx:.1} {:.1} {tx:.1} {ty:.1}", sy + c, ty - c),
                (sx + tx) / 2.0,
                (sy + ty) / 2.0,
            )
        } else if x2 > x1 {
            // Through each layer it crosses in its own slot, bending between layers.
            let mut points = vec![(x1, y1)];
            for &(enter, leave, y) in l.vias.get(&i).map(Vec::as_slice).unwrap_or_default() {
                points.extend([(enter, y), (leave, y)]);
            }
            points.push((x2, y2));
            let mut path = format!("M {x1:.1} {y1:.1}");
            for pair in points.windows(2) {
                let ((px, py), (qx, qy)) = (pair[0], pair[1]);
                if py == qy {
                    let _ = write!(path, " L {qx:.1} {qy:.1}");
                } else {
                    let c = (qx - px) / 2.0;
                    let _ = write!(path, " C {:.1} {py:.1} {:.1} {qy:.1} {qx:.1} {qy:.1}", px + c, qx - c);
                }
            }
            // The label on the first bend, next to the node the edge leaves.
            let (p, q) = (points[0], points[1]);
            (path, (p.0 + q.0) / 2.0, (p.1 + q.1) / 2.0)
        } else {
            let (sx, sy, tx, ty) = (a.x + a.w / 2.0, a.y + NODE_H, b.x + b.w / 2.0, b.y + NODE_H);
            let low = sy.max(ty) + ROW_GAP * 1.5;
            (
                format!("M {sx:.1} {sy:.1} C {sx:.1} {low:.1} {tx:.1} {low:.1} {tx:.1} {ty:.1}"),
                (sx + tx) / 2.0,
                low - 4.0,
            )
        };
        let dash = if e.kind == EdgeKind::Trigger { "" } else { r#" stroke-dasharray="5 4""# };
        let _ = write!(
            out,
            r##"<g class="edge" data-from="{}" data-to="{}"><path d="{path}" fill="none" stroke="#5f6368" stroke-width="1.3"{dash} marker-end="url(#arrow)"/>"##,
            e.from, e.to
        );
        if !e.label.is_empty() {
            let w = e.label.chars().count() as f64 * 6.0 + 8.0;
            let _ = write!(
                out,
                r##"<rect x="{:.1}" y="{:.1}" width="{w:.1}" height="15" rx="3" fill="#ffffff" opacity="0.9"/><text x="{lx:.1}" y="{:.1}" font-size="10" text-anchor="middle" fill="#3c4043">{}</text>"##,
                lx - w / 2.0,
                ly - 8.0,
                ly + 3.5,
                xml(&e.label)
            );
        }
        out.push_str("</g>\n");
    }
    for n in d.nodes() {
        let Some(p) = l.nodes.get(&n.id) else { continue };
        let (fill, stroke) = n.kind.colours().unwrap_or(("#ffffff", "#9aa0a6"));
        let _ = writeln!(
            out,
            r##"<g class="node" data-id="{}" data-kind="{}"><rect x="{:.1}" y="{:.1}" width="{:.1}" height="{NODE_H}" rx="6" fill="{fill}" stroke="{stroke}" stroke-width="1.3"/><text x="{:.1}" y="{:.1}" font-size="8.5" fill="#5f6368" letter-spacing="0.6">{}</text><text x="{:.1}" y="{:.1}" font-size="12.5" fill="#202124">{}</text></g>"##,
            n.id,
            n.kind.as_str(),
            p.x,
            p.y,
            p.w,
            p.x + 10.0,
            p.y + 14.0,
            n.kind.as_str().to_uppercase(),
            p.x + 10.0,
            p.y + 31.0,
            xml(&n.label)
        );
    }
    out.push_str("</svg>\n");
    out
}

/// Text in SVG (XML) content and attributes.
fn xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
