/**
 * Applies a pushed batch in counter order, in one transaction: each
 * mutation's effect (the form version) and its id (the mutation log) commit
 * together, so a retry after a lost reply answers `duplicate` with the stored
 * result (architecture.md, principle 3).
 *
 * Fast path: the whole batch's state is read in a few queries (mutations
 * already seen, households, blobs, the forms locked for update, base
 * versions), every mutation is decided in memory in order by the same rules
 * as below, and the writes go out as a few multi-row statements, inside a
 * savepoint. Should any of those statements fail (a poison mutation the
 * database refuses), the savepoint rolls back and the batch is applied again
 * one mutation at a time, each in its own savepoint, so the failing one is
 * answered `rejected` and kept, and never blocks the queue.
 */
import { assignedAmong } from '#server/db/inspection-repository.ts';
import { isUtf8 } from 'node:buffer';
import * as z from 'zod/mini';
import { mergeFormBodies, type FieldConflict } from '#shared/domain/form-merge.ts';
import { formBlobs } from '#shared/domain/form-blobs.ts';
import { checkJsonLimits, MUTATION_LIMITS, type JsonLimitProblem } from '#shared/domain/json-limits.ts';
import { areaCodeRange, isWithinArea } from '#shared/domain/region-code.ts';
import type { CheckFormBody } from '#shared/schemas/check-form.ts';
import type { FormPutMutationSchema, MutationResult } from '#shared/schemas/sync.ts';
import { unreadableBlobs } from '#server/db/blobs-repository.ts';
import { inTransaction, type Db } from '#server/db/client.ts';
import { deviceOwner, lockDevice, touchDevice } from '#server/db/devices-repository.ts';
import { findFormForUpdate, findFormVersionBodies, findFormVersionBody, lockFormsForUpdate, nextVersion, writeBatch, writeFormVersion, type FormState, type FormWrite } from '#server/db/forms-repository.ts';
import { householdVillage, householdVillages } from '#server/db/households-repository.ts';
import { findMutation, findMutationByCounter, findMutationsOfBatch, findSentBodies, recordMutation, type MutationWrite } from '#server/db/mutations-repository.ts';
import type { AuthUser } from '#server/plugins/auth.ts';
import { HttpError } from '#server/plugins/errors.ts';
import { CompiledCheckFormBodySchema, CompiledFormPutMutationSchema } from './compiled-schemas.ts';
import { hasMaskedNumbers, restoreMaskedNumbers } from '#server/privacy/form-bodies.ts';
import { faultMidBatch } from './faults.ts';
import { apiText as t } from '#server/messages/api.zh-CN.ts';

export interface PushInput {
  deviceId: string;
  appVersion: string;
  outboxSize?: number | undefined;
  mutations: unknown[];
}

type Mutation = z.infer<typeof FormPutMutationSchema>;

function fieldsOf(error: z.core.$ZodError, prefix: string) {
  return error.issues.map((i) => ({ path: [prefix, ...i.path.map(String)].filter(Boolean).join('.'), message: i.message }));
}

function rejected(index: number, id: string | null, message: string, fields?: MutationResult['fields']): MutationResult {
  return { id, index, status: 'rejected', message, ...(fields ? { fields } : {}) };
}

/**
 * Whether PostgreSQL can take this JSON text as it is: valid UTF-8, and no
 * escape of U+0000 or of a surrogate (jsonb refuses U+0000 and unpaired
 * surrogates; a paired escape is refused here too, to keep the check simple:
 * such a batch takes the path that checks each mutation on its own).
 */
export function storableJsonText(bytes: Buffer): boolean {
  if (!isUtf8(bytes)) return false;
  for (let at = bytes.indexOf('\\u'); at !== -1; at = bytes.indexOf('\\u', at + 2)) {
    const hex = bytes.toString('latin1', at + 2, at + 6).toLowerCase();
    if (hex === '0000' || /^d[89a-f]/.test(hex)) return false;
  }
  return true;
}

