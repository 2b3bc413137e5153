import { ConfigError, validateConfig } from '../../src/config/load.js';

const kubernetes = (subgraphResources: unknown) =>
  validateConfig({ availability: { sources: ['kubernetes'], kubernetes: { subgraphResources } } }).availability
    .kubernetes.subgraphResources;

describe('availability.kubernetes.subgraphResources', () => {
  test('off unless set; {} turns it on with the documented defaults', () => {
    expect(validateConfig({}).availability.kubernetes.subgraphResources).toBe(false);
    expect(kubernetes({})).toEqual({
      status: true,
      lease: { name: 'affordance-gateway-status', durationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2000 },
    });
  });

  test('the Lease timings must nest: retry < renew deadline < duration', () => {
    expect(() => kubernetes({ lease: { retryPeriodMs: 10_000 } })).toThrow(
      /subgraphResources\.lease\.retryPeriodMs: retryPeriodMs must be shorter than renewDeadlineMs/,
    );
    expect(() => kubernetes({ lease: { renewDeadlineMs: 15_000 } })).toThrow(
      /subgraphResources\.lease\.renewDeadlineMs: renewDeadlineMs must be shorter than durationMs/,
    );
    expect(() => kubernetes({ lease: { identity: 'has space' } })).toThrow(ConfigError);
    expect(
      kubernetes({
        status: false,
        lease: { durationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 250, identity: 'pod-1' },
      }),
    ).toEqual({
      status: false,
      lease: {
        name: 'affordance-gateway-status',
        durationMs: 3000,
        renewDeadlineMs: 2000,
        retryPeriodMs: 250,
        identity: 'pod-1',
      },
    });
  });
});
