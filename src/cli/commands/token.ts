import { existsSync } from 'node:fs';
import { Command, Option } from 'commander';
import { demoJwks, demoKeyFile, demoSigningKey, signDemoToken } from '../../stack/demoSigningKey.js';

interface TokenOptions {
  scope: string[];
  subject: string;
  expires: string;
  keyFile?: string;
  jwks?: boolean;
}

/** `--scope a --scope b` and `--scope "a b"` alike. */
const collectScopes = (value: string, previous: string[]) => [...previous, ...value.split(/\s+/).filter(Boolean)];

/**
 * `token`: makes a demo JWT the local stack's gateway accepts (`npm start` verifies them
 * with the same key), signed with a local key pair made on first use (see demoSigningKey).
 * For demos and tests only: a real deployment gets its tokens from an identity provider.
 */
export function tokenCommand(): Command {
  return new Command('token')
    .description('make a demo JWT for the local stack (signed with a local key made on first use) and print it')
    .option('--scope <scope>', 'a scope the token holds (repeat, or space-separated)', collectScopes, [])
    .option('--subject <sub>', 'the token subject (sub)', 'demo-user')
    .option('--expires <span>', 'how long it is valid: 30m, 1h, 7d, …', '1h')
    .addOption(
      new Option('--key-file <file>', 'the demo signing key (default: $XDG_STATE_HOME/affordance-gateway/…)').env(
        'AG_DEMO_KEY_FILE',
      ),
    )
    .option('--jwks', "print the key's public JWKS instead (for auth.jwt.jwks or jwksFile)")
    .addHelpText(
      'after',
      `
Example: npx tsx src/cli/main.ts client list --token "$(npx tsx src/cli/main.ts token --scope invoices:write)"`,
    )
    .action(async (opts: TokenOptions) => {
      const file = opts.keyFile ?? demoKeyFile();
      const fresh = !existsSync(file);
      let key;
      try {
        key = await demoSigningKey(file);
        if (fresh) process.stderr.write(`made a demo signing key in ${file} (for local demos only)\n`);
      } catch (error) {
        process.stderr.write(`cannot read or create the demo signing key ${file}: ${(error as Error).message}\n`);
        process.exit(1);
      }
      if (opts.jwks) {
        process.stdout.write(`${JSON.stringify(demoJwks(key))}\n`);
        return;
      }
      let token: string;
      try {
        token = await signDemoToken(key, { scopes: opts.scope, subject: opts.subject, expiresIn: opts.expires });
      } catch (error) {
        if (!(error instanceof TypeError)) throw error;
        process.stderr.write(`error: option '--expires <span>': not a time span (${error.message}): ${opts.expires}\n`);
        process.exit(2);
      }
      process.stdout.write(`${token}\n`);
    });
}
