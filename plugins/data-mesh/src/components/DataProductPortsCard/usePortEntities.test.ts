import { loadExampleDataProduct } from '../../__testUtils__/examples';
import { resolvePorts } from './usePortEntities';

describe('resolvePorts', () => {
  it('looks up output contracts beside the product and input contracts upstream', () => {
    const product = loadExampleDataProduct('sales-orders');
    product.metadata.namespace = 'retail';
    product.spec.inputPorts![0].dataProduct =
      'dataproduct:pos/pos-transactions';
    product.spec.inputPorts![1].dataProduct = 'online-orders';

    const { outputPorts, inputPorts } = resolvePorts(product);

    expect(outputPorts.map(p => p.contractRef)).toEqual([
      'api:retail/sales-orders.orders',
    ]);
    expect(inputPorts.map(p => p.productRef)).toEqual([
      { kind: 'dataproduct', namespace: 'pos', name: 'pos-transactions' },
      // A bare name means a product in the same namespace.
      { kind: 'DataProduct', namespace: 'retail', name: 'online-orders' },
    ]);
    expect(inputPorts.map(p => p.contractRef)).toEqual([
      'api:pos/pos-transactions.transactions',
      'api:retail/online-orders.orders',
    ]);
  });
});
