import type { LocalForm } from '#app/db/device-db.ts';

/** A form as the device stores it, in the demo village; `body` is whatever the test needs (the device layer does not read it). */
export function localForm(id: string, state: LocalForm['state'], extra: Partial<LocalForm> = {}): LocalForm {
  return {
    id,
    householdId: `h-${id}`,
    villageCode: '421321101200',
    kind: 'cadre',
    body: {} as LocalForm['body'],
    state,
    serverRev: 0,
    reviewStatus: null,
    reviewComment: null,
    resumeAt: null,
    updatedAt: '2026-12-02T10:00:00+08:00',
    lastResult: null,
    ...extra,
  };
}
