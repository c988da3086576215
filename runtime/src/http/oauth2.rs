//! oauth2's HTTP client, on credenv's HTTP policy (no redirects, a timeout,
//! a capped body): a 5xx answer is an error to retry, and every error names
//! the endpoint and never a token.

use oauth2::{HttpRequest, HttpResponse};

use super::MAX_BODY;
use crate::buffer::SecretBuf;

/// oauth2's HTTP client.
pub(crate) struct HttpClient(pub(crate) reqwest::Client);

/// A request that got no usable answer, from the endpoint it names.
#[derive(Debug)]
pub(crate) struct HttpError {
    endpoint: String,
    problem: Problem,
}

#[derive(Debug)]
enum Problem {
    Unreachable,
    Failed,
    Timeout,
    Redirect,
    TooLarge,
    Status(reqwest::StatusCode),
}

impl std::fmt::Display for HttpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let endpoint = &self.endpoint;
        match &self.problem {
            Problem::Unreachable => write!(f, "{endpoint}: it cannot be reached"),
            Problem::Failed => write!(f, "{endpoint}: the request failed"),
            Problem::Timeout => write!(f, "{endpoint}: it did not answer in time"),
            Problem::Redirect => write!(
                f,
                "{endpoint}: it answered with a redirect, which credenv does not follow"
            ),
            Problem::TooLarge => write!(
                f,
                "{endpoint}: it answered with more than {} KiB",
                MAX_BODY / 1024
            ),
            Problem::Status(status) => write!(f, "{endpoint}: it answered {status}"),
        }
    }
}

impl std::error::Error for HttpError {}

impl HttpError {
    fn new(endpoint: &str, problem: Problem) -> HttpError {
        HttpError {
            endpoint: endpoint.to_owned(),
            problem,
        }
    }

    fn from_reqwest(endpoint: &str, e: &reqwest::Error) -> HttpError {
        let problem = if e.is_timeout() {
            Problem::Timeout
        } else if e.is_connect() {
            Problem::Unreachable
        } else {
            Problem::Failed
        };
        HttpError::new(endpoint, problem)
    }
}

impl<'c> oauth2::AsyncHttpClient<'c> for HttpClient {
    type Error = HttpError;
    type Future =
        std::pin::Pin<Box<dyn Future<Output = Result<HttpResponse, HttpError>> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(async move {
            let (mut parts, body) = request.into_parts();
            // oauth2 sends the client secret as HTTP Basic: never printed,
            // never indexed.
            if let Some(value) = parts.headers.get_mut(reqwest::header::AUTHORIZATION) {
                value.set_sensitive(true);
            }
            // The token endpoint's URL: no query (oauth2 posts a form).
            let endpoint = parts.uri.to_string();
            let endpoint = endpoint.split('?').next().unwrap_or_default();
            let mut response = self
                .0
                .request(parts.method, parts.uri.to_string())
                .headers(parts.headers)
                .body(body)
                .send()
                .await
                .map_err(|e| HttpError::from_reqwest(endpoint, &e))?;
            let status = response.status();
            if status.is_server_error() {
                return Err(HttpError::new(endpoint, Problem::Status(status)));
            }
            if status.is_redirection() {
                return Err(HttpError::new(endpoint, Problem::Redirect));
            }
            let headers = response.headers().clone();
            let expected = response.content_length().unwrap_or(0) as usize;
            let mut buffer = SecretBuf::new(expected, MAX_BODY);
            while let Some(chunk) = response
                .chunk()
                .await
                .map_err(|e| HttpError::from_reqwest(endpoint, &e))?
            {
                buffer
                    .extend(&chunk)
                    .map_err(|_| HttpError::new(endpoint, Problem::TooLarge))?;
            }
            // oauth2 takes the body as a `Vec`: moved out, not copied.
            let mut answer = HttpResponse::new(std::mem::take(&mut *buffer.into_bytes()));
            *answer.status_mut() = status;
            *answer.headers_mut() = headers;
            Ok(answer)
        })
    }
}
