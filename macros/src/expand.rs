//! Code generation. Per field, one small `let` that hands the field's parser
//! and validator to the runtime loader; the struct is built once at the end.
//! (A struct literal of fallible loads is what makes other derives compile
//! slowly at hundreds of fields.) Generated code reaches credenv only through
//! `<crate>::__private` and the public API, and std through `::core`/`::std`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::DeriveInput;
use syn::spanned::Spanned;

use crate::input::{self, Field, Input, Kind};
use crate::shell::{Bodies, Shell};
use crate::{checks, ty, validate};

pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
    let mut errors = darling::Error::accumulator();
    let parsed = input::parse(input, &mut errors);
    if let Some(model) = &parsed.model {
        validate::check(model, &mut errors);
    }
    match (errors.finish(), parsed.model) {
        (Ok(()), Some(model)) => expand(&model),
        (result, _) => {
            // The stub keeps calls such as `Creds::from_env()` compiling, so
            // the user sees the real mistake and nothing in cascade.
            let stub = Shell {
                ident: &input.ident,
                vis: &input.vis,
                generics: &input.generics,
                krate: &parsed.krate,
            };
            let unreachable = quote!(::core::unreachable!());
            let mut out = result
                .err()
                .map(darling::Error::write_errors)
                .unwrap_or_default();
            out.extend(stub.emit(Bodies {
                vars: unreachable.clone(),
                load: unreachable.clone(),
                debug: unreachable,
                items: TokenStream::new(),
            }));
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
    shell.emit(Bodies {
        vars: vars_body(input),
        load: load_body(input),
        debug: debug_body(input),
        items: profile_items(input),
    })
}

/// `vars()`: the variable list, or with profiles, the default profile's.
fn vars_body(input: &Input<'_>) -> TokenStream {
    if input.profiles.is_empty() {
        return list(input, 0);
    }
    let (krate, default) = (&input.krate, input.default_profile);
    quote!(<Self as #krate::Credentials>::__vars_of(#default))
}

/// With profiles, the trait's `__profiles` and `__vars_of`.
fn profile_items(input: &Input<'_>) -> TokenStream {
    if input.profiles.is_empty() {
        return TokenStream::new();
    }
    let krate = &input.krate;
    let profiles = input.profiles.iter().map(|p| {
        let (name, production) = (p.ident.to_string(), p.production);
        quote!(#krate::Profile::new(#name, #production))
    });
    let count = input.profiles.len();
    let lists = input.profile_indices().map(|index| {
        let list = list(input, index);
        quote!(#index => { #list })
    });
    quote! {
        fn __profiles() -> &'static [#krate::Profile] {
            static __PROFILES: [#krate::Profile; #count] = [#(#profiles),*];
            &__PROFILES
        }

        fn __vars_of(__index: usize) -> &'static [#krate::VarSpec] {
            match __index {
                #(#lists)*
                _ => ::core::unreachable!(),
            }
        }
    }
}

/// One variable list (a profile's, or the only one): the variables that
/// configure the load first, then the fields' variables in declaration
/// order. A static array, or, when a field is flattened, a list assembled
/// (and checked for collisions) on first use.
fn list(input: &Input<'_>, index: usize) -> TokenStream {
    let krate = &input.krate;
    let mut specs = special_specs(input, index);
    specs.extend(
        input
            .fields
            .iter()
            .filter(|f| f.kind == Kind::Var)
            .map(|f| spec(f, index, krate)),
    );
    let flattened = input.fields.iter().any(|f| f.kind == Kind::Flatten);
    if !flattened {
        let count = specs.len();
        return quote! {
            static __VARS: [#krate::VarSpec; #count] = [#(#specs),*];
            &__VARS
        };
    }
    let mut parts: Vec<TokenStream> = special_specs(input, index)
        .into_iter()
        .map(|spec| quote!(#krate::__private::Part::Var(#spec)))
        .collect();
    parts.extend(
        input
            .fields
            .iter()
            .filter(|f| f.kind != Kind::Profile)
            .map(|field| {
                if field.kind == Kind::Flatten {
                    let (prefix, ty) = (&field.vars[index].name, &field.attrs.ty);
                    let vars = quote_spanned!(ty.span()=> #krate::__private::nested::<#ty>().vars);
                    quote!(#krate::__private::Part::Flatten(#prefix, #vars))
                } else {
                    let spec = spec(field, index, krate);
                    quote!(#krate::__private::Part::Var(#spec))
                }
            }),
    );
    let owner = input.ident.to_string();
    quote! {
        static __VARS: #krate::__private::OnceLock<::std::vec::Vec<#krate::VarSpec>> =
            #krate::__private::OnceLock::new();
        __VARS.get_or_init(|| #krate::__private::assemble(#owner, ::std::vec![#(#parts),*]))
    }
}

/// The variables that configure a load, read before any field: the one
/// that selects the profile, then the one that names a bundle. In profile
/// `index`'s list, the selector's default is that profile's name, so a
/// template or client config made from the list selects the profile it
/// lists (`vars()` is the default profile's list: its default is the
/// default profile).
fn special_specs(input: &Input<'_>, index: usize) -> Vec<TokenStream> {
    let krate = &input.krate;
    let mut specs = Vec::new();
    if let Some(name) = input.selector() {
        let file_name = format!("{name}_FILE");
        let names: Vec<String> = input.profiles.iter().map(|p| p.ident.to_string()).collect();
        let default = names.get(index).cloned().unwrap_or_default();
        let description = format!("The profile to load: {}", names.join(", "));
        specs.push(
            quote!(#krate::VarSpec::new(#name, #file_name, #description, "profile")
            .with_default(#default)
            .with_role(#krate::Role::ProfileSelector)),
        );
    }
    if let Some(bundle) = &input.bundle {
        let name = bundle.value();
        let file_name = format!("{name}_FILE");
        let description =
            "A bundle of these credentials: vault://<mount>/<path> or aws-sm://<name-or-arn>";
        specs.push(
            quote!(#krate::VarSpec::new(#name, #file_name, #description, "bundle")
            .as_optional()
            .with_role(#krate::Role::Bundle)),
        );
    }
    specs
}

fn spec(field: &Field, index: usize, krate: &syn::Path) -> TokenStream {
    let var = &field.vars[index];
    let name = &var.name;
    let file_name = format!("{name}_FILE");
    let description = &field.description;
    let type_name = ty::display(&field.value_ty);
    let a = &field.attrs;
    let mut spec = quote!(#krate::VarSpec::new(#name, #file_name, #description, #type_name));
    if let Some((default, _)) = &var.default {
        spec.extend(quote!(.with_default(#default)));
    }
    if let Some(split) = &a.split {
        spec.extend(quote!(.with_separator(#split)));
    }
    if var.optional {
        spec.extend(quote!(.as_optional()));
    }
    if field.secret {
        spec.extend(quote!(.as_secret()));
    }
    if a.allow_empty.is_present() {
        spec.extend(quote!(.allowing_empty()));
    }
    spec.extend(checks::spec(field, krate));
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
    // `None` for an optional field is its value; for any other it means a
    // problem was recorded, and the load returns the error instead. One
    // `let ... else` checks them all: a `?` per field inside the struct
    // literal would make every early return drop the fields before it, which
    // costs the compiler quadratic time in the number of fields.
    let required: Vec<_> = input
        .fields
        .iter()
        .zip(&locals)
        .filter(|(field, _)| !(field.is_option && field.kind == Kind::Var))
        .map(|(_, local)| local)
        .collect();
    let check = match required.as_slice() {
        [] => TokenStream::new(),
        required => quote! {
            let (#(::core::option::Option::Some(#required),)*) = (#(#required,)*) else {
                return ::core::option::Option::None;
            };
        },
    };
    let inits = input.fields.iter().zip(&locals).map(|(field, local)| {
        let ident = &field.ident;
        quote!(#ident: #local)
    });
    quote! {
        #(#loads)*
        #check
        ::core::option::Option::Some(Self { #(#inits),* })
    }
}

fn load_field(field: &Field, krate: &syn::Path) -> TokenStream {
    let a = &field.attrs;
    if field.kind == Kind::Flatten {
        let ty = &a.ty;
        return quote_spanned!(ty.span()=> (#krate::__private::nested::<#ty>().load)(__loader));
    }
    let value_ty = &field.value_ty;
    let (parser, owner) = match &a.parse_with {
        Some(path) => (
            quote!(#path),
            quote!(::core::option::Option::None::<#krate::__private::Parse>),
        ),
        // Spanned at the type, so a type with no parser is reported there.
        None => (
            quote_spanned!(value_ty.span()=> (&&#krate::__private::tag::<#value_ty>()).parser()),
            quote!((&&#krate::__private::tag::<#value_ty>()).owner()),
        ),
    };
    let parser = checks::parser(field, parser, krate);
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
    if field.kind == Kind::Profile {
        quote!(__loader.profile(#parser))
    } else if field.is_list() {
        quote!(__loader.list(#parser, #validator))
    } else {
        quote!(__loader.field(#parser, #owner, #validator))
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
        let ty = &field.attrs.ty;
        let value = match (field.secret, field.is_option) {
            _ if field.kind == Kind::Flatten => {
                quote_spanned!(ty.span()=> (#krate::__private::nested::<#ty>().debug)(&self.#ident))
            }
            // Spanned at the type, so a type without `Debug` is reported there.
            (false, _) => quote_spanned!(ty.span()=> &self.#ident),
            (true, false) => quote!(&#krate::__private::Redacted),
            (true, true) => quote!(&#krate::__private::redact_option(&self.#ident)),
        };
        quote!(.field(#label, #value))
    });
    quote!(__f.debug_struct(#name) #(#fields)* .finish())
}
