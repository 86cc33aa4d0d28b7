import * as z from 'zod/mini';
import { zhCN } from 'zod/locales';

/** Zod's built-in messages in Simplified Chinese, for the server and the app alike. */
export function configureZodMessages(): void {
  z.config(zhCN());
}
