//! The attributes as written: darling receivers that keep every span, so
//! [`validate`](crate::validate) can point at the offending token.

use darling::ast::NestedMeta;
use darling::util::Flag;
use darling::{FromDeriveInput, FromField, FromMeta};
use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Expr, ExprLit, ExprUnary, Ident, Lit, LitStr, Meta, UnOp};

/// `#[credentials(...)]` on the struct.
#[derive(FromDeriveInput)]
#[darling(attributes(credentials))]
pub(crate) struct ContainerAttrs {
    pub prefix: Option<LitStr>,
    #[darling(rename = "crate")]
    pub krate: Option<syn::Path>,
    pub profiles: Option<ProfilesAttr>,
    /// The variable that may name a bundle of the struct's credentials.
    pub bundle: Option<LitStr>,
}

/// `#[credential(...)]` on a field, and its doc comment.
#[derive(FromField)]
#[darling(attributes(credential), forward_attrs(doc))]
pub(crate) struct FieldAttrs {
    pub ident: Option<syn::Ident>,
    pub ty: syn::Type,
    pub attrs: Vec<syn::Attribute>,
    pub env: Option<LitStr>,
    pub default: Option<DefaultValue>,
    pub secret: Flag,
    pub allow_empty: Flag,
    pub split: Option<LitStr>,
    pub parse_with: Option<syn::Path>,
    pub validate: Option<syn::Path>,
    pub flatten: Flag,
    pub prefix: Option<LitStr>,
    /// With `flatten`: the nested struct's prefix, instead of the struct's
    /// own prefix followed by `prefix`.
    pub exact_prefix: Option<LitStr>,
    // Declared checks (see `checks.rs`).
    pub min_len: Option<syn::LitInt>,
    pub max_len: Option<syn::LitInt>,
    pub starts_with: Option<LitStr>,
    pub one_of: Option<Words>,
    pub min: Option<DefaultValue>,
    pub max: Option<DefaultValue>,
    pub min_items: Option<syn::LitInt>,
    pub max_items: Option<syn::LitInt>,
    /// This field receives the active profile's name.
    pub profile: Flag,
    pub profiles: Option<PerProfile<FieldProfileAttrs>>,
}

/// `profiles(select = "MCP_ENV", default = "development", development(prefix = "DEV_",
/// non_production), production(prefix = "PROD_"))` on the struct.
pub(crate) struct ProfilesAttr {
    pub select: Option<LitStr>,
    pub default: Option<LitStr>,
    pub list: PerProfile<ProfileAttrs>,
    pub span: Span,
}

#[derive(Default, FromMeta)]
pub(crate) struct ProfileAttrs {
    pub prefix: Option<LitStr>,
    pub non_production: Flag,
}

/// `profiles(development(default = "..."), production(env = "...", required))`
/// on a field.
#[derive(Default, FromMeta)]
pub(crate) struct FieldProfileAttrs {
    pub env: Option<LitStr>,
    pub default: Option<DefaultValue>,
    pub required: Flag,
}

/// Settings keyed by profile name: `name(key = value, ...)`, or a bare `name`.
pub(crate) struct PerProfile<T>(pub Vec<(Ident, T)>);

impl<T: FromMeta + Default> PerProfile<T> {
    /// Reads the items that are not `key = value` pairs (`named` gets those).
    fn from_items(
        items: &[NestedMeta],
        mut named: impl FnMut(&syn::MetaNameValue) -> darling::Result<()>,
    ) -> darling::Result<Self> {
        let mut errors = darling::Error::accumulator();
        let mut list = Vec::new();
        for item in items {
            let parsed = match item {
                NestedMeta::Meta(Meta::NameValue(nv)) => {
                    errors.handle(named(nv));
                    continue;
                }
                NestedMeta::Meta(Meta::Path(path)) => {
                    path.require_ident().map(|i| (i.clone(), T::default()))
                }
                NestedMeta::Meta(Meta::List(list)) => list.path.require_ident().and_then(|ident| {
                    let items = NestedMeta::parse_meta_list(list.tokens.clone())?;
                    Ok((
                        ident.clone(),
                        T::from_list(&items).map_err(|e| e.at(ident))?,
                    ))
                }),
                NestedMeta::Lit(lit) => Err(syn::Error::new(lit.span(), "expected a profile name")),
                NestedMeta::NameValueInvalidExpr(invalid) => {
                    errors.push(invalid.error.clone());
                    continue;
                }
            };
            match parsed {
                Ok(entry) => list.push(entry),
                Err(e) => errors.push(e.into()),
            }
        }
        errors.finish_with(PerProfile(list))
    }
}

