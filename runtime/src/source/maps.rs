//! Maps and lists of pairs as sources: what tests load from, since changing
//! the process environment is `unsafe`.

use std::borrow::Borrow;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasher, Hash};

use super::{Source, Value, forward_source, may_be_reference, names_a_file};

impl<K, V, S> Source for HashMap<K, V, S>
where
    K: Borrow<str> + Hash + Eq,
    V: AsRef<str>,
    S: BuildHasher,
{
    fn get(&self, name: &str) -> Option<Value<'_>> {
        self.__text(name).map(Value::new)
    }

    fn __plain(&self) -> bool {
        true
    }

    fn __text(&self, name: &str) -> Option<&str> {
        HashMap::get(self, name).map(AsRef::as_ref)
    }

    fn may_hold_file_vars(&self) -> bool {
        self.keys().any(|k| names_a_file(k.borrow()))
    }

    fn may_hold_references(&self) -> bool {
        self.values().any(may_be_reference)
    }
}

impl<K, V> Source for BTreeMap<K, V>
where
    K: Borrow<str> + Ord,
    V: AsRef<str>,
{
    fn get(&self, name: &str) -> Option<Value<'_>> {
        self.__text(name).map(Value::new)
    }

    fn __plain(&self) -> bool {
        true
    }

    fn __text(&self, name: &str) -> Option<&str> {
        BTreeMap::get(self, name).map(AsRef::as_ref)
    }

    fn may_hold_file_vars(&self) -> bool {
        self.keys().any(|k| names_a_file(k.borrow()))
    }

    fn may_hold_references(&self) -> bool {
        self.values().any(may_be_reference)
    }
}

/// The last pair with the name wins, as in a shell.
impl<K: AsRef<str>, V: AsRef<str>> Source for [(K, V)] {
    fn get(&self, name: &str) -> Option<Value<'_>> {
        self.__text(name).map(Value::new)
    }

    fn __plain(&self) -> bool {
        true
    }

    fn __text(&self, name: &str) -> Option<&str> {
        self.iter()
            .rev()
            .find(|(k, _)| k.as_ref() == name)
            .map(|(_, v)| v.as_ref())
    }

    fn may_hold_file_vars(&self) -> bool {
        self.iter().any(|(k, _)| names_a_file(k.as_ref()))
    }

    fn may_hold_references(&self) -> bool {
        self.iter().any(|(_, v)| may_be_reference(v))
    }
}

impl<K: AsRef<str>, V: AsRef<str>, const N: usize> Source for [(K, V); N] {
    forward_source!(self => self.as_slice());
}

impl<K: AsRef<str>, V: AsRef<str>> Source for Vec<(K, V)> {
    forward_source!(self => self.as_slice());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Origin;

    /// A plain source's text is `get`'s, from the environment's layer: a
    /// load that asks `__text` reads what `get` would give.
    #[test]
    fn plain_text_is_what_get_gives() {
        let map = HashMap::from([("A".to_string(), "1".to_string())]);
        let btree = BTreeMap::from([("A", "1")]);
        let pairs = [("A", "0"), ("A", "1")];
        let sources: [&dyn Source; 4] = [&map, &btree, &pairs, &pairs.to_vec()];
        for source in sources {
            assert!(source.__plain());
            for name in ["A", "B"] {
                let value = source.get(name);
                assert_eq!(
                    source.__text(name),
                    value
                        .as_ref()
                        .map(|v| v.text.as_ref().ok().unwrap().as_str())
                );
                assert!(value.is_none_or(|v| v.origin == Origin::Env));
            }
        }
    }
}
