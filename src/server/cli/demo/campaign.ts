/**
 * The demo county as a campaign in progress (issue 15, item 7): about two
 * thirds of its households checked face to face over the last nine weeks,
 * unevenly (some townships nearly done, a few villages not started), most
 * forms accepted, a few sent back, and half of the inspector's sample
 * re-checked, some answers differing from the cadre's. Every screen then
 * has something real to show: coverage, the review list, the ledger (the
 * accepted forms' problems), the monthly report, the comparisons.
 *
 * Everything goes through the product's own doors, as the people would:
 * each township's cadre signs in, downloads the area (sync pull), opens each
 * household's form pre-filled as the phone does (prefillForm), answers it,
 * takes the householder's signature (a PNG upload), and pushes; the
 * supervisor reviews through the review API. The answers are deterministic
 * per household, so the inspector's re-check answers the same as the
 * cadre's except where a difference is planted on purpose. Only the visit
 * times are set back: a form's server time becomes the visit's.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import * as z from 'zod/mini';
import { DEFAULT_CHECK_PERIOD, formIssues, prefillForm, proposeProblems } from '#shared/domain/check-form-rules.ts';
import type { CheckFormBody, GpsFix } from '#shared/schemas/check-form.ts';
import type { SubsidyItem } from '#shared/schemas/roster.ts';
import { PullResponseSchema, type PullChanges, type SyncHousehold } from '#shared/schemas/sync.ts';
import { hashPassword } from '#server/auth/password.ts';
import { backdateFormLedgerItems, backdateForms, cadreVisitTimes, countForms, formsOfKind } from '#server/db/demo-repository.ts';
import { townshipsAndVillages } from '#server/db/regions-repository.ts';
import { findUserByUsername, insertUser } from '#server/db/users-repository.ts';
import { hashString, createRandom, type Random } from './random.ts';
import { pickGivenName, pickSurname } from './names.ts';
import { signaturePng } from './signature.ts';

/** The campaign started this many days ago; visits spread over the days since. */
const CAMPAIGN_DAYS = 63;
/** Forms older than this have mostly been reviewed; the newest wait in the supervisor's list. */
const REVIEW_LAG_DAYS = 6;
const BATCH = 100;
const CADRE_VILLAGE = '421321101200';

export interface DemoCampaign {
  households: number;
  forms: number;
  accepted: number;
  returned: number;
  problems: number;
}

export interface DemoRechecks {
  rechecked: number;
  differing: number;
}

interface Session {
  cookie: string;
  displayName: string;
  deviceId: string;
  counter: number;
}

const dayMs = 86_400_000;

