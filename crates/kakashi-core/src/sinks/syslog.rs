//! syslog receivers: RFC 6587 octet-counted frames over TCP (or TLS, RFC 5425), one datagram
//! per message over UDP (RFC 5426), and RELP, rsyslog's protocol with an acknowledgement per
//! message. Over TCP, TLS and UDP a write the kernel took counts as delivered: a receiver that
//! goes away loses what was in flight. Over RELP a message counts once the receiver answered
//! `200 OK`, and a broken session resends only the unanswered ones.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpStream, ToSocketAddrs, UdpSocket};
use std::sync::Arc;
use std::time::Duration;

use super::net::{Link, Sent, Shipping};
use crate::format::syslog::{messages, Header};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Tcp,
    Tls,
    Udp,
    Relp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Syslog {
    /// `url` is `tcp://host:port`, `tls://…`, `udp://…` or `relp://…`.
    pub shipping: Shipping,
    pub header: Header,
    /// For tls: the certificates (PEM) to trust instead of Mozilla's roots.
    pub ca: Option<String>,
    /// UDP: a longer message is cut to this many bytes, and marked.
    pub max_datagram: usize,
    /// The longest wait to connect, to write, or for a RELP answer.
    pub timeout_ms: u64,
}

impl Syslog {
    /// The transport, host and port the URL names; checked at construction.
    pub fn endpoint(&self) -> Result<(Transport, String, u16), String> {
        let url = &self.shipping.url;
        let (scheme, rest) = url.split_once("://").ok_or_else(|| format!("{url:?} is not a tcp://, tls://, udp:// or relp:// URL"))?;
        let (transport, default_port) = match scheme {
            "tcp" => (Transport::Tcp, 514),
            "tls" => (Transport::Tls, 6514),
            "udp" => (Transport::Udp, 514),
            "relp" => (Transport::Relp, 2514),
            _ => return Err(format!("{url:?}: the scheme is tcp, tls, udp or relp")),
        };
        let rest = rest.trim_end_matches('/');
        // `[v6]:port`, `[v6]`, `host:port`, `host`.
        let port_at = if rest.starts_with('[') { rest.find("]:").map(|i| i + 1) } else { rest.rfind(':') };
        let (host, port) = match port_at {
            Some(i) => (&rest[..i], rest[i + 1..].parse::<u16>().map_err(|_| format!("{url:?}: the port is not a number from 1 to 65535"))?),
            None => (rest, default_port),
        };
        let host = host.trim_start_matches('[').trim_end_matches(']');
        if host.is_empty() || host.contains('/') {
            return Err(format!("{url:?} has no host"));
        }
        if transport == Transport::Tls {
            tls_config(self.ca.as_deref())?;
        }
        Ok((transport, host.to_string(), port))
    }

    pub fn link(&self) -> Result<Box<dyn Link>, String> {
        let (transport, host, port) = self.endpoint()?;
        let timeout = Duration::from_millis(self.timeout_ms.max(1));
        let tls = match transport {
            Transport::Tls => Some(tls_config(self.ca.as_deref())?),
            _ => None,
        };
        let at = Endpoint { host, port, timeout, tls };
        Ok(match transport {
            Transport::Tcp | Transport::Tls => Box::new(Octets { at, conn: None }),
            Transport::Udp => Box::new(Datagrams { at, socket: None, max: self.max_datagram.max(64) }),
            Transport::Relp => Box::new(Relp { at, session: None }),
        })
    }
}

