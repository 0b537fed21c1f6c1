import {
  checkIdentifier,
  ident,
  qualified,
  readerRoleName,
} from './identifiers';
import { PrincipalMapper } from './principals';

describe('identifiers', () => {
  it('accepts plain names, lower-cased', () => {
    expect(checkIdentifier('Orders', 'f')).toEqual({ name: 'orders' });
    expect(checkIdentifier('_x9', 'f')).toEqual({ name: '_x9' });
    expect(checkIdentifier('a'.repeat(63), 'f')).toEqual({
      name: 'a'.repeat(63),
    });
  });

  it.each([
    'orders; drop table x',
    'a-b',
    '9lives',
    'a b',
    'a"b',
    'é',
    'a'.repeat(64),
    '',
  ])('refuses %p, naming the field', value => {
    const result = checkIdentifier(value, 'schema[0].physicalName');
    expect(result).toEqual({
      error: expect.stringMatching(/^schema\[0\]\.physicalName: /),
    });
  });

  it('refuses reserved names', () => {
    expect(checkIdentifier('pg_x', 'f', 'role')).toHaveProperty('error');
    expect(checkIdentifier('public', 'f', 'schema')).toHaveProperty('error');
    expect(checkIdentifier('information_schema', 'f', 'schema')).toHaveProperty(
      'error',
    );
  });

  it('quotes, and refuses to quote what was not validated', () => {
    expect(ident('orders')).toBe('"orders"');
    expect(qualified('sales_orders', 'orders')).toBe('"sales_orders"."orders"');
    expect(() => ident('x"; drop table y; --')).toThrow(/unvalidated/);
  });

  it('names the reader role after the schema and port', () => {
    expect(readerRoleName('sales_orders', 'stock-levels')).toBe(
      'sales_orders_stock_levels_reader',
    );
  });
});

describe('PrincipalMapper', () => {
  const mapper = new PrincipalMapper();

  it('maps refs with the default template', () => {
    expect(mapper.toRole('user:default/alice', 'p')).toEqual({
      role: 'dm_user_alice',
    });
    expect(mapper.toRole('group:default/finance-team', 'p')).toEqual({
      role: 'dm_group_finance_team',
    });
    expect(mapper.toRole('DataProduct:default/customer-360', 'p')).toEqual({
      role: 'dm_dataproduct_customer_360',
    });
  });

  it('refuses what is not a ref, or too long', () => {
    expect(mapper.toRole('alice', 'principals[0]')).toEqual({
      error: expect.stringMatching(
        /^principals\[0\]: 'alice' is not an entity ref/,
      ),
    });
    expect(mapper.toRole(`user:default/${'a'.repeat(80)}`, 'p')).toHaveProperty(
      'error',
    );
  });

  it('reverses a role via its comment, the template, or gives the role name', () => {
    expect(mapper.toPrincipal('dm_user_alice', 'user:default/alice')).toBe(
      'user:default/alice',
    );
    expect(
      mapper.toPrincipal('dm_group_finance_team', 'group:default/finance-team'),
    ).toBe('group:default/finance-team');
    // Without the comment the template is read backwards, which cannot restore the dash.
    expect(mapper.toPrincipal('dm_group_finance_team')).toBe(
      'group:default/finance_team',
    );
    // A comment that does not map to the role is not trusted.
    expect(mapper.toPrincipal('dm_user_alice', 'user:default/mallory')).toBe(
      'user:default/alice',
    );
    expect(mapper.toPrincipal('analyst')).toBe('analyst');
  });

  it('supports a custom template and explicit roles', () => {
    const custom = new PrincipalMapper({
      template: 'mesh_{namespace}_{kind}_{name}',
      mapping: { 'group:default/finance-team': 'finance' },
    });
    expect(custom.toRole('user:ops/bob', 'p')).toEqual({
      role: 'mesh_ops_user_bob',
    });
    expect(custom.toRole('group:default/finance-team', 'p')).toEqual({
      role: 'finance',
    });
    expect(custom.toPrincipal('finance')).toBe('group:default/finance-team');
    expect(custom.toPrincipal('mesh_ops_user_bob')).toBe('user:ops/bob');
  });

  it('refuses a template without {name} or with unknown placeholders', () => {
    expect(() => new PrincipalMapper({ template: 'dm_{kind}' })).toThrow(
      /must contain \{name\}/,
    );
    expect(
      () => new PrincipalMapper({ template: 'dm_{name}_{email}' }),
    ).toThrow(/may only use/);
  });
});
