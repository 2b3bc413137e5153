import { randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';

/** The `iss` of demo tokens, and what the local stack's gateway accepts. */
export const DEMO_ISSUER = 'urn:affordance-gateway:demo';
/** The `aud` of demo tokens, and what the local stack's gateway accepts. */
export const DEMO_AUDIENCE = 'affordance-gateway';
const ALG = 'ES256';

/** A local key pair for demo tokens: the private half signs them, the public half verifies them. */
export interface DemoSigningKey {
  /** The file it is kept in. */
  readonly file: string;
  readonly kid: string;
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
}

/**
 * Where the demo key is kept: `AG_DEMO_KEY_FILE`, else
 * `$XDG_STATE_HOME/affordance-gateway/demo-signing-key.json` (`~/.local/state` when unset).
 * Outside the working tree, so it is never committed nor copied into an image.
 */
export function demoKeyFile(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AG_DEMO_KEY_FILE) return env.AG_DEMO_KEY_FILE;
  const state = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(state, 'affordance-gateway', 'demo-signing-key.json');
}

/**
 * The demo key in `file`, created on first use (an ES256 pair, readable by its owner only).
 * Created by writing a temporary file and linking it into place, so two first uses at once
 * (the stack starting while a token is made) end up with the one key, never half a file.
 */
export async function demoSigningKey(file: string): Promise<DemoSigningKey> {
  const existing = readKey(file);
  if (existing) return existing;
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  const kid = `demo-${randomUUID().slice(0, 8)}`;
  const key: DemoSigningKey = {
    file,
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: ALG, use: 'sig' },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: ALG, use: 'sig' },
  };
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
  const content = {
    comment: 'affordance-gateway demo signing key, made by `affordance-gateway token`; for local demos only',
    kid,
    privateJwk: key.privateJwk,
    publicJwk: key.publicJwk,
  };
  writeFileSync(temporary, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  try {
    linkSync(temporary, file);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readKey(file)!;
  } finally {
    unlinkSync(temporary);
  }
}

/** The public key set that verifies demo tokens (for `auth.jwt.jwks`). */
export function demoJwks(key: DemoSigningKey): { keys: JWK[] } {
  return { keys: [key.publicJwk] };
}

export interface DemoTokenOptions {
  readonly scopes: readonly string[];
  readonly subject: string;
  /** A jose time span: "1h", "30 min", "2 days". */
  readonly expiresIn: string;
}

/** A JWT signed with the demo key: `iss`/`aud` as the local stack expects, `scope` space-separated. */
export async function signDemoToken(key: DemoSigningKey, options: DemoTokenOptions): Promise<string> {
  const privateKey = await importJWK(key.privateJwk, ALG);
  return new SignJWT(options.scopes.length ? { scope: options.scopes.join(' ') } : {})
    .setProtectedHeader({ alg: ALG, kid: key.kid, typ: 'JWT' })
    .setIssuer(DEMO_ISSUER)
    .setAudience(DEMO_AUDIENCE)
    .setSubject(options.subject)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn)
    .sign(privateKey);
}

function readKey(file: string): DemoSigningKey | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: Partial<DemoSigningKey> = {};
  try {
    parsed = JSON.parse(text) as Partial<DemoSigningKey>;
  } catch {
    // reported below
  }
  if (!parsed.kid || !parsed.privateJwk?.d || !parsed.publicJwk || parsed.publicJwk.d !== undefined) {
    throw new Error(`${file} is not a demo signing key (delete it and a new one is made)`);
  }
  return { file, kid: parsed.kid, privateJwk: parsed.privateJwk, publicJwk: parsed.publicJwk };
}
