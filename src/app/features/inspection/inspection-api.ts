import * as z from 'zod/mini';
import { RegionNameSchema } from '#shared/schemas/sync.ts';
import {
  ComparisonSchema,
  DrawPreviewSchema,
  InspectorSchema,
  QualitySchema,
  RoundDetailSchema,
  RoundSummarySchema,
  SampleHouseholdSchema,
  VisitQualitySchema,
  type Assign,
  type DrawRequest,
  type PublishRound,
} from '#shared/schemas/inspection.ts';
import { apiRequest } from '../../api/http.ts';
import { parsedBy } from '../../api/parsed-by.ts';

export const drawAreas = () => apiRequest('GET', '/inspection/areas', parsedBy(z.array(RegionNameSchema)));
export const listRounds = () => apiRequest('GET', '/inspection/rounds', parsedBy(z.array(RoundSummarySchema)));
export const previewDraw = (req: DrawRequest) => apiRequest('POST', '/inspection/preview', parsedBy(DrawPreviewSchema), req);
export const publishRound = (req: PublishRound) => apiRequest('POST', '/inspection/rounds', parsedBy(RoundSummarySchema), req);
export const getRound = (id: string) => apiRequest('GET', `/inspection/rounds/${id}`, parsedBy(RoundDetailSchema));
export const roundHouseholds = (id: string, village: string) => apiRequest('GET', `/inspection/rounds/${id}/households?village=${village}`, parsedBy(z.array(SampleHouseholdSchema)));
export const roundQuality = (id: string) => apiRequest('GET', `/inspection/rounds/${id}/quality`, parsedBy(QualitySchema));
export const listInspectors = () => apiRequest('GET', '/inspection/inspectors', parsedBy(z.array(InspectorSchema)));
export const assignRound = (id: string, body: Assign) => apiRequest('POST', `/inspection/rounds/${id}/assign`, parsedBy(z.object({ households: z.int() })), body);
export const getComparison = (householdId: string) => apiRequest('GET', `/inspection/households/${encodeURIComponent(householdId)}/comparison`, parsedBy(ComparisonSchema));
export const visitQuality = () => apiRequest('GET', '/inspection/visit-quality', parsedBy(VisitQualitySchema));
