//! Config stage: references to another service's stack outputs, `${users.outputs.SignupsQueueUrl}`,
//! found in environment values. Whether the service and output exist is the project graph's
//! to check (it alone knows the other services); here they are only found and located.

use super::yaml::Span;

/// One `${service.outputs.Key}` in an environment value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The service's key under the project's `services:`.
    pub service: String,
    pub output: String,
    /// Where the value holding it is.
    pub span: Span,
}

/// A piece of an environment value: text, or a reference to fill in at deploy time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece<'a> {
    Text(&'a str),
    Output { service: &'a str, output: &'a str },
}

/// Splits `value` into text and references. `${…}` that is not `${a.outputs.B}` stays text:
/// only the exact form is ours, so a value such as `${HOME}` keeps working as it did.
pub(crate) fn pieces(value: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = value;
    let mut text_start = 0;
    let mut offset = 0;
    while let Some(at) = rest.find("${") {
        let open = offset + at;
        let Some(len) = value[open + 2..].find('}') else { break };
        let inner = &value[open + 2..open + 2 + len];
        if let Some((service, output)) = parse_inner(inner) {
            if text_start < open {
                out.push(Piece::Text(&value[text_start..open]));
            }
            out.push(Piece::Output { service, output });
            text_start = open + 2 + len + 1;
        }
        offset = open + 2;
        rest = &value[offset..];
    }
    if text_start < value.len() {
        out.push(Piece::Text(&value[text_start..]));
    }
    out
}

fn parse_inner(inner: &str) -> Option<(&str, &str)> {
    let mut parts = inner.split('.');
    let (service, word, output) = (parts.next()?, parts.next()?, parts.next()?);
    let name_ok = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    (parts.next().is_none() && word == "outputs" && name_ok(service) && name_ok(output)).then_some((service, output))
}

/// The references in `value`, located at `span`.
pub(crate) fn find(value: &str, span: Span) -> Vec<Reference> {
    pieces(value)
        .into_iter()
        .filter_map(|p| match p {
            Piece::Output { service, output } => {
                Some(Reference { service: service.into(), output: output.into(), span })
            }
            Piece::Text(_) => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_value_is_one_reference() {
        assert_eq!(
            pieces("${users.outputs.SignupsQueueUrl}"),
            vec![Piece::Output { service: "users", output: "SignupsQueueUrl" }]
        );
    }

    #[test]
    fn references_mix_with_text_and_other_dollar_braces_stay_text() {
        assert_eq!(
            pieces("${HOME}/x?q=${api.outputs.ApiUrl}&v=1"),
            vec![Piece::Text("${HOME}/x?q="), Piece::Output { service: "api", output: "ApiUrl" }, Piece::Text("&v=1"),]
        );
        assert_eq!(pieces("${a.inputs.B} and ${unclosed"), vec![Piece::Text("${a.inputs.B} and ${unclosed")]);
        assert!(find("plain", Span::default()).is_empty());
    }
}