/** ISO time with China's offset, as the phone writes it. */
function chinaIso(ms: number): string {
  return `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}

/** A stable random stream for one household and purpose: the cadre and the inspector see the same household. */
const rngFor = (householdId: string, purpose: number): Random => createRandom(hashString(householdId), purpose);

/** How far each township and village has got: townships from 35% to 95%, one village in twelve not started, the demo cadre's at 60%. */
function villageShare(villageCode: string): number {
  const town = createRandom(hashString(villageCode.slice(0, 9)), 7).next();
  const village = createRandom(hashString(villageCode), 8);
  if (villageCode === CADRE_VILLAGE) return 0.6; // the demo cadre has a third of the village still to do
  if (village.chance(1 / 12)) return 0;
  return Math.min(1, Math.max(0, 0.35 + 0.6 * town + (village.next() - 0.5) * 0.2));
}

/** Whether the campaign has reached this household (about two thirds of the county). */
export function campaignVisits(householdId: string, villageCode: string): boolean {
  return rngFor(householdId, 1).next() < villageShare(villageCode);
}

/** Where a village is: spread over 随县 (31.4–32.2° N, 112.9–113.8° E); households within a few hundred metres. */
function villagePosition(villageCode: string): { lat: number; lon: number } {
  const r = createRandom(hashString(villageCode), 9);
  return { lat: 31.5 + r.next() * 0.65, lon: 113.0 + r.next() * 0.75 };
}

function fixNear(villageCode: string, rng: Random, atMs: number): GpsFix {
  const v = villagePosition(villageCode);
  return { lat: Number((v.lat + (rng.next() - 0.5) * 0.006).toFixed(6)), lon: Number((v.lon + (rng.next() - 0.5) * 0.007).toFixed(6)), accuracyM: rng.int(5, 40), at: chinaIso(atMs) };
}

/** When the household was visited: a working day and hour of the campaign, earlier for villages further along. */
function visitTime(h: SyncHousehold, now: number): number {
  const rng = rngFor(h.id, 2);
  const day = Math.floor(Math.pow(rng.next(), 0.85) * (CAMPAIGN_DAYS - 1));
  return Math.min(now - 3_600_000, chinaMidnight(now - (CAMPAIGN_DAYS - day) * dayMs) + (8.5 + rng.next() * 9) * 3_600_000);
}

/** The start of the day in China (UTC+8) that `ms` falls in. */
function chinaMidnight(ms: number): number {
  return Math.floor((ms + 8 * 3_600_000) / dayMs) * dayMs - 8 * 3_600_000;
}

/** Everything the session's area holds, through the pull endpoint, as the phone downloads it. */
async function pullArea(app: FastifyInstance, cookie: string): Promise<PullChanges> {
  const all: PullChanges = { item: [], household: [], person: [], account: [], paymentLine: [], form: [] };
  let cursor: string | null = null;
  for (;;) {
    const q: URLSearchParams = new URLSearchParams({ limit: '20000', ...(cursor ? { cursor } : {}) });
    const res: { statusCode: number; body: string; json: () => unknown } = await app.inject({ method: 'GET', url: `/api/sync/pull?${q.toString()}`, headers: { cookie } });
    if (res.statusCode !== 200) throw new Error(`demo campaign: pull failed: ${res.statusCode} ${res.body}`);
    const page: z.infer<typeof PullResponseSchema> = z.parse(PullResponseSchema, res.json());
    for (const k of Object.keys(all) as (keyof PullChanges)[]) (all[k] as unknown[]).push(...page.changes[k]);
    cursor = page.cursor;
    if (!page.hasMore) return all;
  }
}

async function signIn(app: FastifyInstance, username: string, password: string): Promise<Session> {
  const deviceId = randomUUID();
  const res = await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username, password, deviceId } });
  if (res.statusCode !== 200) throw new Error(`demo campaign: sign-in of ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  return { cookie, displayName: res.json<{ displayName: string }>().displayName, deviceId, counter: 0 };
}

async function call(app: FastifyInstance, session: Session, method: 'POST' | 'PUT', url: string, payload: unknown, headers: Record<string, string> = {}) {
  const res = await app.inject({ method, url, headers: { cookie: session.cookie, ...headers }, payload: payload as string });
  if (res.statusCode >= 300) throw new Error(`demo campaign: ${method} ${url} failed: ${res.statusCode} ${res.body}`);
  return res;
}

/** Sends forms as a phone's outbox does, a batch at a time; every one must be applied. */
async function push(app: FastifyInstance, session: Session, forms: { id: string; body: CheckFormBody }[]): Promise<void> {
  for (let i = 0; i < forms.length; i += BATCH) {
    const batch = forms.slice(i, i + BATCH);
    for (const f of batch) {
      const png = signatureOf(f.body);
      if (png) await call(app, session, 'PUT', `/api/blobs/${f.body.evidence.signatureBlob}`, png, { 'content-type': 'image/png' });
    }
    const mutations = batch.map((f) => ({
      id: randomUUID(),
      counter: ++session.counter,
      kind: 'form.put',
      formId: f.id,
      baseRev: 0,
      body: f.body,
      blobs: f.body.evidence.signatureBlob ? [f.body.evidence.signatureBlob] : [],
      clientTime: f.body.visit?.submittedAt ?? new Date().toISOString(),
    }));
    const res = await call(app, session, 'POST', '/api/sync/push', { deviceId: session.deviceId, appVersion: 'demo', outboxSize: forms.length - i, mutations });
    const bad = res.json<{ results: { status: string; message?: string }[] }>().results.find((r) => r.status !== 'applied');
    if (bad) throw new Error(`demo campaign: push refused: ${JSON.stringify(bad)}`);
  }
}

