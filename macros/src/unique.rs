//! One reader per variable, in each profile's list: the load's own
//! variables (the selector, the bundle), the fields, and no field on
//! another's `NAME_FILE`.

use std::collections::{HashMap, HashSet};

use darling::Error;
use darling::error::Accumulator;

use crate::input::{Input, Kind};

/// Who reads a variable in one profile's list: a field, or the load itself
/// (the selector, the bundle variable) for the reason given.
type Readers<'a> = HashMap<String, Result<&'a syn::Ident, &'static str>>;

/// Within the variable list of one profile: the load's own variables, then
/// two fields reading one variable, then one field reading another's `_FILE`.
pub(crate) fn check_unique(
    input: &Input<'_>,
    profile: usize,
    reported: &mut HashSet<(String, String)>,
    errors: &mut Accumulator,
) {
    let in_profile = match input.profiles.get(profile) {
        Some(profile) => format!(" in profile `{}`", profile.ident),
        None => String::new(),
    };
    let mut readers = load_variables(input, profile == 0, errors);
    check_fields_unique(input, profile, &in_profile, &mut readers, reported, errors);
    check_file_names(input, profile, &in_profile, &readers, reported, errors);
}

/// The variables that configure the load, read in every profile before any
/// field; that one cannot both select the profile and name the bundle is
/// reported once (`report`).
fn load_variables<'a>(input: &'a Input<'_>, report: bool, errors: &mut Accumulator) -> Readers<'a> {
    let mut readers = Readers::new();
    let selector = input.selector().map(|name| (name, "selects the profile"));
    let bundle = input
        .bundle
        .as_ref()
        .map(|b| (b.value(), "names the bundle"));
    for (name, role) in selector.into_iter().chain(bundle) {
        if readers.insert(name.clone(), Err(role)).is_some() && report {
            let bundle = input
                .bundle
                .as_ref()
                .expect("two load variables means a bundle");
            errors.push(
                Error::custom(format!(
                    "`{name}` cannot both select the profile and name the bundle"
                ))
                .with_span(bundle),
            );
        }
    }
    readers
}

/// Two fields, or a field and the load, reading one variable.
fn check_fields_unique<'a>(
    input: &'a Input<'_>,
    profile: usize,
    in_profile: &str,
    readers: &mut Readers<'a>,
    reported: &mut HashSet<(String, String)>,
    errors: &mut Accumulator,
) {
    for field in input.fields.iter().filter(|f| f.kind == Kind::Var) {
        let var = &field.vars[profile];
        match readers.get(var.name.as_str()) {
            None => {
                readers.insert(var.name.clone(), Ok(&field.ident));
            }
            Some(_) if !reported.insert((var.name.clone(), field.ident.to_string())) => {}
            Some(Err(role)) => errors.push(
                Error::custom(format!("`{}` {role}; a field cannot read it too", var.name))
                    .with_span(&var.name_span),
            ),
            Some(Ok(first)) => {
                let hint = match field.attrs.env {
                    Some(_) => "",
                    None => {
                        "\nhint: this field's name after the prefixes is that variable; give one of them `env = \"...\"`"
                    }
                };
                errors.push(
                    Error::custom(format!(
                        "two fields read `{}`{in_profile}: field `{first}` already does{hint}",
                        var.name
                    ))
                    .with_span(&var.name_span),
                );
            }
        }
    }
}

/// A field whose variable is another's `NAME_FILE`: `NAME_FILE=/path` is how
/// `NAME` is read from a file.
fn check_file_names(
    input: &Input<'_>,
    profile: usize,
    in_profile: &str,
    readers: &Readers<'_>,
    reported: &mut HashSet<(String, String)>,
    errors: &mut Accumulator,
) {
    for field in input.fields.iter().filter(|f| f.kind == Kind::Var) {
        let var = &field.vars[profile];
        let owner = var
            .name
            .strip_suffix("_FILE")
            .and_then(|base| readers.get(base));
        if let Some(owner) = owner
            && reported.insert((var.name.clone(), field.ident.to_string()))
        {
            let owner = match owner {
                Ok(ident) => format!("field `{ident}`"),
                Err(_) => "the load".to_owned(),
            };
            errors.push(
                Error::custom(format!(
                    "`{}` is taken{in_profile}: `{}=/path` is how {owner} reads its value from a file; rename one of the two",
                    var.name, var.name
                ))
                .with_span(&var.name_span),
            );
        }
    }
}
