// The ceiling: a bare node:http server answering a constant token response and a constant protected
// resource. Whatever Tessera reaches is read as a ratio of this, measured in the same run.
import http from 'node:http';

const TOKEN = JSON.stringify({ access_token: 'x'.repeat(120), token_type: 'Bearer', expires_in: 43199, scope: 'openid' });
const ORG = JSON.stringify({ org: { id: '1', name: 'Baseline', state: 'ORG_STATE_ACTIVE', primaryDomain: 'baseline.localhost' } });

const server = http.createServer((req, res) => {
  req.resume(); // read and drop the body, as a real endpoint must
  req.on('end', () => {
    const body = req.method === 'POST' ? TOKEN : ORG;
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(body);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('READY'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
