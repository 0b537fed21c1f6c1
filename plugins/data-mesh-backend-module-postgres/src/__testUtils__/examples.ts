import fs from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import {
  DataProductEntity,
  OdcsContract,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { PortProvisioningRequest } from '@backstage-data-mesh/plugin-data-mesh-node';

const PRODUCTS = path.resolve(
  __dirname,
  '../../../../examples/xclusiv/products',
);

/** The request for one output port of an example product, read from examples/xclusiv. */
export function exampleRequest(
  product: string,
  portName: string,
): PortProvisioningRequest {
  const dir = path.join(PRODUCTS, product);
  const dataProduct = parseAllDocuments(
    fs.readFileSync(path.join(dir, 'catalog-info.yaml'), 'utf8'),
  )
    .map(d => d.toJS())
    .find(e => e?.kind === 'DataProduct') as DataProductEntity;
  const port = dataProduct.spec.outputPorts.find(p => p.name === portName);
  if (!port) throw new Error(`${product} has no output port ${portName}`);
  const contract = parse(
    fs.readFileSync(
      path.join(dir, 'contracts', `${port.contractId}.odcs.yaml`),
      'utf8',
    ),
  ) as OdcsContract;
  return { dataProduct, port, contract };
}

/** A deep copy to modify in a test. */
export function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}
