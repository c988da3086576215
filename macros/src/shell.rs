//! What a derive emits around its bodies, valid input or not: the trait
//! impl, `Debug`, and the inherent methods that make calls work without
//! importing the trait.

use proc_macro2::TokenStream;
use quote::quote;

/// What goes inside the [`Shell`]: the bodies of `vars()`, `__load` and
/// `Debug::fmt`, and the trait's other items (the profile tables).
pub(crate) struct Bodies {
    pub(crate) vars: TokenStream,
    pub(crate) load: TokenStream,
    pub(crate) debug: TokenStream,
    pub(crate) items: TokenStream,
}

/// What a derive emits whether or not the input is valid: the trait impl,
/// `Debug`, and the inherent methods, around the three bodies.
pub(crate) struct Shell<'a> {
    pub(crate) ident: &'a syn::Ident,
    pub(crate) vis: &'a syn::Visibility,
    pub(crate) generics: &'a syn::Generics,
    pub(crate) krate: &'a syn::Path,
}

impl Shell<'_> {
    pub(crate) fn emit(&self, bodies: Bodies) -> TokenStream {
        let Bodies {
            vars,
            load,
            debug,
            items,
        } = bodies;
        let Shell {
            ident,
            vis,
            generics,
            krate,
        } = self;
        let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
        let this = quote!(#ident #ty_generics);
        quote! {
            const _: () = {
                #[allow(unused_imports)]
                use #krate::__private::{
                    ViaFromStr as _, ViaFromValue as _, ViaNothing as _, ViaOwned as _, ViaParsed as _,
                };

                #[automatically_derived]
                #[allow(unused_qualifications)]
                impl #impl_generics #krate::Credentials for #this #where_clause {
                    fn vars() -> &'static [#krate::VarSpec] {
                        #vars
                    }

                    fn __load(
                        __loader: &mut #krate::__private::Loader<'_>,
                    ) -> ::core::option::Option<Self> {
                        #load
                    }

                    #items
                }

                #[automatically_derived]
                #[allow(unused_qualifications)]
                impl #impl_generics ::core::fmt::Debug for #this #where_clause {
                    fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        #debug
                    }
                }

                #[automatically_derived]
                #[allow(dead_code, unused_qualifications)]
                impl #impl_generics #this #where_clause {
                    /// Loads from the process environment: the credentials, or
                    /// one error listing every missing and invalid variable.
                    #vis fn from_env() -> ::core::result::Result<Self, #krate::Error> {
                        <Self as #krate::Credentials>::from_env()
                    }

                    /// Loads from the process environment, or prints the
                    /// report to stderr and exits with code 1.
                    #vis fn from_env_or_exit() -> Self {
                        <Self as #krate::Credentials>::from_env_or_exit()
                    }

                    /// Loads from the process environment, or prints the
                    /// report to stderr and exits with code 1, keeping the
                    /// warnings and each variable's origin.
                    #vis fn load_env_or_exit() -> #krate::Loaded<Self> {
                        <Self as #krate::Credentials>::load_env_or_exit()
                    }

                    /// Loads from `source`, such as a map of variables.
                    #vis fn from_source<__S: #krate::Source + ?::core::marker::Sized>(
                        source: &__S,
                    ) -> ::core::result::Result<Self, #krate::Error> {
                        <Self as #krate::Credentials>::from_source(source)
                    }

                    /// Loads from `source`, returning the warnings and each
                    /// variable's origin with the credentials.
                    #vis fn load<__S: #krate::Source + ?::core::marker::Sized>(
                        source: &__S,
                    ) -> ::core::result::Result<#krate::Loaded<Self>, #krate::Error> {
                        <Self as #krate::Credentials>::load(source)
                    }

                    /// The variables this struct reads, in declaration order.
                    #vis fn vars() -> &'static [#krate::VarSpec] {
                        <Self as #krate::Credentials>::vars()
                    }
                }
            };
        }
    }
}
