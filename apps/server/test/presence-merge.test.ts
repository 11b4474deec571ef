import { describe, expect, it } from 'vitest';
import { MAX_EVENT_BYTES } from '../src/events/event-bus';
import { RemotePresence } from '../src/realtime/presence-board';
import { mergeViewers, type TimedViewer } from '../src/realtime/presence-merge';
import {
  MAX_NAME_CHARS,
  MAX_VIEWERS_PER_ROOM,
  packRooms,
  presenceMessageSchema,
} from '../src/realtime/presence-wire';

const ana = '11111111-1111-4111-8111-111111111111';
const bo = '22222222-2222-4222-8222-222222222222';
const jobA = '33333333-3333-4333-8333-333333333333';
const jobB = '44444444-4444-4444-8444-444444444444';
const project = '55555555-5555-4555-8555-555555555555';
const other = '66666666-6666-4666-8666-666666666666';
const instance1 = '77777777-7777-4777-8777-777777777777';
const instance2 = '88888888-8888-4888-8888-888888888888';

const viewer = (userId: string, jobId: string | null, viewedAt: number): TimedViewer => ({
  user_id: userId,
  name: userId === ana ? 'Ana' : 'Bo',
  job_id: jobId,
  viewed_at: viewedAt,
});

/** A clock the test moves by hand. */
function fakeClock(start = 1_000_000) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('merging local and remote viewers', () => {
  it('lists a user on two instances once, with the job viewed last', () => {
    const merged = mergeViewers([viewer(ana, jobA, 10), viewer(bo, null, 5)], [viewer(ana, jobB, 20)]);
    expect(merged).toEqual([
      { user_id: ana, name: 'Ana', job_id: jobB },
      { user_id: bo, name: 'Bo', job_id: null },
    ]);
    // The older view stays behind whichever side it comes from.
    expect(mergeViewers([viewer(ana, jobA, 30)], [viewer(ana, jobB, 20)])).toEqual([
      { user_id: ana, name: 'Ana', job_id: jobA },
    ]);
  });

  it('picks the same job on every instance when two views carry the same time', () => {
    const onFirst = mergeViewers([viewer(ana, jobB, 7)], [viewer(ana, null, 7), viewer(ana, jobA, 7)]);
    const onSecond = mergeViewers([viewer(ana, jobA, 7)], [viewer(ana, jobB, 7), viewer(ana, null, 7)]);
    const onThird = mergeViewers([viewer(ana, null, 7)], [viewer(ana, jobA, 7), viewer(ana, jobB, 7)]);
    // A job beats none, then the smaller job id.
    for (const merged of [onFirst, onSecond, onThird])
      expect(merged).toEqual([{ ...merged[0], job_id: jobA }]);
  });
});

describe('remote presence with a fake clock', () => {
  it('drops an instance not heard again within 3 of its heartbeats', () => {
    const clock = fakeClock();
    const board = new RemotePresence(clock.now);
    expect(board.set(instance1, project, [viewer(ana, null, 1)], 1000)).toBe(true);
    expect(board.set(instance2, project, [viewer(bo, jobA, 1)], 5000)).toBe(true);
    clock.advance(2999);
    // A heartbeat that says nothing new is no change (no presence message to the room).
    expect(board.set(instance1, project, [viewer(ana, null, 1)], 1000)).toBe(false);
    clock.advance(2999);
    expect(board.expire()).toEqual([]);
    expect(board.viewersOf(project).map((v) => v.user_id)).toEqual([ana, bo]);
    clock.advance(2);
    // Stale at once for readers, removed (and reported) by the sweep.
    expect(board.viewersOf(project).map((v) => v.user_id)).toEqual([bo]);
    expect(board.expire()).toEqual([project]);
    expect(board.expire()).toEqual([]);
    clock.advance(9000);
    expect(board.viewersOf(project).map((v) => v.user_id)).toEqual([bo]);
    clock.advance(1);
    expect(board.expire()).toEqual([project]);
    expect(board.viewersOf(project)).toEqual([]);
    expect(board.size).toBe(0);
  });

  it('reports a change when viewers move, leave, or a stale instance is heard again', () => {
    const clock = fakeClock();
    const board = new RemotePresence(clock.now);
    board.set(instance1, project, [viewer(ana, null, 1)], 1000);
    expect(board.set(instance1, project, [viewer(ana, jobA, 2)], 1000)).toBe(true);
    expect(board.set(instance1, project, [], 1000)).toBe(true);
    expect(board.set(instance1, project, [], 1000)).toBe(false);
    board.set(instance1, project, [viewer(ana, jobA, 2)], 1000);
    clock.advance(3001);
    expect(board.set(instance1, project, [viewer(ana, jobA, 2)], 1000)).toBe(true);
  });

  it('forgets an instance that says goodbye, and a revoked user at once', () => {
    const board = new RemotePresence(fakeClock().now);
    board.set(instance1, project, [viewer(ana, null, 1), viewer(bo, jobA, 1)], 1000);
    board.set(instance1, other, [viewer(bo, null, 1)], 1000);
    board.set(instance2, other, [viewer(ana, null, 1)], 1000);
    expect(board.dropUser(bo, project)).toEqual([project]);
    expect(board.viewersOf(project).map((v) => v.user_id)).toEqual([ana]);
    expect(board.viewersOf(other).map((v) => v.user_id)).toEqual([bo, ana]);
    expect(board.dropUser(bo)).toEqual([other]);
    expect(board.dropInstance(instance2)).toEqual([other]);
    expect(board.viewersOf(other)).toEqual([]);
    expect(board.viewersOf(project).map((v) => v.user_id)).toEqual([ana]);
  });
});

