//! Where the SVG puts things: each service's nodes in layers from left to right (longest path,
//! edges closing a cycle set aside), an edge spanning several layers given a slot of its own
//! in each layer it crosses so it runs between nodes rather than through them, rows ordered by
//! where their predecessors sit so edges cross less; services stacked, each in its box.

use super::{Diagram, Node};
use std::collections::BTreeMap;

pub(super) const NODE_H: f64 = 42.0;
/// The height of a long edge's slot as it crosses a layer.
const VIA_H: f64 = 12.0;
pub(super) const ROW_GAP: f64 = 22.0;
/// Room between layers for an edge's label.
const COLUMN_GAP: f64 = 120.0;
pub(super) const PAD: f64 = 24.0;
/// A service's title above its box.
pub(super) const TITLE_H: f64 = 26.0;
const CHAR_W: f64 = 7.2;

pub(super) struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub group: usize,
}

pub(super) struct Layout {
    pub width: f64,
    pub height: f64,
    pub nodes: BTreeMap<String, Rect>,
    /// By index in the diagram's edges: where a long edge crosses each layer between its ends
    /// (x where it enters, x where it leaves, y).
    pub vias: BTreeMap<usize, Vec<(f64, f64, f64)>>,
    /// Per group: the service's name (if it has a box), its top and bottom.
    pub boxes: Vec<(Option<String>, f64, f64)>,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Slot {
    Node(usize),
    /// Edge (by index in the diagram) crossing a layer.
    Via(usize),
}

pub(super) fn layout(d: &Diagram) -> Layout {
    let mut out = Layout { width: 0.0, height: 0.0, nodes: BTreeMap::new(), vias: BTreeMap::new(), boxes: Vec::new() };
    let mut y = PAD;
    for (gi, g) in d.groups.iter().enumerate() {
        let top = y;
        if g.service.is_some() {
            y += TITLE_H + PAD / 2.0;
        }
        let layers = layers(&g.nodes, d);
        let (mut x, mut bottom) = (PAD * 2.0, y);
        for layer in &layers {
            let w = layer.iter().filter_map(|s| node_of(s, &g.nodes)).map(node_width).fold(0.0, f64::max);
            let mut row_y = y;
            for slot in layer {
                match *slot {
                    Slot::Node(i) => {
                        let n = &g.nodes[i];
                        out.nodes.insert(n.id.clone(), Rect { x, y: row_y, w: node_width(n), group: gi });
                        row_y += NODE_H;
                    }
                    Slot::Via(e) => {
                        out.vias.entry(e).or_default().push((x, x + w, row_y + VIA_H / 2.0));
                        row_y += VIA_H;
                    }
                }
                bottom = bottom.max(row_y);
                row_y += ROW_GAP;
            }
            x += w + COLUMN_GAP;
        }
        out.width = out.width.max(x - COLUMN_GAP + PAD * 2.0);
        out.boxes.push((g.service.clone(), top, bottom + PAD / 2.0));
        // Room below for edges looping back under the last row.
        y = bottom + PAD * 2.5;
    }
    out.height = y;
    out
}

fn node_of<'a>(slot: &Slot, nodes: &'a [Node]) -> Option<&'a Node> {
    match *slot {
        Slot::Node(i) => Some(&nodes[i]),
        Slot::Via(_) => None,
    }
}

pub(super) fn node_width(n: &Node) -> f64 {
    (n.label.chars().count() as f64 * CHAR_W + 22.0).max(96.0)
}

