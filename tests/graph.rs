//! `sls-rs graph` on the generated projects: the Mermaid, DOT and SVG it prints are read back
//! into nodes and edges and compared with what the config declares, and each template's README
//! shows the diagram `graph` draws for it.

use crate::common::{self, Run, Test};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// An edge as a reader sees it: (from, to, label, dashed), by node labels.
type Edges = BTreeSet<(String, String, String, bool)>;

fn generated(template: &str) -> Test {
    let t = Test::new().args(["new", "demo", "--template", template]);
    t.run().status(0);
    t
}

fn graph(dir: &Path, args: &[&str]) -> String {
    let run = Run::from(common::command(dir).arg("graph").args(args).output().unwrap());
    run.status(0);
    run.stdout
}

fn edge(from: &str, to: &str, label: &str, dashed: bool) -> (String, String, String, bool) {
    (from.into(), to.into(), label.into(), dashed)
}

/// Mermaid's flowchart as printed: `id<open>"label"<close>` nodes, `a -->|"label"| b` edges,
/// subgraphs per service. Returns id → label, the edges, and the subgraphs' titles.
fn read_mermaid(text: &str) -> (BTreeMap<String, String>, Edges, Vec<String>) {
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("flowchart LR"), "{text}");
    let (mut nodes, mut raw, mut groups) = (BTreeMap::new(), Vec::new(), Vec::new());
    for line in lines.map(str::trim) {
        let id: String = line.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        let rest = line[id.len()..].trim_start();
        if line.starts_with("subgraph ") {
            groups.push(line.split('"').nth(1).unwrap().to_string());
        } else if line == "end" || line.starts_with("classDef ") || line.starts_with("class ") {
        } else if let Some(arrow) = ["-->", "-.->"].into_iter().find(|a| rest.starts_with(a)) {
            let rest = &rest[arrow.len()..];
            let (label, to) = match rest.strip_prefix("|\"") {
                Some(r) => {
                    let (label, to) = r.split_once("\"|").unwrap();
                    (label.to_string(), to.trim())
                }
                None => (String::new(), rest.trim()),
            };
            raw.push((id, to.to_string(), label.replace("#quot;", "\""), arrow == "-.->"));
        } else {
            let (open, after) = rest.split_once('"').unwrap_or_else(|| panic!("not a node: {line}"));
            let (label, close) = after.rsplit_once('"').unwrap();
            assert!(SHAPES.contains(&(open, close)), "unknown shape {open}…{close} in {line}");
            nodes.insert(id, label.replace("#quot;", "\""));
        }
    }
    let edges = raw.into_iter().map(|(a, b, l, d)| (nodes[&a].clone(), nodes[&b].clone(), l, d)).collect();
    (nodes, edges, groups)
}

const SHAPES: &[(&str, &str)] =
    &[("([", "])"), (">", "]"), ("[", "]"), ("[(", ")]"), ("[[", "]]"), ("[/", "/]"), ("{{", "}}")];

