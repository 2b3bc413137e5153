import { InflightFetches, sharingKey } from '../../src/serving/inflightFetches.js';

const body = JSON.stringify({ query: '{ a }', variables: {} });

describe('sharingKey', () => {
  test('differs when any header that is sent differs', () => {
    const alice = sharingKey(body, { authorization: 'Bearer alice', accept: 'application/json' });
    const bob = sharingKey(body, { authorization: 'Bearer bob', accept: 'application/json' });
    const nobody = sharingKey(body, { accept: 'application/json' });
    expect(new Set([alice, bob, nobody]).size).toBe(3);
  });

  test('ignores the headers that only identify a request, and the order and case of names', () => {
    const one = sharingKey(body, { Accept: 'application/json', 'x-request-id': '1', traceparent: '00-a-b-01' });
    const two = sharingKey(body, { 'x-request-id': '2', accept: 'application/json', traceparent: '00-c-d-01' });
    expect(one).toBe(two);
  });

  test('differs with the body: operation, variables, operation name', () => {
    const keys = [
      sharingKey(body, {}),
      sharingKey(JSON.stringify({ query: '{ a }', variables: { x: 1 } }), {}),
      sharingKey(JSON.stringify({ query: '{ b }', variables: {} }), {}),
      sharingKey(JSON.stringify({ query: '{ a }', variables: {}, operationName: 'A' }), {}),
    ];
    expect(new Set(keys).size).toBe(4);
  });
});

describe('InflightFetches', () => {
  test('runs one fetch for a key while it is in flight, then forgets it', async () => {
    const fetches = new InflightFetches<number>();
    let calls = 0;
    let release: (n: number) => void = () => {};
    const slow = () => {
      calls++;
      return new Promise<number>((resolve) => (release = resolve));
    };
    const all = Promise.all([fetches.run('k', slow), fetches.run('k', slow), fetches.run('other', async () => 2)]);
    release(1);
    expect(await all).toEqual([
      { value: 1, shared: false },
      { value: 1, shared: true },
      { value: 2, shared: false },
    ]);
    await fetches.run('k', async () => 3);
    expect(calls).toBe(1);
  });
});
