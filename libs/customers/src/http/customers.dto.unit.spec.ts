import { checkQuickValidationAgainstFullPipe } from '@salesline/core/testing';
import { ChangeCreditLimitBody, ChangeCustomerDetailsBody, RegisterCustomerBody } from './customers.dto';

/** Customer bodies are checked by the validation pipe's quick path when valid: it must answer as the full pipe does. */
describe('customer bodies: the quick validation path answers as the full pipe', () => {
  it.each([
    [
      'a registration',
      RegisterCustomerBody,
      [
        { name: 'Acme', customerGroup: 'wholesale', territory: 'north', ownerId: 'sp-anna', creditLimit: 500000, paymentTermsDays: 30 },
        {
          name: 'Acme',
          customerGroup: 'w.1',
          territory: 'n_2',
          ownerId: 'sp',
          creditLimit: 0,
          paymentTermsDays: 365,
          registeredOn: '2026-01-10',
        },
      ],
    ],
    ['a change of details', ChangeCustomerDetailsBody, [{}, { name: 'Acme AG', paymentTermsDays: 14, changedOn: '2026-02-01' }]],
    ['a change of credit limit', ChangeCreditLimitBody, [{ creditLimit: 750000, reason: 'annual review' }]],
  ] as const)('%s', async (_what, dto, examples) => {
    const accepted = await checkQuickValidationAgainstFullPipe(dto, examples, { runs: 200, seed: 13 });
    expect(accepted.quick).toBeGreaterThan(5);
  });
});
