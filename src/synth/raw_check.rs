//! Synthesis: the user's raw `cloudformation:` section checked, not trusted — every short-form
//! tag must be an intrinsic CloudFormation knows, and every `Ref`/`GetAtt` must name something
//! the finished template has, each problem located where it is written.

use crate::config::diagnostic::suggest;
use crate::config::yaml::{Kind, Node};
use crate::config::Problem;
use std::collections::BTreeSet;

/// The short forms CloudFormation's YAML accepts (`!Ref`, `!Sub`, …).
const INTRINSICS: &[&str] = &[
    "Ref",
    "Condition",
    "GetAtt",
    "Sub",
    "Join",
    "Select",
    "Split",
    "If",
    "Equals",
    "And",
    "Or",
    "Not",
    "FindInMap",
    "Base64",
    "Cidr",
    "GetAZs",
    "ImportValue",
    "Transform",
    "ToJsonString",
    "Length",
];

/// Problems in the raw section `node`, given every id the template defines (resources,
/// parameters) and the conditions it has.
pub(super) fn check(node: &Node, ids: &BTreeSet<String>) -> Vec<Problem> {
    let mut problems = Vec::new();
    walk(node, &mut |n| {
        let Some(tag) = n.tag.as_deref() else {
            // Long form: `{ Ref: X }` and `{ Fn::GetAtt: [X, Attr] }`.
            if let Kind::Map(entries) = &n.kind {
                if let [(k, v)] = entries.as_slice() {
                    match k.as_scalar() {
                        Some("Ref") => target(v.as_scalar(), v, ids, &mut problems),
                        Some("Fn::GetAtt") => target(getatt_target(v), v, ids, &mut problems),
                        _ => {}
                    }
                }
            }
            return;
        };
        if !INTRINSICS.contains(&tag) {
            let help = suggest(tag, INTRINSICS, "CloudFormation's short forms");
            let help = help.replace("did you mean `", "did you mean `!");
            problems.push(Problem::new(n.span, format!("`!{tag}` is not a CloudFormation intrinsic")).help(help));
            return;
        }
        match tag {
            "Ref" => target(n.as_scalar(), n, ids, &mut problems),
            "GetAtt" => target(getatt_target(n), n, ids, &mut problems),
            _ => {}
        }
    });
    problems
}

/// The logical id a GetAtt reads: `X.Attr` or `[X, Attr]`.
fn getatt_target(n: &Node) -> Option<&str> {
    match &n.kind {
        Kind::Scalar { value, .. } => value.split('.').next(),
        Kind::Seq(items) => items.first().and_then(Node::as_scalar),
        Kind::Map(_) => None,
    }
}

fn target(id: Option<&str>, at: &Node, ids: &BTreeSet<String>, problems: &mut Vec<Problem>) {
    // Pseudo parameters (`AWS::Region`) always exist; a computed target cannot be checked.
    let Some(id) = id.filter(|id| !id.starts_with("AWS::")) else { return };
    if !ids.contains(id) {
        let known: Vec<&String> = ids.iter().collect();
        let help = suggest(id, &known, "the template's ids (see .sls/<stage>/template.json)");
        problems
            .push(Problem::new(at.span, format!("`{id}` is not a resource or parameter of the template")).help(help));
    }
}

fn walk<'a>(node: &'a Node, f: &mut impl FnMut(&'a Node)) {
    f(node);
    match &node.kind {
        Kind::Seq(items) => items.iter().for_each(|i| walk(i, f)),
        Kind::Map(entries) => entries.iter().for_each(|(_, v)| walk(v, f)),
        Kind::Scalar { .. } => {}
    }
}
