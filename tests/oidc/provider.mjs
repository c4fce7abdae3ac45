// A real OpenID Connect provider on loopback for the sign-in tests (npm package oidc-provider).
//
// Configured by one JSON argument: {"port", "issuer", "clients": [...], "accounts": {id: claims}}.
// Its built-in development interactions show a login form (any password) and a consent page;
// only the accounts given here can sign in. Prints "ready <issuer>" once it listens.
import http from 'node:http';

const config = JSON.parse(process.argv[2]);
// Resolved from the front-end packages (CI installs them with `npm ci`).
const { default: Provider } = await import(
  new URL('../../frontend/node_modules/oidc-provider/lib/index.js', import.meta.url)
);

const provider = new Provider(config.issuer, {
  clients: config.clients,
  // PKCE for every client, not only public ones: the service must send a code challenge.
  pkce: { required: () => true },
  // Scope claims go into the ID token too, as the service reads them from there.
  conformIdTokenClaims: false,
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username', 'groups'],
    email: ['email'],
  },
  cookies: { keys: ['loopback-test-provider-only'] },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  async findAccount(_ctx, id) {
    const claims = config.accounts[id];
    if (!claims) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
  },
});
provider.on('server_error', (_ctx, err) => console.error('server_error', err));

const server = http.createServer(provider.callback());
server.listen(config.port, '127.0.0.1', () => console.log(`ready ${config.issuer}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
