//! The typed model of a `#[derive(Credentials)]` input: the struct, its
//! profiles, and per field and profile, the variable it reads and how.

use darling::{FromDeriveInput, FromField};
use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, LitStr, Type};

use crate::attr::{ContainerAttrs, FieldAttrs, ProfilesAttr};
use crate::names::{description, screaming_snake};
use crate::ty;

pub(crate) struct Input<'a> {
    pub ident: &'a syn::Ident,
    pub vis: &'a syn::Visibility,
    pub generics: &'a syn::Generics,
    pub krate: syn::Path,
    pub prefix: Option<LitStr>,
    /// As written, for validation.
    pub profiles_attr: Option<ProfilesAttr>,
    /// The declared profiles; empty for a struct without profiles.
    pub profiles: Vec<Profile>,
    /// The profile used when the selecting variable is unset.
    pub default_profile: usize,
    /// `bundle = "NAME"`.
    pub bundle: Option<LitStr>,
    pub fields: Vec<Field>,
}

pub(crate) struct Profile {
    pub ident: syn::Ident,
    pub prefix: String,
    pub production: bool,
}

pub(crate) struct Field {
    pub attrs: FieldAttrs,
    pub ident: syn::Ident,
    pub kind: Kind,
    /// The doc comment's first paragraph, on one line.
    pub description: String,
    /// The field's type is `Option<T>` (whether each profile's variable may be
    /// unset is [`Var::optional`]).
    pub is_option: bool,
    /// `Vec<T>` (possibly inside the `Option`).
    pub vec: bool,
    /// What one value parses into: the type without `Option` and `Vec`.
    pub value_ty: Type,
    /// By `#[credential(secret)]` or by a secrecy type.
    pub secret: bool,
    /// The variable in each profile, in the order of [`Input::profiles`]; a
    /// single one without profiles. For a `flatten` field, `name` is the
    /// nested struct's prefix.
    pub vars: Vec<Var>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Reads one variable.
    Var,
    /// A nested credentials struct.
    Flatten,
    /// Receives the active profile's name.
    Profile,
}

pub(crate) struct Var {
    pub name: String,
    pub name_span: Span,
    /// The default's text and where it is written.
    pub default: Option<(String, Span)>,
    /// Unset is a warning, not an error: the field is an `Option` and this
    /// profile does not make it `required`.
    pub optional: bool,
}

impl Field {
    /// A `Vec<T>` read from one variable split at `split = "…"`.
    pub(crate) fn is_list(&self) -> bool {
        self.vec && self.attrs.split.is_some()
    }
}

impl Input<'_> {
    /// The variable that selects the profile, if the struct has profiles.
    pub(crate) fn selector(&self) -> Option<String> {
        let attr = self.profiles_attr.as_ref()?;
        Some(attr.select.as_ref().map(LitStr::value).unwrap_or_default())
    }

    /// The index of each profile, each with a variable list of its own; one
    /// (0) without profiles.
    pub(crate) fn profile_indices(&self) -> std::ops::Range<usize> {
        0..self.profiles.len().max(1)
    }
}

/// What [`parse`] reads: where credenv is (for the stub a failed derive
/// emits too), and the model, if the input is a struct with named fields.
pub(crate) struct Parsed<'a> {
    pub krate: syn::Path,
    pub model: Option<Input<'a>>,
}

