//! The lines of the MCP stdio transport, checked before the protocol layer
//! sees them: a line that is not JSON gets the JSON-RPC parse error, and one
//! longer than [`MAX_LINE`] the invalid-request error, at once, so a client
//! never waits for its own timeout on a message the server dropped.

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// The longest message accepted, in bytes (the limit rmcp itself applies).
pub const MAX_LINE: usize = 16 << 20;

/// JSON-RPC 2.0: invalid JSON was received.
const PARSE_ERROR: i64 = -32700;
/// JSON-RPC 2.0: the JSON sent is not a valid request object.
const INVALID_REQUEST: i64 = -32600;

/// What the screen outputs: an answer of its own, or a line of the server.
type Line = Vec<u8>;

/// The two tasks between the standard streams and the protocol layer.
pub struct Pump {
    reader: JoinHandle<()>,
    writer: JoinHandle<()>,
}

impl Pump {
    /// Wait until everything the server wrote is on stdout.
    pub async fn finish(self) {
        self.reader.abort();
        let _ = self.writer.await;
    }
}

/// The transport to hand the server (what it reads, where it writes), and
/// the pump feeding it from stdin and stdout.
pub fn stdio() -> ((DuplexStream, DuplexStream), Pump) {
    streams(tokio::io::stdin(), tokio::io::stdout())
}

/// [`stdio`] over any pair of streams.
pub fn streams<R, W>(input: R, output: W) -> ((DuplexStream, DuplexStream), Pump)
where
    R: AsyncRead + Unpin + Send + 'static,
    W: AsyncWrite + Unpin + Send + 'static,
{
    let (to_server, server_in) = tokio::io::duplex(1 << 16);
    let (server_out, from_server) = tokio::io::duplex(1 << 16);
    let (errors, answers) = mpsc::unbounded_channel();
    let reader = tokio::spawn(screen(input, to_server, errors));
    let writer = tokio::spawn(merge(from_server, answers, output));
    ((server_in, server_out), Pump { reader, writer })
}

/// Copy each well-formed line from `input` to the server; answer the others.
async fn screen<R: AsyncRead + Unpin>(
    input: R,
    mut server: DuplexStream,
    errors: mpsc::UnboundedSender<Line>,
) {
    let mut input = BufReader::new(input);
    loop {
        match read_line(&mut input).await {
            Read::Eof => return,
            Read::Oversized => {
                let why = format!("Invalid Request: message longer than {MAX_LINE} bytes");
                let _ = errors.send(error(INVALID_REQUEST, &why));
            }
            Read::Line(line) => {
                let body = line.trim_ascii();
                if body.is_empty() {
                    continue;
                }
                if serde_json::from_slice::<serde::de::IgnoredAny>(body).is_err() {
                    let _ = errors.send(error(PARSE_ERROR, "Parse error: not JSON"));
                    continue;
                }
                if server.write_all(&line).await.is_err() {
                    return;
                }
            }
        }
    }
}

enum Read {
    Line(Line),
    Oversized,
    Eof,
}

/// The next line (with its newline), never holding more than [`MAX_LINE`]
/// bytes of it: the rest of a longer one is read and dropped.
async fn read_line<R: AsyncRead + Unpin>(input: &mut BufReader<R>) -> Read {
    let mut line = Vec::new();
    let mut oversized = false;
    loop {
        let buf = match input.fill_buf().await {
            Ok(b) => b,
            Err(_) => return Read::Eof,
        };
        if buf.is_empty() {
            // A last line without its newline is still a message.
            return match (oversized, line.is_empty()) {
                (true, _) => Read::Oversized,
                (false, true) => Read::Eof,
                (false, false) => {
                    line.push(b'\n');
                    Read::Line(line)
                }
            };
        }
        let (take, done) = match buf.iter().position(|b| *b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        if !oversized && line.len() + take > MAX_LINE + 1 {
            oversized = true;
            line = Vec::new();
        }
        if !oversized {
            line.extend_from_slice(&buf[..take]);
        }
        input.consume(take);
        if done {
            return if oversized {
                Read::Oversized
            } else {
                Read::Line(line)
            };
        }
    }
}

/// A JSON-RPC error answer with no id (none could be read), as one line.
fn error(code: i64, message: &str) -> Line {
    let mut line = serde_json::json!({
        "jsonrpc": "2.0",
        "id": null,
        "error": {"code": code, "message": message},
    })
    .to_string()
    .into_bytes();
    line.push(b'\n');
    line
}

/// Write the server's lines and the screen's answers to `output`, each
/// whole, until the server is done.
async fn merge<W: AsyncWrite + Unpin>(
    from_server: DuplexStream,
    mut answers: mpsc::UnboundedReceiver<Line>,
    mut output: W,
) {
    let mut lines = BufReader::new(from_server);
    let mut answers_open = true;
    loop {
        let mut line = Vec::new();
        tokio::select! {
            read = lines.read_until(b'\n', &mut line) => {
                if !matches!(read, Ok(n) if n > 0) {
                    break;
                }
            }
            answer = answers.recv(), if answers_open => match answer {
                Some(a) => line = a,
                None => answers_open = false,
            },
        }
        if output.write_all(&line).await.is_err() || output.flush().await.is_err() {
            return;
        }
    }
    // The server is done: answers still queued go out too.
    while let Ok(a) = answers.try_recv() {
        let _ = output.write_all(&a).await;
    }
    let _ = output.flush().await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncReadExt;

    #[tokio::test]
    async fn bad_lines_are_answered_and_good_ones_passed_on() {
        let big = vec![b'x'; MAX_LINE + 10];
        let mut input = b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\nnot json\n".to_vec();
        input.extend_from_slice(&big);
        input.extend_from_slice(b"\n\n[1]\n");
        let (out_w, mut out_r) = tokio::io::duplex(1 << 20);
        let ((mut server_in, server_out), pump) = streams(std::io::Cursor::new(input), out_w);
        let mut got = String::new();
        server_in.read_to_string(&mut got).await.unwrap();
        assert_eq!(
            got,
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\n[1]\n"
        );
        drop(server_out);
        pump.finish().await;
        let mut answers = String::new();
        out_r.read_to_string(&mut answers).await.unwrap();
        let codes: Vec<i64> = answers
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["error"]["code"]
                    .as_i64()
                    .unwrap()
            })
            .collect();
        assert_eq!(codes, [PARSE_ERROR, INVALID_REQUEST]);
    }
}
