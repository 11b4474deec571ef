import fp from 'fastify-plugin';
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { AppError, hasProjectRole, type ErrorCode, type ProjectRole } from '@recon/shared';
import type { Db } from '../db/database';
import { findMembership } from '../features/projects/projects.repository';
import { authOf } from './auth.plugin';

/** The caller's access to the project a route is about. */
export interface ProjectAccess {
  readonly projectId: string;
  readonly role: ProjectRole;
  readonly status: 'active' | 'archived';
}

declare module 'fastify' {
  interface FastifyRequest {
    projectAccess: ProjectAccess | null;
  }
  interface FastifyInstance {
    /**
     * preHandler for every project-scoped route: the caller must be a member of the project named by the
     * `param` path parameter (default `id`) with at least `minRole`. Not a member (or no such project) → 404,
     * so project ids cannot be probed; member with a weaker role → 403. Use after `app.authenticate`.
     */
    requireProjectRole(minRole: ProjectRole, param?: string): preHandlerAsyncHookHandler;
  }
}

/**
 * The one membership check, also for services whose resource names its project indirectly
 * (a data source, a job): load the resource's project id, then call this with the resource's own
 * not-found code, so a non-member learns nothing about the resource's existence.
 */
export async function assertProjectRole(
  db: Db,
  userId: string,
  projectId: string,
  minRole: ProjectRole,
  notFound: ErrorCode = 'PROJECT_NOT_FOUND',
): Promise<ProjectAccess> {
  const membership = await findMembership(db, projectId, userId);
  if (membership === undefined) throw new AppError(notFound);
  if (!hasProjectRole(membership.role, minRole)) {
    throw new AppError(
      'FORBIDDEN',
      `This needs the ${minRole} role in the project; you are ${membership.role}`,
    );
  }
  return { projectId, role: membership.role, status: membership.status };
}

function paramOf(request: FastifyRequest, name: string): string | undefined {
  const params = request.params;
  if (typeof params !== 'object' || params === null || !(name in params)) return undefined;
  const value: unknown = (params as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** The access checked by `requireProjectRole` for this request. */
export function projectAccessOf(request: FastifyRequest): ProjectAccess {
  if (request.projectAccess === null)
    throw new AppError('INTERNAL_ERROR', 'route is missing requireProjectRole');
  return request.projectAccess;
}

export const projectAccessPlugin = fp<{ db: Db }>(
  (app, { db }) => {
    app.decorateRequest('projectAccess', null);
    app.decorate('requireProjectRole', (minRole: ProjectRole, param = 'id') => {
      const handler: preHandlerAsyncHookHandler = async (request) => {
        const projectId = paramOf(request, param);
        if (projectId === undefined) throw new AppError('PROJECT_NOT_FOUND');
        request.projectAccess = await assertProjectRole(db, authOf(request).user.id, projectId, minRole);
      };
      return handler;
    });
  },
  { name: 'project-access', dependencies: ['auth'] },
);