/** Equal as JSON values (key order aside, as jsonb stores them). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let n = 0;
  for (const k in x) {
    if (x[k] === undefined) continue;
    n++;
    if (!(k in y) || !sameJson(x[k], y[k])) return false;
  }
  for (const k in y) if (y[k] !== undefined) n--;
  return n === 0;
}

export interface PushLogger {
  error: (obj: object, msg: string) => void;
}

/**
 * `requestBytes`: the request's JSON text as received, when the caller has it;
 * a batch PostgreSQL can store as it is is then logged from those bytes
 * (writeBatch), not encoded again.
 */
export async function applyPush(db: Db, user: AuthUser, input: PushInput, log?: PushLogger, requestBytes?: Buffer): Promise<MutationResult[]> {
  // Limits first, before any database work and without recursion (json-limits.ts): a mutation
  // nesting thousands deep, or holding text PostgreSQL refuses, is rejected alone. Text the
  // request's bytes show to be clean is not scanned again.
  const textClean = requestBytes !== undefined && storableJsonText(requestBytes);
  const limits = textClean ? { ...MUTATION_LIMITS, checkText: false } : MUTATION_LIMITS;
  const problems = input.mutations.map((raw) => checkJsonLimits(raw, limits));
  // The database parses the request's text as a whole: only when every part of it is within limits.
  const requestText = textClean && problems.every((p) => p === null) ? requestBytes : undefined;
  return inTransaction(db, async (tx) => {
    await lockDevice(tx, input.deviceId);
    const owner = await deviceOwner(tx, input.deviceId);
    // A revoked phone syncing under a session made after the revoke (an app that kept the old id): wipe, as its sessions are told.
    if (owner?.revoked === true) throw new HttpError(401, 'device_revoked', t.auth.deviceRevoked);
    if (owner !== undefined && owner.userId !== user.id) {
      // The app answers this by taking a new device id and sending again (sync-runner.ts).
      throw new HttpError(409, 'device_taken', t.sync.deviceTaken);
    }
    let results: MutationResult[];
    try {
      results = await inTransaction(tx, (sp) => applyBatch(sp, user, input, problems, requestText));
    } catch (err) {
      log?.error({ err, deviceId: input.deviceId }, 'batch refused by the database; applying it one mutation at a time');
      results = [];
      for (const [index, raw] of input.mutations.entries()) {
        results.push(await applyOne(tx, user, input.deviceId, index, raw, problems[index] ?? null, log));
        await faultMidBatch(index + 1);
      }
    }
    // What remains after this batch: the entries sent minus those now settled.
    const settled = results.filter((r) => r.status !== 'rejected').length;
    const unsentCount = input.outboxSize === undefined ? null : Math.max(0, input.outboxSize - settled);
    await touchDevice(tx, { id: input.deviceId, userId: user.id, appVersion: input.appVersion, push: true, unsentCount });
    return results;
  });
}

/** A valid envelope, or the answer for one too malformed to key in the log (answered, not stored). */
function parseEnvelope(index: number, raw: unknown): { m: Mutation } | { result: MutationResult } {
  const envelope = z.safeParse(CompiledFormPutMutationSchema, raw);
  if (envelope.success) return { m: envelope.data };
  const id = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : null;
  return { result: rejected(index, id, t.sync.malformed, fieldsOf(envelope.error, '')) };
}

function duplicateOf(stored: MutationResult, index: number): MutationResult {
  return { ...stored, index, status: 'duplicate', message: t.sync.alreadyHandled(stored.status) };
}


/**
 * A mutation outside the limits would fail the batch on every retry, a queue
 * blocked for good: it is answered, naming the field, and kept for a person to
 * look at. Bad text is kept as escaped JSON text; a mutation too deep or too
 * large to encode safely keeps its envelope only.
 */
function overLimit(index: number, m: Mutation, raw: unknown, p: JsonLimitProblem): { result: MutationResult; payload: unknown } {
  const path = p.path.join('.');
  const field = [{ path, message: p.message }];
  const envelope = envelopeOf(m);
  if (p.reason === 'nul' || p.reason === 'surrogate') {
    // The walk stops at the first problem: bad text may sit beside nesting too deep to encode.
    const withinSize = checkJsonLimits(raw, { ...MUTATION_LIMITS, checkText: false }) === null;
    const payload = withinSize ? { unstorable: true, json: JSON.stringify(raw) } : { unstorable: true, reason: p.reason, path, envelope };
    return { result: rejected(index, m.id, t.sync.unstorable, field), payload };
  }
  return { result: rejected(index, m.id, t.sync.overLimit(path, p.message), field), payload: { unstorable: true, reason: p.reason, path, envelope } };
}

