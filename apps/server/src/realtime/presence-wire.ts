import { z } from 'zod';
import { MAX_EVENT_BYTES } from '../events/event-bus';

/** Channel on which each API instance announces the viewers of its project rooms. */
export const PRESENCE_CHANNEL = 'recon_presence';

/**
 * Viewers one instance announces per project, the most recent views first. A NOTIFY payload must stay under
 * 8000 bytes; 20 viewers with 100-character names fit with room to spare. Past it, the other instances show
 * the 20 who viewed last (this instance's own sockets still see everyone local).
 */
export const MAX_VIEWERS_PER_ROOM = 20;
/** Names are cut to this many characters on the wire (an avatar shows initials and a tooltip). */
export const MAX_NAME_CHARS = 100;

const viewerSchema = z.object({
  user_id: z.uuid(),
  name: z.string().max(MAX_NAME_CHARS),
  job_id: z.uuid().nullable(),
  viewed_at: z.number().int().nonnegative(),
});

const roomSchema = z.object({
  project_id: z.uuid(),
  viewers: z.array(viewerSchema).max(MAX_VIEWERS_PER_ROOM),
  /** The sender just opened this room: instances with viewers there answer at once, not on their next beat. */
  ask: z.boolean().optional(),
});
/** One project's viewers on the sending instance (empty: none any more). */
export type PresenceRoom = z.infer<typeof roomSchema>;

/** What travels on {@link PRESENCE_CHANNEL}; checked on receipt, anything else is dropped. */
export const presenceMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('rooms'),
    instance_id: z.uuid(),
    /** The sender's heartbeat: the receiver drops these rooms when 3 of them pass unheard. */
    heartbeat_ms: z.number().int().min(100).max(600_000),
    rooms: z.array(roomSchema).min(1),
  }),
  /** The instance is shutting down: forget its viewers now rather than after the timeout. */
  z.object({ type: z.literal('bye'), instance_id: z.uuid() }),
]);
/** See {@link presenceMessageSchema}. */
export type PresenceMessage = z.infer<typeof presenceMessageSchema>;

function cutName(name: string): string {
  if (name.length <= MAX_NAME_CHARS) return name;
  const cut = name.slice(0, MAX_NAME_CHARS);
  // Never leave half of a surrogate pair (an emoji) at the end.
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

const bytesOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

/** The room as sent: most recent views first, capped, names cut, and shrunk until it fits one message. */
function roomFor(room: PresenceRoom, budget: number): PresenceRoom {
  const viewers = [...room.viewers]
    .sort((a, b) => b.viewed_at - a.viewed_at || a.user_id.localeCompare(b.user_id))
    .slice(0, MAX_VIEWERS_PER_ROOM)
    .map((viewer) => ({ ...viewer, name: cutName(viewer.name) }));
  const sent: PresenceRoom = {
    project_id: room.project_id,
    viewers,
    ...(room.ask === true && { ask: true }),
  };
  // Escaped characters can make a name six times its length: measure rather than trust the cap.
  while (viewers.length > 0 && bytesOf(sent) > budget) viewers.pop();
  return sent;
}

/**
 * Packs rooms into as few `rooms` messages as fit under the NOTIFY limit, in the given order.
 *
 * @example
 * packRooms(instanceId, 15_000, [{ project_id, viewers: [{ user_id, name: 'Ana', job_id: null, viewed_at: 1 }] }])
 * // → [{ type: 'rooms', instance_id, heartbeat_ms: 15000, rooms: [...] }]
 */
export function packRooms(
  instanceId: string,
  heartbeatMs: number,
  rooms: readonly PresenceRoom[],
): PresenceMessage[] {
  const head = { type: 'rooms', instance_id: instanceId, heartbeat_ms: heartbeatMs } as const;
  const envelope = bytesOf({ ...head, rooms: [] });
  const budget = MAX_EVENT_BYTES - envelope;
  const messages: PresenceMessage[] = [];
  let batch: PresenceRoom[] = [];
  let used = 0;
  for (const room of rooms) {
    const sent = roomFor(room, budget);
    const size = bytesOf(sent);
    // JSON joins array items with one comma.
    if (batch.length > 0 && used + 1 + size > budget) {
      messages.push({ ...head, rooms: batch });
      batch = [];
      used = 0;
    }
    used += (batch.length > 0 ? 1 : 0) + size;
    batch.push(sent);
  }
  if (batch.length > 0) messages.push({ ...head, rooms: batch });
  return messages;
}
