// A WebSocket client for the walkthrough: connects to a stage's URL, sends each argument as one
// message and prints what comes back. Uses `ws` from the project's node_modules.
//   node client.mjs ws://localhost:4566/restapis/{apiId}/dev/_user_request_?name=ada '{"action":"echo","text":"hi"}'
import { WebSocket } from 'ws';

const [url, ...messages] = process.argv.slice(2);
if (!url) {
  console.error('usage: node client.mjs <ws url> [message …]');
  process.exit(2);
}
const ws = new WebSocket(url);
ws.on('unexpected-response', (_req, res) => {
  let body = '';
  res.on('data', (c) => (body += c));
  res.on('end', () => {
    console.log(`refused: ${res.statusCode} ${body}`);
    process.exit(1);
  });
});
ws.on('error', (e) => {
  console.error(`error: ${e.message}`);
  process.exit(1);
});
ws.on('open', () => {
  console.log(`connected to ${url}`);
  for (const m of messages) {
    console.log(`> ${m}`);
    ws.send(m);
  }
  // Answers come back asynchronously; give them a moment, then close normally.
  setTimeout(() => ws.close(1000, 'done'), 3000);
});
ws.on('message', (data) => console.log(`< ${data}`));
ws.on('close', (code, reason) => console.log(`closed: ${code} ${reason}`));
