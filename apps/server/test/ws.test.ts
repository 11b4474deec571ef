import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app';
import { publish } from '../src/events/event-bus';
import { publishRealtime } from '../src/realtime/event-fanout';
import { wsConnections, wsMessages } from '../src/observability/platform-metrics';
import type { TestDatabase } from './support/test-db';
import { ADMIN_EMAIL, ADMIN_PASSWORD, createUserAndLogin, type Session } from './support/test-app';
import { sleep, WsTestClient } from './fixtures/security/ws-test-client';
import { addMember as addMemberAs, closeWsTest, startWsApp } from './fixtures/security/ws-test-app';

describe('WebSocket /ws', () => {
  let db: TestDatabase;
  let app: App;
  let url: string;
  let admin: Session;
  let member: Session;
  let outsider: Session;
  let projectId: string;
  let otherProjectId: string;
  const open: WsTestClient[] = [];

  const connect = async (headers: Record<string, string> = {}) => {
    const client = await WsTestClient.open(url, headers);
    open.push(client);
    return client;
  };
  const connectAs = async (session: Session) => {
    const client = await connect();
    client.send({ type: 'auth', token: session.accessToken });
    await client.ofType('auth_ok');
    return client;
  };
  const createProject = async (name: string) => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/projects',
      headers: admin.headers,
      payload: { name },
    });
    return response.json<{ id: string }>().id;
  };

  beforeAll(async () => {
    ({ db, app, url, admin } = await startWsApp({
      WS_AUTH_TIMEOUT_MS: '400',
      WS_HEARTBEAT_MS: '300',
      WS_METRICS_INTERVAL_MS: '200',
    }));
    member = await createUserAndLogin(app, admin, 'member@example.com');
    outsider = await createUserAndLogin(app, admin, 'outsider@example.com');
    projectId = await createProject('shared');
    otherProjectId = await createProject('other');
    await addMemberAs(app, admin, projectId, member.userId, 'viewer');
  });
  afterAll(() => closeWsTest(open, app, db));

  it('accepts the session cookie of the upgrade request', async () => {
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
    });
    const cookie =
      [login.headers['set-cookie']].flat().find((line) => line?.startsWith('recon_access=')) ?? '';
    const client = await connect({ cookie: cookie.split(';')[0] ?? '' });
    expect(await client.ofType('auth_ok')).toMatchObject({ user_id: admin.userId, role: 'admin' });
  });

  it('accepts an auth message with an access token', async () => {
    const client = await connect();
    client.send({ type: 'auth', token: member.accessToken });
    expect(await client.ofType('auth_ok')).toMatchObject({ user_id: member.userId });
  });

  it('closes with 4401 when a bad token is sent', async () => {
    const client = await connect();
    client.send({ type: 'auth', token: 'not-a-token' });
    expect(await client.ofType('error')).toMatchObject({ code: 'INVALID_TOKEN' });
    expect((await client.closed).code).toBe(4401);
  });

  it('closes with 4401 when nobody authenticates in time', async () => {
    const client = await connect();
    const started = Date.now();
    expect(await client.closed).toEqual({ code: 4401, reason: 'authentication required' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('answers malformed and unknown messages with an error and keeps the connection', async () => {
    const client = await connectAs(member);
    for (const bad of [
      '{not json',
      '[]',
      '{"type":"shout"}',
      '{"type":"join_project","project_id":"../../etc"}',
      'null',
    ]) {
      client.send(bad);
      expect(await client.ofType('error')).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
    client.send({ type: 'join_project', project_id: projectId });
    expect(await client.ofType('joined')).toMatchObject({ project_id: projectId });
  });

  it('refuses rooms before authentication and to non-members', async () => {
    const anonymous = await connect();
    anonymous.send({ type: 'join_project', project_id: projectId });
    expect(await anonymous.ofType('error')).toMatchObject({ code: 'UNAUTHENTICATED' });
    const client = await connectAs(outsider);
    client.send({ type: 'join_project', project_id: projectId });
    expect(await client.ofType('error')).toMatchObject({ code: 'PROJECT_NOT_FOUND' });
    client.send({ type: 'view_job', project_id: projectId, job_id: null });
    expect(await client.ofType('error')).toMatchObject({ code: 'PROJECT_NOT_FOUND' });
  });

  it('warns a client that floods messages, then closes it with 4429', async () => {
    const client = await connectAs(member);
    for (let index = 0; index < 30; index += 1) client.send({ type: 'ping' });
    expect(await client.next((message) => message.type === 'error')).toMatchObject({ code: 'RATE_LIMITED' });
    for (let index = 0; index < 60; index += 1) client.send({ type: 'ping' });
    expect((await client.closed).code).toBe(4429);
  });

  it('answers ping with pong', async () => {
    const client = await connectAs(member);
    client.send({ type: 'ping', id: 'abc' });
    expect(await client.ofType('pong')).toMatchObject({ id: 'abc' });
  });

  it('shows who views a project and which job', async () => {
    const first = await connectAs(admin);
    first.send({ type: 'join_project', project_id: otherProjectId });
    await first.ofType('joined');
    const jobId = '11111111-1111-4111-8111-111111111111';
    first.send({ type: 'view_job', project_id: otherProjectId, job_id: jobId });
    const presence = await first.next(
      (message) => message.type === 'presence' && JSON.stringify(message).includes(jobId),
    );
    expect(presence).toMatchObject({
      project_id: otherProjectId,
      viewers: [{ user_id: admin.userId, job_id: jobId }],
    });
    first.send({ type: 'leave_project', project_id: otherProjectId });
    expect(await first.ofType('left')).toMatchObject({ project_id: otherProjectId });
  });

  it('delivers events published with NOTIFY to the project room only, in order', async () => {
    const inRoom = await connectAs(member);
    inRoom.send({ type: 'join_project', project_id: projectId });
    await inRoom.ofType('joined');
    const elsewhere = await connectAs(admin);
    elsewhere.send({ type: 'join_project', project_id: otherProjectId });
    await elsewhere.ofType('joined');
    const jobId = '22222222-2222-4222-8222-222222222222';
    for (const progress of [10, 20, 30]) {
      await publish(db.db, 'recon_jobs', {
        type: 'job.progress',
        job_id: jobId,
        project_id: projectId,
        progress,
        phase: 'match',
        eta_seconds: 5,
      });
    }
    await publish(db.db, 'recon_jobs', {
      type: 'job.status',
      job_id: jobId,
      job_name: 'January bank',
      project_id: projectId,
      status: 'completed',
    });
    const seen: unknown[] = [];
    for (let index = 0; index < 4; index += 1) seen.push((await inRoom.ofType('job_progress')).progress);
    expect(seen).toEqual([10, 20, 30, 100]);
    expect(await inRoom.ofType('notification')).toMatchObject({
      level: 'success',
      job_id: jobId,
      message: '"January bank" is completed',
    });
    await publishRealtime(db.db, {
      project_id: projectId,
      user_id: null,
      message: {
        type: 'data_changed',
        project_id: projectId,
        entity: 'match',
        entity_id: '7',
        action: 'confirmed',
        job_id: jobId,
        timestamp: new Date().toISOString(),
      },
    });
    expect(await inRoom.ofType('data_changed')).toMatchObject({ entity: 'match', action: 'confirmed' });
    await sleep(200);
    expect(
      elsewhere.messages.filter(
        (message) => message.type === 'job_progress' || message.type === 'data_changed',
      ),
    ).toEqual([]);
  });

  it('sends metrics updates to administrators only', async () => {
    const adminClient = await connectAs(admin);
    const memberClient = await connectAs(member);
    const update = await adminClient.ofType('metrics_update', 3000);
    expect(update).toMatchObject({ metrics: { jobs: { by_status: {} } } });
    await sleep(300);
    expect(memberClient.messages.some((message) => message.type === 'metrics_update')).toBe(false);
  });

  it('terminates a socket that stops answering the heartbeat', async () => {
    const before = app.realtime.hub.size;
    const client = await connectAs(member);
    expect(app.realtime.hub.size).toBe(before + 1);
    // A paused client reads nothing, so it never answers the server's pings (300 ms apart here).
    client.socket.pause();
    const deadline = Date.now() + 3000;
    while (app.realtime.hub.size > before && Date.now() < deadline) await sleep(50);
    expect(app.realtime.hub.size).toBe(before);
  });

  it('closes a client that does not read instead of buffering without bound', async () => {
    for (const client of open.splice(0)) client.close();
    for (let waited = 0; app.realtime.hub.size > 0 && waited < 3000; waited += 50) await sleep(50);
    const dropped = async () =>
      (await wsMessages.get()).values.find((sample) => sample.labels.direction === 'dropped')?.value ?? 0;
    const droppedBefore = await dropped();
    const slow = await connectAs(member);
    slow.send({ type: 'join_project', project_id: projectId });
    await slow.ofType('joined');
    const before = app.realtime.hub.size;
    slow.socket.pause();
    await sleep(50);
    const big = 'x'.repeat(60_000);
    // 30 MB: more than the kernel's socket buffers plus the 1 MB per-connection bound.
    for (let index = 0; index < 500 && app.realtime.hub.size === before; index += 1) {
      app.realtime.hub.toProject(projectId, {
        type: 'notification',
        level: 'info',
        title: 'flood',
        message: big,
        project_id: projectId,
        job_id: null,
        timestamp: new Date().toISOString(),
      });
      if (index % 50 === 49) await sleep(10);
    }
    const deadline = Date.now() + 3000;
    while (app.realtime.hub.size >= before && Date.now() < deadline) await sleep(50);
    expect(app.realtime.hub.size).toBe(before - 1);
    expect(await dropped()).toBeGreaterThan(droppedBefore);
  });

  const addMember = (project: string, userId: string) => addMemberAs(app, admin, project, userId, 'analyst');
  const jobEvent = (project: string, progress: number) =>
    publish(db.db, 'recon_jobs', {
      type: 'job.progress',
      job_id: '33333333-3333-4333-8333-333333333333',
      project_id: project,
      progress,
    });

  it('takes a removed member out of the room at once: a leave message, then no more events', async () => {
    const removed = await createUserAndLogin(app, admin, 'removed@example.com');
    await addMember(projectId, removed.userId);
    const client = await connectAs(removed);
    client.send({ type: 'join_project', project_id: projectId });
    await client.ofType('joined');
    const watcher = await connectAs(admin);
    watcher.send({ type: 'join_project', project_id: projectId });
    await watcher.ofType('joined');

    const response = await app.inject({
      method: 'DELETE',
      url: `/api/projects/${projectId}/members/${removed.userId}`,
      headers: admin.headers,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(await client.ofType('left_project')).toEqual({
      type: 'left_project',
      project_id: projectId,
      reason: 'membership_revoked',
    });

    await jobEvent(projectId, 55);
    expect(await watcher.ofType('job_progress')).toMatchObject({ progress: 55 });
    await sleep(200);
    expect(client.messages.filter((message) => message.type === 'job_progress')).toEqual([]);
    client.send({ type: 'join_project', project_id: projectId });
    expect(await client.ofType('error')).toMatchObject({ code: 'PROJECT_NOT_FOUND' });
  });

  it('empties the room of a deleted project', async () => {
    const doomed = await createProject('doomed');
    const client = await connectAs(admin);
    client.send({ type: 'join_project', project_id: doomed });
    await client.ofType('joined');
    const response = await app.inject({
      method: 'DELETE',
      url: `/api/projects/${doomed}`,
      headers: admin.headers,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(await client.ofType('left_project')).toMatchObject({
      project_id: doomed,
      reason: 'project_deleted',
    });
  });

  it('closes the sockets of a user who is disabled, and refuses the token afterwards', async () => {
    const disabled = await createUserAndLogin(app, admin, 'disabled@example.com');
    await addMember(projectId, disabled.userId);
    const client = await connectAs(disabled);
    client.send({ type: 'join_project', project_id: projectId });
    await client.ofType('joined');
    const response = await app.inject({
      method: 'PATCH',
      url: `/api/users/${disabled.userId}`,
      headers: admin.headers,
      payload: { status: 'disabled' },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(await client.closed).toEqual({ code: 4403, reason: 'user_disabled' });
    const again = await connect();
    again.send({ type: 'auth', token: disabled.accessToken });
    expect((await again.closed).code).toBe(4401);
  });

  it('counts connections in the metrics', async () => {
    for (const client of open.splice(0)) client.close();
    const gauge = async () => (await wsConnections.get()).values[0]?.value;
    for (let waited = 0; app.realtime.hub.size > 0 && waited < 3000; waited += 50) await sleep(50);
    expect(app.realtime.hub.size).toBe(0);
    const baseline = await gauge();
    const client = await connectAs(member);
    expect(app.realtime.hub.size).toBe(1);
    expect(await gauge()).toBe((baseline ?? 0) + 1);
    client.close();
    for (let waited = 0; app.realtime.hub.size > 0 && waited < 3000; waited += 50) await sleep(50);
    expect(await gauge()).toBe(baseline);
  });
});