/// Reads the input into the model, each problem into `errors` (to which
/// [`validate`](crate::validate) adds its own). A struct that is not one with
/// named fields has no model at all.
pub(crate) fn parse<'a>(
    input: &'a DeriveInput,
    errors: &mut darling::error::Accumulator,
) -> Parsed<'a> {
    let container = errors.handle(ContainerAttrs::from_derive_input(input));
    let (prefix, krate, profiles_attr, bundle) = match container {
        Some(c) => (c.prefix, c.krate, c.profiles, c.bundle),
        None => (None, None, None, None),
    };
    let krate = krate.unwrap_or_else(default_crate);
    let Some(named) = errors.handle(named_fields(input)) else {
        return Parsed { krate, model: None };
    };
    let profiles: Vec<Profile> = profiles_attr
        .iter()
        .flat_map(|attr| &attr.list.0)
        .map(|(ident, attrs)| Profile {
            ident: ident.clone(),
            prefix: attrs.prefix.as_ref().map(LitStr::value).unwrap_or_default(),
            production: !attrs.non_production.is_present(),
        })
        .collect();
    let default_profile = profiles_attr
        .as_ref()
        .and_then(|attr| attr.default.as_ref())
        .and_then(|default| profiles.iter().position(|p| p.ident == default.value()))
        .unwrap_or(0);
    misplaced(input, named, errors);
    let prefix_text = prefix.as_ref().map(LitStr::value).unwrap_or_default();
    let fields = named
        .iter()
        .filter_map(|field| errors.handle(FieldAttrs::from_field(field)))
        .map(|attrs| Field::new(attrs, &prefix_text, &profiles))
        .collect();
    let model = Input {
        ident: &input.ident,
        vis: &input.vis,
        generics: &input.generics,
        krate: krate.clone(),
        prefix,
        profiles_attr,
        profiles,
        default_profile,
        bundle,
        fields,
    };
    Parsed {
        krate,
        model: Some(model),
    }
}

/// `#[credential(...)]` on the struct or `#[credentials(...)]` on a field:
/// one letter apart, and each silently ignored where the other belongs.
fn misplaced(
    input: &DeriveInput,
    fields: &syn::punctuated::Punctuated<syn::Field, syn::Token![,]>,
    errors: &mut darling::error::Accumulator,
) {
    for attr in input
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("credential"))
    {
        errors.push(
            darling::Error::custom(
                "`#[credential(...)]` belongs on a field; on the struct, write `#[credentials(...)]`",
            )
            .with_span(attr),
        );
    }
    for field in fields {
        for attr in field
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("credentials"))
        {
            errors.push(
                darling::Error::custom(
                    "`#[credentials(...)]` belongs on the struct; on a field, write `#[credential(...)]`",
                )
                .with_span(attr),
            );
        }
    }
}

fn default_crate() -> syn::Path {
    syn::parse_quote!(::credenv)
}

const SHAPE_HINT: &str =
    "Credentials can only be derived for a struct with named fields, one per variable";

fn named_fields(
    input: &DeriveInput,
) -> darling::Result<&syn::punctuated::Punctuated<syn::Field, syn::Token![,]>> {
    let (what, span) = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => return Ok(&named.named),
            Fields::Unnamed(fields) => ("a tuple struct", fields.span()),
            Fields::Unit => ("a unit struct", input.ident.span()),
        },
        Data::Enum(data) => ("an enum", data.enum_token.span),
        Data::Union(data) => ("a union", data.union_token.span),
    };
    Err(darling::Error::custom(format!("{SHAPE_HINT}, not {what}")).with_span(&span))
}

impl Field {
    fn new(attrs: FieldAttrs, prefix: &str, profiles: &[Profile]) -> Field {
        let ident = attrs.ident.clone().expect("named fields have names");
        let kind = if attrs.flatten.is_present() {
            Kind::Flatten
        } else if attrs.profile.is_present() {
            Kind::Profile
        } else {
            Kind::Var
        };
        let optional = ty::inner(&attrs.ty, "Option");
        let unwrapped = optional.unwrap_or(&attrs.ty);
        let vec = ty::inner(unwrapped, "Vec");
        let value_ty = vec.unwrap_or(unwrapped).clone();
        let mut field = Field {
            description: description(&attrs.attrs),
            kind,
            is_option: optional.is_some(),
            vec: vec.is_some(),
            secret: attrs.secret.is_present() || ty::is_secret(&value_ty),
            value_ty,
            vars: Vec::new(),
            ident,
            attrs,
        };
        field.vars = match profiles {
            [] => vec![field.var(prefix, None)],
            _ => profiles
                .iter()
                .map(|p| field.var(prefix, Some(p)))
                .collect(),
        };
        field
    }