/** The signature of a form's household (the same every time it is drawn), keyed by its hash in the body. */
const signatures = new Map<string, Buffer>();
function signatureOf(body: CheckFormBody): Buffer | undefined {
  return body.evidence.signatureBlob ? signatures.get(body.evidence.signatureBlob) : undefined;
}
function sign(householdId: string): string {
  const png = signaturePng(rngFor(householdId, 3), rngFor(householdId, 4).chance(0.7) ? 3 : 2);
  const sha = createHash('sha256').update(png).digest('hex');
  signatures.set(sha, png);
  return sha;
}

/** What the visit to a household found, the same for whoever asks (rngFor): the answers a cadre records. */
function answer(area: PullChanges, items: SubsidyItem[], h: SyncHousehold, kind: CheckFormBody['kind'], interviewer: string, atMs: number, now: number): CheckFormBody {
  const persons = area.person.filter((p) => p.householdId === h.id);
  const lines = area.paymentLine.filter((l) => l.householdId === h.id);
  const accountIds = new Set([...lines.map((l) => l.accountId)]);
  const holders = new Set(persons.map((p) => p.id));
  const accounts = area.account.filter((a) => holders.has(a.holderPersonId) || accountIds.has(a.id));
  const body = prefillForm(h, persons, accounts, lines, items, DEFAULT_CHECK_PERIOD, interviewer, { kind, visitedAt: chinaIso(atMs) });
  const rng = rngFor(h.id, 5);
  const roll = rng.next();
  if (roll < 0.02 || roll > 0.99) {
    body.outcome = roll < 0.02 ? 'not-found' : 'refused';
    body.outcomeReason = roll < 0.02 ? '全家外出务工，房屋锁门，邻居称春节才回' : '户主称补贴都已收到，不愿配合核查，已做解释工作';
  } else {
    body.household.hasCadreRelative = rng.chance(0.03);
    if (body.household.hasCadreRelative) body.household.cadreRelativeNote = '户主之弟为本村村民小组长';
    for (const m of body.members) {
      m.present = m.personId === h.headPersonId || rng.chance(0.6);
      m.identityChecked = m.present ? true : null;
      if (m.status === 'deceased' && m.statusDate === null) m.statusDate = '2021-03-15';
    }
    const short = rng.chance(0.03);
    const late = rng.chance(0.025);
    for (const [i, it] of body.items.entries()) {
      it.knows = true;
      it.received = it.ledgerAmountFen === 0 ? 'no' : 'yes';
      it.amountReceivedFen = it.received === 'no' ? 0 : it.ledgerAmountFen;
      if (it.received !== 'no') {
        it.onTime = !(late && i === 0);
        it.intoOwnCard = true;
        it.distribution = 'direct';
      }
      if (it.received === 'no') it.note = '台账期间内未发放';
      if (short && i === 0 && it.ledgerAmountFen > 0) {
        it.received = 'partly';
        it.amountReceivedFen = Math.round((it.ledgerAmountFen * rng.int(50, 85)) / 100);
        it.note = '户主称部分月份未到账';
      }
    }
    const heldByCadre = rng.chance(0.015);
    const fees = rng.chance(0.02);
    for (const [i, a] of body.accounts.entries()) {
      a.heldBy = heldByCadre && i === 0 ? 'cadre' : 'self';
      a.cardCount = 1;
      a.feesDeducted = fees && i === 0;
      a.feeAmountFen = fees && i === 0 ? 1_000 : null;
      a.smsReceived = rng.chance(0.8);
    }
    body.publicity.sawPolicyList = rng.chance(0.97);
    body.publicity.sawResults = rng.chance(0.96);
    body.household.phone = h.phone ?? '';
    body.problems = proposeProblems(body, { paymentLines: lines, items, persons });
    body.evidence.signatureBlob = sign(h.id);
  }
  // The visit itself: 8–25 minutes at the door, GPS at open and at submit (one visit in forty is rushed).
  const rushed = rng.chance(0.025);
  const minutes = rushed ? 1.5 : 8 + rng.next() * 17;
  const submittedMs = Math.min(now, atMs + minutes * 60_000);
  body.evidence.gps = fixNear(h.villageCode, rng, atMs + 60_000);
  body.evidence.interviewers = kind === 'cadre' && rng.chance(0.4) ? [interviewer, '驻村工作队 王志刚'] : [interviewer];
  const active = Math.round(minutes * 60 * 0.8);
  body.visit = {
    openedAt: chinaIso(atMs),
    submittedAt: chinaIso(submittedMs),
    activeSeconds: body.outcome === 'checked' ? { household: Math.round(active * 0.1), members: Math.round(active * 0.25), items: Math.round(active * 0.35), accounts: Math.round(active * 0.15), publicity: Math.round(active * 0.05), evidence: Math.round(active * 0.1) } : { household: active, evidence: 30 },
    gpsOpen: fixNear(h.villageCode, rng, atMs),
    gpsSubmit: fixNear(h.villageCode, rng, submittedMs),
  };
  const issues = formIssues(body, { now: new Date(now) });
  if (issues.errors.length > 0) throw new Error(`demo campaign: the form of household ${h.id} is incomplete: ${issues.errors.map((e) => e.path).join(', ')}`);
  return body;
}

