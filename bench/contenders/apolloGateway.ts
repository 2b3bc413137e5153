/**
 * Stock contender: @apollo/gateway on @apollo/server's standalone server, with a static
 * supergraph (the file given) and the gateway's default fetcher. Nothing tuned.
 * Usage: apolloGateway.ts <port> <supergraph.graphql>
 */
import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { exitWithParent } from './exitWithParent.js';

process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
const [port, supergraphFile] = process.argv.slice(2);
const gateway = new ApolloGateway({ supergraphSdl: readFileSync(supergraphFile!, 'utf8') });
const server = new ApolloServer({ gateway });
await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: Number(port) } });
exitWithParent(() => server.stop());
