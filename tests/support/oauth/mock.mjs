// oauth2-mock-server (npm, version 9) for tests/oauth.rs: `node mock.mjs
// <port> <mode>`. The mock accepts any client and refresh token; the modes
// use its beforeResponse hook for what a strict server does. Each token
// request is logged as `token-request <grant_type>`, so tests can count them.
import { OAuth2Server } from 'oauth2-mock-server';

const [port, mode = 'ok'] = process.argv.slice(2);
const server = new OAuth2Server();
await server.issuer.keys.generate('RS256');

let requests = 0;
server.service.on('beforeResponse', (response, req) => {
  requests += 1;
  console.log(`token-request ${req.body.grant_type} ${req.body.scope ?? ''}`);
  const fail = (statusCode, error, description) => {
    response.statusCode = statusCode;
    response.body = { error, error_description: description };
  };
  switch (mode) {
    case 'server-error':
      fail(500, 'server_error', 'the token service is down');
      break;
    case 'flaky': // two 503s, then tokens
      if (requests <= 2) fail(503, 'temporarily_unavailable', 'try again');
      break;
    case 'invalid-grant':
      fail(400, 'invalid_grant', 'The refresh token is expired or revoked');
      break;
    case 'invalid-client':
      fail(401, 'invalid_client', 'Client authentication failed');
      break;
    case 'not-a-token':
      response.body = { message: 'hello' };
      break;
    case 'no-rotation':
      delete response.body.refresh_token;
      break;
    case 'short-lived': // tokens that expire at once
      response.body.expires_in = 1;
      break;
  }
});

await server.start(Number(port), '127.0.0.1');
console.log(`ready ${server.issuer.url}`);
