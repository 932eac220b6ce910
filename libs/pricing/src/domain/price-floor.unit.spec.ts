import { discountBasisPoints, evaluatePriceFloor, PriceFloorInput } from './price-floor';

const base: PriceFloorInput = {
  resolvedUnitPrice: 100_00,
  offeredUnitPrice: 100_00,
  standardCost: 60_00,
  actorRoles: ['salesperson'],
  settings: { maxDiscountBpByRole: { salesperson: 0, sales_manager: 1000 } },
};
const evaluate = (over: Partial<PriceFloorInput>) => evaluatePriceFloor({ ...base, ...over });

describe('evaluatePriceFloor', () => {
  it('allows the resolved price or more for anyone', () => {
    expect(evaluate({})).toEqual({ verdict: 'allowed' });
    expect(evaluate({ offeredUnitPrice: 120_00 })).toEqual({ verdict: 'allowed' });
  });
  it('a salesperson may not lower the price at all', () => {
    expect(evaluate({ offeredUnitPrice: 99_99 })).toEqual({ verdict: 'needs_approval', discountBp: 1, allowedBp: 0 });
  });
  it('a sales manager may discount up to the configured basis points, exactly', () => {
    expect(evaluate({ actorRoles: ['sales_manager'], offeredUnitPrice: 90_00 })).toEqual({ verdict: 'allowed' });
    expect(evaluate({ actorRoles: ['sales_manager'], offeredUnitPrice: 89_99 })).toEqual({
      verdict: 'needs_approval',
      discountBp: 1001,
      allowedBp: 1000,
    });
  });
  it('the best allowance among the roles counts; unconfigured roles allow 0', () => {
    expect(evaluate({ actorRoles: ['salesperson', 'sales_manager'], offeredUnitPrice: 95_00 })).toEqual({ verdict: 'allowed' });
    expect(evaluate({ actorRoles: ['finance'], offeredUnitPrice: 95_00 })).toMatchObject({ verdict: 'needs_approval', allowedBp: 0 });
  });
  it('admin is unlimited above cost', () => {
    expect(evaluate({ actorRoles: ['admin'], offeredUnitPrice: 60_00 })).toEqual({ verdict: 'allowed' });
  });
  it('below standard cost needs admin AND a reason', () => {
    expect(evaluate({ actorRoles: ['sales_manager'], offeredUnitPrice: 59_99 })).toEqual({
      verdict: 'below_cost_needs_admin',
      discountBp: 4001,
    });
    expect(evaluate({ actorRoles: ['admin'], offeredUnitPrice: 59_99 })).toEqual({ verdict: 'below_cost_needs_admin', discountBp: 4001 });
    expect(evaluate({ actorRoles: ['admin'], offeredUnitPrice: 59_99, reason: '  ' })).toMatchObject({ verdict: 'below_cost_needs_admin' });
    expect(evaluate({ actorRoles: ['admin'], offeredUnitPrice: 59_99, reason: 'clearance' })).toEqual({ verdict: 'allowed' });
  });
  it('the cost floor holds at the resolved price too: a list price below cost needs an admin, unless an admin approved it for a cost at least as high (ADR 0112)', () => {
    const belowCostList = { resolvedUnitPrice: 50_00, offeredUnitPrice: 50_00, standardCost: 60_00 };
    expect(evaluate(belowCostList)).toEqual({ verdict: 'below_cost_needs_admin', discountBp: 0 });
    expect(evaluate({ ...belowCostList, resolvedBelowCostApprovedAtCost: 60_00 })).toEqual({ verdict: 'allowed' });
    // the cost rose after the approval: flagged, held again
    expect(evaluate({ ...belowCostList, resolvedBelowCostApprovedAtCost: 55_00 })).toEqual({
      verdict: 'below_cost_needs_admin',
      discountBp: 0,
    });
    // the approval covers the list price, not a discount from it
    expect(evaluate({ ...belowCostList, offeredUnitPrice: 49_00, resolvedBelowCostApprovedAtCost: 60_00 })).toEqual({
      verdict: 'below_cost_needs_admin',
      discountBp: 200,
    });
  });
  it('discountBasisPoints rounds up so a discount is never understated', () => {
    expect(discountBasisPoints(3, 2)).toBe(3334);
    expect(discountBasisPoints(100, 100)).toBe(0);
    expect(discountBasisPoints(0, 0)).toBe(0);
  });
});
