//! Code generation. Per field, one small `let` that hands the field's parser
//! and validator to the runtime loader; the struct is built once at the end.
//! (A struct literal of fallible loads is what makes other derives compile
//! slowly at hundreds of fields.) Generated code reaches credenv only through
//! `<crate>::__private` and the public API, and std through `::core`/`::std`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::DeriveInput;
use syn::spanned::Spanned;

use crate::input::{self, Field, Input};
use crate::{ty, validate};

pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
    let model = input::parse(input).and_then(|(model, mut errors)| {
        validate::check(&model, &mut errors);
        errors.finish_with(model)
    });
    match model {
        Ok(model) => expand(&model),
        Err(errors) => {
            // The stub keeps calls such as `Creds::from_env()` compiling, so
            // the user sees the real mistake and nothing in cascade.
            let stub = Shell {
                ident: &input.ident,
                vis: &input.vis,
                generics: &input.generics,
                krate: &input::crate_path(input),
            };
            let unreachable = quote!(::core::unreachable!());
            let mut out = errors.write_errors();
            out.extend(stub.emit(&unreachable, &unreachable, &unreachable));
            out
        }
    }
}

fn expand(input: &Input<'_>) -> TokenStream {
    let shell = Shell {
        ident: input.ident,
        vis: input.vis,
        generics: input.generics,
        krate: &input.krate,
    };
    shell.emit(&vars_body(input), &load_body(input), &debug_body(input))
}

/// What a derive emits whether or not the input is valid: the trait impl,
/// `Debug`, and the inherent methods, around the three bodies.
struct Shell<'a> {
    ident: &'a syn::Ident,
    vis: &'a syn::Visibility,
    generics: &'a syn::Generics,
    krate: &'a syn::Path,
}

impl Shell<'_> {
    fn emit(&self, vars: &TokenStream, load: &TokenStream, debug: &TokenStream) -> TokenStream {
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
                use #krate::__private::{ViaFromStr as _, ViaFromValue as _, ViaNothing as _};

                #[automatically_derived]
                impl #impl_generics #krate::Credentials for #this #where_clause {
                    fn vars() -> &'static [#krate::VarSpec] {
                        #vars
                    }

                    fn __load(
                        __loader: &mut #krate::__private::Loader<'_>,
                    ) -> ::core::option::Option<Self> {
                        #load
                    }
                }

                #[automatically_derived]
                impl #impl_generics ::core::fmt::Debug for #this #where_clause {
                    fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        #debug
                    }
                }

                #[automatically_derived]
                #[allow(dead_code)]
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

/// `vars()`: a static array, or, when a field is flattened, a list assembled
/// (and checked for collisions) on first use.
fn vars_body(input: &Input<'_>) -> TokenStream {
    let krate = &input.krate;
    let flattened = input.fields.iter().any(|f| f.attrs.flatten.is_present());
    if !flattened {
        let specs = input.fields.iter().map(|f| spec(f, krate));
        let count = input.fields.len();
        return quote! {
            static __VARS: [#krate::VarSpec; #count] = [#(#specs),*];
            &__VARS
        };
    }
    let parts = input.fields.iter().map(|field| {
        if field.attrs.flatten.is_present() {
            let (prefix, ty) = (&field.name, &field.attrs.ty);
            quote!(#krate::__private::Part::Flatten(#prefix, <#ty as #krate::Credentials>::vars))
        } else {
            let spec = spec(field, krate);
            quote!(#krate::__private::Part::Var(#spec))
        }
    });
    let owner = input.ident.to_string();
    quote! {
        static __VARS: #krate::__private::OnceLock<::std::vec::Vec<#krate::VarSpec>> =
            #krate::__private::OnceLock::new();
        __VARS.get_or_init(|| #krate::__private::assemble(#owner, ::std::vec![#(#parts),*]))
    }
}

fn spec(field: &Field, krate: &syn::Path) -> TokenStream {
    let name = &field.name;
    let file_name = format!("{name}_FILE");
    let description = &field.description;
    let type_name = ty::display(&field.value_ty);
    let a = &field.attrs;
    let mut spec = quote!(#krate::VarSpec::new(#name, #file_name, #description, #type_name));
    if let Some(default) = &a.default {
        let text = &default.text;
        spec.extend(quote!(.with_default(#text)));
    }
    if let Some(split) = &a.split {
        spec.extend(quote!(.with_separator(#split)));
    }
    if field.optional {
        spec.extend(quote!(.as_optional()));
    }
    if field.secret {
        spec.extend(quote!(.as_secret()));
    }
    if a.allow_empty.is_present() {
        spec.extend(quote!(.allowing_empty()));
    }
    spec
}

/// `__load`: one `let` per field, then the struct.
fn load_body(input: &Input<'_>) -> TokenStream {
    let krate = &input.krate;
    let locals: Vec<_> = (0..input.fields.len())
        .map(|i| format_ident!("__field{i}"))
        .collect();
    let loads = input.fields.iter().zip(&locals).map(|(field, local)| {
        let load = load_field(field, krate);
        quote!(let #local = #load;)
    });
    let inits = input.fields.iter().zip(&locals).map(|(field, local)| {
        let ident = &field.ident;
        // `None` for an optional field is its value; for any other it means
        // a problem was recorded, and the load returns the error instead.
        if field.optional && !field.attrs.flatten.is_present() {
            quote!(#ident: #local)
        } else {
            quote!(#ident: #local?)
        }
    });
    quote! {
        #(#loads)*
        ::core::option::Option::Some(Self { #(#inits),* })
    }
}

fn load_field(field: &Field, krate: &syn::Path) -> TokenStream {
    let a = &field.attrs;
    if a.flatten.is_present() {
        let ty = &a.ty;
        return quote_spanned!(ty.span()=> __loader.nested::<#ty>());
    }
    let value_ty = &field.value_ty;
    let parser = match &a.parse_with {
        Some(path) => quote!(#path),
        // Spanned at the type, so a type with no parser is reported there.
        None => {
            quote_spanned!(value_ty.span()=> (&&#krate::__private::tag::<#value_ty>()).parser())
        }
    };
    let validator = match &a.validate {
        // A closure, so deref coercion lets `fn(&str)` check a `String` and
        // `fn(&[T])` a `Vec<T>`.
        // The argument carries the path's span, so a validator of the wrong
        // type is reported at the path.
        Some(path) => {
            let value = syn::Ident::new("__value", path.span());
            quote!(|__value| #path(#value))
        }
        None => quote!(#krate::__private::no_check),
    };
    if field.is_list() {
        quote!(__loader.list(#parser, #validator))
    } else {
        quote!(__loader.field(#parser, #validator))
    }
}

/// `Debug`: non-secret values as they are, secrets as `[REDACTED]` (an
/// optional secret shows whether it is set).
fn debug_body(input: &Input<'_>) -> TokenStream {
    let krate = &input.krate;
    let name = input.ident.to_string();
    let fields = input.fields.iter().map(|field| {
        let ident = &field.ident;
        let label = ident.to_string();
        let label = label.strip_prefix("r#").unwrap_or(&label);
        let value = match (field.secret, field.optional) {
            // Spanned at the type, so a type without `Debug` is reported there.
            (false, _) => quote_spanned!(field.attrs.ty.span()=> &self.#ident),
            (true, false) => quote!(&#krate::__private::Redacted),
            (true, true) => quote!(&#krate::__private::redact_option(&self.#ident)),
        };
        quote!(.field(#label, #value))
    });
    quote!(__f.debug_struct(#name) #(#fields)* .finish())
}
