//! OTLP/HTTP(S): one export request posted to a receiver, and what its answer means for the
//! request — sent, worth a retry (connection errors, 429, 5xx, honouring `Retry-After`), or
//! refused for good (any other 4xx: retrying would never succeed).

use std::io::Write;
use std::time::Duration;

use prost::Message;
use ureq::tls::{parse_pem, PemItem, RootCerts, TlsConfig};

use super::net::{Link, Sent, Shipping};
use crate::format::otlp::json;
use crate::format::otlp::proto::{ExportLogsServiceRequest, ExportLogsServiceResponse};

#[derive(Debug, Clone, PartialEq)]
pub struct Otlp {
    /// `url` is `http://host:port/v1/logs` (or https).
    pub shipping: Shipping,
    pub headers: Vec<(String, String)>,
    /// Resource attributes of the target's own (`service.name`, …): they win over the bindings'.
    pub resource: Vec<(String, serde_json::Value)>,
    pub gzip: bool,
    /// OTLP/HTTP JSON instead of protobuf.
    pub json: bool,
    /// One request's longest wait for an answer.
    pub timeout_ms: u64,
    /// For https: the certificates (PEM) to trust instead of Mozilla's roots.
    pub ca: Option<String>,
}

impl Otlp {
    /// Checks what can be checked before anything is sent, so a wrong URL fails at construction.
    pub fn check(&self) -> Result<(), String> {
        let rest = match self.shipping.url.split_once("://") {
            Some(("http" | "https", rest)) => rest,
            _ => return Err(format!("{:?} is not an http:// or https:// URL", self.shipping.url)),
        };
        self.roots()?;
        let host = rest.split('/').next().unwrap_or("");
        if host.is_empty() {
            return Err(format!("{:?} has no host", self.shipping.url));
        }
        self.shipping.url.parse::<ureq::http::Uri>().map(|_| ()).map_err(|e| format!("{:?}: {e}", self.shipping.url))
    }
}

impl Otlp {
    /// The roots https trusts: `ca`'s certificates, or Mozilla's.
    fn roots(&self) -> Result<RootCerts, String> {
        let Some(pem) = &self.ca else { return Ok(RootCerts::WebPki) };
        let mut certs = Vec::new();
        for item in parse_pem(pem.as_bytes()) {
            match item {
                Ok(PemItem::Certificate(c)) => {
                    // Parsed now, so a damaged certificate fails at construction, not at the first send.
                    rustls::RootCertStore::empty()
                        .add(rustls::pki_types::CertificateDer::from(c.der().to_vec()))
                        .map_err(|e| format!("ca: {e}"))?;
                    certs.push(c)
                }
                Ok(_) => {}
                Err(e) => return Err(format!("ca: {e}")),
            }
        }
        if certs.is_empty() {
            return Err("ca has no PEM certificate (-----BEGIN CERTIFICATE-----)".into());
        }
        Ok(RootCerts::new_with_certs(&certs))
    }
}

pub struct Client {
    agent: ureq::Agent,
    config: Otlp,
}

fn gzip(body: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::with_capacity(body.len() / 4), flate2::Compression::fast());
    let _ = enc.write_all(body);
    enc.finish().unwrap_or_default()
}

/// `Retry-After` in seconds (the HTTP-date form is rare from receivers and is read as "soon").
fn retry_after(v: Option<&str>) -> Option<Duration> {
    v.and_then(|s| s.trim().parse::<u64>().ok()).map(|s| Duration::from_secs(s.min(300)))
}

fn rejected_protobuf(answer: &[u8]) -> u64 {
    ExportLogsServiceResponse::decode(answer).ok().and_then(|r| r.partial_success).map_or(0, |p| p.rejected_log_records.max(0) as u64)
}

/// `{"partialSuccess":{"rejectedLogRecords":"5"}}`; the count may come as a string or a number.
fn rejected_json(answer: &[u8]) -> u64 {
    let v: serde_json::Value = serde_json::from_slice(answer).unwrap_or_default();
    let n = &v["partialSuccess"]["rejectedLogRecords"];
    n.as_u64().or_else(|| n.as_str().and_then(|s| s.parse().ok())).unwrap_or(0)
}

impl Client {
    pub fn new(config: Otlp) -> Client {
        // check() has read the roots at construction; a failure here cannot happen.
        let roots = config.roots().unwrap_or(RootCerts::WebPki);
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_millis(config.timeout_ms)))
            .tls_config(TlsConfig::builder().root_certs(roots).build())
            .http_status_as_error(false)
            .user_agent(concat!("kakashi/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Client { agent, config }
    }

}

