import { zhCN } from './zh-CN.ts';

/** The active messages. One locale today; the indirection keeps call sites unchanged if another is added. */
export const t = zhCN;
