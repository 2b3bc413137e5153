/**
 * Entry point of the worker thread that composes supergraphs in the background (see
 * BackgroundCompositions): composition is synchronous and takes from milliseconds to
 * seconds, which the gateway's event loop must not wait for.
 */
import { parentPort } from 'node:worker_threads';
import { composeSdl, type CompositionJob } from './composeSdl.js';

parentPort!.on('message', (job: CompositionJob) => parentPort!.postMessage(composeSdl(job)));