fn tls_config(ca: Option<&str>) -> Result<Arc<rustls::ClientConfig>, String> {
    let mut roots = rustls::RootCertStore::empty();
    match ca {
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
        Some(pem) => {
            use rustls::pki_types::{pem::PemObject, CertificateDer};
            for cert in CertificateDer::pem_slice_iter(pem.as_bytes()) {
                roots.add(cert.map_err(|e| format!("ca: {e}"))?).map_err(|e| format!("ca: {e}"))?;
            }
            if roots.is_empty() {
                return Err("ca has no PEM certificate (-----BEGIN CERTIFICATE-----)".into());
            }
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

struct Endpoint {
    host: String,
    port: u16,
    timeout: Duration,
    tls: Option<Arc<rustls::ClientConfig>>,
}

enum Conn {
    Plain(TcpStream),
    Tls(Box<rustls::StreamOwned<rustls::ClientConnection, TcpStream>>),
}

impl Endpoint {
    fn connect(&self) -> io::Result<Conn> {
        let mut last = io::Error::new(io::ErrorKind::NotFound, format!("{} resolves to no address", self.host));
        for addr in (self.host.as_str(), self.port).to_socket_addrs()? {
            match TcpStream::connect_timeout(&addr, self.timeout) {
                Ok(tcp) => {
                    tcp.set_nodelay(true)?;
                    tcp.set_write_timeout(Some(self.timeout))?;
                    tcp.set_read_timeout(Some(self.timeout))?;
                    let Some(config) = &self.tls else { return Ok(Conn::Plain(tcp)) };
                    let name = rustls::pki_types::ServerName::try_from(self.host.clone()).map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
                    let session = rustls::ClientConnection::new(config.clone(), name).map_err(io::Error::other)?;
                    let mut tls = rustls::StreamOwned::new(session, tcp);
                    // The handshake now, so a certificate the roots do not know is said as such.
                    while tls.conn.is_handshaking() {
                        tls.conn.complete_io(&mut tls.sock)?;
                    }
                    return Ok(Conn::Tls(Box::new(tls)));
                }
                Err(e) => last = e,
            }
        }
        Err(last)
    }
}

impl Conn {
    fn tcp(&self) -> &TcpStream {
        match self {
            Conn::Plain(s) => s,
            Conn::Tls(s) => &s.sock,
        }
    }

    /// Whether the receiver closed its side (or reset): writing into such a connection would
    /// be taken by the kernel and lost.
    fn closed(&mut self) -> bool {
        if self.tcp().set_nonblocking(true).is_err() {
            return true;
        }
        let mut byte = [0u8];
        let seen = match self {
            Conn::Plain(s) => s.peek(&mut byte),
            // Through rustls: what the receiver sent after the handshake (session tickets) is
            // read and kept, and a close_notify or EOF reads as 0.
            Conn::Tls(s) => s.read(&mut byte),
        };
        let closed = match seen {
            Ok(0) => true,
            Ok(_) => false,
            Err(e) => e.kind() != io::ErrorKind::WouldBlock,
        };
        closed || self.tcp().set_nonblocking(false).is_err()
    }
}

impl Read for Conn {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = match self {
            Conn::Plain(s) => s.read(buf),
            Conn::Tls(s) => s.read(buf),
        };
        quick_ack(self.tcp());
        n
    }
}

/// rsyslog writes each RELP answer on its own, with Nagle's algorithm on: the second answer
/// waits for our ACK of the first, which Linux delays by up to 40 ms. Acknowledging at once
/// (re-armed after every read, as the kernel clears it) takes a window of 128 messages from
/// ~3,000 to tens of thousands of messages a second.
#[cfg(target_os = "linux")]
fn quick_ack(tcp: &TcpStream) {
    use std::os::fd::AsRawFd;
    let on: libc::c_int = 1;
    // SAFETY: a valid socket and an int option of the right size.
    unsafe {
        libc::setsockopt(tcp.as_raw_fd(), libc::IPPROTO_TCP, libc::TCP_QUICKACK, (&on as *const libc::c_int).cast(), std::mem::size_of::<libc::c_int>() as libc::socklen_t);
    }
}

#[cfg(not(target_os = "linux"))]
fn quick_ack(_: &TcpStream) {}

impl Write for Conn {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Conn::Plain(s) => s.write(buf),
            Conn::Tls(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Conn::Plain(s) => s.flush(),
            Conn::Tls(s) => s.flush(),
        }
    }
}

impl Endpoint {
    /// An I/O error as the user should read it: a socket timeout reads as EAGAIN.
    fn why(&self, e: &io::Error) -> String {
        match e.kind() {
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => format!("no answer within {} ms", self.timeout.as_millis()),
            _ => e.to_string(),
        }
    }
}

/// The frames wholly within the first `written` bytes: (bytes, messages).
fn whole_frames(body: &[u8], written: usize) -> (usize, u32) {
    let (mut at, mut n) = (0, 0);
    for m in messages(body) {
        let end = m.as_ptr() as usize - body.as_ptr() as usize + m.len();
        if end > written {
            break;
        }
        (at, n) = (end, n + 1);
    }
    (at, n)
}

/// TCP and TLS: the frames as they are, on one connection kept open.
struct Octets {
    at: Endpoint,
    conn: Option<Conn>,
}

impl Link for Octets {
    fn send(&mut self, body: &[u8]) -> Sent {
        if self.conn.as_mut().is_some_and(Conn::closed) {
            self.conn = None;
        }
        let conn = match &mut self.conn {
            Some(c) => c,
            None => match self.at.connect() {
                Ok(c) => self.conn.insert(c),
                Err(e) => return Sent::retry(self.at.why(&e)),
            },
        };
        let mut written = 0;
        while written < body.len() {
            match conn.write(&body[written..]) {
                Ok(0) => break,
                Ok(n) => written += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        if written == body.len() && conn.flush().is_ok() {
            return Sent::Ok { rejected: 0 };
        }
        // What the kernel took is gone with the connection or delivered: not sent twice. Over
        // TLS, rustls may hold what it said it wrote: all is sent again.
        let tls = matches!(self.conn, Some(Conn::Tls(_)));
        self.conn = None;
        let (delivered, delivered_records) = if tls { (0, 0) } else { whole_frames(body, written) };
        Sent::Retry { why: "the connection broke".into(), after: None, delivered, delivered_records }
    }
}

/// UDP: one datagram per message.
struct Datagrams {
    at: Endpoint,
    socket: Option<UdpSocket>,
    max: usize,
}

const TRUNCATED: &[u8] = b" [kakashi: truncated]";

/// `m` cut to `max` bytes (on a UTF-8 boundary), ending with the truncation mark.
fn truncate(m: &[u8], max: usize) -> std::borrow::Cow<'_, [u8]> {
    if m.len() <= max {
        return m.into();
    }
    let mut cut = max.saturating_sub(TRUNCATED.len());
    while cut > 0 && (m[cut] & 0xC0) == 0x80 {
        cut -= 1;
    }
    [&m[..cut], TRUNCATED].concat().into()
}

impl Link for Datagrams {
    fn send(&mut self, body: &[u8]) -> Sent {
        let socket = match &self.socket {
            Some(s) => s,
            None => {
                let open = || -> io::Result<UdpSocket> {
                    let addr = (self.at.host.as_str(), self.at.port).to_socket_addrs()?.next().ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no address"))?;
                    let socket = UdpSocket::bind(if addr.is_ipv4() { "0.0.0.0:0" } else { "[::]:0" })?;
                    socket.connect(addr)?;
                    socket.set_write_timeout(Some(self.at.timeout))?;
                    Ok(socket)
                };
                match open() {
                    Ok(s) => self.socket.insert(s),
                    Err(e) => return Sent::retry(e.to_string()),
                }
            }
        };
        let (mut at, mut n) = (0, 0);
        for m in messages(body) {
            // A refused send means the last datagram met no receiver (ICMP): the receiver is
            // away, so the rest waits. UDP cannot say more than that.
            if let Err(e) = socket.send(&truncate(m, self.max)) {
                return Sent::Retry { why: e.to_string(), after: None, delivered: at, delivered_records: n };
            }
            at = m.as_ptr() as usize - body.as_ptr() as usize + m.len();
            n += 1;
        }
        Sent::Ok { rejected: 0 }
    }
}

/// RELP: `TXNR SP COMMAND SP DATALEN [SP DATA] LF`, each command answered by an `rsp` with the
/// same number; a session opens with `open` (offers) and numbers from 1.
struct Relp {
    at: Endpoint,
    session: Option<Session>,
}

struct Session {
    conn: BufReader<Conn>,
    next: u32,
}

/// Frames sent before their answers are read.
const WINDOW: usize = 128;
/// librelp's numbers stop at 999,999,999; a session is begun again well before.
const LAST_TXNR: u32 = 999_000_000;

fn frame(out: &mut Vec<u8>, txnr: u32, command: &str, data: &[u8]) {
    out.extend_from_slice(format!("{txnr} {command} {}", data.len()).as_bytes());
    if !data.is_empty() {
        out.push(b' ');
        out.extend_from_slice(data);
    }
    out.push(b'\n');
}

impl Session {
    fn open(at: &Endpoint) -> io::Result<Session> {
        let mut s = Session { conn: BufReader::new(at.connect()?), next: 1 };
        let offers = format!("relp_version=0\nrelp_software=kakashi,{},https://github.com/kakashi-js\ncommands=syslog", env!("CARGO_PKG_VERSION"));
        let mut out = Vec::new();
        frame(&mut out, 1, "open", offers.as_bytes());
        s.conn.get_mut().write_all(&out)?;
        let (txnr, data) = s.answer()?;
        let data = String::from_utf8_lossy(&data);
        if txnr != 1 || !data.starts_with("200") {
            return Err(io::Error::other(format!("the receiver refused the RELP session: {}", data.lines().next().unwrap_or(""))));
        }
        if !data.lines().any(|l| l.strip_prefix("commands=").is_some_and(|c| c.split(',').any(|c| c == "syslog"))) {
            return Err(io::Error::other("the receiver does not take RELP's syslog command"));
        }
        s.next = 2;
        Ok(s)
    }

    /// The next `rsp`: its number and data.
    fn answer(&mut self) -> io::Result<(u32, Vec<u8>)> {
        let word = |r: &mut BufReader<Conn>| -> io::Result<String> {
            let mut w = Vec::new();
            r.read_until(b' ', &mut w)?;
            if w.pop() != Some(b' ') {
                return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the receiver closed the RELP session"));
            }
            Ok(String::from_utf8_lossy(&w).into_owned())
        };
        let txnr: u32 = word(&mut self.conn)?.parse().map_err(|_| io::Error::other("a RELP frame without a number"))?;
        let command = word(&mut self.conn)?;
        let mut len = Vec::new();
        // DATALEN ends at a space (data follows) or at the trailer (no data).
        loop {
            let mut b = [0u8];
            self.conn.read_exact(&mut b)?;
            if b[0] == b' ' || b[0] == b'\n' {
                let n: usize = String::from_utf8_lossy(&len).parse().map_err(|_| io::Error::other("a RELP frame without a length"))?;
                let mut data = vec![0; n];
                if b[0] == b' ' {
                    self.conn.read_exact(&mut data)?;
                    self.conn.read_exact(&mut b)?;
                }
                if command == "serverclose" {
                    return Err(io::Error::new(io::ErrorKind::ConnectionAborted, "the receiver closed the RELP session"));
                }
                if command != "rsp" {
                    return Err(io::Error::other(format!("an unexpected RELP command {command:?}")));
                }
                return Ok((txnr, data));
            }
            len.push(b[0]);
        }
    }
}

impl Link for Relp {
    fn send(&mut self, body: &[u8]) -> Sent {
        let all: Vec<&[u8]> = messages(body).collect();
        let (mut acked, mut acked_bytes, mut rejected) = (0usize, 0usize, 0u64);
        let mut out = Vec::new();
        while acked < all.len() {
            if self.session.as_ref().is_some_and(|s| s.next >= LAST_TXNR) {
                self.session = None;
            }
            let session = match &mut self.session {
                Some(s) => s,
                None => match Session::open(&self.at) {
                    Ok(s) => self.session.insert(s),
                    Err(e) => return Sent::Retry { why: self.at.why(&e), after: None, delivered: acked_bytes, delivered_records: acked as u32 },
                },
            };
            let window = &all[acked..(acked + WINDOW).min(all.len())];
            let first = session.next;
            out.clear();
            for (i, m) in window.iter().enumerate() {
                frame(&mut out, first + i as u32, "syslog", m);
            }
            let mut result = session.conn.get_mut().write_all(&out);
            session.next += window.len() as u32;
            for (i, m) in window.iter().enumerate() {
                if result.is_err() {
                    break;
                }
                match session.answer() {
                    Ok((txnr, data)) if txnr == first + i as u32 => {
                        // An answer other than 200: the receiver will not take this message
                        // (counted as rejected); the others go on.
                        if !data.starts_with(b"200") {
                            rejected += 1;
                        }
                        acked += 1;
                        acked_bytes = m.as_ptr() as usize - body.as_ptr() as usize + m.len();
                    }
                    Ok((txnr, _)) => result = Err(io::Error::other(format!("a RELP answer for {txnr}, expected {}", first + i as u32))),
                    Err(e) => result = Err(e),
                }
            }
            if let Err(e) = result {
                self.session = None;
                return Sent::Retry { why: self.at.why(&e), after: None, delivered: acked_bytes, delivered_records: acked as u32 };
            }
        }
        Sent::Ok { rejected }
    }
}

impl Drop for Relp {
    /// Ends the session as RELP asks (`close`, answered), briefly: the receiver may be gone.
    fn drop(&mut self) {
        if let Some(mut s) = self.session.take() {
            let mut out = Vec::new();
            frame(&mut out, s.next, "close", b"");
            let _ = s.conn.get_ref().tcp().set_read_timeout(Some(Duration::from_millis(500)));
            if s.conn.get_mut().write_all(&out).is_ok() {
                let _ = s.answer();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(url: &str) -> Syslog {
        Syslog {
            shipping: Shipping { url: url.into(), batch: 100, flush_ms: 50, spill: None },
            header: Header::new(1, "h", "app", "1"),
            ca: None,
            max_datagram: 100,
            timeout_ms: 2000,
        }
    }

    #[test]
    fn urls_name_a_transport_host_and_port() {
        assert_eq!(config("tcp://127.0.0.1:1514").endpoint().unwrap(), (Transport::Tcp, "127.0.0.1".into(), 1514));
        assert_eq!(config("tls://logs.example").endpoint().unwrap(), (Transport::Tls, "logs.example".into(), 6514));
        assert_eq!(config("udp://[::1]:514").endpoint().unwrap(), (Transport::Udp, "::1".into(), 514));
        assert_eq!(config("tcp://[2001:db8:0:1]").endpoint().unwrap(), (Transport::Tcp, "2001:db8:0:1".into(), 514));
        assert_eq!(config("relp://localhost:2514/").endpoint().unwrap(), (Transport::Relp, "localhost".into(), 2514));
        assert!(config("http://x:1").endpoint().unwrap_err().contains("scheme"));
        assert!(config("tcp://x:port").endpoint().unwrap_err().contains("port"));
        assert!(config("tcp://:1").endpoint().unwrap_err().contains("no host"));
        assert!(Syslog { ca: Some("junk".into()), ..config("tls://x:1") }.endpoint().unwrap_err().contains("ca"));
    }

    #[test]
    fn long_datagrams_are_cut_on_a_character_and_marked() {
        let m = "é".repeat(100);
        let cut = truncate(m.as_bytes(), 50);
        assert!(cut.len() <= 50 && cut.ends_with(TRUNCATED));
        assert!(std::str::from_utf8(&cut).is_ok());
        assert_eq!(&*truncate(b"short", 50), b"short");
    }

    #[test]
    fn a_broken_write_counts_only_whole_frames() {
        let body = b"3 abc3 def3 ghi";
        assert_eq!(whole_frames(body, 0), (0, 0));
        assert_eq!(whole_frames(body, 6), (5, 1));
        assert_eq!(whole_frames(body, 15), (15, 3));
    }

    /// A RELP receiver on loopback that answers the open and the first `ok` messages, then
    /// closes the session; the second session takes the rest.
    #[test]
    fn relp_resends_only_what_was_not_answered() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("relp://{}", listener.local_addr().unwrap());
        let server = std::thread::spawn(move || {
            let mut got = Vec::new();
            for ok in [2usize, usize::MAX] {
                let (stream, _) = listener.accept().unwrap();
                let mut r = BufReader::new(stream.try_clone().unwrap());
                let mut w = stream;
                let mut taken = 0;
                loop {
                    let mut head = Vec::new();
                    if r.read_until(b' ', &mut head).unwrap() == 0 {
                        break;
                    }
                    let txnr = String::from_utf8_lossy(&head).trim().to_string();
                    let mut cmd = Vec::new();
                    r.read_until(b' ', &mut cmd).unwrap();
                    let mut len = Vec::new();
                    let mut b = [0u8];
                    loop {
                        r.read_exact(&mut b).unwrap();
                        if b[0] == b' ' || b[0] == b'\n' {
                            break;
                        }
                        len.push(b[0]);
                    }
                    let n: usize = String::from_utf8_lossy(&len).parse().unwrap();
                    let mut data = vec![0; n];
                    if b[0] == b' ' {
                        r.read_exact(&mut data).unwrap();
                        r.read_exact(&mut b).unwrap();
                    }
                    match &cmd[..] {
                        b"open " => w.write_all(format!("{txnr} rsp 22 200 OK\ncommands=syslog\n").as_bytes()).unwrap(),
                        b"syslog " if taken == ok => {
                            w.write_all(b"0 serverclose 0\n").unwrap();
                            break;
                        }
                        b"syslog " => {
                            taken += 1;
                            got.push(String::from_utf8(data).unwrap());
                            w.write_all(format!("{txnr} rsp 6 200 OK\n").as_bytes()).unwrap();
                        }
                        b"close " => {
                            w.write_all(format!("{txnr} rsp 0\n").as_bytes()).unwrap();
                            break;
                        }
                        _ => panic!("unexpected {cmd:?}"),
                    }
                }
            }
            got
        });
        let mut link = config(&url).link().unwrap();
        let body = b"1 a1 b1 c1 d1 e";
        match link.send(body) {
            Sent::Retry { delivered, delivered_records, .. } => {
                assert_eq!((delivered, delivered_records), (6, 2));
                assert_eq!(link.send(&body[delivered..]), Sent::Ok { rejected: 0 });
            }
            other => panic!("{other:?}"),
        }
        drop(link);
        assert_eq!(server.join().unwrap(), ["a", "b", "c", "d", "e"]);
    }
}
