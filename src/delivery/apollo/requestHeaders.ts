import type { HeaderMap } from '@apollo/server';
import type { FetcherHeaders } from '@apollo/utils.fetcher';

/**
 * A request's headers as the gateway interface hands them to the executor and the data
 * sources (`request.http.headers`): the Fetch-like view Apollo Server gives its executor,
 * over the same map.
 */
export class RequestHeaders implements FetcherHeaders {
  constructor(private readonly map: HeaderMap) {}

  append(name: string, value: string): void {
    const before = this.map.get(name);
    this.map.set(name, before === undefined ? value : `${before}, ${value}`);
  }
  delete(name: string): void {
    this.map.delete(name);
  }
  get(name: string): string | null {
    return this.map.get(name) ?? null;
  }
  has(name: string): boolean {
    return this.map.has(name);
  }
  set(name: string, value: string): void {
    this.map.set(name, value);
  }
  entries(): IterableIterator<[string, string]> {
    return this.map.entries();
  }
  keys(): IterableIterator<string> {
    return this.map.keys();
  }
  values(): IterableIterator<string> {
    return this.map.values();
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.map.entries();
  }
}