/** What identifies a mutation, kept in the log when its payload cannot be. */
function envelopeOf(m: Mutation) {
  return { id: m.id, counter: m.counter, kind: m.kind, formId: m.formId, baseRev: m.baseRev, clientTime: m.clientTime };
}

/**
 * A mutation id already logged: the sender's own retry, or another user's id
 * (answered, never with their result). A retry carrying another body than the
 * one the id was settled with (the answer was lost, then the form was edited)
 * says so, so the device sends the edit again under a new id instead of
 * taking `duplicate` as "stored" and dropping it.
 */
function answerForSeen(index: number, user: AuthUser, seen: { userId: string; result: MutationResult }, bodyDiffers: boolean): MutationResult {
  if (seen.userId !== user.id) return rejected(index, seen.result.id, t.sync.secondUser);
  const duplicate = duplicateOf(seen.result, index);
  return bodyDiffers ? { ...duplicate, bodyDiffers: true, message: t.sync.bodyDiffers } : duplicate;
}

/**
 * Whether a retried mutation carries another body than the one its id was
 * sent with first. `sent` is absent when that body was not kept (nothing to
 * compare); a body over the limits is never walked (sameJson recurses), and
 * differs from a kept one, which was within them.
 */
function differsFromSent(sent: { body: unknown } | undefined, m: Mutation, problem: JsonLimitProblem | null): boolean {
  if (sent === undefined) return false;
  return problem !== null || !sameJson(sent.body, m.body);
}

