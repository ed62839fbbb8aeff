'use strict';
// interop/h2-server.js: the HTTP/2 server of Node's `http2` module for roundtrip's interop tests,
// started by interop/run.sh (never by hand in CI). One process listens on two loopback ports:
// h2 over TLS (ALPN "h2" only) and h2c with prior knowledge (no HTTP/1.1, no Upgrade).
//
//   node h2-server.js TLS_PORT H2C_PORT KEY_PEM CERT_PEM
//
// Paths (any method):
//   /small        200 "hello, node\n"
//   /echo         the request body back (read whole first, then sent with content-length), so that
//                 a client that writes its whole body before reading never deadlocks on flow control
//   /sha256       "<length> <sha256 hex>\n" of the request body
//   /trailers     200 "with trailers\n" then the trailer x-checksum: abc123
//   /push         tries to push /small; answers "push refused by the client\n" with x-push-allowed:
//                 false when the client's SETTINGS_ENABLE_PUSH=0 forbids it (roundtrip's case)
//   /status       JSON: sessions (connections) accepted and streams served since the start
//   anything else 404
// It prints "listening tls=PORT h2c=PORT" once both ports are bound, and exits on SIGTERM or when a
// port cannot be bound (exit code 3: the port was taken, so the caller may retry on another).
const http2 = require('node:http2');
const fs = require('node:fs');
const crypto = require('node:crypto');

const [tlsPort, h2cPort, keyFile, certFile] = process.argv.slice(2);
if (!tlsPort || !h2cPort || !keyFile || !certFile) {
  console.error('usage: node h2-server.js TLS_PORT H2C_PORT KEY_PEM CERT_PEM');
  process.exit(2);
}

// Room for the interop tests: 256 concurrent streams on one connection, 10 MiB bodies.
const settings = { maxConcurrentStreams: 1000, initialWindowSize: 4 * 1024 * 1024 };
const options = { settings, maxSessionMemory: 256 };
let sessions = 0;
let streams = 0;

function readBody(stream, done) {
  const chunks = [];
  stream.on('data', (c) => chunks.push(c));
  stream.on('end', () => done(Buffer.concat(chunks)));
  stream.on('error', () => {});
}

function handle(stream, headers) {
  streams++;
  stream.on('error', () => {}); // a client reset is not a server error
  const path = (headers[':path'] || '').split('?')[0];
  switch (path) {
    case '/small':
      stream.respond({ ':status': 200, 'content-type': 'text/plain' });
      stream.end('hello, node\n');
      break;
    case '/echo':
      readBody(stream, (body) => {
        stream.respond({ ':status': 200, 'content-type': 'application/octet-stream', 'content-length': body.length });
        stream.end(body);
      });
      break;
    case '/sha256':
      readBody(stream, (body) => {
        const hex = crypto.createHash('sha256').update(body).digest('hex');
        stream.respond({ ':status': 200, 'content-type': 'text/plain' });
        stream.end(body.length + ' ' + hex + '\n');
      });
      break;
    case '/trailers':
      stream.respond({ ':status': 200, 'content-type': 'text/plain' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'x-checksum': 'abc123' }));
      stream.end('with trailers\n');
      break;
    case '/push':
      if (stream.pushAllowed) {
        stream.pushStream({ ':path': '/small' }, (err, push) => {
          if (!err) {
            push.respond({ ':status': 200 });
            push.end('hello, node\n');
          }
        });
        stream.respond({ ':status': 200, 'x-push-allowed': 'true' });
        stream.end('pushed /small\n');
      } else {
        stream.respond({ ':status': 200, 'x-push-allowed': 'false' });
        stream.end('push refused by the client\n');
      }
      break;
    case '/status':
      stream.respond({ ':status': 200, 'content-type': 'application/json' });
      stream.end(JSON.stringify({ sessions, streams }) + '\n');
      break;
    default:
      stream.respond({ ':status': 404 });
      stream.end();
  }
}

function serve(server, port, name) {
  return new Promise((resolve) => {
    server.on('session', () => sessions++);
    server.on('stream', handle);
    server.on('error', (e) => {
      console.error(name + ' server: ' + e.message);
      process.exit(e.code === 'EADDRINUSE' ? 3 : 1);
    });
    server.listen(Number(port), '127.0.0.1', resolve);
  });
}

const tls = http2.createSecureServer({
  ...options,
  key: fs.readFileSync(keyFile),
  cert: fs.readFileSync(certFile),
  allowHTTP1: false,
});
const h2c = http2.createServer(options);

Promise.all([serve(tls, tlsPort, 'tls'), serve(h2c, h2cPort, 'h2c')]).then(() => {
  console.log('listening tls=' + tlsPort + ' h2c=' + h2cPort);
});
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