impl<T: FromMeta + Default> FromMeta for PerProfile<T> {
    fn from_list(items: &[NestedMeta]) -> darling::Result<Self> {
        Self::from_items(items, |nv| {
            Err(darling::Error::custom(
                "expected a profile's settings, such as `production(default = ...)`",
            )
            .with_span(nv))
        })
    }
}

impl FromMeta for ProfilesAttr {
    fn from_meta(meta: &Meta) -> darling::Result<Self> {
        let Meta::List(list) = meta else {
            return Err(
                darling::Error::unsupported_format("word or value; use `profiles(...)`")
                    .with_span(meta),
            );
        };
        let items = NestedMeta::parse_meta_list(list.tokens.clone())?;
        let (mut select, mut default) = (None, None);
        let list = PerProfile::from_items(&items, |nv| {
            let slot = if nv.path.is_ident("select") {
                &mut select
            } else if nv.path.is_ident("default") {
                &mut default
            } else {
                return Err(darling::Error::unknown_field_path_with_alts(
                    &nv.path,
                    &["select", "default"],
                )
                .with_span(&nv.path));
            };
            if slot.is_some() {
                return Err(darling::Error::duplicate_field_path(&nv.path).with_span(&nv.path));
            }
            *slot = Some(LitStr::from_expr(&nv.value)?);
            Ok(())
        })?;
        Ok(ProfilesAttr {
            select,
            default,
            list,
            span: meta.span(),
        })
    }
}

/// `default = <literal>`: kept as text, which the field's own parser reads at
/// load time, so `default = "30s"` works for a `Duration` as `8080` does for
/// a `u16`.
pub(crate) struct DefaultValue {
    pub text: String,
    pub span: Span,
}

impl FromMeta for DefaultValue {
    fn from_expr(expr: &Expr) -> darling::Result<Self> {
        let text = match expr {
            Expr::Group(group) => return Self::from_expr(&group.expr),
            Expr::Lit(ExprLit { lit, .. }) => literal_text(lit),
            Expr::Unary(ExprUnary {
                op: UnOp::Neg(_),
                expr,
                ..
            }) => match &**expr {
                Expr::Lit(ExprLit {
                    lit: lit @ (Lit::Int(_) | Lit::Float(_)),
                    ..
                }) => literal_text(lit).map(|digits| format!("-{digits}")),
                _ => None,
            },
            _ => None,
        };
        match text {
            Some(text) => Ok(DefaultValue {
                text,
                span: expr.span(),
            }),
            None => Err(darling::Error::custom(
                "`default` takes a literal, such as 8080, \"30s\" or true",
            )
            .with_span(expr)),
        }
    }
}

/// `one_of = ["debug", "info"]`: string literals, in order.
pub(crate) struct Words {
    pub words: Vec<LitStr>,
    pub span: Span,
}

impl FromMeta for Words {
    fn from_expr(expr: &Expr) -> darling::Result<Self> {
        let hint = || {
            darling::Error::custom(
                "`one_of` takes a list of strings, such as [\"debug\", \"info\"]",
            )
            .with_span(expr)
        };
        let Expr::Array(array) = expr else {
            return Err(hint());
        };
        let words = array
            .elems
            .iter()
            .map(|elem| match elem {
                Expr::Lit(ExprLit {
                    lit: Lit::Str(word),
                    ..
                }) => Ok(word.clone()),
                _ => Err(hint()),
            })
            .collect::<darling::Result<Vec<LitStr>>>()?;
        Ok(Words {
            words,
            span: expr.span(),
        })
    }
}

fn literal_text(lit: &Lit) -> Option<String> {
    match lit {
        Lit::Str(s) => Some(s.value()),
        Lit::Int(i) => Some(i.base10_digits().to_owned()),
        Lit::Float(f) => Some(f.base10_digits().to_owned()),
        Lit::Bool(b) => Some(b.value.to_string()),
        Lit::Char(c) => Some(c.value().to_string()),
        _ => None,
    }
}
