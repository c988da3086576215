//! The attributes as written: darling receivers that keep every span, so
//! [`validate`](crate::validate) can point at the offending token.

use darling::util::Flag;
use darling::{FromDeriveInput, FromField, FromMeta};
use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Expr, ExprLit, ExprUnary, Lit, LitStr, UnOp};

/// `#[credentials(...)]` on the struct.
#[derive(FromDeriveInput)]
#[darling(attributes(credentials))]
pub(crate) struct ContainerAttrs {
    pub prefix: Option<LitStr>,
    #[darling(rename = "crate")]
    pub krate: Option<syn::Path>,
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
