/**
 * The visit log of a form on the device (issue 14, item 6): when it was
 * first opened, active seconds on screen per section, GPS at open. Kept on
 * the form's record beside the body, so the time on screen never makes an
 * autosave or an edit; it goes into the body when the form is submitted.
 */
import type { GpsFix, VisitLog } from '#shared/schemas/check-form.ts';
import { deviceDb } from './device-db.ts';

const empty = (): VisitLog => ({ openedAt: null, submittedAt: null, activeSeconds: {}, gpsOpen: null, gpsSubmit: null });

async function change(formId: string, fn: (v: VisitLog) => VisitLog): Promise<void> {
  await deviceDb.transaction('rw', deviceDb.forms, async () => {
    const form = await deviceDb.forms.get(formId);
    if (!form) return;
    await deviceDb.forms.update(formId, { visit: fn(form.visit ?? form.body.visit ?? empty()) });
  });
}

/** The first opening of the form; true when this was it (then a GPS fix is worth asking for). */
export async function markVisitOpened(formId: string, at: string): Promise<boolean> {
  let first = false;
  await change(formId, (v) => {
    if (v.openedAt !== null) return v;
    first = true;
    return { ...v, openedAt: at };
  });
  return first;
}

export function addActiveSeconds(formId: string, section: string, seconds: number): Promise<void> {
  if (seconds <= 0) return Promise.resolve();
  return change(formId, (v) => ({ ...v, activeSeconds: { ...v.activeSeconds, [section]: (v.activeSeconds[section] ?? 0) + Math.round(seconds) } }));
}

export function setOpenFix(formId: string, fix: GpsFix): Promise<void> {
  return change(formId, (v) => (v.gpsOpen === null ? { ...v, gpsOpen: fix } : v));
}

/** The log to submit with the body: what was recorded, closed with the submit time and fix. */
export async function visitForSubmit(formId: string, at: string, fix: GpsFix | null): Promise<VisitLog> {
  const form = await deviceDb.forms.get(formId);
  const v = form?.visit ?? form?.body.visit ?? empty();
  return { ...v, submittedAt: at, gpsSubmit: fix ?? v.gpsSubmit };
}
