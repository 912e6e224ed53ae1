//! `#[cfg(..)]` predicates, and whether code under them is compiled with a package's default
//! features.
//!
//! Only `feature = ".."` is decided (from the package's `[features] default`, see
//! [`super::workspace::default_features`]); every other predicate (`unix`, `target_os = ..`,
//! `test`, `debug_assertions`, custom `--cfg`s) is unknown. A predicate is *disabled* only when
//! it is false whatever the unknown ones are: `cfg(all(unix, feature = "x"))` with `x` off is
//! disabled, `cfg(any(unix, feature = "x"))` is not.

use super::syntax::{ast, AstNode, HasAttrs, SyntaxNode};

/// A parsed `cfg` predicate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cfg {
    Feature(String),
    /// Any other option (`unix`, `target_os = "linux"`): not decided here.
    Other,
    /// `cfg(true)` / `cfg(false)`.
    Bool(bool),
    All(Vec<Cfg>),
    Any(Vec<Cfg>),
    Not(Box<Cfg>),
}

impl Cfg {
    /// Parses the text inside `cfg(..)`, whitespace removed (`all(unix,feature="x")`). `None`
    /// for text that is not a predicate.
    pub fn parse(text: &str) -> Option<Cfg> {
        let (cfg, rest) = parse_pred(text)?;
        rest.is_empty().then_some(cfg)
    }

    /// The predicate's value with the `enabled` features.
    pub fn eval(&self, enabled: &dyn Fn(&str) -> bool) -> Value {
        match self {
            Cfg::Feature(f) => Value::known(enabled(f)),
            Cfg::Other => Value::Unknown,
            Cfg::Bool(b) => Value::known(*b),
            Cfg::Not(c) => match c.eval(enabled) {
                Value::True => Value::False,
                Value::False => Value::True,
                Value::Unknown => Value::Unknown,
            },
            Cfg::All(cs) => {
                let vals: Vec<Value> = cs.iter().map(|c| c.eval(enabled)).collect();
                if vals.contains(&Value::False) {
                    Value::False
                } else if vals.iter().all(|v| *v == Value::True) {
                    Value::True
                } else {
                    Value::Unknown
                }
            }
            Cfg::Any(cs) => {
                let vals: Vec<Value> = cs.iter().map(|c| c.eval(enabled)).collect();
                if vals.contains(&Value::True) {
                    Value::True
                } else if vals.iter().all(|v| *v == Value::False) {
                    Value::False
                } else {
                    Value::Unknown
                }
            }
        }
    }
}

/// The value of a predicate: decided by the features, or depending on an option that is not
/// a feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    True,
    False,
    Unknown,
}

impl Value {
    fn known(b: bool) -> Value {
        if b {
            Value::True
        } else {
            Value::False
        }
    }
}

fn parse_pred(s: &str) -> Option<(Cfg, &str)> {
    let end = s
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    let (name, rest) = s.split_at(end);
    if name.is_empty() {
        return None;
    }
    if let Some(rest) = rest.strip_prefix('=') {
        // `key = "value"` (a plain string: features have no quotes or escapes).
        let rest = rest.strip_prefix('"')?;
        let close = rest.find('"')?;
        let value = &rest[..close];
        let rest = &rest[close + 1..];
        let cfg = if name == "feature" && !value.contains('\\') {
            Cfg::Feature(value.to_string())
        } else {
            Cfg::Other
        };
        return Some((cfg, rest));
    }
    if let Some(mut rest) = rest.strip_prefix('(') {
        let mut args = Vec::new();
        loop {
            if let Some(r) = rest.strip_prefix(')') {
                rest = r;
                break;
            }
            let (arg, r) = parse_pred(rest)?;
            args.push(arg);
            rest = r.strip_prefix(',').unwrap_or(r);
            if !rest.starts_with(')') && r.len() == rest.len() {
                return None; // neither `,` nor `)`
            }
        }
        let cfg = match name {
            "all" => Cfg::All(args),
            "any" => Cfg::Any(args),
            "not" if args.len() == 1 => Cfg::Not(Box::new(args.pop()?)),
            _ => return None,
        };
        return Some((cfg, rest));
    }
    let cfg = match name {
        "true" => Cfg::Bool(true),
        "false" => Cfg::Bool(false),
        _ => Cfg::Other,
    };
    Some((cfg, rest))
}

