import { Agreement, DataMeshApi } from '../api';

/**
 * A DataMeshApi whose methods are jest mocks that fail unless a test overrides them, so a test
 * notices calls it did not expect.
 */
export function fakeDataMeshApi(
  overrides: Partial<DataMeshApi> = {},
): jest.Mocked<DataMeshApi> {
  const unexpected = (name: string) =>
    jest.fn(async () => {
      throw new Error(`Unexpected call of ${name}`);
    });
  return {
    listDeployments: unexpected('listDeployments'),
    getDeployment: unexpected('getDeployment'),
    deploy: unexpected('deploy'),
    requestAccess: unexpected('requestAccess'),
    listAgreements: unexpected('listAgreements'),
    getAgreement: unexpected('getAgreement'),
    decideAgreement: unexpected('decideAgreement'),
    cancelAgreement: unexpected('cancelAgreement'),
    revokeAgreement: unexpected('revokeAgreement'),
    ...overrides,
  } as jest.Mocked<DataMeshApi>;
}

/** An agreement of bob for the orders port of Sales Orders, waiting for a first-level decision. */
export function makeAgreement(overrides: Partial<Agreement> = {}): Agreement {
  return {
    id: 'a1',
    consumerRef: 'user:default/bob',
    dataProductRef: 'dataproduct:default/sales-orders',
    outputPort: 'orders',
    role: 'sales_orders_reader',
    purpose: 'Weekly revenue report',
    startsAt: '2025-03-01T00:00:00.000Z',
    endsAt: '2025-05-30T00:00:00.000Z',
    contractId: 'sales-orders.orders',
    contractVersion: '2.1.0',
    status: 'requested',
    approvalLevel: 1,
    deciders: [{ level: 1, refs: ['group:default/sales-team'] }],
    requestedBy: 'user:default/bob',
    createdAt: '2025-03-01T09:30:00.000Z',
    updatedAt: '2025-03-01T09:30:00.000Z',
    allowedActions: [],
    ...overrides,
  };
}
