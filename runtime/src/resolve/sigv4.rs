//! AWS Signature Version 4, for the one request credenv sends to AWS
//! (Secrets Manager's GetSecretValue): a few dozen lines instead of the AWS
//! SDK's compile time. Checked against the worked example of AWS's SigV4
//! documentation.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

pub(super) struct Credentials<'a> {
    pub(super) access_key_id: &'a str,
    pub(super) secret_access_key: &'a str,
    pub(super) session_token: Option<&'a str>,
}

pub(super) struct Request<'a> {
    pub(super) method: &'a str,
    /// The `Host` header as sent: host, and `:port` when not the default.
    pub(super) host: &'a str,
    pub(super) path: &'a str,
    pub(super) query: &'a str,
    /// Lower-case names, besides `host` and `x-amz-date`.
    pub(super) headers: &'a [(&'a str, &'a str)],
    pub(super) body: &'a [u8],
}

/// The `Authorization` header for `request`, signed at `time` (seconds since
/// the Unix epoch) for `service` in `region`, and the `x-amz-date` header
/// the signature covers.
pub(super) fn authorization(
    request: &Request<'_>,
    credentials: &Credentials<'_>,
    region: &str,
    service: &str,
    time: u64,
) -> (String, String) {
    let amz_date = amz_date(time);
    let date = &amz_date[..8];
    // Borrowed, not copied: the session token is among the values, and
    // the canonical request holding it is zeroized.
    let lowered: Vec<String> = request
        .headers
        .iter()
        .map(|(name, _)| name.to_ascii_lowercase())
        .collect();
    let mut headers: Vec<(&str, &str)> = lowered
        .iter()
        .zip(request.headers)
        .map(|(name, (_, value))| (name.as_str(), value.trim()))
        .collect();
    headers.push(("host", request.host));
    headers.push(("x-amz-date", &amz_date));
    if let Some(token) = credentials.session_token {
        headers.push(("x-amz-security-token", token));
    }
    headers.sort();
    let signed_headers: Vec<&str> = headers.iter().map(|(name, _)| *name).collect();
    let signed_headers = signed_headers.join(";");
    let size: usize = headers.iter().map(|(n, v)| n.len() + v.len() + 2).sum();
    let mut canonical_request = Zeroizing::new(String::with_capacity(
        size + signed_headers.len() + request.path.len() + request.query.len() + 96,
    ));
    for part in [
        request.method,
        "\n",
        request.path,
        "\n",
        request.query,
        "\n",
    ] {
        canonical_request.push_str(part);
    }
    for (name, value) in &headers {
        for part in [*name, ":", *value, "\n"] {
            canonical_request.push_str(part);
        }
    }
    for part in [
        "\n",
        &signed_headers,
        "\n",
        &hex(&Sha256::digest(request.body)),
    ] {
        canonical_request.push_str(part);
    }
    let scope = format!("{date}/{region}/{service}/aws4_request");
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex(&Sha256::digest(canonical_request.as_bytes()))
    );
    let key = Zeroizing::new(format!("AWS4{}", credentials.secret_access_key));
    let mut signing_key = Zeroizing::new(hmac(key.as_bytes(), date.as_bytes()));
    for part in [region, service, "aws4_request"] {
        signing_key = Zeroizing::new(hmac(&signing_key, part.as_bytes()));
    }
    let signature = hex(&hmac(&signing_key, string_to_sign.as_bytes()));
    let authorization = format!(
        "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
        credentials.access_key_id
    );
    (authorization, amz_date)
}

/// The canonical URI of a URL's path (as `Url` gives it, percent-encoded
/// once): every byte but the unreserved ones and `/` encoded again, as SigV4
/// wants for every service but S3.
pub(super) fn canonical_path(path: &str) -> String {
    let mut canonical = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                canonical.push(char::from(byte));
            }
            _ => canonical.push_str(&format!("%{byte:02X}")),
        }
    }
    match canonical.is_empty() {
        true => "/".to_owned(),
        false => canonical,
    }
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `20150830T123600Z` for 2015-08-30 12:36:00 UTC.
fn amz_date(time: u64) -> String {
    let (days, seconds) = (time / 86_400, time % 86_400);
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_utc_in_basic_format() {
        assert_eq!(amz_date(0), "19700101T000000Z");
        assert_eq!(amz_date(1_440_938_160), "20150830T123600Z");
        assert_eq!(amz_date(951_782_400), "20000229T000000Z");
        assert_eq!(amz_date(4_102_444_799), "20991231T235959Z");
        assert_eq!(amz_date(4_107_542_399), "21000228T235959Z");
    }

    #[test]
    fn a_path_is_encoded_again() {
        assert_eq!(canonical_path(""), "/");
        assert_eq!(canonical_path("/"), "/");
        assert_eq!(canonical_path("/prefix/sm"), "/prefix/sm");
        assert_eq!(canonical_path("/a%20b/c~d"), "/a%2520b/c~d");
    }

    /// The worked example of AWS's SigV4 documentation: IAM ListUsers.
    #[test]
    fn signs_the_documented_example() {
        let request = Request {
            method: "GET",
            host: "iam.amazonaws.com",
            path: "/",
            query: "Action=ListUsers&Version=2010-05-08",
            headers: &[(
                "Content-Type",
                "application/x-www-form-urlencoded; charset=utf-8",
            )],
            body: b"",
        };
        let credentials = Credentials {
            access_key_id: "AKIDEXAMPLE",
            secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            session_token: None,
        };
        let (authorization, date) =
            authorization(&request, &credentials, "us-east-1", "iam", 1_440_938_160);
        assert_eq!(date, "20150830T123600Z");
        assert_eq!(
            authorization,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, \
             SignedHeaders=content-type;host;x-amz-date, \
             Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
        );
    }
}