/** The batch in a few statements (see the file comment). */
async function applyBatch(tx: Db, user: AuthUser, input: PushInput, problems: (JsonLimitProblem | null)[], requestText: Buffer | undefined): Promise<MutationResult[]> {
  const { deviceId } = input;
  const parsed = input.mutations.map((raw, index) => ({ raw, index, envelope: parseEnvelope(index, raw) }));
  const valid: Mutation[] = [];
  const decidable: Mutation[] = [];
  for (const p of parsed) {
    if (!('m' in p.envelope)) continue;
    valid.push(p.envelope.m);
    if (!problems[p.index]) decidable.push(p.envelope.m);
  }
  const householdIds = new Set<string>();
  const hashes = new Set<string>();
  for (const m of decidable) {
    const householdId = (m.body as { householdId?: unknown } | null)?.householdId;
    if (typeof householdId === 'string') householdIds.add(householdId);
    for (const h of m.blobs) hashes.add(h);
    for (const h of formBlobs(m.body)) hashes.add(h);
  }

  // One connection: one query at a time.
  const seenRows = await findMutationsOfBatch(tx, deviceId, valid.map((m) => m.id), valid.map((m) => m.counter));
  const villages = await householdVillages(tx, [...householdIds]);
  const given = user.role === 'inspector' ? await assignedAmong(tx, user.id, [...householdIds]) : null;
  const missing = await unreadableBlobs(tx, [...hashes], { id: user.id, area: areaCodeRange(user.areaPrefix) });
  const lockedForms = await lockFormsForUpdate(tx, [...new Set(decidable.map((m) => m.formId))]);
  const seen = new Map(seenRows.map((r) => [r.id, { userId: r.userId, result: r.result }]));
  // Retries are rare: the bodies they were first sent with are read only when there are some.
  const retried = valid.filter((m) => seen.get(m.id)?.userId === user.id).map((m) => m.id);
  const sentBodies = await findSentBodies(tx, retried);
  const usedCounters = new Set(seenRows.filter((r) => r.deviceId === deviceId).map((r) => r.counter));
  const missingSet = new Set(missing);
  const forms = new Map<string, FormState>(lockedForms.map((f) => [f.id, f]));
  // A merge reads the base version and the current one, and a body with masked numbers the
  // current one (it holds them in full); nothing else needs a stored body.
  const pairs = decidable.flatMap((m) => {
    const f = forms.get(m.formId);
    if (!f) return [];
    if (m.baseRev < f.rev) return [{ formId: m.formId, rev: f.rev }, ...(m.baseRev >= 1 ? [{ formId: m.formId, rev: m.baseRev }] : [])];
    return hasMaskedNumbers(m.body) ? [{ formId: m.formId, rev: f.rev }] : [];
  });
  const versionBodies = await findFormVersionBodies(tx, pairs);

  const ctx: DecideContext = {
    villageOf: (id) => villages.get(id),
    assigned: (id) => given === null || given.has(id),
    missingBlobs: (hs) => hs.filter((h) => missingSet.has(h)),
    form: (id) => forms.get(id),
    versionBody: (formId, rev) => versionBodies.get(`${formId}:${rev}`),
  };

  const results: MutationResult[] = [];
  const formWrites: FormWrite[] = [];
  const newForms = new Set<string>();
  const mutationWrites: MutationWrite[] = [];
  const bodyAsSent = new Set<string>();
  const answered = new Map<string, MutationResult>();
  const answeredBodies = new Map<string, unknown>();
  for (const { raw, index, envelope } of parsed) {
    if ('result' in envelope) {
      results.push(envelope.result);
      continue;
    }
    const { m } = envelope;
    const logged = seen.get(m.id);
    const inBatch = answered.get(m.id);
    const problem = problems[index] ?? null;
    const sentBody = sentBodies.has(m.id) ? { body: sentBodies.get(m.id) } : answeredBodies.has(m.id) ? { body: answeredBodies.get(m.id) } : undefined;
    const bodyDiffers = differsFromSent(sentBody, m, problem);
    const stored = logged ? answerForSeen(index, user, logged, bodyDiffers) : inBatch ? answerForSeen(index, user, { userId: user.id, result: inBatch }, bodyDiffers) : undefined;
    if (stored) {
      results.push(stored);
      continue;
    }
    if (usedCounters.has(m.counter)) {
      results.push(rejected(index, m.id, t.sync.counterUsed(m.counter)));
      continue;
    }
    let result: MutationResult;
    let payload: unknown = raw;
    if (problem) {
      ({ result, payload } = overLimit(index, m, raw, problem));
    } else {
      // The rules never throw on input they validated; a throw here is a server bug, answered like a poison mutation.
      try {
        const d = decide(user, deviceId, index, m, ctx);
        result = d.result;
        if (d.write) {
          formWrites.push(d.write);
          if (sameJson(d.write.body, m.body)) bodyAsSent.add(m.id);
          if (d.isNew) newForms.add(d.write.id);
          forms.set(d.write.id, d.write);
          versionBodies.set(`${d.write.id}:${d.write.rev}`, d.write.body);
        }
      } catch {
        result = rejected(index, m.id, t.sync.serverFault);
      }
    }
    answered.set(m.id, result);
    if (!problem) answeredBodies.set(m.id, m.body);
    usedCounters.add(m.counter);
    mutationWrites.push({ id: m.id, index, deviceId, counter: m.counter, userId: user.id, kind: m.kind, result, payload });
    results.push(result);
  }
  await writeBatch(tx, { formWrites, newForms, mutationWrites, bodyAsSent, requestText });
  await faultMidBatch(results.length);
  return results;
}

