import type { TimedViewer } from './presence-merge';

/** Heartbeats an instance may miss before what it said is dropped. */
export const MISSED_BEATS = 3;

interface Entry {
  readonly viewers: readonly TimedViewer[];
  /** When this process last heard from the instance about the project (its own clock, so no skew). */
  readonly heardAt: number;
  /** 3 heartbeats of the sender: instances may run with different intervals during a rolling change. */
  readonly staleMs: number;
}

/**
 * What the other API instances last said about who views each project. An instance re-announces its rooms
 * on every heartbeat; an entry not heard of for 3 of its heartbeats is dropped, so the viewers of an
 * instance that crashed without a goodbye disappear.
 */
export class RemotePresence {
  /** project → instance → entry */
  private readonly projects = new Map<string, Map<string, Entry>>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Records what `instanceId` says about the project (an empty list: nobody there any more). Returns whether
   * the viewers differ from what it said before, so that an unchanged heartbeat costs no presence message.
   */
  set(instanceId: string, projectId: string, viewers: readonly TimedViewer[], heartbeatMs: number): boolean {
    let instances = this.projects.get(projectId);
    const before = instances?.get(instanceId);
    if (viewers.length === 0) {
      instances?.delete(instanceId);
      if (instances?.size === 0) this.projects.delete(projectId);
      return before !== undefined && before.viewers.length > 0;
    }
    // A stale entry may already have been left out of a presence message: hearing it again is a change.
    const wasFresh = before !== undefined && this.isFresh(before);
    if (instances === undefined) {
      instances = new Map();
      this.projects.set(projectId, instances);
    }
    instances.set(instanceId, { viewers, heardAt: this.now(), staleMs: heartbeatMs * MISSED_BEATS });
    return !wasFresh || JSON.stringify(before.viewers) !== JSON.stringify(viewers);
  }

  /** The viewers other instances hold for the project, stale entries left out. */
  viewersOf(projectId: string): TimedViewer[] {
    const viewers: TimedViewer[] = [];
    for (const entry of this.projects.get(projectId)?.values() ?? [])
      if (this.isFresh(entry)) viewers.push(...entry.viewers);
    return viewers;
  }

  /** Drops stale entries; returns the projects whose viewers changed. */
  expire(): string[] {
    return this.dropWhere((_instanceId, entry) => !this.isFresh(entry));
  }

  /** Drops everything an instance said (it said goodbye); returns the projects whose viewers changed. */
  dropInstance(instanceId: string): string[] {
    return this.dropWhere((id) => id === instanceId);
  }

  /**
   * Takes a user out of one project (membership removed) or of every project (user disabled) at once,
   * without waiting for the instance holding their socket to announce it. Returns the projects changed.
   */
  dropUser(userId: string, projectId?: string): string[] {
    const changed: string[] = [];
    for (const [id, instances] of this.projects) {
      if (projectId !== undefined && id !== projectId) continue;
      for (const [instanceId, entry] of instances) {
        const kept = entry.viewers.filter((viewer) => viewer.user_id !== userId);
        if (kept.length === entry.viewers.length) continue;
        instances.set(instanceId, { ...entry, viewers: kept });
        changed.push(id);
      }
    }
    return [...new Set(changed)];
  }

  /** Forgets a project (this process has no room for it any more, or it was deleted). */
  dropProject(projectId: string): void {
    this.projects.delete(projectId);
  }

  /** Projects with at least one entry (for tests and metrics). */
  get size(): number {
    return this.projects.size;
  }

  private isFresh(entry: Entry): boolean {
    return this.now() - entry.heardAt <= entry.staleMs;
  }

  private dropWhere(isDropped: (instanceId: string, entry: Entry) => boolean): string[] {
    const changed: string[] = [];
    for (const [projectId, instances] of this.projects) {
      let hadViewers = false;
      for (const [instanceId, entry] of instances) {
        if (!isDropped(instanceId, entry)) continue;
        instances.delete(instanceId);
        hadViewers ||= entry.viewers.length > 0;
      }
      if (instances.size === 0) this.projects.delete(projectId);
      if (hadViewers) changed.push(projectId);
    }
    return changed;
  }
}
