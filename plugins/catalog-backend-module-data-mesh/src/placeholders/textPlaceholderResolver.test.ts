import { createMockDirectory } from '@backstage/backend-test-utils';
import { textPlaceholderResolver } from './textPlaceholderResolver';

describe('textPlaceholderResolver', () => {
  const dir = createMockDirectory({
    content: {
      'product/catalog-info.yaml': 'kind: API',
      'product/contracts/c.odcs.yaml': 'id: c',
      'secret.txt': 'do not read',
    },
  });
  const base = {
    key: 'text',
    emit: jest.fn(),
    read: jest.fn(),
    resolveUrl: jest.fn((url: string, b: string) => new URL(url, b).toString()),
  };

  it('reads a file beside a file location', async () => {
    await expect(
      textPlaceholderResolver({
        ...base,
        value: './contracts/c.odcs.yaml',
        baseUrl: dir.resolve('product/catalog-info.yaml'),
      }),
    ).resolves.toBe('id: c');
  });

  it('refuses to leave the folder of a file location', async () => {
    await expect(
      textPlaceholderResolver({
        ...base,
        value: '../secret.txt',
        baseUrl: dir.resolve('product/catalog-info.yaml'),
      }),
    ).rejects.toThrow('may only read files in the folder of');
  });

  it('names the missing file', async () => {
    await expect(
      textPlaceholderResolver({
        ...base,
        value: './contracts/missing.yaml',
        baseUrl: dir.resolve('product/catalog-info.yaml'),
      }),
    ).rejects.toThrow(/could not read .*contracts\/missing\.yaml/);
  });

  it('resolves relative to a URL location, reads through the URL reader and asks for a refresh', async () => {
    const read = jest.fn(async () => Buffer.from('id: remote'));
    const emit = jest.fn();
    await expect(
      textPlaceholderResolver({
        ...base,
        read,
        emit,
        value: './c.odcs.yaml',
        baseUrl:
          'https://github.com/xclusiv/sales-orders/blob/main/catalog-info.yaml',
      }),
    ).resolves.toBe('id: remote');
    expect(read).toHaveBeenCalledWith(
      'https://github.com/xclusiv/sales-orders/blob/main/c.odcs.yaml',
    );
    expect(emit).toHaveBeenCalledWith({
      type: 'refresh',
      key: 'url:https://github.com/xclusiv/sales-orders/blob/main/c.odcs.yaml',
    });
  });

  it('keeps URL placeholders inside the same repository', async () => {
    await expect(
      textPlaceholderResolver({
        ...base,
        value: 'https://github.com/someone-else/repo/blob/main/x.yaml',
        baseUrl:
          'https://github.com/xclusiv/sales-orders/blob/main/catalog-info.yaml',
      }),
    ).rejects.toThrow('same repository');
  });
});