impl Link for Client {
    /// Posts one request, given in protobuf (as it waits in memory and in the spill, whatever
    /// the protocol, so a spill outlives a change of protocol).
    fn send(&mut self, body: &[u8]) -> Sent {
        let (content_type, converted) = if self.config.json {
            match ExportLogsServiceRequest::decode(body) {
                Ok(req) => ("application/json", Some(json::encode(&req))),
                Err(e) => return Sent::Refused { why: format!("not an OTLP request: {e}") },
            }
        } else {
            ("application/x-protobuf", None)
        };
        let body = converted.as_deref().unwrap_or(body);
        let mut req = self.agent.post(&self.config.shipping.url).header("Content-Type", content_type);
        for (k, v) in &self.config.headers {
            req = req.header(k, v);
        }
        let result = if self.config.gzip {
            req.header("Content-Encoding", "gzip").send(&gzip(body)[..])
        } else {
            req.send(body)
        };
        let mut resp = match result {
            Ok(resp) => resp,
            Err(e) => return Sent::retry(e.to_string()),
        };
        let status = resp.status().as_u16();
        let after = retry_after(resp.headers().get("retry-after").and_then(|v| v.to_str().ok()));
        let answer = resp.body_mut().with_config().limit(1 << 20).read_to_vec().unwrap_or_default();
        match status {
            200..=299 => Sent::Ok { rejected: if self.config.json { rejected_json(&answer) } else { rejected_protobuf(&answer) } },
            429 | 500..=599 => Sent::Retry { why: format!("HTTP {status}"), after, delivered: 0, delivered_records: 0 },
            _ => Sent::Refused { why: format!("HTTP {status}: {}", String::from_utf8_lossy(&answer[..answer.len().min(200)])) },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(url: &str) -> Otlp {
        let shipping = Shipping { url: url.into(), batch: 512, flush_ms: 100, spill: None };
        Otlp { shipping, headers: vec![], resource: vec![], gzip: false, json: false, timeout_ms: 2000, ca: None }
    }

    #[test]
    fn urls_are_checked_before_anything_is_sent() {
        assert!(config("http://127.0.0.1:4318/v1/logs").check().is_ok());
        assert!(config("https://example.test/v1/logs").check().is_ok());
        assert!(config("127.0.0.1:4318").check().unwrap_err().contains("not an http:// or https:// URL"));
        let bad_ca = Otlp { ca: Some("not a certificate".into()), ..config("https://example.test/v1/logs") };
        assert!(bad_ca.check().unwrap_err().contains("ca has no PEM certificate"));
        assert!(config("http:///v1/logs").check().unwrap_err().contains("no host"));
    }

    #[test]
    fn retry_after_is_read_in_seconds_and_capped() {
        assert_eq!(retry_after(Some("3")), Some(Duration::from_secs(3)));
        assert_eq!(retry_after(Some("100000")), Some(Duration::from_secs(300)));
        assert_eq!(retry_after(Some("Wed, 21 Oct 2015 07:28:00 GMT")), None);
    }

    /// A receiver on loopback answering each request with the next canned status line.
    fn receiver(answers: Vec<&'static str>) -> (String, std::thread::JoinHandle<Vec<Vec<u8>>>) {
        use std::io::{BufRead, BufReader, Read};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/v1/logs", listener.local_addr().unwrap());
        let handle = std::thread::spawn(move || {
            let mut bodies = Vec::new();
            for answer in answers {
                let (stream, _) = listener.accept().unwrap();
                let mut r = BufReader::new(stream.try_clone().unwrap());
                let mut len = 0;
                loop {
                    let mut line = String::new();
                    r.read_line(&mut line).unwrap();
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        len = v.trim().parse().unwrap();
                    }
                    if line == "\r\n" {
                        break;
                    }
                }
                let mut body = vec![0; len];
                r.read_exact(&mut body).unwrap();
                bodies.push(body);
                let mut w = stream;
                w.write_all(answer.as_bytes()).unwrap();
            }
            bodies
        });
        (url, handle)
    }

    #[test]
    fn answers_are_told_apart() {
        let (url, receiver) = receiver(vec![
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 2\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            "HTTP/1.1 400 Bad Request\r\nContent-Length: 7\r\nConnection: close\r\n\r\nbad pb!",
        ]);
        let mut client = Client::new(config(&url));
        assert_eq!(client.send(b"one"), Sent::Ok { rejected: 0 });
        assert_eq!(client.send(b"two"), Sent::Retry { why: "HTTP 429".into(), after: Some(Duration::from_secs(2)), delivered: 0, delivered_records: 0 });
        assert!(matches!(client.send(b"three"), Sent::Retry { after: None, .. }));
        assert_eq!(client.send(b"four"), Sent::Refused { why: "HTTP 400: bad pb!".into() });
        assert_eq!(receiver.join().unwrap(), [b"one".to_vec(), b"two".to_vec(), b"three".to_vec(), b"four".to_vec()]);
        assert_eq!(rejected_json(br#"{"partialSuccess":{"rejectedLogRecords":"5","errorMessage":"x"}}"#), 5);
        assert_eq!(rejected_json(br#"{"partialSuccess":{"rejectedLogRecords":2}}"#), 2);
        assert_eq!(rejected_json(b"{}"), 0);
        // Nobody listening: worth a retry.
        assert!(matches!(client.send(b"five"), Sent::Retry { .. }));
    }
}
