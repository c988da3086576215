//! The HTTP client of AWS's credential chain: credenv's own (reqwest, no
//! redirects, a timeout, a cap on every body), so the chain's calls (STS,
//! SSO, the container endpoint, EC2 instance metadata) keep the one HTTP
//! policy. https everywhere, except loopback and the link-local addresses
//! where AWS serves credentials over http by design (instance metadata at
//! 169.254.169.254, the container endpoints at 169.254.170.2 and
//! 169.254.170.23, and their IPv6 `fd00:ec2::` twins).

use std::net::IpAddr;
use std::time::Duration;

use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;

use crate::http;

/// The chain's client: the load's reqwest client and its timeout.
#[derive(Debug, Clone)]
pub(super) struct Client {
    pub(super) http: reqwest::Client,
    pub(super) timeout: Duration,
}

impl HttpClient for Client {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        _: &RuntimeComponents,
    ) -> SharedHttpConnector {
        // The chain's own timeouts (a second for instance metadata) when
        // shorter than the load's.
        let asked = settings.connect_timeout().unwrap_or(self.timeout)
            + settings.read_timeout().unwrap_or(self.timeout);
        SharedHttpConnector::new(Client {
            http: self.http.clone(),
            timeout: asked.min(self.timeout),
        })
    }
}

impl HttpConnector for Client {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let client = self.clone();
        HttpConnectorFuture::new(async move { client.send(request).await })
    }
}

impl Client {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, ConnectorError> {
        let user = |reason: String| ConnectorError::user(reason.into());
        let url = reqwest::Url::parse(request.uri())
            .map_err(|e| user(format!("the AWS credential chain asked for a bad URL: {e}")))?;
        // Named without its query: messages show where, never what was sent.
        let address = format!(
            "{}://{}{}",
            url.scheme(),
            url.host_str().unwrap_or_default(),
            url.port().map(|p| format!(":{p}")).unwrap_or_default()
        );
        allowed(&url).map_err(user)?;
        let method = reqwest::Method::from_bytes(request.method().as_bytes())
            .map_err(|_| user(format!("a bad HTTP method for {address}")))?;
        let body = request
            .body()
            .bytes()
            .ok_or_else(|| user(format!("a streaming body for {address}")))?
            .to_vec();
        let mut builder = self
            .http
            .request(method, url)
            .timeout(self.timeout)
            .body(body);
        for (name, value) in request.headers() {
            let mut value = reqwest::header::HeaderValue::from_str(value)
                .map_err(|_| user(format!("a bad header for {address}")))?;
            // Tokens travel in headers (the container's, IMDS's, SSO's).
            value.set_sensitive(true);
            builder = builder.header(name, value);
        }
        let service = "the AWS credential endpoint";
        let response = builder.send().await.map_err(|e| {
            let (_, reason) = http::failure(service, &address, &e, self.timeout);
            match e.is_timeout() {
                true => ConnectorError::timeout(reason.into()),
                false => ConnectorError::io(reason.into()),
            }
        })?;
        let status = StatusCode::try_from(response.status().as_u16())
            .map_err(|_| user(format!("{address} answered a bad status")))?;
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .filter_map(|(name, value)| Some((name.to_string(), value.to_str().ok()?.to_owned())))
            .collect();
        let body = http::body(response, service, &address)
            .await
            .map_err(|(_, reason)| ConnectorError::io(reason.into()))?;
        // A streaming body: AWS's orchestrator logs a response (at trace)
        // before it reads it, and an in-memory body would show its bytes,
        // the credentials among them.
        let body =
            SdkBody::from_body_1_x(http_body_util::Full::new(bytes::Bytes::from(body.to_vec())));
        let mut answer = HttpResponse::new(status, body);
        for (name, value) in headers {
            answer.headers_mut().insert(name, value);
        }
        Ok(answer)
    }
}

/// https, or http to loopback or one of AWS's link-local credential
/// addresses (instance metadata, the ECS and EKS Pod Identity agents).
fn allowed(url: &reqwest::Url) -> Result<(), String> {
    const AWS_ADDRESSES: [&str; 5] = [
        "169.254.169.254",
        "169.254.170.2",
        "169.254.170.23",
        "fd00:ec2::254",
        "fd00:ec2::23",
    ];
    let host = url.host_str().unwrap_or_default();
    let ip = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
        .ok();
    let aws = ip.is_some_and(|ip| AWS_ADDRESSES.iter().any(|a| a.parse() == Ok(ip)));
    match url.scheme() {
        "http" if aws && url.username().is_empty() && url.password().is_none() => Ok(()),
        _ => http::check("the AWS credential chain's endpoint", url),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_only_to_loopback_and_the_metadata_addresses() {
        let ok = |url: &str| allowed(&reqwest::Url::parse(url).unwrap()).is_ok();
        assert!(ok("https://sts.eu-west-1.amazonaws.com/"));
        assert!(ok("http://169.254.169.254/latest/api/token"));
        assert!(ok("http://169.254.170.2/v2/credentials/x"));
        assert!(ok("http://[fd00:ec2::23]/v1/credentials"));
        assert!(ok("http://127.0.0.1:9/"));
        assert!(!ok("http://sts.amazonaws.com/"));
        assert!(!ok("http://10.0.0.1/"));
        assert!(!ok("http://[fd00:1::1]/"));
        assert!(!ok("http://169.254.1.1/"));
        assert!(!ok("http://[fd00:ec2::1]/"));
        assert!(!ok("http://user:pass@169.254.170.2/v2/credentials/x"));
    }
}
