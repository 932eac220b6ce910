/** The customer most suites register first: a wholesale customer of salesperson sp-anna with a 5,000.00 limit. */
export const acme = {
  name: 'Acme GmbH',
  customerGroup: 'wholesale',
  territory: 'north',
  ownerId: 'sp-anna',
  creditLimit: 500_000,
  paymentTermsDays: 30,
};
