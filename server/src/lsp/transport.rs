//! A framing guard in front of `tower-lsp-server`: its codec stops reading after one malformed
//! message (a bad header or bad JSON would end the session). Here each frame is read and
//! checked first; a malformed one is answered with a JSON-RPC error (`id: null`) and skipped,
//! and only well-formed messages reach the server. Output frames of the server and these
//! error responses are written to stdout whole, never interleaved.

use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{Request, Response};

const PIPE: usize = 1 << 20;

/// Reads one frame: `Ok(None)` at end of input, `Err(msg)` for a malformed header section.
async fn read_frame<R: AsyncRead + Unpin>(
    r: &mut BufReader<R>,
) -> std::io::Result<Option<Result<Vec<u8>, String>>> {
    let mut len: Option<Result<usize, String>> = None;
    let mut any = false;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).await? == 0 {
            return Ok(None);
        }
        let l = line.trim_end_matches(['\r', '\n']);
        if l.is_empty() {
            if any {
                break;
            }
            continue; // stray blank lines between messages
        }
        any = true;
        // The last `Content-Length:` anywhere in the line: after a frame whose length was wrong,
        // the rest of its body runs into the next frame's header line, and this resyncs there.
        let lower = l.to_ascii_lowercase();
        if let Some(at) = lower.rfind("content-length:") {
            let v = l[at + "content-length:".len()..].trim();
            len = Some(
                v.parse::<usize>()
                    .map_err(|_| format!("invalid Content-Length header: {v:?}")),
            );
        }
    }
    match len {
        None => Ok(Some(Err("missing Content-Length header".into()))),
        Some(Err(e)) => Ok(Some(Err(e))),
        Some(Ok(n)) if n > 256 << 20 => Ok(Some(Err(format!("message of {n} bytes is too large")))),
        Some(Ok(n)) => {
            let mut body = vec![0; n];
            r.read_exact(&mut body).await?;
            Ok(Some(Ok(body)))
        }
    }
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

fn error_frame(code: i64, message: &str) -> Vec<u8> {
    error_frame_for(&serde_json::Value::Null, code, message)
}

fn error_frame_for(id: &serde_json::Value, code: i64, message: &str) -> Vec<u8> {
    let body = json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}});
    frame(body.to_string().as_bytes())
}

/// The id of a `$/` request: tower-lsp-server drops every unknown `$/` message without an
/// answer, but the spec asks for MethodNotFound when it is a request (it has an id). The
/// server handles no `$/` request, only notifications (`$/cancelRequest`, `$/setTrace`).
fn dollar_request_id(body: &[u8]) -> Option<serde_json::Value> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    let method = v.get("method")?.as_str()?;
    let id = v.get("id")?;
    (method.starts_with("$/") && !id.is_null()).then(|| id.clone())
}

/// Checks a message body the way the server's codec will read it.
fn check(body: &[u8]) -> Result<(), (i64, String)> {
    let v: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| (-32700, format!("parse error: {e}")))?;
    if serde_json::from_value::<Request>(v.clone()).is_ok()
        || serde_json::from_value::<Response>(v).is_ok()
    {
        Ok(())
    } else {
        Err((-32600, "invalid request: not a JSON-RPC 2.0 message".into()))
    }
}

/// Starts the guard on the process's stdin/stdout; returns the streams to give the server.
pub(super) fn stdio() -> (DuplexStream, DuplexStream) {
    let (server_in, mut to_server) = tokio::io::duplex(PIPE);
    let (server_out, from_server) = tokio::io::duplex(PIPE);
    let (tx, mut rx) = mpsc::unbounded_channel::<Vec<u8>>();
    // stdout: whole frames only.
    tokio::spawn(async move {
        let mut out = tokio::io::stdout();
        while let Some(f) = rx.recv().await {
            if out.write_all(&f).await.is_err() || out.flush().await.is_err() {
                break;
            }
        }
    });
    // The server's output, frame by frame.
    let tx2 = tx.clone();
    tokio::spawn(async move {
        let mut r = BufReader::new(from_server);
        while let Ok(Some(Ok(body))) = read_frame(&mut r).await {
            if tx2.send(frame(&body)).is_err() {
                break;
            }
        }
    });
    // stdin: checked frames to the server, errors answered here.
    tokio::spawn(async move {
        let mut r = BufReader::new(tokio::io::stdin());
        loop {
            match read_frame(&mut r).await {
                Ok(Some(Ok(body))) => match check(&body) {
                    Ok(()) => match dollar_request_id(&body) {
                        Some(id) => {
                            let _ = tx.send(error_frame_for(&id, -32601, "method not found"));
                        }
                        None => {
                            if to_server.write_all(&frame(&body)).await.is_err() {
                                break;
                            }
                        }
                    },
                    Err((code, msg)) => {
                        tracing::warn!("malformed message: {msg}");
                        let _ = tx.send(error_frame(code, &msg));
                    }
                },
                Ok(Some(Err(msg))) => {
                    tracing::warn!("malformed header: {msg}");
                    let _ = tx.send(error_frame(-32700, &msg));
                }
                Ok(None) | Err(_) => break,
            }
        }
        let _ = to_server.shutdown().await;
    });
    (server_in, server_out)
}