    /// The variable this field reads in `profile`: the profile's settings
    /// win over the field's, which win over the derived name.
    fn var(&self, prefix: &str, profile: Option<&Profile>) -> Var {
        let a = &self.attrs;
        let in_profile = profile.and_then(|p| {
            let settings = a.profiles.as_ref()?;
            settings
                .0
                .iter()
                .find(|(ident, _)| *ident == p.ident)
                .map(|(_, s)| s)
        });
        let profile_prefix = profile.map_or("", |p| p.prefix.as_str());
        let env = in_profile.and_then(|s| s.env.as_ref()).or(a.env.as_ref());
        let (name, name_span) = match (self.kind, env) {
            (Kind::Flatten, _) => match &a.exact_prefix {
                Some(exact) => (exact.value(), exact.span()),
                None => {
                    let own = a.prefix.as_ref().map(LitStr::value).unwrap_or_default();
                    (format!("{prefix}{profile_prefix}{own}"), self.ident.span())
                }
            },
            (_, Some(env)) => (env.value(), env.span()),
            (_, None) => (
                format!("{prefix}{profile_prefix}{}", screaming_snake(&self.ident)),
                self.ident.span(),
            ),
        };
        let default = in_profile
            .and_then(|s| s.default.as_ref())
            .or(a.default.as_ref());
        let required_here = in_profile.is_some_and(|s| s.required.is_present());
        Var {
            name,
            name_span,
            default: default.map(|d| (d.text.clone(), d.span)),
            optional: self.is_option && !required_here,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    fn model(input: &DeriveInput) -> Input<'_> {
        let mut errors = darling::Error::accumulator();
        let parsed = parse(input, &mut errors);
        errors.finish().unwrap();
        parsed.model.expect("a struct with named fields")
    }

    #[test]
    fn names_come_from_fields_prefix_and_env() {
        let input: DeriveInput = parse_quote! {
            #[credentials(prefix = "APP_")]
            struct Creds {
                github_token: String,
                #[credential(env = "OPENAI_API_KEY")]
                openai_key: String,
                r#type: String,
                #[credential(flatten, prefix = "DB_")]
                db: Db,
            }
        };
        let names: Vec<_> = model(&input)
            .fields
            .iter()
            .map(|f| f.vars[0].name.clone())
            .collect();
        assert_eq!(
            names,
            ["APP_GITHUB_TOKEN", "OPENAI_API_KEY", "APP_TYPE", "APP_DB_"]
        );
    }

    #[test]
    fn types_decide_optional_list_and_secret() {
        let input: DeriveInput = parse_quote! {
            struct Creds {
                a: Option<SecretString>,
                #[credential(split = ",")]
                b: Option<Vec<u16>>,
                #[credential(secret)]
                c: String,
            }
        };
        let m = model(&input);
        let [a, b, c] = &m.fields[..] else { panic!() };
        assert!(a.is_option && a.secret && !a.vec);
        assert!(b.is_option && b.is_list() && !b.secret);
        assert_eq!(ty::display(&b.value_ty), "u16");
        assert!(c.secret && !c.is_option);
    }

    #[test]
    fn descriptions_are_the_first_paragraph_on_one_line() {
        let input: DeriveInput = parse_quote! {
            struct Creds {
                ///  GitHub Personal
                /// Access Token
                ///
                /// Create one at github.com/settings/tokens.
                token: String,
                bare: String,
            }
        };
        let m = model(&input);
        assert_eq!(m.fields[0].description, "GitHub Personal Access Token");
        assert_eq!(m.fields[1].description, "");
    }
}