/** One mutation in its own savepoint: the slow path, for a batch the database refused as a whole. */
async function applyOne(tx: Db, user: AuthUser, deviceId: string, index: number, raw: unknown, problem: JsonLimitProblem | null, log?: PushLogger): Promise<MutationResult> {
  const p = parseEnvelope(index, raw);
  if ('result' in p) return p.result;
  const { m } = p;
  const seen = await findMutation(tx, m.id);
  if (seen) {
    const sent = seen.userId === user.id ? await findSentBodies(tx, [m.id]) : new Map<string, unknown>();
    const bodyDiffers = differsFromSent(sent.has(m.id) ? { body: sent.get(m.id) } : undefined, m, problem);
    return answerForSeen(index, user, { userId: seen.userId, result: seen.result }, bodyDiffers);
  }
  if (await findMutationByCounter(tx, deviceId, m.counter)) return rejected(index, m.id, t.sync.counterUsed(m.counter));

  // From here on, every answer is recorded with the mutation id, in the same savepoint as its effect.
  let result: MutationResult;
  let payload: unknown = raw;
  if (problem) {
    ({ result, payload } = overLimit(index, m, raw, problem));
  } else {
    try {
      result = await inTransaction(tx, async (sp) => {
        const body = m.body as { householdId?: unknown } | null;
        const householdId = typeof body?.householdId === 'string' ? body.householdId : null;
        const village = householdId === null ? undefined : await householdVillage(sp, householdId);
        const given = user.role === 'inspector' && householdId !== null ? await assignedAmong(sp, user.id, [householdId]) : null;
        const current = await findFormForUpdate(sp, m.formId);
        const base = current && m.baseRev >= 1 && m.baseRev < current.rev ? await findFormVersionBody(sp, m.formId, m.baseRev) : undefined;
        const hashes = [...m.blobs, ...formBlobs(m.body)];
        const missing = new Set(await unreadableBlobs(sp, [...new Set(hashes)], { id: user.id, area: areaCodeRange(user.areaPrefix) }));
        const d = decide(user, deviceId, index, m, {
          villageOf: (id) => (id === householdId ? village : undefined),
          assigned: (id) => given === null || given.has(id),
          missingBlobs: (hs) => hs.filter((h) => missing.has(h)),
          form: () => current,
          versionBody: (_formId, rev) => (rev === m.baseRev ? base : rev === current?.rev ? current.body : undefined),
        });
        if (d.write) await writeFormVersion(sp, d.write, d.isNew ?? false);
        return d.result;
      });
    } catch (err) {
      // A poison mutation (one that makes the server fail) is answered and kept,
      // so it cannot block the device's queue forever.
      log?.error({ err, mutationId: m.id }, 'mutation failed');
      result = rejected(index, m.id, t.sync.serverFault);
    }
  }
  try {
    await inTransaction(tx, (sp) => recordMutation(sp, { id: m.id, deviceId, counter: m.counter, userId: user.id, kind: m.kind, result, payload }));
  } catch (err) {
    // Not even the answer can be kept (its payload refused): keep what identifies it.
    log?.error({ err, mutationId: m.id }, 'mutation payload refused by the database');
    await recordMutation(tx, { id: m.id, deviceId, counter: m.counter, userId: user.id, kind: m.kind, result, payload: { unstorable: true, envelope: envelopeOf(m) } });
  }
  return result;
}

/** What the rules may look up; both paths answer from state they read beforehand. */
interface DecideContext {
  villageOf(householdId: string): string | undefined;
  /** An inspector re-checks only the households given to them; anyone else: always true. */
  assigned(householdId: string): boolean;
  missingBlobs(hashes: string[]): string[];
  form(formId: string): FormState | undefined;
  versionBody(formId: string, rev: number): CheckFormBody | undefined;
}

interface Decision {
  result: MutationResult;
  write?: FormWrite;
  isNew?: boolean;
}

