/**
 * Sign-in throttling that counts failed attempts only (issue 9): per account
 * and address, so guessing one password is slowed down while a township
 * office behind one NAT address still signs in all its staff; and per address
 * across usernames, so spraying one password over many accounts is slowed
 * down too. A successful sign-in clears its account's count; it never adds to
 * either. rate-limiter-flexible keeps the counters (in memory: one server
 * process, and a restart forgetting them costs an attacker nothing it had).
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { apiText as t } from '#server/messages/api.zh-CN.ts';

export interface SignInThrottleOptions {
  /** Failures per account and address within `timeWindow` ms before sign-in is refused. */
  max: number;
  timeWindow: number;
  /** Failures per address, over all usernames, within `addressWindow` ms. */
  addressMax?: number;
  addressWindow?: number;
}

export const DEFAULT_SIGN_IN_THROTTLE: Required<SignInThrottleOptions> = { max: 10, timeWindow: 60_000, addressMax: 30, addressWindow: 10 * 60_000 };

/** How long to wait, in Chinese: "30 秒" or "5 分钟". */
export function waitText(seconds: number): string {
  return seconds < 60 ? t.auth.waitSeconds(seconds) : t.auth.waitMinutes(Math.ceil(seconds / 60));
}

export class SignInThrottle {
  private readonly account: RateLimiterMemory;
  private readonly address: RateLimiterMemory;
  private readonly max: number;
  private readonly addressMax: number;

  constructor(opts: SignInThrottleOptions) {
    const o = { ...DEFAULT_SIGN_IN_THROTTLE, ...opts };
    this.max = o.max;
    this.addressMax = o.addressMax;
    // One more point than allowed: consuming never rejects, `blockedFor` decides.
    this.account = new RateLimiterMemory({ keyPrefix: 'acct', points: o.max + 1, duration: Math.ceil(o.timeWindow / 1000) });
    this.address = new RateLimiterMemory({ keyPrefix: 'addr', points: o.addressMax + 1, duration: Math.ceil(o.addressWindow / 1000) });
  }

  private static key(ip: string, username: string): string {
    return `${ip}|${username.trim().toLowerCase()}`;
  }

  /** Seconds to wait before this address may try this account again; 0 when it may now. */
  async blockedFor(ip: string, username: string): Promise<number> {
    const [acct, addr] = await Promise.all([this.account.get(SignInThrottle.key(ip, username)), this.address.get(ip)]);
    const waits: number[] = [];
    if (acct && acct.consumedPoints >= this.max) waits.push(acct.msBeforeNext);
    if (addr && addr.consumedPoints >= this.addressMax) waits.push(addr.msBeforeNext);
    return waits.length === 0 ? 0 : Math.max(1, Math.ceil(Math.max(...waits) / 1000));
  }

  async failed(ip: string, username: string): Promise<void> {
    // Past the limit consume() rejects with the state: already counted, nothing to add.
    const swallow = (e: unknown) => {
      if (!(e instanceof RateLimiterRes)) throw e;
    };
    await Promise.all([this.account.consume(SignInThrottle.key(ip, username)).catch(swallow), this.address.consume(ip).catch(swallow)]);
  }

  async succeeded(ip: string, username: string): Promise<void> {
    await this.account.delete(SignInThrottle.key(ip, username));
  }
}
