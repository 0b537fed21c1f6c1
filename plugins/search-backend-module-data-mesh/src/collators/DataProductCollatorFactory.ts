import { Readable } from 'node:stream';
import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  DocumentCollatorFactory,
  IndexableDocument,
} from '@backstage/plugin-search-common';
import {
  catalogEntityReadPermission,
  DATA_PRODUCT_SEARCH_TYPE,
  DataProductSearchDocument,
} from '@backstage-data-mesh/plugin-data-mesh-common';

/** A data product as it is indexed: the data-mesh backend's document, and who may see it. */
export type IndexableDataProductDocument = DataProductSearchDocument &
  IndexableDocument;

/**
 * Collates data products (type `data-product`) from the data-mesh backend's
 * `GET /discovery/documents`: title, description, port, table and column names and descriptions
 * in `text` (so a column name finds its product), with type, domain, owner and health. Each
 * document carries its entity ref, so that search shows it only to users who may read the
 * product in the catalogue (`catalog.entity.read`, the visibility permission).
 * @public
 */
export class DataProductCollatorFactory implements DocumentCollatorFactory {
  readonly type = DATA_PRODUCT_SEARCH_TYPE;
  readonly visibilityPermission = catalogEntityReadPermission;

  constructor(
    private readonly options: {
      discovery: DiscoveryService;
      auth: AuthService;
    },
  ) {}

  async getCollator(): Promise<Readable> {
    return Readable.from(this.execute());
  }

  private async *execute(): AsyncGenerator<IndexableDataProductDocument> {
    const { discovery, auth } = this.options;
    const baseUrl = await discovery.getBaseUrl('data-mesh');
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'data-mesh',
    });
    const response = await fetch(`${baseUrl}/discovery/documents`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    const documents = (await response.json()) as DataProductSearchDocument[];
    for (const document of documents) {
      yield {
        ...document,
        authorization: { resourceRef: document.entityRef },
      };
    }
  }
}
