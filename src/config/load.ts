import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { configSchema, type GatewayConfig } from './schema.js';
import { localStackConfig } from './defaults.js';

/** Prefix of environment variables that override config keys, e.g. `AG__SERVER__PORT=4100`. */
export const ENV_PREFIX = 'AG__';

/** A configuration that cannot be used; the message lists every wrong key and why. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export interface LoadConfigOptions {
  /** YAML or JSON file; when absent the local stack defaults are used. */
  file?: string;
  /** Environment to read `AG__*` overrides from. Default: none. */
  env?: NodeJS.ProcessEnv;
}

/** Reads, overrides and validates the configuration. Throws ConfigError. */
export function loadConfig(options: LoadConfigOptions = {}): GatewayConfig {
  const env = options.env ?? {};
  const overrides = Object.keys(env).filter((name) => name.startsWith(ENV_PREFIX));
  const origin = `${options.file ?? 'built-in local stack defaults'}${overrides.length ? ` with ${overrides.join(', ')}` : ''}`;
  const raw = options.file ? readConfigFile(options.file) : structuredClone(localStackConfig);
  return validateConfig(applyEnvOverrides(raw, env), origin);
}

/** Validates an already parsed object (a file's content, a ConfigMap's data). Throws ConfigError. */
export function validateConfig(raw: unknown, origin = 'config'): GatewayConfig {
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const key = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
    // A bad record key (a subgraph or backend name) carries the reason one level down.
    const message =
      issue.code === 'invalid_key'
        ? `invalid name: ${issue.issues.map((inner) => inner.message).join('; ')}`
        : issue.message;
    return `  ${key}: ${message}`;
  });
  throw new ConfigError(`invalid configuration (${origin}):\n${lines.join('\n')}`);
}

function readConfigFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${file}: ${(error as Error).message}`);
  }
  try {
    return parseYaml(text) ?? {};
  } catch (error) {
    throw new ConfigError(`config file ${file} is not valid YAML or JSON: ${(error as Error).message}`);
  }
}

/**
 * Applies `AG__A__B=value` as config key a.b. Segments match existing keys without regard
 * to case and `-`/`_` (so `AG__AVAILABILITY__SETTLEMS` reaches `settleMs` and
 * `AG__BACKENDS__INVOICES_SERVICE__GRPC` reaches `invoices-service`); values are YAML scalars or
 * flow collections (`8080`, `false`, `[probe]`).
 */
export function applyEnvOverrides(raw: unknown, env: NodeJS.ProcessEnv): unknown {
  const root: Record<string, unknown> = isObject(raw) ? raw : {};
  const knownKeys = schemaKeyNames();
  for (const [variable, value] of Object.entries(env)) {
    if (!variable.startsWith(ENV_PREFIX) || value === undefined) continue;
    const segments = variable.slice(ENV_PREFIX.length).split('__').filter(Boolean);
    if (segments.length === 0) continue;
    let node = root;
    segments.forEach((segment, i) => {
      const key = matchKey(node, segment, knownKeys);
      if (i === segments.length - 1) {
        node[key] = parseEnvValue(variable, value);
        return;
      }
      const child = node[key];
      node = node[key] = isObject(child) ? child : {};
    });
  }
  return root;
}

/** Env names cannot hold dashes portably, so `_` in a segment also matches `-` in a key. */
function matchKey(node: Record<string, unknown>, segment: string, knownKeys: readonly string[]): string {
  const normalize = (key: string) => key.toLowerCase().replaceAll('-', '_');
  const wanted = normalize(segment);
  return (
    Object.keys(node).find((k) => normalize(k) === wanted) ??
    knownKeys.find((k) => normalize(k) === wanted) ??
    segment.toLowerCase().replaceAll('_', '-')
  );
}

function parseEnvValue(variable: string, value: string): unknown {
  try {
    return parseYaml(value);
  } catch (error) {
    throw new ConfigError(`environment variable ${variable} is not a valid value: ${(error as Error).message}`);
  }
}

/** Every property name the schema knows, so env segments can be matched to camelCase keys. */
function schemaKeyNames(): string[] {
  const names = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (isObject(node)) {
      if (isObject(node.properties)) Object.keys(node.properties).forEach((k) => names.add(k));
      Object.values(node).forEach(walk);
    }
  };
  walk(z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }));
  return [...names];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