/// DOT as printed: `id [label="…", …];` nodes, `a -> b [label="…"(, style=dashed)];` edges.
fn read_dot(text: &str) -> (BTreeMap<String, String>, Edges, Vec<String>) {
    assert!(text.starts_with("digraph backend {") && text.trim_end().ends_with('}'), "{text}");
    let label = |attrs: &str| attrs.split("label=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let (mut nodes, mut raw, mut groups) = (BTreeMap::new(), Vec::new(), Vec::new());
    for line in text.lines().map(str::trim) {
        if let Some((ends, attrs)) = line.split_once(" [") {
            match ends.split_once(" -> ") {
                Some((a, b)) => raw.push((a.to_string(), b.to_string(), label(attrs), attrs.contains("style=dashed"))),
                None if !matches!(ends, "node" | "edge") => {
                    nodes.insert(ends.to_string(), label(attrs));
                }
                None => {}
            }
        } else if line.starts_with("label=\"") {
            groups.push(label(line));
        }
    }
    let edges = raw.into_iter().map(|(a, b, l, d)| (nodes[&a].clone(), nodes[&b].clone(), l, d)).collect();
    (nodes, edges, groups)
}

/// Node id → [x, y, width, height] as drawn.
type Boxes = BTreeMap<String, [f64; 4]>;

/// The SVG must be well-formed XML (a browser shows nothing otherwise): Python's parser says.
/// Returns each node's id and box, and each edge's ends.
fn read_svg(dir: &Path, text: &str) -> (Boxes, BTreeSet<(String, String)>) {
    let file = dir.join("graph.svg");
    std::fs::write(&file, text).unwrap();
    let parsed = std::process::Command::new("python3")
        .args(["-c", "import sys, xml.dom.minidom as m; m.parse(sys.argv[1])"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(parsed.status.success(), "{}", String::from_utf8_lossy(&parsed.stderr));
    let attr =
        |s: &str, name: &str| s.split(&format!(" {name}=\"")).nth(1).unwrap().split('"').next().unwrap().to_string();
    let (mut nodes, mut edges) = (BTreeMap::new(), BTreeSet::new());
    for g in text.split("<g class=\"").skip(1) {
        if g.starts_with("node\"") {
            let n = |name| attr(g, name).parse::<f64>().unwrap();
            nodes.insert(attr(g, "data-id"), [n("x"), n("y"), n("width"), n("height")]);
        } else if g.starts_with("edge\"") {
            edges.insert((attr(g, "data-from"), attr(g, "data-to")));
        }
    }
    (nodes, edges)
}

#[test]
fn the_event_driven_project_is_drawn_with_every_trigger_and_grant() {
    let t = generated("event-driven");
    let dir = t.path().join("demo");
    let (nodes, edges, groups) = read_mermaid(&graph(&dir, &[]));
    let expected: Edges = [
        edge("POST /signups", "api", "", false),
        edge("GET /users/{id}", "api", "", false),
        edge("api", "users", "read", true),
        edge("api", "signups", "write", true),
        edge("signups", "signup-worker", "batch 10", false),
        edge("signups", "signups DLQ", "dead letters", true),
        edge("signup-worker", "users", "write", true),
        edge("uploads", "thumbnail", "upload images/*.png", false),
        edge("thumbnail", "uploads", "read/write", true),
        edge("thumbnail", "thumbnail failures", "on failure", true),
        edge("rate(1 day)", "nightly", "", false),
        edge("nightly", "nightly failures", "on failure", true),
    ]
    .into_iter()
    .collect();
    assert_eq!(edges, expected);
    assert!(groups.is_empty(), "one service, no boxes: {groups:?}");

    let (dot_nodes, dot_edges, _) = read_dot(&graph(&dir, &["--format", "dot"]));
    assert_eq!(dot_edges, expected);
    assert_eq!(dot_nodes, nodes, "the same nodes by the same ids");

    let (boxes, svg_edges) = read_svg(t.path(), &graph(&dir, &["--format", "svg"]));
    assert_eq!(boxes.keys().collect::<Vec<_>>(), nodes.keys().collect::<Vec<_>>());
    assert_eq!(svg_edges.len(), expected.len());
    // Laid out, not piled up: no two nodes overlap.
    for (a, [ax, ay, aw, ah]) in &boxes {
        for (b, [bx, by, bw, bh]) in &boxes {
            let apart = ax + aw <= *bx || bx + bw <= *ax || ay + ah <= *by || by + bh <= *ay;
            assert!(a == b || apart, "{a} and {b} overlap");
        }
    }
}

#[test]
fn a_project_root_draws_a_box_per_service_and_the_edges_between_them() {
    let t = generated("microservices");
    let dir = t.path().join("demo");
    let (_, edges, groups) = read_mermaid(&graph(&dir, &[]));
    assert_eq!(groups, ["orders", "users"], "producers first");
    assert!(edges.contains(&edge("users-api", "signups", "write", true)), "{edges:?}");
    assert!(edges.contains(&edge("signups", "signup-worker", "batch 10", false)), "{edges:?}");
    let (_, dot_edges, dot_groups) = read_dot(&graph(&dir, &["--format", "dot"]));
    assert_eq!((dot_edges, dot_groups), (edges, groups));
}

#[test]
fn every_template_readme_shows_the_diagram_graph_draws() {
    for template in ["http-api", "event-driven", "microservices"] {
        let t = generated(template);
        let dir = t.path().join("demo");
        let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
        let shown = readme.split("```mermaid\n").nth(1).and_then(|r| r.split("```").next());
        assert_eq!(shown, Some(graph(&dir, &[]).as_str()), "{template}'s README: regenerate it with `sls-rs graph`");
    }
}

#[test]
fn json_output_is_the_diagram_itself() {
    let t = generated("http-api");
    let run = Run::from(common::command(&t.path().join("demo")).args(["graph", "--output", "json"]).output().unwrap());
    run.status(0);
    let doc = run.json();
    let kinds: BTreeSet<&str> =
        doc["groups"][0]["nodes"].as_array().unwrap().iter().map(|n| n["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains("route") && kinds.contains("function"), "{doc}");
    assert!(doc["edges"].as_array().unwrap().iter().all(|e| e["kind"] == "trigger" || e["kind"] == "uses"), "{doc}");
}
