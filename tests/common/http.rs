//! Real HTTP servers on 127.0.0.1 (random ports) that serve PEP 503 HTML or PEP 691 JSON
//! index pages, or a whole mirror site (pip index, conda channels, Python builds, the Hugging
//! Face model API), each with one behaviour. Threads are detached; they end with the test
//! process.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

#[derive(Clone, Debug)]
pub enum Behavior {
    /// A real index page listing `versions` of pip, after `delay_ms`.
    Index {
        delay_ms: u64,
        json: bool,
        versions: Vec<&'static str>,
    },
    /// Accept, read the request, never answer.
    Hang,
    /// Headers, then one byte every 200 ms.
    Drip,
    /// This status for everything.
    Status(u16),
    /// A 200 HTML page that is not an index (a captive portal's login page).
    Portal,
    /// 302 to this base URL (the same path is kept).
    Redirect(String),
    /// 64 MiB of index-looking HTML, no Content-Length.
    Huge,
    /// A mirror site, answering after `delay_ms`: pip's index at `/simple`, conda channels at
    /// `/anaconda/pkgs/<name>` and `/anaconda/cloud/<name>` (those in `channels`; others 404),
    /// python-build-standalone releases at `/pbs/<tag>/<file>` (tags in `tags`), the Hub at
    /// `/hf/api/models/<id>`. Content is dated `updated` (seconds since 1970).
    Site {
        delay_ms: u64,
        channels: Vec<&'static str>,
        tags: Vec<&'static str>,
        updated: u64,
    },
    /// An index page after `page_delay_ms`, whose files (1 MiB each) are sent in 64 KiB
    /// chunks with `chunk_delay_ms` between them: a bandwidth cap.
    Files {
        page_delay_ms: u64,
        chunk_delay_ms: u64,
    },
}

pub struct Server {
    pub url: String,
}

impl Server {
    /// `http://127.0.0.1:PORT`, for paths other than the index.
    pub fn base(&self) -> String {
        self.url.trim_end_matches("/simple").to_owned()
    }
}

fn read_request(s: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = s.read(&mut chunk).ok()?;
        if n == 0 || buf.len() > 16 << 10 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let text = String::from_utf8_lossy(&buf);
    let line = text.lines().next()?;
    Some(line.split(' ').nth(1)?.to_owned())
}

fn respond(s: &mut TcpStream, status: &str, ct: &str, body: &[u8]) {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ct}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = s.write_all(head.as_bytes());
    let _ = s.write_all(body);
}

pub fn index_body(json: bool, versions: &[&str]) -> (String, &'static str) {
    if json {
        let files: Vec<String> = versions
            .iter()
            .map(|v| {
                format!(
                    r#"{{"filename":"pip-{v}.tar.gz","url":"/files/pip-{v}.tar.gz","hashes":{{}}}}"#
                )
            })
            .collect();
        let vs: Vec<String> = versions.iter().map(|v| format!("\"{v}\"")).collect();
        (
            format!(
                r#"{{"meta":{{"api-version":"1.1"}},"name":"pip","files":[{}],"versions":[{}]}}"#,
                files.join(","),
                vs.join(",")
            ),
            "application/vnd.pypi.simple.v1+json",
        )
    } else {
        let links: Vec<String> = versions
            .iter()
            .map(|v| format!("<a href=\"/files/pip-{v}-py3-none-any.whl#sha256=00\">pip-{v}-py3-none-any.whl</a><br/>"))
            .collect();
        (
            format!(
                "<!DOCTYPE html><html><body><h1>Links for pip</h1>{}</body></html>",
                links.join("\n")
            ),
            "text/html",
        )
    }
}

/// An HTTP date for `Last-Modified`.
fn http_date(secs: u64) -> String {
    httpdate::fmt_http_date(std::time::UNIX_EPOCH + Duration::from_secs(secs))
}

