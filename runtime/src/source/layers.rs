//! Layering: a tuple of sources, the first that has a variable winning.

use std::io;
use std::path::PathBuf;

use super::{Source, Value};
use crate::VarSpec;

/// Layers: the first source that has a variable gives it. `(Env, dotenv)`
/// lets the process environment override a `.env` file; a snapshot is taken
/// of each layer that offers one.
macro_rules! layers {
    ($($layer:ident: $index:tt),+) => {
        impl<$($layer: Source),+> Source for ($($layer,)+) {
            fn get(&self, name: &str) -> Option<Value<'_>> {
                None$(.or_else(|| self.$index.get(name)))+
            }

            fn snapshot(&self, vars: &'static [VarSpec]) -> Option<Box<dyn Source + '_>> {
                let snapshots = ($(self.$index.snapshot(vars),)+);
                if true $(&& snapshots.$index.is_none())+ {
                    return None;
                }
                let layers: Vec<Box<dyn Source + '_>> = vec![
                    $(snapshots.$index.unwrap_or_else(|| Box::new(&self.$index))),+
                ];
                Some(Box::new(Stack(layers)))
            }

            fn may_hold_file_vars(&self) -> bool {
                false $(|| self.$index.may_hold_file_vars())+
            }

            fn may_hold_references(&self) -> bool {
                false $(|| self.$index.may_hold_references())+
            }

            fn paths(&self) -> Vec<PathBuf> {
                let mut paths = Vec::new();
                $(paths.extend(self.$index.paths());)+
                paths
            }

            fn reread(&mut self) -> io::Result<()> {
                $(self.$index.reread()?;)+
                Ok(())
            }
        }
    };
}

layers!(A: 0, B: 1);
layers!(A: 0, B: 1, C: 2);
layers!(A: 0, B: 1, C: 2, D: 3);

/// Layers that have been snapshotted, first wins.
pub(crate) struct Stack<'a>(pub(crate) Vec<Box<dyn Source + 'a>>);

impl Source for Stack<'_> {
    fn get(&self, name: &str) -> Option<Value<'_>> {
        self.0.iter().find_map(|layer| layer.get(name))
    }

    fn may_hold_file_vars(&self) -> bool {
        self.0.iter().any(|layer| layer.may_hold_file_vars())
    }

    fn may_hold_references(&self) -> bool {
        self.0.iter().any(|layer| layer.may_hold_references())
    }
}
