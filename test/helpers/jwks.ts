import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

/** A fresh ES256 key pair with its public half as a JWK. */
export async function signingKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

export interface TokenOptions {
  scope?: string;
  subject?: string;
  issuer?: string;
  audience?: string;
  /** Seconds from now; negative for an expired token. Default 300. */
  expiresIn?: number;
  claims?: JWTPayload;
}

/** Signs a JWT with `key` (its kid in the header). */
export function token(key: SigningKey, options: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ ...options.claims, ...(options.scope !== undefined && { scope: options.scope }) })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid })
    .setIssuedAt(now - 60)
    .setSubject(options.subject ?? 'user-1')
    .setIssuer(options.issuer ?? 'https://issuer.test')
    .setAudience(options.audience ?? 'affordance-gateway')
    .setExpirationTime(now + (options.expiresIn ?? 300));
  return jwt.sign(key.privateKey);
}

/** A JWKS endpoint on loopback serving the public keys it is given; counts its fetches. */
export class JwksServer {
  private server?: Server;
  private keys: JWK[] = [];
  fetches = 0;
  url = '';

  async start(keys: readonly SigningKey[]): Promise<this> {
    this.publish(keys);
    this.server = createServer((_req, res) => {
      this.fetches++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: this.keys }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/.well-known/jwks.json`;
    return this;
  }

  /** Serves these keys from now on (a rotation). */
  publish(keys: readonly SigningKey[]): void {
    this.keys = keys.map((k) => k.publicJwk);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
