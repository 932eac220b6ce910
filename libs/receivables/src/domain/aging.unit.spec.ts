import { ageReceivables, agingBucketOf } from './aging';

describe('ageReceivables', () => {
  it('buckets by days past due on asOf', () => {
    expect(agingBucketOf('2025-03-10', '2025-03-10')).toBe('current');
    expect(agingBucketOf('2025-03-11', '2025-03-10')).toBe('current');
    expect(agingBucketOf('2025-03-09', '2025-03-10')).toBe('days1to30');
    expect(agingBucketOf('2025-02-08', '2025-03-10')).toBe('days1to30');
    expect(agingBucketOf('2025-02-07', '2025-03-10')).toBe('days31to60');
    expect(agingBucketOf('2025-01-09', '2025-03-10')).toBe('days31to60');
    expect(agingBucketOf('2025-01-08', '2025-03-10')).toBe('days61to90');
    expect(agingBucketOf('2024-12-10', '2025-03-10')).toBe('days61to90');
    expect(agingBucketOf('2024-12-09', '2025-03-10')).toBe('over90');
  });
  it('sums open balances per bucket in integers', () => {
    expect(
      ageReceivables(
        [
          { openBalance: 100, dueDate: '2025-03-31' },
          { openBalance: 200, dueDate: '2025-03-01' },
          { openBalance: 300, dueDate: '2025-02-01' },
          { openBalance: 400, dueDate: '2024-12-15' },
          { openBalance: 500, dueDate: '2024-01-01' },
          { openBalance: 0, dueDate: '2024-01-01' },
        ],
        '2025-03-10',
      ),
    ).toEqual({ current: 100, days1to30: 200, days31to60: 300, days61to90: 400, over90: 500, total: 1500 });
  });
});
