// A real OpenID Connect provider for tests (oidc-provider 9), configured like FranceConnect: scopes named
// after claims (given_name, family_name, birthdate, email), acr eidas1, PKCE required, RP-initiated
// logout. Its dev interactions are replaced by one route that signs the test user in and grants consent.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface TestIdentity {
  sub: string;
  given_name: string;
  family_name: string;
  birthdate: string;
  email: string;
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The identity the next sign-in returns. */
  identity: TestIdentity;
  close(): Promise<void>;
}

export async function startTestProvider(publicUrl: string): Promise<TestProvider> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const state: TestProvider = {
    issuer,
    clientId: 'guichet-test',
    clientSecret: 'un-secret-de-test-suffisamment-long',
    identity: { sub: 'fc-0001', given_name: 'Angela Claire Louise', family_name: 'DUBOIS', birthdate: '1962-08-24', email: 'angela.dubois@exemple.fr' },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const provider = new Provider(issuer, {
    clients: [{
      client_id: state.clientId,
      client_secret: state.clientSecret,
      redirect_uris: [`${publicUrl}/api/v1/portal/oidc/callback`],
      post_logout_redirect_uris: [`${publicUrl}/`],
      token_endpoint_auth_method: 'client_secret_post',
      grant_types: ['authorization_code'],
      response_types: ['code'],
    }],
    claims: { openid: ['sub'], given_name: ['given_name'], family_name: ['family_name'], birthdate: ['birthdate'], email: ['email'] },
    scopes: ['openid', 'given_name', 'family_name', 'birthdate', 'email'],
    acrValues: ['eidas1'],
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['cle-de-test-des-cookies'] },
    async findAccount(_ctx: unknown, id: string) {
      return { accountId: id, claims: async () => ({ ...state.identity, sub: id }) };
    },
  } as any);
  const callback = provider.callback();
  server.on('request', (req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      (async () => {
        const details = await provider.interactionDetails(req, res);
        const grant = new provider.Grant({ accountId: state.identity.sub, clientId: details.params.client_id as string });
        grant.addOIDCScope(String(details.params.scope));
        const grantId = await grant.save();
        await provider.interactionFinished(req, res, { login: { accountId: state.identity.sub, acr: 'eidas1' }, consent: { grantId } }, { mergeWithLastSubmission: false });
      })().catch((err) => {
        res.statusCode = 500;
        res.end(String(err));
      });
      return;
    }
    callback(req, res);
  });
  return state;
}

/**
 * Plays the browser between the provider's authorization URL and our redirect URI: follows redirects
 * with a cookie jar and returns the URL the provider sends the browser back to.
 */
export async function followProvider(authorizationUrl: string, stopAt: string): Promise<URL> {
  const jar = new Map<string, string>();
  let url = authorizationUrl;
  for (let hops = 0; hops < 10; hops++) {
    if (url.startsWith(stopAt)) return new URL(url);
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
    const location = res.headers.get('location');
    if (!location) throw new Error(`provider stopped at ${url}: ${res.status} ${await res.text()}`);
    url = new URL(location, url).href;
  }
  throw new Error('too many redirects');
}