describe('presence on the wire', () => {
  const uuidOf = (index: number) => `${index.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;

  it('caps a room at 20 viewers, the latest views first, and stays under the NOTIFY limit', () => {
    // Worst-case names: longest allowed, every character escaped in JSON or three bytes in UTF-8.
    const names = ['\u0001'.repeat(200), '€'.repeat(200), '"'.repeat(200), `${'a'.repeat(99)}😀`];
    const viewers = Array.from({ length: 60 }, (_, index) => ({
      user_id: uuidOf(index),
      name: names[index % names.length] ?? '',
      job_id: jobA,
      viewed_at: index,
    }));
    const messages = packRooms(instance1, 1000, [{ project_id: project, viewers, ask: true }]);
    expect(messages).toHaveLength(1);
    const [message] = messages;
    if (message?.type !== 'rooms') throw new Error('expected a rooms message');
    expect(Buffer.byteLength(JSON.stringify(message))).toBeLessThanOrEqual(MAX_EVENT_BYTES);
    const sent = message.rooms[0]?.viewers ?? [];
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.length).toBeLessThanOrEqual(MAX_VIEWERS_PER_ROOM);
    expect(sent.map((v) => v.viewed_at)).toEqual(
      Array.from({ length: sent.length }, (_, index) => 59 - index),
    );
    for (const { name } of sent) expect(name.length).toBeLessThanOrEqual(MAX_NAME_CHARS);
    // No lone half of the emoji's surrogate pair at the cut.
    expect(sent.find((v) => v.name.startsWith('a'))?.name).toBe('a'.repeat(99));
    expect(presenceMessageSchema.safeParse(JSON.parse(JSON.stringify(message))).success).toBe(true);
  });

  it('splits many rooms over several messages, each valid and under the limit', () => {
    const rooms = Array.from({ length: 300 }, (_, index) => ({
      project_id: uuidOf(index),
      viewers: [viewer(ana, jobA, index), viewer(bo, null, index)],
    }));
    const messages = packRooms(instance1, 15_000, rooms);
    expect(messages.length).toBeGreaterThan(1);
    const projects: string[] = [];
    for (const message of messages) {
      const text = JSON.stringify(message);
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_EVENT_BYTES);
      const parsed = presenceMessageSchema.parse(JSON.parse(text));
      if (parsed.type === 'rooms') projects.push(...parsed.rooms.map((room) => room.project_id));
    }
    expect(projects).toEqual(rooms.map((room) => room.project_id));
  });

  it('refuses what does not match the schema', () => {
    const valid = {
      type: 'rooms',
      instance_id: instance1,
      heartbeat_ms: 1000,
      rooms: [{ project_id: project, viewers: [] }],
    };
    expect(presenceMessageSchema.safeParse(valid).success).toBe(true);
    const tooMany = Array.from({ length: MAX_VIEWERS_PER_ROOM + 1 }, (_, index) =>
      viewer(uuidOf(index), null, 1),
    );
    for (const bad of [
      { ...valid, instance_id: 'not-a-uuid' },
      { ...valid, heartbeat_ms: 0 },
      { ...valid, rooms: [] },
      { ...valid, rooms: [{ project_id: project, viewers: tooMany }] },
      {
        ...valid,
        rooms: [{ project_id: project, viewers: [{ ...viewer(ana, null, 1), name: 'x'.repeat(101) }] }],
      },
      { type: 'hello', instance_id: instance1 },
    ])
      expect(presenceMessageSchema.safeParse(bad).success).toBe(false);
  });
});
