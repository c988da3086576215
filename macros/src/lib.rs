//! The `#[derive(Credentials)]` macro of [credenv](https://docs.rs/credenv).
//! Depend on `credenv`, which re-exports it; this crate's output calls
//! `credenv::__private`, which only the same version of `credenv` provides.
//!
//! The phases are the file names: `attr` reads the attributes, `input`
//! builds the typed model (`names` derives names and descriptions),
//! `validate` checks it (`unique`: one reader per variable; `checks`: the
//! declared checks; `literal`: literals the runtime would parse), `expand`
//! writes the code (`shell`: the impls around it).
//! Every mistake in a struct is reported in one compile, at its token, beside
//! a stub impl so the user's other code does not fail in cascade.

#![forbid(unsafe_code)]

mod attr;
mod checks;
mod expand;
mod input;
mod literal;
mod names;
mod shell;
mod ty;
mod unique;
mod validate;

use proc_macro::TokenStream;

/// Derives `credenv::Credentials`; see the `credenv` crate for the attributes.
#[proc_macro_derive(Credentials, attributes(credential, credentials))]
pub fn derive_credentials(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    expand::derive(&input).into()
}
