/** Household composition: who lives there, their names, IDs and statuses. */
import { citizenIdCheckDigit } from '#shared/domain/citizen-id.ts';
import { monthIndex, type Person, type Sex } from '#shared/schemas/roster.ts';
import { pickGivenName, pickSurname } from '../names.ts';
import { mix, WeightedPicker, type Random } from '../random.ts';
import { AGE_YEAR, ID_ADDRESS, STREAM, type HouseholdKind } from './constants.ts';
import { daysInMonth, isoDate, pad, randomDate } from './helpers.ts';
import type { VillageInfo } from './layout.ts';
import type { HouseholdDraft, Member, PassState } from './model.ts';

/**
 * The household's members, in roster order (the head first): composed, given
 * IDs, named, given statuses, disabilities and phones; a few clean households
 * have a cadre relative, and C1 makes the head one.
 */
export function buildMembers(seed: number, rng: Random, size: number, intent: HouseholdKind | null, village: VillageInfo, state: PassState): Member[] {
  const drafts = composeHousehold(rng, size, intent);
  const members = drafts.map((d) => makeMember(seed, rng, d, state));
  nameMembers(rng, members, village);
  assignStatuses(rng, members, intent);
  for (const m of members) {
    const age = AGE_YEAR - m.birthYear;
    const severe = m.status !== 'not-member' && rng.chance(age >= 70 ? 0.03 : 0.012);
    m.disability = severe ? 2 : rng.chance(0.02) ? 1 : 0;
    if (age >= 18 && rng.chance(m.relation === '户主' ? 0.85 : 0.4)) m.phone = mobile(rng);
  }
  const head = members[0];
  if (!head) throw new Error('empty household');
  if (intent === 'cadre-relative-receiving') head.cadreRelative = true;
  else if (intent === null && rng.chance(0.02)) {
    const adults = members.filter((m) => m.status === 'living' && AGE_YEAR - m.birthYear >= 18);
    rng.pick(adults.length > 0 ? adults : [head]).cadreRelative = true;
  }
  return members;
}

export function composeHousehold(rng: Random, size: number, intent: HouseholdKind | null): HouseholdDraft[] {
  const headSex: Sex = rng.chance(0.86) ? 'M' : 'F';
  const other = (s: Sex): Sex => (s === 'M' ? 'F' : 'M');
  let headAge: number;
  if (intent === 'payment-after-death') headAge = rng.int(36, 66);
  else if (size === 1) headAge = rng.chance(0.65) ? rng.int(60, 92) : rng.int(24, 59);
  else headAge = 26 + Math.floor(((rng.next() + rng.next()) / 2) * 57);
  const out: HouseholdDraft[] = [{ relation: '户主', sex: headSex, age: headAge }];
  if (size === 1) return out;

  if (intent === 'payment-after-death') {
    // The planted deceased is member 1: an old parent of the head.
    out.push({ relation: '父母', sex: rng.chance(0.5) ? 'M' : 'F', age: Math.min(98, Math.max(70, headAge + rng.int(22, 32))) });
  }
  // A4 pays the spouse's card; C2 pays the spouse's item into a neighbour's card.
  const wantsSpouse = intent === 'household-item-to-non-head' || intent === 'account-for-unrelated-people' || rng.chance(size >= 3 ? 0.9 : 0.75);
  if (wantsSpouse && out.length < size) {
    const gap = rng.int(-1, 5);
    out.push({ relation: '配偶', sex: other(headSex), age: Math.max(20, Math.min(98, headSex === 'M' ? headAge - gap : headAge + gap)) });
  }

  while (out.length < size) {
    const couple = out.filter((d) => d.relation === '户主' || d.relation === '配偶');
    const youngestParent = Math.min(...couple.map((d) => d.age));
    const parents = out.filter((d) => d.relation === '父母');
    const adultChildren = out.filter((d) => (d.relation === '子' || d.relation === '女') && d.age >= 20);
    const options: [string, number][] = [];
    if (youngestParent >= 20) options.push(['child', headAge < 60 ? 6 : 2]);
    if (parents.length < 2 && headAge + 20 <= 98) options.push(['parent', headAge < 50 ? 3 : headAge < 60 ? 1 : 0.2]);
    if (adultChildren.length > 0) options.push(['grandchild', 5]);
    options.push(['sibling', 0.3], ['other', 0.2]);
    const choice = new WeightedPicker(options).pick(rng);
    switch (choice) {
      case 'child': {
        const sex: Sex = rng.chance(0.52) ? 'M' : 'F';
        out.push({ relation: sex === 'M' ? '子' : '女', sex, age: rng.int(Math.max(0, youngestParent - 42), youngestParent - 20) });
        break;
      }
      case 'parent': {
        const sex: Sex = parents[0] ? other(parents[0].sex) : rng.chance(0.5) ? 'M' : 'F';
        out.push({ relation: '父母', sex, age: Math.min(98, headAge + rng.int(20, 35)) });
        break;
      }
      case 'grandchild': {
        const oldest = Math.max(...adultChildren.map((d) => d.age));
        out.push({ relation: '孙子女', sex: rng.chance(0.52) ? 'M' : 'F', age: rng.int(Math.max(0, oldest - 40), oldest - 20) });
        break;
      }
      case 'sibling':
        out.push({ relation: '兄弟姐妹', sex: rng.chance(0.5) ? 'M' : 'F', age: Math.max(16, Math.min(95, headAge + rng.int(-10, 10))) });
        break;
      default:
        out.push({ relation: '其他', sex: rng.chance(0.5) ? 'M' : 'F', age: rng.int(5, 80) });
    }
  }
  return out;
}

