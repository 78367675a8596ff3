//! OTLP/HTTP: one export request posted to a receiver, and what its answer means for the
//! request — sent, worth a retry (connection errors, 429, 5xx, honouring `Retry-After`), or
//! refused for good (any other 4xx: retrying would never succeed).

use std::io::Write;
use std::time::Duration;

use prost::Message;

use crate::format::otlp::proto::ExportLogsServiceResponse;

#[derive(Debug, Clone, PartialEq)]
pub struct Otlp {
    /// `http://host:port/v1/logs`.
    pub url: String,
    pub headers: Vec<(String, String)>,
    /// Resource attributes of the target's own (`service.name`, …): they win over the bindings'.
    pub resource: Vec<(String, serde_json::Value)>,
    pub gzip: bool,
    /// One request's most records.
    pub batch: usize,
    /// How long a partial request waits for more records.
    pub flush_ms: u64,
    /// Where records wait while the receiver is away; `None`: in memory only.
    pub spill: Option<SpillOptions>,
    /// One request's longest wait for an answer.
    pub timeout_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpillOptions {
    pub dir: std::path::PathBuf,
    pub max_bytes: u64,
    /// fsync each segment before it counts as spilled.
    pub fsync: bool,
}

impl Otlp {
    /// Checks what can be checked before anything is sent, so a wrong URL fails at construction.
    pub fn check(&self) -> Result<(), String> {
        let rest = match self.url.split_once("://") {
            Some(("http", rest)) => rest,
            Some(("https", _)) => return Err(format!("{:?}: https is not supported by this build; send to a local collector over http", self.url)),
            _ => return Err(format!("{:?} is not an http:// URL", self.url)),
        };
        let host = rest.split('/').next().unwrap_or("");
        if host.is_empty() {
            return Err(format!("{:?} has no host", self.url));
        }
        self.url.parse::<ureq::http::Uri>().map(|_| ()).map_err(|e| format!("{:?}: {e}", self.url))
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum Sent {
    /// Taken; the receiver may say it rejected some records.
    Ok { rejected: u64 },
    /// Not taken this time: try again, not before `after` if the receiver said so.
    Retry { why: String, after: Option<Duration> },
    /// Refused for good.
    Refused { why: String },
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

impl Client {
    pub fn new(config: Otlp) -> Client {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_millis(config.timeout_ms)))
            .http_status_as_error(false)
            .user_agent(concat!("kakashi/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Client { agent, config }
    }

    pub fn config(&self) -> &Otlp {
        &self.config
    }

    /// Posts one request (protobuf, uncompressed).
    pub fn send(&self, body: &[u8]) -> Sent {
        let mut req = self.agent.post(&self.config.url).header("Content-Type", "application/x-protobuf");
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
            Err(e) => return Sent::Retry { why: e.to_string(), after: None },
        };
        let status = resp.status().as_u16();
        let after = retry_after(resp.headers().get("retry-after").and_then(|v| v.to_str().ok()));
        let answer = resp.body_mut().with_config().limit(1 << 20).read_to_vec().unwrap_or_default();
        match status {
            200..=299 => {
                let rejected = ExportLogsServiceResponse::decode(&answer[..])
                    .ok()
                    .and_then(|r| r.partial_success)
                    .map_or(0, |p| p.rejected_log_records.max(0) as u64);
                Sent::Ok { rejected }
            }
            429 | 500..=599 => Sent::Retry { why: format!("HTTP {status}"), after },
            _ => Sent::Refused { why: format!("HTTP {status}: {}", String::from_utf8_lossy(&answer[..answer.len().min(200)])) },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(url: &str) -> Otlp {
        Otlp { url: url.into(), headers: vec![], resource: vec![], gzip: false, batch: 512, flush_ms: 100, spill: None, timeout_ms: 2000 }
    }

    #[test]
    fn urls_are_checked_before_anything_is_sent() {
        assert!(config("http://127.0.0.1:4318/v1/logs").check().is_ok());
        assert!(config("https://example.test/v1/logs").check().unwrap_err().contains("https"));
        assert!(config("127.0.0.1:4318").check().unwrap_err().contains("not an http:// URL"));
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
        let client = Client::new(config(&url));
        assert_eq!(client.send(b"one"), Sent::Ok { rejected: 0 });
        assert_eq!(client.send(b"two"), Sent::Retry { why: "HTTP 429".into(), after: Some(Duration::from_secs(2)) });
        assert!(matches!(client.send(b"three"), Sent::Retry { after: None, .. }));
        assert_eq!(client.send(b"four"), Sent::Refused { why: "HTTP 400: bad pb!".into() });
        assert_eq!(receiver.join().unwrap(), [b"one".to_vec(), b"two".to_vec(), b"three".to_vec(), b"four".to_vec()]);
        // Nobody listening: worth a retry.
        assert!(matches!(client.send(b"five"), Sent::Retry { .. }));
    }
}
