import { SqlClient } from '@backstage-data-mesh/plugin-data-mesh-backend-module-postgres';
import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  AccessBackend,
  ADMIN,
  startAccessBackend,
  user,
} from '../../__testUtils__/accessBackend';
import {
  WarehouseSetup,
  warehouseSetups,
} from '../../__testUtils__/warehouseSetups';

// The access workflow through its REST API, in a backend with the real catalogue, permission
// framework (the data-mesh policy), notifications and warehouse: the development setup (SQLite,
// PGlite) and the production one (PostgreSQL for the plugins and for the warehouse).

jest.setTimeout(300_000);

const SALES_ORDERS = 'dataproduct:default/sales-orders';
const STORE_INVENTORY = 'dataproduct:default/store-inventory';
const SEGMENTS = 'dataproduct:default/customer-segments';
const LENA_ROLE = 'dm_user_lena_analyst';
const MARKETING_ROLE = 'dm_group_marketing_team';

const setups = warehouseSetups({
  prefix: 'dm_access_',
  rolePatterns: [
    'dm\\_%',
    'sales\\_orders\\_%',
    'store\\_inventory\\_%',
    'customer\\_segments\\_%',
    'intruder',
  ],
});

describe.each(setups.map(s => [s.name, s]))('access on %s', (_name, setup) => {
  let backend: AccessBackend;
  let warehouse: SqlClient;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const started = await (setup as WarehouseSetup).start();
    warehouse = started.warehouse;
    cleanup = started.cleanup;
    backend = await startAccessBackend({
      warehouse,
      database: started.database,
      access: {
        autoApprove: [
          {
            dataProducts: ['sales-orders'],
            roles: ['sales_orders_reader'],
            consumerKinds: ['user'],
            sameDomain: true,
          },
        ],
      },
    });
    // The products the tests grant access to, deployed by the platform admin.
    for (const product of [SALES_ORDERS, STORE_INVENTORY]) {
      const res = await backend
        .as(ADMIN)
        .post('/deployments?wait=true', { entityRef: product });
      if (res.body.deployment?.status !== 'succeeded') {
        throw new Error(
          `Deploying ${product} failed: ${res.status} ${JSON.stringify(
            res.body,
          ).slice(0, 2000)}`,
        );
      }
    }
  });

  afterAll(async () => {
    await backend?.stop();
    await cleanup?.();
  });

  async function requestAccess(who: string, body: object) {
    return backend.as(who).post('/agreements', {
      purpose: 'Weekly revenue report',
      ...body,
    });
  }

  /** What a warehouse role can read: one row count per table, or the error. */
  async function canRead(role: string, table: string) {
    try {
      await warehouse.transaction(async tx => {
        await tx.query(`SET LOCAL ROLE ${role}`);
        await tx.query(`SELECT count(*) FROM ${table}`);
      });
      return 'yes';
    } catch (error) {
      return (error as Error).message.includes('permission denied')
        ? 'denied'
        : `error: ${(error as Error).message}`;
    }
  }

  async function events(id: string) {
    const res = await backend.as(ADMIN).get(`/agreements/${id}`);
    return res.body.events as Array<{
      action: string;
      actor: string;
      fromStatus?: string;
      toStatus?: string;
    }>;
  }

  it('authorises every route by who calls: only the allowed cells succeed', async () => {
    // Lena asks for the PII role of sales-orders: the sales team decides first, the data
    // platform team second (secondLevelApprovers in the contract).
    const created = await requestAccess('lena.analyst', {
      dataProduct: 'sales-orders',
      outputPort: 'orders',
      role: 'pii_reader',
    });
    expect(created.status).toBe(201);
    const id = created.body.agreement.id;
    expect(created.body.agreement).toMatchObject({
      status: 'requested',
      approvalLevel: 1,
      consumerRef: user('lena.analyst'),
      role: 'sales_orders_pii_reader',
      deciders: [
        { level: 1, refs: ['group:default/sales-team'] },
        { level: 2, refs: ['group:default/data-platform'] },
      ],
      allowedActions: ['cancel'],
    });

    const actors = {
      anonymous: 'anonymous',
      unrelated: 'oliver.hughes',
      requester: 'lena.analyst',
      owner: 'sofia.rossi',
      secondLevel: 'jonas.berg',
      admin: ADMIN,
      service: 'service',
    } as const;
    type Actor = keyof typeof actors;
    async function matrix(
      call: (who: string) => Promise<{ status: number }>,
      only: Actor[],
    ) {
      const result: Record<string, number> = {};
      for (const [actor, who] of Object.entries(actors)) {
        if (!only.includes(actor as Actor))
          result[actor] = (await call(who)).status;
      }
      return result;
    }

    // Reading one agreement: everyone involved; others get 404 (not even its existence).
    expect(
      await matrix(w => backend.as(w).get(`/agreements/${id}`), []),
    ).toEqual({
      anonymous: 401,
      unrelated: 404,
      requester: 200,
      owner: 200,
      secondLevel: 200,
      admin: 200,
      service: 200,
    });
    // Listing: filtered by the same conditions, in the database.
    const listed: Record<string, boolean | number> = {};
    for (const [actor, who] of Object.entries(actors)) {
      const res = await backend
        .as(who)
        .get(`/agreements?dataProduct=sales-orders`);
      listed[actor] =
        res.status === 200
          ? res.body.items.some((a: any) => a.id === id)
          : res.status;
    }
    expect(listed).toEqual({
      anonymous: 401,
      unrelated: false,
      requester: true,
      owner: true,
      secondLevel: true,
      admin: true,
      service: true,
    });

    // First-level decision: the owner only; the requester never, the second level not yet.
    const approve = (w: string) =>
      backend.as(w).post(`/agreements/${id}/decision`, { decision: 'approve' });
    expect(await matrix(approve, ['owner'])).toEqual({
      anonymous: 401,
      unrelated: 404,
      requester: 403,
      secondLevel: 403,
      admin: 403,
      service: 403,
    });
    const first = await approve('sofia.rossi');
    expect(first.status).toBe(200);
    expect(first.body.agreement).toMatchObject({
      status: 'requested',
      approvalLevel: 2,
      decidedBy: user('sofia.rossi'),
    });

    // Second level: the data platform team only; the first-level approver cannot approve twice.
    expect(await matrix(approve, ['secondLevel'])).toEqual({
      anonymous: 401,
      unrelated: 404,
      requester: 403,
      owner: 403,
      admin: 403,
      service: 403,
    });
    const second = await approve('jonas.berg');
    expect(second.status).toBe(200);
    expect(second.body.agreement.status).toBe('active');

    // Cancelling is for undecided requests only: 409 now, whoever may cancel.
    expect(
      (await backend.as('lena.analyst').post(`/agreements/${id}/cancel`))
        .status,
    ).toBe(409);

    // Revoking: deciders, the consumer and admins; the admin does it here.
    const revoke = (w: string) =>
      backend.as(w).post(`/agreements/${id}/revoke`, { reason: 'audit' });
    expect(
      await matrix(revoke, ['requester', 'owner', 'secondLevel', 'admin']),
    ).toEqual({ anonymous: 401, unrelated: 404, service: 403 });
    expect((await revoke(ADMIN)).body.agreement).toMatchObject({
      status: 'revoked',
      decidedBy: user(ADMIN),
    });

    // Reconciliation: platform admins and services.
    const reconcile = (w: string) => backend.as(w).post('/access/reconcile');
    expect(await matrix(reconcile, [])).toEqual({
      anonymous: 401,
      unrelated: 403,
      requester: 403,
      owner: 403,
      secondLevel: 403,
      admin: 200,
      service: 200,
    });
    expect(
      await matrix(w => backend.as(w).get('/access/reconcile-runs'), []),
    ).toEqual({
      anonymous: 401,
      unrelated: 403,
      requester: 403,
      owner: 403,
      secondLevel: 403,
      admin: 200,
      service: 200,
    });

    // Creating: any signed-in person, for themselves; not a service.
    expect(
      await matrix(
        w =>
          requestAccess(w, {
            dataProduct: 'store-inventory',
            outputPort: 'stock-levels',
            role: 'reader',
          }),
        ['requester', 'owner', 'secondLevel', 'admin'],
      ),
    ).toEqual({ anonymous: 401, unrelated: 201, service: 403 });

    // The audit log tells the story in order.
    expect(
      (await events(id)).map(e => [
        e.action,
        e.actor,
        e.fromStatus,
        e.toStatus,
      ]),
    ).toEqual([
      ['requested', user('lena.analyst'), undefined, 'requested'],
      ['approved-first-level', user('sofia.rossi'), undefined, undefined],
      ['approved', user('jonas.berg'), 'requested', 'approved'],
      ['activated', 'system', 'approved', 'active'],
      ['revoked', user(ADMIN), 'active', 'revoked'],
      ['grant-removed', 'system', undefined, undefined],
    ]);
  });

  it('nobody decides on their own request; a co-owner may', async () => {
    // Lukas owns store-inventory (stock team) and asks for access himself.
    const selfRequest = await requestAccess('lukas.schmidt', {
      dataProduct: 'store-inventory',
      outputPort: 'stock-levels',
      role: 'reader',
    });
    expect(selfRequest.status).toBe(201);
    const selfId = selfRequest.body.agreement.id;
    expect(selfRequest.body.agreement.allowedActions).toEqual(['cancel']);
    const self = await backend
      .as('lukas.schmidt')
      .post(`/agreements/${selfId}/decision`, { decision: 'approve' });
    expect(self.status).toBe(403);
    expect(self.body.error.message).toMatch(/another decider must decide/);

    // Sofia asks for her team; the stock team decides: Lukas's inbox has it, not his own.
    const forTeam = await requestAccess('sofia.rossi', {
      dataProduct: 'store-inventory',
      outputPort: 'stock-levels',
      role: 'reader',
      consumer: 'group:default/sales-team',
    });
    expect(forTeam.status).toBe(201);
    const inbox = await backend
      .as('lukas.schmidt')
      .get('/agreements?view=inbox');
    const inboxIds = inbox.body.items.map((a: any) => a.id);
    expect(inboxIds).toContain(forTeam.body.agreement.id);
    expect(inboxIds).not.toContain(selfId);
    expect(
      inbox.body.items.find((a: any) => a.id === forTeam.body.agreement.id)
        .allowedActions,
    ).toEqual(['approve', 'reject']);
    const rejected = await backend
      .as('lukas.schmidt')
      .post(`/agreements/${forTeam.body.agreement.id}/decision`, {
        decision: 'reject',
        reason: 'Use the weekly extract',
      });
    expect(rejected.body.agreement).toMatchObject({
      status: 'rejected',
      reason: 'Use the weekly extract',
    });

    // Anna, his co-owner, decides on Lukas's request.
    const coOwner = await backend
      .as('anna.weber')
      .post(`/agreements/${selfId}/decision`, { decision: 'approve' });
    expect(coOwner.status).toBe(200);
    expect(coOwner.body.agreement.status).toBe('active');
  });

  it('applies an approval as a real grant: the consumer reads the port and nothing else, until revoked or expired', async () => {
    const requested = await requestAccess('lena.analyst', {
      dataProduct: 'sales-orders',
      outputPort: 'orders',
      role: 'analyst',
    });
    expect(requested.status).toBe(201);
    const id = requested.body.agreement.id;
    expect(await canRead(LENA_ROLE, 'sales_orders.orders')).not.toBe('yes');

    const approved = await backend
      .as('marco.bianchi')
      .post(`/agreements/${id}/decision`, { decision: 'approve' });
    expect(approved.body.agreement).toMatchObject({
      status: 'active',
      grant: { state: 'granted', reference: LENA_ROLE },
    });
    expect(await canRead(LENA_ROLE, 'sales_orders.orders')).toBe('yes');
    expect(await canRead(LENA_ROLE, 'sales_orders.order_lines')).toBe('yes');
    expect(await canRead(LENA_ROLE, 'store_inventory.stock_snapshots')).toBe(
      'denied',
    );

    // The consumer sees how to connect.
    const mine = await backend.as('lena.analyst').get(`/agreements/${id}`);
    expect(mine.body.connection).toMatchObject({
      schema: 'sales_orders',
      principal: LENA_ROLE,
    });
    const myAccess = await backend
      .as('lena.analyst')
      .get('/agreements?view=mine&status=active');
    expect(myAccess.body.items.map((a: any) => a.id)).toContain(id);

    // Revoked by an owner: gone from the warehouse.
    const revoked = await backend
      .as('giulia.conti')
      .post(`/agreements/${id}/revoke`, { reason: 'Project ended' });
    expect(revoked.body.agreement).toMatchObject({
      status: 'revoked',
      grant: { state: 'revoked' },
    });
    expect(await canRead(LENA_ROLE, 'sales_orders.orders')).toBe('denied');

    // For her team, ending soon: warned once; then its end date comes and the job expires it.
    const team = await requestAccess('lena.analyst', {
      dataProduct: 'sales-orders',
      outputPort: 'orders',
      role: 'analyst',
      consumer: 'group:default/marketing-team',
      durationDays: 30,
    });
    await backend
      .as('sofia.rossi')
      .post(`/agreements/${team.body.agreement.id}/decision`, {
        decision: 'approve',
      });
    expect(await canRead(MARKETING_ROLE, 'sales_orders.orders')).toBe('yes');
    const teamId = team.body.agreement.id;
    await backend
      .db('access_agreements')
      .where({ id: teamId })
      .update({ ends_at: new Date(Date.now() + 2 * 86_400_000).toISOString() });
    await backend.scheduler.triggerTask('data-mesh-access-expiry');
    await backend.scheduler.triggerTask('data-mesh-access-expiry');
    expect(
      (await events(teamId)).filter(e => e.action === 'expiring-soon'),
    ).toHaveLength(1);
    await backend
      .db('access_agreements')
      .where({ id: teamId })
      .update({ ends_at: new Date(Date.now() - 1000).toISOString() });
    await backend.scheduler.triggerTask('data-mesh-access-expiry');
    const expired = await backend
      .as('lena.analyst')
      .get(`/agreements/${teamId}`);
    expect(expired.body.agreement).toMatchObject({
      status: 'expired',
      grant: { state: 'revoked' },
    });
    expect(await canRead(MARKETING_ROLE, 'sales_orders.orders')).toBe('denied');

    // The decision reached the requester through the notifications backend.
    const notes = await request(backend.server)
      .get('/api/notifications?limit=50')
      .set('Authorization', mockCredentials.user.header(user('lena.analyst')));
    const titles = (notes.body.notifications ?? []).map(
      (n: any) => n.payload.title,
    );
    // The request went to the deciders (the sales team), not to the requester.
    const sofiaNotes = await request(backend.server)
      .get('/api/notifications?limit=50')
      .set('Authorization', mockCredentials.user.header(user('sofia.rossi')));
    expect(
      sofiaNotes.body.notifications.map((n: any) => n.payload.title),
    ).toContain(
      'Access requested: sales-orders › orders (sales_orders_reader)',
    );
    expect(titles).not.toContain(
      'Access requested: sales-orders › orders (sales_orders_reader)',
    );
    expect(titles).toEqual(
      expect.arrayContaining([
        'Access approved: sales-orders › orders (sales_orders_reader)',
        'Access revoked: sales-orders › orders (sales_orders_reader)',
        'Access expired: sales-orders › orders (sales_orders_reader)',
      ]),
    );
  });

  it('ends 100 concurrent approve, reject and revoke calls in one consistent state', async () => {
    const requested = await requestAccess('emma.jansen', {
      dataProduct: 'sales-orders',
      outputPort: 'orders',
      role: 'analyst',
    });
    const id = requested.body.agreement.id;
    const calls = Array.from({ length: 100 }, (_, i) => {
      if (i % 3 === 0) {
        return {
          kind: 'approve',
          run: () =>
            backend
              .as('sofia.rossi')
              .post(`/agreements/${id}/decision`, { decision: 'approve' }),
        };
      }
      if (i % 3 === 1) {
        return {
          kind: 'reject',
          run: () =>
            backend
              .as('marco.bianchi')
              .post(`/agreements/${id}/decision`, { decision: 'reject' }),
        };
      }
      return {
        kind: 'revoke',
        run: () => backend.as('giulia.conti').post(`/agreements/${id}/revoke`),
      };
    });
    const results = await Promise.all(
      calls.map(async c => ({ kind: c.kind, status: (await c.run()).status })),
    );
    const ok = (kind: string) =>
      results.filter(r => r.kind === kind && r.status === 200).length;
    // Nothing but success or "it moved on" (409); never a 5xx.
    expect(new Set(results.map(r => r.status))).toEqual(new Set([200, 409]));
    expect(ok('approve') + ok('reject')).toBe(1);
    expect(ok('revoke')).toBe(ok('approve') === 1 ? ok('revoke') : 0);
    expect(ok('revoke')).toBeLessThanOrEqual(1);

    const final = (await backend.as(ADMIN).get(`/agreements/${id}`)).body;
    let expected = 'active';
    if (ok('reject')) expected = 'rejected';
    else if (ok('revoke')) expected = 'revoked';
    expect(final.agreement.status).toBe(expected);
    // The audit log: one event per successful change, each starting where the previous ended.
    const statusEvents = final.events.filter((e: any) => e.toStatus);
    for (let i = 1; i < statusEvents.length; i++) {
      expect(statusEvents[i].fromStatus).toBe(statusEvents[i - 1].toStatus);
    }
    expect(
      final.events.filter((e: any) =>
        ['approved', 'rejected'].includes(e.action),
      ),
    ).toHaveLength(1);
    expect(
      final.events.filter((e: any) => e.action === 'revoked'),
    ).toHaveLength(ok('revoke'));

    // After reconciliation, the grants are exactly the due agreements.
    await backend.as(ADMIN).post('/access/reconcile');
    const members = await warehouse.query<{ name: string }>(
      `SELECT m.rolname AS name FROM pg_auth_members am
         JOIN pg_roles r ON r.oid = am.roleid JOIN pg_roles m ON m.oid = am.member
        WHERE r.rolname = 'sales_orders_orders_reader' ORDER BY 1`,
    );
    const active = await backend
      .as(ADMIN)
      .get('/agreements?dataProduct=sales-orders&status=active');
    const consumers = [
      ...new Set(active.body.items.map((a: any) => a.consumerRef)),
    ];
    expect(members.map(m => m.name).sort()).toEqual(
      consumers
        .map(
          c =>
            `dm_${String(c)
              .replace(':default/', '_')
              .replace(/[^a-z0-9_]/g, '_')}`,
        )
        .sort(),
    );
  });

  it('detects, repairs and reports grants changed by hand in one reconcile run', async () => {
    const requested = await requestAccess('noah.peeters', {
      dataProduct: 'store-inventory',
      outputPort: 'stock-levels',
      role: 'reader',
    });
    const id = requested.body.agreement.id;
    await backend
      .as('lukas.schmidt')
      .post(`/agreements/${id}/decision`, { decision: 'approve' });
    const noah = 'dm_user_noah_peeters';
    expect(await canRead(noah, 'store_inventory.stock_snapshots')).toBe('yes');

    // By hand: Noah's grant revoked, an intruder granted.
    await warehouse.query(
      `REVOKE store_inventory_stock_levels_reader FROM ${noah}`,
    );
    await warehouse.query(`DROP ROLE IF EXISTS intruder`);
    await warehouse.query(`CREATE ROLE intruder NOLOGIN`);
    await warehouse.query(
      `GRANT store_inventory_stock_levels_reader TO intruder`,
    );
    expect(await canRead('intruder', 'store_inventory.stock_snapshots')).toBe(
      'yes',
    );

    const run = await backend.as(ADMIN).post('/access/reconcile');
    expect(run.status).toBe(200);
    expect(run.body.status).toBe('succeeded');
    expect(run.body.drift).toEqual([
      {
        dataProductRef: STORE_INVENTORY,
        outputPort: 'stock-levels',
        missing: [user('noah.peeters')],
        unexpected: ['intruder'],
        repaired: true,
      },
    ]);
    expect(await canRead(noah, 'store_inventory.stock_snapshots')).toBe('yes');
    expect(await canRead('intruder', 'store_inventory.stock_snapshots')).toBe(
      'denied',
    );
    expect((await events(id)).map(e => e.action)).toContain('drift-repaired');

    const again = await backend.as(ADMIN).post('/access/reconcile');
    expect(
      again.body.drift.filter((d: any) => d.outputPort === 'stock-levels'),
    ).toEqual([]);
    const runs = await backend.as(ADMIN).get('/access/reconcile-runs');
    expect(runs.body.items[0].id).toBe(again.body.id);
  });

  it('auto-approves by a configured rule: a user of the product’s own domain', async () => {
    const own = await requestAccess('giulia.conti', {
      dataProduct: 'sales-orders',
      outputPort: 'orders',
      role: 'analyst',
    });
    expect(own.body.agreement).toMatchObject({
      status: 'active',
      decidedBy: 'system',
    });
    const other = await requestAccess('oliver.hughes', {
      dataProduct: 'sales-orders',
      outputPort: 'orders',
      role: 'analyst',
    });
    expect(other.body.agreement.status).toBe('requested');
  });

  it('keeps a failed grant visible with diagnostics and applies it once the port exists', async () => {
    const requested = await requestAccess('oliver.hughes', {
      dataProduct: 'customer-segments',
      outputPort: 'segments',
      role: 'reader',
    });
    const id = requested.body.agreement.id;
    const approved = await backend
      .as('emma.jansen')
      .post(`/agreements/${id}/decision`, { decision: 'approve' });
    expect(approved.body.agreement).toMatchObject({
      status: 'approved',
      grant: { state: 'failed', attempts: 1 },
    });
    expect(approved.body.agreement.grant.diagnostics).toMatch(
      /provision output port 'segments' first/,
    );
    expect(
      approved.body.agreement.grant.nextAttemptAt > new Date().toISOString(),
    ).toBe(true);

    const deployed = await backend
      .as(ADMIN)
      .post('/deployments?wait=true', { entityRef: SEGMENTS });
    expect(deployed.body.deployment.status).toBe('succeeded');
    await backend
      .db('access_agreements')
      .where({ id })
      .update({
        grant_next_attempt_at: new Date(Date.now() - 1000).toISOString(),
      });
    await backend.scheduler.triggerTask('data-mesh-access-enforce');
    const after = await backend.as('oliver.hughes').get(`/agreements/${id}`);
    expect(after.body.agreement).toMatchObject({
      status: 'active',
      grant: { state: 'granted', attempts: 1 },
    });
    expect(after.body.events.map((e: any) => e.action)).toEqual([
      'requested',
      'approved',
      'grant-failed',
      'activated',
    ]);
  });

  it('answers bad requests with 4xx naming the field', async () => {
    const bad = async (who: string, body: object) => {
      const res = await requestAccess(who, body);
      return [res.status, res.body.error?.message];
    };
    expect(
      await bad('oliver.hughes', {
        dataProduct: 'sales-orders',
        outputPort: 'orders',
        role: 'analyst',
        purpose: ' ',
      }),
    ).toEqual([400, 'purpose: say what the data is for']);
    expect(await bad('oliver.hughes', { outputPort: 'orders' })).toEqual([
      400,
      'dataProduct: is required',
    ]);
    expect(
      await bad('oliver.hughes', {
        dataProduct: 'sales-orders',
        outputPort: 'nope',
      }),
    ).toEqual([
      400,
      "outputPort: 'nope' is not an output port of dataproduct:default/sales-orders (orders)",
    ]);
    expect(
      await bad('oliver.hughes', {
        dataProduct: 'sales-orders',
        outputPort: 'orders',
      }),
    ).toEqual([
      400,
      'role: contract sales-orders.orders has several roles, choose one of sales_orders_reader, sales_orders_pii_reader',
    ]);
    expect(
      await bad('oliver.hughes', {
        dataProduct: 'sales-orders',
        outputPort: 'orders',
        role: 'admin',
      }),
    ).toEqual([
      400,
      "role: 'admin' is not a role of contract sales-orders.orders (sales_orders_reader, sales_orders_pii_reader)",
    ]);
    expect(
      await bad('oliver.hughes', { dataProduct: 'nope', outputPort: 'orders' }),
    ).toEqual([404, 'Data product dataproduct:default/nope not found']);
    expect(
      (
        await bad('oliver.hughes', {
          dataProduct: 'sales-orders',
          outputPort: 'orders',
          role: 'analyst',
          consumer: 'group:default/sales-team',
        })
      )[0],
    ).toBe(403);
    expect(
      (
        await bad('oliver.hughes', {
          dataProduct: 'sales-orders',
          outputPort: 'orders',
          role: 'analyst',
          consumer: 'dataproduct:default/customer-segments',
        })
      )[0],
    ).toBe(403);
    expect(
      (
        await bad('oliver.hughes', {
          dataProduct: 'sales-orders',
          outputPort: 'orders',
          role: 'analyst',
          startsAt: '2030-01-02T00:00:00Z',
          endsAt: '2030-01-01T00:00:00Z',
        })
      )[1],
    ).toMatch(/^endsAt: .* is not after startsAt/);
    expect(
      (
        await bad('oliver.hughes', {
          dataProduct: 'sales-orders',
          outputPort: 'orders',
          role: 'analyst',
          durationDays: -3,
        })
      )[1],
    ).toBe('durationDays: must be a positive whole number');
    // Oliver already has an open request for this port and role (auto-approval test).
    expect(
      (
        await bad('oliver.hughes', {
          dataProduct: 'sales-orders',
          outputPort: 'orders',
          role: 'analyst',
        })
      )[0],
    ).toBe(409);
    expect((await backend.as(ADMIN).get('/agreements/not-a-uuid')).status).toBe(
      404,
    );
    expect(
      (await backend.as(ADMIN).get('/agreements?status=bogus')).status,
    ).toBe(400);
    expect((await backend.as(ADMIN).get('/agreements?view=other')).status).toBe(
      400,
    );
    const requested = await backend
      .as(ADMIN)
      .get('/agreements?status=requested');
    const someId = requested.body.items[0].id;
    expect(
      (
        await backend
          .as('sofia.rossi')
          .post(`/agreements/${someId}/decision`, { decision: 'maybe' })
      ).status,
    ).toBe(400);
  });
});
