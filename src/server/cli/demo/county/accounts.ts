/** Account types and numbers (unique, Luhn-valid, bank-shaped). */
import { luhnCheckDigit, type AccountType } from '#shared/domain/account-number.ts';
import type { Random } from '../random.ts';
import { AGE_YEAR, type AgentBank } from './constants.ts';
import type { Member } from './model.ts';

export function accountType(rng: Random, m: Member): AccountType {
  const old = AGE_YEAR - m.birthYear >= 60;
  const r = rng.next();
  if (old) return r < 0.25 ? 'sscard' : r < 0.45 ? 'passbook' : 'card';
  return r < 0.05 ? 'sscard' : r < 0.1 ? 'passbook' : 'card';
}

/**
 * A unique, random-looking account number. `serial` is unique within a pass;
 * multiplying by an odd constant not divisible by 5 is a bijection modulo a
 * power of ten, so distinct serials give distinct numbers.
 *
 * Passbooks get a Luhn digit too: many real ones have none, but a clean demo
 * import should not produce thousands of warnings.
 */
export function accountNumber(bank: AgentBank, type: AccountType, townshipCode: string, serial: number): string {
  const branch = townshipCode.slice(6, 9);
  let partial: string;
  if (type === 'passbook') {
    partial = `${bank.passbookPrefix}${branch}${scramble(serial, 12)}`; // 17 digits + check = 18
  } else {
    const bin = type === 'sscard' ? bank.sscardBin : bank.cardBin;
    partial = `${bin}${branch}${scramble(serial, 9)}`; // 18 digits + check = 19
  }
  return partial + luhnCheckDigit(partial);
}

export function scramble(serial: number, digits: number): string {
  const modulus = 10n ** BigInt(digits);
  const value = (BigInt(serial) * 2654435761n + 12345n) % modulus;
  return value.toString().padStart(digits, '0');
}
