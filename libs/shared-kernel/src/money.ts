import { ruleViolation } from './errors';

/** Money is an integer number of minor units (cents) in the one configured currency. */
export type Minor = number;

export const isMinor = (value: unknown): value is Minor => Number.isSafeInteger(value);

export const assertMinor = (value: number, field: string): Minor => {
  if (!Number.isSafeInteger(value)) throw ruleViolation('InvalidAmount', `${field} must be an integer number of minor units`);
  return value;
};

/** amount × numerator / denominator, rounded half away from zero, in integers only. */
export const mulDivRound = (amount: Minor, numerator: number, denominator: number): Minor => {
  const a = BigInt(amount) * BigInt(numerator);
  const d = BigInt(denominator);
  const negative = a < 0n !== d < 0n;
  const absA = a < 0n ? -a : a;
  const absD = d < 0n ? -d : d;
  const q = (absA * 2n + absD) / (absD * 2n);
  return Number(negative ? -q : q);
};

/** Basis points: 1 bp = 0.01 %, so 10000 bp = 100 %. Percentages are kept in bp to stay integral. */
export type BasisPoints = number;
export const applyBasisPoints = (amount: Minor, bp: BasisPoints): Minor => mulDivRound(amount, bp, 10_000);

/** Share of part in whole in basis points (0 when whole is 0). */
export const ratioInBasisPoints = (part: number, whole: number): BasisPoints => (whole === 0 ? 0 : mulDivRound(part, 10_000, whole));

export const sumMinor = (values: readonly Minor[]): Minor => values.reduce((a, b) => a + b, 0);

/**
 * Split an amount by weights so the parts add up to the amount exactly
 * (largest remainder; ties to the earlier weight).
 */
export const allocateByWeights = (amount: Minor, weights: readonly number[]): Minor[] => {
  const total = weights.reduce((a, b) => a + b, 0);
  if (total <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (BigInt(amount) * BigInt(w)) / BigInt(total));
  const parts = exact.map(Number);
  let remainder = amount - parts.reduce((a, b) => a + b, 0);
  const order = weights
    .map((w, i) => ({ i, rem: Number((BigInt(amount) * BigInt(w)) % BigInt(total)) }))
    .sort((x, y) => y.rem - x.rem || x.i - y.i);
  for (let k = 0; remainder !== 0 && order.length > 0; k = (k + 1) % order.length) {
    const step = remainder > 0 ? 1 : -1;
    parts[order[k].i] += step;
    remainder -= step;
  }
  return parts;
};