/// A group's slots by layer, each layer's in row order.
fn layers(nodes: &[Node], d: &Diagram) -> Vec<Vec<Slot>> {
    let index: BTreeMap<&str, usize> = nodes.iter().enumerate().map(|(i, n)| (n.id.as_str(), i)).collect();
    // (edge index, from, to) for edges inside this group.
    let edges: Vec<(usize, usize, usize)> = d
        .edges
        .iter()
        .enumerate()
        .filter_map(|(e, x)| Some((e, *index.get(x.from.as_str())?, *index.get(x.to.as_str())?)))
        .filter(|(_, a, b)| a != b)
        .collect();
    let forward = acyclic(nodes.len(), &edges);
    let mut layer = vec![0usize; nodes.len()];
    // Longest path by relaxation: at most n rounds on a DAG of n nodes.
    for _ in 0..nodes.len() {
        let mut changed = false;
        for &(_, a, b) in &forward {
            if layer[b] < layer[a] + 1 {
                layer[b] = layer[a] + 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let count = layer.iter().max().map_or(0, |m| m + 1);
    let mut slots: Vec<Vec<Slot>> = vec![Vec::new(); count];
    for (i, &l) in layer.iter().enumerate() {
        slots[l].push(Slot::Node(i));
    }
    // What each slot continues from in the layer before: a node's predecessors, a via's node or via.
    let mut before: BTreeMap<(usize, Slot), Vec<Slot>> = BTreeMap::new();
    for &(e, a, b) in &forward {
        let mut prev = Slot::Node(a);
        for (l, crossed) in slots.iter_mut().enumerate().take(layer[b]).skip(layer[a] + 1) {
            crossed.push(Slot::Via(e));
            before.entry((l, Slot::Via(e))).or_default().push(prev);
            prev = Slot::Via(e);
        }
        before.entry((layer[b], Slot::Node(b))).or_default().push(prev);
    }
    // Another service's functions use these: they go to the bottom of their layer, nearest the
    // consumers, whose boxes are below (producers come first).
    let used_from_outside: Vec<bool> =
        nodes.iter().map(|n| d.edges.iter().any(|e| e.to == n.id && !index.contains_key(e.from.as_str()))).collect();
    let mut row: BTreeMap<Slot, f64> = BTreeMap::new();
    for (l, layer_slots) in slots.iter_mut().enumerate() {
        let key = |s: &Slot| {
            let bary = match before.get(&(l, *s)) {
                Some(from) => from.iter().map(|p| row.get(p).copied().unwrap_or(0.0)).sum::<f64>() / from.len() as f64,
                None => f64::MAX,
            };
            (matches!(s, Slot::Node(i) if used_from_outside[*i]), bary)
        };
        let mut keyed: Vec<((bool, f64), Slot)> = layer_slots.iter().map(|s| (key(s), *s)).collect();
        keyed.sort_by(|a, b| a.0 .0.cmp(&b.0 .0).then(a.0 .1.total_cmp(&b.0 .1)).then(a.1.cmp(&b.1)));
        *layer_slots = keyed.into_iter().map(|(_, s)| s).collect();
        // A via's row is its edge's in this layer only; the next layer reads it before it moves on.
        for (r, s) in layer_slots.iter().enumerate() {
            row.insert(*s, r as f64);
        }
    }
    slots
}

/// The edges minus those a depth-first walk (in node order) finds closing a cycle.
fn acyclic(n: usize, edges: &[(usize, usize, usize)]) -> Vec<(usize, usize, usize)> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let mut mark = vec![Mark::New; n];
    let mut back = Vec::new();
    for start in 0..n {
        if mark[start] != Mark::New {
            continue;
        }
        // An explicit stack: a long chain must not overflow the thread's.
        let mut stack = vec![(start, 0usize)];
        mark[start] = Mark::Open;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            let out: Vec<(usize, usize)> = edges.iter().filter(|x| x.1 == node).map(|x| (x.0, x.2)).collect();
            if let Some(&(e, to)) = out.get(*next) {
                *next += 1;
                match mark[to] {
                    Mark::New => {
                        mark[to] = Mark::Open;
                        stack.push((to, 0));
                    }
                    Mark::Open => back.push(e),
                    Mark::Done => {}
                }
            } else {
                mark[node] = Mark::Done;
                stack.pop();
            }
        }
    }
    edges.iter().copied().filter(|x| !back.contains(&x.0)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagram::{Edge, EdgeKind, Group, NodeKind};

    fn diagram(nodes: &[&str], edges: &[(&str, &str)]) -> Diagram {
        let nodes =
            nodes.iter().map(|n| Node { id: n.to_string(), label: n.to_string(), kind: NodeKind::Function }).collect();
        let edges = edges
            .iter()
            .map(|(a, b)| Edge {
                from: a.to_string(),
                to: b.to_string(),
                label: String::new(),
                kind: EdgeKind::Trigger,
            })
            .collect();
        Diagram { groups: vec![Group { service: None, nodes }], edges }
    }

    #[test]
    fn a_chain_goes_left_to_right_and_a_cycle_does_not_stop_it() {
        let l = layout(&diagram(&["a", "b", "c"], &[("a", "b"), ("b", "c"), ("c", "a")]));
        assert!(l.nodes["a"].x < l.nodes["b"].x && l.nodes["b"].x < l.nodes["c"].x);
    }

    #[test]
    fn a_long_edge_runs_beside_the_nodes_it_passes_not_through_them() {
        // a → b → c, and a → c over b's layer.
        let l = layout(&diagram(&["a", "b", "c"], &[("a", "b"), ("b", "c"), ("a", "c")]));
        let vias = &l.vias[&2];
        assert_eq!(vias.len(), 1);
        let (b, (_, _, y)) = (&l.nodes["b"], vias[0]);
        assert!(
            y < b.y || y > b.y + NODE_H,
            "the long edge crosses b's layer at {y}, b is at {}..{}",
            b.y,
            b.y + NODE_H
        );
    }
}
