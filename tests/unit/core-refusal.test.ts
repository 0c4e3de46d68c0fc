import { describe, expect, it, vi } from 'vitest';
import { CoreRefusal } from '@/lib/core/transactional-core';

describe('a core refusal', () => {
  it('is recognised by a second copy of its module, as the action route (bundled by Next.js) meets the sandbox core (loaded by the server)', async () => {
    vi.resetModules();
    const copy = await import('@/lib/core/transactional-core');
    expect(copy.CoreRefusal).not.toBe(CoreRefusal);
    const refusal = new copy.CoreRefusal('invalid_state', 'Order SO-1 is not on hold (it is being picked)');
    expect(refusal instanceof CoreRefusal).toBe(true);
    expect(new CoreRefusal('not_found', 'no such order') instanceof copy.CoreRefusal).toBe(true);
  });

  it('is not mistaken for any other error', () => {
    expect(new Error('boom') instanceof CoreRefusal).toBe(false);
    expect(Object.assign(new Error('x'), { code: 'invalid_state' }) instanceof CoreRefusal).toBe(false);
    expect((null as unknown) instanceof CoreRefusal).toBe(false);
  });
});