/// `YYYY-MM-DDTHH:MM:SS.000Z`, as the Hub writes `lastModified`.
pub fn iso_date(secs: u64) -> String {
    let out = std::process::Command::new("date")
        .args(["-u", "-d", &format!("@{secs}"), "+%Y-%m-%dT%H:%M:%S.000Z"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

fn respond_with(s: &mut TcpStream, status: &str, headers: &[(&str, String)], body: &[u8]) {
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = s.write_all(head.as_bytes());
    let _ = s.write_all(body);
}

fn site(s: &mut TcpStream, path: &str, channels: &[&str], tags: &[&str], updated: u64) {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    let lm = ("Last-Modified", http_date(updated));
    match parts.as_slice() {
        ["simple", "pip"] => {
            let (body, ct) = index_body(false, &["24.0", "24.1"]);
            respond(s, "200 OK", ct, body.as_bytes());
        }
        ["anaconda", "pkgs" | "cloud", name, subdir, "repodata.json"]
            if channels.contains(name) =>
        {
            let body = format!(
                "{{\"info\":{{\"subdir\":\"{subdir}\"}},\"packages\":{{}},\"packages.conda\":{{}}}}"
            );
            respond_with(
                s,
                "200 OK",
                &[("Content-Type", "application/json".into()), lm],
                body.as_bytes(),
            );
        }
        ["pbs", tag, _file] if tags.contains(tag) => {
            respond_with(
                s,
                "206 Partial Content",
                &[("Content-Type", "application/gzip".into()), lm],
                &vec![0x1f; 64 << 10],
            );
        }
        ["hf", "api", "models", rest @ ..] if !rest.is_empty() => {
            let body = format!(
                "{{\"id\":\"{}\",\"lastModified\":\"{}\",\"sha\":\"0\"}}",
                rest.join("/"),
                iso_date(updated)
            );
            respond_with(
                s,
                "200 OK",
                &[("Content-Type", "application/json".into())],
                body.as_bytes(),
            );
        }
        _ => respond(s, "404 Not Found", "text/plain", b"no such file"),
    }
}

fn handle(mut s: TcpStream, b: Behavior) {
    let Some(path) = read_request(&mut s) else {
        return;
    };
    match b {
        Behavior::Index { delay_ms, json, versions } => {
            thread::sleep(Duration::from_millis(delay_ms));
            if path.trim_end_matches('/') != "/simple/pip" {
                return respond(&mut s, "404 Not Found", "text/plain", b"no such project");
            }
            let (body, ct) = index_body(json, &versions);
            respond(&mut s, "200 OK", ct, body.as_bytes());
        }
        Behavior::Site {
            delay_ms,
            channels,
            tags,
            updated,
        } => {
            thread::sleep(Duration::from_millis(delay_ms));
            site(&mut s, &path, &channels, &tags, updated);
        }
        Behavior::Hang => thread::sleep(Duration::from_secs(600)),
        Behavior::Drip => {
            let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n");
            for _ in 0..3000 {
                if s.write_all(b"<").is_err() {
                    return;
                }
                thread::sleep(Duration::from_millis(200));
            }
        }
        Behavior::Status(code) => {
            respond(&mut s, &format!("{code} Status"), "text/plain", b"error");
        }
        Behavior::Portal => respond(
            &mut s,
            "200 OK",
            "text/html",
            b"<html><body><form action='/login'>Sign in to the campus network <a href='/help'>help</a></form></body></html>",
        ),
        Behavior::Redirect(to) => {
            let head = format!(
                "HTTP/1.1 302 Found\r\nLocation: {}{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                to.trim_end_matches("/simple"),
                path
            );
            let _ = s.write_all(head.as_bytes());
        }
        Behavior::Files { page_delay_ms, chunk_delay_ms } => {
            if path.starts_with("/files/") {
                let chunk = vec![b'x'; 64 << 10];
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    16 * chunk.len()
                );
                let _ = s.write_all(head.as_bytes());
                for _ in 0..16 {
                    if s.write_all(&chunk).is_err() {
                        return;
                    }
                    thread::sleep(Duration::from_millis(chunk_delay_ms));
                }
                return;
            }
            thread::sleep(Duration::from_millis(page_delay_ms));
            let (body, ct) = index_body(false, &["24.0", "24.1"]);
            respond(&mut s, "200 OK", ct, body.as_bytes());
        }
        Behavior::Huge => {
            let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n");
            let line = b"<a href='/files/pip-1.0.tar.gz'>pip-1.0.tar.gz</a>\n".repeat(1000);
            let mut sent = 0;
            while sent < 64 << 20 {
                if s.write_all(&line).is_err() {
                    return;
                }
                sent += line.len();
            }
        }
    }
}

/// Start a server with `b`; its index lives at `<url>` (`http://127.0.0.1:PORT/simple`).
pub fn serve(b: Behavior) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            let b = b.clone();
            thread::spawn(move || handle(conn, b));
        }
    });
    Server {
        url: format!("http://127.0.0.1:{port}/simple"),
    }
}

/// A port with nothing listening.
pub fn closed_port_url() -> String {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    drop(l);
    format!("http://127.0.0.1:{port}/simple")
}
