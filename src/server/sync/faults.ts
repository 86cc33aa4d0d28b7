/**
 * Fault injection for the fault suite (test/faults): inert unless the server
 * process runs with YKT_FAULTS=1 and YKT_FAULTS_FILE, and never when
 * NODE_ENV=production. When on, each hook re-reads the JSON plan in
 * YKT_FAULTS_FILE, so a test changes faults between requests by rewriting the
 * file. A one-shot fault removes itself from the file before it fires, so the
 * restarted server does not fire it again.
 *
 * Plan keys (all optional):
 * - killAfterCommit: n — the n-th push from now (1 = the next) commits, then
 *   the process is SIGKILLed before the reply is sent.
 * - killMidBatch: n — the next push that has applied at least n mutations is
 *   SIGKILLed inside its open transaction, before it commits (the batch path
 *   applies a whole batch in one statement, then checks).
 * - delayPullMs / delayPushMs — every pull / push waits this long before answering.
 * - pullPageLimit — caps the page size of every pull (many small pages: a long pull to interrupt).
 * - refuseSync — every pull and push is answered 503 before it reads or writes
 *   anything (a server out of reach, without taking the browser offline).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface FaultPlan {
  killAfterCommit?: number;
  killMidBatch?: number;
  delayPullMs?: number;
  delayPushMs?: number;
  pullPageLimit?: number;
  refuseSync?: boolean;
}

type Env = Record<string, string | undefined>;

export function faultsEnabled(env: Env = process.env): boolean {
  return env.YKT_FAULTS === '1' && env.NODE_ENV !== 'production' && Boolean(env.YKT_FAULTS_FILE);
}

/** The current plan; `{}` when faults are off or the file is missing or unreadable. */
export function faultPlan(env: Env = process.env): FaultPlan {
  if (!faultsEnabled(env)) return {};
  try {
    const plan: unknown = JSON.parse(readFileSync(env.YKT_FAULTS_FILE ?? '', 'utf8'));
    return typeof plan === 'object' && plan !== null ? plan : {};
  } catch {
    return {};
  }
}

function writePlan(plan: FaultPlan): void {
  writeFileSync(process.env.YKT_FAULTS_FILE ?? '', JSON.stringify(plan));
}

/** Removes the one-shot fault from the plan, then dies at once: no reply, no rollback, no cleanup. */
function die(plan: FaultPlan, key: keyof FaultPlan): Promise<never> {
  writePlan({ ...plan, [key]: undefined });
  process.kill(process.pid, 'SIGKILL');
  return new Promise<never>(() => undefined);
}

/** Push: called inside the batch transaction after `applied` mutations of it were applied. */
export async function faultMidBatch(applied: number): Promise<void> {
  if (!faultsEnabled()) return;
  const plan = faultPlan();
  if (plan.killMidBatch !== undefined && applied >= plan.killMidBatch) await die(plan, 'killMidBatch');
}

/** Push: called after the batch transaction committed, before the reply. */
export async function faultAfterCommit(): Promise<void> {
  if (!faultsEnabled()) return;
  const plan = faultPlan();
  if (plan.killAfterCommit !== undefined) {
    if (plan.killAfterCommit <= 1) await die(plan, 'killAfterCommit');
    writePlan({ ...plan, killAfterCommit: plan.killAfterCommit - 1 });
  }
  if (plan.delayPushMs) await sleep(plan.delayPushMs);
}

/** Pull: called before the reply. */
export async function faultBeforePullReply(): Promise<void> {
  if (!faultsEnabled()) return;
  const ms = faultPlan().delayPullMs;
  if (ms) await sleep(ms);
}

/** Pull and push: called first; true when the request is to be refused. */
export function faultRefuseSync(): boolean {
  return faultsEnabled() && faultPlan().refuseSync === true;
}

/** Pull: the page size to use instead of `limit`. */
export function faultPullPageLimit(limit: number): number {
  const cap = faultsEnabled() ? faultPlan().pullPageLimit : undefined;
  return cap === undefined ? limit : Math.min(limit, cap);
}
