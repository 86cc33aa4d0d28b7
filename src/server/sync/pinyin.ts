import { pinyin } from 'pinyin-pro';

/**
 * Pinyin initials of a Chinese name ('李建国' → 'ljg'), for searching on the
 * phone. Made here so the device never downloads pinyin-pro's dictionary;
 * surname mode reads 单 as shàn, 曾 as zēng, 解 as xiè.
 */
export function pinyinInitials(name: string): string {
  return pinyin(name, { pattern: 'first', toneType: 'none', surname: 'head', separator: '', nonZh: 'removed' }).replace(/\s+/g, '').toLowerCase();
}
