import { z } from 'zod';
import { createLogger } from '@pcn/observability';
import { billingService } from './billing-service';

const shape = z.object(billingService.config.shape);
const context = { deployment: { store: 'postgres' as const, dataDir: './data' }, logger: createLogger({ service: 'billing', level: 'silent' }) };

describe('billing configuration', () => {
  it('runs locally unless PCN_BILLING_RUNS=shared', () => {
    expect(billingService.configure(shape.parse({}), context)).toEqual({ runs: 'local' });
    expect(billingService.configure(shape.parse({ PCN_BILLING_RUNS: 'shared' }), context)).toEqual({ runs: 'shared' });
  });

  it('refuses another value, saying which are allowed', () => {
    const parsed = shape.safeParse({ PCN_BILLING_RUNS: 'kafka' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues).toEqual([expect.objectContaining({ path: ['PCN_BILLING_RUNS'], message: 'must be local or shared' })]);
  });

  it('consumes the work topic of shared runs besides its facts', () => {
    expect(billingService.consumes).toEqual(['pcn.attribution.v1', 'pcn.registry.v1', 'pcn.billing.runs.v1']);
  });
});