/// The predicates (text inside `cfg(..)`, whitespace removed) of the `#[cfg]` attributes on
/// `node` and every node around it, inner `#![cfg]`s of the file and of inline modules included.
pub fn enclosing_cfgs(node: &SyntaxNode) -> Vec<String> {
    node.ancestors()
        .filter_map(ast::AnyHasAttrs::cast)
        .flat_map(|a| cfg_predicates(&a))
        .collect()
}

/// The predicates of the `#[cfg(..)]` attributes written on one node.
pub fn cfg_predicates(attrs: &ast::AnyHasAttrs) -> Vec<String> {
    attrs.attrs().filter_map(|a| cfg_predicate(&a)).collect()
}

/// The predicate text of a `#[cfg(..)]` attribute.
fn cfg_predicate(attr: &ast::Attr) -> Option<String> {
    match attr.meta()? {
        ast::Meta::CfgMeta(m) => Some(super::syntax::text_without_whitespace(
            m.cfg_predicate()?.syntax(),
        )),
        _ => None,
    }
}

/// The predicate (whitespace removed) under which an attribute keeps its item: the `cfg(..)`'s
/// own, `any(not(pred),all(..))` for a `cfg_attr(pred, ..)` holding `cfg`s (nested `cfg_attr`s
/// included). `None` when the attribute holds no `cfg` (it never removes the item).
pub fn compiled_if(meta: &ast::Meta) -> Option<String> {
    let text = |n: &SyntaxNode| super::syntax::text_without_whitespace(n);
    match meta {
        ast::Meta::CfgMeta(m) => Some(
            m.cfg_predicate()
                .map_or_else(String::new, |p| text(p.syntax())),
        ),
        ast::Meta::CfgAttrMeta(m) => {
            let inner: Vec<String> = m.metas().filter_map(|m| compiled_if(&m)).collect();
            if inner.is_empty() {
                return None;
            }
            let pred = m
                .cfg_predicate()
                .map_or_else(String::new, |p| text(p.syntax()));
            Some(format!("any(not({pred}),all({}))", inner.join(",")))
        }
        _ => None,
    }
}

/// `true` when every predicate in `cfgs` can be decided and one of them is false with the
/// `enabled` features: the code is not compiled. Unparsable predicates count as unknown.
pub fn disabled(cfgs: &[String], enabled: &dyn Fn(&str) -> bool) -> bool {
    cfgs.iter()
        .any(|c| Cfg::parse(c).map(|c| c.eval(enabled)) == Some(Value::False))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(text: &str, on: &[&str]) -> Option<bool> {
        match Cfg::parse(text)?.eval(&|f| on.contains(&f)) {
            Value::True => Some(true),
            Value::False => Some(false),
            Value::Unknown => None,
        }
    }

    #[test]
    fn features_are_decided_other_options_are_not() {
        assert_eq!(eval(r#"feature="yaml""#, &[]), Some(false));
        assert_eq!(eval(r#"feature="yaml""#, &["yaml"]), Some(true));
        assert_eq!(eval(r#"not(feature="yaml")"#, &[]), Some(true));
        assert_eq!(eval("unix", &[]), None);
        assert_eq!(eval(r#"target_os="windows""#, &[]), None);
        assert_eq!(eval(r#"all(unix,feature="x")"#, &[]), Some(false));
        assert_eq!(eval(r#"all(unix,feature="x")"#, &["x"]), None);
        assert_eq!(eval(r#"any(unix,feature="x")"#, &[]), None);
        assert_eq!(eval(r#"any(unix,feature="x")"#, &["x"]), Some(true));
        assert_eq!(eval(r#"any(feature="a",feature="b")"#, &["b"]), Some(true));
        assert_eq!(eval(r#"any(feature="a",feature="b",)"#, &[]), Some(false));
        assert_eq!(eval(r#"not(any(feature="a",unix))"#, &["a"]), Some(false));
        assert_eq!(eval("all()", &[]), Some(true));
        assert_eq!(eval("any()", &[]), Some(false));
        assert_eq!(eval("false", &[]), Some(false));
    }

    #[test]
    fn malformed_predicates_are_not_parsed() {
        for text in [
            "",
            "feature=",
            r#"feature="x"extra"#,
            "all(unix",
            "not(unix,windows)",
            r#"foo(feature="x")"#,
            "all(unixwindows))",
        ] {
            assert_eq!(Cfg::parse(text), None, "{text}");
        }
        assert!(!disabled(&["all(unix".into()], &|_| false));
        assert!(disabled(&["unix".into(), r#"feature="x""#.into()], &|_| {
            false
        }));
    }
}
