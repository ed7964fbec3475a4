//! `serde` support: policies, lists, sources and directive names serialize as their header
//! text; deserializing validates like the builder (any ignored or ineffective part is an error).

use serde::de::{Error as _, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::model::DirectiveName;
use crate::policy::{Policy, PolicyList};
use crate::source::Source;

struct StrVisitor;

impl Visitor<'_> for StrVisitor {
    type Value = String;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
}

fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    d.deserialize_str(StrVisitor)
}

impl Serialize for Policy {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Policy {
    /// Exactly one policy, with no diagnostic that reports dropped or ineffective input.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = string(d)?;
        let parsed = PolicyList::parse(&text);
        if let Some(diag) = parsed.diagnostics.iter().find(|d| d.kind().is_error()) {
            return Err(D::Error::custom(format!("invalid policy {text:?}: {diag}")));
        }
        let mut policies = parsed.value.policies;
        match (policies.pop(), policies.is_empty()) {
            (Some(p), true) => Ok(p),
            _ => Err(D::Error::custom(format!(
                "expected exactly one policy in {text:?}"
            ))),
        }
    }
}

impl Serialize for PolicyList {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PolicyList {
    /// A header value with no diagnostic that reports dropped or ineffective input.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = string(d)?;
        let parsed = PolicyList::parse(&text);
        if let Some(diag) = parsed.diagnostics.iter().find(|d| d.kind().is_error()) {
            return Err(D::Error::custom(format!(
                "invalid policy list {text:?}: {diag}"
            )));
        }
        Ok(parsed.value)
    }
}

impl Serialize for Source {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Source {
    /// A source expression, validated like [`Source::from_str`](std::str::FromStr).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        string(d)?.parse().map_err(D::Error::custom)
    }
}

impl Serialize for DirectiveName {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for DirectiveName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = string(d)?;
        DirectiveName::from_name(&text)
            .ok_or_else(|| D::Error::custom(format!("unknown directive {text:?}")))
    }
}