/** The rules for one form.put, in order; pure. */
function decide(user: AuthUser, deviceId: string, index: number, m: Mutation, ctx: DecideContext): Decision {
  const no = (message: string, fields?: MutationResult['fields']): Decision => ({ result: rejected(index, m.id, message, fields) });
  // A copy from the server has typed-in numbers masked: the full ones it holds go back in.
  const known = ctx.form(m.formId);
  const restored = restoreMaskedNumbers(m.body, known ? ctx.versionBody(known.id, known.rev) : undefined);
  if (restored.unresolved.length > 0) return no(t.sync.maskedNumber, restored.unresolved.map((path) => ({ path: `body.${path}`, message: t.sync.maskedNumberField })));
  const parsed = z.safeParse(CompiledCheckFormBodySchema, restored.body);
  if (!parsed.success) return no(t.sync.invalidBody, fieldsOf(parsed.error, 'body'));
  const body: CheckFormBody = parsed.data;

  const expectedKind = user.role === 'inspector' ? 'inspection' : 'cadre';
  if (user.role !== 'cadre' && user.role !== 'inspector') return no(t.sync.roleCannotSubmit);
  if (body.kind !== expectedKind) return no(t.sync.kindForRole, [{ path: 'body.kind', message: t.sync.shouldBe(expectedKind) }]);

  if (!isWithinArea(body.villageCode, user.areaPrefix)) {
    return no(t.sync.outsideArea, [{ path: 'body.villageCode', message: t.sync.outsideAreaField }]);
  }
  const village = ctx.villageOf(body.householdId);
  if (village === undefined) return no(t.sync.unknownHousehold, [{ path: 'body.householdId', message: t.sync.unknownHouseholdField }]);
  if (village !== body.villageCode || !isWithinArea(village, user.areaPrefix)) {
    return no(t.sync.outsideArea, [{ path: 'body.householdId', message: t.sync.outsideAreaField }]);
  }
  if (!ctx.assigned(body.householdId)) return no(t.sync.notAssigned, [{ path: 'body.householdId', message: t.sync.notAssignedField }]);

  const blobs = new Set([...m.blobs, ...formBlobs(body)]);
  const missing = blobs.size === 0 ? [] : ctx.missingBlobs([...blobs]);
  if (missing.length > 0) return no(t.sync.blobsMissing(missing.map((h) => h.slice(0, 12))));

  const current = ctx.form(m.formId);
  const by = { userId: user.id, deviceId, mutationId: m.id };
  // A push is a submission: whatever review said before is answered by it.
  const submitted = { reviewStatus: 'submitted', reviewComment: null, reviewSection: null } as const;
  if (!current) {
    if (m.baseRev !== 0) return no(t.sync.unknownForm, [{ path: 'formId', message: t.sync.unknownFormField }]);
    const unstored: FormState = { id: m.formId, householdId: body.householdId, villageCode: body.villageCode, kind: body.kind, rev: 0, reviewStatus: 'submitted', reviewComment: null, conflicts: [] };
    return {
      result: { id: m.id, index, status: 'applied', rev: 1 },
      write: nextVersion(unstored, { body, ...submitted, conflicts: [] }, by),
      isNew: true,
    };
  }
  // Kind and household are fixed when a form is created: an inspector never writes a cadre's form, nor a cadre an inspection form.
  if (current.kind !== body.kind) return no(t.sync.otherKind, [{ path: 'body.kind', message: t.sync.serverKind(current.kind) }]);
  if (current.householdId !== body.householdId) return no(t.sync.otherHousehold, [{ path: 'body.householdId', message: t.sync.otherHouseholdField }]);
  if (!isWithinArea(current.villageCode, user.areaPrefix)) return no(t.sync.outsideArea);
  if (current.reviewStatus === 'accepted') return no(t.sync.accepted);
  if (m.baseRev > current.rev) return no(t.sync.revAhead(m.baseRev), [{ path: 'baseRev', message: t.sync.revAheadField }]);

  // Edited from an older revision: merge with what happened since, field by field.
  let merged = body;
  let conflicts = current.conflicts;
  let fresh: FieldConflict[] = [];
  if (m.baseRev < current.rev) {
    const base = ctx.versionBody(current.id, m.baseRev);
    if (!base) return no(t.sync.baseMissing(m.baseRev));
    const theirs = ctx.versionBody(current.id, current.rev);
    if (!theirs) throw new Error(`form ${current.id} has no version ${current.rev}`);
    const result = mergeFormBodies(base, theirs, body);
    merged = result.merged;
    fresh = result.conflicts;
    const freshPaths = new Set(fresh.map((c) => c.path));
    conflicts = [...conflicts.filter((c) => !freshPaths.has(c.path)), ...fresh];
  }
  const next = nextVersion(current, { body: merged, ...submitted, conflicts }, by);
  const rev = next.rev;
  if (fresh.length > 0) {
    return { result: { id: m.id, index, status: 'conflict', rev, conflicts: fresh, message: t.sync.conflicts(fresh.length) }, write: next, isNew: false };
  }
  return { result: { id: m.id, index, status: 'applied', rev }, write: next, isNew: false };
}
