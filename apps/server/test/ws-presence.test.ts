import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app';
import type { TestDatabase } from './support/test-db';
import { createUserAndLogin, type Session } from './support/test-app';
import { WsTestClient, type ReceivedMessage } from './fixtures/security/ws-test-client';
import { addMember, closeWsTest, startWsApp } from './fixtures/security/ws-test-app';

// What the job page's "also viewing" avatars rely on: per-job presence through the project room.
describe('presence of colleagues on a job', () => {
  let db: TestDatabase;
  let app: App;
  let url: string;
  let admin: Session;
  let ana: Session;
  let bo: Session;
  let outsider: Session;
  let projectId: string;
  const open: WsTestClient[] = [];
  const jobId = '33333333-3333-4333-8333-333333333333';
  const otherJobId = '44444444-4444-4444-8444-444444444444';

  const joinAs = async (session: Session) => {
    const client = await WsTestClient.open(url);
    open.push(client);
    client.send({ type: 'auth', token: session.accessToken });
    await client.ofType('auth_ok');
    client.send({ type: 'join_project', project_id: projectId });
    await client.ofType('joined');
    return client;
  };
  type Viewer = { user_id: string; name: string; job_id: string | null };
  const viewersOf = (message: ReceivedMessage) => message.viewers as Viewer[];
  /** The next presence message that satisfies `isWanted` (earlier ones are consumed). */
  const presence = (client: WsTestClient, isWanted: (viewers: Viewer[]) => boolean) =>
    client.next((message) => message.type === 'presence' && isWanted(viewersOf(message)));
  const viewing = (viewers: Viewer[], userId: string) => viewers.find((viewer) => viewer.user_id === userId);

  beforeAll(async () => {
    ({ db, app, url, admin } = await startWsApp());
    ana = await createUserAndLogin(app, admin, 'ana@example.com');
    bo = await createUserAndLogin(app, admin, 'bo@example.com');
    outsider = await createUserAndLogin(app, admin, 'outsider@example.com');
    const created = await app.inject({
      method: 'POST',
      url: '/api/projects',
      headers: admin.headers,
      payload: { name: 'presence' },
    });
    projectId = created.json<{ id: string }>().id;
    for (const userId of [ana.userId, bo.userId]) await addMember(app, admin, projectId, userId, 'viewer');
  });
  afterAll(() => closeWsTest(open, app, db));

  it('tells a colleague which job someone opens, moves to and leaves', async () => {
    const first = await joinAs(ana);
    const second = await joinAs(bo);
    first.send({ type: 'view_job', project_id: projectId, job_id: jobId });
    const seen = await presence(second, (viewers) => viewing(viewers, ana.userId)?.job_id === jobId);
    expect(seen).toMatchObject({ project_id: projectId });
    // The second person is listed too, not viewing a job yet.
    expect(viewing(viewersOf(seen), bo.userId)).toMatchObject({ job_id: null });
    expect(viewing(viewersOf(seen), ana.userId)?.name).toEqual(expect.any(String));

    first.send({ type: 'view_job', project_id: projectId, job_id: otherJobId });
    await presence(second, (viewers) => viewing(viewers, ana.userId)?.job_id === otherJobId);
    first.send({ type: 'view_job', project_id: projectId, job_id: null });
    await presence(second, (viewers) => viewing(viewers, ana.userId)?.job_id === null);

    first.send({ type: 'view_job', project_id: projectId, job_id: jobId });
    await presence(second, (viewers) => viewing(viewers, ana.userId)?.job_id === jobId);
    first.close();
    // A closed tab drops out of the room at once, so nobody appears to linger on the job.
    await presence(second, (viewers) => viewing(viewers, ana.userId) === undefined);
  });

  it('never shows presence to someone outside the project', async () => {
    const member = await joinAs(ana);
    const stranger = await WsTestClient.open(url);
    open.push(stranger);
    stranger.send({ type: 'auth', token: outsider.accessToken });
    await stranger.ofType('auth_ok');
    stranger.send({ type: 'join_project', project_id: projectId });
    expect(await stranger.ofType('error')).toMatchObject({ code: 'PROJECT_NOT_FOUND' });
    stranger.send({ type: 'view_job', project_id: projectId, job_id: jobId });
    expect(await stranger.ofType('error')).toMatchObject({ code: 'PROJECT_NOT_FOUND' });
    member.send({ type: 'view_job', project_id: projectId, job_id: jobId });
    await presence(member, (viewers) => viewing(viewers, ana.userId)?.job_id === jobId);
    expect(stranger.messages.filter((message) => message.type === 'presence')).toEqual([]);
  });
});
