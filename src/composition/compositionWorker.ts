/**
 * Entry point of the worker thread that composes supergraphs in the background (see
 * BackgroundCompositions): composition is synchronous and takes from milliseconds to
 * seconds, which the gateway's event loop must not wait for.
 */
import { parentPort } from 'node:worker_threads';
import { BuiltSubgraphs } from './builtSubgraphs.js';
import { composeSdl, type CompositionJob } from './composeSdl.js';

/** The jobs compose the same subgraphs over and over: each is built once. */
const built = new BuiltSubgraphs();
parentPort!.on('message', (job: CompositionJob) => parentPort!.postMessage(composeSdl(job, built)));
