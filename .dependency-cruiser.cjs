/**
 * The architecture, enforced by `npm run lint` (type imports count too).
 *
 * Layers of src/, lowest first; each may import only from itself and the layers below it:
 *   platform → config → availability → sources → composition → serving → affordances
 *   → delivery → gateway (the one composition root) → stack, client → cli
 * The demo subgraphs (subgraphs/, their own workspace package) may import only src/platform.
 */
const LAYERS = [
  'platform',
  'config',
  'availability',
  'sources',
  'composition',
  'serving',
  'affordances',
  'delivery',
  'gateway',
  'stack',
  'client',
  'cli',
];

const above = (index) => LAYERS.slice(index + 1);

module.exports = {
  forbidden: [
    ...LAYERS.slice(0, -1).map((layer, index) => ({
      name: `${layer}-imports-only-lower-layers`,
      comment: `src/${layer} may import only from ${LAYERS.slice(0, index).join(', ') || 'nothing else of src/'}`,
      severity: 'error',
      from: { path: `^src/${layer}/` },
      to: { path: `^src/(${above(index).join('|')})/` },
    })),
    {
      name: 'client-is-not-the-gateway',
      comment: 'the client talks to a gateway over HTTP; it shares only platform code and the affordances types',
      severity: 'error',
      from: { path: '^src/client/' },
      to: { path: '^src/', pathNot: '^src/(client|platform)/|^src/affordances/types\\.ts$' },
    },
    {
      name: 'stack-starts-processes',
      comment: 'the local stack runs the components as child processes; it imports none of them',
      severity: 'error',
      from: { path: '^src/stack/' },
      to: { path: '^src/', pathNot: '^src/(stack|platform|config)/' },
    },
    {
      name: 'subgraphs-use-only-the-platform',
      comment: 'the demo subgraphs are their own package; of the gateway they use only src/platform',
      severity: 'error',
      from: { path: '^subgraphs/' },
      to: { path: '^src/', pathNot: '^src/platform/' },
    },
    {
      name: 'gateway-does-not-import-the-demo',
      comment: 'the gateway starts the demo subgraphs as child processes, never imports them',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^subgraphs/' },
    },
    {
      name: 'no-unknown-src-folder',
      comment: 'every folder of src/ is a layer above; a new one needs its place in LAYERS',
      severity: 'error',
      from: { path: `^src/(?!(${LAYERS.join('|')})/)` },
      to: {},
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^(src|subgraphs)/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