export function nameMembers(rng: Random, members: Member[], village: VillageInfo): void {
  const local = (): string => (rng.chance(0.45) ? rng.pick(village.clanSurnames) : pickSurname(rng));
  const head = members[0];
  if (!head) return;
  const headSurname = local();
  const spouse = members.find((m) => m.relation === '配偶');
  const spouseSurname = local();
  // Children take the father's surname.
  const childSurname = head.sex === 'M' || !spouse ? headSurname : spouseSurname;
  for (const m of members) {
    let surname: string;
    switch (m.relation) {
      case '户主':
      case '兄弟姐妹':
        surname = headSurname;
        break;
      case '配偶':
        surname = spouseSurname;
        break;
      case '子':
      case '女':
      case '孙子女':
        surname = childSurname;
        break;
      case '父母':
        surname = m.sex === 'M' ? headSurname : local();
        break;
      default:
        surname = local();
    }
    m.name = surname + pickGivenName(rng, m.sex, m.birthYear);
  }
}

export function assignStatuses(rng: Random, members: Member[], intent: HouseholdKind | null): void {
  members.forEach((m, i) => {
    if (i === 0) return; // the head is living: a dead head would be replaced on the roster
    const age = AGE_YEAR - m.birthYear;
    if (i === 1 && intent === 'payment-after-death') {
      // Dies on the 26th or 28th, after every pay day (odd, ≤ 25) of that month.
      const month = rng.int(monthIndex(2020, 3), monthIndex(2021, 9));
      setDeath(m, month, rng.chance(0.5) ? 26 : 28);
      return;
    }
    if (i === 1 && intent !== null) return; // protected planted member stays living
    if (age >= 65 && rng.chance(0.05)) {
      setDeath(m, rng.int(monthIndex(2020, 2), monthIndex(2021, 11)), 2 * rng.int(1, 14));
    } else if ((m.relation === '子' || m.relation === '女' || m.relation === '孙子女' || m.relation === '兄弟姐妹') && age >= 18 && age <= 45 && rng.chance(0.04)) {
      m.status = 'moved-out';
      m.statusDate = randomDate(rng, '2018-01-01', '2021-11-30');
    } else if (m.relation === '其他' && rng.chance(0.3)) {
      m.status = 'not-member';
    }
  });
}

export function setDeath(m: Member, month: number, day: number): void {
  const y = Math.floor(month / 12);
  const mo = (month % 12) + 1;
  m.status = 'deceased';
  m.deathMonth = month;
  m.statusDate = isoDate(y, mo, day); // day ≤ 28 fits every month
}

export function makeMember(seed: number, rng: Random, d: HouseholdDraft, state: PassState): Member {
  const birthYear = AGE_YEAR - d.age;
  // Nobody in the roster is born after 2021-12-31.
  const birthMonth = rng.int(1, 12);
  const birthDay = rng.int(1, daysInMonth(birthYear, birthMonth));
  const birthDate = isoDate(birthYear, birthMonth, birthDay);
  const birth8 = birthDate.replaceAll('-', '');
  const key = birth8 + d.sex;
  const count = state.idCounters.get(key) ?? 0;
  if (count >= 500) throw new RangeError(`more than 500 ${d.sex} persons born on ${birthDate}: the ID sequence is exhausted`);
  state.idCounters.set(key, count + 1);
  // Sequence: odd for men, even for women (GB 11643), starting at a
  // per-date offset so the numbers do not all begin 001.
  const slot = (mix(seed, STREAM.idBase, Number(birth8)) + count) % 500;
  const first17 = `${ID_ADDRESS}${birth8}${pad(slot * 2 + (d.sex === 'M' ? 1 : 0), 3)}`;
  return {
    relation: d.relation,
    sex: d.sex,
    birthYear,
    birthMonth,
    birthDay,
    birthDate,
    id: first17 + citizenIdCheckDigit(first17),
    name: '',
    status: 'living',
    cadreRelative: false,
    disability: 0,
  };
}

export function toPerson(m: Member, householdId: string): Person {
  const p: Person = {
    id: m.id,
    householdId,
    name: m.name,
    sex: m.sex,
    birthDate: m.birthDate,
    relation: m.relation,
    status: m.status,
  };
  if (m.statusDate !== undefined) p.statusDate = m.statusDate;
  if (m.phone !== undefined) p.phone = m.phone;
  if (m.cadreRelative) p.isCadreRelative = true;
  return p;
}

export const MOBILE_PREFIXES = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '153', '155', '156', '157', '158', '159', '180', '181', '182', '183', '186', '187', '188', '189', '199'];

export function mobile(rng: Random): string {
  return rng.pick(MOBILE_PREFIXES) + pad(rng.int(0, 99_999_999), 8);
}