/** One cadre per township (包片干部) besides the demo cadre of 星亮村, with the demo password. */
async function townshipCadres(app: FastifyInstance, password: string): Promise<{ username: string; areaCode: string }[]> {
  const db = app.db.db;
  const townships = (await townshipsAndVillages(db)).filter((r) => r.level === 'township' && r.code.startsWith('421321'));
  const hash = await hashPassword(password);
  const out: { username: string; areaCode: string }[] = [];
  for (const t of townships) {
    const username = `cadre${t.code.slice(6, 9)}`;
    if (!(await findUserByUsername(db, username))) {
      const rng = createRandom(hashString(username), 10);
      await insertUser(db, { username, displayName: `${pickSurname(rng)}${pickGivenName(rng, rng.chance(0.7) ? 'M' : 'F', 1975)}`, role: 'cadre', areaCode: t.code, passwordHash: hash });
    }
    out.push({ username, areaCode: t.code });
  }
  return out;
}

/**
 * Nothing when there are forms already (not a fresh demo) or no demo
 * supervisor. `log` hears of each township as it is done.
 */
export async function ensureDemoCampaign(app: FastifyInstance, opts: { password: string; now?: number; log?: (msg: string) => void }): Promise<DemoCampaign | null> {
  const db = app.db.db;
  if ((await countForms(db)) > 0 || !(await findUserByUsername(db, 'supervisor'))) return null;
  const now = opts.now ?? Date.now();
  const result: DemoCampaign = { households: 0, forms: 0, accepted: 0, returned: 0, problems: 0 };
  const pushed: { id: string; body: CheckFormBody }[] = [];
  const cadres = [{ username: 'cadre', areaCode: CADRE_VILLAGE }, ...(await townshipCadres(app, opts.password))];
  for (const c of cadres) {
    const session = await signIn(app, c.username, opts.password);
    const area = await pullArea(app, session.cookie);
    result.households += c.username === 'cadre' ? 0 : area.household.length;
    const mine = area.household.filter((h) => (c.username === 'cadre' ? true : h.villageCode !== CADRE_VILLAGE) && campaignVisits(h.id, h.villageCode));
    const forms = mine.map((h) => ({ id: randomUUID(), body: answer(area, area.item, h, 'cadre', session.displayName, visitTime(h, now), now) }));
    await push(app, session, forms);
    pushed.push(...forms);
    opts.log?.(`  ${c.username}: ${forms.length} of ${area.household.length} households checked`);
  }
  result.forms = pushed.length;
  result.problems = pushed.reduce((n, f) => n + f.body.problems.length, 0);
  await backdateForms(db, pushed.map((f) => f.id));

  // The supervisor has reviewed most forms older than a week: accepted (their problems go on the ledger), a few sent back.
  const supervisor = await signIn(app, 'supervisor', opts.password);
  for (const f of pushed) {
    const visited = Date.parse(f.body.evidence.visitedAt ?? '');
    const rng = rngFor(f.body.householdId, 6);
    if (now - visited < REVIEW_LAG_DAYS * dayMs || rng.chance(0.15)) continue;
    const back = rng.chance(0.03) || (f.body.outcome === 'checked' && f.body.visit?.submittedAt !== undefined && rng.chance(0.5) && Date.parse(f.body.visit.submittedAt ?? '') - visited < 3 * 60_000);
    const payload = back ? { action: 'return', comment: '入户时间过短，请补充成员在场情况并重新核对补贴到账金额', section: 'items', rev: 1 } : { action: 'accept', comment: '', rev: 1 };
    await call(app, supervisor, 'POST', `/api/forms/${f.id}/review`, payload);
    if (back) result.returned += 1;
    else result.accepted += 1;
  }
  await backdateFormLedgerItems(db, pushed.map((f) => f.id));
  return result;
}

