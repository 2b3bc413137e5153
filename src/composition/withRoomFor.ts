import { LRUCache } from 'lru-cache';

/**
 * `cache`, or a copy of it with room for `count` entries when it has less: the caches of
 * composition grow with the largest set of subgraphs seen, and lru-cache's size is fixed
 * at construction. Entries keep their recency.
 */
export function withRoomFor<K extends {}, V extends {}>(cache: LRUCache<K, V>, count: number): LRUCache<K, V> {
  if (count <= cache.max) return cache;
  const grown = new LRUCache<K, V>({ max: count });
  grown.load(cache.dump());
  return grown;
}
