// oidc-provider (npm) for tests/oauth.rs: a real authorization server with
// client authentication, rotating refresh tokens and reuse detection (using
// a rotated refresh token again revokes the whole grant) and revocation
// (RFC 7009, at /token/revocation). `node oidc.mjs <port>` prints
// `{"refresh_token": ...}`: a refresh token of a grant made here, as a login
// would have made it.
import Provider from 'oidc-provider';

const [port] = process.argv.slice(2);
const clientId = 'credenv-test';
const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: clientId,
    client_secret: 'credenv-test-secret',
    grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
    redirect_uris: ['http://127.0.0.1/callback'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: 'openid offline_access api:read',
  }],
  scopes: ['openid', 'offline_access', 'api:read'],
  features: {
    clientCredentials: { enabled: true },
    devInteractions: { enabled: false },
    // RFC 7009, at /token/revocation: what sign-out revokes.
    revocation: { enabled: true },
  },
  rotateRefreshToken: true,
  issueRefreshToken: () => true,
  ttl: { AccessToken: 3600, ClientCredentials: 3600, RefreshToken: 86400, Grant: 86400 },
});
provider.proxy = false;

const grant = new provider.Grant({ accountId: 'user-1', clientId });
grant.addOIDCScope('openid offline_access');
const grantId = await grant.save();
const client = await provider.Client.find(clientId);
const refreshToken = new provider.RefreshToken({
  accountId: 'user-1',
  client,
  grantId,
  gty: 'authorization_code',
  scope: 'openid offline_access',
});
const value = await refreshToken.save();

provider.listen(Number(port), '127.0.0.1', () => {
  console.log(JSON.stringify({ refresh_token: value }));
});
