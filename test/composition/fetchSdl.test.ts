import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { fetchSubgraphSdl } from '../../src/composition/fetchSdl.js';
import { HOSTILE_SDL, HostileSubgraph } from '../helpers/hostileSubgraph.js';
import { serveSchemas } from '../helpers/subgraphServers.js';

const MiB = 1024 * 1024;

describe('reading a subgraph SDL', () => {
  test.each([
    ['announced in its headers', true],
    ['without a content-length', false],
  ])('a 200 MB answer %s is refused past 4 MiB, the rest unread', async (_name, contentLength) => {
    const hostile = await new HostileSubgraph({ kind: 'huge', bytes: 200 * MiB, contentLength }).start();
    try {
      await expect(fetchSubgraphSdl(hostile.url, 5000)).rejects.toThrow(
        `cannot read its SDL: response too large (over ${4 * MiB} bytes)`,
      );
      const sent = await hostile.huge[0]!;
      expect(sent.cutOff).toBe(true);
      // What was read, plus what the loopback socket buffers held: far from 200 MB.
      expect(sent.written).toBeLessThan(4 * MiB + 16 * MiB);
    } finally {
      await hostile.close();
    }
  });

  test('the limit is the caller’s: a real subgraph’s SDL within it is read, one past it is not', async () => {
    const typeDefs = parse(`${HOSTILE_SDL}\nextend type Query { "${'x'.repeat(3000)}" long: String }`);
    const served = await serveSchemas({ small: buildSubgraphSchema({ typeDefs }) });
    try {
      const url = served.subgraphs.small!.url;
      expect(await fetchSubgraphSdl(url, 2000, 8 * 1024)).toContain('long: String');
      await expect(fetchSubgraphSdl(url, 2000, 2 * 1024)).rejects.toThrow(
        'cannot read its SDL: response too large (over 2048 bytes)',
      );
    } finally {
      await served.close();
    }
  });
});
