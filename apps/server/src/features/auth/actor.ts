import type { FastifyRequest } from 'fastify';
import type { AuditInput } from '../audit/audit.repository';

/** Who is acting, for audit entries: taken from the request once, passed to services as a value. */
export interface Actor {
  readonly userId: string | null;
  readonly label: string;
  readonly requestId: string;
  readonly ip: string;
}

/** The actor of an authenticated request, or an anonymous one (login, register). */
export function actorOf(request: FastifyRequest, fallbackLabel = 'anonymous'): Actor {
  const user = request.auth?.user;
  return {
    userId: user?.id ?? null,
    label: user?.email ?? fallbackLabel,
    requestId: request.id,
    ip: request.ip,
  };
}

/** The process itself (first-start bootstrap, CLI). */
export function systemActor(label = 'system'): Actor {
  return { userId: null, label, requestId: 'system', ip: 'local' };
}

/** An audit input from an actor and what happened. */
export function auditFor(
  actor: Actor,
  action: string,
  target: { type: string; id: string | null; projectId?: string | null },
  details: Record<string, unknown> = {},
): AuditInput {
  return {
    actor_user_id: actor.userId,
    actor_label: actor.label,
    action,
    target_type: target.type,
    target_id: target.id,
    project_id: target.projectId ?? null,
    details,
    request_id: actor.requestId,
    ip: actor.ip,
  };
}