/**
 * Half of the inspector's drawn households that have a cadre form are
 * re-checked, answered as the cadre did except one form in three, where the
 * inspector finds a member away or an amount short.
 */
export async function ensureDemoRechecks(app: FastifyInstance, opts: { password: string; now?: number }): Promise<DemoRechecks | null> {
  const db = app.db.db;
  if ((await formsOfKind(db, 'inspection')) > 0 || !(await findUserByUsername(db, 'inspector'))) return null;
  const now = opts.now ?? Date.now();
  const session = await signIn(app, 'inspector', opts.password);
  const area = await pullArea(app, session.cookie);
  const cadreVisits = await cadreVisitTimes(db, area.household.map((h) => h.id));
  const drawn = area.household.filter((h) => cadreVisits.has(h.id)).sort((a, b) => a.id.localeCompare(b.id));
  const forms: { id: string; body: CheckFormBody }[] = [];
  let differing = 0;
  for (const [n, h] of drawn.filter((_, i) => i % 2 === 0).entries()) {
    const cadreAt = Date.parse(cadreVisits.get(h.id) ?? '');
    if (Number.isNaN(cadreAt)) continue;
    // A working hour of the last three days, since the round was drawn, and never before the cadre's own visit.
    const rng = rngFor(h.id, 11);
    const day = chinaMidnight(now - rng.int(1, 3) * dayMs);
    const at = Math.max(cadreAt + dayMs, Math.min(now - 3_600_000, day + (9 + rng.next() * 8) * 3_600_000));
    const body = answer(area, area.item, h, 'inspection', session.displayName, at, now);
    // One re-check in three finds the household otherwise than the cadre did.
    if (body.outcome === 'checked' && n % 3 === 1) {
      differing += 1;
      const item = body.items.find((i) => i.received === 'yes');
      const member = body.members.find((m) => m.personId !== h.headPersonId && m.present === true);
      if (item && (rng.chance(0.6) || !member)) {
        item.received = 'partly';
        item.amountReceivedFen = Math.round(item.ledgerAmountFen * 0.7);
        item.note = '复核时户主出示存折，部分月份无到账记录';
      } else if (member) {
        member.present = false;
        member.identityChecked = null;
        member.note = '复核时外出务工，不在家';
      }
      body.problems = proposeProblems(body, { paymentLines: area.paymentLine.filter((l) => l.householdId === h.id), items: area.item, persons: area.person.filter((p) => p.householdId === h.id) });
    }
    forms.push({ id: randomUUID(), body });
  }
  await push(app, session, forms);
  await backdateForms(db, forms.map((f) => f.id));
  return { rechecked: forms.length, differing };
}
