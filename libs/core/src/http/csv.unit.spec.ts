import { csvOf, listAsCsv } from './csv';

describe('CSV', () => {
  it('writes a header and CRLF rows, quoting only where needed, empty for null', () => {
    const columns = [
      ['period', (_r: { name: string; amount: number | null }, meta: string) => meta],
      ['name', (r: { name: string }) => r.name],
      ['amount', (r: { amount: number | null }) => r.amount],
    ] as const;
    expect(
      csvOf(
        columns,
        [
          { name: 'Acme, "the" GmbH', amount: 100 },
          { name: 'Beta', amount: null },
        ],
        '2025-03',
      ),
    ).toBe('period,name,amount\r\n2025-03,"Acme, ""the"" GmbH",100\r\n2025-03,Beta,\r\n');
  });

  it('turns a list answer into rows led by its basis and period, nested fields dotted, lists as JSON', () => {
    expect(
      listAsCsv({
        period: '2025-03',
        revenueBasis: 'invoiced',
        items: [{ id: 'a', owner: { id: 'x' }, tags: [1, 2], ok: true }],
        total: 1,
      }),
    ).toBe('period,revenueBasis,id,owner.id,tags,ok\r\n2025-03,invoiced,a,x,"[1,2]",true\r\n');
    expect(listAsCsv({ id: 'not a list' })).toBeNull();
  });

  it('reads the records of a log page (events) and of a versioned policy (versions) too', () => {
    expect(listAsCsv({ events: [{ position: 1, type: 'OrderPlaced', data: { orderId: 'o1' } }], next: 1 })).toBe(
      'position,type,data.orderId\r\n1,OrderPlaced,o1\r\n',
    );
    expect(listAsCsv({ versions: [{ version: 1, effectiveFrom: '2025-01-01' }] })).toBe('version,effectiveFrom\r\n1,2025-01-01\r\n');
  });
});
