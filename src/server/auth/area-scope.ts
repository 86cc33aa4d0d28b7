/**
 * A region a request names (`query.area`), checked against the user's area:
 * its significant prefix, or a 403 naming the field when it is not a region
 * code inside the area. One rule for coverage, exports, reports and the
 * review list.
 */
import { isWithinArea, regionLevel, regionPrefix } from '#shared/domain/region-code.ts';
import { apiText } from '#server/messages/api.zh-CN.ts';
import { HttpError } from '#server/plugins/errors.ts';

export function requestedArea(userPrefix: string, code: string, message: string = apiText.coverage.outsideArea): string {
  if (regionLevel(code) === null || !isWithinArea(code, userPrefix)) throw new HttpError(403, 'outside_area', message, [{ path: 'query.area', message }]);
  return regionPrefix(code);
}
