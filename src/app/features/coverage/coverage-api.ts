import { CoverageReportSchema } from '#shared/schemas/coverage.ts';
import { apiRequest } from '../../api/http.ts';
import { parsedBy } from '../../api/parsed-by.ts';

/** Coverage of a region of my area (12 digits), or of my whole area. */
export const getCoverage = (area?: string) => apiRequest('GET', `/coverage${area ? `?area=${area}` : ''}`, parsedBy(CoverageReportSchema));
